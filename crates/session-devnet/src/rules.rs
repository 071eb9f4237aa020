//! The clients' network rules: a [`session_client::Client`] (node pool from a seed node,
//! strikes, 3-hop paths per category, status handling, 421 redirects, clock offset) driven by
//! one task that carries out its actions over HTTPS and feeds the answers back.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use session_client::{Action, Category, Config, Destination, Reply, RequestId, Target, Token};
use session_core::encoding::decode_base64;
use session_core::{AccountId, Ed25519PublicKey, ServiceNode, SwarmId};
use session_onion::EncType;
use session_onion::client::{Builder, Hop};
use tokio::sync::{mpsc, oneshot};

use crate::client::Stats;
use crate::node::{addr_of, now};
use crate::wire::Pool;

/// Deadline of one onion request, guard to destination and back.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);
/// Nodes asked for an account's swarm before giving up.
const SWARM_LOOKUP_TRIES: usize = 3;
/// Deadline of a direct request (node list, time, swarm lookup).
const DIRECT_TIMEOUT: Duration = Duration::from_secs(10);

/// What a request ended with: the member that answered and its JSON, or why it failed.
pub(crate) type Outcome = Result<(ServiceNode, Value), String>;

enum Event {
    Request {
        destination: Destination,
        body: Vec<u8>,
        done: oneshot::Sender<Outcome>,
    },
    NodeList {
        token: Token,
        nodes: Option<Vec<ServiceNode>>,
    },
    Time {
        token: Token,
        t: Option<u64>,
    },
    Swarm {
        account: AccountId,
        members: Option<Vec<ServiceNode>>,
    },
    Reply {
        token: Token,
        status: u16,
        body: Vec<u8>,
        reason: String,
    },
    NoReply {
        token: Token,
        reason: &'static str,
    },
}

struct Pending {
    body: Vec<u8>,
    done: oneshot::Sender<Outcome>,
    target: Option<ServiceNode>,
    sent_at: Option<Instant>,
    sends: u32,
    last_body: Vec<u8>,
    last_reason: String,
}

/// A handle on one client's rules; requests go through [`Rules::request`].
#[derive(Debug, Clone)]
pub(crate) struct Rules {
    tx: mpsc::UnboundedSender<Event>,
}

impl std::fmt::Debug for Event {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Event")
    }
}

/// The devnet's configuration of the rules: libsession's, except that every node shares
/// 127.0.0.1 (no /24 diversity) and the network is small (a pool of 4 nodes is enough).
fn config() -> Config {
    let mut config = Config::default();
    config.subnet_diversity = false;
    config.cache_min_size = 4;
    config
}

impl Rules {
    /// Starts the driver task, bootstrapping from `seeds`.
    pub(crate) fn start(pool: Arc<Pool>, seeds: Vec<ServiceNode>, stats: Arc<Stats>) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        let driver = Driver {
            rules: session_client::Client::new(config(), seeds),
            rng: rand_core::UnwrapErr(getrandom::SysRng),
            pool,
            stats,
            tx: tx.downgrade(),
            pending: HashMap::new(),
            tokens: HashMap::new(),
            lookups: HashSet::new(),
        };
        tokio::spawn(driver.run(rx));
        Rules { tx }
    }

    /// Sends `body` to `destination` under the rules; the answer once delivered, or why not.
    pub(crate) async fn request(&self, destination: Destination, body: Vec<u8>) -> Outcome {
        let (done, answer) = oneshot::channel();
        self.tx
            .send(Event::Request {
                destination,
                body,
                done,
            })
            .map_err(|_| "client stopped".to_string())?;
        answer.await.map_err(|_| "client stopped".to_string())?
    }
}

struct Driver {
    rules: session_client::Client,
    rng: rand_core::UnwrapErr<getrandom::SysRng>,
    pool: Arc<Pool>,
    stats: Arc<Stats>,
    tx: mpsc::WeakUnboundedSender<Event>,
    pending: HashMap<RequestId, Pending>,
    tokens: HashMap<Token, RequestId>,
    lookups: HashSet<AccountId>,
}

fn node_from_json(v: &Value) -> Option<ServiceNode> {
    let key = |k: &str| -> Option<[u8; 32]> {
        let text = v.get(k)?.as_str()?;
        session_core::encoding::decode_hex_array::<32>(text, "key").ok()
    };
    Some(ServiceNode {
        ed25519: Ed25519PublicKey::from_bytes(key("pubkey_ed25519")?),
        x25519: session_core::X25519PublicKey::from_bytes(key("pubkey_x25519")?),
        ip: v.get("ip")?.as_str()?.parse().ok()?,
        https_port: u16::try_from(v.get("port_https")?.as_u64()?).ok()?,
        omq_port: u16::try_from(v.get("port_omq").and_then(Value::as_u64).unwrap_or(0)).ok()?,
        swarm_id: SwarmId::UNASSIGNED,
        version: None,
    })
}

fn parse_node_list(body: &[u8]) -> Option<Vec<ServiceNode>> {
    let blob = decode_base64(body, body.len()).ok()?;
    let nodes = session_core::decode_active_nodes(&blob).ok()?;
    nodes
        .into_iter()
        .map(|n| {
            Some(ServiceNode {
                ed25519: n.ed25519,
                x25519: session_core::identity::x25519_from_ed25519(&n.ed25519).ok()?,
                ip: n.ip,
                https_port: n.https_port,
                omq_port: n.quic_port,
                swarm_id: n.swarm_id,
                version: None,
            })
        })
        .collect()
}

impl Driver {
    async fn run(mut self, mut rx: mpsc::UnboundedReceiver<Event>) {
        loop {
            // Bounded: each poll hands out queued actions, finitely many per input.
            for _ in 0..10_000 {
                let Some(action) = self.rules.poll(now(), &mut self.rng) else {
                    break;
                };
                self.act(action);
            }
            let wait = self
                .rules
                .next_timeout()
                .map_or(Duration::from_millis(500), |t| {
                    Duration::from_millis(t.as_millis().saturating_sub(now().as_millis()))
                })
                .clamp(Duration::from_millis(5), Duration::from_millis(500));
            tokio::select! {
                event = rx.recv() => match event {
                    Some(e) => self.apply(e),
                    None => break,
                },
                () = tokio::time::sleep(wait) => {}
            }
        }
    }

    fn spawn(&self, task: impl Future<Output = Option<Event>> + Send + 'static) {
        let Some(tx) = self.tx.upgrade() else {
            return;
        };
        tokio::spawn(async move {
            if let Some(e) = task.await {
                let _ = tx.send(e);
            }
        });
    }

    fn act(&mut self, action: Action) {
        match action {
            Action::FetchNodeList { token, node, .. } => {
                let pool = Arc::clone(&self.pool);
                self.spawn(async move {
                    let body = br#"{"method":"active_nodes_bin","params":{}}"#.to_vec();
                    let r = pool
                        .post(addr_of(&node), "/storage_rpc/v1", body, DIRECT_TIMEOUT)
                        .await;
                    let nodes = match r {
                        Ok((200, b)) => parse_node_list(&b),
                        _ => None,
                    };
                    Some(Event::NodeList { token, nodes })
                });
            }
            Action::FetchTime { token, node } => {
                let pool = Arc::clone(&self.pool);
                self.spawn(async move {
                    let body = br#"{"method":"info","params":{}}"#.to_vec();
                    let r = pool
                        .post(addr_of(&node), "/storage_rpc/v1", body, DIRECT_TIMEOUT)
                        .await;
                    let t = match r {
                        Ok((200, b)) => serde_json::from_slice::<Value>(&b)
                            .ok()
                            .and_then(|v| v.get("t").and_then(Value::as_u64)),
                        _ => None,
                    };
                    Some(Event::Time { token, t })
                });
            }
            Action::NeedSwarm { account } => {
                if !self.lookups.insert(account) {
                    return;
                }
                let nodes = self.rules.pool().nodes().to_vec();
                let pool = Arc::clone(&self.pool);
                self.spawn(async move {
                    // Up to three pool nodes are asked: one may be down.
                    for _ in 0..SWARM_LOOKUP_TRIES {
                        let Some(ask) = crate::client::pick(&nodes) else {
                            break;
                        };
                        let body = json!({"method": "get_swarm", "params": {"pubkey": account.to_string()}})
                            .to_string()
                            .into_bytes();
                        let r = pool
                            .post(addr_of(&ask), "/storage_rpc/v1", body, DIRECT_TIMEOUT)
                            .await;
                        let members = match r {
                            Ok((200, b)) => serde_json::from_slice::<Value>(&b).ok().and_then(|v| {
                                v.get("snodes")?
                                    .as_array()?
                                    .iter()
                                    .map(node_from_json)
                                    .collect::<Option<Vec<_>>>()
                            }),
                            _ => None,
                        };
                        if members.as_ref().is_some_and(|m| !m.is_empty()) {
                            return Some(Event::Swarm { account, members });
                        }
                    }
                    Some(Event::Swarm {
                        account,
                        members: None,
                    })
                });
            }
            Action::Send {
                token,
                request,
                hops,
                target,
                ..
            } => {
                let Some(p) = self.pending.get_mut(&request) else {
                    return;
                };
                let Target::Node(target) = target else {
                    return;
                };
                self.tokens.insert(token, request);
                if p.sends > 0 {
                    self.stats.retry(p.last_reason.clone());
                }
                p.sends += 1;
                p.target = Some(target);
                p.sent_at = Some(Instant::now());
                self.stats.sent();
                let body = p.body.clone();
                let pool = Arc::clone(&self.pool);
                let onion = Builder::new(EncType::XChaCha20)
                    .hops(hops.iter().map(Hop::from))
                    .build(
                        &session_onion::client::Destination::node(Hop::from(&target)),
                        &body,
                        &mut self.rng,
                    );
                let guard = hops.first().copied();
                self.spawn(async move {
                    let (Ok(onion), Some(guard)) = (onion, guard) else {
                        return Some(Event::NoReply {
                            token,
                            reason: "no path",
                        });
                    };
                    let r = pool
                        .post(
                            addr_of(&guard),
                            "/onion_req/v2",
                            onion.request().to_vec(),
                            REQUEST_TIMEOUT,
                        )
                        .await;
                    Some(match r {
                        Err(f) => Event::NoReply {
                            token,
                            reason: f.name(),
                        },
                        Ok((200, reply)) => match onion.reply_key().decode_v3(&reply) {
                            Err(_) => Event::NoReply {
                                token,
                                reason: "undecryptable reply",
                            },
                            Ok(d) => {
                                let body = match d.body {
                                    Some(Value::String(s)) => s.into_bytes(),
                                    Some(v) => v.to_string().into_bytes(),
                                    None => Vec::new(),
                                };
                                let status = d.status.unwrap_or(0);
                                Event::Reply {
                                    token,
                                    status,
                                    reason: if status == 421 {
                                        "421 swarm moved".to_string()
                                    } else {
                                        format!("destination {status}")
                                    },
                                    body,
                                }
                            }
                        },
                        Ok((status, text)) => {
                            let t = String::from_utf8_lossy(&text);
                            let reason = if t.starts_with("Next node not found") {
                                format!("{status} next node not found")
                            } else if t.starts_with("Next node is unreachable") {
                                format!("{status} next hop down")
                            } else {
                                format!("{status}")
                            };
                            Event::Reply {
                                token,
                                status,
                                body: text,
                                reason,
                            }
                        }
                    })
                });
            }
            Action::Delivered { request, .. } => {
                if let Some(p) = self.pending.remove(&request) {
                    if let Some(at) = p.sent_at {
                        self.stats.ok(at.elapsed());
                    }
                    let value = serde_json::from_slice(&p.last_body).unwrap_or(Value::Null);
                    let outcome = p
                        .target
                        .map(|t| (t, value))
                        .ok_or_else(|| "delivered without a target".to_string());
                    let _ = p.done.send(outcome);
                }
            }
            Action::Failed { request, reason } => {
                if let Some(p) = self.pending.remove(&request) {
                    let why = if p.last_reason.is_empty() {
                        format!("{reason:?}")
                    } else {
                        p.last_reason
                    };
                    let _ = p.done.send(Err(why));
                }
            }
            // The devnet's nodes share the host's clock.
            _ => {}
        }
    }

    fn apply(&mut self, event: Event) {
        let t = now();
        match event {
            Event::Request {
                destination,
                body,
                done,
            } => {
                let id = self.rules.send(destination, Category::Standard);
                self.pending.insert(
                    id,
                    Pending {
                        body,
                        done,
                        target: None,
                        sent_at: None,
                        sends: 0,
                        last_body: Vec::new(),
                        last_reason: String::new(),
                    },
                );
            }
            Event::NodeList { token, nodes } => {
                self.rules.handle_node_list(token, nodes, t, &mut self.rng);
            }
            Event::Time { token, t: node_t } => self.rules.handle_time(token, node_t, t),
            Event::Swarm { account, members } => {
                self.lookups.remove(&account);
                self.rules.set_swarm(account, members.unwrap_or_default());
            }
            Event::Reply {
                token,
                status,
                body,
                reason,
            } => {
                if let Some(p) = self
                    .tokens
                    .remove(&token)
                    .and_then(|r| self.pending.get_mut(&r))
                {
                    p.last_body.clone_from(&body);
                    p.last_reason = reason;
                }
                self.rules.handle_reply(
                    token,
                    Reply::Status {
                        status,
                        body: &body,
                    },
                    t,
                    &mut self.rng,
                );
            }
            Event::NoReply { token, reason } => {
                if let Some(p) = self
                    .tokens
                    .remove(&token)
                    .and_then(|r| self.pending.get_mut(&r))
                {
                    p.last_reason = reason.to_string();
                }
                self.rules
                    .handle_reply(token, Reply::NoReply, t, &mut self.rng);
            }
        }
    }
}
