//! Node side: open an onion layer, route its plaintext, forward or answer.
//!
//! A storage server (or any destination) does, for each request:
//!
//! 1. [`NodeKey::open_request`] (guard entry / server) or [`NodeKey::open_forward`] (from the
//!    previous node) — decrypts its layer;
//! 2. [`route()`] — classifies the plaintext exactly in the reference dispatch order: `headers`
//!    ⇒ [`Route::Destination`], else `host` ⇒ [`Route::RelayToServer`], else
//!    [`Route::RelayToNode`];
//! 3. answers: forward with [`RelayToNode::forward_message`], or reply with
//!    [`OpenedRequest::v3_reply`] / [`OpenedRequest::v4_reply`]; a [`NodeError`] of this
//!    crate, or a [`RelayFailure`] the node's own I/O observed, becomes the reference status
//!    and body through [`error_response`] / [`OpenedRequest::error_reply`].
//!
//! [`NodeError`]: crate::NodeError

mod forward;
mod key;
mod open;
mod reply;
mod route;
mod status;
mod v4;

pub use crate::NodeKey;
pub use forward::ForwardMessage;
pub use open::{OpenedRequest, open_request, open_request_with};
pub use reply::{NodeReply, ReplyBody};
pub use route::{
    DestinationRequest, RelayToNode, RelayToServer, Route, classify, is_server_target_allowed,
    route,
};
pub use status::{ErrorResponse, Failure, RelayFailure, error_response, quic_error_body};
pub use v4::{V4Request, parse_v4_request};
