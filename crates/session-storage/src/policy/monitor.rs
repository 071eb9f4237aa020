//! `monitor.messages`: the signed subscription request of push-notification servers.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write as _;

use session_core::{AccountId, Namespace, Timestamp};

use super::{Auth, Signer, Verifier};
use crate::error::{Error, Operation, Result};
use crate::types::SubaccountFlags;

/// How far before now a subscription's signed timestamp may lie: 14 days, in seconds.
pub const MONITOR_MAX_AGE_SECS: u64 = 14 * 86_400;
/// How far after now it may lie: 1 day, in seconds.
pub const MONITOR_MAX_AHEAD_SECS: u64 = 86_400;

/// `"MONITOR" ‖ account hex (66 lowercase characters) ‖ dec(timestamp, seconds) ‖ "0"|"1" ‖
/// namespaces in decimal, comma-separated, in the order given (ascending in a valid request)`.
#[must_use]
pub fn payload(
    account: &AccountId,
    timestamp_secs: u64,
    want_data: bool,
    namespaces: &[Namespace],
) -> Vec<u8> {
    let mut s = String::with_capacity(7 + 66 + 20 + 1 + namespaces.len() * 7);
    s.push_str("MONITOR");
    let _ = write!(s, "{account}{timestamp_secs}{}", u8::from(want_data));
    for (i, ns) in namespaces.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        let _ = write!(s, "{}", ns.0);
    }
    s.into_bytes()
}

/// A `monitor.messages` subscription request.
#[derive(Debug, Clone, Copy)]
pub struct MonitorRequest<'a> {
    /// The account to follow (for Session IDs: `05` and the X25519 form of `pubkey_ed25519`).
    pub account: AccountId,
    /// The signed timestamp, **seconds**.
    pub timestamp_secs: u64,
    /// Whether notifications carry the message data.
    pub want_data: bool,
    /// The namespaces, strictly ascending.
    pub namespaces: &'a [Namespace],
    /// The signature over [`payload`], by the account (or a subaccount with Read).
    pub auth: Auth<'a>,
}

/// A validated subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonitorCommand {
    /// The account.
    pub account: AccountId,
    /// The namespaces, ascending.
    pub namespaces: Vec<Namespace>,
    /// Whether notifications carry the data.
    pub want_data: bool,
    /// Who signed.
    pub signer: Signer,
}

impl Verifier<'_> {
    /// Validates a `monitor.messages` subscription: namespaces non-empty and strictly
    /// ascending, the timestamp (seconds) within now − 14 days ..= now + 1 day, and the
    /// signature by the account or by a subaccount with Read that is not revoked (the storage
    /// server does not consult revocations here; a revoked token is refused as it is
    /// everywhere else).
    pub fn validate_monitor(&self, req: &MonitorRequest<'_>) -> Result<MonitorCommand> {
        let op = Operation::Monitor;
        if req.namespaces.is_empty() {
            return Err(Error::EmptyList {
                operation: op,
                field: "namespaces",
            });
        }
        if req.namespaces.windows(2).any(|w| match w {
            [a, b] => a >= b,
            _ => false,
        }) {
            return Err(Error::NamespacesNotAscending);
        }
        let now_secs = self.now.as_secs();
        let too_old = req.timestamp_secs < now_secs.saturating_sub(MONITOR_MAX_AGE_SECS);
        if too_old || req.timestamp_secs > now_secs.saturating_add(MONITOR_MAX_AHEAD_SECS) {
            return Err(Error::MonitorTimestamp {
                timestamp_secs: req.timestamp_secs,
                now: self.now,
                too_old,
            });
        }
        let message = payload(
            &req.account,
            req.timestamp_secs,
            req.want_data,
            req.namespaces,
        );
        let signer = self.authenticate(
            op,
            &req.account,
            &req.auth,
            &message,
            SubaccountFlags::READ,
            true,
        )?;
        Ok(MonitorCommand {
            account: req.account,
            namespaces: req.namespaces.to_vec(),
            want_data: req.want_data,
            signer,
        })
    }
}

#[allow(dead_code)]
fn _uses(_: Timestamp) {}
