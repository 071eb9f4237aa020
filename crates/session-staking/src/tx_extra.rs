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

use alloc::vec::Vec;

use session_core::Reader;

use crate::ContributorAddress;
use crate::crypto::{KeyImage, PublicKey, Signature};
use crate::error::{FormatError, Result};

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
    /// CryptoNote signature by the service-node key over [`registration_hash`](crate::registration_hash).
    pub signature: Signature,
}

/// The revealed transaction secret key `r` (tag 0x75). Public by design: revealing it lets
/// anyone decode the stake.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TxSecretKey(pub [u8; 32]);

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

/// Reads one field's parts, naming them in errors.
struct FieldReader<'r, 'a> {
    r: &'r mut Reader<'a>,
    tag: u8,
}

impl<'a> FieldReader<'_, 'a> {
    fn truncated(&self, field: &'static str, needed: usize) -> FormatError {
        FormatError::Truncated {
            tag: self.tag,
            field,
            offset: self.r.offset(),
            needed,
            available: self.r.remaining(),
        }
    }

    fn bytes<const N: usize>(&mut self, field: &'static str) -> Result<[u8; N], FormatError> {
        let err = self.truncated(field, N);
        self.r.take_array::<N>().map_err(|_| err)
    }

    fn slice(&mut self, field: &'static str, n: usize) -> Result<&'a [u8], FormatError> {
        let err = self.truncated(field, n);
        self.r.take(n).map_err(|_| err)
    }

    fn key(&mut self, field: &'static str) -> Result<PublicKey, FormatError> {
        self.bytes(field).map(PublicKey)
    }

    fn signature(&mut self, field: &'static str) -> Result<Signature, FormatError> {
        self.bytes::<64>(field).map(|b| Signature::from_bytes(&b))
    }

    fn u32_le(&mut self, field: &'static str) -> Result<u32, FormatError> {
        self.bytes(field).map(u32::from_le_bytes)
    }

    fn u64_le(&mut self, field: &'static str) -> Result<u64, FormatError> {
        self.bytes(field).map(u64::from_le_bytes)
    }

    /// A CryptoNote varint no larger than `max` ([`Reader::take_varint`]: at most 10 bytes, no
    /// overflow, no redundant final zero byte).
    fn varint(&mut self, field: &'static str, max: u64) -> Result<u64, FormatError> {
        let offset = self.r.offset();
        let value = self.r.take_varint().map_err(|e| match e {
            session_core::Error::Truncated { .. } => self.truncated(field, 1),
            _ => FormatError::BadVarint {
                tag: self.tag,
                field,
                offset,
            },
        })?;
        if value > max {
            return Err(FormatError::ValueOutOfRange {
                tag: self.tag,
                field,
                offset,
                value,
                max,
            });
        }
        Ok(value)
    }

    /// A vector length, bounded by the bytes left at `min_element` bytes per element.
    fn count(&mut self, field: &'static str, min_element: usize) -> Result<usize, FormatError> {
        let max = self.r.remaining().saturating_sub(1) / min_element.max(1);
        let n = self.varint(field, u64::try_from(max).unwrap_or(u64::MAX))?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    fn keys(&mut self, field: &'static str) -> Result<Vec<PublicKey>, FormatError> {
        let n = self.count(field, 32)?;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(self.key(field)?);
        }
        Ok(out)
    }

    fn string(&mut self, field: &'static str, max: usize) -> Result<&'a [u8], FormatError> {
        let offset = self.r.offset();
        let bound = self.r.remaining().min(max);
        let n = self.varint(field, u64::try_from(max).unwrap_or(u64::MAX))?;
        let n = usize::try_from(n).unwrap_or(usize::MAX);
        if n > bound {
            return Err(FormatError::Truncated {
                tag: self.tag,
                field,
                offset,
                needed: n,
                available: self.r.remaining(),
            });
        }
        self.slice(field, n)
    }
}

fn parse_registration(f: &mut FieldReader<'_, '_>) -> Result<Registration, FormatError> {
    let spend_keys = f.keys("spend keys")?;
    let view_keys = f.keys("view keys")?;
    let fee = f.u64_le("fee")?;
    let n = f.count("amounts", 1)?;
    let mut amounts = Vec::with_capacity(n);
    for _ in 0..n {
        amounts.push(f.varint("amount", u64::MAX)?);
    }
    let hf_or_expiration = f.u64_le("hf_or_expiration")?;
    let signature = f.signature("signature")?;
    Ok(Registration {
        spend_keys,
        view_keys,
        fee,
        amounts,
        hf_or_expiration,
        signature,
    })
}

fn parse_votes(f: &mut FieldReader<'_, '_>) -> Result<Vec<Vote>, FormatError> {
    let n = f.count("votes", 65)?;
    let mut votes = Vec::with_capacity(n);
    for _ in 0..n {
        let validator_index =
            u32::try_from(f.varint("validator index", u64::from(u32::MAX))?).unwrap_or(u32::MAX);
        let signature = f.signature("vote signature")?;
        votes.push(Vote {
            validator_index,
            signature,
        });
    }
    Ok(votes)
}

fn parse_state_change(f: &mut FieldReader<'_, '_>) -> Result<StateChange, FormatError> {
    // The first varint is a version when ≥ 4 and otherwise the state itself (version 0).
    let offset = f.r.offset();
    let first = f.varint("version", 4)?;
    let (version, state_num) = if first == 4 {
        (4u8, f.varint("state", 3)?)
    } else {
        (0u8, first)
    };
    let state = u16::try_from(state_num)
        .ok()
        .and_then(NewState::from_u16)
        .ok_or(FormatError::ValueOutOfRange {
            tag: f.tag,
            field: "state",
            offset,
            value: state_num,
            max: 3,
        })?;
    let block_height = f.varint("block height", u64::MAX)?;
    let service_node_index =
        u32::try_from(f.varint("service node index", u64::from(u32::MAX))?).unwrap_or(u32::MAX);
    let votes = parse_votes(f)?;
    let (reason_consensus_all, reason_consensus_any) = if version >= 4 {
        let all = f.varint("reason_consensus_all", u64::from(u16::MAX))?;
        let any = f.varint("reason_consensus_any", u64::from(u16::MAX))?;
        (
            u16::try_from(all).unwrap_or(u16::MAX),
            u16::try_from(any).unwrap_or(u16::MAX),
        )
    } else {
        (0, 0)
    };
    Ok(StateChange {
        version,
        state,
        block_height,
        service_node_index,
        reason_consensus_all,
        reason_consensus_any,
        votes,
    })
}

fn parse_old_deregistration(f: &mut FieldReader<'_, '_>) -> Result<StateChange, FormatError> {
    let block_height = f.u64_le("block height")?;
    let service_node_index = f.u32_le("service node index")?;
    // Votes are blob-packed: signature then a u32 index, 68 bytes each.
    let n = f.count("votes", 68)?;
    let mut votes = Vec::with_capacity(n);
    for _ in 0..n {
        let signature = f.signature("vote signature")?;
        let validator_index = f.u32_le("validator index")?;
        votes.push(Vote {
            validator_index,
            signature,
        });
    }
    Ok(StateChange {
        version: 0,
        state: NewState::Deregister,
        block_height,
        service_node_index,
        reason_consensus_all: 0,
        reason_consensus_any: 0,
        votes,
    })
}

fn set_first<T>(slot: &mut Option<T>, value: T) {
    if slot.is_none() {
        *slot = Some(value);
    }
}

impl TxExtra {
    /// Parses every field; any malformed field or unknown tag is an error.
    ///
    /// ```
    /// use session_staking::tx_extra::TxExtra;
    /// let mut extra = vec![0x01];
    /// extra.extend_from_slice(&[0x11; 32]);
    /// extra.push(0x79);
    /// extra.extend_from_slice(&5u64.to_le_bytes());
    /// let parsed = TxExtra::parse(&extra)?;
    /// assert_eq!(parsed.burn.map(|b| b.0), Some(5));
    /// # Ok::<(), session_staking::Error>(())
    /// ```
    pub fn parse(bytes: &[u8]) -> Result<TxExtra, FormatError> {
        match Self::parse_lenient(bytes) {
            (extra, None) => Ok(extra),
            (_, Some(err)) => Err(err),
        }
    }

    /// Parses up to the first bad field and keeps what came before it, as oxend does; the
    /// error, if any, says where parsing stopped.
    #[must_use]
    pub fn parse_lenient(bytes: &[u8]) -> (TxExtra, Option<FormatError>) {
        let mut extra = TxExtra::default();
        let mut r = Reader::new(bytes);
        while r.remaining() > 0 {
            if let Err(e) = extra.parse_field(&mut r) {
                return (extra, Some(e));
            }
        }
        (extra, None)
    }

    fn parse_field(&mut self, r: &mut Reader<'_>) -> Result<(), FormatError> {
        let offset = r.offset();
        let tag_byte = r.take_u8().map_err(|_| FormatError::Truncated {
            tag: 0,
            field: "tag",
            offset,
            needed: 1,
            available: 0,
        })?;
        let mut f = FieldReader { r, tag: tag_byte };
        match tag_byte {
            tag::PADDING => {
                let rest = f.r.take_rest();
                if rest.len() >= MAX_PADDING_LEN || rest.iter().any(|&b| b != 0) {
                    return Err(FormatError::BadPadding { offset });
                }
            }
            tag::TX_PUBKEY => set_first(&mut self.tx_pubkey, f.key("tx public key")?),
            tag::NONCE => {
                let n = f.string("nonce", MAX_NONCE_LEN)?;
                set_first(&mut self.nonce, n.to_vec());
            }
            tag::MERGE_MINING | tag::MINERGATE => {
                // An opaque varint-length string; its content is irrelevant to staking.
                f.string("blob", usize::MAX)?;
            }
            tag::ADDITIONAL_PUBKEYS => {
                let keys = f.keys("additional public keys")?;
                set_first(&mut self.additional_pubkeys, keys);
            }
            tag::REGISTER => set_first(&mut self.registration, parse_registration(&mut f)?),
            tag::DEREGISTER_OLD => {
                set_first(
                    &mut self.old_deregistration,
                    parse_old_deregistration(&mut f)?,
                );
            }
            tag::WINNER => set_first(&mut self.winner, f.key("winner")?),
            tag::CONTRIBUTOR => {
                let spend = f.bytes("contributor spend key")?;
                let view = f.bytes("contributor view key")?;
                set_first(&mut self.contributor, ContributorAddress { spend, view });
            }
            tag::SN_PUBKEY => set_first(&mut self.sn_pubkey, f.key("service node key")?),
            tag::TX_SECRET_KEY => {
                set_first(
                    &mut self.tx_secret_key,
                    TxSecretKey(f.bytes("tx secret key")?),
                );
            }
            tag::KEY_IMAGE_PROOFS => {
                let n = f.count("key image proofs", 96)?;
                let mut proofs = Vec::with_capacity(n);
                for _ in 0..n {
                    let key_image = KeyImage(f.bytes("key image")?);
                    let signature = f.signature("key image signature")?;
                    proofs.push(KeyImageProof {
                        key_image,
                        signature,
                    });
                }
                set_first(&mut self.key_image_proofs, KeyImageProofs(proofs));
            }
            tag::KEY_IMAGE_UNLOCK => {
                let key_image = KeyImage(f.bytes("key image")?);
                let signature = f.signature("unlock signature")?;
                let nonce = f.u32_le("nonce")?;
                set_first(
                    &mut self.key_image_unlock,
                    KeyImageUnlock {
                        key_image,
                        signature,
                        nonce,
                    },
                );
            }
            tag::STATE_CHANGE => set_first(&mut self.state_change, parse_state_change(&mut f)?),
            tag::BURN => set_first(&mut self.burn, Burn(f.u64_le("burn amount")?)),
            other => {
                return Err(FormatError::UnknownTag { tag: other, offset });
            }
        }
        Ok(())
    }
}
