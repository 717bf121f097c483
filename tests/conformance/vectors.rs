//! Voucherify's published signature test vectors (`reference/voucherify/signature-test-vectors.json`).

use orderhook::verify::{self, Verified};
use orderhook::Code;
use serde_json::Value;

use super::read_shared;

fn read_reference(name: &str) -> Vec<u8> {
    read_shared(&format!("reference/voucherify/{name}"))
}

fn vectors() -> Vec<Value> {
    let file: Value = serde_json::from_slice(&read_reference("signature-test-vectors.json")).unwrap();
    file["vectors"].as_array().unwrap().clone()
}

fn vector(n: u64) -> Value {
    vectors().into_iter().find(|v| v["n"] == n).unwrap()
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap()
}

fn voucherify_reference_vectors_verify_or_fail_as_listed() {
    let all = vectors();
    assert_eq!(all.len(), 11, "the reference file changed; review this test");
    for v in &all {
        let message = match v.get("message_file") {
            Some(file) => read_reference(file.as_str().unwrap()),
            None => str_of(v, "message").as_bytes().to_vec(),
        };
        let result = verify::voucherify(&message, Some(str_of(v, "signature")), str_of(v, "secret"));
        let expect_valid = v.get("expect_valid").and_then(Value::as_bool).unwrap_or(true);
        if expect_valid {
            assert_eq!(result, Ok(Verified::default()), "vector {}", v["n"]);
        } else {
            assert_eq!(result.unwrap_err().code, Code::BadSignature, "vector {}", v["n"]);
        }
    }
}

fn voucherify_pretty_file_verifies_with_compact_signature_through_stripping() {
    let (compact, raw) = (vector(10), vector(11));
    assert_eq!(compact["message_file"], raw["message_file"]);
    let pretty = read_reference(str_of(&compact, "message_file"));
    assert!(pretty.starts_with(b"{\n"), "the file is expected to be pretty-printed");
    assert_eq!(
        verify::voucherify(&pretty, Some(str_of(&compact, "signature")), "test-secret"),
        Ok(Verified::default())
    );
    assert_eq!(verify::voucherify(&pretty, Some(str_of(&raw, "signature")), "test-secret"), Ok(Verified::default()));
}

fn voucherify_pretty_forms_of_doc_vectors_verify() {
    let cases: [(u64, &[u8]); 2] = [(1, b"{\n  \"a\": 1\n}"), (2, b"{\n  \"a\\\"b\": 1\n}")];
    for (n, pretty) in cases {
        let v = vector(n);
        let result = verify::voucherify(pretty, Some(str_of(&v, "signature")), str_of(&v, "secret"));
        assert_eq!(result, Ok(Verified::default()), "vector {n}");
    }
}

pub const TESTS: &[(&str, fn())] = &[
    (
        "vectors::voucherify_reference_vectors_verify_or_fail_as_listed",
        voucherify_reference_vectors_verify_or_fail_as_listed,
    ),
    (
        "vectors::voucherify_pretty_file_verifies_with_compact_signature_through_stripping",
        voucherify_pretty_file_verifies_with_compact_signature_through_stripping,
    ),
    ("vectors::voucherify_pretty_forms_of_doc_vectors_verify", voucherify_pretty_forms_of_doc_vectors_verify),
];
