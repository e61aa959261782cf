//! The shared document model: Edition › Section › Article › Block › Inline.
//!
//! Plain data, built once by the loader and read by both backends. It imports nothing
//! else of ours, knows nothing of Markdown, PDF or EPUB, and holds validated values only:
//! paths are absolute and exist, images are decoded once, languages are checked tags.
//! Every block and inline of an article carries its [`Span`] in the article's file.

mod limits;
mod style;
mod typography;
mod wording;

pub use limits::*;
pub use style::*;
pub use typography::*;
pub use wording::*;

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

/// One issue of a magazine, ready for the backends.
#[derive(Debug, Clone)]
pub struct Edition {
    /// The `slug` of edition.toml, else the edition folder's name; names the outputs
    /// (`<slug>.pdf`, `<slug>.epub`).
    pub slug: String,
    /// The edition folder (absolute).
    pub root: PathBuf,
    /// Bibliographic data from `edition.toml`.
    pub meta: Metadata,
    /// The resolved style the edition is set in.
    pub style: Style,
    /// The cover image; `None` means the backends generate a typographic cover.
    pub cover: Option<Image>,
    /// Folders that may hold fonts for this edition, most specific first
    /// (`<edition>/fonts`, then the project's `fonts/`). Only existing folders are listed.
    pub font_dirs: Vec<PathBuf>,
    /// `--font-path` folders, after `font_dirs` and before the embedded fonts.
    pub font_paths: Vec<PathBuf>,
    /// Whether the system's fonts may provide families no other source has.
    pub system_fonts: bool,
    /// The size and length limits the edition was read under (fonts are read by layout).
    pub limits: Limits,
    /// The sections in reading order.
    pub sections: Vec<Section>,
    /// The articles the cover names, in the order it names them (the first is the cover
    /// story), as indexes into [`Edition::articles`]: `cover_lines` from `edition.toml`,
    /// else the first article of each section ([`section_leads`]); never more than the
    /// style's `cover_lines`. Both outputs name these and no others.
    pub cover_lines: Vec<usize>,
}

impl Edition {
    /// Every article in reading order, with the index of its section.
    pub fn articles(&self) -> impl Iterator<Item = (usize, &Article)> {
        self.sections
            .iter()
            .enumerate()
            .flat_map(|(i, s)| s.articles.iter().map(move |a| (i, a)))
    }

    /// The articles the cover names ([`Edition::cover_lines`]), with the index of their
    /// section; an index out of range is skipped.
    pub fn cover_articles(&self) -> Vec<(usize, &Article)> {
        let all: Vec<(usize, &Article)> = self.articles().collect();
        self.cover_lines
            .iter()
            .filter_map(|&i| all.get(i).copied())
            .collect()
    }
}

/// The default cover lines: the first article of each section, as indexes into
/// [`Edition::articles`], at most `max` of them.
pub fn section_leads(sections: &[Section], max: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut first = 0;
    for section in sections {
        if !section.articles.is_empty() {
            out.push(first);
        }
        first += section.articles.len();
    }
    out.truncate(max);
    out
}

/// Bibliographic data of the issue, as written in `edition.toml` and validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Metadata {
    /// The magazine's name.
    pub title: String,
    /// The issue label as printed ("42", "No. 7").
    pub issue: String,
    /// The issue as a number, when the label holds one; used as the series position.
    pub issue_number: Option<u32>,
    /// The volume the issue belongs to (`volume`), when given.
    pub volume: Option<u32>,
    /// Cover date.
    pub date: Date,
    /// The date as printed; defaults to a rendering of `date` in the edition's language.
    pub date_label: String,
    /// The edition's language; articles may have their own.
    pub language: Language,
    /// A second title line (shown under the magazine title).
    pub subtitle: Option<String>,
    /// The publisher, for the imprint and the metadata.
    pub publisher: Option<String>,
    /// The issue's editors, in the order given.
    pub editors: Vec<String>,
    /// Validated ISSN in the form `1234-567X`.
    pub issn: Option<String>,
    /// Given, or derived deterministically from title and issue (`urn:uuid:…`).
    pub identifier: String,
    /// A sentence or two about the issue, for the imprint and the metadata.
    pub description: Option<String>,
    /// Subject keywords, for the metadata.
    pub subjects: Vec<String>,
    /// A copyright or licence statement.
    pub rights: Option<String>,
    /// Who certified the EPUB's accessibility (`accessibility_certifier`), when named.
    pub certified_by: Option<String>,
    /// The edition's revision: 1 as first published, raised for each corrected reissue.
    pub revision: u32,
    /// When this build is made, in seconds since 1970 (UTC), from `SOURCE_DATE_EPOCH`;
    /// `None` when it is not set (the edition's date stands for it).
    pub source_date: Option<i64>,
}

/// A calendar date (ISO 8601).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// The year, e.g. 2026.
    pub year: u16,
    /// The month, 1 to 12.
    pub month: u8,
    /// The day of the month, from 1.
    pub day: u8,
}

impl Metadata {
    /// When this edition was last modified, as (year, month, day, hour, minute, second)
    /// UTC: the build time from `SOURCE_DATE_EPOCH` when set, otherwise the edition date,
    /// one second later for each revision after the first, so a reissue always carries a
    /// later date than the edition it corrects. Both outputs print this date.
    pub fn modified(&self) -> (u16, u8, u8, u8, u8, u8) {
        match self.source_date {
            Some(seconds) => utc(seconds),
            None => {
                let extra = self.revision.saturating_sub(1).min(86_399);
                (
                    self.date.year,
                    self.date.month,
                    self.date.day,
                    (extra / 3600) as u8,
                    (extra / 60 % 60) as u8,
                    (extra % 60) as u8,
                )
            }
        }
    }
}

/// Seconds since 1970-01-01 UTC as a civil date and time (proleptic Gregorian).
fn utc(seconds: i64) -> (u16, u8, u8, u8, u8, u8) {
    let (days, rest) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        year.clamp(0, 9999) as u16,
        month as u8,
        day as u8,
        (rest / 3600) as u8,
        (rest / 60 % 60) as u8,
        (rest % 60) as u8,
    )
}

impl Date {
    /// `YYYY-MM-DD`.
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A validated BCP 47 language tag, kept as written (`en-GB`, `de`, `en-US`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Language(pub String);

impl Language {
    /// The tag as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The primary language subtag in lower case (`en` for `en-GB`).
    pub fn primary(&self) -> String {
        self.0.split('-').next().unwrap_or("").to_ascii_lowercase()
    }

    /// The region subtag in upper case, when present (`GB` for `en-GB`).
    pub fn region(&self) -> Option<String> {
        self.0
            .split('-')
            .skip(1)
            .find(|s| s.len() == 2 && s.chars().all(|c| c.is_ascii_alphabetic()))
            .map(|s| s.to_ascii_uppercase())
    }
}

/// A named group of articles ("Features", "Reviews").
#[derive(Debug, Clone)]
pub struct Section {
    /// The section title as printed; may be empty (articles then stand alone).
    pub title: String,
    /// Its articles in reading order.
    pub articles: Vec<Article>,
    /// How its articles start in the PDF, when the section says (else the style's).
    pub article_start: Option<ArticleStart>,
}

/// Where the author line stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BylinePosition {
    #[default]
    /// Under the head, before the body.
    Top,
    /// At the end of the body, flush right.
    End,
}

/// One article: its head (kicker, title, standfirst, byline) and body.
#[derive(Debug, Clone)]
pub struct Article {
    /// Stable id derived from the file name (`first` for `articles/first.md`); unique
    /// within the edition; used for EPUB file names and PDF link targets.
    pub id: String,
    /// The Markdown file (absolute).
    pub source: PathBuf,
    /// The file's text as read, front matter included. Every [`Span`] of the article
    /// indexes it; backends turn spans into the file's line and column for warnings.
    pub text: Arc<str>,
    /// The title as printed.
    pub title: String,
    /// A short label above the title.
    pub kicker: Option<String>,
    /// The introduction under the title.
    pub standfirst: Option<String>,
    /// The authors in the order given.
    pub authors: Vec<String>,
    /// Where the front matter values above are written.
    pub front: FrontSpans,
    /// Whether the byline stands under the head or at the end.
    pub byline: BylinePosition,
    /// The article's language: its own, or the edition's.
    pub language: Language,
    /// The body.
    pub blocks: Vec<Block>,
    /// Footnotes numbered 1.. in order of first reference.
    pub footnotes: Vec<Footnote>,
    /// Links whose target is not kept (see [`link_allowed`]), in file order: their text
    /// is in the body as plain text, and both backends warn about each.
    pub refused_links: Vec<RefusedLink>,
}

/// A link set as plain text because its scheme is not kept (`javascript:`, `data:`…).
#[derive(Debug, Clone, PartialEq)]
pub struct RefusedLink {
    /// The target as written.
    pub url: String,
    /// Where the link is written.
    pub span: Span,
}

/// The schemes a link may have; both outputs keep these and links without a scheme.
pub const LINK_SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// The scheme of `url` as a reader would see it (`None` for a relative link): leading
/// spaces and control characters are skipped and tabs and newlines inside it dropped,
/// as browsers do, so `" java\tscript:"` is `javascript`. A colon before the first `/`,
/// `?` or `#` makes the text before it a scheme, even one with characters no scheme may
/// have (such a link is refused, not read as a path).
pub fn link_scheme(url: &str) -> Option<String> {
    let url = url.trim_start_matches(|c: char| c <= ' ' || c == '\u{7f}');
    let head = &url[..url.find(['/', '?', '#']).unwrap_or(url.len())];
    let colon = head.find(':')?;
    Some(
        head[..colon]
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .collect::<String>()
            .to_ascii_lowercase(),
    )
}

/// Whether a link is kept: an `http:`, `https:` or `mailto:` URL (in any case), or a link
/// without a scheme (to another article or a heading, resolved by each output). A link
/// that starts with `//` or `\` (another host without a scheme) is refused too.
pub fn link_allowed(url: &str) -> bool {
    match link_scheme(url) {
        Some(scheme) => LINK_SCHEMES.contains(&scheme.as_str()),
        None => {
            let url = url.trim_start_matches(|c: char| c <= ' ' || c == '\u{7f}');
            !(url.starts_with("//") || url.starts_with('\\') || url.starts_with("/\\"))
        }
    }
}

/// Whether `url` opens outside the edition (an allowed scheme): the PDF makes these, and
/// only these, into URI actions.
pub fn link_is_web(url: &str) -> bool {
    link_scheme(url).is_some_and(|s| LINK_SCHEMES.contains(&s.as_str())) && link_allowed(url)
}

/// Where each front matter value of an [`Article`] is written in its file: the value
/// itself (inside its quotes when quoted), not its key. A value that is absent, or whose
/// place the front matter parser could not give, has the empty span.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrontSpans {
    /// The title value.
    pub title: Span,
    /// The kicker value (empty when there is none).
    pub kicker: Span,
    /// The standfirst value (empty when there is none).
    pub standfirst: Span,
    /// One per name of [`Article::authors`], in the same order.
    pub authors: Vec<Span>,
}

/// Where a node of the model was written: the byte range `start..end` of its article's
/// file ([`Article::text`], front matter included), markup included (a link's span
/// covers `[text](url)`, a heading's its `##`).
///
/// The text of a node may differ from the source its span covers (entities resolved,
/// quotes made typographic, soft breaks made spaces), so a position inside a node's text
/// maps to the same offset inside its span only where the two agree.
///
/// Every node parsed from a file has a non-empty span. The empty span at 0,
/// `Span::default()`, points nowhere: it is the span of text a backend makes up (a list
/// marker, a footnote number) and of models built by hand, and no warning points at it.
///
/// Spans take part in equality: two models are equal only when they were written at the
/// same places. Tests that compare the shape of a model clear the spans first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Span {
    /// The first byte.
    pub start: usize,
    /// The byte after the last.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (an `end` before `start` gives an empty span).
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start,
            end: end.max(start),
        }
    }

    /// The byte range of the span.
    pub fn range(self) -> Range<usize> {
        self.start..self.end
    }

    /// Its length in bytes.
    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// True for the span that points nowhere (and for any other empty one).
    pub fn is_empty(self) -> bool {
        self.start >= self.end
    }

    /// The smallest span covering both; an empty span adds nothing.
    pub fn join(self, other: Span) -> Span {
        match (self.is_empty(), other.is_empty()) {
            (true, _) => other,
            (_, true) => self,
            _ => Span::new(self.start.min(other.start), self.end.max(other.end)),
        }
    }
}

impl From<Range<usize>> for Span {
    fn from(range: Range<usize>) -> Span {
        Span::new(range.start, range.end)
    }
}

/// A footnote; `number` is what the reference shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Footnote {
    /// The number the reference shows.
    pub number: u32,
    /// The note's text.
    pub blocks: Vec<Block>,
}

/// A block and where it was written: a paragraph's span covers its lines, a figure's
/// the image's Markdown, a pull quote's the whole block quote.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// What the block is.
    pub kind: BlockKind,
    /// Where it is written.
    pub span: Span,
}

impl Block {
    /// A block of `kind` written at `span`.
    pub fn new(kind: BlockKind, span: Span) -> Block {
        Block { kind, span }
    }
}

/// A block with the empty span: for blocks made by hand.
impl From<BlockKind> for Block {
    fn from(kind: BlockKind) -> Block {
        Block::new(kind, Span::default())
    }
}

/// Block-level content.
#[derive(Debug, Clone, PartialEq)]
pub enum BlockKind {
    /// A paragraph.
    Paragraph(Vec<Inline>),
    /// A subhead inside an article; `level` is 2..=6 (the article title is level 1).
    Heading {
        /// The heading level, 2 to 6.
        level: u8,
        /// The heading's text.
        content: Vec<Inline>,
        /// From a `{#id}` heading attribute; otherwise derived by the backends if needed.
        id: Option<String>,
    },
    /// A bulleted or numbered list.
    List(List),
    /// A block quote.
    Quote(Vec<Block>),
    /// A `> [!PULLQUOTE]` block quote: display type in the PDF, `aside` in the EPUB.
    PullQuote(Vec<Inline>),
    /// An image with its caption.
    Figure(Figure),
    /// A table.
    Table(Table),
    /// A fenced or indented code block, kept as written.
    CodeBlock {
        /// The language named after the fence, if any.
        language: Option<String>,
        /// The code, lines joined with `\n`.
        text: String,
    },
    /// A thematic break.
    Rule,
}

#[derive(Debug, Clone, PartialEq)]
/// A list and its items.
pub struct List {
    /// `Some(first number)` for an ordered list.
    pub start: Option<u64>,
    /// Each item is a list of blocks.
    pub items: Vec<Vec<Block>>,
}

#[derive(Debug, Clone, PartialEq)]
/// An image standing on its own, with a caption.
pub struct Figure {
    /// The image.
    pub image: Image,
    /// From the Markdown image title; empty when none was given. Its text has the
    /// image's span (the title's own place is not known).
    pub caption: Vec<Inline>,
    /// How many columns of a printed page it spans (`{span=…}` after the image).
    pub span: FigureSpan,
    /// Where a figure that spans columns goes on its page (`{place=…}`).
    pub place: FigurePlace,
}

/// The width of a figure on a page of columns. Outputs without columns (the EPUB) may
/// ignore it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FigureSpan {
    /// One column, in the flow of the text (the default).
    #[default]
    Column,
    /// This many columns (2 or more), or all of them when the page has fewer.
    Columns(u8),
    /// The whole text width.
    Full,
}

impl FigureSpan {
    /// Columns covered on a page of `columns` columns.
    pub fn columns(self, columns: usize) -> usize {
        match self {
            FigureSpan::Column => 1,
            FigureSpan::Columns(k) => usize::from(k).clamp(1, columns.max(1)),
            FigureSpan::Full => columns.max(1),
        }
    }
}

/// Where a figure that spans columns is placed on its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FigurePlace {
    /// At the top of the columns (the default).
    #[default]
    Top,
    /// At the foot of the text area.
    Bottom,
}

#[derive(Debug, Clone, PartialEq, Eq, Copy)]
/// A table column's alignment, as written in the delimiter row.
pub enum Alignment {
    /// No alignment given.
    None,
    /// Flush left.
    Left,
    /// Centred.
    Center,
    /// Flush right.
    Right,
}

/// A table; each cell is its inlines, which carry their spans (an empty cell has none).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// One alignment per column.
    pub alignments: Vec<Alignment>,
    /// The header row: one cell per column.
    pub header: Vec<Vec<Inline>>,
    /// The body rows, each a list of cells.
    pub rows: Vec<Vec<Vec<Inline>>>,
}

/// An inline and where it was written: a text run's span runs from its first source
/// character to its last (adjacent runs are merged, spans too), an emphasis's covers its
/// markers, a footnote reference's its `[^label]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Inline {
    /// What the inline is.
    pub kind: InlineKind,
    /// Where it is written.
    pub span: Span,
}

impl Inline {
    /// An inline of `kind` written at `span`.
    pub fn new(kind: InlineKind, span: Span) -> Inline {
        Inline { kind, span }
    }

    /// A text run written at `span`.
    pub fn text(text: impl Into<String>, span: Span) -> Inline {
        Inline::new(InlineKind::Text(text.into()), span)
    }

    /// The plain text of a run of inlines (footnote references and breaks dropped).
    pub fn plain_text(inlines: &[Inline]) -> String {
        let mut out = String::new();
        fn walk(inlines: &[Inline], out: &mut String) {
            for inline in inlines {
                match &inline.kind {
                    InlineKind::Text(t) | InlineKind::Code(t) => out.push_str(t),
                    InlineKind::Emphasis(c)
                    | InlineKind::Strong(c)
                    | InlineKind::Strikethrough(c)
                    | InlineKind::Lang { content: c, .. }
                    | InlineKind::Link { content: c, .. } => walk(c, out),
                    InlineKind::FootnoteRef(_) => {}
                    InlineKind::LineBreak => out.push(' '),
                }
            }
        }
        walk(inlines, &mut out);
        out
    }
}

/// An inline with the empty span: for text a backend makes up, and models made by hand.
impl From<InlineKind> for Inline {
    fn from(kind: InlineKind) -> Inline {
        Inline::new(kind, Span::default())
    }
}

/// Inline content. Adjacent `Text` runs are merged; soft breaks become spaces; a soft
/// hyphen (U+00AD) stays in the text as an allowed break.
#[derive(Debug, Clone, PartialEq)]
pub enum InlineKind {
    /// Plain text.
    Text(String),
    /// Emphasised (italic) text.
    Emphasis(Vec<Inline>),
    /// Strong (bold) text.
    Strong(Vec<Inline>),
    /// Struck-through text.
    Strikethrough(Vec<Inline>),
    /// Inline code, kept as written.
    Code(String),
    /// A link around some text.
    Link {
        /// The target as written (checked by the backends).
        url: String,
        /// The link's text.
        content: Vec<Inline>,
    },
    /// A reference to footnote `number` of the same article.
    FootnoteRef(u32),
    /// A hard line break.
    LineBreak,
    /// A phrase in another language than its article's (`[Weltschmerz]{lang=de}`): both
    /// outputs set it in that language (hyphenation, quotation marks, the `lang` the
    /// EPUB writes).
    Lang {
        /// The phrase's language.
        lang: Language,
        /// The phrase.
        content: Vec<Inline>,
    },
}

/// Where a page of the print edition begins, in terms of the model: what the layout
/// tells the EPUB writer so that it can mark the printed pages (its page list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageBreak {
    /// The folio as printed ("7").
    pub label: String,
    /// Where the page's content begins.
    pub at: PageStart,
}

/// Where a printed page's content begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStart {
    /// The cover.
    Cover,
    /// The contents (the front pages after the cover).
    Contents,
    /// The head of article `article` (an index into [`Edition::articles`]).
    Article(usize),
    /// Inside article `article`: the character written at byte `offset` of its file
    /// ([`Article::text`]), which lies inside the span of one of its text inlines.
    Text {
        /// Index into [`Edition::articles`].
        article: usize,
        /// Byte offset into the article's file.
        offset: usize,
    },
}

/// Raster image formats the backends can embed without re-encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    /// JPEG (`.jpg`, `.jpeg`).
    Jpeg,
    /// PNG.
    Png,
}

impl ImageFormat {
    /// The media type (`image/jpeg`).
    pub fn mime(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Png => "image/png",
        }
    }

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "jpg",
            ImageFormat::Png => "png",
        }
    }
}

/// A checked, decodable image and its bytes as found on disk.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    /// Absolute path of the file.
    pub path: PathBuf,
    /// The path as written, relative to the edition folder, with `/` separators.
    pub rel_path: String,
    /// Required for article images; empty for the cover.
    pub alt: String,
    /// How the bytes are encoded.
    pub format: ImageFormat,
    /// Width in pixels.
    pub width_px: u32,
    /// Height in pixels.
    pub height_px: u32,
    /// The file's bytes, shared by both backends.
    pub data: Arc<Vec<u8>>,
}

/// `blocks` with every span cleared, for tests that compare the shape of a model.
#[cfg(test)]
pub(crate) fn without_spans(blocks: &[Block]) -> Vec<Block> {
    fn clear_blocks(blocks: &mut [Block]) {
        for block in blocks {
            block.span = Span::default();
            match &mut block.kind {
                BlockKind::Paragraph(i)
                | BlockKind::PullQuote(i)
                | BlockKind::Heading { content: i, .. } => clear_inlines(i),
                BlockKind::List(list) => list.items.iter_mut().for_each(|i| clear_blocks(i)),
                BlockKind::Quote(inner) => clear_blocks(inner),
                BlockKind::Figure(f) => clear_inlines(&mut f.caption),
                BlockKind::Table(t) => t
                    .header
                    .iter_mut()
                    .chain(t.rows.iter_mut().flatten())
                    .for_each(|c| clear_inlines(c)),
                BlockKind::CodeBlock { .. } | BlockKind::Rule => {}
            }
        }
    }
    fn clear_inlines(inlines: &mut [Inline]) {
        for inline in inlines {
            inline.span = Span::default();
            if let InlineKind::Emphasis(c)
            | InlineKind::Strong(c)
            | InlineKind::Strikethrough(c)
            | InlineKind::Lang { content: c, .. }
            | InlineKind::Link { content: c, .. } = &mut inline.kind
            {
                clear_inlines(c);
            }
        }
    }
    let mut blocks = blocks.to_vec();
    clear_blocks(&mut blocks);
    blocks
}

#[cfg(test)]
mod link_tests {
    use super::{link_allowed, link_is_web};

    #[test]
    fn schemes_are_read_as_a_browser_reads_them() {
        for ok in [
            "https://example.org",
            "HTTP://example.org",
            "mailto:a@example.org",
            "MailTo:a@example.org",
            "other.md",
            "other.md#id",
            "#id",
            "dir/a:b.md",
            "",
        ] {
            assert!(link_allowed(ok), "{ok:?} refused");
        }
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " \u{1}javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "vbscript:x",
            "data:text/html,x",
            "file:///etc/passwd",
            "FILE:c:/x",
            "c:\\windows",
            "java script:x",
            "%6aavascript:x",
            "//evil.example/",
            "\\\\server\\share",
            "/\\evil.example",
            "ftp://example.org",
            "https\u{0}:x",
        ] {
            assert!(!link_allowed(bad), "{bad:?} kept");
        }
    }

    #[test]
    fn only_allowed_schemes_are_web_links() {
        assert!(link_is_web("https://example.org"));
        assert!(link_is_web("mailto:a@example.org"));
        assert!(!link_is_web("other.md"));
        assert!(!link_is_web("#id"));
        assert!(!link_is_web("javascript:x"));
    }
}

#[cfg(test)]
mod modified_tests {
    #[test]
    fn epoch_seconds_become_utc_dates() {
        assert_eq!(super::utc(0), (1970, 1, 1, 0, 0, 0));
        assert_eq!(super::utc(951_782_400), (2000, 2, 29, 0, 0, 0));
        assert_eq!(super::utc(1_793_491_261), (2026, 11, 1, 0, 1, 1));
    }
}
