// The boundary experiment (issue 4 item 4) and the opt-level experiment, in
// scratch copies of the crate under the system temp dir; nothing in the
// repository is changed. Copies: `swb` = the crate plus serde-wasm-bindgen
// exports (object out) and split-timing exports; `opt-3` / `opt-s` = the crate
// unchanged, built with another release opt-level. Each is built with the same
// wasm-bindgen CLI and wasm-opt flags as scripts/build.mjs.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { WASM_BINDGEN, WASM_BINDGEN_FLAGS, WASM_OPT, WASM_OPT_FLAGS } from "../scripts/build.mjs";
import { root } from "./lib.mjs";

// One scratch directory per checkout, so benches of two worktrees do not build over each other.
export const SCRATCH = path.join(tmpdir(), `orderhook-bench-scratch-${createHash("sha256").update(root).digest("hex").slice(0, 8)}`);

const SWB_EXPORTS = `
// ---- bench/boundary.mjs scratch exports (never in the repository) ----

fn to_object<T: serde::Serialize>(v: &T) -> Result<JsValue, JsValue> {
    serde::Serialize::serialize(v, &serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| type_error(format!("orderhook: could not encode result: {e}")))
}

fn scratch_options(options_json: Option<String>, named_zone: &js_sys::Function) -> Result<NamedOptions, JsValue> {
    match options_json {
        None => Ok(NamedOptions::default()),
        Some(json) => NamedOptions::from_json(&json, |name| host_zone(named_zone, name)).map_err(misuse),
    }
}

/// Scratch: bytes in, JS object out through serde-wasm-bindgen (same arguments as parse).
#[wasm_bindgen(js_name = parseBytesObject)]
pub fn parse_bytes_object(body: &[u8], options_json: Option<String>, named_zone: &js_sys::Function) -> Result<JsValue, JsValue> {
    let named = scratch_options(options_json, named_zone)?;
    to_object(&crate::parse(body, &named.options).verdict())
}

/// Scratch: string in (wasm-bindgen's own string passing), JS object out through serde-wasm-bindgen.
#[wasm_bindgen(js_name = parseStringObject)]
pub fn parse_string_object(body: &str, options_json: Option<String>, named_zone: &js_sys::Function) -> Result<JsValue, JsValue> {
    parse_bytes_object(body.as_bytes(), options_json, named_zone)
}

/// Scratch: string in (wasm-bindgen's own string passing), JSON text out, as parse.
#[wasm_bindgen(js_name = parseStringText)]
pub fn parse_string_text(body: &str, options_json: Option<String>, named_zone: &js_sys::Function) -> Result<String, JsValue> {
    parse(body.as_bytes(), options_json, named_zone)
}

/// Scratch: the core alone (no result encoding), to split the time.
#[wasm_bindgen(js_name = parseOnly)]
pub fn parse_only(body: &[u8]) -> bool {
    crate::parse(body, &crate::Options::default()).event().is_some()
}

/// Scratch: the core plus the JSON text of the verdict as the parse export writes it,
/// kept in wasm (its length out).
#[wasm_bindgen(js_name = parseJsonLen)]
pub fn parse_json_len(body: &[u8], named_zone: &js_sys::Function) -> usize {
    parse(body, None, named_zone).map_or(0, |s| s.len())
}

/// Scratch: detect alone.
#[wasm_bindgen(js_name = detectOnly)]
pub fn detect_only(body: &[u8]) -> bool {
    crate::detect(body).is_some()
}
`;

function run(cmd, args, { env, cwd, log, timeoutMs = 15 * 60_000 } = {}) {
  log?.(`$ ${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, { cwd, env: { ...process.env, ...env }, encoding: "utf8", timeout: timeoutMs, maxBuffer: 64 << 20 });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(" ")} failed (${r.status ?? r.signal ?? r.error?.message}):\n${(r.stderr || "").slice(-3000)}`);
  }
  return r.stdout;
}

/** Refresh a scratch copy of the crate's sources (incremental builds keep their target dirs). */
function copyCrate(dir) {
  mkdirSync(dir, { recursive: true });
  for (const d of ["src", "benches", "examples"]) {
    rmSync(path.join(dir, d), { recursive: true, force: true });
    if (existsSync(path.join(root, d))) cpSync(path.join(root, d), path.join(dir, d), { recursive: true });
  }
  for (const f of ["Cargo.toml", "Cargo.lock"]) copyFileSync(path.join(root, f), path.join(dir, f));
}

/** Build one scratch crate to wasm, run wasm-bindgen and wasm-opt; returns the output dir. */
function buildVariant(name, { optLevel, swb, log }) {
  const crate = path.join(SCRATCH, `crate-${swb ? "swb" : "plain"}`);
  copyCrate(crate);
  if (swb) {
    const toml = path.join(crate, "Cargo.toml");
    const text = readFileSync(toml, "utf8");
    if (!/^js-sys = .*$/m.test(text)) throw new Error("Cargo.toml has no js-sys line to add serde-wasm-bindgen after");
    writeFileSync(toml, text.replace(/^js-sys = .*$/m, (line) => `${line}\nserde-wasm-bindgen = "0.6"`));
    const wasmRs = path.join(crate, "src", "wasm.rs");
    writeFileSync(wasmRs, readFileSync(wasmRs, "utf8") + SWB_EXPORTS);
  }
  const target = path.join(SCRATCH, `target-${name}`);
  const env = { CARGO_PROFILE_RELEASE_STRIP: "debuginfo" };
  if (optLevel) env.CARGO_PROFILE_RELEASE_OPT_LEVEL = optLevel;
  const t0 = Date.now();
  run("cargo", ["build", "--release", "--target", "wasm32-unknown-unknown", "--target-dir", target], { cwd: crate, env, log });
  const buildSeconds = (Date.now() - t0) / 1000;
  const out = path.join(SCRATCH, `pkg-${name}`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const cargoWasm = path.join(target, "wasm32-unknown-unknown", "release", "orderhook.wasm");
  run(WASM_BINDGEN, [cargoWasm, "--out-dir", out, ...WASM_BINDGEN_FLAGS], { log });
  const wasm = path.join(out, "orderhook_bg.wasm");
  const unopt = path.join(out, "orderhook_bg.unopt.wasm");
  copyFileSync(wasm, unopt);
  run(process.execPath, [WASM_OPT, ...WASM_OPT_FLAGS, unopt, "-o", wasm], { log });
  rmSync(unopt);
  // The package's JS layer, so `node.js` is the public API on this build.
  for (const f of ["core.js", "node.js"]) copyFileSync(path.join(root, "js", f), path.join(out, f));
  return { dir: out, buildSeconds };
}

/** Builds every scratch variant: `{ swb, "swb-z", "opt-3", "opt-z" }` → `{ dir, buildSeconds }`.
 * `swb` uses the shipped profile (Cargo.toml's opt-level "s"). */
export function buildVariants({ log }) {
  mkdirSync(SCRATCH, { recursive: true });
  return {
    swb: buildVariant("swb", { swb: true, log }),
    "swb-z": buildVariant("swb-z", { swb: true, optLevel: "z", log }),
    "opt-3": buildVariant("opt-3", { optLevel: "3", log }),
    "opt-z": buildVariant("opt-z", { optLevel: "z", log }),
  };
}
