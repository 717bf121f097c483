//! Prints the TypeScript declarations of the normalized model, generated from
//! the Rust types so the npm package's `.d.ts` cannot drift from them.
//! Run by the npm build: `cargo run --quiet --features ts --example gen_types`.

use orderhook::detect::Detected;
use orderhook::{
    Address, Code, Customer, Issue, Item, Kind, MinorUnits, Order, OrderEvent, Provider, Severity, Status,
};
use ts_rs::{Config, TS};

fn main() {
    // Every integer in the model is within ±2^53, so `number` is exact.
    let cfg = Config::new().with_large_int("number");
    let decls = [
        MinorUnits::decl(&cfg),
        Provider::decl(&cfg),
        Kind::decl(&cfg),
        Status::decl(&cfg),
        Severity::decl(&cfg),
        Code::decl(&cfg),
        orderhook::issue::issue_ts_decl(&cfg),
        Address::decl(&cfg),
        Customer::decl(&cfg),
        Item::decl(&cfg),
        Order::decl(&cfg),
        OrderEvent::decl(&cfg),
        Detected::decl(&cfg),
    ];
    println!("// Generated from the Rust types by `cargo run --features ts --example gen_types`. Do not edit.");
    for d in decls {
        println!("export {d}\n");
    }
}
