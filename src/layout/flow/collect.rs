//! Article bodies into column units: each block is set into lines or an atomic box, and
//! every unit gets its height on the baseline grid and its break permission (widows,
//! orphans, keeps), with the frame items it draws relative to its own top left corner.

use crate::layout::flow::Setter;
use crate::layout::flow::distribute::Unit;
use crate::layout::flow::{Geometry, SUB, line_items, shift};
use crate::layout::frame::Item;
use crate::layout::inline::{Align, Line, Role};
use crate::model::{Alignment, Article, Block, Figure, Footnote, Inline, Language, Table};

/// A unit and what it draws (relative to the column's left edge and the unit's top).
pub struct Piece {
    pub unit: Unit,
    pub items: Vec<Item>,
}

/// An article's column content: the body (with an end byline) and the endnotes, which
/// are set as a block of their own under the body.
pub struct Body {
    pub main: Vec<Piece>,
    pub notes: Vec<Piece>,
    /// The body paragraphs the flow may set again a line longer or shorter.
    pub loose: Vec<Loose>,
}

/// A body paragraph that may be set again one line longer or shorter, to balance an
/// article's last page: where its lines are among the pieces and how it was set.
pub struct Loose {
    /// Index of its first line among [`Body::main`].
    pub start: usize,
    pub lines: usize,
    inlines: Vec<Inline>,
    x: f32,
    width: f32,
    indent: f32,
    /// Leading lines held to what precedes them (a subhead's keep).
    keep: u32,
}

/// A re-set paragraph's last line must be at least this part of the measure.
const RUNT: f32 = 0.2;

impl Loose {
    /// The paragraph's lines set `looseness` lines longer (or shorter), as pieces with
    /// the same break rules; `None` when the setter cannot make exactly that many lines.
    pub fn reset<S: Setter>(
        &self,
        ctx: &mut S,
        geo: &Geometry,
        lang: &Language,
        looseness: i32,
    ) -> Option<Vec<Piece>> {
        let want = self.lines as i64 + i64::from(looseness);
        let lines = ctx.set_loose(
            &self.inlines,
            Role::Body,
            lang,
            self.width,
            Align::Justify,
            self.indent,
            looseness,
        )?;
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
                let mut items = Vec::new();
                line_items(line, self.x, base, &mut items);
                Piece {
                    unit: Unit::content(SUB, ok),
                    items,
                }
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
pub struct Builder<'c, S: Setter> {
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
}

impl<'c, S: Setter> Builder<'c, S> {
    pub fn new(ctx: &'c mut S, geo: &'c Geometry, lang: &'c Language) -> Self {
        Builder {
            ctx,
            geo,
            lang,
            pieces: Vec::new(),
            loose: Vec::new(),
            keep: 0,
            indent_next: false,
            last_end: None,
        }
    }

    /// The whole body of `article`: blocks, the byline when it goes at the end, and the
    /// footnotes as endnotes. `byline_at_end` is the prepared author line.
    pub fn article(mut self, article: &Article, byline_at_end: Option<&str>) -> Body {
        let nest = Nest {
            italic: false,
            depth: 0,
        };
        let width = self.geo.col_w;
        let mut blocks = &article.blocks[..];
        if let Some(Block::Paragraph(first)) = blocks.first()
            && self.geo.drop_caps
            && self.drop_cap(first, width)
        {
            blocks = &blocks[1..];
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
        self.endnotes(&article.footnotes, width);
        Body {
            main,
            notes: self.pieces,
            loose: self.loose,
        }
    }

    fn blocks(&mut self, blocks: &[Block], x: f32, width: f32, nest: Nest) {
        for block in blocks {
            self.block(block, x, width, nest);
        }
    }

    fn block(&mut self, block: &Block, x: f32, width: f32, nest: Nest) {
        let outer = nest.depth == 0;
        match block {
            Block::Paragraph(inlines) => {
                let indent = if self.indent_next {
                    self.geo.style_indent
                } else {
                    0.0
                };
                let content = if nest.italic {
                    vec![Inline::Emphasis(inlines.clone())]
                } else {
                    inlines.clone()
                };
                let (start, keep) = (self.pieces.len(), self.keep);
                self.paragraph(&content, Role::Body, Align::Justify, x, width, indent, SUB);
                self.indent_next = true;
                if outer {
                    self.loose.push(Loose {
                        start,
                        lines: self.pieces.len() - start,
                        inlines: content,
                        x,
                        width,
                        indent,
                        keep,
                    });
                }
            }
            Block::Heading { content, .. } => {
                self.space(SUB, Vec::new());
                self.heading(content, x, width);
                self.indent_next = false;
            }
            Block::List(list) => {
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
                    self.blocks(item, x + hang, width - hang, inner);
                    self.marker(first, &marker, x, hang - 0.35 * em);
                }
                if outer {
                    self.keep_block_together(start);
                }
                if outer {
                    self.space(SUB, Vec::new());
                }
                self.indent_next = false;
            }
            Block::Quote(blocks) => {
                if outer {
                    self.space(SUB, Vec::new());
                }
                let ind = 1.5 * self.geo.body_size;
                self.indent_next = false;
                let inner = Nest {
                    italic: !nest.italic,
                    depth: nest.depth + 1,
                };
                self.blocks(blocks, x + ind, width - 2.0 * ind, inner);
                if outer {
                    self.space(SUB, Vec::new());
                }
                self.indent_next = false;
            }
            Block::PullQuote(inlines) => {
                self.space(SUB, Vec::new());
                self.pull_quote(inlines, x, width);
                self.space(SUB, Vec::new());
                self.indent_next = false;
            }
            Block::Figure(figure) => {
                self.space(SUB, Vec::new());
                self.figure(figure, x, width);
                self.space(SUB, Vec::new());
                self.indent_next = false;
            }
            Block::Table(table) => {
                self.space(SUB, Vec::new());
                self.table(table, x, width);
                self.space(SUB, Vec::new());
                self.indent_next = false;
            }
            Block::CodeBlock { text, .. } => {
                if outer {
                    self.space(SUB, Vec::new());
                }
                self.code(text, x, width);
                if outer {
                    self.space(SUB, Vec::new());
                }
                self.indent_next = false;
            }
            Block::Rule => {
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

    /// Sets an article's first paragraph with a two-line initial: the first letter (with
    /// an opening quote before it) in the display face, its cap height spanning two body
    /// lines, and the first two lines indented around it. Returns `false` (nothing added)
    /// when the text has no letter to start with, is shorter than two lines, or the
    /// setter cannot indent more than one line.
    fn drop_cap(&mut self, inlines: &[Inline], width: f32) -> bool {
        const LINES: usize = 2;
        /// Cap height as a fraction of the em (Libertinus: 0.65).
        const CAP: f32 = 0.65;
        let Some((initial, rest)) = split_initial(inlines) else {
            return false;
        };
        let (body, _) = self.ctx.size_and_leading(Role::Body);
        let (display, _) = self.ctx.size_and_leading(Role::Title);
        let Some(mut cap) = self
            .ctx
            .set(
                &[Inline::Text(initial)],
                Role::Title,
                self.lang,
                width,
                Align::Left,
                0.0,
            )
            .into_iter()
            .next()
        else {
            return false;
        };
        // Scale the display letter so that its cap height reaches from the second line's
        // baseline to the first line's cap height.
        let target = ((LINES - 1) as f32 * self.geo.lead + CAP * body) / CAP;
        let k = target / display.max(1.0);
        for run in &mut cap.runs {
            run.x *= k;
            run.y *= k;
            run.size *= k;
            for g in &mut run.glyphs {
                g.x_advance *= k;
                g.x_offset *= k;
                g.y_offset *= k;
            }
        }
        let indent = cap.width * k + 0.25 * body;
        if indent > width / 2.0 {
            return false;
        }
        let Some(lines) = self.ctx.set_hanging(
            &rest,
            Role::Body,
            self.lang,
            width,
            Align::Justify,
            LINES,
            indent,
        ) else {
            return false;
        };
        if lines.len() < LINES {
            return false;
        }
        let n = lines.len();
        let mut end = None;
        let space =
            matches!(rest.first(), Some(Inline::Text(t)) if t.starts_with(char::is_whitespace));
        for (i, mut line) in lines.into_iter().enumerate() {
            let ok = i == 0 || (i >= LINES.max(2) && n - i >= 2);
            end = Some(if i < LINES { indent } else { 0.0 } + line.width);
            let mut items = Vec::new();
            if i == 0 {
                let mut cap = cap.clone();
                move_initial_text(&mut cap, &mut line, space);
                let below = (LINES - 1) as f32 * self.geo.lead;
                line_items(cap, 0.0, self.geo.base + below, &mut items);
            }
            line_items(line, 0.0, self.geo.base, &mut items);
            self.push(SUB, items, ok);
        }
        self.last_end = end;
        self.indent_next = true;
        true
    }

    /// Adds a content unit; breaks before it are allowed when `ok` and no keep is pending.
    fn push(&mut self, height: u32, items: Vec<Item>, ok: bool) {
        self.last_end = None;
        let ok = ok && self.keep == 0;
        self.keep = self.keep.saturating_sub(1);
        self.pieces.push(Piece {
            unit: Unit::content(height.max(1), ok),
            items,
        });
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

    /// Adds discardable space (merged with a space just before; never at the start).
    fn space(&mut self, height: u32, items: Vec<Item>) {
        match self.pieces.last_mut() {
            None => {}
            Some(last) if last.unit.space => {
                last.unit.height = last.unit.height.max(height);
                last.items.extend(items);
            }
            Some(_) => self.pieces.push(Piece {
                unit: Unit::space(height),
                items,
            }),
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
        let lines = self.ctx.set(inlines, role, self.lang, width, align, indent);
        let n = lines.len();
        let base = baseline_in(size, self.geo.pt(line_height));
        let mut end = None;
        for (i, line) in lines.into_iter().enumerate() {
            let ok = i == 0 || (i >= 2 && n - i >= 2);
            end = Some(x + if i == 0 { indent } else { 0.0 } + line.width);
            let mut items = Vec::new();
            line_items(line, x, base, &mut items);
            self.push(line_height, items, ok);
        }
        self.last_end = end;
    }

    /// A subhead on the grid: its last baseline sits on a grid baseline; it keeps with
    /// the next two lines.
    fn heading(&mut self, content: &[Inline], x: f32, width: f32) {
        let (_, lead) = self.ctx.size_and_leading(Role::Subhead);
        let lines = self
            .ctx
            .set(content, Role::Subhead, self.lang, width, Align::Left, 0.0);
        let n = lines.len().max(1);
        let above = (n - 1) as f32 * lead;
        let grid_lines = ((above / self.geo.lead) - 1e-3).ceil().max(0.0) as u32 + 1;
        let last_base = (grid_lines - 1) as f32 * self.geo.lead + self.geo.base;
        let mut items = Vec::new();
        for (i, line) in lines.into_iter().enumerate() {
            let y = last_base - (n - 1 - i) as f32 * lead;
            line_items(line, x, y, &mut items);
        }
        self.push(grid_lines * SUB, items, true);
        self.keep = 2;
    }

    /// A list marker hung to the left of the first unit added since `first`.
    fn marker(&mut self, first: usize, marker: &str, x: f32, width: f32) {
        if first >= self.pieces.len() {
            return;
        }
        let lines = self.ctx.set(
            &[Inline::Text(marker.to_string())],
            Role::Body,
            self.lang,
            width.max(1.0),
            Align::Right,
            0.0,
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
            .set(inlines, Role::PullQuote, self.lang, width, Align::Left, 0.0);
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
        self.push(height, items, true);
        // Pull quotes repeat the text: they may move past what follows them.
        if let Some(last) = self.pieces.last_mut() {
            last.unit.float = true;
        }
    }

    /// An image at the column width (or smaller when very tall) with its caption below;
    /// kept whole, rounded to the grid.
    fn figure(&mut self, figure: &Figure, x: f32, width: f32) {
        let img = &figure.image;
        let aspect = img.height_px.max(1) as f32 / img.width_px.max(1) as f32;
        let max_h = self.geo.lines as f32 * self.geo.lead * 0.55;
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
        }];
        let mut bottom = h;
        if !figure.caption.is_empty() {
            let (size, lead) = self.ctx.size_and_leading(Role::Caption);
            let lines = self.ctx.set(
                &figure.caption,
                Role::Caption,
                self.lang,
                width,
                Align::Left,
                0.0,
            );
            let top = h + 0.35 * self.geo.lead;
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
        let height = self.geo.grid_round(bottom);
        self.push(height, items, true);
        if let Some(last) = self.pieces.last_mut() {
            last.unit.float = true;
        }
    }

    /// A simple grid: column widths from the cells' natural widths, a bold header row,
    /// rules above, below the header and at the end. Rows stay whole; a table taller than
    /// a column may break between rows.
    fn table(&mut self, table: &Table, x: f32, width: f32) {
        let ncols = table
            .rows
            .iter()
            .map(Vec::len)
            .chain(std::iter::once(table.header.len()))
            .max()
            .unwrap_or(0);
        if ncols == 0 {
            return;
        }
        let gap = 0.6 * self.geo.body_size;
        let avail = (width - gap * (ncols - 1) as f32).max(ncols as f32);
        // Natural widths: each cell set on one very long line.
        let mut natural = vec![0.0f32; ncols];
        let rows_with_roles = std::iter::once((&table.header, Role::TableHeader))
            .chain(table.rows.iter().map(|r| (r, Role::TableCell)));
        for (row, role) in rows_with_roles.clone() {
            for (c, cell) in row.iter().enumerate() {
                let lines = self
                    .ctx
                    .set(cell, role, self.lang, 10_000.0, Align::Left, 0.0);
                let w = lines.iter().map(|l| l.width).fold(0.0, f32::max);
                natural[c] = natural[c].max(w);
            }
        }
        let widths = column_widths(&natural, avail);
        let mut xs = Vec::with_capacity(ncols);
        let mut cx = x;
        for w in &widths {
            xs.push(cx);
            cx += w + gap;
        }
        let pad = 2.5;
        let muted = self.geo.muted;
        let text = self.geo.text;
        let mut rows: Vec<(f32, Vec<Item>)> = Vec::new();
        for (r, (row, role)) in rows_with_roles.enumerate() {
            if r == 0 && row.is_empty() {
                continue;
            }
            let (size, lead) = self.ctx.size_and_leading(role);
            let mut items = Vec::new();
            let mut n_max = 1;
            for (c, cell) in row.iter().enumerate() {
                let align = match table.alignments.get(c) {
                    Some(Alignment::Center) => Align::Center,
                    Some(Alignment::Right) => Align::Right,
                    _ => Align::Left,
                };
                let lines = self.ctx.set(cell, role, self.lang, widths[c], align, 0.0);
                n_max = n_max.max(lines.len());
                for (i, line) in lines.into_iter().enumerate() {
                    line_items(
                        line,
                        xs[c],
                        pad + baseline_in(size, lead) + i as f32 * lead,
                        &mut items,
                    );
                }
            }
            let h = pad + n_max as f32 * lead + pad;
            let (thick, colour) = if r == 0 { (0.5, text) } else { (0.25, muted) };
            items.push(self.geo.rule(x, h - thick, width, thick, colour));
            rows.push((h, items));
        }
        // A heavier rule over the table.
        if let Some(first) = rows.first_mut() {
            first.1.push(self.geo.rule(x, 0.0, width, 0.8, text));
        }
        let total: f32 = rows.iter().map(|r| r.0).sum();
        let column = self.geo.lines as f32 * self.geo.lead;
        if total <= column * 0.9 {
            // Kept whole: one atomic unit.
            let mut items = Vec::new();
            let mut y = 0.0;
            for (h, row) in rows {
                items.extend(row.into_iter().map(|i| shift(i, 0.0, y)));
                y += h;
            }
            let height = self.geo.grid_round(total);
            self.push(height, items, true);
        } else {
            // Row by row; padding after the last row brings what follows back on the grid.
            let n = rows.len();
            let mut used = 0u32;
            for (i, (h, row)) in rows.into_iter().enumerate() {
                let hs = self.geo.sub(h);
                used += hs;
                let ok = i == 0 || (i >= 2 && n - i >= 2);
                self.push(hs, row, ok);
            }
            let pad = self.geo.grid_round_sub(used) - used;
            if pad > 0 {
                self.push(pad, Vec::new(), false);
            }
        }
    }

    /// Preformatted text: one grid line per source line (long lines wrap), left aligned,
    /// no hyphenation (the role says so), breakable like a paragraph.
    fn code(&mut self, text: &str, x: f32, width: f32) {
        let (size, _) = self.ctx.size_and_leading(Role::Code);
        let base = baseline_in(size, self.geo.lead);
        let mut all = Vec::new();
        for src in text.trim_end_matches('\n').split('\n') {
            let lines = if src.trim().is_empty() {
                Vec::new()
            } else {
                self.ctx.set(
                    &[Inline::Text(src.to_string())],
                    Role::Code,
                    self.lang,
                    width,
                    Align::Left,
                    0.0,
                )
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
    fn end_byline(&mut self, names: &str, width: f32) {
        let last_end = self.last_end;
        let lines = self.ctx.set(
            &[Inline::Text(names.to_string())],
            Role::Byline,
            self.lang,
            width,
            Align::Right,
            0.0,
        );
        // Run in, flush right on the last line of text when it has room.
        let body = self.geo.body_size;
        if let ([line], Some(end), Some(last)) = (&lines[..], last_end, self.pieces.last_mut())
            && end + 1.5 * body + line.width <= width
            && !last.unit.space
        {
            line_items(line.clone(), 0.0, self.geo.base, &mut last.items);
            // The byline now shares the last paragraph's last line: keep that setting.
            let ends = self.pieces.len();
            self.loose.retain(|l| l.start + l.lines < ends);
            return;
        }
        for line in lines {
            let mut items = Vec::new();
            line_items(line, 0.0, self.geo.base, &mut items);
            self.push(SUB, items, false);
        }
    }

    /// Footnotes as endnotes: each note's number hung left of its text, in the smaller
    /// footnote type (the rule above them is drawn with their block).
    fn endnotes(&mut self, notes: &[Footnote], width: f32) {
        let (size, lead) = self.ctx.size_and_leading(Role::Footnote);
        let line_height = self.geo.sub(lead);
        let hang = 1.4 * size;
        for note in notes {
            let first = self.pieces.len();
            self.indent_next = false;
            for block in &note.blocks {
                let inlines = match block {
                    Block::Paragraph(inlines) => inlines.clone(),
                    other => vec![Inline::Text(plain_block_text(other))],
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
                    &[Inline::Text(format!("{}", note.number))],
                    Role::Footnote,
                    self.lang,
                    hang - 0.3 * size,
                    Align::Right,
                    0.0,
                );
                let slot = self.geo.pt(line_height);
                let mut items = Vec::new();
                for line in lines.into_iter().take(1) {
                    line_items(line, 0.0, baseline_in(size, lead.min(slot)), &mut items);
                }
                self.pieces[first].items.extend(items);
            }
        }
    }
}

/// Where the baseline sits in a line box of height `lead` for type of `size`: half the
/// extra leading above, then the ascent of the em box (0.8 em).
pub fn baseline_in(size: f32, lead: f32) -> f32 {
    (lead - size) / 2.0 + 0.8 * size
}

/// Column widths for a table: natural widths when they fit (the slack shared out
/// evenly), otherwise proportional to the natural widths with a floor so that no column
/// gets too narrow to hold a word.
pub fn column_widths(natural: &[f32], avail: f32) -> Vec<f32> {
    let n = natural.len().max(1) as f32;
    let sum: f32 = natural.iter().sum();
    if sum <= avail {
        let extra = (avail - sum) / n;
        return natural.iter().map(|w| w + extra).collect();
    }
    let floor = 0.4 * avail / n;
    let weights: Vec<f32> = natural.iter().map(|w| w.max(floor)).collect();
    let total: f32 = weights.iter().sum();
    weights.iter().map(|w| avail * w / total).collect()
}

/// Splits the initial off a paragraph: its first letter or digit, with any opening
/// punctuation before it; `None` when the paragraph does not start with plain text.
pub fn split_initial(inlines: &[Inline]) -> Option<(String, Vec<Inline>)> {
    let Some(Inline::Text(text)) = inlines.first() else {
        return None;
    };
    let mut end = 0;
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            end = i + c.len_utf8();
            break;
        }
        if !matches!(
            c,
            '"' | '\'' | '\u{201c}' | '\u{2018}' | '\u{201e}' | '\u{ab}' | '\u{bb}' | '('
        ) {
            return None;
        }
    }
    if end == 0 {
        return None;
    }
    let mut rest = inlines.to_vec();
    rest[0] = Inline::Text(text[end..].to_string());
    Some((text[..end].to_string(), rest))
}

/// Gives the text of a drop cap to the first glyph of the line beside it, so that text
/// extraction reads "At ten" rather than "A" a line below "t ten": the initial's glyphs
/// keep no text, and the line's first glyph stands for the initial and its own letters
/// (with the space between when the initial is a word of its own).
pub fn move_initial_text(cap: &mut Line, first: &mut Line, space: bool) {
    let mut initial: String = cap.runs.iter().map(|r| r.text.as_str()).collect();
    if space {
        initial.push(' ');
    }
    let Some(run) = first.runs.iter_mut().find(|r| !r.glyphs.is_empty()) else {
        return;
    };
    for r in &mut cap.runs {
        r.text.clear();
        for g in &mut r.glyphs {
            g.range = 0..0;
        }
    }
    let k = initial.len();
    run.text.insert_str(0, &initial);
    for (j, g) in run.glyphs.iter_mut().enumerate() {
        g.range = if j == 0 {
            0..g.range.end + k
        } else if g.range.is_empty() {
            g.range.clone()
        } else {
            g.range.start + k..g.range.end + k
        };
    }
}

/// Plain text of a non-paragraph block inside a footnote.
fn plain_block_text(block: &Block) -> String {
    match block {
        Block::Paragraph(i) | Block::PullQuote(i) => Inline::plain_text(i),
        Block::Heading { content, .. } => Inline::plain_text(content),
        Block::CodeBlock { text, .. } => text.clone(),
        Block::List(list) => list
            .items
            .iter()
            .flat_map(|item| item.iter().map(plain_block_text))
            .collect::<Vec<_>>()
            .join("; "),
        Block::Quote(blocks) => blocks
            .iter()
            .map(plain_block_text)
            .collect::<Vec<_>>()
            .join(" "),
        Block::Figure(f) => Inline::plain_text(&f.caption),
        Block::Table(_) | Block::Rule => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_widths_kept_when_they_fit() {
        let w = column_widths(&[20.0, 40.0], 100.0);
        assert_eq!(w, vec![40.0, 60.0]);
    }

    #[test]
    fn wide_tables_shrink_proportionally_with_a_floor() {
        let w = column_widths(&[10.0, 300.0], 100.0);
        assert!((w.iter().sum::<f32>() - 100.0).abs() < 1e-3);
        // The short column keeps at least its floor share (0.4 * 100 / 2 = 20 weight).
        assert!(w[0] > 6.0, "{w:?}");
        assert!(w[1] > w[0]);
    }

    #[test]
    fn initials_split_off() {
        let t = |s: &str| vec![Inline::Text(s.into()), Inline::Emphasis(vec![])];
        let (i, rest) = split_initial(&t("\u{201c}Every word")).unwrap();
        assert_eq!(i, "\u{201c}E");
        assert_eq!(rest[0], Inline::Text("very word".into()));
        assert_eq!(rest.len(), 2);
        assert_eq!(split_initial(&t("Über")).unwrap().0, "Ü");
        assert!(split_initial(&t("— dash")).is_none());
        assert!(split_initial(&[Inline::Code("x".into())]).is_none());
    }

    fn line(text: &str, ranges: &[std::ops::Range<usize>]) -> Line {
        use crate::layout::font::FontId;
        use crate::layout::frame::{Glyph, TextRun};
        use crate::model::Rgb;
        let glyphs = ranges
            .iter()
            .map(|r| Glyph {
                id: 1,
                x_advance: 5.0,
                x_offset: 0.0,
                y_offset: 0.0,
                range: r.clone(),
            })
            .collect();
        Line {
            runs: vec![TextRun {
                x: 0.0,
                y: 0.0,
                font: FontId(0),
                size: 10.0,
                colour: Rgb(0, 0, 0),
                text: text.into(),
                glyphs,
                h_scale: 1.0,
            }],
            links: Vec::new(),
            width: 10.0,
            ascent: 7.0,
            descent: 2.0,
            hyphenated: false,
        }
    }

    #[test]
    fn the_initial_text_moves_to_the_first_glyph_beside_it() {
        let mut cap = line("\u{201c}A", &[0..3, 3..4]);
        let mut first = line("fter all", &[0..2, 2..2, 2..3, 3..4]);
        move_initial_text(&mut cap, &mut first, false);
        assert_eq!(cap.runs[0].text, "");
        assert!(cap.runs[0].glyphs.iter().all(|g| g.range.is_empty()));
        let run = &first.runs[0];
        assert_eq!(run.text, "\u{201c}After all");
        assert_eq!(run.glyphs[0].range, 0..6);
        assert!(run.glyphs[1].range.is_empty());
        assert_eq!(&run.text[run.glyphs[2].range.clone()], "e");
        assert_eq!(&run.text[run.glyphs[3].range.clone()], "r");

        // "A" as a word of its own keeps the space after it.
        let mut cap = line("A", &[0..1, 1..1]);
        let mut first = line("tree", &[0..1, 1..2]);
        move_initial_text(&mut cap, &mut first, true);
        assert_eq!(first.runs[0].text, "A tree");
        assert_eq!(first.runs[0].glyphs[0].range, 0..3);
    }

    #[test]
    fn baseline_sits_inside_the_box() {
        let b = baseline_in(9.5, 11.5);
        assert!((b - 8.6).abs() < 1e-4);
        assert!(b < 11.5);
    }
}
