//! The EPUB as stores and reading systems read it: the package metadata through a real
//! XML parser, the embedded fonts through fontTools, accessibility through DAISY Ace.
//!
//! fontTools and Ace are skipped when missing, unless `QUIRE_REQUIRE_VALIDATORS=1`, which
//! makes a missing one a failure (`.ci/run` installs both).

mod common;

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Builds the EPUB of the edition in `dir` into `out`.
fn build_epub(dir: &Path, out: &Path) -> PathBuf {
    let result = common::quire(&[
        "build",
        dir.to_str().unwrap(),
        "--format",
        "epub",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        result.status.success(),
        "quire build {} failed:\n{}",
        dir.display(),
        String::from_utf8_lossy(&result.stderr)
    );
    let slug = dir.file_name().unwrap().to_str().unwrap();
    out.join(format!("{slug}.epub"))
}

/// The files of an EPUB by name.
fn unzip(path: &Path) -> Vec<(String, Vec<u8>)> {
    let bytes = std::fs::read(path).unwrap();
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().to_string(), data)
        })
        .collect()
}

fn opf_text(epub: &Path) -> String {
    let files = unzip(epub);
    let (_, data) = files
        .iter()
        .find(|(n, _)| n == "OEBPS/content.opf")
        .expect("a package document");
    String::from_utf8(data.clone()).unwrap()
}

const DC: &str = "http://purl.org/dc/elements/1.1/";
const XML: &str = "http://www.w3.org/XML/1998/namespace";

/// The `meta` refining `#id` with `property`, if any.
fn refinement<'a>(doc: &'a roxmltree::Document, id: &str, property: &str) -> Option<&'a str> {
    let target = format!("#{id}");
    doc.descendants()
        .find(|n| {
            n.has_tag_name("meta")
                && n.attribute("refines") == Some(target.as_str())
                && n.attribute("property") == Some(property)
        })
        .and_then(|n| n.text())
}

/// (name, role, file-as, scheme of the role) of every `dc:<element>`.
fn people(doc: &roxmltree::Document, element: &str) -> Vec<(String, String, String)> {
    doc.descendants()
        .filter(|n| n.has_tag_name((DC, element)))
        .map(|n| {
            let id = n.attribute("id").expect("a person has an id");
            let role_meta = doc
                .descendants()
                .find(|m| {
                    m.attribute("refines") == Some(format!("#{id}").as_str())
                        && m.attribute("property") == Some("role")
                })
                .expect("a role");
            assert_eq!(role_meta.attribute("scheme"), Some("marc:relators"));
            (
                n.text().unwrap().to_string(),
                role_meta.text().unwrap().to_string(),
                refinement(doc, id, "file-as").unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn meta_property<'a>(doc: &'a roxmltree::Document, property: &str) -> Vec<&'a str> {
    doc.descendants()
        .filter(|n| n.has_tag_name("meta") && n.attribute("property") == Some(property))
        .filter_map(|n| n.text())
        .collect()
}

/// An edition with two authors on one article, two editors, a publisher, a series
/// position and, when given, a revision and a certifier.
fn metadata_edition(dir: &Path, revision: u32, certifier: Option<&str>) {
    common::copy_dir(&common::root().join("tests/cases/base"), dir);
    let toml = dir.join("edition.toml");
    let mut text = std::fs::read_to_string(&toml).unwrap();
    let mut extra = format!(
        "publisher = \"Test & Sons Press\"\neditors = [\"Ada Byron King\", \"Tomasz Nowak\"]\n\
         revision = {revision}\n"
    );
    if let Some(c) = certifier {
        extra.push_str(&format!("accessibility_certifier = \"{c}\"\n"));
    }
    text = text.replacen("[[section]]", &format!("{extra}\n[[section]]"), 1);
    std::fs::write(&toml, text).unwrap();
    let one = dir.join("articles/one.md");
    let article = std::fs::read_to_string(&one).unwrap().replace(
        "authors: [A. Writer]",
        "authors: [Anna Writer, Ben de Vries]",
    );
    std::fs::write(&one, article).unwrap();
}

#[test]
fn package_metadata_reads_as_xml() {
    let tmp = common::temp_dir();
    let dir = tmp.path().join("meta");
    metadata_edition(&dir, 1, None);
    let epub = build_epub(&dir, &tmp.path().join("out"));
    let opf = opf_text(&epub);
    let doc = roxmltree::Document::parse(&opf).expect("the OPF is well-formed XML");

    let package = doc.root_element();
    assert!(package.has_tag_name("package"));
    assert_eq!(package.attribute((XML, "lang")), Some("en-GB"));

    // Every author a creator of their own, never one joined string.
    let creators = people(&doc, "creator");
    let expected = |v: &[(&str, &str, &str)]| {
        v.iter()
            .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        creators,
        expected(&[
            ("Anna Writer", "aut", "Writer, Anna"),
            ("Ben de Vries", "aut", "Vries, Ben de"),
            ("B. Writer", "aut", "Writer, B."),
        ])
    );
    assert_eq!(
        people(&doc, "contributor"),
        expected(&[
            ("Ada Byron King", "edt", "King, Ada Byron"),
            ("Tomasz Nowak", "edt", "Nowak, Tomasz"),
        ])
    );
    // The publisher is the publisher, not a creator.
    let publishers: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name((DC, "publisher")))
        .map(|n| n.text().unwrap())
        .collect();
    assert_eq!(publishers, ["Test & Sons Press"]);
    assert!(!creators.iter().any(|(n, _, _)| n.contains("Press")));

    // The series and the place in it.
    let series = doc
        .descendants()
        .find(|n| n.attribute("property") == Some("belongs-to-collection"))
        .expect("a collection");
    assert_eq!(series.text(), Some("The Test Review"));
    let id = series.attribute("id").unwrap();
    assert_eq!(refinement(&doc, id, "collection-type"), Some("series"));
    assert_eq!(refinement(&doc, id, "group-position"), Some("7"));

    // Accessibility conformance, and no certifier unless one is named.
    assert_eq!(
        meta_property(&doc, "dcterms:conformsTo"),
        ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    );
    assert!(meta_property(&doc, "a11y:certifiedBy").is_empty());
    assert_eq!(
        meta_property(&doc, "dcterms:modified"),
        ["2026-03-15T00:00:00Z"]
    );
}

#[test]
fn a_new_revision_changes_the_modified_date_and_a_certifier_is_named() {
    let tmp = common::temp_dir();
    let dir = tmp.path().join("meta");
    metadata_edition(&dir, 3, Some("Test Accessibility Lab"));
    let epub = build_epub(&dir, &tmp.path().join("out"));
    let opf = opf_text(&epub);
    let doc = roxmltree::Document::parse(&opf).unwrap();
    // Revision 3: two seconds after the first edition's date.
    assert_eq!(
        meta_property(&doc, "dcterms:modified"),
        ["2026-03-15T00:00:02Z"]
    );
    assert_eq!(
        meta_property(&doc, "a11y:certifiedBy"),
        ["Test Accessibility Lab"]
    );
}

/// The sample's EPUB, built once per test that needs it.
fn sample_epub(out: &Path) -> PathBuf {
    build_epub(&common::root().join("editions/sample"), out)
}

#[test]
fn fonts_are_subset_and_keep_their_features() {
    let tmp = common::temp_dir();
    let epub = sample_epub(tmp.path());
    let files = unzip(&epub);
    let fonts: Vec<_> = files
        .iter()
        .filter(|(n, _)| n.starts_with("OEBPS/fonts/"))
        .collect();
    assert_eq!(fonts.len(), 3, "the three Libertinus faces");
    let font_bytes: usize = fonts.iter().map(|(_, d)| d.len()).sum();
    assert!(font_bytes < 200_000, "fonts take {font_bytes} bytes");

    // Images go in untouched: JPEGs byte for byte, PNGs recompressed without loss (the
    // same pixels) and only when that saves bytes.
    let images = common::root().join("editions/sample/images");
    let rgba = |data: &[u8]| image::load_from_memory(data).unwrap().to_rgba8().into_raw();
    let mut pngs_saved = 0;
    for (name, data) in files.iter().filter(|(n, _)| n.starts_with("OEBPS/images/")) {
        let source = images.join(name.trim_start_matches("OEBPS/images/"));
        let original = std::fs::read(&source).unwrap();
        if name.ends_with(".png") {
            assert!(data.len() <= original.len(), "{name} grew");
            assert!(rgba(data) == rgba(&original), "{name}: pixels changed");
            pngs_saved += original.len() - data.len();
        } else {
            assert_eq!(&original, data, "{name} differs from {}", source.display());
        }
    }
    assert!(pngs_saved > 15_000, "the PNGs saved {pngs_saved} bytes");
    // 659,483 bytes with the PNGs as given; the JPEGs (400 KB) stay as they are.
    let size = std::fs::metadata(&epub).unwrap().len();
    assert!(size < 645_000, "the sample's EPUB is {size} bytes");

    let script = common::root().join("tests/tools/epub_fonts.py");
    let Ok(output) = Command::new("python3").arg(&script).arg(&epub).output() else {
        assert!(
            !common::validators_required(),
            "python3 is required (QUIRE_REQUIRE_VALIDATORS=1)"
        );
        return;
    };
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if output.status.code() == Some(2) {
        assert!(
            !common::validators_required(),
            "fontTools is required (QUIRE_REQUIRE_VALIDATORS=1): {report}"
        );
        eprintln!("note: fontTools not installed; font checks skipped");
        return;
    }
    assert!(output.status.success(), "fontTools checks:\n{report}");
}

/// Calibre's `ebook-meta` reads the sample as a library would list it: every author, in
/// reading order, the magazine as the series and the issue as its index.
///
/// Calibre is large (it brings Qt WebEngine and PyQt), so `.ci/run` does not install it:
/// this check runs where `ebook-meta` is installed and is skipped elsewhere, also under
/// `QUIRE_REQUIRE_VALIDATORS=1`; `QUIRE_REQUIRE_CALIBRE=1` makes a missing one a failure.
#[test]
fn calibre_lists_the_authors_and_the_series_with_its_index() {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join("ebook-meta"))
            .find(|p| p.is_file())
    });
    let Some(ebook_meta) = found else {
        assert!(
            std::env::var("QUIRE_REQUIRE_CALIBRE").as_deref() != Ok("1"),
            "ebook-meta is required (QUIRE_REQUIRE_CALIBRE=1) but not installed"
        );
        eprintln!("note: calibre's ebook-meta not found; its check is skipped");
        return;
    };
    let tmp = common::temp_dir();
    let epub = sample_epub(tmp.path());
    let output = Command::new(&ebook_meta)
        .arg(&epub)
        .env("HOME", tmp.path())
        .output()
        .expect("ebook-meta runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let field = |name: &str| {
        stdout
            .lines()
            .find_map(|l| {
                let (key, value) = l.split_once(':')?;
                (key.trim() == name).then(|| value.trim().to_string())
            })
            .unwrap_or_else(|| panic!("no {name} in\n{stdout}"))
    };
    let edition = quire::edition::load(&common::root().join("editions/sample")).unwrap();
    let authors = edition.contributors();
    assert!(authors.len() > 1);
    // "A & B & C [sort names]": every author, in order, none joined with another.
    let listed = field("Author(s)");
    let names = listed.split(" [").next().unwrap();
    assert_eq!(names.split(" & ").collect::<Vec<_>>(), authors, "{stdout}");
    assert_eq!(field("Series"), "The Alder Quarterly #17", "{stdout}");
    assert_eq!(field("Publisher"), "Alder & Flint Press", "{stdout}");
    assert!(
        !listed.contains("Press"),
        "the publisher is no author: {stdout}"
    );
}

/// DAISY Ace's command line (the Puppeteer runner): `QUIRE_ACE`, else `ace-puppeteer`
/// on PATH. `None` when missing and not required.
fn ace() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("QUIRE_ACE").map(PathBuf::from)
        && path.is_file()
    {
        return Some(path);
    }
    common::tool("ace-puppeteer")
}

#[test]
fn ace_finds_no_violations_in_the_sample() {
    let Some(ace) = ace() else {
        return;
    };
    let tmp = common::temp_dir();
    let epub = sample_epub(tmp.path());
    let report_dir = tmp.path().join("ace");
    let output = Command::new(&ace)
        .args(["--silent", "--outdir"])
        .arg(&report_dir)
        .arg(&epub)
        .output()
        .expect("Ace runs");
    let report_file = report_dir.join("report.json");
    assert!(
        report_file.is_file(),
        "Ace wrote no report ({}):\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&report_file).unwrap()).unwrap();
    let mut violations = Vec::new();
    for document in report["assertions"].as_array().into_iter().flatten() {
        for check in document["assertions"].as_array().into_iter().flatten() {
            if check["earl:result"]["earl:outcome"] == "fail" {
                violations.push(format!(
                    "{} in {}: {}",
                    check["earl:test"]["dct:title"],
                    document["earl:testSubject"]["url"],
                    check["earl:result"]["dct:description"]
                ));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "Ace violations:\n{}",
        violations.join("\n")
    );
    assert_eq!(report["earl:result"]["earl:outcome"], "pass");
}
