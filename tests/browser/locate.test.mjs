// The preview page's pure helpers, in Node (no browser needed): the JSON
// source-position locator (www/locate.js) and money/time formatting (www/format.js).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { indexOfByteOffset, locateOffset, locatePointer, parseTree, pointerTokens, reindent } from "../../www/locate.js";
import { formatMinor, formatMoney, formatUtc } from "../../www/format.js";
import * as oh from "orderhook";
import { sample, samples } from "../js/helpers.mjs";


/** Every JSON Pointer of a value, the value itself included. */
function* pointers(value, prefix = "") {
  yield [prefix, value];
  if (Array.isArray(value)) {
    for (let k = 0; k < value.length; k++) yield* pointers(value[k], `${prefix}/${k}`);
  } else if (value && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) yield* pointers(v, `${prefix}/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`);
  }
}

const slice = (text, r) => text.slice(r.start, r.end);

describe("locatePointer", () => {
  it("finds every value of every sample, exactly", () => {
    let n = 0;
    for (const { file: f, text } of samples) {
      const tree = parseTree(text);
      for (const [pointer, value] of pointers(JSON.parse(text))) {
        const r = locatePointer(text, pointer, tree);
        assert.ok(r?.exact, `${f} ${pointer}`);
        assert.deepEqual(JSON.parse(slice(text, r)), value, `${f} ${pointer}`);
        n++;
      }
    }
    assert.ok(n > 1000, `${n} pointers checked`);
  });

  it("unescapes pointer tokens and string keys", () => {
    const text = '{"a/b": {"m~n": [10, {"\\u00e9t\\u00e9": "yes"}]}, "q\\"k": 1}';
    assert.deepEqual(pointerTokens("/a~1b/m~0n/1"), ["a/b", "m~n", "1"]);
    assert.equal(slice(text, locatePointer(text, "/a~1b/m~0n/0")), "10");
    assert.equal(slice(text, locatePointer(text, "/a~1b/m~0n/1/été")), '"yes"');
    assert.equal(slice(text, locatePointer(text, '/q"k')), "1");
    assert.equal(slice(text, locatePointer(text, "")), text);
  });

  it("takes the last of duplicate keys, as JSON.parse does", () => {
    const text = '{"a": 1, "a": 2}';
    assert.equal(slice(text, locatePointer(text, "/a")), "2");
  });

  it("points at the parent's key for a missing member or index", () => {
    const text = '{\n  "data": {\n    "items": [1]\n  }\n}';
    const missing = locatePointer(text, "/data/customer/email");
    assert.equal(missing.exact, false);
    assert.equal(missing.found, "/data");
    assert.equal(slice(text, missing), '"data": {');
    assert.equal(slice(text, locatePointer(text, "/data/items/3")), '"items": [');
    assert.equal(slice(text, locatePointer(text, "/nope")), "{");
    assert.equal(slice(text, locatePointer(text, "/data/items/01")), '"items": [', "no leading zeros in array indices");
  });

  it("tolerates broken and half-typed JSON", () => {
    const cases = [
      ['{"a": [1, 2}, "b": "x"}', "/b", '"x"'],
      ['{"a": 1 "b": 2}', "/b", "2"],
      ['{"a": 1,, "b": tru', "/b", "tru"],
      ['{"a": {"b": "unterminated\n, "c": 3}}', "/a/c", "3"],
      ['{oops: 5, "d": [true, null]}', "/d/1", "null"],
      ['{"a": ]], "b": 1}', "/b", "1"],
      ['[[[[', "/0/0", "[["],
    ];
    for (const [text, pointer, want] of cases) {
      const r = locatePointer(text, pointer);
      assert.equal(slice(text, r), want, `${JSON.stringify(text)} ${pointer}`);
    }
    // A key typed without its value yet points at the key.
    const partial = '{"data": {"cust';
    assert.equal(slice(partial, locatePointer(partial, "/data/cust")), '"cust');
    assert.equal(locatePointer("   ", "/a"), null);
  });

  it("survives deep nesting without overflowing the stack", () => {
    const text = "[".repeat(50_000) + "]".repeat(50_000);
    assert.equal(locatePointer(text, "/0/0").exact, true);
  });
});

describe("locateOffset", () => {
  it("reads the issue's UTF-8 byte offset and selects the token there", () => {
    const text = '{"name": "Åsa Öberg" oops}';
    // "oops" starts at UTF-16 index 21, byte 23.
    assert.equal(indexOfByteOffset(text, 23), text.indexOf("oops"));
    assert.deepEqual(locateOffset(text, 23), { start: 21, end: 25 });
    const lines = '{\n  "a": 1\n  "b": 2\n}';
    assert.equal(slice(lines, locateOffset(lines, lines.indexOf('"b"'))), '"b"');
    const emoji = '{"e": "😀", x}';
    assert.equal(slice(emoji, locateOffset(emoji, 14)), "x");
  });

  it("selects the last character at the end of input, and nothing in empty input", () => {
    const text = '{"type":"order.paid"  \n';
    assert.equal(slice(text, locateOffset(text, text.length)), '"');
    assert.deepEqual(locateOffset("", 0), { start: 0, end: 0 });
  });

  it("agrees with the offset the package reports for a syntax error", () => {
    const text = '{"type":"order.paid","timestamp":"\\ud800","data":{"id":"o1","x":1,}}';
    const error = oh.parse(text).errors.find((e) => e.code === "invalid_json");
    assert.equal(slice(text, locateOffset(text, error.offset)), ",");
    assert.deepEqual([error.line, error.column], [1, 66]);
  });
});

describe("reindent", () => {
  it("changes whitespace only, never a token", () => {
    const text = '{"a":[1,2.50,1e3,{}],"b":{"c":"x\\"y, {z}"},"d":[] }';
    const out = reindent(text);
    assert.equal(out.replace(/\s+/g, ""), text.replace(/\s+/g, ""));
    assert.match(out, /2\.50/);
    assert.match(out, /"x\\"y, \{z\}"/);
    assert.deepEqual(JSON.parse(out), JSON.parse(text));
    assert.equal(reindent('{"a": }'), null);
  });
});

describe("money formatting", () => {
  it("places the decimal point by the order's currency_digits, with integer strings only", () => {
    assert.equal(formatMinor(6125, 2), "61.25");
    assert.equal(formatMinor(5, 2), "0.05");
    assert.equal(formatMinor(0, 2), "0.00");
    assert.equal(formatMinor(-1999, 2), "\u221219.99");
    assert.equal(formatMinor(123456789, 0), "123,456,789");
    assert.equal(formatMinor(-5, 3), "\u22120.005");
    assert.equal(formatMinor(1, 4), "0.0001");
    assert.equal(formatMinor(9007199254740991, 2), "90,071,992,547,409.91");
    assert.equal(formatMinor(1450, null), "1,450", "unknown digits: the minor units as they are");
    assert.equal(formatMinor(null, 2), "—");
    assert.equal(formatMinor(12.5, 2), "12.5", "a non-integer is shown as it came, never rounded");
    assert.equal(formatMoney(11772, "USD", 2), "117.72 USD");
    assert.equal(formatMoney(11772, null, 2), "117.72");
  });

  it("takes the digits from the package, which knows each currency's minor unit", () => {
    const digitsOf = (currency) =>
      oh.parse(sample("voucherify.customer.order.updated.json").text, { currency }).event.order.currency_digits;
    assert.deepEqual(["JPY", "BHD", "EUR", "CLF"].map(digitsOf), [0, 3, 2, 4]);
  });

  it("shows UTC timestamps with their precision", () => {
    assert.equal(formatUtc("2026-10-05T08:15:02.418532Z"), "2026-10-05 08:15:02.418532 UTC");
    assert.equal(formatUtc("2026-07-14T13:28:51Z"), "2026-07-14 13:28:51 UTC");
    assert.equal(formatUtc(null), "—");
  });
});
