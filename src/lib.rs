//! # session-infra
//!
//! One dependency for the whole Session infrastructure stack. Each library of the workspace is
//! re-exported as a module:
//!
//! | module | crate | what it does |
//! |---|---|---|
//! | [`core`] | `session-core` | keys, Session IDs, swarm ids, namespaces, service nodes, byte reader, identities |
//! | [`mnemonic`] | `session-mnemonic` | Electrum-style recovery phrases |
//! | [`onion`] | `session-onion` | onion requests |
//! | [`swarm`] | `session-swarm` | swarm mapping and rebalancing |
//!
//! ```
//! use session_infra::core::identity::Identity;
//!
//! let identity = Identity::from_seed(&[0u8; 16]).unwrap();
//! assert!(identity.session_id().to_string().starts_with("05"));
//! ```
#![no_std]
#![forbid(unsafe_code)]

pub use session_core as core;
pub use session_mnemonic as mnemonic;
pub use session_onion as onion;
pub use session_swarm as swarm;
