//! `quire new`: a small edition that shows the format and passes `quire check`.

use std::path::{Path, PathBuf};

use super::magazine::{self, Magazine};
use super::meta;
use crate::Error;
use crate::diag::Diagnostic;
use crate::model::Date;

const EDITION_TOML: &str = r#"# The issue: its metadata, its style and its sections in reading order.
# docs/format.md describes every key.
title = "A New Magazine"
issue = "1"
date = "2026-01-01"
language = "en-GB"
subtitle = "Notes on making a magazine"
publisher = "Your Press"
description = "The first issue, made with quire."
style = "magazine"

[[section]]
title = "Welcome"
articles = ["articles/welcome.md"]
"#;

const WELCOME_MD: &str = r#"---
title: Welcome to your magazine
kicker: Getting started
standfirst: This first article shows what an article can hold. Change it, add new ones, and list them in edition.toml.
authors: [The Editors]
---

Every article is a Markdown file that starts with a short block of *front matter*:
the title as printed, a kicker above it, a standfirst that introduces the text and
the names of the authors. Everything after the second `---` line is the article itself.

## Writing the text

Paragraphs are separated by an empty line. Write **strong** and *emphasised* words,
[links](https://example.org), and notes that end up at the foot of the article.[^1]
Quotes, dashes -- like these -- and ellipses... are set correctly for you.

> [!PULLQUOTE]
> A block quote that starts with the pull-quote marker is set large, in display type.

## Pictures

![A pale gradient crossed by a dark red band](../images/welcome.png "Every picture needs alt text for readers who cannot see it; the title becomes the caption.")

Images live inside the edition folder. Their paths are relative to the file that names
them, so this article, in `articles/`, reaches the picture through `../images/`.

## Next steps

1. Give the magazine its name, issue and date in `edition.toml`.
2. Write one Markdown file per article in `articles/`.
3. Run `quire build` on the edition folder to get the PDF and the EPUB.

[^1]: Notes are numbered in the order they are first mentioned.
"#;

/// Writes a new edition into `dir`, which must not exist yet or be empty. Returns the
/// files written.
pub fn scaffold(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let files = vec![
        ("edition.toml".to_string(), EDITION_TOML.as_bytes().to_vec()),
        (
            "articles/welcome.md".to_string(),
            WELCOME_MD.as_bytes().to_vec(),
        ),
        (
            "images/welcome.png".to_string(),
            super::image::sample_png(480, 300),
        ),
    ];
    write_new(dir, files)
}

/// The next issue of a magazine, as `quire new` wrote it.
#[derive(Debug)]
pub struct NewIssue {
    /// The issue's folder as named (from the magazine's `issue_folder` when none was given).
    pub dir: PathBuf,
    /// Its `issue` label.
    pub issue: String,
    /// Its date.
    pub date: Date,
    /// The files written.
    pub files: Vec<PathBuf>,
}

/// Writes the next issue of `magazine` into `dir`, or into the folder its `issue_folder`
/// pattern names (relative to the magazine): the issue number after the last issue's, its
/// date one interval on (the interval between the last two issues, or a month), the last
/// issue's sections with a placeholder article each. Metadata and the house style come
/// from `quire.toml`, so the new `edition.toml` writes only what is the issue's own.
pub fn scaffold_issue(magazine: &Magazine, dir: Option<&Path>) -> Result<NewIssue, Error> {
    let issues = magazine::issues_in_order(magazine);
    let last = issues.last();
    let previous = issues.len().checked_sub(2).and_then(|i| issues.get(i));
    let issue = match last {
        Some(l) => {
            magazine::next_issue_label(&l.issue).unwrap_or_else(|| (issues.len() + 1).to_string())
        }
        None => "1".to_string(),
    };
    let date = match last.and_then(|l| l.date) {
        Some(d) => magazine::next_date(previous.and_then(|p| p.date), d),
        None => magazine::today(),
    };
    let dir = match dir {
        Some(d) => d.to_path_buf(),
        None => {
            let number = meta::issue_number(&issue).map_or(issue.clone(), |n| n.to_string());
            let rel = magazine::fill_pattern(&magazine.issue_folder, &number, date)
                .map_err(|m| Diagnostic::error(m).in_file(&magazine.shown))?;
            let shown_root = magazine.shown.parent().unwrap_or(Path::new("."));
            shown_root.join(rel)
        }
    };
    let sections = match last {
        Some(l) if !l.sections.is_empty() => l.sections.clone(),
        _ => vec!["Features".to_string()],
    };
    let mut toml = String::from(
        "# This issue's own values; the magazine's quire.toml gives the rest (title,\n\
         # language, publisher, style...). docs/magazine.md describes how they combine.\n",
    );
    toml.push_str(&format!("issue = {}\n", toml::Value::from(issue.as_str())));
    toml.push_str(&format!("date = \"{}\"\n", date.iso()));
    if magazine.style.is_none()
        && let Some(style) = last.and_then(|l| l.style.as_deref())
    {
        toml.push_str(&format!("style = {}\n", toml::Value::from(style)));
    }
    let mut files = Vec::new();
    let mut used = Vec::new();
    for title in &sections {
        let mut name =
            super::loader::article_id(Path::new(&format!("{}.md", title.to_lowercase())));
        name = name.trim_matches('-').to_string();
        if name.is_empty() || used.contains(&name) {
            name = format!("article-{}", used.len() + 1);
        }
        used.push(name.clone());
        let rel = format!("articles/{name}.md");
        toml.push_str(&format!(
            "\n[[section]]\ntitle = {}\narticles = [{}]\n",
            toml::Value::from(title.as_str()),
            toml::Value::from(rel.as_str())
        ));
        let article = format!(
            "---\ntitle: {}\nauthors: [The Editors]\n---\n\nThe first article of this section in issue {issue}. \
             Replace this text, add more articles and list them in edition.toml.\n",
            toml::Value::from(format!("{title}: a new article").as_str())
        );
        files.push((rel, article.into_bytes()));
    }
    files.insert(0, ("edition.toml".to_string(), toml.into_bytes()));
    let files = write_new(&dir, files)?;
    Ok(NewIssue {
        dir,
        issue,
        date,
        files,
    })
}

/// Writes `files` (relative paths and contents) into `dir`, which must not exist yet or be
/// empty, all or nothing. Returns the paths written.
fn write_new(dir: &Path, files: Vec<(String, Vec<u8>)>) -> Result<Vec<PathBuf>, Error> {
    if dir.exists() {
        if !dir.is_dir() {
            return Err(Diagnostic::error(format!(
                "`{}` exists and is not a folder",
                dir.display()
            ))
            .with_hint("choose a new folder name")
            .into());
        }
        let mut entries = std::fs::read_dir(dir).map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        if entries.next().is_some() {
            return Err(Diagnostic::error(format!(
                "`{}` already exists and is not empty",
                dir.display()
            ))
            .with_hint(
                "`quire new` only writes into a new or empty folder, so nothing is overwritten",
            )
            .into());
        }
    }
    // Everything goes into a temporary folder beside the target, renamed into place when
    // complete: a full disk leaves no half-made edition (the temporary folder is removed).
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    std::fs::create_dir_all(parent).map_err(io(parent))?;
    let name = dir.file_name().map_or_else(
        || "edition".to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let tmp = tempfile::Builder::new()
        .prefix(&format!("{}new-{name}.", crate::TEMP_PREFIX))
        .suffix(crate::TEMP_SUFFIX)
        .tempdir_in(parent)
        .map_err(io(dir))?;
    let mut written = Vec::new();
    for (rel, bytes) in files {
        let path = tmp.path().join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(&dir.join(&rel)))?;
        }
        std::fs::write(&path, bytes).map_err(io(&dir.join(&rel)))?;
        written.push(dir.join(&rel));
    }
    // Over an empty folder, rename replaces it (Unix); where it cannot, the empty folder
    // goes first.
    if let Err(e) = std::fs::rename(tmp.path(), dir) {
        if dir.is_dir() && std::fs::remove_dir(dir).is_ok() {
            std::fs::rename(tmp.path(), dir).map_err(io(dir))?;
        } else {
            return Err(io(dir)(e));
        }
    }
    let _ = tmp.keep();
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_a_folder_with_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("keep.txt"), b"mine").unwrap();
        let err = scaffold(dir.path()).unwrap_err();
        assert!(err.to_string().contains("not empty"), "{err}");
        assert_eq!(std::fs::read(dir.path().join("keep.txt")).unwrap(), b"mine");
        assert!(!dir.path().join("edition.toml").exists());
    }

    #[test]
    fn leaves_no_temporary_folder_behind() {
        let dir = tempfile::tempdir().unwrap();
        scaffold(&dir.path().join("one")).unwrap();
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("one")]);
        // A failed scaffold (the parent is a file) leaves nothing either.
        std::fs::write(dir.path().join("file"), b"x").unwrap();
        assert!(scaffold(&dir.path().join("file/sub")).is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[test]
    fn writes_an_edition_whose_toml_and_front_matter_are_valid() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("first");
        let files = scaffold(&target).unwrap();
        assert_eq!(files.len(), 3);
        let text = std::fs::read_to_string(target.join("edition.toml")).unwrap();
        assert!(toml::from_str::<toml::Table>(&text).is_ok());
        let png = std::fs::read(target.join("images/welcome.png")).unwrap();
        assert!(png.starts_with(b"\x89PNG"));
        // An empty existing folder is fine too.
        let empty = dir.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        assert!(scaffold(&empty).is_ok());
    }
}
