// workerd (the npm `workerd` package: the runtime of Cloudflare Workers), one way for all
// that run it: the Worker tests (tests/worker/), the package test in workerd
// (tests/workerd/), the workerd bench (bench/workerd/) and `npm run worker`.
//
// startWorkerd() serves on 127.0.0.1 only and, by default, on a port the kernel picks as
// workerd binds it (`--socket-addr http=127.0.0.1:0`; workerd reports the port on
// `--control-fd`), so no two runs can race for a port; it waits a bounded time for the
// Worker to answer and stops workerd, also when Node exits. moduleGraph() and
// capnpConfig() write the config of a Worker that imports orderhook the way a bundler
// for Workers resolves it.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import workerdPackage from "workerd";

// The npm package (CommonJS) exports the path of the platform's binary and the newest
// compatibility date it supports. Spawning that binary, not node_modules/.bin/workerd (a
// Node wrapper that runs it as a grandchild), lets us stop exactly the process we started.
export const workerdBinary = workerdPackage.default ?? workerdPackage;
export const { compatibilityDate } = workerdPackage;

const READY_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 3_000;

/** Whether the Worker answers `GET /` with anything but a server error (404 included). */
async function answers(base) {
  const res = await fetch(`${base}/`, { signal: AbortSignal.timeout(2_000) });
  await res.arrayBuffer();
  return res.status < 500;
}

/** The arguments of `workerd serve` for `config` with socket `socket` on 127.0.0.1:`port`. */
export function workerdArgs({ config, importPath, port = 0, socket = "http" }) {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`workerd: not a port: ${port}`);
  return ["serve", config, "--socket-addr", `${socket}=127.0.0.1:${port}`, ...(importPath ? ["--import-path", importPath] : [])];
}

/**
 * Start `workerd serve <config>` with the config's socket `socket` on 127.0.0.1:`port`
 * (`--socket-addr` replaces whatever address the config names), and wait until
 * `ready(base)` is true, for `readyTimeoutMs` at most in all. Port 0 (the default) lets
 * the kernel pick a free one. `env` is added to PATH and HOME: workerd's
 * `fromEnvironment` bindings read it. `output: "pipe"` keeps workerd's stdout and stderr
 * (stdout() and stderr() return them; a failed start adds them to the error),
 * `"inherit"` shows them.
 *
 * Returns `{ base, port, child, exited, stop, stdout, stderr }`: `exited` resolves with
 * "exited (<code or signal>)" when workerd exits; `stop()` sends SIGTERM, then SIGKILL
 * after 3 s, and resolves once workerd is gone.
 */
export async function startWorkerd({
  config,
  cwd = path.dirname(config),
  importPath,
  env = {},
  port = 0,
  socket = "http",
  output = "pipe",
  ready = answers,
  readyTimeoutMs = READY_TIMEOUT_MS,
}) {
  const child = spawn(workerdBinary, [...workerdArgs({ config, importPath, port, socket }), "--control-fd", "3"], {
    cwd,
    stdio: ["ignore", output, output, "pipe"],
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
  const killOnExit = () => child.kill("SIGKILL");
  process.on("exit", killOnExit);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d) => (stdout += d));
  child.stderr?.on("data", (d) => (stderr += d));
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve(`exited (${code ?? signal})`)));
  const spawnFailed = new Promise((_, reject) => child.once("error", reject));
  spawnFailed.catch(() => {});

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    }
    process.off("exit", killOnExit);
  };

  // Every wait below ends when workerd exits or the time is up, whichever comes first.
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`workerd not ready after ${readyTimeoutMs} ms`)), readyTimeoutMs);
  });
  const gone = exited.then((how) => Promise.reject(new Error(`workerd ${how} before it was ready`)));
  late.catch(() => {});
  gone.catch(() => {});
  const bounded = (promise) => Promise.race([promise, gone, late, spawnFailed]);
  let lastProbe;
  try {
    // 1. The port, as workerd reports it once it listens: {"event":"listen","socket":"http","port":N}.
    const listening = new Promise((resolve) => {
      let control = "";
      child.stdio[3].on("data", (d) => {
        control += d;
        for (const line of control.split("\n")) {
          try {
            const event = JSON.parse(line);
            if (event.event === "listen" && event.socket === socket) resolve(event.port);
          } catch {}
        }
      });
    });
    const actualPort = await bounded(listening);
    const base = `http://127.0.0.1:${actualPort}`;
    // 2. The Worker answers.
    for (;;) {
      const probe = Promise.resolve()
        .then(() => ready(base))
        .then((ok) => ({ ok }), (error) => ({ ok: false, error }));
      const { ok, error } = await bounded(probe);
      if (ok) break;
      lastProbe = error;
      await bounded(new Promise((r) => setTimeout(r, 100)));
    }
    return { base, port: actualPort, child, exited, stop, stdout: () => stdout, stderr: () => stderr };
  } catch (e) {
    await stop();
    if (lastProbe) e.message += ` (last probe: ${lastProbe.message})`;
    if (output === "pipe") e.message += `\n--- workerd stdout:\n${stdout}\n--- workerd stderr:\n${stderr}`;
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------- config

/**
 * Relative modules a module imports statically (`from "./x"`, `import "../y"`). Not
 * `import("./z")`: a JSDoc type may read like that, and none of the modules served
 * here imports dynamically.
 */
function relativeImports(text) {
  return [...text.matchAll(/(?:\bfrom\s*|\bimport\s*)["'](\.{1,2}\/[^"']+)["']/g)].map((m) => m[1]);
}

/** The file of an installed orderhook that a Worker loads: the `workerd` export of its package.json, relative to the package. */
export function packageWorkerdEntry(packageDir, subpath = ".") {
  const manifest = JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8"));
  const target = manifest.exports[subpath].workerd;
  return path.posix.normalize(typeof target === "string" ? target : target.default);
}

/**
 * Every module a Worker loads, from `entries` (`[name, file]`, the Worker first),
 * following relative imports: `[{ name, file, kind }]`, kind "esModule" or "wasm".
 * A module's name is its specifier resolved against its importer's name, as workerd
 * resolves it (so "orderhook" → "./core.js" is named "core.js").
 */
export function moduleGraph(entries) {
  const byName = new Map();
  const queue = [...entries];
  while (queue.length) {
    const [name, file] = queue.shift();
    const seen = byName.get(name);
    if (seen) {
      if (seen.file !== file) throw new Error(`workerd config: module name ${name} stands for ${seen.file} and ${file}`);
      continue;
    }
    const kind = file.endsWith(".wasm") ? "wasm" : "esModule";
    byName.set(name, { file, kind });
    if (kind === "wasm") continue;
    for (const spec of relativeImports(readFileSync(file, "utf8"))) {
      queue.push([path.posix.normalize(path.posix.join(path.posix.dirname(name), spec)), path.resolve(path.dirname(file), spec)]);
    }
  }
  return [...byName].map(([name, m]) => ({ name, ...m }));
}

/**
 * A workerd config for a config file in `dir`: one Worker of `modules` (moduleGraph;
 * files embedded by their path relative to `dir`) with text `bindings`, served by the
 * socket "http" on 127.0.0.1 (startWorkerd sets the port).
 */
export function capnpConfig({ dir, modules, bindings = {} }) {
  const embed = (file) => JSON.stringify(path.relative(dir, file));
  const lines = modules.map((m) => `(name = ${JSON.stringify(m.name)}, ${m.kind} = embed ${embed(m.file)})`);
  const texts = Object.entries(bindings).map(([name, text]) => `(name = ${JSON.stringify(name)}, text = ${JSON.stringify(text)})`);
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [
    ${lines.join(",\n    ")}
  ],
  compatibilityDate = "${compatibilityDate}",
  bindings = [${texts.join(", ")}],
);
`;
}
