// Deploying needs no build tricks: the example Worker runs against orderhook installed
// from the packed tarball, the way a user's project gets it.
//   npm pack ./pkg → npm install <tgz> (offline: the package has no dependencies)
//   → copy examples/worker (src/, workerd.capnp) → workerd serve workerd.capnp --import-path node_modules
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { parse } from "orderhook";
import { startWorkerd } from "../../scripts/workerd.mjs";
import { polarKey, root, sample, standardWebhooksHeaders, voucherifySignature } from "../js/helpers.mjs";
import { exampleDir, packageWorkerdFiles } from "./lib.mjs";

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const dir = mkdtempSync(path.join(tmpdir(), "orderhook-worker-pack-"));
let worker;
after(async () => {
  await worker?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function npmRun(args, cwd) {
  const r = spawnSync(npm, [...args, "--cache", path.join(dir, "npm-cache"), "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd,
    encoding: "utf8",
    timeout: 60_000,
  });
  assert.equal(r.status, 0, `npm ${args.join(" ")} failed (${r.status ?? r.signal ?? r.error}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

test("the example Worker runs on orderhook installed from the packed tarball", { timeout: 90_000 }, async () => {
  // 1. The tarball npm would publish.
  const [packed] = JSON.parse(npmRun(["pack", path.join(root, "pkg"), "--pack-destination", dir, "--json"], root));
  const tarball = path.join(dir, packed.filename);
  const inTarball = packed.files.map((f) => f.path);

  // 2. A user's project: the example's files, and orderhook installed from the tarball.
  const app = path.join(dir, "app");
  mkdirSync(app);
  writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "orderhook-worker-app", private: true, type: "module" }, null, 2));
  cpSync(path.join(exampleDir, "src"), path.join(app, "src"), { recursive: true });
  cpSync(path.join(exampleDir, "workerd.capnp"), path.join(app, "workerd.capnp"));
  npmRun(["install", tarball, "--offline", "--ignore-scripts"], app);
  const installed = path.join(app, "node_modules", "orderhook");
  assert.ok(lstatSync(installed).isDirectory() && !lstatSync(installed).isSymbolicLink(), "a real copy, not a link to pkg/");
  assert.equal(JSON.parse(readFileSync(path.join(installed, "package.json"), "utf8")).version, packed.version);
  for (const file of packageWorkerdFiles(installed).files) assert.ok(inTarball.includes(file), `${file} is in the tarball`);

  // 3. The Worker, unchanged, in workerd.
  const secret = `whsec_${randomBytes(32).toString("base64")}`;
  const token = randomBytes(24).toString("hex");
  worker = await startWorkerd({
    config: path.join(app, "workerd.capnp"),
    cwd: app,
    importPath: path.join(app, "node_modules"),
    env: { POLAR_WEBHOOK_SECRET: secret, VOUCHERIFY_WEBHOOK_SECRET: "v-secret", VRIO_PATH_TOKEN: token },
  });

  const polar = sample("polar.order.paid.json");
  const id = "msg_pack_1";
  const headers = standardWebhooksHeaders(polar.bytes, polarKey(secret), { id });
  const res = await fetch(`${worker.base}/webhooks/polar`, { method: "POST", body: polar.bytes, headers, signal: AbortSignal.timeout(10_000) });
  assert.equal(res.status, 200);
  const expected = parse(polar.bytes, { provider: "polar", eventId: id });
  assert.deepEqual(await res.json(), { ok: true, duplicate: false, id, event: expected.event, warnings: expected.warnings });

  const voucherify = sample("voucherify.customer.order.paid.json");
  const v = await fetch(`${worker.base}/webhooks/voucherify`, {
    method: "POST",
    body: voucherify.bytes,
    headers: { "x-voucherify-signature": voucherifySignature(voucherify.bytes, "v-secret") },
    signal: AbortSignal.timeout(10_000),
  });
  assert.equal(v.status, 200);
  assert.equal((await v.json()).event.kind, "paid");

  const vrio = sample("vrio.order_updated.json");
  const r = await fetch(`${worker.base}/webhooks/vrio/${token}`, { method: "POST", body: vrio.bytes, signal: AbortSignal.timeout(10_000) });
  assert.equal(r.status, 200);
  assert.equal((await r.json()).event.event_id, "48213");
  console.log(`package: ${packed.filename} (${packed.size} bytes, ${inTarball.length} files) installed and served by workerd`);
});
