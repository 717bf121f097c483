#!/usr/bin/env node
// Idempotent setup: installs only what is missing and says what it does.
//   0. a maintained Node (scripts/node.mjs: Node 24 LTS from the npm registry into .tools/ when the
//      machine's is older than 22; this script then runs on it), and the oldest Node the package
//      admits (`engines`), for the toolchain test
//   1. npm dependencies (npm ci from package-lock.json) when node_modules is missing or stale
//   2. the wasm32-unknown-unknown Rust target
//   3. wasm-bindgen-cli, at exactly the version Cargo.toml pins, into .tools/
//   4. wasm-opt, from the `binaryen` npm devDependency (no system binary)
//   5. Debian's chromium for the browser test (tests/browser), with apt-get, only when
//      /usr/bin/chromium is missing and we are root; otherwise that test is skipped
// Everything comes from the npm registry, crates.io or rustup; nothing else is downloaded.
import { NODE_FLOOR, installNode } from "./node.mjs"; // first: re-runs this script on a maintained Node when the machine's is older
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { capture, cargoFacts, root, run, say } from "./lib.mjs";

const S = "setup";
const at = (...p) => path.join(root, ...p);

// 0. Node: this process already runs on a maintained one (scripts/node.mjs).
say(S, `Node ${process.versions.node} (${process.execPath})`);
say(S, `Node ${NODE_FLOOR}, the oldest the package admits, for the toolchain test: ${path.relative(root, installNode(NODE_FLOOR, (m) => say(S, m)))}`);

// 1. npm dependencies. A stamp in node_modules records the hash of the package
// files the last install used, so a changed package.json or lock file reinstalls.
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const lock = at("package-lock.json");
const stamp = at("node_modules", ".orderhook-setup");
const hash = createHash("sha256");
for (const f of ["package.json", "package-lock.json"]) if (existsSync(at(f))) hash.update(readFileSync(at(f)));
const digest = hash.digest("hex");
const current = existsSync(stamp) ? readFileSync(stamp, "utf8").trim() : null;
if (!existsSync(at("node_modules"))) {
  say(S, "node_modules is missing: installing npm dependencies");
} else if (current !== digest) {
  say(S, "node_modules is stale (package.json or package-lock.json changed): reinstalling npm dependencies");
}
if (current !== digest || !existsSync(at("node_modules"))) {
  if (existsSync(lock)) run(S, npm, ["ci", "--no-audit", "--no-fund"]);
  else run(S, npm, ["install", "--no-audit", "--no-fund"]);
  // Re-hash: `npm install` may have written the lock file.
  const h = createHash("sha256");
  for (const f of ["package.json", "package-lock.json"]) if (existsSync(at(f))) h.update(readFileSync(at(f)));
  mkdirSync(at("node_modules"), { recursive: true });
  writeFileSync(stamp, h.digest("hex") + "\n");
} else {
  say(S, "npm dependencies are up to date");
}

// 2. Rust target.
const targets = capture("rustup", ["target", "list", "--installed"]);
if (targets === null) {
  console.error(`${S}: rustup not found; install Rust with rustup (https://rustup.rs) first`);
  process.exit(1);
}
if (targets.split(/\s+/).includes("wasm32-unknown-unknown")) {
  say(S, "rust target wasm32-unknown-unknown is installed");
} else {
  run(S, "rustup", ["target", "add", "wasm32-unknown-unknown"]);
}

// 3. wasm-bindgen-cli, pinned to the crate's wasm-bindgen version.
const { wasmBindgen } = cargoFacts();
const bindgen = at(".tools", "bin", process.platform === "win32" ? "wasm-bindgen.exe" : "wasm-bindgen");
const have = existsSync(bindgen) ? capture(bindgen, ["--version"])?.trim() : null;
if (have === `wasm-bindgen ${wasmBindgen}`) {
  say(S, `${have} is installed in .tools/`);
} else {
  say(S, have ? `.tools/ has ${have}, Cargo.toml pins ${wasmBindgen}: reinstalling` : `installing wasm-bindgen-cli ${wasmBindgen} into .tools/ (takes a few minutes once)`);
  // No --locked: the CLI's lock file wants a crate version the registry no longer serves.
  run(S, "cargo", ["install", "wasm-bindgen-cli", "--version", `=${wasmBindgen}`, "--root", at(".tools"), "--force"]);
}

// 4. wasm-opt from the binaryen npm package.
const wasmOpt = at("node_modules", "binaryen", "bin", "wasm-opt");
const optVersion = existsSync(wasmOpt) ? capture(process.execPath, [wasmOpt, "--version"])?.trim() : null;
if (!optVersion) {
  console.error(`${S}: ${path.relative(root, wasmOpt)} is missing or broken; is "binaryen" in devDependencies?`);
  process.exit(1);
}
say(S, `${optVersion} (npm binaryen)`);

// 5. Chromium for the browser test of the preview page (tests/browser/preview.test.mjs).
const chromiumBin = "/usr/bin/chromium";
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
if (existsSync(chromiumBin)) {
  say(S, `${chromiumBin} is installed (for the browser test)`);
} else if (isRoot && existsSync("/usr/bin/apt-get")) {
  say(S, `${chromiumBin} is missing: installing Debian's chromium for the browser test (apt-get, takes a minute once)`);
  say(S, "$ apt-get update && apt-get install -y chromium");
  const r = spawnSync("sh", ["-c", "apt-get update && apt-get install -y chromium"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (r.status === 0 && existsSync(chromiumBin)) {
    say(S, `${chromiumBin} installed`);
  } else if (process.env.CI) {
    // CI must run the browser test, so a failed install fails the run.
    console.error(`${S}: installing chromium failed (exit ${r.status ?? r.signal}); CI needs it for the browser test`);
    process.exit(1);
  } else {
    say(S, `WARNING: installing chromium failed (exit ${r.status ?? r.signal}); the browser test will be skipped`);
  }
} else {
  say(S, `${chromiumBin} is missing and ${isRoot ? "apt-get is not available" : "this is not root"}: the browser test will be skipped (install Debian's chromium to run it)`);
}
say(S, "done");
