//! Footnotes: labels while converting, then numbers in order of first reference.
//!
//! While the body is converted, a reference becomes `InlineKind::FootnoteRef(id)` with a
//! provisional id (the label's index here). `finish` then walks the body in reading
//! order, numbers labels as they are first met, walks each note in number order (so
//! notes referenced only from notes come after them), and rewrites ids into numbers.

use std::collections::HashMap;
use std::ops::Range;

use super::convert::Problem;
use crate::model::{Block, BlockKind, Footnote, Inline, InlineKind};

/// Footnote labels, definitions and literal `[^label]` text seen so far.
#[derive(Default)]
pub(super) struct Notes {
    labels: Vec<Label>,
    by_key: HashMap<String, u32>,
    defs: Vec<Definition>,
    /// `[^label]` left as text by pulldown: a reference to a note that has no definition.
    mentions: Vec<(String, Range<usize>)>,
    /// How far of the body `scan_text` has looked, so no text is scanned twice.
    scanned_to: usize,
}

struct Label {
    written: String,
    first: Range<usize>,
}

struct Definition {
    key: String,
    written: String,
    range: Range<usize>,
    blocks: Vec<Block>,
}

/// Label matching as pulldown does it: case-insensitive, whitespace runs as one space.
fn key(label: &str) -> String {
    label
        .split_ascii_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl Notes {
    /// A reference `[^label]` at `range`; returns the provisional id to put in the text.
    pub(super) fn reference(&mut self, label: &str, range: Range<usize>) -> u32 {
        let key = key(label);
        if let Some(&id) = self.by_key.get(&key) {
            return id;
        }
        let id = u32::try_from(self.labels.len()).unwrap_or(u32::MAX);
        self.labels.push(Label {
            written: label.to_string(),
            first: range,
        });
        self.by_key.insert(key, id);
        id
    }

    /// The definition `[^label]: …` at `range` with its content.
    pub(super) fn define(&mut self, label: &str, range: Range<usize>, blocks: Vec<Block>) {
        self.defs.push(Definition {
            key: key(label),
            written: label.to_string(),
            range,
            blocks,
        });
    }

    /// Notes literal `[^label]` in the text event at `range` of `body`: pulldown leaves
    /// references to undefined notes as text. Escaped brackets (`\[^x]`) are skipped.
    pub(super) fn scan_text(&mut self, body: &str, range: Range<usize>) {
        let start = range.start.max(self.scanned_to);
        let end = range.end.min(body.len());
        if start >= end {
            return;
        }
        self.scanned_to = end;
        let bytes = body.as_bytes();
        let Some(text) = body.get(start..end) else {
            return;
        };
        // The `^` may lie beyond this event (pulldown gives `[` an event of its own).
        for (at, _) in text.match_indices('[') {
            let open = start + at;
            if bytes.get(open + 1) != Some(&b'^') {
                continue;
            }
            let backslashes = bytes[..open]
                .iter()
                .rev()
                .take_while(|&&b| b == b'\\')
                .count();
            if backslashes % 2 == 1 {
                continue;
            }
            let label_start = open + 2;
            let label_len = bytes[label_start..]
                .iter()
                .take(1000)
                .take_while(|&&b| b != b']' && b != b'[' && !b.is_ascii_whitespace())
                .count();
            let close = label_start + label_len;
            if label_len > 0 && bytes.get(close) == Some(&b']') {
                let label = body.get(label_start..close).unwrap_or("").to_string();
                self.mentions.push((label, open..close + 1));
            }
        }
    }

    /// Numbers the notes referenced from `blocks` (and from those notes), rewrites the
    /// references in place and returns the notes in number order. Undefined, unused and
    /// twice-defined notes are reported to `problems`.
    pub(super) fn finish(self, blocks: &mut [Block], problems: &mut Vec<Problem>) -> Vec<Footnote> {
        let Notes {
            labels,
            defs,
            mentions,
            ..
        } = self;
        let mut defs: Vec<Option<Definition>> = defs.into_iter().map(Some).collect();
        let mut def_of: HashMap<String, usize> = HashMap::new();
        for (i, def) in defs.iter().enumerate() {
            let Some(def) = def else { continue };
            if def_of.contains_key(&def.key) {
                problems.push(Problem::new(
                    def.range.clone(),
                    format!("footnote `[^{}]` is defined twice", def.written),
                    "give each note its own label",
                ));
            } else {
                def_of.insert(def.key.clone(), i);
            }
        }

        let mut numbering = Numbering {
            number: vec![0; labels.len()],
            order: Vec::new(),
        };
        if !labels.is_empty() {
            renumber_blocks(blocks, &mut numbering);
        }
        let mut footnotes = Vec::new();
        let mut i = 0;
        while let Some(&id) = numbering.order.get(i) {
            i += 1;
            let Some(label) = labels.get(id as usize) else {
                continue;
            };
            let found = def_of
                .get(&key(&label.written))
                .and_then(|&d| defs.get_mut(d))
                .and_then(Option::take);
            match found {
                Some(def) => {
                    let mut note = def.blocks;
                    renumber_blocks(&mut note, &mut numbering);
                    footnotes.push(Footnote {
                        number: u32::try_from(i).unwrap_or(u32::MAX),
                        blocks: note,
                    });
                }
                None => problems.push(undefined(&label.written, label.first.clone())),
            }
        }
        for (i, def) in defs.into_iter().enumerate() {
            // Taken definitions are `None`; a second definition of a label was reported
            // as a duplicate above, so only first definitions can be unused.
            let Some(def) = def else { continue };
            if def_of.get(&def.key) == Some(&i) {
                problems.push(Problem::new(
                    def.range.clone(),
                    format!("footnote `[^{}]` is never referenced", def.written),
                    format!("reference it with [^{}] or delete it", def.written),
                ));
            }
        }
        // One error per missing definition, at its first mention.
        let mut reported = std::collections::HashSet::new();
        for (label, range) in mentions {
            let key = key(&label);
            if !def_of.contains_key(&key) && reported.insert(key) {
                problems.push(undefined(&label, range));
            }
        }
        footnotes
    }
}

fn undefined(label: &str, range: Range<usize>) -> Problem {
    Problem::new(
        range,
        format!("footnote `[^{label}]` is not defined"),
        format!("add its text on a line of its own, after a blank line: `[^{label}]: The note.`"),
    )
}

/// Numbers given to provisional ids, in order of first meeting.
struct Numbering {
    /// By provisional id; 0 = not met yet.
    number: Vec<u32>,
    /// Provisional ids in number order.
    order: Vec<u32>,
}

impl Numbering {
    fn number(&mut self, id: u32) -> u32 {
        let Some(slot) = self.number.get_mut(id as usize) else {
            return 0;
        };
        if *slot == 0 {
            self.order.push(id);
            *slot = u32::try_from(self.order.len()).unwrap_or(u32::MAX);
        }
        *slot
    }
}

/// Rewrites every footnote reference in `blocks`. Recursion depth is bounded because
/// the converter caps nesting.
fn renumber_blocks(blocks: &mut [Block], numbering: &mut Numbering) {
    for block in blocks {
        match &mut block.kind {
            BlockKind::Paragraph(inlines)
            | BlockKind::Heading {
                content: inlines, ..
            }
            | BlockKind::PullQuote(inlines) => renumber_inlines(inlines, numbering),
            BlockKind::List(list) => {
                for item in &mut list.items {
                    renumber_blocks(item, numbering);
                }
            }
            BlockKind::Quote(inner) => renumber_blocks(inner, numbering),
            BlockKind::Figure(figure) => renumber_inlines(&mut figure.caption, numbering),
            BlockKind::Table(table) => {
                for cell in table
                    .header
                    .iter_mut()
                    .chain(table.rows.iter_mut().flatten())
                {
                    renumber_inlines(cell, numbering);
                }
            }
            BlockKind::CodeBlock { .. } | BlockKind::Rule => {}
        }
    }
}

fn renumber_inlines(inlines: &mut [Inline], numbering: &mut Numbering) {
    for inline in inlines {
        match &mut inline.kind {
            InlineKind::FootnoteRef(id) => *id = numbering.number(*id),
            InlineKind::Emphasis(inner)
            | InlineKind::Strong(inner)
            | InlineKind::Strikethrough(inner)
            | InlineKind::Lang { content: inner, .. }
            | InlineKind::Link { content: inner, .. } => renumber_inlines(inner, numbering),
            InlineKind::Text(_) | InlineKind::Code(_) | InlineKind::LineBreak => {}
        }
    }
}
