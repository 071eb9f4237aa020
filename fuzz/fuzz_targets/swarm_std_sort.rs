//! `compat::std_sort` (libstdc++'s `std::sort` order) on arbitrary lists of up to 4,096 keys
//! drawn from 1 to 256 values: the same permutation as the partition loop run one exchange at a
//! time (which the block partition of long slices must not change), sorted, and a permutation
//! of the input. Then an arbitrary, inconsistent comparator: no panic, nothing lost.
#![no_main]

use libfuzzer_sys::fuzz_target;
use session_swarm::compat::std_sort;
use session_swarm::testing::std_sort_one_exchange_at_a_time;

fuzz_target!(|data: &[u8]| {
    let Some((&keys, rest)) = data.split_first() else {
        return;
    };
    let keys = u16::from(keys) + 1;
    // Each input byte is one element (repeated up to 4 times so that short inputs reach the
    // block partition's 512-element threshold).
    let repeat = 1 + usize::from(data.len() % 4);
    let list: Vec<(usize, u16)> = rest
        .iter()
        .cycle()
        .take((rest.len() * repeat).min(4096))
        .map(|&b| u16::from(b) % keys)
        .enumerate()
        .collect();

    let mut got = list.clone();
    std_sort(&mut got, |a, b| a.1 < b.1);
    let mut want = list.clone();
    std_sort_one_exchange_at_a_time(&mut want, |a, b| a.1 < b.1);
    assert_eq!(got, want);
    assert!(got.windows(2).all(|w| w[0].1 <= w[1].1));
    let mut ids: Vec<usize> = got.iter().map(|e| e.0).collect();
    ids.sort_unstable();
    assert!(ids.iter().copied().eq(0..list.len()));

    // The bytes as the comparator's answers.
    let mut answers = rest.iter().cycle();
    let mut v: Vec<usize> = (0..list.len()).collect();
    std_sort(&mut v, |_, _| answers.next().is_some_and(|b| b & 1 == 1));
    v.sort_unstable();
    assert!(v.iter().copied().eq(0..list.len()));
});
