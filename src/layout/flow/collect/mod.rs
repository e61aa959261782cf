//! Article bodies into column units: each block is set into lines or an atomic box, and
//! every unit gets its height on the baseline grid and its break permission (widows,
//! orphans, keeps), with the frame items it draws relative to its own top left corner.
//! Drop caps and tables have files of their own.

mod dropcap;
mod table;

use crate::layout::flow::Setter;
use crate::layout::flow::distribute::Unit;
use crate::layout::flow::span::{self, Spanning};
use crate::layout::flow::{Geometry, SUB, line_items, shift};
use crate::layout::frame::{Item, NodeId, NodeKind, NodeList, tag_items};
use crate::layout::inline::{Align, Request, Role};
use crate::model::{
    Article, Block, BlockKind, Figure, Footnote, Inline, InlineKind, Language, NotePlace, Span,
    run_in_caps,
};

/// A unit and what it draws (relative to the column's left edge and the unit's top).
#[derive(Clone)]
pub(crate) struct Piece {
    pub unit: Unit,
    pub items: Vec<Item>,
    /// The column footnotes this unit refers to, by number (their height is in the
    /// unit's `note`).
    pub notes: Vec<u32>,
}

impl Piece {
    fn new(unit: Unit, items: Vec<Item>) -> Piece {
        Piece {
            unit,
            items,
            notes: Vec::new(),
        }
    }
}

/// A footnote set for the foot of a column: its number, its height (a gap above it
/// included) and what it draws, relative to the column's left edge and the box's top.
#[derive(Clone)]
pub(crate) struct NoteBox {
    pub number: u32,
    pub height: u32,
    pub items: Vec<Item>,
}

/// An article's column content: the body (with an end byline), its column footnotes,
/// and the endnotes, which are set as a block of their own under the body.
#[derive(Clone)]
pub(crate) struct Body {
    pub main: Vec<Piece>,
    pub notes: Vec<Piece>,
    /// Footnotes set at the foot of the column of their reference.
    pub column_notes: Vec<NoteBox>,
    /// The body paragraphs the flow may set again a line longer or shorter.
    pub loose: Vec<Loose>,
    /// Figures across columns, in order; each left an anchor in `main` ([`span`]).
    pub spans: Vec<Spanning>,
    /// The article's structure nodes (see [`crate::layout::frame::NodeId`]).
    pub nodes: NodeList,
}

/// Tags what `pieces` draw with `node` (what has no node yet).
fn tag_pieces(pieces: &mut [Piece], node: NodeId) {
    for p in pieces {
        tag_items(&mut p.items, node);
    }
}

impl Body {
    /// Replaces paragraph `k` of [`Body::loose`] by `pieces` (a setting of it from
    /// [`Loose::reset`]); later paragraphs' positions follow.
    pub(crate) fn set_again(&mut self, k: usize, pieces: Vec<Piece>) {
        let (start, lines) = (self.loose[k].start, self.loose[k].lines);
        let delta = pieces.len() as isize - lines as isize;
        self.main.splice(start..start + lines, pieces);
        for l in self.loose.iter_mut().filter(|l| l.start > start) {
            l.start = l.start.saturating_add_signed(delta);
        }
        let l = &mut self.loose[k];
        l.lines = l.lines.saturating_add_signed(delta);
        l.last_fill = f32::NAN;
        l.applied = delta as i32;
    }
}

/// A body paragraph that may be set again one line longer or shorter, to balance an
/// article's last page: where its lines are among the pieces and how it was set.
#[derive(Clone)]
pub(crate) struct Loose {
    /// Index of its first line among [`Body::main`].
    pub start: usize,
    pub lines: usize,
    inlines: Vec<Inline>,
    x: f32,
    width: f32,
    indent: f32,
    /// Leading lines held to what precedes them (a subhead's keep).
    keep: u32,
    /// Bytes of an opening run-in set in small capitals (see [`Request::run_in`]).
    run_in: usize,
    /// The run-in is the opening words ([`Request::run_in_lower`]).
    run_in_lower: bool,
    /// The column footnotes anchored in this paragraph: number and height.
    notes: Vec<(u32, u32)>,
    /// How full its last line is, as a share of the measure (NaN once set again).
    pub last_fill: f32,
    /// Where the paragraph is written (its first inline's span).
    pub span: Span,
    /// Its structure node, which a new setting keeps.
    node: Option<NodeId>,
    /// Lines more (or fewer) than its best setting it is now set with.
    pub applied: i32,
}

/// Block quotes of at most this many lines are never broken across columns.
const WHOLE_QUOTE: usize = 10;

/// A re-set paragraph's last line must be at least this part of the measure.
const RUNT: f32 = 0.2;

impl Loose {
    /// The paragraph's lines set `looseness` lines longer (or shorter) than its best
    /// setting, none of the lines `no_hyphen` names (0-based) ending with a hyphen when
    /// that can be helped, as pieces with the same break rules; `None` when the setter
    /// cannot make exactly that many lines.
    pub(crate) fn reset<S: Setter>(
        &self,
        ctx: &mut S,
        geo: &Geometry,
        lang: &Language,
        looseness: i32,
        no_hyphen: &[usize],
    ) -> Option<Vec<Piece>> {
        let want = self.lines as i64 + i64::from(looseness);
        let lines = ctx.set(
            &Request::new(&self.inlines, Role::Body, lang, self.width)
                .align(Align::Justify)
                .indent(self.indent)
                .looseness(looseness)
                .run_in(self.run_in)
                .run_in_lower(self.run_in_lower)
                .no_hyphen_after(no_hyphen),
        );
        // A last line of a word or two is not worth a balanced page.
        let runt = lines.last().is_some_and(|l| l.width < RUNT * self.width);
        if lines.len() as i64 != want || (runt && want > 1) {
            return None;
        }
        let n = lines.len();
        let (size, _) = ctx.size_and_leading(Role::Body);
        let base = baseline_in(size, geo.pt(SUB));
        let pieces = lines
            .into_iter()
            .enumerate()
            .map(|(i, line)| {
                let ok = (i == 0 || (i >= 2 && n - i >= 2)) && i >= self.keep as usize;
                let mut piece = Piece::new(Unit::content(SUB, ok), Vec::new());
                for &(number, height) in &self.notes {
                    if line.notes.contains(&number) {
                        piece.notes.push(number);
                        piece.unit.note += height;
                    }
                }
                line_items(line, self.x, base, &mut piece.items);
                if let Some(node) = self.node {
                    tag_items(&mut piece.items, node);
                }
                piece
            })
            .collect();
        Some(pieces)
    }
}

/// How nested blocks are set: italic inside quotes, spaces only around outer blocks.
#[derive(Clone, Copy)]
struct Nest {
    italic: bool,
    depth: u32,
}

/// Turns an article's body, end byline and endnotes into column pieces.
pub(crate) struct Builder<'c, S: Setter> {
    ctx: &'c mut S,
    geo: &'c Geometry,
    lang: &'c Language,
    pieces: Vec<Piece>,
    loose: Vec<Loose>,
    /// Content units still to come that must stay with what precedes them.
    keep: u32,
    /// The next paragraph gets a first-line indent (it follows a paragraph).
    indent_next: bool,
    /// Where the text of the last unit ends, when it is a paragraph's last line.
    last_end: Option<f32>,
    /// Bytes of an opening run-in in the next paragraph set (the article's first).
    run_in: usize,
    /// The run-in is the opening words (small capitals from lower case).
    run_in_lower: bool,
    /// How full the last paragraph's last line is (share of its measure).
    last_fill: f32,
    /// Column footnotes not yet anchored to a line of text.
    column_notes: Vec<NoteBox>,
    /// Column footnotes anchored so far.
    anchored: Vec<NoteBox>,
    spans: Vec<Spanning>,
    /// The structure nodes made so far, and the node new blocks go under.
    nodes: NodeList,
    parent: Option<NodeId>,
    /// The article's file and text, and the span of the block being set: for warnings.
    source: Option<(std::path::PathBuf, std::sync::Arc<str>)>,
    span: Span,
    /// The body starts with the standfirst (too long for the head).
    standfirst_first: bool,
}

impl<'c, S: Setter> Builder<'c, S> {
    pub(crate) fn new(ctx: &'c mut S, geo: &'c Geometry, lang: &'c Language) -> Self {
        Builder {
            ctx,
            geo,
            lang,
            pieces: Vec::new(),
            loose: Vec::new(),
            keep: 0,
            indent_next: false,
            last_end: None,
            run_in: 0,
            run_in_lower: false,
            last_fill: 1.0,
            column_notes: Vec::new(),
            anchored: Vec::new(),
            spans: Vec::new(),
            nodes: NodeList::default(),
            parent: None,
            source: None,
            span: Span::default(),
            standfirst_first: false,
        }
    }

    /// Starts the body with the article's standfirst (see `compose::Head`).
    pub(crate) fn with_standfirst_first(mut self, yes: bool) -> Self {
        self.standfirst_first = yes;
        self
    }

    /// Makes the structure nodes in `nodes` (the article's, its head's already in it);
    /// blocks go under `parent`.
    pub(crate) fn with_nodes(mut self, nodes: NodeList, parent: Option<NodeId>) -> Self {
        self.nodes = nodes;
        self.parent = parent;
        self
    }

    /// The whole body of `article`: blocks, the byline when it goes at the end, and the
    /// footnotes as endnotes. `byline_at_end` is the prepared author line.
    pub(crate) fn article(mut self, article: &Article, byline_at_end: Option<&[Inline]>) -> Body {
        let nest = Nest {
            italic: false,
            depth: 0,
        };
        self.source = Some((article.source.clone(), article.text.clone()));
        let width = self.geo.col_w;
        let mut end_notes: Vec<&Footnote> = article.footnotes.iter().collect();
        if self.geo.notes == NotePlace::Column {
            end_notes = self.column_notes(&article.footnotes, width);
        }
        if self.standfirst_first
            && let Some(sf) = &article.standfirst
        {
            let start = self.pieces.len();
            let (_, lead) = self.ctx.size_and_leading(Role::Standfirst);
            let line = self.geo.grid_round(lead);
            let sf = [Inline::text(sf, article.front.standfirst)];
            self.paragraph(&sf, Role::Standfirst, Align::Left, 0.0, width, 0.0, line);
            let node = self.nodes.add(NodeKind::Paragraph, self.parent);
            tag_pieces(&mut self.pieces[start..], node);
            self.space(SUB, Vec::new());
        }
        let mut blocks = &article.blocks[..];
        if let Some(BlockKind::Paragraph(first)) = blocks.first().map(|b| &b.kind) {
            if self.geo.run_in_small_caps {
                self.run_in = run_in_caps(first);
            }
            if self.run_in == 0 && self.geo.opening_small_caps > 0 {
                self.run_in = opening_words(first, self.geo.opening_small_caps as usize);
                self.run_in_lower = self.run_in > 0;
            }
            let start = self.pieces.len();
            if self.geo.drop_caps && self.drop_cap(first, &article.text, width) {
                blocks = &blocks[1..];
                let node = self.nodes.add(NodeKind::Paragraph, self.parent);
                tag_pieces(&mut self.pieces[start..], node);
                for l in self.loose.iter_mut().filter(|l| l.start >= start) {
                    l.node = Some(node);
                }
            }
        }
        self.blocks(blocks, 0.0, width, nest);
        if let Some(names) = byline_at_end {
            self.end_byline(names, width);
        }
        while self.pieces.last().is_some_and(|p| p.unit.space) {
            self.pieces.pop();
        }
        let main = std::mem::take(&mut self.pieces);
        self.keep = 0;
        // Notes whose reference is in no line of running text (a table, a caption)
        // follow the article as endnotes.
        let unanchored: Vec<u32> = self.column_notes.iter().map(|n| n.number).collect();
        end_notes.extend(
            article
                .footnotes
                .iter()
                .filter(|f| unanchored.contains(&f.number)),
        );
        end_notes.sort_by_key(|f| f.number);
        self.endnotes(&end_notes, width);
        Body {
            main,
            notes: self.pieces,
            column_notes: self.anchored,
            loose: self.loose,
            spans: self.spans,
            nodes: self.nodes,
        }
    }

    /// Sets the footnotes for the foot of the column, each as one box; returns those
    /// too tall for it (over a third of a column), which stay endnotes.
    fn column_notes<'f>(&mut self, notes: &'f [Footnote], width: f32) -> Vec<&'f Footnote> {
        let gap = SUB / 3;
        let max = self.geo.lines * SUB / 3;
        let mut tall = Vec::new();
        for note in notes {
            let outer = std::mem::take(&mut self.pieces);
            self.endnotes(&[note], width);
            let lines = std::mem::replace(&mut self.pieces, outer);
            let height = gap + lines.iter().map(|p| p.unit.height).sum::<u32>();
            if height > max {
                tall.push(note);
                continue;
            }
            let mut items = Vec::new();
            let mut y = gap;
            for p in lines {
                let dy = self.geo.pt(y);
                items.extend(p.items.into_iter().map(|i| shift(i, 0.0, dy)));
                y += p.unit.height;
            }
            self.column_notes.push(NoteBox {
                number: note.number,
                height,
                items,
            });
        }
        tall
    }

    fn blocks(&mut self, blocks: &[Block], x: f32, width: f32, nest: Nest) {
        for block in blocks {
            self.block(block, x, width, nest);
        }
    }

    /// Sets one block and tags what it draws with a structure node of its kind (what
    /// its inner blocks drew has their own nodes).
    fn block(&mut self, block: &Block, x: f32, width: f32, nest: Nest) {
        let kind = match &block.kind {
            BlockKind::Paragraph(_) => NodeKind::Paragraph,
            BlockKind::Heading { level, .. } => NodeKind::Heading((*level).clamp(2, 6)),
            BlockKind::List(list) => NodeKind::List {
                numbered: list.start.is_some(),
            },
            BlockKind::Quote(_) => NodeKind::BlockQuote,
            BlockKind::PullQuote(_) => NodeKind::Aside,
            BlockKind::Figure(_) => NodeKind::Figure,
            BlockKind::Table(_) => NodeKind::Table,
            BlockKind::CodeBlock { .. } => NodeKind::Code,
            BlockKind::Rule => {
                return self.block_content(block, x, width, nest);
            }
        };
        let node = self.nodes.add(kind, self.parent);
        match &block.kind {
            BlockKind::Heading { content, .. } => {
                self.nodes
                    .set_alt(node, crate::model::Inline::plain_text(content));
            }
            BlockKind::Figure(figure) => self.nodes.set_alt(node, figure.image.alt.clone()),
            _ => {}
        }
        // A figure's caption is a node of its own after the figure.
        let caption = match &block.kind {
            BlockKind::Figure(f) if !f.caption.is_empty() => {
                Some(self.nodes.add(NodeKind::Caption, self.parent))
            }
            _ => None,
        };
        let outer_parent = self.parent.replace(node);
        let (start, spans) = (self.pieces.len(), self.spans.len());
        let outer_span = std::mem::replace(&mut self.span, block.span);
        self.block_content(block, x, width, nest);
        self.span = outer_span;
        self.parent = outer_parent;
        for piece in &mut self.pieces[start..] {
            if let Some(caption) = caption {
                tag_texts(&mut piece.items, caption);
            }
            tag_items(&mut piece.items, node);
        }
        for s in &mut self.spans[spans..] {
            if let Some(caption) = caption {
                tag_texts(s.items_mut(), caption);
            }
            tag_items(s.items_mut(), node);
        }
    }

    fn block_content(&mut self, block: &Block, x: f32, width: f32, nest: Nest) {
        let outer = nest.depth == 0;
        match &block.kind {
            BlockKind::Paragraph(inlines) => {
                let indent = if self.indent_next {
                    self.geo.style_indent
                } else {
                    0.0
                };
                let content = if nest.italic {
                    vec![Inline::new(
                        InlineKind::Emphasis(inlines.clone()),
                        block.span,
                    )]
                } else {
                    inlines.clone()
                };
                let (start, keep, run_in) = (self.pieces.len(), self.keep, self.run_in);
                let anchored = self.anchored.len();
                self.paragraph(&content, Role::Body, Align::Justify, x, width, indent, SUB);
                self.indent_next = true;
                if outer {
                    let notes = self.anchored[anchored..]
                        .iter()
                        .map(|n| (n.number, n.height))
                        .collect();
                    self.loose.push(Loose {
                        start,
                        lines: self.pieces.len() - start,
                        inlines: content,
                        x,
                        width,
                        indent,
                        keep,
                        run_in,
                        run_in_lower: self.run_in_lower,
                        notes,
                        last_fill: self.last_fill,
                        span: block.span,
                        applied: 0,
                        node: self.parent,
                    });
                }
            }
            BlockKind::Heading { content, .. } => {
                self.space(SUB, Vec::new());
                self.heading(content, x, width);
                self.indent_next = false;
            }
            BlockKind::List(list) => {
                if outer {
                    self.space(SUB, Vec::new());
                }
                // Hangs differ from the paragraph indent (1 em), so that an item's
                // continuation lines never read as new paragraphs.
                let em = self.geo.body_size;
                let hang = if list.start.is_some() {
                    1.6 * em
                } else {
                    1.35 * em
                };
                let inner = Nest {
                    depth: nest.depth + 1,
                    ..nest
                };
                let start = self.pieces.len();
                for (i, item) in list.items.iter().enumerate() {
                    let marker = match list.start {
                        Some(n) => format!("{}.", n + i as u64),
                        None => "\u{2022}".to_string(),
                    };
                    let first = self.pieces.len();
                    self.indent_next = false;
                    let li = self.nodes.add(NodeKind::ListItem, self.parent);
                    let label = self.nodes.add(NodeKind::Label, Some(li));
                    let body = self.nodes.add(NodeKind::ListBody, Some(li));
                    let outer_parent = self.parent.replace(body);
                    self.blocks(item, x + hang, width - hang, inner);
                    self.parent = outer_parent;
                    tag_pieces(&mut self.pieces[first..], body);
                    self.marker(first, &marker, x, hang - 0.35 * em);
                    tag_pieces(&mut self.pieces[first..], label);
                }
                if outer {
                    self.keep_block_together(start);
                }
                if outer {
                    self.space(SUB, Vec::new());
                }
                self.indent_next = false;
            }
            BlockKind::Quote(blocks) => {
                if outer {
                    self.space(SUB, Vec::new());
                }
                let ind = 1.5 * self.geo.body_size;
                self.indent_next = false;
                let inner = Nest {
                    italic: !nest.italic,
                    depth: nest.depth + 1,
                };
                let start = self.pieces.len();
                self.blocks(blocks, x + ind, width - 2.0 * ind, inner);
                if outer {
                    self.keep_quote(start);
                    self.space(SUB, Vec::new());
                }
                self.indent_next = false;
            }
            BlockKind::PullQuote(inlines) => {
                self.space(SUB, Vec::new());
                self.pull_quote(inlines, x, width);
                self.space(SUB, Vec::new());
                self.indent_next = false;
            }
            BlockKind::Figure(figure) if outer && figure.span.columns(self.geo.columns) > 1 => {
                // Out of the text's run: only an anchor stays, which holds what a keep
                // holds together. A figure taller than a page stays in the run.
                let ordinal = self.spans.len();
                match span::build(self.ctx, self.geo, self.lang, figure, ordinal) {
                    Some(spanning) => {
                        self.spans.push(spanning);
                        self.pieces
                            .push(Piece::new(span::anchor(self.keep == 0), Vec::new()));
                    }
                    None => {
                        self.warn_span_too_tall();
                        self.space(SUB, Vec::new());
                        self.figure(figure, x, width);
                        self.space(SUB, Vec::new());
                        self.indent_next = false;
                    }
                }
            }
            BlockKind::Figure(figure) => {
                self.space(SUB, Vec::new());
                self.figure(figure, x, width);
                self.space(SUB, Vec::new());
                self.indent_next = false;
            }
            BlockKind::Table(table) => {
                self.space(SUB, Vec::new());
                self.table(table, x, width);
                self.space(SUB, Vec::new());
                self.indent_next = false;
            }
            BlockKind::CodeBlock { text, .. } => {
                if outer {
                    self.space(SUB, Vec::new());
                }
                self.code(text, block.span, x, width);
                if outer {
                    self.space(SUB, Vec::new());
                }
                self.indent_next = false;
            }
            BlockKind::Rule => {
                let w = (width / 4.0).min(40.0);
                let y = 0.5 * self.geo.lead;
                let rule = self
                    .geo
                    .rule(x + (width - w) / 2.0, y, w, 0.6, self.geo.accent);
                self.space(SUB, vec![rule]);
                self.indent_next = false;
            }
        }
    }

    /// Adds a content unit; breaks before it are allowed when `ok` and no keep is pending.
    fn push(&mut self, height: u32, items: Vec<Item>, ok: bool) {
        self.last_end = None;
        let ok = ok && self.keep == 0;
        self.keep = self.keep.saturating_sub(1);
        self.pieces
            .push(Piece::new(Unit::content(height.max(1), ok), items));
    }

    /// Adds a box that is meant to stay whole (a subhead, a pull quote, a figure with its
    /// caption, a table row) as one unit, or, when it is taller than a column, as slices
    /// cut between its lines, each no taller than a column, so that no line is lost off
    /// the foot of a page. Returns how many units it made. A box that cannot be cut small
    /// enough (no line to cut between) is kept whole and warned about: the page cuts it.
    fn push_tall(&mut self, height: u32, items: Vec<Item>, ok: bool) -> usize {
        let column = self.geo.lines * SUB;
        if height <= column {
            self.push(height, items, ok);
            return 1;
        }
        let lead = self.geo.lead;
        // One line of the column kept free: a slice's top is moved to the grid line above it.
        let cap = self.geo.pt(column.saturating_sub(SUB).max(SUB));
        let slices = split_tall(items, self.geo.pt(height), cap, lead);
        let n = slices.len();
        for (i, (h, items)) in slices.into_iter().enumerate() {
            let h = self.geo.grid_round(h).max(SUB);
            if h > column {
                self.warn_tall();
            }
            self.push(h, items, ok || i > 0);
        }
        n
    }

    /// The warning for a spanning figure too tall for a page, set in one column instead.
    fn warn_span_too_tall(&mut self) {
        let mut d = crate::diag::Diagnostic::warning(
            "this figure with its caption is taller than a page, so it cannot span columns: it is set one column wide in the text",
        )
        .with_hint("shorten the caption, or remove the `span` attribute");
        if let Some((file, text)) = &self.source {
            d = d.in_file(file);
            if !self.span.is_empty() {
                d = d.at_range(text, self.span.range());
            }
        }
        self.ctx.warn(d);
    }

    /// The warning for a box taller than a column that could not be cut.
    fn warn_tall(&mut self) {
        let mut d = crate::diag::Diagnostic::warning(
            "this block is taller than a column and cannot be cut between lines: the page cuts off what does not fit",
        )
        .with_hint("shorten it, or make it a paragraph");
        if let Some((file, text)) = &self.source {
            d = d.in_file(file);
            if !self.span.is_empty() {
                d = d.at_range(text, self.span.range());
            }
        }
        self.ctx.warn(d);
    }

    /// A block quote from unit `start` stays whole when it is short (up to
    /// [`WHOLE_QUOTE`] lines), so no word of it is broken across columns and its
    /// attribution stays with it; a longer one breaks like a list, with at least two
    /// lines on each side.
    fn keep_quote(&mut self, start: usize) {
        let lines = self.pieces[start..]
            .iter()
            .filter(|p| !p.unit.space)
            .count();
        if lines <= WHOLE_QUOTE {
            for piece in self.pieces.iter_mut().skip(start + 1) {
                piece.unit.break_before = false;
            }
        } else {
            self.keep_block_together(start);
        }
    }

    /// Treats the units from `start` as one block for column breaks, like a paragraph:
    /// at least two of them on each side of a break (no item alone at a column's top or
    /// bottom).
    fn keep_block_together(&mut self, start: usize) {
        let total = self.pieces[start..]
            .iter()
            .filter(|p| !p.unit.space)
            .count();
        let mut index = 0;
        for piece in &mut self.pieces[start..] {
            if piece.unit.space {
                continue;
            }
            if index > 0 && (index < 2 || total - index < 2) {
                piece.unit.break_before = false;
            }
            index += 1;
        }
    }

    /// Adds discardable space (merged with a space just before, but not with the anchor
    /// of a spanning figure; never at the start).
    fn space(&mut self, height: u32, items: Vec<Item>) {
        match self.pieces.last_mut() {
            None => {}
            Some(last) if last.unit.space && !span::is_anchor(&last.unit) => {
                last.unit.height = last.unit.height.max(height);
                last.items.extend(items);
            }
            Some(_) => self.pieces.push(Piece::new(Unit::space(height), items)),
        }
    }

    /// Sets a paragraph line by line; each line is a unit of `line_height`. A column may
    /// break before line `i` only with two lines on each side (no widows or orphans).
    #[allow(clippy::too_many_arguments)]
    fn paragraph(
        &mut self,
        inlines: &[Inline],
        role: Role,
        align: Align,
        x: f32,
        width: f32,
        indent: f32,
        line_height: u32,
    ) {
        let (size, _) = self.ctx.size_and_leading(role);
        let lines = self.ctx.set(
            &Request::new(inlines, role, self.lang, width)
                .align(align)
                .indent(indent)
                .run_in(std::mem::take(&mut self.run_in))
                .run_in_lower(self.run_in_lower),
        );
        let n = lines.len();
        let base = baseline_in(size, self.geo.pt(line_height));
        let mut end = None;
        let mut fill = 1.0;
        for (i, line) in lines.into_iter().enumerate() {
            let ok = i == 0 || (i >= 2 && n - i >= 2);
            let first = if i == 0 { indent } else { 0.0 };
            end = Some(x + first + line.width);
            fill = (first + line.width) / width.max(1.0);
            let notes = self.anchor(&line.notes);
            let mut items = Vec::new();
            line_items(line, x, base, &mut items);
            self.push(line_height, items, ok);
            self.attach(&notes);
        }
        self.last_end = end;
        self.last_fill = fill;
    }

    /// Gives the last unit the column footnotes its line refers to.
    fn attach(&mut self, notes: &[(u32, u32)]) {
        if let Some(last) = self.pieces.last_mut() {
            last.unit.note = notes.iter().map(|&(_, h)| h).sum();
            last.notes = notes.iter().map(|&(n, _)| n).collect();
        }
    }

    /// Takes the column footnotes referred to in a line (first references only):
    /// their numbers and heights.
    fn anchor(&mut self, refs: &[u32]) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        for &number in refs {
            if let Some(k) = self.column_notes.iter().position(|n| n.number == number) {
                let note = self.column_notes.remove(k);
                out.push((number, note.height));
                self.anchored.push(note);
            }
        }
        out
    }

    /// A subhead on the grid: its last baseline sits on a grid baseline; it keeps with
    /// the next two lines.
    fn heading(&mut self, content: &[Inline], x: f32, width: f32) {
        let (_, lead) = self.ctx.size_and_leading(Role::Subhead);
        let lines = self
            .ctx
            .set(&Request::new(content, Role::Subhead, self.lang, width));
        let n = lines.len().max(1);
        let above = (n - 1) as f32 * lead;
        let grid_lines = ((above / self.geo.lead) - 1e-3).ceil().max(0.0) as u32 + 1;
        let last_base = (grid_lines - 1) as f32 * self.geo.lead + self.geo.base;
        let mut items = Vec::new();
        for (i, line) in lines.into_iter().enumerate() {
            let y = last_base - (n - 1 - i) as f32 * lead;
            line_items(line, x, y, &mut items);
        }
        self.push_tall(grid_lines * SUB, items, true);
        self.keep = 2;
    }

    /// A list marker hung to the left of the first unit added since `first`.
    fn marker(&mut self, first: usize, marker: &str, x: f32, width: f32) {
        if first >= self.pieces.len() {
            return;
        }
        let lines = self.ctx.set(
            &Request::new(
                &[Inline::text(marker, Span::default())],
                Role::Body,
                self.lang,
                width.max(1.0),
            )
            .align(Align::Right),
        );
        let mut items = Vec::new();
        for line in lines.into_iter().take(1) {
            line_items(line, x, self.geo.base, &mut items);
        }
        // The first unit of the item may be a space (a nested list); use the first
        // content unit.
        if let Some(p) = self.pieces[first..].iter_mut().find(|p| !p.unit.space) {
            p.items.extend(items);
        }
    }

    /// Display type between accent rules, kept whole, rounded to the grid.
    fn pull_quote(&mut self, inlines: &[Inline], x: f32, width: f32) {
        let (size, lead) = self.ctx.size_and_leading(Role::PullQuote);
        let pad = 0.6 * self.geo.lead;
        let lines = self
            .ctx
            .set(&Request::new(inlines, Role::PullQuote, self.lang, width));
        let n = lines.len();
        let content = 1.5 + pad + n as f32 * lead + pad + 0.6;
        let height = self.geo.grid_round(content);
        let h_pt = self.geo.pt(height);
        let top = (h_pt - content) / 2.0;
        let mut items = vec![self.geo.rule(x, top, width, 1.5, self.geo.accent)];
        let first = top + 1.5 + pad + baseline_in(size, lead);
        for (i, line) in lines.into_iter().enumerate() {
            line_items(line, x, first + i as f32 * lead, &mut items);
        }
        items.push(
            self.geo
                .rule(x, top + content - 0.6, width, 0.6, self.geo.accent),
        );
        // Pull quotes repeat the text: they may move past what follows them (unless cut
        // into slices, which must stay in order).
        if self.push_tall(height, items, true) == 1
            && let Some(last) = self.pieces.last_mut()
        {
            last.unit.float = true;
        }
    }

    /// An image at the column width (or smaller when very tall) with its caption below;
    /// kept whole, rounded to the grid.
    fn figure(&mut self, figure: &Figure, x: f32, width: f32) {
        let max_h = self.geo.lines as f32 * self.geo.lead * 0.55;
        let (items, bottom) = figure_items(
            self.ctx, self.geo, self.lang, figure, x, width, max_h, width,
        );
        let height = self.geo.grid_round(bottom);
        if self.push_tall(height, items, true) == 1
            && let Some(last) = self.pieces.last_mut()
        {
            last.unit.float = true;
        }
    }

    /// Preformatted text: one grid line per source line (long lines wrap), left aligned,
    /// no hyphenation (the role says so), breakable like a paragraph. Every line has the
    /// block's span: warnings about it point at the block's start.
    fn code(&mut self, text: &str, span: Span, x: f32, width: f32) {
        let (size, _) = self.ctx.size_and_leading(Role::Code);
        let base = baseline_in(size, self.geo.lead);
        let mut all = Vec::new();
        for src in text.trim_end_matches('\n').split('\n') {
            let lines = if src.trim().is_empty() {
                Vec::new()
            } else {
                self.ctx.set(&Request::new(
                    &[Inline::text(src, span)],
                    Role::Code,
                    self.lang,
                    width,
                ))
            };
            if lines.is_empty() {
                all.push(Vec::new());
            }
            for line in lines {
                let mut items = Vec::new();
                line_items(line, x, base, &mut items);
                all.push(items);
            }
        }
        let n = all.len();
        for (i, items) in all.into_iter().enumerate() {
            let ok = i == 0 || (i >= 2 && n - i >= 2);
            self.push(SUB, items, ok);
        }
    }

    /// The authors after the last line, flush right, kept with it: on that line when it
    /// has room, else on a line of their own.
    fn end_byline(&mut self, names: &[Inline], width: f32) {
        let last_end = self.last_end;
        let lines = self
            .ctx
            .set(&Request::new(names, Role::Byline, self.lang, width).align(Align::Right));
        // Run in, flush right on the last line of text when it has room.
        let body = self.geo.body_size;
        let node = self.nodes.add(NodeKind::Paragraph, self.parent);
        if let ([line], Some(end), Some(last)) = (&lines[..], last_end, self.pieces.last_mut())
            && end + 1.5 * body + line.width <= width
            && !last.unit.space
        {
            let mut items = Vec::new();
            line_items(line.clone(), 0.0, self.geo.base, &mut items);
            tag_items(&mut items, node);
            last.items.extend(items);
            // The byline now shares the last paragraph's last line: keep that setting.
            let ends = self.pieces.len();
            self.loose.retain(|l| l.start + l.lines < ends);
            return;
        }
        for line in lines {
            let mut items = Vec::new();
            line_items(line, 0.0, self.geo.base, &mut items);
            tag_items(&mut items, node);
            self.push(SUB, items, false);
        }
    }

    /// Footnotes as endnotes: each note's number hung left of its text, in the smaller
    /// footnote type (the rule above them is drawn with their block).
    fn endnotes(&mut self, notes: &[&Footnote], width: f32) {
        let (size, lead) = self.ctx.size_and_leading(Role::Footnote);
        let line_height = self.geo.sub(lead);
        let hang = 1.4 * size;
        for note in notes {
            let first = self.pieces.len();
            self.indent_next = false;
            for block in &note.blocks {
                let inlines = match &block.kind {
                    BlockKind::Paragraph(inlines) => inlines.clone(),
                    _ => vec![Inline::text(plain_block_text(block), block.span)],
                };
                self.paragraph(
                    &inlines,
                    Role::Footnote,
                    Align::Justify,
                    hang,
                    width - hang,
                    0.0,
                    line_height,
                );
            }
            if first < self.pieces.len() {
                let lines = self.ctx.set(
                    &Request::new(
                        &[Inline::text(note.number.to_string(), Span::default())],
                        Role::Footnote,
                        self.lang,
                        hang - 0.3 * size,
                    )
                    .align(Align::Right),
                );
                let slot = self.geo.pt(line_height);
                let mut items = Vec::new();
                for line in lines.into_iter().take(1) {
                    line_items(line, 0.0, baseline_in(size, slot), &mut items);
                }
                // Drawn first, so that text extraction reads the number before the note.
                let first_items = &mut self.pieces[first].items;
                items.append(first_items);
                *first_items = items;
                let node = self.nodes.add(NodeKind::Note, self.parent);
                tag_pieces(&mut self.pieces[first..], node);
            }
        }
    }
}

/// Tags the text runs in `items` that have no node yet with `node` (a caption under
/// its image).
fn tag_texts(items: &mut [Item], node: NodeId) {
    for item in items {
        if let Item::Text(run) = item
            && run.node.is_none()
        {
            run.node = Some(node);
        }
    }
}

/// Cuts the items of a box `height` points tall into slices of at most `cap` points
/// (when it can), between lines of text and never through an image or a shaded box;
/// each slice moved up by a whole number of `lead`s so its lines keep their place on the
/// baseline grid. Returns each slice's height (points from its top) and items. Items are
/// given to the slice holding their baseline (text), their middle (links, boxes) or their
/// top (images).
pub(crate) fn split_tall(
    items: Vec<Item>,
    height: f32,
    cap: f32,
    lead: f32,
) -> Vec<(f32, Vec<Item>)> {
    let key = |item: &Item| match item {
        Item::Text(run) => run.y,
        Item::Link { y, height, .. } => y + height * 0.75,
        Item::Rect { y, height, .. } => y + height / 2.0,
        Item::Image { y, .. } | Item::Clip { y, .. } => *y,
        Item::EndClip => f32::NEG_INFINITY,
    };
    // Where a cut may go: just under each line of text (below its descenders), unless
    // that is inside an image or a box thicker than a rule.
    let solid: Vec<(f32, f32)> = items
        .iter()
        .filter_map(|item| match item {
            Item::Image { y, height, .. } => Some((*y, y + height)),
            Item::Rect { y, height, .. } if *height > 2.0 => Some((*y, y + height)),
            _ => None,
        })
        .collect();
    let mut cuts: Vec<f32> = items
        .iter()
        .filter_map(|item| match item {
            Item::Text(run) => Some(run.y + 0.3 * run.size),
            _ => None,
        })
        .filter(|c| *c < height && !solid.iter().any(|&(a, b)| a < *c && *c < b))
        .collect();
    cuts.sort_by(f32::total_cmp);
    cuts.dedup_by(|a, b| (*a - *b).abs() < 0.01);

    let mut bounds = Vec::new(); // (from, to, shift)
    let mut from = 0.0f32;
    loop {
        let shift = (from / lead + 1e-3).floor() * lead;
        if height - shift <= cap {
            bounds.push((from, f32::INFINITY, shift));
            break;
        }
        let limit = shift + cap;
        let fits = cuts.iter().rev().find(|&&c| c > from + 0.01 && c <= limit);
        let cut = fits.or_else(|| cuts.iter().find(|&&c| c > from + 0.01));
        match cut {
            Some(&c) => {
                bounds.push((from, c, shift));
                from = c;
            }
            None => {
                bounds.push((from, f32::INFINITY, shift));
                break;
            }
        }
    }
    let mut slices: Vec<(f32, Vec<Item>)> = bounds
        .iter()
        .map(|&(_, to, shift)| (to.min(height) - shift, Vec::new()))
        .collect();
    for item in items {
        let k = key(&item);
        let i = bounds
            .iter()
            .position(|&(_, to, _)| k < to)
            .unwrap_or(bounds.len() - 1);
        slices[i].1.push(shift(item, 0.0, -bounds[i].2));
    }
    slices
}

/// A figure's image `width` wide (narrower and centred when it would be taller than
/// `max_h`), its top at 0, with its caption under it set `caption_w` wide from `x`;
/// returns the items and how far down they reach.
#[allow(clippy::too_many_arguments)]
pub(crate) fn figure_items(
    ctx: &mut impl Setter,
    geo: &Geometry,
    lang: &Language,
    figure: &Figure,
    x: f32,
    width: f32,
    max_h: f32,
    caption_w: f32,
) -> (Vec<Item>, f32) {
    let img = &figure.image;
    let aspect = img.height_px.max(1) as f32 / img.width_px.max(1) as f32;
    let (mut w, mut h) = (width, width * aspect);
    if h > max_h {
        h = max_h;
        w = h / aspect;
    }
    let mut items = vec![Item::Image {
        x: x + (width - w) / 2.0,
        y: 0.0,
        width: w,
        height: h,
        image: img.clone(),
        node: None,
    }];
    let mut bottom = h;
    if !figure.caption.is_empty() {
        let (size, lead) = ctx.size_and_leading(Role::Caption);
        let lines = ctx.set(&Request::new(
            &figure.caption,
            Role::Caption,
            lang,
            caption_w,
        ));
        let top = h + 0.35 * geo.lead;
        for (i, line) in lines.iter().enumerate() {
            line_items(
                line.clone(),
                x,
                top + baseline_in(size, lead) + i as f32 * lead,
                &mut items,
            );
        }
        bottom = top + lines.len() as f32 * lead;
    }
    (items, bottom)
}

/// Where the baseline sits in a line box of height `lead` for type of `size`: half the
/// extra leading above, then the ascent of the em box (0.8 em).
pub(crate) fn baseline_in(size: f32, lead: f32) -> f32 {
    (lead - size) / 2.0 + 0.8 * size
}

/// Bytes of the first `words` words of a paragraph's first text (the words and the
/// spaces between them; fewer when the text has fewer).
fn opening_words(paragraph: &[Inline], words: usize) -> usize {
    let Some(InlineKind::Text(text)) = paragraph.first().map(|i| &i.kind) else {
        return 0;
    };
    let mut seen = 0;
    let mut in_word = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if in_word {
                seen += 1;
                if seen == words {
                    return i;
                }
            }
            in_word = false;
        } else {
            in_word = true;
        }
    }
    text.len()
}

/// Plain text of a non-paragraph block inside a footnote.
fn plain_block_text(block: &Block) -> String {
    match &block.kind {
        BlockKind::Paragraph(i) | BlockKind::PullQuote(i) => Inline::plain_text(i),
        BlockKind::Heading { content, .. } => Inline::plain_text(content),
        BlockKind::CodeBlock { text, .. } => text.clone(),
        BlockKind::List(list) => list
            .items
            .iter()
            .flat_map(|item| item.iter().map(plain_block_text))
            .collect::<Vec<_>>()
            .join("; "),
        BlockKind::Quote(blocks) => blocks
            .iter()
            .map(plain_block_text)
            .collect::<Vec<_>>()
            .join(" "),
        BlockKind::Figure(f) => Inline::plain_text(&f.caption),
        BlockKind::Table(_) | BlockKind::Rule => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_words_count_words_not_spaces() {
        let p = [Inline::text(
            "Authorities  in Kazakhstan said",
            Span::default(),
        )];
        assert_eq!(opening_words(&p, 2), "Authorities  in".len());
        assert_eq!(
            opening_words(&p, 9),
            "Authorities  in Kazakhstan said".len()
        );
        assert_eq!(opening_words(&[], 2), 0);
    }

    #[test]
    fn baseline_sits_inside_the_box() {
        let b = baseline_in(9.5, 11.5);
        assert!((b - 8.6).abs() < 1e-4);
        assert!(b < 11.5);
    }
}
