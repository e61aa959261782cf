//! Paragraphs to lines: resolve each inline's role to a face and size, shape words,
//! find hyphenation points, build line-breaker items, run the breaker and justify the
//! chosen lines into positioned glyph runs.

use crate::diag::Diagnostic;
use crate::model::{Inline, Language, Style};
use crate::pdf::font::FontBook;
use crate::pdf::frame::TextRun;

/// What a piece of text is; decides family, weight, size, leading, colour and features.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Body,
    Title,
    Kicker,
    Standfirst,
    Byline,
    Subhead,
    PullQuote,
    Caption,
    Footnote,
    RunningHead,
    Folio,
    TableCell,
    TableHeader,
    Code,
    ContentsEntry,
    CoverTitle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Justify,
    Left,
    Center,
    Right,
}

/// A link area inside a line.
#[derive(Debug, Clone, PartialEq)]
pub struct LineLink {
    pub x: f32,
    pub width: f32,
    pub url: String,
}

/// One set line. Runs are positioned relative to the line's origin (x = 0 at the column's
/// left edge, y = 0 on the baseline).
#[derive(Debug, Clone)]
pub struct Line {
    pub runs: Vec<TextRun>,
    pub links: Vec<LineLink>,
    /// Width of the content (without hanging punctuation).
    pub width: f32,
    /// Largest ascent and descent of the line's glyphs (descent positive, below baseline).
    pub ascent: f32,
    pub descent: f32,
    /// The line ends with an inserted hyphen.
    pub hyphenated: bool,
}

/// Per-thread state for setting text: shaping cache, hyphenation dictionaries, warnings.
pub struct TextContext<'a> {
    pub fonts: &'a FontBook,
    pub style: &'a Style,
    /// Characters no font covers and similar problems, found while setting text.
    pub warnings: Vec<Diagnostic>,
}

impl<'a> TextContext<'a> {
    pub fn new(fonts: &'a FontBook, style: &'a Style) -> Self {
        TextContext {
            fonts,
            style,
            warnings: Vec::new(),
        }
    }

    /// Sets `inlines` in `role` into lines of `width` points. `indent` is the first
    /// line's indent in points. Body text is hyphenated by `language` and broken total-fit.
    pub fn set(
        &mut self,
        inlines: &[Inline],
        role: Role,
        language: &Language,
        width: f32,
        align: Align,
        indent: f32,
    ) -> Vec<Line> {
        let _ = (inlines, role, language, width, align, indent);
        todo!("setting text")
    }

    /// Font size and leading of `role`, in points.
    pub fn size_and_leading(&self, role: Role) -> (f32, f32) {
        let _ = role;
        todo!("roles")
    }
}
