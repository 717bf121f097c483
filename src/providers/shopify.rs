//! Shopify order webhooks: the REST Order (`orders/create`, `updated`, `paid`,
//! `cancelled`, `fulfilled`, `partially_fulfilled`) or Refund (`refunds/create`)
//! as the body, the topic in the `X-Shopify-Topic` header (the `event_type` option).
//!
//! Money is decimal strings in the shop `currency` (`"62.45"`), read exactly with its
//! exponent; `*_set.presentment_money` (the customer's currency) is not read. Times
//! carry offsets (`-04:00`). Shopify publishes no schema for webhook bodies, so only
//! what orderhook cannot do without is required (`id`, `currency`, line item `id`,
//! `quantity`, `price`; a Refund's `id` and `order_id`). Facts and sources:
//! `docs/providers/shopify.md`.
//!
//! | Shopify | normalized |
//! |---|---|
//! | `cancelled_at` set | `canceled` |
//! | `financial_status` `pending` | `pending` |
//! | `authorized`, `partially_paid` | `processing` |
//! | `paid` with `fulfillment_status` `fulfilled` | `fulfilled` |
//! | `paid` | `paid` |
//! | `partially_refunded` | `partially_refunded` |
//! | `refunded` | `refunded` |
//! | `voided`, `expired` | `canceled` |
//! | anything else | `unknown` + warning |
//! | a Refund body | `unknown` (a refund carries no order status) |

use serde::Deserialize;

use super::{read, status_table, Calc, Ctx, DeliveryId, Provider, Signature, Spec};
use crate::detect::{Evidence, Top};
use crate::event::{Address, Customer, Item, Kind, Order, OrderEvent, Status};
use crate::field::{lenient_struct, Field, List};
use crate::issue::{quote, Code, Path};
use crate::money::{Currency, MinorUnits};
use crate::scalar::{DecimalText, Id, KnownValue, OpenEnum};
use crate::time::Timestamp;

/// The webhook body: an Order or a Refund (the topic, or `admin_graphql_api_id`,
/// says which); the fields of the other resource are absent.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Body {
    pub(crate) id: Field<Id>,
    /// `gid://shopify/Order/<id>` or `gid://shopify/Refund/<id>`.
    pub(crate) admin_graphql_api_id: Field<String>,
    pub(crate) name: Field<String>,
    pub(crate) currency: Field<String>,
    /// Read as a string and classified in `normalize` (one wire type less: each costs code).
    pub(crate) financial_status: Field<String>,
    pub(crate) fulfillment_status: Field<String>,
    pub(crate) cancelled_at: Field<String>,
    pub(crate) created_at: Field<String>,
    pub(crate) updated_at: Field<String>,
    /// Before discounts: orderhook's `subtotal` (`subtotal_price` is after them).
    pub(crate) total_line_items_price: Field<DecimalText>,
    pub(crate) total_discounts: Field<DecimalText>,
    pub(crate) total_tax: Field<DecimalText>,
    pub(crate) total_price: Field<DecimalText>,
    /// No plain-string twin exists for shipping.
    pub(crate) total_shipping_price_set: Field<MoneyBag>,
    pub(crate) email: Field<String>,
    pub(crate) phone: Field<String>,
    pub(crate) customer: Field<ShopifyCustomer>,
    pub(crate) billing_address: Field<ShopifyAddress>,
    pub(crate) shipping_address: Field<ShopifyAddress>,
    pub(crate) line_items: Field<List<LineItem>>,
    pub(crate) refunds: Field<List<OrderRefund>>,
    /// Refund.
    pub(crate) order_id: Field<Id>,
    /// Refund.
    pub(crate) transactions: Field<List<Transaction>>,
    /// Refund.
    pub(crate) refund_line_items: Field<List<RefundLineItem>>,
    /// Refund: its shop money names the shop currency (a Refund has no `currency`).
    pub(crate) total_duties_set: Field<MoneyBag>,
}

/// `{shop_money, presentment_money}`; only the shop's is read.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct MoneyBag {
    pub(crate) shop_money: Field<Money>,
}

/// One amount in one currency.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Money {
    pub(crate) amount: Field<DecimalText>,
    pub(crate) currency_code: Field<String>,
}

/// The order's customer (`null` for guest and many POS orders).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ShopifyCustomer {
    pub(crate) id: Field<Id>,
    pub(crate) email: Field<String>,
    pub(crate) first_name: Field<String>,
    pub(crate) last_name: Field<String>,
    pub(crate) phone: Field<String>,
}

/// `billing_address` / `shipping_address`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ShopifyAddress {
    pub(crate) name: Field<String>,
    pub(crate) first_name: Field<String>,
    pub(crate) last_name: Field<String>,
    pub(crate) address1: Field<String>,
    pub(crate) address2: Field<String>,
    pub(crate) city: Field<String>,
    pub(crate) province: Field<String>,
    pub(crate) province_code: Field<String>,
    pub(crate) zip: Field<String>,
    pub(crate) country_code: Field<String>,
}

/// A line item.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct LineItem {
    pub(crate) id: Field<Id>,
    pub(crate) product_id: Field<Id>,
    pub(crate) sku: Field<String>,
    pub(crate) name: Field<String>,
    pub(crate) title: Field<String>,
    pub(crate) quantity: Field<i64>,
    /// Unit price.
    pub(crate) price: Field<DecimalText>,
    /// Shopify's recommended source of line discounts (`total_discount` is not).
    pub(crate) discount_allocations: Field<List<Part>>,
    pub(crate) tax_lines: Field<List<Part>>,
}

/// A discount allocated to a line (its `amount`) or a tax on it (its `price`; the
/// `rate` is a float and not read). One type for both: each wire type costs code.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Part {
    pub(crate) amount: Field<DecimalText>,
    pub(crate) price: Field<DecimalText>,
}

/// A refund inside an order's `refunds`: only its transactions are read.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct OrderRefund {
    pub(crate) transactions: Field<List<Transaction>>,
}

/// A payment transaction; `currency` may be `null` (Shopify's own sample).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Transaction {
    pub(crate) kind: Field<String>,
    pub(crate) status: Field<String>,
    pub(crate) amount: Field<DecimalText>,
    pub(crate) currency: Field<String>,
}

/// A refunded line; its `subtotal` and `total_tax` are JSON floats, so their
/// `*_set` strings are read instead.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct RefundLineItem {
    pub(crate) line_item_id: Field<Id>,
    pub(crate) quantity: Field<i64>,
    pub(crate) subtotal_set: Field<MoneyBag>,
    pub(crate) total_tax_set: Field<MoneyBag>,
    pub(crate) line_item: Field<LineItem>,
}

lenient_struct!(
    MoneyBag,
    Money,
    ShopifyCustomer,
    ShopifyAddress,
    LineItem,
    Part,
    OrderRefund,
    Transaction,
    RefundLineItem
);

/// `financial_status` (REST spelling of `OrderDisplayFinancialStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FinancialStatus {
    Pending,
    Authorized,
    PartiallyPaid,
    Paid,
    PartiallyRefunded,
    Refunded,
    Voided,
    Expired,
}

impl KnownValue for FinancialStatus {
    const VALUES: &'static [(&'static str, Self)] = &[
        ("pending", FinancialStatus::Pending),
        ("authorized", FinancialStatus::Authorized),
        ("partially_paid", FinancialStatus::PartiallyPaid),
        ("paid", FinancialStatus::Paid),
        ("partially_refunded", FinancialStatus::PartiallyRefunded),
        ("refunded", FinancialStatus::Refunded),
        ("voided", FinancialStatus::Voided),
        ("expired", FinancialStatus::Expired),
    ];
}

/// `fulfillment_status`; `null` means unfulfilled. `pending` is not in the REST
/// reference but is in Shopify's older sample payloads (its test notification).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FulfillmentStatus {
    Fulfilled,
    Partial,
    Restocked,
    Pending,
}

impl KnownValue for FulfillmentStatus {
    const VALUES: &'static [(&'static str, Self)] = &[
        ("fulfilled", FulfillmentStatus::Fulfilled),
        ("partial", FulfillmentStatus::Partial),
        ("restocked", FulfillmentStatus::Restocked),
        ("pending", FulfillmentStatus::Pending),
    ];
}

/// Shopify's order topics and what they mean.
pub const EVENT_TYPES: [(&str, Kind); 7] = [
    ("orders/create", Kind::Created),
    ("orders/updated", Kind::Updated),
    ("orders/paid", Kind::Paid),
    ("orders/cancelled", Kind::Canceled),
    ("orders/fulfilled", Kind::Updated),
    ("orders/partially_fulfilled", Kind::Updated),
    ("refunds/create", Kind::Refunded),
];

/// What orderhook knows of Shopify.
pub(crate) const SPEC: Spec = Spec {
    title: "Shopify",
    events: &EVENT_TYPES,
    statuses: || {
        let mut table = status_table(|s| map_status(s, false));
        table.push(("fulfillment_status: fulfilled", Status::Fulfilled));
        table.push(("cancelled_at set", Status::Canceled));
        table
    },
    evidence: Evidence { keys: &[], values: &["admin_graphql_api_id"], decide },
    parse: |text, ctx| read(text, ctx, |body: &Wire, ctx| normalize(body, ctx)),
    signature: Some(Signature {
        headers: &["x-shopify-hmac-sha256", "x-shopify-webhook-id"],
        scheme: "base64 HMAC-SHA256 of the raw body with the app's client secret",
        // No timestamp is signed: the clock and tolerance do not apply.
        verify: |body, headers, secret, _, _, hmac| crate::verify::shopify_with(body, headers, secret, hmac),
    }),
    event_type_header: Some("x-shopify-topic"),
    // "A unique composite key for each delivery that you use to identify and deduplicate
    // individual deliveries" (shopify.dev webhooks reference, Headers). `X-Shopify-Event-Id`
    // is shared by every delivery of one merchant action (other topics, other
    // subscriptions), so de-duplicating on it would drop distinct deliveries.
    delivery_id: DeliveryId::Header { name: "x-shopify-webhook-id" },
    // "Webhooks will now be retried a total of 8 times over 4 hours using an exponential
    // backoff schedule", with the original payload (shopify.dev changelog, 2024-09-10,
    // "Updates to webhook retry mechanism"); 24 h leaves room for a backlog on its side.
    retry_horizon_hours: 24,
    // Every Shopify webhook body is JSON.
    non_json: None,
};

/// Shopify's wire type: an Order or a Refund (boxed: it is the largest of the wire types).
pub type Wire = Box<Body>;

/// `admin_graphql_api_id`, a `gid://shopify/…` that every REST resource in a
/// webhook carries and no other sender does. The topic is never in the body.
fn decide(top: &Top<'_>) -> Option<Option<String>> {
    top.string("admin_graphql_api_id").filter(|g| g.starts_with("gid://shopify/")).map(|_| None)
}

/// `orders/…` topics whose body is not an Order.
const OTHER_ORDER_TOPICS: [&str; 5] = [
    "orders/delete",
    "orders/edited",
    "orders/risk_assessment_changed",
    "orders/shopify_protect_eligibility_changed",
    "orders/link_requested",
];

/// The resource types orderhook reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Resource {
    Order,
    Refund,
}

/// The resource type in a `gid://shopify/<Type>/<id>`, if it is one.
fn gid_type(gid: &str) -> Option<&str> {
    let rest = gid.strip_prefix("gid://shopify/")?;
    rest.split_once('/').map(|(t, _)| t).filter(|t| !t.is_empty())
}

/// `orders/paid`, also when given as the GraphQL enum `ORDERS_PAID`.
fn canonical_topic(t: &str) -> String {
    let mut s = t.trim().to_ascii_lowercase();
    if !s.contains('/') {
        if let Some(i) = s.find('_') {
            s.replace_range(i..=i, "/");
        }
    }
    s
}

fn map_status(s: FinancialStatus, fulfilled: bool) -> Status {
    match s {
        FinancialStatus::Pending => Status::Pending,
        FinancialStatus::Authorized | FinancialStatus::PartiallyPaid => Status::Processing,
        FinancialStatus::Paid if fulfilled => Status::Fulfilled,
        FinancialStatus::Paid => Status::Paid,
        FinancialStatus::PartiallyRefunded => Status::PartiallyRefunded,
        FinancialStatus::Refunded => Status::Refunded,
        FinancialStatus::Voided | FinancialStatus::Expired => Status::Canceled,
    }
}

/// The kind a body without its topic most likely had, from the order's state.
fn inferred_kind(o: &Order) -> Kind {
    use FinancialStatus as F;
    if o.status == Status::Canceled {
        return Kind::Canceled;
    }
    match o.provider_status.as_deref().map(OpenEnum::<F>::from_wire) {
        Some(OpenEnum::Known(F::Refunded | F::PartiallyRefunded)) => Kind::Refunded,
        Some(OpenEnum::Known(F::Paid)) => Kind::Paid,
        Some(OpenEnum::Known(F::Pending | F::Authorized | F::PartiallyPaid)) => Kind::Created,
        Some(_) => Kind::Updated,
        None => Kind::Unknown,
    }
}

pub(crate) fn normalize(body: &Body, ctx: &mut Ctx<'_>) -> Option<OrderEvent> {
    let root = Path::Root;
    let gid_path = root.key("admin_graphql_api_id");
    let found = ctx.opt(&body.admin_graphql_api_id, &gid_path).and_then(|g| gid_type(g)).map(str::to_owned);
    let found_resource = match found.as_deref() {
        Some("Order") => Some(Resource::Order),
        Some("Refund") => Some(Resource::Refund),
        _ => None,
    };
    let topic = ctx.options.event_type.clone();
    let (event_type, kind, resource) = match topic {
        Some(given) => {
            let t = canonical_topic(&given);
            let (kind, resource) = match EVENT_TYPES.iter().find(|(name, _)| *name == t) {
                Some((name, k)) => (*k, if *name == "refunds/create" { Resource::Refund } else { Resource::Order }),
                None if t.starts_with("orders/") && !OTHER_ORDER_TOPICS.contains(&t.as_str()) => {
                    ctx.issues.lenient(
                        Code::UnknownEnum,
                        &root,
                        format!("unknown Shopify order topic {}; kind set to `unknown`", quote(&given)),
                    );
                    (Kind::Unknown, Resource::Order)
                }
                None => {
                    ctx.issues.error(
                        Code::UnsupportedEvent,
                        &root,
                        format!("Shopify topic {} is not an order event; orderhook reads orders/create, orders/updated, orders/paid, orders/cancelled, orders/fulfilled, orders/partially_fulfilled and refunds/create", quote(&given)),
                    );
                    return None;
                }
            };
            if let Some(other) = found.as_deref().filter(|_| found_resource != Some(resource)) {
                let want = if resource == Resource::Refund { "Refund" } else { "Order" };
                ctx.issues.error(
                    Code::InvalidValue,
                    &gid_path,
                    format!("topic {} sends a Shopify {want}, but the body is a Shopify {other}", quote(&given)),
                );
                return None;
            }
            (Some(given), Some(kind), resource)
        }
        None => match (found.as_deref(), found_resource) {
            (Some(other), None) => {
                ctx.issues.error(
                    Code::UnsupportedEvent,
                    &gid_path,
                    format!("the body is a Shopify {other}, not an order or a refund"),
                );
                return None;
            }
            // Without a usable gid, a Refund is the body with an `order_id` and no `currency`.
            (_, Some(r)) => (None, None, r),
            (_, None) if !body.order_id.is_missing() && body.currency.is_missing() => (None, None, Resource::Refund),
            (_, None) => (None, None, Resource::Order),
        },
    };
    let (occurred_at, order) = match resource {
        Resource::Order => normalize_order(body, ctx),
        Resource::Refund => normalize_refund(body, ctx),
    }?;
    let kind = match kind {
        Some(k) => k,
        None => {
            let k = if resource == Resource::Refund { Kind::Refunded } else { inferred_kind(&order) };
            ctx.issues.warning(
                Code::InferredEvent,
                &root,
                "Shopify sends the topic in the `X-Shopify-Topic` header, and none was given (`eventType`); kind inferred from the body",
            );
            k
        }
    };
    Some(OrderEvent { provider: Provider::Shopify, event_type, kind, event_id: None, occurred_at, order })
}

/// Reads decimal strings with the shop currency's exponent.
struct Shop {
    currency: Option<Currency>,
}

impl Shop {
    fn amount(&self, f: &Field<DecimalText>, ctx: &mut Ctx<'_>, p: &Path<'_>) -> Option<MinorUnits> {
        let d = ctx.opt(f, p)?;
        let exponent = self.currency?.exponent();
        match d.to_minor_units(exponent) {
            Ok(m) => Some(m),
            Err(e) => {
                ctx.issues.error(Code::InvalidValue, p, format!("{} is not an exact amount: {e}", quote(&d.0)));
                None
            }
        }
    }

    /// A required amount: absent or `null` is an error.
    fn required(&self, f: &Field<DecimalText>, ctx: &mut Ctx<'_>, p: &Path<'_>) -> Option<MinorUnits> {
        match f {
            Field::Missing | Field::Null => {
                ctx.req(f, p);
                None
            }
            _ => self.amount(f, ctx, p),
        }
    }

    /// `bag.shop_money.amount`, warning when its `currency_code` is not the shop's.
    fn shop_money(&self, f: &Field<MoneyBag>, ctx: &mut Ctx<'_>, p: &Path<'_>) -> Option<MinorUnits> {
        let mp = p.key("shop_money");
        let money = ctx.opt(f, p).and_then(|b| ctx.opt(&b.shop_money, &mp))?;
        let cp = mp.key("currency_code");
        if let (Some(code), Some(shop)) = (ctx.opt(&money.currency_code, &cp), self.currency) {
            if !code.eq_ignore_ascii_case(shop.as_str()) {
                let msg = format!("shop money in {} where the shop currency is {shop}; amount ignored", quote(code));
                ctx.issues.warning(Code::InvalidValue, &cp, msg);
                return None;
            }
        }
        self.amount(&money.amount, ctx, &mp.key("amount"))
    }

    /// Σ `amount` of successful refund transactions; `None` (warned) when one is
    /// in another currency than the shop's, since it cannot be added exactly.
    fn refunded(&self, list: &List<Transaction>, total: &mut Calc, ctx: &mut Ctx<'_>, p: &Path<'_>) {
        for (i, t) in list.iter().enumerate() {
            let tp = p.index(i);
            let Some(t) = ctx.opt(t, &tp) else { continue };
            let kind = ctx.opt(&t.kind, &tp.key("kind"));
            let status = ctx.opt(&t.status, &tp.key("status"));
            let cp = tp.key("currency");
            let code = ctx.opt(&t.currency, &cp);
            let amount = self.amount(&t.amount, ctx, &tp.key("amount"));
            if kind.map(String::as_str) != Some("refund") || status.map(String::as_str) != Some("success") {
                continue;
            }
            if let (Some(code), Some(shop)) = (code, self.currency) {
                if !code.eq_ignore_ascii_case(shop.as_str()) {
                    let msg = format!(
                        "refund transaction in {}, not the shop currency {shop}; `refunded` is left null",
                        quote(code)
                    );
                    ctx.issues.warning(Code::InvalidValue, &cp, msg);
                    *total = Calc::Unknown;
                    continue;
                }
            }
            *total = total.plus(Calc::of(amount));
        }
    }
}

fn text(ctx: &mut Ctx<'_>, f: &Field<String>, p: &Path<'_>) -> Option<String> {
    ctx.string(f, p).filter(|s| !s.trim().is_empty())
}

fn shop_currency(code: &str, ctx: &mut Ctx<'_>, p: &Path<'_>) -> Option<Currency> {
    match Currency::parse(code) {
        Ok(c) => Some(c),
        Err(why) => {
            ctx.issues.error(Code::InvalidValue, p, format!("`currency` {} {why}", quote(code)));
            None
        }
    }
}

fn normalize_order(o: &Body, ctx: &mut Ctx<'_>) -> Option<(Option<Timestamp>, Order)> {
    let root = Path::Root;
    let id = ctx.req(&o.id, &root.key("id")).map(|i| i.0.clone());
    let currency_path = root.key("currency");
    let currency = ctx.req(&o.currency, &currency_path).and_then(|c| shop_currency(c, ctx, &currency_path));
    let shop = Shop { currency };

    let fp = root.key("fulfillment_status");
    let fulfilled = match ctx.opt(&o.fulfillment_status, &fp).map(|s| OpenEnum::<FulfillmentStatus>::from_wire(s)) {
        Some(OpenEnum::Known(f)) => f == FulfillmentStatus::Fulfilled,
        Some(OpenEnum::Unknown(raw)) => {
            let msg = format!("unknown Shopify fulfillment status {}", quote(&raw));
            ctx.issues.lenient(Code::UnknownEnum, &fp, msg);
            false
        }
        None => false,
    };
    let cancelled_at = ctx.timestamp(&o.cancelled_at, &root.key("cancelled_at"));
    let sp = root.key("financial_status");
    let (mut status, provider_status) = match ctx
        .opt(&o.financial_status, &sp)
        .map(|s| OpenEnum::<FinancialStatus>::from_wire(s))
    {
        Some(known @ OpenEnum::Known(s)) => (map_status(s, fulfilled), Some(known.to_string())),
        Some(OpenEnum::Unknown(raw)) => {
            let msg = format!("unknown Shopify financial status {}; status set to `unknown`", quote(&raw));
            ctx.issues.lenient(Code::UnknownEnum, &sp, msg);
            (Status::Unknown, Some(raw))
        }
        None => {
            match o.financial_status {
                Field::Missing => ctx.issues.warning(
                    Code::MissingField,
                    &sp,
                    "the order has no `financial_status` (an `include_fields` subscription may leave it out); status set to `unknown`",
                ),
                Field::Null => {
                    ctx.issues.warning(Code::InvalidValue, &sp, "`financial_status` is null; status set to `unknown`")
                }
                _ => {}
            }
            (Status::Unknown, None)
        }
    };
    if cancelled_at.is_some() {
        status = Status::Canceled;
    }
    let created_at = ctx.timestamp(&o.created_at, &root.key("created_at"));
    let updated_at = ctx.timestamp(&o.updated_at, &root.key("updated_at"));

    let subtotal_path = root.key("total_line_items_price");
    let subtotal = shop.amount(&o.total_line_items_price, ctx, &subtotal_path);
    let discount = shop.amount(&o.total_discounts, ctx, &root.key("total_discounts"));
    let tax = shop.amount(&o.total_tax, ctx, &root.key("total_tax"));
    let total = shop.amount(&o.total_price, ctx, &root.key("total_price"));
    let shipping = shop.shop_money(&o.total_shipping_price_set, ctx, &root.key("total_shipping_price_set"));

    let refunds_path = root.key("refunds");
    let refunded = ctx.list(&o.refunds, &refunds_path).map(|list| {
        let mut sum = Calc::Value(MinorUnits::ZERO);
        for (i, r) in list.iter().enumerate() {
            let rp = refunds_path.index(i);
            if let Some(r) = ctx.opt(r, &rp) {
                let tp = rp.key("transactions");
                if let Some(ts) = ctx.list(&r.transactions, &tp) {
                    shop.refunded(ts, &mut sum, ctx, &tp);
                }
            }
        }
        sum
    });
    let refunded = match refunded {
        Some(sum) => ctx.derived("the refund transactions' sum", sum, &refunds_path),
        None => None,
    };

    let items_path = root.key("line_items");
    let mut items = Vec::new();
    let mut gross = Vec::new();
    if let Some(list) = ctx.list(&o.line_items, &items_path) {
        items.reserve(list.len());
        for (i, it) in list.iter().enumerate() {
            let ip = items_path.index(i);
            if let Some(it) = ctx.req(it, &ip) {
                let (item, line_gross) = line_item(it, &shop, ctx, &ip);
                items.push(item);
                gross.push(line_gross);
            }
        }
    }
    if !gross.is_empty() {
        ctx.check_sum("the line items' price × quantity", Calc::sum(gross), subtotal, &subtotal_path);
    }

    let email = text(ctx, &o.email, &root.key("email"));
    let phone = text(ctx, &o.phone, &root.key("phone"));
    let cp = root.key("customer");
    let customer = match ctx.opt(&o.customer, &cp) {
        Some(c) => {
            let first = text(ctx, &c.first_name, &cp.key("first_name"));
            let last = text(ctx, &c.last_name, &cp.key("last_name"));
            Some(Customer {
                id: ctx.opt(&c.id, &cp.key("id")).map(|i| i.0.clone()),
                external_id: None,
                email: text(ctx, &c.email, &cp.key("email")).or(email),
                name: join_name(first, last),
                phone: text(ctx, &c.phone, &cp.key("phone")).or(phone),
            })
        }
        None if email.is_some() || phone.is_some() => Some(Customer { email, phone, ..Customer::default() }),
        None => None,
    };
    let bp = root.key("billing_address");
    let billing_address = ctx.opt(&o.billing_address, &bp).map(|a| address(a, ctx, &bp));
    let shp = root.key("shipping_address");
    let shipping_address = ctx.opt(&o.shipping_address, &shp).map(|a| address(a, ctx, &shp));

    let number = text(ctx, &o.name, &root.key("name"));
    let order = Order {
        id: id?,
        number,
        status,
        provider_status,
        currency: Some(currency?),
        currency_digits: currency.map(|c| c.exponent()),
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
    };
    // The order's last change is what triggered the delivery; the body has no event time.
    Some((updated_at, order))
}

/// An item, and its price × quantity for the cross-check with `total_line_items_price`.
fn line_item(it: &LineItem, shop: &Shop, ctx: &mut Ctx<'_>, p: &Path<'_>) -> (Item, Option<MinorUnits>) {
    let qp = p.key("quantity");
    let quantity = ctx.req(&it.quantity, &qp).and_then(|q| ctx.quantity(*q, &qp));
    let pp = p.key("price");
    let unit_price = shop.required(&it.price, ctx, &pp);
    let gross = match (unit_price, quantity) {
        (Some(u), Some(q)) => {
            ctx.derived("price × quantity", u.checked_mul(q).map_or(Calc::Overflow, Calc::Value), &pp)
        }
        _ => None,
    };
    let discount =
        sum_list(&it.discount_allocations, &p.key("discount_allocations"), ctx, |a| &a.amount, "amount", shop);
    let tax = sum_list(&it.tax_lines, &p.key("tax_lines"), ctx, |t| &t.price, "price", shop);
    let total = match discount {
        Some(d) => ctx.derived("price × quantity − discounts", Calc::of(gross).minus(Calc::Value(d)), &pp),
        None => gross,
    };
    let name = text(ctx, &it.name, &p.key("name"));
    let title = text(ctx, &it.title, &p.key("title"));
    let item = Item {
        id: ctx.req(&it.id, &p.key("id")).map(|i| i.0.clone()),
        product_id: ctx.opt(&it.product_id, &p.key("product_id")).map(|i| i.0.clone()),
        sku: text(ctx, &it.sku, &p.key("sku")),
        name: name.or(title),
        quantity: quantity.unwrap_or(0),
        unit_price,
        discount,
        tax,
        total,
    };
    (item, gross)
}

/// The sum of one decimal field over a list; `None` when the list is absent.
fn sum_list<T: crate::field::Lenient>(
    f: &Field<List<T>>,
    p: &Path<'_>,
    ctx: &mut Ctx<'_>,
    field: fn(&T) -> &Field<DecimalText>,
    key: &'static str,
    shop: &Shop,
) -> Option<MinorUnits> {
    let list = ctx.list(f, p)?;
    let mut parts = Vec::with_capacity(list.len());
    for (i, el) in list.iter().enumerate() {
        let ep = p.index(i);
        if let Some(el) = ctx.opt(el, &ep) {
            parts.push(shop.amount(field(el), ctx, &ep.key(key)));
        }
    }
    ctx.derived("the sum", Calc::sum(parts), p)
}

fn normalize_refund(r: &Body, ctx: &mut Ctx<'_>) -> Option<(Option<Timestamp>, Order)> {
    let root = Path::Root;
    ctx.req(&r.id, &root.key("id"));
    let order_id = ctx.req(&r.order_id, &root.key("order_id")).map(|i| i.0.clone());
    let occurred_at = ctx.timestamp(&r.created_at, &root.key("created_at"));
    let currency = refund_currency(r, ctx);
    let shop = Shop { currency };

    let lines_path = root.key("refund_line_items");
    let mut items = Vec::new();
    if let Some(list) = ctx.list(&r.refund_line_items, &lines_path) {
        for (i, l) in list.iter().enumerate() {
            let lp = lines_path.index(i);
            let Some(l) = ctx.req(l, &lp) else { continue };
            let qp = lp.key("quantity");
            let quantity = ctx.opt(&l.quantity, &qp).and_then(|q| ctx.quantity(*q, &qp));
            let lip = lp.key("line_item");
            let li = ctx.opt(&l.line_item, &lip);
            let (product_id, sku, name, unit_price) = match li {
                Some(li) => {
                    let name = text(ctx, &li.name, &lip.key("name"));
                    let title = text(ctx, &li.title, &lip.key("title"));
                    (
                        ctx.opt(&li.product_id, &lip.key("product_id")).map(|i| i.0.clone()),
                        text(ctx, &li.sku, &lip.key("sku")),
                        name.or(title),
                        shop.amount(&li.price, ctx, &lip.key("price")),
                    )
                }
                None => (None, None, None, None),
            };
            items.push(Item {
                id: ctx.opt(&l.line_item_id, &lp.key("line_item_id")).map(|i| i.0.clone()),
                product_id,
                sku,
                name,
                quantity: quantity.unwrap_or(0),
                unit_price,
                discount: None,
                tax: shop.shop_money(&l.total_tax_set, ctx, &lp.key("total_tax_set")),
                total: shop.shop_money(&l.subtotal_set, ctx, &lp.key("subtotal_set")),
            });
        }
    }
    let tp = root.key("transactions");
    let refunded = ctx.list(&r.transactions, &tp).and_then(|ts| {
        let mut sum = Calc::Value(MinorUnits::ZERO);
        shop.refunded(ts, &mut sum, ctx, &tp);
        ctx.derived("the refund transactions' sum", sum, &tp)
    });
    let order = Order {
        id: order_id?,
        number: None,
        status: Status::Unknown,
        provider_status: None,
        currency,
        currency_digits: currency.map(|c| c.exponent()),
        subtotal: None,
        discount: None,
        tax: None,
        shipping: None,
        total: None,
        refunded,
        items,
        customer: None,
        billing_address: None,
        shipping_address: None,
        created_at: None,
        updated_at: None,
        metadata: None,
    };
    Some((occurred_at, order))
}

/// A Refund has no `currency`: the shop's is in its MoneyBags' `shop_money`, else
/// in a transaction, else the caller's `currency` option.
fn refund_currency(r: &Body, ctx: &mut Ctx<'_>) -> Option<Currency> {
    fn code(bag: &Field<MoneyBag>) -> Option<&str> {
        bag.value()?.shop_money.value()?.currency_code.value().map(String::as_str)
    }
    // `total_duties_set` is read here only; the others are read (and reported) where their amounts are.
    let dp = Path::Root.key("total_duties_set");
    let mp = dp.key("shop_money");
    let duties = ctx.opt(&r.total_duties_set, &dp).and_then(|b| ctx.opt(&b.shop_money, &mp));
    let cp = mp.key("currency_code");
    let from_duties = duties.and_then(|m| ctx.opt(&m.currency_code, &cp)).and_then(|c| {
        let cur = Currency::new(c);
        if cur.is_none() {
            let msg = format!("{} is not an ISO 4217 code with a minor unit; ignored", quote(c));
            ctx.issues.warning(Code::InvalidValue, &cp, msg);
        }
        cur
    });
    let lines =
        r.refund_line_items.value().map(|l| l.iter().filter_map(|l| l.value().and_then(|l| code(&l.subtotal_set))));
    let transactions = r
        .transactions
        .value()
        .map(|ts| ts.iter().filter_map(|t| t.value().and_then(|t| t.currency.value().map(String::as_str))));
    let others = lines.into_iter().flatten().chain(transactions.into_iter().flatten());
    match from_duties.or_else(|| others.into_iter().find_map(Currency::new)) {
        Some(c) => Some(c),
        None => {
            let msg = "the refund names no currency (no shop money or transaction currency); amounts were not read";
            if ctx.options.currency.is_none() {
                ctx.issues.warning(Code::AssumedCurrency, &Path::Root, msg);
            }
            ctx.options.currency
        }
    }
}

fn join_name(first: Option<String>, last: Option<String>) -> Option<String> {
    let joined = [first, last].into_iter().flatten().collect::<Vec<_>>().join(" ");
    (!joined.is_empty()).then_some(joined)
}

fn address(a: &ShopifyAddress, ctx: &mut Ctx<'_>, p: &Path<'_>) -> Address {
    let first = text(ctx, &a.first_name, &p.key("first_name"));
    let last = text(ctx, &a.last_name, &p.key("last_name"));
    let name = text(ctx, &a.name, &p.key("name")).or_else(|| join_name(first, last));
    let province_code = text(ctx, &a.province_code, &p.key("province_code"));
    let province = text(ctx, &a.province, &p.key("province"));
    let cp = p.key("country_code");
    let country = if text(ctx, &a.country_code, &cp).is_some() { ctx.country(&a.country_code, &cp) } else { None };
    Address {
        name,
        line1: text(ctx, &a.address1, &p.key("address1")),
        line2: text(ctx, &a.address2, &p.key("address2")),
        city: text(ctx, &a.city, &p.key("city")),
        state: province_code.or(province),
        postal_code: text(ctx, &a.zip, &p.key("zip")),
        country,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_are_read_in_rest_and_graphql_spelling() {
        assert_eq!(canonical_topic("orders/paid"), "orders/paid");
        assert_eq!(canonical_topic("ORDERS_PAID"), "orders/paid");
        assert_eq!(canonical_topic("ORDERS_PARTIALLY_FULFILLED"), "orders/partially_fulfilled");
        assert_eq!(canonical_topic(" Refunds/Create "), "refunds/create");
    }

    #[test]
    fn gid_types_are_read_from_shopify_gids_only() {
        assert_eq!(gid_type("gid://shopify/Order/820982911946154508"), Some("Order"));
        assert_eq!(gid_type("gid://shopify/Refund/1"), Some("Refund"));
        assert_eq!(gid_type("gid://other/Order/1"), None);
        assert_eq!(gid_type("gid://shopify/Order"), None);
    }
}
