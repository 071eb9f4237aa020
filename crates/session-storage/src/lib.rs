//! # session-storage
//!
//! Message storage for Session swarm nodes, with the storage server's exact rules and none of
//! its hard-wired database:
//!
//! - [`message_hash`] (v4) and the [`hash`] module's older formats;
//! - [`policy`]: validation of every client request (TTL 10 s..14 days, 30 days outside public
//!   inboxes; size limits; namespace classes; clock windows with `now` passed in; Ed25519
//!   signatures over the exact signed byte strings, subaccount tokens included), each
//!   rejection a [`RequestError`] naming the rule and its values;
//! - backend traits ([`MessageWriter`], [`MessageReader`], … [`StorageBackend`]), synchronous
//!   and clock-free, each backend with its own error type ([`Backend::Error`]), and
//!   [`MemoryStore`], which cannot fail, as the reference backend;
//! - [`replication`]: a `session-swarm` migration plan applied to a backend gives the
//!   [`push`] batches for each peer, namespaces kept;
//! - errors by caller role ([`RequestError`], [`PushError`], [`VerifyError`],
//!   [`ReceiveError`]), unified by [`Error`] (see there).
//! - `conformance` (feature `conformance`): the suite any backend runs to prove it behaves.
//!
//! `no_std` + `alloc`; no I/O, no clock. The SQLite backend is the `session-storage-sqlite`
//! crate.
//!
//! ## Store, replicate, retrieve
//!
//! ```
//! use std::collections::BTreeMap;
//! use session_core::identity::Identity;
//! use session_core::{AccountId, SwarmId, Timestamp};
//! use session_storage::policy::{
//!     payload, Auth, Lifetime, NamespaceArg, RetrieveRequest, StoreRequest, Verifier,
//! };
//! use session_storage::{replication, Binary, MemoryStore, MessageReader, MessageWriter};
//! use session_swarm::{migration_plan, SwarmMap};
//!
//! let now = Timestamp::from_millis(1_700_000_000_000);
//! let me = Identity::from_seed_bytes(&[42; 32])?;
//! let account = AccountId::from(me.session_id());
//!
//! // 1. A client stores a message in its own config namespace 2 (signature required).
//! let mut entry_node = MemoryStore::new();
//! let store_sig = me.sign(&payload::store(session_core::Namespace(2), now));
//! let ed = me.ed25519_public();
//! let request = StoreRequest {
//!     account,
//!     namespace: NamespaceArg::Int(2),
//!     timestamp: now.as_millis(),
//!     lifetime: Lifetime::Ttl(86_400_000),
//!     data: Binary::Raw(b"profile update"),
//!     sig_timestamp: None,
//!     auth: Some(Auth::signature(Binary::Raw(&store_sig)).with_ed25519(Binary::Raw(ed.as_bytes()))),
//! };
//! let command = Verifier::new(now, &entry_node).validate_store(&request)?;
//! entry_node.store(&command.message, now)?;
//!
//! // 2. A node joins the swarm: the entry node pushes it everything it must hold.
//! let old = SwarmMap::new(BTreeMap::from([(SwarmId(7), vec!["a", "b", "c"])]));
//! let new = SwarmMap::new(BTreeMap::from([(SwarmId(7), vec!["a", "b", "c", "d"])]));
//! let plan = migration_plan(&old, &new, &"a");
//! let mut newcomer = MemoryStore::new();
//! for peer in replication::outgoing_for_plan(&entry_node, &plan, now)? {
//!     assert_eq!(peer.to, "d");
//!     for batch in &peer.batches {
//!         replication::receive(&mut newcomer, batch, now)?;
//!     }
//! }
//!
//! // 3. The client retrieves it from the newcomer, in namespace 2.
//! let later = now.saturating_add_millis(5_000);
//! let retrieve_sig = me.sign(&payload::retrieve(session_core::Namespace(2), later));
//! let request = RetrieveRequest {
//!     account,
//!     namespace: NamespaceArg::Int(2),
//!     last_hash: None,
//!     max_count: 0,
//!     max_size: 0,
//!     timestamp: later.as_millis(),
//!     auth: Some(Auth::signature(Binary::Raw(&retrieve_sig)).with_ed25519(Binary::Raw(ed.as_bytes()))),
//! };
//! let command = Verifier::new(later, &newcomer).validate_retrieve(&request)?;
//! let page = newcomer.retrieve(&command.query, later)?;
//! assert_eq!(page.messages[0].data, b"profile update");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// The README's examples run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

// `vec!` and `format!` in scope in every module, as in a std crate.
#[macro_use]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod backend;
#[cfg(feature = "conformance")]
pub mod conformance;
mod error;
pub mod hash;
mod memory;
pub mod policy;
pub mod push;
pub mod replication;
mod text;
mod types;

pub use backend::{
    Backend, ExpirySweeper, ExpiryUpdater, ExportPage, MAX_REVOCATIONS, MessageDeleter,
    MessageReader, MessageWriter, ReplicaSink, ReplicaSource, RevocationStore, StorageBackend,
    StorageStats, hash_text_key, push_expiry_change, sort_by_hash_text,
};
pub use error::{Error, Operation, PushError, ReceiveError, RequestError, VerifyError};
pub use hash::message_hash;
pub use memory::MemoryStore;
pub use session_core::{AccountId, MessageHash, Namespace, Timestamp};
pub use text::Binary;
pub use types::{
    Affected, Capacity, ExpiryChange, ExpiryMode, HASH_TEXT_LEN, ImportStats, NamespaceSelector,
    NamespaceStats, Page, ROW_OVERHEAD_BYTES, RetrieveQuery, SizeModel, StoreOutcome, StoreStats,
    StoredMessage, SubaccountFlags, SubaccountToken,
};
