//! The wasm-bindgen exports, and nothing else: decode arguments, call the core,
//! encode the result as JSON text (one `JSON.parse` on the JS side beat building
//! JS objects from Rust in our measurements; see bench/RESULTS.md). Misuse of the
//! API throws a `TypeError`; bad payloads never throw.

use std::sync::Arc;

use wasm_bindgen::prelude::*;

use crate::time::{InstantOffsets, TimeZone};
use crate::verify::Headers;
use crate::{Currency, Options, Provider};

fn type_error(msg: String) -> JsValue {
    js_sys::TypeError::new(&msg).into()
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String, JsValue> {
    serde_json::to_string(v).map_err(|e| type_error(format!("orderhook: could not encode result: {e}")))
}

fn provider(name: &str) -> Result<Provider, JsValue> {
    Provider::from_name(name).ok_or_else(|| {
        type_error(format!("orderhook: unknown provider {name:?}; expected \"polar\", \"voucherify\" or \"vrio\""))
    })
}

/// A JS function `(unixSeconds) => offsetSeconds`, built by the JS layer on
/// `Intl.DateTimeFormat`, so IANA zones cost no wasm size.
struct JsOffsets(js_sys::Function);

// SAFETY: wasm32-unknown-unknown without the atomics feature is single-threaded;
// the value never leaves the thread that made it.
unsafe impl Send for JsOffsets {}
unsafe impl Sync for JsOffsets {}

impl JsOffsets {
    fn at(&self, unix_seconds: i64) -> Option<i32> {
        let v = self.0.call1(&JsValue::NULL, &JsValue::from_f64(unix_seconds as f64)).ok()?;
        v.as_f64().filter(|o| o.is_finite() && o.abs() < 86_400.0).map(|o| o as i32)
    }
}

fn time_zone(name: Option<String>, offset_at: Option<js_sys::Function>) -> Result<Option<TimeZone>, JsValue> {
    let Some(name) = name else { return Ok(None) };
    match (TimeZone::parse(&name), offset_at) {
        (Ok(tz), _) => Ok(Some(tz)),
        (Err(_), Some(f)) => {
            let js = JsOffsets(f);
            Ok(Some(TimeZone::Named(Arc::new(InstantOffsets::new(name, move |t| js.at(t))))))
        }
        (Err(e), None) => Err(type_error(format!("orderhook: time zone {name:?}: {e}"))),
    }
}

#[allow(clippy::too_many_arguments)]
fn options(
    provider_name: Option<String>,
    time_zone_name: Option<String>,
    zone_offset_at: Option<js_sys::Function>,
    currency: Option<String>,
    max_bytes: Option<f64>,
    strict: bool,
) -> Result<Options, JsValue> {
    let currency = match currency {
        Some(c) => Some(
            Currency::new(&c)
                .ok_or_else(|| type_error(format!("orderhook: currency {c:?} is not an ISO 4217 code")))?,
        ),
        None => None,
    };
    Ok(Options {
        provider: provider_name.as_deref().map(provider).transpose()?,
        time_zone: time_zone(time_zone_name, zone_offset_at)?,
        currency,
        max_bytes: max_bytes.map_or(crate::DEFAULT_MAX_BYTES, |m| m as usize),
        strict,
    })
}

/// Parse a body given as bytes; returns the verdict as JSON text.
#[wasm_bindgen(js_name = parseBytes)]
#[allow(clippy::too_many_arguments)]
pub fn parse_bytes(
    body: &[u8],
    provider_name: Option<String>,
    time_zone_name: Option<String>,
    zone_offset_at: Option<js_sys::Function>,
    currency: Option<String>,
    max_bytes: Option<f64>,
    strict: bool,
    include_source: bool,
) -> Result<String, JsValue> {
    let opts = options(provider_name, time_zone_name, zone_offset_at, currency, max_bytes, strict)?;
    to_json(&crate::parse(body, &opts).verdict(include_source))
}

/// Parse a body given as a string; returns the verdict as JSON text.
#[wasm_bindgen(js_name = parseString)]
#[allow(clippy::too_many_arguments)]
pub fn parse_string(
    body: &str,
    provider_name: Option<String>,
    time_zone_name: Option<String>,
    zone_offset_at: Option<js_sys::Function>,
    currency: Option<String>,
    max_bytes: Option<f64>,
    strict: bool,
    include_source: bool,
) -> Result<String, JsValue> {
    parse_bytes(
        body.as_bytes(),
        provider_name,
        time_zone_name,
        zone_offset_at,
        currency,
        max_bytes,
        strict,
        include_source,
    )
}

/// Detect provider and event type; returns JSON text (`null` if unknown).
#[wasm_bindgen]
pub fn detect(body: &[u8]) -> Result<String, JsValue> {
    to_json(&crate::detect(body))
}

/// Verify a signature; `names` and `values` are the request headers. Returns
/// `{"ok":true}` or `{"ok":false,"error":Issue}` as JSON text.
#[wasm_bindgen]
pub fn verify(
    provider_name: &str,
    body: &[u8],
    names: Vec<String>,
    values: Vec<String>,
    secret: &str,
    tolerance_seconds: f64,
    now_ms: f64,
) -> Result<String, JsValue> {
    let p = provider(provider_name)?;
    let pairs: Vec<(&str, &str)> = names.iter().map(String::as_str).zip(values.iter().map(String::as_str)).collect();
    let headers = Headers::new(&pairs);
    let now = (now_ms / 1000.0).floor() as i64;
    let result = crate::verify::verify(p, body, &headers, secret, now, tolerance_seconds as i64);
    #[derive(serde::Serialize)]
    struct Verified<'a> {
        ok: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        error: Option<&'a crate::Issue>,
    }
    to_json(&Verified { ok: result.is_ok(), error: result.as_ref().err() })
}
