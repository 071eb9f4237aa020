//! The static key of a node (or of a server behind the last hop).

use rand_core::CryptoRng;
use session_core::{Identity, SharedSecret, X25519PublicKey, X25519Secret};

use crate::CryptoError;

/// A node's (or server's) static X25519 key pair: the secret, and its public key computed
/// once, so that no layer it opens pays for a base-point multiplication.
///
/// Create one from an RNG ([`NodeKey::generate`]), from the node's [`Identity`] (whose X25519
/// key the network derives from its Ed25519 key), or from an existing [`X25519Secret`].
///
/// ```
/// use session_core::Identity;
/// use session_onion::NodeKey;
/// use session_onion::rand_core::SeedableRng;
///
/// // Seeded for a repeatable example (tests only); real code passes the system RNG.
/// let mut rng = chacha20::ChaCha20Rng::seed_from_u64(1);
/// let identity = Identity::generate(&mut rng);
/// let key = NodeKey::from(&identity);
/// assert_eq!(key.public(), identity.x25519_public());
/// let fresh = NodeKey::generate(&mut rng);
/// assert_ne!(fresh.public(), key.public());
/// ```
#[derive(Clone)]
pub struct NodeKey {
    secret: X25519Secret,
    public: X25519PublicKey,
}

impl core::fmt::Debug for NodeKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("NodeKey")
            .field("public", &self.public)
            .finish_non_exhaustive()
    }
}

impl NodeKey {
    /// A new key drawn from a cryptographically secure RNG.
    #[must_use]
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        Self::from_secret(X25519Secret::generate(rng))
    }

    /// Wraps a static X25519 secret, computing its public key once.
    #[must_use]
    pub fn from_secret(secret: X25519Secret) -> Self {
        let public = secret.public_key();
        NodeKey { secret, public }
    }

    /// The public key (what clients encrypt this node's layers to).
    #[must_use]
    pub fn public(&self) -> X25519PublicKey {
        self.public
    }

    /// The secret key.
    #[must_use]
    pub fn secret(&self) -> &X25519Secret {
        &self.secret
    }

    /// X25519 with `remote`, refusing small-order keys.
    pub(crate) fn agree(&self, remote: &X25519PublicKey) -> Result<SharedSecret, CryptoError> {
        self.secret
            .diffie_hellman(remote)
            .map_err(CryptoError::from)
    }
}

impl From<X25519Secret> for NodeKey {
    fn from(secret: X25519Secret) -> Self {
        Self::from_secret(secret)
    }
}

/// A node's onion key is the X25519 key of its identity; the identity already holds the
/// public half, so nothing is recomputed.
impl From<&Identity> for NodeKey {
    fn from(identity: &Identity) -> Self {
        NodeKey {
            secret: identity.x25519_secret().clone(),
            public: identity.x25519_public(),
        }
    }
}
