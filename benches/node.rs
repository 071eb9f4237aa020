//! session-node benchmarks: store, retrieve and an onion request carrying a store, through
//! `Node` with the SQLite backend against the same work done by calling the crates directly
//! (serde_json for the body, the storage policy, the backend, the node's signature, the JSON
//! reply; session-onion to open and answer the onion). Paired ratios are printed as `ratio …`
//! lines under `--bench`; criterion times each path on its own.
// A benchmark reads the clock by definition.
#![allow(clippy::disallowed_methods)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::hint::black_box;

use session_benches::paired_ratio;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;
use session_core::encoding::encode_base64;
use session_core::{AccountId, Identity, Namespace, Network, ServiceNode, SwarmId, Timestamp};
use session_node::{Node, NodeConfig, Request};
use session_onion::EncType;
use session_onion::client::{Builder, Destination, Hop};
use session_onion::node::{ReplyBody, Route};
use session_storage::policy::{
    Auth, Lifetime, NamespaceArg, RetrieveRequest, StoreRequest, Verifier, payload,
};
use session_storage::{Binary, MessageReader, MessageWriter};
use session_storage_sqlite::SqliteStore;

const NOW: Timestamp = Timestamp(1_700_000_000_000);
const PER_ROUND: usize = 100;
const ROUNDS: usize = 21;

fn rng() -> chacha20::ChaCha20Rng {
    use rand_core::SeedableRng;
    chacha20::ChaCha20Rng::from_seed([3; 32])
}

fn temp_db(tag: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!(
        "session-node-bench-{tag}-{}.db",
        std::process::id()
    ));
    for suffix in ["", "-wal", "-shm"] {
        let mut q = p.clone().into_os_string();
        q.push(suffix);
        let _ = std::fs::remove_file(q);
    }
    p
}

struct Fixture {
    node: Node<SqliteStore>,
    direct: SqliteStore,
    node_identity: Identity,
    me: ServiceNode,
    client: Identity,
    account: AccountId,
    next: u64,
}

fn fixture() -> Fixture {
    let node_identity = Identity::from_seed_bytes(&[1; 32]).unwrap();
    let me = ServiceNode {
        ed25519: node_identity.ed25519_public(),
        x25519: node_identity.x25519_public(),
        ip: std::net::Ipv4Addr::new(10, 0, 0, 1),
        https_port: 22021,
        omq_port: 22020,
        swarm_id: SwarmId(7),
        version: Some([2, 10, 0]),
    };
    let node = Node::new(
        node_identity.clone(),
        SqliteStore::open(temp_db("node")).unwrap(),
        [me],
        NodeConfig::default(),
    );
    let client = Identity::from_seed_bytes(&[42; 32]).unwrap();
    let account = AccountId::new(0x03, client.ed25519_public().to_bytes());
    Fixture {
        node,
        direct: SqliteStore::open(temp_db("direct")).unwrap(),
        node_identity,
        me,
        client,
        account,
        next: 0,
    }
}

impl Fixture {
    fn store_body(&mut self) -> Vec<u8> {
        self.next += 1;
        store_body(&self.account, self.next)
    }

    fn retrieve_body(&self) -> Vec<u8> {
        let sig = encode_base64(&self.client.sign(&payload::retrieve(Namespace(0), NOW)));
        json!({"method": "retrieve", "params": {"pubkey": self.account.to_string(),
            "timestamp": NOW.as_millis(), "signature": sig, "max_count": 50}})
        .to_string()
        .into_bytes()
    }

    fn onion(&mut self) -> (Vec<u8>, session_onion::client::ReplyKey) {
        let body = self.store_body();
        let hop = Hop::new(self.me.ed25519, self.me.x25519);
        // The node is both guard and destination: a one-hop path to itself is not allowed, so
        // the onion is addressed with the node as destination behind a zero-hop outer layer.
        let onion = Builder::new(EncType::AesGcm)
            .hop(hop)
            .build(&Destination::node(hop), &body, &mut rng())
            .unwrap();
        onion.into_parts()
    }
}

/// A `store` of message number `n` into `account`'s namespace 0 (no signature needed).
fn store_body(account: &AccountId, n: u64) -> Vec<u8> {
    let data = encode_base64(format!("message number {n} with some padding").as_bytes());
    json!({"method": "store", "params": {"pubkey": account.to_string(),
        "timestamp": NOW.as_millis(), "ttl": 86_400_000u64, "data": data}})
    .to_string()
    .into_bytes()
}

/// The storage server's store, done by hand with the crates: parse, validate, store, sign,
/// answer.
fn direct_store(store: &mut SqliteStore, node: &Identity, body: &[u8]) -> Vec<u8> {
    let v: serde_json::Value = serde_json::from_slice(body).unwrap();
    let p = &v["params"];
    let account = AccountId::parse(p["pubkey"].as_str().unwrap(), Network::Mainnet).unwrap();
    let request = StoreRequest {
        account,
        namespace: NamespaceArg::Omitted,
        timestamp: p["timestamp"].as_u64().unwrap(),
        lifetime: Lifetime::Ttl(p["ttl"].as_u64().unwrap()),
        data: Binary::Base64(p["data"].as_str().unwrap()),
        sig_timestamp: None,
        auth: None,
    };
    let command = Verifier::new(NOW, &*store)
        .validate_store(&request)
        .unwrap();
    store.store(&command.message, NOW).unwrap();
    let hash = command.message.hash.to_string();
    let signature = encode_base64(&node.sign(hash.as_bytes()));
    let mine = json!({"hash": hash, "signature": signature,
        "expiry": command.message.expiry.as_millis(), "t": NOW.as_millis()});
    json!({"hash": hash, "swarm": {node.ed25519_public().to_string(): mine},
        "t": NOW.as_millis(), "hf": [19, 4]})
    .to_string()
    .into_bytes()
}

fn direct_retrieve(store: &SqliteStore, body: &[u8]) -> Vec<u8> {
    let v: serde_json::Value = serde_json::from_slice(body).unwrap();
    let p = &v["params"];
    let account = AccountId::parse(p["pubkey"].as_str().unwrap(), Network::Mainnet).unwrap();
    let request = RetrieveRequest {
        account,
        namespace: NamespaceArg::Omitted,
        last_hash: None,
        max_count: p["max_count"].as_i64().unwrap(),
        max_size: 0,
        timestamp: p["timestamp"].as_u64().unwrap(),
        auth: Some(Auth::signature(Binary::Base64(
            p["signature"].as_str().unwrap(),
        ))),
    };
    let command = Verifier::new(NOW, store)
        .validate_retrieve(&request)
        .unwrap();
    let page = store.retrieve(&command.query, NOW).unwrap();
    let messages: Vec<serde_json::Value> = page
        .messages
        .iter()
        .map(|m| {
            json!({"hash": m.hash.to_string(), "timestamp": m.timestamp.as_millis(),
                "expiration": m.expiry.as_millis(), "data": encode_base64(&m.data)})
        })
        .collect();
    json!({"messages": messages, "more": page.more, "t": NOW.as_millis(), "hf": [19, 4]})
        .to_string()
        .into_bytes()
}

fn direct_onion(
    store: &mut SqliteStore,
    key: &session_onion::NodeKey,
    node: &Identity,
    request: &[u8],
) -> Vec<u8> {
    let opened = key
        .open_request(request, &session_onion::OpenOptions::default())
        .unwrap();
    // The guard layer relays to the destination layer, which is this node again.
    let Route::RelayToNode(next) = session_onion::node::route(opened.payload()).unwrap() else {
        panic!("expected a relay layer");
    };
    let forward = next.forward_message(opened.hop_no()).unwrap();
    let inner = key
        .open_forward(&forward, &session_onion::OpenOptions::default())
        .unwrap();
    let Route::Destination(dest) = session_onion::node::route(inner.payload()).unwrap() else {
        panic!("expected the destination layer");
    };
    let reply = direct_store(store, node, dest.body);
    let reply: serde_json::Value = serde_json::from_slice(&reply).unwrap();
    inner
        .v3_reply(&dest, 200, ReplyBody::Json(&reply), &mut rng())
        .unwrap()
}

fn node_onion(node: &mut Node<SqliteStore>, request: &[u8]) -> Vec<u8> {
    let out = node.handle_http(NOW, &mut rng(), &Request::post("/onion_req/v2", request));
    let session_node::Relay::Node { message, .. } = out.relay.unwrap() else {
        panic!("expected a relay to itself");
    };
    node.handle_onion_forward(NOW, &mut rng(), &message)
        .response
        .unwrap()
        .body
}

fn ratios(f: &mut Fixture) {
    let f = std::cell::RefCell::new(f);
    paired_ratio(
        "node_store/direct_store",
        ROUNDS,
        || {
            let mut f = f.borrow_mut();
            let bodies: Vec<Vec<u8>> = (0..PER_ROUND).map(|_| f.store_body()).collect();
            let t = Instant::now();
            for b in &bodies {
                let out = f
                    .node
                    .handle_http(NOW, &mut rng(), &Request::post("/storage_rpc/v1", b));
                black_box(out.response.unwrap().body);
            }
            t.elapsed()
        },
        || {
            let mut f = f.borrow_mut();
            let bodies: Vec<Vec<u8>> = (0..PER_ROUND).map(|_| f.store_body()).collect();
            let Fixture {
                direct,
                node_identity,
                ..
            } = &mut *f;
            let t = Instant::now();
            for b in &bodies {
                black_box(direct_store(direct, node_identity, b));
            }
            t.elapsed()
        },
    );
    let body = f.borrow().retrieve_body();
    paired_ratio(
        "node_retrieve/direct_retrieve",
        ROUNDS,
        || {
            let mut f = f.borrow_mut();
            let t = Instant::now();
            for _ in 0..PER_ROUND {
                let out =
                    f.node
                        .handle_http(NOW, &mut rng(), &Request::post("/storage_rpc/v1", &body));
                black_box(out.response.unwrap().body);
            }
            t.elapsed()
        },
        || {
            let f = f.borrow();
            let t = Instant::now();
            for _ in 0..PER_ROUND {
                black_box(direct_retrieve(&f.direct, &body));
            }
            t.elapsed()
        },
    );
    let key = session_onion::NodeKey::from_secret(f.borrow().node_identity.x25519_secret().clone());
    paired_ratio(
        "node_onion_store/direct_onion_store",
        ROUNDS,
        || {
            let mut f = f.borrow_mut();
            let onions: Vec<Vec<u8>> = (0..PER_ROUND).map(|_| f.onion().0).collect();
            let t = Instant::now();
            for o in &onions {
                black_box(node_onion(&mut f.node, o));
            }
            t.elapsed()
        },
        || {
            let mut f = f.borrow_mut();
            let onions: Vec<Vec<u8>> = (0..PER_ROUND).map(|_| f.onion().0).collect();
            let Fixture {
                direct,
                node_identity,
                ..
            } = &mut *f;
            let t = Instant::now();
            for o in &onions {
                black_box(direct_onion(direct, &key, node_identity, o));
            }
            t.elapsed()
        },
    );
}

fn node(c: &mut Criterion) {
    let mut f = fixture();
    // 50 messages to retrieve on both sides.
    for _ in 0..50 {
        let b = f.store_body();
        f.node
            .handle_http(NOW, &mut rng(), &Request::post("/storage_rpc/v1", &b));
        let b = f.store_body();
        let Fixture {
            direct,
            node_identity,
            ..
        } = &mut f;
        direct_store(direct, node_identity, &b);
    }
    if std::env::args().any(|a| a == "--bench") {
        ratios(&mut f);
    }
    let mut g = c.benchmark_group("node");
    g.sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    // Retrieves first: the criterion store benchmark adds thousands of messages to the
    // node's database only, which would make the two retrieve measurements unequal.
    let body = f.retrieve_body();
    g.bench_function("retrieve/node", |b| {
        b.iter(|| {
            f.node
                .handle_http(NOW, &mut rng(), &Request::post("/storage_rpc/v1", &body))
        });
    });
    g.bench_function("retrieve/direct", |b| {
        b.iter(|| direct_retrieve(&f.direct, &body));
    });
    let account = f.account;
    let mut next = f.next + 1_000_000;
    g.bench_function("store/node", |b| {
        b.iter_batched(
            || {
                next += 1;
                store_body(&account, next)
            },
            |body| {
                f.node
                    .handle_http(NOW, &mut rng(), &Request::post("/storage_rpc/v1", &body))
            },
            criterion::BatchSize::SmallInput,
        );
    });
    g.finish();
}

criterion_group!(benches, node);
criterion_main!(benches);
