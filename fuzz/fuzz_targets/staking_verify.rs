//! Fuzzes the verifiers of `session-staking` on arbitrary keys, signatures, amounts and
//! heights: `verify_stake`, `validate_registration`, state changes, unlocks and uptime proofs
//! never panic.
#![no_main]
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use session_core::Network;
use session_staking::crypto::rct::{EcdhInfo, RctType};
use session_staking::crypto::{KeyImage, PublicKey, Signature, check_key_image_signature};
use session_staking::stake::{StakeOutputs, StakeProof, TxOutput};
use session_staking::tx_extra::{
    KeyImageProof, KeyImageProofs, KeyImageUnlock, NewState, Registration, StateChange,
    TxSecretKey, Vote,
};
use session_staking::unlock::verify_unlock;
use session_staking::uptime::{UptimeProof, verify_uptime_proof};
use session_staking::vote::verify_state_change;
use session_staking::{ContributorAddress, HardFork, validate_registration, verify_stake};

#[derive(Arbitrary, Debug)]
struct Input {
    outputs: Vec<(Option<[u8; 32]>, u64)>,
    v2: bool,
    ecdh: Vec<([u8; 32], [u8; 32])>,
    commitments: Vec<[u8; 32]>,
    rct: u8,
    r: [u8; 32],
    spend: [u8; 32],
    view: [u8; 32],
    proofs: Vec<([u8; 32], [u8; 32], [u8; 32])>,
    hf: u8,
    height: u64,
    fee: u64,
    amounts: Vec<u64>,
    hf_or_expiration: u64,
    sn: [u8; 32],
    votes: Vec<(u32, [u8; 32], [u8; 32])>,
    state: u8,
    worker: u32,
    validators: Vec<[u8; 32]>,
    proof_fields: ([u16; 3], u64, [u8; 4], u16, u16, [u8; 32], [u8; 64]),
}

fn sig(c: [u8; 32], r: [u8; 32]) -> Signature {
    Signature { c, r }
}

fuzz_target!(|input: Input| {
    let hf = HardFork::from_version(input.hf).unwrap_or(HardFork::Hf19);
    let outputs: Vec<TxOutput> = input
        .outputs
        .iter()
        .take(8)
        .map(|(k, t)| TxOutput {
            key: k.map(PublicKey),
            unlock_time: *t,
        })
        .collect();
    let ecdh: Vec<EcdhInfo> = input
        .ecdh
        .iter()
        .take(8)
        .map(|(m, a)| {
            if input.v2 {
                let mut b = [0u8; 8];
                b.copy_from_slice(&a[..8]);
                EcdhInfo::V2 { amount: b }
            } else {
                EcdhInfo::V1 {
                    mask: *m,
                    amount: *a,
                }
            }
        })
        .collect();
    let commitments: Vec<[u8; 32]> = input.commitments.iter().take(8).copied().collect();
    let proofs: Vec<KeyImageProof> = input
        .proofs
        .iter()
        .take(4)
        .map(|(i, c, r)| KeyImageProof {
            key_image: KeyImage(*i),
            signature: sig(*c, *r),
        })
        .collect();
    if let (Some(p), Some(Some(k))) = (proofs.first(), outputs.first().map(|o| o.key)) {
        let _ = check_key_image_signature(&p.key_image, &k, &p.signature);
    }
    let tx = StakeOutputs {
        outputs: &outputs,
        rct_type: RctType::from_u8(input.rct),
        ecdh_info: &ecdh,
        commitments: &commitments,
    };
    let stake = StakeProof {
        tx_secret_key: TxSecretKey(input.r),
        contributor: ContributorAddress {
            spend: PublicKey(input.spend),
            view: PublicKey(input.view),
        },
        key_image_proofs: KeyImageProofs(proofs),
    };
    let _ = verify_stake(&tx, &stake, Network::Mainnet, hf, input.height);

    let n = input.amounts.len().min(12);
    let reg = Registration {
        spend_keys: vec![PublicKey(input.spend); n],
        view_keys: vec![PublicKey(input.view); n],
        fee: input.fee,
        amounts: input.amounts.iter().take(n).copied().collect(),
        hf_or_expiration: input.hf_or_expiration,
        signature: sig(input.r, input.sn),
    };
    let _ = validate_registration(&reg, &PublicKey(input.sn), hf, input.height, input.fee);

    let validators: Vec<PublicKey> = input
        .validators
        .iter()
        .take(10)
        .map(|v| PublicKey(*v))
        .collect();
    let state_change = StateChange {
        version: 4,
        state: NewState::from_u16(u16::from(input.state % 4)).unwrap_or(NewState::Deregister),
        block_height: input.height,
        service_node_index: input.worker,
        reason_consensus_all: 0,
        reason_consensus_any: 0,
        votes: input
            .votes
            .iter()
            .take(12)
            .map(|(i, c, r)| Vote {
                validator_index: *i,
                signature: sig(*c, *r),
            })
            .collect(),
    };
    let _ = verify_state_change(
        &state_change,
        &validators,
        50,
        input.height.wrapping_add(1),
        hf,
    );

    let unlock = KeyImageUnlock {
        key_image: KeyImage(input.r),
        signature: sig(input.spend, input.view),
        nonce: input.worker,
    };
    let _ = verify_unlock(&unlock, &PublicKey(input.sn));

    let (version, timestamp, public_ip, storage_port, qnet_port, ed, ed_sig) = input.proof_fields;
    let proof = UptimeProof {
        version,
        timestamp,
        pubkey: PublicKey(input.sn),
        public_ip,
        storage_port,
        qnet_port,
        pubkey_ed25519: ed.into(),
        signature: sig(input.r, input.spend),
        signature_ed25519: ed_sig.into(),
    };
    let _ = verify_uptime_proof(&proof, hf, input.height);
});
