// The package in Node.js, against the reference vectors, and an onion request end to end.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import {
  Identity,
  NodeKey,
  buildOnionToNode,
  buildOnionToServer,
  checkRegistrationStakes,
  deleteAllPayload,
  deleteBeforePayload,
  deletePayload,
  expireAllPayload,
  getExpiriesPayload,
  messageHash,
  monitorPayload,
  parseSessionId,
  phraseCheck,
  phraseDecode,
  phraseEncode,
  revokeSubaccountPayload,
  stakingRequirement,
  storePayload,
  swarmFor,
  swarmSpace,
  unrevokeSubaccountPayload,
  v4Request,
  verifyEthereumRegistration,
  verifySignature,
} from "session-infra";

const vectors = JSON.parse(
  readFileSync(new URL("../../testdata/vectors.json", import.meta.url), "utf8"),
);
const ID = vectors.identity;
const PHRASE = vectors.phrase;
const hex = (bytes) => Buffer.from(bytes).toString("hex");
const unhex = (text) => new Uint8Array(Buffer.from(text, "hex"));
const utf8 = (text) => new TextEncoder().encode(text);

test("identity from a seed matches libsession", () => {
  for (const seed of [ID.ed25519_seed, ID.ed25519_secret_key]) {
    const me = Identity.fromSeed(unhex(seed));
    assert.equal(me.sessionId, ID.session_id);
    assert.equal(hex(me.ed25519Public), ID.ed25519_public);
    assert.equal(hex(me.x25519Public), ID.x25519_public);
    assert.equal(hex(me.sign(utf8("hello"))), ID.signature_of_hello);
    assert.equal(me.phrase, undefined);
  }
  const sig = unhex(ID.signature_of_hello);
  assert.equal(verifySignature(unhex(ID.ed25519_public), utf8("hello"), sig), true);
  assert.equal(verifySignature(unhex(ID.ed25519_public), utf8("hellO"), sig), false);
});

test("identity from a phrase", () => {
  const me = Identity.fromPhrase(PHRASE.phrase);
  assert.equal(me.phrase, PHRASE.phrase);
  assert.equal(me.sessionId, Identity.fromSeed(unhex(PHRASE.seed16)).sessionId);
  assert.equal(me.sessionId, "05" + hex(me.x25519Public));
  const fresh = Identity.generate();
  assert.equal(Identity.fromPhrase(fresh.phrase).sessionId, fresh.sessionId);
  assert.notEqual(fresh.sessionId, me.sessionId);
});

test("phrases: encode, decode, check with corrections", () => {
  assert.equal(phraseEncode(unhex(PHRASE.seed16)), PHRASE.phrase);
  assert.equal(hex(phraseDecode(PHRASE.phrase)), PHRASE.seed16);
  assert.equal(phraseCheck(PHRASE.phrase).valid, true);
  const check = phraseCheck(PHRASE.phrase.replace("zinger", "singer"), undefined, 3);
  assert.equal(check.valid, false);
  assert.equal(check.errorCode, 2);
  assert.match(check.error, /checksum/);
  assert.ok(check.corrections.length > 0 && check.corrections.length <= 3);
  assert.ok(check.corrections.some((c) => c.phrase === PHRASE.phrase));
});

test("errors carry the message and a stable code", () => {
  assert.throws(() => Identity.fromPhrase("puffin luxury"), (e) => {
    assert.ok(e instanceof Error);
    assert.equal(e.name, "SessionError");
    assert.equal(e.code, 2);
    assert.equal(e.codeName, "Phrase");
    assert.match(e.message, /13/);
    return true;
  });
  assert.throws(() => Identity.fromSeed(new Uint8Array(5)), { code: 1 });
  assert.throws(() => messageHash("05abc", 0, new Uint8Array()), { code: 3 });
  assert.throws(() => messageHash(ID.session_id, 1 << 20, new Uint8Array()), { code: 7 });
  assert.throws(() => swarmFor(ID.session_id, []), { code: 1 });
  assert.throws(() => stakingRequirement("moonnet", 1), { code: 1 });
});

test("session IDs parse", () => {
  const info = parseSessionId(ID.session_id);
  assert.equal(info.prefix, 5);
  assert.equal(info.kind, "account");
  assert.equal(hex(info.key), ID.x25519_public);
  assert.throws(() => parseSessionId("07" + ID.x25519_public), { code: 3 });
});

test("message hashes match the storage server", () => {
  for (const c of vectors.message_hash) {
    const data = new Uint8Array(Buffer.from(c.data_base64, "base64"));
    assert.equal(messageHash(c.account, c.namespace, data), c.hash);
  }
});

test("signed payloads", () => {
  assert.equal(Buffer.from(storePayload(-10, 1234n)).toString(), "store-101234");
  assert.equal(Buffer.from(storePayload(0, 5)).toString(), "store5");
  assert.equal(Buffer.from(deleteAllPayload(null, 9)).toString(), "delete_allall9");
  const h = vectors.message_hash[0].hash;
  assert.equal(Buffer.from(deletePayload([h])).toString(), "delete" + h);
});

test("the other signed payloads match the storage library", () => {
  const text = (bytes) => Buffer.from(bytes).toString();
  const h0 = "A".repeat(43);
  const h1 = "/".repeat(42) + "8";
  assert.equal(
    text(getExpiriesPayload(1700000000123n, [h1, h0])),
    "get_expiries1700000000123" + h1 + h0,
  );
  assert.equal(text(deleteBeforePayload(2, 1700000000123n)), "delete_before21700000000123");
  assert.equal(text(deleteBeforePayload(null, 5)), "delete_beforeall5");
  assert.equal(text(expireAllPayload(-10, 7)), "expire_all-107");
  assert.equal(text(expireAllPayload(null, 7n)), "expire_allall7");
  const token = utf8("x".repeat(36));
  assert.equal(
    text(unrevokeSubaccountPayload(9, [token, token])),
    "unrevoke_subaccount9" + "x".repeat(72),
  );
  assert.equal(text(revokeSubaccountPayload(9n, [token])), "revoke_subaccount9" + "x".repeat(36));
  const account = "05" + "11".repeat(32);
  assert.equal(
    text(monitorPayload(account, 1700000000n, true, [-10, 0, 13])),
    "MONITOR" + account + "17000000001-10,0,13",
  );
  assert.equal(text(monitorPayload(account, 0, false, [0])), "MONITOR" + account + "000");
  assert.throws(() => revokeSubaccountPayload(9, [token.subarray(1)]));
  assert.throws(() => revokeSubaccountPayload(9, ["x".repeat(36)]));
  assert.throws(() => monitorPayload(account, 0, false, [1 << 20]));
  assert.throws(() => getExpiriesPayload(1, ["x"]));
});

test("swarms match the storage server", () => {
  for (const set of vectors.swarm) {
    const ids = set.swarm_ids.map(BigInt);
    for (const c of set.cases) {
      assert.equal(swarmSpace(c.account), BigInt(c.swarm_space));
      assert.equal(swarmFor(c.account, ids), BigInt(c.swarm_id));
    }
  }
  assert.equal(swarmFor(vectors.swarm[0].cases[0].account, [100, 200]), 100n);
});

test("staking requirement and registration checks", () => {
  assert.ok(stakingRequirement("mainnet", 2000000n) > 0n);
  // Before HF19 registrations reserve portions, not amounts: the rule is named.
  assert.throws(() => checkRegistrationStakes("mainnet", 100, [1n]), { code: 8 });
  const node = Identity.fromSeed(new Uint8Array(32).fill(3));
  // The BLS generator (1, 2): a valid key, so the hard fork is what refuses it.
  const blsGenerator = new Uint8Array(64);
  blsGenerator[31] = 1;
  blsGenerator[63] = 2;
  assert.throws(
    () => verifyEthereumRegistration("mainnet", 100, node.ed25519Public, blsGenerator, new Uint8Array(64)),
    { code: 8 },
  );
  assert.throws(
    () => verifyEthereumRegistration("mainnet", 100, node.ed25519Public, new Uint8Array(64), new Uint8Array(64)),
    { code: 4, message: "public key is zero" },
  );
});

function walk(keys, request) {
  let layer = keys[0].openRequest(request);
  for (const key of keys.slice(1)) {
    const route = layer.route();
    assert.equal(route.kind, "relay_to_node");
    layer = key.openForward(route.message);
  }
  return layer;
}

for (const cipher of [undefined, "aes-gcm"]) {
  test(`onion request to a node and back (${cipher ?? "xchacha20"})`, () => {
    const ids = [0, 1, 2, 3].map(() => Identity.generate());
    const keys = ids.map((i) => NodeKey.fromIdentity(i));
    const hops = ids.slice(0, 3).map((i) => i.ed25519Public);
    hops[1] = [ids[1].ed25519Public, ids[1].x25519Public];
    const onion = buildOnionToNode(hops, ids[3].ed25519Public, utf8('{"method":"info"}'), cipher);
    const layer = walk(keys, onion.request);
    const route = layer.route();
    assert.equal(route.kind, "destination");
    assert.equal(Buffer.from(route.body).toString(), '{"method":"info"}');
    const reply = onion.decodeReply(layer.answer(200, utf8("pong")));
    assert.equal(reply.status, 200);
    assert.equal(Buffer.from(reply.body).toString(), "pong");
    assert.throws(() => keys[1].openRequest(onion.request), { code: 6 });
  });
}

test("onion request to a server and back", () => {
  const ids = [0, 1, 2].map(() => Identity.generate());
  const keys = ids.map((i) => NodeKey.fromIdentity(i));
  const server = NodeKey.fromSecret(new Uint8Array(32).map((_, i) => i));
  const request = v4Request("POST", "/room/x", { "X-Test": "1" }, utf8("{}"));
  const onion = buildOnionToServer(ids.map((i) => i.ed25519Public), "example.org", server.public, request);
  const route = walk(keys, onion.request).route();
  assert.equal(route.kind, "relay_to_server");
  assert.equal(route.host, "example.org");
  const atServer = server.openRequest(route.payload);
  const served = atServer.route();
  assert.equal(served.kind, "server_request");
  assert.equal(served.method, "POST");
  assert.equal(served.endpoint, "/room/x");
  const reply = onion.decodeReply(atServer.answer(201, new Uint8Array([0, 255])));
  assert.equal(reply.status, 201);
  assert.deepEqual([...reply.body], [0, 255]);
  assert.throws(() => v4Request("GET", "no-slash", null), { code: 5 });
});
