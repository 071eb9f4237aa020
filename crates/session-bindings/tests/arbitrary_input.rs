//! Arbitrary input to every entry point that takes bytes or text from a binding: an error or
//! a value, never a panic.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use session_bindings::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn bytes_and_text_never_panic(data in proptest::collection::vec(any::<u8>(), 0..300), text in ".{0,120}", n in any::<i64>(), t in any::<u64>()) {
        let _ = Identity::from_seed(&data);
        let _ = Identity::from_phrase(&text);
        let _ = verify_signature(&data, &data, &data);
        let _ = phrase_encode(&data, Some(&text));
        let _ = phrase_decode(&text, None);
        let _ = phrase_check(&text, None, 3);
        let _ = parse_session_id(&text);
        let _ = message_hash(&text, n, &data);
        let _ = store_payload(n, t);
        let _ = delete_payload(&[&text]);
        let _ = delete_all_payload(Some(n), t);
        let _ = expire_payload(&text, t, &[&text]);
        let _ = delete_before_payload(Some(n), t);
        let _ = expire_all_payload(Some(n), t);
        let _ = get_expiries_payload(t, &[&text]);
        let _ = revoke_subaccount_payload(t, &[&data]);
        let _ = unrevoke_subaccount_payload(t, &[&data, &data]);
        let _ = monitor_payload(&text, t, n < 0, &[n]);
        let _ = swarm_for(&text, &[t]);
        let _ = staking_requirement(&text, t);
        let _ = check_registration_stakes("mainnet", t, &[t, t]);
        let _ = verify_ethereum_registration("devnet", t, &data, &data, &data);
        // A valid BLS key (the generator), so arbitrary Ed25519 keys and signatures get past
        // the key's parsing to the signature check.
        let mut bls_generator = [0u8; 64];
        bls_generator[31] = 1;
        bls_generator[63] = 2;
        let _ = verify_ethereum_registration("devnet", t, &data, &bls_generator, &data);
        let _ = OnionHop::from_bytes(&data);
        let _ = v4_request(&text, &text, &[(&text, &text)], Some(&data));
        if let Ok(key) = NodeKey::from_secret(&data) {
            if let Ok(layer) = key.open_request(&data) {
                let _ = layer.route();
                let _ = layer.answer(200, &data);
            }
            let _ = key.open_forward(&data);
        }
    }

    #[test]
    fn replies_never_panic(data in proptest::collection::vec(any::<u8>(), 0..300)) {
        let node = OnionHop { ed25519: Identity::from_seed(&[1; 32]).unwrap().ed25519_public(), x25519: None };
        let onion = build_onion_to_node(&[node], &node, b"{}", None).unwrap();
        prop_assert!(onion.decode_reply(&data).is_err());
    }
}
