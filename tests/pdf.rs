//! The PDF writer and the PDF output, checked with real validators: qpdf (structure),
//! pdffonts (embedded subsets), pdftotext (exact text, reading order), pdfinfo (metadata).
//!
//! The first tests write a small hand-made frame document (shaped with rustybuzz on the
//! embedded Libertinus face); the `sample_*` tests build `editions/sample` through the binary.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use quire::layout::frame::{
    DocMeta, Document, FontFace, FontId, Glyph, Item, LinkTarget, OutlineEntry, Page, PageLabel,
    TextRun, glyph_range,
};
use quire::model::{Block, BlockKind, Image, ImageFormat, Inline, Rgb};
use quire::pdf::write::{Conformance, WriteOptions, write, write_with};
use rustybuzz::ttf_parser;

// ---------------------------------------------------------------------------------------
// A hand-made document
// ---------------------------------------------------------------------------------------

/// The embedded Libertinus Serif Regular face.
fn libertinus() -> &'static [u8] {
    typst_assets::fonts()
        .find(|data| {
            let Ok(face) = ttf_parser::Face::parse(data, 0) else {
                return false;
            };
            let family = face
                .names()
                .into_iter()
                .filter(|n| n.name_id == ttf_parser::name_id::FAMILY && n.is_unicode())
                .find_map(|n| n.to_string());
            family.as_deref() == Some("Libertinus Serif") && face.is_regular()
        })
        .expect("typst-assets embeds Libertinus Serif Regular")
}

/// The document's one face, given by hand.
fn faces() -> Vec<FontFace> {
    vec![FontFace {
        data: Arc::new(libertinus()),
        index: 0,
        family: "Libertinus Serif".into(),
        path: None,
    }]
}

/// Shapes `text` with rustybuzz (default features, ligatures on) into frame glyphs at
/// `size`: the first glyph of a cluster covers the cluster's bytes, later ones are empty.
fn shape(text: &str, size: f32) -> Vec<Glyph> {
    let face = rustybuzz::Face::from_slice(libertinus(), 0).unwrap();
    let scale = size / f32::from(face.units_per_em() as u16);
    let mut buffer = rustybuzz::UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.guess_segment_properties();
    let shaped = rustybuzz::shape(&face, &[], buffer);
    let infos = shaped.glyph_infos();
    let positions = shaped.glyph_positions();
    let mut glyphs = Vec::new();
    for (i, (info, pos)) in infos.iter().zip(positions).enumerate() {
        let start = info.cluster as usize;
        let first_of_cluster = i == 0 || infos[i - 1].cluster != info.cluster;
        let end = infos[i..]
            .iter()
            .map(|g| g.cluster as usize)
            .find(|&c| c > start)
            .unwrap_or(text.len());
        glyphs.push(Glyph {
            id: info.glyph_id as u16,
            x_advance: pos.x_advance as f32 * scale,
            x_offset: pos.x_offset as f32 * scale,
            y_offset: pos.y_offset as f32 * scale,
            range: glyph_range(if first_of_cluster {
                start..end
            } else {
                end..end
            }),
        });
    }
    glyphs
}

fn text_run(text: &str, x: f32, y: f32, size: f32, colour: Rgb, h_scale: f32) -> Item {
    Item::Text(TextRun {
        x,
        y,
        font: FontId(0),
        size,
        colour,
        text: text.into(),
        glyphs: shape(text, size),
        h_scale,
        node: None,
        source: None,
        lang: None,
    })
}

/// A small RGB test image, encoded as `format`.
fn test_image(format: ImageFormat, name: &str) -> Image {
    let (w, h) = (24u32, 16u32);
    let pixels: Vec<u8> = (0..w * h)
        .flat_map(|i| [(i % w * 10) as u8, (i / w * 15) as u8, 128])
        .collect();
    let mut bytes = Vec::new();
    match format {
        ImageFormat::Jpeg => image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 85)
            .encode(&pixels, w, h, image::ExtendedColorType::Rgb8)
            .unwrap(),
        ImageFormat::Png => {
            use image::ImageEncoder;
            image::codecs::png::PngEncoder::new(&mut bytes)
                .write_image(&pixels, w, h, image::ExtendedColorType::Rgb8)
                .unwrap()
        }
    }
    Image {
        path: PathBuf::from(format!("/fixture/{name}")),
        rel_path: name.into(),
        alt: format!("A test pattern ({name})"),
        format,
        width_px: w,
        height_px: h,
        data: Arc::new(bytes),
    }
}

/// The text each page shows, line by line, as extraction must return it.
const PAGE_ONE: [&str; 3] = [
    "The Ligature Gazette",
    "Efficient offices shuffle fluffy files.",
    "A second line, set narrower.",
];
const PAGE_TWO: [&str; 1] = ["Page two has the final word."];

/// Two A5 pages: text with ligatures (one run scaled), a rule, a JPEG and a PNG, links to a
/// URL and to page 2, a two-level outline, roman then arabic page labels.
fn hand_document() -> Document {
    let black = Rgb(0, 0, 0);
    let accent = Rgb(160, 30, 40);
    let page_one = Page {
        width: 420.0,
        height: 595.0,
        label: PageLabel::Roman(1),
        items: vec![
            text_run(PAGE_ONE[0], 40.0, 60.0, 24.0, accent, 1.0),
            Item::Rect {
                x: 40.0,
                y: 70.0,
                width: 340.0,
                height: 1.0,
                colour: accent,
            },
            text_run(PAGE_ONE[1], 40.0, 100.0, 11.0, black, 1.0),
            text_run(PAGE_ONE[2], 40.0, 114.0, 11.0, black, 0.97),
            Item::Image {
                x: 40.0,
                y: 140.0,
                width: 120.0,
                height: 80.0,
                image: test_image(ImageFormat::Jpeg, "pattern.jpg"),
                node: None,
            },
            Item::Image {
                x: 200.0,
                y: 140.0,
                width: 120.0,
                height: 80.0,
                image: test_image(ImageFormat::Png, "pattern.png"),
                node: None,
            },
            Item::Link {
                x: 40.0,
                y: 90.0,
                width: 200.0,
                height: 14.0,
                target: LinkTarget::Url("https://example.org/quire".into()),
                node: None,
            },
            Item::Link {
                x: 40.0,
                y: 104.0,
                width: 200.0,
                height: 14.0,
                target: LinkTarget::Page { page: 1, y: 80.0 },
                node: None,
            },
        ],
    };
    let page_two = Page {
        width: 420.0,
        height: 595.0,
        label: PageLabel::Arabic(1),
        items: vec![text_run(PAGE_TWO[0], 40.0, 100.0, 11.0, black, 1.0)],
    };
    Document {
        fonts: faces(),
        fits: Vec::new(),
        structure: Vec::new(),
        pages: vec![page_one, page_two],
        outline: vec![OutlineEntry {
            title: "Features".into(),
            page: 0,
            y: 60.0,
            children: vec![OutlineEntry {
                title: "Page two".into(),
                page: 1,
                y: 80.0,
                children: vec![],
            }],
        }],
        meta: DocMeta {
            title: "The Ligature Gazette 7".into(),
            authors: vec!["Ada Byline".into(), "Ben Colophon".into()],
            subject: Some("A test issue".into()),
            keywords: vec!["testing".into(), "ligatures".into()],
            language: "en-GB".into(),
            date: (2026, 11, 1),
            ..DocMeta::default()
        },
    }
}

fn write_temp(bytes: &[u8], dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

// ---------------------------------------------------------------------------------------
// Validator helpers
// ---------------------------------------------------------------------------------------

/// `qpdf --check` finds no error and no warning.
fn assert_qpdf_clean(pdf: &Path) {
    let Some(qpdf) = common::tool("qpdf") else {
        return;
    };
    let out = Command::new(qpdf).arg("--check").arg(pdf).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.trim().is_empty() && !stdout.contains("WARNING"),
        "qpdf --check failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    assert!(
        stdout.contains("No syntax or stream encoding errors"),
        "{stdout}"
    );
}

/// Every font `pdffonts` lists is embedded and subset, with a ToUnicode map. Returns the
/// font names.
fn assert_fonts_embedded_subset(pdf: &Path) -> Vec<String> {
    let Some(pdffonts) = common::tool("pdffonts") else {
        return vec![];
    };
    let out = Command::new(pdffonts).arg(pdf).output().unwrap();
    assert!(out.status.success(), "pdffonts failed");
    let listing = String::from_utf8_lossy(&out.stdout).to_string();
    let mut names = Vec::new();
    for line in listing.lines().skip(2) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        assert!(cols.len() >= 7, "unexpected pdffonts line: {line}");
        let n = cols.len();
        let (emb, sub, uni) = (cols[n - 5], cols[n - 4], cols[n - 3]);
        assert_eq!(
            (emb, sub, uni),
            ("yes", "yes", "yes"),
            "font not embedded+subset+mapped: {line}"
        );
        names.push(cols[0].to_string());
    }
    assert!(!names.is_empty(), "pdffonts lists no font:\n{listing}");
    names
}

/// The text of every page (`pdftotext`, reading order), or `None` when the tool is missing.
/// The text of each page. `raw` keeps the content-stream order (the order quire draws
/// in, column by column) instead of pdftotext's guess at the reading order, which can
/// jump between columns on pages with tables and notes.
fn pdftotext_pages(pdf: &Path, raw: bool) -> Option<Vec<String>> {
    let pdftotext = common::tool("pdftotext")?;
    let out = Command::new(pdftotext)
        .args(["-enc", "UTF-8"])
        .args(raw.then_some("-raw"))
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success(), "pdftotext failed");
    let text = String::from_utf8(out.stdout).expect("pdftotext writes UTF-8");
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    Some(pages)
}

/// `pdfinfo` fields as (key, value).
fn pdfinfo(pdf: &Path) -> Option<Vec<(String, String)>> {
    let pdfinfo = common::tool("pdfinfo")?;
    let out = Command::new(pdfinfo)
        .args(["-isodates"])
        .arg(pdf)
        .output()
        .unwrap();
    assert!(out.status.success(), "pdfinfo failed");
    Some(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect(),
    )
}

/// `qpdf --json` restricted to `keys`.
fn qpdf_json(pdf: &Path, keys: &[&str]) -> Option<serde_json::Value> {
    let qpdf = common::tool("qpdf")?;
    let mut cmd = Command::new(qpdf);
    cmd.arg("--json=2");
    for k in keys {
        cmd.arg(format!("--json-key={k}"));
    }
    let out = cmd.arg(pdf).output().unwrap();
    assert!(out.status.success(), "qpdf --json failed");
    Some(serde_json::from_slice(&out.stdout).expect("qpdf writes JSON"))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

// ---------------------------------------------------------------------------------------
// Tests on the hand-made document
// ---------------------------------------------------------------------------------------

#[test]
fn the_test_text_really_has_ligatures() {
    let glyphs = shape(PAGE_ONE[1], 11.0);
    assert!(
        glyphs.len() < PAGE_ONE[1].chars().count(),
        "Libertinus should form ligatures in {:?}",
        PAGE_ONE[1]
    );
    assert!(glyphs.iter().any(|g| g.range.len() >= 2));
}

#[test]
fn hand_document_passes_qpdf_and_embeds_subset_fonts() {
    let dir = common::temp_dir();
    let bytes = write(&hand_document()).expect("the document is written");
    assert!(bytes.starts_with(b"%PDF-1.7"));
    let pdf = write_temp(&bytes, dir.path(), "hand.pdf");
    assert_qpdf_clean(&pdf);
    let names = assert_fonts_embedded_subset(&pdf);
    for name in names {
        assert!(name.contains('+') && name.contains("Libertinus"), "{name}");
    }
}

#[test]
fn hand_document_text_extracts_exactly() {
    let dir = common::temp_dir();
    let bytes = write(&hand_document()).unwrap();
    let pdf = write_temp(&bytes, dir.path(), "hand.pdf");
    let Some(pages) = pdftotext_pages(&pdf, false) else {
        return;
    };
    let lines = |page: &str| -> Vec<String> {
        page.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    };
    assert_eq!(pages.len(), 2, "{pages:?}");
    assert_eq!(lines(&pages[0]), PAGE_ONE);
    assert_eq!(lines(&pages[1]), PAGE_TWO);
}

#[test]
fn hand_document_has_metadata_labels_outline_and_links() {
    let dir = common::temp_dir();
    let bytes = write(&hand_document()).unwrap();
    let pdf = write_temp(&bytes, dir.path(), "hand.pdf");

    // PDF/A-2a claim in the XMP packet (written uncompressed) and an sRGB output intent.
    assert!(contains(&bytes, b"pdfaid:part"), "no PDF/A identification");
    assert!(contains(&bytes, b"/OutputIntents"), "no output intent");
    // Links: a URI action and a destination.
    assert!(contains(&bytes, b"https://example.org/quire"));
    assert!(contains(&bytes, b"/URI"));

    if let Some(info) = pdfinfo(&pdf) {
        let get = |k: &str| {
            info.iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| panic!("pdfinfo has no {k}: {info:?}"))
        };
        assert_eq!(get("Title"), "The Ligature Gazette 7");
        // The authors are in the XMP, one `dc:creator` entry each; the information
        // dictionary has no /Author (PDF/A wants it equal to a single entry).
        assert!(info.iter().all(|(k, _)| k != "Author"), "{info:?}");
        assert!(contains(
            &bytes,
            b"<dc:creator><rdf:Seq><rdf:li>Ada Byline</rdf:li><rdf:li>Ben Colophon</rdf:li></rdf:Seq></dc:creator>"
        ));
        assert_eq!(get("Subject"), "A test issue");
        assert_eq!(get("Keywords"), "testing, ligatures");
        assert_eq!(get("Producer"), "quire");
        assert!(get("CreationDate").starts_with("2026-11-01"), "{info:?}");
        assert!(get("ModDate").starts_with("2026-11-01"), "{info:?}");
        assert_eq!(get("Pages"), "2");
        assert_eq!(get("PDF version"), "1.7");
        assert!(get("Page size").starts_with("420 x 595 pts"), "{info:?}");
    }

    if let Some(json) = qpdf_json(&pdf, &["pages", "outlines", "pagelabels"]) {
        let labels = &json["pagelabels"];
        assert_eq!(labels[0]["index"], 0);
        assert_eq!(labels[0]["label"]["/S"], "/r");
        assert_eq!(labels[0]["label"]["/St"], 1);
        assert_eq!(labels[1]["index"], 1);
        assert_eq!(labels[1]["label"]["/S"], "/D");
        assert_eq!(labels[1]["label"]["/St"], 1);

        let outlines = json["outlines"].as_array().unwrap();
        assert_eq!(outlines.len(), 1);
        assert_eq!(outlines[0]["title"], "Features");
        assert_eq!(outlines[0]["destpageposfrom1"], 1);
        let kids = outlines[0]["kids"].as_array().unwrap();
        assert_eq!(kids.len(), 1);
        assert_eq!(kids[0]["title"], "Page two");
        assert_eq!(kids[0]["destpageposfrom1"], 2);
    }
}

#[test]
fn writing_twice_gives_identical_bytes() {
    let a = write(&hand_document()).unwrap();
    let b = write(&hand_document()).unwrap();
    assert!(a == b, "two writes of the same frames differ");
}

#[test]
fn jpeg_bytes_are_embedded_unchanged() {
    let doc = hand_document();
    let jpeg = doc.pages[0]
        .items
        .iter()
        .find_map(|i| match i {
            Item::Image { image, .. } if image.format == ImageFormat::Jpeg => {
                Some(image.data.clone())
            }
            _ => None,
        })
        .unwrap();
    let bytes = write(&doc).unwrap();
    assert!(contains(&bytes, &jpeg), "the JPEG was re-encoded");
    assert!(contains(&bytes, b"/DCTDecode"));
}

#[test]
fn a_missing_glyph_fails_the_archive_pdf_with_its_place() {
    let mut doc = hand_document();
    if let Item::Text(run) = &mut doc.pages[1].items[0] {
        run.glyphs[0].id = 0; // .notdef
    }
    let err = write(&doc).unwrap_err();
    assert!(err.contains("page 2, item 1"), "{err}");
    assert!(err.contains("Libertinus Serif"), "{err}");
    assert!(err.contains(".notdef"), "{err}");
    assert!(err.contains("PDF/A-2a"), "{err}");

    // Without a conformance claim the same frames are written.
    let plain = write_with(
        &doc,
        &WriteOptions {
            conformance: Conformance::Plain,
        },
    )
    .expect("plain PDF accepts .notdef");
    assert!(!contains(&plain, b"pdfaid:part"));
}

#[test]
fn bad_glyph_ranges_are_refused() {
    let mut doc = hand_document();
    if let Item::Text(run) = &mut doc.pages[1].items[0] {
        run.glyphs[0].range = 0..999;
    }
    let err = write(&doc).unwrap_err();
    assert!(err.contains("page 2, item 1"), "{err}");
}

// ---------------------------------------------------------------------------------------
// The sample edition through the binary
// ---------------------------------------------------------------------------------------

/// Builds `editions/sample` as PDF into `out` and returns the PDF's path.
fn build_sample(out: &Path) -> PathBuf {
    let out_arg = out.to_str().unwrap();
    let result = common::quire(&[
        "build",
        "editions/sample",
        "--format",
        "pdf",
        "--out",
        out_arg,
    ]);
    assert!(
        result.status.success(),
        "quire build failed:\n{}\n{}",
        String::from_utf8_lossy(&result.stdout),
        String::from_utf8_lossy(&result.stderr)
    );
    let pdf = out.join("sample.pdf");
    assert!(pdf.is_file(), "no {}", pdf.display());
    pdf
}

#[test]
fn sample_pdf_passes_validators() {
    let dir = common::temp_dir();
    let pdf = build_sample(dir.path());
    assert_qpdf_clean(&pdf);
    assert_fonts_embedded_subset(&pdf);
    if let Some(info) = pdfinfo(&pdf) {
        let producer = info.iter().find(|(k, _)| k == "Producer");
        assert_eq!(producer.map(|(_, v)| v.as_str()), Some("quire"));
    }
}

#[test]
fn sample_builds_are_byte_identical() {
    let a = common::temp_dir();
    let b = common::temp_dir();
    let first = std::fs::read(build_sample(a.path())).unwrap();
    let second = std::fs::read(build_sample(b.path())).unwrap();
    assert!(first == second, "two builds of the sample differ");
}

#[test]
fn sample_articles_read_in_order() {
    let dir = common::temp_dir();
    let pdf = build_sample(dir.path());
    let Some(pages) = pdftotext_pages(&pdf, true) else {
        return;
    };
    let extracted = extracted_words(&pages.join("\n"));
    let edition = quire::edition::load(&common::root().join("editions/sample"))
        .unwrap_or_else(|e| panic!("the sample loads: {e}"));
    let mut cursor = 0;
    let mut checked = 0;
    for (_, article) in edition.articles() {
        let mut paragraphs = Vec::new();
        collect_paragraphs(&article.blocks, &mut paragraphs);
        for paragraph in paragraphs {
            let words = source_words(&paragraph);
            if words.is_empty() {
                continue;
            }
            match find_in_order(&extracted, cursor, &words) {
                Some(end) => cursor = end,
                None => panic!(
                    "article `{}`: this paragraph is not found in reading order after word \
                     {cursor} of the PDF text:\n{}\n\nPDF text there: {}",
                    article.id,
                    words.join(" "),
                    extracted[cursor.min(extracted.len())..]
                        .iter()
                        .take(60)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(" ")
                ),
            }
            checked += 1;
        }
    }
    assert!(checked > 0, "the sample has no paragraphs to check");
}

/// The running text of an article: paragraphs, subheads, list items and quotes, in order.
/// Figures, tables, code, pull quotes (display copies) and footnotes are left out.
fn collect_paragraphs(blocks: &[Block], out: &mut Vec<String>) {
    for block in blocks {
        match &block.kind {
            BlockKind::Paragraph(inlines)
            | BlockKind::Heading {
                content: inlines, ..
            } => out.push(Inline::plain_text(inlines)),
            BlockKind::List(list) => {
                for item in &list.items {
                    collect_paragraphs(item, out);
                }
            }
            BlockKind::Quote(inner) => collect_paragraphs(inner, out),
            _ => {}
        }
    }
}

/// A word reduced to what survives any faithful extraction: letters only (hyphens, soft
/// hyphens, punctuation, quotes and digits such as note markers dropped), lower case.
fn normalise(word: &str) -> String {
    word.chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect()
}

fn source_words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(normalise)
        .filter(|w| !w.is_empty())
        .collect()
}

/// Extracted text as words; a line ending in a hyphen (hard, soft or U+2010) is joined to
/// the next line, since the break may be a hyphenation point.
fn extracted_words(text: &str) -> Vec<String> {
    let mut joined = String::new();
    for line in text.lines() {
        let line = line.trim_end();
        match line.strip_suffix(['-', '\u{ad}', '\u{2010}']) {
            Some(head) => joined.push_str(head),
            None => {
                joined.push_str(line);
                joined.push('\n');
            }
        }
    }
    source_words(&joined)
}

/// Finds `words` in `hay` from `from` on, in order, compactly: an attempt starts at each
/// occurrence of the first word and may skip a few foreign words (running heads, folios,
/// notes, captions). A source word may also come out split in two or three pieces (a line
/// break whose hyphen was not extracted). Returns the index after the last match.
fn find_in_order(hay: &[String], from: usize, words: &[String]) -> Option<usize> {
    let slack = 60 + words.len() / 4;
    for start in from..hay.len() {
        if !hay[start].is_empty() && !words[0].starts_with(hay[start].as_str()) {
            continue;
        }
        let mut pos = start;
        let mut ok = true;
        for word in words {
            match match_word(hay, pos, word, start + words.len() + slack) {
                Some(next) => pos = next,
                None => {
                    ok = false;
                    break;
                }
            }
        }
        if ok {
            return Some(pos);
        }
    }
    None
}

/// The index after `word`, looked for in `hay[from..limit]`, whole or in up to three pieces,
/// or hyphenated at a column's foot with a footnote read between its halves: the first
/// half then comes out joined to the note's first word and the second half follows the
/// note.
fn match_word(hay: &[String], from: usize, word: &str, limit: usize) -> Option<usize> {
    for i in from..limit.min(hay.len()) {
        let mut acc = String::new();
        for (k, piece) in hay[i..].iter().take(3).enumerate() {
            acc.push_str(piece);
            if acc == word {
                return Some(i + k + 1);
            }
            if !word.starts_with(acc.as_str()) {
                break;
            }
        }
        let cuts = (2..word.len().saturating_sub(1)).filter(|&c| word.is_char_boundary(c));
        for cut in cuts {
            let (head, rest) = word.split_at(cut);
            if hay[i].starts_with(head) {
                let end = (i + 80).min(hay.len());
                if let Some(j) = (i + 1..end).find(|&j| hay[j] == rest) {
                    return Some(j + 1);
                }
            }
        }
    }
    None
}

#[test]
fn word_matching_tolerates_hyphenation_and_interruptions() {
    let hay = extracted_words(
        "Running head 12\nThe quick brown fox jum-\nped over the\n\u{c}Folio 13\nlazy dog’s back.",
    );
    let words = source_words("The quick brown fox jumped over the lazy dog's back.");
    assert!(find_in_order(&hay, 0, &words).is_some(), "{hay:?}");
    // A note at a column's foot read between the halves of a hyphenated word.
    let hay = extracted_words(
        "The quick brown fox jum-\n1 A note in small type.\nped over the lazy dog’s back.",
    );
    assert!(find_in_order(&hay, 0, &words).is_some(), "{hay:?}");
    // A hyphen that was not extracted: "jum" "ped".
    let hay = extracted_words("The quick brown fox jum\nped over the lazy dog’s back.");
    assert!(find_in_order(&hay, 0, &words).is_some(), "{hay:?}");
    // Wrong order fails.
    let hay = extracted_words("over the lazy dog’s back. The quick brown fox jumped");
    assert!(find_in_order(&hay, 0, &words).is_none());
    // A missing word fails.
    let hay = extracted_words("The quick brown fox over the lazy dog’s back.");
    assert!(find_in_order(&hay, 0, &words).is_none());
}

#[test]
fn sample_pages_are_numbered_from_the_cover() {
    let dir = common::temp_dir();
    let pdf = build_sample(dir.path());
    let Some(pages) = pdftotext_pages(&pdf, true) else {
        return;
    };
    assert!(pages.len() > 4, "{} pages", pages.len());
    // The folio is the last thing drawn on every page but the cover.
    for (i, text) in pages.iter().enumerate().skip(1) {
        let last = text.lines().rev().find(|l| !l.trim().is_empty()).unwrap();
        assert_eq!(last.trim(), (i + 1).to_string(), "folio of page {}", i + 1);
    }
    if let Some(json) = qpdf_json(&pdf, &["pagelabels", "outlines"]) {
        let ranges = json["pagelabels"].as_array().unwrap();
        for i in 0..pages.len() {
            let range = ranges
                .iter()
                .rfind(|r| r["index"].as_u64().unwrap() <= i as u64)
                .expect("a label range from the first page");
            assert_eq!(range["label"]["/S"], "/D", "page {}", i + 1);
            let first = range["label"]["/St"].as_u64().unwrap();
            let number = first + i as u64 - range["index"].as_u64().unwrap();
            assert_eq!(number, i as u64 + 1, "label of page {}", i + 1);
        }
        // The contents (page 2) print, in order, the pages the bookmarks open, then the
        // folio 2.
        let printed: Vec<u64> = pages[1]
            .lines()
            .filter_map(|l| l.trim().parse().ok())
            .collect();
        let mut opened: Vec<u64> = json["outlines"].as_array().unwrap()[1..]
            .iter()
            .flat_map(|s| s["kids"].as_array().unwrap())
            .map(|a| a["destpageposfrom1"].as_u64().unwrap())
            .collect();
        opened.push(2);
        assert_eq!(printed, opened);
    }
}
