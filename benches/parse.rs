//! Native parse + validate + normalize against `serde_json::from_slice::<Value>`
//! on the same bytes (the seed payloads and reference examples in ../shared).
//! `cargo bench --bench parse`; figures go to bench/RESULTS.md.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn seed_json(text: &str) -> String {
    let start = text.find('{').expect("json in seed");
    let (mut depth, mut in_str, mut esc) = (0i32, false, false);
    for (i, c) in text[start..].char_indices() {
        if in_str {
            match (esc, c) {
                (true, _) => esc = false,
                (false, '\\') => esc = true,
                (false, '"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return text[start..start + i + 1].to_owned();
                }
            }
            _ => {}
        }
    }
    unreachable!("unbalanced seed")
}

fn payloads() -> Vec<(String, Vec<u8>)> {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    let mut out = Vec::new();
    for (name, file) in [
        ("voucherify-001", "seeds/001_b6cba81ea56645ec.txt"),
        ("voucherify-002", "seeds/002_3cc80f6d7601afdb.txt"),
        ("polar-003", "seeds/003_99f955b1ad2429eb.txt"),
        ("vrio-004", "seeds/004_811e393cae84d7c5.txt"),
    ] {
        let text = std::fs::read_to_string(shared.join(file)).expect("seed");
        out.push((name.to_owned(), seed_json(&text).into_bytes()));
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
