//! One test per client rule, against libsession-util's constants.

#![allow(clippy::panic, reason = "a helper that finds no send fails the test")]
mod common;

use common::*;
use session_client::{
    Action, Category, Client, Config, Destination, FailReason, NodePool, Reply, Target, clock,
    status::{self, Classification, Penalties},
    swarm,
};
use session_core::{AccountId, Network, ServiceNode, Timestamp};

const HOUR: u64 = 3_600_000;

fn fetches(actions: &[Action]) -> Vec<(session_client::Token, ServiceNode, bool)> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::FetchNodeList { token, node, seed } => Some((*token, *node, *seed)),
            _ => None,
        })
        .collect()
}

fn sends(actions: &[Action]) -> Vec<(session_client::Token, Vec<ServiceNode>, Target)> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Send {
                token,
                hops,
                target,
                ..
            } => Some((*token, hops.clone(), *target)),
            _ => None,
        })
        .collect()
}

#[test]
fn defaults_are_libsession_constants() {
    let c = Config::default();
    assert_eq!(c.cache_expiration_ms, 2 * HOUR);
    assert_eq!(c.cache_min_lifetime_ms, 2000);
    assert_eq!(c.cache_min_size, 12);
    assert_eq!(c.cache_min_swarm_size, 3);
    assert_eq!((c.refresh_node_count, c.refresh_min_presence), (3, 2));
    assert_eq!(c.node_strike_threshold, 3);
    assert_eq!(c.strike_expiry_ms, 48 * HOUR);
    assert_eq!(
        (
            c.path_length,
            c.min_paths_per_category,
            c.path_strike_threshold
        ),
        (3, 2, 3)
    );
    assert_eq!(c.path_rotation_ms, 10 * 60_000);
    assert_eq!((c.redirect_retry_count, c.clock_nodes), (1, 3));
    assert_eq!(
        [1, 2, 3, 4, 5, 6, 50].map(|n| c.retry_delay_ms(n)),
        [200, 400, 800, 1600, 3200, 5000, 5000]
    );
}

#[test]
fn empty_pool_bootstraps_from_one_seed_whose_list_is_trusted_alone() {
    let mut rng = rng();
    let network = nodes(1..13);
    let mut client = Client::new(Config::default(), vec![node(0), node(100)]);
    let actions = drain(&mut client, T0, &mut rng);
    let f = fetches(&actions);
    assert_eq!(f.len(), 1, "one seed node is enough");
    assert!(f[0].2);
    client.handle_node_list(f[0].0, Some(network.clone()), T0, &mut rng);
    let mut pool: Vec<_> = client.pool().nodes().to_vec();
    pool.sort();
    assert_eq!(pool, network);
}

#[test]
fn refresh_asks_three_pool_nodes_and_keeps_nodes_two_of_them_list() {
    let mut rng = rng();
    let network = nodes(1..40);
    let (mut client, _) = bootstrapped(Config::default(), &network, &mut rng);
    let later = after(T0, 2 * HOUR + 1);
    let f = fetches(&drain(&mut client, later, &mut rng));
    assert_eq!(f.len(), 3);
    assert!(f.iter().all(|(_, n, seed)| !seed && network.contains(n)));
    // 1..30 listed by two answers, 30..35 by one only, 35..40 by all three.
    let a: Vec<_> = nodes(1..20).into_iter().chain(nodes(30..40)).collect();
    let b: Vec<_> = nodes(10..30).into_iter().chain(nodes(35..40)).collect();
    let c: Vec<_> = nodes(1..10)
        .into_iter()
        .chain(nodes(20..30))
        .chain(nodes(35..40))
        .collect();
    for ((token, _, _), list) in f.iter().zip([a, b, c]) {
        client.handle_node_list(*token, Some(list), later, &mut rng);
    }
    let mut pool = client.pool().nodes().to_vec();
    pool.sort();
    let expected: Vec<_> = nodes(1..30).into_iter().chain(nodes(35..40)).collect();
    assert_eq!(pool, expected);
    assert_eq!(client.pool().updated_at(), Some(later));
}

#[test]
fn pool_expires_after_two_hours() {
    let mut rng = rng();
    let (mut client, _) = bootstrapped(Config::default(), &nodes(1..40), &mut rng);
    assert!(fetches(&drain(&mut client, after(T0, 2 * HOUR), &mut rng)).is_empty());
    assert_eq!(client.next_timeout(), Some(after(T0, 2 * HOUR + 1)));
    assert_eq!(
        fetches(&drain(&mut client, after(T0, 2 * HOUR + 1), &mut rng)).len(),
        3
    );
}

#[test]
fn refresh_is_due_below_twelve_usable_nodes_but_not_within_two_seconds() {
    let mut rng = rng();
    // 24 nodes: 4 paths use 12, leaving exactly 12 usable.
    let (client, _) = bootstrapped(Config::default(), &nodes(1..25), &mut rng);
    assert_eq!(client.paths().paths().len(), 4);
    assert!(!client.refreshing());
    let mut pool = client.pool().clone();
    let in_use = client.paths().in_use();
    assert_eq!(pool.usable_count(&in_use, T0), 12);
    assert!(!pool.refresh_due(&in_use, T0));
    let spare = pool.nodes().iter().find(|n| !in_use.contains(n)).copied();
    for _ in 0..3 {
        pool.record_failure(spare.map(|n| n.ed25519).unwrap_or_default(), T0, false);
    }
    assert!(pool.refresh_due(&in_use, T0));
    assert_eq!(pool.refresh_not_before(), after(T0, 2000));

    // The same through the client: a node list of 20 leaves 8 usable.
    let mut rng = common::rng();
    let (mut client, _) = bootstrapped(Config::default(), &nodes(1..21), &mut rng);
    assert!(fetches(&drain(&mut client, after(T0, 1999), &mut rng)).is_empty());
    assert_eq!(
        fetches(&drain(&mut client, after(T0, 2000), &mut rng)).len(),
        3
    );
}

#[test]
fn a_refresh_with_fewer_than_twelve_nodes_is_discarded_and_the_old_pool_kept() {
    let mut rng = rng();
    let network = nodes(1..40);
    let (mut client, _) = bootstrapped(Config::default(), &network, &mut rng);
    let later = after(T0, 2 * HOUR + 1);
    let f = fetches(&drain(&mut client, later, &mut rng));
    for (token, _, _) in &f {
        client.handle_node_list(*token, Some(nodes(1..12)), later, &mut rng);
    }
    assert_eq!(client.pool().nodes().len(), 39);
    assert!(client.refreshing());
    // Asked again after the first retry delay (200 ms), three new nodes.
    assert!(fetches(&drain(&mut client, after(later, 199), &mut rng)).is_empty());
    let again = fetches(&drain(&mut client, after(later, 200), &mut rng));
    assert_eq!(again.len(), 3);
    assert!(
        again
            .iter()
            .all(|(_, n, _)| f.iter().all(|(_, m, _)| m != n))
    );
}

#[test]
fn a_failed_fetch_moves_to_another_candidate_after_the_retry_delay() {
    let mut rng = rng();
    let mut client = Client::new(Config::default(), vec![node(0), node(100)]);
    let f = fetches(&drain(&mut client, T0, &mut rng));
    client.handle_node_list(f[0].0, None, T0, &mut rng);
    assert_eq!(client.next_timeout(), Some(after(T0, 200)));
    let g = fetches(&drain(&mut client, after(T0, 200), &mut rng));
    assert_eq!(g.len(), 1);
    assert_ne!(g[0].1, f[0].1);
    // Both seeds failed: the refresh starts over after a longer delay.
    client.handle_node_list(g[0].0, None, after(T0, 200), &mut rng);
    assert!(fetches(&drain(&mut client, after(T0, 600), &mut rng)).is_empty());
    assert!(!client.refreshing());
    assert_eq!(
        fetches(&drain(&mut client, after(T0, 1400), &mut rng)).len(),
        1
    );
}

#[test]
fn three_strikes_exclude_a_node_and_strikes_expire_after_48_hours() {
    let mut rng = rng();
    let mut pool = NodePool::new(Config::default());
    pool.replace(nodes(1..4), T0, &mut rng);
    let key = node(1).ed25519;
    pool.record_failure(key, T0, false);
    pool.record_failure(key, after(T0, HOUR), false);
    assert!(!pool.is_struck_out(&key, after(T0, HOUR)));
    pool.record_failure(key, after(T0, 2 * HOUR), false);
    assert!(pool.is_struck_out(&key, after(T0, 2 * HOUR)));
    let picked = pool.unused_nodes(3, &[], after(T0, 2 * HOUR), &mut rng);
    assert_eq!(picked.len(), 2);
    assert!(!picked.contains(&node(1)));
    // The first strike expires 48 h after it was recorded.
    assert!(pool.is_struck_out(&key, after(T0, 48 * HOUR - 1)));
    assert_eq!(pool.strike_count(&key, after(T0, 48 * HOUR)), 2);
    assert!(!pool.is_struck_out(&key, after(T0, 48 * HOUR)));
    // A permanent failure strikes out at once.
    pool.record_failure(node(2).ed25519, T0, true);
    assert!(pool.is_struck_out(&node(2).ed25519, T0));
}

#[test]
fn paths_two_per_category_three_hops_distinct_nodes_and_subnets() {
    let mut rng = rng();
    let (client, _) = bootstrapped(Config::default(), &nodes(1..40), &mut rng);
    let paths = client.paths();
    assert_eq!(paths.count(Category::Standard), 2);
    assert_eq!(paths.count(Category::File), 2);
    let all = paths.in_use();
    assert_eq!(all.len(), 12);
    let mut subnets: Vec<_> = all.iter().map(ServiceNode::subnet24).collect();
    subnets.sort();
    subnets.dedup();
    assert_eq!(subnets.len(), 12, "no /24 twice, within or across paths");
    assert!(paths.paths().iter().all(|p| p.nodes().len() == 3));

    // One /24 for everything: no path at all with diversity, paths without.
    let same: Vec<_> = nodes(1..40)
        .into_iter()
        .map(|mut n| {
            n.ip = core::net::Ipv4Addr::new(127, 0, 0, 1);
            n
        })
        .collect();
    let mut rng = common::rng();
    let (client, _) = bootstrapped(Config::default(), &same, &mut rng);
    assert!(client.paths().paths().is_empty());
    let mut loopback = Config::default();
    loopback.subnet_diversity = false;
    let (client, _) = bootstrapped(loopback, &same, &mut rng);
    assert_eq!(client.paths().paths().len(), 4);
}

#[test]
fn the_destination_is_never_on_its_own_path() {
    let mut rng = rng();
    let network = nodes(1..40);
    let (mut client, _) = bootstrapped(Config::default(), &network, &mut rng);
    for dest in client.paths().in_use() {
        client.send(Destination::Node(dest), Category::Standard);
    }
    for (_, hops, target) in sends(&drain(&mut client, T0, &mut rng)) {
        let Target::Node(dest) = target else {
            panic!("node target")
        };
        assert!(
            hops.iter()
                .all(|h| h.ed25519 != dest.ed25519 && h.subnet24() != dest.subnet24())
        );
    }
}

fn send_one(
    client: &mut Client,
    dest: Destination,
    now: Timestamp,
    rng: &mut chacha20::ChaCha20Rng,
) -> (
    session_client::Token,
    Vec<ServiceNode>,
    session_client::PathId,
) {
    client.send(dest, Category::Standard);
    let actions = drain(client, now, rng);
    let Some(Action::Send {
        token, hops, path, ..
    }) = actions
        .into_iter()
        .find(|a| matches!(a, Action::Send { .. }))
    else {
        panic!("no send")
    };
    (token, hops, path)
}

#[test]
fn a_path_is_dropped_after_three_failures_and_its_nodes_struck_once() {
    let mut rng = rng();
    let (mut client, _) = bootstrapped(Config::default(), &nodes(1..40), &mut rng);
    let dest = Destination::Server;
    let (token, hops, path) = send_one(&mut client, dest, T0, &mut rng);
    client.handle_reply(token, Reply::NoReply, T0, &mut rng);
    assert_eq!(client.paths().get(path).map(|p| p.strikes()), Some(1));
    let body = status::REQUEST_TIME_OUT.as_bytes();
    let mut strikes = 1;
    while strikes < 3 {
        let (token, _, p) = send_one(&mut client, dest, T0, &mut rng);
        if p == path {
            client.handle_reply(token, Reply::Status { status: 504, body }, T0, &mut rng);
            strikes += 1;
        } else {
            client.handle_reply(
                token,
                Reply::Status {
                    status: 200,
                    body: b"",
                },
                T0,
                &mut rng,
            );
        }
        drain(&mut client, T0, &mut rng);
    }
    assert!(client.paths().get(path).is_none());
    for h in &hops {
        assert_eq!(client.pool().strike_count(&h.ed25519, T0), 1);
    }
    assert_eq!(client.paths().count(Category::Standard), 2, "rebuilt");
}

#[test]
fn paths_are_rotated_every_ten_minutes() {
    let mut rng = rng();
    let (mut client, _) = bootstrapped(Config::default(), &nodes(1..40), &mut rng);
    let old: Vec<_> = client.paths().paths().iter().map(|p| p.id()).collect();
    assert_eq!(client.next_timeout(), Some(after(T0, 600_000)));
    drain(&mut client, after(T0, 599_999), &mut rng);
    assert!(old.iter().all(|id| client.paths().get(*id).is_some()));
    drain(&mut client, after(T0, 600_000), &mut rng);
    assert!(old.iter().all(|id| client.paths().get(*id).is_none()));
    assert_eq!(client.paths().paths().len(), 4);
}

#[test]
fn status_table() {
    let dest = node(7).ed25519;
    let d = Some(&dest);
    for s in [400u16, 401, 403, 404] {
        assert_eq!(
            status::classify(s, b"anything", d),
            Classification::NoPenalty
        );
    }
    for s in [406u16, 425] {
        assert_eq!(status::classify(s, b"", d), Classification::ClockOutOfSync);
    }
    assert_eq!(status::classify(421, b"", d), Classification::WrongSwarm);
    assert_eq!(status::classify(200, b"", None), Classification::Success);
    // 500 and 504 cost the path only when a node wrote them.
    let path = Classification::Penalize(Penalties {
        path: true,
        ..Penalties::default()
    });
    assert_eq!(
        status::classify(500, b"Invalid response from snode", d),
        path
    );
    assert_eq!(status::classify(504, b"Request time out", None), path);
    assert_eq!(
        status::classify(500, b"db error", None),
        Classification::NoPenalty
    );
    assert_eq!(
        status::classify(504, b"gateway", None),
        Classification::NoPenalty
    );
    let guard = Classification::Penalize(Penalties {
        guard: true,
        ..Penalties::default()
    });
    assert_eq!(
        status::classify(503, b"Server busy, try again later", d),
        guard
    );
    let other = node(9).ed25519;
    let hex: String = other
        .as_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let named = format!("Snode not ready: {hex}");
    let Classification::Penalize(p) = status::classify(503, named.as_bytes(), d) else {
        panic!()
    };
    assert_eq!(p.node, Some((other, false)));
    assert_eq!(status::classify(502, b"Next node not found: zz", d), path);
    assert_eq!(
        status::classify(502, b"oxend returned unparsable data", d),
        {
            Classification::Penalize(Penalties {
                destination: Some(true),
                ..Penalties::default()
            })
        }
    );
}

#[test]
fn next_node_not_found_strikes_out_and_replaces_that_node() {
    let mut rng = rng();
    let (mut client, _) = bootstrapped(Config::default(), &nodes(1..40), &mut rng);
    let (token, hops, path) = send_one(&mut client, Destination::Server, T0, &mut rng);
    let missing = hops[2];
    let hex: String = missing
        .ed25519
        .as_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let body = format!("Next node not found: {hex}");
    client.handle_reply(
        token,
        Reply::Status {
            status: 502,
            body: body.as_bytes(),
        },
        T0,
        &mut rng,
    );
    assert!(client.pool().is_struck_out(&missing.ed25519, T0));
    let p = client.paths().get(path).expect("path kept");
    assert_eq!(p.strikes(), 1);
    assert_eq!(&p.nodes()[..2], &hops[..2]);
    assert_ne!(p.nodes()[2], missing);
    assert!(client.paths().in_use().iter().all(|n| *n != missing));

    // Naming the destination strikes the destination, not the path.
    let dest = client
        .pool()
        .nodes()
        .iter()
        .find(|n| !client.paths().in_use().contains(n));
    let dest = *dest.expect("spare");
    let (token, _, path) = send_one(&mut client, Destination::Node(dest), T0, &mut rng);
    let hex: String = dest
        .ed25519
        .as_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let body = format!("Next node not found: {hex}");
    let before = client.paths().get(path).map(|p| p.strikes());
    client.handle_reply(
        token,
        Reply::Status {
            status: 502,
            body: body.as_bytes(),
        },
        T0,
        &mut rng,
    );
    assert!(client.pool().is_struck_out(&dest.ed25519, T0));
    assert_eq!(client.paths().get(path).map(|p| p.strikes()), before);
}

#[test]
fn wrong_swarm_refreshes_the_swarm_and_retries_once_on_another_member() {
    let mut rng = rng();
    let (mut client, _) = bootstrapped(Config::default(), &nodes(1..40), &mut rng);
    let text = format!("05{}", "ab".repeat(32));
    let account = AccountId::parse(&text, Network::Mainnet).expect("account");
    let request = client.send(Destination::Swarm(account), Category::Standard);
    let actions = drain(&mut client, T0, &mut rng);
    assert_eq!(actions, vec![Action::NeedSwarm { account }]);
    client.set_swarm(account, nodes(100..103));
    let s = sends(&drain(&mut client, T0, &mut rng));
    let Target::Node(first) = s[0].2 else {
        panic!()
    };
    client.handle_reply(
        s[0].0,
        Reply::Status {
            status: 421,
            body: b"",
        },
        T0,
        &mut rng,
    );
    assert!(client.swarms().get(&account).is_none());
    assert_eq!(
        drain(&mut client, T0, &mut rng),
        vec![Action::NeedSwarm { account }]
    );
    client.set_swarm(account, nodes(100..104));
    let s = sends(&drain(&mut client, T0, &mut rng));
    let Target::Node(second) = s[0].2 else {
        panic!()
    };
    assert_ne!(first, second);
    client.handle_reply(
        s[0].0,
        Reply::Status {
            status: 421,
            body: b"",
        },
        T0,
        &mut rng,
    );
    assert_eq!(
        drain(&mut client, T0, &mut rng),
        vec![Action::Failed {
            request,
            reason: FailReason::WrongSwarm
        }]
    );
}

#[test]
fn swarm_lookup_tops_up_with_the_least_struck_members() {
    let mut rng = rng();
    let mut pool = NodePool::new(Config::default());
    let members = nodes(1..5);
    pool.replace(members.clone(), T0, &mut rng);
    for (n, strikes) in [(1u16, 3), (2, 5), (3, 4)] {
        for _ in 0..strikes {
            pool.record_failure(node(n).ed25519, T0, false);
        }
    }
    let got = swarm::usable_members(&members, &pool, 3, T0, &mut rng);
    assert_eq!(got, vec![node(4), node(1), node(3)]);
    // Enough clean members: struck ones are dropped.
    let got = swarm::usable_members(&members, &pool, 1, T0, &mut rng);
    assert_eq!(got, vec![node(4)]);
}

#[test]
fn clock_offset_is_the_median_of_three_nodes() {
    assert_eq!(clock::median(&mut [30, -10, 500]), Some(30));
    assert_eq!(clock::median(&mut [30, -10]), Some(10));
    assert_eq!(clock::median(&mut []), None);
    // Half the round trip is the answer's travel time.
    assert_eq!(
        clock::offset_from_reply(Timestamp(1000), Timestamp(1200), 5000),
        3700
    );

    let mut rng = rng();
    let (mut client, _) = bootstrapped(Config::default(), &nodes(1..40), &mut rng);
    let (token, _, _) = send_one(&mut client, Destination::Server, T0, &mut rng);
    let request = session_client::RequestId(0);
    client.handle_reply(
        token,
        Reply::Status {
            status: 425,
            body: b"",
        },
        T0,
        &mut rng,
    );
    let asks: Vec<_> = drain(&mut client, T0, &mut rng)
        .into_iter()
        .filter_map(|a| match a {
            Action::FetchTime { token, .. } => Some(token),
            _ => None,
        })
        .collect();
    assert_eq!(asks.len(), 3);
    let back = after(T0, 100);
    client.handle_time(asks[0], Some(T0.0 + 150 + 60_000), back);
    client.handle_time(asks[1], None, back);
    assert_eq!(client.clock_offset(), None);
    client.handle_time(asks[2], Some(T0.0 + 150 - 1000), back);
    // Offsets 60_000 and -1_000 (one node failed): their mean.
    assert_eq!(client.clock_offset(), Some(29_500));
    assert_eq!(
        drain(&mut client, back, &mut rng),
        vec![
            Action::ClockOffset { offset_ms: 29_500 },
            Action::Failed {
                request,
                reason: FailReason::ClockOutOfSync
            }
        ]
    );
    assert_eq!(client.network_time(back), after(back, 29_500));
}

#[test]
fn client_errors_never_count_against_the_path() {
    let mut rng = rng();
    let (mut client, _) = bootstrapped(Config::default(), &nodes(1..40), &mut rng);
    for code in [400u16, 401, 403, 404, 500, 504] {
        let (token, hops, path) = send_one(&mut client, Destination::Server, T0, &mut rng);
        let reply = Reply::Status {
            status: code,
            body: b"from the server",
        };
        client.handle_reply(token, reply, T0, &mut rng);
        assert_eq!(
            client.paths().get(path).map(|p| p.strikes()),
            Some(0),
            "{code}"
        );
        assert!(
            hops.iter()
                .all(|h| client.pool().strike_count(&h.ed25519, T0) == 0)
        );
        let failed = drain(&mut client, T0, &mut rng);
        assert!(matches!(
            failed.as_slice(),
            [Action::Failed { reason: FailReason::Status(c), .. }] if *c == code
        ));
    }
}

#[test]
fn a_cancelled_request_is_never_sent_nor_reported() {
    let mut rng = rng();
    let mut client = Client::new(Config::default(), vec![node(0)]);
    let request = client.send(Destination::Server, Category::File);
    let f = fetches(&drain(&mut client, T0, &mut rng));
    assert!(client.cancel(request));
    assert!(!client.cancel(request));
    client.handle_node_list(f[0].0, Some(nodes(1..40)), T0, &mut rng);
    assert!(drain(&mut client, T0, &mut rng).is_empty());
}
