//! Which provider sent a body, and which event it is, from the body alone. One
//! scan that keeps only a few top-level keys and skips everything else without
//! allocating.

use serde::de::IgnoredAny;
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
    /// `data` object does not).
    pub event_type: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Probe {
    #[serde(rename = "type")]
    type_: Field<String>,
    data: Option<IgnoredAny>,
    event: Field<EventProbe>,
    project_id: Option<IgnoredAny>,
    webhook_type: Option<IgnoredAny>,
    webhook_event: Field<String>,
    webhook_data: Option<IgnoredAny>,
    order: Field<ObjectProbe>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct EventProbe {
    #[serde(rename = "type")]
    type_: Field<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ObjectProbe {
    object: Field<String>,
}

crate::lenient_struct!(EventProbe, ObjectProbe);

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
    let p: Probe = serde_json::from_str(text)?;
    let found = if p.webhook_type.is_some() || !p.webhook_event.is_missing() || p.webhook_data.is_some() {
        Some((Provider::Vrio, p.webhook_event.value().cloned()))
    } else if let Field::Value(event) = &p.event {
        Some((Provider::Voucherify, event.type_.value().cloned()))
    } else if p.project_id.is_some() || p.order.value().and_then(|o| o.object.value()).is_some_and(|o| o == "order") {
        // An envelope without `event`, or the bare `data` object the docs show.
        Some((Provider::Voucherify, None))
    } else if let (Field::Value(t), Some(_)) = (&p.type_, &p.data) {
        Some((Provider::Polar, Some(t.clone())))
    } else {
        None
    };
    Ok(found.map(|(provider, event_type)| Detected { provider, event_type }))
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
    fn non_webhooks_and_non_json_are_not_detected() {
        assert_eq!(detect(br#"{"hello":"world"}"#), None);
        assert_eq!(detect(b"[1,2]"), None);
        assert_eq!(detect(b"{not json"), None);
        assert_eq!(detect(b"\xff\xfe"), None);
    }
}
