//! Voucherify distribution webhooks for customer orders, in the v2024-01-01
//! envelope (`id, project_id, created_at, type, data, source, event`; the event
//! name is `event.type`, the top-level `type` is user text) or as the bare `data`
//! object the docs show (`customer, referrer, order, redemption`).
//!
//! Amounts are integer minor units. Voucherify sends no currency: orderhook uses
//! the caller's `currency`, else a valid ISO code in `order.metadata.currency`
//! (with a warning), else none (with a warning).
//!
//! | Voucherify `order.status` | normalized   |
//! |---------------------------|--------------|
//! | `CREATED`                 | `pending`    |
//! | `PROCESSING`              | `processing` |
//! | `PAID`                    | `paid`       |
//! | `FULFILLED`               | `fulfilled`  |
//! | `CANCELED`                | `canceled`   |
//! | anything else             | `unknown` + warning |

use serde::Deserialize;
use serde_json::value::RawValue;

use super::{read, status_table, Calc, Ctx, DeliveryId, Provider, Signature, Spec};
use crate::detect::{Evidence, Top};
use crate::event::{Customer, Item, Kind, Order, OrderEvent, Status};
use crate::field::lenient_struct;
use crate::field::{Field, List, Optional, OptionalOrNull, RawObject, Required, RequiredOrNull};
use crate::issue::{quote, Code, Path};
use crate::money::Currency;
use crate::scalar::{KnownValue, OpenEnum};

// Presence follows Voucherify's `WebhookDistributionPayload` and
// `EventCustomerOrder*Data` (voucherify-openapi, 2026-08), read with `nullable`
// as the document means it. Deliberate deviations, each where the provider's own
// examples or API break its schema: `redemption` may be absent or `null`
// (required, `null` in every example), and a customer's `name`, `email` and
// `source_id` may be `null` (typed string; `email` is `null` in the examples,
// and customers are created without any of the three).

/// The webhook body: an envelope, or a bare `data` object (then `data` and
/// `event` are missing and `order` etc. sit at the top level). Each field is
/// declared as its own form requires it; the other form's fields are not read.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Body {
    pub(crate) id: Field<String>,
    pub(crate) project_id: Field<String>,
    /// Envelope.
    pub(crate) data: Required<Data>,
    /// Envelope.
    pub(crate) event: Required<Event>,
    /// Bare `data`.
    pub(crate) customer: Required<VoucherifyCustomer>,
    /// Bare `data`.
    pub(crate) order: Required<VoucherifyOrder>,
    /// Bare `data`.
    pub(crate) redemption: OptionalOrNull<Redemption>,
}

/// The envelope's `event`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Event {
    /// The delivery's id, kept across retries: what receivers de-duplicate on.
    pub(crate) id: Required<String>,
    #[serde(rename = "type")]
    pub(crate) event_type: Required<String>,
    pub(crate) created_at: Required<String>,
}

/// The event data of an order event.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Data {
    pub(crate) customer: Required<VoucherifyCustomer>,
    pub(crate) order: Required<VoucherifyOrder>,
    pub(crate) redemption: OptionalOrNull<Redemption>,
}

/// `SimpleCustomer`: nothing is required.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct VoucherifyCustomer {
    pub(crate) id: Optional<String>,
    pub(crate) name: OptionalOrNull<String>,
    pub(crate) email: OptionalOrNull<String>,
    pub(crate) source_id: OptionalOrNull<String>,
}

/// `OrderCalculated`, the fields orderhook reads. Every amount is optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct VoucherifyOrder {
    pub(crate) id: Required<String>,
    /// The merchant's order id.
    pub(crate) source_id: RequiredOrNull<String>,
    /// Always `"order"`.
    pub(crate) object: Required<String>,
    pub(crate) created_at: Optional<String>,
    pub(crate) updated_at: OptionalOrNull<String>,
    /// Optional: an order without one gets status `unknown`.
    pub(crate) status: Optional<OpenEnum<OrderStatus>>,
    pub(crate) amount: Optional<i64>,
    pub(crate) total_discount_amount: Optional<i64>,
    pub(crate) total_amount: Optional<i64>,
    pub(crate) items: Optional<List<VoucherifyItem>>,
    pub(crate) metadata: RawObject<false, false>,
    pub(crate) customer_id: RequiredOrNull<String>,
}

/// `OrderItemCalculated`, the fields orderhook reads (only `object` is
/// required, and orderhook does not read it). `product` and `sku` come from the
/// API's `OrderCalculatedItem`; the event schema does not list them, so it allows
/// anything there, and a wrong type in them is only a warning.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct VoucherifyItem {
    pub(crate) id: Optional<String>,
    pub(crate) sku_id: Optional<String>,
    pub(crate) product_id: Optional<String>,
    pub(crate) source_id: Optional<String>,
    pub(crate) quantity: Optional<i64>,
    pub(crate) price: Optional<i64>,
    pub(crate) amount: Optional<i64>,
    pub(crate) discount_amount: Optional<i64>,
    pub(crate) subtotal_amount: Optional<i64>,
    pub(crate) product: Field<Named>,
    pub(crate) sku: Field<Named>,
}

/// An item's `product` or `sku` sub-object (`sku` is the SKU's name,
/// `source_id` the merchant's own code).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Named {
    pub(crate) name: Field<String>,
    pub(crate) sku: Field<String>,
    pub(crate) source_id: Field<String>,
}

/// A redemption (`RedemptionInternal`, or `SimpleRedemption`, whose `status`
/// is nullable).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Redemption {
    pub(crate) id: Field<String>,
    pub(crate) status: OptionalOrNull<OpenEnum<RedemptionStatus>>,
}

lenient_struct!(Data, Event, VoucherifyCustomer, VoucherifyOrder, VoucherifyItem, Named, Redemption);

/// Voucherify order status (`PROCESSING` is not in the spec but is sent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OrderStatus {
    Created,
    Processing,
    Paid,
    Fulfilled,
    Canceled,
}

impl KnownValue for OrderStatus {
    const VALUES: &'static [(&'static str, Self)] = &[
        ("CREATED", OrderStatus::Created),
        ("PROCESSING", OrderStatus::Processing),
        ("PAID", OrderStatus::Paid),
        ("FULFILLED", OrderStatus::Fulfilled),
        ("CANCELED", OrderStatus::Canceled),
    ];
}

/// Redemption status; `ROLLED BACK` has a space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RedemptionStatus {
    Succeeded,
    Failed,
    RolledBack,
}

impl KnownValue for RedemptionStatus {
    const VALUES: &'static [(&'static str, Self)] = &[
        ("SUCCEEDED", RedemptionStatus::Succeeded),
        ("FAILED", RedemptionStatus::Failed),
        ("ROLLED BACK", RedemptionStatus::RolledBack),
    ];
}

/// What orderhook knows of Voucherify.
pub(crate) const SPEC: Spec = Spec {
    title: "Voucherify",
    events: &EVENT_TYPES,
    statuses: || status_table(map_status),
    evidence: Evidence { keys: &["referrer", "redemption"], values: &["project_id", "event", "order"], decide },
    parse: |text, ctx| read::<Wire>(text, ctx, normalize),
    signature: Some(Signature {
        headers: &[HEADER],
        scheme: "hex HMAC-SHA256 of the body",
        verify: |body, headers, secret, _, _, hmac| {
            crate::verify::voucherify_with(body, headers.get(HEADER), secret, hmac)
        },
    }),
    event_type_header: None,
    // The envelope's `event.id` (`evcus_…`), the event the delivery carries. (The
    // top-level `whs_…` id may be per attempt: Voucherify does not say.)
    delivery_id: DeliveryId::EventId,
    // Voucherify documents 12 retries after 1, 2, 4, … 1024 min (17 h 04) and a final
    // one "at 24 h". Read as offsets from the first attempt that is 24 h; read as
    // waits between attempts it is about 58 h. 72 h covers both readings.
    retry_horizon_hours: 72,
    non_json: None,
};

/// The header of Voucherify's signature.
const HEADER: &str = "x-voucherify-signature";

/// Voucherify's wire type: an envelope or a bare `data` object.
pub type Wire = Body;

/// A `project_id` of `proj_…`, an `event` whose `type` is one of its `customer.…`
/// events or whose `id` is `ev…_…`; or, for a bare `data` object, an `order` with
/// `"object": "order"` beside `referrer` or `redemption`.
fn decide(top: &Top<'_>) -> Option<Option<String>> {
    #[derive(Deserialize)]
    struct EventProbe {
        #[serde(rename = "type", default)]
        type_: Field<String>,
        #[serde(default)]
        id: Field<String>,
    }
    #[derive(Deserialize)]
    struct OrderProbe {
        #[serde(default)]
        object: Field<String>,
    }
    let event = top.get::<EventProbe>("event");
    let event_type = event.as_ref().and_then(|e| e.type_.value().cloned());
    let ours = event.as_ref().is_some_and(|e| {
        e.type_.value().is_some_and(|t| t.starts_with("customer."))
            || e.id.value().is_some_and(|id| id.starts_with("ev") && id.contains('_'))
    });
    let project = top.string("project_id").is_some_and(|id| id.starts_with("proj_"));
    let bare = (top.has("referrer") || top.has("redemption"))
        && top.get::<OrderProbe>("order").is_some_and(|o| o.object.value().is_some_and(|o| o == "order"));
    (ours || project || bare).then(|| event_type.filter(|_| ours || project))
}

/// Voucherify's order event types and what they mean. `processing` and
/// `fulfilled` exist as customer-activity types and are accepted too.
pub const EVENT_TYPES: [(&str, Kind); 6] = [
    ("customer.order.created", Kind::Created),
    ("customer.order.updated", Kind::Updated),
    ("customer.order.paid", Kind::Paid),
    ("customer.order.canceled", Kind::Canceled),
    ("customer.order.processing", Kind::Updated),
    ("customer.order.fulfilled", Kind::Updated),
];

fn map_status(s: OrderStatus) -> Status {
    match s {
        OrderStatus::Created => Status::Pending,
        OrderStatus::Processing => Status::Processing,
        OrderStatus::Paid => Status::Paid,
        OrderStatus::Fulfilled => Status::Fulfilled,
        OrderStatus::Canceled => Status::Canceled,
    }
}

impl Body {
    /// Whether this is the v2024-01-01 envelope rather than a bare `data` object.
    pub fn is_envelope(&self) -> bool {
        !self.event.is_missing() || !self.data.is_missing()
    }
}

pub(crate) fn normalize(body: &Body, ctx: &mut Ctx<'_>) -> Option<OrderEvent> {
    let root = Path::Root;
    if body.is_envelope() {
        let event_path = root.key("event");
        let event = ctx.read(&body.event, &event_path);
        let type_path = event_path.key("type");
        let (event_type, event_id, occurred_at) = match event {
            Some(e) => (
                ctx.read(&e.event_type, &type_path).cloned(),
                ctx.string(&e.id, &event_path.key("id")),
                ctx.timestamp(&e.created_at, &event_path.key("created_at")),
            ),
            None => (None, None, None),
        };
        let kind = match event_type.as_deref() {
            Some(t) => match EVENT_TYPES.iter().find(|(name, _)| *name == t) {
                Some((_, k)) => Some(*k),
                None if t.starts_with("customer.order.") => {
                    ctx.issues.lenient(
                        Code::UnknownEnum,
                        &type_path,
                        format!("unknown Voucherify order event {}; kind set to `unknown`", quote(t)),
                    );
                    Some(Kind::Unknown)
                }
                None => {
                    ctx.issues.error(
                        Code::UnsupportedEvent,
                        &type_path,
                        format!("Voucherify event {} is not an order event", quote(t)),
                    );
                    return None;
                }
            },
            None => None,
        };
        let data_path = root.key("data");
        let data = ctx.read(&body.data, &data_path)?;
        let order = parts(&data.order, &data.customer, &data.redemption, ctx, &data_path);
        Some(OrderEvent {
            provider: Provider::Voucherify,
            event_type,
            kind: kind?,
            event_id,
            occurred_at,
            order: order?,
        })
    } else {
        let order = parts(&body.order, &body.customer, &body.redemption, ctx, &root)?;
        let kind = match order.provider_status.as_deref() {
            Some("CREATED") => Kind::Created,
            Some("PAID") => Kind::Paid,
            Some("CANCELED") => Kind::Canceled,
            Some(_) => Kind::Updated,
            None => Kind::Unknown,
        };
        ctx.issues.warning(
            Code::InferredEvent,
            &root,
            "body is a bare Voucherify `data` object without its envelope, so the event type is unknown; kind inferred from the order status",
        );
        Some(OrderEvent {
            provider: Provider::Voucherify,
            event_type: None,
            kind,
            event_id: None,
            occurred_at: None,
            order,
        })
    }
}

fn parts(
    order: &Required<VoucherifyOrder>,
    customer: &Required<VoucherifyCustomer>,
    redemption: &OptionalOrNull<Redemption>,
    ctx: &mut Ctx<'_>,
    p: &Path<'_>,
) -> Option<Order> {
    let customer_path = p.key("customer");
    let customer = ctx.read(customer, &customer_path).map(|c| Customer {
        id: ctx.string(&c.id, &customer_path.key("id")),
        external_id: ctx.string(&c.source_id, &customer_path.key("source_id")),
        email: ctx.string(&c.email, &customer_path.key("email")),
        name: ctx.string(&c.name, &customer_path.key("name")),
        phone: None,
    });
    let redemption_path = p.key("redemption");
    if let Some(r) = ctx.read(redemption, &redemption_path) {
        let sp = redemption_path.key("status");
        if let Some(OpenEnum::Unknown(raw)) = ctx.read(&r.status, &sp) {
            let msg = format!("unknown Voucherify redemption status {}", quote(raw));
            ctx.issues.lenient(Code::UnknownEnum, &sp, msg);
        }
    }
    let order_path = p.key("order");
    let o = ctx.read(order, &order_path)?;
    normalize_order(o, customer, ctx, &order_path)
}

fn normalize_order(o: &VoucherifyOrder, customer: Option<Customer>, ctx: &mut Ctx<'_>, p: &Path<'_>) -> Option<Order> {
    let id = ctx.read(&o.id, &p.key("id")).cloned();
    let object_path = p.key("object");
    if let Some(obj) = ctx.read(&o.object, &object_path) {
        if obj != "order" {
            ctx.issues.error(
                Code::InvalidValue,
                &object_path,
                format!("`object` must be \"order\", found {}", quote(obj)),
            );
        }
    }
    let status_path = p.key("status");
    let (status, provider_status) = match ctx.read(&o.status, &status_path) {
        Some(known @ OpenEnum::Known(s)) => (Some(map_status(*s)), Some(known.to_string())),
        Some(OpenEnum::Unknown(raw)) => {
            ctx.issues.lenient(
                Code::UnknownEnum,
                &status_path,
                format!("unknown Voucherify order status {}; status set to `unknown`", quote(raw)),
            );
            (Some(Status::Unknown), Some(raw.clone()))
        }
        None if o.status.is_missing() => {
            ctx.issues.warning(
                Code::MissingField,
                &status_path,
                "the order has no `status` (Voucherify may leave it out); status set to `unknown`",
            );
            (Some(Status::Unknown), None)
        }
        None => (None, None),
    };
    let amount = ctx.amount(&o.amount, &p.key("amount"));
    let discount = ctx.amount(&o.total_discount_amount, &p.key("total_discount_amount"));
    let total = ctx.amount(&o.total_amount, &p.key("total_amount"));
    let created_at = ctx.timestamp(&o.created_at, &p.key("created_at"));
    let updated_at = ctx.timestamp(&o.updated_at, &p.key("updated_at"));
    let number = ctx.string(&o.source_id, &p.key("source_id"));
    ctx.read(&o.customer_id, &p.key("customer_id"));
    let metadata_path = p.key("metadata");
    let metadata = ctx.metadata(&o.metadata, &metadata_path);
    let currency = currency(metadata.as_deref(), ctx, &metadata_path);

    let items_path = p.key("items");
    let mut items = Vec::new();
    let mut item_amounts = Vec::new();
    if let Some(list) = ctx.list(&o.items, &items_path) {
        items.reserve(list.len());
        for (i, it) in list.iter().enumerate() {
            let ip = items_path.index(i);
            if let Some(it) = ctx.req(it, &ip) {
                let (item, amount) = item(it, ctx, &ip);
                items.push(item);
                item_amounts.push(amount);
            }
        }
    }
    if !item_amounts.is_empty() {
        ctx.check_sum("the item amounts", Calc::sum(item_amounts), amount, &p.key("amount"));
    }
    // Only what was sent is compared: an absent `total_discount_amount` is unknown, not 0.
    let after_discount = Calc::of(amount).minus(Calc::of(discount));
    ctx.check_sum("`amount` − `total_discount_amount`", after_discount, total, &p.key("total_amount"));

    Some(Order {
        id: id?,
        number,
        status: status?,
        provider_status,
        currency,
        currency_digits: currency.map(|c| c.exponent()),
        subtotal: amount,
        discount,
        tax: None,
        shipping: None,
        total,
        refunded: None,
        items,
        customer,
        billing_address: None,
        shipping_address: None,
        created_at,
        updated_at,
        metadata,
    })
}

fn item(it: &VoucherifyItem, ctx: &mut Ctx<'_>, p: &Path<'_>) -> (Item, Option<crate::MinorUnits>) {
    let qp = p.key("quantity");
    let quantity = ctx.read(&it.quantity, &qp).copied().map_or(Some(1), |q| ctx.quantity(q, &qp)).unwrap_or(0);
    let amount = ctx.amount(&it.amount, &p.key("amount"));
    let subtotal = ctx.amount(&it.subtotal_amount, &p.key("subtotal_amount"));
    let product_path = p.key("product");
    let product_name =
        ctx.beyond_schema(&it.product, &product_path).and_then(|n| named(ctx, &n.name, &product_path.key("name")));
    let sku_path = p.key("sku");
    let (sku_code, sku_name) = match ctx.beyond_schema(&it.sku, &sku_path) {
        Some(n) => (named(ctx, &n.source_id, &sku_path.key("source_id")), named(ctx, &n.sku, &sku_path.key("sku"))),
        None => (None, None),
    };
    let sku_id = ctx.string(&it.sku_id, &p.key("sku_id"));
    let item = Item {
        id: ctx.string(&it.id, &p.key("id")),
        product_id: ctx.string(&it.product_id, &p.key("product_id")),
        sku: sku_code.or(sku_id),
        name: product_name.or(sku_name),
        quantity,
        unit_price: ctx.amount(&it.price, &p.key("price")),
        discount: ctx.amount(&it.discount_amount, &p.key("discount_amount")),
        tax: None,
        total: subtotal.or(amount),
    };
    (item, amount)
}

fn named(ctx: &mut Ctx<'_>, f: &Field<String>, p: &Path<'_>) -> Option<String> {
    ctx.beyond_schema(f, p).cloned()
}

/// The caller's currency, else `metadata.currency` when it is an ISO code.
fn currency(metadata: Option<&RawValue>, ctx: &mut Ctx<'_>, metadata_path: &Path<'_>) -> Option<Currency> {
    if let Some(c) = ctx.options.currency {
        return Some(c);
    }
    #[derive(Deserialize)]
    struct Probe {
        #[serde(default)]
        currency: Field<String>,
    }
    let from_metadata = metadata
        .and_then(|m| serde_json::from_str::<Probe>(m.get()).ok())
        .and_then(|p| p.currency.value().and_then(|c| Currency::new(c)));
    match from_metadata {
        Some(c) => {
            ctx.issues.warning(
                Code::AssumedCurrency,
                &metadata_path.key("currency"),
                format!("Voucherify sends no currency; using {c} from `order.metadata.currency` (pass `currency` to be explicit)"),
            );
            Some(c)
        }
        None => {
            ctx.issues.warning(
                Code::AssumedCurrency,
                &Path::Root,
                "Voucherify sends no currency and none was given; amounts are minor units of an unknown currency",
            );
            None
        }
    }
}
