//! Hop encryption: the one primitive every onion layer and every reply uses.
//!
//! `shared = X25519(local secret, remote public)`; the symmetric key depends on the cipher:
//!
//! * AES-256-GCM: `HMAC-SHA256(key = "LOKI", msg = shared)`, which is exactly
//!   `HKDF-Extract(salt = "LOKI", IKM = shared)` (there is no Expand step);
//! * XChaCha20-Poly1305: `BLAKE2b-256(shared ‖ client public ‖ server public)`, where *client* is
//!   the side that generated the ephemeral key (the onion sender) and *server* the side with the
//!   static key (node or destination), whatever the direction of the message. Hence [`Role`].
//!
//! Ciphertexts are `nonce ‖ ct ‖ tag[16]` with no associated data. Peer keys of small order
//! (all-zero shared secret) are rejected, as libsodium does. A failed decryption never leaves
//! plaintext behind: the buffer is wiped.
//!
//! The functions here take a [`NodeKey`] (a static key pair, which carries its public key, so
//! one X25519 per layer is all they compute) and typed public keys; [`crate::hazmat`] has the
//! same operations on raw byte arrays.

use alloc::vec::Vec;

use blake2::Blake2b;
use blake2::digest::consts::U32;
use hmac::{Hmac, KeyInit, Mac};
use rand_core::CryptoRng;
use session_core::hazmat::SecretBytes as _;
use session_core::{SharedSecret, X25519PublicKey};
use sha2::Sha256;
use zeroize::{Zeroize, Zeroizing};

use crate::{CryptoError, EncType, NodeKey};

mod backend;
use backend::Aead;

/// Length of the authentication tag of both AEADs.
pub const TAG_LEN: usize = 16;

/// The salt / HMAC key of the AES-GCM key derivation.
const GCM_KDF_KEY: &[u8] = b"LOKI";

/// Which side of the exchange the *local* key belongs to.
///
/// Only XChaCha20 cares: its key hashes the client's public key first. The onion sender (and
/// whoever holds the ephemeral key) is [`Role::Client`]; a node or destination using its static
/// key is [`Role::Server`], both when it decrypts a request and when it encrypts the reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// The local key is the ephemeral key of the request's sender.
    Client,
    /// The local key is the static key of the node or destination.
    Server,
}

/// A derived symmetric hop key, wiped on drop.
///
/// Deriving once and reusing the key is what a node does to answer a request it opened, and
/// what [`crate::client::ReplyKey`] does for the reply.
#[derive(Clone)]
pub struct HopKey {
    enc: EncType,
    key: Zeroizing<[u8; 32]>,
}

impl core::fmt::Debug for HopKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HopKey")
            .field("enc", &self.enc)
            .finish_non_exhaustive()
    }
}

impl HopKey {
    /// Derives the key from a key agreement already done and both public keys (*client* = the
    /// side holding the ephemeral key, *server* = the static key). Only XChaCha20 hashes the
    /// public keys.
    #[must_use]
    pub fn from_shared(
        enc: EncType,
        shared: &SharedSecret,
        client_public: &X25519PublicKey,
        server_public: &X25519PublicKey,
    ) -> Self {
        Self::from_shared_bytes(
            enc,
            shared.hazmat_bytes(),
            client_public.as_bytes(),
            server_public.as_bytes(),
        )
    }

    /// Derives the key between a static key pair `local`, playing `role`, and `remote`
    /// (one X25519: the local public key comes with the pair).
    pub fn derive(
        enc: EncType,
        role: Role,
        local: &NodeKey,
        remote: &X25519PublicKey,
    ) -> Result<Self, CryptoError> {
        let shared = local.agree(remote)?;
        Ok(Self::for_role(
            enc,
            role,
            shared.hazmat_bytes(),
            local.public().as_bytes(),
            remote.as_bytes(),
        ))
    }

    /// The key for `role` once the shared secret is known.
    pub(crate) fn for_role(
        enc: EncType,
        role: Role,
        shared: &[u8; 32],
        local_public: &[u8; 32],
        remote_public: &[u8; 32],
    ) -> Self {
        match role {
            Role::Client => Self::from_shared_bytes(enc, shared, local_public, remote_public),
            Role::Server => Self::from_shared_bytes(enc, shared, remote_public, local_public),
        }
    }

    pub(crate) fn from_shared_bytes(
        enc: EncType,
        shared: &[u8; 32],
        client_public: &[u8; 32],
        server_public: &[u8; 32],
    ) -> Self {
        let mut key = Zeroizing::new([0u8; 32]);
        match enc {
            EncType::AesGcm => {
                // HMAC-SHA256 keyed with "LOKI" = HKDF-Extract(salt "LOKI", shared). HMAC
                // zero-pads keys shorter than its 64-byte block, so the padded block key is
                // the same key, and this constructor cannot fail.
                let mut block_key = hmac::digest::Key::<Hmac<Sha256>>::default();
                for (d, s) in block_key.iter_mut().zip(GCM_KDF_KEY) {
                    *d = *s;
                }
                let mut mac = <Hmac<Sha256> as KeyInit>::new(&block_key);
                mac.update(shared);
                key.copy_from_slice(&mac.finalize().into_bytes());
            }
            EncType::XChaCha20 => {
                use blake2::Digest;
                let mut h = Blake2b::<U32>::new();
                h.update(shared);
                h.update(client_public);
                h.update(server_public);
                let out = h.finalize();
                key.copy_from_slice(&out);
            }
        }
        HopKey { enc, key }
    }

    /// The cipher of this key.
    #[must_use]
    pub fn enc_type(&self) -> EncType {
        self.enc
    }

    /// The symmetric key (see [`crate::hazmat::hop_key_bytes`]).
    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.key
    }

    /// Encrypts `buf` in place with the given `nonce` (whose length must be
    /// [`EncType::nonce_len`], else [`CryptoError::NonceLength`]) and returns the tag.
    ///
    /// The building block of [`crate::client::Builder`], which seals every layer where it
    /// lies in the output buffer. A nonce must never be reused with the same key.
    pub fn seal_in_place_detached(
        &self,
        nonce: &[u8],
        buf: &mut [u8],
    ) -> Result<[u8; TAG_LEN], CryptoError> {
        self.apply(nonce, Aead::Seal(buf))
    }

    /// Both directions of both AEADs go through here (the backend is chosen in
    /// [`backend::apply`]); hop encryption has no associated data.
    fn apply(&self, nonce: &[u8], op: Aead<'_>) -> Result<[u8; TAG_LEN], CryptoError> {
        backend::apply(self.enc, &self.key, nonce, &[], op)
    }

    /// Encrypts `plaintext` with a fresh nonce from `rng`, appending `nonce ‖ ct ‖ tag` to `out`.
    pub fn seal_into<R: CryptoRng + ?Sized>(
        &self,
        plaintext: &[u8],
        rng: &mut R,
        out: &mut Vec<u8>,
    ) -> Result<(), CryptoError> {
        let start = out.len();
        let nl = self.enc.nonce_len();
        out.resize(start + nl, 0);
        let body = start + nl;
        out.extend_from_slice(plaintext);
        let (nonce, buf) = out
            .get_mut(start..)
            .and_then(|s| s.split_at_mut_checked(nl))
            .ok_or(CryptoError::Internal("nonce slot"))?;
        rng.fill_bytes(nonce);
        let tag = self.seal_in_place_detached(nonce, buf)?;
        debug_assert_eq!(out.len(), body + plaintext.len());
        out.extend_from_slice(&tag);
        Ok(())
    }

    /// Encrypts `buffer` in place: it holds the plaintext and is replaced by
    /// `nonce ‖ ciphertext ‖ tag`. With [`EncType::overhead`] bytes of spare capacity it is
    /// not reallocated; otherwise the plaintext moves to a new allocation and the old one is
    /// wiped.
    pub fn seal_in_place<R: CryptoRng + ?Sized>(
        &self,
        buffer: &mut Vec<u8>,
        rng: &mut R,
    ) -> Result<(), CryptoError> {
        let enc = self.enc;
        let nl = enc.nonce_len();
        let len = buffer.len();
        if buffer.capacity() - len < enc.overhead() {
            // Growing would free the old allocation with the plaintext still in it: move to
            // a new one and wipe the old one ourselves.
            let mut grown = Vec::with_capacity(len.saturating_add(enc.overhead()));
            grown.extend_from_slice(buffer);
            buffer.zeroize();
            *buffer = grown;
        }
        buffer.resize(len + nl, 0);
        buffer.copy_within(0..len, nl);
        let (nonce, body) = buffer
            .split_at_mut_checked(nl)
            .ok_or(CryptoError::Internal("nonce slot"))?;
        rng.fill_bytes(nonce);
        let tag = self.seal_in_place_detached(nonce, body)?;
        buffer.extend_from_slice(&tag);
        Ok(())
    }

    /// Encrypts `plaintext` with a fresh nonce: `nonce ‖ ct ‖ tag`.
    pub fn seal<R: CryptoRng + ?Sized>(
        &self,
        plaintext: &[u8],
        rng: &mut R,
    ) -> Result<Vec<u8>, CryptoError> {
        let mut out = Vec::with_capacity(plaintext.len() + self.enc.overhead());
        self.seal_into(plaintext, rng, &mut out)?;
        Ok(out)
    }

    /// Decrypts `nonce ‖ ct ‖ tag` into a new buffer. Too-short input fails like a bad tag.
    pub fn open(&self, ciphertext: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let (nonce, rest) = split_nonce(self.enc, ciphertext)?;
        let (ct, tag) = rest
            .split_last_chunk::<TAG_LEN>()
            .ok_or(CryptoError::Decryption)?;
        // Copy, then decrypt in place: one pass over the output before the AEAD, not a
        // zero-fill and then a copy.
        let mut out = ct.to_vec();
        let result = self.apply(nonce, Aead::Open { buf: &mut out, tag });
        match result {
            Ok(_) => Ok(out),
            Err(e) => {
                out.zeroize();
                Err(e)
            }
        }
    }

    /// Decrypts `buffer` (`nonce ‖ ct ‖ tag`) in place, leaving only the plaintext in it.
    /// On failure the buffer is wiped and emptied.
    pub fn open_in_place(&self, buffer: &mut Vec<u8>) -> Result<(), CryptoError> {
        let nl = self.enc.nonce_len();
        if buffer.len() < self.enc.overhead() {
            buffer.zeroize();
            buffer.clear();
            return Err(CryptoError::Decryption);
        }
        let result = (|| {
            let (nonce, rest) = buffer
                .split_at_mut_checked(nl)
                .ok_or(CryptoError::Decryption)?;
            let (ct, tag) = rest
                .split_last_chunk_mut::<TAG_LEN>()
                .ok_or(CryptoError::Decryption)?;
            let tag = *tag;
            self.apply(nonce, Aead::Open { buf: ct, tag: &tag })
        })();
        match result {
            Ok(_) => {
                let pt_len = buffer.len() - self.enc.overhead();
                buffer.copy_within(nl..nl + pt_len, 0);
                // Wipe the tail (moved plaintext copy and tag) before shrinking.
                if let Some(tail) = buffer.get_mut(pt_len..) {
                    tail.zeroize();
                }
                buffer.truncate(pt_len);
                Ok(())
            }
            Err(e) => {
                buffer.zeroize();
                buffer.clear();
                Err(e)
            }
        }
    }
}

fn split_nonce(enc: EncType, ciphertext: &[u8]) -> Result<(&[u8], &[u8]), CryptoError> {
    if ciphertext.len() < enc.overhead() {
        return Err(CryptoError::Decryption);
    }
    ciphertext
        .split_at_checked(enc.nonce_len())
        .ok_or(CryptoError::Decryption)
}

/// Encrypts `plaintext` from the key pair `local` (playing `role`) to `remote`:
/// `nonce ‖ ciphertext ‖ tag`, with the nonce drawn from `rng`.
///
/// ```
/// use session_onion::hop::{self, Role};
/// use session_onion::rand_core::SeedableRng;
/// use session_onion::{EncType, NodeKey};
///
/// // A seeded generator makes this example repeatable; it is for tests only. Real code
/// // draws keys and nonces from the system RNG (`rand::rng()`, or getrandom's `SysRng`).
/// let mut rng = chacha20::ChaCha20Rng::seed_from_u64(1);
/// let (client, node) = (NodeKey::generate(&mut rng), NodeKey::generate(&mut rng));
/// let ct = hop::encrypt(EncType::XChaCha20, Role::Client, &client, &node.public(), b"hi", &mut rng)?;
/// let pt = hop::decrypt(EncType::XChaCha20, Role::Server, &node, &client.public(), &ct)?;
/// assert_eq!(pt, b"hi");
/// # Ok::<(), session_onion::CryptoError>(())
/// ```
pub fn encrypt<R: CryptoRng + ?Sized>(
    enc: EncType,
    role: Role,
    local: &NodeKey,
    remote: &X25519PublicKey,
    plaintext: &[u8],
    rng: &mut R,
) -> Result<Vec<u8>, CryptoError> {
    HopKey::derive(enc, role, local, remote)?.seal(plaintext, rng)
}

/// Decrypts `nonce ‖ ciphertext ‖ tag` sent between `remote` and the key pair `local`
/// (playing `role`). Fails on any tampering, a wrong key or role, or too-short input.
pub fn decrypt(
    enc: EncType,
    role: Role,
    local: &NodeKey,
    remote: &X25519PublicKey,
    ciphertext: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    // Length is checked before the (costly) key agreement.
    split_nonce(enc, ciphertext)?;
    HopKey::derive(enc, role, local, remote)?.open(ciphertext)
}

/// In-place [`encrypt`]: `buffer` holds the plaintext and is replaced by
/// `nonce ‖ ciphertext ‖ tag` (it grows by [`EncType::overhead`]). With that much spare
/// capacity the buffer is not reallocated; otherwise the plaintext is moved to a new
/// allocation and the old one is wiped.
pub fn encrypt_in_place<R: CryptoRng + ?Sized>(
    enc: EncType,
    role: Role,
    local: &NodeKey,
    remote: &X25519PublicKey,
    buffer: &mut Vec<u8>,
    rng: &mut R,
) -> Result<(), CryptoError> {
    HopKey::derive(enc, role, local, remote)?.seal_in_place(buffer, rng)
}

/// In-place [`decrypt`]: `buffer` holds `nonce ‖ ciphertext ‖ tag` and is replaced by the
/// plaintext. On failure it is wiped and left empty.
pub fn decrypt_in_place(
    enc: EncType,
    role: Role,
    local: &NodeKey,
    remote: &X25519PublicKey,
    buffer: &mut Vec<u8>,
) -> Result<(), CryptoError> {
    match HopKey::derive(enc, role, local, remote) {
        Ok(key) => key.open_in_place(buffer),
        Err(e) => {
            buffer.zeroize();
            buffer.clear();
            Err(e)
        }
    }
}

/// Legacy AES-256-CBC (PKCS#7, `iv[16] ‖ ct`, key = raw shared secret, **no MAC**), as the
/// storage server still accepts. Never emitted by clients; only reachable through
/// [`crate::OpenOptions::allow_aes_cbc`].
pub(crate) mod cbc {
    use alloc::vec::Vec;

    use aes_gcm::aes::Aes256;
    #[cfg(feature = "testing")]
    use aes_gcm::aes::cipher::BlockCipherEncrypt;
    use aes_gcm::aes::cipher::{BlockCipherDecrypt, KeyInit};
    #[cfg(feature = "testing")]
    use rand_core::CryptoRng;
    use zeroize::Zeroize;

    use crate::CryptoError;

    const BLOCK: usize = 16;

    pub(crate) fn decrypt(key: &[u8; 32], data: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let (iv, ct) = data
            .split_first_chunk::<BLOCK>()
            .ok_or(CryptoError::Decryption)?;
        if ct.is_empty() || ct.len() % BLOCK != 0 {
            return Err(CryptoError::Decryption);
        }
        let cipher = Aes256::new(&(*key).into());
        let mut out = Vec::with_capacity(ct.len());
        let mut prev = *iv;
        for chunk in ct.chunks_exact(BLOCK) {
            let block: [u8; BLOCK] = chunk.try_into().map_err(|_| CryptoError::Decryption)?;
            let mut arr = block.into();
            cipher.decrypt_block(&mut arr);
            let mut plain = xor_block(arr.into(), &prev);
            out.extend_from_slice(&plain);
            plain.zeroize();
            prev = block;
        }
        let pad = usize::from(out.last().copied().unwrap_or(0));
        let valid = (1..=BLOCK).contains(&pad)
            && out.len() >= pad
            && out.iter().rev().take(pad).all(|&b| usize::from(b) == pad);
        if !valid {
            out.zeroize();
            return Err(CryptoError::Decryption);
        }
        let keep = out.len() - pad;
        out.truncate(keep);
        Ok(out)
    }

    fn xor_block(plain: [u8; BLOCK], prev: &[u8; BLOCK]) -> [u8; BLOCK] {
        let mut o = [0u8; BLOCK];
        for ((o, p), v) in o.iter_mut().zip(plain).zip(prev) {
            *o = p ^ v;
        }
        o
    }

    #[cfg(feature = "testing")]
    pub(crate) fn encrypt<R: CryptoRng + ?Sized>(
        key: &[u8; 32],
        data: &[u8],
        rng: &mut R,
    ) -> Vec<u8> {
        let cipher = Aes256::new(&(*key).into());
        let pad = BLOCK - data.len() % BLOCK;
        let mut out = Vec::with_capacity(BLOCK + data.len() + pad);
        let mut iv = [0u8; BLOCK];
        rng.fill_bytes(&mut iv);
        out.extend_from_slice(&iv);
        let mut prev = iv;
        let mut padded = Vec::with_capacity(data.len() + pad);
        padded.extend_from_slice(data);
        padded.resize(data.len() + pad, u8::try_from(pad).unwrap_or(16));
        for chunk in padded.chunks_exact(BLOCK) {
            let mut block = [0u8; BLOCK];
            for ((b, c), p) in block.iter_mut().zip(chunk).zip(prev) {
                *b = c ^ p;
            }
            let mut arr = block.into();
            cipher.encrypt_block(&mut arr);
            prev = arr.into();
            out.extend_from_slice(&prev);
        }
        padded.zeroize();
        out
    }
}
