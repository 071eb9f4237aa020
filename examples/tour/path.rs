//! An onion request crossing the network: the client seals one layer per node, each hop peels
//! its layer with its own node key and relays the rest, the destination answers, and the reply
//! travels back. With `--verbose`, every hop's view is printed.

use chacha20::ChaCha20Rng;
use session_infra::common::{Ed25519PublicKey, ServiceNode};
use session_infra::onion::client::{Builder, Destination, Hop, Onion};
use session_infra::onion::node::{self, DestinationRequest, OpenedRequest, ReplyBody, Route};
use session_infra::onion::path::{PathConfig, PathManager};
use session_infra::onion::serde_json::Value;
use session_infra::onion::{EncType, OpenOptions};

use crate::narrate::{Narrator, short};
use crate::network::Network;

/// A request that reached its destination, waiting for the answer.
pub struct Arrived {
    onion: Onion,
    opened: OpenedRequest,
    json: bool,
    base64: bool,
    /// The destination node.
    pub at: Ed25519PublicKey,
    /// The storage RPC the destination received.
    pub rpc: Value,
}

/// `client` sends `rpc` over `path` (guard first) to the node `dest`.
/// A 3-node onion path towards `dest`, chosen the way the apps choose one: from the current
/// node list, guard first, no two nodes in one /24, the destination not on it.
pub fn choose(net: &Network, dest: &ServiceNode, rng: &mut ChaCha20Rng) -> Vec<ServiceNode> {
    let mut paths = PathManager::new(PathConfig::default());
    paths.set_pool(net.records(), net.now);
    let id = paths.build_path(Some(dest), rng).expect("enough nodes");
    paths.path(id).expect("just built").nodes().to_vec()
}

pub fn send(
    net: &Network,
    client: &str,
    path: &[ServiceNode],
    dest: &ServiceNode,
    rpc: &Value,
    rng: &mut ChaCha20Rng,
    out: &mut Narrator,
) -> Arrived {
    let body = rpc.to_string();
    let onion = Builder::new(EncType::XChaCha20)
        .hops(path.iter().map(Hop::from))
        .build(&Destination::node(Hop::from(dest)), body.as_bytes(), rng)
        .expect("a 3-hop path");
    let names: Vec<&str> = path.iter().map(|n| net.name(&n.ed25519)).collect();
    out.step(format!(
        "{client} seals the request in {} layers ({} bytes, a fresh X25519 key per layer) and \
         sends it over the path {} -> {}.",
        path.len() + 1,
        onion.request().len(),
        names.join(" -> "),
        net.name(&dest.ed25519)
    ));

    let options = OpenOptions::default();
    let mut at = path.first().expect("a path has a guard").ed25519;
    let mut opened = node_key(net, &at)
        .open_request(onion.request(), &options)
        .expect("the guard opens its layer");
    let mut previous = format!("{client}'s IP address");
    loop {
        let name = net.name(&at);
        match node::route(opened.payload()).expect("a well-formed layer") {
            Route::RelayToNode(relay) => {
                out.detail(format!(
                    "{name} (hop {}): gets {} bytes from {previous}; its layer names only the \
                     next node, {} ({}), and a {}-byte blob it cannot read",
                    opened.hop_no() + 1,
                    opened.payload().len(),
                    net.name(&relay.destination),
                    short(relay.destination.as_bytes()),
                    relay.blob.len()
                ));
                let message = relay
                    .forward_message(opened.hop_no())
                    .expect("hop count in range");
                previous = name.to_string();
                at = relay.destination;
                opened = node_key(net, &at)
                    .open_forward(&message, &options)
                    .expect("the next hop opens its layer");
            }
            Route::Destination(request) => {
                out.detail(format!(
                    "{name} (destination): gets the request from {previous}; it reads the RPC \
                     but not who sent it"
                ));
                let rpc: Value = session_infra::onion::serde_json::from_slice(request.body)
                    .expect("the client sent JSON");
                let (json, base64) = (request.json, request.base64);
                return Arrived {
                    onion,
                    opened,
                    json,
                    base64,
                    at,
                    rpc,
                };
            }
            Route::RelayToServer(_) => unreachable!("the tour only talks to nodes"),
        }
    }
}

/// The destination answers `status` and `body`; the reply goes back along the path, and the
/// client decrypts it. Returns the body the client reads.
pub fn answer(
    net: &Network,
    client: &str,
    arrived: Arrived,
    status: u16,
    body: &Value,
    rng: &mut ChaCha20Rng,
    out: &mut Narrator,
) -> Value {
    let request = DestinationRequest {
        body: &[],
        json: arrived.json,
        base64: arrived.base64,
    };
    let reply = arrived
        .opened
        .v3_reply(&request, status, ReplyBody::Json(body), rng)
        .expect("a reply key");
    let decoded = arrived
        .onion
        .reply_key()
        .decode_v3(&reply)
        .expect("the client opens the reply");
    let body = match decoded.body {
        Some(Value::String(text)) => {
            session_infra::onion::serde_json::from_str(&text).unwrap_or(Value::String(text))
        }
        Some(other) => other,
        None => Value::Null,
    };
    out.step(format!(
        "{} answers {status}; the reply travels back over the same path and {client} decrypts it.",
        net.name(&arrived.at)
    ));
    out.detail(format!(
        "the hops relay the {}-byte reply back unchanged: it is encrypted to {client}'s \
         innermost ephemeral key, which only {client} holds",
        reply.len()
    ));
    body
}

fn node_key<'n>(net: &'n Network, at: &Ed25519PublicKey) -> &'n session_infra::onion::NodeKey {
    &net.nodes.get(at).expect("a node of the network").key
}
