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

function main() {
  const facts = cargoFacts();

  // 1. cargo, with the release profile of Cargo.toml. Its `strip = "debuginfo"`, not `true`:
  // that would also remove the target_features section that wasm-bindgen reads to pick its
  // glue (externref, multivalue); wasm-opt strips the rest at the end. A target dir of its
  // own keeps this build apart from other wasm builds (the bench's names-keeping one).
  run(S, "cargo", ["build", "--release", "--target", "wasm32-unknown-unknown", "--target-dir", "target/npm"]);
  const cargoWasm = at("target", "npm", "wasm32-unknown-unknown", "release", "orderhook.wasm");

  // 2 + 3. wasm-bindgen and wasm-opt, skipped when nothing they read changed.
  if (!existsSync(WASM_BINDGEN)) {
    console.error(`${S}: ${path.relative(root, WASM_BINDGEN)} is missing; run \`npm run setup\` first`);
    process.exit(1);
  }
  const key = createHash("sha256")
    .update(readFileSync(cargoWasm))
    .update(facts.wasmBindgen)
    .update(WASM_OPT_FLAGS.join(" "))
    .update(readFileSync(at("node_modules", "binaryen", "package.json")))
    .digest("hex");
  const stampFile = at("pkg", ".wasm-stamp");
  const wasmOut = at("pkg", "orderhook_bg.wasm");
  const glueOut = at("pkg", "orderhook.js");
  const fresh =
    existsSync(stampFile) && readFileSync(stampFile, "utf8").trim() === key && existsSync(wasmOut) && existsSync(glueOut);
  if (fresh) {
    say(S, "wasm unchanged since the last build: skipping wasm-bindgen and wasm-opt");
  } else {
    rmSync(pkg, { recursive: true, force: true });
    mkdirSync(pkg, { recursive: true });
    run(S, WASM_BINDGEN, [cargoWasm, "--out-dir", pkg, ...WASM_BINDGEN_FLAGS]);
    const raw = at("pkg", "orderhook_bg.wasm");
    const unopt = at("pkg", "orderhook_bg.unopt.wasm");
    copyFileSync(raw, unopt);
    run(S, process.execPath, [WASM_OPT, ...WASM_OPT_FLAGS, unopt, "-o", raw]);
    rmSync(unopt);
    writeFileSync(stampFile, key + "\n");
  }

  // 4. JS entries and hand-written declarations; the version comes from Cargo.toml.
  // Everything but the wasm-bindgen output is rewritten, so no stale file is published.
  for (const f of readdirSync(pkg)) {
    if (!["orderhook_bg.wasm", "orderhook.js", ".wasm-stamp"].includes(f)) rmSync(at("pkg", f), { recursive: true, force: true });
  }
  // The glue's fallback `new URL('orderhook_bg.wasm', import.meta.url)` goes: core.js always
  // names the source, and left in, bundlers would emit the .wasm (webpack, Vite) or warn
  // about import.meta (esbuild iife) even for the inline entry. The browser entry keeps its own.
  const glue = readFileSync(glueOut, "utf8");
  const fallback = "module_or_path = new URL('orderhook_bg.wasm', import.meta.url);";
  const patched = glue.replace(fallback, 'throw new Error("orderhook: no source for the .wasm");');
  if (/import\.meta/.test(patched)) {
    console.error(`${S}: pkg/orderhook.js still reads import.meta: wasm-bindgen's glue changed shape; update the patch in scripts/build.mjs`);
    process.exit(1);
  }
  if (patched !== glue) writeFileSync(glueOut, patched);
  for (const f of readdirSync(at("js"))) {
    if (!/\.(js|d\.ts)$/.test(f)) continue;
    let text = readFileSync(at("js", f), "utf8");
    if (f === "core.js") text = text.replace('"0.0.0-dev"', JSON.stringify(facts.version));
    writeFileSync(at("pkg", f), text);
  }
  // The inline entry's .wasm, as base64 text in a module of its own (no asset to copy).
  writeFileSync(
    at("pkg", "inline-wasm.js"),
    "// Generated by scripts/build.mjs: orderhook_bg.wasm as base64, for inline.js.\n" +
      `export const wasmBase64 = "${readFileSync(wasmOut).toString("base64")}";\n`,
  );
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
  const manifest = {
    name: "orderhook",
    version: facts.version,
    description: facts.description,
    license: "MIT",
    repository: facts.repository ? { type: "git", url: `git+${facts.repository}.git` } : undefined,
    keywords: ["webhook", "polar", "voucherify", "vrio", "orders", "validation", "wasm", "cloudflare-workers"],
    type: "module",
    exports: {
      ".": {
        workerd: entry("./workerd.js"),
        node: entry("./node.js"),
        browser: entry("./browser.js"),
        default: entry("./browser.js"),
      },
      "./inline": entry("./inline.js"),
      "./orderhook_bg.wasm": "./orderhook_bg.wasm",
      "./package.json": "./package.json",
    },
    types: "./index.d.ts",
    bin: { orderhook: "bin/orderhook.js" },
    files: ["orderhook_bg.wasm", "*.js", "*.d.ts", "bin/orderhook.js"],
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
  const wasm = readFileSync(wasmOut);
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  say(S, `pkg/orderhook_bg.wasm: ${wasm.length} bytes (${kib(wasm.length)}) raw, ${gzipSync(wasm, { level: 9 }).length} bytes (${kib(gzipSync(wasm, { level: 9 }).length)}) gzip -9`);
  say(S, `done: pkg/ is the npm package orderhook@${facts.version}`);
}

// Build only when run as a script (`node scripts/build.mjs`), not when imported.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) main();
