//! `network-sim`: the whole system in one process. Starts N service nodes (each a
//! `session_node::Node`), runs K blocks of random churn while clients store messages through
//! them, and checks that every message can still be read back from every member of its
//! account's swarm.
//!
//! ```text
//! cargo run --release -p network-sim -- --nodes 10000 --blocks 10
//! ```
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::process::ExitCode;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use network_sim::{BlockReport, Config, Summary, run};
use session_swarm::Policy;

const HELP: &str = "\
network-sim: a whole Session network in one process

Usage: network-sim [--nodes N] [--blocks K] [options]

  --nodes N       nodes registered at the start (2000, the live network's size). Every
                  node is a session-node Node; all of them share one view of each block's
                  node list, so a node's share of a block does not grow with N (100,000
                  nodes: about 0.75 GB and 4.5 s per block with the default traffic)
  --blocks K      blocks of churn after the start (50)
  --churn C       node changes per block (0.5 % of the nodes, at least 10)
  --join-pct P    percentage of changes that are registrations (45); up to 10 % are
                  decommissions (back after 10 blocks), the rest deregistrations
  --messages M    messages stored per block (one per 10 nodes, 10..=5000)
  --accounts A    accounts the messages go to (half the nodes, 100..=200000)
  --onion-pct P   percentage of client requests sent as onion requests over 3-node
                  paths (50); the rest go straight to a swarm member
  --latency MS    mean one-way network latency in milliseconds (50; at most 500)
  --policy oxend|scalable
                  swarm rules: oxend's (the live network's, default up to 20,000 nodes) or
                  the scalable policy (default above)
  --no-replication
                  nodes skip the replication pushes of their migration plans: the check then
                  shows the copies churn costs without them (and the run fails)
  --seed S        seed of the simulation (1); runs are deterministic
  --quiet         no progress bar
  -h, --help      this text

At the end every account reads its messages back from every member of its swarm: the run
fails (exit status 1) if a copy is missing, a store was not acknowledged, or a replication
batch was refused.";

fn parse(args: &[String]) -> Result<(Config, bool), String> {
    let nodes = value(args, "--nodes")?.unwrap_or(2000);
    let mut c = Config::for_nodes(nodes);
    c.blocks = value(args, "--blocks")?.unwrap_or(c.blocks);
    c.churn = value(args, "--churn")?.unwrap_or(c.churn);
    c.join_pct = value::<u64>(args, "--join-pct")?
        .unwrap_or(c.join_pct)
        .min(90);
    c.messages = value(args, "--messages")?.unwrap_or(c.messages);
    c.accounts = value::<usize>(args, "--accounts")?
        .unwrap_or(c.accounts)
        .max(1);
    c.onion_pct = value::<u64>(args, "--onion-pct")?
        .unwrap_or(c.onion_pct)
        .min(100);
    c.latency_ms = value::<u64>(args, "--latency")?
        .unwrap_or(c.latency_ms)
        .min(network_sim::MAX_LATENCY_MS);
    c.seed = value(args, "--seed")?.unwrap_or(c.seed);
    c.replicate = !args.iter().any(|a| a == "--no-replication");
    if let Some(p) = value::<String>(args, "--policy")? {
        c.policy = match p.as_str() {
            "oxend" => Policy::OxendCompat,
            "scalable" => Policy::Scalable,
            other => return Err(format!("unknown policy {other:?} (oxend or scalable)")),
        };
    }
    let known = [
        "--nodes",
        "--blocks",
        "--churn",
        "--join-pct",
        "--messages",
        "--accounts",
        "--onion-pct",
        "--latency",
        "--seed",
        "--policy",
    ];
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if known.contains(&a.as_str()) {
            i += 2;
        } else if a == "--quiet" || a == "--no-replication" {
            i += 1;
        } else {
            return Err(format!("unknown option {a:?}"));
        }
    }
    Ok((c, args.iter().any(|a| a == "--quiet")))
}

fn value<T: std::str::FromStr>(args: &[String], flag: &str) -> Result<Option<T>, String> {
    let Some(i) = args.iter().position(|a| a == flag) else {
        return Ok(None);
    };
    let text = args.get(i + 1).ok_or(format!("{flag} needs a value"))?;
    text.replace(['_', ','], "")
        .parse()
        .map(Some)
        .map_err(|_| format!("{flag}: {text:?} is not a valid value"))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{HELP}");
        return ExitCode::SUCCESS;
    }
    let (config, quiet) = match parse(&args) {
        Ok(parsed) => parsed,
        Err(e) => {
            eprintln!("network-sim: {e}\n\n{HELP}");
            return ExitCode::from(2);
        }
    };
    println!(
        "network-sim: {} nodes, {} blocks, {} changes and {} messages per block, {} accounts, \
         {} % onion requests, {} ms latency, policy {:?}, seed {}",
        config.nodes,
        config.blocks,
        config.churn,
        config.messages,
        config.accounts,
        config.onion_pct,
        config.latency_ms,
        config.policy,
        config.seed
    );
    let bar = ProgressBar::new(config.blocks + 1);
    if quiet {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar.set_style(
        ProgressStyle::with_template("{bar:40} block {pos}/{len} [{elapsed} < {eta}] {msg}")
            .expect("a valid template"),
    );
    let summary = run(&config, |r: &BlockReport| {
        bar.set_message(format!(
            "{} nodes, {} swarms, +{}/-{} nodes, {} pushes, {} copies migrated, {:.1?}",
            r.nodes, r.swarms, r.joined, r.left, r.pushes, r.migrated, r.time
        ));
        if r.block == 0 {
            let line = format!(
                "bootstrap: {} nodes started and placed in {} swarms, {} messages stored, in {:.2?}",
                r.nodes, r.swarms, r.stored, r.time
            );
            // A hidden bar (not a terminal, or --quiet) drops its own lines.
            if bar.is_hidden() {
                println!("{line}");
            } else {
                bar.println(line);
            }
        }
        bar.inc(1);
    });
    bar.finish_and_clear();
    report(&summary);
    let c = &summary.clients;
    if summary.lost == 0
        && summary.missing_copies == 0
        && summary.bad_pushes == 0
        && c.gave_up == 0
        && c.bad_acks == 0
    {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn report(s: &Summary) {
    let (min, median, max) = s.swarm_sizes;
    let (c, t) = (&s.clients, &s.traffic);
    println!("nodes at the end:      {} in {} swarms", s.nodes, s.swarms);
    println!("swarm sizes:           min {min}, median {median}, max {max}");
    println!(
        "swarms changed:        {} created, {} dissolved",
        s.created, s.dissolved
    );
    println!(
        "messages stored:       {} ({} given up after {} attempts)",
        s.messages,
        c.gave_up,
        network_sim::MAX_ATTEMPTS
    );
    println!(
        "client requests:       {} direct, {} onion; {} swarm look-ups, {} wrong-swarm (421) \
         answers followed, {} failed",
        c.direct, c.onion, c.swarm_lookups, c.wrong_swarm, c.failed_requests
    );
    println!(
        "store acknowledgements: {} from swarm members, the entry nodes' signatures checked \
         ({} wrong or missing)",
        c.acks, c.bad_acks
    );
    println!(
        "replication:           {} batches pushed, {} copies migrated ({} batches refused)",
        s.pushes, s.migrated, s.bad_pushes
    );
    println!(
        "network:               {} client requests, {} onion hops, {} peer forwards, {} pushes, \
         {} answers, {} unreachable; {:.1} MB",
        t.requests,
        t.onion_hops,
        t.peer_forwards,
        t.pushes,
        t.answers,
        t.unreachable,
        t.bytes as f64 / 1e6
    );
    println!(
        "messages lost:         {} (read back from every member of each account's swarm: {} \
         retrieves, {} copies checked, {} missing)",
        s.lost, s.retrieves, s.copies_checked, s.missing_copies
    );
    let mut times = s.block_times.clone();
    times.sort_unstable();
    let total: Duration = times.iter().sum();
    if let (Some(first), Some(last)) = (times.first(), times.last()) {
        println!(
            "time per block:        min {:.2?}, median {:.2?}, mean {:.2?}, max {:.2?} \
             (bootstrap {:.2?}, check {:.2?}; {:.0?} simulated)",
            first,
            times[times.len() / 2],
            total / times.len() as u32,
            last,
            s.bootstrap,
            s.check_time,
            s.simulated
        );
    }
}
