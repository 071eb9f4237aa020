//! [`Mnemonic`]: encoding bytes to a phrase and decoding a phrase back.

#[cfg(test)]
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;
use core::str::FromStr;

use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::codec::{checksum_index, decode_triple, encode_chunk};
use crate::normalize::normalize;
use crate::suggest::closest_words;
use crate::wordlist::WordList;
use crate::{Error, Language, MAX_ENTROPY_LEN, MAX_WORDS};

/// What to do with three words whose value does not fit in 32 bits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TripleRule {
    /// Reject the phrase with [`Error::InvalidTriple`], as Monero and Oxen do. No encoder writes
    /// such a triple, so only a mistyped phrase whose checksum happens to pass contains one.
    #[default]
    Strict,
    /// Keep the value modulo 2³², as the Session apps (Desktop, Android, iOS) do: their
    /// arithmetic in doubles/`Long`/`Int` never notices the overflow and keeps the low 32 bits.
    SessionCompat,
}

/// How [`Mnemonic::parse`] picks a language when none is given.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Detection {
    /// The first language of [`Language::DETECTION_ORDER`] (Monero's order) in which the phrase
    /// is valid wins, as in Monero and Oxen wallets. 25 × `audio` is English, not Spanish.
    ///
    /// This can pick the wrong list, exactly as Monero does: English matches on 3-character
    /// prefixes, which cover 79 % of French and 78 % of Italian words, so when the English
    /// checksum happens to pass too the phrase decodes as English. Measured over random
    /// phrases: about 1 in 190 French and 1 in 270 Italian 13-word phrases, and 1 in 10 000
    /// French 25-word seeds. Use [`Mnemonic::parse_in`] when the language is known, or
    /// [`Detection::Unique`].
    #[default]
    FirstValid,
    /// The phrase must be valid in exactly one language, else [`Error::AmbiguousLanguage`].
    Unique,
}

/// Options of [`Mnemonic::parse_with`], built in the style `ParseOptions::new().language(…)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ParseOptions {
    language: Option<Language>,
    triples: TripleRule,
    detection: Detection,
    allow_no_checksum: bool,
}

impl ParseOptions {
    /// Defaults: detect the language, strict triples, checksum word required.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            language: None,
            triples: TripleRule::Strict,
            detection: Detection::FirstValid,
            allow_no_checksum: false,
        }
    }

    /// Decode in this language only.
    #[must_use]
    pub const fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }

    /// How to treat triples above `u32::MAX`.
    #[must_use]
    pub const fn triples(mut self, rule: TripleRule) -> Self {
        self.triples = rule;
        self
    }

    /// How to pick the language when none is given.
    #[must_use]
    pub const fn detection(mut self, detection: Detection) -> Self {
        self.detection = detection;
        self
    }

    /// Also accept Monero's legacy forms without a checksum word: 24 words (32 bytes) or 12
    /// words (16 bytes), matched by **full** word only. This is the only way to read
    /// [`Language::EnglishOld`] phrases. Off by default, because without a checksum a typo
    /// silently decodes to different bytes.
    #[must_use]
    pub const fn allow_no_checksum(mut self, allow: bool) -> Self {
        self.allow_no_checksum = allow;
        self
    }
}

/// A recovery phrase: a sequence of words of one list, normally ending with a checksum word.
///
/// `from_entropy` and `Display` reproduce Monero's and Oxen's phrases byte for byte; `parse`
/// accepts what their decoders accept (by unique prefix, any case, any whitespace, NFC or not)
/// and explains what it rejects. The words and bytes are wiped on drop; `Debug` shows neither.
///
/// ```
/// use session_mnemonic::{Language, Mnemonic};
///
/// let seed = [0x39, 0x03, 0x8c, 0x89, 0x88, 0xdb, 0x02, 0xc1, 0xaf, 0x44, 0xe8, 0xc8, 0x47, 0xbd, 0x97, 0x13];
/// let phrase = Mnemonic::from_entropy(&seed, Language::English)?;
/// assert_eq!(
///     phrase.to_string(),
///     "puffin luxury annoyed rustled memoir faxed smidgen puddle kiwi nylon utopia zinger kiwi"
/// );
/// // Prefixes, capitals and stray whitespace are fine.
/// let typed = Mnemonic::parse("PUF luxury annoyed  rustled memoir faxed smidgen puddle kiwi nylon utopia zinger kiwi\n")?;
/// assert_eq!(typed.to_entropy().as_slice(), &seed);
/// # Ok::<(), session_mnemonic::Error>(())
/// ```
#[derive(Clone)]
pub struct Mnemonic {
    language: Language,
    indices: Zeroizing<Vec<u16>>,
    checksum: bool,
    entropy: Zeroizing<Vec<u8>>,
}

/// Whether a phrase of some length carries a checksum word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Form {
    /// 3k data words + 1 checksum word; words matched by unique prefix.
    Checksum,
    /// 12 or 24 data words; words matched by full word.
    NoChecksum,
}

/// Whether `count` is a word count with a checksum word that the decoder accepts.
pub(crate) fn is_checksum_count(count: usize) -> bool {
    (4..=MAX_WORDS).contains(&count) && count % 3 == 1
}

/// The accepted checksum-form word count nearest to `count` (ties to the larger). Below 4, the
/// shortest accepted count, nothing is near a phrase anyone uses: the answer is then 13, the
/// Session phrase, rather than 4.
pub(crate) fn nearest_checksum_count(count: usize) -> usize {
    if count < 4 {
        return crate::session::WORD_COUNT;
    }
    let below = count.saturating_sub(1) / 3 * 3 + 1;
    let above = below.saturating_add(3);
    let nearest = if below < 4 || count.saturating_sub(below) >= above.saturating_sub(count) {
        above
    } else {
        below
    };
    nearest.clamp(4, MAX_WORDS)
}

impl Form {
    /// The form a phrase of `count` words has in `language`, or why it has none.
    pub(crate) fn of(
        language: Language,
        count: usize,
        options: &ParseOptions,
    ) -> Result<Form, Error> {
        let legacy = matches!(count, 12 | 24);
        if language.has_checksum() && is_checksum_count(count) {
            Ok(Form::Checksum)
        } else if options.allow_no_checksum && legacy {
            Ok(Form::NoChecksum)
        } else if !language.has_checksum() && !options.allow_no_checksum {
            Err(Error::NoChecksum { language })
        } else if !language.has_checksum() {
            Err(Error::WrongWordCount {
                got: count,
                expected: if count > 18 { 24 } else { 12 },
            })
        } else {
            Err(Error::WrongWordCount {
                got: count,
                expected: nearest_checksum_count(count),
            })
        }
    }
}

impl Mnemonic {
    /// Encodes entropy: every 4 bytes (little-endian) become 3 words, then the checksum word is
    /// appended. 16 bytes give the 13-word Session phrase, 32 bytes a 25-word Monero/Oxen seed.
    ///
    /// [`Language::EnglishOld`] has no checksum: its phrases are the 3k data words alone.
    pub fn from_entropy(entropy: &[u8], language: Language) -> Result<Mnemonic, Error> {
        if entropy.is_empty() || !entropy.len().is_multiple_of(4) || entropy.len() > MAX_ENTROPY_LEN
        {
            return Err(Error::InvalidEntropyLength { got: entropy.len() });
        }
        Ok(Self::encode(entropy, language))
    }

    /// Encodes whole 4-byte chunks of `entropy` (the caller has checked the length).
    pub(crate) fn encode(entropy: &[u8], language: Language) -> Mnemonic {
        let data_words = entropy.len() / 4 * 3;
        let mut indices = Zeroizing::new(Vec::with_capacity(data_words + 1));
        for chunk in entropy.chunks_exact(4) {
            let mut bytes = Zeroizing::new([0u8; 4]);
            bytes.copy_from_slice(chunk);
            let x = Zeroizing::new(u32::from_le_bytes(*bytes));
            indices.extend_from_slice(&encode_chunk(*x));
        }
        let checksum = language.has_checksum();
        if checksum {
            let at = checksum_index(language.list(), &indices);
            let word = indices.get(at).copied().unwrap_or(0);
            indices.push(word);
        }
        Mnemonic {
            language,
            indices,
            checksum,
            entropy: Zeroizing::new(entropy.to_vec()),
        }
    }

    /// Parses a phrase, detecting its language (see [`Detection::FirstValid`]).
    ///
    /// The input is lowercased and NFC-normalised, split on any Unicode whitespace, and each
    /// word is matched by its unique prefix (characters after it are ignored, as in every
    /// reference decoder). A checksum word is required.
    ///
    /// Detection can mistake a phrase for one in an earlier list (see
    /// [`Detection::FirstValid`]); prefer [`Mnemonic::parse_in`] when the language is known.
    pub fn parse(phrase: &str) -> Result<Mnemonic, Error> {
        Self::parse_with(phrase, &ParseOptions::new())
    }

    /// Parses a phrase in one language.
    pub fn parse_in(language: Language, phrase: &str) -> Result<Mnemonic, Error> {
        Self::parse_with(phrase, &ParseOptions::new().language(language))
    }

    /// Parses a phrase with explicit options.
    pub fn parse_with(phrase: &str, options: &ParseOptions) -> Result<Mnemonic, Error> {
        let normalised = normalize(phrase);
        let count = normalised.split_whitespace().count();
        if count > MAX_WORDS {
            return Err(Error::WrongWordCount {
                got: count,
                expected: MAX_WORDS,
            });
        }
        let tokens: Vec<&str> = normalised.split_whitespace().collect();
        parse_tokens(&tokens, options)
    }

    /// The language of the words.
    #[must_use]
    pub fn language(&self) -> Language {
        self.language
    }

    /// Number of words, checksum word included.
    #[must_use]
    pub fn word_count(&self) -> usize {
        self.indices.len()
    }

    /// Whether the phrase ends with a checksum word (false only for the legacy 12/24-word
    /// forms).
    #[must_use]
    pub fn has_checksum(&self) -> bool {
        self.checksum
    }

    /// The words in their canonical spelling (full words, the list's capitalisation).
    pub fn words(&self) -> impl Iterator<Item = &'static str> + '_ {
        let list = self.language.list();
        self.indices.iter().map(move |&index| list.word(index))
    }

    /// The words' indices in the list.
    #[must_use]
    pub fn word_indices(&self) -> &[u16] {
        &self.indices
    }

    /// The encoded bytes.
    #[must_use]
    pub fn to_entropy(&self) -> Zeroizing<Vec<u8>> {
        self.entropy.clone()
    }

    /// The encoded bytes, borrowed: for copying straight into a typed secret.
    pub(crate) fn entropy(&self) -> &[u8] {
        &self.entropy
    }

    /// The canonical phrase (what `Display` writes) in a buffer wiped on drop.
    #[must_use]
    pub fn to_phrase(&self) -> Zeroizing<String> {
        // Exactly the words and the spaces between them: a string that grew would leave its
        // first allocation unwiped.
        let spaces = self.word_count().saturating_sub(1);
        let len = self.words().map(str::len).sum::<usize>() + spaces;
        let mut out = Zeroizing::new(String::with_capacity(len));
        for (i, word) in self.words().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(word);
        }
        out
    }

    /// Builds a phrase from indices that are already known to be valid words of `language`.
    /// `tokens` are the normalised words they were read from (empty when there are none), so a
    /// checksum failure can name the words that matched only by prefix.
    pub(crate) fn from_parts(
        language: Language,
        indices: Zeroizing<Vec<u16>>,
        form: Form,
        triples: TripleRule,
        tokens: &[&str],
    ) -> Result<Mnemonic, Error> {
        let list = language.list();
        let data = match form {
            Form::Checksum => {
                let (&check, data) = indices.split_last().ok_or(Error::WrongWordCount {
                    got: 0,
                    expected: nearest_checksum_count(0),
                })?;
                let at = checksum_index(list, data);
                // The word the checksum selects is deliberately not reported: it is only the
                // word that would fix the phrase when the checksum word is the wrong one, and
                // following it otherwise gives a valid phrase of someone else's account.
                if data.get(at) != Some(&check) {
                    return Err(Error::ChecksumMismatch {
                        language,
                        suspects: prefix_only_matches(list, &indices, tokens),
                    });
                }
                data
            }
            Form::NoChecksum => indices.as_slice(),
        };
        let mut entropy = Zeroizing::new(Vec::with_capacity(data.len() / 3 * 4));
        for (t, triple) in data.chunks_exact(3).enumerate() {
            let &[w1, w2, w3] = triple else { continue };
            let x = Zeroizing::new(decode_triple(w1, w2, w3));
            let value = Zeroizing::new(match u32::try_from(*x) {
                Ok(value) => value,
                Err(_) if triples == TripleRule::SessionCompat => (*x & 0xffff_ffff) as u32,
                Err(_) => {
                    return Err(Error::InvalidTriple {
                        position: 3 * t,
                        language,
                    });
                }
            });
            entropy.extend_from_slice(&Zeroizing::new(value.to_le_bytes())[..]);
        }
        Ok(Mnemonic {
            language,
            checksum: form == Form::Checksum,
            indices,
            entropy,
        })
    }
}

/// Positions of the tokens that matched their word only by its prefix and then go on
/// differently: "singer" read as "sincerely". A token that is the word or a start of it
/// (an abbreviation such as "puf") is spelled as in the list and is not a suspect.
fn prefix_only_matches(list: &WordList, indices: &[u16], tokens: &[&str]) -> Vec<usize> {
    indices
        .iter()
        .zip(tokens)
        .enumerate()
        .filter(|&(_, (&index, token))| !list.lowercase(index).starts_with(token))
        .map(|(position, _)| position)
        .collect()
}

/// Looks every token up; on the first miss returns its position.
pub(crate) fn lookup(
    language: Language,
    tokens: &[&str],
    form: Form,
) -> Result<Zeroizing<Vec<u16>>, usize> {
    let list = language.list();
    let mut indices = Zeroizing::new(Vec::with_capacity(tokens.len()));
    for (position, token) in tokens.iter().enumerate() {
        let found = match form {
            Form::Checksum => list.find_prefix(token, language.prefix_len()),
            Form::NoChecksum => list.find_exact(token),
        };
        indices.push(found.ok_or(position)?);
    }
    Ok(indices)
}

/// Number of tokens that are words of `language` in `form`.
fn known_words(language: Language, tokens: &[&str], form: Form) -> usize {
    let list = language.list();
    tokens
        .iter()
        .filter(|token| match form {
            Form::Checksum => list.find_prefix(token, language.prefix_len()).is_some(),
            Form::NoChecksum => list.find_exact(token).is_some(),
        })
        .count()
}

/// The error for an unknown word seen on its own.
pub(crate) fn unknown_word(language: Language, position: usize, token: &str) -> Error {
    Error::UnknownWord {
        position,
        word: token.to_string(),
        language,
        suggestions: closest_words(language, token, &[]),
    }
}

/// The error for the unknown word at `position` of a phrase. When it is the phrase's only
/// unknown word and the phrase has a checksum, the suggestions that complete a valid phrase
/// come first.
pub(crate) fn unknown_word_in(
    language: Language,
    tokens: &[&str],
    position: usize,
    form: Form,
) -> Error {
    let token = tokens.get(position).copied().unwrap_or("");
    let list = language.list();
    let mut completes = Vec::new();
    if form == Form::Checksum {
        // Sized up front: a growing vector would leave unwiped copies of the word indices.
        let mut full = Zeroizing::new(Vec::with_capacity(tokens.len()));
        for (i, token) in tokens.iter().enumerate() {
            let found = if i == position {
                Some(0)
            } else {
                list.find_prefix(token, language.prefix_len())
            };
            match found {
                Some(index) => full.push(index),
                None => break,
            }
        }
        if full.len() == tokens.len() {
            crate::recover::solve_gap(list, &full, position, |index| completes.push(index));
        }
    }
    Error::UnknownWord {
        position,
        word: token.to_string(),
        language,
        suggestions: closest_words(language, token, &completes),
    }
}

/// Decodes normalised tokens in one language.
pub(crate) fn decode_in(
    language: Language,
    tokens: &[&str],
    options: &ParseOptions,
) -> Result<Mnemonic, Error> {
    let form = Form::of(language, tokens.len(), options)?;
    let indices = lookup(language, tokens, form)
        .map_err(|position| unknown_word_in(language, tokens, position, form))?;
    Mnemonic::from_parts(language, indices, form, options.triples, tokens)
}

/// Decodes normalised tokens, detecting the language unless the options fix it.
///
/// Detection follows Monero's `find_seed_language`: languages are tried in
/// [`Language::DETECTION_ORDER`]; the first in which every word matches and the checksum (and
/// here also every triple) passes wins. When none passes, the first language that matched
/// every word explains the failure (its checksum or triple error), and when no language
/// matches every word, the one matching the most words reports its first unknown word. Ties
/// go to English, the Session list (so a phrase of garbage is "not in the English word list",
/// not Chinese, the first in detection order), then to detection order.
pub(crate) fn parse_tokens(tokens: &[&str], options: &ParseOptions) -> Result<Mnemonic, Error> {
    if let Some(language) = options.language {
        return decode_in(language, tokens, options);
    }
    let mut valid: Vec<Mnemonic> = Vec::new();
    let mut first_failure: Option<Error> = None;
    let mut count_error: Option<Error> = None;
    for language in Language::DETECTION_ORDER {
        let form = match Form::of(language, tokens.len(), options) {
            Ok(form) => form,
            Err(error) => {
                if language.has_checksum() {
                    count_error.get_or_insert(error);
                }
                continue;
            }
        };
        let Ok(indices) = lookup(language, tokens, form) else {
            continue;
        };
        match Mnemonic::from_parts(language, indices, form, options.triples, tokens) {
            Ok(mnemonic) if options.detection == Detection::FirstValid => return Ok(mnemonic),
            Ok(mnemonic) => valid.push(mnemonic),
            Err(error) => {
                first_failure.get_or_insert(error);
            }
        }
    }
    if valid.len() > 1 {
        return Err(Error::AmbiguousLanguage {
            languages: valid.iter().map(Mnemonic::language).collect(),
        });
    }
    if let Some(mnemonic) = valid.pop() {
        return Ok(mnemonic);
    }
    if let Some(error) = first_failure {
        return Err(error);
    }
    // No language matched every word: report the best-matching one's first unknown word.
    let mut best: Option<(usize, Language, Form)> = None;
    let english_first = core::iter::once(Language::English).chain(
        Language::DETECTION_ORDER
            .into_iter()
            .filter(|&language| language != Language::English),
    );
    for language in english_first {
        let Ok(form) = Form::of(language, tokens.len(), options) else {
            continue;
        };
        let known = known_words(language, tokens, form);
        if best.is_none_or(|(most, _, _)| known > most) {
            best = Some((known, language, form));
        }
    }
    match best {
        Some((_, language, form)) => match lookup(language, tokens, form) {
            Err(position) => Err(unknown_word_in(language, tokens, position, form)),
            // Unreachable (the lookup failed above); decode for a precise error regardless.
            Ok(indices) => Mnemonic::from_parts(language, indices, form, options.triples, tokens),
        },
        None => Err(count_error.unwrap_or(Error::WrongWordCount {
            got: tokens.len(),
            expected: nearest_checksum_count(tokens.len()),
        })),
    }
}

impl fmt::Display for Mnemonic {
    /// The canonical phrase: full words, single spaces.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, word) in self.words().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            f.write_str(word)?;
        }
        Ok(())
    }
}

impl fmt::Debug for Mnemonic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mnemonic")
            .field("language", &self.language)
            .field("word_count", &self.word_count())
            .field("has_checksum", &self.checksum)
            .finish_non_exhaustive()
    }
}

impl PartialEq for Mnemonic {
    /// Same language, same words and same bytes, compared in constant time.
    fn eq(&self, other: &Self) -> bool {
        let words = self.indices.as_slice().ct_eq(other.indices.as_slice());
        let entropy = self.entropy.as_slice().ct_eq(other.entropy.as_slice());
        self.language == other.language
            && self.checksum == other.checksum
            && bool::from(words & entropy)
    }
}

impl Eq for Mnemonic {}

impl FromStr for Mnemonic {
    type Err = Error;

    fn from_str(phrase: &str) -> Result<Self, Error> {
        Mnemonic::parse(phrase)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PUFFIN: &str =
        "puffin luxury annoyed rustled memoir faxed smidgen puddle kiwi nylon utopia zinger kiwi";

    #[test]
    fn secret_buffers_are_sized_exactly_so_they_never_reallocate() {
        // A buffer that grows leaves its old allocation behind unwiped.
        for (len, language) in [
            (16, Language::English),
            (32, Language::German),
            (4, Language::ChineseSimplified),
        ] {
            let entropy: Vec<u8> = (0..len).map(|i: u8| i.wrapping_mul(37)).collect();
            let mnemonic = Mnemonic::from_entropy(&entropy, language).unwrap();
            assert_eq!(mnemonic.indices.capacity(), mnemonic.indices.len());
            let phrase = mnemonic.to_phrase();
            assert_eq!(phrase.capacity(), phrase.len());
            assert_eq!(phrase.as_str(), mnemonic.to_string());
        }
    }

    #[test]
    fn unknown_word_suggestions_put_words_that_complete_the_phrase_first() {
        // Find a typo whose plain suggestions differ from the phrase-aware ones: the
        // phrase-aware list must then start with words that make the phrase valid.
        let tokens: Vec<&str> = PUFFIN.split(' ').collect();
        let language = Language::English;
        let mut checked = 0;
        for position in 0..tokens.len() {
            let typo = format!("q{}", tokens[position].get(1..).unwrap());
            let mut typed = tokens.clone();
            typed[position] = &typo;
            let Error::UnknownWord { suggestions, .. } =
                unknown_word_in(language, &typed, position, Form::Checksum)
            else {
                panic!("not an unknown-word error");
            };
            if suggestions == closest_words(language, &typo, &[]) {
                continue;
            }
            let first = suggestions.first().copied().unwrap();
            typed[position] = first;
            assert!(
                decode_in(language, &typed, &ParseOptions::new()).is_ok(),
                "{first}"
            );
            // Without a checksum word, nothing can complete the phrase.
            let twelve = typed.get(..12).unwrap();
            let mut twelve_typed = twelve.to_vec();
            if position < 12 {
                twelve_typed[position] = &typo;
                assert!(matches!(
                    unknown_word_in(language, &twelve_typed, position, Form::NoChecksum),
                    Error::UnknownWord { suggestions, .. } if suggestions == closest_words(language, &typo, &[])
                ));
            }
            checked += 1;
            if checked == 3 {
                return;
            }
        }
        panic!("only {checked} typos change the suggestions");
    }

    #[test]
    fn nearest_checksum_counts_never_overflow() {
        let cases = [
            (0, 13),
            (1, 13),
            (3, 13),
            (4, 4),
            (5, 4),
            (6, 7),
            (13, 13),
            (14, 13),
            (15, 16),
        ];
        for (count, nearest) in cases {
            assert_eq!(nearest_checksum_count(count), nearest, "{count}");
        }
        for count in [MAX_WORDS, MAX_WORDS + 1, usize::MAX - 3, usize::MAX] {
            assert_eq!(nearest_checksum_count(count), MAX_WORDS, "{count}");
        }
    }
}
