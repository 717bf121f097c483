//! Webhook signature checks on the raw body bytes, before any parsing: Polar's
//! Standard Webhooks scheme, Voucherify's HMAC, Paddle's `Paddle-Signature`, Stripe's
//! `Stripe-Signature` and Shopify's `X-Shopify-Hmac-Sha256` here; Lemon Squeezy's and
//! WooCommerce's body HMACs in their provider modules. Takes the time as an argument.

mod paddle;
mod shopify;
mod standard_webhooks;
pub(crate) mod stripe;

pub use self::shopify::shopify;
pub(crate) use self::shopify::shopify_with;
mod voucherify;

pub(crate) use paddle::HEADER as PADDLE_HEADER;

use std::borrow::Cow;

use crate::issue::{Code, Issue};
use crate::provider::Provider;

/// How far, in seconds, a signed timestamp may be from `now` (either way) by default.
pub const DEFAULT_TOLERANCE_SECONDS: i64 = 300;

/// Request headers as `(name, value)` pairs, looked up by name case-insensitively.
///
/// Borrow a slice with [`Headers::new`], or collect pairs from any iterator:
///
/// ```
/// use orderhook::verify::Headers;
/// let headers = Headers::new(&[("Webhook-Id", "msg_1")]);
/// assert_eq!(headers.get("webhook-id"), Some("msg_1"));
/// let collected: Headers = vec![("X-A", " b ")].into_iter().collect();
/// assert_eq!(collected.get("x-a"), Some("b"));
/// ```
#[derive(Debug, Clone, Default)]
pub struct Headers<'a> {
    pairs: Cow<'a, [(&'a str, &'a str)]>,
}

impl<'a> Headers<'a> {
    /// Headers over borrowed pairs; nothing is copied.
    pub fn new(pairs: &'a [(&'a str, &'a str)]) -> Headers<'a> {
        Headers { pairs: Cow::Borrowed(pairs) }
    }

    /// The value of the first header called `name` (ASCII case-insensitive),
    /// without surrounding spaces or tabs, which HTTP does not count as part of it.
    pub fn get(&self, name: &str) -> Option<&'a str> {
        self.pairs.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|&(_, v)| v.trim_matches([' ', '\t']))
    }
}

impl<'a> FromIterator<(&'a str, &'a str)> for Headers<'a> {
    fn from_iter<I: IntoIterator<Item = (&'a str, &'a str)>>(iter: I) -> Headers<'a> {
        Headers { pairs: Cow::Owned(iter.into_iter().collect()) }
    }
}

/// What a signature check vouches for, beyond the body.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Verified {
    /// The delivery id the provider signed and keeps across retries, when it
    /// sends one outside the body (Polar's `webhook-id`); pass it on as
    /// [`crate::Options::event_id`] so the event can be de-duplicated.
    pub id: Option<String>,
}

/// Check the signature of a webhook from `provider`, by its scheme.
///
/// `now_unix_s` is the current time in Unix seconds (the library never reads the
/// clock) and `tolerance_s` the allowed clock distance for schemes with a signed
/// timestamp (Polar); see [`DEFAULT_TOLERANCE_SECONDS`].
///
/// # Errors
/// An [`Issue`] with path `""`: `invalid_secret` for an empty secret,
/// `unsupported` for a provider that does not sign (Vrio), and otherwise as the
/// scheme's own function ([`polar`], [`voucherify`], [`paddle`], [`stripe`]) describes.
pub fn verify(
    provider: Provider,
    body: &[u8],
    headers: &Headers<'_>,
    secret: &str,
    now_unix_s: i64,
    tolerance_s: i64,
) -> Result<Verified, Issue> {
    verify_with(provider, body, headers, secret, now_unix_s, tolerance_s, &hmac_sha256)
}

/// HMAC-SHA256 of `prefix` then `body` under `key`. The rules (which keys, which
/// bytes, the constant-time comparison) stay in this module; only the hash may
/// come from the host: the wasm layer passes node:crypto's where the host has it.
pub(crate) type HmacFn<'a> = &'a dyn Fn(&[u8], &[u8], &[u8]) -> [u8; 32];

/// The crate's own HMAC-SHA256 (sha2), for hosts without a native one.
pub(crate) fn hmac_sha256(key: &[u8], prefix: &[u8], body: &[u8]) -> [u8; 32] {
    use hmac::Mac;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key).expect("hmac accepts keys of any length");
    mac.update(prefix);
    mac.update(body);
    mac.finalize().into_bytes().into()
}

/// [`verify`] with the HMAC computed by `hmac`.
pub(crate) fn verify_with(
    provider: Provider,
    body: &[u8],
    headers: &Headers<'_>,
    secret: &str,
    now_unix_s: i64,
    tolerance_s: i64,
    hmac: HmacFn<'_>,
) -> Result<Verified, Issue> {
    let Some(signature) = &provider.spec().signature else {
        return Err(Issue::error(
            Code::Unsupported,
            "",
            format!(
                "{provider} sends no signature, so its webhooks cannot be verified; protect the endpoint \
                 with a secret token in the URL path or an IP allow-list"
            ),
        ));
    };
    check_secret(secret)?;
    (signature.verify)(body, headers, secret, now_unix_s, tolerance_s, hmac)
}

/// Check a Polar webhook (Standard Webhooks headers `webhook-id`,
/// `webhook-timestamp`, `webhook-signature`).
///
/// Accepts a `v1` signature made with either of Polar's keys: the UTF-8 bytes of
/// the whole secret (secrets created before 2026-09-08) or the base64 key after
/// `whsec_` (the Standard Webhooks way, used since).
///
/// # Errors
/// An [`Issue`] with path `""` and code `invalid_secret` (empty secret),
/// `missing_signature` (a header is absent), `malformed_header` (timestamp not an
/// integer, or no `version,signature` entry), `stale_timestamp` (more than
/// `tolerance_s` seconds from `now_unix_s`) or `bad_signature` (no `v1` entry
/// matches, which includes a header holding only other versions such as `v1a`).
pub fn polar(
    body: &[u8],
    headers: &Headers<'_>,
    secret: &str,
    now_unix_s: i64,
    tolerance_s: i64,
) -> Result<Verified, Issue> {
    check_secret(secret)?;
    polar_with(body, headers, secret, now_unix_s, tolerance_s, &hmac_sha256)
}

/// [`polar`] with the HMAC computed by `hmac`, for a secret already checked
/// ([`verify_with`] checks it once for every scheme).
pub(crate) fn polar_with(
    body: &[u8],
    headers: &Headers<'_>,
    secret: &str,
    now_unix_s: i64,
    tolerance_s: i64,
    hmac: HmacFn<'_>,
) -> Result<Verified, Issue> {
    standard_webhooks::verify(body, headers, secret, now_unix_s, tolerance_s, hmac)?;
    Ok(Verified { id: headers.get(standard_webhooks::ID).map(str::to_owned) })
}

/// Check a Voucherify webhook against its `x-voucherify-signature` header value
/// (hex HMAC-SHA256 of the body under the secret).
///
/// The raw body is tried first, then, for a JSON body, the body without the
/// whitespace outside strings (Voucherify signs compact JSON).
///
/// # Errors
/// An [`Issue`] with path `""` and code `invalid_secret` (empty secret),
/// `missing_signature` (`signature_header` is `None`), `malformed_header` (not
/// 64 hex digits) or `bad_signature`.
pub fn voucherify(body: &[u8], signature_header: Option<&str>, secret: &str) -> Result<Verified, Issue> {
    check_secret(secret)?;
    voucherify_with(body, signature_header, secret, &hmac_sha256)
}

/// [`voucherify`] with the HMAC computed by `hmac`, for a secret already checked
/// ([`verify_with`] checks it once for every scheme).
pub(crate) fn voucherify_with(
    body: &[u8],
    signature_header: Option<&str>,
    secret: &str,
    hmac: HmacFn<'_>,
) -> Result<Verified, Issue> {
    voucherify::verify(body, signature_header, secret, hmac)?;
    // Voucherify's delivery id (`event.id`) is in the signed body itself.
    Ok(Verified { id: None })
}

/// Check a Paddle Billing webhook against its `Paddle-Signature` header value
/// (`ts=…;h1=…`, each `h1` the hex HMAC-SHA256 of `{ts}:{body}` under the secret).
///
/// Any `h1` may match: Paddle sends one per secret while a secret is rotated.
///
/// # Errors
/// An [`Issue`] with path `""` and code `invalid_secret` (empty secret),
/// `missing_signature` (no header, or an empty one), `malformed_header` (no `ts`,
/// two `ts`, a `ts` that is not plain digits, or no `h1`), `stale_timestamp`
/// (`ts` more than `tolerance_s` seconds from `now_unix_s`) or `bad_signature`.
pub fn paddle(
    body: &[u8],
    signature_header: Option<&str>,
    secret: &str,
    now_unix_s: i64,
    tolerance_s: i64,
) -> Result<Verified, Issue> {
    check_secret(secret)?;
    paddle_with(body, signature_header, secret, now_unix_s, tolerance_s, &hmac_sha256)
}

/// [`paddle`] with the HMAC computed by `hmac`, for a secret already checked
/// ([`verify_with`] checks it once for every scheme).
pub(crate) fn paddle_with(
    body: &[u8],
    signature_header: Option<&str>,
    secret: &str,
    now_unix_s: i64,
    tolerance_s: i64,
    hmac: HmacFn<'_>,
) -> Result<Verified, Issue> {
    paddle::verify(body, signature_header, secret, now_unix_s, tolerance_s, hmac)?;
    // Paddle's delivery id (`event_id`) is in the signed body itself.
    Ok(Verified { id: None })
}

/// Check a Stripe webhook against its `Stripe-Signature` header value
/// (`t=<unix s>,v1=<hex>[,v1=…]`: hex HMAC-SHA256 of `{t}.{body}` keyed by the
/// secret's UTF-8 bytes, `whsec_` included).
///
/// Any `v1` may match (Stripe signs with every active secret while one is rolled);
/// other schemes (the test-mode `v0`) are ignored. The timestamp must be within
/// `tolerance_s` seconds of `now_unix_s`, either way.
///
/// # Errors
/// An [`Issue`] with path `""` and code `invalid_secret` (empty secret),
/// `missing_signature` (`signature_header` is `None`), `malformed_header` (no `t`,
/// a `t` that is not decimal digits, two different `t`, or no signature at all),
/// `stale_timestamp`, or `bad_signature` (no `v1`, or none that matches).
pub fn stripe(
    body: &[u8],
    signature_header: Option<&str>,
    secret: &str,
    now_unix_s: i64,
    tolerance_s: i64,
) -> Result<Verified, Issue> {
    check_secret(secret)?;
    stripe_with(body, signature_header, secret, now_unix_s, tolerance_s, &hmac_sha256)
}

/// [`stripe`] with the HMAC computed by `hmac`, for a secret already checked
/// ([`verify_with`] checks it once for every scheme).
pub(crate) fn stripe_with(
    body: &[u8],
    signature_header: Option<&str>,
    secret: &str,
    now_unix_s: i64,
    tolerance_s: i64,
    hmac: HmacFn<'_>,
) -> Result<Verified, Issue> {
    stripe::verify(body, signature_header, secret, now_unix_s, tolerance_s, hmac)?;
    // Stripe's delivery id (`id`, `evt_…`) is in the signed body itself.
    Ok(Verified { id: None })
}

/// Whether the signed time `ts` (unix seconds) is within `tolerance` seconds of
/// `now`, either way; `what` names it in the message ("`webhook-timestamp` header").
fn check_age(what: &str, ts: i64, now: i64, tolerance: i64) -> Result<(), Issue> {
    // i128: neither the header nor `now` can make the difference overflow.
    let age = i128::from(now) - i128::from(ts);
    // A negative tolerance can only mean none.
    let tolerance = i128::from(tolerance.max(0));
    if age > tolerance {
        return Err(stale(what, format!("is too old: {age} seconds before now"), tolerance));
    }
    if -age > tolerance {
        return Err(stale(what, format!("is too new: {} seconds after now", -age), tolerance));
    }
    Ok(())
}

#[cold]
fn stale(what: &str, how: String, tolerance: i128) -> Issue {
    let message = format!("{what} {how}, beyond the tolerance of {tolerance} seconds");
    Issue::error(Code::StaleTimestamp, "", message)
}

/// Unix seconds as plain decimal digits: `i64::from_str` would also take a `+` sign.
fn parse_seconds(s: &str) -> Option<i64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// 64 hex digits, either case, to the 32 bytes of an HMAC-SHA256.
pub(crate) fn decode_hex(s: &str) -> Option<[u8; 32]> {
    let s = s.as_bytes();
    if s.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (byte, pair) in out.iter_mut().zip(s.chunks_exact(2)) {
        *byte = (nibble(pair[0])? << 4) | nibble(pair[1])?;
    }
    Some(out)
}

fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

fn check_secret(secret: &str) -> Result<(), Issue> {
    if secret.is_empty() {
        return Err(Issue::error(Code::InvalidSecret, "", "secret is empty"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_lookup_ignores_case_and_surrounding_spaces() {
        let headers = Headers::new(&[("Content-Type", "json"), ("WEBHOOK-ID", "\t msg_1 ")]);
        assert_eq!(headers.get("webhook-id"), Some("msg_1"));
        assert_eq!(headers.get("content-type"), Some("json"));
        assert_eq!(headers.get("webhook-signature"), None);
    }

    #[test]
    fn header_lookup_returns_the_first_of_repeated_names() {
        let headers: Headers = [("a", "1"), ("A", "2")].into_iter().collect();
        assert_eq!(headers.get("a"), Some("1"));
    }

    #[test]
    fn hex_decoding_accepts_both_cases_and_rejects_other_lengths_or_digits() {
        let lower = "a17d2ac229d1ebbb5f10e839c7985c4818e5986eab297f7e5979196d4d7d3ed2";
        assert_eq!(decode_hex(lower), decode_hex(&lower.to_uppercase()));
        assert!(decode_hex(lower).is_some());
        assert!(decode_hex(&lower[..62]).is_none());
        assert!(decode_hex(&format!("{}zz", &lower[..62])).is_none());
        assert!(decode_hex(&format!("sha256={lower}")).is_none());
    }

    #[test]
    fn vrio_is_unsupported_whatever_the_secret() {
        let err = verify(Provider::Vrio, b"{}", &Headers::default(), "s", 0, 300).unwrap_err();
        assert_eq!(err.code, Code::Unsupported);
        assert!(err.message.contains("IP allow-list"));
    }

    #[test]
    fn empty_secret_is_invalid_for_signing_providers() {
        for provider in [Provider::Polar, Provider::Voucherify, Provider::Paddle] {
            let err = verify(provider, b"{}", &Headers::default(), "", 0, 300).unwrap_err();
            assert_eq!(err.code, Code::InvalidSecret);
            assert_eq!(err.message, "secret is empty");
            assert_eq!(err.path, "");
        }
    }

    #[test]
    fn dispatch_reads_the_voucherify_header() {
        let err = verify(Provider::Voucherify, b"{}", &Headers::default(), "s", 0, 300).unwrap_err();
        assert_eq!(err.code, Code::MissingSignature);
        assert!(err.message.contains("`x-voucherify-signature`"));
    }
}
