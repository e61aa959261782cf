//! Page make-up: article starts (auto, recto, spread, run-on, per section) and
//! copyfitting, measured on the frames as a reader would see the pages.

use super::fake::{Fake, article, edition, generated, prose};
use crate::layout::flow::{Geometry, is_verso, layout_with};
use crate::layout::frame::{Document, Item};
use crate::model::{ArticleStart, Edition};

/// How full each page is: the mean over the columns of how deep the lowest text or
/// rule in the column reaches into the text area (0 empty, 1 full). Furniture outside
/// the text area (running heads, folios) does not count.
fn fills(doc: &Document, geo: &Geometry) -> Vec<f32> {
    let bottom = geo.top + geo.lines as f32 * geo.lead;
    doc.pages
        .iter()
        .enumerate()
        .map(|(p, page)| {
            let dx = if is_verso(p) { geo.verso_dx } else { 0.0 };
            let mut depth = vec![geo.top; geo.columns];
            let mut mark = |x0: f32, x1: f32, y: f32| {
                if y <= geo.top || y > bottom + 1.0 {
                    return;
                }
                for (k, d) in depth.iter_mut().enumerate() {
                    let cx = geo.col_x(k) + dx;
                    if x1 > cx + 1.0 && x0 < cx + geo.col_w - 1.0 {
                        *d = d.max(y.min(bottom));
                    }
                }
            };
            for item in &page.items {
                match item {
                    Item::Text(r) => {
                        let w: f32 = r.glyphs.iter().map(|g| g.x_advance).sum();
                        mark(r.x, r.x + w, r.y + 0.25 * r.size);
                    }
                    Item::Rect {
                        x,
                        y,
                        width,
                        height,
                        ..
                    } => mark(*x, x + width, y + height),
                    _ => {}
                }
            }
            let area = bottom - geo.top;
            depth.iter().map(|d| (d - geo.top) / area).sum::<f32>() / geo.columns as f32
        })
        .collect()
}

/// Articles of many lengths, from a few paragraphs to several pages.
fn varied(n: usize, start: ArticleStart) -> Edition {
    let articles = (0..n)
        .map(|i| generated(&format!("v{i}"), 11 + i as u64, 5 + (i * 11) % 37))
        .collect();
    edition(articles, start)
}

/// The page each article opens on (0-based), from the outline.
fn openings(doc: &Document) -> Vec<usize> {
    doc.outline[1..]
        .iter()
        .flat_map(|s| s.children.iter().map(|c| c.page))
        .collect()
}

#[test]
fn auto_start_leaves_no_page_under_a_third_full() {
    let ed = varied(9, ArticleStart::Auto);
    let mut fake = Fake::new(&ed.style);
    fake.loose = true;
    let geo = Geometry::new(&ed.style, &fake);
    let doc = layout_with(&ed, &mut fake);
    let f = fills(&doc, &geo);
    let last = doc.pages.len() - 1;
    for (p, fill) in f.iter().enumerate().take(last).skip(2) {
        assert!(*fill >= 1.0 / 3.0, "page {} is {fill:.2} full", p + 1);
    }
    assert_eq!(doc.fits.len(), 9);
    assert!(doc.fits.iter().all(|f| !f.stranded));
    // The same articles each on new pages strand some pages: the test has teeth.
    let ed = varied(9, ArticleStart::NewPage);
    let mut fake = Fake::new(&ed.style);
    let doc = layout_with(&ed, &mut fake);
    let f = fills(&doc, &geo);
    let stranded = f[2..doc.pages.len() - 1]
        .iter()
        .filter(|&&x| x < 1.0 / 3.0)
        .count();
    assert!(stranded > 0, "new-page layout strands nothing: {f:?}");
    assert_eq!(
        doc.fits.iter().filter(|f| f.stranded).count(),
        stranded,
        "the report names the stranded articles"
    );
}

#[test]
fn copyfitting_absorbs_short_tails() {
    // One article of many lengths, alone on its pages: whenever its last page would
    // hold a short tail, paragraphs across the article are set a line tighter (or
    // looser) until it does not; the report says which.
    let mut stranded_before = 0;
    let mut fixed = 0;
    for paras in (40..120).step_by(3) {
        // Short paragraphs (3 to 7 lines), as in news pages: many places to gain a line.
        let mut md = String::from("---\ntitle: Copy\n---\n\n");
        for p in 0..paras {
            md.push_str(&prose(p as u64 * 13 + 1, 28 + (p * 7) % 34));
            md.push_str("\n\n");
        }
        let ed = edition(
            vec![article("c", &md), generated("d", 4, 6)],
            ArticleStart::NewPage,
        );
        let mut plain = Fake::new(&ed.style);
        let geo = Geometry::new(&ed.style, &plain);
        // Without looseness the fake cannot copyfit: the plain layout.
        let before = layout_with(&ed, &mut plain);
        let tail = before.fits[0].last_page_fill;
        let mut fake = Fake::new(&ed.style);
        fake.loose = true;
        let after = layout_with(&ed, &mut fake);
        let fit = &after.fits[0];
        let page = fit.first_page + fit.pages - 2;
        let measured = fills(&after, &geo)[page];
        assert!(
            (measured - fit.last_page_fill).abs() < 0.05,
            "{paras}: report {:.2}, frames {measured:.2}",
            fit.last_page_fill
        );
        if tail < 1.0 / 3.0 && before.fits[0].pages > 1 {
            stranded_before += 1;
            if !fit.stranded {
                fixed += 1;
                assert!(!fit.reset.is_empty(), "{paras}: fixed without a re-set");
                assert!(measured >= 1.0 / 3.0, "{paras}: {measured:.2}");
            }
        }
    }
    assert!(
        stranded_before >= 3,
        "only {stranded_before} stranded tails"
    );
    assert!(
        fixed * 2 >= stranded_before,
        "copyfitting fixed {fixed} of {stranded_before}"
    );
}

#[test]
fn recto_and_spread_openings_fall_on_their_side() {
    for (start, verso) in [(ArticleStart::Recto, false), (ArticleStart::Spread, true)] {
        let ed = varied(6, start);
        let mut fake = Fake::new(&ed.style);
        let doc = layout_with(&ed, &mut fake);
        for p in openings(&doc) {
            assert_eq!(
                is_verso(p),
                verso,
                "{start:?}: article opens on page {}",
                p + 1
            );
        }
        // Blank pages carry nothing, not even a folio.
        let blanks = doc.pages.iter().filter(|p| p.items.is_empty()).count();
        assert!(blanks > 0, "{start:?}: no blank page was needed");
    }
}

#[test]
fn a_section_may_run_on_under_a_new_page_style() {
    // Section 2 (articles 2 and 3) opens with a short article, so there is room below.
    let sizes = [20, 12, 5, 9, 14, 7];
    let articles = sizes
        .iter()
        .enumerate()
        .map(|(i, &n)| generated(&format!("s{i}"), 21 + i as u64, n))
        .collect();
    let mut ed = edition(articles, ArticleStart::NewPage);
    ed.sections[1].article_start = Some(ArticleStart::RunOn);
    let mut fake = Fake::new(&ed.style);
    let doc = layout_with(&ed, &mut fake);
    let open = openings(&doc);
    let tops: Vec<f32> = doc.outline[1..]
        .iter()
        .flat_map(|s| s.children.iter().map(|c| c.y))
        .collect();
    // Section 2 holds articles 2 and 3: the second starts below the first's end.
    assert!(tops[3] > ed.style.page.margin_top + 1.0, "{tops:?}");
    assert!(doc.fits[3].runs_on);
    // Everywhere else articles open at the top of a page.
    for (i, y) in tops.iter().enumerate().filter(|&(i, _)| i != 3) {
        assert!(
            (y - ed.style.page.margin_top).abs() < 1.0,
            "article {i} at {y}"
        );
    }
    assert!(open.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn under_auto_an_article_runs_on_exactly_after_a_stranded_page() {
    let mut seen = [false; 2];
    for words in (600..2400).step_by(150) {
        let long = format!("---\ntitle: Long\n---\n\n{}\n", prose(5, words));
        let ed = edition(
            vec![article("long", &long), generated("next", 9, 8)],
            ArticleStart::Auto,
        );
        let doc = layout_with(&ed, &mut Fake::new(&ed.style));
        let stranded = doc.fits[0].last_page_fill < super::super::fit::THIRD;
        assert_eq!(doc.fits[1].runs_on, stranded, "{words}: {:?}", doc.fits);
        seen[usize::from(stranded)] = true;
    }
    assert_eq!(seen, [true, true], "both cases met");
}

#[test]
fn a_short_block_quote_is_never_split_across_columns() {
    let mut splits_possible = 0;
    for words in (200..1400).step_by(23) {
        let md = format!(
            "---\ntitle: Quoted\n---\n\n{}\n\n> {}\n>\n> \u{2014} A. Speaker\n\n{}\n",
            prose(7, words),
            prose(8, 45),
            prose(9, 400)
        );
        let ed = edition(
            vec![article("q", &md), generated("n", 2, 4)],
            ArticleStart::NewPage,
        );
        let mut fake = Fake::new(&ed.style);
        let geo = Geometry::new(&ed.style, &fake);
        let doc = layout_with(&ed, &mut fake);
        let indent = 1.5 * geo.body_size;
        let geo = &geo;
        // Quote lines start one quote indent inside a column.
        let places: Vec<(usize, usize)> = doc
            .pages
            .iter()
            .enumerate()
            .flat_map(|(p, page)| {
                page.items.iter().filter_map(move |i| match i {
                    Item::Text(r) if (r.size - geo.body_size).abs() < 0.01 => {
                        let dx = if is_verso(p) { geo.verso_dx } else { 0.0 };
                        (0..geo.columns)
                            .find(|&k| (r.x - (geo.col_x(k) + dx + indent)).abs() < 0.01)
                            .map(|k| (p, k))
                    }
                    _ => None,
                })
            })
            .collect();
        assert!(places.len() >= 4, "{words}: quote lines {places:?}");
        assert!(
            places.windows(2).all(|w| w[0] == w[1]),
            "{words}: the quote is split: {places:?}"
        );
        splits_possible += usize::from(places[0].1 > 0 || places[0].0 > 1);
    }
    assert!(splits_possible > 5, "the quote never met a column break");
}

#[test]
fn a_long_article_set_again_for_copyfitting_gives_the_same_pages() {
    // A long article is not copied before its first layout; when it is stranded, its
    // body is set again for copyfitting. That path must give the pages of the copy.
    use crate::layout::dump::dump;
    use crate::layout::flow::fit::{COPY_LIMIT, COPY_UP_TO};
    use std::sync::atomic::Ordering::Relaxed;
    let mut copyfitted = 0;
    for paras in (40..100).step_by(7) {
        let mut md = String::from("---\ntitle: Copy\n---\n\n");
        for p in 0..paras {
            md.push_str(&prose(p as u64 * 13 + 1, 28 + (p * 7) % 34));
            md.push_str("\n\n");
        }
        let ed = edition(vec![article("c", &md)], ArticleStart::NewPage);
        let lay = |limit: usize| {
            COPY_LIMIT.store(limit, Relaxed);
            let mut fake = Fake::new(&ed.style);
            fake.loose = true;
            let doc = layout_with(&ed, &mut fake);
            COPY_LIMIT.store(COPY_UP_TO, Relaxed);
            doc
        };
        let copied = lay(usize::MAX);
        let rebuilt = lay(0);
        assert_eq!(
            dump(&copied, &ed.style.page),
            dump(&rebuilt, &ed.style.page),
            "{paras} paragraphs"
        );
        assert_eq!(copied.fits[0].reset, rebuilt.fits[0].reset);
        copyfitted += usize::from(!copied.fits[0].reset.is_empty());
    }
    assert!(copyfitted > 0, "no case was copyfitted");
}
