//! Money without floating point: [`MinorUnits`] (an exact integer amount that
//! JavaScript can hold too) and [`Currency`] (an ISO 4217 code with its exponent).

use std::fmt;

use serde::Serialize;

/// An amount in a currency's minor units (cents for USD, yen for JPY).
///
/// Always within ±(2^53 − 1), so it survives `JSON.parse` in JavaScript exactly;
/// larger amounts are rejected where they are read, never rounded.
///
/// ```
/// use orderhook::MinorUnits;
/// let a = MinorUnits::new(1050).unwrap();
/// assert_eq!(a.checked_add(MinorUnits::new(50).unwrap()).unwrap().get(), 1100);
/// assert!(MinorUnits::new(1 << 53).is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MinorUnits(i64);

impl MinorUnits {
    /// The largest magnitude: JavaScript's `Number.MAX_SAFE_INTEGER`.
    pub const MAX: i64 = (1 << 53) - 1;
    /// Zero.
    pub const ZERO: MinorUnits = MinorUnits(0);

    /// `None` when `v` is outside ±(2^53 − 1).
    pub fn new(v: i64) -> Option<MinorUnits> {
        (-Self::MAX..=Self::MAX).contains(&v).then_some(MinorUnits(v))
    }

    /// The integer amount.
    pub fn get(self) -> i64 {
        self.0
    }

    /// Sum, or `None` past the safe range.
    pub fn checked_add(self, other: MinorUnits) -> Option<MinorUnits> {
        self.0.checked_add(other.0).and_then(MinorUnits::new)
    }

    /// Difference, or `None` past the safe range.
    pub fn checked_sub(self, other: MinorUnits) -> Option<MinorUnits> {
        self.0.checked_sub(other.0).and_then(MinorUnits::new)
    }

    /// Product with a quantity, or `None` past the safe range.
    pub fn checked_mul(self, qty: i64) -> Option<MinorUnits> {
        self.0.checked_mul(qty).and_then(MinorUnits::new)
    }

    /// Parse a decimal string such as `"10.00"`, `"0.5"`, `"10"` or `"-3.25"` into
    /// minor units of a currency with `exponent` decimal places, exactly.
    ///
    /// # Errors
    /// Anything but an optional `-`, digits, and an optional `.` followed by
    /// digits; more significant decimal places than `exponent` (`"0.005"` in USD:
    /// trailing zeros are fine); a value outside ±(2^53 − 1) minor units.
    ///
    /// ```
    /// use orderhook::MinorUnits;
    /// assert_eq!(MinorUnits::parse_decimal("10.5", 2).unwrap().get(), 1050);
    /// assert_eq!(MinorUnits::parse_decimal("1000", 0).unwrap().get(), 1000);
    /// assert_eq!(MinorUnits::parse_decimal("1.234", 3).unwrap().get(), 1234);
    /// assert!(MinorUnits::parse_decimal("0.005", 2).is_err());
    /// assert!(MinorUnits::parse_decimal("1e3", 2).is_err());
    /// ```
    pub fn parse_decimal(s: &str, exponent: u8) -> Result<MinorUnits, DecimalError> {
        let (negative, digits) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (whole, frac) = match digits.split_once('.') {
            Some((w, f)) => (w, f),
            None => (digits, ""),
        };
        let is_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if (whole.is_empty() && frac.is_empty()) || !is_digits(whole) || !is_digits(frac) {
            return Err(DecimalError::Syntax);
        }
        let exp = usize::from(exponent);
        let (kept, dropped) = frac.split_at(frac.len().min(exp));
        if dropped.bytes().any(|b| b != b'0') {
            return Err(DecimalError::TooPrecise { exponent });
        }
        let mut value: i64 = 0;
        let padded = kept.bytes().chain(std::iter::repeat(b'0').take(exp - kept.len()));
        for b in whole.bytes().chain(padded) {
            value = value
                .checked_mul(10)
                .and_then(|v| v.checked_add(i64::from(b - b'0')))
                .ok_or(DecimalError::OutOfRange)?;
        }
        if negative {
            value = -value;
        }
        MinorUnits::new(value).ok_or(DecimalError::OutOfRange)
    }
}

impl fmt::Display for MinorUnits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Why a decimal string is not an amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalError {
    /// Not of the form `-?digits(.digits)?`.
    Syntax,
    /// More decimal places than the currency has.
    TooPrecise {
        /// The currency's exponent.
        exponent: u8,
    },
    /// Beyond ±(2^53 − 1) minor units.
    OutOfRange,
}

impl fmt::Display for DecimalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecimalError::Syntax => f.write_str("expected a decimal number such as \"10.00\""),
            DecimalError::TooPrecise { exponent } => {
                write!(f, "more than {exponent} decimal places; refusing to round money")
            }
            DecimalError::OutOfRange => f.write_str("amount is too large to represent exactly"),
        }
    }
}

/// An active ISO 4217 currency code, upper case.
///
/// ```
/// use orderhook::Currency;
/// assert_eq!(Currency::new("usd").unwrap().as_str(), "USD");
/// assert_eq!(Currency::new("JPY").unwrap().exponent(), 0);
/// assert!(Currency::new("<string>").is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency([u8; 3]);

impl Currency {
    /// Case-insensitive; `None` for anything that is not an active ISO 4217 code
    /// with a minor unit (see [`Currency::parse`]).
    #[must_use]
    pub fn new(code: &str) -> Option<Currency> {
        Currency::parse(code).ok()
    }

    /// Case-insensitive. Codes that ISO 4217 lists without a minor unit (gold
    /// `XAU`, `XDR`, the test code `XTS`, `XXX` "no currency"…) are refused, since
    /// an amount in them has no exact number of decimal places.
    ///
    /// ```
    /// use orderhook::money::{Currency, CurrencyError};
    /// assert_eq!(Currency::parse("xau"), Err(CurrencyError::NoMinorUnit));
    /// assert_eq!(Currency::parse("EURO"), Err(CurrencyError::Unknown));
    /// ```
    ///
    /// # Errors
    /// [`CurrencyError`] says which of the two it is.
    pub fn parse(code: &str) -> Result<Currency, CurrencyError> {
        let b = code.as_bytes();
        if b.len() != 3 || !b.iter().all(u8::is_ascii_alphabetic) {
            return Err(CurrencyError::Unknown);
        }
        let up = [b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase(), b[2].to_ascii_uppercase()];
        let s = std::str::from_utf8(&up).map_err(|_| CurrencyError::Unknown)?;
        if NO_MINOR_UNIT.contains(&s) {
            return Err(CurrencyError::NoMinorUnit);
        }
        ISO_4217.binary_search(&s).map(|_| Currency(up)).map_err(|_| CurrencyError::Unknown)
    }

    /// The three-letter code.
    #[must_use]
    pub fn as_str(&self) -> &str {
        // Only ASCII letters are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }

    /// Number of decimal places of the minor unit (2 for USD, 0 for JPY, 3 for KWD).
    #[must_use]
    pub fn exponent(&self) -> u8 {
        let s = self.as_str();
        if ZERO_DECIMALS.contains(&s) {
            0
        } else if THREE_DECIMALS.contains(&s) {
            3
        } else if s == "CLF" || s == "UYW" {
            4
        } else {
            2
        }
    }
}

/// Why a code is not a [`Currency`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CurrencyError {
    /// Not an active ISO 4217 code.
    Unknown,
    /// An ISO 4217 code without a minor unit (precious metals, SDR, test, none).
    NoMinorUnit,
}

impl fmt::Display for CurrencyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CurrencyError::Unknown => "is not an ISO 4217 code",
            CurrencyError::NoMinorUnit => "is an ISO 4217 code without a minor unit, so amounts in it are not exact",
        })
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

// ISO 4217 list one (active codes, 2025), sorted for binary search.
const ISO_4217: [&str; 180] = [
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN", "BHD", "BIF",
    "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHE", "CHF", "CHW", "CLF",
    "CLP", "CNY", "COP", "COU", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR",
    "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS",
    "INR", "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT",
    "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR",
    "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP",
    "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE",
    "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS",
    "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED", "VES", "VND", "VUV", "WST", "XAF", "XAG", "XAU",
    "XBA", "XBB", "XBC", "XBD", "XCD", "XCG", "XDR", "XOF", "XPD", "XPF", "XPT", "XSU", "XTS", "XUA", "XXX", "YER",
    "ZAR", "ZMW", "ZWG", "ZWL",
];
// ISO 4217 lists these with minor unit "N.A.".
const NO_MINOR_UNIT: [&str; 13] =
    ["XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XDR", "XPD", "XPT", "XSU", "XTS", "XUA", "XXX"];
const ZERO_DECIMALS: [&str; 17] = [
    "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF",
    "XPF",
];
const THREE_DECIMALS: [&str; 7] = ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_strings_convert_exactly() {
        assert_eq!(MinorUnits::parse_decimal("10.00", 2).unwrap().get(), 1000);
        assert_eq!(MinorUnits::parse_decimal("0.5", 2).unwrap().get(), 50);
        assert_eq!(MinorUnits::parse_decimal("10", 2).unwrap().get(), 1000);
        assert_eq!(MinorUnits::parse_decimal(".5", 2).unwrap().get(), 50);
        assert_eq!(MinorUnits::parse_decimal("10.", 2).unwrap().get(), 1000);
        assert_eq!(MinorUnits::parse_decimal("-3.25", 2).unwrap().get(), -325);
        assert_eq!(MinorUnits::parse_decimal("10.000", 2).unwrap().get(), 1000);
        assert_eq!(MinorUnits::parse_decimal("7", 0).unwrap().get(), 7);
    }

    #[test]
    fn decimal_strings_that_would_need_rounding_are_refused() {
        assert_eq!(MinorUnits::parse_decimal("0.001", 2), Err(DecimalError::TooPrecise { exponent: 2 }));
        assert_eq!(MinorUnits::parse_decimal("1.5", 0), Err(DecimalError::TooPrecise { exponent: 0 }));
    }

    #[test]
    fn malformed_decimal_strings_are_syntax_errors() {
        for s in ["", "-", ".", "1,00", "+1", "1e2", " 1", "1.2.3", "0x10", "NaN", "١"] {
            assert_eq!(MinorUnits::parse_decimal(s, 2), Err(DecimalError::Syntax), "{s:?}");
        }
    }

    #[test]
    fn amounts_beyond_javascript_safe_integers_are_out_of_range() {
        assert_eq!(MinorUnits::parse_decimal("90071992547409.92", 2), Err(DecimalError::OutOfRange));
        assert_eq!(MinorUnits::parse_decimal(&"9".repeat(400), 2), Err(DecimalError::OutOfRange));
        assert_eq!(MinorUnits::parse_decimal("90071992547409.91", 2).unwrap().get(), MinorUnits::MAX);
        assert_eq!(MinorUnits::parse_decimal("-90071992547409.91", 2).unwrap().get(), -MinorUnits::MAX);
    }

    #[test]
    fn currency_table_is_sorted_for_binary_search() {
        assert!(ISO_4217.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn currency_codes_are_checked_against_iso_4217() {
        assert_eq!(Currency::new("eur").unwrap().as_str(), "EUR");
        assert_eq!(Currency::new("KWD").unwrap().exponent(), 3);
        assert_eq!(Currency::new("usd").unwrap().exponent(), 2);
        assert!(Currency::new("ABC").is_none());
        assert!(Currency::new("US").is_none());
        assert!(Currency::new("<string>").is_none());
    }

    #[test]
    fn codes_without_a_minor_unit_are_refused_not_guessed() {
        for code in NO_MINOR_UNIT {
            assert!(ISO_4217.contains(&code), "{code} is in the ISO list");
            assert_eq!(Currency::parse(code), Err(CurrencyError::NoMinorUnit), "{code}");
        }
    }
}
