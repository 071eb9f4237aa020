//! `session-swarm`: work in progress.
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod event;
mod id;
mod map;
mod migration;
mod network;
mod ostree;
mod oxend;
mod policy;
mod rng;
mod scalable;
mod space;
mod stdsort;
pub mod steps;

pub use event::SwarmEvent;
pub use id::{MAX_SWARM_ID, new_swarm_id};
pub use map::SwarmMap;
pub use migration::{
    MigrationPlan, Push, SwarmChanges, migration_plan, swarm_changes, swarm_pushes,
};
pub use network::ScalableSwarms;
pub use policy::{Policy, calc_swarm_changes, scalable_reference};
pub use rng::{Mt19937_64, seed_from_block_hash, uniform_portable};
pub use session_core::SwarmId;
pub use space::{SpaceInterval, nearest_swarm, swarm_range, swarm_space};
pub use stdsort::std_sort;

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
