//! The print PDF's page count: blank pages up to a multiple of four, before the back
//! cover when it opens an article, after the end when it continues one.

use super::fake::Fake;
use super::sample;
use crate::layout::flow::{layout_padded, layout_with, padding};
use crate::layout::frame::PageLabel;
use crate::model::ArticleStart;

#[test]
fn padding_counts_the_pages_to_the_next_multiple() {
    assert_eq!(padding(12, 4), 0);
    assert_eq!(padding(13, 4), 3);
    assert_eq!(padding(14, 4), 2);
    assert_eq!(padding(15, 4), 1);
    assert_eq!(padding(1, 4), 3);
    assert_eq!(padding(7, 1), 0);
    assert_eq!(padding(7, 0), 0);
    assert_eq!(padding(17, 16), 15);
}

#[test]
fn padded_layouts_keep_every_page_and_add_blank_ones() {
    for n in 1..6 {
        let ed = sample(n, ArticleStart::NewPage);
        let plain = layout_with(&ed, &mut Fake::new(&ed.style));
        let (padded, pad) = layout_padded(&ed, &mut Fake::new(&ed.style), 4);
        assert_eq!(pad, padding(plain.pages.len(), 4), "{n} articles");
        assert_eq!(padded.pages.len(), plain.pages.len() + pad);
        assert_eq!(padded.pages.len() % 4, 0);
        // Labels still count every page from the cover.
        for (i, p) in padded.pages.iter().enumerate() {
            assert_eq!(p.label, PageLabel::Arabic(i as u32 + 1));
        }
        // The added pages are empty (no folio, no running head), and the pages with
        // something on them are the unpadded layout's, in order.
        let blank = padded.pages.iter().filter(|p| p.items.is_empty()).count();
        let blank_before = plain.pages.iter().filter(|p| p.items.is_empty()).count();
        assert_eq!(blank, blank_before + pad, "{n} articles");
        // Articles start where the contents and the fits say, moved by the padding.
        assert_eq!(padded.fits.len(), plain.fits.len());
        for fit in &padded.fits {
            let page = &padded.pages[fit.first_page - 1];
            assert!(
                !page.items.is_empty(),
                "{n} articles: article on a blank page"
            );
        }
    }
}

#[test]
fn blank_pages_go_before_a_back_cover_that_opens_an_article() {
    // Find a sample whose last page opens an article (each article on new pages: a
    // one-page last article does) and that needs padding.
    let mut checked = [0, 0];
    for n in 1..8 {
        let ed = sample(n, ArticleStart::NewPage);
        let plain = layout_with(&ed, &mut Fake::new(&ed.style));
        let last = plain.fits.last().unwrap();
        let opens_last = last.first_page == plain.pages.len();
        let (padded, pad) = layout_padded(&ed, &mut Fake::new(&ed.style), 4);
        if pad == 0 {
            continue;
        }
        let moved = padded.fits.last().unwrap();
        checked[usize::from(opens_last)] += 1;
        if opens_last {
            assert_eq!(
                moved.first_page,
                padded.pages.len(),
                "{n}: the back cover moved"
            );
            assert!(padded.pages[padded.pages.len() - 2].items.is_empty());
        } else {
            assert_eq!(
                moved.first_page, last.first_page,
                "{n}: an article was split"
            );
            assert!(padded.pages.last().unwrap().items.is_empty());
        }
    }
    assert!(
        checked.iter().sum::<i32>() > 0,
        "no sample needed padding: {checked:?}"
    );
}

#[test]
fn a_page_list_skeleton_gives_the_whole_layout_s_page_list_and_cover() {
    use crate::layout::flow::{assemble, flow};
    use crate::layout::frame::{Document, Item};
    use crate::layout::pages::page_breaks;
    let glyphs = |d: &Document| -> usize {
        d.pages
            .iter()
            .flat_map(|p| &p.items)
            .map(|i| match i {
                Item::Text(run) => run.glyphs.len(),
                _ => 0,
            })
            .sum()
    };
    for start in [
        ArticleStart::NewPage,
        ArticleStart::Spread,
        ArticleStart::RunOn,
    ] {
        for n in 1..6 {
            let ed = sample(n, start);
            let flowed = flow(&ed, &mut Fake::new(&ed.style));
            let skeleton = flowed.page_list_skeleton();
            let (whole, pad) = assemble(&ed, &mut Fake::new(&ed.style), flowed, 4);
            let (light, light_pad) = assemble(&ed, &mut Fake::new(&ed.style), skeleton, 4);
            let what = format!("{n} articles, {start:?}");
            assert_eq!(pad, light_pad, "{what}");
            assert_eq!(whole.pages.len(), light.pages.len(), "{what}");
            let breaks = page_breaks(&whole);
            assert!(
                breaks.len() > n,
                "{what}: the page list marks every article"
            );
            assert_eq!(breaks, page_breaks(&light), "{what}");
            assert_eq!(
                format!("{:?}", whole.pages[0]),
                format!("{:?}", light.pages[0]),
                "{what}: the cover is whole"
            );
            assert!(
                glyphs(&light) * 2 < glyphs(&whole),
                "{what}: the skeleton is light"
            );
        }
    }
}
