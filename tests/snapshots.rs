//! Layout snapshots: each case edition is laid out through the library and compared with
//! files kept in `tests/snapshots/`:
//!
//! - `<name>.txt`, the text dump of the laid-out pages ([`quire::layout::dump`]): every
//!   line's column, baseline, position, width, spacing and text, every rule, image and
//!   link, the outline and the page labels. A change that moves a line shows here.
//! - `<name>.hashes`, the size and SHA-256 of the PDF and of the EPUB built from the same
//!   edition, which pin everything the dump leaves out (glyph ids, offsets, colours, the
//!   writers' own output).
//!
//! A mismatch fails with the first differing lines. When the change is intended,
//! regenerate with `QUIRE_UPDATE_SNAPSHOTS=1 cargo test --test snapshots` and commit the
//! new files with the change; never edit them by hand.
//!
//! Cases: `editions/sample` (A4, three columns, the magazine style) and
//! `tests/cases/generated`, written by `gen_edition.py --articles 3 --seed 7` with one
//! line added to its `edition.toml` (`style = "snapshot"`) and `styles/snapshot.toml`
//! (A5, two columns, unequal margins, so left-hand pages are shifted).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The variable that turns a run into a regeneration.
const UPDATE: &str = "QUIRE_UPDATE_SNAPSHOTS";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn updating() -> bool {
    std::env::var(UPDATE).is_ok_and(|v| v == "1")
}

#[test]
fn sample() {
    check_case("sample", "editions/sample");
}

#[test]
fn generated() {
    check_case("generated", "tests/cases/generated");
}

/// Lays out, writes and dumps the edition in `dir`, then compares (or, when updating,
/// writes) `tests/snapshots/<name>.txt` and `<name>.hashes`.
fn check_case(name: &str, dir: &str) {
    let mut edition = quire::edition::load(&root().join(dir))
        .unwrap_or_else(|e| panic!("{dir} does not load: {e}"));
    // The hashes are of a build without SOURCE_DATE_EPOCH, whatever the shell sets.
    edition.meta.source_date = None;
    // Laid out once and assembled both ways, as a build does: the archive's document and
    // the print edition's, whose page list the EPUB carries.
    let layouts =
        quire::layout::LaidEdition::new(&edition, &[1, quire::layout::PRINT_PAGE_MULTIPLE]);
    let laid = layouts
        .padded_to(1)
        .unwrap_or_else(|e| panic!("{dir}: {e}"));
    let dump = quire::layout::dump::dump(&laid.document, &edition.style.page);
    let pdf = quire::pdf::write::write(&laid.document)
        .unwrap_or_else(|e| panic!("{dir}: the PDF writer failed: {e}"));
    let epub = quire::epub::render(&edition, &layouts)
        .unwrap_or_else(|e| panic!("{dir}: the EPUB backend failed: {e}"))
        .bytes;
    let hashes = format!(
        "# {name}: size and SHA-256 of the outputs (tests/snapshots.rs)\n{}{}",
        hash_line("pdf", &pdf),
        hash_line("epub", &epub)
    );

    let dir = root().join("tests/snapshots");
    let failures: Vec<String> = [
        (dir.join(format!("{name}.txt")), dump),
        (dir.join(format!("{name}.hashes")), hashes),
    ]
    .into_iter()
    .filter_map(|(path, actual)| compare(&path, &actual))
    .collect();
    assert!(
        failures.is_empty(),
        "{}\nIf this build's layout is intended (or a snapshot is new), regenerate with \
         `{UPDATE}=1 cargo test --test snapshots` and commit tests/snapshots/ with the change.",
        failures.join("\n")
    );
}

fn hash_line(kind: &str, bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for b in digest {
        let _ = write!(hex, "{b:02x}");
    }
    format!("{kind} {} bytes sha256 {hex}\n", bytes.len())
}

/// Compares `actual` with the file at `path`, or writes the file when updating. Returns
/// a message for a mismatch or a missing file.
fn compare(path: &Path, actual: &str) -> Option<String> {
    let shown = path.strip_prefix(root()).unwrap_or(path).display();
    if updating() {
        std::fs::create_dir_all(path.parent().expect("a snapshot is in a folder"))
            .expect("tests/snapshots can be created");
        if std::fs::read_to_string(path).ok().as_deref() != Some(actual) {
            std::fs::write(path, actual).unwrap_or_else(|e| panic!("{shown}: {e}"));
            eprintln!("updated {shown}");
        }
        return None;
    }
    let expected = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => return Some(format!("{shown}: cannot read the snapshot ({e}).")),
    };
    if expected == actual {
        return None;
    }
    Some(format!(
        "{shown} differs from this build:\n{}",
        first_difference(&expected, actual)
    ))
}

/// Lines of context around a change.
const CONTEXT: usize = 3;
/// Lines shown at most of each side of the first change.
const SHOWN: usize = 8;
/// How far past the first difference lines are matched up.
const WINDOW: usize = 200;

/// A unified-style diff of the first change between `expected` and `actual`: a few lines
/// of context, at most [`SHOWN`] removed (`-`, the snapshot) and as many added (`+`, this
/// build) lines, and how far the changes run.
fn first_difference(expected: &str, actual: &str) -> String {
    let old: Vec<&str> = expected.lines().collect();
    let new: Vec<&str> = actual.lines().collect();
    if old == new {
        return "the lines are equal: only line endings or the final newline differ.\n".into();
    }
    let prefix = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let old_mid = &old[prefix..old.len() - suffix];
    let new_mid = &new[prefix..new.len() - suffix];

    let mut out = String::new();
    let start = prefix.saturating_sub(CONTEXT);
    let _ = writeln!(out, "@@ -{} +{} @@", start + 1, start + 1);
    for line in &old[start..prefix] {
        let _ = writeln!(out, " {line}");
    }
    // The window runs on into the common tail, for the context after the change.
    let ops = diff(
        &old[prefix..old.len().min(prefix + WINDOW)],
        &new[prefix..new.len().min(prefix + WINDOW)],
    );
    // The first block of changes, at most SHOWN lines of each side, then context.
    let mut ops = ops.into_iter().peekable();
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    while let Some(op) = ops.next_if(|op| !matches!(op, Op::Same(_))) {
        match op {
            Op::Removed(line) => removed.push(line),
            Op::Added(line) => added.push(line),
            Op::Same(_) => unreachable!("stopped at the first common line"),
        }
    }
    for (sign, lines) in [('-', &removed), ('+', &added)] {
        for line in lines.iter().take(SHOWN) {
            let _ = writeln!(out, "{sign}{line}");
        }
        if lines.len() > SHOWN {
            let _ = writeln!(out, "{sign}... ({} more)", lines.len() - SHOWN);
        }
    }
    for op in ops.take(CONTEXT) {
        match op {
            Op::Same(line) => {
                let _ = writeln!(out, " {line}");
            }
            _ => break,
        }
    }
    let _ = writeln!(
        out,
        "... the changes run from line {} over {} of the snapshot's {} lines ({} in this build).",
        prefix + 1,
        old_mid.len(),
        old.len(),
        new_mid.len()
    );
    out
}

enum Op<'a> {
    Same(&'a str),
    Removed(&'a str),
    Added(&'a str),
}

/// A line diff by longest common subsequence (the inputs are small windows).
fn diff<'a>(old: &[&'a str], new: &[&'a str]) -> Vec<Op<'a>> {
    let (n, m) = (old.len(), new.len());
    // lcs[i][j]: length of the longest common subsequence of old[i..] and new[j..].
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if old[i] == new[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut ops = Vec::new();
    while i < n || j < m {
        if i < n && j < m && old[i] == new[j] {
            ops.push(Op::Same(old[i]));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            ops.push(Op::Removed(old[i]));
            i += 1;
        } else {
            ops.push(Op::Added(new[j]));
            j += 1;
        }
    }
    ops
}

#[test]
fn the_diff_shows_the_first_change_with_context() {
    let expected = "a\nb\nc\nd\ne\nf\ng\nh\n";
    let actual = "a\nb\nc\nd\nE\nf\ng\nh\n";
    assert_eq!(
        first_difference(expected, actual),
        "@@ -2 +2 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n\
         ... the changes run from line 5 over 1 of the snapshot's 8 lines (1 in this build).\n"
    );
    // An inserted line is one added line, not a changed tail.
    let actual = "a\nb\nc\nX\nd\ne\nf\ng\nh\n";
    let diff = first_difference(expected, actual);
    assert!(diff.contains("\n c\n+X\n d\n"), "{diff}");
    assert!(!diff.contains("\n-"), "{diff}");

    // A long change shows its first lines of each side and how many more there are.
    let expected: String = (0..30).map(|i| format!("line {i}\n")).collect();
    let actual: String = (0..30)
        .map(|i| match i {
            5..=24 => format!("moved {i}\n"),
            _ => format!("line {i}\n"),
        })
        .collect();
    let diff = first_difference(&expected, &actual);
    assert!(
        diff.contains("\n-line 12\n-... (12 more)\n+moved 5\n"),
        "{diff}"
    );
    assert!(
        diff.contains("\n+moved 12\n+... (12 more)\n line 25\n"),
        "{diff}"
    );
    assert!(diff.ends_with("from line 6 over 20 of the snapshot's 30 lines (20 in this build).\n"));
}
