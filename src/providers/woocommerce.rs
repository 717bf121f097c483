//! WooCommerce order webhooks: the REST API order object (`/wc/v3/orders/<id>`)
//! as the body, the topic (`order.created`, …) in the `X-WC-Webhook-Topic`
//! header, a base64 HMAC-SHA256 of the body in `X-WC-Webhook-Signature`, and an
//! unsigned `webhook_id=<id>` form body (the ping) when a webhook is saved active.
//!
//! Money is decimal strings (`"10.00"`) in the order's `currency`, read exactly
//! with that currency's exponent. Dates are read from the `_gmt` fields, which
//! are UTC without a zone suffix; the site-local ones beside them are ignored.
//! `order.deleted` carries only `{"id": …}`. Without the topic (the body alone)
//! the kind is inferred from the status, with an `inferred_event` warning.
//!
//! | WooCommerce `status` | normalized |
//! |---|---|
//! | `pending`, `draft`, `auto-draft`, `checkout-draft` | `pending` |
//! | `on-hold` (awaiting payment confirmation) | `processing` |
//! | `processing` (paid, awaiting fulfilment) | `paid` |
//! | `completed` | `fulfilled` |
//! | `cancelled`, `failed` | `canceled` |
//! | `refunded` | `refunded` |
//! | anything else (custom statuses) | `unknown` + warning |
//!
//! A `processing` or `completed` order with refunds that come to less than its
//! total is `partially_refunded` (WooCommerce keeps its status for partial refunds).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::Deserialize;
use subtle::ConstantTimeEq;

use super::{read, status_table, tidy_address, Calc, Ctx, DeliveryId, Provider, Signature, Spec};
use crate::detect::{Evidence, Top};
use crate::event::{Address, Customer, Item, Kind, Order, OrderEvent, Status};
use crate::field::lenient_struct;
use crate::field::{Field, List, Optional, OptionalOrNull, Presence, Required};
use crate::issue::{quote, Code, Issue, Path};
use crate::money::{Currency, DecimalError, MinorUnits};
use crate::scalar::{DecimalText, Id, KnownValue, OpenEnum};
use crate::time::{LocalDateTime, TimeZone, Timestamp};
use crate::verify::{Headers, HmacFn, Verified};

// Presence follows WooCommerce's own schema for the order (`get_item_schema` of
// WC_REST_Orders_V2_Controller, which v3 extends): it lists no `required` keys,
// so every key may be absent; types are never nullable except `billing.email`
// and the dates (`date-time`, which the controller writes as `null` when unset).
// orderhook itself cannot do without the order's `id`, `status` and `currency`.
// `name` and `product_id` of a line item are typed `mixed`: a wrong type there is
// a warning. The controller always sends every key; a body missing them was
// changed by a `woocommerce_webhook_payload` filter.

/// The webhook body: a REST API order, or `{"id": …}` for `order.deleted`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct WooOrder {
    pub(crate) id: Required<Id>,
    pub(crate) number: Optional<String>,
    /// `wc_order_…`; evidence only, not read.
    pub(crate) order_key: Field<String>,
    pub(crate) status: Required<OpenEnum<OrderStatus>>,
    pub(crate) currency: Required<String>,
    pub(crate) date_created_gmt: OptionalOrNull<String>,
    pub(crate) date_modified_gmt: OptionalOrNull<String>,
    pub(crate) discount_total: Optional<DecimalText>,
    pub(crate) shipping_total: Optional<DecimalText>,
    pub(crate) total: Optional<DecimalText>,
    pub(crate) total_tax: Optional<DecimalText>,
    /// 0 for a guest.
    pub(crate) customer_id: Optional<Id>,
    pub(crate) billing: Optional<WooAddress>,
    pub(crate) shipping: Optional<WooAddress>,
    pub(crate) line_items: Optional<List<LineItem>>,
    pub(crate) fee_lines: Optional<List<Total>>,
    pub(crate) refunds: Optional<List<Total>>,
}

/// `billing` / `shipping` (`shipping` has no `email`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct WooAddress {
    pub(crate) first_name: Optional<String>,
    pub(crate) last_name: Optional<String>,
    pub(crate) address_1: Optional<String>,
    pub(crate) address_2: Optional<String>,
    pub(crate) city: Optional<String>,
    pub(crate) state: Optional<String>,
    pub(crate) postcode: Optional<String>,
    pub(crate) country: Optional<String>,
    pub(crate) email: OptionalOrNull<String>,
    pub(crate) phone: Optional<String>,
}

/// A `line_items` element, the fields orderhook reads (`price` is a float and
/// is not read: the unit price comes from `subtotal` ÷ `quantity`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct LineItem {
    pub(crate) id: Optional<Id>,
    /// Typed `mixed`.
    pub(crate) name: Field<String>,
    /// Typed `mixed`; 0 when the product was deleted.
    pub(crate) product_id: Field<Id>,
    pub(crate) quantity: Optional<i64>,
    /// Before discounts, without tax.
    pub(crate) subtotal: Optional<DecimalText>,
    /// After discounts, without tax.
    pub(crate) total: Optional<DecimalText>,
    pub(crate) total_tax: Optional<DecimalText>,
    /// `null` when the product no longer exists (the schema says string).
    pub(crate) sku: OptionalOrNull<String>,
}

/// A `fee_lines` or `refunds` element: only its `total` (a fee may be negative;
/// a refund's is, `"-5.00"`, tax included). One type for both keeps the wasm smaller.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Total {
    pub(crate) total: Optional<DecimalText>,
}

lenient_struct!(WooAddress, LineItem, Total);

/// WooCommerce order statuses (`wc_get_order_statuses()` without the `wc-`
/// prefix, the REST schema's `auto-draft`, the block checkout's `checkout-draft`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OrderStatus {
    Pending,
    Processing,
    OnHold,
    Completed,
    Cancelled,
    Refunded,
    Failed,
    Draft,
    AutoDraft,
    CheckoutDraft,
}

impl KnownValue for OrderStatus {
    const VALUES: &'static [(&'static str, Self)] = &[
        ("pending", OrderStatus::Pending),
        ("processing", OrderStatus::Processing),
        ("on-hold", OrderStatus::OnHold),
        ("completed", OrderStatus::Completed),
        ("cancelled", OrderStatus::Cancelled),
        ("refunded", OrderStatus::Refunded),
        ("failed", OrderStatus::Failed),
        ("draft", OrderStatus::Draft),
        ("auto-draft", OrderStatus::AutoDraft),
        ("checkout-draft", OrderStatus::CheckoutDraft),
    ];
}

fn map_status(s: OrderStatus) -> Status {
    match s {
        OrderStatus::Pending | OrderStatus::Draft | OrderStatus::AutoDraft | OrderStatus::CheckoutDraft => {
            Status::Pending
        }
        OrderStatus::OnHold => Status::Processing,
        OrderStatus::Processing => Status::Paid,
        OrderStatus::Completed => Status::Fulfilled,
        OrderStatus::Cancelled | OrderStatus::Failed => Status::Canceled,
        OrderStatus::Refunded => Status::Refunded,
    }
}

/// WooCommerce's order topics and what they mean. `order.deleted` (moved to
/// the trash) has no normalized kind; `order.restored` (back from the trash) is
/// a change.
pub const EVENT_TYPES: [(&str, Kind); 4] = [
    ("order.created", Kind::Created),
    ("order.updated", Kind::Updated),
    ("order.deleted", Kind::Unknown),
    ("order.restored", Kind::Updated),
];

/// What orderhook knows of WooCommerce.
pub(crate) const SPEC: Spec = Spec {
    title: "WooCommerce",
    events: &EVENT_TYPES,
    statuses: || status_table(map_status),
    evidence: Evidence { keys: &["date_created_gmt", "date_modified_gmt"], values: &["order_key"], decide },
    parse: |text, ctx| read::<Wire>(text, ctx, normalize),
    signature: Some(Signature { headers: &[SIGNATURE], scheme: "base64 HMAC-SHA256 of the body", verify }),
    event_type_header: Some(TOPIC),
    // `X-WC-Webhook-Delivery-ID` is `wp_hash(webhook id . unix seconds)`
    // (WC_Webhook::get_new_delivery_id): unsigned, new for every delivery, and the same
    // for every delivery of one webhook within one second (a batch of queued orders), so
    // de-duplicating on it would drop distinct orders; and there is nothing to
    // de-duplicate, since WooCommerce never retries (below). The body has no event id.
    delivery_id: DeliveryId::None,
    // WooCommerce tries each delivery once (WC_Webhook::deliver, called once per queued
    // action); a failure only counts towards disabling the webhook after more than 5 in a
    // row (failed_delivery). class-wc-webhook.php @ 00e1bc4.
    retry_horizon_hours: 0,
    non_json: Some(ping),
};

/// WooCommerce's wire type: the REST API order.
pub type Wire = WooOrder;

/// The header of the signature.
const SIGNATURE: &str = "x-wc-webhook-signature";
/// The header of the topic.
const TOPIC: &str = "x-wc-webhook-topic";

/// An `order_key` of `wc_order_…`, or the `_gmt` dates only WooCommerce's REST
/// objects carry (a product or coupon has them too: parse then says it is not an
/// order). The topic is never in the body.
fn decide(top: &Top<'_>) -> Option<Option<String>> {
    let key = top.string("order_key").is_some_and(|k| k.starts_with("wc_order_"));
    (key || top.has("date_created_gmt") || top.has("date_modified_gmt")).then_some(None)
}

/// The ping WooCommerce sends when a webhook is saved active: `webhook_id=<id>`.
fn ping_id(body: &str) -> Option<&str> {
    let id = body.trim().strip_prefix("webhook_id=")?;
    (!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())).then_some(id)
}

/// The one answer to the ping, from `parse` and from `verify` alike.
fn ping_issue(id: &str) -> Issue {
    Issue::error(
        Code::UnsupportedEvent,
        "",
        format!(
            "WooCommerce's ping (webhook_id={id}), sent unsigned as a form body when a webhook is saved \
             active; it carries no order. Answer it with HTTP 200, or WooCommerce shows the merchant an error"
        ),
    )
}

fn ping(body: &str) -> Option<Issue> {
    ping_id(body).map(ping_issue)
}

/// `X-WC-Webhook-Signature`: base64 HMAC-SHA256 of the raw body under the
/// secret. WooCommerce decodes HTML entities in the stored secret before signing
/// (`wp_specialchars_decode`), so a secret with `&amp;` and the like is tried
/// both as given and decoded. The unsigned ping is answered as such.
fn verify(
    body: &[u8],
    headers: &Headers<'_>,
    secret: &str,
    _: i64,
    _: i64,
    hmac: HmacFn<'_>,
) -> Result<Verified, Issue> {
    let Some(header) = headers.get(SIGNATURE) else {
        if let Some(id) = std::str::from_utf8(body).ok().and_then(ping_id) {
            return Err(ping_issue(id));
        }
        return Err(Issue::error(Code::MissingSignature, "", format!("`{SIGNATURE}` header is missing")));
    };
    let expected = STANDARD.decode(header).unwrap_or_default();
    if expected.len() != 32 {
        let what = match expected.len() {
            0 => "is not base64".to_owned(),
            n => {
                format!("decodes to {n} bytes, not the 32 of an HMAC-SHA256 (a store filter may have changed the hash)")
            }
        };
        return Err(Issue::error(Code::MalformedHeader, "", format!("`{SIGNATURE}` header {what}")));
    }
    let decoded = decode_entities(secret);
    let keys = std::iter::once(secret).chain(decoded.as_deref());
    for key in keys {
        if bool::from(hmac(key.as_bytes(), b"", body).as_slice().ct_eq(&expected)) {
            return Ok(Verified::default());
        }
    }
    let tried = if decoded.is_some() { " (tried the secret as given and with its HTML entities decoded)" } else { "" };
    Err(Issue::error(
        Code::BadSignature,
        "",
        format!("`{SIGNATURE}` header does not match the hmac-sha256 of the body made with the secret{tried}"),
    ))
}

/// The secret as `wp_specialchars_decode(…, ENT_QUOTES)` leaves it, when that differs.
fn decode_entities(secret: &str) -> Option<String> {
    const ENTITIES: [(&str, &str); 7] = [
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&#039;", "'"),
        ("&#39;", "'"),
        ("&#x27;", "'"),
        ("&amp;", "&"),
    ];
    if !secret.contains('&') {
        return None;
    }
    let mut out = String::with_capacity(secret.len());
    let mut rest = secret;
    'outer: while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        for (entity, plain) in ENTITIES {
            if let Some(after) = rest.strip_prefix(entity) {
                out.push_str(plain);
                rest = after;
                continue 'outer;
            }
        }
        out.push('&');
        rest = &rest[1..];
    }
    out.push_str(rest);
    (out != secret).then_some(out)
}

pub(crate) fn normalize(o: &WooOrder, ctx: &mut Ctx<'_>) -> Option<OrderEvent> {
    let root = Path::Root;
    let topic = ctx.options.event_type.clone();
    let kind = match topic.as_deref() {
        Some(t) => match EVENT_TYPES.iter().find(|(name, _)| *name == t) {
            Some((_, k)) => Some(*k),
            None if t.starts_with("order.") => {
                ctx.issues.lenient(
                    Code::UnknownEnum,
                    &root,
                    format!("unknown WooCommerce order topic {}; kind set to `unknown`", quote(t)),
                );
                Some(Kind::Unknown)
            }
            None => {
                ctx.issues.error(
                    Code::UnsupportedEvent,
                    &root,
                    format!("WooCommerce topic {} is not an order topic", quote(t)),
                );
                return None;
            }
        },
        None => {
            if o.order_key.is_missing() && o.line_items.is_missing() && o.currency.is_missing() {
                ctx.issues.error(
                    Code::UnsupportedEvent,
                    &root,
                    "body is not a WooCommerce order (no `order_key`, `line_items` or `currency`); a body of only `id` \
                     is what WooCommerce sends for a deleted resource: pass the X-WC-Webhook-Topic header as `eventType`",
                );
                return None;
            }
            None
        }
    };
    if topic.as_deref() == Some("order.deleted") {
        // The body is `{"id": …}` alone: the order is gone, nothing else is known.
        let id = ctx.read(&o.id, &root.key("id")).map(|i| i.0.clone());
        return Some(OrderEvent {
            provider: Provider::Woocommerce,
            event_type: topic,
            kind: Kind::Unknown,
            event_id: None,
            occurred_at: None,
            order: bare_order(id?),
        });
    }
    let order = normalize_order(o, ctx, &root);
    let kind = match kind {
        Some(k) => k,
        None => {
            ctx.issues.warning(
                Code::InferredEvent,
                &root,
                "WooCommerce sends the topic in the X-WC-Webhook-Topic header, not the body, and none was given; \
                 kind inferred from the order status (pass the header as `eventType`)",
            );
            inferred_kind(o)
        }
    };
    Some(OrderEvent {
        provider: Provider::Woocommerce,
        event_type: topic,
        kind,
        event_id: None,
        occurred_at: None,
        order: order?,
    })
}

/// The kind a body without its topic most likely is, from its status.
fn inferred_kind(o: &WooOrder) -> Kind {
    match o.status.value() {
        Some(OpenEnum::Known(
            OrderStatus::Pending | OrderStatus::Draft | OrderStatus::AutoDraft | OrderStatus::CheckoutDraft,
        )) => Kind::Created,
        Some(OpenEnum::Known(OrderStatus::Processing)) => Kind::Paid,
        Some(OpenEnum::Known(OrderStatus::Cancelled)) => Kind::Canceled,
        Some(OpenEnum::Known(OrderStatus::Refunded)) => Kind::Refunded,
        Some(_) => Kind::Updated,
        None => Kind::Unknown,
    }
}

fn bare_order(id: String) -> Order {
    Order {
        id,
        number: None,
        status: Status::Unknown,
        provider_status: None,
        currency: None,
        currency_digits: None,
        subtotal: None,
        discount: None,
        tax: None,
        shipping: None,
        total: None,
        refunded: None,
        items: Vec::new(),
        customer: None,
        billing_address: None,
        shipping_address: None,
        created_at: None,
        updated_at: None,
        metadata: None,
    }
}

/// Reads decimal strings with the places of the order's currency.
struct Money {
    exponent: Option<u8>,
}

impl Money {
    fn read(&self, f: &impl Presence<DecimalText>, ctx: &mut Ctx<'_>, p: &Path<'_>) -> Option<MinorUnits> {
        let d = ctx.read(f, p)?;
        match d.to_minor_units(self.exponent?) {
            Ok(m) => Some(m),
            Err(e) => {
                ctx.issues.error(Code::InvalidValue, p, format!("{} is not an exact amount: {e}", quote(&d.0)));
                None
            }
        }
    }
}

/// The decimal places of a decimal string (`"10.00"` → 2), when it is one.
fn places(d: &DecimalText) -> Option<u8> {
    let n = u8::try_from(d.0.split_once('.').map_or(0, |(_, f)| f.len())).ok().filter(|n| *n <= 9)?;
    match MinorUnits::parse_decimal(&d.0, n) {
        Err(DecimalError::Syntax) => None,
        _ => Some(n),
    }
}

/// The most decimal places any amount of the order is written with: the store's
/// setting, which every amount follows.
fn store_places(o: &WooOrder) -> Option<u8> {
    let top = [&o.total, &o.total_tax, &o.shipping_total, &o.discount_total].into_iter().map(|f| f.value());
    let lines = o.line_items.value().into_iter().flat_map(|l| l.iter()).filter_map(Field::value);
    let lines = lines.flat_map(|it| [&it.subtotal, &it.total, &it.total_tax].map(|f| f.value()));
    let fees = o.fee_lines.value().into_iter().flat_map(|l| l.iter()).filter_map(|f| f.value()?.total.value());
    let refunds = o.refunds.value().into_iter().flat_map(|l| l.iter()).filter_map(|r| r.value()?.total.value());
    top.chain(lines).flatten().chain(fees).chain(refunds).filter_map(places).max()
}

fn normalize_order(o: &WooOrder, ctx: &mut Ctx<'_>, p: &Path<'_>) -> Option<Order> {
    let id = ctx.read(&o.id, &p.key("id")).map(|i| i.0.clone());
    let number = ctx.string(&o.number, &p.key("number")).filter(|n| !n.is_empty());
    let status_path = p.key("status");
    let (status, provider_status) = match ctx.read(&o.status, &status_path) {
        Some(known @ OpenEnum::Known(s)) => (Some(map_status(*s)), Some(known.to_string())),
        Some(OpenEnum::Unknown(raw)) => {
            ctx.issues.lenient(
                Code::UnknownEnum,
                &status_path,
                format!("unknown WooCommerce order status {} (a custom status?); status set to `unknown`", quote(raw)),
            );
            (Some(Status::Unknown), Some(raw.clone()))
        }
        None => (None, None),
    };

    let currency_path = p.key("currency");
    let total_path = p.key("total");
    let (currency, exponent) = match ctx.read(&o.currency, &currency_path) {
        Some(code) => match Currency::parse(code) {
            Ok(c) => (Some(c), Some(c.exponent())),
            Err(why) => {
                // WooCommerce offers a few codes outside ISO 4217 (BTC, IRT…); its
                // amounts all carry the store's decimal places, so those are used.
                let n = store_places(o);
                let how = match n {
                    Some(n) => format!("amounts read with the {n} decimal places the store writes"),
                    None => "amounts not read".to_owned(),
                };
                ctx.issues.warning(
                    Code::InvalidValue,
                    &currency_path,
                    format!("`currency` {} {why}; currency set to null, {how}", quote(code)),
                );
                (None, n)
            }
        },
        None => (None, None),
    };
    let money = Money { exponent };

    let total = money.read(&o.total, ctx, &total_path);
    let tax = money.read(&o.total_tax, ctx, &p.key("total_tax"));
    let shipping = money.read(&o.shipping_total, ctx, &p.key("shipping_total"));
    let discount = money.read(&o.discount_total, ctx, &p.key("discount_total"));
    let created_at = gmt(&o.date_created_gmt, ctx, &p.key("date_created_gmt"));
    let updated_at = gmt(&o.date_modified_gmt, ctx, &p.key("date_modified_gmt"));

    // Line items: the subtotal is theirs (WooCommerce's order carries none).
    let items_path = p.key("line_items");
    let mut items = Vec::new();
    let mut subtotals = Vec::new();
    let mut parts = Vec::new();
    if let Some(list) = ctx.list(&o.line_items, &items_path) {
        items.reserve(list.len());
        for (i, it) in list.iter().enumerate() {
            let ip = items_path.index(i);
            if let Some(it) = ctx.req(it, &ip) {
                let (item, subtotal) = item(it, &money, ctx, &ip);
                subtotals.push(subtotal);
                parts.push(item.total);
                items.push(item);
            } else {
                subtotals.push(None);
                parts.push(None);
            }
        }
    }
    let subtotal = match o.line_items.value() {
        Some(_) => ctx.derived("the line items' subtotal", Calc::sum(subtotals), &items_path),
        None => None,
    };
    let fees_path = p.key("fee_lines");
    if let Some(list) = ctx.list(&o.fee_lines, &fees_path) {
        for (i, fee) in list.iter().enumerate() {
            let fp = fees_path.index(i);
            parts.push(ctx.req(fee, &fp).and_then(|f| money.read(&f.total, ctx, &fp.key("total"))));
        }
    }
    parts.push(shipping);
    parts.push(tax);
    check_total(ctx, &parts, total, &total_path);

    let refunds_path = p.key("refunds");
    let refunded = ctx.list(&o.refunds, &refunds_path).and_then(|list| {
        let mut amounts = Vec::with_capacity(list.len());
        for (i, r) in list.iter().enumerate() {
            let rp = refunds_path.index(i);
            // Refund totals are negative: what went back is their opposite.
            amounts.push(ctx.req(r, &rp).and_then(|r| money.read(&r.total, ctx, &rp.key("total"))));
        }
        let sum = Calc::sum(amounts);
        ctx.derived("the refunds' total", Calc::Value(MinorUnits::ZERO).minus(sum), &refunds_path)
    });
    let status = match (status, refunded, total) {
        (Some(Status::Paid | Status::Fulfilled), Some(r), Some(t)) if r > MinorUnits::ZERO && r < t => {
            Some(Status::PartiallyRefunded)
        }
        (s, _, _) => s,
    };

    let billing_path = p.key("billing");
    let billing = ctx.read(&o.billing, &billing_path);
    let billing_address = billing.map(|b| address(b, ctx, &billing_path));
    let customer = billing.map(|b| Customer {
        id: None,
        external_id: None,
        email: text(ctx, &b.email, &billing_path.key("email")),
        name: billing_address.as_ref().and_then(|a| a.name.clone()),
        phone: text(ctx, &b.phone, &billing_path.key("phone")),
    });
    let customer_id = ctx.read(&o.customer_id, &p.key("customer_id")).map(|i| i.0.clone()).filter(|i| i != "0");
    let customer = match (customer, customer_id) {
        (Some(c), id) => Some(Customer { id, ..c }),
        (None, Some(id)) => Some(Customer { id: Some(id), ..Customer::default() }),
        (None, None) => None,
    };
    let billing_address = billing_address.and_then(non_empty);
    let shipping_path = p.key("shipping");
    // `shipping` carries no email; its phone (WooCommerce 5.6+) is not read.
    let shipping_address =
        ctx.read(&o.shipping, &shipping_path).and_then(|s| non_empty(address(s, ctx, &shipping_path)));

    Some(Order {
        id: id?,
        number,
        status: status?,
        provider_status,
        currency,
        currency_digits: exponent,
        subtotal,
        discount,
        tax,
        shipping,
        total,
        refunded,
        items,
        customer,
        billing_address,
        shipping_address,
        created_at,
        updated_at,
        metadata: None,
    })
}

/// Warn when the parts (line totals, fees, shipping, tax) and `total` differ by
/// more than WooCommerce's rounding of each part to the store's places explains.
fn check_total(ctx: &mut Ctx<'_>, parts: &[Option<MinorUnits>], total: Option<MinorUnits>, p: &Path<'_>) {
    let (Calc::Value(sum), Some(t)) = (Calc::sum(parts.iter().copied()), total) else {
        ctx.check_sum(
            "the line totals, fees, `shipping_total` and `total_tax`",
            Calc::sum(parts.iter().copied()),
            total,
            p,
        );
        return;
    };
    // Each part and the total are rounded separately, by at most half a unit each.
    let slack = i64::try_from(parts.len() + 1).unwrap_or(i64::MAX) / 2;
    if (sum.get() - t.get()).abs() > slack {
        ctx.issues.warning(
            Code::AmountMismatch,
            p,
            format!(
                "`total` is {t} but the line totals, fees, `shipping_total` and `total_tax` come to {sum}, \
                 more than rounding explains"
            ),
        );
    }
}

fn item(it: &LineItem, money: &Money, ctx: &mut Ctx<'_>, p: &Path<'_>) -> (Item, Option<MinorUnits>) {
    let qp = p.key("quantity");
    let quantity = ctx.read(&it.quantity, &qp).copied().map_or(Some(1), |q| ctx.quantity(q, &qp));
    let subtotal = money.read(&it.subtotal, ctx, &p.key("subtotal"));
    let total = money.read(&it.total, ctx, &p.key("total"));
    let tax = money.read(&it.total_tax, ctx, &p.key("total_tax"));
    // One unit's price before discounts, when the subtotal divides exactly.
    let unit_price = match (subtotal, quantity) {
        (Some(s), Some(q)) if q > 0 && s.get() % q == 0 => MinorUnits::new(s.get() / q),
        _ => None,
    };
    let discount = match (subtotal, total) {
        (Some(s), Some(t)) => s.checked_sub(t),
        _ => None,
    };
    let product_id = ctx.beyond_schema(&it.product_id, &p.key("product_id")).map(|i| i.0.clone()).filter(|i| i != "0");
    let item = Item {
        id: ctx.read(&it.id, &p.key("id")).map(|i| i.0.clone()),
        product_id,
        sku: text(ctx, &it.sku, &p.key("sku")),
        name: ctx.beyond_schema(&it.name, &p.key("name")).filter(|n| !n.is_empty()).cloned(),
        quantity: quantity.unwrap_or(0),
        unit_price,
        discount,
        tax,
        total,
    };
    (item, subtotal)
}

/// A `_gmt` date: UTC written without a zone (`2026-03-12T10:44:51`); one with a
/// zone suffix is read as written.
fn gmt(f: &OptionalOrNull<String>, ctx: &mut Ctx<'_>, p: &Path<'_>) -> Option<Timestamp> {
    let s = ctx.read(f, p)?;
    let read = LocalDateTime::parse(s).and_then(|l| l.to_timestamp(&TimeZone::UTC));
    match read.or_else(|_| Timestamp::parse_rfc3339(s)) {
        Ok(t) => Some(t),
        Err(e) => {
            ctx.issues.error(
                Code::InvalidValue,
                p,
                format!("{} is not a WooCommerce GMT date `YYYY-MM-DDTHH:MM:SS` ({e})", quote(s)),
            );
            None
        }
    }
}

/// WooCommerce writes an unset text as `""`.
fn text(ctx: &mut Ctx<'_>, f: &impl Presence<String>, p: &Path<'_>) -> Option<String> {
    ctx.string(f, p).filter(|s| !s.trim().is_empty())
}

fn name(ctx: &mut Ctx<'_>, first: &Optional<String>, last: &Optional<String>, p: &Path<'_>) -> Option<String> {
    let first = text(ctx, first, &p.key("first_name"));
    let last = text(ctx, last, &p.key("last_name"));
    let joined = [first, last].into_iter().flatten().collect::<Vec<_>>().join(" ");
    (!joined.is_empty()).then_some(joined)
}

fn address(a: &WooAddress, ctx: &mut Ctx<'_>, p: &Path<'_>) -> Address {
    let country_path = p.key("country");
    let country = match text(ctx, &a.country, &country_path) {
        Some(_) => ctx.country(&a.country, &country_path),
        None => None,
    };
    tidy_address(Address {
        name: name(ctx, &a.first_name, &a.last_name, p),
        line1: text(ctx, &a.address_1, &p.key("address_1")),
        line2: text(ctx, &a.address_2, &p.key("address_2")),
        city: text(ctx, &a.city, &p.key("city")),
        state: text(ctx, &a.state, &p.key("state")),
        postal_code: text(ctx, &a.postcode, &p.key("postcode")),
        country,
    })
}

/// `None` for an address with every part empty (a virtual order's `shipping`).
fn non_empty(a: Address) -> Option<Address> {
    let parts = [&a.name, &a.line1, &a.line2, &a.city, &a.state, &a.postal_code, &a.country];
    parts.iter().any(|v| v.is_some()).then_some(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_form_body_of_digits_is_the_ping() {
        assert_eq!(ping_id("webhook_id=17"), Some("17"));
        assert_eq!(ping_id(" webhook_id=17\n"), Some("17"));
        for body in ["webhook_id=", "webhook_id=17&x=1", "webhook_id=abc", "{\"webhook_id\":17}", ""] {
            assert_eq!(ping_id(body), None, "{body}");
        }
    }

    #[test]
    fn html_entities_in_a_secret_are_decoded_as_wordpress_does() {
        assert_eq!(decode_entities("a&amp;b&lt;c&#039;d").as_deref(), Some("a&b<c'd"));
        assert_eq!(decode_entities("&amp;lt;").as_deref(), Some("&lt;"));
        assert_eq!(decode_entities("a&b"), None);
        assert_eq!(decode_entities("plain"), None);
    }

    #[test]
    fn places_are_those_the_store_wrote() {
        let d = |s: &str| DecimalText(s.to_owned());
        assert_eq!(places(&d("10.00")), Some(2));
        assert_eq!(places(&d("0.00012345")), Some(8));
        assert_eq!(places(&d("10")), Some(0));
        assert_eq!(places(&d("1,00")), None);
    }
}
