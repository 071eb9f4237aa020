//! One node-pool refresh in progress: whom to ask, what came back, when to try again.

use alloc::vec::Vec;

use rand_core::CryptoRng;
use session_core::{ServiceNode, Timestamp};

use crate::pool::{NodePool, combine_node_lists};
use crate::{Config, random};

/// What a refresh wants next.
#[derive(Debug)]
pub(crate) enum Step {
    /// Ask this node for its node list.
    Fetch(ServiceNode),
    /// Every candidate was tried: start a new refresh after the delay.
    Exhausted,
}

/// What a refresh produced once every answer is in.
#[derive(Debug)]
pub(crate) enum Finish {
    /// Still waiting for answers.
    Pending,
    /// The new pool.
    Done(Vec<ServiceNode>),
    /// Too few nodes: the answers were discarded and the same number of fetches is scheduled.
    Discarded,
}

#[derive(Debug, Clone)]
pub(crate) struct Refresh {
    pub(crate) from_seeds: bool,
    wanted: usize,
    candidates: Vec<ServiceNode>,
    results: Vec<Vec<ServiceNode>>,
    launches: Vec<Timestamp>,
}

impl Refresh {
    /// Plans a refresh: `refresh_node_count` pool nodes, or a single seed node when the pool
    /// holds fewer than that (a seed's list is trusted alone). `None` without candidates.
    pub(crate) fn start<R: CryptoRng + ?Sized>(
        config: &Config,
        pool: &NodePool,
        seeds: &[ServiceNode],
        now: Timestamp,
        rng: &mut R,
    ) -> Option<Self> {
        let wanted_from_pool = config.refresh_node_count;
        let from_seeds = wanted_from_pool == 0 || pool.nodes().len() < wanted_from_pool;
        let wanted = if from_seeds { 1 } else { wanted_from_pool };
        let mut candidates = if from_seeds {
            seeds.to_vec()
        } else {
            pool.nodes().to_vec()
        };
        if candidates.is_empty() {
            return None;
        }
        random::shuffle(&mut candidates, rng);
        Some(Refresh {
            from_seeds,
            wanted,
            candidates,
            results: Vec::new(),
            launches: alloc::vec![now; wanted],
        })
    }

    /// The fetches due at `now`.
    pub(crate) fn due(&mut self, now: Timestamp) -> Vec<Step> {
        let mut steps = Vec::new();
        let mut later = Vec::new();
        for at in self.launches.drain(..) {
            if at > now {
                later.push(at);
            } else if let Some(node) = self.candidates.pop() {
                steps.push(Step::Fetch(node));
            } else {
                steps.push(Step::Exhausted);
            }
        }
        self.launches = later;
        steps
    }

    /// The earliest scheduled fetch.
    pub(crate) fn next_launch(&self) -> Option<Timestamp> {
        self.launches.iter().min().copied()
    }

    /// A fetch failed: ask another candidate after `delay_ms`.
    pub(crate) fn on_failure(&mut self, now: Timestamp, delay_ms: u64) {
        self.launches
            .push(Timestamp(now.0.saturating_add(delay_ms)));
    }

    /// A fetch answered with `nodes`.
    pub(crate) fn on_list(
        &mut self,
        nodes: Vec<ServiceNode>,
        config: &Config,
        now: Timestamp,
        delay_ms: u64,
    ) -> Finish {
        self.results.push(nodes);
        if self.results.len() < self.wanted {
            return Finish::Pending;
        }
        let combined = combine_node_lists(&self.results, config.refresh_min_presence);
        self.results.clear();
        // A refresh that agrees on too little would leave nothing to route through: keep the
        // old pool and ask again.
        if combined.is_empty() || combined.len() < config.cache_min_size {
            let at = Timestamp(now.0.saturating_add(delay_ms));
            self.launches = alloc::vec![at; self.wanted];
            return Finish::Discarded;
        }
        Finish::Done(combined)
    }
}
