//! Reading what the user gives: files or standard input (`-`), hex, phrases and keys.

use std::io::{Read as _, Write as _};
use std::path::Path;

use anyhow::{Context as _, Result, bail};
use session_core::Identity;
use session_core::X25519Secret;
use session_onion::NodeKey;
use zeroize::Zeroizing;

/// Largest input read from a file or standard input (onion requests are at most 10 MB).
const MAX_INPUT: u64 = 64 * 1024 * 1024;

/// The bytes of `path`, or of standard input for `-`.
pub(crate) fn read_bytes(path: &Path) -> Result<Zeroizing<Vec<u8>>> {
    let mut bytes = Zeroizing::new(Vec::new());
    if path == Path::new("-") {
        std::io::stdin()
            .lock()
            .take(MAX_INPUT)
            .read_to_end(&mut bytes)
            .context("cannot read standard input")?;
    } else {
        let file =
            std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        file.take(MAX_INPUT)
            .read_to_end(&mut bytes)
            .with_context(|| format!("cannot read {}", path.display()))?;
    }
    Ok(bytes)
}

/// The text of `path`, or of standard input for `-`.
pub(crate) fn read_text(path: &Path) -> Result<Zeroizing<String>> {
    let bytes = read_bytes(path)?;
    let text = std::str::from_utf8(&bytes)
        .with_context(|| format!("{} is not UTF-8 text", path.display()))?;
    Ok(Zeroizing::new(text.to_owned()))
}

/// Writes `bytes` to `path`, or to standard output for `-`.
pub(crate) fn write_bytes(path: &Path, bytes: &[u8]) -> Result<()> {
    if path == Path::new("-") {
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(bytes)
            .and_then(|()| stdout.flush())
            .context("cannot write to standard output")
    } else {
        std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
    }
}

/// Writes a file only its owner can read (on Unix): for files holding secrets.
pub(crate) fn write_secret(path: &Path, bytes: &[u8]) -> Result<()> {
    if path == Path::new("-") {
        return write_bytes(path, bytes);
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(bytes)
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Hex text (either case, surrounding whitespace and a leading `0x` ignored) as bytes.
pub(crate) fn hex(text: &str, what: &str) -> Result<Zeroizing<Vec<u8>>> {
    let text = text.trim();
    let text = text
        .strip_prefix("0x")
        .or_else(|| text.strip_prefix("0X"))
        .unwrap_or(text);
    if text.len() % 2 == 1 {
        bail!("{what}: odd number of hex characters ({})", text.len());
    }
    session_core::encoding::decode_hex(text)
        .map(Zeroizing::new)
        .with_context(|| format!("{what} is not valid hex"))
}

/// Hex text of exactly `N` bytes.
pub(crate) fn hex_array<const N: usize>(text: &str, what: &str) -> Result<[u8; N]> {
    let bytes = hex(text, what)?;
    match <[u8; N]>::try_from(bytes.as_slice()) {
        Ok(array) => Ok(array),
        Err(_) => bail!(
            "{what}: expected {N} bytes ({} hex characters), got {} bytes",
            2 * N,
            bytes.len()
        ),
    }
}

/// A phrase given as words on the command line, or `-` to read it from standard input.
pub(crate) fn phrase(words: &[String]) -> Result<Zeroizing<String>> {
    match words {
        [only] if only == "-" => read_text(Path::new("-")),
        [] => bail!("no phrase given (pass its words, or - to read it from standard input)"),
        _ => Ok(Zeroizing::new(words.join(" "))),
    }
}

/// A node's onion key from `--key <hex>` or `--key-file <path>`.
///
/// Accepted forms: the 32-byte X25519 secret (oxend's `key_x25519`), or the 64-byte Ed25519
/// secret key, seed followed by public key (oxend's `key_ed25519`), whose X25519 key is the
/// node's onion key; as hex, or as raw bytes in a file.
pub(crate) fn node_key(key: Option<&str>, key_file: Option<&Path>) -> Result<NodeKey> {
    let (bytes, origin) = match (key, key_file) {
        (Some(text), None) => (hex(text, "--key")?, "--key".to_owned()),
        (None, Some(path)) => {
            let raw = read_bytes(path)?;
            let as_text = std::str::from_utf8(&raw).ok().map(str::trim);
            let bytes = match as_text {
                Some(text) if matches!(text.len(), 64 | 128) => hex(text, "key file")?,
                _ => raw,
            };
            (bytes, path.display().to_string())
        }
        _ => bail!("give the node key with --key <hex> or --key-file <path>"),
    };
    node_key_from_bytes(&bytes).with_context(|| format!("invalid node key in {origin}"))
}

fn node_key_from_bytes(bytes: &[u8]) -> Result<NodeKey> {
    if let Ok(secret) = <[u8; 32]>::try_from(bytes) {
        return Ok(NodeKey::from_secret(X25519Secret::from_bytes(secret)));
    }
    if let (Some(seed), Some(public)) = (bytes.get(..32), bytes.get(32..64))
        && bytes.len() == 64
    {
        let identity = Identity::from_seed_bytes(seed)?;
        if identity.ed25519_public().as_ref() != public {
            bail!("the Ed25519 secret key's second half is not the public key of its seed");
        }
        return Ok(NodeKey::from(&identity));
    }
    bail!(
        "expected a 32-byte X25519 secret key or a 64-byte Ed25519 secret key, got {} bytes",
        bytes.len()
    )
}
