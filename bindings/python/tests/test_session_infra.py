"""The Python module against the reference vectors, and an onion request end to end."""

import base64
import json
import pathlib

import pytest

import session_infra as si

VECTORS = json.loads(
    (pathlib.Path(__file__).resolve().parents[2] / "testdata" / "vectors.json").read_text()
)
ID = VECTORS["identity"]
PHRASE = VECTORS["phrase"]


def test_identity_from_seed_matches_libsession():
    for seed in (ID["ed25519_seed"], ID["ed25519_secret_key"]):
        me = si.Identity.from_seed(bytes.fromhex(seed))
        assert me.session_id == ID["session_id"]
        assert me.ed25519_public.hex() == ID["ed25519_public"]
        assert me.x25519_public.hex() == ID["x25519_public"]
        assert me.sign(b"hello").hex() == ID["signature_of_hello"]
        assert me.phrase is None
    ed = bytes.fromhex(ID["ed25519_public"])
    sig = bytes.fromhex(ID["signature_of_hello"])
    assert si.verify_signature(ed, b"hello", sig)
    assert not si.verify_signature(ed, b"hellO", sig)


def test_identity_from_phrase():
    me = si.Identity.from_phrase(PHRASE["phrase"])
    assert me.phrase == PHRASE["phrase"]
    same = si.Identity.from_seed(bytes.fromhex(PHRASE["seed16"]))
    assert me.session_id == same.session_id
    assert me.session_id.startswith("05") and len(me.session_id) == 66
    assert me.session_id[2:] == me.x25519_public.hex()
    assert isinstance(me.ed25519_public, bytes) and len(me.sign(b"x")) == 64
    new = si.Identity.generate()
    assert si.Identity.from_phrase(new.phrase).session_id == new.session_id
    assert new.session_id != me.session_id


def test_phrases():
    seed = bytes.fromhex(PHRASE["seed16"])
    assert si.phrase_encode(seed) == PHRASE["phrase"]
    assert si.phrase_decode(PHRASE["phrase"]) == seed
    assert si.phrase_check(PHRASE["phrase"]).valid
    typo = PHRASE["phrase"].replace("zinger", "singer")
    check = si.phrase_check(typo, max=3)
    assert not check and check.error_code == si.PhraseError.code == 2
    assert "checksum" in check.error
    assert PHRASE["phrase"] in [c.phrase for c in check.corrections]
    assert 0 < len(check.corrections) <= 3


def test_errors_are_value_errors_with_codes():
    with pytest.raises(si.PhraseError) as info:
        si.Identity.from_phrase("puffin luxury")
    assert isinstance(info.value, ValueError) and isinstance(info.value, si.SessionError)
    assert info.value.code == 2 and "13" in str(info.value)
    with pytest.raises(si.InvalidArgumentError):
        si.Identity.from_seed(b"short")
    with pytest.raises(si.SessionIdError) as info:
        si.message_hash("05abc", 0, b"")
    assert info.value.code == 3
    with pytest.raises(si.StorageError):
        si.message_hash(ID["session_id"], 1 << 20, b"")
    with pytest.raises(si.InvalidArgumentError):
        si.staking_requirement("moonnet", 1)


def test_session_ids():
    info = si.parse_session_id(ID["session_id"])
    assert (info.prefix, info.kind, info.key.hex()) == (5, "account", ID["x25519_public"])
    with pytest.raises(si.SessionIdError):
        si.parse_session_id("07" + ID["x25519_public"])


def test_message_hash_matches_the_storage_server():
    for case in VECTORS["message_hash"]:
        data = base64.b64decode(case["data_base64"])
        assert si.message_hash(case["account"], case["namespace"], data) == case["hash"]


def test_payloads():
    assert si.store_payload(-10, 1234) == b"store-101234"
    assert si.retrieve_payload(0, 5) == b"retrieve5"
    assert si.delete_all_payload(None, 9) == b"delete_allall9"
    h = VECTORS["message_hash"][0]["hash"]
    assert si.delete_payload([h, h]) == b"delete" + (h + h).encode()
    assert si.expire_payload("shorten", 77, [h]) == b"expireshorten77" + h.encode()


def test_the_other_payloads():
    # The storage library's known answers.
    h0, h1 = "A" * 43, "/" * 42 + "8"
    assert si.get_expiries_payload(1700000000123, [h1, h0]) == (
        "get_expiries1700000000123" + h1 + h0
    ).encode()
    assert si.delete_before_payload(2, 1700000000123) == b"delete_before21700000000123"
    assert si.delete_before_payload(None, 5) == b"delete_beforeall5"
    assert si.expire_all_payload(-10, 7) == b"expire_all-107"
    assert si.expire_all_payload(None, 7) == b"expire_allall7"
    token = b"x" * 36
    assert si.unrevoke_subaccount_payload(9, [token, token]) == b"unrevoke_subaccount9" + b"x" * 72
    assert si.revoke_subaccount_payload(9, [token]) == b"revoke_subaccount9" + token
    account = "05" + "11" * 32
    assert si.monitor_payload(account, 1700000000, True, [-10, 0, 13]) == (
        "MONITOR" + account + "17000000001-10,0,13"
    ).encode()
    assert si.monitor_payload(account, 0, False, [0]) == ("MONITOR" + account + "000").encode()
    with pytest.raises(si.InvalidArgumentError):
        si.revoke_subaccount_payload(9, [token[1:]])
    with pytest.raises(si.StorageError):
        si.monitor_payload(account, 0, False, [1 << 20])
    with pytest.raises(si.StorageError):
        si.get_expiries_payload(1, ["x"])


def test_swarms_match_the_storage_server():
    for case_set in VECTORS["swarm"]:
        ids = [int(i) for i in case_set["swarm_ids"]]
        for case in case_set["cases"]:
            assert si.swarm_space(case["account"]) == int(case["swarm_space"])
            assert si.swarm_for(case["account"], ids) == int(case["swarm_id"])
    with pytest.raises(si.InvalidArgumentError):
        si.swarm_for(ID["session_id"], [])


def test_staking_requirement_and_registration_checks():
    assert si.staking_requirement("mainnet", 2_000_000) > 0
    # Before HF19 registrations reserve portions, not amounts: the rule is named.
    with pytest.raises(si.StakingError) as info:
        si.check_registration_stakes("mainnet", 100, [1])
    assert info.value.code == 8 and str(info.value)
    node = si.Identity.from_seed(bytes([3]) * 32)
    # The BLS generator (1, 2): a valid key, so the hard fork is what refuses it.
    bls_generator = (1).to_bytes(32, "big") + (2).to_bytes(32, "big")
    with pytest.raises(si.StakingError):
        si.verify_ethereum_registration("mainnet", 100, node.ed25519_public, bls_generator, bytes(64))
    with pytest.raises(si.InvalidKeyError):
        si.verify_ethereum_registration("mainnet", 100, node.ed25519_public, bytes(10), bytes(64))
    with pytest.raises(si.InvalidKeyError) as info:
        si.verify_ethereum_registration("mainnet", 100, node.ed25519_public, bytes(64), bytes(64))
    assert str(info.value) == "public key is zero"


def walk(keys, request):
    """Each node opens its layer and relays to the next; returns the last layer."""
    layer = keys[0].open_request(request)
    for key in keys[1:]:
        route = layer.route()
        assert route.kind == "relay_to_node"
        assert route.next_node is not None
        layer = key.open_forward(route.message)
    return layer


@pytest.mark.parametrize("cipher", [None, "aes-gcm"])
def test_onion_to_a_node_and_back(cipher):
    ids = [si.Identity.generate() for _ in range(4)]
    keys = [si.NodeKey.from_identity(i) for i in ids]
    hops = [i.ed25519_public for i in ids[:3]]
    hops[1] = (ids[1].ed25519_public, ids[1].x25519_public)
    onion = si.build_onion_to_node(hops, ids[3].ed25519_public, b'{"method":"info"}', cipher)
    layer = walk(keys, onion.request)
    route = layer.route()
    assert (route.kind, route.body) == ("destination", b'{"method":"info"}')
    reply = onion.decode_reply(layer.answer(200, b"pong"))
    assert (reply.status, reply.body) == (200, b"pong")
    with pytest.raises(si.CryptoError):
        keys[1].open_request(onion.request)


def test_onion_to_a_server_and_back():
    ids = [si.Identity.generate() for _ in range(3)]
    keys = [si.NodeKey.from_identity(i) for i in ids]
    server = si.NodeKey.from_secret(bytes(range(32)))
    request = si.v4_request("POST", "/room/x", {"X-Test": "1"}, b"{}")
    onion = si.build_onion_to_server(
        [i.ed25519_public for i in ids], "example.org", server.public, request
    )
    route = walk(keys, onion.request).route()
    assert (route.kind, route.host, route.protocol) == ("relay_to_server", "example.org", "https")
    at_server = server.open_request(route.payload)
    served = at_server.route()
    assert (served.kind, served.method, served.endpoint, served.body) == (
        "server_request",
        "POST",
        "/room/x",
        b"{}",
    )
    reply = onion.decode_reply(at_server.answer(201, b"\x00\xff"))
    assert (reply.status, reply.body) == (201, b"\x00\xff")
    with pytest.raises(si.OnionError):
        si.v4_request("GET", "no-slash")
