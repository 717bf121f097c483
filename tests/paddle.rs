//! Paddle Billing (docs/providers/paddle.md), one behaviour per test, on fixtures of our
//! own (tests/fixtures/paddle.*, examples/samples/paddle.*). The expected normalized
//! result of each body is in tests/expected/paddle/, written from the fact sheet
//! before the implementation (a second reading of the same rules).

mod common;

use common::*;
use orderhook::verify::{self, Headers};
use orderhook::{Kind, Options, Provider, Status};
use serde_json::{json, Value};

fn expected_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expected/paddle")
}

fn sample(name: &str) -> Vec<u8> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/samples").join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
}

/// The verdict as JSON, with each issue reduced to its code and path (messages are prose).
fn verdict(body: &[u8]) -> Value {
    let out = parse(body);
    let mut v = serde_json::to_value(out.verdict()).unwrap();
    for key in ["errors", "warnings"] {
        if let Some(list) = v.get_mut(key).and_then(Value::as_array_mut) {
            for issue in list.iter_mut() {
                *issue = json!({ "code": issue["code"], "path": issue["path"] });
            }
        }
    }
    v
}

fn warning_codes(out: &orderhook::Outcome) -> Vec<(String, String)> {
    out.warnings().map(|i| (i.code.as_str().to_owned(), i.path.clone())).collect()
}

fn parse_value(v: &Value) -> orderhook::Outcome {
    parse(&serde_json::to_vec(v).unwrap())
}

fn paid() -> Value {
    serde_json::from_slice(&fixture("paddle.transaction.paid.two-items-add-up.json")).unwrap()
}

#[test]
fn every_paddle_fixture_and_sample_gives_its_expected_result() {
    let mut checked = 0;
    for (dir, body_of) in [("fixtures", fixture as fn(&str) -> Vec<u8>), ("samples", sample)] {
        let folder = expected_dir().join(dir);
        let mut names: Vec<_> = std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().file_name()).collect();
        names.sort();
        for name in names {
            let name = name.to_string_lossy();
            let want: Value = serde_json::from_slice(&std::fs::read(folder.join(&*name)).unwrap()).unwrap();
            let mut got = verdict(&body_of(&name));
            if want.get("errors").is_none() {
                got.as_object_mut().unwrap().remove("errors");
            }
            assert_eq!(got, want, "{dir}/{name}");
            checked += 1;
        }
    }
    assert!(checked >= 30, "only {checked} expected results");
}

#[test]
fn paddle_bodies_are_detected_by_their_envelope() {
    for name in ["paddle.transaction.paid.two-items-add-up.json", "paddle.adjustment.created.chargeback.json"] {
        let d = orderhook::detect(&fixture(name)).unwrap_or_else(|| panic!("{name} not detected"));
        assert_eq!(d.provider, Provider::Paddle, "{name}");
    }
}

#[test]
fn detection_does_not_depend_on_data_coming_after_the_event_type() {
    let d = orderhook::detect(&fixture("paddle.transaction.paid.data-first.json")).unwrap();
    assert_eq!((d.provider, d.event_type.as_deref()), (Provider::Paddle, Some("transaction.paid")));
}

#[test]
fn a_non_order_paddle_event_is_paddle_but_unsupported() {
    let body = fixture("paddle.subscription.activated.unsupported.json");
    assert_eq!(orderhook::detect(&body).unwrap().provider, Provider::Paddle);
    assert_eq!(error_codes(&parse(&body)), owned(&[("unsupported_event", "/event_type")]));
}

#[test]
fn amounts_are_integer_strings_in_minor_units() {
    let e = parse(&fixture("paddle.transaction.paid.two-items-add-up.json")).into_result().unwrap().0;
    assert_eq!(
        (amount(e.order.subtotal), amount(e.order.tax), amount(e.order.total)),
        (Some(6500), Some(1300), Some(7800))
    );
}

#[test]
fn a_decimal_string_amount_is_an_invalid_value_not_a_rounded_number() {
    let out = parse(&fixture("paddle.transaction.paid.decimal-amount.json"));
    assert_eq!(error_codes(&out), owned(&[("invalid_value", "/data/details/totals/total")]));
}

#[test]
fn an_amount_sent_as_a_json_number_is_the_wrong_type() {
    let out = parse(&fixture("paddle.transaction.paid.amount-as-number.json"));
    assert_eq!(error_codes(&out), owned(&[("invalid_type", "/data/details/totals/subtotal")]));
}

#[test]
fn amount_strings_with_signs_spaces_or_beyond_2_53_are_invalid_values() {
    for bad in ["+7800", " 7800", "7800 ", "", "-", "1e3", "9007199254740992", "0x10"] {
        let mut v = paid();
        v["data"]["details"]["totals"]["total"] = json!(bad);
        assert_eq!(error_codes(&parse_value(&v)), owned(&[("invalid_value", "/data/details/totals/total")]), "{bad:?}");
    }
}

#[test]
fn negative_amounts_from_a_prorated_downgrade_are_kept() {
    let e = parse(&fixture("paddle.transaction.completed.negative-proration.json")).into_result().unwrap().0;
    assert_eq!((amount(e.order.subtotal), amount(e.order.total)), (Some(-1500), Some(-1800)));
    assert_eq!(amount(e.order.items[0].unit_price), Some(-2400));
}

#[test]
fn yen_amounts_have_no_decimal_places() {
    let e = parse(&fixture("paddle.transaction.completed.zero-decimal-yen.json")).into_result().unwrap().0;
    assert_eq!((e.order.currency.map(|c| c.to_string()), e.order.currency_digits), (Some("JPY".into()), Some(0)));
    assert_eq!(amount(e.order.total), Some(7920));
}

#[test]
fn a_total_that_is_not_subtotal_minus_discount_plus_tax_is_a_warning() {
    let out = parse(&fixture("paddle.transaction.paid.total-mismatch.json"));
    assert!(out.is_ok());
    assert_eq!(warning_codes(&out), owned(&[("amount_mismatch", "/data/details/totals/total")]));
}

#[test]
fn line_items_that_do_not_add_up_to_the_subtotal_are_a_warning() {
    let mut v = paid();
    v["data"]["details"]["line_items"][1]["totals"]["subtotal"] = json!("501");
    let out = parse_value(&v);
    assert_eq!(warning_codes(&out), owned(&[("amount_mismatch", "/data/details/totals/subtotal")]));
}

#[test]
fn line_items_come_from_details_with_totals_after_line_discounts_before_tax() {
    let e = parse(&fixture("paddle.transaction.paid.line-discounts.json")).into_result().unwrap().0;
    let it = &e.order.items[0];
    assert_eq!((it.name.as_deref(), it.quantity, it.sku.as_deref()), (Some("Cartograph Solo"), 3, None));
    assert_eq!(
        (amount(it.unit_price), amount(it.discount), amount(it.tax), amount(it.total)),
        (Some(900), Some(270), Some(486), Some(2430))
    );
    assert!(it.product_id.as_deref().unwrap().starts_with("pro_"));
}

#[test]
fn a_line_item_without_quantity_is_an_error() {
    let mut v = paid();
    v["data"]["details"]["line_items"][0].as_object_mut().unwrap().remove("quantity");
    assert_eq!(error_codes(&parse_value(&v)), owned(&[("missing_field", "/data/details/line_items/0/quantity")]));
}

#[test]
fn null_details_give_an_order_without_totals_or_items() {
    let e = parse(&fixture("paddle.transaction.paid.null-details.json")).into_result().unwrap().0;
    assert_eq!((e.order.total, e.order.items.len()), (None, 0));
}

#[test]
fn paid_and_completed_are_both_paid() {
    for name in ["paddle.transaction.paid.json", "paddle.transaction.completed.json"] {
        let e = parse(&sample(name)).into_result().unwrap().0;
        assert_eq!((e.kind, e.order.status), (Kind::Paid, Status::Paid), "{name}");
    }
}

#[test]
fn past_due_is_an_update_to_an_order_not_yet_paid() {
    let e = parse(&sample("paddle.transaction.past_due.json")).into_result().unwrap().0;
    assert_eq!(
        (e.kind, e.order.status, e.order.provider_status.as_deref()),
        (Kind::Updated, Status::Pending, Some("past_due"))
    );
}

#[test]
fn a_draft_checkout_has_no_customer_yet() {
    let e = parse(&fixture("paddle.transaction.created.draft-without-customer.json")).into_result().unwrap().0;
    assert_eq!((e.kind, e.order.status), (Kind::Created, Status::Pending));
    assert!(e.order.customer.is_none());
}

#[test]
fn the_customer_is_an_id_only_and_addresses_are_never_in_the_event() {
    let e = parse(&sample("paddle.transaction.completed.json")).into_result().unwrap().0;
    let c = e.order.customer.unwrap();
    assert!(c.id.as_deref().unwrap().starts_with("ctm_"));
    assert_eq!((c.email, c.name), (None, None));
    assert!(e.order.billing_address.is_none() && e.order.shipping_address.is_none());
}

#[test]
fn custom_data_is_the_metadata_byte_for_byte() {
    let e = parse(&sample("paddle.transaction.paid.json")).into_result().unwrap().0;
    let text = String::from_utf8(sample("paddle.transaction.paid.json")).unwrap();
    let raw = e.order.metadata.unwrap();
    assert!(text.contains(raw.get()), "{}", raw.get());
    assert!(raw.get().contains("\"workspace\": \"ws_4812\""));
}

#[test]
fn custom_data_that_is_not_an_object_is_an_error() {
    let out = parse(&fixture("paddle.transaction.paid.custom-data-not-an-object.json"));
    assert_eq!(error_codes(&out), owned(&[("invalid_type", "/data/custom_data")]));
}

#[test]
fn nine_and_four_digit_fractions_keep_their_precision() {
    let e = parse(&fixture("paddle.transaction.completed.nanosecond-times.json")).into_result().unwrap().0;
    assert_eq!(ts(e.order.created_at).as_deref(), Some("2026-03-14T10:12:33.2014Z"));
    assert_eq!(ts(e.order.updated_at).as_deref(), Some("2026-03-14T10:21:08.738971238Z"));
}

#[test]
fn an_unknown_transaction_status_is_kept_with_a_warning() {
    let out = parse(&fixture("paddle.transaction.completed.unknown-status.json"));
    let e = out.event().unwrap();
    assert_eq!((e.order.status, e.order.provider_status.as_deref()), (Status::Unknown, Some("on_hold")));
    assert_eq!(warning_codes(&out), owned(&[("unknown_enum", "/data/status")]));
}

#[test]
fn an_unknown_transaction_event_is_kind_unknown_and_an_error_when_strict() {
    let body = fixture("paddle.transaction.disputed.unknown-event.json");
    assert_eq!(parse(&body).event().unwrap().kind, Kind::Unknown);
    let strict = orderhook::parse(&body, &Options { strict: true, ..Options::default() });
    assert_eq!(error_codes(&strict), owned(&[("unknown_enum", "/event_type")]));
}

#[test]
fn manual_invoice_events_beyond_the_main_ones_are_updates() {
    let e = parse(&fixture("paddle.transaction.billed.manual-invoice.json")).into_result().unwrap().0;
    assert_eq!(
        (e.kind, e.order.status, e.order.number.as_deref()),
        (Kind::Updated, Status::Pending, Some("4217-10032"))
    );
}

#[test]
fn an_approved_partial_refund_is_a_refund_of_its_own_amount() {
    let e = parse(&fixture("paddle.adjustment.updated.partial-refund-approved.json")).into_result().unwrap().0;
    assert_eq!((e.kind, e.order.status), (Kind::Refunded, Status::PartiallyRefunded));
    assert_eq!(amount(e.order.refunded), Some(1440));
    assert!(e.order.id.starts_with("txn_"), "the order is the refunded transaction: {}", e.order.id);
}

#[test]
fn an_approved_full_refund_refunds_the_order() {
    let e = parse(&fixture("paddle.adjustment.updated.full-refund-approved.json")).into_result().unwrap().0;
    assert_eq!((e.kind, e.order.status, amount(e.order.refunded)), (Kind::Refunded, Status::Refunded, Some(7800)));
}

#[test]
fn a_refund_awaiting_approval_has_returned_nothing_yet() {
    let e = parse(&fixture("paddle.adjustment.created.refund-pending-approval.json")).into_result().unwrap().0;
    assert_eq!((e.kind, e.order.status, e.order.refunded), (Kind::Updated, Status::Paid, None));
    assert_eq!(e.order.provider_status.as_deref(), Some("pending_approval"));
}

#[test]
fn a_rejected_refund_leaves_the_order_paid() {
    let e = parse(&fixture("paddle.adjustment.updated.refund-rejected.json")).into_result().unwrap().0;
    assert_eq!((e.kind, e.order.status), (Kind::Updated, Status::Paid));
}

#[test]
fn an_approved_chargeback_is_a_refund() {
    let e = parse(&fixture("paddle.adjustment.created.chargeback.json")).into_result().unwrap().0;
    assert_eq!((e.kind, e.order.status, amount(e.order.refunded)), (Kind::Refunded, Status::Refunded, Some(7800)));
}

#[test]
fn a_credit_on_an_invoice_leaves_it_unpaid() {
    let e = parse(&fixture("paddle.adjustment.created.credit-on-invoice.json")).into_result().unwrap().0;
    assert_eq!((e.kind, e.order.status, e.order.refunded), (Kind::Updated, Status::Pending, None));
}

#[test]
fn the_zero_time_as_updated_at_means_not_updated() {
    let out = parse(&fixture("paddle.adjustment.created.zero-updated-at.json"));
    let e = out.event().unwrap();
    assert_eq!(ts(e.order.updated_at).as_deref(), Some("2026-03-20T09:48:20.297512Z"));
    assert!(out.issues().is_empty(), "{:?}", out.issues());
}

#[test]
fn an_unknown_adjustment_action_is_kept_with_a_warning() {
    let mut v: Value = serde_json::from_slice(&fixture("paddle.adjustment.created.chargeback.json")).unwrap();
    v["data"]["action"] = json!("goodwill");
    let out = parse_value(&v);
    let e = out.event().unwrap();
    assert_eq!((e.kind, e.order.status, e.order.refunded), (Kind::Updated, Status::Unknown, None));
    assert_eq!(warning_codes(&out), owned(&[("unknown_enum", "/data/action")]));
}

#[test]
fn an_adjustment_of_type_null_is_partial_as_paddle_defaults() {
    let mut v: Value = serde_json::from_slice(&fixture("paddle.adjustment.updated.full-refund-approved.json")).unwrap();
    v["data"]["type"] = Value::Null;
    assert_eq!(parse_value(&v).event().unwrap().order.status, Status::PartiallyRefunded);
}

#[test]
fn required_envelope_fields_are_errors_at_their_paths() {
    let mut v = paid();
    for key in ["event_id", "occurred_at"] {
        v.as_object_mut().unwrap().remove(key);
    }
    v["data"]["id"] = Value::Null;
    assert_eq!(
        error_codes(&parse_value(&v)),
        owned(&[("missing_field", "/event_id"), ("missing_field", "/occurred_at"), ("invalid_type", "/data/id")])
    );
}

#[test]
fn every_sample_is_a_different_event_with_its_own_id() {
    let mut ids: Vec<String> = ["created", "paid", "completed", "canceled", "past_due"]
        .iter()
        .map(|e| format!("paddle.transaction.{e}.json"))
        .chain(["paddle.adjustment.created.json".to_owned(), "paddle.adjustment.updated.json".to_owned()])
        .map(|name| parse(&sample(&name)).into_result().unwrap().0.event_id.unwrap())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 7, "a receiver de-duplicating on event_id would drop one: {ids:?}");
}

#[test]
fn the_event_id_is_the_delivery_id_to_deduplicate_on() {
    let e = parse(&sample("paddle.transaction.paid.json")).into_result().unwrap().0;
    assert!(e.event_id.as_deref().unwrap().starts_with("evt_"));
}

#[test]
fn signature_vectors_give_their_recorded_verdicts() {
    // tests/vectors/paddle.json: made with node:crypto, each also run through Paddle's Node SDK.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/paddle.json");
    let file: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let vectors = file["vectors"].as_array().unwrap();
    assert!(vectors.len() >= 30);
    for v in vectors {
        let pairs: Vec<(&str, &str)> =
            v["headers"].as_object().unwrap().iter().map(|(k, x)| (k.as_str(), x.as_str().unwrap())).collect();
        let got = verify::verify(
            Provider::Paddle,
            v["body"].as_str().unwrap().as_bytes(),
            &Headers::new(&pairs),
            v["secret"].as_str().unwrap(),
            v["now"].as_i64().unwrap(),
            v["toleranceSeconds"].as_i64().unwrap(),
        );
        let verdict = match &got {
            Ok(verified) => {
                assert_eq!(verified.id, None, "Paddle's delivery id is in the body");
                "ok"
            }
            Err(issue) => issue.code.as_str(),
        };
        assert_eq!(verdict, v["expect"].as_str().unwrap(), "{}: {got:?}", v["name"]);
    }
}

#[test]
fn an_empty_secret_is_refused_before_the_header_is_read() {
    let err = verify::verify(Provider::Paddle, b"{}", &Headers::default(), "", 0, 300).unwrap_err();
    assert_eq!(err.code.as_str(), "invalid_secret");
}
