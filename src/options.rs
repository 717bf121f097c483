//! How to parse a body: [`Options`], its defaults, and the one reading of
//! options written as names (`{"timeZone": "z"}`) that the wasm layer, and so
//! the JavaScript API, the CLI and the preview page, all go through.

use serde::de::{Deserialize, IgnoredAny, MapAccess, Visitor};

use crate::field::{Field, Found};

use crate::money::Currency;
use crate::provider::Provider;
use crate::time::{TimeError, TimeZone};

/// Bodies larger than this are rejected unless [`Options::max_bytes`] says otherwise.
pub const DEFAULT_MAX_BYTES: usize = 1024 * 1024;

/// How to parse a body. `Options::default()` detects the provider, assumes UTC
/// for zone-less dates (with a warning) and accepts up to 1 MiB.
///
/// ```
/// use orderhook::{Options, Provider};
/// let options = Options { provider: Some(Provider::Vrio), ..Options::default() };
/// assert_eq!(options.max_bytes, orderhook::DEFAULT_MAX_BYTES);
/// ```
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
    /// Keep the body as read in the outcome ([`crate::Outcome::source`], JavaScript's
    /// `includeSource`): it costs one copy of the body, so only when asked.
    pub include_source: bool,
    /// The delivery id a verified signature vouched for ([`crate::verify::Verified::id`]),
    /// used as the event's `event_id` when the body carries none (Polar sends it
    /// only in the `webhook-id` header).
    pub event_id: Option<String>,
    /// The event type, for a provider that sends it outside the body (in a
    /// request header); `parseRequest` reads that header. Ignored where the body
    /// carries its own.
    pub event_type: Option<String>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            provider: None,
            time_zone: None,
            currency: None,
            max_bytes: DEFAULT_MAX_BYTES,
            strict: false,
            include_source: false,
            event_id: None,
            event_type: None,
        }
    }
}

/// Options as JavaScript writes them (camelCase names, strings for types), read
/// once, here, so every front end accepts and refuses the same things.
#[derive(Debug, Clone, Default)]
pub struct NamedOptions {
    /// The options themselves.
    pub options: Options,
}

/// The parse option names, in the order the docs list them.
pub const PARSE_OPTION_NAMES: [&str; 8] =
    ["provider", "timeZone", "currency", "maxBytes", "includeSource", "strict", "eventId", "eventType"];

/// The verify option names (`now` is read by the JavaScript layer: the core
/// never reads a clock).
pub const VERIFY_OPTION_NAMES: [&str; 2] = ["toleranceSeconds", "now"];

/// The `parseRequest` option names: the secret, then the verify and parse options.
pub const REQUEST_OPTION_NAMES: [&str; 11] = [
    "secret",
    "toleranceSeconds",
    "now",
    "provider",
    "timeZone",
    "currency",
    "maxBytes",
    "includeSource",
    "strict",
    "eventId",
    "eventType",
];

/// The detect option names.
pub const DETECT_OPTION_NAMES: [&str; 1] = ["maxBytes"];

/// Why options could not be read: a misuse of the API, for the caller to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionError(pub String);

impl std::fmt::Display for OptionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for OptionError {}

/// Options as written, each a [`Field`] that records a wrong type instead of
/// failing, and every name given (checked against the caller's list).
#[derive(Default)]
pub(crate) struct Written {
    names: Vec<String>,
    provider: Field<String>,
    time_zone: Field<String>,
    currency: Field<String>,
    max_bytes: Field<i64>,
    include_source: Field<bool>,
    strict: Field<bool>,
    event_id: Field<String>,
    event_type: Field<String>,
    tolerance_seconds: Field<i64>,
}

impl<'de> Deserialize<'de> for Written {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Written, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Written;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an options object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Written, A::Error> {
                let mut w = Written::default();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "provider" => w.provider = map.next_value()?,
                        "timeZone" => w.time_zone = map.next_value()?,
                        "currency" => w.currency = map.next_value()?,
                        "maxBytes" => w.max_bytes = map.next_value()?,
                        "includeSource" => w.include_source = map.next_value()?,
                        "strict" => w.strict = map.next_value()?,
                        "eventId" => w.event_id = map.next_value()?,
                        "eventType" => w.event_type = map.next_value()?,
                        "toleranceSeconds" => w.tolerance_seconds = map.next_value()?,
                        // The caller's own values (a secret, a clock): named here, read in JavaScript.
                        "secret" | "now" => {
                            map.next_value::<IgnoredAny>()?;
                        }
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                    w.names.push(key);
                }
                Ok(w)
            }
        }
        d.deserialize_map(V)
    }
}

fn a(found: Found) -> &'static str {
    match found {
        Found::Bool => "a boolean",
        Found::Integer => "an integer",
        Found::Float => "a number with a fraction",
        Found::String => "a string",
        Found::Array => "an array",
        Found::Object => "an object",
    }
}

/// An option that may be left out; `null` and an empty string (an empty form
/// field) mean "not given".
fn text<'v>(f: &'v Field<String>, name: &str) -> Result<Option<&'v str>, OptionError> {
    match f {
        Field::Missing | Field::Null => Ok(None),
        Field::Value(s) if s.trim().is_empty() => Ok(None),
        Field::Value(s) => Ok(Some(s.trim())),
        Field::Invalid(found) => Err(OptionError(format!("`{name}` must be a string, not {}", a(*found)))),
    }
}

fn flag(f: &Field<bool>, name: &str) -> Result<bool, OptionError> {
    match f {
        Field::Missing | Field::Null => Ok(false),
        Field::Value(b) => Ok(*b),
        Field::Invalid(found) => Err(OptionError(format!("`{name}` must be a boolean, not {}", a(*found)))),
    }
}

/// A non-negative whole number option; `None` when left out.
fn count(f: &Field<i64>, name: &str) -> Result<Option<u64>, OptionError> {
    match f {
        Field::Missing | Field::Null => Ok(None),
        Field::Value(n) if (0..=1 << 53).contains(n) => Ok(u64::try_from(*n).ok()),
        Field::Value(n) => Err(OptionError(format!("`{name}` must be a non-negative integer, not {n}"))),
        Field::Invalid(found) => {
            Err(OptionError(format!("`{name}` must be a non-negative integer, not {}", a(*found))))
        }
    }
}

impl Written {
    /// Read options JSON, refusing names that are not in `known`.
    pub(crate) fn read(json: &str, known: &[&str], what: &str) -> Result<Written, OptionError> {
        let w: Written = serde_json::from_str(json)
            .map_err(|e| OptionError(format!("{what} options must be a JSON object ({e})")))?;
        check_names(&w.names, known, what)?;
        Ok(w)
    }

    /// `maxBytes`, or the default.
    pub(crate) fn max_bytes(&self) -> Result<usize, OptionError> {
        Ok(count(&self.max_bytes, "maxBytes")?.map_or(DEFAULT_MAX_BYTES, |n| usize::try_from(n).unwrap_or(usize::MAX)))
    }

    /// `toleranceSeconds`, if given (read by the wasm layer's `verify`).
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    pub(crate) fn tolerance_seconds(&self) -> Result<Option<i64>, OptionError> {
        Ok(count(&self.tolerance_seconds, "toleranceSeconds")?.map(|n| i64::try_from(n).unwrap_or(i64::MAX)))
    }
}

/// Refuse names that are not in `known`, hinting at camelCase for snake_case.
fn check_names(names: &[String], known: &[&str], what: &str) -> Result<(), OptionError> {
    for key in names {
        if known.contains(&key.as_str()) {
            continue;
        }
        let mut camel = String::new();
        let mut up = false;
        for c in key.chars() {
            match c {
                '_' => up = true,
                c if up => {
                    // The known names are ASCII, so only an ASCII letter can make one
                    // (and Unicode's case tables cost 10 KB of wasm).
                    camel.push(c.to_ascii_uppercase());
                    up = false;
                }
                c => camel.push(c),
            }
        }
        let hint = if camel != *key && known.contains(&camel.as_str()) {
            format!("; options are camelCase: did you mean `{camel}`?")
        } else {
            String::new()
        };
        return Err(OptionError(format!("unknown {what} option `{key}`{hint} (known: {})", known.join(", "))));
    }
    Ok(())
}

/// The message for a provider name that is not registered.
pub(crate) fn unknown_provider(name: &str) -> OptionError {
    let names: Vec<String> = Provider::ALL.iter().map(|p| format!("\"{p}\"")).collect();
    if let Some(elsewhere) = Provider::EVERY_NAME.iter().find(|n| n.eq_ignore_ascii_case(name)) {
        // A per-provider build (`orderhook/stripe`) asked for another provider.
        return OptionError(format!(
            "provider \"{elsewhere}\" is not in this build of orderhook, which reads {}; \
             import \"orderhook\" (every provider) or \"orderhook/{elsewhere}\"",
            names.join(", ")
        ));
    }
    OptionError(format!("unknown provider \"{name}\"; expected one of {}", names.join(", ")))
}

impl NamedOptions {
    /// Read parse options from a JSON object of [`PARSE_OPTION_NAMES`].
    /// `named_zone` resolves an IANA zone name (the host's `Intl` in wasm, the
    /// system database natively); UTC and fixed offsets are read here.
    ///
    /// ```
    /// use orderhook::options::NamedOptions;
    /// let o = NamedOptions::from_json(r#"{"timeZone":"z","provider":"VRIO"}"#, |_| None).unwrap();
    /// assert_eq!(o.options.time_zone.unwrap().name(), "UTC");
    /// assert!(NamedOptions::from_json(r#"{"time_zone":"UTC"}"#, |_| None).unwrap_err().0.contains("timeZone"));
    /// ```
    ///
    /// # Errors
    /// An [`OptionError`] naming the option and what is wrong with it.
    pub fn from_json(json: &str, named_zone: impl Fn(&str) -> Option<TimeZone>) -> Result<NamedOptions, OptionError> {
        NamedOptions::from_written(&Written::read(json, &PARSE_OPTION_NAMES, "parse")?, named_zone)
    }

    /// Check the options of a `parseRequest` call ([`REQUEST_OPTION_NAMES`]):
    /// names, and the values of its parse options, before any body is read (the
    /// verify options are read when a secret makes it verify). The secret and
    /// the clock are the caller's and not read here.
    ///
    /// # Errors
    /// An [`OptionError`] naming the option and what is wrong with it.
    pub fn check_request(json: &str, named_zone: impl Fn(&str) -> Option<TimeZone>) -> Result<(), OptionError> {
        let w = Written::read(json, &REQUEST_OPTION_NAMES, "parseRequest")?;
        NamedOptions::from_written(&w, named_zone).map(|_| ())
    }

    fn from_written(w: &Written, named_zone: impl Fn(&str) -> Option<TimeZone>) -> Result<NamedOptions, OptionError> {
        let provider = match text(&w.provider, "provider")? {
            Some(name) => Some(Provider::from_name(name).ok_or_else(|| unknown_provider(name))?),
            None => None,
        };
        let time_zone = match text(&w.time_zone, "timeZone")? {
            Some(name) => Some(match TimeZone::parse(name) {
                Ok(tz) => tz,
                Err(e) => named_zone(name).ok_or_else(|| {
                    let why = if e == TimeError::UnknownZone { String::new() } else { format!(" ({e})") };
                    OptionError(format!(
                        "unknown time zone \"{name}\"{why}; use an IANA name such as \"America/New_York\", \
                         \"UTC\", or an offset such as \"+02:00\""
                    ))
                })?,
            }),
            None => None,
        };
        let currency = match text(&w.currency, "currency")? {
            Some(code) => {
                Some(Currency::parse(code).map_err(|why| OptionError(format!("`currency` \"{code}\" {why}")))?)
            }
            None => None,
        };
        Ok(NamedOptions {
            options: Options {
                provider,
                time_zone,
                currency,
                max_bytes: w.max_bytes()?,
                strict: flag(&w.strict, "strict")?,
                include_source: flag(&w.include_source, "includeSource")?,
                event_id: text(&w.event_id, "eventId")?.map(str::to_owned),
                event_type: text(&w.event_type, "eventType")?.map(str::to_owned),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Result<NamedOptions, String> {
        NamedOptions::from_json(json, |_| None).map_err(|e| e.0)
    }

    #[test]
    fn utc_is_read_in_any_spelling() {
        for name in ["z", "Z", "utc", "UTC", "Etc/UTC", "gmt", "+00:00"] {
            let o = read(&format!(r#"{{"timeZone":"{name}"}}"#)).unwrap();
            assert_eq!(o.options.time_zone.unwrap().name(), "UTC", "{name}");
        }
    }

    #[test]
    fn provider_names_are_case_insensitive() {
        assert_eq!(read(r#"{"provider":"VRIO"}"#).unwrap().options.provider, Some(Provider::Vrio));
        assert!(read(r#"{"provider":"square"}"#).unwrap_err().contains("expected one of \"polar\""));
    }

    #[test]
    fn empty_strings_and_nulls_mean_not_given() {
        let o = read(r#"{"provider":"","timeZone":" ","currency":null,"maxBytes":null}"#).unwrap();
        assert!(o.options.provider.is_none() && o.options.time_zone.is_none() && o.options.currency.is_none());
        assert_eq!(o.options.max_bytes, DEFAULT_MAX_BYTES);
    }

    #[test]
    fn misuse_is_named() {
        assert_eq!(read(r#"{"maxBytes":-1}"#).unwrap_err(), "`maxBytes` must be a non-negative integer, not -1");
        assert_eq!(read(r#"{"strict":"yes"}"#).unwrap_err(), "`strict` must be a boolean, not a string");
        assert!(read(r#"{"currency":"XAU"}"#).unwrap_err().contains("without a minor unit"));
        assert!(read(r#"{"timeZone":"Mars/Olympus"}"#).unwrap_err().starts_with("unknown time zone \"Mars/Olympus\""));
        assert!(read(r#"{"max_bytes":1}"#).unwrap_err().contains("did you mean `maxBytes`?"));
    }
}
