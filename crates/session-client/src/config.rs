//! The tunables of the client rules, with libsession-util's defaults.

/// One minute in milliseconds.
const MINUTE_MS: u64 = 60 * 1000;
/// One hour in milliseconds.
const HOUR_MS: u64 = 60 * MINUTE_MS;

/// Tunables of every rule in this crate. `Config::default()` holds libsession-util's values
/// (`network_config.hpp` and the constants of `snode_pool.cpp`); change a field on the default
/// rather than building one from scratch.
///
/// Private networks that put many nodes on one /24 (a loopback devnet puts them all on
/// `127.0.0.0/24`) must turn [`Config::subnet_diversity`] off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    /// Age after which the node pool is refreshed (2 h).
    pub cache_expiration_ms: u64,
    /// Youngest age at which a pool may be refreshed again (2 s): a refresh that becomes due
    /// sooner waits until then.
    pub cache_min_lifetime_ms: u64,
    /// Fewest usable nodes (not struck out, not on a path) before a refresh is due (12). A
    /// refresh that yields fewer nodes is discarded and retried, keeping the old pool.
    pub cache_min_size: usize,
    /// Nodes a swarm lookup returns at least, topping up with the least-struck struck-out
    /// members when too few are clean (3).
    pub cache_min_swarm_size: usize,
    /// Pool nodes asked for the node list in one refresh (3). When the pool holds fewer, one
    /// seed node is asked instead and its list is trusted alone.
    pub refresh_node_count: usize,
    /// Answers a node must appear in to enter the refreshed pool (2).
    pub refresh_min_presence: usize,
    /// Active strikes that exclude a node (3).
    pub node_strike_threshold: u32,
    /// Age after which a strike no longer counts (48 h).
    pub strike_expiry_ms: u64,
    /// Nodes per onion path, guard first (3).
    pub path_length: usize,
    /// Paths kept per request category (2 for standard, 2 for file).
    pub min_paths_per_category: usize,
    /// Failures that retire a path (3).
    pub path_strike_threshold: u32,
    /// Age at which a path is replaced by a fresh one (10 min).
    pub path_rotation_ms: u64,
    /// No two nodes of one /24 on a path, nor the /24 of a node already on another path
    /// (on).
    pub subnet_diversity: bool,
    /// Retries on another swarm member after a 421 (1).
    pub redirect_retry_count: u8,
    /// Nodes asked for their time in one clock resync (3).
    pub clock_nodes: usize,
    /// First retry delay of a failed node-list fetch (200 ms), doubled per consecutive failure.
    pub retry_delay_min_ms: u64,
    /// Longest retry delay (5 s).
    pub retry_delay_max_ms: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            cache_expiration_ms: 2 * HOUR_MS,
            cache_min_lifetime_ms: 2000,
            cache_min_size: 12,
            cache_min_swarm_size: 3,
            refresh_node_count: 3,
            refresh_min_presence: 2,
            node_strike_threshold: 3,
            strike_expiry_ms: 48 * HOUR_MS,
            path_length: 3,
            min_paths_per_category: 2,
            path_strike_threshold: 3,
            path_rotation_ms: 10 * MINUTE_MS,
            subnet_diversity: true,
            redirect_retry_count: 1,
            clock_nodes: 3,
            retry_delay_min_ms: 200,
            retry_delay_max_ms: 5000,
        }
    }
}

impl Config {
    /// The delay before retry number `failures` (1 for the first): the minimum doubled per
    /// earlier failure, capped at the maximum.
    #[must_use]
    pub fn retry_delay_ms(&self, failures: u32) -> u64 {
        let doublings = failures.saturating_sub(1).min(32);
        self.retry_delay_min_ms
            .saturating_mul(1u64 << doublings)
            .min(self.retry_delay_max_ms)
    }
}
