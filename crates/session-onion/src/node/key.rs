//! Opening layers with the node's static key.

use super::forward::ForwardMessage;
use super::open::{OpenedRequest, check_size, open_layer, open_outer};
use crate::framing::OpenOptions;
use crate::{MAX_HOPS, NodeError, NodeKey};

impl NodeKey {
    /// Opens an onion request as it arrives at a guard (or at a server behind the last hop):
    /// `u32_le(N) ‖ ciphertext ‖ {"ephemeral_key", "enc_type"?, "hop_no"?}`.
    pub fn open_request(
        &self,
        request: &[u8],
        options: &OpenOptions,
    ) -> Result<OpenedRequest, NodeError> {
        open_outer(self, request, options)
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
        open_layer(self, fwd.data, fwd.cipher(), fwd.ephemeral_key, hop_no)
    }
}
