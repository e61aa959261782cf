//! Images as the printer sees them: resolution at the placed size and colour model.

use crate::model::{Image, ImageFormat};

/// Effective resolution, in pixels per inch, of an image of `px_w` × `px_h` pixels placed
/// `pt_w` × `pt_h` points wide and high: pixels over inches (72 points to the inch) on each
/// axis, the smaller of the two. A box with no extent has infinite resolution.
pub fn ppi(px_w: u32, px_h: u32, pt_w: f32, pt_h: f32) -> f32 {
    let axis = |px: u32, pt: f32| {
        if pt > 0.0 {
            px as f32 / (pt / 72.0)
        } else {
            f32::INFINITY
        }
    };
    axis(px_w, pt_w).min(axis(px_h, pt_h))
}

/// The colour model of an image's pixels, as its file declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colour {
    /// Grey levels (with or without alpha): printed with black ink only.
    Grey,
    /// Red, green and blue (a palette PNG included; a JPEG's YCbCr is RGB).
    Rgb,
    /// Cyan, magenta, yellow and black (a CMYK or YCCK JPEG).
    Cmyk,
    /// The header could not be read.
    Unknown,
}

/// The colour model of `image`, from its file's header: a PNG's colour type, a JPEG's
/// number of components in its first frame header.
pub fn colour(image: &Image) -> Colour {
    match image.format {
        ImageFormat::Png => png_colour(&image.data),
        ImageFormat::Jpeg => jpeg_colour(&image.data),
    }
}

/// A PNG's colour type: byte 25 of the file, in the IHDR chunk that must come first.
fn png_colour(data: &[u8]) -> Colour {
    if data.len() < 26 || &data[12..16] != b"IHDR" {
        return Colour::Unknown;
    }
    match data[25] {
        0 | 4 => Colour::Grey,
        2 | 3 | 6 => Colour::Rgb,
        _ => Colour::Unknown,
    }
}

/// A JPEG's components, from its first start-of-frame marker: 1 grey, 3 RGB (YCbCr),
/// 4 CMYK (or YCCK).
fn jpeg_colour(data: &[u8]) -> Colour {
    let mut at = 2;
    while at + 4 <= data.len() {
        if data[at] != 0xFF {
            return Colour::Unknown;
        }
        let marker = data[at + 1];
        // Fill bytes, and markers without a length.
        if marker == 0xFF {
            at += 1;
            continue;
        }
        if marker == 0x01 || (0xD0..=0xD7).contains(&marker) {
            at += 2;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([data[at + 2], data[at + 3]]));
        let is_frame = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_frame {
            // Length (2), precision (1), height (2), width (2), then the component count.
            return match data.get(at + 9) {
                Some(1) => Colour::Grey,
                Some(3) => Colour::Rgb,
                Some(4) => Colour::Cmyk,
                _ => Colour::Unknown,
            };
        }
        at += 2 + len;
    }
    Colour::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use std::sync::Arc;

    #[test]
    fn ppi_is_pixels_over_inches_on_the_poorer_axis() {
        // 300 pixels across one inch.
        assert_eq!(ppi(300, 300, 72.0, 72.0), 300.0);
        // 600 × 300 pixels in a 2 × 2 inch box: 300 across, 150 down.
        assert_eq!(ppi(600, 300, 144.0, 144.0), 150.0);
        // 40 pixels across a 170-point column: about 17 ppi.
        let low = ppi(40, 30, 170.0, 127.5);
        assert!((low - 16.94).abs() < 0.01, "{low}");
        // Scaled up in one direction only (a cover cropped to its box).
        assert_eq!(ppi(1000, 1000, 72.0, 720.0), 100.0);
        assert!(ppi(10, 10, 0.0, 0.0).is_infinite());
    }

    fn image(format: ImageFormat, data: Vec<u8>) -> Image {
        Image {
            path: PathBuf::from("/e/x"),
            rel_path: "x".into(),
            alt: String::new(),
            format,
            width_px: 1,
            height_px: 1,
            data: Arc::new(data),
        }
    }

    fn encode(img: image::DynamicImage, format: image::ImageFormat) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, format).unwrap();
        out.into_inner()
    }

    #[test]
    fn colour_models_from_png_and_jpeg_headers() {
        let rgb = crate::edition::sample_png(4, 4);
        assert_eq!(colour(&image(ImageFormat::Png, rgb)), Colour::Rgb);
        let grey = encode(
            image::DynamicImage::new_luma8(4, 4),
            image::ImageFormat::Png,
        );
        assert_eq!(colour(&image(ImageFormat::Png, grey)), Colour::Grey);
        let jpeg = encode(
            image::DynamicImage::new_rgb8(8, 8),
            image::ImageFormat::Jpeg,
        );
        assert_eq!(colour(&image(ImageFormat::Jpeg, jpeg.clone())), Colour::Rgb);
        let grey_jpeg = encode(
            image::DynamicImage::new_luma8(8, 8),
            image::ImageFormat::Jpeg,
        );
        assert_eq!(colour(&image(ImageFormat::Jpeg, grey_jpeg)), Colour::Grey);
        // A CMYK frame header: SOI, then SOF0 with four components.
        let mut cmyk = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00];
        cmyk.extend([0xFF, 0xC0, 0x00, 0x14, 0x08, 0x00, 0x08, 0x00, 0x08, 0x04]);
        assert_eq!(colour(&image(ImageFormat::Jpeg, cmyk)), Colour::Cmyk);
        assert_eq!(
            colour(&image(ImageFormat::Jpeg, b"\xFF\xD8junk".to_vec())),
            Colour::Unknown
        );
        assert_eq!(
            colour(&image(ImageFormat::Png, b"short".to_vec())),
            Colour::Unknown
        );
    }
}
