// Shared by the tests of examples/worker: start the example in workerd (the npm
// `workerd` binary) on 127.0.0.1, sign bodies the way the providers do, and check
// that the example's workerd.capnp lists every module of the package.
import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import workerdPackage from "workerd";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const exampleDir = path.join(root, "examples", "worker");
export const samplesDir = path.join(root, "examples", "samples");

// The npm package (CommonJS) exports the path of the platform's binary. Spawning
// that binary, not node_modules/.bin/workerd (a Node wrapper that runs it as a
// grandchild), lets the tests kill exactly the process they started.
export const workerdBinary = workerdPackage.default ?? workerdPackage;

/** Every bundled sample: `{ file, provider, text, bytes }`. */
export const samples = readdirSync(samplesDir)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((file) => {
    const bytes = readFileSync(path.join(samplesDir, file));
    return { file, provider: file.split(".")[0], text: bytes.toString("utf8"), bytes };
  });

// ---------------------------------------------------------------- signatures

/** Polar / Standard Webhooks headers for `body`, HMAC key `key` (Buffer or string). */
export function polarHeaders(body, key, { id, timestamp = Math.floor(Date.now() / 1000) }) {
  const ts = String(timestamp);
  const signature = createHmac("sha256", key).update(`${id}.${ts}.`).update(body).digest("base64");
  return { "webhook-id": id, "webhook-timestamp": ts, "webhook-signature": `v1,${signature}` };
}

/** The HMAC key of a `whsec_<base64>` secret in the standard scheme. */
export function standardKey(secret) {
  return Buffer.from(secret.slice("whsec_".length), "base64");
}

/** Voucherify: lowercase hex HMAC-SHA256 of the body. */
export function voucherifySignature(body, secret) {
  return createHmac("sha256", secret).update(body).digest("hex");
}

// ---------------------------------------------------------------- modules

/** Relative modules a module imports statically. */
function relativeImports(text) {
  return [...text.matchAll(/(?:\bfrom\s*|\bimport\s*)["'](\.\/[^"']+)["']/g)].map((m) => m[1]);
}

/**
 * The files of an installed orderhook that a Worker loads: the `workerd` export
 * of its package.json and every module that entry reaches.
 */
export function packageWorkerdFiles(packageDir) {
  const manifest = JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8"));
  const target = manifest.exports["."].workerd;
  const entry = path.posix.normalize(typeof target === "string" ? target : target.default);
  const files = new Set();
  const queue = [entry];
  while (queue.length) {
    const rel = queue.shift();
    if (files.has(rel)) continue;
    files.add(rel);
    if (rel.endsWith(".wasm")) continue;
    for (const spec of relativeImports(readFileSync(path.join(packageDir, rel), "utf8"))) {
      queue.push(path.posix.normalize(path.posix.join(path.posix.dirname(rel), spec)));
    }
  }
  return { entry, files: [...files].sort() };
}

/** `{ name, kind, file }` of every module in a workerd .capnp config. */
export function capnpModules(configText) {
  return [...configText.matchAll(/\(name = "([^"]+)", (esModule|wasm) = embed "([^"]+)"\)/g)].map((m) => ({
    name: m[1],
    kind: m[2],
    file: m[3],
  }));
}

// ---------------------------------------------------------------- workerd

/**
 * Start `workerd serve <config>` on 127.0.0.1 and a port the kernel picks
 * (`--socket-addr http=127.0.0.1:0`; workerd reports it on `--control-fd`), then
 * wait until the Worker answers. Bounded by `readyTimeoutMs`. The process is
 * killed when this Node process exits, whatever happens.
 */
export async function startWorker({ config, cwd, importPath, env = {}, readyTimeoutMs = 20_000 }) {
  const args = ["serve", config, "--import-path", importPath, "--socket-addr", "http=127.0.0.1:0", "--control-fd", "3"];
  const child = spawn(workerdBinary, args, {
    cwd,
    stdio: ["ignore", "pipe", "pipe", "pipe"],
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
  const killOnExit = () => child.kill("SIGKILL");
  process.on("exit", killOnExit);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve(`exited (${code ?? signal})`)));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
    }
    process.off("exit", killOnExit);
  };

  try {
    const port = await new Promise((resolve, reject) => {
      let control = "";
      const timer = setTimeout(() => reject(new Error(`workerd reported no port within ${readyTimeoutMs} ms`)), readyTimeoutMs);
      child.stdio[3].on("data", (d) => {
        control += d;
        const m = control.match(/"port":(\d+)/);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      exited.then((how) => {
        clearTimeout(timer);
        reject(new Error(`workerd ${how} before it listened`));
      });
      child.once("error", reject);
    });
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      try {
        const res = await fetch(`${base}/ready-probe`, { signal: AbortSignal.timeout(1000) });
        await res.arrayBuffer();
        if (res.status === 404) break; // the Worker's own answer to an unknown path
      } catch {}
      if (Date.now() > deadline) throw new Error(`workerd not ready after ${readyTimeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return { base, port, child, stop, stdout: () => stdout, stderr: () => stderr };
  } catch (e) {
    await stop();
    e.message += `\n--- workerd stdout:\n${stdout}\n--- workerd stderr:\n${stderr}`;
    throw e;
  }
}
