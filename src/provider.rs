//! The name of a webhook sender: [`Provider`]. A leaf, so every layer can name
//! a provider without importing the layers that read its payloads.

use std::fmt;

use serde::Serialize;

/// A webhook sender orderhook understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Provider {
    /// polar.sh
    Polar,
    /// voucherify.io
    Voucherify,
    /// vrio.com
    Vrio,
}

impl Provider {
    /// Every provider.
    pub const ALL: [Provider; 3] = [Provider::Polar, Provider::Voucherify, Provider::Vrio];

    /// `"polar"`, `"voucherify"` or `"vrio"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Polar => "polar",
            Provider::Voucherify => "voucherify",
            Provider::Vrio => "vrio",
        }
    }

    /// The inverse of [`Provider::as_str`], case-insensitive.
    pub fn from_name(name: &str) -> Option<Provider> {
        Provider::ALL.into_iter().find(|p| p.as_str().eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
