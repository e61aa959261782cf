//! EPUB 3 backend: XHTML per article, CSS from the style, package (OPF, nav, NCX), zip.
//!
//! Stages: `plan` names every file and id; `images` recompresses PNGs without loss;
//! `fonts` picks the faces to embed and subsets them; `xhtml`, `css` and `cover` write the
//! documents; `nav` builds the table of contents and writes the navigation document,
//! `ncx` the NCX, `metadata` and `opf` the package document; `zip` writes the
//! container reproducibly. The writer reads only [`crate::model`]; the backend also asks
//! the build's layout where the print edition's pages begin
//! ([`LaidEdition::print_page_breaks`]), as model data, for the page list, and has the
//! typographic cover drawn from the laid-out cover page ([`crate::raster`]) when the
//! edition has no cover image.

mod contrast;
mod cover;
mod css;
mod fonts;
mod images;
mod metadata;
mod nav;
mod ncx;
mod opf;
mod plan;
#[cfg(test)]
pub(crate) mod tests;
mod xhtml;
mod zip;

use std::time::Instant;

use crate::layout::frame::FontFace;
use crate::layout::{LaidEdition, PRINT_PAGE_MULTIPLE};
use crate::model::{Edition, Labels, PageBreak, PageStart};
use crate::raster::Png;
use crate::{Backend, Error, Format, Rendered};
use fonts::EmbeddedFont;
use opf::{Resource, Role};
use plan::Plan;

/// The cover page, inside `OEBPS/`.
const COVER_PAGE: &str = "cover.xhtml";
/// The drawn typographic cover, inside `OEBPS/` (the plan keeps the name free).
const DRAWN_COVER: &str = "images/cover.png";
/// The masthead, inside `OEBPS/`.
const MASTHEAD: &str = "masthead.xhtml";

/// The EPUB backend: the model to an EPUB 3 file.
pub struct EpubBackend;

impl Backend for EpubBackend {
    fn format(&self) -> Format {
        Format::Epub
    }

    /// The page list marks the print edition's pages.
    fn page_multiple(&self) -> Option<usize> {
        Some(PRINT_PAGE_MULTIPLE)
    }

    /// The page list and the drawn cover are all it reads of the layout.
    fn reads_page_list_only(&self) -> bool {
        true
    }

    fn render(&self, edition: &Edition, laid: &LaidEdition) -> Result<Rendered, Error> {
        render(edition, laid)
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

/// Renders `edition` as an EPUB 3 file, with the print edition's page list: where the
/// pages of `laid` (the edition laid out as for the print PDF) begin; and, when it has no
/// cover image, its typographic cover (the PDF's first page) drawn as the cover image
/// ([`crate::raster::cover_png`]). When it could not be laid out (a font is missing), the
/// EPUB is written without a page list and with the SVG cover, and a warning says why.
pub fn render(edition: &Edition, laid: &LaidEdition) -> Result<Rendered, Error> {
    let start = Instant::now();
    let (pages, faces, drawn, warning) = match laid.page_list(crate::layout::PRINT_PAGE_MULTIPLE) {
        Ok(laid) => {
            let pages = crate::layout::pages::page_breaks(&laid.document);
            let faces = fonts::used_faces(&laid.document);
            match drawn_cover(edition, &laid.document) {
                Ok(drawn) => (pages, faces, drawn, None),
                Err(e) => {
                    let d = crate::diag::Diagnostic::warning(format!(
                        "the EPUB's cover is an SVG drawing: its typographic cover could not be drawn ({e})"
                    ));
                    (pages, faces, None, Some(d))
                }
            }
        }
        Err(mut d) => {
            d.severity = crate::diag::Severity::Warning;
            d.message = format!(
                "the EPUB has no print page list and an SVG cover: {}",
                d.message
            );
            (Vec::new(), Vec::new(), None, Some(d))
        }
    };
    let elapsed = start.elapsed();
    let mut rendered = render_with(edition, &pages, &faces, drawn.as_ref())?;
    rendered.timings.insert(0, ("pages".to_string(), elapsed));
    if let Some(d) = warning {
        rendered.warnings.insert(0, d);
    }
    Ok(rendered)
}

/// The typographic cover drawn from the laid-out cover page at [`COVER_LONG_SIDE`]
/// pixels on its long side; `None` when the edition has a cover image (used as it is).
///
/// [`COVER_LONG_SIDE`]: crate::raster::COVER_LONG_SIDE
fn drawn_cover(
    edition: &Edition,
    document: &crate::layout::frame::Document,
) -> Result<Option<Png>, crate::raster::RasterError> {
    match (&edition.cover, document.pages.first()) {
        (None, Some(page)) => {
            crate::raster::cover_png(page, &document.fonts, crate::raster::COVER_LONG_SIDE)
                .map(Some)
        }
        _ => Ok(None),
    }
}

/// Renders `edition` as an EPUB 3 file whose page list marks `pages` (see
/// [`PageBreak`]); no page list when `pages` is empty. Without a cover image its cover
/// is the SVG drawing ([`render`] draws the typographic cover instead).
pub fn render_with_pages(edition: &Edition, pages: &[PageBreak]) -> Result<Rendered, Error> {
    render_with(edition, pages, &[], None)
}

/// [`render_with_pages`] with the typographic cover `drawn` as the cover image when the
/// edition has none, and the style's families other than the built-in one embedded
/// from `faces` (the faces the print layout set text in).
fn render_with(
    edition: &Edition,
    pages: &[PageBreak],
    faces: &[FontFace],
    drawn: Option<&Png>,
) -> Result<Rendered, Error> {
    let mut timings = Vec::new();
    let mut warnings = Vec::new();

    let start = Instant::now();
    let mut plan = Plan::new(edition);
    for image in &mut plan.images {
        if let Some(smaller) = images::smaller_png(&image.data) {
            image.data = std::sync::Arc::new(smaller);
        }
    }
    let cover_image = edition
        .cover
        .as_ref()
        .map(|image| images::smaller_png(&image.data).unwrap_or_else(|| image.data.to_vec()));
    timings.push(("images".to_string(), start.elapsed()));

    let start = Instant::now();
    let labels = edition.meta.language.labels();
    let cover = match (&edition.cover, &plan.cover_href, drawn) {
        (Some(image), Some(href), _) => (
            href.clone(),
            cover_image.unwrap_or_default(),
            image.format.mime(),
        ),
        (_, _, Some(png)) => (DRAWN_COVER.to_string(), png.bytes.clone(), "image/png"),
        _ => (
            "cover.svg".to_string(),
            cover::svg(edition).into_bytes(),
            "image/svg+xml",
        ),
    };
    let (fonts, font_warnings) = fonts::embedded_fonts(&edition.style, faces);
    warnings.extend(font_warnings);
    let mut parts = Parts {
        css: css::stylesheet(&edition.style, &fonts),
        fonts: Vec::new(),
        cover_page: xhtml::cover_document(edition, &cover.0, cover.0 == DRAWN_COVER, pages),
        cover,
        masthead: xhtml::masthead_document(edition, &plan, pages),
        articles: edition
            .articles()
            .enumerate()
            .map(|(i, (_, article))| {
                let run_in = edition.style.run_in_small_caps;
                for link in &article.refused_links {
                    warnings.push(crate::diag::Diagnostic::refused_link(
                        &article.source,
                        &article.text,
                        &link.url,
                        link.span.range(),
                    ));
                }
                let drop_cap = edition.style.drop_caps;
                xhtml::article_document(&plan, i, article, run_in, drop_cap, pages, &mut warnings)
            })
            .collect(),
    };
    timings.push(("xhtml".to_string(), start.elapsed()));

    let start = Instant::now();
    let nav_text = nav::document(
        "",
        labels.contents,
        &nav::contents(edition, &plan, labels).toc,
        &[],
        &[],
    );
    let documents = [&parts.cover_page, &parts.masthead, &nav_text];
    let shown = fonts::shown_chars(
        documents
            .into_iter()
            .chain(&parts.articles)
            .map(String::as_str),
    );
    parts.fonts = fonts
        .iter()
        .map(|font| fonts::subset(font, &shown, &edition.style))
        .collect::<Result<_, _>>()
        .map_err(backend_error)?;
    timings.push(("fonts".to_string(), start.elapsed()));

    let start = Instant::now();
    let resources = resources(&plan, &parts);
    let package = package(edition, &plan, labels, &resources, pages);
    timings.push(("package".to_string(), start.elapsed()));

    let start = Instant::now();
    let entries: Vec<zip::Entry> = resources
        .iter()
        .map(|r| zip::Entry {
            path: &r.href,
            data: r.data,
        })
        .chain(package.iter().map(|(path, text)| zip::Entry {
            path,
            data: text.as_bytes(),
        }))
        .collect();
    let bytes = zip::write_epub(&entries, edition.meta.date).map_err(backend_error)?;
    timings.push(("zip".to_string(), start.elapsed()));

    Ok(Rendered {
        bytes,
        units: 2 + parts.articles.len(),
        warnings,
        timings,
        makeup: Vec::new(),
        stats: Vec::new(),
    })
}

/// Every file of the publication besides the package document, the navigation document
/// and the NCX, in manifest order: stylesheet, fonts, cover image, article images, then the
/// documents in reading order (cover page, masthead, articles).
fn resources<'a>(plan: &'a Plan, parts: &'a Parts) -> Vec<Resource<'a>> {
    let resource = |href: &str, media_type, role, data| Resource {
        href: href.to_string(),
        media_type,
        role,
        data,
    };
    let xhtml = "application/xhtml+xml";
    let mut out = vec![resource(
        "stylesheet.css",
        "text/css",
        Role::Resource,
        parts.css.as_bytes(),
    )];
    for font in &parts.fonts {
        out.push(resource(
            &font.href,
            font.media_type,
            Role::Resource,
            font.bytes(),
        ));
    }
    let (cover_href, cover_data, cover_mime) = &parts.cover;
    out.push(resource(
        cover_href,
        cover_mime,
        Role::CoverImage,
        cover_data,
    ));
    for image in &plan.images {
        out.push(resource(
            &image.href,
            image.mime,
            Role::Resource,
            &image.data,
        ));
    }
    out.push(resource(
        COVER_PAGE,
        xhtml,
        Role::Document,
        parts.cover_page.as_bytes(),
    ));
    out.push(resource(
        MASTHEAD,
        xhtml,
        Role::Document,
        parts.masthead.as_bytes(),
    ));
    for (article, document) in plan.articles.iter().zip(&parts.articles) {
        out.push(resource(
            &article.href,
            xhtml,
            Role::Document,
            document.as_bytes(),
        ));
    }
    out
}

/// The package document, the NCX and the navigation document: (path inside `OEBPS/`,
/// text), in the order they go into the container.
fn package(
    edition: &Edition,
    plan: &Plan,
    labels: &Labels,
    resources: &[Resource],
    pages: &[PageBreak],
) -> [(&'static str, String); 3] {
    let contents = nav::contents(edition, plan, labels);
    let mut guide = vec![
        ("toc", labels.contents, opf::NAV),
        ("cover", "", COVER_PAGE),
        ("title-page", labels.in_this_issue, MASTHEAD),
    ];
    let mut landmarks = vec![("titlepage", labels.in_this_issue, MASTHEAD)];
    if let Some(body) = &contents.body {
        guide.push(("text", &body.label, &body.href));
        landmarks.push(("bodymatter", &body.label, &body.href));
    }
    let mut content = metadata::content(edition);
    content.page_list = !pages.is_empty();
    let metadata = metadata::metadata(edition, content);
    let page_list: Vec<(String, String)> = pages
        .iter()
        .map(|p| {
            let doc = match p.at {
                PageStart::Cover => COVER_PAGE,
                PageStart::Contents => MASTHEAD,
                PageStart::Article(i) | PageStart::Text { article: i, .. } => {
                    plan.articles.get(i).map_or(MASTHEAD, |a| a.href.as_str())
                }
            };
            (
                p.label.clone(),
                format!("{doc}#{}", xhtml::page_id(&p.label)),
            )
        })
        .collect();
    let title = edition.meta.document_title();
    let lang = edition.meta.language.as_str();
    [
        (
            zip::PACKAGE_DOCUMENT,
            opf::document(lang, &metadata, resources, &guide),
        ),
        (
            opf::NCX,
            ncx::document(&edition.meta.identifier, &title, &contents.toc),
        ),
        (
            opf::NAV,
            nav::document(lang, labels.contents, &contents.toc, &landmarks, &page_list),
        ),
    ]
}

/// Names quire and its version in the package metadata and the navigation document.
fn generator() -> String {
    format!("quire {}", env!("CARGO_PKG_VERSION"))
}
