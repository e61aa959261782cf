//! Images: read once, format guessed from the content (PNG or JPEG), fully decoded to
//! prove that the backends can use them.

use std::io::Cursor;
use std::path::Path;
use std::sync::Arc;

use crate::model::{Image, ImageFormat};

/// What is wrong with an image, and a hint; the caller places it.
pub(crate) type Problem = (String, String);

/// Reads the image at `abs` (`rel` is its path in the edition), at most `limit` bytes,
/// and checks its header:
/// PNG or JPEG by content, with a size. [`verify_all`] then proves it decodes.
pub(crate) fn probe(abs: &Path, rel: &str, limit: u64) -> Result<Image, Problem> {
    let data = super::read::read_regular(abs, rel, limit)?;
    probe_bytes(data, abs, rel)
}

fn convert_hint() -> String {
    "save it as PNG or JPEG".to_string()
}

/// The most an embedded colour profile (a PNG's iCCP chunk) may inflate to; real profiles
/// are a few kilobytes to a megabyte.
pub(crate) const ICC_LIMIT: u64 = 8 * 1024 * 1024;
/// The most memory decoding one image may take (an 8,000 × 8,000 pixel RGBA image).
pub(crate) const DECODE_LIMIT: u64 = 256 * 1024 * 1024;

/// The limits every decode of an image runs under.
fn limits() -> image::Limits {
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(DECODE_LIMIT);
    limits
}

/// Checks a PNG's colour profile before any decoder inflates it: a zlib bomb of a megabyte
/// in an iCCP chunk would otherwise take gigabytes. Anything that is not a well-formed
/// chunk is left for the decoder to report.
fn check_png_profile(data: &[u8], rel: &str) -> Result<(), Problem> {
    use std::io::Read;
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    let Some(mut rest) = data.strip_prefix(SIGNATURE) else {
        return Ok(());
    };
    while rest.len() >= 12 {
        let len = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        let kind = &rest[4..8];
        let Some(body) = rest.get(8..8 + len) else {
            return Ok(());
        };
        if kind == b"IDAT" || kind == b"IEND" {
            return Ok(());
        }
        if kind == b"iCCP" {
            // Name (1–79 bytes), NUL, compression method, zlib stream.
            let Some(nul) = body.iter().position(|&b| b == 0) else {
                return Ok(());
            };
            let stream = body.get(nul + 2..).unwrap_or_default();
            let mut inflated = 0u64;
            let mut decoder = flate2::read::ZlibDecoder::new(stream).take(ICC_LIMIT + 1);
            let mut buf = [0u8; 64 * 1024];
            loop {
                match decoder.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => inflated += n as u64,
                }
            }
            if inflated > ICC_LIMIT {
                return Err((
                    format!(
                        "the colour profile (iCCP chunk) of the image `{rel}` inflates to more than {} MB, the limit",
                        ICC_LIMIT / (1024 * 1024)
                    ),
                    "the file is damaged or hostile; export it again with a standard colour profile (such as sRGB)".to_string(),
                ));
            }
        }
        rest = rest.get(12 + len..).unwrap_or_default();
    }
    Ok(())
}

/// Checks the format and reads the size from the header of image bytes.
pub(crate) fn probe_bytes(data: Vec<u8>, abs: &Path, rel: &str) -> Result<Image, Problem> {
    check_png_profile(&data, rel)?;
    let mut reader = image::ImageReader::new(Cursor::new(&data[..]))
        .with_guessed_format()
        .map_err(|e| {
            (
                format!("cannot read the image `{rel}`: {e}"),
                convert_hint(),
            )
        })?;
    reader.limits(limits());
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
    if let image::ImageError::Limits(_) = e {
        return (
            format!(
                "decoding the image `{rel}` would take more than {} MB of memory, the limit",
                DECODE_LIMIT / (1024 * 1024)
            ),
            "export it at the size it is printed (300 pixels per inch is enough)".to_string(),
        );
    }
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
    let mut reader = image::ImageReader::with_format(Cursor::new(&img.data[..]), format);
    reader.limits(limits());
    reader
        .decode()
        .map(|_| ())
        .map_err(|e| damaged(&img.rel_path, &e))?;
    if img.format == ImageFormat::Jpeg {
        jpeg_complete(&img.data).map_err(|e| {
            (
                format!("the image `{}` cannot be decoded: {e}", img.rel_path),
                "the file may be damaged or cut short; export it again".to_string(),
            )
        })?;
    }
    Ok(())
}

/// Decodes a JPEG strictly: the `image` crate's decoder fills a cut-short scan with grey
/// and skips damaged data, but the file is embedded as it is, and a PDF reader would then
/// find an invalid stream. Strict mode refuses missing or misplaced data.
fn jpeg_complete(data: &[u8]) -> Result<(), String> {
    let options = zune_core::options::DecoderOptions::default()
        .set_strict_mode(true)
        .set_max_width(usize::MAX)
        .set_max_height(usize::MAX);
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(
        zune_core::bytestream::ZCursor::new(data),
        options,
    );
    decoder.decode().map_err(|e| e.to_string())?;
    // The decoder stops when it has every pixel; the end-of-image marker must follow the
    // last scan (in the entropy-coded data a 0xFF byte is always followed by 0x00 or a
    // restart marker, so neither marker can occur there by chance).
    let last_scan = data.windows(2).rposition(|w| w == [0xFF, 0xDA]);
    if !last_scan.is_some_and(|s| data[s..].windows(2).any(|w| w == [0xFF, 0xD9])) {
        return Err("the file ends before its end-of-image marker".to_string());
    }
    Ok(())
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

    /// `png` with an iCCP chunk after IHDR whose stream inflates to `inflated` zeros.
    fn with_profile(png: &[u8], inflated: usize) -> Vec<u8> {
        use std::io::Write;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(&vec![0u8; inflated]).unwrap();
        let mut body = b"iCCPname\0\0".to_vec();
        body.extend(z.finish().unwrap());
        let mut crc = flate2::Crc::new();
        crc.update(&body);
        let mut out = png[..33].to_vec();
        out.extend(((body.len() - 4) as u32).to_be_bytes());
        out.extend(&body);
        out.extend(crc.sum().to_be_bytes());
        out.extend(&png[33..]);
        out
    }

    #[test]
    fn colour_profiles_are_bounded_before_decoding() {
        let png = sample_png(8, 8);
        // A profile within the limit passes the check (the decoder may still judge it).
        let ok = with_profile(&png, 4096);
        assert!(check_png_profile(&ok, "a.png").is_ok());
        let bomb = with_profile(&png, ICC_LIMIT as usize + 1);
        assert!(bomb.len() < 64 * 1024, "{}", bomb.len());
        let (msg, _) = probe_bytes(bomb, Path::new("/e/a.png"), "a.png").unwrap_err();
        assert!(msg.contains("colour profile"), "{msg}");
        assert!(msg.contains("`a.png`"), "{msg}");
    }

    #[test]
    fn decoding_is_bounded_in_memory() {
        // A header claiming 60,000 × 60,000 pixels: refused by the limit, not allocated.
        let mut png = sample_png(8, 8);
        png[16..20].copy_from_slice(&60_000u32.to_be_bytes());
        png[20..24].copy_from_slice(&60_000u32.to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(&png[12..29]);
        png[29..33].copy_from_slice(&crc.sum().to_be_bytes());
        let result =
            probe_bytes(png, Path::new("/e/big.png"), "big.png").and_then(|img| verify(&img));
        let (msg, _) = result.unwrap_err();
        assert!(msg.contains("`big.png`"), "{msg}");
        assert!(msg.contains("256 MB of memory"), "{msg}");
    }

    /// A JPEG with every tail cut off: each is refused, though the lenient decoder
    /// `image` uses accepts most of them.
    #[test]
    fn refuses_cut_short_jpeg() {
        let mut out = Cursor::new(Vec::new());
        let rgb =
            image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 4, y as u8 * 5, 90]));
        rgb.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
        let jpeg = out.into_inner();
        assert!(decode(jpeg.clone(), Path::new("/e/a.jpg"), "a.jpg").is_ok());
        for cut in [jpeg.len() - 2, jpeg.len() * 3 / 4, jpeg.len() / 2] {
            let Ok(img) = probe_bytes(jpeg[..cut].to_vec(), Path::new("/e/a.jpg"), "a.jpg") else {
                continue;
            };
            let Err((msg, _)) = verify(&img) else {
                panic!("a JPEG cut at {cut} of {} bytes is kept", jpeg.len());
            };
            assert!(msg.contains("`a.jpg` cannot be decoded"), "{msg}");
        }
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
