//! An onion request crossing the network: the client seals one layer per node, the guard
//! gets the onion at `/onion_req/v2`, each node peels its layer with its own key and returns
//! the next hop to relay to, the destination answers, and the reply travels back. With
//! `--verbose`, every hop's view is printed.

use chacha20::ChaCha20Rng;
use session_infra::common::{Ed25519PublicKey, ServiceNode};
use session_infra::node::{Relay, Response};
use session_infra::onion::EncType;
use session_infra::onion::client::{Builder, Destination, Hop, Onion};
use session_infra::onion::path::{PathConfig, PathManager};
use session_infra::onion::serde_json::Value;

use crate::narrate::{Narrator, short};
use crate::network::{Network, PeerAnswer};

/// A request the destination has answered; the answer is on its way back.
pub struct Arrived {
    onion: Onion,
    reply: Response,
    /// The destination node.
    pub at: Ed25519PublicKey,
    /// The destination's swarm peers' answers to the requests it forwarded to them.
    pub peers: Vec<PeerAnswer>,
}

/// A 3-node onion path towards `dest`, chosen the way the apps choose one: from the current
/// node list, guard first, no two nodes in one /24, the destination not on it.
pub fn choose(net: &Network, dest: &ServiceNode, rng: &mut ChaCha20Rng) -> Vec<ServiceNode> {
    let mut paths = PathManager::new(PathConfig::default());
    paths.set_pool(net.records(), net.now);
    let id = paths.build_path(Some(dest), rng).expect("enough nodes");
    paths.path(id).expect("just built").nodes().to_vec()
}

/// `client` sends `rpc` over `path` (guard first) to the node `dest`.
pub fn send(
    net: &mut Network,
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

    // The guard gets the onion over HTTPS; each later node gets its layer from the one
    // before. A node that relays answers with what the next one answered.
    let mut at = path.first().expect("a path has a guard").ed25519;
    let mut handled = net.post(&at, "/onion_req/v2", onion.request(), rng);
    let mut previous = format!("{client}'s IP address");
    let mut received = onion.request().len();
    loop {
        let name = net.name(&at).to_string();
        match handled.relay.take() {
            Some(Relay::Node { to, message }) => {
                out.detail(format!(
                    "{name}: gets {received} bytes from {previous}; its layer, opened with its \
                     own key, names only the next node, {} ({}), which it passes a {}-byte \
                     message it cannot read",
                    net.name(&to),
                    short(to.as_bytes()),
                    message.len()
                ));
                previous = name;
                received = message.len();
                at = to;
                handled = net.onion_forward(&at, &message, rng);
            }
            Some(Relay::Server { .. }) => unreachable!("the tour only talks to nodes"),
            None => {
                if let Some(refused) = &handled.response {
                    assert_eq!(
                        at,
                        dest.ed25519,
                        "{name} refused the onion: {}",
                        refused.body_text()
                    );
                }
                out.detail(format!(
                    "{name} (destination): gets {received} bytes from {previous}; its layer \
                     holds the request ({} bytes of JSON) but nothing about who sent it",
                    body.len()
                ));
                let forwarded = handled.forwards.len();
                if handled.pending.is_some() {
                    out.detail(format!(
                        "{name} forwards the request to its {forwarded} swarm peers and holds \
                         its reply until they have all answered"
                    ));
                }
                let (reply, peers) = net.complete(&at, handled, rng);
                return Arrived {
                    onion,
                    reply,
                    at,
                    peers,
                };
            }
        }
    }
}

impl Arrived {
    /// The client decrypts the reply: the destination's status and body.
    pub fn open(&self) -> (u16, Value) {
        let decoded = self
            .onion
            .reply_key()
            .decode_v3(&self.reply.body)
            .expect("the client opens the reply");
        let status = decoded.status.unwrap_or(self.reply.status);
        let body = match decoded.body {
            Some(Value::String(text)) => {
                session_infra::onion::serde_json::from_str(&text).unwrap_or(Value::String(text))
            }
            Some(other) => other,
            None => Value::Null,
        };
        (status, body)
    }
}

/// The destination's answer goes back along the path, and the client decrypts it. Returns
/// the status and body the client reads.
pub fn answer(net: &Network, client: &str, arrived: &Arrived, out: &mut Narrator) -> (u16, Value) {
    let (status, body) = arrived.open();
    out.step(format!(
        "{} answers {status}; the reply travels back over the same path and {client} decrypts it.",
        net.name(&arrived.at)
    ));
    out.detail(format!(
        "the hops relay the {}-byte reply back unchanged: it is encrypted to {client}'s \
         innermost ephemeral key, which only {client} holds",
        arrived.reply.body.len()
    ));
    (status, body)
}
