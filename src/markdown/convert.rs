//! pulldown-cmark events (with byte offsets) to model blocks, on one explicit stack.
//!
//! Offsets are those of the whole file: pulldown parses the body only, and its ranges are
//! moved by where the body starts, so every span and problem indexes `Article::text`.
//!
//! Every `Start` pushes a frame and its `End` pops and finishes it. Containers nested
//! deeper than `MAX_NESTING` are an error at the first place that does it; they (and
//! images inside images) get no frame of their own: their content goes to the frame
//! below, so the rest of the file is still checked and the model stays flat, never deep
//! recursion in the backends. Nothing here indexes blindly or unwraps: the function
//! is meant to survive any input.

use std::mem;
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, LinkType, Options, Parser, Tag};

use super::attrs;
use super::footnotes::Notes;
use super::lines::{LineIndex, span_len};
use super::pullquote::{PullQuoteError, Quote, classify};
use super::smart::smarten;
use super::{ImageResolver, Parsed};
use crate::diag::Diagnostic;
use crate::model::{
    Alignment, Block, BlockKind, Figure, Inline, InlineKind, Language, List, RefusedLink, Span,
    Table,
};

/// How many quotes, lists, footnote definitions, emphases and links may nest.
const MAX_NESTING: usize = 32;

/// A problem at a byte range of the file; becomes a `Diagnostic` at the end.
pub(super) struct Problem {
    range: Range<usize>,
    message: String,
    hint: String,
}

impl Problem {
    #[cfg(test)]
    pub(super) fn range(&self) -> Range<usize> {
        self.range.clone()
    }

    pub(super) fn new(
        range: Range<usize>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Problem {
            range,
            message: message.into(),
            hint: hint.into(),
        }
    }
}

/// Parser options: the extensions FORMAT.md promises, GitHub-style footnotes.
fn options() -> Options {
    Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// See `super::parse`.
pub(super) fn convert(
    text: &str,
    body_start: usize,
    file: &Path,
    url_bytes: usize,
    images: &mut ImageResolver<'_>,
) -> Result<Parsed, Vec<Diagnostic>> {
    let body_start = body_start.min(text.len());
    let body = text.get(body_start..).unwrap_or("");
    let mut converter = Converter {
        text,
        url_bytes,
        images,
        lines: LineIndex::new(text),
        frames: vec![Frame::new(Kind::Root, Span::default())],
        opens: Vec::new(),
        nesting: 0,
        image_depth: 0,
        too_deep: false,
        notes: Notes::default(),
        problems: Vec::new(),
        refused_links: Vec::new(),
        resolver_errors: Vec::new(),
        skip: 0..0,
        brackets: 0,
        attrs: 0..0,
        closing: None,
    };
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        converter.event(event, range.start + body_start..range.end + body_start);
    }
    converter.into_parsed(file)
}

/// What a frame is building.
enum Kind {
    Root,
    Paragraph,
    Heading {
        level: u8,
        id: Option<String>,
    },
    Quote,
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    Item,
    FootnoteDef {
        label: String,
    },
    CodeBlock {
        language: Option<String>,
        text: String,
    },
    HtmlBlock {
        text: String,
    },
    Table {
        alignments: Vec<Alignment>,
        header: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    /// The header (`head`) or a body row.
    Row {
        head: bool,
        cells: Vec<Vec<Inline>>,
    },
    Cell,
    Emphasis,
    Strong,
    Strikethrough,
    Link {
        url: String,
        /// An image was taken out of the link text (it became a figure).
        had_image: bool,
    },
    Image {
        src: String,
        title: String,
    },
    /// Text after an unescaped `[` that is not a link: a phrase with attributes
    /// (`[Weltschmerz]{lang=de}`) when its `]` is followed by `{…}`, else literal text.
    /// It has no `End` event: [`Converter::close_bracket`] and
    /// [`Converter::unwind_brackets`] close it.
    Bracket {
        /// The `[`.
        open: Span,
    },
}

impl Kind {
    /// Frames that hold blocks (and may hold loose inline text, as tight list items do).
    fn holds_blocks(&self) -> bool {
        matches!(
            self,
            Kind::Root | Kind::Quote | Kind::Item | Kind::FootnoteDef { .. }
        )
    }

    /// Frames that can nest without bound in Markdown and so count toward `MAX_NESTING`.
    fn nests(&self) -> bool {
        matches!(
            self,
            Kind::Quote
                | Kind::List { .. }
                | Kind::FootnoteDef { .. }
                | Kind::Emphasis
                | Kind::Strong
                | Kind::Strikethrough
                | Kind::Link { .. }
        )
    }

    /// Frames that own the figures made from images in their text.
    fn owns_figures(&self) -> bool {
        self.holds_blocks()
            || matches!(
                self,
                Kind::Paragraph | Kind::Heading { .. } | Kind::Table { .. }
            )
    }
}

struct Frame {
    kind: Kind,
    /// Where the tag's element is written (pulldown gives the whole element's range with
    /// its start).
    span: Span,
    /// Inline content; for block holders, loose text not yet made a paragraph.
    inlines: Vec<Inline>,
    blocks: Vec<Block>,
    /// Figures from images in this frame's text, placed after the block it makes.
    figures: Vec<Block>,
    /// The last inline pushed was an image taken out of the text.
    after_image: bool,
}

impl Frame {
    fn new(kind: Kind, span: Span) -> Self {
        Frame {
            kind,
            span,
            inlines: Vec::new(),
            blocks: Vec::new(),
            figures: Vec::new(),
            after_image: false,
        }
    }

    /// Appends text written at `span`, merged into the previous text run (whose span
    /// grows to cover both).
    fn push_text(&mut self, text: &str, span: Span) {
        if let Kind::CodeBlock { text: code, .. } | Kind::HtmlBlock { text: code } = &mut self.kind
        {
            code.push_str(text);
            return;
        }
        let mut text = text;
        if let Some(Inline {
            kind: InlineKind::Text(last),
            span: last_span,
        }) = self.inlines.last_mut()
        {
            if mem::take(&mut self.after_image) && last.ends_with(' ') {
                text = text.trim_start_matches(' ');
            }
            last.push_str(text);
            *last_span = last_span.join(span);
        } else if !text.is_empty() {
            self.after_image = false;
            self.inlines.push(Inline::text(text, span));
        }
    }

    fn push_inline(&mut self, inline: Inline) {
        self.after_image = false;
        if let InlineKind::Text(text) = &inline.kind {
            self.push_text(text, inline.span);
        } else {
            self.inlines.push(inline);
        }
    }

    /// Turns loose inline text into a paragraph (followed by its figures).
    fn flush_loose(&mut self) {
        let inlines = mem::take(&mut self.inlines);
        let span = inlines.iter().fold(Span::default(), |s, i| s.join(i.span));
        if let Some(paragraph) = paragraph(inlines, span) {
            self.blocks.push(paragraph);
        }
        self.blocks.append(&mut self.figures);
        self.after_image = false;
    }
}

/// Leading and trailing spaces and breaks removed (spans are kept as they were).
fn trim_inlines(mut inlines: Vec<Inline>) -> Vec<Inline> {
    let blank = |i: &Inline| match &i.kind {
        InlineKind::Text(t) => t.trim_matches([' ', '\n']).is_empty(),
        InlineKind::LineBreak => true,
        _ => false,
    };
    let end = inlines.iter().rposition(|i| !blank(i)).map_or(0, |p| p + 1);
    inlines.truncate(end);
    let start = inlines
        .iter()
        .position(|i| !blank(i))
        .unwrap_or(inlines.len());
    inlines.drain(..start);
    if let Some(InlineKind::Text(t)) = inlines.first_mut().map(|i| &mut i.kind) {
        let kept = t.trim_start_matches([' ', '\n']).len();
        t.replace_range(..t.len() - kept, "");
    }
    if let Some(InlineKind::Text(t)) = inlines.last_mut().map(|i| &mut i.kind) {
        let kept = t.trim_end_matches([' ', '\n']).len();
        t.truncate(kept);
    }
    inlines
}

/// A paragraph of `inlines` written at `span`, or `None` when nothing visible is left.
fn paragraph(inlines: Vec<Inline>, span: Span) -> Option<Block> {
    let inlines = trim_inlines(inlines);
    (!inlines.is_empty()).then(|| Block::new(BlockKind::Paragraph(inlines), span))
}

fn heading_level(level: HeadingLevel) -> u8 {
    // The article title is the only level 1.
    (level as u8).clamp(2, 6)
}

fn alignment(a: pulldown_cmark::Alignment) -> Alignment {
    match a {
        pulldown_cmark::Alignment::None => Alignment::None,
        pulldown_cmark::Alignment::Left => Alignment::Left,
        pulldown_cmark::Alignment::Center => Alignment::Center,
        pulldown_cmark::Alignment::Right => Alignment::Right,
    }
}

struct Converter<'b, 'r, 'i> {
    /// The whole file; ranges index it.
    text: &'b str,
    /// The longest link address kept (bytes; a PDF/A string holds 32,767 at most).
    url_bytes: usize,
    images: &'r mut ImageResolver<'i>,
    lines: LineIndex,
    /// `frames[0]` is the root and is never popped.
    frames: Vec<Frame>,
    /// One entry per open tag: whether it pushed a frame.
    opens: Vec<bool>,
    /// Open frames that count toward `MAX_NESTING`.
    nesting: usize,
    /// Open image frames (0 or 1).
    image_depth: usize,
    /// Nesting went over `MAX_NESTING` (reported once).
    too_deep: bool,
    notes: Notes,
    problems: Vec<Problem>,
    /// Links set as plain text because of their scheme.
    refused_links: Vec<RefusedLink>,
    /// Diagnostics returned by the image resolver.
    resolver_errors: Vec<Diagnostic>,
    /// Figure attributes just read (`{span=2}` after an image): text there is dropped.
    skip: Range<usize>,
    /// Open `[` frames ([`Kind::Bracket`]).
    brackets: usize,
    /// Where the attributes of the last phrase are written (`{lang=de}`): dropped.
    attrs: Range<usize>,
    /// A `]` just read that closes the innermost bracket frame: what follows decides
    /// whether it was a phrase with attributes.
    closing: Option<Span>,
}

impl Converter<'_, '_, '_> {
    fn top(&mut self) -> &mut Frame {
        let last = self.frames.len() - 1;
        &mut self.frames[last]
    }

    /// Index of the innermost frame that holds blocks (the root at least).
    fn holder(&self) -> usize {
        self.frames
            .iter()
            .rposition(|f| f.kind.holds_blocks())
            .unwrap_or(0)
    }

    /// Adds a finished block to the innermost block holder, after its loose text.
    fn push_block(&mut self, block: Block) {
        let at = self.holder();
        let holder = &mut self.frames[at];
        holder.flush_loose();
        holder.blocks.push(block);
    }

    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        let span = Span::from(range.clone());
        // A `]` closed a bracket: a `{lang=…}` right after it makes it a phrase.
        if let Some(close) = self.closing.take() {
            let after = self.text.get(close.end..).unwrap_or("");
            match lang_attrs(after) {
                Some((len, tag)) => {
                    let attrs = close.end..close.end + len;
                    self.finish_phrase(close, attrs.clone(), &tag);
                    self.attrs = attrs;
                }
                None => self.literal_bracket(Some(close)),
            }
        }
        // The text of a phrase's attributes is dropped (smart punctuation may have
        // split it into several events and changed its quotes).
        let mut span = span;
        let mut range = range;
        let mut event = event;
        if let Event::Text(text) = &event
            && range.start < self.attrs.end
            && range.end > self.attrs.start
        {
            let keep = range.end.saturating_sub(self.attrs.end);
            let cut = text.len().saturating_sub(keep);
            match text.get(cut..) {
                Some(rest) if keep > 0 => {
                    let rest = rest.to_string();
                    range = self.attrs.end..range.end;
                    span = Span::from(range.clone());
                    event = Event::Text(rest.into());
                }
                _ => return,
            }
        }
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(_) => {
                self.unwind_brackets();
                self.end()
            }
            Event::Text(text) => {
                let Some(text) = self.unskipped(&text, &range) else {
                    return;
                };
                if self.bracket(text, &range) {
                    return;
                }
                let top = self.top();
                if !matches!(top.kind, Kind::CodeBlock { .. } | Kind::HtmlBlock { .. }) {
                    self.notes.scan_text(self.text, range);
                }
                self.top().push_text(text, span);
            }
            Event::Code(code) => self
                .top()
                .push_inline(Inline::new(InlineKind::Code(code.into_string()), span)),
            // Raw HTML is kept as the text the author wrote, never dropped silently.
            Event::Html(text)
            | Event::InlineHtml(text)
            | Event::InlineMath(text)
            | Event::DisplayMath(text) => self.top().push_text(&text, span),
            Event::FootnoteReference(label) => {
                let id = self.notes.reference(&label, range);
                self.top()
                    .push_inline(Inline::new(InlineKind::FootnoteRef(id), span));
            }
            Event::SoftBreak => self.top().push_text(" ", span),
            Event::HardBreak => self
                .top()
                .push_inline(Inline::new(InlineKind::LineBreak, span)),
            Event::Rule => self.push_block(Block::new(BlockKind::Rule, span)),
            Event::TaskListMarker(done) => self
                .top()
                .push_text(if done { "[x] " } else { "[ ] " }, span),
        }
    }

    /// Opens or closes a bracket frame for a `[` or `]` that pulldown-cmark left as
    /// text (not a link) and that is not escaped; true when it did.
    fn bracket(&mut self, text: &str, range: &Range<usize>) -> bool {
        let written = self.text.get(range.clone()).unwrap_or("");
        let backslashes = self.text[..range.start.min(self.text.len())]
            .bytes()
            .rev()
            .take_while(|&b| b == b'\\')
            .count();
        if written != text || backslashes % 2 == 1 {
            return false;
        }
        let inline_frame = matches!(
            self.top().kind,
            Kind::Paragraph
                | Kind::Heading { .. }
                | Kind::Cell
                | Kind::Item
                | Kind::Emphasis
                | Kind::Strong
                | Kind::Strikethrough
                | Kind::Link { .. }
                | Kind::Bracket { .. }
        );
        match text {
            "[" if inline_frame && self.brackets < MAX_NESTING && self.image_depth == 0 => {
                self.notes.scan_text(self.text, range.clone());
                self.brackets += 1;
                let span = Span::from(range.clone());
                self.frames
                    .push(Frame::new(Kind::Bracket { open: span }, span));
                true
            }
            "]" if matches!(self.top().kind, Kind::Bracket { .. }) => {
                self.closing = Some(Span::from(range.clone()));
                true
            }
            _ => false,
        }
    }

    /// Closes the innermost bracket frame as the text it was: `[`, its content, and the
    /// `]` when there was one.
    fn literal_bracket(&mut self, close: Option<Span>) {
        if !matches!(self.top().kind, Kind::Bracket { .. }) || self.frames.len() <= 1 {
            return;
        }
        let Some(frame) = self.frames.pop() else {
            return;
        };
        self.brackets = self.brackets.saturating_sub(1);
        let Kind::Bracket { open } = frame.kind else {
            return;
        };
        let parent = self.top();
        parent.push_text("[", open);
        for inline in frame.inlines {
            parent.push_inline(inline);
        }
        parent.figures.extend(frame.figures);
        if let Some(close) = close {
            parent.push_text("]", close);
        }
    }

    /// Closes every bracket frame still open on top (before an `End`): they were text.
    fn unwind_brackets(&mut self) {
        if let Some(close) = self.closing.take() {
            self.literal_bracket(Some(close));
        }
        while matches!(self.top().kind, Kind::Bracket { .. }) && self.frames.len() > 1 {
            self.literal_bracket(None);
        }
    }

    /// Closes the innermost bracket frame as a phrase in language `tag`, its attributes
    /// written at `attrs`. A tag that is not well-formed BCP 47 is a problem.
    fn finish_phrase(&mut self, close: Span, attrs: Range<usize>, tag: &str) {
        let Some(frame) = self.frames.pop() else {
            return;
        };
        self.brackets = self.brackets.saturating_sub(1);
        let Kind::Bracket { open } = frame.kind else {
            self.frames.push(frame);
            return;
        };
        let span = Span::new(open.start, attrs.end.max(close.end));
        let parsed = oxilangtag::LanguageTag::parse(tag.to_string());
        let well_formed = parsed
            .is_ok_and(|t| (2..=3).contains(&t.primary_language().len()) || tag.starts_with("x-"));
        let parent = self.top();
        if well_formed {
            parent.push_inline(Inline::new(
                InlineKind::Lang {
                    lang: Language(tag.to_string()),
                    content: frame.inlines,
                },
                span,
            ));
        } else {
            for inline in frame.inlines {
                parent.push_inline(inline);
            }
            self.problems.push(Problem::new(
                attrs,
                format!("`{tag}` is not a language tag"),
                "write a BCP 47 language tag such as `de`, `fr-CA` or `pt-BR`: \
                 `[Weltschmerz]{lang=de}`",
            ));
        }
        self.top().figures.extend(frame.figures);
    }

    fn start(&mut self, tag: Tag<'_>, range: Range<usize>) {
        let block_level = matches!(
            tag,
            Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::BlockQuote(_)
                | Tag::CodeBlock(_)
                | Tag::HtmlBlock
                | Tag::List(_)
                | Tag::Table(_)
                | Tag::FootnoteDefinition(_)
        );
        if block_level {
            // Loose text before a block (a tight list item's text) becomes a paragraph
            // first, so order is kept.
            let at = self.holder();
            self.frames[at].flush_loose();
        }
        let in_list = matches!(self.top().kind, Kind::List { .. });
        let kind = match tag {
            Tag::Paragraph => Some(Kind::Paragraph),
            Tag::Heading { level, id, .. } => Some(Kind::Heading {
                level: heading_level(level),
                id: id.map(|id| id.into_string()).filter(|id| !id.is_empty()),
            }),
            Tag::BlockQuote(_) => Some(Kind::Quote),
            Tag::CodeBlock(kind) => Some(Kind::CodeBlock {
                language: match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().map(str::to_string)
                    }
                    CodeBlockKind::Indented => None,
                },
                text: String::new(),
            }),
            Tag::HtmlBlock => Some(Kind::HtmlBlock {
                text: String::new(),
            }),
            Tag::List(start) => Some(Kind::List {
                start,
                items: Vec::new(),
            }),
            // An item belongs directly in a list; anywhere else its content flows out.
            Tag::Item => in_list.then_some(Kind::Item),
            Tag::FootnoteDefinition(label) => Some(Kind::FootnoteDef {
                label: label.into_string(),
            }),
            Tag::Table(alignments) => Some(Kind::Table {
                alignments: alignments.into_iter().map(alignment).collect(),
                header: Vec::new(),
                rows: Vec::new(),
            }),
            Tag::TableHead => Some(Kind::Row {
                head: true,
                cells: Vec::new(),
            }),
            Tag::TableRow => Some(Kind::Row {
                head: false,
                cells: Vec::new(),
            }),
            Tag::TableCell => Some(Kind::Cell),
            Tag::Emphasis => Some(Kind::Emphasis),
            Tag::Strong => Some(Kind::Strong),
            Tag::Strikethrough => Some(Kind::Strikethrough),
            // Inside an image's alt text, links and images are just their text.
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => (self.image_depth == 0).then(|| Kind::Link {
                url: if link_type == LinkType::Email {
                    format!("mailto:{dest_url}")
                } else {
                    dest_url.into_string()
                },
                had_image: false,
            }),
            Tag::Image {
                dest_url, title, ..
            } => (self.image_depth == 0).then(|| Kind::Image {
                src: dest_url.into_string(),
                title: title.into_string(),
            }),
            // Not enabled; should they appear, their content flows into the parent.
            Tag::Superscript
            | Tag::Subscript
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_) => None,
        };
        if kind.as_ref().is_some_and(Kind::nests) && self.nesting >= MAX_NESTING {
            // Once a file: what is nested deeper is all one mistake (or an attack).
            if !self.too_deep {
                self.too_deep = true;
                let at = range.start..range.start + 1;
                self.problems.push(Problem::new(
                    at,
                    format!(
                        "quotes, lists, footnotes, emphasis and links nest more than {MAX_NESTING} deep here"
                    ),
                    "no article needs this much nesting: close some of them (a `>` or an indent fewer)",
                ));
            }
        }
        let kind = kind.filter(|k| !(k.nests() && self.nesting >= MAX_NESTING));
        match kind {
            Some(kind) => {
                if kind.nests() {
                    self.nesting += 1;
                }
                if matches!(kind, Kind::Image { .. }) {
                    self.image_depth += 1;
                }
                self.frames.push(Frame::new(kind, Span::from(range)));
                self.opens.push(true);
            }
            None => self.opens.push(false),
        }
    }

    fn end(&mut self) {
        // Unbalanced or frameless ends close nothing; the root is never popped.
        if self.opens.pop() != Some(true) || self.frames.len() <= 1 {
            return;
        }
        let Some(frame) = self.frames.pop() else {
            return;
        };
        if frame.kind.nests() {
            self.nesting = self.nesting.saturating_sub(1);
        }
        if matches!(frame.kind, Kind::Image { .. }) {
            self.image_depth = self.image_depth.saturating_sub(1);
        }
        self.finish(frame);
    }

    /// Turns a closed frame into a block, an inline, a cell or a note.
    fn finish(&mut self, mut frame: Frame) {
        let figures = mem::take(&mut frame.figures);
        match mem::replace(&mut frame.kind, Kind::Root) {
            Kind::Root => {}
            // Closed by an `End` it does not match: it was text.
            Kind::Bracket { open } => {
                self.brackets = self.brackets.saturating_sub(1);
                let parent = self.top();
                parent.push_text("[", open);
                for inline in mem::take(&mut frame.inlines) {
                    parent.push_inline(inline);
                }
            }
            Kind::Paragraph => {
                if let Some(block) = paragraph(frame.inlines, frame.span) {
                    self.push_block(block);
                }
            }
            Kind::Heading { level, id } => self.push_block(Block::new(
                BlockKind::Heading {
                    level,
                    content: trim_inlines(frame.inlines),
                    id,
                },
                frame.span,
            )),
            Kind::Quote => {
                frame.figures = figures;
                frame.flush_loose();
                self.finish_quote(frame.blocks, frame.span);
                return;
            }
            Kind::List { start, items } => {
                if !items.is_empty() {
                    self.push_block(Block::new(
                        BlockKind::List(List { start, items }),
                        frame.span,
                    ));
                }
            }
            Kind::Item => {
                frame.figures = figures;
                frame.flush_loose();
                if let Kind::List { items, .. } = &mut self.top().kind {
                    items.push(frame.blocks);
                } else {
                    for block in frame.blocks {
                        self.push_block(block);
                    }
                }
                return;
            }
            Kind::FootnoteDef { label } => {
                frame.figures = figures;
                frame.flush_loose();
                let header = frame.span.start..frame.span.start + label.len() + 4;
                self.notes.define(&label, header, frame.blocks);
                return;
            }
            Kind::CodeBlock { language, mut text } => {
                if text.ends_with('\n') {
                    text.pop();
                }
                self.push_block(Block::new(
                    BlockKind::CodeBlock { language, text },
                    frame.span,
                ));
            }
            Kind::HtmlBlock { mut text } => {
                let kept = text.trim_end_matches(['\n', '\r']).len();
                text.truncate(kept);
                self.push_block(Block::new(
                    BlockKind::CodeBlock {
                        language: Some("html".to_string()),
                        text,
                    },
                    frame.span,
                ));
            }
            Kind::Table {
                alignments,
                header,
                mut rows,
            } => {
                let columns = alignments.len();
                for row in &mut rows {
                    if row.len() < columns {
                        row.resize(columns, Vec::new());
                    }
                }
                self.push_block(Block::new(
                    BlockKind::Table(Table {
                        alignments,
                        header,
                        rows,
                    }),
                    frame.span,
                ));
            }
            Kind::Row { head, cells } => {
                if let Kind::Table { header, rows, .. } = &mut self.top().kind {
                    if head && header.is_empty() {
                        *header = cells;
                    } else {
                        rows.push(cells);
                    }
                }
            }
            Kind::Cell => {
                let cell = trim_inlines(frame.inlines);
                let top = self.top();
                if let Kind::Row { cells, .. } = &mut top.kind {
                    cells.push(cell);
                } else {
                    top.inlines.extend(cell);
                }
            }
            Kind::Emphasis => {
                self.push_container(frame.inlines, InlineKind::Emphasis, frame.span);
            }
            Kind::Strong => self.push_container(frame.inlines, InlineKind::Strong, frame.span),
            Kind::Strikethrough => {
                self.push_container(frame.inlines, InlineKind::Strikethrough, frame.span);
            }
            Kind::Link { url, .. } if url.len() > self.url_bytes => {
                // A PDF string may hold 32,767 bytes at most (PDF/A); a link's target
                // longer than any real address is refused here, with its place.
                self.problems.push(Problem::new(
                    frame.span.range(),
                    format!(
                        "a link's address is {} bytes long; at most {} are allowed",
                        url.len(),
                        self.url_bytes
                    ),
                    "shorten the address, or write it as text without a link",
                ));
            }
            Kind::Link { url, had_image } => {
                let mut content = frame.inlines;
                if content.is_empty() && !had_image {
                    content.push(Inline::text(url.clone(), frame.span));
                }
                if !crate::model::link_allowed(&url) {
                    // Its text stays, as plain text; the backends warn.
                    for inline in content {
                        self.top().push_inline(inline);
                    }
                    self.refused_links.push(RefusedLink {
                        url,
                        span: frame.span,
                    });
                } else if !content.is_empty() {
                    self.top()
                        .push_inline(Inline::new(InlineKind::Link { url, content }, frame.span));
                }
            }
            Kind::Image { src, title } => {
                self.finish_image(&src, &title, &frame.inlines, frame.span);
            }
        }
        for figure in figures {
            self.push_block(figure);
        }
    }

    fn push_container(
        &mut self,
        inlines: Vec<Inline>,
        make: fn(Vec<Inline>) -> InlineKind,
        span: Span,
    ) {
        if !inlines.is_empty() {
            self.top().push_inline(Inline::new(make(inlines), span));
        }
    }

    /// A block quote written at `span`: a pull quote when marked so, else a plain quote.
    fn finish_quote(&mut self, blocks: Vec<Block>, span: Span) {
        let quote_range = span.start..span.start + 1;
        match classify(blocks) {
            Quote::Pull(inlines) => self.push_block(Block::new(BlockKind::PullQuote(inlines), span)),
            Quote::Plain(blocks) => {
                // A quote holding only footnote definitions leaves nothing to show.
                if !blocks.is_empty() {
                    self.push_block(Block::new(BlockKind::Quote(blocks), span));
                }
            }
            Quote::Invalid(PullQuoteError::Empty) => self.problems.push(Problem::new(
                quote_range,
                "empty pull quote",
                "write the quoted words on the lines after `> [!PULLQUOTE]`, each starting with `> `",
            )),
            Quote::Invalid(PullQuoteError::NotText) => self.problems.push(Problem::new(
                quote_range,
                "a pull quote holds only text",
                "remove lists, images, tables and code from it, or delete the `[!PULLQUOTE]` line to make it a plain block quote",
            )),
        }
    }

    /// `text` written at `range`, without what lies in `self.skip` (figure attributes);
    /// `None` when nothing is left.
    fn unskipped<'t>(&self, text: &'t str, range: &Range<usize>) -> Option<&'t str> {
        let skip = &self.skip;
        if range.end <= skip.start || range.start >= skip.end || range.start < skip.start {
            return Some(text);
        }
        // The attributes are plain ASCII, so the text there is as written.
        let written = self.text.get(range.start..skip.end.min(range.end))?;
        let rest = text.strip_prefix(written).unwrap_or(text);
        (!rest.is_empty()).then_some(rest)
    }

    /// An image written at `span`: resolved by the loader, becomes a figure after the
    /// enclosing block (with the attributes written after it, `{span=2 place=top}`).
    fn finish_image(&mut self, src: &str, title: &str, alt: &[Inline], span: Span) {
        let range = span.range();
        let (line, column) = self.lines.locate(self.text, range.start);
        let alt = Inline::plain_text(alt).trim().to_string();
        if alt.is_empty() {
            self.problems.push(Problem::new(
                range.clone(),
                "image without alt text",
                "describe the image for readers who cannot see it: `![a short description](path)`",
            ));
        }
        let (span_, place) = match attrs::after_image(self.text, range.end) {
            Some((attributes, problems)) => {
                self.problems.extend(problems);
                self.skip = attributes.range;
                (attributes.span, attributes.place)
            }
            None => Default::default(),
        };
        let resolved = (self.images)(src, line, column);
        // Mark the enclosing links, so an emptied link is dropped rather than shown as a URL.
        for frame in &mut self.frames {
            if let Kind::Link { had_image, .. } = &mut frame.kind {
                *had_image = true;
            }
        }
        match resolved {
            Ok(mut image) => {
                if alt.is_empty() {
                    return;
                }
                image.alt = alt;
                let caption = smarten(title);
                let caption = if caption.is_empty() {
                    Vec::new()
                } else {
                    vec![Inline::text(caption, span)]
                };
                let at = self
                    .frames
                    .iter()
                    .rposition(|f| f.kind.owns_figures())
                    .unwrap_or(0);
                self.frames[at].figures.push(Block::new(
                    BlockKind::Figure(Figure {
                        image,
                        caption,
                        span: span_,
                        place,
                    }),
                    span,
                ));
                self.top().after_image = true;
            }
            Err(mut diagnostic) => {
                if diagnostic.span.is_none() {
                    diagnostic = diagnostic.at(line, column, span_len(self.text, &range));
                }
                self.resolver_errors.push(diagnostic);
            }
        }
    }

    /// Closes what is still open, numbers the footnotes and gathers the diagnostics.
    fn into_parsed(mut self, file: &Path) -> Result<Parsed, Vec<Diagnostic>> {
        self.unwind_brackets();
        while self.frames.len() > 1 {
            self.opens.push(true);
            self.end();
        }
        let Some(mut root) = self.frames.pop() else {
            return Ok(Parsed::default());
        };
        root.flush_loose();
        let mut blocks = root.blocks;
        let mut problems = self.problems;
        let footnotes = self.notes.finish(&mut blocks, &mut problems);
        // In file order, so locating them is one pass over each line.
        problems.sort_by_key(|p| p.range.start);

        let mut diagnostics = self.resolver_errors;
        for diagnostic in &mut diagnostics {
            if diagnostic.file.is_none() {
                diagnostic.file = Some(file.to_path_buf());
            }
        }
        for problem in problems {
            let (line, column) = self.lines.locate(self.text, problem.range.start);
            diagnostics.push(
                Diagnostic::error(problem.message)
                    .in_file(file)
                    .at(line, column, span_len(self.text, &problem.range))
                    .with_hint(problem.hint),
            );
        }
        // Every problem here is an error; a resolver's refusal is one too, whatever its
        // severity, since the figure is missing.
        if !diagnostics.is_empty() {
            diagnostics.sort_by_key(|d| d.span.map(|s| (s.line, s.column)));
            return Err(diagnostics);
        }
        let mut refused_links = self.refused_links;
        refused_links.sort_by_key(|l| l.span.start);
        Ok(Parsed {
            blocks,
            footnotes,
            refused_links,
        })
    }
}

/// The `{lang=…}` at the start of `text` (right after a phrase's `]`): its length in
/// bytes and the tag as written. Only `lang` is read; `lang="…"` may be quoted. `None`
/// when `text` does not start with such attributes on one line (the brackets are then
/// text, as CommonMark reads them).
fn lang_attrs(text: &str) -> Option<(usize, String)> {
    let inner = text.strip_prefix('{')?;
    let end = inner.find('}')?;
    let body = &inner[..end];
    if body.contains('\n') {
        return None;
    }
    let value = body
        .trim()
        .strip_prefix("lang")?
        .trim_start()
        .strip_prefix('=')?;
    let value = value.trim().trim_matches('"').trim_matches('\'');
    if value.is_empty() || value.contains(char::is_whitespace) {
        return None;
    }
    Some((end + 2, value.to_string()))
}
