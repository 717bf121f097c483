#!/usr/bin/env node
// `npm run worker`: serve examples/worker locally in workerd (the npm `workerd`
// binary, the runtime of Cloudflare Workers) on 127.0.0.1, and print curl commands
// that exercise each provider's endpoint — with a Polar, a Voucherify, a Paddle and a
// Stripe signature made here for a bundled sample. Ctrl-C stops it. workerd is started by scripts/workerd.mjs.
//
//   PORT=8787                       port (default 8787; 0: one the kernel picks, printed)
//   POLAR_WEBHOOK_SECRET=...        secrets and settings the Worker reads from env;
//   VOUCHERIFY_WEBHOOK_SECRET=...   unset ones get the dev values printed at start
//   VRIO_PATH_TOKEN=...             (VRIO_TIME_ZONE, VRIO_CURRENCY, VOUCHERIFY_CURRENCY,
//   PADDLE_WEBHOOK_SECRET=...        MAX_BODY_BYTES are passed through when set)
//   STRIPE_WEBHOOK_SECRET=...
import "./node.mjs"; // first: re-runs this script on a maintained Node when the machine's is older
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { paddleSignature, polarKey, readSamples, root, samplesDir, say, shopifySignature, standardWebhooksHeaders, stripeSignature, voucherifySignature } from "./lib.mjs";

const S = "worker";
const at = (...p) => path.join(root, ...p);
const port = Number(process.env.PORT ?? 8787);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`${S}: PORT must be a port number, not ${JSON.stringify(process.env.PORT)}`);
  process.exit(2);
}

// 1. What is missing, and only that, as `npm test` does it: on a fresh checkout
// setup (npm dev dependencies, Rust target, wasm-bindgen) and build; when only the
// node_modules/orderhook link is missing, build alone (incremental, it relinks).
// setup may run `npm ci`, which rewrites node_modules: it runs only when needed.
const built = existsSync(at("pkg", "workerd.js"));
const steps = [];
if (!built || !existsSync(at("node_modules", "workerd", "package.json"))) steps.push("setup.mjs");
if (!built || !existsSync(at("node_modules", "orderhook", "package.json"))) steps.push("build.mjs");
if (steps.length) say(S, `running ${steps.map((s) => `scripts/${s}`).join(" and ")} first (on a fresh checkout this takes minutes)`);
for (const script of steps) {
  const r = spawnSync(process.execPath, [at("scripts", script)], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`${S}: scripts/${script} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}

// 2. Dev secrets (fixed, so the printed commands keep working across restarts).
const dev = {
  POLAR_WEBHOOK_SECRET: `whsec_${Buffer.from("orderhook local dev polar secret").toString("base64")}`,
  VOUCHERIFY_WEBHOOK_SECRET: "orderhook-local-dev-voucherify-secret",
  VRIO_PATH_TOKEN: "local-dev-vrio-token-0123456789abcdef",
  PADDLE_WEBHOOK_SECRET: "pdl_ntfset_01localdev0000000000000000000_orderhookLocalDevPaddleSecret",
  SHOPIFY_WEBHOOK_SECRET: "orderhook-local-dev-shopify-secret",
  VRIO_TIME_ZONE: "America/New_York",
  VRIO_CURRENCY: "USD",
  STRIPE_WEBHOOK_SECRET: "whsec_orderhookLocalDevStripeSecret0123",
};
const env = { ...process.env };
const fromDev = [];
for (const [name, value] of Object.entries(dev)) {
  if (!env[name]) {
    env[name] = value;
    fromDev.push(name);
  }
}

// 3. workerd, on 127.0.0.1 only, its output shown here; ready when the Worker answers.
// Imported only now: on a fresh checkout the npm package workerd arrives with step 1.
const { startWorkerd, workerdArgs } = await import("./workerd.mjs");
const config = at("examples", "worker", "workerd.capnp");
const importPath = at("node_modules");
say(S, `$ workerd ${workerdArgs({ config, importPath, port }).map((a) => path.relative(root, a) || a).join(" ")}`);
let worker;
let stopping = false;
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(sig, async () => {
    if (stopping) return;
    stopping = true;
    say(S, "stopping workerd");
    await worker?.stop(); // before it is ready, exiting kills it (scripts/workerd.mjs)
    process.exit(0);
  });
}
try {
  worker = await startWorkerd({ config, cwd: root, importPath, env, port, output: "inherit" });
} catch (e) {
  console.error(`${S}: ${e.message}`);
  process.exit(1);
}
worker.exited.then((how) => {
  if (stopping) return;
  console.error(`${S}: workerd ${how}`);
  process.exit(1);
});
const base = worker.base;

// 4. What to try.
const quote = (s) => `'${String(s).replaceAll("'", "'\\''")}'`;
const samples = readSamples();
const sample = (file) => ({ ...samples.find((s) => s.file === file), path: path.join(samplesDir, file) });
const polar = sample("polar.order.paid.json");
const polarFile = polar.path;
// Standard Webhooks, as Polar signs: a `whsec_` secret's key is the base64 after the prefix
// (orderhook also accepts Polar's older scheme, the UTF-8 bytes of the whole secret).
const polarHeaders = standardWebhooksHeaders(polar.bytes, polarKey(env.POLAR_WEBHOOK_SECRET), { id: `msg_dev_${Date.now().toString(36)}` });
const voucherify = sample("voucherify.customer.order.paid.json");
const voucherifyFile = voucherify.path;
const voucherifySig = voucherifySignature(voucherify.bytes, env.VOUCHERIFY_WEBHOOK_SECRET);
const vrioFile = sample("vrio.order_updated.json").path;
const paddle = sample("paddle.transaction.completed.json");
const paddleSig = paddleSignature(paddle.bytes, env.PADDLE_WEBHOOK_SECRET);
const stripe = sample("stripe.checkout.session.completed.json");
const stripeSig = stripeSignature(stripe.bytes, env.STRIPE_WEBHOOK_SECRET);
const shopify = sample("shopify.orders~paid.json");
const shopifySig = shopifySignature(shopify.bytes, env.SHOPIFY_WEBHOOK_SECRET);
const json = "-H 'content-type: application/json'";

console.log(`
orderhook example Worker (examples/worker/src/index.js) listening on ${base}
`);
if (fromDev.length) {
  console.log(`dev settings (set these variables to use your own):`);
  for (const name of fromDev) console.log(`  ${name}=${env[name]}`);
  console.log("");
}
console.log(`# Polar: signed here for this sample; the timestamp is valid for 5 minutes.
# Run it twice: the second answer is {"ok":true,"duplicate":true,...}.
curl -i ${base}/webhooks/polar ${json} \\
  -H ${quote(`webhook-id: ${polarHeaders["webhook-id"]}`)} \\
  -H ${quote(`webhook-timestamp: ${polarHeaders["webhook-timestamp"]}`)} \\
  -H ${quote(`webhook-signature: ${polarHeaders["webhook-signature"]}`)} \\
  --data-binary @${quote(polarFile)}

# Voucherify: hex HMAC-SHA256 of the body (no timestamp, so it keeps working).
curl -i ${base}/webhooks/voucherify ${json} \\
  -H ${quote(`x-voucherify-signature: ${voucherifySig}`)} \\
  --data-binary @${quote(voucherifyFile)}

# Paddle: hex HMAC-SHA256 of ts:body; the ts is valid for 5 minutes (Paddle's SDKs allow 5 seconds).
curl -i ${base}/webhooks/paddle ${json} \\
  -H ${quote(`paddle-signature: ${paddleSig}`)} \\
  --data-binary @${quote(paddle.path)}

# Vrio signs nothing: the secret token in the path is the protection.
curl -i ${base}/webhooks/vrio/${env.VRIO_PATH_TOKEN} ${json} \\
  --data-binary @${quote(vrioFile)}

# Stripe: Stripe-Signature signed here; the timestamp is valid for 5 minutes.
curl -i ${base}/webhooks/stripe ${json} \\
  -H ${quote(`stripe-signature: ${stripeSig}`)} \\
  --data-binary @${quote(stripe.path)}

# Shopify: base64 HMAC-SHA256 of the body; the topic (the event type) is a header.
curl -i ${base}/webhooks/shopify ${json} \\
  -H ${quote(`x-shopify-hmac-sha256: ${shopifySig}`)} \\
  -H 'x-shopify-topic: orders/paid' \\
  -H ${quote(`x-shopify-webhook-id: dev-${Date.now().toString(36)}`)} \\
  --data-binary @${quote(shopify.path)}

# Faults: no signature (401), not JSON (400), wrong method (405), unknown path (404).
curl -i ${base}/webhooks/polar ${json} --data-binary @${quote(polarFile)}
curl -i ${base}/webhooks/vrio/${env.VRIO_PATH_TOKEN} ${json} --data-binary '{"webhook_event":'
curl -i ${base}/webhooks/voucherify
curl -i ${base}/webhooks/square -X POST --data-binary '{}'

Ctrl-C stops the Worker. onOrder() logs one line per new order below.
`);
say(S, "ready");
