// Runs bench/workerd/worker.js in workerd (the npm `workerd` binary) on
// 127.0.0.1 and times its loops from outside. The Worker imports "orderhook"
// through the `workerd` condition of pkg/package.json, and zod and valibot from
// node_modules, each listed module by module in the capnp config.
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import workerdPackage from "workerd";
import { benchDir, median, pkgDir, root } from "../lib.mjs";

const workerdBinary = workerdPackage.default ?? workerdPackage;
const { compatibilityDate } = workerdPackage;
const READY_TIMEOUT_MS = 20_000;

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

const relativeImports = (text) =>
  [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.{1,2}\/[^"']+)["']/g)].map((m) => m[1]);

/**
 * Modules for the capnp config: `[name, file, kind]`, following relative
 * imports from each entry. A module's name is its path relative to the entry's
 * name, as workerd resolves relative specifiers against the importer's name.
 */
function collectModules(entries) {
  const byName = new Map();
  const queue = [...entries];
  while (queue.length) {
    const [name, file] = queue.shift();
    const seen = byName.get(name);
    if (seen) {
      if (seen.file !== file) throw new Error(`workerd bench: module name ${name} stands for ${seen.file} and ${file}`);
      continue;
    }
    const kind = file.endsWith(".wasm") ? "wasm" : "esModule";
    byName.set(name, { file, kind });
    if (kind === "wasm") continue;
    for (const spec of relativeImports(readFileSync(file, "utf8"))) {
      const nextName = path.posix.normalize(path.posix.join(path.posix.dirname(name), spec));
      queue.push([nextName, path.resolve(path.dirname(file), spec)]);
    }
  }
  return [...byName].map(([name, m]) => ({ name, ...m }));
}

function writeConfig(dir, port, payloads) {
  // The Worker, its schemas and the payloads side by side, as the Worker imports them.
  writeFileSync(path.join(dir, "payloads.js"), `export default ${JSON.stringify(payloads)};\n`);
  copyFileSync(path.join(benchDir, "workerd", "worker.js"), path.join(dir, "worker.js"));
  copyFileSync(path.join(benchDir, "schemas.mjs"), path.join(dir, "schemas.mjs"));
  const manifest = JSON.parse(readFileSync(path.join(pkgDir, "package.json"), "utf8"));
  const target = manifest.exports["."].workerd;
  const entry = typeof target === "string" ? target : target.default;
  const zodManifest = JSON.parse(readFileSync(path.join(root, "node_modules", "zod", "package.json"), "utf8"));
  const valibotManifest = JSON.parse(readFileSync(path.join(root, "node_modules", "valibot", "package.json"), "utf8"));
  const modules = collectModules([
    ["worker.js", path.join(dir, "worker.js")],
    ["orderhook", path.join(pkgDir, entry)],
    ["zod", path.join(root, "node_modules", "zod", zodManifest.exports["."].import)],
    ["valibot", path.join(root, "node_modules", "valibot", valibotManifest.exports["."].import.default)],
  ]);
  const embed = (file) => JSON.stringify(path.relative(dir, file));
  const lines = modules.map((m) => `(name = ${JSON.stringify(m.name)}, ${m.kind} = embed ${embed(m.file)})`);
  const config = `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [
    ${lines.join(",\n    ")}
  ],
  compatibilityDate = "${compatibilityDate}",
);
`;
  const file = path.join(dir, "config.capnp");
  writeFileSync(file, config);
  return { file, moduleCount: modules.length };
}

/**
 * Start workerd, check the Worker's outputs, then time each case per payload:
 * for N iterations per request (grown until one request takes `targetMs`),
 * the median of `repeats` requests minus the median of empty (N = 0) requests,
 * divided by N. Returns `{ version, evalAllowed, rows, clock }`.
 */
export async function benchWorkerd({ payloads, caseNames, targetMs, repeats, log = () => {} }) {
  if (!existsSync(workerdBinary)) throw new Error(`workerd binary not found at ${workerdBinary}`);
  const dir = mkdtempSync(path.join(tmpdir(), "orderhook-bench-workerd-"));
  const port = await freePort();
  const { file, moduleCount } = writeConfig(dir, port, payloads);
  const base = `http://127.0.0.1:${port}`;
  let output = "";
  const child = spawn(workerdBinary, ["serve", file], { stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const stop = () => child.exitCode === null && child.kill("SIGKILL");
  process.once("exit", stop);
  try {
    const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve(`exited (${code ?? signal})`)));
    const deadline = Date.now() + READY_TIMEOUT_MS;
    let check;
    for (;;) {
      try {
        const res = await fetch(`${base}/check`, { signal: AbortSignal.timeout(10_000) });
        if (res.ok) {
          check = await res.json();
          break;
        }
        throw new Error(`status ${res.status}: ${await res.text()}`);
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`workerd not ready after ${READY_TIMEOUT_MS} ms: ${e.message}\n${output}`);
      }
      const gone = await Promise.race([exited, new Promise((r) => setTimeout(() => r(null), 200))]);
      if (gone) throw new Error(`workerd ${gone} before it was ready:\n${output}`);
    }
    for (const row of check.payloads) {
      if (!row.ok || !row.okBytes) throw new Error(`workerd: orderhook did not parse ${row.name}: ${JSON.stringify(row)}`);
      if (row.orderhook) {
        for (const lib of ["zod", "valibot"]) {
          if (JSON.stringify(row[lib]) !== JSON.stringify(row.orderhook)) {
            throw new Error(`workerd: ${lib} and orderhook disagree on ${row.name}: ${JSON.stringify(row[lib])} vs ${JSON.stringify(row.orderhook)}`);
          }
        }
      }
    }
    const get = async (query) => {
      const t0 = process.hrtime.bigint();
      const res = await fetch(`${base}/?${query}`, { signal: AbortSignal.timeout(60_000) });
      const body = await res.json();
      const wall = Number(process.hrtime.bigint() - t0) / 1e6;
      if (!res.ok) throw new Error(`workerd: ${query}: ${JSON.stringify(body)}`);
      return { wall, ...body };
    };
    // Request overhead: empty loops.
    const empty = [];
    for (let k = 0; k < Math.max(7, repeats * 2); k++) empty.push((await get("case=JSON.parse&i=0&n=0")).wall);
    const overheadMs = median(empty);
    // Warm-up: every case runs 2,000 times (JIT and wasm tier-up) before anything is timed.
    for (const name of caseNames) {
      const i = payloads.findIndex((p) => p.schema || (name !== "zod" && name !== "valibot"));
      if (i >= 0) await get(`case=${encodeURIComponent(name)}&i=${i}&n=2000`);
    }
    const rows = [];
    const clock = { perfZero: 0, dateZero: 0, samples: 0 };
    for (const [i, p] of payloads.entries()) {
      for (const name of caseNames) {
        if ((name === "zod" || name === "valibot") && !p.schema) continue;
        const q = (n) => `case=${encodeURIComponent(name)}&i=${i}&n=${n}`;
        let n = 16;
        for (;;) {
          const r = await get(q(n));
          if (r.wall - overheadMs >= targetMs || n >= 1 << 22) break;
          n *= 2;
        }
        const walls = [];
        const perf = [];
        const date = [];
        for (let k = 0; k < repeats; k++) {
          const r = await get(q(n));
          walls.push(r.wall);
          perf.push(r.perf_ms);
          date.push(r.date_ms);
          clock.samples++;
          if (r.perf_ms === 0) clock.perfZero++;
          if (r.date_ms === 0) clock.dateZero++;
        }
        const perIterNs = ((median(walls) - overheadMs) / n) * 1e6;
        rows.push({
          payload: p.name,
          case: name,
          n,
          perIterNs,
          spread: (Math.max(...walls) - Math.min(...walls)) / 2 / median(walls),
          perfNs: (median(perf) / n) * 1e6,
          dateNs: (median(date) / n) * 1e6,
        });
        log(`workerd ${p.name} ${name}: n=${n}`);
      }
    }
    return { binary: workerdBinary, compatibilityDate, moduleCount, evalAllowed: check.evalAllowed, overheadMs, rows, clock };
  } finally {
    stop();
    process.removeListener("exit", stop);
    rmSync(dir, { recursive: true, force: true });
  }
}
