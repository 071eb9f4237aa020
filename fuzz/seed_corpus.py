#!/usr/bin/env python3
"""Writes the seed corpus of every fuzz target (fuzz/corpus/<target>/) from the workspace's
known-answer vectors (vectors/, the canonical copies of crates/*/tests/data/). Run from anywhere; the output is deterministic,
so re-running it after a vector change shows the difference in git.

Seeds are the inputs a target's parsers meet in real traffic: Session IDs, message hashes and
account keys; recovery phrases; onion layers and replies; push batches; transaction extras
built from the registration vectors; and, for the structured targets, the vectors' bytes.
"""
import hashlib
import json
import pathlib
import re
import shutil
import struct

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT / "vectors"
OUT = ROOT / "fuzz" / "corpus"
HEX = re.compile(r"^(?:[0-9a-f]{2}){8,}$")


def load(crate, name):
    """A vector file `crate` tests against (its canonical copy)."""
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def leaves(node, path=""):
    """(path, value) for every scalar in a JSON document."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, f"{path}.{key}")
    elif isinstance(node, list):
        for value in node:
            yield from leaves(value, path + "[]")
    else:
        yield path, node


def hex_blobs(doc, max_len=4096):
    return [bytes.fromhex(v) for _, v in leaves(doc)
            if isinstance(v, str) and HEX.match(v) and len(v) // 2 <= max_len]


def texts(doc, pattern):
    rx = re.compile(pattern)
    return [v.encode() for p, v in leaves(doc) if isinstance(v, str) and rx.search(p)]


def varint(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def u64s(doc):
    """Every integer of a document as little-endian u64 (for the structured targets)."""
    out = bytearray()
    for _, v in leaves(doc):
        if isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 2**64:
            out += struct.pack("<Q", v)
    return bytes(out)


def write(target, seeds):
    folder = OUT / target
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    kept = 0
    for seed in seeds:
        if not seed or len(seed) > 4096:
            continue
        name = hashlib.sha1(seed).hexdigest()[:16]
        path = folder / name
        if not path.exists():
            path.write_bytes(seed)
            kept += 1
    print(f"{target}: {kept} seeds")


core = load("session-core", "storage.json")
storage = load("session-storage", "storage.json")
onion = load("session-onion", "onion.json")
mnemonic = load("session-mnemonic", "mnemonic.json")
monero = load("session-mnemonic", "monero_seed_extra.json")
staking = load("session-staking", "staking.json")
swarm = load("session-swarm", "swarm.json")
scenarios = load("session-swarm", "swarm_scenarios.json")

# session-core: text forms (IDs, keys, hashes, account keys) and the raw key bytes.
core_text = (texts(core, r"(session_id|pubkey|input|expected|hash|_hex)$")
             + texts(storage, r"(session_id|pubkey_hex|input|expected|_base64)$"))
write("core_parse", core_text + [b for b in hex_blobs(core) + hex_blobs(storage) if len(b) <= 64])
write("core_reader", hex_blobs(storage) + hex_blobs(core))
# active_nodes_bin: one proven node, one without a proof, and a blob one byte short.
proven = bytes([7] * 32) + struct.pack(">QIHH", 0x0102030405060708, 0xCB007107, 22021, 22020) + bytes([2, 10, 0])
unproven = bytes([9] * 32) + struct.pack(">Q", 42) + bytes(11)
write("core_active_nodes", [proven, proven + unproven, (proven + unproven)[:-1]])

# session-mnemonic: every phrase of the vectors, under each option byte the target reads.
phrases = texts(mnemonic, r"(mnemonic|input)$") + texts(monero, r"(mnemonic|input|phrase)$")
write("mnemonic_parse", [bytes([flags]) + p for p in phrases for flags in (0, 1, 2, 6)])

# session-onion: hop ciphertexts, framed layers (u32 length, ciphertext, JSON), decrypted
# layers as the router sees them, replies, bencoded v4 bodies, transport answers.
prefix = bytes.fromhex(onion["inner_request_parsing"]["common_prefix"])
layers = [prefix + c["json_utf8"].encode() for c in onion["inner_request_parsing"]["cases"]]
ciphertexts = hex_blobs(onion["hop_encryption"])
v4 = [onion["v4_bencode_examples"][k].encode() for k in
      ("request_get_ascii", "request_post_ascii", "response_ascii")]
write("onion_outer", ciphertexts + [
    struct.pack("<I", len(c)) + c + b'{"ephemeral_key":"' + c[:32].hex().encode()
    + b'","enc_type":"xchacha20"}' for c in ciphertexts] + layers)
write("onion_router", layers + [
    prefix + b'{"destination":"' + k + b'","ephemeral_key":"' + k + b'","enc_type":"aes-gcm"}'
    for k in texts(onion["hop_encryption"], r"(server_pub_B|client_pub_A)$")])
write("onion_reply", v4 + [json.dumps({"status": 200, "body": c["json_utf8"]}).encode()
                           for c in onion["inner_request_parsing"]["cases"]] + ciphertexts)
node_keys = [k for k in texts(core, r"pubkey_hex$") if len(k) == 64]
# session-core's bencode: the v4 bodies, and the spellings only the lenient reader accepts.
write("core_bencode", v4 + [b"d1:ai-5e1:bl3:xyzee", b"i007e", b"i-0e", b"003:abc",
                            b"li18446744073709551615ei-9223372036854775808ee"])
write("onion_path", v4 + layers + [b"Next node not found: " + k for k in node_keys]
      + [b"\x79" + b"Next node is currently unreachable: " + k for k in node_keys]
      + [json.dumps({"snodes": [{"pubkey_ed25519": k.decode(), "pubkey_x25519": k.decode(),
                                 "ip": "203.0.113.7", "port_https": 22021,
                                 "port_omq": 22020}]}).encode() for k in node_keys]
      + [b"xchacha20", b"aes-gcm", b"aes-cbc"])

# session-staking: transaction extras built from the registration-hash vectors (tag 0x70),
# and the other fields keyed by the same keys.
extras = []
for case in staking["registration_hash"]["cases"]:
    if "spend_keys" not in case:
        continue
    spend = [bytes.fromhex(k) for k in case["spend_keys"]]
    view = [bytes.fromhex(k) for k in case["view_keys"]]
    amounts = case.get("portions") or case.get("amounts") or []
    fee = case.get("fee_portions", case.get("fee_basis_points", case.get("fee", 0)))
    tail = case.get("expiration_timestamp", case.get("hf_version", case.get("hf", 19)))
    reg = (b"\x70" + varint(len(spend)) + b"".join(spend) + varint(len(view)) + b"".join(view)
           + struct.pack("<Q", int(fee)) + varint(len(amounts))
           + b"".join(varint(int(a)) for a in amounts) + struct.pack("<Q", int(tail))
           + bytes(64))
    key = spend[0]
    extras += [reg, b"\x01" + key + reg, b"\x74" + key, b"\x72" + key,
               b"\x73" + key + view[0], b"\x79" + struct.pack("<Q", 5) + b"\x01" + key]
write("staking_tx_extra", extras)
write("staking_verify", [b for b in hex_blobs(staking) if len(b) >= 32] + extras)

# session-staking, Session Network era: the contract's events as the rewards contract emits
# them (first byte selects the topic), and the vectors' BLS keys and signatures.
network = load("session-staking", "session_network_upstream.json")


def word(n):
    return n.to_bytes(32, "big")


bls_keys = [b for b in hex_blobs(network) if len(b) == 64]
bls_sigs = [b for b in hex_blobs(network) if len(b) == 128]
initiator = bytes(12) + bytes(range(1, 21))
events = []
for key in bls_keys:
    contributors = [bytes(12) + bytes([i]) * 20 + bytes(12) + bytes([0xbb]) * 20
                    + word(5_000_000_000_000 * (i + 1)) for i in range(2)]
    events += [
        b"\x00" + initiator + key + bytes(range(32)) + bytes(64) + word(500) + word(256)
        + word(len(contributors)) + b"".join(contributors),
        b"\x01" + initiator + key,
        b"\x02" + initiator + word(25_000_000_000_000) + key,
    ]
events.append(b"\x03" + word(25_000_000_000_000))
node_list = (word(64) + word(64 + 32 + 32 * len(bls_keys)) + word(len(bls_keys))
             + b"".join(word(i + 1) for i in range(len(bls_keys))) + word(len(bls_keys))
             + b"".join(bls_keys))
write("staking_l2", events + [b"\x04" + node_list])
write("staking_bls", [k + s for k in bls_keys for s in bls_sigs[:1]] + [bytes(64) + s for s in bls_sigs])

# session-storage: push batches, and request fields for the structured request target.
write("storage_push", hex_blobs(storage["swarm_push_serialization"]))
write("storage_request", [b"".join(hex_blobs(case)) + b"".join(texts(case, r"base64$"))
                          for case in storage["request_signatures_derived"]
                          + storage["request_signatures_repo"]])

# session-swarm: the scenario numbers (ids, seeds, sizes) as the bytes the structured
# targets read.
swarm_bytes = [u64s(s) for s in scenarios["scenarios"] if u64s(s)]
swarm_bytes += [u64s(swarm.get("get_swarm_by_pk", {})), u64s(swarm.get("get_new_swarm_id", {}))]
write("swarm_calc", [b[:4096] for b in swarm_bytes])
write("swarm_network", [b[:4096] for b in swarm_bytes])

# session-node: a selector byte (0 storage_rpc, 1 onion, 2 peer forward, 3 monitor, 4 a peer's
# answer merged into a batch reply) and a body.
node_rpc = [
    b'{"method":"info","params":{}}',
    b'{"method":"store","params":{"pubkey":"05' + b"00" * 32 + b'","timestamp":1700000000000,"ttl":86400000,"data":"aGk="}}',
    b'{"method":"batch","params":{"requests":[{"method":"info","params":{}}]}}',
    b'{"method":"ifelse","params":{"if":{"hf_at_least":[19,4]},"then":{"method":"info","params":{}}}}',
    b'{"method":"revoked_subaccounts","params":{"pubkey":"03' + b"00" * 32 + b'","timestamp":1700000000000,"signature":"' + b"A" * 86 + b'"}}',
    b'{"method":"oxend_request","params":{"endpoint":"ons_resolve","params":{"type":0,"name_hash":"yB7mbm2q1MaczqNZCYguH+71z5jooEMeXA0sncfni+g="}}}',
]
node_bt = [b"d6:pubkey33:" + b"\x05" * 33 + b"9:timestampi1700000000000ee", b"d1:nli0ee1:p33:" + b"\x03" * 33 + b"e"]
peer_answers = [b"d6:expiryi1700086400000e4:hash43:" + b"A" * 43 + b"9:signature64:" + bytes(64) + b"e"]
write("node_http", [b"\x00" + s for s in node_rpc] + [b"\x02" + s for s in node_bt] + [b"\x03" + s for s in node_bt]
      + [b"\x04" + s for s in peer_answers])
