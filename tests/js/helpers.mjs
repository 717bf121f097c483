// Shared by the Node tests (tests/js, tests/worker, tests/workerd, tests/browser): paths,
// the bundled samples, and signatures made with node:crypto the way each provider makes
// them. One copy of each lives in scripts/lib.mjs (the bench and `npm run worker` use them
// too); this module adds what only tests need.
import { cargoFacts, readSamples } from "../../scripts/lib.mjs";

export {
  firstJsonObject,
  paddleSignature,
  polarKey,
  root,
  samplesDir,
  shopifySignature,
  standardWebhooksHeaders,
  stripeSignature,
  voucherifySignature,
} from "../../scripts/lib.mjs";

/** Every bundled sample: `{ file, name, provider, event, text, bytes }` (bytes: a Uint8Array). */
export const samples = readSamples();

/** The sample in the file `file` (`polar.order.paid.json`). */
export function sample(file) {
  const s = samples.find((x) => x.file === file);
  if (!s) throw new Error(`no sample ${file}`);
  return s;
}

/** The version in Cargo.toml's [package] section. */
export function cargoVersion() {
  return cargoFacts().version;
}

/** A copy of `bytes` with the byte at `index` changed. */
export function flipByte(bytes, index) {
  const copy = new Uint8Array(bytes);
  copy[index] ^= 0x01;
  return copy;
}
