//! Stripe order webhooks: snapshot events `{id, object: "event", type, created, data: {object}}`
//! whose object is a Checkout Session (`checkout.session.*`) or, for refunds, a Charge
//! (`charge.refunded`). Facts and sources: docs/providers/stripe.md.
//!
//! Amounts are integer minor units as Stripe counts them (ISK has two places, MGA none,
//! unlike ISO 4217); times are Unix seconds. Line items are never in the event (Stripe
//! does not expand `line_items` in webhooks), so `items` is always empty.
//!
//! | Stripe event                               | kind                 | normalized status                           |
//! |--------------------------------------------|----------------------|---------------------------------------------|
//! | `checkout.session.completed`, `payment_status` `paid` / `no_payment_required` | `paid` | `paid` |
//! | `checkout.session.completed`, `payment_status` `unpaid` (a delayed method)   | `created` | `processing` |
//! | `checkout.session.async_payment_succeeded` | `paid`               | `paid`                                      |
//! | `checkout.session.async_payment_failed`    | `canceled`           | `canceled`                                  |
//! | `checkout.session.expired`                 | `abandoned`          | `abandoned`                                 |
//! | `charge.refunded`                          | `refunded`           | `refunded` (`refunded: true`), `partially_refunded` (`amount_refunded > 0`), else `paid` |
//! | an unknown `payment_status`                | `unknown` (completed) | `unknown` + warning                        |
//!
//! `provider_status` is the session's `payment_status` or the charge's `status`.

use serde::de::{Deserializer, Error as _, IgnoredAny};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{read, tidy_address, Calc, Ctx, DeliveryId, Provider, Signature, Spec};
use crate::detect::{Evidence, Top};
use crate::event::{Address, Customer, Kind, Order, OrderEvent, Status};
use crate::field::{
    lenient_struct, Declared, Field, Lenient, Optional, OptionalOrNull, Presence, RawObject, Required, RequiredOrNull,
};
use crate::issue::{quote, Code, Path};
use crate::money::{Currency, MinorUnits};
use crate::scalar::{KnownValue, OpenEnum};
use crate::time::Timestamp;

// Presence follows Stripe's OpenAPI spec3.json @ af5309ca (API 2026-07-29.dahlia). The spec
// leaves every nullable property out of `required`, so those are `OptionalOrNull`
// here although Stripe's server always sends them.

/// The webhook body: a Stripe snapshot event.
#[derive(Debug, Clone, Default)]
pub struct Envelope {
    pub(crate) id: Required<String>,
    pub(crate) object: Required<String>,
    /// The event's `type`.
    pub(crate) event_type: Required<String>,
    /// Unix seconds.
    pub(crate) created: Required<i64>,
    pub(crate) data: Required<EventData>,
}

/// `data`, its `object` read as the type the event names.
#[derive(Debug, Clone)]
pub(crate) enum EventData {
    Session(SessionData),
    Charge(ChargeData),
    /// An event orderhook does not read.
    Other,
}

/// `data` of a `checkout.session.*` event.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct SessionData {
    pub(crate) object: Required<Session>,
}

/// `data` of a `charge.*` event.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ChargeData {
    pub(crate) object: Required<Charge>,
}

// Built by `Envelope::deserialize`, never read alone.
impl Lenient for EventData {
    const EXPECTED: &'static str = "an object";
}

/// The events orderhook reads, and which object each carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Carries {
    Session,
    Charge,
}

/// What orderhook knows of Stripe.
pub(crate) const SPEC: Spec = Spec {
    title: "Stripe",
    events: &EVENT_TYPES,
    statuses: statuses,
    evidence: Evidence { keys: &[], values: &["object", "type"], decide },
    parse: |text, ctx| read::<Wire>(text, ctx, normalize),
    signature: Some(Signature {
        headers: &[crate::verify::stripe::HEADER],
        scheme: "HMAC-SHA256 over t.body, hex, in `t=…,v1=…`",
        verify: |body, headers, secret, now, tolerance, hmac| {
            crate::verify::stripe_with(body, headers.get(crate::verify::stripe::HEADER), secret, now, tolerance, hmac)
        },
    }),
    event_type_header: None,
    // The event's `id` (`evt_…`): every retry of an event carries the same one.
    delivery_id: DeliveryId::EventId,
    // Stripe retries a failed delivery "for up to three days with an exponential back
    // off" in live mode (docs.stripe.com/webhooks, "Retry behavior").
    retry_horizon_hours: 72,
    non_json: None,
};

/// Stripe's wire type: the event.
pub type Wire = Envelope;

/// A top-level `"object": "event"`: Stripe's snapshot event (its thin events say
/// `v2.core.event`). No other provider has an `object` key at the top.
fn decide(top: &Top<'_>) -> Option<Option<String>> {
    let object = top.string("object")?;
    (object == "event" || object == "v2.core.event").then(|| top.string("type"))
}

/// The words behind each normalized status, for the docs: a session's
/// `payment_status` under `checkout.session.completed`, the events that decide
/// alone, and a refunded charge.
fn statuses() -> Vec<(&'static str, Status)> {
    vec![
        ("paid", Status::Paid),
        ("no_payment_required", Status::Paid),
        ("unpaid", Status::Processing),
        ("async_payment_succeeded", Status::Paid),
        ("async_payment_failed", Status::Canceled),
        ("expired", Status::Abandoned),
        ("charge partly refunded", Status::PartiallyRefunded),
        ("charge refunded", Status::Refunded),
    ]
}

/// Stripe's order event types: what each is about and, where the event alone says, its kind.
pub const EVENT_TYPES: [(&str, Kind); 5] = [
    ("checkout.session.completed", Kind::Paid),
    ("checkout.session.async_payment_succeeded", Kind::Paid),
    ("checkout.session.async_payment_failed", Kind::Canceled),
    ("checkout.session.expired", Kind::Abandoned),
    ("charge.refunded", Kind::Refunded),
];

fn carries(event_type: &str) -> Option<Carries> {
    match event_type {
        "charge.refunded" => Some(Carries::Charge),
        t if EVENT_TYPES.iter().any(|(name, _)| *name == t) => Some(Carries::Session),
        _ => None,
    }
}

// The envelope is read in two steps, since `type` comes after `data` in Stripe's bodies:
// `data` is kept as raw text (a borrowed slice, never copied), then read as the type
// the event names. Only `data` is scanned twice.
#[derive(Deserialize, Default)]
#[serde(default)]
struct RawEnvelope<'a> {
    id: Required<String>,
    object: Required<String>,
    #[serde(rename = "type")]
    event_type: Required<String>,
    created: Required<i64>,
    // `null` kept as text, so it is told apart from an absent key.
    #[serde(borrow, deserialize_with = "present")]
    data: Option<&'a RawValue>,
}

fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<&'de RawValue>, D::Error> {
    <&RawValue>::deserialize(d).map(Some)
}

impl<'de> Deserialize<'de> for Envelope {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = RawEnvelope::deserialize(d)?;
        let data = match raw.data {
            None => Field::Missing,
            Some(text) => {
                let read = match raw.event_type.value().map(|t| carries(t)) {
                    Some(Some(Carries::Session)) => session_data(text.get()).map(|f| map(f, EventData::Session)),
                    Some(Some(Carries::Charge)) => charge_data(text.get()),
                    Some(None) => Ok(Field::Value(EventData::Other)),
                    // No usable `type`: the object is still read, for its issues, as its own
                    // `object` says, else as a Charge's keys say, else as a session.
                    None => session_data(text.get()).and_then(|f| {
                        let charge = f.value().and_then(|d| d.object.value()).is_some_and(Session::looks_like_a_charge);
                        if charge {
                            charge_data(text.get())
                        } else {
                            Ok(map(f, EventData::Session))
                        }
                    }),
                };
                read.map_err(D::Error::custom)?
            }
        };
        Ok(Envelope {
            id: raw.id,
            object: raw.object,
            event_type: raw.event_type,
            created: raw.created,
            data: Declared(data),
        })
    }
}

fn session_data(text: &str) -> Result<Field<SessionData>, serde_json::Error> {
    serde_json::from_str(text)
}

fn charge_data(text: &str) -> Result<Field<EventData>, serde_json::Error> {
    serde_json::from_str(text).map(|f| map(f, EventData::Charge))
}

fn map<T>(f: Field<T>, wrap: fn(T) -> EventData) -> Field<EventData> {
    match f {
        Field::Value(v) => Field::Value(wrap(v)),
        Field::Missing => Field::Missing,
        Field::Null => Field::Null,
        Field::Invalid(found) => Field::Invalid(found),
    }
}

/// `checkout.session`, the fields orderhook reads.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Session {
    pub(crate) id: Required<String>,
    pub(crate) object: Required<String>,
    pub(crate) created: Required<i64>,
    pub(crate) mode: Required<OpenEnum<Mode>>,
    pub(crate) payment_status: Required<OpenEnum<PaymentStatus>>,
    pub(crate) status: OptionalOrNull<OpenEnum<SessionStatus>>,
    pub(crate) currency: OptionalOrNull<String>,
    pub(crate) amount_subtotal: OptionalOrNull<i64>,
    pub(crate) amount_total: OptionalOrNull<i64>,
    pub(crate) total_details: OptionalOrNull<TotalDetails>,
    /// The merchant's own reference for the session (a cart or order id).
    pub(crate) client_reference_id: OptionalOrNull<String>,
    pub(crate) customer: OptionalOrNull<Expandable>,
    pub(crate) customer_email: OptionalOrNull<String>,
    pub(crate) customer_details: OptionalOrNull<Contact>,
    /// API versions from 2025-02-24.acacia.
    pub(crate) collected_information: OptionalOrNull<CollectedInformation>,
    /// The PaymentIntent (payment mode): what a refund's charge shares with its session.
    pub(crate) payment_intent: OptionalOrNull<Expandable>,
    /// API versions 2022-08-01 to 2025-02-24, beyond the current schema.
    pub(crate) shipping_details: Field<ShippingDetails>,
    /// API versions before 2022-08-01, beyond the current schema.
    pub(crate) shipping: Field<ShippingDetails>,
    pub(crate) metadata: RawObject<false, true>,
    /// Keys only a Charge has: with no usable `type`, they tell the object is one.
    amount_refunded: Option<IgnoredAny>,
    amount_captured: Option<IgnoredAny>,
}

impl Session {
    fn looks_like_a_charge(&self) -> bool {
        match self.object.value() {
            Some(o) => o == "charge",
            None => self.amount_refunded.is_some() || self.amount_captured.is_some(),
        }
    }
}

/// `payment_pages_checkout_session_total_details`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct TotalDetails {
    pub(crate) amount_discount: Required<i64>,
    pub(crate) amount_tax: Required<i64>,
    pub(crate) amount_shipping: RequiredOrNull<i64>,
}

/// A session's `customer_details` and a charge's `billing_details`: the fields
/// orderhook reads, every one nullable in both.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Contact {
    pub(crate) address: OptionalOrNull<StripeAddress>,
    pub(crate) email: OptionalOrNull<String>,
    pub(crate) name: OptionalOrNull<String>,
    pub(crate) phone: OptionalOrNull<String>,
}

/// `payment_pages_checkout_session_collected_information`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct CollectedInformation {
    pub(crate) shipping_details: OptionalOrNull<ShippingDetails>,
}

/// `{address, name}`, both required.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ShippingDetails {
    pub(crate) address: Required<StripeAddress>,
    pub(crate) name: Required<String>,
}

/// `address`: every field nullable.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct StripeAddress {
    pub(crate) line1: OptionalOrNull<String>,
    pub(crate) line2: OptionalOrNull<String>,
    pub(crate) city: OptionalOrNull<String>,
    pub(crate) state: OptionalOrNull<String>,
    pub(crate) postal_code: OptionalOrNull<String>,
    pub(crate) country: OptionalOrNull<String>,
}

/// `charge`, the fields orderhook reads.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Charge {
    pub(crate) id: Required<String>,
    pub(crate) object: Required<String>,
    pub(crate) amount: Required<i64>,
    /// Cumulative, pending refunds included.
    pub(crate) amount_refunded: Required<i64>,
    /// True only when fully refunded.
    pub(crate) refunded: Required<bool>,
    pub(crate) currency: Required<String>,
    pub(crate) created: Required<i64>,
    pub(crate) status: Required<OpenEnum<ChargeStatus>>,
    pub(crate) billing_details: Required<Contact>,
    pub(crate) customer: OptionalOrNull<Expandable>,
    pub(crate) receipt_email: OptionalOrNull<String>,
    pub(crate) receipt_number: OptionalOrNull<String>,
    /// What the charge shares with its Checkout Session.
    pub(crate) payment_intent: OptionalOrNull<Expandable>,
    pub(crate) shipping: OptionalOrNull<ChargeShipping>,
    pub(crate) metadata: RawObject<true, false>,
}

/// A charge's `shipping`: every field optional (Stripe's own fixture sends `{}`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ChargeShipping {
    pub(crate) address: Optional<StripeAddress>,
    pub(crate) name: Optional<String>,
}

lenient_struct!(Session, TotalDetails, Contact, CollectedInformation, ShippingDetails, StripeAddress);
lenient_struct!(Charge, ChargeShipping, SessionData, ChargeData);

/// An expandable reference: the id, or the expanded object (whose `id` is taken).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Expandable(pub(crate) String);

impl Lenient for Expandable {
    const EXPECTED: &'static str = "a string id or an object with one";
    // Objects too, so the generic visitor, not the scalars' shared one.
    const COMPOUND: bool = true;
    fn from_str(v: &str) -> Option<Self> {
        Some(Expandable(v.to_owned()))
    }
    fn from_map<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        // Read by hand rather than through a struct: an expanded object is rare in a webhook.
        let mut id = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'_, str>>()? {
            if key == "id" {
                id = map.next_value::<Field<String>>()?.value().cloned();
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(id.map(Expandable))
    }
}

/// `checkout.session.mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Payment,
    Setup,
    Subscription,
}

impl KnownValue for Mode {
    const VALUES: &'static [(&'static str, Self)] =
        &[("payment", Mode::Payment), ("setup", Mode::Setup), ("subscription", Mode::Subscription)];
}

/// `checkout.session.payment_status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PaymentStatus {
    Paid,
    Unpaid,
    NoPaymentRequired,
}

impl KnownValue for PaymentStatus {
    const VALUES: &'static [(&'static str, Self)] = &[
        ("paid", PaymentStatus::Paid),
        ("unpaid", PaymentStatus::Unpaid),
        ("no_payment_required", PaymentStatus::NoPaymentRequired),
    ];
}

/// `checkout.session.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SessionStatus {
    Open,
    Complete,
    Expired,
}

impl KnownValue for SessionStatus {
    const VALUES: &'static [(&'static str, Self)] =
        &[("open", SessionStatus::Open), ("complete", SessionStatus::Complete), ("expired", SessionStatus::Expired)];
}

/// `charge.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChargeStatus {
    Succeeded,
    Pending,
    Failed,
}

impl KnownValue for ChargeStatus {
    const VALUES: &'static [(&'static str, Self)] =
        &[("succeeded", ChargeStatus::Succeeded), ("pending", ChargeStatus::Pending), ("failed", ChargeStatus::Failed)];
}

/// Decimal places of Stripe's minor unit: ISO 4217's, except where Stripe's API differs
/// (docs.stripe.com/currencies): ISK stays two-decimal, MGA is zero-decimal.
pub(crate) fn stripe_exponent(c: Currency) -> u8 {
    match c.as_str() {
        "ISK" => 2,
        "MGA" => 0,
        _ => c.exponent(),
    }
}

/// Events of Stripe's refund objects, which carry one refund rather than the order's figures.
const REFUND_OBJECT_EVENTS: [&str; 4] = ["refund.created", "refund.updated", "refund.failed", "charge.refund.updated"];

pub(crate) fn normalize(env: &Envelope, ctx: &mut Ctx<'_>) -> Option<OrderEvent> {
    let root = Path::Root;
    if env.object.value().is_some_and(|o| o == "v2.core.event") {
        let msg = "a Stripe thin event (`v2.core.event`) carries no object; send order events to this endpoint \
                   as snapshot events";
        ctx.issues.error(Code::UnsupportedEvent, &root.key("object"), msg);
        return None;
    }
    let type_path = root.key("type");
    let event_type = ctx.read(&env.event_type, &type_path).cloned();
    let carried = match event_type.as_deref() {
        Some(t) => match carries(t) {
            Some(c) => Some(c),
            None => {
                let msg = if REFUND_OBJECT_EVENTS.contains(&t) {
                    format!(
                        "Stripe event {} carries one refund, not the order's refunded total; orderhook reads \
                         charge.refunded for refunds",
                        quote(t)
                    )
                } else {
                    format!(
                        "Stripe event {} is not an order event; orderhook reads checkout.session.completed, \
                         .async_payment_succeeded, .async_payment_failed, .expired and charge.refunded",
                        quote(t)
                    )
                };
                ctx.issues.error(Code::UnsupportedEvent, &type_path, msg);
                return None;
            }
        },
        None => None,
    };
    let event_id = ctx.read(&env.id, &root.key("id")).cloned();
    let object_path = root.key("object");
    if let Some(o) = ctx.read(&env.object, &object_path) {
        if o != "event" {
            let msg = format!("`object` is {}; a Stripe webhook body is an `event`", quote(o));
            ctx.issues.error(Code::InvalidValue, &object_path, msg);
        }
    }
    let occurred_at = unix_time(ctx, &env.created, &root.key("created"));
    let data_path = root.key("data");
    let object_path = data_path.key("object");
    let data = ctx.read(&env.data, &data_path);
    // Without a usable `type`, the object is still read (as its own `object` says), for its issues.
    let read = match data? {
        EventData::Session(d) => {
            ctx.read(&d.object, &object_path).and_then(|s| session(s, event_type.as_deref(), ctx, &object_path))
        }
        EventData::Charge(d) => {
            ctx.read(&d.object, &object_path).and_then(|c| charge(c, ctx, &object_path)).map(|o| (Kind::Refunded, o))
        }
        EventData::Other => None,
    };
    let (kind, order) = read?;
    let event_type = event_type?;
    carried?;
    Some(OrderEvent { provider: Provider::Stripe, event_type: Some(event_type), kind, event_id, occurred_at, order })
}

fn session(s: &Session, event_type: Option<&str>, ctx: &mut Ctx<'_>, p: &Path<'_>) -> Option<(Kind, Order)> {
    let id = ctx.read(&s.id, &p.key("id")).cloned();
    check_object(ctx, &s.object, "checkout.session", p);
    let created_at = unix_time(ctx, &s.created, &p.key("created"));
    let mode_path = p.key("mode");
    match ctx.read(&s.mode, &mode_path) {
        Some(OpenEnum::Known(Mode::Setup)) => {
            let msg = "a Checkout Session in `setup` mode saves a payment method and is not an order";
            ctx.issues.error(Code::UnsupportedEvent, &mode_path, msg);
            return None;
        }
        Some(OpenEnum::Unknown(raw)) => {
            let msg = format!("unknown Stripe Checkout Session mode {}", quote(raw));
            ctx.issues.lenient(Code::UnknownEnum, &mode_path, msg);
        }
        _ => {}
    }
    let ps_path = p.key("payment_status");
    let read_status = ctx.read(&s.payment_status, &ps_path);
    let provider_status = read_status.map(ToString::to_string);
    let payment_status = match read_status {
        Some(OpenEnum::Known(v)) => Some(Some(*v)),
        Some(OpenEnum::Unknown(raw)) => {
            let msg = format!("unknown Stripe payment status {}; status set to `unknown`", quote(raw));
            ctx.issues.lenient(Code::UnknownEnum, &ps_path, msg);
            Some(None)
        }
        None => None,
    };
    if let Some(OpenEnum::Unknown(raw)) = ctx.read(&s.status, &p.key("status")) {
        let msg = format!("unknown Stripe Checkout Session status {}", quote(raw));
        ctx.issues.lenient(Code::UnknownEnum, &p.key("status"), msg);
    }
    // The event decides; `payment_status` only tells a completed session paid from pending.
    let kind_status = match event_type {
        None => None,
        Some("checkout.session.async_payment_succeeded") => Some((Kind::Paid, Status::Paid)),
        Some("checkout.session.async_payment_failed") => Some((Kind::Canceled, Status::Canceled)),
        Some("checkout.session.expired") => Some((Kind::Abandoned, Status::Abandoned)),
        Some(_) => payment_status.map(|ps| match ps {
            Some(PaymentStatus::Paid | PaymentStatus::NoPaymentRequired) => (Kind::Paid, Status::Paid),
            Some(PaymentStatus::Unpaid) => (Kind::Created, Status::Processing),
            None => (Kind::Unknown, Status::Unknown),
        }),
    };

    let currency = currency(ctx, &s.currency, &p.key("currency"));
    let subtotal = ctx.amount(&s.amount_subtotal, &p.key("amount_subtotal"));
    let total = ctx.amount(&s.amount_total, &p.key("amount_total"));
    let td_path = p.key("total_details");
    let (discount, tax, shipping) = match ctx.read(&s.total_details, &td_path) {
        Some(td) => (
            ctx.amount(&td.amount_discount, &td_path.key("amount_discount")),
            ctx.amount(&td.amount_tax, &td_path.key("amount_tax")),
            ctx.amount(&td.amount_shipping, &td_path.key("amount_shipping")),
        ),
        None => (None, None, None),
    };
    check_total(ctx, subtotal, discount, shipping, tax, total, &p.key("amount_total"));

    let number = ctx.string(&s.client_reference_id, &p.key("client_reference_id"));
    let cd_path = p.key("customer_details");
    let details = ctx.read(&s.customer_details, &cd_path);
    let (mut email, mut name, mut phone, mut billing_address) = (None, None, None, None);
    if let Some(d) = details {
        name = ctx.string(&d.name, &cd_path.key("name"));
        email = ctx.string(&d.email, &cd_path.key("email"));
        phone = ctx.string(&d.phone, &cd_path.key("phone"));
        let ap = cd_path.key("address");
        billing_address = ctx.read(&d.address, &ap).and_then(|a| address(a, name.clone(), ctx, &ap));
    }
    let fallback_email = ctx.string(&s.customer_email, &p.key("customer_email"));
    let customer_id = ctx.read(&s.customer, &p.key("customer")).map(|c| c.0.clone());
    let customer = customer_of(customer_id, email.or(fallback_email), name, phone);

    let shipping_address = shipping_address(s, ctx, p);
    // Not in the normalized model; checked, and kept in `source`, to join a refund to its session.
    ctx.read(&s.payment_intent, &p.key("payment_intent"));
    let metadata = ctx.metadata(&s.metadata, &p.key("metadata"));

    let (kind, status) = kind_status?;
    let order = Order {
        id: id?,
        number,
        status,
        provider_status,
        currency,
        currency_digits: currency.map(stripe_exponent),
        subtotal,
        discount,
        tax,
        shipping,
        total,
        refunded: None,
        items: Vec::new(),
        customer,
        billing_address,
        shipping_address,
        created_at: Some(created_at?),
        updated_at: None,
        metadata,
    };
    Some((kind, order))
}

/// The shipping address under whichever name the endpoint's API version uses.
fn shipping_address(s: &Session, ctx: &mut Ctx<'_>, p: &Path<'_>) -> Option<Address> {
    let ci_path = p.key("collected_information");
    let current = ctx.read(&s.collected_information, &ci_path).and_then(|ci| {
        let sp = ci_path.key("shipping_details");
        ctx.read(&ci.shipping_details, &sp).map(|d| (d, sp))
    });
    let legacy_details_path = p.key("shipping_details");
    let legacy_path = p.key("shipping");
    let legacy = ctx.beyond_schema(&s.shipping_details, &legacy_details_path);
    let older = ctx.beyond_schema(&s.shipping, &legacy_path);
    let (details, path) = match (current, legacy, older) {
        (Some((d, sp)), _, _) => (d, sp),
        (None, Some(d), _) => (d, legacy_details_path),
        (None, None, Some(d)) => (d, legacy_path),
        (None, None, None) => return None,
    };
    let name = ctx.string(&details.name, &path.key("name"));
    let ap = path.key("address");
    ctx.read(&details.address, &ap).and_then(|a| address(a, name, ctx, &ap))
}

fn charge(c: &Charge, ctx: &mut Ctx<'_>, p: &Path<'_>) -> Option<Order> {
    let id = ctx.read(&c.id, &p.key("id")).cloned();
    check_object(ctx, &c.object, "charge", p);
    let total = ctx.amount(&c.amount, &p.key("amount"));
    let refunded_path = p.key("amount_refunded");
    let refunded = ctx.amount(&c.amount_refunded, &refunded_path);
    if let (Some(r), Some(t)) = (refunded, total) {
        if r > t {
            let msg = format!("`amount_refunded` is {r}, more than the charge's `amount` {t}");
            ctx.issues.warning(Code::AmountMismatch, &refunded_path, msg);
        }
    }
    let fully = ctx.read(&c.refunded, &p.key("refunded")).copied();
    let status = match (fully, refunded) {
        (Some(true), _) => Some(Status::Refunded),
        (Some(false), Some(r)) if r > MinorUnits::ZERO => Some(Status::PartiallyRefunded),
        (Some(false), Some(_)) => Some(Status::Paid),
        _ => None,
    };
    let sp = p.key("status");
    let provider_status = ctx.read(&c.status, &sp).map(|s| {
        if let OpenEnum::Unknown(raw) = s {
            let msg = format!("unknown Stripe charge status {}", quote(raw));
            ctx.issues.lenient(Code::UnknownEnum, &sp, msg);
        }
        s.to_string()
    });
    let currency = currency(ctx, &c.currency, &p.key("currency"));
    let bd_path = p.key("billing_details");
    let (mut email, mut name, mut phone, mut billing_address) = (None, None, None, None);
    if let Some(b) = ctx.read(&c.billing_details, &bd_path) {
        name = ctx.string(&b.name, &bd_path.key("name"));
        email = ctx.string(&b.email, &bd_path.key("email"));
        phone = ctx.string(&b.phone, &bd_path.key("phone"));
        let ap = bd_path.key("address");
        billing_address = ctx.read(&b.address, &ap).and_then(|a| address(a, name.clone(), ctx, &ap));
    }
    let receipt_email = ctx.string(&c.receipt_email, &p.key("receipt_email"));
    let customer_id = ctx.read(&c.customer, &p.key("customer")).map(|c| c.0.clone());
    let customer = customer_of(customer_id, email.or(receipt_email), name, phone);
    let ship_path = p.key("shipping");
    let shipping_address = ctx.read(&c.shipping, &ship_path).and_then(|s| {
        let name = ctx.string(&s.name, &ship_path.key("name"));
        let ap = ship_path.key("address");
        ctx.read(&s.address, &ap).and_then(|a| address(a, name, ctx, &ap))
    });
    let number = ctx.string(&c.receipt_number, &p.key("receipt_number"));
    ctx.read(&c.payment_intent, &p.key("payment_intent"));
    let created_at = unix_time(ctx, &c.created, &p.key("created"));
    let metadata = ctx.metadata(&c.metadata, &p.key("metadata"));
    Some(Order {
        id: id?,
        number,
        status: status?,
        provider_status,
        currency,
        currency_digits: currency.map(stripe_exponent),
        subtotal: None,
        discount: None,
        tax: None,
        shipping: None,
        total: Some(total?),
        refunded: Some(refunded?),
        items: Vec::new(),
        customer,
        billing_address,
        shipping_address,
        created_at: Some(created_at?),
        updated_at: None,
        metadata,
    })
}

/// Each event carries one kind of object; another under it is an error.
fn check_object(ctx: &mut Ctx<'_>, f: &Required<String>, expected: &str, p: &Path<'_>) {
    let path = p.key("object");
    if let Some(o) = ctx.read(f, &path) {
        if o != expected {
            let msg = format!("`object` is {}; this event carries a `{expected}`", quote(o));
            ctx.issues.error(Code::InvalidValue, &path, msg);
        }
    }
}

/// A lower-case ISO code; one that is not a currency is a warning and `null`.
fn currency<F: Presence<String>>(ctx: &mut Ctx<'_>, f: &F, path: &Path<'_>) -> Option<Currency> {
    let code = ctx.read(f, path)?;
    match Currency::parse(code) {
        Ok(c) => Some(c),
        Err(why) => {
            ctx.issues.warning(
                Code::InvalidValue,
                path,
                format!("`currency` {} {why}; currency set to null", quote(code)),
            );
            None
        }
    }
}

/// Unix seconds as a UTC timestamp; out of RFC 3339's years is an `invalid_value` error.
fn unix_time<F: Presence<i64>>(ctx: &mut Ctx<'_>, f: &F, path: &Path<'_>) -> Option<Timestamp> {
    let s = *ctx.read(f, path)?;
    match Timestamp::from_unix_seconds(s) {
        Ok(t) => Some(t),
        Err(e) => {
            ctx.issues.error(Code::InvalidValue, path, format!("{s} Unix seconds is not a usable time: {e}"));
            None
        }
    }
}

/// An address, or `None` when Stripe sent one with every field `null`.
fn address(a: &StripeAddress, name: Option<String>, ctx: &mut Ctx<'_>, p: &Path<'_>) -> Option<Address> {
    let out = Address {
        name: None,
        line1: ctx.string(&a.line1, &p.key("line1")),
        line2: ctx.string(&a.line2, &p.key("line2")),
        city: ctx.string(&a.city, &p.key("city")),
        state: ctx.string(&a.state, &p.key("state")),
        postal_code: ctx.string(&a.postal_code, &p.key("postal_code")),
        country: ctx.country(&a.country, &p.key("country")),
    };
    let empty =
        [&out.line1, &out.line2, &out.city, &out.state, &out.postal_code, &out.country].iter().all(|f| f.is_none());
    (!empty).then(|| tidy_address(Address { name, ..out }))
}

fn customer_of(
    id: Option<String>,
    email: Option<String>,
    name: Option<String>,
    phone: Option<String>,
) -> Option<Customer> {
    if id.is_none() && email.is_none() && name.is_none() && phone.is_none() {
        return None;
    }
    Some(Customer { id, external_id: None, email, name, phone })
}

/// Stripe's own sums: `amount_subtotal` holds tax-inclusive prices, so the exclusive
/// part of `amount_tax` is unknown and the total can only be bounded:
/// subtotal − discount + shipping ≤ total ≤ that + tax.
fn check_total(
    ctx: &mut Ctx<'_>,
    subtotal: Option<MinorUnits>,
    discount: Option<MinorUnits>,
    shipping: Option<MinorUnits>,
    tax: Option<MinorUnits>,
    total: Option<MinorUnits>,
    path: &Path<'_>,
) {
    let (Some(t), Some(_), Some(_), Some(_)) = (total, subtotal, discount, tax) else { return };
    let low = Calc::of(subtotal).minus(Calc::of(discount)).plus(Calc::of(shipping.or(Some(MinorUnits::ZERO))));
    let high = low.plus(Calc::of(tax));
    match (low, high) {
        (Calc::Value(lo), Calc::Value(hi)) if t < lo || t > hi => {
            let msg = format!(
                "`amount_total` is {t} but `amount_subtotal` − `amount_discount` + `amount_shipping` comes to {lo} \
                 (and to {hi} with all of `amount_tax` added)"
            );
            ctx.issues.warning(Code::AmountMismatch, path, msg);
        }
        (Calc::Overflow, _) | (_, Calc::Overflow) => {
            let msg = "the session's amounts come to more than ±2^53, so `amount_total` cannot be checked against them";
            ctx.issues.warning(Code::AmountMismatch, path, msg);
        }
        _ => {}
    }
}
