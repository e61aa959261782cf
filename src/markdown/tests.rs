//! Unit tests for the Markdown conversion, each on a tiny input.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::lines::LineIndex;
use super::smart::smarten;
use super::{Parsed, parse};
use crate::diag::{Diagnostic, line_col};
use crate::model::{
    Alignment, Block, BlockKind, Figure, Image, ImageFormat, Inline, InlineKind, List, Span, Table,
    without_spans,
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
        &mut |src, _, _| {
            if src == "ok.png" {
                Ok(image(src))
            } else {
                Err(Diagnostic::error(format!("no such image `{src}`")))
            }
        },
    );
    let errs = result.expect_err("errors");
    let summary: Vec<_> = errs
        .iter()
        .map(|d| (d.message.as_str(), line_and_column(d)))
        .collect();
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
    let summary: Vec<_> = errs
        .iter()
        .map(|d| (d.message.as_str(), line_and_column(d)))
        .collect();
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

// --- Positions, captions, robustness ------------------------------------------

#[test]
fn line_index_agrees_with_diag_line_col() {
    let body = "ab\nçd é\n\n  x\r\ny";
    let mut index = LineIndex::new(body);
    // Forwards, backwards and jumping about: the cached position must never leak.
    let forwards = 0..=body.len() + 2;
    let backwards = (0..=body.len()).rev();
    let jumps = [9, 3, 4, 0, 12, 5, 13, 2];
    for offset in forwards.chain(backwards).chain(jumps) {
        assert_eq!(
            index.locate(body, offset),
            line_col(body, offset),
            "offset {offset}"
        );
    }
}

#[test]
fn smarten_sets_dashes_quotes_and_ellipses() {
    assert_eq!(smarten("a - b -- c --- d"), "a - b – c — d");
    assert_eq!(smarten("----"), "––");
    assert_eq!(smarten("-----"), "—–");
    assert_eq!(smarten("------"), "——");
    assert_eq!(
        smarten("\"Hi,\" she said; 'it's (\"so\") late'"),
        "“Hi,” she said; ‘it’s (“so”) late’"
    );
    assert_eq!(smarten("wait...."), "wait….");
    assert_eq!(smarten("  two\n lines  "), "two lines");
    assert_eq!(smarten("non\u{a0}breaking"), "non\u{a0}breaking");
}

/// Nesting depth of the model, counting every container level.
fn depth(blocks: &[Block]) -> usize {
    fn inline_depth(inlines: &[Inline]) -> usize {
        inlines
            .iter()
            .map(|i| match &i.kind {
                InlineKind::Emphasis(c)
                | InlineKind::Strong(c)
                | InlineKind::Strikethrough(c)
                | InlineKind::Link { content: c, .. } => 1 + inline_depth(c),
                _ => 0,
            })
            .max()
            .unwrap_or(0)
    }
    blocks
        .iter()
        .map(|b| match &b.kind {
            BlockKind::Paragraph(i)
            | BlockKind::PullQuote(i)
            | BlockKind::Heading { content: i, .. } => inline_depth(i),
            BlockKind::Quote(inner) => 1 + depth(inner),
            BlockKind::List(list) => 1 + list.items.iter().map(|i| depth(i)).max().unwrap_or(0),
            _ => 0,
        })
        .max()
        .unwrap_or(0)
}

#[test]
fn pathological_nesting_is_capped_and_loses_no_text() {
    let quotes = format!("{} deep", ">".repeat(5000));
    let parsed = ok(&quotes);
    assert!(
        depth(&parsed.blocks) <= 40,
        "depth {}",
        depth(&parsed.blocks)
    );
    assert!(format!("{:?}", parsed.blocks).contains("deep"));

    let mut list = String::new();
    for level in 0..300 {
        list.push_str(&"  ".repeat(level));
        list.push_str("- item\n");
    }
    let parsed = ok(&list);
    assert!(depth(&parsed.blocks) <= 40);
    let dump = format!("{:?}", parsed.blocks);
    assert_eq!(dump.matches("Text(\"item\")").count(), 300, "{dump}");

    let emphasis = format!("{}x{}", "*".repeat(4000), "*".repeat(4000));
    let parsed = ok(&emphasis);
    assert!(depth(&parsed.blocks) <= 40);
}

/// Every span of `blocks` and of their inlines.
fn collect_spans(blocks: &[Block], out: &mut Vec<Span>) {
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

/// Random Markdown: never a panic; diagnostics with a place, or a model whose every
/// node spans some of the input.
#[test]
fn arbitrary_input_never_panics() {
    const PIECES: &[&str] = &[
        "*",
        "_",
        "~",
        "`",
        "[",
        "]",
        "(",
        ")",
        "!",
        "^",
        "\\",
        "<",
        ">",
        "#",
        "-",
        "+",
        "|",
        ":",
        "\"",
        "'",
        ".",
        " ",
        "  ",
        "\n",
        "\n\n",
        "    ",
        "a",
        "word",
        "1.",
        "&amp;",
        "&",
        "[^x]",
        "[^x]:",
        "![",
        "](p.png",
        " \"t\"",
        "{#i}",
        "```",
        "\u{ad}",
        "é",
        "\t",
        "\r\n",
        "<b>",
        "</b>",
        "<!--",
        "-->",
        "[!PULLQUOTE]",
        "---",
        "***",
        "=",
    ];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..3000 {
        let len = (next() % 60) as usize;
        let input: String = (0..len)
            .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
            .collect();
        let mut calls = 0;
        let result = parse(&input, 0, Path::new("f.md"), &mut |src, line, column| {
            calls += 1;
            assert!(line >= 1 && column >= 1);
            if calls % 2 == 0 {
                Ok(image(src))
            } else {
                Err(Diagnostic::error("refused"))
            }
        });
        match result {
            Ok(parsed) => {
                let mut spans = Vec::new();
                collect_spans(&parsed.blocks, &mut spans);
                for note in &parsed.footnotes {
                    collect_spans(&note.blocks, &mut spans);
                }
                for span in spans {
                    let written = input.get(span.range());
                    assert!(
                        written.is_some_and(|w| !w.is_empty()),
                        "{span:?} in {input:?}: {parsed:#?}"
                    );
                }
            }
            Err(diagnostics) => {
                assert!(!diagnostics.is_empty());
                for d in diagnostics {
                    assert!(d.file.is_some(), "{d:?} for {input:?}");
                    assert!(d.span.is_some(), "{d:?} for {input:?}");
                }
            }
        }
    }
}

/// A 36,000-word article (the size of a whole edition): every note numbered, every
/// figure kept, and far below the time a quadratic step would take even in a debug build.
#[test]
fn long_article_converts_in_linear_time() {
    let mut body = String::new();
    let mut words = 0;
    let mut parts = 0;
    while words < 36_000 {
        parts += 1;
        body.push_str(&format!("## Part {parts} {{#p{parts}}}\n\n"));
        for _ in 0..4 {
            body.push_str(
                "The \"quick\" brown fox -- it's said... jumps *over* the **lazy** dog's \
                 back, extra\u{ad}ordinarily [fast](https://example.org) and `code`.\n\
                 A second line of text with more words in it to set in type.\n\n",
            );
            words += 40;
        }
        body.push_str(&format!(
            "A note here[^n{parts}].\n\n[^n{parts}]: Note {parts}.\n\n\
             > [!PULLQUOTE]\n> A pulled line.\n\n![Alt {parts}](i.png \"Cap {parts}\")\n\n- a\n- b\n\n"
        ));
        words += 20;
    }
    let parsed = ok(&body);
    assert_eq!(parsed.footnotes.len(), parts);
    assert!(
        parsed
            .footnotes
            .iter()
            .enumerate()
            .all(|(i, f)| f.number as usize == i + 1)
    );
    let figures = parsed
        .blocks
        .iter()
        .filter(|b| matches!(b.kind, BlockKind::Figure(_)))
        .count();
    assert_eq!(figures, parts);
}

// --- Spans -------------------------------------------------------------------

/// A file with front matter and non-ASCII text before every node looked at.
const SPANNED: &str = "---\ntitle: Ça — été\n---\n\n## Über *uns*\n\n\
    À propos: *très* bien, [le lien](https://e.org) ici[^n].\n\n\
    | Größe | Maß |\n|---|---|\n| groß | *klein* |\n\n\
    [^n]: Fußnote, ganz unten.\n";

fn spanned() -> Parsed {
    let body_start = SPANNED.find("\n---\n").unwrap() + 5;
    parse(SPANNED, body_start, Path::new("a.md"), &mut |src, _, _| {
        Ok(image(src))
    })
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
