// `node --expose-gc bench/child/memory.mjs N`: N parses over every payload in
// turn; prints JSON checkpoints of wasm linear memory and the JS heap (after a
// full GC) so bench/run.mjs can show they stay flat after warm-up.
import { limits, parse } from "orderhook";
import * as glue from "../../pkg/orderhook.js";
import { loadPayloads } from "../lib.mjs";

if (typeof globalThis.gc !== "function") throw new Error("run with --expose-gc");
const total = Number(process.argv[2] ?? 100_000);
// initSync returns the exports of the instance the package already made (same module instance).
const wasm = glue.initSync();
if (!(wasm.memory instanceof WebAssembly.Memory)) throw new Error("wasm memory export not reachable");
const { payloads } = loadPayloads(limits().providerSpecs);
// Each body with its parse options (Shopify's and WooCommerce's topic, as `eventType`).
const bodies = payloads.flatMap((p) => [[p.text, p.options], [p.bytes, p.options]]);
const marks = [0, 100, 1_000, 5_000, 10_000, 25_000, 50_000, 75_000, 100_000, 250_000, 500_000, 1_000_000].filter((m) => m <= total);
if (!marks.includes(total)) marks.push(total);
const points = [];
let ok = 0;
let i = 0;
const t0 = performance.now();
for (const mark of marks) {
  for (; i < mark; i++) if (parse(...bodies[i % bodies.length]).ok) ok++;
  globalThis.gc();
  globalThis.gc();
  const m = process.memoryUsage();
  points.push({ parses: i, wasm: wasm.memory.buffer.byteLength, heapUsed: m.heapUsed, heapTotal: m.heapTotal, rss: m.rss, external: m.external, arrayBuffers: m.arrayBuffers });
}
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(JSON.stringify({ total, ok, bodies: bodies.length, seconds, points }) + "\n");
