// `node --expose-gc bench/child/boundary.mjs MODE DIR CPU_MS NAME...`: measures
// one scratch build of the crate (made by bench/boundary.mjs) on the named
// payloads and prints one JSON line.
//   MODE "paths": DIR holds the wasm-bindgen output of the scratch crate with
//     the serde-wasm-bindgen exports; times every way across the boundary.
//   MODE "e2e": DIR is a package directory (glue + core.js + node.js); times the
//     public parse() with string and bytes input.
// Every path's result is checked against the current JSON-text path first.
import { isDeepStrictEqual } from "node:util";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { readFileSync } from "node:fs";
import { loadPayloads, timeIt } from "../lib.mjs";

const [mode, dir, cpuMs, ...names] = process.argv.slice(2);
const cpuTimeMs = Number(cpuMs);
const { payloads } = loadPayloads();
const chosen = names.map((n) => {
  const p = payloads.find((x) => x.name === n);
  if (!p) throw new Error(`no payload ${n}`);
  return p;
});
const url = (f) => pathToFileURL(path.join(dir, f)).href;
const out = { mode, payloads: [] };

if (mode === "e2e") {
  const { parse } = await import(url("node.js"));
  const decoder = new TextDecoder();
  for (const p of chosen) {
    if (!parse(p.text).ok || !parse(p.bytes).ok) throw new Error(`${dir}: ${p.name} does not parse`);
    out.payloads.push({
      name: p.name,
      json: await timeIt(() => JSON.parse(p.text), { cpuTimeMs }),
      string: await timeIt(() => parse(p.text), { cpuTimeMs }),
      jsonBytes: await timeIt(() => JSON.parse(decoder.decode(p.bytes)), { cpuTimeMs }),
      bytes: await timeIt(() => parse(p.bytes), { cpuTimeMs }),
    });
  }
} else if (mode === "paths") {
  const glue = await import(url("orderhook.js"));
  const wasm = glue.initSync({ module: readFileSync(path.join(dir, "orderhook_bg.wasm")) });
  const encoder = new TextEncoder();
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  const mem = () => new Uint8Array(wasm.memory.buffer);

  // The string written straight into wasm memory with TextEncoder.encodeInto
  // (one malloc of 3 bytes per UTF-16 unit, shrunk to fit), then the raw
  // parseBytes export; the result read back as wasm-bindgen's glue does.
  const passEncodeInto = (s) => {
    const cap = s.length * 3;
    let ptr = wasm.__wbindgen_malloc(cap, 1) >>> 0;
    const { written } = encoder.encodeInto(s, mem().subarray(ptr, ptr + cap));
    ptr = wasm.__wbindgen_realloc(ptr, cap, written, 1) >>> 0;
    return [ptr, written];
  };
  // The zone callback the package passes (never called here: no timeZone option).
  const zone = () => {
    throw new Error("no time zone was asked for");
  };
  const rawJson = (ptr, len) => {
    const ret = wasm.parse(ptr, len, 0, 0, zone);
    if (ret[3]) throw wasm.__wbindgen_externrefs.get(ret[2]);
    try {
      return decoder.decode(mem().subarray(ret[0] >>> 0, (ret[0] >>> 0) + ret[1]));
    } finally {
      wasm.__wbindgen_free(ret[0], ret[1], 1);
    }
  };
  const rawObject = (ptr, len) => {
    const ret = wasm.parseBytesObject(ptr, len, 0, 0, zone);
    if (ret[2]) throw wasm.__wbindgen_externrefs.get(ret[1]);
    const value = wasm.__wbindgen_externrefs.get(ret[0]);
    wasm.__externref_table_dealloc(ret[0]);
    return value;
  };
  // The package's public API on this build (core.js + node.js copied beside the glue).
  const api = await import(url("node.js"));
  const paths = {
    "string → encodeInto a scratch buffer → bytes in → JSON text → JSON.parse  [current parse(string)]": (p) => api.parse(p.text),
    "bytes in (wasm-bindgen passArray8ToWasm) → JSON text → JSON.parse  [current parse(bytes)]": (p) => api.parse(p.bytes),
    "string in (wasm-bindgen passStringToWasm) → JSON text → JSON.parse": (p) =>
      JSON.parse(glue.parseStringText(p.text, undefined, zone)),
    "string → TextEncoder.encode → bytes in → JSON text → JSON.parse": (p) =>
      JSON.parse(glue.parse(encoder.encode(p.text), undefined, zone)),
    "string → encodeInto wasm memory → JSON text → JSON.parse": (p) => JSON.parse(rawJson(...passEncodeInto(p.text))),
    "string in → serde-wasm-bindgen object": (p) => glue.parseStringObject(p.text, undefined, zone),
    "bytes in → serde-wasm-bindgen object": (p) => glue.parseBytesObject(p.bytes, undefined, zone),
    "string → encodeInto wasm memory → serde-wasm-bindgen object": (p) => rawObject(...passEncodeInto(p.text)),
  };
  // wasm-bindgen 0.2's passStringToWasm0, copied from its generated glue: an
  // ASCII loop of charCodeAt stores, then encodeInto for the rest.
  const passStringWasmBindgen = (arg) => {
    let len = arg.length;
    let ptr = wasm.__wbindgen_malloc(len, 1) >>> 0;
    const m = mem();
    let offset = 0;
    for (; offset < len; offset++) {
      const code = arg.charCodeAt(offset);
      if (code > 0x7f) break;
      m[ptr + offset] = code;
    }
    if (offset !== len) {
      if (offset !== 0) arg = arg.slice(offset);
      ptr = wasm.__wbindgen_realloc(ptr, len, (len = offset + arg.length * 3), 1) >>> 0;
      const ret = encoder.encodeInto(arg, mem().subarray(ptr + offset, ptr + len));
      offset += ret.written;
      ptr = wasm.__wbindgen_realloc(ptr, len, offset, 1) >>> 0;
    }
    return [ptr, offset];
  };
  const passBytes = (bytes) => {
    const ptr = wasm.__wbindgen_malloc(bytes.length, 1) >>> 0;
    mem().set(bytes, ptr);
    return [ptr, bytes.length];
  };
  const free = ([ptr, len]) => wasm.__wbindgen_free(ptr, len, 1);
  const parts = {
    "input only: string → wasm memory, wasm-bindgen's charCodeAt loop (+ free)": (p) => free(passStringWasmBindgen(p.text)),
    "input only: string → wasm memory, TextEncoder.encodeInto (+ free)": (p) => free(passEncodeInto(p.text)),
    "input only: bytes → wasm memory, malloc + set (+ free)": (p) => free(passBytes(p.bytes)),
    "output only: TextDecoder.decode of the result text": (p) => decoder.decode(p.resultBytes),
    "core only: bytes in, parse, no result (parseOnly)": (p) => glue.parseOnly(p.bytes),
    "core + the JSON text of the verdict, kept in wasm (parseJsonLen)": (p) => glue.parseJsonLen(p.bytes, zone),
    "detect only: bytes in (detectOnly)": (p) => glue.detectOnly(p.bytes),
    "JSON.parse of the result text alone": (p) => JSON.parse(p.resultText),
    "JSON.parse(body), the floor": (p) => JSON.parse(p.text),
  };
  for (const p of chosen) {
    p.resultText = glue.parse(p.bytes, undefined, zone);
    p.resultBytes = encoder.encode(p.resultText);
    const reference = JSON.parse(p.resultText);
    if (reference.ok !== true) throw new Error(`${p.name}: ${p.resultText}`);
    const row = { name: p.name, bytes: p.bytes.length, resultBytes: p.resultBytes.length, paths: {}, parts: {} };
    for (const [name, fn] of Object.entries(paths)) {
      const r = fn(p);
      // serde-wasm-bindgen cannot carry serde_json's RawValue (metadata): compare the rest, and say so.
      const same = isDeepStrictEqual(r, reference);
      const sameButMetadata =
        same || isDeepStrictEqual({ ...r, event: { ...r.event, order: { ...r.event.order, metadata: null } } }, { ...reference, event: { ...reference.event, order: { ...reference.event.order, metadata: null } } });
      if (!sameButMetadata) throw new Error(`${p.name}: "${name}" gives another result: ${JSON.stringify(r).slice(0, 400)}`);
      row.paths[name] = { ...(await timeIt(() => fn(p), { cpuTimeMs })), same, metadata: same ? "same" : JSON.stringify(r.event.order.metadata)?.slice(0, 80) };
    }
    for (const [name, fn] of Object.entries(parts)) row.parts[name] = await timeIt(() => fn(p), { cpuTimeMs });
    out.payloads.push(row);
  }
} else {
  throw new Error(`unknown mode ${mode}`);
}
process.stdout.write(JSON.stringify(out) + "\n");
