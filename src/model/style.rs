//! The resolved design of an edition: every length in PostScript points, every value checked.
//!
//! The loader turns a style file (`styles/<name>.toml`) into this; the PDF backend lays out
//! with it and the EPUB backend derives its stylesheet from the same values.

use std::collections::BTreeMap;
use std::path::PathBuf;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::canonical_combining_class;

/// Points per millimetre.
pub const PT_PER_MM: f32 = 72.0 / 25.4;

#[derive(Debug, Clone, PartialEq)]
/// The resolved style an edition is set in.
pub struct Style {
    /// The style's name (`magazine`) or file stem.
    pub name: String,
    /// The style file, when it came from disk (for messages); `None` for the built-in copy.
    pub source: Option<PathBuf>,
    /// Page size, margins and columns.
    pub page: Page,
    /// Families by role, and OpenType features.
    pub fonts: Fonts,
    /// Type sizes and leading.
    pub sizes: Sizes,
    /// The colours.
    pub colours: Colours,
    /// First-line indent of paragraphs that follow a paragraph, in em of the body size.
    pub indent_em: f32,
    /// Hyphenation limits.
    pub hyphenation: Hyphenation,
    /// Justification ranges and microtypography.
    pub justification: Justification,
    /// Open each article's first paragraph with a two-line initial.
    pub drop_caps: bool,
    /// Set an opening run-in written in capitals ("AUTHORITIES IN Kazakhstan") in small
    /// capitals (see [`run_in_caps`](crate::model::run_in_caps)).
    pub run_in_small_caps: bool,
    /// Set the first this many words of each article in small capitals (0: none),
    /// unless it opens with a run-in written in capitals.
    pub opening_small_caps: u32,
    /// How an article starts relative to the one before.
    pub article_start: ArticleStart,
    /// Where footnotes are set in the PDF.
    pub notes: NotePlace,
    /// The most articles the cover names (the cover story included).
    pub cover_lines: usize,
    /// The print PDF's settings.
    pub print: PrintSettings,
    /// Saddle-stitch imposition.
    pub imposition: Imposition,
}

/// The print PDF's settings (`[print]` in a style).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrintSettings {
    /// Build the print PDF too when no format is named on the command line.
    pub default: bool,
    /// Print the slug line (magazine, issue, page, date) outside the marks.
    pub slug_line: bool,
}

/// Saddle-stitch imposition settings.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Imposition {
    /// Creep per sheet, points: the pages of sheet k (0 = outermost) move k times this
    /// towards the fold.
    pub creep: f32,
}

/// Page geometry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Page {
    /// Trim size.
    pub width: f32,
    /// Trim height.
    pub height: f32,
    /// Margin above the text area.
    pub margin_top: f32,
    /// Margin below the text area.
    pub margin_bottom: f32,
    /// Margin at the spine.
    pub margin_inner: f32,
    /// Margin at the fore-edge.
    pub margin_outer: f32,
    /// Bleed beyond the trim on every side (print output only).
    pub bleed: f32,
    /// The safety margin inside the trim: text closer to the trim may be cut (checked by
    /// the print preflight only).
    pub safety: f32,
    /// Columns of the text area.
    pub columns: u32,
    /// Space between columns.
    pub gutter: f32,
}

impl Page {
    /// Width of the text area.
    pub fn text_width(&self) -> f32 {
        self.width - self.margin_inner - self.margin_outer
    }

    /// Width of one column.
    pub fn column_width(&self) -> f32 {
        let n = self.columns.max(1) as f32;
        (self.text_width() - self.gutter * (n - 1.0)) / n
    }

    /// Height of the text area.
    pub fn text_height(&self) -> f32 {
        self.height - self.margin_top - self.margin_bottom
    }
}

/// Font families by role, and OpenType features.
#[derive(Debug, Clone, PartialEq)]
pub struct Fonts {
    /// Body text family ("Libertinus Serif").
    pub body: String,
    /// Headlines, kickers, pull quotes.
    pub display: String,
    /// Families tried, in order, for characters the role's family lacks.
    pub fallback: Vec<String>,
    /// OpenType feature tags applied to body text (`onum`, `smcp`, ...).
    pub body_features: Vec<String>,
    /// OpenType feature tags applied to display text.
    pub display_features: Vec<String>,
}

/// Type sizes and leading, in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sizes {
    /// Body text size.
    pub body: f32,
    /// Body leading: the baseline grid.
    pub leading: f32,
    /// Article title size.
    pub title: f32,
    /// Article title leading.
    pub title_leading: f32,
    /// Kicker size.
    pub kicker: f32,
    /// Standfirst size.
    pub standfirst: f32,
    /// Standfirst leading.
    pub standfirst_leading: f32,
    /// Byline size.
    pub byline: f32,
    /// Subhead size.
    pub subhead: f32,
    /// Pull quote size.
    pub pullquote: f32,
    /// Pull quote leading.
    pub pullquote_leading: f32,
    /// Caption size.
    pub caption: f32,
    /// Footnote size.
    pub footnote: f32,
    /// Footnote leading.
    pub footnote_leading: f32,
    /// Running head size.
    pub running_head: f32,
    /// Folio (page number) size.
    pub folio: f32,
}

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb`.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
/// The colours of a style.
pub struct Colours {
    /// Body text.
    pub text: Rgb,
    /// Kickers, rules, pull quotes.
    pub accent: Rgb,
    /// Running heads, folios, captions.
    pub muted: Rgb,
}

#[derive(Debug, Clone, PartialEq)]
/// Hyphenation limits.
pub struct Hyphenation {
    /// Hyphenate at all.
    pub enabled: bool,
    /// Words shorter than this (in characters) are never hyphenated.
    pub min_word: usize,
    /// Characters that must stay before a break.
    pub min_before: usize,
    /// Characters that must go after a break.
    pub min_after: usize,
    /// Hyphenated lines allowed in a row.
    pub max_consecutive: usize,
    /// Cost of a break at a hyphenation point, in the breaker's units (TeX's
    /// `\hyphenpenalty`): higher means fewer hyphens and looser lines.
    pub penalty: f32,
    /// Hyphenate words that start with a capital letter: proper names, but also every
    /// word that opens a sentence (the two are not told apart).
    pub capitalised: bool,
    /// Words whose breaks are given rather than taken from the patterns.
    pub exceptions: HyphenExceptions,
}

/// Hyphenation exceptions: each word (lower-cased, NFC) and the only places it may break,
/// as the number of characters before each break; no breaks means "never break".
pub type HyphenExceptions = BTreeMap<String, Vec<usize>>;

/// Parses one exception as written (`Af-ghan-i-stan`, `beyond`): the word as a key of
/// [`HyphenExceptions`] and its breaks. The error says what is wrong with `written`.
pub fn parse_hyphen_exception(written: &str) -> Result<(String, Vec<usize>), String> {
    if written.is_empty() {
        return Err("an exception is empty".into());
    }
    let allowed = |c: char| {
        c.is_alphabetic()
            || c == '-'
            || c == '\''
            || c == '\u{2019}'
            || canonical_combining_class(c) != 0
    };
    if let Some(c) = written.chars().find(|c| !allowed(*c)) {
        let what = if c.is_whitespace() {
            "a space".to_string()
        } else {
            format!("`{c}`")
        };
        return Err(format!(
            "exception `{written}` holds {what}; write one word, with `-` at each allowed break"
        ));
    }
    let parts: Vec<&str> = written.split('-').collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err(format!(
            "exception `{written}`: each `-` must stand between two letters"
        ));
    }
    let mut word = String::new();
    let mut breaks = Vec::new();
    let mut count = 0;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            breaks.push(count);
        }
        for c in part.nfc().flat_map(char::to_lowercase) {
            word.push(c);
            count += 1;
        }
    }
    Ok((word, breaks))
}

/// Justification ranges and microtypography.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Justification {
    /// Word space as a fraction of the font's space: shrunk, natural and stretched.
    pub word_space_min: f32,
    /// Natural word space, as a fraction of the font's space.
    pub word_space_normal: f32,
    /// Largest word space, as a fraction of the font's space.
    pub word_space_max: f32,
    /// Largest letter-spacing added or removed per glyph gap, in em (0 disables).
    pub letter_space: f32,
    /// Largest horizontal glyph scaling, as a fraction (0.02 = ±2 %; 0 disables).
    pub glyph_expansion: f32,
    /// Let punctuation hang into the margin at line ends.
    pub hanging_punctuation: bool,
}

/// How an article starts relative to the previous one in the PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArticleStart {
    /// A new page, unless the article before would leave its last page less than a
    /// third full: then this one runs on below it and fills the page.
    Auto,
    /// Each article opens a new page.
    NewPage,
    /// The next right-hand (odd) page; a blank page is left before it when needed.
    Recto,
    /// The next left-hand (even) page, so the opening spans two facing pages.
    Spread,
    /// Articles follow each other, below a rule, when enough of the page is left.
    RunOn,
}

impl ArticleStart {
    /// The names written in styles and edition.toml, with their values.
    pub const NAMES: [(&'static str, ArticleStart); 5] = [
        ("auto", ArticleStart::Auto),
        ("new-page", ArticleStart::NewPage),
        ("recto", ArticleStart::Recto),
        ("spread", ArticleStart::Spread),
        ("run-on", ArticleStart::RunOn),
    ];

    /// The value written `name`.
    pub fn from_name(name: &str) -> Option<ArticleStart> {
        ArticleStart::NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|&(_, v)| v)
    }
}

/// Where the PDF sets footnotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotePlace {
    /// At the foot of the column of their reference.
    Column,
    /// After the article's text, as endnotes.
    End,
}

#[cfg(test)]
impl Style {
    /// A complete style for the model's tests, with the built-in magazine style's values.
    pub(crate) fn test_default() -> Style {
        Style {
            name: "test".into(),
            source: None,
            page: Page {
                width: 595.28,
                height: 841.89,
                margin_top: 51.02,
                margin_bottom: 42.52,
                margin_inner: 42.52,
                margin_outer: 42.52,
                bleed: 8.5,
                safety: 14.17,
                columns: 3,
                gutter: 14.17,
            },
            fonts: Fonts {
                body: "Libertinus Serif".into(),
                display: "Libertinus Serif".into(),
                fallback: vec!["New Computer Modern".into(), "DejaVu Sans Mono".into()],
                body_features: vec!["onum".into()],
                display_features: vec![],
            },
            sizes: Sizes {
                body: 9.5,
                leading: 11.5,
                title: 26.0,
                title_leading: 29.0,
                kicker: 8.5,
                standfirst: 12.0,
                standfirst_leading: 15.0,
                byline: 8.5,
                subhead: 10.5,
                pullquote: 16.0,
                pullquote_leading: 19.0,
                caption: 7.5,
                footnote: 7.5,
                footnote_leading: 9.0,
                running_head: 7.5,
                folio: 8.0,
            },
            colours: Colours {
                text: Rgb(0x1a, 0x1a, 0x1a),
                accent: Rgb(0xa3, 0x26, 0x2a),
                muted: Rgb(0x5f, 0x5f, 0x5f),
            },
            indent_em: 1.0,
            hyphenation: Hyphenation {
                enabled: true,
                min_word: 5,
                min_before: 2,
                min_after: 3,
                max_consecutive: 2,
                penalty: 100.0,
                capitalised: false,
                exceptions: HyphenExceptions::new(),
            },
            justification: Justification {
                word_space_min: 0.7,
                word_space_normal: 1.0,
                word_space_max: 1.6,
                letter_space: 0.025,
                glyph_expansion: 0.01,
                hanging_punctuation: true,
            },
            drop_caps: true,
            run_in_small_caps: true,
            opening_small_caps: 0,
            article_start: ArticleStart::NewPage,
            notes: NotePlace::Column,
            cover_lines: 4,
            print: PrintSettings {
                default: false,
                slug_line: true,
            },
            imposition: Imposition {
                creep: 0.1 * PT_PER_MM,
            },
        }
    }
}
