// The toolchains a user brings, each on orderhook installed from the packed tarball the way a
// user's project gets it (npm pack ./pkg → npm install <tgz>, offline), each asserting the
// parsed order, not only that a build exited 0:
//   plain Node, ESM and CommonJS, on this Node and on the oldest the package admits (engines);
//   esbuild (the devDependency's version): Node bundles (ESM, CJS) and browser bundles (ESM,
//   iife) run in Chromium, with the inline entry and with the .wasm handed over by
//   init / initSync; Vite and webpack production builds run in Chromium; wrangler: `wrangler deploy --dry-run --outdir` of the example Worker,
//   then that bundle served by workerd.
// Chromium parts print a SKIPPED line when /usr/bin/chromium or playwright-core is missing.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";
import { build as viteBuild, version as viteVersion } from "vite";
import webpack from "webpack";
import { parse } from "orderhook";
import { NODE_FLOOR, nodePath } from "../../scripts/node.mjs";
import { capnpConfig, moduleGraph, startWorkerd } from "../../scripts/workerd.mjs";
import { polarKey, root, sample, standardWebhooksHeaders } from "../js/helpers.mjs";

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const dir = mkdtempSync(path.join(tmpdir(), "orderhook-toolchains-"));
const app = path.join(dir, "app");
const NAMES = ["deliveryId", "detect", "init", "initSync", "limits", "parse", "parseRequest", "ready", "verify", "version"];
const body = sample("polar.order.paid.json").text;
const expected = JSON.parse(JSON.stringify(parse(body, { provider: "polar" })));
let installedWasm;

after(() => rmSync(dir, { recursive: true, force: true }));

function run(cmd, args, { cwd = app, env = {}, timeout = 60_000 } = {}) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout, env: { ...process.env, ...env } });
  return { status: r.status ?? r.signal ?? String(r.error), stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

function npmRun(args, cwd) {
  const r = run(npm, [...args, "--cache", path.join(dir, "npm-cache"), "--no-audit", "--no-fund", "--loglevel=error"], { cwd });
  assert.equal(r.status, 0, `npm ${args.join(" ")} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

// ---------------------------------------------------------------- the app's files
// check.js runs the same steps everywhere: optionally hand the .wasm over, then `await ready`,
// parse the sample, and call init/initSync again (no-ops once an instance exists).
const CHECK = `import { body } from "./sample.js";
export function check(m, handOver) {
  return (async () => {
    const out = { exports: Object.keys(m).filter((k) => k !== "default" && k !== "__esModule").sort() };
    if (handOver) {
      out.before = await m.ready.then(() => "resolved", (e) => "rejected: " + e.message);
      try { m.parse(body); out.early = "no error"; } catch (e) { out.early = e.name + ": " + e.message; }
      await handOver(m);
    }
    await m.ready;
    out.result = m.parse(body, { provider: "polar" });
    await m.init();
    m.initSync(new Uint8Array(0));
    out.again = m.parse(body, { provider: "polar" }).ok;
    return out;
  })().catch((e) => ({ error: String(e && e.stack || e) }));
}
export function report(out) {
  globalThis.__result = out;
  if (typeof document === "undefined") console.log(JSON.stringify(out));
}
`;

/** An app module: import orderhook (`spec`) the ESM way, run check with `handOver` (JS source or null). */
const esmApp = (spec, handOver = "null", prelude = "") =>
  `${prelude}import * as m from "${spec}";\nimport { check, report } from "./check.js";\ncheck(m, ${handOver}).then(report);\n`;

const readWasmArg = `import { readFileSync } from "node:fs";\nconst wasm = () => readFileSync(process.argv[2]);\n`;
const NODE_HANDOVERS = {
  "initSync(bytes)": "(m) => m.initSync(wasm())",
  "initSync(WebAssembly.Module)": "(m) => m.initSync(new WebAssembly.Module(wasm()))",
  "init(bytes)": "(m) => m.init(new Uint8Array(wasm()).buffer)",
  "init(WebAssembly.Module)": "(m) => m.init(new WebAssembly.Module(wasm()))",
  "init(Response)": '(m) => m.init(new Response(wasm(), { headers: { "content-type": "application/wasm" } }))',
};

before(() => {
  // 1. The tarball npm would publish, installed into a fresh project.
  const [packed] = JSON.parse(npmRun(["pack", path.join(root, "pkg"), "--pack-destination", dir, "--json"], root));
  mkdirSync(app);
  writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "orderhook-toolchains-app", private: true, type: "module" }, null, 2));
  npmRun(["install", path.join(dir, packed.filename), "--offline", "--ignore-scripts"], app);
  installedWasm = path.join(app, "node_modules", "orderhook", "orderhook_bg.wasm");
  assert.ok(existsSync(installedWasm));
  // 2. The app's sources.
  writeFileSync(path.join(app, "sample.js"), `export const body = ${JSON.stringify(body)};\n`);
  writeFileSync(path.join(app, "check.js"), CHECK);
});

function assertParsed(out, what) {
  assert.equal(out.error, undefined, `${what}: ${out.error}`);
  assert.deepEqual(out.exports, NAMES, `${what}: the same names in every entry`);
  assert.deepEqual(out.result, expected, `${what}: the parsed order`);
  assert.equal(out.again, true, `${what}: init() and initSync() once instantiated change nothing`);
}

function runNode(node, file, args = []) {
  const r = run(node, [file, ...args]);
  assert.equal(r.status, 0, `${path.basename(node)} ${file}:\n${r.stdout}\n${r.stderr}`);
  return { out: JSON.parse(r.stdout.trim().split("\n").pop()), stderr: r.stderr };
}

// ---------------------------------------------------------------- plain Node
describe("plain Node, ESM and CommonJS", () => {
  const floor = nodePath(NODE_FLOOR);
  const nodes = [
    [`Node ${process.versions.node}`, process.execPath],
    [`Node ${NODE_FLOOR} (engines' floor)`, floor],
  ];
  before(() => {
    writeFileSync(path.join(app, "esm.mjs"), esmApp("orderhook"));
    writeFileSync(path.join(app, "inline.mjs"), esmApp("orderhook/inline"));
    writeFileSync(
      path.join(app, "cjs.cjs"),
      `const m = require("orderhook");\nconsole.log(JSON.stringify({ exports: Object.keys(m).sort(), result: m.parse(require("./sample.json"), { provider: "polar" }), again: true }));\n`,
    );
    writeFileSync(
      path.join(app, "inline.cjs"),
      `const m = require("orderhook/inline");\nconsole.log(JSON.stringify({ exports: Object.keys(m).sort(), result: m.parse(require("./sample.json"), { provider: "polar" }), again: true }));\n`,
    );
    writeFileSync(path.join(app, "sample.json"), JSON.stringify(body));
  });

  test(`Node ${NODE_FLOOR} is installed (by npm run setup)`, () => {
    assert.ok(existsSync(floor), `${floor} is missing: run npm run setup`);
  });

  for (const [name, node] of nodes) {
    test(`${name}: import "orderhook" and "orderhook/inline"`, () => {
      assertParsed(runNode(node, "esm.mjs").out, "esm.mjs");
      assertParsed(runNode(node, "inline.mjs").out, "inline.mjs");
    });
    test(`${name}: require("orderhook") and require("orderhook/inline"), synchronously usable`, () => {
      for (const file of ["cjs.cjs", "inline.cjs"]) {
        const { out, stderr } = runNode(node, file);
        assertParsed(out, file);
        // Node 22.12 still calls require(esm) experimental (a warning on stderr, nothing else).
        assert.doesNotMatch(stderr.replace(/^.*ExperimentalWarning.*require\(\).*\n.*experimental feature.*\n.*--trace-warnings.*\n?/m, ""), /\S/, stderr);
      }
    });
  }
});

// ---------------------------------------------------------------- esbuild
/** Bundle `source` (written as app/<name>.js) with esbuild into `outfile`; returns esbuild's warnings. */
async function bundle(name, source, outfile, options) {
  const entry = path.join(app, `${name}.js`);
  writeFileSync(entry, source);
  const result = await esbuild.build({ entryPoints: [entry], bundle: true, outfile, absWorkingDir: app, logLevel: "silent", ...options });
  assert.deepEqual(result.errors, []);
  return result.warnings.map((w) => w.text);
}

describe(`esbuild ${esbuild.version}: Node bundles`, () => {
  test("the inline entry, as ESM and as CJS, runs from a folder with no node_modules", async () => {
    for (const format of ["esm", "cjs"]) {
      const outfile = path.join(dir, "dist", `node-inline.${format === "esm" ? "mjs" : "cjs"}`);
      const warnings = await bundle(`node-inline-${format}`, esmApp("orderhook/inline"), outfile, { platform: "node", format });
      assert.deepEqual(warnings, [], `${format}: no warnings`);
      assertParsed(runNode(process.execPath, outfile).out, `node ${format} bundle`);
    }
  });

  for (const [how, handOver] of Object.entries(NODE_HANDOVERS)) {
    test(`"orderhook" bundled without its .wasm: ready rejects with the remedy, then ${how} hands it over`, async () => {
      const name = `node-main-${how.replace(/\W+/g, "-")}`;
      const outfile = path.join(dir, "dist", `${name}.mjs`);
      await bundle(name, esmApp("orderhook", handOver, readWasmArg), outfile, { platform: "node", format: "esm" });
      const { out } = runNode(process.execPath, outfile, [installedWasm]);
      assert.match(out.before, /^rejected: orderhook: could not load its \.wasm \(.*ENOENT.*\); hand it over with `initSync/);
      assert.match(out.early, /^TypeError: orderhook: could not load its \.wasm .*import "orderhook\/inline"/);
      assertParsed(out, how);
    });
  }
});

// ---------------------------------------------------------------- browser bundles in Chromium
const CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
let chromium;
try {
  ({ chromium } = await import("playwright-core"));
} catch {}
const browserMissing = !existsSync(CHROMIUM) ? CHROMIUM : !chromium ? "playwright-core" : null;
if (browserMissing) console.log(`SKIPPED: browser bundles (esbuild, Vite, webpack) in Chromium: ${browserMissing} missing`);

describe(`browser bundles in Chromium: esbuild ${esbuild.version}, Vite ${viteVersion}, webpack ${webpack.version}`, { skip: browserMissing ? `${browserMissing} missing` : false }, () => {
  const web = path.join(dir, "web");
  let server;
  let base;
  let browser;
  const bundles = [];
  let webpackInfo;

  before(async () => {
    mkdirSync(path.join(web, "assets"), { recursive: true });
    // Each page: one bundle, as a module script (esm) or a classic script (iife).
    const page = async (name, source, format, assets = []) => {
      const outfile = path.join(web, `${name}.js`);
      mkdirSync(path.dirname(outfile), { recursive: true });
      const warnings = await bundle(`web-${name.replace(/\W+/g, "-")}`, source, outfile, { platform: "browser", format });
      for (const [from, to] of assets) copyFileSync(from, path.join(web, to));
      writeFileSync(
        path.join(web, `${name}.html`),
        `<!doctype html><meta charset="utf-8"><script ${format === "esm" ? 'type="module" ' : ""}src="./${path.basename(name)}.js"></script>`,
      );
      bundles.push({ name, format, bytes: statSync(outfile).size, gzip: gzipSync(readFileSync(outfile), { level: 9 }).length, warnings });
    };
    await page("inline-esm", esmApp("orderhook/inline"), "esm");
    await page("inline-iife", esmApp("orderhook/inline"), "iife");
    await page("main-esm", esmApp("orderhook"), "esm", [[installedWasm, "orderhook_bg.wasm"]]);
    await page("main-iife-url", esmApp("orderhook", '(m) => m.init("/assets/orderhook_bg.wasm")'), "iife", [[installedWasm, "assets/orderhook_bg.wasm"]]);
    // In a folder of its own, with no .wasm beside the bundle.
    await page("bare/main-esm-fetch", esmApp("orderhook", '(m) => m.init(fetch("/assets/orderhook_bg.wasm"))'), "esm");
    // Vite and webpack: a production build of the same app, as each one's own CLI would do it.
    const vite = path.join(app, "vite");
    mkdirSync(vite);
    writeFileSync(path.join(vite, "index.html"), '<!doctype html><meta charset="utf-8"><script type="module" src="./main.js"></script>\n');
    writeFileSync(path.join(vite, "main.js"), esmApp("orderhook").replace("./check.js", "../check.js"));
    await viteBuild({ root: vite, configFile: false, logLevel: "silent", base: "./", build: { outDir: path.join(web, "vite"), emptyOutDir: true } });
    writeFileSync(path.join(app, "webpack-main.js"), esmApp("orderhook"));
    const stats = await new Promise((resolve, reject) =>
      webpack(
        {
          mode: "production",
          context: app,
          entry: "./webpack-main.js",
          output: { path: path.join(web, "webpack"), filename: "main.js" },
          target: "web",
          infrastructureLogging: { level: "error" },
        },
        (err, st) => (err ? reject(err) : resolve(st)),
      ),
    );
    webpackInfo = stats.toJson({ all: false, errors: true, warnings: true });
    assert.deepEqual(webpackInfo.errors, [], "webpack errors");
    writeFileSync(path.join(web, "webpack", "index.html"), '<!doctype html><meta charset="utf-8"><script src="./main.js"></script>\n');
    server = createServer((req, res) => {
      const file = path.join(web, decodeURIComponent(new URL(req.url, "http://x").pathname));
      if (!file.startsWith(web) || !existsSync(file) || statSync(file).isDirectory()) return res.writeHead(404).end("not found");
      const type = file.endsWith(".wasm") ? "application/wasm" : file.endsWith(".html") ? "text/html" : "text/javascript";
      res.writeHead(200, { "content-type": type }).end(readFileSync(file));
    });
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${server.address().port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 30_000 });
  });

  after(async () => {
    await browser?.close();
    server?.close();
    for (const b of bundles) console.log(`bundle ${b.name} (${b.format}): ${b.bytes} bytes, ${b.gzip} gzip -9`);
  });

  async function load(name, url = `${base}/${name}.html`) {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    try {
      await page.goto(url, { timeout: 15_000 });
      await page.waitForFunction(() => globalThis.__result !== undefined, null, { timeout: 15_000 });
      return { out: await page.evaluate(() => globalThis.__result), errors };
    } finally {
      await page.close();
    }
  }

  test("the inline entry as an ESM bundle: no .wasm file, no warnings", async () => {
    const { out, errors } = await load("inline-esm");
    assertParsed(out, "inline-esm");
    assert.deepEqual(errors, []);
    assert.deepEqual(bundles.find((b) => b.name === "inline-esm").warnings, []);
  });

  test("the inline entry as an iife bundle (esbuild's default format for the browser)", async () => {
    const { out, errors } = await load("inline-iife");
    assertParsed(out, "inline-iife");
    assert.deepEqual(errors, []);
    assert.deepEqual(bundles.find((b) => b.name === "inline-iife").warnings, []);
  });

  test('"orderhook" as an ESM bundle with orderhook_bg.wasm copied beside it: `await ready` fetches it', async () => {
    assertParsed((await load("main-esm")).out, "main-esm");
  });

  test('"orderhook" as an iife bundle: no import.meta, so ready rejects; init(url) loads the .wasm', async () => {
    const { out, errors } = await load("main-iife-url");
    assert.match(out.before, /^rejected: orderhook: could not load its \.wasm \(.*\); hand it over/);
    assertParsed(out, "main-iife-url");
    assert.deepEqual(errors, [], "no uncaught error or unhandled rejection");
  });

  test('"orderhook" as an ESM bundle without the .wasm: the fetch fails, init(fetch(...)) recovers', async () => {
    const { out, errors } = await load("bare/main-esm-fetch");
    assert.match(out.before, /^rejected: orderhook: could not load its \.wasm \(.*404.*\)/);
    assertParsed(out, "main-esm-fetch");
    assert.deepEqual(errors, [], "no uncaught error or unhandled rejection");
  });

  const wasmAssets = (folder) => readdirSync(path.join(web, folder), { recursive: true }).filter((f) => String(f).endsWith(".wasm"));

  test(`Vite ${viteVersion} build: the .wasm is emitted as an asset and \`await ready\` loads it`, async () => {
    assert.equal(wasmAssets("vite").length, 1, "one .wasm asset");
    const { out, errors } = await load("vite", `${base}/vite/index.html`);
    assertParsed(out, "vite");
    assert.deepEqual(errors, []);
  });

  test(`webpack ${webpack.version} build: the .wasm is emitted as an asset and \`await ready\` loads it`, async () => {
    assert.equal(wasmAssets("webpack").length, 1, "one .wasm asset");
    const { out, errors } = await load("webpack", `${base}/webpack/index.html`);
    assertParsed(out, "webpack");
    assert.deepEqual(errors, []);
    // Its only complaint: the .wasm is over its 244 KiB asset-size hint.
    for (const w of webpackInfo.warnings) assert.match(w.message, /asset size limit|entrypoint size limit|performance/i, w.message);
    console.log(`webpack warnings: ${webpackInfo.warnings.length} (${webpackInfo.warnings.map((w) => w.message.split("\n")[0]).join("; ")})`);
  });
});

// ---------------------------------------------------------------- wrangler
describe("wrangler: the example Worker bundled, then served by workerd", () => {
  const wranglerBin = path.join(root, "node_modules", "wrangler", "bin", "wrangler.js");
  const version = JSON.parse(readFileSync(path.join(root, "node_modules", "wrangler", "package.json"), "utf8")).version;
  let worker;
  after(() => worker?.stop());

  test(`wrangler ${version} deploy --dry-run --outdir dist bundles it; workerd serves the bundle`, { timeout: 120_000 }, async () => {
    // The example as a user copies it: wrangler.toml and src/ at the project's root.
    const example = path.join(root, "examples", "worker");
    cpSync(path.join(example, "src"), path.join(app, "src"), { recursive: true });
    copyFileSync(path.join(example, "wrangler.toml"), path.join(app, "wrangler.toml"));
    const r = run(process.execPath, [wranglerBin, "deploy", "--dry-run", "--outdir", "dist"], {
      env: { WRANGLER_SEND_METRICS: "false", XDG_CONFIG_HOME: path.join(dir, "config"), CI: "true", NO_COLOR: "1" },
      timeout: 90_000,
    });
    assert.equal(r.status, 0, `wrangler failed:\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /--dry-run: exiting now/);
    const upload = r.stdout.match(/Total Upload: (.*)/)?.[1];
    console.log(`wrangler ${version}: Total Upload ${upload}`);

    // The bundle wrangler would upload: its entry and the .wasm module it imports.
    const out = path.join(app, "dist");
    const modules = moduleGraph([["index.js", path.join(out, "index.js")]]);
    assert.deepEqual(modules.map((m) => m.kind).sort(), ["esModule", "wasm"]);
    const date = readFileSync(path.join(app, "wrangler.toml"), "utf8").match(/^compatibility_date = "([^"]+)"/m)[1];
    const secret = `whsec_${randomBytes(32).toString("base64")}`;
    const config = path.join(dir, "wrangler-bundle.capnp");
    writeFileSync(
      config,
      capnpConfig({ dir, modules, bindings: { POLAR_WEBHOOK_SECRET: secret, VOUCHERIFY_WEBHOOK_SECRET: "v", VRIO_PATH_TOKEN: "t".repeat(32) } }).replace(
        /compatibilityDate = "[^"]+"/,
        `compatibilityDate = "${date}"`,
      ),
    );
    worker = await startWorkerd({ config });
    const polar = sample("polar.order.paid.json");
    const id = "msg_wrangler_1";
    const res = await fetch(`${worker.base}/webhooks/polar`, {
      method: "POST",
      body: polar.bytes,
      headers: standardWebhooksHeaders(polar.bytes, polarKey(secret), { id }),
      signal: AbortSignal.timeout(10_000),
    });
    assert.equal(res.status, 200);
    const answer = await res.json();
    assert.equal(answer.ok, true);
    assert.deepEqual(answer.event, parse(polar.bytes, { provider: "polar", eventId: id }).event);
  });
});

describe("wrangler: the intake Worker (examples/intake) bundled with its Durable Object and queues", () => {
  const wranglerBin = path.join(root, "node_modules", "wrangler", "bin", "wrangler.js");

  test("wrangler deploy --dry-run bundles it with the DELIVERIES Durable Object and the ORDERS queue bound", { timeout: 120_000 }, () => {
    // As a user copies it, beside the app that has orderhook installed from the tarball.
    const intake = path.join(app, "intake");
    cpSync(path.join(root, "examples", "intake", "src"), path.join(intake, "src"), { recursive: true });
    copyFileSync(path.join(root, "examples", "intake", "wrangler.toml"), path.join(intake, "wrangler.toml"));
    const r = run(process.execPath, [wranglerBin, "deploy", "--dry-run", "--outdir", "dist"], {
      cwd: intake,
      env: { WRANGLER_SEND_METRICS: "false", XDG_CONFIG_HOME: path.join(dir, "config"), CI: "true", NO_COLOR: "1" },
      timeout: 90_000,
    });
    assert.equal(r.status, 0, `wrangler failed:\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /--dry-run: exiting now/);
    // wrangler lists the bindings it would deploy: the Durable Object class and the producer.
    assert.match(r.stdout, /env\.DELIVERIES \(Delivery\)/);
    assert.match(r.stdout, /env\.ORDERS \(orderhook-orders\)/);
    const modules = moduleGraph([["index.js", path.join(intake, "dist", "index.js")]]);
    assert.deepEqual(modules.map((m) => m.kind).sort(), ["esModule", "wasm"]);
    assert.match(readFileSync(path.join(intake, "dist", "index.js"), "utf8"), /export\s*\{[^}]*\bDelivery\b/);
    console.log(`wrangler: intake Worker ${r.stdout.match(/Total Upload: (.*)/)?.[1]}; bindings:\n${r.stdout.match(/following bindings:\n([\s\S]*?)\n\n/)?.[1] ?? r.stdout}`);
  });
});
