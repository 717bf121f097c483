//! The result text the wasm layer returns (`Verdict::to_json`, written directly)
//! is byte for byte what serde_json writes from the same verdict, on every payload
//! in the repository, with and without the body as read (`source`).

use std::path::PathBuf;

use orderhook::{Options, Provider, TimeZone};

fn payloads() -> Vec<(String, Vec<u8>)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in ["examples/samples", "tests/fixtures"] {
        let mut files: Vec<_> = std::fs::read_dir(root.join(dir)).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        for f in files {
            out.push((f.display().to_string(), std::fs::read(&f).unwrap()));
        }
    }
    out
}

#[test]
fn the_result_text_is_what_serde_json_writes_on_every_payload() {
    let option_sets = [
        Options::default(),
        Options { strict: true, event_id: Some("evt \"1\"\n".into()), ..Options::default() },
        Options {
            provider: Some(Provider::Vrio),
            time_zone: Some(TimeZone::parse("-05:30").unwrap()),
            ..Options::default()
        },
        Options { max_bytes: 10, ..Options::default() },
    ];
    let mut checked = 0;
    for (name, body) in payloads() {
        for options in &option_sets {
            for include_source in [false, true] {
                let out = orderhook::parse(&body, &Options { include_source, ..options.clone() });
                let v = out.verdict();
                assert_eq!(v.to_json(), serde_json::to_string(&v).unwrap(), "{name}");
                checked += 1;
            }
        }
    }
    assert!(checked > 100);
}

#[test]
fn control_characters_and_quotes_in_strings_are_escaped_as_serde_json_escapes_them() {
    let mut body = String::from(r#"{"type":"order.paid","data":{"id":"#);
    body.push('"');
    for c in (0u8..0x20).chain([b'"', b'\\', b'/', 0x7f]) {
        body.push_str(&format!("\\u{:04x}", c));
    }
    body.push_str(r#" é 😀","status":"paid","currency":"eur"}}"#);
    for include_source in [false, true] {
        let out = orderhook::parse(body.as_bytes(), &Options { include_source, ..Options::default() });
        let v = out.verdict();
        assert_eq!(v.to_json(), serde_json::to_string(&v).unwrap());
    }
}
