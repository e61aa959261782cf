//! PDF writer: turns the frames of [`crate::layout`] into a PDF. The only user of krilla.

mod meta;
pub mod write;

use std::time::Instant;

use crate::layout;
use crate::model::Edition;
use crate::{Backend, Error, Format, Rendered};

/// The PDF backend: layout, then the writer.
pub struct PdfBackend;

impl Backend for PdfBackend {
    fn format(&self) -> Format {
        Format::Pdf
    }

    /// Lays the edition out (fonts and text setting included) and writes the PDF.
    fn render(&self, edition: &Edition) -> Result<Rendered, Error> {
        let laid = layout::layout(edition).map_err(|d| Error::Input(vec![d]))?;

        let start = Instant::now();
        let bytes = write::write(&laid.document).map_err(|message| Error::Backend {
            format: Format::Pdf,
            message,
        })?;
        let mut timings = laid.timings;
        timings.push(("write".to_string(), start.elapsed()));

        let texture = layout::dump::texture(&laid.document, &edition.style.page);
        Ok(Rendered {
            bytes,
            units: laid.document.pages.len(),
            warnings: laid.warnings,
            timings,
            makeup: laid.document.fits,
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
