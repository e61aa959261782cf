//! Paragraphs to lines: resolve each inline's role to a face and size, shape words,
//! find hyphenation points, build line-breaker items, run the breaker and justify the
//! chosen lines into positioned glyph runs.
//!
//! Stages, one file each: [`collect`](self::collect) (the inline tree into text with a
//! look per stretch), `look` (per-role typography and faces), `shaping` (words with the
//! cache, hyphenation points), `prepare` (items for the breaker), [`linebreak`] (the
//! pure total-fit breaker), `finalize` (lines rebuilt from the breaks and justified).
//!
//! The breaker sees widths measured on whole words (a fragment between hyphenation points
//! is the part of the word's glyphs between them); a line that starts or ends inside a
//! word is shaped again from its own text, and every line is then justified from its real
//! glyphs, so a justified line is exactly as wide as its measure.

mod collect;
mod finalize;
pub(crate) mod linebreak;
mod look;
mod prepare;
mod shaping;
#[cfg(test)]
mod tests;

use rustc_hash::FxHashMap as HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::diag::Diagnostic;
use crate::layout::font::{FontBook, FontId, FontQuery, Weight};
use crate::layout::frame::TextRun;
use crate::layout::hyphenate::Opportunity;
use crate::layout::shape::{Shaper, SharedShapes};
use crate::model::{Inline, Language, Style};
use linebreak::{INFINITE, Params};

pub(crate) use crate::model::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Justify,
    Left,
    Center,
    Right,
}

/// Where words may be broken across lines.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum WordBreaks {
    /// At hyphenation points by language, at explicit hyphens and dashes, and, as a
    /// last resort, anywhere in a word too wide for the measure.
    #[default]
    Hyphenate,
    /// Only a word wider than the measure is broken (short table cells: "Harbour Row"
    /// goes onto two lines rather than becoming "Har-bour Row").
    Overlong,
    /// Never, even when a word is wider than the measure (the line overflows): set at a
    /// tiny measure, this gives a text's widest unbreakable word.
    Never,
}

/// A link area inside a line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LineLink {
    pub x: f32,
    pub width: f32,
    pub url: String,
}

/// One set line. Runs are positioned relative to the line's origin (x = 0 at the column's
/// left edge, y = 0 on the baseline).
#[derive(Debug, Clone)]
pub(crate) struct Line {
    pub runs: Vec<TextRun>,
    pub links: Vec<LineLink>,
    /// Footnotes referred to in the line, by number, in order.
    pub notes: Vec<u32>,
    /// Width of the content (without hanging punctuation).
    pub width: f32,
    /// Largest ascent and descent of the line's glyphs (descent positive, below baseline).
    pub ascent: f32,
    pub descent: f32,
}

/// What to set: the text, its role and language, the measure and how lines sit in it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Request<'r> {
    pub inlines: &'r [Inline],
    pub role: Role,
    pub language: &'r Language,
    /// The measure, in points.
    pub width: f32,
    pub align: Align,
    /// The first line's indent, in points.
    pub indent: f32,
    /// Lines set narrower beside a drop cap.
    pub hang: Hang,
    /// Lines more (or fewer, when negative) than the best setting, where the tolerances
    /// allow it (TeX's `\looseness`; see `linebreak::Params::looseness`). Justified
    /// text only.
    pub looseness: i32,
    /// The first inline's first `run_in` bytes (an opening run-in written in capitals,
    /// see `model::run_in_caps`) are set as small capitals made from the capitals.
    pub run_in: usize,
    /// The run-in is the opening words as written: their lower-case letters are set as
    /// small capitals (`smcp`), capitals stay (the style's `opening_small_caps`).
    pub run_in_lower: bool,
    /// Where words may break.
    pub words: WordBreaks,
    /// Lines (0-based) that should not end with a hyphen, such as the line at the foot
    /// of a column or before a page turn: a hyphen there is chosen only when no other
    /// setting the tolerances allow exists (see `linebreak::Params::no_hyphen_after`).
    pub no_hyphen_after: &'r [usize],
}

/// The first `lines` lines are `indent` points narrower and start that far to the right.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Hang {
    pub lines: usize,
    pub indent: f32,
}

impl<'r> Request<'r> {
    /// `inlines` in `role`, flush left in a measure of `width` points, no indent.
    pub(crate) fn new(
        inlines: &'r [Inline],
        role: Role,
        language: &'r Language,
        width: f32,
    ) -> Self {
        Request {
            inlines,
            role,
            language,
            width,
            align: Align::Left,
            indent: 0.0,
            hang: Hang::default(),
            looseness: 0,
            run_in: 0,
            run_in_lower: false,
            words: WordBreaks::Hyphenate,
            no_hyphen_after: &[],
        }
    }

    pub(crate) fn align(self, align: Align) -> Self {
        Request { align, ..self }
    }

    pub(crate) fn indent(self, indent: f32) -> Self {
        Request { indent, ..self }
    }

    /// The first `lines` lines `indent` points narrower, beside a drop cap.
    pub(crate) fn hang(self, lines: usize, indent: f32) -> Self {
        Request {
            hang: Hang { lines, indent },
            ..self
        }
    }

    pub(crate) fn looseness(self, looseness: i32) -> Self {
        Request { looseness, ..self }
    }

    /// Lines `lines` (0-based) should not end with a hyphen.
    pub(crate) fn no_hyphen_after(self, lines: &'r [usize]) -> Self {
        Request {
            no_hyphen_after: lines,
            ..self
        }
    }

    /// The first inline's first `run_in` bytes in small capitals made from capitals.
    pub(crate) fn run_in(self, run_in: usize) -> Self {
        Request { run_in, ..self }
    }

    /// The run-in's lower-case letters as small capitals, its capitals as written.
    pub(crate) fn run_in_lower(self, run_in_lower: bool) -> Self {
        Request {
            run_in_lower,
            ..self
        }
    }

    /// Where words may break (hyphenated by default).
    pub(crate) fn words(self, words: WordBreaks) -> Self {
        Request { words, ..self }
    }

    /// The request with a finite measure of at least a point, and indents inside it.
    fn sanitized(&self) -> Self {
        let width = if self.width.is_finite() {
            self.width.max(1.0)
        } else {
            1.0e4
        };
        let inside = |x: f32| {
            if x.is_finite() {
                x.clamp(0.0, width)
            } else {
                0.0
            }
        };
        Request {
            width,
            indent: inside(self.indent),
            hang: Hang {
                lines: self.hang.lines,
                indent: inside(self.hang.indent),
            },
            ..*self
        }
    }

    /// The measure of line `n` (0-based).
    fn line_width(&self, n: usize) -> f32 {
        if n < self.hang.lines {
            self.width - self.hang.indent
        } else {
            self.width
        }
    }

    /// The narrowest room any word must fit: the first line's.
    fn narrowest(&self) -> f32 {
        if self.hang.lines > 0 {
            self.width - self.hang.indent
        } else {
            self.width - self.indent
        }
    }
}

/// Paragraphs of more bytes than this (thousands of words: a whole file without a blank
/// line) are set a stretch of about this many bytes at a time, ending at a space; see
/// [`TextContext::set`]. Far above any ordinary paragraph, which is set whole; small
/// enough that a stretch's items stay under the breaker's own window.
const STRETCH_BYTES: usize = 32 * 1024;

/// Lines at the end of a stretch that are set again with the next one.
const STRETCH_TAIL_LINES: usize = 12;

/// Where a stretch of about `size` bytes from `from` ends: at the first space or line end
/// after `from + size` (a word is never cut), or at the end of `text`.
fn stretch_end(text: &str, from: usize, size: usize) -> usize {
    let at = from.saturating_add(size);
    if at >= text.len() {
        return text.len();
    }
    text.as_bytes()[at..]
        .iter()
        .position(|&b| b == b' ' || b == b'\n')
        .map_or(text.len(), |k| at + k)
}

/// Hyphenation points of words, by word.
type WordPoints = HashMap<String, Arc<[Opportunity]>>;

/// Per-thread state for setting text: shaping cache, hyphenation dictionaries, warnings.
pub(crate) struct TextContext<'a> {
    pub fonts: &'a FontBook,
    pub style: &'a Style,
    /// Characters no font covers and similar problems, found while setting text.
    pub warnings: Vec<Diagnostic>,
    /// The file whose text is being set (an article) and its text, which the spans of
    /// the inlines index; warnings name the file, line and column. Set it with
    /// [`TextContext::set_source`] before setting an article's text.
    pub source: Option<PathBuf>,
    pub(super) source_text: Option<Arc<str>>,
    shaper: Shaper<'a>,
    /// Faces chosen for each query.
    selected: HashMap<FontQuery, Option<FontId>>,
    /// The first monospaced family among the style's (for code), if any.
    mono: Option<String>,
    /// Hyphenation points by language tag and whether the word is too wide for its
    /// column, then word.
    hyphens: HashMap<(String, bool), WordPoints>,
    /// Missing characters already reported, with the file they were found in, and the
    /// offset in the file the warning points at.
    reported: HashMap<(Option<PathBuf>, char), Option<usize>>,
    /// Phrase languages without hyphenation patterns already reported, per file.
    unknown_languages: std::collections::HashSet<(Option<PathBuf>, String)>,
}

impl<'a> TextContext<'a> {
    pub(crate) fn new(fonts: &'a FontBook, style: &'a Style) -> Self {
        TextContext::sharing(fonts, style, SharedShapes::default())
    }

    /// A context whose shaping results are shared with the others made with `shapes`
    /// (the threads laying out one edition).
    pub(crate) fn sharing(fonts: &'a FontBook, style: &'a Style, shapes: SharedShapes) -> Self {
        let mut ctx = TextContext {
            fonts,
            style,
            warnings: Vec::new(),
            source: None,
            source_text: None,
            shaper: Shaper::sharing(fonts, shapes),
            selected: HashMap::default(),
            mono: None,
            hyphens: HashMap::default(),
            reported: HashMap::default(),
            unknown_languages: std::collections::HashSet::new(),
        };
        ctx.mono = style
            .fonts
            .fallback
            .iter()
            .find(|family| {
                ctx.select(family, Weight::Regular, false)
                    .is_some_and(|id| fonts.get(id).is_monospaced())
            })
            .cloned();
        ctx
    }

    /// Names the file whose text comes next, with that text (for warnings); `None` for
    /// edition-level text.
    pub(crate) fn set_source(&mut self, source: Option<(PathBuf, Arc<str>)>) {
        (self.source, self.source_text) = source.unzip();
    }

    /// Sets a paragraph as `request` says: collect the inlines with their looks, prepare
    /// the breaker's items, break total-fit, and finalize the chosen lines. Body text is
    /// hyphenated by the request's language.
    pub(crate) fn set(&mut self, request: &Request) -> Vec<Line> {
        let request = request.sanitized();
        let para = self.collect(
            request.inlines,
            request.role,
            request.language,
            request.run_in,
            request.run_in_lower,
        );
        let rl = self.style.role_look(request.role);
        let justify = request.align == Align::Justify;
        let hanging = justify && self.style.justification.hanging_punctuation;

        let mut params = Params::for_measure(request.narrowest());
        params.max_consecutive_hyphens = self.style.hyphenation.max_consecutive.max(1);
        params.looseness = if justify { request.looseness } else { 0 };
        if justify {
            // Finalize spends a justified line's stretch on glue and glyphs alike.
            params.expansion = self.style.justification.glyph_expansion.max(0.0);
        } else {
            params.pretolerance = INFINITE;
            params.tolerance = INFINITE;
            params.max_ratio = f32::INFINITY;
            params.adj_demerits = 0.0;
            params.emergency_stretch = 0.0;
        }

        // A stretch at a time (the whole of any ordinary paragraph): prepared, broken
        // and finalized, then dropped, so shaped words and breaker items never take
        // more than one stretch's memory.
        let text = &para.text;
        let mut lines: Vec<Line> = Vec::new();
        let mut from = 0;
        let mut size = STRETCH_BYTES;
        loop {
            let to = stretch_end(text, from, size);
            let ends = to == text.len();
            let prepared = self.prepare(&para, &rl, &request, hanging, from..to);
            if prepared.words.is_empty() {
                return self.checked(&request, lines);
            }
            let first = lines.len();
            let sub = Params {
                // Looser or tighter by the paragraph's last stretch.
                looseness: if ends { params.looseness } else { 0 },
                no_hyphen_after: request
                    .no_hyphen_after
                    .iter()
                    .filter_map(|&n| n.checked_sub(first))
                    .collect(),
                ..params.clone()
            };
            let breaks =
                linebreak::break_lines(&prepared.items, &|n| request.line_width(first + n), &sub);
            if ends {
                lines.extend(
                    self.finalize(&para, &prepared, &breaks, &request, hanging, first, true),
                );
                return self.checked(&request, lines);
            }
            // Keep the lines before the last few (set again with the next stretch, so the
            // stretch's false end does not bind them), up to the last that ends between
            // words: the next stretch starts with a whole word.
            let kept = breaks[..breaks.len().saturating_sub(STRETCH_TAIL_LINES)]
                .iter()
                .rposition(|b| {
                    matches!(
                        prepared.infos[b.index],
                        prepare::Info::Space { .. } | prepare::Info::Forced
                    )
                });
            let next = kept.and_then(|k| {
                prepared.infos[breaks[k].index..]
                    .iter()
                    .find_map(|info| match info {
                        prepare::Info::Fragment { range, .. } => Some(range.start),
                        _ => None,
                    })
            });
            let (Some(k), Some(next)) = (kept, next) else {
                // Too few lines to keep any (words wider than the measure): a longer stretch.
                size = size.saturating_mul(2);
                continue;
            };
            lines.extend(self.finalize(
                &para,
                &prepared,
                &breaks[..=k],
                &request,
                hanging,
                first,
                false,
            ));
            from = next;
            size = STRETCH_BYTES;
        }
    }

    /// `lines`, once [`Self::check_overfull`] has looked at them.
    fn checked(&mut self, request: &Request, lines: Vec<Line>) -> Vec<Line> {
        self.check_overfull(request, &lines);
        lines
    }

    /// Warns, at the line's text, when a line stands more than an em past its measure:
    /// it holds a run the breaker found no break in, and part of it stands past the
    /// column's edge or off the page, where no reader sees it.
    /// Words kept whole ([`WordBreaks::Never`]) is a measurement, not a setting.
    fn check_overfull(&mut self, request: &Request, lines: &[Line]) {
        if request.words == WordBreaks::Never {
            return;
        }
        let (size, _) = self.style.size_and_leading(request.role);
        let Some((line, over)) = lines
            .iter()
            .enumerate()
            .map(|(n, l)| (l, l.width - request.line_width(n)))
            .find(|&(_, over)| over > size)
        else {
            return;
        };
        let mut d = Diagnostic::warning(format!(
            "a line is {over:.0} pt wider than its measure of {:.0} pt and runs past the \
             edge of its column: it holds a run of text with nowhere to break",
            request.width
        ))
        .with_hint("break the run with spaces, or allow breaks in it with soft hyphens (U+00AD) or zero-width spaces (U+200B)");
        if let Some(file) = &self.source {
            d = d.in_file(file);
        }
        let at = line.runs.first().and_then(|r| r.source);
        if let (Some(text), Some(at)) = (self.source_text.as_deref(), at)
            && at < text.len()
        {
            let end = text[at..].find('\n').map_or(text.len(), |e| at + e);
            d = d.at_range(text, at..end);
        }
        self.warnings.push(d);
    }

    /// Font size and leading of `role`, in points.
    pub(crate) fn size_and_leading(&self, role: Role) -> (f32, f32) {
        self.style.size_and_leading(role)
    }

    /// A fresh context with the same fonts and style, sharing this one's shaping results.
    pub(crate) fn fork(&self) -> Self {
        TextContext::sharing(self.fonts, self.style, self.shaper.shapes())
    }
}
