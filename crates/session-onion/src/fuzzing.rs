//! Entry points for this crate's fuzz targets and tests, behind the `testing` feature (never
//! part of the supported API).
//!
//! The parsers behind the AEAD are unreachable with random bytes, so these hooks expose them
//! directly. Their randomness is a seeded ChaCha20 generator: repeatable, and a real CSPRNG.

use alloc::vec::Vec;

use chacha20::ChaCha20Rng;
use rand_core::{CryptoRng, SeedableRng};

use session_core::X25519PublicKey;
use session_core::hazmat::SecretBytes as _;

use crate::framing::OpenOptions;
use crate::{ClientError, CryptoError, Error, FormatError, NodeKey, node};

fn seeded() -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(0x5e55_1011)
}

/// A fixed node key (the same on every run, so that crashes reproduce).
fn fixed_key(seed: u64) -> NodeKey {
    NodeKey::generate(&mut ChaCha20Rng::seed_from_u64(seed))
}

/// Runs the outer-layer parser and the opener on arbitrary bytes with a fixed node key.
pub fn outer(data: &[u8]) -> Result<(), Error> {
    let key = fixed_key(7);
    let opts = OpenOptions::default().allow_aes_cbc(true);
    let _ = key.open_forward(data, &opts);
    key.open_request(data, &opts)?;
    Ok(())
}

/// Runs the router (what a node does after a successful decryption) on arbitrary bytes.
pub fn router(data: &[u8]) -> Result<(), Error> {
    let route = node::route(data);
    if let Err(e) = &route {
        let _ = node::error_response(e);
    }
    if let Ok(node::Route::RelayToNode(r)) = &route {
        let msg = r.forward_message(0)?;
        node::ForwardMessage::decode(&msg, &OpenOptions::default())?;
    }
    route?;
    Ok(())
}

/// A node's whole answer path for an arbitrary decrypted layer: `data` is sealed as a valid
/// request to a fixed node key, opened, routed, and answered (forward message, encrypted
/// error reply, v4 request parse, destination reply), so the fuzzer reaches every step
/// behind the AEAD exactly as a node runs it.
pub fn node_pipeline(data: &[u8]) -> Result<(), Error> {
    use crate::hop::{HopKey, Role};
    let node_key = fixed_key(7);
    let client_key = fixed_key(9);
    let mut rng = seeded();
    let enc = crate::EncType::XChaCha20;
    let key = HopKey::derive(enc, Role::Client, &client_key, &node_key.public())?;
    let ct = key.seal(data, &mut rng)?;
    let json = alloc::format!(
        r#"{{"enc_type":"xchacha20","ephemeral_key":"{}"}}"#,
        client_key.public()
    );
    let request = crate::framing::encode(&ct, json.as_bytes())?;
    let opened = node_key.open_request(&request, &OpenOptions::default())?;
    let route = node::route(opened.payload());
    let answer: Result<(), Error> = match &route {
        Ok(node::Route::RelayToNode(r)) => r
            .forward_message(opened.hop_no())
            .map(|_| ())
            .map_err(Error::from),
        Ok(node::Route::RelayToServer(r)) => node::parse_v4_request(r.payload)
            .map(|_| ())
            .map_err(Error::from),
        Ok(node::Route::Destination(d)) => opened
            .v3_reply(
                d,
                200,
                node::ReplyBody::Text(core::str::from_utf8(d.body).unwrap_or("")),
                &mut rng,
            )
            .map(|_| ())
            .map_err(Error::from),
        Err(e) => opened
            .error_reply(e, &mut rng)
            .map(|_| ())
            .map_err(Error::from),
    };
    if let Err(Error::Node(e)) = &answer {
        opened.error_reply(e, &mut rng)?;
    }
    // The routing error first (what the node answered), then any failure to answer.
    route?;
    answer
}

/// Runs the reply decoders on arbitrary *plaintext*: the v3 JSON reply parser, the v4
/// bencode parser, and base64 unwrapping.
pub fn reply_plaintext(data: &[u8]) -> Result<(), Error> {
    let _ = crate::client::decode_base64(data);
    let _ = crate::bencode::decode(data);
    let _ = crate::node::parse_v4_request(data);
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) {
        let _ = crate::path::parse_misdirected(&v);
    }
    let _ = crate::client::parse_v3(data);
    crate::client::parse_v4(data)?;
    Ok(())
}

/// A fixed reply key (XChaCha20, GCM fallback on) for fuzzing the encrypted reply decoders.
pub fn fixed_reply_key() -> Result<crate::client::ReplyKey, ClientError> {
    use crate::client::{Builder, Destination, Hop};
    let hop = Hop::new([1u8; 32].into(), fixed_key(2).public());
    let onion = Builder::new(crate::EncType::XChaCha20).hop(hop).build(
        &Destination::node(hop),
        b"{}",
        &mut seeded(),
    )?;
    Ok(onion.into_parts().1.with_gcm_fallback(true))
}

/// Runs the encrypted reply entry points (`decode_v3`, `decode_v4`) with [`fixed_reply_key`].
pub fn reply_encrypted(data: &[u8]) -> Result<(), Error> {
    let key = fixed_reply_key()?;
    let _ = key.decode_v3(data);
    key.decode_v4(data)?;
    Ok(())
}

/// Parses a decrypted v3 reply.
pub fn parse_v3_reply(data: &[u8]) -> Result<crate::client::V3Reply, FormatError> {
    crate::client::parse_v3(data)
}

/// Parses a decrypted v4 reply.
pub fn parse_v4_reply(data: &[u8]) -> Result<crate::client::V4Reply, FormatError> {
    crate::client::parse_v4(data)
}

/// Legacy AES-CBC encryption, to test that nodes still open it: the crate never emits it.
pub fn aes_cbc_encrypt<R: CryptoRng + ?Sized>(
    local: &NodeKey,
    remote: &X25519PublicKey,
    data: &[u8],
    rng: &mut R,
) -> Result<Vec<u8>, CryptoError> {
    let shared = local.agree(remote)?;
    Ok(crate::hop::cbc::encrypt(shared.hazmat_bytes(), data, rng))
}
