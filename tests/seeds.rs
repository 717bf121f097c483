//! The behaviours the project's seed documents show, each reproduced by a fixture
//! of our own in tests/fixtures (the documents themselves are checked by the
//! optional conformance suite, tests/conformance).

mod common;

use common::*;
use orderhook::{Kind, Options, Provider, Status, TimeZone};

fn sorted(mut v: Vec<(String, String)>) -> Vec<(String, String)> {
    v.sort();
    v
}

#[test]
fn a_doc_page_whose_json_lost_lines_is_invalid_json_with_its_line_and_column() {
    let json = fixture_json("seed.mangled-json.txt");
    assert!(json.starts_with("{\n    \"id\": \"ord_Cx5vB8nM1qWe4Rt7Yu0Io3Pa\""), "{json}");
    let out = parse(json.as_bytes());
    assert!(!out.is_ok());
    assert!(out.event().is_none());
    assert_eq!(codes(&out), vec![("invalid_json".into(), "".into())]);
    // Line 4 is the first item's `"price": 1200,`, left inside the array without its `{`.
    let msg = &out.issues()[0].message;
    assert!(msg.contains("line 4 column"), "{msg}");
}

#[test]
fn the_json_of_a_doc_page_ends_at_its_matching_brace_whatever_the_strings_hold() {
    let json = fixture_json("seed.prose-around-json.txt");
    assert!(json.starts_with("{\n  \"webhook_type\""), "{json}");
    assert!(json.ends_with("}\n  }\n}"), "{json}");
    let out = parse(json.as_bytes());
    let e = out.event().unwrap_or_else(|| panic!("{:?}", out.issues()));
    assert_eq!((e.provider, e.kind, e.order.status), (Provider::Vrio, Kind::Abandoned, Status::Abandoned));
    assert_eq!(e.order.id, "415502");
    assert_eq!((amount(e.order.items[0].unit_price), amount(e.order.total)), (Some(1200), Some(2400)));
}

#[test]
fn voucherify_bare_data_keeps_the_order_amount_and_warns_that_items_sum_to_less() {
    let out = parse(&fixture("voucherify.bare-data.paid.amount-mismatch.json"));
    let e = out.event().unwrap_or_else(|| panic!("{:?}", out.issues()));
    assert_eq!(e.provider, Provider::Voucherify);
    // No envelope: no event name or id, and the kind comes from the order status.
    assert_eq!((e.event_type.as_deref(), e.event_id.as_deref(), e.occurred_at), (None, None, None));
    assert_eq!(e.kind, Kind::Paid);
    let o = &e.order;
    assert_eq!(o.id, "ord_Wq7bN3xKp0LmRt5vYh2cZs8e");
    assert_eq!((o.status, o.provider_status.as_deref()), (Status::Paid, Some("PAID")));
    // The currency is only in the merchant's metadata: read, with a warning.
    assert_eq!(o.currency.map(|c| c.to_string()).as_deref(), Some("EUR"));
    assert_eq!((amount(o.subtotal), amount(o.total)), (Some(7800), Some(7800)));
    assert_eq!(o.items.len(), 2);
    assert_eq!(
        (o.items[0].quantity, amount(o.items[0].unit_price), amount(o.items[0].total)),
        (3, Some(2400), Some(7200))
    );
    assert_eq!(o.items[1].name.as_deref(), Some("Delivery"));
    let c = o.customer.as_ref().unwrap();
    assert_eq!((c.name.as_deref(), c.email.as_deref()), (Some("Priya Raman"), None));
    assert_eq!(ts(o.created_at).as_deref(), Some("2025-01-20T07:45:12.031Z"));
    assert_eq!(ts(o.updated_at).as_deref(), Some("2025-01-20T11:02:58.664Z"));
    let md: serde_json::Value = serde_json::from_str(o.metadata.as_ref().unwrap().get()).unwrap();
    assert_eq!(md["channel"][0], "Kiosk");
    assert_eq!(
        sorted(codes(&out)),
        sorted(vec![
            ("inferred_event".into(), "".into()),
            ("assumed_currency".into(), "/order/metadata/currency".into()),
            ("amount_mismatch".into(), "/order/amount".into()),
        ])
    );
    assert!(out.issues().iter().all(|i| !i.is_error()));
}

#[test]
fn voucherify_bare_data_created_is_pending_with_null_updated_at() {
    let out = parse(&fixture("voucherify.bare-data.created.null-updated-at.json"));
    let e = out.event().unwrap_or_else(|| panic!("{:?}", out.issues()));
    assert_eq!((e.kind, e.order.status), (Kind::Created, Status::Pending));
    assert_eq!(e.order.provider_status.as_deref(), Some("CREATED"));
    assert_eq!(e.order.id, "ord_Pb6yUo1MjR8cVe3Xk5Ga9Lqs");
    assert_eq!(e.order.updated_at, None);
    assert_eq!(amount(e.order.total), Some(1850));
    assert_eq!(e.order.currency.map(|c| c.to_string()).as_deref(), Some("PLN"));
    assert_eq!(e.order.customer.as_ref().unwrap().external_id.as_deref(), Some("tn-ledger-7"));
    assert!(has(&out, "inferred_event", ""));
    assert!(!out.issues().iter().any(|i| i.code.as_str() == "amount_mismatch"), "{:?}", out.issues());
}

#[test]
fn polar_placeholder_strings_are_warnings_and_the_order_is_still_read() {
    let out = parse(&fixture("polar.order.updated.placeholder-strings.json"));
    let e = out.event().expect("valid despite the placeholders");
    assert_eq!((e.provider, e.event_type.as_deref(), e.kind), (Provider::Polar, Some("order.updated"), Kind::Updated));
    assert_eq!(ts(e.occurred_at).as_deref(), Some("2024-06-18T09:12:44Z"));
    assert_eq!(e.order.status, Status::Paid);
    // "<string>" is no ISO 4217 code: no currency, a warning at the field.
    assert_eq!(e.order.currency, None);
    let at_currency: Vec<_> = out.issues().iter().filter(|i| i.path == "/data/currency").collect();
    assert_eq!(at_currency.len(), 1, "{:?}", out.issues());
    assert_eq!((at_currency[0].code.as_str(), at_currency[0].is_error()), ("invalid_value", false));
    assert_eq!(e.order.id, "<string>");
    assert_eq!(
        (amount(e.order.subtotal), amount(e.order.tax), amount(e.order.total)),
        (Some(456), Some(456), Some(456))
    );
    let c = e.order.customer.as_ref().unwrap();
    assert_eq!((c.email.as_deref(), c.external_id.as_deref()), (Some("buyer@example.net"), Some("acct_2048")));
    assert_eq!(e.order.billing_address.as_ref().unwrap().country.as_deref(), Some("CA"));
    // subtotal 456 − discount 456 is not the net 456 of a placeholder payload.
    assert!(has(&out, "amount_mismatch", "/data/net_amount"), "{:?}", out.issues());
}

#[test]
fn vrio_zoneless_dates_are_read_as_utc_with_warnings() {
    let out = parse(&fixture("vrio.order_updated.zoneless-dates.json"));
    let e = out.event().unwrap_or_else(|| panic!("{:?}", out.issues()));
    assert_eq!((e.provider, e.kind, e.event_id.as_deref()), (Provider::Vrio, Kind::Updated, Some("7312")));
    assert_eq!(ts(e.occurred_at).as_deref(), Some("2024-07-15T21:05:40Z"));
    let o = &e.order;
    assert_eq!((o.id.as_str(), o.status, o.provider_status.as_deref()), ("204518", Status::Paid, Some("Complete")));
    assert_eq!((amount(o.subtotal), amount(o.total)), (Some(2450), Some(2450)));
    assert_eq!(o.currency, None);
    assert_eq!(o.items[0].name.as_deref(), Some("Trail Socks 3-pack"));
    assert_eq!(o.customer.as_ref().unwrap().name.as_deref(), Some("Dana Whitfield"));
    let billing = o.billing_address.as_ref().unwrap();
    assert_eq!((billing.line1.as_deref(), billing.postal_code.as_deref()), (Some("48 Larch Ave"), Some("05401")));
    assert_eq!(ts(o.created_at).as_deref(), Some("2024-07-14T09:12:05Z"));
    assert_eq!(
        sorted(codes(&out)),
        sorted(vec![("assumed_time_zone".into(), "".into()), ("assumed_currency".into(), "".into())])
    );
}

#[test]
fn vrio_zoneless_dates_follow_the_given_zone_and_a_given_currency_silences_the_warnings() {
    let opts = Options {
        time_zone: Some(TimeZone::parse("America/New_York").unwrap()),
        currency: orderhook::Currency::new("USD"),
        ..Options::default()
    };
    let out = orderhook::parse(&fixture("vrio.order_updated.zoneless-dates.json"), &opts);
    let e = out.event().expect("valid");
    // July: EDT, UTC−4.
    assert_eq!(ts(e.order.created_at).as_deref(), Some("2024-07-14T13:12:05Z"));
    assert_eq!(ts(e.occurred_at).as_deref(), Some("2024-07-16T01:05:40Z"));
    assert_eq!(e.order.currency.map(|c| c.to_string()).as_deref(), Some("USD"));
    assert!(out.issues().is_empty(), "{:?}", out.issues());
}
