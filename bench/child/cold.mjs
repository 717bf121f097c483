// One cold start, in a fresh process: `node bench/child/cold.mjs MODE FILE`.
// Prints one JSON line of phase times in ms, measured from the top of this
// module (after Node's own bootstrap) with dynamic imports, so loading the
// library is inside the measurement. bench/run.mjs also times the whole process.
// For the SDK modes the signed headers and secret come in ORDERHOOK_BENCH_HEADERS
// and ORDERHOOK_BENCH_SECRET.
const t0 = performance.now();
const { readFileSync } = await import("node:fs");
const [mode, file] = process.argv.slice(2);
const text = file ? readFileSync(file, "utf8") : "";
const headers = JSON.parse(process.env.ORDERHOOK_BENCH_HEADERS ?? "{}");
const secret = process.env.ORDERHOOK_BENCH_SECRET ?? "";
const t1 = performance.now(); // payload read
const out = { mode };
const check = (cond, what) => {
  if (!cond) throw new Error(`cold start ${mode}: ${what}`);
};

// Import one entry, then parse once: the package's own entry, the per-provider entry a
// Polar-only receiver imports (Polar's code only), and the inline entry (the .wasm decoded
// from base64 inside the JS instead of read from a file).
const PARSE_ENTRIES = {
  "orderhook-parse": "orderhook",
  "orderhook-polar-parse": "orderhook/polar",
  "orderhook-inline-parse": "orderhook/inline",
};

if (mode === "noop") {
  // Process overhead only.
} else if (mode in PARSE_ENTRIES) {
  const { parse } = await import(PARSE_ENTRIES[mode]);
  const t2 = performance.now();
  const r = parse(text);
  const t3 = performance.now();
  check(r.ok === true, JSON.stringify(r.errors));
  Object.assign(out, { import_ms: t2 - t1, first_ms: t3 - t2, total_ms: t3 - t1 });
} else if (mode === "orderhook-verify-parse") {
  const { parse, verify } = await import("orderhook");
  const t2 = performance.now();
  const v = verify("polar", text, headers, secret);
  const r = parse(text);
  const t3 = performance.now();
  check(v.ok === true, JSON.stringify(v));
  check(r.ok === true, JSON.stringify(r.errors));
  Object.assign(out, { import_ms: t2 - t1, first_ms: t3 - t2, total_ms: t3 - t1 });
} else if (mode === "polar049") {
  const { validateEvent } = await import("polar-sdk-049/webhooks");
  const t2 = performance.now();
  const e = validateEvent(text, headers, secret);
  const t3 = performance.now();
  check(e.data?.id === JSON.parse(text).data.id, "validateEvent returned no event");
  Object.assign(out, { import_ms: t2 - t1, first_ms: t3 - t2, total_ms: t3 - t1 });
} else if (mode === "polar101") {
  const { webhooks } = await import("polar-sdk-101/2026-10");
  const t2 = performance.now();
  const e = await webhooks.validateEvent(text, headers, secret);
  const t3 = performance.now();
  check(e.data?.id === JSON.parse(text).data.id, "validateEvent returned no event");
  Object.assign(out, { import_ms: t2 - t1, first_ms: t3 - t2, total_ms: t3 - t1 });
} else if (mode === "instantiate" || mode === "instantiate-polar") {
  // The phases of the package's Node entry, one by one: JS glue, read, compile, instantiate, first parse.
  // ORDERHOOK_BENCH_PKG: another build's directory (bench/boundary.mjs variants).
  const { pathToFileURL } = await import("node:url");
  // instantiate-polar: the same phases for the orderhook/polar entry's .wasm.
  const pkg = process.env.ORDERHOOK_BENCH_PKG
    ? pathToFileURL(process.env.ORDERHOOK_BENCH_PKG.replace(/\/?$/, "/"))
    : new URL(mode === "instantiate-polar" ? "../../pkg/polar/" : "../../pkg/", import.meta.url);
  const glue = await import(new URL("orderhook.js", pkg));
  const t2 = performance.now();
  const bytes = readFileSync(new URL("orderhook_bg.wasm", pkg));
  const t3 = performance.now();
  const module = new WebAssembly.Module(bytes);
  const t4 = performance.now();
  glue.initSync({ module });
  const t5 = performance.now();
  // As the package's parse() calls it: UTF-8 bytes, the options as JSON, the zone callback
  // (not called here: no timeZone option).
  const zone = () => {
    throw new Error("no time zone was asked for");
  };
  const first = () => JSON.parse(glue.parse(new TextEncoder().encode(text), JSON.stringify({ maxBytes: 1 << 20 }), zone));
  const r = first();
  const t6 = performance.now();
  const r2 = first();
  const t7 = performance.now();
  check(r.ok === true && r2.ok === true, "parse failed");
  Object.assign(out, {
    glue_ms: t2 - t1,
    read_ms: t3 - t2,
    compile_ms: t4 - t3,
    instantiate_ms: t5 - t4,
    first_ms: t6 - t5,
    second_ms: t7 - t6,
    total_ms: t6 - t1,
  });
} else {
  throw new Error(`unknown mode ${mode}`);
}
out.since_start_ms = performance.now() - t0;
process.stdout.write(JSON.stringify(out) + "\n");
