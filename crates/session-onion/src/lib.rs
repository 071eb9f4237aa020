//! # session-onion
//!
//! Onion requests of the Session network, end to end and without I/O: per-hop encryption
//! (AES-GCM and XChaCha20-Poly1305), the client-side onion builder and reply decoders, the
//! node-side opener and router with the reference storage server's status codes, the
//! inter-node forward message, v4 bencoded server requests/replies, and a path-selection
//! state machine. Randomness and time come from the caller; nothing here touches a socket.
//!
//! Byte-compatible with libsession-util, oxen-storage-server, session-desktop and SOGS.
//!
//! | module | role |
//! |---|---|
//! | [`NodeKey`] | a node's static X25519 key pair: generated, or taken from its [`session_core::Identity`] |
//! | [`hop`] | X25519 + AES-GCM / XChaCha20-Poly1305 layer encryption ([`Role`]-aware keys), in place or not |
//! | [`hazmat`] | the same on raw byte arrays, for interoperability work |
//! | [`framing`] | `u32_le(N) ‖ ciphertext ‖ JSON` layers, size limits ([`OpenOptions`]) |
//! | [`client`] | [`client::Builder`] (1 ..= 15 hops, node or server destination), [`client::ReplyKey`] (v3 / v4 replies), v4 requests |
//! | [`node`] | opening with a [`NodeKey`], [`node::route`] in the reference dispatch order, the inter-node forward message, replies, [`node::error_response`] (the reference statuses and bodies) |
//! | [`path`] | path selection and failure handling as a pure state machine |
//! | [`bencode`] | v4 messages and the node forward message, on session-core's bencode codec |
//!
//! Secrets (node keys, ephemeral keys, shared secrets, symmetric keys, decrypted plaintexts)
//! are wiped when dropped; ephemeral secrets are consumed by the key agreement; a failed
//! decryption leaves no plaintext behind. No parser panics on any input. Errors come by role
//! (see [`Error`]): a client gets a [`ClientError`], a node a [`NodeError`].
//!
//! A bot creates its identity, four service nodes create theirs, and a request travels
//! through three hops to the fourth and back; every hop peels its own layer with its own key:
//!
//! ```
//! use chacha20::ChaCha20Rng;
//! use session_core::Identity;
//! use session_onion::client::{Builder, Destination, Hop};
//! use session_onion::node::{self, ReplyBody, Route};
//! use session_onion::rand_core::SeedableRng;
//! use session_onion::{EncType, NodeKey, OpenOptions};
//!
//! // A seeded ChaCha20 generator makes this example repeatable: tests only. Real code passes
//! // the system's generator (`rand::rng()`, or getrandom's `SysRng`).
//! let mut rng = ChaCha20Rng::seed_from_u64(2026);
//!
//! // The bot's identity; the network knows it by its Session ID.
//! let bot = Identity::generate(&mut rng);
//!
//! // Four service nodes: an Ed25519 identity (how nodes find each other) and the onion key
//! // derived from it (what layers are encrypted to).
//! let nodes: Vec<(Identity, NodeKey)> = (0..4)
//!     .map(|_| {
//!         let identity = Identity::generate(&mut rng);
//!         let key = NodeKey::from(&identity);
//!         (identity, key)
//!     })
//!     .collect();
//! let hop = |(identity, key): &(Identity, NodeKey)| Hop::new(identity.ed25519_public(), key.public());
//!
//! // Three hops to the fourth node; the request is a storage RPC for the bot's messages.
//! let rpc = format!(r#"{{"method":"retrieve","params":{{"pubkey":"{}"}}}}"#, bot.session_id());
//! let onion = Builder::new(EncType::XChaCha20)
//!     .hops(nodes[..3].iter().map(hop))
//!     .build(&Destination::node(hop(&nodes[3])), rpc.as_bytes(), &mut rng)?;
//!
//! // The guard opens the request; each hop learns only the next node and forwards.
//! let options = OpenOptions::default();
//! let mut layer = nodes[0].1.open_request(onion.request(), &options)?;
//! for (identity, key) in &nodes[1..] {
//!     let Route::RelayToNode(relay) = node::route(layer.payload())? else {
//!         panic!("a hop relays");
//!     };
//!     assert_eq!(relay.destination, identity.ed25519_public());
//!     let message = relay.forward_message(layer.hop_no())?;
//!     layer = key.open_forward(&message, &options)?;
//! }
//!
//! // The destination reads the request and answers; only the bot can read the answer.
//! let Route::Destination(request) = node::route(layer.payload())? else {
//!     panic!("the last layer is for the destination");
//! };
//! assert_eq!(request.body, rpc.as_bytes());
//! let reply = layer.v3_reply(&request, 200, ReplyBody::Text("no messages"), &mut rng)?;
//! let answer = onion.reply_key().decode_v3(&reply)?;
//! assert_eq!(answer.status, Some(200));
//! Ok::<(), session_onion::Error>(())
//! ```
//!
//! ## Features
//!
//! `no_std` + `alloc` without default features. `std` (default) adds `std::error::Error` for
//! the error types. `fast-x25519` (off by default; implies `std`, needs Rust 1.89) turns on
//! session-core's assembly X25519 backend: graviola's verified code on x86_64 and aarch64
//! CPUs that have the instructions it needs (checked once at run time), x25519-dalek
//! elsewhere, with identical results. Every layer built or opened costs at least one X25519,
//! so this is what makes small onions fast. `fast-aead` (off by default; implies `fast-x25519`,
//! needs Rust 1.89 and a C compiler) also seals and opens hop layers with assembly on x86_64
//! and aarch64: graviola's AES-256-GCM when that CPU check passes, and ring's ChaCha20-Poly1305
//! (keyed through HChaCha20, as XChaCha20 is defined) for XChaCha20; RustCrypto's `aes-gcm` and
//! `chacha20poly1305` otherwise, with identical bytes. Opening a 64 KiB layer then takes about
//! half the time with AES-GCM and three quarters with XChaCha20.
//!
//! ## Randomness
//!
//! Every function that needs randomness takes a `rand_core` 0.10 [`rand_core::CryptoRng`]
//! from the caller; nothing here reaches for a global generator. In an application pass
//! `rand::rng()` (the `rand` crate's thread-local generator, seeded by the operating system)
//! or getrandom's `SysRng` (the operating system's generator itself); on `wasm32` in a browser,
//! enable getrandom's `wasm_js` feature so that it reaches `crypto.getRandomValues`. Tests that
//! need repeatable bytes use a seeded ChaCha RNG, as the examples here do (the `chacha20`
//! crate's `ChaCha20Rng`), never in production: anyone who knows the seed knows every key.
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]

// The README's examples run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod bencode;
pub mod client;
mod enc_type;
mod error;
pub mod framing;
pub mod hazmat;
pub mod hop;
mod json;
mod key;
pub mod node;
pub mod path;
mod secret;

/// Hooks for this crate's own tests and fuzz targets; not part of the API.
#[cfg(feature = "testing")]
#[doc(hidden)]
pub mod fuzzing;

pub use enc_type::EncType;
pub use error::{ClientError, CryptoError, Error, FormatError, NodeError};
pub use framing::{DEFAULT_MAX_SIZE, OpenOptions};
pub use hop::Role;
pub use key::NodeKey;
/// The `rand_core` version whose traits the RNG parameters of this crate take.
pub use rand_core;
/// The `serde_json` version whose `Value`/`Map` appear in this crate's API (parsed layer JSON,
/// reply bodies).
pub use serde_json;

/// Highest hop counter a node accepts (`MAX_ONION_HOPS` of the storage server). It is
/// deliberately above real path lengths so that clients can start `hop_no` above zero.
pub const MAX_HOPS: u64 = 15;
