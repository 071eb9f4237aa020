//! A test signer: builds registrations, stakes, key-image proofs and their tx_extra bytes.
#![allow(
    dead_code,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use curve25519_dalek::edwards::EdwardsPoint;
use session_staking::crypto::rct::{
    EcdhInfo, RctType, commitment_mask_v2, encode_amount_v1, encode_amount_v2,
};
use session_staking::crypto::{
    PublicKey, SecretKey, commit, derivation_to_scalar, derive_public_key, generate_key_derivation,
    hash_to_scalar,
};
use session_staking::stake::TxOutput;
use session_staking::tx_extra::{
    KeyImageProof, KeyImageProofs, Registration, StateChange, TxSecretKey, tag,
};
use session_staking::{ContributorAddress, registration_hash};

pub struct Wallet {
    pub spend: SecretKey,
    pub view: SecretKey,
}

impl Wallet {
    pub fn new(name: &str) -> Self {
        Wallet {
            spend: SecretKey::from_seed(format!("{name} spend").as_bytes()),
            view: SecretKey::from_seed(format!("{name} view").as_bytes()),
        }
    }

    pub fn address(&self) -> ContributorAddress {
        ContributorAddress {
            spend: self.spend.public_key().0,
            view: self.view.public_key().0,
        }
    }
}

pub fn registration(
    sn: &SecretKey,
    reserved: &[(&Wallet, u64)],
    fee: u64,
    hf_or_exp: u64,
) -> Registration {
    let mut reg = Registration {
        spend_keys: reserved.iter().map(|(w, _)| w.spend.public_key()).collect(),
        view_keys: reserved.iter().map(|(w, _)| w.view.public_key()).collect(),
        fee,
        amounts: reserved.iter().map(|(_, a)| *a).collect(),
        hf_or_expiration: hf_or_exp,
        signature: sn.sign(&[0; 32]),
    };
    reg.signature = sn.sign(&registration_hash(&reg).unwrap());
    reg
}

/// A built stake transaction: outputs, amounts, commitments and the tx_extra values.
pub struct StakeTx {
    pub outputs: Vec<TxOutput>,
    pub rct_type: RctType,
    pub ecdh: Vec<EcdhInfo>,
    pub commitments: Vec<[u8; 32]>,
    pub tx_secret_key: TxSecretKey,
    pub tx_pubkey: PublicKey,
    pub proofs: KeyImageProofs,
}

/// Pays `amounts[i]` to `payees[i]`; key-image proofs for the outputs whose payee is `staker`.
pub fn stake_tx(
    seed: &str,
    staker: &Wallet,
    payees: &[(&Wallet, u64)],
    rct_type: RctType,
    unlock_time: u64,
) -> StakeTx {
    let r = SecretKey::from_seed(seed.as_bytes());
    let mut outputs = Vec::new();
    let mut ecdh = Vec::new();
    let mut commitments = Vec::new();
    let mut proofs = Vec::new();
    for (i, (payee, amount)) in payees.iter().enumerate() {
        let i = i as u64;
        let d = generate_key_derivation(&payee.view.public_key(), &r.to_bytes()).unwrap();
        let key = derive_public_key(&d, i, &payee.spend.public_key()).unwrap();
        let shared = derivation_to_scalar(&d, i);
        let (info, mask) = if rct_type.uses_v2_ecdh() {
            (
                encode_amount_v2(*amount, &shared),
                commitment_mask_v2(&shared),
            )
        } else {
            let mask = hash_to_scalar(format!("{seed} mask {i}").as_bytes());
            (encode_amount_v1(*amount, &mask, &shared), mask)
        };
        outputs.push(TxOutput {
            key: Some(key),
            unlock_time,
        });
        ecdh.push(info);
        commitments.push(
            commit(&mask, &curve25519_dalek::Scalar::from(*amount))
                .compress()
                .to_bytes(),
        );
        if std::ptr::eq(*payee, staker) {
            // The recipient derives the same D from its view secret and R.
            let d_recv = generate_key_derivation(&r.public_key(), &payee.view.to_bytes()).unwrap();
            assert_eq!(d_recv, d);
            let x = payee.spend.derive_output_key(&d_recv, i);
            assert_eq!(x.public_key(), key);
            let (key_image, signature) = x.key_image_proof();
            proofs.push(KeyImageProof {
                key_image,
                signature,
            });
        }
    }
    StakeTx {
        outputs,
        rct_type,
        ecdh,
        commitments,
        tx_secret_key: TxSecretKey(*r.to_bytes()),
        tx_pubkey: PublicKey::from(EdwardsPoint::mul_base(
            &curve25519_dalek::Scalar::from_bytes_mod_order(*r.to_bytes()),
        )),
        proofs: KeyImageProofs(proofs),
    }
}

pub fn varint(mut v: u64, out: &mut Vec<u8>) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// tx_extra serialization, the way oxend writes it.
#[derive(Default)]
pub struct ExtraWriter(pub Vec<u8>);

impl ExtraWriter {
    pub fn tx_pubkey(mut self, k: &PublicKey) -> Self {
        self.0.push(tag::TX_PUBKEY);
        self.0.extend_from_slice(&k.0);
        self
    }

    pub fn sn_pubkey(mut self, k: &PublicKey) -> Self {
        self.0.push(tag::SN_PUBKEY);
        self.0.extend_from_slice(&k.0);
        self
    }

    pub fn registration(mut self, r: &Registration) -> Self {
        self.0.push(tag::REGISTER);
        varint(r.spend_keys.len() as u64, &mut self.0);
        for k in &r.spend_keys {
            self.0.extend_from_slice(&k.0);
        }
        varint(r.view_keys.len() as u64, &mut self.0);
        for k in &r.view_keys {
            self.0.extend_from_slice(&k.0);
        }
        self.0.extend_from_slice(&r.fee.to_le_bytes());
        varint(r.amounts.len() as u64, &mut self.0);
        for a in &r.amounts {
            varint(*a, &mut self.0);
        }
        self.0.extend_from_slice(&r.hf_or_expiration.to_le_bytes());
        self.0.extend_from_slice(&r.signature.to_bytes());
        self
    }

    pub fn contributor(mut self, a: &ContributorAddress) -> Self {
        self.0.push(tag::CONTRIBUTOR);
        self.0.extend_from_slice(&a.spend);
        self.0.extend_from_slice(&a.view);
        self
    }

    pub fn tx_secret_key(mut self, k: &TxSecretKey) -> Self {
        self.0.push(tag::TX_SECRET_KEY);
        self.0.extend_from_slice(&k.0);
        self
    }

    pub fn proofs(mut self, p: &KeyImageProofs) -> Self {
        self.0.push(tag::KEY_IMAGE_PROOFS);
        varint(p.0.len() as u64, &mut self.0);
        for proof in &p.0 {
            self.0.extend_from_slice(&proof.key_image.0);
            self.0.extend_from_slice(&proof.signature.to_bytes());
        }
        self
    }

    pub fn state_change(mut self, sc: &StateChange) -> Self {
        self.0.push(tag::STATE_CHANGE);
        if sc.version >= 4 {
            varint(4, &mut self.0);
        }
        varint(u64::from(sc.state.to_u16()), &mut self.0);
        varint(sc.block_height, &mut self.0);
        varint(u64::from(sc.service_node_index), &mut self.0);
        varint(sc.votes.len() as u64, &mut self.0);
        for v in &sc.votes {
            varint(u64::from(v.validator_index), &mut self.0);
            self.0.extend_from_slice(&v.signature.to_bytes());
        }
        if sc.version >= 4 {
            varint(u64::from(sc.reason_consensus_all), &mut self.0);
            varint(u64::from(sc.reason_consensus_any), &mut self.0);
        }
        self
    }
}
