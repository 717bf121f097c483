// Stripe through the package (docs/providers/stripe.md): the Stripe-Signature vectors
// (tests/spec/stripe-signatures.json) through verify(), each cross-checked with the
// official SDK (devDependency `stripe`, pinned: webhooks.constructEvent and
// webhooks.generateTestHeaderString); the samples signed by the SDK verify, parse and go
// through parseRequest; the vectors' SDK verdicts are what that SDK answers today.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import Stripe from "stripe";
import { detect, parse, parseRequest, verify } from "orderhook";
import { flipByte, root, samples, stripeSignature } from "./helpers.mjs";

const spec = JSON.parse(readFileSync(path.join(root, "tests", "spec", "stripe-signatures.json"), "utf8"));
const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
const stripe = new Stripe("sk_test_orderhook_tests_only");
const stripeSamples = samples.filter((s) => s.provider === "stripe");
const SECRET = "whsec_orderhookTestsOnly0123456789abcdef";

/** What the SDK answers for a vector: "ok" or "error". */
function sdkVerdict(v) {
  const header = Object.entries(v.headers).find(([k]) => k.toLowerCase() === "stripe-signature")?.[1];
  try {
    stripe.webhooks.constructEvent(v.body, header, v.secret, v.toleranceSeconds, undefined, v.now * 1000);
    return "ok";
  } catch {
    return "error";
  }
}

describe("Stripe-Signature vectors", () => {
  test("are checked against the SDK version package.json pins", () => {
    assert.equal(spec.sdk, `stripe@${pkg.devDependencies.stripe}`);
    assert.ok(spec.vectors.length >= 20);
  });

  for (const v of spec.vectors) {
    test(`${v.name}: orderhook ${v.expect}, stripe-node ${v.sdk === "ok" ? "ok" : "error"}`, () => {
      const options = { toleranceSeconds: v.toleranceSeconds, now: v.now * 1000 };
      const r = verify("stripe", v.body, v.headers, v.secret, options);
      assert.equal(r.ok ? "ok" : r.error.code, v.expect, r.error?.message);
      // The same through a fetch Headers object and a bytes body.
      const r2 = verify("stripe", new TextEncoder().encode(v.body), new Headers(v.headers), v.secret, options);
      assert.deepEqual(r2, r);
      const sdk = sdkVerdict(v);
      assert.equal(sdk, v.sdk === "ok" ? "ok" : "error", "the SDK still answers as recorded");
      if ((sdk === "ok") !== (v.expect === "ok")) assert.ok(v.note, "a difference from the SDK is explained");
    });
  }
});

describe("Stripe samples signed by the SDK", () => {
  test("there is one per main event", () => {
    assert.deepEqual(
      stripeSamples.map((s) => s.event),
      ["charge.refunded", "checkout.session.async_payment_succeeded", "checkout.session.completed", "checkout.session.expired"],
    );
  });

  for (const s of stripeSamples) {
    test(`${s.file}: generateTestHeaderString's header verifies, constructEvent agrees, a flipped byte fails`, () => {
      const t = Math.floor(Date.now() / 1000);
      const header = stripe.webhooks.generateTestHeaderString({ payload: s.text, secret: SECRET, timestamp: t });
      assert.equal(header, stripeSignature(s.bytes, SECRET, t), "node:crypto makes the SDK's header");
      const headers = { "Stripe-Signature": header };
      assert.deepEqual(verify("stripe", s.bytes, headers, SECRET, { now: t * 1000 }), { ok: true });
      assert.equal(stripe.webhooks.constructEvent(s.text, header, SECRET, 300, undefined, t * 1000).id, JSON.parse(s.text).id);
      const bad = verify("stripe", flipByte(s.bytes, 40), headers, SECRET, { now: t * 1000 });
      assert.equal(bad.error.code, "bad_signature");
    });

    test(`${s.file}: detected as Stripe, parsed ok with its event id`, () => {
      const d = detect(s.bytes);
      assert.deepEqual(d, { provider: "stripe", eventType: s.event });
      const r = parse(s.bytes);
      assert.equal(r.ok, true, JSON.stringify(r.errors));
      assert.equal(r.event.provider, "stripe");
      assert.equal(r.event.event_id, JSON.parse(s.text).id);
      assert.deepEqual(r.event.order.items, []);
    });
  }

  test("parseRequest verifies the Stripe-Signature header and parses the same bytes", async () => {
    const s = stripeSamples.find((x) => x.event === "checkout.session.completed");
    const request = (headers) => new Request("https://example.com/webhooks/stripe", { method: "POST", body: s.bytes, headers });
    const ok = await parseRequest(request({ "stripe-signature": stripeSignature(s.bytes, SECRET) }), { secret: SECRET });
    assert.equal(ok.ok, true, JSON.stringify(ok.errors));
    assert.equal(ok.event.order.total, 5092);
    const stale = await parseRequest(request({ "stripe-signature": stripeSignature(s.bytes, SECRET, Math.floor(Date.now() / 1000) - 3600) }), {
      secret: SECRET,
    });
    assert.deepEqual(stale.errors.map((e) => e.code), ["stale_timestamp"]);
    const unsigned = await parseRequest(request({}), { secret: SECRET, provider: "stripe" });
    assert.deepEqual(unsigned.errors.map((e) => e.code), ["missing_signature"]);
  });
});
