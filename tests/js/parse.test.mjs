// parse() and detect() through the built package, imported as a user would.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { detect, limits, parse, version } from "orderhook";
import { cargoVersion, sample, samples } from "./helpers.mjs";

/** Whether `provider` sends its event type in a header (WooCommerce's topic), not the body. */
const inHeader = (provider) => Boolean(limits().providerSpecs.find((p) => p.name === provider)?.eventTypeHeader);

const vrioBody = (fields = {}) =>
  JSON.stringify({
    webhook_type: "order",
    webhook_event: "order_updated",
    webhook_event_id: 3549,
    webhook_event_date: "2024-07-01 12:00:00",
    webhook_data: {
      order: {
        id: "126965",
        date_created: "2024-01-01 12:00:00",
        date_modified: "2024-03-10 02:30:00",
        status_type_id: "Complete",
        order_offers: [{ id: "1", offer_id: "7", offer_name: "Kit", order_offer_quantity: "2", order_offer_price: "39.95" }],
        ...fields,
      },
    },
  });

const codes = (issues) => issues.map((i) => i.code);

describe("the package", () => {
  test("resolves to the node entry through the package exports", () => {
    assert.match(import.meta.resolve("orderhook"), /\/pkg\/node\.js$/);
  });

  test("exports the crate version", () => {
    assert.equal(version, cargoVersion());
  });
});

describe("parse: bundled samples", () => {
  for (const s of samples) {
    test(`${s.file} parses ok from a string, a Uint8Array and an ArrayBuffer alike`, () => {
      const fromString = parse(s.text);
      assert.equal(fromString.ok, true, JSON.stringify(fromString.errors));
      assert.equal(fromString.event.provider, s.provider);
      assert.ok(Array.isArray(fromString.warnings));
      assert.equal("errors" in fromString, false);
      assert.equal("source" in fromString, false);
      const fromBytes = parse(s.bytes);
      const buffer = s.bytes.buffer.slice(s.bytes.byteOffset, s.bytes.byteOffset + s.bytes.byteLength);
      const fromBuffer = parse(buffer);
      assert.deepEqual(fromBytes, fromString);
      assert.deepEqual(fromBuffer, fromString);
      // A Node Buffer (a Uint8Array subclass) and a DataView are bytes too.
      assert.deepEqual(parse(Buffer.from(s.text)), fromString);
      assert.deepEqual(parse(new DataView(buffer)), fromString);
    });
  }

  test("the event type comes from the body (or the header) and matches the sample name", () => {
    for (const s of samples) {
      const { event } = parse(s.text);
      if (inHeader(s.provider)) {
        // Only the header names it: given as eventType, it is the event's.
        assert.equal(event.event_type, null, s.file);
        assert.equal(parse(s.text, { eventType: s.event }).event.event_type, s.event, s.file);
      } else if (s.file === "voucherify.customer.order.updated.json") {
        // The bare `data` object carries no event type.
        assert.equal(event.event_type, null);
      } else {
        assert.equal(event.event_type, s.event, s.file);
      }
    }
  });

  test("Polar order.paid is normalized to upper-case currency and integer minor units", () => {
    const r = parse(sample("polar.order.paid.json").text);
    assert.equal(r.ok, true);
    const { event } = r;
    assert.equal(event.kind, "paid");
    assert.equal(event.occurred_at, "2026-10-05T08:15:09.630218Z");
    assert.equal(event.order.status, "paid");
    assert.equal(event.order.currency, "EUR");
    assert.equal(event.order.subtotal, 4900);
    assert.equal(event.order.tax, 1225);
    assert.equal(event.order.total, 6125);
    assert.equal(event.order.items.length, 1);
    assert.equal(event.order.items[0].name, "Studio (monthly)");
    assert.equal(event.order.customer.email, "karin@lindqvist-design.se");
    assert.equal(event.order.billing_address.country, "SE");
    assert.deepEqual(event.order.metadata, { crm_account: "ACC-2291", trial_converted: false });
    assert.deepEqual(r.warnings, []);
  });

  test("Polar US states lose their country prefix", () => {
    const { event } = parse(sample("polar.order.refunded.json").text);
    assert.equal(event.order.billing_address.state, "CA");
    assert.equal(event.order.status, "partially_refunded");
    assert.equal(event.order.refunded, 5886); // refunded_amount 5400 + refunded_tax_amount 486
  });

  test("Voucherify envelopes use event.type and take the currency from order metadata with a warning", () => {
    const r = parse(sample("voucherify.customer.order.paid.json").text);
    assert.equal(r.event.event_type, "customer.order.paid");
    assert.equal(r.event.event_id, "evcus_0e5a1b7c9d3f24a1b7");
    assert.equal(r.event.order.status, "paid");
    assert.equal(r.event.order.provider_status, "PAID");
    assert.equal(r.event.order.currency, "EUR");
    assert.equal(r.event.order.total, 7785);
    assert.deepEqual(codes(r.warnings), ["assumed_currency"]);
    assert.equal(r.warnings[0].path, "/data/order/metadata/currency");
  });

  test("a bare Voucherify data object parses with an inferred_event warning", () => {
    const r = parse(sample("voucherify.customer.order.updated.json").text);
    assert.equal(r.ok, true);
    assert.equal(r.event.provider, "voucherify");
    assert.ok(codes(r.warnings).includes("inferred_event"));
  });

  test("Vrio decimal strings become minor units; string and numeric event ids become strings", () => {
    const r = parse(sample("vrio.order_abandoned.json").text, { currency: "USD", timeZone: "UTC" });
    assert.equal(r.ok, true);
    assert.equal(r.event.event_id, "2871406");
    assert.equal(r.event.kind, "abandoned");
    assert.equal(r.event.order.status, "abandoned");
    assert.equal(r.event.order.currency, "USD");
    assert.equal(r.event.order.total, 1450);
    assert.deepEqual(r.warnings, []);
    const updated = parse(sample("vrio.order_updated.json").text, { currency: "USD", timeZone: "UTC" });
    assert.equal(updated.event.event_id, "48213"); // a JSON number in the body, a string here
    assert.equal(updated.event.order.items[1].quantity, 2);
    assert.equal(updated.event.order.items[1].unit_price, 1450);
  });

  test("the currency option sets the exponent used for decimal strings", () => {
    const kwd = parse(vrioBody(), { currency: "KWD", timeZone: "UTC" });
    assert.equal(kwd.event.order.currency, "KWD");
    assert.equal(kwd.event.order.items[0].unit_price, 39950);
    const usd = parse(vrioBody(), { currency: "usd", timeZone: "UTC" });
    assert.equal(usd.event.order.currency, "USD");
    assert.equal(usd.event.order.items[0].unit_price, 3995);
  });

  test("includeSource adds the body as read, with the provider that read it", () => {
    for (const s of samples) {
      const r = parse(s.bytes, { includeSource: true });
      assert.deepEqual(r.source, { provider: s.provider, payload: JSON.parse(s.text) }, s.file);
    }
  });

  test("the source keeps every field as sent, those orderhook does not read included", () => {
    const body = JSON.parse(sample("polar.order.paid.json").text);
    body.data.checkout_id = "ch_1";
    body.data.total_amount = "12.00"; // wrong type: an error, but the source says what came
    const r = parse(JSON.stringify(body), { includeSource: true });
    assert.equal(r.ok, false);
    assert.deepEqual(r.source, { provider: "polar", payload: body });
  });

  test("without includeSource there is no source", () => {
    assert.equal("source" in parse(sample("polar.order.paid.json").text), false);
    assert.equal("source" in parse("{", { includeSource: true }), false);
  });
});

describe("parse: bad input never throws", () => {
  test("invalid JSON gives invalid_json with line and column", () => {
    const r = parse('{"type": "order.paid",\n  "data": }');
    assert.equal(r.ok, false);
    assert.deepEqual(codes(r.errors), ["invalid_json"]);
    assert.equal(r.errors[0].path, "");
    assert.equal(r.errors[0].severity, "error");
    assert.match(r.errors[0].message, /line 2 column \d+/);
    assert.deepEqual(r.warnings, []);
    assert.equal("event" in r, false);
  });

  test("bodies over maxBytes give one too_large error, for strings and bytes", () => {
    const body = sample("polar.order.paid.json").text;
    const size = Buffer.byteLength(body);
    for (const input of [body, new TextEncoder().encode(body)]) {
      const r = parse(input, { maxBytes: size - 1 });
      assert.equal(r.ok, false);
      assert.deepEqual(codes(r.errors), ["too_large"]);
      assert.equal(r.errors[0].message, `body is ${size} bytes, more than the limit of ${size - 1} bytes`);
      assert.equal(parse(input, { maxBytes: size }).ok, true);
    }
  });

  test("too_large counts UTF-8 bytes, not UTF-16 units", () => {
    const body = `{"note":"${"é".repeat(10)}"}`; // 21 UTF-16 units, 31 bytes
    const r = parse(body, { maxBytes: 30 });
    assert.deepEqual(codes(r.errors), ["too_large"]);
    assert.match(r.errors[0].message, /^body is 31 bytes/);
  });

  test("the default limit is 1 MiB", () => {
    const big = new Uint8Array(1024 * 1024 + 1).fill(0x20);
    assert.deepEqual(codes(parse(big).errors), ["too_large"]);
  });

  test("invalid UTF-8 gives invalid_utf8", () => {
    const r = parse(new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]));
    assert.equal(r.ok, false);
    assert.deepEqual(codes(r.errors), ["invalid_utf8"]);
  });

  test("a JSON object from no known provider gives unknown_provider", () => {
    const r = parse('{"hello":"world"}');
    assert.equal(r.ok, false);
    assert.deepEqual(codes(r.errors), ["unknown_provider"]);
  });

  test("a missing required field is an error with its JSON Pointer", () => {
    const body = JSON.parse(sample("polar.order.paid.json").text);
    delete body.data.id;
    body.data.total_amount = "61.25";
    const r = parse(JSON.stringify(body));
    assert.equal(r.ok, false);
    const byPath = Object.fromEntries(r.errors.map((e) => [e.path, e.code]));
    assert.equal(byPath["/data/id"], "missing_field");
    assert.equal(byPath["/data/total_amount"], "invalid_type");
  });

  test("unknown enum values are warnings, and errors when strict", () => {
    const body = JSON.parse(sample("polar.order.paid.json").text);
    body.data.status = "on_hold";
    const text = JSON.stringify(body);
    const lenient = parse(text);
    assert.equal(lenient.ok, true);
    assert.equal(lenient.event.order.status, "unknown");
    assert.equal(lenient.event.order.provider_status, "on_hold");
    assert.ok(lenient.warnings.some((w) => w.code === "unknown_enum" && w.path === "/data/status"));
    const strict = parse(text, { strict: true });
    assert.equal(strict.ok, false);
    assert.ok(strict.errors.some((e) => e.code === "unknown_enum" && e.path === "/data/status"));
  });

  test("the provider option overrides detection", () => {
    const r = parse(sample("polar.order.paid.json").text, { provider: "vrio" });
    assert.equal(r.ok, false);
    assert.ok(r.errors.length > 0);
  });
});

describe("parse: time zones", () => {
  test("an IANA zone follows daylight saving time (via Intl)", () => {
    const r = parse(vrioBody(), { timeZone: "America/New_York", currency: "USD" });
    assert.equal(r.ok, true, JSON.stringify(r.errors));
    assert.equal(r.event.occurred_at, "2024-07-01T16:00:00Z"); // EDT, UTC-4
    assert.equal(r.event.order.created_at, "2024-01-01T17:00:00Z"); // EST, UTC-5
    // 02:30 does not exist on 2024-03-10 in New York: the offset before the gap applies.
    assert.equal(r.event.order.updated_at, "2024-03-10T07:30:00Z");
    assert.equal(codes(r.warnings).includes("assumed_time_zone"), false);
  });

  test("a zone on the other side of the world, and a fixed offset", () => {
    const tokyo = parse(vrioBody(), { timeZone: "Asia/Tokyo", currency: "USD" });
    assert.equal(tokyo.event.occurred_at, "2024-07-01T03:00:00Z");
    const plus2 = parse(vrioBody(), { timeZone: "+02:00", currency: "USD" });
    assert.equal(plus2.event.occurred_at, "2024-07-01T10:00:00Z");
    assert.equal(plus2.event.order.created_at, "2024-01-01T10:00:00Z");
  });

  test("without a zone, Vrio dates are read as UTC with an assumed_time_zone warning", () => {
    const r = parse(vrioBody(), { currency: "USD" });
    assert.equal(r.event.occurred_at, "2024-07-01T12:00:00Z");
    assert.deepEqual(codes(r.warnings), ["assumed_time_zone"]);
  });

  test("an unknown IANA name is a TypeError that says what to pass", () => {
    assert.throws(() => parse(vrioBody(), { timeZone: "Mars/Olympus_Mons" }), {
      name: "TypeError",
      message: /^orderhook: unknown time zone "Mars\/Olympus_Mons"; use an IANA name such as "America\/New_York"/,
    });
    assert.throws(() => parse(vrioBody(), { timeZone: "+25:00" }), { name: "TypeError", message: /^orderhook: / });
  });
});

describe("parse: misuse throws a TypeError", () => {
  test("an already-parsed object body says to pass the raw text or bytes", () => {
    const parsed = JSON.parse(sample("polar.order.paid.json").text);
    assert.throws(() => parse(parsed), {
      name: "TypeError",
      message: /^orderhook: body is an already-parsed object; pass the raw request text or bytes.*signatures/,
    });
    assert.throws(() => parse([1, 2]), { name: "TypeError", message: /already-parsed object/ });
  });

  test("null, undefined and numbers are not bodies", () => {
    for (const bad of [null, undefined, 42]) {
      assert.throws(() => parse(bad), { name: "TypeError", message: /^orderhook: body must be a string, Uint8Array or ArrayBuffer/ });
    }
  });

  test("a Request is pointed to parseRequest", () => {
    assert.throws(() => parse(new Request("http://x/", { method: "POST", body: "{}" })), {
      name: "TypeError",
      message: /parseRequest/,
    });
  });

  test("options are checked: names, types and values", () => {
    const body = sample("polar.order.paid.json").text;
    assert.throws(() => parse(body, { time_zone: "UTC" }), { name: "TypeError", message: /did you mean `timeZone`/ });
    assert.throws(() => parse(body, { provider: "acme" }), { name: "TypeError", message: /^orderhook: unknown provider "acme"/ });
    assert.throws(() => parse(body, { currency: "EURO" }), { name: "TypeError", message: /ISO 4217/ });
    assert.throws(() => parse(body, { maxBytes: -1 }), { name: "TypeError", message: /maxBytes/ });
    assert.throws(() => parse(body, { strict: "yes" }), { name: "TypeError", message: /strict/ });
    assert.throws(() => parse(body, "polar"), { name: "TypeError", message: /options must be an object/ });
  });
});

describe("detect", () => {
  test("finds provider and event type of every sample, from strings and bytes", () => {
    for (const s of samples) {
      const expected = {
        provider: s.provider,
        eventType: s.file === "voucherify.customer.order.updated.json" || inHeader(s.provider) ? null : s.event,
      };
      assert.deepEqual(detect(s.text), expected, s.file);
      assert.deepEqual(detect(s.bytes), expected, s.file);
    }
  });

  test("is null for other JSON, invalid JSON and invalid UTF-8", () => {
    assert.equal(detect('{"hello":"world"}'), null);
    assert.equal(detect("[1,2]"), null);
    assert.equal(detect("{not json"), null);
    assert.equal(detect(new Uint8Array([0xff, 0xfe])), null);
  });

  test("an object body is a TypeError", () => {
    assert.throws(() => detect({ type: "order.paid" }), { name: "TypeError", message: /already-parsed object/ });
  });
});

describe("empty option strings", () => {
  test("an empty timeZone, currency or provider means not given, as an empty form field would", () => {
    const vrio = samples.find((s) => s.provider === "vrio");
    const plain = parse(vrio.text);
    const empty = parse(vrio.text, { timeZone: "", currency: " ", provider: "" });
    assert.deepEqual(empty, plain);
    assert.ok(empty.warnings.some((w) => w.code === "assumed_time_zone"));
  });
});
