//! Every seed document parses to the expected normalized event.

use super::common::*;
use super::seed_json;
use orderhook::{Kind, Options, Provider, Status, TimeZone};

fn seed_000_is_mangled_json_and_reports_invalid_json_with_its_position() {
    let out = parse(seed_json("000").as_bytes());
    assert!(!out.is_ok());
    assert_eq!(error_codes(&out), vec![("invalid_json".into(), "".into())]);
    let msg = &out.issues()[0].message;
    assert!(msg.contains("line 4 column"), "{msg}");
}

fn seed_001_voucherify_updated_keeps_amount_and_warns_that_items_sum_to_less() {
    let out = parse(seed_json("001").as_bytes());
    let e = out.event().expect("valid");
    assert_eq!(e.provider, Provider::Voucherify);
    assert_eq!(e.event_type, None);
    assert_eq!(e.kind, Kind::Paid);
    let o = &e.order;
    assert_eq!(o.id, "ord_tNridJhmcEOQXUqNyenX1Up6");
    assert_eq!((o.status, o.provider_status.as_deref()), (Status::Paid, Some("PAID")));
    assert_eq!(o.currency.map(|c| c.to_string()).as_deref(), Some("USD"));
    assert_eq!((amount(o.subtotal), amount(o.total)), (Some(5500), Some(5500)));
    assert_eq!(o.items.len(), 2);
    assert_eq!(
        (o.items[0].quantity, amount(o.items[0].unit_price), amount(o.items[0].total)),
        (2, Some(2500), Some(5000))
    );
    assert_eq!(o.items[1].name.as_deref(), Some("Shipping"));
    assert_eq!(o.customer.as_ref().unwrap().name.as_deref(), Some("Alex Doe"));
    assert_eq!(o.customer.as_ref().unwrap().email, None);
    assert_eq!(ts(o.created_at).as_deref(), Some("2024-03-12T08:37:24.296Z"));
    assert_eq!(ts(o.updated_at).as_deref(), Some("2024-03-12T13:40:39.080Z"));
    assert_eq!(
        o.metadata.as_ref().map(|m| serde_json::from_str::<serde_json::Value>(m.get()).unwrap()["card"][0].clone()),
        Some("Other".into())
    );
    assert!(has(&out, "amount_mismatch", "/order/amount"));
    assert!(has(&out, "assumed_currency", "/order/metadata/currency"));
    assert!(has(&out, "inferred_event", ""));
}

fn seed_002_voucherify_created_is_pending_with_null_updated_at() {
    let out = parse(seed_json("002").as_bytes());
    let e = out.event().expect("valid");
    assert_eq!(e.kind, Kind::Created);
    assert_eq!(e.order.status, Status::Pending);
    assert_eq!(e.order.id, "ord_jM5GdBe4OO3ExFrVSlEWLORP");
    assert_eq!(e.order.updated_at, None);
    assert_eq!(amount(e.order.total), Some(2500));
    assert_eq!(e.order.customer.as_ref().unwrap().external_id.as_deref(), Some("jck-wbhk"));
    assert!(!out.issues().iter().any(|i| i.code.as_str() == "amount_mismatch"));
}

fn seed_003_polar_placeholder_currency_is_a_warning_not_an_error() {
    let out = parse(seed_json("003").as_bytes());
    let e = out.event().expect("valid despite placeholders");
    assert_eq!((e.provider, e.event_type.as_deref(), e.kind), (Provider::Polar, Some("order.updated"), Kind::Updated));
    assert_eq!(ts(e.occurred_at).as_deref(), Some("2023-11-07T05:31:56Z"));
    assert_eq!(e.order.status, Status::Paid);
    assert_eq!(e.order.currency, None);
    assert!(has(&out, "invalid_value", "/data/currency"));
    assert_eq!(
        (amount(e.order.subtotal), amount(e.order.tax), amount(e.order.total)),
        (Some(123), Some(123), Some(123))
    );
    assert_eq!(e.order.customer.as_ref().unwrap().email.as_deref(), Some("customer@example.com"));
    assert_eq!(e.order.billing_address.as_ref().unwrap().country.as_deref(), Some("US"));
    // subtotal 123 − discount 123 ≠ net 123 in the placeholder payload.
    assert!(has(&out, "amount_mismatch", "/data/net_amount"));
}

fn seed_004_vrio_order_updated_is_read_with_assumed_utc_and_currency() {
    let out = parse(seed_json("004").as_bytes());
    let e = out.event().expect("valid");
    assert_eq!((e.provider, e.kind, e.event_id.as_deref()), (Provider::Vrio, Kind::Updated, Some("3549")));
    assert_eq!(ts(e.occurred_at).as_deref(), Some("2025-09-30T18:46:02Z"));
    let o = &e.order;
    assert_eq!((o.id.as_str(), o.status, o.provider_status.as_deref()), ("126965", Status::Paid, Some("Complete")));
    assert_eq!((amount(o.subtotal), amount(o.total)), (Some(1000), Some(1000)));
    assert_eq!(o.items[0].name.as_deref(), Some("Test offer"));
    assert_eq!(o.customer.as_ref().unwrap().name.as_deref(), Some("Sylvia Nelson"));
    assert_eq!(o.billing_address.as_ref().unwrap().line1.as_deref(), Some("6826 Blossom Hill Rd"));
    assert_eq!(ts(o.created_at).as_deref(), Some("2022-08-30T10:00:38Z"));
    assert!(has(&out, "assumed_time_zone", ""));
    assert!(has(&out, "assumed_currency", ""));
}

fn seed_004_vrio_dates_follow_the_given_zone_and_currency_silences_warnings() {
    let opts = Options {
        time_zone: Some(TimeZone::parse("America/New_York").unwrap()),
        currency: orderhook::Currency::new("USD"),
        ..Options::default()
    };
    let out = orderhook::parse(seed_json("004").as_bytes(), &opts);
    let e = out.event().expect("valid");
    // 2022-08-30 is in EDT (UTC−4).
    assert_eq!(ts(e.order.created_at).as_deref(), Some("2022-08-30T14:00:38Z"));
    assert_eq!(e.order.currency.map(|c| c.to_string()).as_deref(), Some("USD"));
    assert!(out.issues().is_empty(), "{:?}", out.issues());
}

pub const TESTS: &[(&str, fn())] = &[
    (
        "seeds::seed_000_is_mangled_json_and_reports_invalid_json_with_its_position",
        seed_000_is_mangled_json_and_reports_invalid_json_with_its_position,
    ),
    (
        "seeds::seed_001_voucherify_updated_keeps_amount_and_warns_that_items_sum_to_less",
        seed_001_voucherify_updated_keeps_amount_and_warns_that_items_sum_to_less,
    ),
    (
        "seeds::seed_002_voucherify_created_is_pending_with_null_updated_at",
        seed_002_voucherify_created_is_pending_with_null_updated_at,
    ),
    (
        "seeds::seed_003_polar_placeholder_currency_is_a_warning_not_an_error",
        seed_003_polar_placeholder_currency_is_a_warning_not_an_error,
    ),
    (
        "seeds::seed_004_vrio_order_updated_is_read_with_assumed_utc_and_currency",
        seed_004_vrio_order_updated_is_read_with_assumed_utc_and_currency,
    ),
    (
        "seeds::seed_004_vrio_dates_follow_the_given_zone_and_currency_silences_warnings",
        seed_004_vrio_dates_follow_the_given_zone_and_currency_silences_warnings,
    ),
];
