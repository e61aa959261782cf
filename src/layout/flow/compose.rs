//! Articles onto pages: the spanning head, then the body column by column and page by
//! page, the final page balanced; run-on articles continue below a rule.

use crate::layout::frame::{NodeKind, NodeList, tag_items};
use std::ops::Range;

use crate::layout::flow::Setter;
use crate::layout::flow::collect::{Body, Loose, NoteBox, Piece, baseline_in};
use crate::layout::flow::distribute::{Stream, Unit};
use crate::layout::flow::span::{self, Spanning};
use crate::layout::flow::{Geometry, SUB, byline, line_items, shift};
use crate::layout::frame::Item;
use crate::layout::inline::{Request, Role};
use crate::model::{Article, BylinePosition, Inline, Language, Span};

/// A page before numbering: its items (placed as on a right-hand page) and what the
/// running head needs.
#[derive(Debug, Clone)]
pub(crate) struct PageDraft {
    pub items: Vec<Item>,
    /// Section of the article at the top of the page (for the running head).
    pub section: usize,
    /// An article head opens the page: no running head.
    pub opens: bool,
}

/// Where an article's head starts: page index (within the composer) and y.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Start {
    pub page: usize,
    pub y: f32,
}

/// The article head, spanning all columns.
#[derive(Clone)]
pub(crate) struct Head {
    /// Relative to the text area's left edge and the head's top.
    pub items: Vec<Item>,
    /// Height in grid lines, the space before the body included.
    pub lines: u32,
    /// The standfirst was too long for the head (over half a page): the body starts
    /// with it instead, in lines that break across columns and pages.
    pub standfirst_in_body: bool,
}

/// Sets kicker (or the section's name), title, standfirst and a top byline across the
/// text width, with a rule under them.
pub(crate) fn head(
    ctx: &mut impl Setter,
    geo: &Geometry,
    section: &str,
    article: &Article,
    nodes: &mut NodeList,
) -> Head {
    let lang = &article.language;
    let mut items = Vec::new();
    let mut y = 0.0;
    let mut standfirst_in_body = false;
    let front = &article.front;
    let (kicker, kicker_span) = match &article.kicker {
        Some(kicker) => (kicker.as_str(), front.kicker),
        None => (section, Span::default()),
    };
    if !kicker.is_empty() {
        let kicker = [Inline::text(kicker, kicker_span)];
        let start = items.len();
        y = stack(ctx, lang, Role::Kicker, &kicker, geo.text_w, y, &mut items);
        tag_items(&mut items[start..], nodes.add(NodeKind::Paragraph, None));
        y += 0.25 * geo.lead;
    }
    let title_w = geo.text_w.min(geo.col_w * 2.5 + geo.gutter * 2.0);
    let title = [Inline::text(&article.title, front.title)];
    let start = items.len();
    y = stack(ctx, lang, Role::Title, &title, title_w, y, &mut items);
    let h1 = nodes.add(NodeKind::Heading(1), None);
    nodes.set_alt(h1, article.title.clone());
    tag_items(&mut items[start..], h1);
    if let Some(sf) = &article.standfirst {
        y += 0.5 * geo.lead;
        let w = if geo.columns >= 3 {
            2.0 * geo.col_w + geo.gutter
        } else {
            geo.text_w
        };
        let sf = [Inline::text(sf, front.standfirst)];
        let start = items.len();
        let below = stack(ctx, lang, Role::Standfirst, &sf, w, y, &mut items);
        if below - y > 0.5 * geo.lines as f32 * geo.lead {
            items.truncate(start);
            y -= 0.5 * geo.lead;
            standfirst_in_body = true;
        } else {
            y = below;
            tag_items(&mut items[start..], nodes.add(NodeKind::Paragraph, None));
        }
    }
    if article.byline == BylinePosition::Top && !article.authors.is_empty() {
        y += 0.4 * geo.lead;
        let names = byline(article);
        let start = items.len();
        y = stack(ctx, lang, Role::Byline, &names, geo.text_w, y, &mut items);
        tag_items(&mut items[start..], nodes.add(NodeKind::Paragraph, None));
    }
    y += 0.6 * geo.lead;
    items.push(geo.rule(0.0, y, geo.text_w, 0.5, geo.text));
    y += 0.5;
    // The body starts one grid line below the rule, at least.
    let lines = ((y / geo.lead) - 1e-3).ceil().max(0.0) as u32 + 1;
    if lines > geo.lines {
        // Only a title (or kicker, or byline) longer than a page does this; the page cuts
        // off what does not fit.
        let d = crate::diag::Diagnostic::warning(
            "the article's head (kicker, title and byline) is taller than a page: the page cuts off what does not fit",
        )
        .in_file(&article.source)
        .at_range(&article.text, front.title.range())
        .with_hint("shorten the title");
        ctx.warn(d);
    }
    Head {
        items,
        lines,
        standfirst_in_body,
    }
}

/// Sets `text` in `role` from `y` (top of the first line box); returns the new `y`.
fn stack(
    ctx: &mut impl Setter,
    lang: &Language,
    role: Role,
    text: &[Inline],
    width: f32,
    y: f32,
    items: &mut Vec<Item>,
) -> f32 {
    let (size, lead) = ctx.size_and_leading(role);
    let lines = ctx.set(&Request::new(text, role, lang, width));
    let n = lines.len();
    for (i, line) in lines.into_iter().enumerate() {
        line_items(
            line,
            0.0,
            y + baseline_in(size, lead) + i as f32 * lead,
            items,
        );
    }
    y + n as f32 * lead
}

/// Lays articles onto pages; one composer per independent run of pages.
pub(crate) struct Composer<'g> {
    geo: &'g Geometry,
    pub pages: Vec<PageDraft>,
    /// Grid lines used on the current page.
    cursor: u32,
    pub starts: Vec<Start>,
    /// Column breaks made, and how many of them broke a rule (nothing else fitted).
    pub breaks: usize,
    pub forced: usize,
    /// How full the last page is: the mean depth its columns reach, as a share of the
    /// text area's height.
    pub fill: f32,
    /// Grid lines of text (and notes) set on the last page, all columns together.
    pub last_lines: u32,
    /// Paragraphs set again a line longer (+1) or shorter (-1) to make a page, by span.
    pub resets: Vec<(Span, i32)>,
    /// The current article's figures across columns not yet placed ([`span`]).
    spans: Vec<Spanning>,
}

impl<'g> Composer<'g> {
    pub(crate) fn new(geo: &'g Geometry) -> Self {
        Composer {
            geo,
            pages: Vec::new(),
            cursor: 0,
            starts: Vec::new(),
            breaks: 0,
            forced: 0,
            fill: 0.0,
            last_lines: 0,
            resets: Vec::new(),
            spans: Vec::new(),
        }
    }

    /// A composer that goes on on `page`, whose first `cursor` grid lines are taken
    /// (by the article before, when the next one runs on).
    pub(crate) fn resume(geo: &'g Geometry, page: PageDraft, cursor: u32) -> Self {
        let mut c = Composer::new(geo);
        c.pages.push(page);
        c.cursor = cursor;
        c
    }

    /// Grid lines taken on the last page.
    pub(crate) fn cursor(&self) -> u32 {
        self.cursor
    }

    fn new_page(&mut self, section: usize, opens: bool) {
        self.pages.push(PageDraft {
            items: Vec::new(),
            section,
            opens,
        });
        self.cursor = 0;
    }

    fn page(&mut self) -> &mut PageDraft {
        self.pages.last_mut().expect("a page was started")
    }

    /// Places one article: a new page (or, run on, below a rule when enough of the page
    /// is left), the head, the body, then the endnotes below a short rule.
    #[cfg(test)]
    pub(crate) fn article(&mut self, head: Head, body: Body, section: usize, run_on: bool) {
        self.article_with(head, body, section, run_on, &mut |_, _, _| None);
    }

    /// [`Composer::article`], with a way to set a body paragraph again a line longer or
    /// shorter ([`Loose::reset`]) when that balances the last page better.
    pub(crate) fn article_with(
        &mut self,
        head: Head,
        body: Body,
        section: usize,
        run_on: bool,
        reset: Reset<'_>,
    ) {
        let geo = self.geo;
        let room = geo.lines.saturating_sub(self.cursor);
        let first_lines = body.main.iter().take(4).count() as u32;
        if self.pages.is_empty() || !run_on {
            self.new_page(section, true);
        } else if self.cursor > 0 {
            if room < 1 + head.lines + first_lines.max(1) {
                self.new_page(section, true);
            } else {
                let y = geo.top + (self.cursor as f32 + 0.5) * geo.lead;
                let rule = geo.rule(geo.left, y, geo.text_w, 1.0, geo.accent);
                self.page().items.push(rule);
                self.cursor += 1;
            }
        }
        let y0 = geo.top + self.cursor as f32 * geo.lead;
        let page = self.pages.len() - 1;
        self.starts.push(Start { page, y: y0 });
        let left = geo.left;
        self.page()
            .items
            .extend(head.items.into_iter().map(|i| shift(i, left, y0)));
        self.cursor = (self.cursor + head.lines).min(geo.lines);
        let reserve = notes_room(&body.notes, geo);
        let boxes = body.column_notes;
        self.spans = body.spans;
        self.flow(body.main, section, reserve, &body.loose, &boxes, reset);
        if !body.notes.is_empty() {
            if self.cursor > 0 && geo.lines.saturating_sub(self.cursor) < MIN_NOTES_ROOM {
                self.new_page(section, false);
            }
            let y = geo.top + (self.cursor as f32 + 0.5) * geo.lead;
            let rule = geo.rule(geo.left, y, geo.col_w / 3.0, 0.5, geo.text);
            self.page().items.push(rule);
            self.cursor += 1;
            self.flow(body.notes, section, 0, &[], &[], &mut |_, _, _| None);
        }
    }

    /// Column content from the cursor on: full pages filled column by column, the last
    /// one balanced, with `reserve` grid lines left free below it (for the endnotes).
    fn flow(
        &mut self,
        pieces: Vec<Piece>,
        section: usize,
        reserve: u32,
        loose: &[Loose],
        boxes: &[NoteBox],
        reset: Reset<'_>,
    ) {
        let geo = self.geo;
        let n = geo.columns;
        let line = u64::from(SUB);
        let full = u64::from(geo.lines) * line;
        let mut units = Vec::with_capacity(pieces.len());
        let mut items = Vec::with_capacity(pieces.len());
        let mut notes = Vec::with_capacity(pieces.len());
        for p in pieces {
            units.push(p.unit);
            items.push(p.items);
            notes.push(p.notes);
        }
        let mut content = Content {
            stream: Stream::with_note_sep(units, NOTE_SEP),
            items,
            notes,
            spots: loose
                .iter()
                .map(|l| Spot {
                    start: l.start,
                    lines: l.lines,
                    done: l.applied != 0,
                    looseness: l.applied,
                })
                .collect(),
            loose,
            reset,
            resets: Vec::new(),
        };
        let mut pos = 0;
        // Units before this index may have been moved around floats.
        let mut moved = 0;
        loop {
            if self.cursor >= geo.lines {
                self.new_page(section, false);
            }
            let cap = u64::from(geo.lines - self.cursor) * line;
            let last_cap = cap.saturating_sub(u64::from(reserve) * line);
            if let Some(page) = span::page(
                &mut self.spans,
                &content.stream,
                Payload {
                    items: &mut content.items,
                    notes: &mut content.notes,
                    boxes,
                },
                pos,
                self.cursor,
                reserve,
                geo,
            ) {
                self.breaks += page.breaks;
                self.forced += page.forced;
                self.draw(page.items);
                self.measure(&page.heights);
                self.cursor = (self.cursor + page.lines).min(geo.lines);
                if page.done {
                    return;
                }
                pos = page.next;
                self.new_page(section, false);
                continue;
            }
            if let Some(mut cols) = content.stream.balance(pos, n, last_cap, line) {
                // The last page: columns within a line of each other.
                let now = spread(&content.stream, &cols);
                if now > line {
                    let lay = |s: &Stream, pos: usize| s.balance(pos, n, last_cap, line);
                    let score = |s: &Stream, c: &[Range<usize>]| spread(s, c);
                    let at = Window {
                        pos,
                        from: pos.max(moved),
                        column: last_cap,
                        ahead: u64::MAX,
                    };
                    if let Some(better) =
                        content.improve(at, usize::MAX, &[], 8, now, line, &lay, &score)
                    {
                        cols = better;
                    }
                }
                content.unhyphenate(&cols);
                let used = self.place(&mut content, boxes, &cols, None);
                let used_lines = used.div_ceil(line) as u32;
                self.cursor = (self.cursor + used_lines).min(geo.lines);
                self.resets.append(&mut content.resets);
                return;
            }
            let force = cap == full;
            moved = moved.max(self.defer_floats(&mut content, pos, n, cap));
            let next_cap = full.saturating_sub(u64::from(reserve) * line);
            let fill = |s: &Stream, pos: usize| {
                let mut cols = s.fill_page(pos, n, cap, force, next_cap, line);
                // What is carried over makes the next page: fewer than two lines a
                // column there (or none, with the notes to follow) reads badly, so
                // this page gives up lines, keeping at least as many itself.
                let min_tail = min_tail_of(n, line);
                let total = s.height(pos..s.len());
                let rest = |cols: &[Range<usize>]| {
                    let end = s.skip_space(cols.last().map_or(pos, |c| c.end));
                    s.height(end..s.len())
                };
                for k in 1..=MAX_CARRY {
                    let r = rest(&cols);
                    if r >= min_tail || (r == 0 && reserve == 0) {
                        break;
                    }
                    let shorter = cap.saturating_sub(k * line);
                    let trial = s.fill_page(pos, n, shorter, force, next_cap, line);
                    if total - rest(&trial) < min_tail {
                        break;
                    }
                    cols = trial;
                }
                cols
            };
            let mut cols = fill(&content.stream, pos);
            // A full page: every column down to the bottom line.
            let now = shortfall(&content.stream, &cols, cap);
            if now >= line {
                let until = cols.last().map_or(pos, |c| c.end);
                let lay = |s: &Stream, pos: usize| Some(fill(s, pos));
                let score = |s: &Stream, c: &[Range<usize>]| shortfall(s, c, cap);
                // This page and the next, full, and the carried-over tail: what a
                // trial page can look at (see `Content::trial`).
                let at = Window {
                    pos,
                    from: pos.max(moved),
                    column: cap,
                    ahead: n as u64 * (cap + next_cap) + 2 * min_tail_of(n, line),
                };
                // The short columns, and the one before each (its last lines can move).
                let short: Vec<Range<usize>> = (0..cols.len())
                    .filter(|&k| cap - content.stream.column(cols[k].clone()).min(cap) >= line)
                    .map(|k| cols[k.saturating_sub(1)].start..cols[k].end)
                    .collect();
                if let Some(better) = content.improve(at, until, &short, 3, now, 0, &lay, &score) {
                    cols = better;
                }
            }
            let end = cols.last().map_or(pos, |c| c.end);
            for c in cols.iter().filter(|c| !c.is_empty()) {
                self.breaks += 1;
                self.forced += usize::from(!content.stream.can_end(c.end));
            }
            content.unhyphenate(&cols);
            self.place(&mut content, boxes, &cols, Some(cap));
            pos = content.stream.skip_space(end);
            self.new_page(section, false);
        }
    }

    /// Lets figures that do not fit the rest of a column move to the next column, text
    /// after them filling the gap, column by column over one page. Returns the end of
    /// the last range it moved (0 if none).
    fn defer_floats(&self, content: &mut Content, pos: usize, n: usize, cap: u64) -> usize {
        let line = u64::from(SUB);
        let stream = &mut content.stream;
        let mut p = pos;
        let mut moved = 0;
        for _ in 0..n {
            // Each deferral moves a float later, so this ends; the bound is a guard.
            for _ in 0..8 {
                match stream.defer_float(p, cap, 2 * line) {
                    Some((range, by)) => {
                        moved = moved.max(range.end);
                        content.items[range.clone()].rotate_left(by);
                        content.notes[range].rotate_left(by);
                    }
                    None => break,
                }
            }
            p = stream.skip_space(stream.fill(p, cap, false).end);
        }
        moved
    }

    /// Draws the units of `cols` into the current page from the cursor, each column's
    /// footnotes under a short rule at its foot: at the bottom of `foot` (the height of
    /// a full page's columns) or, on an article's last page, under the column's text.
    /// Returns the tallest column's height.
    fn place(
        &mut self,
        content: &mut Content,
        boxes: &[NoteBox],
        cols: &[Range<usize>],
        foot: Option<u64>,
    ) -> u64 {
        let n = cols.len();
        let feet = foot.map(|f| vec![f; n]);
        let (out, heights) = draw_columns(
            self.geo,
            &content.stream,
            Payload {
                items: &mut content.items,
                notes: &mut content.notes,
                boxes,
            },
            self.cursor,
            cols,
            &vec![0; n],
            feet.as_deref(),
        );
        self.page().items.extend(out);
        self.measure(&heights);
        heights.into_iter().max().unwrap_or(0)
    }

    /// Records how full the last page is from the depth each column reaches below the
    /// cursor (columns not listed reach the cursor).
    pub(crate) fn measure(&mut self, heights: &[u64]) {
        let geo = self.geo;
        let sub = u64::from(SUB);
        let top = u64::from(self.cursor) * sub;
        let columns = geo.columns.max(1) as u64;
        let depth: u64 = heights.iter().map(|h| top + h).sum::<u64>()
            + columns.saturating_sub(heights.len() as u64) * top;
        let area = u64::from(geo.lines) * sub * columns;
        self.fill = depth as f32 / area.max(1) as f32;
        self.last_lines = heights.iter().sum::<u64>().div_ceil(sub) as u32;
    }

    /// Adds drawn items to the current page.
    pub(crate) fn draw(&mut self, items: Vec<Item>) {
        self.page().items.extend(items);
    }
}

/// What the units of a flow draw: their items, the column footnotes they refer to and
/// the notes' boxes.
pub(crate) struct Payload<'a> {
    pub items: &'a mut [Vec<Item>],
    pub notes: &'a mut [Vec<u32>],
    pub boxes: &'a [NoteBox],
}

/// Draws the units of `cols` from grid line `cursor` of a page, column `k` starting
/// `tops[k]` below it (under a figure across columns), each column's footnotes under a
/// short rule at its foot: ending at `feet[k]` below the cursor (a full page) or, without
/// `feet`, right under the column's text. Returns the items and how deep each column
/// reaches below the cursor.
#[allow(clippy::too_many_arguments)]
pub(crate) fn draw_columns(
    geo: &Geometry,
    stream: &Stream,
    payload: Payload<'_>,
    cursor: u32,
    cols: &[Range<usize>],
    tops: &[u64],
    feet: Option<&[u64]>,
) -> (Vec<Item>, Vec<u64>) {
    let y_at = |h: u64| geo.top + (cursor as f32 + h as f32 / SUB as f32) * geo.lead;
    let mut out = Vec::new();
    let mut heights = Vec::with_capacity(cols.len());
    for (k, col) in cols.iter().enumerate() {
        let x = geo.col_x(k);
        let mut h = tops.get(k).copied().unwrap_or(0);
        let mut notes = Vec::new();
        for i in col.clone() {
            let unit = stream.units()[i];
            let opens = i == col.start;
            h += if opens { u64::from(unit.lead) } else { 0 };
            let y = y_at(h);
            let drawn = lead_in(std::mem::take(&mut payload.items[i]), unit.lead, opens);
            out.extend(drawn.into_iter().map(|it| shift(it, x, y)));
            notes.append(&mut payload.notes[i]);
            h += u64::from(unit.height);
        }
        let note_h = stream.note_height(col.clone());
        if note_h > 0 {
            let sep = stream.note_sep();
            let mut at = match feet.and_then(|f| f.get(k)) {
                Some(&foot) => foot.saturating_sub(note_h).max(h + sep),
                None => h + sep,
            };
            out.push(geo.rule(x, y_at(at - sep / 2), geo.col_w / 3.0, 0.5, geo.text));
            for n in notes {
                if let Some(b) = payload.boxes.iter().find(|b| b.number == n) {
                    let y = y_at(at);
                    out.extend(b.items.iter().cloned().map(|it| shift(it, x, y)));
                    at += u64::from(b.height);
                }
            }
            h = at;
        }
        heights.push(h);
    }
    (out, heights)
}

/// Sets a body paragraph again `looseness` lines longer or shorter ([`Loose::reset`]),
/// with no hyphen at the end of the lines it names (0-based).
pub(crate) type Reset<'a> = &'a mut dyn FnMut(&Loose, i32, &[usize]) -> Option<Vec<Piece>>;

/// A trial setting: its score, which paragraph, its looseness, its lines, the page's
/// columns.
type Trial = (u64, usize, i32, Vec<Piece>, Vec<Range<usize>>);

/// Where a trial page of [`Content::improve`] starts (`pos`), where the paragraphs it
/// may set again start (`from`), the height of its columns (`column`) and how much
/// content after `pos` it can look at (`ahead`; `u64::MAX`: all of it).
#[derive(Clone, Copy)]
struct Window {
    pos: usize,
    from: usize,
    column: u64,
    ahead: u64,
}

#[cfg(test)]
thread_local! {
    /// The most units copied into one trial stream on this thread ([`Content::trial`]),
    /// for the test that a long article's trials stay a few pages long.
    pub(crate) static TRIAL_UNITS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Records a trial stream of `n` units (tests only).
fn count_trial_units(_n: usize) {
    #[cfg(test)]
    TRIAL_UNITS.with(|c| c.set(c.get().max(_n)));
}

/// Lays a page out from a stream, starting at the given unit: its columns, or `None`.
type LayPage<'a> = &'a dyn Fn(&Stream, usize) -> Option<Vec<Range<usize>>>;

/// What a full page must leave for the next, at least: two lines a column.
fn min_tail_of(columns: usize, line: u64) -> u64 {
    2 * columns as u64 * line
}

/// Where a paragraph that may be set again ([`Loose`]) has its lines now.
struct Spot {
    start: usize,
    lines: usize,
    /// Already set again: once is enough.
    done: bool,
    /// The looseness it is set with.
    looseness: i32,
}

/// Lines a page may give up, column by column, so that what it carries over is not a
/// line or two.
const MAX_CARRY: u64 = 8;

/// Between a column's text and its footnotes: the band of the short rule above them.
const NOTE_SEP: u64 = SUB as u64 * 3 / 4;

/// The least room the endnotes start in: their rule and two lines, and a line between.
const MIN_NOTES_ROOM: u32 = 4;

/// Grid lines to keep free under an article's last page for its endnotes: the rule and
/// the notes balanced over the columns, or [`MIN_NOTES_ROOM`] when they would take more
/// than a third of a page (they then continue on the next page anyway).
fn notes_room(notes: &[Piece], geo: &Geometry) -> u32 {
    if notes.is_empty() {
        return 0;
    }
    let line = u64::from(SUB);
    let stream = Stream::new(notes.iter().map(|p| p.unit).collect());
    let full = u64::from(geo.lines) * line;
    let height = stream
        .balance(0, geo.columns, full, line)
        .map(|cols| {
            cols.iter()
                .map(|c| stream.height(c.clone()))
                .max()
                .unwrap_or(0)
        })
        .unwrap_or(full);
    let lines = 1 + height.div_ceil(line) as u32;
    if lines > geo.lines / 3 {
        MIN_NOTES_ROOM
    } else {
        lines.max(MIN_NOTES_ROOM - 1)
    }
}

/// A unit's items as drawn: a unit with a lead (a continued table's row) carries the
/// lead's items above its top (at negative y, the repeated header), drawn only when the
/// unit opens a column.
fn lead_in(items: Vec<Item>, lead: u32, opens: bool) -> Vec<Item> {
    if lead == 0 || opens {
        return items;
    }
    let top = |item: &Item| match item {
        Item::Text(run) => run.y,
        Item::Rect { y, .. }
        | Item::Image { y, .. }
        | Item::Link { y, .. }
        | Item::Clip { y, .. } => *y,
        Item::EndClip => 0.0,
    };
    items.into_iter().filter(|i| top(i) >= 0.0).collect()
}

/// Whether a line's last text ends with a hyphen (a word broken at its end).
fn ends_with_hyphen(items: &[Item]) -> bool {
    items
        .iter()
        .rev()
        .find_map(|i| match i {
            Item::Text(r) => Some(r.text.ends_with(['\u{ad}', '-', '\u{2010}'])),
            _ => None,
        })
        .unwrap_or(false)
}

/// How much taller the tallest of `cols` is than the shortest.
fn spread(stream: &Stream, cols: &[Range<usize>]) -> u64 {
    let heights = cols.iter().map(|c| stream.column(c.clone()));
    heights.clone().max().unwrap_or(0) - heights.min().unwrap_or(0)
}

/// How far the columns of a full page (height `cap`) end above its bottom, together; a
/// column that ends where no break is allowed counts as empty.
fn shortfall(stream: &Stream, cols: &[Range<usize>], cap: u64) -> u64 {
    cols.iter()
        .map(|c| {
            if !c.is_empty() && !stream.can_end(c.end) {
                cap
            } else {
                cap.saturating_sub(stream.column(c.clone()))
            }
        })
        .sum()
}

/// The content of one flow (units and what they draw) and what may change in it:
/// setting a paragraph a line longer or shorter (TeX's `\looseness`, by hand) when that
/// lays a page out better.
struct Content<'l, 'r> {
    stream: Stream,
    items: Vec<Vec<Item>>,
    /// The column footnotes each unit refers to.
    notes: Vec<Vec<u32>>,
    spots: Vec<Spot>,
    loose: &'l [Loose],
    reset: Reset<'r>,
    /// Paragraphs set again, by span, and how.
    resets: Vec<(Span, i32)>,
}

impl Content<'_, '_> {
    /// Tries up to `tries` of the paragraphs that start in `at.from..until` (and have
    /// lines in `focus`, unless it is empty), the last first, one line longer and then
    /// one shorter; `lay` lays the page out from the changed content (a stream and where
    /// the page starts in it) and `score` rates it (lower is better; `now` is the current
    /// score). Keeps the first trial that scores `good` or better, else the best that
    /// improves; applies it and returns its columns, or `None` (nothing changed).
    #[allow(clippy::too_many_arguments)]
    fn improve(
        &mut self,
        at: Window,
        until: usize,
        focus: &[Range<usize>],
        tries: usize,
        now: u64,
        good: u64,
        lay: LayPage<'_>,
        score: &dyn Fn(&Stream, &[Range<usize>]) -> u64,
    ) -> Option<Vec<Range<usize>>> {
        let units = self.stream.units();
        let from = at.from;
        let mut candidates: Vec<usize> = (0..self.spots.len())
            .filter(|&k| {
                let s = &self.spots[k];
                !s.done && s.start >= from && s.start < until && s.start + s.lines <= units.len()
            })
            .rev()
            .collect();
        // Only paragraphs with lines in the columns that need it, when they are named.
        if !focus.is_empty() {
            candidates.retain(|&k| {
                let s = &self.spots[k];
                focus
                    .iter()
                    .any(|r| s.start < r.end && r.start < s.start + s.lines)
            });
        }
        candidates.truncate(tries);
        let mut best: Option<Trial> = None;
        'search: for k in candidates {
            let spot = &self.spots[k];
            for looseness in [1, -1] {
                let Some(pieces) = (self.reset)(&self.loose[k], looseness, &[]) else {
                    continue;
                };
                let (trial, lo) = self.trial(at, spot.start, spot.lines, &pieces);
                let Some(cols) = lay(&trial, at.pos - lo) else {
                    continue;
                };
                let s = score(&trial, &cols);
                let cols = cols.into_iter().map(|c| c.start + lo..c.end + lo).collect();
                if s < best.as_ref().map_or(now, |b| b.0) {
                    best = Some((s, k, looseness, pieces, cols));
                    if s <= good {
                        break 'search;
                    }
                }
            }
        }
        let (_, k, looseness, pieces, cols) = best?;
        self.resets.push((self.loose[k].span, looseness));
        let (start, lines) = (self.spots[k].start, self.spots[k].lines);
        let delta = pieces.len() as isize - lines as isize;
        self.stream
            .splice(start..start + lines, pieces.iter().map(|p| p.unit));
        let (items, notes): (Vec<_>, Vec<_>) =
            pieces.into_iter().map(|p| (p.items, p.notes)).unzip();
        self.items.splice(start..start + lines, items);
        self.notes.splice(start..start + lines, notes);
        for s in self.spots.iter_mut().filter(|s| s.start > start) {
            s.start = s.start.saturating_add_signed(delta);
        }
        let spot = &mut self.spots[k];
        spot.lines = spot.lines.saturating_add_signed(delta);
        spot.done = true;
        spot.looseness = looseness;
        Some(cols)
    }

    /// The content with the `lines` units from `start` replaced by `with`, as a trial
    /// page sees it: from just before `at.pos` (the index returned) to where the content
    /// after `at.pos` (its text and notes, spaces aside) reaches `at.ahead`, then one
    /// unit that stands for the rest. Without the cut every trial copied the whole
    /// article, which made a long article's layout quadratic.
    ///
    /// A page laid out from `at.pos` in columns of at most `at.column` takes less than
    /// `at.ahead` (the caller's bound: this page and the next, full, and what must be
    /// carried over), so it never reaches the stand-in, which is taller than any column,
    /// may be broken before as the unit it stands for, and has a footnote when the rest
    /// has one: the page comes out as from the whole content. A unit taller than a
    /// column (which a forced column holds alone, however tall) keeps the whole rest.
    fn trial(&self, at: Window, start: usize, lines: usize, with: &[Piece]) -> (Stream, usize) {
        let units = self.stream.units();
        let lo = at.pos.saturating_sub(1).min(start);
        let tail = start + lines;
        let new = with.iter().map(|p| p.unit);
        let mut patched = units[lo..start]
            .iter()
            .copied()
            .chain(new)
            .chain(units[tail..].iter().copied());
        let mut trial: Vec<Unit> = Vec::new();
        let mut seen = 0u64;
        let mut whole = at.ahead == u64::MAX;
        for (i, u) in (lo..).zip(patched.by_ref()) {
            if !whole && seen >= at.ahead {
                // `i` (a patched index) is the first unit left out.
                let before = i.min(start)..start;
                let after = (i + lines).saturating_sub(with.len()).max(tail)..units.len();
                let rest_notes = self.stream.note_height(before) > 0
                    || with[(i.saturating_sub(start)).min(with.len())..]
                        .iter()
                        .any(|p| p.unit.note > 0)
                    || self.stream.note_height(after) > 0;
                trial.push(Unit {
                    height: u32::MAX / 4,
                    break_before: u.break_before,
                    space: false,
                    float: false,
                    note: u32::from(rest_notes),
                    lead: 0,
                });
                count_trial_units(trial.len());
                let lo_trial = Stream::with_note_sep(trial, self.stream.note_sep());
                return (lo_trial, lo);
            }
            trial.push(u);
            if i >= at.pos && !u.space {
                let text = u64::from(u.height) + u64::from(u.note);
                whole |= text + u64::from(u.lead) + self.stream.note_sep() > at.column;
                seen += text;
            }
        }
        count_trial_units(trial.len());
        (Stream::with_note_sep(trial, self.stream.note_sep()), lo)
    }

    /// Sets again, with the same number of lines, each paragraph that ends one of `cols`
    /// (not the last, where the text goes on) with a hyphen, so that the word is not
    /// split across a column or a page when the paragraph can be set otherwise.
    fn unhyphenate(&mut self, cols: &[Range<usize>]) {
        let ends: Vec<usize> = cols
            .iter()
            .filter(|c| !c.is_empty() && c.end < self.stream.len())
            .map(|c| c.end - 1)
            .filter(|&i| ends_with_hyphen(&self.items[i]))
            .collect();
        for k in 0..self.spots.len() {
            let spot = &self.spots[k];
            let lines: Vec<usize> = ends
                .iter()
                .filter(|&&i| i >= spot.start && i < spot.start + spot.lines)
                .map(|&i| i - spot.start)
                .collect();
            if lines.is_empty() {
                continue;
            }
            let Some(pieces) = (self.reset)(&self.loose[k], spot.looseness, &lines) else {
                continue;
            };
            if pieces.len() != spot.lines {
                continue;
            }
            let start = spot.start;
            let units = self.stream.units();
            let same_rules = pieces
                .iter()
                .zip(&units[start..start + pieces.len()])
                .all(|(p, u)| p.unit == *u);
            if !same_rules {
                continue;
            }
            for (i, p) in pieces.into_iter().enumerate() {
                self.items[start + i] = p.items;
                self.notes[start + i] = p.notes;
            }
        }
    }
}
