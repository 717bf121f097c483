// `npm run worker` (scripts/worker.mjs): it serves the example on 127.0.0.1:$PORT (here
// PORT=0: a port the kernel picks, which the script prints), the curl commands it prints
// work as printed (the Polar and Voucherify signatures are right), and Ctrl-C (SIGINT)
// stops it and workerd.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, test } from "node:test";
import { root } from "../js/helpers.mjs";

const READY_TIMEOUT_MS = 30_000;

/** The printed `curl -i URL ... -H 'k: v' ... --data-binary @'file'` commands, as requests. */
function curlCommands(text) {
  return text
    .replace(/\\\n\s*/g, " ")
    .split("\n")
    .filter((l) => l.startsWith("curl "))
    .map((line) => {
      const url = line.match(/^curl -i (\S+)/)[1];
      const headers = Object.fromEntries([...line.matchAll(/-H '([^:']+): ([^']*)'/g)].map((m) => [m[1], m[2]]));
      const file = line.match(/--data-binary @'([^']+)'/)?.[1];
      const inline = line.match(/--data-binary '([^']*)'/)?.[1];
      const method = /-X POST/.test(line) || file || inline !== undefined ? "POST" : "GET";
      return { url, headers, method, body: file ? readFileSync(file) : inline };
    });
}

let child;
// The script runs in a process group of its own, so that a failed test can stop both it
// and the workerd it started, whatever state they are in.
after(() => {
  try {
    if (child) process.kill(-child.pid, "SIGKILL");
  } catch {}
});

test("npm run worker serves the example and prints working curl commands", { timeout: 60_000 }, async () => {
  // Without secrets in the environment, so the script's printed dev values are used.
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, PORT: "0" };
  child = spawn(process.execPath, [path.join(root, "scripts", "worker.mjs")], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!out.includes("worker: ready")) {
    if (child.exitCode !== null) assert.fail(`scripts/worker.mjs exited early:\n${out}`);
    if (Date.now() > deadline) assert.fail(`not ready after ${READY_TIMEOUT_MS} ms:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const port = Number(out.match(/listening on http:\/\/127\.0\.0\.1:(\d+)\n/)?.[1]);
  assert.ok(port > 0, `the script prints the port it listens on:\n${out}`);

  const commands = curlCommands(out);
  const answers = [];
  for (const c of commands) {
    assert.ok(c.url.startsWith(`http://127.0.0.1:${port}/`), c.url);
    const res = await fetch(c.url, { method: c.method, headers: c.headers, body: c.body, signal: AbortSignal.timeout(10_000) });
    const body = await res.json();
    answers.push(`${res.status} ${body.ok ? body.event?.provider : body.error?.code ?? body.errors?.[0]?.code}`);
  }
  // Polar, Voucherify, Paddle, Vrio, Stripe, Shopify valid; then the faults, in the printed order.
  assert.deepEqual(answers, ["200 polar", "200 voucherify", "200 paddle", "200 vrio", "200 stripe", "200 shopify", "401 missing_signature", "400 invalid_json", "405 method_not_allowed", "404 not_found"]);

  // The Polar command again is a retry of the same delivery.
  const polar = commands[0];
  const again = await fetch(polar.url, { method: "POST", headers: polar.headers, body: polar.body, signal: AbortSignal.timeout(10_000) });
  assert.deepEqual(await again.json(), { ok: true, duplicate: true, id: polar.headers["webhook-id"] });

  // Ctrl-C: the script stops workerd and exits 0; the port is closed.
  child.kill("SIGINT");
  let timer;
  const how = await Promise.race([exited, new Promise((r) => (timer = setTimeout(() => r("timeout"), 10_000)))]);
  clearTimeout(timer);
  assert.deepEqual(how, { code: 0, signal: null }, out);
  await assert.rejects(fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) }));
});
