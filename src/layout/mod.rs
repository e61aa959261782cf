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
pub mod licence;
pub mod pages;
pub(crate) mod shape;

use std::sync::atomic::{AtomicUsize, Ordering};
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
    /// `fonts`, `articles` and `assemble`, in that order, from [`layout`] and
    /// [`layout_padded`]; empty in a [`LaidEdition`] (which has them).
    pub timings: Vec<(String, Duration)>,
    /// Blank pages added to bring the page count to the multiple asked for
    /// ([`layout_padded`]); 0 from [`layout`].
    pub padded_pages: usize,
}

/// The print edition's page count is brought up to a multiple of this (saddle
/// stitching folds sheets of four pages).
pub const PRINT_PAGE_MULTIPLE: usize = 4;

/// How many times this process has laid an edition's articles out (the expensive part of
/// the layout, [`LaidEdition::new`]): a build does it once whatever outputs it makes, and
/// a test checks that.
pub fn articles_laid() -> usize {
    ARTICLES_LAID.load(Ordering::Relaxed)
}

static ARTICLES_LAID: AtomicUsize = AtomicUsize::new(0);

/// Loads the edition's fonts and lays the whole edition out. Fails only when a font the
/// style names cannot be found.
pub fn layout(edition: &Edition) -> Result<Laid, Diagnostic> {
    layout_padded(edition, 1)
}

/// [`layout`] with the page count brought up to a multiple of `multiple` (4 for a
/// saddle-stitched print run) by blank pages without folio: before the last page (the
/// back cover) when it opens an article, else after it, so no article is split.
pub fn layout_padded(edition: &Edition, multiple: usize) -> Result<Laid, Diagnostic> {
    let mut laid = LaidEdition::new(edition, &[multiple]);
    match laid.laid {
        Ok(ref mut docs) => {
            let (_, mut one) = docs.pop().expect("one multiple asked for, one document");
            one.timings = std::mem::take(&mut laid.timings);
            Ok(one)
        }
        Err(d) => Err(d),
    }
}

/// An edition laid out once for a build: the articles set into pages once, then the
/// document assembled for each page multiple the outputs read (1: the archive PDF and
/// the preflight; [`PRINT_PAGE_MULTIPLE`]: the print and imposed PDFs and the EPUB's
/// print page list). Padding only adds blank pages and renumbers what follows them, so
/// assembling is cheap next to laying the articles out.
#[derive(Debug)]
pub struct LaidEdition {
    /// Each multiple with its document, or why the edition could not be laid out.
    laid: Result<Vec<(usize, Laid)>, Diagnostic>,
    /// The multiples laid out for their page list only ([`LaidEdition::page_list`]).
    lists: Vec<usize>,
    /// `fonts`, `articles` and `assemble`; empty when nothing was laid out.
    pub timings: Vec<(String, Duration)>,
}

impl LaidEdition {
    /// Loads the edition's fonts, lays the edition out and assembles a document for each
    /// of `multiples`. Nothing is laid out when `multiples` is empty. When a font the
    /// style names cannot be found, every document is that error ([`LaidEdition::padded_to`]).
    pub fn new(edition: &Edition, multiples: &[usize]) -> Self {
        LaidEdition::with_page_lists(edition, multiples, &[])
    }

    /// [`LaidEdition::new`] for `whole`, and for each of `page_lists` not in `whole` only
    /// what the print page list and the cover read ([`LaidEdition::page_list`]): the EPUB
    /// needs no more, and a whole document holds about 30 bytes per byte of text.
    pub fn with_page_lists(edition: &Edition, whole: &[usize], page_lists: &[usize]) -> Self {
        let mut multiples = whole.to_vec();
        multiples.sort_unstable();
        multiples.dedup();
        let mut lists: Vec<usize> = page_lists
            .iter()
            .copied()
            .filter(|m| !multiples.contains(m))
            .collect();
        lists.sort_unstable();
        lists.dedup();
        if multiples.is_empty() && lists.is_empty() {
            return LaidEdition {
                laid: Ok(Vec::new()),
                lists,
                timings: Vec::new(),
            };
        }
        let start = Instant::now();
        let sources = font::FontSources {
            dirs: &edition.font_dirs,
            edition: Some(&edition.root),
            paths: &edition.font_paths,
            system: edition.system_fonts,
        };
        let fonts =
            match font::FontBook::load_from(&edition.style, &sources, edition.limits.font_file) {
                Ok(fonts) => fonts,
                Err(d) => {
                    return LaidEdition {
                        laid: Err(d),
                        lists,
                        timings: Vec::new(),
                    };
                }
            };
        let mut timings = vec![("fonts".to_string(), start.elapsed())];

        let start = Instant::now();
        let mut ctx = inline::TextContext::new(&fonts, &edition.style);
        let flowed = flow::flow(edition, &mut ctx);
        ARTICLES_LAID.fetch_add(1, Ordering::Relaxed);
        let warnings = std::mem::take(&mut ctx.warnings);
        timings.push(("articles".to_string(), start.elapsed()));

        let start = Instant::now();
        let faces = fonts.faces();
        // Page lists first, from skeletons; then the whole documents, the last of which
        // takes the flowed pages while the others copy them.
        let skeletons: Vec<(usize, flow::Flowed)> = lists
            .iter()
            .map(|&m| (m, flowed.page_list_skeleton()))
            .collect();
        let mut flowed = Some(flowed);
        let last = multiples.len().saturating_sub(1);
        let wholes = multiples.iter().enumerate().map(|(i, &m)| {
            let f = if i == last {
                flowed
                    .take()
                    .expect("the last multiple takes the flow once")
            } else {
                flowed.clone().expect("kept until the last multiple")
            };
            (m, f)
        });
        let laid = skeletons
            .into_iter()
            .chain(wholes)
            .map(|(multiple, flowed)| {
                // A fresh setter each time, so that each document raises the warnings a
                // layout of its own would: its text is edition-level (no article's), so
                // a warning it shares with the front matter is the same diagnostic.
                let mut local = ctx.fork();
                let (mut document, padded_pages) =
                    flow::assemble(edition, &mut local, flowed, multiple);
                document.fonts = faces.clone();
                let mut all = warnings.clone();
                for w in local.warnings {
                    if !all.contains(&w) {
                        all.push(w);
                    }
                }
                let laid = Laid {
                    document,
                    warnings: all,
                    timings: Vec::new(),
                    padded_pages,
                };
                (multiple, laid)
            })
            .collect();
        timings.push(("assemble".to_string(), start.elapsed()));
        LaidEdition {
            laid: Ok(laid),
            lists,
            timings,
        }
    }

    /// The document with its page count brought up to a multiple of `multiple`, or why the
    /// edition could not be laid out (a missing font).
    pub fn padded_to(&self, multiple: usize) -> Result<&Laid, Diagnostic> {
        if self.lists.contains(&multiple) {
            return Err(Diagnostic::error(format!(
                "the edition was laid out to a multiple of {multiple} pages for its page list \
                 only; this is a bug in quire: please report it"
            )));
        }
        self.page_list(multiple)
    }

    /// The document padded to `multiple` pages as [`LaidEdition::padded_to`] gives it, or,
    /// for a multiple laid out for its page list only ([`LaidEdition::with_page_lists`]),
    /// one whose cover page is whole and whose other pages hold only what
    /// [`pages::page_breaks`] reads: the EPUB's print page list and drawn cover.
    pub fn page_list(&self, multiple: usize) -> Result<&Laid, Diagnostic> {
        let docs = self.laid.as_ref().map_err(Clone::clone)?;
        docs.iter()
            .find(|(m, _)| *m == multiple)
            .map(|(_, laid)| laid)
            .ok_or_else(|| {
                Diagnostic::error(format!(
                    "the edition was not laid out to a multiple of {multiple} pages; this is \
                     a bug in quire: please report it"
                ))
            })
    }

    /// Where each page of the print edition begins ([`pages::page_breaks`] of the
    /// document padded to [`PRINT_PAGE_MULTIPLE`]), with the folios it prints: the
    /// EPUB's page list.
    pub fn print_page_breaks(&self) -> Result<Vec<crate::model::PageBreak>, Diagnostic> {
        let laid = self.page_list(PRINT_PAGE_MULTIPLE)?;
        Ok(pages::page_breaks(&laid.document))
    }
}
