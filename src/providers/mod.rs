//! One module per provider, each behind one contract, [`Spec`]: its detection
//! evidence, its event names and what kind each is, its wire types (`Wire`), its
//! normalization (with its status table in the module doc), and its signature
//! scheme or none. A provider is registered by one line in `src/provider.rs`.
//! Shared here: [`Ctx`], which reads wire fields and reports what is wrong with
//! them, and the checks of sums.
//!
//! To add a provider `acme`: write `src/providers/acme.rs` with its wire types,
//! `normalize`, `pub type Wire = …;` and `pub(crate) const SPEC: Spec = …;`; add
//! `#[cfg(feature = "acme")] pub mod acme;` below, `#[cfg(feature = "acme")] Acme => acme,
//! "acme.com";` to the registry and the feature `acme` to Cargo.toml (and to
//! `all-providers`); put its
//! fixtures in `tests/fixtures/acme.*` and samples in `examples/samples/acme.*`, and
//! the fields it reads in a `tests/spec/reads.json` table named `acme` (which
//! tests/robustness.rs walks); then `npm run docs` (the README's tables and the example
//! Worker's secret binding) and the results snapshot (tests/js/snapshot.test.mjs).
//! Its `SPEC` also says where the id it keeps across retries is (`delivery_id`: a
//! header, the body's event id, or none) and how long it retries
//! (`retry_horizon_hours`), with the source of that figure in a comment.

#[cfg(feature = "lemon_squeezy")]
pub mod lemon_squeezy;
#[cfg(feature = "paddle")]
pub mod paddle;
#[cfg(feature = "polar")]
pub mod polar;
#[cfg(feature = "shopify")]
pub mod shopify;
#[cfg(feature = "stripe")]
pub mod stripe;
#[cfg(feature = "voucherify")]
pub mod voucherify;
#[cfg(feature = "vrio")]
pub mod vrio;
#[cfg(feature = "woocommerce")]
pub mod woocommerce;

use serde_json::value::RawValue;

use crate::detect::Evidence;
use crate::event::{Address, Kind, OrderEvent, Status};
use crate::field::{Field, Found, Lenient, List, Presence, RawObject};
use crate::issue::{quote, Code, Issue, Issues, Path};
use crate::money::MinorUnits;
use crate::options::Options;
pub use crate::provider::Provider;
use crate::scalar::KnownValue;
use crate::time::Timestamp;
use crate::verify::{Headers, HmacFn, Verified};

/// Everything orderhook knows of one provider.
pub(crate) struct Spec {
    /// The provider's own spelling of its name, for people.
    pub(crate) title: &'static str,
    /// Its order event names and the kind each is.
    pub(crate) events: &'static [(&'static str, Kind)],
    /// Its order status words and the normalized status each becomes (for docs;
    /// the module's `map_status` is what normalization uses).
    pub(crate) statuses: fn() -> Vec<(&'static str, Status)>,
    /// What only this provider sends, for [`crate::detect()`].
    pub(crate) evidence: Evidence,
    /// Read a body as this provider's and normalize it.
    pub(crate) parse: ParseFn,
    /// How its webhooks are signed; `None` when they are not.
    pub(crate) signature: Option<Signature>,
    /// The request header that carries the event type, for a provider whose body
    /// does not (`parseRequest` passes it on as `Options::event_type`).
    pub(crate) event_type_header: Option<&'static str>,
    /// Where the id it keeps across every retry of one delivery is: the key to
    /// de-duplicate on ([`delivery_id`]).
    pub(crate) delivery_id: DeliveryId,
    /// How long after a first attempt the provider may still retry it on its own,
    /// in hours, rounded up generously: how long a receiver must remember the id.
    /// Each module says where its figure comes from.
    pub(crate) retry_horizon_hours: u32,
    /// What the provider says of a body of its own that is not a JSON object
    /// (WooCommerce's `webhook_id=…` ping); `None` when it sends none.
    pub(crate) non_json: Option<fn(&str) -> Option<Issue>>,
}

/// Where a provider puts the id that stays the same across retries of one delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum DeliveryId {
    /// A request header (its lower-case name), e.g. Polar's `webhook-id`.
    Header {
        /// The header's name.
        name: &'static str,
    },
    /// The body's own event id: the normalized event's `event_id`.
    EventId,
    /// No id stays the same across deliveries of one event: WooCommerce does not
    /// retry, and its delivery-id header is per webhook and second, not per event;
    /// Lemon Squeezy retries but sends none. A receiver de-duplicates on the event's
    /// own fields.
    None,
}

/// The id `provider` keeps across retries of this delivery, from the request's
/// `headers` or the parsed `event`, as its [`DeliveryId`] says; `None` when the
/// request lacks it (or it is empty). Key de-duplication on it together with the
/// provider's name: ids of different providers may collide.
pub fn delivery_id<'a, 'h: 'a>(provider: Provider, headers: &Headers<'h>, event: &'a OrderEvent) -> Option<&'a str> {
    delivery_id_of(provider, headers, event.event_id.as_deref())
}

/// [`delivery_id`] from the event's `event_id` alone (what the wasm export is given).
pub(crate) fn delivery_id_of<'a, 'h: 'a>(
    provider: Provider,
    headers: &Headers<'h>,
    event_id: Option<&'a str>,
) -> Option<&'a str> {
    let id = match provider.spec().delivery_id {
        DeliveryId::Header { name } => headers.get(name),
        DeliveryId::EventId => event_id,
        DeliveryId::None => None,
    };
    id.filter(|id| !id.is_empty())
}

/// Reads a body as one provider's payload: the normalized event, when there is one.
pub(crate) type ParseFn = fn(&str, &mut Ctx<'_>) -> Result<Option<OrderEvent>, serde_json::Error>;

/// A signature check: body, headers, secret (never empty here), now and tolerance
/// in seconds, and the HMAC-SHA256 to use (the crate's, or the host's native one).
pub(crate) type VerifyFn = fn(&[u8], &Headers<'_>, &str, i64, i64, HmacFn<'_>) -> Result<Verified, Issue>;

/// A provider's signature scheme.
pub(crate) struct Signature {
    /// The headers it reads, lower case (the preview page asks for these).
    pub(crate) headers: &'static [&'static str],
    /// The scheme in a few words, for people.
    pub(crate) scheme: &'static str,
    /// The check.
    pub(crate) verify: VerifyFn,
}

/// A provider as the JavaScript layer, the CLI, the preview page and the docs
/// generator see it, from its [`Spec`].
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderInfo {
    /// Its name.
    pub name: Provider,
    /// Its own spelling of its name.
    pub title: &'static str,
    /// Its order event names and the kind each is.
    pub events: Vec<(&'static str, Kind)>,
    /// Its order status words and the normalized status each becomes.
    pub statuses: Vec<(&'static str, Status)>,
    /// The headers its signature scheme reads; `None` when it signs nothing.
    pub signature_headers: Option<&'static [&'static str]>,
    /// Its signature scheme in a few words.
    pub signature_scheme: Option<&'static str>,
    /// The request header carrying the event type, when the body does not.
    pub event_type_header: Option<&'static str>,
    /// Where the id it keeps across retries of one delivery is.
    pub delivery_id: DeliveryId,
    /// How long it may retry a delivery on its own, in hours: how long to remember the id.
    pub retry_horizon_hours: u32,
}

/// Every registered provider, described.
pub fn catalog() -> Vec<ProviderInfo> {
    Provider::ALL
        .iter()
        .map(|&p| {
            let s = p.spec();
            ProviderInfo {
                name: p,
                title: s.title,
                events: s.events.to_vec(),
                statuses: (s.statuses)(),
                signature_headers: s.signature.as_ref().map(|g| g.headers),
                signature_scheme: s.signature.as_ref().map(|g| g.scheme),
                event_type_header: s.event_type_header,
                delivery_id: s.delivery_id,
                retry_horizon_hours: s.retry_horizon_hours,
            }
        })
        .collect()
}

/// `T::VALUES` with each value's normalized status, for [`Spec::statuses`].
pub(crate) fn status_table<T: KnownValue>(map: fn(T) -> Status) -> Vec<(&'static str, Status)> {
    T::VALUES.iter().map(|&(word, v)| (word, map(v))).collect()
}

/// A body that is not a JSON object, as the provider that sends such a body
/// names it: `provider`'s, or any provider's when it is not given.
pub(crate) fn non_json(provider: Option<Provider>, text: &str) -> Option<Issue> {
    let candidates = match &provider {
        Some(p) => std::slice::from_ref(p),
        None => Provider::ALL,
    };
    candidates.iter().find_map(|p| p.spec().non_json.and_then(|f| f(text)))
}

/// Read `text` as `provider`'s payload and normalize it, reporting into `issues`.
pub(crate) fn parse(
    provider: Provider,
    text: &str,
    options: &Options,
    issues: &mut Issues,
) -> Result<Option<OrderEvent>, serde_json::Error> {
    (provider.spec().parse)(text, &mut Ctx { issues, options })
}

/// The body of every [`Spec::parse`]: deserialize the wire type and normalize it.
/// The wire value is dropped here; `includeSource` returns the body's text instead
/// ([`crate::Source`]), which costs no serializer per wire type.
pub(crate) fn read<'de, W: serde::Deserialize<'de>>(
    text: &'de str,
    ctx: &mut Ctx<'_>,
    normalize: fn(&W, &mut Ctx<'_>) -> Option<OrderEvent>,
) -> Result<Option<OrderEvent>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let wire = serde::Deserializer::deserialize_map(&mut de, Body(std::marker::PhantomData::<W>))?;
    de.end()?;
    Ok(normalize(&wire, ctx))
}

/// The body (always an object: `parse` says so of anything else) read as `W` through its
/// map only, as nested wire structs are (`lenient_struct!`): a derived struct read straight
/// from serde_json would also carry the code to read it from an array.
struct Body<W>(std::marker::PhantomData<W>);

impl<'de, W: serde::Deserialize<'de>> serde::de::Visitor<'de> for Body<W> {
    type Value = W;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<W, A::Error> {
        W::deserialize(serde::de::value::MapAccessDeserializer::new(map))
    }
}

/// What a normalize step needs: where to report, and the caller's options.
pub(crate) struct Ctx<'o> {
    /// Where issues go.
    pub(crate) issues: &'o mut Issues,
    /// The caller's options.
    pub(crate) options: &'o Options,
}

fn key_name<'a>(path: &Path<'a>) -> String {
    match path {
        Path::Key(_, k) => format!("`{k}`"),
        Path::Index(_, i) => format!("element {i}"),
        Path::Root => "body".to_owned(),
    }
}

impl Ctx<'_> {
    /// A field under the presence its wire type declares (see [`Declared`](crate::field::Declared)):
    /// reports what the schema forbids, and gives the value when there is one.
    pub fn read<'f, T: Lenient, F: Presence<T>>(&mut self, f: &'f F, path: &Path<'_>) -> Option<&'f T> {
        self.check(f.field(), path, F::REQUIRED, F::NULLABLE)
    }

    /// A field the event cannot do without (a list element, or a provider
    /// without a schema): missing, null or wrong is an error.
    pub fn req<'f, T: Lenient>(&mut self, f: &'f Field<T>, path: &Path<'_>) -> Option<&'f T> {
        self.check(f, path, true, false)
    }

    /// A field that may be absent or null; a wrong type is still an error.
    pub fn opt<'f, T: Lenient>(&mut self, f: &'f Field<T>, path: &Path<'_>) -> Option<&'f T> {
        self.check(f, path, false, true)
    }

    /// A field the provider sends beyond its published schema, where that schema
    /// allows anything: a wrong type is a warning and the value is dropped, since
    /// the body is valid by the provider's own document.
    pub fn beyond_schema<'f, T: Lenient>(&mut self, f: &'f Field<T>, path: &Path<'_>) -> Option<&'f T> {
        match f {
            Field::Value(v) => Some(v),
            Field::Invalid(found) => {
                let msg = format!("{} should be {}, found {}; ignored", key_name(path), T::EXPECTED, found.name());
                self.issues.warning(Code::InvalidType, path, msg);
                None
            }
            Field::Missing | Field::Null => None,
        }
    }

    fn check<'f, T: Lenient>(
        &mut self,
        f: &'f Field<T>,
        path: &Path<'_>,
        required: bool,
        nullable: bool,
    ) -> Option<&'f T> {
        match f {
            Field::Value(v) => return Some(v),
            Field::Missing if required => self.missing(path),
            Field::Null if !nullable => self.null(path, T::EXPECTED),
            Field::Invalid(found) => self.wrong_type(path, T::EXPECTED, found.name()),
            Field::Missing | Field::Null => {}
        }
        None
    }

    #[cold]
    fn missing(&mut self, path: &Path<'_>) {
        self.issues.error(Code::MissingField, path, format!("{} is required", key_name(path)));
    }

    #[cold]
    fn null(&mut self, path: &Path<'_>, expected: &str) {
        self.issues.error(Code::InvalidType, path, format!("{} must be {expected}, not null", key_name(path)));
    }

    #[cold]
    fn wrong_type(&mut self, path: &Path<'_>, expected: &str, found: &str) {
        self.issues.error(Code::InvalidType, path, format!("{} must be {expected}, found {found}", key_name(path)));
    }

    /// A list field; an array longer than [`List::MAX`] is an error (its
    /// elements past the limit were never kept).
    pub fn list<'f, T: Lenient, F: Presence<List<T>>>(&mut self, f: &'f F, path: &Path<'_>) -> Option<&'f List<T>> {
        let list = self.read(f, path)?;
        if list.is_truncated() {
            self.issues.error(
                Code::InvalidValue,
                path,
                format!("{} has {} elements; orderhook reads at most {}", key_name(path), list.total(), List::<T>::MAX),
            );
            return None;
        }
        Some(list)
    }

    /// A string, cloned.
    pub fn string(&mut self, f: &impl Presence<String>, path: &Path<'_>) -> Option<String> {
        self.read(f, path).cloned()
    }

    /// An RFC 3339 timestamp; malformed is an `invalid_value` error.
    pub fn timestamp(&mut self, f: &impl Presence<String>, path: &Path<'_>) -> Option<Timestamp> {
        let s = self.read(f, path)?;
        match Timestamp::parse_rfc3339(s) {
            Ok(t) => Some(t),
            Err(e) => {
                self.issues.error(
                    Code::InvalidValue,
                    path,
                    format!("{} is not a valid timestamp ({e}): {}", key_name(path), quote(s)),
                );
                None
            }
        }
    }

    /// An integer amount in minor units, within JavaScript's safe range.
    pub fn amount(&mut self, f: &impl Presence<i64>, path: &Path<'_>) -> Option<MinorUnits> {
        let v = *self.read(f, path)?;
        self.in_range(v, path)
    }

    /// `v` as [`MinorUnits`], or an `invalid_value` error.
    pub fn in_range(&mut self, v: i64, path: &Path<'_>) -> Option<MinorUnits> {
        let m = MinorUnits::new(v);
        if m.is_none() {
            self.issues.error(
                Code::InvalidValue,
                path,
                format!("{} is {v}, beyond ±2^53, which cannot be represented exactly", key_name(path)),
            );
        }
        m
    }

    /// A quantity: a whole number ≥ 0.
    pub fn quantity(&mut self, v: i64, path: &Path<'_>) -> Option<i64> {
        if v < 0 {
            self.issues.error(
                Code::InvalidValue,
                path,
                format!("{} is {v}; a quantity cannot be negative", key_name(path)),
            );
            return None;
        }
        Some(v)
    }

    /// An ISO 3166-1 alpha-2 country, upper-cased; anything else is a warning.
    pub fn country(&mut self, f: &impl Presence<String>, path: &Path<'_>) -> Option<String> {
        let s = self.read(f, path)?;
        if s.len() == 2 && s.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Some(s.to_ascii_uppercase());
        }
        self.issues.warning(
            Code::InvalidValue,
            path,
            format!("{} should be an ISO 3166-1 alpha-2 code, found {}; dropped", key_name(path), quote(s)),
        );
        None
    }

    /// A metadata object, passed through verbatim; anything but an object is an
    /// error, as is absence or `null` where the schema forbids them.
    pub fn metadata<const R: bool, const N: bool>(
        &mut self,
        raw: &RawObject<R, N>,
        path: &Path<'_>,
    ) -> Option<Box<RawValue>> {
        let Some(raw) = &raw.0 else {
            if R {
                self.missing(path);
            }
            return None;
        };
        match raw.get() {
            "null" if N => {}
            "null" => self.null(path, "an object"),
            text if text.starts_with('{') => return Some(raw.clone()),
            text => self.wrong_type(path, "an object", Found::of_raw(text).name()),
        }
        None
    }

    /// Warn when `parts` do not add up to `total`; a sum past ±2^53 is reported
    /// as not checkable rather than skipped.
    pub fn check_sum(&mut self, what: &str, parts: Calc, total: Option<MinorUnits>, path: &Path<'_>) {
        match (parts, total) {
            (Calc::Value(p), Some(t)) if p != t => {
                self.issues.warning(
                    Code::AmountMismatch,
                    path,
                    format!("{} is {t} but {what} come to {p}", key_name(path)),
                );
            }
            (Calc::Overflow, Some(_)) => self.issues.warning(
                Code::AmountMismatch,
                path,
                format!("{what} come to more than ±2^53, so {} cannot be checked against them", key_name(path)),
            ),
            _ => {}
        }
    }

    /// A derived amount the event carries: past ±2^53 it is an `invalid_value` error.
    pub fn derived(&mut self, what: &str, v: Calc, path: &Path<'_>) -> Option<MinorUnits> {
        match v {
            Calc::Value(m) => Some(m),
            Calc::Unknown => None,
            Calc::Overflow => {
                self.issues.error(
                    Code::InvalidValue,
                    path,
                    format!("{what} is beyond ±2^53 and cannot be represented exactly"),
                );
                None
            }
        }
    }
}

/// Arithmetic on amounts for totals and cross-checks: unknown when an input is,
/// and `Overflow` (to be reported, never skipped) past ±2^53.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Calc {
    /// An input was absent.
    Unknown,
    /// The result left the exact range.
    Overflow,
    /// The result.
    Value(MinorUnits),
}

impl Calc {
    /// From an amount that may be absent.
    pub fn of(v: Option<MinorUnits>) -> Calc {
        v.map_or(Calc::Unknown, Calc::Value)
    }

    fn then(self, other: Calc, f: fn(MinorUnits, MinorUnits) -> Option<MinorUnits>) -> Calc {
        match (self, other) {
            (Calc::Value(a), Calc::Value(b)) => f(a, b).map_or(Calc::Overflow, Calc::Value),
            (Calc::Overflow, _) | (_, Calc::Overflow) => Calc::Overflow,
            _ => Calc::Unknown,
        }
    }

    /// `self + other`.
    pub fn plus(self, other: Calc) -> Calc {
        self.then(other, MinorUnits::checked_add)
    }

    /// `self − other`.
    pub fn minus(self, other: Calc) -> Calc {
        self.then(other, MinorUnits::checked_sub)
    }

    /// The sum of all; unknown if any is.
    pub fn sum(values: impl IntoIterator<Item = Option<MinorUnits>>) -> Calc {
        values.into_iter().fold(Calc::Value(MinorUnits::ZERO), |acc, v| acc.plus(Calc::of(v)))
    }
}

/// Strip a `US-` style country prefix from a state (`US-CA` → `CA`).
pub(crate) fn tidy_address(mut a: Address) -> Address {
    if let (Some(country), Some(state)) = (&a.country, &a.state) {
        if let Some(rest) = state.strip_prefix(country.as_str()).and_then(|r| r.strip_prefix('-')) {
            a.state = Some(rest.to_owned());
        }
    }
    a
}

#[cfg(test)]
mod registry_tests {
    use super::*;

    #[test]
    fn every_provider_names_its_events_statuses_and_evidence() {
        for &p in Provider::ALL {
            let s = p.spec();
            assert!(!s.title.is_empty() && !s.events.is_empty() && !(s.statuses)().is_empty(), "{p}");
            assert!(!s.evidence.keys.is_empty() || !s.evidence.values.is_empty(), "{p}");
            if let Some(sig) = &s.signature {
                assert!(sig.headers.iter().all(|h| *h == h.to_ascii_lowercase()), "{p}: header names are lower case");
            }
        }
    }

    // Names may be shared across providers (Polar's and WooCommerce's `order.created`):
    // the provider is decided first, never by an event name alone.
    #[test]
    fn event_names_are_listed_once_per_provider() {
        for &p in Provider::ALL {
            let mut seen = std::collections::HashSet::new();
            for (event, _) in p.spec().events {
                assert!(seen.insert(*event), "{p} lists {event} twice");
            }
        }
    }

    #[test]
    fn every_provider_says_where_its_delivery_id_is_and_how_long_it_retries() {
        for &p in Provider::ALL {
            let s = p.spec();
            if let DeliveryId::Header { name } = s.delivery_id {
                assert!(!name.is_empty() && name == name.to_ascii_lowercase(), "{p}: header names are lower case");
            }
            // A provider without a delivery id retries nothing by itself: 0 h.
            let least = u32::from(s.delivery_id != DeliveryId::None);
            assert!((least..=24 * 30).contains(&s.retry_horizon_hours), "{p}: {} h", s.retry_horizon_hours);
        }
    }

    #[test]
    fn the_catalog_lists_every_provider_in_registry_order() {
        let names: Vec<Provider> = catalog().into_iter().map(|i| i.name).collect();
        assert_eq!(names, Provider::ALL);
    }
}

#[cfg(test)]
mod delivery_id_tests {
    use super::*;

    fn event(provider: Provider, event_id: Option<&str>) -> OrderEvent {
        let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/samples");
        let name = match provider {
            Provider::Polar => "polar.order.paid.json",
            Provider::Voucherify => "voucherify.customer.order.paid.json",
            _ => "vrio.order_updated.json",
        };
        let body = std::fs::read(samples.join(name)).unwrap();
        let mut event = crate::parse(&body, &Options::default()).into_result().unwrap().0;
        event.event_id = event_id.map(str::to_owned);
        event
    }

    #[test]
    fn polar_keeps_its_webhook_id_header_across_retries() {
        let headers = Headers::new(&[("Webhook-Id", "msg_2x"), ("webhook-timestamp", "1")]);
        let (plain, with_id) = (event(Provider::Polar, None), event(Provider::Polar, Some("x")));
        assert_eq!(delivery_id(Provider::Polar, &headers, &plain), Some("msg_2x"));
        assert_eq!(delivery_id(Provider::Polar, &Headers::new(&[]), &with_id), None);
    }

    #[test]
    fn voucherify_and_vrio_keep_the_bodys_event_id() {
        let headers = Headers::new(&[("webhook-id", "not theirs")]);
        for p in [Provider::Voucherify, Provider::Vrio] {
            let (with_id, without) = (event(p, Some("ev_1")), event(p, None));
            assert_eq!(delivery_id(p, &headers, &with_id), Some("ev_1"), "{p}");
            assert_eq!(delivery_id(p, &headers, &without), None, "{p}");
        }
    }

    #[test]
    fn an_empty_id_is_no_id() {
        let headers = Headers::new(&[("webhook-id", "  ")]);
        let (polar, vrio) = (event(Provider::Polar, None), event(Provider::Vrio, Some("")));
        assert_eq!(delivery_id(Provider::Polar, &headers, &polar), None);
        assert_eq!(delivery_id(Provider::Vrio, &headers, &vrio), None);
    }
}
