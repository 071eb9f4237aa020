//! Path selection state machine: guard first, diversity, destination exclusion, strikes,
//! "Next node not found" replacement, 421 policy.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use core::net::Ipv4Addr;
use std::collections::BTreeSet;

use session_core::{Ed25519PublicKey, ServiceNode, SwarmId, Timestamp, X25519PublicKey};
use session_onion::path::{
    self, Event, Outcome, PathConfig, PathManager, RedirectDecision, RedirectPolicy,
};

fn node(i: u16, ip: [u8; 4]) -> ServiceNode {
    let mut k = [0u8; 32];
    k[..2].copy_from_slice(&i.to_be_bytes());
    ServiceNode {
        ed25519: Ed25519PublicKey::from_bytes(k),
        x25519: X25519PublicKey::from_bytes(k),
        ip: Ipv4Addr::from(ip),
        https_port: 443,
        omq_port: 22020,
        swarm_id: SwarmId(0),
        version: None,
    }
}

/// `n` nodes, each in its own /24.
fn pool(n: u16) -> Vec<ServiceNode> {
    (0..n)
        .map(|i| node(i, [10, (i >> 8) as u8, i as u8, 1]))
        .collect()
}

const T0: Timestamp = Timestamp(1_700_000_000_000);

#[test]
fn builds_min_paths_disjoint_and_diverse() {
    let mut m = PathManager::new(PathConfig::default());
    assert!(m.needs_pool_refresh(T0));
    m.set_pool(pool(20), T0);
    assert!(!m.needs_pool_refresh(T0));
    assert!(m.needs_pool_refresh(Timestamp(T0.0 + 2 * 3600 * 1000)));
    let mut rng = common::rng(1);
    let ev = m.ensure_paths(&mut rng);
    assert_eq!(ev.len(), 2);
    assert!(ev.iter().all(|e| matches!(e, Event::PathBuilt(_))));
    assert_eq!(m.paths().len(), 2);
    let mut seen = BTreeSet::new();
    for p in m.paths() {
        assert_eq!(p.nodes().len(), 3);
        assert_eq!(p.guard(), p.nodes().first());
        let subnets: BTreeSet<_> = p.nodes().iter().map(ServiceNode::subnet24).collect();
        assert_eq!(subnets.len(), 3);
        for n in p.nodes() {
            assert!(seen.insert(n.ed25519), "node on two paths");
        }
        assert_eq!(p.hops().count(), 3);
    }
    // Deterministic under a seeded RNG.
    let mut m2 = PathManager::new(PathConfig::default());
    m2.set_pool(pool(20), T0);
    m2.ensure_paths(&mut common::rng(1));
    assert_eq!(m.paths(), m2.paths());
}

#[test]
fn subnet_diversity_can_be_switched_off() {
    // Ten nodes behind one /24 (a private testnet).
    let same: Vec<_> = (0..10)
        .map(|i| node(i, [192, 168, 1, i as u8 + 1]))
        .collect();
    let mut strict = PathManager::new(PathConfig::default());
    strict.set_pool(same.clone(), T0);
    assert!(matches!(
        strict.build_path(None, &mut common::rng(1)),
        Err(session_onion::ClientError::NotEnoughNodes { needed: 3, .. })
    ));
    assert_eq!(
        strict.ensure_paths(&mut common::rng(1)),
        vec![Event::PoolExhausted]
    );
    let mut open = PathManager::new(PathConfig::default().subnet_diversity(false));
    open.set_pool(same, T0);
    assert_eq!(open.ensure_paths(&mut common::rng(1)).len(), 2);
    assert_eq!(open.paths().len(), 2);
}

#[test]
fn nodes_sharing_one_ip_build_paths_without_diversity() {
    // A local testnet: every node behind 127.0.0.1 (the case the switch exists for).
    let same_ip: Vec<_> = (0..10).map(|i| node(i, [127, 0, 0, 1])).collect();
    let mut strict = PathManager::new(PathConfig::default());
    strict.set_pool(same_ip.clone(), T0);
    assert_eq!(
        strict.ensure_paths(&mut common::rng(2)),
        vec![Event::PoolExhausted]
    );
    let mut open = PathManager::new(PathConfig::default().subnet_diversity(false));
    open.set_pool(same_ip.clone(), T0);
    let ev = open.ensure_paths(&mut common::rng(2));
    assert_eq!(ev.len(), 2, "{ev:?}");
    assert!(ev.iter().all(|e| matches!(e, Event::PathBuilt(_))));
    // The destination is excluded by key alone, both when selecting and when building.
    for dest in &same_ip {
        let picked = open
            .select_path(Some(dest), &mut common::rng(3))
            .expect("a path avoiding the destination exists");
        assert!(picked.nodes().iter().all(|n| n.ed25519 != dest.ed25519));
    }
    for seed in 0..10u8 {
        let dest = same_ip[usize::from(seed)];
        let mut m = PathManager::new(PathConfig::default().subnet_diversity(false).min_paths(0));
        m.set_pool(same_ip.clone(), T0);
        let id = m.build_path(Some(&dest), &mut common::rng(seed)).unwrap();
        let nodes = m.path(id).unwrap().nodes();
        assert_eq!(nodes.len(), 3);
        assert!(nodes.iter().all(|n| n.ed25519 != dest.ed25519));
    }
}

#[test]
fn destination_is_never_on_its_path() {
    let nodes = pool(8);
    for seed in 0..20u8 {
        let mut m = PathManager::new(PathConfig::default().min_paths(0));
        m.set_pool(nodes.clone(), T0);
        let dest = nodes[usize::from(seed) % 8];
        let id = m.build_path(Some(&dest), &mut common::rng(seed)).unwrap();
        let p = m.path(id).unwrap();
        assert!(
            p.nodes()
                .iter()
                .all(|n| n.ed25519 != dest.ed25519 && n.subnet24() != dest.subnet24())
        );
        assert_eq!(
            m.select_path(Some(&dest), &mut common::rng(seed))
                .unwrap()
                .id(),
            id
        );
        // A path through the destination is not selected for it.
        let on_path = p.nodes()[1];
        assert!(
            m.select_path(Some(&on_path), &mut common::rng(seed))
                .is_none()
        );
    }
}

#[test]
fn strikes_drop_paths_and_nodes() {
    let mut m = PathManager::new(PathConfig::default());
    m.set_pool(pool(12), T0);
    let mut rng = common::rng(3);
    m.ensure_paths(&mut rng);
    let p = m.paths()[0].clone();
    assert!(m.report(p.id(), Outcome::PathFailure, &mut rng).is_empty());
    assert_eq!(m.path(p.id()).unwrap().strikes(), 1);
    // Success resets; 400-class answers do not count.
    m.report(p.id(), Outcome::Success, &mut rng);
    assert_eq!(m.path(p.id()).unwrap().strikes(), 0);
    m.report(p.id(), Outcome::NoPenalty, &mut rng);
    m.report(p.id(), Outcome::Misdirected, &mut rng);
    assert_eq!(m.path(p.id()).unwrap().strikes(), 0);
    m.report(p.id(), Outcome::PathFailure, &mut rng);
    m.report(p.id(), Outcome::PathFailure, &mut rng);
    let ev = m.report(p.id(), Outcome::PathFailure, &mut rng);
    assert_eq!(
        ev,
        vec![
            Event::PathDropped(p.id()),
            Event::NodeDropped(p.nodes()[0].ed25519)
        ]
    );
    assert!(m.path(p.id()).is_none());
    assert_eq!(m.node_strikes(&p.nodes()[0].ed25519), 3);
    assert_eq!(m.node_strikes(&p.nodes()[1].ed25519), 1);
    assert_eq!(m.usable_count(), 11);
    // Rebuild: the struck-out guard is never used again.
    assert_eq!(
        m.ensure_paths(&mut rng),
        vec![Event::PathBuilt(path::PathId(2))]
    );
    assert!(
        m.paths()
            .iter()
            .all(|q| q.nodes().iter().all(|n| n.ed25519 != p.nodes()[0].ed25519))
    );
}

#[test]
fn next_node_not_found_replaces_the_node() {
    let mut m = PathManager::new(PathConfig::default());
    m.set_pool(pool(12), T0);
    let mut rng = common::rng(4);
    m.ensure_paths(&mut rng);
    let p = m.paths()[0].clone();
    let bad = p.nodes()[2].ed25519;
    let body = format!("Next node not found: {bad}");
    let outcome = path::classify_response(502, body.as_bytes(), false);
    assert_eq!(outcome, Outcome::NextNodeNotFound(bad));
    let ev = m.report(p.id(), outcome, &mut rng);
    assert_eq!(ev.len(), 2);
    assert_eq!(ev[0], Event::NodeDropped(bad));
    let Event::NodeReplaced { path, old, new } = ev[1] else {
        panic!("{ev:?}")
    };
    assert_eq!((path, old), (p.id(), bad));
    let q = m.path(p.id()).unwrap();
    assert_eq!(q.nodes()[2].ed25519, new);
    assert_eq!(&q.nodes()[..2], &p.nodes()[..2]);
    // A guard that vanished takes its path with it.
    let guard = q.nodes()[0].ed25519;
    let ev = m.report(p.id(), Outcome::NextNodeNotFound(guard), &mut rng);
    assert_eq!(
        ev,
        vec![Event::NodeDropped(guard), Event::PathDropped(p.id())]
    );
}

#[test]
fn response_classification() {
    use path::classify_response as c;
    assert_eq!(c(200, b"", false), Outcome::Success);
    assert_eq!(c(421, b"", false), Outcome::Misdirected);
    for s in [400, 404, 406, 425] {
        assert_eq!(c(s, b"", false), Outcome::NoPenalty);
    }
    assert_eq!(c(500, b"", true), Outcome::NoPenalty);
    assert_eq!(c(504, b"", true), Outcome::NoPenalty);
    assert_eq!(c(504, b"Request time out", false), Outcome::PathFailure);
    assert_eq!(c(503, b"Snode not ready", false), Outcome::PathFailure);
    let k = "cd".repeat(32);
    let quic = format!("502 Bad Gateway\n\nNext node is currently unreachable: {k}");
    assert_eq!(
        c(502, quic.as_bytes(), false),
        Outcome::NextNodeNotFound(Ed25519PublicKey::from_bytes([0xcd; 32]))
    );
    assert_eq!(
        c(502, b"Next node not found: zz", false),
        Outcome::PathFailure
    );
}

#[test]
fn redirect_policy_and_retry_delay() {
    let mut p = RedirectPolicy::new();
    assert_eq!(p.on_misdirected(), RedirectDecision::RetryOtherSwarmMember);
    assert_eq!(p.on_misdirected(), RedirectDecision::RefreshThenRetry);
    assert_eq!(p.on_misdirected(), RedirectDecision::Fail);
    assert_eq!(p.on_misdirected(), RedirectDecision::Fail);
    assert_eq!(path::retry_delay_ms(0, 5000), 100);
    assert_eq!(path::retry_delay_ms(3, 5000), 800);
    assert_eq!(path::retry_delay_ms(10, 5000), 5000);
    assert_eq!(path::retry_delay_ms(200, 5000), 5000);
}

#[test]
fn pool_changes_drop_stale_paths() {
    let mut m = PathManager::new(PathConfig::default());
    m.set_pool(pool(12), T0);
    m.ensure_paths(&mut common::rng(6));
    let p = m.paths()[0].clone();
    let keep: Vec<_> = pool(12)
        .into_iter()
        .filter(|n| n.ed25519 != p.nodes()[1].ed25519)
        .collect();
    let ev = m.set_pool(keep, T0);
    assert_eq!(ev, vec![Event::PathDropped(p.id())]);
    assert_eq!(m.paths().len(), 1);
    // Unknown addresses are not usable; a small pool asks for a refresh.
    let mut small = PathManager::new(PathConfig::default());
    small.set_pool(vec![node(1, [0, 0, 0, 0]), node(2, [1, 2, 3, 4])], T0);
    assert_eq!(small.usable_count(), 1);
    assert!(small.needs_pool_refresh(T0));
}
