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
// A provider that sends its event type in a header (Shopify's topic) gets it from the sample's name.
const { limits } = await import("orderhook");
const typeInHeader = new Set(limits().providerSpecs.filter((s) => s.eventTypeHeader).map((s) => s.name));
const providers = [...new Set(samples.map((s) => s.provider))];
let ok = 0;
const failed = [];
for (const provider of providers) {
  console.log(`\n=== ${provider} ${"=".repeat(Math.max(0, 60 - provider.length))}`);
  for (const { file: f, event } of samples.filter((s) => s.provider === provider)) {
    const typed = typeInHeader.has(provider) ? ["--event-type", event] : [];
    console.log(`\n$ orderhook parse examples/samples/${f}${typed.length ? ` --event-type ${event}` : ""}`);
    const args = [path.join(root, "bin", "orderhook.js"), "parse", path.join("examples", "samples", f), ...typed];
    const r = spawnSync(process.execPath, args, {
      cwd: root,
      stdio: "inherit",
    });
    if (r.status === 0) ok++;
    else failed.push(f);
  }
}
console.log(`\ndemo: ${samples.length} samples parsed through the CLI: ${ok} ok, ${failed.length} failed${failed.length ? ` (${failed.join(", ")})` : ""}`);
process.exitCode = failed.length ? 1 : 0;
