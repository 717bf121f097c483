//! Shared test helpers: reading ../shared (never copied into the repository),
//! our own fixtures, and short views of an Outcome's issues.
#![allow(dead_code)]

use std::path::PathBuf;

use orderhook::{Options, Outcome};

pub fn shared(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared").join(rel)
}

pub fn read_shared(rel: &str) -> Vec<u8> {
    std::fs::read(shared(rel)).unwrap_or_else(|e| panic!("read ../shared/{rel}: {e}"))
}

pub fn fixture(name: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
}

/// The JSON of a seed document: from the first `{` to its matching `}`.
pub fn seed_json(prefix: &str) -> String {
    let dir = shared("seeds");
    let entry = std::fs::read_dir(&dir)
        .expect("seeds dir")
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap_or_else(|| panic!("no seed {prefix}"));
    let text = std::fs::read_to_string(entry).unwrap();
    let start = text.find('{').expect("a `{` in the seed");
    let (mut depth, mut in_str, mut esc) = (0i32, false, false);
    for (i, c) in text[start..].char_indices() {
        if in_str {
            match (esc, c) {
                (true, _) => esc = false,
                (false, '\\') => esc = true,
                (false, '"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return text[start..start + i + 1].to_owned();
                }
            }
            _ => {}
        }
    }
    text[start..].to_owned()
}

pub fn parse(body: &[u8]) -> Outcome {
    orderhook::parse(body, &Options::default())
}

/// `(code, path)` of every issue, in order.
pub fn codes(out: &Outcome) -> Vec<(String, String)> {
    out.issues.iter().map(|i| (i.code.to_string(), i.path.clone())).collect()
}

/// `(code, path)` of the errors only.
pub fn error_codes(out: &Outcome) -> Vec<(String, String)> {
    out.errors().map(|i| (i.code.to_string(), i.path.clone())).collect()
}

pub fn has(out: &Outcome, code: &str, path: &str) -> bool {
    out.issues.iter().any(|i| i.code.as_str() == code && i.path == path)
}

pub fn amount(v: Option<orderhook::MinorUnits>) -> Option<i64> {
    v.map(|m| m.get())
}

pub fn ts(v: Option<orderhook::Timestamp>) -> Option<String> {
    v.map(|t| t.to_string())
}
