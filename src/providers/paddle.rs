//! Paddle Billing webhooks: `{event_id, event_type, occurred_at, notification_id, data}`
//! where `data` is a Transaction (`transaction.*`) or an Adjustment (`adjustment.*`:
//! refunds, credits, chargebacks against a transaction).
//!
//! Amounts are integer minor units sent as strings (`"1000"`); totals are in
//! `details.totals`, items in `details.line_items`. The event carries no customer
//! email, name or address (ids only). Facts and sources: docs/providers/paddle.md.
//!
//! | Paddle transaction `status`           | normalized          |
//! |---------------------------------------|---------------------|
//! | `draft`, `ready`, `billed`, `past_due` | `pending`          |
//! | `paid`, `completed`                   | `paid`              |
//! | `canceled`                            | `canceled`          |
//! | anything else                         | `unknown` + warning |
//!
//! | Paddle adjustment `action` / `status`                 | normalized (kind)                |
//! |--------------------------------------------------------|----------------------------------|
//! | `refund`, `chargeback` / `approved`                    | `refunded` (`type: full`), else `partially_refunded` (kind `refunded`) |
//! | `refund`, `chargeback` / other; `chargeback_warning`, `chargeback_warning_reverse`, `chargeback_reverse` | `paid` (kind `updated`) |
//! | `credit`, `credit_reverse`                             | `pending` (kind `updated`)       |
//! | anything else                                          | `unknown` + warning (kind `updated`) |

use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{read, status_table, Calc, Ctx, DeliveryId, Provider, Signature, Spec};
use crate::detect::{Evidence, Top};
use crate::event::{Customer, Item, Kind, Order, OrderEvent, Status};
use crate::field::{lenient_struct, Field, Lenient, List, Optional, OptionalOrNull, RawObject, Required};
use crate::issue::{quote, Code, Path};
use crate::money::{Currency, MinorUnits};
use crate::scalar::{KnownValue, OpenEnum};

// Presence: Paddle's OpenAPI (PaddleHQ/paddle-openapi v1/openapi.yaml, 792a49e) lists no
// required key in its webhook bodies; nullability follows it. Deliberate deviations:
// what an order cannot be made without is required (the Node SDK types each of these
// non-optional), `details` and `details.totals` may be null (so the Node SDK types them),
// a line item needs its `quantity`.

/// The webhook body. `data` is read as the entity `event_type` names, in one pass when
/// `event_type` comes first (Paddle's order), else after the envelope is read.
#[derive(Debug, Clone, Default)]
pub struct Envelope {
    pub(crate) event_id: Required<String>,
    pub(crate) event_type: Required<String>,
    pub(crate) occurred_at: Required<String>,
    pub(crate) data: Required<Entity>,
}

/// The entity in `data`.
#[derive(Debug, Clone)]
pub(crate) enum Entity {
    Transaction(Transaction),
    Adjustment(Adjustment),
    /// Another entity (a subscription, a customer, …): not read.
    Other,
}

impl Lenient for Entity {
    const EXPECTED: &'static str = "an object";
}

/// The Transaction notification, the fields orderhook reads.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Transaction {
    pub(crate) id: Required<String>,
    pub(crate) status: Required<OpenEnum<TransactionStatus>>,
    pub(crate) customer_id: OptionalOrNull<String>,
    pub(crate) custom_data: RawObject<false, true>,
    pub(crate) currency_code: Required<String>,
    pub(crate) invoice_number: OptionalOrNull<String>,
    /// Not nullable in the OpenAPI; the Node SDK types it `… | null`.
    pub(crate) details: OptionalOrNull<Details>,
    pub(crate) created_at: Required<String>,
    pub(crate) updated_at: Required<String>,
}

/// `transaction_details`: calculated totals, "the source of truth" for them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Details {
    pub(crate) totals: OptionalOrNull<Totals>,
    pub(crate) line_items: Optional<List<LineItem>>,
}

/// `totals` (and `transaction_totals`, whose other fields orderhook does not read).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Totals {
    pub(crate) subtotal: Optional<Amount>,
    pub(crate) discount: Optional<Amount>,
    pub(crate) tax: Optional<Amount>,
    pub(crate) total: Optional<Amount>,
}

/// `transaction_line_item`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct LineItem {
    pub(crate) id: Optional<String>,
    /// Optional in the OpenAPI; an item is not an item without it.
    pub(crate) quantity: Required<i64>,
    pub(crate) unit_totals: OptionalOrNull<Totals>,
    pub(crate) totals: OptionalOrNull<Totals>,
    pub(crate) product: OptionalOrNull<Product>,
}

/// The product of a line item, as it was when added.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Product {
    pub(crate) id: Optional<String>,
    pub(crate) name: Optional<String>,
}

/// The Adjustment notification, the fields orderhook reads.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Adjustment {
    pub(crate) transaction_id: Required<String>,
    pub(crate) action: Required<OpenEnum<AdjustmentAction>>,
    #[serde(rename = "type")]
    pub(crate) adjustment_type: OptionalOrNull<OpenEnum<AdjustmentType>>,
    pub(crate) status: Required<OpenEnum<AdjustmentStatus>>,
    pub(crate) customer_id: Optional<String>,
    pub(crate) currency_code: Required<String>,
    pub(crate) totals: Optional<AdjustmentTotals>,
    pub(crate) created_at: Required<String>,
    pub(crate) updated_at: Required<String>,
}

/// `adjustment_totals`, the fields orderhook reads.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct AdjustmentTotals {
    pub(crate) subtotal: Optional<Amount>,
    pub(crate) tax: Optional<Amount>,
    pub(crate) total: Optional<Amount>,
}

lenient_struct!(Transaction, Details, Totals, LineItem, Product, Adjustment, AdjustmentTotals);

/// An amount in minor units sent as a JSON string (`"1000"`): Paddle's `money.amount`,
/// "although represented as a string, this value must be a valid integer". Kept as
/// text so a string that is not one (`"10.00"`) is an `invalid_value`, not a wrong type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Amount(String);

impl Lenient for Amount {
    const EXPECTED: &'static str = "an integer amount as a string, such as \"1000\"";
    fn from_str(v: &str) -> Option<Self> {
        Some(Amount(v.to_owned()))
    }
}

impl Amount {
    /// An optional `-` and ASCII digits, within ±2^53.
    fn minor_units(&self) -> Option<MinorUnits> {
        let digits = self.0.strip_prefix('-').unwrap_or(&self.0);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        self.0.parse::<i64>().ok().and_then(MinorUnits::new)
    }
}

/// Paddle `TransactionStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TransactionStatus {
    Draft,
    Ready,
    Billed,
    Paid,
    Completed,
    Canceled,
    PastDue,
}

impl KnownValue for TransactionStatus {
    const VALUES: &'static [(&'static str, Self)] = &[
        ("draft", TransactionStatus::Draft),
        ("ready", TransactionStatus::Ready),
        ("billed", TransactionStatus::Billed),
        ("paid", TransactionStatus::Paid),
        ("completed", TransactionStatus::Completed),
        ("canceled", TransactionStatus::Canceled),
        ("past_due", TransactionStatus::PastDue),
    ];
}

/// Paddle `AdjustmentAction`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AdjustmentAction {
    Credit,
    CreditReverse,
    Refund,
    Chargeback,
    ChargebackReverse,
    ChargebackWarning,
    ChargebackWarningReverse,
}

impl KnownValue for AdjustmentAction {
    const VALUES: &'static [(&'static str, Self)] = &[
        ("credit", AdjustmentAction::Credit),
        ("credit_reverse", AdjustmentAction::CreditReverse),
        ("refund", AdjustmentAction::Refund),
        ("chargeback", AdjustmentAction::Chargeback),
        ("chargeback_reverse", AdjustmentAction::ChargebackReverse),
        ("chargeback_warning", AdjustmentAction::ChargebackWarning),
        ("chargeback_warning_reverse", AdjustmentAction::ChargebackWarningReverse),
    ];
}

/// Paddle `AdjustmentStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AdjustmentStatus {
    PendingApproval,
    Approved,
    Rejected,
    Reversed,
}

impl KnownValue for AdjustmentStatus {
    const VALUES: &'static [(&'static str, Self)] = &[
        ("pending_approval", AdjustmentStatus::PendingApproval),
        ("approved", AdjustmentStatus::Approved),
        ("rejected", AdjustmentStatus::Rejected),
        ("reversed", AdjustmentStatus::Reversed),
    ];
}

/// Paddle `AdjustmentType`; `null` means `partial`, Paddle's default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AdjustmentType {
    Full,
    Partial,
}

impl KnownValue for AdjustmentType {
    const VALUES: &'static [(&'static str, Self)] =
        &[("full", AdjustmentType::Full), ("partial", AdjustmentType::Partial)];
}

/// Paddle's order events and what they mean. An adjustment is `refunded` when money
/// went back to the customer (an approved refund or chargeback) and `updated`
/// otherwise (a refund awaiting approval or rejected, a credit, a chargeback warning).
pub const EVENT_TYPES: [(&str, Kind); 12] = [
    ("transaction.created", Kind::Created),
    ("transaction.ready", Kind::Updated),
    ("transaction.billed", Kind::Updated),
    ("transaction.updated", Kind::Updated),
    ("transaction.revised", Kind::Updated),
    ("transaction.payment_failed", Kind::Updated),
    ("transaction.past_due", Kind::Updated),
    ("transaction.paid", Kind::Paid),
    ("transaction.completed", Kind::Paid),
    ("transaction.canceled", Kind::Canceled),
    ("adjustment.created", Kind::Refunded),
    ("adjustment.updated", Kind::Refunded),
];

/// What orderhook knows of Paddle.
pub(crate) const SPEC: Spec = Spec {
    title: "Paddle",
    events: &EVENT_TYPES,
    statuses: || status_table(transaction_status),
    evidence: Evidence { keys: &[], values: &["event_id", "event_type", "notification_id"], decide },
    parse: |text, ctx| read::<Wire>(text, ctx, normalize),
    signature: Some(Signature {
        headers: &[crate::verify::PADDLE_HEADER],
        scheme: "hex HMAC-SHA256 of ts:body, several h1 during secret rotation",
        verify: |body, headers, secret, now, tolerance, hmac| {
            crate::verify::paddle_with(body, headers.get(crate::verify::PADDLE_HEADER), secret, now, tolerance, hmac)
        },
    }),
    event_type_header: None,
    // The same `event_id` in every retry (the signed body is the event's).
    delivery_id: DeliveryId::EventId,
    // Live accounts: "up to 60 times over 3 days" (developer.paddle.com, Handle webhook
    // delivery); sandbox retries for minutes. Replays through the API come later, on request.
    retry_horizon_hours: 72,
    non_json: None,
};

/// Paddle's wire type: the webhook body.
pub type Wire = Envelope;

/// Paddle's envelope: a `notification_id` of `ntf_…`, or an `event_id` of `evt_…`
/// beside `event_type` (Stripe names its event id `id`, Polar its type `type`), in
/// any key order.
fn decide(top: &Top<'_>) -> Option<Option<String>> {
    let delivery = top.string("notification_id").is_some_and(|n| n.starts_with("ntf_"));
    let event = top.string("event_id").is_some_and(|e| e.starts_with("evt_")) && top.has("event_type");
    (delivery || event).then(|| top.string("event_type"))
}

/// Which entity an event's `data` holds, from the event name's family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Transaction,
    Adjustment,
    Other,
}

fn family(event_type: &str) -> Family {
    if event_type.starts_with("transaction.") {
        Family::Transaction
    } else if event_type.starts_with("adjustment.") {
        Family::Adjustment
    } else {
        Family::Other
    }
}

// ------------------------------------------------------------------ reading the envelope

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum Key {
    EventId,
    EventType,
    OccurredAt,
    Data,
    #[serde(other)]
    Other,
}

impl<'de> Deserialize<'de> for Envelope {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(EnvelopeVisitor)
    }
}

struct EnvelopeVisitor;

impl<'de> Visitor<'de> for EnvelopeVisitor {
    type Value = Envelope;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Paddle event object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Envelope, A::Error> {
        let mut env = Envelope::default();
        // `data` seen before `event_type` is kept as text and read once the type is known.
        let mut early: Option<Box<RawValue>> = None;
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::EventId => env.event_id = map.next_value()?,
                Key::EventType => env.event_type = map.next_value()?,
                Key::OccurredAt => env.occurred_at = map.next_value()?,
                Key::Data => match env.event_type.value() {
                    Some(t) => env.data = entity(family(t), &mut map)?,
                    None => early = Some(map.next_value()?),
                },
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if let Some(raw) = early {
            // Without a usable `event_type` (its issue is reported), `data` is read as
            // what it looks like, so the issues inside it are reported too.
            let fam = env.event_type.value().map_or_else(|| looks_like(&raw), |t| family(t));
            let mut de = serde_json::Deserializer::from_str(raw.get());
            env.data = entity_from(fam, &mut de).map_err(de::Error::custom)?;
        }
        Ok(env)
    }
}

/// An adjustment has keys a transaction never has at its top (`transaction_id`,
/// `action`, `reason`, `totals`, …); anything else is read as a transaction.
fn looks_like(raw: &RawValue) -> Family {
    #[derive(Deserialize)]
    struct Probe {
        #[serde(default)]
        transaction_id: Option<IgnoredAny>,
        #[serde(default)]
        action: Option<IgnoredAny>,
        #[serde(default)]
        reason: Option<IgnoredAny>,
        #[serde(default)]
        totals: Option<IgnoredAny>,
        #[serde(default)]
        credit_applied_to_balance: Option<IgnoredAny>,
    }
    match serde_json::from_str::<Probe>(raw.get()) {
        Ok(p)
            if p.transaction_id.is_some()
                || p.action.is_some()
                || p.reason.is_some()
                || p.totals.is_some()
                || p.credit_applied_to_balance.is_some() =>
        {
            Family::Adjustment
        }
        _ => Family::Transaction,
    }
}

fn entity<'de, A: MapAccess<'de>>(fam: Family, map: &mut A) -> Result<Required<Entity>, A::Error> {
    let field = match fam {
        Family::Transaction => wrap(map.next_value::<Field<Transaction>>()?, Entity::Transaction),
        Family::Adjustment => wrap(map.next_value::<Field<Adjustment>>()?, Entity::Adjustment),
        Family::Other => present(map.next_value::<Option<IgnoredAny>>()?),
    };
    Ok(crate::field::Declared(field))
}

fn entity_from<'de, D: Deserializer<'de>>(fam: Family, d: D) -> Result<Required<Entity>, D::Error> {
    let field = match fam {
        Family::Transaction => wrap(Field::<Transaction>::deserialize(d)?, Entity::Transaction),
        Family::Adjustment => wrap(Field::<Adjustment>::deserialize(d)?, Entity::Adjustment),
        Family::Other => present(Option::<IgnoredAny>::deserialize(d)?),
    };
    Ok(crate::field::Declared(field))
}

fn wrap<T>(f: Field<T>, to: fn(T) -> Entity) -> Field<Entity> {
    match f {
        Field::Value(v) => Field::Value(to(v)),
        Field::Missing => Field::Missing,
        Field::Null => Field::Null,
        Field::Invalid(found) => Field::Invalid(found),
    }
}

fn present(v: Option<IgnoredAny>) -> Field<Entity> {
    v.map_or(Field::Null, |_| Field::Value(Entity::Other))
}

// ------------------------------------------------------------------ normalizing

pub(crate) fn normalize(env: &Envelope, ctx: &mut Ctx<'_>) -> Option<OrderEvent> {
    let root = Path::Root;
    let type_path = root.key("event_type");
    let event_type = ctx.read(&env.event_type, &type_path).cloned();
    let kind = match event_type.as_deref() {
        Some(t) => {
            match (EVENT_TYPES.iter().find(|(name, _)| *name == t), family(t)) {
                (Some((_, k)), _) => Some(*k),
                (None, Family::Transaction | Family::Adjustment) => {
                    ctx.issues.lenient(
                        Code::UnknownEnum,
                        &type_path,
                        format!("unknown Paddle order event {}; kind set to `unknown`", quote(t)),
                    );
                    Some(Kind::Unknown)
                }
                (None, Family::Other) => {
                    ctx.issues.error(
                    Code::UnsupportedEvent,
                    &type_path,
                    format!("Paddle event {} is not an order event; orderhook reads transaction.* and adjustment.* events", quote(t)),
                );
                    return None;
                }
            }
        }
        None => None,
    };
    let event_id = ctx.string(&env.event_id, &root.key("event_id"));
    let occurred_at = ctx.timestamp(&env.occurred_at, &root.key("occurred_at"));
    let data_path = root.key("data");
    let (order, kind) = match ctx.read(&env.data, &data_path) {
        Some(Entity::Transaction(t)) => (transaction(t, ctx, &data_path), kind),
        Some(Entity::Adjustment(a)) => match adjustment(a, ctx, &data_path) {
            // No money went back (yet): the order changed, it was not refunded.
            Some((order, false)) if kind == Some(Kind::Refunded) => (Some(order), Some(Kind::Updated)),
            Some((order, _)) => (Some(order), kind),
            None => (None, kind),
        },
        // Only reached when `event_type` is unreadable; its issue is reported already.
        Some(Entity::Other) | None => (None, kind),
    };
    Some(OrderEvent { provider: Provider::Paddle, event_type, kind: kind?, event_id, occurred_at, order: order? })
}

fn transaction(t: &Transaction, ctx: &mut Ctx<'_>, p: &Path<'_>) -> Option<Order> {
    let id = ctx.read(&t.id, &p.key("id")).cloned();
    let status_path = p.key("status");
    let (status, provider_status) = match ctx.read(&t.status, &status_path) {
        Some(known @ OpenEnum::Known(s)) => (Some(transaction_status(*s)), Some(known.to_string())),
        Some(OpenEnum::Unknown(raw)) => {
            let msg = format!("unknown Paddle transaction status {}; status set to `unknown`", quote(raw));
            ctx.issues.lenient(Code::UnknownEnum, &status_path, msg);
            (Some(Status::Unknown), Some(raw.clone()))
        }
        None => (None, None),
    };
    let currency = currency(&t.currency_code, ctx, p);
    let customer = ctx.string(&t.customer_id, &p.key("customer_id")).map(customer);
    let number = ctx.string(&t.invoice_number, &p.key("invoice_number"));
    let metadata = ctx.metadata(&t.custom_data, &p.key("custom_data"));
    let created_at = ctx.timestamp(&t.created_at, &p.key("created_at"));
    let updated_at = ctx.timestamp(&t.updated_at, &p.key("updated_at"));

    let (mut subtotal, mut discount, mut tax, mut total) = (None, None, None, None);
    let mut items = Vec::new();
    let details_path = p.key("details");
    if let Some(d) = ctx.read(&t.details, &details_path) {
        let totals_path = details_path.key("totals");
        if let Some(tt) = ctx.read(&d.totals, &totals_path) {
            subtotal = amount(ctx, &tt.subtotal, &totals_path.key("subtotal"));
            discount = amount(ctx, &tt.discount, &totals_path.key("discount"));
            tax = amount(ctx, &tt.tax, &totals_path.key("tax"));
            total = amount(ctx, &tt.total, &totals_path.key("total"));
            // Paddle's `total` is "after discount and tax".
            let computed = Calc::of(subtotal).minus(Calc::of(discount)).plus(Calc::of(tax));
            ctx.check_sum("`subtotal` − `discount` + `tax`", computed, total, &totals_path.key("total"));
        }
        let lines_path = details_path.key("line_items");
        let mut line_subtotals = Vec::new();
        if let Some(list) = ctx.list(&d.line_items, &lines_path) {
            items.reserve(list.len());
            for (i, li) in list.iter().enumerate() {
                let lp = lines_path.index(i);
                if let Some(li) = ctx.req(li, &lp) {
                    let (item, line_subtotal) = line_item(li, ctx, &lp);
                    items.extend(item);
                    line_subtotals.push(line_subtotal);
                }
            }
        }
        if !line_subtotals.is_empty() {
            ctx.check_sum(
                "the line items' `totals.subtotal`",
                Calc::sum(line_subtotals),
                subtotal,
                &details_path.key("totals").key("subtotal"),
            );
        }
    }

    Some(Order {
        id: id?,
        number,
        status: status?,
        provider_status,
        currency,
        currency_digits: currency.map(|c| c.exponent()),
        subtotal,
        discount,
        tax,
        shipping: None,
        total,
        refunded: None,
        items,
        customer,
        billing_address: None,
        shipping_address: None,
        created_at: Some(created_at?),
        updated_at: Some(updated_at?),
        metadata,
    })
}

fn transaction_status(s: TransactionStatus) -> Status {
    match s {
        TransactionStatus::Draft
        | TransactionStatus::Ready
        | TransactionStatus::Billed
        | TransactionStatus::PastDue => Status::Pending,
        TransactionStatus::Paid | TransactionStatus::Completed => Status::Paid,
        TransactionStatus::Canceled => Status::Canceled,
    }
}

/// One line item, and its `totals.subtotal` for the cross-check.
fn line_item(li: &LineItem, ctx: &mut Ctx<'_>, p: &Path<'_>) -> (Option<Item>, Option<MinorUnits>) {
    let qp = p.key("quantity");
    let quantity = ctx.read(&li.quantity, &qp).copied().and_then(|q| ctx.quantity(q, &qp));
    let unit_path = p.key("unit_totals");
    let unit_price =
        ctx.read(&li.unit_totals, &unit_path).and_then(|u| amount(ctx, &u.subtotal, &unit_path.key("subtotal")));
    let totals_path = p.key("totals");
    let (line_subtotal, discount, tax) = match ctx.read(&li.totals, &totals_path) {
        Some(t) => (
            amount(ctx, &t.subtotal, &totals_path.key("subtotal")),
            amount(ctx, &t.discount, &totals_path.key("discount")),
            amount(ctx, &t.tax, &totals_path.key("tax")),
        ),
        None => (None, None, None),
    };
    let product_path = p.key("product");
    let (product_id, name) = match ctx.read(&li.product, &product_path) {
        Some(pr) => (ctx.string(&pr.id, &product_path.key("id")), ctx.string(&pr.name, &product_path.key("name"))),
        None => (None, None),
    };
    let id = ctx.string(&li.id, &p.key("id"));
    // The model's line total is after line discounts, before tax.
    let total = ctx.derived(
        "the line's `subtotal` − `discount`",
        Calc::of(line_subtotal).minus(Calc::of(discount)),
        &totals_path.key("subtotal"),
    );
    let item =
        quantity.map(|quantity| Item { id, product_id, sku: None, name, quantity, unit_price, discount, tax, total });
    (item, line_subtotal)
}

fn adjustment(a: &Adjustment, ctx: &mut Ctx<'_>, p: &Path<'_>) -> Option<(Order, bool)> {
    let id = ctx.read(&a.transaction_id, &p.key("transaction_id")).cloned();
    let action_path = p.key("action");
    let action = match ctx.read(&a.action, &action_path) {
        Some(OpenEnum::Known(x)) => Some(Some(*x)),
        Some(OpenEnum::Unknown(raw)) => {
            let msg = format!("unknown Paddle adjustment action {}; status set to `unknown`", quote(raw));
            ctx.issues.lenient(Code::UnknownEnum, &action_path, msg);
            Some(None)
        }
        None => None,
    };
    let status_path = p.key("status");
    let (adj_status, provider_status) = match ctx.read(&a.status, &status_path) {
        Some(known @ OpenEnum::Known(s)) => (Some(Some(*s)), Some(known.to_string())),
        Some(OpenEnum::Unknown(raw)) => {
            let msg = format!("unknown Paddle adjustment status {}; status set to `unknown`", quote(raw));
            ctx.issues.lenient(Code::UnknownEnum, &status_path, msg);
            (Some(None), Some(raw.clone()))
        }
        None => (None, None),
    };
    let type_path = p.key("type");
    let full = match ctx.read(&a.adjustment_type, &type_path) {
        Some(OpenEnum::Known(t)) => *t == AdjustmentType::Full,
        Some(OpenEnum::Unknown(raw)) => {
            ctx.issues.lenient(Code::UnknownEnum, &type_path, format!("unknown Paddle adjustment type {}", quote(raw)));
            false
        }
        None => false,
    };
    let currency = currency(&a.currency_code, ctx, p);
    let customer_id = ctx.string(&a.customer_id, &p.key("customer_id"));
    let totals_path = p.key("totals");
    let refund_total = ctx.read(&a.totals, &totals_path).and_then(|t| {
        let subtotal = amount(ctx, &t.subtotal, &totals_path.key("subtotal"));
        let tax = amount(ctx, &t.tax, &totals_path.key("tax"));
        let total = amount(ctx, &t.total, &totals_path.key("total"));
        ctx.check_sum("`subtotal` + `tax`", Calc::of(subtotal).plus(Calc::of(tax)), total, &totals_path.key("total"));
        total
    });
    let created_at = ctx.timestamp(&a.created_at, &p.key("created_at"));
    let updated_path = p.key("updated_at");
    // Go's zero time: Paddle's "not updated yet".
    let updated_at = match a.updated_at.value().map(String::as_str) {
        Some(ZERO_TIME) => created_at,
        _ => ctx.timestamp(&a.updated_at, &updated_path),
    };

    let (status, money_back) = match (action?, adj_status?) {
        (Some(action), Some(s)) => adjustment_status(action, s, full),
        _ => (Status::Unknown, false),
    };
    let order = Order {
        id: id?,
        number: None,
        status,
        provider_status,
        currency,
        currency_digits: currency.map(|c| c.exponent()),
        subtotal: None,
        discount: None,
        tax: None,
        shipping: None,
        total: None,
        refunded: if money_back { refund_total } else { None },
        items: Vec::new(),
        customer: customer_id.map(customer),
        billing_address: None,
        shipping_address: None,
        created_at: None,
        updated_at: Some(updated_at?),
        metadata: None,
    };
    // The creation time is required even where it is not shown: without it the event is not trusted.
    created_at?;
    Some((order, money_back))
}

const ZERO_TIME: &str = "0001-01-01T00:00:00Z";

/// The transaction's status as an adjustment shows it, and whether money went back.
/// Refunds exist only for completed transactions, credits only for billed or past-due
/// invoices (Paddle, `POST /adjustments`).
fn adjustment_status(action: AdjustmentAction, status: AdjustmentStatus, full: bool) -> (Status, bool) {
    use AdjustmentAction as A;
    match (action, status) {
        (A::Refund | A::Chargeback, AdjustmentStatus::Approved) => {
            (if full { Status::Refunded } else { Status::PartiallyRefunded }, true)
        }
        (A::Credit | A::CreditReverse, _) => (Status::Pending, false),
        _ => (Status::Paid, false),
    }
}

fn customer(id: String) -> Customer {
    Customer { id: Some(id), ..Customer::default() }
}

fn amount(ctx: &mut Ctx<'_>, f: &Optional<Amount>, path: &Path<'_>) -> Option<MinorUnits> {
    let a = ctx.read(f, path)?;
    let m = a.minor_units();
    if m.is_none() {
        let msg =
            format!("{} is {}, not an integer amount in minor units within ±2^53", super::key_name(path), quote(&a.0));
        ctx.issues.error(Code::InvalidValue, path, msg);
    }
    m
}

fn currency(f: &Required<String>, ctx: &mut Ctx<'_>, p: &Path<'_>) -> Option<Currency> {
    let path = p.key("currency_code");
    let code = ctx.read(f, &path)?;
    match Currency::parse(code) {
        Ok(c) => Some(c),
        Err(why) => {
            let msg = format!("`currency_code` {} {why}; currency set to null", quote(code));
            ctx.issues.warning(Code::InvalidValue, &path, msg);
            None
        }
    }
}
