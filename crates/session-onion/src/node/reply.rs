//! Answering an opened layer: v3 (node destination) and v4 (server) replies, and the
//! encrypted error replies.

use alloc::borrow::ToOwned;
use alloc::string::ToString;
use alloc::vec::Vec;

use rand_core::CryptoRng;
use serde_json::{Map, Value};

use super::open::{OpenedRequest, ReplyCipher};
use super::route::DestinationRequest;
use super::status::{Failure, error_response};
use crate::NodeError;
use crate::secret::SecretBytes;

/// The body of a v3 reply.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ReplyBody<'a> {
    /// A text body.
    Text(&'a str),
    /// A JSON body (double-encoded unless the request asked for `json:true`).
    Json(&'a Value),
}

/// Status and body of a node's transport-level answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeReply {
    /// HTTP status (QUIC: `"<code> <reason>\n\n<body>"` on failure, see
    /// [`super::quic_error_body`]).
    pub status: u16,
    /// The body.
    pub body: Vec<u8>,
}

impl OpenedRequest {
    /// Encrypts `reply` to the sender's ephemeral key with this layer's key (role: server).
    pub fn encrypt_reply<R: CryptoRng + ?Sized>(
        &self,
        reply: &[u8],
        rng: &mut R,
    ) -> Result<Vec<u8>, NodeError> {
        match &self.reply {
            ReplyCipher::Aead(k) => Ok(k.seal(reply, rng)?),
            ReplyCipher::LegacyCbc => Err(NodeError::CbcReply),
        }
    }

    /// The storage server's answer to `request` (this layer's [`super::Route::Destination`]):
    /// `{"body":…,"status":…}` encrypted, then base64'd unless the request said
    /// `base64:false`. A JSON `body` is embedded raw when the request said `json:true`, else
    /// as a JSON *string* (double-encoded), as the storage server does.
    pub fn v3_reply<R: CryptoRng + ?Sized>(
        &self,
        request: &DestinationRequest<'_>,
        status: u16,
        body: ReplyBody<'_>,
        rng: &mut R,
    ) -> Result<Vec<u8>, NodeError> {
        self.v3_reply_as(status, body, request.json, request.base64, rng)
    }

    fn v3_reply_as<R: CryptoRng + ?Sized>(
        &self,
        status: u16,
        body: ReplyBody<'_>,
        embed_json: bool,
        base64: bool,
        rng: &mut R,
    ) -> Result<Vec<u8>, NodeError> {
        let body_value = match body {
            ReplyBody::Text(t) => Value::String(t.to_owned()),
            ReplyBody::Json(v) if embed_json => v.clone(),
            ReplyBody::Json(v) => Value::String(v.to_string()),
        };
        let mut obj = Map::new();
        obj.insert("body".to_string(), body_value);
        obj.insert("status".to_string(), Value::from(status));
        let plain = SecretBytes::new(Value::Object(obj).to_string().into_bytes());
        let ct = self.encrypt_reply(&plain, rng)?;
        Ok(if base64 {
            session_core::encoding::encode_base64(&ct).into_bytes()
        } else {
            ct
        })
    }

    /// A v4 server's reply: `Enc(l<meta><body>e)` with `meta = {"code":…,"headers":{…}}`,
    /// raw binary (no base64), the body part always present, header names lower-cased and
    /// `content-length` left out (as SOGS answers).
    pub fn v4_reply<R: CryptoRng + ?Sized>(
        &self,
        code: u16,
        headers: &[(&str, &str)],
        body: &[u8],
        rng: &mut R,
    ) -> Result<Vec<u8>, NodeError> {
        let mut h = Map::new();
        // SOGS removes `content-length`: the bencoded body carries its own length.
        for (k, v) in headers
            .iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case("content-length"))
        {
            h.insert(k.to_ascii_lowercase(), Value::String((*v).to_owned()));
        }
        let mut meta = Map::new();
        meta.insert("code".to_string(), Value::from(code));
        meta.insert("headers".to_string(), Value::Object(h));
        let meta = Value::Object(meta).to_string();
        let plain = SecretBytes::new(crate::bencode::encode_v4(meta.as_bytes(), Some(body)));
        self.encrypt_reply(&plain, rng)
    }

    /// The reply a node sends for `failure`: plaintext statuses as they are, and the
    /// encrypted ones (`Invalid json`, `Invalid url`) wrapped like a v3 reply with the
    /// request defaults (string body, base64) under transport status 200, exactly as the
    /// storage server does.
    pub fn error_reply<'f, R: CryptoRng + ?Sized>(
        &self,
        failure: impl Into<Failure<'f>>,
        rng: &mut R,
    ) -> Result<NodeReply, NodeError> {
        let e = error_response(failure);
        if e.encrypted {
            let body = self.v3_reply_as(e.status, ReplyBody::Text(&e.body), false, true, rng)?;
            Ok(NodeReply { status: 200, body })
        } else {
            Ok(NodeReply {
                status: e.status,
                body: e.body.into_bytes(),
            })
        }
    }
}
