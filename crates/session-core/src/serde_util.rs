//! Serde helpers: hex or base64 text in human-readable formats, fixed-size tuples (no length
//! prefix) in binary formats such as postcard.

use core::fmt;
use core::marker::PhantomData;

use serde::de::{self, SeqAccess, Visitor};
use serde::ser::SerializeTuple;
use serde::{Deserializer, Serializer};

use crate::encoding::{decode_hex_array, encode_hex};

/// Serialises a fixed-size array as a tuple: exactly `N` bytes in postcard.
pub(crate) fn serialize_array<const N: usize, S: Serializer>(
    bytes: &[u8; N],
    s: S,
) -> Result<S::Ok, S::Error> {
    let mut t = s.serialize_tuple(N)?;
    for b in bytes {
        t.serialize_element(b)?;
    }
    t.end()
}

struct ArrayVisitor<const N: usize>(PhantomData<[u8; N]>);

impl<'de, const N: usize> Visitor<'de> for ArrayVisitor<N> {
    type Value = [u8; N];

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{N} bytes")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<[u8; N], A::Error> {
        let mut out = [0u8; N];
        for (i, slot) in out.iter_mut().enumerate() {
            *slot = seq
                .next_element()?
                .ok_or_else(|| de::Error::invalid_length(i, &self))?;
        }
        Ok(out)
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<[u8; N], E> {
        <[u8; N]>::try_from(v).map_err(|_| E::invalid_length(v.len(), &self))
    }
}

/// Deserialises what [`serialize_array`] wrote.
pub(crate) fn deserialize_array<'de, const N: usize, D: Deserializer<'de>>(
    d: D,
) -> Result<[u8; N], D::Error> {
    d.deserialize_tuple(N, ArrayVisitor::<N>(PhantomData))
}

/// Hex string when human-readable, fixed tuple otherwise.
pub(crate) fn serialize_hex_or_array<const N: usize, S: Serializer>(
    bytes: &[u8; N],
    s: S,
) -> Result<S::Ok, S::Error> {
    if s.is_human_readable() {
        s.serialize_str(&encode_hex(bytes))
    } else {
        serialize_array(bytes, s)
    }
}

/// Reads what [`serialize_hex_or_array`] wrote; `what` names the type in errors.
pub(crate) fn deserialize_hex_or_array<'de, const N: usize, D: Deserializer<'de>>(
    d: D,
    what: &'static str,
) -> Result<[u8; N], D::Error> {
    if d.is_human_readable() {
        d.deserialize_str(ParseVisitor {
            what,
            parse: |s: &str| decode_hex_array::<N>(s, "text length"),
        })
    } else {
        deserialize_array(d)
    }
}

/// The serde error for a value of type `what` that broke a rule of the type.
pub(crate) fn invalid<E: de::Error>(what: &'static str, err: crate::Error) -> E {
    E::custom(format_args!("invalid {what}: {err}"))
}

/// A visitor that parses a string with a closure; errors name the type being parsed.
pub(crate) struct ParseVisitor<F> {
    /// The type, as a user knows it ("Session ID").
    pub(crate) what: &'static str,
    pub(crate) parse: F,
}

impl<'de, T, F> Visitor<'de> for ParseVisitor<F>
where
    F: FnOnce(&str) -> Result<T, crate::Error>,
{
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} string", self.what)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        (self.parse)(v).map_err(|e| invalid(self.what, e))
    }
}
