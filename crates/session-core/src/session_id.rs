//! Session IDs (`05…`, `03…`, blinded and unblinded forms) and the storage server's lenient
//! account-key parser.

use core::fmt;
use core::str::FromStr;

use crate::encoding::{decode_hex_array, decode_hex_into, write_hex};
use crate::error::{Error, Result};
use crate::keys::{Ed25519PublicKey, X25519PublicKey};
use crate::network::Network;

/// The one-byte prefix of a Session ID, saying what kind of key follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum IdPrefix {
    /// `05`: a standard account; the key is X25519.
    Standard,
    /// `03`: a closed group (v2); the key is the group's Ed25519 key.
    Group,
    /// `15`: a community-blinded ID, legacy blinding; Ed25519.
    Blinded15,
    /// `25`: a community-blinded ID, BLAKE2b-based blinding; Ed25519.
    Blinded25,
    /// `00`: an unblinded Ed25519 key, sent to communities that support blinding.
    Unblinded,
}

impl IdPrefix {
    /// Every prefix, in byte order.
    pub const ALL: [IdPrefix; 5] = [
        IdPrefix::Unblinded,
        IdPrefix::Group,
        IdPrefix::Standard,
        IdPrefix::Blinded15,
        IdPrefix::Blinded25,
    ];

    /// The prefix byte.
    #[must_use]
    pub const fn byte(self) -> u8 {
        match self {
            IdPrefix::Standard => 0x05,
            IdPrefix::Group => 0x03,
            IdPrefix::Blinded15 => 0x15,
            IdPrefix::Blinded25 => 0x25,
            IdPrefix::Unblinded => 0x00,
        }
    }

    /// The prefix for a byte, if it is a known one.
    pub const fn from_byte(byte: u8) -> Result<Self> {
        match byte {
            0x05 => Ok(IdPrefix::Standard),
            0x03 => Ok(IdPrefix::Group),
            0x15 => Ok(IdPrefix::Blinded15),
            0x25 => Ok(IdPrefix::Blinded25),
            0x00 => Ok(IdPrefix::Unblinded),
            other => Err(Error::UnknownPrefix(other)),
        }
    }

    /// Whether the key behind the prefix is an Ed25519 key (every prefix but `05`).
    #[must_use]
    pub const fn is_ed25519(self) -> bool {
        !matches!(self, IdPrefix::Standard)
    }
}

/// A Session ID: a known [`IdPrefix`] and a 32-byte key.
///
/// Text form: 66 hex characters, parsed in either case, displayed in lowercase.
///
/// ```
/// use session_core::{IdPrefix, SessionId};
///
/// let id: SessionId = "05FFBA630924AA1224BB930DDE21C0D11BF004608F2812217F8AC812D6C7E3AD48".parse()?;
/// assert_eq!(id.prefix(), IdPrefix::Standard);
/// assert_eq!(id.to_string(), "05ffba630924aa1224bb930dde21c0d11bf004608f2812217f8ac812d6c7e3ad48");
/// # Ok::<(), session_core::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SessionId {
    prefix: IdPrefix,
    key: [u8; 32],
}

impl SessionId {
    /// A Session ID from its parts.
    #[must_use]
    pub const fn new(prefix: IdPrefix, key: [u8; 32]) -> Self {
        Self { prefix, key }
    }

    /// The standard `05` ID of an X25519 account key.
    #[must_use]
    pub const fn standard(key: X25519PublicKey) -> Self {
        Self::new(IdPrefix::Standard, key.to_bytes())
    }

    /// The `03` ID of a closed group with this Ed25519 key.
    #[must_use]
    pub const fn group(key: Ed25519PublicKey) -> Self {
        Self::new(IdPrefix::Group, key.to_bytes())
    }

    /// The prefix.
    #[must_use]
    pub const fn prefix(&self) -> IdPrefix {
        self.prefix
    }

    /// The 32-byte key after the prefix.
    #[must_use]
    pub const fn key(&self) -> &[u8; 32] {
        &self.key
    }

    /// The 33-byte raw form (prefix byte, then key).
    #[must_use]
    pub fn to_bytes(&self) -> [u8; 33] {
        AccountId::from(*self).to_bytes()
    }

    /// Parses the 33-byte raw form.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let raw: [u8; 33] = bytes.try_into().map_err(|_| Error::InvalidLength {
            what: "session id (bytes)",
            expected: "33 bytes",
            got: bytes.len(),
        })?;
        Self::from_raw(raw)
    }

    fn from_raw(raw: [u8; 33]) -> Result<Self> {
        let [prefix, key @ ..] = raw;
        Ok(Self::new(IdPrefix::from_byte(prefix)?, key))
    }
}

impl FromStr for SessionId {
    type Err = Error;

    /// Parses 66 hex characters of either case with a known prefix.
    fn from_str(s: &str) -> Result<Self> {
        Self::from_raw(decode_hex_array::<33>(s, "session id (hex characters)")?)
    }
}

impl fmt::Display for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&AccountId::from(*self), f)
    }
}

impl fmt::Debug for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SessionId({self})")
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for SessionId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        crate::serde_util::serialize_hex_or_array(&self.to_bytes(), s)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for SessionId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        let raw = crate::serde_util::deserialize_hex_or_array::<33, D>(d, "Session ID")?;
        Self::from_raw(raw).map_err(|e| crate::serde_util::invalid("Session ID", e))
    }
}

/// An account key as the storage server accepts it: any prefix byte and a 32-byte key.
///
/// This is deliberately more lenient than [`SessionId`]: the storage server stores messages for
/// whatever prefix it is given (`ff…` included), and off mainnet it accepts a bare 64-hex key,
/// which it files under prefix `05` (its header comment says `00`; the code wins).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AccountId {
    netid: u8,
    key: [u8; 32],
}

impl AccountId {
    /// An account from its prefix byte and key.
    #[must_use]
    pub const fn new(netid: u8, key: [u8; 32]) -> Self {
        Self { netid, key }
    }

    /// Parses an account key the way the storage server does on `network`: 66 hex characters
    /// with any prefix byte, or (off mainnet only) 64 hex characters with an implied `05`.
    pub fn parse(text: &str, network: Network) -> Result<Self> {
        match text.len() {
            64 if network == Network::Mainnet => {
                // Still report a bad character first, so the error is about the real problem.
                decode_hex_array::<32>(text, "account id (hex characters)")?;
                Err(Error::MissingPrefix)
            }
            64 => Ok(Self::new(
                IdPrefix::Standard.byte(),
                decode_hex_array(text, "account id (hex characters)")?,
            )),
            _ => {
                let mut raw = [0u8; 33];
                decode_hex_into(text, &mut raw, "account id (hex characters)")?;
                let [netid, key @ ..] = raw;
                Ok(Self::new(netid, key))
            }
        }
    }

    /// The prefix byte (the storage server's "netid").
    #[must_use]
    pub const fn netid(&self) -> u8 {
        self.netid
    }

    /// The 32-byte key after the prefix.
    #[must_use]
    pub const fn key(&self) -> &[u8; 32] {
        &self.key
    }

    /// The 33-byte raw form.
    #[must_use]
    pub fn to_bytes(&self) -> [u8; 33] {
        let mut out = [0u8; 33];
        out[0] = self.netid;
        out[1..].copy_from_slice(&self.key);
        out
    }

    /// The strict [`SessionId`], if the prefix is a known one.
    pub fn to_session_id(&self) -> Result<SessionId> {
        Ok(SessionId::new(IdPrefix::from_byte(self.netid)?, self.key))
    }
}

impl From<SessionId> for AccountId {
    fn from(id: SessionId) -> Self {
        Self::new(id.prefix().byte(), *id.key())
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_hex(f, &[self.netid])?;
        write_hex(f, &self.key)
    }
}

impl fmt::Debug for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AccountId({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precise_errors() {
        assert_eq!(
            "05zz".parse::<SessionId>(),
            Err(Error::InvalidHex {
                position: 2,
                character: 'z'
            })
        );
        assert!(matches!(
            "05ab".parse::<SessionId>(),
            Err(Error::InvalidLength { got: 4, .. })
        ));
        let unknown = "ff".to_string() + &"00".repeat(32);
        assert_eq!(
            unknown.parse::<SessionId>(),
            Err(Error::UnknownPrefix(0xff))
        );
        for p in IdPrefix::ALL {
            assert_eq!(IdPrefix::from_byte(p.byte()), Ok(p));
        }
    }

    #[test]
    fn only_standard_ids_hold_x25519_keys() {
        assert!(!IdPrefix::Standard.is_ed25519());
        for p in [
            IdPrefix::Group,
            IdPrefix::Blinded15,
            IdPrefix::Blinded25,
            IdPrefix::Unblinded,
        ] {
            assert!(p.is_ed25519(), "{p:?}");
        }
    }

    #[test]
    fn debug_and_accessors() {
        let key = [0xab; 32];
        let id = SessionId::group(Ed25519PublicKey::from_bytes(key));
        assert_eq!(id.prefix(), IdPrefix::Group);
        assert_eq!(id.key(), &key);
        let hex = "03".to_string() + &"ab".repeat(32);
        assert_eq!(alloc::format!("{id:?}"), alloc::format!("SessionId({hex})"));
        let mut raw = [0xab; 33];
        raw[0] = 0x03;
        assert_eq!(id.to_bytes(), raw);
        assert_eq!(SessionId::from_bytes(&raw), Ok(id));
        let account = AccountId::from(id);
        assert_eq!(account.netid(), 0x03);
        assert_eq!(account.key(), &key);
        assert_eq!(
            alloc::format!("{account:?}"),
            alloc::format!("AccountId({hex})")
        );
        assert_eq!(account.to_string(), hex);
        let odd = AccountId::new(0xff, key);
        assert_eq!(odd.to_bytes()[0], 0xff);
        assert_eq!(odd.to_session_id(), Err(Error::UnknownPrefix(0xff)));
    }

    extern crate alloc;
    use alloc::string::ToString;
}
