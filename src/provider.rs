//! The one list of providers orderhook reads: [`Provider`] and each provider's
//! [`Spec`](crate::providers::Spec). Registering a provider
//! is one line in [`registry!`]'s invocation below; everything that lists
//! providers (detection, parse, verify, the JS option checks, the CLI, the
//! preview page, the README tables) takes them from here.

use std::fmt;

use serde::Serialize;

/// Declares the providers: `#[cfg(feature = "module")] Variant => module, "doc"`.
/// `module` is the provider's module under `src/providers/`, which defines `SPEC`; the
/// cargo feature of the same name (Cargo.toml) puts it in a build, so a per-provider
/// build (`orderhook/stripe`) carries only its code.
macro_rules! registry {
    ($(#[cfg($cfg:meta)] $variant:ident => $module:ident, $doc:literal;)*) => {
        /// A webhook sender orderhook understands.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        #[serde(rename_all = "snake_case")]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        pub enum Provider {
            $(#[cfg($cfg)] #[doc = $doc] $variant,)*
        }

        impl Provider {
            /// Every provider, in registry order (the order detection tries them).
            pub const ALL: &'static [Provider] = &[$(#[cfg($cfg)] Provider::$variant,)*];

            /// The name of every provider orderhook knows, in this build or not (each is
            /// a cargo feature), to tell a caller which build reads one it lacks.
            pub const EVERY_NAME: &'static [&'static str] = &[$(stringify!($module),)*];

            /// The provider's name: `"polar"`, `"voucherify"`, …
            pub fn as_str(self) -> &'static str {
                match self {
                    $(#[cfg($cfg)] Provider::$variant => stringify!($module),)*
                }
            }

            /// What orderhook knows of the provider.
            pub(crate) fn spec(self) -> &'static crate::providers::Spec {
                match self {
                    $(#[cfg($cfg)] Provider::$variant => &crate::providers::$module::SPEC,)*
                }
            }
        }
    };
}

registry! {
    #[cfg(feature = "polar")] Polar => polar, "polar.sh";
    #[cfg(feature = "voucherify")] Voucherify => voucherify, "voucherify.io";
    #[cfg(feature = "vrio")] Vrio => vrio, "vrio.com";
    #[cfg(feature = "paddle")] Paddle => paddle, "paddle.com (Paddle Billing)";
    #[cfg(feature = "woocommerce")] Woocommerce => woocommerce, "woocommerce.com";
    #[cfg(feature = "stripe")] Stripe => stripe, "stripe.com";
    #[cfg(feature = "lemon_squeezy")] LemonSqueezy => lemon_squeezy, "lemonsqueezy.com";
    #[cfg(feature = "shopify")] Shopify => shopify, "shopify.com";
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The registry, the cargo features and `all-providers` name the same providers:
    /// a registry line without its feature would never be built.
    #[test]
    fn every_registered_provider_is_a_cargo_feature_of_all_providers() {
        let toml = include_str!("../Cargo.toml");
        let all = toml.lines().find_map(|l| l.strip_prefix("all-providers = [")).expect("an all-providers feature");
        let listed: Vec<&str> = all.trim_end_matches(']').split(',').map(|n| n.trim().trim_matches('"')).collect();
        assert_eq!(listed, Provider::EVERY_NAME, "Cargo.toml's all-providers lists the registry, in its order");
        for name in Provider::EVERY_NAME {
            assert!(toml.lines().any(|l| l == format!("{name} = []")), "Cargo.toml has no feature `{name} = []`");
        }
    }

    /// The default build (every provider) is the one the tests run.
    #[test]
    fn the_default_build_has_every_provider() {
        let names: Vec<&str> = Provider::ALL.iter().map(|p| p.as_str()).collect();
        assert_eq!(names, Provider::EVERY_NAME);
    }
}
