//! Fuzzes sequences of `Reader` calls (in the style of arti's tor-bytes target): whatever the
//! input and the calls, the reader never panics and never reads past the end.
#![no_main]
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use session_core::Reader;

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
    Peek(usize),
    Array32,
    Rest,
    Exhausted,
}

fuzz_target!(|input: (Vec<Op>, Vec<u8>)| {
    let (ops, data) = input;
    let mut r = Reader::new(&data);
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
            Op::Take(n) => r.take(n).is_ok(),
            Op::Peek(n) => r.peek(n).map(|_| false).unwrap_or(false),
            Op::Array32 => r.take_array::<32>().is_ok(),
            Op::Rest => {
                r.take_rest();
                true
            }
            Op::Exhausted => r.should_be_exhausted().map(|_| false).unwrap_or(false),
        };
        if !ok {
            assert_eq!(r.offset(), before);
        }
        assert_eq!(r.offset() + r.remaining(), data.len());
    }
});
