//! Tests of the text stage on the embedded fonts.

use super::finalize::protrusion;
use super::*;
use crate::layout::font::FontBook;
use crate::layout::hyphenate::SOFT_HYPHEN;
use crate::model::{Inline, InlineKind, Span};

fn style() -> Style {
    crate::edition::builtin_style("magazine").expect("built-in style")
}

fn book(style: &Style) -> FontBook {
    FontBook::load(style, &[]).expect("fonts load")
}

fn en() -> Language {
    Language("en-GB".into())
}

fn text(t: &str) -> Vec<Inline> {
    vec![Inline::from(InlineKind::Text(t.to_string()))]
}

/// What text extraction would give for a line: its runs' texts in order.
fn line_text(line: &Line) -> String {
    line.runs.iter().map(|r| r.text.as_str()).collect()
}

/// Whether a line ends with an inserted hyphen (its last glyph stands for a soft hyphen).
fn hyphenated(line: &Line) -> bool {
    line_text(line).ends_with(SOFT_HYPHEN)
}

/// The lines joined back into running text: a line ending in a soft hyphen joins the
/// next without it; one ending in a hyphen or dash joins without a space.
fn joined(lines: &[Line]) -> String {
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        let t = line_text(line);
        if let Some(stem) = t.strip_suffix(SOFT_HYPHEN) {
            out.push_str(stem);
        } else {
            out.push_str(&t);
            let explicit = t.ends_with(['-', '\u{2013}', '\u{2014}', '/']);
            if i + 1 < lines.len() && !explicit {
                out.push(' ');
            }
        }
    }
    out
}

/// Right edge of the glyphs of a line.
fn extent(line: &Line) -> (f32, f32) {
    let start = line.runs.first().map_or(0.0, |r| r.x);
    let end = line.runs.last().map_or(0.0, |r| {
        r.x + r.glyphs.iter().map(|g| g.x_advance).sum::<f32>()
    });
    (start, end)
}

const PROSE: &str = "The harbour authority published its annual accounts on a grey \
    Thursday, and the document ran to four hundred pages of tables, footnotes and \
    carefully hedged commentary. Nobody expected the figures to be dramatic; the \
    surprise was how quietly extraordinary they turned out to be. Shipping volumes \
    had fallen for the third consecutive year, while maintenance spending on the \
    northern breakwater had nearly doubled. Councillors who had campaigned on \
    modernisation found themselves defending an institution whose responsibilities \
    were multiplying faster than its revenues. Meanwhile the fishermen's cooperative \
    quietly reorganised its membership rules, admitting seasonal workers for the \
    first time since its foundation.";

#[test]
fn words_come_back_in_order() {
    let style = style();
    let book = book(&style);
    let mut ctx = TextContext::new(&book, &style);
    let lines = ctx.set(
        &Request::new(&text(PROSE), Role::Body, &en(), 150.0)
            .align(Align::Justify)
            .indent(9.5),
    );
    assert!(lines.len() > 8, "{} lines", lines.len());
    let expected = PROSE.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(joined(&lines), expected);
    assert!(ctx.warnings.is_empty(), "{:?}", ctx.warnings);
}

#[test]
fn justified_lines_fill_the_measure_and_none_overflows() {
    let style = style();
    let book = book(&style);
    let mut ctx = TextContext::new(&book, &style);
    let width = 150.0;
    let indent = 9.5;
    let lines = ctx.set(
        &Request::new(&text(PROSE), Role::Body, &en(), width)
            .align(Align::Justify)
            .indent(indent),
    );
    let n = lines.len();
    for (i, line) in lines.iter().enumerate() {
        let first_x = if i == 0 { indent } else { 0.0 };
        let (start, end) = extent(line);
        assert!((start - first_x).abs() < 1e-3, "line {i} starts at {start}");
        if i + 1 < n {
            assert!(
                (line.width - (width - first_x)).abs() < 0.01,
                "line {i}: width {} in {}",
                line.width,
                width - first_x
            );
        } else {
            assert!(line.width < width - first_x);
        }
        // Only hanging punctuation may pass the measure, by less than a glyph.
        let hang = end - width;
        assert!(
            hang < 0.01 || (hang < 0.7 * 9.5),
            "line {i} overflows by {hang}"
        );
        if hang > 0.01 {
            let last = line_text(line).chars().next_back().unwrap_or(' ');
            assert!(
                protrusion(last) > 0.0 || last == SOFT_HYPHEN,
                "{last:?} hangs"
            );
        }
        assert!(line.ascent > 5.0 && line.descent > 1.0);
    }
}

#[test]
fn hyphenated_lines_end_with_a_soft_hyphen_glyph() {
    let style = style();
    let book = book(&style);
    let mut ctx = TextContext::new(&book, &style);
    // A narrow column forces hyphenation.
    let lines =
        ctx.set(&Request::new(&text(PROSE), Role::Body, &en(), 110.0).align(Align::Justify));
    assert!(lines.iter().any(hyphenated));
    for line in &lines {
        if hyphenated(line) {
            let run = line.runs.last().expect("a run");
            let g = run.glyphs.last().expect("a glyph");
            assert_eq!(&run.text[g.text_range()], "\u{AD}");
            assert!(g.id != 0 && g.x_advance > 1.0);
        }
    }
    // The breaker's limit of consecutive hyphenated lines holds.
    let max = style.hyphenation.max_consecutive;
    let mut run = 0;
    for line in &lines {
        run = if hyphenated(line) { run + 1 } else { 0 };
        assert!(run <= max);
    }
}

#[test]
fn ligatures_map_back_to_their_characters() {
    let style = style();
    let book = book(&style);
    let mut ctx = TextContext::new(&book, &style);
    let lines = ctx.set(&Request::new(&text("an office"), Role::Body, &en(), 300.0));
    assert_eq!(lines.len(), 1);
    let run = &lines[0].runs[0];
    assert_eq!(run.text, "an office");
    let covered: Vec<&str> = run
        .glyphs
        .iter()
        .map(|g| &run.text[g.text_range()])
        .collect();
    assert!(covered.contains(&"ffi"), "{covered:?}");
    assert_eq!(covered.concat(), "an office");
}

#[test]
fn emphasis_and_strong_change_the_font() {
    let style = style();
    let book = book(&style);
    let mut ctx = TextContext::new(&book, &style);
    let inlines = vec![
        Inline::from(InlineKind::Text("plain ".into())),
        Inline::from(InlineKind::Emphasis(vec![Inline::from(InlineKind::Text(
            "slanted".into(),
        ))])),
        Inline::from(InlineKind::Text(" and ".into())),
        Inline::from(InlineKind::Strong(vec![Inline::from(InlineKind::Text(
            "heavy".into(),
        ))])),
    ];
    let lines = ctx.set(&Request::new(&inlines, Role::Body, &en(), 300.0));
    let runs = &lines[0].runs;
    let font_of = |word: &str| {
        runs.iter()
            .find(|r| r.text.contains(word))
            .map(|r| r.font)
            .expect("word set")
    };
    let plain = font_of("plain");
    let italic = font_of("slanted");
    let bold = font_of("heavy");
    assert_ne!(plain, italic);
    assert_ne!(plain, bold);
    assert_ne!(italic, bold);
    let face = |id: FontId| {
        let f = book.get(id);
        rustybuzz::ttf_parser::Face::parse(f.bytes(), f.index).expect("parses")
    };
    assert!(face(italic).is_italic());
    assert_eq!(face(bold).weight().to_number(), 700);
    assert_eq!(joined(&lines), "plain slanted and heavy");
}

#[test]
fn links_report_their_areas() {
    let style = style();
    let book = book(&style);
    let mut ctx = TextContext::new(&book, &style);
    let inlines = vec![
        Inline::from(InlineKind::Text("see ".into())),
        Inline::from(InlineKind::Link {
            url: "https://example.org".into(),
            content: vec![Inline::from(InlineKind::Text("the report".into()))],
        }),
        Inline::from(InlineKind::Text(" now".into())),
    ];
    let lines = ctx.set(&Request::new(&inlines, Role::Body, &en(), 300.0));
    let links = &lines[0].links;
    assert_eq!(links.len(), 1);
    let link = &links[0];
    assert_eq!(link.url, "https://example.org");
    // It starts after "see " and is as wide as "the report".
    let runs = &lines[0].runs;
    let mut x = runs[0].x;
    let mut start = None;
    let mut end = 0.0;
    for r in runs {
        for g in &r.glyphs {
            let t = &r.text[g.text_range()];
            let before = r.text[..g.text_range().start].to_string();
            if start.is_none() && t == "t" && before.ends_with("see ") {
                start = Some(x);
            }
            x += g.x_advance;
            if t == "t" && before.ends_with("repor") {
                end = x;
            }
        }
    }
    let start = start.expect("link start found");
    assert!((link.x - start).abs() < 1e-3, "{} vs {start}", link.x);
    assert!((link.x + link.width - end).abs() < 1e-3);
}

/// `text` as the parser would give it: written at the first occurrence of `written` in
/// `source` (the test's source is written for this).
fn written_at(text: &str, source: &str, written: &str) -> Inline {
    let start = source.find(written).expect("written in the source");
    Inline::text(text, Span::new(start, start + written.len()))
}

#[test]
fn a_missing_glyph_warns_with_the_file_and_code_point() {
    let style = style();
    let book = book(&style);
    let mut ctx = TextContext::new(&book, &style);
    let md = "---\ntitle: Signs\n---\n\nA sign \u{13000} here.\n";
    ctx.set_source(Some((PathBuf::from("/e/articles/egypt.md"), Arc::from(md))));
    let lines = ctx.set(&Request::new(
        &[written_at(
            "A sign \u{13000} here",
            md,
            "A sign \u{13000} here",
        )],
        Role::Body,
        &en(),
        300.0,
    ));
    assert_eq!(ctx.warnings.len(), 1, "{:?}", ctx.warnings);
    let w = &ctx.warnings[0];
    assert!(!w.is_error());
    assert!(w.message.contains("U+13000"), "{}", w.message);
    assert_eq!(
        w.file.as_deref(),
        Some(std::path::Path::new("/e/articles/egypt.md"))
    );
    let span = w.span.as_ref().expect("a line");
    assert_eq!((span.line, span.column, span.len), (5, 8, 1));
    // No .notdef glyph is drawn, and the text still maps back.
    assert!(
        lines[0]
            .runs
            .iter()
            .all(|r| r.glyphs.iter().all(|g| g.id != 0))
    );
    assert_eq!(joined(&lines), "A sign \u{13000} here");
    // Once per file and character.
    ctx.set(&Request::new(&text("\u{13000}"), Role::Body, &en(), 300.0));
    assert_eq!(ctx.warnings.len(), 1);
}

#[test]
fn a_missing_glyph_points_at_where_its_text_is_written() {
    let style = style();
    let book = book(&style);
    let mut ctx = TextContext::new(&book, &style);
    // The sign is also written in a link's URL (never set) before the paragraph, and the
    // paragraph's text differs from its source: typographic quotes, a soft break.
    let md = "---\ntitle: Signs\n---\n\n[A](https://e.org/\u{13000}) ok.\n\n\
              \"Ça\" -- l\u{e0}\nle \u{13000} ici.\n";
    ctx.set_source(Some((PathBuf::from("/e/a.md"), Arc::from(md))));
    let para = written_at(
        "“Ça” – là le \u{13000} ici.",
        md,
        "\"Ça\" -- l\u{e0}\nle \u{13000} ici.",
    );
    ctx.set(&Request::new(&[para], Role::Body, &en(), 300.0));
    let span = ctx.warnings[0].span.expect("a place");
    assert_eq!((span.line, span.column), (8, 4));
}

#[test]
fn a_missing_glyph_moves_to_the_earliest_place_set() {
    let style = style();
    let book = book(&style);
    let mut ctx = TextContext::new(&book, &style);
    let md = "---\ntitle: Signs\n---\n\nFirst \u{13000}.\n\nSecond \u{13000}.\n";
    ctx.set_source(Some((PathBuf::from("/e/a.md"), Arc::from(md))));
    let set = |ctx: &mut TextContext<'_>, inline: Inline| {
        ctx.set(&Request::new(&[inline], Role::Body, &en(), 300.0));
        let w = &ctx.warnings[0];
        w.span.map(|s| (s.line, s.column))
    };
    // Made-up text points nowhere.
    let made_up = Inline::text("\u{13000}", Span::default());
    assert_eq!(set(&mut ctx, made_up), None);
    let second = written_at("Second \u{13000}.", md, "Second \u{13000}.");
    assert_eq!(set(&mut ctx, second), Some((7, 8)));
    let first = written_at("First \u{13000}.", md, "First \u{13000}.");
    assert_eq!(set(&mut ctx, first.clone()), Some((5, 7)));
    let second = written_at("Second \u{13000}.", md, "Second \u{13000}.");
    assert_eq!(set(&mut ctx, second), Some((5, 7)));
    assert_eq!(ctx.warnings.len(), 1, "once per file and character");
}

#[test]
fn footnote_numbers_are_superscript() {
    let style = style();
    let book = book(&style);
    let mut ctx = TextContext::new(&book, &style);
    let plain = ctx.set(&Request::new(&text("word1"), Role::Body, &en(), 300.0));
    let noted = ctx.set(&Request::new(
        &[
            Inline::from(InlineKind::Text("word".into())),
            Inline::from(InlineKind::FootnoteRef(1)),
        ],
        Role::Body,
        &en(),
        300.0,
    ));
    assert_eq!(joined(&noted), "word1");
    let last = |lines: &[Line]| {
        let r = lines[0].runs.last().expect("a run").clone();
        let g = r.glyphs.last().expect("a glyph").clone();
        (r.size, g)
    };
    let (size_a, a) = last(&plain);
    let (size_b, b) = last(&noted);
    // A superior figure (`sups`) or a smaller, raised digit.
    assert!(a.id != b.id || size_b < size_a);
    assert!(b.x_advance < a.x_advance);
}

#[test]
fn kickers_use_small_capitals_in_the_accent_colour() {
    let style = style();
    let book = book(&style);
    let mut ctx = TextContext::new(&book, &style);
    let kicker = ctx.set(&Request::new(&text("Harbour"), Role::Kicker, &en(), 300.0));
    let body = ctx.set(&Request::new(&text("Harbour"), Role::Body, &en(), 300.0));
    let ids = |l: &[Line]| l[0].runs[0].glyphs.iter().map(|g| g.id).collect::<Vec<_>>();
    assert_ne!(ids(&kicker), ids(&body));
    assert_eq!(kicker[0].runs[0].colour, style.colours.accent);
    assert_eq!(line_text(&kicker[0]), "Harbour");
}

#[test]
fn ragged_lines_keep_natural_spaces_and_titles_are_not_hyphenated() {
    let style = style();
    let book = book(&style);
    let mut ctx = TextContext::new(&book, &style);
    let lines = ctx.set(&Request::new(&text(PROSE), Role::Caption, &en(), 140.0));
    let mut spaces = Vec::new();
    for line in &lines {
        for r in &line.runs {
            for g in &r.glyphs {
                if &r.text[g.text_range()] == " " {
                    spaces.push(g.x_advance);
                }
            }
        }
        assert!(line.width <= 140.0 + 1e-3);
    }
    let first = spaces[0];
    assert!(spaces.iter().all(|s| (s - first).abs() < 1e-4));
    assert_eq!(
        joined(&lines),
        PROSE.split_whitespace().collect::<Vec<_>>().join(" ")
    );

    let title = "Extraordinary responsibilities multiplying";
    let lines = ctx.set(&Request::new(&text(title), Role::Title, &en(), 200.0));
    assert!(lines.len() >= 2);
    assert!(!lines.iter().any(hyphenated));
    let right =
        ctx.set(&Request::new(&text("Ann Writer"), Role::Byline, &en(), 200.0).align(Align::Right));
    let (_, end) = extent(&right[0]);
    assert!((end - 200.0).abs() < 1e-3);
}

#[test]
fn a_word_wider_than_the_column_is_broken() {
    let style = style();
    let book = book(&style);
    let mut ctx = TextContext::new(&book, &style);
    let url = "https://example.org/a/very/long/path/to/some/document/index.html";
    let lines = ctx.set(&Request::new(&text(url), Role::Body, &en(), 60.0).align(Align::Justify));
    assert!(lines.len() > 1);
    assert_eq!(joined(&lines).replace(' ', ""), url);
    for line in &lines {
        assert!(line.width <= 60.0 + 0.5, "{}", line.width);
        assert!(!hyphenated(line));
    }
}

#[test]
fn a_capitalised_word_wider_than_the_column_is_still_broken() {
    let style = style();
    assert!(!style.hyphenation.capitalised);
    let book = book(&style);
    let mut ctx = TextContext::new(&book, &style);
    let name = "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch";
    let lines = ctx.set(&Request::new(&text(name), Role::Body, &en(), 60.0).align(Align::Justify));
    assert!(lines.len() > 1);
    for line in &lines {
        assert!(line.width <= 60.0 + 0.5, "{}", line.width);
    }
    // Too wide for its column, a name breaks at a pattern point rather than between any
    // two letters (which gives "Gre-enhaven", "Admi-nistration").
    for (word, width, want) in [
        ("Greenhaven", 35.0, ["Green\u{ad}", "haven"]),
        ("Administration", 40.0, ["Admin\u{ad}", "istration"]),
    ] {
        let lines = ctx.set(&Request::new(&text(word), Role::Body, &en(), width));
        let shown: Vec<String> = lines.iter().map(line_text).collect();
        assert_eq!(shown, want);
    }
    // In a normal column such words are not hyphenated; the lower-case ones may be.
    let prose = "Northfield and Westworth argued with Coldbridge about Kirkstead and Dunmouth \
                 while Kowalski, Underwood and Abernethy listened in Millmouth";
    let lines =
        ctx.set(&Request::new(&text(prose), Role::Body, &en(), 120.0).align(Align::Justify));
    let shown: Vec<String> = lines.iter().map(line_text).collect();
    assert!(lines.len() > 3);
    for (line, text) in lines.iter().zip(&shown) {
        let last = text.split(' ').next_back().unwrap_or("");
        assert!(
            !hyphenated(line) || last.starts_with(char::is_lowercase),
            "{shown:?}"
        );
    }
}

#[test]
fn words_never_break_inside_a_ligature() {
    // "official" hyphenates of-fi-cial, but "ffi" is one glyph: breaking after "of"
    // would set "ficial" wider than its share of the word, and the line overflowed.
    let style = style();
    let book = book(&style);
    let mut ctx = TextContext::new(&book, &style);
    let words = "official offices affirm efficient officials ".repeat(12);
    for width in [60.0, 75.0, 90.0, 110.0] {
        let lines =
            ctx.set(&Request::new(&text(&words), Role::Body, &en(), width).align(Align::Justify));
        for (i, line) in lines.iter().enumerate() {
            let t = line_text(line);
            assert!(
                !t.ends_with("of\u{AD}") && !t.ends_with("ef\u{AD}"),
                "{t:?}"
            );
            let (_, end) = extent(line);
            assert!(
                end - width < 0.7 * 9.5 * 0.5,
                "line {i} {t:?} ends at {end}"
            );
            if !t.ends_with('\u{AD}') {
                assert!(end - width < 0.01, "line {i} {t:?} overflows to {end}");
            }
        }
    }
}

#[test]
fn line_breaks_are_forced_and_soft_hyphens_respected() {
    let style = style();
    let book = book(&style);
    let mut ctx = TextContext::new(&book, &style);
    let inlines = vec![
        Inline::from(InlineKind::Text("first line".into())),
        Inline::from(InlineKind::LineBreak),
        Inline::from(InlineKind::Text("second".into())),
    ];
    let lines = ctx.set(&Request::new(&inlines, Role::Body, &en(), 300.0).align(Align::Justify));
    assert_eq!(lines.len(), 2);
    assert_eq!(line_text(&lines[0]), "first line");
    assert_eq!(line_text(&lines[1]), "second");

    // A soft hyphen: no hyphen shown unless the line breaks there, and it is the
    // only place the word may break.
    let word = "supercali\u{AD}fragilistic";
    let lines = ctx.set(&Request::new(&text(word), Role::Body, &en(), 300.0));
    assert_eq!(line_text(&lines[0]), "supercalifragilistic");
    let narrow = ctx.set(
        &Request::new(
            &text(&format!("and then in {word} words and more")),
            Role::Body,
            &en(),
            90.0,
        )
        .align(Align::Justify),
    );
    let texts: Vec<String> = narrow.iter().map(line_text).collect();
    assert_eq!(texts[0], "and then in supercali\u{AD}");
    assert!(texts[1].starts_with("fragilistic "), "{texts:?}");
}

#[test]
fn hanging_indent_lines_start_beside_the_drop_cap() {
    let style = style();
    let book = book(&style);
    let mut ctx = TextContext::new(&book, &style);
    let lines = ctx.set(
        &Request::new(&text(PROSE), Role::Body, &en(), 150.0)
            .align(Align::Justify)
            .hang(2, 20.0),
    );
    for (i, line) in lines.iter().enumerate().take(4) {
        let (start, _) = extent(line);
        let want = if i < 2 { 20.0 } else { 0.0 };
        assert!((start - want).abs() < 1e-3, "line {i} at {start}");
        let measure = if i < 2 { 130.0 } else { 150.0 };
        assert!(
            (line.width - measure).abs() < 0.01,
            "line {i}: {}",
            line.width
        );
    }
}

#[test]
fn code_keeps_its_indentation_in_a_monospaced_face() {
    let style = style();
    let book = book(&style);
    let mut ctx = TextContext::new(&book, &style);
    let lines = ctx.set(&Request::new(
        &text("    let x = 1;"),
        Role::Code,
        &en(),
        300.0,
    ));
    let (start, _) = extent(&lines[0]);
    assert!(start > 10.0, "{start}");
    let f = book.get(lines[0].runs[0].font);
    assert!(f.is_monospaced(), "{}", f.family);
    assert_eq!(line_text(&lines[0]), "let x = 1;");
}

#[test]
fn setting_is_deterministic() {
    let style = style();
    let book = book(&style);
    let a = TextContext::new(&book, &style).set(
        &Request::new(&text(PROSE), Role::Body, &en(), 150.0)
            .align(Align::Justify)
            .indent(9.5),
    );
    let b = TextContext::new(&book, &style).set(
        &Request::new(&text(PROSE), Role::Body, &en(), 150.0)
            .align(Align::Justify)
            .indent(9.5),
    );
    assert_eq!(format!("{a:?}"), format!("{b:?}"));
}

/// The glyph ids of `word` shaped in the first line's face with `features` only.
fn glyph_ids(ctx: &mut TextContext<'_>, font: FontId, features: &[&str], word: &str) -> Vec<u16> {
    let features: Vec<String> = features.iter().map(|f| f.to_string()).collect();
    let spec = ctx.shaper.spec(&[font], &features, "en");
    ctx.shaper
        .shape(spec, word)
        .glyphs
        .iter()
        .map(|g| g.id)
        .collect()
}

#[test]
fn an_opening_run_in_in_capitals_is_set_with_c2sc_and_reads_as_written() {
    let style = style();
    let book = book(&style);
    let mut ctx = TextContext::new(&book, &style);
    let paragraph = text("AUTHORITIES IN Kazakhstan have said little.");
    let lines = ctx.set(&Request::new(&paragraph, Role::Body, &en(), 300.0).run_in(14));
    let first = &lines[0];
    // The text stays as written, so copying the line gives the capitals.
    assert_eq!(
        line_text(first),
        "AUTHORITIES IN Kazakhstan have said little."
    );
    let font = first.runs[0].font;
    assert!(ctx.shaper.has_feature(font, "c2sc"), "Libertinus has c2sc");
    let small = glyph_ids(&mut ctx, font, &["c2sc"], "AUTHORITIES");
    let capitals = glyph_ids(&mut ctx, font, &[], "AUTHORITIES");
    assert_ne!(small, capitals, "c2sc changes the glyphs");
    // The run-in's glyphs are the small capitals; the word after it is set as usual.
    let ids: Vec<u16> = first
        .runs
        .iter()
        .flat_map(|r| &r.glyphs)
        .map(|g| g.id)
        .collect();
    assert_eq!(ids[..small.len()], small[..]);
    let run = first
        .runs
        .iter()
        .find(|r| r.text.contains("Kazakhstan"))
        .unwrap();
    let plain = glyph_ids(&mut ctx, font, &[], "Kazakhstan");
    let at = run.text.find("Kazakhstan").unwrap();
    let k: Vec<u16> = run
        .glyphs
        .iter()
        .skip(run.text[..at].chars().count())
        .take(plain.len())
        .map(|g| g.id)
        .collect();
    assert_eq!(
        k, plain,
        "the text after the run-in is not in small capitals"
    );

    // Without a run-in, the same capitals are capitals.
    let lines = ctx.set(&Request::new(&paragraph, Role::Body, &en(), 300.0));
    let ids: Vec<u16> = lines[0]
        .runs
        .iter()
        .flat_map(|r| &r.glyphs)
        .map(|g| g.id)
        .collect();
    assert_eq!(ids[..capitals.len()], capitals[..]);
}

#[test]
fn a_paragraph_never_ends_on_a_short_word_fragment() {
    let style = style();
    let book = book(&style);
    let mut ctx = TextContext::new(&book, &style);
    let para = "The harbour board met again on Tuesday and agreed, after a long evening of \
                argument, to hand the old warehouse to the responsibility.";
    let mut split = 0;
    for width in (60..=200).map(|w| w as f32) {
        let lines =
            ctx.set(&Request::new(&text(para), Role::Body, &en(), width).align(Align::Justify));
        let n = lines.len();
        if n < 2 || !hyphenated(&lines[n - 2]) {
            continue;
        }
        let last = line_text(&lines[n - 1]);
        if !last.contains(' ') {
            split += 1;
            let letters = last.chars().filter(|c| c.is_alphabetic()).count();
            assert!(letters >= 5, "width {width}: last line `{last}`");
        }
    }
    // The last word still breaks where five letters or more go to the last line.
    assert!(split > 0);
}

#[test]
fn a_higher_hyphen_penalty_hyphenates_fewer_lines() {
    let count = |penalty: f32| {
        let mut style = style();
        style.hyphenation.penalty = penalty;
        let book = book(&style);
        let mut ctx = TextContext::new(&book, &style);
        let (inlines, language) = (text(PROSE), en());
        let request = Request::new(&inlines, Role::Body, &language, 130.0).align(Align::Justify);
        ctx.set(&request).iter().filter(|l| hyphenated(l)).count()
    };
    let (cheap, dear) = (count(0.0), count(1_000.0));
    assert!(dear < cheap, "penalty 0: {cheap} hyphens, 1000: {dear}");
}

#[test]
fn german_nouns_are_hyphenated_although_capitalised() {
    let style = style();
    assert!(!style.hyphenation.capitalised);
    let book = book(&style);
    let mut ctx = TextContext::new(&book, &style);
    let de = Language("de".into());
    let para = "Die Stadtverwaltung veröffentlichte gestern ihre Ergebnisse über \
                Niederschläge, Grundwasser und Versickerung in allen Bezirken der \
                Hauptstadt, und die Bürgerinnen lasen die Tabellen aufmerksam.";
    // Across several measures, some line ends inside a capitalised noun that is
    // narrower than the column (so no emergency rule is involved).
    let mut split_nouns = 0;
    for width in (120..=200).step_by(8).map(|w| w as f32) {
        let lines =
            ctx.set(&Request::new(&text(para), Role::Body, &de, width).align(Align::Justify));
        split_nouns += lines
            .iter()
            .filter(|l| {
                hyphenated(l)
                    && line_text(l)
                        .split_whitespace()
                        .last()
                        .is_some_and(|w| w.starts_with(char::is_uppercase))
            })
            .count();
    }
    assert!(split_nouns > 0, "no German noun was hyphenated");
}

#[test]
fn word_breaks_never_keeps_every_word_whole_at_any_measure() {
    let style = style();
    let book = book(&style);
    let mut ctx = TextContext::new(&book, &style);
    let cell = "Neighbourhood 2019\u{2013}25 planted";
    let never =
        ctx.set(&Request::new(&text(cell), Role::TableCell, &en(), 1.0).words(WordBreaks::Never));
    let got: Vec<String> = never.iter().map(line_text).collect();
    assert_eq!(got, ["Neighbourhood", "2019\u{2013}25", "planted"]);
    // The same text broken freely does break the long word.
    let free = ctx.set(&Request::new(&text(cell), Role::TableCell, &en(), 30.0));
    assert!(
        free.iter().any(hyphenated),
        "{:?}",
        free.iter().map(line_text).collect::<Vec<_>>()
    );
}

#[test]
fn word_breaks_overlong_breaks_only_words_wider_than_the_measure() {
    let style = style();
    let book = book(&style);
    let mut ctx = TextContext::new(&book, &style);
    let set = |ctx: &mut TextContext, t: &str, w: f32, words| {
        ctx.set(&Request::new(&text(t), Role::TableCell, &en(), w).words(words))
    };
    let whole = set(&mut ctx, "Harbour", 1000.0, WordBreaks::Never)[0].width;
    // A measure a little narrower than "Harbour Row": whole words on two lines.
    let lines = set(&mut ctx, "Harbour Row", whole + 8.0, WordBreaks::Overlong);
    let got: Vec<String> = lines.iter().map(line_text).collect();
    assert_eq!(got, ["Harbour", "Row"]);
    // A measure narrower than the word itself: it is broken after all.
    let lines = set(&mut ctx, "Harbour Row", 0.6 * whole, WordBreaks::Overlong);
    assert!(lines.len() > 2 && lines.iter().all(|l| l.width <= 0.6 * whole + 0.01));
}

#[test]
fn table_figures_are_lining_and_tabular_whatever_the_body_uses() {
    let style = style();
    assert!(style.fonts.body_features.iter().any(|f| f == "onum"));
    let book = book(&style);
    let mut ctx = TextContext::new(&book, &style);
    let digits = "1234567890";
    let glyphs = |ctx: &mut TextContext, role| -> Vec<(u16, f32)> {
        let lines = ctx.set(&Request::new(&text(digits), role, &en(), 500.0));
        let run = &lines[0].runs[0];
        let size = run.size;
        run.glyphs
            .iter()
            .map(|g| (g.id, g.x_advance / size))
            .collect()
    };
    for role in [Role::TableCell, Role::TableHeader] {
        let table = glyphs(&mut ctx, role);
        // Tabular: every figure as wide as the others.
        assert!(
            table.iter().all(|g| (g.1 - table[0].1).abs() < 1e-4),
            "{role:?}: {table:?}"
        );
        // Lining: not the body's old-style figures.
        let body = glyphs(&mut ctx, Role::Body);
        assert!(body.iter().zip(&table).any(|(b, t)| b.0 != t.0), "{role:?}");
    }
}

#[test]
fn justified_lines_are_scaled_within_the_style_expansion() {
    let style = style();
    assert_eq!(style.justification.glyph_expansion, 0.01);
    let book = book(&style);
    let mut ctx = TextContext::new(&book, &style);
    let mut scaled = 0;
    for width in [110.0, 140.0, 165.0] {
        let lines =
            ctx.set(&Request::new(&text(PROSE), Role::Body, &en(), width).align(Align::Justify));
        for line in &lines {
            for run in &line.runs {
                assert!((run.h_scale - 1.0).abs() <= 0.01 + 1e-5, "{}", run.h_scale);
                if (run.h_scale - 1.0).abs() > 1e-4 {
                    scaled += 1;
                }
            }
        }
    }
    // Expansion is in use, only bounded.
    assert!(scaled > 0);
}

#[test]
fn a_line_can_be_kept_from_ending_with_a_hyphen() {
    let style = style();
    let book = book(&style);
    let mut ctx = TextContext::new(&book, &style);
    let (inlines, language) = (text(PROSE), en());
    let request = Request::new(&inlines, Role::Body, &language, 110.0).align(Align::Justify);
    let free = ctx.set(&request);
    let targets: Vec<usize> = (0..free.len()).filter(|&n| hyphenated(&free[n])).collect();
    assert!(!targets.is_empty());
    for &k in &targets {
        let lines = ctx.set(&request.no_hyphen_after(&[k]));
        assert!(!hyphenated(&lines[k]), "line {k}: {}", line_text(&lines[k]));
        assert_eq!(joined(&lines), joined(&free));
    }
}

#[test]
fn opening_words_are_set_with_smcp_keeping_their_capitals() {
    let style = style();
    let book = book(&style);
    let mut ctx = TextContext::new(&book, &style);
    let paragraph = text("Authorities in Kazakhstan have said little.");
    let language = en();
    let request = Request::new(&paragraph, Role::Body, &language, 300.0).run_in(14);
    let lines = ctx.set(&request.run_in_lower(true));
    let first = &lines[0];
    assert_eq!(
        line_text(first),
        "Authorities in Kazakhstan have said little."
    );
    let font = first.runs[0].font;
    let ids: Vec<u16> = first
        .runs
        .iter()
        .flat_map(|r| &r.glyphs)
        .map(|g| g.id)
        .collect();
    // "A" stays a capital; "uthorities" becomes small capitals.
    let capital = glyph_ids(&mut ctx, font, &[], "A");
    let small = glyph_ids(&mut ctx, font, &["smcp"], "uthorities");
    let lower = glyph_ids(&mut ctx, font, &[], "uthorities");
    assert_ne!(small, lower, "smcp changes the glyphs");
    assert_eq!(ids[0], capital[0]);
    assert_eq!(ids[1..1 + small.len()], small[..]);
    // Without the flag, the same run-in is asked for small capitals from capitals only:
    // lower case is untouched.
    let plain = ctx.set(&request);
    let ids: Vec<u16> = plain[0]
        .runs
        .iter()
        .flat_map(|r| &r.glyphs)
        .map(|g| g.id)
        .collect();
    assert_eq!(ids[1..1 + lower.len()], lower[..]);
}

/// One unbreakable word of 40,000 letters (and one with a soft hyphen after every letter)
/// is broken as an emergency in linear time. Measured in release: 50,000 letters took
/// 7.3 s before (the letters before and after every point were counted again, and every
/// fragment's width summed over all the word's marks), 0.11 s after. In a debug build the
/// quadratic version takes minutes at this size; the linear one about a second.
#[test]
fn a_long_unbreakable_word_sets_in_linear_time() {
    let style = style();
    let book = book(&style);
    let mut ctx = TextContext::new(&book, &style);
    for word in ["a".repeat(40_000), "a\u{AD}".repeat(20_000)] {
        let start = std::time::Instant::now();
        let lines =
            ctx.set(&Request::new(&text(&word), Role::Body, &en(), 150.0).align(Align::Justify));
        let took = start.elapsed();
        assert!(lines.len() > 100, "{} lines", lines.len());
        assert!(took.as_secs() < 20, "took {took:?}");
    }
}

/// A run wider than the line with no two letters side by side (a rule of asterisks,
/// digits, brackets) is broken between its characters without hyphens, so that none of
/// it runs off the column; it was set on one line that ran off the page. Marks stay with
/// their letter.
#[test]
fn a_long_run_of_symbols_or_digits_is_broken_to_the_measure() {
    let style = style();
    let book = book(&style);
    let mut ctx = TextContext::new(&book, &style);
    let width = 150.0;
    let marked = "e\u{301}".repeat(300);
    for run in [
        "*".repeat(600),
        "[".repeat(600),
        "1234567890".repeat(60),
        marked,
    ] {
        let lines =
            ctx.set(&Request::new(&text(&run), Role::Body, &en(), width).align(Align::Justify));
        assert!(lines.len() > 3, "{} lines", lines.len());
        let texts: Vec<String> = lines.iter().map(line_text).collect();
        assert_eq!(texts.concat(), run, "every character kept, no hyphen added");
        for l in &lines {
            assert!(l.width <= width + 0.01, "a line of {} pt", l.width);
        }
        for t in &texts {
            assert!(!t.starts_with('\u{301}'), "a mark parted from its letter");
        }
    }
}

/// A line that stands more than an em past its measure (word joiners between every
/// letter leave it nowhere to break) is set, and a warning says so; an ordinary paragraph
/// and a table cell's measurement (words kept whole at a 1 pt measure) warn of nothing.
#[test]
fn a_line_past_its_measure_is_reported() {
    let style = style();
    let book = book(&style);
    let mut ctx = TextContext::new(&book, &style);
    let plain = "The harbour committee met on a wet Tuesday and approved the budget.";
    ctx.set(&Request::new(&text(plain), Role::Body, &en(), 150.0).align(Align::Justify));
    ctx.set(&Request::new(&text(plain), Role::TableCell, &en(), 1.0).words(WordBreaks::Never));
    assert!(ctx.warnings.is_empty(), "{:?}", ctx.warnings);
    let joined = "x\u{2060}".repeat(200);
    let lines =
        ctx.set(&Request::new(&text(&joined), Role::Body, &en(), 150.0).align(Align::Justify));
    assert_eq!(lines.len(), 1);
    assert_eq!(ctx.warnings.len(), 1, "{:?}", ctx.warnings);
    assert!(ctx.warnings[0].message.contains("wider than its measure"));
}

#[test]
fn a_phrase_marked_german_is_hyphenated_by_german_rules_in_an_english_paragraph() {
    let style = style();
    let book = book(&style);
    let mut ctx = TextContext::new(&book, &style);
    let de = Language("de".into());
    let word = "Versicherungsgesellschaften";
    let offsets = |ops: &[crate::layout::hyphenate::Opportunity]| -> Vec<usize> {
        ops.iter().map(|o| o.offset).collect()
    };
    let german = offsets(&ctx.hyphenation(&de, word, false));
    let english = offsets(&ctx.hyphenation(&en(), word, false));
    assert_ne!(
        german, english,
        "the test needs a word the two languages break apart"
    );
    let inlines = vec![
        Inline::from(InlineKind::Text("The insurers, the ".into())),
        Inline::from(InlineKind::Lang {
            lang: de.clone(),
            content: vec![Inline::from(InlineKind::Text(word.into()))],
        }),
        Inline::from(InlineKind::Text(
            " of the old port, wrote their policies in two languages and kept both.".into(),
        )),
    ];
    let mut splits = Vec::new();
    for width in (110..=220).step_by(3).map(|w| w as f32) {
        let lines =
            ctx.set(&Request::new(&inlines, Role::Body, &en(), width).align(Align::Justify));
        for line in &lines {
            let t = line_text(line);
            if let Some(stem) = t.strip_suffix(SOFT_HYPHEN)
                && let Some(last) = stem.split_whitespace().last()
                && word.starts_with(last)
                && last.len() < word.len()
            {
                splits.push(last.len());
            }
        }
    }
    assert!(!splits.is_empty(), "the compound was never broken");
    for at in &splits {
        assert!(
            german.contains(at),
            "broken at {at}, not a German point {german:?}"
        );
    }
    assert!(
        splits.iter().any(|at| !english.contains(at)),
        "every break {splits:?} is also an English point {english:?}"
    );
}

#[test]
fn a_phrase_in_another_language_is_a_run_of_its_own_with_that_language() {
    let style = style();
    let book = book(&style);
    let mut ctx = TextContext::new(&book, &style);
    let inlines = vec![
        Inline::from(InlineKind::Text("They call it ".into())),
        Inline::from(InlineKind::Lang {
            lang: Language("de".into()),
            content: vec![Inline::from(InlineKind::Text("Fernweh".into()))],
        }),
        Inline::from(InlineKind::Text(" here.".into())),
    ];
    let lines = ctx.set(&Request::new(&inlines, Role::Body, &en(), 400.0));
    assert_eq!(lines.len(), 1);
    let runs: Vec<(String, Option<String>)> = lines[0]
        .runs
        .iter()
        .map(|r| (r.text.trim().to_string(), r.lang.clone()))
        .collect();
    assert_eq!(
        runs,
        vec![
            ("They call it".to_string(), None),
            ("Fernweh".to_string(), Some("de".to_string())),
            ("here.".to_string(), None),
        ]
    );
}

#[test]
fn a_phrase_in_a_language_without_patterns_warns_once_at_its_place() {
    let style = style();
    let book = book(&style);
    let mut ctx = TextContext::new(&book, &style);
    let source = "Say [Qapla]{lang=tlh} and [Qapla]{lang=tlh}, [Wort]{lang=de}.";
    ctx.set_source(Some(("articles/a.md".into(), Arc::from(source))));
    let phrase = |tag: &str, word: &str, at: usize| {
        let end = source[at..].find('}').unwrap() + at + 1;
        Inline::new(
            InlineKind::Lang {
                lang: Language(tag.into()),
                content: vec![Inline::text(word, Span::new(at + 1, at + 1 + word.len()))],
            },
            Span::new(at, end),
        )
    };
    let inlines = vec![
        phrase("tlh", "Qapla", 4),
        phrase("tlh", "Qapla", 26),
        phrase("de", "Wort", 45),
    ];
    ctx.set(&Request::new(&inlines, Role::Body, &en(), 300.0));
    assert_eq!(ctx.warnings.len(), 1, "{:?}", ctx.warnings);
    let w = &ctx.warnings[0];
    assert!(w.message.contains("`tlh`"), "{w:?}");
    let span = w.span.expect("placed");
    assert_eq!((span.line, span.column), (1, 5));
}

/// A paragraph of several stretches (`STRETCH_BYTES` each) is set a stretch at a time:
/// every word comes back once and in order, every line but the last is justified to the
/// measure, and only the first is indented, across the seams between stretches too.
#[test]
fn a_huge_paragraph_is_set_a_stretch_at_a_time() {
    let style = style();
    let book = book(&style);
    let mut ctx = TextContext::new(&book, &style);
    let reps = 3 * super::STRETCH_BYTES / PROSE.len() + 1;
    let huge = vec![PROSE; reps].join(" ");
    let (width, indent) = (150.0, 9.5);
    let lines = ctx.set(
        &Request::new(&text(&huge), Role::Body, &en(), width)
            .align(Align::Justify)
            .indent(indent),
    );
    let expected = huge.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(joined(&lines), expected);
    let n = lines.len();
    for (i, line) in lines.iter().enumerate() {
        let first_x = if i == 0 { indent } else { 0.0 };
        assert!((extent(line).0 - first_x).abs() < 1e-3, "line {i}");
        if i + 1 < n {
            assert!(
                (line.width - (width - first_x)).abs() < 0.01,
                "line {i} of {n}: width {}",
                line.width
            );
        } else {
            assert!(line.width < width);
        }
    }
    // About as many lines as the same text set in paragraphs of one stretch or less.
    let one = ctx.set(&Request::new(&text(PROSE), Role::Body, &en(), width).align(Align::Justify));
    assert!(
        n <= reps * one.len(),
        "{n} lines for {reps} × {}",
        one.len()
    );
}

#[test]
fn a_stretch_ends_at_a_space_or_the_end() {
    assert_eq!(super::stretch_end("one two three", 0, 2), 3);
    assert_eq!(super::stretch_end("one two three", 4, 1), 7);
    assert_eq!(super::stretch_end("one two three", 4, 20), 13);
    assert_eq!(super::stretch_end("one\ntwo", 0, 1), 3);
    assert_eq!(super::stretch_end("onetwothree", 0, 2), 11);
}
