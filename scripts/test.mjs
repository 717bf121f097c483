#!/usr/bin/env node
// `npm test`: setup, build, then every test suite, each under its own header:
//   cargo test · Node tests (node --test tests/js) · workerd test · the Worker examples (tests/worker,
//   tests/intake) · browser · stress · toolchains · type test (tsc --strict)
//   · the optional conformance suite (tests/conformance), only when the project's
//     reference documents are beside the repository: otherwise one SKIPPED line
// A failing suite does not stop the others; the exit code is non-zero if any failed.
// The last line adds up the tests of all suites: "orderhook: N passed, M failed".
import "./node.mjs"; // first: re-runs this script on a maintained Node when the machine's is older
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { root } from "./lib.mjs";
import { SKIPPED, sharedDir } from "../tests/conformance/shared.mjs";

const node = process.execPath;
const at = (...p) => path.join(root, ...p);
const testFiles = (dir) =>
  readdirSync(at(dir))
    .filter((f) => f.endsWith(".test.mjs"))
    .sort()
    .map((f) => path.join(dir, f));

function header(title) {
  const line = "=".repeat(72);
  console.log(`\n${line}\n== ${title}\n${line}`);
}

/** Run a command, echoing its output while keeping it for counting; bounded in time. */
function step(cmd, args, { timeoutMs }) {
  return new Promise((resolve) => {
    const started = Date.now();
    // Its own process group, so a timeout stops what it started too (node --test runs each file in a child).
    const child = spawn(cmd, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let output = "";
    const keep = (stream) => (chunk) => {
      output += chunk;
      stream.write(chunk);
    };
    child.stdout.on("data", keep(process.stdout));
    child.stderr.on("data", keep(process.stderr));
    const timer = setTimeout(() => {
      console.error(`\ntest: ${cmd} ${args.join(" ")} took longer than ${timeoutMs / 1000} s; stopping it`);
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    }, timeoutMs);
    child.on("error", (e) => {
      output += String(e);
      console.error(`test: could not run ${cmd}: ${e.message}`);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ ok: code === 0, code: code ?? signal, output, seconds: (Date.now() - started) / 1000 });
    });
  });
}

const sum = (output, re) => [...output.matchAll(re)].reduce((n, m) => n + Number(m[1]), 0);
const counts = {
  cargo: (o) => ({ passed: sum(o, /^test result: \w+\. (\d+) passed/gm), failed: sum(o, /^test result: .*?; (\d+) failed/gm) }),
  node: (o) => ({ passed: sum(o, /^ℹ pass (\d+)$/gm), failed: sum(o, /^ℹ fail (\d+)$/gm) }),
};

const results = [];
async function suite(title, cmd, args, { timeoutMs, count }) {
  return suiteOf(title, [[cmd, args, count]], { timeoutMs });
}

/** One suite made of several commands, each `[cmd, args, count]`, run in turn; one result. */
async function suiteOf(title, commands, { timeoutMs }) {
  header(title);
  const r = { ok: true, code: 0, output: "", seconds: 0, passed: 0, failed: 0 };
  for (const [cmd, args, count] of commands) {
    const s = await step(cmd, args, { timeoutMs });
    const c = count ? count(s.output) : { passed: s.ok ? 1 : 0, failed: s.ok ? 0 : 1 };
    if (!s.ok && c.failed === 0) c.failed = 1; // crashed or timed out before reporting
    if (!s.ok && r.ok) Object.assign(r, { ok: false, code: s.code });
    Object.assign(r, { output: r.output + s.output, seconds: r.seconds + s.seconds });
    r.passed += c.passed;
    r.failed += c.failed;
  }
  results.push({ title, ...r });
  console.log(`\n-- ${title}: ${r.ok ? "ok" : `FAILED (exit ${r.code})`} in ${r.seconds.toFixed(1)} s`);
  return r.ok;
}

const started = Date.now();
const prepared = [];
for (const [title, script, minutes] of [["setup", "setup.mjs", 15], ["build", "build.mjs", 20]]) {
  header(`${title} (scripts/${script})`);
  const r = await step(node, [at("scripts", script)], { timeoutMs: minutes * 60_000 });
  if (!r.ok) {
    console.error(`\ntest: ${title} failed (exit ${r.code}); no test was run`);
    process.exit(1);
  }
  prepared.push(`${title} ${r.seconds.toFixed(1)} s`);
}

await suite("cargo test", "cargo", ["test"], { timeoutMs: 30 * 60_000, count: counts.cargo });
await suite("Node tests (node --test tests/js)", node, ["--test", "--test-reporter=spec", ...testFiles("tests/js")], {
  timeoutMs: 10 * 60_000,
  count: counts.node,
});
await suite("workerd test (node --test tests/workerd)", node, ["--test", "--test-reporter=spec", ...testFiles("tests/workerd")], {
  timeoutMs: 3 * 60_000,
  count: counts.node,
});
// Suites that live in their own folders; each runs when its folder has tests.
for (const [dir, title, minutes] of [
  ["tests/worker", "Worker example: routes, load and faults in workerd (tests/worker)", 5],
  ["tests/intake", "intake Worker: Durable Object + Queue in miniflare, duplicates, faults, a restart (tests/intake)", 8],
  ["tests/browser", "browser test: preview page in Chromium (tests/browser)", 5],
  ["tests/stress", "wasm stress: mutated payloads through the package (tests/stress)", 5],
  ["tests/toolchains", "toolchains: the tarball in Node 22/24, CJS, esbuild, Vite, webpack, wrangler (tests/toolchains)", 5],
]) {
  if (!existsSync(at(dir)) || testFiles(dir).length === 0) continue;
  await suite(title, node, ["--test", "--test-reporter=spec", "--test-concurrency=1", ...testFiles(dir)], {
    timeoutMs: minutes * 60_000,
    count: counts.node,
  });
}
await suite(
  "type test (tsc --noEmit --strict tests/types)",
  node,
  [at("node_modules", "typescript", "bin", "tsc"), "-p", "tests/types/tsconfig.json", "--noEmit", "--strict"],
  { timeoutMs: 5 * 60_000 },
);

// The optional conformance suite: the project's reference documents as published
// (../shared beside the repository, or where ORDERHOOK_SHARED points), read by
// tests/conformance only. Absent (a plain clone), it is one SKIPPED line and no
// suite in the summary; every other suite reads tests/fixtures and examples/samples.
const conformance = "conformance: reference documents (tests/conformance)";
if (sharedDir() === null) {
  header(conformance);
  console.log(SKIPPED);
} else {
  await suiteOf(
    conformance,
    [
      ["cargo", ["test", "--test", "conformance"], counts.cargo],
      [node, ["--test", "--test-reporter=spec", ...testFiles("tests/conformance")], counts.node],
    ],
    { timeoutMs: 10 * 60_000 },
  );
}

// Keeps the benchmark from rotting; its figures are printed, never asserted.
await suite("bench smoke (npm run bench -- --quick)", node, [at("bench", "run.mjs"), "--quick", "--no-build"], {
  timeoutMs: 5 * 60_000,
});

header("summary");
for (const r of results) {
  console.log(
    `${r.ok ? "ok    " : "FAILED"}  ${r.title.padEnd(46)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed  ${r.seconds.toFixed(1).padStart(6)} s`,
  );
}
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`total time ${((Date.now() - started) / 1000).toFixed(1)} s (${prepared.join(", ")})`);
console.log(`orderhook: ${passed} passed, ${failed} failed`);
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
