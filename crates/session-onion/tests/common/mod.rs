//! Shared test helpers: deterministic RNGs and vector loading.
#![allow(dead_code, unreachable_pub)]

use session_onion::rand_core::{TryCryptoRng, TryRng};

/// An RNG that replays fixed bytes (then zeros): reproduces fixed nonces.
pub struct Replay(pub Vec<u8>, pub usize);

impl TryRng for Replay {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let mut b = [0u8; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut b = [0u8; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        for d in dst {
            *d = self.0.get(self.1).copied().unwrap_or(0);
            self.1 += 1;
        }
        Ok(())
    }
}
impl TryCryptoRng for Replay {}

/// A seeded ChaCha20 RNG.
pub fn rng(seed: u8) -> chacha20::ChaCha20Rng {
    use session_onion::rand_core::SeedableRng;
    chacha20::ChaCha20Rng::from_seed([seed; 32])
}

pub fn vectors() -> serde_json::Value {
    serde_json::from_str(include_str!("../data/onion.json")).unwrap()
}

pub fn h(v: &serde_json::Value) -> Vec<u8> {
    session_core::encoding::decode_hex(v.as_str().unwrap()).unwrap()
}

pub fn h32(v: &serde_json::Value) -> [u8; 32] {
    h(v).try_into().unwrap()
}

/// A node key from raw secret bytes (vector keys, fixed test keys).
pub fn key(secret: [u8; 32]) -> session_onion::NodeKey {
    session_onion::NodeKey::from_secret(session_core::X25519Secret::from_bytes(secret))
}
