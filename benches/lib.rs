//! Criterion benchmarks across the session-infra crates. The benchmarks are the `[[bench]]`
//! targets of this package (`cargo bench -p session-benches`); this library holds the paired
//! ratio measurement they share and, behind the `compare-libsodium` feature, the bindings to
//! the libsodium comparator.

use std::time::Duration;

/// Paired ratio measurement: in each of `rounds` rounds, time one call of `a` and one of `b`
/// (each call times its own batch of work) back to back, alternating which goes first; print
/// the median, min and max of the per-round ratios a / b and the fastest round of each.
pub fn paired_ratio(
    name: &str,
    rounds: usize,
    mut a: impl FnMut() -> Duration,
    mut b: impl FnMut() -> Duration,
) {
    let mut ratios = Vec::with_capacity(rounds);
    let (mut best_a, mut best_b) = (Duration::MAX, Duration::MAX);
    for round in 0..rounds {
        let (ta, tb) = if round % 2 == 0 {
            let ta = a();
            (ta, b())
        } else {
            let tb = b();
            (a(), tb)
        };
        best_a = best_a.min(ta);
        best_b = best_b.min(tb);
        ratios.push(ta.as_secs_f64() / tb.as_secs_f64());
    }
    ratios.sort_by(f64::total_cmp);
    let (Some(min), Some(median), Some(max)) =
        (ratios.first(), ratios.get(rounds / 2), ratios.last())
    else {
        return;
    };
    println!(
        "ratio {name}: median {median:.3} min {min:.3} max {max:.3} ({rounds} rounds); fastest round {best_a:?} vs {best_b:?}"
    );
}

/// libsodium doing the work of the onion benchmarks (`compare/sodium_onion.c`), behind the
/// `compare-libsodium` feature.
///
/// The one place in the workspace with `unsafe` code: calls into C through `extern "C"`. Each
/// wrapper passes pointers and lengths taken from live Rust slices and arrays, so the C side
/// never reads or writes outside them.
#[cfg(feature = "compare-libsodium")]
#[allow(unsafe_code)]
pub mod libsodium {
    use core::ffi::{c_int, c_long, c_uchar};

    unsafe extern "C" {
        fn sodium_onion_init() -> c_int;
        fn sodium_onion_build(
            enc: c_int,
            payload: *const c_uchar,
            plen: usize,
            x25519: *const [u8; 32],
            ed25519: *const [u8; 32],
            out: *mut *mut c_uchar,
        ) -> usize;
        fn sodium_onion_free(p: *mut c_uchar);
        fn sodium_onion_peel(
            enc: c_int,
            req: *const c_uchar,
            len: usize,
            sk: *const c_uchar,
            pk: *const c_uchar,
        ) -> c_long;
    }

    /// The cipher: AES-256-GCM or XChaCha20-Poly1305.
    #[derive(Clone, Copy, Debug)]
    pub enum Cipher {
        /// AES-256-GCM (libsodium's needs AES-NI and PCLMUL).
        AesGcm,
        /// XChaCha20-Poly1305.
        XChaCha20,
    }

    fn code(c: Cipher) -> c_int {
        match c {
            Cipher::AesGcm => 0,
            Cipher::XChaCha20 => 1,
        }
    }

    /// Initialises libsodium. `Some(true)` when its AES-GCM is available on this CPU.
    pub fn init() -> Option<bool> {
        // SAFETY: no arguments; `sodium_init` may be called any number of times.
        match unsafe { sodium_onion_init() } {
            0 => None,
            n => Some(n == 2),
        }
    }

    /// Builds a 3-hop + node-destination onion (hops guard first, destination last), frees it,
    /// and returns its length (0 on failure).
    pub fn build(
        cipher: Cipher,
        payload: &[u8],
        x25519: &[[u8; 32]; 4],
        ed25519: &[[u8; 32]; 4],
    ) -> usize {
        // SAFETY: every pointer comes from a live slice or array of the stated length; `out`
        // is null, so the C side frees its buffer itself.
        unsafe {
            sodium_onion_build(
                code(cipher),
                payload.as_ptr(),
                payload.len(),
                x25519.as_ptr(),
                ed25519.as_ptr(),
                core::ptr::null_mut(),
            )
        }
    }

    /// [`build`], returning the onion.
    pub fn build_vec(
        cipher: Cipher,
        payload: &[u8],
        x25519: &[[u8; 32]; 4],
        ed25519: &[[u8; 32]; 4],
    ) -> Option<Vec<u8>> {
        let mut out: *mut c_uchar = core::ptr::null_mut();
        // SAFETY: as in `build`; `out` receives a malloc'd buffer of the returned length.
        let len = unsafe {
            sodium_onion_build(
                code(cipher),
                payload.as_ptr(),
                payload.len(),
                x25519.as_ptr(),
                ed25519.as_ptr(),
                &mut out,
            )
        };
        if len == 0 || out.is_null() {
            return None;
        }
        // SAFETY: `out` points to `len` initialised bytes, copied before they are freed.
        let onion = unsafe { core::slice::from_raw_parts(out, len) }.to_vec();
        // SAFETY: `out` came from the C side's malloc and is freed once.
        unsafe { sodium_onion_free(out) };
        Some(onion)
    }

    /// A guard opening `request` with its key pair; the plaintext's length, or `None`.
    pub fn peel(
        cipher: Cipher,
        request: &[u8],
        secret: &[u8; 32],
        public: &[u8; 32],
    ) -> Option<usize> {
        // SAFETY: pointers from a live slice and two 32-byte arrays, lengths as stated.
        let n = unsafe {
            sodium_onion_peel(
                code(cipher),
                request.as_ptr(),
                request.len(),
                secret.as_ptr(),
                public.as_ptr(),
            )
        };
        usize::try_from(n).ok()
    }
}
