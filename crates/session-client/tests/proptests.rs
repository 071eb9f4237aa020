//! Arbitrary answer sequences never panic and keep the path invariants.

mod common;

use std::collections::BTreeSet;

use common::*;
use proptest::prelude::*;
use session_client::{Action, Category, Client, Config, Destination, Reply, Target, status};
use session_core::{AccountId, Network, ServiceNode, Timestamp};

/// 60 nodes crowded into 20 /24s, so that diversity matters.
fn universe() -> Vec<ServiceNode> {
    (1..=60u16)
        .map(|i| {
            let mut n = node(i);
            n.ip = core::net::Ipv4Addr::new(10, 0, (i % 20) as u8, i as u8);
            n
        })
        .collect()
}

#[derive(Debug, Clone)]
enum Op {
    Advance(u64),
    Send(u8),
    Answer {
        pick: usize,
        how: u8,
        subset: u64,
        named: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0u64..1_500_000).prop_map(Op::Advance),
        any::<u8>().prop_map(Op::Send),
        (any::<usize>(), any::<u8>(), any::<u64>(), any::<usize>()).prop_map(
            |(pick, how, subset, named)| Op::Answer {
                pick,
                how,
                subset,
                named
            }
        ),
    ]
}

fn hex(n: &ServiceNode) -> String {
    n.ed25519
        .as_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn check(client: &Client, now: Timestamp) {
    let paths = client.paths().paths();
    let mut keys = BTreeSet::new();
    let mut subnets = BTreeSet::new();
    for p in paths {
        assert_eq!(p.nodes().len(), 3);
        for n in p.nodes() {
            assert!(keys.insert(n.ed25519), "node on two paths");
            assert!(subnets.insert(n.subnet24()), "a /24 used twice");
            assert!(
                !client.pool().is_struck_out(&n.ed25519, now),
                "struck-out node on a path"
            );
        }
    }
    for c in Category::ALL {
        assert!(client.paths().count(c) <= 2);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn arbitrary_answers_keep_invariants(ops in proptest::collection::vec(op(), 1..120)) {
        let all = universe();
        let account = AccountId::parse(&format!("05{}", "cd".repeat(32)), Network::Mainnet)
            .expect("account");
        let mut rng = rng();
        let mut client = Client::new(Config::default(), vec![all[0], all[1]]);
        let mut now = T0;
        let mut open: Vec<Action> = Vec::new();
        for op in ops {
            match op {
                Op::Advance(ms) => now = Timestamp(now.0 + ms),
                Op::Send(k) => {
                    let dest = match k % 3 {
                        0 => Destination::Server,
                        1 => Destination::Swarm(account),
                        _ => Destination::Node(all[k as usize % all.len()]),
                    };
                    let cat = if k % 2 == 0 { Category::Standard } else { Category::File };
                    client.send(dest, cat);
                }
                Op::Answer { pick, how, subset, named } if !open.is_empty() => {
                    let action = open.swap_remove(pick % open.len());
                    let list: Vec<ServiceNode> = all
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| how % 4 == 0 || (subset >> (i % 64)) & 1 == 1)
                        .map(|(_, n)| *n)
                        .collect();
                    match action {
                        Action::FetchNodeList { token, .. } => {
                            let nodes = (how % 5 != 4).then_some(list);
                            client.handle_node_list(token, nodes, now, &mut rng);
                        }
                        Action::FetchTime { token, .. } => {
                            let t = (how % 3 != 2).then_some(now.0.wrapping_add(subset % 100_000));
                            client.handle_time(token, t, now);
                        }
                        Action::NeedSwarm { account } => {
                            client.set_swarm(account, list.into_iter().take(5).collect());
                        }
                        Action::Send { token, .. } => {
                            let named = &all[named % all.len()];
                            let bodies = [
                                format!("{}{}", status::NEXT_NODE_NOT_FOUND, hex(named)),
                                format!("{}{}", status::SNODE_NOT_READY, hex(named)),
                                status::REQUEST_TIME_OUT.to_string(),
                                status::INVALID_RESPONSE.to_string(),
                                status::SERVER_BUSY.to_string(),
                                String::from_utf8_lossy(&subset.to_le_bytes()).into_owned(),
                            ];
                            let statuses = [200u16, 400, 403, 404, 406, 421, 425, 500, 502, 503, 504];
                            let body = &bodies[(subset as usize) % bodies.len()];
                            let reply = if how % 13 == 12 {
                                Reply::NoReply
                            } else {
                                Reply::Status {
                                    status: statuses[how as usize % statuses.len()],
                                    body: body.as_bytes(),
                                }
                            };
                            client.handle_reply(token, reply, now, &mut rng);
                        }
                        _ => {}
                    }
                }
                Op::Answer { .. } => {}
            }
            while let Some(action) = client.poll(now, &mut rng) {
                match &action {
                    Action::Send { hops, target, path, .. } => {
                        let live = client.paths().get(*path).expect("live path");
                        prop_assert_eq!(live.nodes(), hops.as_slice());
                        for h in hops {
                            prop_assert!(!client.pool().is_struck_out(&h.ed25519, now));
                        }
                        if let Target::Node(t) = target {
                            prop_assert!(hops.iter().all(|h| h.ed25519 != t.ed25519
                                && h.subnet24() != t.subnet24()));
                        }
                        open.push(action);
                    }
                    Action::FetchTime { node, .. } => {
                        prop_assert!(!client.pool().is_struck_out(&node.ed25519, now));
                        open.push(action);
                    }
                    Action::FetchNodeList { .. } | Action::NeedSwarm { .. } => open.push(action),
                    _ => {}
                }
                prop_assert!(open.len() < 5_000);
            }
            check(&client, now);
        }
    }
}

proptest! {
    #[test]
    fn classify_never_panics_on_arbitrary_bodies(
        code in any::<u16>(),
        body in proptest::collection::vec(any::<u8>(), 0..200),
        prefix in 0usize..5,
        dest in any::<[u8; 32]>(),
    ) {
        let patterns = ["", status::NEXT_NODE_NOT_FOUND, status::NEXT_NODE_UNREACHABLE,
            status::SNODE_NOT_READY, status::OXEND_UNPARSABLE];
        let mut text = patterns[prefix].as_bytes().to_vec();
        text.extend_from_slice(&body);
        let dest = session_core::Ed25519PublicKey::from_bytes(dest);
        let got = status::classify(code, &text, Some(&dest));
        // Only 2xx is a success, and 4xx other than 406/421/425 never penalize.
        prop_assert_eq!(got == status::Classification::Success, (200..=299).contains(&code));
        if (400..500).contains(&code) && ![406, 421, 425].contains(&code) {
            prop_assert_eq!(got, status::Classification::NoPenalty);
        }
    }
}
