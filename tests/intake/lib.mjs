// Runs the intake Worker (examples/intake) locally on the runtime of Cloudflare Workers:
// miniflare (the simulator wrangler dev uses, with workerd inside the npm package) with the
// Durable Object and both queues bound as wrangler.toml binds them, listening on 127.0.0.1,
// its storage persisted in a directory so that a restarted Worker finds it again. Also:
// the deliveries the tests send, signed as each provider signs them, and a backend that
// stands for the user's own service (onOrder posts each order to it with its idempotency key).
import { readdirSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { build } from "esbuild";
import { convertV4MiniflareOptions, Log, LogLevel, Miniflare } from "miniflare";
import { root, sample, standardWebhooksHeaders, voucherifySignature } from "../js/helpers.mjs";

export const SECRETS = {
  POLAR_WEBHOOK_SECRET: `whsec_${Buffer.alloc(32, 9).toString("base64")}`,
  VOUCHERIFY_WEBHOOK_SECRET: "vf_intake_test_secret_7Qw2Er9Ty",
  VRIO_PATH_TOKEN: "vrio-intake-test-token-4f8a2c1e",
};
const POLAR_KEY = Buffer.alloc(32, 9);
export const MAX_RETRIES = 3; // onOrder attempts: 1 + MAX_RETRIES, then the dead-letter queue
const ORDERS = "orderhook-orders";
const DLQ = "orderhook-orders-dlq";

/** Bundle tests/intake/entry.js (the example Worker) as wrangler does: esbuild, the "workerd" condition, the .wasm as a module. */
export async function bundle(outdir) {
  await build({
    entryPoints: [path.join(root, "tests", "intake", "entry.js")],
    outdir,
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker"],
    mainFields: ["module", "main"],
    external: ["cloudflare:*"],
    loader: { ".wasm": "copy" },
    logLevel: "warning",
  });
  // The Worker's modules, entry first: the bundle and the .wasm it imports.
  const files = readdirSync(outdir).sort((a, b) => (a === "entry.js" ? -1 : b === "entry.js" ? 1 : 0));
  return files.map((f) => ({ type: f.endsWith(".wasm") ? "CompiledWasm" : "ESModule", path: path.join(outdir, f) }));
}

/** Start the Worker of `modules` (bundle()), storage in `persistDir`; `{ url, mf, stop }`. */
export async function startIntake({ modules, persistDir, backendUrl, leaseSeconds = 2, resendAfterSeconds = 8, logs = [] }) {
  // miniflare 5 takes wrangler's new config shape; the v4 options, converted, say the same thing.
  const mf = new Miniflare(convertV4MiniflareOptions({
    host: "127.0.0.1",
    port: 0,
    log: new Log(LogLevel.NONE),
    // The Worker's console lines (one per order): kept, the last 200, not printed.
    handleStructuredLogs: (line) => {
      logs.push(line);
      if (logs.length > 200) logs.shift();
    },
    resourcePersistencePath: persistDir,
    workers: [
      {
    name: "intake",
    modules,
    modulesRoot: path.dirname(modules[0].path),
    compatibilityDate: "2026-11-01",
    bindings: {
      ...SECRETS,
      VRIO_CURRENCY: "USD",
      VRIO_TIME_ZONE: "America/New_York",
      VOUCHERIFY_CURRENCY: "USD",
      DEAD_LETTER_QUEUE: DLQ,
      LEASE_SECONDS: String(leaseSeconds),
      RESEND_AFTER_SECONDS: String(resendAfterSeconds),
      ORDERS_BACKEND_URL: backendUrl,
    },
    durableObjects: { DELIVERIES: { className: "Delivery", useSQLite: true } },
    queueProducers: { ORDERS: { queueName: ORDERS } },
    queueConsumers: {
      [ORDERS]: { maxBatchSize: 10, maxBatchTimeout: 0.2, maxRetries: MAX_RETRIES, retryDelay: 0, deadLetterQueue: DLQ },
      [DLQ]: { maxBatchSize: 10, maxBatchTimeout: 0.2 },
    },
      },
    ],
  }));
  const url = (await mf.ready).href.replace(/\/$/, "");
  return { url, mf, stop: () => mf.dispose() };
}

/**
 * The user's backend: POST /orders with an `idempotency-key` header, as onOrder sends each
 * order, and POST /dead-letter. Keys in `failing` answer 500 `failing.get(key)` times (Infinity:
 * always). `calls` lists every order call; `done` maps a key to its first success.
 */
export async function startBackend() {
  const state = { calls: [], done: new Map(), repeats: [], deadLetters: [], failing: new Map() };
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      const key = req.headers["idempotency-key"];
      const at = Date.now();
      if (req.url === "/dead-letter") {
        state.deadLetters.push({ key, at });
        return res.writeHead(200).end("ok");
      }
      const attempt = Number(req.headers["x-attempt"]);
      const left = state.failing.get(key) ?? 0;
      if (left > 0) {
        state.failing.set(key, left - 1);
        state.calls.push({ key, attempt, at, ok: false });
        return res.writeHead(500).end("injected failure");
      }
      state.calls.push({ key, attempt, at, ok: true });
      if (state.done.has(key)) state.repeats.push({ key, at, first: state.done.get(key) });
      else state.done.set(key, { at, order: JSON.parse(body).order.id });
      res.writeHead(200).end("ok");
    });
  });
  server.keepAliveTimeout = 120_000; // workerd reuses connections; one closed under it fails a call
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}/orders`;
  return { url, state, stop: () => new Promise((resolve) => server.close(resolve)) };
}

const templates = {
  polar: JSON.parse(sample("polar.order.paid.json").text),
  voucherify: JSON.parse(sample("voucherify.customer.order.paid.json").text),
  vrio: JSON.parse(sample("vrio.order_updated.json").text),
};

/**
 * One distinct delivery of `provider` for the order `orderId`: `{ provider, key, path, body, headers() }`.
 * `key` is what the Worker keys it by (`<provider>:<delivery id>`); headers() signs it now.
 */
export function delivery(provider, orderId, n) {
  const body = structuredClone(templates[provider]);
  let id;
  if (provider === "polar") {
    body.data.id = orderId;
    id = `msg_intake_${n}`;
  } else if (provider === "voucherify") {
    body.data.order.id = orderId;
    body.event.id = id = `evcus_intake_${n}`;
  } else {
    body.webhook_data.order.id = orderId;
    body.webhook_event_id = id = String(9_000_000 + n);
  }
  const text = JSON.stringify(body);
  const headers = () => {
    const h = { "content-type": "application/json" };
    if (provider === "polar") Object.assign(h, standardWebhooksHeaders(text, POLAR_KEY, { id }));
    if (provider === "voucherify") h["x-voucherify-signature"] = voucherifySignature(text, SECRETS.VOUCHERIFY_WEBHOOK_SECRET);
    return h;
  };
  const path = provider === "vrio" ? `/webhooks/vrio/${SECRETS.VRIO_PATH_TOKEN}` : `/webhooks/${provider}`;
  return { provider, orderId, key: `${provider}:${id}`, path, text, headers };
}

/** POST a delivery once: `{ status, body }`, or `{ status: 0, error }` when the connection failed or timed out. */
export async function post(base, d, { timeoutMs = 15_000 } = {}) {
  try {
    const res = await fetch(base + d.path, { method: "POST", body: d.text, headers: d.headers(), signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.status, body: await res.json() };
  } catch (error) {
    return { status: 0, error };
  }
}
