//! Problems found in a payload, as data: [`Issue`] with a stable [`Code`], a JSON
//! Pointer [`Path`] into the input body and a message for a person. The
//! [`Issues`] collector gathers every one of them in a single pass.

use std::fmt;

use serde::Serialize;

/// How much an issue matters: an error means the event cannot be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Severity {
    /// The event cannot be trusted; `Outcome::event` is `None`.
    Error,
    /// The event can be trusted, but something is off.
    Warning,
}

/// A stable, machine-readable issue category. New codes may be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[non_exhaustive]
pub enum Code {
    /// The body is not JSON; [`Issue::position`] says where.
    InvalidJson,
    /// The body is larger than `Options::max_bytes`; nothing was decoded.
    TooLarge,
    /// The request body ended before its declared length (a dropped connection).
    IncompleteBody,
    /// The body is not valid UTF-8; [`Issue::position`] is the first bad byte.
    InvalidUtf8,
    /// The body starts with a UTF-8 byte order mark, which was skipped.
    ByteOrderMark,
    /// No provider was given and none could be recognised from the body.
    UnknownProvider,
    /// The provider sends this event type, but it is not an order event.
    UnsupportedEvent,
    /// The event type could not be read from the body and was inferred.
    InferredEvent,
    /// A field the event needs is absent.
    MissingField,
    /// A field holds the wrong JSON type.
    InvalidType,
    /// A field has the right type but an unusable value.
    InvalidValue,
    /// An enum field holds a value this version does not know.
    UnknownEnum,
    /// Amounts that should add up do not.
    AmountMismatch,
    /// A zone-less date was read in an assumed time zone.
    AssumedTimeZone,
    /// The payload carries no currency; one was assumed or none is known.
    AssumedCurrency,
    /// No signature header was sent.
    MissingSignature,
    /// A signature header is present but matches no key.
    BadSignature,
    /// The signed timestamp is outside the tolerance window.
    StaleTimestamp,
    /// A signature header cannot be read.
    MalformedHeader,
    /// The provider does not sign its webhooks.
    Unsupported,
    /// The secret given for verification is empty or unusable.
    InvalidSecret,
    /// More issues than [`Issues::MAX`]; the rest were counted, not listed.
    TooManyIssues,
}

impl Code {
    /// The snake_case word used on the wire, e.g. `"missing_field"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::InvalidJson => "invalid_json",
            Code::TooLarge => "too_large",
            Code::IncompleteBody => "incomplete_body",
            Code::InvalidUtf8 => "invalid_utf8",
            Code::ByteOrderMark => "byte_order_mark",
            Code::UnknownProvider => "unknown_provider",
            Code::UnsupportedEvent => "unsupported_event",
            Code::InferredEvent => "inferred_event",
            Code::MissingField => "missing_field",
            Code::InvalidType => "invalid_type",
            Code::InvalidValue => "invalid_value",
            Code::UnknownEnum => "unknown_enum",
            Code::AmountMismatch => "amount_mismatch",
            Code::AssumedTimeZone => "assumed_time_zone",
            Code::AssumedCurrency => "assumed_currency",
            Code::MissingSignature => "missing_signature",
            Code::BadSignature => "bad_signature",
            Code::StaleTimestamp => "stale_timestamp",
            Code::MalformedHeader => "malformed_header",
            Code::Unsupported => "unsupported",
            Code::InvalidSecret => "invalid_secret",
            Code::TooManyIssues => "too_many_issues",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem with a payload or a signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// Error or warning.
    pub severity: Severity,
    /// Stable category.
    pub code: Code,
    /// JSON Pointer into the input body (`/data/items/0/amount`); `""` is the body.
    pub path: String,
    /// Lowercase explanation for a person; never contains a secret.
    pub message: String,
    /// Where in the body a syntax or encoding error is (`invalid_json`,
    /// `invalid_utf8`); `offset`, `line` and `column` beside the others on the wire.
    pub position: Option<Position>,
}

/// How an [`Issue`] is written in JSON (and typed in TypeScript): the position's
/// parts sit beside the other fields, present only for syntax and encoding errors.
#[derive(Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "Issue"))]
struct IssueJson<'a> {
    severity: Severity,
    code: Code,
    path: &'a str,
    message: &'a str,
    /// Bytes before the error, from the start of the body.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    offset: Option<usize>,
    /// Its line, from 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    line: Option<usize>,
    /// Its column, from 1, in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    column: Option<usize>,
}

/// The TypeScript declaration of [`Issue`] (for the npm package's types).
#[cfg(feature = "ts")]
#[must_use]
pub fn issue_ts_decl(cfg: &ts_rs::Config) -> String {
    <IssueJson<'static> as ts_rs::TS>::decl(cfg)
}

impl Serialize for Issue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        IssueJson {
            severity: self.severity,
            code: self.code,
            path: &self.path,
            message: &self.message,
            offset: self.position.map(|p| p.offset),
            line: self.position.map(|p| p.line),
            column: self.position.map(|p| p.column),
        }
        .serialize(s)
    }
}

/// A place in the body: a byte offset, and the same as a 1-based line and a
/// 1-based column counted in bytes (what an editor's status bar shows for ASCII).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// Bytes before this place, from the start of the body (a byte order mark counts).
    pub offset: usize,
    /// Line, from 1; lines end at `\n`.
    pub line: usize,
    /// Column, from 1, in bytes since the start of the line.
    pub column: usize,
}

impl Position {
    /// The position of byte `offset` in `body` (clamped to its length).
    #[must_use]
    pub fn of_offset(body: &[u8], offset: usize) -> Position {
        let offset = offset.min(body.len());
        let before = &body[..offset];
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        Position { offset, line, column: offset - line_start + 1 }
    }
}

impl Issue {
    /// An error at `path`.
    pub fn error(code: Code, path: impl Into<String>, message: impl Into<String>) -> Issue {
        Issue { severity: Severity::Error, code, path: path.into(), message: message.into(), position: None }
    }

    /// A warning at `path`.
    pub fn warning(code: Code, path: impl Into<String>, message: impl Into<String>) -> Issue {
        Issue { severity: Severity::Warning, code, path: path.into(), message: message.into(), position: None }
    }

    /// This issue, placed at `position` in the body.
    #[must_use]
    pub fn at(mut self, position: Position) -> Issue {
        self.position = Some(position);
        self
    }

    /// Whether this issue is an error.
    #[must_use]
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// An `invalid_json` error for `e`, raised while reading `text`, which starts
/// `base` bytes into the body (a skipped byte order mark). The message keeps
/// serde_json's wording without its " at line L column C" tail, since the
/// position travels as data.
pub(crate) fn json_error(e: &serde_json::Error, text: &str, base: usize) -> Issue {
    let msg = e.to_string();
    let what = match msg.rfind(" at line ") {
        Some(i) if e.line() > 0 => &msg[..i],
        _ => &msg,
    };
    let b = text.as_bytes();
    let mut offset = offset_of(text, e.line(), e.column());
    // serde_json stops at the `}` or `]` after a trailing comma; the comma is the mistake.
    if matches!(b.get(offset), Some(b'}' | b']')) {
        if let Some(comma) = b[..offset].iter().rposition(|c| !c.is_ascii_whitespace()).filter(|&i| b[i] == b',') {
            offset = comma;
        }
    }
    let at = Position::of_offset(b, offset);
    let position = Position { offset: base + at.offset, ..at };
    Issue::error(
        Code::InvalidJson,
        "",
        format!("body is not valid JSON: {what} (line {} column {})", position.line, position.column),
    )
    .at(position)
}

/// The byte offset of serde_json's 1-based `line` and `column` in `text`.
/// serde_json counts columns in bytes and reports column 0 for an error at a
/// line's start (only at the end of input), so both are clamped.
pub(crate) fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start = if line <= 1 {
        0
    } else {
        text.bytes().enumerate().filter(|&(_, b)| b == b'\n').nth(line - 2).map_or(text.len(), |(i, _)| i + 1)
    };
    (start + column.saturating_sub(1)).min(text.len())
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let path = if self.path.is_empty() { "(body)" } else { &self.path };
        write!(f, "{sev} {} at {path}: {}", self.code, self.message)
    }
}

/// A field value quoted for a message: escaped like Rust's `{:?}` and cut after
/// 60 characters, so a megabyte-long value cannot make a megabyte-long message.
pub struct Quoted<'a>(pub &'a str);

/// Quote `s` for a message; see [`Quoted`].
pub fn quote(s: &str) -> Quoted<'_> {
    Quoted(s)
}

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const KEEP: usize = 60;
        match self.0.char_indices().nth(KEEP) {
            None => write!(f, "{:?}", self.0),
            Some((cut, _)) => write!(f, "{:?}… ({} bytes)", &self.0[..cut], self.0.len()),
        }
    }
}

/// A JSON Pointer built on the stack while walking a payload; rendered to a
/// string only when an issue is reported, so the happy path allocates nothing.
#[derive(Clone, Copy)]
pub enum Path<'a> {
    /// The body itself (`""`).
    Root,
    /// A member of an object.
    Key(&'a Path<'a>, &'a str),
    /// An element of an array.
    Index(&'a Path<'a>, usize),
}

impl<'a> Path<'a> {
    /// The path of member `key` below this one.
    pub fn key(&'a self, key: &'a str) -> Path<'a> {
        Path::Key(self, key)
    }

    /// The path of element `i` below this one.
    pub fn index(&'a self, i: usize) -> Path<'a> {
        Path::Index(self, i)
    }

    fn write_to(&self, out: &mut String) {
        match self {
            Path::Root => {}
            Path::Key(parent, key) => {
                parent.write_to(out);
                out.push('/');
                for c in key.chars() {
                    match c {
                        '~' => out.push_str("~0"),
                        '/' => out.push_str("~1"),
                        c => out.push(c),
                    }
                }
            }
            Path::Index(parent, i) => {
                parent.write_to(out);
                out.push('/');
                out.push_str(&i.to_string());
            }
        }
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        self.write_to(&mut s);
        f.write_str(&s)
    }
}

/// Collects issues in the order they are found; `strict` turns unknown enum
/// values and unsupported events into errors.
/// At most [`Issues::MAX`] are kept; the rest are counted, so a hostile body
/// cannot make an unbounded verdict.
#[derive(Debug, Default)]
pub struct Issues {
    list: Vec<Issue>,
    strict: bool,
    dropped: usize,
    dropped_error: bool,
}

impl Issues {
    /// The most issues listed for one body.
    pub const MAX: usize = 200;

    /// An empty collector.
    pub fn new(strict: bool) -> Issues {
        Issues { list: Vec::new(), strict, dropped: 0, dropped_error: false }
    }

    fn full(&mut self, severity: Severity) -> bool {
        if self.list.len() < Self::MAX {
            return false;
        }
        self.dropped += 1;
        self.dropped_error |= severity == Severity::Error;
        true
    }

    /// Whether unknown enum values and unsupported events are errors.
    #[must_use]
    pub fn is_strict(&self) -> bool {
        self.strict
    }

    /// Record an error.
    #[cold]
    pub fn error(&mut self, code: Code, path: &Path<'_>, message: impl Into<String>) {
        if !self.full(Severity::Error) {
            self.list.push(Issue::error(code, path.to_string(), message));
        }
    }

    /// Record a warning.
    #[cold]
    pub fn warning(&mut self, code: Code, path: &Path<'_>, message: impl Into<String>) {
        if !self.full(Severity::Warning) {
            self.list.push(Issue::warning(code, path.to_string(), message));
        }
    }

    /// Record something that is a warning normally and an error in strict mode.
    #[cold]
    pub fn lenient(&mut self, code: Code, path: &Path<'_>, message: impl Into<String>) {
        if self.strict {
            self.error(code, path, message);
        } else {
            self.warning(code, path, message);
        }
    }

    /// Record a finished issue.
    pub fn push(&mut self, issue: Issue) {
        if !self.full(issue.severity) {
            self.list.push(issue);
        }
    }

    /// Whether any error was recorded, listed or not.
    pub fn has_errors(&self) -> bool {
        self.dropped_error || self.list.iter().any(Issue::is_error)
    }

    /// The issues, in the order found, closed by a `too_many_issues` issue
    /// (an error if any unlisted one was) when some were not listed.
    pub fn into_vec(mut self) -> Vec<Issue> {
        if self.dropped > 0 {
            let message =
                format!("{} more issues were found but not listed; the first {} are", self.dropped, Self::MAX);
            let severity = if self.dropped_error { Severity::Error } else { Severity::Warning };
            self.list.push(Issue { severity, code: Code::TooManyIssues, path: String::new(), message, position: None });
        }
        self.list
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_renders_as_json_pointer_with_escapes() {
        let root = Path::Root;
        let data = root.key("data");
        let items = data.key("items");
        let second = items.index(2);
        let odd = second.key("a/b~c");
        assert_eq!(odd.to_string(), "/data/items/2/a~1b~0c");
        assert_eq!(root.to_string(), "");
    }

    #[test]
    fn issues_beyond_the_cap_are_counted_and_keep_the_verdict() {
        let mut issues = Issues::new(false);
        for _ in 0..Issues::MAX {
            issues.warning(Code::UnknownEnum, &Path::Root, "w");
        }
        issues.error(Code::InvalidType, &Path::Root, "e");
        issues.warning(Code::UnknownEnum, &Path::Root, "w");
        assert!(issues.has_errors(), "an unlisted error still makes the event untrusted");
        let list = issues.into_vec();
        assert_eq!(list.len(), Issues::MAX + 1);
        let last = list.last().unwrap();
        assert_eq!((last.code, last.severity), (Code::TooManyIssues, Severity::Error));
        assert_eq!(last.message, "2 more issues were found but not listed; the first 200 are");
    }

    #[test]
    fn quoted_values_are_escaped_and_cut() {
        assert_eq!(quote("on\"hold").to_string(), r#""on\"hold""#);
        let long = "é".repeat(1000);
        let q = quote(&long).to_string();
        assert!(q.starts_with(&format!("\"{}", "é".repeat(60))) && q.ends_with("… (2000 bytes)"), "{q}");
    }

    #[test]
    fn strict_mode_turns_lenient_issues_into_errors() {
        let mut loose = Issues::new(false);
        loose.lenient(Code::UnknownEnum, &Path::Root, "x");
        assert!(!loose.has_errors());
        let mut strict = Issues::new(true);
        strict.lenient(Code::UnknownEnum, &Path::Root, "x");
        assert!(strict.has_errors());
    }
}
