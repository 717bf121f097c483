//! `parse` on arbitrary bytes, the provider forced.
#![no_main]

mod parse_body;

libfuzzer_sys::fuzz_target!(|body: &[u8]| parse_body::run(body, Some(orderhook::Provider::Polar)));
