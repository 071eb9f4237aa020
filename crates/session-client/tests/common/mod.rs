//! Shared helpers of the integration tests.
#![allow(missing_docs, reason = "test helpers")]
#![allow(dead_code, unreachable_pub)]

use chacha20::ChaCha20Rng;
use rand_core::SeedableRng;
use session_client::{Action, Client, Config};
use session_core::{Ed25519PublicKey, ServiceNode, SwarmId, Timestamp, X25519PublicKey};

pub const T0: Timestamp = Timestamp(1_700_000_000_000);

pub fn rng() -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(0x5e55_c11e)
}

/// Node `i`, alone in 10.i.x.0/24 (x = i / 256 keeps keys and /24s distinct up to 65536).
pub fn node(i: u16) -> ServiceNode {
    let [hi, lo] = i.to_be_bytes();
    let mut key = [0u8; 32];
    key[0] = hi;
    key[1] = lo;
    key[31] = 1;
    ServiceNode {
        ed25519: Ed25519PublicKey::from_bytes(key),
        x25519: X25519PublicKey::from_bytes(key),
        ip: core::net::Ipv4Addr::new(10, lo, hi, 1),
        https_port: 443,
        omq_port: 22020,
        swarm_id: SwarmId(0),
        version: Some([2, 11, 0]),
    }
}

pub fn nodes(range: core::ops::Range<u16>) -> Vec<ServiceNode> {
    range.map(node).collect()
}

/// All actions `poll` has at `now`.
pub fn drain(client: &mut Client, now: Timestamp, rng: &mut ChaCha20Rng) -> Vec<Action> {
    let mut out = Vec::new();
    while let Some(a) = client.poll(now, rng) {
        out.push(a);
        assert!(out.len() < 10_000, "poll never settles");
    }
    out
}

/// A client bootstrapped from seed `node(0)`, whose list is `network`.
pub fn bootstrapped(
    config: Config,
    network: &[ServiceNode],
    rng: &mut ChaCha20Rng,
) -> (Client, Vec<Action>) {
    let mut client = Client::new(config, vec![node(0)]);
    let mut rest = Vec::new();
    for a in drain(&mut client, T0, rng) {
        match a {
            Action::FetchNodeList { token, seed, .. } => {
                assert!(seed);
                client.handle_node_list(token, Some(network.to_vec()), T0, rng);
            }
            other => rest.push(other),
        }
    }
    rest.extend(drain(&mut client, T0, rng));
    (client, rest)
}

pub fn after(t: Timestamp, ms: u64) -> Timestamp {
    Timestamp(t.0 + ms)
}
