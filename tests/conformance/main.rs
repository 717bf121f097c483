//! Conformance suite: the project's reference documents (`../shared`, or the folder
//! `ORDERHOOK_SHARED` names) read as they are published: seed documents, reference
//! payloads and Voucherify's signature test vectors. Never copied into the
//! repository, and optional: without the folder this prints one
//! `SKIPPED: ../shared not present` line and passes. Every other test reads
//! tests/fixtures, which reproduce the same behaviours with our own values.
//!
//! `cargo test --test conformance [FILTER…]` (not part of a plain `cargo test`;
//! `npm test` runs it as its own suite). A small runner instead of libtest, so that
//! an absent folder is one skip line rather than tests that pass without asserting;
//! its output follows libtest's (`test NAME ... ok`, `test result: …`).

#[path = "../common/mod.rs"]
mod common;

mod reference;
mod seeds;
mod vectors;

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Instant;

static DIR: OnceLock<PathBuf> = OnceLock::new();

/// A path inside the reference documents' folder.
pub fn shared(rel: &str) -> PathBuf {
    DIR.get().expect("the conformance runner sets the folder first").join(rel)
}

pub fn read_shared(rel: &str) -> Vec<u8> {
    let path = shared(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// The JSON of a seed document (`seeds/<prefix>…`).
pub fn seed_json(prefix: &str) -> String {
    let dir = shared("seeds");
    let entry = std::fs::read_dir(&dir)
        .expect("seeds dir")
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap_or_else(|| panic!("no seed {prefix}"));
    common::extract_json(&std::fs::read_to_string(entry).unwrap())
}

fn main() {
    let Some(dir) = common::shared_dir() else {
        println!("SKIPPED: ../shared not present");
        return;
    };
    DIR.set(dir).unwrap();
    let filters: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let all: Vec<(&str, fn())> = [reference::TESTS, seeds::TESTS, vectors::TESTS].concat();
    let total = all.len();
    let chosen: Vec<_> =
        all.into_iter().filter(|(n, _)| filters.is_empty() || filters.iter().any(|f| n.contains(f.as_str()))).collect();
    println!("\nrunning {} tests (reference documents in {})", chosen.len(), DIR.get().unwrap().display());
    let started = Instant::now();
    let mut failed = Vec::new();
    for (name, test) in &chosen {
        let ok = std::panic::catch_unwind(*test).is_ok();
        println!("test {name} ... {}", if ok { "ok" } else { "FAILED" });
        if !ok {
            failed.push(*name);
        }
    }
    if !failed.is_empty() {
        println!("\nfailures:");
        for name in &failed {
            println!("    {name}");
        }
    }
    println!(
        "\ntest result: {}. {} passed; {} failed; 0 ignored; 0 measured; {} filtered out; finished in {:.2}s\n",
        if failed.is_empty() { "ok" } else { "FAILED" },
        chosen.len() - failed.len(),
        failed.len(),
        total - chosen.len(),
        started.elapsed().as_secs_f64()
    );
    if !failed.is_empty() {
        std::process::exit(101);
    }
}
