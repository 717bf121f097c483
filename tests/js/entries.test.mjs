// The per-provider entries (`orderhook/<provider>`, `orderhook/<provider>/inline`): the
// same API over a .wasm built with that provider's cargo feature only. Each must answer
// exactly as the every-provider entry does for its own provider's bodies and signatures,
// say plainly that it lacks the others, and be smaller.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import * as all from "orderhook";
import {
  paddleSignature,
  polarKey,
  root,
  samples,
  shopifySignature,
  standardWebhooksHeaders,
  stripeSignature,
  voucherifySignature,
} from "./helpers.mjs";

const SECRET = "whsec_" + Buffer.from("entries-test-secret-0123456789").toString("base64");

// Valid signature headers per provider, made with node:crypto as each provider makes them.
const sign = {
  polar: (body) => standardWebhooksHeaders(body, polarKey(SECRET)),
  voucherify: (body) => ({ "x-voucherify-signature": voucherifySignature(body, SECRET) }),
  stripe: (body) => ({ "stripe-signature": stripeSignature(body, SECRET) }),
  paddle: (body) => ({ "paddle-signature": paddleSignature(body, SECRET) }),
  shopify: (body) => ({ "x-shopify-hmac-sha256": shopifySignature(body, SECRET) }),
  lemon_squeezy: (body) => ({ "x-signature": createHmac("sha256", SECRET).update(body).digest("hex") }),
  woocommerce: (body) => ({ "x-wc-webhook-signature": createHmac("sha256", SECRET).update(body).digest("base64") }),
};

const specs = all.limits().providerSpecs;
const manifest = JSON.parse(readFileSync(path.join(root, "pkg", "package.json"), "utf8"));
const wasmSize = (dir) => readFileSync(path.join(root, "pkg", dir, "orderhook_bg.wasm")).length;

test("every registered provider has an entry, and only they do", () => {
  const subpaths = Object.keys(manifest.exports).filter((k) => /^\.\/[a-z_]+$/.test(k) && k !== "./inline");
  assert.deepEqual(subpaths.sort(), specs.map((s) => `./${s.name}`).sort());
});

for (const spec of specs) {
  const name = spec.name;
  const own = samples.filter((s) => s.provider === name);
  const others = samples.filter((s) => s.provider !== name);
  const options = (s) => (spec.eventTypeHeader ? { eventType: s.event } : undefined);

  describe(`orderhook/${name}`, async () => {
    const entry = await import(`orderhook/${name}`);
    const inline = await import(`orderhook/${name}/inline`);

    test("reads this provider only", () => {
      assert.deepEqual(entry.limits().providers, [name]);
      assert.deepEqual(entry.limits().providerSpecs, [spec]);
    });

    test("answers every sample of its provider exactly as the every-provider entry", () => {
      assert.ok(own.length > 0, `no sample of ${name}`);
      for (const s of own) {
        const expected = all.parse(s.text, { ...options(s), includeSource: true });
        assert.deepEqual(entry.parse(s.text, { ...options(s), includeSource: true }), expected, s.file);
        assert.deepEqual(entry.parse(s.bytes, options(s)), all.parse(s.bytes, options(s)), s.file);
        assert.deepEqual(entry.detect(s.text), all.detect(s.text), s.file);
      }
    });

    test("the inline entry answers the same", () => {
      for (const s of own) assert.deepEqual(inline.parse(s.text, options(s)), entry.parse(s.text, options(s)), s.file);
    });

    test("checks its provider's signatures as the every-provider entry does", { skip: !spec.signatureScheme && "unsigned" }, () => {
      const body = own[0].text;
      const headers = sign[name](body);
      const valid = entry.verify(name, body, headers, SECRET);
      assert.equal(valid.ok, true);
      assert.deepEqual(valid, all.verify(name, body, headers, SECRET));
      assert.deepEqual(entry.verify(name, body, headers, SECRET + "x"), all.verify(name, body, headers, SECRET + "x"));
      assert.deepEqual(entry.verify(name, body, {}, SECRET), all.verify(name, body, {}, SECRET));
    });

    test("tells other providers' bodies apart as not its own", () => {
      for (const s of others) {
        const r = entry.parse(s.text);
        // WooCommerce's and Shopify's bodies carry no event name; a body of another
        // provider may still be read as this one's when it has its keys (it never is here).
        assert.equal(r.ok, false, s.file);
        assert.deepEqual(r.errors.map((e) => e.code), ["unknown_provider"], s.file);
      }
    });

    test("refuses another provider by name, saying which entry has it", () => {
      const other = specs.find((s) => s.name !== name).name;
      assert.throws(
        () => entry.parse("{}", { provider: other }),
        (e) =>
          e instanceof TypeError &&
          e.message === `orderhook: provider "${other}" is not in this build of orderhook, which reads "${name}"; import "orderhook" (every provider) or "orderhook/${other}"`,
      );
      assert.throws(() => entry.verify(other, "{}", {}, SECRET), /not in this build of orderhook.*"orderhook\/[a-z_]+"/);
    });

    test("its .wasm is less than half the every-provider one", () => {
      assert.ok(wasmSize(name) * 2 < wasmSize("."), `${name}: ${wasmSize(name)} B vs ${wasmSize(".")} B`);
    });
  });
}
