//! The command line inside a magazine folder (`quire.toml`): `quire build` with no edition
//! builds the issues whose inputs changed, `quire check` with no edition checks every
//! issue, `quire archive` finds the issues for the site, `quire new` scaffolds the next
//! issue.

use std::path::{Path, PathBuf};

use quire::BuildOptions;
use quire::diag::Diagnostic;
use quire::edition::LoadOptions;
use quire::edition::magazine::{self, Magazine};
use quire::rebuild::{Built, Hashes, input_hash, tool_fingerprint};
use serde_json::json;

use super::{Mode, Run};

/// The magazine folder at or above the current folder, loaded, and how to name its root
/// in messages (relative to the current folder); reported and `None` when there is none.
fn here(run: &mut Run, what: &str) -> Option<(Magazine, PathBuf)> {
    around(run, what, Path::new("."))
}

/// [`here`], from the folder `start` instead of the current one.
fn around(run: &mut Run, what: &str, start: &Path) -> Option<(Magazine, PathBuf)> {
    let Some(root) = magazine::find_root(start) else {
        let message = format!("{what}, and there is no quire.toml in this folder or above");
        let hint = "name an EDITION_DIR, or run quire inside a magazine folder (docs/magazine.md)";
        run.report(&Diagnostic::error(message).with_hint(hint));
        run.usage_error = true;
        return None;
    };
    let shown = magazine::shown_from_cwd(&root).unwrap_or_else(|| root.clone());
    match magazine::load(&root, &shown) {
        Ok(m) => Some((m, shown)),
        Err(e) => {
            run.fail(&e);
            None
        }
    }
}

/// `quire build` with no edition: every issue of the magazine around the current folder
/// whose inputs changed since its outputs were written; the others are reported skipped.
pub(super) fn build(
    run: &mut Run,
    options: &mut BuildOptions,
    out: Option<PathBuf>,
    load: &LoadOptions,
    json: bool,
) -> bool {
    build_at(run, options, out, load, json, Path::new("."))
}

/// [`build`] for the magazine at or above `start` (`quire watch` on a magazine folder).
pub(super) fn build_at(
    run: &mut Run,
    options: &mut BuildOptions,
    out: Option<PathBuf>,
    load: &LoadOptions,
    json: bool,
    start: &Path,
) -> bool {
    let Some((magazine, shown_root)) = around(run, "no edition folder was named", start) else {
        return false;
    };
    options.out_dir = out.unwrap_or_else(|| shown_root.join(&magazine.out));
    let issues = magazine.issue_dirs();
    if issues.is_empty() {
        run.report(&no_issues(&magazine, Diagnostic::warning, "yet"));
        return true;
    }
    // Outputs are named after the issue's folder: two folders of one name would collide.
    let mut names: Vec<(String, &Path)> = Vec::new();
    for dir in &issues {
        let name = slug(dir);
        if let Some((_, other)) = names.iter().find(|(n, _)| *n == name) {
            let message = format!(
                "the issues `{}` and `{}` are both named `{name}`: their outputs would overwrite each other",
                other.display(),
                dir.display()
            );
            let hint = "rename one folder, or build them one by one into different --out folders";
            run.report(
                &Diagnostic::error(message)
                    .in_file(&magazine.shown)
                    .with_hint(hint),
            );
            return false;
        }
        names.push((name, dir));
    }
    if let Err(source) = std::fs::create_dir_all(&options.out_dir) {
        run.fail(&quire::Error::Io {
            path: options.out_dir.clone(),
            source,
        });
        return false;
    }
    // What is built with: the program and the options (the inputs are `input_hash`'s,
    // as for `quire archive`).
    let salt = format!(
        "{} {:?} {} {} {:?}",
        tool_fingerprint(),
        options.formats,
        options.style_defaults,
        options.allow_preflight_errors,
        options.previews
    );
    let mut hashes = Hashes::load(&options.out_dir);
    let mut ok = true;
    for dir in &issues {
        let name = slug(dir);
        let shown = shown_root.join(quire::edition::relative_path(&magazine.root, dir));
        let hash = input_hash(dir, Some(&magazine), &options.out_dir, &salt);
        if hashes.up_to_date(&options.out_dir, &name, &hash) {
            run.skipped
                .push(json!({ "edition": name, "dir": shown.display().to_string() }));
            if !json && !run.quiet && !run.terse {
                run.out(&format!(
                    "skipped {}: unchanged since its outputs were written",
                    shown.display()
                ));
            }
            continue;
        }
        let before = run.outputs.len();
        // Recorded only when built: a failed issue is built again next time.
        hashes.issues.remove(&name);
        if run.each(
            std::slice::from_ref(&shown),
            load,
            Mode::Build(options),
            json,
        ) {
            let outputs = run.outputs[before..]
                .iter()
                .filter_map(|o| o["path"].as_str())
                .filter_map(|p| Path::new(p).file_name())
                .map(|f| f.to_string_lossy().into_owned())
                .collect();
            hashes.issues.insert(name, Built { hash, outputs });
        } else {
            ok = false;
        }
        if let Err(e) = hashes.save(&options.out_dir) {
            run.fail(&e);
            ok = false;
        }
    }
    ok
}

/// `quire check` with no edition: every issue of the magazine around the current folder,
/// going on past one that fails, with a summary line (one JSON object with `--json`).
pub(super) fn check(
    run: &mut Run,
    formats: &[quire::Format],
    preflight: Option<&quire::preflight::PreflightOptions>,
    load: &LoadOptions,
    json: bool,
) -> bool {
    let Some((magazine, shown_root)) = here(run, "no edition folder was named") else {
        return false;
    };
    let issues = magazine.issue_dirs();
    if issues.is_empty() {
        run.report(&no_issues(&magazine, Diagnostic::warning, "to check"));
        return true;
    }
    let shown = shown_issues(&magazine, &issues, &shown_root);
    run.each(&shown, load, Mode::Check(formats, preflight), json)
}

/// The editions `quire archive` makes a site of, and the site folder it writes when
/// `--out` is not given. `dir` (or, with none, the current folder) may be a magazine
/// folder or a folder inside one (its issues, the site in `site/` at its root), or a
/// plain folder whose subfolders are editions (the site in `./site`).
pub(super) fn archive_editions(
    dir: Option<&Path>,
    run: &mut Run,
) -> Option<(Vec<PathBuf>, PathBuf, PathBuf)> {
    if let Some(dir) = dir
        && !dir.join(magazine::FILE).is_file()
    {
        return match quire::archive::editions_in(dir) {
            Ok(editions) => Some((editions, PathBuf::from("site"), dir.to_path_buf())),
            Err(e) => {
                run.fail(&e);
                None
            }
        };
    }
    let root = match dir {
        Some(dir) => dir.to_path_buf(),
        None => {
            let Some(root) = magazine::find_root(Path::new(".")) else {
                let message =
                    "no folder was named, and there is no quire.toml in this folder or above";
                let hint = "name the folder whose subfolders are the issues (`quire archive editions`), \
                            or run quire inside a magazine folder (docs/magazine.md)";
                run.report(&Diagnostic::error(message).with_hint(hint));
                run.usage_error = true;
                return None;
            };
            root
        }
    };
    let canonical = std::fs::canonicalize(&root).unwrap_or_else(|_| root.clone());
    let shown_root = match dir {
        Some(dir) => dir.to_path_buf(),
        None => magazine::shown_from_cwd(&canonical).unwrap_or_else(|| canonical.clone()),
    };
    let magazine = match magazine::load(&canonical, &shown_root) {
        Ok(m) => m,
        Err(e) => {
            run.fail(&e);
            return None;
        }
    };
    let editions = shown_issues(&magazine, &magazine.issue_dirs(), &shown_root);
    if editions.is_empty() {
        run.report(&no_issues(&magazine, Diagnostic::error, "yet"));
        return None;
    }
    Some((editions, shown_root.join("site"), shown_root))
}

/// What `quire build`, `check` and `archive` say of a magazine with no issue: `what` ends
/// "the magazine has no issues …" ("yet", "to check").
fn no_issues(magazine: &Magazine, severity: fn(String) -> Diagnostic, what: &str) -> Diagnostic {
    severity(format!(
        "the magazine has no issues {what} (no folder matching `{}` holds an edition.toml)",
        magazine.issues
    ))
    .in_file(&magazine.shown)
    .with_hint("`quire new` inside the magazine folder writes the first one")
}

/// The issue folders `dirs` as the user names them: under `shown_root`, the magazine's
/// root as given on the command line.
fn shown_issues(magazine: &Magazine, dirs: &[PathBuf], shown_root: &Path) -> Vec<PathBuf> {
    dirs.iter()
        .map(|dir| shown_root.join(quire::edition::relative_path(&magazine.root, dir)))
        .collect()
}

/// An issue's slug: its folder's name (as the loader names its outputs).
fn slug(dir: &Path) -> String {
    dir.file_name().map_or_else(
        || "edition".to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// `quire new`: inside a magazine (for a folder its `issues` names, or with no folder),
/// the next issue; otherwise a new edition with a sample article.
pub(super) fn new(dir: Option<&Path>, run: &mut Run) -> bool {
    let magazine = match dir {
        None => match here(run, "no folder was named") {
            Some((m, _)) => Some(m),
            None => return false,
        },
        Some(dir) => match magazine_of_new(dir) {
            Ok(m) => m,
            Err(e) => {
                run.fail(&e);
                return false;
            }
        },
    };
    let Some(magazine) = magazine else {
        let Some(dir) = dir else { return false };
        return super::new(dir, run);
    };
    match quire::edition::scaffold_issue(&magazine, dir) {
        Ok(issue) => {
            run.out(&format!(
                "created issue {} ({}) of {} in {}:",
                issue.issue,
                issue.date.iso(),
                magazine.shown.display(),
                issue.dir.display()
            ));
            for f in &issue.files {
                run.out(&format!("  {}", f.display()));
            }
            run.out(&format!("next: quire check {}", issue.dir.display()));
            true
        }
        Err(e) => {
            run.fail(&e);
            false
        }
    }
}

/// The magazine a new folder `dir` would be an issue of (it may not exist yet).
fn magazine_of_new(dir: &Path) -> Result<Option<Magazine>, quire::Error> {
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    // The nearest existing folder, canonical, and the rest of the path below it.
    let mut rest = Vec::new();
    let mut existing = absolute.as_path();
    while !existing.is_dir() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return Ok(None),
        }
    }
    let Ok(mut canonical) = std::fs::canonicalize(existing) else {
        return Ok(None);
    };
    for part in rest.iter().rev() {
        canonical.push(part);
    }
    Magazine::of_edition(&canonical, dir)
}
