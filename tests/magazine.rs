//! A magazine folder (`quire.toml`): issues inherit its metadata and house style, share its
//! fonts, may use paths inside it but not out of it; `quire new` scaffolds the next issue
//! and `quire build` with no edition builds only the issues whose inputs changed.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs quire in `dir` (the current folder matters: the magazine is found from it).
fn quire_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("the quire binary runs")
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const QUIRE_TOML: &str = r#"title = "The Harbour Monthly"
subtitle = "Boats, tides and the people between"
language = "en-GB"
publisher = "Quayside Press"
editors = ["Ada Quill", "Ben Rowe"]
issn = "2977-1439"
subjects = ["boats", "tides"]
rights = "Shared rights line"
accessibility_certifier = "Harbour Access Group"
style = "house"
issues = "issues"
"#;

/// The magazine's folder: root, and its canonical path.
struct Magazine {
    _tmp: tempfile::TempDir,
    root: PathBuf,
}

fn issue_toml(issue: &str, date: &str, extra: &str) -> String {
    format!(
        "issue = \"{issue}\"\ndate = \"{date}\"\n{extra}\n[[section]]\ntitle = \"Features\"\narticles = [\"articles/piece.md\"]\n"
    )
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A magazine with three monthly issues sharing a house style and the fonts folder.
fn magazine() -> Magazine {
    let tmp = common::temp_dir();
    let root = std::fs::canonicalize(tmp.path()).unwrap().join("harbour");
    write(&root.join("quire.toml"), QUIRE_TOML);
    write(
        &root.join("styles/house.toml"),
        "drop_caps = false\n[page]\ncolumns = 2\n",
    );
    std::fs::create_dir_all(root.join("fonts")).unwrap();
    for (n, date) in [
        ("1", "2026-01-01"),
        ("2", "2026-02-01"),
        ("3", "2026-03-01"),
    ] {
        let dir = root.join("issues").join(format!("0{n}"));
        write(&dir.join("edition.toml"), &issue_toml(n, date, ""));
        write(
            &dir.join("articles/piece.md"),
            &format!(
                "---\ntitle: Tides of issue {n}\n---\n\nThe water rose and fell twice a day in issue {n}.\n"
            ),
        );
    }
    Magazine { _tmp: tmp, root }
}

#[test]
fn issues_inherit_every_shared_key() {
    let m = magazine();
    let ed = quire::edition::load(&m.root.join("issues/01")).unwrap();
    let meta = &ed.meta;
    assert_eq!(meta.title, "The Harbour Monthly");
    assert_eq!(
        meta.subtitle.as_deref(),
        Some("Boats, tides and the people between")
    );
    assert_eq!(meta.language.as_str(), "en-GB");
    assert_eq!(meta.publisher.as_deref(), Some("Quayside Press"));
    assert_eq!(meta.editors, ["Ada Quill", "Ben Rowe"]);
    assert_eq!(meta.issn.as_deref(), Some("2977-1439"));
    assert_eq!(meta.subjects, ["boats", "tides"]);
    assert_eq!(meta.rights.as_deref(), Some("Shared rights line"));
    assert_eq!(meta.certified_by.as_deref(), Some("Harbour Access Group"));
    assert_eq!(ed.style.name, "house");
    assert_eq!(ed.style.page.columns, 2);
    // Its own keys stay its own.
    assert_eq!(meta.issue, "1");
    // The magazine's fonts folder is searched after the edition's.
    assert_eq!(ed.font_dirs, vec![m.root.join("fonts")]);
}

#[test]
fn articles_show_the_magazines_shared_images() {
    let m = magazine();
    let png = quire::edition::sample_png(40, 30);
    std::fs::create_dir_all(m.root.join("images")).unwrap();
    std::fs::write(m.root.join("images/logo.png"), &png).unwrap();
    let piece = m.root.join("issues/01/articles/piece.md");
    write(
        &piece,
        "---\ntitle: T\n---\n\n![The harbour logo](../../../images/logo.png)\n\nText.\n",
    );
    let ed = quire::edition::load(&m.root.join("issues/01")).unwrap();
    let shown = format!("{:?}", ed.sections[0].articles[0].blocks);
    assert!(shown.contains("../../images/logo.png"), "{shown}");
    // A shared image changed: every issue is built again.
    assert_eq!(built(&m.root).0.len(), 3);
    std::fs::write(
        m.root.join("images/logo.png"),
        quire::edition::sample_png(41, 30),
    )
    .unwrap();
    assert_eq!(built(&m.root).0.len(), 3);
    assert_eq!(built(&m.root).0.len(), 0);
}

#[test]
fn an_issue_overrides_each_inherited_key() {
    let m = magazine();
    let dir = m.root.join("issues/02");
    write(&dir.join("styles/own.toml"), "[page]\ncolumns = 4\n");
    let own = r#"title = "Harbour Special"
subtitle = "A special subtitle"
language = "de"
publisher = "Other Press"
editors = ["Cleo Dunn"]
issn = "0317-8471"
subjects = []
rights = "Own rights line"
accessibility_certifier = "Another Group"
style = "own"
"#;
    write(
        &dir.join("edition.toml"),
        &issue_toml("2", "2026-02-01", own),
    );
    let ed = quire::edition::load(&dir).unwrap();
    let meta = &ed.meta;
    assert_eq!(meta.title, "Harbour Special");
    assert_eq!(meta.subtitle.as_deref(), Some("A special subtitle"));
    assert_eq!(meta.language.as_str(), "de");
    assert_eq!(meta.publisher.as_deref(), Some("Other Press"));
    // Lists are replaced, not merged; an empty list clears the magazine's.
    assert_eq!(meta.editors, ["Cleo Dunn"]);
    assert!(meta.subjects.is_empty());
    assert_eq!(meta.issn.as_deref(), Some("0317-8471"));
    assert_eq!(meta.rights.as_deref(), Some("Own rights line"));
    assert_eq!(meta.certified_by.as_deref(), Some("Another Group"));
    assert_eq!((ed.style.name.as_str(), ed.style.page.columns), ("own", 4));

    // An empty text value drops the inherited one; a built-in style name wins over the
    // house style; a style named by path inside the magazine is allowed.
    let cleared = "subtitle = \"\"\nissn = \"\"\nstyle = \"magazine\"\n";
    write(
        &dir.join("edition.toml"),
        &issue_toml("2", "2026-02-01", cleared),
    );
    let ed = quire::edition::load(&dir).unwrap();
    assert_eq!(ed.meta.subtitle, None);
    assert_eq!(ed.meta.issn, None);
    assert_eq!(ed.style.name, "magazine");
    let by_path = "style = \"../../styles/house.toml\"\n";
    write(
        &dir.join("edition.toml"),
        &issue_toml("2", "2026-02-01", by_path),
    );
    let ed = quire::edition::load(&dir).unwrap();
    assert_eq!(
        (ed.style.name.as_str(), ed.style.page.columns),
        ("house", 2)
    );
}

#[test]
fn a_folder_outside_the_issues_inherits_nothing() {
    let m = magazine();
    let dir = m.root.join("drafts/x");
    write(
        &dir.join("edition.toml"),
        &issue_toml("9", "2026-09-01", "title = \"Draft\"\nlanguage = \"en\"\n"),
    );
    write(
        &dir.join("articles/piece.md"),
        "---\ntitle: T\n---\n\nText.\n",
    );
    let ed = quire::edition::load(&dir).unwrap();
    assert_eq!(ed.meta.publisher, None);
    assert_eq!(ed.style.name, "magazine");
    // Without title and language it names the missing keys.
    write(
        &dir.join("edition.toml"),
        &issue_toml("9", "2026-09-01", ""),
    );
    let out = quire_in(&m.root, &["check", "drafts/x"]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr.contains("missing required key `title`"), "{stderr}");
    assert!(
        stderr.contains("missing required key `language`"),
        "{stderr}"
    );
}

#[test]
fn paths_may_not_leave_the_magazine() {
    let m = magazine();
    let outside = m.root.parent().unwrap().join("outside.toml");
    write(&outside, "drop_caps = true\n");
    let dir = m.root.join("issues/03");
    let leaving = "style = \"../../../outside.toml\"\n";
    write(
        &dir.join("edition.toml"),
        &issue_toml("3", "2026-03-01", leaving),
    );
    let out = quire_in(&m.root, &["check", "issues/03"]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("leaves the magazine folder"), "{stderr}");
    assert!(stderr.contains("edition.toml:3:"), "{stderr}");

    // Nor through a symbolic link inside it.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&outside, m.root.join("styles/linked.toml")).unwrap();
        let linked = "style = \"../../styles/linked.toml\"\n";
        write(
            &dir.join("edition.toml"),
            &issue_toml("3", "2026-03-01", linked),
        );
        let out = quire_in(&m.root, &["check", "issues/03"]);
        let (_, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains("through a symbolic link"), "{stderr}");
    }

    // A standalone edition (no quire.toml above) still stops at its own folder.
    let tmp = common::temp_dir();
    let lone = tmp.path().join("lone");
    write(&lone.join("style.toml"), "drop_caps = false\n");
    write(
        &lone.join("ed/edition.toml"),
        &issue_toml(
            "1",
            "2026-01-01",
            "title = \"T\"\nlanguage = \"en\"\nstyle = \"../style.toml\"\n",
        ),
    );
    write(
        &lone.join("ed/articles/piece.md"),
        "---\ntitle: T\n---\n\nText.\n",
    );
    let out = quire_in(tmp.path(), &["check", "lone/ed"]);
    let (_, stderr) = text(&out);
    assert!(stderr.contains("leaves the edition folder"), "{stderr}");
}

#[test]
fn a_bad_quire_toml_is_reported_with_its_place() {
    let m = magazine();
    let bad = QUIRE_TOML
        .replace("title =", "titel =")
        .replace("2977-1439", "2977-1430")
        .replace("issues = \"issues\"", "issues = \"../elsewhere\"");
    write(&m.root.join("quire.toml"), &bad);
    let out = quire_in(&m.root, &["check", "issues/01"]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr.contains("quire.toml:1:1"), "{stderr}");
    assert!(stderr.contains("unknown key `titel`"), "{stderr}");
    assert!(stderr.contains("did you mean `title`?"), "{stderr}");
    assert!(stderr.contains("quire.toml:6:"), "{stderr}");
    assert!(stderr.contains("wrong check digit"), "{stderr}");
    assert!(stderr.contains("leaves the magazine folder"), "{stderr}");
}

#[test]
fn new_numbers_and_dates_the_next_issue() {
    let m = magazine();
    // Quarterly from here: the interval of the last two issues is used.
    let dir = m.root.join("issues/03");
    write(
        &dir.join("edition.toml"),
        &issue_toml("3", "2026-05-01", ""),
    );
    let out = quire_in(&m.root.join("issues"), &["new"]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stdout.contains("created issue 4 (2026-08-01)"), "{stdout}");
    let toml = std::fs::read_to_string(m.root.join("issues/4/edition.toml")).unwrap();
    assert!(toml.contains("issue = \"4\"") && toml.contains("date = \"2026-08-01\""));
    // It inherits everything else and checks clean.
    let ed = quire::edition::load(&m.root.join("issues/4")).unwrap();
    assert_eq!(ed.meta.title, "The Harbour Monthly");
    assert_eq!(ed.style.name, "house");
    assert_eq!(ed.sections[0].title, "Features");

    // The folder pattern, zero-padded; one issue alone gets a month.
    let tmp = common::temp_dir();
    let root = tmp.path().join("mag");
    write(
        &root.join("quire.toml"),
        "title = \"M\"\nlanguage = \"en\"\nissues = \"issues/*\"\nissue_folder = \"issues/{year}-{issue:03}\"\n",
    );
    let first = root.join("issues/2026-009");
    write(
        &first.join("edition.toml"),
        &issue_toml("No. 9", "2026-01-31", ""),
    );
    write(
        &first.join("articles/piece.md"),
        "---\ntitle: T\n---\n\nText.\n",
    );
    let out = quire_in(&root, &["new"]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stdout.contains("created issue No. 10 (2026-02-28)"),
        "{stdout}"
    );
    assert!(root.join("issues/2026-010/edition.toml").is_file());
    // A named folder inside the magazine is the next issue too; it refuses to overwrite.
    let out = quire_in(&root, &["new", "issues/extra"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out).1);
    let toml = std::fs::read_to_string(root.join("issues/extra/edition.toml")).unwrap();
    assert!(toml.contains("No. 11"), "{toml}");
    let out = quire_in(&root, &["new", "issues/extra"]);
    assert_eq!(out.status.code(), Some(1));
}

/// The issues `quire build` (no edition) wrote and skipped, from its stdout.
fn built(root: &Path) -> (Vec<String>, Vec<String>) {
    let out = quire_in(root, &["build", "--format", "pdf"]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let mut wrote = Vec::new();
    let mut skipped = Vec::new();
    for line in stdout.lines() {
        if let Some(rest) = line.strip_prefix("wrote out/") {
            wrote.push(rest.split(' ').next().unwrap().to_string());
        } else if let Some(rest) = line.strip_prefix("skipped issues/") {
            skipped.push(rest.split(':').next().unwrap().to_string());
        }
    }
    (wrote, skipped)
}

#[test]
fn build_without_an_edition_builds_what_changed() {
    let m = magazine();
    let all = ["01.pdf", "02.pdf", "03.pdf"].map(String::from).to_vec();
    let none: Vec<String> = Vec::new();
    assert_eq!(built(&m.root), (all.clone(), none.clone()));
    assert!(m.root.join("out/.quire-hashes.json").is_file());
    let names = ["01", "02", "03"].map(String::from).to_vec();
    assert_eq!(built(&m.root), (none.clone(), names.clone()));
    // One article changed: that issue only.
    let piece = m.root.join("issues/02/articles/piece.md");
    let mut text = std::fs::read_to_string(&piece).unwrap();
    text.push_str("\nA second paragraph.\n");
    std::fs::write(&piece, text).unwrap();
    assert_eq!(
        built(&m.root),
        (
            vec!["02.pdf".to_string()],
            vec!["01".to_string(), "03".to_string()]
        )
    );
    // The house style changed: every issue.
    write(
        &m.root.join("styles/house.toml"),
        "drop_caps = false\n[page]\ncolumns = 3\n",
    );
    assert_eq!(built(&m.root), (all.clone(), none.clone()));
    // A deleted output is built again, from a subfolder of the magazine too.
    std::fs::remove_file(m.root.join("out/01.pdf")).unwrap();
    let out = quire_in(
        &m.root.join("issues/02"),
        &["build", "--format", "pdf", "--json"],
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["outputs"].as_array().unwrap().len(), 1, "{report}");
    assert_eq!(report["skipped"].as_array().unwrap().len(), 2, "{report}");
    assert!(m.root.join("out/01.pdf").is_file());
}

#[test]
fn shared_fonts_come_from_the_magazine() {
    let Some(font) = ["/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"]
        .iter()
        .map(Path::new)
        .find(|p| p.is_file())
    else {
        eprintln!("note: no DejaVu Serif on this system; shared font check skipped");
        return;
    };
    let m = magazine();
    std::fs::copy(font, m.root.join("fonts/DejaVuSerif.ttf")).unwrap();
    write(
        &m.root.join("styles/house.toml"),
        "[fonts]\nbody = \"DejaVu Serif\"\n",
    );
    let out = quire_in(&m.root, &["build", "--format", "pdf"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out).1);
    if let Some(pdffonts) = common::tool("pdffonts") {
        let list = Command::new(pdffonts)
            .arg(m.root.join("out/03.pdf"))
            .output()
            .unwrap();
        assert!(String::from_utf8_lossy(&list.stdout).contains("DejaVuSerif"));
    }
}

#[test]
fn check_without_an_edition_checks_every_issue() {
    let m = magazine();
    let out = quire_in(&m.root, &["check"]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    for n in ["01", "02", "03"] {
        assert!(stdout.contains(&format!("issues/{n}: ok")), "{stdout}");
    }
    assert!(stdout.contains("checked 3, failed 0"), "{stdout}");
    // A bad issue is reported with its place; the others are still checked.
    write(
        &m.root.join("issues/02/edition.toml"),
        "issue = \"2\"\ndate = \"2026-02-31\"\n",
    );
    let out = quire_in(&m.root.join("issues/03"), &["check"]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("02/edition.toml:2"), "{stderr}");
    assert!(
        stdout.contains("01: ok") && stdout.contains("03: ok"),
        "{stdout}"
    );
    assert!(
        stdout.contains("checked 2, failed 1: ../../issues/02"),
        "{stdout}"
    );
    // With --json: one object, naming the failed issue.
    let out = quire_in(&m.root, &["check", "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["ok"], false, "{report}");
    assert_eq!(
        report["failed"],
        serde_json::json!(["issues/02"]),
        "{report}"
    );
    assert_eq!(report["succeeded"].as_array().unwrap().len(), 2, "{report}");
    let errors = report["errors"].as_array().unwrap();
    assert!(!errors.is_empty(), "{report}");
    for e in errors {
        assert_eq!(e["file"], "issues/02/edition.toml", "{report}");
    }
}

#[test]
fn build_without_an_edition_outside_a_magazine_says_what_to_do() {
    let tmp = common::temp_dir();
    let out = quire_in(tmp.path(), &["archive"]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no quire.toml"), "{stderr}");
    assert!(stderr.contains("quire archive editions"), "{stderr}");
    for args in [&["build"][..], &["new"], &["check"]] {
        let out = quire_in(tmp.path(), args);
        let (_, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("no quire.toml"), "{stderr}");
        assert!(stderr.contains("EDITION_DIR"), "{stderr}");
    }
}
