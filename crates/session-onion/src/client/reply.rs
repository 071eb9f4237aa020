//! The reply side: the key that opens the destination's reply, and the v3 and v4 decoders.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::{Map, Value};
use session_core::{SharedSecret, X25519PublicKey};

use crate::hop::HopKey;
use crate::json;
use crate::{ClientError, EncType, FormatError};

/// Decrypts the destination's reply. Holds the X25519 shared secret of the innermost layer
/// (wiped on drop); the ephemeral secret itself was consumed while building.
#[derive(Clone)]
pub struct ReplyKey {
    enc: EncType,
    shared: SharedSecret,
    client_public: X25519PublicKey,
    server_public: X25519PublicKey,
    gcm_fallback: bool,
}

impl core::fmt::Debug for ReplyKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ReplyKey")
            .field("enc", &self.enc)
            .field("gcm_fallback", &self.gcm_fallback)
            .finish_non_exhaustive()
    }
}

/// A decoded v3 reply (node destinations, legacy servers).
#[derive(Debug, Clone, PartialEq)]
pub struct V3Reply {
    /// `status_code` or `status` of the reply JSON, if present.
    pub status: Option<u16>,
    /// The `body` field: a JSON string (the default, double-encoded) or raw JSON (`json:true`).
    pub body: Option<Value>,
    /// The whole decrypted JSON object (storage servers add `t` and `hf`).
    pub json: Map<String, Value>,
}

/// A decoded v4 reply (external servers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct V4Reply {
    /// HTTP status from `meta.code`.
    pub code: u16,
    /// Response headers (names as the server sends them, lower-case for SOGS), sorted by name.
    pub headers: Vec<(String, String)>,
    /// The response body (empty when the server sent none).
    pub body: Vec<u8>,
}

impl ReplyKey {
    /// The cipher of the reply.
    #[must_use]
    pub fn enc_type(&self) -> EncType {
        self.enc
    }

    /// The innermost ephemeral public key (what the destination encrypts the reply to).
    #[must_use]
    pub fn ephemeral_public(&self) -> X25519PublicKey {
        self.client_public
    }

    /// The destination's X25519 public key (the other half of the innermost layer).
    #[must_use]
    pub fn destination_public(&self) -> X25519PublicKey {
        self.server_public
    }

    /// The shared secret of the innermost layer: with [`Self::enc_type`],
    /// [`Self::ephemeral_public`] and [`Self::destination_public`], what
    /// [`ReplyKey::from_parts`] needs to read the reply in another process (a request sent
    /// before a restart, a command-line tool). Store it as you would a private key.
    #[must_use]
    pub fn shared_secret(&self) -> &SharedSecret {
        &self.shared
    }

    /// A reply key from the parts [`ReplyKey::shared_secret`] and its siblings gave, with the
    /// AES-GCM fallback off. A stored shared secret comes back as a [`SharedSecret`] through
    /// `session_core::hazmat::shared_secret_from_bytes`.
    ///
    /// ```
    /// use session_onion::client::ReplyKey;
    /// # fn keep(key: &ReplyKey) -> ReplyKey {
    /// let again = ReplyKey::from_parts(
    ///     key.enc_type(),
    ///     key.shared_secret().clone(),
    ///     key.ephemeral_public(),
    ///     key.destination_public(),
    /// );
    /// # again }
    /// ```
    #[must_use]
    pub fn from_parts(
        enc: EncType,
        shared: SharedSecret,
        ephemeral_public: X25519PublicKey,
        destination_public: X25519PublicKey,
    ) -> Self {
        Self {
            enc,
            shared,
            client_public: ephemeral_public,
            server_public: destination_public,
            gcm_fallback: false,
        }
    }

    /// Enables libsession's fallback: when an XChaCha20 reply fails to decrypt, retry as
    /// AES-GCM (a legacy push server answered errors that way). Off by default (strict).
    #[must_use = "builders are values: use the returned one"]
    pub fn with_gcm_fallback(mut self, enabled: bool) -> Self {
        self.gcm_fallback = enabled;
        self
    }

    fn key(&self, enc: EncType) -> HopKey {
        HopKey::from_shared(enc, &self.shared, &self.client_public, &self.server_public)
    }

    /// Decrypts a raw reply ciphertext (`nonce ‖ ct ‖ tag`).
    pub fn open(&self, ciphertext: &[u8]) -> Result<Vec<u8>, ClientError> {
        match self.key(self.enc).open(ciphertext) {
            Ok(pt) => Ok(pt),
            Err(_) if self.gcm_fallback && self.enc == EncType::XChaCha20 => self
                .key(EncType::AesGcm)
                .open(ciphertext)
                .map_err(|_| ClientError::Decryption),
            Err(_) => Err(ClientError::Decryption),
        }
    }

    /// Decodes a v3 reply: the transport body is either `{"result": "<base64>"}` or the base64
    /// text itself (or, for `base64:false` requests, raw ciphertext); it decrypts to a JSON
    /// object whose status is `status_code` or `status` and whose body is `body`.
    pub fn decode_v3(&self, response: &[u8]) -> Result<V3Reply, ClientError> {
        let wrapped = match serde_json::from_slice::<Value>(response) {
            Ok(Value::Object(m)) => m
                .get("result")
                .and_then(Value::as_str)
                .map(ToString::to_string),
            _ => None,
        };
        let text: &[u8] = wrapped.as_deref().map_or(response, str::as_bytes);
        let ciphertext = match decode_base64(text) {
            Some(ct) => ct,
            None if wrapped.is_none() => response.to_vec(),
            None => return Err(ClientError::InvalidBase64),
        };
        let plain = crate::secret::SecretBytes::new(self.open(&ciphertext)?);
        parse_v3(&plain).map_err(ClientError::MalformedReply)
    }

    /// Decodes a v4 reply: raw `Enc(bencode([meta_json, body]))`.
    pub fn decode_v4(&self, response: &[u8]) -> Result<V4Reply, ClientError> {
        let plain = crate::secret::SecretBytes::new(self.open(response)?);
        parse_v4(&plain).map_err(ClientError::MalformedReply)
    }
}

/// Parses a decrypted v3 reply JSON.
pub(crate) fn parse_v3(plain: &[u8]) -> Result<V3Reply, FormatError> {
    let json = json::parse_object(plain)?;
    let status = match json.get("status_code").or_else(|| json.get("status")) {
        None => None,
        Some(v) => Some(v.as_u64().and_then(|s| u16::try_from(s).ok()).ok_or(
            FormatError::InvalidField {
                field: "status",
                reason: "not an HTTP status",
            },
        )?),
    };
    let body = json.get("body").cloned();
    Ok(V3Reply { status, body, json })
}

/// Parses a decrypted v4 reply (`l<meta><body>e`).
pub(crate) fn parse_v4(plain: &[u8]) -> Result<V4Reply, FormatError> {
    let (meta, body) = crate::bencode::decode_v4(plain)?;
    let meta = json::parse_object(meta)?;
    let code = meta
        .get("code")
        .ok_or(FormatError::MissingField("code"))?
        .as_u64()
        .and_then(|c| u16::try_from(c).ok())
        .ok_or(FormatError::InvalidField {
            field: "code",
            reason: "not an HTTP status",
        })?;
    Ok(V4Reply {
        code,
        headers: json::headers(&meta)?,
        body: body.map(<[u8]>::to_vec).unwrap_or_default(),
    })
}

/// Standard base64, padded or not, surrounding whitespace ignored (session-core's codec).
pub(crate) fn decode_base64(text: &[u8]) -> Option<Vec<u8>> {
    let trimmed = text.trim_ascii();
    // Decoded base64 is never longer than its text.
    session_core::encoding::decode_base64(trimmed, trimmed.len()).ok()
}
