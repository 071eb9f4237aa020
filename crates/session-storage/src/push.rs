//! The swarm push-batch encoding: how nodes hand stored messages to each other.
//!
//! A batch is a version byte followed by a bencoded list of records:
//!
//! - **v1** (the storage server's `sn.data`): `0x01`, then `l` + `l 33:account hash i<ts>e
//!   i<expiry>e data e`… + `e`. It carries **no namespace**: the reference server files every
//!   message it receives this way under namespace 0. [`decode`] reads it for interop, and
//!   [`PushRecord::into_message`] only accepts a v1 record if its hash proves it was stored in
//!   namespace 0, rather than mis-filing it.
//! - **v2** (ours): `0x02`, records with a sixth element, `i<namespace>e`. The receiver
//!   recomputes every hash from the content, so a peer cannot plant a message under a wrong
//!   hash, and no client signature is needed again.
//!
//! The decoder never panics and allocates in proportion to its input: every length is checked
//! against the bytes actually present, integers have at most 20 digits, data at most
//! [`MAX_DATA_BYTES`].

use alloc::string::ToString as _;
use alloc::vec::Vec;

use session_core::bencode::{self, Decoder, Mode, Rule};
use session_core::{AccountId, MessageHash, Namespace, Reader, Timestamp};

use crate::error::PushError;

type Result<T, E = PushError> = core::result::Result<T, E>;
use crate::policy::MAX_DATA_BYTES;
use crate::types::StoredMessage;

/// The storage server's push format, without namespaces.
pub const VERSION_V1: u8 = 1;
/// Our push format, with namespaces.
pub const VERSION_V2: u8 = 2;
/// The batch size the storage server aims for, bytes.
pub const BATCH_TARGET_BYTES: usize = 9_000_000;

/// One record of a push batch, borrowing from the batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PushRecord<'a> {
    /// The owner.
    pub account: AccountId,
    /// The hash as sent (43 base64 characters from real nodes).
    pub hash: &'a [u8],
    /// The namespace (`None` in v1 batches).
    pub namespace: Option<Namespace>,
    /// The message timestamp.
    pub timestamp: Timestamp,
    /// The expiry.
    pub expiry: Timestamp,
    /// The data.
    pub data: &'a [u8],
}

impl PushRecord<'_> {
    /// The stored message, if the hash is the v4 hash of the content (namespace 0 for v1
    /// records); `index` only labels the error.
    pub fn into_message(self, index: usize) -> Result<StoredMessage> {
        let ns = self.namespace.unwrap_or(Namespace::DEFAULT);
        let msg = StoredMessage::new(
            self.account,
            ns,
            self.timestamp,
            self.expiry,
            self.data.to_vec(),
        );
        let matches = core::str::from_utf8(self.hash)
            .ok()
            .and_then(|t| t.parse::<MessageHash>().ok())
            .is_some_and(|h| h == msg.hash);
        if matches {
            Ok(msg)
        } else {
            Err(PushError::HashMismatch { index })
        }
    }
}

fn put_record(out: &mut Vec<u8>, version: u8, r: &PushRecord<'_>) {
    bencode::write_list_start(out);
    bencode::write_bytes(out, &r.account.to_bytes());
    bencode::write_bytes(out, r.hash);
    bencode::write_uint(out, r.timestamp.0);
    bencode::write_uint(out, r.expiry.0);
    bencode::write_bytes(out, r.data);
    if version >= VERSION_V2 {
        bencode::write_int(out, i64::from(r.namespace.unwrap_or_default().0));
    }
    bencode::write_end(out);
}

/// Encodes `records` as one batch of `version` ([`VERSION_V1`] drops namespaces).
#[must_use]
pub fn encode(version: u8, records: &[PushRecord<'_>]) -> Vec<u8> {
    let mut out = vec![version];
    bencode::write_list_start(&mut out);
    for r in records {
        put_record(&mut out, version, r);
    }
    bencode::write_end(&mut out);
    out
}

/// Encodes messages as v2 batches of at most about `max_batch_bytes` each (a single larger
/// record gets a batch of its own).
#[must_use]
pub fn encode_batches<'m>(
    messages: impl IntoIterator<Item = &'m StoredMessage>,
    max_batch_bytes: usize,
) -> Vec<Vec<u8>> {
    let mut batches = Vec::new();
    let mut current: Vec<u8> = vec![VERSION_V2, b'l'];
    let mut record = Vec::new();
    for m in messages {
        let hash = m.hash.to_string();
        record.clear();
        put_record(
            &mut record,
            VERSION_V2,
            &PushRecord {
                account: m.account,
                hash: hash.as_bytes(),
                namespace: Some(m.namespace),
                timestamp: m.timestamp,
                expiry: m.expiry,
                data: &m.data,
            },
        );
        if current.len() > 2 && current.len() + record.len() + 1 > max_batch_bytes {
            bencode::write_end(&mut current);
            batches.push(core::mem::replace(&mut current, vec![VERSION_V2, b'l']));
        }
        current.extend_from_slice(&record);
    }
    if current.len() > 2 {
        bencode::write_end(&mut current);
        batches.push(current);
    }
    batches
}

/// Bencode elements in oxenc's lenient spelling (as the storage server writes them), every
/// failure reported as the push rule broken at the offset where the element began.
struct Records<'a> {
    d: Decoder<'a>,
}

impl<'a> Records<'a> {
    fn err_at(offset: usize, rule: &'static str) -> PushError {
        PushError::Malformed { offset, rule }
    }

    fn err(&self, rule: &'static str) -> PushError {
        Self::err_at(self.d.offset(), rule)
    }

    fn list(&mut self, rule: &'static str) -> Result<()> {
        self.d.begin_list().map_err(|_| self.err(rule))
    }

    fn end(&mut self, rule: &'static str) -> Result<()> {
        self.d.end().map_err(|_| self.err(rule))
    }

    /// A byte string of at most `max` bytes.
    fn string(
        &mut self,
        max: usize,
        rule: &'static str,
        too_long: &'static str,
    ) -> Result<&'a [u8]> {
        let start = self.d.offset();
        self.d.take_bytes_at_most(max).map_err(|e| {
            Self::err_at(
                start,
                match e.rule {
                    Rule::StringTooLong => too_long,
                    Rule::StringPastEnd => "string longer than the batch",
                    _ => rule,
                },
            )
        })
    }

    fn time(&mut self, rule: &'static str) -> Result<Timestamp> {
        let start = self.d.offset();
        self.d
            .take_u64()
            .map(Timestamp)
            .map_err(|_| Self::err_at(start, rule))
    }

    fn namespace(&mut self) -> Result<Namespace> {
        let start = self.d.offset();
        let v = self.d.take_i64().map_err(|e| {
            Self::err_at(
                start,
                match e.rule {
                    Rule::IntegerOutOfRange => "namespace out of range",
                    _ => "expected the namespace",
                },
            )
        })?;
        i16::try_from(v)
            .map(Namespace)
            .map_err(|_| Self::err_at(start, "namespace out of range"))
    }
}

/// Decodes a v1 or v2 batch.
pub fn decode(blob: &[u8]) -> Result<Vec<PushRecord<'_>>> {
    let (&version, _) = blob.split_first().ok_or(PushError::Malformed {
        offset: 0,
        rule: "missing version byte",
    })?;
    if version != VERSION_V1 && version != VERSION_V2 {
        return Err(PushError::UnknownVersion(version));
    }
    let mut r = Reader::new(blob);
    r.advance(1)
        .map_err(|_| Records::err_at(0, "missing version byte"))?;
    let mut bt = Records {
        d: Decoder::from_reader(r, Mode::Lenient),
    };
    bt.list("expected the record list")?;
    let mut out = Vec::new();
    while !bt.d.at_end() {
        bt.list("expected a record list")?;
        let at = bt.d.offset();
        let account = bt.string(
            33,
            "expected the 33-byte account",
            "account must be 33 bytes",
        )?;
        let account = <[u8; 33]>::try_from(account)
            .map_err(|_| Records::err_at(at, "account must be 33 bytes"))?;
        let [netid, key @ ..] = account;
        let hash = bt.string(128, "expected the hash", "hash longer than 128 bytes")?;
        let timestamp = bt.time("expected a non-negative timestamp")?;
        let expiry = bt.time("expected a non-negative expiry")?;
        let data = bt.string(
            MAX_DATA_BYTES,
            "expected the data",
            "data longer than 76800 bytes",
        )?;
        let namespace = if version >= VERSION_V2 {
            Some(bt.namespace()?)
        } else {
            None
        };
        bt.end("expected the end of the record")?;
        out.push(PushRecord {
            account: AccountId::new(netid, key),
            hash,
            namespace,
            timestamp,
            expiry,
            data,
        });
    }
    bt.end("expected the end of the record list")?;
    if !bt.d.is_exhausted() {
        return Err(bt.err("trailing bytes after the batch"));
    }
    Ok(out)
}

/// Decodes a batch into messages, checking every hash against its content.
pub fn decode_messages(blob: &[u8]) -> Result<Vec<StoredMessage>> {
    decode(blob)?
        .into_iter()
        .enumerate()
        .map(|(i, r)| r.into_message(i))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn rule(blob: &[u8]) -> (usize, &'static str) {
        match decode(blob) {
            Err(PushError::Malformed { offset, rule }) => (offset, rule),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn malformed_batches_name_the_rule_and_offset() {
        assert!(matches!(
            decode(b""),
            Err(PushError::Malformed { offset: 0, .. })
        ));
        assert!(matches!(
            decode(b"\x03le"),
            Err(PushError::UnknownVersion(3))
        ));
        assert_eq!(decode(b"\x02le").map(|v| v.len()).ok(), Some(0));
        assert_eq!(rule(b"\x02lex"), (3, "trailing bytes after the batch"));
        assert_eq!(rule(b"\x02l"), (2, "expected a record list"));
        assert_eq!(rule(b"\x02ll3:abc"), (3, "account must be 33 bytes"));
        assert_eq!(rule(b"\x02ll99:ab"), (3, "account must be 33 bytes"));
        assert_eq!(rule(b"\x02ll33:ab"), (3, "string longer than the batch"));
        assert_eq!(
            rule(b"\x02ll123456789012345678901:"),
            (3, "expected the 33-byte account")
        );
        let mut rec = b"\x02ll33:".to_vec();
        rec.extend_from_slice(&[5; 33]);
        rec.extend_from_slice(b"1:hi-5e");
        assert_eq!(rule(&rec), (42, "expected a non-negative timestamp"));
        let mut rec = b"\x02ll33:".to_vec();
        rec.extend_from_slice(&[5; 33]);
        rec.extend_from_slice(b"1:hi5ei6e2:ddi40000eee");
        assert_eq!(rule(&rec), (52, "namespace out of range"));
        // Beyond i64 (and beyond u64) is out of range too, not a malformed integer.
        for big in [&b"i9223372036854775808e"[..], b"i-99999999999999999999e"] {
            let mut rec = b"\x02ll33:".to_vec();
            rec.extend_from_slice(&[5; 33]);
            rec.extend_from_slice(b"1:hi5ei6e2:dd");
            rec.extend_from_slice(big);
            rec.extend_from_slice(b"ee");
            assert_eq!(rule(&rec), (52, "namespace out of range"));
        }
        let mut rec = b"\x02ll33:".to_vec();
        rec.extend_from_slice(&[5; 33]);
        rec.extend_from_slice(b"1:hi5ei6e2:ddi-e");
        assert_eq!(rule(&rec), (52, "expected the namespace"));
    }

    fn record(namespace: Option<Namespace>) -> PushRecord<'static> {
        PushRecord {
            account: AccountId::new(5, [7; 32]),
            hash: b"h",
            namespace,
            timestamp: Timestamp(12),
            expiry: Timestamp(34),
            data: b"xy",
        }
    }

    fn record_bytes(tail: &[u8]) -> Vec<u8> {
        let mut v = b"l33:\x05".to_vec();
        v.extend_from_slice(&[7; 32]);
        v.extend_from_slice(b"1:hi12ei34e2:xy");
        v.extend_from_slice(tail);
        v.push(b'e');
        v
    }

    #[test]
    fn records_encode_byte_for_byte() {
        let batch = |version: u8, tail: &[u8]| {
            let mut v = vec![version, b'l'];
            v.extend(record_bytes(tail));
            v.push(b'e');
            v
        };
        let ns = |n| Some(Namespace(n));
        assert_eq!(encode(VERSION_V2, &[record(ns(0))]), batch(2, b"i0e"));
        assert_eq!(encode(VERSION_V2, &[record(ns(-5))]), batch(2, b"i-5e"));
        assert_eq!(encode(VERSION_V2, &[record(ns(17))]), batch(2, b"i17e"));
        assert_eq!(encode(VERSION_V1, &[record(ns(17))]), batch(1, b""));
        assert_eq!(
            encode(VERSION_V2, &[]),
            vec![VERSION_V2, b'l', b'e'],
            "an empty batch is an empty list"
        );
    }

    #[test]
    fn integers_are_one_to_twenty_digits() {
        let with_timestamp = |ts: &[u8]| {
            let mut v = b"\x02ll33:".to_vec();
            v.extend_from_slice(&[5; 33]);
            v.extend_from_slice(b"1:h");
            v.extend_from_slice(ts);
            v.extend_from_slice(b"i2e2:ddi0eee");
            v
        };
        let timestamps =
            |blob: &[u8]| decode(blob).map(|r| r.iter().map(|r| r.timestamp.0).collect::<Vec<_>>());
        assert_eq!(timestamps(&with_timestamp(b"i7e")).ok(), Some(vec![7]));
        // Twenty digits (leading zeros included) are the most an integer may have.
        assert_eq!(
            timestamps(&with_timestamp(b"i00000000000000000007e")).ok(),
            Some(vec![7])
        );
        assert_eq!(
            timestamps(&with_timestamp(b"i18446744073709551615e")).ok(),
            Some(vec![u64::MAX])
        );
        // oxenc, which the storage server reads batches with, takes `-0` for 0.
        assert_eq!(timestamps(&with_timestamp(b"i-0e")).ok(), Some(vec![0]));
        for bad in [
            &b"i000000000000000000007e"[..],
            b"ie",
            b"i18446744073709551616e",
            b"i7xe",
        ] {
            assert_eq!(
                rule(&with_timestamp(bad)),
                (42, "expected a non-negative timestamp"),
                "{}",
                alloc::string::String::from_utf8_lossy(bad)
            );
        }
        // An empty length prefix is no length.
        assert_eq!(rule(b"\x02ll:"), (3, "expected the 33-byte account"));
    }

    #[test]
    fn batches_split_exactly_at_the_size_limit() {
        let msgs: Vec<StoredMessage> = (0u8..3)
            .map(|i| {
                StoredMessage::new(
                    AccountId::new(5, [i; 32]),
                    Namespace(0),
                    Timestamp(1),
                    Timestamp(2),
                    vec![i; 10],
                )
            })
            .collect();
        let one = encode_batches(&msgs[..1], usize::MAX).remove(0);
        // Every record here has the same length: version, `l`, record, `e`.
        let record = one.len() - 3;
        let sizes = |max: usize| -> Vec<usize> {
            encode_batches(&msgs, max)
                .iter()
                .map(|b| decode(b).map(|r| r.len()).unwrap_or(usize::MAX))
                .collect()
        };
        assert_eq!(sizes(usize::MAX), [3]);
        assert_eq!(sizes(3 + 3 * record), [3]);
        assert_eq!(sizes(3 + 3 * record - 1), [2, 1]);
        assert_eq!(sizes(3 + 2 * record), [2, 1]);
        assert_eq!(sizes(3 + 2 * record - 1), [1, 1, 1]);
        // A record larger than the limit gets a batch of its own; never an empty batch.
        assert_eq!(sizes(1), [1, 1, 1]);
        for b in encode_batches(&msgs, 3 + 2 * record) {
            assert!(b.len() <= 3 + 2 * record);
        }
        assert!(encode_batches(&msgs[..0], usize::MAX).is_empty());
    }

    #[test]
    fn v2_keeps_namespaces_and_checks_hashes() {
        let m = StoredMessage::new(
            AccountId::new(3, [1; 32]),
            Namespace(-32768),
            Timestamp(1),
            Timestamp(2),
            vec![1, 2, 3],
        );
        let blob = encode_batches([&m], usize::MAX).remove(0);
        assert_eq!(blob.first(), Some(&VERSION_V2));
        assert_eq!(decode_messages(&blob).ok(), Some(vec![m.clone()]));
        // The same record with its namespace changed no longer matches its hash.
        let text = alloc::string::String::from_utf8_lossy(&blob).replace("i-32768e", "i-32767e");
        assert!(matches!(
            decode_messages(text.as_bytes()),
            Err(PushError::HashMismatch { index: 0 })
        ));
        // v1 drops the namespace: only namespace-0 messages survive it.
        let hash = m.hash.to_string();
        let rec = PushRecord {
            account: m.account,
            hash: hash.as_bytes(),
            namespace: Some(m.namespace),
            timestamp: m.timestamp,
            expiry: m.expiry,
            data: &m.data,
        };
        let v1 = encode(VERSION_V1, &[rec]);
        assert!(matches!(
            decode_messages(&v1),
            Err(PushError::HashMismatch { index: 0 })
        ));
        let m0 = StoredMessage::new(
            m.account,
            Namespace(0),
            m.timestamp,
            m.expiry,
            m.data.clone(),
        );
        let hash0 = m0.hash.to_string();
        let v1 = encode(
            VERSION_V1,
            &[PushRecord {
                hash: hash0.as_bytes(),
                ..rec
            }],
        );
        assert_eq!(decode_messages(&v1).ok(), Some(vec![m0]));
    }
}
