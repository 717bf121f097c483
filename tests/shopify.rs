//! Shopify: each topic, quirk and bad input of the fixtures against the normalized
//! result written for it in tests/expected/shopify (from docs/providers/shopify.md),
//! detection from the body alone, and the signature scheme.

mod common;

use std::path::Path;

use common::*;
use orderhook::verify::Headers;
use orderhook::{Code, Options, Provider};
use serde_json::Value;

/// A fixture (tests/fixtures) or a sample (examples/samples, `~` for the topic's `/`) and its
/// expected result.
fn case(name: &str) -> (Vec<u8>, Value) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let expected = root.join("tests/expected/shopify").join(format!("{name}.expected.json"));
    let expected: Value = serde_json::from_slice(&std::fs::read(&expected).unwrap()).unwrap();
    let fixture = root.join("tests/fixtures").join(format!("{name}.json"));
    let body = std::fs::read(&fixture)
        .or_else(|_| std::fs::read(root.join("examples/samples").join(format!("{name}.json"))))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    (body, expected)
}

fn with_topic(topic: Option<&str>) -> Options {
    Options { event_type: topic.map(str::to_owned), ..Options::default() }
}

fn issues_as_text<'a>(issues: impl Iterator<Item = &'a orderhook::Issue>) -> Vec<String> {
    issues.map(|i| format!("{}@{}", i.code, i.path)).collect()
}

/// Parse the case with the topic its expectation names and compare everything:
/// ok, the event field by field, the warnings and errors as `code@path`.
fn check(name: &str) {
    let (body, want) = case(name);
    let out = orderhook::parse(&body, &with_topic(want["topic"].as_str()));
    let warnings = issues_as_text(out.warnings());
    let errors = issues_as_text(out.errors());
    let strs = |k: &str| -> Vec<String> {
        want[k].as_array().map(|a| a.iter().map(|v| v.as_str().unwrap().to_owned()).collect()).unwrap_or_default()
    };
    assert_eq!(errors, strs("errors"), "{name}: errors ({:?})", out.issues());
    assert_eq!(warnings, strs("warnings"), "{name}: warnings ({:?})", out.issues());
    assert_eq!(out.is_ok(), want["ok"].as_bool().unwrap(), "{name}: ok");
    if let Some(event) = out.event() {
        let got = serde_json::to_value(event).unwrap();
        assert_eq!(got, want["event"], "{name}: event\n got: {got:#}\nwant: {:#}", want["event"]);
    }
}

#[test]
fn orders_create_is_a_created_pending_order() {
    check("shopify.orders~create");
}

#[test]
fn orders_paid_reads_shop_money_exactly() {
    check("shopify.orders~paid");
}

#[test]
fn orders_cancelled_is_canceled_whatever_the_financial_status() {
    check("shopify.orders~cancelled");
}

#[test]
fn refunds_create_is_a_refund_of_the_order_it_names() {
    check("shopify.refunds~create");
}

#[test]
fn orders_fulfilled_paid_and_fulfilled_is_status_fulfilled() {
    check("shopify.orders.fulfilled.fulfilled");
}

#[test]
fn orders_partially_fulfilled_stays_paid() {
    check("shopify.orders.partially_fulfilled.partial");
}

#[test]
fn refunded_sums_only_successful_refund_transactions() {
    check("shopify.orders.updated.partially-refunded");
}

#[test]
fn an_order_body_without_its_topic_gets_its_kind_from_its_state() {
    check("shopify.no-topic.paid.inferred-kind");
}

#[test]
fn a_refund_body_without_its_topic_is_a_refund() {
    check("shopify.no-topic.refund.inferred-kind");
}

#[test]
fn jpy_amounts_have_no_decimal_places() {
    check("shopify.orders.paid.jpy-zero-decimals");
}

#[test]
fn presentment_money_is_not_the_order_currency() {
    check("shopify.orders.paid.presentment-currency");
}

#[test]
fn a_guest_order_has_a_customer_from_its_email_only() {
    check("shopify.orders.create.guest-checkout");
}

#[test]
fn taxes_included_orders_keep_tax_inside_the_total() {
    check("shopify.orders.paid.taxes-included");
}

#[test]
fn an_unknown_financial_status_is_kept_and_warned() {
    check("shopify.orders.updated.unknown-financial-status");
}

#[test]
fn an_authorized_payment_is_processing() {
    check("shopify.orders.create.authorized");
}

#[test]
fn amounts_as_json_numbers_are_refused() {
    check("shopify.orders.paid.float-amount");
}

#[test]
fn amounts_needing_rounding_are_refused() {
    check("shopify.orders.paid.too-precise");
}

#[test]
fn line_items_that_do_not_add_up_are_warned() {
    check("shopify.orders.paid.line-items-mismatch");
}

#[test]
fn a_product_update_is_not_an_order_event() {
    check("shopify.products.update.unsupported");
}

#[test]
fn a_topic_that_contradicts_the_body_is_an_error() {
    check("shopify.refunds.create.order-body");
}

#[test]
fn refund_transactions_in_another_currency_are_not_summed() {
    check("shopify.refunds.create.presentment-transaction");
}

#[test]
fn a_null_transaction_currency_is_the_shop_currency() {
    check("shopify.refunds.create.null-transaction-currency");
}

#[test]
fn an_order_without_an_id_is_an_error() {
    check("shopify.orders.create.missing-id");
}

// ------------------------------------------------------------------ topics

fn paid_body() -> Vec<u8> {
    case("shopify.orders~paid").0
}

#[test]
fn graphql_topic_spelling_means_the_same_topic() {
    let out = orderhook::parse(&paid_body(), &with_topic(Some("ORDERS_PAID")));
    let e = out.event().unwrap();
    assert_eq!((e.kind, e.event_type.as_deref()), (orderhook::Kind::Paid, Some("ORDERS_PAID")));
}

#[test]
fn an_unknown_orders_topic_is_kind_unknown_and_an_error_when_strict() {
    let out = orderhook::parse(&paid_body(), &with_topic(Some("orders/archived")));
    assert_eq!(out.event().unwrap().kind, orderhook::Kind::Unknown);
    assert_eq!(codes(&out), vec![("unknown_enum".to_owned(), String::new())]);
    let strict = Options { strict: true, ..with_topic(Some("orders/archived")) };
    assert!(!orderhook::parse(&paid_body(), &strict).is_ok());
}

#[test]
fn order_topics_with_other_bodies_are_unsupported() {
    for topic in ["orders/delete", "orders/edited", "order_transactions/create", "customers/create"] {
        let out = orderhook::parse(&paid_body(), &with_topic(Some(topic)));
        assert_eq!(error_codes(&out), vec![("unsupported_event".to_owned(), String::new())], "{topic}");
    }
}

#[test]
fn the_delivery_id_becomes_the_event_id() {
    let options =
        Options { event_id: Some("b54557e4-bdd9-4b37-8a5f-bf7d70bcd043".into()), ..with_topic(Some("orders/paid")) };
    let out = orderhook::parse(&paid_body(), &options);
    assert_eq!(out.event().unwrap().event_id.as_deref(), Some("b54557e4-bdd9-4b37-8a5f-bf7d70bcd043"));
}

#[test]
fn ids_beyond_two_to_the_53_keep_every_digit() {
    let body = br#"{"id":820982911946154508,"admin_graphql_api_id":"gid://shopify/Order/820982911946154508","currency":"USD","financial_status":"paid"}"#;
    let out = orderhook::parse(body, &with_topic(Some("orders/paid")));
    assert_eq!(out.event().unwrap().order.id, "820982911946154508");
}

// ------------------------------------------------------------------ detection

#[test]
fn detection_names_shopify_from_the_gid_alone() {
    for name in ["shopify.orders~paid", "shopify.refunds~create", "shopify.products.update.unsupported"] {
        let d = orderhook::detect(&case(name).0).unwrap_or_else(|| panic!("{name}"));
        assert_eq!((d.provider, d.event_type), (Provider::Shopify, None), "{name}");
    }
}

#[test]
fn a_gid_of_another_sender_is_not_shopify() {
    assert_eq!(orderhook::detect(br#"{"id":1,"admin_graphql_api_id":"gid://example/Order/1"}"#), None);
}

// ------------------------------------------------------------------ signatures

#[test]
fn the_signature_is_base64_hmac_of_the_raw_body_and_the_id_is_the_delivery_id() {
    let h = [("X-Shopify-Hmac-Sha256", "B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g="), ("X-Shopify-Webhook-Id", "w1")];
    let v = orderhook::verify::shopify(br#"{"foo": "bar"}"#, &Headers::new(&h), "test_secret_key").unwrap();
    assert_eq!(v.id.as_deref(), Some("w1"));
}

#[test]
fn an_empty_signature_header_is_a_missing_signature() {
    let h = [("X-Shopify-Hmac-Sha256", "")];
    let err = orderhook::verify::shopify(b"{}", &Headers::new(&h), "s").unwrap_err();
    assert_eq!(err.code, Code::MissingSignature);
}

#[test]
fn shopifys_test_notification_is_one_canceled_order_whatever_the_topic() {
    // Shopify's documented sample (what "Send test notification" delivers) for every
    // order topic: cancelled and voided even as `orders/create`.
    check("shopify.orders.create.test-notification");
}
