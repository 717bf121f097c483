//! Validate and normalize order webhooks from **Stripe**, **Shopify**, **Paddle**,
//! **Polar**, **Lemon Squeezy**, **WooCommerce**, **Voucherify** and **Vrio**. Each
//! provider is a cargo feature (all on by default); a build with one carries only
//! that provider's code.
//!
//! A webhook endpoint receives raw bytes. orderhook turns them into a verdict with
//! every problem listed (each [`Issue`] has a stable code and a JSON Pointer into
//! the body), and, when nothing is wrong enough to distrust it, one normalized
//! [`OrderEvent`]: integer minor units for money, UTC timestamps, known statuses.
//!
//! ```
//! let body = br#"{"type":"order.paid","timestamp":"2026-03-12T10:44:51.804760Z","data":{
//!   "id":"o1","created_at":"2026-03-12T10:44:40Z","modified_at":null,"status":"paid","paid":true,
//!   "subtotal_amount":1000,"discount_amount":0,"net_amount":1000,"tax_amount":200,"total_amount":1200,
//!   "refunded_amount":0,"refunded_tax_amount":0,"currency":"eur","billing_reason":"purchase",
//!   "billing_name":null,"billing_address":null,"customer_id":"c1","product_id":null,"metadata":{},
//!   "customer":{"id":"c1","email":"a@example.com","name":"Ada"},
//!   "items":[{"id":"i1","label":"Pro","amount":1000,"tax_amount":200,"product_price_id":null}]}}"#;
//! let out = orderhook::parse(body, &orderhook::Options::default());
//! let event = out.event().expect("a valid order.paid");
//! assert_eq!(event.order.total.map(|m| m.get()), Some(1200));
//! assert_eq!(event.order.currency.as_ref().map(|c| c.as_str()), Some("EUR"));
//! assert_eq!(event.occurred_at.unwrap().to_string(), "2026-03-12T10:44:51.804760Z");
//! ```
//!
//! # Brief overview
//! - [`parse`] → [`Outcome`]: the normalized [`OrderEvent`], every [`Issue`], and,
//!   when asked for, the body as read ([`Source`]).
//! - [`detect()`] → which provider and event type a body is, without a full parse.
//! - [`verify`] → signature checks (Polar's Standard Webhooks, Voucherify's HMAC).
//! - [`delivery_id`] → the id a provider keeps across retries of one delivery, to
//!   de-duplicate on (where it is, and how long the provider retries: [`catalog`]).
//!
//! Data flows one way: bytes → size check → (signature) → detect → provider wire
//! types → issues + normalized event.
#![deny(missing_docs)]
// A build with some providers only (a cargo feature each) leaves shared helpers that
// only the others use: not worth a cfg on each.
#![cfg_attr(not(feature = "all-providers"), allow(dead_code, unused_imports, unused_macros, unreachable_code))]

pub mod detect;
mod encode;
pub mod event;
mod field;
pub mod issue;
pub mod money;
pub mod options;
mod provider;
mod providers;
mod recover;
mod scalar;
pub mod time;
pub mod verify;

#[cfg(target_arch = "wasm32")]
mod wasm;

use serde::ser::{Error as _, SerializeStruct};
use serde::Serialize;
use serde_json::value::RawValue;

pub use detect::{detect, detect_within, Detected};
pub use event::{Address, Customer, Item, Kind, Order, OrderEvent, Status};
pub use issue::{Code, Issue, Position, Severity};
pub use money::{Currency, MinorUnits};
pub use options::{Options, DEFAULT_MAX_BYTES};
pub use provider::Provider;
#[cfg(feature = "polar")]
pub use providers::polar;
#[cfg(feature = "voucherify")]
pub use providers::voucherify;
#[cfg(feature = "vrio")]
pub use providers::vrio;
pub use providers::{catalog, delivery_id, DeliveryId, ProviderInfo};
pub use recover::MAX_DEPTH;
pub use time::{TimeZone, Timestamp};

/// The result of [`parse`]. It holds an event only when no issue is an error,
/// so a caller cannot act on an event that came with errors.
#[derive(Debug, Serialize)]
pub struct Outcome {
    event: Option<OrderEvent>,
    #[serde(skip)]
    source: Option<Source>,
    issues: Vec<Issue>,
}

impl Outcome {
    /// The event is kept only when no issue is an error.
    fn new(event: Option<OrderEvent>, source: Option<Source>, issues: Vec<Issue>) -> Outcome {
        let event = event.filter(|_| !issues.iter().any(Issue::is_error));
        Outcome { event, source, issues }
    }

    /// The normalized event, present exactly when no issue is an error.
    #[must_use]
    pub fn event(&self) -> Option<&OrderEvent> {
        self.event.as_ref()
    }

    /// The body as read, with [`Options::include_source`], when a provider's
    /// payload could be read from it at all (also when it has errors: useful to
    /// see what was sent).
    #[must_use]
    pub fn source(&self) -> Option<&Source> {
        self.source.as_ref()
    }

    /// Every problem found, errors and warnings, in body order.
    #[must_use]
    pub fn issues(&self) -> &[Issue] {
        &self.issues
    }

    /// Whether the event can be trusted.
    #[must_use]
    pub fn is_ok(&self) -> bool {
        self.event.is_some()
    }

    /// The issues that are errors.
    pub fn errors(&self) -> impl Iterator<Item = &Issue> {
        self.issues.iter().filter(|i| i.is_error())
    }

    /// The issues that are warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &Issue> {
        self.issues.iter().filter(|i| !i.is_error())
    }

    /// The event and the warnings, or every issue when there is no event.
    ///
    /// # Errors
    /// The issues (at least one of them an error) when the event cannot be trusted.
    pub fn into_result(self) -> Result<(OrderEvent, Vec<Issue>), Vec<Issue>> {
        match self.event {
            Some(event) => Ok((event, self.issues)),
            None => Err(self.issues),
        }
    }

    /// The parts: event (only when no error), the body as read (when asked for), issues.
    #[must_use]
    pub fn into_parts(self) -> (Option<OrderEvent>, Option<Source>, Vec<Issue>) {
        (self.event, self.source, self.issues)
    }

    /// The JavaScript-facing shape: `{ok: true, event, warnings, source?}` or
    /// `{ok: false, errors, warnings, source?}` (`source` when the outcome has one).
    /// Serialize it with serde, or write it with [`Verdict::to_json`].
    #[must_use]
    pub fn verdict(&self) -> Verdict<'_> {
        Verdict {
            ok: self.event.is_some(),
            event: self.event.as_ref(),
            errors: if self.event.is_some() { None } else { Some(self.errors().collect()) },
            warnings: self.warnings().collect(),
            source: self.source.as_ref(),
        }
    }

    fn failed(issues: Vec<Issue>) -> Outcome {
        Outcome { event: None, source: None, issues }
    }
}

/// A serializable view of an [`Outcome`], discriminated on `ok`; see [`Outcome::verdict`].
#[derive(Debug, Serialize)]
pub struct Verdict<'a> {
    /// Whether the event can be trusted.
    pub ok: bool,
    /// The normalized event, when `ok`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<&'a OrderEvent>,
    /// The errors, when not `ok`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<&'a Issue>>,
    /// The warnings.
    pub warnings: Vec<&'a Issue>,
    /// The body as read, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<&'a Source>,
}

/// The body as read, with the provider that read it ([`Options::include_source`],
/// JavaScript's `includeSource`), for a field the normalized model does not carry.
/// Every field is there as sent, unknown ones included, and in the body's key
/// order, except what orderhook could not take: nesting deeper than [`MAX_DEPTH`]
/// anywhere, and a number beyond `f64` or a lone surrogate in a field it reads, are
/// blanked to `null`, each with an `invalid_value` issue (fields it does not read
/// are not looked into: JavaScript's `JSON.parse` reads `1e400` there as
/// `Infinity`, as it would from the body). A UTF-8 byte order mark is skipped.
///
/// It is the text, not a typed value: serializing the providers' wire types cost
/// one serializer per wire struct in the .wasm (bench/RESULTS.md), the text costs
/// one copy of the body and none. Serialized (and so in JavaScript) it is
/// `{"provider": "polar", "payload": {…the body…}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    provider: Provider,
    /// JSON text: a provider's wire type was read from it, so it is valid.
    payload: String,
}

impl Source {
    /// Whose payload this is.
    #[must_use]
    pub fn provider(&self) -> Provider {
        self.provider
    }

    /// The body as read: one JSON object as text (`serde_json::from_str` it into
    /// any type, or a `serde_json::Value`).
    #[must_use]
    pub fn payload(&self) -> &str {
        &self.payload
    }
}

impl Serialize for Source {
    /// `{"provider": …, "payload": …}`, the payload written as the JSON it is.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let payload: &RawValue = serde_json::from_str(&self.payload).map_err(S::Error::custom)?;
        let mut st = s.serialize_struct("Source", 2)?;
        st.serialize_field("provider", &self.provider)?;
        st.serialize_field("payload", payload)?;
        st.end()
    }
}

impl Verdict<'_> {
    /// The verdict as JSON text: what `serde_json::to_string` makes of it, written
    /// directly (the wasm layer returns this text on every parse).
    #[must_use]
    pub fn to_json(&self) -> String {
        encode::verdict_json(self)
    }
}

/// The `too_large` error for a body of `size` bytes over `max_bytes` (`None`: a
/// stream that was stopped at the limit, its size unknown). The wasm layer
/// exports it, so JavaScript refuses a body before copying it with this message.
#[must_use]
pub fn too_large(size: Option<usize>, max_bytes: usize) -> Issue {
    let message = match size {
        Some(size) => format!("body is {size} bytes, more than the limit of {max_bytes} bytes"),
        None => format!("body is more than the limit of {max_bytes} bytes; reading stopped there"),
    };
    Issue::error(Code::TooLarge, "", message)
}

/// The `incomplete_body` error: the connection ended before the body did.
#[must_use]
pub fn incomplete_body() -> Issue {
    Issue::error(Code::IncompleteBody, "", "the request body ended before its declared length")
}

/// Validate and normalize one webhook body. Never panics on any input.
///
/// All problems are reported in one pass; the first error does not hide the
/// others. See [`Code`] for the issue categories.
pub fn parse(body: &[u8], options: &Options) -> Outcome {
    if body.len() > options.max_bytes {
        return Outcome::failed(vec![too_large(Some(body.len()), options.max_bytes)]);
    }
    let mut issues = issue::Issues::new(options.strict);
    let Some((text, base)) = decode(body, &mut issues) else {
        return Outcome::failed(issues.into_vec());
    };
    if let Some(issue) = not_an_object(text, base) {
        // A provider's own non-JSON body (WooCommerce's ping) is named as such.
        issues.push(providers::non_json(options.provider, text).unwrap_or(issue));
        return Outcome::failed(issues.into_vec());
    }
    let read = recover::read_repairing(text, base, &mut issues, |current, found| {
        let provider = match options.provider {
            Some(p) => Some(p),
            None => detect::provider_of(current)?,
        };
        match provider {
            Some(p) => providers::parse(p, current, options, found).map(|event| {
                // `current`: the body as read, after any blanking (src/recover.rs); without the
                // whitespace around it, as a `RawValue` of it is.
                let payload = || current.trim_matches([' ', '\t', '\n', '\r']).to_owned();
                let source = options.include_source.then(|| Source { provider: p, payload: payload() });
                Some((event, source))
            }),
            None => Ok(None),
        }
    });
    let (mut event, source) = match read {
        Some(Some(parsed)) => parsed,
        Some(None) => {
            issues.error(Code::UnknownProvider, &issue::Path::Root, detect::unknown_provider());
            (None, None)
        }
        None => (None, None),
    };
    if let (Some(event), Some(id)) = (event.as_mut(), &options.event_id) {
        event.event_id.get_or_insert_with(|| id.clone());
    }
    Outcome::new(event, source, issues.into_vec())
}

/// Every webhook body is a JSON object: say so plainly for anything else,
/// rather than letting a provider's wire type report a confusing type error.
fn not_an_object(text: &str, base: usize) -> Option<Issue> {
    let first = text.trim_start().bytes().next();
    if first == Some(b'{') {
        return None;
    }
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(text) {
        return Some(issue::json_error(&e, text, base));
    }
    let found = match first {
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "a number",
    };
    Some(Issue::error(Code::InvalidType, "", format!("body must be a JSON object, found {found}")))
}

/// UTF-8 check and byte-order-mark skip; the JSON itself is checked by serde.
/// Returns the text and how many bytes into the body it starts.
fn decode<'a>(body: &'a [u8], issues: &mut issue::Issues) -> Option<(&'a str, usize)> {
    let text = match std::str::from_utf8(body) {
        Ok(t) => t,
        Err(e) => {
            let at = Position::of_offset(body, e.valid_up_to());
            issues.push(
                Issue::error(
                    Code::InvalidUtf8,
                    "",
                    format!(
                        "body is not valid UTF-8 (first bad byte at offset {}, line {} column {})",
                        at.offset, at.line, at.column
                    ),
                )
                .at(at),
            );
            return None;
        }
    };
    match text.strip_prefix('\u{feff}') {
        Some(rest) => {
            issues.warning(
                Code::ByteOrderMark,
                &issue::Path::Root,
                "body starts with a UTF-8 byte order mark; it was skipped",
            );
            Some((rest, 3))
        }
        None => Some((text, 0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn polar_paid() -> Value {
        json!({"type": "order.paid", "timestamp": "2026-03-12T10:44:51Z", "data": {
            "id": "o1", "created_at": "2026-03-12T10:44:40Z", "modified_at": null, "status": "paid", "paid": true,
            "subtotal_amount": 1000, "discount_amount": 0, "net_amount": 1000, "tax_amount": 200, "total_amount": 1200,
            "refunded_amount": 0, "refunded_tax_amount": 0, "currency": "eur", "billing_reason": "purchase",
            "billing_name": null, "billing_address": null, "customer_id": "c1", "product_id": null, "metadata": {},
            "customer": {"id": "c1", "email": "a@example.com", "name": "Ada"},
            "items": [{"id": "i1", "label": "Pro", "amount": 1000, "tax_amount": 200, "product_price_id": null}]}})
    }

    fn with_source(body: &[u8]) -> Outcome {
        parse(body, &Options { include_source: true, ..Options::default() })
    }

    fn payload(out: &Outcome) -> Value {
        serde_json::from_str(out.source().expect("a source").payload()).unwrap()
    }

    #[test]
    fn the_source_is_the_body_as_sent_with_fields_orderhook_does_not_read() {
        let mut body = polar_paid();
        body["data"]["checkout_id"] = json!("ch_1");
        body["data"]["customer"]["billing_address"] = json!({"country": "FR", "line3": [1, 2.5]});
        let out = with_source(&serde_json::to_vec_pretty(&body).unwrap());
        assert!(out.is_ok(), "{:?}", out.issues());
        assert_eq!(out.source().unwrap().provider(), Provider::Polar);
        assert_eq!(payload(&out), body);
    }

    #[test]
    fn the_source_keeps_a_value_of_the_wrong_type_as_sent() {
        let mut body = polar_paid();
        body["data"]["total_amount"] = json!("12.00");
        let out = with_source(&serde_json::to_vec(&body).unwrap());
        assert!(!out.is_ok());
        assert_eq!(payload(&out)["data"]["total_amount"], "12.00");
    }

    #[test]
    fn the_source_keeps_a_field_orderhook_does_not_read_as_written() {
        let text = serde_json::to_string(&polar_paid()).unwrap().replace(r#""paid":true"#, r#""paid":true,"n":1e400"#);
        let out = with_source(text.as_bytes());
        assert!(out.is_ok(), "{:?}", out.issues());
        assert_eq!(out.source().unwrap().payload(), text);
    }

    #[test]
    fn the_source_is_the_object_without_the_whitespace_around_it() {
        let text = format!("\r\n \t{}\n\n", serde_json::to_string_pretty(&polar_paid()).unwrap());
        assert_eq!(with_source(text.as_bytes()).source().unwrap().payload(), text.trim());
    }

    #[test]
    fn the_source_is_left_out_unless_asked_for() {
        let out = parse(&serde_json::to_vec(&polar_paid()).unwrap(), &Options::default());
        assert!(out.source().is_none());
        assert!(!out.verdict().to_json().contains("\"source\""));
    }

    #[test]
    fn the_verdict_carries_the_source_as_provider_and_payload() {
        let body = serde_json::to_vec(&polar_paid()).unwrap();
        let v: Value = serde_json::from_str(&with_source(&body).verdict().to_json()).unwrap();
        assert_eq!(v["source"], json!({"provider": "polar", "payload": polar_paid()}));
    }

    #[test]
    fn the_source_is_there_when_a_provider_read_the_body_even_with_errors() {
        let mut body = polar_paid();
        body["data"].as_object_mut().unwrap().remove("id");
        assert!(with_source(&serde_json::to_vec(&body).unwrap()).source().is_some());
        for unread in [&br#"{"type":"order.paid""#[..], br#"{"hello":"world"}"#, br#"[1]"#, b"\xff"] {
            let out = with_source(unread);
            assert!(out.source().is_none() && !out.is_ok(), "{}", String::from_utf8_lossy(unread));
        }
    }

    #[test]
    fn values_orderhook_cannot_take_are_null_in_the_source_and_a_byte_order_mark_is_skipped() {
        let text =
            serde_json::to_string(&polar_paid()).unwrap().replace(r#""net_amount":1000"#, r#""net_amount":1e400"#);
        let mut body = "\u{feff}".as_bytes().to_vec();
        body.extend_from_slice(text.as_bytes());
        let out = with_source(&body);
        assert!(
            out.issues().iter().any(|i| i.code == Code::InvalidValue && i.path == "/data/net_amount"),
            "{:?}",
            out.issues()
        );
        assert_eq!(payload(&out)["data"]["net_amount"], Value::Null);
        assert!(out.source().unwrap().payload().starts_with('{'));
    }
}
