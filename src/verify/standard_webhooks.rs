//! The Standard Webhooks scheme as Polar uses it: HMAC-SHA256 of
//! `{id}.{timestamp}.{body}`, base64, under either of Polar's two secret keys.

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use subtle::ConstantTimeEq;

use crate::issue::{Code, Issue};

use super::{Headers, HmacFn};

pub(super) const ID: &str = "webhook-id";
const TIMESTAMP: &str = "webhook-timestamp";
const SIGNATURE: &str = "webhook-signature";
const SECRET_PREFIX: &str = "whsec_";

/// Secrets are pasted by people, so their padding is not insisted on.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

pub(super) fn verify(
    body: &[u8],
    headers: &Headers<'_>,
    secret: &str,
    now: i64,
    tolerance: i64,
    hmac: HmacFn<'_>,
) -> Result<(), Issue> {
    let (id, timestamp, signature) = match (headers.get(ID), headers.get(TIMESTAMP), headers.get(SIGNATURE)) {
        (Some(id), Some(ts), Some(sig)) => (id, ts, sig),
        (id, ts, sig) => return Err(missing(id.is_none(), ts.is_none(), sig.is_none())),
    };
    check_timestamp(timestamp, now, tolerance)?;

    let (mut entries, mut v1_entries) = (0, 0);
    let mut candidates: Vec<[u8; 32]> = Vec::new();
    // A trailing `,` is what joining repeated header lines (as fetch's `Headers` does) leaves.
    for entry in signature.split(' ').map(|e| e.strip_suffix(',').unwrap_or(e)) {
        let Some((version, sig)) = entry.split_once(',') else { continue };
        if sig.is_empty() {
            continue;
        }
        entries += 1;
        if version != "v1" {
            continue;
        }
        v1_entries += 1;
        // Anything that is not a 32-byte base64 value cannot match, so it only counts as a miss.
        let mut decoded = [0u8; 48];
        if let Ok(32) = STANDARD.decode_slice(sig, &mut decoded) {
            candidates.push(decoded[..32].try_into().expect("32 bytes"));
        }
    }
    // One HMAC per key, stopping at the first key that matches: the time then tells
    // which of Polar's two schemes the secret uses, never anything about the secret.
    let signed = format!("{id}.{timestamp}.");
    for key in keys(secret) {
        let tag = hmac(&key, signed.as_bytes(), body);
        let mut matched = subtle::Choice::from(0);
        for candidate in &candidates {
            matched |= tag[..].ct_eq(&candidate[..]);
        }
        if bool::from(matched) {
            return Ok(());
        }
    }
    Err(if entries == 0 {
        Issue::error(
            Code::MalformedHeader,
            "",
            format!("`{SIGNATURE}` header has no `version,signature` entry (expected e.g. `v1,<base64>`)"),
        )
    } else if v1_entries == 0 {
        Issue::error(
            Code::BadSignature,
            "",
            format!("`{SIGNATURE}` header has no `v1` signature; other versions are not supported"),
        )
    } else {
        Issue::error(
            Code::BadSignature,
            "",
            format!(
                "`{SIGNATURE}` header matches no signature of the body made with the secret \
                 (tried the secret's bytes and its base64-decoded key)"
            ),
        )
    })
}

/// The HMAC keys a Polar secret may stand for: its own UTF-8 bytes (Polar's
/// original scheme) and the base64 key after any `whsec_` (the standard one),
/// the likelier first: the base64 key for a `whsec_` secret, else the bytes
/// (so a delivery usually costs one HMAC, not two).
fn keys(secret: &str) -> Vec<Vec<u8>> {
    let mut keys = vec![secret.as_bytes().to_vec()];
    let prefixed = secret.strip_prefix(SECRET_PREFIX);
    // An empty key would let anyone sign, so a secret of just `whsec_` adds none.
    if let Ok(key) = LENIENT.decode(prefixed.unwrap_or(secret)) {
        if !key.is_empty() {
            keys.insert(usize::from(prefixed.is_none()), key);
        }
    }
    keys
}

fn check_timestamp(timestamp: &str, now: i64, tolerance: i64) -> Result<(), Issue> {
    let ts = super::parse_seconds(timestamp).ok_or_else(|| {
        Issue::error(
            Code::MalformedHeader,
            "",
            format!("`{TIMESTAMP}` header is not an integer number of unix seconds"),
        )
    })?;
    super::check_age(&format!("`{TIMESTAMP}` header"), ts, now, tolerance)
}

#[cold]
fn missing(id: bool, timestamp: bool, signature: bool) -> Issue {
    let names: Vec<String> = [(id, ID), (timestamp, TIMESTAMP), (signature, SIGNATURE)]
        .into_iter()
        .filter(|&(absent, _)| absent)
        .map(|(_, name)| format!("`{name}`"))
        .collect();
    let message = match names.as_slice() {
        [one] => format!("{one} header is missing"),
        [init @ .., last] => format!("{} and {last} headers are missing", init.join(", ")),
        [] => unreachable!("called only when a header is absent"),
    };
    Issue::error(Code::MissingSignature, "", message)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const NOW: i64 = 1_614_265_330;

    fn sign(key: &[u8], id: &str, ts: &str, body: &[u8]) -> String {
        format!("v1,{}", STANDARD.encode(super::super::hmac_sha256(key, format!("{id}.{ts}.").as_bytes(), body)))
    }

    fn check(sig: &str, ts: &str, now: i64) -> Result<(), Issue> {
        let pairs = [(ID, "msg_1"), (TIMESTAMP, ts), (SIGNATURE, sig)];
        verify(b"{}", &Headers::new(&pairs), SECRET, now, 300, &super::super::hmac_sha256)
    }

    #[test]
    fn whsec_secret_yields_its_bytes_and_its_decoded_key() {
        let keys = keys(SECRET);
        assert_eq!(keys.len(), 2);
        assert_eq!(keys[0], STANDARD.decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap());
        assert_eq!(keys[1], SECRET.as_bytes());
    }

    #[test]
    fn legacy_polar_secret_is_not_base64_so_yields_only_its_bytes() {
        assert_eq!(keys("polar_whs_abc").len(), 1);
        assert_eq!(keys("whsec_").len(), 1);
    }

    #[test]
    fn unprefixed_base64_secret_also_yields_its_decoded_key() {
        let keys = keys("c2VjcmV0");
        assert_eq!(keys, vec![b"c2VjcmV0".to_vec(), b"secret".to_vec()]);
    }

    #[test]
    fn timestamp_must_be_plain_digits() {
        for ts in ["", "+1614265330", "-1", "1614265330.5", "abc", "99999999999999999999"] {
            assert_eq!(check("v1,x", ts, NOW).unwrap_err().code, Code::MalformedHeader, "{ts:?}");
        }
    }

    #[test]
    fn tolerance_bounds_are_inclusive() {
        let key = SECRET.as_bytes();
        let sig = sign(key, "msg_1", "1614265330", b"{}");
        assert!(check(&sig, "1614265330", NOW + 300).is_ok());
        assert!(check(&sig, "1614265330", NOW - 300).is_ok());
        assert_eq!(check(&sig, "1614265330", NOW + 301).unwrap_err().code, Code::StaleTimestamp);
        assert_eq!(check(&sig, "1614265330", NOW - 301).unwrap_err().code, Code::StaleTimestamp);
    }

    #[test]
    fn extreme_clock_values_do_not_overflow() {
        let err = check("v1,x", "9223372036854775807", i64::MIN).unwrap_err();
        assert_eq!(err.code, Code::StaleTimestamp);
        assert!(err.message.contains("too new"));
    }

    #[test]
    fn entries_without_comma_or_signature_are_malformed() {
        for header in ["", "v1", "v1, ", "abc def", "v1,"] {
            assert_eq!(check(header, "1614265330", NOW).unwrap_err().code, Code::MalformedHeader, "{header:?}");
        }
    }

    #[test]
    fn comma_joined_repeated_header_lines_are_read() {
        let sig = sign(&keys(SECRET)[1], "msg_1", "1614265330", b"{}");
        assert!(check(&format!("v1,AAAA, {sig}"), "1614265330", NOW).is_ok());
        assert!(check(&format!("{sig}, v1,AAAA"), "1614265330", NOW).is_ok());
    }

    #[test]
    fn negative_tolerance_means_none() {
        let sig = sign(SECRET.as_bytes(), "msg_1", "1614265330", b"{}");
        let pairs = [(ID, "msg_1"), (TIMESTAMP, "1614265330"), (SIGNATURE, sig.as_str())];
        assert!(verify(b"{}", &Headers::new(&pairs), SECRET, NOW, -5, &super::super::hmac_sha256).is_ok());
        assert!(verify(b"{}", &Headers::new(&pairs), SECRET, NOW + 1, -5, &super::super::hmac_sha256).is_err());
    }

    #[test]
    fn missing_headers_are_all_named() {
        let err =
            verify(b"", &Headers::new(&[(TIMESTAMP, "1")]), SECRET, 1, 300, &super::super::hmac_sha256).unwrap_err();
        assert_eq!(err.code, Code::MissingSignature);
        assert_eq!(err.message, "`webhook-id` and `webhook-signature` headers are missing");
        let err = verify(b"", &Headers::default(), SECRET, 1, 300, &super::super::hmac_sha256).unwrap_err();
        assert_eq!(err.message, "`webhook-id`, `webhook-timestamp` and `webhook-signature` headers are missing");
    }
}
