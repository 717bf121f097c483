//! Webhook signature checks on the raw body bytes, before any parsing: Polar's
//! Standard Webhooks scheme and Voucherify's HMAC. Takes the time as an argument.

mod standard_webhooks;
mod voucherify;

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
/// scheme's own function ([`polar`], [`voucherify`]) describes.
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
    polar_with(body, headers, secret, now_unix_s, tolerance_s, &hmac_sha256)
}

/// [`polar`] with the HMAC computed by `hmac`.
pub(crate) fn polar_with(
    body: &[u8],
    headers: &Headers<'_>,
    secret: &str,
    now_unix_s: i64,
    tolerance_s: i64,
    hmac: HmacFn<'_>,
) -> Result<Verified, Issue> {
    check_secret(secret)?;
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
    voucherify_with(body, signature_header, secret, &hmac_sha256)
}

/// [`voucherify`] with the HMAC computed by `hmac`.
pub(crate) fn voucherify_with(
    body: &[u8],
    signature_header: Option<&str>,
    secret: &str,
    hmac: HmacFn<'_>,
) -> Result<Verified, Issue> {
    check_secret(secret)?;
    voucherify::verify(body, signature_header, secret, hmac)?;
    // Voucherify's delivery id (`event.id`) is in the signed body itself.
    Ok(Verified { id: None })
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
    fn vrio_is_unsupported_whatever_the_secret() {
        let err = verify(Provider::Vrio, b"{}", &Headers::default(), "s", 0, 300).unwrap_err();
        assert_eq!(err.code, Code::Unsupported);
        assert!(err.message.contains("IP allow-list"));
    }

    #[test]
    fn empty_secret_is_invalid_for_signing_providers() {
        for provider in [Provider::Polar, Provider::Voucherify] {
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
