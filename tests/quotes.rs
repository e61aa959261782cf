//! Front matter and `edition.toml` text come out typographic in the article's language:
//! titles, kickers, standfirsts, author and editor names, section titles, the magazine's
//! title, subtitle and description. `tests/cases/quotes` is written with straight marks
//! and built in English, German and French; the model, the PDF text (`pdftotext`) and the
//! EPUB's XHTML must all hold the smartened text and none of the straight marks.

mod common;

use std::io::{Cursor, Read};
use std::path::Path;
use std::process::Command;

/// What one language prints, written out by hand.
struct Expect {
    tag: &'static str,
    title: &'static str,
    quoted: &'static str,
    subtitle: &'static str,
}

const NAME: &str = "Liam O’Brien";
const EDITOR: &str = "Siobhan O’Neill";
const MAGAZINE: &str = "The Keeper’s Log";
const SECTION: &str = "Readers’ Letters";
const KICKER: &str = "Sea’s notes";

#[test]
fn english_front_matter_is_typographic() {
    check(&Expect {
        tag: "en",
        title: "The “Tide” Tables",
        quoted: "“the count”",
        subtitle: "Notes on the “slow” coast",
    });
}

#[test]
fn german_front_matter_is_typographic() {
    check(&Expect {
        tag: "de",
        title: "The „Tide“ Tables",
        quoted: "„the count“",
        subtitle: "Notes on the „slow“ coast",
    });
}

#[test]
fn french_front_matter_is_typographic() {
    check(&Expect {
        tag: "fr",
        title: "The «\u{202f}Tide\u{202f}» Tables",
        quoted: "«\u{202f}the count\u{202f}»",
        subtitle: "Notes on the «\u{202f}slow\u{202f}» coast",
    });
}

fn check(want: &Expect) {
    let tag = want.tag;
    let tmp = common::temp_dir();
    let dir = tmp.path().join(format!("quotes-{tag}"));
    common::copy_dir(&common::root().join("tests/cases/quotes"), &dir);
    let toml_path = dir.join("edition.toml");
    let toml = std::fs::read_to_string(&toml_path).unwrap();
    assert!(toml.contains("\nlanguage = \"en\"\n"));
    let toml = toml.replace(
        "\nlanguage = \"en\"\n",
        &format!("\nlanguage = \"{tag}\"\n"),
    );
    std::fs::write(&toml_path, toml).unwrap();

    // The model keeps the smartened text only.
    let edition = quire::edition::load(&dir).expect("the fixture loads");
    let m = &edition.meta;
    assert_eq!(m.title, MAGAZINE, "{tag}: magazine title");
    assert_eq!(
        m.subtitle.as_deref(),
        Some(want.subtitle),
        "{tag}: subtitle"
    );
    assert_eq!(
        m.description.as_deref(),
        Some("A season’s notes from the quay."),
        "{tag}: description"
    );
    assert_eq!(m.editors, [EDITOR, "Idris Bello"], "{tag}: editors");
    assert_eq!(edition.sections[0].title, SECTION, "{tag}: section title");
    let (_, a) = edition.articles().next().unwrap();
    assert_eq!(a.title, want.title, "{tag}: article title");
    assert_eq!(a.kicker.as_deref(), Some(KICKER), "{tag}: kicker");
    assert_eq!(
        a.standfirst.as_deref(),
        Some(format!("What the keeper calls {}.", want.quoted).as_str()),
        "{tag}: standfirst"
    );
    assert_eq!(a.authors, [NAME, "Ann Marr"], "{tag}: authors");

    let out = tmp.path().join("out");
    let (pdf_path, epub_path) = common::build(&dir, &out);
    let printed = [
        want.title,
        want.quoted,
        NAME,
        EDITOR,
        MAGAZINE,
        SECTION,
        KICKER,
    ];

    // The EPUB: the article, the masthead (title, editors, contents) and the package.
    let epub = epub_text(&epub_path);
    for text in printed.iter().chain([&want.subtitle]) {
        assert!(epub.contains(text), "{tag}: the EPUB lacks {text:?}");
    }
    assert_no_straight_marks(&epub, tag, "EPUB");

    // The PDF: cover, contents, the article's head and byline.
    if let Some(pdf) = pdf_text(&pdf_path) {
        for text in printed {
            // pdftotext reports the narrow no-break space as a plain space (poppler folds
            // every space character); the PDF itself maps the glyph to U+202F, which
            // `french_pdf_keeps_the_narrow_space` checks.
            let text = text.replace('\u{202f}', " ");
            assert!(pdf.contains(&text), "{tag}: the PDF lacks {text:?}:\n{pdf}");
        }
        assert_no_straight_marks(&pdf, tag, "PDF");
    }
    if tag == "fr" {
        french_pdf_keeps_the_narrow_space(&pdf_path);
    }
}

/// The glyph set inside guillemets is the narrow no-break space in the PDF's text: a
/// ToUnicode map gives U+202F, and the outline's title of the article holds it.
fn french_pdf_keeps_the_narrow_space(pdf: &Path) {
    let Some(qpdf) = common::tool("qpdf") else {
        return;
    };
    let plain = pdf.with_extension("qdf.pdf");
    let status = Command::new(qpdf)
        .args(["--qdf", "--object-streams=disable"])
        .arg(pdf)
        .arg(&plain)
        .status()
        .expect("qpdf runs");
    assert!(status.success());
    let bytes = std::fs::read(&plain).unwrap();
    let text = String::from_utf8_lossy(&bytes).to_ascii_lowercase();
    assert!(text.contains("<202f>"), "no glyph maps to U+202F");
    // « U+202F T … in the UTF-16 of the outline entry "The « Tide » Tables".
    assert!(text.contains("00ab202f0054"), "the outline lacks « Tide");
}

/// No straight quote or apostrophe in `text` outside markup.
fn assert_no_straight_marks(text: &str, tag: &str, what: &str) {
    // XML attributes use straight quotes; the text between tags must not.
    let mut inside = false;
    for (i, c) in text.char_indices() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            '"' | '\'' if !inside => {
                panic!(
                    "{tag}: a straight mark in the {what}: {:?}",
                    &text[i.saturating_sub(40)..]
                )
            }
            _ => {}
        }
    }
}

/// The text of the article, masthead, nav and package documents of the EPUB, one after
/// the other.
fn epub_text(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("the EPUB is a zip");
    let names: Vec<String> = archive
        .file_names()
        .filter(|n| n.ends_with(".xhtml") || n.ends_with(".opf") || n.ends_with(".ncx"))
        .map(str::to_string)
        .collect();
    let mut all = String::new();
    for name in names {
        let mut f = archive.by_name(&name).unwrap();
        f.read_to_string(&mut all).unwrap();
    }
    all
}

/// The PDF's text with line ends as spaces, or `None` when pdftotext is missing.
fn pdf_text(path: &Path) -> Option<String> {
    let pdftotext = common::tool("pdftotext")?;
    let out = Command::new(pdftotext)
        .args([path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext runs");
    assert!(out.status.success());
    Some(String::from_utf8(out.stdout).unwrap().replace('\n', " "))
}
