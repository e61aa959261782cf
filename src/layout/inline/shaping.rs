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
    /// Whether `marks` are in increasing offset order (left-to-right text): then the marks
    /// of a range are one slice, found by binary search, and a word broken into many
    /// fragments costs linear time rather than quadratic.
    pub(super) sorted: bool,
}

impl Word {
    /// The marks whose offset is in `range`, in their order (a slice when sorted).
    fn marks_in(&self, range: Range<usize>) -> Vec<(usize, f32)> {
        if self.sorted {
            self.marks_slice(range).to_vec()
        } else {
            self.marks
                .iter()
                .copied()
                .filter(|(at, _)| range.contains(at))
                .collect()
        }
    }

    /// The marks in `range` when `sorted`.
    fn marks_slice(&self, range: Range<usize>) -> &[(usize, f32)] {
        let from = self.marks.partition_point(|m| m.0 < range.start);
        let to = self.marks.partition_point(|m| m.0 < range.end).max(from);
        &self.marks[from..to]
    }

    pub(super) fn width(&self, range: Range<usize>) -> f32 {
        // The same additions in the same order either way: the sums are identical.
        if self.sorted {
            self.marks_slice(range).iter().map(|(_, w)| w).sum()
        } else {
            self.marks
                .iter()
                .filter(|(at, _)| range.contains(at))
                .map(|(_, w)| w)
                .sum()
        }
    }

    /// How many marks start in `range`.
    pub(super) fn count(&self, range: Range<usize>) -> usize {
        if self.sorted {
            self.marks_slice(range).len()
        } else {
            self.marks_in(range).len()
        }
    }

    /// The advance of the last mark (in order) that starts before `end`.
    pub(super) fn last_before(&self, end: usize) -> Option<f32> {
        if self.sorted {
            let to = self.marks.partition_point(|m| m.0 < end);
            to.checked_sub(1).map(|i| self.marks[i].1)
        } else {
            self.marks.iter().rev().find(|m| m.0 < end).map(|m| m.1)
        }
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
            // Offsets without soft hyphens to offsets with them, made once per piece.
            let unshy: Vec<usize> = if has_shy {
                stripped_to_original(&para.text[r.clone()])
            } else {
                Vec::new()
            };
            let mut previous = None;
            for g in &piece.shaped.glyphs {
                let at = if has_shy {
                    r.start + unshy.get(g.range.start).copied().unwrap_or(r.end - r.start)
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
        let sorted = marks.windows(2).all(|w| w[0].0 < w[1].0);
        Word {
            range,
            pieces,
            marks,
            sorted,
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
        // Bounded like the shaping cache: emptied when full.
        use crate::layout::shape::{CACHE_CAP, insert_capped};
        insert_capped(by_word, CACHE_CAP, word, || found.clone());
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

/// For each byte offset of `original` without its soft hyphens (and one past its end),
/// the offset in `original` of the same character (glyph clusters start at characters).
fn stripped_to_original(original: &str) -> Vec<usize> {
    let mut out = Vec::with_capacity(original.len() + 1);
    for (i, c) in original.char_indices() {
        if c == SOFT_HYPHEN {
            continue;
        }
        for _ in 0..c.len_utf8() {
            out.push(i);
        }
    }
    out.push(original.len());
    out
}

/// Languages whose nouns start with a capital letter, where a capital does not mark a name.
fn capitalises_nouns(language: &Language) -> bool {
    matches!(language.primary().as_str(), "de" | "lb")
}
