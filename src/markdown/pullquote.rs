//! Recognises a pull quote: a block quote whose first line is `[!PULLQUOTE]`.

use crate::model::{Block, BlockKind, Inline, InlineKind, Span};

const MARKER: &str = "[!PULLQUOTE]";

/// Why a quote marked `[!PULLQUOTE]` cannot be a pull quote.
#[derive(Debug, PartialEq)]
pub(super) enum PullQuoteError {
    /// Nothing follows the marker.
    Empty,
    /// It holds lists, figures, code or other non-text blocks.
    NotText,
}

/// What a block quote turns out to be.
#[derive(Debug, PartialEq)]
pub(super) enum Quote {
    /// Not marked: the blocks as they were.
    Plain(Vec<Block>),
    /// Marked: the quote's text, paragraphs joined by line breaks (each spanning what
    /// lies between the two paragraphs, or the first of them when nothing does).
    Pull(Vec<Inline>),
    /// Marked, but unusable as a pull quote.
    Invalid(PullQuoteError),
}

/// Classifies a block quote's content.
pub(super) fn classify(mut blocks: Vec<Block>) -> Quote {
    if !strip_marker(&mut blocks) {
        return Quote::Plain(blocks);
    }
    let mut out = Vec::new();
    let mut previous: Option<Span> = None;
    for block in blocks {
        let span = block.span;
        match block.kind {
            BlockKind::Paragraph(inlines)
            | BlockKind::Heading {
                content: inlines, ..
            } => {
                if let Some(previous) = previous
                    && !out.is_empty()
                {
                    let between = Span::new(previous.end, span.start);
                    let at = if between.is_empty() {
                        previous
                    } else {
                        between
                    };
                    out.push(Inline::new(InlineKind::LineBreak, at));
                }
                out.extend(inlines);
                previous = Some(span);
            }
            _ => return Quote::Invalid(PullQuoteError::NotText),
        }
    }
    if out.is_empty() {
        return Quote::Invalid(PullQuoteError::Empty);
    }
    Quote::Pull(out)
}

/// Removes the marker (and the break after it) from the first paragraph; false (and
/// `blocks` untouched) when the quote does not start with it. The text left after the
/// marker keeps its span from the marker's end on.
fn strip_marker(blocks: &mut Vec<Block>) -> bool {
    let Some(BlockKind::Paragraph(first)) = blocks.first_mut().map(|b| &mut b.kind) else {
        return false;
    };
    let Some(Inline {
        kind: InlineKind::Text(text),
        span,
    }) = first.first_mut()
    else {
        return false;
    };
    let Some(head) = text.get(..MARKER.len()) else {
        return false;
    };
    let rest = &text[MARKER.len()..];
    if !head.eq_ignore_ascii_case(MARKER) || !(rest.is_empty() || rest.starts_with([' ', '\n'])) {
        return false;
    }
    let rest = rest.trim_start_matches([' ', '\n']).to_string();
    if rest.is_empty() {
        first.remove(0);
        if matches!(first.first().map(|i| &i.kind), Some(InlineKind::LineBreak)) {
            first.remove(0);
        }
        if let Some(InlineKind::Text(next)) = first.first_mut().map(|i| &mut i.kind) {
            let trimmed = next.trim_start_matches(' ').to_string();
            *next = trimmed;
            if next.is_empty() {
                first.remove(0);
            }
        }
    } else {
        *text = rest;
        *span = Span::new((span.start + MARKER.len()).min(span.end), span.end);
    }
    if first
        .iter()
        .all(|i| matches!(&i.kind, InlineKind::Text(t) if t.trim().is_empty()))
    {
        blocks.remove(0);
    }
    true
}
