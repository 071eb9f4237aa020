//! `session onion`: build onion requests, peel layers with a node key, answer and read replies.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, anyhow, bail};
use chacha20::ChaCha20Rng;
use clap::{Args, Subcommand, ValueEnum};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use session_core::encoding::{decode_hex, encode_hex};
use session_core::identity::x25519_from_ed25519;
use session_core::{Ed25519PublicKey, X25519PublicKey};
use session_onion::client::{
    Builder, Destination, Hop, Onion, Protocol, ReplyKey, Server, v4_request,
};
use session_onion::node::OpenedRequest;
use session_onion::node::{self, ReplyBody, Route};
use session_onion::rand_core::{Rng as _, SeedableRng as _};
use session_onion::{EncType, NodeKey, OpenOptions};
use zeroize::Zeroizing;

use crate::input;
use crate::output::{Output, Text};

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
        Command::Build(args) => build(&args, out),
        Command::Peel {
            key,
            input,
            out: to,
        } => peel(&key.node_key()?, &input, to.as_deref(), out),
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
            reply_build(&key.node_key()?, &input, &answer, to.as_deref(), out)
        }
        Command::Reply(ReplyCommand::Decrypt { state, input }) => {
            reply_decrypt(&state, &input, out)
        }
    }
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

/// A fresh 32-byte secret from the operating system's generator.
// The command line is where randomness enters: it draws the seed of each onion.
#[allow(clippy::disallowed_methods)]
fn fresh_secret() -> Zeroizing<[u8; 32]> {
    let mut secret = Zeroizing::new([0u8; 32]);
    rand::rng().fill_bytes(secret.as_mut());
    secret
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

fn build(args: &BuildArgs, out: &mut Output) -> Result<()> {
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
    let secret = fresh_secret();
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
    let mut document = json!({
        "cipher": EncType::from(args.cipher).name(),
        "hops": hops.iter().map(hop_text).collect::<Vec<_>>(),
        "size": request.len(),
        "reply_ephemeral_public": ephemeral.to_string(),
    });
    let mut text = Text::new();
    text.field("cipher", EncType::from(args.cipher))
        .field("hops", hops.len())
        .field("size", format_args!("{} bytes", request.len()));
    match &args.out {
        Some(path) => {
            input::write_bytes(path, request)?;
            text.field("written to", path.display());
        }
        None => {
            if let Some(map) = document.as_object_mut() {
                map.insert("request_hex".into(), json!(encode_hex(request)));
            }
            text.field("request", encode_hex(request));
        }
    }
    out.print(&document, &text);
    Ok(())
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

/// Text if it is UTF-8, hex otherwise.
fn show_bytes(bytes: &[u8]) -> (Value, String) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (json!({ "text": text }), text.to_owned()),
        Err(_) => {
            let hex = encode_hex(bytes);
            (json!({ "hex": hex }), format!("(hex) {hex}"))
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

fn peel(key: &NodeKey, path: &Path, to: Option<&Path>, out: &mut Output) -> Result<()> {
    let bytes = read_blob(path)?;
    let (layer, kind) = open_layer(key, &bytes)?;
    let mut document = serde_json::Map::new();
    document.insert("opened".into(), json!(kind));
    document.insert("hop_no".into(), json!(layer.hop_no()));
    document.insert("cipher".into(), json!(layer.enc_type().name()));
    document.insert(
        "sender_ephemeral_public".into(),
        json!(layer.remote_pubkey().to_string()),
    );
    let mut text = Text::new();
    text.field("opened", kind)
        .field("hop", layer.hop_no())
        .field("cipher", layer.enc_type());
    let onward: Option<Vec<u8>> = match what_node_sees(&layer)? {
        Seen::Route(Route::RelayToNode(relay)) => {
            document.insert("action".into(), json!("relay_to_node"));
            document.insert("next_node".into(), json!(relay.destination.to_string()));
            document.insert("next_cipher".into(), json!(relay.enc_type.name()));
            text.field("action", "relay to the next node")
                .field("next node (ed25519)", relay.destination)
                .field("next layer's cipher", relay.enc_type);
            Some(
                relay
                    .forward_message(layer.hop_no())
                    .context("cannot forward this layer")?,
            )
        }
        Seen::Route(Route::RelayToServer(relay)) => {
            document.insert("action".into(), json!("relay_to_server"));
            document.insert(
                "server".into(),
                json!({
                    "host": relay.host,
                    "port": relay.port,
                    "protocol": relay.protocol,
                    "target": relay.target,
                }),
            );
            text.field("action", "relay to a server").field(
                "server",
                format_args!(
                    "{}://{}:{}{}",
                    relay.protocol, relay.host, relay.port, relay.target
                ),
            );
            Some(relay.payload.to_vec())
        }
        Seen::Route(Route::Destination(request)) => {
            let (body, body_text) = show_bytes(request.body);
            document.insert("action".into(), json!("destination"));
            document.insert("body".into(), body);
            document.insert("json".into(), json!(request.json));
            document.insert("base64".into(), json!(request.base64));
            text.field("action", "this node is the destination")
                .field("request", body_text);
            None
        }
        Seen::Server(request) => {
            document.insert("action".into(), json!("server_request"));
            document.insert("method".into(), json!(request.method));
            document.insert("endpoint".into(), json!(request.endpoint));
            document.insert("headers".into(), json!(request.headers));
            text.field("action", "this server is the destination (v4 request)")
                .field(
                    "request",
                    format_args!("{} {}", request.method, request.endpoint),
                );
            for (name, value) in &request.headers {
                text.line(format_args!("  {name}: {value}"));
            }
            if let Some(body) = request.body {
                let (body, body_text) = show_bytes(body);
                document.insert("body".into(), body);
                text.field("body", body_text);
            }
            None
        }
    };
    if let Some(onward) = onward {
        document.insert("onward_size".into(), json!(onward.len()));
        match to {
            Some(path) => {
                input::write_bytes(path, &onward)?;
                text.field(
                    "sent on",
                    format_args!("{} bytes, written to {}", onward.len(), path.display()),
                );
            }
            None => {
                document.insert("onward_hex".into(), json!(encode_hex(&onward)));
                text.field(
                    "sent on",
                    format_args!("{} bytes (give --out to save them)", onward.len()),
                );
            }
        }
    }
    out.print(&Value::Object(document), &text);
    Ok(())
}

/// The destination's answer.
struct Answer<'a> {
    status: u16,
    body: &'a [u8],
    json: bool,
}

/// The generator of the reply's nonce, seeded from the operating system.
fn reply_rng() -> ChaCha20Rng {
    ChaCha20Rng::from_seed(*fresh_secret())
}

fn reply_build(
    key: &NodeKey,
    path: &Path,
    answer: &Answer<'_>,
    to: Option<&Path>,
    out: &mut Output,
) -> Result<()> {
    let bytes = read_blob(path)?;
    let (layer, _) = open_layer(key, &bytes)?;
    let mut rng = reply_rng();
    let (reply, kind) = match what_node_sees(&layer)? {
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
    let mut document = json!({ "format": kind, "size": reply.len() });
    let mut text = Text::new();
    text.field("reply", format_args!("{kind}, {} bytes", reply.len()));
    match to {
        Some(path) => {
            input::write_bytes(path, &reply)?;
            text.field("written to", path.display());
        }
        None => {
            let shown = match std::str::from_utf8(&reply) {
                Ok(base64) => base64.to_owned(),
                Err(_) => encode_hex(&reply),
            };
            if let Some(map) = document.as_object_mut() {
                map.insert("reply".into(), json!(shown));
            }
            text.line(shown);
        }
    }
    out.print(&document, &text);
    Ok(())
}

fn reply_decrypt(state_path: &Path, path: &Path, out: &mut Output) -> Result<()> {
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
    let mut text = Text::new();
    let document = match state.reply {
        ReplyFormat::V4 => {
            let reply = reply_key
                .decode_v4(&response)
                .context("cannot read the reply")?;
            let (body, body_text) = show_bytes(&reply.body);
            text.field("status", reply.code);
            for (name, value) in &reply.headers {
                text.line(format_args!("  {name}: {value}"));
            }
            text.field("body", body_text);
            json!({ "format": "v4", "status": reply.code, "headers": reply.headers, "body": body })
        }
        ReplyFormat::V3 => {
            let reply = reply_key
                .decode_v3(&response)
                .context("cannot read the reply")?;
            if let Some(status) = reply.status {
                text.field("status", status);
            }
            let body_text = match &reply.body {
                Some(Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
                None => String::new(),
            };
            text.field("body", body_text);
            json!({ "format": "v3", "status": reply.status, "body": reply.body, "reply": reply.json })
        }
    };
    out.print(&document, &text);
    Ok(())
}
