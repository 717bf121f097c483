//! The JSON answers of the wasm exports (the verdict, and those of `verify`,
//! `detect` and `limits`), written field by field into one buffer: byte for byte
//! what `serde_json` writes from the `Serialize` impls (tests compare the two),
//! without serde's generic serializer in the `.wasm`.

use crate::detect::Detected;
use crate::event::{Address, Customer, Item, Order, OrderEvent};
use crate::issue::Issue;
use crate::money::MinorUnits;
use crate::provider::Provider;
use crate::providers::{DeliveryId, ProviderInfo};
use crate::time::Timestamp;
use crate::verify::Verified;
use crate::Verdict;

/// `serde_json::to_string(verdict)`, faster.
pub(crate) fn verdict_json(v: &Verdict<'_>) -> String {
    let mut w = Json(Vec::with_capacity(2048));
    w.raw(if v.ok { "{\"ok\":true" } else { "{\"ok\":false" });
    if let Some(event) = v.event {
        w.raw(",\"event\":");
        w.event(event);
    }
    if let Some(errors) = &v.errors {
        w.raw(",\"errors\":");
        w.issues(errors);
    }
    w.raw(",\"warnings\":");
    w.issues(&v.warnings);
    if let Some(source) = v.source {
        w.raw(",\"source\":{\"provider\":");
        w.str(source.provider().as_str());
        // The body's own text, valid JSON (it was read as such): copied, not re-encoded.
        w.raw(",\"payload\":");
        w.raw(source.payload());
        w.raw("}");
    }
    w.raw("}");
    w.finish()
}

/// `{"ok":false,"errors":[issue],"warnings":[]}`: a verdict of one error.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // wasm.rs only (and the tests)
pub(crate) fn failed_json(issue: &Issue) -> String {
    let mut w = Json(Vec::with_capacity(256));
    w.raw("{\"ok\":false,\"errors\":");
    w.issues(&[issue]);
    w.raw(",\"warnings\":[]}");
    w.finish()
}

/// `verify`'s answer: `{"ok":true}` (with `"id"` when the signature vouches for
/// one) or `{"ok":false,"error":issue}`.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // wasm.rs only (and the tests)
pub(crate) fn verified_json(result: &Result<Verified, Issue>) -> String {
    let mut w = Json(Vec::with_capacity(256));
    match result {
        Ok(v) => {
            w.raw("{\"ok\":true");
            if let Some(id) = &v.id {
                w.key("id");
                w.str(id);
            }
        }
        Err(issue) => {
            w.raw("{\"ok\":false,\"error\":");
            w.issue(issue);
        }
    }
    w.raw("}");
    w.finish()
}

/// `detect`'s answer: `null`, or `{"provider":…,"eventType":…}`.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // wasm.rs only (and the tests)
pub(crate) fn detected_json(d: Option<&Detected>) -> String {
    let Some(d) = d else { return "null".to_owned() };
    let mut w = Json(Vec::with_capacity(64));
    w.raw("{\"provider\":");
    w.str(d.provider.as_str());
    w.key("eventType");
    w.opt_str(d.event_type.as_deref());
    w.raw("}");
    w.finish()
}

/// The core's limits and names for the JavaScript layer (`limits()`).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // wasm.rs only (and the tests)
pub(crate) struct Limits<'a> {
    pub(crate) default_max_bytes: usize,
    pub(crate) default_tolerance_seconds: i64,
    pub(crate) max_depth: usize,
    pub(crate) max_issues: usize,
    pub(crate) providers: &'a [Provider],
    pub(crate) provider_specs: &'a [ProviderInfo],
    pub(crate) parse_options: &'a [&'a str],
    pub(crate) verify_options: &'a [&'a str],
}

/// [`Limits`] as JSON, with camelCase names.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // wasm.rs only (and the tests)
pub(crate) fn limits_json(l: &Limits<'_>) -> String {
    let mut w = Json(Vec::with_capacity(4096));
    w.raw("{\"defaultMaxBytes\":");
    w.int(l.default_max_bytes as i64);
    w.key("defaultToleranceSeconds");
    w.int(l.default_tolerance_seconds);
    w.key("maxDepth");
    w.int(l.max_depth as i64);
    w.key("maxIssues");
    w.int(l.max_issues as i64);
    w.key("providers");
    w.strs(l.providers.iter().map(|p| p.as_str()));
    w.key("providerSpecs");
    w.list(l.provider_specs, |w, s| {
        w.raw("{\"name\":");
        w.str(s.name.as_str());
        w.key("title");
        w.str(s.title);
        w.key("events");
        w.pairs(s.events.iter().map(|(e, k)| (*e, k.as_str())));
        w.key("statuses");
        w.pairs(s.statuses.iter().map(|(word, st)| (*word, st.as_str())));
        w.key("signatureHeaders");
        match s.signature_headers {
            Some(h) => w.strs(h.iter().copied()),
            None => w.raw("null"),
        }
        w.key("signatureScheme");
        w.opt_str(s.signature_scheme);
        w.key("eventTypeHeader");
        w.opt_str(s.event_type_header);
        w.key("deliveryId");
        match s.delivery_id {
            DeliveryId::Header { name } => {
                w.raw("{\"source\":\"header\",\"name\":");
                w.str(name);
                w.raw("}");
            }
            DeliveryId::EventId => w.raw("{\"source\":\"event_id\"}"),
            DeliveryId::None => w.raw("{\"source\":\"none\"}"),
        }
        w.key("retryHorizonHours");
        w.int(i64::from(s.retry_horizon_hours));
        w.0.push(b'}');
    });
    w.key("parseOptions");
    w.strs(l.parse_options.iter().copied());
    w.key("verifyOptions");
    w.strs(l.verify_options.iter().copied());
    w.raw("}");
    w.finish()
}

struct Json(Vec<u8>);

impl Json {
    fn finish(self) -> String {
        // Only UTF-8 went in: `str`s, ASCII digits and escapes.
        String::from_utf8(self.0).unwrap_or_default()
    }

    /// `[…]`, each element written by `each`.
    fn list<T>(&mut self, items: impl IntoIterator<Item = T>, mut each: impl FnMut(&mut Json, T)) {
        self.0.push(b'[');
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                self.0.push(b',');
            }
            each(self, item);
        }
        self.0.push(b']');
    }

    /// `["a","b"]`
    fn strs<'s>(&mut self, items: impl IntoIterator<Item = &'s str>) {
        self.list(items, Json::str);
    }

    /// `[["a","b"],…]`: pairs of names, as serde writes a `Vec` of 2-tuples.
    fn pairs<'s>(&mut self, items: impl IntoIterator<Item = (&'s str, &'s str)>) {
        self.list(items, |w, (a, b)| w.strs([a, b]));
    }

    fn raw(&mut self, s: &str) {
        self.0.extend_from_slice(s.as_bytes());
    }

    /// `,"name":`
    fn key(&mut self, name: &str) {
        self.0.extend_from_slice(b",\"");
        self.raw(name);
        self.0.extend_from_slice(b"\":");
    }

    /// A string, escaped as serde_json escapes it: `"`, `\` and control characters only.
    fn str(&mut self, s: &str) {
        let out = &mut self.0;
        out.push(b'"');
        let bytes = s.as_bytes();
        let mut start = 0;
        for (i, &b) in bytes.iter().enumerate() {
            let escape: &[u8] = match b {
                b'"' => b"\\\"",
                b'\\' => b"\\\\",
                b'\n' => b"\\n",
                b'\r' => b"\\r",
                b'\t' => b"\\t",
                0x08 => b"\\b",
                0x0c => b"\\f",
                0..=0x1f => b"",
                _ => continue,
            };
            out.extend_from_slice(&bytes[start..i]);
            if escape.is_empty() {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(&[b'\\', b'u', b'0', b'0', HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]]);
            } else {
                out.extend_from_slice(escape);
            }
            start = i + 1;
        }
        out.extend_from_slice(&bytes[start..]);
        out.push(b'"');
    }

    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.str(s),
            None => self.raw("null"),
        }
    }

    fn int(&mut self, v: i64) {
        self.raw(itoa::Buffer::new().format(v));
    }

    fn money(&mut self, m: Option<MinorUnits>) {
        match m {
            Some(m) => self.int(m.get()),
            None => self.raw("null"),
        }
    }

    fn time(&mut self, t: Option<Timestamp>) {
        match t {
            Some(t) => t.with_rfc3339(|s| {
                self.0.push(b'"');
                self.raw(s);
                self.0.push(b'"');
            }),
            None => self.raw("null"),
        }
    }

    fn issues(&mut self, issues: &[&Issue]) {
        self.list(issues, |w, issue| w.issue(issue));
    }

    fn issue(&mut self, issue: &Issue) {
        self.raw("{\"severity\":");
        self.str(if issue.is_error() { "error" } else { "warning" });
        self.key("code");
        self.str(issue.code.as_str());
        self.key("path");
        self.str(&issue.path);
        self.key("message");
        self.str(&issue.message);
        if let Some(p) = issue.position {
            for (name, v) in [("offset", p.offset), ("line", p.line), ("column", p.column)] {
                self.key(name);
                self.raw(itoa::Buffer::new().format(v));
            }
        }
        self.0.push(b'}');
    }

    fn event(&mut self, e: &OrderEvent) {
        self.raw("{\"provider\":");
        self.str(e.provider.as_str());
        self.key("event_type");
        self.opt_str(e.event_type.as_deref());
        self.key("kind");
        self.str(e.kind.as_str());
        self.key("event_id");
        self.opt_str(e.event_id.as_deref());
        self.key("occurred_at");
        self.time(e.occurred_at);
        self.key("order");
        self.order(&e.order);
        self.0.push(b'}');
    }

    fn order(&mut self, o: &Order) {
        self.raw("{\"id\":");
        self.str(&o.id);
        self.key("number");
        self.opt_str(o.number.as_deref());
        self.key("status");
        self.str(o.status.as_str());
        self.key("provider_status");
        self.opt_str(o.provider_status.as_deref());
        self.key("currency");
        self.opt_str(o.currency.as_ref().map(|c| c.as_str()));
        self.key("currency_digits");
        match o.currency_digits {
            Some(d) => self.int(i64::from(d)),
            None => self.raw("null"),
        }
        for (name, m) in [
            ("subtotal", o.subtotal),
            ("discount", o.discount),
            ("tax", o.tax),
            ("shipping", o.shipping),
            ("total", o.total),
            ("refunded", o.refunded),
        ] {
            self.key(name);
            self.money(m);
        }
        self.key("items");
        self.list(&o.items, Json::item);
        self.key("customer");
        match &o.customer {
            Some(c) => self.customer(c),
            None => self.raw("null"),
        }
        for (name, a) in [("billing_address", &o.billing_address), ("shipping_address", &o.shipping_address)] {
            self.key(name);
            match a {
                Some(a) => self.address(a),
                None => self.raw("null"),
            }
        }
        self.key("created_at");
        self.time(o.created_at);
        self.key("updated_at");
        self.time(o.updated_at);
        self.key("metadata");
        match &o.metadata {
            Some(raw) => self.raw(raw.get()),
            None => self.raw("null"),
        }
        self.0.push(b'}');
    }

    fn item(&mut self, i: &Item) {
        self.raw("{\"id\":");
        self.opt_str(i.id.as_deref());
        self.key("product_id");
        self.opt_str(i.product_id.as_deref());
        self.key("sku");
        self.opt_str(i.sku.as_deref());
        self.key("name");
        self.opt_str(i.name.as_deref());
        self.key("quantity");
        self.int(i.quantity);
        for (name, m) in [("unit_price", i.unit_price), ("discount", i.discount), ("tax", i.tax), ("total", i.total)] {
            self.key(name);
            self.money(m);
        }
        self.0.push(b'}');
    }

    fn customer(&mut self, c: &Customer) {
        self.raw("{\"id\":");
        self.opt_str(c.id.as_deref());
        for (name, v) in [("external_id", &c.external_id), ("email", &c.email), ("name", &c.name), ("phone", &c.phone)]
        {
            self.key(name);
            self.opt_str(v.as_deref());
        }
        self.0.push(b'}');
    }

    fn address(&mut self, a: &Address) {
        self.raw("{\"name\":");
        self.opt_str(a.name.as_deref());
        for (name, v) in [
            ("line1", &a.line1),
            ("line2", &a.line2),
            ("city", &a.city),
            ("state", &a.state),
            ("postal_code", &a.postal_code),
            ("country", &a.country),
        ] {
            self.key(name);
            self.opt_str(v.as_deref());
        }
        self.0.push(b'}');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Kind, Status};
    use crate::{Code, Currency, Position, Provider};

    fn an_issue(position: bool) -> Issue {
        let mut issue = Issue::error(Code::BadSignature, "/a/\"b\"", "no match\n\u{1}é".to_owned());
        if position {
            issue.position = Some(Position { offset: 12, line: 2, column: 7 });
        }
        issue
    }

    #[test]
    fn a_one_error_verdict_is_written_as_serde_json_writes_it() {
        #[derive(serde::Serialize)]
        struct Failed {
            ok: bool,
            errors: [Issue; 1],
            warnings: [Issue; 0],
        }
        for position in [false, true] {
            let issue = an_issue(position);
            let expected = serde_json::to_string(&Failed { ok: false, errors: [issue.clone()], warnings: [] }).unwrap();
            assert_eq!(failed_json(&issue), expected);
        }
    }

    #[test]
    fn a_verify_answer_is_written_as_serde_json_writes_it() {
        #[derive(serde::Serialize)]
        struct Answer<'a> {
            ok: bool,
            #[serde(skip_serializing_if = "Option::is_none")]
            id: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            error: Option<&'a Issue>,
        }
        let results =
            [Ok(Verified { id: Some("msg_\"1\"".to_owned()) }), Ok(Verified { id: None }), Err(an_issue(false))];
        for result in &results {
            let expected = serde_json::to_string(&Answer {
                ok: result.is_ok(),
                id: result.as_ref().ok().and_then(|v| v.id.as_deref()),
                error: result.as_ref().err(),
            })
            .unwrap();
            assert_eq!(verified_json(result), expected);
        }
    }

    #[test]
    fn a_detect_answer_is_written_as_serde_json_writes_it() {
        let found = [
            None,
            Some(Detected { provider: Provider::Polar, event_type: Some("order.paid".into()) }),
            Some(Detected { provider: Provider::Voucherify, event_type: None }),
        ];
        for d in &found {
            assert_eq!(detected_json(d.as_ref()), serde_json::to_string(d).unwrap());
        }
    }

    #[test]
    fn the_limits_are_written_as_serde_json_writes_them() {
        #[derive(serde::Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Expected<'a> {
            default_max_bytes: usize,
            default_tolerance_seconds: i64,
            max_depth: usize,
            max_issues: usize,
            providers: &'a [Provider],
            provider_specs: &'a [ProviderInfo],
            parse_options: &'a [&'a str],
            verify_options: &'a [&'a str],
        }
        let specs = crate::catalog();
        let limits = Limits {
            default_max_bytes: 1 << 20,
            default_tolerance_seconds: 300,
            max_depth: 128,
            max_issues: 100,
            providers: Provider::ALL,
            provider_specs: &specs,
            parse_options: &crate::options::PARSE_OPTION_NAMES,
            verify_options: &crate::options::VERIFY_OPTION_NAMES,
        };
        let expected = serde_json::to_string(&Expected {
            default_max_bytes: limits.default_max_bytes,
            default_tolerance_seconds: limits.default_tolerance_seconds,
            max_depth: limits.max_depth,
            max_issues: limits.max_issues,
            providers: limits.providers,
            provider_specs: limits.provider_specs,
            parse_options: limits.parse_options,
            verify_options: limits.verify_options,
        })
        .unwrap();
        assert_eq!(limits_json(&limits), expected);
        // Every delivery-id source and signature shape is in the catalog above.
        for needle in
            ["\"source\":\"header\"", "\"source\":\"event_id\"", "\"source\":\"none\"", "\"signatureHeaders\":null"]
        {
            assert!(expected.contains(needle), "{needle}");
        }
    }

    fn weird(tag: &str) -> Option<String> {
        Some(format!("{tag} \"q\" \\ / \n\r\t\u{8}\u{c}\u{1}\u{1f}\u{7f} é 😀"))
    }

    #[test]
    fn a_fully_populated_event_is_written_as_serde_json_writes_it() {
        let t = Timestamp::parse_rfc3339("2024-03-12T14:41:49.128+02:00").unwrap();
        let address = Address {
            name: weird("n"),
            line1: weird("l1"),
            line2: None,
            city: weird("c"),
            state: weird("s"),
            postal_code: weird("p"),
            country: Some("US".into()),
        };
        let event = OrderEvent {
            provider: Provider::Vrio,
            event_type: weird("t"),
            kind: Kind::Refunded,
            event_id: weird("e"),
            occurred_at: Some(t),
            order: Order {
                id: weird("o").unwrap(),
                number: weird("no"),
                status: Status::PartiallyRefunded,
                provider_status: weird("ps"),
                currency: Some(Currency::parse("KWD").unwrap()),
                currency_digits: Some(3),
                subtotal: MinorUnits::new(-(MinorUnits::MAX)),
                discount: MinorUnits::new(0),
                tax: None,
                shipping: MinorUnits::new(MinorUnits::MAX),
                total: MinorUnits::new(12),
                refunded: None,
                items: vec![
                    Item {
                        id: weird("i"),
                        product_id: None,
                        sku: weird("sku"),
                        name: weird("name"),
                        quantity: -3,
                        unit_price: MinorUnits::new(5),
                        discount: None,
                        tax: MinorUnits::new(1),
                        total: MinorUnits::new(15),
                    };
                    2
                ],
                customer: Some(Customer {
                    id: weird("c"),
                    external_id: None,
                    email: weird("m"),
                    name: weird("n"),
                    phone: weird("p"),
                }),
                billing_address: Some(address.clone()),
                shipping_address: None,
                created_at: Some(t),
                updated_at: None,
                metadata: Some(serde_json::value::RawValue::from_string(r#"{ "a" : [1, "\u00e9"] }"#.into()).unwrap()),
            },
        };
        let issues = [
            Issue::error(Code::InvalidJson, "/a~1b", "bad \"x\"\n").at(Position { offset: 1, line: 2, column: 3 }),
            Issue::warning(Code::AssumedCurrency, "", "none"),
        ];
        for ok in [true, false] {
            let v = Verdict {
                ok,
                event: ok.then_some(&event),
                errors: (!ok).then(|| issues.iter().collect()),
                warnings: issues.iter().collect(),
                source: None,
            };
            assert_eq!(verdict_json(&v), serde_json::to_string(&v).unwrap());
        }
    }
}
