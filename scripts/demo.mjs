#!/usr/bin/env node
// `npm run demo`: setup, build, then `orderhook parse` on every bundled sample
// (examples/samples/<provider>.<event>.json), grouped per provider.
import "./node.mjs"; // first: re-runs this script on a maintained Node when the machine's is older
import { spawnSync } from "node:child_process";
import path from "node:path";
import { readSamples, root, run } from "./lib.mjs";

run("demo", process.execPath, [path.join(root, "scripts", "setup.mjs")]);
run("demo", process.execPath, [path.join(root, "scripts", "build.mjs")]);

const samples = readSamples();
const providers = [...new Set(samples.map((s) => s.provider))];
let ok = 0;
const failed = [];
for (const provider of providers) {
  console.log(`\n=== ${provider} ${"=".repeat(Math.max(0, 60 - provider.length))}`);
  for (const { file: f } of samples.filter((s) => s.provider === provider)) {
    console.log(`\n$ orderhook parse examples/samples/${f}`);
    const r = spawnSync(process.execPath, [path.join(root, "bin", "orderhook.js"), "parse", path.join("examples", "samples", f)], {
      cwd: root,
      stdio: "inherit",
    });
    if (r.status === 0) ok++;
    else failed.push(f);
  }
}
console.log(`\ndemo: ${samples.length} samples parsed through the CLI: ${ok} ok, ${failed.length} failed${failed.length ? ` (${failed.join(", ")})` : ""}`);
process.exitCode = failed.length ? 1 : 0;
