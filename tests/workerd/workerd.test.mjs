// Runs tests/workerd/worker.js in workerd (the npm `workerd` binary, started by
// scripts/workerd.mjs) on 127.0.0.1 and sends it webhook bodies. The Worker imports "orderhook"; the
// config below resolves that the way a bundler does for Workers, through the
// `workerd` condition of pkg/package.json's exports, and lists every module.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { capnpConfig, moduleGraph, packageWorkerdEntry, startWorkerd } from "../../scripts/workerd.mjs";
import { polarKey, sample, samples, standardWebhooksHeaders, stripeSignature } from "../js/helpers.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const pkgDir = path.resolve(here, "..", "..", "pkg");
const SECRET = `whsec_${randomBytes(32).toString("base64")}`;

let worker;
let base;

/**
 * Serve the Worker `file` in workerd, its `specifier` ("orderhook" or "orderhook/<provider>")
 * resolved to the package's workerd entry for `subpath` with every module it reaches.
 * Returns the modules it embeds and the running workerd (its temporary folder goes after the tests).
 */
async function serveWorker(file, specifier, subpath, bindings) {
  const dir = mkdtempSync(path.join(tmpdir(), "orderhook-workerd-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const modules = moduleGraph([
    ["worker.js", path.join(here, file)],
    [specifier, path.join(pkgDir, packageWorkerdEntry(pkgDir, subpath))],
  ]);
  const config = path.join(dir, "config.capnp");
  writeFileSync(config, capnpConfig({ dir, modules, bindings }));
  return { modules, workerd: await startWorkerd({ config }) };
}

before(async () => {
  ({ workerd: worker } = await serveWorker("worker.js", "orderhook", ".", { POLAR_SECRET: SECRET }));
  base = worker.base;
});

// Always stop workerd, also when a test fails.
after(() => worker?.stop());

const post = (pathname, body, headers = {}) =>
  fetch(base + pathname, { method: "POST", body, headers, signal: AbortSignal.timeout(10_000) });

describe("orderhook in workerd", { timeout: 60_000 }, () => {
  test("the Worker answers with the package version", async () => {
    const res = await fetch(base, { signal: AbortSignal.timeout(5000) });
    const { version } = JSON.parse(readFileSync(path.join(pkgDir, "package.json"), "utf8"));
    assert.equal(await res.text(), `orderhook ${version}\n`);
  });

  test("ready is resolved on import, and init() / initSync() then change nothing", async () => {
    const res = await fetch(`${base}/loading`, { signal: AbortSignal.timeout(5000) });
    assert.deepEqual(await res.json(), { ready: "resolved", parsed: true });
  });

  test("a valid Polar body is parsed", async () => {
    const res = await post("/", sample("polar.order.paid.json").bytes);
    assert.equal(res.status, 200);
    const r = await res.json();
    assert.equal(r.ok, true);
    assert.equal(r.event.provider, "polar");
    assert.equal(r.event.kind, "paid");
    assert.equal(r.event.order.currency, "EUR");
    assert.equal(r.event.order.total, 6125);
    assert.deepEqual(r.warnings, []);
  });

  test("an invalid body gives the errors, not an exception", async () => {
    const res = await post("/", '{"type":"order.paid",\n "data": }');
    assert.equal(res.status, 422);
    const r = await res.json();
    assert.equal(r.ok, false);
    assert.deepEqual(r.errors.map((e) => e.code), ["invalid_json"]);
    assert.match(r.errors[0].message, /line 2 column \d+/);
  });

  test("a Vrio body is read in an IANA zone through workerd's Intl", async () => {
    const res = await post("/?timeZone=America/New_York", sample("vrio.order_updated.json").bytes);
    assert.equal(res.status, 200);
    const r = await res.json();
    assert.equal(r.ok, true);
    assert.equal(r.event.provider, "vrio");
    assert.equal(r.event.event_id, "48213");
    assert.equal(r.event.occurred_at, "2026-07-14T13:32:17Z"); // 09:32:17 EDT
    assert.equal(r.event.order.total, 6395);
    assert.deepEqual(r.warnings.map((w) => w.code), ["assumed_currency"]);
  });

  test("parseRequest verifies a Polar signature synchronously inside the Worker", async () => {
    const body = sample("polar.order.created.json").bytes;
    const headers = standardWebhooksHeaders(body, polarKey(SECRET));
    const good = await post("/verified", body, headers);
    assert.equal(good.status, 200);
    assert.equal((await good.json()).event.kind, "created");
    const forged = await post("/verified", body, { ...headers, "webhook-id": "msg_forged" });
    assert.equal(forged.status, 400);
    assert.deepEqual((await forged.json()).errors.map((e) => e.code), ["bad_signature"]);
  });
});

describe("a Worker of one platform: orderhook/stripe in workerd", { timeout: 60_000 }, () => {
  let stripe;
  let modules;
  before(async () => {
    ({ modules, workerd: stripe } = await serveWorker("stripe-worker.js", "orderhook/stripe", "./stripe", { STRIPE_WEBHOOK_SECRET: SECRET }));
  });
  after(() => stripe?.stop());

  test("embeds Stripe's .wasm and not the every-provider one", () => {
    assert.ok(modules.some((m) => m.file === path.join(pkgDir, "stripe", "orderhook_bg.wasm")), "the Worker embeds Stripe's .wasm");
    assert.ok(!modules.some((m) => m.file === path.join(pkgDir, "orderhook_bg.wasm")), "and not the every-provider one");
  });

  test("reads Stripe only", async () => {
    const res = await fetch(stripe.base, { signal: AbortSignal.timeout(5000) });
    assert.deepEqual(await res.json(), ["stripe"]);
  });

  test("verifies and parses a signed Stripe event; a forged one is refused", async () => {
    const body = samples.find((s) => s.provider === "stripe" && s.event === "checkout.session.completed").bytes;
    const send = (headers) =>
      fetch(stripe.base, { method: "POST", body, headers, signal: AbortSignal.timeout(10_000) });
    const good = await send({ "stripe-signature": stripeSignature(body, SECRET) });
    assert.equal(good.status, 200);
    const r = await good.json();
    assert.equal(r.event.provider, "stripe");
    assert.equal(r.event.kind, "paid");
    const forged = await send({ "stripe-signature": stripeSignature(body, SECRET + "x") });
    assert.equal(forged.status, 400);
    assert.deepEqual((await forged.json()).errors.map((e) => e.code), ["bad_signature"]);
  });

  test("a signed Polar body sent to it is refused as an event Stripe does not send", async () => {
    const body = sample("polar.order.paid.json").bytes;
    const res = await fetch(stripe.base, { method: "POST", body, headers: { "stripe-signature": stripeSignature(body, SECRET) }, signal: AbortSignal.timeout(10_000) });
    assert.equal(res.status, 400);
    // The Worker names its provider, so the body is read as Stripe's: "order.paid" is no Stripe event.
    assert.deepEqual((await res.json()).errors.map((e) => e.code), ["unsupported_event"]);
  });
});
