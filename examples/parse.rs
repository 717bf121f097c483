//! Parse a webhook body from a file (or stdin) and print the verdict as JSON.
//! `cargo run --example parse -- body.json [provider]`

use std::io::Read;

fn main() {
    let mut args = std::env::args().skip(1);
    let mut body = Vec::new();
    match args.next().as_deref() {
        None | Some("-") => std::io::stdin().read_to_end(&mut body).map(|_| ()),
        Some(path) => std::fs::read(path).map(|b| body = b),
    }
    .unwrap_or_else(|e| {
        eprintln!("cannot read body: {e}");
        std::process::exit(2);
    });
    let options = orderhook::Options {
        provider: args.next().and_then(|p| orderhook::Provider::from_name(&p)),
        ..Default::default()
    };
    let out = orderhook::parse(&body, &options);
    println!("{}", serde_json::to_string_pretty(&out.verdict()).expect("verdict serializes"));
    std::process::exit(if out.is_ok() { 0 } else { 1 });
}
