/* Comparator: the same operations as our criterion benches, done with libsodium (the library
 * under libsession-util and the storage server). Our own harness, not reference code.
 *
 *   apt-get install libsodium-dev
 *   cc -O2 -o /tmp/libsodium-bench benches/compare/libsodium.c -lsodium && /tmp/libsodium-bench
 *
 * Prints the median of 15 batches, in nanoseconds per operation. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef void (*op_fn)(void);
static volatile unsigned char sink;

static void measure(const char *name, op_fn op, int iters) {
    double samples[15];
    for (int w = 0; w < iters; w++) op();
    for (int s = 0; s < 15; s++) {
        double t0 = now_ns();
        for (int i = 0; i < iters; i++) op();
        samples[s] = (now_ns() - t0) / iters;
    }
    qsort(samples, 15, sizeof(double), cmp);
    printf("%-40s %10.0f ns\n", name, samples[7]);
}

static unsigned char seed[32], ed_pk[32], ed_sk[64], x_pk[32], x_sk[32];
static unsigned char peer_sk[32], peer_pk[32], shared[32], key[32];
static unsigned char msg1k[1024], ct1k[1024 + 16], nonce_gcm[12], nonce_x[24];
static unsigned long long ctlen;

static void op_identity(void) {
    crypto_sign_seed_keypair(ed_pk, ed_sk, seed);
    if (crypto_sign_ed25519_pk_to_curve25519(x_pk, ed_pk) != 0) abort();
    crypto_sign_ed25519_sk_to_curve25519(x_sk, ed_sk);
    sink ^= x_pk[0];
}

static void op_pk_to_curve(void) {
    if (crypto_sign_ed25519_pk_to_curve25519(x_pk, ed_pk) != 0) abort();
    sink ^= x_pk[0];
}

static void op_sign64(void) {
    unsigned char sig[64];
    crypto_sign_detached(sig, NULL, msg1k, 64, ed_sk);
    sink ^= sig[0];
}

static void op_x25519(void) {
    if (crypto_scalarmult(shared, x_sk, peer_pk) != 0) abort();
    sink ^= shared[0];
}

/* AES-GCM hop key: HKDF-Extract(salt "LOKI", shared) = HMAC-SHA256(key "LOKI", shared). */
static void derive_gcm_key(void) {
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)"LOKI", 4);
    crypto_auth_hmacsha256_update(&st, shared, 32);
    crypto_auth_hmacsha256_final(&st, key);
}

/* XChaCha hop key: BLAKE2b-256(shared || client pk || server pk). */
static void derive_xchacha_key(void) {
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, 32);
    crypto_generichash_update(&st, shared, 32);
    crypto_generichash_update(&st, x_pk, 32);
    crypto_generichash_update(&st, peer_pk, 32);
    crypto_generichash_final(&st, key, 32);
}

static void op_peel_gcm_1k(void) {
    unsigned char out[1024];
    unsigned long long outlen;
    op_x25519();
    derive_gcm_key();
    if (crypto_aead_aes256gcm_decrypt(out, &outlen, NULL, ct1k, ctlen, NULL, 0, nonce_gcm, key) != 0) abort();
    sink ^= out[0];
}

static void op_peel_xchacha_1k(void) {
    unsigned char out[1024];
    unsigned long long outlen;
    op_x25519();
    derive_xchacha_key();
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(out, &outlen, NULL, ct1k, ctlen, NULL, 0, nonce_x, key) != 0) abort();
    sink ^= out[0];
}

static void op_seal_gcm_1k(void) {
    op_x25519();
    derive_gcm_key();
    crypto_aead_aes256gcm_encrypt(ct1k, &ctlen, msg1k, sizeof msg1k, NULL, 0, NULL, nonce_gcm, key);
    sink ^= ct1k[0];
}

static void op_seal_xchacha_1k(void) {
    op_x25519();
    derive_xchacha_key();
    crypto_aead_xchacha20poly1305_ietf_encrypt(ct1k, &ctlen, msg1k, sizeof msg1k, NULL, 0, NULL, nonce_x, key);
    sink ^= ct1k[0];
}

int main(void) {
    if (sodium_init() < 0) return 1;
    memset(seed, 0x42, 16);
    randombytes_buf(msg1k, sizeof msg1k);
    randombytes_buf(nonce_gcm, sizeof nonce_gcm);
    randombytes_buf(nonce_x, sizeof nonce_x);
    op_identity();
    randombytes_buf(peer_sk, 32);
    crypto_scalarmult_base(peer_pk, peer_sk);
    printf("libsodium %s, AES-GCM hardware support: %s\n", sodium_version_string(),
           crypto_aead_aes256gcm_is_available() ? "yes" : "no");
    measure("identity_from_seed16 (+ both X25519 conversions)", op_identity, 2000);
    measure("x25519_from_ed25519 (pk_to_curve25519)", op_pk_to_curve, 2000);
    measure("sign_64B", op_sign64, 2000);
    measure("x25519 shared secret", op_x25519, 2000);
    if (crypto_aead_aes256gcm_is_available()) {
        measure("hop seal aes-gcm 1KiB (dh+kdf+seal)", op_seal_gcm_1k, 2000);
        op_seal_gcm_1k();
        measure("hop peel aes-gcm 1KiB (dh+kdf+open)", op_peel_gcm_1k, 2000);
    }
    measure("hop seal xchacha20 1KiB (dh+kdf+seal)", op_seal_xchacha_1k, 2000);
    op_seal_xchacha_1k();
    measure("hop peel xchacha20 1KiB (dh+kdf+open)", op_peel_xchacha_1k, 2000);
    return 0;
}
