//! # session-swarm
//!
//! Which swarm of service nodes stores a Session user's messages, and how the swarms are
//! rebalanced on every block — bit for bit as oxend computes it — plus the data-migration plan
//! a storage server follows when swarms change. `no_std` + `alloc`, no I/O.
//!
//! * **Mapping** — [`swarm_space`] (a user key's position on the 2^64 ring),
//!   [`nearest_swarm`] (ring distance, ties to the lower neighbour), [`swarm_range`] (what a
//!   swarm owns), and [`SwarmMap`], which answers "which swarm owns this Session ID, who are
//!   its members" in O(log s).
//! * **Rebalancing** — [`calc_swarm_changes`]: oxend's `calc_swarm_changes` with its
//!   randomness and the exact tie order of GCC libstdc++'s `std::sort` (see [`compat`]) and its
//!   new-id rule ([`new_swarm_id`]). It returns the [`SwarmEvent`]s alongside the updated map.
//!   [`steps`] exposes the individual oxend steps.
//! * **Policies** — [`Policy::OxendCompat`] (default: what the live network computes) and
//!   [`Policy::Scalable`] (same rules, stable tie order, indexed: O(log s) per placement;
//!   [`ScalableSwarms`] keeps the indexes between blocks for million-node networks).
//! * **Stateful networks** — [`OxendSwarms`] (the live network's rules) and [`ScalableSwarms`]
//!   keep a network between blocks: add and remove nodes as the chain registers, deregisters,
//!   decommissions and recommissions them, then rebalance once per block.
//! * **Migration** — [`migration_plan`]: the storage-server events of a block for one node
//!   and the swarm-space intervals it must push to which nodes so that no record is lost.
//!   [`migration_plan_with`] gives the same plan at a cost independent of the network's size
//!   (the block's [`added_swarms`] computed once for every node), [`migration_pushes`] the
//!   pushes alone.
//!
//! ```
//! use std::collections::BTreeMap;
//! use session_swarm::{SwarmId, SwarmMap, calc_swarm_changes};
//!
//! // 20 newly registered nodes (keys in ascending order, as oxend lists them).
//! let mut swarms: BTreeMap<SwarmId, Vec<u32>> = BTreeMap::new();
//! swarms.insert(SwarmId::UNASSIGNED, (0..20).collect());
//! let events = calc_swarm_changes(&mut swarms, 0x1234);
//! assert_eq!(swarms.len(), 2); // 1 + (20 − 7) div 7
//! assert!(swarms.values().all(|m| m.len() >= 5));
//! assert!(!events.is_empty());
//!
//! // Who stores the messages of a user key?
//! let map = SwarmMap::new(swarms);
//! let (swarm, members) = map.members_for_space(session_swarm::swarm_space(&[7u8; 32])).unwrap();
//! assert!(members.len() >= 5 && map.swarm_ids().contains(&swarm));
//! ```
//!
//! ## Decisions where oxend is undefined
//!
//! * **Dissolving the last swarm.** oxend dissolves starving swarms while more than one swarm
//!   existed when the step began; if the last remaining swarm is starving and has members,
//!   assigning them to no swarm throws `std::out_of_range`. Here the last swarm is never
//!   dissolved while it has members: it stays (starving) until the network grows. Reachable
//!   only with fewer than 5 active nodes in several swarms.
//! * **Empty excess pool while creating a swarm.** oxend logs an error and returns, silently
//!   dropping the nodes already picked. With distinct nodes this cannot happen (an excess of
//!   7 + 2·s guarantees 7 picks); with duplicate entries in the input it can, and then the
//!   picked nodes go back to the swarms they came from. Likewise for the (impossible below
//!   2^63 swarms) duplicate new id.
//! * [`compat::uniform_portable`]`(rng, 0)` returns 0 without drawing (oxend asserts `n > 0`).
//!
//! Maps that oxend would never build (duplicate nodes, unsorted or empty member lists; see
//! [`check_oxend_input`]) are accepted and handled deterministically, without panicking.
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// The README's examples run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod compat;
mod error;
mod event;
mod id;
mod input;
mod map;
mod migration;
mod network;
mod ostree;
mod oxend;
mod policy;
mod rules;
mod scalable;
mod space;
mod stdsort;
pub mod steps;
#[cfg(feature = "testing")]
#[doc(hidden)]
pub mod testing;

pub use error::Error;
pub use event::SwarmEvent;
pub use id::{MAX_SWARM_ID, new_swarm_id};
pub use input::check_oxend_input;
pub use map::SwarmMap;
pub use migration::{
    MigrationPlan, Push, SwarmChanges, added_swarms, migration_plan, migration_plan_with,
    migration_pushes, swarm_changes, swarm_pushes,
};
pub use network::{OxendSwarms, ScalableSwarms};
pub use policy::{Policy, calc_swarm_changes};
pub use session_core::SwarmId;
pub use space::{SpaceInterval, nearest_swarm, swarm_range, swarm_space};

/// Whitepaper Nmin: a swarm with fewer members is starving.
pub const MIN_SWARM_SIZE: usize = 5;
/// Spare members a swarm should keep above [`MIN_SWARM_SIZE`].
pub const IDEAL_SWARM_MARGIN: usize = 2;
/// Whitepaper Ntarget (7).
pub const IDEAL_SWARM_SIZE: usize = MIN_SWARM_SIZE + IDEAL_SWARM_MARGIN;
/// Size of a swarm carved out of excess nodes.
pub const NEW_SWARM_SIZE: usize = IDEAL_SWARM_SIZE;
/// Members above this count are excess.
pub const EXCESS_BASE: usize = MIN_SWARM_SIZE;
/// New and recommissioned nodes go to the smallest 25 % of swarms.
pub const FILL_SWARM_LOWER_PERCENTILE: usize = 25;
/// Members of a dissolved swarm go to the smallest swarms.
pub const DECOMMISSIONED_REDISTRIBUTION_LOWER_PERCENTILE: usize = 0;
/// Starving swarms steal from swarms at least as big as the 75th-percentile swarm.
pub const STEALING_SWARM_UPPER_PERCENTILE: usize = 75;
/// Whitepaper Nmax. oxend defines it but never enforces it: growth is governed by the excess
/// rule instead, so swarms can exceed 10 right after a bootstrap.
pub const MAX_SWARM_SIZE: usize = 10;
