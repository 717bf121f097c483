//! Signature verification: Voucherify vectors computed for these tests (with
//! node:crypto, two re-checked with `openssl dgst -sha256 -hmac`) and Standard
//! Webhooks signatures computed here for Polar's two key schemes. Voucherify's own
//! published vectors are checked by the conformance suite (tests/conformance).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use orderhook::verify::{self, Headers, Verified, DEFAULT_TOLERANCE_SECONDS};
use orderhook::{Code, Issue, Provider};
use sha2::Sha256;

// ---- Voucherify ----

const VF_SECRET: &str = "whk_sec_Ld83";

/// `(message, lowercase hex HMAC-SHA256 under VF_SECRET, valid)`.
const VF_VECTORS: [(&str, &str, bool); 7] = [
    (r#"{"order":7}"#, "b446c1e1969b3ebceec2053f5c0b5e3a61bb4a059d57f735683afc87300c9f75", true),
    (r#"{"k\"q":2}"#, "ff053ad435c63f6d7986e2f54733251cd7ad11ddf024b0b79c895e33b2f17944", true),
    // Not JSON: signed and checked as it is, spaces included.
    ("  padded text  ", "0e47c119fa97e56dba5595b6e0522acfa60b03ed83db23251126e6f2c8ffaa2b", true),
    (r#"["x","y"]"#, "6e71376e9d02bbe402765cc7b3572bd1cacac61d62ed83c47128752647a50266", true),
    ("null", "cb4c60069b41bf769f751c3399b7728b31d3a299d8c292de123fe3371f255110", true),
    (r#"{"note":"two  spaces"}"#, "4d4950110e1c35c8d6f1c68319ed695bb0b01a47622119cca79931ee619742fa", true),
    // The signature of {"order":8}.
    (r#"{"order":7}"#, "7e91f7fefc261293e292ebac2df0170f083aa00f59af8f7fbf8248281b534873", false),
];

/// tests/fixtures/voucherify.envelope.order-paid.event-type-wins.json (2-space
/// indented, trailing newline) signed with this secret, as compact JSON
/// (`JSON.stringify(JSON.parse(file))`) and as the raw file bytes.
const ENVELOPE_SECRET: &str = "orderhook-test-key";
const ENVELOPE_COMPACT_SIG: &str = "e973c6539e43d1a2b9a200e14622513fb90f9260f84dae7eda4b791ffc0e93bc";
const ENVELOPE_RAW_SIG: &str = "7cc1780b5da44c4158408a007be4d797b19bbe56812a8177d182d3c58d179dcf";

fn envelope() -> Vec<u8> {
    let path =
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/voucherify.envelope.order-paid.event-type-wins.json");
    std::fs::read(path).unwrap_or_else(|e| panic!("reading {path}: {e}"))
}

#[test]
fn voucherify_vectors_verify_or_fail_as_listed() {
    for (i, (message, signature, valid)) in VF_VECTORS.iter().enumerate() {
        let result = verify::voucherify(message.as_bytes(), Some(signature), VF_SECRET);
        if *valid {
            assert_eq!(result, Ok(Verified::default()), "vector {i}");
        } else {
            assert_eq!(result.unwrap_err().code, Code::BadSignature, "vector {i}");
        }
    }
}

#[test]
fn voucherify_plain_text_is_not_stripped_of_its_spaces() {
    let (_, signature, _) = VF_VECTORS[2];
    let err = verify::voucherify(b"padded text", Some(signature), VF_SECRET).unwrap_err();
    assert_eq!(err.code, Code::BadSignature);
    assert!(!err.message.contains("without whitespace"), "not JSON, so only the raw body is tried: {}", err.message);
}

#[test]
fn voucherify_pretty_file_verifies_with_compact_signature_through_stripping() {
    let pretty = envelope();
    assert!(pretty.starts_with(b"{\n  \"id\"") && pretty.ends_with(b"}\n"), "the fixture is pretty-printed");
    assert_ne!(ENVELOPE_COMPACT_SIG, ENVELOPE_RAW_SIG);
    assert_eq!(verify::voucherify(&pretty, Some(ENVELOPE_COMPACT_SIG), ENVELOPE_SECRET), Ok(Verified::default()));
    assert_eq!(verify::voucherify(&pretty, Some(ENVELOPE_RAW_SIG), ENVELOPE_SECRET), Ok(Verified::default()));
    let err = verify::voucherify(&pretty, Some(ENVELOPE_COMPACT_SIG), "orderhook-test-kez").unwrap_err();
    assert_eq!(err.code, Code::BadSignature);
    assert!(err.message.contains("tried the raw body and the body without whitespace"), "{}", err.message);
}

#[test]
fn voucherify_pretty_forms_of_compact_vectors_verify() {
    let cases: [(usize, &[u8]); 3] = [
        (0, b"{\n  \"order\": 7\n}\n"),
        (1, b"{\r\n\t\"k\\\"q\" : 2\r\n}"),
        // Whitespace inside a string is kept: only the spaces around the value go.
        (5, b"{ \"note\" :  \"two  spaces\" }"),
    ];
    for (i, pretty) in cases {
        let (_, signature, _) = VF_VECTORS[i];
        assert_eq!(verify::voucherify(pretty, Some(signature), VF_SECRET), Ok(Verified::default()), "vector {i}");
    }
    // Removing the spaces inside the string breaks it.
    let (_, signature, _) = VF_VECTORS[5];
    let squeezed = verify::voucherify(br#"{"note":"two spaces"}"#, Some(signature), VF_SECRET);
    assert_eq!(squeezed.unwrap_err().code, Code::BadSignature);
}

#[test]
fn voucherify_accepts_uppercase_hex() {
    let (message, signature, _) = VF_VECTORS[3];
    let upper = signature.to_uppercase();
    assert_eq!(verify::voucherify(message.as_bytes(), Some(&upper), VF_SECRET), Ok(Verified::default()));
}

#[test]
fn voucherify_header_problems_have_their_own_codes() {
    let (message, signature, _) = VF_VECTORS[0];
    let code = |header: Option<&str>| verify::voucherify(message.as_bytes(), header, VF_SECRET).unwrap_err().code;
    assert_eq!(code(None), Code::MissingSignature);
    assert_eq!(code(Some("")), Code::MalformedHeader);
    assert_eq!(code(Some("abc")), Code::MalformedHeader);
    assert_eq!(code(Some(&format!("sha256={signature}"))), Code::MalformedHeader);
    assert_eq!(code(Some(&"g".repeat(64))), Code::MalformedHeader);
    assert_eq!(code(Some(&"0".repeat(64))), Code::BadSignature);
}

#[test]
fn voucherify_wrong_secret_or_changed_body_fails() {
    let (message, signature, _) = VF_VECTORS[0];
    assert_eq!(verify::voucherify(message.as_bytes(), Some(signature), "other").unwrap_err().code, Code::BadSignature);
    let changed = message.replace('7', "8");
    let err = verify::voucherify(changed.as_bytes(), Some(signature), VF_SECRET).unwrap_err();
    assert_eq!(err.code, Code::BadSignature);
}

#[test]
fn voucherify_through_dispatch_reads_the_header_case_insensitively() {
    let (message, signature, _) = VF_VECTORS[4];
    let pairs = [("X-Voucherify-Signature", signature)];
    let result = verify::verify(
        Provider::Voucherify,
        message.as_bytes(),
        &Headers::new(&pairs),
        VF_SECRET,
        0,
        DEFAULT_TOLERANCE_SECONDS,
    );
    assert_eq!(result, Ok(Verified::default()));
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

/// A Polar check that passed: it vouches for the delivery id in `webhook-id`.
fn signed_by(id: &str) -> Verified {
    Verified { id: Some(id.to_owned()) }
}

fn polar_with(id: &str, ts: &str, sig: &str, body: &[u8], secret: &str, now: i64) -> Result<Verified, Issue> {
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
        assert_eq!(polar_with(ID, TS, &sig, BODY, secret, NOW), Ok(signed_by(ID)), "{secret}");
    }
}

#[test]
fn polar_standard_scheme_signs_with_the_base64_key_after_whsec() {
    let sig = sign(&standard_key(WHSEC_SECRET), ID, TS, BODY);
    assert_eq!(polar_with(ID, TS, &sig, BODY, WHSEC_SECRET, NOW), Ok(signed_by(ID)));
}

#[test]
fn standard_webhooks_spec_vector_verifies() {
    let sig = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    let body = br#"{"test": 2432232314}"#;
    let result = polar_with("msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", sig, body, WHSEC_SECRET, 1_614_265_330);
    assert_eq!(result, Ok(signed_by("msg_p5jXN8AQM9LWM0D4loKWxJek")));
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
        assert_eq!(polar_with(ID, TS, &sig, BODY, WHSEC_SECRET, now), Ok(signed_by(ID)), "now {now}");
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
    assert_eq!(polar_with(ID, TS, &header, BODY, WHSEC_SECRET, NOW), Ok(signed_by(ID)));
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
    assert_eq!(result, Ok(signed_by(ID)));
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
