//! The onion builder: the whole onion written into one buffer sized in advance, every layer
//! sealed in place, inside out.

use alloc::vec::Vec;

use rand_core::CryptoRng;
use session_core::{SharedSecret, X25519PublicKey, X25519Secret};
use zeroize::Zeroize;

use super::MAX_PATH_LEN;
use super::destination::{Destination, Hop};
use super::layer_json::LayerJson;
use super::reply::ReplyKey;
use crate::hop::{HopKey, TAG_LEN};
use crate::{ClientError, CryptoError, EncType};

/// The marker JSON that tells the last node it is the destination (libsession's form).
const HEADERS_MARKER: &[u8] = br#"{"headers":""}"#;

/// Builds onions for a path of 1 ..= 15 hops (3 is normal; the first is the guard).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Builder {
    enc: EncType,
    hops: Vec<Hop>,
    start_hop_no: Option<u64>,
}

/// A built onion: the bytes for the guard and the key that opens the reply.
#[derive(Debug)]
pub struct Onion {
    request: Vec<u8>,
    reply_key: ReplyKey,
}

impl Onion {
    /// The outer blob to send to the guard (`/onion_req/v2` body or QUIC `onion_req`).
    #[must_use]
    pub fn request(&self) -> &[u8] {
        &self.request
    }

    /// The key that decrypts the destination's reply.
    #[must_use]
    pub fn reply_key(&self) -> &ReplyKey {
        &self.reply_key
    }

    /// Splits into the outer blob and the reply key.
    #[must_use]
    pub fn into_parts(self) -> (Vec<u8>, ReplyKey) {
        (self.request, self.reply_key)
    }
}

/// One layer being sealed: its ephemeral public key and its derived key.
struct LayerKey {
    public: [u8; 32],
    key: HopKey,
}

/// Ephemeral key → shared secret with `peer` → layer key. The ephemeral secret is taken by
/// value and wiped when this returns: only its public key and the shared secret remain.
fn fresh_layer(
    enc: EncType,
    ephemeral: X25519Secret,
    peer: &X25519PublicKey,
) -> Result<(LayerKey, SharedSecret), ClientError> {
    let public = ephemeral.public_key();
    let shared = ephemeral
        .diffie_hellman(peer)
        .map_err(|_| ClientError::LowOrderKey(*peer))?;
    let key = HopKey::from_shared(enc, &shared, &public, peer);
    Ok((
        LayerKey {
            public: public.to_bytes(),
            key,
        },
        shared,
    ))
}

/// Sealing only fails on a state the builder rules out (a nonce or buffer of the wrong size).
fn sealing(e: CryptoError) -> ClientError {
    match e {
        CryptoError::Internal(what) => ClientError::Internal(what),
        _ => ClientError::Internal("sealing a layer"),
    }
}

fn put_u32(buf: &mut [u8], at: usize, v: usize) -> Result<(), ClientError> {
    let v = u32::try_from(v).map_err(|_| ClientError::TooLarge { size: v })?;
    buf.get_mut(at..at + 4)
        .ok_or(ClientError::Internal("length prefix outside the onion"))?
        .copy_from_slice(&v.to_le_bytes());
    Ok(())
}

/// Seals `buf[start + nl .. start + nl + len]` in place: nonce before, tag after.
fn seal_at<R: CryptoRng + ?Sized>(
    key: &HopKey,
    buf: &mut [u8],
    start: usize,
    len: usize,
    rng: &mut R,
) -> Result<(), ClientError> {
    let nl = key.enc_type().nonce_len();
    let region = buf
        .get_mut(start..start + nl + len + TAG_LEN)
        .ok_or(ClientError::Internal("layer outside the onion"))?;
    let (nonce, rest) = region.split_at_mut(nl);
    let (body, tag_slot) = rest.split_at_mut(len);
    rng.fill_bytes(nonce);
    let tag = key.seal_in_place_detached(nonce, body).map_err(sealing)?;
    tag_slot.copy_from_slice(&tag);
    Ok(())
}

impl Builder {
    /// A builder with no hops yet, sealing every layer with `enc`.
    #[must_use = "builders are values: use the returned one"]
    pub fn new(enc: EncType) -> Self {
        Builder {
            enc,
            hops: Vec::new(),
            start_hop_no: None,
        }
    }

    /// Starts the hop counter at `hop_no` instead of 0 (the outer `hop_no` field), so that
    /// hops cannot tell their position from it. Nodes refuse counters above
    /// [`MAX_HOPS`](crate::MAX_HOPS), so `hop_no + path length` must stay within it.
    #[must_use = "builders are values: use the returned one"]
    pub fn start_hop_no(mut self, hop_no: u64) -> Self {
        self.start_hop_no = Some(hop_no);
        self
    }

    /// Appends a hop (the first one added is the guard).
    #[must_use = "builders are values: use the returned one"]
    pub fn hop(mut self, hop: Hop) -> Self {
        self.hops.push(hop);
        self
    }

    /// Appends several hops in path order.
    #[must_use = "builders are values: use the returned one"]
    pub fn hops(mut self, hops: impl IntoIterator<Item = Hop>) -> Self {
        self.hops.extend(hops);
        self
    }

    /// The cipher of every layer.
    #[must_use]
    pub fn enc_type(&self) -> EncType {
        self.enc
    }

    /// The path, guard first.
    #[must_use]
    pub fn path(&self) -> &[Hop] {
        &self.hops
    }

    /// Builds the onion carrying `payload` to `destination`.
    ///
    /// For a node destination `payload` is the storage RPC body (`{"method":…,"params":…}`);
    /// for a server it is the v4 request (see [`v4_request`](super::v4_request)). One
    /// ephemeral key per layer is drawn from `rng`, plus one nonce per layer.
    pub fn build<R: CryptoRng + ?Sized>(
        &self,
        destination: &Destination,
        payload: &[u8],
        rng: &mut R,
    ) -> Result<Onion, ClientError> {
        let n = self.hops.len();
        if n == 0 || n > MAX_PATH_LEN {
            return Err(ClientError::PathLength(n));
        }
        let enc = self.enc;
        let nl = enc.nonce_len();
        let oh = enc.overhead();

        // The JSON after each hop's layer: k = 1 is the last hop, k = n the guard.
        let json_of = |k: usize| -> Result<LayerJson<'_>, ClientError> {
            Ok(match (k, destination) {
                (1, Destination::Node(d)) => LayerJson::Relay { next: &d.ed25519 },
                (1, Destination::Server(s)) => LayerJson::Server(s),
                _ => LayerJson::Relay {
                    next: &self
                        .hops
                        .get(n - k + 1)
                        .ok_or(ClientError::Internal("hop index"))?
                        .ed25519,
                },
            })
        };

        // Innermost plaintext (what the destination decrypts).
        let dest_plain = match destination {
            Destination::Node(_) => 4 + payload.len() + HEADERS_MARKER.len(),
            Destination::Server(_) => payload.len(),
        };

        // Ciphertext sizes inside out: c[0] = destination blob, c[k] = layer of hop n - k + 1.
        let mut ct_len = dest_plain + oh;
        let mut sizes = [0usize; MAX_PATH_LEN + 1];
        let mut json_lens = [0usize; MAX_PATH_LEN + 1];
        if let Some(s) = sizes.get_mut(0) {
            *s = ct_len;
        }
        for k in 1..=n {
            let json_len = json_of(k)?.len(enc);
            ct_len = 4 + ct_len + json_len + oh;
            if let (Some(s), Some(j)) = (sizes.get_mut(k), json_lens.get_mut(k)) {
                *s = ct_len;
                *j = json_len;
            }
        }
        let outer = LayerJson::Outer {
            hop_no: self.start_hop_no,
        };
        let outer_json = outer.len(enc);
        let total = 4 + ct_len + outer_json;
        if u32::try_from(ct_len).is_err() {
            return Err(ClientError::TooLarge { size: total });
        }

        // The one output allocation. Layer k's ciphertext starts at
        // 4 + (n - k) * (nl + 4): each enclosing layer adds a length prefix and a nonce.
        let mut out = alloc::vec![0u8; total];
        let start_of = |k: usize| 4 + (n - k) * (nl + 4);

        // Until every layer is sealed the buffer holds plaintext (the payload, routing
        // JSON): on any failure (a low-order hop key, say) it is wiped before it is freed.
        let sealed = (|| -> Result<ReplyKey, ClientError> {
            // Destination blob.
            let (dest_layer, dest_shared) =
                fresh_layer(enc, X25519Secret::generate(rng), destination.x25519())?;
            let s0 = start_of(0);
            let p0 = s0 + nl;
            let outside = ClientError::Internal("payload outside the onion");
            if let Destination::Node(_) = destination {
                put_u32(&mut out, p0, payload.len())?;
                out.get_mut(p0 + 4..p0 + 4 + payload.len())
                    .ok_or(outside.clone())?
                    .copy_from_slice(payload);
                let at = p0 + 4 + payload.len();
                out.get_mut(at..at + HEADERS_MARKER.len())
                    .ok_or(outside)?
                    .copy_from_slice(HEADERS_MARKER);
            } else {
                out.get_mut(p0..p0 + payload.len())
                    .ok_or(outside)?
                    .copy_from_slice(payload);
            }
            seal_at(&dest_layer.key, &mut out, s0, dest_plain, rng)?;

            // Hops, innermost (k = 1, the last hop) to outermost (k = n, the guard).
            let mut inner_public = dest_layer.public;
            for k in 1..=n {
                let hop = self
                    .hops
                    .get(n - k)
                    .ok_or(ClientError::Internal("hop index"))?;
                let inner_ct = sizes.get(k - 1).copied().unwrap_or(0);
                let json_len = json_lens.get(k).copied().unwrap_or(0);
                let start = start_of(k);
                let plain_start = start + nl;
                put_u32(&mut out, plain_start, inner_ct)?;
                json_of(k)?.write_at(
                    &mut out,
                    plain_start + 4 + inner_ct,
                    json_len,
                    enc,
                    &inner_public,
                )?;
                // The hop's shared secret is dropped (and wiped) at once: only the
                // destination's is kept, to open the reply.
                let (layer, _) = fresh_layer(enc, X25519Secret::generate(rng), &hop.x25519)?;
                seal_at(&layer.key, &mut out, start, 4 + inner_ct + json_len, rng)?;
                inner_public = layer.public;
            }

            put_u32(&mut out, 0, ct_len)?;
            outer.write_at(&mut out, 4 + ct_len, outer_json, enc, &inner_public)?;

            Ok(ReplyKey::from_parts(
                enc,
                dest_shared,
                X25519PublicKey::from_bytes(dest_layer.public),
                *destination.x25519(),
            ))
        })();
        match sealed {
            Ok(reply_key) => Ok(Onion {
                request: out,
                reply_key,
            }),
            Err(e) => {
                out.zeroize();
                Err(e)
            }
        }
    }
}
