// Polar signatures made by both official code paths verify with orderhook's
// `verify("polar", ...)`:
//   (a) @polar-sh/sdk@0.49.0: `standardwebhooks` with
//       `new Webhook(Buffer.from(secret, "utf-8").toString("base64"))`, i.e. the HMAC
//       key is the UTF-8 bytes of the whole secret (the original scheme);
//   (b) the Standard Webhooks scheme for `whsec_` secrets created from 2026-09-08:
//       `new Webhook(secret)`, the key is the base64 after `whsec_`.
//       @polar-sh/sdk@1.0.1's `webhooks.validateEvent` tries both keys
//       (dist/webhooks-*.mjs `hmacKeys`: the UTF-8 bytes of the secret, then the
//       base64 decoding of the secret with `whsec_` stripped);
//   (c) the same inputs signed with node:crypto give the same headers.
// Both SDKs check the timestamp against Date.now() with a 300 s window, so the
// signatures here are made at the current time; orderhook gets the same `now`.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { describe, test } from "node:test";
import { verify } from "orderhook";
import { SDKValidationError } from "polar-sdk-049/models/errors/sdkvalidationerror.js";
import { validateEvent as validateEvent049, WebhookVerificationError as Verification049 } from "polar-sdk-049/webhooks";
import { webhooks as webhooks101 } from "polar-sdk-101/2026-10";
import { Webhook } from "standardwebhooks";
import { flipByte, root, samples, standardWebhooksHeaders } from "./helpers.mjs";

const polarSamples = samples.filter((s) => s.provider === "polar");

// An original-style secret (any string; its UTF-8 bytes are the key), and a
// Standard Webhooks secret: `whsec_` + base64 of 32 random bytes.
const LEGACY_SECRET = `polar_whs_${randomBytes(24).toString("hex")}`;
const STANDARD_KEY = randomBytes(32);
const STANDARD_SECRET = `whsec_${STANDARD_KEY.toString("base64")}`;

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Headers signed by `standardwebhooks` the way @polar-sh/sdk@0.49.0 verifies them. */
function signLegacy(secret, id, seconds, text) {
  const wh = new Webhook(Buffer.from(secret, "utf-8").toString("base64"));
  return { "webhook-id": id, "webhook-timestamp": String(seconds), "webhook-signature": wh.sign(id, new Date(seconds * 1000), text) };
}

/** Headers signed by `standardwebhooks` under the Standard Webhooks key scheme. */
function signStandard(secret, id, seconds, text) {
  const wh = new Webhook(secret);
  return { "webhook-id": id, "webhook-timestamp": String(seconds), "webhook-signature": wh.sign(id, new Date(seconds * 1000), text) };
}

/** The same headers computed with node:crypto from the raw key bytes. */
const signNode = (key, id, seconds, bytes) => standardWebhooksHeaders(bytes, key, { id, timestamp: seconds });

const msgId = (s) => `msg_${s.event.replace(/\W/g, "_")}_${randomBytes(6).toString("hex")}`;

function orderhookAccepts(s, headers, secret, seconds) {
  // Text and bytes bodies, at the signing time.
  const verified = { ok: true, id: headers["webhook-id"] }; // the delivery id, once the signature holds
  assert.deepEqual(verify("polar", s.bytes, headers, secret, { now: seconds * 1000 }), verified, s.file);
  assert.deepEqual(verify("polar", s.text, headers, secret, { now: seconds * 1000 }), verified, s.file);
}

/**
 * @polar-sh/sdk@0.49.0 `validateEvent`: the signature check must pass. Its zod
 * schemas then either return the typed event or reject the payload's shape with
 * an SDKValidationError, which is thrown only after a verified signature.
 */
function sdk049Accepts(s, headers, secret) {
  let event;
  try {
    event = validateEvent049(s.text, headers, secret);
  } catch (e) {
    assert.ok(!(e instanceof Verification049), `${s.file}: 0.49 rejected the signature: ${e.message}`);
    assert.ok(e instanceof SDKValidationError, `${s.file}: unexpected ${e?.name}: ${e?.message}`);
    return { verified: true, schema: false, error: e };
  }
  const wire = JSON.parse(s.text);
  assert.equal(event.type, wire.type);
  assert.equal(event.data.id, wire.data.id);
  assert.equal(event.data.totalAmount, wire.data.total_amount);
  return { verified: true, schema: true };
}

async function sdk101Accepts(s, headers, secret) {
  const event = await webhooks101.validateEvent(s.text, headers, secret);
  const wire = JSON.parse(s.text);
  assert.equal(event.type, wire.type);
  assert.equal(event.data.id, wire.data.id);
  assert.equal(event.data.total_amount, wire.data.total_amount);
  // Bytes too (it decodes them as UTF-8 text first).
  assert.equal((await webhooks101.validateEvent(s.bytes, headers, secret)).data.id, wire.data.id);
}

test("the bundled Polar samples are the four order events", () => {
  assert.deepEqual(
    polarSamples.map((s) => JSON.parse(s.text).type),
    ["order.created", "order.paid", "order.refunded", "order.updated"],
  );
});

describe("(a) @polar-sh/sdk@0.49.0 path: standardwebhooks with the UTF-8 bytes of the whole secret", () => {
  for (const [label, secret] of [
    ["an original-style secret", LEGACY_SECRET],
    ["a whsec_ secret (0.49 still keys on its UTF-8 bytes)", STANDARD_SECRET],
  ]) {
    test(`${label}: orderhook, 0.49 validateEvent and 1.0.1 validateEvent accept every sample`, async () => {
      const schemaRejected = [];
      for (const s of polarSamples) {
        const seconds = nowSeconds();
        const headers = signLegacy(secret, msgId(s), seconds, s.text);
        assert.match(headers["webhook-signature"], /^v1,[A-Za-z0-9+/]{43}=$/);
        orderhookAccepts(s, headers, secret, seconds);
        const r = sdk049Accepts(s, headers, secret);
        if (!r.schema) schemaRejected.push([s.file, r.error]);
        await sdk101Accepts(s, headers, secret);
      }
      // 0.49's zod schemas (not its signature check) reject the `subscription`
      // object of the samples that carry one (today order.created and order.paid:
      // it requires fields these samples lack); every zod issue is under
      // data.subscription, and the other samples come back as typed events.
      assert.ok(schemaRejected.length < polarSamples.length, "0.49 returned no typed event at all");
      for (const [file, error] of schemaRejected) {
        assert.ok("subscription" in JSON.parse(polarSamples.find((x) => x.file === file).text).data, file);
        const paths = error.cause.issues.map((i) => i.path.join("."));
        assert.ok(paths.length > 0, file);
        for (const p of paths) assert.match(p, /^data\.subscription\./, `${file}: ${p}`);
      }
    });
  }
});

describe("(b) Standard Webhooks scheme: whsec_ + base64 key (secrets created from 2026-09-08)", () => {
  test("orderhook and 1.0.1 validateEvent accept every sample; 0.49 (UTF-8 key only) does not", async () => {
    for (const s of polarSamples) {
      const seconds = nowSeconds();
      const headers = signStandard(STANDARD_SECRET, msgId(s), seconds, s.text);
      orderhookAccepts(s, headers, STANDARD_SECRET, seconds);
      await sdk101Accepts(s, headers, STANDARD_SECRET);
      // The reason 1.0.1 (and orderhook) try both keys: 0.49 cannot verify these.
      assert.throws(() => validateEvent049(s.text, headers, STANDARD_SECRET), (e) => {
        assert.ok(e instanceof Verification049, `${e?.name}: ${e?.message}`);
        assert.equal(e.message, "No matching signature found");
        return true;
      });
    }
  });

  test("a signature under any third key is rejected by 1.0.1 validateEvent and by orderhook", async () => {
    const s = polarSamples[0];
    const seconds = nowSeconds();
    const id = msgId(s);
    // A stranger's 32-byte key: neither the secret's UTF-8 bytes nor its base64 key.
    const other = signNode(randomBytes(32), id, seconds, s.bytes);
    await assert.rejects(webhooks101.validateEvent(s.text, other, STANDARD_SECRET), { name: "PolarWebhookVerificationError" });
    const r = verify("polar", s.bytes, other, STANDARD_SECRET, { now: seconds * 1000 });
    assert.equal(r.ok, false);
    assert.equal(r.error.code, "bad_signature");
    // Control: both accept the two keys of that secret for the same id and time.
    for (const key of [STANDARD_KEY, Buffer.from(STANDARD_SECRET, "utf8")]) {
      const headers = signNode(key, id, seconds, s.bytes);
      assert.equal((await webhooks101.validateEvent(s.text, headers, STANDARD_SECRET)).type, "order.created");
      assert.deepEqual(verify("polar", s.bytes, headers, STANDARD_SECRET, { now: seconds * 1000 }), { ok: true, id: headers["webhook-id"] });
    }
  });
});

describe("(c) the same inputs signed with node:crypto", () => {
  test("node:crypto gives byte-identical headers to standardwebhooks under both schemes, and they verify", async () => {
    for (const s of polarSamples) {
      const seconds = nowSeconds();
      const id = msgId(s);
      const cases = [
        [LEGACY_SECRET, Buffer.from(LEGACY_SECRET, "utf8"), signLegacy(LEGACY_SECRET, id, seconds, s.text)],
        [STANDARD_SECRET, Buffer.from(STANDARD_SECRET, "utf8"), signLegacy(STANDARD_SECRET, id, seconds, s.text)],
        [STANDARD_SECRET, STANDARD_KEY, signStandard(STANDARD_SECRET, id, seconds, s.text)],
      ];
      for (const [secret, key, fromStandardWebhooks] of cases) {
        const fromNode = signNode(key, id, seconds, s.bytes);
        assert.deepEqual(fromNode, fromStandardWebhooks, s.file);
        orderhookAccepts(s, fromNode, secret, seconds);
        await sdk101Accepts(s, fromNode, secret);
      }
    }
  });

  test("one flipped byte in the body, id, timestamp or signature fails in orderhook", async () => {
    for (const s of polarSamples) {
      const seconds = nowSeconds();
      const headers = signNode(STANDARD_KEY, msgId(s), seconds, s.bytes);
      const check = (body, h) => verify("polar", body, h, STANDARD_SECRET, { now: seconds * 1000 });
      assert.deepEqual(check(s.bytes, headers), { ok: true, id: headers["webhook-id"] });
      for (const index of [0, Math.floor(s.bytes.length / 2), s.bytes.length - 1]) {
        const flipped = flipByte(s.bytes, index);
        const r = check(flipped, headers);
        assert.equal(r.ok, false, `${s.file}: byte ${index}`);
        assert.equal(r.error.code, "bad_signature");
        assert.equal(r.error.severity, "error");
        // The official 1.0.1 SDK agrees.
        await assert.rejects(webhooks101.validateEvent(flipped, headers, STANDARD_SECRET), {
          name: "PolarWebhookVerificationError",
        });
      }
      const flipChar = (v, i) => v.slice(0, i) + String.fromCharCode(v.charCodeAt(i) ^ 0x01) + v.slice(i + 1);
      const id = headers["webhook-id"];
      assert.equal(check(s.bytes, { ...headers, "webhook-id": flipChar(id, id.length - 1) }).error.code, "bad_signature");
      const ts = headers["webhook-timestamp"];
      assert.equal(check(s.bytes, { ...headers, "webhook-timestamp": flipChar(ts, ts.length - 1) }).error.code, "bad_signature");
      const sig = headers["webhook-signature"];
      const i = 3 + (sig.slice(3).search(/[A-Za-y]/)); // a base64 letter whose flip stays base64
      const flippedSig = flipChar(sig, i);
      assert.notEqual(flippedSig, sig);
      assert.equal(check(s.bytes, { ...headers, "webhook-signature": flippedSig }).error.code, "bad_signature");
    }
  });
});

describe("the CLI `orderhook verify`", () => {
  const bin = path.join(root, "bin", "orderhook.js");
  const cli = (args, env) =>
    spawnSync(process.execPath, [bin, ...args], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1", ...env },
      timeout: 30_000,
    });
  const s = polarSamples.find((x) => x.file === "polar.order.paid.json");
  const file = path.join("examples", "samples", s.file);
  const asArgs = (headers) => Object.entries(headers).flatMap(([k, v]) => ["--header", `${k}: ${v}`]);

  test("accepts a standardwebhooks signature under each scheme and rejects a flipped one", () => {
    const seconds = nowSeconds();
    const env = { ORDERHOOK_POLAR_SDK_TEST_SECRET: STANDARD_SECRET };
    const base = ["verify", file, "--provider", "polar", "--secret-env", "ORDERHOOK_POLAR_SDK_TEST_SECRET", "--now", String(seconds * 1000)];
    for (const headers of [signStandard(STANDARD_SECRET, msgId(s), seconds, s.text), signLegacy(STANDARD_SECRET, msgId(s), seconds, s.text)]) {
      const r = cli([...base, ...asArgs(headers)], env);
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.equal(r.stdout, "verified polar signature\n");
      assert.equal(r.stderr, "");
      const json = cli([...base, ...asArgs(headers), "--json"], env);
      assert.equal(json.status, 0, json.stderr);
      assert.deepEqual(JSON.parse(json.stdout), { ok: true, id: headers["webhook-id"] });
    }
    const good = signStandard(STANDARD_SECRET, msgId(s), seconds, s.text);
    const forged = { ...good, "webhook-id": `${good["webhook-id"]}x` };
    const r = cli([...base, ...asArgs(forged), "--json"], env);
    assert.equal(r.status, 1);
    const out = JSON.parse(r.stdout);
    assert.equal(out.ok, false);
    assert.equal(out.error.code, "bad_signature");
    assert.equal(r.stdout.includes(STANDARD_SECRET), false);
  });
});
