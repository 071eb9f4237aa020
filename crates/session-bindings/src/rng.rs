//! Where the bindings' randomness comes from: the operating system (in browsers, Web Crypto's
//! `crypto.getRandomValues`). The libraries take an RNG parameter; this is the one place that
//! constructs one.

/// The operating system's generator, read on every call.
// The bindings are an application boundary: this is where randomness enters.
#[allow(clippy::disallowed_types)]
pub(crate) fn os_rng() -> rand_core::UnwrapErr<getrandom::SysRng> {
    rand_core::UnwrapErr(getrandom::SysRng)
}
