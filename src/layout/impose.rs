//! Saddle-stitch imposition: the laid-out trim pages onto printer's sheets. Pure: frames in,
//! frames out.
//!
//! For `n` pages (padded to a multiple of four) there are `n / 4` sheets. Sheet `k`
//! (0-based, 0 = the outermost, which carries the covers) has, with 1-based page numbers
//! and left | right as the printer sees each side:
//!
//! - front: `n − 2k` | `2k + 1`
//! - back: `2k + 2` | `n − 2k − 1`
//!
//! For 8 pages: 8 | 1 and 2 | 7 (sheet 1), 6 | 3 and 4 | 5 (sheet 2). Folded along the
//! middle with the front outside and the sheets nested, they read 1, 2, … n. The back is
//! printed work-and-turn: turned about the vertical axis, so the page behind the front's
//! right page (`2k + 1`) is the back's left page (`2k + 2`).
//!
//! Creep: nested sheets push out at the fore-edge by about the paper's thickness per
//! sheet, and the trim cuts more off the inner ones. Every page of sheet `k` is moved
//! towards the fold by `k × creep` (the outermost sheet not at all, the innermost by
//! `(sheets − 1) × creep`), so that its margins look the same after trimming.
//!
//! Each page is clipped to its place on the sheet: at the fold exactly, on the other three
//! sides at the trim plus the bleed. Links are dropped (they mean nothing on a sheet), and
//! so are the outline and the make-up figures.

use rustybuzz::ttf_parser;

use crate::layout::frame::{
    Document, FontFace, FontId, Glyph, Item, Page, PageLabel, TextRun, glyph_range,
};
use crate::model::{PT_PER_MM, Rgb};

/// How to impose: the figures come from the style, the rest are the house rules of quire.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImposeSetup {
    /// How far each sheet's pages move towards the fold, per sheet from the outermost,
    /// points.
    pub creep: f32,
    /// Bleed kept beyond the trim on the top, bottom and fore-edge of each page, points.
    pub bleed: f32,
}

/// The distance of crop and fold marks from the trim, at least the bleed: 3 mm.
const MARK_OFFSET_MM: f32 = 3.0;
/// The length of crop and fold marks: 5 mm.
const MARK_LENGTH_MM: f32 = 5.0;
/// The band beyond the marks for the sheet label: 3.5 mm, so that A4 pages with a 3 mm
/// bleed make a sheet of 443 × 320 mm, which SRA3 (450 × 320 mm) holds.
const LABEL_BAND_MM: f32 = 3.5;
/// The weight of crop and fold marks: 0.25 pt.
const MARK_WEIGHT: f32 = 0.25;
/// The sheet label's size, points.
const LABEL_SIZE: f32 = 7.0;

impl ImposeSetup {
    /// How far the marks sit from the trim: 3 mm, or the bleed when it is more.
    fn mark_offset(&self) -> f32 {
        (MARK_OFFSET_MM * PT_PER_MM).max(self.bleed)
    }

    /// The space around the two trim pages on each side of the sheet: the marks' offset
    /// and length, and the label band.
    pub fn margin(&self) -> f32 {
        self.mark_offset() + (MARK_LENGTH_MM + LABEL_BAND_MM) * PT_PER_MM
    }
}

/// Which trim page (0-based index into the padded pages) goes left and right on each side
/// of each sheet, in printing order: sheet 1 front, sheet 1 back, sheet 2 front, …
/// `pages` must be a multiple of four.
pub fn saddle_order(pages: usize) -> Vec<(usize, usize)> {
    debug_assert!(pages.is_multiple_of(4));
    let n = pages;
    (0..n / 4)
        .flat_map(|k| {
            // 1-based: front n − 2k | 2k + 1, back 2k + 2 | n − 2k − 1.
            [(n - 2 * k - 1, 2 * k), (2 * k + 1, n - 2 * k - 2)]
        })
        .collect()
}

/// Where the blank pages go to reach a multiple of four: the indices into the padded
/// sequence that are `None` (blank) or `Some(i)` (page `i` of the original). The blanks
/// come before the last page (the back cover); a single page is followed by them.
pub fn padded(pages: usize) -> Vec<Option<usize>> {
    let target = pages.div_ceil(4).max(1) * 4;
    let blanks = target - pages;
    if pages <= 1 {
        let mut out: Vec<Option<usize>> = (0..pages).map(Some).collect();
        out.resize(target, None);
        return out;
    }
    let mut out: Vec<Option<usize>> = (0..pages - 1).map(Some).collect();
    out.extend(std::iter::repeat_n(None, blanks));
    out.push(Some(pages - 1));
    out
}

/// The creep of sheet `k` (0 = outermost): how far its pages move towards the fold.
pub fn creep_of_sheet(setup: &ImposeSetup, k: usize) -> f32 {
    setup.creep * k as f32
}

/// Imposes `doc` for saddle stitching: two trim pages to a sheet side, crop marks at the
/// corners of the spread, a fold mark at the head and foot of the fold, and a label
/// outside the marks (the document title, sheet, side and the pages on it). Each output
/// page is one side of one sheet, labelled with the sheet's number.
pub fn saddle(doc: &Document, setup: &ImposeSetup) -> Document {
    let Some(first) = doc.pages.first() else {
        return Document {
            fonts: doc.fonts.clone(),
            meta: doc.meta.clone(),
            ..Document::default()
        };
    };
    let (w, h) = (first.width, first.height);
    let m = setup.margin();
    let slots = padded(doc.pages.len());
    let number = |slot: usize| slot + 1;
    let sheets = slots.len() / 4;
    let label_font = label_font(&doc.fonts);

    let mut pages = Vec::with_capacity(slots.len() / 2);
    for (side_index, (left, right)) in saddle_order(slots.len()).into_iter().enumerate() {
        let k = side_index / 2;
        let creep = creep_of_sheet(setup, k);
        let mut items = Vec::new();
        for (slot, is_left) in [(left, true), (right, false)] {
            let Some(Some(source)) = slots.get(slot) else {
                continue; // a blank page
            };
            let page = &doc.pages[*source];
            // The page's trim origin on the sheet, and its clip: to the fold exactly, to
            // the bleed elsewhere.
            let (origin, clip_x, clip_w) = if is_left {
                (m + creep, m - setup.bleed, w + setup.bleed)
            } else {
                (m + w - creep, m + w, w + setup.bleed)
            };
            items.push(Item::Clip {
                x: clip_x,
                y: m - setup.bleed,
                width: clip_w,
                height: h + 2.0 * setup.bleed,
            });
            items.extend(page.items.iter().filter_map(|item| placed(item, origin, m)));
            items.push(Item::EndClip);
        }
        marks(&mut items, setup, w, h);
        let side = if side_index % 2 == 0 { "front" } else { "back" };
        let text = format!(
            "{} · sheet {} of {sheets}, {side} · pages {} | {}",
            doc.meta.title,
            k + 1,
            number(left),
            number(right)
        );
        if let Some((font, face)) = label_font {
            let baseline = 2.0 * m + h - LABEL_BAND_MM * PT_PER_MM / 2.0 + LABEL_SIZE / 3.0;
            if let Some(run) = label_run(face, font, &text, m, baseline, LABEL_SIZE) {
                items.push(Item::Text(run));
            }
        }
        pages.push(Page {
            width: 2.0 * w + 2.0 * m,
            height: h + 2.0 * m,
            label: PageLabel::Arabic(k as u32 + 1),
            items,
        });
    }
    Document {
        pages,
        outline: Vec::new(),
        meta: doc.meta.clone(),
        fonts: doc.fonts.clone(),
        fits: Vec::new(),
        structure: Default::default(),
    }
}

/// An item of a trim page moved to its place on the sheet; links are dropped.
fn placed(item: &Item, dx: f32, dy: f32) -> Option<Item> {
    match item {
        Item::Link { .. } => None,
        other => Some(crate::layout::flow::shift(other.clone(), dx, dy)),
    }
}

/// Crop marks at the four corners of the spread's trim and a dashed fold mark at the
/// head and foot of the fold, as thin black rules outside the bleed.
fn marks(items: &mut Vec<Item>, setup: &ImposeSetup, w: f32, h: f32) {
    let m = setup.margin();
    let offset = setup.mark_offset();
    let length = MARK_LENGTH_MM * PT_PER_MM;
    let half = MARK_WEIGHT / 2.0;
    let rule = |x: f32, y: f32, width: f32, height: f32| Item::Rect {
        x,
        y,
        width,
        height,
        colour: Rgb(0, 0, 0),
    };
    let (left, right, top, bottom) = (m, m + 2.0 * w, m, m + h);
    for (cx, outward_x) in [(left, -1.0f32), (right, 1.0)] {
        for (cy, outward_y) in [(top, -1.0f32), (bottom, 1.0)] {
            // Horizontal mark, in line with the trim's top or bottom edge.
            let x0 = if outward_x < 0.0 {
                cx - offset - length
            } else {
                cx + offset
            };
            items.push(rule(x0, cy - half, length, MARK_WEIGHT));
            // Vertical mark, in line with the trim's left or right edge.
            let y0 = if outward_y < 0.0 {
                cy - offset - length
            } else {
                cy + offset
            };
            items.push(rule(cx - half, y0, MARK_WEIGHT, length));
        }
    }
    // The fold: three dashes at the head and at the foot.
    let fold = m + w;
    let dash = length / 5.0;
    for start in [top - offset - length, bottom + offset] {
        for i in 0..3 {
            let y = start + 2.0 * dash * i as f32;
            items.push(rule(fold - half, y, MARK_WEIGHT, dash));
        }
    }
}

/// The face for sheet labels: the first of the document's faces that maps digits.
fn label_font(fonts: &[FontFace]) -> Option<(FontId, &FontFace)> {
    fonts.iter().enumerate().find_map(|(i, face)| {
        let parsed = ttf_parser::Face::parse(face.bytes(), face.index).ok()?;
        parsed.glyph_index('1')?;
        Some((FontId(u16::try_from(i).ok()?), face))
    })
}

/// A run of `text` in `face` at `size`, its origin at `(x, y)`, with the face's own
/// advances (no kerning or shaping: a label of plain words and figures). Characters the
/// face lacks are left out. `None` when nothing is left or the face cannot be read.
pub fn label_run(
    face: &FontFace,
    font: FontId,
    text: &str,
    x: f32,
    y: f32,
    size: f32,
) -> Option<TextRun> {
    let parsed = ttf_parser::Face::parse(face.bytes(), face.index).ok()?;
    let scale = size / f32::from(parsed.units_per_em());
    let mut kept = String::new();
    let mut glyphs = Vec::new();
    for c in text.chars() {
        let Some(id) = parsed.glyph_index(c) else {
            continue;
        };
        let start = kept.len();
        kept.push(c);
        glyphs.push(Glyph {
            id: id.0,
            x_advance: f32::from(parsed.glyph_hor_advance(id).unwrap_or(0)) * scale,
            x_offset: 0.0,
            y_offset: 0.0,
            range: glyph_range(start..kept.len()),
        });
    }
    if glyphs.is_empty() {
        return None;
    }
    Some(TextRun {
        x,
        y,
        font,
        size,
        colour: Rgb(0, 0, 0),
        text: kept,
        glyphs,
        h_scale: 1.0,
        node: None,
        source: None,
        lang: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The 1-based page numbers on each side: (left, right).
    fn numbered(pages: usize) -> Vec<(usize, usize)> {
        saddle_order(pages)
            .into_iter()
            .map(|(l, r)| (l + 1, r + 1))
            .collect()
    }

    #[test]
    fn four_pages_make_one_sheet() {
        assert_eq!(numbered(4), vec![(4, 1), (2, 3)]);
    }

    #[test]
    fn eight_pages_pair_as_the_printer_expects() {
        assert_eq!(numbered(8), vec![(8, 1), (2, 7), (6, 3), (4, 5)]);
    }

    #[test]
    fn twelve_pages() {
        assert_eq!(
            numbered(12),
            vec![(12, 1), (2, 11), (10, 3), (4, 9), (8, 5), (6, 7)]
        );
    }

    #[test]
    fn sixteen_pages_and_every_pair_sums_to_n_plus_one() {
        let order = numbered(16);
        assert_eq!(
            order,
            vec![
                (16, 1),
                (2, 15),
                (14, 3),
                (4, 13),
                (12, 5),
                (6, 11),
                (10, 7),
                (8, 9)
            ]
        );
        for n in [4, 8, 12, 16, 32, 64] {
            let order = numbered(n);
            assert_eq!(order.len(), n / 2);
            let mut seen: Vec<usize> = order.iter().flat_map(|&(l, r)| [l, r]).collect();
            seen.sort();
            assert_eq!(seen, (1..=n).collect::<Vec<_>>(), "{n}");
            assert!(order.iter().all(|&(l, r)| l + r == n + 1), "{n}");
            // Left of every side an even page, right an odd one.
            assert!(order.iter().all(|&(l, r)| l % 2 == 0 && r % 2 == 1), "{n}");
        }
    }

    #[test]
    fn padding_puts_blanks_before_the_back_cover() {
        let p = padded(13);
        assert_eq!(p.len(), 16);
        assert_eq!(p[..12], (0..12).map(Some).collect::<Vec<_>>()[..]);
        assert_eq!(p[12..15], [None, None, None]);
        assert_eq!(p[15], Some(12));
        assert_eq!(padded(16), (0..16).map(Some).collect::<Vec<_>>());
        assert_eq!(
            padded(6),
            vec![
                Some(0),
                Some(1),
                Some(2),
                Some(3),
                Some(4),
                None,
                None,
                Some(5)
            ]
        );
        assert_eq!(padded(1), vec![Some(0), None, None, None]);
        assert_eq!(padded(2), vec![Some(0), None, None, Some(1)]);
    }

    fn rect_page(n: u32) -> Page {
        Page {
            width: 100.0,
            height: 200.0,
            label: PageLabel::Arabic(n),
            items: vec![
                Item::Rect {
                    x: 10.0,
                    y: 20.0,
                    width: n as f32,
                    height: 1.0,
                    colour: Rgb(0, 0, 0),
                },
                Item::Link {
                    x: 0.0,
                    y: 0.0,
                    width: 1.0,
                    height: 1.0,
                    target: crate::layout::frame::LinkTarget::Url("https://example.org".into()),
                    node: None,
                },
            ],
        }
    }

    /// The left edge on the sheet of the rect that marks page `n` (its width is `n`).
    fn rect_x(page: &Page, n: u32) -> Option<f32> {
        page.items.iter().find_map(|i| match i {
            Item::Rect { x, width, .. } if *width == n as f32 => Some(*x),
            _ => None,
        })
    }

    #[test]
    fn pages_land_on_their_half_moved_by_the_creep_and_lose_their_links() {
        let doc = Document {
            pages: (1..=13).map(rect_page).collect(),
            ..Document::default()
        };
        let setup = ImposeSetup {
            creep: 0.5,
            bleed: 9.0,
        };
        let m = setup.margin();
        let out = saddle(&doc, &setup);
        assert_eq!(out.pages.len(), 8);
        for (i, p) in out.pages.iter().enumerate() {
            assert_eq!(p.width, 200.0 + 2.0 * m);
            assert_eq!(p.height, 200.0 + 2.0 * m);
            assert_eq!(p.label, PageLabel::Arabic(i as u32 / 2 + 1));
            assert!(!p.items.iter().any(|i| matches!(i, Item::Link { .. })));
            let clips = p
                .items
                .iter()
                .filter(|i| matches!(i, Item::Clip { .. }))
                .count();
            let ends = p
                .items
                .iter()
                .filter(|i| matches!(i, Item::EndClip))
                .count();
            assert_eq!(clips, ends);
        }
        // Sheet 1 front: the back cover (page 13 of the original, 16 of the padded run)
        // left, the cover right; no creep on the outermost sheet.
        assert_eq!(rect_x(&out.pages[0], 13), Some(m + 10.0));
        assert_eq!(rect_x(&out.pages[0], 1), Some(m + 100.0 + 10.0));
        // Sheet 2 back: 4 | 13 → pages 4 and 13 of 16; page 13 of 16 is a blank.
        assert_eq!(rect_x(&out.pages[3], 4), Some(m + 0.5 + 10.0));
        assert_eq!(
            out.pages[3]
                .items
                .iter()
                .filter(|i| matches!(i, Item::Clip { .. }))
                .count(),
            1
        );
        // Sheet 4 (innermost) front: 10 | 7, moved 3 × 0.5 towards the fold.
        assert_eq!(rect_x(&out.pages[6], 10), Some(m + 1.5 + 10.0));
        assert_eq!(rect_x(&out.pages[6], 7), Some(m + 100.0 - 1.5 + 10.0));
        // The left page's clip ends at the fold, the right page's starts there.
        let clips: Vec<(f32, f32)> = out.pages[6]
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Clip { x, width, .. } => Some((*x, *width)),
                _ => None,
            })
            .collect();
        assert_eq!(clips, vec![(m - 9.0, 109.0), (m + 100.0, 109.0)]);
    }

    #[test]
    fn creep_grows_by_sheet_from_the_outermost() {
        let setup = ImposeSetup {
            creep: 0.1 * PT_PER_MM,
            bleed: 0.0,
        };
        assert_eq!(creep_of_sheet(&setup, 0), 0.0);
        assert!((creep_of_sheet(&setup, 3) - 0.3 * PT_PER_MM).abs() < 1e-4);
    }

    #[test]
    fn marks_sit_outside_the_bleed() {
        let setup = ImposeSetup {
            creep: 0.0,
            bleed: 3.0 * PT_PER_MM,
        };
        let mut items = Vec::new();
        marks(&mut items, &setup, 100.0, 200.0);
        let m = setup.margin();
        assert_eq!(items.len(), 8 + 6);
        for item in &items {
            let Item::Rect {
                x,
                y,
                width,
                height,
                ..
            } = item
            else {
                panic!("marks are rules");
            };
            // Nothing inside the spread's trim grown by the bleed.
            let b = setup.bleed;
            let inside_x = *x + width > m - b && *x < m + 200.0 + b;
            let inside_y = *y + height > m - b && *y < m + 200.0 + b;
            assert!(!(inside_x && inside_y), "{item:?}");
            assert!(*x >= 0.0 && *y >= 0.0);
        }
    }
}
