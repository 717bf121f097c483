//! Which provider sent a body, and which event it is, from the body alone. One
//! scan that keeps only a few top-level keys and skips everything else without
//! allocating.

use std::fmt;

use serde::de::{Deserializer as _, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::field::Field;
use crate::providers::Provider;

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

#[derive(Deserialize, Default)]
#[serde(default)]
struct Probe {
    #[serde(rename = "type")]
    type_: Field<String>,
    event: Field<EventProbe>,
    webhook_event: Field<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct EventProbe {
    #[serde(rename = "type")]
    type_: Field<String>,
}

crate::lenient_struct!(EventProbe);

/// The provider and event type of a webhook body, or `None` if it is none of
/// Polar, Voucherify or Vrio (or not JSON).
///
/// ```
/// use orderhook::{detect, Provider};
/// let d = detect(br#"{"webhook_type":"order","webhook_event":"order_updated","webhook_data":{}}"#).unwrap();
/// assert_eq!(d.provider, Provider::Vrio);
/// assert_eq!(d.event_type.as_deref(), Some("order_updated"));
/// ```
pub fn detect(body: &[u8]) -> Option<Detected> {
    let text = std::str::from_utf8(body).ok()?;
    detect_str(text.strip_prefix('\u{feff}').unwrap_or(text)).ok().flatten()
}

/// [`detect`] on text, keeping JSON syntax errors so `parse` can report them.
pub(crate) fn detect_str(text: &str) -> Result<Option<Detected>, serde_json::Error> {
    // Only objects can be webhooks; anything else is "not detected", not an error.
    if !text.trim_start().starts_with('{') {
        return serde_json::from_str::<IgnoredAny>(text).map(|_| None);
    }
    // The provider is decided exactly as `parse` decides it, so the two never disagree.
    let Some(provider) = provider_of(text)? else { return Ok(None) };
    let p: Probe = serde_json::from_str(text)?;
    let event_type = match provider {
        Provider::Vrio => p.webhook_event.value().cloned(),
        Provider::Voucherify => p.event.value().and_then(|e| e.type_.value().cloned()),
        Provider::Polar => p.type_.value().cloned(),
    };
    Ok(Some(Detected { provider, event_type }))
}

/// The provider only, for `parse`: stops reading at the first top-level key that
/// decides it (`webhook_*`, `project_id`, `event`, `timestamp`, …), so a body is
/// not scanned twice. Syntax errors after that point are left to the provider's
/// own parse, which reports them with their position.
pub(crate) fn provider_of(text: &str) -> Result<Option<Provider>, serde_json::Error> {
    let mut decided = None;
    let mut de = serde_json::Deserializer::from_str(text);
    let scanned = de.deserialize_map(Early { decided: &mut decided });
    match (decided, scanned) {
        (Some(p), _) => Ok(Some(p)),
        (None, Ok(polar_shape)) => Ok(polar_shape.then_some(Provider::Polar)),
        (None, Err(e)) => Err(e),
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
    #[serde(other)]
    Other,
}

/// Visits the top-level object until a key decides the provider; returns
/// whether the whole object had Polar's `type` + `data` shape.
struct Early<'a> {
    decided: &'a mut Option<Provider>,
}

impl<'de> Visitor<'de> for Early<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let (mut has_type, mut has_data) = (false, false);
        while let Some(key) = map.next_key::<TopKey>()? {
            let provider = match key {
                TopKey::WebhookType | TopKey::WebhookEvent | TopKey::WebhookEventId | TopKey::WebhookData => {
                    Some(Provider::Vrio)
                }
                // Only a bare Voucherify `data` object has a top-level `order`.
                TopKey::ProjectId | TopKey::Event | TopKey::Referrer | TopKey::Redemption | TopKey::Order => {
                    Some(Provider::Voucherify)
                }
                TopKey::Timestamp => Some(Provider::Polar),
                TopKey::Type => {
                    has_type = matches!(map.next_value::<Field<String>>()?, Field::Value(_));
                    None
                }
                TopKey::Data => {
                    has_data = true;
                    map.next_value::<IgnoredAny>()?;
                    None
                }
                TopKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                    None
                }
            };
            if provider.is_some() {
                *self.decided = provider;
                // Stop here: serde_json then reports the unread rest as an
                // error, which `provider_of` ignores because it has an answer.
                return Ok(false);
            }
        }
        Ok(has_type && has_data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polar_is_type_plus_data() {
        let d = detect(br#"{"type":"order.paid","timestamp":"2026-01-01T00:00:00Z","data":{"id":"x"}}"#).unwrap();
        assert_eq!(d, Detected { provider: Provider::Polar, event_type: Some("order.paid".into()) });
    }

    #[test]
    fn voucherify_envelope_uses_event_type_not_top_level_type() {
        let d =
            detect(br#"{"id":"whs_1","type":"Order-paid","data":{},"event":{"type":"customer.order.paid"}}"#).unwrap();
        assert_eq!(d, Detected { provider: Provider::Voucherify, event_type: Some("customer.order.paid".into()) });
    }

    #[test]
    fn bare_voucherify_data_is_recognised_by_order_object() {
        let d = detect(br#"{"customer":{},"order":{"id":"ord_1","object":"order"},"redemption":null}"#).unwrap();
        assert_eq!(d, Detected { provider: Provider::Voucherify, event_type: None });
    }

    #[test]
    fn the_provider_alone_is_decided_by_the_first_telling_key() {
        assert_eq!(provider_of(r#"{"webhook_event":"order_updated", "rest": [1, 2"#).unwrap(), Some(Provider::Vrio));
        assert_eq!(provider_of(r#"{"id":"whs_1","project_id":"p","data":{}}"#).unwrap(), Some(Provider::Voucherify));
        assert_eq!(provider_of(r#"{"customer":{},"referrer":null}"#).unwrap(), Some(Provider::Voucherify));
        assert_eq!(provider_of(r#"{"type":"order.paid","timestamp":"x"}"#).unwrap(), Some(Provider::Polar));
        assert_eq!(provider_of(r#"{"data":{},"type":"order.paid"}"#).unwrap(), Some(Provider::Polar));
        assert_eq!(provider_of(r#"{"type":"x"}"#).unwrap(), None);
        assert!(provider_of(r#"{"type":"x""#).is_err());
    }

    #[test]
    fn non_webhooks_and_non_json_are_not_detected() {
        assert_eq!(detect(br#"{"hello":"world"}"#), None);
        assert_eq!(detect(b"[1,2]"), None);
        assert_eq!(detect(b"{not json"), None);
        assert_eq!(detect(b"\xff\xfe"), None);
    }
}
