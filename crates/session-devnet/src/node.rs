//! One node process: `session_node::Node` on its own SQLite file behind HTTPS on 127.0.0.1.
//!
//! The storage server talks to its peers over OxenMQ; here the same messages travel as HTTPS
//! POSTs to devnet-only paths: `/devnet/onion` (an onion layer for the next hop),
//! `/devnet/storage_cc?method=M` (a request forwarded to a swarm peer), `/devnet/push` (a
//! replication batch) and `/devnet/nodes` (the chain driver's new node list).

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use session_core::{Ed25519PublicKey, Identity, ServiceNode, Timestamp};
use session_node::{Forward, ForwardId, Handled, Node, NodeConfig, PeerReply, Relay, Request};
use session_storage_sqlite::SqliteStore;
use tokio::io::AsyncReadExt;
use tokio::task::JoinSet;

use crate::wire::{self, CertFiles, HttpRequest};

/// How long an entry node waits for a swarm peer (the storage server's 5 seconds).
const PEER_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a hop waits for the next one.
const RELAY_TIMEOUT: Duration = Duration::from_secs(15);
/// How often a node sweeps (the storage server's 10 seconds).
const SWEEP_INTERVAL: Duration = Duration::from_secs(10);
/// Attempts per replication batch.
const PUSH_ATTEMPTS: u32 = 3;

/// What a node process needs to start.
#[derive(Debug, Clone)]
pub struct NodeArgs {
    /// The node's Ed25519 seed.
    pub seed: [u8; 32],
    /// Its SQLite file (reopened on restart).
    pub db: PathBuf,
    /// The devnet's certificate and key.
    pub cert: CertFiles,
    /// The port to listen on; 0 picks one.
    pub port: u16,
}

/// The current wall-clock time.
#[must_use]
pub fn now() -> Timestamp {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    Timestamp::from_millis(ms)
}

/// The address a node record points at.
#[must_use]
pub fn addr_of(node: &ServiceNode) -> SocketAddr {
    SocketAddr::from((node.ip, node.https_port))
}

/// A swarm peer's answer to a forwarded request.
enum Answer {
    Reply(Vec<u8>),
    Error(u16, Vec<u8>),
    Timeout,
}

struct Shared {
    node: Mutex<Node<SqliteStore>>,
    peers: Mutex<BTreeMap<Ed25519PublicKey, ServiceNode>>,
    pool: Arc<wire::Pool>,
}

fn rng() -> rand_core::UnwrapErr<getrandom::SysRng> {
    rand_core::UnwrapErr(getrandom::SysRng)
}

impl Shared {
    fn lock_node(&self) -> std::sync::MutexGuard<'_, Node<SqliteStore>> {
        // A panic while holding the lock leaves the node usable: its state is in SQLite.
        self.node
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn peer(&self, key: &Ed25519PublicKey) -> Option<ServiceNode> {
        self.peers
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(key)
            .copied()
    }

    /// Sends a request the node forwards to a swarm peer; the peer's answer, as the node takes
    /// it (a timeout when the peer does not answer within the storage server's 5 seconds).
    fn forward(&self, tasks: &mut JoinSet<(ForwardId, Answer)>, f: Forward) {
        let pool = Arc::clone(&self.pool);
        tasks.spawn(async move {
            let path = format!("/devnet/storage_cc?method={}", f.method);
            let answer = match pool.post(addr_of(&f.to), &path, f.body, PEER_TIMEOUT).await {
                Ok((200, body)) => Answer::Reply(body),
                Ok((code, body)) => Answer::Error(code, body),
                Err(_) => Answer::Timeout,
            };
            (f.id, answer)
        });
    }

    /// Carries out what the node asked for (forwards, a relay) and returns the response.
    async fn finish(&self, handled: Handled) -> (u16, Vec<u8>) {
        if let Some(relay) = handled.relay {
            return match relay {
                Relay::Node { to, message } => match self.peer(&to) {
                    None => (502, format!("Next node not found: {to}").into_bytes()),
                    Some(next) => {
                        match self
                            .pool
                            .post(addr_of(&next), "/devnet/onion", message, RELAY_TIMEOUT)
                            .await
                        {
                            Ok(r) => r,
                            Err(wire::Failure::Timeout) => (504, b"Request time out".to_vec()),
                            Err(_) => (502, format!("Next node is unreachable: {to}").into_bytes()),
                        }
                    }
                },
                Relay::Server { .. } => (502, b"the devnet has no external servers".to_vec()),
            };
        }
        // The node answers a request it forwarded to its swarm once every peer has answered,
        // as the storage server's entry node does: an acknowledged store is then on every
        // reachable member, and the reply lists each member's signed entry. A `sequence` may
        // forward again after each step.
        let mut tasks = JoinSet::new();
        let mut handled = handled;
        loop {
            for f in std::mem::take(&mut handled.forwards) {
                self.forward(&mut tasks, f);
            }
            if let Some(response) = handled.response {
                // Answered at once (the node had nothing to wait for, or too many replies
                // waiting): the peers still get their forwards.
                tasks.detach_all();
                return (response.status, response.body);
            }
            if handled.pending.is_none() {
                return (500, b"Internal error".to_vec());
            }
            let Some(Ok((id, answer))) = tasks.join_next().await else {
                return (500, b"Internal error".to_vec());
            };
            let reply = match &answer {
                Answer::Reply(body) => PeerReply::Reply(body),
                Answer::Error(code, body) => PeerReply::Error {
                    code: status_text(*code),
                    reason: std::str::from_utf8(body).unwrap_or(""),
                },
                Answer::Timeout => PeerReply::Timeout,
            };
            let next = self.lock_node().peer_answered(now(), &mut rng(), id, reply);
            handled = Handled {
                pending: handled.pending,
                ..next
            };
        }
    }

    async fn handle(self: Arc<Self>, req: HttpRequest) -> (u16, Vec<u8>) {
        let t = now();
        match (req.method.as_str(), req.path.as_str()) {
            ("POST", "/devnet/onion") => {
                let handled = self
                    .lock_node()
                    .handle_onion_forward(t, &mut rng(), &req.body);
                self.finish(handled).await
            }
            ("POST", "/devnet/storage_cc") => {
                let method = req
                    .query
                    .as_deref()
                    .and_then(|q| q.strip_prefix("method="))
                    .unwrap_or("");
                let (status, body, _) = self.lock_node().handle_peer_request(t, method, &req.body);
                (status, body)
            }
            ("POST", "/devnet/push") => match self.lock_node().receive_push(t, &req.body) {
                Ok(stats) => (200, format!("{}", stats.inserted).into_bytes()),
                Err(e) => (400, e.to_string().into_bytes()),
            },
            ("POST", "/devnet/nodes") => self.new_nodes(t, &req.body).await,
            (method, path) => {
                let request = Request {
                    method,
                    path,
                    headers: &[],
                    body: &req.body,
                };
                let handled = self.lock_node().handle_http(t, &mut rng(), &request);
                self.finish(handled).await
            }
        }
    }

    /// A block: the new node list, then the replication pushes it calls for.
    async fn new_nodes(&self, t: Timestamp, body: &[u8]) -> (u16, Vec<u8>) {
        let Ok(block) = serde_json::from_slice::<Block>(body) else {
            return (400, b"bad node list".to_vec());
        };
        let pushes = {
            let mut node = self.lock_node();
            node.set_chain_state(block.height, [19, 4]);
            node.new_swarm_map(t, block.nodes.iter().copied())
        };
        *self
            .peers
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) =
            block.nodes.iter().map(|n| (n.ed25519, *n)).collect();
        let pushes = match pushes {
            Ok(p) => p,
            Err(e) => return (500, e.to_string().into_bytes()),
        };
        let (mut sent, mut failed) = (0usize, 0usize);
        for peer in pushes {
            for batch in peer.batches {
                let mut ok = false;
                for _ in 0..PUSH_ATTEMPTS {
                    let r = self
                        .pool
                        .post(
                            addr_of(&peer.to),
                            "/devnet/push",
                            batch.clone(),
                            RELAY_TIMEOUT,
                        )
                        .await;
                    if matches!(r, Ok((200, _))) {
                        ok = true;
                        break;
                    }
                }
                if !ok {
                    failed += 1;
                }
            }
            sent += peer.messages;
        }
        let reply = serde_json::json!({"pushed": sent, "failed_batches": failed});
        (200, reply.to_string().into_bytes())
    }
}

fn status_text(code: u16) -> &'static str {
    match code {
        400 => "400",
        401 => "401",
        403 => "403",
        404 => "404",
        406 => "406",
        421 => "421",
        500 => "500",
        _ => "error",
    }
}

/// The chain driver's message to every node after a block.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Block {
    /// Block height.
    pub height: u64,
    /// The active nodes with their swarms.
    pub nodes: Vec<ServiceNode>,
}

/// Runs a node until its standard input closes (the devnet process ended) or it is killed.
/// Prints `listening <port>` once it accepts connections.
pub fn run(args: NodeArgs) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let identity = Identity::from_seed_bytes(&args.seed)?;
        let store = SqliteStore::open(&args.db)?;
        let node = Node::new(identity, store, [], NodeConfig::default());
        let shared = Arc::new(Shared {
            node: Mutex::new(node),
            peers: Mutex::new(BTreeMap::new()),
            pool: Arc::new(wire::Pool::new(wire::client_config(&args.cert.cert)?)),
        });
        let listener =
            tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, args.port)))
                .await?;
        let port = listener.local_addr()?.port();
        println!("listening {port}");
        // The storage server's cleanup timer: expired messages and subscriptions, and replies
        // whose waiting client went away before the peers answered.
        let sweeper = Arc::clone(&shared);
        tokio::spawn(async move {
            let mut every = tokio::time::interval(SWEEP_INTERVAL);
            loop {
                every.tick().await;
                let _ = sweeper.lock_node().sweep(now());
            }
        });
        let server = wire::serve(listener, wire::server_config(&args.cert)?, move |req| {
            Arc::clone(&shared).handle(req)
        });
        // The parent holds our standard input: end with it, so no node outlives a devnet.
        let orphaned = async {
            let mut stdin = tokio::io::stdin();
            let mut buf = [0u8; 64];
            while matches!(stdin.read(&mut buf).await, Ok(n) if n > 0) {}
        };
        tokio::select! {
            () = server => {}
            () = orphaned => {}
        }
        Ok(())
    })
}
