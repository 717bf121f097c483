// Seeded mutations of webhook bodies for the wasm stress run: byte-level damage,
// JSON-aware type swaps, key drops and duplicates, huge and odd numbers, deep
// nesting, long strings and invalid UTF-8. Deterministic for a given seed.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { firstJsonObject } from "../../scripts/lib.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The bundled samples and our fixtures (a document-page fixture, *.txt, as the JSON it holds). */
export function corpus() {
  const out = [];
  for (const dir of ["examples/samples", "tests/fixtures"]) {
    const at = path.join(root, dir);
    for (const f of readdirSync(at).filter((f) => f.endsWith(".json") || f.endsWith(".txt")).sort()) {
      const t = readFileSync(path.join(at, f), "utf8");
      const json = f.endsWith(".json") ? t : firstJsonObject(t);
      if (json !== null) out.push(json);
    }
  }
  return out;
}

/** xorshift32: small, fast, deterministic. */
export function rng(seed) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
  return { int: (n) => next() % n, pick: (a) => a[next() % a.length] };
}

const ODD_VALUES = [
  null, true, false, 0, -1, 1.5, -0.000001, 1e300, "1e400", "9".repeat(400), "", "---", "0000-00-00 00:00:00",
  "2024-02-30 10:00:00", "2024-01-01T24:00:00Z", "2024-01-01T00:00:00+0200", "10.005", "-5", "\u0000", "\ud800",
  "x".repeat(10_000), [], {}, [1, "a", null], { nested: { deeper: [{}] } },
];

function mutateValue(v, r, depth = 0) {
  if (Array.isArray(v)) {
    if (v.length && r.int(3) === 0) return v.map((x) => mutateValue(x, r, depth + 1));
    if (r.int(4) === 0) return [...v, ...v];
    return v.length ? v.map((x, i) => (i === r.int(v.length) ? mutateValue(x, r, depth + 1) : x)) : [r.pick(ODD_VALUES)];
  }
  if (v && typeof v === "object") {
    const keys = Object.keys(v);
    const out = { ...v };
    if (!keys.length) return { k: r.pick(ODD_VALUES) };
    const k = r.pick(keys);
    switch (r.int(4)) {
      case 0: delete out[k]; break;
      case 1: out[k] = r.pick(ODD_VALUES); break;
      default: out[k] = mutateValue(v[k], r, depth + 1);
    }
    return out;
  }
  return r.int(3) === 0 ? mutateValue(r.pick(ODD_VALUES), r, depth + 1) : r.pick(ODD_VALUES);
}

const enc = new TextEncoder();

/** One mutated body (string or bytes) derived from `base`. */
export function mutate(base, r) {
  switch (r.int(10)) {
    case 0: { // truncate
      return base.slice(0, r.int(base.length + 1));
    }
    case 1: { // flip bytes
      const b = enc.encode(base);
      for (let n = 1 + r.int(8); n > 0; n--) b[r.int(b.length)] = r.int(256);
      return b;
    }
    case 2: { // duplicate a key textually
      const m = base.match(/"([a-z_]+)":\s*("[^"]*"|-?\d+)/);
      return m ? base.replace(m[0], `${m[0]}, "${m[1]}": ${m[2]}`) : base;
    }
    case 3: { // deep nesting where a value belongs
      const d = 1 + r.int(20_000);
      return base.replace(/:\s*("[^"]*"|\d+)/, `: ${"[".repeat(d)}${"]".repeat(d)}`);
    }
    case 4: { // invalid UTF-8 inside a string
      const b = enc.encode(base);
      const i = base.indexOf('"', r.int(base.length));
      if (i >= 0) b[Math.min(b.length - 1, enc.encode(base.slice(0, i + 1)).length)] = 0xff;
      return b;
    }
    case 5: // byte order mark
      return `\ufeff${base}`;
    default: { // JSON-aware mutations, several at once
      let v;
      try {
        v = JSON.parse(base);
      } catch {
        return base;
      }
      for (let n = 1 + r.int(4); n > 0; n--) v = mutateValue(v, r);
      return JSON.stringify(v);
    }
  }
}
