//! Hostile environments on the command-line side: closed and full stdout or stderr, huge
//! numbers of diagnostics, outputs that cannot all be written.

mod common;

use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};

/// `quire` with the test environment of [`common::quire`] but the streams left to the
/// caller.
fn command(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_quire"));
    c.args(args)
        .current_dir(common::root())
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH");
    c
}

/// A fresh edition from `quire new` in `tmp/name`.
fn new_edition(tmp: &Path, name: &str) -> String {
    let dir = tmp.join(name);
    let out = common::quire(&["new", dir.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir.to_str().unwrap().to_string()
}

/// Runs `args` with stdout (or stderr) a pipe whose reader is already gone; returns the
/// status and what went to the other stream.
fn with_closed(args: &[&str], close_stdout: bool) -> (ExitStatus, String) {
    use std::io::Read;
    let mut child = command(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (closed, mut other): (Box<dyn Read>, Box<dyn Read>) = if close_stdout {
        (
            Box::new(child.stdout.take().unwrap()),
            Box::new(child.stderr.take().unwrap()),
        )
    } else {
        (
            Box::new(child.stderr.take().unwrap()),
            Box::new(child.stdout.take().unwrap()),
        )
    };
    drop(closed);
    let mut text = String::new();
    other.read_to_string(&mut text).unwrap();
    (child.wait().unwrap(), text)
}

#[test]
fn a_closed_stdout_ends_quietly_with_141_and_the_outputs_written() {
    let tmp = common::temp_dir();
    let ed = new_edition(tmp.path(), "ed");
    let out = tmp.path().join("out");
    let out = out.to_str().unwrap();
    for json in [false, true] {
        let mut args = vec!["build", &ed, "--out", out, "--format", "epub"];
        if json {
            args.push("--json");
        }
        let (status, stderr) = with_closed(&args, true);
        assert_eq!(status.code(), Some(141), "json {json}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(
            stderr.trim().is_empty(),
            "a closed pipe is not reported: {stderr}"
        );
        assert!(tmp.path().join("out/ed.epub").is_file());
    }
    let target = tmp.path().join("new");
    let (status, stderr) = with_closed(&["new", target.to_str().unwrap()], true);
    assert_eq!(status.code(), Some(141), "{stderr}");
    assert!(target.join("edition.toml").is_file());
}

#[test]
fn a_closed_stderr_does_not_panic() {
    let tmp = common::temp_dir();
    let missing = tmp.path().join("missing");
    let (status, _) = with_closed(&["check", missing.to_str().unwrap()], false);
    assert_eq!(status.code(), Some(1));
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_stdout_is_reported_once_with_status_1() {
    let tmp = common::temp_dir();
    let ed = new_edition(tmp.path(), "ed");
    let out = tmp.path().join("out");
    let target = tmp.path().join("new");
    let runs: [Vec<&str>; 3] = [
        vec![
            "build",
            &ed,
            "--out",
            out.to_str().unwrap(),
            "--format",
            "epub",
        ],
        vec!["check", &ed, "--format", "epub", "--json"],
        vec!["new", target.to_str().unwrap()],
    ];
    for args in runs {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let result = command(&args).stdout(full).output().unwrap();
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert_eq!(result.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert_eq!(
            stderr.matches("cannot write to stdout").count(),
            1,
            "{args:?}: {stderr}"
        );
    }
    // stderr full too: nothing to report it on, still no panic.
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    let result = command(&["check", tmp.path().join("nothing").to_str().unwrap()])
        .stdout(full())
        .stderr(full())
        .status()
        .unwrap();
    assert_eq!(result.code(), Some(1));
}

#[test]
fn twenty_thousand_errors_of_one_kind_are_counted_not_all_shown() {
    let tmp = common::temp_dir();
    let ed = new_edition(tmp.path(), "ed");
    let article = Path::new(&ed).join("articles/welcome.md");
    let mut text = std::fs::read_to_string(&article).unwrap();
    let refs: Vec<String> = (0..20_000).map(|i| format!("[^u{i}]")).collect();
    text.push('\n');
    text.push_str(&refs.join(" "));
    // One more on a line of 200,000 characters, far past any column miette can pad to.
    text.push_str(&format!(
        "\n\n{} [^far] {}\n",
        "y".repeat(100_000),
        "z".repeat(100_000)
    ));
    std::fs::write(&article, text).unwrap();

    let result = common::quire(&["check", &ed]);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(
        result.status.code(),
        Some(1),
        "{}",
        &stderr[..stderr.len().min(2000)]
    );
    assert!(!stderr.contains("panicked"));
    assert!(
        stderr.contains("… and 19,951 more errors of this kind"),
        "{}",
        &stderr[stderr.len().saturating_sub(2000)..]
    );
    assert_eq!(
        stderr.matches("is not defined").count(),
        51,
        "50 shown, one summary"
    );
    assert!(stderr.len() < 40_000, "stderr is {} bytes", stderr.len());
    assert!(
        stderr.lines().all(|l| l.chars().count() < 200),
        "long lines are cut"
    );

    // The JSON lists every error.
    let result = common::quire(&["check", &ed, "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&result.stdout).unwrap();
    assert_eq!(json["errors"].as_array().unwrap().len(), 20_001);
}

#[test]
fn a_long_line_is_shown_around_its_place() {
    let tmp = common::temp_dir();
    let ed = new_edition(tmp.path(), "ed");
    let article = Path::new(&ed).join("articles/welcome.md");
    let mut text = std::fs::read_to_string(&article).unwrap();
    text.push_str(&format!("\n{} [^far] tail\n", "y".repeat(70_000)));
    std::fs::write(&article, text).unwrap();
    let result = common::quire(&["check", &ed]);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(":70002]"),
        "the column in the header: {stderr}"
    );
    assert!(stderr.contains("…yyyy"), "{stderr}");
    assert!(stderr.contains("[^far] tail"), "{stderr}");
    assert!(stderr.len() < 2_000, "{stderr}");
}

/// The names in `dir` starting with `.quire-` (temporary files).
fn temporaries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".quire-"))
        .collect()
}

#[test]
fn when_the_epub_cannot_be_written_the_pdf_is_not_replaced() {
    let tmp = common::temp_dir();
    let ed = new_edition(tmp.path(), "ed");
    let out = tmp.path().join("out");
    let (pdf, epub) = common::build(Path::new(&ed), &out);
    let before = std::fs::read(&pdf).unwrap();
    let modified = std::fs::metadata(&pdf).unwrap().modified().unwrap();
    // A changed article (so a new PDF would differ) and a folder where the EPUB goes.
    let article = Path::new(&ed).join("articles/welcome.md");
    let text = std::fs::read_to_string(&article).unwrap();
    std::fs::write(
        &article,
        text.replace("Writing the text", "Writing the words"),
    )
    .unwrap();
    std::fs::remove_file(&epub).unwrap();
    std::fs::create_dir(&epub).unwrap();
    std::fs::write(epub.join("keep"), b"mine").unwrap();

    let result = common::quire(&["build", &ed, "--out", out.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("ed.epub` is a folder"), "{stderr}");
    assert!(
        std::fs::read(&pdf).unwrap() == before,
        "the PDF was replaced"
    );
    assert_eq!(
        std::fs::metadata(&pdf).unwrap().modified().unwrap(),
        modified
    );
    assert_eq!(std::fs::read(epub.join("keep")).unwrap(), b"mine");
    assert!(temporaries(&out).is_empty(), "{:?}", temporaries(&out));
}

#[test]
fn a_build_removes_stale_temporaries_of_a_killed_run() {
    let tmp = common::temp_dir();
    let ed = new_edition(tmp.path(), "ed");
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let stale = out.join(".quire-ed.pdf.Xy12ab.tmp");
    std::fs::write(&stale, vec![0; 1000]).unwrap();
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 3600);
    std::fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(old)
        .unwrap();
    common::build(Path::new(&ed), &out);
    assert!(temporaries(&out).is_empty(), "{:?}", temporaries(&out));
}

/// `--help`, `--version` and a usage error into a pipe whose reader is gone before quire
/// starts: status 141 and nothing said, as for `build` (they used to exit 0, or panic).
#[test]
fn help_version_and_usage_errors_into_a_closed_pipe_exit_141() {
    for (args, to_stdout) in [
        (&["--help"][..], true),
        (&["--version"][..], true),
        (&["build", "--help"][..], true),
        (&["bogus"][..], false),
    ] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let mut command = command(args);
        let out = if to_stdout {
            command.stdout(writer).stderr(Stdio::piped()).output()
        } else {
            command.stderr(writer).stdout(Stdio::piped()).output()
        }
        .unwrap();
        let other = if to_stdout { &out.stderr } else { &out.stdout };
        let other = String::from_utf8_lossy(other);
        assert_eq!(out.status.code(), Some(141), "{args:?}: {other}");
        assert!(
            other.trim().is_empty(),
            "{args:?}: a closed pipe is not reported: {other}"
        );
    }
}
