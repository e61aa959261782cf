//! Figures that span columns. Such a figure leaves the text's run (an anchor of no height
//! marks where it was) and is placed at the top, or the foot, of the page where the text
//! around its anchor is set, across the first columns; the columns it covers are
//! shortened by its height on the baseline grid, so the text beside and below it stays on
//! the grid. When the page has no room for it, it goes on the next page.

use std::ops::Range;

use crate::layout::flow::collect::figure_items;
use crate::layout::flow::compose::{Payload, draw_columns};
use crate::layout::flow::distribute::{Stream, Unit};
use crate::layout::flow::{Geometry, SUB, Setter, shift};
use crate::layout::frame::Item;
use crate::model::{Figure, FigurePlace, Language};

/// Space between a spanning figure's caption and the text, at least (grid lines).
const GAP: f32 = 0.8;

/// A tall image is scaled down to this part of the text area's height.
const MAX_HEIGHT: f32 = 0.5;

/// A figure set across columns, waiting for its page.
#[derive(Clone)]
pub(crate) struct Spanning {
    /// Relative to the figure's top left corner (the first column's left edge).
    items: Vec<Item>,
    /// How far down the items reach, in points.
    content: f32,
    /// Height in column units with the gap to the text, in whole grid lines.
    height: u32,
    /// How many columns it covers, from the first.
    columns: usize,
    place: FigurePlace,
    /// Its place among the article's spanning figures: which anchor is its own.
    ordinal: usize,
}

impl Spanning {
    /// What it draws, for tagging.
    pub(crate) fn items_mut(&mut self) -> &mut [Item] {
        &mut self.items
    }
}

/// Sets `figure` across its columns: the image as wide as they are (narrower and centred
/// when that would make it taller than half the text area), the caption under it, at
/// most two columns wide. `ordinal` counts the article's spanning figures before it.
///
/// `None` when the figure would not fit on an empty page with two lines of text under it
/// (a caption of hundreds of words): it could never be placed, and the flow would make
/// empty pages waiting for room. The caller sets it in the text's run instead, where a
/// block taller than a column is cut between its lines.
pub(crate) fn build(
    ctx: &mut impl Setter,
    geo: &Geometry,
    lang: &Language,
    figure: &Figure,
    ordinal: usize,
) -> Option<Spanning> {
    let columns = figure.span.columns(geo.columns);
    let width = columns as f32 * geo.col_w + (columns - 1) as f32 * geo.gutter;
    let caption_w = width.min(2.0 * geo.col_w + geo.gutter);
    let max_h = geo.lines as f32 * geo.lead * MAX_HEIGHT;
    let (items, content) = figure_items(ctx, geo, lang, figure, 0.0, width, max_h, caption_w);
    let height = geo.grid_round(content + GAP * geo.lead);
    if !fits_empty_page(height, geo) {
        return None;
    }
    Some(Spanning {
        items,
        content,
        height,
        columns,
        place: figure.place,
        ordinal,
    })
}

/// Whether a figure `height` high (in column units) leaves room for two lines of text on
/// an empty page: [`page`] places such a figure on the first page that starts empty.
fn fits_empty_page(height: u32, geo: &Geometry) -> bool {
    u64::from(height) + 2 * u64::from(SUB) <= u64::from(geo.lines) * u64::from(SUB)
}

/// The unit a spanning figure leaves in the text: discardable space of no height (the
/// only such unit), breakable before unless a keep holds it to what precedes it.
pub(crate) fn anchor(breakable: bool) -> Unit {
    let mut unit = Unit::space(0);
    unit.break_before = breakable;
    unit
}

pub(crate) fn is_anchor(unit: &Unit) -> bool {
    unit.space && unit.height == 0
}

/// Where the anchor of the `ordinal`-th spanning figure is; the end when it was dropped
/// (a figure at the very end of an article).
fn anchor_at(stream: &Stream, ordinal: usize) -> usize {
    stream
        .units()
        .iter()
        .enumerate()
        .filter(|(_, u)| is_anchor(u))
        .nth(ordinal)
        .map_or(stream.len(), |(i, _)| i)
}

/// A page laid out around a spanning figure, ready to be added to the page.
pub(crate) struct SpanPage {
    pub items: Vec<Item>,
    /// How deep each column's text (and notes) reaches below the cursor.
    pub heights: Vec<u64>,
    /// Grid lines used below the cursor.
    pub lines: u32,
    /// Where the next page's content starts.
    pub next: usize,
    /// Everything, figures included, is placed: the flow's last page.
    pub done: bool,
    /// Column breaks made, and how many broke a rule.
    pub breaks: usize,
    pub forced: usize,
}

/// Lays out the page from grid line `cursor` (text from `pos`) when the first of the
/// `pending` figures belongs on it, that is when its anchor is set on this page without
/// it, or was set on an earlier page. `reserve` lines stay free under the last page.
/// Draws the text of `items` and the figure, which leaves `pending`; `None` when the
/// page has no spanning figure to place (the flow lays it out as usual).
pub(crate) fn page(
    pending: &mut Vec<Spanning>,
    stream: &Stream,
    items: Payload<'_>,
    pos: usize,
    cursor: u32,
    reserve: u32,
    geo: &Geometry,
) -> Option<SpanPage> {
    let figure = pending.first()?;
    let n = geo.columns;
    let line = u64::from(SUB);
    let cap = u64::from(geo.lines.saturating_sub(cursor)) * line;
    let last_cap = cap.saturating_sub(u64::from(reserve) * line);
    let force = cap == u64::from(geo.lines) * line;
    let end_of = |cols: &[Range<usize>]| stream.skip_space(cols.last().map_or(pos, |c| c.end));
    let flat = stream.balance(pos, n, last_cap, line);
    let here = flat.is_some()
        || anchor_at(stream, figure.ordinal) < end_of(&stream.fill_caps(pos, &vec![cap; n], force));
    if !here {
        return None;
    }
    let f = u64::from(figure.height);
    let page = Page {
        stream,
        geo,
        cursor,
        pos,
    };
    if f + 2 * line > cap && !(force && f <= cap) {
        // No room here: the page is set without it, and it waits for the next.
        let cols = flat.unwrap_or_else(|| stream.fill_caps(pos, &vec![cap; n], force));
        return Some(page.draw(items, &cols, None, false));
    }
    let figure = pending.remove(0);
    let tops: Vec<u64> = (0..n)
        .map(|k| if k < figure.columns { f } else { 0 })
        .collect();
    if let Some(cols) = stream.balance_tops(pos, &tops, last_cap, line) {
        let done = pending.is_empty();
        return Some(page.draw(items, &cols, Some((figure, false)), done));
    }
    let caps: Vec<u64> = tops.iter().map(|t| cap - t).collect();
    let mut cols = stream.fill_caps(pos, &caps, force);
    // What is carried over makes the next page: not a line or two a column.
    let min_tail = 2 * n as u64 * line;
    let total = stream.height(pos..stream.len());
    let rest = |cols: &[Range<usize>]| stream.height(end_of(cols)..stream.len());
    for k in 1..=8 {
        let r = rest(&cols);
        if r >= min_tail || (r == 0 && reserve == 0) {
            break;
        }
        let shorter: Vec<u64> = caps.iter().map(|c| c.saturating_sub(k * line)).collect();
        let trial = stream.fill_caps(pos, &shorter, force);
        if total - rest(&trial) < min_tail {
            break;
        }
        cols = trial;
    }
    Some(page.draw(items, &cols, Some((figure, true)), false))
}

/// The page being laid out: where its columns start.
struct Page<'s> {
    stream: &'s Stream,
    geo: &'s Geometry,
    cursor: u32,
    pos: usize,
}

impl Page<'_> {
    /// Draws the columns `cols` and the figure (`full`: the page is filled, so a figure
    /// at the foot goes at the foot of the text area rather than under the text).
    fn draw(
        &self,
        payload: Payload<'_>,
        cols: &[Range<usize>],
        figure: Option<(Spanning, bool)>,
        done: bool,
    ) -> SpanPage {
        let (geo, stream) = (self.geo, self.stream);
        let line = u64::from(SUB);
        let heights: Vec<u64> = cols.iter().map(|c| stream.height(c.clone())).collect();
        let (covered, f, top) = match &figure {
            Some((fig, _)) => (
                fig.columns,
                u64::from(fig.height),
                fig.place == FigurePlace::Top,
            ),
            None => (0, 0, true),
        };
        // Where the text of each column starts, below the cursor.
        let text_top = |k: usize| if top && k < covered { f } else { 0 };
        let y_at = |h: u64| geo.top + (self.cursor as f32 + h as f32 / SUB as f32) * geo.lead;
        let tops: Vec<u64> = (0..cols.len()).map(text_top).collect();
        // A full page's columns end at the foot of the text area, or above a figure at
        // the foot; the last page's notes follow its text.
        let cap = u64::from(geo.lines - self.cursor) * line;
        let feet: Vec<u64> = (0..cols.len())
            .map(|k| if !top && k < covered { cap - f } else { cap })
            .collect();
        let full = figure.as_ref().is_none_or(|(_, full)| *full) && !done;
        let (mut out, drawn) = draw_columns(
            geo,
            stream,
            payload,
            self.cursor,
            cols,
            &tops,
            full.then_some(feet.as_slice()),
        );
        let mut used = drawn.iter().copied().max().unwrap_or(0);
        if let Some((fig, full)) = figure {
            let block = match (top, full) {
                (true, _) => 0,
                // At the foot of a full page, or under the text of the last one.
                (false, true) => u64::from(geo.lines - self.cursor) * line - f,
                (false, false) => heights[..covered.min(heights.len())]
                    .iter()
                    .max()
                    .map_or(0, |h| h.div_ceil(line) * line),
            };
            // The gap goes between the figure and the text, so on the other side.
            let dy = if top {
                0.0
            } else {
                geo.pt(fig.height) - fig.content
            };
            let (x, y) = (geo.col_x(0), y_at(block) + dy);
            out.extend(fig.items.into_iter().map(|it| shift(it, x, y)));
            used = used.max(block + f);
        }
        let next = stream.skip_space(cols.last().map_or(self.pos, |c| c.end));
        let (mut breaks, mut forced) = (0, 0);
        if !done {
            for c in cols.iter().filter(|c| !c.is_empty()) {
                breaks += 1;
                forced += usize::from(!stream.can_end(c.end));
            }
        }
        SpanPage {
            items: out,
            heights: drawn,
            lines: used.div_ceil(line) as u32,
            next,
            done,
            breaks,
            forced,
        }
    }
}
