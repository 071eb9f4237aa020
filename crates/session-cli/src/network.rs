//! `session send` and `session fetch`: a message to an account, or an account's messages,
//! over a 3-hop onion path through a running network, starting from one seed node whose
//! HTTPS address and certificate are given (a devnet on 127.0.0.1, for instance).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use chacha20::ChaCha20Rng;
use clap::Args;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, ClientConnection, RootCertStore, StreamOwned};
use serde_json::{Value, json};
use session_core::encoding::{decode_base64, encode_base64, encode_hex};
use session_core::{AccountId, Identity, Namespace, Network, ServiceNode, Timestamp};
use session_onion::EncType;
use session_onion::client::{Builder, Destination, Hop};
use session_onion::rand_core::{Rng as _, SeedableRng as _};

use std::fmt;

use serde::Serialize;

use crate::output::{Output, Report, field};

/// Longest reply read from a node.
const MAX_REPLY: u64 = 16 * 1024 * 1024;
/// Connect, read and write deadline of one HTTPS exchange.
const TIMEOUT: Duration = Duration::from_secs(30);
/// Hops of the onion path.
const PATH_LEN: usize = 3;
/// Attempts (each on a fresh path and swarm member) before giving up.
const ATTEMPTS: usize = 5;

/// Where to join the network.
#[derive(Debug, Args)]
pub(crate) struct Seed {
    /// The seed node's HTTPS address, IP:PORT.
    #[arg(long)]
    seed_node: SocketAddr,
    /// The network's TLS certificate (DER), trusted as the only root.
    #[arg(long)]
    cert: PathBuf,
}

/// `session send`.
#[derive(Debug, Args)]
#[command(
    after_help = "Example (a devnet node on 127.0.0.1:40000, its certificate in cert.der):
  session send --seed-node 127.0.0.1:40000 --cert cert.der \\
      --to 05d871fc80ca007eed9b2f4df72853e2a2d5465a92fcb1889fb5c84aa2833b3b40 'hello'"
)]
pub(crate) struct SendArgs {
    #[command(flatten)]
    seed: Seed,
    /// The recipient: a Session ID (05...) or another 66-digit account ID.
    #[arg(long)]
    to: String,
    /// How long the message is kept, in seconds.
    #[arg(long, default_value_t = 86_400)]
    ttl: u64,
    /// The message text.
    message: String,
}

/// `session fetch`.
#[derive(Debug, Args)]
pub(crate) struct FetchArgs {
    #[command(flatten)]
    seed: Seed,
    /// The account owner's 32-byte Ed25519 seed, hex: its Session ID is the account read.
    #[arg(long)]
    key: String,
}

// The command line is where time and randomness enter.
#[allow(clippy::disallowed_methods)]
fn now() -> Timestamp {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    Timestamp::from_millis(ms)
}

#[allow(clippy::disallowed_methods)]
fn rng() -> ChaCha20Rng {
    let mut seed = [0u8; 32];
    rand::rng().fill_bytes(&mut seed);
    ChaCha20Rng::from_seed(seed)
}

struct Net {
    tls: Arc<ClientConfig>,
    nodes: Vec<ServiceNode>,
}

fn tls_config(cert: &std::path::Path) -> Result<Arc<ClientConfig>> {
    let der = std::fs::read(cert).with_context(|| format!("reading {}", cert.display()))?;
    let mut roots = RootCertStore::empty();
    roots
        .add(CertificateDer::from(der))
        .context("the certificate is not DER")?;
    // ring, as the devnet's nodes use.
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(Arc::new(
        ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_root_certificates(roots)
            .with_no_client_auth(),
    ))
}

/// One HTTP/1.1 POST over TLS on a fresh connection: status and body.
fn post(
    tls: &Arc<ClientConfig>,
    addr: SocketAddr,
    path: &str,
    body: &[u8],
) -> Result<(u16, Vec<u8>)> {
    let tcp = TcpStream::connect_timeout(&addr, TIMEOUT)
        .with_context(|| format!("connecting to {addr}"))?;
    tcp.set_read_timeout(Some(TIMEOUT))?;
    tcp.set_write_timeout(Some(TIMEOUT))?;
    let conn = ClientConnection::new(Arc::clone(tls), ServerName::IpAddress(addr.ip().into()))?;
    let mut stream = StreamOwned::new(conn, tcp);
    let head = format!(
        "POST {path} HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/octet-stream\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    stream.flush()?;
    let mut raw = Vec::new();
    match (&mut stream).take(MAX_REPLY).read_to_end(&mut raw) {
        Ok(_) => {}
        // A peer that closes without TLS close_notify after a complete reply.
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof && !raw.is_empty() => {}
        Err(e) => return Err(e).with_context(|| format!("reading the reply of {addr}")),
    }
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| anyhow!("{addr} sent no HTTP reply"))?;
    let (head, rest) = raw.split_at(split);
    let head = String::from_utf8_lossy(head);
    let status: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| anyhow!("{addr} sent no HTTP status"))?;
    let mut body = rest.get(4..).unwrap_or_default().to_vec();
    let length = head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim()
            .eq_ignore_ascii_case("content-length")
            .then(|| v.trim().parse::<usize>().ok())?
    });
    if let Some(n) = length {
        body.truncate(n);
    }
    Ok((status, body))
}

impl Net {
    /// Joins through the seed node: its view of the active nodes (`active_nodes_bin`).
    fn join(seed: &Seed) -> Result<Self> {
        let tls = tls_config(&seed.cert)?;
        let (status, body) = post(
            &tls,
            seed.seed_node,
            "/storage_rpc/v1",
            br#"{"method":"active_nodes_bin","params":{}}"#,
        )?;
        if status != 200 {
            bail!(
                "the seed node answered {status}: {}",
                String::from_utf8_lossy(&body)
            );
        }
        let blob =
            decode_base64(&body, MAX_REPLY as usize).context("the node list is not base64")?;
        let mut nodes = Vec::new();
        for n in session_core::decode_active_nodes(&blob)? {
            nodes.push(ServiceNode {
                ed25519: n.ed25519,
                x25519: session_core::identity::x25519_from_ed25519(&n.ed25519)?,
                ip: n.ip,
                https_port: n.https_port,
                omq_port: n.quic_port,
                swarm_id: n.swarm_id,
                version: None,
            });
        }
        if nodes.len() < PATH_LEN + 1 {
            bail!(
                "the network has {} nodes: too few for a {PATH_LEN}-hop path",
                nodes.len()
            );
        }
        Ok(Net { tls, nodes })
    }

    fn swarm(&self, account: &AccountId) -> Vec<ServiceNode> {
        let map = session_swarm::SwarmMap::from_service_nodes(self.nodes.iter().copied());
        map.members_for_space(session_swarm::swarm_space(account.key()))
            .map(|(_, m)| m.to_vec())
            .unwrap_or_default()
    }

    /// One request to a member of `account`'s swarm over a fresh path, retried on other paths
    /// and members: the member's JSON reply.
    fn request(&self, account: &AccountId, body: impl Fn() -> Vec<u8>) -> Result<Value> {
        let mut rng = rng();
        let swarm = self.swarm(account);
        let mut last = anyhow!("the account has no swarm");
        for _ in 0..ATTEMPTS {
            let Some(target) = pick(&swarm, &mut rng) else {
                break;
            };
            let others: Vec<ServiceNode> = self
                .nodes
                .iter()
                .filter(|n| n.ed25519 != target.ed25519)
                .copied()
                .collect();
            let mut path: Vec<ServiceNode> = Vec::new();
            for _ in 0..PATH_LEN {
                let rest: Vec<ServiceNode> = others
                    .iter()
                    .filter(|n| !path.iter().any(|p| p.ed25519 == n.ed25519))
                    .copied()
                    .collect();
                if let Some(n) = pick(&rest, &mut rng) {
                    path.push(n);
                }
            }
            let Some(guard) = path.first().copied() else {
                break;
            };
            let onion = Builder::new(EncType::XChaCha20)
                .hops(path.iter().map(Hop::from))
                .build(&Destination::node(Hop::from(&target)), &body(), &mut rng)?;
            match post(
                &self.tls,
                SocketAddr::from((guard.ip, guard.https_port)),
                "/onion_req/v2",
                onion.request(),
            ) {
                Ok((200, reply)) => {
                    let reply = onion.reply_key().decode_v3(&reply)?;
                    let inner = match reply.body {
                        Some(Value::String(s)) => {
                            serde_json::from_str(&s).unwrap_or(Value::String(s))
                        }
                        Some(v) => v,
                        None => Value::Null,
                    };
                    match reply.status {
                        Some(200) => return Ok(inner),
                        status => last = anyhow!("the swarm member answered {status:?}: {inner}"),
                    }
                }
                Ok((status, reply)) => {
                    last = anyhow!(
                        "the path answered {status}: {}",
                        String::from_utf8_lossy(&reply)
                    );
                }
                Err(e) => last = e,
            }
        }
        Err(last)
    }
}

fn pick(items: &[ServiceNode], rng: &mut ChaCha20Rng) -> Option<ServiceNode> {
    if items.is_empty() {
        return None;
    }
    let i = usize::try_from(rng.next_u64() % items.len() as u64).ok()?;
    items.get(i).copied()
}

pub(crate) fn send(args: SendArgs, out: &mut Output) -> Result<()> {
    let account = AccountId::parse(&args.to, Network::Mainnet).map_err(|e| anyhow!("--to: {e}"))?;
    let net = Net::join(&args.seed)?;
    let data = encode_base64(args.message.as_bytes());
    let reply = net.request(&account, || {
        json!({"method": "store", "params": {
            "pubkey": account.to_string(),
            "timestamp": now().as_millis(),
            "ttl": args.ttl.saturating_mul(1000),
            "data": data,
        }})
        .to_string()
        .into_bytes()
    })?;
    let hash = reply
        .get("hash")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    out.print(&Stored {
        hash,
        account: account.to_string(),
    });
    Ok(())
}

pub(crate) fn fetch(args: FetchArgs, out: &mut Output) -> Result<()> {
    let seed = crate::input::hex_array::<32>(&args.key, "--key")?;
    let identity = Identity::from_seed_bytes(&seed)?;
    let account = AccountId::new(0x05, *identity.x25519_public().as_bytes());
    let net = Net::join(&args.seed)?;
    let reply = net.request(&account, || {
        let t = now();
        let sig = identity.sign(&session_storage::policy::payload::retrieve(Namespace(0), t));
        json!({"method": "retrieve", "params": {
            "pubkey": account.to_string(),
            "pubkey_ed25519": encode_hex(identity.ed25519_public().as_bytes()),
            "timestamp": t.as_millis(),
            "signature": encode_base64(&sig),
        }})
        .to_string()
        .into_bytes()
    })?;
    let messages = reply
        .get("messages")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut list = Vec::new();
    for m in &messages {
        let data = m.get("data").and_then(Value::as_str).unwrap_or_default();
        let bytes = decode_base64(data.as_bytes(), data.len()).unwrap_or_default();
        list.push(Fetched {
            hash: m
                .get("hash")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            data: String::from_utf8_lossy(&bytes).into_owned(),
        });
    }
    out.print(&Messages {
        account: account.to_string(),
        messages: list,
    });
    Ok(())
}

/// What `session send` prints: the stored message's hash and its account.
#[derive(Serialize)]
struct Stored {
    hash: String,
    account: String,
}

impl fmt::Display for Stored {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        field(f, "stored", &self.hash)?;
        field(f, "account", &self.account)
    }
}

impl Report for Stored {}

/// One message of `session fetch`: its hash and its data as text.
#[derive(Serialize)]
struct Fetched {
    hash: String,
    data: String,
}

/// What `session fetch` prints: the account and its messages.
#[derive(Serialize)]
struct Messages {
    account: String,
    messages: Vec<Fetched>,
}

impl fmt::Display for Messages {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        field(f, "account", &self.account)?;
        field(f, "messages", self.messages.len())?;
        for message in &self.messages {
            writeln!(f, "  {}", message.data)?;
        }
        Ok(())
    }
}

impl Report for Messages {}
