//! Shopify's scheme: `X-Shopify-Hmac-Sha256` is the base64 HMAC-SHA256 of the raw
//! body under the app's client secret. No timestamp, one signature, headers unsigned.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use subtle::ConstantTimeEq;

use super::{check_secret, hmac_sha256, Headers, HmacFn, Verified};
use crate::issue::{Code, Issue};

/// The signature header; Events deliveries (developer preview) name it without `X-`,
/// as `@shopify/shopify-api` also accepts.
const HEADERS: [&str; 2] = ["x-shopify-hmac-sha256", "shopify-hmac-sha256"];
/// The delivery id, the same on every retry of one delivery.
const ID_HEADERS: [&str; 2] = ["x-shopify-webhook-id", "shopify-webhook-id"];

/// Check a Shopify webhook: `X-Shopify-Hmac-Sha256` is the base64 HMAC-SHA256 of the
/// raw body under the app's client secret (for a webhook made in the store admin,
/// the signing key shown there). Shopify signs no timestamp. The id is the
/// `X-Shopify-Webhook-Id` delivery id, the same on every retry; Shopify does not
/// sign it (nor any other header).
///
/// # Errors
/// An [`Issue`] with path `""` and code `invalid_secret` (empty secret),
/// `missing_signature` (no header, or an empty one), `malformed_header` (not a
/// padded base64 value of 32 bytes) or `bad_signature`.
pub fn shopify(body: &[u8], headers: &Headers<'_>, secret: &str) -> Result<Verified, Issue> {
    check_secret(secret)?;
    shopify_with(body, headers, secret, &hmac_sha256)
}

/// [`shopify`] with the HMAC computed by `hmac`, for a secret already checked
/// ([`super::verify_with`] checks it once for every scheme).
pub(crate) fn shopify_with(
    body: &[u8],
    headers: &Headers<'_>,
    secret: &str,
    hmac: HmacFn<'_>,
) -> Result<Verified, Issue> {
    verify(body, headers, secret, hmac)?;
    Ok(Verified { id: first(headers, &ID_HEADERS).map(str::to_owned) })
}

fn first<'a>(headers: &Headers<'a>, names: &[&str]) -> Option<&'a str> {
    names.iter().find_map(|n| headers.get(n)).filter(|v| !v.is_empty())
}

fn verify(body: &[u8], headers: &Headers<'_>, secret: &str, hmac: HmacFn<'_>) -> Result<(), Issue> {
    // An empty value counts as absent, as in Shopify's library.
    let header = first(headers, &HEADERS)
        .ok_or_else(|| Issue::error(Code::MissingSignature, "", "`x-shopify-hmac-sha256` header is missing"))?;
    let expected = STANDARD.decode(header).ok().filter(|d| d.len() == 32).ok_or_else(|| {
        Issue::error(
            Code::MalformedHeader,
            "",
            "`x-shopify-hmac-sha256` header is not a base64 hmac-sha256 (44 characters, padded)",
        )
    })?;
    if bool::from(hmac(secret.as_bytes(), b"", body).ct_eq(&expected[..])) {
        return Ok(());
    }
    Err(Issue::error(
        Code::BadSignature,
        "",
        "`x-shopify-hmac-sha256` header does not match the hmac-sha256 of the raw body made with the secret",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shopify_library_test_vector_verifies() {
        // @shopify/shopify-api lib/webhooks/__tests__/validate.test.ts, apiSecretKey `test_secret_key`.
        let h = [("X-Shopify-Hmac-Sha256", "B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g=")];
        assert!(shopify(br#"{"foo": "bar"}"#, &Headers::new(&h), "test_secret_key").is_ok());
        let err = shopify(br#"{"foo":"bar"}"#, &Headers::new(&h), "test_secret_key").unwrap_err();
        assert_eq!(err.code, Code::BadSignature);
    }

    #[test]
    fn unpadded_or_hex_signatures_are_malformed() {
        for v in [
            "B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g",
            "076dad5cdebad60674a8858d46bb60c4113d5d20e8e7269452bb0c1f9a1bb6bb",
        ] {
            let h = [("x-shopify-hmac-sha256", v)];
            assert_eq!(shopify(b"{}", &Headers::new(&h), "s").unwrap_err().code, Code::MalformedHeader, "{v}");
        }
    }
}
