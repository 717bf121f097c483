// Runs tests/workerd/worker.js in workerd (the npm `workerd` binary) on
// 127.0.0.1 and sends it webhook bodies. The Worker imports "orderhook"; the
// config below resolves that the way a bundler does for Workers, through the
// `workerd` condition of pkg/package.json's exports, and lists every module.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import workerdPackage from "workerd";
import { sample, standardWebhooksHeaders } from "../js/helpers.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const pkgDir = path.resolve(here, "..", "..", "pkg");
const READY_TIMEOUT_MS = 20_000;
// The npm package (CommonJS) exports the path of the platform's binary and the newest compatibility date.
const workerdBinary = workerdPackage.default ?? workerdPackage;
const { compatibilityDate } = workerdPackage;
const SECRET = `whsec_${randomBytes(32).toString("base64")}`;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Relative modules a module imports statically (`import x from "./y.js"`, `export ... from "./z.js"`). */
function relativeImports(text) {
  return [...text.matchAll(/(?:\bfrom\s*|\bimport\s*)["'](\.\/[^"']+)["']/g)].map((m) => m[1]);
}

/**
 * The capnp config: the Worker, then "orderhook" = the package's workerd entry,
 * then every module that entry reaches, named by its path in the package.
 */
function writeConfig(dir, port) {
  const manifest = JSON.parse(readFileSync(path.join(pkgDir, "package.json"), "utf8"));
  const target = manifest.exports["."].workerd;
  const entry = typeof target === "string" ? target : target.default;
  const embed = (file) => JSON.stringify(path.relative(dir, file));
  const modules = [`(name = "worker.js", esModule = embed ${embed(path.join(here, "worker.js"))})`];
  const seen = new Set();
  const queue = [[path.posix.normalize(entry), "orderhook"]];
  while (queue.length) {
    const [rel, name] = queue.shift();
    if (seen.has(rel)) continue;
    seen.add(rel);
    const file = path.join(pkgDir, rel);
    if (rel.endsWith(".wasm")) {
      modules.push(`(name = ${JSON.stringify(name)}, wasm = embed ${embed(file)})`);
      continue;
    }
    modules.push(`(name = ${JSON.stringify(name)}, esModule = embed ${embed(file)})`);
    for (const spec of relativeImports(readFileSync(file, "utf8"))) {
      const next = path.posix.normalize(path.posix.join(path.posix.dirname(rel), spec));
      queue.push([next, next]);
    }
  }
  const config = `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [
    ${modules.join(",\n    ")}
  ],
  compatibilityDate = "${compatibilityDate}",
  bindings = [(name = "POLAR_SECRET", text = ${JSON.stringify(SECRET)})],
);
`;
  const file = path.join(dir, "config.capnp");
  writeFileSync(file, config);
  return file;
}

let child;
let base;
let log = "";

before(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "orderhook-workerd-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const port = await freePort();
  const config = writeConfig(dir, port);
  base = `http://127.0.0.1:${port}`;
  child = spawn(workerdBinary, ["serve", config], { stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve(`exited (${code ?? signal})`)));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    try {
      const res = await fetch(base, { signal: AbortSignal.timeout(1000) });
      if (res.ok) break;
    } catch {}
    const gone = await Promise.race([exited, new Promise((r) => setTimeout(() => r(null), 200))]);
    if (gone) throw new Error(`workerd ${gone} before it was ready:\n${log}`);
    if (Date.now() > deadline) throw new Error(`workerd not ready after ${READY_TIMEOUT_MS} ms:\n${log}`);
  }
});

// Always stop workerd, also when a test fails.
after(() => child?.kill("SIGKILL"));
process.on("exit", () => child?.kill("SIGKILL"));

const post = (pathname, body, headers = {}) =>
  fetch(base + pathname, { method: "POST", body, headers, signal: AbortSignal.timeout(10_000) });

describe("orderhook in workerd", { timeout: 60_000 }, () => {
  test("the Worker answers with the package version", async () => {
    const res = await fetch(base, { signal: AbortSignal.timeout(5000) });
    const { version } = JSON.parse(readFileSync(path.join(pkgDir, "package.json"), "utf8"));
    assert.equal(await res.text(), `orderhook ${version}\n`);
  });

  test("a valid Polar body is parsed", async () => {
    const res = await post("/", sample("polar.order.paid.json").bytes);
    assert.equal(res.status, 200);
    const r = await res.json();
    assert.equal(r.ok, true);
    assert.equal(r.event.provider, "polar");
    assert.equal(r.event.kind, "paid");
    assert.equal(r.event.order.currency, "EUR");
    assert.equal(r.event.order.total, 6125);
    assert.deepEqual(r.warnings, []);
  });

  test("an invalid body gives the errors, not an exception", async () => {
    const res = await post("/", '{"type":"order.paid",\n "data": }');
    assert.equal(res.status, 422);
    const r = await res.json();
    assert.equal(r.ok, false);
    assert.deepEqual(r.errors.map((e) => e.code), ["invalid_json"]);
    assert.match(r.errors[0].message, /line 2 column \d+/);
  });

  test("a Vrio body is read in an IANA zone through workerd's Intl", async () => {
    const res = await post("/?timeZone=America/New_York", sample("vrio.order_updated.json").bytes);
    assert.equal(res.status, 200);
    const r = await res.json();
    assert.equal(r.ok, true);
    assert.equal(r.event.provider, "vrio");
    assert.equal(r.event.event_id, "48213");
    assert.equal(r.event.occurred_at, "2026-07-14T13:32:17Z"); // 09:32:17 EDT
    assert.equal(r.event.order.total, 6395);
    assert.deepEqual(r.warnings.map((w) => w.code), ["assumed_currency"]);
  });

  test("parseRequest verifies a Polar signature synchronously inside the Worker", async () => {
    const body = sample("polar.order.created.json").bytes;
    const key = Buffer.from(SECRET.slice("whsec_".length), "base64");
    const headers = standardWebhooksHeaders(body, key);
    const good = await post("/verified", body, headers);
    assert.equal(good.status, 200);
    assert.equal((await good.json()).event.kind, "created");
    const forged = await post("/verified", body, { ...headers, "webhook-id": "msg_forged" });
    assert.equal(forged.status, 400);
    assert.deepEqual((await forged.json()).errors.map((e) => e.code), ["bad_signature"]);
  });
});
