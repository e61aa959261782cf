//! Layout: the model set into pages of frames, between the model and the writers.
//!
//! Stages: `font` finds the faces, `shape` and `hyphenate` measure words,
//! `inline` sets paragraphs into justified lines (its `linebreak` is the pure
//! total-fit breaker), `flow` puts lines into columns and pages, and the result is a
//! [`frame::Document`]: positioned glyph runs, rules, images and links that any writer
//! can turn into a file. Knows nothing of PDF.

pub mod dump;
pub(crate) mod flow;
pub(crate) mod font;

pub use font::{FaceInfo, FontOrigin, FontSources, catalogue as available_fonts};
pub mod frame;
pub(crate) mod hyphenate;
pub mod impose;
pub(crate) mod inline;
pub mod pages;
pub(crate) mod shape;

use std::time::{Duration, Instant};

use crate::diag::Diagnostic;
use crate::model::Edition;

/// A laid-out edition with the warnings its text raised and the time each stage took.
#[derive(Debug)]
pub struct Laid {
    /// The pages and what the writers need with them.
    pub document: frame::Document,
    /// Warnings raised while setting text (missing glyphs and the like).
    pub warnings: Vec<Diagnostic>,
    /// `fonts` and `layout`, in that order.
    pub timings: Vec<(String, Duration)>,
    /// Blank pages added to bring the page count to the multiple asked for
    /// ([`layout_padded`]); 0 from [`layout`].
    pub padded_pages: usize,
}

/// The print edition's page count is brought up to a multiple of this (saddle
/// stitching folds sheets of four pages).
pub const PRINT_PAGE_MULTIPLE: usize = 4;

/// Where each page of the print edition begins ([`pages::page_breaks`]), with the folios
/// it prints: the EPUB's page list.
pub fn print_page_breaks(edition: &Edition) -> Result<Vec<crate::model::PageBreak>, Diagnostic> {
    let laid = layout_padded(edition, PRINT_PAGE_MULTIPLE)?;
    Ok(pages::page_breaks(&laid.document))
}

/// Loads the edition's fonts and lays the whole edition out. Fails only when a font the
/// style names cannot be found.
pub fn layout(edition: &Edition) -> Result<Laid, Diagnostic> {
    layout_padded(edition, 1)
}

/// [`layout`] with the page count brought up to a multiple of `multiple` (4 for a
/// saddle-stitched print run) by blank pages without folio: before the last page (the
/// back cover) when it opens an article, else after it, so no article is split.
pub fn layout_padded(edition: &Edition, multiple: usize) -> Result<Laid, Diagnostic> {
    let start = Instant::now();
    let sources = font::FontSources {
        dirs: &edition.font_dirs,
        edition: Some(&edition.root),
        paths: &edition.font_paths,
        system: edition.system_fonts,
    };
    let fonts = font::FontBook::load_from(&edition.style, &sources, edition.limits.font_file)?;
    let t_fonts = start.elapsed();

    let start = Instant::now();
    let mut ctx = inline::TextContext::new(&fonts, &edition.style);
    let (mut document, padded_pages) = flow::layout_padded(edition, &mut ctx, multiple);
    document.fonts = fonts.faces();
    let warnings = std::mem::take(&mut ctx.warnings);
    let t_layout = start.elapsed();

    Ok(Laid {
        document,
        warnings,
        timings: vec![
            ("fonts".to_string(), t_fonts),
            ("layout".to_string(), t_layout),
        ],
        padded_pages,
    })
}
