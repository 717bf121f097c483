//! Voucherify's scheme: hex HMAC-SHA256 of the body under the secret's bytes,
//! where the body Voucherify signed is compact JSON (whitespace outside strings removed).

use subtle::ConstantTimeEq;

use crate::issue::{Code, Issue};

use super::HmacFn;

/// The header carrying the signature.
pub(super) const HEADER: &str = "x-voucherify-signature";

pub(super) fn verify(body: &[u8], header: Option<&str>, secret: &str, hmac: HmacFn<'_>) -> Result<(), Issue> {
    let header =
        header.ok_or_else(|| Issue::error(Code::MissingSignature, "", format!("`{HEADER}` header is missing")))?;
    let expected = super::decode_hex(header.trim_matches([' ', '\t'])).ok_or_else(|| {
        Issue::error(Code::MalformedHeader, "", format!("`{HEADER}` header is not 64 hex digits (a hex hmac-sha256)"))
    })?;

    let matches = |signed: &[u8]| bool::from(hmac(secret.as_bytes(), b"", signed).ct_eq(&expected));
    if matches(body) {
        return Ok(());
    }
    // Voucherify signs `JSON.stringify` output; a body that reaches us
    // pretty-printed (or re-indented on the way) only verifies once compacted.
    let json = looks_like_json(body);
    if json && matches(&without_whitespace(body)) {
        return Ok(());
    }
    let tried = if json { " (tried the raw body and the body without whitespace)" } else { "" };
    Err(Issue::error(
        Code::BadSignature,
        "",
        format!("`{HEADER}` header does not match the hmac-sha256 of the body made with the secret{tried}"),
    ))
}

fn is_json_whitespace(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

fn looks_like_json(body: &[u8]) -> bool {
    matches!(body.iter().find(|&&b| !is_json_whitespace(b)), Some(b'{' | b'['))
}

/// `body` without the whitespace outside string literals, by scanning bytes
/// rather than re-serializing (only for a body the raw check refused).
fn without_whitespace(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut in_string = false;
    let mut escaped = false;
    let mut run_start = 0;
    for (i, &b) in body.iter().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else if b == b'"' {
            in_string = true;
        } else if is_json_whitespace(b) {
            out.extend_from_slice(&body[run_start..i]);
            run_start = i + 1;
        }
    }
    out.extend_from_slice(&body[run_start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_inside_strings_and_after_escaped_quotes_is_kept() {
        let pretty = b"{\n  \"a \\\" b\" : [ 1 , \"x\\\\\" ,\t\"y z\" ]\r\n}\n";
        assert_eq!(without_whitespace(pretty), br#"{"a \" b":[1,"x\\","y z"]}"#);
    }

    #[test]
    fn only_bodies_starting_with_a_bracket_count_as_json() {
        assert!(looks_like_json(b" \n{}"));
        assert!(looks_like_json(b"[1]"));
        assert!(!looks_like_json(b"  message  "));
        assert!(!looks_like_json(b""));
    }

    #[test]
    fn plain_text_body_is_not_stripped() {
        // Vector 3: the spaces are part of what was signed.
        let sig = "53ff92957e1427ce23ad5bda9d0c5f2f4ff384d0806b83eeacb510c842d3a358";
        assert!(verify(b"  message  ", Some(sig), "secretKey", &super::super::hmac_sha256).is_ok());
        assert_eq!(
            verify(b"message", Some(sig), "secretKey", &super::super::hmac_sha256).unwrap_err().code,
            Code::BadSignature
        );
    }
}
