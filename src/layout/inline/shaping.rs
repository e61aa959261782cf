//! Shaping with the cache: words in pieces of one look, their glyph advances, the
//! hyphen and space of a look, hyphenation points by language, and warnings for
//! characters no font has.

use std::ops::Range;
use std::sync::Arc;

use crate::diag::Diagnostic;
use crate::layout::hyphenate::{self, Opportunity, SOFT_HYPHEN};
use crate::layout::shape::Shaped;
use crate::model::Language;

use super::TextContext;
use super::collect::Para;
use super::look::Look;

/// A shaped piece of a word in one look. Glyph ranges index `text`.
pub(super) struct Piece {
    pub(super) look: u16,
    /// The text shaped (the paragraph's bytes without soft hyphens).
    pub(super) text: String,
    pub(super) shaped: Arc<Shaped>,
}

/// A word: its pieces and, per glyph, the paragraph offset of its cluster and its advance.
pub(super) struct Word {
    pub(super) range: Range<usize>,
    pub(super) pieces: Vec<Piece>,
    pub(super) marks: Vec<(usize, f32)>,
}

impl Word {
    pub(super) fn width(&self, range: Range<usize>) -> f32 {
        self.marks
            .iter()
            .filter(|(at, _)| range.contains(at))
            .map(|(_, w)| w)
            .sum()
    }
}

impl TextContext<'_> {
    /// Shapes `range` of the paragraph in one look (soft hyphens left out).
    pub(super) fn piece(&mut self, para: &Para, look: u16, range: Range<usize>) -> Piece {
        let raw = &para.text[range.clone()];
        let text: String = if raw.contains(SOFT_HYPHEN) {
            raw.chars().filter(|&c| c != SOFT_HYPHEN).collect()
        } else {
            raw.to_string()
        };
        let shaped = self.shaper.shape(para.looks[usize::from(look)].spec, &text);
        if !shaped.missing.is_empty() {
            for (i, c) in raw.char_indices() {
                if shaped.missing.contains(&c) {
                    self.report_missing(para, c, range.start + i);
                }
            }
        }
        Piece { look, text, shaped }
    }

    /// A warning, once per file and character, for a character no font has, found at
    /// byte `at` of the paragraph. It points at the earliest place in the file the
    /// character is set from (the paragraph knows where each stretch of its text is
    /// written), so the order of setting does not matter; text the layout made up (a
    /// list marker, a section name) points nowhere. The warning is one character wide
    /// (what is written there may be a straight quote, an entity or a whole reference).
    pub(super) fn report_missing(&mut self, para: &Para, c: char, at: usize) {
        let key = (self.source.clone(), c);
        let seen = self.reported.get(&key).copied();
        if let Some(seen) = seen {
            // No character of a stretch is written before its span's start.
            let may_be_earlier = match (seen, para.span_start(at)) {
                (_, None) => false,
                (None, Some(_)) => true,
                (Some(seen), Some(start)) => start < seen,
            };
            if !may_be_earlier {
                return;
            }
        }
        let text = self.source_text.as_deref();
        let offset = text.and_then(|text| para.source_offset(text, at));
        let message = format!(
            "no font of the style has a glyph for U+{:04X} ({c:?}); a replacement glyph is drawn",
            c as u32
        );
        match (seen, offset, text) {
            (None, _, _) => {
                let mut d = Diagnostic::warning(message)
                    .with_hint("add a font that has it to the style's `fonts.fallback` families");
                if let Some(file) = &self.source {
                    d = d.in_file(file);
                }
                if let (Some(o), Some(text)) = (offset, text) {
                    d = d.at_range(text, o..o);
                }
                self.warnings.push(d);
                self.reported.insert(key, offset);
            }
            // Set again, earlier in the file than the place reported: move the warning.
            (Some(seen), Some(o), Some(text)) if seen.is_none_or(|s| o < s) => {
                self.reported.insert(key, Some(o));
                let file = &self.source;
                if let Some(d) = self
                    .warnings
                    .iter_mut()
                    .find(|d| d.message == message && d.file == *file)
                {
                    *d = d.clone().at_range(text, o..o);
                }
            }
            _ => {}
        }
    }

    /// Shapes a word, in pieces of one look each.
    pub(super) fn word(&mut self, para: &Para, range: Range<usize>) -> Word {
        let mut pieces = Vec::new();
        let mut marks = Vec::new();
        for (look, r) in para.pieces(range.clone()) {
            let piece = self.piece(para, look, r.clone());
            let l = &para.looks[usize::from(look)];
            let has_shy = para.text[r.clone()].contains(SOFT_HYPHEN);
            let mut previous = None;
            for g in &piece.shaped.glyphs {
                let at = if has_shy {
                    r.start + original_offset(&para.text[r.clone()], g.range.start)
                } else {
                    r.start + g.range.start
                };
                let advance = g.advance * l.size + l.tracking;
                // Glyphs of one cluster count as one mark (one letter-spacing gap).
                if previous == Some(g.range.start) {
                    if let Some(last) = marks.last_mut() {
                        let (_, w): &mut (usize, f32) = last;
                        *w += advance;
                    }
                } else {
                    marks.push((at, advance));
                }
                previous = Some(g.range.start);
            }
            pieces.push(piece);
        }
        Word {
            range,
            pieces,
            marks,
        }
    }

    /// Hyphenation points of a word (cached per language and word). A word `too_wide` for
    /// its column takes pattern points even when capitalised, rather than breaking
    /// between any two letters; so does every capitalised word in a language that
    /// capitalises its nouns (German), where keeping them whole would leave most long
    /// words unbreakable and the lines loose.
    pub(super) fn hyphenation(
        &mut self,
        language: &Language,
        word: &str,
        too_wide: bool,
    ) -> Arc<[Opportunity]> {
        let rules = &self.style.hyphenation;
        let widen = !rules.capitalised && (too_wide || capitalises_nouns(language));
        let by_word = self.hyphens.entry((language.0.clone(), widen)).or_default();
        if let Some(found) = by_word.get(word) {
            return found.clone();
        }
        let dict = hyphenate::dictionary(language.as_str());
        let found: Arc<[Opportunity]> = if widen {
            let mut rules = rules.clone();
            rules.capitalised = true;
            hyphenate::opportunities(word, dict, &rules).into()
        } else {
            hyphenate::opportunities(word, dict, rules).into()
        };
        by_word.insert(word.to_string(), found.clone());
        found
    }

    /// The hyphen glyphs in `look`.
    pub(super) fn hyphen(&mut self, look: &Look) -> Arc<Shaped> {
        self.shaper.shape(look.spec, "-")
    }

    /// The space of `look`: its glyphs and natural width (points).
    pub(super) fn space(&mut self, look: &Look) -> (Arc<Shaped>, f32) {
        let shaped = self.shaper.shape(look.spec, " ");
        let width = shaped.width() * look.size;
        (shaped, width)
    }
}

/// The byte offset in `original` of byte `o` of `original` without its soft hyphens.
pub(super) fn original_offset(original: &str, o: usize) -> usize {
    let mut stripped = 0;
    for (i, c) in original.char_indices() {
        if c == SOFT_HYPHEN {
            continue;
        }
        if stripped >= o {
            return i;
        }
        stripped += c.len_utf8();
    }
    original.len()
}

/// Languages whose nouns start with a capital letter, where a capital does not mark a name.
fn capitalises_nouns(language: &Language) -> bool {
    matches!(language.primary().as_str(), "de" | "lb")
}
