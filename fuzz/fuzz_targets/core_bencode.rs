//! Fuzzes session-core's bencode reader in both modes: neither may panic; what the strict
//! reader accepts the lenient one reads the same and re-encodes to the input; what the lenient
//! reader accepts re-encodes to a canonical form the strict reader reads back. The element
//! reader, driven by the input's first bytes, consumes nothing when a call fails.
#![no_main]
use libfuzzer_sys::fuzz_target;
use session_core::Writeable as _;
use session_core::bencode::{self, Decoder, Mode};

fuzz_target!(|data: &[u8]| {
    let strict = bencode::decode(data);
    let lenient = bencode::decode_lenient(data);
    if let Ok(v) = &strict {
        assert_eq!(lenient.as_ref().ok(), Some(v));
        assert_eq!(v.encode_to_vec().ok().as_deref(), Some(data));
    }
    if let Ok(v) = &lenient {
        let canonical = v.encode_to_vec().unwrap_or_default();
        assert_eq!(bencode::decode(&canonical).ok().as_ref(), Some(v));
    }

    let (ops, input) = data.split_at(data.len().min(8));
    for mode in [Mode::Strict, Mode::Lenient] {
        let mut d = Decoder::new(input, mode);
        for &op in ops {
            let before = d.offset();
            let ok = match op % 8 {
                0 => d.take_bytes().is_ok(),
                1 => d.take_bytes_at_most(usize::from(op >> 3)).is_ok(),
                2 => d.take_i64().is_ok(),
                3 => d.take_u64().is_ok(),
                4 => d.begin_list().is_ok(),
                5 => d.begin_dict().is_ok(),
                6 => d.end().is_ok(),
                _ => d.take_value().is_ok(),
            };
            assert!(if ok { d.offset() > before } else { d.offset() == before });
            assert!(d.offset() <= input.len());
        }
    }
});
