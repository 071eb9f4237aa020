//! The clients: Session accounts whose apps store and read messages the way the real apps do.
//! Each request is the JSON body a client sends, signed with the account's Ed25519 key where
//! the storage server asks for it, sent to a member of the account's swarm either directly or
//! inside an onion request over a three-node path. The apps cache each account's swarm
//! (`get_swarm`), follow a 421 "wrong swarm" answer to the swarm it names, and give up on a
//! message after [`MAX_ATTEMPTS`] requests.

use std::collections::{BTreeMap, HashMap};

use chacha20::ChaCha20Rng;
use rand_core::Rng;
use serde_json::{Map, Value, json};
use session_core::encoding::{decode_base64, encode_base64, encode_hex};
use session_core::{
    AccountId, Ed25519PublicKey, Ed25519Signature, Identity, MessageHash, Namespace, ServiceNode,
    Timestamp,
};
use session_onion::EncType;
use session_onion::client::{Builder, Destination, Hop, ReplyKey};
use session_storage::policy::payload;

use crate::net::{Addr, Envelope, Network, Packet};

/// Requests a client makes for one message (swarm look-ups included) before giving up.
pub const MAX_ATTEMPTS: u32 = 5;
/// Nodes on an onion path before the destination, as Session's apps use.
const PATH_HOPS: usize = 3;
/// Inbox messages live 14 days, longer than any run.
const TTL_MS: u64 = 14 * 24 * 3600 * 1000;
/// Pages of one retrieve a client follows.
const MAX_PAGES: u32 = 1000;
/// The namespace of an account's own (signed) configuration messages.
pub const CONFIG_NAMESPACE: i16 = 2;

/// A message a swarm acknowledged.
#[derive(Debug, Clone)]
pub(crate) struct Stored {
    pub(crate) account: usize,
    pub(crate) namespace: i16,
    pub(crate) hash: MessageHash,
    pub(crate) data: Vec<u8>,
}

/// What the clients did, over a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClientStats {
    /// Requests (stores and retrieves) sent straight to a swarm member.
    pub direct: u64,
    /// Requests (stores and retrieves) sent as onion requests.
    pub onion: u64,
    /// `get_swarm` look-ups.
    pub swarm_lookups: u64,
    /// 421 answers followed to the swarm they name.
    pub wrong_swarm: u64,
    /// Requests that failed otherwise (a node gone, a relay that could not reach the next).
    pub failed_requests: u64,
    /// Messages given up after [`MAX_ATTEMPTS`] requests.
    pub gave_up: u64,
    /// Swarm members' acknowledgements of stores: the entry node's (its signature checked)
    /// and those of the peers it forwarded the store to, which its reply (direct or onion)
    /// lists once they have answered.
    pub acks: u64,
    /// Acknowledgements missing, failed, or with a wrong hash or signature.
    pub bad_acks: u64,
}

/// A read of one account's namespace on one node.
pub(crate) type ReadKey = (usize, i16, Ed25519PublicKey);

struct Account {
    id: AccountId,
    identity: Option<Identity>,
    seed: [u8; 32],
}

struct StoreJob {
    account: usize,
    namespace: i16,
    data: Vec<u8>,
    hash: MessageHash,
    attempts: u32,
}

enum Pending {
    Lookup(StoreJob),
    Store {
        job: StoreJob,
        node: Ed25519PublicKey,
        onion: Option<ReplyKey>,
    },
    Retrieve {
        key: ReadKey,
        onion: Option<ReplyKey>,
        pages: u32,
    },
}

/// Every client of the network.
pub(crate) struct Clients {
    accounts: Vec<Account>,
    /// The node list the apps know (refreshed every block).
    nodes: Vec<ServiceNode>,
    by_key: HashMap<Ed25519PublicKey, ServiceNode>,
    swarms: HashMap<usize, Vec<Ed25519PublicKey>>,
    pending: HashMap<u64, Pending>,
    onion_pct: u64,
    /// Messages stored and acknowledged, in order.
    pub(crate) stored: Vec<Stored>,
    /// What each retrieve returned: (account, namespace, node) → hash and data of each message.
    pub(crate) retrieved: BTreeMap<ReadKey, Vec<(String, Vec<u8>)>>,
    pub(crate) stats: ClientStats,
}

fn pick<'a, T>(rng: &mut ChaCha20Rng, items: &'a [T]) -> Option<&'a T> {
    items.get((rng.next_u64() % items.len().max(1) as u64) as usize)
}

/// `value[key]`, or null.
fn field<'v>(value: &'v Value, key: &str) -> &'v Value {
    value.get(key).unwrap_or(&Value::Null)
}

/// The swarm members a `get_swarm` or 421 answer lists.
fn swarm_of(body: &Value) -> Vec<Ed25519PublicKey> {
    field(body, "snodes")
        .as_array()
        .map(|nodes| {
            nodes
                .iter()
                .filter_map(|n| field(n, "pubkey_ed25519").as_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

impl Clients {
    pub(crate) fn new(accounts: usize, onion_pct: u64, rng: &mut ChaCha20Rng) -> Self {
        let accounts = (0..accounts)
            .map(|_| {
                let mut seed = [0u8; 32];
                rng.fill_bytes(&mut seed);
                Account {
                    // Replaced by the real id when the account is first used.
                    id: AccountId::new(0x05, [0; 32]),
                    identity: None,
                    seed,
                }
            })
            .collect();
        Clients {
            accounts,
            nodes: Vec::new(),
            by_key: HashMap::new(),
            swarms: HashMap::new(),
            pending: HashMap::new(),
            onion_pct,
            stored: Vec::new(),
            retrieved: BTreeMap::new(),
            stats: ClientStats::default(),
        }
    }

    /// The number of accounts.
    pub(crate) fn accounts(&self) -> usize {
        self.accounts.len()
    }

    /// The Session ID of account `i` (its key generated when first used).
    pub(crate) fn account_id(&mut self, i: usize) -> Option<AccountId> {
        let account = self.accounts.get_mut(i)?;
        if account.identity.is_none() {
            let identity = Identity::from_seed_bytes(&account.seed).ok()?;
            account.id = AccountId::from(identity.session_id());
            account.identity = Some(identity);
        }
        Some(account.id)
    }

    /// The apps' new node list.
    pub(crate) fn set_nodes(&mut self, nodes: &[ServiceNode]) {
        self.nodes = nodes.to_vec();
        self.by_key = nodes.iter().map(|n| (n.ed25519, *n)).collect();
    }

    /// Account `account` stores `data`: someone's message to its inbox (namespace 0, no
    /// signature needed), or one of its own configuration messages (signed).
    pub(crate) fn store(
        &mut self,
        now: Timestamp,
        account: usize,
        namespace: i16,
        data: Vec<u8>,
        net: &mut Network,
        rng: &mut ChaCha20Rng,
    ) {
        let Some(id) = self.account_id(account) else {
            return;
        };
        let hash = MessageHash::compute(&id, Namespace(namespace), &data);
        let job = StoreJob {
            account,
            namespace,
            data,
            hash,
            attempts: 0,
        };
        self.send_store(now, job, net, rng);
    }

    fn send_store(
        &mut self,
        now: Timestamp,
        mut job: StoreJob,
        net: &mut Network,
        rng: &mut ChaCha20Rng,
    ) {
        if job.attempts >= MAX_ATTEMPTS {
            self.stats.gave_up += 1;
            return;
        }
        job.attempts += 1;
        let Some(account) = self.accounts.get(job.account) else {
            return;
        };
        let cached = self
            .swarms
            .get(&job.account)
            .and_then(|m| pick(rng, m))
            .copied();
        let Some(member) = cached.and_then(|k| self.by_key.get(&k)).copied() else {
            // Ask any node which swarm holds the account.
            let Some(node) = pick(rng, &self.nodes).copied() else {
                return;
            };
            let body = json!({"method": "get_swarm", "params": {"pubkey": account.id.to_string()}});
            self.stats.swarm_lookups += 1;
            let token = net.token();
            self.pending.insert(token, Pending::Lookup(job));
            let packet = Packet::Http {
                path: "/storage_rpc/v1",
                body: body.to_string().into_bytes(),
            };
            net.send(now, Addr::Client, Addr::Node(node.ed25519), token, packet);
            return;
        };
        let mut params = Map::new();
        params.insert("pubkey".into(), json!(account.id.to_string()));
        params.insert("namespace".into(), json!(job.namespace));
        params.insert("timestamp".into(), json!(now.as_millis()));
        params.insert("ttl".into(), json!(TTL_MS));
        params.insert("data".into(), json!(encode_base64(&job.data)));
        if job.namespace != 0
            && let Some(identity) = &account.identity
        {
            let signature = identity.sign(&payload::store(Namespace(job.namespace), now));
            let ed25519 = encode_hex(identity.ed25519_public().as_bytes());
            params.insert("sig_timestamp".into(), json!(now.as_millis()));
            params.insert("pubkey_ed25519".into(), json!(ed25519));
            params.insert("signature".into(), json!(encode_base64(&signature)));
        }
        let body = json!({"method": "store", "params": params}).to_string();
        let (token, onion) = self.send(now, &member, body.as_bytes(), net, rng);
        let node = member.ed25519;
        self.pending
            .insert(token, Pending::Store { job, node, onion });
    }

    /// Sends an RPC body to `to`, inside an onion request over a random path for
    /// `onion_pct` % of requests. Returns the token and the onion's reply key.
    fn send(
        &mut self,
        now: Timestamp,
        to: &ServiceNode,
        body: &[u8],
        net: &mut Network,
        rng: &mut ChaCha20Rng,
    ) -> (u64, Option<ReplyKey>) {
        let token = net.token();
        if rng.next_u64() % 100 < self.onion_pct
            && let Some((guard, onion)) = self.onion(to, body, rng)
        {
            self.stats.onion += 1;
            let (request, key) = onion.into_parts();
            let packet = Packet::Http {
                path: "/onion_req/v2",
                body: request,
            };
            net.send(now, Addr::Client, Addr::Node(guard), token, packet);
            return (token, Some(key));
        }
        self.stats.direct += 1;
        let packet = Packet::Http {
            path: "/storage_rpc/v1",
            body: body.to_vec(),
        };
        net.send(now, Addr::Client, Addr::Node(to.ed25519), token, packet);
        (token, None)
    }

    /// An onion request to `to` over three random other nodes; returns the guard's key.
    fn onion(
        &self,
        to: &ServiceNode,
        body: &[u8],
        rng: &mut ChaCha20Rng,
    ) -> Option<(Ed25519PublicKey, session_onion::client::Onion)> {
        let mut path: Vec<Hop> = Vec::with_capacity(PATH_HOPS);
        let mut keys = vec![to.ed25519];
        for _ in 0..PATH_HOPS * 8 {
            if path.len() == PATH_HOPS {
                break;
            }
            let node = pick(rng, &self.nodes)?;
            if !keys.contains(&node.ed25519) {
                keys.push(node.ed25519);
                path.push(Hop::from(node));
            }
        }
        if path.len() < PATH_HOPS {
            return None;
        }
        let guard = path.first()?.ed25519;
        let enc = if rng.next_u64().is_multiple_of(2) {
            EncType::AesGcm
        } else {
            EncType::XChaCha20
        };
        let onion = Builder::new(enc)
            .hops(path)
            .build(&Destination::node(Hop::from(to)), body, rng)
            .ok()?;
        Some((guard, onion))
    }

    /// Account `account` reads namespace `namespace` from node `member` (a signed retrieve,
    /// followed page after page).
    pub(crate) fn retrieve(
        &mut self,
        now: Timestamp,
        account: usize,
        namespace: i16,
        member: Ed25519PublicKey,
        net: &mut Network,
        rng: &mut ChaCha20Rng,
    ) {
        self.retrieve_page(now, (account, namespace, member), None, 1, net, rng);
    }

    fn retrieve_page(
        &mut self,
        now: Timestamp,
        key: ReadKey,
        last_hash: Option<String>,
        pages: u32,
        net: &mut Network,
        rng: &mut ChaCha20Rng,
    ) {
        let (account, namespace, member) = key;
        let Some(Account {
            id,
            identity: Some(identity),
            ..
        }) = self.accounts.get(account)
        else {
            return;
        };
        let Some(member) = self.by_key.get(&member).copied() else {
            self.stats.failed_requests += 1;
            return;
        };
        let signature = identity.sign(&payload::retrieve(Namespace(namespace), now));
        let mut params = Map::new();
        params.insert("pubkey".into(), json!(id.to_string()));
        params.insert("namespace".into(), json!(namespace));
        params.insert("timestamp".into(), json!(now.as_millis()));
        let ed25519 = encode_hex(identity.ed25519_public().as_bytes());
        params.insert("pubkey_ed25519".into(), json!(ed25519));
        params.insert("signature".into(), json!(encode_base64(&signature)));
        if let Some(last) = last_hash {
            params.insert("last_hash".into(), json!(last));
        }
        let body = json!({"method": "retrieve", "params": params}).to_string();
        let (token, onion) = self.send(now, &member, body.as_bytes(), net, rng);
        self.pending
            .insert(token, Pending::Retrieve { key, onion, pages });
    }

    /// An answer (or a bounce) arrived for a client request.
    pub(crate) fn deliver(&mut self, env: Envelope, net: &mut Network, rng: &mut ChaCha20Rng) {
        let Some(pending) = self.pending.remove(&env.token) else {
            return;
        };
        let now = env.at;
        let (status, body) = match env.packet {
            Packet::Answer { status, body } => (status, body),
            _ => (0, Vec::new()),
        };
        match pending {
            Pending::Lookup(job) => {
                let members = match status {
                    200 => serde_json::from_slice(&body).map_or(Vec::new(), |v| swarm_of(&v)),
                    _ => Vec::new(),
                };
                if members.is_empty() {
                    self.stats.failed_requests += 1;
                } else {
                    self.swarms.insert(job.account, members);
                }
                self.send_store(now, job, net, rng);
            }
            Pending::Store { job, node, onion } => {
                let (status, json) = open(status, &body, onion.as_ref());
                match status {
                    200 => {
                        self.acknowledge(&job, node, &json);
                        self.stored.push(Stored {
                            account: job.account,
                            namespace: job.namespace,
                            hash: job.hash,
                            data: job.data,
                        });
                    }
                    421 => {
                        self.stats.wrong_swarm += 1;
                        self.swarms.insert(job.account, swarm_of(&json));
                        self.send_store(now, job, net, rng);
                    }
                    _ => {
                        self.stats.failed_requests += 1;
                        self.swarms.remove(&job.account);
                        self.send_store(now, job, net, rng);
                    }
                }
            }
            Pending::Retrieve { key, onion, pages } => {
                let (status, json) = open(status, &body, onion.as_ref());
                if status != 200 {
                    self.stats.failed_requests += 1;
                    return;
                }
                let page: Vec<(String, Vec<u8>)> =
                    field(&json, "messages")
                        .as_array()
                        .map_or(Vec::new(), |list| {
                            list.iter()
                                .filter_map(|m| {
                                    let hash = field(m, "hash").as_str()?.to_owned();
                                    let data = decode_base64(
                                        field(m, "data").as_str()?.as_bytes(),
                                        1 << 20,
                                    );
                                    Some((hash, data.ok()?))
                                })
                                .collect()
                        });
                let last = page.last().map(|(h, _)| h.clone());
                self.retrieved.entry(key).or_default().extend(page);
                if field(&json, "more").as_bool() == Some(true)
                    && let Some(last) = last
                    && pages < MAX_PAGES
                {
                    self.retrieve_page(now, key, Some(last), pages + 1, net, rng);
                }
            }
        }
    }

    /// Checks a store's answer: the hash, the entry node's signature of it, and the peers'
    /// entries the entry node collected (each must name the same hash).
    fn acknowledge(&mut self, job: &StoreJob, entry: Ed25519PublicKey, json: &Value) {
        let hash = job.hash.to_string();
        let Some(swarm) = field(json, "swarm").as_object() else {
            self.stats.bad_acks += 1;
            return;
        };
        if field(json, "hash").as_str() != Some(hash.as_str()) {
            self.stats.bad_acks += 1;
        }
        let mine = swarm.get(&entry.to_string()).unwrap_or(&Value::Null);
        let signature = field(mine, "signature")
            .as_str()
            .and_then(|s| decode_base64(s.as_bytes(), 64).ok())
            .and_then(|s| <[u8; 64]>::try_from(s).ok())
            .map(Ed25519Signature::from_bytes);
        if signature.is_none_or(|s| entry.verify(hash.as_bytes(), &s).is_err()) {
            self.stats.bad_acks += 1;
        }
        for peer in swarm.values() {
            if field(peer, "hash").as_str() == Some(hash.as_str()) {
                self.stats.acks += 1;
            } else {
                self.stats.bad_acks += 1;
            }
        }
    }
}

/// The status and JSON body of an answer: decrypted for an onion request (a relay's error
/// is plain text and not decrypted).
fn open(status: u16, body: &[u8], onion: Option<&ReplyKey>) -> (u16, Value) {
    match onion {
        Some(key) if status == 200 => match key.decode_v3(body) {
            Ok(reply) => {
                let json = match reply.body {
                    Some(Value::String(s)) => serde_json::from_str(&s).unwrap_or(Value::Null),
                    Some(v) => v,
                    None => Value::Null,
                };
                (reply.status.unwrap_or(0), json)
            }
            Err(_) => (0, Value::Null),
        },
        _ => (status, serde_json::from_slice(body).unwrap_or(Value::Null)),
    }
}
