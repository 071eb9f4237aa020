//! The simulated network: every message between clients and nodes (requests, onion layers,
//! forwards to swarm peers, replication pushes, answers) goes through one queue ordered by
//! delivery time, each delayed by a one-way latency drawn from a seeded RNG. Messages are
//! never lost in flight; a message to a node that has left the network bounces back as
//! [`Packet::Unreachable`], as a refused connection would.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use chacha20::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};
use session_core::{Ed25519PublicKey, Timestamp};

/// Where a message goes: the client population or a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Addr {
    Client,
    Node(Ed25519PublicKey),
}

/// What travels.
#[derive(Debug)]
pub(crate) enum Packet {
    /// An HTTPS POST to a node's `/storage_rpc/v1` or `/onion_req/v2`.
    Http { path: &'static str, body: Vec<u8> },
    /// An onion layer passed on by the previous hop (`sn.onion_request`).
    Onion(Vec<u8>),
    /// A client request an entry node forwards to a swarm peer (`sn.storage_cc`).
    Peer { method: &'static str, body: Vec<u8> },
    /// A replication batch; it is not answered.
    Push(Vec<u8>),
    /// The answer to the request with the same token.
    Answer { status: u16, body: Vec<u8> },
    /// The request with the same token found no one at its address.
    Unreachable,
}

/// One message in flight. `token` pairs an answer with its request: the sender picks it and
/// the answer carries it back.
#[derive(Debug)]
pub(crate) struct Envelope {
    pub(crate) at: Timestamp,
    pub(crate) from: Addr,
    pub(crate) to: Addr,
    pub(crate) token: u64,
    pub(crate) packet: Packet,
}

struct Queued {
    seq: u64,
    env: Envelope,
}

impl Queued {
    fn key(&self) -> (u64, u64) {
        (self.env.at.as_millis(), self.seq)
    }
}

impl PartialEq for Queued {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}
impl Eq for Queued {}
impl PartialOrd for Queued {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Queued {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}

/// Messages sent, by kind, over a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Traffic {
    /// HTTPS requests from clients (direct storage RPCs and onion requests to a guard).
    pub requests: u64,
    /// Onion layers relayed from node to node.
    pub onion_hops: u64,
    /// Requests forwarded by entry nodes to their swarm peers.
    pub peer_forwards: u64,
    /// Replication batches pushed after swarm changes.
    pub pushes: u64,
    /// Answers (to every kind above but pushes).
    pub answers: u64,
    /// Requests that bounced off a node no longer in the network.
    pub unreachable: u64,
    /// Payload bytes of everything sent.
    pub bytes: u64,
}

/// The network: a delivery queue and its latency model.
pub(crate) struct Network {
    queue: BinaryHeap<Reverse<Queued>>,
    seq: u64,
    next_token: u64,
    rng: ChaCha20Rng,
    /// One-way latency, uniform in `min..=max` milliseconds.
    latency: (u64, u64),
    last: Timestamp,
    pub(crate) traffic: Traffic,
}

impl Network {
    /// A network whose one-way latency averages `latency_ms` (uniform from half to one and a
    /// half times it), its draws seeded by `seed`.
    pub(crate) fn new(latency_ms: u64, seed: u64) -> Self {
        Network {
            queue: BinaryHeap::new(),
            seq: 0,
            next_token: 1,
            rng: ChaCha20Rng::seed_from_u64(seed),
            latency: (latency_ms / 2, latency_ms + latency_ms / 2),
            last: Timestamp::from_millis(0),
            traffic: Traffic::default(),
        }
    }

    /// A fresh token for a request.
    pub(crate) fn token(&mut self) -> u64 {
        self.next_token += 1;
        self.next_token
    }

    /// Sends `packet` at `now`; it arrives after one latency draw.
    pub(crate) fn send(
        &mut self,
        now: Timestamp,
        from: Addr,
        to: Addr,
        token: u64,
        packet: Packet,
    ) {
        let t = &mut self.traffic;
        match &packet {
            Packet::Http { body, .. } => {
                t.requests += 1;
                t.bytes += body.len() as u64;
            }
            Packet::Onion(b) => {
                t.onion_hops += 1;
                t.bytes += b.len() as u64;
            }
            Packet::Peer { body, .. } => {
                t.peer_forwards += 1;
                t.bytes += body.len() as u64;
            }
            Packet::Push(b) => {
                t.pushes += 1;
                t.bytes += b.len() as u64;
            }
            Packet::Answer { body, .. } => {
                t.answers += 1;
                t.bytes += body.len() as u64;
            }
            Packet::Unreachable => t.unreachable += 1,
        }
        let (min, max) = self.latency;
        let delay = min + self.rng.next_u64() % (max - min + 1);
        self.seq += 1;
        self.queue.push(Reverse(Queued {
            seq: self.seq,
            env: Envelope {
                at: now.saturating_add_millis(delay),
                from,
                to,
                token,
                packet,
            },
        }));
    }

    /// Answers `request` (a request that arrived at `request.to`).
    pub(crate) fn reply(&mut self, request: &Envelope, at: Timestamp, packet: Packet) {
        self.send(at, request.to, request.from, request.token, packet);
    }

    /// The next message due, in delivery order (ties in sending order).
    pub(crate) fn next(&mut self) -> Option<Envelope> {
        let Reverse(q) = self.queue.pop()?;
        self.last = q.env.at;
        Some(q.env)
    }

    /// When the last message delivered arrived.
    pub(crate) fn last_delivery(&self) -> Timestamp {
        self.last
    }
}
