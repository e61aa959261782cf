//! Print preflight: each test copies `tests/cases/base/` (its cover taken out and its
//! picture made sharp enough, so that the copy passes), breaks one thing, and runs
//! `quire check --print --json`: the finding's code, severity, file and line, and the exit
//! status (an error fails the check).

mod common;

use std::path::PathBuf;
use std::process::Output;

use serde_json::Value;

struct Case {
    _tmp: tempfile::TempDir,
    ed: PathBuf,
}

impl Case {
    /// The base edition with a typographic cover and its picture at about 400 ppi.
    fn new() -> Case {
        let tmp = common::temp_dir();
        let ed = tmp.path().join("ed");
        common::copy_dir(&common::root().join("tests/cases/base"), &ed);
        let case = Case { _tmp: tmp, ed };
        case.replace("edition.toml", "cover = \"images/pic.png\"\n", "");
        case.write("images/pic.png", &quire::edition::sample_png(900, 560));
        case
    }

    fn write(&self, rel: &str, bytes: &[u8]) {
        let path = self.ed.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    fn replace(&self, rel: &str, from: &str, to: &str) {
        let path = self.ed.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "`{from}` is not in {rel}");
        std::fs::write(path, text.replacen(from, to, 1)).unwrap();
    }

    fn run(&self, print: bool) -> (Output, Value) {
        let ed = self.ed.to_str().unwrap();
        let mut args = vec!["check", ed, "--json"];
        if print {
            args.push("--print");
        }
        let out = common::quire(&args);
        let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{e}: stdout is not JSON:\n{}",
                String::from_utf8_lossy(&out.stdout)
            )
        });
        (out, json)
    }

    /// `check --print --json`: the exit status, stderr and the findings.
    fn preflight(&self) -> (Option<i32>, String, Vec<Value>) {
        let (out, json) = self.run(true);
        let findings = json["preflight"].as_array().cloned().unwrap_or_default();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        (out.status.code(), stderr, findings)
    }
}

/// The findings with `code`.
fn with_code<'a>(findings: &'a [Value], code: &str) -> Vec<&'a Value> {
    findings.iter().filter(|f| f["code"] == code).collect()
}

/// Checks a finding's severity, file (by its ending) and line.
fn at(f: &Value, severity: &str, file: &str, line: u64) {
    assert_eq!(f["severity"], severity, "{f}");
    let shown = f["file"].as_str().unwrap_or("");
    assert!(shown.ends_with(file), "{f}");
    assert_eq!(f["line"], line, "{f}");
}

#[test]
fn the_prepared_base_passes_with_notes() {
    let case = Case::new();
    let (code, stderr, findings) = case.preflight();
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        with_code(&findings, "image-resolution").is_empty(),
        "{findings:?}"
    );
    assert!(
        with_code(&findings, "safety-margin").is_empty(),
        "{findings:?}"
    );
    assert!(
        with_code(&findings, "font-licence").is_empty(),
        "{findings:?}"
    );
    // The picture is RGB: named once, where the article places it.
    let rgb = with_code(&findings, "image-rgb");
    assert_eq!(rgb.len(), 1, "{findings:?}");
    at(rgb[0], "note", "articles/one.md", 9);
    // Notes are neither warnings nor errors.
    let (_, json) = case.run(true);
    assert_eq!(json["ok"], true);
    assert!(json["errors"].as_array().unwrap().is_empty(), "{json}");
    // Without --print there is no preflight.
    let (out, json) = case.run(false);
    assert_eq!(out.status.code(), Some(0));
    assert!(json["preflight"].as_array().unwrap().is_empty(), "{json}");
}

#[test]
fn a_tiny_image_placed_wide_is_an_error_at_its_reference() {
    let case = Case::new();
    case.write("images/tiny.png", &quire::edition::sample_png(40, 30));
    case.replace(
        "articles/two.md",
        "Another paragraph",
        "![A small grey square](../images/tiny.png)\n\nAnother paragraph",
    );
    let (code, stderr, findings) = case.preflight();
    assert_eq!(code, Some(1), "{stderr}");
    let res = with_code(&findings, "image-resolution");
    assert_eq!(res.len(), 1, "{findings:?}");
    at(res[0], "error", "articles/two.md", 6);
    let message = res[0]["message"].as_str().unwrap();
    assert!(
        message.contains("`images/tiny.png` (40 × 30 pixels)"),
        "{message}"
    );
    assert!(message.contains("under the 150 ppi"), "{message}");
    assert!(stderr.contains("two.md:6:1"), "{stderr}");
    // The same edition passes a check without --print.
    let (out, _) = case.run(false);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn an_image_at_about_200_ppi_is_a_warning() {
    let case = Case::new();
    case.write("images/pic.png", &quire::edition::sample_png(440, 275));
    let (code, stderr, findings) = case.preflight();
    assert_eq!(code, Some(0), "{stderr}");
    let res = with_code(&findings, "image-resolution");
    assert_eq!(res.len(), 1, "{findings:?}");
    at(res[0], "warning", "articles/one.md", 9);
    let message = res[0]["message"].as_str().unwrap();
    assert!(message.contains("under the 300 ppi"), "{message}");
    let ppi: u32 = message
        .split(" ppi, under")
        .next()
        .and_then(|s| s.rsplit(' ').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no ppi in {message}"));
    assert!((150..300).contains(&ppi), "{message}");
}

#[test]
fn text_near_the_trim_is_a_warning_at_its_line_or_the_margin() {
    let case = Case::new();
    case.write(
        "styles/tight.toml",
        b"[margins_mm]\ntop = 3.0\nbottom = 3.0\ninner = 3.0\nouter = 3.0\n",
    );
    case.replace("edition.toml", "issn", "style = \"tight\"\nissn");
    let (code, stderr, findings) = case.preflight();
    assert_eq!(code, Some(0), "{stderr}");
    let near = with_code(&findings, "safety-margin");
    assert!(!near.is_empty(), "{findings:?}");
    for f in &near {
        assert_eq!(f["severity"], "warning", "{f}");
        assert!(
            f["message"]
                .as_str()
                .unwrap()
                .contains("5 mm safety margin"),
            "{f}"
        );
    }
    // The article's own text (its title, beside the spine): its line in the article.
    let title = near
        .iter()
        .find(|f| {
            f["message"]
                .as_str()
                .unwrap()
                .contains("“The First Article”")
        })
        .unwrap_or_else(|| panic!("the title is not named: {near:?}"));
    at(title, "warning", "articles/one.md", 2);
    // Text the layout makes (folios, running heads) points at the style's margin.
    let made = near
        .iter()
        .find(|f| f["file"].as_str().unwrap().ends_with("styles/tight.toml"));
    let f = made.unwrap_or_else(|| panic!("nothing points at the style: {near:?}"));
    // One of the four margins, lines 2 to 5 of the style file.
    assert!((2..=5).contains(&f["line"].as_u64().unwrap()), "{f}");
    // A safety margin of 0 switches the check off.
    case.write(
        "styles/tight.toml",
        b"[page]\nsafety_mm = 0.0\n[margins_mm]\ntop = 3.0\nbottom = 3.0\ninner = 3.0\nouter = 3.0\n",
    );
    let (_, _, findings) = case.preflight();
    assert!(
        with_code(&findings, "safety-margin").is_empty(),
        "{findings:?}"
    );
}

#[test]
fn pages_short_of_a_multiple_of_four_are_a_note() {
    let case = Case::new();
    let (code, stderr, findings) = case.preflight();
    assert_eq!(code, Some(0), "{stderr}");
    let (_, json) = case.run(true);
    let pages = json["makeup"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["first_page"].as_u64().unwrap() + a["pages"].as_u64().unwrap() - 1)
        .max()
        .unwrap();
    let pad = with_code(&findings, "page-padding");
    if pages % 4 == 0 {
        assert!(pad.is_empty(), "{findings:?}");
        return;
    }
    assert_eq!(pad.len(), 1, "{findings:?}");
    let f = pad[0];
    assert_eq!(f["severity"], "note", "{f}");
    assert!(f["file"].as_str().unwrap().ends_with("edition.toml"), "{f}");
    let add = (4 - pages % 4) % 4;
    let message = f["message"].as_str().unwrap();
    let expected = format!("the issue has {pages} pages; the print PDF adds {add} blank");
    assert!(message.starts_with(&expected), "{message}");
    assert!(stderr.contains("note: the issue has"), "{stderr}");
}

/// The embedded Libertinus Serif Regular with its OS/2 `fsType` set to `fs_type`.
fn libertinus_with_fs_type(fs_type: u16) -> Vec<u8> {
    use rustybuzz::ttf_parser::{Face, name_id};
    let regular = quire_fonts()
        .find(|data| {
            let Ok(face) = Face::parse(data, 0) else {
                return false;
            };
            let name = |id| {
                face.names()
                    .into_iter()
                    .find(|n| n.name_id == id)
                    .and_then(|n| n.to_string())
            };
            name(name_id::FAMILY).as_deref() == Some("Libertinus Serif")
                && name(name_id::SUBFAMILY).as_deref() == Some("Regular")
        })
        .expect("Libertinus Serif Regular is embedded");
    let mut data = regular.to_vec();
    let tables = usize::from(u16::from_be_bytes([data[4], data[5]]));
    let os2 = (0..tables)
        .map(|i| 12 + 16 * i)
        .find(|&r| &data[r..r + 4] == b"OS/2")
        .map(|r| u32::from_be_bytes(data[r + 8..r + 12].try_into().unwrap()) as usize)
        .expect("an OS/2 table");
    data[os2 + 8..os2 + 10].copy_from_slice(&fs_type.to_be_bytes());
    data
}

fn quire_fonts() -> impl Iterator<Item = &'static [u8]> {
    typst_assets::fonts()
}

#[test]
fn a_font_whose_licence_forbids_embedding_is_an_error_at_the_style() {
    let case = Case::new();
    case.write(
        "styles/house.toml",
        b"[fonts]\nbody = \"Libertinus Serif\"\n",
    );
    case.replace("edition.toml", "issn", "style = \"house\"\nissn");
    // Restricted licence embedding: an error, where the style names the family. The
    // archive PDF fails on it too; the finding comes with that failure.
    case.write("fonts/restricted.otf", &libertinus_with_fs_type(0x0002));
    let (out, json) = case.run(true);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let errors = json["errors"].as_array().unwrap();
    let fonts = with_code(errors, "font-licence");
    assert_eq!(fonts.len(), 1, "{json}");
    at(fonts[0], "error", "styles/house.toml", 2);
    let message = fonts[0]["message"].as_str().unwrap();
    assert!(
        message.contains("`Libertinus Serif` may not be embedded"),
        "{message}"
    );
    assert!(stderr.contains("house.toml:2:"), "{stderr}");
    let listed = with_code(json["preflight"].as_array().unwrap(), "font-licence");
    assert_eq!(listed.len(), 1, "{json}");
    // With the EPUB alone, the preflight still finds it.
    let ed = case.ed.to_str().unwrap();
    let out = common::quire(&["check", ed, "--format", "epub", "--print", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let fonts = with_code(json["preflight"].as_array().unwrap(), "font-licence");
    assert_eq!(fonts.len(), 1, "{json}");
    at(fonts[0], "error", "styles/house.toml", 2);
    // Preview and print: a warning only.
    case.write("fonts/restricted.otf", &libertinus_with_fs_type(0x0004));
    let (code, stderr, findings) = case.preflight();
    assert_eq!(code, Some(0), "{stderr}");
    let fonts = with_code(&findings, "font-licence");
    assert_eq!(fonts.len(), 1, "{findings:?}");
    at(fonts[0], "warning", "styles/house.toml", 2);
}
