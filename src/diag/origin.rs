//! From a node's text back to its Markdown source: where a character of a text run is
//! written, for warnings raised after parsing (layout uses it; it reads text only).
//!
//! A text run's span covers its source, but the text may differ from it: soft breaks
//! became spaces (and the next line's indentation and `>` markers are gone), quotes and
//! dashes became typographic (French guillemets gained a narrow space inside), escapes and entities were resolved, a looks' capitals were
//! applied. [`source_offset`] walks the text and its source side by side, through
//! exactly those changes, up to the character asked for. It never searches: where the
//! two part in a way it does not know, it gives up, and the caller falls back to the
//! span's start.

/// The byte offset in `source` (the text a node's span covers) at which the character at
/// byte `at` of the node's `text` is written; `None` when the walk cannot follow the
/// text that far.
pub(crate) fn source_offset(text: &str, source: &str, at: usize) -> Option<usize> {
    Walk::start(text, source).offset(text, source, at)
}

/// A walk of a node's text and its source side by side that can go on from where it
/// stopped: asking for increasing offsets of one text (each line of a long paragraph)
/// costs the text's length once, not once per question.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Walk {
    /// Bytes of the text walked.
    t: usize,
    /// Bytes of the source walked.
    s: usize,
    /// The last character walked was whitespace (or none was).
    after_space: bool,
}

impl Walk {
    /// A walk at the start of `text` and its `source`: past a code span's backticks (and
    /// one space), where its text starts.
    pub(crate) fn start(text: &str, source: &str) -> Walk {
        let sb = source.as_bytes();
        let mut s = 0;
        if sb.first() == Some(&b'`') {
            while sb.get(s) == Some(&b'`') {
                s += 1;
            }
            if sb.get(s) == Some(&b' ') && !text.starts_with(' ') {
                s += 1;
            }
        }
        // Leading source whitespace may have been trimmed from the text.
        Walk {
            t: 0,
            s,
            after_space: true,
        }
    }

    /// The byte of the text the walk has reached.
    pub(crate) fn at(&self) -> usize {
        self.t
    }

    /// Walks on to byte `at` of `text` (not before where the walk is) and gives where
    /// that character is written in `source`; `None`, and the walk unchanged, when the
    /// walk cannot follow the text that far.
    pub(crate) fn offset(&mut self, text: &str, source: &str, at: usize) -> Option<usize> {
        if at > text.len() || !text.is_char_boundary(at) || at < self.t {
            return None;
        }
        let Walk {
            mut t,
            mut s,
            mut after_space,
        } = *self;
        while t < at {
            let tc = text[t..].chars().next()?;
            let sc = source.get(s..)?.chars().next()?;
            // An entity, unless the text holds it literally (in code, say).
            let entity_len =
                entity(&source[s..]).filter(|&len| !text[t..].starts_with(&source[s..s + len]));
            if let Some(len) = entity_len {
                t += tc.len_utf8();
                s += len;
                after_space = false;
            } else if same(tc, sc) {
                t += tc.len_utf8();
                s += sc.len_utf8();
                after_space = tc.is_whitespace();
            } else if tc.is_whitespace() && matches!(sc, ' ' | '\t') {
                // Tabs are set as spaces.
                t += tc.len_utf8();
                s += 1;
                after_space = true;
            } else if sc.is_whitespace() && (tc.is_whitespace() || after_space) {
                // A line end (and the next line's indentation and quote markers), or spaces
                // dropped around it.
                s = skip_space(source, s);
                if tc.is_whitespace() {
                    t += tc.len_utf8();
                    after_space = true;
                }
            } else if let Some(written) = typographic(tc).filter(|w| source[s..].starts_with(w)) {
                t += tc.len_utf8();
                s += written.len();
                after_space = false;
            } else if tc == '\u{202f}' {
                // The narrow space French sets inside guillemets, not written in the source.
                t += tc.len_utf8();
            } else if sc == '\\' {
                // An escape: the character after the backslash is the text's.
                s += 1;
            } else {
                return None;
            }
        }
        *self = Walk { t, s, after_space };
        // The character itself must be there (not the end of the source, nor its whitespace
        // when the text's character is not).
        let tc = text[at..].chars().next();
        let sc = source.get(s..).and_then(|r| r.chars().next());
        match (tc, sc) {
            (Some(tc), Some(sc)) if sc.is_whitespace() && !tc.is_whitespace() => {
                let s = skip_space(source, s);
                (s < source.len()).then_some(s)
            }
            (_, Some(_)) => Some(s),
            _ => None,
        }
    }
}

/// The same character, or its capital (a look may set text in capitals).
fn same(text: char, source: char) -> bool {
    text == source || {
        let mut upper = source.to_uppercase();
        upper.next() == Some(text) && upper.next().is_none()
    }
}

/// Whitespace from `s` on; after a line end also the next line's quote markers and the
/// whitespace between them.
fn skip_space(source: &str, mut s: usize) -> usize {
    let b = source.as_bytes();
    let mut newline = false;
    while let Some(&c) = b.get(s) {
        match c {
            b'\n' => newline = true,
            b' ' | b'\t' | b'\r' => {}
            b'>' if newline => {}
            _ => break,
        }
        s += 1;
    }
    s
}

/// How a typographic character made from plain ones was written.
fn typographic(c: char) -> Option<&'static str> {
    Some(match c {
        '“' | '”' | '„' | '«' | '»' => "\"",
        '‘' | '’' => "'",
        '–' => "--",
        '—' => "---",
        '…' => "...",
        _ => return None,
    })
}

/// The length of an HTML entity (`&amp;`, `&#x2014;`, `&shy;`) at the start of `source`.
fn entity(source: &str) -> Option<usize> {
    let rest = source.strip_prefix('&')?;
    let end = rest.bytes().take(32).position(|b| b == b';')?;
    let name = &rest[..end];
    let valid = !name.is_empty()
        && name
            .bytes()
            .enumerate()
            .all(|(i, b)| b.is_ascii_alphanumeric() || (i == 0 && b == b'#'));
    valid.then_some(end + 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The source text at the offset found for the character at `at`.
    fn found<'s>(text: &str, source: &'s str, at: usize) -> Option<&'s str> {
        source_offset(text, source, at).map(|s| &source[s..])
    }

    /// A walk that goes on from where it stopped finds what a walk from the start finds,
    /// for every character in order, through line ends, entities, quotes and escapes.
    #[test]
    fn a_resumed_walk_agrees_with_a_fresh_one() {
        let source =
            "\"Quoted\" words &amp; more\n> on a next line \\* with--dashes…\n  and   spaces";
        let text = "\u{201c}Quoted\u{201d} words & more on a next line * with\u{2013}dashes\u{2026} and spaces";
        let mut walk = Walk::start(text, source);
        let mut followed = 0;
        for (i, _) in text.char_indices() {
            let fresh = source_offset(text, source, i);
            assert_eq!(walk.offset(text, source, i), fresh, "at byte {i}");
            followed += usize::from(fresh.is_some());
        }
        assert!(
            followed > text.chars().count() / 2,
            "the walk followed {followed} characters"
        );
        // Going back is refused, and leaves the walk where it was.
        let end = walk.at();
        assert_eq!(walk.offset(text, source, 0), None);
        assert_eq!(walk.at(), end);
    }

    /// One walk through a long text costs its length, not its length squared: asking
    /// for every character of a 200,000-character word takes well under a second.
    #[test]
    fn a_walk_through_a_long_text_is_linear() {
        let text = "x".repeat(200_000);
        let mut walk = Walk::start(&text, &text);
        let start = std::time::Instant::now();
        for i in (0..text.len()).step_by(97) {
            assert_eq!(walk.offset(&text, &text, i), Some(i));
        }
        assert!(start.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn unchanged_text_maps_one_to_one() {
        let source = "Ça va, 𓀀 bien";
        for (at, _) in source.char_indices() {
            assert_eq!(source_offset(source, source, at), Some(at));
        }
    }

    #[test]
    fn soft_breaks_indentation_and_quote_markers_are_followed() {
        let text = "one two three";
        assert_eq!(found(text, "one\r\n> >  two\n   three", 8), Some("three"));
        assert_eq!(found(text, "one \ntwo three", 4), Some("two three"));
        assert_eq!(found("a  b", "a\t\tb", 3), Some("b"));
    }

    #[test]
    fn typographic_punctuation_escapes_and_entities_are_followed() {
        let text = "“Hi” – it’s… „so“ & — x*";
        let source = "\"Hi\" -- it's... \"so\" &amp; --- x\\*";
        let x = text.find('x').unwrap();
        assert_eq!(found(text, source, x), Some("x\\*"));
        // An escaped character is written where its backslash is.
        let star = text.find('*').unwrap();
        assert_eq!(found(text, source, star), Some("\\*"));
        let so = text.find("so").unwrap();
        assert_eq!(found(text, source, so), Some("so\" &amp; --- x\\*"));
    }

    #[test]
    fn french_guillemets_and_their_narrow_spaces_are_followed() {
        let text = "Il dit «\u{202f}pluie\u{202f}» et «\u{202f}neige\u{202f}» x";
        let source = "Il dit \"pluie\" et \" neige \" x";
        let rain = text.find("pluie").unwrap();
        assert_eq!(found(text, source, rain), Some("pluie\" et \" neige \" x"));
        let x = text.find('x').unwrap();
        assert_eq!(found(text, source, x), Some("x"));
    }

    #[test]
    fn capitals_code_spans_and_trimmed_space() {
        assert_eq!(found("ÉTÉ", "été", 2), Some("té"));
        assert_eq!(found("a `b", "`` a `b ``", 3), Some("b ``"));
        assert_eq!(found("Words", "\n> Words", 1), Some("ords"));
    }

    #[test]
    fn literal_ampersands_are_not_entities() {
        assert_eq!(found("a &amp; b", "`a &amp; b`", 8), Some("b`"));
        assert_eq!(found("fish & chips", "fish & chips", 7), Some("chips"));
    }

    #[test]
    fn text_that_parts_from_its_source_gives_up() {
        assert_eq!(source_offset("abc", "xbc", 2), None);
        assert_eq!(source_offset("abc", "ab", 2), None);
        assert_eq!(source_offset("é", "é", 1), None);
        // Where the walk stands is the place, even when the character itself was made
        // from something else (a footnote number from its `[^label]`).
        assert_eq!(source_offset("1", "[^note]", 0), Some(0));
        assert_eq!(source_offset("abc", "abd", 2), Some(2));
    }
}
