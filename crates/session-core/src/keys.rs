//! Public key newtypes.

use core::fmt;
use core::str::FromStr;

use crate::encoding::{decode_hex_array, write_hex};
use crate::error::Error;

macro_rules! public_key_type {
    ($(#[$meta:meta])* $name:ident, $what:literal, $serde_name:literal) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        pub struct $name([u8; 32]);

        impl $name {
            /// Wraps 32 raw bytes. No validation: keys are checked where they are used.
            #[must_use]
            pub const fn from_bytes(bytes: [u8; 32]) -> Self {
                Self(bytes)
            }

            /// The raw bytes.
            #[must_use]
            pub const fn as_bytes(&self) -> &[u8; 32] {
                &self.0
            }

            /// The raw bytes, by value.
            #[must_use]
            pub const fn to_bytes(self) -> [u8; 32] {
                self.0
            }
        }

        impl From<[u8; 32]> for $name {
            fn from(bytes: [u8; 32]) -> Self {
                Self(bytes)
            }
        }

        impl From<$name> for [u8; 32] {
            fn from(key: $name) -> Self {
                key.0
            }
        }

        impl AsRef<[u8]> for $name {
            fn as_ref(&self) -> &[u8] {
                &self.0
            }
        }

        impl FromStr for $name {
            type Err = Error;

            /// Parses 64 hex characters of either case.
            fn from_str(s: &str) -> Result<Self, Error> {
                decode_hex_array(s, $what).map(Self)
            }
        }

        impl fmt::Display for $name {
            /// Lowercase hex, 64 characters.
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write_hex(f, &self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self)
            }
        }

        #[cfg(feature = "serde")]
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                crate::serde_util::serialize_hex_or_array(&self.0, s)
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                crate::serde_util::deserialize_hex_or_array(d, $serde_name).map(Self)
            }
        }
    };
}

public_key_type!(
    /// An Ed25519 public key (32 bytes): service-node identities, group accounts, signatures.
    Ed25519PublicKey,
    "ed25519 public key (hex characters)",
    "Ed25519 public key"
);

public_key_type!(
    /// An X25519 public key (32 bytes): Session accounts, onion-request hops.
    X25519PublicKey,
    "x25519 public key (hex characters)",
    "X25519 public key"
);
