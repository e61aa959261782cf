//! The EPUB reads a light copy of the print layout (`LaidEdition::page_list`): each page
//! keeps only what its page list needs. It must still show every face each page sets
//! text in, since the EPUB embeds the faces the layout used.

mod common;

use std::collections::BTreeSet;

use quire::layout::LaidEdition;
use quire::layout::frame::{Document, Item};

/// The font ids each page's text runs use.
fn faces(document: &Document) -> Vec<BTreeSet<u16>> {
    document
        .pages
        .iter()
        .map(|page| {
            page.items
                .iter()
                .filter_map(|item| match item {
                    Item::Text(run) => Some(run.font.0),
                    _ => None,
                })
                .collect()
        })
        .collect()
}

#[test]
fn the_page_list_layout_keeps_every_face_of_every_page() {
    let edition = quire::edition::load(&common::root().join("editions/sample"))
        .unwrap_or_else(|e| panic!("the sample does not load: {e}"));
    let multiple = quire::layout::PRINT_PAGE_MULTIPLE;
    let whole = LaidEdition::new(&edition, &[multiple]);
    let light = LaidEdition::with_page_lists(&edition, &[], &[multiple]);
    let whole = &whole.padded_to(multiple).expect("laid out").document;
    let light = &light.page_list(multiple).expect("laid out").document;
    let used: BTreeSet<u16> = faces(whole).into_iter().flatten().collect();
    assert!(used.len() >= 3, "the sample sets text in {used:?}");
    assert_eq!(faces(whole), faces(light));
}
