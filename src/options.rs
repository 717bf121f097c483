//! How to parse a body: [`Options`], its defaults, and the one reading of
//! options written as names (`{"timeZone": "z"}`) that the wasm layer, and so
//! the JavaScript API, the CLI and the preview page, all go through.

use serde_json::{Map, Value};

use crate::money::Currency;
use crate::provider::Provider;
use crate::time::TimeZone;

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
    /// The delivery id a verified signature vouched for ([`crate::verify::Verified::id`]),
    /// used as the event's `event_id` when the body carries none (Polar sends it
    /// only in the `webhook-id` header).
    pub event_id: Option<String>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            provider: None,
            time_zone: None,
            currency: None,
            max_bytes: DEFAULT_MAX_BYTES,
            strict: false,
            event_id: None,
        }
    }
}

/// Options as JavaScript writes them (camelCase names, strings for types), read
/// once, here, so every front end accepts and refuses the same things.
#[derive(Debug, Clone, Default)]
pub struct NamedOptions {
    /// The options themselves.
    pub options: Options,
    /// `includeSource`: also return the provider-typed event.
    pub include_source: bool,
}

/// The parse option names, in the order the docs list them.
pub const PARSE_OPTION_NAMES: [&str; 7] =
    ["provider", "timeZone", "currency", "maxBytes", "includeSource", "strict", "eventId"];

/// The verify option names (`now` is read by the JavaScript layer: the core
/// never reads a clock).
pub const VERIFY_OPTION_NAMES: [&str; 2] = ["toleranceSeconds", "now"];

/// Why options could not be read: a misuse of the API, for the caller to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionError(pub String);

impl std::fmt::Display for OptionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for OptionError {}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// An option that may be left out; `null` and an empty string (an empty form
/// field) mean "not given".
fn text<'v>(map: &'v Map<String, Value>, name: &str) -> Result<Option<&'v str>, OptionError> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim())),
        Some(v) => Err(OptionError(format!("`{name}` must be a string, not {}", kind_of(v)))),
    }
}

fn flag(map: &Map<String, Value>, name: &str) -> Result<bool, OptionError> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(v) => Err(OptionError(format!("`{name}` must be a boolean, not {}", kind_of(v)))),
    }
}

/// A non-negative whole number option; `None` when left out.
pub(crate) fn count(map: &Map<String, Value>, name: &str) -> Result<Option<u64>, OptionError> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) if n.as_u64().is_some_and(|n| n <= (1 << 53)) => Ok(n.as_u64()),
        Some(v) => Err(OptionError(format!("`{name}` must be a non-negative integer, not {v}"))),
    }
}

/// Refuse names that are not in `known`, hinting at camelCase for snake_case.
pub(crate) fn check_names(map: &Map<String, Value>, known: &[&str], what: &str) -> Result<(), OptionError> {
    for key in map.keys() {
        if known.contains(&key.as_str()) {
            continue;
        }
        let mut camel = String::new();
        let mut up = false;
        for c in key.chars() {
            match c {
                '_' => up = true,
                c if up => {
                    camel.extend(c.to_uppercase());
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
        let map = match serde_json::from_str::<Value>(json) {
            Ok(Value::Object(map)) => map,
            Ok(other) => return Err(OptionError(format!("parse options must be an object, not {}", kind_of(&other)))),
            Err(e) => return Err(OptionError(format!("parse options are not JSON: {e}"))),
        };
        check_names(&map, &PARSE_OPTION_NAMES, "parse")?;
        let provider = match text(&map, "provider")? {
            Some(name) => Some(Provider::from_name(name).ok_or_else(|| unknown_provider(name))?),
            None => None,
        };
        let time_zone = match text(&map, "timeZone")? {
            Some(name) => Some(match TimeZone::parse(name) {
                Ok(tz) => tz,
                Err(e) => named_zone(name).ok_or_else(|| {
                    OptionError(format!(
                        "unknown time zone \"{name}\" ({e}); use an IANA name such as \"America/New_York\", \
                         \"UTC\", or an offset such as \"+02:00\""
                    ))
                })?,
            }),
            None => None,
        };
        let currency = match text(&map, "currency")? {
            Some(code) => {
                Some(Currency::parse(code).map_err(|why| OptionError(format!("`currency` \"{code}\" {why}")))?)
            }
            None => None,
        };
        let max_bytes =
            count(&map, "maxBytes")?.map_or(DEFAULT_MAX_BYTES, |n| usize::try_from(n).unwrap_or(usize::MAX));
        Ok(NamedOptions {
            options: Options {
                provider,
                time_zone,
                currency,
                max_bytes,
                strict: flag(&map, "strict")?,
                event_id: text(&map, "eventId")?.map(str::to_owned),
            },
            include_source: flag(&map, "includeSource")?,
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
        assert!(read(r#"{"provider":"stripe"}"#).unwrap_err().contains("expected one of \"polar\""));
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
