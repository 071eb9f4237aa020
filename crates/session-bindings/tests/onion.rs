//! An onion request through three nodes, opened and answered with the binding API.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use session_bindings::{
    ErrorCode, Identity, LayerRoute, NodeKey, OnionHop, OnionLayer, Server, build_onion_to_node,
    build_onion_to_server, v4_request,
};

fn node() -> (NodeKey, OnionHop) {
    let identity = Identity::generate();
    let key = NodeKey::from_identity(&identity);
    let hop = OnionHop {
        ed25519: identity.ed25519_public(),
        x25519: None,
    };
    (key, hop)
}

/// Walks the path: each node opens its layer and relays to the next; returns the last layer.
fn walk(keys: &[NodeKey], hops: &[OnionHop], request: &[u8]) -> OnionLayer {
    let mut layer = keys[0].open_request(request).unwrap();
    for (key, hop) in keys.iter().zip(hops).skip(1) {
        match layer.route().unwrap() {
            LayerRoute::RelayToNode { ed25519, message } => {
                assert_eq!(ed25519, hop.ed25519);
                layer = key.open_forward(&message).unwrap();
            }
            other => panic!("expected a relay, got {other:?}"),
        }
    }
    layer
}

#[test]
fn to_a_node_and_back() {
    let nodes: Vec<_> = (0..4).map(|_| node()).collect();
    let (keys, hops): (Vec<_>, Vec<_>) = nodes.into_iter().unzip();
    for cipher in [None, Some("aes-gcm")] {
        let onion =
            build_onion_to_node(&hops[..3], &hops[3], br#"{"method":"info"}"#, cipher).unwrap();
        let layer = walk(&keys, &hops, onion.request());
        assert_eq!(
            layer.route().unwrap(),
            LayerRoute::Destination {
                body: br#"{"method":"info"}"#.to_vec()
            }
        );
        let reply = layer.answer(200, b"hello").unwrap();
        let reply = onion.decode_reply(&reply).unwrap();
        assert_eq!((reply.status, reply.body.as_slice()), (200, &b"hello"[..]));

        let mut tampered = onion.request().to_vec();
        let last = tampered.len() / 2;
        tampered[last] ^= 1;
        let e = keys[0].open_request(&tampered).unwrap_err();
        assert!(
            matches!(e.code(), ErrorCode::Crypto | ErrorCode::Onion),
            "{e}"
        );
    }
}

#[test]
fn to_a_server_and_back() {
    let nodes: Vec<_> = (0..3).map(|_| node()).collect();
    let (keys, hops): (Vec<_>, Vec<_>) = nodes.into_iter().unzip();
    let (server_key, _) = node();
    let server = Server {
        host: "example.org".into(),
        x25519: server_key.public(),
        protocol: String::new(),
        port: None,
    };
    let request = v4_request("GET", "/room/x", &[("X-Test", "1")], None).unwrap();
    let onion = build_onion_to_server(&hops, &server, &request, None).unwrap();
    let last = walk(&keys, &hops, onion.request());
    let LayerRoute::RelayToServer {
        host,
        protocol,
        payload,
        ..
    } = last.route().unwrap()
    else {
        panic!("expected a relay to the server");
    };
    assert_eq!((host.as_str(), protocol.as_str()), ("example.org", "https"));
    let at_server = server_key.open_request(&payload).unwrap();
    let LayerRoute::ServerRequest {
        method, endpoint, ..
    } = at_server.route().unwrap()
    else {
        panic!("expected a v4 request");
    };
    assert_eq!((method.as_str(), endpoint.as_str()), ("GET", "/room/x"));
    let reply = at_server.answer(201, b"\x00\x01").unwrap();
    let reply = onion.decode_reply(&reply).unwrap();
    assert_eq!((reply.status, reply.body), (201, vec![0, 1]));
    assert_eq!(
        last.answer(200, b"").unwrap_err().code(),
        ErrorCode::Onion,
        "a relaying node cannot answer"
    );
}

#[test]
fn bad_inputs_are_errors() {
    let (_, hop) = node();
    assert_eq!(
        build_onion_to_node(&[], &hop, b"", None)
            .unwrap_err()
            .code(),
        ErrorCode::Onion
    );
    assert_eq!(
        build_onion_to_node(&[hop], &hop, b"", Some("rot13"))
            .unwrap_err()
            .code(),
        ErrorCode::InvalidArgument
    );
    assert_eq!(
        OnionHop::from_slices(&[1; 31], &[]).unwrap_err().code(),
        ErrorCode::Key
    );
    assert_eq!(
        NodeKey::from_secret(&[1; 10]).unwrap_err().code(),
        ErrorCode::Key
    );
    assert_eq!(
        v4_request("GET", "x", &[], None).unwrap_err().code(),
        ErrorCode::Onion
    );
}

#[test]
fn packed_hops() {
    let identity = Identity::generate();
    let short = OnionHop::from_bytes(&identity.ed25519_public()).unwrap();
    let mut packed = identity.ed25519_public().to_vec();
    packed.extend_from_slice(&identity.x25519_public());
    let long = OnionHop::from_bytes(&packed).unwrap();
    assert_eq!(short.x25519, None);
    assert_eq!(long.x25519, Some(identity.x25519_public()));
    assert_eq!(
        OnionHop::from_bytes(&packed[..40]).unwrap_err().code(),
        ErrorCode::Key
    );
}
