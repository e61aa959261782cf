//! Laid-out pages: positioned glyph runs, rules, images and links. Plain data between
//! layout (which makes it) and the writers (which turn it into PDF, or later into page
//! previews). Points, origin at the top left of the trim box, y growing downwards.

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use crate::model::{Image, Rgb};

/// A laid-out edition: its pages, bookmarks, metadata and the font faces its text uses.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// The pages in order.
    pub pages: Vec<Page>,
    /// Nested bookmarks (sections › articles).
    pub outline: Vec<OutlineEntry>,
    /// Document metadata.
    pub meta: DocMeta,
    /// The faces text runs point at, indexed by [`FontId`].
    pub fonts: Vec<FontFace>,
    /// How each article was made up, in reading order.
    pub fits: Vec<ArticleFit>,
    /// The logical structure (cover, contents, one part per article), in reading order;
    /// text runs, images and links point into it with a [`NodeId`].
    pub structure: Vec<StructPart>,
}

/// A structure node: `part` indexes [`Document::structure`], `index` that part's
/// [`StructPart::nodes`].
///
/// How the structure is kept: layout gives every text run, image and link that belongs
/// to the content a node (`node: Some(..)`); whatever has none (running heads, folios,
/// rules, tints) is page furniture, which a tagged PDF marks as an artifact. Nodes are
/// numbered per part in the order layout makes them, which is the reading order of an
/// article's blocks, so a piece of a paragraph keeps its node wherever the flow moves it
/// (another column, another page), and setting an article again yields the same
/// numbers. A writer reads the content of one node in page order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId {
    /// Index of the part in [`Document::structure`].
    pub part: u32,
    /// Index of the node in the part's nodes.
    pub index: u32,
}

/// A top-level part of the document: the cover, the contents or one article.
#[derive(Debug, Clone, PartialEq)]
pub struct StructPart {
    /// What the part is.
    pub kind: PartKind,
    /// Its language (BCP 47) when it differs from the edition's.
    pub lang: Option<String>,
    /// Its nodes, parents before their children, siblings in reading order.
    pub nodes: Vec<StructNode>,
}

/// The kind of a [`StructPart`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    /// The cover (a section of its own).
    Cover,
    /// The table of contents.
    Contents,
    /// An article.
    Article,
}

/// One logical element of a part.
#[derive(Debug, Clone, PartialEq)]
pub struct StructNode {
    /// What it is.
    pub kind: NodeKind,
    /// Its parent in the part (`None`: directly under the part).
    pub parent: Option<u32>,
    /// A description in words: the alternative text of a figure, the text of a heading.
    pub alt: Option<String>,
}

/// The kind of a [`StructNode`]; the names follow PDF's standard structure types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// A heading, level 1 (an article's title) to 6.
    Heading(u8),
    /// A paragraph (also kickers, standfirsts, bylines, cover lines).
    Paragraph,
    /// A list, numbered or not.
    List {
        /// The items are numbered.
        numbered: bool,
    },
    /// A list item (a label and a body).
    ListItem,
    /// A list item's bullet or number.
    Label,
    /// A list item's content.
    ListBody,
    /// A table.
    Table,
    /// A table row.
    Row,
    /// A header cell.
    HeaderCell,
    /// A data cell.
    Cell,
    /// A figure (its alternative text in [`StructNode::alt`]).
    Figure,
    /// A figure's caption.
    Caption,
    /// A footnote or endnote.
    Note,
    /// A pull quote: text repeated from the article, set apart.
    Aside,
    /// A block quotation.
    BlockQuote,
    /// Code.
    Code,
}

/// The nodes of one part as layout makes them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NodeList {
    /// The part these nodes belong to.
    pub part: u32,
    /// The nodes so far.
    pub nodes: Vec<StructNode>,
}

impl NodeList {
    /// An empty list for part `part`.
    pub fn new(part: u32) -> Self {
        NodeList {
            part,
            nodes: Vec::new(),
        }
    }

    /// Adds a node under `parent` (a node of this part, or the part itself).
    pub fn add(&mut self, kind: NodeKind, parent: Option<NodeId>) -> NodeId {
        self.nodes.push(StructNode {
            kind,
            parent: parent.map(|p| p.index),
            alt: None,
        });
        NodeId {
            part: self.part,
            index: self.nodes.len() as u32 - 1,
        }
    }

    /// Sets the description of `node`.
    pub fn set_alt(&mut self, node: NodeId, alt: String) {
        if let Some(n) = self.nodes.get_mut(node.index as usize) {
            n.alt = Some(alt);
        }
    }
}

/// Gives every text run, image and link in `items` that has no node yet the node
/// `node` (inner blocks are tagged first; their container takes what is left).
pub fn tag_items(items: &mut [Item], node: NodeId) {
    for item in items {
        let slot = match item {
            Item::Text(run) => &mut run.node,
            Item::Image { node, .. } | Item::Link { node, .. } => node,
            Item::Rect { .. } | Item::Clip { .. } | Item::EndClip => continue,
        };
        if slot.is_none() {
            *slot = Some(node);
        }
    }
}

/// How an article was made up: where it starts, how full its last page is and which
/// paragraphs were set a line longer or shorter to make its pages.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleFit {
    /// The article's file.
    pub source: std::path::PathBuf,
    /// Its first page (1 = the cover) and how many pages it takes.
    pub first_page: usize,
    /// Pages from its first to its last, both included.
    pub pages: usize,
    /// It starts below the article before, on that article's last page.
    pub runs_on: bool,
    /// How full its last page is: the mean depth of the columns, 0 to 1.
    pub last_page_fill: f32,
    /// Grid lines of its text on its last page, all columns together.
    pub last_page_lines: u32,
    /// Grid lines its last page could still take.
    pub lines_short_of_full_page: u32,
    /// Paragraphs set again: the line each starts on in the article's file, and the
    /// lines it gained (+1) or lost (-1).
    pub reset: Vec<(usize, i32)>,
    /// Its last page is still less than a third full and no article fills it.
    pub stranded: bool,
}

/// Index of a font face in [`Document::fonts`] (and in layout's font book, whose order
/// it keeps).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FontId(pub u16);

/// A font face as a writer needs it: the file's bytes, the face's index in the file and
/// its family name (for messages).
#[derive(Clone)]
pub struct FontFace {
    /// The font file's bytes (shared, not copied).
    pub data: Arc<dyn AsRef<[u8]> + Send + Sync>,
    /// The face's index in a collection file (0 for a single face).
    pub index: u32,
    /// The family name, for messages.
    pub family: String,
    /// The font file, for messages; `None` for a face built into quire.
    pub path: Option<PathBuf>,
}

impl FontFace {
    /// The font file's bytes.
    pub fn bytes(&self) -> &[u8] {
        (*self.data).as_ref()
    }
}

impl fmt::Debug for FontFace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FontFace")
            .field("family", &self.family)
            .field("index", &self.index)
            .field("bytes", &self.bytes().len())
            .finish()
    }
}

#[derive(Debug, Clone, Default)]
/// Document metadata, for the Info dictionary and XMP.
pub struct DocMeta {
    /// The document title.
    pub title: String,
    /// The contributors, in reading order.
    pub authors: Vec<String>,
    /// A description of the issue.
    pub subject: Option<String>,
    /// Subject keywords.
    pub keywords: Vec<String>,
    /// BCP 47 tag.
    pub language: String,
    /// `(year, month, day)` of the edition: the creation date.
    pub date: (u16, u8, u8),
    /// The modification date, UTC `(year, month, day, hour, minute, second)`: when a
    /// corrected reissue was made (`SOURCE_DATE_EPOCH`), else the edition's date with the
    /// revision less one as seconds past midnight, so that each revision is later than
    /// the last. `None`: the edition's date.
    pub modified: Option<(u16, u8, u8, u8, u8, u8)>,
    /// The edition's revision, from 1.
    pub revision: u32,
    /// The issue as printed ("17").
    pub issue: String,
    /// The volume the issue belongs to, when the edition names one.
    pub volume: Option<u32>,
    /// The publisher.
    pub publisher: Option<String>,
    /// The magazine's ISSN (`1234-567X`).
    pub issn: Option<String>,
    /// The copyright or licence statement.
    pub rights: Option<String>,
}

#[derive(Debug, Clone)]
/// One bookmark.
pub struct OutlineEntry {
    /// The title shown.
    pub title: String,
    /// 0-based page index the entry opens.
    pub page: usize,
    /// Position on that page (y from the top).
    pub y: f32,
    /// Nested bookmarks.
    pub children: Vec<OutlineEntry>,
}

#[derive(Debug, Clone)]
/// One laid-out page.
pub struct Page {
    /// Trim width, points.
    pub width: f32,
    /// Trim height, points.
    pub height: f32,
    /// The label shown by viewers, the same as the printed folio ("3").
    pub label: PageLabel,
    /// What is drawn, in painting order.
    pub items: Vec<Item>,
}

/// A page's label: its number and the numeral style. quire's layout labels every page
/// `Arabic` with its physical page number, counting the cover as 1; writers also accept
/// `Roman` labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageLabel {
    /// A prefix-free lower-case roman numeral (not used by quire's own layout).
    Roman(u32),
    /// An arabic numeral: quire numbers every page so, from 1 for the cover.
    Arabic(u32),
}

impl PageLabel {
    /// The label as printed: "iv" or "12".
    pub fn text(self) -> String {
        match self {
            PageLabel::Roman(n) => roman(n),
            PageLabel::Arabic(n) => n.to_string(),
        }
    }
}

/// Lower-case roman numeral.
fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for (value, digits) in TABLE {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

#[derive(Debug, Clone)]
/// Something drawn on a page.
pub enum Item {
    /// A run of glyphs.
    Text(TextRun),
    /// A filled rectangle (rules, colour blocks).
    Rect {
        /// Left edge, points.
        x: f32,
        /// Top edge, points.
        y: f32,
        /// Width, points.
        width: f32,
        /// Height, points.
        height: f32,
        /// Fill colour.
        colour: Rgb,
    },
    /// An image scaled into the box.
    Image {
        /// Left edge, points.
        x: f32,
        /// Top edge, points.
        y: f32,
        /// Width, points.
        width: f32,
        /// Height, points.
        height: f32,
        /// The image, drawn as its file gives it (JPEG passed through).
        image: Image,
        /// The figure it shows (`None`: decoration, an artifact).
        node: Option<NodeId>,
    },
    /// Clips what is drawn after it, up to its matching [`Item::EndClip`], to a rectangle
    /// (pairs nest). Used by imposition to keep each page's items on its own page.
    Clip {
        /// Left edge, points.
        x: f32,
        /// Top edge, points.
        y: f32,
        /// Width, points.
        width: f32,
        /// Height, points.
        height: f32,
    },
    /// Ends the innermost [`Item::Clip`].
    EndClip,
    /// A clickable area.
    Link {
        /// Left edge, points.
        x: f32,
        /// Top edge, points.
        y: f32,
        /// Width, points.
        width: f32,
        /// Height, points.
        height: f32,
        /// Where the link goes.
        target: LinkTarget,
        /// The element whose text it covers.
        node: Option<NodeId>,
    },
}

#[derive(Debug, Clone, PartialEq)]
/// Where a link goes.
pub enum LinkTarget {
    /// A web address or `mailto:`.
    Url(String),
    /// 0-based page index and y position on it.
    Page {
        /// 0-based page index.
        page: usize,
        /// Position on that page (y from the top).
        y: f32,
    },
}

/// One line (or part of a line) of glyphs in one font and size, with the text they show.
#[derive(Debug, Clone)]
pub struct TextRun {
    /// Origin of the first glyph on the baseline.
    pub x: f32,
    /// Baseline of the first glyph, points from the top.
    pub y: f32,
    /// The face, an index into [`Document::fonts`].
    pub font: FontId,
    /// Font size, points.
    pub size: f32,
    /// Text colour.
    pub colour: Rgb,
    /// The text the glyphs stand for (what extraction returns); glyph ranges index it.
    pub text: String,
    /// The glyphs, in order.
    pub glyphs: Vec<Glyph>,
    /// Horizontal scale of the glyphs (1.0 normal; glyph expansion).
    pub h_scale: f32,
    /// The structure node the text belongs to (`None`: page furniture, an artifact).
    pub node: Option<NodeId>,
    /// Where the run's first character is written in its article's file (a byte offset
    /// into [`crate::model::Article::text`]), for the first run of a line of an article's
    /// text; `None` for other runs and for text the layout makes up. The EPUB's print
    /// page list is found through it ([`crate::layout::pages`]).
    pub source: Option<usize>,
    /// The run's language when it is a phrase marked as another language than its
    /// article's (BCP 47); a tagged PDF gives its span that `/Lang`.
    pub lang: Option<String>,
}

/// A positioned glyph. Advances and offsets are in points, justification included.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// Glyph id in the face.
    pub id: u16,
    /// Advance to the next glyph, points.
    pub x_advance: f32,
    /// Horizontal offset from the pen position, points.
    pub x_offset: f32,
    /// Vertical offset from the baseline, points, positive upwards (as fonts count it).
    pub y_offset: f32,
    /// Byte range of `TextRun::text` this glyph stands for (a ligature covers several
    /// characters; a glyph of a cluster after the first may have an empty range). `u32`
    /// because a run is at most a line: a glyph takes 24 bytes instead of 32, and an
    /// edition's pages hold about one glyph per byte of its text. Made with
    /// [`glyph_range`], read with [`Glyph::text_range`].
    pub range: Range<u32>,
}

impl Glyph {
    /// The glyph's byte range of `TextRun::text`, for slicing it.
    pub fn text_range(&self) -> Range<usize> {
        self.range.start as usize..self.range.end as usize
    }
}

/// A byte range of a run's text as a [`Glyph`] keeps it (a run's text is far shorter than
/// 4 GB; a larger offset would saturate, which the PDF writer's checks report).
pub fn glyph_range(range: Range<usize>) -> Range<u32> {
    let clamp = |x: usize| u32::try_from(x).unwrap_or(u32::MAX);
    clamp(range.start)..clamp(range.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_labels_print_roman_or_arabic() {
        assert_eq!(roman(1), "i");
        assert_eq!(roman(4), "iv");
        assert_eq!(roman(9), "ix");
        assert_eq!(roman(14), "xiv");
        assert_eq!(roman(1994), "mcmxciv");
        assert_eq!(PageLabel::Roman(3).text(), "iii");
        assert_eq!(PageLabel::Arabic(12).text(), "12");
    }
}
