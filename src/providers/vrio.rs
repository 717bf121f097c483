//! Vrio order webhooks: `{webhook_type, webhook_event, webhook_event_id,
//! webhook_event_date, webhook_data: {order}}` for `order_updated` and
//! `order_abandoned` (also spelt `order_abandonned` in older deliveries).
//!
//! Vrio encodes nearly everything as strings: ids (or numbers), counts,
//! booleans (`"0"`/`"1"`), money as decimal strings in major units (`"10.00"`),
//! and zone-less dates (`"2024-09-12 10:44:13"`) with `"---"` and
//! `"0000-00-00 00:00:00"` for "no date". Dates are read in the caller's
//! `time_zone` (default UTC, with a warning). Vrio sends no currency and no
//! order total: totals are computed from the offers (unit price × quantity).
//!
//! | Vrio `status_type_id` (label or REST id) | normalized |
//! |---|---|
//! | `Active` (1), `Partial` (4), `Paused` (9) | `processing` |
//! | `Complete` (3) | `paid` |
//! | `Cancelled` (2), `Declined` (5), `Rejected` (7), `Removed` (8), `Expired` (10) | `canceled` |
//! | `Archive` (6) | `unknown` |
//! | anything else | `unknown` + warning |
//!
//! The order's own `status_type_id` is used when sent; otherwise the offers'
//! common status (mixed statuses give `processing`). `order_abandoned` events
//! always have status `abandoned`.

use serde::Deserialize;

use super::{read, status_table, tidy_address, Calc, Ctx, DeliveryId, Provider, Spec};
use crate::detect::{Evidence, Top};
use crate::event::{Address, Customer, Item, Kind, Order, OrderEvent, Status};
use crate::field::lenient_struct;
use crate::field::{Field, Lenient, List};
use crate::issue::{quote, Code, Path};
use crate::money::MinorUnits;
use crate::scalar::{parse_optional_local, Count, DecimalText, Flag, Id, KnownValue, OpenEnum};
use crate::time::{TimeZone, Timestamp};

/// The webhook body.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Envelope {
    pub(crate) webhook_type: Field<String>,
    pub(crate) webhook_event: Field<String>,
    pub(crate) webhook_event_id: Field<Id>,
    pub(crate) webhook_event_date: Field<String>,
    pub(crate) webhook_data: Field<WebhookData>,
}

/// `webhook_data`, keyed by the record type.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct WebhookData {
    pub(crate) order: Field<VrioOrder>,
}

/// An order record, the fields orderhook reads.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct VrioOrder {
    pub(crate) id: Field<Id>,
    pub(crate) customer_id: Field<Id>,
    pub(crate) status_type_id: Field<StatusType>,
    pub(crate) date_created: Field<String>,
    pub(crate) date_modified: Field<String>,
    pub(crate) date_ordered: Field<String>,
    pub(crate) is_test: Field<Flag>,
    pub(crate) order_discount: Field<DecimalText>,
    pub(crate) order_offers: Field<List<OrderOffer>>,
    pub(crate) customer: Field<VrioCustomer>,
    pub(crate) customer_address_billing: Field<VrioAddress>,
    pub(crate) customer_address_shipping: Field<VrioAddress>,
}

/// One product or subscription on the order.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct OrderOffer {
    pub(crate) id: Field<Id>,
    pub(crate) offer_id: Field<Id>,
    pub(crate) offer_name: Field<String>,
    pub(crate) order_offer_quantity: Field<Count>,
    pub(crate) order_offer_price: Field<DecimalText>,
    pub(crate) is_recurring: Field<Flag>,
    pub(crate) status_type_id: Field<StatusType>,
    pub(crate) order_offer_items: Field<List<OfferItem>>,
}

/// An item inside an offer.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct OfferItem {
    pub(crate) item_name: Field<String>,
    pub(crate) item_sku: Field<String>,
}

/// The customer record.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct VrioCustomer {
    pub(crate) customer_id: Field<Id>,
    pub(crate) first_name: Field<String>,
    pub(crate) last_name: Field<String>,
    pub(crate) email: Field<String>,
    pub(crate) phone: Field<String>,
}

/// `customer_address_billing` / `customer_address_shipping`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct VrioAddress {
    pub(crate) fname: Field<String>,
    pub(crate) lname: Field<String>,
    pub(crate) address1: Field<String>,
    pub(crate) address2: Field<String>,
    pub(crate) city: Field<String>,
    pub(crate) state: Field<String>,
    pub(crate) zipcode: Field<Id>,
    pub(crate) country: Field<String>,
}

lenient_struct!(WebhookData, VrioOrder, OrderOffer, OfferItem, VrioCustomer, VrioAddress);

/// A Vrio status, sent as its label (`"Complete"`) or its REST id (`3`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StatusType(pub(crate) OpenEnum<StatusLabel>);

impl Lenient for StatusType {
    const EXPECTED: &'static str = "a status label or id";
    // An id may come as a digit string (`"3"`), like Vrio's other numbers.
    fn from_str(v: &str) -> Option<Self> {
        match v.trim().parse::<i64>() {
            Ok(id) => Self::from_i64(id),
            Err(_) => Some(StatusType(OpenEnum::from_wire(v))),
        }
    }
    fn from_i64(v: i64) -> Option<Self> {
        let known = usize::try_from(v).ok().and_then(|i| i.checked_sub(1)).and_then(|i| StatusLabel::VALUES.get(i));
        Some(StatusType(match known {
            Some((_, label)) => OpenEnum::Known(*label),
            None => OpenEnum::Unknown(v.to_string()),
        }))
    }
}

/// Vrio `status_type_id` labels, in REST id order (1 = Active … 10 = Expired).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StatusLabel {
    Active,
    Cancelled,
    Complete,
    Partial,
    Declined,
    Archive,
    Rejected,
    Removed,
    Paused,
    Expired,
}

impl KnownValue for StatusLabel {
    const VALUES: &'static [(&'static str, Self)] = &[
        ("Active", StatusLabel::Active),
        ("Cancelled", StatusLabel::Cancelled),
        ("Complete", StatusLabel::Complete),
        ("Partial", StatusLabel::Partial),
        ("Declined", StatusLabel::Declined),
        ("Archive", StatusLabel::Archive),
        ("Rejected", StatusLabel::Rejected),
        ("Removed", StatusLabel::Removed),
        ("Paused", StatusLabel::Paused),
        ("Expired", StatusLabel::Expired),
    ];

    // Labels are matched case-insensitively and trimmed.
    fn from_wire(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::VALUES.iter().find(|(w, _)| w.eq_ignore_ascii_case(s)).map(|(_, v)| *v)
    }
}

fn map_status(s: StatusLabel) -> Status {
    match s {
        StatusLabel::Active | StatusLabel::Partial | StatusLabel::Paused => Status::Processing,
        StatusLabel::Complete => Status::Paid,
        StatusLabel::Cancelled
        | StatusLabel::Declined
        | StatusLabel::Rejected
        | StatusLabel::Removed
        | StatusLabel::Expired => Status::Canceled,
        StatusLabel::Archive => Status::Unknown,
    }
}

/// What orderhook knows of Vrio.
pub(crate) const SPEC: Spec = Spec {
    title: "Vrio",
    events: &EVENT_TYPES,
    statuses: || status_table(map_status),
    evidence: Evidence {
        keys: &["webhook_type", "webhook_event_id", "webhook_data"],
        values: &["webhook_event"],
        decide,
    },
    parse: |text, ctx| read::<Wire>(text, ctx, normalize),
    // Vrio signs nothing.
    signature: None,
    event_type_header: None,
    // `webhook_event_id`, the body's event id.
    delivery_id: DeliveryId::EventId,
    // Vrio documents no retry policy for its standard webhooks (only that custom
    // enterprise webhooks can have "reattempts on failure"), and its deliveries can
    // be late. Without a documented horizon: a conservative week.
    retry_horizon_hours: 168,
    non_json: None,
};

/// Vrio's wire type: the webhook body.
pub type Wire = Envelope;

/// Its `webhook_*` envelope keys.
fn decide(top: &Top<'_>) -> Option<Option<String>> {
    Some(top.string("webhook_event"))
}

/// Vrio's order event names and what they mean.
pub const EVENT_TYPES: [(&str, Kind); 3] =
    [("order_updated", Kind::Updated), ("order_abandoned", Kind::Abandoned), ("order_abandonned", Kind::Abandoned)];

/// Reads zone-less dates and remembers whether the zone was assumed.
struct Clock {
    zone: TimeZone,
    assumed: bool,
    used: bool,
}

impl Clock {
    fn read(&mut self, f: &Field<String>, ctx: &mut Ctx<'_>, p: &Path<'_>) -> Option<Timestamp> {
        let s = ctx.opt(f, p)?;
        let local = match parse_optional_local(s) {
            Ok(Some(l)) => l,
            Ok(None) => return None,
            Err(e) => {
                ctx.issues.error(
                    Code::InvalidValue,
                    p,
                    format!("{} is not a Vrio date `YYYY-MM-DD HH:MM:SS` ({e})", quote(s)),
                );
                return None;
            }
        };
        match local.to_timestamp(&self.zone) {
            Ok(t) => {
                self.used = true;
                Some(t)
            }
            Err(e) => {
                ctx.issues.error(
                    Code::InvalidValue,
                    p,
                    format!("{} cannot be placed in time zone {} ({e})", quote(s), self.zone.name()),
                );
                None
            }
        }
    }
}

pub(crate) fn normalize(env: &Envelope, ctx: &mut Ctx<'_>) -> Option<OrderEvent> {
    let root = Path::Root;
    let type_path = root.key("webhook_type");
    let event_path = root.key("webhook_event");
    let webhook_type = ctx.opt(&env.webhook_type, &type_path).cloned();
    let event_type = ctx.req(&env.webhook_event, &event_path).cloned();
    if let Some(t) = webhook_type.as_deref().filter(|t| *t != "order") {
        ctx.issues.error(
            Code::UnsupportedEvent,
            &type_path,
            format!("Vrio {} webhooks are not order webhooks; orderhook reads webhook_type \"order\"", quote(t)),
        );
        return None;
    }
    let kind = match event_type.as_deref() {
        Some(e) => match EVENT_TYPES.iter().find(|(name, _)| *name == e) {
            Some((_, k)) => Some(*k),
            None if e.starts_with("order_") && !e.starts_with("order_offer") => {
                ctx.issues.lenient(
                    Code::UnknownEnum,
                    &event_path,
                    format!("unknown Vrio order event {}; kind set to `unknown`", quote(e)),
                );
                Some(Kind::Unknown)
            }
            None => {
                ctx.issues.error(
                    Code::UnsupportedEvent,
                    &event_path,
                    format!("Vrio event {} is not an order event", quote(e)),
                );
                return None;
            }
        },
        None => None,
    };
    let event_id = ctx.opt(&env.webhook_event_id, &root.key("webhook_event_id")).map(|id| id.0.clone());
    let mut clock = Clock {
        zone: ctx.options.time_zone.clone().unwrap_or(TimeZone::UTC),
        assumed: ctx.options.time_zone.is_none(),
        used: false,
    };
    let occurred_at = clock.read(&env.webhook_event_date, ctx, &root.key("webhook_event_date"));
    let data_path = root.key("webhook_data");
    let order_path = data_path.key("order");
    let order = ctx
        .req(&env.webhook_data, &data_path)
        .and_then(|d| ctx.req(&d.order, &order_path))
        .and_then(|o| normalize_order(o, kind, ctx, &mut clock, &order_path));
    if clock.used && clock.assumed {
        ctx.issues.warning(
            Code::AssumedTimeZone,
            &Path::Root,
            "Vrio dates carry no time zone and none was given; read them as UTC (set the `timeZone` option)",
        );
    }
    Some(OrderEvent { provider: Provider::Vrio, event_type, kind: kind?, event_id, occurred_at, order: order? })
}

fn status_of(f: &Field<StatusType>, ctx: &mut Ctx<'_>, p: &Path<'_>) -> Option<(Status, String)> {
    match ctx.opt(f, p)? {
        StatusType(known @ OpenEnum::Known(s)) => Some((map_status(*s), known.to_string())),
        StatusType(OpenEnum::Unknown(raw)) => {
            ctx.issues.lenient(
                Code::UnknownEnum,
                p,
                format!("unknown Vrio status {}; status set to `unknown`", quote(raw)),
            );
            Some((Status::Unknown, raw.clone()))
        }
    }
}

fn normalize_order(
    o: &VrioOrder,
    kind: Option<Kind>,
    ctx: &mut Ctx<'_>,
    clock: &mut Clock,
    p: &Path<'_>,
) -> Option<Order> {
    let id = ctx.req(&o.id, &p.key("id")).map(|i| i.0.clone());
    let own_status = status_of(&o.status_type_id, ctx, &p.key("status_type_id"));
    let created_at = clock.read(&o.date_created, ctx, &p.key("date_created"));
    let updated_at = clock.read(&o.date_modified, ctx, &p.key("date_modified"));
    clock.read(&o.date_ordered, ctx, &p.key("date_ordered"));
    ctx.opt(&o.is_test, &p.key("is_test"));
    ctx.opt(&o.customer_id, &p.key("customer_id"));

    let exponent = match ctx.options.currency {
        Some(c) => c.exponent(),
        None => {
            ctx.issues.warning(
                Code::AssumedCurrency,
                &Path::Root,
                "Vrio sends no currency and none was given; decimal amounts were read with 2 decimal places",
            );
            2
        }
    };
    let discount_path = p.key("order_discount");
    let discount = ctx.opt(&o.order_discount, &discount_path).and_then(|d| money(d, exponent, ctx, &discount_path));

    let offers_path = p.key("order_offers");
    let mut items = Vec::new();
    let mut offer_statuses: Vec<(Status, String)> = Vec::new();
    let mut subtotal = Some(MinorUnits::ZERO);
    if let Some(list) = ctx.list(&o.order_offers, &offers_path) {
        for (i, offer) in list.iter().enumerate() {
            let op = offers_path.index(i);
            let Some(offer) = ctx.req(offer, &op) else {
                subtotal = None;
                continue;
            };
            if let Some(s) = status_of(&offer.status_type_id, ctx, &op.key("status_type_id")) {
                offer_statuses.push(s);
            }
            let item = item(offer, exponent, ctx, &op);
            subtotal = match (subtotal, item.total) {
                (Some(acc), Some(t)) => {
                    let s = acc.checked_add(t);
                    if s.is_none() {
                        ctx.issues.error(
                            Code::InvalidValue,
                            &offers_path,
                            "the offers' total is too large to represent exactly",
                        );
                    }
                    s
                }
                _ => None,
            };
            items.push(item);
        }
    }
    let (subtotal, total) = if items.is_empty() {
        (None, None)
    } else {
        let total = Calc::of(subtotal).minus(Calc::Value(discount.unwrap_or(MinorUnits::ZERO)));
        (subtotal, ctx.derived("the offers' total minus `order_discount`", total, &discount_path))
    };

    let (mut status, provider_status) = match own_status {
        Some((s, raw)) => (s, Some(raw)),
        None => match offer_statuses.split_first() {
            Some((first, rest)) if rest.iter().all(|s| s.1 == first.1) => (first.0, Some(first.1.clone())),
            Some(_) => (Status::Processing, None),
            None => {
                if kind != Some(Kind::Abandoned) {
                    ctx.issues.warning(
                        Code::MissingField,
                        &p.key("status_type_id"),
                        "neither the order nor its offers carry a `status_type_id`; status is `unknown`",
                    );
                }
                (Status::Unknown, None)
            }
        },
    };
    if kind == Some(Kind::Abandoned) {
        status = Status::Abandoned;
    }

    let customer_path = p.key("customer");
    let customer = ctx.opt(&o.customer, &customer_path).map(|c| {
        let first = text(ctx, &c.first_name, &customer_path.key("first_name"));
        let last = text(ctx, &c.last_name, &customer_path.key("last_name"));
        Customer {
            id: ctx.opt(&c.customer_id, &customer_path.key("customer_id")).map(|i| i.0.clone()),
            external_id: None,
            email: text(ctx, &c.email, &customer_path.key("email")),
            name: join_name(first, last),
            phone: text(ctx, &c.phone, &customer_path.key("phone")),
        }
    });
    let billing_path = p.key("customer_address_billing");
    let billing_address = ctx.opt(&o.customer_address_billing, &billing_path).map(|a| address(a, ctx, &billing_path));
    let shipping_path = p.key("customer_address_shipping");
    let shipping_address =
        ctx.opt(&o.customer_address_shipping, &shipping_path).map(|a| address(a, ctx, &shipping_path));

    Some(Order {
        id: id?,
        number: None,
        status,
        provider_status,
        currency: ctx.options.currency,
        // The places the decimal strings were read with, assumed (2) when no currency was given.
        currency_digits: Some(exponent),
        subtotal,
        discount,
        tax: None,
        shipping: None,
        total,
        refunded: None,
        items,
        customer,
        billing_address,
        shipping_address,
        created_at,
        updated_at,
        metadata: None,
    })
}

/// Vrio writes absent text as `""` as often as `null`.
fn text(ctx: &mut Ctx<'_>, f: &Field<String>, p: &Path<'_>) -> Option<String> {
    ctx.string(f, p).filter(|s| !s.trim().is_empty())
}

fn money(d: &DecimalText, exponent: u8, ctx: &mut Ctx<'_>, p: &Path<'_>) -> Option<MinorUnits> {
    match d.to_minor_units(exponent) {
        Ok(m) => Some(m),
        Err(e) => {
            ctx.issues.error(Code::InvalidValue, p, format!("{} is not an exact amount: {e}", quote(&d.0)));
            None
        }
    }
}

fn item(offer: &OrderOffer, exponent: u8, ctx: &mut Ctx<'_>, p: &Path<'_>) -> Item {
    let qp = p.key("order_offer_quantity");
    let quantity = ctx.opt(&offer.order_offer_quantity, &qp).map_or(Some(1), |q| ctx.quantity(q.0, &qp));
    let pp = p.key("order_offer_price");
    let unit_price = ctx.opt(&offer.order_offer_price, &pp).and_then(|d| money(d, exponent, ctx, &pp));
    let total = match (unit_price, quantity) {
        (Some(u), Some(q)) => {
            let t = u.checked_mul(q);
            if t.is_none() {
                ctx.issues.error(Code::InvalidValue, &pp, "price × quantity is too large to represent exactly");
            }
            t
        }
        _ => None,
    };
    ctx.opt(&offer.is_recurring, &p.key("is_recurring"));
    let items_path = p.key("order_offer_items");
    let mut sku = None;
    if let Some(list) = ctx.list(&offer.order_offer_items, &items_path) {
        for (i, it) in list.iter().enumerate() {
            let ip = items_path.index(i);
            if let Some(it) = ctx.opt(it, &ip) {
                let s = text(ctx, &it.item_sku, &ip.key("item_sku"));
                ctx.opt(&it.item_name, &ip.key("item_name"));
                sku = sku.or(s);
            }
        }
    }
    Item {
        id: ctx.opt(&offer.id, &p.key("id")).map(|i| i.0.clone()),
        product_id: ctx.opt(&offer.offer_id, &p.key("offer_id")).map(|i| i.0.clone()),
        sku,
        name: text(ctx, &offer.offer_name, &p.key("offer_name")),
        quantity: quantity.unwrap_or(0),
        unit_price,
        discount: None,
        tax: None,
        total,
    }
}

fn join_name(first: Option<String>, last: Option<String>) -> Option<String> {
    let joined = [first, last].into_iter().flatten().filter(|s| !s.trim().is_empty()).collect::<Vec<_>>().join(" ");
    (!joined.is_empty()).then_some(joined)
}

fn address(a: &VrioAddress, ctx: &mut Ctx<'_>, p: &Path<'_>) -> Address {
    let first = text(ctx, &a.fname, &p.key("fname"));
    let last = text(ctx, &a.lname, &p.key("lname"));
    tidy_address(Address {
        name: join_name(first, last),
        line1: text(ctx, &a.address1, &p.key("address1")),
        line2: text(ctx, &a.address2, &p.key("address2")),
        city: text(ctx, &a.city, &p.key("city")),
        state: text(ctx, &a.state, &p.key("state")),
        postal_code: ctx.opt(&a.zipcode, &p.key("zipcode")).map(|z| z.0.clone()),
        country: ctx.country(&a.country, &p.key("country")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_ids_mean_the_same_as_numbers_or_digit_strings() {
        let complete = Some(StatusType(OpenEnum::Known(StatusLabel::Complete)));
        for wire in ["3", " 3", "Complete", "complete"] {
            assert_eq!(StatusType::from_str(wire), complete, "{wire}");
        }
        assert_eq!(StatusType::from_i64(3), complete);
        assert_eq!(StatusType::from_str("11"), Some(StatusType(OpenEnum::Unknown("11".into()))));
    }
}
