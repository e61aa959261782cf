//! Tests of the whole backend on a small hand-built edition, and the fixtures the
//! submodules' tests share.

use std::path::PathBuf;
use std::sync::Arc;

use super::zip::read_entries;
use crate::model::*;

/// A complete style, as the loader would resolve it.
pub(crate) fn style() -> Style {
    Style {
        name: "test".into(),
        source: None,
        page: Page {
            width: 595.0,
            height: 842.0,
            margin_top: 50.0,
            margin_bottom: 50.0,
            margin_inner: 50.0,
            margin_outer: 50.0,
            bleed: 0.0,
            safety: 0.0,
            columns: 3,
            gutter: 12.0,
        },
        fonts: Fonts {
            body: "Test Serif".into(),
            display: "Test Display".into(),
            fallback: vec!["Noto Serif".into()],
            body_features: vec!["onum".into()],
            display_features: vec![],
        },
        sizes: Sizes {
            body: 9.5,
            leading: 12.5,
            title: 28.0,
            title_leading: 30.0,
            kicker: 8.0,
            standfirst: 12.0,
            standfirst_leading: 15.0,
            byline: 8.5,
            subhead: 11.0,
            pullquote: 16.0,
            pullquote_leading: 19.0,
            caption: 8.0,
            footnote: 7.5,
            footnote_leading: 9.5,
            running_head: 7.5,
            folio: 7.5,
        },
        colours: Colours {
            text: Rgb(17, 17, 17),
            accent: Rgb(176, 32, 32),
            muted: Rgb(96, 96, 96),
        },
        indent_em: 1.0,
        hyphenation: Hyphenation {
            enabled: true,
            min_word: 5,
            min_before: 2,
            min_after: 2,
            max_consecutive: 3,
            penalty: 50.0,
            capitalised: false,
            exceptions: Default::default(),
        },
        justification: Justification {
            word_space_min: 0.8,
            word_space_normal: 1.0,
            word_space_max: 1.33,
            letter_space: 0.0,
            glyph_expansion: 0.0,
            hanging_punctuation: false,
        },
        drop_caps: false,
        run_in_small_caps: true,
        article_start: ArticleStart::NewPage,
        notes: NotePlace::Column,
        opening_small_caps: 0,
        cover_lines: 4,
        print: PrintSettings {
            default: false,
            slug_line: true,
        },
        imposition: crate::model::Imposition::default(),
    }
}

fn t(s: &str) -> Inline {
    Inline::from(InlineKind::Text(s.into()))
}

fn p(inlines: Vec<Inline>) -> Block {
    Block::from(BlockKind::Paragraph(inlines))
}

/// A 4×3 PNG made on the spot.
pub(crate) fn png(path: &str) -> Image {
    use image::ImageEncoder;
    let pixels: Vec<u8> = (0..4 * 3 * 3).map(|i| (i * 19 % 256) as u8).collect();
    let mut data = Vec::new();
    image::codecs::png::PngEncoder::new(&mut data)
        .write_image(&pixels, 4, 3, image::ExtendedColorType::Rgb8)
        .unwrap();
    Image {
        path: PathBuf::from(format!("/ed/{path}")),
        rel_path: path.into(),
        alt: "A harbour at dusk, \"cranes\" & boats".into(),
        format: ImageFormat::Png,
        width_px: 4,
        height_px: 3,
        data: Arc::new(data),
    }
}

fn article(id: &str, title: &str, lang: &str, authors: &[&str]) -> Article {
    Article {
        id: id.into(),
        source: PathBuf::from(format!("/ed/articles/{id}.md")),
        text: Arc::from(""),
        title: title.into(),
        kicker: None,
        standfirst: None,
        authors: authors.iter().map(|a| a.to_string()).collect(),
        front: FrontSpans::default(),
        byline: BylinePosition::Top,
        language: Language(lang.into()),
        blocks: vec![],
        footnotes: vec![],
        refused_links: vec![],
    }
}

/// Two sections, three articles: notes, a figure, a table, a pull quote, a German article.
pub(crate) fn edition() -> Edition {
    let mut harbour = article(
        "harbour",
        "Tides & <Currents>",
        "en-GB",
        &["Ada Stone", "Ben Reyes", "Cleo Marsh"],
    );
    harbour.kicker = Some("Ports".into());
    harbour.standfirst = Some("Where ships wait, \"patience\" & rust.".into());
    harbour.blocks = vec![
        p(vec![
            t("The harbour\u{AD}master counts boats"),
            Inline::from(InlineKind::FootnoteRef(1)),
            t(" and cranes."),
            Inline::from(InlineKind::FootnoteRef(2)),
            t(" See "),
            Inline::from(InlineKind::Link {
                url: "ledger.md#the-count".into(),
                content: vec![t("the ledger")],
            }),
            t(", "),
            Inline::from(InlineKind::Link {
                url: "../notes/missing.md".into(),
                content: vec![t("a lost page")],
            }),
            t(" and "),
            Inline::from(InlineKind::Link {
                url: "https://example.org/a b?x=1&y=2".into(),
                content: vec![Inline::from(InlineKind::Emphasis(vec![t("the web")]))],
            }),
            t("."),
        ]),
        p(vec![
            t("Second paragraph, "),
            Inline::from(InlineKind::Code("a<b".into())),
            Inline::from(InlineKind::FootnoteRef(1)),
        ]),
        Block::from(BlockKind::Heading {
            level: 2,
            content: vec![t("Tides & <currents>")],
            id: None,
        }),
        Block::from(BlockKind::PullQuote(vec![t("The sea keeps no ledger.")])),
        Block::from(BlockKind::Figure(Figure {
            image: png("images/harbour.png"),
            caption: vec![
                t("Dusk, "),
                Inline::from(InlineKind::Strong(vec![t("1998")])),
            ],
            // Columns mean nothing in the EPUB: the figure is written as any other.
            span: FigureSpan::Full,
            place: FigurePlace::Bottom,
        })),
        Block::from(BlockKind::Table(Table {
            alignments: vec![Alignment::Left, Alignment::Right, Alignment::None],
            header: vec![vec![t("Ship")], vec![t("Tons")], vec![t("Flag")]],
            rows: vec![vec![vec![t("Aurora")], vec![t("1,200")], vec![t("NO")]]],
        })),
        Block::from(BlockKind::List(List {
            start: Some(3),
            items: vec![vec![p(vec![t("three")])], vec![p(vec![t("four")])]],
        })),
        Block::from(BlockKind::List(List {
            start: None,
            items: vec![vec![p(vec![t("bullet")])]],
        })),
        Block::from(BlockKind::CodeBlock {
            language: Some("rust".into()),
            text: "if a < b && c {\n}\n".into(),
        }),
        Block::from(BlockKind::Quote(vec![p(vec![
            t("Quoted"),
            Inline::from(InlineKind::LineBreak),
            t("line"),
        ])])),
        Block::from(BlockKind::Rule),
        Block::from(BlockKind::Heading {
            level: 3,
            content: vec![t("Tides & <currents>")],
            id: Some("custom id".into()),
        }),
    ];
    harbour.footnotes = vec![
        Footnote {
            number: 1,
            blocks: vec![p(vec![t("Counted at noon & at dusk.")])],
        },
        Footnote {
            number: 2,
            blocks: vec![p(vec![
                t("Cranes are "),
                Inline::from(InlineKind::Emphasis(vec![t("tall")])),
                t("."),
            ])],
        },
    ];

    let mut ledger = article("ledger", "The Ledger", "en-GB", &["Ben Reyes"]);
    ledger.byline = BylinePosition::End;
    ledger.blocks = vec![
        Block::from(BlockKind::Heading {
            level: 2,
            content: vec![t("The count")],
            id: None,
        }),
        p(vec![
            t("Back to "),
            Inline::from(InlineKind::Link {
                url: "#the-count".into(),
                content: vec![t("the top")],
            }),
            t("."),
        ]),
    ];

    let mut bruecke = article(
        "bruecke",
        "Über die Brücke",
        "de-DE",
        &["Dora Weiß", "Emil Roth"],
    );
    bruecke.blocks = vec![p(vec![
        t("Die Brücke trägt."),
        Inline::from(InlineKind::FootnoteRef(1)),
    ])];
    bruecke.footnotes = vec![Footnote {
        number: 1,
        blocks: vec![p(vec![t("Seit 1890.")])],
    }];

    Edition {
        slug: "lantern-7".into(),
        root: PathBuf::from("/ed"),
        meta: Metadata {
            title: "The Quarterly Lantern".into(),
            issue: "7".into(),
            issue_number: Some(7),
            volume: None,
            date: Date {
                year: 2026,
                month: 7,
                day: 1,
            },
            date_label: "July 2026".into(),
            language: Language("en-GB".into()),
            subtitle: Some("Essays & <arguments>".into()),
            publisher: Some("Lantern Press".into()),
            editors: vec!["Mara Quill".into(), "Tom Ash".into()],
            issn: Some("2049-3630".into()),
            identifier: "urn:uuid:6f1c1f0e-3b1e-5a7e-9a51-0c3d2b1a0f77".into(),
            description: Some("An issue about harbours & bridges.".into()),
            subjects: vec!["essays".into(), "cities".into()],
            rights: Some("© 2026 Lantern Press".into()),
            certified_by: None,
            revision: 1,
            source_date: None,
        },
        style: style(),
        cover: None,
        font_dirs: vec![],
        font_paths: vec![],
        system_fonts: false,
        limits: Default::default(),
        sections: vec![
            Section {
                title: "Features".into(),
                articles: vec![harbour, ledger],
                article_start: None,
            },
            Section {
                title: "Reviews".into(),
                articles: vec![bruecke],
                article_start: None,
            },
        ],
        cover_lines: vec![0, 2],
    }
}

/// Renders `edition` as a build does: laid out as for print, for the page list.
fn render(edition: &Edition) -> Result<crate::Rendered, crate::Error> {
    let laid = crate::layout::LaidEdition::new(edition, &[crate::layout::PRINT_PAGE_MULTIPLE]);
    super::render(edition, &laid)
}

/// Renders `edition` and returns the rendered output and its files by name.
fn unpack(edition: &Edition) -> (crate::Rendered, Vec<(String, String)>) {
    let rendered = render(edition).expect("renders");
    let files = read_entries(&rendered.bytes)
        .unwrap()
        .into_iter()
        .map(|e| (e.name, String::from_utf8_lossy(&e.data).into_owned()))
        .collect();
    (rendered, files)
}

fn file<'a>(files: &'a [(String, String)], name: &str) -> &'a str {
    files
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, s)| s.as_str())
        .unwrap_or_else(|| panic!("{name} missing"))
}

/// Every value of `attr="..."` in `s`.
fn values<'a>(s: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    s.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &s[i + needle.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

#[test]
fn container_layout_and_units() {
    let (rendered, files) = unpack(&edition());
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names[0], "mimetype");
    assert_eq!(names[1], "META-INF/container.xml");
    for expected in [
        "OEBPS/content.opf",
        "OEBPS/toc.ncx",
        "OEBPS/nav.xhtml",
        "OEBPS/stylesheet.css",
        "OEBPS/cover.svg",
        "OEBPS/cover.xhtml",
        "OEBPS/masthead.xhtml",
        "OEBPS/articles/harbour.xhtml",
        "OEBPS/articles/ledger.xhtml",
        "OEBPS/articles/bruecke.xhtml",
        "OEBPS/images/harbour.png",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
    assert_eq!(rendered.units, 5);
    let stages: Vec<&str> = rendered.timings.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(
        stages,
        ["pages", "images", "xhtml", "fonts", "package", "zip"]
    );
    // The test style names fonts no folder has: the print edition cannot be laid out,
    // so the EPUB has no page list and says why.
    assert!(
        rendered.warnings[0].message.starts_with(
            "the EPUB has no print page list and an SVG cover: the style `test` names font families"
        ),
        "{:?}",
        rendered.warnings
    );
}

#[test]
fn output_is_byte_identical_across_runs() {
    let a = render(&edition()).unwrap();
    let b = render(&edition()).unwrap();
    assert_eq!(a.bytes, b.bytes);
}

#[test]
fn article_head_body_and_escaping() {
    let (_, files) = unpack(&edition());
    let x = file(&files, "OEBPS/articles/harbour.xhtml");
    assert!(x.contains("lang=\"en-GB\" xml:lang=\"en-GB\""));
    assert!(x.contains("<title>Tides &amp; &lt;Currents&gt;</title>"));
    assert!(x.contains("<p class=\"kicker\">Ports</p>"));
    assert!(x.contains("<h1>Tides &amp; &lt;Currents&gt;</h1>"));
    assert!(x.contains("<p class=\"standfirst\">Where ships wait, \"patience\" &amp; rust.</p>"));
    assert!(x.contains("<p class=\"byline\">By Ada Stone, Ben Reyes and Cleo Marsh</p>"));
    assert!(x.contains("harbour\u{AD}master"), "soft hyphens stay");
    assert!(x.contains("<h2 id=\"tides-currents\">Tides &amp; &lt;currents&gt;</h2>"));
    assert!(x.contains("<h3 id=\"custom-id\">"));
    assert!(x.contains("<code>a&lt;b</code>"));
    assert!(
        x.contains("<pre><code class=\"language-rust\">if a &lt; b &amp;&amp; c {\n}</code></pre>")
    );
    assert!(x.contains("<aside class=\"pullquote\" epub:type=\"pullquote\" role=\"doc-pullquote\"><p>The sea keeps no ledger.</p></aside>"));
    assert!(x.contains("<blockquote>\n<p>Quoted<br/>line</p>\n</blockquote>"));
    assert!(x.contains("<ol start=\"3\">"));
    assert!(x.contains("<ul>\n<li><p>bullet</p></li>"));
    assert!(x.contains("<hr/>"));
    assert!(
        !x.contains("<Currents>") && !x.contains("a<b"),
        "raw markup leaked"
    );
}

#[test]
fn figures_and_tables() {
    let (_, files) = unpack(&edition());
    let x = file(&files, "OEBPS/articles/harbour.xhtml");
    assert!(x.contains(
        "<img src=\"../images/harbour.png\" alt=\"A harbour at dusk, &quot;cranes&quot; &amp; boats\" width=\"4\" height=\"3\"/>"
    ));
    assert!(x.contains("<figcaption>Dusk, <strong>1998</strong></figcaption>"));
    assert!(x.contains("<thead>\n<tr><th scope=\"col\" class=\"align-left\">Ship</th><th scope=\"col\" class=\"align-right\">Tons</th><th scope=\"col\">Flag</th></tr>\n</thead>"));
    assert!(x.contains("<tbody>\n<tr><td class=\"align-left\">Aurora</td><td class=\"align-right\">1,200</td><td>NO</td></tr>"));
    // Every img in every document has a non-empty alt.
    for (name, doc) in files.iter().filter(|(n, _)| n.ends_with(".xhtml")) {
        let imgs = doc.matches("<img ").count();
        let alts = values(doc, "alt")
            .into_iter()
            .filter(|a| !a.is_empty())
            .count();
        assert_eq!(imgs, alts, "{name}");
    }
}

#[test]
fn noterefs_and_footnotes_pair_up() {
    let (_, files) = unpack(&edition());
    let x = file(&files, "OEBPS/articles/harbour.xhtml");
    assert!(x.contains(
        "<sup><a class=\"noteref\" epub:type=\"noteref\" role=\"doc-noteref\" href=\"#fn-1\" id=\"fnref-1\">1</a></sup>"
    ));
    assert!(
        x.contains("id=\"fnref-1-2\""),
        "second reference gets its own id"
    );
    assert!(x.contains("id=\"fnref-2\""));
    assert!(x.contains(
        "<aside class=\"footnote\" epub:type=\"footnote\" role=\"doc-footnote\" id=\"fn-1\">\n<p><a class=\"fn-number\" href=\"#fnref-1\" role=\"doc-backlink\""
    ));
    assert!(x.contains("Counted at noon &amp; at dusk.</p>"));
    // Ids are unique and every same-document link has a target.
    let ids = values(x, "id");
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len(), "duplicate ids: {ids:?}");
    for href in values(x, "href").into_iter().filter(|h| h.starts_with('#')) {
        assert!(ids.contains(&&href[1..]), "{href} has no target");
    }
    // Notes come after the body, inside one section.
    assert!(x.find("<section class=\"footnotes\"").unwrap() > x.find("<hr/>").unwrap());
}

#[test]
fn links_resolve_or_warn() {
    let mut ed = edition();
    let harbour = ed
        .sections
        .iter_mut()
        .flat_map(|s| s.articles.iter_mut())
        .find(|a| a.id == "harbour")
        .unwrap();
    // The dangling link, written where its span says (as the parser would place it).
    let text = "---\ntitle: Harbour\n---\n\nSee [a lost page](../notes/missing.md).\n";
    let start = text.find('[').unwrap();
    let end = text.find(')').unwrap() + 1;
    harbour.text = Arc::from(text);
    let BlockKind::Paragraph(inlines) = &mut harbour.blocks[0].kind else {
        panic!("the first block is a paragraph");
    };
    for inline in inlines {
        if matches!(&inline.kind, InlineKind::Link { url, .. } if url.contains("missing")) {
            inline.span = Span::new(start, end);
        }
    }
    let (rendered, files) = unpack(&ed);
    let x = file(&files, "OEBPS/articles/harbour.xhtml");
    assert!(x.contains("<a href=\"ledger.xhtml#the-count\">the ledger</a>"));
    assert!(x.contains("<a href=\"https://example.org/a%20b?x=1&amp;y=2\"><em>the web</em></a>"));
    assert!(
        x.contains(", a lost page and"),
        "dangling link kept as text"
    );
    let warnings: Vec<_> = rendered
        .warnings
        .iter()
        .filter(|w| !w.message.contains("no print page list"))
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].message.contains("../notes/missing.md"));
    assert_eq!(
        warnings[0].file.as_deref(),
        Some(std::path::Path::new("/ed/articles/harbour.md"))
    );
    let span = warnings[0].span.as_ref().expect("the link's line");
    assert_eq!((span.line, span.column, span.len), (5, 5, 34));
    let ledger = file(&files, "OEBPS/articles/ledger.xhtml");
    assert!(ledger.contains("<a href=\"#the-count\">the top</a>"));
    assert!(ledger.contains("<p class=\"byline byline-end\">Ben Reyes</p>\n</article>"));
    assert!(!ledger.contains("<p class=\"byline\">"));
}

#[test]
fn german_article_has_its_own_language() {
    let (_, files) = unpack(&edition());
    let x = file(&files, "OEBPS/articles/bruecke.xhtml");
    assert!(x.contains("<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"de-DE\" xml:lang=\"de-DE\">"));
    assert!(x.contains("<p class=\"byline\">Von Dora Weiß und Emil Roth</p>"));
    assert!(x.contains("aria-label=\"Anmerkungen\""));
    let masthead = file(&files, "OEBPS/masthead.xhtml");
    assert!(masthead.contains("lang=\"en-GB\" xml:lang=\"en-GB\""));
    assert!(masthead.contains("<li lang=\"de-DE\" xml:lang=\"de-DE\"><a href=\"articles/bruecke.xhtml\">Über die Brücke</a> <span class=\"contents-authors\">Dora Weiß und Emil Roth</span>"));
    let nav = file(&files, "OEBPS/nav.xhtml");
    assert!(nav.contains("lang=\"en-GB\" xml:lang=\"en-GB\""));
}

#[test]
fn masthead_and_cover() {
    let (_, files) = unpack(&edition());
    let m = file(&files, "OEBPS/masthead.xhtml");
    for expected in [
        "<h1 class=\"masthead-title\">The Quarterly Lantern</h1>",
        "<p class=\"masthead-subtitle\">Essays &amp; &lt;arguments&gt;</p>",
        "<p class=\"masthead-issue\">Issue 7 · July 2026</p>",
        "<p class=\"masthead-publisher\">Lantern Press</p>",
        "<p class=\"masthead-editors\">Edited by Mara Quill and Tom Ash</p>",
        "<p class=\"masthead-issn\">ISSN 2049-3630</p>",
        "<p class=\"masthead-rights\">© 2026 Lantern Press</p>",
        "epub:type=\"titlepage\"",
    ] {
        assert!(m.contains(expected), "{expected} missing from masthead");
    }
    // This edition's fonts cannot be found: no layout, so the cover is the SVG drawing.
    let cover = file(&files, "OEBPS/cover.xhtml");
    assert!(cover.contains(
        "<img role=\"doc-cover\" src=\"cover.svg\" alt=\"Cover: The Quarterly Lantern, Issue 7, July 2026\"/>"
    ));
    let svg = file(&files, "OEBPS/cover.svg");
    assert!(
        svg.contains(">The Quarterly</text>") && svg.contains(">Lantern</text>"),
        "{svg}"
    );
    let opf = file(&files, "OEBPS/content.opf");
    assert!(opf.contains(
        "<item media-type=\"image/svg+xml\" properties=\"cover-image\" id=\"cover-image\" href=\"cover.svg\"/>"
    ));
}

#[test]
fn a_drawn_cover_is_the_cover_image() {
    let page = crate::layout::frame::Page {
        width: 100.0,
        height: 150.0,
        label: crate::layout::frame::PageLabel::Arabic(1),
        items: Vec::new(),
    };
    let png = crate::raster::cover_png(&page, &[], 1600).unwrap();
    let rendered = super::render_with(&edition(), &[], &[], Some(&png)).unwrap();
    let entries = read_entries(&rendered.bytes).unwrap();
    let drawn = entries
        .iter()
        .find(|e| e.name == "OEBPS/images/cover.png")
        .expect("the drawn cover");
    assert_eq!(drawn.data, png.bytes);
    assert!(!entries.iter().any(|e| e.name == "OEBPS/cover.svg"));
    let files: Vec<(String, String)> = entries
        .into_iter()
        .map(|e| (e.name, String::from_utf8_lossy(&e.data).into_owned()))
        .collect();
    let cover = file(&files, "OEBPS/cover.xhtml");
    assert!(
        cover.contains(
            "<img role=\"doc-cover\" src=\"images/cover.png\" alt=\"Cover: The Quarterly Lantern, Issue 7, July 2026. In this issue: "
        ),
        "{cover}"
    );
    let opf = file(&files, "OEBPS/content.opf");
    assert!(
        opf.contains(
            "<item media-type=\"image/png\" properties=\"cover-image\" id=\"cover-image\" href=\"images/cover.png\"/>"
        ),
        "{opf}"
    );
}

#[test]
fn given_cover_image_is_the_cover() {
    let mut edition = edition();
    let mut cover = png("images/front.png");
    cover.alt = String::new();
    edition.cover = Some(cover);
    let (_, files) = unpack(&edition);
    assert!(!files.iter().any(|(n, _)| n == "OEBPS/cover.svg"));
    let opf = file(&files, "OEBPS/content.opf");
    assert!(
        opf.contains("properties=\"cover-image\" id=\"cover-image\" href=\"images/cover.png\"")
    );
    assert!(file(&files, "OEBPS/cover.xhtml").contains("src=\"images/cover.png\""));
}

#[test]
fn package_metadata() {
    let (_, files) = unpack(&edition());
    let opf = file(&files, "OEBPS/content.opf");
    for expected in [
        "unique-identifier=\"epub-id-1\"",
        "<dc:identifier id=\"epub-id-1\">urn:uuid:6f1c1f0e-3b1e-5a7e-9a51-0c3d2b1a0f77</dc:identifier>",
        "<dc:identifier id=\"issn\">urn:issn:2049-3630</dc:identifier>",
        "<dc:title id=\"title\">The Quarterly Lantern \u{2014} Issue 7</dc:title>",
        "<dc:title id=\"subtitle\">Essays &amp; &lt;arguments&gt;</dc:title>",
        "<meta property=\"belongs-to-collection\" id=\"series\">The Quarterly Lantern</meta>",
        "<meta refines=\"#series\" property=\"collection-type\">series</meta>",
        "<meta refines=\"#series\" property=\"group-position\">7</meta>",
        "<dc:language>en-GB</dc:language>\n    <dc:language>de-DE</dc:language>",
        "<dc:contributor id=\"contributor-1\">Mara Quill</dc:contributor>\n    <meta refines=\"#contributor-1\" property=\"role\" scheme=\"marc:relators\">edt</meta>\n    <meta refines=\"#contributor-1\" property=\"file-as\">Quill, Mara</meta>",
        "<dc:contributor id=\"contributor-2\">Tom Ash</dc:contributor>",
        "<dc:creator id=\"creator-1\">Ada Stone</dc:creator>\n    <meta refines=\"#creator-1\" property=\"role\" scheme=\"marc:relators\">aut</meta>\n    <meta refines=\"#creator-1\" property=\"file-as\">Stone, Ada</meta>",
        "<meta property=\"dcterms:conformsTo\">EPUB Accessibility 1.1 - WCAG 2.1 Level AA</meta>",
        "<dc:publisher>Lantern Press</dc:publisher>",
        "<dc:date>2026-07-01</dc:date>",
        "<meta property=\"dcterms:modified\">2026-07-01T00:00:00Z</meta>",
        "<dc:description>An issue about harbours &amp; bridges.</dc:description>",
        "<dc:subject>essays</dc:subject>\n    <dc:subject>cities</dc:subject>",
        "<dc:rights>© 2026 Lantern Press</dc:rights>",
        "<meta property=\"schema:accessMode\">textual</meta>",
        "<meta property=\"schema:accessMode\">visual</meta>",
        "<meta property=\"schema:accessModeSufficient\">textual</meta>",
        "<meta property=\"schema:accessibilityFeature\">alternativeText</meta>",
        "<meta property=\"schema:accessibilityFeature\">tableOfContents</meta>",
        "<meta property=\"schema:accessibilityHazard\">none</meta>",
        "<meta property=\"schema:accessibilitySummary\">",
    ] {
        assert!(opf.contains(expected), "{expected} missing from\n{opf}");
    }
    // Creators: every author once, in reading order, as authors; the publisher is none.
    let creators: Vec<&str> = opf
        .match_indices("<dc:creator id=\"")
        .map(|(i, _)| {
            let rest = &opf[i..];
            &rest[rest.find('>').unwrap() + 1..rest.find("</dc:creator>").unwrap()]
        })
        .collect();
    assert_eq!(
        creators,
        [
            "Ada Stone",
            "Ben Reyes",
            "Cleo Marsh",
            "Dora Weiß",
            "Emil Roth"
        ]
    );
    assert_eq!(
        opf.matches("scheme=\"marc:relators\">aut</meta>").count(),
        5
    );
    // Ids are unique and every refines has a target; the only date is the edition's.
    let ids = values(opf, "id");
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
    for target in values(opf, "refines") {
        assert!(
            ids.contains(&&target[1..]),
            "refines {target} has no target"
        );
    }
    assert_eq!(opf.matches("dcterms:modified").count(), 1);
}

#[test]
fn the_volume_is_a_collection_after_the_series() {
    let (_, files) = unpack(&edition());
    assert!(!file(&files, "OEBPS/content.opf").contains("id=\"volume\""));
    let mut edition = edition();
    edition.meta.volume = Some(3);
    let (_, files) = unpack(&edition);
    let opf = file(&files, "OEBPS/content.opf");
    let volume = "<meta property=\"belongs-to-collection\" id=\"volume\">The Quarterly Lantern, Volume 3</meta>\n    <dc:language>";
    let series = opf.find("id=\"series\"").unwrap();
    assert!(opf.find(volume).is_some_and(|at| at > series), "{opf}");
    // No type: calibre takes the first collection of type series (or set) as the series.
    assert!(!opf.contains("refines=\"#volume\""));
    edition.meta.language = crate::model::Language("de".into());
    let (_, files) = unpack(&edition);
    assert!(file(&files, "OEBPS/content.opf").contains(">The Quarterly Lantern, Jahrgang 3<"));
}

#[test]
fn navigation_nests_sections_and_articles() {
    let (_, files) = unpack(&edition());
    let nav = file(&files, "OEBPS/nav.xhtml");
    let toc = &nav[nav.find("epub:type = \"toc\"").unwrap()..nav.find("</nav>").unwrap()];
    let compact: String = toc.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        compact.contains(
            "<li> <a href=\"articles/harbour.xhtml\">Features</a> <ol> \
         <li><a href=\"articles/harbour.xhtml\">Tides &amp; &lt;Currents&gt;</a></li> \
         <li><a href=\"articles/ledger.xhtml\">The Ledger</a></li> </ol> </li>"
        ),
        "{compact}"
    );
    assert!(compact.contains(
        "<a href=\"articles/bruecke.xhtml\">Reviews</a> <ol> <li><a href=\"articles/bruecke.xhtml\" lang=\"de-DE\" xml:lang=\"de-DE\">Über die Brücke</a></li> </ol>"
    ));
    assert!(nav.contains("epub:type=\"titlepage\" href=\"masthead.xhtml\""));
    assert!(nav.contains("epub:type=\"bodymatter\" href=\"articles/harbour.xhtml\""));

    let ncx = file(&files, "OEBPS/toc.ncx");
    assert!(ncx.contains(
        "<meta name=\"dtb:uid\" content=\"urn:uuid:6f1c1f0e-3b1e-5a7e-9a51-0c3d2b1a0f77\" />"
    ));
    assert!(ncx.contains("<meta name=\"dtb:depth\" content=\"2\" />"));
    assert!(ncx.contains("<text>The Quarterly Lantern \u{2014} Issue 7</text>"));
    // The "Features" navPoint holds the two articles' navPoints.
    let features = ncx.find("<text>Features</text>").unwrap();
    let reviews = ncx.find("<text>Reviews</text>").unwrap();
    let inside = &ncx[features..reviews];
    assert!(inside.contains("<text>The Ledger</text>"), "{inside}");
    assert!(
        inside.find("<navPoint").unwrap() < inside.find("</navPoint>").unwrap(),
        "a child navPoint opens before the section's closes: {inside}"
    );
}

#[test]
fn embeds_libertinus_only_for_libertinus_body() {
    let mut edition = edition();
    edition.style.fonts.body = super::fonts::LIBERTINUS_SERIF.into();
    let (rendered, files) = unpack(&edition);
    let opf = file(&files, "OEBPS/content.opf");
    assert_eq!(opf.matches("media-type=\"font/otf\"").count(), 3);
    let css = file(&files, "OEBPS/stylesheet.css");
    assert_eq!(css.matches("@font-face").count(), 3);
    assert!(css.contains("src: url(\"fonts/LibertinusSerif-Italic.otf\") format(\"opentype\");"));
    // The font files hold subsets of the fonts: OpenType still, a fraction of the size.
    let entries = read_entries(&rendered.bytes).unwrap();
    for font in super::fonts::embedded_fonts(&edition.style, &[]).0 {
        let name = format!("OEBPS/{}", font.href);
        let entry = entries.iter().find(|e| e.name == name).expect("font entry");
        assert!(entry.data.starts_with(b"OTTO"), "{name}");
        assert!(entry.data.len() * 4 < font.bytes().len(), "{name}");
    }
}

#[test]
fn images_keep_their_pixels() {
    let mut edition = edition();
    edition.cover = Some(png("images/front.png"));
    let rendered = render(&edition).expect("renders");
    let entries = read_entries(&rendered.bytes).unwrap();
    let cover = entries
        .iter()
        .find(|e| e.name == "OEBPS/images/cover.png")
        .expect("cover entry");
    // Recompressed at most, never re-encoded with loss.
    let rgba = |data: &[u8]| image::load_from_memory(data).unwrap().to_rgba8().into_raw();
    assert_eq!(
        rgba(&cover.data),
        rgba(edition.cover.as_ref().unwrap().data.as_slice())
    );
    let figures: Vec<_> = entries
        .iter()
        .filter(|e| e.name.starts_with("OEBPS/images/") && e.name != "OEBPS/images/cover.png")
        .collect();
    assert!(!figures.is_empty());
    assert!(figures.iter().all(|e| e.data.starts_with(b"\x89PNG")));
}

/// Every value of `attr` on the `<element ...>` tags of `xml`, in document order.
fn tag_values<'a>(xml: &'a str, element: &str, attr: &str) -> Vec<&'a str> {
    xml.split(&format!("<{element}"))
        .skip(1)
        .filter(|rest| rest.starts_with(char::is_whitespace))
        .map(|rest| &rest[..rest.find('>').unwrap()])
        .filter_map(|tag| values(tag, attr).first().copied())
        .collect()
}

#[test]
fn manifest_lists_exactly_the_files_of_the_container() {
    let mut edition = edition();
    edition.style.fonts.body = super::fonts::LIBERTINUS_SERIF.into();
    edition.cover = Some(png("images/front.png"));
    let (_, files) = unpack(&edition);
    let opf = file(&files, "OEBPS/content.opf");
    let mut manifest: Vec<String> = tag_values(opf, "item", "href")
        .into_iter()
        .map(|href| format!("OEBPS/{href}"))
        .collect();
    manifest.push("OEBPS/content.opf".into());
    let mut zipped: Vec<String> = files
        .iter()
        .map(|(n, _)| n.clone())
        .filter(|n| n.starts_with("OEBPS/"))
        .collect();
    assert_eq!(
        zipped.len(),
        files.len() - 3,
        "only mimetype and META-INF/ outside OEBPS/"
    );
    manifest.sort();
    zipped.sort();
    assert_eq!(manifest, zipped);
    let mut unique = manifest.clone();
    unique.dedup();
    assert_eq!(unique, manifest, "a file listed twice");
    // Media types by kind.
    let hrefs = tag_values(opf, "item", "href");
    let media_types = tag_values(opf, "item", "media-type");
    assert_eq!(hrefs.len(), media_types.len());
    for (href, media_type) in hrefs.into_iter().zip(media_types) {
        let expected = match href.rsplit('.').next().unwrap() {
            "xhtml" => "application/xhtml+xml",
            "css" => "text/css",
            "otf" => "font/otf",
            "png" => "image/png",
            "ncx" => "application/x-dtbncx+xml",
            other => panic!("unexpected file type {other}"),
        };
        assert_eq!(media_type, expected, "{href}");
    }
}

#[test]
fn spine_is_the_reading_order() {
    let edition = edition();
    let (_, files) = unpack(&edition);
    let opf = file(&files, "OEBPS/content.opf");
    let ids = tag_values(opf, "item", "id");
    let hrefs = tag_values(opf, "item", "href");
    let spine: Vec<&str> = tag_values(opf, "itemref", "idref")
        .into_iter()
        .map(|idref| {
            hrefs[ids
                .iter()
                .position(|id| *id == idref)
                .expect("a manifest item")]
        })
        .collect();
    let plan = super::plan::Plan::new(&edition);
    let mut expected = vec!["cover.xhtml", "masthead.xhtml"];
    expected.extend(plan.articles.iter().map(|a| a.href.as_str()));
    assert_eq!(spine, expected);
    assert_eq!(
        expected[2..],
        [
            "articles/harbour.xhtml",
            "articles/ledger.xhtml",
            "articles/bruecke.xhtml"
        ]
    );
}

#[test]
fn ncx_play_order_is_one_per_document_in_reading_order() {
    let (_, files) = unpack(&edition());
    let ncx = file(&files, "OEBPS/toc.ncx");
    let orders = tag_values(ncx, "navPoint", "playOrder");
    let sources = tag_values(ncx, "content", "src");
    let pairs: Vec<(&str, &str)> = orders.into_iter().zip(sources).collect();
    assert_eq!(
        pairs,
        [
            ("1", "masthead.xhtml"),
            ("2", "articles/harbour.xhtml"),
            ("2", "articles/harbour.xhtml"),
            ("3", "articles/ledger.xhtml"),
            ("4", "articles/bruecke.xhtml"),
            ("4", "articles/bruecke.xhtml"),
        ]
    );
    let ids = tag_values(ncx, "navPoint", "id");
    assert_eq!(
        ids,
        (1..=6).map(|i| format!("navPoint-{i}")).collect::<Vec<_>>()
    );
}

/// An article whose file holds a front matter and two paragraphs, with spans, for the
/// page list: (article, offset of "second", offset of "hyphen" + 3).
fn paged_article() -> (Article, usize, usize) {
    let text = "---\ntitle: Paged\n---\n\nThe first page ends in a hyphen\u{AD}ated word.\n\nA second paragraph.\n";
    let mut a = article("paged", "Paged", "en-GB", &[]);
    a.text = Arc::from(text);
    let first = text.find("The first").unwrap();
    let first_end = text.find(".\n\nA").unwrap() + 1;
    let second = text.find("A second").unwrap();
    let second_end = text.len() - 1;
    let para = |s: usize, e: usize| {
        Block::new(
            BlockKind::Paragraph(vec![Inline::text(&text[s..e], Span::new(s, e))]),
            Span::new(s, e),
        )
    };
    a.blocks = vec![para(first, first_end), para(second, second_end)];
    let mid_word = text.find("hyphen").unwrap() + 3;
    (a, text.find("second").unwrap(), mid_word)
}

#[test]
fn print_pages_are_marked_listed_and_declared() {
    let (a, second, mid_word) = paged_article();
    let mut edition = edition();
    edition.sections.truncate(1);
    edition.sections[0].articles = vec![a];
    edition.cover_lines = vec![0];
    let pages = [
        PageBreak {
            label: "1".into(),
            at: PageStart::Cover,
        },
        PageBreak {
            label: "2".into(),
            at: PageStart::Contents,
        },
        // The title is written in the front matter: the page begins with the head.
        PageBreak {
            label: "3".into(),
            at: PageStart::Text {
                article: 0,
                offset: 11,
            },
        },
        PageBreak {
            label: "4".into(),
            at: PageStart::Text {
                article: 0,
                offset: mid_word,
            },
        },
        PageBreak {
            label: "5".into(),
            at: PageStart::Text {
                article: 0,
                offset: second,
            },
        },
    ];
    let rendered = super::render_with_pages(&edition, &pages).unwrap();
    let files: Vec<(String, String)> = read_entries(&rendered.bytes)
        .unwrap()
        .into_iter()
        .map(|e| (e.name, String::from_utf8_lossy(&e.data).into_owned()))
        .collect();
    let marker = |n: &str| {
        format!(
            "<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"page-{n}\" aria-label=\"{n}\"/>"
        )
    };
    assert!(file(&files, "OEBPS/cover.xhtml").contains(&marker("1")));
    assert!(file(&files, "OEBPS/masthead.xhtml").contains(&marker("2")));
    let doc = file(&files, "OEBPS/articles/paged.xhtml");
    assert!(
        doc.contains(&format!(
            "<article class=\"article\">\n{}\n<header>",
            marker("3")
        )),
        "{doc}"
    );
    // A page that begins inside a hyphenated word begins after the word.
    assert!(
        doc.contains(&format!("hyphen\u{AD}ated {}word.", marker("4"))),
        "{doc}"
    );
    assert!(
        doc.contains(&format!("<p>A {}second paragraph.</p>", marker("5"))),
        "{doc}"
    );
    let nav = file(&files, "OEBPS/nav.xhtml");
    assert!(nav.contains("<nav epub:type=\"page-list\" id=\"page-list\" hidden=\"hidden\">"));
    assert!(
        nav.contains("<li><a href=\"cover.xhtml#page-1\">1</a></li>"),
        "{nav}"
    );
    assert!(nav.contains("<li><a href=\"articles/paged.xhtml#page-4\">4</a></li>"));
    let opf = file(&files, "OEBPS/content.opf");
    assert!(opf.contains("<meta property=\"schema:accessibilityFeature\">printPageNumbers</meta>"));
    assert!(opf.contains("<meta property=\"pageBreakSource\">"), "{opf}");

    // Without pages: no list, no markers, no claim.
    let rendered = super::render_with_pages(&edition, &[]).unwrap();
    let files: Vec<(String, String)> = read_entries(&rendered.bytes)
        .unwrap()
        .into_iter()
        .map(|e| (e.name, String::from_utf8_lossy(&e.data).into_owned()))
        .collect();
    assert!(!file(&files, "OEBPS/nav.xhtml").contains("page-list"));
    assert!(!file(&files, "OEBPS/content.opf").contains("printPageNumbers"));
    assert!(!file(&files, "OEBPS/articles/paged.xhtml").contains("pagebreak"));
}

#[test]
fn a_phrase_in_another_language_is_marked_with_lang_and_xml_lang() {
    let mut edition = edition();
    let article = &mut edition.sections[0].articles[0];
    article.blocks = vec![p(vec![
        t("They call it "),
        Inline::from(InlineKind::Lang {
            lang: Language("de".into()),
            content: vec![Inline::from(InlineKind::Emphasis(vec![t("Fernweh")]))],
        }),
        t("."),
    ])];
    let (_, files) = unpack(&edition);
    let doc = file(&files, "OEBPS/articles/harbour.xhtml");
    assert!(
        doc.contains(
            "<p>They call it <span lang=\"de\" xml:lang=\"de\"><em>Fernweh</em></span>.</p>"
        ),
        "{doc}"
    );
}
