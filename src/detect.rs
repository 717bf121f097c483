//! Which provider sent a body, and which event it is, from the body alone, on
//! evidence that only that provider sends (its envelope keys, its event names,
//! its id prefixes). One scan of the top-level keys that stops at the first
//! deciding one and skips values without allocating.

use std::fmt;

use serde::de::{Deserializer as _, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::field::Field;
use crate::options::DEFAULT_MAX_BYTES;
use crate::provider::Provider;

/// The message of the `unknown_provider` error.
pub(crate) const UNKNOWN_PROVIDER: &str =
    "body is not a Polar, Voucherify or Vrio order webhook; pass `provider` if you know it";

/// What [`detect`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Detected {
    /// The sender.
    pub provider: Provider,
    /// The provider's event name, when the body carries one (a bare Voucherify
    /// `data` object does not). `eventType` in JSON, as the JS API names it.
    #[serde(rename = "eventType")]
    pub event_type: Option<String>,
}

/// The provider and event type of a webhook body up to 1 MiB
/// ([`DEFAULT_MAX_BYTES`]), or `None` if it is none of Polar, Voucherify or
/// Vrio, not JSON before the deciding key, or too large.
///
/// It names the provider that [`crate::parse`] would read the body as, also when
/// the body has a syntax error after the key that decided it.
///
/// ```
/// use orderhook::{detect, Provider};
/// let d = detect(br#"{"webhook_type":"order","webhook_event":"order_updated","webhook_data":{}}"#).unwrap();
/// assert_eq!(d.provider, Provider::Vrio);
/// assert_eq!(d.event_type.as_deref(), Some("order_updated"));
/// // A Stripe event has `type` and `data` too, but nothing of Polar's own.
/// assert_eq!(detect(br#"{"id":"evt_1","object":"event","type":"charge.refunded","data":{}}"#), None);
/// ```
#[must_use]
pub fn detect(body: &[u8]) -> Option<Detected> {
    detect_within(body, DEFAULT_MAX_BYTES)
}

/// [`detect`] with the size limit of [`crate::Options::max_bytes`].
#[must_use]
pub fn detect_within(body: &[u8], max_bytes: usize) -> Option<Detected> {
    if body.len() > max_bytes {
        return None;
    }
    let text = std::str::from_utf8(body).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !text.trim_start().starts_with('{') {
        return None;
    }
    let found = scan(text, true).ok()?;
    Some(Detected { provider: found.provider?, event_type: found.event_type })
}

/// The provider only, for `parse`: stops at the deciding key, so a body is not
/// scanned twice. A syntax error before a decision is returned (and reported
/// with its position); one after it is left to the provider's own read.
pub(crate) fn provider_of(text: &str) -> Result<Option<Provider>, serde_json::Error> {
    scan(text, false).map(|f| f.provider)
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

#[derive(Default)]
struct Found {
    provider: Option<Provider>,
    event_type: Option<String>,
}

fn scan(text: &str, want_event_type: bool) -> Result<Found, serde_json::Error> {
    let mut found = Found::default();
    let mut de = serde_json::Deserializer::from_str(text);
    let scanned = de.deserialize_map(Scan { found: &mut found, want_event_type });
    match scanned {
        // Stopping early leaves the rest unread; an error past the decision is
        // the provider read's to report.
        Ok(()) => Ok(found),
        Err(_) if found.provider.is_some() => Ok(found),
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum TopKey {
    WebhookType,
    WebhookEvent,
    WebhookEventId,
    WebhookData,
    ProjectId,
    Event,
    Referrer,
    Redemption,
    Order,
    Timestamp,
    Type,
    Data,
    Object,
    Id,
    #[serde(other)]
    Other,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct EventProbe {
    #[serde(rename = "type")]
    type_: Field<String>,
    id: Field<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OrderProbe {
    object: Field<String>,
}

crate::field::lenient_struct!(EventProbe, OrderProbe);

/// Visits the top-level object and records what decides the provider:
/// - Vrio: its `webhook_*` envelope keys.
/// - Voucherify: a `project_id` of `proj_…`, an `event` whose `type` is one of
///   its `customer.…` events or whose `id` is `ev…_…`; or, for a bare `data`
///   object, an `order` with `"object": "order"` beside `referrer` or `redemption`.
/// - Polar: a `type` of one of its event families, beside `timestamp` or
///   `data`, in an envelope with no `object` or `id` (which Stripe's and
///   Voucherify's have and Polar's never has).
struct Scan<'a> {
    found: &'a mut Found,
    want_event_type: bool,
}

impl<'de> Visitor<'de> for Scan<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let found = self.found;
        let (mut polar_type, mut foreign_keys, mut polar_keys) = (None::<String>, false, false);
        let (mut bare_order, mut bare_sibling) = (false, false);
        while let Some(key) = map.next_key::<TopKey>()? {
            match key {
                TopKey::WebhookType | TopKey::WebhookEventId | TopKey::WebhookData => {
                    map.next_value::<IgnoredAny>()?;
                    found.provider = Some(Provider::Vrio);
                }
                TopKey::WebhookEvent => {
                    found.event_type = map.next_value::<Field<String>>()?.value().cloned();
                    found.provider = Some(Provider::Vrio);
                }
                TopKey::ProjectId => {
                    let id = map.next_value::<Field<String>>()?;
                    if id.value().is_some_and(|v| v.starts_with("proj_")) {
                        found.provider = Some(Provider::Voucherify);
                    }
                    foreign_keys = true;
                }
                TopKey::Event => {
                    let event = map.next_value::<Field<EventProbe>>()?;
                    if let Some(e) = event.value() {
                        let t = e.type_.value();
                        let voucherify_type = t.is_some_and(|t| t.starts_with("customer."));
                        let voucherify_id = e.id.value().is_some_and(|id| id.starts_with("ev") && id.contains('_'));
                        if voucherify_type || voucherify_id {
                            found.provider = Some(Provider::Voucherify);
                            found.event_type = t.cloned();
                        }
                    }
                }
                TopKey::Order => {
                    let order = map.next_value::<Field<OrderProbe>>()?;
                    bare_order = order.value().and_then(|o| o.object.value()).is_some_and(|o| o == "order");
                }
                TopKey::Referrer | TopKey::Redemption => {
                    map.next_value::<IgnoredAny>()?;
                    bare_sibling = true;
                }
                TopKey::Type => {
                    polar_type = map.next_value::<Field<String>>()?.value().filter(|t| is_polar_event(t)).cloned();
                }
                TopKey::Timestamp | TopKey::Data => {
                    polar_keys = true;
                    // Once this decides Polar, the value is left unread: the rest is Polar's read.
                    if polar_type.is_none() || foreign_keys {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                TopKey::Object | TopKey::Id => {
                    map.next_value::<IgnoredAny>()?;
                    foreign_keys = true;
                }
                TopKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            if bare_order && bare_sibling {
                found.provider = Some(Provider::Voucherify);
            }
            // In either key order: a re-serialized body may put `data` before `type`.
            if polar_type.is_some() && polar_keys && !foreign_keys {
                found.provider = Some(Provider::Polar);
                found.event_type = polar_type.take();
            }
            if found.provider.is_some() && (!self.want_event_type || found.event_type.is_some()) {
                return Ok(());
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polar_is_one_of_its_event_names_in_its_envelope() {
        let d = detect(br#"{"type":"order.paid","timestamp":"2026-01-01T00:00:00Z","data":{"id":"x"}}"#).unwrap();
        assert_eq!(d, Detected { provider: Provider::Polar, event_type: Some("order.paid".into()) });
        let old = detect(br#"{"type":"order.created","data":{"id":"x"}}"#).unwrap();
        assert_eq!(old.provider, Provider::Polar);
        let sorted = detect(br#"{"data":{"id":"x"},"timestamp":"2026-01-01T00:00:00Z","type":"order.paid"}"#).unwrap();
        assert_eq!(sorted.provider, Provider::Polar);
    }

    #[test]
    fn voucherify_envelope_uses_event_type_not_top_level_type() {
        let d = detect(br#"{"id":"whs_1","project_id":"proj_1","type":"Order-paid","data":{},"event":{"type":"customer.order.paid"}}"#)
            .unwrap();
        assert_eq!(d, Detected { provider: Provider::Voucherify, event_type: Some("customer.order.paid".into()) });
    }

    #[test]
    fn bare_voucherify_data_is_an_order_object_beside_its_siblings() {
        let d = detect(br#"{"customer":{},"order":{"id":"ord_1","object":"order"},"redemption":null}"#).unwrap();
        assert_eq!(d, Detected { provider: Provider::Voucherify, event_type: None });
        assert_eq!(detect(br#"{"order":{"id":"1"},"referrer":null}"#), None);
    }

    #[test]
    fn other_senders_shapes_are_not_taken_for_ours() {
        for body in [
            r#"{"type":"invoice.paid","timestamp":"2026-01-01T00:00:00Z","data":{}}"#,
            r#"{"id":"evt_1","object":"event","type":"refund.created","data":{"object":{}}}"#,
            r#"{"object":"event","type":"order.paid","data":{}}"#,
            r#"{"event":{"type":"push"},"order":{}}"#,
            r#"{"referrer":"x","redemption":null}"#,
        ] {
            assert_eq!(detect(body.as_bytes()), None, "{body}");
        }
    }

    #[test]
    fn a_syntax_error_after_the_deciding_key_keeps_the_provider() {
        assert_eq!(provider_of(r#"{"webhook_event":"order_updated", "rest": [1, 2"#).unwrap(), Some(Provider::Vrio));
        let d = detect(br#"{"type":"order.paid","timestamp":"x","data":{"id":1,}}"#).unwrap();
        assert_eq!(d.provider, Provider::Polar);
        assert!(provider_of(r#"{"type":"order.paid""#).is_err());
    }

    #[test]
    fn non_webhooks_non_json_and_oversized_bodies_are_not_detected() {
        assert_eq!(detect(br#"{"hello":"world"}"#), None);
        assert_eq!(detect(b"[1,2]"), None);
        assert_eq!(detect(b"{not json"), None);
        assert_eq!(detect(b"\xff\xfe"), None);
        let body = br#"{"webhook_event":"order_updated"}"#;
        assert!(detect_within(body, body.len()).is_some());
        assert_eq!(detect_within(body, body.len() - 1), None);
    }
}
