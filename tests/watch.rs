//! `quire watch`, `--open` and `quire preview` on the real binary. The watch loop's own
//! logic (which changes count, batching, stopping) is tested without a clock in
//! `quire::watch`; here one run of `quire watch` is followed through a first build, an
//! edit, an error and Ctrl-C.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{Case, quire_with_env};

/// How long a build may take on a loaded machine before a test gives up.
const PATIENCE: Duration = Duration::from_secs(120);

/// Polls `done` every 100 ms until it is true or [`PATIENCE`] runs out (then panics with
/// `what` and the watcher's output so far).
fn wait_for(what: &str, logs: &Logs, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < PATIENCE,
            "timed out waiting for {what}\nstdout:\n{}\nstderr:\n{}",
            logs.stdout(),
            logs.stderr()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Where a background `quire` writes its stdout and stderr.
struct Logs {
    out: PathBuf,
    err: PathBuf,
}

impl Logs {
    fn stdout(&self) -> String {
        std::fs::read_to_string(&self.out).unwrap_or_default()
    }
    fn stderr(&self) -> String {
        std::fs::read_to_string(&self.err).unwrap_or_default()
    }
}

/// A fake viewer: a script that appends the path it is given to `log`.
fn fake_opener(dir: &Path, log: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let script = dir.join("fake-open.sh");
    std::fs::write(
        &script,
        format!("#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n", log.display()),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

/// Starts `quire watch` with `args` in the background, its output in `logs`.
fn spawn_watch(args: &[&str], logs: &Logs, vars: &[(&str, &Path)]) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_quire"));
    command
        .arg("watch")
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&logs.out).unwrap())
        .stderr(std::fs::File::create(&logs.err).unwrap());
    for (k, v) in vars {
        command.env(k, v);
    }
    command.spawn().expect("quire watch starts")
}

/// Kills the watcher if a test fails before it ends it.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn watch_rebuilds_on_edits_reports_errors_and_stops_on_ctrl_c() {
    let case = Case::new();
    let tmp = case.ed.parent().unwrap().to_path_buf();
    let logs = Logs {
        out: tmp.join("stdout.txt"),
        err: tmp.join("stderr.txt"),
    };
    let opened = tmp.join("opened.txt");
    let opener = fake_opener(&tmp, &opened);
    let child = spawn_watch(
        &[
            case.ed.to_str().unwrap(),
            "-o",
            case.out.to_str().unwrap(),
            "--format",
            "pdf",
            "--open",
        ],
        &logs,
        &[("QUIRE_OPEN", &opener)],
    );
    let mut guard = Guard(child);
    let pdf = case.out.join("ed.pdf");

    wait_for("the first build", &logs, || {
        logs.stdout().contains("watching")
    });
    assert!(pdf.is_file(), "{}", logs.stdout());
    let first = std::fs::read(&pdf).unwrap();
    assert!(logs.stdout().starts_with("built in "), "{}", logs.stdout());
    // --open: once, the PDF, after the first build.
    wait_for("the viewer", &logs, || opened.is_file());

    // An editor's temporaries and the output folder are not inputs: nothing is rebuilt.
    case.write("articles/.one.md.swp", b"swap");
    case.write("articles/one.md~", b"backup");

    // An edit: the PDF changes and one line says what changed.
    let one = std::fs::read_to_string(case.ed.join("articles/one.md")).unwrap();
    case.write(
        "articles/one.md",
        format!("{one}\nA second paragraph, added while the watcher ran.\n").as_bytes(),
    );
    wait_for("the rebuild", &logs, || {
        std::fs::read(&pdf).is_ok_and(|now| now != first)
    });
    wait_for("the rebuild's line", &logs, || {
        logs.stdout().contains("rebuilt in ")
    });
    let stdout = logs.stdout();
    let line = stdout.lines().find(|l| l.starts_with("rebuilt")).unwrap();
    assert!(line.contains("one.md changed"), "{line}");
    assert!(!line.contains(".swp") && !line.contains('~'), "{line}");
    assert!(line.contains("ed.pdf"), "{line}");
    let second = std::fs::read(&pdf).unwrap();

    // An error: reported on stderr with its place, the watcher goes on, the PDF stays.
    case.write(
        "articles/one.md",
        b"---\ntitle: [an unclosed list\n---\n\nText.\n",
    );
    wait_for("the error", &logs, || {
        logs.stdout().contains("failed after")
    });
    let stderr = logs.stderr();
    assert!(stderr.contains("articles/one.md"), "{stderr}");
    assert!(
        guard.0.try_wait().unwrap().is_none(),
        "the watcher ended on an error"
    );
    assert_eq!(
        std::fs::read(&pdf).unwrap(),
        second,
        "a failed build replaced the PDF"
    );
    assert!(logs.stdout().contains("the last good outputs are kept"));

    // Fixed again: the next build succeeds.
    case.write("articles/one.md", one.as_bytes());
    wait_for("the build after the fix", &logs, || {
        let stdout = logs.stdout();
        let after = stdout.rfind("failed after").unwrap_or(0);
        stdout[after..].contains("\nrebuilt in ")
    });

    // Ctrl-C ends it cleanly.
    let pid = guard.0.id().to_string();
    let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(sent.success());
    let start = Instant::now();
    let status = loop {
        if let Some(status) = guard.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            start.elapsed() < PATIENCE,
            "Ctrl-C did not stop the watcher"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "{status:?}\n{}", logs.stderr());
    assert!(logs.stdout().trim_end().ends_with("stopped watching"));
    let opened = std::fs::read_to_string(&opened).unwrap();
    assert_eq!(opened.lines().collect::<Vec<_>>(), [pdf.to_str().unwrap()]);
}

#[test]
fn watch_refuses_a_folder_that_is_neither_an_edition_nor_a_magazine() {
    let tmp = common::temp_dir();
    let out = common::quire(&["watch", tmp.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("neither an edition.toml nor a quire.toml"),
        "{stderr}"
    );
}

#[test]
fn watch_refuses_an_output_folder_that_holds_the_edition() {
    let case = Case::new();
    let parent = case.ed.parent().unwrap();
    let out = common::quire(&[
        "watch",
        case.ed.to_str().unwrap(),
        "-o",
        parent.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("holds the folder being watched"),
        "{stderr}"
    );
}

#[test]
fn build_open_shows_the_first_format_built_and_a_failing_viewer_is_a_warning() {
    let case = Case::new();
    let tmp = case.ed.parent().unwrap();
    let log = tmp.join("opened.txt");
    let opener = fake_opener(tmp, &log);
    let args = [
        "build",
        case.ed.to_str().unwrap(),
        "-o",
        case.out.to_str().unwrap(),
        "--format",
        "epub",
        "--open",
    ];
    let out = quire_with_env(&args, &[("QUIRE_OPEN", opener.to_str().unwrap())]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let epub = case.out.join("ed.epub");
    let start = Instant::now();
    while !log.is_file() && start.elapsed() < PATIENCE {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        std::fs::read_to_string(&log).unwrap().trim_end(),
        epub.to_str().unwrap()
    );

    let out = quire_with_env(&args, &[("QUIRE_OPEN", "/nonexistent/viewer")]);
    assert!(out.status.success(), "a viewer that fails is not an error");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("could not open"), "{stderr}");
    assert!(stderr.contains("QUIRE_OPEN"), "{stderr}");
}

/// `pdftotext` of `pdf`, when the tool is installed.
fn pdf_text(pdf: &Path) -> Option<String> {
    let tool = common::tool("pdftotext")?;
    let out = Command::new(tool)
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn preview_builds_one_article_in_its_editions_style() {
    let case = Case::new();
    let out = common::quire(&[
        "preview",
        case.ed.join("articles/two.md").to_str().unwrap(),
        "-o",
        case.out.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let pdf = case.out.join("two-preview.pdf");
    assert!(pdf.is_file());
    // PDF only by default.
    let written: Vec<_> = std::fs::read_dir(&case.out).unwrap().flatten().collect();
    assert_eq!(written.len(), 1, "{written:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("two-preview.pdf"), "{stdout}");
    if let Some(text) = pdf_text(&pdf) {
        // The fixture's two articles, by their titles.
        assert!(text.contains("The Second Article"), "{text}");
        assert!(
            !text.contains("The First Article"),
            "the other article is in: {text}"
        );
    }
}

#[test]
fn preview_of_an_unlisted_article_ignores_the_others_and_takes_formats() {
    let case = Case::new();
    case.write(
        "articles/draft.md",
        b"---\ntitle: A Draft Nobody Listed\n---\n\nIts text, in the house style.\n",
    );
    // Another article being broken does not stop the preview.
    case.write("articles/one.md", b"---\ntitle: [broken\n---\n");
    let out = common::quire(&[
        "preview",
        case.ed.join("articles/draft.md").to_str().unwrap(),
        "-o",
        case.out.to_str().unwrap(),
        "--format",
        "PDF, epub",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let paths: Vec<&str> = json["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths.len(), 2, "{paths:?}");
    assert!(case.out.join("draft-preview.pdf").is_file());
    assert!(case.out.join("draft-preview.epub").is_file());
    if let Some(text) = pdf_text(&case.out.join("draft-preview.pdf")) {
        assert!(text.contains("Its text, in the house style."), "{text}");
    }
}

#[test]
fn preview_errors_name_the_file_and_line() {
    let case = Case::new();
    case.write(
        "articles/bad.md",
        b"---\ntitle: Bad\nkickr: typo\n---\n\nText.\n",
    );
    let out = common::quire(&[
        "preview",
        case.ed.join("articles/bad.md").to_str().unwrap(),
        "-o",
        case.out.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("articles/bad.md:3:"), "{stderr}");
    assert!(!case.out.exists(), "nothing is written on an error");
}

#[test]
fn preview_of_an_article_outside_any_edition_says_so() {
    let tmp = common::temp_dir();
    let lone = tmp.path().join("lone.md");
    std::fs::write(&lone, "---\ntitle: Alone\n---\n\nText.\n").unwrap();
    let out = common::quire(&["preview", lone.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("lone.md"), "{stderr}");
    assert!(
        stderr.contains("is not inside an edition folder"),
        "{stderr}"
    );

    let out = common::quire(&["preview", tmp.path().join("missing.md").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.md"));
}
