//! Opening a layer: the outer framing, the size and hop limits, the key agreement.

use session_core::X25519PublicKey;
use session_core::hazmat::SecretBytes as _;

use crate::enc_type::WireCipher;
use crate::framing::{self, OpenOptions};
use crate::hop::{self, HopKey};
use crate::json;
use crate::secret::SecretBytes;
use crate::{EncType, FormatError, NodeError, NodeKey};

/// How the answer to an opened layer is encrypted.
pub(super) enum ReplyCipher {
    Aead(HopKey),
    /// Legacy AES-CBC requests are decrypt-only: their replies cannot be produced.
    LegacyCbc,
}

/// A decrypted layer: its plaintext (wiped on drop) and what is needed to answer it.
pub struct OpenedRequest {
    payload: SecretBytes,
    remote: X25519PublicKey,
    pub(super) reply: ReplyCipher,
    hop_no: u64,
}

impl core::fmt::Debug for OpenedRequest {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("OpenedRequest")
            .field("payload_len", &self.payload.len())
            .field("remote", &self.remote)
            .field("enc_type", &self.enc_type())
            .field("hop_no", &self.hop_no)
            .finish()
    }
}

impl OpenedRequest {
    /// The decrypted plaintext of this layer (feed it to [`super::route()`]).
    #[must_use]
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }

    /// The sender's ephemeral X25519 key for this layer.
    #[must_use]
    pub fn remote_pubkey(&self) -> X25519PublicKey {
        self.remote
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

/// Decrypts one layer with the node's key pair (one X25519, whatever the cipher).
pub(super) fn open_layer(
    key: &NodeKey,
    ciphertext: &[u8],
    cipher: WireCipher,
    remote: X25519PublicKey,
    hop_no: u64,
) -> Result<OpenedRequest, NodeError> {
    let (payload, reply) = match cipher {
        WireCipher::Aead(enc) => {
            // Reject short input before the key agreement (gcm >= 28, xchacha >= 40 bytes).
            if ciphertext.len() < enc.overhead() {
                return Err(NodeError::Decryption);
            }
            let key = HopKey::derive(enc, hop::Role::Server, key, &remote)?;
            (key.open(ciphertext)?, ReplyCipher::Aead(key))
        }
        WireCipher::AesCbc => {
            let shared = key.agree(&remote)?;
            (
                hop::cbc::decrypt(shared.hazmat_bytes(), ciphertext)?,
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
    ephemeral: X25519PublicKey,
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
    let ephemeral = X25519PublicKey::from_bytes(json::hex32(
        json::req_str(&frame.json, "ephemeral_key")?,
        "ephemeral_key",
    )?);
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

/// Opens an onion request with `key` and the default [`OpenOptions`] (10 MiB, no AES-CBC):
/// [`NodeKey::open_request`] as a function.
pub fn open_request(key: &NodeKey, request: &[u8]) -> Result<OpenedRequest, NodeError> {
    key.open_request(request, &OpenOptions::default())
}

/// [`open_request`] with explicit options.
pub fn open_request_with(
    key: &NodeKey,
    request: &[u8],
    options: &OpenOptions,
) -> Result<OpenedRequest, NodeError> {
    key.open_request(request, options)
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
    key: &NodeKey,
    request: &[u8],
    options: &OpenOptions,
) -> Result<OpenedRequest, NodeError> {
    check_size(request, options)?;
    let outer = parse_outer(request, options).map_err(NodeError::InvalidOuter)?;
    // No hop limit here: like the storage server's HTTPS/QUIC entry, the guard accepts any
    // starting `hop_no`; the limit applies when the layer is forwarded
    // ([`super::RelayToNode::forward_message`]) and received ([`super::NodeKey::open_forward`]).
    open_layer(
        key,
        outer.ciphertext,
        outer.cipher,
        outer.ephemeral,
        outer.hop_no,
    )
}
