//! The site's pages: plain HTML with landmarks, a skip link, one `h1` and headings in
//! order, `lang` on every run of an issue's own text, alt text on every picture; one
//! responsive style sheet and a few lines of script for the search page.
//!
//! The site's own words ("Contents", "Authors") are English (`<html lang="en">`); an
//! issue's titles, names and summaries carry the issue's or the article's language.

use std::fmt::Write;

use super::index::{ArticleRef, Entry, Site, sort_key};
use super::record::{ArticleEntry, Issue};

/// The style sheet, written as `style.css`.
pub(crate) const STYLE: &str = include_str!("style.css");
/// The search page's script, written as `search.js`.
pub(crate) const SEARCH_JS: &str = include_str!("search.js");

/// Which part of the site a page belongs to (marked in the navigation).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Issues,
    Authors,
    Subjects,
    Search,
}

/// Every page of the site: (path relative to the site folder, HTML).
pub(crate) fn pages(site: &Site) -> Vec<(String, String)> {
    let mut out = vec![
        ("index.html".to_string(), index(site)),
        ("search.html".to_string(), search(site)),
        ("authors/index.html".to_string(), authors(site)),
        ("subjects/index.html".to_string(), subjects(site)),
    ];
    for issue in &site.issues {
        out.push((
            format!("{}/index.html", issue.folder()),
            issue_page(site, issue),
        ));
    }
    for entry in &site.authors {
        let path = format!("authors/{}.html", entry.slug);
        out.push((path, entry_page(site, entry, Part::Authors)));
    }
    for entry in &site.subjects {
        let path = format!("subjects/{}.html", entry.slug);
        out.push((path, entry_page(site, entry, Part::Subjects)));
    }
    out
}

/// The site's name: the magazine's when every issue has the same, else "Archive".
pub(crate) fn site_name(site: &Site) -> (String, Option<String>) {
    match site.issues.first() {
        Some(first) if site.issues.iter().all(|i| i.title == first.title) => {
            (first.title.clone(), Some(first.language.clone()))
        }
        _ => ("Archive".to_string(), None),
    }
}

/// Escapes text for HTML content and attribute values.
pub(crate) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A `lang` attribute with a leading space.
fn lang(tag: &str) -> String {
    format!(" lang=\"{}\"", esc(tag))
}

/// The frame of every page: head, skip link, banner with the navigation, main, footer.
/// `root` leads from the page back to the site folder (`""`, `"../"`, `"../../"`).
fn frame(site: &Site, root: &str, title: &str, part: Part, main: &str) -> String {
    let (name, name_lang) = site_name(site);
    let name_lang = name_lang.map(|l| lang(&l)).unwrap_or_default();
    let nav = [
        (Part::Issues, "index.html", "Issues"),
        (Part::Authors, "authors/index.html", "Authors"),
        (Part::Subjects, "subjects/index.html", "Subjects"),
        (Part::Search, "search.html", "Search"),
    ];
    let mut links = String::new();
    for (p, href, label) in nav {
        let current = if p == part {
            " aria-current=\"page\""
        } else {
            ""
        };
        let _ = write!(
            links,
            "<li><a href=\"{root}{href}\"{current}>{label}</a></li>"
        );
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>{title}</title>\n<link rel=\"stylesheet\" href=\"{root}style.css\">\n\
<link rel=\"alternate\" type=\"application/atom+xml;profile=opds-catalog;kind=acquisition\" title=\"OPDS catalogue\" href=\"{root}opds.xml\">\n\
</head>\n<body>\n<a class=\"skip\" href=\"#main\">Skip to content</a>\n\
<header class=\"banner\">\n<p class=\"site\"><a href=\"{root}index.html\"{name_lang}>{name}</a></p>\n\
<nav aria-label=\"Site\"><ul>{links}</ul></nav>\n</header>\n\
<main id=\"main\" tabindex=\"-1\">\n{main}</main>\n\
<footer>\n<p>Catalogue feeds for reading apps: <a href=\"{root}opds.xml\">OPDS 1.2 (Atom)</a> · \
<a href=\"{root}opds.json\">OPDS 2.0 (JSON)</a>. Made with quire.</p>\n</footer>\n</body>\n</html>\n",
        title = esc(title),
        name = esc(&name),
    )
}

/// The search form (on the index and the search page).
fn search_form(root: &str) -> String {
    format!(
        "<form id=\"search\" role=\"search\" action=\"{root}search.html\" method=\"get\">\n\
<label for=\"q\">Search titles, authors and subjects</label>\n\
<span class=\"field\"><input id=\"q\" name=\"q\" type=\"search\"> <button type=\"submit\">Search</button></span>\n</form>\n"
    )
}

/// The cover thumbnail (the picture's, or page 1 drawn for a typographic cover), or the
/// placeholder card when there is neither. Decorative
/// beside the issue's heading, so the card is hidden from screen readers and the picture
/// says only that it is the cover.
fn thumbnail(issue: &Issue, root: &str) -> String {
    match &issue.cover {
        Some(c) => format!(
            "<img class=\"thumb\" src=\"{root}{}\" width=\"{}\" height=\"{}\" alt=\"Cover of {}\">",
            esc(&c.thumb),
            c.thumb_width,
            c.thumb_height,
            esc(&issue.document_title)
        ),
        None => placeholder_card(issue),
    }
}

/// The card that stands for a cover when neither a picture nor a drawing of page 1 could
/// be made (see `thumb`).
fn placeholder_card(issue: &Issue) -> String {
    format!(
        "<div class=\"thumb card\" aria-hidden=\"true\"{}><span class=\"card-title\">{}</span>\
<span class=\"card-issue\">{}</span><span class=\"card-date\">{}</span></div>",
        lang(&issue.language),
        esc(&issue.title),
        esc(&issue.issue_label),
        esc(&issue.date_label)
    )
}

/// Human file size: "1.2 MB", "340 kB".
fn size(bytes: u64) -> String {
    if bytes >= 1_000_000 {
        format!("{}.{} MB", bytes / 1_000_000, bytes % 1_000_000 / 100_000)
    } else {
        format!("{} kB", bytes.div_ceil(1000))
    }
}

/// The PDF and EPUB links of an issue.
fn downloads(issue: &Issue, root: &str) -> String {
    format!(
        "<ul class=\"downloads\" aria-label=\"Downloads\">\
<li><a href=\"{root}{}\" type=\"application/pdf\">PDF <span class=\"size\">({}, {} pages)</span></a></li>\
<li><a href=\"{root}{}\" type=\"application/epub+zip\">EPUB <span class=\"size\">({})</span></a></li></ul>",
        esc(&issue.pdf.path),
        size(issue.pdf.bytes),
        issue.pages,
        esc(&issue.epub.path),
        size(issue.epub.bytes)
    )
}

/// Where an article opens: the PDF at its first page, or the issue's page when the page
/// is not known.
pub(crate) fn article_href(issue: &Issue, article: &ArticleEntry) -> String {
    match article.page {
        Some(page) => format!("{}#page={page}", issue.pdf.path),
        None => format!("{}/index.html", issue.folder()),
    }
}

/// A list of names, each linked to its author page.
fn author_links(site: &Site, names: &[String], root: &str) -> String {
    let links: Vec<String> = names
        .iter()
        .map(|n| match site.author_slug(n) {
            Some(slug) => format!("<a href=\"{root}authors/{slug}.html\">{}</a>", esc(n)),
            None => esc(n),
        })
        .collect();
    match links.len() {
        0 => String::new(),
        1 => links[0].clone(),
        n => format!("{} and {}", links[..n - 1].join(", "), links[n - 1]),
    }
}

/// `index.html`: the search form and every issue, newest first.
fn index(site: &Site) -> String {
    let (name, name_lang) = site_name(site);
    let name_lang = name_lang.map(|l| lang(&l)).unwrap_or_default();
    let mut main = format!(
        "<h1><span{name_lang}>{}</span>: all issues</h1>\n{}",
        esc(&name),
        search_form("")
    );
    if site.issues.is_empty() {
        main.push_str("<p>No issues yet.</p>\n");
    }
    main.push_str("<ol class=\"issues\">\n");
    for issue in &site.issues {
        let href = format!("{}/index.html", issue.folder());
        let lead = issue
            .lead_article()
            .map(|a| {
                let text = a.standfirst.as_deref().unwrap_or(&a.title);
                format!("<p class=\"lead\"{}>{}</p>", lang(&a.language), esc(text))
            })
            .unwrap_or_default();
        let _ = writeln!(
            main,
            "<li class=\"issue\"><a class=\"cover\" href=\"{href}\" tabindex=\"-1\" aria-hidden=\"true\">{}</a>\
<div class=\"about\"><h2{}><a href=\"{href}\">{}</a></h2>\
<p class=\"date\"><time datetime=\"{}\">{}</time></p>{lead}{}</div></li>",
            thumbnail(issue, ""),
            lang(&issue.language),
            esc(&issue.document_title),
            issue.date,
            esc(&issue.date_label),
            downloads(issue, "")
        );
    }
    main.push_str("</ol>\n");
    frame(
        site,
        "",
        &format!("{name}: all issues"),
        Part::Issues,
        &main,
    )
}

/// `issues/<slug>/index.html`: the issue, its downloads and its contents with page numbers
/// linked into the PDF.
fn issue_page(site: &Site, issue: &Issue) -> String {
    let root = "../../";
    let l = lang(&issue.language);
    let mut main = format!(
        "<nav aria-label=\"Breadcrumb\" class=\"crumbs\"><a href=\"{root}index.html\">All issues</a></nav>\n\
<div class=\"issue-head\">\n<div class=\"cover-box\">{}</div>\n<div>\n<h1{l}>{}</h1>\n",
        match &issue.cover {
            Some(c) => format!(
                "<a href=\"{root}{}\">{}</a>",
                esc(&c.image),
                thumbnail(issue, root)
            ),
            None => thumbnail(issue, root),
        },
        esc(&issue.document_title)
    );
    if let Some(sub) = &issue.subtitle {
        let _ = writeln!(main, "<p class=\"subtitle\"{l}>{}</p>", esc(sub));
    }
    let _ = writeln!(
        main,
        "<p class=\"date\"><time datetime=\"{}\">{}</time></p>",
        issue.date,
        esc(&issue.date_label)
    );
    if let Some(d) = &issue.description {
        let _ = writeln!(main, "<p{l}>{}</p>", esc(d));
    }
    if !issue.editors.is_empty() {
        let _ = writeln!(
            main,
            "<p>Edited by <span{l}>{}</span></p>",
            esc(&issue.editors.join(", "))
        );
    }
    main.push_str(&downloads(issue, root));
    main.push_str("\n</div>\n</div>\n<h2 id=\"contents\">Contents</h2>\n");
    for (s, section) in issue.sections.iter().enumerate() {
        if section.articles.is_empty() {
            continue;
        }
        if section.title.is_empty() {
            main.push_str("<section aria-label=\"Articles\">\n");
        } else {
            let _ = write!(
                main,
                "<section aria-labelledby=\"s{s}\">\n<h3 id=\"s{s}\"{l}>{}</h3>\n",
                esc(&section.title)
            );
        }
        main.push_str("<ol class=\"toc\">\n");
        for article in &section.articles {
            main.push_str(&toc_entry(site, issue, article, root));
        }
        main.push_str("</ol>\n</section>\n");
    }
    if !issue.subjects.is_empty() {
        main.push_str("<h2>Subjects</h2>\n<ul class=\"tags\">");
        for subject in &issue.subjects {
            match site.subject_slug(subject) {
                Some(slug) => {
                    let _ = write!(
                        main,
                        "<li><a href=\"{root}subjects/{slug}.html\"{l}>{}</a></li>",
                        esc(subject)
                    );
                }
                None => {
                    let _ = write!(main, "<li{l}>{}</li>", esc(subject));
                }
            }
        }
        main.push_str("</ul>\n");
    }
    if let Some(rights) = &issue.rights {
        let _ = writeln!(main, "<p class=\"rights\"{l}>{}</p>", esc(rights));
    }
    frame(site, root, &issue.document_title, Part::Issues, &main)
}

/// One line of an issue's contents: kicker, title linked to its PDF page, page number,
/// authors, standfirst.
fn toc_entry(site: &Site, issue: &Issue, article: &ArticleEntry, root: &str) -> String {
    let mut out = format!("<li{}>", lang(&article.language));
    if let Some(k) = &article.kicker {
        let _ = write!(out, "<p class=\"kicker\">{}</p>", esc(k));
    }
    let page = article
        .page
        .map(|p| format!(" <span class=\"page\">page {p}</span>"))
        .unwrap_or_default();
    let _ = write!(
        out,
        "<p class=\"title\"><a href=\"{root}{}\">{}</a>{page}</p>",
        esc(&article_href(issue, article)),
        esc(&article.title)
    );
    if !article.authors.is_empty() {
        let _ = write!(
            out,
            "<p class=\"authors\">{}</p>",
            author_links(site, &article.authors, root)
        );
    }
    if let Some(s) = &article.standfirst {
        let _ = write!(out, "<p class=\"standfirst\">{}</p>", esc(s));
    }
    out.push_str("</li>\n");
    out
}

/// One article in a list of articles from several issues (author and subject pages).
fn article_item(site: &Site, at: ArticleRef, root: &str) -> String {
    let issue = &site.issues[at.issue];
    let article = site.article(at);
    let page = article
        .page
        .map(|p| format!(", page {p}"))
        .unwrap_or_default();
    let mut out = format!(
        "<li><p class=\"title\"{}><a href=\"{root}{}\">{}</a></p>",
        lang(&article.language),
        esc(&article_href(issue, article)),
        esc(&article.title)
    );
    if !article.authors.is_empty() {
        let _ = write!(
            out,
            "<p class=\"authors\"{}>{}</p>",
            lang(&article.language),
            author_links(site, &article.authors, root)
        );
    }
    let _ = writeln!(
        out,
        "<p class=\"where\">In <a href=\"{root}{}/index.html\"{}>{}</a>, <time datetime=\"{}\">{}</time>{page}</p></li>",
        issue.folder(),
        lang(&issue.language),
        esc(&issue.document_title),
        issue.date,
        esc(&issue.date_label)
    );
    out
}

/// An author's or a subject's page.
fn entry_page(site: &Site, entry: &Entry, part: Part) -> String {
    let root = "../";
    let kind = if part == Part::Authors {
        "Articles by"
    } else {
        "Subject:"
    };
    let mut main = format!(
        "<nav aria-label=\"Breadcrumb\" class=\"crumbs\"><a href=\"index.html\">All {}</a></nav>\n<h1>{kind} <span>{}</span></h1>\n",
        if part == Part::Authors {
            "authors"
        } else {
            "subjects"
        },
        esc(&entry.name)
    );
    if !entry.issues.is_empty() {
        main.push_str("<h2>Issues</h2>\n<ul class=\"entries\">\n");
        for &i in &entry.issues {
            let issue = &site.issues[i];
            let _ = writeln!(
                main,
                "<li><p class=\"title\"><a href=\"{root}{}/index.html\"{}>{}</a></p><p class=\"where\"><time datetime=\"{}\">{}</time></p></li>",
                issue.folder(),
                lang(&issue.language),
                esc(&issue.document_title),
                issue.date,
                esc(&issue.date_label)
            );
        }
        main.push_str("</ul>\n");
    }
    if !entry.articles.is_empty() {
        main.push_str("<h2>Articles</h2>\n<ul class=\"entries\">\n");
        for &at in &entry.articles {
            main.push_str(&article_item(site, at, root));
        }
        main.push_str("</ul>\n");
    }
    let title = format!("{kind} {}", entry.name);
    frame(site, root, &title, part, &main)
}

/// A list of entries (all authors, all subjects) with how many articles each has.
fn entry_list(site: &Site, entries: &[Entry], part: Part, heading: &str) -> String {
    let mut main = format!("<h1>{heading}</h1>\n");
    if entries.is_empty() {
        main.push_str("<p>None yet.</p>\n");
    }
    main.push_str("<ul class=\"names\">\n");
    for e in entries {
        let count = e.articles.len();
        let issues = e.issues.len();
        let mut what = Vec::new();
        if issues > 0 {
            what.push(format!(
                "{issues} {}",
                if issues == 1 { "issue" } else { "issues" }
            ));
        }
        if count > 0 {
            what.push(format!(
                "{count} {}",
                if count == 1 { "article" } else { "articles" }
            ));
        }
        let _ = writeln!(
            main,
            "<li><a href=\"{}.html\">{}</a> <span class=\"count\">({})</span></li>",
            e.slug,
            esc(&e.name),
            what.join(", ")
        );
    }
    main.push_str("</ul>\n");
    frame(site, "../", heading, part, &main)
}

fn authors(site: &Site) -> String {
    entry_list(site, &site.authors, Part::Authors, "Authors")
}

fn subjects(site: &Site) -> String {
    entry_list(site, &site.subjects, Part::Subjects, "Subjects")
}

/// `search.html`: the form, and the results the script finds in `search-index.js`.
fn search(site: &Site) -> String {
    let main = format!(
        "<h1>Search</h1>\n{}<p id=\"search-status\" role=\"status\" aria-live=\"polite\"></p>\n\
<ol id=\"results\" class=\"entries\"></ol>\n\
<noscript><p>Searching needs JavaScript. Browse the <a href=\"index.html\">issues</a>, \
<a href=\"authors/index.html\">authors</a> or <a href=\"subjects/index.html\">subjects</a> instead.</p></noscript>\n\
<script src=\"search-index.js\"></script>\n<script src=\"search.js\"></script>\n",
        search_form("")
    );
    frame(site, "", "Search", Part::Search, &main)
}

/// The search index: one entry per issue, article, author and subject, with the text it
/// is found by folded as the script folds the query ([`sort_key`]).
pub(crate) fn search_index(site: &Site) -> serde_json::Value {
    let mut entries = Vec::new();
    let mut push =
        |kind: &str, title: &str, about: String, url: String, language: &str, words: Vec<&str>| {
            let text = sort_key(&words.join(" "));
            entries.push(serde_json::json!({
                "k": kind, "t": title, "s": about, "u": url, "l": language, "x": text,
            }));
        };
    for issue in &site.issues {
        let mut words = vec![
            issue.document_title.as_str(),
            issue.date_label.as_str(),
            issue.date.as_str(),
        ];
        words.extend(issue.description.as_deref());
        words.extend(issue.subjects.iter().map(String::as_str));
        push(
            "issue",
            &issue.document_title,
            format!("Issue · {}", issue.date_label),
            format!("{}/index.html", issue.folder()),
            &issue.language,
            words,
        );
        for (section, article) in issue.articles() {
            let mut words = vec![article.title.as_str(), section];
            words.extend(article.kicker.as_deref());
            words.extend(article.standfirst.as_deref());
            words.extend(article.authors.iter().map(String::as_str));
            let by = if article.authors.is_empty() {
                String::new()
            } else {
                format!(" · {}", article.authors.join(", "))
            };
            push(
                "article",
                &article.title,
                format!("Article{by} · {}", issue.document_title),
                article_href(issue, article),
                &article.language,
                words,
            );
        }
    }
    for (kind, list, folder) in [
        ("author", &site.authors, "authors"),
        ("subject", &site.subjects, "subjects"),
    ] {
        for e in list {
            let label = if kind == "author" {
                "Author"
            } else {
                "Subject"
            };
            push(
                kind,
                &e.name,
                format!("{label} · {} articles", e.articles.len()),
                format!("{folder}/{}.html", e.slug),
                "",
                vec![e.name.as_str()],
            );
        }
    }
    serde_json::Value::Array(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_content_and_attributes() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(size(999), "1 kB");
        assert_eq!(size(340_200), "341 kB");
        assert_eq!(size(1_250_000), "1.2 MB");
    }
}
