//! The contract's node list (`allServiceNodeIDs()`), and the purges oxend derives from it.

use alloc::vec::Vec;

use super::error::NodeListError;
use super::words::{Words, word_u64};
use crate::bls::BlsPublicKeyBytes;

/// One node of the contract's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContractNode {
    /// The contract's id of the node.
    pub id: u64,
    /// Its BLS key, as the contract returns it (unchecked, as oxend keeps it).
    pub bls_public_key: BlsPublicKeyBytes,
}

/// How old (in Oxen blocks) a registration must be before its absence from the contract's list
/// makes it purgeable: 24 hours of 2-minute blocks on mainnet and testnet. Younger nodes may
/// simply be missing from a list fetched a little earlier.
pub const PURGE_MIN_AGE: u64 = 720;

/// Decodes the return data of `allServiceNodeIDs()` (`(uint64[] ids, G1Point[] keys)`) as
/// oxend's `parse_all_service_node_ids` does: two offsets, two length-prefixed arrays of equal
/// length; bytes after the arrays are ignored.
///
/// Allocates at most one entry per 64 bytes of input (each needs its key present; the two
/// arrays may overlap, as oxend does not check that they do not).
pub fn decode_all_service_node_ids(data: &[u8]) -> Result<Vec<ContractNode>, NodeListError> {
    let mut head = Words::new(data);
    let (ids_offset, keys_offset) = match (head.take::<32>(), head.take::<32>()) {
        (Some(ids), Some(keys)) => (ids, keys),
        _ => return Err(NodeListError::Truncated { part: "head" }),
    };
    let too_large = |field| NodeListError::TooLarge { field };
    let ids_offset = word_u64(ids_offset).ok_or(too_large("ids offset"))?;
    let keys_offset = word_u64(keys_offset).ok_or(too_large("keys offset"))?;

    let (id_count, ids) = array(data, ids_offset, "ids length")?;
    let id_count = id_count.ok_or(too_large("ids length"))?;
    let (key_count, keys) = array(data, keys_offset, "keys length")?;
    let key_count = key_count.ok_or(too_large("keys length"))?;
    if id_count != key_count {
        return Err(NodeListError::CountMismatch {
            ids: id_count,
            keys: key_count,
        });
    }
    let ids = entries::<32>(ids, id_count, "ids")?;
    let keys = entries::<64>(keys, key_count, "keys")?;
    ids.zip(keys)
        .map(|(id, key)| {
            Ok(ContractNode {
                id: word_u64(id).ok_or(too_large("id"))?,
                bls_public_key: BlsPublicKeyBytes(*key),
            })
        })
        .collect()
}

/// The length word at `offset` (`None` if it does not fit `u64`) and the bytes after it.
fn array<'a>(
    data: &'a [u8],
    offset: u64,
    part: &'static str,
) -> Result<(Option<u64>, &'a [u8]), NodeListError> {
    // oxend slices its hex string at `offset * 2` in a 64-bit size_t, which wraps: the byte
    // position it reads is `offset mod 2^63`. Past the end it reads nothing.
    let position = usize::try_from(offset & (u64::MAX >> 1)).unwrap_or(usize::MAX);
    let start = data.get(position..).unwrap_or_default();
    let mut words = Words::new(start);
    let length = words
        .take::<32>()
        .ok_or(NodeListError::Truncated { part })?;
    Ok((word_u64(length), words.rest()))
}

/// The first `count` entries of `N` bytes, all present.
fn entries<'a, const N: usize>(
    bytes: &'a [u8],
    count: u64,
    part: &'static str,
) -> Result<impl Iterator<Item = &'a [u8; N]>, NodeListError> {
    let needed = usize::try_from(count)
        .ok()
        .and_then(|c| c.checked_mul(N))
        .filter(|n| *n <= bytes.len())
        .ok_or(NodeListError::Entries {
            part,
            count,
            available: bytes.len(),
        })?;
    let (present, _) = bytes.split_at(needed);
    Ok(present
        .chunks_exact(N)
        .filter_map(|chunk| <&[u8; N]>::try_from(chunk).ok()))
}

/// The BLS keys of registered nodes that oxend would purge: absent from a (non-empty) contract
/// list and registered more than `min_age` blocks before `current_height`
/// ([`PURGE_MIN_AGE`] on the live networks).
///
/// `registered` gives each node of the Oxen-side list: its BLS key and registration height. An
/// empty contract list purges nothing: it means the fetch failed, not that the network left.
pub fn purges<'a, I>(
    contract: &[ContractNode],
    registered: I,
    current_height: u64,
    min_age: u64,
) -> Vec<BlsPublicKeyBytes>
where
    I: IntoIterator<Item = (&'a BlsPublicKeyBytes, u64)>,
{
    if contract.is_empty() {
        return Vec::new();
    }
    let mut in_contract: Vec<&BlsPublicKeyBytes> =
        contract.iter().map(|n| &n.bls_public_key).collect();
    in_contract.sort_unstable();
    registered
        .into_iter()
        .filter(|(key, height)| {
            in_contract.binary_search(key).is_err()
                && height.saturating_add(min_age) < current_height
        })
        .map(|(key, _)| *key)
        .collect()
}
