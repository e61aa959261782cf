//! Page geometry from the style, the baseline grid in column units, and small helpers
//! that place set lines and items on a page.

use crate::layout::frame::{Item, LinkTarget};
use crate::layout::inline::{Line, Role};
use crate::model::{NotePlace, Rgb, Style};

use super::Setter;
use super::collect::baseline_in;

/// Height units per baseline-grid line in the column algorithms.
pub(crate) const SUB: u32 = 1000;

/// Page geometry derived from the style, in points; the page is laid out as a right-hand
/// page (inner margin on the left) and left-hand pages are shifted when numbered.
#[derive(Debug, Clone)]
pub(crate) struct Geometry {
    pub page_w: f32,
    pub page_h: f32,
    /// Left edge of the text area on a right-hand page.
    pub left: f32,
    /// Top of the text area.
    pub top: f32,
    pub text_w: f32,
    pub col_w: f32,
    pub gutter: f32,
    pub columns: usize,
    /// Body size and leading (the baseline grid).
    pub body_size: f32,
    pub lead: f32,
    /// Baseline offset of body text inside a grid line.
    pub base: f32,
    /// Grid lines in a column.
    pub lines: u32,
    /// First-line indent of paragraphs, points.
    pub style_indent: f32,
    /// Articles open with a two-line initial.
    pub drop_caps: bool,
    /// An opening run-in written in capitals is set in small capitals.
    pub run_in_small_caps: bool,
    /// Words of an article's opening set in small capitals.
    pub opening_small_caps: u32,
    /// Where footnotes go.
    pub notes: NotePlace,
    /// Shift of left-hand pages (outer minus inner margin).
    pub verso_dx: f32,
    pub margin_bottom: f32,
    pub text: Rgb,
    pub accent: Rgb,
    pub muted: Rgb,
}

impl Geometry {
    pub(crate) fn new(style: &Style, ctx: &impl Setter) -> Geometry {
        let p = &style.page;
        let (body_size, lead) = ctx.size_and_leading(Role::Body);
        let lead = if lead > 0.0 {
            lead
        } else {
            1.2 * body_size.max(1.0)
        };
        let lines = ((p.text_height() / lead) + 1e-3).floor().max(4.0) as u32;
        Geometry {
            page_w: p.width,
            page_h: p.height,
            left: p.margin_inner,
            top: p.margin_top,
            text_w: p.text_width(),
            col_w: p.column_width(),
            gutter: p.gutter,
            columns: p.columns.max(1) as usize,
            body_size,
            lead,
            base: baseline_in(body_size, lead),
            lines,
            style_indent: style.indent_em * body_size,
            drop_caps: style.drop_caps,
            run_in_small_caps: style.run_in_small_caps,
            opening_small_caps: style.opening_small_caps,
            notes: style.notes,
            verso_dx: p.margin_outer - p.margin_inner,
            margin_bottom: p.margin_bottom,
            text: style.colours.text,
            accent: style.colours.accent,
            muted: style.colours.muted,
        }
    }

    /// Left edge of column `k` on a right-hand page.
    pub(crate) fn col_x(&self, k: usize) -> f32 {
        self.left + k as f32 * (self.col_w + self.gutter)
    }

    /// Points to column units, rounded up.
    pub(crate) fn sub(&self, pt: f32) -> u32 {
        ((pt / self.lead * SUB as f32) - 1e-2).ceil().max(1.0) as u32
    }

    /// Points to column units, rounded up to whole grid lines (at least one).
    pub(crate) fn grid_round(&self, pt: f32) -> u32 {
        ((pt / self.lead) - 1e-3).ceil().max(1.0) as u32 * SUB
    }

    /// Column units rounded up to whole grid lines.
    pub(crate) fn grid_round_sub(&self, sub: u32) -> u32 {
        sub.div_ceil(SUB) * SUB
    }

    /// Column units to points.
    pub(crate) fn pt(&self, sub: u32) -> f32 {
        sub as f32 / SUB as f32 * self.lead
    }

    /// A filled rectangle (a rule) of `thickness` with its top at `y`.
    pub(crate) fn rule(&self, x: f32, y: f32, width: f32, thickness: f32, colour: Rgb) -> Item {
        Item::Rect {
            x,
            y,
            width,
            height: thickness,
            colour,
        }
    }
}

/// Appends a set line's runs and links as frame items, its origin at `x` and its
/// baseline at `baseline`.
pub(crate) fn line_items(line: Line, x: f32, baseline: f32, out: &mut Vec<Item>) {
    let (ascent, descent) = (line.ascent, line.descent);
    // A line's own vector (a piece of a paragraph) gets exactly its items: pushed one
    // by one it would hold room for four, and an item is over 100 bytes, so a long
    // article's lines would take a third more memory. A vector that gathers several
    // lines grows as usual.
    if out.capacity() == 0 {
        let links = line
            .links
            .iter()
            .filter(|l| crate::model::link_is_web(&l.url))
            .count();
        out.reserve_exact(line.runs.len() + links);
    }
    for mut run in line.runs {
        run.x += x;
        run.y += baseline;
        out.push(Item::Text(run));
    }
    // Only web and mail links open from the PDF; a link to an article or a heading (no
    // scheme) is not a URI a viewer could follow, and others never reach the model.
    for link in line
        .links
        .into_iter()
        .filter(|l| crate::model::link_is_web(&l.url))
    {
        out.push(Item::Link {
            x: x + link.x,
            y: baseline - ascent,
            width: link.width,
            height: ascent + descent,
            target: LinkTarget::Url(link.url),
            node: None,
        });
    }
}

/// Moves an item by `(dx, dy)`.
pub(crate) fn shift(item: Item, dx: f32, dy: f32) -> Item {
    match item {
        Item::Text(mut run) => {
            run.x += dx;
            run.y += dy;
            Item::Text(run)
        }
        Item::Rect {
            x,
            y,
            width,
            height,
            colour,
        } => Item::Rect {
            x: x + dx,
            y: y + dy,
            width,
            height,
            colour,
        },
        Item::Image {
            x,
            y,
            width,
            height,
            image,
            node,
        } => Item::Image {
            x: x + dx,
            y: y + dy,
            width,
            height,
            image,
            node,
        },
        Item::Link {
            x,
            y,
            width,
            height,
            target,
            node,
        } => Item::Link {
            x: x + dx,
            y: y + dy,
            width,
            height,
            target,
            node,
        },
        Item::Clip {
            x,
            y,
            width,
            height,
        } => Item::Clip {
            x: x + dx,
            y: y + dy,
            width,
            height,
        },
        Item::EndClip => Item::EndClip,
    }
}
