//! `session staking`: the staking requirement, and registration checks.

use std::path::Path;

use anyhow::{Context as _, Result, bail};
use clap::Subcommand;
use serde_json::{Value, json};
use session_core::Network;
use session_core::encoding::encode_hex;
use session_staking::tx_extra::TxExtra;
use session_staking::{
    COIN, HardFork, hard_fork_at, requirement::fixed_staking_requirement, staking_requirement,
    validate_registration,
};
use zeroize::Zeroizing;

use crate::input;
use crate::output::{Output, Text};

const REQUIREMENT_EXAMPLES: &str = "\
Examples:
  session staking requirement --height 464862
  session --json staking requirement --height 10 --network testnet

Amounts are atomic units (1 coin = 1,000,000,000) and coins.";

const CHECK_EXAMPLES: &str = "\
Examples:
  session staking check-registration --height 1100000 7074...(the transaction's tx_extra in hex)
  session --json staking check-registration --hf 19 --requirement 15000000000000 - < extra.hex

Parses the tx_extra, finds the registration (tag 0x70) and the service-node key (tag 0x74),
and applies every rule oxend applies when the block at --height (or of hard fork --hf)
includes it: list shapes, the key and its signature, the registration format for the hard
fork, contributor count, reserved amounts or portions, operator fee and expiry. Every rule that
fails is reported. Exits with 0 when the registration is valid, 1 otherwise.";

/// Staking commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// The staking requirement at a height.
    #[command(after_help = REQUIREMENT_EXAMPLES)]
    Requirement {
        /// Block height.
        #[arg(long)]
        height: u64,
        /// Network.
        #[arg(long, default_value = "mainnet", value_parser = parse_network)]
        network: Network,
    },
    /// Check a registration transaction's tx_extra against the consensus rules.
    #[command(after_help = CHECK_EXAMPLES)]
    CheckRegistration {
        /// The tx_extra in hex, or `-` to read it (hex) from stdin.
        tx_extra: String,
        /// Height of the block that includes it (gives the hard fork and the requirement).
        #[arg(long, required_unless_present = "hf")]
        height: Option<u64>,
        /// Hard-fork version of that block, instead of --height.
        #[arg(long, conflicts_with = "height")]
        hf: Option<u8>,
        /// Network.
        #[arg(long, default_value = "mainnet", value_parser = parse_network)]
        network: Network,
        /// Staking requirement in atomic units (default: the network's at --height, or its
        /// fixed requirement for --hf 16 and later).
        #[arg(long)]
        requirement: Option<u64>,
        /// Block timestamp (unix seconds) for the expiry of pre-HF19 registrations
        /// (default: now).
        #[arg(long)]
        timestamp: Option<u64>,
    },
}

fn parse_network(name: &str) -> Result<Network, String> {
    name.parse().map_err(|_| {
        format!("unknown network {name:?}: expected mainnet, testnet, devnet, stagenet or localdev")
    })
}

/// Atomic units as coins with nine decimals.
fn coins(atomic: u64) -> String {
    format!("{}.{:09}", atomic / COIN, atomic % COIN)
}

pub(crate) fn run(command: Command, out: &mut Output) -> Result<()> {
    match command {
        Command::Requirement { height, network } => {
            let hf = hard_fork_at(network, height);
            let requirement = staking_requirement(network, height);
            out.print(
                &json!({
                    "network": network.to_string(),
                    "height": height,
                    "hard_fork": hf.version(),
                    "requirement": requirement,
                    "requirement_coins": coins(requirement),
                }),
                Text::new()
                    .field("network", network)
                    .field("height", height)
                    .field("hard fork", hf)
                    .field(
                        "staking requirement",
                        format_args!("{} ({requirement} atomic units)", coins(requirement)),
                    ),
            );
            Ok(())
        }
        Command::CheckRegistration {
            tx_extra,
            height,
            hf,
            network,
            requirement,
            timestamp,
        } => {
            let hex = if tx_extra == "-" {
                input::read_text(Path::new("-"))?
            } else {
                Zeroizing::new(tx_extra)
            };
            let bytes = input::hex(&hex, "tx_extra")?;
            let block = Block::new(network, height, hf, requirement, timestamp)?;
            check_registration(&bytes, &block, out)
        }
    }
}

/// The block the registration is checked in.
struct Block {
    hf: HardFork,
    requirement: u64,
    timestamp: u64,
}

impl Block {
    fn new(
        network: Network,
        height: Option<u64>,
        hf: Option<u8>,
        requirement: Option<u64>,
        timestamp: Option<u64>,
    ) -> Result<Block> {
        let hf = match (height, hf) {
            (_, Some(version)) => HardFork::try_from(version).context("invalid --hf")?,
            (Some(height), None) => hard_fork_at(network, height),
            (None, None) => bail!("give the block's --height or its hard fork with --hf"),
        };
        let requirement = match (requirement, height) {
            (Some(requirement), _) => requirement,
            (None, Some(height)) => staking_requirement(network, height),
            (None, None) if hf >= HardFork::Hf16 => fixed_staking_requirement(network, hf),
            (None, None) => bail!(
                "the requirement before HF16 depends on the height: give --height or --requirement"
            ),
        };
        let timestamp = match timestamp {
            Some(timestamp) => timestamp,
            None => now()?,
        };
        Ok(Block {
            hf,
            requirement,
            timestamp,
        })
    }
}

// The command line may read the clock: it stands in for the block's timestamp when none is
// given (only pre-HF19 registrations, which carry an expiry time, depend on it).
#[allow(clippy::disallowed_methods)]
fn now() -> Result<u64> {
    Ok(std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .context("the system clock is before 1970")?
        .as_secs())
}

fn check_registration(bytes: &[u8], block: &Block, out: &mut Output) -> Result<()> {
    let mut failures: Vec<String> = Vec::new();
    let (extra, parse_error) = TxExtra::parse_lenient(bytes);
    if let Some(error) = parse_error {
        failures.push(format!("tx_extra: {error}"));
    }
    let registration = extra.registration.as_ref();
    if registration.is_none() {
        failures.push("tx_extra has no registration (tag 0x70)".to_owned());
    }
    if extra.sn_pubkey.is_none() {
        failures.push("tx_extra has no service-node key (tag 0x74)".to_owned());
    }
    let mut details = Value::Null;
    if let (Some(reg), Some(key)) = (registration, extra.sn_pubkey.as_ref()) {
        if let Err(errors) =
            validate_registration(reg, key, block.hf, block.requirement, block.timestamp)
        {
            failures.extend(errors.iter().map(ToString::to_string));
        }
        let uses_portions = reg.hf_or_expiration > 255;
        details = json!({
            "service_node_key": encode_hex(&key.0),
            "fee": reg.fee,
            "fee_unit": if uses_portions { "portions" } else { "basis points" },
            "amount_unit": if uses_portions { "portions" } else { "atomic units" },
            "hf_or_expiration": reg.hf_or_expiration,
            "contributors": reg.spend_keys.iter().zip(&reg.view_keys).zip(&reg.amounts)
                .map(|((spend, view), amount)| json!({
                    "spend_key": encode_hex(&spend.0),
                    "view_key": encode_hex(&view.0),
                    "amount": amount,
                }))
                .collect::<Vec<_>>(),
        });
    }
    let valid = failures.is_empty();
    let mut text = Text::new();
    text.field("hard fork", block.hf).field(
        "staking requirement",
        format_args!(
            "{} ({} atomic units)",
            coins(block.requirement),
            block.requirement
        ),
    );
    if let (Some(reg), Some(key)) = (registration, extra.sn_pubkey.as_ref()) {
        text.field("service node key", encode_hex(&key.0))
            .field("contributors", reg.amounts.len())
            .field("fee", reg.fee);
    }
    if valid {
        text.line("valid: every registration rule passes");
    } else {
        text.line(format_args!("invalid: {} rule(s) failed", failures.len()));
        for failure in &failures {
            text.line(format_args!("  - {failure}"));
        }
    }
    out.print(
        &json!({
            "valid": valid,
            "hard_fork": block.hf.version(),
            "requirement": block.requirement,
            "block_timestamp": block.timestamp,
            "registration": details,
            "failures": failures,
        }),
        &text,
    );
    if !valid {
        out.rule_failed();
    }
    Ok(())
}
