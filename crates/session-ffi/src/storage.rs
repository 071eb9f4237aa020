//! Message hashes, signed storage payloads, swarms, staking.
#![allow(unsafe_code)]

use std::ffi::c_char;

use session_bindings as api;

use crate::boundary::{Failure, bytes, call, put, put_bytes, put_text, text};

/// Writes a payload that `f` builds.
///
/// # Safety
/// The output pointers as for `put_bytes`.
unsafe fn payload(
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
    f: impl FnOnce() -> Result<Vec<u8>, Failure>,
) -> i32 {
    call(|| {
        let value = f()?;
        // SAFETY: forwarded from the caller.
        unsafe { put_bytes(out, out_cap, out_len, &value) }
    })
}

/// The storage server's hash of a message (unpadded base64, 43 characters). `account`: 66 hex
/// characters, any prefix.
///
/// # Safety
/// Input pointers must point to their lengths in bytes; `out` valid for `out_cap` bytes,
/// `out_len` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_message_hash(
    account: *const c_char,
    account_len: usize,
    namespace: i16,
    data: *const u8,
    data_len: usize,
    out: *mut c_char,
    out_cap: usize,
    out_len: *mut usize,
) -> i32 {
    call(|| {
        // SAFETY: the pointers as documented.
        let (account, data) = unsafe {
            (
                text(account, account_len, "account")?,
                bytes(data, data_len, "data")?,
            )
        };
        let hash = api::message_hash(account, namespace.into(), data)?;
        // SAFETY: as above.
        unsafe { put_text(out, out_cap, out_len, &hash) }
    })
}

/// What a client signs to store in `namespace` at `timestamp_ms`.
///
/// # Safety
/// `out` valid for `out_cap` bytes, `out_len` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_store_payload(
    namespace: i16,
    timestamp_ms: u64,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> i32 {
    // SAFETY: forwarded from the caller.
    unsafe {
        payload(out, out_cap, out_len, || {
            Ok(api::store_payload(namespace.into(), timestamp_ms)?)
        })
    }
}

/// What a client signs to retrieve from `namespace` at `timestamp_ms`.
///
/// # Safety
/// As [`session_store_payload`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_retrieve_payload(
    namespace: i16,
    timestamp_ms: u64,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> i32 {
    // SAFETY: forwarded from the caller.
    unsafe {
        payload(out, out_cap, out_len, || {
            Ok(api::retrieve_payload(namespace.into(), timestamp_ms)?)
        })
    }
}

/// The namespace argument of the account-wide requests: `namespace`, or every namespace (`None`)
/// when `all_namespaces` is non-zero.
fn namespace_arg(all_namespaces: i32, namespace: i16) -> Option<i64> {
    (all_namespaces == 0).then_some(i64::from(namespace))
}

fn split_hashes(list: &str) -> Vec<&str> {
    list.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|h| !h.is_empty())
        .collect()
}

/// What a client signs to delete messages: `hashes` separated by white space or commas.
///
/// # Safety
/// `hashes` must point to `hashes_len` bytes; the outputs as [`session_store_payload`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_delete_payload(
    hashes: *const c_char,
    hashes_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> i32 {
    call(|| {
        // SAFETY: the pointers as documented.
        let hashes = unsafe { text(hashes, hashes_len, "hashes") }?;
        let value = api::delete_payload(&split_hashes(hashes))?;
        // SAFETY: as above.
        unsafe { put_bytes(out, out_cap, out_len, &value) }
    })
}

/// What a client signs to delete every message of `namespace`, or of every namespace when
/// `all_namespaces` is non-zero.
///
/// # Safety
/// As [`session_store_payload`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_delete_all_payload(
    all_namespaces: i32,
    namespace: i16,
    timestamp_ms: u64,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> i32 {
    let namespace = namespace_arg(all_namespaces, namespace);
    // SAFETY: forwarded from the caller.
    unsafe {
        payload(out, out_cap, out_len, || {
            Ok(api::delete_all_payload(namespace, timestamp_ms)?)
        })
    }
}

/// What a client signs to change the expiry of messages: `mode` is empty (set), `extend` or
/// `shorten`; `hashes` separated by white space or commas.
///
/// # Safety
/// `mode` and `hashes` must point to their lengths in bytes; the outputs as
/// [`session_store_payload`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_expire_payload(
    mode: *const c_char,
    mode_len: usize,
    expiry_ms: u64,
    hashes: *const c_char,
    hashes_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> i32 {
    call(|| {
        // SAFETY: the pointers as documented.
        let (mode, hashes) = unsafe {
            (
                text(mode, mode_len, "mode")?,
                text(hashes, hashes_len, "hashes")?,
            )
        };
        let value = api::expire_payload(mode, expiry_ms, &split_hashes(hashes))?;
        // SAFETY: as above.
        unsafe { put_bytes(out, out_cap, out_len, &value) }
    })
}

/// What a client signs to delete the messages stored before `before_ms` in `namespace`, or in
/// every namespace when `all_namespaces` is non-zero.
///
/// # Safety
/// As [`session_store_payload`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_delete_before_payload(
    all_namespaces: i32,
    namespace: i16,
    before_ms: u64,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> i32 {
    let namespace = namespace_arg(all_namespaces, namespace);
    // SAFETY: forwarded from the caller.
    unsafe {
        payload(out, out_cap, out_len, || {
            Ok(api::delete_before_payload(namespace, before_ms)?)
        })
    }
}

/// What a client signs to shorten the expiry of every message of `namespace`, or of every
/// namespace when `all_namespaces` is non-zero, to `expiry_ms`.
///
/// # Safety
/// As [`session_store_payload`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_expire_all_payload(
    all_namespaces: i32,
    namespace: i16,
    expiry_ms: u64,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> i32 {
    let namespace = namespace_arg(all_namespaces, namespace);
    // SAFETY: forwarded from the caller.
    unsafe {
        payload(out, out_cap, out_len, || {
            Ok(api::expire_all_payload(namespace, expiry_ms)?)
        })
    }
}

/// What a client signs to ask the expiries of messages: `hashes` separated by white space or
/// commas.
///
/// # Safety
/// `hashes` must point to `hashes_len` bytes; the outputs as [`session_store_payload`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_get_expiries_payload(
    timestamp_ms: u64,
    hashes: *const c_char,
    hashes_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> i32 {
    call(|| {
        // SAFETY: the pointers as documented.
        let hashes = unsafe { text(hashes, hashes_len, "hashes") }?;
        let value = api::get_expiries_payload(timestamp_ms, &split_hashes(hashes))?;
        // SAFETY: as above.
        unsafe { put_bytes(out, out_cap, out_len, &value) }
    })
}

/// The payload of a revocation (`revoke` true) or of lifting one.
///
/// # Safety
/// `tokens` must point to `tokens_len` bytes; the outputs as [`session_store_payload`].
unsafe fn revocation(
    revoke: bool,
    timestamp_ms: u64,
    tokens: *const u8,
    tokens_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> i32 {
    call(|| {
        // SAFETY: the pointers as documented.
        let tokens = unsafe { bytes(tokens, tokens_len, "tokens") }?;
        // A short last chunk reaches the API, which refuses it.
        let tokens: Vec<&[u8]> = tokens.chunks(36).collect();
        let value = if revoke {
            api::revoke_subaccount_payload(timestamp_ms, &tokens)?
        } else {
            api::unrevoke_subaccount_payload(timestamp_ms, &tokens)?
        };
        // SAFETY: as above.
        unsafe { put_bytes(out, out_cap, out_len, &value) }
    })
}

/// What a client signs to revoke subaccount tokens: `tokens` is their concatenation, 36 bytes
/// each.
///
/// # Safety
/// `tokens` must point to `tokens_len` bytes; the outputs as [`session_store_payload`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_revoke_subaccount_payload(
    timestamp_ms: u64,
    tokens: *const u8,
    tokens_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> i32 {
    // SAFETY: forwarded from the caller.
    unsafe {
        revocation(
            true,
            timestamp_ms,
            tokens,
            tokens_len,
            out,
            out_cap,
            out_len,
        )
    }
}

/// What a client signs to lift the revocation of subaccount tokens: `tokens` is their
/// concatenation, 36 bytes each.
///
/// # Safety
/// As [`session_revoke_subaccount_payload`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_unrevoke_subaccount_payload(
    timestamp_ms: u64,
    tokens: *const u8,
    tokens_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> i32 {
    // SAFETY: forwarded from the caller.
    unsafe {
        revocation(
            false,
            timestamp_ms,
            tokens,
            tokens_len,
            out,
            out_cap,
            out_len,
        )
    }
}

/// What a client signs to subscribe to the new messages of `account` (66 hex characters) in
/// the `namespace_count` namespaces at `namespaces` (ascending): `timestamp_s` in seconds,
/// `want_data` non-zero when notifications should carry the message data.
///
/// # Safety
/// `account` must point to `account_len` bytes, `namespaces` to `namespace_count` values; the
/// outputs as [`session_store_payload`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_monitor_payload(
    account: *const c_char,
    account_len: usize,
    timestamp_s: u64,
    want_data: i32,
    namespaces: *const i16,
    namespace_count: usize,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> i32 {
    call(|| {
        // SAFETY: the pointers as documented.
        let account = unsafe { text(account, account_len, "account") }?;
        let namespaces: &[i16] = if namespace_count == 0 {
            &[]
        } else if namespaces.is_null() {
            return Err(Failure::Null("namespaces"));
        } else {
            // SAFETY: non-null, and the caller guarantees `namespace_count` readable values.
            unsafe { std::slice::from_raw_parts(namespaces, namespace_count) }
        };
        let namespaces: Vec<i64> = namespaces.iter().map(|&ns| i64::from(ns)).collect();
        let value = api::monitor_payload(account, timestamp_s, want_data != 0, &namespaces)?;
        // SAFETY: as above.
        unsafe { put_bytes(out, out_cap, out_len, &value) }
    })
}

/// The swarm-space position of an account.
///
/// # Safety
/// `account` must point to `account_len` bytes; `out` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_swarm_space(
    account: *const c_char,
    account_len: usize,
    out: *mut u64,
) -> i32 {
    call(|| {
        // SAFETY: the pointers as documented.
        let account = unsafe { text(account, account_len, "account") }?;
        let space = api::swarm_space(account)?;
        // SAFETY: as above.
        unsafe { put(out, space, "out") }
    })
}

/// The swarm, among the `swarm_count` ids at `swarm_ids`, that stores the account.
///
/// # Safety
/// `account` must point to `account_len` bytes, `swarm_ids` to `swarm_count` ids; `out` must
/// be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_swarm_for(
    account: *const c_char,
    account_len: usize,
    swarm_ids: *const u64,
    swarm_count: usize,
    out: *mut u64,
) -> i32 {
    call(|| {
        // SAFETY: the pointers as documented.
        let account = unsafe { text(account, account_len, "account") }?;
        let ids: &[u64] = if swarm_count == 0 {
            &[]
        } else if swarm_ids.is_null() {
            return Err(Failure::Null("swarm_ids"));
        } else {
            // SAFETY: non-null, and the caller guarantees `swarm_count` readable ids.
            unsafe { std::slice::from_raw_parts(swarm_ids, swarm_count) }
        };
        let swarm = api::swarm_for(account, ids)?;
        // SAFETY: as above.
        unsafe { put(out, swarm, "out") }
    })
}

/// The staking requirement (atomic units) to register a node at `height` on `network`
/// (`mainnet`, `testnet`, `devnet`, `stagenet`, `localdev`).
///
/// # Safety
/// `network` must point to `network_len` bytes; `out` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_staking_requirement(
    network: *const c_char,
    network_len: usize,
    height: u64,
    out: *mut u64,
) -> i32 {
    call(|| {
        // SAFETY: the pointers as documented.
        let network = unsafe { text(network, network_len, "network") }?;
        let requirement = api::staking_requirement(network, height)?;
        // SAFETY: as above.
        unsafe { put(out, requirement, "out") }
    })
}

/// Checks the reserved stakes (atomic units, operator first, `stake_count` of them) of a
/// registration at `height` on `network` against the consensus rules; the error names the
/// rule broken.
///
/// # Safety
/// `network` must point to `network_len` bytes and `stakes` to `stake_count` values.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_check_registration_stakes(
    network: *const c_char,
    network_len: usize,
    height: u64,
    stakes: *const u64,
    stake_count: usize,
) -> i32 {
    call(|| {
        // SAFETY: the pointers as documented.
        let network = unsafe { text(network, network_len, "network") }?;
        let stakes: &[u64] = if stake_count == 0 {
            &[]
        } else if stakes.is_null() {
            return Err(Failure::Null("stakes"));
        } else {
            // SAFETY: non-null, and the caller guarantees `stake_count` readable values.
            unsafe { std::slice::from_raw_parts(stakes, stake_count) }
        };
        Ok(api::check_registration_stakes(network, height, stakes)?)
    })
}

/// Verifies the Ed25519 signature of a registration made through the staking contract:
/// `signature` (64 bytes) by `ed25519_public` (32) over the node's Ed25519 and BLS (64)
/// public keys, under the rules of `height` on `network`.
///
/// # Safety
/// Each pointer must point to its length in bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_verify_ethereum_registration(
    network: *const c_char,
    network_len: usize,
    height: u64,
    ed25519_public: *const u8,
    ed25519_public_len: usize,
    bls_public: *const u8,
    bls_public_len: usize,
    signature: *const u8,
    signature_len: usize,
) -> i32 {
    call(|| {
        // SAFETY: the pointers as documented.
        let (network, ed, bls, signature) = unsafe {
            (
                text(network, network_len, "network")?,
                bytes(ed25519_public, ed25519_public_len, "ed25519_public")?,
                bytes(bls_public, bls_public_len, "bls_public")?,
                bytes(signature, signature_len, "signature")?,
            )
        };
        Ok(api::verify_ethereum_registration(
            network, height, ed, bls, signature,
        )?)
    })
}
