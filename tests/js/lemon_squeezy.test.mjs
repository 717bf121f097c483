// Lemon Squeezy through the package: the signature vectors (tests/spec/lemon_squeezy.signatures.json)
// through verify(), each "ok" signature recomputed with node:crypto as Lemon Squeezy's docs and its
// official Laravel package compute it (its official JS SDK verifies nothing); parseRequest; and the
// samples through parse() and detect().
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { deliveryId, detect, limits, parse, parseRequest, verify } from "orderhook";
import { flipByte, root, sample } from "./helpers.mjs";

const { vectors } = JSON.parse(readFileSync(path.join(root, "tests", "spec", "lemon_squeezy.signatures.json"), "utf8"));
const hmacHex = (body, secret) => createHmac("sha256", secret).update(body, "utf8").digest("hex");
const SECRET = "ls_sig_Q8mT2vX9kR4pW7";

describe("verify: Lemon Squeezy", () => {
  test("the vectors' valid signatures are node:crypto's hex HMAC-SHA256 of the body", () => {
    const valid = vectors.filter((v) => v.expect === "ok");
    assert.ok(valid.length >= 5);
    for (const v of valid) {
      const header = Object.entries(v.headers).find(([k]) => k.toLowerCase() === "x-signature")[1];
      assert.equal(header.trim().toLowerCase(), hmacHex(v.body, v.secret), v.name);
    }
  });

  test("every vector verifies or fails with its listed code, as a string and as bytes", () => {
    for (const v of vectors) {
      for (const body of [v.body, new TextEncoder().encode(v.body)]) {
        const r = verify("lemon_squeezy", body, v.headers, v.secret, { now: v.now * 1000 });
        if (v.expect === "ok") assert.deepEqual(r, { ok: true }, v.name);
        else assert.equal(r.error?.code, v.expect, `${v.name}: ${JSON.stringify(r)}`);
      }
    }
  });

  test("a Headers object works, and one flipped body byte fails", () => {
    const s = sample("lemon_squeezy.order_created.json");
    const headers = new Headers({ "X-Signature": hmacHex(s.text, SECRET), "X-Event-Name": "order_created" });
    assert.deepEqual(verify("lemon_squeezy", s.bytes, headers, SECRET), { ok: true });
    const flipped = verify("lemon_squeezy", flipByte(s.bytes, 100), headers, SECRET);
    assert.equal(flipped.error.code, "bad_signature");
    assert.match(flipped.error.message, /x-signature/);
  });

  test("the registry describes the scheme: one header, no event-type header", () => {
    const spec = limits().providerSpecs.find((p) => p.name === "lemon_squeezy");
    assert.equal(spec.title, "Lemon Squeezy");
    assert.deepEqual(spec.signatureHeaders, ["x-signature"]);
    assert.equal(spec.eventTypeHeader, null);
  });

  test("no delivery id: deliveryId() is null whatever the headers; retries end within the hour", () => {
    const s = sample("lemon_squeezy.order_created.json");
    const { event } = parse(s.text);
    const headers = { "x-signature": hmacHex(s.text, SECRET), "x-event-name": "order_created", "webhook-id": "not theirs" };
    assert.equal(deliveryId("lemon_squeezy", headers, event), null);
    const spec = limits().providerSpecs.find((p) => p.name === "lemon_squeezy");
    assert.deepEqual(spec.deliveryId, { source: "none" });
    assert.equal(spec.retryHorizonHours, 1);
  });
});

describe("parseRequest: Lemon Squeezy", () => {
  const s = sample("lemon_squeezy.order_refunded.json");
  const request = (signature) =>
    new Request("https://example.com/webhooks/lemon_squeezy", {
      method: "POST",
      body: s.bytes,
      headers: { "content-type": "application/json", "x-event-name": "order_refunded", "x-signature": signature },
    });

  test("with the secret it verifies, detects and parses", async () => {
    const r = await parseRequest(request(hmacHex(s.text, SECRET)), { secret: SECRET });
    assert.equal(r.ok, true, JSON.stringify(r.errors));
    assert.equal(r.event.provider, "lemon_squeezy");
    assert.equal(r.event.kind, "refunded");
    assert.equal(r.event.order.refunded, r.event.order.total);
  });

  test("a signature made with another secret is refused before parsing", async () => {
    const r = await parseRequest(request(hmacHex(s.text, "another_secret")), { secret: SECRET, provider: "lemon_squeezy" });
    assert.equal(r.ok, false);
    assert.deepEqual(r.errors.map((e) => e.code), ["bad_signature"]);
  });
});

describe("parse and detect: Lemon Squeezy samples", () => {
  const cases = [
    ["lemon_squeezy.order_created.json", "order_created", "created", "paid"],
    ["lemon_squeezy.order_refunded.json", "order_refunded", "refunded", "refunded"],
    ["lemon_squeezy.subscription_payment_success.json", "subscription_payment_success", "paid", "paid"],
  ];
  for (const [file, eventType, kind, status] of cases) {
    test(`${file}: ${kind}, ${status}, detected by its meta`, () => {
      const s = sample(file);
      assert.deepEqual(detect(s.bytes), { provider: "lemon_squeezy", eventType });
      const r = parse(s.text);
      assert.equal(r.ok, true, JSON.stringify(r.errors));
      assert.deepEqual(r.warnings, []);
      assert.equal(r.event.kind, kind);
      assert.equal(r.event.order.status, status);
      assert.ok(Number.isSafeInteger(r.event.order.total));
    });
  }

  test("the provider option takes its registered name", () => {
    const s = sample("lemon_squeezy.order_created.json");
    assert.equal(parse(s.text, { provider: "lemon_squeezy" }).ok, true);
    assert.throws(() => parse(s.text, { provider: "lemonsqueezy" }), TypeError);
  });
});
