//! Bodies that are not webhooks at all: every one gets issues, never a panic.

mod common;

use common::*;
use orderhook::Options;

fn only_error(body: &[u8]) -> (String, String, String) {
    let out = parse(body);
    assert!(!out.is_ok());
    let e = out.errors().next().expect("an error");
    (e.code.to_string(), e.path.clone(), e.message.clone())
}

#[test]
fn bodies_over_the_limit_get_one_too_large_error_before_decoding() {
    let body = vec![0xffu8; orderhook::DEFAULT_MAX_BYTES + 1];
    let out = parse(&body);
    assert_eq!(codes(&out), vec![("too_large".into(), "".into())]);
    let small = Options { max_bytes: 10, ..Options::default() };
    let out = orderhook::parse(br#"{"type":"order.paid","data":{}}"#, &small);
    assert_eq!(codes(&out), vec![("too_large".into(), "".into())]);
}

#[test]
fn invalid_utf8_is_reported_with_its_offset() {
    let (code, _, msg) = only_error(b"{\"type\":\"order.paid\xff\"}");
    assert_eq!(code, "invalid_utf8");
    assert!(msg.contains("offset 19"), "{msg}");
}

#[test]
fn empty_and_whitespace_bodies_are_invalid_json() {
    assert_eq!(only_error(b"").0, "invalid_json");
    assert_eq!(only_error(b"  \n ").0, "invalid_json");
}

#[test]
fn json_that_is_not_an_object_is_a_type_error_on_the_body() {
    assert_eq!(
        only_error(b"null"),
        ("invalid_type".into(), "".into(), "body must be a JSON object, found null".into())
    );
    assert_eq!(only_error(b"[1,2]").2, "body must be a JSON object, found an array");
    assert_eq!(only_error(b"\"x\"").2, "body must be a JSON object, found a string");
}

#[test]
fn truncated_json_reports_line_and_column() {
    let (code, path, msg) = only_error(b"{\"type\": \"order.paid\",\n \"data\": {\"id\": ");
    assert_eq!((code.as_str(), path.as_str()), ("invalid_json", ""));
    assert!(msg.contains("line 2 column"), "{msg}");
}

#[test]
fn byte_order_mark_is_skipped_with_a_warning() {
    let mut body = b"\xef\xbb\xbf".to_vec();
    body.extend(fixture("polar.order.paid.amounts-add-up.json"));
    let out = parse(&body);
    assert!(out.is_ok(), "{:?}", out.issues());
    assert!(has(&out, "byte_order_mark", ""));
}

fn nested(prefix: &str, depth: usize, suffix: &str) -> String {
    format!("{prefix}{}{}{suffix}", "[".repeat(depth), "]".repeat(depth))
}

#[test]
fn deep_nesting_where_an_item_belongs_is_a_type_error_not_a_stack_overflow() {
    // Typed structs nest a fixed few levels; anything deeper is skipped, not recursed into.
    let body = nested(r#"{"type":"order.paid","data":{"items":"#, 10_000, "}}");
    let out = parse(body.as_bytes());
    assert!(has(&out, "invalid_type", "/data/items/0"), "{:?}", out.issues());
}

#[test]
fn deep_nesting_in_skipped_or_raw_fields_is_scanned_without_recursion() {
    // serde_json skips unknown values and captures raw metadata iteratively.
    let body = nested(r#"{"type":"order.paid","data":{"unknown":"#, 100_000, "}}");
    let out = parse(body.as_bytes());
    assert!(has(&out, "missing_field", "/data/id"), "{:?}", out.issues());
}

#[test]
fn huge_numbers_do_not_crash_and_never_become_money() {
    let digits = "9".repeat(400);
    let body = format!(r#"{{"type":"order.paid","data":{{"id":"o","total_amount":{digits}}}}}"#);
    let out = parse(body.as_bytes());
    assert!(!out.is_ok());
    assert!(has(&out, "invalid_value", "/data/total_amount"), "{:?}", out.issues());
    let body = r#"{"type":"order.paid","data":{"id":"o","total_amount":1e400}}"#;
    let out = parse(body.as_bytes());
    assert!(has(&out, "invalid_value", "/data/total_amount"), "{:?}", out.issues());
    assert!(has(&out, "missing_field", "/data/status"), "the rest of the body is still read: {:?}", out.issues());
}

#[test]
fn a_lone_surrogate_escape_is_reported_at_its_field() {
    let body = r#"{"type":"order.paid","data":{"id":"\ud800","total_amount":1}}"#;
    let out = parse(body.as_bytes());
    assert!(has(&out, "invalid_value", "/data/id"), "{:?}", out.issues());
    assert!(!has(&out, "invalid_type", "/data/id"), "the blanked value is not also a type error");
}

#[test]
fn unknown_json_objects_are_an_unknown_provider() {
    assert_eq!(only_error(br#"{"hello":"world"}"#).0, "unknown_provider");
}
