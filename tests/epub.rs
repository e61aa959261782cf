//! EPUB output checked by EPUBCheck: a hand-built edition rendered through the library,
//! and the sample edition built by the binary (valid, reproducible, accessible).

mod common;

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use quire::model::*;

/// Runs EPUBCheck on `file` and returns (fatal, error, warning) counts and the messages.
/// `None` when EPUBCheck is missing and not required.
fn epubcheck(file: &Path) -> Option<((u64, u64, u64), String)> {
    let (java, jar) = common::epubcheck_jar()?;
    let output = Command::new(java)
        .arg("-jar")
        .arg(jar)
        .args(["--json", "-"])
        .arg(file)
        .output()
        .expect("EPUBCheck runs");
    let json: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("EPUBCheck prints JSON");
    let count = |key: &str| json["checker"][key].as_u64().expect("a message count");
    let messages = json["messages"]
        .as_array()
        .map(|m| {
            m.iter()
                .map(|m| format!("{} {} {}", m["severity"], m["ID"], m["message"]))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default();
    Some((
        (count("nFatal"), count("nError"), count("nWarning")),
        messages,
    ))
}

fn assert_valid(file: &Path) {
    if let Some((counts, messages)) = epubcheck(file) {
        assert_eq!(
            counts,
            (0, 0, 0),
            "EPUBCheck on {}:\n{messages}",
            file.display()
        );
    }
}

/// The files of an EPUB by name.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().to_string(), data)
        })
        .collect()
}

fn text_of<'a>(files: &'a [(String, Vec<u8>)], name: &str) -> &'a str {
    let (_, data) = files
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("{name} missing"));
    std::str::from_utf8(data).unwrap()
}

/// Every value of `attr` on the `<element ...>` tags of `xml`, in document order.
fn attr_values<'a>(xml: &'a str, element: &str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    xml.split(&format!("<{element}"))
        .skip(1)
        .filter(|rest| rest.starts_with(char::is_whitespace))
        .filter_map(|rest| {
            let tag = &rest[..rest.find('>').unwrap()];
            let value = &tag[tag.find(&needle)? + needle.len()..];
            Some(&value[..value.find('"').unwrap()])
        })
        .collect()
}

/// The package lists every file of the container once and nothing else; the spine holds
/// the cover page, the masthead and the articles, every one in the manifest.
fn assert_manifest_matches_files(files: &[(String, Vec<u8>)]) {
    let opf = text_of(files, "OEBPS/content.opf");
    let mut listed: Vec<String> = attr_values(opf, "item", "href")
        .iter()
        .map(|href| format!("OEBPS/{href}"))
        .collect();
    listed.push("OEBPS/content.opf".into());
    listed.sort();
    let mut zipped: Vec<String> = files
        .iter()
        .map(|(n, _)| n.clone())
        .filter(|n| n != "mimetype" && !n.starts_with("META-INF/"))
        .collect();
    zipped.sort();
    assert_eq!(listed, zipped, "manifest and container differ");
    let ids = attr_values(opf, "item", "id");
    let spine = attr_values(opf, "itemref", "idref");
    assert!(spine.iter().all(|idref| ids.contains(idref)), "{spine:?}");
    assert_eq!(spine[..2], ["id_cover.xhtml", "id_masthead.xhtml"]);
    let articles = files
        .iter()
        .filter(|(n, _)| n.starts_with("OEBPS/articles/"))
        .count();
    assert_eq!(spine.len(), 2 + articles);
}

/// The audit facts: toc nesting depth 2, alt text on every image, marked notes.
fn assert_audit_facts(bytes: &[u8]) {
    let files = unzip(bytes);
    assert_eq!(files[0].0, "mimetype");
    assert_eq!(files[0].1, b"application/epub+zip");
    assert_manifest_matches_files(&files);

    let nav = text_of(&files, "OEBPS/nav.xhtml");
    let toc = &nav[nav.find("epub:type = \"toc\"").unwrap()..];
    let toc = &toc[..toc.find("</nav>").unwrap()];
    let mut depth = 0;
    let mut max_depth = 0;
    for token in toc.split('<') {
        if token.starts_with("ol>") {
            depth += 1;
            max_depth = max_depth.max(depth);
        } else if token.starts_with("/ol>") {
            depth -= 1;
        }
    }
    assert_eq!(max_depth, 2, "toc nesting:\n{toc}");

    let mut noterefs = 0;
    let mut notes = 0;
    let mut images = 0;
    for (name, data) in files.iter().filter(|(n, _)| n.ends_with(".xhtml")) {
        let doc = std::str::from_utf8(data).unwrap();
        for img in doc.split("<img ").skip(1) {
            images += 1;
            let tag = &img[..img.find('>').unwrap()];
            let alt = tag
                .split(" alt=\"")
                .nth(1)
                .map(|r| &r[..r.find('"').unwrap()]);
            assert!(
                alt.is_some_and(|a| !a.trim().is_empty()),
                "{name}: img without alt: {tag}"
            );
        }
        noterefs += doc.matches("epub:type=\"noteref\"").count();
        notes += doc
            .matches("<aside class=\"footnote\" epub:type=\"footnote\"")
            .count();
        if name != "OEBPS/nav.xhtml" {
            assert!(doc.contains(" xml:lang=\""), "{name} has no language");
        }
    }
    assert!(images > 0, "no images");
    assert!(
        noterefs > 0 && notes > 0,
        "no notes: {noterefs} refs, {notes} notes"
    );
    let opf = text_of(&files, "OEBPS/content.opf");
    for property in [
        "schema:accessMode",
        "schema:accessModeSufficient",
        "schema:accessibilityFeature",
        "schema:accessibilityHazard",
        "schema:accessibilitySummary",
        "belongs-to-collection",
        "dcterms:modified",
    ] {
        assert!(opf.contains(property), "{property} missing");
    }
}

// ---- A hand-built edition: independent of the loader and the sample. ----

fn t(s: &str) -> Inline {
    Inline::from(InlineKind::Text(s.into()))
}

fn png(root: &Path, name: &str, alt: &str) -> Image {
    use image::ImageEncoder;
    let pixels: Vec<u8> = (0..16 * 9 * 3).map(|i| (i * 7 % 256) as u8).collect();
    let mut data = Vec::new();
    image::codecs::png::PngEncoder::new(&mut data)
        .write_image(&pixels, 16, 9, image::ExtendedColorType::Rgb8)
        .unwrap();
    Image {
        path: root.join(name),
        rel_path: name.into(),
        alt: alt.into(),
        format: ImageFormat::Png,
        width_px: 16,
        height_px: 9,
        data: Arc::new(data),
    }
}

fn style() -> Style {
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
            body: "Libertinus Serif".into(),
            display: "Libertinus Serif".into(),
            fallback: vec!["DejaVu Serif".into()],
            body_features: vec!["onum".into()],
            display_features: vec!["lnum".into()],
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
            text: Rgb(20, 20, 20),
            accent: Rgb(150, 30, 30),
            muted: Rgb(90, 90, 90),
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
        imposition: quire::model::Imposition::default(),
    }
}

fn article(root: &Path, id: &str, title: &str, lang: &str, authors: &[&str]) -> Article {
    Article {
        id: id.into(),
        source: root.join(format!("articles/{id}.md")),
        text: Arc::from(""),
        title: title.into(),
        kicker: Some("Kicker & <more>".into()),
        standfirst: Some("A standfirst with \"quotes\".".into()),
        authors: authors.iter().map(|a| a.to_string()).collect(),
        front: FrontSpans::default(),
        byline: BylinePosition::Top,
        language: Language(lang.into()),
        blocks: vec![],
        footnotes: vec![],
        refused_links: vec![],
    }
}

fn hand_built(cover: bool) -> Edition {
    let root = PathBuf::from("/editions/hand");
    let mut first = article(
        &root,
        "first",
        "Rivers & <Roads>",
        "en-GB",
        &["A. Writer", "B. Writer", "C. Writer"],
    );
    first.blocks = vec![
        Block::from(BlockKind::Paragraph(vec![
            t("Text with a note"),
            Inline::from(InlineKind::FootnoteRef(1)),
            t(" and a link to "),
            Inline::from(InlineKind::Link {
                url: "second.md#a-heading".into(),
                content: vec![t("the second article")],
            }),
            t(" and "),
            Inline::from(InlineKind::Link {
                url: "https://example.org/?a=1&b=2".into(),
                content: vec![t("the web")],
            }),
            t("."),
        ])),
        Block::from(BlockKind::Heading {
            level: 2,
            content: vec![t("A & B")],
            id: None,
        }),
        Block::from(BlockKind::PullQuote(vec![t("Pull me out.")])),
        Block::from(BlockKind::Figure(Figure {
            image: png(&root, "images/one.png", "A striped test image"),
            caption: vec![
                t("A caption "),
                Inline::from(InlineKind::Emphasis(vec![t("here")])),
            ],
            span: FigureSpan::Columns(2),
            place: FigurePlace::Top,
        })),
        Block::from(BlockKind::Table(Table {
            alignments: vec![Alignment::Left, Alignment::Center, Alignment::Right],
            header: vec![vec![t("a")], vec![t("b")], vec![t("c")]],
            rows: vec![vec![vec![t("1")], vec![t("2")], vec![t("3")]]],
        })),
        Block::from(BlockKind::List(List {
            start: Some(2),
            items: vec![vec![Block::from(BlockKind::Paragraph(vec![t("two")]))]],
        })),
        Block::from(BlockKind::CodeBlock {
            language: Some("sh".into()),
            text: "echo \"<hi>\" && exit\n".into(),
        }),
        Block::from(BlockKind::Quote(vec![Block::from(BlockKind::Paragraph(
            vec![t("Quoted.")],
        ))])),
        Block::from(BlockKind::Rule),
    ];
    first.footnotes = vec![Footnote {
        number: 1,
        blocks: vec![Block::from(BlockKind::Paragraph(vec![t("The note.")]))],
    }];
    let mut second = article(&root, "second", "Second", "en-GB", &["B. Writer"]);
    second.byline = BylinePosition::End;
    second.blocks = vec![
        Block::from(BlockKind::Heading {
            level: 2,
            content: vec![t("A heading")],
            id: None,
        }),
        Block::from(BlockKind::Paragraph(vec![
            t("Body."),
            Inline::from(InlineKind::FootnoteRef(1)),
        ])),
    ];
    second.footnotes = vec![Footnote {
        number: 1,
        blocks: vec![Block::from(BlockKind::Paragraph(vec![t("Another note.")]))],
    }];
    let mut german = article(
        &root,
        "dritter",
        "Der dritte Text",
        "de-DE",
        &["D. Autorin"],
    );
    german.blocks = vec![Block::from(BlockKind::Paragraph(vec![t("Ein Absatz.")]))];

    Edition {
        slug: "hand".into(),
        root: root.clone(),
        meta: Metadata {
            title: "Hand & Built".into(),
            issue: "3".into(),
            issue_number: Some(3),
            volume: None,
            date: Date {
                year: 2026,
                month: 3,
                day: 1,
            },
            date_label: "March 2026".into(),
            language: Language("en-GB".into()),
            subtitle: Some("A test <issue>".into()),
            publisher: Some("Test Press".into()),
            editors: vec!["E. Ditor".into()],
            issn: Some("2049-3630".into()),
            identifier: "urn:uuid:0b7f4c9e-1d2a-5e3b-8c4d-9a0f1e2d3c4b".into(),
            description: Some("A hand-built issue.".into()),
            subjects: vec!["testing".into()],
            rights: Some("© 2026 Test Press".into()),
            certified_by: None,
            revision: 1,
            source_date: None,
        },
        style: style(),
        cover: cover.then(|| png(&root, "images/cover.png", "")),
        font_dirs: vec![],
        font_paths: vec![],
        system_fonts: false,
        limits: Default::default(),
        sections: vec![
            Section {
                title: "Features".into(),
                articles: vec![first, second],
                article_start: None,
            },
            Section {
                title: "Reviews".into(),
                articles: vec![german],
                article_start: None,
            },
        ],
        cover_lines: vec![0, 2],
    }
}

/// Renders `edition` as a build does: laid out as for print, for the page list.
fn render(edition: &quire::model::Edition) -> Result<quire::Rendered, quire::Error> {
    let laid = quire::LaidEdition::new(edition, &[quire::layout::PRINT_PAGE_MULTIPLE]);
    quire::epub::render(edition, &laid)
}

#[test]
fn hand_built_edition_passes_epubcheck() {
    let dir = common::temp_dir();
    for cover in [false, true] {
        let rendered = render(&hand_built(cover)).expect("renders");
        assert_eq!(rendered.units, 5);
        let file = dir.path().join(format!("hand-{cover}.epub"));
        std::fs::write(&file, &rendered.bytes).unwrap();
        assert_audit_facts(&rendered.bytes);
        assert_valid(&file);
    }
}

#[test]
fn hand_built_edition_is_reproducible() {
    let a = render(&hand_built(false)).unwrap();
    let b = render(&hand_built(false)).unwrap();
    assert!(a.bytes == b.bytes, "two renders differ");
}

// ---- The sample edition, built by the binary. ----

fn build_sample(out: &Path) -> Vec<u8> {
    let output = common::quire(&[
        "build",
        "editions/sample",
        "--format",
        "epub",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "quire build failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::read(out.join("sample.epub")).expect("sample.epub written")
}

#[test]
fn sample_epub_is_valid_reproducible_and_accessible() {
    let dir = common::temp_dir();
    let first = build_sample(&dir.path().join("a"));
    let second = build_sample(&dir.path().join("b"));
    assert!(first == second, "two builds of the sample differ");
    assert_audit_facts(&first);
    assert_valid(&dir.path().join("a/sample.epub"));
}

// ---- The print page list against the print PDF. ----

/// `s` as comparable words: markup dropped, a few entities resolved, soft hyphens and
/// words broken at line ends joined, spaces folded.
fn page_words(s: &str) -> Vec<String> {
    let mut plain = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                plain.push(' ');
            }
            _ if !in_tag => plain.push(c),
            _ => {}
        }
    }
    let plain = plain
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("\u{ad}\n", "")
        .replace('\u{ad}', "");
    plain
        .split(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{202f}')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The text of page `n` of `pdf`.
fn pdf_page(pdf: &Path, n: u32) -> String {
    let out = Command::new("pdftotext")
        .args(["-f", &n.to_string(), "-l", &n.to_string()])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn page_breaks_begin_the_pages_of_the_print_pdf() {
    if common::tool("pdftotext").is_none() {
        assert!(!common::validators_required(), "pdftotext is required");
        return;
    }
    let dir = common::temp_dir();
    let out = dir.path();
    let output = common::quire(&[
        "build",
        "editions/sample",
        "--format",
        "epub,print",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let files = unzip(&std::fs::read(out.join("sample.epub")).unwrap());
    let pdf = out.join("sample-print.pdf");
    const MARK: &str = "<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"page-";
    let mut checked = 0;
    let mut inside = 0;
    for (name, data) in &files {
        if !name.starts_with("OEBPS/articles/") {
            continue;
        }
        let doc = std::str::from_utf8(data).unwrap();
        let body = &doc[doc.find("<body").unwrap()..];
        for (at, _) in body.match_indices(MARK) {
            let rest = &body[at..];
            let end = rest.find("/>").unwrap() + 2;
            let label = rest[MARK.len()..].split('"').next().unwrap();
            let n: u32 = label.parse().unwrap();
            let after: Vec<String> = page_words(&rest[end..]).into_iter().take(5).collect();
            let page = page_words(&pdf_page(&pdf, n)).join(" ");
            let joined = after.join(" ");
            assert!(
                page.contains(&joined),
                "{name}: page {n} should hold {joined:?}; it reads:\n{page}"
            );
            // Inside the body, the words before the marker end the page before.
            let before = page_words(&body[..at]);
            if !body[..at]
                .trim_end()
                .ends_with("<article class=\"article\">")
            {
                let last: Vec<String> = before[before.len().saturating_sub(4)..].to_vec();
                let previous = page_words(&pdf_page(&pdf, n - 1)).join(" ");
                assert!(
                    previous.contains(&last.join(" ")),
                    "{name}: page {} should end with {last:?}",
                    n - 1
                );
                inside += 1;
            }
            checked += 1;
        }
    }
    // The sample's twelve pages: ten begin in articles, five of them inside the text.
    assert!(checked >= 10, "{checked} page breaks checked");
    assert!(inside >= 4, "{inside} page breaks inside the text");
    let nav = text_of(&files, "OEBPS/nav.xhtml");
    assert_eq!(nav.matches("#page-").count(), 12, "{nav}");
    assert_valid(&out.join("sample.epub"));
}

/// The embedded DejaVu Sans Mono (TrueType) with its OS/2 `fsType` set to `bits`.
fn dejavu_mono_with_fs_type(bits: u16) -> Vec<u8> {
    use rustybuzz::ttf_parser::{Face, name_id};
    let regular = typst_assets::fonts()
        .find(|data| {
            Face::parse(data, 0).is_ok_and(|f| {
                f.names()
                    .into_iter()
                    .filter(|n| n.name_id == name_id::POST_SCRIPT_NAME)
                    .any(|n| n.to_string().as_deref() == Some("DejaVuSansMono"))
            })
        })
        .expect("DejaVu Sans Mono is embedded");
    let mut data = regular.to_vec();
    let tables = usize::from(u16::from_be_bytes([data[4], data[5]]));
    let os2 = (0..tables)
        .map(|i| 12 + 16 * i)
        .find(|&r| &data[r..r + 4] == b"OS/2")
        .map(|r| u32::from_be_bytes(data[r + 8..r + 12].try_into().unwrap()) as usize)
        .expect("an OS/2 table");
    data[os2 + 8..os2 + 10].copy_from_slice(&bits.to_be_bytes());
    data
}

#[test]
fn a_house_font_goes_in_when_its_licence_allows_and_is_left_out_with_a_warning_otherwise() {
    let tmp = common::temp_dir();
    let ed = tmp.path().join("ed");
    common::copy_dir(&common::root().join("tests/cases/base"), &ed);
    std::fs::create_dir_all(ed.join("styles")).unwrap();
    std::fs::create_dir_all(ed.join("fonts")).unwrap();
    std::fs::write(
        ed.join("styles/house.toml"),
        "[fonts]\nbody = \"DejaVu Sans Mono\"\n",
    )
    .unwrap();
    let toml = std::fs::read_to_string(ed.join("edition.toml")).unwrap();
    std::fs::write(
        ed.join("edition.toml"),
        format!("style = \"house\"\n{toml}"),
    )
    .unwrap();
    let font = ed.join("fonts/House.ttf");
    let build = |out: &str| {
        let out = tmp.path().join(out);
        let result = common::quire(&[
            "build",
            ed.to_str().unwrap(),
            "--format",
            "epub",
            "--out",
            out.to_str().unwrap(),
        ]);
        let stderr = String::from_utf8_lossy(&result.stderr).to_string();
        assert!(result.status.success(), "{stderr}");
        (out.join("ed.epub"), stderr)
    };
    let names = |epub: &Path| {
        let bytes = std::fs::read(epub).unwrap();
        let archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        archive.file_names().map(str::to_string).collect::<Vec<_>>()
    };

    // Restricted licence embedding: left out, with a warning naming the file and the
    // style's line.
    std::fs::write(&font, dejavu_mono_with_fs_type(0x0002)).unwrap();
    let (epub, stderr) = build("restricted");
    assert!(stderr.contains("House.ttf"), "{stderr}");
    assert!(stderr.contains("is not embedded in the EPUB"), "{stderr}");
    assert!(stderr.contains("house.toml:2:"), "{stderr}");
    assert!(!names(&epub).contains(&"OEBPS/fonts/DejaVuSansMono.ttf".to_string()));
    if let Some((counts, messages)) = epubcheck(&epub) {
        assert_eq!(counts, (0, 0, 0), "{messages}");
    }

    // Installable: embedded as TrueType, subset, with no warning.
    std::fs::write(&font, dejavu_mono_with_fs_type(0x0000)).unwrap();
    let (epub, stderr) = build("installable");
    assert!(!stderr.contains("is not embedded"), "{stderr}");
    let bytes = std::fs::read(&epub).unwrap();
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut data = Vec::new();
    archive
        .by_name("OEBPS/fonts/DejaVuSansMono.ttf")
        .unwrap()
        .read_to_end(&mut data)
        .unwrap();
    let whole = std::fs::metadata(&font).unwrap().len() as usize;
    assert!(data.len() * 5 < whole, "{} of {whole} bytes", data.len());
    let mut opf = String::new();
    archive
        .by_name("OEBPS/content.opf")
        .unwrap()
        .read_to_string(&mut opf)
        .unwrap();
    assert!(opf.contains("href=\"fonts/DejaVuSansMono.ttf\""), "{opf}");
    assert!(opf.contains("media-type=\"font/ttf\""), "{opf}");
    if let Some((counts, messages)) = epubcheck(&epub) {
        assert_eq!(counts, (0, 0, 0), "{messages}");
    }
}
