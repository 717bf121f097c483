#!/usr/bin/env node
// `npm run build`: Rust → wasm → pkg/, the npm package `orderhook`.
//   cargo build --release --target wasm32-unknown-unknown
//   → wasm-bindgen --target web (initSync + async init) into pkg/
//   → wasm-opt -Oz (npm binaryen)
//   → JS entries + .d.ts from js/, the inline entry's base64 .wasm (inline-wasm.js), model types from `cargo run --features ts --example gen_types`,
//     bin/orderhook.js, README.md, LICENSE, pkg/package.json
//   → node_modules/orderhook → ../pkg, so tests and the demo import "orderhook" as users do.
// Steps whose inputs did not change are skipped (cargo is incremental; wasm-bindgen
// and wasm-opt are keyed on the hash of cargo's output). Any failed step fails the build,
// type generation included.
//
// Importing this module builds nothing: it exports the wasm tools and flags, for the bench
// (bench/boundary.mjs and the size section of bench/run.mjs build variants the same way).
import { NODE_FLOOR } from "./node.mjs"; // first: re-runs this script on a maintained Node when the machine's is older
import { createHash } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { cargoFacts, root, run, say } from "./lib.mjs";

const S = "build";
const at = (...p) => path.join(root, ...p);
const pkg = at("pkg");

/** The wasm-bindgen CLI, at exactly the crate's `wasm-bindgen` version (scripts/setup.mjs installs it). */
export const WASM_BINDGEN = at(".tools", "bin", "wasm-bindgen");
/** wasm-opt of the npm package binaryen (a Node script). */
export const WASM_OPT = at("node_modules", "binaryen", "bin", "wasm-opt");
/** The wasm features the rustc output uses: wasm-opt must allow them. */
export const WASM_FEATURES = [
  "--enable-bulk-memory",
  "--enable-nontrapping-float-to-int",
  "--enable-sign-ext",
  "--enable-mutable-globals",
  "--enable-reference-types",
  "--enable-multivalue",
];
/**
 * wasm-opt for pkg/orderhook_bg.wasm: size first, then strip what the package does not
 * need. wasm-opt also reads the target_features section, so it is stripped only here.
 */
export const WASM_OPT_FLAGS = ["-Oz", ...WASM_FEATURES, "--strip-debug", "--strip-producers", "--strip-target-features"];
/** wasm-bindgen arguments after the input .wasm and `--out-dir <dir>`. */
export const WASM_BINDGEN_FLAGS = ["--out-name", "orderhook", "--target", "web", "--no-typescript"];

/**
 * cargo's .wasm for one set of features (the default set when `features` is empty), in
 * target/npm: a target dir of its own keeps this build apart from other wasm builds (the
 * bench's names-keeping one). Each feature set has its own artifact in cargo's deps/, so
 * switching sets rebuilds only what changed; the path comes from cargo's own report.
 */
function cargoWasm(features) {
  const args = ["build", "--release", "--target", "wasm32-unknown-unknown", "--target-dir", "target/npm"];
  if (features) args.push("--no-default-features", "--features", features);
  say(S, `$ cargo ${args.join(" ")}`);
  const r = spawnSync("cargo", [...args, "--message-format=json-render-diagnostics"], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 << 20,
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (r.status !== 0) {
    console.error(`${S}: cargo build failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`})`);
    process.exit(1);
  }
  for (const line of r.stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    const m = JSON.parse(line);
    if (m.reason === "compiler-artifact" && m.target?.name === "orderhook") {
      const wasm = m.filenames.find((f) => f.endsWith(".wasm"));
      // Copied at once: the next feature set's build writes the same path.
      if (wasm) return readFileSync(wasm);
    }
  }
  console.error(`${S}: cargo reported no orderhook .wasm`);
  process.exit(1);
}

/**
 * wasm-bindgen and wasm-opt of one cargo .wasm into `dir` (orderhook_bg.wasm and the glue,
 * orderhook.js), skipped when nothing they read changed since the last build of that entry.
 */
function bindAndOptimize(wasmBytes, dir, facts) {
  const key = createHash("sha256")
    .update(wasmBytes)
    .update(facts.wasmBindgen)
    .update(WASM_OPT_FLAGS.join(" "))
    .update(readFileSync(at("node_modules", "binaryen", "package.json")))
    .digest("hex");
  const stampFile = path.join(dir, ".wasm-stamp");
  const wasmOut = path.join(dir, "orderhook_bg.wasm");
  const glueOut = path.join(dir, "orderhook.js");
  const fresh =
    existsSync(stampFile) && readFileSync(stampFile, "utf8").trim() === key && existsSync(wasmOut) && existsSync(glueOut);
  const where = path.relative(root, dir);
  if (fresh) return say(S, `${where}: wasm unchanged since the last build: skipping wasm-bindgen and wasm-opt`);
  mkdirSync(dir, { recursive: true });
  rmSync(stampFile, { force: true });
  const input = path.join(dir, "cargo.wasm");
  writeFileSync(input, wasmBytes);
  run(S, WASM_BINDGEN, [input, "--out-dir", dir, ...WASM_BINDGEN_FLAGS]);
  rmSync(input);
  const unopt = path.join(dir, "orderhook_bg.unopt.wasm");
  copyFileSync(wasmOut, unopt);
  run(S, process.execPath, [WASM_OPT, ...WASM_OPT_FLAGS, unopt, "-o", wasmOut]);
  rmSync(unopt);
  writeFileSync(stampFile, key + "\n");
}

/**
 * The JS of one entry directory beside its .wasm and glue: core.js (the API, one copy per
 * .wasm, since it holds that instance), the runtime entries and the inline entry's base64
 * .wasm. Everything else in `dir` goes, so no stale file is published.
 */
function writeEntryJs(dir, facts, keep = []) {
  for (const f of readdirSync(dir)) {
    if (!["orderhook_bg.wasm", "orderhook.js", ".wasm-stamp", ...keep].includes(f)) rmSync(path.join(dir, f), { recursive: true, force: true });
  }
  // The glue's fallback `new URL('orderhook_bg.wasm', import.meta.url)` goes: core.js always
  // names the source, and left in, bundlers would emit the .wasm (webpack, Vite) or warn
  // about import.meta (esbuild iife) even for the inline entry. The browser entry keeps its own.
  const glueOut = path.join(dir, "orderhook.js");
  const glue = readFileSync(glueOut, "utf8");
  const fallback = "module_or_path = new URL('orderhook_bg.wasm', import.meta.url);";
  const patched = glue.replace(fallback, 'throw new Error("orderhook: no source for the .wasm");');
  if (/import\.meta/.test(patched)) {
    console.error(`${S}: ${path.relative(root, glueOut)} still reads import.meta: wasm-bindgen's glue changed shape; update the patch in scripts/build.mjs`);
    process.exit(1);
  }
  if (patched !== glue) writeFileSync(glueOut, patched);
  for (const f of readdirSync(at("js"))) {
    if (!/\.js$/.test(f)) continue;
    let text = readFileSync(at("js", f), "utf8");
    if (f === "core.js") text = text.replace('"0.0.0-dev"', JSON.stringify(facts.version));
    writeFileSync(path.join(dir, f), text);
  }
  // The inline entry's .wasm, as base64 text in a module of its own (no asset to copy).
  writeFileSync(
    path.join(dir, "inline-wasm.js"),
    "// Generated by scripts/build.mjs: orderhook_bg.wasm as base64, for inline.js.\n" +
      `export const wasmBase64 = "${readFileSync(path.join(dir, "orderhook_bg.wasm")).toString("base64")}";\n`,
  );
}

function main() {
  const facts = cargoFacts();
  if (!existsSync(WASM_BINDGEN)) {
    console.error(`${S}: ${path.relative(root, WASM_BINDGEN)} is missing; run \`npm run setup\` first`);
    process.exit(1);
  }

  // 1–3. cargo (the release profile of Cargo.toml: its `strip = "debuginfo"`, not `true`,
  // which would also remove the target_features section that wasm-bindgen reads to pick
  // its glue; wasm-opt strips the rest), wasm-bindgen, wasm-opt: once for the `orderhook`
  // entry with every provider, then once per provider for `orderhook/<provider>`.
  mkdirSync(pkg, { recursive: true });
  bindAndOptimize(cargoWasm(null), pkg, facts);
  for (const provider of facts.providers) bindAndOptimize(cargoWasm(provider), at("pkg", provider), facts);

  // 4. JS entries and hand-written declarations; the version comes from Cargo.toml.
  writeEntryJs(pkg, facts, facts.providers);
  for (const provider of facts.providers) writeEntryJs(at("pkg", provider), facts);
  for (const f of readdirSync(at("js"))) {
    if (f.endsWith(".d.ts")) copyFileSync(at("js", f), at("pkg", f));
  }
  mkdirSync(at("pkg", "bin"), { recursive: true });
  copyFileSync(at("bin", "orderhook.js"), at("pkg", "bin", "orderhook.js"));
  chmodSync(at("pkg", "bin", "orderhook.js"), 0o755);

  // 5. Model types generated from the Rust types.
  say(S, "$ cargo run --quiet --features ts --example gen_types > pkg/types.d.ts");
  const gen = spawnSync("cargo", ["run", "--quiet", "--features", "ts", "--example", "gen_types"], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (gen.status !== 0 || !/export type OrderEvent\b/.test(gen.stdout)) {
    const why = gen.error ? gen.error.message : gen.status !== 0 ? `exit ${gen.status ?? gen.signal}` : "no `export type OrderEvent` in its output";
    console.error(`${S}: could not generate the model types (gen_types: ${why}); the package would ship without pkg/types.d.ts`);
    process.exit(1);
  }
  writeFileSync(at("pkg", "types.d.ts"), gen.stdout);

  // The sample list for the preview page on a plain static server (not in the package's files).
  const samples = readdirSync(at("examples", "samples")).filter((f) => f.endsWith(".json") && f !== "index.json").sort();
  writeFileSync(at("pkg", "samples.json"), JSON.stringify(samples) + "\n");

  // 6. README, LICENSE, package.json.
  for (const f of ["README.md", "LICENSE"]) {
    if (existsSync(at(f))) copyFileSync(at(f), at("pkg", f));
    else console.warn(`${S}: WARNING: ${f} is missing at the repository root`);
  }
  // One set of declarations for every condition: each entry exports the same names.
  const entry = (file) => ({ types: "./index.d.ts", default: file });
  const runtimes = (dir) => ({
    workerd: entry(`${dir}/workerd.js`),
    node: entry(`${dir}/node.js`),
    browser: entry(`${dir}/browser.js`),
    default: entry(`${dir}/browser.js`),
  });
  // `orderhook/<provider>` and `orderhook/<provider>/inline`: the same API over a .wasm
  // with that provider's code only, for a receiver of one platform's webhooks.
  const perProvider = {};
  for (const p of facts.providers) {
    perProvider[`./${p}`] = runtimes(`./${p}`);
    perProvider[`./${p}/inline`] = entry(`./${p}/inline.js`);
    perProvider[`./${p}/orderhook_bg.wasm`] = `./${p}/orderhook_bg.wasm`;
  }
  const manifest = {
    name: "orderhook",
    version: facts.version,
    description: facts.description,
    license: "MIT",
    repository: facts.repository ? { type: "git", url: `git+${facts.repository}.git` } : undefined,
    keywords: ["webhook", "orders", ...facts.providers.map((p) => p.replace("_", "")), "validation", "wasm", "cloudflare-workers"],
    type: "module",
    exports: {
      ".": runtimes("."),
      "./inline": entry("./inline.js"),
      "./orderhook_bg.wasm": "./orderhook_bg.wasm",
      ...perProvider,
      "./package.json": "./package.json",
    },
    types: "./index.d.ts",
    bin: { orderhook: "bin/orderhook.js" },
    files: ["orderhook_bg.wasm", "*.js", "*.d.ts", "bin/orderhook.js", ...facts.providers.flatMap((p) => [`${p}/orderhook_bg.wasm`, `${p}/*.js`])],
    // The oldest Node the toolchain test runs the package on; require("orderhook") works there (require(esm)).
    engines: { node: `>=${NODE_FLOOR}` },
  };
  writeFileSync(at("pkg", "package.json"), JSON.stringify(manifest, null, 2) + "\n");

  // 7. node_modules/orderhook → ../pkg.
  mkdirSync(at("node_modules"), { recursive: true });
  const link = at("node_modules", "orderhook");
  let linked = false;
  try {
    linked = lstatSync(link).isSymbolicLink();
    if (!linked) rmSync(link, { recursive: true, force: true });
  } catch {}
  if (!linked) {
    symlinkSync(path.join("..", "pkg"), link, "dir");
    say(S, "linked node_modules/orderhook -> ../pkg");
  }
  // And its command, as npm would install it, so `npx orderhook` runs this build.
  mkdirSync(at("node_modules", ".bin"), { recursive: true });
  const binLink = at("node_modules", ".bin", "orderhook");
  rmSync(binLink, { force: true });
  symlinkSync(path.join("..", "orderhook", "bin", "orderhook.js"), binLink);

  // 8. Sizes.
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  for (const dir of ["", ...facts.providers]) {
    const file = path.join("pkg", dir, "orderhook_bg.wasm");
    const wasm = readFileSync(at(file));
    const gz = gzipSync(wasm, { level: 9 }).length;
    say(S, `${file}: ${wasm.length} bytes (${kib(wasm.length)}) raw, ${gz} bytes (${kib(gz)}) gzip -9`);
  }
  say(S, `done: pkg/ is the npm package orderhook@${facts.version}`);
}

// Build only when run as a script (`node scripts/build.mjs`), not when imported.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) main();
