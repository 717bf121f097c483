//! `verify::voucherify` on generated headers, secrets and bodies; a correct
//! signature must verify.
#![no_main]

#[path = "../../tests/mutation/mod.rs"]
mod mutation;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let seeds = mutation::seeds_of(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    let mut u = arbitrary::Unstructured::new(data);
    let Ok(case) = mutation::voucherify_case(&mut u, seeds) else { return };
    if let Err(e) = case.check(&case.run()) {
        panic!("{e}\n{case:#?}");
    }
});
