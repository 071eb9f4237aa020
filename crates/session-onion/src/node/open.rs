//! Opening a layer: the outer framing, the size and hop limits, the key agreement.

use session_core::X25519PublicKey;

use crate::enc_type::WireCipher;
use crate::framing::{self, OpenOptions};
use crate::hop::{self, HopKey};
use crate::json;
use crate::secret::SecretBytes;
use crate::{EncType, FormatError, NodeError};

/// How the answer to an opened layer is encrypted.
pub(super) enum ReplyCipher {
    Aead(HopKey),
    /// Legacy AES-CBC requests are decrypt-only: their replies cannot be produced.
    LegacyCbc,
}

/// A decrypted layer: its plaintext (wiped on drop) and what is needed to answer it.
pub struct OpenedRequest {
    payload: SecretBytes,
    remote: [u8; 32],
    pub(super) reply: ReplyCipher,
    hop_no: u64,
}

impl core::fmt::Debug for OpenedRequest {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("OpenedRequest")
            .field("payload_len", &self.payload.len())
            .field("remote", &X25519PublicKey::from_bytes(self.remote))
            .field("enc_type", &self.enc_type())
            .field("hop_no", &self.hop_no)
            .finish()
    }
}

impl OpenedRequest {
    /// The decrypted plaintext of this layer (feed it to [`super::route`]).
    #[must_use]
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }

    /// The sender's ephemeral X25519 key for this layer.
    #[must_use]
    pub fn remote_pubkey(&self) -> &[u8; 32] {
        &self.remote
    }

    /// The layer's cipher (legacy AES-CBC layers report [`EncType::AesGcm`]; see
    /// [`OpenedRequest::is_legacy_cbc`]).
    #[must_use]
    pub fn enc_type(&self) -> EncType {
        match &self.reply {
            ReplyCipher::Aead(k) => k.enc_type(),
            ReplyCipher::LegacyCbc => EncType::AesGcm,
        }
    }

    /// True when the layer used the legacy, unauthenticated AES-CBC cipher.
    #[must_use]
    pub fn is_legacy_cbc(&self) -> bool {
        matches!(self.reply, ReplyCipher::LegacyCbc)
    }

    /// The hop counter of this layer (0 at a guard unless the client faked a start value).
    #[must_use]
    pub fn hop_no(&self) -> u64 {
        self.hop_no
    }
}

/// Decrypts one layer; `local_public` saves a base-point multiplication for XChaCha20 when
/// known (AES-GCM never needs it).
pub(super) fn open_layer(
    secret: &[u8; 32],
    local_public: Option<&[u8; 32]>,
    ciphertext: &[u8],
    cipher: WireCipher,
    remote: [u8; 32],
    hop_no: u64,
) -> Result<OpenedRequest, NodeError> {
    let (payload, reply) = match cipher {
        WireCipher::Aead(enc) => {
            // Reject short input before the key agreement (gcm >= 28, xchacha >= 40 bytes).
            if ciphertext.len() < enc.overhead() {
                return Err(NodeError::Decryption);
            }
            let key = HopKey::derive(enc, hop::Role::Server, secret, local_public, &remote)?;
            (key.open(ciphertext)?, ReplyCipher::Aead(key))
        }
        WireCipher::AesCbc => {
            let shared = hop::shared_secret(secret, &remote)?;
            (
                hop::cbc::decrypt(&shared, ciphertext)?,
                ReplyCipher::LegacyCbc,
            )
        }
    };
    Ok(OpenedRequest {
        payload: SecretBytes::new(payload),
        remote,
        reply,
        hop_no,
    })
}

/// The outer layer's parts, borrowed from the request.
struct Outer<'a> {
    ciphertext: &'a [u8],
    cipher: WireCipher,
    ephemeral: [u8; 32],
    hop_no: u64,
}

/// An `enc_type` as a node accepts it: absent ⇒ AES-GCM, AES-CBC only when enabled.
pub(super) fn parse_cipher(
    name: Option<&str>,
    options: &OpenOptions,
) -> Result<WireCipher, FormatError> {
    match name {
        None => Ok(WireCipher::Aead(EncType::AesGcm)),
        Some(s) => match WireCipher::parse(s)? {
            WireCipher::AesCbc if !options.allow_aes_cbc => Err(FormatError::AesCbcDisabled),
            c => Ok(c),
        },
    }
}

fn parse_outer<'a>(request: &'a [u8], options: &OpenOptions) -> Result<Outer<'a>, FormatError> {
    let frame = framing::decode(request, options.max_size)?;
    let ephemeral = json::hex32(
        json::req_str(&frame.json, "ephemeral_key")?,
        "ephemeral_key",
    )?;
    let cipher = parse_cipher(json::opt_str(&frame.json, "enc_type")?, options)?;
    let hop_no = match frame.json.get("hop_no") {
        None => 0,
        Some(v) => match (v.as_u64(), v.as_i64()) {
            (Some(n), _) => n,
            (None, Some(_)) => 0, // negative: the storage server takes max(0, hop_no)
            _ => {
                return Err(FormatError::InvalidField {
                    field: "hop_no",
                    reason: "not an integer",
                });
            }
        },
    };
    Ok(Outer {
        ciphertext: frame.ciphertext,
        cipher,
        ephemeral,
        hop_no,
    })
}

/// Opens an onion request with the default [`OpenOptions`] (10 MiB, no AES-CBC).
///
/// Computes the local public key when the layer is XChaCha20 (one base-point multiplication,
/// about +30 % at 1 KiB); a node opening many requests should keep a [`super::NodeKey`]
/// instead.
pub fn open_request(local_secret: &[u8; 32], request: &[u8]) -> Result<OpenedRequest, NodeError> {
    open_request_with(local_secret, request, &OpenOptions::default())
}

/// [`open_request`] with explicit options.
pub fn open_request_with(
    local_secret: &[u8; 32],
    request: &[u8],
    options: &OpenOptions,
) -> Result<OpenedRequest, NodeError> {
    open_outer(local_secret, None, request, options)
}

/// The size limit, checked before any parsing (413 "Request body too large").
pub(super) fn check_size(input: &[u8], options: &OpenOptions) -> Result<(), NodeError> {
    if input.len() > options.max_size {
        return Err(NodeError::TooLarge {
            size: input.len(),
            limit: options.max_size,
        });
    }
    Ok(())
}

pub(super) fn open_outer(
    secret: &[u8; 32],
    local_public: Option<&[u8; 32]>,
    request: &[u8],
    options: &OpenOptions,
) -> Result<OpenedRequest, NodeError> {
    check_size(request, options)?;
    let outer = parse_outer(request, options).map_err(NodeError::InvalidOuter)?;
    // No hop limit here: like the storage server's HTTPS/QUIC entry, the guard accepts any
    // starting `hop_no`; the limit applies when the layer is forwarded
    // ([`super::RelayToNode::forward_message`]) and received ([`super::NodeKey::open_forward`]).
    open_layer(
        secret,
        local_public,
        outer.ciphertext,
        outer.cipher,
        outer.ephemeral,
        outer.hop_no,
    )
}
