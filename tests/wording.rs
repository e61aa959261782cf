//! The PDF and the EPUB of one edition print the same words: document title, contents
//! label, issue label, contributors, and names joined as `model::wording` says.
//!
//! `tests/cases/wording` is built through the binary in English, German, Spanish and
//! French (the test copies it and rewrites its `language` and `date_label` lines). Every
//! value is read back from the files the build wrote, the PDF with poppler-utils and qpdf,
//! the EPUB with the `zip` crate, and compared with the other output and with what
//! `quire::model` computes for the loaded edition. One literal per language and value
//! ([`Spot`]) pins the words themselves, so a wrong table fails too.

mod common;

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::Command;

use quire::model::{BylinePosition, Edition, Labels, SEPARATOR, names_in_print_byline};

/// The words one language must print, written out by hand.
struct Spot {
    tag: &'static str,
    date_label: &'static str,
    contents: &'static str,
    /// The issue label of issue 7.
    issue: &'static str,
    by: &'static str,
    and: &'static str,
}

#[test]
fn english_outputs_agree() {
    check(&Spot {
        tag: "en",
        date_label: "Spring 2026",
        contents: "Contents",
        issue: "Issue 7",
        by: "By",
        and: "and",
    });
}

#[test]
fn german_outputs_agree() {
    check(&Spot {
        tag: "de",
        date_label: "Frühjahr 2026",
        contents: "Inhalt",
        issue: "Ausgabe 7",
        by: "Von",
        and: "und",
    });
}

#[test]
fn spanish_outputs_agree() {
    check(&Spot {
        tag: "es",
        date_label: "Primavera de 2026",
        contents: "Sumario",
        issue: "Número 7",
        by: "Por",
        and: "y",
    });
}

#[test]
fn french_outputs_agree() {
    check(&Spot {
        tag: "fr",
        date_label: "Printemps 2026",
        contents: "Sommaire",
        issue: "Numéro 7",
        by: "Par",
        and: "et",
    });
}

// ---------------------------------------------------------------------------------------
// The edition in one language
// ---------------------------------------------------------------------------------------

/// Copies the fixture to `<tmp>/wording-<tag>` with its language and date label replaced.
fn edition_in(spot: &Spot, tmp: &Path) -> PathBuf {
    let dir = tmp.join(format!("wording-{}", spot.tag));
    common::copy_dir(&common::root().join("tests/cases/wording"), &dir);
    let toml_path = dir.join("edition.toml");
    let toml = std::fs::read_to_string(&toml_path).unwrap();
    let replaced = replace_line(&toml, "language = \"en\"", spot.tag, "language");
    let replaced = replace_line(
        &replaced,
        "date_label = \"Spring 2026\"",
        spot.date_label,
        "date_label",
    );
    std::fs::write(&toml_path, replaced).unwrap();
    dir
}

/// `toml` with its one line `line` replaced by `key = "value"`.
fn replace_line(toml: &str, line: &str, value: &str, key: &str) -> String {
    assert_eq!(
        toml.lines().filter(|l| *l == line).count(),
        1,
        "the fixture's edition.toml has no single line `{line}`"
    );
    toml.lines()
        .map(|l| {
            if l == line {
                format!("{key} = \"{value}\"")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// What `quire::model` says the outputs print for `edition`.
struct Expected {
    labels: &'static Labels,
    document_title: String,
    issue_label: String,
    /// Issue and date, as on the cover and the EPUB masthead.
    issue_line: String,
    /// Magazine, issue and date, as over the contents and in the running heads.
    head_line: String,
    contributors: Vec<String>,
}

impl Expected {
    fn of(edition: &Edition) -> Expected {
        let m = &edition.meta;
        Expected {
            labels: m.language.labels(),
            document_title: m.document_title(),
            issue_label: m.issue_label(),
            issue_line: m.issue_and_date(SEPARATOR),
            head_line: m.title_issue_and_date(),
            contributors: edition.contributors(),
        }
    }
}

fn check(spot: &Spot) {
    let tmp = common::temp_dir();
    let dir = edition_in(spot, tmp.path());
    let edition = quire::edition::load(&dir).expect("the fixture loads");
    let want = Expected::of(&edition);
    let tag = spot.tag;

    // The fixture has what the checks need: several articles, two and three authors, a
    // name credited twice, editors, a numeric issue and a date label.
    assert_eq!(edition.meta.language.as_str(), tag);
    assert_eq!(edition.meta.date_label, spot.date_label);
    assert!(edition.articles().any(|(_, a)| a.authors.len() == 3));
    assert!(edition.articles().any(|(_, a)| a.authors.len() == 2));
    assert!(
        edition
            .articles()
            .any(|(_, a)| a.byline == BylinePosition::End)
    );
    assert!(edition.meta.editors.len() >= 2);

    // The library's words are the spot check's.
    assert_eq!(want.labels.contents, spot.contents, "{tag}: contents label");
    assert_eq!(want.issue_label, spot.issue, "{tag}: issue label");
    assert_eq!(want.labels.by, spot.by, "{tag}: byline word");
    assert_eq!(want.labels.and, spot.and, "{tag}: and");
    assert_eq!(
        want.document_title,
        format!("{} \u{2014} {}", edition.meta.title, spot.issue),
        "{tag}: document title"
    );
    assert_eq!(
        want.issue_line,
        format!("{}{SEPARATOR}{}", spot.issue, spot.date_label),
        "{tag}: issue line"
    );

    let out = tmp.path().join("out");
    let (pdf, epub) = common::build(&dir, &out);
    let e = read_epub(&epub);
    check_epub(spot, &edition, &want, &e);
    if let Some(p) = read_pdf(&pdf, &edition) {
        check_pdf(spot, &edition, &want, &p);
        check_agreement(spot, &p, &e);
    }
}

// ---------------------------------------------------------------------------------------
// The EPUB
// ---------------------------------------------------------------------------------------

/// What the EPUB says, read from its files.
struct EpubWords {
    /// `dc:title` of the package.
    title: String,
    /// `docTitle` of the NCX.
    ncx_title: String,
    /// `dc:creator`s and `dc:contributor`s, in order.
    creators: Vec<String>,
    contributors: Vec<String>,
    /// The guide's `toc` reference title, the nav's `<title>` and its `<h1>`.
    guide_toc: String,
    nav_title: String,
    nav_heading: String,
    /// The masthead's issue-and-date line, editors line and the authors of its contents.
    masthead_issue: String,
    masthead_editors: String,
    masthead_authors: Vec<String>,
    /// Per article in reading order: the top byline, the end byline.
    bylines: Vec<(Option<String>, Option<String>)>,
    /// The generated cover's issue line and its title, and the cover page's alt text.
    cover_png: bool,
    cover_alt: String,
}

fn read_epub(path: &Path) -> EpubWords {
    let bytes = std::fs::read(path).unwrap();
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("the EPUB is a zip");
    let mut file = |name: &str| {
        let mut f = archive
            .by_name(name)
            .unwrap_or_else(|_| panic!("{name} missing from the EPUB"));
        let mut s = String::new();
        f.read_to_string(&mut s).unwrap();
        s
    };
    let opf = file("OEBPS/content.opf");
    let ncx = file("OEBPS/toc.ncx");
    let nav = file("OEBPS/nav.xhtml");
    let masthead = file("OEBPS/masthead.xhtml");
    let cover = file("OEBPS/cover.xhtml");
    let articles: Vec<String> = attr_values(&opf, "itemref", "idref")
        .iter()
        .filter_map(|id| id.strip_prefix("id_articles_"))
        .map(|name| file(&format!("OEBPS/articles/{name}")))
        .collect();

    let guide_toc = opf
        .split("<reference ")
        .skip(1)
        .find(|r| r.starts_with("type=\"toc\""))
        .map(|r| attr_values(&format!("<reference {r}"), "reference", "title")[0].clone())
        .expect("a toc reference in the guide");
    EpubWords {
        title: one(elements(&opf, "dc:title", "id=\"title\""), "dc:title"),
        ncx_title: one(
            elements(&one(elements(&ncx, "docTitle", ""), "docTitle"), "text", ""),
            "NCX text",
        ),
        creators: elements(&opf, "dc:creator", ""),
        contributors: elements(&opf, "dc:contributor", ""),
        guide_toc,
        nav_title: one(elements(&nav, "title", ""), "nav title"),
        nav_heading: one(elements(&nav, "h1", ""), "nav h1"),
        masthead_issue: one(
            elements(&masthead, "p", "class=\"masthead-issue\""),
            "masthead issue",
        ),
        masthead_editors: one(
            elements(&masthead, "p", "class=\"masthead-editors\""),
            "masthead editors",
        ),
        masthead_authors: elements(&masthead, "span", "class=\"contents-authors\""),
        bylines: articles
            .iter()
            .map(|a| {
                let top = elements(a, "p", "class=\"byline\"");
                let end = elements(a, "p", "class=\"byline byline-end\"");
                assert!(top.len() <= 1 && end.len() <= 1, "{a}");
                (top.into_iter().next(), end.into_iter().next())
            })
            .collect(),
        cover_png: archive
            .by_name("OEBPS/images/cover.png")
            .is_ok_and(|mut f| {
                let mut head = [0u8; 8];
                f.read_exact(&mut head).is_ok() && head == *b"\x89PNG\r\n\x1a\n"
            }),
        cover_alt: attr_values(&cover, "img", "alt")[0].clone(),
    }
}

fn check_epub(spot: &Spot, edition: &Edition, want: &Expected, e: &EpubWords) {
    let tag = spot.tag;
    let l = want.labels;
    let m = &edition.meta;

    assert_eq!(e.title, want.document_title, "{tag}: EPUB dc:title");
    assert_eq!(e.ncx_title, want.document_title, "{tag}: EPUB NCX docTitle");
    // Every author a creator of their own, as the PDF names them; the editors contribute.
    assert_eq!(e.creators, want.contributors, "{tag}: EPUB dc:creator");
    assert_eq!(e.contributors, m.editors, "{tag}: EPUB dc:contributor");

    assert_eq!(e.nav_title, spot.contents, "{tag}: nav <title>");
    assert_eq!(e.nav_heading, spot.contents, "{tag}: nav <h1>");
    assert_eq!(e.guide_toc, spot.contents, "{tag}: guide toc reference");

    assert_eq!(
        e.masthead_issue, want.issue_line,
        "{tag}: masthead issue line"
    );
    assert!(
        e.masthead_issue.starts_with(spot.issue),
        "{tag}: {}",
        e.masthead_issue
    );
    // The cover is the PDF's typographic cover drawn as PNG: its words are the PDF's.
    assert!(e.cover_png, "{tag}: the EPUB's cover is a PNG");
    assert!(
        e.cover_alt.starts_with(&format!(
            "{}: {}, {}. {}: ",
            l.cover,
            m.title,
            m.issue_and_date(", "),
            l.in_this_issue
        )),
        "{tag}: cover alt text: {}",
        e.cover_alt
    );

    // Names as text, with the language's "and": editors, contents, bylines.
    assert_eq!(
        e.masthead_editors,
        format!("{} {}", l.edited_by, l.names_in_text(&m.editors)),
        "{tag}: masthead editors"
    );
    let articles: Vec<_> = edition.articles().map(|(_, a)| a).collect();
    let in_text: Vec<String> = articles
        .iter()
        .map(|a| l.names_in_text(&a.authors))
        .collect();
    assert_eq!(
        e.masthead_authors, in_text,
        "{tag}: masthead contents authors"
    );
    assert_eq!(e.bylines.len(), articles.len(), "{tag}: article documents");
    for ((a, names), (top, end)) in articles.iter().zip(&in_text).zip(&e.bylines) {
        let (want_top, want_end) = match a.byline {
            BylinePosition::Top => (Some(format!("{} {names}", l.by)), None),
            BylinePosition::End => (None, Some(names.clone())),
        };
        assert_eq!(top, &want_top, "{tag}: EPUB top byline of {}", a.title);
        assert_eq!(end, &want_end, "{tag}: EPUB end byline of {}", a.title);
    }
    // Spot check: the three-author byline with the language's own words.
    let three = articles.iter().position(|a| a.authors.len() == 3).unwrap();
    let [x, y, z] = &articles[three].authors[..] else {
        unreachable!()
    };
    assert_eq!(
        e.bylines[three].0.as_deref(),
        Some(format!("{} {x}, {y} {} {z}", spot.by, spot.and).as_str()),
        "{tag}: EPUB byline spot check"
    );
}

// ---------------------------------------------------------------------------------------
// The PDF
// ---------------------------------------------------------------------------------------

/// What the PDF says, read with pdfinfo, pdftotext and qpdf.
struct PdfWords {
    /// Info dictionary Title and Author.
    title: String,
    /// The Info dictionary's Author, when it has one.
    author: Option<String>,
    /// XMP `dc:title` and `dc:creator` items.
    xmp_title: String,
    xmp_creators: Vec<String>,
    /// The text of every page (pdftotext's reading order), whitespace folded.
    pages: Vec<String>,
    /// The lines of the cover and of the first contents page, in drawing order.
    cover_lines: Vec<String>,
    contents_lines: Vec<String>,
    /// Title and page (from 1) of every top-level bookmark.
    outline: Vec<(String, u64)>,
    /// Every running head as (left, right), with the number of its page.
    running_heads: Vec<(usize, String, String)>,
    /// The number of the first article page (after the cover and the contents).
    first_article: usize,
}

/// `None` when a tool is missing and validators are not required.
fn read_pdf(path: &Path, edition: &Edition) -> Option<PdfWords> {
    let pdfinfo = common::tool("pdfinfo")?;
    let pdftotext = common::tool("pdftotext")?;
    let qpdf = common::tool("qpdf")?;
    // pdftotext writes to standard output with `-`.
    let text_of = |args: &[&str]| run(Command::new(&pdftotext).args(args).arg(path).arg("-"));

    let info = run(Command::new(&pdfinfo).arg(path));
    let field = |key: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(&format!("{key}:")))
            .map(|v| v.trim().to_string())
            .unwrap_or_else(|| panic!("pdfinfo has no {key}:\n{info}"))
    };
    let xmp = run(Command::new(&pdfinfo).arg("-meta").arg(path));
    let dc = |name: &str| one(elements(&xmp, name, ""), name);
    let text = text_of(&["-enc", "UTF-8"]);
    let mut pages: Vec<String> = text.split('\u{c}').map(fold).collect();
    if pages.last().is_some_and(String::is_empty) {
        pages.pop();
    }
    let raw_page = |n: &str| -> Vec<String> {
        text_of(&["-enc", "UTF-8", "-raw", "-f", n, "-l", n])
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    };
    let cover_lines = raw_page("1");
    let contents_lines = raw_page("2");

    let json = run(Command::new(&qpdf)
        .args(["--json=2", "--json-key=outlines"])
        .arg(path));
    let json: serde_json::Value = serde_json::from_str(&json).expect("qpdf writes JSON");
    let outline: Vec<(String, u64)> = json["outlines"]
        .as_array()
        .expect("an outline")
        .iter()
        .map(|o| {
            (
                o["title"].as_str().unwrap().to_string(),
                o["destpageposfrom1"].as_u64().unwrap(),
            )
        })
        .collect();

    // Running heads sit in the top margin of article pages: crop to it, keep the layout.
    let page = &edition.style.page;
    let width = (page.width.ceil() as u32).to_string();
    let height = ((page.margin_top * 0.9) as u32).to_string();
    let first_article = outline.get(1).expect("a section bookmark").1 as usize;
    let mut running_heads = Vec::new();
    for n in first_article..=pages.len() {
        let n_arg = n.to_string();
        let strip = text_of(&[
            "-enc", "UTF-8", "-layout", "-f", &n_arg, "-l", &n_arg, "-x", "0", "-y", "0", "-W",
            &width, "-H", &height,
        ]);
        let strip = strip.trim();
        if strip.is_empty() {
            continue;
        }
        assert_eq!(
            strip.lines().count(),
            1,
            "page {n}: head is one line: {strip:?}"
        );
        let (left, right) = strip
            .split_once("  ")
            .unwrap_or_else(|| panic!("page {n}: head without a right part: {strip:?}"));
        running_heads.push((n, left.trim().to_string(), right.trim().to_string()));
    }

    Some(PdfWords {
        title: field("Title"),
        author: info
            .lines()
            .find_map(|l| l.strip_prefix("Author:"))
            .map(|v| v.trim().to_string()),
        xmp_title: one(elements(&dc("dc:title"), "rdf:li", ""), "XMP title"),
        xmp_creators: elements(&dc("dc:creator"), "rdf:li", ""),
        pages,
        cover_lines,
        contents_lines,
        outline,
        running_heads,
        first_article,
    })
}

fn check_pdf(spot: &Spot, edition: &Edition, want: &Expected, p: &PdfWords) {
    let tag = spot.tag;
    let l = want.labels;
    let m = &edition.meta;

    // Metadata: the Info dictionary and the XMP.
    assert_eq!(p.title, want.document_title, "{tag}: PDF Title");
    assert_eq!(p.xmp_title, want.document_title, "{tag}: PDF XMP dc:title");
    // Each contributor is a dc:creator of their own in the XMP; the Info dictionary has
    // no Author (PDF/A wants it equal to a single dc:creator entry).
    assert_eq!(p.author, None, "{tag}: PDF Author");
    assert_eq!(
        p.xmp_creators, want.contributors,
        "{tag}: PDF XMP dc:creator"
    );

    // The cover: the issue line.
    let cover_issue = p
        .cover_lines
        .iter()
        .find(|line| line.contains(SEPARATOR.trim()))
        .unwrap_or_else(|| panic!("{tag}: no issue line on the cover: {:?}", p.cover_lines));
    assert_eq!(cover_issue, &want.issue_line, "{tag}: PDF cover issue line");

    // The contents page: the line over it, its heading, the bookmark that opens it.
    assert_eq!(
        p.contents_lines[0], want.head_line,
        "{tag}: line over the contents"
    );
    assert_eq!(
        p.contents_lines[1], spot.contents,
        "{tag}: contents heading"
    );
    assert_eq!(
        p.outline.first(),
        Some(&(spot.contents.to_string(), 2)),
        "{tag}: contents bookmark"
    );
    assert!(p.contents_lines[0].contains(spot.issue), "{tag}");

    // Running heads: magazine, issue and date, and the section.
    assert!(
        !p.running_heads.is_empty(),
        "{tag}: no page with a running head"
    );
    for (n, left, right) in &p.running_heads {
        assert_eq!(left, &want.head_line, "{tag}: running head on page {n}");
        assert!(
            edition.sections.iter().any(|s| &s.title == right),
            "{tag}: page {n}: the running head's right part {right:?} is no section"
        );
    }

    // Names in print: bylines join with "&" on purpose (`names_in_print_byline`), on the
    // cover (for the articles it names), in the contents and at each article, never with
    // the language's "and".
    let cover = &p.pages[0];
    let contents = &p.pages[1..p.first_article - 1].join(" ");
    let body = &p.pages[p.first_article - 1..].join(" ");
    let on_cover: Vec<&str> = edition
        .cover_articles()
        .iter()
        .map(|(_, a)| a.id.as_str())
        .collect();
    assert!(!on_cover.is_empty(), "{tag}: the cover names no article");
    for (_, a) in edition.articles() {
        let print = names_in_print_byline(&a.authors);
        for (place, text) in [
            ("cover", cover),
            ("contents", contents),
            ("article pages", body),
        ] {
            if place == "cover" && !on_cover.contains(&a.id.as_str()) {
                continue;
            }
            assert!(
                text.contains(&print),
                "{tag}: the {place} lack the byline {print:?}"
            );
        }
        if a.authors.len() > 1 {
            let prose = l.names_in_text(&a.authors);
            let all = p.pages.join(" ");
            assert!(!all.contains(&prose), "{tag}: the PDF prints {prose:?}");
            assert!(print.contains(" & ") && !print.contains(&format!(" {} ", l.and)));
        }
    }
    // The editors are named on the contents page.
    for editor in &m.editors {
        assert!(
            contents.contains(editor.as_str()),
            "{tag}: contents lack {editor}"
        );
    }
}

/// The values read from one output equal those read from the other.
fn check_agreement(spot: &Spot, p: &PdfWords, e: &EpubWords) {
    let tag = spot.tag;
    assert_eq!(p.title, e.title, "{tag}: PDF Title and EPUB dc:title");
    assert_eq!(p.xmp_title, e.title, "{tag}: PDF XMP and EPUB dc:title");
    assert_eq!(
        p.xmp_creators, e.creators,
        "{tag}: PDF XMP dc:creator and EPUB dc:creator"
    );
    assert_eq!(
        p.contents_lines[1], e.nav_heading,
        "{tag}: PDF contents and EPUB nav"
    );
    assert_eq!(
        p.outline[0].0, e.nav_title,
        "{tag}: PDF bookmark and EPUB nav"
    );
    let pdf_cover_issue = p
        .cover_lines
        .iter()
        .find(|line| line.contains(SEPARATOR.trim()))
        .unwrap();
    assert_eq!(pdf_cover_issue, &e.masthead_issue, "{tag}: issue lines");
}

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// Runs `command`, returns its standard output.
fn run(command: &mut Command) -> String {
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "{command:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// Text with runs of white space folded to one space, words broken at a soft hyphen
/// joined again.
fn fold(text: &str) -> String {
    let mut out = String::new();
    for word in text.split_whitespace() {
        if out.ends_with('\u{AD}') {
            out.pop();
        } else if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The single item of `items`.
fn one(items: Vec<String>, what: &str) -> String {
    assert_eq!(items.len(), 1, "one {what} expected: {items:?}");
    items.into_iter().next().unwrap()
}

/// The unescaped, trimmed content of every `<name …>…</name>` in `xml` whose start tag
/// contains `with` (elements of one name do not nest in the files read here).
fn elements(xml: &str, name: &str, with: &str) -> Vec<String> {
    let open = format!("<{name}");
    let close = format!("</{name}>");
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find(&open) {
        rest = &rest[i + open.len()..];
        if !rest.starts_with([' ', '>', '\n']) {
            continue;
        }
        let end = rest.find('>').expect("a closed start tag");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.ends_with('/') {
            continue;
        }
        let stop = rest.find(&close).unwrap_or_else(|| panic!("no {close}"));
        if tag.contains(with) {
            out.push(unescape(rest[..stop].trim()));
        }
        rest = &rest[stop + close.len()..];
    }
    out
}

/// Every value of `attr` on the `<element …>` tags of `xml`, unescaped, in order.
fn attr_values(xml: &str, element: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    xml.split(&format!("<{element}"))
        .skip(1)
        .filter(|rest| rest.starts_with(char::is_whitespace))
        .filter_map(|rest| {
            let tag = &rest[..rest.find('>').unwrap()];
            let value = &tag[tag.find(&needle)? + needle.len()..];
            Some(unescape(&value[..value.find('"').unwrap()]))
        })
        .collect()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}
