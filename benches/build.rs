//! Compiles the libsodium comparator (`compare/sodium_onion.c`) only when the
//! `compare-libsodium` feature is on; otherwise does nothing, so that the benchmarks build
//! without a C compiler or libsodium.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    #[cfg(feature = "compare-libsodium")]
    {
        println!("cargo:rerun-if-changed=compare/sodium_onion.c");
        cc::Build::new()
            .file("compare/sodium_onion.c")
            .opt_level(2)
            .compile("sodium_onion");
        println!("cargo:rustc-link-lib=sodium");
    }
}
