//! The inter-node forward message (`sn.onion_request`).

use alloc::vec::Vec;

use session_core::X25519PublicKey;

use super::open::parse_cipher;
use super::route::RelayToNode;
use crate::enc_type::WireCipher;
use crate::framing::OpenOptions;
use crate::{EncType, FormatError, MAX_HOPS, NodeError};

impl RelayToNode<'_> {
    /// The bencoded `sn.onion_request` message for the next hop, with the hop counter
    /// incremented (`current_hop_no + 1`); beyond [`MAX_HOPS`] it is refused with
    /// [`NodeError::HopLimit`] — the storage server sends it and the next node answers 400
    /// "onion request max path length exceeded", which is what [`super::error_response`]
    /// gives here without the round trip.
    pub fn forward_message(&self, current_hop_no: u64) -> Result<Vec<u8>, NodeError> {
        let hop_no = current_hop_no.saturating_add(1);
        if hop_no > MAX_HOPS {
            return Err(NodeError::HopLimit(hop_no));
        }
        Ok(ForwardMessage {
            data: self.blob,
            cipher: WireCipher::Aead(self.enc_type),
            ephemeral_key: self.ephemeral_key,
            hop_no,
        }
        .encode())
    }
}

/// The inter-node forward message (`sn.onion_request`): a bencoded dictionary with keys
/// `data` (the blob), `enc_type` (string), `ephemeral_key` (32 **raw** bytes) and `hop_no`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForwardMessage<'a> {
    /// The layer for the receiving node.
    pub data: &'a [u8],
    cipher: WireCipher,
    /// The ephemeral key of that layer.
    pub ephemeral_key: X25519PublicKey,
    /// Hop counter (already incremented by the sender).
    pub hop_no: u64,
}

impl<'a> ForwardMessage<'a> {
    /// A forward message.
    #[must_use]
    pub fn new(
        data: &'a [u8],
        enc_type: EncType,
        ephemeral_key: X25519PublicKey,
        hop_no: u64,
    ) -> Self {
        ForwardMessage {
            data,
            cipher: WireCipher::Aead(enc_type),
            ephemeral_key,
            hop_no,
        }
    }

    /// The cipher (legacy AES-CBC messages report [`EncType::AesGcm`]).
    #[must_use]
    pub fn enc_type(&self) -> EncType {
        match self.cipher {
            WireCipher::Aead(e) => e,
            WireCipher::AesCbc => EncType::AesGcm,
        }
    }

    pub(super) fn cipher(&self) -> WireCipher {
        self.cipher
    }

    /// Bencodes the message (keys in sorted order).
    #[must_use]
    pub fn encode(&self) -> Vec<u8> {
        use session_core::bencode::{write_bytes, write_dict_start, write_end, write_int};
        let name: &str = match self.cipher {
            WireCipher::Aead(e) => e.name(),
            WireCipher::AesCbc => "aes-cbc",
        };
        let mut out = Vec::with_capacity(self.data.len() + 96);
        write_dict_start(&mut out);
        write_bytes(&mut out, b"data");
        write_bytes(&mut out, self.data);
        write_bytes(&mut out, b"enc_type");
        write_bytes(&mut out, name.as_bytes());
        write_bytes(&mut out, b"ephemeral_key");
        write_bytes(&mut out, self.ephemeral_key.as_bytes());
        write_bytes(&mut out, b"hop_no");
        write_int(&mut out, i64::try_from(self.hop_no).unwrap_or(i64::MAX));
        write_end(&mut out);
        out
    }

    /// Decodes a forward message. `enc_type` absent ⇒ AES-GCM; `hop_no` absent ⇒ 0
    /// (negative values read as 0; the receiver then clamps to 1).
    pub fn decode(input: &'a [u8], options: &OpenOptions) -> Result<Self, FormatError> {
        let v = crate::bencode::decode(input)?;
        let field = |name: &'static str| v.get(name.as_bytes());
        let not_a_string = |field| FormatError::InvalidField {
            field,
            reason: "not a string",
        };
        let data = field("data")
            .ok_or(FormatError::MissingField("data"))?
            .as_bytes()
            .ok_or(not_a_string("data"))?;
        let key = field("ephemeral_key")
            .ok_or(FormatError::MissingField("ephemeral_key"))?
            .as_bytes()
            .ok_or(not_a_string("ephemeral_key"))?;
        let key: [u8; 32] = key.try_into().map_err(|_| FormatError::InvalidField {
            field: "ephemeral_key",
            reason: "not 32 bytes",
        })?;
        let cipher = match field("enc_type") {
            None => WireCipher::Aead(EncType::AesGcm),
            Some(e) => {
                let s = e
                    .as_bytes()
                    .and_then(|b| core::str::from_utf8(b).ok())
                    .ok_or(not_a_string("enc_type"))?;
                parse_cipher(Some(s), options)?
            }
        };
        let hop_no = match field("hop_no") {
            None => 0,
            Some(h) => {
                let n = h.as_int().ok_or(FormatError::InvalidField {
                    field: "hop_no",
                    reason: "not an integer",
                })?;
                u64::try_from(n).unwrap_or(0)
            }
        };
        Ok(ForwardMessage {
            data,
            cipher,
            ephemeral_key: X25519PublicKey::from_bytes(key),
            hop_no,
        })
    }
}
