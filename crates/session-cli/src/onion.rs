//! `session onion`: build onion requests, peel layers with a node key, answer and read replies.

use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, anyhow, bail};
use chacha20::ChaCha20Rng;
use clap::{Args, Subcommand, ValueEnum};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;
use session_core::encoding::{decode_hex, encode_hex};
use session_core::identity::x25519_from_ed25519;
use session_core::{Ed25519PublicKey, X25519PublicKey};
use session_onion::client::{
    Builder, Destination, Hop, Onion, Protocol, ReplyKey, Server, v4_request,
};
use session_onion::node::OpenedRequest;
use session_onion::node::{self, ReplyBody, Route};
use session_onion::rand_core::SeedableRng as _;
use session_onion::{EncType, NodeKey, OpenOptions};
use zeroize::Zeroizing;

use crate::input;
use crate::output::{Output, Report, Shown, field};
use crate::random;

const BUILD_EXAMPLES: &str = "\
Examples:
  session onion build --hop ED1 --hop ED2 --hop ED3 --to-node ED4 \\
      --payload '{\"method\":\"info\",\"params\":{}}' --out onion.bin --reply-state reply.json
  session --json onion build --cipher aes-gcm --hop ED1:X1 --hop ED2:X2 \\
      --to-server open.getsession.org --server-key X --method GET --endpoint /rooms --out onion.bin

A hop or node destination is the node's Ed25519 key (pubkey_ed25519), optionally followed by
`:` and its X25519 key (pubkey_x25519); without it the X25519 key is derived from the Ed25519
key, as service nodes derive theirs. The request goes to --out (binary), or is printed in hex.
--reply-state writes what `onion reply decrypt` needs to read the reply: it is secret (anyone
holding it reads the reply), and the file is created readable by its owner only.";

const PEEL_EXAMPLES: &str = "\
Examples:
  session onion peel --key-file key_x25519 onion.bin --out next.bin
  session --json onion peel --key 207e5d97e761300f96c10adc11efdd6d5c15188a9a7682ec05b30ca017e9b447 next.bin

Opens one layer the way a node does: the request a guard receives, or the message the previous
node forwards. It prints what the node sees: the next node (and writes the message to forward
to it to --out), the server to relay to (and writes what to send it to --out), or, at the
destination, the request itself.";

const REPLY_BUILD_EXAMPLES: &str = "\
Examples:
  session onion reply build --key-file key_x25519 last.bin --status 200 --body 'hello' --out reply.bin

Opens the layer with the destination's key, checks that this node is the destination, and
encrypts the answer as a storage server (v3 reply) or a server behind /oxen/v4/lsrpc (v4 reply)
does.";

const REPLY_DECRYPT_EXAMPLES: &str = "\
Examples:
  session onion reply decrypt --state reply.json reply.bin
  session --json onion reply decrypt --state reply.json - < reply.bin";

const KEY_HELP: &str = "\
Keys: the 32-byte X25519 secret key (oxend's key_x25519) or the 64-byte Ed25519 secret key
(oxend's key_ed25519), as hex with --key, or in a file (raw bytes or hex) with --key-file.
Binary inputs may also be given in hex; `-` reads standard input.";

/// Onion-request commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Build an onion request through a path of nodes to a node or a server.
    #[command(after_help = BUILD_EXAMPLES)]
    Build(BuildArgs),
    /// Open one layer with a node's key and say what the node sees.
    #[command(after_help = format!("{PEEL_EXAMPLES}\n\n{KEY_HELP}"))]
    Peel {
        #[command(flatten)]
        key: KeyArgs,
        /// The request or forwarded message (binary or hex), or `-` for stdin.
        input: PathBuf,
        /// Where to write what the node sends on (the forward message or the server's request).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Answer a request at its destination, or read the answer as the client.
    #[command(subcommand)]
    Reply(ReplyCommand),
}

/// Reply commands.
#[derive(Debug, Subcommand)]
pub(crate) enum ReplyCommand {
    /// Encrypt the destination's answer to a request (the destination's side).
    #[command(after_help = format!("{REPLY_BUILD_EXAMPLES}\n\n{KEY_HELP}"))]
    Build {
        #[command(flatten)]
        key: KeyArgs,
        /// The layer the destination received (binary or hex), or `-` for stdin.
        input: PathBuf,
        /// HTTP status of the answer.
        #[arg(long, default_value_t = 200)]
        status: u16,
        /// Body of the answer (text).
        #[arg(long, default_value = "", conflicts_with = "body_file")]
        body: String,
        /// Body of the answer from a file.
        #[arg(long, value_name = "FILE")]
        body_file: Option<PathBuf>,
        /// The body is JSON: embed it as JSON rather than as a string (v3 replies).
        #[arg(long)]
        json_body: bool,
        /// Where to write the reply; printed (in hex, or as text for base64 replies) otherwise.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Decrypt the destination's answer with the state `onion build --reply-state` wrote.
    #[command(after_help = REPLY_DECRYPT_EXAMPLES)]
    Decrypt {
        /// The reply state file written by `onion build --reply-state`.
        #[arg(long, value_name = "FILE")]
        state: PathBuf,
        /// The reply as received (binary, base64 or hex), or `-` for stdin.
        input: PathBuf,
    },
}

/// A node key from the command line.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub(crate) struct KeyArgs {
    /// The node's secret key in hex.
    #[arg(long)]
    key: Option<String>,
    /// A file holding the node's secret key (raw bytes or hex).
    #[arg(long, value_name = "FILE")]
    key_file: Option<PathBuf>,
}

impl KeyArgs {
    fn node_key(&self) -> Result<NodeKey> {
        input::node_key(self.key.as_deref(), self.key_file.as_deref())
    }
}

/// The cipher of every layer.
#[derive(Debug, Clone, Copy, ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Cipher {
    /// XChaCha20-Poly1305 (libsession's default).
    Xchacha20,
    /// AES-256-GCM (what older clients send).
    AesGcm,
}

impl From<Cipher> for EncType {
    fn from(cipher: Cipher) -> Self {
        match cipher {
            Cipher::Xchacha20 => EncType::XChaCha20,
            Cipher::AesGcm => EncType::AesGcm,
        }
    }
}

/// `onion build` arguments.
#[derive(Debug, Args)]
pub(crate) struct BuildArgs {
    /// A node of the path, guard first: `ED25519[:X25519]` in hex. Repeat for each hop (1 to 15).
    #[arg(long = "hop", required = true, value_name = "ED25519[:X25519]")]
    hops: Vec<String>,
    /// A service node as destination (storage RPC payload; v3 reply).
    #[arg(
        long,
        value_name = "ED25519[:X25519]",
        required_unless_present = "to_server"
    )]
    to_node: Option<String>,
    /// A server behind the last hop as destination (v4 request and reply).
    #[arg(
        long,
        value_name = "HOST",
        conflicts_with = "to_node",
        requires = "server_key"
    )]
    to_server: Option<String>,
    /// The server's X25519 public key (hex).
    #[arg(long, value_name = "X25519")]
    server_key: Option<String>,
    /// Protocol from the last hop to the server.
    #[arg(long, value_enum, default_value_t = ProtocolArg::Https)]
    protocol: ProtocolArg,
    /// Port of the server (default: the protocol's).
    #[arg(long)]
    port: Option<u16>,
    /// For a server: build the v4 request for this endpoint (the payload becomes its body).
    #[arg(long, requires = "to_server")]
    endpoint: Option<String>,
    /// For a server: HTTP method of the v4 request.
    #[arg(long, default_value = "GET", requires = "endpoint")]
    method: String,
    /// For a server: a header of the v4 request, NAME:VALUE (repeatable).
    #[arg(long = "header", value_name = "NAME:VALUE", requires = "endpoint")]
    headers: Vec<String>,
    /// The destination's payload as text (a storage RPC for a node).
    #[arg(long, conflicts_with = "payload_file")]
    payload: Option<String>,
    /// The destination's payload from a file (`-` for stdin).
    #[arg(long, value_name = "FILE")]
    payload_file: Option<PathBuf>,
    /// Cipher of every layer.
    #[arg(long, value_enum, default_value_t = Cipher::Xchacha20)]
    cipher: Cipher,
    /// Where to write the request (binary); printed in hex otherwise.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Where to write the state that decrypts the reply (secret).
    #[arg(long, value_name = "FILE")]
    reply_state: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ProtocolArg {
    Http,
    Https,
}

pub(crate) fn run(command: Command, out: &mut Output) -> Result<()> {
    match command {
        Command::Build(args) => out.print(&build(&args)?),
        Command::Peel {
            key,
            input,
            out: to,
        } => out.print(&peel(&key.node_key()?, &input, to.as_deref())?),
        Command::Reply(ReplyCommand::Build {
            key,
            input,
            status,
            body,
            body_file,
            json_body,
            out: to,
        }) => {
            let body = match body_file {
                Some(path) => input::read_bytes(&path)?,
                None => Zeroizing::new(body.into_bytes()),
            };
            let answer = Answer {
                status,
                body: &body,
                json: json_body,
            };
            out.print(&reply_build(
                &key.node_key()?,
                &input,
                &answer,
                to.as_deref(),
            )?);
        }
        Command::Reply(ReplyCommand::Decrypt { state, input }) => {
            out.print(&reply_decrypt(&state, &input)?);
        }
    }
    Ok(())
}

/// `ED25519[:X25519]` as a hop.
fn parse_hop(text: &str) -> Result<Hop> {
    let (ed, x) = match text.split_once(':') {
        Some((ed, x)) => (ed, Some(x)),
        None => (text, None),
    };
    let ed25519: Ed25519PublicKey = ed
        .trim()
        .parse()
        .with_context(|| format!("invalid Ed25519 key in {text:?}"))?;
    let x25519 = match x {
        Some(x) => x
            .trim()
            .parse()
            .with_context(|| format!("invalid X25519 key in {text:?}"))?,
        None => x25519_from_ed25519(&ed25519).with_context(|| {
            format!("{text:?}: cannot derive an X25519 key (give it as ED25519:X25519)")
        })?,
    };
    Ok(Hop::new(ed25519, x25519))
}

fn hop_text(hop: &Hop) -> String {
    format!("{}:{}", hop.ed25519, hop.x25519)
}

/// What `onion reply decrypt` needs: the reply key of the innermost layer.
#[derive(Serialize, Deserialize)]
struct ReplyState {
    format: String,
    cipher: Cipher,
    /// The innermost layer's X25519 shared secret, hex.
    shared_secret: String,
    /// The innermost ephemeral public key (the client's side of the layer).
    ephemeral_public: String,
    /// The destination's X25519 public key.
    destination_public: String,
    /// How the destination answers: `v3` (a node) or `v4` (a server).
    reply: ReplyFormat,
}

#[derive(Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum ReplyFormat {
    V3,
    V4,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum StateDestination {
    Node(String),
    Server {
        host: String,
        protocol: ProtocolArg,
        port: Option<u16>,
        x25519: String,
    },
}

const STATE_FORMAT: &str = "session-cli onion reply state 2";

impl StateDestination {
    fn destination(&self) -> Result<Destination> {
        Ok(match self {
            StateDestination::Node(hop) => Destination::node(parse_hop(hop)?),
            StateDestination::Server {
                host,
                protocol,
                port,
                x25519,
            } => Destination::server(server(host, x25519, *protocol, *port)?),
        })
    }
}

fn server(host: &str, key: &str, protocol: ProtocolArg, port: Option<u16>) -> Result<Server> {
    let x25519: X25519PublicKey = key.trim().parse().context("invalid server X25519 key")?;
    let mut server = Server::new(host, x25519).protocol(match protocol {
        ProtocolArg::Http => Protocol::Http,
        ProtocolArg::Https => Protocol::Https,
    });
    if let Some(port) = port {
        server = server.port(port);
    }
    Ok(server)
}

fn build_onion(
    cipher: Cipher,
    hops: &[Hop],
    destination: &Destination,
    payload: &[u8],
    secret: &[u8; 32],
) -> Result<Onion> {
    let mut rng = ChaCha20Rng::from_seed(*secret);
    Builder::new(cipher.into())
        .hops(hops.iter().copied())
        .build(destination, payload, &mut rng)
        .context("cannot build the onion")
}

/// Serializes a cipher as its name (`xchacha20`, `aes-gcm`).
fn cipher_name<S: Serializer>(cipher: &EncType, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(cipher.name())
}

/// `onion build`: the request, and what a reader of it learns.
#[derive(Serialize)]
struct Built {
    #[serde(serialize_with = "cipher_name")]
    cipher: EncType,
    /// The path, guard first: `ED25519:X25519`.
    hops: Vec<String>,
    /// Bytes of the request.
    size: usize,
    /// The client's ephemeral key of the innermost layer.
    reply_ephemeral_public: String,
    /// The file the request was written to.
    #[serde(skip_serializing_if = "Option::is_none")]
    written_to: Option<String>,
    /// The request, when not written to a file.
    #[serde(skip_serializing_if = "Option::is_none")]
    request_hex: Option<String>,
}

impl fmt::Display for Built {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        field(f, "cipher", self.cipher)?;
        field(f, "hops", self.hops.len())?;
        for hop in &self.hops {
            writeln!(f, "  {hop}")?;
        }
        field(f, "size", format_args!("{} bytes", self.size))?;
        field(f, "reply ephemeral key", &self.reply_ephemeral_public)?;
        if let Some(path) = &self.written_to {
            field(f, "written to", path)?;
        }
        if let Some(hex) = &self.request_hex {
            field(f, "request", hex)?;
        }
        Ok(())
    }
}

impl Report for Built {}

/// Where a command's binary output went.
enum Sent {
    /// Written to this file.
    File(String),
    /// Kept for the report: as text, or in hex.
    Shown(String),
}

impl Sent {
    fn file(&self) -> Option<String> {
        match self {
            Sent::File(path) => Some(path.clone()),
            Sent::Shown(_) => None,
        }
    }

    fn shown(self) -> Option<String> {
        match self {
            Sent::File(_) => None,
            Sent::Shown(text) => Some(text),
        }
    }
}

/// Writes `bytes` to `to`, or keeps them for the report: as they are when `as_text` and they
/// are UTF-8, in hex otherwise.
fn write_or_show(to: Option<&Path>, bytes: &[u8], as_text: bool) -> Result<Sent> {
    Ok(match to {
        Some(path) => {
            input::write_bytes(path, bytes)?;
            Sent::File(path.display().to_string())
        }
        None => Sent::Shown(match std::str::from_utf8(bytes) {
            Ok(utf8) if as_text => utf8.to_owned(),
            _ => encode_hex(bytes),
        }),
    })
}

fn build(args: &BuildArgs) -> Result<Built> {
    let hops = args
        .hops
        .iter()
        .map(|h| parse_hop(h))
        .collect::<Result<Vec<_>>>()?;
    let mut payload = match (&args.payload, &args.payload_file) {
        (Some(text), _) => Zeroizing::new(text.clone().into_bytes()),
        (None, Some(path)) => input::read_bytes(path)?,
        (None, None) => Zeroizing::new(Vec::new()),
    };
    let state_destination = match (&args.to_node, &args.to_server) {
        (Some(node), _) => StateDestination::Node(hop_text(&parse_hop(node)?)),
        (None, Some(host)) => {
            let key = args
                .server_key
                .as_deref()
                .context("--to-server needs --server-key")?;
            if let Some(endpoint) = &args.endpoint {
                let headers = args
                    .headers
                    .iter()
                    .map(|h| {
                        h.split_once(':')
                            .map(|(n, v)| (n.trim(), v.trim()))
                            .ok_or_else(|| anyhow!("header {h:?} is not NAME:VALUE"))
                    })
                    .collect::<Result<Vec<_>>>()?;
                let body = (!payload.is_empty()).then_some(payload.as_slice());
                payload = Zeroizing::new(
                    v4_request(&args.method, endpoint, &headers, body)
                        .context("cannot build the v4 request")?,
                );
            }
            // Checked now, so that a bad key is reported as such.
            server(host, key, args.protocol, args.port)?;
            StateDestination::Server {
                host: host.clone(),
                protocol: args.protocol,
                port: args.port,
                x25519: key.trim().to_owned(),
            }
        }
        (None, None) => bail!("give a destination: --to-node or --to-server"),
    };
    let destination = state_destination.destination()?;
    let secret = random::os_secret()?;
    let onion = build_onion(args.cipher, &hops, &destination, &payload, &secret)?;
    let ephemeral = onion.reply_key().ephemeral_public();

    if let Some(path) = &args.reply_state {
        let key = onion.reply_key();
        let shared = key.shared_secret().to_zeroizing();
        let state = ReplyState {
            format: STATE_FORMAT.to_owned(),
            cipher: args.cipher,
            shared_secret: encode_hex(shared.as_ref()),
            ephemeral_public: ephemeral.to_string(),
            destination_public: key.destination_public().to_string(),
            reply: match destination {
                Destination::Server(_) => ReplyFormat::V4,
                _ => ReplyFormat::V3,
            },
        };
        let text = Zeroizing::new(serde_json::to_string_pretty(&state)?);
        input::write_secret(path, text.as_bytes())?;
    }
    let request = onion.request();
    let written = write_or_show(args.out.as_deref(), request, false)?;
    Ok(Built {
        cipher: args.cipher.into(),
        hops: hops.iter().map(hop_text).collect(),
        size: request.len(),
        reply_ephemeral_public: ephemeral.to_string(),
        written_to: written.file(),
        request_hex: written.shown(),
    })
}

/// A binary input that may also be given as hex text.
fn read_blob(path: &Path) -> Result<Zeroizing<Vec<u8>>> {
    let raw = input::read_bytes(path)?;
    if let Ok(text) = std::str::from_utf8(&raw) {
        let text = text.trim();
        if !text.is_empty()
            && text.len() % 2 == 0
            && text.bytes().all(|b| b.is_ascii_hexdigit())
            && let Ok(bytes) = decode_hex(text)
        {
            return Ok(Zeroizing::new(bytes));
        }
    }
    Ok(raw)
}

/// Opens a guard's request or a forwarded message, whichever `bytes` is.
fn open_layer(key: &NodeKey, bytes: &[u8]) -> Result<(OpenedRequest, &'static str)> {
    let options = OpenOptions::default();
    // A forwarded message is a bencoded dictionary (`d…e`); a request starts with its length.
    let forward_first = bytes.first() == Some(&b'd');
    let request = || key.open_request(bytes, &options).map(|l| (l, "request"));
    let forward = || {
        key.open_forward(bytes, &options)
            .map(|l| (l, "forwarded message"))
    };
    let first = if forward_first { forward() } else { request() };
    match first {
        Ok(layer) => Ok(layer),
        Err(error) => {
            let other = if forward_first { request() } else { forward() };
            other
                .map_err(|_| anyhow!(error))
                .context("cannot open the layer with this key")
        }
    }
}

/// What an opened layer asks of its node.
enum Seen<'a> {
    Route(Route<'a>),
    Server(node::V4Request<'a>),
}

fn what_node_sees(layer: &OpenedRequest) -> Result<Seen<'_>> {
    match node::route(layer.payload()) {
        Ok(route) => Ok(Seen::Route(route)),
        Err(route_error) => match layer.v4_request() {
            Ok(request) => Ok(Seen::Server(request)),
            Err(_) => Err(anyhow!(route_error))
                .context("the layer opened, but its content is not an onion layer or a v4 request"),
        },
    }
}

/// `onion peel`: what a node sees when it opens a layer.
#[derive(Serialize)]
struct Peeled {
    /// `request` (what a guard receives) or `forwarded message`.
    opened: &'static str,
    hop_no: u64,
    #[serde(serialize_with = "cipher_name")]
    cipher: EncType,
    sender_ephemeral_public: String,
    #[serde(flatten)]
    action: Action,
    /// Bytes the node sends on (to the next node or the server).
    #[serde(skip_serializing_if = "Option::is_none")]
    onward_size: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    written_to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    onward_hex: Option<String>,
}

/// What the layer asks of the node.
#[derive(Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
enum Action {
    RelayToNode {
        next_node: String,
        #[serde(serialize_with = "cipher_name")]
        next_cipher: EncType,
    },
    RelayToServer {
        server: ServerTarget,
    },
    Destination {
        body: Shown,
        json: bool,
        base64: bool,
    },
    ServerRequest {
        method: String,
        endpoint: String,
        headers: Vec<(String, String)>,
        #[serde(skip_serializing_if = "Option::is_none")]
        body: Option<Shown>,
    },
}

/// The server a layer relays to.
#[derive(Serialize)]
struct ServerTarget {
    host: String,
    port: u16,
    protocol: String,
    target: String,
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Action::RelayToNode {
                next_node,
                next_cipher,
            } => {
                field(f, "action", "relay to the next node")?;
                field(f, "next node (ed25519)", next_node)?;
                field(f, "next layer's cipher", next_cipher)
            }
            Action::RelayToServer { server } => {
                field(f, "action", "relay to a server")?;
                field(
                    f,
                    "server",
                    format_args!(
                        "{}://{}:{}{}",
                        server.protocol, server.host, server.port, server.target
                    ),
                )
            }
            Action::Destination { body, json, base64 } => {
                field(f, "action", "this node is the destination")?;
                field(f, "request", body)?;
                field(
                    f,
                    "reply",
                    format_args!(
                        "{}{}",
                        if *json { "JSON body" } else { "text body" },
                        if *base64 { ", base64" } else { ", raw" }
                    ),
                )
            }
            Action::ServerRequest {
                method,
                endpoint,
                headers,
                body,
            } => {
                field(f, "action", "this server is the destination (v4 request)")?;
                field(f, "request", format_args!("{method} {endpoint}"))?;
                for (name, value) in headers {
                    writeln!(f, "  {name}: {value}")?;
                }
                match body {
                    Some(body) => field(f, "body", body),
                    None => Ok(()),
                }
            }
        }
    }
}

impl fmt::Display for Peeled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        field(f, "opened", self.opened)?;
        field(f, "hop", self.hop_no)?;
        field(f, "cipher", self.cipher)?;
        field(f, "sender's ephemeral key", &self.sender_ephemeral_public)?;
        write!(f, "{}", self.action)?;
        if let Some(size) = self.onward_size {
            match (&self.written_to, &self.onward_hex) {
                (Some(path), _) => field(
                    f,
                    "sent on",
                    format_args!("{size} bytes, written to {path}"),
                )?,
                (None, Some(hex)) => {
                    field(
                        f,
                        "sent on",
                        format_args!("{size} bytes (give --out to save them)"),
                    )?;
                    field(f, "hex", hex)?;
                }
                (None, None) => field(f, "sent on", format_args!("{size} bytes"))?,
            }
        }
        Ok(())
    }
}

impl Report for Peeled {}

fn peel(key: &NodeKey, path: &Path, to: Option<&Path>) -> Result<Peeled> {
    let bytes = read_blob(path)?;
    let (layer, opened) = open_layer(key, &bytes)?;
    let (action, onward): (Action, Option<Vec<u8>>) = match what_node_sees(&layer)? {
        Seen::Route(Route::RelayToNode(relay)) => (
            Action::RelayToNode {
                next_node: relay.destination.to_string(),
                next_cipher: relay.enc_type,
            },
            Some(
                relay
                    .forward_message(layer.hop_no())
                    .context("cannot forward this layer")?,
            ),
        ),
        Seen::Route(Route::RelayToServer(relay)) => (
            Action::RelayToServer {
                server: ServerTarget {
                    host: relay.host.clone(),
                    port: relay.port,
                    protocol: relay.protocol.clone(),
                    target: relay.target.clone(),
                },
            },
            Some(relay.payload.to_vec()),
        ),
        Seen::Route(Route::Destination(request)) => (
            Action::Destination {
                body: Shown::new(request.body),
                json: request.json,
                base64: request.base64,
            },
            None,
        ),
        Seen::Server(request) => (
            Action::ServerRequest {
                method: request.method,
                endpoint: request.endpoint,
                headers: request.headers,
                body: request.body.map(Shown::new),
            },
            None,
        ),
    };
    let (onward_size, sent) = match onward {
        Some(onward) => (Some(onward.len()), Some(write_or_show(to, &onward, false)?)),
        None => (None, None),
    };
    Ok(Peeled {
        opened,
        hop_no: layer.hop_no(),
        cipher: layer.enc_type(),
        sender_ephemeral_public: layer.remote_pubkey().to_string(),
        action,
        onward_size,
        written_to: sent.as_ref().and_then(Sent::file),
        onward_hex: sent.and_then(Sent::shown),
    })
}

/// The destination's answer.
struct Answer<'a> {
    status: u16,
    body: &'a [u8],
    json: bool,
}

/// The generator of the reply's nonce, seeded from the operating system.
fn reply_rng() -> Result<ChaCha20Rng> {
    random::os_seeded_rng()
}

/// `onion reply build`: the destination's encrypted answer.
#[derive(Serialize)]
struct ReplyBuilt {
    /// `v3` (a node's reply) or `v4` (a server's).
    format: &'static str,
    size: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    written_to: Option<String>,
    /// The reply, when not written to a file: as text when it is base64, else in hex.
    #[serde(skip_serializing_if = "Option::is_none")]
    reply: Option<String>,
}

impl fmt::Display for ReplyBuilt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        field(
            f,
            "reply",
            format_args!("{}, {} bytes", self.format, self.size),
        )?;
        if let Some(path) = &self.written_to {
            field(f, "written to", path)?;
        }
        if let Some(reply) = &self.reply {
            writeln!(f, "{reply}")?;
        }
        Ok(())
    }
}

impl Report for ReplyBuilt {}

fn reply_build(
    key: &NodeKey,
    path: &Path,
    answer: &Answer<'_>,
    to: Option<&Path>,
) -> Result<ReplyBuilt> {
    let bytes = read_blob(path)?;
    let (layer, _) = open_layer(key, &bytes)?;
    let mut rng = reply_rng()?;
    let (reply, format) = match what_node_sees(&layer)? {
        Seen::Route(Route::Destination(request)) => {
            let text = std::str::from_utf8(answer.body).context("the body is not UTF-8 text")?;
            let value;
            let body = if answer.json {
                value = serde_json::from_str::<Value>(text).context("the body is not JSON")?;
                ReplyBody::Json(&value)
            } else {
                ReplyBody::Text(text)
            };
            let reply = layer
                .v3_reply(&request, answer.status, body, &mut rng)
                .context("cannot encrypt the reply")?;
            (reply, "v3")
        }
        Seen::Server(_) => {
            let reply = layer
                .v4_reply(answer.status, &[], answer.body, &mut rng)
                .context("cannot encrypt the reply")?;
            (reply, "v4")
        }
        Seen::Route(Route::RelayToNode(relay)) => bail!(
            "this node is not the destination: the layer asks it to relay to node {}",
            relay.destination
        ),
        Seen::Route(Route::RelayToServer(relay)) => bail!(
            "this node is not the destination: the layer asks it to relay to server {}",
            relay.host
        ),
    };
    let sent = write_or_show(to, &reply, true)?;
    Ok(ReplyBuilt {
        format,
        size: reply.len(),
        written_to: sent.file(),
        reply: sent.shown(),
    })
}

/// `onion reply decrypt`: the destination's answer, read.
#[derive(Serialize)]
#[serde(tag = "format", rename_all = "lowercase")]
enum ReplyRead {
    V4 {
        status: u16,
        headers: Vec<(String, String)>,
        body: Shown,
    },
    V3 {
        status: Option<u16>,
        body: Option<Value>,
        /// The whole decrypted JSON document.
        reply: serde_json::Map<String, Value>,
    },
}

impl fmt::Display for ReplyRead {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReplyRead::V4 {
                status,
                headers,
                body,
            } => {
                field(f, "status", status)?;
                for (name, value) in headers {
                    writeln!(f, "  {name}: {value}")?;
                }
                field(f, "body", body)
            }
            ReplyRead::V3 { status, body, .. } => {
                if let Some(status) = status {
                    field(f, "status", status)?;
                }
                match body {
                    Some(Value::String(text)) => field(f, "body", text),
                    Some(other) => field(f, "body", other),
                    None => field(f, "body", ""),
                }
            }
        }
    }
}

impl Report for ReplyRead {}

fn reply_decrypt(state_path: &Path, path: &Path) -> Result<ReplyRead> {
    let state_text = input::read_text(state_path)?;
    let state: ReplyState = serde_json::from_str(&state_text)
        .with_context(|| format!("{} is not a reply state file", state_path.display()))?;
    if state.format != STATE_FORMAT {
        bail!(
            "{}: unknown reply state format {:?}",
            state_path.display(),
            state.format
        );
    }
    let shared = Zeroizing::new(input::hex_array::<32>(
        &state.shared_secret,
        "reply state shared secret",
    )?);
    let ephemeral: X25519PublicKey = state
        .ephemeral_public
        .parse()
        .context("reply state: invalid ephemeral public key")?;
    let destination_public: X25519PublicKey = state
        .destination_public
        .parse()
        .context("reply state: invalid destination public key")?;
    let reply_key = ReplyKey::from_parts(
        EncType::from(state.cipher),
        session_core::hazmat::shared_secret_from_bytes(*shared),
        ephemeral,
        destination_public,
    );
    let response = read_blob(path)?;
    Ok(match state.reply {
        ReplyFormat::V4 => {
            let reply = reply_key
                .decode_v4(&response)
                .context("cannot read the reply")?;
            ReplyRead::V4 {
                status: reply.code,
                headers: reply.headers,
                body: Shown::new(&reply.body),
            }
        }
        ReplyFormat::V3 => {
            let reply = reply_key
                .decode_v3(&response)
                .context("cannot read the reply")?;
            ReplyRead::V3 {
                status: reply.status,
                body: reply.body,
                reply: reply.json,
            }
        }
    })
}
