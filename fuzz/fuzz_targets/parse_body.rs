//! The body of the four `parse*` targets: arbitrary bytes, one provider setting.
//! Included with `#[path]`; the invariants are those of the stable harness.

use orderhook::{Options, Provider};

#[path = "../../tests/mutation/mod.rs"]
mod mutation;

pub fn run(body: &[u8], provider: Option<Provider>) {
    let options = Options { provider, ..Default::default() };
    let out = orderhook::parse(body, &options);
    if let Err(e) = mutation::check_outcome(body, &options, &out) {
        panic!("invariant broken: {e}\nissues: {:?}", out.issues());
    }
}
