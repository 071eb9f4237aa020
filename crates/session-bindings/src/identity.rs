//! Identities: a seed, its Ed25519 and X25519 keys, its Session ID, signing.

use session_mnemonic::session;
use zeroize::Zeroizing;

use crate::Error;
use crate::error::{ErrorCode, Result, with_code};
use crate::rng::os_rng;

/// A Session account's keys.
#[derive(Clone)]
pub struct Identity {
    inner: session_core::Identity,
}

impl core::fmt::Debug for Identity {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Identity")
            .field("session_id", &self.session_id())
            .finish_non_exhaustive()
    }
}

impl Identity {
    /// A new account from the operating system's RNG (a 16-byte seed, so it has a 13-word
    /// recovery phrase).
    #[must_use]
    pub fn generate() -> Self {
        Self {
            inner: session_core::Identity::generate(&mut os_rng()),
        }
    }

    /// The account a 13-word recovery phrase restores (English, or any word list the phrase
    /// is unambiguously in).
    pub fn from_phrase(phrase: &str) -> Result<Self> {
        Ok(Self {
            inner: session::identity_from_phrase(phrase)?,
        })
    }

    /// The account of a seed: 16 bytes (a Session seed, what a phrase holds), 32 bytes (an
    /// Ed25519 seed) or 64 bytes (libsodium's Ed25519 secret key: the seed, then its public
    /// key, which must match).
    pub fn from_seed(seed: &[u8]) -> Result<Self> {
        let (seed, public) = match seed.len() {
            64 => (seed.get(..32).unwrap_or_default(), seed.get(32..)),
            _ => (seed, None),
        };
        let inner = session_core::Identity::from_seed_bytes(seed)
            .map_err(with_code(ErrorCode::InvalidArgument))?;
        if public.is_some_and(|p| p != inner.ed25519_public().as_ref()) {
            return Err(Error::new(
                ErrorCode::Key,
                "the Ed25519 secret key's second half is not the public key of its seed",
            ));
        }
        Ok(Self { inner })
    }

    /// The 13-word recovery phrase (English), when the account has one: every account made
    /// from a 16-byte seed or a phrase. `None` for a 32-byte Ed25519 seed.
    #[must_use]
    pub fn phrase(&self) -> Option<Zeroizing<String>> {
        session::phrase_for_identity(&self.inner).map(|m| m.to_phrase())
    }

    /// The Session ID: `05` then the X25519 public key, 66 hex characters.
    #[must_use]
    pub fn session_id(&self) -> String {
        self.inner.session_id().to_string()
    }

    /// The Ed25519 public key.
    #[must_use]
    pub fn ed25519_public(&self) -> [u8; 32] {
        *self.inner.ed25519_public().as_bytes()
    }

    /// The X25519 public key (the key in the Session ID).
    #[must_use]
    pub fn x25519_public(&self) -> [u8; 32] {
        *self.inner.x25519_public().as_bytes()
    }

    /// An Ed25519 signature of `data` (deterministic, RFC 8032).
    #[must_use]
    pub fn sign(&self, data: &[u8]) -> [u8; 64] {
        self.inner.sign(data)
    }

    /// The library's identity, for the node side of onion requests.
    pub(crate) fn inner(&self) -> &session_core::Identity {
        &self.inner
    }
}

/// Whether `signature` is a valid Ed25519 signature of `data` by `ed25519_public` (strict
/// verification). A key or signature of the wrong length is an error, a wrong signature is
/// `false`.
pub fn verify_signature(ed25519_public: &[u8], data: &[u8], signature: &[u8]) -> Result<bool> {
    let key: [u8; 32] = ed25519_public.try_into().map_err(|_| {
        Error::new(
            ErrorCode::Key,
            format!(
                "an Ed25519 public key has 32 bytes, not {}",
                ed25519_public.len()
            ),
        )
    })?;
    let signature: [u8; 64] = signature.try_into().map_err(|_| {
        Error::new(
            ErrorCode::InvalidArgument,
            format!("a signature has 64 bytes, not {}", signature.len()),
        )
    })?;
    let key = ed25519_dalek::VerifyingKey::from_bytes(&key)
        .map_err(|_| Error::new(ErrorCode::Key, "not a valid Ed25519 public key"))?;
    let signature = ed25519_dalek::Signature::from_bytes(&signature);
    Ok(key.verify_strict(data, &signature).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PHRASE: &str =
        "puffin luxury annoyed rustled memoir faxed smidgen puddle kiwi nylon utopia zinger kiwi";

    #[test]
    fn phrase_seed_and_keys_agree() {
        let a = Identity::from_phrase(PHRASE).unwrap();
        assert_eq!(a.phrase().unwrap().as_str(), PHRASE);
        let b = Identity::generate();
        let c = Identity::from_phrase(&b.phrase().unwrap()).unwrap();
        assert_eq!(b.session_id(), c.session_id());
        assert_ne!(a.session_id(), b.session_id());
        assert_eq!(
            a.session_id(),
            format!(
                "05{}",
                session_core::encoding::encode_hex(&a.x25519_public())
            )
        );
        let sig = a.sign(b"hello");
        assert!(verify_signature(&a.ed25519_public(), b"hello", &sig).unwrap());
        assert!(!verify_signature(&a.ed25519_public(), b"hullo", &sig).unwrap());
    }

    #[test]
    fn seeds_of_every_length() {
        let a = Identity::from_seed(&[7; 16]).unwrap();
        let mut padded = [0u8; 32];
        padded[..16].copy_from_slice(&[7; 16]);
        assert_eq!(
            Identity::from_seed(&padded).unwrap().session_id(),
            a.session_id()
        );
        let mut sk = [0u8; 64];
        sk[..32].copy_from_slice(&padded);
        sk[32..].copy_from_slice(&a.ed25519_public());
        assert_eq!(
            Identity::from_seed(&sk).unwrap().session_id(),
            a.session_id()
        );
        sk[63] ^= 1;
        assert_eq!(Identity::from_seed(&sk).unwrap_err().code(), ErrorCode::Key);
        let e = Identity::from_seed(&[1; 20]).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidArgument);
        assert!(Identity::from_seed(&[9; 32]).unwrap().phrase().is_none());
    }
}
