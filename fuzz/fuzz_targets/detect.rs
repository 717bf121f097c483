//! `detect` on arbitrary bytes: it must answer, whatever they are.
#![no_main]

libfuzzer_sys::fuzz_target!(|body: &[u8]| {
    let _ = std::hint::black_box(orderhook::detect(body));
});
