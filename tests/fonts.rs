//! Fonts on the command line: `quire fonts`, `--font-path`, `--ignore-system-fonts`, a
//! missing family at its place in the style file, and faces that stand in for others.

mod common;

use std::path::{Path, PathBuf};

use rustybuzz::ttf_parser;
use serde_json::Value;

/// The embedded DejaVu Sans Mono Bold face (any embedded face would do: the tests only
/// need a real font file to put in a folder).
fn a_font() -> &'static [u8] {
    typst_assets::fonts()
        .find(|data| {
            ttf_parser::Face::parse(data, 0)
                .is_ok_and(|f| f.is_monospaced() && f.is_bold() && !f.is_italic())
        })
        .expect("typst-assets embeds DejaVu Sans Mono Bold")
}

/// The base edition copied into `tmp/ed` with a style of its own, `styles/house.toml`
/// holding `style`, and a standfirst (italic display text) in its first article.
fn edition_with_style(tmp: &Path, style: &str) -> PathBuf {
    let ed = tmp.join("ed");
    common::copy_dir(Path::new("tests/cases/base"), &ed);
    std::fs::create_dir_all(ed.join("styles")).unwrap();
    std::fs::write(ed.join("styles/house.toml"), style).unwrap();
    let toml = std::fs::read_to_string(ed.join("edition.toml")).unwrap();
    std::fs::write(
        ed.join("edition.toml"),
        format!("style = \"house\"\n{toml}"),
    )
    .unwrap();
    let one = ed.join("articles/one.md");
    let text = std::fs::read_to_string(&one).unwrap();
    let text = text.replacen(
        "kicker: Testing",
        "kicker: Testing\nstandfirst: It stands first.",
        1,
    );
    std::fs::write(&one, text).unwrap();
    ed
}

#[test]
fn fonts_lists_every_face_with_its_source_in_precedence_order() {
    let tmp = common::temp_dir();
    let ed = tmp.path().join("ed");
    common::copy_dir(Path::new("tests/cases/base"), &ed);
    std::fs::create_dir_all(ed.join("fonts")).unwrap();
    std::fs::write(ed.join("fonts/Mine.ttf"), a_font()).unwrap();
    let extra = tmp.path().join("extra");
    std::fs::create_dir_all(extra.join("deeper")).unwrap();
    std::fs::write(extra.join("deeper/Other.ttf"), a_font()).unwrap();

    let args = [
        "fonts",
        ed.to_str().unwrap(),
        "--font-path",
        extra.to_str().unwrap(),
        "--ignore-system-fonts",
        "--json",
    ];
    let out = common::quire(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(v["exit_status"], 0);
    let fonts = v["fonts"].as_array().expect("a fonts list");
    let sources: Vec<&str> = fonts
        .iter()
        .map(|f| f["source"].as_str().unwrap())
        .collect();
    assert_eq!(sources[0], "edition", "{sources:?}");
    assert_eq!(sources[1], "font-path", "{sources:?}");
    assert!(sources[2..].iter().all(|s| *s == "embedded"), "{sources:?}");
    assert!(fonts[0]["path"].as_str().unwrap().ends_with("Mine.ttf"));
    assert!(fonts[1]["path"].as_str().unwrap().ends_with("Other.ttf"));
    assert_eq!(fonts[0]["family"], "DejaVu Sans Mono");
    assert_eq!(fonts[0]["weight"], 700);
    assert_eq!(fonts[0]["style"], "normal");
    let families: Vec<&str> = fonts
        .iter()
        .map(|f| f["family"].as_str().unwrap())
        .collect();
    assert!(families.contains(&"Libertinus Serif"), "{families:?}");

    // The same faces as lines, one a face, with the source.
    let out = common::quire(&args[..args.len() - 1]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let first = stdout.lines().next().unwrap();
    assert!(
        first.starts_with("DejaVu Sans Mono\t700 normal\tedition\t"),
        "{first}"
    );
    assert!(first.ends_with("Mine.ttf"), "{first}");
    assert_eq!(stdout.lines().count(), fonts.len());
}

#[test]
fn a_font_path_that_is_no_folder_is_an_error() {
    let out = common::quire(&[
        "check",
        "--font-path",
        "tests/no-such-fonts",
        "--ignore-system-fonts",
        "tests/cases/base",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--font-path `tests/no-such-fonts` is not a folder"),
        "{stderr}"
    );
    let out = common::quire(&["fonts", "--font-path", "tests/no-such-fonts", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(v["exit_status"], 1);
}

#[test]
fn a_missing_family_is_an_error_at_its_place_with_the_nearest_names() {
    let tmp = common::temp_dir();
    let ed = edition_with_style(
        tmp.path(),
        "# a typo\n[fonts]\ndisplay = \"Libertinus Serf\"\n",
    );
    let out = common::quire(&[
        "check",
        "--ignore-system-fonts",
        "--json",
        ed.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    let e = &v["errors"][0];
    assert!(
        e["file"].as_str().unwrap().ends_with("styles/house.toml"),
        "{e}"
    );
    assert_eq!(
        (e["line"].as_u64(), e["column"].as_u64()),
        (Some(3), Some(11)),
        "{e}"
    );
    assert!(
        e["message"].as_str().unwrap().contains("`Libertinus Serf`"),
        "{e}"
    );
    let hint = e["hint"].as_str().unwrap();
    assert!(
        hint.starts_with("did you mean `Libertinus Serif`"),
        "{hint}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("styles/house.toml:3:11"), "{stderr}");
}

#[test]
fn a_face_standing_in_for_a_missing_one_is_a_warning() {
    let tmp = common::temp_dir();
    // The embedded math family has no italic: the standfirst is set upright.
    let ed = edition_with_style(
        tmp.path(),
        "[fonts]\n# one slant only\ndisplay = \"New Computer Modern Math\"\n",
    );
    let out = common::quire(&[
        "check",
        "--ignore-system-fonts",
        "--json",
        ed.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    let warnings = v["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let w = &warnings[0];
    let message = w["message"].as_str().unwrap();
    assert!(message.contains("has no 400 italic face"), "{message}");
    assert!(message.contains("its 400 upright face"), "{message}");
    assert!(
        w["file"].as_str().unwrap().ends_with("styles/house.toml"),
        "{w}"
    );
    assert_eq!(
        (w["line"].as_u64(), w["column"].as_u64()),
        (Some(3), Some(11)),
        "{w}"
    );
    // --deny-warnings makes it fail.
    let out = common::quire(&[
        "check",
        "--ignore-system-fonts",
        "--deny-warnings",
        ed.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(3));
}

#[test]
fn system_fonts_do_not_change_the_sample() {
    let tmp = common::temp_dir();
    let build = |name: &str, extra: &[&str]| {
        let out_dir = tmp.path().join(name);
        let mut args = vec!["build", "tests/cases/base", "-o", out_dir.to_str().unwrap()];
        args.extend_from_slice(extra);
        let out = common::quire(&args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        (
            std::fs::read(out_dir.join("base.pdf")).unwrap(),
            std::fs::read(out_dir.join("base.epub")).unwrap(),
        )
    };
    let with_system = build("system", &[]);
    let without = build("none", &["--ignore-system-fonts"]);
    assert!(with_system.0 == without.0, "the PDFs differ");
    assert!(with_system.1 == without.1, "the EPUBs differ");
}
