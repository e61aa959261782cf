//! Package metadata (the OPF `<metadata>` element) and the corrections applied to what
//! epub-builder writes.
//!
//! epub-builder 0.8.3 writes a good manifest, spine, guide, navigation document and NCX,
//! but its metadata cannot be made valid and reproducible through its API: `dc:language`
//! and `dc:creator` share `epub-creator-N` ids, `add_refines()` sets `id` instead of
//! `refines`, the identifier is a random UUID and `dcterms:modified` is the clock (setting
//! them needs chrono and uuid types). So the whole `<metadata>` element is written here and
//! swapped in; the NCX gets its `dtb:uid` and depth, the nav document its language.

use super::xhtml::{attr, plain, text};
use crate::model::Edition;

/// The id epub-builder's `<package unique-identifier>` points at.
const UNIQUE_ID: &str = "epub-id-1";

/// Facts about the content that the accessibility metadata depends on.
#[derive(Debug, Clone, Copy, Default)]
pub struct Content {
    /// Article figures (the cover does not count: it repeats the title).
    pub images: bool,
    pub tables: bool,
    pub footnotes: bool,
}

/// The publication's title: the magazine and the issue ("The Northern Review 42").
pub fn title(edition: &Edition) -> String {
    let meta = &edition.meta;
    let issue = plain(&meta.issue);
    let title = plain(&meta.title);
    if issue.is_empty() {
        title
    } else {
        format!("{title} {issue}")
    }
}

/// Every article author once, in reading order.
pub fn contributors(edition: &Edition) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (_, article) in edition.articles() {
        for author in &article.authors {
            let author = plain(author);
            if !author.is_empty() && !out.contains(&author) {
                out.push(author);
            }
        }
    }
    out
}

/// The edition's language first, then every other article language, once each.
pub fn languages(edition: &Edition) -> Vec<String> {
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
pub fn content(edition: &Edition) -> Content {
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
pub fn metadata(edition: &Edition, content: Content) -> String {
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
        text(&title(edition))
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
    for lang in languages(edition) {
        line(format!("<dc:language>{}</dc:language>", text(&lang)));
    }
    // Creators: the editors, or the publisher when no editor is named.
    let (creators, role) = if meta.editors.is_empty() {
        (meta.publisher.iter().cloned().collect::<Vec<_>>(), "pbl")
    } else {
        (meta.editors.clone(), "edt")
    };
    for (i, name) in creators.iter().enumerate() {
        let id = format!("creator-{}", i + 1);
        line(format!(
            "<dc:creator id=\"{id}\">{}</dc:creator>",
            text(&plain(name))
        ));
        line(format!(
            "<meta refines=\"#{id}\" property=\"role\" scheme=\"marc:relators\">{role}</meta>"
        ));
    }
    for (i, name) in contributors(edition).iter().enumerate() {
        let id = format!("contributor-{}", i + 1);
        line(format!(
            "<dc:contributor id=\"{id}\">{}</dc:contributor>",
            text(name)
        ));
        line(format!(
            "<meta refines=\"#{id}\" property=\"role\" scheme=\"marc:relators\">aut</meta>"
        ));
    }
    if let Some(publisher) = &meta.publisher {
        line(format!(
            "<dc:publisher>{}</dc:publisher>",
            text(&plain(publisher))
        ));
    }
    line(format!("<dc:date>{}</dc:date>", meta.date.iso()));
    line(format!(
        "<meta property=\"dcterms:modified\">{}T00:00:00Z</meta>",
        meta.date.iso()
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
    for feature in features {
        line(format!(
            "<meta property=\"schema:accessibilityFeature\">{feature}</meta>"
        ));
    }
    line("<meta property=\"schema:accessibilityHazard\">none</meta>".into());
    line(format!(
        "<meta property=\"schema:accessibilitySummary\">{}</meta>",
        text(&summary(content))
    ));
    line("<meta name=\"cover\" content=\"cover-image\"/>".into());
    line(format!(
        "<meta name=\"generator\" content=\"{}\"/>",
        attr(&format!("quire {}", env!("CARGO_PKG_VERSION")))
    ));
    m.push_str("  </metadata>");
    m
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

/// Puts `metadata` in place of epub-builder's `<metadata>` element.
pub fn fix_opf(opf: &str, metadata: &str) -> Result<String, String> {
    let start = opf
        .find("<metadata")
        .ok_or("content.opf has no <metadata> element")?;
    let end = opf[start..]
        .find("</metadata>")
        .map(|i| start + i + "</metadata>".len())
        .ok_or("content.opf has no </metadata>")?;
    if !opf.contains(&format!("unique-identifier=\"{UNIQUE_ID}\"")) {
        return Err(format!(
            "content.opf does not use `{UNIQUE_ID}` as its identifier"
        ));
    }
    Ok(format!("{}{metadata}{}", &opf[..start], &opf[end..]))
}

/// Adds the identifier and the real depth to the NCX and names it after the publication.
pub fn fix_ncx(ncx: &str, identifier: &str, title: &str, depth: usize) -> Result<String, String> {
    let depth_meta = "<meta name=\"dtb:depth\" content=\"1\" />";
    if !ncx.contains(depth_meta) {
        return Err("toc.ncx has no dtb:depth".into());
    }
    let out = ncx.replacen(
        depth_meta,
        &format!(
            "<meta name=\"dtb:uid\" content=\"{}\" />\n    \
             <meta name=\"dtb:depth\" content=\"{depth}\" />",
            attr(identifier)
        ),
        1,
    );
    let out = share_play_order(&out);
    let start = out.find("<docTitle>").ok_or("toc.ncx has no docTitle")?;
    let end = out[start..]
        .find("</docTitle>")
        .map(|i| start + i + "</docTitle>".len())
        .ok_or("toc.ncx has no </docTitle>")?;
    Ok(format!(
        "{}<docTitle>\n    <text>{}</text>\n  </docTitle>{}",
        &out[..start],
        text(title),
        &out[end..]
    ))
}

/// Renumbers `playOrder` so navPoints with the same target share one value, as the NCX
/// specification requires (a section's entry opens its first article, so two navPoints
/// point at the same document; epub-builder numbers every navPoint apart).
fn share_play_order(ncx: &str) -> String {
    const OPEN: &str = "<navPoint playOrder=\"";
    let mut parts = ncx.split(OPEN);
    let mut out = parts.next().unwrap_or("").to_string();
    let mut targets: Vec<String> = Vec::new();
    for part in parts {
        let src = part
            .find("<content src=\"")
            .map(|i| &part[i + "<content src=\"".len()..])
            .and_then(|rest| rest.find('"').map(|end| rest[..end].to_string()))
            .unwrap_or_default();
        let order = match targets.iter().position(|t| *t == src) {
            Some(i) => i + 1,
            None => {
                targets.push(src);
                targets.len()
            }
        };
        let rest = part.find('"').map_or(part, |i| &part[i..]);
        out.push_str(OPEN);
        out.push_str(&order.to_string());
        out.push_str(rest);
    }
    out
}

/// Gives the navigation document the edition's language.
pub fn fix_nav(nav: &str, lang: &str) -> Result<String, String> {
    let html =
        "<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\"";
    if !nav.contains(html) {
        return Err("nav.xhtml has an unexpected <html> element".into());
    }
    Ok(nav.replacen(
        html,
        &format!("{html} lang=\"{0}\" xml:lang=\"{0}\"", attr(lang)),
        1,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPF: &str = "<?xml version=\"1.0\"?>\n<package version=\"3.0\" \
        unique-identifier=\"epub-id-1\">\n  <metadata xmlns:dc=\"x\">\n    \
        <dc:language id=\"epub-creator-0\">en</dc:language>\n  </metadata>\n  <manifest/>\n</package>";

    #[test]
    fn opf_metadata_is_replaced_whole() {
        let fixed = fix_opf(OPF, "<metadata>new</metadata>").unwrap();
        assert!(fixed.contains("<metadata>new</metadata>\n  <manifest/>"));
        assert!(!fixed.contains("epub-creator"));
        assert!(fix_opf("<package/>", "<metadata/>").is_err());
    }

    #[test]
    fn ncx_gets_uid_depth_and_title() {
        let ncx = "<head>\n    <meta name=\"dtb:depth\" content=\"1\" />\n  </head>\n  \
                   <docTitle>\n    <text>Contents</text>\n  </docTitle>";
        let fixed = fix_ncx(ncx, "urn:uuid:1", "A & B", 2).unwrap();
        assert!(fixed.contains("<meta name=\"dtb:uid\" content=\"urn:uuid:1\" />"));
        assert!(fixed.contains("<meta name=\"dtb:depth\" content=\"2\" />"));
        assert!(fixed.contains("<text>A &amp; B</text>"));
        assert!(!fixed.contains("Contents"));
    }

    #[test]
    fn same_targets_share_play_order() {
        let ncx = "<navMap>\n<navPoint playOrder=\"1\" id=\"navPoint-1\"><content src=\"a.xhtml\"/>\n\
                   <navPoint playOrder=\"2\" id=\"navPoint-2\"><content src=\"a.xhtml\"/></navPoint>\n\
                   <navPoint playOrder=\"3\" id=\"navPoint-3\"><content src=\"b.xhtml\"/></navPoint>\n\
                   </navPoint></navMap>";
        let fixed = share_play_order(ncx);
        assert_eq!(values(&fixed, "playOrder"), ["1", "1", "2"], "{fixed}");
        assert!(fixed.contains("id=\"navPoint-2\""));
    }

    fn values<'a>(s: &'a str, attr: &str) -> Vec<&'a str> {
        let needle = format!("{attr}=\"");
        s.match_indices(&needle)
            .map(|(i, _)| {
                let rest = &s[i + needle.len()..];
                &rest[..rest.find('"').unwrap()]
            })
            .collect()
    }

    #[test]
    fn nav_gets_language() {
        let nav = "<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\">";
        let fixed = fix_nav(nav, "de").unwrap();
        assert!(fixed.ends_with("lang=\"de\" xml:lang=\"de\">"));
        assert!(fix_nav("<html>", "de").is_err());
    }
}
