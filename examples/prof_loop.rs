//! A fixed loop for instruction-count profiling, e.g.
//! `valgrind --tool=callgrind target/release/examples/prof_loop body.json`
//! (built with `cargo build --profile bench --example prof_loop`).

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: prof_loop <body.json>");
        std::process::exit(2);
    };
    let body = std::fs::read(path).expect("readable body");
    let options = orderhook::Options::default();
    let mut issues = 0;
    for _ in 0..2000 {
        issues += orderhook::parse(std::hint::black_box(&body), &options).issues().len();
    }
    println!("{issues} issues over 2000 parses");
}
