#!/usr/bin/env node
// `npm run worker`: serve examples/worker locally in workerd (the npm `workerd`
// binary, the runtime of Cloudflare Workers) on 127.0.0.1, and print curl commands
// that exercise each provider's endpoint — with a Polar and a Voucherify signature
// made here for a bundled sample. Ctrl-C stops it.
//
//   PORT=8787                       port (default 8787)
//   POLAR_WEBHOOK_SECRET=...        secrets and settings the Worker reads from env;
//   VOUCHERIFY_WEBHOOK_SECRET=...   unset ones get the dev values printed at start
//   VRIO_PATH_TOKEN=...             (VRIO_TIME_ZONE, VRIO_CURRENCY, VOUCHERIFY_CURRENCY,
//                                    MAX_BODY_BYTES are passed through when set)
import { spawn, spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { root, say } from "./lib.mjs";

const S = "worker";
const at = (...p) => path.join(root, ...p);
const port = Number(process.env.PORT ?? 8787);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`${S}: PORT must be a port number, not ${JSON.stringify(process.env.PORT)}`);
  process.exit(2);
}
const READY_TIMEOUT_MS = 20_000;

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
  VRIO_TIME_ZONE: "America/New_York",
  VRIO_CURRENCY: "USD",
};
const env = { ...process.env };
const fromDev = [];
for (const [name, value] of Object.entries(dev)) {
  if (!env[name]) {
    env[name] = value;
    fromDev.push(name);
  }
}

// 3. workerd: the real binary (node_modules/.bin/workerd is a Node wrapper around it).
const workerdPackage = createRequire(import.meta.url)("workerd");
const workerdBinary = workerdPackage.default ?? workerdPackage; // the path of the platform binary
const config = at("examples", "worker", "workerd.capnp");
const args = ["serve", config, "--import-path", at("node_modules"), "--socket-addr", `http=127.0.0.1:${port}`];
say(S, `$ workerd ${args.map((a) => path.relative(root, a) || a).join(" ")}`);
const child = spawn(workerdBinary, args, { cwd: root, env, stdio: ["ignore", "inherit", "inherit"] });
let stopping = false;
child.on("error", (e) => {
  console.error(`${S}: could not start workerd: ${e.message}`);
  process.exit(1);
});
child.on("exit", (code, signal) => {
  if (!stopping) console.error(`${S}: workerd exited (${code ?? signal})`);
  process.exit(stopping ? 0 : code || 1);
});
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    say(S, "stopping workerd");
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 3000).unref();
  });
}
process.on("exit", () => child.kill("SIGKILL"));

// 4. Ready when the Worker answers (404 for /), bounded.
const base = `http://127.0.0.1:${port}`;
const deadline = Date.now() + READY_TIMEOUT_MS;
for (;;) {
  try {
    const res = await fetch(`${base}/`, { signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    if (res.status === 404) break;
  } catch {}
  if (stopping) await new Promise(() => {}); // the exit handler ends the process
  if (Date.now() > deadline) {
    console.error(`${S}: workerd did not answer within ${READY_TIMEOUT_MS / 1000} s`);
    child.kill("SIGKILL");
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 150));
}

// 5. What to try.
const sample = (file) => at("examples", "samples", file);
const quote = (s) => `'${String(s).replaceAll("'", "'\\''")}'`;
const polarFile = sample("polar.order.paid.json");
const polarBody = readFileSync(polarFile);
const polarId = `msg_dev_${Date.now().toString(36)}`;
const ts = Math.floor(Date.now() / 1000);
const polarSecret = env.POLAR_WEBHOOK_SECRET;
// Standard Webhooks: HMAC-SHA256 over `${id}.${timestamp}.${body}`; a `whsec_` secret's key
// is the base64 after the prefix (orderhook also accepts Polar's older scheme, the
// UTF-8 bytes of the whole secret).
const polarKey = polarSecret.startsWith("whsec_") ? Buffer.from(polarSecret.slice(6), "base64") : Buffer.from(polarSecret);
const polarSignature = createHmac("sha256", polarKey).update(`${polarId}.${ts}.`).update(polarBody).digest("base64");
const voucherifyFile = sample("voucherify.customer.order.paid.json");
const voucherifySignature = createHmac("sha256", env.VOUCHERIFY_WEBHOOK_SECRET).update(readFileSync(voucherifyFile)).digest("hex");
const vrioFile = sample("vrio.order_updated.json");
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
  -H ${quote(`webhook-id: ${polarId}`)} \\
  -H ${quote(`webhook-timestamp: ${ts}`)} \\
  -H ${quote(`webhook-signature: v1,${polarSignature}`)} \\
  --data-binary @${quote(polarFile)}

# Voucherify: hex HMAC-SHA256 of the body (no timestamp, so it keeps working).
curl -i ${base}/webhooks/voucherify ${json} \\
  -H ${quote(`x-voucherify-signature: ${voucherifySignature}`)} \\
  --data-binary @${quote(voucherifyFile)}

# Vrio signs nothing: the secret token in the path is the protection.
curl -i ${base}/webhooks/vrio/${env.VRIO_PATH_TOKEN} ${json} \\
  --data-binary @${quote(vrioFile)}

# Faults: no signature (401), not JSON (400), wrong method (405), unknown path (404).
curl -i ${base}/webhooks/polar ${json} --data-binary @${quote(polarFile)}
curl -i ${base}/webhooks/vrio/${env.VRIO_PATH_TOKEN} ${json} --data-binary '{"webhook_event":'
curl -i ${base}/webhooks/voucherify
curl -i ${base}/webhooks/stripe -X POST --data-binary '{}'

Ctrl-C stops the Worker. onOrder() logs one line per new order below.
`);
say(S, "ready");
