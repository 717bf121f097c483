//! What the providers' published schemas allow never fails a body, and what they
//! forbid in a field orderhook reads is an error at that field (issue 13). Each
//! case is a fixture of our own; the generated suite over the schemas themselves
//! is tests/conformance/schemas.test.mjs.

mod common;

use common::*;
use orderhook::{Kind, Status};

#[test]
fn polar_required_amounts_ids_and_labels_sent_as_null_are_errors_at_each_field() {
    let out = parse(&fixture("polar.order.paid.required-fields-null.json"));
    assert_eq!(
        error_codes(&out),
        owned(&[
            ("invalid_type", "/data/net_amount"),
            ("invalid_type", "/data/refunded_amount"),
            ("invalid_type", "/data/refunded_tax_amount"),
            ("invalid_type", "/data/billing_address/country"),
            ("invalid_type", "/data/items/0/id"),
            ("invalid_type", "/data/items/0/label"),
            ("invalid_type", "/data/items/0/tax_amount"),
        ])
    );
    assert!(out.event().is_none());
}

#[test]
fn polar_metadata_that_is_not_an_object_is_an_error() {
    let out = parse(&fixture("polar.order.paid.metadata-not-an-object.json"));
    assert_eq!(error_codes(&out), owned(&[("invalid_type", "/data/metadata")]));
    assert!(out.errors().next().unwrap().message.contains("must be an object, found boolean"));
}

#[test]
fn voucherify_envelope_without_event_id_is_an_error_since_receivers_deduplicate_on_it() {
    let out = parse(&fixture("voucherify.envelope.order-paid.no-event-id.json"));
    assert_eq!(error_codes(&out), owned(&[("missing_field", "/event/id")]));
}

#[test]
fn voucherify_order_without_status_is_read_with_status_unknown_and_a_warning() {
    let out = parse(&fixture("voucherify.envelope.order-paid.no-status.json"));
    let e = out.event().unwrap_or_else(|| panic!("{:?}", out.issues()));
    assert_eq!((e.kind, e.order.status, e.order.provider_status.as_deref()), (Kind::Paid, Status::Unknown, None));
    let at_status: Vec<_> = out.issues().iter().filter(|i| i.path == "/data/order/status").collect();
    assert_eq!(at_status.len(), 1);
    assert_eq!((at_status[0].code.as_str(), at_status[0].is_error()), ("missing_field", false));
}

#[test]
fn voucherify_discount_amount_without_total_discount_amount_is_no_amount_mismatch() {
    let out = parse(&fixture("voucherify.envelope.order-paid.discount-amount-only.json"));
    let e = out.event().unwrap_or_else(|| panic!("{:?}", out.issues()));
    assert!(!out.issues().iter().any(|i| i.code.as_str() == "amount_mismatch"), "{:?}", out.issues());
    assert_eq!(
        (amount(e.order.subtotal), amount(e.order.discount), amount(e.order.total)),
        (Some(6300), None, Some(5670))
    );
}
