//! `network-sim`: the whole system at scale. Registers N service nodes, runs K blocks of
//! random churn with a message workload, applies every migration plan, and checks that no
//! message was lost.
//!
//! ```text
//! cargo run --release -p network-sim -- --nodes 2000 --blocks 50
//! cargo run --release -p network-sim -- --nodes 1000000 --blocks 10
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

  --nodes N       nodes registered at the start (2000; up to 1,000,000 and more)
  --blocks K      blocks of churn after the start (50)
  --churn C       node changes per block (0.5 % of the nodes, at least 10)
  --join-pct P    percentage of changes that are registrations (45); up to 10 % are
                  decommissions (back after 10 blocks), the rest deregistrations
  --messages M    messages stored per block (one per 10 nodes, 10..=5000)
  --accounts A    accounts the messages go to (half the nodes, 100..=200000)
  --policy oxend|scalable
                  swarm rules: oxend's (the live network's, default up to 20,000 nodes) or
                  the scalable policy (default above)
  --seed S        seed of the simulation (1); runs are deterministic
  --quiet         no progress bar
  -h, --help      this text

Every message must end up on every member of its account's swarm: the run fails (exit
status 1) if any is missing.";

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
    c.seed = value(args, "--seed")?.unwrap_or(c.seed);
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
        "--seed",
        "--policy",
    ];
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if known.contains(&a.as_str()) {
            i += 2;
        } else if a == "--quiet" {
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
         policy {:?}, seed {}",
        config.nodes,
        config.blocks,
        config.churn,
        config.messages,
        config.accounts,
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
            "{} nodes, {} swarms, +{}/-{} nodes, {} copies migrated, {:.1?}",
            r.nodes, r.swarms, r.joined, r.left, r.migrated, r.time
        ));
        if r.block == 0 {
            let line = format!(
                "bootstrap: {} nodes placed in {} swarms, {} messages stored, in {:.2?}",
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
    if summary.lost == 0 && summary.missing_copies == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn report(s: &Summary) {
    let (min, median, max) = s.swarm_sizes;
    println!("nodes at the end:      {} in {} swarms", s.nodes, s.swarms);
    println!("swarm sizes:           min {min}, median {median}, max {max}");
    println!(
        "swarms changed:        {} created, {} dissolved",
        s.created, s.dissolved
    );
    println!("messages stored:       {}", s.messages);
    println!("copies migrated:       {}", s.migrated);
    println!(
        "messages lost:         {} (every member of each account's swarm checked: {} copies, \
         {} missing)",
        s.lost, s.copies_checked, s.missing_copies
    );
    let mut times = s.block_times.clone();
    times.sort_unstable();
    let total: Duration = times.iter().sum();
    if let (Some(first), Some(last)) = (times.first(), times.last()) {
        println!(
            "time per block:        min {:.2?}, median {:.2?}, mean {:.2?}, max {:.2?} \
             (bootstrap {:.2?})",
            first,
            times[times.len() / 2],
            total / times.len() as u32,
            last,
            s.bootstrap
        );
    }
}
