//! The behaviours the providers' published example payloads show, each reproduced
//! by a fixture of our own in tests/fixtures (the published payloads themselves are
//! checked by the optional conformance suite, tests/conformance).

mod common;

use common::*;
use orderhook::{Kind, Provider, Status};

#[test]
fn voucherify_envelope_takes_event_name_and_id_from_event_not_top_level_type() {
    let out = parse(&fixture("voucherify.envelope.order-paid.event-type-wins.json"));
    let e = out.event().unwrap_or_else(|| panic!("{:?}", out.issues()));
    // The top-level `type` is the dashboard's label ("Order-paid"); `event.type` is the event.
    assert_eq!(e.event_type.as_deref(), Some("customer.order.paid"));
    assert_eq!(e.kind, Kind::Paid);
    assert_eq!(e.event_id.as_deref(), Some("evcus_7f0e9d8c6b5a4e3d21"));
    assert_eq!(ts(e.occurred_at).as_deref(), Some("2025-03-04T18:30:05.002Z"));
    assert_eq!((amount(e.order.subtotal), amount(e.order.total)), (Some(6300), Some(6300)));
    assert_eq!(e.order.items[0].quantity, 3);
    assert_eq!(e.order.currency.map(|c| c.to_string()).as_deref(), Some("USD"));
    assert!(!has(&out, "inferred_event", ""));
    assert!(out.errors().next().is_none(), "{:?}", out.issues());
}

#[test]
fn voucherify_non_order_events_are_unsupported_even_with_an_order_in_data() {
    for file in [
        "voucherify.envelope.redemption-succeeded.unsupported.json",
        "voucherify.envelope.designer-sample.unsupported.json",
    ] {
        let out = parse(&fixture(file));
        assert!(out.event().is_none(), "{file}");
        assert_eq!(error_codes(&out), vec![("unsupported_event".into(), "/event/type".into())], "{file}");
    }
}

#[test]
fn voucherify_raw_designer_payload_has_no_recognisable_provider() {
    let out = parse(&fixture("voucherify.designer-raw-payload.unknown-provider.json"));
    assert_eq!(error_codes(&out), vec![("unknown_provider".into(), "".into())]);
}

#[test]
fn polar_paid_order_whose_amounts_add_up_normalizes_without_warnings() {
    let out = parse(&fixture("polar.order.paid.amounts-add-up.json"));
    let e = out.event().unwrap_or_else(|| panic!("{:?}", out.issues()));
    assert_eq!(out.issues(), &[]);
    assert_eq!((e.provider, e.kind, e.order.status), (Provider::Polar, Kind::Paid, Status::Paid));
    let o = &e.order;
    assert_eq!(o.currency.map(|c| c.to_string()).as_deref(), Some("EUR"));
    assert_eq!(
        (amount(o.subtotal), amount(o.discount), amount(o.tax), amount(o.total)),
        (Some(4900), Some(490), Some(838), Some(5248))
    );
    assert_eq!(o.number.as_deref(), Some("ACME-0042"));
    assert_eq!(o.customer.as_ref().unwrap().email.as_deref(), Some("lena.vogel@example.de"));
    assert_eq!(o.billing_address.as_ref().unwrap().country.as_deref(), Some("DE"));
    assert_eq!(ts(e.occurred_at).as_deref(), Some("2026-04-21T14:07:33.918204Z"));
}

#[test]
fn polar_refund_with_deprecated_fields_normalizes_and_strips_state_prefix() {
    let out = parse(&fixture("polar.order.refunded.deprecated-fields.json"));
    let e = out.event().unwrap_or_else(|| panic!("{:?}", out.issues()));
    assert_eq!(out.issues(), &[], "deprecated extra keys must be ignored silently");
    assert_eq!((e.kind, e.order.status), (Kind::Refunded, Status::PartiallyRefunded));
    assert_eq!(ts(e.occurred_at).as_deref(), Some("2026-05-14T16:02:11.654321Z"));
    let o = &e.order;
    assert_eq!(o.currency.map(|c| c.to_string()).as_deref(), Some("USD"));
    // Refunded: the amount and its tax, 1350 + 270.
    assert_eq!(
        (amount(o.subtotal), amount(o.discount), amount(o.tax), amount(o.total), amount(o.refunded)),
        (Some(3000), Some(300), Some(540), Some(3240), Some(1620))
    );
    assert_eq!(o.number.as_deref(), Some("ACME-7731"));
    let addr = o.billing_address.as_ref().unwrap();
    assert_eq!(
        (addr.country.as_deref(), addr.state.as_deref(), addr.name.as_deref()),
        (Some("US"), Some("NY"), Some("Omar Haddad"))
    );
    assert_eq!(o.items[0].name.as_deref(), Some("Team Plan"));
    assert_eq!(ts(o.updated_at).as_deref(), Some("2026-04-02T08:30:00.250000Z"));
}

#[test]
fn vrio_truncated_doc_example_reports_invalid_json_with_its_position() {
    let body = fixture("vrio.order_updated.truncated.txt");
    assert!(!body.ends_with(b"}"));
    let out = parse(&body);
    assert_eq!(error_codes(&out), vec![("invalid_json".into(), "".into())]);
    let msg = &out.issues()[0].message;
    // The body stops inside the key `"track`, at the end of line 22.
    assert!(msg.contains("EOF while parsing a string") && msg.contains("line 22 column 18"), "{msg}");
}
