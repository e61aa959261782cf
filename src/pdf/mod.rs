//! PDF writer: turns the frames of [`crate::layout`] into a PDF. The only user of krilla.
//! [`PdfBackend`] writes the archive PDF (PDF/A-2b), [`PrintBackend`] the print PDF,
//! [`ImposedBackend`] the imposed one, each from the edition laid out once for the build
//! ([`LaidEdition`]).

mod meta;
pub mod pdfx;
pub mod print;
mod strings;
pub mod write;

use std::borrow::Cow;
use std::time::Instant;

use crate::diag::Diagnostic;
use crate::layout::impose::{self, ImposeSetup};
use crate::layout::{self, LaidEdition, frame};
use crate::model::Edition;
use crate::{Backend, Error, Format, Rendered};

/// The laid-out document padded to `multiple` pages, as a PDF may store it: its text
/// strings cut to PDF/A's limit ([`strings::fit_warned`]), with the layout's warnings
/// and the cuts'. A layout that failed (a missing font) is the input error it names.
///
/// The pages are the build's own, borrowed: they hold about 30 bytes per byte of text, and
/// a copy for each PDF was the largest part of a long article's peak memory. Only when a
/// string must be cut (a title longer than 32 KB) is the document copied to hold the cut.
fn document<'a>(
    edition: &Edition,
    laid: &'a LaidEdition,
    multiple: usize,
) -> Result<Prepared<'a>, Error> {
    let laid = laid
        .padded_to(multiple)
        .map_err(|d| Error::Input(vec![d]))?;
    let full = &laid.document;
    // Everything but the pages, to cut strings in without copying the pages.
    let mut strings = frame::Document {
        pages: Vec::new(),
        outline: full.outline.clone(),
        meta: full.meta.clone(),
        fonts: Vec::new(),
        fits: Vec::new(),
        structure: full.structure.clone(),
    };
    let cuts = strings::fit_warned(&mut strings, edition);
    let document = if cuts.is_empty() {
        Cow::Borrowed(full)
    } else {
        Cow::Owned(frame::Document {
            pages: full.pages.clone(),
            fonts: full.fonts.clone(),
            fits: full.fits.clone(),
            ..strings
        })
    };
    let mut warnings = laid.warnings.clone();
    warnings.extend(cuts);
    Ok(Prepared {
        document,
        warnings,
        padded_pages: laid.padded_pages,
    })
}

/// What a PDF backend writes: [`document`].
struct Prepared<'a> {
    /// The pages and what the writers need with them.
    document: Cow<'a, frame::Document>,
    /// The layout's warnings and those of the strings cut.
    warnings: Vec<Diagnostic>,
    /// Blank pages added to reach the page multiple.
    padded_pages: usize,
}

/// The PDF backend: the edition's layout (unpadded) to the archive PDF.
pub struct PdfBackend;

impl Backend for PdfBackend {
    fn format(&self) -> Format {
        Format::Pdf
    }

    fn page_multiple(&self) -> Option<usize> {
        Some(1)
    }

    /// Writes the laid-out edition as the archive PDF.
    fn render(&self, edition: &Edition, laid: &LaidEdition) -> Result<Rendered, Error> {
        let laid = document(edition, laid, 1)?;
        let start = Instant::now();
        let bytes = write::write(&laid.document).map_err(|message| Error::Backend {
            format: Format::Pdf,
            message,
        })?;
        let timings = vec![("write".to_string(), start.elapsed())];

        let texture = layout::dump::texture(&laid.document, &edition.style.page);
        Ok(Rendered {
            bytes,
            units: laid.document.pages.len(),
            warnings: laid.warnings,
            timings,
            makeup: laid.document.fits.clone(),
            stats: vec![
                ("lines".to_string(), texture.lines as u64),
                (
                    "lines_scaled_over_1pct".to_string(),
                    texture.scaled_over_1pct as u64,
                ),
                (
                    "neighbours_scaled_apart".to_string(),
                    texture.neighbours_apart as u64,
                ),
            ],
        })
    }
}

/// The CMYK output profile shipped with quire: "Coated FOGRA39", made with ArgyllCMS
/// `colprof` from the FOGRA39L characterisation data of Debian's `icc-profiles-free`
/// (zlib licence; see `icc/README.md`). The print PDF's output intent, and the profile
/// that makes CMYK images device-independent in the archive PDF.
pub const CMYK_PROFILE: &[u8] = include_bytes!("../../icc/coated-fogra39-quire.icc");

/// The printing condition of the print PDF's output intent.
pub const OUTPUT_INTENT: pdfx::OutputIntent<'static> = pdfx::OutputIntent {
    identifier: "FOGRA39",
    registry: "http://www.color.org",
    condition: "Offset printing, ISO 12647-2:2004/Amd 1, coated paper (paper type 1 or 2), \
                screen ruling 60/cm",
    info: "Coated FOGRA39 (quire, made from FOGRA39L.ti3 with ArgyllCMS)",
    profile: CMYK_PROFILE,
};

/// Pages of the print PDF come in multiples of this (saddle stitching folds sheets of
/// four pages).
pub const PRINT_PAGE_MULTIPLE: usize = layout::PRINT_PAGE_MULTIPLE;

/// The print PDF backend: the layout padded to a multiple of four pages, the print writer
/// ([`print::write_print`]), then the PDF/X-4 identification ([`pdfx::add_pdfx4`]).
pub struct PrintBackend;

impl Backend for PrintBackend {
    fn format(&self) -> Format {
        Format::Print
    }

    fn page_multiple(&self) -> Option<usize> {
        Some(PRINT_PAGE_MULTIPLE)
    }

    fn render(&self, edition: &Edition, laid: &LaidEdition) -> Result<Rendered, Error> {
        let laid = document(edition, laid, PRINT_PAGE_MULTIPLE)?;
        let backend = |message| Error::Backend {
            format: Format::Print,
            message,
        };

        let start = Instant::now();
        let setup = print::PrintSetup {
            bleed: edition.style.page.bleed,
            slug: edition
                .style
                .print
                .slug_line
                .then(|| edition.meta.title_issue_and_date()),
        };
        let bytes = print::write_print(&laid.document, &setup).map_err(backend)?;
        let bytes = pdfx::add_pdfx4(&bytes, &OUTPUT_INTENT)
            .map_err(|e| backend(format!("PDF/X identification: {e}")))?;
        let timings = vec![("write".to_string(), start.elapsed())];

        Ok(Rendered {
            bytes,
            units: laid.document.pages.len(),
            warnings: laid.warnings,
            timings,
            makeup: Vec::new(),
            stats: vec![("padded_pages".to_string(), laid.padded_pages as u64)],
        })
    }
}

/// The imposed PDF: the layout padded to a multiple of four pages like the print PDF's,
/// saddle-stitch imposition ([`impose::saddle`]), then the writer. A plain PDF (no PDF/A
/// claim): it is an intermediate for the printer, not an archive.
pub struct ImposedBackend;

impl Backend for ImposedBackend {
    fn format(&self) -> Format {
        Format::Imposed
    }

    fn page_multiple(&self) -> Option<usize> {
        Some(PRINT_PAGE_MULTIPLE)
    }

    /// Imposes the laid-out pages two to a sheet side and writes the PDF.
    fn render(&self, edition: &Edition, laid: &LaidEdition) -> Result<Rendered, Error> {
        let laid = document(edition, laid, PRINT_PAGE_MULTIPLE)?;

        let start = Instant::now();
        let setup = ImposeSetup {
            creep: edition.style.imposition.creep,
            bleed: edition.style.page.bleed,
        };
        let sheets = impose::saddle(&laid.document, &setup);
        let mut timings = vec![("impose".to_string(), start.elapsed())];

        let start = Instant::now();
        let options = write::WriteOptions {
            conformance: write::Conformance::Plain,
        };
        let bytes = write::write_with(&sheets, &options).map_err(|message| Error::Backend {
            format: Format::Imposed,
            message,
        })?;
        timings.push(("write".to_string(), start.elapsed()));

        Ok(Rendered {
            bytes,
            units: sheets.pages.len(),
            warnings: laid.warnings,
            timings,
            makeup: Vec::new(),
            stats: vec![
                ("sheets".to_string(), (sheets.pages.len() / 2) as u64),
                ("padded_pages".to_string(), laid.padded_pages as u64),
            ],
        })
    }
}
