//! Recognises a pull quote: a block quote whose first line is `[!PULLQUOTE]`.

use crate::model::{Block, Inline};

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
    /// Marked: the quote's text, paragraphs joined by line breaks.
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
    for block in blocks {
        match block {
            Block::Paragraph(inlines)
            | Block::Heading {
                content: inlines, ..
            } => {
                if !out.is_empty() {
                    out.push(Inline::LineBreak);
                }
                out.extend(inlines);
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
/// `blocks` untouched) when the quote does not start with it.
fn strip_marker(blocks: &mut Vec<Block>) -> bool {
    let Some(Block::Paragraph(first)) = blocks.first_mut() else {
        return false;
    };
    let Some(Inline::Text(text)) = first.first_mut() else {
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
        if matches!(first.first(), Some(Inline::LineBreak)) {
            first.remove(0);
        }
        if let Some(Inline::Text(next)) = first.first_mut() {
            let trimmed = next.trim_start_matches(' ').to_string();
            *next = trimmed;
            if next.is_empty() {
                first.remove(0);
            }
        }
    } else {
        *text = rest;
    }
    if first
        .iter()
        .all(|i| matches!(i, Inline::Text(t) if t.trim().is_empty()))
    {
        blocks.remove(0);
    }
    true
}
