//! Replies that wait for the swarm: the storage server's entry node answers a request it
//! forwarded to its peers (`store`, the deletes, the expiry updates, the (un)revokes, and such
//! sub-requests of `batch`, `sequence` and `ifelse`) only once every peer has answered or
//! timed out, and a `sequence` runs its next step only after the swarm's results of the
//! previous one are in. A [`Node`] keeps such a request here, as a tree of what is done and
//! what still waits, until the runtime has passed in every answer.

use alloc::boxed::Box;
use alloc::collections::VecDeque;
use alloc::string::ToString;
use alloc::vec::Vec;

use rand_core::CryptoRng;
use session_core::{Ed25519PublicKey, Timestamp};
use session_onion::node::{DestinationRequest, OpenedRequest, ReplyBody};
use session_storage::StorageBackend;

use super::{Ctx, Effects, Handled, Node, http_response};
use crate::http::Response;
use crate::peers::{Encoding, PeerReply, merged_status, peer_entry};
use crate::reply::{Body, Reply};
use crate::request::Rpc;
use crate::value::Value;

/// How long the storage server waits for a swarm peer's answer to a forwarded request, in
/// milliseconds (its OxenMQ request timeout).
pub const PEER_TIMEOUT_MS: u64 = 5_000;

/// A reply that waits for swarm peers' answers. The [`Handled`] that completes it carries the
/// same id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PendingId(u64);

impl PendingId {
    /// For requests that never wait (a peer's forwarded ones).
    pub(super) const NONE: PendingId = PendingId(u64::MAX);
}

/// Names one forwarded request: give it back to [`Node::peer_answered`] with the peer's
/// answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ForwardId {
    pending: PendingId,
    /// The forwarded (sub-)request's place among the request's forwarded ones.
    slot: u32,
    /// The peer's place among those the (sub-)request went to.
    peer: u32,
}

impl ForwardId {
    pub(super) fn new(pending: PendingId, slot: u32, peer: usize) -> Self {
        ForwardId {
            pending,
            slot,
            peer: u32::try_from(peer).unwrap_or(u32::MAX),
        }
    }

    /// The reply this forward's answer belongs to.
    #[must_use]
    pub fn pending(&self) -> PendingId {
        self.pending
    }
}

/// How the finished reply goes back to the client.
pub(super) enum Answer {
    /// An HTTPS `/storage_rpc/v1` response.
    Http,
    /// An OxenMQ / QUIC `storage.<method>` reply: bencoded when the request was.
    Omq { bencoded: bool },
    /// A v3 onion reply, encrypted for the client with the layer's key.
    Onion {
        opened: OpenedRequest,
        json: bool,
        base64: bool,
    },
}

impl Answer {
    pub(super) fn encode<R: CryptoRng + ?Sized>(&self, reply: Reply, rng: &mut R) -> Response {
        match self {
            Answer::Http => http_response(reply),
            Answer::Omq { bencoded: true } => match reply.body {
                Body::Json(v) => Response::binary(reply.status, v.to_bencode()),
                _ => http_response(reply),
            },
            Answer::Omq { bencoded: false } => http_response(reply),
            Answer::Onion {
                opened,
                json,
                base64,
            } => {
                let v;
                let body = match &reply.body {
                    Body::Json(j) => {
                        v = j.to_json();
                        ReplyBody::Json(&v)
                    }
                    Body::Text(t) => ReplyBody::Text(t),
                    Body::Bytes(_) => ReplyBody::Text(""),
                };
                let dest = DestinationRequest {
                    body: &[],
                    json: *json,
                    base64: *base64,
                };
                match opened.v3_reply(&dest, reply.status, body, rng) {
                    Ok(ct) => Response::binary(200, ct),
                    Err(_) => Response::text(500, "Internal error"),
                }
            }
        }
    }
}

/// A request this node ran and forwarded: its reply, with this node's entry under `swarm`,
/// and the peers it waits for.
pub(super) struct Slot {
    /// Taken out once the slot is finished.
    reply: Option<Reply>,
    /// The peers asked, in forward order, and whether each has answered. Empty when the node
    /// does not wait (its reply then carries its own entry only).
    peers: Vec<(Ed25519PublicKey, bool)>,
    encoding: Encoding,
}

impl Slot {
    pub(super) fn new(reply: Reply, peers: Vec<(Ed25519PublicKey, bool)>, b64: bool) -> Self {
        Slot {
            reply: Some(reply),
            peers,
            encoding: if b64 {
                Encoding::Json
            } else {
                Encoding::Bencode
            },
        }
    }

    fn waiting(&self) -> bool {
        self.peers.iter().any(|(_, answered)| !answered)
    }

    /// Adds peer `index`'s answer under `swarm`; false for an unknown peer or a second answer.
    fn record(&mut self, index: u32, answer: PeerReply<'_>) -> bool {
        let Some((key, answered)) = usize::try_from(index)
            .ok()
            .and_then(|i| self.peers.get_mut(i))
        else {
            return false;
        };
        if *answered {
            return false;
        }
        *answered = true;
        if let Some(Reply {
            body: Body::Json(Value::Dict(top)),
            ..
        }) = &mut self.reply
            && let Some(Value::Dict(swarm)) = top.get_mut("swarm")
        {
            swarm.insert(key.to_string(), peer_entry(answer, self.encoding));
        }
        true
    }

    /// The peers that have not answered yet time out.
    fn time_out(&mut self) {
        for i in 0..self.peers.len() {
            self.record(u32::try_from(i).unwrap_or(u32::MAX), PeerReply::Timeout);
        }
    }

    /// The finished reply, with the status the swarm's entries give it.
    fn finish(&mut self) -> Reply {
        let Some(mut reply) = self.reply.take() else {
            return Reply::text(500, "request failed");
        };
        if let Body::Json(v) = &reply.body
            && let Some(Value::Dict(swarm)) = v.get("swarm")
        {
            let status = merged_status(u64::from(reply.status), swarm);
            reply.status = u16::try_from(status).unwrap_or(reply.status);
        }
        reply
    }
}

/// What is left of a request: results in, and parts still waiting.
pub(super) enum Task {
    Done(Reply),
    /// A forwarded request: its [`Slot`].
    Swarm(usize),
    Batch(Vec<Task>),
    /// The step running, the results of those before it, and the steps after it.
    Sequence {
        results: Vec<Value>,
        current: Box<Task>,
        rest: VecDeque<Rpc>,
    },
    /// The `ifelse` reply without its `result`, and the branch running.
    IfElse {
        head: Value,
        inner: Box<Task>,
    },
}

/// A request waiting for peers.
pub(super) struct Pending {
    task: Task,
    slots: Vec<Slot>,
    ctx: Ctx,
    answer: Answer,
    /// When the peers asked last time out.
    deadline: Timestamp,
}

impl Pending {
    pub(super) fn deadline(&self) -> Timestamp {
        self.deadline
    }
}

fn deadline(now: Timestamp) -> Timestamp {
    now.saturating_add_millis(PEER_TIMEOUT_MS)
}

impl<B: StorageBackend> Node<B> {
    /// Runs `rpc` as the entry node: answers it now when no peer must answer first (or the
    /// node does not wait for peers), else keeps it until they have.
    pub(super) fn execute<R: CryptoRng + ?Sized>(
        &mut self,
        now: Timestamp,
        rng: &mut R,
        rpc: Rpc,
        ctx: Ctx,
        answer: Answer,
    ) -> Handled {
        // A node at its limit answers at once, as one that does not wait.
        let wait =
            self.config.wait_for_peers && self.pending.len() < self.config.max_pending_replies;
        let id = PendingId(self.next_pending);
        self.next_pending = self.next_pending.wrapping_add(1);
        let mut fx = Effects::new(id, wait);
        let mut slots = Vec::new();
        let task = self.start(now, rpc, ctx, &mut slots, &mut fx);
        let pending = Pending {
            task,
            slots,
            ctx,
            answer,
            deadline: deadline(now),
        };
        self.advance_or_wait(now, rng, id, pending, fx, None)
    }

    /// Runs what of `rpc` can run now: every sub-request of a batch, the first step of a
    /// sequence, the branch of an ifelse.
    fn start(
        &mut self,
        now: Timestamp,
        rpc: Rpc,
        ctx: Ctx,
        slots: &mut Vec<Slot>,
        fx: &mut Effects,
    ) -> Task {
        match rpc {
            Rpc::Batch(subs) => Task::Batch(
                subs.into_iter()
                    .map(|sub| self.start(now, sub, ctx, slots, fx))
                    .collect(),
            ),
            Rpc::Sequence(subs) => {
                let mut rest = VecDeque::from(subs);
                match rest.pop_front() {
                    Some(first) => Task::Sequence {
                        results: Vec::new(),
                        current: Box::new(self.start(now, first, ctx, slots, fx)),
                        rest,
                    },
                    None => Task::Done(Reply::ok(
                        Value::dict().with("results", Value::List(Vec::new())),
                    )),
                }
            }
            Rpc::IfElse(ie) => {
                let (head, branch) = self.if_else(*ie);
                match branch {
                    Some(sub) => Task::IfElse {
                        head,
                        inner: Box::new(self.start(now, sub, ctx, slots, fx)),
                    },
                    None => Task::Done(Reply::ok(head)),
                }
            }
            leaf => {
                let before = fx.forwards.len();
                fx.slot = u32::try_from(slots.len()).unwrap_or(u32::MAX);
                let reply = self.run(now, leaf, ctx, fx);
                let asked = fx.forwards.get(before..).unwrap_or_default();
                if asked.is_empty() {
                    return Task::Done(reply);
                }
                let peers = if fx.wait {
                    asked.iter().map(|f| (f.to.ed25519, false)).collect()
                } else {
                    Vec::new()
                };
                slots.push(Slot::new(reply, peers, ctx.b64));
                Task::Swarm(slots.len() - 1)
            }
        }
    }

    /// Moves `task` on as far as the answers in allow: its reply once every part is done,
    /// else what still waits. A sequence starts its next step here, once the step before has
    /// its swarm's results, and stops at a step that failed (a status outside 2xx).
    fn advance(
        &mut self,
        now: Timestamp,
        task: Task,
        ctx: Ctx,
        slots: &mut Vec<Slot>,
        fx: &mut Effects,
    ) -> Result<Reply, Task> {
        match task {
            Task::Done(reply) => Ok(reply),
            Task::Swarm(i) => match slots.get_mut(i) {
                Some(slot) if slot.waiting() => Err(Task::Swarm(i)),
                Some(slot) => Ok(slot.finish()),
                None => Ok(Reply::text(500, "request failed")),
            },
            Task::Batch(items) => {
                let mut done = true;
                let items: Vec<Task> = items
                    .into_iter()
                    .map(|t| match self.advance(now, t, ctx, slots, fx) {
                        Ok(reply) => Task::Done(reply),
                        Err(t) => {
                            done = false;
                            t
                        }
                    })
                    .collect();
                if !done {
                    return Err(Task::Batch(items));
                }
                let results = items
                    .into_iter()
                    .map(|t| match t {
                        Task::Done(reply) => reply.nested(),
                        _ => Reply::text(500, "request failed").nested(),
                    })
                    .collect();
                Ok(Reply::ok(
                    Value::dict().with("results", Value::List(results)),
                ))
            }
            Task::Sequence {
                mut results,
                mut current,
                mut rest,
            } => loop {
                let reply = match self.advance(now, *current, ctx, slots, fx) {
                    Ok(reply) => reply,
                    Err(waiting) => {
                        return Err(Task::Sequence {
                            results,
                            current: Box::new(waiting),
                            rest,
                        });
                    }
                };
                let failed = !(200..=299).contains(&reply.status);
                results.push(reply.nested());
                match rest.pop_front() {
                    Some(next) if !failed => {
                        *current = self.start(now, next, ctx, slots, fx);
                    }
                    _ => {
                        return Ok(Reply::ok(
                            Value::dict().with("results", Value::List(results)),
                        ));
                    }
                }
            },
            Task::IfElse { head, inner } => match self.advance(now, *inner, ctx, slots, fx) {
                Ok(reply) => Ok(Reply::ok(head.with("result", reply.nested()))),
                Err(waiting) => Err(Task::IfElse {
                    head,
                    inner: Box::new(waiting),
                }),
            },
        }
    }

    /// Takes a swarm peer's answer to the forwarded request `forward` (a [`PeerReply`], or
    /// [`PeerReply::Timeout`] when the runtime gave up on it: the storage server waits
    /// [`PEER_TIMEOUT_MS`]).
    ///
    /// Once every peer of a reply has answered, the reply is finished: the returned
    /// [`Handled`] carries its id and the response to send to the client (HTTP, OxenMQ or
    /// onion-encrypted, as the request came), or, for a `sequence` that goes on, the next
    /// step's forwards (and its notifications) while the reply keeps waiting. Answers for
    /// unknown or finished replies, to forwards already answered, or that are not the last
    /// one a reply waits for give a [`Handled`] without a response.
    pub fn peer_answered<R: CryptoRng + ?Sized>(
        &mut self,
        now: Timestamp,
        rng: &mut R,
        forward: ForwardId,
        answer: PeerReply<'_>,
    ) -> Handled {
        let id = forward.pending;
        let Some(pending) = self.pending.get_mut(&id) else {
            return Handled::default();
        };
        let Some(slot) = usize::try_from(forward.slot)
            .ok()
            .and_then(|i| pending.slots.get_mut(i))
        else {
            return Handled::default();
        };
        if !slot.record(forward.peer, answer) {
            return Handled::default();
        }
        if slot.waiting() {
            return Handled {
                pending: Some(id),
                ..Handled::default()
            };
        }
        match self.pending.remove(&id) {
            Some(pending) => self.resume(now, rng, id, pending),
            None => Handled::default(),
        }
    }

    /// The earliest time at which a reply's peers time out: call
    /// [`handle_timeouts`](Self::handle_timeouts) then.
    #[must_use]
    pub fn next_timeout(&self) -> Option<Timestamp> {
        self.pending.values().map(Pending::deadline).min()
    }

    /// Times out the peers that have not answered within [`PEER_TIMEOUT_MS`] of being asked
    /// (`{"failed": true, "timeout": true}` entries, as the storage server writes) and returns
    /// what that finishes or starts: finished replies, and the next steps' forwards of
    /// sequences that go on.
    pub fn handle_timeouts<R: CryptoRng + ?Sized>(
        &mut self,
        now: Timestamp,
        rng: &mut R,
    ) -> Vec<Handled> {
        let due: Vec<PendingId> = self
            .pending
            .iter()
            .filter(|(_, p)| p.deadline <= now)
            .map(|(id, _)| *id)
            .collect();
        let mut out = Vec::with_capacity(due.len());
        for id in due {
            if let Some(mut pending) = self.pending.remove(&id) {
                for slot in &mut pending.slots {
                    slot.time_out();
                }
                out.push(self.resume(now, rng, id, pending));
            }
        }
        out
    }

    /// How many replies wait for peers.
    #[must_use]
    pub fn pending_replies(&self) -> usize {
        self.pending.len()
    }

    /// Forgets the replies still waiting a whole peer timeout after their deadline (a
    /// runtime that calls [`handle_timeouts`](Self::handle_timeouts) never leaves any).
    pub(super) fn drop_stale(&mut self, now: Timestamp) {
        let cutoff = now.saturating_sub_millis(PEER_TIMEOUT_MS);
        self.pending.retain(|_, p| p.deadline >= cutoff);
    }

    /// Goes on with a waiting request now that one of its answers or timeouts is in.
    fn resume<R: CryptoRng + ?Sized>(
        &mut self,
        now: Timestamp,
        rng: &mut R,
        id: PendingId,
        pending: Pending,
    ) -> Handled {
        self.advance_or_wait(now, rng, id, pending, Effects::new(id, true), Some(id))
    }

    /// Advances `pending`'s task: the reply once it is complete (the `Handled` carrying
    /// `answered_as`), else the request kept waiting under `id`, its deadline renewed when it
    /// sent new forwards.
    fn advance_or_wait<R: CryptoRng + ?Sized>(
        &mut self,
        now: Timestamp,
        rng: &mut R,
        id: PendingId,
        pending: Pending,
        mut fx: Effects,
        answered_as: Option<PendingId>,
    ) -> Handled {
        let Pending {
            task,
            mut slots,
            ctx,
            answer,
            deadline: until,
        } = pending;
        match self.advance(now, task, ctx, &mut slots, &mut fx) {
            Ok(reply) => fx.into_handled(answered_as, Some(answer.encode(reply, rng))),
            Err(task) => {
                let deadline = if fx.forwards.is_empty() {
                    until
                } else {
                    deadline(now)
                };
                self.pending.insert(
                    id,
                    Pending {
                        task,
                        slots,
                        ctx,
                        answer,
                        deadline,
                    },
                );
                fx.into_handled(Some(id), None)
            }
        }
    }
}
