//! The catalogue feeds reading apps subscribe to: `opds.xml`, an OPDS 1.2 acquisition
//! feed (Atom, RFC 4287), and `opds.json`, an OPDS 2.0 feed, with each issue's OPDS 2.0
//! publication document beside its files (`issues/<slug>/publication.json`, the `self`
//! link of its entry). One entry per issue, newest first, with its EPUB and PDF as
//! acquisition links. Links are relative to the document that holds them.

use std::fmt::Write;

use serde_json::{Value, json};

use super::html::{esc, site_name};
use super::index::Site;
use super::record::Issue;
use super::thumb;

/// The link relation of a file a reader may take (OPDS 1.2 §7.1).
const ACQUISITION: &str = "http://opds-spec.org/acquisition";
/// The cover picture and its thumbnail (OPDS 1.2 §7.2).
const IMAGE: &str = "http://opds-spec.org/image";
const THUMBNAIL: &str = "http://opds-spec.org/image/thumbnail";
/// The media type of an acquisition feed.
const ACQUISITION_FEED: &str = "application/atom+xml;profile=opds-catalog;kind=acquisition";

/// A stable id for the feed: a name-based UUID of the magazine titles it lists.
fn feed_id(site: &Site) -> String {
    let mut titles: Vec<&str> = site.issues.iter().map(|i| i.title.as_str()).collect();
    titles.sort_unstable();
    titles.dedup();
    let name = format!("quire-archive:{}", titles.join("\n"));
    let id = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, name.as_bytes());
    format!("urn:uuid:{id}")
}

/// When the feed last changed: the latest `modified` of its issues (a fixed date when it
/// has none), so that the same issues always give the same bytes.
fn updated(site: &Site) -> String {
    site.issues
        .iter()
        .map(|i| i.modified.clone())
        .max()
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string())
}

/// What an entry says about its issue: the cover story's standfirst, else the issue's
/// description, else its cover story's title.
fn summary(issue: &Issue) -> Option<String> {
    let lead = issue.lead_article();
    lead.and_then(|a| a.standfirst.clone())
        .or_else(|| issue.description.clone())
        .or_else(|| lead.map(|a| a.title.clone()))
}

/// The authors an entry names: the issue's contributors, else its editors, else its
/// publisher or title (Atom wants an author for every entry).
fn authors(issue: &Issue) -> Vec<String> {
    if !issue.contributors.is_empty() {
        issue.contributors.clone()
    } else if !issue.editors.is_empty() {
        issue.editors.clone()
    } else {
        vec![
            issue
                .publisher
                .clone()
                .unwrap_or_else(|| issue.title.clone()),
        ]
    }
}

/// An image link of an entry.
struct ImageLink {
    href: String,
    mime: String,
    width: u32,
    height: u32,
}

/// An issue's cover and thumbnail for the feeds; the site's blank card
/// ([`thumb::PLACEHOLDER`]) for both when the issue has no picture.
fn images(issue: &Issue) -> [ImageLink; 2] {
    match &issue.cover {
        Some(c) => [
            ImageLink {
                href: c.image.clone(),
                mime: c.mime.clone(),
                width: c.width,
                height: c.height,
            },
            ImageLink {
                href: c.thumb.clone(),
                mime: c.thumb_mime.clone(),
                width: c.thumb_width,
                height: c.thumb_height,
            },
        ],
        None => {
            let p = thumb::placeholder();
            let link = || ImageLink {
                href: thumb::PLACEHOLDER.to_string(),
                mime: p.mime.to_string(),
                width: p.width,
                height: p.height,
            };
            [link(), link()]
        }
    }
}

/// `opds.xml`.
pub(crate) fn atom(site: &Site) -> String {
    let (name, _) = site_name(site);
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:dc=\"http://purl.org/dc/terms/\" \
xmlns:opds=\"http://opds-spec.org/2010/catalog\">\n",
    );
    let _ = writeln!(out, "  <id>{}</id>", feed_id(site));
    let _ = writeln!(out, "  <title>{}</title>", esc(&name));
    let _ = writeln!(out, "  <updated>{}</updated>", updated(site));
    let _ = writeln!(out, "  <author><name>{}</name></author>", esc(&name));
    let _ = writeln!(
        out,
        "  <link rel=\"self\" href=\"opds.xml\" type=\"{ACQUISITION_FEED}\"/>\n  \
<link rel=\"start\" href=\"opds.xml\" type=\"{ACQUISITION_FEED}\"/>\n  \
<link rel=\"alternate\" href=\"index.html\" type=\"text/html\"/>"
    );
    for issue in &site.issues {
        out.push_str("  <entry>\n");
        let _ = writeln!(out, "    <title>{}</title>", esc(&issue.document_title));
        let _ = writeln!(out, "    <id>{}</id>", esc(&issue.identifier));
        let _ = writeln!(out, "    <updated>{}</updated>", issue.modified);
        for a in authors(issue) {
            let _ = writeln!(out, "    <author><name>{}</name></author>", esc(&a));
        }
        let _ = writeln!(out, "    <dc:issued>{}</dc:issued>", issue.date);
        let _ = writeln!(
            out,
            "    <dc:language>{}</dc:language>",
            esc(&issue.language)
        );
        if let Some(p) = &issue.publisher {
            let _ = writeln!(out, "    <dc:publisher>{}</dc:publisher>", esc(p));
        }
        for s in &issue.subjects {
            let _ = writeln!(out, "    <category term=\"{0}\" label=\"{0}\"/>", esc(s));
        }
        if let Some(r) = &issue.rights {
            let _ = writeln!(out, "    <rights>{}</rights>", esc(r));
        }
        if let Some(s) = summary(issue) {
            let _ = writeln!(out, "    <summary type=\"text\">{}</summary>", esc(&s));
        }
        let [cover, thumb] = images(issue);
        let _ = writeln!(
            out,
            "    <link rel=\"{IMAGE}\" href=\"{}\" type=\"{}\"/>\n    \
<link rel=\"{THUMBNAIL}\" href=\"{}\" type=\"{}\"/>",
            esc(&cover.href),
            cover.mime,
            esc(&thumb.href),
            thumb.mime
        );
        let _ = writeln!(
            out,
            "    <link rel=\"{ACQUISITION}\" href=\"{}\" type=\"application/epub+zip\" length=\"{}\"/>\n    \
<link rel=\"{ACQUISITION}\" href=\"{}\" type=\"application/pdf\" length=\"{}\"/>\n    \
<link rel=\"alternate\" href=\"{}/index.html\" type=\"text/html\"/>",
            esc(&issue.epub.path),
            issue.epub.bytes,
            esc(&issue.pdf.path),
            issue.pdf.bytes,
            issue.folder()
        );
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// The media type of an OPDS 2.0 feed.
const OPDS_FEED: &str = "application/opds+json";
/// The media type of an OPDS 2.0 publication document.
const OPDS_PUBLICATION: &str = "application/opds-publication+json";

/// The file of an issue's OPDS 2.0 publication document, relative to the site: what the
/// publication's `self` link names.
pub(crate) fn publication_file(issue: &Issue) -> String {
    format!("{}/publication.json", issue.folder())
}

/// An issue's OPDS 2.0 publication: `metadata`, `links` (`self`, the two acquisition
/// links, the issue's page) and `images` (cover and thumbnail), each `href` relative to
/// `base` (the site's root for the feed, the issue's folder for its own document).
fn publication(issue: &Issue, base: Base) -> Value {
    let href = |path: &str| base.href(issue, path);
    let mut metadata = json!({
        "@type": "http://schema.org/PublicationIssue",
        "title": issue.document_title,
        "identifier": issue.identifier,
        "author": authors(issue).into_iter().map(|n| json!({ "name": n })).collect::<Vec<_>>(),
        "language": issue.language,
        "published": issue.date,
        "modified": issue.modified,
    });
    if issue.pages > 0 {
        metadata["numberOfPages"] = json!(issue.pages);
    }
    if let Some(s) = summary(issue) {
        metadata["description"] = json!(s);
    }
    if let Some(p) = &issue.publisher {
        metadata["publisher"] = json!({ "name": p });
    }
    if !issue.subjects.is_empty() {
        metadata["subject"] = json!(issue.subjects);
    }
    let images: Vec<Value> = images(issue)
        .iter()
        .map(|i| json!({ "href": href(&i.href), "type": i.mime, "width": i.width, "height": i.height }))
        .collect();
    json!({
        "metadata": metadata,
        "links": [
            { "rel": "self", "href": href(&publication_file(issue)), "type": OPDS_PUBLICATION },
            { "rel": ACQUISITION, "href": href(&issue.epub.path), "type": "application/epub+zip" },
            { "rel": ACQUISITION, "href": href(&issue.pdf.path), "type": "application/pdf" },
            { "rel": "alternate", "href": href(&format!("{}/index.html", issue.folder())), "type": "text/html" },
        ],
        "images": images,
    })
}

/// Where the links of a JSON document are relative to.
#[derive(Clone, Copy)]
enum Base {
    /// The site's root (`opds.json`).
    Site,
    /// The issue's own folder (its `publication.json`).
    Issue,
}

impl Base {
    /// `path` (relative to the site) as seen from this base.
    fn href(self, issue: &Issue, path: &str) -> String {
        match self {
            Base::Site => path.to_string(),
            Base::Issue => {
                let folder = format!("{}/", issue.folder());
                match path.strip_prefix(&folder) {
                    Some(own) => own.to_string(),
                    // A file of the site (the placeholder card): up from issues/<slug>/.
                    None => format!("../../{path}"),
                }
            }
        }
    }
}

/// `issues/<slug>/publication.json`: the issue's publication alone, which the feed's
/// entry names as its `self` link.
pub(crate) fn publication_json(issue: &Issue) -> Value {
    publication(issue, Base::Issue)
}

/// `opds.json`: an OPDS 2.0 feed of every issue, newest first. Its `self` and `start`
/// links name itself (the site's catalogue has this one feed); the Atom feed and the
/// index page are its alternates.
pub(crate) fn json(site: &Site) -> Value {
    let (name, _) = site_name(site);
    let publications: Vec<Value> = site
        .issues
        .iter()
        .map(|issue| publication(issue, Base::Site))
        .collect();
    json!({
        "metadata": { "title": name, "modified": updated(site), "numberOfItems": site.issues.len() },
        "links": [
            { "rel": "self", "href": "opds.json", "type": OPDS_FEED },
            { "rel": "start", "href": "opds.json", "type": OPDS_FEED },
            { "rel": "alternate", "href": "opds.xml", "type": ACQUISITION_FEED },
            { "rel": "alternate", "href": "index.html", "type": "text/html" },
        ],
        "publications": publications,
    })
}
