//! Values that are valid JSON but that orderhook cannot take whole — a number
//! beyond f64 (`1e400`, 400 digits), a string with a lone UTF-16 surrogate
//! (`"\ud800"`), or nesting deeper than [`MAX_DEPTH`] — would fail the whole body
//! or break the caller (`JSON.stringify` of a 5,000-deep value throws). Each is
//! reported as `invalid_value` at its JSON Pointer and blanked to `null` padded
//! with spaces, the same length, so the body reads again and every later
//! position (of a syntax error, say) is exactly where it was.

use crate::issue::{json_error, offset_of, Code, Issue, Issues};

/// How many such values one body may have before the rest stand as they are.
/// Each costs one more read of the body, so the bound keeps a hostile 1 MiB body
/// within the 10 ms budget of tests/ROBUSTNESS.md.
pub(crate) const MAX_REPAIRS: usize = 4;

/// The deepest nesting of arrays and objects accepted anywhere in a body (the
/// body itself is level 1): serde_json's own recursion limit, which JavaScript
/// engines also stringify without running out of stack.
pub const MAX_DEPTH: usize = 128;

/// Read `text` (which starts `base` bytes into the body) with `read`, blanking
/// what cannot be read and reading again, at most [`MAX_REPAIRS`] times. Every
/// issue lands in `issues` in body order; a syntax error becomes one
/// `invalid_json` issue with its position, and `None` is returned.
pub(crate) fn read_repairing<T>(
    text: &str,
    base: usize,
    issues: &mut Issues,
    mut read: impl FnMut(&str, &mut Issues) -> Result<T, serde_json::Error>,
) -> Option<T> {
    let mut blanked: Option<String> = None;
    let mut repairs: Vec<(usize, Issue)> = Vec::new();
    let blank = |blanked: &mut Option<String>, repairs: &mut Vec<(usize, Issue)>, r: Repair| {
        let s = blanked.get_or_insert_with(|| text.to_owned());
        s.replace_range(r.start..r.end, &blank_of(r.end - r.start));
        repairs.push((r.start, r.issue));
    };
    while repairs.len() < MAX_REPAIRS {
        match too_deep(blanked.as_deref().unwrap_or(text).as_bytes()) {
            Some(r) => blank(&mut blanked, &mut repairs, r),
            None => break,
        }
    }
    let (result, scratch) = loop {
        let current = blanked.as_deref().unwrap_or(text);
        let mut scratch = Issues::new(issues.is_strict());
        match read(current, &mut scratch) {
            Ok(v) => break (Some(v), scratch),
            Err(e) => match classify(current, &e).filter(|_| repairs.len() < MAX_REPAIRS) {
                Some(r) => blank(&mut blanked, &mut repairs, r),
                None => {
                    scratch.push(json_error(&e, current, base));
                    break (None, scratch);
                }
            },
        }
    };
    merge(issues, scratch, repairs, blanked.as_deref().unwrap_or(text), base);
    result
}

/// `null` and spaces, `len` bytes (never less than 4: every blanked value is longer).
fn blank_of(len: usize) -> String {
    let mut s = String::with_capacity(len.max(4));
    s.push_str("null");
    s.extend(std::iter::repeat(' ').take(len.saturating_sub(4)));
    s
}

/// Move `found` into `issues`, with each repair in place of the issues its blank
/// caused (a `null` where a value was required) or else before the first issue
/// at a later place in the body.
fn merge(issues: &mut Issues, found: Issues, repairs: Vec<(usize, Issue)>, text: &str, base: usize) {
    let mut list = found.into_vec();
    if !repairs.is_empty() {
        // Where each issue is in the body: its value's start, or its own position
        // (a syntax error); a body-wide issue has none and keeps its place.
        let mut placed: Vec<(Issue, Option<usize>)> = {
            let starts = value_starts(text.as_bytes(), list.iter().map(|i| i.path.as_str()));
            list.into_iter()
                .zip(starts)
                .map(|(i, s)| {
                    let s = i.position.map(|p| p.offset.saturating_sub(base)).or(s);
                    (i, s)
                })
                .collect()
        };
        for (start, issue) in repairs {
            let at = placed
                .iter()
                .position(|(i, _)| i.path == issue.path)
                .or_else(|| placed.iter().position(|(_, s)| s.is_some_and(|s| s > start)));
            placed.retain(|(i, _)| i.path != issue.path || i.code == Code::TooManyIssues);
            let mut at = at.unwrap_or(placed.len()).min(placed.len());
            // Keep a closing `too_many_issues` last.
            if at == placed.len() && placed.last().is_some_and(|(i, _)| i.code == Code::TooManyIssues) {
                at -= 1;
            }
            placed.insert(at, (issue, Some(start)));
        }
        list = placed.into_iter().map(|(i, _)| i).collect();
    }
    for issue in list {
        issues.push(issue);
    }
}

/// A value to blank and the issue that reports it.
struct Repair {
    start: usize,
    end: usize,
    issue: Issue,
}

/// If `e` was raised by a value that is valid JSON but cannot be held, that
/// value; decided from the body's bytes at the error, never from the message.
fn classify(text: &str, e: &serde_json::Error) -> Option<Repair> {
    if !e.is_data() && !e.is_syntax() {
        return None;
    }
    let b = text.as_bytes();
    let offset = offset_of(text, e.line(), e.column());
    let (pointer, start, end) = locate(b, offset)?;
    let value = &text[start..end];
    let what = match b[start] {
        // A number in JSON's grammar that serde_json still refuses is out of f64's range.
        b'-' | b'0'..=b'9' if is_number(value) && serde_json::from_str::<f64>(value).is_err() => {
            "number is too large to represent"
        }
        b'"' if string_fault(value) == Some(StringFault::LoneSurrogate) => {
            "string holds a lone UTF-16 surrogate escape, which is not text"
        }
        _ => return None,
    };
    let issue = Issue::error(Code::InvalidValue, pointer, format!("{what}; the value was not read"));
    Some(Repair { start, end, issue })
}

/// The first array or object nested deeper than [`MAX_DEPTH`], whole.
fn too_deep(b: &[u8]) -> Option<Repair> {
    // Every level is a `[` or `{` byte: with fewer of them no value can be too deep,
    // and counting them is much cheaper than following strings.
    if b.iter().filter(|&&c| c == b'[' || c == b'{').count() <= MAX_DEPTH {
        return None;
    }
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => i = skip_string(b, i),
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    let (pointer, start, end) = locate(b, i)?;
                    let message = format!(
                        "value is nested more than {MAX_DEPTH} levels deep, which orderhook does not accept; \
                         the value was not read"
                    );
                    return Some(Repair { start, end, issue: Issue::error(Code::InvalidValue, pointer, message) });
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

/// The index of the closing quote of the string that opens at `i` (or the end).
fn skip_string(b: &[u8], mut i: usize) -> usize {
    i += 1;
    while i < b.len() && b[i] != b'"' {
        i += if b[i] == b'\\' { 2 } else { 1 };
    }
    i.min(b.len())
}

/// The end (exclusive) of the array or object that opens at `i`, if it closes.
fn skip_container(b: &[u8], mut i: usize) -> Option<usize> {
    let mut depth = 0usize;
    while i < b.len() {
        match b[i] {
            b'"' => i = skip_string(b, i),
            b'[' | b'{' => depth += 1,
            b']' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Whether `s` is a number in JSON's grammar.
fn is_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let from = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i > from
    };
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            digits(&mut i);
        }
        _ => return false,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if !digits(&mut i) {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return false;
        }
    }
    i == b.len()
}

#[derive(Debug, PartialEq, Eq)]
enum StringFault {
    LoneSurrogate,
    Other,
}

/// What is wrong with the quoted string `s` (quotes included): `Other` if it is
/// not a JSON string at all, `LoneSurrogate` if that is its only fault.
fn string_fault(s: &str) -> Option<StringFault> {
    let b = s.as_bytes();
    if b.len() < 2 || b[0] != b'"' || b[b.len() - 1] != b'"' {
        return Some(StringFault::Other);
    }
    let hex4 = |i: usize| -> Option<u16> {
        let h = b.get(i..i + 4)?;
        u16::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok().filter(|_| h.iter().all(u8::is_ascii_hexdigit))
    };
    let body_end = b.len() - 1;
    let mut lone = false;
    let mut i = 1;
    while i < body_end {
        match b[i] {
            b'\\' => match b.get(i + 1) {
                Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => i += 2,
                Some(b'u') => {
                    let Some(unit) = hex4(i + 2) else { return Some(StringFault::Other) };
                    i += 6;
                    match unit {
                        0xD800..=0xDBFF => {
                            let low = (b.get(i) == Some(&b'\\') && b.get(i + 1) == Some(&b'u'))
                                .then(|| hex4(i + 2))
                                .flatten();
                            match low {
                                Some(0xDC00..=0xDFFF) => i += 6,
                                _ => lone = true,
                            }
                        }
                        0xDC00..=0xDFFF => lone = true,
                        _ => {}
                    }
                }
                _ => return Some(StringFault::Other),
            },
            0x00..=0x1F => return Some(StringFault::Other),
            _ => i += 1,
        }
    }
    lone.then_some(StringFault::LoneSurrogate)
}

enum Frame {
    Object { key: String, want_key: bool },
    Array { index: usize },
}

fn push_pointer(p: &mut String, stack: &[Frame]) {
    for f in stack {
        p.push('/');
        match f {
            Frame::Object { key, .. } => p.push_str(&key.replace('~', "~0").replace('/', "~1")),
            Frame::Array { index } => p.push_str(&index.to_string()),
        }
    }
}

/// Walks the body's values in order, calling `visit(stack, start)` at the first
/// byte of each (object keys are not values) until it returns `true`. A tolerant
/// scan: it only needs to be right for the part of a body serde_json could read.
fn walk_values(b: &[u8], mut visit: impl FnMut(&[Frame], usize) -> bool) {
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let is_key = matches!(stack.last(), Some(Frame::Object { want_key: true, .. }));
        match b[i] {
            c @ (b'{' | b'[') if !is_key => {
                if visit(&stack, i) {
                    return;
                }
                stack.push(if c == b'{' {
                    Frame::Object { key: String::new(), want_key: true }
                } else {
                    Frame::Array { index: 0 }
                });
            }
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array { index }) => *index += 1,
                Some(Frame::Object { want_key, .. }) => *want_key = true,
                None => {}
            },
            b'"' => {
                let end = (skip_string(b, i) + 1).min(b.len());
                if let Some(Frame::Object { key, want_key: want @ true }) = stack.last_mut() {
                    let inner = &b[i + 1..end.saturating_sub(1).max(i + 1)];
                    *key = json_string(&b[i..end]).unwrap_or_else(|| String::from_utf8_lossy(inner).into_owned());
                    *want = false;
                } else if visit(&stack, i) {
                    return;
                }
                i = end;
                continue;
            }
            b'-' | b'0'..=b'9' | b't' | b'f' | b'n' if !is_key => {
                if visit(&stack, i) {
                    return;
                }
                i = scalar_end(b, i);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
}

/// The end (exclusive) of the number or literal that starts at `i`.
fn scalar_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && !matches!(b[i], b',' | b'}' | b']' | b'"' | b' ' | b'\n' | b'\r' | b'\t') {
        i += 1;
    }
    i
}

/// The JSON Pointer and byte range of the value at `offset`: the scalar that
/// contains it (or ends just before it), or the array or object that opens there.
fn locate(b: &[u8], offset: usize) -> Option<(String, usize, usize)> {
    let mut found = None;
    walk_values(b, |stack, start| {
        if start > offset {
            return true;
        }
        let end = match b[start] {
            b'{' | b'[' if start < offset => return false,
            b'{' | b'[' => skip_container(b, start),
            b'"' => Some((skip_string(b, start) + 1).min(b.len())),
            _ => Some(scalar_end(b, start)),
        };
        match end {
            Some(end) if offset > end => false,
            Some(end) => {
                let mut p = String::new();
                push_pointer(&mut p, stack);
                found = Some((p, start, end));
                true
            }
            None => true, // an array or object that never closes
        }
    });
    found
}

/// A quoted JSON string's text (through the `&str` reader the providers use,
/// so no second copy of serde_json's parser is linked).
fn json_string(quoted: &[u8]) -> Option<String> {
    serde_json::from_str::<String>(std::str::from_utf8(quoted).ok()?).ok()
}

/// Where each of `pointers` starts in the body, in one scan; `None` for `""` and
/// for pointers not found. Only run when a repair must be placed in body order.
fn value_starts<'p>(b: &[u8], pointers: impl Iterator<Item = &'p str>) -> Vec<Option<usize>> {
    let wanted: Vec<&str> = pointers.collect();
    let mut starts = vec![None; wanted.len()];
    let mut current = String::new();
    walk_values(b, |stack, at| {
        current.clear();
        push_pointer(&mut current, stack);
        for (w, s) in wanted.iter().zip(starts.iter_mut()) {
            if s.is_none() && !w.is_empty() && *w == current {
                *s = Some(at);
            }
        }
        false
    });
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (Option<serde_json::Value>, Vec<Issue>) {
        let mut issues = Issues::new(false);
        let v = read_repairing(text, 0, &mut issues, |t, _| serde_json::from_str::<serde_json::Value>(t));
        (v, issues.into_vec())
    }

    #[test]
    fn a_number_beyond_f64_is_blanked_at_its_pointer() {
        let (v, issues) = run("{\"a\": [1, {\"b/c\": 1e400}], \"d\": 2}");
        assert_eq!(v.unwrap(), serde_json::json!({"a": [1, {"b/c": null}], "d": 2}));
        assert_eq!((issues[0].code, issues[0].path.as_str()), (Code::InvalidValue, "/a/1/b~1c"));
    }

    #[test]
    fn a_lone_surrogate_is_blanked_on_a_later_line() {
        let (v, issues) = run("{\n  \"x\": \"ok\",\n  \"y\": \"a\\ud800\"\n}");
        assert_eq!(v.unwrap(), serde_json::json!({"x": "ok", "y": null}));
        assert_eq!(issues[0].path, "/y");
    }

    #[test]
    fn a_blank_keeps_later_syntax_error_positions() {
        let text = r#"{"type":"order.paid","timestamp":"\ud800","data":{"id":"o1","x":1,}}"#;
        let (v, issues) = run(text);
        assert!(v.is_none());
        let syntax = issues.iter().find(|i| i.code == Code::InvalidJson).unwrap();
        let pos = syntax.position.unwrap();
        assert_eq!(text.as_bytes()[pos.offset], b',', "{pos:?}");
        assert_eq!((pos.offset, pos.line, pos.column), (65, 1, 66));
        assert_eq!(issues[0].path, "/timestamp");
    }

    #[test]
    fn real_syntax_errors_and_lookalikes_are_left_alone() {
        for text in
            ["{\"a\": 1,, }", "{\"a\": 1", "{\"a\": 01}", "{\"a\": \"\\ud800\\x\"}", "{\"a\": \"\u{1}\\ud800\"}"]
        {
            let (v, issues) = run(text);
            assert!(v.is_none(), "{text}");
            assert_eq!(issues.iter().map(|i| i.code).collect::<Vec<_>>(), [Code::InvalidJson], "{text}");
        }
    }

    #[test]
    fn nesting_past_the_limit_is_blanked_whole() {
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let text = format!("{{\"a\":1,\"meta\":{{\"k\":{deep}}},\"z\":true}}");
        let mut issues = Issues::new(false);
        let mut seen = String::new();
        read_repairing(&text, 0, &mut issues, |t, _| {
            seen = t.to_owned();
            Ok(())
        });
        let list = issues.into_vec();
        let pad = " ".repeat(2 * (200 - (MAX_DEPTH - 2)) - 4);
        let inner = format!("{}null{pad}{}", "[".repeat(MAX_DEPTH - 2), "]".repeat(MAX_DEPTH - 2));
        assert_eq!(seen.len(), text.len());
        assert_eq!(seen, text.replace(&deep, &inner));
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].code, Code::InvalidValue);
        assert_eq!(list[0].path, format!("/meta/k{}", "/0".repeat(MAX_DEPTH - 2)));
    }

    #[test]
    fn nesting_at_the_limit_is_accepted() {
        let text = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        let mut issues = Issues::new(false);
        let mut seen = String::new();
        read_repairing(&text, 0, &mut issues, |t, _| {
            seen = t.to_owned();
            Ok(())
        });
        assert_eq!(seen, text);
        assert!(issues.into_vec().is_empty());
    }

    #[test]
    fn repairs_take_the_place_of_the_issues_their_blank_caused() {
        let text = r#"{"a": "\udc00", "b": 1}"#;
        let mut issues = Issues::new(false);
        read_repairing(text, 0, &mut issues, |t, found| {
            let v: serde_json::Value = serde_json::from_str(t)?;
            if v["a"].is_null() {
                found.push(Issue::error(Code::InvalidType, "/a", "null"));
            }
            found.push(Issue::warning(Code::UnknownEnum, "/b", "b"));
            Ok(())
        });
        let list = issues.into_vec();
        assert_eq!(
            list.iter().map(|i| (i.code, i.path.as_str())).collect::<Vec<_>>(),
            [(Code::InvalidValue, "/a"), (Code::UnknownEnum, "/b")]
        );
    }
}
