//! The node: a storage backend, the node's keys and its view of the network, driven by
//! requests, time and randomness the caller passes in.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec::Vec;

use rand_core::CryptoRng;
use serde_json::Value as Json;
use session_core::encoding::{encode_base64, encode_hex};
use session_core::{
    AccountId, ActiveNode, Ed25519PublicKey, Identity, MessageHash, Network, ServiceNode, SwarmId,
    Timestamp, encode_active_nodes,
};
use session_onion::NodeKey;
use session_onion::node::Route;
use session_storage::policy::{
    AccountWideRequest, Auth, DeleteRequest, ExpireRequest, GetExpiriesRequest, Lifetime,
    NamespaceArg, RetrieveRequest, RevokeRequest, RevokedSubaccountsRequest, StoreRequest,
    Verifier, response,
};
use session_storage::{
    Binary, NamespaceSelector, Operation, StorageBackend, StoreOutcome, SubaccountToken,
    sort_by_hash_text,
};

use crate::http::{Request, Response};
use crate::monitor::{Monitors, Notification};
use crate::ons::OnsRecords;
use crate::params::{NsArg, Params};
use crate::reply::{Body, Reply, rejection};
use crate::request::{self, AccountWide, AuthFields, Condition, METHODS, Rpc};
use crate::value::Value;
use crate::view::NetworkView;

mod pending;

use pending::{Answer, Pending};
pub use pending::{ForwardId, PEER_TIMEOUT_MS, PendingId};

/// What a node says about itself in replies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeConfig {
    /// The network the node serves (unprefixed pubkeys are accepted off mainnet).
    pub network: Network,
    /// The network's hard fork, `[major, minor]` (the `hf` field of replies).
    pub hardfork: [u16; 2],
    /// The storage-server version the node announces (`info`, `ifelse`).
    pub version: [u16; 3],
    /// The current chain height (`ifelse`; ONS records expiring below it no longer resolve).
    pub height: u64,
    /// Whether the entry node of a request it forwards to its swarm peers answers once they
    /// have (true, the storage server's behaviour), or at once with its own entry only
    /// (false, for runtimes that do not pass peers' answers back; see
    /// [`with_peer_replies`](crate::with_peer_replies)).
    pub wait_for_peers: bool,
    /// At most this many replies wait for peers at once; a request that comes while as many
    /// wait is answered at once, as with `wait_for_peers` off. Each waiting reply keeps its
    /// request, the reply so far and the peers' answers.
    pub max_pending_replies: usize,
}

impl Default for NodeConfig {
    fn default() -> Self {
        NodeConfig {
            network: Network::Mainnet,
            hardfork: [19, 4],
            version: [2, 10, 0],
            height: 0,
            wait_for_peers: true,
            max_pending_replies: 1024,
        }
    }
}

/// A request to pass to a swarm peer: the storage server runs `store`, the deletes, the
/// expiry updates and the (un)revokes on every member, the entry node forwarding the
/// client's request (bencoded) as `sn.storage_cc` with the method name. Sub-requests of a
/// `batch`, `sequence` or `ifelse` are forwarded one by one, in order.
///
/// The peer's answer (or its timeout) goes back to [`Node::peer_answered`] with `id`; a
/// runtime that runs its node without waiting for peers
/// ([`NodeConfig::wait_for_peers`] off) may instead pass the answers to
/// [`with_peer_replies`](crate::with_peer_replies), each peer's in the order of its forwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forward {
    /// The peer.
    pub to: ServiceNode,
    /// The method (`store`, `delete`, ...).
    pub method: &'static str,
    /// The bencoded request; the peer passes it to [`Node::handle_peer_request`].
    pub body: Vec<u8>,
    /// What the answer is for.
    pub id: ForwardId,
}

/// An onion request this node relays rather than answers: the reply of the next node (or
/// server) goes back to the client unchanged, status and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Relay {
    /// Send `message` to the service node `to` (`sn.onion_request`).
    Node {
        /// The next hop.
        to: Ed25519PublicKey,
        /// The bencoded forward message.
        message: Vec<u8>,
    },
    /// POST `payload` to `protocol://host:port/target`.
    Server {
        /// `http` or `https`.
        protocol: String,
        /// Host.
        host: String,
        /// Port.
        port: u16,
        /// Path.
        target: String,
        /// The body to POST.
        payload: Vec<u8>,
    },
}

/// Everything one input produced.
///
/// A request the node answers at once has its `response` (or its `relay`). A request whose
/// reply waits for swarm peers has `pending` and no response yet: the runtime sends the
/// `forwards`, passes each answer to [`Node::peer_answered`] (and calls
/// [`Node::handle_timeouts`] at [`Node::next_timeout`]), and the [`Handled`] that finishes
/// the reply carries the same `pending` id and the response for the waiting client.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Handled {
    /// The HTTP response to write back, unless the request is relayed or still waits.
    pub response: Option<Response>,
    /// The reply this is about, when it waits (or waited) for swarm peers.
    pub pending: Option<PendingId>,
    /// An onion request to pass on; its answer is the response.
    pub relay: Option<Relay>,
    /// Requests for swarm peers, in the order the node ran them.
    pub forwards: Vec<Forward>,
    /// Messages for `monitor.messages` subscribers.
    pub notifications: Vec<Notification>,
}

struct Effects {
    forwards: Vec<Forward>,
    notifications: Vec<Notification>,
    /// The reply the forwards belong to.
    pending: PendingId,
    /// The forwarded request being run: its place among the reply's forwarded requests.
    slot: u32,
    /// Whether the reply waits for the peers' answers.
    wait: bool,
}

impl Effects {
    fn new(pending: PendingId, wait: bool) -> Self {
        Effects {
            forwards: Vec::new(),
            notifications: Vec::new(),
            pending,
            slot: 0,
            wait,
        }
    }

    fn into_handled(self, pending: Option<PendingId>, response: Option<Response>) -> Handled {
        Handled {
            response,
            pending,
            relay: None,
            forwards: self.forwards,
            notifications: self.notifications,
        }
    }
}

#[derive(Clone, Copy)]
struct Ctx {
    /// Binary reply fields as base64 (JSON requests) or raw (bencoded ones).
    b64: bool,
    /// Whether this node is the entry node (forwards to its peers) or a forwarded-to peer.
    recurse: bool,
}

/// The storage server's application as a state machine.
pub struct Node<B> {
    identity: Identity,
    onion: NodeKey,
    backend: B,
    network: Arc<NetworkView>,
    config: NodeConfig,
    monitors: Monitors,
    ons: OnsRecords,
    /// Replies waiting for swarm peers.
    pending: BTreeMap<PendingId, Pending>,
    next_pending: u64,
}

impl<B> core::fmt::Debug for Node<B> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Node")
            .field("ed25519", &self.identity.ed25519_public())
            .field("nodes", &self.network.len())
            .field("pending_replies", &self.pending.len())
            .finish_non_exhaustive()
    }
}

fn to_auth(a: &AuthFields) -> Auth<'_> {
    let mut auth = Auth::signature(Binary::Raw(&a.signature));
    if let Some(ed) = &a.pubkey_ed25519 {
        auth = auth.with_ed25519(Binary::Raw(ed));
    }
    if let Some((token, sig)) = &a.subaccount {
        auth = auth.with_subaccount(Binary::Raw(token), Binary::Raw(sig));
    }
    auth
}

fn ns_arg(ns: NsArg) -> NamespaceArg<'static> {
    match ns {
        NsArg::One(n) => NamespaceArg::Int(i64::from(n)),
        NsArg::All => NamespaceArg::Text("all"),
    }
}

/// z-base-32, as the storage server names nodes (`<key>.snode`).
fn base32z(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ybndrfg8ejkmcpqxot1uwisza345h769";
    let mut out = String::with_capacity(bytes.len().saturating_mul(8).div_ceil(5));
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            let i = ((acc >> bits) & 31) as usize;
            out.push(char::from(ALPHABET.get(i).copied().unwrap_or(b'y')));
        }
    }
    if bits > 0 {
        let i = ((acc << (5 - bits)) & 31) as usize;
        out.push(char::from(ALPHABET.get(i).copied().unwrap_or(b'y')));
    }
    out
}

fn sig_value(sig: [u8; 64], b64: bool) -> Value {
    if b64 {
        Value::Str(encode_base64(&sig))
    } else {
        Value::Bytes(sig.to_vec())
    }
}

fn hash_strings(hashes: &[MessageHash]) -> Vec<Value> {
    hashes.iter().map(|h| Value::Str(h.to_string())).collect()
}

impl<B: StorageBackend> Node<B> {
    /// A node with `identity` (its Ed25519 key; the X25519 key onion requests are encrypted
    /// to is derived from it, as oxend derives it), `backend`, and the network's active nodes
    /// (whose swarm ids make the swarm map; this node finds its own swarm there).
    pub fn new(
        identity: Identity,
        backend: B,
        nodes: impl IntoIterator<Item = ServiceNode>,
        config: NodeConfig,
    ) -> Self {
        let network = Arc::new(NetworkView::from_nodes(nodes));
        Self::with_network(identity, backend, network, config)
    }

    /// [`Node::new`] with a view of the network that other nodes may share: a runtime
    /// hosting many nodes builds one [`NetworkView`] per block for all of them.
    pub fn with_network(
        identity: Identity,
        backend: B,
        network: Arc<NetworkView>,
        config: NodeConfig,
    ) -> Self {
        let onion = NodeKey::from_secret(identity.x25519_secret().clone());
        let mut node = Node {
            identity,
            onion,
            backend,
            network,
            config,
            monitors: Monitors::default(),
            ons: OnsRecords::new(),
            pending: BTreeMap::new(),
            next_pending: 0,
        };
        // Each node numbers its replies from its own key: ids handed to the wrong node
        // (a runtime bug) then find nothing rather than another request's reply.
        let key = node.identity.ed25519_public();
        let mut start = [0u8; 8];
        start.copy_from_slice(key.as_bytes().get(..8).unwrap_or(&[0; 8]));
        node.next_pending = u64::from_le_bytes(start);
        node
    }

    /// The node's view of the network.
    #[must_use]
    pub fn network(&self) -> &Arc<NetworkView> {
        &self.network
    }

    /// The storage backend.
    pub fn backend(&self) -> &B {
        &self.backend
    }

    /// The storage backend, mutably (sweeps, statistics).
    pub fn backend_mut(&mut self) -> &mut B {
        &mut self.backend
    }

    /// The node's Ed25519 key.
    #[must_use]
    pub fn ed25519(&self) -> Ed25519PublicKey {
        self.identity.ed25519_public()
    }

    /// The node's swarm, if it is in one.
    #[must_use]
    pub fn swarm_id(&self) -> Option<SwarmId> {
        self.network.swarm_of(&self.identity.ed25519_public())
    }

    /// The node's configuration.
    #[must_use]
    pub fn config(&self) -> &NodeConfig {
        &self.config
    }

    /// Replaces the ONS records `oxend_request` / `ons_resolve` answers from (the node has
    /// none at first, and so resolves no name).
    pub fn set_ons_records(&mut self, records: OnsRecords) {
        self.ons = records;
    }

    /// The ONS records `ons_resolve` answers from.
    #[must_use]
    pub fn ons_records(&self) -> &OnsRecords {
        &self.ons
    }

    /// The ONS records, to add or remove some.
    pub fn ons_records_mut(&mut self) -> &mut OnsRecords {
        &mut self.ons
    }

    /// Updates the block height and hard fork reported in replies.
    pub fn set_chain_state(&mut self, height: u64, hardfork: [u16; 2]) {
        self.config.height = height;
        self.config.hardfork = hardfork;
    }

    fn hf_value(&self) -> Value {
        Value::List(alloc::vec![
            Value::from(self.config.hardfork[0]),
            Value::from(self.config.hardfork[1]),
        ])
    }

    /// The storage server's version as a list of three numbers (`info`'s `version`, `ifelse`'s
    /// `v`).
    fn version_value(&self) -> Value {
        Value::List(
            self.config
                .version
                .iter()
                .map(|&c| Value::from(c))
                .collect(),
        )
    }

    fn misc(&self, mut v: Value, now: Timestamp) -> Value {
        v.set("t", now.as_millis());
        v.set("hf", self.hf_value());
        v
    }

    fn is_for_us(&self, account: &AccountId) -> bool {
        match (
            self.swarm_id(),
            self.network.swarms().owner_of_key(account.key()),
        ) {
            (Some(mine), Some(owner)) => mine == owner,
            _ => false,
        }
    }

    fn swarm_json(&self, account: &AccountId) -> Value {
        let Some((id, members)) = self
            .network
            .swarms()
            .members_for_space(session_swarm::swarm_space(account.key()))
        else {
            return Value::dict()
                .with("snodes", Value::List(Vec::new()))
                .with("swarm", format!("{:x}", u64::MAX));
        };
        let mut snodes = Vec::new();
        for key in members {
            let Some(n) = self.network.node(key) else {
                continue;
            };
            snodes.push(
                Value::dict()
                    .with(
                        "address",
                        format!("{}.snode", base32z(n.ed25519.as_bytes())),
                    )
                    .with("pubkey_legacy", n.ed25519.to_string())
                    .with("pubkey_x25519", n.x25519.to_string())
                    .with("pubkey_ed25519", n.ed25519.to_string())
                    .with("port", n.https_port.to_string())
                    .with("port_https", n.https_port)
                    .with("port_omq", n.omq_port)
                    .with("port_quic", n.omq_port)
                    .with("ip", n.ip.to_string()),
            );
        }
        Value::dict()
            .with("snodes", Value::List(snodes))
            .with("swarm", format!("{:x}", id.0))
    }

    fn wrong_swarm(&self, account: &AccountId, now: Timestamp) -> Reply {
        Reply::json(421, self.misc(self.swarm_json(account), now))
    }

    fn peers(&self) -> Vec<ServiceNode> {
        let me = self.identity.ed25519_public();
        self.swarm_id()
            .and_then(|id| self.network.swarms().members(id))
            .unwrap_or(&[])
            .iter()
            .filter(|k| **k != me)
            .filter_map(|k| self.network.node(k).copied())
            .collect()
    }

    fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.identity.sign(message)
    }

    /// Handles one HTTPS request to the storage server's endpoints. A request forwarded to
    /// swarm peers may leave its reply waiting for them (see [`Handled`]).
    pub fn handle_http<R: CryptoRng + ?Sized>(
        &mut self,
        now: Timestamp,
        rng: &mut R,
        request: &Request<'_>,
    ) -> Handled {
        match (request.method, request.path) {
            ("POST", "/storage_rpc/v1") => {
                if request
                    .headers
                    .iter()
                    .any(|(k, v)| k.eq_ignore_ascii_case("x-loki-long-poll") && !v.is_empty())
                {
                    return Handled {
                        response: Some(Response::text(
                            410,
                            "long polling is no longer supported, client upgrade required",
                        )),
                        ..Handled::default()
                    };
                }
                match self.client_json(request.body) {
                    Ok((rpc, ctx)) => self.execute(now, rng, rpc, ctx, Answer::Http),
                    Err(reply) => Handled {
                        response: Some(http_response(reply)),
                        ..Handled::default()
                    },
                }
            }
            ("POST", "/onion_req/v2") => self.onion(now, rng, request.body),
            ("POST", "/ping_test/v1") => {
                let mut r = Response::text(200, "");
                r.headers.push((
                    String::from("X-Oxen-Snode-Pubkey"),
                    encode_base64(self.identity.ed25519_public().as_bytes()),
                ));
                Handled {
                    response: Some(r),
                    ..Handled::default()
                }
            }
            ("GET", "/get_stats/v1") => {
                let [a, b, c] = self.config.version;
                let v = Value::dict().with("version", format!("{a}.{b}.{c}"));
                Handled {
                    response: Some(Response::json(200, &v)),
                    ..Handled::default()
                }
            }
            (method, path) => Handled {
                response: Some(Response::text(404, &format!("{method} {path} Not Found"))),
                ..Handled::default()
            },
        }
    }

    /// A `/storage_rpc/v1` body, `{"method": ..., "params": {...}}`, as the request to run or
    /// the error to answer.
    fn client_json(&self, body: &[u8]) -> Result<(Rpc, Ctx), Reply> {
        let Ok(Json::Object(obj)) = serde_json::from_slice::<Json>(body) else {
            return Err(Reply::text(400, "invalid json"));
        };
        let Some(Json::String(method)) = obj.get("method") else {
            return Err(Reply::text(400, "invalid json: no `method` field"));
        };
        let Some(Json::Object(params)) = obj.get("params") else {
            return Err(Reply::text(400, "invalid json: no `params` field"));
        };
        self.parse_client(method, &Params::Json(params))
    }

    /// A client's request to run as the entry node.
    fn parse_client(&self, method: &str, params: &Params<'_>) -> Result<(Rpc, Ctx), Reply> {
        if !METHODS.contains(&method) {
            return Err(Reply::text(400, format!("no method {method}")));
        }
        let rpc = request::parse_method(method, params, self.config.network, 0)
            .map_err(|e| Reply::text(400, format!("invalid request: {}", e.0)))?;
        let ctx = Ctx {
            b64: params.is_json(),
            recurse: true,
        };
        Ok((rpc, ctx))
    }

    /// Handles a client request that arrived over OxenMQ or QUIC (`storage.<method>`): the
    /// params as a bencoded dict (binary fields raw, and so in the reply) or as JSON. A JSON
    /// result is answered in the request's encoding; text bodies (errors) as they are. A
    /// request forwarded to swarm peers may leave its reply waiting for them (see
    /// [`Handled`]).
    pub fn handle_omq_request<R: CryptoRng + ?Sized>(
        &mut self,
        now: Timestamp,
        rng: &mut R,
        method: &str,
        params: &[u8],
    ) -> Handled {
        let params = if params.is_empty() {
            &b"{}"[..]
        } else {
            params
        };
        let bencoded = params.first() == Some(&b'd');
        let parsed = if bencoded {
            match session_core::bencode::decode_lenient(params) {
                Ok(session_core::bencode::Value::Dict(d)) => {
                    self.parse_client(method, &Params::Bt(&d))
                }
                _ => Err(Reply::text(400, "invalid body: expected json or bt_dict")),
            }
        } else {
            match serde_json::from_slice::<Json>(params) {
                Ok(Json::Object(m)) => self.parse_client(method, &Params::Json(&m)),
                _ => Err(Reply::text(400, "invalid body: expected json or bt_dict")),
            }
        };
        let answer = Answer::Omq { bencoded };
        match parsed {
            Ok((rpc, ctx)) => self.execute(now, rng, rpc, ctx, answer),
            Err(reply) => Handled {
                response: Some(answer.encode(reply, rng)),
                ..Handled::default()
            },
        }
    }

    /// Handles a request a swarm peer forwarded (`sn.storage_cc`): `method` and its bencoded
    /// params. Answers the status and, for a JSON result, its bencoded form.
    pub fn handle_peer_request(
        &mut self,
        now: Timestamp,
        method: &str,
        body: &[u8],
    ) -> (u16, Vec<u8>, Vec<Notification>) {
        // A forwarded request is run here only: nothing waits, nothing is forwarded again.
        let mut fx = Effects::new(PendingId::NONE, false);
        let reply = match session_core::bencode::decode_lenient(body) {
            Ok(session_core::bencode::Value::Dict(d)) => {
                let params = Params::Bt(&d);
                match request::parse_method(method, &params, self.config.network, 0) {
                    Ok(rpc) if rpc.recursive_name().is_some() => self.run(
                        now,
                        rpc,
                        Ctx {
                            b64: false,
                            recurse: false,
                        },
                        &mut fx,
                    ),
                    Ok(_) => Reply::text(
                        400,
                        "invalid request: received invalid forwarded non-forwardable request",
                    ),
                    Err(e) => Reply::text(400, format!("invalid request: {}", e.0)),
                }
            }
            _ => Reply::text(400, "invalid body: expected json or bt_dict"),
        };
        let bytes = match reply.body {
            Body::Json(v) => v.to_bencode(),
            Body::Text(t) => t.into_bytes(),
            Body::Bytes(b) => b,
        };
        (reply.status, bytes, fx.notifications)
    }

    fn onion<R: CryptoRng + ?Sized>(
        &mut self,
        now: Timestamp,
        rng: &mut R,
        body: &[u8],
    ) -> Handled {
        let opened = self
            .onion
            .open_request(body, &session_onion::OpenOptions::default());
        self.answer_onion(now, rng, opened)
    }

    /// Handles an onion layer forwarded by the previous hop (`sn.onion_request`, the
    /// bencoded forward message). The response goes back to that hop.
    pub fn handle_onion_forward<R: CryptoRng + ?Sized>(
        &mut self,
        now: Timestamp,
        rng: &mut R,
        message: &[u8],
    ) -> Handled {
        let opened = self
            .onion
            .open_forward(message, &session_onion::OpenOptions::default());
        self.answer_onion(now, rng, opened)
    }

    fn answer_onion<R: CryptoRng + ?Sized>(
        &mut self,
        now: Timestamp,
        rng: &mut R,
        opened: Result<session_onion::node::OpenedRequest, session_onion::NodeError>,
    ) -> Handled {
        let fail = |status: u16, text: String| Handled {
            response: Some(Response::text(status, &text)),
            ..Handled::default()
        };
        let opened = match opened {
            Ok(o) => o,
            Err(e) => {
                let r = session_onion::node::error_response(&e);
                return fail(r.status, r.body);
            }
        };
        let route = match session_onion::node::route(opened.payload()) {
            Ok(r) => r,
            Err(e) => {
                return match opened.error_reply(&e, rng) {
                    Ok(r) => Handled {
                        response: Some(Response::binary(r.status, r.body)),
                        ..Handled::default()
                    },
                    Err(_) => fail(500, String::from("Internal error")),
                };
            }
        };
        match route {
            Route::Destination(dest) => {
                // The reply is encrypted once it is complete: after the swarm's answers, when
                // the request was forwarded to the node's peers.
                let parsed = self.client_json(dest.body);
                let (json, base64) = (dest.json, dest.base64);
                let answer = Answer::Onion {
                    opened,
                    json,
                    base64,
                };
                match parsed {
                    Ok((rpc, ctx)) => self.execute(now, rng, rpc, ctx, answer),
                    Err(reply) => Handled {
                        response: Some(answer.encode(reply, rng)),
                        ..Handled::default()
                    },
                }
            }
            Route::RelayToNode(next) => {
                if self.network.node(&next.destination).is_none() {
                    return fail(502, format!("Next node not found: {}", next.destination));
                }
                match next.forward_message(opened.hop_no()) {
                    Ok(message) => Handled {
                        relay: Some(Relay::Node {
                            to: next.destination,
                            message,
                        }),
                        ..Handled::default()
                    },
                    Err(e) => {
                        let r = session_onion::node::error_response(&e);
                        fail(r.status, r.body)
                    }
                }
            }
            Route::RelayToServer(server) => Handled {
                relay: Some(Relay::Server {
                    protocol: server.protocol,
                    host: server.host,
                    port: server.port,
                    target: server.target,
                    payload: server.payload.to_vec(),
                }),
                ..Handled::default()
            },
        }
    }

    fn run(&mut self, now: Timestamp, rpc: Rpc, ctx: Ctx, fx: &mut Effects) -> Reply {
        match rpc {
            Rpc::Store(r) => self.store(now, &r, ctx, fx),
            Rpc::Retrieve(r) => self.retrieve(now, &r, ctx),
            Rpc::Delete(r) => self.delete(now, &r, ctx, fx),
            Rpc::DeleteAll(r) => self.account_wide(now, &r, Operation::DeleteAll, ctx, fx),
            Rpc::DeleteBefore(r) => self.account_wide(now, &r, Operation::DeleteBefore, ctx, fx),
            Rpc::ExpireAll(r) => self.account_wide(now, &r, Operation::ExpireAll, ctx, fx),
            Rpc::Expire(r) => self.expire(now, &r, ctx, fx),
            Rpc::GetExpiries(r) => self.get_expiries(now, &r),
            Rpc::Revoke(r) => self.revoke(now, &r, ctx, fx),
            Rpc::RevokedSubaccounts(r) => self.revoked_subaccounts(now, &r, ctx),
            Rpc::Info => {
                let v = Value::dict()
                    .with("version", self.version_value())
                    .with("timestamp", now.as_millis());
                Reply::ok(self.misc(v, now))
            }
            Rpc::GetSwarm(account) => Reply::ok(self.misc(self.swarm_json(&account), now)),
            Rpc::ActiveNodesBin => {
                let blob = encode_active_nodes(self.network.nodes().map(ActiveNode::from));
                if ctx.b64 {
                    Reply::text(200, encode_base64(&blob))
                } else {
                    Reply {
                        status: 200,
                        body: Body::Bytes(blob),
                    }
                }
            }
            Rpc::OxendRequest { endpoint, params } => self.oxend_request(now, &endpoint, params),
            // Requests made of others run in `pending`, which calls this for their parts.
            Rpc::Batch(_) | Rpc::Sequence(_) | Rpc::IfElse(_) => Reply::text(500, "request failed"),
        }
    }

    /// An `ifelse`'s reply before its branch's result, and the branch to run.
    fn if_else(&self, ie: request::IfElse) -> (Value, Option<Rpc>) {
        let cond = self.condition(&ie.condition);
        let v = Value::dict()
            .with("hf", self.hf_value())
            .with("v", self.version_value())
            .with("height", self.config.height)
            .with("condition", cond);
        (v, if cond { ie.then } else { ie.otherwise })
    }

    fn condition(&self, c: &Condition) -> bool {
        let hf = [
            i64::from(self.config.hardfork[0]),
            i64::from(self.config.hardfork[1]),
        ];
        let v = self.config.version.map(i64::from);
        // The reference compares the height as a C `int`.
        let height = i64::from(i32::try_from(self.config.height).unwrap_or(i32::MAX));
        let mut ok = true;
        if let Some(b) = c.hf_at_least {
            ok &= hf >= b;
        }
        if let Some(b) = c.hf_before {
            ok &= hf < b;
        }
        if let Some(b) = c.v_at_least {
            ok &= v >= b;
        }
        if let Some(b) = c.v_before {
            ok &= v < b;
        }
        if let Some(b) = c.height_at_least {
            ok &= height >= b;
        }
        if let Some(b) = c.height_before {
            ok &= height < b;
        }
        ok
    }

    fn oxend_request(&self, now: Timestamp, endpoint: &str, params: Option<Json>) -> Reply {
        let result = match endpoint {
            "get_service_nodes" => {
                let states: Vec<Json> = self
                    .network
                    .nodes()
                    .map(|n| {
                        let mut m = serde_json::Map::new();
                        m.insert("pubkey_ed25519".into(), Json::from(n.ed25519.to_string()));
                        m.insert("pubkey_x25519".into(), Json::from(n.x25519.to_string()));
                        m.insert("public_ip".into(), Json::from(n.ip.to_string()));
                        m.insert("storage_port".into(), Json::from(n.https_port));
                        m.insert("storage_lmq_port".into(), Json::from(n.omq_port));
                        m.insert("swarm_id".into(), Json::from(n.swarm_id.0));
                        m.insert("swarm".into(), Json::from(format!("{:x}", n.swarm_id.0)));
                        m.insert(
                            "service_node_pubkey".into(),
                            Json::from(n.ed25519.to_string()),
                        );
                        Json::Object(m)
                    })
                    .collect();
                let mut m = serde_json::Map::new();
                m.insert("service_node_states".into(), Json::Array(states));
                m.insert("height".into(), Json::from(self.config.height));
                Json::Object(m)
            }
            // oxend's answer from the records the runtime supplied; its errors reach the
            // client as the storage server passes them on, a 400 with oxend's text.
            _ => {
                match self
                    .ons
                    .resolve(params.as_ref(), self.config.hardfork[0], self.config.height)
                {
                    Ok(result) => result,
                    Err(text) => return Reply::text(400, text),
                }
            }
        };
        let v = json_to_value(&result);
        Reply::ok(self.misc(Value::dict().with("result", v), now))
    }

    fn queue_forwards(&self, rpc_name: &'static str, body: Vec<u8>, fx: &mut Effects) {
        for (i, peer) in self.peers().into_iter().enumerate() {
            fx.forwards.push(Forward {
                to: peer,
                method: rpc_name,
                body: body.clone(),
                id: ForwardId::new(fx.pending, fx.slot, i),
            });
        }
    }

    /// Wraps this node's own result as the entry node does: under `swarm` with its key.
    fn entry(&self, mine: Value, ctx: Ctx, now: Timestamp) -> Value {
        if !ctx.recurse {
            return mine;
        }
        let mut swarm = Value::dict();
        swarm.set(&self.identity.ed25519_public().to_string(), mine);
        self.misc(Value::dict().with("swarm", swarm), now)
    }

    fn store(&mut self, now: Timestamp, r: &request::Store, ctx: Ctx, fx: &mut Effects) -> Reply {
        if !self.is_for_us(&r.account) {
            return self.wrong_swarm(&r.account, now);
        }
        let auth = r.auth.as_ref().map(to_auth);
        let req = StoreRequest {
            account: r.account,
            namespace: NamespaceArg::Int(i64::from(r.namespace)),
            timestamp: r.timestamp,
            lifetime: Lifetime::Expiry(Timestamp::from_millis(r.expiry)),
            data: Binary::Raw(&r.data),
            sig_timestamp: r.sig_timestamp,
            auth,
        };
        let mut verifier = Verifier::new(now, &self.backend);
        if !ctx.recurse {
            verifier = verifier.forwarded();
        }
        let cmd = match verifier.validate_store(&req) {
            Ok(c) => c,
            Err(e) => return rejection(Operation::Store, &e),
        };
        if ctx.recurse {
            self.queue_forwards("store", crate::forward::store(r), fx);
        }
        let msg = &cmd.message;
        let hash = msg.hash.to_string();
        let mut mine = Value::dict();
        let mut stored = true;
        match self.backend.store(msg, now) {
            Ok(StoreOutcome::Full) | Err(_) => {
                stored = false;
                mine.set("failed", true);
                mine.set("query_failure", true);
            }
            Ok(outcome) => {
                let expiry = match outcome {
                    StoreOutcome::New | StoreOutcome::Extended => msg.expiry,
                    _ => self
                        .backend
                        .get_expiries(&msg.account, &[msg.hash], now)
                        .ok()
                        .and_then(|v| v.first().map(|(_, e)| *e))
                        .unwrap_or(msg.expiry),
                };
                mine.set("hash", hash.as_str());
                mine.set("signature", sig_value(self.sign(hash.as_bytes()), ctx.b64));
                if outcome != StoreOutcome::New {
                    mine.set("already", true);
                }
                mine.set("expiry", expiry.as_millis());
                if outcome == StoreOutcome::New {
                    fx.notifications.extend(self.monitors.notify(msg, now));
                }
            }
        }
        // A store no member could keep still answers 200: the storage server means to answer
        // 500 when every swarm entry failed, but its check looks at the reply's top-level
        // values (`swarm`, `t`, `hf`; on a peer, the entry's own fields), none of which is a
        // dict holding `failed`, so that 500 never comes. Clients read the entries.
        if ctx.recurse {
            // The reference also left `t` inside the entry node's own entry.
            mine.set("t", now.as_millis());
            let mut out = self.entry(mine, ctx, now);
            if stored {
                out.set("hash", hash);
            }
            Reply::ok(out)
        } else {
            Reply::ok(mine)
        }
    }

    fn retrieve(&mut self, now: Timestamp, r: &request::Retrieve, ctx: Ctx) -> Reply {
        if !self.is_for_us(&r.account) {
            return self.wrong_swarm(&r.account, now);
        }
        let req = RetrieveRequest {
            account: r.account,
            namespace: NamespaceArg::Int(i64::from(r.namespace)),
            last_hash: r.last_hash.as_deref(),
            max_count: r.max_count,
            max_size: r.max_size,
            timestamp: r.timestamp,
            auth: r.auth.as_ref().map(to_auth),
        };
        let cmd = match Verifier::new(now, &self.backend).validate_retrieve(&req) {
            Ok(c) => c,
            Err(e) => return rejection(Operation::Retrieve, &e),
        };
        let page = match self.backend.retrieve(&cmd.query, now) {
            Ok(p) => p,
            Err(_) => {
                return Reply::text(
                    500,
                    format!(
                        "Internal Server Error. Could not retrieve messages for {}",
                        obfuscate(&r.account)
                    ),
                );
            }
        };
        let messages: Vec<Value> = page
            .messages
            .iter()
            .map(|m| {
                Value::dict()
                    .with("hash", m.hash.to_string())
                    .with("timestamp", m.timestamp.as_millis())
                    .with("expiration", m.expiry.as_millis())
                    .with(
                        "data",
                        if ctx.b64 {
                            Value::Str(encode_base64(&m.data))
                        } else {
                            Value::Bytes(m.data.clone())
                        },
                    )
            })
            .collect();
        let v = Value::dict()
            .with("messages", Value::List(messages))
            .with("more", page.more);
        Reply::ok(self.misc(v, now))
    }

    fn delete(&mut self, now: Timestamp, r: &request::Delete, ctx: Ctx, fx: &mut Effects) -> Reply {
        if !self.is_for_us(&r.account) {
            return self.wrong_swarm(&r.account, now);
        }
        let texts: Vec<&str> = r.messages.iter().map(String::as_str).collect();
        let req = DeleteRequest {
            account: r.account,
            messages: &texts,
            auth: Some(to_auth(&r.auth)),
        };
        let cmd = match Verifier::new(now, &self.backend).validate_delete(&req) {
            Ok(c) => c,
            Err(e) => return rejection(Operation::Delete, &e),
        };
        if ctx.recurse {
            self.queue_forwards("delete", crate::forward::delete(r), fx);
        }
        let mut deleted: Vec<MessageHash> =
            match self.backend.delete_hashes(&r.account, &cmd.hashes, now) {
                Ok(a) => a.into_iter().map(|a| a.hash).collect(),
                Err(_) => return Reply::text(500, "request failed"),
            };
        sort_by_hash_text(&mut deleted, |h| h);
        let sig = self.sign(&response::delete(&r.account, &cmd.hashes, &deleted));
        let mine = Value::dict()
            .with("deleted", Value::List(hash_strings(&deleted)))
            .with("signature", sig_value(sig, ctx.b64));
        let deleted_any = !deleted.is_empty();
        let out = self.entry(mine, ctx, now);
        // With `required`, a swarm that deleted nothing answers 404; this node knows its own
        // result only, which the entry node reports for the swarm.
        let status = if r.required && !deleted_any { 404 } else { 200 };
        Reply::json(status, out)
    }

    fn account_wide(
        &mut self,
        now: Timestamp,
        r: &AccountWide,
        op: Operation,
        ctx: Ctx,
        fx: &mut Effects,
    ) -> Reply {
        if !self.is_for_us(&r.account) {
            return self.wrong_swarm(&r.account, now);
        }
        let req = AccountWideRequest {
            account: r.account,
            namespace: ns_arg(r.namespace),
            time: r.time,
            auth: Some(to_auth(&r.auth)),
        };
        let mut verifier = Verifier::new(now, &self.backend);
        if !ctx.recurse {
            verifier = verifier.forwarded();
        }
        let validated = match op {
            Operation::DeleteAll => verifier.validate_delete_all(&req),
            Operation::DeleteBefore => verifier.validate_delete_before(&req),
            _ => verifier.validate_expire_all(&req),
        };
        let cmd = match validated {
            Ok(c) => c,
            Err(e) => return rejection(op, &e),
        };
        let (name, key) = match op {
            Operation::DeleteAll => ("delete_all", "deleted"),
            Operation::DeleteBefore => ("delete_before", "deleted"),
            _ => ("expire_all", "updated"),
        };
        if ctx.recurse {
            self.queue_forwards(name, crate::forward::account_wide(r, name), fx);
        }
        let affected = match op {
            Operation::DeleteAll => self.backend.delete_all(&r.account, cmd.namespaces, now),
            Operation::DeleteBefore => {
                self.backend
                    .delete_before(&r.account, cmd.namespaces, cmd.time, now)
            }
            _ => self
                .backend
                .shorten_all(&r.account, cmd.namespaces, cmd.time, now),
        };
        let mut affected = match affected {
            Ok(a) => a,
            Err(_) => return Reply::text(500, "request failed"),
        };
        sort_by_hash_text(&mut affected, |a| &a.hash);
        let hashes: Vec<MessageHash> = affected.iter().map(|a| a.hash).collect();
        let sig = self.sign(&response::account_wide(&r.account, cmd.time, &hashes));
        let list = match cmd.namespaces {
            NamespaceSelector::All => {
                let mut by_ns: BTreeMap<String, Value> = BTreeMap::new();
                for a in &affected {
                    let entry = by_ns
                        .entry(a.namespace.0.to_string())
                        .or_insert_with(|| Value::List(Vec::new()));
                    if let Value::List(l) = entry {
                        l.push(Value::Str(a.hash.to_string()));
                    }
                }
                Value::Dict(by_ns)
            }
            NamespaceSelector::One(_) => Value::List(hash_strings(&hashes)),
        };
        let mine = Value::dict()
            .with(key, list)
            .with("signature", sig_value(sig, ctx.b64));
        Reply::ok(self.entry(mine, ctx, now))
    }

    fn expire(&mut self, now: Timestamp, r: &request::Expire, ctx: Ctx, fx: &mut Effects) -> Reply {
        if !self.is_for_us(&r.account) {
            return self.wrong_swarm(&r.account, now);
        }
        if r.expiries.len() > 1 && self.config.hardfork < [19, 4] {
            return Reply::text(
                403,
                "expire: multi-expiry requests are not yet active on the network",
            );
        }
        let texts: Vec<&str> = r.messages.iter().map(String::as_str).collect();
        let req = ExpireRequest {
            account: r.account,
            messages: &texts,
            expiries: &r.expiries,
            shorten: r.shorten,
            extend: r.extend,
            auth: Some(to_auth(&r.auth)),
        };
        let cmd = match Verifier::new(now, &self.backend).validate_expire(&req) {
            Ok(c) => c,
            Err(e) => return rejection(Operation::Expire, &e),
        };
        if ctx.recurse {
            self.queue_forwards("expire", crate::forward::expire(r), fx);
        }
        let changes = match self
            .backend
            .update_expiries(&r.account, &cmd.changes, cmd.mode, now)
        {
            Ok(c) => c,
            Err(_) => return Reply::text(500, "request failed"),
        };
        let mut updated: Vec<(MessageHash, Timestamp)> = changes
            .iter()
            .filter(|c| c.changed)
            .map(|c| (c.hash, c.expiry))
            .collect();
        sort_by_hash_text(&mut updated, |(h, _)| h);
        let mut unchanged: Vec<(MessageHash, Timestamp)> = Vec::new();
        if r.shorten || r.extend {
            unchanged = changes
                .iter()
                .filter(|c| !c.changed)
                .map(|c| (c.hash, c.expiry))
                .collect();
            sort_by_hash_text(&mut unchanged, |(h, _)| h);
            unchanged.dedup_by(|a, b| a.0 == b.0);
        }
        let single = r.expiries.len() == 1;
        let applied: Vec<Timestamp> = if single {
            cmd.changes.first().map(|c| c.1).into_iter().collect()
        } else {
            updated.iter().map(|(_, e)| *e).collect()
        };
        let updated_hashes: Vec<MessageHash> = updated.iter().map(|(h, _)| *h).collect();
        let requested: Vec<MessageHash> = cmd.changes.iter().map(|c| c.0).collect();
        let sig = self.sign(&response::expire(
            &r.account,
            &applied,
            &requested,
            &updated_hashes,
            &unchanged,
        ));
        let mut mine = Value::dict();
        if single {
            mine.set("expiry", applied.first().map_or(0, |e| e.as_millis()));
        } else {
            mine.set(
                "expiry",
                Value::List(applied.iter().map(|e| Value::from(e.as_millis())).collect()),
            );
        }
        mine.set("updated", Value::List(hash_strings(&updated_hashes)));
        if r.shorten || r.extend {
            let mut m = BTreeMap::new();
            for (h, e) in &unchanged {
                m.insert(h.to_string(), Value::from(e.as_millis()));
            }
            mine.set("unchanged", Value::Dict(m));
        }
        mine.set("signature", sig_value(sig, ctx.b64));
        Reply::ok(self.entry(mine, ctx, now))
    }

    fn get_expiries(&mut self, now: Timestamp, r: &request::GetExpiries) -> Reply {
        if !self.is_for_us(&r.account) {
            return self.wrong_swarm(&r.account, now);
        }
        let texts: Vec<&str> = r.messages.iter().map(String::as_str).collect();
        let req = GetExpiriesRequest {
            account: r.account,
            messages: &texts,
            timestamp: r.timestamp,
            auth: Some(to_auth(&r.auth)),
        };
        let cmd = match Verifier::new(now, &self.backend).validate_get_expiries(&req) {
            Ok(c) => c,
            Err(e) => return rejection(Operation::GetExpiries, &e),
        };
        let found = match self.backend.get_expiries(&r.account, &cmd.hashes, now) {
            Ok(f) => f,
            Err(_) => return Reply::text(500, "request failed"),
        };
        let mut m = BTreeMap::new();
        for (h, e) in found {
            m.insert(h.to_string(), Value::from(e.as_millis()));
        }
        Reply::ok(Value::dict().with("expiries", Value::Dict(m)))
    }

    fn revoke(&mut self, now: Timestamp, r: &request::Revoke, ctx: Ctx, fx: &mut Effects) -> Reply {
        if !self.is_for_us(&r.account) {
            return self.wrong_swarm(&r.account, now);
        }
        let bins: Vec<Binary<'_>> = r.tokens.iter().map(|t| Binary::Raw(t)).collect();
        let req = RevokeRequest {
            account: r.account,
            revoke: r.revoke,
            tokens: &bins,
            timestamp: r.timestamp,
            auth: Some(to_auth(&r.auth)),
        };
        let op = if r.revoke {
            Operation::RevokeSubaccount
        } else {
            Operation::UnrevokeSubaccount
        };
        let cmd = match Verifier::new(now, &self.backend).validate_revoke(&req) {
            Ok(c) => c,
            Err(e) => return rejection(op, &e),
        };
        let name = if r.revoke {
            "revoke_subaccount"
        } else {
            "unrevoke_subaccount"
        };
        if ctx.recurse {
            self.queue_forwards(name, crate::forward::revoke(r), fx);
        }
        // Unrevocations are counted: those found and lifted (a token listed twice counts once,
        // as the storage server's single `DELETE ... IN (...)` counts it).
        let mut lifted = 0u64;
        for token in &cmd.tokens {
            let done = if r.revoke {
                // Dated by this node's clock, not the request's: the storage server's insert
                // takes the column's default (its own `now`), and that date decides which
                // revocations are dropped past the per-account limit.
                self.backend.revoke(&r.account, token, now)
            } else {
                self.backend
                    .unrevoke(&r.account, token)
                    .map(|found| lifted += u64::from(found))
            };
            if done.is_err() {
                return Reply::text(500, "request failed");
            }
        }
        let tokens: Vec<SubaccountToken> = cmd.tokens.clone();
        let sig = self.sign(&response::revoke(&r.account, cmd.timestamp, &tokens));
        let mut mine = Value::dict();
        if !r.revoke {
            mine.set("count", lifted);
        }
        mine.set("signature", sig_value(sig, ctx.b64));
        Reply::ok(self.entry(mine, ctx, now))
    }

    fn revoked_subaccounts(
        &mut self,
        now: Timestamp,
        r: &request::RevokedSubaccounts,
        ctx: Ctx,
    ) -> Reply {
        if !self.is_for_us(&r.account) {
            return self.wrong_swarm(&r.account, now);
        }
        let req = RevokedSubaccountsRequest {
            account: r.account,
            timestamp: r.timestamp,
            auth: Some(to_auth(&r.auth)),
        };
        if let Err(e) = Verifier::new(now, &self.backend).validate_revoked_subaccounts(&req) {
            return rejection(Operation::RevokedSubaccounts, &e);
        }
        let tokens = match self.backend.revoked(&r.account) {
            Ok(t) => t,
            Err(_) => {
                return Reply::text(
                    500,
                    format!(
                        "Internal Server Error. Could not retrieve revoked_subaccounts for {}",
                        obfuscate(&r.account)
                    ),
                );
            }
        };
        let list = tokens
            .iter()
            .map(|t| {
                if ctx.b64 {
                    Value::Str(encode_base64(&t.0))
                } else {
                    Value::Bytes(t.0.to_vec())
                }
            })
            .collect();
        let v = Value::dict().with("revoked_subaccounts", Value::List(list));
        Reply::ok(self.misc(v, now))
    }

    /// Handles a `monitor.messages` request from subscriber `conn` (the runtime's id for
    /// the connection notifications go back on): a bencoded dict or list of dicts. Returns
    /// the bencoded reply.
    pub fn monitor(&mut self, now: Timestamp, conn: u64, body: &[u8]) -> Vec<u8> {
        self.monitors.subscribe_with(now, conn, body, &self.backend)
    }

    /// Forgets the subscriptions of a closed connection.
    pub fn drop_subscriber(&mut self, conn: u64) {
        self.monitors.drop_connection(conn);
    }

    /// Takes a new view of the network (after a block): returns the replication pushes this
    /// node must send, per peer, as encoded batches (session-swarm's migration plan applied
    /// to the backend by session-storage). Builds the view from `nodes`, in O(n log n);
    /// [`Node::set_network`] takes one built once for many nodes.
    ///
    /// # Errors
    ///
    /// A backend failure while exporting.
    pub fn new_swarm_map(
        &mut self,
        now: Timestamp,
        nodes: impl IntoIterator<Item = ServiceNode>,
    ) -> Result<Vec<session_storage::replication::PeerBatches<ServiceNode>>, B::Error> {
        self.set_network(now, Arc::new(NetworkView::from_nodes(nodes)))
    }

    /// [`Node::new_swarm_map`] with a view that other nodes may share: the same pushes, for
    /// O(log n) plus the sizes of the swarms this node's records move between, and the
    /// reading of the messages it pushes.
    ///
    /// # Errors
    ///
    /// A backend failure while exporting.
    pub fn set_network(
        &mut self,
        now: Timestamp,
        network: Arc<NetworkView>,
    ) -> Result<Vec<session_storage::replication::PeerBatches<ServiceNode>>, B::Error> {
        let old = core::mem::replace(&mut self.network, network);
        let me = self.identity.ed25519_public();
        // The pushes of session-swarm's migration plan; the plan's storage-server events are
        // not needed, and their list of new swarms is the part that reads every swarm.
        let pushes = session_swarm::migration_pushes(old.swarms(), self.network.swarms(), &me);
        let batches = session_storage::replication::outgoing(
            &self.backend,
            &pushes,
            now,
            session_storage::push::BATCH_TARGET_BYTES,
        )?;
        Ok(batches
            .into_iter()
            .filter_map(|b| {
                let to = self.network.node(&b.to).copied()?;
                Some(session_storage::replication::PeerBatches {
                    to,
                    swarm: b.swarm,
                    batches: b.batches,
                    messages: b.messages,
                })
            })
            .collect())
    }

    /// Imports a replication batch a peer pushed.
    ///
    /// # Errors
    ///
    /// A malformed batch or a backend failure.
    pub fn receive_push(
        &mut self,
        now: Timestamp,
        batch: &[u8],
    ) -> Result<session_storage::ImportStats, session_storage::ReceiveError<B::Error>> {
        session_storage::replication::receive(&mut self.backend, batch, now)
    }

    /// Expires old messages and monitor subscriptions (the storage server does this every
    /// 10 seconds), and forgets the replies still waiting for peers [`PEER_TIMEOUT_MS`] after
    /// their peers timed out (left by a runtime that does not call
    /// [`handle_timeouts`](Self::handle_timeouts)). Returns the number of messages expired.
    ///
    /// # Errors
    ///
    /// A backend failure.
    pub fn sweep(&mut self, now: Timestamp) -> Result<usize, B::Error> {
        self.monitors.sweep(now);
        self.drop_stale(now);
        self.backend.sweep(now)
    }
}

/// The storage server's short form of an account in error texts: the first two and the last
/// byte of the key (without its prefix), in hex.
fn obfuscate(account: &AccountId) -> String {
    let hex = encode_hex(account.key());
    let (head, tail) = (hex.get(..4).unwrap_or(""), hex.get(62..).unwrap_or(""));
    format!("{head}…{tail}")
}

fn json_to_value(j: &Json) -> Value {
    match j {
        Json::Null => Value::Str(String::new()),
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => n
            .as_u64()
            .map(Value::UInt)
            .or_else(|| n.as_i64().map(Value::Int))
            .unwrap_or(Value::Int(0)),
        Json::String(s) => Value::Str(s.clone()),
        Json::Array(a) => Value::List(a.iter().map(json_to_value).collect()),
        Json::Object(m) => Value::Dict(
            m.iter()
                .map(|(k, v)| (k.clone(), json_to_value(v)))
                .collect(),
        ),
    }
}

fn http_response(reply: Reply) -> Response {
    match reply.body {
        Body::Json(v) => Response::json(reply.status, &v),
        Body::Text(t) => Response::text(reply.status, &t),
        Body::Bytes(b) => Response::binary(reply.status, b),
    }
}
