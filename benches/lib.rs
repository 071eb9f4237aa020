//! Criterion benchmarks across the session-infra crates. The benchmarks are the `[[bench]]`
//! targets of this package (`cargo bench -p session-benches`); this library is empty.
