//! Loading: `edition.toml`, front matter and styles (serde, unknown keys rejected), then a
//! resolving step that checks paths, languages, ISSN and images and yields the model.
//!
//! ```no_run
//! let edition = quire::edition::load("editions/42".as_ref())?;
//! println!("{} {}: {} sections", edition.meta.title, edition.meta.issue, edition.sections.len());
//! # Ok::<(), quire::Error>(())
//! ```
//!
//! Every problem found is reported at once, as [`Error::Input`] with one diagnostic each
//! (file, line, column, hint); the format is described in `docs/format.md`.

mod article;
mod image;
mod limits;
mod loader;
pub mod magazine;
mod meta;
mod new;
mod paths;
pub(crate) mod read;
mod style;
pub(crate) mod text;
pub(crate) mod tomlerr;
mod values;
mod yamlspan;

use std::path::{Path, PathBuf};

/// The font folders an edition may read (the archive site's input fingerprint).
use crate::Error;
use crate::diag::Diagnostic;
use crate::model::{Article, Edition, Language};
pub use limits::{LoadOptions, MAX_FILE_MB_CEILING};

pub use article::front_matter_keys;
pub use image::sample_png;
pub use new::{scaffold, scaffold_issue};
pub use style::{builtin as builtin_style, builtin_names as builtin_style_names};

/// `path` relative to `root`, `/`-separated.
pub fn relative_path(root: &Path, path: &Path) -> String {
    paths::relative(root, path)
}

/// Loads and validates the edition in `dir`, under the default limits as overridden by
/// its `[limits]` table.
pub fn load(dir: &Path) -> Result<Edition, Error> {
    loader::load(dir, &LoadOptions::default())
}

/// The font folders of the edition in `dir` (its own `fonts/`, then the project's; those
/// that exist) and the edition folder itself, canonical; for `quire fonts`, which lists
/// them without loading the edition.
pub fn font_folders(dir: &Path) -> Result<(PathBuf, Vec<PathBuf>), Error> {
    let root = std::fs::canonicalize(dir)
        .ok()
        .filter(|r| r.is_dir())
        .ok_or_else(|| {
            Diagnostic::error(format!("`{}` is not an edition folder", dir.display()))
                .with_hint("name a folder that holds an edition.toml")
        })?;
    let magazine = magazine::Magazine::of_edition(&root, dir)?;
    let dirs = loader::font_dirs(&root, magazine.as_ref());
    Ok((root, dirs))
}

/// [`load`], with the command line's overrides of the limits.
pub fn load_with(dir: &Path, options: &LoadOptions) -> Result<Edition, Error> {
    loader::load(dir, options)
}

/// Loads the edition of one article for `quire preview`: the edition whose
/// `edition.toml` is in the article's folder or above it, with that article alone (in the
/// section that lists it, or the first when it is not listed), named
/// `<article file stem>-preview`. An article outside any edition is an error saying so.
pub fn load_preview(article: &Path, options: &LoadOptions) -> Result<Edition, Error> {
    let canonical = std::fs::canonicalize(article)
        .ok()
        .filter(|c| c.is_file())
        .ok_or_else(|| {
            Diagnostic::error(format!(
                "cannot open the article `{}`: it is not a file",
                article.display()
            ))
            .with_hint("name the Markdown file of an article inside an edition folder")
        })?;
    let has_edition = |dir: &Path| {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        dir.join("edition.toml")
            .is_file()
            .then(|| dir.to_path_buf())
    };
    // The folder as the user wrote it when it is on the way up, else the canonical one.
    let dir = article
        .ancestors()
        .skip(1)
        .find_map(has_edition)
        .filter(|d| {
            std::fs::canonicalize(d).is_ok_and(|d| canonical.starts_with(d))
        })
        .or_else(|| canonical.ancestors().skip(1).find_map(has_edition))
        .ok_or_else(|| {
            Diagnostic::error(format!(
                "`{}` is not inside an edition folder: there is no edition.toml in its folder or above it",
                article.display()
            ))
            .in_file(article)
            .with_hint(
                "a preview is set in the style and fonts of the edition the article belongs to: \
                 move the article into an edition folder, or `quire new DIR` to make one",
            )
        })?;
    let mut edition = loader::load_only(&dir, options, Some(&canonical))?;
    let stem = canonical
        .file_stem()
        .and_then(|s| s.to_str())
        .ok_or_else(|| {
            Diagnostic::error(format!(
                "the article's file name `{}` is not UTF-8 text, and it names the preview",
                article.display()
            ))
            .in_file(article)
            .with_hint("rename the file with letters, digits and hyphens")
        })?;
    edition.slug = format!("{stem}-preview");
    Ok(edition)
}

/// Parses one article file's text without touching the disk: front matter and Markdown,
/// with the edition language `en` and every image refused. For fuzzing and tests; `path`
/// names the file in diagnostics and gives the article its id.
pub fn parse_article(text: &str, path: &Path) -> Result<Article, Vec<Diagnostic>> {
    let mut no_images = |src: &str, line: usize, column: usize| {
        Err(Diagnostic::error(format!(
            "image `{src}`: images are not resolved when an article is parsed on its own"
        ))
        .in_file(path)
        .at(line, column, src.chars().count()))
    };
    article::parse(
        text,
        path,
        path,
        loader::article_id(path),
        &Language("en".into()),
        &crate::model::Limits::default(),
        &mut no_images,
    )
}

/// Parses an article given as bytes (for fuzzing): as [`parse_article`], after the UTF-8
/// check that the loader applies to files.
pub fn parse_article_bytes(bytes: &[u8], path: &Path) -> Result<Article, Vec<Diagnostic>> {
    let text = text::decode_utf8(bytes.to_vec(), path).map_err(|d| vec![d])?;
    parse_article(&text, path)
}

/// Parses a style file's text on its own, over the built-in magazine style (for fuzzing
/// and tools); `path` is only used in messages.
pub fn parse_style(text: &str, path: &Path) -> Result<crate::model::Style, Vec<Diagnostic>> {
    style::resolve_text(text, "user", Some(path.to_path_buf()), path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_dashes_follow_the_language() {
        let de = parse_article(
            "---\ntitle: Die \"Stadt\" -- heute\nlanguage: de\n---\n\nEr sagte \"Regen\".\n",
            Path::new("de.md"),
        )
        .unwrap();
        assert_eq!(de.title, "Die „Stadt“ – heute");
        use crate::model::{BlockKind, Inline, Span, without_spans};
        assert_eq!(
            without_spans(&de.blocks),
            vec![
                BlockKind::Paragraph(vec![Inline::text("Er sagte „Regen“.", Span::default())])
                    .into()
            ]
        );
        let en = parse_article(
            "---\ntitle: Don't say \"never\"\n---\n\nText.\n",
            Path::new("en.md"),
        )
        .unwrap();
        assert_eq!(en.title, "Don’t say “never”");
    }

    #[test]
    fn parse_article_reads_front_matter_and_refuses_images() {
        let a = parse_article(
            "---\ntitle: On Rivers\nauthor: Ann\nlanguage: de\n---\n\nText.\n",
            Path::new("x/on-rivers.md"),
        )
        .unwrap();
        assert_eq!(
            (a.id.as_str(), a.title.as_str()),
            ("on-rivers", "On Rivers")
        );
        assert_eq!(a.language.as_str(), "de");
        assert_eq!(a.authors, ["Ann"]);
        let e = parse_article("---\ntitle: T\n---\n\n![Alt](a.png)\n", Path::new("x/a.md"))
            .unwrap_err();
        assert!(e[0].message.contains("not resolved"), "{:?}", e);
        assert_eq!(e[0].span.map(|s| s.line), Some(5));
    }

    #[test]
    fn parse_article_survives_odd_input() {
        let fragments = [
            "---",
            "+++",
            "\n",
            "\r\n",
            "title:",
            "title =",
            " \"",
            "[",
            "]",
            "{",
            "}",
            "- ",
            "a",
            ": ",
            "#",
            "&x",
            "*x",
            "!!binary",
            "\u{0}",
            "\u{feff}",
            "é",
            "![",
            "](",
            ")",
            "[^1]",
            "> ",
            "[!PULLQUOTE]",
            "|",
            "`",
            "\u{ad}",
            "---\n",
            "+++\n",
            "authors: [",
            "byline: x",
        ];
        // A fixed linear congruential sequence: the same inputs on every run.
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..3000 {
            let mut text = String::new();
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let len = (state >> 59) as usize + 1;
            for _ in 0..len * 2 {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(fragments[(state >> 33) as usize % fragments.len()]);
            }
            let _ = parse_article(&text, Path::new("f.md"));
            let _ = parse_article_bytes(text.as_bytes(), Path::new("f.md"));
        }
        let deep = format!("---\ntitle: {}\n---\n", "[".repeat(10_000));
        assert!(parse_article(&deep, Path::new("f.md")).is_err());
        assert!(parse_article_bytes(b"---\ntitle: \xff\n---\n", Path::new("f.md")).is_err());
    }
}
