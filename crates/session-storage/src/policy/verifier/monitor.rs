//! `monitor.messages`: the signed subscription request of push-notification servers.

use alloc::vec::Vec;

use session_core::{AccountId, Namespace};

use super::{Verifier, reject};
use crate::backend::RevocationStore;
use crate::error::{Operation, RequestError, VerifyError};
use crate::policy::{Auth, Signer, payload};
use crate::types::SubaccountFlags;

/// How far before now a subscription's signed timestamp may lie: 14 days, in seconds.
pub const MONITOR_MAX_AGE_SECS: u64 = 14 * 86_400;
/// How far after now it may lie: 1 day, in seconds.
pub const MONITOR_MAX_AHEAD_SECS: u64 = 86_400;

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
    /// The signature over [`payload::monitor`], by the account (or a subaccount with Read).
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

impl<R: RevocationStore + ?Sized> Verifier<'_, R> {
    /// Validates a `monitor.messages` subscription: namespaces non-empty and strictly
    /// ascending, the timestamp (seconds) within now − 14 days ..= now + 1 day, and the
    /// signature by the account or by a subaccount with Read that is not revoked (the storage
    /// server does not consult revocations here; a revoked token is refused as it is
    /// everywhere else).
    pub fn validate_monitor(
        &self,
        req: &MonitorRequest<'_>,
    ) -> Result<MonitorCommand, VerifyError<R::Error>> {
        let op = Operation::Monitor;
        if req.namespaces.is_empty() {
            return reject(RequestError::EmptyList {
                operation: op,
                field: "namespaces",
            });
        }
        if req.namespaces.windows(2).any(|w| match w {
            [a, b] => a >= b,
            _ => false,
        }) {
            return reject(RequestError::NamespacesNotAscending);
        }
        let now_secs = self.now.as_secs();
        let too_old = req.timestamp_secs < now_secs.saturating_sub(MONITOR_MAX_AGE_SECS);
        if too_old || req.timestamp_secs > now_secs.saturating_add(MONITOR_MAX_AHEAD_SECS) {
            return reject(RequestError::MonitorTimestamp {
                timestamp_secs: req.timestamp_secs,
                now: self.now,
                too_old,
            });
        }
        let message = payload::monitor(
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
