//! A test signer: builds registrations, stakes and key-image proofs.
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
    PublicKey, SecretKey, commit, derivation_to_scalar, derive_public_key, hash_to_scalar,
};
use session_staking::stake::TxOutput;
use session_staking::tx_extra::{KeyImageProof, KeyImageProofs, Registration, TxSecretKey};
use session_staking::{ContributorAddress, registration::registration_hash};

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
            spend: self.spend.public_key(),
            view: self.view.public_key(),
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
        let d = r.key_derivation(&payee.view.public_key()).unwrap();
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
            let d_recv = payee.view.key_derivation(&r.public_key()).unwrap();
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
