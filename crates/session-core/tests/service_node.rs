//! `ServiceNode` and `ServiceNodeRecord` read oxend's `get_service_nodes` entries exactly as
//! oxend writes them (field names and value shapes of `fill_sn_response_entry`), and serde
//! errors name the type that failed.
#![recursion_limit = "256"]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::net::Ipv4Addr;

use serde_json::{Value, json};
use session_core::{Identity, ServiceNode, ServiceNodeRecord, SessionId, SessionSeed, SwarmId};

/// A `get_service_nodes` response with one active, proven node and one decommissioned node
/// that has not sent a proof, every field in the shape oxend emits.
fn response() -> (Value, Identity, Identity) {
    let a = Identity::from_seed(SessionSeed::from_bytes([1; 16]));
    let b = Identity::from_seed(SessionSeed::from_bytes([2; 16]));
    let doc = json!({
        "service_node_states": [
            {
                "service_node_pubkey": a.ed25519_public().to_string(),
                "registration_height": 1_234_567u64,
                "requested_unlock_height": 1_300_000u64,
                "last_reward_block_height": 1_290_001u64,
                "last_reward_transaction_index": 4_294_967_295u64,
                "active": true,
                "payable": true,
                "funded": true,
                "state_height": 1_250_000u64,
                "earned_downtime_blocks": 720,
                "decommission_count": 2,
                "total_contributed": 15_000_000_000_000u64,
                "staking_requirement": 15_000_000_000_000u64,
                "portions_for_operator": 18_446_744_073_709_551_612u64,
                "operator_fee": 1_000_000,
                "swarm_id": 13_835_058_055_282_163_711u64,
                "swarm": "bfffffffffffffff",
                "registration_hf_version": 19,
                "operator_address": "LA1Zzdexs4kWYe4qBfM4SGmU5fEnHkcwZSBXYXmyZGLzJjFnENF2g1BjKSDwjEDeEGhhyGrSnrZ4VEa8gq4oqJyt9Qahn2A",
                "pubkey_ed25519": a.ed25519_public().to_string(),
                "pubkey_x25519": a.x25519_public().to_string(),
                "service_node_version": [10, 4, 0],
                "lokinet_version": [0, 9, 11],
                "storage_server_version": [2, 10, 0],
                "public_ip": "144.76.164.202",
                "storage_port": 22021,
                "storage_lmq_port": 22020,
                "quorumnet_port": 22025,
                "last_uptime_proof": 1_764_720_000u64,
                "storage_server_reachable": true,
                "lokinet_reachable": true,
                "checkpoint_votes": {"voted": [1_289_996u64, 1_290_000u64], "missed": []},
                "pulse_votes": {"voted": [[1_290_001u64, 0]], "missed": [[1_289_990u64, 1]]},
                "quorumnet_tests": [30, 0],
                "timesync_tests": [30, 1],
                "contributors": [{
                    "amount": 15_000_000_000_000u64,
                    "reserved": 15_000_000_000_000u64,
                    "address": "LA1Zzdexs4kWYe4qBfM4SGmU5fEnHkcwZSBXYXmyZGLzJjFnENF2g1BjKSDwjEDeEGhhyGrSnrZ4VEa8gq4oqJyt9Qahn2A",
                    "locked_contributions": [{"key_image": "00".repeat(32), "key_image_pub_key": "11".repeat(32), "amount": 15_000_000_000_000u64}]
                }]
            },
            {
                "service_node_pubkey": b.ed25519_public().to_string(),
                "registration_height": 1_100_000u64,
                "requested_unlock_height": 0,
                "active": false,
                "funded": true,
                "decommission_count": 1,
                "swarm_id": 18_446_744_073_709_551_615u64,
                "swarm": "ffffffffffffffff",
                "pubkey_ed25519": b.ed25519_public().to_string(),
                "pubkey_x25519": b.x25519_public().to_string(),
                "last_uptime_proof": 0
            }
        ],
        "height": 1_290_002u64,
        "target_height": 1_290_002u64,
        "block_hash": "ab".repeat(32),
        "hardfork": 21,
        "snode_revision": 0,
        "status": "OK"
    });
    (doc, a, b)
}

#[test]
fn service_node_reads_oxend_entries() {
    let (doc, a, b) = response();
    let nodes: Vec<ServiceNode> =
        serde_json::from_value(doc["service_node_states"].clone()).unwrap();
    assert_eq!(nodes.len(), 2);
    let n = &nodes[0];
    assert_eq!(n.ed25519, a.ed25519_public());
    assert_eq!(n.x25519, a.x25519_public());
    assert_eq!(n.ip, Ipv4Addr::new(144, 76, 164, 202));
    assert_eq!(n.https_port, 22021);
    assert_eq!(n.omq_port, 22020);
    assert_eq!(n.swarm_id, SwarmId(13_835_058_055_282_163_711));
    assert_eq!(
        format!("{:x}", n.swarm_id),
        doc["service_node_states"][0]["swarm"]
    );
    assert_eq!(n.version, Some([2, 10, 0]));
    assert!(n.has_known_address());

    // No proof yet: no address, ports or version.
    let d = &nodes[1];
    assert_eq!(d.ed25519, b.ed25519_public());
    assert_eq!(d.x25519, b.x25519_public());
    assert_eq!(d.ip, Ipv4Addr::UNSPECIFIED);
    assert!(!d.has_known_address());
    assert_eq!((d.https_port, d.omq_port), (0, 0));
    assert!(d.swarm_id.is_unassigned());
    assert_eq!(d.version, None);
}

#[test]
fn record_reads_the_registration_state() {
    let (doc, a, b) = response();
    let records: Vec<ServiceNodeRecord> =
        serde_json::from_value(doc["service_node_states"].clone()).unwrap();
    let r = &records[0];
    assert_eq!(r.node.ed25519, a.ed25519_public());
    assert_eq!(r.node.ip, Ipv4Addr::new(144, 76, 164, 202));
    assert_eq!(r.node.version, Some([2, 10, 0]));
    assert_eq!(r.service_node_pubkey, a.ed25519_public());
    assert_eq!(r.registration_height, 1_234_567);
    assert_eq!(r.requested_unlock_height, 1_300_000);
    assert!(r.active);
    assert!(r.funded);
    assert_eq!(r.decommission_count, 2);
    assert_eq!(r.last_uptime_proof, 1_764_720_000);
    assert_eq!(r.service_node_version, Some([10, 4, 0]));

    let r = &records[1];
    assert_eq!(r.service_node_pubkey, b.ed25519_public());
    assert_eq!(r.registration_height, 1_100_000);
    assert_eq!(r.requested_unlock_height, 0);
    assert!(!r.active);
    assert!(r.funded);
    assert_eq!(r.decommission_count, 1);
    assert_eq!(r.last_uptime_proof, 0);
    assert_eq!(r.service_node_version, None);
    assert!(r.node.swarm_id.is_unassigned());
}

#[test]
fn serialized_form_uses_oxend_names() {
    let (doc, _, _) = response();
    let node: ServiceNode = serde_json::from_value(doc["service_node_states"][0].clone()).unwrap();
    let back = serde_json::to_value(node).unwrap();
    let entry = &doc["service_node_states"][0];
    for field in [
        "pubkey_ed25519",
        "pubkey_x25519",
        "public_ip",
        "storage_port",
        "storage_lmq_port",
        "swarm_id",
        "storage_server_version",
    ] {
        assert_eq!(back[field], entry[field], "{field}");
    }
    assert_eq!(back.as_object().unwrap().len(), 7);
}

#[test]
fn missing_keys_are_errors() {
    let (doc, _, _) = response();
    let mut entry = doc["service_node_states"][0].clone();
    entry.as_object_mut().unwrap().remove("pubkey_x25519");
    let err = serde_json::from_value::<ServiceNode>(entry).unwrap_err();
    assert!(err.to_string().contains("pubkey_x25519"), "{err}");
}

#[test]
fn serde_errors_name_the_type() {
    let bad_prefix = format!("\"07{}\"", "ab".repeat(32));
    let err = serde_json::from_str::<SessionId>(&bad_prefix).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid Session ID: unknown session id prefix 0x07"
    );
    let err = serde_json::from_str::<SessionId>("\"05ab\"").unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid Session ID: text length: expected 66 hex characters, got 4 at line 1 column 6"
    );
    let err = serde_json::from_str::<SessionId>("17").unwrap_err();
    assert!(err.to_string().contains("a Session ID string"), "{err}");
    let (doc, _, _) = response();
    let mut entry = doc["service_node_states"][0].clone();
    entry["pubkey_ed25519"] = json!("zz");
    let err = serde_json::from_value::<ServiceNode>(entry).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid Ed25519 public key: non-hex character 'z' at position 0"
    );
    let err = serde_json::from_str::<session_core::MessageHash>("\"!\"").unwrap_err();
    assert!(
        err.to_string().starts_with("invalid message hash: "),
        "{err}"
    );
    let err = serde_json::from_str::<session_core::X25519PublicKey>("\"0\"").unwrap_err();
    assert!(
        err.to_string().starts_with("invalid X25519 public key: "),
        "{err}"
    );
}

mod active_nodes_bin {
    use super::*;
    use proptest::prelude::*;
    use session_core::{
        ACTIVE_NODE_LEN, ActiveNode, Ed25519PublicKey, X25519PublicKey, decode_active_nodes,
        encode_active_nodes,
    };

    fn service_node(ip: [u8; 4], version: Option<[u16; 3]>) -> ServiceNode {
        ServiceNode {
            ed25519: Ed25519PublicKey::from_bytes([0xab; 32]),
            x25519: X25519PublicKey::from_bytes([0xcd; 32]),
            ip: Ipv4Addr::from(ip),
            https_port: 22021,
            omq_port: 22020,
            swarm_id: SwarmId(0x8000_0000_0000_0001),
            version,
        }
    }

    #[test]
    fn layout_of_a_proven_node() {
        let node = ActiveNode::from(&service_node([203, 0, 113, 7], Some([2, 300, 1])));
        let bytes = node.to_bytes();
        let mut want = vec![0xab; 32];
        want.extend_from_slice(&[0x80, 0, 0, 0, 0, 0, 0, 1]);
        want.extend_from_slice(&[203, 0, 113, 7]);
        want.extend_from_slice(&22021u16.to_be_bytes()); // 0x5605
        want.extend_from_slice(&[0x56, 0x04]); // 22020
        // A component above 255 is written as 0xff.
        want.extend_from_slice(&[2, 0xff, 1]);
        assert_eq!(bytes.to_vec(), want);
        assert_eq!(ActiveNode::from_bytes(&bytes), node);
    }

    #[test]
    fn a_node_without_a_proof_has_zero_contact_fields() {
        let mut sn = service_node([0, 0, 0, 0], Some([2, 10, 0]));
        sn.https_port = 22021;
        let bytes = ActiveNode::from(&sn).to_bytes();
        assert_eq!(&bytes[..32], &[0xab; 32]);
        assert_eq!(&bytes[32..40], &0x8000_0000_0000_0001u64.to_be_bytes());
        assert_eq!(&bytes[40..], &[0u8; 11]);
        let decoded = ActiveNode::from_bytes(&bytes);
        assert!(!decoded.is_contactable());
        assert_eq!(decoded.version, [0, 0, 0]);
    }

    #[test]
    fn lengths_other_than_multiples_of_51_are_rejected() {
        assert_eq!(decode_active_nodes(&[]).unwrap(), vec![]);
        for len in [1, 50, 52, 101] {
            let err = decode_active_nodes(&vec![0; len]).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!("active_nodes_bin blob (bytes): expected a multiple of 51, got {len}")
            );
        }
        assert_eq!(decode_active_nodes(&[0; 102]).unwrap().len(), 2);
    }

    fn arb_node() -> impl Strategy<Value = ActiveNode> {
        (
            any::<[u8; 32]>(),
            any::<u64>(),
            any::<[u8; 4]>(),
            any::<u16>(),
            any::<u16>(),
            any::<[u8; 3]>(),
        )
            .prop_map(|(k, s, ip, h, q, v)| ActiveNode {
                ed25519: Ed25519PublicKey::from_bytes(k),
                swarm_id: SwarmId(s),
                ip: Ipv4Addr::from(ip),
                https_port: h,
                quic_port: q,
                version: v,
            })
    }

    proptest! {
        #[test]
        fn round_trip(nodes in prop::collection::vec(arb_node(), 0..20)) {
            let blob = encode_active_nodes(&nodes);
            prop_assert_eq!(blob.len(), nodes.len() * ACTIVE_NODE_LEN);
            prop_assert_eq!(decode_active_nodes(&blob).unwrap(), nodes);
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
            match decode_active_nodes(&bytes) {
                Ok(nodes) => {
                    prop_assert_eq!(bytes.len() % ACTIVE_NODE_LEN, 0);
                    prop_assert_eq!(encode_active_nodes(&nodes), bytes);
                }
                Err(_) => prop_assert_ne!(bytes.len() % ACTIVE_NODE_LEN, 0),
            }
        }
    }
}
