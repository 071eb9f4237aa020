//! Client side: build an onion for a path of hops and decode the destination's reply.
//!
//! The builder follows libsession's `Builder::build` (and the identical desktop/Android
//! construction): a fresh ephemeral X25519 key per layer, the innermost layer encrypted to the
//! destination, each hop's layer telling it only where to forward next. The whole onion is
//! written into **one** output buffer sized in advance and every layer is sealed in place,
//! inside out, so no layer is ever copied.
//!
//! One job per file: [`Hop`], [`Server`] and [`Destination`] say where an onion goes
//! (`destination.rs`); [`Builder`] seals the layers (`builder.rs`) around the cleartext JSON of
//! each layer (`layer_json.rs`); [`ReplyKey`] opens and decodes the reply (`reply.rs`);
//! [`v4_request`] encodes a request to an external server (`v4.rs`).

mod builder;
mod destination;
mod layer_json;
mod reply;
mod v4;

pub use builder::{Builder, Onion};
pub use destination::{Destination, Hop, Protocol, Server};
pub use reply::{ReplyKey, V3Reply, V4Reply};
#[cfg(feature = "testing")]
pub(crate) use reply::{decode_base64, parse_v3, parse_v4};
pub use v4::v4_request;

use crate::MAX_HOPS;

/// Longest path the builder accepts (the nodes' hop-counter limit).
pub const MAX_PATH_LEN: usize = MAX_HOPS as usize;

/// The `/oxen/v4/lsrpc` target every current server destination uses.
pub const V4_TARGET: &str = "/oxen/v4/lsrpc";
