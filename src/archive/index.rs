//! The site's indexes, computed from the issue records: issues newest first, every author
//! with their articles, every subject with its issues and articles, and the file names
//! of their pages.

use std::collections::BTreeMap;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::record::{ArticleEntry, Issue};

/// An article by its place: issue (index into [`Site::issues`]), section, article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct ArticleRef {
    pub(crate) issue: usize,
    pub(crate) section: usize,
    pub(crate) article: usize,
}

/// A person or subject with a page of its own.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// As printed (the first spelling met, newest issue first).
    pub(crate) name: String,
    /// The page's file name stem, unique among its kind (`ada-lovelace`).
    pub(crate) slug: String,
    /// Issues filed under it (subjects of `edition.toml`), newest first.
    pub(crate) issues: Vec<usize>,
    /// Articles filed under it (by the author, or in a section of that name), newest first.
    pub(crate) articles: Vec<ArticleRef>,
}

/// Everything the pages are written from.
#[derive(Debug)]
pub(crate) struct Site {
    /// The issues, newest first.
    pub(crate) issues: Vec<Issue>,
    /// Authors by name, sorted by [`sort_key`].
    pub(crate) authors: Vec<Entry>,
    /// Subjects: the issues' `subjects` and the section titles, sorted by [`sort_key`].
    pub(crate) subjects: Vec<Entry>,
}

impl Site {
    /// Sorts the issues and collects authors and subjects.
    pub(crate) fn new(mut issues: Vec<Issue>) -> Site {
        issues.sort_by(Issue::newest_first);
        let mut authors: BTreeMap<String, Entry> = BTreeMap::new();
        let mut subjects: BTreeMap<String, Entry> = BTreeMap::new();
        let file = |map: &mut BTreeMap<String, Entry>, name: &str| -> Option<String> {
            let key = sort_key(name);
            if key.is_empty() {
                return None;
            }
            map.entry(key.clone()).or_insert_with(|| Entry {
                name: name.to_string(),
                slug: String::new(),
                issues: Vec::new(),
                articles: Vec::new(),
            });
            Some(key)
        };
        for (i, issue) in issues.iter().enumerate() {
            for subject in &issue.subjects {
                if let Some(key) = file(&mut subjects, subject) {
                    let entry = subjects.get_mut(&key).expect("just filed");
                    if !entry.issues.contains(&i) {
                        entry.issues.push(i);
                    }
                }
            }
            for (s, section) in issue.sections.iter().enumerate() {
                for (a, article) in section.articles.iter().enumerate() {
                    let at = ArticleRef {
                        issue: i,
                        section: s,
                        article: a,
                    };
                    if let Some(key) = file(&mut subjects, &section.title) {
                        subjects
                            .get_mut(&key)
                            .expect("just filed")
                            .articles
                            .push(at);
                    }
                    for name in &article.authors {
                        if let Some(key) = file(&mut authors, name) {
                            let entry = authors.get_mut(&key).expect("just filed");
                            if !entry.articles.contains(&at) {
                                entry.articles.push(at);
                            }
                        }
                    }
                }
            }
        }
        Site {
            issues,
            authors: with_slugs(authors),
            subjects: with_slugs(subjects),
        }
    }

    /// The article at `at`.
    pub(crate) fn article(&self, at: ArticleRef) -> &ArticleEntry {
        &self.issues[at.issue].sections[at.section].articles[at.article]
    }

    /// The slug of the author page for `name`, when there is one.
    pub(crate) fn author_slug(&self, name: &str) -> Option<&str> {
        let key = sort_key(name);
        self.authors
            .iter()
            .find(|e| sort_key(&e.name) == key)
            .map(|e| e.slug.as_str())
    }

    /// The slug of the subject page for `name`, when there is one.
    pub(crate) fn subject_slug(&self, name: &str) -> Option<&str> {
        let key = sort_key(name);
        self.subjects
            .iter()
            .find(|e| sort_key(&e.name) == key)
            .map(|e| e.slug.as_str())
    }
}

/// Entries in key order, each with a unique slug (`-2`, `-3` after a clash).
fn with_slugs(map: BTreeMap<String, Entry>) -> Vec<Entry> {
    let mut taken: Vec<String> = Vec::new();
    map.into_values()
        .map(|mut e| {
            let base = slug(&e.name);
            let mut candidate = base.clone();
            let mut n = 2;
            while taken.contains(&candidate) {
                candidate = format!("{base}-{n}");
                n += 1;
            }
            taken.push(candidate.clone());
            e.slug = candidate;
            e
        })
        .collect()
}

/// Text folded for comparing and sorting: accents dropped, lower case, spaces folded.
pub(crate) fn sort_key(text: &str) -> String {
    let folded: String = text
        .nfd()
        .filter(|c| !is_combining_mark(*c) && *c != '\u{ad}')
        .flat_map(char::to_lowercase)
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A file name stem for `name`: ASCII letters and digits, runs of anything else as one
/// `-` ("Zoë Ó Briain" → `zoe-o-briain`); `page` when nothing is left.
pub(crate) fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in sort_key(name).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "page".to_string()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii_and_readable() {
        assert_eq!(slug("Zoë  Ó Briain"), "zoe-o-briain");
        assert_eq!(slug("Cities & Science"), "cities-science");
        assert_eq!(slug("東京"), "page");
        assert_eq!(sort_key("Zoë\u{ad} Smith"), "zoe smith");
    }

    #[test]
    fn clashing_slugs_are_numbered() {
        let mut map = BTreeMap::new();
        for name in ["A.B.", "a b", "A-B"] {
            map.insert(
                name.to_string(),
                Entry {
                    name: name.to_string(),
                    slug: String::new(),
                    issues: vec![],
                    articles: vec![],
                },
            );
        }
        let slugs: Vec<String> = with_slugs(map).into_iter().map(|e| e.slug).collect();
        assert_eq!(slugs, ["a-b", "a-b-2", "a-b-3"]);
    }
}
