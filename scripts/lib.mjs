// Small helpers shared by the project scripts (setup, build, demo, test).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Print a step in the same shape everywhere: `<script>: <what>`. */
export function say(script, message) {
  console.log(`${script}: ${message}`);
}

/** Run a command with inherited stdio; exit this process if it fails. */
export function run(script, cmd, args, options = {}) {
  say(script, `$ ${[cmd, ...args].join(" ")}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", ...options });
  if (r.error) {
    console.error(`${script}: could not run ${cmd}: ${r.error.message}`);
    process.exit(1);
  }
  if (r.status !== 0) {
    console.error(`${script}: ${cmd} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

/** Run a command and return its stdout, or null if it cannot run or fails. */
export function capture(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: "utf8", ...options });
  return r.status === 0 ? r.stdout : null;
}

/** `[package]` version and the pinned `wasm-bindgen = "=X"` version from Cargo.toml. */
export function cargoFacts() {
  const toml = readFileSync(path.join(root, "Cargo.toml"), "utf8");
  const pkg = toml.split(/^\[/m).find((s) => s.startsWith("package]")) ?? "";
  const field = (name) => pkg.match(new RegExp(`^${name}\\s*=\\s*"([^"]*)"`, "m"))?.[1];
  const bindgen = toml.match(/^wasm-bindgen\s*=\s*(?:\{[^}]*version\s*=\s*)?"=?([0-9][^"]*)"/m)?.[1];
  if (!bindgen) throw new Error("Cargo.toml: no `wasm-bindgen = \"=X.Y.Z\"` dependency found");
  return {
    name: field("name"),
    version: field("version"),
    description: field("description"),
    repository: field("repository"),
    wasmBindgen: bindgen,
  };
}
