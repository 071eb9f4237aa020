//! Clients: stores and retrieves over 3-hop onion paths to a swarm member, with retries.
//!
//! Paths are three random nodes of the client's node list other than the target; a failed
//! request is retried on a fresh path and another swarm member. Each retry is counted with
//! its reason.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use rand_core::Rng;
use serde_json::{Value, json};
use session_core::encoding::encode_base64;
use session_core::{AccountId, Identity, Namespace, ServiceNode};
use session_onion::EncType;
use session_onion::client::{Builder, Destination, Hop};

use crate::node::{addr_of, now};
use crate::wire;

/// Hops of every onion path (libsession's path length).
pub const PATH_LEN: usize = 3;
/// Attempts per request before giving up.
pub const MAX_ATTEMPTS: u32 = 10;
/// Deadline for one onion request, guard to destination and back.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);
/// Most retrieve pages read per account.
const MAX_PAGES: usize = 200;

/// Load figures shared by every client.
#[derive(Debug, Default)]
pub struct Stats {
    inner: Mutex<StatsInner>,
}

#[derive(Debug, Default)]
struct StatsInner {
    requests: u64,
    latencies_us: Vec<u64>,
    retries: BTreeMap<String, u64>,
}

/// A snapshot of [`Stats`].
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Onion requests sent (attempts, including retries).
    pub requests: u64,
    /// Successful requests.
    pub succeeded: u64,
    /// Median latency of a successful request, in milliseconds.
    pub p50_ms: f64,
    /// 99th percentile, in milliseconds.
    pub p99_ms: f64,
    /// Retries by reason.
    pub retries: BTreeMap<String, u64>,
}

impl Stats {
    fn lock(&self) -> std::sync::MutexGuard<'_, StatsInner> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn sent(&self) {
        self.lock().requests += 1;
    }

    fn ok(&self, took: Duration) {
        let us = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
        self.lock().latencies_us.push(us);
    }

    fn retry(&self, reason: String) {
        *self.lock().retries.entry(reason).or_default() += 1;
    }

    /// The figures so far.
    #[must_use]
    pub fn report(&self) -> Report {
        let s = self.lock();
        let mut l = s.latencies_us.clone();
        l.sort_unstable();
        let pct = |p: usize| -> f64 {
            if l.is_empty() {
                return 0.0;
            }
            let i = (l.len() - 1) * p / 100;
            l.get(i).copied().unwrap_or(0) as f64 / 1000.0
        };
        Report {
            requests: s.requests,
            succeeded: l.len() as u64,
            p50_ms: pct(50),
            p99_ms: pct(99),
            retries: s.retries.clone(),
        }
    }
}

/// The network as a client sees it: the node list the chain published.
pub type View = Arc<RwLock<Vec<ServiceNode>>>;

/// An account whose messages the devnet sends and fetches (a `03` account: its key signs
/// its own retrieves).
#[derive(Debug, Clone)]
pub struct Account {
    identity: Identity,
    /// The account id.
    pub id: AccountId,
}

impl Account {
    /// The account of `identity`.
    #[must_use]
    pub fn new(identity: Identity) -> Self {
        let id = AccountId::new(0x03, *identity.ed25519_public().as_bytes());
        Account { identity, id }
    }
}

/// A message read back from a swarm.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Fetched {
    /// Its hash.
    pub hash: String,
    /// Its base64 data.
    pub data: String,
}

/// Why one attempt failed.
#[derive(Debug)]
enum Attempt {
    /// The node answered with a status other than 200 (onion or destination level).
    Status(u16, String),
    /// No usable answer.
    Transport(&'static str),
}

impl Attempt {
    fn reason(&self) -> String {
        match self {
            Attempt::Status(421, _) => "421 swarm moved".to_string(),
            Attempt::Status(code, text) if text.starts_with("Next node not found") => {
                format!("{code} next node not found")
            }
            Attempt::Status(code, text) if text.starts_with("Next node is unreachable") => {
                format!("{code} next hop down")
            }
            Attempt::Status(code, _) => format!("{code}"),
            Attempt::Transport(why) => (*why).to_string(),
        }
    }
}

/// A client: a TLS configuration, the node list and the shared figures.
#[derive(Debug, Clone)]
pub struct Client {
    pool: Arc<wire::Pool>,
    view: View,
    stats: Arc<Stats>,
}

fn rng() -> rand_core::UnwrapErr<getrandom::SysRng> {
    rand_core::UnwrapErr(getrandom::SysRng)
}

fn pick<T: Copy>(items: &[T]) -> Option<T> {
    if items.is_empty() {
        return None;
    }
    let i = (rng().next_u64() % items.len() as u64) as usize;
    items.get(i).copied()
}

impl Client {
    /// A client sending through `pool`, reading the node list from `view`.
    #[must_use]
    pub fn new(pool: Arc<wire::Pool>, view: View, stats: Arc<Stats>) -> Self {
        Client { pool, view, stats }
    }

    fn nodes(&self) -> Vec<ServiceNode> {
        self.view
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// The members of `account`'s swarm in the client's view.
    fn swarm_of(&self, nodes: &[ServiceNode], account: &AccountId) -> Vec<ServiceNode> {
        let map = session_swarm::SwarmMap::from_service_nodes(nodes.iter().copied());
        let Some((_, members)) = map.members_for_space(session_swarm::swarm_space(account.key()))
        else {
            return Vec::new();
        };
        members.to_vec()
    }

    /// One onion request to `target` over a fresh 3-hop path: the destination's status and
    /// JSON body.
    async fn onion(
        &self,
        nodes: &[ServiceNode],
        target: &ServiceNode,
        body: &[u8],
    ) -> Result<Value, Attempt> {
        let mut others: Vec<ServiceNode> = nodes
            .iter()
            .filter(|n| n.ed25519 != target.ed25519)
            .copied()
            .collect();
        let mut path = Vec::with_capacity(PATH_LEN);
        for _ in 0..PATH_LEN {
            let Some(n) = pick(&others) else { break };
            others.retain(|o| o.ed25519 != n.ed25519);
            path.push(n);
        }
        let guard = *path.first().ok_or(Attempt::Transport("no path"))?;
        let onion = Builder::new(EncType::XChaCha20)
            .hops(path.iter().map(Hop::from))
            .build(&Destination::node(Hop::from(target)), body, &mut rng())
            .map_err(|_| Attempt::Transport("onion build failed"))?;
        self.stats.sent();
        let (status, reply) = self
            .pool
            .post(
                addr_of(&guard),
                "/onion_req/v2",
                onion.request().to_vec(),
                REQUEST_TIMEOUT,
            )
            .await
            .map_err(|f| Attempt::Transport(f.name()))?;
        if status != 200 {
            return Err(Attempt::Status(
                status,
                String::from_utf8_lossy(&reply).into_owned(),
            ));
        }
        let decoded = onion
            .reply_key()
            .decode_v3(&reply)
            .map_err(|_| Attempt::Transport("undecryptable reply"))?;
        let inner = match decoded.body {
            Some(Value::String(s)) => serde_json::from_str(&s).unwrap_or(Value::String(s)),
            Some(v) => v,
            None => Value::Null,
        };
        match decoded.status {
            Some(200) => Ok(inner),
            Some(code) => Err(Attempt::Status(code, inner.to_string())),
            None => Err(Attempt::Transport("reply without status")),
        }
    }

    /// Runs `body_for` against `account`'s swarm until a member answers 200, retrying on
    /// fresh paths. Returns the answer, or the reasons of the failed attempts.
    async fn with_retries(
        &self,
        account: &AccountId,
        avoid: &[ServiceNode],
        body_for: impl Fn() -> Vec<u8>,
    ) -> Result<(ServiceNode, Value), String> {
        let mut last = String::from("no attempt");
        let mut tried: Vec<ServiceNode> = avoid.to_vec();
        for attempt in 0..MAX_ATTEMPTS {
            if attempt > 0 {
                self.stats.retry(last.clone());
                let backoff = 50u64.saturating_mul(1 << attempt.min(5));
                tokio::time::sleep(Duration::from_millis(backoff)).await;
            }
            let nodes = self.nodes();
            let swarm = self.swarm_of(&nodes, account);
            let fresh: Vec<ServiceNode> = swarm
                .iter()
                .filter(|m| !tried.iter().any(|t| t.ed25519 == m.ed25519))
                .copied()
                .collect();
            let Some(target) = pick(&fresh).or_else(|| pick(&swarm)) else {
                last = "no swarm".to_string();
                continue;
            };
            tried.push(target);
            let started = Instant::now();
            match self.onion(&nodes, &target, &body_for()).await {
                Ok(v) => {
                    self.stats.ok(started.elapsed());
                    return Ok((target, v));
                }
                Err(e) => last = e.reason(),
            }
        }
        Err(last)
    }

    /// Stores `data` for `account` (namespace 0, one hour): the message hash once a swarm
    /// member acknowledged it.
    pub async fn store(&self, account: &AccountId, data: &[u8]) -> Result<String, String> {
        let data64 = encode_base64(data);
        let body_for = || {
            json!({"method": "store", "params": {
                "pubkey": account.to_string(),
                "timestamp": now().as_millis(),
                "ttl": 3_600_000,
                "data": data64,
            }})
            .to_string()
            .into_bytes()
        };
        let (_, reply) = self.with_retries(account, &[], body_for).await?;
        reply
            .get("hash")
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| "store reply without hash".to_string())
    }

    /// Every message of `account` (namespace 0) as one swarm member holds it, and that member.
    pub async fn fetch(
        &self,
        account: &Account,
        avoid: &[ServiceNode],
    ) -> Result<(ServiceNode, Vec<Fetched>), String> {
        let mut out = Vec::new();
        let mut last_hash = String::new();
        let mut from: Option<ServiceNode> = None;
        for _ in 0..MAX_PAGES {
            let lh = last_hash.clone();
            let body_for = || {
                let t = now();
                let sig = account
                    .identity
                    .sign(&session_storage::policy::payload::retrieve(Namespace(0), t));
                let mut params = json!({
                    "pubkey": account.id.to_string(),
                    "namespace": 0,
                    "timestamp": t.as_millis(),
                    "signature": encode_base64(&sig),
                });
                if !lh.is_empty()
                    && let Some(p) = params.as_object_mut()
                {
                    p.insert("last_hash".into(), json!(lh));
                }
                json!({"method": "retrieve", "params": params})
                    .to_string()
                    .into_bytes()
            };
            // Later pages come from the same member (hashes are per-node order).
            let avoid_now: Vec<ServiceNode> = match from {
                Some(f) => self
                    .swarm_of(&self.nodes(), &account.id)
                    .into_iter()
                    .filter(|m| m.ed25519 != f.ed25519)
                    .collect(),
                None => avoid.to_vec(),
            };
            let (member, reply) = self.with_retries(&account.id, &avoid_now, body_for).await?;
            if from.is_some_and(|f| f.ed25519 != member.ed25519) {
                return Err("the member serving the pages went away".to_string());
            }
            from = Some(member);
            let messages = reply
                .get("messages")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            for m in &messages {
                if let (Some(h), Some(d)) = (
                    m.get("hash").and_then(Value::as_str),
                    m.get("data").and_then(Value::as_str),
                ) {
                    out.push(Fetched {
                        hash: h.to_string(),
                        data: d.to_string(),
                    });
                }
            }
            let more = reply.get("more").and_then(Value::as_bool).unwrap_or(false);
            match (more, out.last()) {
                (true, Some(last)) => last_hash = last.hash.clone(),
                _ => break,
            }
        }
        from.map(|f| (f, out))
            .ok_or_else(|| "no member answered".to_string())
    }
}
