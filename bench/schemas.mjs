// What a user would write instead of orderhook for one Polar, one Voucherify and
// one Vrio payload: a hand-written zod v4 schema and a valibot schema that validate the
// fields orderhook's normalized order reads and transform them into the same
// shape (string ids, integer minor units, RFC 3339 UTC times). Used by
// bench/run.mjs in Node and, bundled as modules, inside workerd.
import * as v from "valibot";
import { z } from "zod";

// ---------------------------------------------------------------- shared helpers

const DECIMAL = /^-?\d+(?:\.\d{1,2})?$/;
/** "39.95" → 3995 (two-digit currencies, exact, no floating point). */
export function toMinor(s) {
  const negative = s.startsWith("-");
  const [whole, frac = ""] = (negative ? s.slice(1) : s).split(".");
  const n = Number(whole) * 100 + Number(frac.padEnd(2, "0"));
  return negative ? -n : n;
}
const VRIO_DATE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
/** Vrio's zone-less "2026-07-14 09:32:17" read as UTC; its sentinels are null. */
export function vrioDate(s) {
  if (s === "0000-00-00 00:00:00" || s === "---" || s === "") return null;
  return `${s.replace(" ", "T")}Z`;
}
const VOUCHERIFY_STATUS = { CREATED: "pending", PAID: "paid", CANCELED: "canceled", FULFILLED: "fulfilled" };
const VRIO_STATUS = { Complete: "paid", Pending: "pending", Cancelled: "canceled", Refunded: "refunded" };
const orNull = (x) => (x === undefined ? null : x);
const name = (first, last) => [first, last].filter(Boolean).join(" ") || null;

function vrioAddress(a, fallbackName) {
  if (!a) return null;
  return {
    name: name(a.fname, a.lname) ?? fallbackName,
    line1: a.address1 || null,
    line2: a.address2 || null,
    city: a.city || null,
    state: a.state || null,
    postal_code: a.zipcode || null,
    country: a.country || null,
  };
}

const POLAR_STATUS = { pending: "pending", paid: "paid", refunded: "refunded", partially_refunded: "partially_refunded", void: "canceled" };
const POLAR_KIND = { "order.created": "created", "order.paid": "paid", "order.updated": "updated", "order.refunded": "refunded" };

function polarAddress(a, name) {
  if (!a) return null;
  return {
    name,
    line1: a.line1 ?? null,
    line2: a.line2 ?? null,
    city: a.city ?? null,
    state: a.state ? a.state.replace(/^[A-Z]{2}-/, "") : null,
    postal_code: a.postal_code ?? null,
    country: a.country ?? null,
  };
}

function normalizePolar(e) {
  const o = e.data;
  const c = o.customer;
  return {
    provider: "polar",
    event_type: e.type,
    kind: POLAR_KIND[e.type] ?? "unknown",
    event_id: null,
    occurred_at: e.timestamp ?? null,
    order: {
      id: o.id,
      number: o.invoice_number ?? null,
      status: POLAR_STATUS[o.status] ?? "unknown",
      provider_status: o.status,
      currency: o.currency.toUpperCase(),
      subtotal: o.subtotal_amount,
      discount: o.discount_amount,
      tax: o.tax_amount,
      total: o.total_amount,
      refunded: o.refunded_amount + o.refunded_tax_amount,
      items: o.items.map((i) => ({
        id: i.id,
        product_id: o.product_id ?? null,
        name: i.label,
        quantity: 1,
        unit_price: i.amount,
        tax: i.tax_amount,
        total: i.amount,
      })),
      customer: c && { id: c.id, external_id: c.external_id ?? null, email: c.email ?? null, name: c.name ?? null },
      billing_address: polarAddress(o.billing_address, o.billing_name ?? null),
      created_at: o.created_at,
      updated_at: o.modified_at ?? null,
      metadata: o.metadata,
    },
  };
}

function normalizeVoucherify(e) {
  const o = e.data.order;
  const c = e.data.customer ?? null;
  return {
    provider: "voucherify",
    event_type: e.event.type,
    event_id: e.event.id,
    occurred_at: e.event.created_at,
    order: {
      id: o.id,
      number: orNull(o.source_id),
      status: VOUCHERIFY_STATUS[o.status] ?? "unknown",
      provider_status: o.status,
      currency: typeof o.metadata?.currency === "string" ? o.metadata.currency : null,
      subtotal: o.amount,
      discount: orNull(o.total_discount_amount),
      total: o.total_amount,
      items: o.items.map((i) => ({
        product_id: orNull(i.product_id),
        sku: orNull(i.sku_id),
        name: i.product?.name ?? null,
        quantity: i.quantity,
        unit_price: orNull(i.price),
        discount: orNull(i.discount_amount),
        total: orNull(i.subtotal_amount),
      })),
      customer: c && { id: c.id, external_id: orNull(c.source_id), email: orNull(c.email), name: orNull(c.name) },
      created_at: o.created_at,
      updated_at: orNull(o.updated_at),
      metadata: orNull(o.metadata),
    },
  };
}

function normalizeVrio(e) {
  const o = e.webhook_data.order;
  const cust = o.customer;
  const customerName = cust ? name(cust.first_name, cust.last_name) : null;
  const items = o.order_offers.map((x) => ({
    id: x.id,
    product_id: x.offer_id,
    sku: x.order_offer_items?.[0]?.item_sku ?? null,
    name: x.offer_name,
    quantity: x.order_offer_quantity,
    unit_price: x.order_offer_price,
    total: x.order_offer_price * x.order_offer_quantity,
  }));
  const subtotal = items.reduce((a, i) => a + i.total, 0);
  const discount = o.order_discount ?? 0;
  return {
    provider: "vrio",
    event_type: e.webhook_event,
    event_id: e.webhook_event_id,
    occurred_at: e.webhook_event_date,
    order: {
      id: o.id,
      status: VRIO_STATUS[o.status_type_id] ?? "unknown",
      provider_status: o.status_type_id,
      subtotal,
      discount,
      total: subtotal - discount,
      items,
      customer: cust && { id: cust.customer_id, email: orNull(cust.email), name: customerName, phone: orNull(cust.phone) },
      billing_address: vrioAddress(o.customer_address_billing, customerName),
      shipping_address: vrioAddress(o.customer_address_shipping, customerName),
      created_at: o.date_created,
      updated_at: o.date_modified,
    },
  };
}

// ---------------------------------------------------------------- zod v4

const zInt = z.number().int();
const zId = z.union([z.string(), z.number()]).transform(String);
const zMoney = z.string().regex(DECIMAL).transform(toMinor);
const zQuantity = z.union([z.string().regex(/^\d+$/), z.number().int()]).transform(Number);
const zVrioDate = z.string().regex(/^(?:\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}|---)$/).transform(vrioDate);
const zNullStr = z.string().nullish();

const zPolarAddress = z
  .object({ line1: zNullStr, line2: zNullStr, postal_code: zNullStr, city: zNullStr, state: zNullStr, country: z.string().length(2) })
  .nullish();

export const zodPolar = z
  .object({
    type: z.string().regex(/^order\./),
    timestamp: z.iso.datetime({ offset: true }).nullish(),
    data: z.object({
      id: z.string(),
      created_at: z.iso.datetime({ offset: true }),
      modified_at: z.iso.datetime({ offset: true }).nullable(),
      status: z.string(),
      subtotal_amount: zInt,
      discount_amount: zInt,
      tax_amount: zInt,
      total_amount: zInt,
      refunded_amount: zInt,
      refunded_tax_amount: zInt,
      currency: z.string().length(3),
      invoice_number: zNullStr,
      billing_name: zNullStr,
      billing_address: zPolarAddress,
      product_id: zNullStr,
      customer: z.object({ id: z.string(), external_id: zNullStr, email: z.email(), name: zNullStr }),
      metadata: z.record(z.string(), z.unknown()),
      items: z.array(z.object({ id: z.string(), label: z.string(), amount: zInt, tax_amount: zInt })),
    }),
  })
  .transform(normalizePolar);

export const zodVoucherify = z
  .object({
    id: z.string(),
    project_id: z.string(),
    data: z.object({
      customer: z
        .object({ id: z.string(), name: zNullStr, email: z.email().nullish(), source_id: zNullStr })
        .nullish(),
      order: z.object({
        id: z.string(),
        source_id: zNullStr,
        created_at: z.iso.datetime(),
        updated_at: z.iso.datetime().nullish(),
        status: z.string(),
        amount: zInt,
        total_discount_amount: zInt.nullish(),
        total_amount: zInt,
        items: z.array(
          z.object({
            product_id: zNullStr,
            sku_id: zNullStr,
            quantity: zInt.positive(),
            price: zInt.nullish(),
            discount_amount: zInt.nullish(),
            subtotal_amount: zInt.nullish(),
            product: z.object({ name: zNullStr }).nullish(),
          }),
        ),
        metadata: z.record(z.string(), z.unknown()).nullish(),
      }),
    }),
    event: z.object({ id: z.string(), type: z.string(), created_at: z.iso.datetime() }),
  })
  .transform(normalizeVoucherify);

const zVrioAddress = z
  .object({
    fname: zNullStr,
    lname: zNullStr,
    address1: zNullStr,
    address2: zNullStr,
    city: zNullStr,
    state: zNullStr,
    zipcode: zNullStr,
    country: z.string().length(2).nullish(),
  })
  .nullish();

export const zodVrio = z
  .object({
    webhook_type: z.literal("order"),
    webhook_event: z.string(),
    webhook_event_id: zId,
    webhook_event_date: zVrioDate,
    webhook_data: z.object({
      order: z.object({
        id: zId,
        date_created: zVrioDate,
        date_modified: zVrioDate,
        status_type_id: z.string(),
        order_discount: zMoney.nullish(),
        order_offers: z.array(
          z.object({
            id: zId,
            offer_id: zId,
            offer_name: z.string(),
            order_offer_quantity: zQuantity,
            order_offer_price: zMoney,
            order_offer_items: z.array(z.object({ item_sku: zNullStr })).nullish(),
          }),
        ),
        customer: z
          .object({ customer_id: zId, first_name: zNullStr, last_name: zNullStr, email: z.email().nullish(), phone: zNullStr })
          .nullish(),
        customer_address_billing: zVrioAddress,
        customer_address_shipping: zVrioAddress,
      }),
    }),
  })
  .transform(normalizeVrio);

// ---------------------------------------------------------------- valibot

const vInt = v.pipe(v.number(), v.integer());
const vId = v.pipe(v.union([v.string(), v.number()]), v.transform(String));
const vMoney = v.pipe(v.string(), v.regex(DECIMAL), v.transform(toMinor));
const vQuantity = v.pipe(v.union([v.pipe(v.string(), v.regex(/^\d+$/)), vInt]), v.transform(Number));
const vVrioDate = v.pipe(v.string(), v.regex(/^(?:\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}|---)$/), v.transform(vrioDate));
const vNullStr = v.nullish(v.string());
const vIsoDate = v.pipe(v.string(), v.isoTimestamp());

const vPolarDate = v.pipe(v.string(), v.isoTimestamp());
const vPolarAddress = v.nullish(
  v.object({ line1: vNullStr, line2: vNullStr, postal_code: vNullStr, city: vNullStr, state: vNullStr, country: v.pipe(v.string(), v.length(2)) }),
);

export const valibotPolar = v.pipe(
  v.object({
    type: v.pipe(v.string(), v.regex(/^order\./)),
    timestamp: v.nullish(vPolarDate),
    data: v.object({
      id: v.string(),
      created_at: vPolarDate,
      modified_at: v.nullable(vPolarDate),
      status: v.string(),
      subtotal_amount: vInt,
      discount_amount: vInt,
      tax_amount: vInt,
      total_amount: vInt,
      refunded_amount: vInt,
      refunded_tax_amount: vInt,
      currency: v.pipe(v.string(), v.length(3)),
      invoice_number: vNullStr,
      billing_name: vNullStr,
      billing_address: vPolarAddress,
      product_id: vNullStr,
      customer: v.object({ id: v.string(), external_id: vNullStr, email: v.pipe(v.string(), v.email()), name: vNullStr }),
      metadata: v.record(v.string(), v.unknown()),
      items: v.array(v.object({ id: v.string(), label: v.string(), amount: vInt, tax_amount: vInt })),
    }),
  }),
  v.transform(normalizePolar),
);

export const valibotVoucherify = v.pipe(
  v.object({
    id: v.string(),
    project_id: v.string(),
    data: v.object({
      customer: v.nullish(
        v.object({ id: v.string(), name: vNullStr, email: v.nullish(v.pipe(v.string(), v.email())), source_id: vNullStr }),
      ),
      order: v.object({
        id: v.string(),
        source_id: vNullStr,
        created_at: vIsoDate,
        updated_at: v.nullish(vIsoDate),
        status: v.string(),
        amount: vInt,
        total_discount_amount: v.nullish(vInt),
        total_amount: vInt,
        items: v.array(
          v.object({
            product_id: vNullStr,
            sku_id: vNullStr,
            quantity: v.pipe(vInt, v.minValue(1)),
            price: v.nullish(vInt),
            discount_amount: v.nullish(vInt),
            subtotal_amount: v.nullish(vInt),
            product: v.nullish(v.object({ name: vNullStr })),
          }),
        ),
        metadata: v.nullish(v.record(v.string(), v.unknown())),
      }),
    }),
    event: v.object({ id: v.string(), type: v.string(), created_at: vIsoDate }),
  }),
  v.transform(normalizeVoucherify),
);

const vVrioAddress = v.nullish(
  v.object({
    fname: vNullStr,
    lname: vNullStr,
    address1: vNullStr,
    address2: vNullStr,
    city: vNullStr,
    state: vNullStr,
    zipcode: vNullStr,
    country: v.nullish(v.pipe(v.string(), v.length(2))),
  }),
);

export const valibotVrio = v.pipe(
  v.object({
    webhook_type: v.literal("order"),
    webhook_event: v.string(),
    webhook_event_id: vId,
    webhook_event_date: vVrioDate,
    webhook_data: v.object({
      order: v.object({
        id: vId,
        date_created: vVrioDate,
        date_modified: vVrioDate,
        status_type_id: v.string(),
        order_discount: v.nullish(vMoney),
        order_offers: v.array(
          v.object({
            id: vId,
            offer_id: vId,
            offer_name: v.string(),
            order_offer_quantity: vQuantity,
            order_offer_price: vMoney,
            order_offer_items: v.nullish(v.array(v.object({ item_sku: vNullStr }))),
          }),
        ),
        customer: v.nullish(
          v.object({
            customer_id: vId,
            first_name: vNullStr,
            last_name: vNullStr,
            email: v.nullish(v.pipe(v.string(), v.email())),
            phone: vNullStr,
          }),
        ),
        customer_address_billing: vVrioAddress,
        customer_address_shipping: vVrioAddress,
      }),
    }),
  }),
  v.transform(normalizeVrio),
);

/** The payloads these schemas are written for (examples/samples). */
export const SCHEMA_PAYLOADS = {
  polar: "polar.order.paid",
  voucherify: "voucherify.customer.order.paid",
  vrio: "vrio.order_updated",
};

/** `{ zod, valibot }` parse functions (JSON text → normalized object) per provider. */
export const validators = {
  polar: {
    zod: (text) => zodPolar.parse(JSON.parse(text)),
    valibot: (text) => v.parse(valibotPolar, JSON.parse(text)),
  },
  voucherify: {
    zod: (text) => zodVoucherify.parse(JSON.parse(text)),
    valibot: (text) => v.parse(valibotVoucherify, JSON.parse(text)),
  },
  vrio: {
    zod: (text) => zodVrio.parse(JSON.parse(text)),
    valibot: (text) => v.parse(valibotVrio, JSON.parse(text)),
  },
};

/** The normalized fields both a schema and orderhook produce, to check they agree. */
export function keyFields(order) {
  return {
    id: order.id,
    status: order.status,
    provider_status: order.provider_status,
    subtotal: order.subtotal,
    total: order.total,
    items: order.items.map((i) => [i.product_id, i.quantity, i.unit_price]),
    customer: order.customer?.email ?? null,
  };
}

/**
 * The fields a schema's result has that differ from orderhook's normalized event
 * (`[]` when every field it produces is equal: same values, same types).
 */
export function differences(theirs, mine, at = "") {
  if (theirs !== null && typeof theirs === "object") {
    return Object.keys(theirs).flatMap((k) => differences(theirs[k], mine?.[k], Array.isArray(theirs) ? `${at}[${k}]` : `${at}.${k}`));
  }
  return JSON.stringify(theirs) === JSON.stringify(mine) ? [] : [`${at}: ${JSON.stringify(theirs)} vs ${JSON.stringify(mine)}`];
}
