//! EPUB 3 backend: XHTML per article, CSS from the style, package (OPF, nav, NCX), zip.
//! The only user of epub-builder.
//!
//! Stages: [`plan`] names every file and id; [`xhtml`], [`css`] and [`cover`] write the
//! documents; epub-builder assembles manifest, spine, navigation and NCX; [`package`]
//! writes the metadata and corrects epub-builder's output; [`zip`] writes the container
//! reproducibly. Reads only [`crate::model`].

mod cover;
mod css;
mod fonts;
mod package;
mod plan;
#[cfg(test)]
pub(crate) mod tests;
mod xhtml;
mod zip;

use std::time::Instant;

use epub_builder::{EpubBuilder, EpubContent, EpubVersion, ReferenceType, TocElement, ZipLibrary};

use crate::model::{Edition, Labels};
use crate::{Backend, Error, Format, Rendered};
use fonts::EmbeddedFont;
use plan::Plan;
use xhtml::plain;

pub struct EpubBackend;

impl Backend for EpubBackend {
    fn format(&self) -> Format {
        Format::Epub
    }

    fn render(&self, edition: &Edition) -> Result<Rendered, Error> {
        render(edition)
    }
}

fn backend_error(message: impl std::fmt::Display) -> Error {
    Error::Backend {
        format: Format::Epub,
        message: message.to_string(),
    }
}

/// The documents and resources of one publication, before packaging.
struct Parts {
    css: String,
    fonts: Vec<EmbeddedFont>,
    /// The cover image: path inside `OEBPS/`, bytes, media type.
    cover: (String, Vec<u8>, &'static str),
    cover_page: String,
    masthead: String,
    /// One XHTML document per article, in reading order.
    articles: Vec<String>,
}

/// Renders `edition` as an EPUB 3 file.
pub fn render(edition: &Edition) -> Result<Rendered, Error> {
    let mut timings = Vec::new();
    let mut warnings = Vec::new();

    let start = Instant::now();
    let plan = Plan::new(edition);
    let labels = edition.meta.language.labels();
    let cover = match (&edition.cover, &plan.cover_href) {
        (Some(image), Some(href)) => (href.clone(), image.data.to_vec(), image.format.mime()),
        _ => (
            "cover.svg".to_string(),
            cover::svg(edition).into_bytes(),
            "image/svg+xml",
        ),
    };
    let fonts = fonts::embedded_fonts(&edition.style);
    let parts = Parts {
        css: css::stylesheet(&edition.style, &fonts),
        fonts,
        cover_page: xhtml::cover_document(edition, &cover.0),
        cover,
        masthead: xhtml::masthead_document(edition, &plan),
        articles: edition
            .articles()
            .enumerate()
            .map(|(i, (_, article))| xhtml::article_document(&plan, i, article, &mut warnings))
            .collect(),
    };
    timings.push(("xhtml".to_string(), start.elapsed()));

    let start = Instant::now();
    let raw = assemble(edition, &plan, labels, &parts).map_err(backend_error)?;
    timings.push(("package".to_string(), start.elapsed()));

    let start = Instant::now();
    let metadata = package::metadata(edition, package::content(edition));
    let title = package::title(edition);
    let has_sections = edition
        .sections
        .iter()
        .any(|s| !plain(&s.title).is_empty() && !s.articles.is_empty());
    let depth = if has_sections { 2 } else { 1 };
    let mut entries = zip::read_entries(&raw).map_err(backend_error)?;
    let binaries = binaries(&plan, &parts);
    for entry in &mut entries {
        let name = entry.name.as_str();
        if let Some((_, data)) = binaries
            .iter()
            .find(|(href, _)| name.strip_prefix("OEBPS/") == Some(href.as_str()))
        {
            entry.data = data.to_vec();
            continue;
        }
        if !matches!(
            name,
            "OEBPS/content.opf" | "OEBPS/toc.ncx" | "OEBPS/nav.xhtml"
        ) {
            continue;
        }
        let source = std::str::from_utf8(&entry.data)
            .map_err(|_| backend_error(format!("{name} is not UTF-8")))?;
        let fixed = match name {
            "OEBPS/content.opf" => package::fix_opf(source, &metadata),
            "OEBPS/toc.ncx" => package::fix_ncx(source, &edition.meta.identifier, &title, depth),
            _ => package::fix_nav(source, edition.meta.language.as_str()),
        };
        entry.data = fixed.map_err(backend_error)?.into_bytes();
    }
    let bytes = zip::write_epub(&entries, edition.meta.date).map_err(backend_error)?;
    timings.push(("zip".to_string(), start.elapsed()));

    Ok(Rendered {
        bytes,
        units: 2 + parts.articles.len(),
        warnings,
        timings,
    })
}

/// The fonts and images of the publication: (path inside `OEBPS/`, bytes).
///
/// epub-builder deflates every file it is given and the container is then rewritten (see
/// [`zip`]), so these reach it as empty placeholders that name the file for the manifest;
/// their bytes go in during the rewrite, compressed once (fonts) or stored (images).
fn binaries<'a>(plan: &'a Plan, parts: &'a Parts) -> Vec<(&'a String, &'a [u8])> {
    let fonts = parts.fonts.iter().map(|f| (&f.href, f.data));
    let cover = std::iter::once((&parts.cover.0, parts.cover.1.as_slice()));
    let images = plan.images.iter().map(|i| (&i.href, i.data.as_slice()));
    fonts.chain(cover).chain(images).collect()
}

/// What epub-builder gets instead of the bytes of a font or an image (see [`binaries`]).
const PLACEHOLDER: &[u8] = &[];

/// Lets epub-builder write the container, manifest, spine, guide, nav document and NCX.
/// Navigation is nested section › article; the section entry opens its first article.
fn assemble(
    edition: &Edition,
    plan: &Plan,
    labels: &Labels,
    parts: &Parts,
) -> epub_builder::Result<Vec<u8>> {
    let mut b = EpubBuilder::new(ZipLibrary::new()?)?;
    b.epub_version(EpubVersion::V30);
    b.set_toc_name(labels.contents);
    b.set_generator(format!("quire {}", env!("CARGO_PKG_VERSION")));
    b.stylesheet(parts.css.as_bytes())?;
    for font in &parts.fonts {
        b.add_resource(&font.href, PLACEHOLDER, "font/otf")?;
    }
    let (cover_href, _, cover_mime) = &parts.cover;
    b.add_cover_image(cover_href, PLACEHOLDER, *cover_mime)?;
    for image in &plan.images {
        b.add_resource(&image.href, PLACEHOLDER, image.mime)?;
    }
    b.add_content(
        EpubContent::new("cover.xhtml", parts.cover_page.as_bytes()).reftype(ReferenceType::Cover),
    )?;
    b.add_content(
        EpubContent::new("masthead.xhtml", parts.masthead.as_bytes())
            .title(labels.in_this_issue)
            .reftype(ReferenceType::TitlePage),
    )?;
    let mut index = 0;
    for section in &edition.sections {
        let section_title = plain(&section.title);
        for (j, article) in section.articles.iter().enumerate() {
            let href = plan.articles[index].href.as_str();
            let title = plain(&article.title);
            let mut content = EpubContent::new(href, parts.articles[index].as_bytes());
            content = if section_title.is_empty() {
                content.title(title).level(1)
            } else if j == 0 {
                content
                    .title(section_title.as_str())
                    .level(1)
                    .child(TocElement::new(href, title))
            } else {
                content.title(title).level(2)
            };
            if index == 0 {
                content = content.reftype(ReferenceType::Text);
            }
            b.add_content(content)?;
            index += 1;
        }
    }
    let mut out = Vec::new();
    b.generate(&mut out)?;
    Ok(out)
}
