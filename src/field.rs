//! [`Field`]: a wire-type leaf that never fails to deserialize. It holds the value,
//! or records that the key was missing, null, or of the wrong JSON type, so one
//! bad field never stops serde from reading the rest of the body.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

/// The JSON type actually found where another was expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// `true` / `false`.
    Bool,
    /// An integer.
    Integer,
    /// A number with a fraction or exponent.
    Float,
    /// A string.
    String,
    /// An array.
    Array,
    /// An object.
    Object,
}

impl Found {
    /// The JSON type's name, as used in messages.
    pub fn name(self) -> &'static str {
        match self {
            Found::Bool => "boolean",
            Found::Integer => "integer",
            Found::Float => "number with a fraction",
            Found::String => "string",
            Found::Array => "array",
            Found::Object => "object",
        }
    }
}

/// One field of a wire type, as it came: absent, `null`, usable, or wrong.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Field<T> {
    /// The key was not in the object.
    #[default]
    Missing,
    /// The key was there with `null`.
    Null,
    /// A value of the expected type.
    Value(T),
    /// A value of another JSON type (or an unusable string such as a bad number).
    Invalid(Found),
}

impl<T> Field<T> {
    /// The value, if usable.
    pub fn value(&self) -> Option<&T> {
        match self {
            Field::Value(v) => Some(v),
            _ => None,
        }
    }

    /// Whether the key was absent.
    pub fn is_missing(&self) -> bool {
        matches!(self, Field::Missing)
    }
}

/// A [`Field`] with the presence its provider's published schema declares: whether
/// the key must be sent (`REQUIRED`) and whether it may be `null` (`NULLABLE`).
/// [`Ctx::read`](crate::providers::Ctx::read) reports exactly what the schema
/// forbids, so the decision is written once, on the wire type:
///
/// | alias              | key absent          | `null`              |
/// |--------------------|---------------------|---------------------|
/// | [`Required`]       | error               | error               |
/// | [`RequiredOrNull`] | error               | fine                |
/// | [`Optional`]       | fine                | error               |
/// | [`OptionalOrNull`] | fine                | fine                |
///
/// A value of the wrong type is an error in every case. A bare [`Field`] is a
/// field no schema speaks for (Vrio publishes none): absent and `null` are fine.
#[derive(Debug, Clone, PartialEq)]
pub struct Declared<T, const REQUIRED: bool, const NULLABLE: bool>(pub Field<T>);

impl<T, const R: bool, const N: bool> Default for Declared<T, R, N> {
    fn default() -> Self {
        Declared(Field::Missing)
    }
}

/// Required key, never `null`.
pub type Required<T> = Declared<T, true, false>;
/// Required key whose value may be `null`.
pub type RequiredOrNull<T> = Declared<T, true, true>;
/// A key that may be left out, but is never `null` when sent.
pub type Optional<T> = Declared<T, false, false>;
/// A key that may be left out or `null`.
pub type OptionalOrNull<T> = Declared<T, false, true>;

/// A wire field and the presence rule it is read under.
pub trait Presence<T> {
    /// Whether the key must be sent.
    const REQUIRED: bool;
    /// Whether `null` is allowed.
    const NULLABLE: bool;
    /// The field as it came.
    fn field(&self) -> &Field<T>;
}

impl<T, const R: bool, const N: bool> Presence<T> for Declared<T, R, N> {
    const REQUIRED: bool = R;
    const NULLABLE: bool = N;
    fn field(&self) -> &Field<T> {
        &self.0
    }
}

/// No schema speaks for it: absent and `null` are both fine.
impl<T> Presence<T> for Field<T> {
    const REQUIRED: bool = false;
    const NULLABLE: bool = true;
    fn field(&self) -> &Field<T> {
        self
    }
}

impl<T, const R: bool, const N: bool> std::ops::Deref for Declared<T, R, N> {
    type Target = Field<T>;
    fn deref(&self) -> &Field<T> {
        &self.0
    }
}

impl<'de, T: Lenient, const R: bool, const N: bool> Deserialize<'de> for Declared<T, R, N> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Field::deserialize(d).map(Declared)
    }
}

/// A JSON object kept verbatim (`metadata`), with its declared presence. Unlike a
/// [`Field`] it keeps the raw text, so `null` and `true` are told apart from absent.
#[derive(Debug, Clone, Default)]
pub struct RawObject<const REQUIRED: bool, const NULLABLE: bool>(pub Option<Box<RawValue>>);

impl<'de, const R: bool, const N: bool> Deserialize<'de> for RawObject<R, N> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Box::<RawValue>::deserialize(d).map(|raw| RawObject(Some(raw)))
    }
}

impl Found {
    /// The JSON type of a raw value that is not `null`, from its first byte.
    pub fn of_raw(raw: &str) -> Found {
        match raw.as_bytes().first() {
            Some(b't' | b'f') => Found::Bool,
            Some(b'"') => Found::String,
            Some(b'[') => Found::Array,
            Some(b'{') => Found::Object,
            _ if raw.contains(['.', 'e', 'E']) => Found::Float,
            _ => Found::Integer,
        }
    }
}

/// A type that can be built from some JSON values; the others are reported as
/// [`Field::Invalid`] instead of failing the whole body.
pub trait Lenient: Sized {
    /// What a person should have sent, for messages: "a string", "an integer".
    const EXPECTED: &'static str;
    /// Whether it is built from an object or an array ([`List`], wire structs).
    /// Scalars are all read by one shared visitor instead of a copy of serde's
    /// value dispatch each (about 2 KB of wasm per type).
    const COMPOUND: bool = false;
    /// From a JSON string.
    fn from_str(_v: &str) -> Option<Self> {
        None
    }
    /// From a JSON integer that fits in i64.
    fn from_i64(_v: i64) -> Option<Self> {
        None
    }
    /// From a JSON integer above i64::MAX.
    fn from_u64(_v: u64) -> Option<Self> {
        None
    }
    /// From `true` / `false`.
    fn from_bool(_v: bool) -> Option<Self> {
        None
    }
    /// From a JSON object; the default skips it.
    fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    /// From a JSON array; the default skips it.
    fn from_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<Option<Self>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

impl Lenient for String {
    const EXPECTED: &'static str = "a string";
    fn from_str(v: &str) -> Option<Self> {
        Some(v.to_owned())
    }
}

impl Lenient for i64 {
    const EXPECTED: &'static str = "an integer";
    fn from_i64(v: i64) -> Option<Self> {
        Some(v)
    }
}

impl Lenient for bool {
    const EXPECTED: &'static str = "a boolean";
    fn from_bool(v: bool) -> Option<Self> {
        Some(v)
    }
}

/// A list of at most [`List::MAX`] elements, each checked on its own; longer
/// arrays are read through but not kept, so a body of a million tiny elements
/// cannot make a million issues or items. `total` says how many there were.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct List<T> {
    items: Vec<Field<T>>,
    total: usize,
}

impl<T> List<T> {
    /// The most elements kept (orders carry a few; Voucherify allows 500).
    pub const MAX: usize = 1000;

    /// How many elements the array had, kept or not.
    pub fn total(&self) -> usize {
        self.total
    }

    /// Whether elements were dropped for being over [`List::MAX`].
    pub fn is_truncated(&self) -> bool {
        self.total > self.items.len()
    }
}

impl<T> std::ops::Deref for List<T> {
    type Target = [Field<T>];
    fn deref(&self) -> &[Field<T>] {
        &self.items
    }
}

impl<T: Lenient> Lenient for List<T> {
    const EXPECTED: &'static str = "an array";
    const COMPOUND: bool = true;
    fn from_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<Option<Self>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        let mut total = 0;
        while total < Self::MAX {
            match seq.next_element::<Field<T>>()? {
                Some(item) => items.push(item),
                None => return Ok(Some(List { items, total })),
            }
            total += 1;
        }
        while seq.next_element::<IgnoredAny>()?.is_some() {
            total += 1;
        }
        Ok(Some(List { items, total }))
    }
}

/// Implements [`Lenient`] for a `#[derive(Deserialize)]` struct whose fields are
/// all [`Field`]s (or otherwise infallible), so an object of the wrong shape is
/// reported, and a value of the wrong type does not abort the parse.
macro_rules! lenient_struct {
    ($($t:ty),* $(,)?) => {$(
        impl $crate::field::Lenient for $t {
            const EXPECTED: &'static str = "an object";
            const COMPOUND: bool = true;
            fn from_map<'de, A: serde::de::MapAccess<'de>>(map: A) -> Result<Option<Self>, A::Error> {
                <$t as serde::Deserialize>::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(Some)
            }
        }
    )*};
}
pub(crate) use lenient_struct;

impl<'de, T: Lenient> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if T::COMPOUND {
            return d.deserialize_any(FieldVisitor(PhantomData));
        }
        let mut field = Field::Missing;
        d.deserialize_any(ScalarVisitor(&mut |v| field = v.into_field()))?;
        Ok(field)
    }
}

/// A JSON value as a scalar type sees it: objects and arrays are skipped.
enum Scalar<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Big(u64),
    Float,
    Str(&'a str),
    Array,
    Object,
}

impl Scalar<'_> {
    fn into_field<T: Lenient>(self) -> Field<T> {
        match self {
            Scalar::Null => Field::Null,
            Scalar::Bool(v) => or_invalid(T::from_bool(v), Found::Bool),
            Scalar::Int(v) => or_invalid(T::from_i64(v), Found::Integer),
            Scalar::Big(v) => or_invalid(T::from_u64(v), Found::Integer),
            // No type here is built from a float: money must never pass through f64.
            Scalar::Float => Field::Invalid(Found::Float),
            Scalar::Str(v) => or_invalid(T::from_str(v), Found::String),
            Scalar::Array => Field::Invalid(Found::Array),
            Scalar::Object => Field::Invalid(Found::Object),
        }
    }
}

/// The one visitor of every scalar [`Field`]: it hands the value to a callback
/// rather than returning it, so it is not generic over the field's type.
struct ScalarVisitor<'f>(&'f mut dyn FnMut(Scalar<'_>));

impl<'de> Visitor<'de> for ScalarVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        (self.0)(Scalar::Null);
        Ok(())
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        (self.0)(Scalar::Null);
        Ok(())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        (self.0)(Scalar::Bool(v));
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        (self.0)(Scalar::Int(v));
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        (self.0)(i64::try_from(v).map_or(Scalar::Big(v), Scalar::Int));
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _v: f64) -> Result<(), E> {
        (self.0)(Scalar::Float);
        Ok(())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        (self.0)(Scalar::Str(v));
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        (self.0)(Scalar::Object);
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        (self.0)(Scalar::Array);
        Ok(())
    }
}

struct FieldVisitor<T>(PhantomData<T>);

fn or_invalid<T>(v: Option<T>, found: Found) -> Field<T> {
    match v {
        Some(v) => Field::Value(v),
        None => Field::Invalid(found),
    }
}

impl<'de, T: Lenient> Visitor<'de> for FieldVisitor<T> {
    type Value = Field<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Field<T>, E> {
        Ok(Field::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Field<T>, E> {
        Ok(Field::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Field<T>, D::Error> {
        Field::deserialize(d)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Field<T>, E> {
        Ok(or_invalid(T::from_bool(v), Found::Bool))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Field<T>, E> {
        Ok(or_invalid(T::from_i64(v), Found::Integer))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Field<T>, E> {
        match i64::try_from(v) {
            Ok(i) => Ok(or_invalid(T::from_i64(i), Found::Integer)),
            Err(_) => Ok(or_invalid(T::from_u64(v), Found::Integer)),
        }
    }
    fn visit_f64<E: de::Error>(self, _v: f64) -> Result<Field<T>, E> {
        // No type here is built from a float: money must never pass through f64.
        Ok(Field::Invalid(Found::Float))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Field<T>, E> {
        Ok(or_invalid(T::from_str(v), Found::String))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Field<T>, A::Error> {
        Ok(or_invalid(T::from_map(map)?, Found::Object))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Field<T>, A::Error> {
        Ok(or_invalid(T::from_seq(seq)?, Found::Array))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    struct Probe {
        #[serde(default)]
        a: Field<String>,
        #[serde(default)]
        b: Field<i64>,
        #[serde(default)]
        c: Field<List<i64>>,
        #[serde(default)]
        d: Field<String>,
    }

    #[test]
    fn wrong_types_are_recorded_and_parsing_continues() {
        let p: Probe = serde_json::from_str(r#"{"a":{"x":[1,2]},"b":"7","c":[1,"x",null],"e":1}"#).unwrap();
        assert_eq!(p.a, Field::Invalid(Found::Object));
        assert_eq!(p.b, Field::Invalid(Found::String));
        assert_eq!(
            p.c.value().map(|l| l.to_vec()),
            Some(vec![Field::Value(1), Field::Invalid(Found::String), Field::Null])
        );
        assert_eq!(p.d, Field::Missing);
    }

    #[test]
    fn floats_are_never_accepted_as_integers() {
        let p: Probe = serde_json::from_str(r#"{"b":1.0}"#).unwrap();
        assert_eq!(p.b, Field::Invalid(Found::Float));
    }
}
