//! Lenient scalars: the many ways providers encode one value (ids as strings or
//! numbers, booleans as `"0"`/`"1"`, money as decimal strings, dates with
//! sentinels for "none"), each read into one type that states the rule.

use std::fmt;

use crate::field::Lenient;
use crate::money::{DecimalError, MinorUnits};
use crate::time::{LocalDateTime, TimeError};

/// An identifier sent as a string (`"3549"`) or a number (`3549`); always a string here.
///
/// ```ignore
/// use orderhook::scalar::Id;
/// let a: orderhook::field::Field<Id> = serde_json::from_str("3549").unwrap();
/// let b: orderhook::field::Field<Id> = serde_json::from_str("\"3549\"").unwrap();
/// assert_eq!(a, b);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Id(pub String);

impl Lenient for Id {
    const EXPECTED: &'static str = "a string or a number";
    fn from_str(v: &str) -> Option<Self> {
        Some(Id(v.to_owned()))
    }
    fn from_i64(v: i64) -> Option<Self> {
        Some(Id(v.to_string()))
    }
    fn from_u64(v: u64) -> Option<Self> {
        Some(Id(v.to_string()))
    }
}

/// A boolean sent as `true`/`false`, `0`/`1` or `"0"`/`"1"` (Vrio's habit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flag(pub bool);

impl Lenient for Flag {
    const EXPECTED: &'static str = "a boolean, 0/1 or \"0\"/\"1\"";
    fn from_bool(v: bool) -> Option<Self> {
        Some(Flag(v))
    }
    fn from_i64(v: i64) -> Option<Self> {
        match v {
            0 => Some(Flag(false)),
            1 => Some(Flag(true)),
            _ => None,
        }
    }
    fn from_str(v: &str) -> Option<Self> {
        match v {
            "0" | "false" => Some(Flag(false)),
            "1" | "true" => Some(Flag(true)),
            _ => None,
        }
    }
}

/// A whole count sent as a number (`2`) or a string of digits (`"2"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count(pub i64);

impl Lenient for Count {
    const EXPECTED: &'static str = "a whole number";
    fn from_i64(v: i64) -> Option<Self> {
        Some(Count(v))
    }
    fn from_str(v: &str) -> Option<Self> {
        let digits = v.strip_prefix('-').unwrap_or(v);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        v.parse().ok().map(Count)
    }
}

/// A money amount sent as a decimal string in major units (`"10.00"`) or a
/// whole number; kept as text until the currency's exponent is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecimalText(pub String);

impl DecimalText {
    /// Exact minor units for a currency with `exponent` decimal places.
    ///
    /// # Errors
    /// See [`MinorUnits::parse_decimal`].
    pub fn to_minor_units(&self, exponent: u8) -> Result<MinorUnits, DecimalError> {
        MinorUnits::parse_decimal(&self.0, exponent)
    }
}

impl Lenient for DecimalText {
    const EXPECTED: &'static str = "a decimal string such as \"10.00\"";
    fn from_str(v: &str) -> Option<Self> {
        Some(DecimalText(v.to_owned()))
    }
    fn from_i64(v: i64) -> Option<Self> {
        Some(DecimalText(v.to_string()))
    }
    fn from_u64(v: u64) -> Option<Self> {
        Some(DecimalText(v.to_string()))
    }
}

/// A zone-less date-time that may be a "no date" sentinel: `"---"`,
/// `"0000-00-00 00:00:00"` and `""` (and JSON `null`, handled by `Field`).
///
/// ```ignore
/// use orderhook::scalar::parse_optional_local;
/// assert!(parse_optional_local("---").unwrap().is_none());
/// assert!(parse_optional_local("0000-00-00 00:00:00").unwrap().is_none());
/// assert_eq!(parse_optional_local("2024-09-12 10:44:13").unwrap().unwrap().hour(), 10);
/// assert!(parse_optional_local("2024-02-30 00:00:00").is_err());
/// ```
pub fn parse_optional_local(s: &str) -> Result<Option<LocalDateTime>, TimeError> {
    match s.trim() {
        "" | "---" | "0000-00-00 00:00:00" | "0000-00-00" => Ok(None),
        t => LocalDateTime::parse(t).map(Some),
    }
}

/// A closed list of values a provider documents for one enum field.
pub trait KnownValue: Sized + Copy + 'static {
    /// All known values with their wire spelling.
    const VALUES: &'static [(&'static str, Self)];
    /// Match a wire value; the default is exact.
    fn from_wire(s: &str) -> Option<Self> {
        Self::VALUES.iter().find(|(w, _)| *w == s).map(|(_, v)| *v)
    }
}

/// An enum value that keeps what it does not know, because providers add
/// values without notice (Polar's `void`, Voucherify's `PROCESSING`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenEnum<T> {
    /// A documented value.
    Known(T),
    /// A value this version has never seen, verbatim.
    Unknown(String),
}

impl<T: KnownValue> OpenEnum<T> {
    /// Classify a wire value.
    pub fn from_wire(s: &str) -> OpenEnum<T> {
        match T::from_wire(s) {
            Some(v) => OpenEnum::Known(v),
            None => OpenEnum::Unknown(s.to_owned()),
        }
    }
}

impl<T: KnownValue> Lenient for OpenEnum<T> {
    const EXPECTED: &'static str = "a string";
    fn from_str(v: &str) -> Option<Self> {
        Some(OpenEnum::from_wire(v))
    }
}

impl<T: KnownValue + PartialEq> fmt::Display for OpenEnum<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenEnum::Known(k) => {
                let wire = T::VALUES.iter().find(|(_, v)| v == k).map_or("?", |(w, _)| w);
                f.write_str(wire)
            }
            OpenEnum::Unknown(s) => f.write_str(s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::{Field, Found};
    use proptest::prelude::*;

    fn read<T: Lenient>(json: &str) -> Field<T> {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn ids_from_strings_and_numbers_are_equal() {
        assert_eq!(read::<Id>("3549"), Field::Value(Id("3549".into())));
        assert_eq!(read::<Id>("\"3549\""), Field::Value(Id("3549".into())));
        assert_eq!(read::<Id>("18446744073709551615"), Field::Value(Id("18446744073709551615".into())));
        assert_eq!(read::<Id>("1.5"), Field::Invalid(Found::Float));
        assert_eq!(read::<Id>("true"), Field::Invalid(Found::Bool));
    }

    #[test]
    fn flags_accept_vrio_encodings_only() {
        for (json, want) in
            [("\"0\"", false), ("\"1\"", true), ("0", false), ("1", true), ("true", true), ("false", false)]
        {
            assert_eq!(read::<Flag>(json), Field::Value(Flag(want)), "{json}");
        }
        assert_eq!(read::<Flag>("\"yes\""), Field::Invalid(Found::String));
        assert_eq!(read::<Flag>("2"), Field::Invalid(Found::Integer));
    }

    #[test]
    fn counts_accept_digit_strings() {
        assert_eq!(read::<Count>("\"2\""), Field::Value(Count(2)));
        assert_eq!(read::<Count>("2"), Field::Value(Count(2)));
        assert_eq!(read::<Count>("\"-1\""), Field::Value(Count(-1)));
        assert_eq!(read::<Count>("\"1.0\""), Field::Invalid(Found::String));
        assert_eq!(read::<Count>("\"99999999999999999999\""), Field::Invalid(Found::String));
    }

    #[test]
    fn decimal_text_from_number_and_string() {
        assert_eq!(read::<DecimalText>("10"), Field::Value(DecimalText("10".into())));
        let d = read::<DecimalText>("\"0.50\"");
        assert_eq!(d.value().unwrap().to_minor_units(2).unwrap().get(), 50);
        assert_eq!(read::<DecimalText>("10.5"), Field::Invalid(Found::Float));
    }

    #[test]
    fn date_sentinels_mean_no_date() {
        for s in ["---", "0000-00-00 00:00:00", "", " "] {
            assert_eq!(parse_optional_local(s), Ok(None), "{s:?}");
        }
        assert_eq!(parse_optional_local("2024-13-01 00:00:00"), Err(TimeError::Date));
        assert_eq!(parse_optional_local("12/09/2024"), Err(TimeError::Syntax));
    }

    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Color {
        Red,
    }
    impl KnownValue for Color {
        const VALUES: &'static [(&'static str, Self)] = &[("red", Color::Red)];
    }

    #[test]
    fn open_enums_keep_unknown_values() {
        assert_eq!(OpenEnum::<Color>::from_wire("red"), OpenEnum::Known(Color::Red));
        let u = OpenEnum::<Color>::from_wire("ultraviolet");
        assert_eq!(u, OpenEnum::Unknown("ultraviolet".into()));
        assert_eq!(u.to_string(), "ultraviolet");
    }

    proptest! {
        #[test]
        fn decimal_conversion_round_trips_exactly(units in -(MinorUnits::MAX)..=MinorUnits::MAX, exp in 0u8..=3) {
            let scale = 10i64.pow(u32::from(exp));
            let (whole, frac) = (units.abs() / scale, units.abs() % scale);
            let sign = if units < 0 { "-" } else { "" };
            let text = if exp == 0 { format!("{sign}{whole}") } else { format!("{sign}{whole}.{frac:0w$}", w = usize::from(exp)) };
            prop_assert_eq!(MinorUnits::parse_decimal(&text, exp).unwrap().get(), units);
        }

        #[test]
        fn decimal_conversion_is_exact_or_an_error(s in "-?[0-9]{0,20}(\\.[0-9]{0,6})?", exp in 0u8..=3) {
            // The exact value in 1/10^6 units, computed independently with i128.
            let neg = s.starts_with('-');
            let body = s.trim_start_matches('-');
            let (w, f) = body.split_once('.').unwrap_or((body, ""));
            let syntax_ok = !(w.is_empty() && f.is_empty());
            let mut f6 = f.to_string();
            while f6.len() < 6 { f6.push('0'); }
            let micro: i128 = w.parse::<i128>().unwrap_or(0) * 1_000_000 + f6.parse::<i128>().unwrap();
            let scale = 10i128.pow(6 - u32::from(exp));
            let exact = micro % scale == 0;
            let want = if neg { -(micro / scale) } else { micro / scale };
            match MinorUnits::parse_decimal(&s, exp) {
                Ok(v) => prop_assert!(syntax_ok && exact && i128::from(v.get()) == want),
                Err(DecimalError::Syntax) => prop_assert!(!syntax_ok),
                Err(DecimalError::TooPrecise { .. }) => prop_assert!(!exact),
                Err(DecimalError::OutOfRange) => prop_assert!(exact && want.abs() > i128::from(MinorUnits::MAX)),
            }
        }

        #[test]
        fn any_string_is_a_count_or_invalid_never_a_panic(s in "\\PC*") {
            let _ = Count::from_str(&s);
            let _ = parse_optional_local(&s);
        }
    }
}
