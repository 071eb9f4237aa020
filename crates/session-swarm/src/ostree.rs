//! An order-statistic set of `u64` (a treap with subtree sizes): insert, remove and "k-th
//! smallest" in O(log n) expected.
//!
//! Priorities are a hash of the key, so the tree's shape is a function of its contents (no
//! RNG, same structure however it was built). Nodes live in an arena indexed by `u32`; those
//! indices are created here and never come from input, hence the module-wide
//! `indexing_slicing` allowance.
#![allow(clippy::indexing_slicing)]

use alloc::vec::Vec;

const NIL: u32 = u32::MAX;

#[derive(Clone, Debug)]
struct Node {
    key: u64,
    prio: u64,
    left: u32,
    right: u32,
    size: u32,
}

/// The set.
#[derive(Clone, Debug)]
pub(crate) struct OsSet {
    nodes: Vec<Node>,
    free: Vec<u32>,
    root: u32,
    len: usize,
    /// Scratch stack of the iterative split and merge (kept to avoid an allocation per call).
    path: Vec<u32>,
}

/// SplitMix64 finaliser: a well-mixed priority from the key.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Default for OsSet {
    fn default() -> Self {
        Self::new()
    }
}

impl OsSet {
    pub(crate) fn new() -> Self {
        OsSet {
            nodes: Vec::new(),
            free: Vec::new(),
            root: NIL,
            len: 0,
            path: Vec::new(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    fn size(&self, t: u32) -> u32 {
        if t == NIL {
            0
        } else {
            self.nodes[t as usize].size
        }
    }

    fn update(&mut self, t: u32) {
        let (l, r) = (self.nodes[t as usize].left, self.nodes[t as usize].right);
        self.nodes[t as usize].size = 1 + self.size(l) + self.size(r);
    }

    /// Splits `t` into (keys < key, keys ≥ key) if `strict`, else (keys ≤ key, keys > key).
    ///
    /// Iterative: a treap's depth is only logarithmic on average, and swarm ids come from the
    /// caller, so recursion could exhaust the stack on a crafted map. The nodes visited go, in
    /// order, down the right spine of the left part or the left spine of the right part, so
    /// updating their sizes in reverse visit order fixes children before parents.
    fn split(&mut self, t: u32, key: u64, strict: bool) -> (u32, u32) {
        let mut path = core::mem::take(&mut self.path);
        path.clear();
        let (mut left_root, mut right_root) = (NIL, NIL);
        let (mut left_tail, mut right_tail) = (NIL, NIL);
        let mut t = t;
        while t != NIL {
            path.push(t);
            let k = self.nodes[t as usize].key;
            if if strict { k < key } else { k <= key } {
                if left_tail == NIL {
                    left_root = t;
                } else {
                    self.nodes[left_tail as usize].right = t;
                }
                left_tail = t;
                t = self.nodes[t as usize].right;
            } else {
                if right_tail == NIL {
                    right_root = t;
                } else {
                    self.nodes[right_tail as usize].left = t;
                }
                right_tail = t;
                t = self.nodes[t as usize].left;
            }
        }
        if left_tail != NIL {
            self.nodes[left_tail as usize].right = NIL;
        }
        if right_tail != NIL {
            self.nodes[right_tail as usize].left = NIL;
        }
        for &n in path.iter().rev() {
            self.update(n);
        }
        self.path = path;
        (left_root, right_root)
    }

    /// Joins two trees, every key of `a` below every key of `b`. Iterative for the same reason
    /// as [`OsSet::split`]: each node taken hangs below the previous one.
    fn merge(&mut self, mut a: u32, mut b: u32) -> u32 {
        let mut path = core::mem::take(&mut self.path);
        path.clear();
        let mut root = NIL;
        // Where the next subtree goes: (parent, as its right child?).
        let mut slot: Option<(u32, bool)> = None;
        loop {
            let next = if a == NIL || b == NIL {
                if a == NIL { b } else { a }
            } else if self.nodes[a as usize].prio > self.nodes[b as usize].prio {
                a
            } else {
                b
            };
            match slot {
                None => root = next,
                Some((parent, true)) => self.nodes[parent as usize].right = next,
                Some((parent, false)) => self.nodes[parent as usize].left = next,
            }
            if a == NIL || b == NIL {
                break;
            }
            path.push(next);
            if next == a {
                slot = Some((a, true));
                a = self.nodes[a as usize].right;
            } else {
                slot = Some((b, false));
                b = self.nodes[b as usize].left;
            }
        }
        for &n in path.iter().rev() {
            self.update(n);
        }
        self.path = path;
        root
    }

    pub(crate) fn contains(&self, key: u64) -> bool {
        let mut t = self.root;
        while t != NIL {
            let n = &self.nodes[t as usize];
            if key == n.key {
                return true;
            }
            t = if key < n.key { n.left } else { n.right };
        }
        false
    }

    /// Inserts `key`; no-op if present.
    pub(crate) fn insert(&mut self, key: u64) {
        self.insert_with_priority(key, mix(key));
    }

    fn insert_with_priority(&mut self, key: u64, prio: u64) {
        if self.contains(key) {
            return;
        }
        let node = Node {
            key,
            prio,
            left: NIL,
            right: NIL,
            size: 1,
        };
        let idx = match self.free.pop() {
            Some(i) => {
                self.nodes[i as usize] = node;
                i
            }
            None => {
                // More than 2^32 - 1 swarms cannot exist in memory anyway.
                let i = u32::try_from(self.nodes.len()).unwrap_or(NIL - 1);
                self.nodes.push(node);
                i
            }
        };
        let (l, r) = self.split(self.root, key, true);
        let l = self.merge(l, idx);
        self.root = self.merge(l, r);
        self.len += 1;
    }

    /// Removes `key`; no-op if absent.
    pub(crate) fn remove(&mut self, key: u64) {
        let (l, r) = self.split(self.root, key, true);
        let (mid, r) = self.split(r, key, false);
        if mid != NIL {
            self.free.push(mid);
            self.len -= 1;
        }
        self.root = self.merge(l, r);
    }

    /// The `k`-th smallest key (0-based).
    pub(crate) fn kth(&self, mut k: usize) -> Option<u64> {
        let mut t = self.root;
        while t != NIL {
            let n = &self.nodes[t as usize];
            let ls = self.size(n.left) as usize;
            if k < ls {
                t = n.left;
            } else if k == ls {
                return Some(n.key);
            } else {
                k -= ls + 1;
                t = n.right;
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::collections::BTreeSet;

    #[test]
    fn behaves_like_a_sorted_set() {
        let mut set = OsSet::new();
        let mut model = BTreeSet::new();
        let mut x = 12345u64;
        for step in 0..5000u64 {
            x = mix(x);
            let key = x % 500;
            if step % 3 == 0 {
                set.remove(key);
                model.remove(&key);
            } else {
                set.insert(key);
                model.insert(key);
            }
            assert_eq!(set.len(), model.len());
            if step % 97 == 0 {
                let all: Vec<u64> = (0..set.len()).filter_map(|k| set.kth(k)).collect();
                assert_eq!(all, model.iter().copied().collect::<Vec<_>>());
                assert_eq!(set.kth(set.len()), None);
            }
        }
    }

    /// Priorities that grow with the key make the treap a single chain 200,000 deep (ids are
    /// input, so a crafted map can approach this): a recursive split or merge would overflow
    /// the test thread's stack.
    #[test]
    fn a_degenerate_chain_does_not_exhaust_the_stack() {
        let mut set = OsSet::new();
        let n = 200_000u64;
        for key in 0..n {
            set.insert_with_priority(key, key);
        }
        assert_eq!(set.len(), 200_000);
        assert_eq!(set.kth(0), Some(0));
        assert_eq!(set.kth(123_456), Some(123_456));
        set.remove(0);
        set.remove(n - 1);
        set.remove(77_777);
        assert_eq!(set.len(), 199_997);
        assert_eq!(set.kth(0), Some(1));
        assert_eq!(set.kth(77_775), Some(77_776));
        assert_eq!(set.kth(77_776), Some(77_778));
        assert_eq!(set.kth(199_996), Some(n - 2));
    }
}
