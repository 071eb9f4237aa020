//! `session staking`: the staking requirement, registration checks, and the Session Network's
//! BLS signatures and contract logs.

use std::fmt;
use std::path::Path;

use anyhow::{Context as _, Result, bail};
use clap::Subcommand;
use serde::{Serialize, Serializer};
use session_core::Network;
use session_core::encoding::encode_hex;
use session_staking::tx_extra::TxExtra;
use session_staking::{
    COIN, HardFork, hard_fork_at, requirement::fixed_staking_requirement, staking_requirement,
    validate_registration,
};
use zeroize::Zeroizing;

use crate::output::{Output, Report, field};
use crate::{input, staking_network};

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
    /// Verify a Session Network BLS signature: a registration, or a reward claim, exit or
    /// liquidation signed by the network.
    #[command(after_help = staking_network::VERIFY_EXAMPLES)]
    VerifyBls(staking_network::VerifyArgs),
    /// Decode a log of the Session Network's rewards contract as oxend does.
    #[command(after_help = staking_network::DECODE_EXAMPLES)]
    DecodeLog {
        /// A topic of the log (32 bytes hex), topic0 first; repeat for each.
        #[arg(long = "topic", required = true)]
        topics: Vec<String>,
        /// The log's data (hex; may be empty).
        #[arg(long, default_value = "")]
        data: String,
    },
}

fn parse_network(name: &str) -> Result<Network, String> {
    name.parse().map_err(|_| {
        let names: Vec<&str> = Network::ALL.iter().map(|n| n.name()).collect();
        format!(
            "unknown network {name:?}: expected one of {}",
            names.join(", ")
        )
    })
}

/// An amount in atomic units; shown as coins with nine decimals too.
#[derive(Clone, Copy)]
struct Amount(u64);

impl Amount {
    /// The coins, with nine decimals.
    fn coins(self) -> String {
        format!("{}.{:09}", self.0 / COIN, self.0 % COIN)
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} atomic units)", self.coins(), self.0)
    }
}

/// Serializes a hard fork as its version number.
fn hf_version<S: Serializer>(hf: &HardFork, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_u8(hf.version())
}

/// `staking requirement`: the requirement at a height.
#[derive(Serialize)]
struct Requirement {
    #[serde(serialize_with = "collect_str")]
    network: Network,
    height: u64,
    #[serde(serialize_with = "hf_version")]
    hard_fork: HardFork,
    /// In atomic units.
    requirement: u64,
    requirement_coins: String,
}

/// Serializes a value as its text.
fn collect_str<T: fmt::Display, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_str(value)
}

impl Requirement {
    fn at(network: Network, height: u64) -> Self {
        let requirement = staking_requirement(network, height);
        Requirement {
            network,
            height,
            hard_fork: hard_fork_at(network, height),
            requirement,
            requirement_coins: Amount(requirement).coins(),
        }
    }
}

impl fmt::Display for Requirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        field(f, "network", self.network)?;
        field(f, "height", self.height)?;
        field(f, "hard fork", self.hard_fork)?;
        field(f, "staking requirement", Amount(self.requirement))
    }
}

impl Report for Requirement {}

pub(crate) fn run(command: Command, out: &mut Output) -> Result<()> {
    match command {
        Command::Requirement { height, network } => out.print(&Requirement::at(network, height)),
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
            out.print(&check_registration(&bytes, &block));
        }
        Command::VerifyBls(args) => out.print(&staking_network::verify_bls(&args)?),
        Command::DecodeLog { topics, data } => {
            out.print(&staking_network::decode(&topics, &data)?);
        }
    }
    Ok(())
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
            // From HF16 the requirement depends on the hard fork alone. The library answers an
            // earlier fork as HF16, so the era boundary is checked here.
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

/// `staking check-registration`: the rules a registration breaks in a block, if any.
#[derive(Serialize)]
struct RegistrationCheck {
    valid: bool,
    #[serde(serialize_with = "hf_version")]
    hard_fork: HardFork,
    /// In atomic units.
    requirement: u64,
    block_timestamp: u64,
    /// What the registration says, when the tx_extra holds one and the node's key.
    registration: Option<RegistrationDetails>,
    /// Every rule that failed, in the order oxend checks them.
    failures: Vec<String>,
}

/// What a registration says.
#[derive(Serialize)]
struct RegistrationDetails {
    service_node_key: String,
    fee: u64,
    fee_unit: &'static str,
    amount_unit: &'static str,
    hf_or_expiration: u64,
    /// Reserved slots, operator first.
    contributors: Vec<Contributor>,
}

/// A reserved slot of a registration.
#[derive(Serialize)]
struct Contributor {
    spend_key: String,
    view_key: String,
    amount: u64,
}

impl fmt::Display for RegistrationCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        field(f, "hard fork", self.hard_fork)?;
        field(f, "staking requirement", Amount(self.requirement))?;
        field(f, "block timestamp", self.block_timestamp)?;
        if let Some(reg) = &self.registration {
            field(f, "service node key", &reg.service_node_key)?;
            field(f, "fee", format_args!("{} {}", reg.fee, reg.fee_unit))?;
            field(f, "hard fork or expiry", reg.hf_or_expiration)?;
            field(f, "contributors", reg.contributors.len())?;
            for c in &reg.contributors {
                writeln!(
                    f,
                    "  spend {} view {}: {} {}",
                    c.spend_key, c.view_key, c.amount, reg.amount_unit
                )?;
            }
        }
        if self.valid {
            writeln!(f, "valid: every registration rule passes")
        } else {
            writeln!(f, "invalid: {} rule(s) failed", self.failures.len())?;
            for failure in &self.failures {
                writeln!(f, "  - {failure}")?;
            }
            Ok(())
        }
    }
}

impl Report for RegistrationCheck {
    fn passed(&self) -> bool {
        self.valid
    }
}

fn check_registration(bytes: &[u8], block: &Block) -> RegistrationCheck {
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
    let mut details = None;
    if let (Some(reg), Some(key)) = (registration, extra.sn_pubkey.as_ref()) {
        if let Err(errors) =
            validate_registration(reg, key, block.hf, block.requirement, block.timestamp)
        {
            failures.extend(errors.iter().map(ToString::to_string));
        }
        let terms = reg.terms();
        let uses_portions = terms.uses_portions();
        details = Some(RegistrationDetails {
            service_node_key: encode_hex(&key.0),
            fee: terms.fee,
            fee_unit: if uses_portions {
                "portions"
            } else {
                "basis points"
            },
            amount_unit: if uses_portions {
                "portions"
            } else {
                "atomic units"
            },
            hf_or_expiration: terms.hf_or_expiration,
            contributors: terms
                .reserved
                .iter()
                .map(|slot| Contributor {
                    spend_key: encode_hex(&slot.address.spend.0),
                    view_key: encode_hex(&slot.address.view.0),
                    amount: slot.amount,
                })
                .collect(),
        });
    }
    RegistrationCheck {
        valid: failures.is_empty(),
        hard_fork: block.hf,
        requirement: block.requirement,
        block_timestamp: block.timestamp,
        registration: details,
        failures,
    }
}
