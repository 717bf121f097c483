//! Validate and normalize order webhooks from **Polar**, **Voucherify** and **Vrio**.
//!
//! A webhook endpoint receives raw bytes. orderhook turns them into a verdict with
//! every problem listed (each [`Issue`] has a stable code and a JSON Pointer into
//! the body), and, when nothing is wrong enough to distrust it, one normalized
//! [`OrderEvent`]: integer minor units for money, UTC timestamps, known statuses.
//!
//! ```
//! let body = br#"{"type":"order.paid","timestamp":"2026-03-12T10:44:51.804760Z","data":{
//!   "id":"o1","created_at":"2026-03-12T10:44:40Z","modified_at":null,"status":"paid",
//!   "subtotal_amount":1000,"discount_amount":0,"tax_amount":200,"total_amount":1200,
//!   "refunded_amount":0,"currency":"eur","customer_id":"c1",
//!   "customer":{"id":"c1","email":"a@example.com","name":"Ada"},
//!   "metadata":{},"items":[{"id":"i1","label":"Pro","amount":1000,"tax_amount":200}]}}"#;
//! let out = orderhook::parse(body, &orderhook::Options::default());
//! let event = out.event.expect("a valid order.paid");
//! assert_eq!(event.order.total.map(|m| m.get()), Some(1200));
//! assert_eq!(event.order.currency.as_ref().map(|c| c.as_str()), Some("EUR"));
//! assert_eq!(event.occurred_at.unwrap().to_string(), "2026-03-12T10:44:51.804760Z");
//! ```
//!
//! # Brief overview
//! - [`parse`] → [`Outcome`]: the normalized [`OrderEvent`], the provider-typed
//!   [`ProviderEvent`] and every [`Issue`].
//! - [`detect()`] → which provider and event type a body is, without a full parse.
//! - [`verify`] → signature checks (Polar's Standard Webhooks, Voucherify's HMAC).
//!
//! Data flows one way: bytes → size check → (signature) → detect → provider wire
//! types → issues + normalized event.
#![deny(missing_docs)]

pub mod detect;
pub mod event;
pub mod field;
pub mod issue;
pub mod money;
pub mod providers;
mod recover;
pub mod scalar;
pub mod time;
pub mod verify;

#[cfg(target_arch = "wasm32")]
mod wasm;

use serde::Serialize;

pub use detect::{detect, Detected};
pub use event::{Address, Customer, Item, Kind, Order, OrderEvent, Status};
pub use issue::{Code, Issue, Severity};
pub use money::{Currency, MinorUnits};
pub use providers::{Provider, ProviderEvent};
pub use time::{TimeZone, Timestamp};

/// Bodies larger than this are rejected unless [`Options::max_bytes`] says otherwise.
pub const DEFAULT_MAX_BYTES: usize = 1024 * 1024;

/// How to parse a body. `Options::default()` detects the provider, assumes UTC
/// for zone-less dates (with a warning) and accepts up to 1 MiB.
#[derive(Debug, Clone)]
pub struct Options {
    /// The provider, when the caller knows it; otherwise it is detected.
    pub provider: Option<Provider>,
    /// The zone of zone-less provider dates (Vrio). `None` means UTC, with an
    /// `assumed_time_zone` warning.
    pub time_zone: Option<TimeZone>,
    /// The currency of payloads that carry none (Vrio, Voucherify).
    pub currency: Option<Currency>,
    /// Larger bodies get one `too_large` error and are not decoded.
    pub max_bytes: usize,
    /// Unknown enum values and unsupported event types become errors.
    pub strict: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options { provider: None, time_zone: None, currency: None, max_bytes: DEFAULT_MAX_BYTES, strict: false }
    }
}

/// The result of [`parse`]: `event` is `Some` exactly when no issue is an error.
#[derive(Debug, Serialize)]
pub struct Outcome {
    /// The normalized event, present when nothing is an error.
    pub event: Option<OrderEvent>,
    /// The payload as the provider's own types, when it could be read at all.
    #[serde(skip)]
    pub source: Option<ProviderEvent>,
    /// Every problem found, errors and warnings, in body order.
    pub issues: Vec<Issue>,
}

impl Outcome {
    /// Whether the event can be trusted.
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

    /// The JavaScript-facing shape: `{ok: true, event, warnings, source?}` or
    /// `{ok: false, errors, warnings}`. Serialize it with serde.
    pub fn verdict(&self, include_source: bool) -> Verdict<'_> {
        Verdict {
            ok: self.event.is_some(),
            event: self.event.as_ref(),
            errors: if self.event.is_some() { None } else { Some(self.errors().collect()) },
            warnings: self.warnings().collect(),
            source: if include_source { self.source.as_ref() } else { None },
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
    /// The provider-typed payload, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<&'a ProviderEvent>,
}

/// Validate and normalize one webhook body. Never panics on any input.
///
/// All problems are reported in one pass; the first error does not hide the
/// others. See [`Code`] for the issue categories.
pub fn parse(body: &[u8], options: &Options) -> Outcome {
    if body.len() > options.max_bytes {
        return Outcome::failed(vec![Issue::error(
            Code::TooLarge,
            "",
            format!("body is {} bytes, more than the limit of {} bytes", body.len(), options.max_bytes),
        )]);
    }
    let mut issues = issue::Issues::new(options.strict);
    let text = match decode(body, &mut issues) {
        Some(text) => text,
        None => return Outcome::failed(issues.into_vec()),
    };
    if let Some(issue) = not_an_object(text) {
        issues.push(issue);
        return Outcome::failed(issues.into_vec());
    }
    // A value serde_json cannot hold is blanked and the body read again, so it is
    // reported at its own path and hides nothing else (see recover.rs).
    let mut repaired: Vec<Issue> = Vec::new();
    let mut blanked: Option<String> = None;
    let (event, source) = loop {
        let current = blanked.as_deref().unwrap_or(text);
        let attempt = match options.provider {
            Some(p) => Ok(Some(p)),
            None => detect::provider_of(current),
        }
        .and_then(|provider| match provider {
            Some(p) => providers::parse(p, current, options, &mut issues).map(Some),
            None => Ok(None),
        });
        match attempt {
            Ok(Some(parsed)) => break parsed,
            Ok(None) => {
                issues.error(
                    Code::UnknownProvider,
                    &issue::Path::Root,
                    "body is not a Polar, Voucherify or Vrio order webhook; pass `provider` if you know it",
                );
                break (None, None);
            }
            Err(e) => match recover::repair(current, &e).filter(|_| repaired.len() < recover::MAX_REPAIRS) {
                Some(r) => {
                    repaired.push(r.issue);
                    blanked = Some(r.text);
                }
                None => {
                    issues.push(providers::json_error(&e));
                    break (None, None);
                }
            },
        }
    };
    let has_errors = issues.has_errors() || !repaired.is_empty();
    let mut list = issues.into_vec();
    // The blanked value reads as `null`; its own issue says what it really was.
    list.retain(|i| !repaired.iter().any(|r| r.path == i.path));
    list.extend(repaired);
    Outcome { event: if has_errors { None } else { event }, source, issues: list }
}

/// Every webhook body is a JSON object: say so plainly for anything else,
/// rather than letting a provider's wire type report a confusing type error.
fn not_an_object(text: &str) -> Option<Issue> {
    let first = text.trim_start().bytes().next();
    if first == Some(b'{') {
        return None;
    }
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(text) {
        return Some(providers::json_error(&e));
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
fn decode<'a>(body: &'a [u8], issues: &mut issue::Issues) -> Option<&'a str> {
    let text = match std::str::from_utf8(body) {
        Ok(t) => t,
        Err(e) => {
            issues.error(
                Code::InvalidUtf8,
                &issue::Path::Root,
                format!("body is not valid UTF-8 (first bad byte at offset {})", e.valid_up_to()),
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
            Some(rest)
        }
        None => Some(text),
    }
}
