//! Fuzzes the bencoded uptime-proof parser of `session-staking::uptime` at the hard forks whose
//! fields differ (HF19, HF20 with its BLS fields, HF21 with its required L2 height): it never
//! panics, and what parses keeps the rules oxend enforces.
#![no_main]
use libfuzzer_sys::fuzz_target;
use session_core::Network;
use session_staking::HardFork;
use session_staking::uptime::parse_bt_uptime_proof;

fuzz_target!(|input: &[u8]| {
    for hf in [HardFork::Hf19, HardFork::Hf20, HardFork::Hf21] {
        if let Ok(proof) = parse_bt_uptime_proof(hf, Network::Mainnet, input) {
            assert_ne!(proof.qnet_port, 0);
            assert_ne!(proof.public_ip, [0; 4]);
            assert_eq!(proof.bls_public_key.is_some(), hf == HardFork::Hf20);
            if hf == HardFork::Hf21 {
                assert!(proof.l2_height.is_some_and(|h| h != 0));
            }
        }
    }
});
