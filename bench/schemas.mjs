// What a user would write instead of orderhook, for one payload per provider (all
// four Polar samples): a hand-written zod v4 schema and a valibot schema that validate
// the fields orderhook's normalized order reads and transform them into the same shape
// (string ids, exact integer minor units, RFC 3339 UTC times, the status and kind
// tables of each provider's module in src/providers/). Each provider's transform is one
// plain function shared by its zod and valibot schemas, so the two libraries differ only
// in validation. Not reproduced: orderhook's warnings (sums cross-checked, unknown enum
// values reported), which only make orderhook's side slower. Used by bench/run.mjs in
// Node and, bundled as modules, inside workerd.
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

// ---------------------------------------------------------------- the newer providers: helpers

// ISO 4217 codes with a minor unit, and their decimal places (as orderhook's src/money.rs).
const ISO_4217 = new Set(
  ("AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN BZD " +
    "CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL " +
    "GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD " +
    "KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO " +
    "NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD " +
    "SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV " +
    "WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG ZWL").split(" "),
);
const ZERO_DECIMALS = new Set("BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split(" "));
const THREE_DECIMALS = new Set("BHD IQD JOD KWD LYD OMR TND".split(" "));

/** An ISO 4217 code, upper-cased, or null when it is not one (orderhook warns and sets null). */
export function currencyOf(code) {
  const up = code.toUpperCase();
  return ISO_4217.has(up) ? up : null;
}

/** Decimal places of an ISO 4217 currency's minor unit. */
export function exponentOf(currency) {
  if (ZERO_DECIMALS.has(currency)) return 0;
  if (THREE_DECIMALS.has(currency)) return 3;
  return currency === "CLF" || currency === "UYW" ? 4 : 2;
}

/** Stripe counts ISK in two places and MGA in none, unlike ISO 4217. */
const stripeExponent = (currency) => (currency === "ISK" ? 2 : currency === "MGA" ? 0 : exponentOf(currency));

/** A safe integer, or an error: beyond ±(2^53 − 1) a JS number is not exact. */
function exact(n, what) {
  if (!Number.isSafeInteger(n)) throw new Error(`${what} is not an exact amount`);
  return n;
}

const DECIMAL_ANY = /^-?(?:\d+\.?\d*|\.\d+)$/;
/**
 * A decimal string ("62.45", "1.5", "-3") as integer minor units with `exponent`
 * places, exactly: digits are joined as text, never multiplied as floats; significant
 * places beyond the exponent ("0.005" in USD) are refused, trailing zeros are not.
 */
export function decimalToMinor(s, exponent) {
  if (!DECIMAL_ANY.test(s)) throw new Error(`${JSON.stringify(s)} is not a decimal amount`);
  const negative = s.startsWith("-");
  const [whole, frac = ""] = (negative ? s.slice(1) : s).split(".");
  const kept = frac.slice(0, exponent);
  if (/[1-9]/.test(frac.slice(exponent))) throw new Error(`${JSON.stringify(s)} has more than ${exponent} decimal places`);
  const n = exact(Number(whole + kept.padEnd(exponent, "0")), JSON.stringify(s));
  return negative ? -n : n;
}

const INTEGER_TEXT = /^-?\d+$/;
/** Paddle's integer minor units sent as strings ("1000"). */
export function integerText(s) {
  if (!INTEGER_TEXT.test(s)) throw new Error(`${JSON.stringify(s)} is not an integer amount`);
  return exact(Number(s), JSON.stringify(s));
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;
/**
 * An RFC 3339 time with any offset as orderhook writes it: UTC, `Z`, the fraction
 * kept with the digits it was sent with. Impossible dates and offsets are errors.
 */
export function utc(s) {
  const m = RFC3339.exec(s);
  if (!m) throw new Error(`${JSON.stringify(s)} is not an RFC 3339 time`);
  const [y, mo, d, h, mi, sec] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number);
  const local = Date.UTC(y, mo - 1, d, h, mi, sec);
  const check = new Date(local);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || sec > 59) {
    throw new Error(`${JSON.stringify(s)} is not a real time`);
  }
  let offsetMinutes = 0;
  if (m[8]) {
    const oh = Number(m[9]);
    const om = Number(m[10]);
    if (oh > 23 || om > 59) throw new Error(`${JSON.stringify(s)} has an impossible offset`);
    offsetMinutes = (m[8] === "-" ? -1 : 1) * (oh * 60 + om);
  }
  const t = new Date(local - offsetMinutes * 60_000);
  const year = t.getUTCFullYear();
  if (year < 1 || year > 9999) throw new Error(`${JSON.stringify(s)} is out of RFC 3339's years`);
  return `${t.toISOString().slice(-24, -5)}${m[7] ?? ""}Z`;
}

/** Unix seconds (Stripe's `created`) as RFC 3339 UTC without a fraction. */
export function unixToUtc(seconds) {
  const t = new Date(seconds * 1000);
  const year = t.getUTCFullYear();
  if (!Number.isSafeInteger(seconds) || !(year >= 1 && year <= 9999)) throw new Error(`${seconds} is not a usable time`);
  return `${t.toISOString().slice(-24, -5)}Z`;
}

/** WooCommerce's `_gmt` dates: UTC written without a zone (`2026-03-12T10:44:51`); one with a zone is read as written. */
const WOO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})?$/;
const ZONED = /(?:Z|[+-]\d{2}:\d{2})$/;
const wooGmt = (s) => (s == null ? null : utc(ZONED.test(s) ? s : `${s}Z`));

/** A text that is not blank, or null (Shopify and WooCommerce write unset texts as ""). */
const nonBlank = (s) => (typeof s === "string" && s.trim() !== "" ? s : null);
/** An ISO 3166-1 alpha-2 code upper-cased; anything else is dropped (orderhook warns). */
const countryOf = (s) => (typeof s === "string" && /^[A-Za-z]{2}$/.test(s) ? s.toUpperCase() : null);
/** `US-CA` → `CA` when the country is US (orderhook's tidy_address). */
const stateOf = (state, country) => (state && country && state.startsWith(`${country}-`) ? state.slice(3) : state);
const joinName = (first, last) => [first, last].filter((x) => x != null).join(" ") || null;
const idOf = (x) => (x == null ? null : String(x));
/** The sum of amounts, or null when one of them is unknown. */
const sumOf = (xs) => (xs.some((x) => x === null) ? null : xs.reduce((a, x) => exact(a + x, "a sum"), 0));

// ---------------------------------------------------------------- Stripe (src/providers/stripe.rs)

const STRIPE_SESSION_EVENTS = [
  "checkout.session.completed",
  "checkout.session.async_payment_succeeded",
  "checkout.session.async_payment_failed",
  "checkout.session.expired",
];
const STRIPE_BY_EVENT = {
  "checkout.session.async_payment_succeeded": ["paid", "paid"],
  "checkout.session.async_payment_failed": ["canceled", "canceled"],
  "checkout.session.expired": ["abandoned", "abandoned"],
};
const STRIPE_BY_PAYMENT = { paid: ["paid", "paid"], no_payment_required: ["paid", "paid"], unpaid: ["created", "processing"] };

function stripeAddress(a, name) {
  if (!a) return null;
  const country = a.country == null ? null : countryOf(a.country);
  const out = { name, line1: a.line1 ?? null, line2: a.line2 ?? null, city: a.city ?? null, state: a.state ?? null, postal_code: a.postal_code ?? null, country };
  if ([out.line1, out.line2, out.city, out.state, out.postal_code, out.country].every((x) => x === null)) return null;
  out.state = stateOf(out.state, country);
  return out;
}

/** A `checkout.session.*` event. */
function normalizeStripe(e) {
  const s = e.data.object;
  if (s.mode === "setup") throw new Error("a setup-mode Checkout Session is not an order");
  const [kind, status] = STRIPE_BY_EVENT[e.type] ?? STRIPE_BY_PAYMENT[s.payment_status] ?? ["unknown", "unknown"];
  const currency = s.currency == null ? null : currencyOf(s.currency);
  const td = s.total_details ?? null;
  const d = s.customer_details ?? null;
  const name = d?.name ?? null;
  const email = d?.email ?? s.customer_email ?? null;
  const phone = d?.phone ?? null;
  const customerId = s.customer == null ? null : typeof s.customer === "string" ? s.customer : s.customer.id;
  const ship = s.collected_information?.shipping_details ?? s.shipping_details ?? s.shipping ?? null;
  return {
    provider: "stripe",
    event_type: e.type,
    kind,
    event_id: e.id,
    occurred_at: unixToUtc(e.created),
    order: {
      id: s.id,
      number: s.client_reference_id ?? null,
      status,
      provider_status: s.payment_status,
      currency,
      currency_digits: currency && stripeExponent(currency),
      subtotal: s.amount_subtotal ?? null,
      discount: td && td.amount_discount,
      tax: td && td.amount_tax,
      shipping: td?.amount_shipping ?? null,
      total: s.amount_total ?? null,
      refunded: null,
      items: [], // Stripe never puts line items in the event
      customer: customerId ?? email ?? name ?? phone ? { id: customerId, external_id: null, email, name, phone } : null,
      billing_address: stripeAddress(d?.address, name),
      shipping_address: ship && stripeAddress(ship.address, ship.name),
      created_at: unixToUtc(s.created),
      updated_at: null,
      metadata: s.metadata ?? null,
    },
  };
}

// ---------------------------------------------------------------- Shopify (src/providers/shopify.rs)

const SHOPIFY_TOPIC = {
  "orders/create": "created",
  "orders/updated": "updated",
  "orders/paid": "paid",
  "orders/cancelled": "canceled",
  "orders/fulfilled": "updated",
  "orders/partially_fulfilled": "updated",
};
const SHOPIFY_STATUS = {
  pending: "pending",
  authorized: "processing",
  partially_paid: "processing",
  paid: "paid",
  partially_refunded: "partially_refunded",
  refunded: "refunded",
  voided: "canceled",
  expired: "canceled",
};

function shopifyAddress(a) {
  if (!a) return null;
  return {
    name: nonBlank(a.name) ?? joinName(nonBlank(a.first_name), nonBlank(a.last_name)),
    line1: nonBlank(a.address1),
    line2: nonBlank(a.address2),
    city: nonBlank(a.city),
    state: nonBlank(a.province_code) ?? nonBlank(a.province),
    postal_code: nonBlank(a.zip),
    country: nonBlank(a.country_code) && countryOf(a.country_code),
  };
}

/** An Order body (`orders/*` topics), its topic from the `X-Shopify-Topic` header. */
function normalizeShopify({ topic, body: o }) {
  const currency = currencyOf(o.currency);
  if (!currency) throw new Error(`currency ${JSON.stringify(o.currency)} is not ISO 4217`);
  const exp = exponentOf(currency);
  const money = (s) => (s == null ? null : decimalToMinor(s, exp));
  /** `shop_money.amount` of a money bag, when it is in the shop currency. */
  const shopMoney = (bag) => {
    const m = bag?.shop_money;
    if (!m) return null;
    return m.currency_code != null && m.currency_code.toUpperCase() !== currency ? null : money(m.amount);
  };
  let status = SHOPIFY_STATUS[o.financial_status] ?? "unknown";
  if (status === "paid" && o.fulfillment_status === "fulfilled") status = "fulfilled";
  const cancelledAt = o.cancelled_at == null ? null : utc(o.cancelled_at);
  if (cancelledAt) status = "canceled";
  let refunded = null;
  if (o.refunds) {
    refunded = 0;
    for (const r of o.refunds) {
      for (const t of r.transactions ?? []) {
        const amount = money(t.amount);
        if (t.kind !== "refund" || t.status !== "success") continue;
        if (t.currency != null && t.currency.toUpperCase() !== currency) {
          refunded = null;
          break;
        }
        refunded = exact(refunded + amount, "refunded");
      }
      if (refunded === null) break;
    }
  }
  const items = (o.line_items ?? []).map((li) => {
    const unit = money(li.price);
    const gross = exact(unit * li.quantity, "price × quantity");
    const discount = li.discount_allocations ? sumOf(li.discount_allocations.map((a) => money(a.amount))) : null;
    const tax = li.tax_lines ? sumOf(li.tax_lines.map((t) => money(t.price))) : null;
    return {
      id: String(li.id),
      product_id: idOf(li.product_id),
      sku: nonBlank(li.sku),
      name: nonBlank(li.name) ?? nonBlank(li.title),
      quantity: li.quantity,
      unit_price: unit,
      discount,
      tax,
      total: discount === null ? gross : gross - discount,
    };
  });
  const email = nonBlank(o.email);
  const phone = nonBlank(o.phone);
  const c = o.customer;
  const customer = c
    ? { id: idOf(c.id), external_id: null, email: nonBlank(c.email) ?? email, name: joinName(nonBlank(c.first_name), nonBlank(c.last_name)), phone: nonBlank(c.phone) ?? phone }
    : email || phone
      ? { id: null, external_id: null, email, name: null, phone }
      : null;
  const updatedAt = o.updated_at == null ? null : utc(o.updated_at);
  return {
    provider: "shopify",
    event_type: topic,
    kind: SHOPIFY_TOPIC[topic],
    event_id: null,
    occurred_at: updatedAt, // the order's last change triggered the delivery
    order: {
      id: String(o.id),
      number: nonBlank(o.name),
      status,
      provider_status: o.financial_status ?? null,
      currency,
      currency_digits: exp,
      subtotal: money(o.total_line_items_price), // before discounts (`subtotal_price` is after them)
      discount: money(o.total_discounts),
      tax: money(o.total_tax),
      shipping: shopMoney(o.total_shipping_price_set),
      total: money(o.total_price),
      refunded,
      items,
      customer,
      billing_address: shopifyAddress(o.billing_address),
      shipping_address: shopifyAddress(o.shipping_address),
      created_at: o.created_at == null ? null : utc(o.created_at),
      updated_at: updatedAt,
      metadata: null,
    },
  };
}

// ---------------------------------------------------------------- Paddle (src/providers/paddle.rs)

const PADDLE_KIND = {
  "transaction.created": "created",
  "transaction.ready": "updated",
  "transaction.billed": "updated",
  "transaction.updated": "updated",
  "transaction.revised": "updated",
  "transaction.payment_failed": "updated",
  "transaction.past_due": "updated",
  "transaction.paid": "paid",
  "transaction.completed": "paid",
  "transaction.canceled": "canceled",
};
const PADDLE_STATUS = { draft: "pending", ready: "pending", billed: "pending", past_due: "pending", paid: "paid", completed: "paid", canceled: "canceled" };

/** A `transaction.*` event. */
function normalizePaddle(e) {
  const t = e.data;
  const currency = currencyOf(t.currency_code);
  const amount = (s) => (s == null ? null : integerText(s));
  const totals = t.details?.totals ?? null;
  const items = (t.details?.line_items ?? []).map((li) => {
    const subtotal = amount(li.totals?.subtotal);
    const discount = amount(li.totals?.discount);
    return {
      id: li.id ?? null,
      product_id: li.product?.id ?? null,
      sku: null,
      name: li.product?.name ?? null,
      quantity: li.quantity,
      unit_price: amount(li.unit_totals?.subtotal),
      discount,
      tax: amount(li.totals?.tax),
      total: subtotal === null || discount === null ? null : subtotal - discount, // after line discounts, before tax
    };
  });
  return {
    provider: "paddle",
    event_type: e.event_type,
    kind: PADDLE_KIND[e.event_type] ?? "unknown",
    event_id: e.event_id,
    occurred_at: utc(e.occurred_at),
    order: {
      id: t.id,
      number: t.invoice_number ?? null,
      status: PADDLE_STATUS[t.status] ?? "unknown",
      provider_status: t.status,
      currency,
      currency_digits: currency && exponentOf(currency),
      subtotal: amount(totals?.subtotal),
      discount: amount(totals?.discount),
      tax: amount(totals?.tax),
      shipping: null,
      total: amount(totals?.total),
      refunded: null,
      items,
      customer: t.customer_id == null ? null : { id: t.customer_id, external_id: null, email: null, name: null, phone: null },
      billing_address: null,
      shipping_address: null,
      created_at: utc(t.created_at),
      updated_at: utc(t.updated_at),
      metadata: t.custom_data ?? null,
    },
  };
}

// ---------------------------------------------------------------- Lemon Squeezy (src/providers/lemon_squeezy.rs)

const LEMON_KIND = { order_created: "created", order_refunded: "refunded", subscription_payment_success: "paid", subscription_payment_refunded: "refunded" };
const LEMON_STATUS = {
  pending: "pending",
  paid: "paid",
  partial_refund: "partially_refunded",
  partial_refunded: "partially_refunded",
  refunded: "refunded",
  failed: "canceled",
  fraudulent: "canceled",
  void: "canceled",
};

/** An `order_*` event (an order resource). */
function normalizeLemonSqueezy(e) {
  const a = e.data.attributes;
  const currency = currencyOf(a.currency);
  const it = a.first_order_item ?? null;
  const quantity = it ? (it.quantity ?? 1) : null;
  // `price` is the item's price: with one unit both the unit price and the line total.
  const single = quantity === 1 ? it.price : null;
  const customerId = idOf(a.customer_id);
  const email = a.user_email ?? null;
  const name = a.user_name ?? null;
  const custom = e.meta.custom_data;
  return {
    provider: "lemon_squeezy",
    event_type: e.meta.event_name,
    kind: LEMON_KIND[e.meta.event_name] ?? "unknown",
    event_id: null,
    occurred_at: null,
    order: {
      id: String(e.data.id),
      number: idOf(a.order_number),
      status: LEMON_STATUS[a.status] ?? "unknown",
      provider_status: a.status,
      currency,
      currency_digits: currency && exponentOf(currency),
      subtotal: a.subtotal,
      discount: a.discount_total,
      tax: a.tax,
      shipping: null,
      total: a.total,
      refunded: a.refunded_amount ?? null,
      items: it
        ? [{ id: idOf(it.id), product_id: idOf(it.product_id), sku: null, name: it.product_name ?? null, quantity, unit_price: single, discount: null, tax: null, total: single }]
        : [],
      customer: customerId ?? email ?? name ? { id: customerId, external_id: null, email, name, phone: null } : null,
      billing_address: null,
      shipping_address: null,
      created_at: utc(a.created_at),
      updated_at: a.updated_at == null ? null : utc(a.updated_at),
      metadata: custom !== null && typeof custom === "object" && !Array.isArray(custom) ? custom : null,
    },
  };
}

// ---------------------------------------------------------------- WooCommerce (src/providers/woocommerce.rs)

const WOO_TOPIC = { "order.created": "created", "order.updated": "updated", "order.restored": "updated" };
const WOO_STATUS = {
  pending: "pending",
  draft: "pending",
  "auto-draft": "pending",
  "checkout-draft": "pending",
  "on-hold": "processing",
  processing: "paid",
  completed: "fulfilled",
  cancelled: "canceled",
  failed: "canceled",
  refunded: "refunded",
};

function wooAddress(a) {
  const country = nonBlank(a.country) && countryOf(a.country);
  const out = {
    name: joinName(nonBlank(a.first_name), nonBlank(a.last_name)),
    line1: nonBlank(a.address_1),
    line2: nonBlank(a.address_2),
    city: nonBlank(a.city),
    state: stateOf(nonBlank(a.state), country),
    postal_code: nonBlank(a.postcode),
    country,
  };
  return out;
}
const anyPart = (a) => (Object.values(a).some((x) => x !== null) ? a : null);

/** An order body (`order.created`, `.updated`, `.restored`), its topic from the `X-WC-Webhook-Topic` header. */
function normalizeWooCommerce({ topic, body: o }) {
  const currency = currencyOf(o.currency);
  if (!currency) throw new Error(`currency ${JSON.stringify(o.currency)} is not ISO 4217`);
  const exp = exponentOf(currency);
  const money = (s) => (s == null ? null : decimalToMinor(s, exp));
  const total = money(o.total);
  const subtotals = [];
  const items = (o.line_items ?? []).map((li) => {
    const quantity = li.quantity ?? 1;
    const subtotal = money(li.subtotal);
    const lineTotal = money(li.total);
    subtotals.push(subtotal);
    const pid = idOf(li.product_id);
    return {
      id: idOf(li.id),
      product_id: pid === "0" ? null : pid,
      sku: nonBlank(li.sku),
      name: li.name || null,
      quantity,
      // one unit's price before discounts, when the subtotal divides exactly
      unit_price: subtotal !== null && quantity > 0 && subtotal % quantity === 0 ? subtotal / quantity : null,
      discount: subtotal === null || lineTotal === null ? null : subtotal - lineTotal,
      tax: money(li.total_tax),
      total: lineTotal,
    };
  });
  // Refund totals are negative: what went back is their opposite.
  const refundTotal = o.refunds ? sumOf(o.refunds.map((r) => money(r.total))) : null;
  const refunded = refundTotal === null ? null : 0 - refundTotal;
  let status = WOO_STATUS[o.status] ?? "unknown";
  if ((status === "paid" || status === "fulfilled") && refunded > 0 && refunded < total) status = "partially_refunded";
  const billing = o.billing ? wooAddress(o.billing) : null;
  const customerId = o.customer_id == null || String(o.customer_id) === "0" ? null : String(o.customer_id);
  const customer = o.billing
    ? { id: customerId, external_id: null, email: nonBlank(o.billing.email), name: billing.name, phone: nonBlank(o.billing.phone) }
    : customerId && { id: customerId, external_id: null, email: null, name: null, phone: null };
  return {
    provider: "woocommerce",
    event_type: topic,
    kind: WOO_TOPIC[topic],
    event_id: null,
    occurred_at: null,
    order: {
      id: String(o.id),
      number: o.number || null,
      status,
      provider_status: o.status,
      currency,
      currency_digits: exp,
      subtotal: o.line_items ? sumOf(subtotals) : null, // the order carries none: its lines' sum
      discount: money(o.discount_total),
      tax: money(o.total_tax),
      shipping: money(o.shipping_total),
      total,
      refunded,
      items,
      customer: customer ?? null,
      billing_address: billing && anyPart(billing),
      shipping_address: o.shipping ? anyPart(wooAddress(o.shipping)) : null,
      created_at: wooGmt(o.date_created_gmt),
      updated_at: wooGmt(o.date_modified_gmt),
      metadata: null,
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

// The newer providers. Times are checked with zod's own ISO validator, then written
// in UTC by utc() (which also refuses what orderhook refuses: colon-less offsets).
const zTime = z.iso.datetime({ offset: true });
const zNullTime = zTime.nullish();
const zDecimal = z.string().regex(DECIMAL_ANY);
const zIntText = z.string().regex(INTEGER_TEXT);
const zQty = zInt.nonnegative();
const zRecord = z.record(z.string(), z.unknown());
const zExpandable = z.union([z.string(), z.object({ id: z.string() })]);

const zStripeAddress = z.object({ line1: zNullStr, line2: zNullStr, city: zNullStr, state: zNullStr, postal_code: zNullStr, country: zNullStr });
const zStripeShipping = z.object({ address: zStripeAddress, name: z.string() }).nullish();

export const zodStripe = z
  .object({
    id: z.string(),
    object: z.literal("event"),
    type: z.enum(STRIPE_SESSION_EVENTS),
    created: zInt,
    data: z.object({
      object: z.object({
        id: z.string(),
        object: z.literal("checkout.session"),
        created: zInt,
        mode: z.string(),
        payment_status: z.string(),
        status: zNullStr,
        currency: zNullStr,
        amount_subtotal: zInt.nullish(),
        amount_total: zInt.nullish(),
        total_details: z.object({ amount_discount: zInt, amount_tax: zInt, amount_shipping: zInt.nullish() }).nullish(),
        client_reference_id: zNullStr,
        customer: zExpandable.nullish(),
        customer_email: zNullStr,
        customer_details: z.object({ address: zStripeAddress.nullish(), email: zNullStr, name: zNullStr, phone: zNullStr }).nullish(),
        collected_information: z.object({ shipping_details: zStripeShipping }).nullish(),
        payment_intent: zExpandable.nullish(),
        shipping_details: zStripeShipping,
        shipping: zStripeShipping,
        metadata: zRecord.nullish(),
      }),
    }),
  })
  .transform(normalizeStripe);

const zShopifyId = z.union([zInt, z.string()]);
const zShopifyAddress = z
  .object({
    name: zNullStr,
    first_name: zNullStr,
    last_name: zNullStr,
    address1: zNullStr,
    address2: zNullStr,
    city: zNullStr,
    province: zNullStr,
    province_code: zNullStr,
    zip: zNullStr,
    country_code: zNullStr,
  })
  .nullish();

export const zodShopify = z
  .object({
    topic: z.enum(Object.keys(SHOPIFY_TOPIC)),
    body: z.object({
      id: zShopifyId,
      admin_graphql_api_id: z.string().regex(/^gid:\/\/shopify\/Order\//).nullish(),
      name: zNullStr,
      currency: z.string(),
      financial_status: zNullStr,
      fulfillment_status: zNullStr,
      cancelled_at: zNullTime,
      created_at: zNullTime,
      updated_at: zNullTime,
      total_line_items_price: zDecimal.nullish(),
      total_discounts: zDecimal.nullish(),
      total_tax: zDecimal.nullish(),
      total_price: zDecimal.nullish(),
      total_shipping_price_set: z.object({ shop_money: z.object({ amount: zDecimal.nullish(), currency_code: zNullStr }).nullish() }).nullish(),
      email: zNullStr,
      phone: zNullStr,
      customer: z.object({ id: zShopifyId.nullish(), email: zNullStr, first_name: zNullStr, last_name: zNullStr, phone: zNullStr }).nullish(),
      billing_address: zShopifyAddress,
      shipping_address: zShopifyAddress,
      line_items: z
        .array(
          z.object({
            id: zShopifyId,
            product_id: zShopifyId.nullish(),
            sku: zNullStr,
            name: zNullStr,
            title: zNullStr,
            quantity: zQty,
            price: zDecimal,
            discount_allocations: z.array(z.object({ amount: zDecimal.nullish() })).nullish(),
            tax_lines: z.array(z.object({ price: zDecimal.nullish() })).nullish(),
          }),
        )
        .nullish(),
      refunds: z
        .array(z.object({ transactions: z.array(z.object({ kind: zNullStr, status: zNullStr, amount: zDecimal.nullish(), currency: zNullStr })).nullish() }))
        .nullish(),
    }),
  })
  .transform(normalizeShopify);

const zPaddleTotals = z.object({ subtotal: zIntText.optional(), discount: zIntText.optional(), tax: zIntText.optional(), total: zIntText.optional() }).nullish();

export const zodPaddle = z
  .object({
    event_id: z.string(),
    event_type: z.enum(Object.keys(PADDLE_KIND)),
    occurred_at: zTime,
    data: z.object({
      id: z.string(),
      status: z.string(),
      customer_id: zNullStr,
      custom_data: zRecord.nullish(),
      currency_code: z.string(),
      invoice_number: zNullStr,
      details: z
        .object({
          totals: zPaddleTotals,
          line_items: z
            .array(
              z.object({
                id: z.string().optional(),
                quantity: zQty,
                unit_totals: zPaddleTotals,
                totals: zPaddleTotals,
                product: z.object({ id: z.string().optional(), name: z.string().optional() }).nullish(),
              }),
            )
            .optional(),
        })
        .nullish(),
      created_at: zTime,
      updated_at: zTime,
    }),
  })
  .transform(normalizePaddle);

export const zodLemonSqueezy = z
  .object({
    meta: z.object({ event_name: z.enum(Object.keys(LEMON_KIND)), custom_data: z.unknown(), test_mode: z.boolean().nullish(), webhook_id: zNullStr }),
    data: z.object({
      type: z.enum(["orders", "subscription-invoices"]),
      id: zShopifyId,
      attributes: z.object({
        customer_id: zShopifyId.nullish(),
        order_number: zShopifyId.nullish(),
        user_name: zNullStr,
        user_email: zNullStr,
        currency: z.string(),
        subtotal: zInt,
        discount_total: zInt,
        tax: zInt,
        total: zInt,
        refunded_amount: zInt.nullish(),
        status: z.string(),
        first_order_item: z
          .object({ id: zShopifyId.nullish(), product_id: zShopifyId.nullish(), product_name: zNullStr, price: zInt, quantity: zQty.nullish() })
          .nullish(),
        created_at: zTime,
        updated_at: zNullTime,
      }),
    }),
  })
  .transform(normalizeLemonSqueezy);

const zWooAddress = z
  .object({
    first_name: z.string().optional(),
    last_name: z.string().optional(),
    address_1: z.string().optional(),
    address_2: z.string().optional(),
    city: z.string().optional(),
    state: z.string().optional(),
    postcode: z.string().optional(),
    country: z.string().optional(),
    email: zNullStr,
    phone: z.string().optional(),
  })
  .optional();
const zWooTotal = z.object({ total: zDecimal.optional() });

export const zodWooCommerce = z
  .object({
    topic: z.enum(Object.keys(WOO_TOPIC)),
    body: z.object({
      id: zShopifyId,
      number: z.string().optional(),
      status: z.string(),
      currency: z.string(),
      date_created_gmt: z.string().regex(WOO_DATE).nullish(),
      date_modified_gmt: z.string().regex(WOO_DATE).nullish(),
      discount_total: zDecimal.optional(),
      shipping_total: zDecimal.optional(),
      total: zDecimal.optional(),
      total_tax: zDecimal.optional(),
      customer_id: zShopifyId.optional(),
      billing: zWooAddress,
      shipping: zWooAddress,
      line_items: z
        .array(
          z.object({
            id: zShopifyId.optional(),
            name: zNullStr,
            product_id: zShopifyId.nullish(),
            quantity: zQty.optional(),
            subtotal: zDecimal.optional(),
            total: zDecimal.optional(),
            total_tax: zDecimal.optional(),
            sku: zNullStr,
          }),
        )
        .optional(),
      fee_lines: z.array(zWooTotal).optional(),
      refunds: z.array(zWooTotal).optional(),
    }),
  })
  .transform(normalizeWooCommerce);

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

// The newer providers (see the zod schemas above for what each reads).
const vTime = v.pipe(v.string(), v.isoTimestamp());
const vNullTime = v.nullish(vTime);
const vDecimal = v.pipe(v.string(), v.regex(DECIMAL_ANY));
const vIntText = v.pipe(v.string(), v.regex(INTEGER_TEXT));
const vQty = v.pipe(vInt, v.minValue(0));
const vRecord = v.record(v.string(), v.unknown());
const vExpandable = v.union([v.string(), v.object({ id: v.string() })]);
const vAnyId = v.union([vInt, v.string()]);

const vStripeAddressObject = v.object({ line1: vNullStr, line2: vNullStr, city: vNullStr, state: vNullStr, postal_code: vNullStr, country: vNullStr });
const vStripeShipping = v.nullish(v.object({ address: vStripeAddressObject, name: v.string() }));

export const valibotStripe = v.pipe(
  v.object({
    id: v.string(),
    object: v.literal("event"),
    type: v.picklist(STRIPE_SESSION_EVENTS),
    created: vInt,
    data: v.object({
      object: v.object({
        id: v.string(),
        object: v.literal("checkout.session"),
        created: vInt,
        mode: v.string(),
        payment_status: v.string(),
        status: vNullStr,
        currency: vNullStr,
        amount_subtotal: v.nullish(vInt),
        amount_total: v.nullish(vInt),
        total_details: v.nullish(v.object({ amount_discount: vInt, amount_tax: vInt, amount_shipping: v.nullish(vInt) })),
        client_reference_id: vNullStr,
        customer: v.nullish(vExpandable),
        customer_email: vNullStr,
        customer_details: v.nullish(v.object({ address: v.nullish(vStripeAddressObject), email: vNullStr, name: vNullStr, phone: vNullStr })),
        collected_information: v.nullish(v.object({ shipping_details: vStripeShipping })),
        payment_intent: v.nullish(vExpandable),
        shipping_details: vStripeShipping,
        shipping: vStripeShipping,
        metadata: v.nullish(vRecord),
      }),
    }),
  }),
  v.transform(normalizeStripe),
);

const vShopifyAddress = v.nullish(
  v.object({
    name: vNullStr,
    first_name: vNullStr,
    last_name: vNullStr,
    address1: vNullStr,
    address2: vNullStr,
    city: vNullStr,
    province: vNullStr,
    province_code: vNullStr,
    zip: vNullStr,
    country_code: vNullStr,
  }),
);

export const valibotShopify = v.pipe(
  v.object({
    topic: v.picklist(Object.keys(SHOPIFY_TOPIC)),
    body: v.object({
      id: vAnyId,
      admin_graphql_api_id: v.nullish(v.pipe(v.string(), v.regex(/^gid:\/\/shopify\/Order\//))),
      name: vNullStr,
      currency: v.string(),
      financial_status: vNullStr,
      fulfillment_status: vNullStr,
      cancelled_at: vNullTime,
      created_at: vNullTime,
      updated_at: vNullTime,
      total_line_items_price: v.nullish(vDecimal),
      total_discounts: v.nullish(vDecimal),
      total_tax: v.nullish(vDecimal),
      total_price: v.nullish(vDecimal),
      total_shipping_price_set: v.nullish(v.object({ shop_money: v.nullish(v.object({ amount: v.nullish(vDecimal), currency_code: vNullStr })) })),
      email: vNullStr,
      phone: vNullStr,
      customer: v.nullish(v.object({ id: v.nullish(vAnyId), email: vNullStr, first_name: vNullStr, last_name: vNullStr, phone: vNullStr })),
      billing_address: vShopifyAddress,
      shipping_address: vShopifyAddress,
      line_items: v.nullish(
        v.array(
          v.object({
            id: vAnyId,
            product_id: v.nullish(vAnyId),
            sku: vNullStr,
            name: vNullStr,
            title: vNullStr,
            quantity: vQty,
            price: vDecimal,
            discount_allocations: v.nullish(v.array(v.object({ amount: v.nullish(vDecimal) }))),
            tax_lines: v.nullish(v.array(v.object({ price: v.nullish(vDecimal) }))),
          }),
        ),
      ),
      refunds: v.nullish(
        v.array(v.object({ transactions: v.nullish(v.array(v.object({ kind: vNullStr, status: vNullStr, amount: v.nullish(vDecimal), currency: vNullStr }))) })),
      ),
    }),
  }),
  v.transform(normalizeShopify),
);

const vPaddleTotals = v.nullish(v.object({ subtotal: v.optional(vIntText), discount: v.optional(vIntText), tax: v.optional(vIntText), total: v.optional(vIntText) }));

export const valibotPaddle = v.pipe(
  v.object({
    event_id: v.string(),
    event_type: v.picklist(Object.keys(PADDLE_KIND)),
    occurred_at: vTime,
    data: v.object({
      id: v.string(),
      status: v.string(),
      customer_id: vNullStr,
      custom_data: v.nullish(vRecord),
      currency_code: v.string(),
      invoice_number: vNullStr,
      details: v.nullish(
        v.object({
          totals: vPaddleTotals,
          line_items: v.optional(
            v.array(
              v.object({
                id: v.optional(v.string()),
                quantity: vQty,
                unit_totals: vPaddleTotals,
                totals: vPaddleTotals,
                product: v.nullish(v.object({ id: v.optional(v.string()), name: v.optional(v.string()) })),
              }),
            ),
          ),
        }),
      ),
      created_at: vTime,
      updated_at: vTime,
    }),
  }),
  v.transform(normalizePaddle),
);

export const valibotLemonSqueezy = v.pipe(
  v.object({
    meta: v.object({ event_name: v.picklist(Object.keys(LEMON_KIND)), custom_data: v.unknown(), test_mode: v.nullish(v.boolean()), webhook_id: vNullStr }),
    data: v.object({
      type: v.picklist(["orders", "subscription-invoices"]),
      id: vAnyId,
      attributes: v.object({
        customer_id: v.nullish(vAnyId),
        order_number: v.nullish(vAnyId),
        user_name: vNullStr,
        user_email: vNullStr,
        currency: v.string(),
        subtotal: vInt,
        discount_total: vInt,
        tax: vInt,
        total: vInt,
        refunded_amount: v.nullish(vInt),
        status: v.string(),
        first_order_item: v.nullish(
          v.object({ id: v.nullish(vAnyId), product_id: v.nullish(vAnyId), product_name: vNullStr, price: vInt, quantity: v.nullish(vQty) }),
        ),
        created_at: vTime,
        updated_at: vNullTime,
      }),
    }),
  }),
  v.transform(normalizeLemonSqueezy),
);

const vOptStr = v.optional(v.string());
const vWooAddress = v.optional(
  v.object({
    first_name: vOptStr,
    last_name: vOptStr,
    address_1: vOptStr,
    address_2: vOptStr,
    city: vOptStr,
    state: vOptStr,
    postcode: vOptStr,
    country: vOptStr,
    email: vNullStr,
    phone: vOptStr,
  }),
);
const vWooTotal = v.object({ total: v.optional(vDecimal) });
const vWooDate = v.nullish(v.pipe(v.string(), v.regex(WOO_DATE)));

export const valibotWooCommerce = v.pipe(
  v.object({
    topic: v.picklist(Object.keys(WOO_TOPIC)),
    body: v.object({
      id: vAnyId,
      number: vOptStr,
      status: v.string(),
      currency: v.string(),
      date_created_gmt: vWooDate,
      date_modified_gmt: vWooDate,
      discount_total: v.optional(vDecimal),
      shipping_total: v.optional(vDecimal),
      total: v.optional(vDecimal),
      total_tax: v.optional(vDecimal),
      customer_id: v.optional(vAnyId),
      billing: vWooAddress,
      shipping: vWooAddress,
      line_items: v.optional(
        v.array(
          v.object({
            id: v.optional(vAnyId),
            name: vNullStr,
            product_id: v.nullish(vAnyId),
            quantity: v.optional(vQty),
            subtotal: v.optional(vDecimal),
            total: v.optional(vDecimal),
            total_tax: v.optional(vDecimal),
            sku: vNullStr,
          }),
        ),
      ),
      fee_lines: v.optional(v.array(vWooTotal)),
      refunds: v.optional(v.array(vWooTotal)),
    }),
  }),
  v.transform(normalizeWooCommerce),
);

/**
 * The payloads these schemas are written for (examples/samples): every Polar sample,
 * one of each other provider. Shopify's and WooCommerce's topic comes from a header;
 * the bench gives it as the `eventType` option (orderhook) and as `topic` (schemas).
 */
export const SCHEMA_PAYLOADS = [
  "polar.order.created",
  "polar.order.paid",
  "polar.order.refunded",
  "polar.order.updated",
  "voucherify.customer.order.paid",
  "vrio.order_updated",
  "stripe.checkout.session.completed",
  "shopify.orders~paid",
  "paddle.transaction.completed",
  "lemon_squeezy.order_created",
  "woocommerce.order.created",
];

/** Parse functions per library: JSON text (and the parse options, for the topic) → normalized event. */
const run = (zodSchema, valibotSchema) => ({
  zod: (text) => zodSchema.parse(JSON.parse(text)),
  valibot: (text) => v.parse(valibotSchema, JSON.parse(text)),
});
const withTopic = (zodSchema, valibotSchema) => ({
  zod: (text, options) => zodSchema.parse({ topic: options?.eventType, body: JSON.parse(text) }),
  valibot: (text, options) => v.parse(valibotSchema, { topic: options?.eventType, body: JSON.parse(text) }),
});

/** `{ zod, valibot }` parse functions `(text, options)` per provider. */
export const validators = {
  polar: run(zodPolar, valibotPolar),
  voucherify: run(zodVoucherify, valibotVoucherify),
  vrio: run(zodVrio, valibotVrio),
  stripe: run(zodStripe, valibotStripe),
  shopify: withTopic(zodShopify, valibotShopify),
  paddle: run(zodPaddle, valibotPaddle),
  lemon_squeezy: run(zodLemonSqueezy, valibotLemonSqueezy),
  woocommerce: withTopic(zodWooCommerce, valibotWooCommerce),
};

/**
 * The fields a schema's result has that differ from orderhook's normalized event
 * (`[]` when every field it produces is equal: same values, same types, and every
 * array as long as orderhook's).
 */
export function differences(theirs, mine, at = "") {
  if (Array.isArray(theirs) && (!Array.isArray(mine) || mine.length !== theirs.length)) {
    return [`${at}: ${theirs.length} elements vs ${JSON.stringify(mine)}`];
  }
  if (theirs !== null && typeof theirs === "object") {
    return Object.keys(theirs).flatMap((k) => differences(theirs[k], mine?.[k], Array.isArray(theirs) ? `${at}[${k}]` : `${at}.${k}`));
  }
  return JSON.stringify(theirs) === JSON.stringify(mine) ? [] : [`${at}: ${JSON.stringify(theirs)} vs ${JSON.stringify(mine)}`];
}
