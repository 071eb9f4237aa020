//! Small value types shared by every crate: swarm ids, namespaces, message hashes, timestamps.

use core::fmt;
use core::str::FromStr;

use alloc::string::String;

use crate::encoding::{decode_base64_32, encode_base64_32};
use crate::error::Error;

/// The id of a swarm: a point in the 64-bit swarm space.
///
/// Shown in decimal (as oxend's JSON does); the storage server's RPC shows it in hex, use
/// `{:x}` for that.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct SwarmId(pub u64);

impl SwarmId {
    /// The id of "no swarm": decommissioned and not-yet-assigned nodes (oxend's
    /// `UNASSIGNED_SWARM_ID`).
    pub const UNASSIGNED: SwarmId = SwarmId(u64::MAX);

    /// Whether this is [`SwarmId::UNASSIGNED`].
    #[must_use]
    pub const fn is_unassigned(self) -> bool {
        self.0 == u64::MAX
    }
}

impl fmt::Display for SwarmId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::LowerHex for SwarmId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::LowerHex::fmt(&self.0, f)
    }
}

/// Milliseconds in a day.
const DAY_MS: u64 = 24 * 60 * 60 * 1000;

/// A message namespace of a swarm account.
///
/// The rules are arithmetic on the value, with C++'s truncating `%` (Rust's `%` truncates the
/// same way, so the results agree for negative values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct Namespace(pub i16);

impl Namespace {
    /// 0: one-to-one Session messages (a public inbox).
    pub const DEFAULT: Namespace = Namespace(0);
    /// 2: the user-profile config.
    pub const USER_PROFILE: Namespace = Namespace(2);
    /// 3: the contacts config.
    pub const CONTACTS: Namespace = Namespace(3);
    /// 4: the volatile conversation-info config.
    pub const CONVO_INFO_VOLATILE: Namespace = Namespace(4);
    /// 5: the user-groups config.
    pub const USER_GROUPS: Namespace = Namespace(5);
    /// 11: messages of a (v2) group.
    pub const GROUP_MESSAGES: Namespace = Namespace(11);
    /// 12: a group's keys.
    pub const GROUP_KEYS: Namespace = Namespace(12);
    /// 13: a group's info.
    pub const GROUP_INFO: Namespace = Namespace(13);
    /// 14: a group's members.
    pub const GROUP_MEMBERS: Namespace = Namespace(14);
    /// −10: deprecated legacy closed groups; store and retrieve need no auth.
    pub const LEGACY_CLOSED: Namespace = Namespace(-10);
    /// −11: revoked-but-retrievable group messages (an unrevocable namespace).
    pub const REVOKED_RETRIEVABLE: Namespace = Namespace(-11);

    /// Shortest accepted TTL, milliseconds.
    pub const TTL_MIN_MS: u64 = 10_000;
    /// Longest TTL in a public inbox: 14 days, milliseconds.
    pub const TTL_MAX_PUBLIC_MS: u64 = 14 * DAY_MS;
    /// Longest TTL elsewhere: 30 days, milliseconds.
    pub const TTL_MAX_PRIVATE_MS: u64 = 30 * DAY_MS;

    /// Public inbox (`n % 10 == 0`): anyone may store without a signature.
    #[must_use]
    pub const fn is_public_inbox(self) -> bool {
        self.0 % 10 == 0
    }

    /// Alias of [`Namespace::is_public_inbox`]: storing needs no signature.
    #[must_use]
    pub const fn allows_public_store(self) -> bool {
        self.is_public_inbox()
    }

    /// Public outbox (`n < 0 && -n % 20 == 1`): holds at most one message, readable by anyone.
    #[must_use]
    pub const fn is_public_outbox(self) -> bool {
        self.0 < 0 && (-(self.0 as i32)) % 20 == 1
    }

    /// Alias of [`Namespace::is_public_outbox`]: a store replaces every other message.
    #[must_use]
    pub const fn is_single_message(self) -> bool {
        self.is_public_outbox()
    }

    /// Unrevocable (`n < 0 && -n % 100 == 11`): a revoked subaccount can still retrieve.
    #[must_use]
    pub const fn is_unrevocable(self) -> bool {
        self.0 < 0 && (-(self.0 as i32)) % 100 == 11
    }

    /// Alias of [`Namespace::is_unrevocable`].
    #[must_use]
    pub const fn readable_after_revocation(self) -> bool {
        self.is_unrevocable()
    }

    /// Retrieving needs no signature: the public outboxes and −10.
    #[must_use]
    pub const fn is_noauth_retrieve(self) -> bool {
        self.is_public_outbox() || self.0 == -10
    }

    /// The longest TTL a store may ask for, in milliseconds.
    #[must_use]
    pub const fn max_ttl_ms(self) -> u64 {
        if self.is_public_inbox() {
            Self::TTL_MAX_PUBLIC_MS
        } else {
            Self::TTL_MAX_PRIVATE_MS
        }
    }

    /// The namespace as it appears in signed request strings: "" for 0, else decimal.
    #[must_use]
    pub fn sig_str(self) -> String {
        use core::fmt::Write as _;
        let mut s = String::new();
        if self.0 != 0 {
            let _ = write!(s, "{}", self.0);
        }
        s
    }
}

impl fmt::Display for Namespace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// A stored message's hash: 32 bytes, shown as 43 characters of unpadded standard base64.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MessageHash(pub [u8; 32]);

impl MessageHash {
    /// The current (v4, since HF 19.3) hash of a stored message, exactly as the storage server
    /// computes it: unkeyed BLAKE2b-256 over the 33-byte account (prefix byte, key), the
    /// namespace's [`Namespace::sig_str`] ("" for 0) and the raw data. Timestamps are not
    /// hashed, which is what makes re-stores of the same payload de-duplicate.
    #[must_use]
    pub fn compute(account: &crate::AccountId, namespace: Namespace, data: &[u8]) -> Self {
        use blake2::Digest as _;
        let mut h = blake2::Blake2b::<blake2::digest::consts::U32>::new();
        h.update(account.to_bytes());
        h.update(namespace.sig_str().as_bytes());
        h.update(data);
        Self(h.finalize().into())
    }

    /// The raw bytes.
    #[must_use]
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Display for MessageHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&encode_base64_32(&self.0))
    }
}

impl fmt::Debug for MessageHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MessageHash({self})")
    }
}

impl FromStr for MessageHash {
    type Err = Error;

    /// Parses 43 characters of unpadded standard base64.
    fn from_str(s: &str) -> Result<Self, Error> {
        decode_base64_32(s, "message hash").map(Self)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for MessageHash {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.serialize_str(&encode_base64_32(&self.0))
        } else {
            crate::serde_util::serialize_array(&self.0, s)
        }
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for MessageHash {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if d.is_human_readable() {
            d.deserialize_str(crate::serde_util::ParseVisitor {
                what: "message hash",
                parse: |s: &str| s.parse(),
            })
        } else {
            crate::serde_util::deserialize_array(d).map(Self)
        }
    }
}

/// A point in time: milliseconds since the Unix epoch. Callers supply it (the library never
/// reads a clock).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct Timestamp(pub u64);

impl Timestamp {
    /// The Unix epoch.
    pub const EPOCH: Timestamp = Timestamp(0);

    /// From milliseconds since the epoch.
    #[must_use]
    pub const fn from_millis(ms: u64) -> Self {
        Self(ms)
    }

    /// From whole seconds since the epoch (saturating).
    #[must_use]
    pub const fn from_secs(secs: u64) -> Self {
        Self(secs.saturating_mul(1000))
    }

    /// Milliseconds since the epoch.
    #[must_use]
    pub const fn as_millis(self) -> u64 {
        self.0
    }

    /// Whole seconds since the epoch.
    #[must_use]
    pub const fn as_secs(self) -> u64 {
        self.0 / 1000
    }

    /// `self + ms`, saturating at the end of time.
    #[must_use]
    pub const fn saturating_add_millis(self, ms: u64) -> Self {
        Self(self.0.saturating_add(ms))
    }

    /// `self - ms`, saturating at the epoch.
    #[must_use]
    pub const fn saturating_sub_millis(self, ms: u64) -> Self {
        Self(self.0.saturating_sub(ms))
    }

    /// Milliseconds from `earlier` to `self`, or 0 if `earlier` is later.
    #[must_use]
    pub const fn saturating_sub(self, earlier: Timestamp) -> u64 {
        self.0.saturating_sub(earlier.0)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}ms", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate alloc;

    #[test]
    fn namespace_rules() {
        let inbox = [0, 10, -10, 40, -30, 32760];
        for n in inbox {
            assert!(Namespace(n).is_public_inbox(), "{n}");
        }
        for n in [1, 2, -1, -11, 11, 5] {
            assert!(!Namespace(n).is_public_inbox(), "{n}");
        }
        for n in [-1, -21, -41, -32761] {
            assert!(Namespace(n).is_public_outbox(), "{n}");
            assert!(Namespace(n).is_noauth_retrieve(), "{n}");
        }
        for n in [1, 21, -11, -20, -2] {
            assert!(!Namespace(n).is_public_outbox(), "{n}");
        }
        for n in [-11, -111, -211] {
            assert!(Namespace(n).is_unrevocable(), "{n}");
        }
        for n in [11, -1, -12, -110] {
            assert!(!Namespace(n).is_unrevocable(), "{n}");
        }
        assert!(Namespace::LEGACY_CLOSED.is_noauth_retrieve());
        assert_eq!(Namespace::REVOKED_RETRIEVABLE, Namespace(-11));
        assert!(Namespace::REVOKED_RETRIEVABLE.is_unrevocable());
        assert!(!Namespace::DEFAULT.is_noauth_retrieve());
        assert!(!Namespace(-20).is_noauth_retrieve());
        // i16::MIN must not overflow when negated.
        assert!(!Namespace(i16::MIN).is_public_outbox());
        assert!(Namespace(i16::MIN).is_public_inbox() == (i16::MIN % 10 == 0));
        assert_eq!(Namespace::DEFAULT.max_ttl_ms(), 1_209_600_000);
        assert_eq!(Namespace::GROUP_MESSAGES.max_ttl_ms(), 2_592_000_000);
        assert_eq!(Namespace::DEFAULT.sig_str(), "");
        assert_eq!(Namespace(-10).sig_str(), "-10");
        assert_eq!(Namespace(3).sig_str(), "3");
    }

    #[test]
    fn swarm_id_forms() {
        use alloc::format;
        assert!(SwarmId::UNASSIGNED.is_unassigned());
        assert_eq!(format!("{}", SwarmId(255)), "255");
        assert_eq!(format!("{:x}", SwarmId(255)), "ff");
        assert_eq!(format!("{}", SwarmId::UNASSIGNED), "18446744073709551615");
    }

    #[test]
    fn namespace_aliases_follow_the_rules() {
        for n in [0i16, 10, -1, -11, -21, 3, -10, -111, 11] {
            let ns = Namespace(n);
            assert_eq!(ns.allows_public_store(), ns.is_public_inbox(), "{n}");
            assert_eq!(ns.is_single_message(), ns.is_public_outbox(), "{n}");
            assert_eq!(ns.readable_after_revocation(), ns.is_unrevocable(), "{n}");
        }
        assert!(Namespace(0).allows_public_store());
        assert!(!Namespace(3).allows_public_store());
        assert!(Namespace(-1).is_single_message());
        assert!(!Namespace(-2).is_single_message());
        assert!(Namespace(-11).readable_after_revocation());
        assert!(!Namespace(-12).readable_after_revocation());
        assert_eq!(alloc::format!("{}", Namespace(-11)), "-11");
    }

    #[test]
    fn timestamps_saturate() {
        let t = Timestamp::from_secs(1_700_000_000);
        assert_eq!(t.as_millis(), 1_700_000_000_000);
        assert_eq!(Timestamp::from_millis(1_999).as_secs(), 1);
        assert_eq!(Timestamp::from_millis(5_000).as_secs(), 5);
        assert_eq!(Timestamp::from_secs(u64::MAX), Timestamp(u64::MAX));
        assert_eq!(t.saturating_add_millis(5), Timestamp(1_700_000_000_005));
        assert_eq!(
            Timestamp(u64::MAX - 1).saturating_add_millis(5),
            Timestamp(u64::MAX)
        );
        assert_eq!(t.saturating_sub_millis(5), Timestamp(1_699_999_999_995));
        assert_eq!(Timestamp(3).saturating_sub_millis(5), Timestamp::EPOCH);
        assert_eq!(Timestamp(10).saturating_sub(Timestamp(3)), 7);
        assert_eq!(Timestamp(3).saturating_sub(Timestamp(10)), 0);
        assert_eq!(alloc::format!("{}", Timestamp(42)), "42ms");
    }

    #[test]
    fn message_hash_forms() {
        let h = MessageHash([0xfb; 32]);
        assert_eq!(h.as_bytes(), &[0xfb; 32]);
        let text = alloc::format!("{h}");
        assert_eq!(text.len(), 43);
        assert_eq!(
            alloc::format!("{h:?}"),
            alloc::format!("MessageHash({text})")
        );
        assert!(!SwarmId(0).is_unassigned());
        assert!(!SwarmId(u64::MAX - 1).is_unassigned());
    }
}
