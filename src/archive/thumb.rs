//! Cover thumbnails for the site's index and the feeds.
//!
//! An edition with a cover picture gets that picture scaled down ([`from_cover`]). A
//! typographic cover has no picture: the build draws the PDF's first page (the
//! `--pages 1` preview, [`COVER_PPI`]), which becomes the cover picture, and
//! [`from_page_one`] scales it down. Only when that drawing fails does the site show a
//! placeholder card (HTML with the title and issue) and the feeds a blank card
//! ([`PLACEHOLDER`]).

use image::ImageEncoder;
use image::imageops::FilterType;

use crate::model::Image;

/// The width of a thumbnail, in pixels (a narrow phone column at twice its CSS size).
pub(crate) const THUMB_WIDTH: u32 = 320;

/// An encoded image for the site.
#[derive(Debug, Clone)]
pub(crate) struct Picture {
    /// The file's bytes.
    pub(crate) bytes: Vec<u8>,
    /// `image/jpeg` or `image/png`.
    pub(crate) mime: &'static str,
    /// `jpg` or `png`.
    pub(crate) extension: &'static str,
    /// Size in pixels.
    pub(crate) width: u32,
    /// Size in pixels.
    pub(crate) height: u32,
}

/// The resolution page 1 is drawn at for a typographic cover's picture: CSS pixels
/// (an A4 page is 794 × 1123), enough for the issue page's cover on a phone at twice
/// its CSS size.
pub(crate) const COVER_PPI: u32 = 96;

/// The cover picture scaled to [`THUMB_WIDTH`] (never up): JPEG for a JPEG cover, PNG
/// for a PNG (which may be transparent).
pub(crate) fn from_cover(cover: &Image) -> Result<Picture, String> {
    scaled(&cover.data, cover.format)
}

/// The thumbnail of a typographic cover: page 1 as the build drew it (a PNG), scaled to
/// [`THUMB_WIDTH`].
pub(crate) fn from_page_one(png: &[u8]) -> Result<Picture, String> {
    scaled(png, crate::model::ImageFormat::Png)
}

/// `bytes` (an image in `format`) scaled to [`THUMB_WIDTH`] wide, never up, and encoded
/// in the same format. Linear filtering, which uses no platform maths function, so the
/// bytes are the same everywhere.
fn scaled(bytes: &[u8], format: crate::model::ImageFormat) -> Result<Picture, String> {
    let decoded = image::load_from_memory(bytes).map_err(|e| e.to_string())?;
    let (w, h) = (decoded.width().max(1), decoded.height().max(1));
    let width = THUMB_WIDTH.min(w);
    let height =
        ((u64::from(h) * u64::from(width) + u64::from(w) / 2) / u64::from(w)).max(1) as u32;
    let small = decoded.resize_exact(width, height, FilterType::Triangle);
    let mut bytes = Vec::new();
    match format {
        crate::model::ImageFormat::Jpeg => {
            let rgb = small.to_rgb8();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 82)
                .write_image(&rgb, width, height, image::ExtendedColorType::Rgb8)
                .map_err(|e| e.to_string())?;
            Ok(Picture {
                bytes,
                mime: "image/jpeg",
                extension: "jpg",
                width,
                height,
            })
        }
        crate::model::ImageFormat::Png => {
            // An opaque picture (a drawn page) stays RGB: a quarter smaller.
            let encoder = image::codecs::png::PngEncoder::new(&mut bytes);
            let written = if small.color().has_alpha() {
                let rgba = small.to_rgba8();
                encoder.write_image(&rgba, width, height, image::ExtendedColorType::Rgba8)
            } else {
                let rgb = small.to_rgb8();
                encoder.write_image(&rgb, width, height, image::ExtendedColorType::Rgb8)
            };
            written.map_err(|e| e.to_string())?;
            Ok(Picture {
                bytes,
                mime: "image/png",
                extension: "png",
                width,
                height,
            })
        }
    }
}

/// The feeds' picture for an issue with neither a cover picture nor a drawn page 1:
/// a blank card in the site's colours, [`THUMB_WIDTH`] pixels wide and A4-shaped (OPDS 2.0
/// wants a JPEG, PNG or GIF image for every publication). Its file name in the site.
pub(crate) const PLACEHOLDER: &str = "cover-placeholder.png";

/// The PNG of [`PLACEHOLDER`]: paper colour, a dark red rule near the top.
pub(crate) fn placeholder() -> Picture {
    let (width, height) = (THUMB_WIDTH, THUMB_WIDTH * 297 / 210);
    let card = image::Rgb([0xef, 0xe9, 0xdc]);
    let rule = image::Rgb([0x8a, 0x1c, 0x1c]);
    let pixels = image::RgbImage::from_fn(width, height, |x, y| {
        let inset = (24..width - 24).contains(&x);
        if inset && (64..72).contains(&y) {
            rule
        } else {
            card
        }
    });
    let mut bytes = Vec::new();
    let written = image::codecs::png::PngEncoder::new(&mut bytes).write_image(
        &pixels,
        width,
        height,
        image::ExtendedColorType::Rgb8,
    );
    debug_assert!(written.is_ok(), "encoding to memory does not fail");
    Picture {
        bytes,
        mime: "image/png",
        extension: "png",
        width,
        height,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn a_cover_is_scaled_to_the_thumbnail_width() {
        let mut png = Vec::new();
        let pixels = image::RgbImage::from_pixel(640, 960, image::Rgb([200, 30, 30]));
        image::DynamicImage::ImageRgb8(pixels)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let cover = Image {
            path: "cover.png".into(),
            rel_path: "cover.png".into(),
            alt: String::new(),
            format: crate::model::ImageFormat::Png,
            width_px: 640,
            height_px: 960,
            data: Arc::new(png),
        };
        let thumb = from_cover(&cover).unwrap();
        assert_eq!((thumb.width, thumb.height), (320, 480));
        let back = image::load_from_memory(&thumb.bytes).unwrap();
        assert_eq!((back.width(), back.height()), (320, 480));
        assert_eq!(back.to_rgb8().get_pixel(10, 10).0, [200, 30, 30]);
    }

    #[test]
    fn page_one_is_scaled_keeping_its_shape_and_ink() {
        // A drawn A4 page at 96 ppi: white, with a black band across its top quarter.
        let (w, h) = (794, 1123);
        let pixels = image::RgbImage::from_fn(w, h, |_, y| {
            if y < h / 4 {
                image::Rgb([0, 0, 0])
            } else {
                image::Rgb([255, 255, 255])
            }
        });
        let mut png = Vec::new();
        image::DynamicImage::ImageRgb8(pixels)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let thumb = from_page_one(&png).unwrap();
        assert_eq!((thumb.width, thumb.height), (320, 453));
        assert_eq!(thumb.mime, "image/png");
        let back = image::load_from_memory(&thumb.bytes).unwrap().to_rgb8();
        assert_eq!(back.get_pixel(160, 20).0, [0, 0, 0]);
        assert_eq!(back.get_pixel(160, 400).0, [255, 255, 255]);
        assert!(from_page_one(b"not a png").is_err());
    }

    #[test]
    fn the_placeholder_is_a_png_of_the_thumbnail_size() {
        let p = placeholder();
        let back = image::load_from_memory(&p.bytes).unwrap();
        assert_eq!((back.width(), back.height()), (p.width, p.height));
        assert_eq!(p.width, THUMB_WIDTH);
    }
}
