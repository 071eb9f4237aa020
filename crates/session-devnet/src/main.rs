//! `session-devnet`: a Session network of node processes on 127.0.0.1.

// The runtime: it owns the clock and the OS random number generator.
#![allow(clippy::disallowed_methods, clippy::disallowed_types)]

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::{Parser, Subcommand};
use session_devnet::node::NodeArgs;
use session_devnet::wire::CertFiles;
use session_devnet::{Options, run};

/// Runs a Session network on 127.0.0.1: node processes over HTTPS with their own SQLite
/// files, a chain driver, onion-routing clients; kills nodes mid-run and checks that every
/// acknowledged message can still be fetched.
#[derive(Debug, Parser)]
#[command(name = "session-devnet", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Cmd>,
    /// Nodes registered at the start.
    #[arg(long, default_value_t = 12)]
    nodes: usize,
    /// Messages to send.
    #[arg(long, default_value_t = 500)]
    messages: usize,
    /// Nodes to kill (SIGKILL) while messages are in flight.
    #[arg(long, default_value_t = 3)]
    kill: usize,
    /// Killed nodes to restart from their SQLite files [default: half the killed, rounded up].
    #[arg(long)]
    restart: Option<usize>,
    /// Fresh nodes that register mid-run (five split a 12-node network into two swarms).
    #[arg(long, default_value_t = 5)]
    join: usize,
    /// Sending clients.
    #[arg(long, default_value_t = 4)]
    clients: usize,
    /// Receiving accounts.
    #[arg(long, default_value_t = 8)]
    accounts: usize,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Soak for this many seconds: continuous clients and churn (a kill, restart or
    /// registration every --churn-every seconds), then the same check.
    #[arg(long)]
    soak: Option<u64>,
    /// Seconds between churn events of a soak run.
    #[arg(long, default_value_t = 3)]
    churn_every: u64,
    /// Only start the nodes and keep them running this many seconds, printing the seed
    /// node's address and the certificate, to try `session send` / `session fetch` by hand.
    #[arg(long)]
    serve: Option<u64>,
    /// Only the report, no progress lines.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// One node process (started by the devnet itself).
    #[command(hide = true)]
    Node {
        /// Ed25519 seed, hex.
        #[arg(long)]
        seed: String,
        /// SQLite file.
        #[arg(long)]
        db: PathBuf,
        /// Certificate (DER).
        #[arg(long)]
        cert: PathBuf,
        /// Private key (PKCS #8 DER).
        #[arg(long)]
        key: PathBuf,
        /// Port on 127.0.0.1 (0: any).
        #[arg(long, default_value_t = 0)]
        port: u16,
    },
}

fn parse_seed(hex: &str) -> anyhow::Result<[u8; 32]> {
    let bytes = session_core::encoding::decode_hex(hex)
        .map_err(|_| anyhow::anyhow!("--seed must be 64 hex digits"))?;
    bytes
        .try_into()
        .map_err(|_| anyhow::anyhow!("--seed must be 64 hex digits"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Cmd::Node {
            seed,
            db,
            cert,
            key,
            port,
        }) => {
            let args = (|| -> anyhow::Result<NodeArgs> {
                Ok(NodeArgs {
                    seed: parse_seed(&seed)?,
                    db,
                    cert: CertFiles {
                        cert: std::fs::read(&cert).context("reading --cert")?,
                        key: std::fs::read(&key).context("reading --key")?,
                    },
                    port,
                })
            })();
            match args.and_then(session_devnet::node::run) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("node: {e:#}");
                    ExitCode::FAILURE
                }
            }
        }
        None if cli.serve.is_some() => {
            let secs = cli.serve.unwrap_or(0);
            let served = std::env::current_exe()
                .context("locating the devnet binary")
                .and_then(|exe| {
                    tokio::runtime::Builder::new_multi_thread()
                        .enable_all()
                        .build()
                        .context("starting tokio")?
                        .block_on(session_devnet::serve(
                            exe,
                            cli.nodes,
                            Duration::from_secs(secs),
                        ))
                });
            match served {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("devnet failed: {e:#}");
                    ExitCode::FAILURE
                }
            }
        }
        None => {
            let options = Options {
                nodes: cli.nodes,
                messages: cli.messages,
                kill: cli.kill,
                restart: cli.restart.unwrap_or(cli.kill.div_ceil(2)),
                join: cli.join,
                clients: cli.clients,
                accounts: cli.accounts,
                concurrency: cli.concurrency,
                soak: cli.soak.map(Duration::from_secs),
                churn_every: Duration::from_secs(cli.churn_every.max(1)),
                verbose: !cli.quiet,
            };
            let outcome = std::env::current_exe()
                .context("locating the devnet binary")
                .and_then(|exe| {
                    tokio::runtime::Builder::new_multi_thread()
                        .enable_all()
                        .build()
                        .context("starting tokio")?
                        .block_on(run(exe, &options))
                });
            match outcome {
                Ok(o) => {
                    println!("{}", o.summary());
                    if o.lost == 0 && o.acknowledged > 0 {
                        ExitCode::SUCCESS
                    } else {
                        ExitCode::FAILURE
                    }
                }
                Err(e) => {
                    eprintln!("devnet failed: {e:#}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}
