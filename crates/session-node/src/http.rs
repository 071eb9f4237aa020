//! HTTP requests and responses as plain values: the runtime owns the sockets and TLS.

use alloc::string::String;
use alloc::vec::Vec;

use crate::value::Value;

/// An HTTP request as the node's HTTPS listener received it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request<'a> {
    /// `GET`, `POST`, ...
    pub method: &'a str,
    /// The path, e.g. `/storage_rpc/v1`.
    pub path: &'a str,
    /// Header names and values as received.
    pub headers: &'a [(&'a str, &'a str)],
    /// The body.
    pub body: &'a [u8],
}

impl<'a> Request<'a> {
    /// A `POST` of `body` to `path`, without headers.
    #[must_use]
    pub const fn post(path: &'a str, body: &'a [u8]) -> Self {
        Request {
            method: "POST",
            path,
            headers: &[],
            body,
        }
    }
}

/// An HTTP response to write back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Headers (`content-type`).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// A `text/plain` response.
    #[must_use]
    pub fn text(status: u16, body: &str) -> Self {
        Response {
            status,
            headers: alloc::vec![(String::from("content-type"), String::from("text/plain"))],
            body: body.as_bytes().to_vec(),
        }
    }

    /// An `application/json` response.
    #[must_use]
    pub fn json(status: u16, body: &Value) -> Self {
        Response {
            status,
            headers: alloc::vec![(
                String::from("content-type"),
                String::from("application/json")
            )],
            body: body.to_json_string().into_bytes(),
        }
    }

    /// An `application/octet-stream` response.
    #[must_use]
    pub fn binary(status: u16, body: Vec<u8>) -> Self {
        Response {
            status,
            headers: alloc::vec![(
                String::from("content-type"),
                String::from("application/octet-stream")
            )],
            body,
        }
    }

    /// The body as text (lossy), for logs and tests.
    #[must_use]
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}
