//! `quire new`: a small edition that shows the format and passes `quire check`.

use std::path::{Path, PathBuf};

use crate::Error;
use crate::diag::Diagnostic;

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
    let files: [(&str, Vec<u8>); 3] = [
        ("edition.toml", EDITION_TOML.as_bytes().to_vec()),
        ("articles/welcome.md", WELCOME_MD.as_bytes().to_vec()),
        ("images/welcome.png", super::image::sample_png(480, 300)),
    ];
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
        let path = tmp.path().join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(&dir.join(rel)))?;
        }
        std::fs::write(&path, bytes).map_err(io(&dir.join(rel)))?;
        written.push(dir.join(rel));
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
