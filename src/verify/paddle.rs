//! Paddle Billing's scheme: `Paddle-Signature: ts=…;h1=…[;h1=…]`, each `h1` the hex
//! HMAC-SHA256 of `{ts}:{body}` under the endpoint secret's bytes; any `h1` may match.

use subtle::ConstantTimeEq;

use crate::issue::{Code, Issue};

use super::HmacFn;

/// The header carrying the timestamp and signatures.
pub(crate) const HEADER: &str = "paddle-signature";

pub(super) fn verify(
    body: &[u8],
    header: Option<&str>,
    secret: &str,
    now: i64,
    tolerance: i64,
    hmac: HmacFn<'_>,
) -> Result<(), Issue> {
    let header = match header.map(|h| h.trim_matches([' ', '\t'])) {
        Some("") => return Err(Issue::error(Code::MissingSignature, "", "`Paddle-Signature` header is empty")),
        Some(h) => h,
        None => return Err(Issue::error(Code::MissingSignature, "", "`Paddle-Signature` header is missing")),
    };
    let Parsed { ts, signatures } = parse(header)?;
    super::check_age("`Paddle-Signature` header's `ts`", ts.1, now, tolerance)?;

    // `{ts}:` as sent (digits only, checked above), then the body.
    let tag = hmac(secret.as_bytes(), format!("{}:", ts.0).as_bytes(), body);
    // Every candidate is compared, so the time does not tell which one matched.
    let mut matched = subtle::Choice::from(0);
    for candidate in signatures.iter().flatten() {
        matched |= tag[..].ct_eq(&candidate[..]);
    }
    if bool::from(matched) {
        return Ok(());
    }
    Err(Issue::error(
        Code::BadSignature,
        "",
        format!(
            "`Paddle-Signature` header has {} `h1` signature{} and none is the hmac-sha256 of `{{ts}}:{{body}}` made with the secret",
            signatures.len(),
            if signatures.len() == 1 { "" } else { "s" }
        ),
    ))
}

struct Parsed<'h> {
    /// The `ts` text as sent (it is what Paddle signed) and its value.
    ts: (&'h str, i64),
    /// Each `h1`, decoded; `None` for one that is not 64 hex digits (it can only miss).
    signatures: Vec<Option<[u8; 32]>>,
}

fn parse(header: &str) -> Result<Parsed<'_>, Issue> {
    let mut ts = None;
    let mut signatures = Vec::new();
    for part in header.split(';').map(|p| p.trim_matches([' ', '\t'])) {
        let Some((key, value)) = part.split_once('=') else { continue };
        match key {
            "ts" if ts.is_some() => return Err(malformed("has more than one `ts`")),
            "ts" => ts = Some(value),
            "h1" => signatures.push(super::decode_hex(value)),
            // `h2`, … would be other schemes; none is defined yet.
            _ => {}
        }
    }
    let ts = ts.ok_or_else(|| malformed("has no `ts=<unix seconds>`"))?;
    let seconds = super::parse_seconds(ts).ok_or_else(|| malformed("`ts` is not an integer number of unix seconds"))?;
    if signatures.is_empty() {
        return Err(malformed("has no `h1=<hex hmac-sha256>` signature"));
    }
    Ok(Parsed { ts: (ts, seconds), signatures })
}

#[cold]
fn malformed(what: &str) -> Issue {
    Issue::error(Code::MalformedHeader, "", format!("`Paddle-Signature` header {what} (expected `ts=…;h1=…`)"))
}
