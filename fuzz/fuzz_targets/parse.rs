//! `parse` on arbitrary bytes, the provider detected.
#![no_main]

mod parse_body;

libfuzzer_sys::fuzz_target!(|body: &[u8]| parse_body::run(body, None));
