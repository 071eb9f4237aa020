//! Parsing a v4 server request (what a server behind `/oxen/v4/lsrpc` reads).

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;

use super::open::OpenedRequest;
use crate::{FormatError, json};

/// A parsed v4 server request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct V4Request<'a> {
    /// HTTP method (`GET`, `POST`, …).
    pub method: String,
    /// Endpoint, starting with `/`.
    pub endpoint: String,
    /// Request headers, sorted by name (non-string values are rendered as JSON).
    pub headers: Vec<(String, String)>,
    /// The body, when present.
    pub body: Option<&'a [u8]>,
}

/// Parses a v4 request: `l<len>:<meta json>[<len>:<body>]e`; `method` and `endpoint` are
/// required and the endpoint must start with `/`.
pub fn parse_v4_request(plain: &[u8]) -> Result<V4Request<'_>, FormatError> {
    let (meta, body) = crate::bencode::decode_v4(plain)?;
    let meta = json::parse_object(meta)?;
    let method = json::req_str(&meta, "method")?.to_owned();
    let endpoint = json::req_str(&meta, "endpoint")?.to_owned();
    if !endpoint.starts_with('/') {
        return Err(FormatError::InvalidField {
            field: "endpoint",
            reason: "does not start with '/'",
        });
    }
    Ok(V4Request {
        method,
        endpoint,
        headers: json::headers(&meta)?,
        body,
    })
}

impl OpenedRequest {
    /// Parses this layer's payload as a v4 server request (what a server behind
    /// `/oxen/v4/lsrpc` does after opening the request).
    pub fn v4_request(&self) -> Result<V4Request<'_>, FormatError> {
        parse_v4_request(self.payload())
    }
}
