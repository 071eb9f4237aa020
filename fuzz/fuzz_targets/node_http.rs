//! Fuzzes the node's entry points with arbitrary bodies: `/storage_rpc/v1`, `/onion_req/v2`,
//! peer forwards and `monitor.messages`. Nothing may panic, and every HTTP answer has a
//! status the storage server uses.
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
    match selector % 4 {
        0 => {
            let out = node.handle_http(now, &mut rng, &Request::post("/storage_rpc/v1", body));
            let status = out.response.map_or(0, |r| r.status);
            assert!([200, 400, 401, 403, 404, 406, 421, 500].contains(&status), "{status}");
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
        _ => {
            let _ = node.monitor(now, 1, body);
        }
    }
});
