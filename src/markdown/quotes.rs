//! Quotation marks by language: the smartened text uses English marks (“…”), which the
//! languages that open low and close high („…“) need swapped.
//!
//! Only double marks change: a single ’ is both a closing mark and an apostrophe, and
//! the two cannot be told apart reliably, so single marks stay as they are.

use crate::model::{Block, BlockKind, Footnote, Inline, InlineKind, List, Table};

/// True for languages (primary subtag) whose double quotes are „…“.
pub(crate) fn low_high(primary: &str) -> bool {
    matches!(
        primary,
        "de" | "cs" | "sk" | "sl" | "lt" | "et" | "is" | "bg"
    )
}

/// `text` with “ → „ and ” → “ (one pass, so the two maps do not interfere).
pub(crate) fn localise_text(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '“' => '„',
            '”' => '“',
            c => c,
        })
        .collect()
}

/// Applies [`localise_text`] to every text run of the body and notes when `primary`
/// needs it.
pub(crate) fn localise(blocks: &mut [Block], footnotes: &mut [Footnote], primary: &str) {
    if !low_high(primary) {
        return;
    }
    for block in blocks.iter_mut() {
        block_text(block);
    }
    for note in footnotes.iter_mut() {
        for block in note.blocks.iter_mut() {
            block_text(block);
        }
    }
}

fn block_text(block: &mut Block) {
    match &mut block.kind {
        BlockKind::Paragraph(c)
        | BlockKind::PullQuote(c)
        | BlockKind::Heading { content: c, .. } => inlines(c),
        BlockKind::List(List { items, .. }) => items.iter_mut().flatten().for_each(block_text),
        BlockKind::Quote(blocks) => blocks.iter_mut().for_each(block_text),
        BlockKind::Figure(f) => inlines(&mut f.caption),
        BlockKind::Table(Table { header, rows, .. }) => {
            header.iter_mut().for_each(|c| inlines(c));
            rows.iter_mut().flatten().for_each(|c| inlines(c));
        }
        BlockKind::CodeBlock { .. } | BlockKind::Rule => {}
    }
}

fn inlines(content: &mut [Inline]) {
    // Nesting is capped by the parser, so this recursion is bounded.
    for inline in content.iter_mut() {
        match &mut inline.kind {
            InlineKind::Text(t) => {
                if t.contains(['“', '”']) {
                    *t = localise_text(t);
                }
            }
            InlineKind::Emphasis(c)
            | InlineKind::Strong(c)
            | InlineKind::Strikethrough(c)
            | InlineKind::Link { content: c, .. } => inlines(c),
            InlineKind::Code(_) | InlineKind::FootnoteRef(_) | InlineKind::LineBreak => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::model::Span;

    fn text(t: &str) -> Inline {
        Inline::text(t, Span::new(3, 9))
    }

    fn paragraph(inlines: Vec<Inline>) -> Block {
        Block::new(BlockKind::Paragraph(inlines), Span::new(1, 20))
    }

    #[test]
    fn german_opens_low_and_closes_high() {
        let mut blocks = vec![paragraph(vec![
            text("Sie sagte “Regen” und ging’s an."),
            Inline::new(
                InlineKind::Emphasis(vec![text("“kursiv”")]),
                Span::new(4, 8),
            ),
        ])];
        localise(&mut blocks, &mut [], "de");
        // The text changes, its place does not.
        assert_eq!(
            blocks,
            vec![paragraph(vec![
                text("Sie sagte „Regen“ und ging’s an."),
                Inline::new(
                    InlineKind::Emphasis(vec![text("„kursiv“")]),
                    Span::new(4, 8)
                ),
            ])]
        );
    }

    #[test]
    fn english_is_left_alone() {
        let original = vec![paragraph(vec![text("“rain”")])];
        let mut blocks = original.clone();
        localise(&mut blocks, &mut [], "en");
        assert_eq!(blocks, original);
    }
}
