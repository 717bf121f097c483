//! Which provider sent a body, and which event it is, from the body alone, on
//! evidence that only that provider sends (its envelope keys, its event names,
//! its id prefixes). Each provider states its evidence ([`Evidence`], in its
//! module); one scan of the top-level keys offers them to every provider, reads
//! only the values some provider asked for, and stops at the deciding key.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeOwned, Deserializer as _, IgnoredAny, MapAccess, Visitor};
use serde::Serialize;
use serde_json::value::RawValue;

use crate::options::DEFAULT_MAX_BYTES;
use crate::provider::Provider;

/// The message of the `unknown_provider` error.
pub(crate) fn unknown_provider() -> String {
    let names: Vec<&str> = Provider::ALL.iter().map(|p| p.title()).collect();
    let list = match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.concat(),
    };
    format!("body is not a {list} order webhook; pass `provider` if you know it")
}

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
/// ([`DEFAULT_MAX_BYTES`]), or `None` if it is no provider's, not JSON before the
/// deciding key, or too large.
///
/// It names the provider that [`crate::parse`] would read the body as, also when
/// the body has a syntax error after the key that decided it.
///
/// ```
/// use orderhook::{detect, Provider};
/// let d = detect(br#"{"webhook_type":"order","webhook_event":"order_updated","webhook_data":{}}"#).unwrap();
/// assert_eq!(d.provider, Provider::Vrio);
/// assert_eq!(d.event_type.as_deref(), Some("order_updated"));
/// assert_eq!(detect(br#"{"hello":"world"}"#), None);
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

/// What only one provider sends, as its module states it.
pub(crate) struct Evidence {
    /// Top-level keys whose presence may decide (their values are not read for it).
    pub(crate) keys: &'static [&'static str],
    /// Top-level keys whose values [`Evidence::decide`] reads.
    pub(crate) values: &'static [&'static str],
    /// From the top-level entries seen so far (only those named above): `Some`
    /// when they are this provider's alone, with the event type when the body
    /// says it (`Some(None)` when it does not, or not yet).
    pub(crate) decide: fn(&Top<'_>) -> Option<Option<String>>,
}

impl Evidence {
    fn names(&self, key: &str) -> bool {
        self.keys.contains(&key) || self.values.contains(&key)
    }
}

/// The top-level entries seen so far that some provider named: keys, and the
/// raw values of those asked for in [`Evidence::values`].
#[derive(Default)]
pub(crate) struct Top<'a> {
    entries: Vec<(Cow<'a, str>, Option<&'a RawValue>)>,
}

impl<'a> Top<'a> {
    /// Whether `key` was seen.
    pub(crate) fn has(&self, key: &str) -> bool {
        self.entries.iter().any(|(k, _)| k == key)
    }

    /// `key`'s value read as `T`; `None` when absent or of another shape.
    pub(crate) fn get<T: DeserializeOwned>(&self, key: &str) -> Option<T> {
        let raw = self.entries.iter().find(|(k, _)| k == key)?.1?;
        serde_json::from_str(raw.get()).ok()
    }

    /// `key`'s value when it is a string.
    pub(crate) fn string(&self, key: &str) -> Option<String> {
        self.get::<String>(key)
    }
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

/// A key, borrowed from the body unless it has escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_str(V)
    }
}

/// Visits the top-level object, offering each key some provider named to that
/// provider's evidence, in registry order, until one decides.
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
        let mut top = Top::default();
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            let named = |p: &Provider| p.spec().evidence.names(&key);
            if !Provider::ALL.iter().any(named) {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            let wants_value = Provider::ALL.iter().any(|p| p.spec().evidence.values.contains(&key.as_ref()));
            let value = if wants_value { Some(map.next_value::<&'de RawValue>()?) } else { None };
            top.entries.push((key, value));
            let key = &top.entries[top.entries.len() - 1].0;
            // Once a provider has decided, only it is asked again (for its event type).
            let candidates: &[Provider] = match &found.provider {
                Some(p) => std::slice::from_ref(p),
                None => Provider::ALL,
            };
            for &p in candidates {
                let evidence = &p.spec().evidence;
                if !evidence.names(key) {
                    continue;
                }
                if let Some(event_type) = (evidence.decide)(&top) {
                    found.provider = Some(p);
                    found.event_type = event_type.or(found.event_type.take());
                    break;
                }
            }
            if found.provider.is_some() && (!self.want_event_type || found.event_type.is_some()) {
                // The rest, this key's value included when unread, is the provider read's.
                return Ok(());
            }
            if !wants_value {
                map.next_value::<IgnoredAny>()?;
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
            r#"{"event":{"type":"push"},"order":{}}"#,
            r#"{"referrer":"x","redemption":null}"#,
            r#"{"project_id":"p1","type":"order.paid","data":{}}"#,
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
