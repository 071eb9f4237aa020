//! The client state machine: every rule together, driven by `poll`.

use alloc::collections::{BTreeMap, BTreeSet, VecDeque};
use alloc::vec::Vec;

use rand_core::CryptoRng;
use session_core::{AccountId, Ed25519PublicKey, ServiceNode, Timestamp};

use crate::Config;
use crate::clock::{self, Resync};
use crate::path::{Category, PathId, PathSet};
use crate::pool::NodePool;
use crate::refresh::{Finish, Refresh, Step};
use crate::status::{self, Classification};
use crate::swarm::{self, SwarmCache};

/// Names one action the caller must answer (a fetch or a send), for the matching `handle_*`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Token(pub u64);

/// Names one request given to [`Client::send`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RequestId(pub u64);

/// Where a request goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination {
    /// A given node.
    Node(ServiceNode),
    /// Any member of the account's swarm (a 421 moves the request to another member).
    Swarm(AccountId),
    /// A server behind the path's last node (file server, open group).
    Server,
}

/// The destination a [`Action::Send`] resolved to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// This node.
    Node(ServiceNode),
    /// The request's server.
    Server,
}

/// Why a request failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FailReason {
    /// The pool cannot supply a path for the request.
    NoPath,
    /// 406/425: the client's clock was off. The offset has been resynced by the time this is
    /// reported: sign the request again with [`Client::network_time`] and resend it.
    ClockOutOfSync,
    /// 421 again after the allowed retries, or for a request to a fixed node.
    WrongSwarm,
    /// Every usable member of the swarm was tried.
    SwarmExhausted,
    /// An error status (penalties, if any, are applied).
    Status(u16),
    /// No answer at all (one failure against the path).
    NoReply,
}

/// What the caller must do next, or what happened; from [`Client::poll`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Action {
    /// Fetch the node list from `node` (directly when `seed`, otherwise directly or over a
    /// path) and answer with [`Client::handle_node_list`].
    FetchNodeList {
        /// Answer with this.
        token: Token,
        /// The node to ask.
        node: ServiceNode,
        /// Whether `node` is a seed node.
        seed: bool,
    },
    /// Ask `node` for its time (the `t` of an `info` answer) and answer with
    /// [`Client::handle_time`].
    FetchTime {
        /// Answer with this.
        token: Token,
        /// The node to ask.
        node: ServiceNode,
    },
    /// The swarm of `account` is unknown: give it with [`Client::set_swarm`].
    NeedSwarm {
        /// The account.
        account: AccountId,
    },
    /// Send `request` as an onion request over `hops` (guard first) to `target`, and answer
    /// with [`Client::handle_reply`].
    Send {
        /// Answer with this.
        token: Token,
        /// The request.
        request: RequestId,
        /// The path used.
        path: PathId,
        /// The path's nodes, guard first.
        hops: Vec<ServiceNode>,
        /// The destination.
        target: Target,
    },
    /// `request` got a 2xx answer.
    Delivered {
        /// The request.
        request: RequestId,
        /// Its status.
        status: u16,
    },
    /// `request` failed for good.
    Failed {
        /// The request.
        request: RequestId,
        /// Why.
        reason: FailReason,
    },
    /// The network clock offset changed.
    ClockOffset {
        /// Milliseconds to add to local time.
        offset_ms: i64,
    },
}

/// The answer to a [`Action::Send`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply<'a> {
    /// The (decrypted) status and body.
    Status {
        /// HTTP status.
        status: u16,
        /// Body.
        body: &'a [u8],
    },
    /// Timeout or connection failure.
    NoReply,
}

#[derive(Debug, Clone)]
struct Pending {
    destination: Destination,
    category: Category,
    in_flight: bool,
    redirects: u8,
    tried: Vec<Ed25519PublicKey>,
}

#[derive(Debug, Clone)]
enum Outstanding {
    NodeList {
        generation: u64,
    },
    Time {
        sent_at: Timestamp,
        generation: u64,
    },
    Send {
        request: RequestId,
        path: PathId,
        target: Option<Ed25519PublicKey>,
    },
}

/// The client rules as one sans-I/O state machine.
///
/// Give it requests with [`Client::send`], then call [`Client::poll`] until it returns `None`,
/// carrying out each [`Action`] and feeding the answers back through the `handle_*` methods;
/// call `poll` again after each answer and when [`Client::next_timeout`] passes.
#[derive(Debug, Clone)]
pub struct Client {
    config: Config,
    seeds: Vec<ServiceNode>,
    pool: NodePool,
    swarms: SwarmCache,
    swarms_asked: BTreeSet<AccountId>,
    paths: PathSet,
    refresh: Option<Refresh>,
    refresh_generation: u64,
    refresh_failures: u32,
    refresh_restart_at: Option<Timestamp>,
    resync: Option<Resync>,
    resync_generation: u64,
    resync_wanted: bool,
    clock_waiters: Vec<RequestId>,
    clock_offset: Option<i64>,
    requests: BTreeMap<RequestId, Pending>,
    outstanding: BTreeMap<Token, Outstanding>,
    actions: VecDeque<Action>,
    next_token: u64,
    next_request: u64,
}

impl Client {
    /// A client that bootstraps from `seeds`.
    #[must_use]
    pub fn new(config: Config, seeds: Vec<ServiceNode>) -> Self {
        Client {
            config,
            seeds,
            pool: NodePool::new(config),
            swarms: SwarmCache::new(),
            swarms_asked: BTreeSet::new(),
            paths: PathSet::new(config),
            refresh: None,
            refresh_generation: 0,
            refresh_failures: 0,
            refresh_restart_at: None,
            resync: None,
            resync_generation: 0,
            resync_wanted: false,
            clock_waiters: Vec::new(),
            clock_offset: None,
            requests: BTreeMap::new(),
            outstanding: BTreeMap::new(),
            actions: VecDeque::new(),
            next_token: 0,
            next_request: 0,
        }
    }

    /// The configuration.
    #[must_use]
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The node pool.
    #[must_use]
    pub fn pool(&self) -> &NodePool {
        &self.pool
    }

    /// The live paths.
    #[must_use]
    pub fn paths(&self) -> &PathSet {
        &self.paths
    }

    /// The swarm cache.
    #[must_use]
    pub fn swarms(&self) -> &SwarmCache {
        &self.swarms
    }

    /// Whether a node-pool refresh is in progress.
    #[must_use]
    pub fn refreshing(&self) -> bool {
        self.refresh.is_some()
    }

    /// The network clock offset in milliseconds, once a resync succeeded.
    #[must_use]
    pub fn clock_offset(&self) -> Option<i64> {
        self.clock_offset
    }

    /// The network's time at local time `now`.
    #[must_use]
    pub fn network_time(&self, now: Timestamp) -> Timestamp {
        let t = i128::from(now.0) + i128::from(self.clock_offset.unwrap_or(0));
        Timestamp(t.clamp(0, i128::from(u64::MAX)) as u64)
    }

    /// Queues a request; it is sent (or fails) through [`Client::poll`].
    pub fn send(&mut self, destination: Destination, category: Category) -> RequestId {
        let id = RequestId(self.next_request);
        self.next_request = self.next_request.wrapping_add(1);
        let pending = Pending {
            destination,
            category,
            in_flight: false,
            redirects: 0,
            tried: Vec::new(),
        };
        self.requests.insert(id, pending);
        id
    }

    /// Drops a request the caller no longer wants (one waiting for a path or a swarm, or in
    /// flight: its answer is then ignored). Whether it was pending.
    pub fn cancel(&mut self, request: RequestId) -> bool {
        self.outstanding
            .retain(|_, o| !matches!(o, Outstanding::Send { request: r, .. } if *r == request));
        self.clock_waiters.retain(|r| *r != request);
        self.requests.remove(&request).is_some()
    }

    /// Gives the members of `account`'s swarm (after [`Action::NeedSwarm`], or at any time).
    pub fn set_swarm(&mut self, account: AccountId, members: Vec<ServiceNode>) {
        self.swarms.insert(account, members);
        self.swarms_asked.remove(&account);
    }

    /// Asks for a clock resync (done by the next [`Client::poll`]); 406 and 425 answers ask
    /// for one by themselves.
    pub fn resync_clock(&mut self) {
        self.resync_wanted = true;
    }

    /// The next thing to do, or `None` when there is nothing until an answer arrives or
    /// [`Client::next_timeout`] passes.
    pub fn poll<R: CryptoRng + ?Sized>(&mut self, now: Timestamp, rng: &mut R) -> Option<Action> {
        if self.actions.is_empty() {
            self.drive(now, rng);
        }
        self.actions.pop_front()
    }

    /// When `poll` has something to do even without answers.
    #[must_use]
    pub fn next_timeout(&self) -> Option<Timestamp> {
        let mut times = Vec::new();
        if let Some(r) = &self.refresh {
            times.extend(r.next_launch());
        } else {
            times.extend(self.refresh_restart_at);
            if let Some(updated) = self.pool.updated_at() {
                let expiry = updated.0.saturating_add(self.config.cache_expiration_ms);
                times.push(Timestamp(expiry.saturating_add(1)));
            }
            if self
                .pool
                .refresh_due(&self.paths.in_use(), self.pool.refresh_not_before())
            {
                times.push(self.pool.refresh_not_before());
            }
        }
        times.extend(self.paths.next_rotation());
        times.into_iter().min()
    }

    fn token(&mut self, what: Outstanding) -> Token {
        let token = Token(self.next_token);
        self.next_token = self.next_token.wrapping_add(1);
        self.outstanding.insert(token, what);
        token
    }

    fn fail(&mut self, request: RequestId, reason: FailReason) {
        self.requests.remove(&request);
        self.actions.push_back(Action::Failed { request, reason });
    }

    fn drive<R: CryptoRng + ?Sized>(&mut self, now: Timestamp, rng: &mut R) {
        self.pool.prune_strikes(now);
        self.drive_refresh(now, rng);
        if !self.pool.nodes().is_empty() {
            self.paths.repair(&mut self.pool, now, rng);
            self.paths.rotate(now);
            self.paths.fill(&self.pool, now, rng);
            self.drive_clock(now, rng);
        }
        self.dispatch(now, rng);
    }

    fn drive_refresh<R: CryptoRng + ?Sized>(&mut self, now: Timestamp, rng: &mut R) {
        if self.refresh.is_none()
            && self.refresh_restart_at.is_none_or(|t| t <= now)
            && now >= self.pool.refresh_not_before()
            && self.pool.refresh_due(&self.paths.in_use(), now)
        {
            self.refresh = Refresh::start(&self.config, &self.pool, &self.seeds, now, rng);
            self.refresh_generation = self.refresh_generation.wrapping_add(1);
            self.refresh_restart_at = None;
        }
        let Some(refresh) = self.refresh.as_mut() else {
            return;
        };
        let seed = refresh.from_seeds;
        let steps = refresh.due(now);
        for step in steps {
            match step {
                Step::Fetch(node) => {
                    let generation = self.refresh_generation;
                    let token = self.token(Outstanding::NodeList { generation });
                    self.actions
                        .push_back(Action::FetchNodeList { token, node, seed });
                }
                Step::Exhausted => {
                    // Every candidate failed: start over (seeds or pool chosen afresh) later.
                    self.refresh = None;
                    self.refresh_failures = self.refresh_failures.saturating_add(1);
                    let delay = self.config.retry_delay_ms(self.refresh_failures);
                    self.refresh_restart_at = Some(Timestamp(now.0.saturating_add(delay)));
                    return;
                }
            }
        }
    }

    fn drive_clock<R: CryptoRng + ?Sized>(&mut self, now: Timestamp, rng: &mut R) {
        if !self.resync_wanted || self.resync.is_some() {
            return;
        }
        let nodes = self
            .pool
            .unused_nodes(self.config.clock_nodes, &[], now, rng);
        if nodes.is_empty() {
            return;
        }
        self.resync_wanted = false;
        self.resync = Some(Resync::new(nodes.len()));
        self.resync_generation = self.resync_generation.wrapping_add(1);
        for node in nodes {
            let generation = self.resync_generation;
            let token = self.token(Outstanding::Time {
                sent_at: now,
                generation,
            });
            self.actions.push_back(Action::FetchTime { token, node });
        }
    }

    fn dispatch<R: CryptoRng + ?Sized>(&mut self, now: Timestamp, rng: &mut R) {
        let waiting: Vec<RequestId> = self
            .requests
            .iter()
            .filter(|(_, p)| !p.in_flight)
            .map(|(id, _)| *id)
            .collect();
        for id in waiting {
            let Some(pending) = self.requests.get(&id) else {
                continue;
            };
            let category = pending.category;
            let target = match pending.destination {
                Destination::Node(node) => Target::Node(node),
                Destination::Server => Target::Server,
                Destination::Swarm(account) => {
                    let Some(members) = self.swarms.get(&account) else {
                        if self.swarms_asked.insert(account) {
                            self.actions.push_back(Action::NeedSwarm { account });
                        }
                        continue;
                    };
                    let usable = swarm::usable_members(
                        members,
                        &self.pool,
                        self.config.cache_min_swarm_size,
                        now,
                        rng,
                    );
                    match usable
                        .into_iter()
                        .find(|n| !pending.tried.contains(&n.ed25519))
                    {
                        Some(node) => Target::Node(node),
                        None => {
                            self.fail(id, FailReason::SwarmExhausted);
                            continue;
                        }
                    }
                }
            };
            let target_node = match target {
                Target::Node(n) => Some(n),
                Target::Server => None,
            };
            let Some(path) = self.paths.choose(category, target_node.as_ref(), rng) else {
                let waiting_for_pool = self.refresh.is_some()
                    || self.pool.nodes().is_empty()
                    || self.pool.refresh_due(&self.paths.in_use(), now);
                if !waiting_for_pool {
                    self.fail(id, FailReason::NoPath);
                }
                continue;
            };
            let (path_id, hops) = (path.id(), path.nodes().to_vec());
            let token = self.token(Outstanding::Send {
                request: id,
                path: path_id,
                target: target_node.map(|n| n.ed25519),
            });
            if let Some(p) = self.requests.get_mut(&id) {
                p.in_flight = true;
            }
            self.actions.push_back(Action::Send {
                token,
                request: id,
                path: path_id,
                hops,
                target,
            });
        }
    }

    /// The answer to an [`Action::FetchNodeList`]: the nodes, or `None` if the fetch failed.
    /// Answers to a refresh that was abandoned are ignored.
    pub fn handle_node_list<R: CryptoRng + ?Sized>(
        &mut self,
        token: Token,
        nodes: Option<Vec<ServiceNode>>,
        now: Timestamp,
        rng: &mut R,
    ) {
        let Some(Outstanding::NodeList { generation }) = self.outstanding.remove(&token) else {
            return;
        };
        if generation != self.refresh_generation {
            return;
        }
        let Some(refresh) = self.refresh.as_mut() else {
            return;
        };
        let Some(nodes) = nodes else {
            self.refresh_failures = self.refresh_failures.saturating_add(1);
            refresh.on_failure(now, self.config.retry_delay_ms(self.refresh_failures));
            return;
        };
        let delay = self
            .config
            .retry_delay_ms(self.refresh_failures.saturating_add(1));
        match refresh.on_list(nodes, &self.config, now, delay) {
            Finish::Pending => {}
            Finish::Discarded => self.refresh_failures = self.refresh_failures.saturating_add(1),
            Finish::Done(nodes) => {
                self.pool.replace(nodes, now, rng);
                // The swarms may have moved with the node list.
                self.swarms.clear();
                self.swarms_asked.clear();
                self.refresh = None;
                self.refresh_failures = 0;
            }
        }
    }

    /// The answer to an [`Action::FetchTime`]: the node's `t` in milliseconds, or `None` if
    /// the fetch failed. `now` is the local time the answer arrived.
    pub fn handle_time(&mut self, token: Token, node_t: Option<u64>, now: Timestamp) {
        let Some(Outstanding::Time {
            sent_at,
            generation,
        }) = self.outstanding.remove(&token)
        else {
            return;
        };
        if generation != self.resync_generation {
            return;
        }
        let Some(resync) = self.resync.as_mut() else {
            return;
        };
        let offset = node_t.map(|t| clock::offset_from_reply(sent_at, now, t));
        let Some(result) = resync.record(offset) else {
            return;
        };
        self.resync = None;
        if let Some(offset_ms) = result {
            self.clock_offset = Some(offset_ms);
            self.actions.push_back(Action::ClockOffset { offset_ms });
        }
        // Requests refused for the clock are failed only now, so that the caller re-signs
        // them with the new offset rather than hitting the same error again.
        for request in core::mem::take(&mut self.clock_waiters) {
            self.actions.push_back(Action::Failed {
                request,
                reason: FailReason::ClockOutOfSync,
            });
        }
    }

    /// The answer to an [`Action::Send`], arriving at `now`.
    pub fn handle_reply<R: CryptoRng + ?Sized>(
        &mut self,
        token: Token,
        reply: Reply<'_>,
        now: Timestamp,
        rng: &mut R,
    ) {
        let Some(Outstanding::Send {
            request,
            path,
            target,
        }) = self.outstanding.remove(&token)
        else {
            return;
        };
        let (classification, failure) = match reply {
            Reply::Status { status, body } => (
                status::classify(status, body, target.as_ref()),
                FailReason::Status(status),
            ),
            Reply::NoReply => (status::transport_failure(), FailReason::NoReply),
        };
        match classification {
            Classification::Success => {
                let status = match reply {
                    Reply::Status { status, .. } => status,
                    Reply::NoReply => 0,
                };
                self.requests.remove(&request);
                self.actions
                    .push_back(Action::Delivered { request, status });
            }
            Classification::ClockOutOfSync => {
                self.requests.remove(&request);
                self.clock_waiters.push(request);
                if self.resync.is_none() {
                    self.resync_wanted = true;
                }
            }
            Classification::WrongSwarm => self.redirect(request, target),
            Classification::Penalize(p) => {
                let mut penalized = Vec::new();
                if let Some((key, permanent)) = p.node {
                    self.pool.record_failure(key, now, permanent);
                    penalized.push(key);
                }
                if let (Some(permanent), Some(key)) = (p.destination, target) {
                    self.pool.record_failure(key, now, permanent);
                    penalized.push(key);
                }
                let guard = self.paths.get(path).and_then(|p| p.nodes().first());
                if let (true, Some(guard)) = (p.guard, guard) {
                    let key = guard.ed25519;
                    self.pool.record_failure(key, now, false);
                    penalized.push(key);
                }
                if p.path {
                    self.paths
                        .record_failure(path, &penalized, &mut self.pool, now);
                }
                self.paths.repair(&mut self.pool, now, rng);
                self.fail(request, failure);
            }
            Classification::NoPenalty => self.fail(request, failure),
        }
    }

    /// A 421: the swarm moved. Forget it, and retry once on another member once the caller
    /// gave the new swarm (the node pool refreshes first if it is due).
    fn redirect(&mut self, request: RequestId, target: Option<Ed25519PublicKey>) {
        let limit = self.config.redirect_retry_count;
        let Some(pending) = self.requests.get_mut(&request) else {
            return;
        };
        let Destination::Swarm(account) = pending.destination else {
            self.fail(request, FailReason::WrongSwarm);
            return;
        };
        if pending.redirects >= limit {
            self.fail(request, FailReason::WrongSwarm);
            return;
        }
        pending.redirects += 1;
        pending.in_flight = false;
        pending.tried.extend(target);
        self.swarms.invalidate(&account);
        self.swarms_asked.remove(&account);
    }
}
