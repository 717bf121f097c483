//! Native parse + validate + normalize against `serde_json::from_slice::<Value>`
//! on the same bytes (the seed payloads and reference examples in ../shared).
//! `cargo bench --bench parse`; figures go to bench/RESULTS.md.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

#[path = "../tests/common/mod.rs"]
mod common;

fn payloads() -> Vec<(String, Vec<u8>)> {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    let mut out = Vec::new();
    for (name, seed) in
        [("voucherify-001", "001"), ("voucherify-002", "002"), ("polar-003", "003"), ("vrio-004", "004")]
    {
        out.push((name.to_owned(), common::seed_json(seed).into_bytes()));
    }
    for (name, file) in [
        ("polar-refunded", "reference/polar/example_order_refunded_subscription.CONSTRUCTED.json"),
        ("voucherify-envelope", "reference/voucherify/SYNTHESIZED.envelope.customer.order.paid.json"),
    ] {
        out.push((name.to_owned(), std::fs::read(shared.join(file)).expect("reference")));
    }
    out
}

fn bench(c: &mut Criterion) {
    let options = orderhook::Options::default();
    for (name, body) in payloads() {
        assert!(orderhook::parse(&body, &options).is_ok(), "{name} must parse");
        let mut g = c.benchmark_group(name);
        g.throughput(Throughput::Bytes(body.len() as u64));
        g.bench_function("orderhook::parse", |b| b.iter(|| orderhook::parse(std::hint::black_box(&body), &options)));
        g.bench_function("serde_json::Value", |b| {
            b.iter(|| serde_json::from_slice::<serde_json::Value>(std::hint::black_box(&body)).unwrap())
        });
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(50).measurement_time(std::time::Duration::from_secs(2)).warm_up_time(std::time::Duration::from_millis(500));
    targets = bench
}
criterion_main!(benches);
