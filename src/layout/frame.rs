//! Laid-out pages: positioned glyph runs, rules, images and links. Plain data between
//! layout (which makes it) and the writers (which turn it into PDF, or later into page
//! previews). Points, origin at the top left of the trim box, y growing downwards.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use crate::model::{Image, Rgb};

/// A laid-out edition: its pages, bookmarks, metadata and the font faces its text uses.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub pages: Vec<Page>,
    /// Nested bookmarks (sections › articles).
    pub outline: Vec<OutlineEntry>,
    pub meta: DocMeta,
    /// The faces text runs point at, indexed by [`FontId`].
    pub fonts: Vec<FontFace>,
}

/// Index of a font face in [`Document::fonts`] (and in layout's font book, whose order
/// it keeps).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FontId(pub u16);

/// A font face as a writer needs it: the file's bytes, the face's index in the file and
/// its family name (for messages).
#[derive(Clone)]
pub struct FontFace {
    pub data: Arc<dyn AsRef<[u8]> + Send + Sync>,
    pub index: u32,
    pub family: String,
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
pub struct DocMeta {
    pub title: String,
    pub authors: Vec<String>,
    pub subject: Option<String>,
    pub keywords: Vec<String>,
    /// BCP 47 tag.
    pub language: String,
    /// `(year, month, day)` of the edition: creation and modification date.
    pub date: (u16, u8, u8),
}

#[derive(Debug, Clone)]
pub struct OutlineEntry {
    pub title: String,
    /// 0-based page index the entry opens.
    pub page: usize,
    /// Position on that page (y from the top).
    pub y: f32,
    pub children: Vec<OutlineEntry>,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    /// The label shown by viewers ("i", "3"); `None` → the page number.
    pub label: PageLabel,
    pub items: Vec<Item>,
}

/// Page label style for a run of pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageLabel {
    /// Cover and front matter without numbers, labelled with a prefix-free roman numeral.
    Roman(u32),
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
pub enum Item {
    Text(TextRun),
    /// A filled rectangle (rules, colour blocks).
    Rect {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        colour: Rgb,
    },
    /// An image scaled into the box.
    Image {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        image: Image,
    },
    /// A clickable area.
    Link {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        target: LinkTarget,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum LinkTarget {
    Url(String),
    /// 0-based page index and y position on it.
    Page {
        page: usize,
        y: f32,
    },
}

/// One line (or part of a line) of glyphs in one font and size, with the text they show.
#[derive(Debug, Clone)]
pub struct TextRun {
    /// Origin of the first glyph on the baseline.
    pub x: f32,
    pub y: f32,
    pub font: FontId,
    pub size: f32,
    pub colour: Rgb,
    /// The text the glyphs stand for (what extraction returns); glyph ranges index it.
    pub text: String,
    pub glyphs: Vec<Glyph>,
    /// Horizontal scale of the glyphs (1.0 normal; glyph expansion).
    pub h_scale: f32,
}

/// A positioned glyph. Advances and offsets are in points, justification included.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    pub id: u16,
    pub x_advance: f32,
    pub x_offset: f32,
    pub y_offset: f32,
    /// Byte range of `TextRun::text` this glyph stands for (a ligature covers several
    /// characters; a glyph of a cluster after the first may have an empty range).
    pub range: Range<usize>,
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
