//! The verdict as JSON text, written field by field into one buffer: byte for byte
//! what `serde_json` writes from the `Serialize` impls (tests compare the two on
//! every fixture), without serde's generic machinery on the path every parse takes.

use crate::event::{Address, Customer, Item, Order, OrderEvent};
use crate::issue::Issue;
use crate::money::MinorUnits;
use crate::time::Timestamp;
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
    // Only UTF-8 went in: `str`s, ASCII digits and escapes.
    String::from_utf8(w.0).unwrap_or_default()
}

struct Json(Vec<u8>);

impl Json {
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
        self.0.push(b'[');
        for (i, issue) in issues.iter().enumerate() {
            if i > 0 {
                self.0.push(b',');
            }
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
        self.0.push(b']');
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
        self.0.push(b'[');
        for (i, item) in o.items.iter().enumerate() {
            if i > 0 {
                self.0.push(b',');
            }
            self.item(item);
        }
        self.0.push(b']');
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
