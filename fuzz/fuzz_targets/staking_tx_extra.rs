//! Fuzzes the tx_extra parser of `session-staking`: it never panics, the strict and the lenient
//! parse agree, whatever parses encodes back (field by field to the same bytes), and can be
//! hashed and checked without panicking.
#![no_main]
use libfuzzer_sys::fuzz_target;
use session_staking::crypto::PublicKey;
use session_staking::tx_extra::{Field, TxExtra, encode_fields};
use session_staking::{HardFork, registration::registration_hash, validate_registration};

fuzz_target!(|data: &[u8]| {
    let strict = TxExtra::parse(data);
    let (lenient, err) = TxExtra::parse_lenient(data);
    match strict {
        Ok(x) => {
            assert_eq!(x, lenient);
            assert!(err.is_none());
            let fields: Vec<Field> = TxExtra::fields(data).map(Result::unwrap).collect();
            assert_eq!(encode_fields(&fields).unwrap(), data);
            assert_eq!(TxExtra::parse(&x.encode().unwrap()), Ok(x));
        }
        Err(e) => assert_eq!(Some(e), err),
    }
    if let Some(reg) = &lenient.registration {
        let _ = registration_hash(reg);
        let sn = lenient.sn_pubkey.unwrap_or(PublicKey([0; 32]));
        let _ = validate_registration(reg, &sn, HardFork::Hf19, 15_000_000_000_000, 0);
    }
});
