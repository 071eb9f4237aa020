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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use alloc::string::ToString;
    use alloc::vec;

    use super::*;

    fn v4(meta: &str, body: Option<&[u8]>) -> Vec<u8> {
        crate::bencode::encode_v4(meta.as_bytes(), body)
    }

    #[test]
    fn fields_and_rules() {
        let req = v4(
            r#"{"method":"POST","endpoint":"/","headers":{"b":"2","a":true}}"#,
            Some(b"x"),
        );
        let r = parse_v4_request(&req).unwrap();
        assert_eq!(
            r,
            V4Request {
                method: "POST".to_string(),
                endpoint: "/".to_string(),
                headers: vec![
                    ("a".to_string(), "true".to_string()),
                    ("b".to_string(), "2".to_string())
                ],
                body: Some(&b"x"[..]),
            }
        );
        let get = v4(r#"{"method":"GET","endpoint":"/r"}"#, None);
        let r = parse_v4_request(&get).unwrap();
        assert_eq!((r.headers.len(), r.body), (0, None));
        for (meta, err) in [
            (r#"{"endpoint":"/"}"#, FormatError::MissingField("method")),
            (r#"{"method":"G"}"#, FormatError::MissingField("endpoint")),
            (
                r#"{"method":1,"endpoint":"/"}"#,
                FormatError::InvalidField {
                    field: "method",
                    reason: "not a string",
                },
            ),
            (
                r#"{"method":"G","endpoint":"x/"}"#,
                FormatError::InvalidField {
                    field: "endpoint",
                    reason: "does not start with '/'",
                },
            ),
            (
                r#"{"method":"G","endpoint":""}"#,
                FormatError::InvalidField {
                    field: "endpoint",
                    reason: "does not start with '/'",
                },
            ),
            (
                r#"{"method":"G","endpoint":"/","headers":1}"#,
                FormatError::InvalidField {
                    field: "headers",
                    reason: "not an object",
                },
            ),
        ] {
            assert_eq!(parse_v4_request(&v4(meta, None)), Err(err), "{meta}");
        }
        assert!(matches!(
            parse_v4_request(&v4("[]", None)),
            Err(FormatError::InvalidJson(_))
        ));
        assert!(matches!(
            parse_v4_request(b"i1e"),
            Err(FormatError::Bencode { .. })
        ));
    }
}
