//! The node's static key.

use session_core::X25519PublicKey;
use zeroize::Zeroizing;

use super::forward::ForwardMessage;
use super::open::{OpenedRequest, check_size, open_layer, open_outer};
use crate::framing::OpenOptions;
use crate::hop;
use crate::{MAX_HOPS, NodeError};

/// A node's (or server's) static X25519 key with its public half cached, so that opening
/// XChaCha20 layers costs no extra base-point multiplication.
#[derive(Clone)]
pub struct NodeKey {
    secret: Zeroizing<[u8; 32]>,
    public: [u8; 32],
}

impl core::fmt::Debug for NodeKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("NodeKey")
            .field("public", &X25519PublicKey::from_bytes(self.public))
            .finish_non_exhaustive()
    }
}

impl NodeKey {
    /// Wraps a static X25519 secret (clamped on use, as libsodium).
    #[must_use]
    pub fn new(secret: [u8; 32]) -> Self {
        let public = hop::public_key(&secret);
        NodeKey {
            secret: Zeroizing::new(secret),
            public,
        }
    }

    /// The public key.
    #[must_use]
    pub fn public(&self) -> X25519PublicKey {
        X25519PublicKey::from_bytes(self.public)
    }

    /// Opens an onion request as it arrives at a guard (or at a server behind the last hop):
    /// `u32_le(N) ‖ ciphertext ‖ {"ephemeral_key", "enc_type"?, "hop_no"?}`.
    pub fn open_request(
        &self,
        request: &[u8],
        options: &OpenOptions,
    ) -> Result<OpenedRequest, NodeError> {
        open_outer(&self.secret, Some(&self.public), request, options)
    }

    /// Opens a layer forwarded by the previous node (the bencoded `sn.onion_request` message).
    pub fn open_forward(
        &self,
        message: &[u8],
        options: &OpenOptions,
    ) -> Result<OpenedRequest, NodeError> {
        check_size(message, options)?;
        let fwd = ForwardMessage::decode(message, options).map_err(NodeError::InvalidForward)?;
        // The receiver clamps values below 1 to 1 and rejects values above 15.
        let hop_no = fwd.hop_no.max(1);
        if hop_no > MAX_HOPS {
            return Err(NodeError::HopLimit(hop_no));
        }
        open_layer(
            &self.secret,
            Some(&self.public),
            fwd.data,
            fwd.cipher(),
            fwd.ephemeral_key.to_bytes(),
            hop_no,
        )
    }
}
