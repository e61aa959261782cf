//! The command line: usage errors, `quire new` followed by `quire check`, and `--json`.

mod common;

use std::path::Path;

use serde_json::Value;

fn code(args: &[&str]) -> Option<i32> {
    common::quire(args).status.code()
}

#[test]
fn usage_errors_exit_with_2() {
    assert_eq!(code(&[]), Some(2));
    // `check` with no edition is a usage error only outside a magazine folder (the crate
    // root is one): tests/magazine.rs checks both cases.
    assert_eq!(
        code(&["check", "--format", "gif", "tests/cases/base"]),
        Some(2)
    );
    assert_eq!(code(&["publish", "x"]), Some(2));
    assert_eq!(
        code(&["build", "--format", "gif", "tests/cases/base"]),
        Some(2)
    );
    assert_eq!(code(&["build", "--colour", "tests/cases/base"]), Some(2));
    assert_eq!(code(&["--help"]), Some(0));
}

#[test]
fn missing_edition_folder_is_an_input_error() {
    let out = common::quire(&["check", "tests/cases/no-such-edition"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no-such-edition"), "{stderr}");
}

#[test]
fn new_refuses_a_folder_with_files() {
    let tmp = common::temp_dir();
    std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    let out = common::quire(&["new", tmp.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not empty"));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("notes.txt")).unwrap(),
        "mine"
    );
    assert!(!tmp.path().join("edition.toml").exists());
}

#[test]
fn new_edition_loads_with_every_article_feature() {
    let tmp = common::temp_dir();
    let dir = tmp.path().join("first-issue");
    let out = common::quire(&["new", dir.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ed = quire::edition::load(&dir).unwrap();
    assert_eq!(ed.slug, "first-issue");
    let (_, a) = ed.articles().next().unwrap();
    assert!(a.kicker.is_some() && a.standfirst.is_some() && !a.authors.is_empty());
    let figure = a.blocks.iter().find_map(|b| match &b.kind {
        quire::model::BlockKind::Figure(f) => Some(f),
        _ => None,
    });
    let figure = figure.expect("the sample article has a figure");
    assert!(!figure.image.alt.is_empty());
    assert!(!figure.caption.is_empty());
    assert_eq!(figure.image.rel_path, "images/welcome.png");
    assert_eq!(a.footnotes.len(), 1);
}

#[test]
fn new_then_check_succeeds() {
    let tmp = common::temp_dir();
    let dir = tmp.path().join("first-issue");
    assert_eq!(code(&["new", dir.to_str().unwrap()]), Some(0));
    let out = common::quire(&["check", dir.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // check writes nothing, neither in the edition nor an `out` folder.
    assert!(!dir.join("out").exists());
    assert!(!common::root().join("out/first-issue.pdf").exists());
}

/// Checks the shape of the `--json` object and returns it.
fn json_of(stdout: &[u8]) -> Value {
    let v: Value = serde_json::from_slice(stdout).expect("stdout is one JSON object");
    for key in ["ok", "outputs", "warnings", "errors", "timings"] {
        assert!(v.get(key).is_some(), "key `{key}` missing in {v}");
    }
    v
}

#[test]
fn json_reports_errors_with_place_and_hint() {
    let tmp = common::temp_dir();
    let ed = tmp.path().join("ed");
    common::copy_dir(&common::root().join("tests/cases/base"), &ed);
    let toml = std::fs::read_to_string(ed.join("edition.toml")).unwrap();
    std::fs::write(ed.join("edition.toml"), toml.replace("issn =", "isnn =")).unwrap();
    let out = common::quire(&[
        "build",
        ed.to_str().unwrap(),
        "--json",
        "--out",
        tmp.path().join("out").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v = json_of(&out.stdout);
    assert_eq!(v["ok"], false);
    let e = &v["errors"][0];
    assert!(
        e["file"].as_str().unwrap().ends_with("ed/edition.toml"),
        "{e}"
    );
    assert_eq!(e["line"], 5);
    assert_eq!(e["column"], 1);
    assert_eq!(e["message"], "unknown key `isnn`");
    assert_eq!(e["hint"], "did you mean `issn`?");
}

#[test]
fn json_build_lists_outputs_and_timings() {
    let tmp = common::temp_dir();
    let out_dir = tmp.path().join("out");
    let out = common::quire(&[
        "build",
        "tests/cases/base",
        "--out",
        out_dir.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json_of(&out.stdout);
    assert_eq!(v["ok"], true);
    let outputs = v["outputs"].as_array().unwrap();
    let available: Vec<&str> = quire::available_formats()
        .into_iter()
        .map(|f| f.name())
        .collect();
    let written: Vec<&str> = outputs
        .iter()
        .map(|o| o["format"].as_str().unwrap())
        .collect();
    assert_eq!(
        written, available,
        "without --format, every available format"
    );
    for o in outputs {
        let path = Path::new(o["path"].as_str().unwrap());
        let bytes = std::fs::metadata(path).unwrap().len();
        assert_eq!(o["bytes"].as_u64(), Some(bytes));
        match o["format"].as_str().unwrap() {
            "pdf" => assert!(o["pages"].as_u64().unwrap() >= 1, "{o}"),
            "epub" => assert!(o["documents"].as_u64().unwrap() >= 1, "{o}"),
            other => panic!("unexpected format {other}"),
        }
    }
    let stages: Vec<&str> = v["timings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["stage"].as_str().unwrap())
        .collect();
    assert!(stages.contains(&"load"), "{stages:?}");
    for format in &available {
        assert!(stages.contains(format), "{stages:?}");
    }
}

#[test]
fn two_editions_with_one_name_are_refused_in_one_build() {
    let tmp = common::temp_dir();
    for parent in ["a", "b"] {
        common::copy_dir(
            &common::root().join("tests/cases/base"),
            &tmp.path().join(parent).join("ed"),
        );
    }
    let out = common::quire(&[
        "build",
        tmp.path().join("a/ed").to_str().unwrap(),
        tmp.path().join("b/ed").to_str().unwrap(),
        "--format",
        "epub",
        "--out",
        tmp.path().join("out").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("are both named `ed`"), "{stderr}");
}

#[test]
fn pdf_format_is_built_or_refused_clearly() {
    let tmp = common::temp_dir();
    let out_dir = tmp.path().join("out");
    let out = common::quire(&[
        "build",
        "tests/cases/base",
        "--format",
        "pdf",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if quire::available_formats().contains(&quire::Format::Pdf) {
        assert_eq!(out.status.code(), Some(0), "{stderr}");
        assert!(out_dir.join("base.pdf").is_file());
    } else {
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains("not available yet"), "{stderr}");
        assert!(!out_dir.join("base.pdf").exists());
    }
}

#[test]
fn a_character_no_font_has_is_reported_with_its_file_and_line() {
    let tmp = common::temp_dir();
    let ed = tmp.path().join("ed");
    common::copy_dir(Path::new("tests/cases/base"), &ed);
    let two = ed.join("articles/two.md");
    let text = std::fs::read_to_string(&two).unwrap();
    std::fs::write(&two, format!("{text}\nA sign, \u{13000}, no font draws.\n")).unwrap();
    let line = text.lines().count() + 2;
    let out = common::quire(&[
        "build",
        "--json",
        "--format",
        "pdf",
        "--out",
        tmp.path().join("out").to_str().unwrap(),
        ed.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "a warning, not an error");
    let v: Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    let warnings = v["warnings"].as_array().expect("warnings");
    let w = warnings
        .iter()
        .find(|w| w["message"].as_str().is_some_and(|m| m.contains("U+13000")))
        .unwrap_or_else(|| panic!("no warning for U+13000 in {v}"));
    assert!(
        w["file"].as_str().is_some_and(|f| f.ends_with("two.md")),
        "{w}"
    );
    assert_eq!(w["line"].as_u64(), Some(line as u64), "{w}");
    assert_eq!(w["column"].as_u64(), Some(9), "{w}");
}

/// Checks the EPUB of the base edition with `extra` appended to its second article;
/// returns the exit code, the `--json` object, stderr, and the article's text before
/// `extra`.
fn check_with(extra: &str) -> (Option<i32>, Value, String, String) {
    let tmp = common::temp_dir();
    let ed = tmp.path().join("ed");
    common::copy_dir(Path::new("tests/cases/base"), &ed);
    let two = ed.join("articles/two.md");
    let text = std::fs::read_to_string(&two).unwrap();
    std::fs::write(&two, format!("{text}{extra}")).unwrap();
    let out = common::quire(&["check", "--json", "--format", "epub", ed.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let v: Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    (out.status.code(), v, stderr, text)
}

/// The `(line, column)` of the diagnostic in `list` (`errors` or `warnings`) whose
/// message holds `needle`.
fn place(v: &Value, list: &str, needle: &str) -> (u64, u64) {
    let d = v[list]
        .as_array()
        .expect("a list of diagnostics")
        .iter()
        .find(|d| d["message"].as_str().is_some_and(|m| m.contains(needle)))
        .unwrap_or_else(|| panic!("nothing about {needle} in {v}"));
    assert!(
        d["file"].as_str().is_some_and(|f| f.ends_with("two.md")),
        "{d}"
    );
    (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap())
}

#[test]
fn stderr_and_json_give_the_same_column_after_non_ascii_text() {
    // `Éé çà see ` is 10 characters but 14 bytes: the reference is at column 11.
    let (code, v, stderr, text) = check_with("\nÉé çà see [^nope].\n");
    assert_eq!(code, Some(1), "{stderr}");
    let line = text.lines().count() as u64 + 2;
    assert_eq!(place(&v, "errors", "[^nope]"), (line, 11));
    assert!(
        stderr.contains(&format!("two.md:{line}:11]")),
        "stderr names another place: {stderr}"
    );
}

#[test]
fn a_warning_points_at_its_own_place_not_an_earlier_mention() {
    // The URL is written twice as text before the link itself.
    let (code, v, stderr, text) =
        check_with("\nThe file nowhere.md is gone; so is nowhere.md.\n\nSee [it](nowhere.md).\n");
    assert_eq!(code, Some(0), "a warning, not an error: {stderr}");
    let line = text.lines().count() as u64 + 4;
    assert_eq!(place(&v, "warnings", "nowhere.md"), (line, 5));
    assert!(stderr.contains(&format!("two.md:{line}:5]")), "{stderr}");
}

#[test]
fn json_build_reports_the_texture_of_the_pdf() {
    let tmp = common::temp_dir();
    let out_dir = tmp.path().join("out");
    let out = common::quire(&[
        "build",
        "tests/cases/generated",
        "--out",
        out_dir.to_str().unwrap(),
        "--format",
        "pdf",
        "--json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json_of(&out.stdout);
    let pdf = &v["outputs"][0];
    let lines = pdf["lines"].as_u64().unwrap();
    let scaled = pdf["lines_scaled_over_1pct"].as_u64().unwrap();
    let apart = pdf["neighbours_scaled_apart"].as_u64().unwrap();
    assert!(lines > 100, "{pdf}");
    // Glyph scaling stays within 1 % (the style's default), and neighbouring lines
    // mostly agree.
    assert!(scaled * 20 < lines, "{pdf}");
    assert!(apart * 3 < lines, "{pdf}");
}

/// The base edition with warnings added to its second article: two characters no font
/// has (one kind, twice) and a link to a missing file (another kind). Returns the
/// temporary folder (the edition is `ed` in it).
fn edition_with_warnings() -> tempfile::TempDir {
    let tmp = common::temp_dir();
    let ed = tmp.path().join("ed");
    common::copy_dir(Path::new("tests/cases/base"), &ed);
    let two = ed.join("articles/two.md");
    let text = std::fs::read_to_string(&two).unwrap();
    let extra = "\nOne sign, \u{13000}, and another, \u{13001}.\n\nSee [it](nowhere.md).\n";
    std::fs::write(&two, format!("{text}{extra}")).unwrap();
    tmp
}

fn build_args<'a>(tmp: &'a Path, extra: &[&'a str]) -> Vec<String> {
    let mut args = vec![
        "build".to_string(),
        "--out".to_string(),
        tmp.join("out").display().to_string(),
        tmp.join("ed").display().to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

fn run_build(tmp: &Path, extra: &[&str]) -> std::process::Output {
    let args = build_args(tmp, extra);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    common::quire(&args)
}

#[test]
fn quiet_prints_nothing_but_errors() {
    let tmp = edition_with_warnings();
    let out = run_build(tmp.path(), &["--quiet"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(tmp.path().join("out/ed.pdf").is_file());
    // Without --quiet the same build speaks on both streams.
    let loud = run_build(tmp.path(), &[]);
    assert!(!loud.stdout.is_empty() && !loud.stderr.is_empty());

    // An error is still reported.
    let two = tmp.path().join("ed/articles/two.md");
    let text = std::fs::read_to_string(&two).unwrap();
    std::fs::write(&two, format!("{text}\nSee [^nope].\n")).unwrap();
    let out = run_build(tmp.path(), &["--quiet"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("[^nope]"), "{stderr}");
    assert!(
        !stderr.contains("U+13000"),
        "a warning under --quiet: {stderr}"
    );
}

#[test]
fn warnings_are_counted_by_kind_at_the_end() {
    let tmp = edition_with_warnings();
    let out = run_build(tmp.path(), &[]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let json = run_build(tmp.path(), &["--json"]);
    let v = json_of(&json.stdout);
    let warnings = v["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 3, "{v}");
    // The summary is the last thing on stderr: a count, then one line per kind.
    let summary = stderr
        .rfind("3 warnings of 2 kinds:")
        .map(|at| &stderr[at..])
        .unwrap_or_else(|| panic!("no summary in {stderr}"));
    let lines: Vec<&str> = summary.trim_end().lines().collect();
    assert_eq!(lines.len(), 3, "{summary}");
    assert!(
        lines[1].trim_start().starts_with("2 ×") && lines[1].ends_with("(in 1 file)"),
        "the kind seen twice comes first: {summary}"
    );
    assert!(lines[2].trim_start().starts_with("1 ×"), "{summary}");
    // The summary names kinds, not places: the characters themselves are left out.
    assert!(!lines[1].contains("U+13000"), "{summary}");
}

#[test]
fn json_stdout_is_one_value_and_stderr_has_no_progress() {
    let tmp = edition_with_warnings();
    let out = run_build(tmp.path(), &["--json"]);
    assert_eq!(out.status.code(), Some(0));
    // from_slice fails on anything after the one value.
    let v: Value = serde_json::from_slice(&out.stdout).expect("stdout is exactly one JSON value");
    assert_eq!(v["outputs"].as_array().map(Vec::len), Some(2), "{v}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("wrote "));
    // stderr is not a terminal here: no spinner, no stage names, only the warnings.
    let stderr = String::from_utf8_lossy(&out.stderr);
    for stage in [": load", ": layout", ": write"] {
        assert!(!stderr.contains(stage), "progress on a pipe: {stderr}");
    }
    // A build without warnings says nothing on stderr at all.
    let clean = common::quire(&[
        "build",
        "--format",
        "pdf",
        "--out",
        tmp.path().join("clean").to_str().unwrap(),
        "tests/cases/base",
    ]);
    assert_eq!(clean.status.code(), Some(0));
    assert!(
        clean.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&clean.stderr)
    );
}

/// The base edition copied into `tmp/ed`, with a character no font has appended to an
/// article (a warning, not an error).
fn edition_with_a_warning(tmp: &Path) -> std::path::PathBuf {
    let ed = tmp.join("ed");
    common::copy_dir(Path::new("tests/cases/base"), &ed);
    let two = ed.join("articles/two.md");
    let text = std::fs::read_to_string(&two).unwrap();
    std::fs::write(&two, format!("{text}\nA sign, \u{13000}, no font draws.\n")).unwrap();
    ed
}

#[test]
fn format_names_ignore_case_and_spaces() {
    let out = common::quire(&["check", "--format", "EPUB", "tests/cases/base"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = common::quire(&["check", "--format", " Epub , epub", "tests/cases/base"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = common::quire(&["check", "--format", "epub, gif", "tests/cases/base"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unknown format `gif`"), "{stderr}");
    assert!(stderr.contains("pdf, epub, print"), "{stderr}");
}

#[test]
fn o_is_short_for_out() {
    let tmp = common::temp_dir();
    let out_dir = tmp.path().join("o");
    let out = common::quire(&[
        "build",
        "-o",
        out_dir.to_str().unwrap(),
        "--format",
        "epub",
        "tests/cases/base",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out_dir.join("base.epub").is_file());
}

#[test]
fn json_usage_errors_are_one_object_with_the_exit_status() {
    for args in [
        &["build", "--json", "--colour", "tests/cases/base"][..],
        &["archive", "--json", "--jobs", "0"][..],
        &["check", "--json", "--format", "gif", "tests/cases/base"][..],
        &["new", "--json", "x"][..],
    ] {
        let out = common::quire(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let v: Value = serde_json::from_slice(&out.stdout).expect("stdout is one JSON object");
        assert_eq!(v["ok"], false, "{args:?}");
        assert_eq!(v["exit_status"], 2, "{args:?}");
        let errors = v["errors"].as_array().unwrap();
        assert_eq!(errors.len(), 1, "{args:?}");
        assert_eq!(errors[0]["code"], "usage");
        assert!(!errors[0]["message"].as_str().unwrap().is_empty());
        // The error is on stderr too, as without --json.
        assert!(String::from_utf8_lossy(&out.stderr).contains("error:"));
    }
    let out = common::quire(&["check", "--json", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(v["exit_status"], 0);
    assert!(v["help"].as_str().unwrap().contains("Usage:"));
    // After `--`, `--json` is an edition folder's name, not the option.
    let out = common::quire(&["check", "--colour", "--", "--json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

#[test]
fn check_reports_warnings_and_can_deny_them() {
    let tmp = common::temp_dir();
    let ed = edition_with_a_warning(tmp.path());
    let ed = ed.to_str().unwrap();
    let out = common::quire(&["check", "--format", "pdf", ed]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        stdout.trim(),
        format!("{ed}: 1 warning"),
        "never `ok` with warnings"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("articles/two.md:8:9"), "{stderr}");

    let out = common::quire(&["check", "--deny-warnings", "--format", "pdf", ed]);
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--deny-warnings (exit status 3)"),
        "{stderr}"
    );
    let out = common::quire(&["check", "--deny-warnings", "--json", "--format", "pdf", ed]);
    assert_eq!(out.status.code(), Some(3));
    let v: Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(v["ok"], false);
    assert_eq!(v["exit_status"], 3);
    assert_eq!(v["warnings"][0]["line"], 8);
    // Without warnings, --deny-warnings changes nothing.
    let out = common::quire(&[
        "check",
        "--deny-warnings",
        "--format",
        "epub",
        "tests/cases/base",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "tests/cases/base: ok"
    );
}

#[test]
fn several_editions_go_on_past_a_bad_one_and_end_with_a_summary() {
    let tmp = common::temp_dir();
    let bad = tmp.path().join("bad");
    common::copy_dir(Path::new("tests/cases/base"), &bad);
    std::fs::write(bad.join("edition.toml"), "title = \n").unwrap();
    let out_dir = tmp.path().join("out");
    let args = [
        "build",
        "tests/cases/base",
        bad.to_str().unwrap(),
        "tests/cases/quotes",
        "--format",
        "epub",
        "-o",
        out_dir.to_str().unwrap(),
    ];
    let out = common::quire(&args);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let last = stdout.lines().last().unwrap();
    assert_eq!(
        last,
        format!("built 2, failed 1: {}", bad.display()),
        "{stdout}"
    );
    assert!(out_dir.join("base.epub").is_file());
    assert!(
        out_dir.join("quotes.epub").is_file(),
        "the edition after the bad one is built"
    );

    let mut json_args = args.to_vec();
    json_args.push("--json");
    let out = common::quire(&json_args);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(v["exit_status"], 1);
    assert_eq!(
        v["succeeded"],
        serde_json::json!(["tests/cases/base", "tests/cases/quotes"])
    );
    assert_eq!(v["failed"], serde_json::json!([bad.display().to_string()]));
}

#[test]
fn completions_and_man_page_are_printed() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = common::quire(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("deny-warnings"), "{shell}: {text}");
    }
    assert_eq!(code(&["completions", "tcsh"]), Some(2));
    // The scripts know the format names.
    let bash = common::quire(&["completions", "bash"]);
    assert!(String::from_utf8_lossy(&bash.stdout).contains("pdf epub print"));
    let out = common::quire(&["man"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with(".ie") || text.contains(".TH quire 1"),
        "{text}"
    );
    assert!(text.contains(".TH quire 1"), "{text}");
    assert!(text.contains("completions"), "{text}");
}

#[test]
fn slug_in_edition_toml_names_the_outputs_and_is_checked() {
    let tmp = common::temp_dir();
    let ed = tmp.path().join("folder-name");
    common::copy_dir(Path::new("tests/cases/base"), &ed);
    let toml = std::fs::read_to_string(ed.join("edition.toml")).unwrap();
    std::fs::write(
        ed.join("edition.toml"),
        format!("slug = \"spring-2026\"\n{toml}"),
    )
    .unwrap();
    let out_dir = tmp.path().join("out");
    let args = [
        "build",
        "--format",
        "epub",
        "-o",
        out_dir.to_str().unwrap(),
        ed.to_str().unwrap(),
    ];
    let out = common::quire(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out_dir.join("spring-2026.epub").is_file());
    assert!(!out_dir.join("folder-name.epub").exists());

    std::fs::write(
        ed.join("edition.toml"),
        format!("# renamed\nslug = \"../up\"\n{toml}"),
    )
    .unwrap();
    let out = common::quire(&["check", "--format", "epub", ed.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("slug `../up`: `/` may not be in a file name"),
        "{stderr}"
    );
    assert!(stderr.contains("edition.toml:2:8"), "{stderr}");
}
