//! WooCommerce: its events, quirks, bad inputs and signature scheme, one behaviour
//! per test, on fixtures of our own (tests/fixtures/woocommerce.*) and the results
//! we expect of them, written by hand (tests/expected/woocommerce.*).

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::*;
use orderhook::verify::{verify, Headers};
use orderhook::{Kind, Options, Outcome, Provider, Status};
use serde_json::{json, Value};

/// The topic as `parseRequest` passes it on from the `X-WC-Webhook-Topic` header, on
/// the WooCommerce route (`order.deleted`'s `{"id": …}` is detected by nothing else).
fn topic(t: &str) -> Options {
    Options { provider: Some(Provider::Woocommerce), event_type: Some(t.to_owned()), ..Options::default() }
}

fn parse_with(name: &str, options: &Options) -> Outcome {
    orderhook::parse(&fixture(name), options)
}

fn issue_set(out: &Outcome, errors: bool) -> BTreeSet<(String, String)> {
    out.issues()
        .iter()
        .filter(|i| i.is_error() == errors)
        .map(|i| (i.code.as_str().to_owned(), i.path.clone()))
        .collect()
}

fn pairs(v: &Value) -> BTreeSet<(String, String)> {
    v.as_array()
        .map(|a| a.iter().map(|p| (p[0].as_str().unwrap().to_owned(), p[1].as_str().unwrap().to_owned())).collect())
        .unwrap_or_default()
}

#[test]
fn every_fixture_gives_the_result_written_down_for_it() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expected");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("woocommerce.") {
            continue;
        }
        let want: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let options = match want["options"]["eventType"].as_str() {
            Some(t) => topic(t),
            None => Options::default(),
        };
        let out = parse_with(want["fixture"].as_str().unwrap(), &options);
        assert_eq!(out.is_ok(), want["ok"].as_bool().unwrap(), "{name}: {:?}", out.issues());
        if let Some(event) = out.event() {
            assert_eq!(serde_json::to_value(event).unwrap(), want["event"], "{name}");
        }
        assert_eq!(issue_set(&out, true), pairs(&want["errors"]), "{name}");
        assert_eq!(issue_set(&out, false), pairs(&want["warnings"]), "{name}");
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} expected results");
}

#[test]
fn the_topic_header_decides_the_kind() {
    for (t, kind) in
        [("order.created", Kind::Created), ("order.updated", Kind::Updated), ("order.restored", Kind::Updated)]
    {
        let out = parse_with("woocommerce.order.created.paid-with-coupon.json", &topic(t));
        let e = out.event().unwrap_or_else(|| panic!("{t}: {:?}", out.issues()));
        assert_eq!((e.event_type.as_deref(), e.kind), (Some(t), kind));
        assert!(out.warnings().next().is_none(), "{t}: {:?}", out.issues());
    }
}

#[test]
fn the_body_alone_is_detected_and_its_kind_inferred_from_the_status_with_a_warning() {
    let body = fixture("woocommerce.order.created.paid-with-coupon.json");
    let d = orderhook::detect(&body).unwrap();
    assert_eq!((d.provider, d.event_type), (Provider::Woocommerce, None));
    let out = parse(&body);
    let e = out.event().unwrap();
    assert_eq!((e.event_type.as_deref(), e.kind), (None, Kind::Paid));
    assert!(has(&out, "inferred_event", ""));
    for (status, kind) in [
        ("pending", Kind::Created),
        ("checkout-draft", Kind::Created),
        ("cancelled", Kind::Canceled),
        ("refunded", Kind::Refunded),
        ("completed", Kind::Updated),
        ("on-hold", Kind::Updated),
        ("shipped", Kind::Updated),
    ] {
        let mut v: Value = serde_json::from_slice(&body).unwrap();
        v["status"] = json!(status);
        assert_eq!(parse(&serde_json::to_vec(&v).unwrap()).event().unwrap().kind, kind, "{status}");
    }
}

#[test]
fn statuses_map_as_the_module_table_says() {
    let body: Value = serde_json::from_slice(&fixture("woocommerce.order.created.paid-with-coupon.json")).unwrap();
    for (wire, status) in [
        ("pending", Status::Pending),
        ("draft", Status::Pending),
        ("auto-draft", Status::Pending),
        ("checkout-draft", Status::Pending),
        ("on-hold", Status::Processing),
        ("processing", Status::Paid),
        ("completed", Status::Fulfilled),
        ("cancelled", Status::Canceled),
        ("failed", Status::Canceled),
        ("refunded", Status::Refunded),
    ] {
        let mut v = body.clone();
        v["status"] = json!(wire);
        let out = orderhook::parse(&serde_json::to_vec(&v).unwrap(), &topic("order.updated"));
        let o = &out.event().unwrap().order;
        assert_eq!((o.status, o.provider_status.as_deref()), (status, Some(wire)));
        assert!(!has(&out, "unknown_enum", "/status"), "{wire}");
    }
}

#[test]
fn a_custom_status_is_kept_with_a_warning_and_is_an_error_when_strict() {
    let out = parse_with("woocommerce.order.updated.custom-status.json", &topic("order.updated"));
    let o = &out.event().unwrap().order;
    assert_eq!((o.status, o.provider_status.as_deref()), (Status::Unknown, Some("shipped")));
    let strict = Options { strict: true, ..topic("order.updated") };
    let out = parse_with("woocommerce.order.updated.custom-status.json", &strict);
    assert_eq!(error_codes(&out), owned(&[("unknown_enum", "/status")]));
}

#[test]
fn a_partial_refund_of_a_paid_order_is_partially_refunded_and_a_full_one_refunded() {
    let out = parse_with("woocommerce.order.updated.partial-refund.json", &topic("order.updated"));
    let o = &out.event().unwrap().order;
    assert_eq!((o.status, amount(o.refunded), amount(o.total)), (Status::PartiallyRefunded, Some(1000), Some(6581)));
    let out = parse_with("woocommerce.order.updated.fully-refunded.json", &topic("order.updated"));
    let o = &out.event().unwrap().order;
    assert_eq!((o.status, amount(o.refunded)), (Status::Refunded, Some(6581)));
}

#[test]
fn money_is_read_exactly_with_the_currency_exponent() {
    let out = parse_with("woocommerce.order.created.jpy-zero-decimals.json", &topic("order.created"));
    let o = &out.event().unwrap().order;
    // "1650" and "150.00" are both yen.
    assert_eq!((o.currency_digits, amount(o.total), amount(o.items[0].tax)), (Some(0), Some(1650), Some(150)));
    let out = parse_with("woocommerce.order.created.too-precise.json", &topic("order.created"));
    assert!(!out.is_ok());
    assert!(out.errors().all(|i| i.code.as_str() == "invalid_value" && i.message.contains("refusing to round")));
}

#[test]
fn a_currency_outside_iso_4217_is_read_with_the_places_the_store_wrote() {
    let out = parse_with("woocommerce.order.created.non-iso-currency.json", &topic("order.created"));
    let o = &out.event().unwrap().order;
    assert_eq!((o.currency, o.currency_digits, amount(o.total)), (None, Some(8), Some(31250)));
    assert!(out.warnings().any(|w| w.path == "/currency" && w.message.contains("8 decimal places the store writes")));
}

#[test]
fn gmt_dates_are_utc_and_the_site_local_ones_are_ignored() {
    let out = parse_with("woocommerce.order.created.paid-with-coupon.json", &topic("order.created"));
    let o = &out.event().unwrap().order;
    assert_eq!(ts(o.created_at).as_deref(), Some("2026-03-12T10:44:40Z"));
    let mut v: Value = serde_json::from_slice(&fixture("woocommerce.order.created.paid-with-coupon.json")).unwrap();
    v["date_created"] = json!("not a date");
    v["date_modified_gmt"] = json!("2026-03-12T10:44:52+00:00");
    let out = orderhook::parse(&serde_json::to_vec(&v).unwrap(), &topic("order.created"));
    let o = &out.event().unwrap().order;
    assert_eq!(ts(o.updated_at).as_deref(), Some("2026-03-12T10:44:52Z"));
    v["date_created_gmt"] = json!(null);
    let out = orderhook::parse(&serde_json::to_vec(&v).unwrap(), &topic("order.created"));
    assert_eq!(out.event().unwrap().order.created_at, None);
}

#[test]
fn totals_that_differ_by_more_than_rounding_are_a_warning_and_rounding_is_not() {
    let out = parse_with("woocommerce.order.created.amount-mismatch.json", &topic("order.created"));
    assert!(out.is_ok());
    assert!(has(&out, "amount_mismatch", "/total"));
    let mut v: Value = serde_json::from_slice(&fixture("woocommerce.order.created.paid-with-coupon.json")).unwrap();
    v["total"] = json!("65.82"); // one cent: each of the four parts was rounded
    let out = orderhook::parse(&serde_json::to_vec(&v).unwrap(), &topic("order.created"));
    assert!(!has(&out, "amount_mismatch", "/total"), "{:?}", out.issues());
}

#[test]
fn order_deleted_carries_only_the_id() {
    let out = parse_with("woocommerce.order.deleted.id-only.json", &topic("order.deleted"));
    let e = out.event().unwrap();
    assert_eq!((e.kind, e.order.id.as_str(), e.order.status), (Kind::Unknown, "4211", Status::Unknown));
    // Without the topic, `{"id": …}` is no provider's.
    assert_eq!(orderhook::detect(&fixture("woocommerce.order.deleted.id-only.json")), None);
    let forced = Options { provider: Some(Provider::Woocommerce), ..Options::default() };
    let out = parse_with("woocommerce.order.deleted.id-only.json", &forced);
    assert_eq!(error_codes(&out), owned(&[("unsupported_event", "")]));
    assert!(out.errors().next().unwrap().message.contains("eventType"));
}

#[test]
fn topics_of_other_resources_are_unsupported_and_unknown_order_topics_are_warned() {
    let out = parse_with("woocommerce.order.created.paid-with-coupon.json", &topic("product.updated"));
    assert_eq!(error_codes(&out), owned(&[("unsupported_event", "")]));
    let out = parse_with("woocommerce.order.created.paid-with-coupon.json", &topic("order.archived"));
    assert_eq!(out.event().unwrap().kind, Kind::Unknown);
    assert!(has(&out, "unknown_enum", ""));
}

#[test]
fn a_product_body_without_its_topic_is_woocommerce_but_not_an_order() {
    let body = fixture("woocommerce.product.updated.not-an-order.json");
    assert_eq!(orderhook::detect(&body).map(|d| d.provider), Some(Provider::Woocommerce));
    assert_eq!(error_codes(&parse(&body)), owned(&[("unsupported_event", "")]));
}

#[test]
fn the_ping_is_a_clear_non_order_result_from_parse_with_or_without_the_provider() {
    let body = fixture("woocommerce.ping.form-body.txt");
    for provider in [None, Some(Provider::Woocommerce)] {
        let out = orderhook::parse(&body, &Options { provider, ..Options::default() });
        assert_eq!(error_codes(&out), owned(&[("unsupported_event", "")]), "{provider:?}");
        assert!(out.errors().next().unwrap().message.contains("webhook_id=17"));
    }
    // Another provider's endpoint still calls it what it is: not JSON.
    let out = orderhook::parse(&body, &Options { provider: Some(Provider::Polar), ..Options::default() });
    assert_eq!(error_codes(&out), owned(&[("invalid_json", "")]));
    assert_eq!(orderhook::detect(&body), None);
}

#[test]
fn php_json_escapes_are_read_as_the_text_they_stand_for() {
    let out = parse_with("woocommerce.order.created.php-json-escapes.json", &topic("order.created"));
    let o = &out.event().unwrap().order;
    assert_eq!(o.items[0].name.as_deref(), Some("Genmaicha – roasted rice, 100 g"));
    assert_eq!(o.billing_address.as_ref().unwrap().city.as_deref(), Some("Montréal"));
}

#[test]
fn line_items_give_unit_price_discount_and_tax_and_a_deleted_product_no_id() {
    let out = parse_with("woocommerce.order.created.fee-and-deleted-product.json", &topic("order.created"));
    let o = &out.event().unwrap().order;
    let gone = &o.items[0];
    assert_eq!((gone.product_id.as_deref(), gone.sku.as_deref(), gone.quantity), (None, None, 3));
    assert_eq!(amount(gone.unit_price), None, "10.00 for 3 is no whole number of cents");
    // The fee (-2.00) is part of the total, not of the subtotal.
    assert_eq!((amount(o.subtotal), amount(o.total)), (Some(2900), Some(2700)));
    assert!(!has(&out, "amount_mismatch", "/total"));
}

#[test]
fn wrong_types_are_errors_at_each_field() {
    let out = parse_with("woocommerce.order.updated.wrong-types.json", &topic("order.updated"));
    assert_eq!(
        error_codes(&out),
        owned(&[
            ("invalid_type", "/total"),
            ("invalid_value", "/date_created_gmt"),
            ("invalid_type", "/line_items/0/quantity"),
            ("invalid_type", "/billing/email"),
        ])
    );
}

// ---------------------------------------------------------------- signatures

fn headers(sig: &str) -> Vec<(&str, &str)> {
    vec![("X-WC-Webhook-Signature", sig), ("X-WC-Webhook-Topic", "order.created")]
}

fn check(body: &[u8], pairs: &[(&str, &str)], secret: &str) -> Result<(), String> {
    verify(Provider::Woocommerce, body, &Headers::new(pairs), secret, 0, 300)
        .map(|_| ())
        .map_err(|e| e.code.as_str().to_owned())
}

#[test]
fn signature_vectors_made_with_node_crypto() {
    let vectors: Value = serde_json::from_str(include_str!("js/fixtures/woocommerce-vectors.json")).unwrap();
    let mut n = 0;
    for v in vectors["vectors"].as_array().unwrap() {
        let pairs: Vec<(String, String)> = v["headers"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, x)| (k.clone(), x.as_str().unwrap().to_owned()))
            .collect();
        let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, x)| (k.as_str(), x.as_str())).collect();
        let got = check(v["body"].as_str().unwrap().as_bytes(), &borrowed, v["secret"].as_str().unwrap());
        let want = v["expect"].as_str().unwrap();
        assert_eq!(got.err().as_deref().unwrap_or("ok"), want, "{}", v["name"]);
        n += 1;
    }
    assert!(n >= 10);
}

#[test]
fn the_unsigned_ping_is_answered_as_the_ping_by_verify_too() {
    assert_eq!(check(b"webhook_id=17", &[], "s3cret").unwrap_err(), "unsupported_event");
    assert_eq!(check(b"{\"id\":1}", &[], "s3cret").unwrap_err(), "missing_signature");
    assert_eq!(check(b"webhook_id=17", &headers("AAAA"), "s3cret").unwrap_err(), "malformed_header");
}
