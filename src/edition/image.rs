//! Images: read once, format guessed from the content (PNG or JPEG), fully decoded to
//! prove that the backends can use them.

use std::io::Cursor;
use std::path::Path;
use std::sync::Arc;

use crate::model::{Image, ImageFormat};

/// What is wrong with an image, and a hint; the caller places it.
pub(crate) type Problem = (String, String);

/// Reads the image at `abs` (`rel` is its path in the edition) and checks its header:
/// PNG or JPEG by content, with a size. [`verify_all`] then proves it decodes.
pub(crate) fn probe(abs: &Path, rel: &str) -> Result<Image, Problem> {
    let data = super::read::read_regular(abs, rel, super::read::IMAGE_LIMIT)?;
    probe_bytes(data, abs, rel)
}

fn convert_hint() -> String {
    "save it as PNG or JPEG".to_string()
}

/// Checks the format and reads the size from the header of image bytes.
pub(crate) fn probe_bytes(data: Vec<u8>, abs: &Path, rel: &str) -> Result<Image, Problem> {
    let reader = image::ImageReader::new(Cursor::new(&data[..]))
        .with_guessed_format()
        .map_err(|e| {
            (
                format!("cannot read the image `{rel}`: {e}"),
                convert_hint(),
            )
        })?;
    let format = match reader.format() {
        Some(image::ImageFormat::Png) => ImageFormat::Png,
        Some(image::ImageFormat::Jpeg) => ImageFormat::Jpeg,
        Some(other) => {
            let name = other.extensions_str().first().unwrap_or(&"an unknown");
            return Err((
                format!(
                    "the image `{rel}` is in {} format, which is not supported",
                    name.to_uppercase()
                ),
                convert_hint(),
            ));
        }
        None => {
            return Err((
                format!("`{rel}` is not an image (neither PNG nor JPEG)"),
                convert_hint(),
            ));
        }
    };
    let (width, height) = reader.into_dimensions().map_err(|e| damaged(rel, &e))?;
    if width == 0 || height == 0 {
        return Err((format!("the image `{rel}` is empty"), convert_hint()));
    }
    Ok(Image {
        path: abs.to_path_buf(),
        rel_path: rel.to_string(),
        alt: String::new(),
        format,
        width_px: width,
        height_px: height,
        data: Arc::new(data),
    })
}

fn damaged(rel: &str, e: &image::ImageError) -> Problem {
    (
        format!("the image `{rel}` cannot be decoded: {e}"),
        "the file may be damaged or cut short; export it again".to_string(),
    )
}

/// Decodes an image completely, to prove that the backends can use it.
pub(crate) fn verify(img: &Image) -> Result<(), Problem> {
    let format = match img.format {
        ImageFormat::Png => image::ImageFormat::Png,
        ImageFormat::Jpeg => image::ImageFormat::Jpeg,
    };
    image::load_from_memory_with_format(&img.data, format)
        .map(|_| ())
        .map_err(|e| damaged(&img.rel_path, &e))
}

/// [`verify`] for every image, spread over the available cores; results in input order.
/// A decoder that panics on a malformed file counts as a failed decode.
pub(crate) fn verify_all(images: &[&Image]) -> Vec<Result<(), Problem>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, images.len().max(1));
    let mut results: Vec<Option<Result<(), Problem>>> = vec![None; images.len()];
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                s.spawn(move || {
                    (t..images.len())
                        .step_by(threads)
                        .map(|i| {
                            let img = images[i];
                            let result = std::panic::catch_unwind(|| verify(img))
                                .unwrap_or_else(|_| Err(damaged_without_detail(&img.rel_path)));
                            (i, result)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for handle in handles {
            for (i, result) in handle.join().unwrap_or_default() {
                results[i] = Some(result);
            }
        }
    });
    results
        .into_iter()
        .zip(images)
        .map(|(r, img)| r.unwrap_or_else(|| Err(damaged_without_detail(&img.rel_path))))
        .collect()
}

fn damaged_without_detail(rel: &str) -> Problem {
    (
        format!("the image `{rel}` cannot be decoded"),
        "the file may be damaged or cut short; export it again".to_string(),
    )
}

/// A small PNG (for tests and `quire new`): a soft diagonal gradient with a band of colour.
pub fn sample_png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        let t = (x * 255 / width.max(1)) as u8;
        let u = (y * 255 / height.max(1)) as u8;
        let band = y > height * 2 / 5 && y < height * 3 / 5;
        if band {
            image::Rgb([163, 38, 42])
        } else {
            image::Rgb([230 - t / 4, 225 - u / 5, 210 - t / 6])
        }
    });
    let mut out = Cursor::new(Vec::new());
    // Encoding an in-memory RGB buffer as PNG cannot fail.
    let _ = img.write_to(&mut out, image::ImageFormat::Png);
    out.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(data: Vec<u8>, abs: &Path, rel: &str) -> Result<Image, Problem> {
        let img = probe_bytes(data, abs, rel)?;
        verify(&img)?;
        Ok(img)
    }

    #[test]
    fn decodes_png_by_content_not_name() {
        let img = decode(sample_png(30, 20), Path::new("/e/x.jpg"), "x.jpg").unwrap();
        assert_eq!(img.format, ImageFormat::Png);
        assert_eq!((img.width_px, img.height_px), (30, 20));
        assert_eq!(img.rel_path, "x.jpg");
        assert!(img.alt.is_empty());
    }

    #[test]
    fn refuses_text_truncated_and_other_formats() {
        let (msg, _) = decode(b"hello".to_vec(), Path::new("/e/a.png"), "a.png").unwrap_err();
        assert!(msg.contains("not an image"), "{msg}");
        let mut png = sample_png(30, 20);
        png.truncate(png.len() / 2);
        let (msg, _) = decode(png, Path::new("/e/a.png"), "a.png").unwrap_err();
        assert!(msg.contains("cannot be decoded"), "{msg}");
        let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec();
        let (msg, _) = decode(gif, Path::new("/e/a.gif"), "a.gif").unwrap_err();
        assert!(msg.contains("GIF"), "{msg}");
    }

    #[test]
    fn verifies_many_in_order() {
        let good = probe_bytes(sample_png(8, 8), Path::new("/e/g.png"), "g.png").unwrap();
        let mut png = sample_png(64, 64);
        png.truncate(png.len() * 2 / 3);
        // The header survives the cut, so only the full decode finds the damage.
        let bad = probe_bytes(png, Path::new("/e/b.png"), "b.png").unwrap();
        let results = verify_all(&[&good, &bad, &good, &bad, &good]);
        let ok: Vec<bool> = results.iter().map(Result::is_ok).collect();
        assert_eq!(ok, [true, false, true, false, true]);
        assert!(verify_all(&[]).is_empty());
    }
}
