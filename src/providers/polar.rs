//! Polar order webhooks: `{type, timestamp, data: Order}` for `order.created`,
//! `order.paid`, `order.updated` and `order.refunded`.
//!
//! Amounts are integer cents; `currency` is lower-case ISO 4217 (upper-cased
//! here); `timestamp` is absent in deliveries from before 2025-09, so it is
//! optional. Deprecated fields the server still sends (`amount`, `user_id`, …)
//! are ignored.
//!
//! | Polar `status`       | normalized           |
//! |----------------------|----------------------|
//! | `draft`, `pending`   | `pending`            |
//! | `paid`               | `paid`               |
//! | `partially_refunded` | `partially_refunded` |
//! | `refunded`           | `refunded`           |
//! | `void`               | `canceled`           |
//! | anything else        | `unknown` + warning  |

use serde::Deserialize;

use super::{read, status_table, tidy_address, Calc, Ctx, DeliveryId, Provider, Signature, Spec};
use crate::detect::{Evidence, Top};
use crate::event::{Address, Customer, Item, Kind, Order, OrderEvent, Status};
use crate::field::lenient_struct;
use crate::field::{List, Optional, OptionalOrNull, RawObject, Required, RequiredOrNull};
use crate::issue::{quote, Code, Path};
use crate::money::Currency;
use crate::scalar::{KnownValue, OpenEnum};

// Presence follows Polar's OpenAPI 2026-10 (`WebhookOrder*Payload`, `Order`,
// `Address`, `OrderCustomer`, `OrderItemSchema`); the server serializes every
// field, `null` included, so a required key is never left out. Deliberate
// deviations, for deliveries older than the schema: `timestamp` and
// `invoice_number` may be absent (see each).

/// The webhook body.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Envelope {
    /// Event type, e.g. `order.paid`.
    #[serde(rename = "type")]
    pub(crate) event_type: Required<String>,
    /// When the event was sent (RFC 3339). Required by the schema, but deliveries
    /// from before 2025-09-11 (server commit 657440ff62) lack it: optional here.
    pub(crate) timestamp: Optional<String>,
    /// The order.
    pub(crate) data: Required<PolarOrder>,
}

/// Polar's `Order` schema, the fields orderhook reads.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct PolarOrder {
    pub(crate) id: Required<String>,
    pub(crate) created_at: Required<String>,
    pub(crate) modified_at: RequiredOrNull<String>,
    pub(crate) status: Required<OpenEnum<OrderStatus>>,
    pub(crate) paid: Required<bool>,
    pub(crate) subtotal_amount: Required<i64>,
    pub(crate) discount_amount: Required<i64>,
    pub(crate) net_amount: Required<i64>,
    pub(crate) tax_amount: Required<i64>,
    pub(crate) total_amount: Required<i64>,
    /// Refunded so far, tax excluded.
    pub(crate) refunded_amount: Required<i64>,
    pub(crate) refunded_tax_amount: Required<i64>,
    pub(crate) currency: Required<String>,
    pub(crate) billing_reason: Required<OpenEnum<BillingReason>>,
    pub(crate) billing_name: RequiredOrNull<String>,
    pub(crate) billing_address: RequiredOrNull<PolarAddress>,
    /// `null` while the order is a draft. Required by the schema, but Polar's own
    /// 2024 documentation example (from before the field existed) lacks it: optional here.
    pub(crate) invoice_number: OptionalOrNull<String>,
    pub(crate) customer_id: Required<String>,
    pub(crate) product_id: RequiredOrNull<String>,
    pub(crate) metadata: RawObject<true, false>,
    pub(crate) customer: Required<PolarCustomer>,
    pub(crate) items: Required<List<PolarItem>>,
}

/// Polar's `Address`: only `country` is required.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct PolarAddress {
    pub(crate) line1: OptionalOrNull<String>,
    pub(crate) line2: OptionalOrNull<String>,
    pub(crate) postal_code: OptionalOrNull<String>,
    pub(crate) city: OptionalOrNull<String>,
    pub(crate) state: OptionalOrNull<String>,
    pub(crate) country: Required<String>,
}

/// Polar's `OrderCustomer`, the fields orderhook reads.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct PolarCustomer {
    pub(crate) id: Required<String>,
    pub(crate) external_id: OptionalOrNull<String>,
    pub(crate) email: OptionalOrNull<String>,
    pub(crate) name: RequiredOrNull<String>,
}

/// Polar's `OrderItemSchema`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct PolarItem {
    pub(crate) id: Required<String>,
    pub(crate) label: Required<String>,
    pub(crate) amount: Required<i64>,
    pub(crate) tax_amount: Required<i64>,
    pub(crate) product_price_id: RequiredOrNull<String>,
}

lenient_struct!(PolarOrder, PolarAddress, PolarCustomer, PolarItem);

/// Polar `OrderStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OrderStatus {
    Draft,
    Pending,
    Paid,
    PartiallyRefunded,
    Refunded,
    Void,
}

impl KnownValue for OrderStatus {
    const VALUES: &'static [(&'static str, Self)] = &[
        ("draft", OrderStatus::Draft),
        ("pending", OrderStatus::Pending),
        ("paid", OrderStatus::Paid),
        ("partially_refunded", OrderStatus::PartiallyRefunded),
        ("refunded", OrderStatus::Refunded),
        ("void", OrderStatus::Void),
    ];
}

/// Polar `OrderBillingReason` (public values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BillingReason {
    Purchase,
    SubscriptionCreate,
    SubscriptionCycle,
    SubscriptionUpdate,
    SubscriptionMeterCycle,
}

impl KnownValue for BillingReason {
    const VALUES: &'static [(&'static str, Self)] = &[
        ("purchase", BillingReason::Purchase),
        ("subscription_create", BillingReason::SubscriptionCreate),
        ("subscription_cycle", BillingReason::SubscriptionCycle),
        ("subscription_update", BillingReason::SubscriptionUpdate),
        ("subscription_meter_cycle", BillingReason::SubscriptionMeterCycle),
    ];
}

/// What orderhook knows of Polar.
pub(crate) const SPEC: Spec = Spec {
    title: "Polar",
    events: &EVENT_TYPES,
    statuses: || status_table(map_status),
    evidence: Evidence { keys: &["timestamp", "data", "id", "object", "project_id"], values: &["type"], decide },
    parse: |text, ctx| read::<Wire>(text, ctx, normalize),
    signature: Some(Signature {
        headers: &["webhook-id", "webhook-timestamp", "webhook-signature"],
        scheme: "Standard Webhooks: HMAC-SHA256 over id.timestamp.body",
        verify: crate::verify::polar_with,
    }),
    event_type_header: None,
    // Polar's `webhook-id` is its webhook event's id: the same on every retry and on a
    // redelivery from the dashboard (the body carries no id of its own).
    delivery_id: DeliveryId::Header { name: "webhook-id" },
    // Polar documents "up to 10 times with an exponential backoff". Its server
    // (polarsource/polar, server/polar/webhook/tasks.py and config.py) waits 2 s × 2^n,
    // at most 20 min, between 10 attempts: about 35 minutes. The Standard Webhooks
    // reference schedule it follows (Svix: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h)
    // spans about 27.6 h; 48 h covers both with room for a backlog on Polar's side.
    retry_horizon_hours: 48,
    non_json: None,
};

/// Polar's wire type: the webhook body.
pub type Wire = Envelope;

/// A `type` of one of Polar's event families beside `timestamp` or `data`, in an
/// envelope with no `object`, `id` or `project_id` (which Stripe's and
/// Voucherify's have and Polar's never has), in any key order.
fn decide(top: &Top<'_>) -> Option<Option<String>> {
    let foreign = top.has("id") || top.has("object") || top.has("project_id");
    if foreign || !(top.has("timestamp") || top.has("data")) {
        return None;
    }
    top.string("type").filter(|t| is_polar_event(t)).map(Some)
}

/// Polar's event families (`type` prefixes in the server's `WebhookEventType`);
/// Polar adds events within them without notice.
const POLAR_EVENT_PREFIXES: [&str; 11] = [
    "order.",
    "checkout.",
    "customer.",
    "customer_seat.",
    "subscription.",
    "refund.",
    "product.",
    "benefit.",
    "benefit_grant.",
    "organization.",
    "member.",
];

fn is_polar_event(t: &str) -> bool {
    POLAR_EVENT_PREFIXES.iter().any(|p| t.len() > p.len() && t.starts_with(p))
}

/// Polar's order event types and what they mean.
pub const EVENT_TYPES: [(&str, Kind); 4] = [
    ("order.created", Kind::Created),
    ("order.paid", Kind::Paid),
    ("order.updated", Kind::Updated),
    ("order.refunded", Kind::Refunded),
];

fn map_status(s: OrderStatus) -> Status {
    match s {
        OrderStatus::Draft | OrderStatus::Pending => Status::Pending,
        OrderStatus::Paid => Status::Paid,
        OrderStatus::PartiallyRefunded => Status::PartiallyRefunded,
        OrderStatus::Refunded => Status::Refunded,
        OrderStatus::Void => Status::Canceled,
    }
}

pub(crate) fn normalize(env: &Envelope, ctx: &mut Ctx<'_>) -> Option<OrderEvent> {
    let root = Path::Root;
    let type_path = root.key("type");
    let event_type = ctx.read(&env.event_type, &type_path).cloned();
    let kind = match event_type.as_deref() {
        Some(t) => match EVENT_TYPES.iter().find(|(name, _)| *name == t) {
            Some((_, k)) => Some(*k),
            None => {
                ctx.issues.error(
                    Code::UnsupportedEvent,
                    &type_path,
                    format!("Polar event {} is not an order event; orderhook reads order.created, order.paid, order.updated and order.refunded", quote(t)),
                );
                return None;
            }
        },
        None => None,
    };
    let occurred_at = ctx.timestamp(&env.timestamp, &root.key("timestamp"));
    let data_path = root.key("data");
    let data = ctx.read(&env.data, &data_path);
    let order = data.and_then(|d| normalize_order(d, ctx, &data_path));
    Some(OrderEvent { provider: Provider::Polar, event_type, kind: kind?, event_id: None, occurred_at, order: order? })
}

fn normalize_order(o: &PolarOrder, ctx: &mut Ctx<'_>, p: &Path<'_>) -> Option<Order> {
    let id = ctx.read(&o.id, &p.key("id")).cloned();
    let status_path = p.key("status");
    let (status, provider_status) = match ctx.read(&o.status, &status_path) {
        Some(known @ OpenEnum::Known(s)) => (Some(map_status(*s)), Some(known.to_string())),
        Some(OpenEnum::Unknown(raw)) => {
            ctx.issues.lenient(
                Code::UnknownEnum,
                &status_path,
                format!("unknown Polar order status {}; status set to `unknown`", quote(raw)),
            );
            (Some(Status::Unknown), Some(raw.clone()))
        }
        None => (None, None),
    };
    if let Some(OpenEnum::Unknown(raw)) = ctx.read(&o.billing_reason, &p.key("billing_reason")) {
        let msg = format!("unknown Polar billing reason {}", quote(raw));
        ctx.issues.lenient(Code::UnknownEnum, &p.key("billing_reason"), msg);
    }
    ctx.read(&o.paid, &p.key("paid"));
    let currency_path = p.key("currency");
    let currency = ctx.read(&o.currency, &currency_path).and_then(|c| {
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
    let subtotal = ctx.amount(&o.subtotal_amount, &p.key("subtotal_amount"));
    let discount = ctx.amount(&o.discount_amount, &p.key("discount_amount"));
    let net = ctx.amount(&o.net_amount, &p.key("net_amount"));
    let tax = ctx.amount(&o.tax_amount, &p.key("tax_amount"));
    let total = ctx.amount(&o.total_amount, &p.key("total_amount"));
    // Polar splits refunds into amount and tax; the normalized figure is what went back
    // to the customer, comparable with `total`, which includes tax.
    let refunded_net = ctx.amount(&o.refunded_amount, &p.key("refunded_amount"));
    let refunded_tax = ctx.amount(&o.refunded_tax_amount, &p.key("refunded_tax_amount"));
    let refunded = match refunded_tax {
        Some(t) => ctx.derived(
            "`refunded_amount` + `refunded_tax_amount`",
            Calc::of(refunded_net).plus(Calc::Value(t)),
            &p.key("refunded_tax_amount"),
        ),
        None => refunded_net,
    };
    let created_at = ctx.timestamp(&o.created_at, &p.key("created_at"));
    let updated_at = ctx.timestamp(&o.modified_at, &p.key("modified_at"));
    let number = ctx.string(&o.invoice_number, &p.key("invoice_number"));
    let billing_name = ctx.string(&o.billing_name, &p.key("billing_name"));
    let address_path = p.key("billing_address");
    let billing_address =
        ctx.read(&o.billing_address, &address_path).map(|a| address(a, billing_name, ctx, &address_path));
    let customer_path = p.key("customer");
    let customer = ctx.read(&o.customer, &customer_path).map(|c| customer(c, ctx, &customer_path));
    ctx.read(&o.customer_id, &p.key("customer_id"));
    let product_id = ctx.string(&o.product_id, &p.key("product_id"));
    let metadata = ctx.metadata(&o.metadata, &p.key("metadata"));

    let items_path = p.key("items");
    let mut items = Vec::new();
    if let Some(list) = ctx.list(&o.items, &items_path) {
        items.reserve(list.len());
        // Items carry only a price id; the order's product is theirs only when there is one item.
        let item_product = if list.len() == 1 { product_id } else { None };
        for (i, it) in list.iter().enumerate() {
            let ip = items_path.index(i);
            if let Some(it) = ctx.req(it, &ip) {
                items.push(item(it, item_product.clone(), ctx, &ip));
            }
        }
    }

    // Polar's own invariants: net = subtotal − discount, total = net + tax.
    let computed_net = Calc::of(subtotal).minus(Calc::of(discount));
    ctx.check_sum("`subtotal_amount` − `discount_amount`", computed_net, net, &p.key("net_amount"));
    let computed_total = computed_net.plus(Calc::of(tax));
    ctx.check_sum(
        "`subtotal_amount` − `discount_amount` + `tax_amount`",
        computed_total,
        total,
        &p.key("total_amount"),
    );
    if !items.is_empty() {
        ctx.check_sum(
            "the item amounts",
            Calc::sum(items.iter().map(|i| i.total)),
            subtotal,
            &p.key("subtotal_amount"),
        );
    }

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
        shipping: None,
        total: Some(total?),
        refunded,
        items,
        customer,
        billing_address,
        shipping_address: None,
        created_at: Some(created_at?),
        updated_at,
        metadata,
    })
}

fn address(a: &PolarAddress, name: Option<String>, ctx: &mut Ctx<'_>, p: &Path<'_>) -> Address {
    tidy_address(Address {
        name,
        line1: ctx.string(&a.line1, &p.key("line1")),
        line2: ctx.string(&a.line2, &p.key("line2")),
        city: ctx.string(&a.city, &p.key("city")),
        state: ctx.string(&a.state, &p.key("state")),
        postal_code: ctx.string(&a.postal_code, &p.key("postal_code")),
        country: ctx.country(&a.country, &p.key("country")),
    })
}

fn customer(c: &PolarCustomer, ctx: &mut Ctx<'_>, p: &Path<'_>) -> Customer {
    Customer {
        id: ctx.read(&c.id, &p.key("id")).cloned(),
        external_id: ctx.string(&c.external_id, &p.key("external_id")),
        email: ctx.string(&c.email, &p.key("email")),
        name: ctx.string(&c.name, &p.key("name")),
        phone: None,
    }
}

fn item(it: &PolarItem, product_id: Option<String>, ctx: &mut Ctx<'_>, p: &Path<'_>) -> Item {
    let amount = ctx.amount(&it.amount, &p.key("amount"));
    ctx.read(&it.product_price_id, &p.key("product_price_id"));
    Item {
        id: ctx.string(&it.id, &p.key("id")),
        product_id,
        sku: None,
        name: ctx.string(&it.label, &p.key("label")),
        quantity: 1,
        unit_price: amount,
        discount: None,
        tax: ctx.amount(&it.tax_amount, &p.key("tax_amount")),
        total: amount,
    }
}
