//! Reading tx_extra: one [`Field`] at a time, or all into a [`TxExtra`].

use alloc::vec::Vec;

use session_core::Reader;

use super::{
    Burn, Field, KeyImageProof, KeyImageProofs, KeyImageUnlock, MAX_NONCE_LEN, MAX_PADDING_LEN,
    NewState, Registration, StateChange, TxExtra, TxSecretKey, Vote, tag,
};
use crate::ContributorAddress;
use crate::crypto::{KeyImage, PublicKey, Signature};
use crate::error::{FormatError, Result};

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

/// The fields of a tx_extra in order ([`TxExtra::fields`]). Stops after the first error, which
/// it yields.
#[derive(Clone, Debug)]
pub struct Fields<'a> {
    r: Reader<'a>,
    failed: bool,
}

impl Iterator for Fields<'_> {
    type Item = Result<Field, FormatError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.r.remaining() == 0 {
            return None;
        }
        let field = parse_field(&mut self.r);
        self.failed = field.is_err();
        Some(field)
    }
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
    /// use session_staking::tx_extra::{Burn, TxExtra};
    /// let mut extra = vec![0x01];
    /// extra.extend_from_slice(&[0x11; 32]);
    /// extra.push(0x79);
    /// extra.extend_from_slice(&5u64.to_le_bytes());
    /// let parsed = TxExtra::parse(&extra)?;
    /// assert_eq!(parsed.burn, Some(Burn(5)));
    /// assert_eq!(parsed.encode()?, extra);
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
        for field in Self::fields(bytes) {
            match field {
                Ok(field) => extra.keep_first(field),
                Err(e) => return (extra, Some(e)),
            }
        }
        (extra, None)
    }

    /// The fields in the order they appear, padding and opaque blobs included.
    pub fn fields(bytes: &[u8]) -> Fields<'_> {
        Fields {
            r: Reader::new(bytes),
            failed: false,
        }
    }

    fn keep_first(&mut self, field: Field) {
        match field {
            Field::Padding(_) | Field::MergeMining(_) | Field::Minergate(_) => {}
            Field::TxPubkey(k) => set_first(&mut self.tx_pubkey, k),
            Field::Nonce(n) => set_first(&mut self.nonce, n),
            Field::AdditionalPubkeys(k) => set_first(&mut self.additional_pubkeys, k),
            Field::Registration(r) => set_first(&mut self.registration, r),
            Field::OldDeregistration(d) => set_first(&mut self.old_deregistration, d),
            Field::Winner(k) => set_first(&mut self.winner, k),
            Field::Contributor(a) => set_first(&mut self.contributor, a),
            Field::ServiceNodePubkey(k) => set_first(&mut self.sn_pubkey, k),
            Field::TxSecretKey(k) => set_first(&mut self.tx_secret_key, k),
            Field::KeyImageProofs(p) => set_first(&mut self.key_image_proofs, p),
            Field::KeyImageUnlock(u) => set_first(&mut self.key_image_unlock, u),
            Field::StateChange(s) => set_first(&mut self.state_change, s),
            Field::Burn(b) => set_first(&mut self.burn, b),
        }
    }
}

fn parse_field(r: &mut Reader<'_>) -> Result<Field, FormatError> {
    let offset = r.offset();
    let tag_byte = r.take_u8().map_err(|_| FormatError::Truncated {
        tag: 0,
        field: "tag",
        offset,
        needed: 1,
        available: 0,
    })?;
    let mut f = FieldReader { r, tag: tag_byte };
    Ok(match tag_byte {
        tag::PADDING => {
            let rest = f.r.take_rest();
            if rest.len() >= MAX_PADDING_LEN || rest.iter().any(|&b| b != 0) {
                return Err(FormatError::BadPadding { offset });
            }
            Field::Padding(rest.len())
        }
        tag::TX_PUBKEY => Field::TxPubkey(f.key("tx public key")?),
        tag::NONCE => Field::Nonce(f.string("nonce", MAX_NONCE_LEN)?.to_vec()),
        tag::MERGE_MINING => Field::MergeMining(f.string("blob", usize::MAX)?.to_vec()),
        tag::MINERGATE => Field::Minergate(f.string("blob", usize::MAX)?.to_vec()),
        tag::ADDITIONAL_PUBKEYS => Field::AdditionalPubkeys(f.keys("additional public keys")?),
        tag::REGISTER => Field::Registration(parse_registration(&mut f)?),
        tag::DEREGISTER_OLD => Field::OldDeregistration(parse_old_deregistration(&mut f)?),
        tag::WINNER => Field::Winner(f.key("winner")?),
        tag::CONTRIBUTOR => {
            let spend = f.key("contributor spend key")?;
            let view = f.key("contributor view key")?;
            Field::Contributor(ContributorAddress { spend, view })
        }
        tag::SN_PUBKEY => Field::ServiceNodePubkey(f.key("service node key")?),
        tag::TX_SECRET_KEY => Field::TxSecretKey(TxSecretKey(f.bytes("tx secret key")?)),
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
            Field::KeyImageProofs(KeyImageProofs(proofs))
        }
        tag::KEY_IMAGE_UNLOCK => {
            let key_image = KeyImage(f.bytes("key image")?);
            let signature = f.signature("unlock signature")?;
            let nonce = f.u32_le("nonce")?;
            Field::KeyImageUnlock(KeyImageUnlock {
                key_image,
                signature,
                nonce,
            })
        }
        tag::STATE_CHANGE => Field::StateChange(parse_state_change(&mut f)?),
        tag::BURN => Field::Burn(Burn(f.u64_le("burn amount")?)),
        other => return Err(FormatError::UnknownTag { tag: other, offset }),
    })
}
