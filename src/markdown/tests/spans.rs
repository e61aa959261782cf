//! Spans: every block and inline points at what is written for it.

use super::*;

/// A file with front matter and non-ASCII text before every node looked at.
const SPANNED: &str = "---\ntitle: Ça — été\n---\n\n## Über *uns*\n\n\
    À propos: *très* bien, [le lien](https://e.org) ici[^n].\n\n\
    | Größe | Maß |\n|---|---|\n| groß | *klein* |\n\n\
    [^n]: Fußnote, ganz unten.\n";

fn spanned() -> Parsed {
    let body_start = SPANNED.find("\n---\n").unwrap() + 5;
    parse(
        SPANNED,
        body_start,
        Path::new("a.md"),
        8_192,
        &mut |src, _, _| Ok(image(src)),
    )
    .expect("parses")
}

/// What the file holds at `span`, without the line end a block's span may include.
fn written(span: Span) -> &'static str {
    SPANNED[span.range()].trim_end_matches('\n')
}

#[test]
fn blocks_and_inlines_span_what_is_written_for_them() {
    let parsed = spanned();
    let [heading, paragraph, table] = &parsed.blocks[..] else {
        panic!("three blocks expected: {:#?}", parsed.blocks);
    };
    assert_eq!(written(heading.span), "## Über *uns*");
    let BlockKind::Heading { content, .. } = &heading.kind else {
        panic!("a heading");
    };
    assert_eq!(written(content[1].span), "*uns*");

    assert_eq!(
        written(paragraph.span),
        "À propos: *très* bien, [le lien](https://e.org) ici[^n]."
    );
    let BlockKind::Paragraph(inlines) = &paragraph.kind else {
        panic!("a paragraph");
    };
    let spans: Vec<&str> = inlines.iter().map(|i| written(i.span)).collect();
    assert_eq!(
        spans,
        [
            "À propos: ",
            "*très*",
            " bien, ",
            "[le lien](https://e.org)",
            " ici",
            "[^n]",
            "."
        ]
    );
    let InlineKind::Emphasis(inner) = &inlines[1].kind else {
        panic!("an emphasis");
    };
    assert_eq!(written(inner[0].span), "très");
    let InlineKind::Link { content, .. } = &inlines[3].kind else {
        panic!("a link");
    };
    assert_eq!(written(content[0].span), "le lien");

    assert!(written(table.span).starts_with("| Größe | Maß |"));
    let BlockKind::Table(t) = &table.kind else {
        panic!("a table");
    };
    assert_eq!(written(t.header[1][0].span), "Maß");
    assert_eq!(written(t.rows[0][1][0].span), "*klein*");
}

#[test]
fn a_footnote_body_spans_its_text() {
    let parsed = spanned();
    let note = &parsed.footnotes[0].blocks[0];
    assert_eq!(written(note.span), "Fußnote, ganz unten.");
    let BlockKind::Paragraph(inlines) = &note.kind else {
        panic!("a paragraph");
    };
    assert_eq!(written(inlines[0].span), "Fußnote, ganz unten.");
}

#[test]
fn merged_text_spans_from_its_first_source_to_its_last() {
    // Smart punctuation and soft breaks come as separate events, merged into one run.
    let md = "Ça \"va\" --\nbien.\n";
    let parsed = ok(md);
    let BlockKind::Paragraph(inlines) = &parsed.blocks[0].kind else {
        panic!("a paragraph");
    };
    assert_eq!(inlines.len(), 1);
    assert_eq!(&md[inlines[0].span.range()], "Ça \"va\" --\nbien.");
    // A character of the run is found where it is written.
    let text = Inline::plain_text(inlines);
    let at = text.find("bien").unwrap();
    let offset = crate::diag::source_offset(&text, &md[inlines[0].span.range()], at);
    assert_eq!(offset.map(|o| &md[o..]), Some("bien.\n"));
}

#[test]
fn a_pull_quote_keeps_the_places_of_its_text() {
    let md = "Avant.\n\n> [!PULLQUOTE] Ça\n>\n> dit *tout*\n";
    let parsed = ok(md);
    let quote = &parsed.blocks[1];
    assert!(md[quote.span.range()].starts_with("> [!PULLQUOTE]"));
    let BlockKind::PullQuote(inlines) = &quote.kind else {
        panic!("a pull quote");
    };
    let spans: Vec<&str> = inlines.iter().map(|i| &md[i.span.range()]).collect();
    assert_eq!(spans, [" Ça", ">\n> ", "dit ", "*tout*"]);
}

#[test]
fn every_node_spans_some_of_the_file() {
    for md in [
        "> [!PULLQUOTE]\n> ## Head\n> text\n",
        "> [!PULLQUOTE] a\n>\n> b\n",
        "- see ![Map](m.png \"A *map*\")\n  - inner\n",
        "Text[^a].\n\n[^a]: > quoted\n    > note\n",
        "| a |\n|---|\n| |\n",
    ] {
        let parsed = ok(md);
        let mut spans = Vec::new();
        collect_spans(&parsed.blocks, &mut spans);
        for note in &parsed.footnotes {
            collect_spans(&note.blocks, &mut spans);
        }
        assert!(!spans.is_empty());
        for span in spans {
            assert!(
                md.get(span.range()).is_some_and(|w| !w.is_empty()),
                "{span:?} in {md:?}: {parsed:#?}"
            );
        }
    }
}

/// Every span of `blocks` and of their inlines.
pub(super) fn collect_spans(blocks: &[Block], out: &mut Vec<Span>) {
    fn inlines(list: &[Inline], out: &mut Vec<Span>) {
        for inline in list {
            out.push(inline.span);
            if let InlineKind::Emphasis(c)
            | InlineKind::Strong(c)
            | InlineKind::Strikethrough(c)
            | InlineKind::Link { content: c, .. } = &inline.kind
            {
                inlines(c, out);
            }
        }
    }
    for block in blocks {
        out.push(block.span);
        match &block.kind {
            BlockKind::Paragraph(i)
            | BlockKind::PullQuote(i)
            | BlockKind::Heading { content: i, .. } => inlines(i, out),
            BlockKind::List(list) => list.items.iter().for_each(|b| collect_spans(b, out)),
            BlockKind::Quote(inner) => collect_spans(inner, out),
            BlockKind::Figure(f) => inlines(&f.caption, out),
            BlockKind::Table(t) => t
                .header
                .iter()
                .chain(t.rows.iter().flatten())
                .for_each(|c| inlines(c, out)),
            BlockKind::CodeBlock { .. } | BlockKind::Rule => {}
        }
    }
}
