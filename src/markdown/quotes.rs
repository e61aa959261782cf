//! Quotation marks by language: the smartened text uses English marks (“…”), which the
//! languages that open low and close high („…“) need swapped, and French sets as
//! guillemets with a narrow no-break space inside (« … »).
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

/// True for languages (primary subtag) whose double quotes are guillemets with a narrow
/// no-break space inside: « … ».
pub(crate) fn guillemets(primary: &str) -> bool {
    primary == "fr"
}

/// The narrow no-break space French sets inside guillemets.
pub(crate) const NARROW_NBSP: char = '\u{202f}';

/// Whether the double marks of `primary` differ from English ones.
pub(crate) fn localised(primary: &str) -> bool {
    low_high(primary) || guillemets(primary)
}

/// `text` (with English double marks) with the double marks of `primary`: “ → „ and
/// ” → “ for the languages that open low, “ → « and ” → » with a narrow no-break space
/// inside for French (a space the author typed there becomes that space). Other
/// languages keep the text as it is. One pass, so the maps do not interfere.
pub(crate) fn localise_text(text: &str, primary: &str) -> String {
    if low_high(primary) {
        return text
            .chars()
            .map(|c| match c {
                '“' => '„',
                '”' => '“',
                c => c,
            })
            .collect();
    }
    if !guillemets(primary) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '“' => {
                out.push('«');
                out.push(NARROW_NBSP);
                while chars.next_if(|&c| c == ' ' || c == '\u{a0}').is_some() {}
            }
            '”' => {
                while out.ends_with([' ', '\u{a0}']) {
                    out.pop();
                }
                out.push(NARROW_NBSP);
                out.push('»');
            }
            c => out.push(c),
        }
    }
    out
}

/// Applies [`localise_text`] to every text run of the body when `primary` needs it.
pub(crate) fn localise(blocks: &mut [Block], footnotes: &mut [Footnote], primary: &str) {
    // Phrases in another language (`InlineKind::Lang`) take their own marks, so every
    // article is walked, even one whose language keeps the English marks.
    for block in blocks.iter_mut() {
        block_text(block, primary);
    }
    for note in footnotes.iter_mut() {
        for block in note.blocks.iter_mut() {
            block_text(block, primary);
        }
    }
}

fn block_text(block: &mut Block, primary: &str) {
    match &mut block.kind {
        BlockKind::Paragraph(c)
        | BlockKind::PullQuote(c)
        | BlockKind::Heading { content: c, .. } => inlines(c, primary),
        BlockKind::List(List { items, .. }) => items
            .iter_mut()
            .flatten()
            .for_each(|b| block_text(b, primary)),
        BlockKind::Quote(blocks) => blocks.iter_mut().for_each(|b| block_text(b, primary)),
        BlockKind::Figure(f) => inlines(&mut f.caption, primary),
        BlockKind::Table(Table { header, rows, .. }) => {
            header.iter_mut().for_each(|c| inlines(c, primary));
            rows.iter_mut().flatten().for_each(|c| inlines(c, primary));
        }
        BlockKind::CodeBlock { .. } | BlockKind::Rule => {}
    }
}

fn inlines(content: &mut [Inline], primary: &str) {
    // Nesting is capped by the parser, so this recursion is bounded.
    for inline in content.iter_mut() {
        match &mut inline.kind {
            InlineKind::Text(t) => {
                if localised(primary) && t.contains(['“', '”']) {
                    *t = localise_text(t, primary);
                }
            }
            InlineKind::Emphasis(c)
            | InlineKind::Strong(c)
            | InlineKind::Strikethrough(c)
            | InlineKind::Link { content: c, .. } => inlines(c, primary),
            InlineKind::Lang { lang, content } => inlines(content, &lang.primary()),
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
    fn french_sets_guillemets_with_narrow_spaces() {
        let mut blocks = vec![paragraph(vec![
            text("Il dit “pluie” et “ neige ” l’an passé."),
            Inline::new(
                InlineKind::Emphasis(vec![text("“italique”")]),
                Span::new(4, 8),
            ),
        ])];
        localise(&mut blocks, &mut [], "fr");
        assert_eq!(
            blocks,
            vec![paragraph(vec![
                text("Il dit «\u{202f}pluie\u{202f}» et «\u{202f}neige\u{202f}» l’an passé."),
                Inline::new(
                    InlineKind::Emphasis(vec![text("«\u{202f}italique\u{202f}»")]),
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

    #[test]
    fn a_phrase_in_another_language_takes_its_own_marks() {
        let mut blocks = vec![paragraph(vec![
            text("“English” and "),
            Inline::from(InlineKind::Lang {
                lang: crate::model::Language("de".into()),
                content: vec![text("“Deutsch”")],
            }),
        ])];
        localise(&mut blocks, &mut [], "en");
        assert_eq!(
            blocks,
            vec![paragraph(vec![
                text("“English” and "),
                Inline::from(InlineKind::Lang {
                    lang: crate::model::Language("de".into()),
                    content: vec![text("„Deutsch“")],
                }),
            ])]
        );
    }
}
