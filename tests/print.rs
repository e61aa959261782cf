//! The print PDF (`quire build --print`): page boxes on every page (pdfinfo -box), a page
//! count padded to a multiple of four (reported in `--json`), the PDF/X-4 output intent
//! and identification (qpdf --json), qpdf --check, CMYK JPEGs, a style that makes print a
//! default output, and byte-identical rebuilds.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// Points in a millimetre.
const MM: f64 = 72.0 / 25.4;

/// Builds `dir` with `args` into `out`, with `--json`; returns the JSON report.
fn build(dir: &str, out: &Path, args: &[&str]) -> Value {
    let mut all = vec!["build", dir, "--out", out.to_str().unwrap(), "--json"];
    all.extend_from_slice(args);
    let result = common::quire(&all);
    assert!(
        result.status.success(),
        "quire {all:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&result.stdout),
        String::from_utf8_lossy(&result.stderr)
    );
    serde_json::from_slice(&result.stdout).expect("one JSON object on stdout")
}

/// The report's entry for the print PDF.
fn print_entry(report: &Value) -> &Value {
    report["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["format"] == "print")
        .unwrap_or_else(|| panic!("no print output in {report}"))
}

/// A box as `pdfinfo -box` prints it: left, bottom, right, top.
type PdfBox = [f64; 4];

/// Every page's MediaBox, BleedBox and TrimBox, from `pdfinfo -box`.
fn boxes(pdf: &Path, pages: usize) -> Option<Vec<(PdfBox, PdfBox, PdfBox)>> {
    let pdfinfo = common::tool("pdfinfo")?;
    let out = Command::new(pdfinfo)
        .args(["-box", "-f", "1", "-l", &pages.to_string()])
        .arg(pdf)
        .output()
        .unwrap();
    assert!(out.status.success(), "pdfinfo failed");
    let text = String::from_utf8_lossy(&out.stdout);
    let find = |page: usize, name: &str| -> PdfBox {
        let prefix = format!("Page {page:>4} {name}:");
        let line = text
            .lines()
            .find(|l| l.starts_with(&prefix))
            .unwrap_or_else(|| panic!("no `{prefix}` in:\n{text}"));
        let v: Vec<f64> = line[prefix.len()..]
            .split_whitespace()
            .map(|n| n.parse().unwrap())
            .collect();
        [v[0], v[1], v[2], v[3]]
    };
    Some(
        (1..=pages)
            .map(|p| (find(p, "MediaBox"), find(p, "BleedBox"), find(p, "TrimBox")))
            .collect(),
    )
}

fn pages_of(pdf: &Path) -> Option<usize> {
    let pdfinfo = common::tool("pdfinfo")?;
    let out = Command::new(pdfinfo).arg(pdf).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(|n| n.trim().parse().unwrap())
}

/// Checks every page's boxes: TrimBox the trim size, BleedBox the trim grown by `bleed`
/// (points) on every side, MediaBox holding both and larger.
fn assert_boxes(pdf: &Path, pages: usize, trim: (f64, f64), bleed: f64) {
    let Some(all) = boxes(pdf, pages) else {
        return;
    };
    let near = |a: f64, b: f64| (a - b).abs() < 0.02;
    for (i, (media, bleed_box, trim_box)) in all.iter().enumerate() {
        let page = i + 1;
        assert!(
            near(trim_box[2] - trim_box[0], trim.0) && near(trim_box[3] - trim_box[1], trim.1),
            "page {page}: TrimBox {trim_box:?} is not {trim:?}"
        );
        for side in 0..2 {
            assert!(
                near(trim_box[side] - bleed_box[side], bleed)
                    && near(bleed_box[side + 2] - trim_box[side + 2], bleed),
                "page {page}: BleedBox {bleed_box:?} is not TrimBox {trim_box:?} + {bleed} pt"
            );
            assert!(
                media[side] < bleed_box[side] && media[side + 2] > bleed_box[side + 2],
                "page {page}: MediaBox {media:?} does not hold BleedBox {bleed_box:?}"
            );
        }
    }
}

fn assert_qpdf_clean(pdf: &Path) {
    let Some(qpdf) = common::tool("qpdf") else {
        return;
    };
    let out = Command::new(qpdf).arg("--check").arg(pdf).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success()
            && stderr.trim().is_empty()
            && !stdout.contains("WARNING")
            && stdout.contains("No syntax or stream encoding errors"),
        "qpdf --check {} failed ({}):\n{stdout}\n{stderr}",
        pdf.display(),
        out.status
    );
}

/// The objects of `pdf` as qpdf resolves them (the newest version of each).
fn objects(pdf: &Path) -> Option<serde_json::Map<String, Value>> {
    let qpdf = common::tool("qpdf")?;
    let out = Command::new(qpdf)
        .args(["--json=2", "--json-key=qpdf"])
        .arg(pdf)
        .output()
        .unwrap();
    assert!(out.status.success(), "qpdf --json failed");
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    json["qpdf"][1].as_object().cloned()
}

/// The value (or stream dictionary) of the object `reference` ("12 0 R").
fn object<'a>(objects: &'a serde_json::Map<String, Value>, reference: &str) -> &'a Value {
    let entry = &objects[&format!("obj:{reference}")];
    if entry.get("stream").is_some() {
        &entry["stream"]["dict"]
    } else {
        &entry["value"]
    }
}

/// The catalog's output intent is a PDF/X one with an embedded CMYK profile, and the
/// document information and the XMP say PDF/X-4.
fn assert_pdfx_identification(pdf: &Path) {
    let Some(objects) = objects(pdf) else {
        return;
    };
    let trailer = &objects["trailer"]["value"];
    let catalog = object(&objects, trailer["/Root"].as_str().unwrap());
    let intents = catalog["/OutputIntents"]
        .as_array()
        .unwrap_or_else(|| panic!("no /OutputIntents array in the catalog {catalog}"));
    assert_eq!(intents.len(), 1);
    let intent = object(&objects, intents[0].as_str().unwrap());
    assert_eq!(intent["/S"], "/GTS_PDFX", "{intent}");
    assert_eq!(intent["/OutputConditionIdentifier"], "u:FOGRA39");
    let profile = object(&objects, intent["/DestOutputProfile"].as_str().unwrap());
    assert_eq!(
        profile["/N"], 4,
        "the output profile is not CMYK: {profile}"
    );

    let info = object(&objects, trailer["/Info"].as_str().unwrap());
    assert_eq!(info["/GTS_PDFXVersion"], "u:PDF/X-4", "{info}");
    assert_eq!(info["/Trapped"], "/False", "{info}");

    let bytes = std::fs::read(pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-1.6"), "PDF/X-4 is PDF 1.6");
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>"));
}

fn print_path(report: &Value) -> PathBuf {
    PathBuf::from(print_entry(report)["path"].as_str().unwrap())
}

#[test]
fn sample_print_pdf_has_its_boxes_a_multiple_of_four_pages_and_an_output_intent() {
    let dir = common::temp_dir();
    let report = build("editions/sample", dir.path(), &["--print"]);
    let entry = print_entry(&report);
    let pdf = print_path(&report);
    assert_eq!(pdf.file_name().unwrap(), "sample-print.pdf");
    let pages = entry["pages"].as_u64().unwrap() as usize;
    assert_eq!(pages % 4, 0, "{entry}");
    assert!(entry["padded_pages"].is_u64(), "{entry}");
    if let Some(n) = pages_of(&pdf) {
        assert_eq!(n, pages);
    }
    // The sample's style: A4, the built-in 3 mm bleed.
    assert_boxes(&pdf, pages, (210.0 * MM, 297.0 * MM), 3.0 * MM);
    assert_qpdf_clean(&pdf);
    assert_pdfx_identification(&pdf);
    // The archive PDF is still built beside it, and unchanged in kind.
    assert!(dir.path().join("sample.pdf").is_file());
}

#[test]
fn short_editions_are_padded_to_four_pages_and_say_so() {
    // The base fixture makes three pages: one blank page goes in before the last one.
    let dir = common::temp_dir();
    // The base edition's images are thumbnails: a proof, past the preflight's errors.
    let report = build(
        "tests/cases/base",
        dir.path(),
        &["--format", "print,pdf", "--allow-preflight-errors"],
    );
    let entry = print_entry(&report);
    assert_eq!(entry["pages"], 4, "{entry}");
    assert_eq!(entry["padded_pages"], 1, "{entry}");
    let archive = report["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["format"] == "pdf")
        .unwrap();
    assert_eq!(archive["pages"], 3, "the archive PDF is not padded");
    assert_qpdf_clean(&print_path(&report));

    // The summary line says it too.
    let out = common::quire(&[
        "build",
        "tests/cases/base",
        "--print",
        "--allow-preflight-errors",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("base-print.pdf (4 pages, 1 padded pages"),
        "{stdout}"
    );
}

#[test]
fn the_style_sets_the_bleed_and_can_make_print_a_default_output() {
    let dir = common::temp_dir();
    let edition = dir.path().join("ed");
    common::copy_dir(&common::root().join("tests/cases/base"), &edition);
    std::fs::create_dir_all(edition.join("styles")).unwrap();
    std::fs::write(
        edition.join("styles/press.toml"),
        "[page]\nsize = \"A5\"\nbleed_mm = 5.0\n\n[print]\ndefault = true\nslug_line = false\n",
    )
    .unwrap();
    let toml = std::fs::read_to_string(edition.join("edition.toml")).unwrap();
    std::fs::write(
        edition.join("edition.toml"),
        toml.replacen("cover =", "style = \"press\"\ncover =", 1),
    )
    .unwrap();
    let out = dir.path().join("out");
    // No format named: the style's default adds the print PDF.
    let report = build(
        edition.to_str().unwrap(),
        &out,
        &["--allow-preflight-errors"],
    );
    let pdf = print_path(&report);
    let pages = print_entry(&report)["pages"].as_u64().unwrap() as usize;
    assert_eq!(pages % 4, 0);
    assert_boxes(&pdf, pages, (148.0 * MM, 210.0 * MM), 5.0 * MM);
    assert_qpdf_clean(&pdf);

    // A format named on the command line is all that is built.
    let only = dir.path().join("only");
    let report = build(edition.to_str().unwrap(), &only, &["--format", "pdf"]);
    assert_eq!(report["outputs"].as_array().unwrap().len(), 1);
}

#[test]
fn cmyk_jpegs_pass_into_both_pdfs() {
    // The fixture's cover and article image are a CMYK JPEG (Adobe, inverted).
    let dir = common::temp_dir();
    let report = build(
        "tests/cases/cmyk",
        dir.path(),
        &["--format", "pdf,print", "--allow-preflight-errors"],
    );
    let archive = dir.path().join("cmyk.pdf");
    let print = print_path(&report);
    assert_qpdf_clean(&archive);
    assert_qpdf_clean(&print);
    let jpeg =
        std::fs::read(common::root().join("tests/cases/cmyk/images/bands-cmyk.jpg")).unwrap();
    for pdf in [&archive, &print] {
        let bytes = std::fs::read(pdf).unwrap();
        assert!(
            bytes.windows(jpeg.len()).any(|w| w == jpeg.as_slice()),
            "{}: the JPEG's bytes are not embedded as they are",
            pdf.display()
        );
    }
    let Some(objects) = objects(&print) else {
        return;
    };
    let spaces: Vec<&Value> = objects
        .values()
        .filter_map(|o| o.get("stream"))
        .map(|s| &s["dict"])
        .filter(|d| d["/Subtype"] == "/Image")
        .map(|d| &d["/ColorSpace"])
        .collect();
    assert!(
        spaces.iter().any(|s| *s == "/DeviceCMYK"),
        "the print PDF draws the CMYK JPEG in device CMYK: {spaces:?}"
    );
}

#[test]
fn print_builds_are_byte_identical() {
    let a = common::temp_dir();
    let b = common::temp_dir();
    let first = std::fs::read(print_path(&build(
        "editions/sample",
        a.path(),
        &["--format", "print"],
    )))
    .unwrap();
    let second = std::fs::read(print_path(&build(
        "editions/sample",
        b.path(),
        &["--format", "print"],
    )))
    .unwrap();
    assert!(first == second, "two print builds of the sample differ");
}

#[test]
fn a_preflight_error_stops_the_print_build_unless_allowed() {
    // The base edition's cover is a thumbnail, far under 150 ppi at the page's size.
    let dir = common::temp_dir();
    let out = dir.path().to_str().unwrap();
    let refused = common::quire(&["build", "tests/cases/base", "--out", out, "--print"]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("under the 150 ppi"), "{stderr}");
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "nothing is written"
    );
    let allowed = common::quire(&[
        "build",
        "tests/cases/base",
        "--out",
        out,
        "--print",
        "--allow-preflight-errors",
    ]);
    let stderr = String::from_utf8_lossy(&allowed.stderr);
    assert!(allowed.status.success(), "{stderr}");
    assert!(
        stderr.contains("allowed by --allow-preflight-errors"),
        "{stderr}"
    );
    assert!(dir.path().join("base-print.pdf").is_file());
}
