//! What must not slip through: links with a scheme neither output keeps, text a page
//! cannot hold, images that do not decode. Each test copies `tests/cases/base/`, adds one
//! hostile thing and checks both outputs and the messages.

mod common;

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::Case;

impl Case {
    fn build(&self) -> Output {
        common::quire(&[
            "build",
            self.ed.to_str().unwrap(),
            "--out",
            self.out.to_str().unwrap(),
        ])
    }

    /// Builds, expects success, returns stderr.
    fn builds(&self) -> String {
        let out = self.build();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(0), "stderr:\n{stderr}");
        stderr
    }

    fn pdf(&self) -> PathBuf {
        self.out.join("ed.pdf")
    }

    fn epub(&self) -> PathBuf {
        self.out.join("ed.epub")
    }
}

/// The text of every XHTML document of an EPUB, joined.
fn epub_xhtml(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    let mut all = String::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        if f.name().ends_with(".xhtml") {
            f.read_to_string(&mut all).unwrap();
        }
    }
    all
}

/// The PDF uncompressed by qpdf (`None` without qpdf, unless validators are required).
fn pdf_plain(pdf: &Path) -> Option<String> {
    let Some(qpdf) = common::tool("qpdf") else {
        assert!(!common::validators_required(), "qpdf is required");
        return None;
    };
    let plain = pdf.with_extension("qdf.pdf");
    let status = Command::new(qpdf)
        .args(["--qdf", "--object-streams=disable"])
        .arg(pdf)
        .arg(&plain)
        .status()
        .expect("qpdf runs");
    assert!(status.success());
    Some(String::from_utf8_lossy(&std::fs::read(&plain).unwrap()).into_owned())
}

/// The PDF's text by pdftotext, spaces and line ends collapsed.
fn pdf_text(pdf: &Path) -> Option<String> {
    let Some(tool) = common::tool("pdftotext") else {
        assert!(!common::validators_required(), "pdftotext is required");
        return None;
    };
    let out = Command::new(tool)
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Links with a scheme the docs do not keep, however spelled, are plain text in both
/// outputs with a warning at their line; https, http, mailto and article links stay.
#[test]
fn only_web_mail_and_article_links_stay_live() {
    let case = Case::new();
    let refused = [
        ("Alpha", "javascript:alert(1)"),
        ("Bravo", "<java\tscript:alert(2)>"),
        ("Charlie", "JaVaScRiPt:alert(3)"),
        ("Delta", "javascript&#58;alert(4)"),
        ("Echo", "java&#9;script:alert(5)"),
        ("Foxtrot", "vbscript:msgbox(6)"),
        ("Golf", "data:text/html;base64,PHNjcmlwdD4="),
        ("Hotel", "file:///etc/passwd"),
        ("India", "//evil.example/x"),
        ("Juliet", "%20javascript:alert(7)"),
    ];
    let mut md = String::from("---\ntitle: Links\nauthors: [A. Writer]\n---\n\n");
    for (text, url) in refused {
        md.push_str(&format!("A link to [{text}]({url}) here.\n\n"));
    }
    md.push_str("Kept: [Kilo](https://example.org/kilo), [Lima](HTTP://example.org/lima), ");
    md.push_str("[Mike](mailto:mike@example.org) and [November](one.md).\n");
    case.write("articles/links.md", md.as_bytes());
    let toml = std::fs::read_to_string(case.ed.join("edition.toml")).unwrap();
    std::fs::write(
        case.ed.join("edition.toml"),
        toml.replace(
            "\"articles/two.md\"",
            "\"articles/two.md\", \"articles/links.md\"",
        ),
    )
    .unwrap();
    assert!(
        std::fs::read_to_string(case.ed.join("edition.toml"))
            .unwrap()
            .contains("links.md"),
        "the article is listed"
    );
    let stderr = case.builds();

    // One warning per refused link, at its line (front matter is 4 lines, then a blank,
    // then one paragraph every two lines).
    for (i, (text, _)) in refused.iter().enumerate() {
        let place = format!("links.md:{}:", 6 + 2 * i);
        assert!(
            stderr.contains(&place),
            "no warning at {place} for {text}:\n{stderr}"
        );
    }
    assert!(stderr.contains("kept as plain text"), "{stderr}");

    let xhtml = epub_xhtml(&case.epub()).to_ascii_lowercase();
    for bad in ["script:", "href=\"data:", "href=\"file:", "href=\"//"] {
        assert!(!xhtml.contains(bad), "`{bad}` in the EPUB");
    }
    for good in [
        "href=\"https://example.org/kilo\"",
        "href=\"http://example.org/lima\"",
        "href=\"mailto:mike@example.org\"",
    ] {
        assert!(xhtml.contains(good), "`{good}` not in the EPUB");
    }
    for (text, _) in refused {
        assert!(xhtml.contains(&text.to_ascii_lowercase()), "{text} lost");
    }

    if let Some(plain) = pdf_plain(&case.pdf()) {
        let plain = plain.to_ascii_lowercase();
        for bad in [
            "script:",
            "data:text",
            "file:",
            "evil.example",
            "/uri (one.md",
        ] {
            assert!(!plain.contains(bad), "`{bad}` in the PDF");
        }
        for good in ["example.org/kilo", "example.org/lima", "mailto:mike"] {
            assert!(plain.contains(good), "`{good}` not a link in the PDF");
        }
    }
    if let Some(text) = pdf_text(&case.pdf()) {
        for (word, _) in refused {
            assert!(text.contains(word), "{word} not in the PDF's text");
        }
    }
}

/// The process-colour JPEG of `tests/cases/cmyk`, whole.
fn cmyk_jpeg() -> Vec<u8> {
    std::fs::read(common::root().join("tests/cases/cmyk/images/bands-cmyk.jpg")).unwrap()
}

/// Builds and checks the refusal: exit 1, `place` and `needle` on stderr, no output.
fn refused(case: &Case, place: &str, needle: &str) {
    let out = case.build();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "stderr:\n{stderr}");
    assert!(stderr.contains(place), "`{place}` not in stderr:\n{stderr}");
    assert!(
        stderr.contains(needle),
        "`{needle}` not in stderr:\n{stderr}"
    );
    assert!(
        !case.pdf().exists() && !case.epub().exists(),
        "an output was written"
    );
}

/// Damaged JPEGs: cut short at several places (the lenient decoder fills the rest with
/// grey and the file used to be embedded as is, an invalid stream for qpdf), or with
/// bytes overwritten inside the scan. As a figure, the error names the article and line;
/// as the cover, the `cover` key of edition.toml.
#[test]
fn damaged_jpegs_are_refused_where_they_are_named() {
    let whole = cmyk_jpeg();
    let mut overwritten = whole.clone();
    let mid = whole.len() / 2;
    overwritten[mid..mid + 64].fill(0xFF);
    let damaged = [
        whole[..whole.len() - 2].to_vec(),
        whole[..whole.len() * 3 / 4].to_vec(),
        whole[..whole.len() / 2].to_vec(),
        overwritten,
    ];
    for (i, bytes) in damaged.iter().enumerate() {
        let case = Case::new();
        case.write("images/bad.jpg", bytes);
        let one = std::fs::read_to_string(case.ed.join("articles/one.md")).unwrap();
        let one = one.replace("../images/pic.png", "../images/bad.jpg");
        case.write("articles/one.md", one.as_bytes());
        refused(&case, "one.md:9:", "`images/bad.jpg` cannot be decoded");

        let case = Case::new();
        case.write("images/bad.jpg", bytes);
        let toml = std::fs::read_to_string(case.ed.join("edition.toml")).unwrap();
        let toml = toml.replace("cover = \"images/pic.png\"", "cover = \"images/bad.jpg\"");
        case.write("edition.toml", toml.as_bytes());
        refused(&case, "edition.toml:6:", "cannot be decoded");
        eprintln!("damage {i} refused");
    }

    // The whole file still builds, and qpdf finds its stream valid.
    let case = Case::new();
    case.write("images/good.jpg", &whole);
    let toml = std::fs::read_to_string(case.ed.join("edition.toml")).unwrap();
    let toml = toml.replace("cover = \"images/pic.png\"", "cover = \"images/good.jpg\"");
    case.write("edition.toml", toml.as_bytes());
    case.builds();
    if let Some(qpdf) = common::tool("qpdf") {
        let out = Command::new(qpdf)
            .arg("--check")
            .arg(case.pdf())
            .output()
            .expect("qpdf runs");
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success() && !text.contains("WARNING"), "{text}");
    }
}

/// `n` numbered words starting with `prefix`: `p0 p1 p2 …`.
fn words(prefix: &str, n: usize) -> String {
    (0..n)
        .map(|i| format!("{prefix}{i}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Blocks longer than a page that used to be one atomic box (a pull quote, a subhead, a
/// caption, a table cell) and a standfirst longer than the head may be: every word of
/// each is in the PDF's text (they were cut at the foot of the first page, silently).
#[test]
fn blocks_longer_than_a_page_keep_every_word() {
    let case = Case::new();
    let path = case.ed.join("articles/one.md");
    let mut md = std::fs::read_to_string(&path).unwrap();
    md = md.replace(
        "kicker: Testing",
        &format!("kicker: Testing\nstandfirst: {}", words("sf", 1200)),
    );
    md = md.replace("A caption under the picture", &words("cap", 1200));
    md.push_str(&format!("\n> [!PULLQUOTE]\n> {}\n\n", words("pq", 1500)));
    md.push_str(&format!(
        "## {}\n\nText after the subhead.\n\n",
        words("sh", 1200)
    ));
    md.push_str(&format!(
        "| A | B |\n|---|---|\n| {} | x |\n| y | z |\n\nThe end.\n",
        words("tc", 1500)
    ));
    std::fs::write(&path, md).unwrap();
    case.builds();
    let Some(text) = pdf_text(&case.pdf()) else {
        return;
    };
    let found: std::collections::HashSet<&str> = text.split(' ').collect();
    for (prefix, n) in [
        ("sf", 1200),
        ("cap", 1200),
        ("pq", 1500),
        ("sh", 1200),
        ("tc", 1500),
    ] {
        let missing: Vec<String> = (0..n)
            .map(|i| format!("{prefix}{i}"))
            .filter(|w| !found.contains(w.as_str()))
            .collect();
        assert!(
            missing.is_empty(),
            "{} of {n} `{prefix}` words missing, first {:?}",
            missing.len(),
            missing.first()
        );
    }
    assert!(found.contains("end."), "the text after them is lost");
}
