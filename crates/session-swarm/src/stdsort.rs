//! An exact emulation of GCC libstdc++'s `std::sort` (introsort).
//!
//! oxend sorts its (swarm id, size) list with `std::sort` comparing sizes only. `std::sort` is
//! not stable, so the order among swarms of equal size is whatever libstdc++'s introsort
//! produces, and that order decides which swarm a random index lands on. The live network runs
//! Linux builds compiled with GCC, so consensus depends on this exact permutation: the code
//! below follows `bits/stl_algo.h` / `bits/stl_heap.h` (unchanged for many GCC releases) step
//! by step. `sort_by_key`/`sort_unstable_by` would produce a different network once there are
//! more than 16 swarms.
//!
//! The C++ walks iterators; here every step works on the sub-slice it owns (partitions are
//! split off with `split_at_mut`, the Hoare partition shrinks a window from both ends, the
//! insertion step walks a reference leftwards), so the compiler sees each access in bounds
//! without per-index checks and no access can leave the slice, whatever the comparator. The
//! Hoare partition of a long slice finds its exchanges a block at a time, without a branch per
//! comparison (see [`unguarded_partition`]): the same exchanges in the same order, fewer
//! mispredicted branches, which is what lets this safe code keep up with `std::sort`.
//!
//! [`select`] answers "which element ends up at position r" without sorting everything: the
//! introsort phase leaves consecutive blocks, each no smaller than the one before, and the final
//! insertion sort, being stable, only reorders elements within a block. So only the partitions on
//! the way to the block holding `r` matter, and only that block needs the final sort.

/// libstdc++'s `_S_threshold`: partitions at most this long are left to the final insertion
/// sort.
const THRESHOLD: usize = 16;

/// Sorts `v` exactly as libstdc++'s `std::sort(v.begin(), v.end(), less)` would.
///
/// `less` should be a strict weak ordering (as for C++; this crate only uses
/// `a.size < b.size`). With an inconsistent comparator the order is unspecified, but the
/// function still never panics or loops forever.
///
/// ```
/// let mut v = [(1, 7), (2, 5), (3, 7), (4, 5)];
/// session_swarm::compat::std_sort(&mut v, |a, b| a.1 < b.1);
/// assert_eq!(v, [(2, 5), (4, 5), (1, 7), (3, 7)]); // ≤ 16 elements: insertion sort, stable
/// ```
pub fn std_sort<T: Copy, F: FnMut(&T, &T) -> bool>(v: &mut [T], mut less: F) {
    sort_with_depth::<T, F, true>(v, depth_limit(v.len()), &mut less);
}

/// [`std_sort`] with every partition made one exchange at a time (no block partition): the
/// reference the block partition is tested and fuzzed against.
#[cfg(any(test, feature = "testing"))]
pub(crate) fn std_sort_one_exchange_at_a_time<T: Copy, F: FnMut(&T, &T) -> bool>(
    v: &mut [T],
    mut less: F,
) {
    sort_with_depth::<T, F, false>(v, depth_limit(v.len()), &mut less);
}

/// `2 · std::__lg(n)` = 2 · ⌊log2 n⌋ (0 for an empty slice).
fn depth_limit(n: usize) -> usize {
    n.checked_ilog2().map_or(0, |lg| 2 * lg as usize)
}

/// `BLOCKS`: whether long partitions may use [`block_partition`] (always, except in the
/// reference `std_sort_one_exchange_at_a_time`); the result is the same either way.
fn sort_with_depth<T: Copy, F: FnMut(&T, &T) -> bool, const BLOCKS: bool>(
    v: &mut [T],
    depth: usize,
    less: &mut F,
) {
    if v.is_empty() {
        return;
    }
    introsort_loop::<T, F, BLOCKS>(v, depth, less);
    final_insertion_sort(v, less);
}

/// The element that [`std_sort`] would leave at position `r`, computed in O(n) expected
/// instead of O(n log n): `v` is left partially partitioned (a permutation of the input).
/// `None` if `r` is out of range.
pub(crate) fn select<T: Copy, F: FnMut(&T, &T) -> bool>(
    v: &mut [T],
    r: usize,
    mut less: F,
) -> Option<T> {
    select_with_depth(v, r, depth_limit(v.len()), &mut less)
}

fn select_with_depth<T: Copy, F: FnMut(&T, &T) -> bool>(
    v: &mut [T],
    mut r: usize,
    mut depth: usize,
    less: &mut F,
) -> Option<T> {
    let mut block = v;
    // The path of `introsort_loop` towards `r`: both halves of a partition continue with the
    // same (decremented) depth budget, so following one of them is what the full sort does.
    while block.len() > THRESHOLD {
        if depth == 0 {
            heap_sort(block, less);
            return block.get(r).copied();
        }
        depth -= 1;
        let cut = partition_pivot::<T, F, true>(block, less);
        let (left, right) = block.split_at_mut(cut);
        if r < cut {
            block = left;
        } else {
            r -= cut;
            block = right;
        }
    }
    // The final insertion sort is stable and every element of an earlier block is no bigger
    // than any of a later one: within this block it amounts to a stable sort of the block.
    insertion_sort(block, less);
    block.get(r).copied()
}

fn introsort_loop<T: Copy, F: FnMut(&T, &T) -> bool, const BLOCKS: bool>(
    mut v: &mut [T],
    mut depth: usize,
    less: &mut F,
) {
    while v.len() > THRESHOLD {
        if depth == 0 {
            // std::__partial_sort(first, last, last): __heap_select degenerates to
            // __make_heap, then __sort_heap.
            heap_sort(v, less);
            return;
        }
        depth -= 1;
        let cut = partition_pivot::<T, F, BLOCKS>(v, less);
        let (left, right) = core::mem::take(&mut v).split_at_mut(cut);
        introsort_loop::<T, F, BLOCKS>(right, depth, less);
        v = left;
    }
}

/// `__unguarded_partition_pivot`: median of (second, middle, last) to the front, then a
/// Hoare partition of the rest around it. Returns the cut (≥ 1). `v` has more than 16
/// elements.
fn partition_pivot<T: Copy, F: FnMut(&T, &T) -> bool, const BLOCKS: bool>(
    v: &mut [T],
    less: &mut F,
) -> usize {
    let n = v.len();
    move_median_to_first(v, n / 2, less);
    let Some((pivot, rest)) = v.split_first_mut() else {
        return 0;
    };
    1 + if BLOCKS {
        unguarded_partition(rest, pivot, less)
    } else {
        scalar_partition(rest, pivot, less)
    }
}

/// `__move_median_to_first(first, first + 1, mid, last - 1)`: swaps the median of the three
/// into `v[0]`.
fn move_median_to_first<T: Copy, F: FnMut(&T, &T) -> bool>(v: &mut [T], mid: usize, less: &mut F) {
    let last = v.len().saturating_sub(1);
    let (Some(&a), Some(&b), Some(&c)) = (v.get(1), v.get(mid), v.get(last)) else {
        return;
    };
    let pick = if less(&a, &b) {
        if less(&b, &c) {
            mid
        } else if less(&a, &c) {
            last
        } else {
            1
        }
    } else if less(&a, &c) {
        1
    } else if less(&b, &c) {
        last
    } else {
        mid
    };
    swap(v, 0, pick);
}

/// Exchanges `v[i]` and `v[j]` (no-op if either is out of range). Plain loads and stores:
/// `slice::swap` goes through a stack temporary, which costs a store-forwarding stall per swap
/// in the partition loop.
#[inline(always)]
fn swap<T: Copy>(v: &mut [T], i: usize, j: usize) {
    if let (Some(&a), Some(&b)) = (v.get(i), v.get(j)) {
        if let Some(x) = v.get_mut(i) {
            *x = b;
        }
        if let Some(y) = v.get_mut(j) {
            *y = a;
        }
    }
}

/// Elements classified per block by [`pair_blocks`].
const BLOCK: usize = 64;

/// Slices shorter than this are partitioned by [`scalar_partition`] alone. The block phase
/// pays off on long unsorted slices; on short ones, and on the partly partitioned lists that
/// repeated [`select`] calls see (oxend's placements at 2,000 nodes: 285 swarms), it measured
/// no faster or slower than the plain loop.
const BLOCK_MIN_LEN: usize = 8 * BLOCK;

/// `__unguarded_partition(first + 1, last, first)`: Hoare partition of `v` around `pivot`
/// (which lies just before `v` and does not move). Returns the cut within `v`.
///
/// The exchanges are found a block at a time ([`pair_blocks`]) while both ends have elements
/// left to classify; the C++ loop then carries on from the state they leave
/// ([`scalar_partition`] on what lies between the last exchanged pair), which also decides
/// the cut. The permutation and the cut are libstdc++'s.
fn unguarded_partition<T: Copy, F: FnMut(&T, &T) -> bool>(
    v: &mut [T],
    pivot: &T,
    less: &mut F,
) -> usize {
    if v.len() < BLOCK_MIN_LEN {
        scalar_partition(v, pivot, less)
    } else {
        block_partition(v, pivot, less)
    }
}

/// [`pair_blocks`], then the C++ loop from where it leaves off: the same result as
/// [`scalar_partition`] for every length.
fn block_partition<T: Copy, F: FnMut(&T, &T) -> bool>(
    v: &mut [T],
    pivot: &T,
    less: &mut F,
) -> usize {
    let (first, last) = pair_blocks(v, pivot, less);
    let window = v.get_mut(first..last).unwrap_or_default();
    first + scalar_partition(window, pivot, less)
}

/// The first exchanges of the C++ partition loop, found a block at a time; returns the loop's
/// `first` and `last` after them (`(0, v.len())` if none).
///
/// The C++ loop's k-th exchange swaps the k-th element from the left that is not less than
/// the pivot with the k-th element from the right that the pivot is not less than, both
/// counted in the input as it was, for as long as the first lies left of the second (an
/// exchange only touches positions both scans have already passed). So, as in BlockQuicksort:
/// classify 64 elements from each end without a branch per element, recording the positions
/// that stop the scans, then swap the recorded positions pairwise. The two classified regions
/// never overlap, so every pair found this way is one the C++ makes, in the same order. It
/// stops when one end has nothing left to classify. The point is speed: the C++ scans' exit
/// branches mispredict on unsorted input, the classification does not branch.
fn pair_blocks<T: Copy, F: FnMut(&T, &T) -> bool>(
    v: &mut [T],
    pivot: &T,
    less: &mut F,
) -> (usize, usize) {
    // Not yet classified: [lo, hi). Stops found and not yet paired: `left[l_next..l_len]`
    // (offsets from `l_base`), `right[r_next..r_len]` (offsets leftwards from `r_base - 1`).
    let (mut lo, mut hi) = (0, v.len());
    let (mut left, mut l_base, mut l_next, mut l_len) = ([0u8; BLOCK], 0, 0, 0);
    let (mut right, mut r_base, mut r_next, mut r_len) = ([0u8; BLOCK], 0, 0, 0);
    let (mut first, mut last) = (0, v.len());
    loop {
        if l_next == l_len {
            let end = hi.min(lo + BLOCK);
            let Some(block) = v.get(lo..end).filter(|b| !b.is_empty()) else {
                break;
            };
            l_len = record_stops(block.iter(), &mut left, |x| !less(x, pivot));
            (l_base, l_next, lo) = (lo, 0, end);
        }
        if r_next == r_len {
            let start = lo.max(hi.saturating_sub(BLOCK));
            let Some(block) = v.get(start..hi).filter(|b| !b.is_empty()) else {
                break;
            };
            r_len = record_stops(block.iter().rev(), &mut right, |x| !less(pivot, x));
            (r_base, r_next, hi) = (hi, 0, start);
        }
        let (Some(ls), Some(rs)) = (left.get(l_next..l_len), right.get(r_next..r_len)) else {
            break;
        };
        let pairs = ls.len().min(rs.len());
        for (&l, &r) in ls.iter().zip(rs) {
            let (l, r) = (l_base + usize::from(l), r_base - 1 - usize::from(r));
            swap(v, l, r);
            (first, last) = (l + 1, r);
        }
        l_next += pairs;
        r_next += pairs;
    }
    (first, last)
}

/// Writes to the front of `offsets` the position, within `block` (at most [`BLOCK`] elements,
/// in scan order), of every element that stops the scan; returns how many. No branch per
/// element: every position is written, and the count only moves past those that stop.
#[inline(always)]
fn record_stops<'a, T: 'a>(
    block: impl Iterator<Item = &'a T>,
    offsets: &mut [u8; BLOCK],
    mut stops: impl FnMut(&T) -> bool,
) -> usize {
    let mut len = 0;
    for (i, x) in block.enumerate() {
        // `len <= i < BLOCK`: the mask only lets the compiler drop the check.
        if let Some(slot) = offsets.get_mut(len % BLOCK) {
            *slot = i as u8;
        }
        len += usize::from(stops(x));
    }
    len
}

/// The C++ loop of [`unguarded_partition`] itself, one exchange at a time, on `v` (the part
/// between `first` and `last`). Returns the cut within `v`.
///
/// The C++ moves two iterators towards each other. Here the part still to partition is a
/// window that shrinks from both ends: the left scan looks for the first element not less
/// than the pivot, the right scan for the last element not greater, searching only the part
/// of the window after the left hit. When the right scan finds nothing there, the C++ scan
/// would have stopped at or before the left hit, which ends the partition at that hit; when the
/// left scan finds nothing, it would have stopped on the element swapped in last (the window's
/// right neighbour), which ends it at the window's end. The two elements are exchanged through
/// disjoint borrows, so the loop carries no index arithmetic and no bounds checks, and for a
/// strict weak order the permutation is libstdc++'s. An inconsistent comparator only changes
/// the (unspecified) order: the window always shrinks, and nothing can leave the slice.
fn scalar_partition<T: Copy, F: FnMut(&T, &T) -> bool>(
    v: &mut [T],
    pivot: &T,
    less: &mut F,
) -> usize {
    // Offset of `window` within `v`.
    let mut base = 0;
    let mut window = v;
    loop {
        // while (comp(first, pivot)) ++first;
        let Some(i) = window.iter().position(|x| !less(x, pivot)) else {
            return base + window.len();
        };
        let (head, tail) = core::mem::take(&mut window).split_at_mut(i + 1);
        // --last; while (comp(pivot, last)) --last;
        let Some(j) = tail.iter().rposition(|x| !less(pivot, x)) else {
            return base + i;
        };
        let (middle, right) = tail.split_at_mut(j);
        if let (Some(a), Some(b)) = (head.last_mut(), right.first_mut()) {
            core::mem::swap(a, b);
        }
        base += i + 1;
        window = middle;
    }
}

fn final_insertion_sort<T: Copy, F: FnMut(&T, &T) -> bool>(v: &mut [T], less: &mut F) {
    if v.len() > THRESHOLD {
        let (head, _) = v.split_at_mut(THRESHOLD);
        insertion_sort(head, less);
        for i in THRESHOLD..v.len() {
            unguarded_linear_insert(v, i, less);
        }
    } else {
        insertion_sort(v, less);
    }
}

fn insertion_sort<T: Copy, F: FnMut(&T, &T) -> bool>(v: &mut [T], less: &mut F) {
    for i in 1..v.len() {
        let (Some(&x), Some(&first)) = (v.get(i), v.first()) else {
            return;
        };
        if less(&x, &first) {
            // move_backward(first, i, i + 1) then *first = val.
            v.copy_within(..i, 1);
            if let Some(slot) = v.first_mut() {
                *slot = x;
            }
        } else {
            unguarded_linear_insert(v, i, less);
        }
    }
}

/// Moves `v[i]` left past every element it is smaller than.
///
/// The hole is a reference that walks left through the shrinking prefix, so no step needs a
/// bounds check. Unguarded in libstdc++ (a smaller element always precedes); running out of
/// prefix only happens with inconsistent comparators.
fn unguarded_linear_insert<T: Copy, F: FnMut(&T, &T) -> bool>(v: &mut [T], i: usize, less: &mut F) {
    let Some((hole, mut head)) = v.get_mut(..=i).and_then(|s| s.split_last_mut()) else {
        return;
    };
    let val = *hole;
    let mut hole = hole;
    while let Some((prev, rest)) = core::mem::take(&mut head).split_last_mut() {
        if !less(&val, prev) {
            break;
        }
        *hole = *prev;
        hole = prev;
        head = rest;
    }
    *hole = val;
}

/// `__make_heap` then `__sort_heap`.
fn heap_sort<T: Copy, F: FnMut(&T, &T) -> bool>(v: &mut [T], less: &mut F) {
    let len = v.len();
    if len >= 2 {
        let mut parent = (len - 2) / 2;
        loop {
            if let Some(&value) = v.get(parent) {
                adjust_heap(v, parent, value, less);
            }
            if parent == 0 {
                break;
            }
            parent -= 1;
        }
    }
    let mut end = len;
    while end > 1 {
        end -= 1;
        // __pop_heap(first, last, last)
        let Some((value, heap)) = v.get_mut(..=end).and_then(|s| s.split_last_mut()) else {
            return;
        };
        let Some(&top) = heap.first() else {
            return;
        };
        let moved = core::mem::replace(value, top);
        adjust_heap(heap, 0, moved, less);
    }
}

/// `__adjust_heap` followed by `__push_heap` on the heap `v` (its whole length).
fn adjust_heap<T: Copy, F: FnMut(&T, &T) -> bool>(
    v: &mut [T],
    mut hole: usize,
    value: T,
    less: &mut F,
) {
    let len = v.len();
    if len == 0 {
        return;
    }
    let top = hole;
    let mut child = hole;
    while child < (len - 1) / 2 {
        child = 2 * (child + 1);
        let (Some(right), Some(left)) = (v.get(child), v.get(child - 1)) else {
            return;
        };
        if less(right, left) {
            child -= 1;
        }
        swap(v, hole, child);
        hole = child;
    }
    if len & 1 == 0 && child == (len - 2) / 2 {
        child = 2 * (child + 1);
        swap(v, hole, child - 1);
        hole = child - 1;
    }
    // __push_heap(first, hole, top, value)
    while hole > top {
        let parent = (hole - 1) / 2;
        match v.get(parent) {
            Some(p) if less(p, &value) => {
                swap(v, hole, parent);
                hole = parent;
            }
            _ => break,
        }
    }
    if let Some(slot) = v.get_mut(hole) {
        *slot = value;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::{
        BLOCK, THRESHOLD, block_partition, depth_limit, pair_blocks, scalar_partition,
        select_with_depth, sort_with_depth,
    };
    use alloc::vec::Vec;

    /// SplitMix64, for reproducible size lists.
    fn next(x: &mut u64) -> u64 {
        *x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *x;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// `select` gives, for every position, what the full sort leaves there: with the real
    /// depth budget and with budgets small enough that the heap-sort fallback runs.
    #[test]
    fn select_agrees_with_the_full_sort_at_every_position() {
        let mut x = 7u64;
        let mut heap_paths = 0;
        for case in 0..90 {
            let n = match case % 3 {
                0 => (next(&mut x) % 40) as usize,
                1 => (next(&mut x) % 300) as usize,
                _ => THRESHOLD + 1,
            };
            let spread = 1 + next(&mut x) % 12;
            let input: Vec<(usize, u64)> = (0..n).map(|i| (i, next(&mut x) % spread)).collect();
            for depth in [depth_limit(n), 0, 1, 2] {
                let mut sorted = input.clone();
                sort_with_depth::<_, _, true>(&mut sorted, depth, &mut |a, b| a.1 < b.1);
                if depth < depth_limit(n) && n > THRESHOLD {
                    heap_paths += 1;
                }
                for r in 0..=n {
                    let mut scratch = input.clone();
                    let got = select_with_depth(&mut scratch, r, depth, &mut |a, b| a.1 < b.1);
                    assert_eq!(got, sorted.get(r).copied(), "n={n} depth={depth} r={r}");
                    scratch.sort_unstable();
                    assert_eq!(scratch, input, "a permutation of the input");
                }
            }
        }
        assert!(heap_paths > 100);
    }

    /// The block partition makes the same exchanges and returns the same cut as the C++ loop
    /// run one exchange at a time, for every length (below and above `BLOCK_MIN_LEN`, across
    /// block boundaries), for few and many distinct keys and for every kind of pivot
    /// (smallest, median, largest, absent).
    #[test]
    fn block_partition_equals_the_scalar_loop() {
        let mut x = 11u64;
        let mut block_paths = 0;
        for case in 0..3000 {
            let n = match case % 4 {
                0 => (next(&mut x) % (2 * BLOCK as u64 + 8)) as usize,
                1 => 2 * BLOCK - 2 + (next(&mut x) % 6) as usize,
                2 => (next(&mut x) % 700) as usize,
                _ => (next(&mut x) % 5000) as usize,
            };
            let spread = [1, 2, 3, 4, 8, 1000][(case / 4) % 6];
            let input: Vec<(usize, u64)> = (0..n).map(|i| (i, next(&mut x) % spread)).collect();
            let pivot = (n, next(&mut x) % (spread + 1));
            let mut scalar = input.clone();
            let mut block = input.clone();
            let a = scalar_partition(&mut scalar, &pivot, &mut |a, b| a.1 < b.1);
            let b = block_partition(&mut block, &pivot, &mut |a, b| a.1 < b.1);
            assert_eq!(
                (b, &block),
                (a, &scalar),
                "case {case}: n={n} spread={spread}"
            );
            if n >= 2 * BLOCK {
                block_paths += 1;
            }
        }
        assert!(block_paths > 1000);
    }

    /// With stops on both sides all along (keys 0..1000, pivot 500), the block phase makes
    /// every exchange but those of the last few blocks: it is not skipped.
    #[test]
    fn block_pairing_leaves_only_the_last_blocks_to_the_scalar_loop() {
        let mut x = 3u64;
        for case in 0..200 {
            let n = 2 * BLOCK + (next(&mut x) % 3000) as usize;
            let input: Vec<(usize, u64)> = (0..n).map(|i| (i, next(&mut x) % 1000)).collect();
            let pivot = (n, 500);
            let mut v = input.clone();
            let (first, last) = pair_blocks(&mut v, &pivot, &mut |a, b| a.1 < b.1);
            assert!(
                first > 0 && first <= last && last < n,
                "case {case}: {first}..{last} of {n}"
            );
            assert!(
                last - first <= 4 * BLOCK,
                "case {case}: {first}..{last} of {n}"
            );
            // Everything left of `first` is not greater than the pivot, everything from
            // `last` on not less.
            assert!(v[..first].iter().all(|e| e.1 <= 500));
            assert!(v[last..].iter().all(|e| e.1 >= 500));
        }
    }

    /// Whatever the comparator answers, the block partition stays in the slice, keeps a
    /// permutation and returns a cut within it.
    #[test]
    fn block_partition_survives_inconsistent_comparators() {
        let mut x = 5u64;
        for case in 0..500 {
            let n = (next(&mut x) % 1000) as usize;
            let input: Vec<usize> = (0..n).collect();
            let mut v = input.clone();
            let mut answers = next(&mut x);
            let cut = block_partition(&mut v, &0, &mut |_, _| {
                answers = answers.rotate_left(1) ^ (case as u64);
                answers & 1 == 1
            });
            assert!(cut <= n);
            v.sort_unstable();
            assert_eq!(v, input);
        }
    }
}
