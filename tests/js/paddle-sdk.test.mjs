// Paddle signatures against Paddle's own Node SDK (@paddle/paddle-node-sdk, pinned in
// package.json):
//   (a) every vector of tests/vectors/paddle.json (made with node:crypto by
//       tests/vectors/paddle.mjs) gets its recorded verdict from orderhook's
//       verify("paddle", …), and the SDK's `webhooks.isSignatureValid` gives the verdict
//       recorded beside it, so each difference between the two is one written down
//       (docs/providers/paddle.md, "Signature");
//   (b) every bundled Paddle sample, signed now, is accepted by both, and the event the
//       SDK's `webhooks.unmarshal` returns has the ids and amounts orderhook read.
// The SDK reads the clock (`new Date()`), so it is run with the clock set to the vector's `now`.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { Paddle, SDK_VERSION } from "@paddle/paddle-node-sdk";
import { parse, parseRequest, verify } from "orderhook";
import { paddleSignature, root, samples } from "./helpers.mjs";

const { sdk, vectors } = JSON.parse(readFileSync(path.join(root, "tests", "vectors", "paddle.json"), "utf8"));
const paddleSamples = samples.filter((s) => s.provider === "paddle");
const SECRET = "pdl_ntfset_01jq3vd2f7m0c8e9rwk5ayb4hx_Q7tVn2LmXc4Rp9ZbK1sWd8Fh3Gj6Ye0A";
// The client is only used for its webhook helpers: no request is made.
const client = new Paddle("pdl_sdbx_apikey_01jq3vd2f7m0c8e9rwk5ayb4hx_offline0tests0only000000");

const RealDate = globalThis.Date;
/** Run `fn` with the global clock at `seconds` (the SDK calls `new Date()`). */
async function atTime(seconds, fn) {
  const ms = seconds * 1000;
  globalThis.Date = class extends RealDate {
    constructor(...a) {
      if (a.length === 0) super(ms);
      else super(...a);
    }
    static now() {
      return ms;
    }
  };
  try {
    return await fn();
  } finally {
    globalThis.Date = RealDate;
  }
}

const signatureOf = (headers) => Object.entries(headers).find(([k]) => k.toLowerCase() === "paddle-signature")?.[1] ?? "";

/** The SDK's verdict as the vectors record it: "valid", "invalid" or "throws: <message>". */
async function sdkVerdict(v) {
  try {
    const valid = await atTime(v.now, () => client.webhooks.isSignatureValid(v.body, v.secret, signatureOf(v.headers)));
    return valid ? "valid" : "invalid";
  } catch (e) {
    return `throws: ${e.message}`;
  }
}

test("the vectors were recorded with the SDK version this repository pins", () => {
  assert.equal(sdk, `@paddle/paddle-node-sdk@${SDK_VERSION}`);
  assert.ok(vectors.length >= 30, `${vectors.length} vectors`);
});

describe("(a) orderhook's verdict on each vector", () => {
  for (const v of vectors) {
    test(v.name, () => {
      const r = verify("paddle", v.body, v.headers, v.secret, { toleranceSeconds: v.toleranceSeconds, now: v.now * 1000 });
      assert.equal(r.ok ? "ok" : r.error.code, v.expect, JSON.stringify(r));
      if (r.ok) assert.deepEqual(r, { ok: true }, "Paddle's delivery id is in the body, not a header");
      // Bytes and text are the same body.
      const bytes = verify("paddle", new TextEncoder().encode(v.body), v.headers, v.secret, { toleranceSeconds: v.toleranceSeconds, now: v.now * 1000 });
      assert.deepEqual(bytes, r);
    });
  }
});

describe("(a) the SDK's verdict on each vector is the recorded one, and differs from orderhook's only where written down", () => {
  for (const v of vectors) {
    test(v.name, async () => {
      assert.equal(await sdkVerdict(v), v.sdk.result);
      assert.equal(v.sdk.agrees, (v.sdk.result === "valid") === (v.expect === "ok"));
      if (!v.sdk.agrees) assert.ok(v.sdk.why && v.sdk.why !== "UNEXPLAINED", "each difference has its reason");
    });
  }
});

describe("(b) every Paddle sample signed now: orderhook and the SDK accept it and read the same event", () => {
  test("the bundled Paddle samples are the seven main events", () => {
    assert.deepEqual(
      paddleSamples.map((s) => JSON.parse(s.text).event_type),
      ["adjustment.created", "adjustment.updated", "transaction.canceled", "transaction.completed", "transaction.created", "transaction.paid", "transaction.past_due"],
    );
  });

  for (const s of paddleSamples) {
    test(s.file, async () => {
      const now = Math.floor(RealDate.now() / 1000);
      const headers = { "Paddle-Signature": paddleSignature(s.bytes, SECRET, { timestamp: now }) };
      assert.deepEqual(verify("paddle", s.bytes, headers, SECRET, { now: now * 1000 }), { ok: true });
      const event = await atTime(now, () => client.webhooks.unmarshal(s.text, SECRET, headers["Paddle-Signature"]));
      const ours = parse(s.bytes);
      assert.ok(ours.ok, JSON.stringify(ours.errors));
      const { order } = ours.event;
      assert.equal(event.eventType, ours.event.event_type);
      assert.equal(event.eventId, ours.event.event_id);
      assert.equal(event.occurredAt, ours.event.occurred_at);
      if (event.eventType.startsWith("transaction.")) {
        assert.equal(event.data.id, order.id);
        assert.equal(event.data.status, order.provider_status);
        assert.equal(event.data.currencyCode, order.currency);
        const t = event.data.details.totals;
        assert.deepEqual([t.subtotal, t.discount, t.tax, t.total].map(Number), [order.subtotal, order.discount, order.tax, order.total]);
        assert.deepEqual(
          event.data.details.lineItems.map((l) => [l.id, l.quantity, Number(l.unitTotals.subtotal), l.product.name]),
          order.items.map((i) => [i.id, i.quantity, i.unit_price, i.name]),
        );
      } else {
        assert.equal(event.data.transactionId, order.id);
        assert.equal(event.data.status, order.provider_status);
        if (order.refunded !== null) assert.equal(Number(event.data.totals.total), order.refunded);
      }
    });
  }

  test("during a secret rotation both secrets' signatures are sent, and either secret verifies", () => {
    const s = paddleSamples.find((x) => x.file === "paddle.transaction.paid.json");
    const now = 1_790_000_000;
    const header = paddleSignature(s.bytes, ["pdl_ntfset_old", SECRET], { timestamp: now });
    assert.match(header, /^ts=\d+;h1=[0-9a-f]{64};h1=[0-9a-f]{64}$/);
    for (const secret of ["pdl_ntfset_old", SECRET]) {
      assert.deepEqual(verify("paddle", s.bytes, { "paddle-signature": header }, secret, { now: now * 1000 }), { ok: true });
    }
  });

  test("parseRequest verifies the Paddle-Signature header and parses the same bytes", async () => {
    const s = paddleSamples.find((x) => x.file === "paddle.adjustment.updated.json");
    const request = new Request("https://example.com/webhooks/paddle", {
      method: "POST",
      headers: { "content-type": "application/json", "paddle-signature": paddleSignature(s.bytes, SECRET) },
      body: s.bytes,
    });
    const r = await parseRequest(request, { provider: "paddle", secret: SECRET });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.event.kind, "refunded");
    const tampered = new Request("https://example.com/webhooks/paddle", {
      method: "POST",
      headers: { "paddle-signature": paddleSignature(s.bytes, SECRET) },
      body: s.text.replace('"1440"', '"1441"'),
    });
    const bad = await parseRequest(tampered, { provider: "paddle", secret: SECRET });
    assert.equal(bad.ok, false);
    assert.equal(bad.errors[0].code, "bad_signature");
  });
});
