//! Property tests of the bencode codec: what it writes it reads back, both modes agree on
//! canonical input, every written value is canonical, and arbitrary input never panics.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;
use session_core::Writeable as _;
use session_core::bencode::{self, Decoder, Mode, Value};

/// Owned values (the decoder's [`Value`] borrows its input).
#[derive(Debug, Clone)]
enum Owned {
    Bytes(Vec<u8>),
    Int(i64),
    List(Vec<Owned>),
    Dict(std::collections::BTreeMap<Vec<u8>, Owned>),
}

impl Owned {
    fn as_value(&self) -> Value<'_> {
        match self {
            Owned::Bytes(b) => Value::Bytes(b),
            Owned::Int(i) => Value::Int(*i),
            Owned::List(items) => Value::List(items.iter().map(Owned::as_value).collect()),
            // BTreeMap iterates in ascending key order: the canonical dictionary order.
            Owned::Dict(items) => Value::Dict(
                items
                    .iter()
                    .map(|(k, v)| (k.as_slice(), v.as_value()))
                    .collect(),
            ),
        }
    }
}

fn owned() -> impl Strategy<Value = Owned> {
    let leaf = prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..12).prop_map(Owned::Bytes),
        any::<i64>().prop_map(Owned::Int),
        prop_oneof![Just(0i64), Just(i64::MIN), Just(i64::MAX), -20i64..20].prop_map(Owned::Int),
    ];
    leaf.prop_recursive(6, 48, 5, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Owned::List),
            proptest::collection::btree_map(
                proptest::collection::vec(any::<u8>(), 0..4),
                inner,
                0..5
            )
            .prop_map(Owned::Dict),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn written_values_read_back_in_both_modes(v in owned()) {
        let value = v.as_value();
        let bytes = value.encode_to_vec().unwrap();
        prop_assert_eq!(bencode::decode(&bytes), Ok(value.clone()));
        prop_assert_eq!(bencode::decode_lenient(&bytes), Ok(value.clone()));
        let mut d = Decoder::new(&bytes, Mode::Strict);
        prop_assert_eq!(d.take_value(), Ok(value));
        prop_assert!(d.finish().is_ok());
    }

    #[test]
    fn unsigned_and_signed_integers_round_trip(u in any::<u64>(), i in any::<i64>()) {
        let mut out = Vec::new();
        bencode::write_uint(&mut out, u);
        bencode::write_int(&mut out, i);
        let mut d = Decoder::new(&out, Mode::Strict);
        prop_assert_eq!(d.take_u64(), Ok(u));
        prop_assert_eq!(d.take_i64(), Ok(i));
        prop_assert!(d.finish().is_ok());
    }

    /// Whatever the strict reader accepts, the lenient one reads the same; whatever either
    /// accepts re-encodes canonically, so the strict reader accepts the re-encoding.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        let strict = bencode::decode(&bytes);
        let lenient = bencode::decode_lenient(&bytes);
        if let Ok(v) = &strict {
            prop_assert_eq!(&lenient, &Ok(v.clone()));
            prop_assert_eq!(&v.encode_to_vec().unwrap(), &bytes);
        }
        if let Ok(v) = &lenient {
            let canonical = v.encode_to_vec().unwrap();
            prop_assert_eq!(bencode::decode(&canonical), Ok(v.clone()));
        }
        if let Err(e) = &strict {
            prop_assert!(e.offset <= bytes.len());
        }
    }

    #[test]
    fn decoder_calls_never_panic_and_rewind(
        bytes in proptest::collection::vec(prop_oneof![
            Just(b'i'), Just(b'e'), Just(b'l'), Just(b'd'), Just(b':'), Just(b'-'), Just(b'0'),
            b'1'..=b'9', any::<u8>()
        ], 0..48),
        ops in proptest::collection::vec(0u8..9, 0..16),
        lenient in any::<bool>(),
    ) {
        let mode = if lenient { Mode::Lenient } else { Mode::Strict };
        let mut d = Decoder::new(&bytes, mode);
        for op in ops {
            let before = d.offset();
            let ok = match op {
                0 => d.take_bytes().is_ok(),
                1 => d.take_bytes_at_most(3).is_ok(),
                2 => d.take_i64().is_ok(),
                3 => d.take_u64().is_ok(),
                4 => d.begin_list().is_ok(),
                5 => d.begin_dict().is_ok(),
                6 => d.end().is_ok(),
                7 => d.take_value().is_ok(),
                _ => {
                    let _ = (d.peek(), d.at_end());
                    prop_assert_eq!(d.offset(), before);
                    continue;
                }
            };
            if !ok {
                prop_assert_eq!(d.offset(), before);
            } else {
                prop_assert!(d.offset() > before);
            }
            prop_assert!(d.offset() <= bytes.len());
        }
    }
}
