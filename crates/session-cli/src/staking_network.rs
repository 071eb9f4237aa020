//! `session staking verify-bls` and `session staking decode-log`: the Session Network's BLS
//! signatures and the rewards contract's logs.

use std::fmt;

use anyhow::{Context as _, Result, bail};
use clap::{Args, ValueEnum};
use serde::Serialize;
use session_core::encoding::encode_hex;
use session_core::{Ed25519PublicKey, Ed25519Signature};
use session_staking::bls::{
    BlsPublicKey, BlsSignature, Domain, EthAddress, Registration, exit_message,
    liquidation_message, proof_of_possession_message, reward_claim_message, verify_registration,
};
use session_staking::l2::{L2Event, decode_log};

use crate::input::hex_array;
use crate::output::{Report, field};

pub(crate) const VERIFY_EXAMPLES: &str = "\
Examples:
  session staking verify-bls registration --bls-key <64 bytes hex> --pop <128> \\
      --service-node-key <32> --operator <20> --ed25519-signature <64>
  session staking verify-bls reward --bls-key <aggregate key> --recipient <20> \\
      --amount 1000000000 --signature <128>
  session --json staking verify-bls exit --bls-key <signer> --node <exiting node's key> \\
      --timestamp 1736000000 --signature <128> --domain testnet

Builds the signed message as the rewards contract does (its domain tag, then the fields) and
checks the BLS signature on BN254: a registration's proof of possession together with its
Ed25519 signature over `service node key || BLS key`; a reward claim, exit or liquidation
signed by the network (give the aggregate key of the signers). Exits with 0 when it verifies,
1 otherwise.";

pub(crate) const DECODE_EXAMPLES: &str = "\
Examples:
  session staking decode-log --topic 006b7a1e...0429 --data 0000...(32 bytes)
  session --json staking decode-log --topic <topic0> --topic <topic1> --data <hex>

Decodes a log of the rewards contract as oxend does: the events it acts on are shown with
their fields, the ones it ignores as ignored; a malformed log names the rule it breaks and
exits with 1.";

/// What was signed.
#[derive(Debug, Clone, Copy, ValueEnum, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Signed {
    /// A registration: BLS proof of possession and Ed25519 signature.
    Registration,
    /// The BLS proof of possession of a registration alone.
    ProofOfPossession,
    /// A reward claim.
    Reward,
    /// An exit.
    Exit,
    /// A liquidation.
    Liquidation,
}

/// The contract whose domain tags the messages.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum DomainName {
    /// Arbitrum One's rewards contract.
    Mainnet,
    /// Arbitrum Sepolia's rewards contract.
    Testnet,
}

/// `staking verify-bls` arguments (all hex unless said otherwise).
#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    /// What was signed.
    kind: Signed,
    /// The signer's BLS key (64 bytes): the node's, or the aggregate of the signers.
    #[arg(long)]
    bls_key: String,
    /// The BLS signature (128 bytes); for a registration, its proof of possession.
    #[arg(long, visible_alias = "pop")]
    signature: String,
    /// Registration: the node's Ed25519 key (32 bytes).
    #[arg(long)]
    service_node_key: Option<String>,
    /// Registration: the operator's address (20 bytes).
    #[arg(long)]
    operator: Option<String>,
    /// Registration: the Ed25519 signature over `service node key || BLS key` (64 bytes).
    #[arg(long)]
    ed25519_signature: Option<String>,
    /// Reward: the recipient's address (20 bytes).
    #[arg(long)]
    recipient: Option<String>,
    /// Reward: the amount (atomic units, decimal).
    #[arg(long)]
    amount: Option<u64>,
    /// Exit or liquidation: the BLS key of the node leaving (default: --bls-key).
    #[arg(long)]
    node: Option<String>,
    /// Exit or liquidation: the timestamp signed (unix seconds, decimal).
    #[arg(long)]
    timestamp: Option<u64>,
    /// The live contract whose domain applies.
    #[arg(
        long,
        value_enum,
        default_value = "mainnet",
        conflicts_with = "chain_id"
    )]
    domain: DomainName,
    /// Another deployment: its chain id (with --contract).
    #[arg(long, requires = "contract")]
    chain_id: Option<u64>,
    /// Another deployment: its address (20 bytes hex, with --chain-id).
    #[arg(long, requires = "chain_id")]
    contract: Option<String>,
}

/// `staking verify-bls`: whether the signature verifies, and over which message.
#[derive(Serialize)]
pub(crate) struct BlsCheck {
    kind: Signed,
    chain_id: u64,
    contract: String,
    /// The message the contract builds (hex).
    message: String,
    valid: bool,
    /// Why not, when it does not verify.
    failure: Option<String>,
}

impl fmt::Display for BlsCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        field(f, "signed", format_args!("{:?}", self.kind))?;
        field(f, "chain id", self.chain_id)?;
        field(f, "contract", &self.contract)?;
        field(f, "message", &self.message)?;
        match &self.failure {
            None => writeln!(f, "valid: the signature verifies"),
            Some(why) => writeln!(f, "invalid: {why}"),
        }
    }
}

impl Report for BlsCheck {
    fn passed(&self) -> bool {
        self.valid
    }
}

fn required<'a>(value: Option<&'a String>, flag: &str, kind: Signed) -> Result<&'a str> {
    match value {
        Some(v) => Ok(v),
        None => bail!("{kind:?} needs --{flag}"),
    }
}

pub(crate) fn verify_bls(args: &VerifyArgs) -> Result<BlsCheck> {
    let domain = match (args.chain_id, &args.contract) {
        (Some(chain_id), Some(contract)) => Domain::new(chain_id, hex_array(contract, "contract")?),
        _ => match args.domain {
            DomainName::Mainnet => Domain::MAINNET,
            DomainName::Testnet => Domain::TESTNET,
        },
    };
    let kind = args.kind;
    let key_bytes: [u8; 64] = hex_array(&args.bls_key, "BLS key")?;
    let signature_bytes: [u8; 128] = hex_array(&args.signature, "BLS signature")?;
    let key = BlsPublicKey::from_bytes(&key_bytes).context("invalid BLS key")?;
    let signature = BlsSignature::from_bytes(&signature_bytes).context("invalid BLS signature")?;
    let removal_key = |args: &VerifyArgs| -> Result<(BlsPublicKey, u64)> {
        let node = match &args.node {
            Some(node) => BlsPublicKey::from_bytes(&hex_array(node, "node BLS key")?)
                .context("invalid node BLS key")?,
            None => key,
        };
        let timestamp = args
            .timestamp
            .with_context(|| format!("{kind:?} needs --timestamp"))?;
        Ok((node, timestamp))
    };
    let mut failure = None;
    let message: Vec<u8> = match kind {
        Signed::Registration | Signed::ProofOfPossession => {
            let sn = Ed25519PublicKey::from_bytes(hex_array(
                required(args.service_node_key.as_ref(), "service-node-key", kind)?,
                "service-node key",
            )?);
            let operator = EthAddress(hex_array(
                required(args.operator.as_ref(), "operator", kind)?,
                "operator",
            )?);
            let message = proof_of_possession_message(&domain, &key, &operator, &sn).to_vec();
            if let Signed::Registration = kind {
                let ed = Ed25519Signature::from_bytes(hex_array(
                    required(args.ed25519_signature.as_ref(), "ed25519-signature", kind)?,
                    "Ed25519 signature",
                )?);
                let registration = Registration {
                    bls_public_key: key,
                    service_node_key: sn,
                    operator,
                    proof_of_possession: signature,
                    ed25519_signature: ed,
                };
                failure = verify_registration(&domain, &registration)
                    .err()
                    .map(|e| e.to_string());
            }
            message
        }
        Signed::Reward => {
            let recipient = EthAddress(hex_array(
                required(args.recipient.as_ref(), "recipient", kind)?,
                "recipient",
            )?);
            let amount = args.amount.context("Reward needs --amount")?;
            reward_claim_message(&domain, &recipient, amount).to_vec()
        }
        Signed::Exit => {
            let (node, timestamp) = removal_key(args)?;
            exit_message(&domain, &node, timestamp).to_vec()
        }
        Signed::Liquidation => {
            let (node, timestamp) = removal_key(args)?;
            liquidation_message(&domain, &node, timestamp).to_vec()
        }
    };
    if !matches!(kind, Signed::Registration) && !key.verify(&domain, &message, &signature) {
        failure = Some("the BLS signature does not verify".to_owned());
    }
    Ok(BlsCheck {
        kind,
        chain_id: domain.chain_id(),
        contract: encode_hex(domain.contract().as_bytes()),
        message: encode_hex(&message),
        valid: failure.is_none(),
        failure,
    })
}

/// `staking decode-log`: the event a log carries.
#[derive(Serialize)]
pub(crate) struct DecodedLog {
    /// `NewServiceNodeV2`, `ServiceNodeExitRequest`, ...; absent for an ignored or malformed log.
    event: Option<&'static str>,
    /// Its fields (hex for keys and addresses, decimal for amounts).
    fields: Vec<(&'static str, String)>,
    /// Contributors of a registration: address, beneficiary, amount.
    contributors: Vec<(String, String, u64)>,
    /// The log is well formed but oxend does not act on its event.
    ignored: bool,
    /// The rule a malformed log breaks.
    error: Option<String>,
}

impl fmt::Display for DecodedLog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(error) = &self.error {
            return writeln!(f, "malformed: {error}");
        }
        let Some(event) = self.event else {
            return writeln!(f, "ignored: oxend does not act on this event");
        };
        field(f, "event", event)?;
        for (name, value) in &self.fields {
            field(f, name, value)?;
        }
        for (address, beneficiary, amount) in &self.contributors {
            writeln!(
                f,
                "  contributor {address} (rewards to {beneficiary}): {amount}"
            )?;
        }
        Ok(())
    }
}

impl Report for DecodedLog {
    fn passed(&self) -> bool {
        self.error.is_none()
    }
}

pub(crate) fn decode(topics: &[String], data: &str) -> Result<DecodedLog> {
    let topics = topics
        .iter()
        .map(|t| hex_array::<32>(t, "topic"))
        .collect::<Result<Vec<_>>>()?;
    let data = crate::input::hex(data, "data")?;
    let mut log = DecodedLog {
        event: None,
        fields: Vec::new(),
        contributors: Vec::new(),
        ignored: false,
        error: None,
    };
    match decode_log(&topics, &data) {
        Err(error) => log.error = Some(error.to_string()),
        Ok(None) => log.ignored = true,
        Ok(Some(event)) => describe(&event, &mut log),
    }
    Ok(log)
}

fn describe(event: &L2Event, log: &mut DecodedLog) {
    match event {
        L2Event::NewServiceNode(node) => {
            log.event = Some("NewServiceNodeV2");
            log.fields = vec![
                ("BLS key", encode_hex(node.bls_public_key.as_bytes())),
                (
                    "service node key",
                    encode_hex(node.service_node_key.as_bytes()),
                ),
                ("Ed25519 signature", encode_hex(node.signature.as_bytes())),
                ("fee (basis points)", node.fee.to_string()),
            ];
            log.contributors = node
                .contributors
                .iter()
                .map(|c| {
                    (
                        encode_hex(c.address.as_bytes()),
                        encode_hex(c.beneficiary.as_bytes()),
                        c.amount,
                    )
                })
                .collect();
        }
        L2Event::ExitRequest { bls_public_key } => {
            log.event = Some("ServiceNodeExitRequest");
            log.fields = vec![("BLS key", encode_hex(bls_public_key.as_bytes()))];
        }
        L2Event::Exit {
            bls_public_key,
            returned_amount,
        } => {
            log.event = Some("ServiceNodeExit");
            log.fields = vec![
                ("BLS key", encode_hex(bls_public_key.as_bytes())),
                ("returned amount", returned_amount.to_string()),
            ];
        }
        L2Event::StakingRequirementUpdated {
            staking_requirement,
        } => {
            log.event = Some("StakingRequirementUpdated");
            log.fields = vec![("staking requirement", staking_requirement.to_string())];
        }
        _ => log.ignored = true,
    }
}
