//! Hyphenation points of one word: TeX patterns by language (the `hyphenation` crate),
//! soft hyphens, explicit hyphens and dashes, and the style's limits.
//!
//! Everything here is a pure function of the word, the dictionary and the rules; offsets
//! are byte offsets into the word as given (breaks happen *after* the offset's prefix).

use std::sync::OnceLock;

use hyphenation::{Hyphenator, Language as Patterns, Load, Standard};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::canonical_combining_class;

use crate::model::Hyphenation;

/// The soft hyphen: a user-set discretionary break.
pub(crate) const SOFT_HYPHEN: char = '\u{AD}';

/// What kind of break an [`Opportunity`] is; decides what the line shows when it ends there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum BreakKind {
    /// A dictionary hyphenation point: a hyphen is added at the line end.
    Auto,
    /// After a soft hyphen (U+00AD) in the text: a hyphen is added at the line end.
    Soft,
    /// After a hyphen that is in the text ("well-known"): nothing is added.
    Explicit,
    /// After a dash or a slash: nothing is added.
    Dash,
}

impl BreakKind {
    /// Whether breaking here adds a hyphen glyph.
    pub(crate) fn inserts_hyphen(self) -> bool {
        matches!(self, BreakKind::Auto | BreakKind::Soft)
    }
}

/// A place where `word` may be broken: `word[..offset]` ends the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Opportunity {
    pub offset: usize,
    pub kind: BreakKind,
}

/// Hyphens after which a word may break (the text keeps them; nothing is added).
const HYPHENS: [char; 2] = ['-', '\u{2010}'];
/// Dashes and the slash: a break after them adds nothing.
const DASHES: [char; 3] = ['\u{2013}', '\u{2014}', '/'];

/// The pattern set for a BCP 47 tag, or `None` when there is none (no hyphenation).
pub(crate) fn patterns_for(tag: &str) -> Option<Patterns> {
    let lower = tag.to_ascii_lowercase();
    let subtags: Vec<&str> = lower.split(['-', '_']).collect();
    let primary = subtags.first().copied().unwrap_or("");
    let has = |s: &str| subtags.iter().skip(1).any(|t| *t == s);
    match primary {
        "en" => {
            // Commonwealth varieties follow British spelling and hyphenation.
            let british = ["gb", "uk", "au", "nz", "ie", "za", "in"];
            if british.iter().any(|r| has(r)) {
                Some(Patterns::EnglishGB)
            } else {
                Some(Patterns::EnglishUS)
            }
        }
        "de" | "gsw" => {
            if has("1901") && has("ch") {
                Some(Patterns::GermanSwiss)
            } else if has("1901") {
                Some(Patterns::German1901)
            } else {
                Some(Patterns::German1996)
            }
        }
        "el" => Some(if has("polyton") {
            Patterns::GreekPoly
        } else {
            Patterns::GreekMono
        }),
        "grc" => Some(Patterns::GreekAncient),
        "no" | "nb" => Some(Patterns::NorwegianBokmal),
        "nn" => Some(Patterns::NorwegianNynorsk),
        "sr" => Some(if has("latn") {
            Patterns::SerbocroatianLatin
        } else {
            Patterns::SerbianCyrillic
        }),
        "mn" => Some(Patterns::Mongolian),
        "la" => Some(Patterns::Latin),
        "fi" => Some(Patterns::Finnish),
        "zh" => None,
        _ => Patterns::try_from_code(primary),
    }
}

/// Dictionaries, loaded on first use and shared by all threads (indexed by language).
static DICTIONARIES: [OnceLock<Option<Standard>>; 128] = [const { OnceLock::new() }; 128];

/// The dictionary for a BCP 47 tag, loaded once; `None` when the language has no patterns.
pub(crate) fn dictionary(tag: &str) -> Option<&'static Standard> {
    let language = patterns_for(tag)?;
    let slot = DICTIONARIES.get(language as usize)?;
    slot.get_or_init(|| {
        Standard::from_embedded(language).ok().map(|mut dict| {
            // The limits are ours (in characters, from the style): let the crate find all.
            dict.minima = (1, 1);
            dict
        })
    })
    .as_ref()
}

/// Does `word` look like a URL, an e-mail address or a path? Those are never hyphenated.
pub(crate) fn is_url_like(word: &str) -> bool {
    word.contains("://") || word.contains("www.") || word.contains('@')
}

/// Every break opportunity in `word`, sorted by offset, without repeats.
///
/// - URLs and e-mail addresses: none (the caller adds emergency breaks).
/// - After an explicit hyphen or a dash inside the word (2+ characters on each side for a
///   hyphen).
/// - With soft hyphens: those points only, besides explicit hyphens and dashes.
/// - Otherwise, when `rules.enabled` and a dictionary is given: in each hyphen-separated
///   part, the breaks of its entry in `rules.exceptions` (case-insensitive, within
///   `min_before` and `min_after`) when it has one, else pattern points, except in parts shorter than `min_word` characters, parts
///   holding digits, ALL-CAPS parts, capitalised parts (unless `rules.capitalised`) and
///   words containing a slash; `min_before` and
///   `min_after` characters stay on each side (leading and trailing punctuation excluded).
pub(crate) fn opportunities(
    word: &str,
    dict: Option<&Standard>,
    rules: &Hyphenation,
) -> Vec<Opportunity> {
    if is_url_like(word) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    let n = chars.len();

    // Explicit hyphens, dashes, slashes. Letters before each character are counted once,
    // as a running total, so a long word costs linear time, not quadratic.
    let letters_total = chars.iter().filter(|(_, c)| c.is_alphanumeric()).count();
    let mut letters_before = 0;
    for (i, &(at, c)) in chars.iter().enumerate() {
        let after = at + c.len_utf8();
        let letters_after = letters_total - letters_before - usize::from(c.is_alphanumeric());
        if HYPHENS.contains(&c) && letters_before >= 2 && letters_after >= 2 {
            out.push(Opportunity {
                offset: after,
                kind: BreakKind::Explicit,
            });
        } else if DASHES.contains(&c) && letters_before >= 1 && letters_after >= 1 && i + 1 < n {
            out.push(Opportunity {
                offset: after,
                kind: BreakKind::Dash,
            });
        }
        letters_before += usize::from(c.is_alphanumeric());
    }

    let soft: Vec<usize> = chars
        .iter()
        .enumerate()
        .filter(|&(i, &(_, c))| c == SOFT_HYPHEN && i > 0 && i + 1 < n)
        .map(|(_, &(at, c))| at + c.len_utf8())
        .collect();
    if !soft.is_empty() {
        out.extend(soft.into_iter().map(|offset| Opportunity {
            offset,
            kind: BreakKind::Soft,
        }));
    } else if let (true, Some(dict)) = (rules.enabled, dict)
        && !word.contains('/')
        && !word.contains(SOFT_HYPHEN)
    {
        let mut start = 0;
        for (at, c) in word.char_indices().chain([(word.len(), '-')]) {
            if HYPHENS.contains(&c) || DASHES.contains(&c) {
                if at > start {
                    for offset in part_points(&word[start..at], dict, rules) {
                        out.push(Opportunity {
                            offset: start + offset,
                            kind: BreakKind::Auto,
                        });
                    }
                }
                start = at + c.len_utf8();
            }
        }
    }
    out.sort_by_key(|o| o.offset);
    out.dedup_by_key(|o| o.offset);
    out
}

/// Dictionary points of one part of a word (no hyphens in it), as byte offsets into `part`.
fn part_points(part: &str, dict: &Standard, rules: &Hyphenation) -> Vec<usize> {
    // The core: the part without leading and trailing punctuation (quotes, commas...).
    let Some(first) = part.find(|c: char| c.is_alphabetic()) else {
        return Vec::new();
    };
    let last = part
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_alphabetic() || canonical_combining_class(*c) != 0)
        .map_or(part.len(), |(i, c)| i + c.len_utf8());
    let core = &part[first..last];
    if part.chars().any(|c| c.is_numeric()) {
        return Vec::new();
    }
    let (folded, map) = fold(core);
    let count = map.len();
    if let Some(breaks) = rules.exceptions.get(&folded) {
        // An exception's breaks are the word's only ones, within `min_before` and
        // `min_after` but whatever its length or capitals.
        return breaks
            .iter()
            .filter(|&&k| k >= rules.min_before && count - k >= rules.min_after)
            .filter_map(|&k| map.get(k).copied().flatten().map(|o| first + o))
            .collect();
    }
    let has_lower = core.chars().any(|c| c.is_lowercase());
    if !has_lower {
        // ALL CAPS (acronyms, shouting): never hyphenated.
        return Vec::new();
    }
    if !rules.capitalised && core.chars().next().is_some_and(char::is_uppercase) {
        // Names, and sentence starts with them: telling the two apart would take a
        // dictionary, and a sentence's first word is rarely the only way to a good line.
        return Vec::new();
    }
    if count < rules.min_word.max(1) {
        return Vec::new();
    }
    // Character index (in `folded`) of each byte offset that starts a character.
    let mut char_at = vec![usize::MAX; folded.len() + 1];
    for (k, (i, _)) in folded.char_indices().enumerate() {
        char_at[i] = k;
    }
    char_at[folded.len()] = count;
    dict.opportunities(&folded)
        .into_iter()
        .filter_map(|b| {
            let k = *char_at.get(b)?;
            if k == usize::MAX || k < rules.min_before || count - k < rules.min_after {
                return None;
            }
            // Only breaks at the start of a folded character that starts its source
            // segment map back exactly.
            map.get(k).copied().flatten().map(|o| first + o)
        })
        .collect()
}

/// NFC-normalises and lower-cases `text` one segment (a starter and its combining marks)
/// at a time. Returns the folded text and, for each of its characters, the byte offset in
/// `text` where its segment starts (`None` for characters after the first of a segment).
fn fold(text: &str) -> (String, Vec<Option<usize>>) {
    let mut folded = String::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len());
    let mut segments: Vec<(usize, usize)> = Vec::new();
    for (i, c) in text.char_indices() {
        if canonical_combining_class(c) != 0
            && let Some(last) = segments.last_mut()
        {
            last.1 = i + c.len_utf8();
            continue;
        }
        segments.push((i, i + c.len_utf8()));
    }
    for (start, end) in segments {
        let mut first = true;
        for c in text[start..end].nfc().flat_map(char::to_lowercase) {
            folded.push(c);
            map.push(first.then_some(start));
            first = false;
        }
    }
    (folded, map)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Hyphenation {
        Hyphenation {
            enabled: true,
            min_word: 5,
            min_before: 2,
            min_after: 3,
            max_consecutive: 2,
            penalty: 50.0,
            capitalised: true,
            exceptions: Default::default(),
        }
    }

    fn with_exceptions(words: &[&str]) -> Hyphenation {
        let mut r = rules();
        for w in words {
            let (word, breaks) = crate::model::parse_hyphen_exception(w).unwrap();
            r.exceptions.insert(word, breaks);
        }
        r
    }

    /// The word with `-` at every break, `=` for the ones that add nothing.
    fn show(word: &str, tag: &str, rules: &Hyphenation) -> String {
        let points = opportunities(word, dictionary(tag), rules);
        let mut out = String::new();
        let mut last = 0;
        for p in points {
            out.push_str(&word[last..p.offset]);
            out.push(if p.kind.inserts_hyphen() { '|' } else { '=' });
            last = p.offset;
        }
        out.push_str(&word[last..]);
        out
    }

    #[test]
    fn tags_map_to_pattern_sets() {
        assert_eq!(patterns_for("en-GB"), Some(Patterns::EnglishGB));
        assert_eq!(patterns_for("en-US"), Some(Patterns::EnglishUS));
        assert_eq!(patterns_for("en"), Some(Patterns::EnglishUS));
        assert_eq!(patterns_for("de"), Some(Patterns::German1996));
        assert_eq!(patterns_for("de-AT"), Some(Patterns::German1996));
        assert_eq!(patterns_for("fr-CA"), Some(Patterns::French));
        assert_eq!(patterns_for("es"), Some(Patterns::Spanish));
        assert_eq!(patterns_for("it"), Some(Patterns::Italian));
        assert_eq!(patterns_for("nl"), Some(Patterns::Dutch));
        assert_eq!(patterns_for("pt-BR"), Some(Patterns::Portuguese));
        assert_eq!(patterns_for("zh-Hans"), None);
        assert_eq!(patterns_for("ja"), None);
        assert!(dictionary("ja").is_none());
    }

    #[test]
    fn british_and_american_patterns_differ() {
        let r = rules();
        // The two dictionaries split the same word differently (British patterns follow
        // etymology, American ones pronunciation).
        assert_eq!(show("progress", "en-GB", &r), "pro|gress");
        assert_eq!(show("progress", "en-US", &r), "progress");
        assert_eq!(show("knowledge", "en-GB", &r), "know|ledge");
        assert_eq!(show("knowledge", "en-US", &r), "knowl|edge");
    }

    #[test]
    fn english_words_break_at_pattern_points() {
        let r = rules();
        assert_eq!(show("hyphenation", "en-US", &r), "hy|phen|a|tion");
        assert_eq!(show("mobilisations", "en-GB", &r), "mo|bil|isa|tions");
    }

    #[test]
    fn german_words_break() {
        let r = rules();
        assert_eq!(show("Silbentrennung", "de", &r), "Sil|ben|tren|nung");
    }

    #[test]
    fn min_before_and_after_are_respected_in_characters() {
        let mut r = rules();
        r.min_before = 3;
        r.min_after = 5;
        assert_eq!(show("hyphenation", "en-US", &r), "hyphen|ation");
        r.min_before = 2;
        r.min_after = 3;
        // Accented letters count as one character each, composed or not.
        let composed = show("précipitation", "fr", &r);
        let decomposed = show("pre\u{301}cipitation", "fr", &r);
        assert_eq!(composed, "pré|ci|pi|ta|tion");
        assert_eq!(decomposed, "pre\u{301}|ci|pi|ta|tion");
    }

    #[test]
    fn short_words_caps_digits_and_urls_are_untouched() {
        let mut r = rules();
        assert_eq!(show("paper", "en-US", &r), "pa|per");
        r.min_word = 6;
        assert_eq!(show("paper", "en-US", &r), "paper");
        assert_eq!(show("HYPHENATION", "en-US", &r), "HYPHENATION");
        assert_eq!(show("hyphenation2", "en-US", &r), "hyphenation2");
        assert_eq!(
            show("https://example.org/hyphenation", "en-US", &r),
            "https://example.org/hyphenation"
        );
        assert_eq!(
            show("someone@example.org", "en-US", &r),
            "someone@example.org"
        );
        assert_eq!(
            show("www.hyphenation.org", "en-US", &r),
            "www.hyphenation.org"
        );
    }

    #[test]
    fn punctuation_around_a_word_is_not_counted() {
        let r = rules();
        assert_eq!(show("“hyphenation,”", "en-US", &r), "“hy|phen|a|tion,”");
    }

    #[test]
    fn soft_hyphens_are_the_only_points() {
        let r = rules();
        let word = "hyphen\u{AD}ation";
        let points = opportunities(word, dictionary("en-US"), &r);
        assert_eq!(
            points,
            vec![Opportunity {
                offset: "hyphen\u{AD}".len(),
                kind: BreakKind::Soft
            }]
        );
    }

    #[test]
    fn explicit_hyphens_and_dashes_break_after() {
        let r = rules();
        assert_eq!(show("well-known", "en-US", &r), "well-=known");
        assert_eq!(show("e-mail", "en-US", &r), "e-mail");
        assert_eq!(show("north–south", "en-US", &r), "north–=south");
        assert_eq!(show("yes—no", "en-US", &r), "yes—=no");
        assert_eq!(show("and/or", "en-US", &r), "and/=or");
        // Parts of a compound are hyphenated on their own.
        assert_eq!(
            show("self-hyphenation", "en-US", &r),
            "self-=hy|phen|a|tion"
        );
    }

    #[test]
    fn disabled_hyphenation_keeps_explicit_points_only() {
        let mut r = rules();
        r.enabled = false;
        assert_eq!(show("self-hyphenation", "en-US", &r), "self-=hyphenation");
        assert_eq!(show("hyphen\u{AD}ation", "en-US", &r), "hyphen\u{AD}|ation");
    }

    #[test]
    fn british_patterns_give_poor_breaks_that_exceptions_fix() {
        // What the patterns do on their own: the reason for the magazine style's list.
        let r = rules();
        assert_eq!(show("beyond", "en-GB", &r), "bey|ond");
        assert_eq!(show("evidence", "en-GB", &r), "evid|ence");
        let r = with_exceptions(&["be-yond", "ev-i-dence", "Af-ghan-i-stan", "despite"]);
        assert_eq!(show("beyond", "en-GB", &r), "be|yond");
        assert_eq!(show("evidence", "en-GB", &r), "ev|i|dence");
        // Any capitalisation, punctuation around, compounds part by part.
        assert_eq!(show("“Beyond,”", "en-GB", &r), "“Be|yond,”");
        assert_eq!(show("BEYOND", "en-GB", &r), "BE|YOND");
        assert_eq!(show("Afghanistan.", "en-GB", &r), "Af|ghan|i|stan.");
        assert_eq!(show("far-beyond", "en-GB", &r), "far-=be|yond");
        // The limits still hold: "expand|ed" would leave two letters.
        let r = with_exceptions(&["ex-pand-ed", "be-yond"]);
        assert_eq!(show("expanded", "en-GB", &r), "ex|panded");
        let r = with_exceptions(&["ex-pand-ed", "be-yond", "Af-ghan-i-stan", "despite"]);
        // A word written without hyphens is never broken.
        assert_eq!(show("despite", "en-GB", &r), "despite");
        assert_eq!(show("Despite", "en-GB", &rules()), "Des|pite");
        // Exceptions are dictionary breaks: off when hyphenation is.
        let mut off = with_exceptions(&["be-yond"]);
        off.enabled = false;
        assert_eq!(show("beyond", "en-GB", &off), "beyond");
    }

    #[test]
    fn the_magazine_list_mends_british_pattern_breaks() {
        let style = crate::edition::builtin_style("magazine").unwrap();
        let r = &style.hyphenation;
        for (word, patterns, listed) in [
            ("beyond", "bey|ond", "be|yond"),
            ("volunteer", "vo|lun|teer", "vol|un|teer"),
            ("Despite", "Des|pite", "De|spite"),
            ("evidence", "evid|ence", "ev|i|dence"),
            ("significant", "sig|ni|fic|ant", "sig|nif|i|cant"),
            ("Afghanistan", "Afgh|anistan", "Af|ghan|i|stan"),
        ] {
            assert_eq!(show(word, "en-GB", &rules()), patterns, "patterns: {word}");
            let ours = show(word, "en-GB", r);
            assert_eq!(ours, listed, "magazine list: {word}");
        }
    }

    #[test]
    fn capitalised_words_are_kept_whole_unless_allowed_or_listed() {
        let mut r = with_exceptions(&["Af-ghan-i-stan"]);
        r.capitalised = false;
        assert_eq!(show("Kowalski", "en-GB", &r), "Kowalski");
        assert_eq!(show("Nevertheless,", "en-GB", &r), "Nevertheless,");
        assert_eq!(show("“Northfield", "en-GB", &r), "“Northfield");
        // Lower-case words and lower-case parts of a compound still break.
        assert_eq!(show("nevertheless", "en-GB", &r), "nev|er|the|less");
        assert_eq!(
            show("Anglo-continental", "en-GB", &r),
            "Anglo-=con|tin|ental"
        );
        // A listed word breaks as listed, capitals or not.
        assert_eq!(show("Afghanistan", "en-GB", &r), "Af|ghan|i|stan");
        r.capitalised = true;
        assert_eq!(show("Kowalski", "en-GB", &r), "Kow|al|ski");
    }
}
