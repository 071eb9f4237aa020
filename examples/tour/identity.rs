//! Tour section: an identity restored from a seed, and a new one created from an RNG.

use session_infra::common::{Identity, SessionId, SessionSeed};

/// Restores an identity from a 16-byte seed and prints its keys and Session ID, then creates
/// a new account from the operating system's randomness.
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
    // A new account: 16 bytes from a CSPRNG (here `rand`'s, seeded by the OS), as the apps do.
    // An application (not a protocol crate) is where the OS-seeded RNG is constructed.
    #[allow(clippy::disallowed_methods)]
    let fresh = Identity::generate(&mut rand::rng());
    let seed = fresh.ed25519_seed().session_seed().unwrap();
    println!("   a new account         {}", fresh.session_id());
    println!("   its seed stays hidden {seed:?}");
    assert_eq!(Identity::from_seed(seed).session_id(), fresh.session_id());
    println!();
}
