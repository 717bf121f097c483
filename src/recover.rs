//! Values that are valid JSON but that serde_json cannot hold — a number beyond
//! f64 (`1e400`, 400 digits) or a string with a lone UTF-16 surrogate (`"\ud800"`)
//! — would fail the whole body. This module finds such a value from serde_json's
//! error position, names its JSON Pointer, and blanks it to `null`, so the body is
//! read again and every other issue is still reported.

use crate::issue::{Code, Issue};

/// How many such values one body may have before the usual `invalid_json` stands.
/// Each costs one more read of the body, so the bound keeps a hostile 1 MiB body
/// within the 10 ms budget of tests/ROBUSTNESS.md.
pub(crate) const MAX_REPAIRS: usize = 4;

/// A value blanked to `null`, with the issue that reports it.
pub(crate) struct Repair {
    /// The body with the value replaced by `null`.
    pub text: String,
    /// The issue at the value's JSON Pointer.
    pub issue: Issue,
}

/// If `e` is one of the errors above, the body with that value blanked.
pub(crate) fn repair(text: &str, e: &serde_json::Error) -> Option<Repair> {
    let msg = e.to_string();
    let what = if msg.starts_with("number out of range") {
        "number is too large to represent"
    } else if msg.starts_with("lone leading surrogate") || msg.starts_with("unexpected end of hex escape") {
        "string holds a lone UTF-16 surrogate escape, which is not text"
    } else {
        return None;
    };
    let offset = line_start(text, e.line())? + e.column().checked_sub(1)?;
    let (pointer, start, end) = value_at(text.as_bytes(), offset)?;
    let mut fixed = String::with_capacity(text.len());
    fixed.push_str(&text[..start]);
    fixed.push_str("null");
    fixed.push_str(&text[end..]);
    let issue = Issue::error(Code::InvalidValue, pointer, format!("{what}; the value was not read"));
    Some(Repair { text: fixed, issue })
}

fn line_start(text: &str, line: usize) -> Option<usize> {
    if line <= 1 {
        return Some(0);
    }
    text.match_indices('\n').nth(line - 2).map(|(i, _)| i + 1)
}

enum Frame {
    Object { key: String, want_key: bool },
    Array { index: usize },
}

fn pointer(stack: &[Frame]) -> String {
    let mut p = String::new();
    for f in stack {
        p.push('/');
        match f {
            Frame::Object { key, .. } => p.push_str(&key.replace('~', "~0").replace('/', "~1")),
            Frame::Array { index } => p.push_str(&index.to_string()),
        }
    }
    p
}

/// The JSON Pointer and byte range of the scalar value that contains `offset`.
/// A tolerant scan: it only needs to be right for bodies serde_json read up to there.
fn value_at(b: &[u8], offset: usize) -> Option<(String, usize, usize)> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < b.len() && i <= offset {
        match b[i] {
            b'{' => stack.push(Frame::Object { key: String::new(), want_key: true }),
            b'[' => stack.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array { index }) => *index += 1,
                Some(Frame::Object { want_key, .. }) => *want_key = true,
                None => {}
            },
            b'"' => {
                let start = i;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                let end = (i + 1).min(b.len());
                if let Some(Frame::Object { key, want_key: want @ true }) = stack.last_mut() {
                    *key = String::from_utf8_lossy(&b[start + 1..end.saturating_sub(1).max(start + 1)]).into_owned();
                    *want = false;
                } else if offset < end {
                    return Some((pointer(&stack), start, end));
                }
                i = end;
                continue;
            }
            c if c == b'-' || c.is_ascii_digit() => {
                let start = i;
                while i < b.len() && matches!(b[i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') {
                    i += 1;
                }
                if offset < i {
                    return Some((pointer(&stack), start, i));
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> serde_json::Error {
        serde_json::from_str::<serde_json::Value>(text).unwrap_err()
    }

    #[test]
    fn a_number_beyond_f64_is_blanked_at_its_pointer() {
        let text = "{\"a\": [1, {\"b/c\": 1e400}], \"d\": 2}";
        let r = repair(text, &err(text)).unwrap();
        assert_eq!(r.text, "{\"a\": [1, {\"b/c\": null}], \"d\": 2}");
        assert_eq!((r.issue.code, r.issue.path.as_str()), (Code::InvalidValue, "/a/1/b~1c"));
    }

    #[test]
    fn a_lone_surrogate_is_blanked_on_a_later_line() {
        let text = "{\n  \"x\": \"ok\",\n  \"y\": \"a\\ud800\"\n}";
        let r = repair(text, &err(text)).unwrap();
        assert_eq!(r.text, "{\n  \"x\": \"ok\",\n  \"y\": null\n}");
        assert_eq!(r.issue.path, "/y");
    }

    #[test]
    fn real_syntax_errors_are_left_alone() {
        let text = "{\"a\": 1,, }";
        assert!(repair(text, &err(text)).is_none());
    }
}
