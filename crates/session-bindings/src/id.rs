//! Session ID parsing.

use core::str::FromStr;

use session_core::{IdPrefix, SessionId};

use crate::error::{ErrorCode, Result, with_code};

/// A parsed Session ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedId {
    /// The prefix byte: `0x05` account, `0x03` closed group, `0x15` / `0x25` community-blinded,
    /// `0x00` unblinded Ed25519 key.
    pub prefix: u8,
    /// The prefix's name: `account`, `group`, `blinded15`, `blinded25` or `unblinded`.
    pub kind: &'static str,
    /// The 32-byte key after the prefix (X25519 for `05`, Ed25519 for the others).
    pub key: [u8; 32],
}

/// Parses a Session ID: 66 hex characters with a known prefix.
pub fn parse_session_id(text: &str) -> Result<ParsedId> {
    let id = SessionId::from_str(text.trim()).map_err(with_code(ErrorCode::SessionId))?;
    let kind = match id.prefix() {
        IdPrefix::Standard => "account",
        IdPrefix::Group => "group",
        IdPrefix::Blinded15 => "blinded15",
        IdPrefix::Blinded25 => "blinded25",
        IdPrefix::Unblinded => "unblinded",
        _ => "other",
    };
    Ok(ParsedId {
        prefix: id.prefix().byte(),
        kind,
        key: *id.key(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes() {
        let key = "4830367d369d94605247999a375dbd0a0f65fdec5de1535612bcb6d4de452c69";
        let id = parse_session_id(&format!("05{key}")).unwrap();
        assert_eq!((id.prefix, id.kind), (5, "account"));
        assert_eq!(session_core::encoding::encode_hex(&id.key), key);
        assert_eq!(parse_session_id(&format!("03{key}")).unwrap().kind, "group");
        for bad in [
            key.to_owned(),
            format!("07{key}"),
            format!("05{key}0"),
            "zz".into(),
        ] {
            assert_eq!(
                parse_session_id(&bad).unwrap_err().code(),
                ErrorCode::SessionId
            );
        }
    }
}
