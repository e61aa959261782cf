//! The package metadata (the OPF `<metadata>` element): identifiers, titles, series,
//! languages, creators and contributors, dates, and the accessibility metadata.
//!
//! Everything comes from the edition: the identifier is the edition's and
//! `dcterms:modified` is the edition date, so two builds write the same element.

use super::opf::{COVER_IMAGE_ID, UNIQUE_ID};
use super::xhtml::{attr, plain, text};
use crate::model::Edition;

/// Facts about the content that the accessibility metadata depends on.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Content {
    /// Article figures (the cover does not count: it repeats the title).
    pub images: bool,
    pub tables: bool,
    pub footnotes: bool,
    /// The publication marks the print edition's pages (a page list).
    pub page_list: bool,
}

/// The edition's language first, then every other article language, once each.
pub(super) fn languages(edition: &Edition) -> Vec<String> {
    let mut out = vec![edition.meta.language.as_str().to_string()];
    for (_, article) in edition.articles() {
        let lang = article.language.as_str().to_string();
        if !out.contains(&lang) {
            out.push(lang);
        }
    }
    out
}

/// Scans the articles for images, tables and notes.
pub(super) fn content(edition: &Edition) -> Content {
    let mut c = Content::default();
    for (_, article) in edition.articles() {
        c.footnotes |= !article.footnotes.is_empty();
        let mut visit = |b: &crate::model::Block| match b.kind {
            crate::model::BlockKind::Figure(_) => c.images = true,
            crate::model::BlockKind::Table(_) => c.tables = true,
            _ => {}
        };
        super::plan::walk_blocks(&article.blocks, &mut visit);
        for note in &article.footnotes {
            super::plan::walk_blocks(&note.blocks, &mut visit);
        }
    }
    c
}

/// The `<metadata>` element.
pub(super) fn metadata(edition: &Edition, content: Content) -> String {
    let meta = &edition.meta;
    let mut m = String::new();
    m.push_str(
        "<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
         xmlns:opf=\"http://www.idpf.org/2007/opf\">\n",
    );
    let mut line = |s: String| {
        m.push_str("    ");
        m.push_str(&s);
        m.push('\n');
    };
    line(format!(
        "<dc:identifier id=\"{UNIQUE_ID}\">{}</dc:identifier>",
        text(&meta.identifier)
    ));
    if let Some(issn) = &meta.issn {
        line(format!(
            "<dc:identifier id=\"issn\">urn:issn:{}</dc:identifier>",
            text(issn)
        ));
    }
    line(format!(
        "<dc:title id=\"title\">{}</dc:title>",
        text(&edition.meta.document_title())
    ));
    line("<meta refines=\"#title\" property=\"title-type\">main</meta>".into());
    if let Some(subtitle) = &meta.subtitle {
        line(format!(
            "<dc:title id=\"subtitle\">{}</dc:title>",
            text(&plain(subtitle))
        ));
        line("<meta refines=\"#subtitle\" property=\"title-type\">subtitle</meta>".into());
    }
    line(format!(
        "<meta property=\"belongs-to-collection\" id=\"series\">{}</meta>",
        text(&plain(&meta.title))
    ));
    line("<meta refines=\"#series\" property=\"collection-type\">series</meta>".into());
    if let Some(n) = meta.issue_number {
        line(format!(
            "<meta refines=\"#series\" property=\"group-position\">{n}</meta>"
        ));
    }
    // The volume as a collection of its own, after the series and with no type: reading
    // systems (calibre, Apple Books) take the first `series` collection as the series
    // and its position as the issue's, and the volume is neither a series nor a set
    // (EPUB 3.3's two collection types).
    if let Some(volume) = meta.volume {
        let label = meta.language.labels().volume;
        line(format!(
            "<meta property=\"belongs-to-collection\" id=\"volume\">{}, {label} {volume}</meta>",
            text(&plain(&meta.title))
        ));
    }
    for lang in languages(edition) {
        line(format!("<dc:language>{}</dc:language>", text(&lang)));
    }
    // Every author a creator of their own, sorted by surname in reading systems'
    // libraries; the editors contribute; the publisher is only the publisher.
    for (i, name) in edition.contributors().iter().enumerate() {
        person(&mut line, "creator", i + 1, name, "aut");
    }
    for (i, name) in meta.editors.iter().enumerate() {
        person(&mut line, "contributor", i + 1, &plain(name), "edt");
    }
    if let Some(publisher) = &meta.publisher {
        line(format!(
            "<dc:publisher>{}</dc:publisher>",
            text(&plain(publisher))
        ));
    }
    line(format!("<dc:date>{}</dc:date>", meta.date.iso()));
    let (y, mo, d, h, mi, sec) = meta.modified();
    line(format!(
        "<meta property=\"dcterms:modified\">{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{sec:02}Z</meta>"
    ));
    if let Some(description) = &meta.description {
        line(format!(
            "<dc:description>{}</dc:description>",
            text(&plain(description))
        ));
    }
    for subject in &meta.subjects {
        line(format!(
            "<dc:subject>{}</dc:subject>",
            text(&plain(subject))
        ));
    }
    if let Some(rights) = &meta.rights {
        line(format!("<dc:rights>{}</dc:rights>", text(&plain(rights))));
    }

    // Accessibility (EPUB Accessibility 1.1 discovery metadata).
    line("<meta property=\"schema:accessMode\">textual</meta>".into());
    if content.images {
        line("<meta property=\"schema:accessMode\">visual</meta>".into());
    }
    line("<meta property=\"schema:accessModeSufficient\">textual</meta>".into());
    let mut features = vec![
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "displayTransformability",
    ];
    if content.images {
        features.push("alternativeText");
    }
    if content.page_list {
        features.push("printPageNumbers");
    }
    for feature in features {
        line(format!(
            "<meta property=\"schema:accessibilityFeature\">{feature}</meta>"
        ));
    }
    line("<meta property=\"schema:accessibilityHazard\">none</meta>".into());
    if content.page_list {
        line(format!(
            "<meta property=\"pageBreakSource\">{}</meta>",
            text(&page_break_source(meta))
        ));
    }
    line(format!(
        "<meta property=\"dcterms:conformsTo\">{CONFORMANCE}</meta>"
    ));
    if let Some(certifier) = &meta.certified_by {
        line(format!(
            "<meta property=\"a11y:certifiedBy\">{}</meta>",
            text(&plain(certifier))
        ));
    }
    line(format!(
        "<meta property=\"schema:accessibilitySummary\">{}</meta>",
        text(&summary(content))
    ));
    line(format!(
        "<meta name=\"cover\" content=\"{COVER_IMAGE_ID}\"/>"
    ));
    line(format!(
        "<meta name=\"generator\" content=\"{}\"/>",
        attr(&super::generator())
    ));
    m.push_str("  </metadata>");
    m
}

/// The conformance claim of EPUB Accessibility 1.1 (section 2.1): the specification,
/// then the WCAG version and level the publication meets.
pub(super) const CONFORMANCE: &str = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA";

/// Writes one person as `dc:<element>` with an id, their MARC relator `role` and a
/// `file-as` sort name.
fn person(line: &mut impl FnMut(String), element: &str, n: usize, name: &str, role: &str) {
    let id = format!("{element}-{n}");
    line(format!(
        "<dc:{element} id=\"{id}\">{}</dc:{element}>",
        text(name)
    ));
    line(format!(
        "<meta refines=\"#{id}\" property=\"role\" scheme=\"marc:relators\">{role}</meta>"
    ));
    line(format!(
        "<meta refines=\"#{id}\" property=\"file-as\">{}</meta>",
        text(&file_as(name))
    ));
}

/// The name as libraries sort it: "Last, First" for a name of several words (the last
/// word taken as the surname), a single word as it is.
pub(super) fn file_as(name: &str) -> String {
    match name.trim().rsplit_once(' ') {
        Some((given, surname)) if !given.trim().is_empty() => {
            format!("{surname}, {}", given.trim())
        }
        _ => name.trim().to_string(),
    }
}

/// The print edition the page list follows: an ISBN given as the identifier, else the
/// magazine's ISSN, else the issue's identifier (shared by the print and the EPUB).
fn page_break_source(meta: &crate::model::Metadata) -> String {
    let id = meta.identifier.trim();
    let lower = id.to_ascii_lowercase();
    if lower.starts_with("urn:isbn:") || lower.starts_with("isbn") {
        return id.to_string();
    }
    match &meta.issn {
        Some(issn) => format!("urn:issn:{issn}"),
        None => id.to_string(),
    }
}

/// The accessibility summary: one or two plain sentences about what readers can rely on.
fn summary(content: Content) -> String {
    let mut s = String::from(
        "Every article is a separate document with a heading structure, listed in a table of \
         contents grouped by section, in the reading order of the printed issue; text can be \
         resized and restyled.",
    );
    if content.images {
        s.push_str(" Every image has a text alternative.");
    }
    if content.footnotes {
        s.push_str(" Footnotes are linked to their references and back.");
    }
    s
}
