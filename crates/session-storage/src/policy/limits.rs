//! The storage server's numeric limits: sizes, clock windows, counts.

use session_core::Namespace;

/// Largest message data, bytes.
pub const MAX_DATA_BYTES: usize = 76_800;
/// Largest message data as base64 text, characters.
pub const MAX_DATA_BASE64_CHARS: usize = 102_400;
/// How far a store's timestamp may lie in the future, and its expiry in the past.
pub const STORE_TOLERANCE_MS: u64 = 10_000;
/// How far a signed timestamp may be from now.
pub const SIGNATURE_TOLERANCE_MS: u64 = 60_000;
/// The same, for requests forwarded by a swarm peer.
pub const SIGNATURE_TOLERANCE_FORWARDED_MS: u64 = 70_000;
/// A retrieve's largest page, bytes under [`SizeModel::SERVER`](crate::SizeModel::SERVER).
pub const RETRIEVE_MAX_SIZE: u64 = 7_800_000;
/// The page size used when a retrieve gives neither limit: `RETRIEVE_MAX_SIZE / 5`.
pub const RETRIEVE_DEFAULT_MAX_SIZE: i64 = -5;
/// Most tokens in one revoke request (unrevoke requests have no limit).
pub const MAX_TOKENS_PER_REQUEST: usize = 50;
/// Expiries set by `expire` are clamped to `now` plus this.
pub const EXPIRE_MAX_AHEAD_MS: u64 = Namespace::TTL_MAX_PRIVATE_MS;
/// Timestamps below this are taken to be seconds, and rejected.
pub const MIN_MILLIS_TIMESTAMP: u64 = 1_000_000_000;
/// How often the storage server sweeps expired messages.
pub const CLEANUP_PERIOD_MS: u64 = 10_000;
/// The storage server's database size limit: 3.5 GiB.
pub const DB_SIZE_LIMIT_BYTES: u64 = 3584 * 1024 * 1024;
/// Most subrequests in one `batch` / `sequence` request.
pub const MAX_BATCH_SUBREQUESTS: usize = 20;
/// How long a `monitor.messages` subscription lasts, seconds.
pub const MONITOR_EXPIRY_SECS: u64 = 3900;
