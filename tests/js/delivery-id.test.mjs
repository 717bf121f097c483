// deliveryId(): the id each provider keeps across retries of one delivery, from where its
// registry entry says (a request header, or the body's event id), and how long it retries.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { deliveryId, limits, parse, parseRequest } from "orderhook";
import { sample, standardWebhooksHeaders } from "./helpers.mjs";

const specOf = (name) => limits().providerSpecs.find((s) => s.name === name);
const eventOf = (file, options) => parse(sample(file).bytes, options).event;

describe("deliveryId", () => {
  test("Polar's is its webhook-id header, in any letter case and from Headers too", () => {
    const event = eventOf("polar.order.paid.json");
    assert.equal(deliveryId("polar", { "Webhook-Id": "msg_1" }, event), "msg_1");
    assert.equal(deliveryId("polar", new Headers({ "webhook-id": "msg_1" }), event), "msg_1");
    assert.equal(deliveryId("polar", {}, event), null);
  });

  test("parseRequest's Polar event carries the same id as its event_id", async () => {
    const { bytes } = sample("polar.order.paid.json");
    const key = "whsec_" + Buffer.alloc(32, 7).toString("base64");
    const headers = standardWebhooksHeaders(bytes, Buffer.alloc(32, 7), { id: "msg_retry_1" });
    const request = new Request("http://x/", { method: "POST", body: bytes, headers });
    const result = await parseRequest(request, { provider: "polar", secret: key });
    assert.equal(result.ok, true);
    assert.equal(deliveryId("polar", headers, result.event), "msg_retry_1");
    assert.equal(result.event.event_id, "msg_retry_1");
  });

  test("Voucherify's and Vrio's are the body's event id, whatever the headers say", () => {
    const v = eventOf("voucherify.customer.order.paid.json", { currency: "USD" });
    assert.ok(v.event_id);
    assert.equal(deliveryId("voucherify", { "webhook-id": "other" }, v), v.event_id);
    const r = eventOf("vrio.order_updated.json");
    assert.ok(r.event_id);
    assert.equal(deliveryId("vrio", {}, r), r.event_id);
    assert.equal(deliveryId("vrio", {}, { ...r, event_id: null }), null);
    assert.equal(deliveryId("vrio", {}, null), null);
  });

  test("an unknown provider or a body instead of the event is misuse", () => {
    assert.throws(() => deliveryId("acme", {}, null), /^TypeError: orderhook: .*acme/);
    assert.throws(() => deliveryId("vrio", {}, "{}"), /^TypeError: orderhook: event must be the parsed event/);
  });
});

describe("the registry's delivery ids and retry horizons", () => {
  test("every provider names its id's source and a horizon in hours", () => {
    for (const spec of limits().providerSpecs) {
      assert.ok(["header", "event_id", "none"].includes(spec.deliveryId.source), spec.name);
      if (spec.deliveryId.source === "header") assert.match(spec.deliveryId.name, /^[a-z0-9-]+$/, spec.name);
      // A provider without a delivery id does not retry: 0 h.
      const least = spec.deliveryId.source === "none" ? 0 : 1;
      assert.ok(Number.isInteger(spec.retryHorizonHours) && spec.retryHorizonHours >= least, spec.name);
    }
  });

  test("Polar 48 h from its header, Voucherify 72 h and Vrio a week from the body", () => {
    assert.deepEqual(specOf("polar").deliveryId, { source: "header", name: "webhook-id" });
    assert.deepEqual(specOf("voucherify").deliveryId, { source: "event_id" });
    assert.deepEqual(specOf("vrio").deliveryId, { source: "event_id" });
    assert.deepEqual(["polar", "voucherify", "vrio"].map((p) => specOf(p).retryHorizonHours), [48, 72, 168]);
  });
});
