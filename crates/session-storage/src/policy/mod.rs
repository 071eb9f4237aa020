//! The storage server's request rules, as pure functions.
//!
//! Each `validate_*` method of [`Verifier`] takes a request as it arrived (binary fields raw or
//! as text, see [`Binary`](crate::Binary)), checks it in the storage server's order (TTL,
//! clock, signature, subaccount permissions) and returns a validated command for a backend, or
//! the [`RequestError`](crate::RequestError) naming the broken rule and its values. Nothing
//! here touches a store except to ask whether a subaccount token is revoked (the only way a
//! [`VerifyError`](crate::VerifyError) can be something else); the time is the caller's `now`.
//!
//! The byte strings that clients sign are built by the [`payload`] functions, those that nodes
//! sign in replies by the [`response`] functions.

mod limits;
pub mod payload;
mod request;
pub mod response;
mod verifier;

pub use limits::*;
pub use request::*;
pub use verifier::Verifier;
pub use verifier::monitor::{
    MONITOR_MAX_AGE_SECS, MONITOR_MAX_AHEAD_SECS, MonitorCommand, MonitorRequest,
};
pub use verifier::revocations::{RevokedSubaccountsCommand, RevokedSubaccountsRequest};
