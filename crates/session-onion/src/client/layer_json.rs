//! The cleartext JSON after each layer's ciphertext, written straight into the onion buffer.

use session_core::{Ed25519PublicKey, Writer};

use super::V4_TARGET;
use super::destination::Server;
use crate::json::{self, SliceSink};
use crate::{ClientError, EncType};

/// The cleartext JSON that follows a layer's ciphertext, in libsession's sorted key order.
pub(super) enum LayerJson<'a> {
    /// For a hop: where to forward (`{"destination","enc_type","ephemeral_key"}`).
    Relay { next: &'a Ed25519PublicKey },
    /// For the last hop before a server: the server's address and v4 target.
    Server(&'a Server),
    /// The outermost JSON, read by the guard (`{"enc_type","ephemeral_key","hop_no"?}`).
    Outer { hop_no: Option<u64> },
}

impl LayerJson<'_> {
    fn write(&self, out: &mut impl Writer, enc: EncType, eph: &[u8; 32]) {
        match self {
            LayerJson::Relay { next } => {
                out.write_all(br#"{"destination":"#);
                json::push_key(out, next.as_bytes());
                out.write_all(br#","enc_type":"#);
                json::push_str(out, enc.name());
                out.write_all(br#","ephemeral_key":"#);
                json::push_key(out, eph);
            }
            LayerJson::Server(s) => {
                let port = s.port.unwrap_or(s.protocol.default_port());
                out.write_all(br#"{"enc_type":"#);
                json::push_str(out, enc.name());
                out.write_all(br#","ephemeral_key":"#);
                json::push_key(out, eph);
                out.write_all(br#","host":"#);
                json::push_str(out, &s.host);
                out.write_all(br#","method":"POST","port":"#);
                out.write_decimal(u64::from(port));
                out.write_all(br#","protocol":"#);
                json::push_str(out, s.protocol.name());
                out.write_all(br#","target":"#);
                json::push_str(out, V4_TARGET);
            }
            LayerJson::Outer { hop_no } => {
                out.write_all(br#"{"enc_type":"#);
                json::push_str(out, enc.name());
                out.write_all(br#","ephemeral_key":"#);
                json::push_key(out, eph);
                if let Some(n) = hop_no {
                    out.write_all(br#","hop_no":"#);
                    out.write_decimal(*n);
                }
            }
        }
        out.write_u8(b'}');
    }

    /// Its length, measured by running the writer itself (a key's hex is always 64 characters,
    /// so the placeholder key gives the real length).
    pub(super) fn len(&self, enc: EncType) -> usize {
        json::written_len(|w| self.write(w, enc, &[0; 32]))
    }

    /// Writes it at `buf[at..at + len]`, `len` having come from [`LayerJson::len`].
    pub(super) fn write_at(
        &self,
        buf: &mut [u8],
        at: usize,
        len: usize,
        enc: EncType,
        eph: &[u8; 32],
    ) -> Result<(), ClientError> {
        let slot = buf
            .get_mut(at..at + len)
            .ok_or(ClientError::Internal("json slot outside the onion"))?;
        let mut sink = SliceSink::new(slot);
        self.write(&mut sink, enc, eph);
        if sink.is_full() {
            Ok(())
        } else {
            Err(ClientError::Internal(
                "json length changed between sizing and writing",
            ))
        }
    }
}
