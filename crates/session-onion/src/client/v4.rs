//! Requests to external servers in the v4 format (`/oxen/v4/lsrpc`).

use alloc::string::ToString;
use alloc::vec::Vec;

use serde_json::{Map, Value};

use crate::ClientError;

/// Encodes a v4 server request: `l<len>:<meta json>[<len>:<body>]e` with
/// `meta = {"endpoint":…,"headers":{…},"method":…}`.
///
/// As libsession does, a `User-Agent` header is dropped and `Content-Type: application/json`
/// is added when a body is present without a content type. The endpoint must start with `/`.
///
/// ```
/// let req = session_onion::client::v4_request("GET", "/room/some-room", &[("Some-Header", "12345")], None)?;
/// assert_eq!(req, br#"l79:{"endpoint":"/room/some-room","headers":{"Some-Header":"12345"},"method":"GET"}e"#);
/// # Ok::<(), session_onion::ClientError>(())
/// ```
pub fn v4_request(
    method: &str,
    endpoint: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> Result<Vec<u8>, ClientError> {
    if !endpoint.starts_with('/') {
        return Err(ClientError::InvalidEndpoint);
    }
    let mut h = Map::new();
    for (k, v) in headers {
        if k.eq_ignore_ascii_case("user-agent") {
            continue;
        }
        h.insert((*k).to_string(), Value::String((*v).to_string()));
    }
    if body.is_some() && !h.keys().any(|k| k.eq_ignore_ascii_case("content-type")) {
        h.insert(
            "Content-Type".to_string(),
            Value::String("application/json".to_string()),
        );
    }
    let mut meta = Map::new();
    meta.insert("endpoint".to_string(), Value::String(endpoint.to_string()));
    meta.insert("headers".to_string(), Value::Object(h));
    meta.insert("method".to_string(), Value::String(method.to_string()));
    let meta = Value::Object(meta).to_string();
    Ok(crate::bencode::encode_v4(meta.as_bytes(), body))
}
