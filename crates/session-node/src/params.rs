//! Reading request parameters from a JSON object or a bencoded dictionary with the storage
//! server's type rules and error texts ("Invalid value given for 'x': expected ...").

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde_json::{Map, Value as Json};
use session_core::bencode::Value as Bt;

/// A parse failure: answered `400 invalid request: <text>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParseError(pub(crate) String);

impl ParseError {
    pub(crate) fn new(text: impl Into<String>) -> Self {
        ParseError(text.into())
    }
}

pub(crate) type Parsed<T> = Result<T, ParseError>;

fn invalid(name: &str, expected: &str) -> ParseError {
    ParseError(format!(
        "Invalid value given for '{name}': expected {expected}"
    ))
}

/// A string field: JSON text or bencoded bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Str<'a> {
    Text(&'a str),
    Raw(&'a [u8]),
}

impl<'a> Str<'a> {
    pub(crate) fn bytes(self) -> &'a [u8] {
        match self {
            Str::Text(t) => t.as_bytes(),
            Str::Raw(b) => b,
        }
    }
    pub(crate) fn len(self) -> usize {
        self.bytes().len()
    }
}

/// A namespace argument: one namespace or `all`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NsArg {
    One(i16),
    All,
}

/// Request parameters in either encoding.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Params<'a> {
    Json(&'a Map<String, Json>),
    Bt(&'a [(&'a [u8], Bt<'a>)]),
}

const MIN_MILLIS: u64 = 1_000_000_000;

impl<'a> Params<'a> {
    /// Whether binary reply fields are base64 (JSON) or raw (bencode).
    pub(crate) fn is_json(&self) -> bool {
        matches!(self, Params::Json(_))
    }

    fn json(&self, name: &str) -> Option<&'a Json> {
        match self {
            Params::Json(m) => m.get(name).filter(|v| !v.is_null()),
            Params::Bt(_) => None,
        }
    }

    fn bt(&self, name: &str) -> Option<&'a Bt<'a>> {
        match self {
            Params::Bt(d) => d
                .iter()
                .find(|(k, _)| *k == name.as_bytes())
                .map(|(_, v)| v),
            Params::Json(_) => None,
        }
    }

    pub(crate) fn has(&self, name: &str) -> bool {
        self.json(name).is_some() || self.bt(name).is_some()
    }

    pub(crate) fn str(&self, name: &str) -> Parsed<Option<Str<'a>>> {
        match self {
            Params::Json(_) => match self.json(name) {
                None => Ok(None),
                Some(Json::String(s)) => Ok(Some(Str::Text(s))),
                Some(_) => Err(invalid(name, "string")),
            },
            Params::Bt(_) => match self.bt(name) {
                None => Ok(None),
                Some(Bt::Bytes(b)) => Ok(Some(Str::Raw(b))),
                Some(_) => Err(invalid(name, "string")),
            },
        }
    }

    pub(crate) fn bool(&self, name: &str) -> Parsed<Option<bool>> {
        match self {
            Params::Json(_) => match self.json(name) {
                None => Ok(None),
                Some(Json::Bool(b)) => Ok(Some(*b)),
                Some(_) => Err(invalid(name, "boolean")),
            },
            Params::Bt(_) => match self.bt(name) {
                None => Ok(None),
                Some(Bt::Int(0)) => Ok(Some(false)),
                Some(Bt::Int(1)) => Ok(Some(true)),
                Some(_) => Err(invalid(name, "boolean")),
            },
        }
    }

    /// A signed integer that fits an `i32` (the server's `int` fields).
    pub(crate) fn int(&self, name: &str) -> Parsed<Option<i64>> {
        match self {
            Params::Json(_) => match self.json(name) {
                None => Ok(None),
                Some(v) => v
                    .as_i64()
                    .filter(|i| i32::try_from(*i).is_ok())
                    .map(Some)
                    .ok_or_else(|| invalid(name, "integer")),
            },
            Params::Bt(_) => match self.bt(name) {
                None => Ok(None),
                Some(Bt::Int(i)) if i32::try_from(*i).is_ok() => Ok(Some(*i)),
                Some(_) => Err(invalid(name, "integer")),
            },
        }
    }

    /// A millisecond timestamp. JSON values below 10^9 ms are taken for seconds and refused.
    pub(crate) fn timestamp(&self, name: &str) -> Parsed<Option<u64>> {
        const WHAT: &str = "integer timestamp (in milliseconds)";
        match self {
            Params::Json(_) => match self.json(name) {
                None => Ok(None),
                Some(v) => {
                    let ms = v.as_u64().ok_or_else(|| invalid(name, WHAT))?;
                    if ms < MIN_MILLIS {
                        return Err(ParseError(format!(
                            "Invalid timestamp for '{name}': timestamp must be in milliseconds"
                        )));
                    }
                    Ok(Some(ms))
                }
            },
            Params::Bt(_) => match self.bt(name) {
                None => Ok(None),
                Some(Bt::Int(i)) => Ok(Some(u64::try_from(*i).unwrap_or(0))),
                Some(_) => Err(invalid(name, WHAT)),
            },
        }
    }

    /// An integer given as a number or (JSON only, for old clients) as decimal text.
    pub(crate) fn stringified(&self, name: &str, unsigned: bool) -> Parsed<Option<i64>> {
        let what = if unsigned {
            "positive integer"
        } else {
            "integer"
        };
        match self {
            Params::Json(_) => match self.json(name) {
                None => Ok(None),
                Some(Json::String(s)) => s
                    .parse::<i64>()
                    .ok()
                    .filter(|v| !unsigned || *v >= 0)
                    .map(Some)
                    .ok_or_else(|| {
                        ParseError(format!(
                            "Invalid value given for '{name}': {}",
                            Json::String(s.clone())
                        ))
                    }),
                Some(v) if unsigned => v
                    .as_u64()
                    .and_then(|u| i64::try_from(u).ok())
                    .map(Some)
                    .ok_or_else(|| invalid(name, what)),
                Some(v) => v.as_i64().map(Some).ok_or_else(|| invalid(name, what)),
            },
            Params::Bt(_) => match self.bt(name) {
                None => Ok(None),
                Some(Bt::Int(i)) if !unsigned || *i >= 0 => Ok(Some(*i)),
                Some(_) => Err(invalid(name, what)),
            },
        }
    }

    /// A namespace: a 16-bit integer, or also `"all"` when `all_allowed`.
    pub(crate) fn namespace(&self, name: &str, all_allowed: bool) -> Parsed<Option<NsArg>> {
        let what = if all_allowed {
            "integer or \"all\""
        } else {
            "16-bit integer"
        };
        let (int, is_all) = match self {
            Params::Json(_) => match self.json(name) {
                None => return Ok(None),
                Some(Json::String(s)) => (None, s == "all"),
                Some(v) => match v.as_i64() {
                    Some(i) => (Some(i), false),
                    None => return Err(invalid(name, what)),
                },
            },
            Params::Bt(_) => match self.bt(name) {
                None => return Ok(None),
                Some(Bt::Int(i)) => (Some(*i), false),
                Some(Bt::Bytes(b)) => (None, *b == b"all"),
                Some(_) => return Err(invalid(name, what)),
            },
        };
        match int {
            Some(i) => i16::try_from(i).map(|n| Some(NsArg::One(n))).map_err(|_| {
                ParseError(format!(
                    "Invalid value given for '{name}': value out of range"
                ))
            }),
            None if is_all && all_allowed => Ok(Some(NsArg::All)),
            None if self.is_json() && all_allowed => Err(invalid(name, what)),
            None => Err(invalid(name, what)),
        }
    }

    /// A list of strings, or one string as a list of one.
    pub(crate) fn str_list(&self, name: &str) -> Parsed<Option<Vec<Str<'a>>>> {
        match self {
            Params::Json(_) => match self.json(name) {
                None => Ok(None),
                Some(Json::String(s)) => Ok(Some(alloc::vec![Str::Text(s)])),
                Some(Json::Array(items)) => items
                    .iter()
                    .map(|v| v.as_str().map(Str::Text))
                    .collect::<Option<Vec<_>>>()
                    .map(Some)
                    .ok_or_else(|| invalid(name, "string array")),
                Some(_) => Err(invalid(name, "string array")),
            },
            Params::Bt(_) => match self.bt(name) {
                None => Ok(None),
                Some(Bt::Bytes(b)) => Ok(Some(alloc::vec![Str::Raw(b)])),
                Some(Bt::List(items)) => items
                    .iter()
                    .map(|v| v.as_bytes().map(Str::Raw))
                    .collect::<Option<Vec<_>>>()
                    .map(Some)
                    .ok_or_else(|| invalid(name, "string array")),
                Some(_) => Err(invalid(name, "string array")),
            },
        }
    }

    /// A list of integers, or one integer as a list of one.
    pub(crate) fn int_list(&self, name: &str, what: &str) -> Parsed<Option<Vec<i64>>> {
        match self {
            Params::Json(_) => match self.json(name) {
                None => Ok(None),
                Some(Json::Array(items)) => items
                    .iter()
                    .map(Json::as_i64)
                    .collect::<Option<Vec<_>>>()
                    .map(Some)
                    .ok_or_else(|| invalid(name, what)),
                Some(v) => v
                    .as_i64()
                    .map(|i| Some(alloc::vec![i]))
                    .ok_or_else(|| invalid(name, what)),
            },
            Params::Bt(_) => match self.bt(name) {
                None => Ok(None),
                Some(Bt::Int(i)) => Ok(Some(alloc::vec![*i])),
                Some(Bt::List(items)) => items
                    .iter()
                    .map(Bt::as_int)
                    .collect::<Option<Vec<_>>>()
                    .map(Some)
                    .ok_or_else(|| invalid(name, what)),
                Some(_) => Err(invalid(name, what)),
            },
        }
    }

    /// A nested object/dictionary.
    pub(crate) fn nested(&self, name: &str) -> Option<Params<'a>> {
        match self {
            Params::Json(_) => match self.json(name) {
                Some(Json::Object(m)) => Some(Params::Json(m)),
                _ => None,
            },
            Params::Bt(_) => match self.bt(name) {
                Some(Bt::Dict(d)) => Some(Params::Bt(d)),
                _ => None,
            },
        }
    }

    /// The raw JSON value of a field (JSON requests only).
    pub(crate) fn raw_json(&self, name: &str) -> Option<&'a Json> {
        self.json(name)
    }

    /// The raw bencode value of a field (bencoded requests only).
    pub(crate) fn raw_bt(&self, name: &str) -> Option<&'a Bt<'a>> {
        self.bt(name)
    }
}
