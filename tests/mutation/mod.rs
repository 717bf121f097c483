//! Seeds, mutators and invariant checks shared by the stable mutation harness
//! (tests/robustness.rs) and the cargo-fuzz targets (fuzz/fuzz_targets/*.rs, which
//! include this file with `#[path]`), so both explore the same kinds of inputs.
//!
//! Every choice is drawn from an [`arbitrary::Unstructured`]: libFuzzer's bytes under
//! cargo-fuzz, a seeded PRNG's bytes in the harness. Seeds are read at run time from
//! the repository only: `tests/fixtures` and `examples/samples`.
#![allow(dead_code)]

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use arbitrary::{Result as AResult, Unstructured};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use orderhook::verify::Headers;
use orderhook::{Currency, Issue, Options, Outcome, Provider, TimeZone};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use sha2::Sha256;

// ---------------------------------------------------------------------------
// Seeds
// ---------------------------------------------------------------------------

/// One seed payload: its raw bytes, and its JSON tree when it is valid JSON.
#[derive(Debug, Clone)]
pub struct Seed {
    pub name: String,
    pub bytes: Vec<u8>,
    pub tree: Option<Node>,
}

/// All seed payloads: `tests/fixtures/*` (a `.txt` fixture is a document page: the
/// JSON it holds) and the bundled `examples/samples/*`.
/// `repo` is the crate's root (the directory holding Cargo.toml and tests/).
pub fn load_seeds(repo: &Path) -> Vec<Seed> {
    let mut seeds = Vec::new();
    for dir in [repo.join("tests/fixtures"), repo.join("examples/samples")] {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            if !path.is_file() {
                continue;
            }
            let Ok(raw) = std::fs::read(&path) else { continue };
            let bytes = if name.ends_with(".txt") { extract_json(&raw) } else { raw };
            let tree = serde_json::from_slice::<Node>(&bytes).ok();
            seeds.push(Seed { name: format!("{}/{name}", dir.file_name().unwrap().to_string_lossy()), bytes, tree });
        }
    }
    seeds
}

/// The seeds of the crate this file is compiled into, loaded once.
pub fn seeds_of(repo: &'static str) -> &'static [Seed] {
    static SEEDS: OnceLock<Vec<Seed>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let seeds = load_seeds(Path::new(repo));
        assert!(seeds.iter().filter(|s| s.tree.is_some()).count() >= 3, "no seed payloads under {repo}");
        seeds
    })
}

/// From the first `{` to its matching `}` (or the end): the JSON inside a doc page.
pub fn extract_json(text: &[u8]) -> Vec<u8> {
    let Some(start) = text.iter().position(|&b| b == b'{') else { return text.to_vec() };
    let (mut depth, mut in_str, mut esc) = (0i32, false, false);
    for (i, &c) in text[start..].iter().enumerate() {
        if in_str {
            match (esc, c) {
                (true, _) => esc = false,
                (false, b'\\') => esc = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            b'"' => in_str = true,
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return text[start..start + i + 1].to_vec();
                }
            }
            _ => {}
        }
    }
    text[start..].to_vec()
}

// ---------------------------------------------------------------------------
// A JSON tree that keeps key order, duplicate keys and number text, and can hold
// raw bytes that are not JSON at all.
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    /// A number, as its JSON text.
    Num(String),
    Str(String),
    Arr(Vec<Node>),
    /// Members in body order; keys may repeat.
    Obj(Vec<(String, Node)>),
    /// Bytes written verbatim: invalid UTF-8, lone surrogate escapes, deep nesting…
    Raw(Vec<u8>),
}

impl Node {
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write(&mut out);
        out
    }

    pub fn write(&self, out: &mut Vec<u8>) {
        match self {
            Node::Null => out.extend_from_slice(b"null"),
            Node::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
            Node::Num(n) => out.extend_from_slice(n.as_bytes()),
            Node::Str(s) => write_str(s, out),
            Node::Arr(items) => {
                out.push(b'[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    item.write(out);
                }
                out.push(b']');
            }
            Node::Obj(members) => {
                out.push(b'{');
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    write_str(k, out);
                    out.push(b':');
                    v.write(out);
                }
                out.push(b'}');
            }
            Node::Raw(bytes) => out.extend_from_slice(bytes),
        }
    }

    /// Number of nodes, this one included.
    pub fn count(&self) -> usize {
        1 + match self {
            Node::Arr(items) => items.iter().map(Node::count).sum(),
            Node::Obj(members) => members.iter().map(|(_, v)| v.count()).sum(),
            _ => 0,
        }
    }

    /// The `n`th node in pre-order (0 is this one).
    pub fn nth(&self, n: usize) -> Option<&Node> {
        let mut n = n;
        self.nth_inner(&mut n)
    }

    fn nth_inner(&self, n: &mut usize) -> Option<&Node> {
        if *n == 0 {
            return Some(self);
        }
        *n -= 1;
        match self {
            Node::Arr(items) => items.iter().find_map(|c| c.nth_inner(n)),
            Node::Obj(members) => members.iter().find_map(|(_, c)| c.nth_inner(n)),
            _ => None,
        }
    }

    pub fn nth_mut(&mut self, n: usize) -> Option<&mut Node> {
        let mut n = n;
        self.nth_mut_inner(&mut n)
    }

    fn nth_mut_inner(&mut self, n: &mut usize) -> Option<&mut Node> {
        if *n == 0 {
            return Some(self);
        }
        *n -= 1;
        match self {
            Node::Arr(items) => items.iter_mut().find_map(|c| c.nth_mut_inner(n)),
            Node::Obj(members) => members.iter_mut().find_map(|(_, c)| c.nth_mut_inner(n)),
            _ => None,
        }
    }
}

fn write_str(s: &str, out: &mut Vec<u8>) {
    serde_json::to_writer(&mut *out, s).expect("writing to a Vec cannot fail");
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.to_bytes()))
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Node, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Num(v.to_string()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Num(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Num(serde_json::Number::from_f64(v).map_or_else(|| "0".to_owned(), |n| n.to_string())))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Str(v.to_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Arr(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut members = Vec::new();
        while let Some((k, v)) = map.next_entry::<String, Node>()? {
            members.push((k, v));
        }
        Ok(Node::Obj(members))
    }
}

// ---------------------------------------------------------------------------
// Dictionaries
// ---------------------------------------------------------------------------

/// Every key the three providers' wire types and the detector know.
#[rustfmt::skip]
pub const KEYS: &[&str] = &[
    "type", "timestamp", "data", "id", "created_at", "modified_at", "status", "paid", "subtotal_amount",
    "discount_amount", "net_amount", "tax_amount", "total_amount", "refunded_amount", "currency", "billing_reason",
    "billing_name", "billing_address", "line1", "line2", "postal_code", "city", "state", "country", "invoice_number",
    "customer_id", "product_id", "metadata", "customer", "external_id", "email", "name", "items", "label", "amount",
    "product_price_id", "project_id", "event", "order", "redemption", "referrer", "source_id", "object", "updated_at",
    "total_discount_amount", "sku_id", "quantity", "price", "product", "sku", "webhook_type", "webhook_event",
    "webhook_event_id", "webhook_event_date", "webhook_data", "date_created", "date_modified", "date_ordered",
    "is_test", "order_discount", "order_offers", "offer_id", "offer_name", "order_offer_quantity", "order_offer_price",
    "is_recurring", "status_type_id", "order_offer_items", "item_name", "item_sku", "first_name", "last_name", "phone",
    "customer_address_billing", "customer_address_shipping", "fname", "lname", "address1", "address2", "zipcode",
];

/// Strings that sit on the edges of what the fields accept.
#[rustfmt::skip]
pub const STRINGS: &[&str] = &[
    "", " ", "0", "1", "-1", "2", "-2", "10.00", "0.005", "19.995", "-0.50", "1e3", "+1", "1,00", ".5", "5.",
    "90071992547409.91", "90071992547409.92", "-90071992547409.91", "99999999999999999999", "١٢",
    "2024-02-30T00:00:00Z", "2024-01-01T24:00:00Z", "2024-01-01T23:59:60Z", "2024-01-01T10:00:00+0200",
    "2024-01-01T10:00:00+02:00", "2024-01-01T10:00:00", "2024-02-29T23:59:59.999999999Z",
    "2024-01-01T00:00:00.1234567890Z", "2024-01-01T00:00:00.Z", "9999-12-31T23:59:59-23:59",
    "0000-01-01T00:00:00+23:59", "2024-02-30 10:00:00", "2024-01-01 24:00:00", "2024-01-01 10:00:00+0200",
    "0000-00-00 00:00:00", "0000-00-00", "---", "2024-13-01 00:00:00", "usd", "JPY", "KWD", "CLF", "XXX", "US",
    "<string>", "paid", "void", "draft", "PAID", "PROCESSING", "ROLLED BACK", "Complete", " complete ", "Archive",
    "order.paid", "order.refunded", "subscription.created", "customer.order.paid", "customer.order.weird",
    "customer.redemption.succeeded", "order_updated", "order_abandonned", "order_offer_updated", "order", "shipment",
    "\0", "a\0b", "US-CA", "us", "e\u{301}", "\u{feff}", "\u{1F600}", "\u{202e}",
];

/// Numbers on the edges: integer limits, JavaScript's safe range, floats, exponents.
#[rustfmt::skip]
pub const NUMBERS: &[&str] = &[
    "0", "-0", "1", "-1", "7", "1.5", "-1.5", "1.0", "1e2", "1E400", "-1e400", "1e-400", "0.0", "9007199254740991",
    "9007199254740992", "-9007199254740991", "-9007199254740992", "9223372036854775807", "9223372036854775808",
    "-9223372036854775808", "-9223372036854775809", "18446744073709551615", "18446744073709551616",
    "123456789012345678901234567890",
];

/// Byte sequences that are not (quite) JSON, or JSON that Rust strings cannot hold.
#[rustfmt::skip]
pub const RAW: &[&[u8]] = &[
    b"\"\\ud800\"", b"\"\\udc00x\"", b"\"\\ud83d\\ude00\"", b"\"a\\u0000b\"", b"\"\xff\xfe\"", b"\"\xc3\x28\"",
    b"\"\xed\xa0\x80\"", b"\"\x01\"", b"\"\\x\"", b"\"\\u12\"", b"NaN", b"Infinity", b"-", b"01", b"1.", b".5",
    b"[1,]", b"{\"a\":1,}", b"tru", b"nul", b"\"unterminated", b"[", b"{", b"}", b"]", b"\xef\xbb\xbf{}",
];

// ---------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------

/// Keeps generated bodies near the 1 MiB default limit (a few go over on purpose).
pub const MAX_BODY: usize = 3 << 20;

/// A value of a JSON type chosen by `u`.
pub fn simple_value(u: &mut Unstructured<'_>) -> AResult<Node> {
    Ok(match u.int_in_range(0u8..=9)? {
        0 => Node::Null,
        1 => Node::Bool(u.arbitrary()?),
        2 => Node::Num(u.arbitrary::<i64>()?.to_string()),
        3 => Node::Num((*u.choose(NUMBERS)?).to_owned()),
        4 => Node::Str((*u.choose(STRINGS)?).to_owned()),
        5 => Node::Str(u.arbitrary::<String>()?),
        6 => Node::Arr(Vec::new()),
        7 => Node::Obj(Vec::new()),
        8 => Node::Num(format!("{}.{}", u.arbitrary::<i32>()?, u.arbitrary::<u16>()?)),
        _ => Node::Raw(u.choose(RAW)?.to_vec()),
    })
}

/// A large or deep value: long strings, long digit runs, deep nesting, long arrays
/// of tiny elements, invalid UTF-8 inside a string.
pub fn big_value(u: &mut Unstructured<'_>) -> AResult<Node> {
    Ok(match u.int_in_range(0u8..=6)? {
        0 => {
            let len = u.int_in_range(0usize..=300_000)?;
            let unit = *u.choose(&["a", "é", "\u{1F600}", "\\", "\"", "\n", "\0"])?;
            Node::Str(unit.repeat(len / unit.len().max(1)))
        }
        1 => {
            let digits = u.int_in_range(20usize..=2_000)?;
            let sign = if u.arbitrary()? { "-" } else { "" };
            Node::Num(format!("{sign}{}", "9".repeat(digits)))
        }
        2 => Node::Num(format!("1e{}", u.int_in_range(300i32..=100_000)?)),
        3 => {
            let depth = u.int_in_range(1usize..=20_000)?;
            let balanced = u.ratio(7u8, 8)?;
            let close = if balanced { depth } else { u.int_in_range(0..=depth)? };
            Node::Raw([b"[".repeat(depth), b"]".repeat(close)].concat())
        }
        4 => {
            let depth = u.int_in_range(1usize..=20_000)?;
            Node::Raw([b"{\"a\":".repeat(depth), b"1".to_vec(), b"}".repeat(depth)].concat())
        }
        5 => {
            // Many tiny elements: one issue or one item each. Rarely up to the 1 MiB limit.
            let unit =
                *u.choose(&["1", "null", "{}", "[]", "\"\"", "{\"amount\":1}", "{\"order_offer_price\":\"x\"}"])?;
            let max = if u.ratio(1u8, 100)? { (1 << 20) / (unit.len() + 1) } else { 5_000 };
            let n = u.int_in_range(1usize..=max)?;
            let mut raw = Vec::with_capacity(n * (unit.len() + 1) + 2);
            raw.push(b'[');
            for i in 0..n {
                if i > 0 {
                    raw.push(b',');
                }
                raw.extend_from_slice(unit.as_bytes());
            }
            raw.push(b']');
            Node::Raw(raw)
        }
        _ => {
            let len = u.int_in_range(0usize..=64)?;
            let mut s = b"\"".to_vec();
            s.extend(u.bytes(len)?.iter().filter(|&&b| b != b'"' && b != b'\\'));
            s.push(b'"');
            Node::Raw(s)
        }
    })
}

/// Apply 1–4 structure-aware mutations to `tree`.
pub fn mutate_tree(u: &mut Unstructured<'_>, tree: &mut Node) -> AResult<()> {
    for _ in 0..u.int_in_range(1u8..=4)? {
        let count = tree.count();
        let target = u.int_in_range(0..=count - 1)?;
        let donor = tree.nth(u.int_in_range(0..=count - 1)?).cloned();
        let Some(node) = tree.nth_mut(target) else { continue };
        match u.int_in_range(0u8..=11)? {
            // Swap the type (or the value) of a field.
            0..=3 => *node = simple_value(u)?,
            4 => *node = big_value(u)?,
            // Drop, duplicate, add or rename keys.
            5 => {
                if let Node::Obj(members) = node {
                    if !members.is_empty() {
                        let i = u.int_in_range(0..=members.len() - 1)?;
                        match u.int_in_range(0u8..=3)? {
                            0 => {
                                members.remove(i);
                            }
                            1 => {
                                let dup = members[i].clone();
                                members.push(dup);
                            }
                            2 => members[i].0 = (*u.choose(KEYS)?).to_owned(),
                            _ => {
                                let key = members[i].0.clone();
                                members.insert(i, (key, simple_value(u)?));
                            }
                        }
                    }
                }
            }
            6 => {
                if let Node::Obj(members) = node {
                    let at = u.int_in_range(0..=members.len())?;
                    members.insert(at, ((*u.choose(KEYS)?).to_owned(), simple_value(u)?));
                }
            }
            // Arrays: drop, repeat, empty.
            7 => {
                if let Node::Arr(items) = node {
                    if !items.is_empty() {
                        let i = u.int_in_range(0..=items.len() - 1)?;
                        match u.int_in_range(0u8..=2)? {
                            0 => {
                                items.remove(i);
                            }
                            1 => {
                                // Bounded so the body stays near MAX_BODY whatever the element.
                                let size = items[i].to_bytes().len() + 1;
                                let times = u.int_in_range(1usize..=2_000)?.min(MAX_BODY / size);
                                let dup = items[i].clone();
                                items.extend(std::iter::repeat(dup).take(times));
                            }
                            _ => items.clear(),
                        }
                    }
                }
            }
            // Wrap in an array or an object.
            8 => {
                let inner = std::mem::replace(node, Node::Null);
                *node = if u.arbitrary()? { Node::Arr(vec![inner]) } else { Node::Obj(vec![("a".into(), inner)]) };
            }
            // Cross-over with another part of the same tree (while it stays small).
            9 => {
                if let Some(d) = donor.filter(|d| d.count() < 10_000) {
                    *node = d;
                }
            }
            // Reorder keys (detection reads them in order).
            10 => {
                if let Node::Obj(members) = node {
                    members.reverse();
                }
            }
            _ => *node = Node::Raw(u.choose(RAW)?.to_vec()),
        }
    }
    Ok(())
}

/// Byte-level mutations in the spirit of libFuzzer's: flips, inserts, erasures,
/// copies, truncation, a BOM.
pub fn mutate_bytes(u: &mut Unstructured<'_>, body: &mut Vec<u8>) -> AResult<()> {
    for _ in 0..u.int_in_range(1u8..=6)? {
        let len = body.len();
        let at = if len == 0 { 0 } else { u.int_in_range(0..=len - 1)? };
        match u.int_in_range(0u8..=8)? {
            0 if len > 0 => body[at] ^= 1 << u.int_in_range(0u8..=7)?,
            1 if len > 0 => body[at] = u.arbitrary()?,
            2 => {
                let n = u.int_in_range(1usize..=8)?;
                let bytes = u.bytes(n.min(u.len()))?.to_vec();
                body.splice(at..at, bytes);
            }
            3 if len > 0 => {
                let end = u.int_in_range(at..=len.min(at + 64))?;
                body.drain(at..end);
            }
            4 if len > 0 => body.truncate(at),
            5 if len > 0 => {
                let end = u.int_in_range(at..=len.min(at + 256))?;
                let copy = body[at..end].to_vec();
                let to = u.int_in_range(0..=body.len())?;
                body.splice(to..to, copy);
            }
            6 => {
                body.splice(0..0, *b"\xef\xbb\xbf");
            }
            7 => {
                let token =
                    *u.choose(&[&b"\"\\ud800\""[..], b"\xff", b"\xc0\x80", b"\0", b"1e400", b"[", b"\"", b","])?;
                body.splice(at..at, token.iter().copied());
            }
            _ => {
                let ws = *u.choose(&[&b" "[..], b"\n", b"\t", b"\r\n", b"\x0c", b"\xc2\xa0"])?;
                body.splice(at..at, ws.iter().copied());
            }
        }
    }
    Ok(())
}

/// A body from a random seed: structure-aware mutations of its tree (when it has
/// one), then, sometimes, byte-level ones.
pub fn mutated_seed(u: &mut Unstructured<'_>, seeds: &[Seed]) -> AResult<Vec<u8>> {
    let seed = u.choose(seeds)?;
    let mut body = match &seed.tree {
        Some(tree) => {
            let mut tree = tree.clone();
            mutate_tree(u, &mut tree)?;
            tree.to_bytes()
        }
        None => seed.bytes.clone(),
    };
    if seed.tree.is_none() || u.ratio(1u8, 6)? {
        mutate_bytes(u, &mut body)?;
    }
    body.truncate(MAX_BODY);
    Ok(body)
}

/// Raw bytes: a byte-mutated seed, or the bytes of `u` themselves.
pub fn raw_body(u: &mut Unstructured<'_>, seeds: &[Seed]) -> AResult<Vec<u8>> {
    if u.ratio(1u8, 4)? {
        let n = u.int_in_range(0..=u.len())?;
        return Ok(u.bytes(n)?.to_vec());
    }
    let mut body = u.choose(seeds)?.bytes.clone();
    mutate_bytes(u, &mut body)?;
    Ok(body)
}

fn new_york() -> Option<TimeZone> {
    static NY: OnceLock<Option<TimeZone>> = OnceLock::new();
    NY.get_or_init(|| TimeZone::parse("America/New_York").ok()).clone()
}

/// Parse options; `provider` forces the provider when `Some`.
pub fn options(u: &mut Unstructured<'_>, provider: Option<Option<Provider>>) -> AResult<Options> {
    let provider = match provider {
        Some(p) => p,
        None => {
            if u.ratio(1u8, 4)? {
                None
            } else {
                Some(*u.choose(Provider::ALL)?)
            }
        }
    };
    let currency = *u.choose(&[None, Some("USD"), Some("JPY"), Some("KWD"), Some("CLF")])?;
    let time_zone = match u.int_in_range(0u8..=4)? {
        0 | 1 => None,
        2 => Some(TimeZone::UTC),
        3 => Some(TimeZone::Fixed(u.int_in_range(-86_399..=86_399)?)),
        _ => new_york(),
    };
    let max_bytes = if u.ratio(1u8, 16)? { u.int_in_range(0usize..=4096)? } else { orderhook::DEFAULT_MAX_BYTES };
    Ok(Options {
        provider,
        time_zone,
        currency: currency.and_then(Currency::new),
        max_bytes,
        strict: u.ratio(1u8, 4)?,
        // Always: the verdict's source is checked as before (it was `verdict(true)`).
        include_source: true,
        event_id: None,
        event_type: None,
    })
}

// ---------------------------------------------------------------------------
// Invariants
// ---------------------------------------------------------------------------

/// The codes `parse` may report (src/issue.rs).
#[rustfmt::skip]
pub const PARSE_CODES: &[&str] = &[
    "invalid_json", "too_large", "invalid_utf8", "byte_order_mark", "unknown_provider", "unsupported_event",
    "inferred_event", "missing_field", "invalid_type", "invalid_value", "unknown_enum", "amount_mismatch",
    "assumed_time_zone", "assumed_currency", "too_many_issues",
];

/// The codes `verify` may report (src/verify/mod.rs).
pub const VERIFY_CODES: &[&str] =
    &["invalid_secret", "missing_signature", "malformed_header", "stale_timestamp", "bad_signature", "unsupported"];

/// RFC 6901 syntax: empty, or `/`-separated tokens where `~` is followed by 0 or 1.
pub fn is_json_pointer(p: &str) -> bool {
    if p.is_empty() {
        return true;
    }
    if !p.starts_with('/') {
        return false;
    }
    let b = p.as_bytes();
    b.iter().enumerate().all(|(i, &c)| c != b'~' || matches!(b.get(i + 1), Some(b'0' | b'1')))
}

/// The parent of a JSON Pointer (`/a/b` → `/a`).
pub fn parent_pointer(p: &str) -> &str {
    p.rfind('/').map_or("", |i| &p[..i])
}

/// What must hold for every `parse` outcome, whatever the body.
///
/// # Errors
/// A description of the first broken invariant.
pub fn check_outcome(body: &[u8], options: &Options, out: &Outcome) -> Result<(), String> {
    let errors = out.errors().count();
    if out.event().is_some() != (errors == 0) {
        return Err(format!("event is {} with {errors} errors", if out.event().is_some() { "set" } else { "unset" }));
    }
    if body.len() > options.max_bytes {
        let only_too_large = out.issues().len() == 1 && out.issues()[0].code.as_str() == "too_large";
        if !only_too_large || !out.issues()[0].path.is_empty() {
            return Err(format!("body over max_bytes got {:?}", out.issues()));
        }
    }
    if out.issues().is_empty() && out.event().is_none() {
        return Err("no event and no issue".into());
    }
    for issue in out.issues() {
        if !PARSE_CODES.contains(&issue.code.as_str()) {
            return Err(format!("undocumented code from parse: {issue}"));
        }
        if !is_json_pointer(&issue.path) {
            return Err(format!("path is not a JSON Pointer: {issue}"));
        }
        if issue.message.is_empty() {
            return Err(format!("empty message: {issue:?}"));
        }
    }
    // Paths point into the input: resolve them when serde_json can hold the body.
    let text = body.strip_prefix(b"\xef\xbb\xbf").unwrap_or(body);
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(text) {
        for issue in out.issues() {
            let target = if issue.code.as_str() == "missing_field" { parent_pointer(&issue.path) } else { &issue.path };
            let resolved = value.pointer(target);
            let ok = match issue.code.as_str() {
                "missing_field" => resolved.is_some_and(|v| v.is_object()) && value.pointer(&issue.path).is_none(),
                _ => resolved.is_some(),
            };
            if !ok {
                return Err(format!("path does not resolve in the body: {issue}"));
            }
        }
    }
    serde_json::to_string(&out.verdict()).map_err(|e| format!("verdict does not serialize: {e}"))?;
    Ok(())
}

/// What must hold for every `verify` result.
///
/// # Errors
/// A description of the broken invariant.
pub fn check_verify(result: &Result<(), Issue>, secret: &str) -> Result<(), String> {
    if let Err(issue) = result {
        if !VERIFY_CODES.contains(&issue.code.as_str()) || !issue.path.is_empty() || !issue.is_error() {
            return Err(format!("unexpected verify issue: {issue:?}"));
        }
        // Only for generated high-entropy secrets: any text can be a secret, and a
        // secret such as "header is missing" is in a message without leaking.
        let generated = secret.starts_with("whsec_") || secret.starts_with("vfy_sk_");
        if generated && secret.len() >= 16 && issue.message.contains(secret) {
            return Err(format!("message leaks the secret: {issue}"));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Signature cases
// ---------------------------------------------------------------------------

type HmacSha256 = Hmac<Sha256>;

fn hmac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut mac = HmacSha256::new_from_slice(key).expect("hmac takes any key");
    for p in parts {
        mac.update(p);
    }
    mac.finalize().into_bytes().into()
}

fn trim_header(s: &str) -> &str {
    s.trim_matches([' ', '\t'])
}

/// One Polar (Standard Webhooks) verification, and whether it must succeed.
#[derive(Debug)]
pub struct PolarCase {
    pub body: Vec<u8>,
    pub headers: Vec<(String, String)>,
    pub secret: String,
    pub now: i64,
    pub tolerance: i64,
    /// A correct `v1` signature of a fresh timestamp under a non-empty secret is present.
    pub must_verify: bool,
}

impl PolarCase {
    pub fn run(&self) -> Result<(), Issue> {
        let headers: Headers<'_> = self.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        orderhook::verify::polar(&self.body, &headers, &self.secret, self.now, self.tolerance).map(|_| ())
    }

    /// Invariants, including: a correct signature verifies.
    pub fn check(&self, result: &Result<(), Issue>) -> Result<(), String> {
        check_verify(result, &self.secret)?;
        if self.must_verify && result.is_err() {
            return Err(format!("a correct signature was refused: {result:?}"));
        }
        Ok(())
    }
}

pub fn polar_case(u: &mut Unstructured<'_>, seeds: &[Seed]) -> AResult<PolarCase> {
    let body = if u.arbitrary()? { u.choose(seeds)?.bytes.clone() } else { raw_body(u, seeds)? };
    let key_len = u.int_in_range(0usize..=32)?.min(u.len());
    let key_bytes: Vec<u8> = u.bytes(key_len)?.to_vec();
    let secret = match u.int_in_range(0u8..=4)? {
        0 | 1 => format!("whsec_{}", STANDARD.encode(&key_bytes)),
        2 => u.arbitrary::<String>()?,
        3 => String::new(),
        _ => (*u.choose(&["whsec_", "whsec_!!", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "polar_whs_x"])?).to_owned(),
    };
    // The Standard Webhooks key a `whsec_` secret stands for, when it is canonical base64.
    let decoded_key = secret.strip_prefix("whsec_").and_then(|k| STANDARD.decode(k).ok()).filter(|k| !k.is_empty());
    let now = match u.int_in_range(0u8..=3)? {
        0 => i64::MIN,
        1 => i64::MAX,
        2 => u.arbitrary()?,
        _ => 1_700_000_000,
    };
    let tolerance = match u.int_in_range(0u8..=3)? {
        0 => orderhook::verify::DEFAULT_TOLERANCE_SECONDS,
        1 => u.arbitrary()?,
        2 => -1,
        _ => 0,
    };
    let timestamp = match u.int_in_range(0u8..=3)? {
        0 | 1 => now.saturating_add(u.int_in_range(-400i64..=400)?).to_string(),
        2 => (*u.choose(&["", "+1", "1.0", "0x10", "-5", "99999999999999999999", " 1 "])?).to_owned(),
        _ => u.arbitrary::<String>()?,
    };
    let id = if u.arbitrary()? { "msg_p5jXN8AQM9LWM0D4loKWxJek".to_owned() } else { u.arbitrary::<String>()? };
    let (id_seen, ts_seen) = (trim_header(&id), trim_header(&timestamp));
    let signed = |key: &[u8]| {
        let tag = hmac(key, &[id_seen.as_bytes(), b".", ts_seen.as_bytes(), b".", &body]);
        format!("v1,{}", STANDARD.encode(tag))
    };
    let mut entries = Vec::new();
    let mut has_good = false;
    for _ in 0..u.int_in_range(0u8..=3)? {
        let entry = match u.int_in_range(0u8..=5)? {
            0 => {
                has_good = true;
                signed(secret.as_bytes())
            }
            1 if decoded_key.is_some() => {
                has_good = true;
                signed(decoded_key.as_deref().unwrap_or_default())
            }
            2 => "v1,".to_owned() + &STANDARD.encode(u.bytes(32.min(u.len()))?),
            3 => (*u.choose(&["v1a,abc", "v2,x", "v1,", ",", "v1", "v1,====", "v1,AAAA,"])?).to_owned(),
            _ => u.arbitrary::<String>()?,
        };
        entries.push(entry);
    }
    let signature = entries.join(if u.arbitrary()? { " " } else { ", " });
    let mut headers = vec![
        (case_of(u, "webhook-id")?, id.clone()),
        (case_of(u, "webhook-timestamp")?, timestamp.clone()),
        (case_of(u, "webhook-signature")?, signature),
    ];
    let mut complete = true;
    if u.ratio(1u8, 8)? {
        headers.remove(u.int_in_range(0..=2)?);
        complete = false;
    }
    if u.ratio(1u8, 8)? {
        headers.insert(0, ("X-Other".into(), u.arbitrary()?));
    }
    let fresh = ts_seen.bytes().all(|b| b.is_ascii_digit())
        && ts_seen
            .parse::<i64>()
            .is_ok_and(|t| (i128::from(now) - i128::from(t)).abs() <= i128::from(tolerance.max(0)));
    let must_verify = complete && has_good && !secret.is_empty() && fresh && !ts_seen.is_empty();
    Ok(PolarCase { body, headers, secret, now, tolerance, must_verify })
}

fn case_of(u: &mut Unstructured<'_>, name: &str) -> AResult<String> {
    Ok(match u.int_in_range(0u8..=2)? {
        0 => name.to_owned(),
        1 => name.to_ascii_uppercase(),
        _ => name.split('-').map(|w| w[..1].to_ascii_uppercase() + &w[1..]).collect::<Vec<_>>().join("-"),
    })
}

/// One Voucherify verification, and whether it must succeed.
#[derive(Debug)]
pub struct VoucherifyCase {
    pub body: Vec<u8>,
    pub header: Option<String>,
    pub secret: String,
    pub must_verify: bool,
}

impl VoucherifyCase {
    pub fn run(&self) -> Result<(), Issue> {
        orderhook::verify::voucherify(&self.body, self.header.as_deref(), &self.secret).map(|_| ())
    }

    pub fn check(&self, result: &Result<(), Issue>) -> Result<(), String> {
        check_verify(result, &self.secret)?;
        if self.must_verify && result.is_err() {
            return Err(format!("a correct signature was refused: {result:?}"));
        }
        Ok(())
    }
}

pub fn voucherify_case(u: &mut Unstructured<'_>, seeds: &[Seed]) -> AResult<VoucherifyCase> {
    let body = if u.arbitrary()? { u.choose(seeds)?.bytes.clone() } else { raw_body(u, seeds)? };
    let secret = match u.int_in_range(0u8..=4)? {
        0 => String::new(),
        1 => "test-secret".to_owned(),
        2 => {
            let n = u.int_in_range(12usize..=32)?.min(u.len());
            format!("vfy_sk_{}", STANDARD.encode(u.bytes(n)?))
        }
        _ => u.arbitrary::<String>()?,
    };
    let hex: String = hmac(secret.as_bytes(), &[&body]).iter().map(|b| format!("{b:02x}")).collect();
    let (header, good) = match u.int_in_range(0u8..=5)? {
        0 => (None, false),
        1 => (Some(hex), true),
        2 => (Some(format!(" \t{}\t ", hex.to_ascii_uppercase())), true),
        3 => (Some(hex[..63].to_owned() + "g"), false),
        4 => (Some((*u.choose(&["", "00", "sha256=", "zz"])?).to_owned()), false),
        _ => (Some(u.arbitrary::<String>()?), false),
    };
    let must_verify = good && !secret.is_empty();
    Ok(VoucherifyCase { body, header, secret, must_verify })
}
