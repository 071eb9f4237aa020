//! Reply bodies: one tree that serializes both as the storage server's JSON (keys sorted, as
//! its JSON library keeps objects) and as bencode (for requests that arrived bencoded).

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::Value as Json;

/// A reply value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// JSON `true`/`false`; bencode `1`/`0`.
    Bool(bool),
    /// A signed integer.
    Int(i64),
    /// An unsigned integer (timestamps, swarm ids in decimal).
    UInt(u64),
    /// Text.
    Str(String),
    /// Binary: raw in bencode; base64 in JSON (the server only puts bytes in replies to
    /// bencoded requests, so JSON replies never meet this variant in practice).
    Bytes(Vec<u8>),
    /// A list.
    List(Vec<Value>),
    /// A dictionary; keys are kept sorted, as both encodings order them.
    Dict(BTreeMap<String, Value>),
}

impl Value {
    /// An empty dictionary.
    #[must_use]
    pub fn dict() -> Self {
        Value::Dict(BTreeMap::new())
    }

    /// Sets `key` in a dictionary (no-op on other variants) and returns `self` for chaining.
    #[must_use]
    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.set(key, value);
        self
    }

    /// Sets `key` in a dictionary; other variants are left unchanged.
    pub fn set(&mut self, key: &str, value: impl Into<Value>) {
        if let Value::Dict(d) = self {
            d.insert(String::from(key), value.into());
        }
    }

    /// Looks `key` up in a dictionary.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Dict(d) => d.get(key),
            _ => None,
        }
    }

    /// The JSON form.
    #[must_use]
    pub fn to_json(&self) -> Json {
        match self {
            Value::Bool(b) => Json::Bool(*b),
            Value::Int(i) => Json::from(*i),
            Value::UInt(u) => Json::from(*u),
            Value::Str(s) => Json::String(s.clone()),
            Value::Bytes(b) => Json::String(session_core::encoding::encode_base64(b)),
            Value::List(l) => Json::Array(l.iter().map(Value::to_json).collect()),
            Value::Dict(d) => {
                Json::Object(d.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
            }
        }
    }

    /// Compact JSON text, as the storage server's `dump()` writes it.
    #[must_use]
    pub fn to_json_string(&self) -> String {
        self.to_json().to_string()
    }

    /// The bencoded form (booleans as `1`/`0`).
    #[must_use]
    pub fn to_bencode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_bencode(&mut out);
        out
    }

    fn write_bencode(&self, out: &mut Vec<u8>) {
        use session_core::bencode::{write_bytes, write_int, write_uint};
        match self {
            Value::Bool(b) => write_int(out, i64::from(*b)),
            Value::Int(i) => write_int(out, *i),
            Value::UInt(u) => write_uint(out, *u),
            Value::Str(s) => write_bytes(out, s.as_bytes()),
            Value::Bytes(b) => write_bytes(out, b),
            Value::List(l) => {
                out.push(b'l');
                for v in l {
                    v.write_bencode(out);
                }
                out.push(b'e');
            }
            Value::Dict(d) => {
                out.push(b'd');
                for (k, v) in d {
                    write_bytes(out, k.as_bytes());
                    v.write_bencode(out);
                }
                out.push(b'e');
            }
        }
    }
}

impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}
impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<i16> for Value {
    fn from(v: i16) -> Self {
        Value::Int(i64::from(v))
    }
}
impl From<u16> for Value {
    fn from(v: u16) -> Self {
        Value::UInt(u64::from(v))
    }
}
impl From<u64> for Value {
    fn from(v: u64) -> Self {
        Value::UInt(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Str(String::from(v))
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Str(v)
    }
}
impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(v: Vec<T>) -> Self {
        Value::List(v.into_iter().map(Into::into).collect())
    }
}
