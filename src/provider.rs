//! The one list of providers orderhook reads: [`Provider`], [`ProviderEvent`],
//! and each provider's [`Spec`](crate::providers::Spec). Registering a provider
//! is one line in [`registry!`]'s invocation below; everything that lists
//! providers (detection, parse, verify, the JS option checks, the CLI, the
//! preview page, the README tables) takes them from here.

use std::fmt;

use serde::Serialize;

/// Declares the providers: `Variant => module, "doc"`. `module` is the provider's
/// module under `src/providers/`, which defines `SPEC` and its wire type `Wire`.
macro_rules! registry {
    ($($variant:ident => $module:ident, $doc:literal;)*) => {
        /// A webhook sender orderhook understands.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        #[serde(rename_all = "snake_case")]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        pub enum Provider {
            $(#[doc = $doc] $variant,)*
        }

        impl Provider {
            /// Every provider, in registry order (the order detection tries them).
            pub const ALL: &'static [Provider] = &[$(Provider::$variant),*];

            /// The provider's name: `"polar"`, `"voucherify"`, …
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Provider::$variant => stringify!($module),)*
                }
            }

            /// What orderhook knows of the provider.
            pub(crate) fn spec(self) -> &'static crate::providers::Spec {
                match self {
                    $(Provider::$variant => &crate::providers::$module::SPEC,)*
                }
            }
        }

        /// The payload as the provider's own types, for callers who need a field the
        /// normalized model does not carry.
        #[derive(Debug, Clone, Serialize)]
        #[serde(tag = "provider", content = "payload", rename_all = "snake_case")]
        pub enum ProviderEvent {
            $(#[doc = $doc] $variant(crate::providers::$module::Wire),)*
        }

        impl ProviderEvent {
            /// Whose payload this is.
            pub fn provider(&self) -> Provider {
                match self {
                    $(ProviderEvent::$variant(_) => Provider::$variant,)*
                }
            }
        }
    };
}

registry! {
    Polar => polar, "polar.sh";
    Voucherify => voucherify, "voucherify.io";
    Vrio => vrio, "vrio.com";
    Paddle => paddle, "paddle.com (Paddle Billing)";
    Woocommerce => woocommerce, "woocommerce.com";
    Stripe => stripe, "stripe.com";
    LemonSqueezy => lemon_squeezy, "lemonsqueezy.com";
    Shopify => shopify, "shopify.com";
}

impl Provider {
    /// The inverse of [`Provider::as_str`], case-insensitive.
    pub fn from_name(name: &str) -> Option<Provider> {
        Provider::ALL.iter().copied().find(|p| p.as_str().eq_ignore_ascii_case(name))
    }

    /// The provider's own spelling of its name (`"Polar"`), for people.
    pub fn title(self) -> &'static str {
        self.spec().title
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
