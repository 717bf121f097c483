// The boundary experiment (issue 4 item 4) and the opt-level experiment, in
// scratch copies of the crate under the system temp dir; nothing in the
// repository is changed. Copies: `swb` = the crate plus serde-wasm-bindgen
// exports (object out) and split-timing exports; `opt-3` / `opt-s` = the crate
// unchanged, built with another release opt-level. Each is built with the same
// wasm-bindgen CLI and wasm-opt flags as scripts/build.mjs.
import { spawnSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { WASM_BINDGEN, WASM_BINDGEN_FLAGS, WASM_OPT, WASM_OPT_FLAGS } from "../scripts/build.mjs";
import { root } from "./lib.mjs";

export const SCRATCH = path.join(tmpdir(), "orderhook-bench-scratch");

const SWB_EXPORTS = `
// ---- bench/boundary.mjs scratch exports (never in the repository) ----

fn to_object<T: serde::Serialize>(v: &T) -> Result<JsValue, JsValue> {
    serde::Serialize::serialize(v, &serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| type_error(format!("orderhook: could not encode result: {e}")))
}

/// Scratch: bytes in, JS object out through serde-wasm-bindgen.
#[wasm_bindgen(js_name = parseBytesObject)]
#[allow(clippy::too_many_arguments)]
pub fn parse_bytes_object(
    body: &[u8],
    provider_name: Option<String>,
    time_zone_name: Option<String>,
    zone_offset_at: Option<js_sys::Function>,
    currency: Option<String>,
    max_bytes: Option<f64>,
    strict: bool,
    include_source: bool,
) -> Result<JsValue, JsValue> {
    let opts = options(provider_name, time_zone_name, zone_offset_at, currency, max_bytes, strict)?;
    to_object(&crate::parse(body, &opts).verdict(include_source))
}

/// Scratch: string in, JS object out through serde-wasm-bindgen.
#[wasm_bindgen(js_name = parseStringObject)]
#[allow(clippy::too_many_arguments)]
pub fn parse_string_object(
    body: &str,
    provider_name: Option<String>,
    time_zone_name: Option<String>,
    zone_offset_at: Option<js_sys::Function>,
    currency: Option<String>,
    max_bytes: Option<f64>,
    strict: bool,
    include_source: bool,
) -> Result<JsValue, JsValue> {
    parse_bytes_object(body.as_bytes(), provider_name, time_zone_name, zone_offset_at, currency, max_bytes, strict, include_source)
}

/// Scratch: the core alone (no result encoding), to split the time.
#[wasm_bindgen(js_name = parseOnly)]
pub fn parse_only(body: &[u8]) -> bool {
    crate::parse(body, &Options::default()).event.is_some()
}

/// Scratch: the core plus the JSON text of the verdict, kept in wasm (its length out).
#[wasm_bindgen(js_name = parseJsonLen)]
pub fn parse_json_len(body: &[u8]) -> usize {
    serde_json::to_string(&crate::parse(body, &Options::default()).verdict(false)).map_or(0, |s| s.len())
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
