//! Entry points for fuzz targets and tests (not a stable API; may change at any time).
//!
//! The parsers behind the AEAD are unreachable with random bytes, so these hooks expose them
//! directly.

use alloc::vec::Vec;

use rand_core::CryptoRng;

use crate::framing::OpenOptions;
use crate::{Error, node};

/// Runs the outer-layer parser and the opener on arbitrary bytes with a fixed node key.
pub fn outer(data: &[u8]) -> Result<(), Error> {
    let key = node::NodeKey::new([7u8; 32]);
    let opts = OpenOptions::default().allow_aes_cbc(true);
    let _ = key.open_forward(data, &opts);
    key.open_request(data, &opts).map(|_| ())
}

/// Runs the router (what a node does after a successful decryption) on arbitrary bytes.
pub fn router(data: &[u8]) -> Result<(), Error> {
    let route = node::route(data);
    let _ = node::error_response(route.as_ref().err().unwrap_or(&Error::Timeout));
    if let Ok(node::Route::RelayToNode(r)) = &route {
        let msg = r.forward_message(0)?;
        node::ForwardMessage::decode(&msg, &OpenOptions::default())?;
    }
    route.map(|_| ())
}

/// A node's whole answer path for an arbitrary decrypted layer: `data` is sealed as a valid
/// request to a fixed node key, opened, routed, and answered (forward message, encrypted
/// error reply, v4 request parse, destination reply), so the fuzzer reaches every step
/// behind the AEAD exactly as a node runs it.
pub fn node_pipeline(data: &[u8]) -> Result<(), Error> {
    use crate::hop::{HopKey, Role};
    let node_secret = [7u8; 32];
    let client_secret = [9u8; 32];
    let node_public = crate::hop::public_key(&node_secret);
    let client_public = crate::hop::public_key(&client_secret);
    let mut rng = Counter(0);
    let enc = crate::EncType::XChaCha20;
    let key = HopKey::derive(
        enc,
        Role::Client,
        &client_secret,
        Some(&client_public),
        &node_public,
    )?;
    let ct = key.seal(data, &mut rng)?;
    let mut json = alloc::vec::Vec::with_capacity(128);
    json.extend_from_slice(br#"{"enc_type":"xchacha20","ephemeral_key":"#);
    crate::json::push_hex(&mut json, &client_public);
    json.push(b'}');
    let request = crate::framing::encode(&ct, &json)?;
    let opened = node::NodeKey::new(node_secret).open_request(&request, &OpenOptions::default())?;
    let route = node::route(opened.payload());
    let answer = match &route {
        Ok(node::Route::RelayToNode(r)) => r.forward_message(opened.hop_no()).map(|_| ()),
        Ok(node::Route::RelayToServer(r)) => node::parse_v4_request(r.payload).map(|_| ()),
        Ok(node::Route::Destination(d)) => opened
            .v3_reply(
                200,
                node::ReplyBody::Text(core::str::from_utf8(d.body).unwrap_or("")),
                d.json,
                d.base64,
                &mut rng,
            )
            .map(|_| ()),
        Err(e) => opened.error_reply(e, &mut rng).map(|_| ()),
    };
    if let Err(e) = &answer {
        opened.error_reply(e, &mut rng)?;
    }
    // The routing error first (what the node answered), then any failure to answer.
    route.map(|_| ()).and(answer)
}

/// A deterministic counter RNG for the fuzzing hooks (never for real use).
struct Counter(u64);

impl rand_core::TryRng for Counter {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Ok(self.try_next_u64()? as u32)
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        Ok(self.0)
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        for b in dst {
            *b = (self.try_next_u64()? >> 56) as u8;
        }
        Ok(())
    }
}
impl rand_core::TryCryptoRng for Counter {}

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
    crate::client::parse_v4(data).map(|_| ())
}

/// A fixed reply key (XChaCha20, GCM fallback on) for fuzzing the encrypted reply decoders.
pub fn fixed_reply_key() -> Result<crate::client::ReplyKey, Error> {
    use crate::client::{Builder, Destination, Hop};
    struct Fixed;
    impl rand_core::TryRng for Fixed {
        type Error = core::convert::Infallible;
        fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
            Ok(0x9e37_79b9)
        }
        fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
            Ok(0x9e37_79b9_7f4a_7c15)
        }
        fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
            dst.iter_mut()
                .enumerate()
                .for_each(|(i, b)| *b = i as u8 ^ 0x5a);
            Ok(())
        }
    }
    impl rand_core::TryCryptoRng for Fixed {}
    let hop = Hop::new([1u8; 32].into(), crate::hop::public_key(&[2u8; 32]).into());
    let onion = Builder::new(crate::EncType::XChaCha20).hop(hop).build(
        &Destination::node(hop),
        b"{}",
        &mut Fixed,
    )?;
    Ok(onion.into_parts().1.with_gcm_fallback(true))
}

/// Runs the encrypted reply entry points (`decode_v3`, `decode_v4`) with [`fixed_reply_key`].
pub fn reply_encrypted(data: &[u8]) -> Result<(), Error> {
    let key = fixed_reply_key()?;
    let _ = key.decode_v3(data);
    key.decode_v4(data).map(|_| ())
}

/// Parses a decrypted v3 reply (tests and fuzzing).
pub fn parse_v3_reply(data: &[u8]) -> Result<crate::client::V3Reply, Error> {
    crate::client::parse_v3(data)
}

/// Parses a decrypted v4 reply (tests and fuzzing).
pub fn parse_v4_reply(data: &[u8]) -> Result<crate::client::V4Reply, Error> {
    crate::client::parse_v4(data)
}

/// Legacy AES-CBC encryption (tests only: the crate never emits AES-CBC).
pub fn aes_cbc_encrypt<R: CryptoRng + ?Sized>(
    local_secret: &[u8; 32],
    remote_public: &[u8; 32],
    data: &[u8],
    rng: &mut R,
) -> Result<Vec<u8>, Error> {
    let shared = crate::hop::shared_secret(local_secret, remote_public)?;
    Ok(crate::hop::cbc::encrypt(&shared, data, rng))
}
