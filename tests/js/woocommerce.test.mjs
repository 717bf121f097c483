// WooCommerce through the package: the signature vectors (tests/js/fixtures/woocommerce-vectors.json)
// through verify(), each valid one re-made here with node:crypto the way WC_Webhook signs
// (no WooCommerce SDK verifies webhooks); the topic header through parseRequest; the ping.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { deliveryId, detect, limits, parse, parseRequest, verify } from "orderhook";
import { root, sample } from "./helpers.mjs";

const { vectors } = JSON.parse(readFileSync(path.join(root, "tests", "js", "fixtures", "woocommerce-vectors.json"), "utf8"));
const sign = (body, secret) => createHmac("sha256", secret).update(body).digest("base64");
const created = sample("woocommerce.order.created.json");
const SECRET = "wc_sk_test_0123456789";

function request(body, headers) {
  return new Request("https://shop.example/webhooks/woocommerce", { method: "POST", body, headers });
}

describe("WooCommerce signatures", () => {
  for (const v of vectors) {
    test(`${v.name}: ${v.expect}`, () => {
      const r = verify("woocommerce", v.body, v.headers, v.secret, { now: v.now * 1000 });
      assert.equal(r.ok ? "ok" : r.error.code, v.expect, JSON.stringify(r));
    });
  }

  test("every valid vector's signature is node:crypto's base64 HMAC-SHA256 of the body", () => {
    const decode = (s) => s.replaceAll("&amp;", "&").replaceAll("&lt;", "<");
    for (const v of vectors.filter((x) => x.expect === "ok")) {
      const header = Object.entries(v.headers).find(([k]) => k.toLowerCase() === "x-wc-webhook-signature")[1].trim();
      assert.equal(header, sign(v.body, decode(v.secret)), v.name);
    }
  });

  test("a signed delivery verifies with the bytes as sent and not once re-serialized", () => {
    const headers = { "X-WC-Webhook-Signature": sign(created.bytes, SECRET) };
    assert.deepEqual(verify("woocommerce", created.bytes, headers, SECRET), { ok: true });
    const reserialized = JSON.stringify(JSON.parse(created.text));
    assert.equal(verify("woocommerce", reserialized, headers, SECRET).error.code, "bad_signature");
  });
});

describe("WooCommerce requests", () => {
  test("parseRequest verifies, then reads the topic from X-WC-Webhook-Topic", async () => {
    const headers = { "X-WC-Webhook-Signature": sign(created.bytes, SECRET), "X-WC-Webhook-Topic": "order.created" };
    const r = await parseRequest(request(created.bytes, headers), { secret: SECRET });
    assert.equal(r.ok, true, JSON.stringify(r.errors));
    assert.equal(r.event.provider, "woocommerce");
    assert.deepEqual([r.event.event_type, r.event.kind], ["order.created", "created"]);
    assert.deepEqual(r.warnings, []);
  });

  test("order.deleted's {id} body is read on the WooCommerce route", async () => {
    const body = '{"id":4211}';
    const headers = { "X-WC-Webhook-Signature": sign(body, SECRET), "X-WC-Webhook-Topic": "order.deleted" };
    const r = await parseRequest(request(body, headers), { secret: SECRET, provider: "woocommerce" });
    assert.deepEqual([r.ok, r.event.kind, r.event.order.id, r.event.order.status], [true, "unknown", "4211", "unknown"]);
  });

  test("the unsigned ping is one unsupported_event from parse, verify and parseRequest alike", async () => {
    const ping = "webhook_id=17";
    const fromParse = parse(ping);
    const fromVerify = verify("woocommerce", ping, {}, SECRET);
    const fromRequest = await parseRequest(request(ping, { "content-type": "application/x-www-form-urlencoded" }), {
      secret: SECRET,
      provider: "woocommerce",
    });
    assert.equal(fromParse.errors.length, 1);
    assert.equal(fromParse.errors[0].code, "unsupported_event");
    assert.match(fromParse.errors[0].message, /ping \(webhook_id=17\).*HTTP 200/);
    assert.deepEqual(fromVerify.error, fromParse.errors[0]);
    assert.deepEqual(fromRequest, { ok: false, errors: [fromParse.errors[0]], warnings: [] });
    assert.equal(detect(ping), null);
  });

  test("the body alone is WooCommerce's, its kind inferred from the status with a warning", () => {
    assert.deepEqual(detect(created.text), { provider: "woocommerce", eventType: null });
    const r = parse(created.text);
    assert.deepEqual([r.event.event_type, r.event.kind], [null, "paid"]);
    assert.deepEqual(r.warnings.map((w) => w.code), ["inferred_event"]);
  });

  test("the registry: topic header, signature header, no delivery id and no retries", () => {
    const spec = limits().providerSpecs.find((s) => s.name === "woocommerce");
    assert.equal(spec.title, "WooCommerce");
    assert.equal(spec.eventTypeHeader, "x-wc-webhook-topic");
    assert.deepEqual(spec.signatureHeaders, ["x-wc-webhook-signature"]);
    assert.deepEqual(spec.deliveryId, { source: "none" });
    assert.equal(spec.retryHorizonHours, 0);
    const event = parse(created.text, { eventType: "order.created" }).event;
    // X-WC-Webhook-Delivery-ID is per webhook and second, not per event: never a de-duplication key.
    assert.equal(deliveryId("woocommerce", { "X-WC-Webhook-Delivery-ID": "8d3f0c5b" }, event), null);
  });
});
