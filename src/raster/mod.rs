//! Laid-out pages to pixels: a frames consumer beside the writers (it imports neither
//! `pdf` nor `epub`). It draws a page's items as the PDF writer places them (glyph
//! outlines from the embedded faces through skrifa, rectangles, images, clips) with
//! tiny-skia on white paper and encodes the result as PNG. Same frames, same bytes.
//!
//! Used for the EPUB's typographic cover ([`cover_png`]) and for `quire build --pages`
//! previews ([`page_png`]).

mod draw;
mod glyphs;
mod select;

use std::fmt;
use std::path::PathBuf;

pub use select::{PageSelection, SelectionError};

use crate::layout::frame::{FontFace, Page};

/// Previews are made at this resolution unless asked otherwise (`--ppi`).
pub const DEFAULT_PPI: u32 = 144;
/// The highest resolution a preview may ask for.
pub const MAX_PPI: u32 = 1200;
/// The long side of the EPUB's typographic cover, pixels: what EPUB stores ask of a
/// cover at least.
pub const COVER_LONG_SIDE: u32 = 1600;

/// Why a page could not be drawn.
#[derive(Debug)]
pub enum RasterError {
    /// The pixmap would be empty or too large to allocate.
    TooLarge {
        /// Width asked for, pixels.
        width: u32,
        /// Height asked for, pixels.
        height: u32,
    },
    /// A face's file could not be read for its outlines.
    Font {
        /// The family (or the face's index).
        family: String,
    },
    /// An image could not be decoded.
    Image {
        /// Its file.
        path: PathBuf,
        /// What the decoder said.
        message: String,
    },
    /// The PNG encoder failed.
    Encode(String),
}

impl fmt::Display for RasterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RasterError::TooLarge { width, height } => write!(
                f,
                "a page of {width} × {height} pixels is too large to draw (at most {MAX_PIXELS} pixels)"
            ),
            RasterError::Font { family } => {
                write!(f, "the outlines of the font `{family}` cannot be read")
            }
            RasterError::Image { path, message } => {
                write!(f, "{} cannot be decoded: {message}", path.display())
            }
            RasterError::Encode(message) => write!(f, "PNG encoding failed: {message}"),
        }
    }
}

impl std::error::Error for RasterError {}

/// The most pixels one page may have (an A4 page at 1200 ppi has 140 million).
pub const MAX_PIXELS: u64 = 150_000_000;

/// A drawn page: its size in pixels and its PNG bytes.
#[derive(Debug, Clone)]
pub struct Png {
    /// Width, pixels.
    pub width: u32,
    /// Height, pixels.
    pub height: u32,
    /// The PNG file.
    pub bytes: Vec<u8>,
}

/// `page` at `ppi` pixels per inch (72 points to the inch), as PNG.
pub fn page_png(page: &Page, fonts: &[FontFace], ppi: u32) -> Result<Png, RasterError> {
    render(page, fonts, ppi as f32 / 72.0)
}

/// `page` (the cover) scaled so that its long side is `long_side` pixels, as PNG.
pub fn cover_png(page: &Page, fonts: &[FontFace], long_side: u32) -> Result<Png, RasterError> {
    let long = page.width.max(page.height);
    if !(long.is_finite() && long > 0.0) {
        return Err(RasterError::TooLarge {
            width: 0,
            height: 0,
        });
    }
    render(page, fonts, long_side as f32 / long)
}

/// Pixels of a side of `points` at `scale`: rounded, at least 1.
fn pixels(points: f32, scale: f32) -> u32 {
    let px = (points * scale).round();
    if px.is_finite() && px >= 1.0 {
        px.min(u32::MAX as f32) as u32
    } else {
        0
    }
}

fn render(page: &Page, fonts: &[FontFace], scale: f32) -> Result<Png, RasterError> {
    let width = pixels(page.width, scale);
    let height = pixels(page.height, scale);
    if width == 0 || height == 0 || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(RasterError::TooLarge { width, height });
    }
    let pixmap = draw::page(page, fonts, scale, width, height)?;
    // The page is opaque (white paper under everything): RGB, no alpha.
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|px| [px[0], px[1], px[2]])
        .collect();
    let bytes = encode(&rgb, width, height).map_err(|e| RasterError::Encode(e.to_string()))?;
    Ok(Png {
        width,
        height,
        bytes,
    })
}

/// 8-bit RGB PNG with fixed settings, so the same pixels give the same bytes.
fn encode(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Balanced);
    encoder.set_filter(png::Filter::Adaptive);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(rgb)?;
    writer.finish()?;
    Ok(out)
}

#[cfg(test)]
mod tests;
