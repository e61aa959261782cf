//! Laid-out pages: positioned glyph runs, rules, images and links. Plain data between
//! flow (which makes it) and write (which turns it into PDF). Points, origin at the top
//! left of the trim box, y growing downwards.

use std::ops::Range;

use crate::model::{Image, Rgb};
use crate::pdf::font::FontId;

#[derive(Debug, Clone, Default)]
pub struct Document {
    pub pages: Vec<Page>,
    /// Nested bookmarks (sections › articles).
    pub outline: Vec<OutlineEntry>,
    pub meta: DocMeta,
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
