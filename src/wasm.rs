//! The wasm-bindgen exports, and nothing else: decode arguments, call the core,
//! encode the result as JSON text (one `JSON.parse` on the JS side beat building
//! JS objects from Rust in our measurements; see bench/RESULTS.md). Options come
//! as one JSON object and are read by the core (`options.rs`), so every rule and
//! message lives in Rust. Misuse of the API throws a `TypeError`; bad payloads
//! never throw.

use std::sync::Arc;

use wasm_bindgen::prelude::*;

use crate::issue::Issues;
use crate::options::{self, NamedOptions, OptionError, Written};
use crate::time::{InstantOffsets, TimeZone};
use crate::verify::{Headers, DEFAULT_TOLERANCE_SECONDS};
use crate::Provider;

fn type_error(msg: impl std::fmt::Display) -> JsValue {
    js_sys::TypeError::new(&format!("orderhook: {msg}")).into()
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

/// `named_zone(name)` returns an offset function for an IANA name the host's
/// `Intl` knows, and `undefined` otherwise.
fn host_zone(named_zone: &js_sys::Function, name: &str) -> Option<TimeZone> {
    let f = named_zone.call1(&JsValue::NULL, &JsValue::from_str(name)).ok()?;
    let f: js_sys::Function = f.dyn_into().ok()?;
    let js = JsOffsets(f);
    Some(TimeZone::Named(Arc::new(InstantOffsets::new(name, move |t| js.at(t)))))
}

fn misuse(e: OptionError) -> JsValue {
    type_error(e)
}

/// Parse a body given as bytes with options given as JSON text (`undefined`
/// for the defaults); returns the verdict as JSON text.
#[wasm_bindgen]
pub fn parse(body: &[u8], options_json: Option<String>, named_zone: &js_sys::Function) -> Result<String, JsValue> {
    let named = match options_json {
        None => NamedOptions::default(),
        Some(json) => NamedOptions::from_json(&json, |name| host_zone(named_zone, name)).map_err(misuse)?,
    };
    Ok(crate::parse(body, &named.options).verdict().to_json())
}

/// Detect provider and event type; returns JSON text (`null` if unknown or
/// larger than `maxBytes`).
#[wasm_bindgen]
pub fn detect(body: &[u8], options_json: Option<String>) -> Result<String, JsValue> {
    let max = match options_json {
        None => crate::DEFAULT_MAX_BYTES,
        Some(json) => {
            Written::read(&json, &options::DETECT_OPTION_NAMES, "detect").and_then(|w| w.max_bytes()).map_err(misuse)?
        }
    };
    Ok(crate::encode::detected_json(crate::detect_within(body, max).as_ref()))
}

/// The host's `(key, prefix, body) => digest` HMAC-SHA256, when it has a native
/// one; `None` (this crate's SHA-256) when it throws or answers anything but 32 bytes.
fn host_hmac(f: &js_sys::Function, key: &[u8], prefix: &[u8], body: &[u8]) -> Option<[u8; 32]> {
    // SAFETY: the view is read synchronously by the callback, which cannot reach
    // wasm memory (so it cannot grow and detach the view) before it returns.
    let body = unsafe { js_sys::Uint8Array::view(body) };
    let digest =
        f.call3(&JsValue::NULL, &js_sys::Uint8Array::from(key), &js_sys::Uint8Array::from(prefix), &body).ok()?;
    let digest: js_sys::Uint8Array = digest.dyn_into().ok()?;
    let mut out = [0u8; 32];
    (digest.length() == 32).then(|| digest.copy_to(&mut out))?;
    Some(out)
}

/// Verify a signature; `names` and `values` are the request headers, `now_ms`
/// the caller's clock, `hmac` the host's native HMAC-SHA256 if it has one
/// (node:crypto's is several times faster than hashing in wasm). Returns
/// `{"ok":true,"id"?}` or `{"ok":false,"error":Issue}`.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn verify(
    provider_name: &str,
    body: &[u8],
    names: Vec<String>,
    values: Vec<String>,
    secret: &str,
    options_json: Option<String>,
    now_ms: f64,
    hmac: Option<js_sys::Function>,
) -> Result<String, JsValue> {
    let p = Provider::from_name(provider_name).ok_or_else(|| misuse(options::unknown_provider(provider_name)))?;
    let tolerance = match options_json {
        None => None,
        Some(json) => Written::read(&json, &options::VERIFY_OPTION_NAMES, "verify")
            .and_then(|w| w.tolerance_seconds())
            .map_err(misuse)?,
    };
    let tolerance = tolerance.unwrap_or(DEFAULT_TOLERANCE_SECONDS);
    let pairs: Vec<(&str, &str)> = names.iter().map(String::as_str).zip(values.iter().map(String::as_str)).collect();
    let headers = Headers::new(&pairs);
    let now = (now_ms / 1000.0).floor() as i64;
    let mac = |key: &[u8], prefix: &[u8], body: &[u8]| {
        hmac.as_ref()
            .and_then(|f| host_hmac(f, key, prefix, body))
            .unwrap_or_else(|| crate::verify::hmac_sha256(key, prefix, body))
    };
    let result = crate::verify::verify_with(p, body, &headers, secret, now, tolerance, &mac);
    Ok(crate::encode::verified_json(&result))
}

/// The delivery id `provider` keeps across retries, from the request headers
/// (`names`, `values`) or the parsed event's `event_id`; `undefined` when absent.
#[wasm_bindgen(js_name = deliveryId)]
pub fn delivery_id(
    provider_name: &str,
    names: Vec<String>,
    values: Vec<String>,
    event_id: Option<String>,
) -> Result<Option<String>, JsValue> {
    let p = Provider::from_name(provider_name).ok_or_else(|| misuse(options::unknown_provider(provider_name)))?;
    let pairs: Vec<(&str, &str)> = names.iter().map(String::as_str).zip(values.iter().map(String::as_str)).collect();
    let headers = Headers::new(&pairs);
    Ok(crate::providers::delivery_id_of(p, &headers, event_id.as_deref()).map(str::to_owned))
}

/// Check the options of a `parseRequest` call before its body is read.
#[wasm_bindgen(js_name = checkRequestOptions)]
pub fn check_request_options(options_json: String, named_zone: &js_sys::Function) -> Result<(), JsValue> {
    NamedOptions::check_request(&options_json, |name| host_zone(named_zone, name)).map_err(misuse)
}

/// The `too_large` verdict, for JavaScript to refuse a body before copying it
/// into wasm memory (which never shrinks).
/// `size` is negative when a stream was stopped at the limit.
#[wasm_bindgen(js_name = tooLarge)]
pub fn too_large(size: f64, max_bytes: f64) -> Result<String, JsValue> {
    let size = (size >= 0.0).then_some(size as usize);
    failed(crate::too_large(size, max_bytes as usize))
}

/// The verdict for a request body that ended before its declared length.
#[wasm_bindgen(js_name = incompleteBody)]
pub fn incomplete_body() -> Result<String, JsValue> {
    failed(crate::incomplete_body())
}

fn failed(issue: crate::Issue) -> Result<String, JsValue> {
    Ok(crate::encode::failed_json(&issue))
}

/// The core's limits and names, read once by the JavaScript layer so it keeps
/// no copy of its own.
#[wasm_bindgen]
pub fn limits() -> Result<String, JsValue> {
    let provider_specs = crate::providers::catalog();
    Ok(crate::encode::limits_json(&crate::encode::Limits {
        default_max_bytes: crate::DEFAULT_MAX_BYTES,
        default_tolerance_seconds: DEFAULT_TOLERANCE_SECONDS,
        max_depth: crate::MAX_DEPTH,
        max_issues: Issues::MAX,
        providers: Provider::ALL,
        provider_specs: &provider_specs,
        parse_options: &options::PARSE_OPTION_NAMES,
        verify_options: &options::VERIFY_OPTION_NAMES,
    }))
}
