//! Fuzz the client side of `session-onion` outside the AEAD: the bencode and v4 framing
//! decoders, the router's classifier, the transport-answer classifier, the 421 node-list
//! parser, the cipher names, and the path state machine driven by arbitrary pools and
//! outcomes. None may panic; paths keep their length and never share a node.
#![no_main]
use std::collections::BTreeSet;
use std::net::Ipv4Addr;

use chacha20::ChaCha20Rng;
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use rand_core::SeedableRng;
use session_core::{Ed25519PublicKey, ServiceNode, SwarmId, Timestamp, X25519PublicKey};
use session_onion::path::{
    Outcome, PathConfig, PathId, PathManager, RedirectPolicy, classify_response, parse_misdirected,
};
use session_onion::{EncType, bencode, node};

fn service_node(u: &mut Unstructured<'_>) -> Result<ServiceNode> {
    // Few distinct keys and subnets, so that collisions (the interesting cases) happen.
    let key = u.int_in_range(0..=40u8)?;
    let ip: [u8; 4] = [
        u.int_in_range(0..=3u8)?,
        0,
        u.int_in_range(0..=5u8)?,
        u.arbitrary()?,
    ];
    Ok(ServiceNode {
        ed25519: Ed25519PublicKey::from_bytes([key; 32]),
        x25519: X25519PublicKey::from_bytes([key ^ 0x55; 32]),
        ip: Ipv4Addr::from(ip),
        https_port: u.arbitrary()?,
        omq_port: u.arbitrary()?,
        swarm_id: SwarmId(u.arbitrary()?),
        version: None,
    })
}

fn outcome(u: &mut Unstructured<'_>) -> Result<Outcome> {
    Ok(match u.int_in_range(0..=4u8)? {
        0 => Outcome::Success,
        1 => Outcome::PathFailure,
        2 => Outcome::NextNodeNotFound(Ed25519PublicKey::from_bytes(
            [u.int_in_range(0..=40u8)?; 32],
        )),
        3 => Outcome::Misdirected,
        _ => Outcome::NoPenalty,
    })
}

fn drive(u: &mut Unstructured<'_>) -> Result<()> {
    let config = PathConfig::default()
        .hops(u.int_in_range(1..=4usize)?)
        .min_paths(u.int_in_range(0..=3usize)?)
        .subnet_diversity(u.arbitrary()?);
    let hops = config.hops;
    let mut paths = PathManager::new(config);
    let mut rng = ChaCha20Rng::seed_from_u64(u.arbitrary()?);
    let mut redirect = RedirectPolicy::new();
    let mut now = 0u64;
    for _ in 0..u.int_in_range(0..=32u8)? {
        match u.int_in_range(0..=5u8)? {
            0 => {
                let pool: Vec<ServiceNode> = (0..u.int_in_range(0..=24u8)?)
                    .map(|_| service_node(u))
                    .collect::<Result<_>>()?;
                paths.set_pool(pool, Timestamp(now));
            }
            1 => {
                let dest = if u.arbitrary()? {
                    Some(service_node(u)?)
                } else {
                    None
                };
                let _ = paths.build_path(dest.as_ref(), &mut rng);
            }
            2 => {
                let _ = paths.ensure_paths(&mut rng);
            }
            3 => {
                let id = PathId(u.int_in_range(0..=8u64)?);
                let outcome = outcome(u)?;
                let _ = paths.report(id, outcome, &mut rng);
            }
            4 => {
                let dest = service_node(u)?;
                if let Some(path) = paths.select_path(Some(&dest), &mut rng) {
                    assert!(path.nodes().iter().all(|n| n.ed25519 != dest.ed25519));
                }
            }
            _ => {
                now = now.saturating_add(u.arbitrary::<u32>()?.into());
                let _ = paths.needs_pool_refresh(Timestamp(now));
                let _ = redirect.on_misdirected();
            }
        }
        let mut seen = BTreeSet::new();
        for path in paths.paths() {
            assert_eq!(path.nodes().len(), hops, "a path keeps its length");
            for n in path.nodes() {
                assert!(seen.insert(n.ed25519), "no node on two paths");
            }
        }
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = bencode::decode(data);
    let _ = bencode::decode_v4(data);
    let _ = node::classify(data);
    if let Some((&first, rest)) = data.split_first() {
        let status = u16::from(first) + 300;
        let _ = classify_response(status, rest, first & 1 == 1);
        let _ = classify_response(200, rest, false);
    }
    if let Ok(json) = serde_json::from_slice::<serde_json::Value>(data) {
        let _ = parse_misdirected(&json);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(enc) = text.parse::<EncType>() {
            assert_eq!(enc.to_string().parse::<EncType>().ok(), Some(enc));
        }
    }
    let _ = drive(&mut Unstructured::new(data));
});
