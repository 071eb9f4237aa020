//! Tour section: an identity restored from a seed.

use session_infra::core::{Identity, SessionId, SessionSeed};

/// Restores an identity from a 16-byte seed and prints its keys and Session ID.
pub fn run() {
    println!("== 1. Identity: seed -> Ed25519 -> X25519 -> Session ID");
    // The seed of a Session account is 16 bytes; the apps pad it with 16 zero bytes.
    let seed: [u8; 16] = hex::decode("e37315dd45b0b0454dbb04dce662772a")
        .unwrap()
        .try_into()
        .unwrap();
    let identity = Identity::from_seed(SessionSeed::from_bytes(seed));
    println!("   seed (16 bytes)      {}", hex::encode(seed));
    println!("   Ed25519 public key   {}", identity.ed25519_public());
    println!("   X25519 public key    {}", identity.x25519_public());
    println!("   Session ID           {}", identity.session_id());
    println!("   Debug never prints secrets: {identity:?}");
    let parsed: SessionId = identity
        .session_id()
        .to_string()
        .to_uppercase()
        .parse()
        .unwrap();
    assert_eq!(parsed, identity.session_id());
    println!(
        "   the ID parses back from any case: {}",
        parsed == identity.session_id()
    );
    println!();
}
