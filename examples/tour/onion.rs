//! Tour section: one onion request through a 3-hop path of in-process nodes.

use chacha20::ChaCha20Rng;
use session_infra::common::identity::Identity;
use session_infra::onion::client::{Builder, Destination, Hop};
use session_infra::onion::node::{self, NodeKey, ReplyBody, Route};
use session_infra::onion::rand_core::SeedableRng;
use session_infra::onion::serde_json;
use session_infra::onion::{EncType, OpenOptions, framing};

/// A seeded ChaCha20 CSPRNG: deterministic, so every run of the tour sees the same bytes.
/// Real callers use the system's generator (`rand::rng()` or getrandom's `SysRng`).
fn tour_rng(seed: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(seed)
}

fn short(bytes: &[u8]) -> String {
    let h = hex::encode(bytes);
    if h.len() > 16 {
        format!("{}…", &h[..16])
    } else {
        h
    }
}

/// Sends a storage RPC through guard → hop 2 → hop 3 → destination node and back, printing
/// what each party learns and what it does not.
pub fn run() {
    println!("== 3. Onion request: client -> guard -> hop 2 -> hop 3 -> destination node");
    let mut rng = tour_rng(2026);
    // Four service nodes with real Session-style identities (Ed25519 for routing, X25519 for
    // encryption, derived from the Ed25519 key exactly like the network does).
    let names = ["guard", "hop 2", "hop 3", "destination"];
    let ids: Vec<Identity> = (0..4).map(|_| Identity::generate(&mut rng)).collect();
    let keys: Vec<NodeKey> = ids.iter().map(NodeKey::from).collect();
    let hops: Vec<Hop> = ids
        .iter()
        .map(|id| Hop::new(id.ed25519_public(), id.x25519_public()))
        .collect();

    let rpc = br#"{"method":"retrieve","params":{"pubkey":"05d871fc80ca007eed9b2f4df72853e2a2d5465a92fcb1889fb5c84aa2833b3b40","namespace":0}}"#;
    let onion = Builder::new(EncType::XChaCha20)
        .hops(hops[..3].iter().copied())
        .build(&Destination::node(hops[3]), rpc, &mut rng)
        .unwrap();
    let outer = framing::decode(onion.request(), usize::MAX).unwrap();
    println!(
        "   client builds {} bytes: 4 layers, one fresh X25519 key each, {} cipher",
        onion.request().len(),
        EncType::XChaCha20
    );
    println!(
        "   outer JSON (all the guard can read before decrypting): {}",
        json_text(&outer.json)
    );

    let opts = OpenOptions::default();
    let mut opened = keys[0].open_request(onion.request(), &opts).unwrap();
    for i in 0..3 {
        let Route::RelayToNode(relay) = node::route(opened.payload()).unwrap() else {
            unreachable!("a path hop relays")
        };
        println!(
            "   [{}] hop_no {}: peeled its layer to {} bytes",
            names[i],
            opened.hop_no(),
            opened.payload().len()
        );
        let (learns, hidden) = match i {
            0 => (
                "the client's IP address",
                "the destination, the payload, hops 3+",
            ),
            1 => (
                "the guard (previous hop)",
                "the client's address, the destination, the payload",
            ),
            _ => (
                "hop 2 (previous hop)",
                "the client's address, the guard, the payload, whether the next node is \
                 the destination or another hop (only hop_no hints at its position)",
            ),
        };
        println!(
            "       learns: {learns}; next node {}; an opaque {}-byte blob",
            short(relay.destination.as_bytes()),
            relay.blob.len()
        );
        println!("       does not learn: {hidden}");
        let msg = relay.forward_message(opened.hop_no()).unwrap();
        opened = keys[i + 1].open_forward(&msg, &opts).unwrap();
    }
    let Route::Destination(dest) = node::route(opened.payload()).unwrap() else {
        unreachable!("the last layer is for the destination")
    };
    println!(
        "   [destination] hop_no {}: body {}",
        opened.hop_no(),
        String::from_utf8_lossy(dest.body)
    );
    println!("       learns: the request and hop 3; does not learn: the client, the guard, hop 2");

    let body = serde_json::json!({"messages": [], "hf": [19, 3], "t": 1_764_000_000_000u64});
    let reply = opened
        .v3_reply(&dest, 200, ReplyBody::Json(&body), &mut rng)
        .unwrap();
    println!(
        "   reply: {} bytes of base64, relayed back untouched by hops 3, 2 and the guard",
        reply.len()
    );
    let decoded = onion.reply_key().decode_v3(&reply).unwrap();
    println!(
        "   client decrypts with the innermost ephemeral key: status {:?}, body {}",
        decoded.status,
        decoded.body.unwrap()
    );

    // A wrong node key: the reference 400 answer.
    let e = keys[1].open_request(onion.request(), &opts).unwrap_err();
    let r = node::error_response(&e);
    println!(
        "   a node that is not the guard answers the same bytes with {} \"{}\"",
        r.status, r.body
    );
    println!();
}

fn json_text(map: &serde_json::Map<String, serde_json::Value>) -> String {
    serde_json::Value::Object(map.clone()).to_string()
}
