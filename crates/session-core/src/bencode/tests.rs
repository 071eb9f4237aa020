use alloc::string::String;
use alloc::vec;

use super::*;

fn err(input: &[u8]) -> (usize, &'static str) {
    match decode(input) {
        Err(e) => (e.offset, e.rule.as_str()),
        Ok(v) => panic!("{:?}: {v:?}", core::str::from_utf8(input)),
    }
}

fn lenient_err(input: &[u8]) -> (usize, Rule) {
    match decode_lenient(input) {
        Err(e) => (e.offset, e.rule),
        Ok(v) => panic!("{:?}: {v:?}", core::str::from_utf8(input)),
    }
}

fn written(f: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut out = Vec::new();
    f(&mut out);
    out
}

#[test]
fn integers() {
    assert_eq!(decode(b"i0e"), Ok(Value::Int(0)));
    assert_eq!(decode(b"i7e"), Ok(Value::Int(7)));
    assert_eq!(decode(b"i-7e"), Ok(Value::Int(-7)));
    assert_eq!(decode(b"i10e"), Ok(Value::Int(10)));
    assert_eq!(decode(b"i-10e"), Ok(Value::Int(-10)));
    assert_eq!(decode(b"i9223372036854775807e"), Ok(Value::Int(i64::MAX)));
    assert_eq!(decode(b"i-9223372036854775808e"), Ok(Value::Int(i64::MIN)));
    assert_eq!(err(b"i9223372036854775808e"), (0, "integer out of range"));
    assert_eq!(err(b"i-9223372036854775809e"), (0, "integer out of range"));
    assert_eq!(err(b"i99999999999999999999e"), (0, "integer out of range"));
    assert_eq!(err(b"i-0e"), (0, "non-canonical integer"));
    assert_eq!(err(b"i00e"), (0, "non-canonical integer"));
    assert_eq!(err(b"i05e"), (0, "non-canonical integer"));
    assert_eq!(err(b"i-05e"), (0, "non-canonical integer"));
    assert_eq!(err(b"ie"), (0, "invalid integer"));
    assert_eq!(err(b"i-e"), (0, "invalid integer"));
    assert_eq!(err(b"i1-e"), (0, "invalid integer"));
    assert_eq!(err(b"i/e"), (0, "invalid integer"));
    assert_eq!(err(b"i:e"), (0, "invalid integer"));
    assert_eq!(err(b"i12"), (1, "unterminated number"));
    // The offset of a nested error is where that value starts.
    assert_eq!(err(b"li1ei01ee"), (4, "non-canonical integer"));

    let enc = |v: i64| written(|w| write_int(w, v));
    assert_eq!(enc(0), b"i0e");
    assert_eq!(enc(5), b"i5e");
    assert_eq!(enc(-5), b"i-5e");
    assert_eq!(enc(-10), b"i-10e");
    assert_eq!(enc(i64::MAX), b"i9223372036854775807e");
    assert_eq!(enc(i64::MIN), b"i-9223372036854775808e");
    for v in [0, 1, -1, 42, -42, i64::MAX, i64::MIN] {
        assert_eq!(decode(&enc(v)), Ok(Value::Int(v)));
    }
    assert_eq!(
        written(|w| write_uint(w, u64::MAX)),
        b"i18446744073709551615e"
    );
    assert_eq!(written(|w| write_uint(w, 0)), b"i0e");
}

#[test]
fn strings() {
    assert_eq!(decode(b"0:"), Ok(Value::Bytes(b"")));
    assert_eq!(decode(b"3:abc"), Ok(Value::Bytes(b"abc")));
    assert_eq!(decode(b"10:0123456789"), Ok(Value::Bytes(b"0123456789")));
    assert_eq!(err(b"01:a"), (0, "invalid string length"));
    assert_eq!(err(b"1a:a"), (0, "invalid string length"));
    assert_eq!(err(b"4:abc"), (0, "string runs past the end"));
    // Ten digits are a length (too long for this input); eleven are refused outright.
    assert_eq!(err(b"1000000000:a"), (0, "string runs past the end"));
    assert_eq!(err(b"10000000000:a"), (0, "invalid string length"));
    assert_eq!(err(b"99999999999999999999:a"), (0, "invalid string length"));
    assert_eq!(err(b"3"), (0, "unterminated number"));
    assert_eq!(err(b"l2:ab2:c"), (5, "string runs past the end"));
    let out = written(|w| {
        write_bytes(w, b"");
        write_bytes(w, b"0123456789");
    });
    assert_eq!(out, b"0:10:0123456789");
}

#[test]
fn structure() {
    assert_eq!(err(b""), (0, "unexpected end"));
    assert_eq!(err(b"x"), (0, "invalid value tag"));
    assert_eq!(err(b"e"), (0, "invalid value tag"));
    assert_eq!(err(b"i1ei2e"), (3, "trailing bytes"));
    assert_eq!(err(b"l"), (1, "unterminated list"));
    assert_eq!(err(b"li1e"), (4, "unterminated list"));
    assert_eq!(err(b"d"), (1, "unterminated dictionary"));
    assert_eq!(err(b"d1:ai1e"), (7, "unterminated dictionary"));
    assert_eq!(err(b"d1:a"), (4, "unexpected end"));
    assert_eq!(err(b"di1ei1ee"), (1, "dictionary key is not a string"));
    assert_eq!(err(b"d1:bi1e1:ai2ee"), (7, "unsorted or duplicate key"));
    assert_eq!(err(b"d1:ai1e1:ai2ee"), (7, "unsorted or duplicate key"));
    assert_eq!(decode(b"le"), Ok(Value::List(vec![])));
    assert_eq!(decode(b"de"), Ok(Value::Dict(vec![])));
    let d = decode(b"d1:ai1e2:aa1:x1:bli2eee").unwrap();
    assert_eq!(
        d,
        Value::Dict(vec![
            (&b"a"[..], Value::Int(1)),
            (&b"aa"[..], Value::Bytes(b"x")),
            (&b"b"[..], Value::List(vec![Value::Int(2)])),
        ])
    );
    assert_eq!(d.get(b"a"), Some(&Value::Int(1)));
    assert_eq!(d.get(b"aa").and_then(Value::as_bytes), Some(&b"x"[..]));
    assert_eq!(d.get(b"a").and_then(Value::as_int), Some(1));
    assert_eq!(d.get(b"a").and_then(Value::as_bytes), None);
    assert_eq!(d.get(b"aa").and_then(Value::as_int), None);
    assert_eq!(d.get(b"c"), None);
    assert_eq!(Value::List(vec![]).get(b"a"), None);
    assert_eq!(d.encode_to_vec().unwrap(), b"d1:ai1e2:aa1:x1:bli2eee");
}

#[test]
fn depth_limit_counts_lists_and_dictionaries() {
    let nested = |open: &str, close: &str, n: usize| {
        let mut v = open.repeat(n).into_bytes();
        v.extend_from_slice(close.repeat(n).as_bytes());
        v
    };
    // Lists: MAX_DEPTH levels pass, one more fails at its opening byte.
    assert!(decode(&nested("l", "e", MAX_DEPTH)).is_ok());
    assert_eq!(
        err(&nested("l", "e", MAX_DEPTH + 1)),
        (MAX_DEPTH, "nesting too deep")
    );
    // Dictionaries in dictionaries: `d1:k` opens each level.
    let mut ok = nested("d1:k", "e", MAX_DEPTH - 1);
    ok.splice(4 * (MAX_DEPTH - 1)..4 * (MAX_DEPTH - 1), *b"de");
    assert!(decode(&ok).is_ok(), "{}", String::from_utf8_lossy(&ok));
    let mut deep = nested("d1:k", "e", MAX_DEPTH);
    deep.splice(4 * MAX_DEPTH..4 * MAX_DEPTH, *b"de");
    assert_eq!(err(&deep), (4 * MAX_DEPTH, "nesting too deep"));
    assert_eq!(MAX_DEPTH, 16);
}

#[test]
fn lenient_accepts_oxenc_spellings() {
    assert_eq!(decode_lenient(b"i007e"), Ok(Value::Int(7)));
    assert_eq!(decode_lenient(b"i-0e"), Ok(Value::Int(0)));
    assert_eq!(decode_lenient(b"i-007e"), Ok(Value::Int(-7)));
    assert_eq!(decode_lenient(b"003:abc"), Ok(Value::Bytes(b"abc")));
    // Twenty digits, leading zeros included, are the most an integer or length may have.
    assert_eq!(decode_lenient(b"i00000000000000000007e"), Ok(Value::Int(7)));
    assert_eq!(
        lenient_err(b"i000000000000000000007e"),
        (0, Rule::InvalidInteger)
    );
    assert_eq!(
        decode_lenient(b"00000000000000000001:x"),
        Ok(Value::Bytes(b"x"))
    );
    assert_eq!(
        lenient_err(b"000000000000000000001:x"),
        (0, Rule::InvalidLength)
    );
    assert_eq!(
        lenient_err(b"99999999999999999999:x"),
        (0, Rule::InvalidLength)
    );
    assert_eq!(
        lenient_err(b"10000000000:x"),
        (0, Rule::StringPastEnd),
        "eleven digits are a length"
    );
    // What no bencode reader accepts stays refused.
    assert_eq!(lenient_err(b"ie"), (0, Rule::InvalidInteger));
    assert_eq!(lenient_err(b"i-e"), (0, Rule::InvalidInteger));
    assert_eq!(lenient_err(b"i+1e"), (0, Rule::InvalidInteger));
    assert_eq!(lenient_err(b":x"), (0, Rule::InvalidTag));
    assert_eq!(lenient_err(b"d1:bi1e1:ai2ee"), (7, Rule::UnsortedKey));
    assert_eq!(
        lenient_err(b"i9223372036854775808e"),
        (0, Rule::IntegerOutOfRange)
    );
    assert_eq!(lenient_err(b"i1ee"), (3, Rule::TrailingBytes));
}

#[test]
fn decoder_reads_element_by_element_and_rewinds() {
    let input = b"l3:abci18446744073709551615ei-3ed1:kleee";
    let mut d = Decoder::new(input, Mode::Strict);
    assert_eq!(d.peek(), Some(Kind::List));
    assert_eq!(
        d.take_bytes(),
        Err(BencodeError::new(0, Rule::ExpectedBytes))
    );
    assert_eq!(
        d.begin_dict(),
        Err(BencodeError::new(0, Rule::ExpectedDict))
    );
    assert_eq!(d.end(), Err(BencodeError::new(0, Rule::ExpectedEnd)));
    d.begin_list().unwrap();
    assert_eq!(d.offset(), 1);
    assert_eq!(d.peek(), Some(Kind::Bytes));
    assert_eq!(
        d.take_i64(),
        Err(BencodeError::new(1, Rule::ExpectedInteger))
    );
    assert_eq!(
        d.take_bytes_at_most(2),
        Err(BencodeError::new(1, Rule::StringTooLong))
    );
    assert_eq!(d.offset(), 1);
    assert_eq!(d.take_bytes_at_most(3), Ok(&b"abc"[..]));
    assert_eq!(d.peek(), Some(Kind::Int));
    assert_eq!(
        d.take_i64(),
        Err(BencodeError::new(6, Rule::IntegerOutOfRange))
    );
    assert_eq!(d.offset(), 6);
    assert_eq!(d.take_u64(), Ok(u64::MAX));
    assert_eq!(
        d.take_u64(),
        Err(BencodeError::new(28, Rule::IntegerOutOfRange))
    );
    assert_eq!(d.offset(), 28);
    assert_eq!(d.take_i64(), Ok(-3));
    assert_eq!(d.peek(), Some(Kind::Dict));
    assert!(!d.at_end());
    assert_eq!(
        d.take_value(),
        Ok(Value::Dict(vec![(&b"k"[..], Value::List(vec![]))]))
    );
    assert!(d.at_end());
    assert_eq!(d.peek(), Some(Kind::End));
    d.end().unwrap();
    assert!(d.is_exhausted());
    assert_eq!(d.peek(), None);
    assert_eq!(d.end(), Err(BencodeError::new(40, Rule::UnexpectedEnd)));
    assert_eq!(
        d.take_bytes(),
        Err(BencodeError::new(40, Rule::UnexpectedEnd))
    );
    assert_eq!(
        d.take_u64(),
        Err(BencodeError::new(40, Rule::UnexpectedEnd))
    );
    d.clone().finish().unwrap();
    assert_eq!(d.into_reader().offset(), 40);

    // A failed value leaves the decoder where it was.
    let mut d = Decoder::new(b"li1ei01ee", Mode::Strict);
    assert_eq!(
        d.take_value(),
        Err(BencodeError::new(4, Rule::NonCanonicalInteger))
    );
    assert_eq!(d.offset(), 0);
    assert_eq!(
        d.clone().finish(),
        Err(BencodeError::new(0, Rule::TrailingBytes))
    );
    assert_eq!(Decoder::new(b"x", Mode::Strict).peek(), None);

    // Lenient decoders read `-0` as an unsigned zero.
    let mut d = Decoder::new(b"i-0ei-1e", Mode::Lenient);
    assert_eq!(d.take_u64(), Ok(0));
    assert_eq!(
        d.take_u64(),
        Err(BencodeError::new(4, Rule::IntegerOutOfRange))
    );
    assert_eq!(d.offset(), 4);
    assert_eq!(d.take_i64(), Ok(-1));
}

#[test]
fn decoder_continues_a_reader_with_outer_offsets() {
    let blob = b"\x02li7ee";
    let mut r = Reader::new(blob);
    assert_eq!(r.take_u8(), Ok(2));
    let mut d = Decoder::from_reader(r, Mode::Lenient);
    d.begin_list().unwrap();
    assert_eq!(
        d.take_bytes(),
        Err(BencodeError::new(2, Rule::ExpectedBytes))
    );
    assert_eq!(d.take_u64(), Ok(7));
    d.end().unwrap();
    d.finish().unwrap();

    // Value is Readable: `extract` reads one strict value and rewinds on failure.
    let mut r = Reader::new(b"i1ei01e");
    assert_eq!(r.extract::<Value<'_>>(), Ok(Value::Int(1)));
    assert_eq!(
        r.extract::<Value<'_>>(),
        Err(BencodeError::new(3, Rule::NonCanonicalInteger))
    );
    assert_eq!(r.offset(), 3);
}

#[test]
fn errors_print_rule_and_offset() {
    let e = BencodeError::new(7, Rule::UnsortedKey);
    assert_eq!(
        alloc::format!("{e}"),
        "bencode: unsorted or duplicate key at offset 7"
    );
    assert_eq!(alloc::format!("{}", Rule::TooDeep), "nesting too deep");
    let truncated = crate::Error::Truncated {
        offset: 5,
        needed: 1,
        available: 0,
    };
    assert_eq!(
        BencodeError::from(truncated),
        BencodeError::new(5, Rule::UnexpectedEnd)
    );
}

#[test]
fn containers_write_their_delimiters() {
    let out = written(|w| {
        write_dict_start(w);
        write_bytes(w, b"a");
        write_list_start(w);
        write_uint(w, 1);
        write_end(w);
        write_end(w);
    });
    assert_eq!(out, b"d1:ali1eee");
    assert_eq!(
        decode(&out),
        Ok(Value::Dict(vec![(
            &b"a"[..],
            Value::List(vec![Value::Int(1)])
        )]))
    );
}
