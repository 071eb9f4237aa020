//! `revoked_subaccounts`: an account's list of revoked subaccount tokens.

use session_core::{AccountId, Timestamp};

use super::{Verifier, reject};
use crate::backend::RevocationStore;
use crate::error::{Operation, RequestError, VerifyError};
use crate::policy::{Auth, payload};
use crate::types::SubaccountFlags;

/// A `revoked_subaccounts` request.
#[derive(Debug, Clone, Copy)]
pub struct RevokedSubaccountsRequest<'a> {
    /// The account.
    pub account: AccountId,
    /// The signed timestamp, ms.
    pub timestamp: u64,
    /// Authentication: the signature over [`payload::revoked_subaccounts`] by the account
    /// key itself (see [`Verifier::validate_revoked_subaccounts`]).
    pub auth: Option<Auth<'a>>,
}

/// A validated `revoked_subaccounts`: list the account's revocations
/// ([`RevocationStore::revoked`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RevokedSubaccountsCommand {
    /// The account.
    pub account: AccountId,
    /// The signed timestamp.
    pub timestamp: Timestamp,
}

impl<R: RevocationStore + ?Sized> Verifier<'_, R> {
    /// Validates a `revoked_subaccounts`: the timestamp within ±60 s, then the signature over
    /// `"revoked_subaccounts" ‖ timestamp`, by the account's own key (never a subaccount).
    ///
    /// The storage server checks this signature against the account key as it is, leaving
    /// `pubkey_ed25519` aside, so the same is done here: a group (`03`) account, whose key is
    /// an Ed25519 key, can sign this request, a Session ID (`05`, an X25519 key) cannot.
    pub fn validate_revoked_subaccounts(
        &self,
        req: &RevokedSubaccountsRequest<'_>,
    ) -> Result<RevokedSubaccountsCommand, VerifyError<R::Error>> {
        let op = Operation::RevokedSubaccounts;
        self.check_sig_time(op, req.timestamp)?;
        let auth = Self::require_auth(op, &req.auth)?;
        if auth.subaccount.is_some() {
            return reject(RequestError::SubaccountNotAllowed { operation: op });
        }
        // Interop: `pubkey_ed25519` is parsed but never used for this request.
        let own_key = Auth {
            pubkey_ed25519: None,
            ..*auth
        };
        let timestamp = Timestamp(req.timestamp);
        self.authenticate(
            op,
            &req.account,
            &own_key,
            &payload::revoked_subaccounts(timestamp),
            SubaccountFlags::default(),
            false,
        )?;
        Ok(RevokedSubaccountsCommand {
            account: req.account,
            timestamp,
        })
    }
}
