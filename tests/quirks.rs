//! Provider quirks (the providers' fact sheets' known traps), one behaviour per test,
//! on fixtures of our own in tests/fixtures.

mod common;

use common::*;
use orderhook::{Kind, Options, Provider, Status};
use serde_json::{json, Value};

fn polar_paid() -> Value {
    serde_json::from_slice(&fixture("polar.order.paid.amounts-add-up.json")).unwrap()
}

fn parse_value(v: &Value) -> orderhook::Outcome {
    parse(&serde_json::to_vec(v).unwrap())
}

#[test]
fn voucherify_microsecond_timestamps_keep_their_precision() {
    let out = parse(&fixture("voucherify.envelope.microseconds.processing.json"));
    let e = out.event().unwrap_or_else(|| panic!("{:?}", out.issues()));
    assert_eq!(ts(e.occurred_at).as_deref(), Some("2026-02-03T09:15:27.455918Z"));
    assert_eq!(ts(e.order.created_at).as_deref(), Some("2026-02-03T09:15:26.900001Z"));
}

#[test]
fn voucherify_processing_status_and_event_are_known() {
    let out = parse(&fixture("voucherify.envelope.microseconds.processing.json"));
    let e = out.event().unwrap();
    assert_eq!((e.event_type.as_deref(), e.kind), (Some("customer.order.processing"), Kind::Updated));
    assert_eq!((e.order.status, e.order.provider_status.as_deref()), (Status::Processing, Some("PROCESSING")));
    assert!(!out.issues().iter().any(|i| i.code.as_str() == "unknown_enum"), "{:?}", out.issues());
}

#[test]
fn voucherify_rolled_back_redemption_with_a_space_is_a_known_status() {
    let out = parse(&fixture("voucherify.envelope.microseconds.processing.json"));
    assert!(!has(&out, "unknown_enum", "/data/redemption/status"));
    let mut v: Value = serde_json::from_slice(&fixture("voucherify.envelope.microseconds.processing.json")).unwrap();
    v["data"]["redemption"]["status"] = json!("ROLLED_BACK");
    assert!(has(&parse_value(&v), "unknown_enum", "/data/redemption/status"));
}

#[test]
fn voucherify_item_sku_discount_and_totals_are_read() {
    let out = parse(&fixture("voucherify.envelope.microseconds.processing.json"));
    let o = &out.event().unwrap().order;
    assert_eq!((amount(o.subtotal), amount(o.discount), amount(o.total)), (Some(4200), Some(420), Some(3780)));
    let it = &o.items[0];
    assert_eq!((it.sku.as_deref(), it.name.as_deref(), it.quantity), (Some("TEA-SEN-100"), Some("Sencha 100 g"), 3));
    assert_eq!((amount(it.unit_price), amount(it.discount), amount(it.total)), (Some(1400), Some(420), Some(3780)));
    assert_eq!(o.number.as_deref(), Some("A-10422"));
}

#[test]
fn vrio_misspelt_abandonned_event_is_an_abandoned_order() {
    let out = parse(&fixture("vrio.order_abandonned.string-id.json"));
    let e = out.event().unwrap_or_else(|| panic!("{:?}", out.issues()));
    assert_eq!(
        (e.event_type.as_deref(), e.kind, e.order.status),
        (Some("order_abandonned"), Kind::Abandoned, Status::Abandoned)
    );
    assert_eq!(e.order.provider_status.as_deref(), Some("Active"));
}

#[test]
fn vrio_string_and_numeric_event_ids_become_the_same_string() {
    let string_id = parse(&fixture("vrio.order_abandonned.string-id.json"));
    assert_eq!(string_id.event().unwrap().event_id.as_deref(), Some("4806"));
    let mut v: Value = serde_json::from_slice(&fixture("vrio.order_abandonned.string-id.json")).unwrap();
    v["webhook_event_id"] = json!(4806);
    assert_eq!(parse_value(&v).event().unwrap().event_id.as_deref(), Some("4806"));
}

#[test]
fn vrio_zero_dates_and_dashes_mean_no_date() {
    let out = parse(&fixture("vrio.order_abandonned.string-id.json"));
    assert!(out.is_ok());
    assert!(!out.issues().iter().any(|i| i.path.contains("date_")), "{:?}", out.issues());
}

#[test]
fn vrio_money_strings_convert_exactly_with_quantities_as_strings_or_numbers() {
    let out = parse(&fixture("vrio.order_abandonned.string-id.json"));
    let o = &out.event().unwrap().order;
    assert_eq!(
        (amount(o.items[0].unit_price), o.items[0].quantity, amount(o.items[0].total)),
        (Some(1999), 2, Some(3998))
    );
    assert_eq!((amount(o.items[1].unit_price), amount(o.items[1].total)), (Some(50), Some(50)));
    assert_eq!((amount(o.subtotal), amount(o.discount), amount(o.total)), (Some(4048), Some(250), Some(3798)));
    assert_eq!(o.items[0].sku.as_deref(), Some("KIT-S"));
}

#[test]
fn vrio_three_decimal_price_is_an_error_not_a_rounding() {
    let mut v: Value = serde_json::from_slice(&fixture("vrio.order_abandonned.string-id.json")).unwrap();
    v["webhook_data"]["order"]["order_offers"][0]["order_offer_price"] = json!("19.995");
    let out = parse_value(&v);
    assert_eq!(
        error_codes(&out),
        vec![("invalid_value".into(), "/webhook_data/order/order_offers/0/order_offer_price".into())]
    );
}

#[test]
fn vrio_impossible_date_is_an_invalid_value_at_its_path() {
    let mut v: Value = serde_json::from_slice(&fixture("vrio.order_abandonned.string-id.json")).unwrap();
    v["webhook_data"]["order"]["date_created"] = json!("2024-02-30 10:00:00");
    let out = parse_value(&v);
    assert_eq!(error_codes(&out), vec![("invalid_value".into(), "/webhook_data/order/date_created".into())]);
}

#[test]
fn vrio_country_is_upper_cased_and_numeric_zipcode_kept_as_text() {
    let out = parse(&fixture("vrio.order_abandonned.string-id.json"));
    let a = out.event().unwrap().order.shipping_address.clone().unwrap();
    assert_eq!((a.country.as_deref(), a.postal_code.as_deref(), a.line2), (Some("PT"), Some("1100053"), None));
}

#[test]
fn vrio_other_webhook_types_are_unsupported_not_a_crash() {
    let body = br#"{"webhook_type":"shipment","webhook_event":"shipment_shipped","webhook_event_id":6900,"webhook_event_date":"2025-09-30 18:46:25","webhook_data":{"shipment":{"id":"248065"}}}"#;
    assert_eq!(error_codes(&parse(body)), vec![("unsupported_event".into(), "/webhook_type".into())]);
}

#[test]
fn polar_unknown_status_and_billing_reason_are_kept_with_warnings() {
    let out = parse(&fixture("polar.order.updated.unknown-status.json"));
    let e = out.event().unwrap_or_else(|| panic!("{:?}", out.issues()));
    assert_eq!((e.order.status, e.order.provider_status.as_deref()), (Status::Unknown, Some("on_hold")));
    assert!(has(&out, "unknown_enum", "/data/status"));
    assert!(has(&out, "unknown_enum", "/data/billing_reason"));
    assert_eq!(e.order.currency.map(|c| (c.to_string(), c.exponent())), Some(("JPY".into(), 0)));
}

#[test]
fn strict_mode_turns_unknown_enum_values_into_errors() {
    let opts = Options { strict: true, ..Options::default() };
    let out = orderhook::parse(&fixture("polar.order.updated.unknown-status.json"), &opts);
    assert!(!out.is_ok());
    assert_eq!(
        error_codes(&out),
        vec![("unknown_enum".into(), "/data/status".into()), ("unknown_enum".into(), "/data/billing_reason".into())]
    );
}

#[test]
fn polar_non_order_events_are_unsupported() {
    let mut v = polar_paid();
    v["type"] = json!("subscription.created");
    assert_eq!(error_codes(&parse_value(&v)), vec![("unsupported_event".into(), "/type".into())]);
}

#[test]
fn polar_void_order_is_canceled() {
    let mut v = polar_paid();
    v["data"]["status"] = json!("void");
    assert_eq!(parse_value(&v).event().unwrap().order.status, Status::Canceled);
}

#[test]
fn polar_timestamp_is_optional_for_old_deliveries() {
    let mut v = polar_paid();
    v.as_object_mut().unwrap().remove("timestamp");
    let out = parse_value(&v);
    assert!(out.is_ok(), "{:?}", out.issues());
    assert_eq!(out.event().unwrap().occurred_at, None);
}

#[test]
fn missing_required_fields_are_each_reported_with_their_path() {
    let mut v = polar_paid();
    let data = v["data"].as_object_mut().unwrap();
    data.remove("id");
    data.remove("total_amount");
    data.remove("status");
    let out = parse_value(&v);
    assert!(!out.is_ok());
    let errs = error_codes(&out);
    for path in ["/data/id", "/data/total_amount", "/data/status"] {
        assert!(errs.contains(&("missing_field".into(), path.into())), "{path} in {errs:?}");
    }
    assert_eq!(errs.len(), 3, "{errs:?}");
}

#[test]
fn wrong_types_at_depth_point_at_the_exact_field_and_do_not_hide_each_other() {
    let mut v = polar_paid();
    v["data"]["items"][0]["amount"] = json!("100");
    v["data"]["customer"]["id"] = json!(5);
    v["data"]["tax_amount"] = json!(1.5);
    v["data"]["billing_address"]["country"] = json!(["US"]);
    let out = parse_value(&v);
    assert_eq!(
        error_codes(&out),
        vec![
            ("invalid_type".into(), "/data/tax_amount".into()),
            ("invalid_type".into(), "/data/billing_address/country".into()),
            ("invalid_type".into(), "/data/customer/id".into()),
            ("invalid_type".into(), "/data/items/0/amount".into()),
        ]
    );
    let msg = &out.issues().iter().find(|i| i.path == "/data/items/0/amount").unwrap().message;
    assert_eq!(msg, "`amount` must be an integer, found string");
}

#[test]
fn null_where_an_object_is_required_is_a_type_error() {
    let mut v = polar_paid();
    v["data"]["customer"] = Value::Null;
    let out = parse_value(&v);
    assert_eq!(error_codes(&out), vec![("invalid_type".into(), "/data/customer".into())]);
}

#[test]
fn amounts_beyond_javascript_safe_integers_are_rejected() {
    let mut v = polar_paid();
    v["data"]["total_amount"] = json!(9_007_199_254_740_992_i64);
    let out = parse_value(&v);
    assert!(error_codes(&out).contains(&("invalid_value".into(), "/data/total_amount".into())));
}

#[test]
fn metadata_passes_through_untouched() {
    let mut v = polar_paid();
    v["data"]["metadata"] = json!({"n": 1.50, "nested": {"a": [true, null]}});
    let body = serde_json::to_string(&v).unwrap().replace("1.5", "1.50");
    let out = parse(body.as_bytes());
    let md = out.event().unwrap().order.metadata.as_ref().unwrap();
    assert_eq!(md.get(), r#"{"n":1.50,"nested":{"a":[true,null]}}"#);
}

#[test]
fn provider_given_by_the_caller_overrides_detection() {
    let opts = Options { provider: Some(Provider::Vrio), ..Options::default() };
    let out = orderhook::parse(&fixture("polar.order.paid.amounts-add-up.json"), &opts);
    assert!(error_codes(&out).contains(&("missing_field".into(), "/webhook_event".into())), "{:?}", out.issues());
}
