//! Lemon Squeezy webhooks, JSON:API style: `{meta: {event_name, custom_data, …},
//! data: {type, id, attributes}}` for `order_created` and `order_refunded` (an
//! order) and `subscription_payment_success` / `subscription_payment_refunded` (a
//! subscription invoice, read as the order of that payment).
//!
//! Amounts are integer minor units of the upper-case `currency`. An order carries
//! one `first_order_item`, not its item list, so `items` holds that one item at
//! most; an invoice carries none. The envelope has no event time and no delivery
//! id. Signature: `X-Signature`, hex HMAC-SHA256 of the raw body with the
//! webhook's signing secret (no timestamp). Facts and sources:
//! docs/providers/lemon_squeezy.md.
//!
//! | Lemon Squeezy `status`                                   | normalized           |
//! |----------------------------------------------------------|----------------------|
//! | `pending`                                                | `pending`            |
//! | `paid`                                                   | `paid`               |
//! | `partial_refund` (orders), `partial_refunded` (invoices) | `partially_refunded` |
//! | `refunded`                                               | `refunded`           |
//! | `failed`, `fraudulent` (orders), `void` (invoices)       | `canceled`           |
//! | anything else                                            | `unknown` + warning  |

use serde::Deserialize;
use subtle::ConstantTimeEq;

use super::{read, status_table, Ctx, DeliveryId, Provider, Signature, Spec};
use crate::detect::{Evidence, Top};
use crate::event::{Customer, Item, Kind, Order, OrderEvent, Status};
use crate::field::{lenient_struct, Found, OptionalOrNull, RawObject, Required};
use crate::issue::{quote, Code, Issue, Path};
use crate::money::Currency;
use crate::scalar::{Id, KnownValue, OpenEnum};
use crate::verify::{decode_hex, Headers, HmacFn, Verified};

// Lemon Squeezy publishes no schema. Presence follows its API reference and the
// official SDK's types (lemonsqueezy.js 4.0.0, src/orders/types.ts and
// src/subscriptionInvoices/types.ts): what the normalized order cannot do without
// is required; the rest may be absent or `null`, since fields were added over time
// (`refunded_amount`, `first_order_item.id` and `.quantity`, `meta.test_mode`) and
// failed orders come with `null` names and items.

/// The webhook body.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Envelope {
    pub(crate) meta: Required<Meta>,
    pub(crate) data: Required<Resource>,
}

/// `meta`: the event and the checkout's custom data.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Meta {
    pub(crate) event_name: Required<String>,
    /// The `custom` data passed at checkout, absent when there was none.
    pub(crate) custom_data: RawObject<false, true>,
    pub(crate) test_mode: OptionalOrNull<bool>,
    /// Undocumented; not known to name the delivery (see the fact sheet), so not `event_id`.
    pub(crate) webhook_id: OptionalOrNull<String>,
}

/// `data`: a JSON:API resource object.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Resource {
    /// `orders` or `subscription-invoices`.
    #[serde(rename = "type")]
    pub(crate) resource_type: Required<String>,
    pub(crate) id: Required<Id>,
    pub(crate) attributes: Required<Attributes>,
}

/// The attributes of an order or a subscription invoice that orderhook reads
/// (the two share their names; `order_number` and `first_order_item` are an order's).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Attributes {
    pub(crate) customer_id: OptionalOrNull<Id>,
    pub(crate) order_number: OptionalOrNull<Id>,
    pub(crate) user_name: OptionalOrNull<String>,
    pub(crate) user_email: OptionalOrNull<String>,
    pub(crate) currency: Required<String>,
    pub(crate) subtotal: Required<i64>,
    pub(crate) discount_total: Required<i64>,
    pub(crate) tax: Required<i64>,
    pub(crate) total: Required<i64>,
    /// Refunded so far; absent in deliveries from before the field existed.
    pub(crate) refunded_amount: OptionalOrNull<i64>,
    pub(crate) status: Required<OpenEnum<LsStatus>>,
    pub(crate) first_order_item: OptionalOrNull<FirstOrderItem>,
    pub(crate) created_at: Required<String>,
    pub(crate) updated_at: OptionalOrNull<String>,
}

/// `first_order_item`: the order's first line, the only one the event carries.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct FirstOrderItem {
    pub(crate) id: OptionalOrNull<Id>,
    pub(crate) product_id: OptionalOrNull<Id>,
    pub(crate) product_name: OptionalOrNull<String>,
    pub(crate) price: Required<i64>,
    pub(crate) quantity: OptionalOrNull<i64>,
}

lenient_struct!(Meta, Resource, Attributes, FirstOrderItem);

/// The status words of orders and of subscription invoices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LsStatus {
    Pending,
    Failed,
    Paid,
    Refunded,
    PartialRefund,
    Fraudulent,
    Void,
    PartialRefunded,
}

impl KnownValue for LsStatus {
    const VALUES: &'static [(&'static str, Self)] = &[
        ("pending", LsStatus::Pending),
        ("failed", LsStatus::Failed),
        ("paid", LsStatus::Paid),
        ("refunded", LsStatus::Refunded),
        ("partial_refund", LsStatus::PartialRefund),
        ("fraudulent", LsStatus::Fraudulent),
        ("void", LsStatus::Void),
        ("partial_refunded", LsStatus::PartialRefunded),
    ];
}

fn map_status(s: LsStatus) -> Status {
    match s {
        LsStatus::Pending => Status::Pending,
        LsStatus::Paid => Status::Paid,
        LsStatus::PartialRefund | LsStatus::PartialRefunded => Status::PartiallyRefunded,
        LsStatus::Refunded => Status::Refunded,
        LsStatus::Failed | LsStatus::Fraudulent | LsStatus::Void => Status::Canceled,
    }
}

/// What orderhook knows of Lemon Squeezy.
pub(crate) const SPEC: Spec = Spec {
    title: "Lemon Squeezy",
    events: &EVENT_TYPES,
    statuses: || status_table(map_status),
    evidence: Evidence { keys: &[], values: &["meta"], decide },
    parse: |text, ctx| read::<Wire>(text, ctx, normalize),
    signature: Some(Signature {
        headers: &[SIGNATURE_HEADER],
        scheme: "hex HMAC-SHA256 of the body with the webhook's signing secret",
        verify,
    }),
    // `X-Event-Name` repeats `meta.event_name`.
    event_type_header: None,
    // No header and no documented id in the body: `meta.webhook_id` is undocumented and
    // not known to stay the same across retries (or to differ between events).
    delivery_id: DeliveryId::None,
    // "Retried up to three more times using an exponential backoff strategy (e.g. 5
    // secs, 25 secs, 125 secs)" (Webhook Requests): the last retry comes about 155 s
    // after the first attempt. Rounded up to the registry's unit, an hour.
    retry_horizon_hours: 1,
    // Every delivery is a JSON object.
    non_json: None,
};

/// Lemon Squeezy's wire type: the webhook body.
pub type Wire = Envelope;

/// Lemon Squeezy's order event names and what they mean.
pub const EVENT_TYPES: [(&str, Kind); 4] = [
    ("order_created", Kind::Created),
    ("order_refunded", Kind::Refunded),
    ("subscription_payment_success", Kind::Paid),
    ("subscription_payment_refunded", Kind::Refunded),
];

/// The JSON:API `type` each event's `data` has: an order, or for the subscription
/// payment events a subscription invoice (an order also accepted).
fn resource_types(event: &str) -> &'static [&'static str] {
    if event.starts_with("order_") {
        &["orders"]
    } else {
        &["subscription-invoices", "orders"]
    }
}

/// Lemon Squeezy's event families (`meta.event_name` prefixes); it adds events within them.
const EVENT_PREFIXES: [&str; 4] = ["order_", "subscription_", "license_key_", "affiliate_"];

fn is_lemon_squeezy_event(name: &str) -> bool {
    EVENT_PREFIXES.iter().any(|p| name.len() > p.len() && name.starts_with(p))
}

/// A `meta` object whose `event_name` is one of Lemon Squeezy's, wherever `meta`
/// comes in the body (its dashboard shows payloads with `data` first).
fn decide(top: &Top<'_>) -> Option<Option<String>> {
    #[derive(Deserialize)]
    struct Probe {
        event_name: String,
    }
    let name = top.get::<Probe>("meta")?.event_name;
    is_lemon_squeezy_event(&name).then_some(Some(name))
}

pub(crate) fn normalize(env: &Envelope, ctx: &mut Ctx<'_>) -> Option<OrderEvent> {
    let root = Path::Root;
    let meta_path = root.key("meta");
    let meta = ctx.read(&env.meta, &meta_path);
    let name_path = meta_path.key("event_name");
    let event_type = meta.and_then(|m| ctx.read(&m.event_name, &name_path)).cloned();
    let kind = match event_type.as_deref() {
        Some(name) => Some(kind_of(name, ctx, &name_path)?),
        None => None,
    };
    let metadata = meta.and_then(|m| {
        ctx.read(&m.test_mode, &meta_path.key("test_mode"));
        ctx.read(&m.webhook_id, &meta_path.key("webhook_id"));
        custom_data(&m.custom_data, ctx, &meta_path.key("custom_data"))
    });

    let data_path = root.key("data");
    let order = ctx.read(&env.data, &data_path).and_then(|d| {
        check_type(d, event_type.as_deref(), ctx, &data_path);
        let id = ctx.read(&d.id, &data_path.key("id")).map(|i| i.0.clone());
        let attributes_path = data_path.key("attributes");
        let a = ctx.read(&d.attributes, &attributes_path)?;
        normalize_order(id, a, metadata, ctx, &attributes_path)
    });
    Some(OrderEvent {
        provider: Provider::LemonSqueezy,
        event_type,
        kind: kind?,
        event_id: None,
        occurred_at: None,
        order: order?,
    })
}

/// The kind of an order event; an unknown `order_*` event is read with kind
/// `unknown` (warned), any other event is not an order event (`None`, reported).
fn kind_of(name: &str, ctx: &mut Ctx<'_>, p: &Path<'_>) -> Option<Kind> {
    if let Some((_, kind)) = EVENT_TYPES.iter().find(|(n, _)| *n == name) {
        return Some(*kind);
    }
    if name.starts_with("order_") {
        ctx.issues.lenient(
            Code::UnknownEnum,
            p,
            format!("unknown Lemon Squeezy order event {}; kind set to `unknown`", quote(name)),
        );
        return Some(Kind::Unknown);
    }
    let names: Vec<&str> = EVENT_TYPES.iter().map(|(n, _)| *n).collect();
    ctx.issues.error(
        Code::UnsupportedEvent,
        p,
        format!("Lemon Squeezy event {} is not an order event; orderhook reads {}", quote(name), names.join(", ")),
    );
    None
}

/// `data.type` must be what the event carries (any of both when the event is unknown).
fn check_type(d: &Resource, event: Option<&str>, ctx: &mut Ctx<'_>, data_path: &Path<'_>) {
    let path = data_path.key("type");
    let Some(t) = ctx.read(&d.resource_type, &path) else { return };
    let allowed = match event {
        Some(e) if e.starts_with("order_") || EVENT_TYPES.iter().any(|(n, _)| *n == e) => resource_types(e),
        _ => &["orders", "subscription-invoices"],
    };
    if !allowed.contains(&t.as_str()) {
        let event = event.map_or_else(String::new, |e| format!(" in {}", quote(e)));
        ctx.issues.error(
            Code::InvalidValue,
            &path,
            format!("`type` is {}{event}; orderhook reads `{}` here", quote(t), allowed.join("` or `")),
        );
    }
}

/// The checkout's custom data, verbatim. It is the merchant's, not the order's: a
/// value that is not an object (a PHP-style `[]`, say) is warned about and dropped.
fn custom_data<const R: bool, const N: bool>(
    raw: &RawObject<R, N>,
    ctx: &mut Ctx<'_>,
    p: &Path<'_>,
) -> Option<Box<serde_json::value::RawValue>> {
    let raw = raw.0.as_ref()?;
    match raw.get() {
        "null" => None,
        text if text.starts_with('{') => Some(raw.clone()),
        text => {
            let found = Found::of_raw(text).name();
            ctx.issues.warning(
                Code::InvalidType,
                p,
                format!("`custom_data` should be an object, found {found}; ignored"),
            );
            None
        }
    }
}

fn normalize_order(
    id: Option<String>,
    a: &Attributes,
    metadata: Option<Box<serde_json::value::RawValue>>,
    ctx: &mut Ctx<'_>,
    p: &Path<'_>,
) -> Option<Order> {
    let status_path = p.key("status");
    let (status, provider_status) = match ctx.read(&a.status, &status_path) {
        Some(known @ OpenEnum::Known(s)) => (Some(map_status(*s)), Some(known.to_string())),
        Some(OpenEnum::Unknown(raw)) => {
            ctx.issues.lenient(
                Code::UnknownEnum,
                &status_path,
                format!("unknown Lemon Squeezy status {}; status set to `unknown`", quote(raw)),
            );
            (Some(Status::Unknown), Some(raw.clone()))
        }
        None => (None, None),
    };
    let currency_path = p.key("currency");
    let currency = ctx.read(&a.currency, &currency_path).and_then(|c| {
        let cur = Currency::parse(c);
        if let Err(why) = cur {
            ctx.issues.warning(
                Code::InvalidValue,
                &currency_path,
                format!("`currency` {} {why}; currency set to null", quote(c)),
            );
        }
        cur.ok()
    });
    let subtotal = ctx.amount(&a.subtotal, &p.key("subtotal"));
    let discount = ctx.amount(&a.discount_total, &p.key("discount_total"));
    let tax = ctx.amount(&a.tax, &p.key("tax"));
    let total = ctx.amount(&a.total, &p.key("total"));
    let refunded = ctx.amount(&a.refunded_amount, &p.key("refunded_amount"));
    let created_at = ctx.timestamp(&a.created_at, &p.key("created_at"));
    let updated_at = ctx.timestamp(&a.updated_at, &p.key("updated_at"));
    let number = ctx.read(&a.order_number, &p.key("order_number")).map(|n| n.0.clone());
    let customer = Customer {
        id: ctx.read(&a.customer_id, &p.key("customer_id")).map(|i| i.0.clone()),
        external_id: None,
        email: ctx.string(&a.user_email, &p.key("user_email")),
        name: ctx.string(&a.user_name, &p.key("user_name")),
        phone: None,
    };
    let customer = (customer.id.is_some() || customer.email.is_some() || customer.name.is_some()).then_some(customer);
    let item_path = p.key("first_order_item");
    let items = ctx.read(&a.first_order_item, &item_path).map(|it| item(it, ctx, &item_path)).into_iter().collect();

    Some(Order {
        id: id?,
        number,
        status: status?,
        provider_status,
        currency,
        currency_digits: currency.map(|c| c.exponent()),
        subtotal: Some(subtotal?),
        discount: Some(discount?),
        tax: Some(tax?),
        // Lemon Squeezy sells digital goods: there is no shipping.
        shipping: None,
        total: Some(total?),
        refunded,
        items,
        customer,
        billing_address: None,
        shipping_address: None,
        created_at: Some(created_at?),
        updated_at,
        metadata,
    })
}

/// The first order item. Its `price` is "the price of this order item": with one
/// unit that is both the unit price and the line total; with more, the docs do not
/// say which, so neither is set.
fn item(it: &FirstOrderItem, ctx: &mut Ctx<'_>, p: &Path<'_>) -> Item {
    let price = ctx.amount(&it.price, &p.key("price"));
    let qp = p.key("quantity");
    let quantity = match ctx.read(&it.quantity, &qp) {
        Some(q) => ctx.quantity(*q, &qp),
        None => Some(1),
    };
    let single = if quantity == Some(1) { price } else { None };
    Item {
        id: ctx.read(&it.id, &p.key("id")).map(|i| i.0.clone()),
        product_id: ctx.read(&it.product_id, &p.key("product_id")).map(|i| i.0.clone()),
        sku: None,
        name: ctx.string(&it.product_name, &p.key("product_name")),
        quantity: quantity.unwrap_or(0),
        unit_price: single,
        discount: None,
        tax: None,
        total: single,
    }
}

/// The header carrying the signature.
const SIGNATURE_HEADER: &str = "x-signature";

/// Check `X-Signature`: the hex HMAC-SHA256 of the raw body under the secret's
/// UTF-8 bytes. Nothing else is signed (no timestamp, so `now` and the tolerance
/// play no part) and Lemon Squeezy sends no delivery id. `hmac` computes the hash
/// (the host's where it has one); the comparison is here, in constant time.
fn verify(
    body: &[u8],
    headers: &Headers<'_>,
    secret: &str,
    _now: i64,
    _tolerance: i64,
    hmac: HmacFn<'_>,
) -> Result<Verified, Issue> {
    let header = headers
        .get(SIGNATURE_HEADER)
        .ok_or_else(|| Issue::error(Code::MissingSignature, "", format!("`{SIGNATURE_HEADER}` header is missing")))?;
    let expected = decode_hex(header).ok_or_else(|| {
        Issue::error(
            Code::MalformedHeader,
            "",
            format!("`{SIGNATURE_HEADER}` header is not 64 hex digits (a hex hmac-sha256)"),
        )
    })?;
    if !bool::from(hmac(secret.as_bytes(), b"", body).ct_eq(&expected)) {
        return Err(Issue::error(
            Code::BadSignature,
            "",
            format!("`{SIGNATURE_HEADER}` header does not match the hmac-sha256 of the body made with the secret"),
        ));
    }
    Ok(Verified { id: None })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_families_are_lemon_squeezy_s_and_bare_prefixes_are_not_events() {
        for name in ["order_created", "subscription_payment_success", "license_key_created", "affiliate_activated"] {
            assert!(is_lemon_squeezy_event(name), "{name}");
        }
        for name in ["order_", "order.created", "customer.order.paid", "invoice_paid", ""] {
            assert!(!is_lemon_squeezy_event(name), "{name}");
        }
    }

    #[test]
    fn every_status_word_maps_and_order_and_invoice_refund_spellings_agree() {
        let table = status_table(map_status);
        assert_eq!(table.len(), LsStatus::VALUES.len());
        let of = |w: &str| table.iter().find(|(x, _)| *x == w).map(|(_, s)| *s);
        assert_eq!(of("partial_refund"), of("partial_refunded"));
        assert_eq!(of("void"), Some(Status::Canceled));
    }
}
