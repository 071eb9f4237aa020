//! What one request answers before it is written to the wire: a status and a JSON, text or
//! binary body, and the storage server's status codes and texts for the policy's rejections.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use session_storage::{Operation, RequestError as Error, VerifyError};

use crate::value::Value;

/// A body before encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Body {
    Json(Value),
    Text(String),
    Bytes(Vec<u8>),
}

/// A status and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) body: Body,
}

impl Reply {
    pub(crate) fn ok(v: Value) -> Self {
        Reply {
            status: 200,
            body: Body::Json(v),
        }
    }
    pub(crate) fn json(status: u16, v: Value) -> Self {
        Reply {
            status,
            body: Body::Json(v),
        }
    }
    pub(crate) fn text(status: u16, t: impl Into<String>) -> Self {
        Reply {
            status,
            body: Body::Text(t.into()),
        }
    }

    /// `{"code": status, "body": ...}`, as `batch`, `sequence` and `ifelse` nest results.
    pub(crate) fn nested(&self) -> Value {
        let body = match &self.body {
            Body::Json(v) => v.clone(),
            Body::Text(t) => Value::Str(t.clone()),
            Body::Bytes(b) => Value::Str(String::from_utf8_lossy(b).into_owned()),
        };
        Value::dict()
            .with("code", u64::from(self.status))
            .with("body", body)
    }
}

fn op_name(op: Operation) -> &'static str {
    match op {
        Operation::Store => "store",
        Operation::Retrieve => "retrieve",
        Operation::Delete => "delete_msgs",
        Operation::DeleteAll => "delete_all",
        Operation::DeleteBefore => "delete_before",
        Operation::Expire => "expire:",
        Operation::ExpireAll => "expire_all",
        Operation::GetExpiries => "get_expiries",
        Operation::RevokeSubaccount => "revoke_subaccount",
        Operation::UnrevokeSubaccount => "unrevoke_subaccount",
        Operation::RevokedSubaccounts => "revoked_subaccounts",
        _ => "request",
    }
}

/// The storage server's answer to a rejected request, for `op`; a failure of the revocation
/// lookup is the server's 500.
pub(crate) fn rejection<E>(op: Operation, e: &VerifyError<E>) -> Reply {
    match e {
        VerifyError::Rejected(r) => request_rejection(op, r),
        _ => Reply::text(500, "request failed"),
    }
}

fn request_rejection(op: Operation, e: &Error) -> Reply {
    match e {
        Error::TtlTooShort { .. } | Error::TtlTooLong { .. } => {
            Reply::text(403, "Provided expiry/TTL is not valid.")
        }
        Error::TimestampInFuture { .. } | Error::AlreadyExpired { .. } => {
            Reply::text(406, "Timestamp error: check your clock")
        }
        Error::SignatureRequired { namespace, .. } if op == Operation::Store => Reply::text(
            401,
            format!(
                "store: signature required to store to namespace {}",
                namespace.0
            ),
        ),
        Error::SignatureRequired { .. } | Error::MissingSignature { .. } => {
            Reply::text(401, "retrieve: request signature required")
        }
        Error::StaleTimestamp { .. } => Reply::text(
            406,
            match op {
                Operation::Store => "store signature timestamp too far from current time",
                Operation::Retrieve => "retrieve timestamp too far from current time",
                Operation::DeleteAll => "delete_all timestamp too far from current time",
                Operation::GetExpiries => "get_expiries timestamp too far from current time",
                Operation::RevokeSubaccount => {
                    "revoke_subaccount timestamp too far from current time"
                }
                Operation::RevokedSubaccounts => {
                    "revoked_subaccounts timestamp too far from current time"
                }
                _ => "unrevoke_subaccount timestamp too far from current time",
            },
        ),
        Error::BeforeInFuture { .. } => {
            Reply::text(401, "delete_before timestamp too far in the future")
        }
        Error::ExpiryInPast { .. } if op == Operation::ExpireAll => {
            Reply::text(406, "expire_all timestamp should be >= current time")
        }
        Error::ExpiryInPast { .. } => {
            Reply::text(401, "expire: timestamp should be >= current time")
        }
        // A write-only subaccount may extend but not shorten: the reference checks the
        // signature with Write and then refuses the shorten flag.
        Error::SubaccountPermission {
            operation: Operation::Expire,
            required,
            present,
        } if required & 0x04 != 0 && present & 0x02 != 0 => Reply::text(
            400,
            "expire: shorten parameter cannot be used with this subaccount token (missing delete access)",
        ),
        Error::TimestampNotMillis { .. } => Reply::text(
            400,
            "invalid request: Invalid timestamp for 'timestamp': timestamp must be in milliseconds",
        ),
        Error::DataTooLarge { .. } => Reply::text(
            400,
            "invalid request: Message body exceeds maximum allowed length of 76800 bytes",
        ),
        _ => {
            let name = op_name(op);
            Reply::text(401, format!("{name} signature verification failed"))
        }
    }
}
