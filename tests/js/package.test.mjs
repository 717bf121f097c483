// The published package: what `npm pack` puts in the tarball, the manifest, and
// the browser entry (exports condition "browser") with its `ready` promise.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { NODE_FLOOR } from "../../scripts/node.mjs";
import { cargoFacts } from "../../scripts/lib.mjs";
import { cargoVersion, root } from "./helpers.mjs";

const pkgDir = path.join(root, "pkg");
const manifest = JSON.parse(readFileSync(path.join(pkgDir, "package.json"), "utf8"));

describe("npm pack", () => {
  test("the tarball holds the .wasm, the JS, the .d.ts, README.md, LICENSE, package.json and nothing else", () => {
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const out = execFileSync(npm, ["pack", "--dry-run", "--json", "--ignore-scripts", "./pkg"], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 60_000,
    });
    const [packed] = JSON.parse(out);
    assert.equal(packed.name, "orderhook");
    assert.equal(packed.version, cargoVersion());
    const files = packed.files.map((f) => f.path).sort();
    assert.deepEqual(files, [
      "LICENSE",
      "README.md",
      "bin/orderhook.js",
      "browser.js",
      "core.js",
      "index.d.ts",
      "inline-wasm.js",
      "inline.js",
      "node.js",
      "orderhook.js",
      "orderhook_bg.wasm",
      "package.json",
      "types.d.ts",
      "workerd.js",
      // One directory per provider entry (orderhook/<provider>): its .wasm and the same JS.
      ...cargoFacts().providers.flatMap((p) =>
        ["browser.js", "core.js", "inline-wasm.js", "inline.js", "node.js", "orderhook.js", "orderhook_bg.wasm", "workerd.js"].map((f) => `${p}/${f}`),
      ),
    ].sort());
    for (const f of files) assert.match(f, /^(README\.md|LICENSE|package\.json|.*\.wasm|.*\.js|.*\.d\.ts)$/);
    const wasm = packed.files.find((f) => f.path === "orderhook_bg.wasm");
    assert.ok(wasm.size > 10_000, "the .wasm is not empty");
  });
});

describe("pkg/package.json", () => {
  test("is the ES module package orderhook at the crate's version", () => {
    assert.equal(manifest.name, "orderhook");
    assert.equal(manifest.version, cargoVersion());
    assert.equal(manifest.type, "module");
    assert.equal(manifest.license, "MIT");
    assert.deepEqual(manifest.bin, { orderhook: "bin/orderhook.js" });
  });

  test("exports pick an entry per runtime, workerd first, and one set of types for all", () => {
    const dot = manifest.exports["."];
    assert.deepEqual(Object.keys(dot), ["workerd", "node", "browser", "default"]);
    assert.deepEqual(dot.workerd, { types: "./index.d.ts", default: "./workerd.js" });
    assert.deepEqual(dot.node, { types: "./index.d.ts", default: "./node.js" });
    assert.deepEqual(dot.browser, { types: "./index.d.ts", default: "./browser.js" });
    assert.deepEqual(dot.default, { types: "./index.d.ts", default: "./browser.js" });
    assert.deepEqual(manifest.exports["./inline"], { types: "./index.d.ts", default: "./inline.js" });
  });

  test("each provider has the same runtime entries under its name, with the same types", () => {
    for (const p of cargoFacts().providers) {
      const e = manifest.exports[`./${p}`];
      assert.deepEqual(Object.keys(e), ["workerd", "node", "browser", "default"], p);
      assert.deepEqual(e.workerd, { types: "./index.d.ts", default: `./${p}/workerd.js` });
      assert.deepEqual(e.node, { types: "./index.d.ts", default: `./${p}/node.js` });
      assert.deepEqual(e.default, { types: "./index.d.ts", default: `./${p}/browser.js` });
      assert.deepEqual(manifest.exports[`./${p}/inline`], { types: "./index.d.ts", default: `./${p}/inline.js` });
    }
  });

  test("engines admits the Node the toolchain test runs the package on, and newer", () => {
    assert.deepEqual(manifest.engines, { node: `>=${NODE_FLOOR}` });
  });

  test("every entry exports the same names", () => {
    const names = (f) =>
      readFileSync(path.join(pkgDir, f), "utf8")
        .match(/^export \{([^}]*)\} from "\.\/core\.js";$/m)?.[1]
        .split(",")
        .map((n) => n.trim())
        .sort();
    const expected = ["deliveryId", "detect", "init", "initSync", "limits", "parse", "parseRequest", "ready", "verify", "version"];
    for (const entry of ["node.js", "workerd.js", "browser.js", "inline.js"]) assert.deepEqual(names(entry), expected, entry);
  });

  test("the inline entry carries the .wasm as base64, byte for byte", () => {
    const text = readFileSync(path.join(pkgDir, "inline-wasm.js"), "utf8");
    const base64 = text.match(/^export const wasmBase64 = "([A-Za-z0-9+/=]+)";$/m)?.[1];
    assert.ok(base64, "inline-wasm.js exports wasmBase64");
    assert.ok(Buffer.from(base64, "base64").equals(readFileSync(path.join(pkgDir, "orderhook_bg.wasm"))));
  });

  test("runtime entries are tiny and the workerd one neither fetches nor evals", () => {
    for (const entry of ["node.js", "workerd.js", "browser.js", "inline.js"]) {
      const text = readFileSync(path.join(pkgDir, entry), "utf8");
      assert.ok(text.trimEnd().split("\n").length <= 20, `${entry} has more than 20 lines`);
    }
    const code = (f) => readFileSync(path.join(pkgDir, f), "utf8").replace(/^\s*\/\/.*$/gm, "");
    const workerd = code("workerd.js");
    assert.match(workerd, /import wasmModule from "\.\/orderhook_bg\.wasm"/);
    assert.doesNotMatch(workerd, /fetch|eval|new Function/);
    const source = readFileSync(path.join(pkgDir, "core.js"), "utf8") + readFileSync(path.join(pkgDir, "orderhook.js"), "utf8");
    assert.doesNotMatch(source, /\beval\(|new Function\(/);
    // Only the browser and node entries say where the .wasm file is (bundlers read that
    // `new URL(…, import.meta.url)`); the glue and the inline entry never read import.meta.
    for (const f of ["core.js", "orderhook.js", "inline.js", "workerd.js"]) assert.doesNotMatch(code(f), /import\.meta/, f);
  });

  test("the model types are generated from the Rust types", () => {
    const types = readFileSync(path.join(pkgDir, "types.d.ts"), "utf8");
    assert.match(types, /^\/\/ Generated from the Rust types/);
    for (const name of ["OrderEvent", "Order", "Item", "Customer", "Address", "Kind", "Status", "Provider", "Issue", "Severity", "Code", "Detected"]) {
      assert.match(types, new RegExp(`export type ${name} = `), name);
    }
  });
});

describe("browser entry", () => {
  // A resolve hook gives the child process a browser's conditions (no "node"), so
  // "orderhook" resolves through the package's exports as a bundler would for a
  // page. Node's fetch cannot read file: URLs, so the child serves them from disk.
  const hooks = `export async function resolve(specifier, context, next) {
    return next(specifier, { ...context, conditions: ["browser", "import", "module", "default"] });
  }`;
  const script = `
    const { register } = await import("node:module");
    register("data:text/javascript," + encodeURIComponent(${JSON.stringify(hooks)}));
    const { readFile } = await import("node:fs/promises");
    globalThis.fetch = async (url) => new Response(await readFile(new URL(url)), { headers: { "content-type": "application/wasm" } });
    const m = await import("orderhook");
    const out = { exports: Object.keys(m).sort() };
    try { m.parse("{}"); out.early = "no error"; } catch (e) { out.early = e.name + ": " + e.message; }
    await m.ready;
    const r = m.parse(JSON.stringify({ type: "order.paid", data: {} }));
    out.after = { ok: r.ok, codes: r.errors.map((e) => e.code).slice(0, 2) };
    out.detect = m.detect('{"webhook_event":"order_updated"}');
    console.log(JSON.stringify(out));
  `;

  test("loads through `await ready` and refuses calls before", () => {
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: root,
      encoding: "utf8",
      timeout: 30_000,
    });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.exports, ["deliveryId", "detect", "init", "initSync", "limits", "parse", "parseRequest", "ready", "verify", "version"]);
    assert.match(out.early, /^TypeError: orderhook: the wasm module is still loading; `await ready`/);
    assert.equal(out.after.ok, false);
    assert.ok(out.after.codes.includes("missing_field"));
    assert.deepEqual(out.detect, { provider: "vrio", eventType: "order_updated" });
  });

  // The same entry when its .wasm cannot be fetched: failures are reported once, to the
  // caller, never as an unhandled rejection (Node would exit 1 on one), and init recovers.
  const failing = `
    const { register } = await import("node:module");
    register("data:text/javascript," + encodeURIComponent(${JSON.stringify(hooks)}));
    const { readFileSync } = await import("node:fs");
    globalThis.fetch = async () => new Response("not found", { status: 404, statusText: "Not Found" });
    const m = await import("orderhook");
    const out = {};
    out.ready = await m.ready.then(() => "resolved", (e) => e.message);
    try { m.parse("{}"); } catch (e) { out.call = e.message; }
    out.bad = await m.init(new Uint8Array([0, 97, 115])).then(() => "resolved", (e) => e.name);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await m.init(readFileSync(new URL("./pkg/orderhook_bg.wasm", "file://" + process.cwd() + "/")));
    out.readyAfter = await m.ready.then(() => "resolved", (e) => e.message);
    out.parsed = m.parse("{}").errors[0].code;
    console.log(JSON.stringify(out));
  `;

  test("a failed load rejects `ready`, names the remedies, and init(bytes) recovers", () => {
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", failing], { cwd: root, encoding: "utf8", timeout: 30_000 });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.match(out.ready, /^orderhook: could not load its \.wasm \(failed to fetch Wasm: 404 Not Found.*\); hand it over with `initSync/);
    assert.match(out.call, /^orderhook: could not load its \.wasm .*or import "orderhook\/inline"/);
    assert.equal(out.bad, "CompileError");
    assert.equal(out.readyAfter, "resolved");
    assert.equal(out.parsed, "unknown_provider");
  });
});
