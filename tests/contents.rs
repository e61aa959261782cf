//! The contents page and the cover: editions of 30 and 60 articles keep their contents on
//! one page (page 2) in the default style; an issue of one article has no contents page;
//! the cover names the articles the edition chooses, no more than the style allows.
//! Editions are written into temporary folders and laid out through the library.

mod common;

use std::fmt::Write as _;
use std::path::Path;

use quire::layout::frame::{Document, Item, LinkTarget, PageLabel};

const WORDS: &[&str] = &[
    "harbour", "ledger", "council", "winter", "bridge", "river", "market", "lantern", "quarry",
    "orchard", "signal", "archive", "ferry", "mill", "parish", "railway", "garden", "tide",
    "printer", "school", "weather", "timber", "salt", "copper", "choir", "tenant", "harvest",
];
const NAMES: &[&str] = &[
    "Ada Marsh",
    "Bram Holt",
    "Cleo Voss",
    "Dev Arden",
    "Esme Roe",
    "Finn Ashby",
    "Gwen Tarr",
    "Hal Brook",
    "Ines Cole",
    "Jory Platt",
    "Kit Lowe",
    "Lena Frey",
];

/// A word chosen by `seed` (a small deterministic mix, no randomness).
fn word(seed: usize) -> &'static str {
    WORDS[(seed * 7 + seed / 3) % WORDS.len()]
}

fn sentence(seed: usize, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(word(seed * 13 + i * 5 + i / 2));
    }
    let mut c = s.chars();
    let first = c.next().map(|f| f.to_uppercase().collect::<String>());
    format!("{}{}.", first.unwrap_or_default(), c.as_str())
}

/// Writes an edition of `n` articles in sections of `per_section` into `dir`, with
/// `extra` added to `edition.toml` before the sections.
fn write_edition(dir: &Path, n: usize, per_section: usize, extra: &str) {
    std::fs::create_dir_all(dir.join("articles")).unwrap();
    let mut toml = format!(
        "title = \"The Contents Test\"\nissue = \"5\"\ndate = \"2026-05-01\"\n\
         language = \"en-GB\"\npublisher = \"Test Press\"\n{extra}\n"
    );
    for i in 0..n {
        if i % per_section == 0 {
            let _ = write!(
                toml,
                "\n[[section]]\ntitle = \"Part {}\"\narticles = [\n",
                i / per_section + 1
            );
        }
        let _ = writeln!(toml, "  \"articles/a{i:02}.md\",");
        if i % per_section == per_section - 1 || i == n - 1 {
            toml.push_str("]\n");
        }
        let title = sentence(i, 3 + i % 5);
        let title = title.trim_end_matches('.');
        let authors = if i % 4 == 3 {
            format!(
                "[{}, {}]",
                NAMES[i % NAMES.len()],
                NAMES[(i + 5) % NAMES.len()]
            )
        } else {
            format!("[{}]", NAMES[i % NAMES.len()])
        };
        let md = format!(
            "---\ntitle: {title} q{i:02}\nstandfirst: s{i:02} {}\nauthors: {authors}\n---\n\n{}\n\n{}\n",
            sentence(i + 100, 14 + i % 12),
            sentence(i + 200, 70),
            sentence(i + 300, 50),
        );
        std::fs::write(dir.join(format!("articles/a{i:02}.md")), md).unwrap();
    }
    std::fs::write(dir.join("edition.toml"), toml).unwrap();
}

fn lay_out(dir: &Path) -> (quire::model::Edition, Document, Vec<String>) {
    let edition = quire::edition::load(dir).unwrap_or_else(|e| panic!("does not load: {e}"));
    let laid = quire::layout::layout(&edition).unwrap_or_else(|e| panic!("{e}"));
    let warnings = laid.warnings.iter().map(|w| w.message.clone()).collect();
    (edition, laid.document, warnings)
}

/// The page indexes the links on `page` lead to, in order.
fn link_targets(doc: &Document, page: usize) -> Vec<usize> {
    doc.pages[page]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Link {
                target: LinkTarget::Page { page, .. },
                ..
            } => Some(*page),
            _ => None,
        })
        .collect()
}

fn page_text(doc: &Document, page: usize) -> String {
    let mut out = String::new();
    for item in &doc.pages[page].items {
        if let Item::Text(run) = item {
            out.push_str(&run.text);
            out.push('\n');
        }
    }
    out
}

/// Each article's opening page, from the outline.
fn openings(doc: &Document) -> Vec<usize> {
    doc.outline
        .iter()
        .flat_map(|s| s.children.iter().map(|c| c.page))
        .collect()
}

#[test]
fn contents_of_30_and_60_articles_fit_on_one_page() {
    let tmp = common::temp_dir();
    for n in [30, 60] {
        let dir = tmp.path().join(format!("c{n}"));
        write_edition(&dir, n, 8, "");
        let (_, doc, warnings) = lay_out(&dir);
        assert!(
            !warnings.iter().any(|w| w.contains("contents")),
            "{n}: {warnings:?}"
        );
        let open = openings(&doc);
        assert_eq!(open.len(), n);
        // Cover, one contents page, then the first article on page 3.
        assert_eq!(doc.outline[0].page, 1, "{n}: the contents is page 2");
        assert_eq!(open[0], 2, "{n}: the first article opens on page 3");
        // Every entry on the contents page, linked to its article's opening page, with
        // that page's number printed.
        assert_eq!(link_targets(&doc, 1), open, "{n}");
        let text = page_text(&doc, 1);
        for p in &open {
            let PageLabel::Arabic(label) = doc.pages[*p].label else {
                panic!("arabic labels");
            };
            assert!(
                text.lines().any(|l| l == label.to_string()),
                "{n}: page number {label} missing"
            );
        }
    }
}

#[test]
fn standfirsts_are_printed_where_there_is_room() {
    let tmp = common::temp_dir();
    let tokens = |doc: &Document| {
        let text = page_text(doc, 1);
        (0..60)
            .filter(|i| text.contains(&format!("s{i:02}")))
            .collect::<Vec<usize>>()
    };
    // Few articles: every standfirst.
    let dir = tmp.path().join("six");
    write_edition(&dir, 6, 3, "");
    assert_eq!(tokens(&lay_out(&dir).1), (0..6).collect::<Vec<_>>());
    // Thirty: some (each section's first article at least), not all.
    let dir = tmp.path().join("thirty");
    write_edition(&dir, 30, 8, "");
    let shown = tokens(&lay_out(&dir).1);
    assert!(shown.contains(&0) && shown.len() < 30, "{shown:?}");
    // Sixty: none.
    let dir = tmp.path().join("sixty");
    write_edition(&dir, 60, 8, "");
    assert_eq!(tokens(&lay_out(&dir).1), Vec::<usize>::new());
}

#[test]
fn an_issue_of_one_article_has_no_contents_page() {
    let tmp = common::temp_dir();
    let dir = tmp.path().join("one");
    write_edition(&dir, 1, 8, "");
    let (ed, doc, _) = lay_out(&dir);
    let title = &ed.sections[0].articles[0].title;
    // The cover names the article; the article opens page 2, with folio and label 2.
    assert!(page_text(&doc, 0).contains(title.split(' ').next().unwrap()));
    assert_eq!(openings(&doc), vec![1]);
    assert_eq!(doc.pages[1].label, PageLabel::Arabic(2));
    assert!(page_text(&doc, 1).lines().any(|l| l == "2"), "folio 2");
    // No contents in the outline: the section with its article only.
    assert_eq!(doc.outline.len(), 1);
    assert_eq!(doc.outline[0].title, "Part 1");
    // The imprint is on the cover.
    assert!(page_text(&doc, 0).contains("Test Press"));
    assert!(!page_text(&doc, 1).contains("Contents"));
}

#[test]
fn the_cover_names_the_section_leads_up_to_the_style_limit() {
    let tmp = common::temp_dir();
    let dir = tmp.path().join("leads");
    // Six sections of three: the leads are articles 0, 3, 6, 9, 12, 15; four are named.
    write_edition(&dir, 18, 3, "");
    let (ed, doc, _) = lay_out(&dir);
    assert_eq!(ed.cover_lines, vec![0, 3, 6, 9]);
    let cover = page_text(&doc, 0);
    let titled = |i: usize| cover.contains(&format!("q{i:02}"));
    for i in 0..18 {
        assert_eq!(
            titled(i),
            [0, 3, 6, 9].contains(&i),
            "article {i}:\n{cover}"
        );
    }
}

#[test]
fn the_cover_names_the_articles_the_edition_chooses() {
    let tmp = common::temp_dir();
    let dir = tmp.path().join("chosen");
    write_edition(
        &dir,
        12,
        4,
        "cover_lines = [\"articles/a05.md\", \"articles/a01.md\", \"articles/a11.md\"]",
    );
    let (ed, doc, _) = lay_out(&dir);
    assert_eq!(ed.cover_lines, vec![5, 1, 11]);
    let cover = page_text(&doc, 0);
    for i in 0..12 {
        let named = cover.contains(&format!("q{i:02}"));
        assert_eq!(named, [5, 1, 11].contains(&i), "article {i}:\n{cover}");
    }
    // The cover story is the first named: set in the cover title size (twice the
    // title's), above the others.
    let title_size = 2.0 * ed.style.sizes.title;
    let big: Vec<String> = doc.pages[0]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Text(r) if (r.size - title_size).abs() < 0.01 => Some(r.text.clone()),
            _ => None,
        })
        .collect();
    // The masthead is as large; the story's first line follows it.
    let words = ed.sections[1].articles[1].title.clone();
    assert!(
        big.iter().skip(1).any(|t| words.starts_with(t.as_str())),
        "{big:?} / {words}"
    );
}

#[test]
fn cover_lines_stand_in_balanced_columns() {
    let tmp = common::temp_dir();
    let dir = tmp.path().join("balanced");
    std::fs::create_dir_all(dir.join("styles")).unwrap();
    std::fs::write(dir.join("styles/many.toml"), "cover_lines = 7\n").unwrap();
    write_edition(&dir, 14, 2, "style = \"many\"");
    let (ed, doc, _) = lay_out(&dir);
    assert_eq!(ed.cover_lines.len(), 7);
    // The six lines after the cover story: two in each of the three columns.
    let story_bottom = ed.style.page.height * 0.4;
    let mut xs: Vec<i32> = doc.pages[0]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Rect { x, y, width, .. } if *y > story_bottom && *width < 60.0 => {
                Some(x.round() as i32)
            }
            _ => None,
        })
        .collect();
    xs.sort();
    let mut per_column: Vec<usize> = Vec::new();
    let mut last = None;
    for x in xs {
        if last != Some(x) {
            per_column.push(0);
            last = Some(x);
        }
        *per_column.last_mut().unwrap() += 1;
    }
    assert_eq!(per_column, vec![2, 2, 2], "cover lines per column");
}
