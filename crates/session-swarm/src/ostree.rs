//! An order-statistic set of `u64`: insert, remove and "k-th smallest".
//!
//! The keys live in sorted chunks of at most [`CHUNK`] keys, with the chunks' first keys and
//! lengths in two flat arrays. Finding a chunk is a binary search over one contiguous array,
//! "k-th smallest" a scan over the chunk lengths, and an insert or remove moves at most one
//! chunk's keys within a contiguous block. A million-node network keeps ~140,000 swarm ids per
//! size in such sets; a pointer-based balanced tree touches a cold cache line at every level for
//! the same answers, which is where a bootstrap used to spend its time.

use alloc::vec::Vec;

/// Keys per chunk at most: large enough that the length scan of "k-th" stays short, small
/// enough that an insert's shift stays within a few cache lines' worth of copies.
const CHUNK: usize = 512;

/// The set.
#[derive(Clone, Debug, Default)]
pub(crate) struct OsSet {
    /// Non-empty, sorted, each below every key of the next.
    chunks: Vec<Vec<u64>>,
    /// `chunks[i][0]`.
    firsts: Vec<u64>,
    /// `chunks[i].len()`.
    lens: Vec<u32>,
    len: usize,
}

impl OsSet {
    #[cfg(test)]
    pub(crate) fn new() -> Self {
        Self::default()
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The chunk that holds `key` or would receive it.
    fn chunk_for(&self, key: u64) -> usize {
        self.firsts.partition_point(|&f| f <= key).saturating_sub(1)
    }

    /// Inserts `key`; no-op if present.
    pub(crate) fn insert(&mut self, key: u64) {
        let c = self.chunk_for(key);
        let Some(chunk) = self.chunks.get_mut(c) else {
            // Empty set.
            self.chunks.push(alloc::vec![key]);
            self.firsts.push(key);
            self.lens.push(1);
            self.len = 1;
            return;
        };
        let Err(pos) = chunk.binary_search(&key) else {
            return;
        };
        chunk.insert(pos, key);
        self.len += 1;
        if pos == 0
            && let Some(f) = self.firsts.get_mut(c)
        {
            *f = key;
        }
        if chunk.len() > CHUNK {
            let upper = chunk.split_off(CHUNK / 2);
            let (lower_len, upper_len) = (chunk.len(), upper.len());
            let upper_first = upper.first().copied().unwrap_or(key);
            self.chunks.insert(c + 1, upper);
            self.firsts.insert(c + 1, upper_first);
            self.lens.insert(c + 1, len_u32(upper_len));
            if let Some(l) = self.lens.get_mut(c) {
                *l = len_u32(lower_len);
            }
        } else if let Some(l) = self.lens.get_mut(c) {
            *l += 1;
        }
    }

    /// Removes `key`; no-op if absent.
    pub(crate) fn remove(&mut self, key: u64) {
        let c = self.chunk_for(key);
        let Some(chunk) = self.chunks.get_mut(c) else {
            return;
        };
        let Ok(pos) = chunk.binary_search(&key) else {
            return;
        };
        chunk.remove(pos);
        self.len -= 1;
        match chunk.first().copied() {
            None => {
                self.chunks.remove(c);
                self.firsts.remove(c);
                self.lens.remove(c);
            }
            Some(first) => {
                if let Some(f) = self.firsts.get_mut(c) {
                    *f = first;
                }
                if let Some(l) = self.lens.get_mut(c) {
                    *l -= 1;
                }
            }
        }
    }

    /// The `k`-th smallest key (0-based).
    pub(crate) fn kth(&self, mut k: usize) -> Option<u64> {
        if k >= self.len {
            return None;
        }
        for (c, &l) in self.lens.iter().enumerate() {
            let l = l as usize;
            if k < l {
                return self.chunks.get(c)?.get(k).copied();
            }
            k -= l;
        }
        None
    }
}

/// A chunk length (at most `CHUNK + 1`) as stored.
fn len_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::collections::BTreeSet;

    /// SplitMix64 finaliser.
    fn mix(mut z: u64) -> u64 {
        z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn check(set: &OsSet, model: &BTreeSet<u64>) {
        assert_eq!(set.len(), model.len());
        let all: Vec<u64> = (0..set.len()).filter_map(|k| set.kth(k)).collect();
        assert_eq!(all, model.iter().copied().collect::<Vec<_>>());
        assert_eq!(set.kth(set.len()), None);
        assert_eq!(
            set.lens.iter().map(|&l| l as usize).sum::<usize>(),
            set.len()
        );
        for (c, chunk) in set.chunks.iter().enumerate() {
            assert!(!chunk.is_empty() && chunk.len() <= CHUNK);
            assert_eq!(set.firsts[c], chunk[0]);
            assert_eq!(set.lens[c] as usize, chunk.len());
        }
    }

    #[test]
    fn behaves_like_a_sorted_set() {
        // Small and large key ranges: many duplicates, and enough keys for many chunks.
        for range in [500u64, 1 << 40] {
            let mut set = OsSet::new();
            let mut model = BTreeSet::new();
            let mut x = 12345u64;
            for step in 0..20_000u64 {
                x = mix(x);
                let key = x % range;
                if step % 3 == 0 {
                    set.remove(key);
                    model.remove(&key);
                } else {
                    set.insert(key);
                    model.insert(key);
                }
                if step % 997 == 0 {
                    check(&set, &model);
                }
            }
            check(&set, &model);
            // Drain completely, lowest keys first, then build ascending (appends only).
            for key in model.clone() {
                set.remove(key);
                model.remove(&key);
            }
            check(&set, &model);
            for key in 0..3 * CHUNK as u64 {
                set.insert(key);
                model.insert(key);
            }
            check(&set, &model);
        }
    }
}
