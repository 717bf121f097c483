// Shared by bench/run.mjs and its child scripts: payloads, measurement, formatting.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { measure } from "mitata";
import { readFileSync } from "node:fs";
import { readSamples, root } from "../scripts/lib.mjs";

export { root };
export const benchDir = path.dirname(fileURLToPath(import.meta.url));
export const pkgDir = path.join(root, "pkg");

// ---------------------------------------------------------------- payloads

const encoder = new TextEncoder();

function payload(name, kind, provider, text, options) {
  return { name, kind, provider, text, bytes: encoder.encode(text), options };
}

/** The fixtures that reproduce the seed documents (tests/fixtures), one per shape. */
export const SEED_FIXTURES = [
  "voucherify.bare-data.paid.amount-mismatch",
  "voucherify.bare-data.created.null-updated-at",
  "polar.order.updated.placeholder-strings",
  "vrio.order_updated.zoneless-dates",
];

/**
 * Every bundled sample (examples/samples/*.json) and the fixtures of tests/fixtures
 * that reproduce the seed documents (kind "seed"), read now. The provider of a
 * seed fixture comes from orderhook's own detect() in run.mjs.
 *
 * `specs` is orderhook's `limits().providerSpecs`: a sample of a provider that sends
 * its event type in a header (Shopify's topic, WooCommerce's) gets `options`
 * `{ eventType }` from its file name, as a receiver passes that header to `parse`;
 * every other payload's `options` is undefined.
 */
export function loadPayloads(specs = []) {
  const typeInHeader = new Set(specs.filter((s) => s.eventTypeHeader).map((s) => s.name));
  const out = readSamples().map((s) =>
    payload(s.name, "sample", s.provider, s.text, typeInHeader.has(s.provider) ? { eventType: s.event } : undefined),
  );
  const skipped = [];
  for (const name of SEED_FIXTURES) {
    const text = readFileSync(path.join(root, "tests", "fixtures", `${name}.json`), "utf8");
    out.push(payload(name, "seed", null, text));
  }
  return { payloads: out, skipped };
}

// ---------------------------------------------------------------- measurement

export let sink; // results go here so no call is optimized away

/**
 * mitata's measure() with our time budget; returns nanoseconds per call:
 * median, quartiles, extremes and the iteration count.
 */
export async function timeIt(fn, { cpuTimeMs = 500 } = {}) {
  const wrapped = fn.constructor.name === "AsyncFunction" ? async () => (sink = await fn()) : () => (sink = fn());
  const s = await measure(wrapped, { min_cpu_time: cpuTimeMs * 1e6 });
  return { p50: s.p50, p25: s.p25, p75: s.p75, p99: s.p99, min: s.min, max: s.max, avg: s.avg, iterations: s.ticks };
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

export const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))];
};

export const geomean = (xs) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);

// ---------------------------------------------------------------- formatting

/** Nanoseconds as "812 ns", "12.3 µs", "4.56 ms". */
export function fmtNs(ns) {
  if (!Number.isFinite(ns)) return "–";
  if (ns < 1_000) return `${ns.toFixed(0)} ns`;
  if (ns < 1_000_000) return `${(ns / 1_000).toFixed(ns < 10_000 ? 2 : 1)} µs`;
  if (ns < 1e9) return `${(ns / 1e6).toFixed(ns < 1e7 ? 2 : 1)} ms`;
  return `${(ns / 1e9).toFixed(2)} s`;
}

export const fmtMs = (ms) => fmtNs(ms * 1e6);

/** Median with the interquartile spread: "12.3 µs ±2%". */
export function fmtStat(s) {
  if (!s) return "–";
  const spread = ((s.p75 - s.p25) / 2 / s.p50) * 100;
  return `${fmtNs(s.p50)} ±${spread < 10 ? spread.toFixed(1) : spread.toFixed(0)}%`;
}

export function fmtOps(ns) {
  if (!Number.isFinite(ns) || ns <= 0) return "–";
  const ops = 1e9 / ns;
  if (ops >= 1e6) return `${(ops / 1e6).toFixed(2)} M`;
  if (ops >= 1e3) return `${(ops / 1e3).toFixed(1)} k`;
  return ops.toFixed(0);
}

export const fmtRatio = (r) => (Number.isFinite(r) ? `${r.toFixed(2)}×` : "–");

export function fmtBytes(n) {
  if (!Number.isFinite(n)) return "–";
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${n.toLocaleString("en-US")} B (${(n / 1024).toFixed(1)} KiB)`;
  return `${(n / 1024 / 1024).toFixed(2)} MiB`;
}

/** A Markdown table: `header` is a list of column titles, `rows` lists of cells. Columns after the first are right-aligned. */
export function table(header, rows) {
  const esc = (c) => String(c ?? "–").replaceAll("|", "\\|").replaceAll("\n", " ");
  const lines = [
    `| ${header.map(esc).join(" | ")} |`,
    `| ${header.map((_, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(esc).join(" | ")} |`),
  ];
  return lines.join("\n");
}

/** "met" / "missed" with the measured value and the target. */
export function verdict(value, target, fmt = fmtRatio) {
  if (!Number.isFinite(value)) return `not measured (target ${fmt(target)})`;
  return value <= target ? `**met** (${fmt(value)} ≤ ${fmt(target)})` : `**missed** (${fmt(value)} > ${fmt(target)})`;
}
