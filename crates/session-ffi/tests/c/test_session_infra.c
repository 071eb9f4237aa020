/* The C API end to end: identities, phrases, IDs, storage payloads, swarms, staking, and an
 * onion request through three nodes and back.
 *
 * Usage: test_session_infra PHRASE SESSION_ID MESSAGE_HASH
 * (the values the Rust API gives for the phrase, and for the hash of "hello" to that ID in
 * namespace 0). Prints "N passed, N failed"; exits non-zero on any failure. */
#include <stdio.h>
#include <string.h>

#include "session_infra.h"

static int passed = 0, failed = 0;

#define CHECK(cond)                                                                      \
    do {                                                                                 \
        if (cond) {                                                                      \
            passed++;                                                                    \
        } else {                                                                         \
            failed++;                                                                    \
            fprintf(stderr, "%s:%d: check failed: %s (last error: %s)\n", __FILE__, __LINE__, \
                    #cond, session_error_message());                                     \
        }                                                                                \
    } while (0)

#define S(text) (text), strlen(text)

static int identities(const char *phrase, const char *expected_id) {
    SessionIdentity *id = NULL;
    CHECK(session_identity_from_phrase(S(phrase), &id) == SESSION_OK);
    if (!id) return 1;

    char text[200];
    size_t len = 0;
    CHECK(session_identity_session_id(id, text, sizeof text, &len) == SESSION_OK);
    CHECK(len == 66 && strcmp(text, expected_id) == 0);

    /* Too small: the length needed comes back, nothing is written past the capacity. */
    char small[10];
    CHECK(session_identity_session_id(id, small, sizeof small, &len) ==
          SESSION_ERR_BUFFER_TOO_SMALL);
    CHECK(len == 66);

    CHECK(session_identity_phrase(id, text, sizeof text, &len) == SESSION_OK);
    CHECK(strcmp(text, phrase) == 0);

    uint8_t ed[32], x[32], sig[64];
    CHECK(session_identity_ed25519_public(id, ed, sizeof ed, &len) == SESSION_OK && len == 32);
    CHECK(session_identity_x25519_public(id, x, sizeof x, &len) == SESSION_OK && len == 32);
    CHECK(session_identity_sign(id, (const uint8_t *)"hi", 2, sig, sizeof sig, &len) ==
              SESSION_OK && len == 64);
    int32_t valid = -1;
    CHECK(session_verify_signature(ed, 32, (const uint8_t *)"hi", 2, sig, 64, &valid) ==
              SESSION_OK && valid == 1);
    CHECK(session_verify_signature(ed, 32, (const uint8_t *)"ho", 2, sig, 64, &valid) ==
              SESSION_OK && valid == 0);

    /* The Session ID parses back to the X25519 key. */
    uint8_t prefix = 0, key[32];
    CHECK(session_parse_session_id(S(expected_id), &prefix, key, sizeof key, &len) == SESSION_OK);
    CHECK(prefix == 0x05 && memcmp(key, x, 32) == 0);
    CHECK(session_parse_session_id(S("07abc"), &prefix, key, sizeof key, &len) ==
          SESSION_ERR_SESSION_ID);
    CHECK(strlen(session_error_message()) > 0);

    /* The seed in the phrase gives the same account. */
    uint8_t seed[64];
    CHECK(session_phrase_decode(S(phrase), NULL, 0, seed, sizeof seed, &len) == SESSION_OK);
    CHECK(len == 16);
    SessionIdentity *same = NULL;
    CHECK(session_identity_from_seed(seed, len, &same) == SESSION_OK);
    CHECK(session_identity_session_id(same, text, sizeof text, &len) == SESSION_OK);
    CHECK(strcmp(text, expected_id) == 0);
    CHECK(session_phrase_encode(seed, 16, S("english"), text, sizeof text, &len) == SESSION_OK);
    CHECK(strcmp(text, phrase) == 0);
    session_identity_free(same);
    session_identity_free(id);

    /* Errors: a short seed, a null output, a phrase with a typo and its repair. */
    CHECK(session_identity_from_seed(seed, 5, &same) == SESSION_ERR_INVALID_ARGUMENT);
    CHECK(session_identity_generate(NULL) == SESSION_ERR_NULL_POINTER);
    char typo[200];
    snprintf(typo, sizeof typo, "%s", phrase);
    typo[0] = typo[0] == 'z' ? 'y' : 'z';
    CHECK(session_phrase_check(S(phrase), NULL, 0) == SESSION_OK);
    int32_t status = session_phrase_check(S(typo), NULL, 0);
    CHECK(status == SESSION_ERR_PHRASE);
    char fixes[4096];
    CHECK(session_phrase_corrections(S(typo), NULL, 0, 20, fixes, sizeof fixes, &len) ==
          SESSION_OK);
    CHECK(strstr(fixes, phrase) != NULL);
    session_identity_free(NULL);
    return 0;
}

static void storage(const char *id, const char *expected_hash) {
    char hash[64];
    size_t len = 0;
    CHECK(session_message_hash(S(id), 0, (const uint8_t *)"hello", 5, hash, sizeof hash, &len) ==
          SESSION_OK);
    CHECK(strcmp(hash, expected_hash) == 0);
    uint8_t payload[256];
    CHECK(session_store_payload(-10, 1234, payload, sizeof payload, &len) == SESSION_OK);
    CHECK(len == 12 && memcmp(payload, "store-101234", 12) == 0);
    CHECK(session_delete_all_payload(1, 0, 9, payload, sizeof payload, &len) == SESSION_OK);
    CHECK(len == 14 && memcmp(payload, "delete_allall9", 14) == 0);
    CHECK(session_delete_payload(S(expected_hash), payload, sizeof payload, &len) == SESSION_OK);
    CHECK(len == 6 + strlen(expected_hash));
    /* The library's known answers for the other payloads. */
#define EXPECT(expected) CHECK(len == strlen(expected) && memcmp(payload, expected, len) == 0)
    CHECK(session_delete_before_payload(0, 2, 1700000000123, payload, sizeof payload, &len) ==
          SESSION_OK);
    EXPECT("delete_before21700000000123");
    CHECK(session_delete_before_payload(1, 0, 5, payload, sizeof payload, &len) == SESSION_OK);
    EXPECT("delete_beforeall5");
    CHECK(session_expire_all_payload(0, -10, 7, payload, sizeof payload, &len) == SESSION_OK);
    EXPECT("expire_all-107");
    CHECK(session_expire_all_payload(1, 0, 7, payload, sizeof payload, &len) == SESSION_OK);
    EXPECT("expire_allall7");
    const char *h0 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    const char *h1 = "//////////////////////////////////////////8";
    char hashes[100];
    snprintf(hashes, sizeof hashes, "%s,%s", h1, h0);
    CHECK(session_get_expiries_payload(1700000000123, S(hashes), payload, sizeof payload, &len) ==
          SESSION_OK);
    char expected[300];
    snprintf(expected, sizeof expected, "get_expiries1700000000123%s%s", h1, h0);
    EXPECT(expected);
    uint8_t tokens[72];
    memset(tokens, 'x', sizeof tokens);
    CHECK(session_unrevoke_subaccount_payload(9, tokens, 72, payload, sizeof payload, &len) ==
          SESSION_OK);
    EXPECT("unrevoke_subaccount9xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    CHECK(session_revoke_subaccount_payload(9, tokens, 36, payload, sizeof payload, &len) ==
          SESSION_OK);
    EXPECT("revoke_subaccount9xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    CHECK(session_revoke_subaccount_payload(9, tokens, 35, payload, sizeof payload, &len) ==
          SESSION_ERR_INVALID_ARGUMENT);
    const char *account = "051111111111111111111111111111111111111111111111111111111111111111";
    int16_t namespaces[] = {-10, 0, 13};
    CHECK(session_monitor_payload(S(account), 1700000000, 1, namespaces, 3, payload,
                                  sizeof payload, &len) == SESSION_OK);
    snprintf(expected, sizeof expected, "MONITOR%s17000000001-10,0,13", account);
    EXPECT(expected);
    CHECK(session_monitor_payload(S(account), 0, 0, namespaces + 1, 1, payload, sizeof payload,
                                  &len) == SESSION_OK);
    snprintf(expected, sizeof expected, "MONITOR%s000", account);
    EXPECT(expected);
    CHECK(session_monitor_payload(S(account), 0, 0, NULL, 1, payload, sizeof payload, &len) ==
          SESSION_ERR_NULL_POINTER);
#undef EXPECT

    uint64_t swarms[] = {100, 200, UINT64_MAX};
    uint64_t space = 0, swarm = 0;
    CHECK(session_swarm_space(S(id), &space) == SESSION_OK);
    CHECK(session_swarm_for(S(id), swarms, 3, &swarm) == SESSION_OK);
    CHECK(swarm == 100 || swarm == 200);
    CHECK(session_swarm_for(S(id), swarms, 0, &swarm) == SESSION_ERR_INVALID_ARGUMENT);

    uint64_t requirement = 0;
    CHECK(session_staking_requirement(S("mainnet"), 2000000, &requirement) == SESSION_OK);
    CHECK(requirement > 0);
    CHECK(session_staking_requirement(S("moonnet"), 1, &requirement) ==
          SESSION_ERR_INVALID_ARGUMENT);
    /* Before HF19 registrations reserve portions, not amounts: the rule is named. */
    uint64_t stakes[] = {requirement};
    CHECK(session_check_registration_stakes(S("mainnet"), 100, stakes, 1) == SESSION_ERR_STAKING);
    CHECK(strlen(session_error_message()) > 0);
    uint8_t zeros[64] = {0};
    CHECK(session_verify_ethereum_registration(S("mainnet"), 100, zeros, 32, zeros, 10, zeros,
                                               64) == SESSION_ERR_KEY);
}

/* A client builds a request through three nodes to a fourth; each node opens and routes its
 * layer; the destination answers; the client reads the answer. */
static void onion(void) {
    SessionIdentity *ids[4] = {0};
    SessionNodeKey *keys[4] = {0};
    uint8_t hops[3 * 32], node[32];
    size_t len = 0;
    for (int i = 0; i < 4; i++) {
        CHECK(session_identity_generate(&ids[i]) == SESSION_OK);
        CHECK(session_node_key_from_identity(ids[i], &keys[i]) == SESSION_OK);
        uint8_t *ed = i < 3 ? hops + 32 * i : node;
        CHECK(session_identity_ed25519_public(ids[i], ed, 32, &len) == SESSION_OK);
    }
    const char *rpc = "{\"method\":\"info\",\"params\":{}}";
    SessionOnionRequest *req = NULL;
    CHECK(session_onion_build_to_node(hops, 32, 3, node, 32, (const uint8_t *)rpc, strlen(rpc),
                                      NULL, 0, &req) == SESSION_OK);
    static uint8_t data[65536];
    CHECK(session_onion_request_bytes(req, data, sizeof data, &len) == SESSION_OK);
    size_t data_len = len;

    SessionOnionLayer *layer = NULL;
    int32_t kind = 0;
    char target[512];
    size_t target_len = 0;
    for (int i = 0; i < 4; i++) {
        CHECK(session_node_key_open(keys[i], data, data_len, i > 0, &layer) == SESSION_OK);
        if (!layer) break;
        CHECK(session_onion_layer_route(layer, &kind, target, sizeof target, &target_len, data,
                                        sizeof data, &data_len) == SESSION_OK);
        if (i < 3) {
            CHECK(kind == SESSION_ROUTE_RELAY_TO_NODE && target_len == 64);
            session_onion_layer_free(layer);
            layer = NULL;
        }
    }
    CHECK(kind == SESSION_ROUTE_DESTINATION);
    CHECK(data_len == strlen(rpc) && memcmp(data, rpc, data_len) == 0);
    uint8_t reply[4096], body[4096];
    CHECK(session_onion_layer_answer(layer, 200, (const uint8_t *)"pong", 4, reply, sizeof reply,
                                     &len) == SESSION_OK);
    uint16_t status = 0;
    size_t body_len = 0;
    CHECK(session_onion_request_decode_reply(req, reply, len, &status, body, sizeof body,
                                             &body_len) == SESSION_OK);
    CHECK(status == 200 && body_len == 4 && memcmp(body, "pong", 4) == 0);
    reply[len / 2] ^= 1;
    CHECK(session_onion_request_decode_reply(req, reply, len, &status, body, sizeof body,
                                             &body_len) != SESSION_OK);

    /* A server destination with a v4 request. */
    uint8_t v4[1024];
    size_t v4_len = 0;
    CHECK(session_v4_request(S("GET"), S("/room/x"), S("X-Test: 1\n"), NULL, 0, v4, sizeof v4,
                             &v4_len) == SESSION_OK);
    uint8_t server_key[32];
    CHECK(session_node_key_public(keys[3], server_key, 32, &len) == SESSION_OK);
    SessionOnionRequest *to_server = NULL;
    CHECK(session_onion_build_to_server(hops, 32, 3, S("example.org"), server_key, 32, NULL, 0, 0,
                                        v4, v4_len, S("aes-gcm"), &to_server) == SESSION_OK);
    CHECK(session_onion_build_to_server(hops, 32, 3, S("example.org"), server_key, 31, NULL, 0, 0,
                                        v4, v4_len, NULL, 0, &to_server) == SESSION_ERR_KEY);

    session_onion_layer_free(layer);
    session_onion_request_free(to_server);
    session_onion_request_free(req);
    for (int i = 0; i < 4; i++) {
        session_node_key_free(keys[i]);
        session_identity_free(ids[i]);
    }
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s PHRASE SESSION_ID MESSAGE_HASH\n", argv[0]);
        return 2;
    }
    identities(argv[1], argv[2]);
    storage(argv[2], argv[3]);
    onion();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
