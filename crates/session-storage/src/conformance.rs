//! The backend conformance suite (feature `conformance`).
//!
//! A backend author implements [`Harness`] for their backend and calls [`run_all`] from a
//! test; every point of the storage specification's suite is checked, ending with a property
//! test that runs random operation sequences against both the backend and [`MemoryStore`] and
//! requires identical answers.
//!
//! ```
//! use session_storage::conformance::{run_all, Harness};
//! use session_storage::MemoryStore;
//!
//! struct Memory;
//! impl Harness for Memory {
//!     type Backend = MemoryStore;
//!     fn fresh(&mut self) -> MemoryStore { MemoryStore::new() }
//!     fn fresh_with_limit(&mut self, bytes: u64) -> MemoryStore { MemoryStore::with_limit(bytes) }
//! }
//! let report = run_all(&mut Memory, 16).map_err(|f| f.to_string())?;
//! assert_eq!(report.skipped, vec![14]); // nothing to reopen
//! # Ok::<(), String>(())
//! ```

use std::cell::RefCell;
use std::format;
use std::string::{String, ToString};
use std::vec;
use std::vec::Vec;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use session_core::{AccountId, Ed25519PublicKey, MessageHash, Namespace, Timestamp};

use crate::backend::{
    ExpirySweeper as _, ExpiryUpdater as _, MessageDeleter as _, MessageReader as _,
    MessageWriter as _, ReplicaSink as _, ReplicaSource as _, RevocationStore as _, StorageBackend,
    StorageStats as _, hash_text_key,
};
use crate::hash::{message_hash_v1, message_hash_v2, message_hash_v3};
use crate::memory::MemoryStore;
use crate::policy::{NamespaceArg, RetrieveRequest, Verifier};
use crate::push::encode_batches;
use crate::replication::receive;
use crate::text::Binary;
use crate::types::{
    Affected, ExpiryMode, NamespaceSelector, RetrieveQuery, SizeModel, StoreOutcome, StoredMessage,
    SubaccountFlags, SubaccountToken,
};

/// Makes backends for the suite.
pub trait Harness {
    /// The backend under test.
    type Backend: StorageBackend + Sync;

    /// An empty backend without a size limit.
    fn fresh(&mut self) -> Self::Backend;

    /// An empty backend that reports [`StoreOutcome::Full`] once about `limit_bytes` are used.
    fn fresh_with_limit(&mut self, limit_bytes: u64) -> Self::Backend;

    /// Closes `backend` and opens the same store again; `None` for non-persistent backends
    /// (point 14 is then skipped).
    fn reopen(&mut self, backend: Self::Backend) -> Option<Self::Backend> {
        drop(backend);
        None
    }
}

/// A conformance failure: the point of the suite, the check and what was seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The point of the suite (1–15).
    pub point: u8,
    /// What was checked.
    pub check: &'static str,
    /// What happened instead.
    pub detail: String,
}

impl core::fmt::Display for Failure {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "conformance point {}: {}: {}",
            self.point, self.check, self.detail
        )
    }
}

impl std::error::Error for Failure {}

/// Which points ran.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Report {
    /// Points that passed.
    pub passed: Vec<u8>,
    /// Points skipped (14 for non-persistent backends).
    pub skipped: Vec<u8>,
}

type Check = Result<(), Failure>;
type PointCheck<H> = fn(&mut H) -> Check;

fn fail(point: u8, check: &'static str, detail: String) -> Failure {
    Failure {
        point,
        check,
        detail,
    }
}

macro_rules! ensure_eq {
    ($point:expr, $check:expr, $left:expr, $right:expr) => {{
        let (l, r) = (&$left, &$right);
        if l != r {
            return Err(fail($point, $check, format!("{:?} != {:?}", l, r)));
        }
    }};
}

fn backend_err<E: core::fmt::Display>(point: u8) -> impl Fn(E) -> Failure {
    move |e| fail(point, "backend call", format!("{e:#}"))
}

const T0: Timestamp = Timestamp(1_700_000_000_000);
const HOUR: u64 = 3_600_000;

fn acct(prefix: u8, k: u8) -> AccountId {
    AccountId::new(prefix, [k; 32])
}

fn msg(a: AccountId, ns: i16, data: &[u8], ts: u64, exp: u64) -> StoredMessage {
    StoredMessage::new(
        a,
        Namespace(ns),
        Timestamp(ts),
        Timestamp(exp),
        data.to_vec(),
    )
}

fn hashes(page: &[StoredMessage]) -> Vec<MessageHash> {
    page.iter().map(|m| m.hash).collect()
}

fn sorted_affected(mut v: Vec<Affected>) -> Vec<Affected> {
    v.sort_by_key(|a| hash_text_key(&a.hash));
    v
}

/// Runs every point; `model_cases` is the number of random sequences for point 15.
pub fn run_all<H: Harness>(h: &mut H, model_cases: u32) -> Result<Report, Failure> {
    let mut report = Report::default();
    let checks: [(u8, PointCheck<H>); 13] = [
        (1, hashes_and_namespace_rule),
        (2, owner_isolation),
        (3, namespace_isolation),
        (4, retrieve_order),
        (5, retrieve_limits),
        (6, restore_same_hash),
        (7, public_outbox),
        (8, deletes),
        (9, expiry_updates),
        (10, sweep_and_hiding),
        (11, capacity),
        (12, import),
        (13, revocations),
    ];
    for (point, check) in checks {
        check(h)?;
        report.passed.push(point);
    }
    if persistence(h)? {
        report.passed.push(14);
    } else {
        report.skipped.push(14);
    }
    parallel_readers(h)?;
    model_check(h, model_cases)?;
    report.passed.push(15);
    Ok(report)
}

/// The repository vector's data (base64) and account, used by point 1.
const VECTOR_DATA_B64: &str = "CAES1gIKA1BVVBIPL2FwaS92MS9tZXNzYWdlGrsCCAYovfqZv4YvQq8CVwutUBbhRzZw80TvR6uTYMKg9DSagrtpeEpY31L7VxawfS8aSya0SiDa4J025SkjP13YX8g5pxgQ8Z6hgfNArMqr/tSijJ9miVKVDJ63YWE85O8kyWF8tdtZR5j0Vxb+JH5U8Rg1bp7ftKk3OSf7JJMcrUUrDnctQHe540zJ2OTDJ03DfubkX5NmKqEu5nhXGxeeDv3mTiL63fjtCvZYcikfjf6Nh1AX++HTgJ9SGoEIMastGUorFrmmXb2sbjHxNiJn0Radj/VzcA9VxYwBW5+AbGQ2d9+vvm7X+8vh+jIenJfjxf+8CWER+9adNfb4YUH07I+godNCV0O0J05gzqfKdT7J8MBZzFBtKrbk8oCagPpTsq/wZyYFKFKKD+q+zh704dYBILvs5yXUA96pIAA=";
const VECTOR_ACCOUNT: &str = "05ffba630924aa1224bb930dde21c0d11bf004608f2812217f8ac812d6c7e3ad48";

/// Point 1: the v1–v4 repository vectors, the namespace rule, and the backend keeping the hash.
pub fn hashes_and_namespace_rule<H: Harness>(h: &mut H) -> Check {
    const P: u8 = 1;
    let account = AccountId::parse(VECTOR_ACCOUNT, session_core::Network::Mainnet)
        .map_err(|e| fail(P, "vector account", e.to_string()))?;
    let data = Binary::Base64(VECTOR_DATA_B64)
        .decode(crate::policy::MAX_DATA_BYTES)
        .map_err(|e| fail(P, "vector data", e.to_string()))?;
    let (ts, exp) = (Timestamp(1_616_650_862_026), Timestamp(1_616_823_662_026));
    let v4 = MessageHash::compute(&account, Namespace(0), &data);
    ensure_eq!(
        P,
        "v4 hash",
        v4.to_string(),
        "4sMyAuaZlMwww3oFvfhazfw7ASx/7TDtO+TVc8aAjHs"
    );
    ensure_eq!(
        P,
        "v3 hash",
        message_hash_v3(&account, Namespace(0), ts, exp, &data).to_string(),
        "rY7K5YXNsg7d8LBP6R4OoOr6L7IMFxa3Tr8ca5v5nBI"
    );
    ensure_eq!(
        P,
        "v2 hash",
        message_hash_v2(&account, ts, exp, &data),
        "b44adb755e9bca15d2f22fb0775b75e48d1689c4e314cd38c73cc4f1b2a609d06ef3df928c5175ba1447ad168a126419674083f1d5537de8fc622c22632f3aa5"
    );
    ensure_eq!(
        P,
        "v1 hash",
        message_hash_v1(&account, ts, 172_800_000, VECTOR_DATA_B64),
        "dd5f46395dbab44c9d96711a68cd70e326c4a39d6ccce7a319b0262c18699d2044610196519ad7283e3defebcdf3bccd6499fce1254fdee661e68f0611dc3104"
    );
    // The namespace enters as "" for 0 and as its decimal text otherwise.
    for ns in [1i16, -1, -10, 10, i16::MIN, i16::MAX] {
        let mut pre = account.to_bytes().to_vec();
        pre.extend_from_slice(ns.to_string().as_bytes());
        pre.extend_from_slice(&data);
        let by_hand = {
            use blake2::Digest as _;
            let mut d = blake2::Blake2b::<blake2::digest::consts::U32>::new();
            d.update(&pre);
            MessageHash(d.finalize().into())
        };
        ensure_eq!(
            P,
            "namespace enters as decimal",
            MessageHash::compute(&account, Namespace(ns), &data),
            by_hand
        );
    }
    let mut b = h.fresh();
    let m = StoredMessage::new(
        account,
        Namespace(0),
        T0,
        T0.saturating_add_millis(HOUR),
        data,
    );
    let err = backend_err(P);
    b.store(&m, T0).map_err(&err)?;
    let got = b.get_by_hash(&v4, T0).map_err(&err)?;
    ensure_eq!(P, "stored under its v4 hash", got, Some(m));
    Ok(())
}

/// Point 2: `05k` and `03k` are different owners.
pub fn owner_isolation<H: Harness>(h: &mut H) -> Check {
    const P: u8 = 2;
    let err = backend_err(P);
    let mut b = h.fresh();
    let (a5, a3) = (acct(0x05, 7), acct(0x03, 7));
    let (m5, m3) = (
        msg(a5, 0, b"same", T0.0, T0.0 + HOUR),
        msg(a3, 0, b"same", T0.0, T0.0 + HOUR),
    );
    if m5.hash == m3.hash {
        return Err(fail(
            P,
            "prefix enters the hash",
            String::from("equal hashes"),
        ));
    }
    b.store(&m5, T0).map_err(&err)?;
    b.store(&m3, T0).map_err(&err)?;
    let p5 = b
        .retrieve(&RetrieveQuery::all(a5, Namespace(0)), T0)
        .map_err(&err)?;
    ensure_eq!(P, "retrieve 05 owner", hashes(&p5.messages), vec![m5.hash]);
    let d = b
        .delete_all(&a3, NamespaceSelector::All, T0)
        .map_err(&err)?;
    ensure_eq!(
        P,
        "delete_all 03 owner",
        d,
        vec![Affected {
            namespace: Namespace(0),
            hash: m3.hash
        }]
    );
    let gone = b.delete_hashes(&a3, &[m5.hash], T0).map_err(&err)?;
    ensure_eq!(P, "delete another owner's hash", gone, vec![]);
    let exp = b.get_expiries(&a3, &[m5.hash], T0).map_err(&err)?;
    ensure_eq!(P, "get_expiries of another owner's hash", exp, vec![]);
    let p5 = b
        .retrieve(&RetrieveQuery::all(a5, Namespace(0)), T0)
        .map_err(&err)?;
    ensure_eq!(P, "05 owner untouched", hashes(&p5.messages), vec![m5.hash]);
    Ok(())
}

const EXTREMES: [i16; 6] = [i16::MIN, -11, -1, 0, 1, i16::MAX];

/// Point 3: namespaces are isolated, negative values and the i16 extremes included.
pub fn namespace_isolation<H: Harness>(h: &mut H) -> Check {
    const P: u8 = 3;
    let err = backend_err(P);
    let mut b = h.fresh();
    let a = acct(5, 1);
    let ms: Vec<StoredMessage> = EXTREMES
        .iter()
        .map(|&n| msg(a, n, b"x", T0.0, T0.0 + HOUR))
        .collect();
    for m in &ms {
        ensure_eq!(
            P,
            "store in each namespace",
            b.store(m, T0).map_err(&err)?,
            StoreOutcome::New
        );
    }
    for m in &ms {
        let p = b
            .retrieve(&RetrieveQuery::all(a, m.namespace), T0)
            .map_err(&err)?;
        ensure_eq!(P, "retrieve one namespace", p.messages, vec![m.clone()]);
    }
    let d = b
        .delete_all(&a, NamespaceSelector::One(Namespace(i16::MIN)), T0)
        .map_err(&err)?;
    ensure_eq!(P, "delete_all one namespace", d.len(), 1);
    let stats = b.account_stats(&a, T0).map_err(&err)?;
    let left: Vec<i16> = stats.iter().map(|s| s.namespace.0).collect();
    ensure_eq!(
        P,
        "namespaces left, ascending",
        left,
        vec![-11, -1, 0, 1, i16::MAX]
    );
    Ok(())
}

/// Point 4: insertion order, `after`, unknown `after`, and `after` scoped to (owner, ns).
pub fn retrieve_order<H: Harness>(h: &mut H) -> Check {
    const P: u8 = 4;
    let err = backend_err(P);
    let mut b = h.fresh();
    let a = acct(5, 2);
    // Decreasing timestamps and arbitrary hashes: order must be neither.
    let ms: [StoredMessage; 5] = core::array::from_fn(|i| {
        let i = i as u64;
        msg(a, 3, &[i as u8; 3], T0.0 - i * 1000, T0.0 + HOUR)
    });
    for m in &ms {
        b.store(m, T0).map_err(&err)?;
    }
    let other = msg(a, 4, b"other ns", T0.0, T0.0 + HOUR);
    b.store(&other, T0).map_err(&err)?;
    let all = ms.each_ref().map(|m| m.hash);
    let mut q = RetrieveQuery::all(a, Namespace(3));
    ensure_eq!(
        P,
        "insertion order",
        hashes(&b.retrieve(&q, T0).map_err(&err)?.messages),
        all
    );
    q.after = Some(ms[2].hash);
    ensure_eq!(
        P,
        "after",
        hashes(&b.retrieve(&q, T0).map_err(&err)?.messages),
        all[3..].to_vec()
    );
    q.after = Some(ms[4].hash);
    let p = b.retrieve(&q, T0).map_err(&err)?;
    ensure_eq!(P, "after the last", (p.messages.len(), p.more), (0, false));
    q.after = Some(MessageHash([0xee; 32]));
    ensure_eq!(
        P,
        "unknown after",
        hashes(&b.retrieve(&q, T0).map_err(&err)?.messages),
        all
    );
    q.after = Some(other.hash);
    ensure_eq!(
        P,
        "after from another namespace",
        hashes(&b.retrieve(&q, T0).map_err(&err)?.messages),
        all
    );
    Ok(())
}

/// Point 5: `max_count`, `max_bytes` under the size model, first message always returned,
/// and the policy's resolution of negative sizes.
pub fn retrieve_limits<H: Harness>(h: &mut H) -> Check {
    const P: u8 = 5;
    let err = backend_err(P);
    let mut b = h.fresh();
    let a = acct(5, 3);
    let ms: [StoredMessage; 4] = core::array::from_fn(|i| {
        let i = i as u8;
        msg(a, -10, &[i; 300], T0.0, T0.0 + HOUR)
    });
    for m in &ms {
        b.store(m, T0).map_err(&err)?;
    }
    let all = ms.each_ref().map(|m| m.hash);
    let mut q = RetrieveQuery::all(a, Namespace(-10));
    q.max_count = Some(2);
    let p = b.retrieve(&q, T0).map_err(&err)?;
    ensure_eq!(
        P,
        "max_count",
        (hashes(&p.messages), p.more),
        (all[..2].to_vec(), true)
    );
    q.max_count = Some(4);
    let p = b.retrieve(&q, T0).map_err(&err)?;
    ensure_eq!(
        P,
        "max_count exactly all",
        (p.messages.len(), p.more),
        (4, false)
    );
    // Each counts 100 + 43 + 300*4/3 = 543 bytes.
    let size = SizeModel::SERVER.size_of(300);
    ensure_eq!(P, "size model", size, 543);
    q.max_count = None;
    q.max_bytes = Some(3 * size - 1);
    let p = b.retrieve(&q, T0).map_err(&err)?;
    ensure_eq!(
        P,
        "max_bytes",
        (hashes(&p.messages), p.more),
        (all[..2].to_vec(), true)
    );
    q.max_bytes = Some(3 * size);
    ensure_eq!(
        P,
        "max_bytes boundary",
        b.retrieve(&q, T0).map_err(&err)?.messages.len(),
        3
    );
    q.max_bytes = Some(1);
    let p = b.retrieve(&q, T0).map_err(&err)?;
    ensure_eq!(
        P,
        "first message always returned",
        (hashes(&p.messages), p.more),
        (all[..1].to_vec(), true)
    );
    // Policy: −k means RETRIEVE_MAX_SIZE / k; nothing given means −5; positive capped.
    let verifier = Verifier::new(T0, &b);
    let req = |max_count, max_size| RetrieveRequest {
        account: a,
        namespace: NamespaceArg::Int(-10),
        last_hash: None,
        max_count,
        max_size,
        timestamp: T0.0,
        auth: None,
    };
    let resolve = |c, s| {
        verifier
            .validate_retrieve(&req(c, s))
            .map(|c| (c.query.max_count, c.query.max_bytes))
    };
    let got = [
        resolve(0, 0),
        resolve(0, -2),
        resolve(3, 0),
        resolve(0, 10_000_000),
    ]
    .into_iter()
    .collect::<Result<Vec<_>, _>>()
    .map_err(backend_err(P))?;
    ensure_eq!(
        P,
        "policy size resolution",
        got,
        vec![
            (None, Some(1_560_000)),
            (None, Some(3_900_000)),
            (Some(3), None),
            (None, Some(7_800_000))
        ]
    );
    Ok(())
}

/// Point 6: re-storing a hash extends only, and never changes data or timestamp.
pub fn restore_same_hash<H: Harness>(h: &mut H) -> Check {
    const P: u8 = 6;
    let err = backend_err(P);
    let mut b = h.fresh();
    let a = acct(5, 4);
    let m = msg(a, 0, b"dup", T0.0, T0.0 + HOUR);
    ensure_eq!(
        P,
        "first store",
        b.store(&m, T0).map_err(&err)?,
        StoreOutcome::New
    );
    let later = msg(a, 0, b"dup", T0.0 + 5, T0.0 + 2 * HOUR);
    ensure_eq!(
        P,
        "later expiry",
        b.store(&later, T0).map_err(&err)?,
        StoreOutcome::Extended
    );
    ensure_eq!(
        P,
        "same expiry",
        b.store(&later, T0).map_err(&err)?,
        StoreOutcome::Exists
    );
    ensure_eq!(
        P,
        "earlier expiry",
        b.store(&m, T0).map_err(&err)?,
        StoreOutcome::Exists
    );
    let got = b.get_by_hash(&m.hash, T0).map_err(&err)?;
    let want = StoredMessage {
        expiry: later.expiry,
        ..m
    };
    ensure_eq!(P, "timestamp and data kept, expiry raised", got, Some(want));
    ensure_eq!(P, "one row", b.store_stats().map_err(&err)?.messages, 1);
    Ok(())
}

/// Point 7: a public outbox holds one message; re-storing it is idempotent.
pub fn public_outbox<H: Harness>(h: &mut H) -> Check {
    const P: u8 = 7;
    let err = backend_err(P);
    let mut b = h.fresh();
    let a = acct(3, 5);
    let (ma, mb) = (
        msg(a, -21, b"A", T0.0, T0.0 + HOUR),
        msg(a, -21, b"B", T0.0, T0.0 + HOUR),
    );
    let elsewhere = msg(a, -22, b"A", T0.0, T0.0 + HOUR);
    b.store(&elsewhere, T0).map_err(&err)?;
    b.store(&ma, T0).map_err(&err)?;
    ensure_eq!(
        P,
        "store B",
        b.store(&mb, T0).map_err(&err)?,
        StoreOutcome::New
    );
    let q = RetrieveQuery::all(a, Namespace(-21));
    ensure_eq!(
        P,
        "B replaced A",
        hashes(&b.retrieve(&q, T0).map_err(&err)?.messages),
        vec![mb.hash]
    );
    ensure_eq!(
        P,
        "re-store B",
        b.store(&mb, T0).map_err(&err)?,
        StoreOutcome::Exists
    );
    ensure_eq!(
        P,
        "still only B",
        hashes(&b.retrieve(&q, T0).map_err(&err)?.messages),
        vec![mb.hash]
    );
    let other = b
        .retrieve(&RetrieveQuery::all(a, Namespace(-22)), T0)
        .map_err(&err)?;
    ensure_eq!(
        P,
        "other namespace untouched",
        hashes(&other.messages),
        vec![elsewhere.hash]
    );
    Ok(())
}

/// Point 8: `delete_before` is inclusive; `delete_all` sets are right and sorted by hash text.
pub fn deletes<H: Harness>(h: &mut H) -> Check {
    const P: u8 = 8;
    let err = backend_err(P);
    let a = acct(5, 6);
    let ms: [StoredMessage; 12] = core::array::from_fn(|i| {
        let i = i as u64;
        {
            msg(
                a,
                (i % 3) as i16,
                &[i as u8, 1],
                T0.0 - 10_000 + i * 1000,
                T0.0 + HOUR,
            )
        }
    });
    let expect = |f: &dyn Fn(&StoredMessage) -> bool| {
        sorted_affected(
            ms.iter()
                .filter(|m| f(m))
                .map(|m| Affected {
                    namespace: m.namespace,
                    hash: m.hash,
                })
                .collect(),
        )
    };
    let fill = |b: &mut H::Backend| -> Check {
        for m in &ms {
            b.store(m, T0).map_err(backend_err(P))?;
        }
        Ok(())
    };
    let mut b = h.fresh();
    fill(&mut b)?;
    let cut = Timestamp(T0.0 - 10_000 + 4000);
    let got = b
        .delete_before(&a, NamespaceSelector::One(Namespace(1)), cut, T0)
        .map_err(&err)?;
    ensure_eq!(
        P,
        "delete_before one ns, inclusive",
        got,
        expect(&|m| m.namespace.0 == 1 && m.timestamp <= cut)
    );
    let got = b
        .delete_before(&a, NamespaceSelector::All, cut, T0)
        .map_err(&err)?;
    ensure_eq!(
        P,
        "delete_before all, inclusive",
        got,
        expect(&|m| m.namespace.0 != 1 && m.timestamp <= cut)
    );
    let mut b = h.fresh();
    fill(&mut b)?;
    let got = b
        .delete_all(&a, NamespaceSelector::One(Namespace(2)), T0)
        .map_err(&err)?;
    ensure_eq!(P, "delete_all one", got, expect(&|m| m.namespace.0 == 2));
    let got = b.delete_all(&a, NamespaceSelector::All, T0).map_err(&err)?;
    ensure_eq!(P, "delete_all all", got, expect(&|m| m.namespace.0 != 2));
    let mut b = h.fresh();
    fill(&mut b)?;
    let pick = [ms[5].hash, ms[1].hash, MessageHash([1; 32]), ms[5].hash];
    let got = b.delete_hashes(&a, &pick, T0).map_err(&err)?;
    ensure_eq!(
        P,
        "delete_hashes",
        got,
        sorted_affected(vec![
            Affected {
                namespace: ms[5].namespace,
                hash: ms[5].hash
            },
            Affected {
                namespace: ms[1].namespace,
                hash: ms[1].hash
            },
        ])
    );
    Ok(())
}

/// Point 9: strict expiry modes, `shorten_all` never extends, `get_expiries` filtering.
pub fn expiry_updates<H: Harness>(h: &mut H) -> Check {
    const P: u8 = 9;
    let err = backend_err(P);
    let mut b = h.fresh();
    let a = acct(5, 8);
    let (m1, m2) = (
        msg(a, 0, b"1", T0.0, T0.0 + HOUR),
        msg(a, 1, b"2", T0.0, T0.0 + 2 * HOUR),
    );
    let foreign = msg(acct(5, 9), 0, b"f", T0.0, T0.0 + HOUR);
    for m in [&m1, &m2, &foreign] {
        b.store(m, T0).map_err(&err)?;
    }
    let at = |v| Timestamp(T0.0 + v);
    let changed = |b: &mut H::Backend, mode, v| -> Result<Vec<bool>, Failure> {
        Ok(b.update_expiries(&a, &[(m1.hash, at(v))], mode, T0)
            .map_err(backend_err(P))?
            .iter()
            .map(|c| c.changed)
            .collect())
    };
    ensure_eq!(
        P,
        "extend by equal",
        changed(&mut b, ExpiryMode::ExtendOnly, HOUR)?,
        vec![false]
    );
    ensure_eq!(
        P,
        "shorten by equal",
        changed(&mut b, ExpiryMode::ShortenOnly, HOUR)?,
        vec![false]
    );
    ensure_eq!(
        P,
        "shorten to later",
        changed(&mut b, ExpiryMode::ShortenOnly, HOUR + 1)?,
        vec![false]
    );
    ensure_eq!(
        P,
        "extend to later",
        changed(&mut b, ExpiryMode::ExtendOnly, HOUR + 1)?,
        vec![true]
    );
    ensure_eq!(
        P,
        "extend to earlier",
        changed(&mut b, ExpiryMode::ExtendOnly, HOUR)?,
        vec![false]
    );
    ensure_eq!(
        P,
        "set earlier",
        changed(&mut b, ExpiryMode::Set, 100)?,
        vec![true]
    );
    let foreign_change = b
        .update_expiries(&a, &[(foreign.hash, at(5))], ExpiryMode::Set, T0)
        .map_err(&err)?;
    ensure_eq!(P, "another owner's hash untouched", foreign_change, vec![]);
    let got = b
        .shorten_all(&a, NamespaceSelector::All, at(1000), T0)
        .map_err(&err)?;
    ensure_eq!(
        P,
        "shorten_all only shortens",
        got,
        vec![Affected {
            namespace: m2.namespace,
            hash: m2.hash
        }]
    );
    let exp = b
        .get_expiries(
            &a,
            &[m2.hash, MessageHash([3; 32]), foreign.hash, m1.hash],
            T0,
        )
        .map_err(&err)?;
    let mut want = vec![(m1.hash, at(100)), (m2.hash, at(1000))];
    want.sort_by_key(|(h, _)| hash_text_key(h));
    ensure_eq!(P, "get_expiries", exp, want);
    let untouched = b
        .get_expiries(&acct(5, 9), &[foreign.hash], T0)
        .map_err(&err)?;
    ensure_eq!(
        P,
        "foreign expiry",
        untouched,
        vec![(foreign.hash, foreign.expiry)]
    );
    Ok(())
}

/// Point 10: sweep deletes `expiry <= now`; expired rows are invisible before the sweep.
pub fn sweep_and_hiding<H: Harness>(h: &mut H) -> Check {
    const P: u8 = 10;
    let err = backend_err(P);
    let mut b = h.fresh();
    let a = acct(5, 10);
    let ms: [StoredMessage; 4] = core::array::from_fn(|i| {
        let i = i as u64;
        msg(a, 0, &[i as u8], T0.0, T0.0 + 20_000 + i * 1000)
    });
    for m in &ms {
        b.store(m, T0).map_err(&err)?;
    }
    let now = Timestamp(T0.0 + 21_000); // ms[0] and ms[1] (expiry == now) are expired
    let q = RetrieveQuery::all(a, Namespace(0));
    ensure_eq!(
        P,
        "retrieve hides expired",
        hashes(&b.retrieve(&q, now).map_err(&err)?.messages),
        hashes(&ms[2..])
    );
    ensure_eq!(
        P,
        "get_by_hash hides expired",
        b.get_by_hash(&ms[1].hash, now).map_err(&err)?,
        None
    );
    let exp = b
        .get_expiries(&a, &[ms[0].hash, ms[1].hash], now)
        .map_err(&err)?;
    ensure_eq!(P, "get_expiries hides expired", exp, vec![]);
    ensure_eq!(
        P,
        "sweep count (expiry <= now)",
        b.sweep(now).map_err(&err)?,
        2
    );
    ensure_eq!(P, "rows left", b.store_stats().map_err(&err)?.messages, 2);
    ensure_eq!(P, "second sweep", b.sweep(now).map_err(&err)?, 0);
    // An expired, unswept hash stored again is a new message.
    let mut b = h.fresh();
    b.store(&ms[0], T0).map_err(&err)?;
    let again = StoredMessage {
        expiry: Timestamp(now.0 + HOUR),
        ..ms[0].clone()
    };
    ensure_eq!(
        P,
        "re-store after expiry",
        b.store(&again, now).map_err(&err)?,
        StoreOutcome::New
    );
    ensure_eq!(
        P,
        "re-stored message",
        b.get_by_hash(&again.hash, now).map_err(&err)?,
        Some(again)
    );
    Ok(())
}

/// Point 11: a full store answers `Full` and changes nothing.
pub fn capacity<H: Harness>(h: &mut H) -> Check {
    const P: u8 = 11;
    let err = backend_err(P);
    let mut b = h.fresh_with_limit(256 * 1024);
    let a = acct(5, 11);
    let outbox = msg(a, -1, b"outbox", T0.0, T0.0 + HOUR);
    b.store(&outbox, T0).map_err(&err)?;
    let mut full_at = None;
    for i in 0..10_000u32 {
        let mut data = i.to_le_bytes().to_vec();
        data.resize(8000, 0);
        let m = msg(a, 0, &data, T0.0, T0.0 + HOUR);
        match b.store(&m, T0).map_err(&err)? {
            StoreOutcome::New => {}
            StoreOutcome::Full => {
                full_at = Some(m);
                break;
            }
            other => return Err(fail(P, "filling", format!("{other:?}"))),
        }
    }
    let Some(rejected) = full_at else {
        return Err(fail(
            P,
            "store reports Full",
            String::from("80 MB stored under a 256 KiB limit"),
        ));
    };
    let stats = b.store_stats().map_err(&err)?;
    let page = b
        .retrieve(&RetrieveQuery::all(a, Namespace(0)), T0)
        .map_err(&err)?;
    ensure_eq!(
        P,
        "rejected message absent",
        b.get_by_hash(&rejected.hash, T0).map_err(&err)?,
        None
    );
    let big_outbox = msg(a, -1, &[9u8; 60_000], T0.0, T0.0 + HOUR);
    let r = b.store(&big_outbox, T0).map_err(&err)?;
    if r == StoreOutcome::Full {
        let kept = b
            .retrieve(&RetrieveQuery::all(a, Namespace(-1)), T0)
            .map_err(&err)?;
        ensure_eq!(
            P,
            "full outbox store keeps the old message",
            hashes(&kept.messages),
            vec![outbox.hash]
        );
    }
    ensure_eq!(
        P,
        "full store retried",
        b.store(&rejected, T0).map_err(&err)?,
        StoreOutcome::Full
    );
    if r == StoreOutcome::Full {
        ensure_eq!(P, "stats unchanged", b.store_stats().map_err(&err)?, stats);
    }
    ensure_eq!(
        P,
        "page unchanged",
        b.retrieve(&RetrieveQuery::all(a, Namespace(0)), T0)
            .map_err(&err)?,
        page
    );
    let cap = b.capacity().map_err(&err)?;
    if cap.used_bytes > cap.limit_bytes {
        return Err(fail(P, "capacity", format!("{cap:?}")));
    }
    Ok(())
}

/// Point 12: imports skip duplicates, keep namespaces and never change expiries.
pub fn import<H: Harness>(h: &mut H) -> Check {
    const P: u8 = 12;
    let err = backend_err(P);
    let mut b = h.fresh();
    let a = acct(3, 12);
    let existing = msg(a, 13, b"have", T0.0, T0.0 + HOUR);
    b.store(&existing, T0).map_err(&err)?;
    let newer = StoredMessage {
        expiry: Timestamp(T0.0 + 5 * HOUR),
        ..existing.clone()
    };
    let fresh: Vec<StoredMessage> = [-32768i16, -11, 5, 32767]
        .iter()
        .map(|&n| msg(a, n, b"new", T0.0, T0.0 + HOUR))
        .collect();
    let expired = msg(a, 5, b"old", T0.0 - 2 * HOUR, T0.0 - HOUR);
    let mut batch = vec![newer, expired];
    batch.extend(fresh.iter().cloned());
    let stats = b.import(&batch, T0).map_err(&err)?;
    ensure_eq!(
        P,
        "import stats",
        (stats.inserted, stats.duplicates, stats.expired),
        (4, 1, 1)
    );
    ensure_eq!(
        P,
        "duplicate's expiry unchanged",
        b.get_by_hash(&existing.hash, T0).map_err(&err)?,
        Some(existing.clone())
    );
    for m in &fresh {
        ensure_eq!(
            P,
            "namespace preserved",
            b.get_by_hash(&m.hash, T0).map_err(&err)?,
            Some(m.clone())
        );
    }
    // Through the wire format too.
    let mut c = h.fresh();
    let blobs = encode_batches(&fresh, 200);
    let mut inserted = 0;
    for blob in &blobs {
        inserted += receive(&mut c, blob, T0).map_err(backend_err(P))?.inserted;
    }
    ensure_eq!(P, "push batches imported", inserted, fresh.len());
    let again =
        receive(&mut c, blobs.first().map_or(&[][..], |v| v), T0).map_err(backend_err(P))?;
    ensure_eq!(P, "push duplicates skipped", again.inserted, 0);
    ensure_eq!(
        P,
        "namespace preserved over the wire",
        b.export_all(T0).map_err(&err)?.len(),
        5
    );
    for m in &fresh {
        ensure_eq!(
            P,
            "pushed message",
            c.get_by_hash(&m.hash, T0).map_err(&err)?,
            Some(m.clone())
        );
    }
    Ok(())
}

fn token(i: u8) -> SubaccountToken {
    SubaccountToken::new(
        3,
        SubaccountFlags::READ,
        &Ed25519PublicKey::from_bytes([i; 32]),
    )
}

/// Point 13: revocations: 50-newest cap, round trip, survival without messages, the listing
/// in byte order.
pub fn revocations<H: Harness>(h: &mut H) -> Check {
    const P: u8 = 13;
    let err = backend_err(P);
    let mut b = h.fresh();
    let a = acct(3, 13);
    let m = msg(a, 11, b"x", T0.0, T0.0 + HOUR);
    b.store(&m, T0).map_err(&err)?;
    b.revoke(&a, &token(0), T0).map_err(&err)?;
    b.revoke(&a, &token(1), Timestamp(T0.0 + 1)).map_err(&err)?;
    b.delete_all(&a, NamespaceSelector::All, T0).map_err(&err)?;
    b.sweep(Timestamp(T0.0 + 2 * HOUR)).map_err(&err)?;
    ensure_eq!(
        P,
        "survives losing all messages",
        b.is_revoked(&a, &token(0)).map_err(&err)?,
        true
    );
    ensure_eq!(
        P,
        "other account unaffected",
        b.is_revoked(&acct(5, 13), &token(0)).map_err(&err)?,
        false
    );
    ensure_eq!(
        P,
        "unrevoke",
        b.unrevoke(&a, &token(0)).map_err(&err)?,
        true
    );
    ensure_eq!(
        P,
        "unrevoked",
        b.is_revoked(&a, &token(0)).map_err(&err)?,
        false
    );
    ensure_eq!(
        P,
        "unrevoke again",
        b.unrevoke(&a, &token(0)).map_err(&err)?,
        false
    );
    // token(1) is the oldest; re-revoking it refreshes it, so token(2) becomes the oldest.
    for i in 2..=50u8 {
        b.revoke(&a, &token(i), Timestamp(T0.0 + 10 + u64::from(i)))
            .map_err(&err)?;
    }
    b.revoke(&a, &token(1), Timestamp(T0.0 + 100))
        .map_err(&err)?;
    b.revoke(&a, &token(51), Timestamp(T0.0 + 101))
        .map_err(&err)?;
    let held: Vec<u8> = (0..=51u8)
        .filter(|&i| b.is_revoked(&a, &token(i)).unwrap_or(false))
        .collect();
    let want: Vec<u8> = core::iter::once(1).chain(3..=51).collect();
    ensure_eq!(P, "50 newest kept", held, want);
    // The listing holds the same tokens, in byte order.
    let mut listed_want: Vec<SubaccountToken> = want.iter().map(|&i| token(i)).collect();
    listed_want.sort();
    ensure_eq!(
        P,
        "listed in byte order",
        b.revoked(&a).map_err(&err)?,
        listed_want
    );
    ensure_eq!(
        P,
        "nothing listed for an account without revocations",
        b.revoked(&acct(5, 13)).map_err(&err)?,
        Vec::new()
    );
    // Equal times: the smallest token goes first.
    let other = acct(3, 14);
    for i in 100..=150u8 {
        b.revoke(&other, &token(i), T0).map_err(&err)?;
    }
    let held: Vec<u8> = (100..=150u8)
        .filter(|&i| b.is_revoked(&other, &token(i)).unwrap_or(false))
        .collect();
    ensure_eq!(
        P,
        "ties drop the smallest token",
        held,
        (101..=150u8).collect::<Vec<_>>()
    );
    Ok(())
}

/// Point 14: persistence across reopen. Returns `false` if the backend is not persistent.
pub fn persistence<H: Harness>(h: &mut H) -> Result<bool, Failure> {
    const P: u8 = 14;
    let err = backend_err(P);
    let mut b = h.fresh();
    let a = acct(5, 14);
    let ms: [StoredMessage; 20] = core::array::from_fn(|i| {
        let i = i as u64;
        {
            msg(
                a,
                (i % 2) as i16 - 1,
                &[i as u8; 10],
                T0.0 + i,
                T0.0 + HOUR + i,
            )
        }
    });
    for m in &ms {
        b.store(m, T0).map_err(&err)?;
    }
    b.update_expiries(
        &a,
        &[(ms[3].hash, Timestamp(T0.0 + 7 * HOUR))],
        ExpiryMode::Set,
        T0,
    )
    .map_err(&err)?;
    b.revoke(&a, &token(7), T0).map_err(&err)?;
    let before = b.export_all(T0).map_err(&err)?;
    let Some(b) = h.reopen(b) else {
        return Ok(false);
    };
    ensure_eq!(
        P,
        "messages after reopen",
        b.export_all(T0).map_err(&err)?,
        before
    );
    ensure_eq!(
        P,
        "revocation after reopen",
        b.is_revoked(&a, &token(7)).map_err(&err)?,
        true
    );
    ensure_eq!(
        P,
        "revocation list after reopen",
        b.revoked(&a).map_err(&err)?,
        vec![token(7)]
    );
    let q = RetrieveQuery::all(a, Namespace(-1));
    let want: Vec<MessageHash> = before
        .iter()
        .filter(|m| m.namespace.0 == -1)
        .map(|m| m.hash)
        .collect();
    ensure_eq!(
        P,
        "order after reopen",
        hashes(&b.retrieve(&q, T0).map_err(&err)?.messages),
        want
    );
    Ok(true)
}

/// Point 15, first half: readers on several threads see a consistent store.
pub fn parallel_readers<H: Harness>(h: &mut H) -> Check {
    const P: u8 = 15;
    let err = backend_err(P);
    let mut b = h.fresh();
    let accounts: Vec<AccountId> = (0..4u8).map(|k| acct(5, 100 + k)).collect();
    for (k, a) in accounts.iter().enumerate() {
        for i in 0..25u8 {
            b.store(&msg(*a, 0, &[k as u8, i], T0.0, T0.0 + HOUR), T0)
                .map_err(&err)?;
        }
    }
    let b = &b;
    let results: Vec<Result<usize, String>> = std::thread::scope(|s| {
        let handles: Vec<_> = accounts
            .iter()
            .map(|a| {
                s.spawn(move || {
                    let mut n = 0;
                    for _ in 0..20 {
                        let p = b
                            .retrieve(&RetrieveQuery::all(*a, Namespace(0)), T0)
                            .map_err(|e| e.to_string())?;
                        n += p.messages.len();
                    }
                    Ok(n)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|t| {
                t.join()
                    .unwrap_or_else(|_| Err(String::from("reader thread panicked")))
            })
            .collect()
    });
    for r in results {
        ensure_eq!(P, "parallel readers", r, Ok(500));
    }
    Ok(())
}

#[derive(Debug, Clone)]
enum Op {
    Store {
        acct: u8,
        ns: usize,
        data: u8,
        ts_back: u64,
        ttl: u64,
    },
    Retrieve {
        acct: u8,
        ns: usize,
        after: Option<u8>,
        max_count: Option<usize>,
        max_bytes: Option<u64>,
    },
    DeleteHashes {
        acct: u8,
        data: Vec<(usize, u8)>,
    },
    DeleteAll {
        acct: u8,
        ns: Option<usize>,
    },
    DeleteBefore {
        acct: u8,
        ns: Option<usize>,
        back: u64,
    },
    UpdateExpiries {
        acct: u8,
        data: Vec<(usize, u8)>,
        ahead: u64,
        mode: u8,
    },
    ShortenAll {
        acct: u8,
        ns: Option<usize>,
        ahead: u64,
    },
    GetExpiries {
        acct: u8,
        data: Vec<(usize, u8)>,
    },
    Import {
        msgs: Vec<(u8, usize, u8, u64)>,
    },
    Revoke {
        acct: u8,
        token: u8,
        unrevoke: bool,
    },
    Sweep,
    Advance(u64),
}

const MODEL_NS: [i16; 5] = [0, 2, -1, i16::MIN, i16::MAX];

fn model_account(i: u8) -> AccountId {
    // Two prefixes over the same keys, so owner isolation is exercised too.
    AccountId::new(if i.is_multiple_of(2) { 5 } else { 3 }, [i / 2; 32])
}

fn model_data(i: u8) -> Vec<u8> {
    vec![i; usize::from(i % 7) * 50 + 1]
}

fn model_hash(acct: u8, ns: usize, data: u8) -> MessageHash {
    let ns = MODEL_NS.get(ns).copied().unwrap_or(0);
    MessageHash::compute(&model_account(acct), Namespace(ns), &model_data(data))
}

fn op_strategy() -> impl Strategy<Value = Op> {
    let acct = 0u8..4;
    let ns = 0usize..MODEL_NS.len();
    let data = 0u8..8;
    let sel = proptest::option::of(0usize..MODEL_NS.len());
    let picks = proptest::collection::vec((0usize..MODEL_NS.len(), 0u8..8), 0..4);
    prop_oneof![
        4 => (acct.clone(), ns.clone(), data.clone(), 0u64..50_000, 10_000u64..200_000)
            .prop_map(|(acct, ns, data, ts_back, ttl)| Op::Store { acct, ns, data, ts_back, ttl }),
        3 => (acct.clone(), ns.clone(), proptest::option::of(0u8..8), proptest::option::of(1usize..4), proptest::option::of(1u64..1500))
            .prop_map(|(acct, ns, after, max_count, max_bytes)| Op::Retrieve { acct, ns, after, max_count, max_bytes }),
        1 => (acct.clone(), picks.clone()).prop_map(|(acct, data)| Op::DeleteHashes { acct, data }),
        1 => (acct.clone(), sel.clone()).prop_map(|(acct, ns)| Op::DeleteAll { acct, ns }),
        1 => (acct.clone(), sel.clone(), 0u64..60_000).prop_map(|(acct, ns, back)| Op::DeleteBefore { acct, ns, back }),
        2 => (acct.clone(), picks.clone(), 0u64..300_000, 0u8..3)
            .prop_map(|(acct, data, ahead, mode)| Op::UpdateExpiries { acct, data, ahead, mode }),
        1 => (acct.clone(), sel, 0u64..300_000).prop_map(|(acct, ns, ahead)| Op::ShortenAll { acct, ns, ahead }),
        1 => (acct.clone(), picks).prop_map(|(acct, data)| Op::GetExpiries { acct, data }),
        1 => proptest::collection::vec((acct.clone(), ns, data, 1_000u64..200_000), 0..4).prop_map(|msgs| Op::Import { msgs }),
        1 => (acct, 0u8..4, any::<bool>()).prop_map(|(acct, token, unrevoke)| Op::Revoke { acct, token, unrevoke }),
        1 => Just(Op::Sweep),
        2 => (0u64..80_000).prop_map(Op::Advance),
    ]
}

fn sel_of(ns: Option<usize>) -> NamespaceSelector {
    match ns.and_then(|i| MODEL_NS.get(i)) {
        Some(&n) => NamespaceSelector::One(Namespace(n)),
        None => NamespaceSelector::All,
    }
}

/// Applies `op` to a backend and describes everything it answered.
fn apply<B: StorageBackend>(b: &mut B, op: &Op, now: &mut Timestamp) -> String {
    let t = *now;
    let pick = |acct: u8, data: &[(usize, u8)]| -> Vec<MessageHash> {
        data.iter()
            .map(|&(ns, d)| model_hash(acct, ns, d))
            .collect()
    };
    let ns_of = |i: usize| Namespace(MODEL_NS.get(i).copied().unwrap_or(0));
    let answer = match op {
        Op::Store {
            acct,
            ns,
            data,
            ts_back,
            ttl,
        } => {
            let ts = t.0 - ts_back;
            let m = StoredMessage::new(
                model_account(*acct),
                ns_of(*ns),
                Timestamp(ts),
                Timestamp(ts + ttl),
                model_data(*data),
            );
            format!("{:?}", b.store(&m, t))
        }
        Op::Retrieve {
            acct,
            ns,
            after,
            max_count,
            max_bytes,
        } => {
            let q = RetrieveQuery {
                account: model_account(*acct),
                namespace: ns_of(*ns),
                after: after.map(|d| model_hash(*acct, *ns, d)),
                max_count: *max_count,
                max_bytes: *max_bytes,
                size_model: SizeModel::SERVER,
            };
            format!("{:?}", b.retrieve(&q, t))
        }
        Op::DeleteHashes { acct, data } => format!(
            "{:?}",
            b.delete_hashes(&model_account(*acct), &pick(*acct, data), t)
        ),
        Op::DeleteAll { acct, ns } => {
            format!("{:?}", b.delete_all(&model_account(*acct), sel_of(*ns), t))
        }
        Op::DeleteBefore { acct, ns, back } => {
            format!(
                "{:?}",
                b.delete_before(&model_account(*acct), sel_of(*ns), Timestamp(t.0 - back), t)
            )
        }
        Op::UpdateExpiries {
            acct,
            data,
            ahead,
            mode,
        } => {
            let mode = match mode {
                0 => ExpiryMode::Set,
                1 => ExpiryMode::ExtendOnly,
                _ => ExpiryMode::ShortenOnly,
            };
            let changes: Vec<(MessageHash, Timestamp)> = pick(*acct, data)
                .into_iter()
                .map(|h| (h, Timestamp(t.0 + ahead)))
                .collect();
            format!(
                "{:?}",
                b.update_expiries(&model_account(*acct), &changes, mode, t)
            )
        }
        Op::ShortenAll { acct, ns, ahead } => {
            format!(
                "{:?}",
                b.shorten_all(
                    &model_account(*acct),
                    sel_of(*ns),
                    Timestamp(t.0 + ahead),
                    t
                )
            )
        }
        Op::GetExpiries { acct, data } => format!(
            "{:?}",
            b.get_expiries(&model_account(*acct), &pick(*acct, data), t)
        ),
        Op::Import { msgs } => {
            let batch: Vec<StoredMessage> = msgs
                .iter()
                .map(|&(acct, ns, d, ttl)| {
                    StoredMessage::new(
                        model_account(acct),
                        ns_of(ns),
                        t,
                        Timestamp(t.0 + ttl),
                        model_data(d),
                    )
                })
                .collect();
            format!("{:?}", b.import(&batch, t))
        }
        Op::Revoke {
            acct,
            token: k,
            unrevoke,
        } => {
            let a = model_account(*acct);
            let r = if *unrevoke {
                b.unrevoke(&a, &token(*k)).map(|_| ())
            } else {
                b.revoke(&a, &token(*k), t)
            };
            format!(
                "{r:?} {:?} {:?}",
                (0..4u8)
                    .map(|k| b.is_revoked(&a, &token(k)).ok())
                    .collect::<Vec<_>>(),
                b.revoked(&a)
            )
        }
        Op::Sweep => format!("{:?}", b.sweep(t)),
        Op::Advance(ms) => {
            *now = Timestamp(t.0 + ms);
            String::new()
        }
    };
    let state = format!(
        "{:?} {:?} {:?}",
        b.export_all(*now),
        b.store_stats(),
        (0..4u8)
            .map(|a| b.account_stats(&model_account(a), *now).ok())
            .collect::<Vec<_>>()
    );
    format!("{answer} | {state}")
}

/// Point 15, second half: random operation sequences give the same answers and the same
/// state on the backend as on [`MemoryStore`].
pub fn model_check<H: Harness>(h: &mut H, cases: u32) -> Check {
    const P: u8 = 15;
    let harness = RefCell::new(h);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&proptest::collection::vec(op_strategy(), 1..40), |ops| {
        let mut backend = harness.borrow_mut().fresh();
        let mut model = MemoryStore::new();
        let (mut t_b, mut t_m) = (T0, T0);
        for (i, op) in ops.iter().enumerate() {
            let got = apply(&mut backend, op, &mut t_b);
            let want = apply(&mut model, op, &mut t_m);
            if got != want {
                return Err(TestCaseError::fail(format!(
                    "step {i} {op:?}:\n backend: {got}\n model:   {want}"
                )));
            }
        }
        Ok(())
    });
    result.map_err(|e| fail(P, "model check against MemoryStore", e.to_string()))
}
