//! Oxen Name System records, and `ons_resolve` answered from them as oxend answers it.
//!
//! A storage server passes `oxend_request` calls for `ons_resolve` to its oxend; a [`Node`]
//! answers them itself from the [`OnsRecords`] its runtime gives it
//! ([`Node::set_ons_records`]), with oxend's result fields and error texts.
//!
//! [`Node`]: crate::Node
//! [`Node::set_ons_records`]: crate::Node::set_ons_records

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde_json::{Map, Value as Json};
use session_core::encoding::{decode_base64, decode_hex, encode_hex};

/// Length of an XChaCha20-Poly1305 nonce, which newer records carry after their ciphertext.
pub const ONS_NONCE_LEN: usize = 24;

/// Length of a Session record encrypted with a nonce: a 33-byte Session ID, the 16-byte tag
/// and the nonce. oxend splits a nonce off other Session records' values only at this length.
const SESSION_WITH_NONCE_LEN: usize = 33 + 16 + ONS_NONCE_LEN;

/// The kind of name a record maps, numbered as `ons_resolve`'s `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum OnsType {
    /// A Session ID (`type` 0).
    Session,
    /// An Oxen wallet address (`type` 1).
    Wallet,
    /// A Lokinet address (`type` 2; `ons_resolve` also takes 3, 4 and 5, the 2-, 5- and
    /// 10-year registrations, for the same records).
    Lokinet,
}

impl OnsType {
    /// The number oxend gives this type in requests and in its database.
    #[must_use]
    pub const fn code(self) -> u16 {
        match self {
            Self::Session => 0,
            Self::Wallet => 1,
            Self::Lokinet => 2,
        }
    }

    /// The hard fork from which oxend resolves this type.
    const fn since_hardfork(self) -> u16 {
        match self {
            Self::Session => 15,
            Self::Lokinet => 16,
            Self::Wallet => 18,
        }
    }
}

/// One name's record: its encrypted value as oxend stores it, and the chain height after which
/// it lapses (none for records that never expire).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnsRecord {
    value: Vec<u8>,
    expiration_height: Option<u64>,
}

impl OnsRecord {
    /// A record encrypted with XChaCha20-Poly1305: the ciphertext (tag included) and its
    /// nonce, stored as oxend stores them, the nonce after the ciphertext.
    #[must_use]
    pub fn new(ciphertext: &[u8], nonce: [u8; ONS_NONCE_LEN]) -> Self {
        let mut value = Vec::with_capacity(ciphertext.len() + ONS_NONCE_LEN);
        value.extend_from_slice(ciphertext);
        value.extend_from_slice(&nonce);
        Self::from_stored(value)
    }

    /// A record's value exactly as oxend stores it (`encrypted_value` in its database): the
    /// ciphertext followed by the nonce, or for the oldest Session records the ciphertext
    /// alone.
    #[must_use]
    pub fn from_stored(value: Vec<u8>) -> Self {
        Self {
            value,
            expiration_height: None,
        }
    }

    /// The same record, resolvable up to and including chain height `height`.
    #[must_use]
    pub fn expiring_at(mut self, height: u64) -> Self {
        self.expiration_height = Some(height);
        self
    }

    /// The stored value.
    #[must_use]
    pub fn stored(&self) -> &[u8] {
        &self.value
    }

    /// The value and nonce `ons_resolve` answers for a request of type `ty`, split as oxend
    /// splits them: a Session record has a nonce only at the length of a Session ID encrypted
    /// with one (the oldest records have none); other records end with theirs.
    #[must_use]
    pub fn value_nonce(&self, ty: OnsType) -> (&[u8], Option<&[u8]>) {
        let len = self.value.len();
        if (ty == OnsType::Session && len != SESSION_WITH_NONCE_LEN) || len < ONS_NONCE_LEN {
            return (&self.value, None);
        }
        let (value, nonce) = self.value.split_at(len - ONS_NONCE_LEN);
        (value, Some(nonce))
    }

    fn active_at(&self, height: u64) -> bool {
        self.expiration_height.is_none_or(|e| e >= height)
    }
}

/// The ONS records a node resolves names from, by type and name hash (the 32-byte BLAKE2b
/// hash of the lowercase name).
///
/// ```
/// use session_node::{OnsRecord, OnsRecords, OnsType};
///
/// let mut records = OnsRecords::new();
/// records.insert(OnsType::Session, [7; 32], OnsRecord::new(&[1; 49], [2; 24]));
/// assert_eq!(records.len(), 1);
/// let record = records.get(OnsType::Session, &[7; 32]).unwrap();
/// assert_eq!(record.value_nonce(OnsType::Session), (&[1u8; 49][..], Some(&[2u8; 24][..])));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OnsRecords {
    records: BTreeMap<(OnsType, [u8; 32]), OnsRecord>,
}

impl OnsRecords {
    /// No records.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds or replaces the record of `name_hash`; returns the one it replaces.
    pub fn insert(
        &mut self,
        ty: OnsType,
        name_hash: [u8; 32],
        record: OnsRecord,
    ) -> Option<OnsRecord> {
        self.records.insert((ty, name_hash), record)
    }

    /// Removes the record of `name_hash`.
    pub fn remove(&mut self, ty: OnsType, name_hash: &[u8; 32]) -> Option<OnsRecord> {
        self.records.remove(&(ty, *name_hash))
    }

    /// The record of `name_hash`, expired or not.
    #[must_use]
    pub fn get(&self, ty: OnsType, name_hash: &[u8; 32]) -> Option<&OnsRecord> {
        self.records.get(&(ty, *name_hash))
    }

    /// How many records there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// What oxend's `ons_resolve` answers for `params` at hard fork `hardfork` and chain
    /// height `height`: the result object (`{}` for a name without a live record), or the
    /// text of oxend's error reply.
    pub(crate) fn resolve(
        &self,
        params: Option<&Json>,
        hardfork: u16,
        height: u64,
    ) -> Result<Json, String> {
        let (name_hash, code) = parse(params).map_err(|e| {
            format!("Unable to parse request: Failed to parse request parameters: {e}")
        })?;
        let wrong_param = |text: String| format!("RPC error -1: {text}");
        // Types 0..=5: session, wallet, lokinet and lokinet's 2-, 5- and 10-year forms.
        let ty = match code {
            0 => OnsType::Session,
            1 => OnsType::Wallet,
            2..=5 => OnsType::Lokinet,
            _ => {
                return Err(wrong_param(String::from(
                    "Unable to resolve ONS address: 'type' parameter not specified",
                )));
            }
        };
        let Some(hash) = name_hash_input(name_hash.as_bytes()) else {
            return Err(wrong_param(format!(
                "Unable to resolve ONS address: invalid 'name_hash' value '{name_hash}'"
            )));
        };
        if hardfork < ty.since_hardfork() {
            // oxend calls every type "lokinet" in this text.
            return Err(wrong_param(format!("Invalid lokinet type '{code}'")));
        }
        let mut result = Map::new();
        if let Some(record) = self.get(ty, &hash).filter(|r| r.active_at(height)) {
            let (value, nonce) = record.value_nonce(ty);
            result.insert("encrypted_value".into(), Json::String(encode_hex(value)));
            if let Some(nonce) = nonce {
                result.insert("nonce".into(), Json::String(encode_hex(nonce)));
            }
        }
        Ok(Json::Object(result))
    }
}

/// nlohmann's name for a JSON value's type, as its errors print it.
fn type_name(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "boolean",
        Json::Number(_) => "number",
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
    }
}

/// `name_hash` and `type`, read as oxend reads them (in key order, each required).
fn parse(params: Option<&Json>) -> Result<(&str, i64), String> {
    let missing = |key: &str| format!("Required key '{key}' not found");
    let obj = match params {
        None => return Err(missing("name_hash")),
        Some(Json::Object(m)) => m,
        // oxend walks the params as an object; an empty array has nothing to walk.
        Some(Json::Array(a)) if a.is_empty() => return Err(missing("name_hash")),
        Some(_) => {
            return Err(String::from(
                "[json.exception.invalid_iterator.207] cannot use key() for non-object iterators",
            ));
        }
    };
    let name_hash = match obj.get("name_hash") {
        None => return Err(missing("name_hash")),
        Some(Json::String(s)) => s.as_str(),
        Some(other) => {
            return Err(format!(
                "[json.exception.type_error.302] type must be string, but is {}",
                type_name(other)
            ));
        }
    };
    let ty = match obj.get("type") {
        None => return Err(missing("type")),
        Some(v) => {
            // oxend reads any JSON integer as an i64 (an unsigned one above i64::MAX wraps),
            // then requires it to fit its `int`.
            let wide = v
                .as_i64()
                .or_else(|| v.as_u64().map(u64::cast_signed))
                .ok_or_else(|| String::from("Invalid value for 'type': value is not an integer"))?;
            if wide < i64::from(i32::MIN) {
                return Err(String::from(
                    "Invalid value for 'type': negative value magnitude is too large",
                ));
            }
            if wide > i64::from(i32::MAX) {
                return Err(String::from("Invalid value for 'type': value is too large"));
            }
            wide
        }
    };
    Ok((name_hash, ty))
}

/// A name hash as oxend accepts it: 32 raw bytes, 64 hex digits, or 43 base64 characters
/// (one `=` of padding allowed; unused trailing bits ignored).
fn name_hash_input(input: &[u8]) -> Option<[u8; 32]> {
    let bytes = match input.len() {
        32 => input.to_vec(),
        64 => decode_hex(core::str::from_utf8(input).ok()?).ok()?,
        43 | 44 => {
            let body = input
                .strip_suffix(b"=")
                .filter(|_| input.len() == 44)
                .unwrap_or(input);
            if !body
                .iter()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/'))
            {
                return None;
            }
            decode_base64(body, 33).ok()?
        }
        _ => return None,
    };
    bytes.try_into().ok()
}
