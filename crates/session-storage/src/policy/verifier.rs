//! The [`Verifier`]: checks each request in the storage server's order.

use alloc::vec::Vec;

pub(super) mod monitor;
pub(super) mod revocations;

use session_core::identity::x25519_from_ed25519;
use session_core::{
    AccountId, Ed25519PublicKey, Ed25519Signature, MessageHash, Namespace, Timestamp,
};

use super::limits::*;
use super::payload;
use super::request::*;
use crate::backend::RevocationStore;
use crate::error::{Operation, RequestError, VerifyError};
use crate::text::Binary;
use crate::types::{
    ExpiryMode, NamespaceSelector, RetrieveQuery, SizeModel, StoredMessage, SubaccountFlags,
    SubaccountToken,
};

/// A rejection, or (in the `validate_*` methods) the revocation store's failure.
type Result<T, E = RequestError> = core::result::Result<T, E>;

/// Validates requests at one point in time.
///
/// Each `validate_*` method returns the validated command, or a [`VerifyError`]: the
/// [`RequestError`] naming the broken rule, or the failure of the revocation store `R` (only
/// requests signed by a subaccount consult it). With an infallible store such as
/// [`MemoryStore`](crate::MemoryStore), `RequestError::from` unwraps the rejection.
///
/// ```
/// use session_core::{AccountId, Timestamp};
/// use session_storage::policy::{Lifetime, NamespaceArg, StoreRequest, Verifier};
/// use session_storage::{Binary, MemoryStore, MessageWriter, RequestError, StoreOutcome};
///
/// let mut store = MemoryStore::new();
/// let now = Timestamp::from_millis(1_700_000_000_000);
/// let request = StoreRequest {
///     account: AccountId::new(0x05, [9; 32]),
///     namespace: NamespaceArg::Omitted, // 0: a public inbox, no signature needed
///     timestamp: now.as_millis(),
///     lifetime: Lifetime::Ttl(3_600_000),
///     data: Binary::Base64("aGVsbG8="),
///     sig_timestamp: None,
///     auth: None,
/// };
/// let command = Verifier::new(now, &store).validate_store(&request)?;
/// assert_eq!(store.store(&command.message, now)?, StoreOutcome::New);
///
/// let too_long = StoreRequest { lifetime: Lifetime::Ttl(15 * 86_400_000), ..request };
/// let err = RequestError::from(Verifier::new(now, &store).validate_store(&too_long).unwrap_err());
/// assert!(matches!(err, RequestError::TtlTooLong { .. }));
/// assert_eq!(err.to_string(), "store: ttl of 1296000000 ms exceeds the maximum of 1209600000 ms for namespace 0");
/// # Ok::<(), session_storage::Error>(())
/// ```
pub struct Verifier<'r, R: ?Sized> {
    now: Timestamp,
    forwarded: bool,
    revocations: &'r R,
}

impl<R: ?Sized> core::fmt::Debug for Verifier<'_, R> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Verifier")
            .field("now", &self.now)
            .field("forwarded", &self.forwarded)
            .finish_non_exhaustive()
    }
}

fn field_err(
    operation: Operation,
    field: &'static str,
) -> impl Fn(session_core::Error) -> RequestError {
    move |source| RequestError::InvalidField {
        operation,
        field,
        source,
    }
}

/// `Err(e)` as whichever error the caller returns.
fn reject<T, E: From<RequestError>>(e: RequestError) -> Result<T, E> {
    Err(E::from(e))
}

fn parse_hashes(operation: Operation, messages: &[&str]) -> Result<Vec<MessageHash>> {
    if messages.is_empty() {
        return reject(RequestError::EmptyList {
            operation,
            field: "messages",
        });
    }
    messages
        .iter()
        .map(|m| {
            m.parse::<MessageHash>()
                .map_err(field_err(operation, "messages"))
        })
        .collect()
}

impl<'r, R: RevocationStore + ?Sized> Verifier<'r, R> {
    /// A verifier for requests received directly from clients at `now`; subaccount tokens are
    /// checked against `revocations`.
    #[must_use]
    pub fn new(now: Timestamp, revocations: &'r R) -> Self {
        Self {
            now,
            forwarded: false,
            revocations,
        }
    }

    /// For requests forwarded by a swarm peer: signed timestamps get ±70 s instead of ±60 s.
    #[must_use]
    pub fn forwarded(mut self) -> Self {
        self.forwarded = true;
        self
    }

    fn sig_tolerance(&self) -> u64 {
        if self.forwarded {
            SIGNATURE_TOLERANCE_FORWARDED_MS
        } else {
            SIGNATURE_TOLERANCE_MS
        }
    }

    fn check_sig_time(&self, operation: Operation, ts: u64) -> Result<()> {
        let tolerance_ms = self.sig_tolerance();
        if ts.abs_diff(self.now.0) > tolerance_ms {
            return reject(RequestError::StaleTimestamp {
                operation,
                timestamp: Timestamp(ts),
                now: self.now,
                tolerance_ms,
            });
        }
        Ok(())
    }

    /// Checks `auth` over `message` for `account`, in the storage server's order.
    fn authenticate(
        &self,
        operation: Operation,
        account: &AccountId,
        auth: &Auth<'_>,
        message: &[u8],
        required: SubaccountFlags,
        check_revoked: bool,
    ) -> Result<Signer, VerifyError<R::Error>> {
        let signature = Ed25519Signature::from_bytes(
            auth.signature
                .decode_array("signature")
                .map_err(field_err(operation, "signature"))?,
        );
        let account_key = match &auth.pubkey_ed25519 {
            Some(ed) => {
                if account.netid() != 0x05 {
                    return reject(RequestError::Ed25519KeyNotAllowed {
                        netid: account.netid(),
                    });
                }
                let ed = Ed25519PublicKey::from_bytes(
                    ed.decode_array("pubkey_ed25519")
                        .map_err(field_err(operation, "pubkey_ed25519"))?,
                );
                let x = x25519_from_ed25519(&ed).map_err(|_| RequestError::InvalidSigningKey)?;
                if x.as_bytes() != account.key() {
                    return reject(RequestError::Ed25519KeyMismatch);
                }
                ed
            }
            None => Ed25519PublicKey::from_bytes(*account.key()),
        };
        let Some((token, token_sig)) = &auth.subaccount else {
            return if account_key.verify(message, &signature).is_ok() {
                Ok(Signer::Account)
            } else {
                reject(RequestError::BadSignature { operation })
            };
        };
        let token = SubaccountToken(
            token
                .decode_array("subaccount")
                .map_err(field_err(operation, "subaccount"))?,
        );
        let token_sig = Ed25519Signature::from_bytes(
            token_sig
                .decode_array("subaccount_sig")
                .map_err(field_err(operation, "subaccount_sig"))?,
        );
        if check_revoked
            && self
                .revocations
                .is_revoked(account, &token)
                .map_err(VerifyError::Backend)?
        {
            return reject(RequestError::SubaccountRevoked { operation });
        }
        if token.prefix() != account.netid() && !token.flags().contains(SubaccountFlags::ANY_PREFIX)
        {
            return reject(RequestError::SubaccountPrefixMismatch {
                token: token.prefix(),
                account: account.netid(),
            });
        }
        if !token.flags().contains(required) {
            return reject(RequestError::SubaccountPermission {
                operation,
                required: required.0,
                present: token.flags().0,
            });
        }
        if account_key.verify(&token.0, &token_sig).is_err() {
            return reject(RequestError::BadSubaccountSignature);
        }
        if token.key().verify(message, &signature).is_err() {
            return reject(RequestError::BadSignature { operation });
        }
        Ok(Signer::Subaccount(token))
    }

    fn require_auth<'a>(operation: Operation, auth: &'a Option<Auth<'a>>) -> Result<&'a Auth<'a>> {
        auth.as_ref()
            .ok_or(RequestError::MissingSignature { operation })
    }

    /// Validates a `store`: TTL, clock, data size, then the signature outside
    /// public inboxes (Write; public outboxes also Delete).
    pub fn validate_store(
        &self,
        req: &StoreRequest<'_>,
    ) -> Result<StoreCommand, VerifyError<R::Error>> {
        let op = Operation::Store;
        let namespace = req.namespace.one(op)?;
        if req.timestamp < MIN_MILLIS_TIMESTAMP {
            return reject(RequestError::TimestampNotMillis {
                operation: op,
                timestamp: req.timestamp,
            });
        }
        let timestamp = Timestamp(req.timestamp);
        let expiry = match req.lifetime {
            Lifetime::Ttl(ttl) => timestamp.saturating_add_millis(ttl),
            Lifetime::Expiry(e) => e,
        };
        let ttl_ms = i128::from(expiry.0) - i128::from(timestamp.0);
        if ttl_ms < i128::from(Namespace::TTL_MIN_MS) {
            return reject(RequestError::TtlTooShort {
                operation: op,
                ttl_ms,
                min_ms: Namespace::TTL_MIN_MS,
            });
        }
        if ttl_ms > i128::from(namespace.max_ttl_ms()) {
            return reject(RequestError::TtlTooLong {
                ttl_ms,
                max_ms: namespace.max_ttl_ms(),
                namespace,
            });
        }
        if timestamp.0 > self.now.0.saturating_add(STORE_TOLERANCE_MS) {
            return reject(RequestError::TimestampInFuture {
                timestamp,
                now: self.now,
                tolerance_ms: STORE_TOLERANCE_MS,
            });
        }
        if expiry.0 < self.now.0.saturating_sub(STORE_TOLERANCE_MS) {
            return reject(RequestError::AlreadyExpired {
                expiry,
                now: self.now,
                tolerance_ms: STORE_TOLERANCE_MS,
            });
        }
        // Refuse oversized text before decoding it, so no large allocation happens for it.
        if let Binary::Base64(t) = req.data
            && t.len() > MAX_DATA_BASE64_CHARS
        {
            return reject(RequestError::Base64DataTooLong {
                len: t.len(),
                max: MAX_DATA_BASE64_CHARS,
            });
        }
        if let Binary::Raw(b) = req.data
            && b.len() > MAX_DATA_BYTES
        {
            return reject(RequestError::DataTooLarge {
                len: b.len(),
                max: MAX_DATA_BYTES,
            });
        }
        let data = req.data.decode(MAX_DATA_BYTES).map_err(|e| match e {
            session_core::Error::TooLong { got, .. } => RequestError::DataTooLarge {
                len: got,
                max: MAX_DATA_BYTES,
            },
            other => field_err(op, "data")(other),
        })?;
        let signer = match (&req.auth, namespace.is_public_inbox()) {
            (None, true) => Signer::Anonymous,
            (None, false) => {
                return reject(RequestError::SignatureRequired {
                    operation: op,
                    namespace,
                });
            }
            (Some(auth), _) => {
                let sig_ts = req.sig_timestamp.unwrap_or(req.timestamp);
                self.check_sig_time(op, sig_ts)?;
                let required = if namespace.is_public_outbox() {
                    SubaccountFlags::WRITE.union(SubaccountFlags::DELETE)
                } else {
                    SubaccountFlags::WRITE
                };
                self.authenticate(
                    op,
                    &req.account,
                    auth,
                    &payload::store(namespace, Timestamp(sig_ts)),
                    required,
                    true,
                )?
            }
        };
        Ok(StoreCommand {
            message: StoredMessage::new(req.account, namespace, timestamp, expiry, data),
            signer,
        })
    }

    /// Validates a `retrieve`. Any auth given is verified, even where optional.
    pub fn validate_retrieve(
        &self,
        req: &RetrieveRequest<'_>,
    ) -> Result<RetrieveCommand, VerifyError<R::Error>> {
        let op = Operation::Retrieve;
        let namespace = req.namespace.one(op)?;
        let after = match req.last_hash {
            None | Some("") => None,
            Some(h) => Some(
                h.parse::<MessageHash>()
                    .map_err(field_err(op, "last_hash"))?,
            ),
        };
        let signer = match &req.auth {
            None if namespace.is_noauth_retrieve() => Signer::Anonymous,
            None => {
                return reject(RequestError::SignatureRequired {
                    operation: op,
                    namespace,
                });
            }
            Some(auth) => {
                self.check_sig_time(op, req.timestamp)?;
                self.authenticate(
                    op,
                    &req.account,
                    auth,
                    &payload::retrieve(namespace, Timestamp(req.timestamp)),
                    SubaccountFlags::READ,
                    !namespace.is_unrevocable(),
                )?
            }
        };
        let max_count = usize::try_from(req.max_count).ok().filter(|&c| c > 0);
        let max_size = if req.max_size == 0 && max_count.is_none() {
            RETRIEVE_DEFAULT_MAX_SIZE
        } else {
            req.max_size
        };
        let max_bytes = match max_size {
            0 => None,
            s if s < 0 => Some(RETRIEVE_MAX_SIZE / s.unsigned_abs()),
            s => Some(s.unsigned_abs().min(RETRIEVE_MAX_SIZE)),
        };
        Ok(RetrieveCommand {
            query: RetrieveQuery {
                account: req.account,
                namespace,
                after,
                max_count,
                max_bytes,
                size_model: SizeModel::SERVER,
            },
            signer,
        })
    }

    /// Validates a `delete` by hash (subaccounts need Delete).
    pub fn validate_delete(
        &self,
        req: &DeleteRequest<'_>,
    ) -> Result<DeleteCommand, VerifyError<R::Error>> {
        let op = Operation::Delete;
        let hashes = parse_hashes(op, req.messages)?;
        let auth = Self::require_auth(op, &req.auth)?;
        let signer = self.authenticate(
            op,
            &req.account,
            auth,
            &payload::delete(&hashes),
            SubaccountFlags::DELETE,
            true,
        )?;
        Ok(DeleteCommand {
            account: req.account,
            hashes,
            signer,
        })
    }

    fn account_wide(
        &self,
        op: Operation,
        req: &AccountWideRequest<'_>,
        check_time: impl Fn(&Self, u64) -> Result<()>,
        message: impl Fn(NamespaceSelector, Timestamp) -> Vec<u8>,
    ) -> Result<AccountWideCommand, VerifyError<R::Error>> {
        let namespaces = req.namespace.resolve(op, true)?;
        check_time(self, req.time)?;
        let auth = Self::require_auth(op, &req.auth)?;
        let signer = self.authenticate(
            op,
            &req.account,
            auth,
            &message(namespaces, Timestamp(req.time)),
            SubaccountFlags::DELETE,
            true,
        )?;
        Ok(AccountWideCommand {
            account: req.account,
            namespaces,
            time: Timestamp(req.time),
            signer,
        })
    }

    /// Validates a `delete_all`: timestamp within ±60 s; subaccounts need Delete.
    pub fn validate_delete_all(
        &self,
        req: &AccountWideRequest<'_>,
    ) -> Result<AccountWideCommand, VerifyError<R::Error>> {
        let op = Operation::DeleteAll;
        self.account_wide(op, req, |v, t| v.check_sig_time(op, t), payload::delete_all)
    }

    /// Validates a `delete_before`: `before` at most 60 s ahead; subaccounts need
    /// Delete.
    pub fn validate_delete_before(
        &self,
        req: &AccountWideRequest<'_>,
    ) -> Result<AccountWideCommand, VerifyError<R::Error>> {
        let op = Operation::DeleteBefore;
        self.account_wide(
            op,
            req,
            |v, before| {
                let tolerance_ms = v.sig_tolerance();
                if before > v.now.0.saturating_add(tolerance_ms) {
                    return reject(RequestError::BeforeInFuture {
                        before: Timestamp(before),
                        now: v.now,
                        tolerance_ms,
                    });
                }
                Ok(())
            },
            payload::delete_before,
        )
    }

    /// Validates an `expire_all`: the expiry at least now − 60 s. It can only
    /// shorten, so subaccounts need Delete.
    pub fn validate_expire_all(
        &self,
        req: &AccountWideRequest<'_>,
    ) -> Result<AccountWideCommand, VerifyError<R::Error>> {
        let op = Operation::ExpireAll;
        self.account_wide(op, req, |v, e| v.check_not_past(op, e), payload::expire_all)
    }

    fn check_not_past(&self, operation: Operation, expiry: u64) -> Result<()> {
        let tolerance_ms = self.sig_tolerance();
        if expiry < self.now.0.saturating_sub(tolerance_ms) {
            return reject(RequestError::ExpiryInPast {
                operation,
                expiry: Timestamp(expiry),
                now: self.now,
                tolerance_ms,
            });
        }
        Ok(())
    }

    /// Validates an `expire`: expiries at least now − 60 s, clamped to now + 30 d;
    /// subaccounts need Write, and Delete to shorten; a write-only subaccount's plain request
    /// becomes extend-only.
    pub fn validate_expire(
        &self,
        req: &ExpireRequest<'_>,
    ) -> Result<ExpireCommand, VerifyError<R::Error>> {
        let op = Operation::Expire;
        let hashes = parse_hashes(op, req.messages)?;
        if req.shorten && req.extend {
            return reject(RequestError::ShortenAndExtend);
        }
        if req.expiries.len() != 1 && req.expiries.len() != hashes.len() {
            return reject(RequestError::ExpiryCountMismatch {
                expiries: req.expiries.len(),
                hashes: hashes.len(),
            });
        }
        for &e in req.expiries {
            self.check_not_past(op, e)?;
        }
        let mode = if req.shorten {
            ExpiryMode::ShortenOnly
        } else if req.extend {
            ExpiryMode::ExtendOnly
        } else {
            ExpiryMode::Set
        };
        let requested: Vec<Timestamp> = req.expiries.iter().map(|&e| Timestamp(e)).collect();
        let auth = Self::require_auth(op, &req.auth)?;
        let required = if req.shorten {
            SubaccountFlags::WRITE.union(SubaccountFlags::DELETE)
        } else {
            SubaccountFlags::WRITE
        };
        let signer = self.authenticate(
            op,
            &req.account,
            auth,
            &payload::expire(mode, &requested, &hashes),
            required,
            true,
        )?;
        let mode = match signer {
            Signer::Subaccount(t)
                if mode == ExpiryMode::Set && !t.flags().contains(SubaccountFlags::DELETE) =>
            {
                ExpiryMode::ExtendOnly
            }
            _ => mode,
        };
        let limit = self.now.saturating_add_millis(EXPIRE_MAX_AHEAD_MS);
        let changes = hashes
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let e = requested
                    .get(i)
                    .or(requested.first())
                    .copied()
                    .unwrap_or(limit);
                (*h, e.min(limit))
            })
            .collect();
        Ok(ExpireCommand {
            account: req.account,
            changes,
            mode,
            signer,
        })
    }

    /// Validates a `get_expiries` (subaccounts need Read).
    pub fn validate_get_expiries(
        &self,
        req: &GetExpiriesRequest<'_>,
    ) -> Result<GetExpiriesCommand, VerifyError<R::Error>> {
        let op = Operation::GetExpiries;
        let hashes = parse_hashes(op, req.messages)?;
        self.check_sig_time(op, req.timestamp)?;
        let auth = Self::require_auth(op, &req.auth)?;
        let signer = self.authenticate(
            op,
            &req.account,
            auth,
            &payload::get_expiries(Timestamp(req.timestamp), &hashes),
            SubaccountFlags::READ,
            true,
        )?;
        Ok(GetExpiriesCommand {
            account: req.account,
            hashes,
            signer,
        })
    }

    /// Validates a `revoke_subaccount` / `unrevoke_subaccount`: at most 50 tokens to revoke
    /// (unrevocations have no limit, and an empty list is accepted as the storage server
    /// accepts it), timestamp within ±60 s, signed by the account's own key (never a
    /// subaccount).
    pub fn validate_revoke(
        &self,
        req: &RevokeRequest<'_>,
    ) -> Result<RevokeCommand, VerifyError<R::Error>> {
        let op = if req.revoke {
            Operation::RevokeSubaccount
        } else {
            Operation::UnrevokeSubaccount
        };
        if req.revoke && req.tokens.len() > MAX_TOKENS_PER_REQUEST {
            return reject(RequestError::TooMany {
                operation: op,
                field: "tokens",
                count: req.tokens.len(),
                max: MAX_TOKENS_PER_REQUEST,
            });
        }
        let tokens = req
            .tokens
            .iter()
            .map(|t| {
                t.decode_array("subaccount token")
                    .map(SubaccountToken)
                    .map_err(field_err(op, "tokens"))
            })
            .collect::<Result<Vec<_>>>()?;
        self.check_sig_time(op, req.timestamp)?;
        let auth = Self::require_auth(op, &req.auth)?;
        if auth.subaccount.is_some() {
            return reject(RequestError::SubaccountNotAllowed { operation: op });
        }
        self.authenticate(
            op,
            &req.account,
            auth,
            &payload::revoke(req.revoke, Timestamp(req.timestamp), &tokens),
            SubaccountFlags::default(),
            false,
        )?;
        Ok(RevokeCommand {
            account: req.account,
            revoke: req.revoke,
            tokens,
            timestamp: Timestamp(req.timestamp),
        })
    }
}
