//! The table of contents, and the navigation document (`nav.xhtml`) that presents it.
//!
//! The contents list the masthead, then each section with its articles nested under it;
//! a section's entry opens its first article. Articles of a section without a title stand
//! at the top level. The same tree feeds the NCX ([`super::ncx`]).

use super::MASTHEAD;
use super::plan::Plan;
use super::xhtml::{attr, plain, text};
use crate::model::Edition;
use crate::model::Labels;

/// One entry of the table of contents.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct NavPoint {
    pub label: String,
    /// The document it opens, relative to `OEBPS/`.
    pub href: String,
    pub children: Vec<NavPoint>,
    /// The entry's language, when it differs from the navigation document's (an
    /// article in another language than the edition).
    pub lang: Option<String>,
}

impl NavPoint {
    fn leaf(label: impl Into<String>, href: impl Into<String>) -> NavPoint {
        NavPoint {
            label: label.into(),
            href: href.into(),
            children: Vec::new(),
            lang: None,
        }
    }
}

/// The table of contents, and where the body (the first article) starts.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Contents {
    pub toc: Vec<NavPoint>,
    /// The first article, named as its top-level entry names it (its section, or itself).
    pub body: Option<NavPoint>,
}

/// Builds the contents of `edition`. Articles whose title is empty are not listed (the
/// loader refuses them; a hand-built edition may have them).
pub(super) fn contents(edition: &Edition, plan: &Plan, labels: &Labels) -> Contents {
    let mut toc = vec![NavPoint::leaf(labels.in_this_issue, MASTHEAD)];
    let mut hrefs = plan.articles.iter().map(|a| a.href.as_str());
    for section in &edition.sections {
        let edition_lang = edition.meta.language.as_str();
        let articles: Vec<(String, &str, &str)> = section
            .articles
            .iter()
            .zip(hrefs.by_ref())
            .map(|(article, href)| (plain(&article.title), href, article.language.as_str()))
            .collect();
        let Some(&(_, first, _)) = articles.first() else {
            continue;
        };
        let entries = articles
            .iter()
            .filter(|(title, _, _)| !title.is_empty())
            .map(|(title, href, lang)| NavPoint {
                lang: (*lang != edition_lang).then(|| lang.to_string()),
                ..NavPoint::leaf(title.as_str(), *href)
            });
        let title = plain(&section.title);
        if title.is_empty() {
            toc.extend(entries);
        } else {
            toc.push(NavPoint {
                label: title,
                href: first.to_string(),
                children: entries.collect(),
                lang: None,
            });
        }
    }
    let first = plan.articles.first().map(|a| a.href.as_str());
    let body = toc
        .get(1)
        .filter(|p| Some(p.href.as_str()) == first)
        .map(|p| NavPoint::leaf(p.label.as_str(), p.href.as_str()));
    Contents { toc, body }
}

/// How many levels `toc` nests (1 when no entry has children).
pub(super) fn depth(toc: &[NavPoint]) -> usize {
    toc.iter()
        .map(|p| 1 + depth(&p.children))
        .max()
        .unwrap_or(0)
}

/// The navigation document: the table of contents under the heading `title`, then the
/// landmarks (`epub:type`, label, href).
pub(super) fn document(
    lang: &str,
    title: &str,
    toc: &[NavPoint],
    landmarks: &[(&str, &str, &str)],
    pages: &[(String, String)],
) -> String {
    let lang = attr(lang);
    let title = text(title);
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n\
         <html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" \
         lang=\"{lang}\" xml:lang=\"{lang}\">\n\
         <head>\n  <meta charset = \"utf-8\" />\n  <meta name=\"generator\" content=\"{generator}\" />\n  \
         <title>{title}</title>\n  \
         <link rel=\"stylesheet\" type=\"text/css\" href=\"stylesheet.css\" />\n</head>\n\
         <body>\n  <nav epub:type = \"toc\" role=\"doc-toc\" id=\"toc\" aria-labelledby=\"toc-title\">\n    <h1 id=\"toc-title\">{title}</h1>\n",
        generator = attr(&super::generator()),
    );
    list(&mut out, toc, 4);
    // The landmarks are for reading systems, not readers: hidden, so assistive technology
    // meets one navigation landmark, the contents.
    out.push_str("  </nav>\n  <nav epub:type = \"landmarks\" hidden=\"\">\n");
    if !landmarks.is_empty() {
        out.push_str("    <ol>\n");
        for (epub_type, label, href) in landmarks {
            out.push_str(&format!(
                "      <li><a epub:type=\"{}\" href=\"{}\">{}</a></li>\n",
                attr(epub_type),
                attr(href),
                text(label)
            ));
        }
        out.push_str("    </ol>\n");
    }
    out.push_str("  </nav>\n");
    // The print edition's pages (folio, href), for "go to page"; not part of the
    // reading order, so hidden.
    if !pages.is_empty() {
        out.push_str(
            "  <nav epub:type=\"page-list\" id=\"page-list\" hidden=\"hidden\">\n    <ol>\n",
        );
        for (label, href) in pages {
            out.push_str(&format!(
                "      <li><a href=\"{}\">{}</a></li>\n",
                attr(href),
                text(label)
            ));
        }
        out.push_str("    </ol>\n  </nav>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// Writes `points` as an `<ol>` indented by `indent` spaces, nested lists deeper.
fn list(out: &mut String, points: &[NavPoint], indent: usize) {
    let pad = " ".repeat(indent);
    out.push_str(&format!("{pad}<ol>\n"));
    for point in points {
        let lang = point.lang.as_deref().map_or(String::new(), |l| {
            format!(" lang=\"{0}\" xml:lang=\"{0}\"", attr(l))
        });
        let link = format!(
            "<a href=\"{}\"{lang}>{}</a>",
            attr(&point.href),
            text(&point.label)
        );
        if point.children.is_empty() {
            out.push_str(&format!("{pad}  <li>{link}</li>\n"));
        } else {
            out.push_str(&format!("{pad}  <li>\n{pad}    {link}\n"));
            list(out, &point.children, indent + 4);
            out.push_str(&format!("{pad}  </li>\n"));
        }
    }
    out.push_str(&format!("{pad}</ol>\n"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::epub::tests::edition;

    fn leaf(label: &str, href: &str) -> NavPoint {
        NavPoint::leaf(label, href)
    }

    fn contents_of(edition: &Edition) -> Contents {
        let plan = Plan::new(edition);
        contents(edition, &plan, edition.meta.language.labels())
    }

    #[test]
    fn articles_nest_under_their_sections() {
        let c = contents_of(&edition());
        let harbour = "articles/harbour.xhtml";
        let bruecke = "articles/bruecke.xhtml";
        assert_eq!(
            c.toc,
            [
                leaf("In this issue", "masthead.xhtml"),
                NavPoint {
                    label: "Features".into(),
                    href: harbour.into(),
                    children: vec![
                        leaf("Tides & <Currents>", harbour),
                        leaf("The Ledger", "articles/ledger.xhtml"),
                    ],
                    lang: None,
                },
                NavPoint {
                    label: "Reviews".into(),
                    href: bruecke.into(),
                    // An article in another language than the edition says so.
                    children: vec![NavPoint {
                        lang: Some("de-DE".into()),
                        ..leaf("Über die Brücke", bruecke)
                    }],
                    lang: None,
                },
            ]
        );
        assert_eq!(c.body, Some(leaf("Features", harbour)));
        assert_eq!(depth(&c.toc), 2);
    }

    #[test]
    fn untitled_sections_list_their_articles_at_the_top() {
        let mut ed = edition();
        ed.sections[0].title = " \u{AD} ".into();
        let c = contents_of(&ed);
        let labels: Vec<&str> = c.toc.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "In this issue",
                "Tides & <Currents>",
                "The Ledger",
                "Reviews"
            ]
        );
        assert!(c.toc[1].children.is_empty());
        assert_eq!(
            c.body,
            Some(leaf("Tides & <Currents>", "articles/harbour.xhtml"))
        );
        assert_eq!(depth(&c.toc), 2);
        ed.sections[1].title = String::new();
        assert_eq!(depth(&contents_of(&ed).toc), 1);
        // Without an entry of its own, the first article is no landmark.
        ed.sections[0].articles[0].title = String::new();
        let c = contents_of(&ed);
        assert_eq!(c.toc[1].href, "articles/ledger.xhtml");
        assert_eq!(c.body, None);
    }

    #[test]
    fn empty_sections_and_untitled_articles_are_left_out() {
        let mut ed = edition();
        ed.sections[0].articles[1].title = "\u{AD}".into();
        ed.sections.insert(
            1,
            crate::model::Section {
                title: "Nothing".into(),
                articles: vec![],
                article_start: None,
            },
        );
        let c = contents_of(&ed);
        let labels: Vec<&str> = c.toc.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["In this issue", "Features", "Reviews"]);
        assert_eq!(
            c.toc[1].children,
            [leaf("Tides & <Currents>", "articles/harbour.xhtml")]
        );
        // The hrefs stay aligned with the articles after a skipped one.
        assert_eq!(c.toc[2].href, "articles/bruecke.xhtml");
    }

    #[test]
    fn document_nests_lists_and_escapes() {
        let toc = [
            leaf("In this issue", "masthead.xhtml"),
            NavPoint {
                label: "A & B".into(),
                href: "articles/a.xhtml".into(),
                children: vec![
                    leaf("<One>", "articles/a.xhtml"),
                    leaf("Two", "articles/b.xhtml"),
                ],
                lang: None,
            },
        ];
        let landmarks = [
            ("titlepage", "In this issue", "masthead.xhtml"),
            ("bodymatter", "A & B", "articles/a.xhtml"),
        ];
        let doc = document("de-DE", "Inhalt", &toc, &landmarks, &[]);
        let expected = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>
<!DOCTYPE html>
<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"de-DE\" xml:lang=\"de-DE\">
<head>
  <meta charset = \"utf-8\" />
  <meta name=\"generator\" content=\"quire {}\" />
  <title>Inhalt</title>
  <link rel=\"stylesheet\" type=\"text/css\" href=\"stylesheet.css\" />
</head>
<body>
  <nav epub:type = \"toc\" role=\"doc-toc\" id=\"toc\" aria-labelledby=\"toc-title\">
    <h1 id=\"toc-title\">Inhalt</h1>
    <ol>
      <li><a href=\"masthead.xhtml\">In this issue</a></li>
      <li>
        <a href=\"articles/a.xhtml\">A &amp; B</a>
        <ol>
          <li><a href=\"articles/a.xhtml\">&lt;One&gt;</a></li>
          <li><a href=\"articles/b.xhtml\">Two</a></li>
        </ol>
      </li>
    </ol>
  </nav>
  <nav epub:type = \"landmarks\" hidden=\"\">
    <ol>
      <li><a epub:type=\"titlepage\" href=\"masthead.xhtml\">In this issue</a></li>
      <li><a epub:type=\"bodymatter\" href=\"articles/a.xhtml\">A &amp; B</a></li>
    </ol>
  </nav>
</body>
</html>
",
            env!("CARGO_PKG_VERSION")
        );
        assert_eq!(doc, expected);
    }
}
