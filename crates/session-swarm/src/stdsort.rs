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
//! All index arithmetic below stays inside the slice by construction (it mirrors iterator
//! arithmetic of the C++ code, whose preconditions the callers establish), hence the local
//! `indexing_slicing` allowances; none of it depends on untrusted lengths.
#![allow(clippy::indexing_slicing)]

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
    let n = v.len();
    if n == 0 {
        return;
    }
    // std::__lg(n) = floor(log2(n)).
    let depth = 2 * (usize::BITS - 1 - n.leading_zeros()) as usize;
    introsort_loop(v, 0, n, depth, &mut less);
    final_insertion_sort(v, 0, n, &mut less);
}

fn introsort_loop<T: Copy, F: FnMut(&T, &T) -> bool>(
    v: &mut [T],
    first: usize,
    mut last: usize,
    mut depth: usize,
    less: &mut F,
) {
    while last - first > THRESHOLD {
        if depth == 0 {
            // std::__partial_sort(first, last, last): __heap_select degenerates to
            // __make_heap, then __sort_heap.
            make_heap(v, first, last, less);
            sort_heap(v, first, last, less);
            return;
        }
        depth -= 1;
        let cut = unguarded_partition_pivot(v, first, last, less);
        introsort_loop(v, cut, last, depth, less);
        last = cut;
    }
}

fn unguarded_partition_pivot<T: Copy, F: FnMut(&T, &T) -> bool>(
    v: &mut [T],
    first: usize,
    last: usize,
    less: &mut F,
) -> usize {
    let mid = first + (last - first) / 2;
    move_median_to_first(v, first, first + 1, mid, last - 1, less);
    unguarded_partition(v, first + 1, last, first, less)
}

/// `__move_median_to_first(result, a, b, c)`: swaps the median of a, b, c into `result`.
fn move_median_to_first<T: Copy, F: FnMut(&T, &T) -> bool>(
    v: &mut [T],
    result: usize,
    a: usize,
    b: usize,
    c: usize,
    less: &mut F,
) {
    let pick = if less(&v[a], &v[b]) {
        if less(&v[b], &v[c]) {
            b
        } else if less(&v[a], &v[c]) {
            c
        } else {
            a
        }
    } else if less(&v[a], &v[c]) {
        a
    } else if less(&v[b], &v[c]) {
        c
    } else {
        b
    };
    v.swap(result, pick);
}

/// `__unguarded_partition(first, last, pivot)`: Hoare partition around `v[pivot]`, which lies
/// outside `[first, last)` and does not move.
///
/// libstdc++'s scans are unguarded (the median-of-three leaves sentinels). The bounds checks
/// added here never fire for a strict weak order, so the permutation is unchanged; they only
/// keep an inconsistent comparator from running off the slice.
fn unguarded_partition<T: Copy, F: FnMut(&T, &T) -> bool>(
    v: &mut [T],
    mut first: usize,
    mut last: usize,
    pivot: usize,
    less: &mut F,
) -> usize {
    let end = last;
    loop {
        while first < end && less(&v[first], &v[pivot]) {
            first += 1;
        }
        last -= 1;
        while last > pivot && less(&v[pivot], &v[last]) {
            last -= 1;
        }
        if first >= last {
            return first;
        }
        v.swap(first, last);
        first += 1;
    }
}

fn final_insertion_sort<T: Copy, F: FnMut(&T, &T) -> bool>(
    v: &mut [T],
    first: usize,
    last: usize,
    less: &mut F,
) {
    if last - first > THRESHOLD {
        insertion_sort(v, first, first + THRESHOLD, less);
        for i in first + THRESHOLD..last {
            unguarded_linear_insert(v, i, less);
        }
    } else {
        insertion_sort(v, first, last, less);
    }
}

fn insertion_sort<T: Copy, F: FnMut(&T, &T) -> bool>(
    v: &mut [T],
    first: usize,
    last: usize,
    less: &mut F,
) {
    if first == last {
        return;
    }
    for i in first + 1..last {
        if less(&v[i], &v[first]) {
            // move_backward(first, i, i + 1) then *first = val: a right rotation by one.
            v[first..=i].rotate_right(1);
        } else {
            unguarded_linear_insert(v, i, less);
        }
    }
}

fn unguarded_linear_insert<T: Copy, F: FnMut(&T, &T) -> bool>(
    v: &mut [T],
    mut last: usize,
    less: &mut F,
) {
    let val = v[last];
    // Unguarded in libstdc++ (a smaller element always precedes); the `last > 0` check only
    // matters for inconsistent comparators.
    while last > 0 && less(&val, &v[last - 1]) {
        v[last] = v[last - 1];
        last -= 1;
    }
    v[last] = val;
}

fn make_heap<T: Copy, F: FnMut(&T, &T) -> bool>(
    v: &mut [T],
    first: usize,
    last: usize,
    less: &mut F,
) {
    let len = last - first;
    if len < 2 {
        return;
    }
    let mut parent = (len - 2) / 2;
    loop {
        let value = v[first + parent];
        adjust_heap(v, first, parent, len, value, less);
        if parent == 0 {
            return;
        }
        parent -= 1;
    }
}

fn sort_heap<T: Copy, F: FnMut(&T, &T) -> bool>(
    v: &mut [T],
    first: usize,
    mut last: usize,
    less: &mut F,
) {
    while last - first > 1 {
        last -= 1;
        // __pop_heap(first, last, last)
        let value = v[last];
        v[last] = v[first];
        adjust_heap(v, first, 0, last - first, value, less);
    }
}

/// `__adjust_heap` followed by `__push_heap`, with indices relative to `first`.
fn adjust_heap<T: Copy, F: FnMut(&T, &T) -> bool>(
    v: &mut [T],
    first: usize,
    mut hole: usize,
    len: usize,
    value: T,
    less: &mut F,
) {
    let top = hole;
    let mut child = hole;
    while child < (len - 1) / 2 {
        child = 2 * (child + 1);
        if less(&v[first + child], &v[first + child - 1]) {
            child -= 1;
        }
        v[first + hole] = v[first + child];
        hole = child;
    }
    if len & 1 == 0 && child == (len - 2) / 2 {
        child = 2 * (child + 1);
        v[first + hole] = v[first + child - 1];
        hole = child - 1;
    }
    // __push_heap(first, hole, top, value)
    let mut parent = hole.wrapping_sub(1) / 2;
    while hole > top && less(&v[first + parent], &value) {
        v[first + hole] = v[first + parent];
        hole = parent;
        parent = hole.wrapping_sub(1) / 2;
    }
    v[first + hole] = value;
}
