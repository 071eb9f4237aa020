//! `session`: the command-line tool of the session-infra crates.
//!
//! Recovery phrases, identities and Session IDs, swarms, onion requests and staking checks,
//! for integrators and node operators. Every command prints human-readable text, or one JSON
//! document with the global `--json` flag. Run `session --help` for the commands and
//! `session <command> --help` for examples.
#![forbid(unsafe_code)]

mod account;
mod id;
mod input;
mod mnemonic;
mod network;
mod onion;
mod output;
mod phrase_error;
mod random;
mod staking;
mod staking_network;
mod swarm;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::output::{Failure, Output};

const EXIT_CODES: &str = "\
Exit codes:
  0  success (for checks: the input is valid)
  1  invalid input, or a check that found a rule broken (the reason is printed)
  2  usage error: unknown command or option, missing argument
  3  a file could not be read or written

With --json, every command prints one JSON document on standard output, errors included
({\"error\": ..., \"exit_code\": ...}); the error is also printed on standard error.
Wherever a file is expected, `-` reads standard input.";

/// Session recovery phrases, identities, swarms, onion requests and staking checks.
#[derive(Debug, Parser)]
#[command(name = "session", version, after_help = EXIT_CODES)]
struct Cli {
    /// Print one JSON document instead of text.
    #[arg(long, global = true)]
    json: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Recovery phrases: create an account, encode a seed, decode or check a phrase, restore
    /// an identity.
    #[command(subcommand)]
    Mnemonic(mnemonic::Command),
    /// Identities and IDs: a new account, Session ID and keys from a phrase or seed, parse a
    /// prefixed ID.
    #[command(subcommand)]
    Id(id::Command),
    /// Swarms: which swarm stores an account's messages, oxend's rebalancing.
    #[command(subcommand)]
    Swarm(swarm::Command),
    /// Onion requests: build one, peel a layer with a node key, answer and read a reply.
    #[command(subcommand)]
    Onion(onion::Command),
    /// Staking: the requirement at a height, registration checks, BLS signatures and contract
    /// logs of the Session Network.
    #[command(subcommand)]
    Staking(staking::Command),
    /// Send a message to an account over a 3-hop onion path (a seed node and certificate given).
    Send(network::SendArgs),
    /// Fetch an account's messages over a 3-hop onion path (a seed node and certificate given).
    Fetch(network::FetchArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut out = Output::new(cli.json);
    let result = match cli.command {
        Command::Mnemonic(command) => mnemonic::run(command, &mut out),
        Command::Id(command) => id::run(command, &mut out),
        Command::Swarm(command) => swarm::run(command, &mut out),
        Command::Onion(command) => onion::run(command, &mut out),
        Command::Staking(command) => staking::run(command, &mut out),
        Command::Send(args) => network::send(args, &mut out),
        Command::Fetch(args) => network::fetch(args, &mut out),
    };
    match result {
        Ok(()) => out.finish(),
        Err(error) => out.fail(&Failure::from(error)),
    }
}
