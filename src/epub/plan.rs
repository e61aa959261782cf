//! Names everything before anything is written: article files, heading ids and image files.
//!
//! Links between articles and to headings are checked against these names, so the plan
//! is made once for the whole edition and shared by every document.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::model::{Block, BlockKind, Edition, Image, Inline};

/// Where every part of the publication goes inside `OEBPS/`.
#[derive(Debug, Clone)]
pub(super) struct Plan {
    /// One entry per article, in reading order (as [`Edition::articles`]).
    pub articles: Vec<ArticlePlan>,
    /// Article images, each file once, in order of first use.
    pub images: Vec<PlannedImage>,
    /// The cover image's path inside `OEBPS/`, when the edition has one.
    pub cover_href: Option<String>,
}

#[derive(Debug, Clone)]
pub(super) struct ArticlePlan {
    /// `articles/<name>.xhtml`.
    pub href: String,
    /// `<name>.xhtml`: the link from a sibling article.
    pub file_name: String,
    /// Ids of the article's headings, in document order (body, then notes).
    pub heading_ids: Vec<String>,
    /// The Markdown source with `.` and `..` resolved, to match relative links.
    pub source: PathBuf,
}

#[derive(Debug, Clone)]
pub(super) struct PlannedImage {
    /// The image file on disk (identifies it).
    pub path: PathBuf,
    /// `images/<name>.<ext>`.
    pub href: String,
    pub mime: &'static str,
    pub data: Arc<Vec<u8>>,
}

impl Plan {
    pub(super) fn new(edition: &Edition) -> Plan {
        let mut used_files = BTreeSet::new();
        let articles = edition
            .articles()
            .map(|(_, article)| {
                let name = unique(&file_stem(&article.id, "article"), &mut used_files);
                let mut ids = BTreeSet::new();
                let mut heading_ids = Vec::new();
                let mut visit = |block: &Block| {
                    if let BlockKind::Heading { content, id, .. } = &block.kind {
                        let base = match id {
                            Some(given) => xml_id(given, false),
                            None => xml_id(&Inline::plain_text(content), true),
                        };
                        heading_ids.push(unique(&base, &mut ids));
                    }
                };
                walk_blocks(&article.blocks, &mut visit);
                for note in &article.footnotes {
                    walk_blocks(&note.blocks, &mut visit);
                }
                ArticlePlan {
                    href: format!("articles/{name}.xhtml"),
                    file_name: format!("{name}.xhtml"),
                    heading_ids,
                    source: normalize(&article.source),
                }
            })
            .collect();

        // `cover` is the cover's name whether it is the edition's image or the drawn
        // typographic cover (`images/cover.png`): no article image may take it.
        let mut used_images = BTreeSet::from(["cover".to_string()]);
        let cover_href = edition
            .cover
            .as_ref()
            .map(|img| format!("images/cover.{}", img.format.extension()));
        let mut images: Vec<PlannedImage> = Vec::new();
        for (_, article) in edition.articles() {
            let mut visit = |block: &Block| {
                if let BlockKind::Figure(figure) = &block.kind
                    && !images.iter().any(|i| i.path == figure.image.path)
                {
                    images.push(plan_image(&figure.image, &mut used_images));
                }
            };
            walk_blocks(&article.blocks, &mut visit);
            for note in &article.footnotes {
                walk_blocks(&note.blocks, &mut visit);
            }
        }
        Plan {
            articles,
            images,
            cover_href,
        }
    }

    /// The `OEBPS/`-relative path of an article image.
    pub(super) fn image_href(&self, image: &Image) -> Option<&str> {
        self.images
            .iter()
            .find(|i| i.path == image.path)
            .map(|i| i.href.as_str())
    }
}

fn plan_image(image: &Image, used: &mut BTreeSet<String>) -> PlannedImage {
    let stem = image
        .rel_path
        .rsplit('/')
        .next()
        .map(|name| name.rsplit_once('.').map_or(name, |(stem, _)| stem))
        .unwrap_or("");
    let name = unique(&file_stem(stem, "image"), used);
    PlannedImage {
        path: image.path.clone(),
        href: format!("images/{name}.{}", image.format.extension()),
        mime: image.format.mime(),
        data: image.data.clone(),
    }
}

/// Calls `f` on every block, depth first, in document order.
pub(super) fn walk_blocks(blocks: &[Block], f: &mut impl FnMut(&Block)) {
    for block in blocks {
        f(block);
        match &block.kind {
            BlockKind::List(list) => {
                for item in &list.items {
                    walk_blocks(item, f);
                }
            }
            BlockKind::Quote(inner) => walk_blocks(inner, f),
            _ => {}
        }
    }
}

/// A file name stem safe everywhere: lower-case ASCII letters, digits, `-` and `_`.
pub(super) fn file_stem(raw: &str, fallback: &str) -> String {
    let mut out = String::new();
    for c in raw.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-');
    if out.is_empty() {
        fallback.to_string()
    } else {
        out.to_string()
    }
}

/// A valid XML id (an NCName) from a heading's text (`derived`) or a given id.
/// Derived ids are lower case words joined by `-`; given ids keep their case. Ids never
/// start with `fn-`/`fnref-`, which the notes use.
pub(super) fn xml_id(raw: &str, derived: bool) -> String {
    let mut out = String::new();
    for c in raw.chars() {
        let keep = c.is_alphanumeric() || c == '_' || (!derived && (c == '-' || c == '.'));
        if keep && !('\u{300}'..='\u{36f}').contains(&c) {
            if derived {
                out.extend(c.to_lowercase());
            } else {
                out.push(c);
            }
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-');
    let starts_well = out
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_');
    if out.is_empty() {
        "section".to_string()
    } else if !starts_well || out.starts_with("fn-") || out.starts_with("fnref-") {
        format!("h-{out}")
    } else {
        out.to_string()
    }
}

/// `base`, or `base-2`, `base-3`... whichever is still free; records the choice.
pub(super) fn unique(base: &str, used: &mut BTreeSet<String>) -> String {
    let mut candidate = base.to_string();
    let mut n = 2;
    while used.contains(&candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    used.insert(candidate.clone());
    candidate
}

/// Resolves `.` and `..` without touching the file system.
pub(super) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_are_valid_and_readable() {
        assert_eq!(xml_id("What the river said", true), "what-the-river-said");
        assert_eq!(xml_id("1989 & after", true), "h-1989-after");
        assert_eq!(xml_id("Über Brücken", true), "über-brücken");
        assert_eq!(xml_id("?!", true), "section");
        assert_eq!(xml_id("fn 2", true), "h-fn-2");
    }

    #[test]
    fn given_ids_keep_case_and_dots() {
        assert_eq!(xml_id("Intro.2", false), "Intro.2");
        assert_eq!(xml_id("my id", false), "my-id");
        assert_eq!(xml_id("2nd", false), "h-2nd");
    }

    #[test]
    fn unique_appends_numbers() {
        let mut used = BTreeSet::new();
        assert_eq!(unique("a", &mut used), "a");
        assert_eq!(unique("a", &mut used), "a-2");
        assert_eq!(unique("a", &mut used), "a-3");
    }

    #[test]
    fn file_stems_are_ascii() {
        assert_eq!(file_stem("Große Reise", "x"), "gro-e-reise");
        assert_eq!(file_stem("***", "article"), "article");
    }

    #[test]
    fn normalize_resolves_parent_dirs() {
        assert_eq!(
            normalize(Path::new("/e/articles/../articles/./b.md")),
            PathBuf::from("/e/articles/b.md")
        );
    }
}
