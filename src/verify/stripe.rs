//! Stripe's scheme: `Stripe-Signature: t=<unix s>,v1=<hex>[,v1=…]`, each `v1` a hex
//! HMAC-SHA256 of `{t}.{body}` keyed by the whole secret's UTF-8 bytes (`whsec_` included).

use subtle::ConstantTimeEq;

use super::{check_age, decode_hex, parse_seconds, HmacFn};
use crate::issue::{Code, Issue};

/// The header carrying the timestamp and signatures.
pub(crate) const HEADER: &str = "stripe-signature";

pub(super) fn verify(
    body: &[u8],
    header: Option<&str>,
    secret: &str,
    now: i64,
    tolerance: i64,
    hmac: HmacFn<'_>,
) -> Result<(), Issue> {
    let header = header.ok_or_else(|| malformed_or_missing(Code::MissingSignature, "header is missing"))?;
    let (mut timestamp, mut two_timestamps) = (None::<&str>, false);
    let (mut v1_entries, mut other_entries) = (0, 0);
    let mut candidates: Vec<[u8; 32]> = Vec::new();
    // Items are `key=value`, comma-separated; the spaces a `, ` join of repeated header
    // lines leaves are not part of them.
    for item in header.split(',').map(|i| i.trim_matches([' ', '\t'])) {
        let Some((key, value)) = item.split_once('=') else { continue };
        match key {
            "t" => {
                two_timestamps |= timestamp.is_some_and(|t| t != value);
                timestamp = Some(value);
            }
            "v1" => {
                v1_entries += 1;
                // A value that is not 64 hex digits cannot match: it only counts as a miss.
                candidates.extend(decode_hex(value));
            }
            // `v0` (test mode's fake signature) and any future scheme: never trusted.
            _ => other_entries += 1,
        }
    }
    let Some(timestamp) = timestamp else {
        return Err(malformed_or_missing(Code::MalformedHeader, "header has no `t=` timestamp"));
    };
    if two_timestamps {
        return Err(malformed_or_missing(Code::MalformedHeader, "header has two different `t=` timestamps"));
    }
    if v1_entries + other_entries == 0 {
        return Err(malformed_or_missing(Code::MalformedHeader, "header has no signature (expected `v1=<hex>`)"));
    }
    let what = format!("`t` of the `{HEADER}` header");
    let ts = parse_seconds(timestamp).ok_or_else(|| {
        Issue::error(Code::MalformedHeader, "", format!("{what} is not an integer number of unix seconds"))
    })?;
    check_age(&what, ts, now, tolerance)?;
    if v1_entries == 0 {
        return Err(Issue::error(
            Code::BadSignature,
            "",
            format!("`{HEADER}` header has no `v1` signature; other schemes (`v0`) are not accepted"),
        ));
    }
    let tag = hmac(secret.as_bytes(), format!("{timestamp}.").as_bytes(), body);
    let mut matched = subtle::Choice::from(0);
    for candidate in &candidates {
        matched |= tag[..].ct_eq(&candidate[..]);
    }
    if bool::from(matched) {
        return Ok(());
    }
    Err(Issue::error(
        Code::BadSignature,
        "",
        format!("`{HEADER}` header matches no `v1` signature of `{{t}}.{{body}}` made with the secret"),
    ))
}

#[cold]
fn malformed_or_missing(code: Code, what: &str) -> Issue {
    Issue::error(code, "", format!("`{HEADER}` {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_test_secret";
    const NOW: i64 = 1_787_900_010;

    fn sign(secret: &str, t: i64, body: &[u8]) -> String {
        let tag = super::super::hmac_sha256(secret.as_bytes(), format!("{t}.").as_bytes(), body);
        tag.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn code(header: &str) -> Option<Code> {
        verify(b"{}", Some(header), SECRET, NOW, 300, &super::super::hmac_sha256).err().map(|e| e.code)
    }

    #[test]
    fn the_key_is_the_whole_secret_string_prefix_included() {
        let t = NOW - 1;
        assert_eq!(code(&format!("t={t},v1={}", sign(SECRET, t, b"{}"))), None);
        assert_eq!(code(&format!("t={t},v1={}", sign("test_secret", t, b"{}"))), Some(Code::BadSignature));
    }

    #[test]
    fn repeated_header_lines_joined_with_a_comma_and_space_still_verify() {
        let t = NOW - 1;
        let sig = sign(SECRET, t, b"{}");
        assert_eq!(code(&format!("t={t},v1={}, t={t},v1={sig}", "0".repeat(64))), None);
    }

    #[test]
    fn the_timestamp_is_checked_before_any_signature() {
        let t = NOW - 301;
        assert_eq!(code(&format!("t={t},v1=zz")), Some(Code::StaleTimestamp));
        assert_eq!(code(&format!("t={t},v0=zz")), Some(Code::StaleTimestamp));
    }

    #[test]
    fn items_without_an_equals_sign_are_not_signatures() {
        assert_eq!(code("t=1787900000,v1"), Some(Code::MalformedHeader));
        assert_eq!(code("garbage"), Some(Code::MalformedHeader));
    }
}
