// Conformance to the providers' own published schemas (Polar OpenAPI 2026-10,
// Voucherify voucherify-openapi 2026-08, as JSON Schema in ../shared/reference/schemas).
// Bodies are generated from the schemas with a seeded generator (generate.mjs), each
// proven valid by ajv before orderhook sees it:
//   - positive: every valid body parses ok, with no amount_mismatch and its money exact;
//   - negative: for every field orderhook reads (tests/spec/reads.json), what the
//     schema forbids (absent when required, null when not nullable, a wrong type)
//     is an error at that field's JSON Pointer;
//   - decisions: reads.json agrees with the schemas, but for the deliberate
//     deviations listed below (the README lists them too).
// Runs when ../shared is present (shared.mjs); otherwise one SKIPPED line.
//
// Realism fix-ups: what a real sender guarantees and the schema cannot say, applied
// to each generated body before ajv checks it:
//   - Polar: the event type agrees with the status (order.paid → paid, order.refunded →
//     (partially_)refunded); subtotal = Σ item amounts, net = subtotal − discount,
//     tax = Σ item taxes, total = net + tax; refunds only on refunded orders, with
//     refunded_amount ≤ net (it excludes tax) and refunded_tax_amount ≤ tax; currency is
//     one of Polar's presentment currencies (lower-case ISO 4217).
//   - Voucherify: the status, when sent, agrees with event.type (created → CREATED, paid →
//     PAID, canceled → CANCELED); item quantity ≥ 1, amount = price × quantity,
//     subtotal_amount = amount − discount_amount; the order's amount = Σ item amounts,
//     items_discount_amount = Σ item discounts, total_discount_amount = discount_amount +
//     items_discount_amount, total_amount = amount − total_discount_amount (each only
//     where the generated body has it).
//   - Both: amounts are whole, non-negative and far below 2^53; dates are real RFC 3339
//     instants (the generator makes no other kind).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { parse } from "orderhook";
import { generate, mergeAllOf, rng } from "./generate.mjs";
import { root, SKIPPED, sharedDir } from "./shared.mjs";

/** Valid bodies per form: thousands, bounded. */
const COUNT = { polar: 3000, voucherifyEnvelope: 2000, voucherifyData: 1000 };
/** Bodies tried per read field and mutation in the negative suite. */
const PER_FIELD = 4;

/**
 * Where orderhook deliberately reads a field otherwise than the schema says, with
 * the reason; keyed by reads.json table and pointer. The decision test fails on a
 * difference not listed here, and on a listed one that is no longer a difference.
 */
const DEVIATIONS = {
  polar: {
    "/timestamp": "required by the schema, absent in deliveries from before 2025-09-11",
    "/data/invoice_number": "required by the schema, absent in Polar's own 2024 documentation example",
  },
  voucherify_data: {
    "/redemption": "required, not nullable by the schema, null in every Voucherify example; orderhook reads only its status",
    "/redemption/status": "non-null in RedemptionInternal, but real deliveries carry SimpleRedemption, whose status is nullable",
    "/customer/email": "typed string, null in Voucherify's own examples",
    "/customer/name": "typed string, null for customers created without one",
    "/customer/source_id": "typed string, null for customers created without one",
  },
};

const dir = sharedDir();
if (dir === null) {
  console.log(SKIPPED);
} else {
  const schemas = path.join(dir, "reference", "schemas");
  const load = (f) => JSON.parse(readFileSync(path.join(schemas, f), "utf8"));
  const reads = JSON.parse(readFileSync(path.join(root, "tests", "spec", "reads.json"), "utf8"));
  const ajv = new Ajv2020({ strict: false, allErrors: false });
  addFormats(ajv);
  ajv.addFormat("uuid4", /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i);
  const polarSchema = load("polar-order-webhook.json");
  const currencies = load("polar-presentment-currencies.json").enum;
  const dataSchema = load("voucherify-customer-order.json");
  const envelopeSchema = load("voucherify-distribution-envelope.json");
  const validPolar = ajv.compile(polarSchema);
  const validData = ajv.compile(dataSchema);
  const validEnvelope = ajv.compile(envelopeSchema);

  const sum = (xs) => xs.reduce((a, b) => a + b, 0);

  function polarFixups(body, r) {
    const o = body.data;
    const byType = {
      "order.paid": ["paid"],
      "order.refunded": ["refunded", "partially_refunded"],
      "order.created": ["pending", "draft", "paid"],
    };
    if (byType[body.type]) o.status = r.pick(byType[body.type]);
    o.paid = ["paid", "refunded", "partially_refunded"].includes(o.status);
    o.currency = r.pick(currencies);
    for (const it of o.items) {
      it.amount = r.int(0, 50_000);
      it.tax_amount = r.int(0, 10_000);
    }
    o.subtotal_amount = sum(o.items.map((i) => i.amount));
    o.discount_amount = r.int(0, o.subtotal_amount);
    o.net_amount = o.subtotal_amount - o.discount_amount;
    o.tax_amount = sum(o.items.map((i) => i.tax_amount));
    o.total_amount = o.net_amount + o.tax_amount;
    const refunded = o.status === "refunded" || o.status === "partially_refunded";
    o.refunded_amount = refunded ? (o.status === "refunded" ? o.net_amount : r.int(0, o.net_amount)) : 0;
    o.refunded_tax_amount = refunded ? (o.status === "refunded" ? o.tax_amount : r.int(0, o.tax_amount)) : 0;
    return body;
  }

  const VOUCHERIFY_EVENTS = ["customer.order.created", "customer.order.paid", "customer.order.updated", "customer.order.canceled"];
  function voucherifyFixups(data, eventType, r) {
    const o = data.order;
    const byEvent = { "customer.order.created": "CREATED", "customer.order.paid": "PAID", "customer.order.canceled": "CANCELED" };
    if ("status" in o && byEvent[eventType]) o.status = byEvent[eventType];
    const items = o.items ?? [];
    for (const it of items) {
      if ("quantity" in it) it.quantity = r.int(1, 5);
      if ("price" in it) it.price = r.int(0, 20_000);
      if ("amount" in it) it.amount = "price" in it ? it.price * (it.quantity ?? 1) : r.int(0, 50_000);
      if ("discount_amount" in it) it.discount_amount = r.int(0, it.amount ?? 0);
      if ("subtotal_amount" in it) it.subtotal_amount = (it.amount ?? 0) - (it.discount_amount ?? 0);
    }
    const itemsDiscount = sum(items.map((i) => i.discount_amount ?? 0));
    const amount = items.length > 0 && items.every((i) => "amount" in i) ? sum(items.map((i) => i.amount)) : itemsDiscount + r.int(0, 100_000);
    if ("amount" in o) o.amount = amount;
    if ("items_discount_amount" in o) o.items_discount_amount = itemsDiscount;
    const discount = r.int(0, amount - itemsDiscount);
    if ("discount_amount" in o) o.discount_amount = discount;
    if ("total_discount_amount" in o) o.total_discount_amount = discount + itemsDiscount;
    if ("total_amount" in o) o.total_amount = amount - discount - itemsDiscount;
    for (const k of ["initial_amount", "applied_discount_amount", "items_applied_discount_amount", "total_applied_discount_amount"]) {
      if (k in o) o[k] = r.int(0, 100_000);
    }
    return data;
  }

  /** Generated bodies of one form, each valid by ajv; `tries` counts the rejected. */
  function bodies(form, count, seed) {
    const r = rng(seed);
    const out = [];
    let rejected = 0;
    let lastError = null;
    while (out.length < count && rejected < count) {
      let body;
      let ok;
      if (form === "polar") {
        body = polarFixups(generate(polarSchema, r), r);
        ok = validPolar(body);
        lastError = validPolar.errors;
      } else {
        const eventType = r.pick(VOUCHERIFY_EVENTS);
        const data = voucherifyFixups(generate(dataSchema, r, { optional: 0.5 }), eventType, r);
        if (form === "voucherifyData") {
          body = data;
          ok = validData(data);
          lastError = validData.errors;
        } else {
          body = generate(envelopeSchema, r);
          body.data = data;
          body.event.type = eventType;
          ok = validEnvelope(body) && validData(data);
          lastError = validEnvelope.errors ?? validData.errors;
        }
        body = { body, eventType };
      }
      if (ok) out.push(body);
      else rejected++;
    }
    assert.equal(out.length, count, `${form}: only ${out.length} of ${count} generated bodies were valid; last ajv error ${JSON.stringify(lastError)}`);
    return out;
  }

  const corpus = {
    polar: bodies("polar", COUNT.polar, 13),
    voucherifyEnvelope: bodies("voucherifyEnvelope", COUNT.voucherifyEnvelope, 1313),
    voucherifyData: bodies("voucherifyData", COUNT.voucherifyData, 131313),
  };

  const describe = (res) => JSON.stringify([...(res.errors ?? []), ...(res.warnings ?? [])].map((i) => `${i.severity} ${i.code} ${i.path}: ${i.message}`));

  test(`every schema-valid Polar order body (${COUNT.polar}) parses ok, its money exact`, () => {
    for (const body of corpus.polar) {
      const res = parse(JSON.stringify(body));
      assert.equal(res.ok, true, describe(res));
      assert.deepEqual(res.warnings, [], describe(res));
      const o = res.event.order;
      const d = body.data;
      assert.deepEqual(
        [o.id, o.subtotal, o.discount, o.tax, o.total, o.refunded, o.currency],
        [d.id, d.subtotal_amount, d.discount_amount, d.tax_amount, d.total_amount, d.refunded_amount + d.refunded_tax_amount, d.currency.toUpperCase()],
      );
      assert.equal(o.items.length, d.items.length);
    }
  });

  /** The warnings a valid Voucherify body may have, each for a reason the body shows. */
  function voucherifyWarningsExpected(res, data, at) {
    for (const w of res.warnings) {
      const why =
        (w.code === "assumed_currency") ||
        (w.code === "missing_field" && w.path === `${at}/order/status` && !("status" in data.order)) ||
        (w.code === "inferred_event" && at === "");
      assert.ok(why, `unexpected warning: ${describe(res)}`);
    }
  }

  test(`every schema-valid Voucherify envelope (${COUNT.voucherifyEnvelope}) parses ok, kind from event.type`, () => {
    const kinds = { created: "created", paid: "paid", updated: "updated", canceled: "canceled" };
    for (const { body, eventType } of corpus.voucherifyEnvelope) {
      const res = parse(JSON.stringify(body));
      assert.equal(res.ok, true, describe(res));
      voucherifyWarningsExpected(res, body.data, "/data");
      const o = res.event.order;
      const d = body.data.order;
      assert.equal(res.event.kind, kinds[eventType.split(".").pop()]);
      assert.equal(res.event.event_id, body.event.id);
      assert.deepEqual([o.id, o.subtotal, o.discount, o.total], [d.id, d.amount ?? null, d.total_discount_amount ?? null, d.total_amount ?? null]);
      assert.equal(o.status, "status" in d ? { CREATED: "pending", PAID: "paid", CANCELED: "canceled", FULFILLED: "fulfilled" }[d.status] : "unknown");
    }
  });

  test(`every schema-valid bare Voucherify data object (${COUNT.voucherifyData}) is recognised and parses ok`, () => {
    for (const { body } of corpus.voucherifyData) {
      const res = parse(JSON.stringify(body));
      assert.equal(res.ok, true, describe(res));
      assert.equal(res.event.provider, "voucherify");
      voucherifyWarningsExpected(res, body, "");
    }
  });

  // --- negatives -------------------------------------------------------------------------

  /** Concrete pointers in `body` for a reads.json pattern (`*` = each index, `customer_address_*` unused here). */
  function concrete(body, pattern) {
    let found = [{ at: "", node: body }];
    const segs = pattern.split("/").slice(1);
    segs.forEach((seg, i) => {
      const last = i === segs.length - 1;
      const next = [];
      for (const { at, node } of found) {
        if (node === null || typeof node !== "object") continue;
        if (seg === "*") {
          if (Array.isArray(node) && node.length > 0) next.push({ at: `${at}/0`, node: node[0], parent: node, key: 0 });
        } else if (!Array.isArray(node) && (last || seg in node)) {
          next.push({ at: `${at}/${seg}`, node: node[seg], parent: node, key: seg });
        }
      }
      found = next;
    });
    return found;
  }

  const WRONG = {
    string: [7, true],
    integer: ["7", 1.5],
    boolean: ["true", 1],
    object: ["x", []],
    array: [{}, "x"],
  };

  function mutations(type, presence, element) {
    const list = WRONG[type].map((v) => ({ what: `wrong type ${JSON.stringify(v)}`, value: v, code: "invalid_type" }));
    // An array element cannot be left out, only be wrong.
    if (presence.startsWith("required") && !element) list.push({ what: "deleted", del: true, code: "missing_field" });
    if (!presence.endsWith("-or-null")) list.push({ what: "null", value: null, code: "invalid_type" });
    return list;
  }

  function negatives(provider, table, prefix, corpusOf, wrap) {
    let exercised = 0;
    const failures = [];
    for (const [pattern, rule] of Object.entries(reads[table])) {
      const [type, presence] = rule.split(" ");
      if (presence === "beyond-schema") continue;
      for (const m of mutations(type, presence, pattern.endsWith("/*"))) {
        let tried = 0;
        for (const item of corpusOf) {
          if (tried >= PER_FIELD) break;
          const body = structuredClone(wrap(item));
          const hit = concrete(body, prefix + pattern).find((h) => h.parent && (m.del ? h.key in h.parent : h.node !== undefined));
          if (!hit) continue;
          tried++;
          if (m.del) delete hit.parent[hit.key];
          else hit.parent[hit.key] = m.value;
          const res = parse(JSON.stringify(body), { provider });
          const caught = !res.ok && res.errors.some((e) => e.code === m.code && e.path === hit.at);
          const elsewhere = res.errors.filter((e) => e.path !== hit.at && !e.path.startsWith(`${hit.at}/`));
          if (!caught || elsewhere.length > 0) failures.push(`${hit.at} ${m.what}: ${describe(res)}`);
        }
        if (tried === 0) failures.push(`${prefix}${pattern} ${m.what}: no generated body has it`);
        exercised += tried;
      }
    }
    assert.deepEqual(failures, []);
    return exercised;
  }

  test("Polar: every violation of a read field's schema is an error at its path", () => {
    const n = negatives("polar", "polar", "", corpus.polar, (b) => b);
    assert.ok(n > 300, `only ${n} mutations`);
  });

  test("Voucherify: every violation of a read field's schema is an error at its path, in the envelope and in bare data", () => {
    let n = negatives("voucherify", "voucherify_envelope", "", corpus.voucherifyEnvelope, (x) => x.body);
    n += negatives("voucherify", "voucherify_data", "/data", corpus.voucherifyEnvelope, (x) => x.body);
    n += negatives("voucherify", "voucherify_data", "", corpus.voucherifyData, (x) => x.body);
    assert.ok(n > 300, `only ${n} mutations`);
  });

  // --- decisions ---------------------------------------------------------------------------

  /** What the schema says of the value at `pattern`: required, nullable, JSON types. */
  function schemaAt(schema, pattern) {
    let node = mergeAllOf(schema);
    let required = true;
    const strip = (n) => {
      n = mergeAllOf(n);
      const branches = n.anyOf ?? n.oneOf;
      if (!branches) return { node: n, nullable: Array.isArray(n.type) && n.type.includes("null") };
      const nonNull = branches.filter((b) => b.type !== "null").map(mergeAllOf);
      const nullable = nonNull.length < branches.length;
      const merged = nonNull.length === 1 ? nonNull[0] : { ...nonNull[0], type: [...new Set(nonNull.flatMap((b) => [].concat(b.type ?? [])))] };
      return { node: merged, nullable };
    };
    let nullable = false;
    for (const seg of pattern.split("/").slice(1)) {
      ({ node } = strip(node));
      if (seg === "*") {
        if (!node.items) return null;
        required = true;
        ({ node, nullable } = strip(node.items));
      } else {
        if (!node.properties || !(seg in node.properties)) return null;
        required = (node.required ?? []).includes(seg);
        ({ node, nullable } = strip(node.properties[seg]));
      }
    }
    const types = [].concat(node.type ?? (node.enum ? [...new Set(node.enum.map((v) => (Number.isInteger(v) ? "integer" : typeof v)))] : []));
    return { required, nullable, types: types.filter((t) => t !== "null") };
  }

  function decisions(table, schema) {
    const problems = [];
    const deviations = DEVIATIONS[table] ?? {};
    for (const [pattern, rule] of Object.entries(reads[table])) {
      const [type, presence] = rule.split(" ");
      const s = schemaAt(schema, pattern);
      if (presence === "beyond-schema") {
        if (s !== null) problems.push(`${pattern}: marked beyond-schema, but the schema has it`);
        continue;
      }
      if (s === null) {
        problems.push(`${pattern}: not in the schema`);
        continue;
      }
      if (!s.types.includes(type) || s.types.length !== 1) problems.push(`${pattern}: read as ${type}, the schema says ${s.types}`);
      const want = `${s.required ? "required" : "optional"}${s.nullable ? "-or-null" : ""}`;
      if (want !== presence && !(pattern in deviations)) problems.push(`${pattern}: read as ${presence}, the schema says ${want}`);
      if (want === presence && pattern in deviations) problems.push(`${pattern}: listed as a deviation, but reads.json follows the schema`);
    }
    return problems;
  }

  test("reads.json follows the published schemas, but for the listed deliberate deviations", () => {
    const envelopeWithData = { ...envelopeSchema, properties: { ...envelopeSchema.properties, data: dataSchema } };
    assert.deepEqual(
      [...decisions("polar", polarSchema), ...decisions("voucherify_envelope", envelopeWithData), ...decisions("voucherify_data", dataSchema)],
      [],
    );
  });
}
