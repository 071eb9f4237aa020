//! `session swarm`: which swarm stores an account, and oxend's rebalancing of a node list.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use serde::{Deserialize as _, Serialize, Serializer};
use serde_json::Value;
use session_core::{AccountId, Ed25519PublicKey, Network, ServiceNode, SwarmId, X25519PublicKey};
use session_swarm::compat::seed_from_block_hash;
use session_swarm::{Policy, SwarmEvent, SwarmMap, check_oxend_input, swarm_space};

use crate::input;
use crate::output::{Output, Report, field};

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

Runs oxend's swarm rebalancing step once, bit for bit as the network does, on the nodes' current
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
            out.print(&rebalance(&nodes.nodes, seed, policy)?);
        }
        Command::Of { id, nodes } => out.print(&of(&id, &nodes.nodes)?),
    }
    Ok(())
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

/// A swarm member as reported.
#[derive(Serialize)]
struct Member {
    ed25519: String,
    x25519: Option<String>,
    /// `ip:port` of the storage server's HTTPS endpoint, when known.
    address: Option<String>,
}

impl From<&Node> for Member {
    fn from(node: &Node) -> Self {
        Member {
            ed25519: node.ed25519.to_string(),
            x25519: node.x25519.map(|k| k.to_string()),
            address: node.address.clone(),
        }
    }
}

impl fmt::Display for Member {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.ed25519)?;
        if let Some(address) = &self.address {
            write!(f, "  {address}")?;
        }
        Ok(())
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

/// A swarm ID as text: `none` for nodes without a swarm, else decimal and hex.
struct SwarmName(SwarmId);

impl fmt::Display for SwarmName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let SwarmName(swarm) = *self;
        if swarm.is_unassigned() {
            f.write_str("none")
        } else {
            write!(f, "{swarm} (0x{swarm:016x})")
        }
    }
}

/// Serializes a swarm ID as its number.
fn swarm_number<S: Serializer>(swarm: &SwarmId, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_u64(swarm.0)
}

/// `swarm of`: the swarm that stores an account's messages.
#[derive(Serialize)]
struct SwarmOf {
    id: String,
    #[serde(serialize_with = "swarm_number")]
    swarm_id: SwarmId,
    swarm_id_hex: String,
    /// The account's position in the swarm space.
    swarm_space: u64,
    members: Vec<Member>,
}

impl fmt::Display for SwarmOf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        field(f, "id", &self.id)?;
        field(f, "swarm", SwarmName(self.swarm_id))?;
        field(
            f,
            "swarm space position",
            format_args!("0x{:016x}", self.swarm_space),
        )?;
        field(f, "members", self.members.len())?;
        for member in &self.members {
            writeln!(f, "  {member}")?;
        }
        Ok(())
    }
}

impl Report for SwarmOf {}

fn of(id: &str, path: &Path) -> Result<SwarmOf> {
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
    Ok(SwarmOf {
        id: account.to_string(),
        swarm_id: swarm,
        swarm_id_hex: format!("{swarm:016x}"),
        swarm_space: space,
        members: members
            .iter()
            .filter_map(|k| by_key.get(k).map(|n| Member::from(*n)))
            .collect(),
    })
}

/// `swarm rebalance`: one step of oxend's rebalancing, its events and the swarms after it.
#[derive(Serialize)]
struct Rebalanced {
    seed: u64,
    nodes: usize,
    swarms_before: usize,
    swarms_after: usize,
    /// Why the node list is not in the shape oxend gives the step, when it is not.
    warning: Option<String>,
    events: Vec<Event>,
    /// Members of each swarm after the step, by swarm ID (`18446744073709551615`: no swarm).
    #[serde(serialize_with = "swarms_by_id")]
    swarms: BTreeMap<SwarmId, Vec<Ed25519PublicKey>>,
}

fn swarms_by_id<S: Serializer>(
    swarms: &BTreeMap<SwarmId, Vec<Ed25519PublicKey>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_map(swarms.iter().map(|(id, members)| {
        (
            id.0.to_string(),
            members.iter().map(ToString::to_string).collect::<Vec<_>>(),
        )
    }))
}

/// A change the step made.
#[derive(Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
enum Event {
    SwarmCreated {
        #[serde(serialize_with = "swarm_number")]
        swarm: SwarmId,
    },
    NodeJoined {
        node: String,
        #[serde(serialize_with = "swarm_number")]
        swarm: SwarmId,
    },
    NodeMoved {
        node: String,
        #[serde(serialize_with = "swarm_number")]
        from: SwarmId,
        #[serde(serialize_with = "swarm_number")]
        to: SwarmId,
    },
    SwarmDissolved {
        #[serde(serialize_with = "swarm_number")]
        swarm: SwarmId,
    },
    Other {
        description: String,
    },
}

impl From<&SwarmEvent<Ed25519PublicKey>> for Event {
    fn from(event: &SwarmEvent<Ed25519PublicKey>) -> Self {
        match event {
            SwarmEvent::SwarmCreated { swarm } => Event::SwarmCreated { swarm: *swarm },
            SwarmEvent::NodeJoined { node, swarm } => Event::NodeJoined {
                node: node.to_string(),
                swarm: *swarm,
            },
            SwarmEvent::NodeMoved { node, from, to } => Event::NodeMoved {
                node: node.to_string(),
                from: *from,
                to: *to,
            },
            SwarmEvent::SwarmDissolved { swarm } => Event::SwarmDissolved { swarm: *swarm },
            other => Event::Other {
                description: format!("{other:?}"),
            },
        }
    }
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::SwarmCreated { swarm } => write!(f, "swarm {} created", SwarmName(*swarm)),
            Event::NodeJoined { node, swarm } => {
                write!(f, "{node} joined swarm {}", SwarmName(*swarm))
            }
            Event::NodeMoved { node, from, to } => write!(
                f,
                "{node} moved from swarm {} to swarm {}",
                SwarmName(*from),
                SwarmName(*to)
            ),
            Event::SwarmDissolved { swarm } => write!(f, "swarm {} dissolved", SwarmName(*swarm)),
            Event::Other { description } => f.write_str(description),
        }
    }
}

impl fmt::Display for Rebalanced {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        field(f, "seed", self.seed)?;
        field(f, "nodes", self.nodes)?;
        field(f, "swarms before", self.swarms_before)?;
        field(f, "swarms after", self.swarms_after)?;
        if let Some(warning) = &self.warning {
            field(f, "warning", warning)?;
        }
        field(f, "events", self.events.len())?;
        for event in &self.events {
            writeln!(f, "  {event}")?;
        }
        writeln!(f, "swarms:")?;
        for (id, members) in &self.swarms {
            writeln!(f, "  {} ({} members)", SwarmName(*id), members.len())?;
            for member in members {
                writeln!(f, "    {member}")?;
            }
        }
        Ok(())
    }
}

impl Report for Rebalanced {}

fn rebalance(path: &Path, seed: u64, policy: Policy) -> Result<Rebalanced> {
    let nodes = read_nodes(path)?;
    let mut swarms = swarm_map(&nodes);
    let swarms_before = swarms.keys().filter(|id| !id.is_unassigned()).count();
    // Sorted and de-duplicated above, so only empty input can be off oxend's shape.
    let warning = check_oxend_input(&swarms).err().map(|e| e.to_string());
    let events = policy.calc_swarm_changes(&mut swarms, seed);
    Ok(Rebalanced {
        seed,
        nodes: nodes.len(),
        swarms_before,
        swarms_after: swarms.len(),
        warning,
        events: events.iter().map(Event::from).collect(),
        swarms,
    })
}
