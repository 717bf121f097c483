//! Structure-aware: the seed payloads (tests/fixtures, examples/samples) with types
//! swapped, keys dropped or duplicated, huge, negative and fractional numbers,
//! deep nesting, long strings and invalid UTF-8 inside strings, parsed with
//! generated options.
#![no_main]

#[path = "../../tests/mutation/mod.rs"]
mod mutation;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let seeds = mutation::seeds_of(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    let mut u = arbitrary::Unstructured::new(data);
    let (Ok(body), Ok(options)) = (mutation::mutated_seed(&mut u, seeds), mutation::options(&mut u, None)) else {
        return;
    };
    let out = orderhook::parse(&body, &options);
    if let Err(e) = mutation::check_outcome(&body, &options, &out) {
        panic!("invariant broken: {e}\nissues: {:?}", out.issues());
    }
    let _ = std::hint::black_box(orderhook::detect(&body));
});
