// Shared by the Node tests: paths, the bundled samples, and signatures made with
// node:crypto the way each provider makes them.
import { createHmac } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const samplesDir = path.join(root, "examples", "samples");

/** Every bundled sample: `{ file, provider, event, text, bytes }`. */
export const samples = readdirSync(samplesDir)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((file) => {
    const bytes = readFileSync(path.join(samplesDir, file));
    const [provider, ...rest] = file.slice(0, -".json".length).split(".");
    return { file, provider, event: rest.join("."), text: bytes.toString("utf8"), bytes: new Uint8Array(bytes) };
  });

export function sample(file) {
  const s = samples.find((x) => x.file === file);
  if (!s) throw new Error(`no sample ${file}`);
  return s;
}

/** The version in Cargo.toml's [package] section. */
export function cargoVersion() {
  const toml = readFileSync(path.join(root, "Cargo.toml"), "utf8");
  return toml.match(/^\[package\][^[]*?^version\s*=\s*"([^"]+)"/ms)[1];
}

/** Voucherify: lowercase hex HMAC-SHA256 of the body under the secret. */
export function voucherifySignature(body, secret) {
  return createHmac("sha256", secret).update(body).digest("hex");
}

/**
 * Polar / Standard Webhooks headers for `body`. `key` is the HMAC key bytes:
 * Polar's original scheme uses the UTF-8 bytes of the whole secret, the
 * standard one the base64 decoding of the part after `whsec_`.
 */
export function standardWebhooksHeaders(body, key, { id = "msg_2mT9qX4bV7cN1rL8", timestamp } = {}) {
  const ts = String(timestamp ?? Math.floor(Date.now() / 1000));
  const signature = createHmac("sha256", key).update(`${id}.${ts}.`).update(body).digest("base64");
  return { "webhook-id": id, "webhook-timestamp": ts, "webhook-signature": `v1,${signature}` };
}

/** A copy of `bytes` with the byte at `index` changed. */
export function flipByte(bytes, index) {
  const copy = new Uint8Array(bytes);
  copy[index] ^= 0x01;
  return copy;
}
