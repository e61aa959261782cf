//! PDF backend: fonts → shape → hyphenate → items → linebreak → flow → frames → write.

pub mod flow;
pub mod font;
pub mod frame;
pub mod hyphenate;
pub mod items;
pub mod linebreak;
pub mod shape;
pub mod write;

use std::time::Instant;

use crate::model::Edition;
use crate::{Backend, Error, Format, Rendered};

/// Whether the text-setting stage is complete. Until it is, `build` without `--format`
/// makes the EPUB only and `--format pdf` answers that PDF output is not available yet.
pub const AVAILABLE: bool = true;

pub struct PdfBackend;

impl Backend for PdfBackend {
    fn format(&self) -> Format {
        Format::Pdf
    }

    /// Loads the fonts, lays the edition out (text setting included) and writes the PDF.
    fn render(&self, edition: &Edition) -> Result<Rendered, Error> {
        if !AVAILABLE {
            return Err(Error::Backend {
                format: Format::Pdf,
                message: "PDF output is not available yet; build with --format epub".into(),
            });
        }
        let start = Instant::now();
        let fonts = font::FontBook::load(&edition.style, &edition.font_dirs)
            .map_err(|d| Error::Input(vec![d]))?;
        let t_fonts = start.elapsed();

        let start = Instant::now();
        let mut ctx = items::TextContext::new(&fonts, &edition.style);
        let doc = flow::layout(edition, &mut ctx);
        let warnings = std::mem::take(&mut ctx.warnings);
        let t_layout = start.elapsed();

        let start = Instant::now();
        let bytes = write::write(&doc, &fonts).map_err(|message| Error::Backend {
            format: Format::Pdf,
            message,
        })?;
        let t_write = start.elapsed();

        Ok(Rendered {
            bytes,
            units: doc.pages.len(),
            warnings,
            timings: vec![
                ("fonts".to_string(), t_fonts),
                ("layout".to_string(), t_layout),
                ("write".to_string(), t_write),
            ],
        })
    }
}
