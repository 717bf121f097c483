// Regression tests for issue 12 ("Rust owns the rules"): positions as data, options read
// by the core, results instead of throws for empty secrets and Vrio, capped request
// reading, detection on positive evidence and size, the depth limit, the verified
// delivery id, and the core's limits.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { detect, limits, parse, parseRequest, verify } from "orderhook";
import { sample, standardWebhooksHeaders } from "./helpers.mjs";

const codes = (issues) => issues.map((i) => i.code);
const encoder = new TextEncoder();

const request = (body, headers = {}, init = {}) =>
  new Request("https://shop.example/webhooks", { method: "POST", body, headers, ...init });

const polar = sample("polar.order.paid.json");
const vrio = sample("vrio.order_updated.json");
const voucherify = sample("voucherify.customer.order.paid.json");

describe("syntax errors carry their position as data", () => {
  // A lone surrogate escape in /timestamp (a value serde_json cannot hold) and a
  // trailing comma at byte 65 (1-based column 66).
  const body = String.raw`{"type":"order.paid","timestamp":"\ud800","data":{"id":"o1","x":1,}}`;

  test("invalid_json has offset, line and column of the trailing comma; the lone surrogate is listed before it", () => {
    assert.equal(body[65], ",");
    const r = parse(body);
    assert.equal(r.ok, false);
    assert.deepEqual(
      r.errors.map((e) => [e.code, e.path]),
      [
        ["invalid_value", "/timestamp"],
        ["invalid_json", ""],
      ],
    );
    const syntax = r.errors[1];
    assert.deepEqual(
      { offset: syntax.offset, line: syntax.line, column: syntax.column },
      { offset: 65, line: 1, column: 66 },
    );
    assert.equal(syntax.message, "body is not valid JSON: trailing comma (line 1 column 66)");
    assert.equal("offset" in r.errors[0], false, "a value error has a path, not a position");
  });

  test("the message ends in (line L column C), not in 'at line L column C'", () => {
    const r = parse('{"type": "order.paid",\n  "data": }');
    assert.deepEqual(codes(r.errors), ["invalid_json"]);
    const [e] = r.errors;
    assert.deepEqual({ offset: e.offset, line: e.line, column: e.column }, { offset: 33, line: 2, column: 11 });
    assert.equal(e.message, "body is not valid JSON: expected value (line 2 column 11)");
    assert.doesNotMatch(e.message, / at line /);
  });

  test("invalid_utf8 carries the offset of the first bad byte, with its line and byte column", () => {
    // `{` `\n` `"` `a` `é` (2 bytes) 0xff `"` `}`: the bad byte is at offset 6, line 2, column 5.
    const r = parse(new Uint8Array([0x7b, 0x0a, 0x22, 0x61, 0xc3, 0xa9, 0xff, 0x22, 0x7d]));
    assert.deepEqual(codes(r.errors), ["invalid_utf8"]);
    const [e] = r.errors;
    assert.deepEqual({ offset: e.offset, line: e.line, column: e.column }, { offset: 6, line: 2, column: 5 });
  });
});

describe("options are read by the core", () => {
  const vrioBody = vrio.text;

  test('timeZone "z" is UTC, accepted without a throw or an assumed_time_zone warning', () => {
    const z = parse(vrioBody, { timeZone: "z", currency: "USD" });
    assert.equal(z.ok, true, JSON.stringify(z.errors));
    assert.equal(codes(z.warnings).includes("assumed_time_zone"), false);
    assert.deepEqual(z, parse(vrioBody, { timeZone: "UTC", currency: "USD" }));
  });

  test('provider "VRIO" is vrio, in any case', () => {
    const upper = parse(vrioBody, { provider: "VRIO", currency: "USD", timeZone: "UTC" });
    assert.equal(upper.ok, true);
    assert.equal(upper.event.provider, "vrio");
    assert.deepEqual(upper, parse(vrioBody, { provider: "vrio", currency: "USD", timeZone: "UTC" }));
  });

  test('currency "XAU" (no minor unit) is refused', () => {
    assert.throws(() => parse(vrioBody, { currency: "XAU" }), {
      name: "TypeError",
      message: /^orderhook: `currency` "XAU" .*without a minor unit/,
    });
  });

  test("a snake_case option name is refused with the camelCase name", () => {
    assert.throws(() => parse(vrioBody, { time_zone: "UTC" }), {
      name: "TypeError",
      message: /^orderhook: unknown parse option `time_zone`; options are camelCase: did you mean `timeZone`\? \(known: provider, /,
    });
  });

  test(
    "an unknown parseRequest option is named as one, listing secret and the verify options as known",
    async () => {
      await assert.rejects(parseRequest(request(polar.text), { signingSecret: "x" }), {
        name: "TypeError",
        message: /^orderhook: unknown parseRequest option `signingSecret` \(known: .*secret.*toleranceSeconds.*now/,
      });
      await assert.rejects(parseRequest(request(polar.text), { tolerance_seconds: 5 }), {
        name: "TypeError",
        message: /did you mean `toleranceSeconds`\?/,
      });
    },
  );
});

describe("secrets and unsigned providers give results, not throws", () => {
  test("an empty secret is an invalid_secret result from verify", () => {
    const r = verify("polar", polar.bytes, standardWebhooksHeaders(polar.bytes, Buffer.from("k")), "");
    assert.deepEqual(r, {
      ok: false,
      error: { severity: "error", code: "invalid_secret", path: "", message: "secret is empty" },
    });
  });

  test("an empty secret is an invalid_secret result from parseRequest", async () => {
    const r = await parseRequest(request(polar.bytes), { secret: "", provider: "polar" });
    assert.deepEqual(r, {
      ok: false,
      errors: [{ severity: "error", code: "invalid_secret", path: "", message: "secret is empty" }],
      warnings: [],
    });
  });

  test('provider "VRIO" with a secret in parseRequest is an unsupported result', async () => {
    const r = await parseRequest(request(vrio.bytes), { provider: "VRIO", secret: "s" });
    assert.equal(r.ok, false);
    assert.deepEqual(codes(r.errors), ["unsupported"]);
    assert.match(r.errors[0].message, /^vrio sends no signature/);
    assert.deepEqual(r.warnings, []);
  });
});

describe("parseRequest reads the body capped at maxBytes", () => {
  const CHUNK = 16 * 1024;
  const TOTAL = 8 * 1024 * 1024;

  /** An 8 MiB chunked body that counts the bytes it hands out; pulled only on demand. */
  function countingStream() {
    const seen = { pulled: 0, cancelled: false };
    const stream = new ReadableStream(
      {
        pull(controller) {
          if (seen.pulled >= TOTAL) return controller.close();
          controller.enqueue(new Uint8Array(CHUNK).fill(0x20));
          seen.pulled += CHUNK;
        },
        cancel() {
          seen.cancelled = true;
        },
      },
      { highWaterMark: 0 },
    );
    return { stream, seen };
  }

  test("a chunked 8 MiB body with maxBytes 1024 is not read past the limit and gives too_large", async () => {
    const { stream, seen } = countingStream();
    const r = await parseRequest(request(stream, {}, { duplex: "half" }), { maxBytes: 1024 });
    assert.deepEqual(r, {
      ok: false,
      errors: [
        {
          severity: "error",
          code: "too_large",
          path: "",
          message: "body is more than the limit of 1024 bytes; reading stopped there",
        },
      ],
      warnings: [],
    });
    assert.ok(seen.pulled < 1024 + CHUNK, `pulled ${seen.pulled} bytes`);
    assert.equal(seen.cancelled, true, "the stream is cancelled at the limit");
  });

  test("a declared Content-Length over the limit gives too_large without reading a byte", async () => {
    const { stream, seen } = countingStream();
    const req = request(stream, { "content-length": String(TOTAL) }, { duplex: "half" });
    const r = await parseRequest(req, { maxBytes: 1024 });
    assert.deepEqual(codes(r.errors), ["too_large"]);
    assert.equal(r.errors[0].message, `body is ${TOTAL} bytes, more than the limit of 1024 bytes`);
    assert.equal(seen.pulled, 0);
  });

  test("a stream that errors gives incomplete_body", async () => {
    let first = true;
    const stream = new ReadableStream({
      pull(controller) {
        if (first) {
          first = false;
          controller.enqueue(polar.bytes.subarray(0, 40));
        } else {
          controller.error(new Error("connection reset"));
        }
      },
    });
    const r = await parseRequest(request(stream, {}, { duplex: "half" }));
    assert.equal(r.ok, false);
    assert.deepEqual(codes(r.errors), ["incomplete_body"]);
    assert.deepEqual(r.warnings, []);
  });
});

describe("detect honours maxBytes", () => {
  test("a body over maxBytes is not detected; one at the limit is", () => {
    const size = polar.bytes.byteLength;
    const expected = { provider: "polar", eventType: "order.paid" };
    assert.deepEqual(detect(polar.bytes, { maxBytes: size }), expected);
    assert.equal(detect(polar.bytes, { maxBytes: size - 1 }), null);
    assert.deepEqual(detect(polar.text, { maxBytes: size }), expected);
    assert.equal(detect(polar.text, { maxBytes: size - 1 }), null);
  });

  test("the default limit is 1 MiB, counted in UTF-8 bytes", () => {
    const head = '{"webhook_event":"order_updated","pad":"';
    const tail = '"}';
    const atLimit = head + " ".repeat(1024 * 1024 - head.length - tail.length) + tail;
    assert.equal(encoder.encode(atLimit).byteLength, 1024 * 1024);
    assert.deepEqual(detect(atLimit), { provider: "vrio", eventType: "order_updated" });
    // One é (2 bytes, 1 UTF-16 unit) in place of a space: as many UTF-16 units, one byte over.
    const over = atLimit.replace("  ", " é");
    assert.equal(over.length, atLimit.length);
    assert.equal(encoder.encode(over).byteLength, 1024 * 1024 + 1);
    assert.equal(detect(over), null);
    assert.equal(detect(encoder.encode(over)), null);
  });
});

describe("nesting is limited everywhere in a body", () => {
  test("a Polar order whose metadata holds 5,000 nested arrays is invalid_value at the too-deep pointer, and the result serializes", () => {
    const order = JSON.parse(polar.text);
    order.data.metadata = { deep: "__DEEP__" };
    const body = JSON.stringify(order).replace('"__DEEP__"', "[".repeat(5000) + "]".repeat(5000));
    const r = parse(body);
    assert.equal(r.ok, false);
    assert.deepEqual(codes(r.errors), ["invalid_value"]);
    const [e] = r.errors;
    assert.match(e.path, /^\/data\/metadata\/deep(\/0)+$/);
    // The pointer names the first value deeper than maxDepth: 128 segments below the root object.
    assert.equal(e.path.split("/").length - 1, limits().maxDepth);
    assert.match(e.message, /nested more than 128 levels deep/);
    let text;
    assert.doesNotThrow(() => {
      text = JSON.stringify(r);
    });
    assert.ok(text.length < 2000, `${text.length} characters`);
  });
});

describe("the verified delivery id is the event id", () => {
  const key = Buffer.from("polar_whs_rules_test_secret", "utf8");
  const secret = "polar_whs_rules_test_secret";
  const NOW_S = 1_790_000_000;
  const id = "msg_rules_2mT9qX4bV7";

  test("parseRequest with a valid Polar signature gives event_id === the webhook-id header", async () => {
    const headers = standardWebhooksHeaders(polar.bytes, key, { id, timestamp: NOW_S });
    assert.equal(parse(polar.text).event.event_id, null, "the Polar body carries no id of its own");
    const r = await parseRequest(request(polar.bytes, headers), { secret, now: NOW_S * 1000 });
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.equal(r.event.event_id, id);
  });

  test("verify returns the id, and parse with { eventId } gives the same event", async () => {
    const headers = standardWebhooksHeaders(polar.bytes, key, { id, timestamp: NOW_S });
    const checked = verify("polar", polar.bytes, headers, secret, { now: NOW_S * 1000 });
    assert.deepEqual(checked, { ok: true, id });
    const parsed = parse(polar.bytes, { eventId: checked.id });
    assert.equal(parsed.event.event_id, id);
    const requested = await parseRequest(request(polar.bytes, headers), { secret, now: NOW_S * 1000 });
    assert.deepEqual(parsed, requested);
  });

  test("eventId does not replace an id the body carries (Voucherify)", () => {
    const r = parse(voucherify.text, { eventId: "msg_other" });
    assert.equal(r.event.event_id, "evcus_0e5a1b7c9d3f24a1b7");
  });
});

describe("limits()", () => {
  test("returns the core's defaults and limits", () => {
    const l = limits();
    assert.equal(l.defaultMaxBytes, 1048576);
    assert.equal(l.defaultToleranceSeconds, 300);
    assert.equal(l.maxDepth, 128);
    assert.equal(l.maxIssues, 200);
    assert.deepEqual(l.providers.slice(0, 3), ["polar", "voucherify", "vrio"]);
    assert.deepEqual(l.providerSpecs.map((s) => s.name), l.providers);
    assert.deepEqual(l.parseOptions, ["provider", "timeZone", "currency", "maxBytes", "includeSource", "strict", "eventId", "eventType"]);
    assert.deepEqual(l.verifyOptions, ["toleranceSeconds", "now"]);
    assert.equal(Object.isFrozen(l), true);
  });
});

describe("foreign webhook bodies are not ours", () => {
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "foreign");
  const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();

  test("the foreign fixtures are there", () => {
    assert.deepEqual(files, [
      "github.push.json",
      "svix-style.invoice.paid.json",
    ]);
  });

  for (const file of files) {
    test(`${file}: detect gives null, parse gives unknown_provider, also with a secret`, async () => {
      const text = readFileSync(path.join(dir, file), "utf8");
      assert.equal(detect(text), null);
      const r = parse(text);
      assert.equal(r.ok, false);
      assert.deepEqual(codes(r.errors), ["unknown_provider"]);
      const signed = await parseRequest(request(text), { secret: "s" });
      assert.deepEqual(signed, r);
    });
  }
});
