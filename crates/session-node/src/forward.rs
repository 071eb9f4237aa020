//! The bencoded form of recursive requests, as the entry node forwards them to its swarm
//! peers (`sn.storage_cc`): binary fields raw, keys sorted.

use alloc::vec::Vec;

use crate::params::NsArg;
use crate::request::{AccountWide, AuthFields, Delete, Expire, Revoke, Store};
use crate::value::Value;

fn common(
    account: &session_core::AccountId,
    auth: Option<&AuthFields>,
    subaccounts: bool,
) -> Value {
    let mut d = Value::dict().with("pubkey", Value::Bytes(account.to_bytes().to_vec()));
    if let Some(a) = auth {
        d.set("signature", Value::Bytes(a.signature.to_vec()));
        if let Some(ed) = &a.pubkey_ed25519 {
            d.set("pubkey_ed25519", Value::Bytes(ed.to_vec()));
        }
        if let (true, Some((token, sig))) = (subaccounts, &a.subaccount) {
            d.set("subaccount", Value::Bytes(token.to_vec()));
            d.set("subaccount_sig", Value::Bytes(sig.to_vec()));
        }
    }
    d
}

fn ns(v: &mut Value, n: NsArg) {
    match n {
        NsArg::One(n) => v.set("namespace", Value::Int(i64::from(n))),
        NsArg::All => v.set("namespace", "all"),
    }
}

pub(crate) fn store(r: &Store) -> Vec<u8> {
    let mut d = common(&r.account, r.auth.as_ref(), true)
        .with("timestamp", r.timestamp)
        .with("expiry", r.expiry)
        .with("data", Value::Bytes(r.data.clone()));
    if let Some(ts) = r.sig_timestamp {
        d.set("sig_timestamp", ts);
    }
    if r.namespace != 0 {
        d.set("namespace", Value::Int(i64::from(r.namespace)));
    }
    d.to_bencode()
}

pub(crate) fn delete(r: &Delete) -> Vec<u8> {
    let msgs: Vec<Value> = r.messages.iter().map(|m| Value::Str(m.clone())).collect();
    common(&r.account, Some(&r.auth), true)
        .with("messages", Value::List(msgs))
        .to_bencode()
}

pub(crate) fn account_wide(r: &AccountWide, method: &str) -> Vec<u8> {
    let field = match method {
        "delete_before" => "before",
        "expire_all" => "expiry",
        _ => "timestamp",
    };
    let mut d = common(&r.account, Some(&r.auth), true).with(field, r.time);
    ns(&mut d, r.namespace);
    d.to_bencode()
}

pub(crate) fn expire(r: &Expire) -> Vec<u8> {
    let mut d = common(&r.account, Some(&r.auth), true);
    match r.expiries.as_slice() {
        [one] => d.set("expiry", *one),
        many => d.set(
            "expiry",
            Value::List(many.iter().map(|e| Value::from(*e)).collect()),
        ),
    }
    if r.shorten {
        d.set("shorten", Value::Int(1));
    }
    if r.extend {
        d.set("extend", Value::Int(1));
    }
    let msgs: Vec<Value> = r.messages.iter().map(|m| Value::Str(m.clone())).collect();
    d.with("messages", Value::List(msgs)).to_bencode()
}

pub(crate) fn revoke(r: &Revoke) -> Vec<u8> {
    let tokens: Vec<Value> = r.tokens.iter().map(|t| Value::Bytes(t.to_vec())).collect();
    common(&r.account, Some(&r.auth), false)
        .with(
            if r.revoke { "revoke" } else { "unrevoke" },
            Value::List(tokens),
        )
        .with("timestamp", r.timestamp)
        .to_bencode()
}
