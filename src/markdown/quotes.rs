//! Quotation marks by language: the smartened text uses English marks (“…”), which the
//! languages that open low and close high („…“) need swapped.
//!
//! Only double marks change: a single ’ is both a closing mark and an apostrophe, and
//! the two cannot be told apart reliably, so single marks stay as they are.

use crate::model::{Block, Footnote, Inline, List, Table};

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
    match block {
        Block::Paragraph(c) | Block::PullQuote(c) | Block::Heading { content: c, .. } => inlines(c),
        Block::List(List { items, .. }) => items.iter_mut().flatten().for_each(block_text),
        Block::Quote(blocks) => blocks.iter_mut().for_each(block_text),
        Block::Figure(f) => inlines(&mut f.caption),
        Block::Table(Table { header, rows, .. }) => {
            header.iter_mut().for_each(|c| inlines(c));
            rows.iter_mut().flatten().for_each(|c| inlines(c));
        }
        Block::CodeBlock { .. } | Block::Rule => {}
    }
}

fn inlines(content: &mut [Inline]) {
    // Nesting is capped by the parser, so this recursion is bounded.
    for inline in content.iter_mut() {
        match inline {
            Inline::Text(t) => {
                if t.contains(['“', '”']) {
                    *t = localise_text(t);
                }
            }
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Strikethrough(c)
            | Inline::Link { content: c, .. } => inlines(c),
            Inline::Code(_) | Inline::FootnoteRef(_) | Inline::LineBreak => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_opens_low_and_closes_high() {
        let mut blocks = vec![Block::Paragraph(vec![
            Inline::Text("Sie sagte “Regen” und ging’s an.".into()),
            Inline::Emphasis(vec![Inline::Text("“kursiv”".into())]),
        ])];
        localise(&mut blocks, &mut [], "de");
        assert_eq!(
            blocks,
            vec![Block::Paragraph(vec![
                Inline::Text("Sie sagte „Regen“ und ging’s an.".into()),
                Inline::Emphasis(vec![Inline::Text("„kursiv“".into())]),
            ])]
        );
    }

    #[test]
    fn english_is_left_alone() {
        let original = vec![Block::Paragraph(vec![Inline::Text("“rain”".into())])];
        let mut blocks = original.clone();
        localise(&mut blocks, &mut [], "en");
        assert_eq!(blocks, original);
    }
}
