//! Fuzz `session-client`: the status classifier on arbitrary bodies, and the client state
//! machine driven by arbitrary node lists, answers, times and swarms. None may panic; paths
//! keep their length, never share a node or a /24, and never hold a struck-out node.
#![no_main]
use std::collections::BTreeSet;
use std::net::Ipv4Addr;

use chacha20::ChaCha20Rng;
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use rand_core::SeedableRng;
use session_client::{Action, Category, Client, Config, Destination, Reply, status};
use session_core::{AccountId, Ed25519PublicKey, Network, ServiceNode, SwarmId, Timestamp};
use session_core::X25519PublicKey;

fn service_node(u: &mut Unstructured<'_>) -> Result<ServiceNode> {
    // Few keys and subnets, so that collisions happen.
    let key = u.int_in_range(0..=60u8)?;
    Ok(ServiceNode {
        ed25519: Ed25519PublicKey::from_bytes([key; 32]),
        x25519: X25519PublicKey::from_bytes([key; 32]),
        ip: Ipv4Addr::new(10, 0, u.int_in_range(0..=25u8)?, key),
        https_port: 443,
        omq_port: 22020,
        swarm_id: SwarmId(0),
        version: None,
    })
}

fn nodes(u: &mut Unstructured<'_>) -> Result<Vec<ServiceNode>> {
    let n = u.int_in_range(0..=50usize)?;
    (0..n).map(|_| service_node(u)).collect()
}

fn run(u: &mut Unstructured<'_>) -> Result<()> {
    let body: &[u8] = u.arbitrary()?;
    let key = Ed25519PublicKey::from_bytes([u.arbitrary()?; 32]);
    let _ = status::classify(u.arbitrary()?, body, Some(&key));

    let mut rng = ChaCha20Rng::seed_from_u64(u.arbitrary()?);
    let mut config = Config::default();
    config.subnet_diversity = u.arbitrary()?;
    let mut client = Client::new(config, nodes(u)?);
    let account = AccountId::parse(&"05".repeat(33), Network::Mainnet).ok();
    let mut now = Timestamp(u.int_in_range(0..=u64::MAX / 2)?);
    let mut open: Vec<Action> = Vec::new();
    for _ in 0..u.int_in_range(0..=200usize)? {
        match u.int_in_range(0..=3u8)? {
            0 => now = Timestamp(now.0.saturating_add(u.int_in_range(0..=3_600_000u64)?)),
            1 => {
                let dest = match (u.int_in_range(0..=2u8)?, account) {
                    (0, Some(a)) => Destination::Swarm(a),
                    (1, _) => Destination::Node(service_node(u)?),
                    _ => Destination::Server,
                };
                client.send(dest, if u.arbitrary()? { Category::Standard } else { Category::File });
            }
            _ if !open.is_empty() => {
                let action = open.swap_remove(u.choose_index(open.len())?);
                match action {
                    Action::FetchNodeList { token, .. } => {
                        let list = if u.arbitrary()? { Some(nodes(u)?) } else { None };
                        client.handle_node_list(token, list, now, &mut rng);
                    }
                    Action::FetchTime { token, .. } => {
                        client.handle_time(token, u.arbitrary()?, now);
                    }
                    Action::NeedSwarm { account } => client.set_swarm(account, nodes(u)?),
                    Action::Send { token, .. } => {
                        let reply = if u.arbitrary()? {
                            Reply::Status { status: u.arbitrary()?, body: u.arbitrary()? }
                        } else {
                            Reply::NoReply
                        };
                        client.handle_reply(token, reply, now, &mut rng);
                    }
                    _ => {}
                }
            }
            _ => {}
        }
        while let Some(action) = client.poll(now, &mut rng) {
            if matches!(
                action,
                Action::FetchNodeList { .. } | Action::FetchTime { .. } | Action::NeedSwarm { .. }
                    | Action::Send { .. }
            ) && open.len() < 1000
            {
                open.push(action);
            }
        }
        let mut keys = BTreeSet::new();
        let mut subnets = BTreeSet::new();
        for path in client.paths().paths() {
            assert_eq!(path.nodes().len(), config.path_length);
            for n in path.nodes() {
                assert!(keys.insert(n.ed25519));
                assert!(!config.subnet_diversity || subnets.insert(n.subnet24()));
                assert!(!client.pool().is_struck_out(&n.ed25519, now));
            }
        }
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});
