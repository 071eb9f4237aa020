//! Path selection: a pure state machine over a node pool, with injected RNG and time.
//!
//! Every decision is a returned value; nothing here sends a packet. The rules are the ones
//! the reference clients agree on:
//!
//! * paths of [`PathConfig::hops`] nodes (3), guard first, at least
//!   [`PathConfig::min_paths`] (2) kept, no node on two paths;
//! * a snode destination is never on the path chosen for it (by key, nor by IP);
//! * /24 subnet diversity within a path, on by default, switchable off for private networks
//!   (testnets put many nodes on one IP): then only keys are compared, so nodes sharing an
//!   IP may share a path and the destination is excluded by key alone;
//! * strikes: a path failing [`PathConfig::path_strike_threshold`] (3) times is dropped; its
//!   nodes each take a strike and its guard is struck out (libsession); a node reaching
//!   [`PathConfig::node_strike_threshold`] (3) strikes leaves the pool;
//! * `Next node not found: <key>` strikes that node out at once and replaces it in its path
//!   (a guard cannot be replaced: its path is dropped);
//! * 421 (wrong swarm): retry once on another swarm member, then refresh pool and swarm and
//!   retry, then fail ([`RedirectPolicy`]).

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use rand_core::CryptoRng;
use session_core::random::uniform_index as uniform;
use session_core::{Ed25519PublicKey, ServiceNode, Timestamp};

use crate::{ClientError, FormatError};

/// Tunables of the path state machine (defaults: the reference clients' values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct PathConfig {
    /// Nodes per path, guard included (3).
    pub hops: usize,
    /// Paths to keep ready (2).
    pub min_paths: usize,
    /// Refuse two nodes of the same /24 on one path, and the destination's /24 (true).
    pub subnet_diversity: bool,
    /// Strikes that drop a node from the pool (3).
    pub node_strike_threshold: u32,
    /// Strikes that drop a path (3).
    pub path_strike_threshold: u32,
    /// Pool age after which a refresh is due, in milliseconds (2 h).
    pub pool_refresh_ms: u64,
    /// Fewest usable nodes before a refresh is due regardless of age (12).
    pub min_pool_size: usize,
}

impl Default for PathConfig {
    fn default() -> Self {
        PathConfig {
            hops: 3,
            min_paths: 2,
            subnet_diversity: true,
            node_strike_threshold: 3,
            path_strike_threshold: 3,
            pool_refresh_ms: 2 * 60 * 60 * 1000,
            min_pool_size: 12,
        }
    }
}

impl PathConfig {
    /// Sets [`PathConfig::hops`] (1 ..= 15).
    #[must_use = "the config is a value: use the returned one"]
    pub fn hops(mut self, hops: usize) -> Self {
        self.hops = hops;
        self
    }

    /// Sets [`PathConfig::min_paths`].
    #[must_use = "the config is a value: use the returned one"]
    pub fn min_paths(mut self, n: usize) -> Self {
        self.min_paths = n;
        self
    }

    /// Sets [`PathConfig::subnet_diversity`] (turn off on private networks).
    #[must_use = "the config is a value: use the returned one"]
    pub fn subnet_diversity(mut self, on: bool) -> Self {
        self.subnet_diversity = on;
        self
    }
}

/// Identifies a path for as long as it lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PathId(pub u64);

/// One onion path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    id: PathId,
    nodes: Vec<ServiceNode>,
    strikes: u32,
}

impl Path {
    /// Its identifier.
    #[must_use]
    pub fn id(&self) -> PathId {
        self.id
    }

    /// Its nodes, guard first.
    #[must_use]
    pub fn nodes(&self) -> &[ServiceNode] {
        &self.nodes
    }

    /// The guard (first hop), the only node that sees the client's address.
    #[must_use]
    pub fn guard(&self) -> Option<&ServiceNode> {
        self.nodes.first()
    }

    /// Current strike count.
    #[must_use]
    pub fn strikes(&self) -> u32 {
        self.strikes
    }

    /// The hops for [`crate::client::Builder`].
    pub fn hops(&self) -> impl Iterator<Item = crate::client::Hop> + '_ {
        self.nodes.iter().map(crate::client::Hop::from)
    }

    /// Whether `node` is on this path: by key, and also by IP address when `by_address`
    /// (off on private networks, where many nodes share one IP).
    fn contains(&self, node: &ServiceNode, by_address: bool) -> bool {
        self.nodes.iter().any(|n| {
            n.ed25519 == node.ed25519 || (by_address && node.has_known_address() && n.ip == node.ip)
        })
    }
}

/// What happened to a request sent over a path, as the caller observed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The request got an answer from its destination.
    Success,
    /// Timeout, connection failure or an error status that counts against the path.
    PathFailure,
    /// "Next node not found" / "Next node is currently unreachable" for this node.
    NextNodeNotFound(Ed25519PublicKey),
    /// 421: the destination is not in the swarm (see [`RedirectPolicy`]); no path penalty.
    Misdirected,
    /// An answer that says nothing about the path (400, 404, 406, 425, …).
    NoPenalty,
}

/// Classifies a transport answer (status and plaintext body as the guard returned them).
///
/// `server_destination`: the request went to an external server, where 500 / 504 are the
/// server's problem, not the path's (libsession).
#[must_use]
pub fn classify_response(status: u16, body: &[u8], server_destination: bool) -> Outcome {
    const NOT_FOUND: [&[u8]; 2] = [
        b"Next node not found: ",
        b"Next node is currently unreachable: ",
    ];
    for prefix in NOT_FOUND {
        if let Some(rest) = find_after(body, prefix) {
            let hex = rest.get(..64).unwrap_or(rest);
            let key = core::str::from_utf8(hex)
                .ok()
                .and_then(|h| session_core::encoding::decode_hex_array::<32>(h, "node key").ok());
            if let Some(key) = key {
                return Outcome::NextNodeNotFound(Ed25519PublicKey::from_bytes(key));
            }
            return Outcome::PathFailure;
        }
    }
    match status {
        200..=299 => Outcome::Success,
        421 => Outcome::Misdirected,
        400 | 401 | 403 | 404 | 406 | 425 => Outcome::NoPenalty,
        500 | 504 if server_destination => Outcome::NoPenalty,
        _ => Outcome::PathFailure,
    }
}

fn find_after<'a>(hay: &'a [u8], needle: &[u8]) -> Option<&'a [u8]> {
    hay.windows(needle.len())
        .position(|w| w == needle)
        .and_then(|i| hay.get(i + needle.len()..))
}

/// A change the caller should know about (to log, persist, or rebuild connections).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A new path was built.
    PathBuilt(PathId),
    /// A path was dropped (strike threshold, or its guard vanished).
    PathDropped(PathId),
    /// A node left the pool after too many strikes (or "Next node not found").
    NodeDropped(Ed25519PublicKey),
    /// A node in a path was replaced.
    NodeReplaced {
        /// The path.
        path: PathId,
        /// The removed node.
        old: Ed25519PublicKey,
        /// Its replacement.
        new: Ed25519PublicKey,
    },
    /// Fewer than `min_paths` paths exist and no more can be built from the pool: refresh it.
    PoolExhausted,
}

/// The path state machine.
#[derive(Debug, Clone)]
pub struct PathManager {
    config: PathConfig,
    pool: Vec<ServiceNode>,
    strikes: BTreeMap<Ed25519PublicKey, u32>,
    paths: Vec<Path>,
    next_id: u64,
    pool_updated: Option<Timestamp>,
}

impl PathManager {
    /// An empty manager.
    pub fn new(config: PathConfig) -> Self {
        PathManager {
            config,
            pool: Vec::new(),
            strikes: BTreeMap::new(),
            paths: Vec::new(),
            next_id: 0,
            pool_updated: None,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &PathConfig {
        &self.config
    }

    /// Replaces the node pool (fresh from the network at time `now`). Nodes without a known
    /// address are ignored. Paths whose nodes left the pool are dropped; strikes are kept.
    pub fn set_pool(
        &mut self,
        nodes: impl IntoIterator<Item = ServiceNode>,
        now: Timestamp,
    ) -> Vec<Event> {
        self.pool = nodes
            .into_iter()
            .filter(ServiceNode::has_known_address)
            .collect();
        self.pool.sort();
        self.pool.dedup();
        self.pool_updated = Some(now);
        let pool = &self.pool;
        let mut events = Vec::new();
        self.paths.retain(|p| {
            let keep = p.nodes.iter().all(|n| pool.binary_search(n).is_ok());
            if !keep {
                events.push(Event::PathDropped(p.id));
            }
            keep
        });
        events
    }

    /// Whether the pool should be refreshed at `now` (never fetched, older than
    /// [`PathConfig::pool_refresh_ms`], or fewer than [`PathConfig::min_pool_size`] usable nodes).
    pub fn needs_pool_refresh(&self, now: Timestamp) -> bool {
        match self.pool_updated {
            None => true,
            Some(t) => {
                now.saturating_sub(t) >= self.config.pool_refresh_ms
                    || self.usable_count() < self.config.min_pool_size
            }
        }
    }

    /// Nodes in the pool that are not struck out.
    pub fn usable_count(&self) -> usize {
        self.pool.iter().filter(|n| self.is_usable(n)).count()
    }

    /// The current paths.
    pub fn paths(&self) -> &[Path] {
        &self.paths
    }

    /// A path by id.
    pub fn path(&self, id: PathId) -> Option<&Path> {
        self.paths.iter().find(|p| p.id == id)
    }

    /// Strikes held by a node.
    pub fn node_strikes(&self, node: &Ed25519PublicKey) -> u32 {
        self.strikes.get(node).copied().unwrap_or(0)
    }

    fn is_usable(&self, n: &ServiceNode) -> bool {
        self.node_strikes(&n.ed25519) < self.config.node_strike_threshold
    }

    fn in_any_path(&self, n: &ServiceNode) -> bool {
        self.paths
            .iter()
            .any(|p| p.nodes.iter().any(|m| m.ed25519 == n.ed25519))
    }

    /// Candidates for a new hop: usable, on no path, not `taken`, not the destination, and
    /// (with diversity) not sharing a /24 with `taken` or the destination. Without diversity
    /// (private networks, where nodes share IPs) only keys are compared.
    fn candidates(&self, taken: &[ServiceNode], avoid: Option<&ServiceNode>) -> Vec<ServiceNode> {
        self.pool
            .iter()
            .filter(|n| self.is_usable(n) && !self.in_any_path(n))
            .filter(|n| !taken.iter().any(|t| t.ed25519 == n.ed25519))
            .filter(|n| avoid.is_none_or(|d| d.ed25519 != n.ed25519))
            .filter(|n| {
                !self.config.subnet_diversity
                    || (!taken.iter().any(|t| t.subnet24() == n.subnet24())
                        && avoid
                            .is_none_or(|d| !d.has_known_address() || d.subnet24() != n.subnet24()))
            })
            .copied()
            .collect()
    }

    /// Builds one path (guard first) that avoids `destination` if given.
    pub fn build_path<R: CryptoRng + ?Sized>(
        &mut self,
        destination: Option<&ServiceNode>,
        rng: &mut R,
    ) -> Result<PathId, ClientError> {
        let hops = self.config.hops;
        if hops == 0 || hops > crate::client::MAX_PATH_LEN {
            return Err(ClientError::PathLength(hops));
        }
        let mut chosen: Vec<ServiceNode> = Vec::with_capacity(hops);
        while chosen.len() < hops {
            let c = self.candidates(&chosen, destination);
            if c.is_empty() {
                return Err(ClientError::NotEnoughNodes {
                    needed: hops,
                    available: chosen.len() + c.len(),
                });
            }
            let pick =
                c.get(uniform(rng, c.len()))
                    .copied()
                    .ok_or(ClientError::NotEnoughNodes {
                        needed: hops,
                        available: 0,
                    })?;
            chosen.push(pick);
        }
        let id = PathId(self.next_id);
        self.next_id += 1;
        self.paths.push(Path {
            id,
            nodes: chosen,
            strikes: 0,
        });
        Ok(id)
    }

    /// Builds paths until [`PathConfig::min_paths`] exist; reports what happened.
    pub fn ensure_paths<R: CryptoRng + ?Sized>(&mut self, rng: &mut R) -> Vec<Event> {
        let mut events = Vec::new();
        while self.paths.len() < self.config.min_paths {
            match self.build_path(None, rng) {
                Ok(id) => events.push(Event::PathBuilt(id)),
                Err(_) => {
                    events.push(Event::PoolExhausted);
                    break;
                }
            }
        }
        events
    }

    /// Picks a random existing path that does not contain `destination` (by key, and by IP
    /// address unless [`PathConfig::subnet_diversity`] is off).
    /// `None` means: build one with [`PathManager::build_path`] passing the destination.
    pub fn select_path<R: CryptoRng + ?Sized>(
        &self,
        destination: Option<&ServiceNode>,
        rng: &mut R,
    ) -> Option<&Path> {
        let ok: Vec<&Path> = self
            .paths
            .iter()
            .filter(|p| destination.is_none_or(|d| !p.contains(d, self.config.subnet_diversity)))
            .collect();
        ok.get(uniform(rng, ok.len())).copied()
    }

    fn strike_node(&mut self, node: Ed25519PublicKey, by: u32, events: &mut Vec<Event>) {
        let threshold = self.config.node_strike_threshold;
        let s = self.strikes.entry(node).or_insert(0);
        let before = *s;
        *s = s.saturating_add(by).min(threshold);
        if before < threshold && *s >= threshold {
            events.push(Event::NodeDropped(node));
        }
    }

    fn drop_path(&mut self, id: PathId, events: &mut Vec<Event>) {
        if let Some(i) = self.paths.iter().position(|p| p.id == id) {
            self.paths.remove(i);
            events.push(Event::PathDropped(id));
        }
    }

    /// Records the outcome of a request sent over `path`; returns the resulting changes.
    ///
    /// Replacement nodes are drawn from `rng`. Paths below the minimum are *not* rebuilt here:
    /// call [`PathManager::ensure_paths`] when convenient.
    pub fn report<R: CryptoRng + ?Sized>(
        &mut self,
        path: PathId,
        outcome: Outcome,
        rng: &mut R,
    ) -> Vec<Event> {
        let mut events = Vec::new();
        match outcome {
            Outcome::Success => {
                if let Some(p) = self.paths.iter_mut().find(|p| p.id == path) {
                    p.strikes = 0;
                }
            }
            Outcome::NoPenalty | Outcome::Misdirected => {}
            Outcome::PathFailure => {
                let threshold = self.config.path_strike_threshold;
                let Some(p) = self.paths.iter_mut().find(|p| p.id == path) else {
                    return events;
                };
                p.strikes = p.strikes.saturating_add(1);
                if p.strikes >= threshold {
                    let nodes: Vec<Ed25519PublicKey> = p.nodes.iter().map(|n| n.ed25519).collect();
                    self.drop_path(path, &mut events);
                    for (i, n) in nodes.into_iter().enumerate() {
                        // Every node takes a strike; the guard is struck out (libsession).
                        let by = if i == 0 {
                            self.config.node_strike_threshold
                        } else {
                            1
                        };
                        self.strike_node(n, by, &mut events);
                    }
                }
            }
            Outcome::NextNodeNotFound(node) => {
                self.strike_node(node, self.config.node_strike_threshold, &mut events);
                let holder = self
                    .paths
                    .iter()
                    .find(|p| p.nodes.iter().any(|n| n.ed25519 == node))
                    .map(|p| p.id);
                if let Some(id) = holder {
                    self.replace_node(id, node, rng, &mut events);
                }
            }
        }
        events
    }

    fn replace_node<R: CryptoRng + ?Sized>(
        &mut self,
        id: PathId,
        node: Ed25519PublicKey,
        rng: &mut R,
        events: &mut Vec<Event>,
    ) {
        let Some(p) = self.paths.iter().find(|p| p.id == id) else {
            return;
        };
        let Some(pos) = p.nodes.iter().position(|n| n.ed25519 == node) else {
            return;
        };
        if pos == 0 {
            // The guard is the path's identity towards the network: rebuild instead.
            self.drop_path(id, events);
            return;
        }
        let others: Vec<ServiceNode> = p
            .nodes
            .iter()
            .filter(|n| n.ed25519 != node)
            .copied()
            .collect();
        let c = self.candidates(&others, None);
        match c.get(uniform(rng, c.len())).copied() {
            Some(new) => {
                if let Some(slot) = self
                    .paths
                    .iter_mut()
                    .find(|p| p.id == id)
                    .and_then(|p| p.nodes.get_mut(pos))
                {
                    *slot = new;
                }
                events.push(Event::NodeReplaced {
                    path: id,
                    old: node,
                    new: new.ed25519,
                });
            }
            None => self.drop_path(id, events),
        }
    }
}

/// What to do after a 421 (wrong swarm) answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedirectDecision {
    /// Retry the request on another member of the swarm (the 421 body lists them).
    RetryOtherSwarmMember,
    /// Refresh the node pool and the swarm, then retry.
    RefreshThenRetry,
    /// Give up: report the failure.
    Fail,
}

/// libsession's 421 policy: retry once on another swarm member; on a second 421 refresh pool
/// and swarm and retry; on a third, fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RedirectPolicy {
    seen: u32,
}

impl RedirectPolicy {
    /// A fresh policy for one request.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a 421 and returns what to do next.
    pub fn on_misdirected(&mut self) -> RedirectDecision {
        self.seen = self.seen.saturating_add(1);
        match self.seen {
            1 => RedirectDecision::RetryOtherSwarmMember,
            2 => RedirectDecision::RefreshThenRetry,
            _ => RedirectDecision::Fail,
        }
    }
}

/// Parses the body of a 421 answer (`{"snodes":[…],"swarm":"<hex id>",…}`, the decrypted
/// reply body of a node destination) into the swarm's members, to retry on another one.
///
/// Members without a valid key pair or IPv4 address are skipped; the swarm id is taken from
/// `swarm` (hex) when present.
pub fn parse_misdirected(body: &serde_json::Value) -> Result<Vec<ServiceNode>, ClientError> {
    use session_core::{SwarmId, X25519PublicKey};
    let snodes = body
        .get("snodes")
        .and_then(serde_json::Value::as_array)
        .ok_or(ClientError::MalformedReply(FormatError::MissingField(
            "snodes",
        )))?;
    let swarm_id = body
        .get("swarm")
        .and_then(serde_json::Value::as_str)
        .and_then(|s| u64::from_str_radix(s, 16).ok())
        .map_or(SwarmId::UNASSIGNED, SwarmId);
    let key = |v: &serde_json::Value, field: &'static str| -> Option<[u8; 32]> {
        crate::json::hex32(v.get(field)?.as_str()?, field).ok()
    };
    let port = |v: &serde_json::Value, field: &'static str| -> u16 {
        v.get(field)
            .and_then(|p| p.as_u64().or_else(|| p.as_str()?.parse().ok()))
            .and_then(|p| u16::try_from(p).ok())
            .unwrap_or(0)
    };
    let mut out = Vec::with_capacity(snodes.len().min(64));
    for s in snodes {
        let (Some(ed), Some(x)) = (key(s, "pubkey_ed25519"), key(s, "pubkey_x25519")) else {
            continue;
        };
        let Some(ip) = s
            .get("ip")
            .and_then(serde_json::Value::as_str)
            .and_then(|ip| ip.parse::<core::net::Ipv4Addr>().ok())
        else {
            continue;
        };
        let omq = match port(s, "port_omq") {
            0 => port(s, "port_quic"),
            p => p,
        };
        out.push(ServiceNode {
            ed25519: Ed25519PublicKey::from_bytes(ed),
            x25519: X25519PublicKey::from_bytes(x),
            ip,
            https_port: port(s, "port_https"),
            omq_port: omq,
            swarm_id,
            version: None,
        });
    }
    Ok(out)
}

/// libsession's retry delay: `min(max_ms, 100 ms · 2^attempt)`.
#[must_use]
pub fn retry_delay_ms(attempt: u32, max_ms: u64) -> u64 {
    100u64
        .saturating_mul(1u64.checked_shl(attempt).unwrap_or(u64::MAX))
        .min(max_ms)
}
