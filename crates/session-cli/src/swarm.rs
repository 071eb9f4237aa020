//! `session swarm`: which swarm stores an account, and oxend's rebalancing of a node list.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use serde::Deserialize as _;
use serde_json::{Value, json};
use session_core::{AccountId, Ed25519PublicKey, Network, ServiceNode, SwarmId, X25519PublicKey};
use session_swarm::compat::seed_from_block_hash;
use session_swarm::{Policy, SwarmEvent, SwarmMap, check_oxend_input, swarm_space};

use crate::input;
use crate::output::{Output, Text};

const NODES_FORMAT: &str = "\
The nodes file is JSON, one of:
  - oxend's get_service_nodes answer: {\"result\": {\"service_node_states\": [...]}}, or the
    object inside \"result\", or the list of records itself; each record is read for
    pubkey_ed25519, pubkey_x25519, public_ip, storage_port, storage_lmq_port and swarm_id
    (other fields are ignored);
  - a simple list: [{\"ed25519\": \"<hex>\", \"swarm_id\": 123}, ...] (swarm_id a number or a
    decimal string; omitted or null for a node without a swarm; \"x25519\" optional), where an
    entry may also be a bare Ed25519 key in hex (a node without a swarm).
Records of both kinds may be mixed. `-` reads the file from standard input.";

const OF_EXAMPLES: &str = "\
Examples:
  session swarm of 054830367d369d94605247999a375dbd0a0f65fdec5de1535612bcb6d4de452c69 --nodes nodes.json
  curl -s http://localhost:22023/json_rpc -d '{\"method\":\"get_service_nodes\"}' \\
    | session --json swarm of 0548...2c69 --nodes -";

const REBALANCE_EXAMPLES: &str = "\
Examples:
  session swarm rebalance --nodes nodes.json --seed 3a1f...(64 hex characters: the block hash)
  session --json swarm rebalance --nodes nodes.json --seed-u64 8

Runs oxend's calc_swarm_changes once, bit for bit as the network does, on the nodes' current
swarms (nodes without a swarm are the new and recommissioned ones), and prints each event and
the resulting swarms. The seed is the first 8 bytes (little-endian) of the block hash.";

/// Swarm commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Which swarm stores an account's messages, and its members.
    #[command(after_help = format!("{OF_EXAMPLES}\n\n{NODES_FORMAT}"))]
    Of {
        /// The Session ID (66 hex characters, any prefix) or bare 32-byte key (64).
        id: String,
        #[command(flatten)]
        nodes: NodesArg,
    },
    /// Run one oxend rebalancing step on a node list and print what changes.
    #[command(after_help = format!("{REBALANCE_EXAMPLES}\n\n{NODES_FORMAT}"))]
    Rebalance {
        #[command(flatten)]
        nodes: NodesArg,
        /// The block hash (64 hex characters) whose first 8 bytes seed the step.
        #[arg(
            long,
            conflicts_with = "seed_u64",
            required_unless_present = "seed_u64"
        )]
        seed: Option<String>,
        /// The seed itself, as oxend's std::mt19937_64 takes it.
        #[arg(long)]
        seed_u64: Option<u64>,
        /// oxend's exact rules (default) or the same rules with a stable tie order.
        #[arg(long, value_enum, default_value_t = PolicyArg::Oxend)]
        policy: PolicyArg,
    },
}

/// The nodes file option.
#[derive(Debug, Args)]
pub(crate) struct NodesArg {
    /// The nodes file (JSON; see below), or `-` for stdin.
    #[arg(long, value_name = "FILE")]
    nodes: PathBuf,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum PolicyArg {
    /// Bit-exact with oxend (libstdc++ std::sort tie order).
    Oxend,
    /// Stable tie order, indexed; for simulations of very large networks.
    Scalable,
}

pub(crate) fn run(command: Command, out: &mut Output) -> Result<()> {
    match command {
        Command::Of { id, nodes } => of(&id, &nodes.nodes, out),
        Command::Rebalance {
            nodes,
            seed,
            seed_u64,
            policy,
        } => {
            let seed = match (seed, seed_u64) {
                (Some(hash), _) => {
                    seed_from_block_hash(&input::hex_array::<32>(&hash, "--seed (block hash)")?)
                }
                (None, Some(seed)) => seed,
                (None, None) => {
                    bail!("give the block hash with --seed or the seed with --seed-u64")
                }
            };
            let policy = match policy {
                PolicyArg::Oxend => Policy::OxendCompat,
                PolicyArg::Scalable => Policy::Scalable,
            };
            rebalance(&nodes.nodes, seed, policy, out)
        }
    }
}

/// One node of a nodes file.
#[derive(Debug, Clone)]
struct Node {
    ed25519: Ed25519PublicKey,
    x25519: Option<X25519PublicKey>,
    /// `ip:port` of the storage server's HTTPS endpoint, when known.
    address: Option<String>,
    swarm: SwarmId,
}

impl Node {
    fn to_json(&self) -> Value {
        json!({
            "ed25519": self.ed25519.to_string(),
            "x25519": self.x25519.map(|k| k.to_string()),
            "address": self.address,
        })
    }

    fn to_text(&self) -> String {
        let mut line = self.ed25519.to_string();
        if let Some(address) = &self.address {
            line.push_str("  ");
            line.push_str(address);
        }
        line
    }
}

fn read_nodes(path: &Path) -> Result<Vec<Node>> {
    let text = input::read_text(path)?;
    let document: Value =
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
    let entries = match document {
        Value::Array(entries) => entries,
        Value::Object(mut map) => {
            let states = match map.remove("result") {
                Some(Value::Object(mut result)) => result.remove("service_node_states"),
                _ => map.remove("service_node_states"),
            };
            match states {
                Some(Value::Array(entries)) => entries,
                _ => bail!(
                    "{}: expected a list of nodes or get_service_nodes' answer with \
                     \"service_node_states\"",
                    path.display()
                ),
            }
        }
        _ => bail!("{}: expected a list of nodes", path.display()),
    };
    let mut nodes = Vec::with_capacity(entries.len());
    let mut seen: BTreeMap<Ed25519PublicKey, usize> = BTreeMap::new();
    for (index, entry) in entries.into_iter().enumerate() {
        let node =
            read_node(entry).with_context(|| format!("node {index} of {}", path.display()))?;
        if let Some(first) = seen.insert(node.ed25519, index) {
            bail!(
                "{}: node {} is listed twice (entries {first} and {index})",
                path.display(),
                node.ed25519
            );
        }
        nodes.push(node);
    }
    Ok(nodes)
}

fn read_node(entry: Value) -> Result<Node> {
    match entry {
        Value::String(key) => Ok(Node {
            ed25519: key.parse().context("invalid Ed25519 key")?,
            x25519: None,
            address: None,
            swarm: SwarmId::UNASSIGNED,
        }),
        Value::Object(map) if map.contains_key("pubkey_ed25519") => {
            let node = ServiceNode::deserialize(Value::Object(map))
                .context("invalid get_service_nodes record")?;
            let address =
                (!node.ip.is_unspecified()).then(|| format!("{}:{}", node.ip, node.https_port));
            Ok(Node {
                ed25519: node.ed25519,
                x25519: Some(node.x25519),
                address,
                swarm: node.swarm_id,
            })
        }
        Value::Object(map) => {
            let ed25519 = match map.get("ed25519") {
                Some(Value::String(key)) => key.parse().context("invalid \"ed25519\" key")?,
                _ => bail!(
                    "expected \"pubkey_ed25519\" (an oxend record) or \"ed25519\" (a simple record)"
                ),
            };
            let x25519 = match map.get("x25519") {
                None | Some(Value::Null) => None,
                Some(Value::String(key)) => Some(key.parse().context("invalid \"x25519\" key")?),
                Some(_) => bail!("\"x25519\" must be a hex string"),
            };
            let swarm = match map.get("swarm_id") {
                None | Some(Value::Null) => SwarmId::UNASSIGNED,
                Some(Value::Number(n)) => SwarmId(
                    n.as_u64()
                        .context("\"swarm_id\" is not a 64-bit unsigned integer")?,
                ),
                Some(Value::String(s)) => SwarmId(
                    s.parse()
                        .context("\"swarm_id\" is not a decimal 64-bit unsigned integer")?,
                ),
                Some(_) => bail!("\"swarm_id\" must be a number or a decimal string"),
            };
            Ok(Node {
                ed25519,
                x25519,
                address: None,
                swarm,
            })
        }
        _ => bail!("expected an object or an Ed25519 key"),
    }
}

/// The swarm map oxend builds: members in ascending key order, nodes without a swarm under
/// [`SwarmId::UNASSIGNED`].
fn swarm_map(nodes: &[Node]) -> BTreeMap<SwarmId, Vec<Ed25519PublicKey>> {
    let mut swarms: BTreeMap<SwarmId, Vec<Ed25519PublicKey>> = BTreeMap::new();
    for node in nodes {
        swarms.entry(node.swarm).or_default().push(node.ed25519);
    }
    for members in swarms.values_mut() {
        members.sort();
    }
    swarms
}

fn swarm_name(swarm: SwarmId) -> String {
    if swarm.is_unassigned() {
        "none".to_owned()
    } else {
        format!("{swarm} (0x{swarm:016x})")
    }
}

fn of(id: &str, path: &Path, out: &mut Output) -> Result<()> {
    // Any prefix, or a bare key: the swarm depends on the 32 key bytes only.
    let account = AccountId::parse(id.trim(), Network::Testnet).context("invalid Session ID")?;
    let nodes = read_nodes(path)?;
    let by_key: BTreeMap<Ed25519PublicKey, &Node> = nodes.iter().map(|n| (n.ed25519, n)).collect();
    let map = SwarmMap::new(swarm_map(&nodes));
    let space = swarm_space(account.key());
    let Some((swarm, members)) = map.members_for_space(space) else {
        bail!(
            "{} has no node in a swarm ({} nodes, none assigned)",
            path.display(),
            nodes.len()
        );
    };
    let members: Vec<&Node> = members
        .iter()
        .filter_map(|k| by_key.get(k).copied())
        .collect();
    let mut text = Text::new();
    text.field("swarm", swarm_name(swarm))
        .field("swarm space position", format_args!("0x{space:016x}"))
        .field("members", members.len());
    for member in &members {
        text.line(format_args!("  {}", member.to_text()));
    }
    out.print(
        &json!({
            "id": account.to_string(),
            "swarm_id": swarm.0,
            "swarm_id_hex": format!("{swarm:016x}"),
            "swarm_space": space,
            "members": members.iter().map(|m| m.to_json()).collect::<Vec<_>>(),
        }),
        &text,
    );
    Ok(())
}

fn rebalance(path: &Path, seed: u64, policy: Policy, out: &mut Output) -> Result<()> {
    let nodes = read_nodes(path)?;
    let mut swarms = swarm_map(&nodes);
    let swarms_before = swarms.keys().filter(|id| !id.is_unassigned()).count();
    // Sorted and de-duplicated above, so only empty input can be off oxend's shape.
    let warning = check_oxend_input(&swarms).err().map(|e| e.to_string());
    let events = policy.calc_swarm_changes(&mut swarms, seed);

    let mut text = Text::new();
    text.field("seed", seed)
        .field("nodes", nodes.len())
        .field("swarms before", swarms_before)
        .field("swarms after", swarms.len());
    if let Some(warning) = &warning {
        text.field("warning", warning);
    }
    text.field("events", events.len());
    let events_json: Vec<Value> = events
        .iter()
        .map(|event| event_json(event, &mut text))
        .collect();
    text.line("swarms:");
    let mut swarms_json = serde_json::Map::new();
    for (id, members) in &swarms {
        text.line(format_args!(
            "  {} ({} members)",
            swarm_name(*id),
            members.len()
        ));
        for member in members {
            text.line(format_args!("    {member}"));
        }
        swarms_json.insert(
            id.0.to_string(),
            json!(members.iter().map(ToString::to_string).collect::<Vec<_>>()),
        );
    }
    out.print(
        &json!({
            "seed": seed,
            "nodes": nodes.len(),
            "swarms_before": swarms_before,
            "warning": warning,
            "events": events_json,
            "swarms": swarms_json,
        }),
        &text,
    );
    Ok(())
}

fn event_json(event: &SwarmEvent<Ed25519PublicKey>, text: &mut Text) -> Value {
    match event {
        SwarmEvent::SwarmCreated { swarm } => {
            text.line(format_args!("  swarm {} created", swarm_name(*swarm)));
            json!({ "event": "swarm_created", "swarm": swarm.0 })
        }
        SwarmEvent::NodeJoined { node, swarm } => {
            text.line(format_args!("  {node} joined swarm {}", swarm_name(*swarm)));
            json!({ "event": "node_joined", "node": node.to_string(), "swarm": swarm.0 })
        }
        SwarmEvent::NodeMoved { node, from, to } => {
            text.line(format_args!(
                "  {node} moved from swarm {} to swarm {}",
                swarm_name(*from),
                swarm_name(*to)
            ));
            json!({ "event": "node_moved", "node": node.to_string(), "from": from.0, "to": to.0 })
        }
        SwarmEvent::SwarmDissolved { swarm } => {
            text.line(format_args!("  swarm {} dissolved", swarm_name(*swarm)));
            json!({ "event": "swarm_dissolved", "swarm": swarm.0 })
        }
        other => {
            text.line(format_args!("  {other:?}"));
            json!({ "event": "other", "description": format!("{other:?}") })
        }
    }
}
