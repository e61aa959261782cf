//! Page numbers counted from the cover, and left and right pages mirrored: folios at the
//! outer corner, running heads with the magazine's name outside, margins swapped.

use super::fake::{Fake, edition, generated};
use super::opening_pages;
use crate::layout::flow::{Geometry, layout_with};
use crate::layout::frame::{Document, Item, LinkTarget, PageLabel, TextRun};
use crate::model::{ArticleStart, Edition};

/// `n` short articles in a style whose inner margin (30 pt) is narrower than its outer
/// one (60 pt), so that a page's side shows in where its text stands.
fn lopsided(n: usize, start: ArticleStart) -> Edition {
    let articles = (0..n)
        .map(|i| generated(&format!("a{i}"), i as u64 + 1, 4 + (i * 7) % 15))
        .collect();
    let mut ed = edition(articles, start);
    ed.style.page.margin_inner = 30.0;
    ed.style.page.margin_outer = 60.0;
    ed
}

fn runs(doc: &Document, page: usize) -> impl Iterator<Item = &TextRun> {
    doc.pages[page].items.iter().filter_map(|i| match i {
        Item::Text(r) => Some(r),
        _ => None,
    })
}

/// The folio of `page`: the run in the foot margin.
fn folio<'a>(doc: &'a Document, geo: &Geometry, page: usize) -> Option<&'a TextRun> {
    runs(doc, page).find(|r| r.y > geo.page_h - geo.margin_bottom)
}

fn right_edge(run: &TextRun) -> f32 {
    run.x + run.glyphs.iter().map(|g| g.x_advance).sum::<f32>()
}

fn close(a: f32, b: f32) -> bool {
    (a - b).abs() < 0.01
}

#[test]
fn pages_are_numbered_from_the_cover() {
    for start in [ArticleStart::NewPage, ArticleStart::RunOn] {
        // Enough articles for two contents pages on a short page.
        let mut ed = lopsided(40, start);
        ed.style.page.height = 420.0;
        let mut fake = Fake::new(&ed.style);
        let geo = Geometry::new(&ed.style, &fake);
        let doc = layout_with(&ed, &mut fake);
        let contents = doc.outline[0].page;
        let first_article = doc.outline[1].children[0].page;
        assert_eq!(first_article - contents, 2, "two contents pages");
        assert!(
            fake.warned
                .iter()
                .any(|w| w.message.contains("the contents needs 2 pages")),
            "{:?}",
            fake.warned
        );
        for (i, page) in doc.pages.iter().enumerate() {
            assert_eq!(page.label, PageLabel::Arabic(i as u32 + 1), "page {i}");
            let printed = folio(&doc, &geo, i).map(|r| r.text.clone());
            let want = (i > 0).then(|| (i + 1).to_string());
            assert_eq!(printed, want, "folio of page {i}");
        }
    }
}

#[test]
fn odd_pages_are_right_hand_pages() {
    let ed = lopsided(6, ArticleStart::NewPage);
    let mut fake = Fake::new(&ed.style);
    let geo = Geometry::new(&ed.style, &fake);
    let doc = layout_with(&ed, &mut fake);
    let (inner, outer) = (ed.style.page.margin_inner, ed.style.page.margin_outer);
    let head = ed.meta.title_issue_and_date();
    let rh = ed.style.sizes.running_head;
    let mut heads = [0, 0];
    for p in 1..doc.pages.len() {
        let number = p + 1;
        let recto = number % 2 == 1;
        // The text area: the inner margin at the left of a right-hand page.
        let (left, right) = if recto {
            (inner, geo.page_w - outer)
        } else {
            (outer, geo.page_w - inner)
        };
        let min_x = runs(&doc, p).map(|r| r.x).fold(f32::MAX, f32::min);
        assert!(close(min_x, left), "page {number}: text starts at {min_x}");
        let f = folio(&doc, &geo, p).expect("a folio");
        assert_eq!(f.text, number.to_string());
        if recto {
            assert!(
                close(right_edge(f), right),
                "page {number}: folio not at the right"
            );
        } else {
            assert!(close(f.x, left), "page {number}: folio not at the left");
        }
        // The magazine's name at the outer side, the section at the inner side.
        let top: Vec<&TextRun> = runs(&doc, p)
            .filter(|r| close(r.size, rh) && r.y < geo.top)
            .collect();
        if let [a, b] = top[..] {
            let (name, section) = if a.text == head { (a, b) } else { (b, a) };
            assert_eq!(name.text, head);
            assert!(section.text.starts_with("Section "), "{}", section.text);
            if recto {
                assert!(close(section.x, left), "page {number}: section not inside");
                assert!(name.x > section.x, "page {number}: name not outside");
            } else {
                assert!(close(name.x, left), "page {number}: name not outside");
                assert!(section.x > name.x, "page {number}: section not inside");
            }
            heads[usize::from(recto)] += 1;
        } else {
            assert!(top.is_empty(), "page {number}: {} head runs", top.len());
        }
    }
    assert!(heads[0] > 0 && heads[1] > 0, "running heads on both sides");
}

#[test]
fn contents_and_outline_give_the_printed_page_numbers() {
    let ed = lopsided(7, ArticleStart::RunOn);
    let mut fake = Fake::new(&ed.style);
    let geo = Geometry::new(&ed.style, &fake);
    let doc = layout_with(&ed, &mut fake);
    let opening = opening_pages(&doc);
    assert_eq!(opening.len(), 7);
    // Each contents entry: its link and its number, on the same line.
    let mut entries = Vec::new();
    for item in &doc.pages[1].items {
        let Item::Link {
            x,
            y,
            width,
            height,
            target: LinkTarget::Page { page, y: at },
            ..
        } = item
        else {
            continue;
        };
        let number = runs(&doc, 1)
            .find(|r| {
                r.y > *y
                    && r.y < *y + *height
                    && r.x >= *x - 0.01
                    && r.x < *x + *width
                    && r.text.chars().all(|c| c.is_ascii_digit())
            })
            .expect("a page number in the entry");
        entries.push((*page, *at, number.text.clone()));
    }
    assert_eq!(entries.len(), opening.len());
    let articles = doc.outline[1..].iter().flat_map(|s| s.children.iter());
    for ((page, at, number), entry) in entries.iter().zip(articles) {
        assert_eq!(*page, entry.page, "{}", entry.title);
        assert!(close(*at, entry.y), "{}", entry.title);
        let PageLabel::Arabic(label) = doc.pages[*page].label else {
            panic!("arabic labels");
        };
        assert_eq!(number, &label.to_string(), "{}", entry.title);
        assert_eq!(number, &(page + 1).to_string(), "{}", entry.title);
        assert_eq!(folio(&doc, &geo, *page).map(|r| &r.text), Some(number));
    }
    // Run-on articles share pages: some open on an odd page, some on an even one.
    assert!(opening.iter().any(|p| (p + 1) % 2 == 0));
    assert!(opening.iter().any(|p| (p + 1) % 2 == 1));
}
