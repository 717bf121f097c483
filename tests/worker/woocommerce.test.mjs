// The example Worker's WooCommerce route, which it derives from the registry
// (POST /webhooks/woocommerce, WOOCOMMERCE_WEBHOOK_SECRET), in workerd: a signed delivery
// is read with its X-WC-Webhook-Topic; the unsigned ping WooCommerce sends when a webhook
// is saved gets the exact 200 it needs; a bad signature gets 401; another resource's topic
// is acknowledged and ignored.
import assert from "node:assert/strict";
import { createHmac, randomBytes } from "node:crypto";
import path from "node:path";
import { after, before, test } from "node:test";
import { startWorkerd } from "../../scripts/workerd.mjs";
import { root, sample } from "../js/helpers.mjs";
import { exampleDir } from "./lib.mjs";

const SECRET = randomBytes(24).toString("base64");
const sign = (body) => createHmac("sha256", SECRET).update(body).digest("base64");
let worker;

before(async () => {
  worker = await startWorkerd({
    config: path.join(exampleDir, "workerd.capnp"),
    cwd: exampleDir,
    importPath: path.join(root, "node_modules"), // node_modules/orderhook → pkg/ (npm run build)
    env: { WOOCOMMERCE_WEBHOOK_SECRET: SECRET },
  });
});
after(async () => {
  await worker?.stop();
});

const post = (body, headers = {}) =>
  fetch(`${worker.base}/webhooks/woocommerce`, { method: "POST", body, headers, signal: AbortSignal.timeout(10_000) });

test("a signed order.created is read with the topic from its header", async () => {
  const { bytes } = sample("woocommerce.order.created.json");
  const res = await post(bytes, { "X-WC-Webhook-Signature": sign(bytes), "X-WC-Webhook-Topic": "order.created", "X-WC-Webhook-ID": "17" });
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  assert.deepEqual([body.event.provider, body.event.event_type, body.event.kind], ["woocommerce", "order.created", "created"]);
  assert.deepEqual([body.duplicate, body.id, body.warnings], [false, null, []]);
});

test("the unsigned ping gets exactly 200, acknowledged and ignored", async () => {
  const res = await post("webhook_id=17", { "content-type": "application/x-www-form-urlencoded", "user-agent": "WooCommerce/10.3.0 Hookshot (WordPress/6.9)" });
  const body = await res.json();
  assert.equal(res.status, 200);
  assert.deepEqual([body.ok, body.ignored, body.reason.code], [true, true, "unsupported_event"]);
});

test("a bad signature is 401 and another resource's topic is ignored", async () => {
  const { bytes } = sample("woocommerce.order.created.json");
  const bad = await post(bytes, { "X-WC-Webhook-Signature": sign("other"), "X-WC-Webhook-Topic": "order.created" });
  assert.equal(bad.status, 401);
  assert.equal((await bad.json()).error.code, "bad_signature");
  const product = await post(bytes, { "X-WC-Webhook-Signature": sign(bytes), "X-WC-Webhook-Topic": "product.updated" });
  assert.equal(product.status, 200);
  assert.equal((await product.json()).ignored, true);
});
