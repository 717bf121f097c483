//! Native parse + validate + normalize against `serde_json::from_slice::<Value>`
//! on the same bytes (fixtures of tests/fixtures reproducing the seed documents
//! and reference examples: one per provider and envelope shape).
//! `cargo bench --bench parse`; figures go to bench/RESULTS.md.

#[path = "../tests/common/mod.rs"]
mod common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn payloads() -> Vec<(String, Vec<u8>)> {
    [
        ("voucherify-bare-paid", "voucherify.bare-data.paid.amount-mismatch.json"),
        ("voucherify-bare-created", "voucherify.bare-data.created.null-updated-at.json"),
        ("polar-placeholders", "polar.order.updated.placeholder-strings.json"),
        ("vrio-updated", "vrio.order_updated.zoneless-dates.json"),
        ("polar-refunded", "polar.order.refunded.deprecated-fields.json"),
        ("voucherify-envelope", "voucherify.envelope.order-paid.event-type-wins.json"),
    ]
    .into_iter()
    .map(|(name, file)| (name.to_owned(), common::fixture(file)))
    .collect()
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
