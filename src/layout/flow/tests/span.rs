//! Figures across columns: placed at the top or foot of the page of their text, over the
//! columns they span, with the text beside and under them on the grid and clear of them.

use std::path::PathBuf;
use std::sync::Arc;

use super::fake::{Fake, edition, generated};
use crate::layout::flow::{Geometry, layout_with};
use crate::layout::frame::{Document, Item};
use crate::layout::inline::Role;
use crate::model::{
    ArticleStart, Block, BlockKind, Figure, FigurePlace, FigureSpan, Image, ImageFormat, Inline,
    Span,
};

/// A generated article with a 2:1 figure (with a caption) inserted before block `at`
/// (or at the end).
fn with_figure(span: FigureSpan, place: FigurePlace, at: usize) -> crate::model::Edition {
    let mut article = generated("fig", 5, 16);
    let figure = Figure {
        image: Image {
            path: PathBuf::from("/nonexistent/images/wide.png"),
            rel_path: "images/wide.png".into(),
            alt: "A wide picture".into(),
            format: ImageFormat::Png,
            width_px: 1200,
            height_px: 600,
            data: Arc::new(Vec::new()),
        },
        caption: vec![Inline::text(
            "A caption long enough to need a second line under a wide figure, or so one hopes.",
            Span::default(),
        )],
        span,
        place,
    };
    let at = at.min(article.blocks.len());
    article
        .blocks
        .insert(at, Block::from(BlockKind::Figure(figure)));
    edition(vec![article], ArticleStart::NewPage)
}

/// The one image of the document: its page and its box (x, y, width, height).
fn the_image(doc: &Document) -> (usize, [f32; 4]) {
    let mut found = Vec::new();
    for (p, page) in doc.pages.iter().enumerate() {
        for item in &page.items {
            if let Item::Image {
                x,
                y,
                width,
                height,
                image,
                ..
            } = item
                && image.alt == "A wide picture"
            {
                found.push((p, [*x, *y, *width, *height]));
            }
        }
    }
    assert_eq!(found.len(), 1, "the figure is drawn once");
    found[0]
}

/// Text runs of `size` on `page`: (x, baseline).
fn runs(doc: &Document, page: usize, size: f32) -> Vec<(f32, f32)> {
    doc.pages[page]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Text(r) if (r.size - size).abs() < 0.01 => Some((r.x, r.y)),
            _ => None,
        })
        .collect()
}

fn column(geo: &Geometry, x: f32) -> usize {
    (((x - geo.left) / (geo.col_w + geo.gutter)).floor().max(0.0) as usize).min(geo.columns - 1)
}

/// Body lines on `page` are on the grid, inside the text area and one to a grid line
/// in each column; returns them as (column, baseline).
fn check_grid(doc: &Document, page: usize, geo: &Geometry) -> Vec<(usize, f32)> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for (x, y) in runs(doc, page, geo.body_size) {
        let slot = (y - geo.top - geo.base) / geo.lead;
        assert!(
            (slot - slot.round()).abs() < 0.01,
            "page {page}: y {y} off the grid"
        );
        assert!(slot.round() >= 0.0 && slot.round() < geo.lines as f32);
        let k = column(geo, x);
        // A line may be several runs (a drop cap's neighbours); count each slot once.
        if seen.insert((k, slot.round() as i32)) {
            out.push((k, y));
        }
    }
    out
}

#[test]
fn a_two_column_figure_opens_the_first_columns_of_its_page() {
    let ed = with_figure(FigureSpan::Columns(2), FigurePlace::Top, 3);
    let mut fake = Fake::new(&ed.style);
    let geo = Geometry::new(&ed.style, &fake);
    assert_eq!(geo.columns, 3, "the test needs three columns");
    let doc = layout_with(&ed, &mut fake);
    let (page, [x, y, w, h]) = the_image(&doc);
    // The article opens on page 2 (after the cover; one article has no contents page);
    // its fourth block is on that page.
    assert_eq!(page, 1);
    let two = 2.0 * geo.col_w + geo.gutter;
    assert!(
        (x - geo.left).abs() < 0.01 && (w - two).abs() < 0.01,
        "{x} {w}"
    );
    assert!((h - w / 2.0).abs() < 0.01, "aspect kept: {w} x {h}");
    // At the top of the columns: under the head, above every body line of the page.
    let lines = check_grid(&doc, page, &geo);
    let first = lines.iter().map(|l| l.1).fold(f32::MAX, f32::min);
    assert!(y < first, "figure at {y}, first line at {first}");
    // Its caption under it, inside the two columns.
    let (caption, _) = ed.style.size_and_leading(Role::Caption);
    let caption_runs = runs(&doc, page, caption);
    assert!(!caption_runs.is_empty());
    let bottom = caption_runs.iter().map(|r| r.1).fold(y + h, f32::max);
    for (cx, _) in &caption_runs {
        assert!(column(&geo, *cx) < 2);
    }
    // The text of the columns it covers starts below it; the third column beside it.
    let mut beside = 0;
    for (k, base) in &lines {
        if *k < 2 {
            assert!(
                base - geo.base > bottom,
                "column {k}: line at {base} under {bottom}"
            );
        } else if *base < y + h {
            beside += 1;
        }
    }
    assert!(
        beside > 5,
        "the third column runs beside the figure: {beside} lines"
    );
    // The next pages are ordinary: full columns from the top.
    for p in page + 1..doc.pages.len() {
        check_grid(&doc, p, &geo);
    }
}

#[test]
fn a_full_width_figure_at_the_foot_shortens_every_column() {
    // At the very end of the article: its anchor is dropped with the trailing space,
    // and it still goes on the last page.
    let ed = with_figure(FigureSpan::Full, FigurePlace::Bottom, usize::MAX);
    let mut fake = Fake::new(&ed.style);
    let geo = Geometry::new(&ed.style, &fake);
    let doc = layout_with(&ed, &mut fake);
    let (page, [x, y, w, h]) = the_image(&doc);
    assert_eq!(page, doc.pages.len() - 1, "on the article's last page");
    // As wide as the text, or narrower and centred when that would be too tall.
    let centre = x + w / 2.0;
    assert!((centre - (geo.left + geo.text_w / 2.0)).abs() < 0.01);
    assert!(w <= geo.text_w + 0.01 && h <= 0.5 * geo.lines as f32 * geo.lead + 0.01);
    assert!((h / w - 0.5).abs() < 0.001, "aspect kept: {w} x {h}");
    // Inside the text area, every body line above it.
    assert!(y + h <= geo.top + geo.lines as f32 * geo.lead);
    for (k, base) in check_grid(&doc, page, &geo) {
        assert!(
            base < y,
            "column {k}: a line at {base} under the figure at {y}"
        );
    }
}

#[test]
fn a_page_holds_one_spanning_figure_and_the_next_waits() {
    // Two figures one after the other: the second opens the next page's columns.
    let mut ed = with_figure(FigureSpan::Columns(2), FigurePlace::Top, 1);
    let blocks = &mut ed.sections[0].articles[0].blocks;
    let mut second = blocks[1].clone();
    if let BlockKind::Figure(f) = &mut second.kind {
        f.image.alt = "Another picture".into();
    }
    blocks.insert(2, second);
    let mut fake = Fake::new(&ed.style);
    let geo = Geometry::new(&ed.style, &fake);
    let doc = layout_with(&ed, &mut fake);
    let tops: Vec<(usize, f32)> = doc
        .pages
        .iter()
        .enumerate()
        .flat_map(|(p, page)| {
            page.items.iter().filter_map(move |i| match i {
                Item::Image { y, .. } => Some((p, *y)),
                _ => None,
            })
        })
        .collect();
    assert_eq!(tops.len(), 2, "{tops:?}");
    assert_eq!((tops[0].0, tops[1].0), (1, 2));
    assert!((tops[1].1 - geo.top).abs() < 0.01, "at the top: {tops:?}");
    for p in 1..doc.pages.len() {
        check_grid(&doc, p, &geo);
    }
}

#[test]
fn a_spanning_figure_taller_than_a_page_is_set_in_the_text_run() {
    // A caption of 3,000 words makes the figure taller than a page: it could never be
    // placed, and the flow once made empty pages waiting for room, without end. Laid out
    // on a thread with a deadline, so a regression fails instead of hanging the suite.
    let mut ed = with_figure(FigureSpan::Columns(2), FigurePlace::Top, 3);
    let caption = "tall caption word ".repeat(1000);
    if let BlockKind::Figure(f) = &mut ed.sections[0].articles[0].blocks[3].kind {
        f.caption = vec![Inline::text(&caption, Span::default())];
    }
    let (caption_size, _) = ed.style.size_and_leading(Role::Caption);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut fake = Fake::new(&ed.style);
        let geo = Geometry::new(&ed.style, &fake);
        let doc = layout_with(&ed, &mut fake);
        let _ = tx.send((doc, geo, fake.warned));
    });
    let (doc, geo, warned) = rx
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("the layout ends");
    let (_, [x, _, w, _]) = the_image(&doc);
    assert!(
        w <= geo.col_w + 0.01 && column(&geo, x) == column(&geo, x + w - 0.01),
        "one column wide: {x} {w}"
    );
    assert!(
        warned
            .iter()
            .any(|d| d.message.contains("cannot span columns")),
        "{warned:?}"
    );
    // The caption is drawn, cut between its lines over the pages.
    let lines: usize = doc
        .pages
        .iter()
        .map(|p| {
            p.items
                .iter()
                .filter(|i| matches!(i, Item::Text(r) if (r.size - caption_size).abs() < 0.01))
                .count()
        })
        .sum();
    assert!(lines > 100, "{lines} caption runs");
}
