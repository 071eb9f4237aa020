//! Writing tx_extra: the exact inverse of parsing, with core's [`Writer`] and its CryptoNote
//! varint.

use alloc::vec::Vec;

use session_core::{Writeable, Writer};

use super::{
    Field, KeyImageProofs, MAX_NONCE_LEN, MAX_PADDING_LEN, NewState, Registration, StateChange,
    TxExtra,
};
use crate::crypto::PublicKey;
use crate::error::FormatError;

/// Writes `fields` in order: the bytes [`TxExtra::fields`] read them from.
///
/// Fails, writing nothing, if a field holds a value its encoding cannot carry (see
/// [`Field::encode`]) or padding is not the last field.
///
/// ```
/// use session_staking::tx_extra::{TxExtra, encode_fields};
/// let extra = [0x79, 5, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x00];
/// let fields = TxExtra::fields(&extra).collect::<Result<Vec<_>, _>>()?;
/// assert_eq!(encode_fields(&fields)?, extra);
/// # Ok::<(), session_staking::Error>(())
/// ```
pub fn encode_fields(fields: &[Field]) -> Result<Vec<u8>, FormatError> {
    let mut out = Vec::new();
    let mut fields = fields.iter().peekable();
    while let Some(field) = fields.next() {
        if matches!(field, Field::Padding(_)) && fields.peek().is_some() {
            return Err(unencodable(field.tag(), "padding before another field"));
        }
        field.encode(&mut out)?;
    }
    Ok(out)
}

impl TxExtra {
    /// Writes the fields this value holds, in tag order (oxend finds fields by tag, so the
    /// order does not change their meaning): `TxExtra::parse(&x.encode()?) == Ok(x)`.
    ///
    /// Fails, writing nothing, if a field holds a value its encoding cannot carry (see
    /// [`Field::encode`]).
    pub fn encode(&self) -> Result<Vec<u8>, FormatError> {
        let mut out = Vec::new();
        self.encode_into(&mut out)?;
        Ok(out)
    }

    /// [`TxExtra::encode`] onto the end of `out`; on failure `out` is left as it was.
    pub fn encode_into<W: Writer + ?Sized>(&self, out: &mut W) -> Result<(), FormatError> {
        let fields = self.present_fields();
        for field in &fields {
            field.check()?;
        }
        for field in &fields {
            field.write(out);
        }
        Ok(())
    }

    fn present_fields(&self) -> Vec<Field> {
        let mut fields = Vec::new();
        fields.extend(self.tx_pubkey.map(Field::TxPubkey));
        fields.extend(self.nonce.clone().map(Field::Nonce));
        fields.extend(
            self.additional_pubkeys
                .clone()
                .map(Field::AdditionalPubkeys),
        );
        fields.extend(self.registration.clone().map(Field::Registration));
        fields.extend(
            self.old_deregistration
                .clone()
                .map(Field::OldDeregistration),
        );
        fields.extend(self.winner.map(Field::Winner));
        fields.extend(self.contributor.map(Field::Contributor));
        fields.extend(self.sn_pubkey.map(Field::ServiceNodePubkey));
        fields.extend(self.tx_secret_key.map(Field::TxSecretKey));
        fields.extend(self.key_image_proofs.clone().map(Field::KeyImageProofs));
        fields.extend(self.key_image_unlock.map(Field::KeyImageUnlock));
        fields.extend(self.state_change.clone().map(Field::StateChange));
        fields.extend(self.burn.map(Field::Burn));
        fields
    }
}

/// For code generic over core's [`Writeable`]: [`FormatError::Unencodable`] becomes
/// [`session_core::Error::InvalidValue`] naming the field.
fn to_core(e: FormatError) -> session_core::Error {
    let what = match e {
        FormatError::Unencodable { field, .. } => field,
        _ => "tx_extra field",
    };
    session_core::Error::InvalidValue { offset: 0, what }
}

impl Writeable for TxExtra {
    fn write_to<W: Writer + ?Sized>(&self, w: &mut W) -> session_core::Result<()> {
        self.encode_into(w).map_err(to_core)
    }
}

impl Writeable for Field {
    fn write_to<W: Writer + ?Sized>(&self, w: &mut W) -> session_core::Result<()> {
        self.encode(w).map_err(to_core)
    }
}

fn unencodable(tag: u8, field: &'static str) -> FormatError {
    FormatError::Unencodable { tag, field }
}

impl Field {
    /// Writes the tag and body onto `out`, as oxend serializes them.
    ///
    /// Fails, writing nothing, on a value the encoding cannot carry: padding of more than 254
    /// zeros, a nonce over [`MAX_NONCE_LEN`] bytes, a state change of a version other than 0
    /// or 4 or with reasons in version 0, or a pre-HF12 deregistration that is not a version 0
    /// [`NewState::Deregister`] without reasons.
    pub fn encode<W: Writer + ?Sized>(&self, out: &mut W) -> Result<(), FormatError> {
        self.check()?;
        self.write(out);
        Ok(())
    }

    fn check(&self) -> Result<(), FormatError> {
        let tag = self.tag();
        match self {
            Field::Padding(n) if *n >= MAX_PADDING_LEN => Err(unencodable(tag, "padding")),
            Field::Nonce(n) if n.len() > MAX_NONCE_LEN => Err(unencodable(tag, "nonce")),
            Field::StateChange(sc) => match sc.version {
                4 => Ok(()),
                0 if sc.reason_consensus_all == 0 && sc.reason_consensus_any == 0 => Ok(()),
                0 => Err(unencodable(tag, "reasons")),
                _ => Err(unencodable(tag, "version")),
            },
            Field::OldDeregistration(sc) => {
                if sc.version != 0 {
                    Err(unencodable(tag, "version"))
                } else if sc.state != NewState::Deregister {
                    Err(unencodable(tag, "state"))
                } else if sc.reason_consensus_all != 0 || sc.reason_consensus_any != 0 {
                    Err(unencodable(tag, "reasons"))
                } else {
                    Ok(())
                }
            }
            _ => Ok(()),
        }
    }

    /// Writes a field [`Field::check`] accepted.
    fn write<W: Writer + ?Sized>(&self, out: &mut W) {
        out.write_u8(self.tag());
        match self {
            Field::Padding(n) => {
                for _ in 0..*n {
                    out.write_u8(0);
                }
            }
            Field::TxPubkey(k) | Field::Winner(k) | Field::ServiceNodePubkey(k) => {
                out.write_all(&k.0);
            }
            Field::Nonce(b) | Field::MergeMining(b) | Field::Minergate(b) => {
                write_len(out, b.len());
                out.write_all(b);
            }
            Field::AdditionalPubkeys(keys) => write_keys(out, keys),
            Field::Registration(reg) => write_registration(out, reg),
            Field::OldDeregistration(sc) => write_old_deregistration(out, sc),
            Field::Contributor(a) => {
                out.write_all(&a.spend.0);
                out.write_all(&a.view.0);
            }
            Field::TxSecretKey(k) => out.write_all(&k.0),
            Field::KeyImageProofs(p) => write_key_image_proofs(out, p),
            Field::KeyImageUnlock(u) => {
                out.write_all(&u.key_image.0);
                out.write_all(&u.signature.to_bytes());
                out.write_u32_le(u.nonce);
            }
            Field::StateChange(sc) => write_state_change(out, sc),
            Field::Burn(b) => out.write_u64_le(b.0),
        }
    }
}

fn write_len<W: Writer + ?Sized>(out: &mut W, len: usize) {
    out.write_varint(u64::try_from(len).unwrap_or(u64::MAX));
}

fn write_keys<W: Writer + ?Sized>(out: &mut W, keys: &[PublicKey]) {
    write_len(out, keys.len());
    for k in keys {
        out.write_all(&k.0);
    }
}

fn write_registration<W: Writer + ?Sized>(out: &mut W, reg: &Registration) {
    write_keys(out, &reg.spend_keys);
    write_keys(out, &reg.view_keys);
    out.write_u64_le(reg.fee);
    write_len(out, reg.amounts.len());
    for amount in &reg.amounts {
        out.write_varint(*amount);
    }
    out.write_u64_le(reg.hf_or_expiration);
    out.write_all(&reg.signature.to_bytes());
}

fn write_old_deregistration<W: Writer + ?Sized>(out: &mut W, sc: &StateChange) {
    out.write_u64_le(sc.block_height);
    out.write_u32_le(sc.service_node_index);
    // Blob-packed votes: signature, then the index.
    write_len(out, sc.votes.len());
    for vote in &sc.votes {
        out.write_all(&vote.signature.to_bytes());
        out.write_u32_le(vote.validator_index);
    }
}

fn write_state_change<W: Writer + ?Sized>(out: &mut W, sc: &StateChange) {
    // Version 0 has no version field: its first varint is the state.
    if sc.version == 4 {
        out.write_varint(4);
    }
    out.write_varint(u64::from(sc.state.to_u16()));
    out.write_varint(sc.block_height);
    out.write_varint(u64::from(sc.service_node_index));
    write_len(out, sc.votes.len());
    for vote in &sc.votes {
        out.write_varint(u64::from(vote.validator_index));
        out.write_all(&vote.signature.to_bytes());
    }
    if sc.version == 4 {
        out.write_varint(u64::from(sc.reason_consensus_all));
        out.write_varint(u64::from(sc.reason_consensus_any));
    }
}

fn write_key_image_proofs<W: Writer + ?Sized>(out: &mut W, proofs: &KeyImageProofs) {
    write_len(out, proofs.0.len());
    for p in &proofs.0 {
        out.write_all(&p.key_image.0);
        out.write_all(&p.signature.to_bytes());
    }
}
