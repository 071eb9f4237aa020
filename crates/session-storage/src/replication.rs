//! Replication: turning a swarm migration plan into push batches, and receiving them.
//!
//! `session-swarm` decides, after each block, which swarm-space intervals this node must push
//! to which peers ([`session_swarm::migration_plan`]). [`outgoing`] reads those messages from
//! a backend and encodes them as [`push`](crate::push) batches (v2, namespace kept);
//! [`receive`] decodes a batch, checks every hash against its content and imports it
//! (duplicates skipped, existing expiries untouched).
//!
//! The reference server's v1 pushes lose the namespace (every replicated message lands in
//! namespace 0 on the receiver); batches made here carry it.

use alloc::vec::Vec;

use session_core::{SwarmId, Timestamp};
use session_swarm::{MigrationPlan, Push, SpaceInterval, swarm_space};

use crate::backend::{ReplicaSink, ReplicaSource};
use crate::error::ReceiveError;
use crate::push::{BATCH_TARGET_BYTES, decode_messages, encode_batches};
use crate::types::{ImportStats, StoredMessage};

/// The batches to send one peer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerBatches<K> {
    /// The receiving node.
    pub to: K,
    /// The swarm it receives for.
    pub swarm: SwarmId,
    /// Encoded v2 batches, each at most about the requested size.
    pub batches: Vec<Vec<u8>>,
    /// How many messages the batches hold.
    pub messages: usize,
}

fn in_any(intervals: &[SpaceInterval], space: u64) -> bool {
    intervals.iter().any(|iv| iv.contains(space))
}

/// The batches each push of a migration plan must send, reading `source` once. Peers with
/// nothing to receive get no entry.
pub fn outgoing<K: Clone, B: ReplicaSource + ?Sized>(
    source: &B,
    pushes: &[Push<K>],
    now: Timestamp,
    max_batch_bytes: usize,
) -> Result<Vec<PeerBatches<K>>, B::Error> {
    if pushes.is_empty() {
        return Ok(Vec::new());
    }
    let all: Vec<SpaceInterval> = pushes
        .iter()
        .flat_map(|p| p.intervals.iter().copied())
        .collect();
    let messages = source.export_where(&|a| in_any(&all, swarm_space(a.key())), now)?;
    let mut out = Vec::new();
    for p in pushes {
        let mine: Vec<&StoredMessage> = messages
            .iter()
            .filter(|m| in_any(&p.intervals, swarm_space(m.account.key())))
            .collect();
        if mine.is_empty() {
            continue;
        }
        out.push(PeerBatches {
            to: p.to.clone(),
            swarm: p.swarm,
            messages: mine.len(),
            batches: encode_batches(mine, max_batch_bytes),
        });
    }
    Ok(out)
}

/// [`outgoing`] for a whole migration plan, with the storage server's ~9 MB batches.
///
/// ```
/// use std::collections::BTreeMap;
/// use session_core::{AccountId, Namespace, SwarmId, Timestamp};
/// use session_storage::{MemoryStore, MessageWriter, StoredMessage, replication};
/// use session_swarm::{SwarmMap, migration_plan};
///
/// let now = Timestamp::from_millis(1_700_000_000_000);
/// let mut node1 = MemoryStore::new();
/// let msg = StoredMessage::new(AccountId::new(5, [3; 32]), Namespace(-11), now,
///     now.saturating_add_millis(86_400_000), b"kept in -11".to_vec());
/// node1.store(&msg, now)?;
///
/// // Node 4 joins the swarm of nodes 1..=3: node 1 pushes everything to it.
/// let old = SwarmMap::new(BTreeMap::from([(SwarmId(0), vec![1, 2, 3])]));
/// let new = SwarmMap::new(BTreeMap::from([(SwarmId(0), vec![1, 2, 3, 4])]));
/// let out = replication::outgoing_for_plan(&node1, &migration_plan(&old, &new, &1), now)?;
/// assert_eq!(out[0].to, 4);
///
/// let mut node4 = MemoryStore::new();
/// let stats = replication::receive(&mut node4, &out[0].batches[0], now)?;
/// assert_eq!(stats.inserted, 1);
/// # use session_storage::MessageReader;
/// assert_eq!(node4.get_by_hash(&msg.hash, now)?.map(|m| m.namespace), Some(Namespace(-11)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn outgoing_for_plan<K: Clone, B: ReplicaSource + ?Sized>(
    source: &B,
    plan: &MigrationPlan<K>,
    now: Timestamp,
) -> Result<Vec<PeerBatches<K>>, B::Error> {
    outgoing(source, &plan.pushes, now, BATCH_TARGET_BYTES)
}

/// Decodes a received batch, checks every hash against its content, and imports it. A batch
/// with any bad record is refused whole, before anything is imported.
pub fn receive<S: ReplicaSink + ?Sized>(
    sink: &mut S,
    blob: &[u8],
    now: Timestamp,
) -> Result<ImportStats, ReceiveError<S::Error>> {
    let messages = decode_messages(blob)?;
    sink.import(&messages, now).map_err(ReceiveError::Backend)
}
