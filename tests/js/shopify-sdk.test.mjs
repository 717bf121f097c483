// Shopify signatures (X-Shopify-Hmac-Sha256: base64 HMAC-SHA256 of the raw body under the
// app's client secret) through the package's verify(), each vector also computed with
// node:crypto and checked by Shopify's own library, @shopify/shopify-api (pinned in
// package.json; `webhooks.validate` with the web-api adapter runs offline). The vectors
// (tests/js/fixtures/shopify.vectors.json) name what the SDK answered when they were made
// (`sdk`); this test asks it again. Then parseRequest: the topic header, the delivery id.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import "@shopify/shopify-api/adapters/web-api";
import { shopifyApi } from "@shopify/shopify-api";
import { parse, parseRequest, verify } from "orderhook";
import { root, sample, samples } from "./helpers.mjs";

const { vectors } = JSON.parse(readFileSync(path.join(root, "tests", "js", "fixtures", "shopify.vectors.json"), "utf8"));

// The same transforms as the script that made the vectors: bodies from the bundled samples.
const TRANSFORMS = {
  none: (t) => t,
  tamper: (t) => t.replace('"62.45"', '"0.45"'),
  "append-newline": (t) => t + "\n",
  compact: (t) => JSON.stringify(JSON.parse(t)),
};
const bodyOf = (b) => (typeof b === "string" ? b : TRANSFORMS[b.transform](sample(b.sample).text));

const sdkFor = (secret) =>
  shopifyApi({ apiKey: "k", apiSecretKey: secret, hostName: "example.com", apiVersion: "2026-07", isEmbeddedApp: false, logger: { level: 0, log: () => {} } });

async function sdkSays(text, headers, secret) {
  const req = new Request("https://example.com/webhooks", { method: "POST", body: text, headers });
  const r = await sdkFor(secret).webhooks.validate({ rawBody: text, rawRequest: req });
  return r.valid ? "valid" : r.reason;
}

const SIGNATURE = /^(x-)?shopify-hmac-sha256$/i;
const signatureOf = (headers) => Object.entries(headers).find(([k]) => SIGNATURE.test(k))?.[1];

describe("Shopify signature vectors", () => {
  test("there are vectors of every outcome", () => {
    const outcomes = new Set(vectors.map((v) => v.expect));
    for (const o of ["ok", "bad_signature", "malformed_header", "missing_signature", "invalid_secret"]) assert.ok(outcomes.has(o), o);
  });

  for (const v of vectors) {
    test(`${v.name}: ${v.expect}`, async () => {
      const text = bodyOf(v.body);
      const bytes = new TextEncoder().encode(text);
      const want = v.expect === "ok" ? { ok: true, ...(v.id ? { id: v.id } : {}) } : v.expect;
      for (const body of [text, bytes]) {
        const r = verify("shopify", body, v.headers, v.secret, { now: v.now * 1000 });
        if (v.expect === "ok") assert.deepEqual(r, want);
        else assert.equal(r.ok === false && r.error.code, v.expect, JSON.stringify(r));
      }
      if (v.expect === "ok") {
        // node:crypto makes the same header.
        assert.equal(signatureOf(v.headers).trim(), createHmac("sha256", v.secret).update(bytes).digest("base64"));
      }
      if (v.sdk !== "skip") assert.equal(await sdkSays(text, v.headers, v.secret), v.sdk);
    });
  }
});

describe("Shopify samples signed by node:crypto verify in orderhook and in @shopify/shopify-api", () => {
  const secret = "shpss_test_0123456789abcdef";
  for (const s of samples.filter((x) => x.provider === "shopify")) {
    test(s.file, async () => {
      const hmac = createHmac("sha256", secret).update(s.bytes).digest("base64");
      const headers = {
        "X-Shopify-Hmac-Sha256": hmac,
        "X-Shopify-Topic": s.event,
        "X-Shopify-Shop-Domain": "orderhook-goods.myshopify.com",
        "X-Shopify-API-Version": "2026-07",
        "X-Shopify-Webhook-Id": `wh-${s.name}`,
      };
      assert.deepEqual(verify("shopify", s.bytes, headers, secret), { ok: true, id: `wh-${s.name}` });
      assert.equal(await sdkSays(s.text, headers, secret), "valid");
      const flipped = new Uint8Array(s.bytes);
      flipped[10] ^= 1;
      assert.equal(verify("shopify", flipped, headers, secret).error.code, "bad_signature");
    });
  }
});

describe("parseRequest reads Shopify's topic header and delivery id", () => {
  const paid = sample("shopify.orders~paid.json");
  const secret = "shpss_test_0123456789abcdef";
  const signed = (extra = {}) =>
    new Request("https://shop.example/webhooks/shopify", {
      method: "POST",
      body: paid.bytes,
      headers: {
        "content-type": "application/json",
        "X-Shopify-Hmac-Sha256": createHmac("sha256", secret).update(paid.bytes).digest("base64"),
        "X-Shopify-Topic": "orders/paid",
        "X-Shopify-Webhook-Id": "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
        "X-Shopify-Event-Id": "59d6d79c-595f-4e7e-bc6f-72f5c3d0c66f",
        ...extra,
      },
    });

  test("verified: the topic is the event type, the webhook id the event id", async () => {
    const r = await parseRequest(signed(), { secret });
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.equal(r.event.event_type, "orders/paid");
    assert.equal(r.event.kind, "paid");
    assert.equal(r.event.event_id, "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043");
    assert.deepEqual(r.warnings, []);
  });

  test("without a secret the topic is still read", async () => {
    const r = await parseRequest(signed({ "X-Shopify-Topic": "orders/cancelled" }));
    assert.equal(r.event.kind, "canceled");
    assert.equal(r.event.event_id, null);
  });

  test("an eventType option wins over the header", async () => {
    const r = await parseRequest(signed(), { secret, eventType: "orders/updated" });
    assert.equal(r.event.kind, "updated");
  });

  test("a bad signature stops it before parsing", async () => {
    const r = await parseRequest(signed({ "X-Shopify-Hmac-Sha256": createHmac("sha256", "other").update(paid.bytes).digest("base64") }), { secret });
    assert.deepEqual(r.errors.map((e) => e.code), ["bad_signature"]);
  });

  test("parse without the topic infers the kind and says so", () => {
    const r = parse(paid.bytes);
    assert.equal(r.event.kind, "paid");
    assert.equal(r.event.event_type, null);
    assert.deepEqual(r.warnings.map((w) => w.code), ["inferred_event"]);
  });
});
