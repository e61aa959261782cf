//! Positions, smart punctuation, pathological nesting and arbitrary input: the
//! conversion never panics and stays linear.

use super::spans::collect_spans;
use super::*;

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

/// The one error of `md`: nesting too deep, at `(line, column)`.
fn too_deep_at(md: &str, line: usize, column: usize) {
    let errs = errors(md, 1);
    assert_eq!(errs.len(), 1, "reported once: {errs:#?}");
    assert!(
        errs[0].message.contains("nest more than 32 deep"),
        "{}",
        errs[0].message
    );
    assert_eq!(line_and_column(&errs[0]), (line, column));
}

#[test]
fn nesting_up_to_the_limit_is_kept() {
    let quotes = format!("{} deep", ">".repeat(32));
    let parsed = ok(&quotes);
    assert_eq!(depth(&parsed.blocks), 32);
    assert!(format!("{:?}", parsed.blocks).contains("deep"));
}

#[test]
fn pathological_nesting_is_an_error_at_its_place_in_linear_time() {
    let start = std::time::Instant::now();
    // 10,000 quotes on line 3: the 33rd `>` is the first too many.
    too_deep_at(&format!("Text.\n\n{} deep", ">".repeat(10_000)), 3, 33);

    let mut list = String::from("Intro.\n\n");
    for level in 0..2_000 {
        list.push_str(&"  ".repeat(level));
        list.push_str("- item\n");
    }
    // The 33rd item opens the 33rd list: line 35, after 64 spaces.
    too_deep_at(&list, 35, 65);

    // Pairs of `*` are strong emphasis: the 33rd opens at column 65.
    too_deep_at(
        &format!("{}x{}", "*".repeat(10_000), "*".repeat(10_000)),
        1,
        65,
    );
    // Links cannot hold links: 10,000 brackets are one link and text, no error.
    ok(&format!(
        "{}x{}",
        "[".repeat(10_000),
        "](https://a.example)".repeat(10_000)
    ));
    assert!(
        start.elapsed() < std::time::Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
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
        let result = parse(
            &input,
            0,
            Path::new("f.md"),
            8_192,
            &mut |src, line, column| {
                calls += 1;
                assert!(line >= 1 && column >= 1);
                if calls % 2 == 0 {
                    Ok(image(src))
                } else {
                    Err(Diagnostic::error("refused"))
                }
            },
        );
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
