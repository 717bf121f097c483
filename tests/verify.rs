//! Signature verification against the Voucherify reference vectors and
//! Standard Webhooks signatures computed here for Polar's two key schemes.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use orderhook::verify::{self, Headers, DEFAULT_TOLERANCE_SECONDS};
use orderhook::{Code, Issue, Provider};
use serde_json::Value;
use sha2::Sha256;

const VECTORS_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/reference/voucherify/");

fn read_reference(name: &str) -> Vec<u8> {
    let path = format!("{VECTORS_DIR}{name}");
    std::fs::read(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"))
}

fn vectors() -> Vec<Value> {
    let file: Value = serde_json::from_slice(&read_reference("signature-test-vectors.json")).unwrap();
    file["vectors"].as_array().unwrap().clone()
}

fn vector(n: u64) -> Value {
    vectors().into_iter().find(|v| v["n"] == n).unwrap()
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap()
}

// ---- Voucherify ----

#[test]
fn voucherify_reference_vectors_verify_or_fail_as_listed() {
    let all = vectors();
    assert_eq!(all.len(), 11, "the reference file changed; review this test");
    for v in &all {
        let message = match v.get("message_file") {
            Some(file) => read_reference(file.as_str().unwrap()),
            None => str_of(v, "message").as_bytes().to_vec(),
        };
        let result = verify::voucherify(&message, Some(str_of(v, "signature")), str_of(v, "secret"));
        let expect_valid = v.get("expect_valid").and_then(Value::as_bool).unwrap_or(true);
        if expect_valid {
            assert_eq!(result, Ok(()), "vector {}", v["n"]);
        } else {
            assert_eq!(result.unwrap_err().code, Code::BadSignature, "vector {}", v["n"]);
        }
    }
}

#[test]
fn voucherify_pretty_file_verifies_with_compact_signature_through_stripping() {
    let (compact, raw) = (vector(10), vector(11));
    assert_eq!(compact["message_file"], raw["message_file"]);
    let pretty = read_reference(str_of(&compact, "message_file"));
    assert!(pretty.starts_with(b"{\n"), "the file is expected to be pretty-printed");
    let compact_sig = str_of(&compact, "signature");
    let raw_sig = str_of(&raw, "signature");
    assert_eq!(verify::voucherify(&pretty, Some(compact_sig), "test-secret"), Ok(()));
    assert_eq!(verify::voucherify(&pretty, Some(raw_sig), "test-secret"), Ok(()));
}

#[test]
fn voucherify_pretty_forms_of_doc_vectors_verify() {
    let cases: [(u64, &[u8]); 2] = [(1, b"{\n  \"a\": 1\n}"), (2, b"{\n  \"a\\\"b\": 1\n}")];
    for (n, pretty) in cases {
        let v = vector(n);
        let result = verify::voucherify(pretty, Some(str_of(&v, "signature")), str_of(&v, "secret"));
        assert_eq!(result, Ok(()), "vector {n}");
    }
}

#[test]
fn voucherify_accepts_uppercase_hex() {
    let v = vector(4);
    let upper = str_of(&v, "signature").to_uppercase();
    assert_eq!(verify::voucherify(str_of(&v, "message").as_bytes(), Some(&upper), str_of(&v, "secret")), Ok(()));
}

#[test]
fn voucherify_header_problems_have_their_own_codes() {
    let v = vector(4);
    let body = str_of(&v, "message").as_bytes();
    let secret = str_of(&v, "secret");
    let code = |header: Option<&str>| verify::voucherify(body, header, secret).unwrap_err().code;
    assert_eq!(code(None), Code::MissingSignature);
    assert_eq!(code(Some("")), Code::MalformedHeader);
    assert_eq!(code(Some("abc")), Code::MalformedHeader);
    assert_eq!(code(Some(&format!("sha256={}", str_of(&v, "signature")))), Code::MalformedHeader);
    assert_eq!(code(Some(&"g".repeat(64))), Code::MalformedHeader);
    assert_eq!(code(Some(&"0".repeat(64))), Code::BadSignature);
}

#[test]
fn voucherify_wrong_secret_or_changed_body_fails() {
    let v = vector(6);
    let sig = str_of(&v, "signature");
    let body = str_of(&v, "message");
    assert_eq!(verify::voucherify(body.as_bytes(), Some(sig), "other").unwrap_err().code, Code::BadSignature);
    let changed = body.replace("123", "124");
    let err = verify::voucherify(changed.as_bytes(), Some(sig), str_of(&v, "secret")).unwrap_err();
    assert_eq!(err.code, Code::BadSignature);
}

#[test]
fn voucherify_through_dispatch_reads_the_header_case_insensitively() {
    let v = vector(7);
    let pairs = [("X-Voucherify-Signature", str_of(&v, "signature"))];
    let result = verify::verify(
        Provider::Voucherify,
        str_of(&v, "message").as_bytes(),
        &Headers::new(&pairs),
        str_of(&v, "secret"),
        0,
        DEFAULT_TOLERANCE_SECONDS,
    );
    assert_eq!(result, Ok(()));
}

// ---- Polar / Standard Webhooks ----

const ID: &str = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
const TS: &str = "1741600000";
const NOW: i64 = 1_741_600_000;
const BODY: &[u8] = br#"{"type":"order.paid","data":{"id":"o1"}}"#;
const LEGACY_POLAR_SECRET: &str = "polar_whs_kHdTE1ZLtsXgZBnJ0tzm8nQ7GQ9a4xUzr3LsA1s8KqI";
const WHSEC_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn sign(key: &[u8], id: &str, ts: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(format!("{id}.{ts}.").as_bytes());
    mac.update(body);
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

fn polar_with(id: &str, ts: &str, sig: &str, body: &[u8], secret: &str, now: i64) -> Result<(), Issue> {
    let pairs = [("webhook-id", id), ("webhook-timestamp", ts), ("webhook-signature", sig)];
    verify::polar(body, &Headers::new(&pairs), secret, now, DEFAULT_TOLERANCE_SECONDS)
}

fn standard_key(secret: &str) -> Vec<u8> {
    STANDARD.decode(secret.strip_prefix("whsec_").unwrap()).unwrap()
}

#[test]
fn polar_legacy_scheme_signs_with_the_whole_secret_string() {
    for secret in [LEGACY_POLAR_SECRET, WHSEC_SECRET] {
        let sig = sign(secret.as_bytes(), ID, TS, BODY);
        assert_eq!(polar_with(ID, TS, &sig, BODY, secret, NOW), Ok(()), "{secret}");
    }
}

#[test]
fn polar_standard_scheme_signs_with_the_base64_key_after_whsec() {
    let sig = sign(&standard_key(WHSEC_SECRET), ID, TS, BODY);
    assert_eq!(polar_with(ID, TS, &sig, BODY, WHSEC_SECRET, NOW), Ok(()));
}

#[test]
fn standard_webhooks_spec_vector_verifies() {
    let sig = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    let body = br#"{"test": 2432232314}"#;
    let result = polar_with("msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", sig, body, WHSEC_SECRET, 1_614_265_330);
    assert_eq!(result, Ok(()));
}

#[test]
fn polar_flipped_byte_in_body_id_timestamp_or_signature_is_a_bad_signature() {
    let sig = sign(&standard_key(WHSEC_SECRET), ID, TS, BODY);
    let mut body = BODY.to_vec();
    body[10] ^= 1;
    let other_ts = "1741600001";
    // Flip one base64 digit: still valid base64, different bytes.
    let mut bad_sig = sig.clone().into_bytes();
    bad_sig[5] = if bad_sig[5] == b'A' { b'B' } else { b'A' };
    let bad_sig = String::from_utf8(bad_sig).unwrap();
    let cases = [
        polar_with(ID, TS, &sig, &body, WHSEC_SECRET, NOW),
        polar_with("msg_2KWPBgLlAfxdpx2AI54pPJ85f4X", TS, &sig, BODY, WHSEC_SECRET, NOW),
        polar_with(ID, other_ts, &sig, BODY, WHSEC_SECRET, NOW),
        polar_with(ID, TS, &bad_sig, BODY, WHSEC_SECRET, NOW),
    ];
    for (i, result) in cases.into_iter().enumerate() {
        let err = result.unwrap_err();
        assert_eq!((err.code, err.path.as_str()), (Code::BadSignature, ""), "case {i}");
    }
}

#[test]
fn polar_signature_that_is_not_base64_is_a_bad_signature() {
    let err = polar_with(ID, TS, "v1,not*base64!", BODY, WHSEC_SECRET, NOW).unwrap_err();
    assert_eq!(err.code, Code::BadSignature);
}

#[test]
fn polar_timestamp_outside_the_window_is_stale_both_ways() {
    let sig = sign(WHSEC_SECRET.as_bytes(), ID, TS, BODY);
    let late = polar_with(ID, TS, &sig, BODY, WHSEC_SECRET, NOW + 301).unwrap_err();
    assert_eq!(late.code, Code::StaleTimestamp);
    assert!(late.message.contains("too old") && late.message.contains("301 seconds"), "{}", late.message);
    let early = polar_with(ID, TS, &sig, BODY, WHSEC_SECRET, NOW - 301).unwrap_err();
    assert_eq!(early.code, Code::StaleTimestamp);
    assert!(early.message.contains("too new") && early.message.contains("301 seconds"), "{}", early.message);
}

#[test]
fn polar_timestamp_inside_the_window_passes() {
    let sig = sign(WHSEC_SECRET.as_bytes(), ID, TS, BODY);
    for now in [NOW - 300, NOW - 1, NOW, NOW + 1, NOW + 300] {
        assert_eq!(polar_with(ID, TS, &sig, BODY, WHSEC_SECRET, now), Ok(()), "now {now}");
    }
}

#[test]
fn polar_stale_timestamp_is_reported_before_the_signature() {
    let err = polar_with(ID, TS, "v1,AAAA", BODY, WHSEC_SECRET, NOW + 10_000).unwrap_err();
    assert_eq!(err.code, Code::StaleTimestamp);
}

#[test]
fn polar_non_integer_timestamp_is_malformed() {
    let err = polar_with(ID, "2025-03-10T00:00:00Z", "v1,AAAA", BODY, WHSEC_SECRET, NOW).unwrap_err();
    assert_eq!(err.code, Code::MalformedHeader);
    assert!(err.message.contains("`webhook-timestamp`"));
}

#[test]
fn polar_one_good_signature_among_several_passes() {
    let good = sign(&standard_key(WHSEC_SECRET), ID, TS, BODY);
    let other = sign(b"rotated-away", ID, TS, BODY);
    let header = format!("v1a,c29tZXRoaW5n {other} v1,not-base64 {good}");
    assert_eq!(polar_with(ID, TS, &header, BODY, WHSEC_SECRET, NOW), Ok(()));
}

/// `v1a` (ed25519) entries are well-formed but not supported, so a header with
/// only those is a `bad_signature`, as "No matching signature found" is upstream;
/// `malformed_header` is kept for headers with no `version,signature` entry at all.
#[test]
fn polar_only_v1a_entries_are_a_bad_signature() {
    let err = polar_with(ID, TS, "v1a,c29tZXRoaW5n", BODY, WHSEC_SECRET, NOW).unwrap_err();
    assert_eq!(err.code, Code::BadSignature);
    assert!(err.message.contains("`v1`"));
    let err = polar_with(ID, TS, "c29tZXRoaW5n", BODY, WHSEC_SECRET, NOW).unwrap_err();
    assert_eq!(err.code, Code::MalformedHeader);
}

#[test]
fn polar_header_names_are_case_insensitive() {
    let sig = sign(LEGACY_POLAR_SECRET.as_bytes(), ID, TS, BODY);
    let pairs = [("Webhook-Id", ID), ("WEBHOOK-TIMESTAMP", TS), ("webhook-Signature", sig.as_str())];
    let result = verify::verify(
        Provider::Polar,
        BODY,
        &Headers::new(&pairs),
        LEGACY_POLAR_SECRET,
        NOW,
        DEFAULT_TOLERANCE_SECONDS,
    );
    assert_eq!(result, Ok(()));
}

#[test]
fn polar_missing_header_is_named() {
    let pairs = [("webhook-id", ID), ("webhook-timestamp", TS)];
    let err = verify::polar(BODY, &Headers::new(&pairs), WHSEC_SECRET, NOW, 300).unwrap_err();
    assert_eq!(err.code, Code::MissingSignature);
    assert_eq!(err.message, "`webhook-signature` header is missing");
}

#[test]
fn empty_secret_is_invalid() {
    let sig = sign(b"", ID, TS, BODY);
    let err = polar_with(ID, TS, &sig, BODY, "", NOW).unwrap_err();
    assert_eq!(err.code, Code::InvalidSecret);
    assert_eq!(err.message, "secret is empty");
    assert_eq!(verify::voucherify(b"{}", Some(&"0".repeat(64)), "").unwrap_err().code, Code::InvalidSecret);
}

#[test]
fn vrio_cannot_be_verified() {
    let err = verify::verify(Provider::Vrio, BODY, &Headers::default(), "s", NOW, 300).unwrap_err();
    assert_eq!(err.code, Code::Unsupported);
    assert!(err.is_error());
}

#[test]
fn error_messages_never_contain_the_secret() {
    let secrets = [WHSEC_SECRET, LEGACY_POLAR_SECRET];
    for secret in secrets {
        let good = sign(secret.as_bytes(), ID, TS, BODY);
        let errors = [
            polar_with(ID, TS, &good, b"x", secret, NOW),
            polar_with(ID, TS, &good, BODY, secret, NOW + 1000),
            polar_with(ID, "x", &good, BODY, secret, NOW),
            polar_with(ID, TS, "v1", BODY, secret, NOW),
            polar_with(ID, TS, "v1a,AAAA", BODY, secret, NOW),
            verify::polar(BODY, &Headers::default(), secret, NOW, 300),
            verify::voucherify(BODY, None, secret),
            verify::voucherify(BODY, Some("zz"), secret),
            verify::voucherify(BODY, Some(&"0".repeat(64)), secret),
        ];
        for err in errors.into_iter().map(Result::unwrap_err) {
            assert!(!err.message.contains(secret), "{}", err.message);
            assert!(!err.message.contains(secret.strip_prefix("whsec_").unwrap_or(secret)));
            assert_eq!(err.message, err.message.to_lowercase(), "messages are lowercase");
            assert_eq!(err.path, "");
        }
    }
}
