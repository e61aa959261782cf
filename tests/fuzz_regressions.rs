//! Every input kept under `tests/fuzz_regressions/` (inputs that once crashed or hung a
//! fuzz target, plus seeds) must parse to a result or to diagnostics, never a panic.

use std::path::Path;

mod common;

fn inputs(kind: &str) -> Vec<std::path::PathBuf> {
    let dir = common::root().join("tests/fuzz_regressions").join(kind);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no inputs in {}", dir.display());
    files
}

#[test]
fn article_inputs_never_panic() {
    for file in inputs("article") {
        let bytes = std::fs::read(&file).unwrap();
        let result = quire::edition::parse_article_bytes(&bytes, Path::new("fuzz.md"));
        if let Err(diags) = result {
            assert!(
                !diags.is_empty(),
                "{}: an error without a diagnostic",
                file.display()
            );
        }
    }
}

#[test]
fn style_inputs_never_panic() {
    for file in inputs("style") {
        let bytes = std::fs::read(&file).unwrap();
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        // Every kept style input is invalid: it must be refused with a reason.
        match quire::edition::parse_style(text, Path::new("fuzz.toml")) {
            Ok(style) => panic!("{}: accepted as {style:?}", file.display()),
            Err(diags) => assert!(!diags.is_empty(), "{}: no diagnostic", file.display()),
        }
    }
}

/// Every kept `pipeline` input, as the one article of an edition on disk, built in memory
/// as the CLI builds it (`quire::fuzz::tests` replays them through the fuzz entry point;
/// this runs the library as shipped, without `cfg(test)`): the loader may refuse it, but
/// what it accepts must render as PDF and EPUB.
#[test]
fn pipeline_inputs_build() {
    for file in inputs("pipeline") {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("articles")).unwrap();
        std::fs::copy(&file, dir.path().join("articles/fuzz.md")).unwrap();
        std::fs::write(
            dir.path().join("edition.toml"),
            "title = \"The Fuzz Review\"\nissue = \"1\"\ndate = \"2026-12-01\"\n\
             language = \"en\"\n\n[[section]]\ntitle = \"Fuzz\"\narticles = [\"articles/fuzz.md\"]\n",
        )
        .unwrap();
        let Ok(edition) = quire::edition::load(dir.path()) else {
            continue;
        };
        let formats = [quire::Format::Pdf, quire::Format::Epub];
        if let Err(e) = quire::check(&edition, &formats) {
            panic!("{}: {e}", file.display());
        }
    }
}
