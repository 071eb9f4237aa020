//! The one API of the session-infra bindings.
//!
//! The C library (`session-ffi`), the Python module and the JavaScript package all call this
//! crate, so the three bindings share one translation of the session-infra libraries into
//! plain types: byte slices and vectors, strings, integers. No protocol logic lives here;
//! every rule is the libraries' own. Errors carry the library's message and a stable
//! [`ErrorCode`].
//!
//! ```
//! use session_bindings::Identity;
//!
//! let phrase = "puffin luxury annoyed rustled memoir faxed smidgen puddle kiwi nylon utopia zinger kiwi";
//! let identity = Identity::from_phrase(phrase)?;
//! assert!(identity.session_id().starts_with("05"));
//! # Ok::<(), session_bindings::Error>(())
//! ```
#![forbid(unsafe_code)]

#[doc(hidden)]
pub mod bench;
mod error;
mod id;
mod identity;
mod onion;
mod phrase;
mod rng;
mod staking;
mod storage;
mod swarm;

pub use error::{Error, ErrorCode, Result};
pub use id::{ParsedId, parse_session_id};
pub use identity::{Identity, verify_signature};
pub use onion::{
    Cipher, LayerRoute, NodeKey, OnionHop, OnionLayer, OnionReply, OnionRequest, Server,
    build_onion_to_node, build_onion_to_server, v4_request,
};
pub use phrase::{PhraseCheck, PhraseCorrection, phrase_check, phrase_decode, phrase_encode};
pub use staking::{check_registration_stakes, staking_requirement, verify_ethereum_registration};
pub use storage::{
    delete_all_payload, delete_before_payload, delete_payload, expire_all_payload, expire_payload,
    get_expiries_payload, message_hash, monitor_payload, retrieve_payload,
    revoke_subaccount_payload, store_payload, unrevoke_subaccount_payload,
};
pub use swarm::{swarm_for, swarm_space};
