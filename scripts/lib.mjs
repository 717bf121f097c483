// Small helpers shared by the project scripts (setup, build, demo, test, worker), the
// bench and the tests. Node built-ins only; workerd is in scripts/workerd.mjs.
import { spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Print a step in the same shape everywhere: `<script>: <what>`. */
export function say(script, message) {
  console.log(`${script}: ${message}`);
}

/** Run a command with inherited stdio; exit this process if it fails. */
export function run(script, cmd, args, options = {}) {
  say(script, `$ ${[cmd, ...args].join(" ")}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", ...options });
  if (r.error) {
    console.error(`${script}: could not run ${cmd}: ${r.error.message}`);
    process.exit(1);
  }
  if (r.status !== 0) {
    console.error(`${script}: ${cmd} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

/** Run a command and return its stdout, or null if it cannot run or fails. */
export function capture(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: "utf8", ...options });
  return r.status === 0 ? r.stdout : null;
}

/** `[package]` version and the pinned `wasm-bindgen = "=X"` version from Cargo.toml. */
export function cargoFacts() {
  const toml = readFileSync(path.join(root, "Cargo.toml"), "utf8");
  const pkg = toml.split(/^\[/m).find((s) => s.startsWith("package]")) ?? "";
  const field = (name) => pkg.match(new RegExp(`^${name}\\s*=\\s*"([^"]*)"`, "m"))?.[1];
  const bindgen = toml.match(/^wasm-bindgen\s*=\s*(?:\{[^}]*version\s*=\s*)?"=?([0-9][^"]*)"/m)?.[1];
  if (!bindgen) throw new Error("Cargo.toml: no `wasm-bindgen = \"=X.Y.Z\"` dependency found");
  // The per-provider cargo features, from `all-providers = [...]` (src/provider.rs's tests
  // check it lists the registry): one npm entry each (`orderhook/stripe`).
  const all = toml.match(/^all-providers\s*=\s*\[([^\]]*)\]/m)?.[1];
  if (!all) throw new Error("Cargo.toml: no `all-providers = [...]` feature found");
  return {
    providers: [...all.matchAll(/"([a-z_]+)"/g)].map((m) => m[1]),
    name: field("name"),
    version: field("version"),
    description: field("description"),
    repository: field("repository"),
    wasmBindgen: bindgen,
  };
}

// ---------------------------------------------------------------- samples, JSON, signatures
// One copy of each, for the tests (tests/js/helpers.mjs re-exports them), the bench and
// `npm run worker`. Node built-ins only: setup.mjs imports this file before npm ci.

export const samplesDir = path.join(root, "examples", "samples");

/**
 * Every bundled sample (examples/samples/<provider>.<event>.json, a `/` in the event
 * written `~`), read now, sorted by
 * file name: `{ file, name, provider, event, text, bytes }`; `name` is the file name
 * without `.json`, `bytes` a plain Uint8Array of the file (not a Buffer).
 */
export function readSamples() {
  return readdirSync(samplesDir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((file) => {
      const data = readFileSync(path.join(samplesDir, file));
      const name = file.slice(0, -".json".length);
      const [provider, ...rest] = name.split(".");
      // A `/` in an event name (Shopify's `orders/paid`) is written `~` in the file name.
      const event = rest.join(".").replaceAll("~", "/");
      return { file, name, provider, event, text: data.toString("utf8"), bytes: new Uint8Array(data) };
    });
}

/**
 * The JSON object in a text (a document page with prose around it): from the first `{`
 * to its matching `}`, strings and escapes respected; to the end of the text when it is
 * never closed (a truncated body stays a truncated body); null when there is no `{`.
 */
export function firstJsonObject(text) {
  const start = text.indexOf("{");
  if (start < 0) return null;
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === "\\") escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return text.slice(start, i + 1);
  }
  return text.slice(start);
}

/**
 * The HMAC key of a Polar webhook secret: for a `whsec_<base64>` secret (the Standard
 * Webhooks scheme) the base64 decoding of the part after the prefix, for any other
 * (Polar's original scheme) the UTF-8 bytes of the whole secret.
 */
export function polarKey(secret) {
  return secret.startsWith("whsec_") ? Buffer.from(secret.slice("whsec_".length), "base64") : Buffer.from(secret, "utf8");
}

/**
 * Polar / Standard Webhooks headers for `body` (string or bytes): HMAC-SHA256 with the
 * key bytes `key` (see polarKey) over `${id}.${timestamp}.${body}`, base64, as `v1,<mac>`.
 * `timestamp` in seconds, now by default.
 */
export function standardWebhooksHeaders(body, key, { id = "msg_2mT9qX4bV7cN1rL8", timestamp } = {}) {
  const ts = String(timestamp ?? Math.floor(Date.now() / 1000));
  const signature = createHmac("sha256", key).update(`${id}.${ts}.`).update(body).digest("base64");
  return { "webhook-id": id, "webhook-timestamp": ts, "webhook-signature": `v1,${signature}` };
}

/**
 * Stripe: the `Stripe-Signature` value for `body` (string or bytes): `t=<seconds>,v1=<hex>`,
 * the hex HMAC-SHA256 of `${t}.${body}` keyed by the secret's UTF-8 bytes (`whsec_` included).
 * `timestamp` in seconds, now by default.
 */
export function stripeSignature(body, secret, timestamp) {
  const t = String(timestamp ?? Math.floor(Date.now() / 1000));
  return `t=${t},v1=${createHmac("sha256", secret).update(`${t}.`).update(body).digest("hex")}`;
}

/** Voucherify: lowercase hex HMAC-SHA256 of the body (string or bytes) under the secret. */
export function voucherifySignature(body, secret) {
  return createHmac("sha256", secret).update(body).digest("hex");
}

/**
 * Paddle's `Paddle-Signature` value for `body` (string or bytes): `ts=<seconds>;h1=<hex>`,
 * the hex HMAC-SHA256 of `${ts}:${body}` under the secret's UTF-8 bytes, one `h1` per
 * secret (several while a secret is rotated). `timestamp` in seconds, now by default.
 */
export function paddleSignature(body, secrets, { timestamp } = {}) {
  const ts = String(timestamp ?? Math.floor(Date.now() / 1000));
  const h1 = [secrets].flat().map((s) => `;h1=${createHmac("sha256", s).update(`${ts}:`).update(body).digest("hex")}`);
  return `ts=${ts}${h1.join("")}`;
}

/** Shopify's `X-Shopify-Hmac-Sha256`: base64 HMAC-SHA256 of the raw body under the client secret. */
export function shopifySignature(body, secret) {
  return createHmac("sha256", secret).update(body).digest("base64");
}
