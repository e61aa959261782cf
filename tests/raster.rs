//! Pages drawn as pixels: the EPUB's typographic cover (the PDF's first page as PNG,
//! compared with poppler's rendering of the PDF) and `quire build --pages` previews.

mod common;

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A small edition without a cover image: its cover is typographic.
const EDITION: &str = "tests/cases/generated";
const SLUG: &str = "generated";

fn build(out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["build", EDITION, "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    common::quire(&args)
}

fn built(out: &Path, extra: &[&str]) {
    let result = build(out, extra);
    assert!(
        result.status.success(),
        "quire build failed:\n{}",
        String::from_utf8_lossy(&result.stderr)
    );
}

/// A file of the EPUB.
fn epub_file(epub: &Path, name: &str) -> Vec<u8> {
    let bytes = std::fs::read(epub).unwrap();
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    let mut f = archive
        .by_name(name)
        .unwrap_or_else(|_| panic!("{name} missing from the EPUB"));
    let mut data = Vec::new();
    f.read_to_end(&mut data).unwrap();
    data
}

fn decode(png: &[u8]) -> image::RgbImage {
    image::load_from_memory_with_format(png, image::ImageFormat::Png)
        .expect("a PNG")
        .into_rgb8()
}

/// A pixel that is not paper: any channel more than 48 below white.
fn inked(p: &image::Rgb<u8>) -> bool {
    p.0.iter().any(|&c| c < 207)
}

/// The share of inked pixels and their bounding box as fractions of the page
/// (left, top, right, bottom).
fn ink(img: &image::RgbImage) -> (f64, [f64; 4]) {
    let (w, h) = img.dimensions();
    let (mut l, mut t, mut r, mut b) = (w, h, 0, 0);
    let mut count = 0u64;
    for (x, y, p) in img.enumerate_pixels() {
        if inked(p) {
            count += 1;
            l = l.min(x);
            t = t.min(y);
            r = r.max(x);
            b = b.max(y);
        }
    }
    let (wf, hf) = (f64::from(w), f64::from(h));
    (
        count as f64 / (wf * hf),
        [
            f64::from(l) / wf,
            f64::from(t) / hf,
            f64::from(r) / wf,
            f64::from(b) / hf,
        ],
    )
}

/// Mean grey level in a grid of `n` × `n` cells (robust to anti-aliasing and to a pixel
/// of difference in size between two renderings).
fn cells(img: &image::RgbImage, n: u32) -> Vec<f64> {
    let (w, h) = img.dimensions();
    let mut sums = vec![(0f64, 0u64); (n * n) as usize];
    for (x, y, p) in img.enumerate_pixels() {
        let cell = ((y * n / h) * n + x * n / w) as usize;
        let grey = p.0.iter().map(|&c| f64::from(c)).sum::<f64>() / 3.0;
        sums[cell].0 += grey;
        sums[cell].1 += 1;
    }
    sums.into_iter().map(|(s, c)| s / c.max(1) as f64).collect()
}

#[test]
fn the_epub_cover_is_the_pdfs_first_page_drawn() {
    let out = tempfile::tempdir().unwrap();
    built(out.path(), &["--format", "pdf,epub"]);
    let epub = out.path().join(format!("{SLUG}.epub"));
    let opf = String::from_utf8(epub_file(&epub, "OEBPS/content.opf")).unwrap();
    assert!(
        opf.contains("media-type=\"image/png\" properties=\"cover-image\" id=\"cover-image\" href=\"images/cover.png\""),
        "{opf}"
    );
    let xhtml = String::from_utf8(epub_file(&epub, "OEBPS/cover.xhtml")).unwrap();
    assert!(
        xhtml.contains("src=\"images/cover.png\" alt=\"Cover: The Meridian Review, Issue 24, March 2026. In this issue: "),
        "{xhtml}"
    );
    let ours = decode(&epub_file(&epub, "OEBPS/images/cover.png"));
    let (w, h) = ours.dimensions();
    assert!(w.max(h) >= 1600, "{w} × {h}");
    let (share, ours_box) = ink(&ours);
    assert!(share > 0.02, "only {share:.4} of the cover is inked");

    // poppler's rendering of the PDF's first page at the same size.
    let Some(pdftoppm) = common::tool("pdftoppm") else {
        return;
    };
    let prefix = out.path().join("poppler");
    let status = Command::new(pdftoppm)
        .args(["-f", "1", "-l", "1", "-png", "-singlefile", "-scale-to"])
        .arg(w.max(h).to_string())
        .arg(out.path().join(format!("{SLUG}.pdf")))
        .arg(&prefix)
        .status()
        .unwrap();
    assert!(status.success());
    let theirs = decode(&std::fs::read(prefix.with_extension("png")).unwrap());
    let (w2, h2) = theirs.dimensions();
    assert!(
        w.abs_diff(w2) <= 1 && h.abs_diff(h2) <= 1,
        "{w}×{h} vs {w2}×{h2}"
    );
    let (their_share, theirs_box) = ink(&theirs);
    for (side, (a, b)) in ["left", "top", "right", "bottom"]
        .iter()
        .zip(ours_box.iter().zip(&theirs_box))
    {
        assert!(
            (a - b).abs() < 0.01,
            "ink {side}: ours {a:.4}, poppler {b:.4}"
        );
    }
    assert!(
        (share - their_share).abs() < share * 0.15,
        "inked share: ours {share:.4}, poppler {their_share:.4}"
    );
    let (a, b) = (cells(&ours, 32), cells(&theirs, 32));
    let mean = a.iter().zip(&b).map(|(x, y)| (x - y).abs()).sum::<f64>() / a.len() as f64;
    let worst = a
        .iter()
        .zip(&b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max);
    assert!(
        mean < 2.0 && worst < 24.0,
        "grey difference per cell: mean {mean:.2}, worst {worst:.2}"
    );
}

/// The names of the files in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn preview(dir: &Path, page: usize) -> PathBuf {
    dir.join(format!("{SLUG}-p{page}.png"))
}

#[test]
fn pages_writes_exactly_the_pages_asked_for_reproducibly() {
    let out = tempfile::tempdir().unwrap();
    built(
        out.path(),
        &["--format", "pdf", "--pages", "1,3-4", "--ppi", "72"],
    );
    assert_eq!(
        names(out.path()),
        [
            format!("{SLUG}-p1.png"),
            format!("{SLUG}-p3.png"),
            format!("{SLUG}-p4.png"),
            format!("{SLUG}.pdf"),
        ]
    );
    let first = std::fs::read(preview(out.path(), 3)).unwrap();
    let small = decode(&first);
    assert!(ink(&small).0 > 0.01, "page 3 has text");

    // Twice the resolution, twice the pixels; the same input, the same bytes.
    let again = tempfile::tempdir().unwrap();
    built(
        again.path(),
        &["--format", "pdf", "--pages", "3", "--ppi", "144"],
    );
    let large = decode(&std::fs::read(preview(again.path(), 3)).unwrap());
    assert!(large.width().abs_diff(2 * small.width()) <= 1);
    assert!(large.height().abs_diff(2 * small.height()) <= 1);
    let third = tempfile::tempdir().unwrap();
    built(
        third.path(),
        &["--format", "pdf", "--pages", "3-3", "--ppi", "72"],
    );
    assert_eq!(std::fs::read(preview(third.path(), 3)).unwrap(), first);

    // The page's size in points is its size in pixels at 72 ppi.
    if let Some(pdfinfo) = common::tool("pdfinfo") {
        let info = Command::new(pdfinfo)
            .arg(out.path().join(format!("{SLUG}.pdf")))
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&info.stdout);
        let size = text
            .lines()
            .find_map(|l| l.strip_prefix("Page size:"))
            .expect("a page size");
        let numbers: Vec<f64> = size
            .split_whitespace()
            .filter_map(|t| t.parse().ok())
            .collect();
        assert!(
            (numbers[0] - f64::from(small.width())).abs() <= 1.0,
            "{size}"
        );
        assert!(
            (numbers[1] - f64::from(small.height())).abs() <= 1.0,
            "{size}"
        );
    }
}

#[test]
fn the_epub_is_the_same_bytes_every_time() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    built(a.path(), &["--format", "epub"]);
    built(b.path(), &["--format", "epub"]);
    let name = format!("{SLUG}.epub");
    assert_eq!(
        std::fs::read(a.path().join(&name)).unwrap(),
        std::fs::read(b.path().join(&name)).unwrap()
    );
}

#[test]
fn bad_page_ranges_are_usage_errors_and_write_nothing() {
    let out = tempfile::tempdir().unwrap();
    for (pages, says) in [
        ("0", "pages count from 1"),
        ("5-3", "ends before it begins"),
        ("x", "is not a page or a range"),
        ("1,,2", "has an empty entry"),
    ] {
        let result = build(out.path(), &["--pages", pages]);
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert_eq!(result.status.code(), Some(2), "{pages}: {stderr}");
        assert!(stderr.contains(says), "{pages}: {stderr}");
        assert!(stderr.contains("`1,3-5`"), "{pages}: {stderr}");
        assert!(stderr.contains("--pages"), "{pages}: {stderr}");
    }
    let result = build(out.path(), &["--ppi", "72"]);
    assert_eq!(result.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&result.stderr).contains("--pages"));
    let result = build(out.path(), &["--pages", "1", "--ppi", "0"]);
    assert_eq!(result.status.code(), Some(2));

    // A page the edition does not have: an error naming the count, and no output at all.
    let result = build(out.path(), &["--pages", "2,999"]);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(!result.status.success());
    assert!(
        stderr.contains("page 999") && stderr.contains("pages"),
        "{stderr}"
    );
    assert!(names(out.path()).is_empty(), "{:?}", names(out.path()));
}
