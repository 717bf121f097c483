//! Shared test helpers: our own fixtures (tests/fixtures), the JSON inside a
//! document page, short views of an Outcome's issues, and the one gate of the
//! optional conformance suite (`shared_dir`).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use orderhook::{Options, Outcome};

/// The variable that points the conformance suite at the project's reference
/// documents (default: the `shared` folder beside the repository).
pub const SHARED_ENV: &str = "ORDERHOOK_SHARED";

/// The reference documents' folder, when it exists. Only the conformance suite
/// (tests/conformance) may call this: every other test reads tests/fixtures.
/// `ORDERHOOK_SHARED=/nonexistent` hides the folder (CI does, to prove it).
pub fn shared_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os(SHARED_ENV) {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("shared"),
    };
    dir.is_dir().then_some(dir)
}

pub fn fixture(name: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
}

/// The JSON inside a document page: from the first `{` to its matching `}`
/// (strings and escapes respected), or to the end when it never closes.
pub fn extract_json(text: &str) -> String {
    let Some(start) = text.find('{') else { return text.to_owned() };
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

/// The JSON of a document-page fixture (`tests/fixtures/*.txt`).
pub fn fixture_json(name: &str) -> String {
    extract_json(&String::from_utf8(fixture(name)).expect("a UTF-8 fixture"))
}

/// Every fixture's name, sorted.
pub fn fixture_names() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

pub fn parse(body: &[u8]) -> Outcome {
    orderhook::parse(body, &Options::default())
}

/// `(code, path)` of every issue, in order.
pub fn codes(out: &Outcome) -> Vec<(String, String)> {
    out.issues().iter().map(|i| (i.code.to_string(), i.path.clone())).collect()
}

/// `(code, path)` of the errors only.
pub fn error_codes(out: &Outcome) -> Vec<(String, String)> {
    out.errors().map(|i| (i.code.to_string(), i.path.clone())).collect()
}

/// `(code, path)` pairs, owned, to compare with [`codes`] or [`error_codes`].
pub fn owned(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(c, p)| (c.to_string(), p.to_string())).collect()
}

pub fn has(out: &Outcome, code: &str, path: &str) -> bool {
    out.issues().iter().any(|i| i.code.as_str() == code && i.path == path)
}

pub fn amount(v: Option<orderhook::MinorUnits>) -> Option<i64> {
    v.map(|m| m.get())
}

pub fn ts(v: Option<orderhook::Timestamp>) -> Option<String> {
    v.map(|t| t.to_string())
}
