//! The article and cover images as the EPUB stores them: JPEGs byte for byte, PNGs
//! recompressed without loss (oxipng: better filters, a stronger deflate, a smaller
//! colour type when the pixels allow one), so every pixel stays as it was.
//!
//! A JPEG could only shrink by rewriting its entropy coding (optimised Huffman tables,
//! progressive scans over the same DCT coefficients); no well-kept Rust crate does that
//! without decoding and encoding again, which would lose quality, so JPEGs are left alone.

use oxipng::{Options, StripChunks};

/// The first bytes of every PNG file.
const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// oxipng's fastest preset. Measured on the sample's two PNGs (release build): preset 0
/// saves 21 KB in about 60 ms, preset 1 29 KB in 200 ms, preset 2 (oxipng's default)
/// 33 KB in 370 ms, more than the whole PDF takes; a build stays fast.
const PRESET: u8 = 0;

/// A recompressed file must save at least this share of the original (in thousandths),
/// or the image is stored as given: a few bytes do not pay for a file that differs from
/// the author's.
const MIN_SAVING_PERMILLE: usize = 20;

/// `data` (a PNG file) recompressed without loss, when that saves at least
/// [`MIN_SAVING_PERMILLE`]; `None` for anything else (a JPEG, a PNG already well
/// compressed, a file oxipng cannot read).
pub(super) fn smaller_png(data: &[u8]) -> Option<Vec<u8>> {
    if !data.starts_with(PNG_SIGNATURE) {
        return None;
    }
    let mut options = Options::from_preset(PRESET);
    // Keep interlacing and every chunk (colour profile, gamma, text) as the file has them.
    options.interlace = None;
    options.strip = StripChunks::None;
    let out = oxipng::optimize_from_memory(data, &options).ok()?;
    let saved = data.len().saturating_sub(out.len());
    (saved * 1000 >= data.len() * MIN_SAVING_PERMILLE).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 200×120 RGB gradient with a few lines across it, written with no filter and
    /// the fastest deflate: plenty for oxipng to save.
    fn loose_png() -> Vec<u8> {
        let (w, h) = (200u32, 120u32);
        let mut pixels = Vec::new();
        for y in 0..h {
            for x in 0..w {
                let line = (x + 2 * y) % 37 == 0;
                let v = if line { 20 } else { (x * 255 / w) as u8 };
                pixels.extend([v, (y * 2) as u8, 255 - v]);
            }
        }
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Fastest);
        encoder.set_filter(png::Filter::NoFilter);
        let mut writer = encoder.write_header().unwrap();
        writer.write_image_data(&pixels).unwrap();
        writer.finish().unwrap();
        out
    }

    /// The image's pixels as 8-bit RGBA, whatever its colour type and depth.
    fn pixels(data: &[u8]) -> Vec<u8> {
        image::load_from_memory(data).unwrap().to_rgba8().into_raw()
    }

    #[test]
    fn a_loose_png_shrinks_and_keeps_every_pixel() {
        let original = loose_png();
        let smaller = smaller_png(&original).expect("worth recompressing");
        assert!(smaller.len() * 10 < original.len() * 9, "{}", smaller.len());
        assert_eq!(pixels(&smaller), pixels(&original));
        // Done again, it finds nothing left worth saving, and gives the same bytes.
        assert_eq!(smaller_png(&smaller), None);
        assert_eq!(smaller_png(&original).as_deref(), Some(smaller.as_slice()));
    }

    #[test]
    fn other_files_are_left_alone() {
        assert_eq!(smaller_png(b"\xff\xd8\xff\xe0 a JPEG"), None);
        assert_eq!(smaller_png(b"\x89PNG\r\n\x1a\n cut short"), None);
    }
}
