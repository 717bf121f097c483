//! The normalized model every provider maps into: [`OrderEvent`] and its parts.
//! Field names are snake_case, ids are strings, money is [`MinorUnits`], times
//! are UTC [`Timestamp`]s, and absent values are `None` (`null` in JSON).

use serde::Serialize;
use serde_json::value::RawValue;

use crate::money::{Currency, MinorUnits};
use crate::provider::Provider;
use crate::time::Timestamp;

/// What happened to the order, across providers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Kind {
    /// An order was created (it may not be paid yet).
    Created,
    /// An order changed.
    Updated,
    /// An order was paid.
    Paid,
    /// An order was refunded, fully or in part.
    Refunded,
    /// An order was canceled.
    Canceled,
    /// A cart was abandoned before purchase.
    Abandoned,
    /// None of the above.
    Unknown,
}

/// Where the order stands, across providers. The provider's own word is kept
/// in [`Order::provider_status`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Status {
    /// Created, not paid.
    Pending,
    /// Being worked on (payment in progress, subscription active).
    Processing,
    /// Paid.
    Paid,
    /// Paid and delivered.
    Fulfilled,
    /// Part of the payment was returned.
    PartiallyRefunded,
    /// The whole payment was returned.
    Refunded,
    /// Canceled, voided or declined.
    Canceled,
    /// Abandoned before purchase.
    Abandoned,
    /// A provider status this version does not know (see `provider_status`).
    Unknown,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 7] =
        [Kind::Created, Kind::Updated, Kind::Paid, Kind::Refunded, Kind::Canceled, Kind::Abandoned, Kind::Unknown];

    /// The snake_case word on the wire, e.g. `"paid"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Created => "created",
            Kind::Updated => "updated",
            Kind::Paid => "paid",
            Kind::Refunded => "refunded",
            Kind::Canceled => "canceled",
            Kind::Abandoned => "abandoned",
            Kind::Unknown => "unknown",
        }
    }
}

impl Status {
    /// Every status.
    pub const ALL: [Status; 9] = [
        Status::Pending,
        Status::Processing,
        Status::Paid,
        Status::Fulfilled,
        Status::PartiallyRefunded,
        Status::Refunded,
        Status::Canceled,
        Status::Abandoned,
        Status::Unknown,
    ];

    /// The snake_case word on the wire, e.g. `"partially_refunded"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Processing => "processing",
            Status::Paid => "paid",
            Status::Fulfilled => "fulfilled",
            Status::PartiallyRefunded => "partially_refunded",
            Status::Refunded => "refunded",
            Status::Canceled => "canceled",
            Status::Abandoned => "abandoned",
            Status::Unknown => "unknown",
        }
    }
}

/// One order event, normalized.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OrderEvent {
    /// Who sent it.
    pub provider: Provider,
    /// The provider's own event name (`order.paid`, `customer.order.paid`,
    /// `order_updated`); `None` when the body does not say.
    pub event_type: Option<String>,
    /// What happened, across providers.
    pub kind: Kind,
    /// The provider's id of this delivery, for de-duplication, when the body has one.
    pub event_id: Option<String>,
    /// When the provider says the event happened.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub occurred_at: Option<Timestamp>,
    /// The order.
    pub order: Order,
}

/// An order, normalized. Amounts are integer minor units of `currency`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Order {
    /// The provider's order id.
    pub id: String,
    /// A human-facing number (invoice number, merchant order id), if any.
    pub number: Option<String>,
    /// Normalized status.
    pub status: Status,
    /// The provider's status word, verbatim.
    pub provider_status: Option<String>,
    /// ISO 4217 code, upper case.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub currency: Option<Currency>,
    /// Decimal places of the amounts' minor unit (2 for EUR, 0 for JPY, 3 for
    /// KWD), so a display can write `1250` as `12.50` without a table of its own.
    /// Set without a `currency` when decimal strings were read with assumed
    /// places (Vrio, 2); `None` when the amounts' unit is unknown.
    pub currency_digits: Option<u8>,
    /// Sum of items before discounts and taxes.
    pub subtotal: Option<MinorUnits>,
    /// Total discount.
    pub discount: Option<MinorUnits>,
    /// Total tax.
    pub tax: Option<MinorUnits>,
    /// Shipping cost.
    pub shipping: Option<MinorUnits>,
    /// What the customer pays.
    pub total: Option<MinorUnits>,
    /// Amount refunded so far, tax included (comparable with `total`).
    pub refunded: Option<MinorUnits>,
    /// Line items.
    pub items: Vec<Item>,
    /// The buyer.
    pub customer: Option<Customer>,
    /// Billing address.
    pub billing_address: Option<Address>,
    /// Shipping address.
    pub shipping_address: Option<Address>,
    /// When the order was created.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub created_at: Option<Timestamp>,
    /// When the order last changed.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub updated_at: Option<Timestamp>,
    /// The provider's metadata object, untouched.
    #[cfg_attr(feature = "ts", ts(type = "Record<string, unknown> | null"))]
    pub metadata: Option<Box<RawValue>>,
}

/// A line item.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Item {
    /// The provider's line id.
    pub id: Option<String>,
    /// The product or offer id.
    pub product_id: Option<String>,
    /// Stock-keeping unit.
    pub sku: Option<String>,
    /// What the customer sees.
    pub name: Option<String>,
    /// How many.
    pub quantity: i64,
    /// Price of one unit.
    pub unit_price: Option<MinorUnits>,
    /// Discount on the line.
    pub discount: Option<MinorUnits>,
    /// Tax on the line.
    pub tax: Option<MinorUnits>,
    /// Line total after line-level discounts, before tax (Polar has no line
    /// discounts; Vrio's is unit price × quantity).
    pub total: Option<MinorUnits>,
}

/// The buyer.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Customer {
    /// The provider's customer id.
    pub id: Option<String>,
    /// The merchant's own id for the customer.
    pub external_id: Option<String>,
    /// Email address, as sent.
    pub email: Option<String>,
    /// Full name.
    pub name: Option<String>,
    /// Phone number, as sent.
    pub phone: Option<String>,
}

/// A postal address; `country` is ISO 3166-1 alpha-2.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Address {
    /// Addressee.
    pub name: Option<String>,
    /// Street line 1.
    pub line1: Option<String>,
    /// Street line 2.
    pub line2: Option<String>,
    /// City.
    pub city: Option<String>,
    /// State or region, without a country prefix (`CA`, not `US-CA`).
    pub state: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// ISO 3166-1 alpha-2, upper case.
    pub country: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_statuses_are_written_as_serde_names_them() {
        for k in Kind::ALL {
            assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{}\"", k.as_str()));
        }
        for s in Status::ALL {
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.as_str()));
        }
    }
}
