// verify() and parseRequest() with signatures made by node:crypto as each provider makes them.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import { parseRequest, verify } from "orderhook";
import { flipByte, sample, standardWebhooksHeaders, voucherifySignature } from "./helpers.mjs";

const polar = sample("polar.order.paid.json");
const voucherify = sample("voucherify.customer.order.paid.json");
const vrio = sample("vrio.order_updated.json");

// Polar's two key schemes: a secret whose UTF-8 bytes are the key (the original
// one), and a `whsec_` + base64 key secret (the Standard Webhooks one).
const LEGACY_SECRET = "polar_whs_q8Xk2mB7vT4nR9cW1yZ5hJ3dF6gL0pS";
const STANDARD_KEY = randomBytes(32);
const STANDARD_SECRET = `whsec_${STANDARD_KEY.toString("base64")}`;
const NOW_S = 1_790_000_000;
const NOW_MS = NOW_S * 1000 + 250;

// A verified Polar signature vouches for the delivery id of the `webhook-id` header.
const POLAR_OK = { ok: true, id: "msg_2mT9qX4bV7cN1rL8" };

const signedPolar = (key, opts = {}) => standardWebhooksHeaders(polar.bytes, key, { timestamp: NOW_S, ...opts });

describe("verify: Voucherify", () => {
  const secret = "vf_webhook_secret_7Qw2Er9Ty";

  test("a signature made over the raw body verifies", () => {
    const headers = { "x-voucherify-signature": voucherifySignature(voucherify.bytes, secret) };
    assert.deepEqual(verify("voucherify", voucherify.bytes, headers, secret), { ok: true });
    assert.deepEqual(verify("voucherify", voucherify.text, headers, secret), { ok: true });
  });

  test("a signature over the compact JSON verifies against the pretty-printed raw body", () => {
    const compact = JSON.stringify(JSON.parse(voucherify.text));
    assert.notEqual(compact, voucherify.text);
    const headers = { "x-voucherify-signature": voucherifySignature(compact, secret) };
    assert.deepEqual(verify("voucherify", voucherify.text, headers, secret), { ok: true });
  });

  test("upper-case hex and mixed-case header names are accepted", () => {
    const sig = voucherifySignature(voucherify.bytes, secret).toUpperCase();
    assert.deepEqual(verify("voucherify", voucherify.bytes, { "X-Voucherify-Signature": sig }, secret), { ok: true });
  });

  test("a flipped body byte, a wrong secret or a missing header fail", () => {
    const headers = { "x-voucherify-signature": voucherifySignature(voucherify.bytes, secret) };
    const flipped = verify("voucherify", flipByte(voucherify.bytes, 200), headers, secret);
    assert.equal(flipped.ok, false);
    assert.equal(flipped.error.code, "bad_signature");
    assert.equal(flipped.error.severity, "error");
    assert.equal(flipped.error.path, "");
    assert.equal(verify("voucherify", voucherify.bytes, headers, secret + "x").error.code, "bad_signature");
    const missing = verify("voucherify", voucherify.bytes, {}, secret);
    assert.equal(missing.error.code, "missing_signature");
    assert.match(missing.error.message, /x-voucherify-signature/);
    const garbled = verify("voucherify", voucherify.bytes, { "x-voucherify-signature": "sha256=abc" }, secret);
    assert.equal(garbled.error.code, "malformed_header");
  });

  test("messages never echo the secret", () => {
    const r = verify("voucherify", voucherify.bytes, { "x-voucherify-signature": "0".repeat(64) }, secret);
    assert.equal(r.ok, false);
    assert.equal(r.error.message.includes(secret), false);
  });

  // Fixed vectors made once with node:crypto (two re-checked with `openssl dgst
  // -sha256 -hmac`), the same as tests/verify.rs; Voucherify's own published
  // vectors are in the conformance suite (tests/conformance).
  test("fixed vectors verify or fail as listed, pretty forms of compact JSON included", () => {
    const key = "whk_sec_Ld83";
    const vectors = [
      ['{"order":7}', "b446c1e1969b3ebceec2053f5c0b5e3a61bb4a059d57f735683afc87300c9f75", true],
      ['{\n  "order": 7\n}\n', "b446c1e1969b3ebceec2053f5c0b5e3a61bb4a059d57f735683afc87300c9f75", true],
      ['{"k\\"q":2}', "ff053ad435c63f6d7986e2f54733251cd7ad11ddf024b0b79c895e33b2f17944", true],
      ["  padded text  ", "0e47c119fa97e56dba5595b6e0522acfa60b03ed83db23251126e6f2c8ffaa2b", true],
      ["padded text", "0e47c119fa97e56dba5595b6e0522acfa60b03ed83db23251126e6f2c8ffaa2b", false],
      ['["x","y"]', "6e71376e9d02bbe402765cc7b3572bd1cacac61d62ed83c47128752647a50266", true],
      ["null", "cb4c60069b41bf769f751c3399b7728b31d3a299d8c292de123fe3371f255110", true],
      ['{ "note" :  "two  spaces" }', "4d4950110e1c35c8d6f1c68319ed695bb0b01a47622119cca79931ee619742fa", true],
      ['{"note":"two spaces"}', "4d4950110e1c35c8d6f1c68319ed695bb0b01a47622119cca79931ee619742fa", false],
      ['{"order":7}', "7e91f7fefc261293e292ebac2df0170f083aa00f59af8f7fbf8248281b534873", false],
    ];
    for (const [body, signature, valid] of vectors) {
      const r = verify("voucherify", body, { "x-voucherify-signature": signature }, key);
      assert.equal(r.ok, valid, `${JSON.stringify(body)}: ${JSON.stringify(r)}`);
      if (!valid) assert.equal(r.error.code, "bad_signature");
    }
  });
});

describe("verify: Polar (Standard Webhooks)", () => {
  test("signatures under both key schemes verify", () => {
    const legacy = signedPolar(Buffer.from(LEGACY_SECRET, "utf8"));
    assert.deepEqual(verify("polar", polar.bytes, legacy, LEGACY_SECRET, { now: NOW_MS }), POLAR_OK);
    const standard = signedPolar(STANDARD_KEY);
    assert.deepEqual(verify("polar", polar.bytes, standard, STANDARD_SECRET, { now: NOW_MS }), POLAR_OK);
    // A whsec_ secret signed the original way: the key is the UTF-8 bytes of the whole string.
    const whsecLegacy = signedPolar(Buffer.from(STANDARD_SECRET, "utf8"));
    assert.deepEqual(verify("polar", polar.bytes, whsecLegacy, STANDARD_SECRET, { now: NOW_MS }), POLAR_OK);
  });

  test("string, Uint8Array and ArrayBuffer bodies verify alike", () => {
    const headers = signedPolar(STANDARD_KEY);
    const buffer = polar.bytes.buffer.slice(polar.bytes.byteOffset, polar.bytes.byteOffset + polar.bytes.byteLength);
    for (const body of [polar.text, polar.bytes, buffer]) {
      assert.deepEqual(verify("polar", body, headers, STANDARD_SECRET, { now: NOW_MS }), POLAR_OK);
    }
  });

  test("a Headers object and a plain object with any header-name case both work", () => {
    const signed = signedPolar(STANDARD_KEY);
    const headers = new Headers(signed);
    headers.set("content-type", "application/json");
    assert.deepEqual(verify("polar", polar.bytes, headers, STANDARD_SECRET, { now: NOW_MS }), POLAR_OK);
    const shouting = Object.fromEntries(Object.entries(signed).map(([k, v]) => [k.toUpperCase(), v]));
    assert.deepEqual(verify("polar", polar.bytes, shouting, STANDARD_SECRET, { now: NOW_MS }), POLAR_OK);
    assert.deepEqual(verify("polar", polar.bytes, Object.entries(signed), STANDARD_SECRET, { now: NOW_MS }), POLAR_OK);
  });

  test("several signatures pass when one matches", () => {
    const signed = signedPolar(STANDARD_KEY);
    const other = signedPolar(randomBytes(32))["webhook-signature"];
    signed["webhook-signature"] = `v1a,AAAA ${other} ${signed["webhook-signature"]}`;
    assert.deepEqual(verify("polar", polar.bytes, signed, STANDARD_SECRET, { now: NOW_MS }), POLAR_OK);
  });

  test("one flipped byte in the body, id, timestamp or signature fails", () => {
    const signed = signedPolar(STANDARD_KEY);
    const check = (body, headers) => verify("polar", body, headers, STANDARD_SECRET, { now: NOW_MS });
    assert.equal(check(flipByte(polar.bytes, 100), signed).error.code, "bad_signature");
    assert.equal(check(polar.bytes, { ...signed, "webhook-id": signed["webhook-id"] + "x" }).error.code, "bad_signature");
    assert.equal(check(polar.bytes, { ...signed, "webhook-timestamp": String(NOW_S + 1) }).error.code, "bad_signature");
    const sig = signed["webhook-signature"];
    const i = 10;
    const flippedSig = sig.slice(0, i) + (sig[i] === "A" ? "B" : "A") + sig.slice(i + 1);
    assert.equal(check(polar.bytes, { ...signed, "webhook-signature": flippedSig }).error.code, "bad_signature");
    assert.equal(check(polar.bytes, signed).ok, true);
  });

  test("timestamps outside the tolerance window fail; toleranceSeconds widens it", () => {
    const signed = signedPolar(STANDARD_KEY);
    const at = (seconds, toleranceSeconds) =>
      verify("polar", polar.bytes, signed, STANDARD_SECRET, { now: (NOW_S + seconds) * 1000, toleranceSeconds });
    assert.equal(at(299).ok, true);
    assert.equal(at(-299).ok, true);
    assert.equal(at(301).error.code, "stale_timestamp");
    assert.equal(at(-301).error.code, "stale_timestamp");
    assert.equal(at(301, 600).ok, true);
    assert.equal(at(601, 600).error.code, "stale_timestamp");
    assert.equal(at(2, 0).error.code, "stale_timestamp");
  });

  test("`now` defaults to the clock and may be a Date", () => {
    const fresh = standardWebhooksHeaders(polar.bytes, STANDARD_KEY);
    assert.deepEqual(verify("polar", polar.bytes, fresh, STANDARD_SECRET), POLAR_OK);
    const signed = signedPolar(STANDARD_KEY);
    assert.deepEqual(verify("polar", polar.bytes, signed, STANDARD_SECRET, { now: new Date(NOW_MS) }), POLAR_OK);
    assert.equal(verify("polar", polar.bytes, signed, STANDARD_SECRET).error.code, "stale_timestamp");
  });

  test("missing and garbled headers", () => {
    const signed = signedPolar(STANDARD_KEY);
    const { "webhook-id": _, ...noId } = signed;
    assert.equal(verify("polar", polar.bytes, noId, STANDARD_SECRET, { now: NOW_MS }).error.code, "missing_signature");
    const badTs = { ...signed, "webhook-timestamp": "yesterday" };
    assert.equal(verify("polar", polar.bytes, badTs, STANDARD_SECRET, { now: NOW_MS }).error.code, "malformed_header");
  });
});

describe("verify: Vrio and misuse", () => {
  test("vrio sends no signature: unsupported, with advice", () => {
    const r = verify("vrio", vrio.bytes, {}, "anything");
    assert.equal(r.ok, false);
    assert.equal(r.error.code, "unsupported");
    assert.match(r.error.message, /allow-list/);
  });

  test("an empty secret is an invalid_secret result; a missing secret is a TypeError", () => {
    for (const provider of ["polar", "voucherify"]) {
      const r = verify(provider, polar.bytes, {}, "");
      assert.equal(r.ok, false, provider);
      assert.equal(r.error.code, "invalid_secret", provider);
      assert.equal(r.error.severity, "error");
      assert.equal(r.error.path, "");
    }
    assert.throws(() => verify("polar", polar.bytes, {}, undefined), { name: "TypeError", message: /^orderhook: secret must be a string/ });
  });

  test("bad provider, headers, body or options are TypeErrors", () => {
    assert.throws(() => verify("square", polar.bytes, {}, "s"), { name: "TypeError", message: /^orderhook: unknown provider "square"/ });
    assert.throws(() => verify("polar", polar.bytes, "webhook-id: 1", "s"), { name: "TypeError", message: /headers must be/ });
    assert.throws(() => verify("polar", JSON.parse(polar.text), {}, "s"), { name: "TypeError", message: /already-parsed object/ });
    assert.throws(() => verify("polar", polar.bytes, {}, "s", { toleranceSeconds: -5 }), { name: "TypeError", message: /toleranceSeconds/ });
    assert.throws(() => verify("polar", polar.bytes, {}, "s", { now: "now" }), { name: "TypeError", message: /`now`/ });
    assert.throws(() => verify("polar", polar.bytes, {}, "s", { tolerance: 5 }), { name: "TypeError", message: /unknown verify option `tolerance`/ });
  });
});

describe("parseRequest", () => {
  const request = (body, headers = {}) =>
    new Request("https://shop.example/webhooks", { method: "POST", body, headers: { "content-type": "application/json", ...headers } });

  test("without a secret it parses the body", async () => {
    const r = await parseRequest(request(voucherify.text));
    assert.equal(r.ok, true);
    assert.equal(r.event.event_type, "customer.order.paid");
  });

  test("with a secret it verifies, then parses the same bytes", async () => {
    const headers = standardWebhooksHeaders(polar.bytes, STANDARD_KEY, { timestamp: NOW_S });
    const req = request(polar.bytes, headers);
    const r = await parseRequest(req, { secret: STANDARD_SECRET, now: NOW_MS, provider: "polar" });
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.equal(r.event.order.total, 6125);
    assert.equal(r.event.event_id, headers["webhook-id"], "Polar's delivery id comes from the verified header");
    assert.equal(req.bodyUsed, true);
    // The body is read once: a second call is misuse.
    await assert.rejects(parseRequest(req), { name: "TypeError", message: /already read/ });
  });

  test("the provider is detected when not given", async () => {
    const sig = voucherifySignature(voucherify.bytes, "vsecret");
    const r = await parseRequest(request(voucherify.bytes, { "x-voucherify-signature": sig }), { secret: "vsecret", currency: "EUR" });
    assert.equal(r.ok, true);
    assert.deepEqual(r.warnings, []);
  });

  test("a failed check gives ok:false with that one issue and parses nothing", async () => {
    const headers = standardWebhooksHeaders(polar.bytes, STANDARD_KEY, { timestamp: NOW_S });
    const r = await parseRequest(request(flipByte(polar.bytes, 50), headers), { secret: STANDARD_SECRET, now: NOW_MS });
    assert.deepEqual(Object.keys(r).sort(), ["errors", "ok", "warnings"]);
    assert.equal(r.ok, false);
    assert.deepEqual(r.errors.map((e) => e.code), ["bad_signature"]);
    assert.deepEqual(r.warnings, []);
    const stale = await parseRequest(request(polar.bytes, headers), { secret: STANDARD_SECRET, now: NOW_MS + 3_600_000 });
    assert.deepEqual(stale.errors.map((e) => e.code), ["stale_timestamp"]);
  });

  test("vrio with a secret: unsupported, whether the provider is given or detected", async () => {
    for (const options of [{ provider: "vrio", secret: "s" }, { secret: "s" }]) {
      const r = await parseRequest(request(vrio.bytes), options);
      assert.equal(r.ok, false, JSON.stringify(options));
      assert.deepEqual(r.errors.map((e) => e.code), ["unsupported"]);
      assert.match(r.errors[0].message, /allow-list/);
      assert.deepEqual(r.warnings, []);
    }
  });

  test("an oversized body is refused from its Content-Length without reading it", async () => {
    // As a server's incoming request has it.
    const req = request(polar.bytes, { "content-length": String(polar.bytes.byteLength) });
    const r = await parseRequest(req, { maxBytes: 100 });
    assert.deepEqual(r.errors.map((e) => e.code), ["too_large"]);
    assert.equal(req.bodyUsed, false);
    // Without the header, the length read is checked.
    const unannounced = await parseRequest(request(polar.bytes), { maxBytes: 100 });
    assert.deepEqual(unannounced.errors.map((e) => e.code), ["too_large"]);
    assert.equal(unannounced.errors[0].message, "body is more than the limit of 100 bytes; reading stopped there");
    assert.equal(r.errors[0].message, `body is ${polar.bytes.byteLength} bytes, more than the limit of 100 bytes`);
  });

  test("an empty secret gives an invalid_secret result and parses nothing", async () => {
    const r = await parseRequest(request(polar.text), { secret: "", provider: "polar" });
    assert.deepEqual(Object.keys(r).sort(), ["errors", "ok", "warnings"]);
    assert.equal(r.ok, false);
    assert.deepEqual(r.errors.map((e) => e.code), ["invalid_secret"]);
    assert.deepEqual(r.warnings, []);
  });

  test("bodies that are not webhooks fail with the parse errors, also with a secret", async () => {
    const r = await parseRequest(request("{not json"), { secret: "s" });
    assert.deepEqual(r.errors.map((e) => e.code), ["invalid_json"]);
  });

  test("misuse: not a request, bad options", async () => {
    await assert.rejects(parseRequest(polar.text), { name: "TypeError", message: /needs a Request/ });
    await assert.rejects(parseRequest(request(polar.text), { secret: 42 }), { name: "TypeError", message: /^orderhook: `secret` must be a string/ });
    await assert.rejects(parseRequest(request(polar.text), { signingSecret: "x" }), { name: "TypeError", message: /^orderhook: unknown \w+ option `signingSecret`/ });
  });
});
