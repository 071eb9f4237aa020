//! Input normalisation: full Unicode lowercase, then NFC.
//!
//! Monero lowercases (`towlower`) but does not normalise, so a phrase typed with combining
//! accents fails there; every list is NFC, so normalising makes such input match. Lowercasing
//! first and composing afterwards is the order that keeps combining sequences intact.

use alloc::string::String;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
use zeroize::Zeroizing;

/// Lowercases and NFC-normalises `text` into a buffer that is wiped on drop.
///
/// The buffers are sized exactly in advance, so no reallocation leaves an unwiped copy of the
/// phrase behind.
pub(crate) fn normalize(text: &str) -> Zeroizing<String> {
    if text.is_ascii() {
        let mut out = Zeroizing::new(String::with_capacity(text.len()));
        out.extend(text.chars().map(|c| c.to_ascii_lowercase()));
        return out;
    }
    let lower_len: usize = text
        .chars()
        .flat_map(char::to_lowercase)
        .map(char::len_utf8)
        .sum();
    let mut lower = Zeroizing::new(String::with_capacity(lower_len));
    lower.extend(text.chars().flat_map(char::to_lowercase));
    // Typed text is almost always NFC already; the quick check avoids recomposing it.
    if is_nfc_quick(lower.chars()) == IsNormalized::Yes {
        return lower;
    }
    let nfc_len: usize = lower.nfc().map(char::len_utf8).sum();
    let mut out = Zeroizing::new(String::with_capacity(nfc_len));
    out.extend(lower.nfc());
    out
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn lowercases_and_composes() {
        assert_eq!(normalize("ABC def").as_str(), "abc def");
        // "Ä" as A + COMBINING DIAERESIS becomes the precomposed "ä".
        assert_eq!(normalize("A\u{308}rger").as_str(), "\u{e4}rger");
        assert_eq!(normalize("ÁBACO").as_str(), "ábaco");
    }
}
