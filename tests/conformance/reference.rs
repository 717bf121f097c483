//! The published example payloads of the reference folder parse as documented.

use super::common::*;
use super::{read_shared, shared};
use orderhook::{Kind, Provider, Status};

fn every_voucherify_order_data_example_normalizes() {
    let want = [
        ("customer.order.created.data.json", Kind::Created, Status::Pending, 2500),
        ("customer.order.updated.data.json", Kind::Paid, Status::Paid, 5500),
        ("customer.order.paid.data.json", Kind::Paid, Status::Paid, 10000),
        ("customer.order.canceled.data.json", Kind::Canceled, Status::Canceled, 2500),
    ];
    let files: Vec<String> = std::fs::read_dir(shared("reference/voucherify"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("customer.order.") && n.ends_with(".data.json"))
        .collect();
    assert_eq!(files.len(), want.len(), "a new reference file needs an expectation: {files:?}");
    for (file, kind, status, total) in want {
        let out = parse(&read_shared(&format!("reference/voucherify/{file}")));
        let e = out.event().unwrap_or_else(|| panic!("{file}: {:?}", out.issues()));
        assert_eq!((e.provider, e.kind, e.order.status), (Provider::Voucherify, kind, status), "{file}");
        assert_eq!(amount(e.order.total), Some(total), "{file}");
        assert!(e.order.id.starts_with("ord_"), "{file}");
        assert!(ts(e.order.created_at).unwrap().ends_with("Z"), "{file}");
        assert_eq!(e.order.currency.map(|c| c.to_string()).as_deref(), Some("USD"), "{file}");
    }
}

fn voucherify_envelope_takes_event_name_and_id_from_event_not_top_level_type() {
    let out = parse(&read_shared("reference/voucherify/SYNTHESIZED.envelope.customer.order.paid.json"));
    let e = out.event().expect("valid");
    assert_eq!(e.event_type.as_deref(), Some("customer.order.paid"));
    assert_eq!(e.kind, Kind::Paid);
    assert_eq!(e.event_id.as_deref(), Some("evcus_115d38459e5318ae94"));
    assert_eq!(ts(e.occurred_at).as_deref(), Some("2024-03-11T13:20:39.990Z"));
    assert_eq!((amount(e.order.subtotal), amount(e.order.total)), (Some(10000), Some(10000)));
    assert_eq!(e.order.items[0].quantity, 4);
    assert!(!has(&out, "inferred_event", ""));
}

fn voucherify_non_order_events_are_unsupported() {
    for file in [
        "envelope.distribution.customer.redemption.succeeded.json",
        "envelope.distribution.payload-designer.sample-output.json",
    ] {
        let out = parse(&read_shared(&format!("reference/voucherify/{file}")));
        assert_eq!(error_codes(&out), vec![("unsupported_event".into(), "/event/type".into())], "{file}");
    }
}

fn voucherify_raw_designer_payload_has_no_recognisable_provider() {
    let out = parse(&read_shared("reference/voucherify/body.distribution.payload-designer.raw-payload.json"));
    assert_eq!(error_codes(&out), vec![("unknown_provider".into(), "".into())]);
}

fn polar_constructed_paid_order_normalizes() {
    let out = parse(&read_shared("reference/polar/example_order_paid.CONSTRUCTED.json"));
    let e = out.event().unwrap_or_else(|| panic!("{:?}", out.issues()));
    assert_eq!((e.kind, e.order.status), (Kind::Paid, Status::Paid));
    assert!(e.order.currency.is_some());
    assert!(e.order.total.is_some());
    assert!(out.warnings().all(|w| w.code.as_str() != "amount_mismatch"), "{:?}", out.issues());
}

fn polar_refund_with_deprecated_fields_normalizes_and_strips_state_prefix() {
    let out = parse(&read_shared("reference/polar/example_order_refunded_subscription.CONSTRUCTED.json"));
    let e = out.event().expect("valid");
    assert_eq!(out.issues(), &[], "deprecated extra keys must be ignored silently");
    assert_eq!((e.kind, e.order.status), (Kind::Refunded, Status::PartiallyRefunded));
    assert_eq!(ts(e.occurred_at).as_deref(), Some("2026-08-20T09:15:02.123456Z"));
    let o = &e.order;
    assert_eq!(o.currency.map(|c| c.to_string()).as_deref(), Some("USD"));
    assert_eq!(
        (amount(o.subtotal), amount(o.discount), amount(o.tax), amount(o.total), amount(o.refunded)),
        (Some(2000), Some(200), Some(450), Some(2250), Some(1125))
    );
    assert_eq!(o.number.as_deref(), Some("POLAR-0002"));
    let addr = o.billing_address.as_ref().unwrap();
    assert_eq!(
        (addr.country.as_deref(), addr.state.as_deref(), addr.name.as_deref()),
        (Some("US"), Some("CA"), Some("Jane Doe"))
    );
    assert_eq!(o.items[0].name.as_deref(), Some("Pro Plan"));
    assert_eq!(ts(o.updated_at).as_deref(), Some("2026-03-12T10:44:51.700000Z"));
}

fn vrio_truncated_doc_examples_report_invalid_json_with_position() {
    for file in
        ["order_updated.legacy.webhook-events-reference.TRUNCATED.txt", "order_updated.order-webhooks.TRUNCATED.txt"]
    {
        let out = parse(&read_shared(&format!("reference/vrio/{file}")));
        assert_eq!(error_codes(&out), vec![("invalid_json".into(), "".into())], "{file}");
        assert!(out.issues()[0].message.contains("line "), "{}", out.issues()[0].message);
    }
}

pub const TESTS: &[(&str, fn())] = &[
    ("reference::every_voucherify_order_data_example_normalizes", every_voucherify_order_data_example_normalizes),
    (
        "reference::voucherify_envelope_takes_event_name_and_id_from_event_not_top_level_type",
        voucherify_envelope_takes_event_name_and_id_from_event_not_top_level_type,
    ),
    ("reference::voucherify_non_order_events_are_unsupported", voucherify_non_order_events_are_unsupported),
    (
        "reference::voucherify_raw_designer_payload_has_no_recognisable_provider",
        voucherify_raw_designer_payload_has_no_recognisable_provider,
    ),
    ("reference::polar_constructed_paid_order_normalizes", polar_constructed_paid_order_normalizes),
    (
        "reference::polar_refund_with_deprecated_fields_normalizes_and_strips_state_prefix",
        polar_refund_with_deprecated_fields_normalizes_and_strips_state_prefix,
    ),
    (
        "reference::vrio_truncated_doc_examples_report_invalid_json_with_position",
        vrio_truncated_doc_examples_report_invalid_json_with_position,
    ),
];
