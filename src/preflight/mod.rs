//! Preflight: what a printer would find wrong with the print PDF, checked on the laid-out
//! pages and traced back to the source. Images under the resolution print needs, RGB
//! images in a CMYK job, text inside the safety margin near the trim, fonts whose licence
//! forbids embedding, text the page cuts, stranded last pages, and the blank pages the
//! print PDF adds to reach a multiple of four.
//!
//! Each finding is a [`Diagnostic`] with a [`Code`] (`image-resolution`, …) that names the file and line it comes from: the image's reference in its article
//! (or `cover` in `edition.toml`), the text's line in its article, the style's key.
//! Reads the model and the frames; writes nothing and knows nothing of PDF.

mod images;
mod place;

pub use crate::layout::licence::{Embedding, embedding, fs_type};
pub use images::{Colour, colour, ppi};

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::diag::{Code, Diagnostic, Severity};
use crate::layout::frame::{Document, FontId, Item, TextRun};
use crate::model::{Edition, PT_PER_MM};
use place::{Edge, Place, Places};

/// Images under this resolution at their placed size: an error for print.
pub const ERROR_PPI: f32 = 150.0;
/// Images under this resolution at their placed size: a warning.
pub const WARN_PPI: f32 = 300.0;

/// What the preflight checks for.
#[derive(Debug, Clone, PartialEq)]
pub struct PreflightOptions {
    /// Checking for the print PDF: images under [`ERROR_PPI`] are errors, not warnings.
    pub print: bool,
    /// The job is printed in CMYK: RGB images are named as converted.
    pub cmyk: bool,
}

impl Default for PreflightOptions {
    /// The print PDF: CMYK, low resolution an error.
    fn default() -> Self {
        PreflightOptions {
            print: true,
            cmyk: true,
        }
    }
}

/// Blank pages to add to `pages` to reach a multiple of four (for saddle stitching).
pub fn pages_to_add(pages: usize) -> usize {
    (4 - pages % 4) % 4
}

/// Checks the laid-out `document` of `edition`; the findings in a stable order (images,
/// text near the trim, cut text, fonts, stranded pages, padding).
pub fn run(edition: &Edition, document: &Document, options: &PreflightOptions) -> Vec<Diagnostic> {
    let mut places = Places::new(edition, document);
    let mut out = Vec::new();
    image_findings(&mut places, document, options, &mut out);
    text_findings(&places, edition, document, &mut out);
    font_findings(&places, document, &mut out);
    for fit in document.fits.iter().filter(|f| f.stranded) {
        let d = Diagnostic::warning(format!(
            "the article ends on page {} with its last page {:.0} % full",
            fit.first_page + fit.pages - 1,
            100.0 * fit.last_page_fill
        ))
        .with_code(Code::Stranded)
        .with_hint(
            "shorten or lengthen it by a few lines, or let the next article run on (`article_start = \"auto\"` or \"run-on\" for its section)",
        );
        out.push(places.article_end(&fit.source).put(d));
    }
    let pages = document.pages.len();
    let add = pages_to_add(pages);
    if add > 0 {
        let d = Diagnostic::note(format!(
            "the issue has {pages} pages; the print PDF adds {add} blank {} to make {}, a multiple of four",
            if add == 1 { "page" } else { "pages" },
            pages + add
        ))
        .with_code(Code::PagePadding)
        .with_hint("to use those pages, lengthen an article or add a house advertisement");
        out.push(places.edition().put(d));
    }
    out
}

/// Resolution of every placed image, and the colour of every image once.
fn image_findings(
    places: &mut Places,
    document: &Document,
    options: &PreflightOptions,
    out: &mut Vec<Diagnostic>,
) {
    let mut seen: BTreeSet<PathBuf> = BTreeSet::new();
    for (p, page) in document.pages.iter().enumerate() {
        for item in &page.items {
            let Item::Image {
                x,
                y,
                width,
                height,
                image,
                ..
            } = item
            else {
                continue;
            };
            let place = places.image(p, image);
            // Whole ppi, as printers quote them: 299.96 is 300.
            let res = ppi(image.width_px, image.height_px, *width, *height).round();
            let severity = if res < ERROR_PPI && options.print {
                Some(Severity::Error)
            } else if res < WARN_PPI {
                Some(Severity::Warning)
            } else {
                None
            };
            if let Some(severity) = severity {
                let floor = if res < ERROR_PPI {
                    format!("{ERROR_PPI:.0} ppi a print needs at the least")
                } else {
                    format!("{WARN_PPI:.0} ppi print is made at")
                };
                let need = |pt: f32| (pt / 72.0 * WARN_PPI).ceil() as u64;
                // Only the part on the page counts for the size named.
                let shown_w = (x + width).min(page.width) - x.max(0.0);
                let shown_h = (y + height).min(page.height) - y.max(0.0);
                let mut d = Diagnostic::error(format!(
                    "`{}` ({} × {} pixels) is placed {:.0} × {:.0} mm on page {}: {:.0} ppi, under the {floor}",
                    image.rel_path,
                    image.width_px,
                    image.height_px,
                    shown_w.max(0.0) / PT_PER_MM,
                    shown_h.max(0.0) / PT_PER_MM,
                    p + 1,
                    res.floor(),
                ))
                .with_code(Code::ImageResolution)
                .with_hint(format!(
                    "use a larger original, at least {} × {} pixels for {WARN_PPI:.0} ppi at this size, or place it smaller",
                    need(*width),
                    need(*height)
                ));
                d.severity = severity;
                out.push(place.put(d));
            }
            if options.cmyk && seen.insert(image.path.clone()) && colour(image) == Colour::Rgb {
                let d = Diagnostic::note(format!(
                    "`{}` is RGB: the print PDF converts it to CMYK, and bright colours may print duller",
                    image.rel_path
                ))
                .with_code(Code::ImageRgb)
                .with_hint(
                    "for exact colours, convert it to CMYK with the printer's profile and save it as a JPEG",
                );
                out.push(place.put(d));
            }
        }
    }
}

/// How close text may come to the trim, and what the page cuts.
fn text_findings(
    places: &Places,
    edition: &Edition,
    document: &Document,
    out: &mut Vec<Diagnostic>,
) {
    let safety = edition.style.page.safety;
    let mut near: BTreeMap<(Option<PathBuf>, Edge), Group> = BTreeMap::new();
    let mut cut: BTreeMap<Option<PathBuf>, Group> = BTreeMap::new();
    for (p, page) in document.pages.iter().enumerate() {
        let recto = p % 2 == 0;
        for item in &page.items {
            let (x0, y0, x1, y1, run) = match item {
                Item::Text(run) if !run.text.trim().is_empty() => {
                    let (x0, y0, x1, y1) = text_box(run);
                    (x0, y0, x1, y1, Some(run))
                }
                Item::Image {
                    x,
                    y,
                    width,
                    height,
                    image,
                    ..
                } if p > 0 => {
                    // Figures in the columns must stay on the page (the cover's image
                    // fills it, overflowing on purpose).
                    if y + height > page.height + 0.5 || x + width > page.width + 0.5 {
                        let place = places.image_at(p, image);
                        let first = format!("`{}`", image.rel_path);
                        Group::add(&mut cut, place.file.clone(), place, first, p, *y);
                    }
                    continue;
                }
                _ => continue,
            };
            let Some(run) = run else { continue };
            if y1 > page.height + 0.5 || x1 > page.width + 0.5 || x0 < -0.5 || y0 < -0.5 {
                let place = places.text(p, run, None);
                let first = format!("“{}”", excerpt(&run.text));
                Group::add(&mut cut, place.file.clone(), place, first, p, run.y);
                continue;
            }
            if safety <= 0.0 {
                continue;
            }
            let edge = if y0 < safety {
                Edge::Top
            } else if y1 > page.height - safety {
                Edge::Bottom
            } else if x0 < safety {
                if recto { Edge::Inner } else { Edge::Outer }
            } else if x1 > page.width - safety {
                if recto { Edge::Outer } else { Edge::Inner }
            } else {
                continue;
            };
            let place = places.text(p, run, Some(edge));
            let key = (place.file.clone(), edge);
            Group::add(&mut near, key, place, excerpt(&run.text), p, run.y);
        }
    }
    let mm = millimetres(safety);
    for ((_, edge), g) in near {
        let count = g.lines.len();
        let d = Diagnostic::warning(format!(
            "{count} {} of text on {} {} within the {mm} mm safety margin at the {} edge, the first “{}”",
            if count == 1 { "line" } else { "lines" },
            page_list(&g.pages()),
            if count == 1 { "lies" } else { "lie" },
            edge.name(),
            g.first
        ))
        .with_code(Code::SafetyMargin)
        .with_hint(format!(
            "the trim may cut it: make `margins_mm.{}` in the style at least {mm} mm plus the room the line needs, or lower `page.safety_mm` if the printer allows",
            edge.key()
        ));
        out.push(g.place.put(d));
    }
    for (_, g) in cut {
        let d = Diagnostic::warning(format!(
            "{} runs past the trim on {} and is cut",
            g.first,
            page_list(&g.pages())
        ))
        .with_code(Code::Overset)
        .with_hint(
            "shorten it or make it smaller: a block taller than a column is placed anyway and the page cuts it",
        );
        out.push(g.place.put(d));
    }
}

/// Findings of one kind from one file, reported once: where the first is, its text, and
/// the lines (page and baseline) they are on.
struct Group {
    place: Place,
    first: String,
    lines: BTreeSet<(usize, u32)>,
}

impl Group {
    /// Adds a finding on 0-based page `p` at `y` to the group of `key`.
    fn add<K: Ord>(
        groups: &mut BTreeMap<K, Group>,
        key: K,
        place: Place,
        first: String,
        p: usize,
        y: f32,
    ) {
        let group = groups.entry(key).or_insert_with(|| Group {
            place,
            first,
            lines: BTreeSet::new(),
        });
        group.lines.insert((p + 1, y.to_bits()));
    }

    /// The 1-based pages of its findings.
    fn pages(&self) -> BTreeSet<usize> {
        self.lines.iter().map(|&(p, _)| p).collect()
    }
}

/// Points as millimetres, to a tenth, without a trailing `.0`.
fn millimetres(pt: f32) -> String {
    let s = format!("{:.1}", pt / PT_PER_MM);
    s.strip_suffix(".0")
        .map_or_else(|| s.clone(), str::to_string)
}

/// Embedding licences of the faces text is set in.
fn font_findings(places: &Places, document: &Document, out: &mut Vec<Diagnostic>) {
    let used: BTreeSet<FontId> = document
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            Item::Text(run) => Some(run.font),
            _ => None,
        })
        .collect();
    for id in used {
        let Some(face) = document.fonts.get(usize::from(id.0)) else {
            continue;
        };
        let Some(bits) = fs_type(face.bytes(), face.index) else {
            continue;
        };
        let (kind, no_subsetting) = embedding(bits);
        let family = &face.family;
        let mut found = Vec::new();
        match kind {
            Embedding::Allowed => {}
            Embedding::Restricted => found.push(Diagnostic::error(format!(
                "the font `{family}` may not be embedded: its licence bits (OS/2 fsType {bits:#06x}) say restricted licence"
            ))),
            Embedding::BitmapOnly => found.push(Diagnostic::error(format!(
                "the font `{family}` may be embedded as bitmaps only (OS/2 fsType {bits:#06x}); a PDF needs its outlines"
            ))),
            Embedding::PreviewAndPrint => found.push(Diagnostic::warning(format!(
                "the font `{family}` may be embedded for preview and print only (OS/2 fsType {bits:#06x}): the PDF may not be edited"
            ))),
        }
        if no_subsetting && kind.allows_outlines() {
            found.push(Diagnostic::warning(format!(
                "the font `{family}` may not be subset (OS/2 fsType {bits:#06x}), but the PDF embeds only the glyphs it uses"
            )));
        }
        for d in found {
            let d = d.with_code(Code::FontLicence).with_hint(
                "check the font's licence with its vendor, or set the text in another family (`fonts` in the style)",
            );
            out.push(places.font(family).put(d));
        }
    }
}

/// The box a run's type takes: from its origin across its advances, 0.8 em above the
/// baseline to 0.2 em below (the body of most Latin type).
fn text_box(run: &TextRun) -> (f32, f32, f32, f32) {
    let advance: f32 = run.glyphs.iter().map(|g| g.x_advance).sum();
    (
        run.x,
        run.y - 0.8 * run.size,
        run.x + advance,
        run.y + 0.2 * run.size,
    )
}

/// The first words of a run, for a message.
fn excerpt(text: &str) -> String {
    let text = text.trim();
    let mut out: String = text.chars().take(40).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}

/// "page 3", "pages 2, 3, 5", at most six numbers.
fn page_list(pages: &BTreeSet<usize>) -> String {
    let shown: Vec<String> = pages.iter().take(6).map(usize::to_string).collect();
    let more = if pages.len() > 6 { ", …" } else { "" };
    match pages.len() {
        1 => format!("page {}", shown[0]),
        _ => format!("pages {}{more}", shown.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_to_add_reaches_a_multiple_of_four() {
        let added: Vec<usize> = (1..=9).map(pages_to_add).collect();
        assert_eq!(added, [3, 2, 1, 0, 3, 2, 1, 0, 3]);
        assert_eq!(pages_to_add(0), 0);
    }

    /// The base test edition and its layout.
    fn base() -> (Edition, Document) {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/base");
        let edition = crate::edition::load(&root).unwrap();
        let document = crate::layout::layout(&edition).unwrap().document;
        (edition, document)
    }

    fn coded(found: &[Diagnostic], code: Code) -> Vec<&Diagnostic> {
        found.iter().filter(|d| d.code == Some(code)).collect()
    }

    #[test]
    fn text_past_the_trim_and_stranded_pages_point_at_the_article() {
        let (edition, mut document) = base();
        let found = run(&edition, &document, &PreflightOptions::default());
        assert!(coded(&found, Code::Overset).is_empty(), "{found:?}");
        assert!(coded(&found, Code::Stranded).is_empty(), "{found:?}");

        // A line of the first article's paragraph set again below the foot of its page.
        let p = document.fits[0].first_page - 1;
        let page = &mut document.pages[p];
        let line = page
            .items
            .iter()
            .find_map(|i| match i {
                Item::Text(r) if r.text.contains("paragraph that") => Some(r.clone()),
                _ => None,
            })
            .expect("the paragraph is set");
        let below = TextRun {
            y: page.height + 30.0,
            ..line
        };
        page.items.push(Item::Text(below));
        document.fits[0].stranded = true;
        let found = run(&edition, &document, &PreflightOptions::default());
        let cut = coded(&found, Code::Overset);
        assert_eq!(cut.len(), 1, "{found:?}");
        assert!(cut[0].file.as_ref().unwrap().ends_with("articles/one.md"));
        assert_eq!(cut[0].span.unwrap().line, 7, "{:?}", cut[0]);
        assert!(
            cut[0].message.contains("runs past the trim on page 3"),
            "{}",
            cut[0].message
        );
        // Stranded: at the article's last block, the figure on line 9.
        let stranded = coded(&found, Code::Stranded);
        assert_eq!(stranded.len(), 1, "{found:?}");
        assert_eq!(stranded[0].severity, Severity::Warning);
        assert!(
            stranded[0]
                .file
                .as_ref()
                .unwrap()
                .ends_with("articles/one.md")
        );
        assert_eq!(stranded[0].span.unwrap().line, 9);
    }

    #[test]
    fn low_resolution_is_an_error_for_print_only() {
        let (edition, document) = base();
        // The base cover is 480 pixels across the page: about 30 ppi.
        let print = run(&edition, &document, &PreflightOptions::default());
        let cover = coded(&print, Code::ImageResolution);
        assert_eq!(cover[0].severity, Severity::Error);
        assert!(cover[0].file.as_ref().unwrap().ends_with("edition.toml"));
        assert_eq!(cover[0].span.unwrap().line, 6);
        let archive = PreflightOptions {
            print: false,
            cmyk: false,
        };
        let found = run(&edition, &document, &archive);
        assert!(found.iter().all(|d| !d.is_error()), "{found:?}");
        assert!(coded(&found, Code::ImageRgb).is_empty(), "{found:?}");
    }

    #[test]
    fn page_lists_are_short() {
        let one: BTreeSet<usize> = [3].into();
        assert_eq!(page_list(&one), "page 3");
        let many: BTreeSet<usize> = (1..=8).collect();
        assert_eq!(page_list(&many), "pages 1, 2, 3, 4, 5, 6, …");
    }
}
