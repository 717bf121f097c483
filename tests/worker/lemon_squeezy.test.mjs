// The example Worker's Lemon Squeezy route, which comes from the registry: POST
// /webhooks/lemon_squeezy with LEMON_SQUEEZY_WEBHOOK_SECRET (bound in workerd.capnp by
// `npm run docs`), run in workerd as the example's README runs it.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { parse } from "orderhook";
import { startWorkerd } from "../../scripts/workerd.mjs";
import { root, sample } from "../js/helpers.mjs";
import { exampleDir } from "./lib.mjs";

const SECRET = "ls_worker_secret_5Zq8";
const sign = (bytes, secret = SECRET) => createHmac("sha256", secret).update(bytes).digest("hex");
let worker;

before(async () => {
  worker = await startWorkerd({
    config: path.join(exampleDir, "workerd.capnp"),
    cwd: exampleDir,
    importPath: path.join(root, "node_modules"), // node_modules/orderhook → pkg/ (npm run build)
    env: { LEMON_SQUEEZY_WEBHOOK_SECRET: SECRET },
  });
});

after(async () => {
  await worker?.stop();
});

const post = (body, headers) =>
  fetch(`${worker.base}/webhooks/lemon_squeezy`, { method: "POST", body, headers, signal: AbortSignal.timeout(10_000) });

test("a signed order_created is answered with its normalized event, and no delivery id", { timeout: 30_000 }, async () => {
  const s = sample("lemon_squeezy.order_created.json");
  const headers = { "content-type": "application/json", "x-event-name": "order_created", "x-signature": sign(s.bytes) };
  const res = await post(s.bytes, headers);
  assert.equal(res.status, 200);
  const expected = parse(s.bytes, { provider: "lemon_squeezy" });
  assert.deepEqual(await res.json(), { ok: true, duplicate: false, id: null, event: expected.event, warnings: expected.warnings });
  // Lemon Squeezy sends nothing to tell a retry by, so the Worker cannot call it a duplicate.
  assert.deepEqual((await (await post(s.bytes, headers)).json()).duplicate, false);
});

test("a wrong or missing signature is 401 with the issue", { timeout: 30_000 }, async () => {
  const s = sample("lemon_squeezy.order_refunded.json");
  const wrong = await post(s.bytes, { "x-signature": sign(s.bytes, "not the secret") });
  assert.equal(wrong.status, 401);
  assert.equal((await wrong.json()).error.code, "bad_signature");
  const missing = await post(s.bytes, {});
  assert.equal(missing.status, 401);
  assert.equal((await missing.json()).error.code, "missing_signature");
});

test("a signed subscription_created (not an order event) is acknowledged as ignored", { timeout: 30_000 }, async () => {
  const bytes = readFileSync(path.join(root, "tests", "fixtures", "lemon_squeezy.subscription_created.unsupported.json"));
  const res = await post(bytes, { "x-signature": sign(bytes) });
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.ignored, true);
  assert.equal(body.reason.code, "unsupported_event");
});
