//! What the site shows of one issue, taken from its model and its build, and kept in the
//! site's manifest so that an unchanged issue needs neither loading nor layout.

use serde::{Deserialize, Serialize};

use crate::model::Edition;
use crate::{BuildReport, Format};

/// One issue as the site, the search index and the feeds show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Issue {
    /// The edition folder's name: the issue's folder in the site (`issues/<slug>/`).
    pub slug: String,
    /// The magazine's name.
    pub title: String,
    /// The second title line, when there is one.
    pub subtitle: Option<String>,
    /// The issue label as written ("42").
    pub issue: String,
    /// The issue label as printed, in the issue's language ("Issue 42").
    pub issue_label: String,
    /// The issue as a number, when the label holds one (orders issues of one date).
    pub issue_number: Option<u32>,
    /// "The Review — Issue 42": the title the PDF and EPUB metadata carry.
    pub document_title: String,
    /// The cover date, `YYYY-MM-DD`.
    pub date: String,
    /// The date as printed.
    pub date_label: String,
    /// When the issue was last modified, RFC 3339 UTC (the feeds' `updated`).
    pub modified: String,
    /// The issue's language tag.
    pub language: String,
    /// A sentence or two about the issue.
    pub description: Option<String>,
    /// The publisher.
    pub publisher: Option<String>,
    /// The issue's identifier (`urn:uuid:…` unless given).
    pub identifier: String,
    /// The licence or copyright statement.
    pub rights: Option<String>,
    /// The issue's editors.
    pub editors: Vec<String>,
    /// Subject keywords from `edition.toml`.
    pub subjects: Vec<String>,
    /// Every author once, in reading order.
    pub contributors: Vec<String>,
    /// The sections in reading order.
    pub sections: Vec<SectionEntry>,
    /// The cover story (the first article the cover names): section and article index.
    pub lead: Option<(usize, usize)>,
    /// Pages of the archive PDF.
    pub pages: usize,
    /// The archive PDF, relative to the site folder.
    pub pdf: SiteFile,
    /// The EPUB, relative to the site folder.
    pub epub: SiteFile,
    /// The cover image and its thumbnail; `None` for a typographic cover.
    pub cover: Option<Cover>,
}

/// A section of an issue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionEntry {
    /// The section title as printed (may be empty).
    pub title: String,
    /// Its articles in reading order.
    pub articles: Vec<ArticleEntry>,
}

/// An article of an issue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleEntry {
    /// The article's id (its file name without extension).
    pub id: String,
    /// The title as printed.
    pub title: String,
    /// The label above the title.
    pub kicker: Option<String>,
    /// The introduction under the title.
    pub standfirst: Option<String>,
    /// The authors as printed.
    pub authors: Vec<String>,
    /// The article's language tag.
    pub language: String,
    /// The PDF page its head is on (1 = the cover), as the PDF's contents page prints it.
    pub page: Option<usize>,
}

/// A file of the site and its size.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteFile {
    /// Path relative to the site folder, with `/`.
    pub path: String,
    /// Size in bytes.
    pub bytes: u64,
}

/// A cover picture and its thumbnail in the site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cover {
    /// The full image, relative to the site folder.
    pub image: String,
    /// Its media type.
    pub mime: String,
    /// Its size in pixels.
    pub width: u32,
    /// Its size in pixels.
    pub height: u32,
    /// The thumbnail, relative to the site folder.
    pub thumb: String,
    /// Its media type.
    pub thumb_mime: String,
    /// Its size in pixels.
    pub thumb_width: u32,
    /// Its size in pixels.
    pub thumb_height: u32,
}

impl Issue {
    /// The cover story, when there is one.
    pub fn lead_article(&self) -> Option<&ArticleEntry> {
        let (s, a) = self.lead?;
        self.sections.get(s)?.articles.get(a)
    }

    /// Every article with its section's title, in reading order.
    pub fn articles(&self) -> impl Iterator<Item = (&str, &ArticleEntry)> {
        self.sections
            .iter()
            .flat_map(|s| s.articles.iter().map(move |a| (s.title.as_str(), a)))
    }

    /// The issue's folder in the site (`issues/<slug>`).
    pub fn folder(&self) -> String {
        format!("issues/{}", self.slug)
    }

    /// The sort key of the index: newest first (date, then issue number, then slug).
    pub fn newest_first(a: &Issue, b: &Issue) -> std::cmp::Ordering {
        b.date
            .cmp(&a.date)
            .then(b.issue_number.cmp(&a.issue_number))
            .then(b.slug.cmp(&a.slug))
    }
}

/// The record of `edition` once built: page numbers from the PDF's make-up (the same
/// first pages its contents page prints), file sizes from the outputs written.
pub(crate) fn issue(edition: &Edition, report: &BuildReport, cover: Option<Cover>) -> Issue {
    let m = &edition.meta;
    let folder = format!("issues/{}", edition.slug);
    let file = |format: Format| {
        let name = format.file_name(&edition.slug);
        let bytes = report
            .outputs
            .iter()
            .find(|o| o.format == format)
            .map_or(0, |o| o.bytes);
        SiteFile {
            path: format!("{folder}/{name}"),
            bytes,
        }
    };
    let pages = report
        .outputs
        .iter()
        .find(|o| o.format == Format::Pdf)
        .map_or(0, |o| o.units);
    let sections: Vec<SectionEntry> = edition
        .sections
        .iter()
        .map(|s| SectionEntry {
            title: clean(&s.title),
            articles: s
                .articles
                .iter()
                .map(|a| ArticleEntry {
                    id: a.id.clone(),
                    title: clean(&a.title),
                    kicker: a.kicker.as_deref().map(clean),
                    standfirst: a.standfirst.as_deref().map(clean),
                    authors: a.authors.iter().map(|n| clean(n)).collect(),
                    language: a.language.as_str().to_string(),
                    page: report
                        .makeup
                        .iter()
                        .find(|f| f.source == a.source)
                        .map(|f| f.first_page),
                })
                .collect(),
        })
        .collect();
    // The cover story as (section, article) from its index in reading order.
    let lead = edition.cover_lines.first().and_then(|&wanted| {
        let mut n = 0;
        for (si, s) in edition.sections.iter().enumerate() {
            if wanted < n + s.articles.len() {
                return Some((si, wanted - n));
            }
            n += s.articles.len();
        }
        None
    });
    let (y, mo, d, h, mi, s) = m.modified();
    Issue {
        slug: edition.slug.clone(),
        title: clean(&m.title),
        subtitle: m.subtitle.as_deref().map(clean),
        issue: m.issue.clone(),
        issue_label: clean(&m.issue_label()),
        issue_number: m.issue_number,
        document_title: m.document_title(),
        date: m.date.iso(),
        date_label: clean(&m.date_label),
        modified: format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z"),
        language: m.language.as_str().to_string(),
        description: m.description.as_deref().map(clean),
        publisher: m.publisher.as_deref().map(clean),
        identifier: m.identifier.clone(),
        rights: m.rights.as_deref().map(clean),
        editors: m.editors.iter().map(|n| clean(n)).collect(),
        subjects: m.subjects.iter().map(|n| clean(n)).collect(),
        contributors: edition.contributors(),
        sections,
        lead,
        pages,
        pdf: file(Format::Pdf),
        epub: file(Format::Epub),
        cover,
    }
}

/// Text as a screen shows it: soft hyphens dropped (a browser would hyphenate there on
/// its own terms), runs of white space folded, ends trimmed.
pub(crate) fn clean(text: &str) -> String {
    text.replace('\u{ad}', "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_drops_soft_hyphens_and_folds_spaces() {
        assert_eq!(
            clean("  Mag\u{ad}a\u{ad}zine   of\nideas "),
            "Magazine of ideas"
        );
    }

    fn issue(slug: &str, date: &str, number: Option<u32>) -> Issue {
        let file = SiteFile {
            path: String::new(),
            bytes: 0,
        };
        Issue {
            slug: slug.into(),
            title: "T".into(),
            subtitle: None,
            issue: String::new(),
            issue_label: String::new(),
            issue_number: number,
            document_title: String::new(),
            date: date.into(),
            date_label: String::new(),
            modified: String::new(),
            language: "en".into(),
            description: None,
            publisher: None,
            identifier: String::new(),
            rights: None,
            editors: vec![],
            subjects: vec![],
            contributors: vec![],
            sections: vec![],
            lead: None,
            pages: 0,
            pdf: file.clone(),
            epub: file,
            cover: None,
        }
    }

    #[test]
    fn newest_issue_comes_first() {
        let mut all = [
            issue("a", "2025-01-01", Some(1)),
            issue("c", "2026-03-01", Some(3)),
            issue("b", "2026-03-01", Some(4)),
        ];
        all.sort_by(Issue::newest_first);
        let order: Vec<&str> = all.iter().map(|i| i.slug.as_str()).collect();
        assert_eq!(order, ["b", "c", "a"]);
    }
}
