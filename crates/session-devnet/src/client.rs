//! Clients: stores and retrieves over 3-hop onion paths to a swarm member, under
//! session-client's rules (node pool bootstrapped from a seed node, paths, strikes, 421
//! redirects). A request the rules give up on is sent again after a pause, a bounded number of
//! times. Each retry is counted with its reason.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use rand_core::Rng;
use serde_json::{Value, json};
use session_client::Destination;
use session_core::encoding::encode_base64;
use session_core::{AccountId, Identity, Namespace, ServiceNode};

use crate::node::now;
use crate::rules::Rules;
use crate::wire;

/// Times a request is sent again after the rules gave up on it, plus one.
pub const MAX_ATTEMPTS: u32 = 10;
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

    pub(crate) fn sent(&self) {
        self.lock().requests += 1;
    }

    pub(crate) fn ok(&self, took: Duration) {
        let us = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
        self.lock().latencies_us.push(us);
    }

    pub(crate) fn retry(&self, reason: String) {
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

/// A client: its rules, the devnet's node list (for the verifier's choice of members) and
/// the shared figures.
#[derive(Debug, Clone)]
pub struct Client {
    rules: Rules,
    view: View,
    stats: Arc<Stats>,
}

fn rng() -> rand_core::UnwrapErr<getrandom::SysRng> {
    rand_core::UnwrapErr(getrandom::SysRng)
}

pub(crate) fn pick<T: Copy>(items: &[T]) -> Option<T> {
    if items.is_empty() {
        return None;
    }
    let i = (rng().next_u64() % items.len() as u64) as usize;
    items.get(i).copied()
}

impl Client {
    /// A client sending through `pool`, bootstrapping from the first node of `view` (its seed
    /// node). Must be called inside a tokio runtime: the rules run as a task.
    #[must_use]
    pub fn new(pool: Arc<wire::Pool>, view: View, stats: Arc<Stats>) -> Self {
        let seeds: Vec<ServiceNode> = view
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .first()
            .copied()
            .into_iter()
            .collect();
        let rules = Rules::start(pool, seeds, Arc::clone(&stats));
        Client { rules, view, stats }
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

    /// Runs one request under the rules until delivered, sending it again (a bounded number
    /// of times, with a pause) when the rules give up on it.
    async fn with_retries(
        &self,
        destination: Destination,
        body_for: impl Fn() -> Vec<u8>,
    ) -> Result<(ServiceNode, Value), String> {
        let mut last = String::from("no attempt");
        for attempt in 0..MAX_ATTEMPTS {
            if attempt > 0 {
                self.stats.retry(last.clone());
                let backoff = 50u64.saturating_mul(1 << attempt.min(5));
                tokio::time::sleep(Duration::from_millis(backoff)).await;
            }
            match self.rules.request(destination, body_for()).await {
                Ok(answer) => return Ok(answer),
                Err(why) => last = why,
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
        let (_, reply) = self
            .with_retries(Destination::Swarm(*account), body_for)
            .await?;
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
            // The first page from the swarm (or, when members are to be avoided, from another
            // member of the devnet's current swarm); later pages from the same member.
            let destination = match from {
                Some(f) => Destination::Node(f),
                None if avoid.is_empty() => Destination::Swarm(account.id),
                None => {
                    let others: Vec<ServiceNode> = self
                        .swarm_of(&self.nodes(), &account.id)
                        .into_iter()
                        .filter(|m| !avoid.iter().any(|a| a.ed25519 == m.ed25519))
                        .collect();
                    match pick(&others) {
                        Some(m) => Destination::Node(m),
                        None => return Err("no other member to ask".to_string()),
                    }
                }
            };
            let (member, reply) = self.with_retries(destination, body_for).await?;
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
