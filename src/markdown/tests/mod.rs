//! Unit tests for the Markdown conversion, each on a tiny input; positions and
//! robustness in `robust.rs`, spans in `spans.rs`.

mod lang;
mod robust;
mod spans;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::lines::LineIndex;
use super::smart::smarten;
use super::{Parsed, parse};
use crate::diag::{Diagnostic, line_col};
use crate::model::{
    Alignment, Block, BlockKind, Figure, FigurePlace, FigureSpan, Image, ImageFormat, Inline,
    InlineKind, List, Span, Table, without_spans,
};

fn image(src: &str) -> Image {
    Image {
        path: PathBuf::from("/edition").join(src),
        rel_path: src.to_string(),
        alt: String::new(),
        format: ImageFormat::Png,
        width_px: 40,
        height_px: 30,
        data: Arc::new(Vec::new()),
    }
}

/// `md` as the body of a file whose first `first_line - 1` lines are front matter (blank
/// here): the file's text and where the body starts.
fn file_with_body(md: &str, first_line: usize) -> (String, usize) {
    let front = "\n".repeat(first_line.saturating_sub(1));
    (format!("{front}{md}"), front.len())
}

/// Parses with a resolver that accepts every image, starting at line `first_line`.
fn try_parse(md: &str, first_line: usize) -> Result<Parsed, Vec<Diagnostic>> {
    let (text, body_start) = file_with_body(md, first_line);
    parse(
        &text,
        body_start,
        Path::new("articles/a.md"),
        8_192,
        &mut |src, _, _| Ok(image(src)),
    )
}

fn ok(md: &str) -> Parsed {
    match try_parse(md, 1) {
        Ok(parsed) => parsed,
        Err(diagnostics) => panic!("unexpected diagnostics: {diagnostics:#?}"),
    }
}

/// The blocks of `md`, spans cleared (for tests of the model's shape).
fn blocks(md: &str) -> Vec<Block> {
    without_spans(&ok(md).blocks)
}

fn errors(md: &str, first_line: usize) -> Vec<Diagnostic> {
    match try_parse(md, first_line) {
        Ok(parsed) => panic!("expected errors, got {parsed:#?}"),
        Err(diagnostics) => diagnostics,
    }
}

fn t(text: &str) -> Inline {
    Inline::text(text, Span::default())
}

fn para(inlines: Vec<Inline>) -> Block {
    BlockKind::Paragraph(inlines).into()
}

fn text_para(text: &str) -> Block {
    para(vec![t(text)])
}

fn line_and_column(d: &Diagnostic) -> (usize, usize) {
    let span = d.span.expect("diagnostic has a span");
    (span.line, span.column)
}

/// Each diagnostic's message with its line and column.
fn summary(errs: &[Diagnostic]) -> Vec<(&str, (usize, usize))> {
    errs.iter()
        .map(|d| (d.message.as_str(), line_and_column(d)))
        .collect()
}

// --- Inline text -------------------------------------------------------------

#[test]
fn smart_punctuation_fragments_are_merged_into_one_text() {
    assert_eq!(
        blocks("Say \"hi\" -- it's... 'so' --- fine\n"),
        vec![text_para("Say “hi” – it’s… ‘so’ — fine")]
    );
}

#[test]
fn soft_break_becomes_one_space() {
    assert_eq!(blocks("one\ntwo\nthree"), vec![text_para("one two three")]);
}

#[test]
fn hard_breaks_become_line_breaks() {
    let expected = vec![para(vec![
        t("one"),
        Inline::from(InlineKind::LineBreak),
        t("two"),
    ])];
    assert_eq!(blocks("one  \ntwo"), expected);
    assert_eq!(blocks("one\\\ntwo"), expected);
}

#[test]
fn soft_hyphen_is_kept_literally_and_as_entity() {
    assert_eq!(
        blocks("extra\u{ad}ordinary and &shy;x"),
        vec![text_para("extra\u{ad}ordinary and \u{ad}x")]
    );
}

#[test]
fn entities_are_resolved() {
    assert_eq!(
        blocks("Fish &amp; chips &#x2014; &copy;"),
        vec![text_para("Fish & chips — ©")]
    );
}

#[test]
fn inline_html_is_kept_as_text() {
    assert_eq!(
        blocks("a <b>bold</b> claim <!-- note -->"),
        vec![text_para("a <b>bold</b> claim <!-- note -->")]
    );
}

#[test]
fn html_block_is_kept_as_html_code() {
    assert_eq!(
        blocks("<div>\nhi\n</div>\n"),
        vec![Block::from(BlockKind::CodeBlock {
            language: Some("html".to_string()),
            text: "<div>\nhi\n</div>".to_string(),
        })]
    );
}

#[test]
fn emphasis_strong_strikethrough_and_code_nest() {
    assert_eq!(
        blocks("a *b **c** d* ~~e~~ `f *g*`"),
        vec![para(vec![
            t("a "),
            Inline::from(InlineKind::Emphasis(vec![
                t("b "),
                Inline::from(InlineKind::Strong(vec![t("c")])),
                t(" d")
            ])),
            t(" "),
            Inline::from(InlineKind::Strikethrough(vec![t("e")])),
            t(" "),
            Inline::from(InlineKind::Code("f *g*".to_string())),
        ])]
    );
}

#[test]
fn links_keep_url_and_content() {
    assert_eq!(
        blocks("See [the *site*](https://example.org/x) or <me@example.org>."),
        vec![para(vec![
            t("See "),
            Inline::from(InlineKind::Link {
                url: "https://example.org/x".to_string(),
                content: vec![
                    t("the "),
                    Inline::from(InlineKind::Emphasis(vec![t("site")]))
                ],
            }),
            t(" or "),
            Inline::from(InlineKind::Link {
                url: "mailto:me@example.org".to_string(),
                content: vec![t("me@example.org")],
            }),
            t("."),
        ])]
    );
}

#[test]
fn no_two_text_runs_are_adjacent_anywhere() {
    fn check(inlines: &[Inline]) {
        for pair in inlines.windows(2) {
            assert!(
                !matches!(
                    (&pair[0].kind, &pair[1].kind),
                    (InlineKind::Text(_), InlineKind::Text(_))
                ),
                "adjacent text runs in {inlines:?}"
            );
        }
        for inline in inlines {
            if let InlineKind::Emphasis(c)
            | InlineKind::Strong(c)
            | InlineKind::Link { content: c, .. } = &inline.kind
            {
                check(c);
            }
        }
    }
    let md = "\"A\" -- *'b' ... \"c\"* [x -- \"y\"](u) ...\n\n- \"one\" -- two\n- 'three'...\n";
    let parsed = ok(md);
    for block in &parsed.blocks {
        match &block.kind {
            BlockKind::Paragraph(i) => check(i),
            BlockKind::List(list) => {
                for item in &list.items {
                    for b in item {
                        if let BlockKind::Paragraph(i) = &b.kind {
                            check(i);
                        }
                    }
                }
            }
            other => panic!("unexpected block {other:?}"),
        }
    }
}

// --- Headings ----------------------------------------------------------------

#[test]
fn headings_start_at_level_two_and_keep_ids() {
    assert_eq!(
        blocks("# Top\n\n## Sub {#sub-id}\n\n###### Six"),
        vec![
            Block::from(BlockKind::Heading {
                level: 2,
                content: vec![t("Top")],
                id: None
            }),
            Block::from(BlockKind::Heading {
                level: 2,
                content: vec![t("Sub")],
                id: Some("sub-id".to_string())
            }),
            Block::from(BlockKind::Heading {
                level: 6,
                content: vec![t("Six")],
                id: None
            }),
        ]
    );
}

// --- Quotes ------------------------------------------------------------------

#[test]
fn pull_quote_is_detected_and_its_paragraphs_joined() {
    assert_eq!(
        blocks("> [!PULLQUOTE]\n> Words *here*\n>\n> More words\n"),
        vec![Block::from(BlockKind::PullQuote(vec![
            t("Words "),
            Inline::from(InlineKind::Emphasis(vec![t("here")])),
            Inline::from(InlineKind::LineBreak),
            t("More words"),
        ]))]
    );
}

#[test]
fn pull_quote_marker_is_case_insensitive_and_may_stand_alone() {
    assert_eq!(
        blocks("> [!pullquote]\n>\n> Alone.\n"),
        vec![Block::from(BlockKind::PullQuote(vec![t("Alone.")]))]
    );
}

#[test]
fn plain_quote_is_not_a_pull_quote() {
    assert_eq!(
        blocks("> Just a quote.\n>\n> [!PULLQUOTE] later\n"),
        vec![Block::from(BlockKind::Quote(vec![
            text_para("Just a quote."),
            text_para("[!PULLQUOTE] later"),
        ]))]
    );
    assert_eq!(
        blocks("> [!PULLQUOTES]\n> no\n"),
        vec![Block::from(BlockKind::Quote(vec![text_para(
            "[!PULLQUOTES] no"
        )]))]
    );
}

#[test]
fn empty_pull_quote_is_an_error() {
    let errs = errors("Text.\n\n> [!PULLQUOTE]\n", 1);
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].message, "empty pull quote");
    assert_eq!(line_and_column(&errs[0]), (3, 1));
}

#[test]
fn pull_quote_with_a_list_is_an_error() {
    let errs = errors("> [!PULLQUOTE]\n> - a\n> - b\n", 1);
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].message, "a pull quote holds only text");
}

// --- Figures -----------------------------------------------------------------

#[test]
fn image_alone_becomes_a_figure_with_alt_and_smart_caption() {
    let mut calls = Vec::new();
    let (text, body_start) = file_with_body(
        "Intro.\n\n![A grey *cat*](images/cat.png \"The \\\"cat\\\" -- asleep...\")\n",
        10,
    );
    let parsed = parse(
        &text,
        body_start,
        Path::new("a.md"),
        8_192,
        &mut |src, line, column| {
            calls.push((src.to_string(), line, column));
            Ok(image(src))
        },
    )
    .expect("parses");
    assert_eq!(calls, vec![("images/cat.png".to_string(), 12, 1)]);
    let mut expected = image("images/cat.png");
    expected.alt = "A grey cat".to_string();
    assert_eq!(
        without_spans(&parsed.blocks),
        vec![
            text_para("Intro."),
            Block::from(BlockKind::Figure(Figure {
                image: expected,
                caption: vec![t("The “cat” – asleep…")],
                span: FigureSpan::Column,
                place: FigurePlace::Top,
            })),
        ]
    );
}

#[test]
fn image_inside_text_becomes_a_figure_after_the_paragraph() {
    let parsed = blocks("Before ![Dog](d.png) after.\n\nNext.");
    assert_eq!(parsed.len(), 3);
    assert_eq!(parsed[0], text_para("Before after."));
    match &parsed[1].kind {
        BlockKind::Figure(figure) => {
            assert_eq!(figure.image.alt, "Dog");
            assert!(figure.caption.is_empty());
        }
        other => panic!("expected a figure, got {other:?}"),
    }
    assert_eq!(parsed[2], text_para("Next."));
}

#[test]
fn linked_image_becomes_a_figure_and_leaves_no_empty_paragraph() {
    let parsed = blocks("[![Logo](l.png)](https://example.org)");
    assert_eq!(parsed.len(), 1);
    assert!(matches!(&parsed[0].kind, BlockKind::Figure(f) if f.image.alt == "Logo"));
}

#[test]
fn image_in_a_tight_list_item_follows_the_item_text() {
    let parsed = blocks("- see ![Map](m.png)\n  - inner\n");
    let BlockKind::List(list) = &parsed[0].kind else {
        panic!("expected a list: {parsed:?}");
    };
    let item = &list.items[0];
    assert_eq!(item[0], text_para("see"));
    assert!(matches!(&item[1].kind, BlockKind::Figure(_)));
    assert!(matches!(&item[2].kind, BlockKind::List(_)));
}

#[test]
fn missing_alt_text_is_an_error_at_the_image() {
    let errs = errors("Para.\n\n  ![ ](x.png)\n", 5);
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].message, "image without alt text");
    assert_eq!(errs[0].file.as_deref(), Some(Path::new("articles/a.md")));
    assert_eq!(line_and_column(&errs[0]), (7, 3));
    assert!(
        errs[0]
            .hint
            .as_deref()
            .is_some_and(|h| h.contains("![a short description](path)"))
    );
}

#[test]
fn resolver_errors_are_collected_with_the_others() {
    let result = parse(
        "![One](missing.png)\n\n![](ok.png)\n\n![Two](gone.png)\n",
        0,
        Path::new("a.md"),
        8_192,
        &mut |src, _, _| {
            if src == "ok.png" {
                Ok(image(src))
            } else {
                Err(Diagnostic::error(format!("no such image `{src}`")))
            }
        },
    );
    let errs = result.expect_err("errors");
    let summary = summary(&errs);
    assert_eq!(
        summary,
        vec![
            ("no such image `missing.png`", (1, 1)),
            ("image without alt text", (3, 1)),
            ("no such image `gone.png`", (5, 1)),
        ]
    );
    assert!(
        errs.iter()
            .all(|d| d.file.as_deref() == Some(Path::new("a.md")))
    );
}

#[test]
fn attributes_after_an_image_set_span_and_place_and_are_not_text() {
    let parsed = blocks(
        "Intro.\n\n![A cat](cat.png \"Asleep\"){span=2 place=bottom}\n\n\
         Before ![Dog](d.png){span=full} after.\n",
    );
    let figure = |b: &Block| match &b.kind {
        BlockKind::Figure(f) => f.clone(),
        other => panic!("expected a figure, got {other:?}"),
    };
    assert_eq!(parsed.len(), 4, "{parsed:#?}");
    let cat = figure(&parsed[1]);
    assert_eq!(
        (cat.span, cat.place),
        (FigureSpan::Columns(2), FigurePlace::Bottom)
    );
    // Alt text and caption are as without the attributes.
    assert_eq!(cat.image.alt, "A cat");
    assert_eq!(cat.caption, vec![t("Asleep")]);
    assert_eq!(parsed[2], text_para("Before after."));
    let dog = figure(&parsed[3]);
    assert_eq!((dog.span, dog.place), (FigureSpan::Full, FigurePlace::Top));
    // Without attributes, a figure takes one column; braces elsewhere are text.
    let plain = blocks("![Dog](d.png) {span=2}\n\nA {span=2} here.\n");
    assert_eq!(figure(&plain[1]).span, FigureSpan::Column);
    assert_eq!(plain[0], text_para("{span=2}"));
    assert_eq!(plain[2], text_para("A {span=2} here."));
}

#[test]
fn unknown_figure_attributes_are_errors_at_the_word() {
    let errs = errors("Para.\n\n![Cat](c.png){span=two place=left}\n", 3);
    assert_eq!(
        summary(&errs),
        vec![
            (
                "figure `span=two`: a span is a number of columns from 1 to 6, or `full`",
                (5, 15)
            ),
            (
                "figure `place=left`: a figure is placed at the `top` or the `bottom` of a page",
                (5, 24)
            ),
        ]
    );
    assert_eq!(errs[0].file.as_deref(), Some(Path::new("articles/a.md")));
    assert!(
        errs[0]
            .hint
            .as_deref()
            .is_some_and(|h| h.contains("span=2"))
    );
}

// --- Footnotes ---------------------------------------------------------------

#[test]
fn footnotes_are_numbered_by_first_reference() {
    let parsed = ok("A[^z] B[^a] C[^Z].\n\n[^a]: Aye.\n[^z]: Zed.\n");
    assert_eq!(
        without_spans(&parsed.blocks),
        vec![para(vec![
            t("A"),
            Inline::from(InlineKind::FootnoteRef(1)),
            t(" B"),
            Inline::from(InlineKind::FootnoteRef(2)),
            t(" C"),
            Inline::from(InlineKind::FootnoteRef(1)),
            t("."),
        ])]
    );
    assert_eq!(parsed.footnotes.len(), 2);
    assert_eq!(parsed.footnotes[0].number, 1);
    assert_eq!(
        without_spans(&parsed.footnotes[0].blocks),
        vec![text_para("Zed.")]
    );
    assert_eq!(parsed.footnotes[1].number, 2);
    assert_eq!(
        without_spans(&parsed.footnotes[1].blocks),
        vec![text_para("Aye.")]
    );
}

#[test]
fn notes_referenced_from_notes_come_after_the_text_notes() {
    let parsed = ok("[^b]: Bee.\n\n[^a]: Aye, see[^b].\n\nText[^a] and [^c].\n\n[^c]: Sea.\n");
    let numbers: Vec<_> = parsed
        .footnotes
        .iter()
        .map(|f| {
            (
                f.number,
                Inline::plain_text(match &f.blocks[0].kind {
                    BlockKind::Paragraph(i) => i,
                    _ => panic!("paragraph expected"),
                }),
            )
        })
        .collect();
    assert_eq!(
        numbers,
        vec![
            (1, "Aye, see.".to_string()),
            (2, "Sea.".to_string()),
            (3, "Bee.".to_string()),
        ]
    );
    assert_eq!(
        without_spans(&parsed.footnotes[0].blocks),
        vec![para(vec![
            t("Aye, see"),
            Inline::from(InlineKind::FootnoteRef(3)),
            t(".")
        ])]
    );
}

#[test]
fn undefined_footnote_is_an_error_naming_the_label() {
    let errs = errors("Intro.\n\nSee [^nope] here.\n", 3);
    assert_eq!(errs.len(), 1);
    assert!(errs[0].message.contains("[^nope]"), "{}", errs[0].message);
    assert!(errs[0].message.contains("not defined"));
    assert_eq!(line_and_column(&errs[0]), (5, 5));
    assert_eq!(errs[0].span.map(|s| s.len), Some(7));
}

#[test]
fn undefined_footnote_is_reported_once_at_its_first_use() {
    let errs = errors("a [^gap] b\n\nc [^GAP] d [^other]\n", 1);
    let summary = summary(&errs);
    assert_eq!(
        summary,
        vec![
            ("footnote `[^gap]` is not defined", (1, 3)),
            ("footnote `[^other]` is not defined", (3, 12)),
        ]
    );
}

#[test]
fn escaped_footnote_syntax_is_plain_text() {
    assert_eq!(blocks("a \\[^x] b"), vec![text_para("a [^x] b")]);
}

#[test]
fn unreferenced_footnote_is_an_error_with_a_hint() {
    let errs = errors("Text.\n\n[^lonely]: Nobody cites me.\n", 1);
    assert_eq!(errs.len(), 1);
    assert!(errs[0].message.contains("[^lonely]"));
    assert_eq!(
        errs[0].hint.as_deref(),
        Some("reference it with [^lonely] or delete it")
    );
    assert_eq!(line_and_column(&errs[0]), (3, 1));
}

#[test]
fn footnote_defined_twice_is_an_error() {
    let errs = errors("x[^a]\n\n[^a]: One.\n\n[^a]: Two.\n", 1);
    assert_eq!(errs.len(), 1);
    assert!(errs[0].message.contains("defined twice"));
    assert_eq!(line_and_column(&errs[0]), (5, 1));
}

#[test]
fn footnote_with_several_blocks() {
    let parsed = ok("x[^n]\n\n[^n]: First.\n\n    Second.\n");
    assert_eq!(
        without_spans(&parsed.footnotes[0].blocks),
        vec![text_para("First."), text_para("Second.")]
    );
}

// --- Lists, code, tables, rules ------------------------------------------------

#[test]
fn nested_tight_list() {
    assert_eq!(
        blocks("- a\n  - b\n- c\n"),
        vec![Block::from(BlockKind::List(List {
            start: None,
            items: vec![
                vec![
                    text_para("a"),
                    Block::from(BlockKind::List(List {
                        start: None,
                        items: vec![vec![text_para("b")]],
                    })),
                ],
                vec![text_para("c")],
            ],
        }))]
    );
}

#[test]
fn ordered_loose_list_keeps_start_and_paragraphs() {
    assert_eq!(
        blocks("3. one\n\n   more\n4. two\n"),
        vec![Block::from(BlockKind::List(List {
            start: Some(3),
            items: vec![
                vec![text_para("one"), text_para("more")],
                vec![text_para("two")],
            ],
        }))]
    );
}

#[test]
fn code_blocks_take_the_first_word_of_the_info_string() {
    assert_eq!(
        blocks("```rust ignore\nfn x() {}\n```\n\n    indented\n"),
        vec![
            Block::from(BlockKind::CodeBlock {
                language: Some("rust".to_string()),
                text: "fn x() {}".to_string(),
            }),
            Block::from(BlockKind::CodeBlock {
                language: None,
                text: "indented".to_string(),
            }),
        ]
    );
}

#[test]
fn table_alignments_header_and_padded_rows() {
    assert_eq!(
        blocks("| A | *B* | C | D |\n|---|:--|:-:|--:|\n| 1 | 2 | 3 | 4 |\n| 5 |\n"),
        vec![Block::from(BlockKind::Table(Table {
            alignments: vec![
                Alignment::None,
                Alignment::Left,
                Alignment::Center,
                Alignment::Right
            ],
            header: vec![
                vec![t("A")],
                vec![Inline::from(InlineKind::Emphasis(vec![t("B")]))],
                vec![t("C")],
                vec![t("D")],
            ],
            rows: vec![
                vec![vec![t("1")], vec![t("2")], vec![t("3")], vec![t("4")]],
                vec![vec![t("5")], vec![], vec![], vec![]],
            ],
        }))]
    );
}

#[test]
fn thematic_break_is_a_rule() {
    assert_eq!(
        blocks("a\n\n***\n\nb"),
        vec![text_para("a"), Block::from(BlockKind::Rule), text_para("b")]
    );
}
