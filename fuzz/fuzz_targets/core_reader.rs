//! Fuzzes sequences of `Reader` calls (in the style of arti's tor-bytes target), nested
//! length-prefixed readers included: whatever the input and the calls, the reader never panics,
//! never reads past the end of its field, and a failed call leaves the position unchanged.
#![no_main]
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use session_core::{Error, LengthPrefix, Reader, Writer as _, X25519PublicKey};

#[derive(Arbitrary, Debug)]
enum Prefix {
    U8,
    U16Be,
    U16Le,
    U32Be,
    U32Le,
    Varint,
}

impl From<&Prefix> for LengthPrefix {
    fn from(p: &Prefix) -> Self {
        match p {
            Prefix::U8 => LengthPrefix::U8,
            Prefix::U16Be => LengthPrefix::U16Be,
            Prefix::U16Le => LengthPrefix::U16Le,
            Prefix::U32Be => LengthPrefix::U32Be,
            Prefix::U32Le => LengthPrefix::U32Le,
            Prefix::Varint => LengthPrefix::Varint,
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Op {
    U8,
    U16Le,
    U16Be,
    U32Le,
    U32Be,
    U64Le,
    U64Be,
    Take(usize),
    Advance(usize),
    Peek(usize),
    Array32,
    Rest,
    Exhausted,
    Until(u8),
    Varint,
    Key,
    KeysN(usize),
    Nested(Prefix, u16, Vec<Op>),
}

fn run(r: &mut Reader<'_>, ops: &[Op], depth: usize) -> Result<(), Error> {
    let end = r.offset() + r.remaining();
    for op in ops {
        let before = r.offset();
        let ok = match op {
            Op::U8 => r.take_u8().is_ok(),
            Op::U16Le => r.take_u16_le().is_ok(),
            Op::U16Be => r.take_u16_be().is_ok(),
            Op::U32Le => r.take_u32_le().is_ok(),
            Op::U32Be => r.take_u32_be().is_ok(),
            Op::U64Le => r.take_u64_le().is_ok(),
            Op::U64Be => r.take_u64_be().is_ok(),
            Op::Take(n) => r.take(*n).is_ok(),
            Op::Advance(n) => r.advance(*n).is_ok(),
            Op::Peek(n) => r.peek(*n).map(|_| false).unwrap_or(false),
            Op::Array32 => r.take_array::<32>().is_ok(),
            Op::Rest => {
                r.take_rest();
                true
            }
            Op::Exhausted => r.should_be_exhausted().map(|_| false).unwrap_or(false),
            Op::Until(b) => r.take_until(*b).is_ok(),
            Op::Varint => match r.take_varint() {
                Ok(v) => {
                    // Whatever parsed is the shortest form, so it re-encodes to the same bytes.
                    let mut out = Vec::new();
                    out.write_varint(v);
                    assert_eq!(out.len(), r.offset() - before);
                    true
                }
                Err(_) => false,
            },
            Op::Key => r.extract::<X25519PublicKey>().is_ok(),
            Op::KeysN(n) => r.extract_n::<X25519PublicKey>(*n).is_ok(),
            Op::Nested(prefix, max, inner) => {
                if depth > 8 {
                    continue;
                }
                r.read_nested(prefix.into(), usize::from(*max), |sub| {
                    assert!(sub.remaining() <= usize::from(*max));
                    run(sub, inner, depth + 1)
                })
                .is_ok()
            }
        };
        if !ok {
            assert_eq!(r.offset(), before);
        }
        assert_eq!(r.offset() + r.remaining(), end);
    }
    Ok(())
}

fuzz_target!(|input: (Vec<Op>, Vec<u8>)| {
    let (ops, data) = input;
    let mut r = Reader::new(&data);
    let _ = run(&mut r, &ops, 0);
    assert!(r.offset() <= data.len());
});
