//! The devnet: node processes, the chain driver, clients and the fault schedule.

use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use rand_core::Rng;
use session_core::{Identity, ServiceNode, SwarmId};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::chain::Chain;
use crate::client::{Account, Client, Report, Stats, View};
use crate::node::{Block, addr_of};
use crate::wire::{self, CertFiles};

/// Longest a node may take to start listening.
const START_TIMEOUT: Duration = Duration::from_secs(60);
/// Longest a block (node list and replication pushes) may take to reach every node.
const BLOCK_TIMEOUT: Duration = Duration::from_secs(60);
/// Upper bound on the whole sending phase of a counted run.
const SEND_DEADLINE: Duration = Duration::from_secs(600);
/// Pause between a kill and the block that deregisters the node: requests in flight meet
/// the dead node meanwhile.
const DETECTION_DELAY: Duration = Duration::from_millis(300);

/// What to run.
#[derive(Debug, Clone)]
pub struct Options {
    /// Nodes registered at the start.
    pub nodes: usize,
    /// Messages to send (ignored by a soak run, which sends until its time is up).
    pub messages: usize,
    /// Nodes to kill with SIGKILL while messages are in flight.
    pub kill: usize,
    /// Killed nodes to restart from their SQLite files.
    pub restart: usize,
    /// Fresh nodes that register during the run.
    pub join: usize,
    /// Clients sending.
    pub clients: usize,
    /// Accounts receiving.
    pub accounts: usize,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Soak for this long instead: continuous clients, a kill or a restart every
    /// `churn_every`.
    pub soak: Option<Duration>,
    /// Time between churn events of a soak run.
    pub churn_every: Duration,
    /// Print progress lines.
    pub verbose: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            nodes: 12,
            messages: 500,
            kill: 3,
            restart: 2,
            join: 5,
            clients: 4,
            accounts: 8,
            concurrency: 16,
            soak: None,
            churn_every: Duration::from_secs(3),
            verbose: true,
        }
    }
}

/// What a run measured.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Messages acknowledged by a swarm member.
    pub acknowledged: usize,
    /// Acknowledged messages found in their account's current swarm.
    pub delivered: usize,
    /// Acknowledged messages not found.
    pub lost: usize,
    /// Messages no member acknowledged within the attempts (never promised, so not lost).
    pub unacknowledged: usize,
    /// Messages the first member asked lacked but another member had.
    pub replica_gaps: usize,
    /// Nodes killed.
    pub killed: usize,
    /// Nodes restarted from their SQLite files.
    pub restarted: usize,
    /// Nodes that joined mid-run.
    pub joined: usize,
    /// Blocks mined.
    pub blocks: u64,
    /// Swarms at the end.
    pub swarms: usize,
    /// Messages moved by replication pushes.
    pub pushed: usize,
    /// Replication batches that could not be delivered.
    pub failed_pushes: usize,
    /// Length of the sending phase.
    pub send_time: Duration,
    /// The clients' figures.
    pub load: Report,
}

impl Outcome {
    /// The report, its last line `delivered N/N, lost K`.
    #[must_use]
    pub fn summary(&self) -> String {
        let secs = self.send_time.as_secs_f64().max(1e-3);
        let retries: u64 = self.load.retries.values().sum();
        let reasons: Vec<String> = self
            .load
            .retries
            .iter()
            .map(|(why, n)| format!("{why}: {n}"))
            .collect();
        format!(
            "network: {} killed with SIGKILL, {} restarted from SQLite, {} joined; {} blocks, {} swarms at the end; replication pushed {} messages ({} batches undeliverable)\n\
             load: {} onion requests in {:.1} s = {:.0} req/s ({} succeeded); latency p50 {:.1} ms, p99 {:.1} ms\n\
             retries: {}{}\n\
             messages: {} acknowledged, {} never acknowledged (gave up), {} missing on the first member but found on another\n\
             delivered {}/{}, lost {}",
            self.killed,
            self.restarted,
            self.joined,
            self.blocks,
            self.swarms,
            self.pushed,
            self.failed_pushes,
            self.load.requests,
            secs,
            self.load.requests as f64 / secs,
            self.load.succeeded,
            self.load.p50_ms,
            self.load.p99_ms,
            retries,
            if reasons.is_empty() {
                String::new()
            } else {
                format!(" ({})", reasons.join(", "))
            },
            self.acknowledged,
            self.unacknowledged,
            self.replica_gaps,
            self.delivered,
            self.acknowledged,
            self.lost,
        )
    }
}

struct Proc {
    seed: [u8; 32],
    db: PathBuf,
    port: u16,
    child: Option<Child>,
}

/// A running devnet. Dropping it kills every node process.
pub struct Devnet {
    // Declared first: dropped (killed) before the directory their files are in.
    procs: Vec<Proc>,
    exe: PathBuf,
    cert_path: PathBuf,
    key_path: PathBuf,
    pool: Arc<wire::Pool>,
    chain: Chain,
    view: View,
    pushed: usize,
    failed_pushes: usize,
    verbose: bool,
    dir: tempfile::TempDir,
}

fn seed_for(index: usize) -> [u8; 32] {
    let mut seed = [0x5e; 32];
    for (b, x) in seed.iter_mut().zip((index as u64 + 1).to_le_bytes()) {
        *b ^= x;
    }
    seed
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Devnet {
    /// An empty devnet: a temporary directory with the certificate. `exe` is the binary
    /// whose hidden `node` subcommand runs a node.
    pub fn new(exe: PathBuf, verbose: bool) -> anyhow::Result<Self> {
        let dir = tempfile::Builder::new()
            .prefix("session-devnet")
            .tempdir()?;
        let files = CertFiles::generate()?;
        let cert_path = dir.path().join("cert.der");
        let key_path = dir.path().join("key.der");
        std::fs::write(&cert_path, &files.cert)?;
        std::fs::write(&key_path, &files.key)?;
        Ok(Devnet {
            procs: Vec::new(),
            exe,
            cert_path,
            key_path,
            pool: Arc::new(wire::Pool::new(wire::client_config(&files.cert)?)),
            chain: Chain::default(),
            view: Arc::new(RwLock::new(Vec::new())),
            pushed: 0,
            failed_pushes: 0,
            verbose,
            dir,
        })
    }

    fn say(&self, line: &str) {
        if self.verbose {
            eprintln!("[devnet] {line}");
        }
    }

    /// The directory holding the certificate and the SQLite files.
    #[must_use]
    pub fn dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// A client of this devnet.
    #[must_use]
    pub fn client(&self, stats: Arc<Stats>) -> Client {
        Client::new(Arc::clone(&self.pool), Arc::clone(&self.view), stats)
    }

    fn record(&self, index: usize) -> Option<ServiceNode> {
        let p = self.procs.get(index)?;
        let id = Identity::from_seed_bytes(&p.seed).ok()?;
        Some(ServiceNode {
            ed25519: id.ed25519_public(),
            x25519: id.x25519_public(),
            ip: Ipv4Addr::LOCALHOST,
            https_port: p.port,
            omq_port: p.port,
            swarm_id: SwarmId::UNASSIGNED,
            version: Some([2, 10, 0]),
        })
    }

    /// Starts a new node process and registers it (it joins a swarm at the next block).
    pub async fn add_node(&mut self) -> anyhow::Result<usize> {
        let index = self.procs.len();
        self.procs.push(Proc {
            seed: seed_for(index),
            db: self.dir.path().join(format!("node{index}.sqlite")),
            port: 0,
            child: None,
        });
        self.start(index).await?;
        Ok(index)
    }

    /// (Re)starts node `index` from its SQLite file and registers it.
    pub async fn start(&mut self, index: usize) -> anyhow::Result<()> {
        let p = self
            .procs
            .get(index)
            .ok_or_else(|| anyhow::anyhow!("no node {index}"))?;
        let mut child = Command::new(&self.exe)
            .arg("node")
            .arg("--seed")
            .arg(hex(&p.seed))
            .arg("--db")
            .arg(&p.db)
            .arg("--cert")
            .arg(&self.cert_path)
            .arg("--key")
            .arg(&self.key_path)
            .arg("--port")
            .arg(p.port.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| anyhow::anyhow!("no stdout"))?;
        let mut lines = BufReader::new(stdout).lines();
        let line = tokio::time::timeout(START_TIMEOUT, lines.next_line())
            .await
            .map_err(|_| anyhow::anyhow!("node {index} did not start in time"))??
            .unwrap_or_default();
        let port: u16 = line
            .strip_prefix("listening ")
            .and_then(|p| p.trim().parse().ok())
            .ok_or_else(|| anyhow::anyhow!("node {index} said {line:?}"))?;
        if let Some(p) = self.procs.get_mut(index) {
            p.port = port;
            p.child = Some(child);
        }
        if let Some(record) = self.record(index) {
            self.chain.register(record);
        }
        self.say(&format!("node {index} listening on 127.0.0.1:{port}"));
        Ok(())
    }

    /// Kills node `index` with SIGKILL; the chain deregisters it at the next block.
    pub async fn kill(&mut self, index: usize) -> anyhow::Result<()> {
        if let Some(mut child) = self.procs.get_mut(index).and_then(|p| p.child.take()) {
            child.start_kill()?;
            let _ = tokio::time::timeout(Duration::from_secs(10), child.wait()).await;
        }
        if let Some(record) = self.record(index) {
            self.chain.unregister(&record.ed25519);
        }
        self.say(&format!("node {index} killed (SIGKILL)"));
        Ok(())
    }

    /// Indexes of running nodes.
    #[must_use]
    pub fn live(&self) -> Vec<usize> {
        (0..self.procs.len())
            .filter(|&i| self.procs.get(i).is_some_and(|p| p.child.is_some()))
            .collect()
    }

    /// Indexes of killed nodes.
    #[must_use]
    pub fn dead(&self) -> Vec<usize> {
        (0..self.procs.len())
            .filter(|&i| self.procs.get(i).is_some_and(|p| p.child.is_none()))
            .collect()
    }

    /// Mines a block and publishes the node list to every running node, which push
    /// messages to their swarms' newcomers before answering.
    pub async fn block(&mut self) -> anyhow::Result<()> {
        let (height, nodes) = self.chain.next_block();
        let body = serde_json::to_vec(&Block {
            height,
            nodes: nodes.clone(),
        })?;
        let tasks: Vec<_> = nodes
            .iter()
            .map(|n| {
                let pool = Arc::clone(&self.pool);
                let addr = addr_of(n);
                let body = body.clone();
                tokio::spawn(
                    async move { pool.post(addr, "/devnet/nodes", body, BLOCK_TIMEOUT).await },
                )
            })
            .collect();
        let (mut pushed, mut failed, mut unreachable) = (0usize, 0usize, 0usize);
        for t in tasks {
            match t.await {
                Ok(Ok((200, reply))) => {
                    let v: serde_json::Value = serde_json::from_slice(&reply).unwrap_or_default();
                    let field = |k: &str| {
                        v.get(k).and_then(serde_json::Value::as_u64).unwrap_or(0) as usize
                    };
                    pushed += field("pushed");
                    failed += field("failed_batches");
                }
                _ => unreachable += 1,
            }
        }
        self.pushed += pushed;
        self.failed_pushes += failed;
        *self
            .view
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = nodes;
        self.say(&format!(
            "block {height}: {} nodes in {} swarms, {pushed} messages pushed, {failed} batches failed, {unreachable} nodes unreachable",
            self.live().len(),
            self.chain.swarm_count()
        ));
        Ok(())
    }

    /// Fetches every account's messages from its current swarm and checks each acknowledged
    /// hash is there: (delivered, lost, replica gaps).
    pub async fn verify(
        &self,
        client: &Client,
        accounts: &[Account],
        acked: &BTreeMap<usize, BTreeSet<String>>,
    ) -> (usize, usize, usize) {
        let (mut delivered, mut lost, mut gaps) = (0, 0, 0);
        for (i, account) in accounts.iter().enumerate() {
            let Some(expected) = acked.get(&i) else {
                continue;
            };
            let mut missing = expected.clone();
            let mut asked = Vec::new();
            // The first member answers for the swarm; others are asked only for what it
            // lacks (at most 4 members, bounded).
            for round in 0..4 {
                let Ok((member, messages)) = client.fetch(account, &asked).await else {
                    continue;
                };
                asked.push(member);
                let before = missing.len();
                for m in messages {
                    missing.remove(&m.hash);
                }
                if round == 0 {
                    gaps += missing.len();
                } else if missing.len() < before {
                    self.say(&format!(
                        "account {i}: member {} had {} messages the first lacked",
                        member.ed25519,
                        before - missing.len()
                    ));
                }
                if missing.is_empty() {
                    break;
                }
            }
            delivered += expected.len() - missing.len();
            lost += missing.len();
            if !missing.is_empty() {
                self.say(&format!("account {i}: {} messages lost", missing.len()));
            }
        }
        (delivered, lost, gaps)
    }
}

fn pick(items: &[usize]) -> Option<usize> {
    if items.is_empty() {
        return None;
    }
    let mut rng = rand_core::UnwrapErr(getrandom::SysRng);
    items
        .get((rng.next_u64() % items.len() as u64) as usize)
        .copied()
}

/// Fewest nodes for a 3-hop path to a node outside it.
const PATH_NODES: usize = 4;

/// Starts `nodes` nodes, mines the first block and keeps them running for `duration`, for
/// trying the network by hand (`session send` / `session fetch`): prints the seed node's
/// address and the certificate's path.
pub async fn serve(exe: PathBuf, nodes: usize, duration: Duration) -> anyhow::Result<()> {
    let mut net = Devnet::new(exe, true)?;
    for _ in 0..nodes.max(PATH_NODES) {
        net.add_node().await?;
    }
    net.block().await?;
    let seed = net
        .view
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .first()
        .copied()
        .ok_or_else(|| anyhow::anyhow!("no node"))?;
    println!("seed node: {}", addr_of(&seed));
    println!("certificate: {}", net.cert_path.display());
    println!("serving for {} s (Ctrl-C stops it)", duration.as_secs());
    // Ctrl-C ends the wait too, so that the nodes are stopped and the directory removed.
    tokio::select! {
        () = tokio::time::sleep(duration) => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    Ok(())
}

/// Runs a devnet as `options` says and returns what it measured.
pub async fn run(exe: PathBuf, options: &Options) -> anyhow::Result<Outcome> {
    let mut net = Devnet::new(exe, options.verbose)?;
    for _ in 0..options.nodes {
        net.add_node().await?;
    }
    net.block().await?;

    let stats = Arc::new(Stats::default());
    let accounts: Vec<Account> = (0..options.accounts.max(1))
        .map(|i| {
            let mut seed = [0xac; 32];
            seed[0] = i as u8;
            seed[1] = (i >> 8) as u8;
            Identity::from_seed_bytes(&seed).map(Account::new)
        })
        .collect::<Result<_, _>>()?;
    let clients: Vec<Client> = (0..options.clients.max(1))
        .map(|_| net.client(Arc::clone(&stats)))
        .collect();

    // Senders: `concurrency` loops taking message numbers until the count (or the soak time)
    // is reached.
    let next = Arc::new(AtomicUsize::new(0));
    let acked_count = Arc::new(AtomicUsize::new(0));
    let acked: Arc<Mutex<BTreeMap<usize, BTreeSet<String>>>> = Arc::default();
    let unacked = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let deadline = started + options.soak.unwrap_or(SEND_DEADLINE);
    let limit = if options.soak.is_some() {
        usize::MAX
    } else {
        options.messages
    };
    let mut senders = tokio::task::JoinSet::new();
    for slot in 0..options.concurrency.max(1) {
        let client = clients
            .get(slot % clients.len())
            .cloned()
            .ok_or_else(|| anyhow::anyhow!("no client"))?;
        let accounts = accounts.clone();
        let (next, acked, acked_count, unacked) = (
            Arc::clone(&next),
            Arc::clone(&acked),
            Arc::clone(&acked_count),
            Arc::clone(&unacked),
        );
        senders.spawn(async move {
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= limit || Instant::now() >= deadline {
                    break;
                }
                let a = n % accounts.len();
                let Some(account) = accounts.get(a) else {
                    break;
                };
                let data = format!("devnet message {n} from client {slot} at {started:?}");
                match client.store(&account.id, data.as_bytes()).await {
                    Ok(hash) => {
                        acked
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner)
                            .entry(a)
                            .or_default()
                            .insert(hash);
                        acked_count.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(_) => {
                        unacked.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        });
    }

    let (mut killed, mut restarted, mut joined) = (0, 0, 0);
    match options.soak {
        None => {
            // Kills spread over the run, while messages are in flight.
            for k in 0..options.kill {
                let target = options.messages * (k + 1) / (options.kill + 2);
                while acked_count.load(Ordering::Relaxed) + unacked.load(Ordering::Relaxed) < target
                    && !senders.is_empty()
                    && Instant::now() < deadline
                {
                    if senders.try_join_next().is_some() {
                        continue;
                    }
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                // Keep at least a minimal swarm's worth of nodes.
                let live = net.live();
                let victim = if live.len() > session_swarm::MIN_SWARM_SIZE {
                    pick(&live)
                } else {
                    net.say("not killing: the network is down to one minimal swarm");
                    None
                };
                if let Some(victim) = victim {
                    net.kill(victim).await?;
                    killed += 1;
                    tokio::time::sleep(DETECTION_DELAY).await;
                    net.block().await?;
                }
                if k == 0 {
                    for _ in 0..options.join {
                        net.add_node().await?;
                        joined += 1;
                    }
                    if options.join > 0 {
                        net.block().await?;
                    }
                }
            }
            for index in net.dead().into_iter().take(options.restart) {
                net.start(index).await?;
                restarted += 1;
                net.block().await?;
            }
        }
        Some(_) => {
            // A churn event every `churn_every`: kill a random node, or restart a dead one
            // (about half the time once some are down), or register a fresh one.
            let mut event = 0u64;
            while Instant::now() + options.churn_every < deadline {
                tokio::time::sleep(options.churn_every).await;
                event += 1;
                let dead = net.dead();
                let live = net.live();
                if !dead.is_empty()
                    && (event.is_multiple_of(2) || live.len() <= options.nodes / 2 + 1)
                {
                    if let Some(i) = pick(&dead) {
                        net.start(i).await?;
                        restarted += 1;
                    }
                } else if event.is_multiple_of(5) && joined < options.join {
                    net.add_node().await?;
                    joined += 1;
                } else if live.len() > session_swarm::MIN_SWARM_SIZE
                    && let Some(i) = pick(&live)
                {
                    net.kill(i).await?;
                    killed += 1;
                    tokio::time::sleep(DETECTION_DELAY).await;
                }
                net.block().await?;
            }
        }
    }
    // Bounded: each sender stops at the count or the deadline, each request after its
    // attempts.
    while senders.join_next().await.is_some() {}
    let send_time = started.elapsed();
    let load = stats.report();

    // Settle: two more blocks so the last changes replicate.
    net.block().await?;
    net.block().await?;
    let acked = acked
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    let verifier = net.client(Arc::new(Stats::default()));
    let (delivered, lost, replica_gaps) = net.verify(&verifier, &accounts, &acked).await;
    Ok(Outcome {
        acknowledged: acked.values().map(BTreeSet::len).sum(),
        delivered,
        lost,
        unacknowledged: unacked.load(Ordering::Relaxed),
        replica_gaps,
        killed,
        restarted,
        joined,
        blocks: net.chain_height(),
        swarms: net.chain.swarm_count(),
        pushed: net.pushed,
        failed_pushes: net.failed_pushes,
        send_time,
        load,
    })
}

impl Devnet {
    /// Blocks mined so far.
    #[must_use]
    pub fn chain_height(&self) -> u64 {
        self.chain.height()
    }
}
