//! Robustness (issue 9): a catalogue of bad inputs, each with its exact issue code
//! and JSON Pointer; every read field of every provider set to each wrong JSON type
//! in turn; money property tests; and, ignored, the stable mutation harness behind
//! the budget run and regression tests for the findings in tests/ROBUSTNESS.md.
//!
//! Budget run (release, about a million inputs; see tests/ROBUSTNESS.md):
//! `ORDERHOOK_MUTATION_INPUTS=1000000 cargo test --release --test robustness -- --ignored --nocapture mutation_harness`

mod common;
mod mutation;

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::*;
use mutation::{check_outcome, is_json_pointer, PARSE_CODES};
use orderhook::{Currency, MinorUnits, Options, Outcome, Provider};
use proptest::prelude::*;
use serde_json::{json, Value};

/// Counts the heap in use, so the harness can report what one `parse` allocates at
/// its peak (the budget run is the only test run then; other tests only pay a
/// couple of atomic additions per allocation).
struct CountingAllocator;

static HEAP_NOW: AtomicUsize = AtomicUsize::new(0);
static HEAP_PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = HEAP_NOW.fetch_add(by, Ordering::Relaxed) + by;
    HEAP_PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call is forwarded to `System` unchanged; only counters are added.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        HEAP_NOW.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                HEAP_NOW.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// Detection, then each provider forced.
const EVERY_PROVIDER: [Option<Provider>; 7] = [
    None,
    Some(Provider::Polar),
    Some(Provider::Voucherify),
    Some(Provider::Vrio),
    Some(Provider::Paddle),
    Some(Provider::Stripe),
    Some(Provider::Shopify),
];

fn parse_as(body: &[u8], provider: Option<Provider>) -> Outcome {
    let options = Options { provider, ..Options::default() };
    let out = orderhook::parse(body, &options);
    if let Err(e) = check_outcome(body, &options, &out) {
        panic!("invariant broken: {e}\nissues: {:?}", out.issues());
    }
    out
}

/// Detection, then every registered provider forced.
fn detected_then_each_provider() -> impl Iterator<Item = Option<Provider>> {
    std::iter::once(None).chain(Provider::ALL.iter().copied().map(Some))
}

/// The body gets exactly these `(code, path)` issues, whichever provider is forced.
fn same_for_every_provider(body: &[u8], want: &[(&str, &str)]) -> Outcome {
    for provider in detected_then_each_provider() {
        let out = parse_as(body, provider);
        assert_eq!(codes(&out), owned(want), "provider {provider:?}: {:?}", out.issues());
        assert!(!out.is_ok());
    }
    parse_as(body, None)
}

fn polar_paid() -> Value {
    serde_json::from_slice(&fixture("polar.order.paid.amounts-add-up.json")).unwrap()
}

fn voucherify_envelope() -> Value {
    serde_json::from_slice(&fixture("voucherify.envelope.microseconds.processing.json")).unwrap()
}

fn vrio_order() -> Value {
    serde_json::from_slice(&fixture("vrio.order_abandonned.string-id.json")).unwrap()
}

fn paddle_paid() -> Value {
    serde_json::from_slice(&fixture("paddle.transaction.paid.two-items-add-up.json")).unwrap()
}

/// One valid body per provider, with the provider.
fn valid_bodies() -> [(Provider, Value); 4] {
    [
        (Provider::Polar, polar_paid()),
        (Provider::Voucherify, voucherify_envelope()),
        (Provider::Vrio, vrio_order()),
        (Provider::Paddle, paddle_paid()),
    ]
}

fn bytes(v: &Value) -> Vec<u8> {
    serde_json::to_vec(v).unwrap()
}

fn set(v: &Value, pointer: &str, new: Value) -> Value {
    let mut v = v.clone();
    *v.pointer_mut(pointer).unwrap_or_else(|| panic!("no {pointer}")) = new;
    v
}

/// `v` with the value at `pointer` replaced by raw text that `Value` cannot hold.
fn with_raw(v: &Value, pointer: &str, raw: &str) -> Vec<u8> {
    let marked = set(v, pointer, json!("\u{1}raw\u{1}"));
    let text = serde_json::to_string(&marked).unwrap();
    assert_eq!(text.matches(r#""\u0001raw\u0001""#).count(), 1);
    text.replace(r#""\u0001raw\u0001""#, raw).into_bytes()
}

fn only_error(out: &Outcome) -> &orderhook::Issue {
    let errors: Vec<_> = out.errors().collect();
    assert_eq!(errors.len(), 1, "{:?}", out.issues());
    errors[0]
}

fn deep_arrays(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

fn deep_objects(depth: usize) -> String {
    format!("{}1{}", r#"{"a":"#.repeat(depth), "}".repeat(depth))
}

// ---------------------------------------------------------------------------
// (a) The catalogue of bad inputs
// ---------------------------------------------------------------------------

#[test]
fn empty_body_is_invalid_json_at_the_body() {
    let out = same_for_every_provider(b"", &[("invalid_json", "")]);
    assert_eq!(out.issues()[0].message, "body is not valid JSON: EOF while parsing a value (line 1 column 1)");
    let at = out.issues()[0].position.unwrap();
    assert_eq!((at.offset, at.line, at.column), (0, 1, 1));
}

#[test]
fn whitespace_only_body_is_invalid_json_at_the_body() {
    for body in [&b" "[..], b"\n", b" \t\r\n  \n"] {
        let out = same_for_every_provider(body, &[("invalid_json", "")]);
        assert!(out.issues()[0].message.contains("EOF while parsing a value"), "{}", out.issues()[0].message);
    }
}

#[test]
fn json_null_body_is_an_invalid_type_at_the_body() {
    let out = same_for_every_provider(b"null", &[("invalid_type", "")]);
    assert_eq!(out.issues()[0].message, "body must be a JSON object, found null");
    same_for_every_provider(b" null \n", &[("invalid_type", "")]);
}

#[test]
fn array_at_top_level_is_an_invalid_type_at_the_body_even_around_a_webhook() {
    let wrapped = format!("[{}]", serde_json::to_string(&polar_paid()).unwrap());
    for body in [&b"[]"[..], b"[1,2]", wrapped.as_bytes()] {
        let out = same_for_every_provider(body, &[("invalid_type", "")]);
        assert_eq!(out.issues()[0].message, "body must be a JSON object, found an array");
    }
}

#[test]
fn other_scalars_at_top_level_are_invalid_types_at_the_body() {
    for (body, found) in [("\"x\"", "a string"), ("true", "a boolean"), ("0", "a number"), ("-1.5e3", "a number")] {
        let out = same_for_every_provider(body.as_bytes(), &[("invalid_type", "")]);
        assert_eq!(out.issues()[0].message, format!("body must be a JSON object, found {found}"));
    }
}

#[test]
fn bom_prefixed_json_is_read_as_without_it_plus_a_byte_order_mark_warning() {
    for (provider, v) in valid_bodies() {
        let plain = bytes(&v);
        let with_bom = [&b"\xef\xbb\xbf"[..], &plain].concat();
        for forced in [None, Some(provider)] {
            let a = parse_as(&plain, forced);
            let b = parse_as(&with_bom, forced);
            assert!(b.is_ok(), "{provider}: {:?}", b.issues());
            assert_eq!(b.issues()[0].code.as_str(), "byte_order_mark");
            assert_eq!(b.issues()[0].path, "");
            assert!(!b.issues()[0].is_error());
            assert_eq!(codes(&b)[1..], codes(&a)[..], "{provider}");
            assert_eq!(serde_json::to_value(b.event()).unwrap(), serde_json::to_value(a.event()).unwrap());
        }
    }
    // A BOM and nothing else, or two BOMs: the second one is not JSON.
    same_for_every_provider(b"\xef\xbb\xbf", &[("byte_order_mark", ""), ("invalid_json", "")]);
    let two = [&b"\xef\xbb\xbf\xef\xbb\xbf"[..], &bytes(&polar_paid())].concat();
    same_for_every_provider(&two, &[("byte_order_mark", ""), ("invalid_json", "")]);
    same_for_every_provider(b"\xef\xbb\xbfnull", &[("byte_order_mark", ""), ("invalid_type", "")]);
}

#[test]
fn invalid_utf8_anywhere_is_one_invalid_utf8_error_at_the_body_with_its_offset() {
    let polar = serde_json::to_string(&polar_paid()).unwrap();
    let at = polar.find("Lena").unwrap();
    let cases: Vec<(Vec<u8>, usize)> = vec![
        (b"\xff".to_vec(), 0),
        (b"\xef\xbb".to_vec(), 0), // a cut-off BOM
        ([&polar.as_bytes()[..at], b"\xc0\x80", &polar.as_bytes()[at..]].concat(), at), // overlong NUL
        ([&polar.as_bytes()[..at], b"\xed\xa0\x80", &polar.as_bytes()[at..]].concat(), at), // UTF-16 surrogate
        ([&polar.as_bytes()[..at], b"\xe2\x82", &polar.as_bytes()[at..]].concat(), at), // truncated sequence
        ([polar.as_bytes(), b"\x80"].concat(), polar.len()), // after the closing brace
    ];
    for (body, offset) in cases {
        let out = same_for_every_provider(&body, &[("invalid_utf8", "")]);
        let issue = &out.issues()[0];
        assert!(
            issue.message.starts_with(&format!("body is not valid UTF-8 (first bad byte at offset {offset}, line ")),
            "{:?}",
            issue.message
        );
        assert_eq!(issue.position.map(|p| p.offset), Some(offset));
    }
}

#[test]
fn truncated_json_is_invalid_json_at_the_body_at_every_cut() {
    for (provider, v) in valid_bodies() {
        let body = serde_json::to_vec_pretty(&v).unwrap();
        for cut in (1..body.len()).step_by(13) {
            let out = parse_as(&body[..cut], None);
            let e = only_error(&out);
            assert_eq!((e.code.as_str(), e.path.as_str()), ("invalid_json", ""), "{provider} cut at {cut}");
            assert!(e.message.contains(" (line "), "{}", e.message);
            assert!(e.position.is_some_and(|p| p.offset <= cut), "{:?}", e.position);
            let forced = parse_as(&body[..cut], Some(provider));
            assert_eq!(error_codes(&forced), owned(&[("invalid_json", "")]), "{provider} cut at {cut}");
        }
    }
}

/// The errors other than the one `invalid_value` for nesting past orderhook's limit,
/// which must be there, at a path below `under`.
fn beside_too_deep(out: &Outcome, under: &str) -> Vec<(String, String)> {
    let deep: Vec<_> = out.errors().filter(|i| i.message.contains("nested more than 128 levels")).collect();
    assert_eq!(deep.len(), 1, "{:?}", out.issues());
    assert_eq!(deep[0].code.as_str(), "invalid_value");
    assert!(deep[0].path.starts_with(under), "{} is not under {under}", deep[0].path);
    out.errors()
        .filter(|i| !i.message.contains("nested more than 128 levels"))
        .map(|i| (i.code.to_string(), i.path.clone()))
        .collect()
}

#[test]
fn nesting_10000_deep_at_the_top_is_an_invalid_type_or_an_unknown_provider_never_a_stack_overflow() {
    same_for_every_provider(deep_arrays(10_000).as_bytes(), &[("invalid_type", "")]);
    let objects = deep_objects(10_000);
    let out = parse_as(objects.as_bytes(), None);
    assert_eq!(beside_too_deep(&out, "/a"), owned(&[("unknown_provider", "")]));
    let forced = [
        (Provider::Polar, vec![("missing_field", "/type"), ("missing_field", "/data")]),
        (Provider::Voucherify, vec![("missing_field", "/customer"), ("missing_field", "/order")]),
        (Provider::Vrio, vec![("missing_field", "/webhook_event"), ("missing_field", "/webhook_data")]),
    ];
    for (provider, want) in forced {
        assert_eq!(beside_too_deep(&parse_as(objects.as_bytes(), Some(provider)), "/a"), owned(&want), "{provider}");
    }
}

#[test]
fn nesting_10000_deep_inside_a_payload_is_reported_where_it_is() {
    let arrays = deep_arrays(10_000);
    let objects = deep_objects(10_000);
    // In a list of items: the first element is not an item.
    let lists = [
        (polar_paid(), "/data/items", "/data/items/0"),
        (voucherify_envelope(), "/data/order/items", "/data/order/items/0"),
        (vrio_order(), "/webhook_data/order/order_offers", "/webhook_data/order/order_offers/0"),
    ];
    for (v, list, first) in lists {
        let out = parse_as(&with_raw(&v, list, &format!("[{arrays}]")), None);
        assert_eq!(beside_too_deep(&out, first), owned(&[("invalid_type", first)]), "{:?}", out.issues());
    }
    // Where a string belongs: blanked at its depth, so the string field itself reads an array.
    let out = parse_as(&with_raw(&polar_paid(), "/data/id", &arrays), None);
    assert_eq!(beside_too_deep(&out, "/data/id"), owned(&[("invalid_type", "/data/id")]));
    let out = parse_as(&with_raw(&polar_paid(), "/data/id", &objects), None);
    assert_eq!(beside_too_deep(&out, "/data/id"), owned(&[("invalid_type", "/data/id")]));
    // Where an object belongs, unknown keys are skipped: only its missing required keys are reported.
    let out = parse_as(&with_raw(&polar_paid(), "/data/customer", &objects), None);
    assert_eq!(
        beside_too_deep(&out, "/data/customer"),
        owned(&[("missing_field", "/data/customer/id"), ("missing_field", "/data/customer/name")])
    );
    // In metadata (passed through verbatim) and in a key nobody reads: refused all the same,
    // since a caller's JSON.stringify of the result could not survive it (issue 12 §3).
    for (pointer, deep) in [("/data/metadata/erp_ref", &arrays), ("/data/product", &objects)] {
        let out = parse_as(&with_raw(&polar_paid(), pointer, deep), None);
        assert!(!out.is_ok());
        assert_eq!(beside_too_deep(&out, pointer), owned(&[]), "{pointer}");
    }
}

#[test]
fn numbers_of_400_digits_in_a_read_field_are_invalid_values_at_their_path() {
    // Finding F3 (tests/ROBUSTNESS.md), fixed: serde_json cannot hold the number, so
    // src/recover.rs blanks it and reports it at its own path.
    let digits = "9".repeat(400);
    for (v, pointer) in [
        (polar_paid(), "/data/total_amount"),
        (voucherify_envelope(), "/data/order/items/0/quantity"),
        (vrio_order(), "/webhook_data/order/id"),
    ] {
        for raw in [digits.clone(), format!("-{digits}")] {
            let out = parse_as(&with_raw(&v, pointer, &raw), None);
            assert_eq!(error_codes(&out), owned(&[("invalid_value", pointer)]), "{pointer}");
            assert!(out.issues().iter().any(|i| i.message.contains("too large to represent")), "{:?}", out.issues());
        }
    }
}

#[test]
fn numbers_of_400_digits_where_nothing_reads_them_are_ignored_or_kept_verbatim() {
    let digits = "9".repeat(400);
    let out = parse_as(&with_raw(&polar_paid(), "/data/platform_fee_amount", &digits), None);
    assert!(out.is_ok(), "{:?}", out.issues());
    let out = parse_as(&with_raw(&polar_paid(), "/data/metadata/erp_ref", &digits), None);
    assert!(out.event().unwrap().order.metadata.as_ref().unwrap().get().contains(&digits));
}

#[test]
fn four_hundred_digit_decimal_strings_are_out_of_range_values_at_their_path() {
    // Vrio sends money as decimal strings: too large is an `invalid_value`, not a rounding.
    let pointer = "/webhook_data/order/order_offers/0/order_offer_price";
    for s in ["9".repeat(400), format!("-{}", "9".repeat(400)), format!("0.{}", "0".repeat(398) + "1")] {
        let out = parse_as(&bytes(&set(&vrio_order(), pointer, json!(s))), None);
        let e = only_error(&out);
        assert_eq!((e.code.as_str(), e.path.as_str()), ("invalid_value", pointer));
    }
}

#[test]
fn exponent_1e400_in_a_read_field_is_an_invalid_value_and_elsewhere_is_ignored() {
    // Finding F3 again, fixed: `1e400` is valid JSON (JavaScript reads Infinity).
    for raw in ["1e400", "-1e400", "1E+400"] {
        let out = parse_as(&with_raw(&polar_paid(), "/data/tax_amount", raw), None);
        assert_eq!(error_codes(&out), owned(&[("invalid_value", "/data/tax_amount")]));
        assert!(out.errors().next().unwrap().message.contains("too large to represent"), "{:?}", out.issues());
        let out = parse_as(&with_raw(&polar_paid(), "/data/platform_fee_amount", raw), None);
        assert!(out.is_ok(), "{:?}", out.issues());
        let out = parse_as(&with_raw(&polar_paid(), "/data/metadata/erp_ref", raw), None);
        assert!(out.is_ok(), "{:?}", out.issues());
    }
    // A tiny exponent is a float: a type error at the field, never money.
    let out = parse_as(&with_raw(&polar_paid(), "/data/tax_amount", "1e-400"), None);
    assert_eq!(error_codes(&out), owned(&[("invalid_type", "/data/tax_amount")]));
    assert_eq!(out.issues()[0].message, "`tax_amount` must be an integer, found number with a fraction");
}

#[test]
fn negative_quantities_are_invalid_values_at_their_path() {
    let p = "/data/order/items/0/quantity";
    let out = parse_as(&bytes(&set(&voucherify_envelope(), p, json!(-3))), None);
    assert_eq!(error_codes(&out), owned(&[("invalid_value", p)]));
    assert_eq!(only_error(&out).message, "`quantity` is -3; a quantity cannot be negative");
    let p = "/webhook_data/order/order_offers/0/order_offer_quantity";
    for q in [json!("-2"), json!(-2), json!(i64::MIN)] {
        let out = parse_as(&bytes(&set(&vrio_order(), p, q.clone())), None);
        assert_eq!(error_codes(&out), owned(&[("invalid_value", p)]), "{q}");
    }
    // Zero is a quantity.
    let out = parse_as(&bytes(&set(&vrio_order(), p, json!("0"))), None);
    assert!(out.is_ok(), "{:?}", out.issues());
}

#[test]
fn negative_amounts_are_kept_as_signed_minor_units_and_only_cross_checked() {
    // No provider rule makes a negative amount an error (discounts and adjustments
    // can be negative); they are kept exactly and sums that no longer add up warn.
    let out = parse_as(&bytes(&set(&polar_paid(), "/data/total_amount", json!(-5248))), None);
    assert!(out.is_ok(), "{:?}", out.issues());
    assert_eq!(codes(&out), owned(&[("amount_mismatch", "/data/total_amount")]));
    assert_eq!(amount(out.event().unwrap().order.total), Some(-5248));

    let v = set(&polar_paid(), "/data/items/0/amount", json!(-5));
    let out = parse_as(&bytes(&v), None);
    assert_eq!(codes(&out), owned(&[("amount_mismatch", "/data/subtotal_amount")]));
    assert_eq!(amount(out.event().unwrap().order.items[0].total), Some(-5));

    let p = "/webhook_data/order/order_offers/1/order_offer_price";
    let out = parse_as(&bytes(&set(&vrio_order(), p, json!("-0.50"))), None);
    assert!(out.is_ok(), "{:?}", out.issues());
    assert_eq!(amount(out.event().unwrap().order.items[1].unit_price), Some(-50));
    assert_eq!(amount(out.event().unwrap().order.total), Some(3998 - 50 - 250));

    let out = parse_as(&bytes(&set(&voucherify_envelope(), "/data/order/amount", json!(-4200))), None);
    assert!(out.is_ok(), "{:?}", out.issues());
    assert!(has(&out, "amount_mismatch", "/data/order/amount"));
    assert!(has(&out, "amount_mismatch", "/data/order/total_amount"));
}

/// The object at `parent` with a second `key`, whose raw value `first` comes first.
fn duplicate_key(v: &Value, parent: &str, key: &str, first: &str) -> Vec<u8> {
    let mut v = v.clone();
    let object = v.pointer_mut(parent).and_then(Value::as_object_mut).unwrap_or_else(|| panic!("no {parent}"));
    assert!(object.contains_key(key), "no {parent}/{key}");
    // `Value` sorts keys, so the marker (U+0001) is written before the original.
    object.insert("\u{1}".into(), json!("\u{1}"));
    let text = serde_json::to_string(&v).unwrap();
    let marker = r#""\u0001":"\u0001""#;
    assert_eq!(text.matches(marker).count(), 1);
    text.replace(marker, &format!("\"{key}\":{first}")).into_bytes()
}

#[test]
fn duplicate_keys_that_are_read_are_rejected_as_invalid_json_so_neither_wins() {
    // serde's derive refuses a repeated field; orderhook reports it as `invalid_json`
    // at the body (message: "duplicate field `…`" with line and column). Neither the
    // first (serde_json::Value's choice would be the last) nor the last value wins,
    // so no reader of the same bytes can see another order than the one checked.
    let cases = [
        (polar_paid(), "", "type", r#""order.refunded""#),
        (polar_paid(), "/data", "total_amount", "1"),
        (polar_paid(), "/data/items/0", "amount", "1"),
        (voucherify_envelope(), "", "event", "{}"),
        (voucherify_envelope(), "/data/order/items/0", "quantity", "1"),
        (vrio_order(), "", "webhook_event", r#""order_updated""#),
        (vrio_order(), "/webhook_data/order/order_offers/0", "order_offer_price", r#""0.01""#),
    ];
    for (v, parent, key, first) in cases {
        let body = duplicate_key(&v, parent, key, first);
        for provider in EVERY_PROVIDER.into_iter().take(1).chain([orderhook::detect(&bytes(&v)).map(|d| d.provider)]) {
            let out = parse_as(&body, provider);
            assert_eq!(codes(&out), owned(&[("invalid_json", "")]), "{parent}/{key}");
            let message = &out.issues()[0].message;
            assert!(message.contains(&format!("duplicate field `{key}`")), "{message}");
        }
    }
}

#[test]
fn duplicate_keys_that_nothing_reads_are_accepted_and_metadata_keeps_both() {
    let out = parse_as(&duplicate_key(&polar_paid(), "/data", "platform_fee_amount", "1"), None);
    assert!(out.is_ok(), "{:?}", out.issues());
    let out = parse_as(&duplicate_key(&polar_paid(), "/data/customer", "type", r#""business""#), None);
    assert!(out.is_ok(), "{:?}", out.issues());
    let out = parse_as(&duplicate_key(&polar_paid(), "/data/metadata", "erp_ref", r#""first""#), None);
    let md = out.event().unwrap().order.metadata.as_ref().unwrap();
    assert_eq!(md.get(), r#"{"erp_ref":"first","erp_ref":"SO-88412"}"#);
}

#[test]
fn a_50_mb_body_gets_only_too_large_and_is_never_decoded() {
    // Invalid UTF-8 after a valid order: decoding it would report `invalid_utf8`.
    let mut body = bytes(&polar_paid());
    body.resize(50 * 1024 * 1024, 0xff);
    let out = same_for_every_provider(&body, &[("too_large", "")]);
    assert_eq!(out.issues()[0].message, "body is 52428800 bytes, more than the limit of 1048576 bytes");
    // Exactly at the limit the body is read.
    let mut at_limit = bytes(&polar_paid());
    at_limit.resize(orderhook::DEFAULT_MAX_BYTES, b' ');
    assert!(parse_as(&at_limit, None).is_ok());
    at_limit.push(b' ');
    assert_eq!(codes(&parse_as(&at_limit, None)), owned(&[("too_large", "")]));
}

#[test]
fn escaped_nul_in_strings_is_kept_and_raw_control_characters_are_invalid_json() {
    let out = parse_as(&bytes(&set(&polar_paid(), "/data/id", json!("a\u{0}b"))), None);
    assert!(out.is_ok(), "{:?}", out.issues());
    assert_eq!(out.event().unwrap().order.id, "a\u{0}b");
    for raw in ["\"a\u{0}b\"", "\"a\u{1f}b\"", "\"a\nb\""] {
        let out = parse_as(&with_raw(&polar_paid(), "/data/id", raw), None);
        assert_eq!(codes(&out), owned(&[("invalid_json", "")]), "{raw:?}");
        assert!(out.issues()[0].message.contains("control character"), "{}", out.issues()[0].message);
    }
}

#[test]
fn lone_surrogates_in_read_strings_are_invalid_values_and_elsewhere_ignored_or_kept() {
    // Finding F3, fixed: a Rust string cannot hold a lone surrogate, which JSON.parse
    // accepts; it is reported at its field and the rest of the body is still read.
    for raw in [r#""\ud800""#, r#""\udc00""#, r#""x\ud800y""#, r#""\ud800\u0041""#] {
        let out = parse_as(&with_raw(&polar_paid(), "/data/id", raw), None);
        assert_eq!(error_codes(&out), owned(&[("invalid_value", "/data/id")]), "{raw}");
        assert!(out.errors().next().unwrap().message.contains("surrogate"), "{:?}", out.issues());
        let out = parse_as(&with_raw(&polar_paid(), "/data/platform_fee_currency", raw), None);
        assert!(out.is_ok(), "{raw}: {:?}", out.issues());
        let out = parse_as(&with_raw(&polar_paid(), "/data/metadata/erp_ref", raw), None);
        assert!(out.event().unwrap().order.metadata.as_ref().unwrap().get().contains(raw), "{raw}");
    }
    // A proper pair is one character.
    let out = parse_as(&with_raw(&polar_paid(), "/data/id", r#""\ud83d\ude00""#), None);
    assert_eq!(out.event().unwrap().order.id, "\u{1F600}");
}

#[test]
fn impossible_dates_times_and_colonless_offsets_are_invalid_values_at_their_path() {
    let cases: [(Value, &str, &[&str]); 6] = [
        (
            polar_paid(),
            "/data/created_at",
            &["2024-02-30T00:00:00Z", "2023-02-29T00:00:00Z", "2024-01-01T24:00:00Z", "2024-01-01T23:59:60Z"],
        ),
        (polar_paid(), "/timestamp", &["2024-01-01T10:00:00+0200", "2024-01-01T10:00:00+02", "2024-01-01T10:00:00"]),
        (voucherify_envelope(), "/data/order/created_at", &["2024-02-30T00:00:00.1Z", "2024-04-31T00:00:00Z"]),
        (voucherify_envelope(), "/event/created_at", &["2024-01-01T24:00:00.000Z", "2024-01-01T00:00:00-0500"]),
        (
            vrio_order(),
            "/webhook_data/order/date_created",
            &["2024-02-30 10:00:00", "2024-01-01 24:00:00", "2024-01-01 10:00:00+0200", "2024-01-01 10:00:00+02:00"],
        ),
        (vrio_order(), "/webhook_event_date", &["2023-02-29 00:00:00", "2024-13-01 00:00:00", "24:00:00"]),
    ];
    for (v, pointer, values) in cases {
        for s in values {
            let out = parse_as(&bytes(&set(&v, pointer, json!(s))), None);
            assert_eq!(error_codes(&out), owned(&[("invalid_value", pointer)]), "{pointer} = {s}");
            assert!(out.errors().next().unwrap().message.contains(s), "{:?}", out.issues());
        }
    }
    // The valid neighbours.
    let ok = [
        (polar_paid(), "/data/created_at", "2024-02-29T23:59:59Z"),
        (polar_paid(), "/timestamp", "2024-01-01T10:00:00+02:00"),
        (vrio_order(), "/webhook_data/order/date_created", "2024-02-29 23:59:59"),
    ];
    for (v, pointer, s) in ok {
        let out = parse_as(&bytes(&set(&v, pointer, json!(s))), None);
        assert!(out.is_ok(), "{pointer} = {s}: {:?}", out.issues());
    }
}

// ---------------------------------------------------------------------------
// (a) Every field set to the wrong JSON type in turn, generated
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum J {
    Null,
    Bool,
    Int,
    Float,
    Str,
    Arr,
    Obj,
}

fn kind(v: &Value) -> J {
    match v {
        Value::Null => J::Null,
        Value::Bool(_) => J::Bool,
        Value::Number(n) if n.is_i64() || n.is_u64() => J::Int,
        Value::Number(_) => J::Float,
        Value::String(_) => J::Str,
        Value::Array(_) => J::Arr,
        Value::Object(_) => J::Obj,
    }
}

/// One value of each JSON type.
fn one_of_each_type() -> [Value; 7] {
    [json!(null), json!(true), json!(7), json!(1.5), json!("x"), json!([]), json!({})]
}

/// How the wire types read a field (tests/spec/reads.json): the JSON types some
/// value of which is accepted (`Flag` takes `true`, `1` and `"1"`), whether the
/// key must be sent, whether `null` is allowed, and whether a wrong type is only
/// a warning (a field beyond the provider's schema).
#[derive(Clone, Copy, Debug)]
struct Rule {
    accepts: &'static [J],
    required: bool,
    nullable: bool,
    beyond_schema: bool,
}

impl Rule {
    fn parse(spec: &str) -> Rule {
        let (ty, presence) = spec.split_once(' ').unwrap_or_else(|| panic!("bad rule {spec:?}"));
        let accepts: &'static [J] = match ty {
            "string" => &[J::Str],
            "integer" => &[J::Int],
            "boolean" => &[J::Bool],
            "object" => &[J::Obj],
            "array" => &[J::Arr],
            // `Id`, `DecimalText`, Vrio `StatusType`, `Count` (digit strings).
            "id" => &[J::Str, J::Int],
            // Vrio `Flag`: booleans, 0/1, "0"/"1".
            "flag" => &[J::Bool, J::Int, J::Str],
            _ => panic!("unknown type in rule {spec:?}"),
        };
        let (required, nullable) = match presence {
            "required" => (true, false),
            "required-or-null" => (true, true),
            "optional" => (false, false),
            "optional-or-null" | "beyond-schema" => (false, true),
            _ => panic!("unknown presence in rule {spec:?}"),
        };
        Rule { accepts, required, nullable, beyond_schema: presence == "beyond-schema" }
    }
}

/// One table of tests/spec/reads.json, its pointers under `prefix`.
fn reads_table(table: &str, prefix: &str) -> Vec<(String, Rule)> {
    static SPEC: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    let spec = SPEC.get_or_init(|| serde_json::from_str(include_str!("spec/reads.json")).unwrap());
    spec[table]
        .as_object()
        .unwrap_or_else(|| panic!("no table {table}"))
        .iter()
        .map(|(p, r)| (format!("{prefix}{p}"), Rule::parse(r.as_str().unwrap())))
        .collect()
}

/// Every field the normalized model reads (src/providers/*.rs), as JSON Pointer
/// patterns where `*` is an array index and `customer_address_*` either address.
fn read_fields(provider: Provider, v: &Value) -> Vec<(String, Rule)> {
    match provider {
        Provider::Voucherify if is_envelope(provider, v) => {
            [reads_table("voucherify_envelope", ""), reads_table("voucherify_data", "/data")].concat()
        }
        Provider::Voucherify => reads_table("voucherify_data", ""),
        Provider::Vrio => [reads_table("vrio_envelope", ""), reads_table("vrio_order", "/webhook_data/order")].concat(),
        Provider::Paddle => {
            let adjustment = v["event_type"].as_str().is_some_and(|t| t.starts_with("adjustment."));
            let entity = if adjustment { "paddle_adjustment" } else { "paddle_transaction" };
            [reads_table("paddle_envelope", ""), reads_table(entity, "/data")].concat()
        }
        Provider::Stripe => {
            // `charge.refunded` carries a Charge, every other order event a Checkout Session.
            let charge = v["type"].as_str().is_some_and(|t| t.starts_with("charge."));
            let object = if charge { "stripe_charge" } else { "stripe_session" };
            [reads_table("stripe_event", ""), reads_table(object, "/data/object")].concat()
        }
        // A Shopify body is an Order, or a Refund (which names its order).
        Provider::Shopify if v.get("order_id").is_some() => reads_table("shopify_refund", ""),
        Provider::Shopify => reads_table("shopify_order", ""),
        // A provider with one table, named after it.
        p => reads_table(p.as_str(), ""),
    }
}

/// Read fields whose wrong type is not reported (none since finding F2 was fixed;
/// kept so a future gap is named here rather than hidden).
const KNOWN_GAPS: &[&str] = &[];

/// `*` matches an array index; `customer_address_*` either address.
fn matches(pattern: &str, path: &str) -> bool {
    let (p, q): (Vec<&str>, Vec<&str>) = (pattern.split('/').collect(), path.split('/').collect());
    p.len() == q.len()
        && p.iter().zip(&q).all(|(a, b)| {
            a == b
                || (*a == "*" && !b.is_empty() && b.bytes().all(|c| c.is_ascii_digit()))
                || (*a == "customer_address_*"
                    && (*b == "customer_address_billing" || *b == "customer_address_shipping"))
        })
}

fn rule_for<'r>(fields: &'r [(String, Rule)], path: &str) -> Option<&'r Rule> {
    fields.iter().find(|(p, _)| matches(p, path)).map(|(_, r)| r)
}

fn is_known_gap(path: &str) -> bool {
    KNOWN_GAPS.iter().any(|p| matches(p, path))
}

/// Every node's JSON Pointer, the root excluded, in document order.
fn all_pointers(v: &Value, at: String, out: &mut Vec<String>) {
    let escape = |k: &str| k.replace('~', "~0").replace('/', "~1");
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                let p = format!("{at}/{}", escape(k));
                out.push(p.clone());
                all_pointers(c, p, out);
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                all_pointers(c, p, out);
            }
        }
        _ => {}
    }
}

/// The valid payloads the walk starts from: every order payload in tests/fixtures
/// (document pages through the JSON they hold) that parses without error.
fn walk_payloads() -> Vec<(String, Provider, Value)> {
    let mut named: Vec<(String, Vec<u8>)> = Vec::new();
    for name in fixture_names() {
        let body = if name.ends_with(".txt") { fixture_json(&name).into_bytes() } else { fixture(&name) };
        named.push((format!("fixtures/{name}"), body));
    }
    named.sort();
    let mut out = Vec::new();
    for (name, body) in named {
        let Some(d) = orderhook::detect(&body) else { continue };
        let Ok(value) = serde_json::from_slice::<Value>(&body) else { continue };
        if parse_as(&body, Some(d.provider)).is_ok() {
            out.push((name, d.provider, value));
        }
    }
    for &p in Provider::ALL {
        assert!(out.iter().filter(|(_, q, _)| *q == p).count() >= 2, "too few valid {p} payloads: {out:?}");
    }
    out
}

fn is_envelope(provider: Provider, v: &Value) -> bool {
    provider == Provider::Voucherify && (v.get("event").is_some() || v.get("data").is_some())
}

fn error_set(out: &Outcome) -> BTreeSet<(String, String)> {
    error_codes(out).into_iter().collect()
}

#[test]
fn every_field_of_every_provider_set_to_each_wrong_json_type_in_turn() {
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut strict = 0;
    for (name, provider, v) in walk_payloads() {
        let fields = read_fields(provider, &v);
        let baseline = error_set(&parse_as(&bytes(&v), Some(provider)));
        let mut pointers = Vec::new();
        all_pointers(&v, String::new(), &mut pointers);
        for pointer in &pointers {
            let current = kind(v.pointer(pointer).unwrap());
            for replacement in one_of_each_type() {
                let rk = kind(&replacement);
                if rk == current {
                    continue;
                }
                checked += 1;
                let body = bytes(&set(&v, pointer, replacement.clone()));
                let out = parse_as(&body, Some(provider));
                let errors = error_set(&out);
                let new: Vec<_> = errors.difference(&baseline).collect();
                let at = |code: &str, error: bool| {
                    out.issues().iter().any(|i| i.code.as_str() == code && i.path == *pointer && i.is_error() == error)
                };
                let error_at = out.errors().any(|i| i.path == *pointer);
                let why = format!("{name}: {pointer} = {replacement} -> {:?}", codes(&out));
                match (rule_for(&fields, pointer), is_known_gap(pointer)) {
                    (_, true) => {}
                    (None, false) => {
                        if !new.is_empty() {
                            failures.push(format!("an unread field made new errors: {why}"));
                        }
                    }
                    (Some(Rule { accepts, beyond_schema: true, .. }), false) => {
                        strict += 1;
                        let fine = rk == J::Null || accepts.contains(&rk) || (at("invalid_type", false) && !error_at);
                        if !fine || !new.is_empty() {
                            failures.push(format!("beyond the schema, a wrong type is a warning: {why}"));
                        }
                    }
                    (Some(Rule { accepts, nullable, .. }), false) => {
                        strict += 1;
                        let fine = if rk == J::Null {
                            if *nullable {
                                !error_at
                            } else {
                                at("invalid_type", true)
                            }
                        } else if accepts.contains(&rk) {
                            // Some values of this type are accepted; others are
                            // value errors at the field itself.
                            out.errors().filter(|i| i.path == *pointer).all(|i| {
                                ["invalid_type", "invalid_value", "unsupported_event"].contains(&i.code.as_str())
                            })
                        } else {
                            at("invalid_type", true)
                        };
                        if !fine {
                            failures.push(format!("wrong type not reported at the field: {why}"));
                        }
                        // An object in place of another may lack the required keys below it.
                        if new.iter().any(|(_, p)| p != pointer && !p.starts_with(&format!("{pointer}/"))) {
                            failures.push(format!("errors away from the field: {why}"));
                        }
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} of {checked} replacements failed:\n{}", failures.len(), failures.join("\n"));
    assert!(checked > 3_000 && strict > 1_000, "only {checked} replacements, {strict} on read fields");
}

/// The read scalar fields present in `v` (null ones included).
fn read_leaves(provider: Provider, v: &Value) -> Vec<(String, Rule)> {
    let fields = read_fields(provider, v);
    let mut pointers = Vec::new();
    all_pointers(v, String::new(), &mut pointers);
    pointers
        .into_iter()
        .filter(|p| !matches!(v.pointer(p), Some(Value::Object(_) | Value::Array(_))) && !is_known_gap(p))
        .filter_map(|p| match rule_for(&fields, &p) {
            Some(r @ Rule { accepts, beyond_schema: false, .. })
                if !accepts.contains(&J::Obj) && !accepts.contains(&J::Arr) =>
            {
                Some((p, *r))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn nothing_is_lost_every_read_field_of_the_wrong_type_is_reported_when_all_are_wrong_at_once() {
    for (name, provider, v) in walk_payloads() {
        let leaves = read_leaves(provider, &v);
        assert!(leaves.len() >= 5, "{name}: {leaves:?}");
        for wrong in [json!(1.5), json!([true]), json!({"a": 1})] {
            let mut bad = v.clone();
            for (p, _) in &leaves {
                *bad.pointer_mut(p).unwrap() = wrong.clone();
            }
            let out = parse_as(&bytes(&bad), Some(provider));
            let errors = error_set(&out);
            for (p, _) in &leaves {
                assert!(
                    errors.contains(&("invalid_type".to_owned(), p.clone())),
                    "{name}: {p} = {wrong} is not reported among {} errors: {errors:?}",
                    errors.len()
                );
            }
            assert_eq!(errors.len(), leaves.len(), "{name}: {errors:?}");
        }
    }
}

#[test]
fn nothing_is_lost_every_required_field_is_reported_when_all_are_missing_at_once() {
    for (name, provider, v) in walk_payloads() {
        let required: Vec<String> =
            read_leaves(provider, &v).into_iter().filter(|(_, r)| r.required).map(|(p, _)| p).collect();
        assert!(!required.is_empty(), "{name}");
        let mut bad = v.clone();
        for p in &required {
            let (parent, key) = p.rsplit_once('/').unwrap();
            bad.pointer_mut(parent).unwrap().as_object_mut().unwrap().remove(key);
        }
        let out = parse_as(&bytes(&bad), Some(provider));
        let want: BTreeSet<_> = required.iter().map(|p| ("missing_field".to_owned(), p.clone())).collect();
        assert_eq!(error_set(&out), want, "{name}");
    }
}

#[test]
fn nothing_is_lost_across_kinds_of_problem_in_one_body() {
    // Polar: a type error, a bad date, an out-of-range amount, an unknown status, a missing field.
    let mut v = polar_paid();
    v["data"]["customer"]["email"] = json!(5);
    v["data"]["created_at"] = json!("2024-02-30T00:00:00Z");
    v["data"]["items"][0]["amount"] = json!(9_007_199_254_740_992_i64);
    v["data"]["status"] = json!("on_hold");
    v["data"].as_object_mut().unwrap().remove("currency");
    let out = parse_as(&bytes(&v), None);
    assert_eq!(
        codes(&out),
        owned(&[
            ("unknown_enum", "/data/status"),
            ("missing_field", "/data/currency"),
            ("invalid_value", "/data/created_at"),
            ("invalid_type", "/data/customer/email"),
            ("invalid_value", "/data/items/0/amount"),
        ])
    );
    // Voucherify: a negative quantity, a wrong `object`, a bad timestamp, a type error.
    let mut v = voucherify_envelope();
    v["data"]["order"]["items"][0]["quantity"] = json!(-1);
    v["data"]["order"]["object"] = json!("cart");
    v["event"]["created_at"] = json!("yesterday");
    v["data"]["customer"]["name"] = json!(["Mira"]);
    let out = parse_as(&bytes(&v), None);
    assert_eq!(
        error_codes(&out),
        owned(&[
            ("invalid_value", "/event/created_at"),
            ("invalid_type", "/data/customer/name"),
            ("invalid_value", "/data/order/object"),
            ("invalid_value", "/data/order/items/0/quantity"),
        ])
    );
    // Vrio: a too-precise price, a bad date, a wrong flag, a bad discount.
    let mut v = vrio_order();
    let order = &mut v["webhook_data"]["order"];
    order["order_offers"][0]["order_offer_price"] = json!("19.999");
    order["order_offers"][1]["is_recurring"] = json!("yes");
    order["date_modified"] = json!("2024-09-31 00:00:00");
    order["order_discount"] = json!("two");
    let out = parse_as(&bytes(&v), None);
    assert_eq!(
        error_codes(&out),
        owned(&[
            ("invalid_value", "/webhook_data/order/date_modified"),
            ("invalid_value", "/webhook_data/order/order_discount"),
            ("invalid_value", "/webhook_data/order/order_offers/0/order_offer_price"),
            ("invalid_type", "/webhook_data/order/order_offers/1/is_recurring"),
        ])
    );
}

#[test]
fn the_invariant_checker_knows_json_pointer_syntax_and_snake_case_codes() {
    assert!(is_json_pointer("/data/a~1b~0c/0"));
    assert!(!is_json_pointer("/data/a~2"));
    assert!(!is_json_pointer("data"));
    for code in PARSE_CODES {
        assert_eq!(code.to_ascii_lowercase(), *code);
    }
}

// ---------------------------------------------------------------------------
// (c) Money: exact or an error, never rounded; checked sums never overflow silently
// ---------------------------------------------------------------------------

/// Currencies with 0, 2 and 3 decimal places.
const CURRENCIES: [&str; 6] = ["JPY", "KRW", "USD", "EUR", "KWD", "BHD"];

#[derive(Debug, PartialEq)]
enum Want {
    Value(i64),
    Syntax,
    TooPrecise,
    OutOfRange,
}

/// The exact value of a decimal string in minor units, computed independently.
fn reference(s: &str, exp: u8) -> Want {
    let (neg, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (whole, frac) = body.split_once('.').unwrap_or((body, ""));
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && frac.is_empty()) || !digits(whole) || !digits(frac) {
        return Want::Syntax;
    }
    let significant = frac.trim_end_matches('0');
    if significant.len() > usize::from(exp) {
        return Want::TooPrecise;
    }
    let whole = whole.trim_start_matches('0');
    let padded = format!("{significant:0<width$}", width = usize::from(exp));
    let all = format!("{whole}{padded}");
    let all = all.trim_start_matches('0');
    if all.len() > 16 {
        return Want::OutOfRange;
    }
    let magnitude: i64 = if all.is_empty() { 0 } else { all.parse().unwrap() };
    if magnitude > MinorUnits::MAX {
        return Want::OutOfRange;
    }
    Want::Value(if neg { -magnitude } else { magnitude })
}

fn got(r: Result<MinorUnits, orderhook::money::DecimalError>) -> Want {
    use orderhook::money::DecimalError;
    match r {
        Ok(v) => Want::Value(v.get()),
        Err(DecimalError::Syntax) => Want::Syntax,
        Err(DecimalError::TooPrecise { .. }) => Want::TooPrecise,
        Err(DecimalError::OutOfRange) => Want::OutOfRange,
    }
}

fn decimal_strings() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "-?[0-9]{0,20}(\\.[0-9]{0,6})?",
        2 => "-?0{0,30}[0-9]{0,17}\\.?[0-9]{0,4}0{0,30}",
        1 => "-?[0-9]{15,400}(\\.[0-9]{0,3})?",
        1 => "[-+.,eE0-9 ]{0,12}",
        1 => "\\PC{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn decimal_strings_become_exact_minor_units_or_an_error_never_a_rounding(
        s in decimal_strings(),
        code in prop::sample::select(&CURRENCIES[..]),
    ) {
        let exp = Currency::new(code).unwrap().exponent();
        prop_assert!([0, 2, 3].contains(&exp));
        prop_assert_eq!(got(MinorUnits::parse_decimal(&s, exp)), reference(&s, exp), "{:?} in {}", s, code);
    }

    #[test]
    fn minor_units_round_trip_through_their_decimal_text(
        units in -MinorUnits::MAX..=MinorUnits::MAX,
        code in prop::sample::select(&CURRENCIES[..]),
        zeros in 0usize..4,
    ) {
        let exp = Currency::new(code).unwrap().exponent();
        let scale = 10i64.pow(u32::from(exp));
        let (whole, frac) = (units.unsigned_abs() / scale as u64, units.unsigned_abs() % scale as u64);
        let sign = if units < 0 { "-" } else { "" };
        let mut text = if exp == 0 { format!("{sign}{whole}") } else { format!("{sign}{whole}.{frac:0w$}", w = usize::from(exp)) };
        if zeros > 0 {
            if exp == 0 { text.push('.'); }
            text.push_str(&"0".repeat(zeros));
        }
        prop_assert_eq!(MinorUnits::parse_decimal(&text, exp).unwrap().get(), units, "{}", text);
        // One more unit in the next decimal place is never rounded away.
        let finer = if exp == 0 { format!("{text}{}1", if zeros > 0 { "" } else { "." }) } else { format!("{text}1") };
        prop_assert!(MinorUnits::parse_decimal(&finer, exp).is_err(), "{}", finer);
    }

    #[test]
    fn checked_arithmetic_is_exact_or_none_never_wrapped(
        a in -MinorUnits::MAX..=MinorUnits::MAX,
        b in prop_oneof![-MinorUnits::MAX..=MinorUnits::MAX, -1000i64..1000],
        q in prop_oneof![any::<i64>(), -1000i64..1000, 0i64..=2],
        raw in any::<i64>(),
    ) {
        let (ma, mb) = (MinorUnits::new(a).unwrap(), MinorUnits::new(b).unwrap());
        let in_range = |x: i128| x.abs() <= i128::from(MinorUnits::MAX);
        let check = |r: Option<MinorUnits>, exact: i128| match r {
            Some(v) => in_range(exact) && i128::from(v.get()) == exact,
            None => !in_range(exact),
        };
        prop_assert!(check(ma.checked_add(mb), i128::from(a) + i128::from(b)));
        prop_assert!(check(ma.checked_sub(mb), i128::from(a) - i128::from(b)));
        prop_assert!(check(ma.checked_mul(q), i128::from(a) * i128::from(q)));
        prop_assert_eq!(MinorUnits::new(raw).is_some(), in_range(i128::from(raw)));
    }
}

fn vrio_one_offer(price: &str, quantity: i64, discount: Option<&str>) -> Value {
    let mut v = vrio_order();
    let order = &mut v["webhook_data"]["order"];
    order["order_offers"] = json!([{"id": "1", "order_offer_price": price, "order_offer_quantity": quantity}]);
    match discount {
        Some(d) => order["order_discount"] = json!(d),
        None => {
            order.as_object_mut().unwrap().remove("order_discount");
        }
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn vrio_prices_through_parse_are_exact_or_an_invalid_value_at_the_price(
        price in decimal_strings(),
        quantity in prop_oneof![0i64..5, 0i64..=1_000_000_000],
        code in prop::sample::select(&CURRENCIES[..]),
    ) {
        let currency = Currency::new(code).unwrap();
        let options = Options { currency: Some(currency), time_zone: Some(orderhook::TimeZone::UTC), ..Options::default() };
        let body = bytes(&vrio_one_offer(&price, quantity, None));
        let out = orderhook::parse(&body, &options);
        let path = "/webhook_data/order/order_offers/0/order_offer_price";
        match reference(&price, currency.exponent()) {
            Want::Value(unit) => {
                let exact = i128::from(unit) * i128::from(quantity);
                if exact.abs() <= i128::from(MinorUnits::MAX) {
                    let e = out.event().unwrap_or_else(|| panic!("{price:?} × {quantity}: {:?}", out.issues()));
                    prop_assert_eq!(amount(e.order.items[0].unit_price), Some(unit));
                    prop_assert_eq!(amount(e.order.items[0].total).map(i128::from), Some(exact));
                    prop_assert_eq!(amount(e.order.total).map(i128::from), Some(exact));
                } else {
                    prop_assert_eq!(error_codes(&out), owned(&[("invalid_value", path)]));
                }
            }
            _ => prop_assert_eq!(error_codes(&out), owned(&[("invalid_value", path)]), "{:?}", price),
        }
    }

    #[test]
    fn polar_amounts_pass_through_exactly_and_every_mismatch_is_warned(
        items in prop::collection::vec(-MinorUnits::MAX / 8..=MinorUnits::MAX / 8, 1..4),
        subtotal in -MinorUnits::MAX / 8..=MinorUnits::MAX / 8,
        discount in -MinorUnits::MAX / 8..=MinorUnits::MAX / 8,
        tax in -MinorUnits::MAX / 8..=MinorUnits::MAX / 8,
        total in -MinorUnits::MAX / 8..=MinorUnits::MAX / 8,
        net in -MinorUnits::MAX / 8..=MinorUnits::MAX / 8,
        consistent in any::<bool>(),
    ) {
        // Half the cases add up, so both answers are exercised.
        let (subtotal, net, total) = if consistent {
            let s: i64 = items.iter().sum();
            (s, s - discount, s - discount + tax)
        } else {
            (subtotal, net, total)
        };
        let mut v = polar_paid();
        let data = &mut v["data"];
        let item = |a: &i64| json!({"id": "i", "label": "l", "amount": a, "tax_amount": 0, "product_price_id": null});
        data["items"] = Value::Array(items.iter().map(item).collect());
        for (k, x) in [("subtotal_amount", subtotal), ("discount_amount", discount), ("net_amount", net), ("tax_amount", tax), ("total_amount", total)] {
            data[k] = json!(x);
        }
        let out = parse_as(&bytes(&v), None);
        let o = &out.event().unwrap_or_else(|| panic!("{:?}", out.issues())).order;
        prop_assert_eq!((amount(o.subtotal), amount(o.discount), amount(o.tax), amount(o.total)),
            (Some(subtotal), Some(discount), Some(tax), Some(total)));
        let item_sum: i128 = items.iter().map(|&a| i128::from(a)).sum();
        let s = i128::from(subtotal) - i128::from(discount);
        prop_assert_eq!(has(&out, "amount_mismatch", "/data/subtotal_amount"), item_sum != i128::from(subtotal));
        prop_assert_eq!(has(&out, "amount_mismatch", "/data/net_amount"), i128::from(net) != s);
        prop_assert_eq!(has(&out, "amount_mismatch", "/data/total_amount"), s + i128::from(tax) != i128::from(total));
    }
}

// ---------------------------------------------------------------------------
// Findings: regression tests for tests/ROBUSTNESS.md, ignored until fixed in src/
// ---------------------------------------------------------------------------

const MAX: i64 = MinorUnits::MAX;

#[test]
fn finding_f1_polar_item_sum_beyond_the_safe_range_still_warns_of_a_mismatch() {
    let mut v = polar_paid();
    v["data"]["items"] = json!([{"id": "a", "label": "a", "amount": MAX}, {"id": "b", "label": "b", "amount": MAX}]);
    v["data"]["subtotal_amount"] = json!(0);
    v["data"]["net_amount"] = json!(0);
    v["data"]["total_amount"] = json!(2500);
    let out = parse_as(&bytes(&v), None);
    // Today: no issue at all, although the items (2 × (2^53 − 1)) cannot come to 0.
    assert!(has(&out, "amount_mismatch", "/data/subtotal_amount"), "{:?}", out.issues());
}

#[test]
fn finding_f1_polar_net_beyond_the_safe_range_still_warns_of_a_mismatch() {
    let mut v = polar_paid();
    v["data"]["subtotal_amount"] = json!(MAX);
    v["data"]["discount_amount"] = json!(-MAX);
    v["data"]["net_amount"] = json!(0);
    v["data"]["total_amount"] = json!(0);
    let out = parse_as(&bytes(&v), None);
    assert!(has(&out, "amount_mismatch", "/data/net_amount"), "{:?}", out.issues());
    assert!(has(&out, "amount_mismatch", "/data/total_amount"), "{:?}", out.issues());
}

#[test]
fn finding_f1_voucherify_amount_after_discount_beyond_the_safe_range_still_warns() {
    let mut v = voucherify_envelope();
    v["data"]["order"]["amount"] = json!(MAX);
    v["data"]["order"]["total_discount_amount"] = json!(-MAX);
    let out = parse_as(&bytes(&v), None);
    assert!(has(&out, "amount_mismatch", "/data/order/total_amount"), "{:?}", out.issues());
}

#[test]
fn finding_f1_vrio_total_beyond_the_safe_range_after_discount_is_an_error_not_a_silent_null() {
    let v = vrio_one_offer("90071992547409.91", 1, Some("-90071992547409.91"));
    let out = parse_as(&bytes(&v), None);
    // Today: ok, `total` null, only the assumed zone/currency warnings.
    assert!(!out.is_ok(), "total {:?}", out.event().map(|e| e.order.total));
    assert!(has(&out, "invalid_value", "/webhook_data/order/order_discount"), "{:?}", out.issues());
}

#[test]
fn finding_f2_voucherify_item_sku_id_of_the_wrong_type_is_reported_even_with_a_sku_object() {
    let v = set(&voucherify_envelope(), "/data/order/items/0/sku_id", json!(5));
    let out = parse_as(&bytes(&v), None);
    assert_eq!(error_codes(&out), owned(&[("invalid_type", "/data/order/items/0/sku_id")]));
}

#[test]
fn finding_f3_unrepresentable_values_are_reported_at_their_field_and_hide_nothing() {
    let mut v = polar_paid();
    v["data"]["customer"]["id"] = json!(5);
    for raw in ["9".repeat(400), "1e400".into(), r#""\ud800""#.into()] {
        let pointer = if raw.starts_with('"') { "/data/id" } else { "/data/total_amount" };
        let out = parse_as(&with_raw(&v, pointer, &raw), None);
        let errors = error_set(&out);
        assert!(errors.iter().any(|(_, p)| p == pointer), "{raw}: {errors:?}");
        assert!(errors.contains(&("invalid_type".into(), "/data/customer/id".into())), "{raw}: {errors:?}");
    }
}

#[test]
fn finding_f5_detect_and_parse_name_the_same_provider() {
    for extra in [json!({"event": 5}), json!({"order": 5}), json!({"webhook_event_id": 5}), json!({"referrer": null})] {
        let mut v = polar_paid();
        v.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        let body = bytes(&v);
        let detected = orderhook::detect(&body).map(|d| d.provider);
        let out = orderhook::parse(&body, &Options { include_source: true, ..Options::default() });
        let parsed = out.source().map(orderhook::Source::provider);
        assert_eq!(detected, parsed, "{extra}: {:?}", out.issues());
    }
}

#[test]
fn finding_f4_issue_messages_echo_a_bounded_prefix_of_the_value() {
    // The time goes to `Debug`-escaping every character into the message; check the
    // size (deterministic) rather than the time. 1 MiB budget, one echoed field each.
    let emoji = "\u{1F600}".repeat(250_000);
    let combining = "\u{300}".repeat(500_000);
    let cases = [
        (polar_paid(), "/data/created_at"),
        (polar_paid(), "/data/status"),
        (polar_paid(), "/data/currency"),
        (voucherify_envelope(), "/data/order/object"),
        (vrio_order(), "/webhook_data/order/date_created"),
        (vrio_order(), "/webhook_data/order/order_offers/0/order_offer_price"),
    ];
    for (v, pointer) in cases {
        for long in [&emoji, &combining] {
            let body = bytes(&set(&v, pointer, json!(long)));
            assert!(body.len() <= orderhook::DEFAULT_MAX_BYTES);
            let out = parse_as(&body, None);
            let longest = out.issues().iter().map(|i| i.message.len()).max().unwrap_or(0);
            assert!(longest <= 1024, "{pointer}: a message of {longest} bytes for a body of {}", body.len());
        }
    }
}

/// A Polar body of about 1 MiB whose `data.items` is `[unit,unit,…]`.
fn polar_with_many_items(unit: &str) -> Vec<u8> {
    let n = (orderhook::DEFAULT_MAX_BYTES - 8_000) / (unit.len() + 1);
    with_raw(&polar_paid(), "/data/items", &format!("[{}]", vec![unit; n].join(",")))
}

#[test]
fn finding_f6_a_1_mib_body_of_tiny_array_elements_stays_small_in_issues_and_output() {
    let mut vrio = vrio_order();
    vrio["webhook_data"]["order"]["order_offers"] = json!("@");
    let n = (orderhook::DEFAULT_MAX_BYTES - 8_000) / 3;
    let vrio = serde_json::to_string(&vrio).unwrap().replace(r#""@""#, &format!("[{}]", vec!["{}"; n].join(",")));
    for (name, body) in [
        ("polar items [1,…]", polar_with_many_items("1")),
        ("polar items [{},…]", polar_with_many_items("{}")),
        ("vrio offers [{},…]", vrio.into_bytes()),
    ] {
        assert!(body.len() <= orderhook::DEFAULT_MAX_BYTES, "{name}");
        let out = parse_as(&body, None);
        let verdict = serde_json::to_string(&out.verdict()).unwrap();
        // Deterministic stand-ins for the time and the heap: how much comes out.
        assert!(out.issues().len() <= 1_000, "{name}: {} issues", out.issues().len());
        assert!(verdict.len() <= 4 * body.len(), "{name}: a verdict of {} bytes for {}", verdict.len(), body.len());
    }
}

// ---------------------------------------------------------------------------
// (b) The stable mutation harness (the budget run)
// ---------------------------------------------------------------------------

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(s) => s.replace('_', "").parse().unwrap_or_else(|_| panic!("{name}={s:?} is not a number")),
        Err(_) => default,
    }
}

/// Peak and current resident memory in KiB (Linux), for the record.
fn memory_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

const TARGETS: [&str; 8] = [
    "parse",
    "parse_polar",
    "parse_voucherify",
    "parse_vrio",
    "detect",
    "verify_polar",
    "verify_voucherify",
    "structured",
];

/// One harness input, run.
struct Ran {
    len: usize,
    time: Duration,
    /// Heap the library call had allocated at its peak, beyond what was in use before.
    heap: usize,
    panic: Option<String>,
    violation: Option<String>,
    /// What to save when something is wrong: the body, or the verify case.
    input: Vec<u8>,
}

impl Ran {
    fn slow(&self) -> bool {
        self.time > budget(self.len)
    }

    /// More heap at the peak than 64 times the body (plus 1 MiB): dense arrays of
    /// small valid items come to 25-40 times, so this is well past normal.
    fn greedy(&self) -> bool {
        self.heap > 64 * self.len + (1 << 20)
    }

    fn bad(&self) -> bool {
        self.panic.is_some() || self.violation.is_some() || self.slow() || self.greedy()
    }
}

/// 10 ms per MiB: 10 ms for any body up to 1 MiB (the largest `parse` reads), more
/// only for the larger bodies that `detect` and `verify` take whole.
const SLOW: Duration = Duration::from_millis(10);

fn budget(len: usize) -> Duration {
    SLOW.mul_f64((len as f64 / orderhook::DEFAULT_MAX_BYTES as f64).max(1.0))
}

/// A call's time, peak heap, and result or panic message.
type Timed<T> = (Duration, usize, Result<T, String>);

/// What `verify` returns.
type Verified = Result<(), orderhook::Issue>;

/// A verify case, run: its invariants checked, and described only when it failed one.
fn verified(
    len: usize,
    (time, heap, result): Timed<Verified>,
    check: impl Fn(&Verified) -> Result<(), String>,
    describe: impl Fn() -> String,
) -> Ran {
    let (panic, violation) = match result {
        Ok(r) => (None, check(&r).err()),
        Err(p) => (Some(p), None),
    };
    let mut ran = Ran { len, time, heap, panic, violation, input: Vec::new() };
    if ran.bad() {
        ran.input = describe().into_bytes();
    }
    ran
}

/// Run `f` under `catch_unwind`, timing it and measuring its peak heap; a slow
/// input is timed three more times and keeps its fastest time, so only inputs that
/// are slow every time count. `Err` holds a panic's message.
fn timed<T>(len: usize, f: impl Fn() -> T) -> Timed<T> {
    let before = HEAP_NOW.load(Ordering::Relaxed);
    HEAP_PEAK.store(before, Ordering::Relaxed);
    let start = Instant::now();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(&f));
    let mut time = start.elapsed();
    let heap = HEAP_PEAK.load(Ordering::Relaxed).saturating_sub(before);
    // Re-time what is slow but near the budget; far over it, once is enough.
    if result.is_ok() && time > budget(len) && time < 3 * budget(len) {
        for _ in 0..3 {
            let start = Instant::now();
            std::hint::black_box(f());
            time = time.min(start.elapsed());
        }
    }
    (time, heap, result.map_err(panic_message))
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

/// The rest of what the wasm binding does with an outcome, untimed: serialize the
/// verdict (and, for `structured`, detect the same body). Panics are caught too.
fn after_parse(body: &[u8], out: &Outcome, and_detect: bool) -> Option<String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        std::hint::black_box(serde_json::to_string(&out.verdict()).ok());
        if and_detect {
            // F5 disagreements between detect() and parse() are not failures here.
            std::hint::black_box(orderhook::detect(body));
        }
    }))
    .err()
    .map(panic_message)
}

/// What one harness input does; mirrors fuzz/fuzz_targets/*.rs. `None` when the
/// generator ran out of bytes before it had an input. Only the library call
/// (`parse`, `detect`, `verify`) is timed; the invariant checks run afterwards.
fn run_target(target: usize, u: &mut arbitrary::Unstructured<'_>, seeds: &[mutation::Seed]) -> Option<Ran> {
    use mutation::{mutated_seed, options, polar_case, raw_body, voucherify_case};
    let parsed = |body: Vec<u8>, options: Options, and_detect: bool| {
        let (time, heap, result) = timed(body.len(), || orderhook::parse(&body, &options));
        let (panic, violation) = match result {
            Ok(out) => match after_parse(&body, &out, and_detect) {
                Some(p) => (Some(p), None),
                None => (None, check_outcome(&body, &options, &out).err()),
            },
            Err(p) => (Some(p), None),
        };
        Ran { len: body.len(), time, heap, panic, violation, input: body }
    };
    Some(match TARGETS[target] {
        "parse" | "parse_polar" | "parse_voucherify" | "parse_vrio" => {
            let body = raw_body(u, seeds).ok()?;
            parsed(
                body,
                Options { provider: EVERY_PROVIDER[target], include_source: true, ..Options::default() },
                false,
            )
        }
        "detect" => {
            let body = if u.arbitrary().ok()? { raw_body(u, seeds) } else { mutated_seed(u, seeds) }.ok()?;
            let (time, heap, result) = timed(body.len(), || orderhook::detect(&body));
            Ran { len: body.len(), time, heap, panic: result.err(), violation: None, input: body }
        }
        "verify_polar" => {
            let case = polar_case(u, seeds).ok()?;
            verified(case.body.len(), timed(case.body.len(), || case.run()), |r| case.check(r), || format!("{case:#?}"))
        }
        "verify_voucherify" => {
            let case = voucherify_case(u, seeds).ok()?;
            verified(case.body.len(), timed(case.body.len(), || case.run()), |r| case.check(r), || format!("{case:#?}"))
        }
        _ => {
            let body = mutated_seed(u, seeds).ok()?;
            let options = options(u, None).ok()?;
            parsed(body, options, true)
        }
    })
}

/// For a replayed input (`ORDERHOOK_MUTATION_ONLY=i`): its options, the time of
/// each phase and a summary of the issues, to tell where a slow input spends it.
fn explain(target: usize, data: &[u8], seeds: &[mutation::Seed]) {
    let mut u = arbitrary::Unstructured::new(data);
    let (body, options) = match TARGETS[target] {
        "structured" => {
            let Ok(body) = mutation::mutated_seed(&mut u, seeds) else { return };
            let Ok(options) = mutation::options(&mut u, None) else { return };
            (body, options)
        }
        "parse" | "parse_polar" | "parse_voucherify" | "parse_vrio" => {
            let Ok(body) = mutation::raw_body(&mut u, seeds) else { return };
            (body, Options { provider: EVERY_PROVIDER[target], include_source: true, ..Options::default() })
        }
        other => {
            println!("replay: target {other}; no breakdown");
            return;
        }
    };
    let best = |f: &dyn Fn()| {
        (0..3)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .min()
            .unwrap()
    };
    let out = orderhook::parse(&body, &options);
    let parse = best(&|| drop(std::hint::black_box(orderhook::parse(&body, &options))));
    let verdict = best(&|| drop(std::hint::black_box(serde_json::to_string(&out.verdict()))));
    let detect = best(&|| drop(std::hint::black_box(orderhook::detect(&body))));
    println!(
        "replay: {} bytes, options {{ provider: {:?}, time_zone: {:?}, currency: {:?}, max_bytes: {}, strict: {} }}",
        body.len(),
        options.provider,
        options.time_zone.as_ref().map(|z| z.name()),
        options.currency.map(|c| c.to_string()),
        options.max_bytes,
        options.strict
    );
    println!("replay: parse {parse:?}, verdict serialization {verdict:?}, detect {detect:?}");
    for i in out.issues().iter().take(12) {
        println!(
            "replay:   {} {} at {:?}, message {} bytes",
            if i.is_error() { "error" } else { "warning" },
            i.code,
            i.path,
            i.message.len()
        );
    }
    println!("replay:   {} issues in all", out.issues().len());
}

#[test]
#[ignore = "budget run: ORDERHOOK_MUTATION_INPUTS=1000000 cargo test --release --test robustness -- --ignored --nocapture mutation_harness"]
fn mutation_harness_never_panics_breaks_no_invariant_and_stays_within_time_and_memory() {
    let inputs = env_number("ORDERHOOK_MUTATION_INPUTS", 4_000);
    let seed = env_number("ORDERHOOK_MUTATION_SEED", 0x6f72_6465_7268_6f6f);
    let only = std::env::var("ORDERHOOK_MUTATION_ONLY").ok().map(|s| s.parse::<u64>().expect("an input number"));
    let seeds = mutation::seeds_of(env!("CARGO_MANIFEST_DIR"));
    let findings_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/robustness-findings");

    let started = Instant::now();
    let (peak_before, _) = memory_kib();
    let mut per_target = [(0u64, Duration::ZERO, Duration::ZERO, 0usize); TARGETS.len()];
    let (mut done, mut skipped, mut total_bytes, mut over_1ms) = (0u64, 0u64, 0u64, 0u64);
    // Largest heap peak of one call, and the largest peak per body byte (bodies of 64 KiB or more).
    let (mut heap_max, mut heap_max_at, mut heap_ratio, mut heap_ratio_at) =
        (0usize, (0usize, 0u64), 0f64, (0usize, 0u64));
    let mut findings: Vec<String> = Vec::new();
    let mut slowest: Vec<(Duration, usize, u64, &str)> = Vec::new();
    let mut rss_samples = Vec::new();
    let mut data = Vec::new();
    let range = match only {
        Some(i) => i..i + 1,
        None => 0..inputs,
    };
    for i in range {
        if inputs >= 10 && i % (inputs / 10).max(1) == 0 {
            rss_samples.push(memory_kib().1);
        }
        // Each input has its own generator, so any one can be replayed with ORDERHOOK_MUTATION_ONLY=i.
        let mut rng = fastrand::Rng::with_seed(seed ^ i.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let target = match rng.u8(0..16) {
            0 | 1 => 0,
            2 => 1,
            3 => 2,
            4 => 3,
            5 => 4,
            6 => 5,
            7 => 6,
            _ => 7,
        };
        data.clear();
        data.extend((0..rng.usize(16..=2048)).map(|_| rng.u8(..)));
        if only.is_some() {
            explain(target, &data, seeds);
        }
        let mut u = arbitrary::Unstructured::new(&data);
        let Some(ran) = run_target(target, &mut u, seeds) else {
            skipped += 1;
            continue;
        };
        done += 1;
        total_bytes += ran.len as u64;
        let t = &mut per_target[target];
        t.0 += 1;
        t.1 += ran.time;
        if ran.time > t.2 {
            t.2 = ran.time;
            t.3 = ran.len;
        }
        if ran.time > Duration::from_millis(1) {
            over_1ms += 1;
        }
        if ran.heap > heap_max {
            (heap_max, heap_max_at) = (ran.heap, (ran.len, i));
        }
        if ran.len >= 64 << 10 && ran.heap as f64 / ran.len as f64 > heap_ratio {
            (heap_ratio, heap_ratio_at) = (ran.heap as f64 / ran.len as f64, (ran.len, i));
        }
        if slowest.len() < 5 || ran.time > slowest[slowest.len() - 1].0 {
            slowest.push((ran.time, ran.len, i, TARGETS[target]));
            slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
            slowest.truncate(5);
        }
        if ran.bad() {
            let problem = match (&ran.panic, &ran.violation) {
                (Some(p), _) => format!("panic: {p}"),
                (None, Some(v)) => format!("invariant: {v}"),
                _ if ran.slow() => format!("slow: {:?} for {} bytes (heap {} KiB)", ran.time, ran.len, ran.heap >> 10),
                _ => format!("memory: heap peak {} KiB for {} bytes", ran.heap >> 10, ran.len),
            };
            // Keep the first few inputs of each kind on disk; count the rest.
            let kind = problem.split(':').next().unwrap_or_default().to_owned();
            let saved = findings.iter().filter(|f| f.contains(&format!("): {kind}:"))).count();
            let place = if saved < 20 {
                std::fs::create_dir_all(&findings_dir).unwrap();
                let file = findings_dir.join(format!("{}-{seed:x}-{i}.bin", TARGETS[target]));
                std::fs::write(&file, &ran.input).unwrap();
                file.display().to_string()
            } else {
                "not saved".to_owned()
            };
            findings.push(format!("input {i} ({}): {problem} -> {place}", TARGETS[target]));
        }
    }
    let elapsed = started.elapsed();
    let (peak, rss) = memory_kib();

    let mut report = format!(
        "mutation harness: seed {seed:#x}, {done} inputs run ({skipped} skipped: generator ran out of bytes), \
         {:.1} MiB in total, {elapsed:.1?} wall, {:.0} inputs/s\n",
        total_bytes as f64 / 1048576.0,
        done as f64 / elapsed.as_secs_f64()
    );
    for (name, (n, time, max, max_len)) in TARGETS.iter().zip(per_target) {
        report += &format!(
            "  {name:<18} {n:>9} inputs, mean {:>8.1?}, max {max:>9.2?} ({max_len} bytes)\n",
            time / u32::try_from(n.max(1)).unwrap_or(u32::MAX)
        );
    }
    report += &format!(
        "  inputs over 1 ms: {over_1ms}; over 10 ms per MiB (findings): {}\n",
        findings.iter().filter(|f| f.contains("slow:")).count()
    );
    report += "  slowest:";
    for (t, len, i, target) in &slowest {
        report += &format!(" {t:.2?} ({len} B, {target} #{i});");
    }
    report += &format!(
        "\n  heap of one call at its peak: max {} KiB (input #{}, {} bytes); max {heap_ratio:.1}x the body (input #{}, {} bytes)\n",
        heap_max >> 10,
        heap_max_at.1,
        heap_max_at.0,
        heap_ratio_at.1,
        heap_ratio_at.0
    );
    report += &format!(
        "  process memory: peak RSS {peak_before} KiB before, {peak} KiB after (generator included); RSS now {rss} KiB; RSS at each tenth: {rss_samples:?}\n"
    );
    let count = |kind: &str| findings.iter().filter(|f| f.contains(&format!("): {kind}:"))).count();
    report += &format!(
        "  findings: {} ({} panics, {} broken invariants, {} slow, {} over the heap bound)\n",
        findings.len(),
        count("panic"),
        count("invariant"),
        count("slow"),
        count("memory")
    );
    for f in findings.iter().take(60) {
        report += &format!("    {f}\n");
    }
    println!("{report}");
    std::fs::create_dir_all(&findings_dir).unwrap();
    std::fs::write(findings_dir.join("last-summary.txt"), &report).unwrap();
    assert!(findings.is_empty(), "{report}");
}

#[test]
fn mutation_harness_smoke_a_few_hundred_inputs_in_every_test_run() {
    // The same generator as the budget run, small enough for `cargo test`.
    let seeds = mutation::seeds_of(env!("CARGO_MANIFEST_DIR"));
    let mut rng = fastrand::Rng::with_seed(9);
    let mut data = Vec::new();
    for i in 0..400 {
        data.clear();
        data.extend((0..rng.usize(16..=1024)).map(|_| rng.u8(..)));
        let mut u = arbitrary::Unstructured::new(&data);
        if let Some(ran) = run_target(i % TARGETS.len(), &mut u, seeds) {
            assert_eq!((&ran.panic, &ran.violation), (&None, &None), "input {i} ({})", TARGETS[i % TARGETS.len()]);
        }
    }
}
