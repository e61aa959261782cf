//! Whole-layout tests with the fixed-width fake setter: grid, balance, keeps, numbering,
//! contents links, outline, run-on articles and determinism.

use super::fake;
mod folios;
mod makeup;
mod padding;
mod span;
mod tables;

use crate::layout::flow::collect::Builder;
use crate::layout::flow::compose::Composer;
use crate::layout::flow::{Geometry, layout_with};
use crate::layout::frame::{Document, Item, LinkTarget, PageLabel};
use crate::model::{ArticleStart, NotePlace};
use fake::{Fake, article, edition, generated, prose};

fn body_runs(doc: &Document, page: usize, size: f32) -> Vec<(f32, f32)> {
    doc.pages[page]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Text(r) if (r.size - size).abs() < 0.01 => Some((r.x, r.y)),
            _ => None,
        })
        .collect()
}

fn sample(n: usize, start: ArticleStart) -> crate::model::Edition {
    let articles = (0..n)
        .map(|i| generated(&format!("a{i}"), i as u64 + 1, 6 + (i * 5) % 23))
        .collect();
    edition(articles, start)
}

#[test]
fn pages_are_labelled_and_the_document_described() {
    let ed = sample(3, ArticleStart::NewPage);
    let mut fake = Fake::new(&ed.style);
    let doc = layout_with(&ed, &mut fake);
    for (i, p) in doc.pages.iter().enumerate() {
        assert_eq!(p.label, PageLabel::Arabic(i as u32 + 1));
    }
    assert_eq!(doc.meta.title, "The Test Review \u{2014} Issue 7");
    assert_eq!(doc.meta.authors, vec!["Ann Writer".to_string()]);
}

#[test]
fn body_lines_sit_on_the_baseline_grid() {
    let ed = sample(4, ArticleStart::NewPage);
    let mut fake = Fake::new(&ed.style);
    let geo = Geometry::new(&ed.style, &fake);
    let doc = layout_with(&ed, &mut fake);
    let mut checked = 0;
    for page in 2..doc.pages.len() {
        for (_, y) in body_runs(&doc, page, geo.body_size) {
            let slot = (y - geo.top - geo.base) / geo.lead;
            assert!(
                (slot - slot.round()).abs() < 0.01,
                "page {page}: y {y} off the grid"
            );
            assert!(slot.round() >= 0.0 && slot.round() < geo.lines as f32);
            checked += 1;
        }
    }
    assert!(checked > 500, "only {checked} body lines");
}

/// The last page of every article has columns within one line of each other, or two
/// when the break rules leave no better split (the balancer's optimality is tested
/// against brute force in `columns`).
#[test]
fn final_pages_are_balanced() {
    let ed = sample(6, ArticleStart::NewPage);
    let mut fake = Fake::new(&ed.style);
    let geo = Geometry::new(&ed.style, &fake);
    let doc = layout_with(&ed, &mut fake);
    // Last page of each article = the page before the next opening page.
    let opening = opening_pages(&doc);
    let mut lasts: Vec<usize> = opening[1..].iter().map(|p| p - 1).collect();
    lasts.push(doc.pages.len() - 1);
    let mut wide = 0;
    for last in lasts {
        let mut bottoms = vec![f32::MIN; geo.columns];
        for (x, y) in body_runs(&doc, last, geo.body_size) {
            let k = ((x - geo.left) / (geo.col_w + geo.gutter)).floor() as usize;
            bottoms[k.min(geo.columns - 1)] = bottoms[k.min(geo.columns - 1)].max(y);
        }
        let max = bottoms.iter().copied().fold(f32::MIN, f32::max);
        let min = bottoms.iter().copied().fold(f32::MAX, f32::min);
        assert!(
            max - min <= 2.0 * geo.lead + 0.01,
            "page {last}: bottoms {bottoms:?}"
        );
        if max - min > geo.lead + 0.01 {
            wide += 1;
        }
    }
    assert!(wide <= 1, "{wide} final pages differ by two lines");
}

#[test]
fn breaks_follow_the_rules() {
    // Long articles with headings: no column ends at a forbidden break.
    let ed = sample(3, ArticleStart::NewPage);
    let mut fake = Fake::new(&ed.style);
    let geo = Geometry::new(&ed.style, &fake);
    let mut breaks = 0;
    for (_, a) in ed.articles() {
        let mut composer = Composer::new(&geo);
        let head = super::compose::head(
            &mut fake,
            &geo,
            "S",
            a,
            &mut crate::layout::frame::NodeList::default(),
        );
        let pieces = Builder::new(&mut fake, &geo, &a.language).article(a, None);
        composer.article(head, pieces, 0, false);
        assert_eq!(composer.forced, 0, "article {}", a.id);
        breaks += composer.breaks;
    }
    assert!(breaks > 0);
}

#[test]
fn contents_links_open_the_articles() {
    let ed = sample(5, ArticleStart::NewPage);
    let mut fake = Fake::new(&ed.style);
    let doc = layout_with(&ed, &mut fake);
    let targets: Vec<usize> = doc.pages[1]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Link {
                target: LinkTarget::Page { page, .. },
                ..
            } => Some(*page),
            _ => None,
        })
        .collect();
    let opening = opening_pages(&doc);
    assert_eq!(targets, opening);
    assert_eq!(opening[0], 2);
    // Outline: contents, then 3 sections (2 + 2 + 1 articles).
    assert_eq!(doc.outline.len(), 4);
    assert_eq!(doc.outline[0].page, 1);
    assert_eq!(doc.outline[3].children.len(), 1);
    // Page numbers printed in the contents match the labels of the opening pages.
    let texts: Vec<String> = doc.pages[1]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Text(r) if r.text.chars().all(|c| c.is_ascii_digit()) => Some(r.text.clone()),
            _ => None,
        })
        .collect();
    for p in &opening {
        let PageLabel::Arabic(n) = doc.pages[*p].label else {
            panic!("article pages are arabic");
        };
        assert!(texts.contains(&n.to_string()), "{n} not in {texts:?}");
    }
}

#[test]
fn running_heads_skip_opening_pages() {
    let ed = sample(2, ArticleStart::NewPage);
    let mut fake = Fake::new(&ed.style);
    let geo = Geometry::new(&ed.style, &fake);
    let doc = layout_with(&ed, &mut fake);
    let rh = ed.style.sizes.running_head;
    let opening = opening_pages(&doc);
    for p in 2..doc.pages.len() {
        let has = doc.pages[p]
            .items
            .iter()
            .any(|i| matches!(i, Item::Text(r) if (r.size - rh).abs() < 0.01 && r.y < geo.top));
        assert_eq!(has, !opening.contains(&p), "page {p}");
    }
    // Folios everywhere but the cover.
    let folio = ed.style.sizes.folio;
    for (p, page) in doc.pages.iter().enumerate() {
        let has = page
            .items
            .iter()
            .any(|i| matches!(i, Item::Text(r) if (r.size - folio).abs() < 0.01 && r.y > geo.page_h - geo.margin_bottom));
        assert_eq!(has, p > 0, "page {p}");
    }
}

#[test]
fn run_on_articles_share_pages() {
    let new_page = sample(6, ArticleStart::NewPage);
    let run_on = sample(6, ArticleStart::RunOn);
    let a = layout_with(&new_page, &mut Fake::new(&new_page.style));
    let b = layout_with(&run_on, &mut Fake::new(&run_on.style));
    assert!(
        b.pages.len() < a.pages.len(),
        "{} vs {}",
        b.pages.len(),
        a.pages.len()
    );
    // Some article opens below another on the same page.
    let opening: Vec<(usize, f32)> = b.outline[1..]
        .iter()
        .flat_map(|s| s.children.iter().map(|c| (c.page, c.y)))
        .collect();
    assert!(
        opening
            .iter()
            .any(|&(_, y)| y > run_on.style.page.margin_top + 1.0)
    );
}

#[test]
fn layout_is_deterministic() {
    let ed = sample(5, ArticleStart::NewPage);
    let a = layout_with(&ed, &mut Fake::new(&ed.style));
    let b = layout_with(&ed, &mut Fake::new(&ed.style));
    assert_eq!(format!("{:?}", a.pages), format!("{:?}", b.pages));
}

#[test]
fn blocks_of_every_kind_are_laid_out() {
    let md = format!(
        "---\ntitle: Everything\nauthors: [A, B]\nbyline: end\n---\n\n{}[^1]\n\n## A subhead\n\n{}\n\n\
         - {}\n- {}\n\n1. one\n2. two\n\n> {}\n\n> [!PULLQUOTE]\n> {}\n\n| a | b |\n|---|--:|\n| {} | 2 |\n\n\
         ```\nlet x = 1;\n\nlet y = 2;\n```\n\n---\n\n{}\n\n[^1]: {}\n",
        prose(1, 60),
        prose(2, 80),
        prose(3, 20),
        prose(4, 12),
        prose(5, 40),
        prose(6, 14),
        prose(7, 6),
        prose(8, 50),
        prose(9, 30),
    );
    let ed = edition(vec![article("all", &md)], ArticleStart::NewPage);
    let mut fake = Fake::new(&ed.style);
    let doc = layout_with(&ed, &mut fake);
    assert_eq!(
        doc.pages.len(),
        2,
        "cover and article: one article has no contents page"
    );
    let texts: Vec<&str> = doc.pages[1]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Text(r) => Some(r.text.as_str()),
            _ => None,
        })
        .collect();
    for needle in ["A subhead", "\u{2022}", "1.", "2.", "let x = 1;", "A & B"] {
        assert!(texts.iter().any(|t| t.contains(needle)), "{needle} missing");
    }
    // The end byline comes after the last body line of the article.
    let rects = doc.pages[1]
        .items
        .iter()
        .filter(|i| matches!(i, Item::Rect { .. }))
        .count();
    assert!(
        rects >= 5,
        "rules for head, pull quote, table, rule, notes: {rects}"
    );
}

#[test]
fn end_byline_runs_in_on_a_short_last_line() {
    // The last paragraph ends with a short line: the byline shares it.
    let md = format!(
        "---\ntitle: T\nauthors: [Ann Writer]\nbyline: end\n---\n\n{}\n\nShort end.\n",
        prose(3, 90)
    );
    let ed = edition(vec![article("short", &md)], ArticleStart::NewPage);
    let doc = layout_with(&ed, &mut Fake::new(&ed.style));
    let page = &doc.pages[1];
    let y_of = |needle: &str| {
        page.items
            .iter()
            .find_map(|i| match i {
                Item::Text(r) if r.text.contains(needle) => Some(r.y),
                _ => None,
            })
            .unwrap_or_else(|| panic!("{needle} missing"))
    };
    assert_eq!(y_of("Short end."), y_of("Ann Writer"));
    // A long last line leaves no room: the byline goes one grid line lower.
    let md = format!(
        "---\ntitle: T\nauthors: [Ann Writer]\nbyline: end\n---\n\n{}\n",
        prose(4, 200)
    );
    let ed = edition(vec![article("long", &md)], ArticleStart::NewPage);
    let geo = Geometry::new(&ed.style, &Fake::new(&ed.style));
    let doc = layout_with(&ed, &mut Fake::new(&ed.style));
    let texts: Vec<(f32, f32, String)> = doc.pages[1]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Text(r) if r.y > geo.top + 100.0 => Some((r.x, r.y, r.text.clone())),
            _ => None,
        })
        .collect();
    let by = texts
        .iter()
        .find(|t| t.2.contains("Ann Writer"))
        .expect("byline");
    let last_body = texts
        .iter()
        .filter(|t| !t.2.contains("Ann Writer") && t.0 < by.0 && (by.0 - t.0) < geo.col_w)
        .map(|t| t.1)
        .fold(f32::MIN, f32::max);
    assert!(
        by.1 >= last_body - 0.01,
        "byline {by:?} above the text ({last_body})"
    );
}

#[test]
fn list_items_do_not_stand_alone_at_a_break() {
    // Three one-line items: no break may leave one alone.
    let md = "---\ntitle: T\n---\n\n- one\n- two\n- three\n";
    let a = article("list", md);
    let ed = edition(vec![a], ArticleStart::NewPage);
    let mut fake = Fake::new(&ed.style);
    let geo = Geometry::new(&ed.style, &fake);
    let (_, a) = ed.articles().next().unwrap();
    let body = Builder::new(&mut fake, &geo, &a.language).article(a, None);
    let flags: Vec<bool> = body.main.iter().map(|p| p.unit.break_before).collect();
    // The first item may follow a break; the others may not.
    assert_eq!(flags, vec![true, false, false]);
}

#[test]
fn articles_open_with_a_two_line_initial() {
    let md = format!(
        "---\ntitle: Initials\n---\n\n{}\n\n{}\n",
        prose(5, 80),
        prose(6, 40)
    );
    let mut ed = edition(vec![article("cap", &md)], ArticleStart::NewPage);
    assert!(ed.style.drop_caps, "the magazine style has drop caps");
    let mut fake = Fake::new(&ed.style);
    let geo = Geometry::new(&ed.style, &fake);
    let doc = layout_with(&ed, &mut fake);
    let runs: Vec<(f32, f32, f32, String)> = doc.pages[1]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Text(r) => Some((r.x, r.y, r.size, r.text.clone())),
            _ => None,
        })
        .collect();
    let initial = runs
        .iter()
        // Its text belongs to the line beside it, so that extraction reads the word whole.
        .find(|r| r.2 > 2.0 * geo.body_size && r.3.is_empty())
        .unwrap_or_else(|| panic!("no initial in {runs:?}"));
    // On the second line's baseline, at the column's left edge.
    let body: Vec<_> = runs.iter().filter(|r| r.2 == geo.body_size).collect();
    let first_y = body.iter().map(|r| r.1).fold(f32::MAX, f32::min);
    assert!(
        (initial.1 - (first_y + geo.lead)).abs() < 0.01,
        "{initial:?} first {first_y}"
    );
    assert!((initial.0 - geo.left).abs() < 0.01);
    // The first two lines make room for it; the third does not.
    let x_at = |y: f32| {
        body.iter()
            .filter(|r| (r.1 - y).abs() < 0.01 && r.0 < geo.left + geo.col_w)
            .map(|r| r.0)
            .fold(f32::MAX, f32::min)
    };
    let first_word = prose(5, 80).split_whitespace().next().unwrap().to_string();
    let first_line = body
        .iter()
        .filter(|r| (r.1 - first_y).abs() < 0.01 && r.0 < geo.left + geo.col_w)
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .unwrap();
    assert!(first_line.3.starts_with(&first_word), "{first_line:?}");
    assert!(x_at(first_y) > geo.left + 5.0);
    assert!(x_at(first_y + geo.lead) > geo.left + 5.0);
    assert!((x_at(first_y + 2.0 * geo.lead) - geo.left).abs() < 0.01);

    ed.style.drop_caps = false;
    let doc = layout_with(&ed, &mut Fake::new(&ed.style));
    assert!(
        !doc.pages[1].items.iter().any(
            |i| matches!(i, Item::Text(r) if r.size > 2.0 * geo.body_size && r.text.is_empty())
        )
    );
}

#[test]
fn an_opening_run_in_in_capitals_is_asked_for_after_the_initial() {
    let opening = |first: &str| {
        format!(
            "---\ntitle: Run-in\n---\n\n{first} {}\n\n{}\n",
            prose(5, 80),
            prose(6, 40)
        )
    };
    let run_ins = |md: &str, drop_caps: bool, run_in: bool| {
        let mut ed = edition(vec![article("r", md)], ArticleStart::NewPage);
        ed.style.drop_caps = drop_caps;
        ed.style.run_in_small_caps = run_in;
        let mut fake = Fake::new(&ed.style);
        layout_with(&ed, &mut fake);
        let mut seen = fake.run_ins;
        seen.dedup();
        seen
    };
    let md = opening("AUTHORITIES IN Kazakhstan");
    // After the drop cap's initial, the rest of the run-in.
    let with_cap = run_ins(&md, true, true);
    assert_eq!(with_cap.len(), 1, "{with_cap:?}");
    assert_eq!(with_cap[0].1, "UTHORITIES IN");
    // Without a drop cap, the whole run-in.
    let without = run_ins(&md, false, true);
    assert_eq!(without.len(), 1, "{without:?}");
    assert_eq!(without[0].1, "AUTHORITIES IN");
    // Switched off, or a normal opening, or a single word in capitals: none.
    assert!(run_ins(&md, true, false).is_empty());
    assert!(run_ins(&opening("Authorities in Kazakhstan"), true, true).is_empty());
    assert!(run_ins(&opening("NATO officials"), false, true).is_empty());
}

#[test]
fn the_opening_words_are_asked_for_in_small_capitals_when_the_style_says() {
    let md = format!(
        "---\ntitle: Opening\n---\n\nAuthorities in Kazakhstan said {}\n\n{}\n",
        prose(5, 80),
        prose(6, 40)
    );
    let asked = |words: u32, drop_caps: bool| {
        let mut ed = edition(vec![article("o", &md)], ArticleStart::NewPage);
        ed.style.opening_small_caps = words;
        ed.style.drop_caps = drop_caps;
        let mut fake = Fake::new(&ed.style);
        layout_with(&ed, &mut fake);
        let mut seen: Vec<(String, bool)> = fake
            .run_ins
            .iter()
            .zip(&fake.lower)
            .map(|((_, caps), &lower)| (caps.clone(), lower))
            .collect();
        seen.dedup();
        seen
    };
    assert_eq!(
        asked(3, false),
        [("Authorities in Kazakhstan".to_string(), true)]
    );
    // After the drop cap's initial, the rest of the words.
    assert_eq!(asked(2, true), [("uthorities in".to_string(), true)]);
    assert!(asked(0, true).is_empty());
}

/// Bottom of each column's body text on `page` (the lowest baseline per column).
fn column_bottoms(doc: &Document, page: usize, geo: &Geometry) -> Vec<f32> {
    let mut bottoms = vec![f32::MIN; geo.columns];
    for (x, y) in body_runs(doc, page, geo.body_size) {
        let k = (0..geo.columns)
            .rev()
            .find(|&k| x >= geo.col_x(k) - 0.5)
            .unwrap_or(0);
        bottoms[k] = bottoms[k].max(y);
    }
    bottoms
}

#[test]
fn a_paragraph_set_a_line_looser_balances_the_last_page() {
    let mut improved = 0;
    for seed in 1..40u64 {
        let ed = edition(
            vec![generated("a", seed, 5 + (seed as usize % 7))],
            ArticleStart::NewPage,
        );
        let mut plain = Fake::new(&ed.style);
        let geo = Geometry::new(&ed.style, &plain);
        let before = layout_with(&ed, &mut plain);
        let mut loose = Fake::new(&ed.style);
        loose.loose = true;
        let after = layout_with(&ed, &mut loose);
        let last = |d: &Document| d.pages.len() - 1;
        let spread = |d: &Document| {
            let b = column_bottoms(d, last(d), &geo);
            if b.contains(&f32::MIN) {
                return None; // a column without body text: nothing to compare
            }
            let max = b.iter().copied().fold(f32::MIN, f32::max);
            let min = b.iter().copied().fold(f32::MAX, f32::min);
            Some(((max - min) / geo.lead).round() as i32)
        };
        let (Some(b), Some(a)) = (spread(&before), spread(&after)) else {
            continue;
        };
        // Never worse; within a line whenever the plain setting was not.
        assert!(a <= b.max(1), "seed {seed}: {b} -> {a} lines");
        if b > 1 && a <= 1 {
            improved += 1;
        }
        // Grid and rules still hold on the rebalanced page.
        for (_, y) in body_runs(&after, last(&after), geo.body_size) {
            let slot = (y - geo.top - geo.base) / geo.lead;
            assert!(
                (slot - slot.round()).abs() < 0.01,
                "seed {seed}: off the grid"
            );
        }
    }
    assert!(
        improved >= 2,
        "only {improved} last pages needed and got a looser paragraph"
    );
}

#[test]
fn looser_paragraphs_fill_short_columns_on_full_pages() {
    // Total lines by which columns of full pages end above the bottom, over many
    // articles: setting a paragraph a line longer or shorter must bring it down.
    let (mut plain_total, mut loose_total) = (0, 0);
    for seed in 1..25u64 {
        let ed = edition(
            vec![generated("a", seed, 14 + (seed as usize % 9))],
            ArticleStart::NewPage,
        );
        let short = |doc: &Document, geo: &Geometry| -> i32 {
            // Pages 1.. are the article's (one article: no contents page); its last page
            // is balanced, not full.
            (1..doc.pages.len() - 1)
                .map(|page| {
                    column_bottoms(doc, page, geo)
                        .iter()
                        .map(|&y| {
                            let slot = ((y - geo.top - geo.base) / geo.lead).round() as i32;
                            geo.lines as i32 - 1 - slot
                        })
                        .sum::<i32>()
                })
                .sum()
        };
        let mut plain = Fake::new(&ed.style);
        let geo = Geometry::new(&ed.style, &plain);
        plain_total += short(&layout_with(&ed, &mut plain), &geo);
        let mut loose = Fake::new(&ed.style);
        loose.loose = true;
        loose_total += short(&layout_with(&ed, &mut loose), &geo);
    }
    assert!(
        plain_total > 0,
        "the test needs short columns to start with"
    );
    assert!(
        loose_total < plain_total,
        "short lines on full pages: {plain_total} -> {loose_total}"
    );
}

#[test]
fn endnotes_never_stand_alone_on_a_page() {
    // Bodies of many lengths, each with a note: whatever the length, the page with the
    // notes also carries the end of the body, at least two lines a column.
    for words in (900..2600).step_by(37) {
        let md = format!(
            "---\ntitle: Noted\n---\n\n{}[^1]\n\n{}\n\n[^1]: {}\n",
            prose(words as u64, words / 2),
            prose(words as u64 + 1, words / 2),
            prose(3, 40)
        );
        let mut ed = edition(vec![article("noted", &md)], ArticleStart::NewPage);
        ed.style.notes = NotePlace::End;
        let mut fake = Fake::new(&ed.style);
        let geo = Geometry::new(&ed.style, &fake);
        let doc = layout_with(&ed, &mut fake);
        let last = doc.pages.len() - 1;
        let notes_size = ed.style.sizes.footnote;
        // Note text: in the text area (the running head above it has the same size) and
        // longer than a reference mark.
        let has_notes = |page: usize| {
            doc.pages[page].items.iter().any(|i| {
                matches!(i, Item::Text(r) if (r.size - notes_size).abs() < 0.01
                    && r.y > geo.top
                    && r.text.len() > 3)
            })
        };
        assert!(
            has_notes(last),
            "{words} words: the notes are on the last page"
        );
        for page in 1..doc.pages.len() {
            if has_notes(page) {
                assert_eq!(page, last, "{words} words: notes before the last page");
            }
        }
        if last > 1 {
            // A continued last page: two lines or more in every column.
            let mut per_column = vec![0; geo.columns];
            for (x, _) in body_runs(&doc, last, geo.body_size) {
                let k = (0..geo.columns)
                    .rev()
                    .find(|&k| x >= geo.col_x(k) - 0.5)
                    .unwrap_or(0);
                per_column[k] += 1;
            }
            assert!(
                per_column.iter().all(|&c| c >= 2),
                "{words} words: body lines per column on the notes page {per_column:?}"
            );
        }
    }
}

/// The page each article opens on, in reading order (from the outline: the contents
/// entry, when there is a contents page, then each section with its articles).
fn opening_pages(doc: &Document) -> Vec<usize> {
    doc.outline
        .iter()
        .flat_map(|s| s.children.iter().map(|c| c.page))
        .collect()
}

/// Column footnotes: every note is in the column (so on the page) of its reference,
/// below every body line of that column, and notes never overlap the text or each other.
#[test]
fn footnotes_sit_at_the_foot_of_their_reference_column() {
    for seed in 1..6u64 {
        let mut md = String::from("---\ntitle: Noted\n---\n\n");
        let notes = 12;
        for k in 1..=notes {
            md.push_str(&prose(seed * 100 + k, 40 + ((seed + k) as usize * 17) % 70));
            md.push_str(&format!("[^{k}] {}\n\n", prose(seed + k, 12)));
        }
        for k in 1..=notes {
            md.push_str(&format!(
                "[^{k}]: {}\n",
                prose(seed * 7 + k, 8 + (k as usize * 5) % 40)
            ));
        }
        let ed = edition(vec![article("noted", &md)], ArticleStart::NewPage);
        let mut fake = Fake::new(&ed.style);
        let geo = Geometry::new(&ed.style, &fake);
        let doc = layout_with(&ed, &mut fake);
        let note_size = ed.style.sizes.footnote;
        let column = |x: f32| {
            (0..geo.columns)
                .rev()
                .find(|&k| x >= geo.col_x(k) - 0.5)
                .unwrap_or(0)
        };
        for k in 1..=notes {
            let mark = format!("^{k}");
            let reference = doc.pages.iter().enumerate().find_map(|(p, page)| {
                page.items.iter().find_map(|i| match i {
                    Item::Text(r)
                        if (r.size - geo.body_size).abs() < 0.01 && r.text.contains(&mark) =>
                    {
                        Some((p, column(r.x), r.y))
                    }
                    _ => None,
                })
            });
            let number = doc.pages.iter().enumerate().find_map(|(p, page)| {
                page.items.iter().find_map(|i| match i {
                    Item::Text(r)
                        if (r.size - note_size).abs() < 0.01
                            && r.text == k.to_string()
                            && r.y > geo.top =>
                    {
                        Some((p, column(r.x), r.y))
                    }
                    _ => None,
                })
            });
            let (Some((rp, rc, _)), Some((np, nc, ny))) = (reference, number) else {
                panic!("seed {seed}: note {k}: reference {reference:?}, note {number:?}");
            };
            assert_eq!(
                (rp, rc),
                (np, nc),
                "seed {seed}: note {k} left its reference"
            );
            let lowest = body_runs(&doc, rp, geo.body_size)
                .into_iter()
                .filter(|&(x, _)| column(x) == rc)
                .map(|(_, y)| y)
                .fold(f32::MIN, f32::max);
            assert!(
                ny > lowest,
                "seed {seed}: note {k} above the text of its column"
            );
            assert!(
                ny < geo.top + geo.lines as f32 * geo.lead + 0.01,
                "seed {seed}: note {k} below the text area"
            );
        }
    }
}

/// A pull quote, a subhead, a caption and a table row each longer than a column are cut
/// between their lines into units no taller than a column, and no word is lost: every
/// word is in the laid-out pages (they were one unit, cut off by the foot of the page).
#[test]
fn boxes_taller_than_a_column_are_cut_between_lines_and_keep_every_word() {
    use crate::layout::flow::SUB;
    let words = |p: &str, n: usize| {
        (0..n)
            .map(|i| format!("{p}{i}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let md = format!(
        "---\ntitle: Tall\n---\n\nText.\n\n> [!PULLQUOTE]\n> {}\n\n## {}\n\nMore.\n\n| A | B |\n|---|---|\n| {} | x |\n| y | z |\n| y | z |\n| y | z |\n\nEnd.\n",
        words("pq", 900),
        words("sh", 700),
        words("tc", 900),
    );
    let ed = edition(vec![article("tall", &md)], ArticleStart::NewPage);
    let mut fake = Fake::new(&ed.style);
    let geo = Geometry::new(&ed.style, &fake);
    let (_, a) = ed.articles().next().unwrap();
    let body = Builder::new(&mut fake, &geo, &a.language).article(a, None);
    for p in &body.main {
        assert!(
            p.unit.height <= geo.lines * SUB,
            "a unit taller than a column"
        );
    }
    let doc = layout_with(&ed, &mut fake);
    let mut text = std::collections::HashSet::new();
    for page in &doc.pages {
        for item in &page.items {
            if let Item::Text(r) = item {
                text.extend(r.text.split(' ').map(str::to_string));
            }
        }
    }
    for (p, n) in [("pq", 900), ("sh", 700), ("tc", 900)] {
        let missing = (0..n)
            .filter(|i| !text.contains(&format!("{p}{i}")))
            .count();
        assert_eq!(missing, 0, "{missing} `{p}` words lost");
    }
}

#[test]
fn line_numbers_count_as_lines_does() {
    let text = "---\ntitle: x\n---\n\nFirst para\ngraph.\n\n\nSecond.\r\nThird";
    let offsets: Vec<(usize, i32)> = (0..=text.len()).map(|i| (i, i as i32)).collect();
    let expected: Vec<(usize, i32)> = offsets
        .iter()
        .map(|&(i, d)| (text[..i].lines().count().max(1), d))
        .collect();
    assert_eq!(crate::layout::flow::line_numbers(text, offsets), expected);
}

/// A page that tries paragraphs set a line longer or shorter lays out trial copies of
/// the content: each must hold a few pages, whatever the article's length (a copy of
/// the whole article per trial, on every such page, made a 5 MB article's layout
/// quadratic). The longest trial of an article four times as long is about as long.
#[test]
fn trial_pages_copy_a_few_pages_of_the_article_not_all_of_it() {
    use crate::layout::flow::compose::TRIAL_UNITS;
    let longest = |paras: usize| {
        let ed = edition(vec![generated("a", 7, paras)], ArticleStart::NewPage);
        let mut fake = Fake::new(&ed.style);
        fake.loose = true;
        TRIAL_UNITS.with(|c| c.set(0));
        let doc = layout_with(&ed, &mut fake);
        (doc.pages.len(), TRIAL_UNITS.with(|c| c.get()))
    };
    let (small_pages, small) = longest(200);
    let (large_pages, large) = longest(800);
    assert!(small > 0, "no page was improved: the test proves nothing");
    assert!(
        large_pages >= 3 * small_pages,
        "{small_pages} and {large_pages} pages"
    );
    assert!(
        large <= small + small / 2,
        "longest trial: {small} units of {small_pages} pages, {large} of {large_pages}"
    );
}
