//! The `tx_extra` fields of staking transactions: parse into typed, unverified values.
//!
//! Layout: a sequence of `tag ‖ body`. Fixed-width integers are little-endian; vector lengths
//! and the integers oxend serializes with `field_varint` are CryptoNote varints (LEB128, at most
//! 10 bytes, no redundant trailing zero byte, no overflow of the field's type). Every count is
//! bounded by the bytes actually present before anything is allocated.
//!
//! Tags parsed: 0x00 padding, 0x01 tx public key, 0x02 nonce, 0x03 merge-mining, 0x04
//! additional public keys, 0x70–0x79 (service nodes), 0xDE (minergate). Any other tag has no
//! self-describing length, so parsing stops there: [`TxExtra::parse`] rejects it, and
//! [`TxExtra::parse_lenient`] keeps the fields before it, as oxend does. When a tag appears
//! twice, the first occurrence is the one kept (oxend looks fields up by first match).
//!
//! Every field also encodes: [`TxExtra::encode`] writes the fields a [`TxExtra`] holds, and
//! [`Field`]s, read in order with [`TxExtra::fields`], write back with [`encode_fields`] to
//! the bytes they were read from.

mod encode;
mod parse;

use alloc::vec::Vec;

use crate::ContributorAddress;
use crate::crypto::{KeyDerivation, KeyImage, PublicKey, Signature};

pub use encode::encode_fields;
pub use parse::Fields;

/// tx_extra tags.
pub mod tag {
    /// Padding: zeros to the end.
    pub const PADDING: u8 = 0x00;
    /// The transaction public key `R = r·G`.
    pub const TX_PUBKEY: u8 = 0x01;
    /// Free-form nonce (payment ids), at most 255 bytes.
    pub const NONCE: u8 = 0x02;
    /// Merge-mining tag.
    pub const MERGE_MINING: u8 = 0x03;
    /// Per-output public keys for subaddress transfers.
    pub const ADDITIONAL_PUBKEYS: u8 = 0x04;
    /// Service-node registration.
    pub const REGISTER: u8 = 0x70;
    /// Pre-HF12 deregistration.
    pub const DEREGISTER_OLD: u8 = 0x71;
    /// Block winner (miner transactions).
    pub const WINNER: u8 = 0x72;
    /// Contributor address.
    pub const CONTRIBUTOR: u8 = 0x73;
    /// Service-node public key.
    pub const SN_PUBKEY: u8 = 0x74;
    /// Revealed transaction secret key.
    pub const TX_SECRET_KEY: u8 = 0x75;
    /// Key-image proofs of a stake.
    pub const KEY_IMAGE_PROOFS: u8 = 0x76;
    /// Stake unlock request.
    pub const KEY_IMAGE_UNLOCK: u8 = 0x77;
    /// State change (deregister, decommission, recommission, IP penalty).
    pub const STATE_CHANGE: u8 = 0x78;
    /// Burned amount.
    pub const BURN: u8 = 0x79;
    /// Minergate's blob.
    pub const MINERGATE: u8 = 0xDE;
}

/// A service-node registration (tag 0x70), not yet verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registration {
    /// Public spend keys of the reserved addresses, operator first.
    pub spend_keys: Vec<PublicKey>,
    /// Public view keys, in the same order.
    pub view_keys: Vec<PublicKey>,
    /// Operator fee: portions before HF19, basis points from HF19.
    pub fee: u64,
    /// Reserved portions (before HF19) or atomic amounts (from HF19).
    pub amounts: Vec<u64>,
    /// Unix expiry time (portions) or the hard fork the registration is for (amounts, ≤ 255).
    pub hf_or_expiration: u64,
    /// CryptoNote signature by the service-node key over [`registration_hash`](crate::registration::registration_hash).
    pub signature: Signature,
}

/// The revealed transaction secret key `r` (tag 0x75). Public by design: revealing it lets
/// anyone decode the stake.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TxSecretKey(pub [u8; 32]);

impl TxSecretKey {
    /// `crypto::generate_key_derivation`: `D = 8·r·A` with a contributor's view key `A`, which
    /// lets anyone decode the stake. `None` if `view_key` is not a point.
    ///
    /// `r` is reduced modulo ℓ; the cofactor makes that agree with the reference's raw
    /// multiplication for any 255-bit value.
    #[must_use]
    pub fn key_derivation(&self, view_key: &PublicKey) -> Option<KeyDerivation> {
        let r = curve25519_dalek::Scalar::from_bytes_mod_order(self.0);
        crate::crypto::generate_key_derivation(view_key, &r)
    }
}

/// One key-image proof: the key image of a staked output and its one-member ring signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyImageProof {
    /// The key image.
    pub key_image: KeyImage,
    /// Signature proving it belongs to a staked output.
    pub signature: Signature,
}

/// The key-image proofs of a stake (tag 0x76).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct KeyImageProofs(pub Vec<KeyImageProof>);

/// A request to unlock a stake (tag 0x77).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyImageUnlock {
    /// The key image of the contribution to unlock.
    pub key_image: KeyImage,
    /// Signature by the contribution's one-time key over the unlock value.
    pub signature: Signature,
    /// The value the signed message is built from.
    pub nonce: u32,
}

/// The state a quorum moves a service node to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NewState {
    /// Removed, stake frozen for 30 days.
    Deregister,
    /// Temporarily inactive.
    Decommission,
    /// Active again.
    Recommission,
    /// Sent to the back of the reward queue for changing IP.
    IpChangePenalty,
}

impl NewState {
    /// The state for its number (0–3).
    #[must_use]
    pub const fn from_u16(v: u16) -> Option<Self> {
        match v {
            0 => Some(NewState::Deregister),
            1 => Some(NewState::Decommission),
            2 => Some(NewState::Recommission),
            3 => Some(NewState::IpChangePenalty),
            _ => None,
        }
    }

    /// The state's number.
    #[must_use]
    pub const fn to_u16(self) -> u16 {
        match self {
            NewState::Deregister => 0,
            NewState::Decommission => 1,
            NewState::Recommission => 2,
            NewState::IpChangePenalty => 3,
        }
    }
}

/// One quorum member's vote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Vote {
    /// The voter's index among the quorum's validators.
    pub validator_index: u32,
    /// Its signature over the vote hash.
    pub signature: Signature,
}

/// A state change (tag 0x78), or a pre-HF12 deregistration (tag 0x71) read as one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateChange {
    /// 0 for the original layout, 4 when reason fields are present.
    pub version: u8,
    /// The new state.
    pub state: NewState,
    /// Height of the quorum that voted.
    pub block_height: u64,
    /// Index of the tested node among the quorum's workers.
    pub service_node_index: u32,
    /// Reasons every voter agreed on (version 4).
    pub reason_consensus_all: u16,
    /// Reasons any voter gave (version 4).
    pub reason_consensus_any: u16,
    /// The votes.
    pub votes: Vec<Vote>,
}

/// A burned amount (tag 0x79), in atomic units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Burn(pub u64);

/// The parsed fields of a transaction's extra, each as first found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct TxExtra {
    /// 0x01: the transaction public key.
    pub tx_pubkey: Option<PublicKey>,
    /// 0x02: the nonce bytes.
    pub nonce: Option<Vec<u8>>,
    /// 0x04: additional per-output public keys.
    pub additional_pubkeys: Option<Vec<PublicKey>>,
    /// 0x70: registration.
    pub registration: Option<Registration>,
    /// 0x71: pre-HF12 deregistration (state always [`NewState::Deregister`]).
    pub old_deregistration: Option<StateChange>,
    /// 0x72: block winner.
    pub winner: Option<PublicKey>,
    /// 0x73: contributor address.
    pub contributor: Option<ContributorAddress>,
    /// 0x74: service-node public key.
    pub sn_pubkey: Option<PublicKey>,
    /// 0x75: revealed transaction secret key.
    pub tx_secret_key: Option<TxSecretKey>,
    /// 0x76: key-image proofs.
    pub key_image_proofs: Option<KeyImageProofs>,
    /// 0x77: unlock request.
    pub key_image_unlock: Option<KeyImageUnlock>,
    /// 0x78: state change.
    pub state_change: Option<StateChange>,
    /// 0x79: burn.
    pub burn: Option<Burn>,
}

/// Maximum nonce length (`TX_EXTRA_NONCE_MAX_COUNT`).
pub const MAX_NONCE_LEN: usize = 255;
/// Maximum padding length including its tag (`TX_EXTRA_PADDING_MAX_COUNT`).
pub const MAX_PADDING_LEN: usize = 255;

/// One tx_extra field as it appears on the wire, in order: what [`TxExtra::fields`] yields and
/// [`encode_fields`] writes.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Field {
    /// 0x00: this many zero bytes after the tag, to the end of tx_extra (at most 254).
    Padding(usize),
    /// 0x01: the transaction public key.
    TxPubkey(PublicKey),
    /// 0x02: the nonce bytes (at most [`MAX_NONCE_LEN`]).
    Nonce(Vec<u8>),
    /// 0x03: the merge-mining blob, opaque.
    MergeMining(Vec<u8>),
    /// 0x04: additional per-output public keys.
    AdditionalPubkeys(Vec<PublicKey>),
    /// 0x70: registration.
    Registration(Registration),
    /// 0x71: pre-HF12 deregistration (version 0, state [`NewState::Deregister`], no reasons).
    OldDeregistration(StateChange),
    /// 0x72: block winner.
    Winner(PublicKey),
    /// 0x73: contributor address.
    Contributor(ContributorAddress),
    /// 0x74: service-node public key.
    ServiceNodePubkey(PublicKey),
    /// 0x75: revealed transaction secret key.
    TxSecretKey(TxSecretKey),
    /// 0x76: key-image proofs.
    KeyImageProofs(KeyImageProofs),
    /// 0x77: unlock request.
    KeyImageUnlock(KeyImageUnlock),
    /// 0x78: state change (version 0 or 4).
    StateChange(StateChange),
    /// 0x79: burn.
    Burn(Burn),
    /// 0xDE: minergate's blob, opaque.
    Minergate(Vec<u8>),
}

impl Field {
    /// The field's tag byte.
    #[must_use]
    pub const fn tag(&self) -> u8 {
        match self {
            Field::Padding(_) => tag::PADDING,
            Field::TxPubkey(_) => tag::TX_PUBKEY,
            Field::Nonce(_) => tag::NONCE,
            Field::MergeMining(_) => tag::MERGE_MINING,
            Field::AdditionalPubkeys(_) => tag::ADDITIONAL_PUBKEYS,
            Field::Registration(_) => tag::REGISTER,
            Field::OldDeregistration(_) => tag::DEREGISTER_OLD,
            Field::Winner(_) => tag::WINNER,
            Field::Contributor(_) => tag::CONTRIBUTOR,
            Field::ServiceNodePubkey(_) => tag::SN_PUBKEY,
            Field::TxSecretKey(_) => tag::TX_SECRET_KEY,
            Field::KeyImageProofs(_) => tag::KEY_IMAGE_PROOFS,
            Field::KeyImageUnlock(_) => tag::KEY_IMAGE_UNLOCK,
            Field::StateChange(_) => tag::STATE_CHANGE,
            Field::Burn(_) => tag::BURN,
            Field::Minergate(_) => tag::MINERGATE,
        }
    }
}
