//! Fuzzes the node's entry points with arbitrary bodies: `/storage_rpc/v1`, `/onion_req/v2`,
//! peer forwards, `monitor.messages`, and peers' answers completing a batch reply (passed back
//! to the waiting node, or merged into the reply of one that does not wait). Nothing may
//! panic, and every HTTP answer has a status the storage server uses.
#![no_main]
use libfuzzer_sys::fuzz_target;
use session_core::{Identity, Timestamp};
use session_node::{Node, NodeConfig, Request};
use session_storage::MemoryStore;

fuzz_target!(|data: &[u8]| {
    let Ok(id) = Identity::from_seed_bytes(&[1; 32]) else {
        return;
    };
    let me = session_node::testing::service_node(&id, [10, 0, 0, 1], 1 << 60);
    let mut node = Node::new(id, MemoryStore::new(), [me], NodeConfig::default());
    let now = Timestamp::from_millis(1_700_000_000_000);
    let mut rng = rand_core::UnwrapErr(session_node::testing::ZeroRng);
    let (selector, body) = data.split_first().map_or((0, data), |(s, b)| (*s, b));
    match selector % 6 {
        0 => {
            let out = node.handle_http(now, &mut rng, &Request::post("/storage_rpc/v1", body));
            let status = out.response.map_or(0, |r| r.status);
            assert!(
                [200, 400, 401, 403, 404, 406, 421, 500].contains(&status),
                "{status}"
            );
        }
        1 => {
            let _ = node.handle_http(now, &mut rng, &Request::post("/onion_req/v2", body));
            let _ = node.handle_onion_forward(now, &mut rng, body);
        }
        2 => {
            for m in [
                "store",
                "delete",
                "delete_all",
                "expire",
                "revoke_subaccount",
                "revoked_subaccounts",
            ] {
                let _ = node.handle_peer_request(now, m, body);
            }
        }
        3 => {
            let _ = node.monitor(now, 1, body);
        }
        sel => {
            // A batch whose store is forwarded (to a second swarm member), completed with
            // `body` as that member's answer: by the waiting node, or, for a node that does
            // not wait, by `with_peer_replies`.
            let Ok(peer_id) = Identity::from_seed_bytes(&[2; 32]) else {
                return;
            };
            let peer = session_node::testing::service_node(&peer_id, [10, 0, 0, 2], 1 << 60);
            let wait = sel % 6 == 4;
            if !wait {
                let Ok(id) = Identity::from_seed_bytes(&[1; 32]) else {
                    return;
                };
                let config = NodeConfig {
                    wait_for_peers: false,
                    ..NodeConfig::default()
                };
                node = Node::new(id, MemoryStore::new(), [me], config);
            }
            let _ = node.new_swarm_map(now, [me, peer]);
            let store = br#"{"method":"batch","params":{"requests":[{"method":"store","params":{"pubkey":"050000000000000000000000000000000000000000000000000000000000000000","timestamp":1700000000000,"ttl":86400000,"data":"aGk="}}]}}"#;
            let out = node.handle_http(now, &mut rng, &Request::post("/storage_rpc/v1", store));
            let Some(forward) = out.forwards.first() else {
                return;
            };
            if wait {
                let answer = session_node::PeerReply::Reply(body);
                let done = node.peer_answered(now, &mut rng, forward.id, answer);
                assert_eq!(done.pending, out.pending);
                assert_eq!(done.response.map(|r| r.status), Some(200));
                let again = node.peer_answered(now, &mut rng, forward.id, answer);
                assert!(again.response.is_none());
                assert_eq!(node.pending_replies(), 0);
            } else if let Some(response) = out.response {
                let merged = session_node::with_peer_replies(
                    &response,
                    [(peer.ed25519, session_node::PeerReply::Reply(body))],
                );
                assert_eq!(merged.status, 200);
            }
        }
    }
});
