/* libsodium doing the work of our onion benchmarks, for `benches/onion.rs` with the
 * `compare-libsodium` feature (compiled by build.rs; needs libsodium's headers, e.g. Debian's
 * libsodium-dev). Our own harness, not reference code.
 *
 * - sodium_onion_build: the same 3-hop + node-destination onion as session-onion's builder,
 *   byte for byte in layout (one output allocation, every layer sealed in place, the same
 *   routing JSON), so session-onion can open every layer of it.
 * - sodium_onion_peel: a guard opening the outer layer: framing, the ephemeral key found in the
 *   JSON and hex-decoded (a substring search, no JSON parser: less work than ours), X25519,
 *   key derivation, AEAD open into a fresh allocation.
 *
 * Randomness: a ChaCha20 keystream (crypto_stream_chacha20) under a fixed key, like the seeded
 * ChaCha20 generator on the Rust side. enc: 0 = aes-gcm, 1 = xchacha20. */
#define _GNU_SOURCE /* memmem */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static unsigned char rng_key[crypto_stream_chacha20_KEYBYTES] = {7};
static uint64_t rng_ctr;

static void rng_fill(unsigned char *buf, size_t len) {
    unsigned char nonce[crypto_stream_chacha20_NONCEBYTES];
    memcpy(nonce, &rng_ctr, sizeof nonce);
    rng_ctr++;
    crypto_stream_chacha20(buf, len, nonce, rng_key);
}

int sodium_onion_init(void) {
    if (sodium_init() < 0) return 0;
    return crypto_aead_aes256gcm_is_available() ? 2 : 1;
}

static size_t nonce_len(int enc) { return enc ? 24 : 12; }
static const char *enc_name(int enc) { return enc ? "\"xchacha20\"" : "\"aes-gcm\""; }

/* The hop key of a layer from the client's side: ephemeral secret and public key, peer key. */
static int layer_key(int enc, const unsigned char eph_sk[32], const unsigned char eph_pk[32],
                     const unsigned char peer[32], unsigned char key[32]) {
    unsigned char shared[32];
    if (crypto_scalarmult(shared, eph_sk, peer) != 0) return -1;
    if (enc) {
        crypto_generichash_state st;
        crypto_generichash_init(&st, NULL, 0, 32);
        crypto_generichash_update(&st, shared, 32);
        crypto_generichash_update(&st, eph_pk, 32);
        crypto_generichash_update(&st, peer, 32);
        crypto_generichash_final(&st, key, 32);
    } else {
        crypto_auth_hmacsha256_state st;
        crypto_auth_hmacsha256_init(&st, (const unsigned char *)"LOKI", 4);
        crypto_auth_hmacsha256_update(&st, shared, 32);
        crypto_auth_hmacsha256_final(&st, key);
    }
    sodium_memzero(shared, sizeof shared);
    return 0;
}

/* nonce ‖ ciphertext ‖ tag at buf[start..], the plaintext at buf[start + nonce_len..][..len]. */
static int seal_at(int enc, const unsigned char key[32], unsigned char *buf, size_t start,
                   size_t len) {
    size_t nl = nonce_len(enc);
    unsigned char *nonce = buf + start, *m = buf + start + nl;
    rng_fill(nonce, nl);
    if (enc)
        return crypto_aead_xchacha20poly1305_ietf_encrypt_detached(m, m + len, NULL, m, len, NULL,
                                                                   0, NULL, nonce, key);
    return crypto_aead_aes256gcm_encrypt_detached(m, m + len, NULL, m, len, NULL, 0, NULL, nonce,
                                                  key);
}

static void put_u32(unsigned char *p, size_t v) {
    p[0] = v & 0xff; p[1] = (v >> 8) & 0xff; p[2] = (v >> 16) & 0xff; p[3] = (v >> 24) & 0xff;
}

static size_t put_str(unsigned char *p, const char *s) {
    size_t n = strlen(s);
    memcpy(p, s, n);
    return n;
}

static size_t put_key(unsigned char *p, const unsigned char key[32]) {
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, key, 32);
    p[0] = '"';
    memcpy(p + 1, hex, 64);
    p[65] = '"';
    return 66;
}

static size_t relay_json(unsigned char *p, int enc, const unsigned char next_ed[32],
                         const unsigned char eph[32]) {
    size_t n = put_str(p, "{\"destination\":");
    n += put_key(p + n, next_ed);
    n += put_str(p + n, ",\"enc_type\":");
    n += put_str(p + n, enc_name(enc));
    n += put_str(p + n, ",\"ephemeral_key\":");
    n += put_key(p + n, eph);
    p[n++] = '}';
    return n;
}

#define HOPS 3
#define TAG 16

/* x25519[i], ed25519[i]: the hops (guard first), then the destination node at index HOPS.
 * Returns the onion's length; with `out` NULL the onion is freed, else handed to the caller
 * (free it with sodium_onion_free). 0 on failure. */
size_t sodium_onion_build(int enc, const unsigned char *payload, size_t plen,
                          const unsigned char x25519[HOPS + 1][32],
                          const unsigned char ed25519[HOPS + 1][32], unsigned char **out) {
    static const char marker[] = "{\"headers\":\"\"}";
    size_t nl = nonce_len(enc), oh = nl + TAG, mlen = sizeof marker - 1;
    size_t relay_len = 15 + 66 + 12 + strlen(enc_name(enc)) + 17 + 66 + 1;
    size_t outer_len = 12 + strlen(enc_name(enc)) + 17 + 66 + 1;
    size_t dest_plain = 4 + plen + mlen;
    size_t sizes[HOPS + 1];
    size_t ct = dest_plain + oh;
    sizes[0] = ct;
    for (int k = 1; k <= HOPS; k++) {
        ct = 4 + ct + relay_len + oh;
        sizes[k] = ct;
    }
    size_t total = 4 + ct + outer_len;
    unsigned char *buf = malloc(total);
    if (!buf) return 0;
    unsigned char sk[32], pk[32], key[32];
#define START(k) (4 + (HOPS - (k)) * (nl + 4))
    /* Destination blob. */
    rng_fill(sk, 32);
    crypto_scalarmult_base(pk, sk);
    if (layer_key(enc, sk, pk, x25519[HOPS], key) != 0) goto fail;
    size_t p0 = START(0) + nl;
    put_u32(buf + p0, plen);
    memcpy(buf + p0 + 4, payload, plen);
    memcpy(buf + p0 + 4 + plen, marker, mlen);
    if (seal_at(enc, key, buf, START(0), dest_plain) != 0) goto fail;
    /* Hops, the last one first; layer k goes to hop HOPS - k and routes to the next one. */
    for (int k = 1; k <= HOPS; k++) {
        size_t ps = START(k) + nl, inner = sizes[k - 1];
        put_u32(buf + ps, inner);
        relay_json(buf + ps + 4 + inner, enc, ed25519[HOPS - k + 1], pk);
        rng_fill(sk, 32);
        crypto_scalarmult_base(pk, sk);
        if (layer_key(enc, sk, pk, x25519[HOPS - k], key) != 0) goto fail;
        if (seal_at(enc, key, buf, START(k), 4 + inner + relay_len) != 0) goto fail;
    }
    put_u32(buf, ct);
    {
        unsigned char *j = buf + 4 + ct;
        size_t n = put_str(j, "{\"enc_type\":");
        n += put_str(j + n, enc_name(enc));
        n += put_str(j + n, ",\"ephemeral_key\":");
        n += put_key(j + n, pk);
        j[n] = '}';
    }
    sodium_memzero(sk, sizeof sk);
    sodium_memzero(key, sizeof key);
    if (out) *out = buf; else free(buf);
    return total;
fail:
    sodium_memzero(sk, sizeof sk);
    sodium_memzero(key, sizeof key);
    free(buf);
    return 0;
#undef START
}

void sodium_onion_free(unsigned char *p) { free(p); }

/* A guard opening `req` with its key pair. Returns the plaintext's length, or -1. */
long sodium_onion_peel(int enc, const unsigned char *req, size_t len, const unsigned char sk[32],
                       const unsigned char pk[32]) {
    static const char field[] = "\"ephemeral_key\":\"";
    if (len < 4) return -1;
    size_t n = (size_t)req[0] | (size_t)req[1] << 8 | (size_t)req[2] << 16 | (size_t)req[3] << 24;
    if (n > len - 4) return -1;
    const unsigned char *ct = req + 4, *json = req + 4 + n;
    size_t json_len = len - 4 - n;
    const unsigned char *at = memmem(json, json_len, field, sizeof field - 1);
    if (!at || (size_t)(json + json_len - at) < sizeof field - 1 + 64) return -1;
    unsigned char eph[32], shared[32], key[32];
    if (sodium_hex2bin(eph, 32, (const char *)at + sizeof field - 1, 64, NULL, NULL, NULL) != 0)
        return -1;
    if (crypto_scalarmult(shared, sk, eph) != 0) return -1;
    if (enc) {
        crypto_generichash_state st;
        crypto_generichash_init(&st, NULL, 0, 32);
        crypto_generichash_update(&st, shared, 32);
        crypto_generichash_update(&st, eph, 32);
        crypto_generichash_update(&st, pk, 32);
        crypto_generichash_final(&st, key, 32);
    } else {
        crypto_auth_hmacsha256_state st;
        crypto_auth_hmacsha256_init(&st, (const unsigned char *)"LOKI", 4);
        crypto_auth_hmacsha256_update(&st, shared, 32);
        crypto_auth_hmacsha256_final(&st, key);
    }
    sodium_memzero(shared, sizeof shared);
    size_t nl = nonce_len(enc);
    if (n < nl + TAG) return -1;
    size_t plen = n - nl - TAG;
    unsigned char *plain = malloc(plen ? plen : 1);
    if (!plain) return -1;
    int rc = enc ? crypto_aead_xchacha20poly1305_ietf_decrypt_detached(
                       plain, NULL, ct + nl, plen, ct + nl + plen, NULL, 0, ct, key)
                 : crypto_aead_aes256gcm_decrypt_detached(plain, NULL, ct + nl, plen,
                                                          ct + nl + plen, NULL, 0, ct, key);
    sodium_memzero(key, sizeof key);
    free(plain);
    return rc == 0 ? (long)plen : -1;
}
