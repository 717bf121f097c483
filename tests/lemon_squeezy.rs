//! Lemon Squeezy (docs/providers/lemon_squeezy.md), one behaviour per test, on our
//! fixtures (tests/fixtures/lemon_squeezy.*), samples and signature vectors
//! (tests/spec/lemon_squeezy.signatures.json).

mod common;

use std::path::Path;

use common::*;
use orderhook::verify::{self, Headers};
use orderhook::{Kind, Options, Provider, Status};
use serde_json::{json, Value};

fn sample(name: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/samples").join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
}

fn value(body: &[u8]) -> Value {
    serde_json::from_slice(body).unwrap()
}

fn parse_value(v: &Value) -> orderhook::Outcome {
    parse(&serde_json::to_vec(v).unwrap())
}

fn event_json(out: &orderhook::Outcome) -> Value {
    let e = out.event().unwrap_or_else(|| panic!("{:?}", out.issues()));
    serde_json::to_value(e).unwrap()
}

// ---- detection ----

#[test]
fn detection_names_lemon_squeezy_and_the_event_by_meta_event_name_in_either_key_order() {
    for (name, event) in [
        ("lemon_squeezy.order_created.paid.json", "order_created"),
        ("lemon_squeezy.order_created.data-before-meta.json", "order_created"),
        ("lemon_squeezy.subscription_payment_success.renewal.json", "subscription_payment_success"),
    ] {
        let d = orderhook::detect(&fixture(name)).unwrap_or_else(|| panic!("{name}"));
        assert_eq!((d.provider, d.event_type.as_deref()), (Provider::LemonSqueezy, Some(event)), "{name}");
    }
}

#[test]
fn detection_keeps_every_sample_and_fixture_with_its_own_provider() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    for dir in ["examples/samples", "tests/fixtures"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let Some(provider) = Provider::ALL.iter().copied().find(|p| name.starts_with(&format!("{}.", p.as_str())))
            else {
                continue;
            };
            let detected = orderhook::detect(&std::fs::read(&path).unwrap()).map(|d| d.provider);
            // A few fixtures are deliberately no provider's (truncated, designer output).
            if detected.is_some() {
                assert_eq!(detected, Some(provider), "{dir}/{name}");
                checked += 1;
            } else {
                assert_ne!(provider, Provider::LemonSqueezy, "{dir}/{name} is not detected");
            }
        }
    }
    assert!(checked > 20, "{checked}");
}

#[test]
fn other_json_api_and_meta_shaped_bodies_are_not_lemon_squeezy() {
    for body in [
        r#"{"meta":{"page":{"currentPage":1}},"data":[{"type":"orders","id":"1"}]}"#,
        r#"{"meta":{"event_name":"push"},"data":{}}"#,
        r#"{"meta":{"event_name":7},"data":{"type":"orders"}}"#,
        r#"{"meta":"order_created","data":{"type":"orders"}}"#,
        r#"{"meta_data":[{"key":"event_name","value":"order_created"}],"id":12}"#,
        r#"{"event_name":"order_created","data":{"type":"orders"}}"#,
    ] {
        let d = orderhook::detect(body.as_bytes()).map(|d| d.provider);
        assert_ne!(d, Some(Provider::LemonSqueezy), "{body}");
    }
}

// ---- the order ----

#[test]
fn order_created_sample_normalizes_to_the_expected_order() {
    let out = parse(&sample("lemon_squeezy.order_created.json"));
    assert_eq!(out.warnings().count(), 0, "{:?}", out.issues());
    assert_eq!(
        event_json(&out),
        json!({
            "provider": "lemon_squeezy",
            "event_type": "order_created",
            "kind": "created",
            "event_id": null,
            "occurred_at": null,
            "order": {
                "id": "3051186",
                "number": "20417",
                "status": "paid",
                "provider_status": "paid",
                "currency": "GBP",
                "currency_digits": 2,
                "subtotal": 7900,
                "discount": 1185,
                "tax": 1343,
                "shipping": null,
                "total": 8058,
                "refunded": 0,
                "items": [{
                    "id": "3145522",
                    "product_id": "184220",
                    "sku": null,
                    "name": "Lumen Icon Set",
                    "quantity": 1,
                    "unit_price": 7900,
                    "discount": null,
                    "tax": null,
                    "total": 7900
                }],
                "customer": {
                    "id": "4471902",
                    "external_id": null,
                    "email": "theo.marsh@example.com",
                    "name": "Theo Marsh",
                    "phone": null
                },
                "billing_address": null,
                "shipping_address": null,
                "created_at": "2026-11-02T15:04:26.000000Z",
                "updated_at": "2026-11-02T15:04:28.000000Z",
                "metadata": {"user_id": "usr_2207", "source": "pricing-page"}
            }
        })
    );
}

#[test]
fn amounts_are_integer_minor_units_with_the_currency_s_own_digits() {
    let e = event_json(&parse(&fixture("lemon_squeezy.order_created.jpy-zero-decimals.json")));
    let o = &e["order"];
    assert_eq!((&o["currency"], &o["currency_digits"]), (&json!("JPY"), &json!(0)));
    assert_eq!((&o["subtotal"], &o["tax"], &o["total"]), (&json!(4800), &json!(480), &json!(5280)));
}

#[test]
fn amounts_sent_as_decimal_strings_or_fractions_are_invalid_types() {
    let mut v = value(&fixture("lemon_squeezy.order_created.paid.json"));
    v["data"]["attributes"]["total"] = json!("54.24");
    v["data"]["attributes"]["tax"] = json!(10.14);
    let out = parse_value(&v);
    assert_eq!(
        error_codes(&out),
        owned(&[("invalid_type", "/data/attributes/tax"), ("invalid_type", "/data/attributes/total")])
    );
}

#[test]
fn totals_are_taken_as_sent_without_a_sum_check() {
    // Lemon Squeezy rounds its own way (its docs example: subtotal 1499 + tax 359, total 1859).
    let mut v = value(&fixture("lemon_squeezy.order_created.paid.json"));
    v["data"]["attributes"]["total"] = json!(5425);
    let out = parse_value(&v);
    assert_eq!(out.issues().len(), 0, "{:?}", out.issues());
    assert_eq!(amount(out.event().unwrap().order.total), Some(5425));
}

#[test]
fn the_first_order_item_is_the_only_item() {
    let out = parse(&fixture("lemon_squeezy.order_created.paid.json"));
    let items = &out.event().unwrap().order.items;
    assert_eq!(items.len(), 1);
    assert_eq!((items[0].id.as_deref(), items[0].product_id.as_deref()), (Some("2284519"), Some("184220")));
    assert_eq!((amount(items[0].unit_price), amount(items[0].total), items[0].quantity), (Some(4900), Some(4900), 1));
}

#[test]
fn an_item_of_several_units_keeps_its_quantity_but_no_price_the_docs_leave_ambiguous() {
    let out = parse(&fixture("lemon_squeezy.order_created.quantity-three.json"));
    let it = &out.event().unwrap_or_else(|| panic!("{:?}", out.issues())).order.items[0];
    assert_eq!((it.quantity, it.unit_price, it.total), (3, None, None));
}

#[test]
fn a_negative_item_quantity_is_an_invalid_value() {
    let mut v = value(&fixture("lemon_squeezy.order_created.paid.json"));
    v["data"]["attributes"]["first_order_item"]["quantity"] = json!(-1);
    let out = parse_value(&v);
    assert_eq!(error_codes(&out), owned(&[("invalid_value", "/data/attributes/first_order_item/quantity")]));
}

#[test]
fn a_failed_order_with_null_names_and_no_item_is_canceled_and_keeps_the_customer_id() {
    let out = parse(&fixture("lemon_squeezy.order_created.failed-nulls.json"));
    let o = &out.event().unwrap_or_else(|| panic!("{:?}", out.issues())).order;
    assert_eq!((o.status, o.provider_status.as_deref()), (Status::Canceled, Some("failed")));
    assert!(o.items.is_empty());
    let c = o.customer.as_ref().unwrap();
    assert_eq!((c.id.as_deref(), c.email.as_deref(), c.name.as_deref()), (Some("3120457"), None, None));
}

#[test]
fn early_2023_deliveries_without_refunded_amount_item_id_or_quantity_parse() {
    let out = parse(&fixture("lemon_squeezy.order_created.early-2023-shape.json"));
    assert_eq!(out.issues().len(), 0, "{:?}", out.issues());
    let o = &out.event().unwrap().order;
    assert_eq!(o.refunded, None);
    assert_eq!((o.items[0].id.as_deref(), o.items[0].quantity, amount(o.items[0].unit_price)), (None, 1, Some(1900)));
    assert_eq!(o.metadata.as_ref().map(|m| value(m.get().as_bytes())), Some(json!({"customer_id": 25})));
}

#[test]
fn the_order_number_is_the_human_facing_number_and_timestamps_keep_microseconds() {
    let out = parse(&fixture("lemon_squeezy.order_created.paid.json"));
    let o = &out.event().unwrap().order;
    assert_eq!(o.number.as_deref(), Some("10482"));
    assert_eq!(ts(o.created_at).as_deref(), Some("2026-10-14T09:21:37.000000Z"));
    assert_eq!(ts(o.updated_at).as_deref(), Some("2026-10-14T09:21:39.000000Z"));
}

#[test]
fn the_envelope_has_no_event_time_and_no_delivery_id() {
    let e = parse(&fixture("lemon_squeezy.order_created.paid.json"));
    let e = e.event().unwrap();
    assert_eq!((e.occurred_at, e.event_id.as_deref()), (None, None));
    // A caller that has an id of its own may pass it on.
    let opts = Options { event_id: Some("mine".into()), ..Options::default() };
    let out = orderhook::parse(&fixture("lemon_squeezy.order_created.paid.json"), &opts);
    assert_eq!(out.event().unwrap().event_id.as_deref(), Some("mine"));
}

#[test]
fn no_header_or_body_id_is_a_delivery_id_and_retries_end_within_the_hour() {
    let out = parse(&fixture("lemon_squeezy.order_created.paid.json"));
    let headers = Headers::new(&[("x-event-name", "order_created"), ("webhook-id", "not theirs")]);
    assert_eq!(orderhook::delivery_id(Provider::LemonSqueezy, &headers, out.event().unwrap()), None);
    let info = orderhook::catalog().into_iter().find(|i| i.name == Provider::LemonSqueezy).unwrap();
    assert_eq!((info.delivery_id, info.retry_horizon_hours), (orderhook::DeliveryId::None, 1));
}

#[test]
fn missing_required_fields_are_errors_at_their_paths() {
    let mut v = value(&fixture("lemon_squeezy.order_created.paid.json"));
    let a = v["data"]["attributes"].as_object_mut().unwrap();
    a.remove("currency");
    a.remove("created_at");
    v["data"].as_object_mut().unwrap().remove("type");
    let out = parse_value(&v);
    assert_eq!(
        error_codes(&out),
        owned(&[
            ("missing_field", "/data/type"),
            ("missing_field", "/data/attributes/currency"),
            ("missing_field", "/data/attributes/created_at"),
        ])
    );
}

// ---- statuses and events ----

#[test]
fn refunds_are_partially_refunded_or_refunded_with_the_refunded_amount() {
    for (name, status, refunded) in [
        ("lemon_squeezy.order_refunded.partial-refund.json", Status::PartiallyRefunded, 2000),
        ("lemon_squeezy.order_refunded.refunded.json", Status::Refunded, 5424),
    ] {
        let out = parse(&fixture(name));
        let e = out.event().unwrap_or_else(|| panic!("{name}: {:?}", out.issues()));
        assert_eq!(
            (e.kind, e.order.status, amount(e.order.refunded)),
            (Kind::Refunded, status, Some(refunded)),
            "{name}"
        );
    }
}

#[test]
fn subscription_payment_success_reads_the_invoice_as_a_paid_order_without_items() {
    let out = parse(&fixture("lemon_squeezy.subscription_payment_success.renewal.json"));
    let e = out.event().unwrap_or_else(|| panic!("{:?}", out.issues()));
    assert_eq!((e.kind, e.order.status), (Kind::Paid, Status::Paid));
    // The invoice's id (its own id space, not an order's), no order number, no items.
    assert_eq!((e.order.id.as_str(), e.order.number.as_deref()), ("1866304", None));
    assert!(e.order.items.is_empty());
    assert_eq!((amount(e.order.total), amount(e.order.refunded)), (Some(5782), None));
}

#[test]
fn a_partially_refunded_invoice_is_partially_refunded() {
    let out = parse(&fixture("lemon_squeezy.subscription_payment_refunded.partial-refunded.json"));
    let e = out.event().unwrap_or_else(|| panic!("{:?}", out.issues()));
    assert_eq!((e.kind, e.order.status), (Kind::Refunded, Status::PartiallyRefunded));
    assert_eq!(e.order.provider_status.as_deref(), Some("partial_refunded"));
    assert_eq!(amount(e.order.refunded), Some(2891));
}

#[test]
fn an_unknown_status_is_kept_and_warned_and_is_an_error_when_strict() {
    let body = fixture("lemon_squeezy.order_created.unknown-status.json");
    let out = parse(&body);
    let o = &out.event().unwrap().order;
    assert_eq!((o.status, o.provider_status.as_deref()), (Status::Unknown, Some("disputed")));
    assert_eq!(codes(&out), owned(&[("unknown_enum", "/data/attributes/status")]));
    let strict = orderhook::parse(&body, &Options { strict: true, ..Options::default() });
    assert_eq!(error_codes(&strict), owned(&[("unknown_enum", "/data/attributes/status")]));
}

#[test]
fn an_unknown_order_event_is_read_with_kind_unknown_and_a_warning() {
    let mut v = value(&fixture("lemon_squeezy.order_created.paid.json"));
    v["meta"]["event_name"] = json!("order_disputed");
    let out = parse_value(&v);
    assert_eq!(out.event().map(|e| e.kind), Some(Kind::Unknown));
    assert_eq!(codes(&out), owned(&[("unknown_enum", "/meta/event_name")]));
}

#[test]
fn other_lemon_squeezy_events_are_unsupported_at_the_event_name() {
    let out = parse(&fixture("lemon_squeezy.subscription_created.unsupported.json"));
    assert_eq!(codes(&out), owned(&[("unsupported_event", "/meta/event_name")]));
    let message = &out.issues()[0].message;
    assert!(message.contains("subscription_created") && message.contains("order_refunded"), "{message}");
    for event in ["license_key_created", "subscription_payment_failed", "subscription_payment_recovered"] {
        let mut v = value(&fixture("lemon_squeezy.order_created.paid.json"));
        v["meta"]["event_name"] = json!(event);
        assert_eq!(codes(&parse_value(&v)), owned(&[("unsupported_event", "/meta/event_name")]), "{event}");
    }
}

#[test]
fn the_data_type_must_be_what_the_event_carries() {
    let out = parse(&fixture("lemon_squeezy.order_created.subscription-invoice-type.json"));
    assert_eq!(codes(&out), owned(&[("invalid_value", "/data/type")]));
    // A subscription payment event may carry an order.
    let mut v = value(&fixture("lemon_squeezy.order_created.paid.json"));
    v["meta"]["event_name"] = json!("subscription_payment_success");
    let out = parse_value(&v);
    assert_eq!((out.event().map(|e| e.kind), out.issues().len()), (Some(Kind::Paid), 0), "{:?}", out.issues());
}

#[test]
fn custom_data_is_the_metadata_verbatim_and_a_non_object_is_dropped_with_a_warning() {
    let out = parse(&fixture("lemon_squeezy.order_created.paid.json"));
    let m = out.event().unwrap().order.metadata.as_ref().map(|m| m.get().to_owned()).unwrap();
    assert!(m.contains("\n"), "kept as sent, whitespace included");
    assert_eq!(value(m.as_bytes()), json!({"user_id": "usr_8841", "plan": "pro"}));
    let out = parse(&fixture("lemon_squeezy.order_created.custom-data-array.json"));
    assert!(out.event().unwrap().order.metadata.is_none());
    assert_eq!(codes(&out), owned(&[("invalid_type", "/meta/custom_data")]));
    assert!(!out.issues()[0].is_error());
}

// ---- signatures ----

fn vectors() -> Vec<Value> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/spec/lemon_squeezy.signatures.json");
    let v: Value = serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap();
    v["vectors"].as_array().unwrap().clone()
}

#[test]
fn signature_vectors_verify_or_fail_with_the_listed_code() {
    let vectors = vectors();
    assert!(vectors.len() >= 15);
    for v in &vectors {
        let name = v["name"].as_str().unwrap();
        let headers: Vec<(&str, &str)> =
            v["headers"].as_object().unwrap().iter().map(|(k, x)| (k.as_str(), x.as_str().unwrap())).collect();
        let got = verify::verify(
            Provider::LemonSqueezy,
            v["body"].as_str().unwrap().as_bytes(),
            &Headers::new(&headers),
            v["secret"].as_str().unwrap(),
            v["now"].as_i64().unwrap(),
            verify::DEFAULT_TOLERANCE_SECONDS,
        );
        let code = match &got {
            Ok(verified) => {
                assert_eq!(verified.id, None, "{name}: Lemon Squeezy sends no delivery id");
                "ok".to_owned()
            }
            Err(issue) => {
                assert_eq!(issue.path, "", "{name}");
                issue.code.as_str().to_owned()
            }
        };
        assert_eq!(code, v["expect"].as_str().unwrap(), "{name}");
    }
}

#[test]
fn signature_failures_name_the_header_and_never_the_secret() {
    for v in vectors().iter().filter(|v| v["expect"] != "ok" && v["secret"] != "") {
        let headers: Vec<(&str, &str)> =
            v["headers"].as_object().unwrap().iter().map(|(k, x)| (k.as_str(), x.as_str().unwrap())).collect();
        let secret = v["secret"].as_str().unwrap();
        let err = verify::verify(
            Provider::LemonSqueezy,
            v["body"].as_str().unwrap().as_bytes(),
            &Headers::new(&headers),
            secret,
            0,
            300,
        )
        .unwrap_err();
        assert!(err.message.contains("`x-signature`"), "{}", err.message);
        assert!(!err.message.contains(secret), "{}", err.message);
    }
}
