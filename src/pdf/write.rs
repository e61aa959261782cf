//! Frames to PDF bytes. The only module that touches the PDF library (krilla).
//!
//! The frames are checked first (font ids, glyph ranges, page references), because krilla
//! panics on some invalid input; then every page is drawn, the outline, page labels and
//! metadata are attached, and krilla serialises the file. The archive variant is tagged
//! PDF/A-2a and PDF/UA-1: every item is drawn in marked content (its structure node's, or
//! an artifact), the tag tree is built from the frames' structure, krilla embeds subset
//! fonts, writes XMP metadata and an sRGB output intent, and refuses to finish (we return
//! its findings as an error) when the content breaks a standard, for example a glyph that
//! is missing from its font (`.notdef`). The `meta` module then appends the metadata krilla
//! cannot write.

use std::collections::BTreeMap;
use std::num::{NonZeroU32, NonZeroU64};
use std::ops::Range;
use std::path::PathBuf;

use krilla::action::{Action, LinkAction};
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::rgb;
use krilla::configure::{
    Accessibility, Archival, ConfigurationBuilder, PdfVersion, ValidationError, Validator,
};
use krilla::destination::{Destination, XyzDestination};
use krilla::error::KrillaError;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::icc::ICCProfile;
use krilla::image::Image as PdfImage;
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::{NumberingStyle, PageLabel as PdfPageLabel, PageSettings};
use krilla::paint::{Fill, FillRule};
use krilla::surface::{Location, Surface};
use krilla::tagging::{
    Artifact, ArtifactType, ContentTag, Identifier, ListNumbering, Node, SpanTag, Tag, TagGroup,
    TagKind, TagTree,
};
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Data, Document as PdfDocument, SerializeSettings};

use crate::layout::frame::{
    Document, FontFace, FontId, Item, LinkTarget, NodeId, NodeKind, OutlineEntry, PageLabel,
    PartKind, StructPart, TextRun, glyph_range,
};
use crate::model::{ImageFormat, Rgb};

/// The standard the written file claims and krilla checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Conformance {
    /// Tagged PDF/A-2a and PDF/UA-1 on PDF 1.7: the archive PDF.
    #[default]
    PdfA2aUa1,
    /// PDF/A-2b on PDF 1.7, untagged.
    PdfA2b,
    /// Plain PDF 1.7 without a conformance claim (no PDF/A checks).
    Plain,
}

/// How to write the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WriteOptions {
    /// The conformance level to claim and check.
    pub conformance: Conformance,
}

/// Serialises `doc`: subset embedded fonts with exact text mapping, images (JPEG passed
/// through), links, nested outline, page labels, metadata and, for the archive variant
/// (tagged PDF/A-2a and PDF/UA-1), the structure tree. Deterministic bytes.
pub fn write(doc: &Document) -> Result<Vec<u8>, String> {
    write_with(doc, &WriteOptions::default())
}

/// [`write()`] with explicit options.
pub fn write_with(doc: &Document, options: &WriteOptions) -> Result<Vec<u8>, String> {
    check(doc)?;

    let tagged = options.conformance == Conformance::PdfA2aUa1;
    let mut pdf = PdfDocument::new_with(settings(options.conformance, draws_jpeg(doc))?);
    let mut marks = Marks::default();
    let mut fonts = Fonts::new(&doc.fonts);
    let mut images: BTreeMap<PathBuf, PdfImage> = BTreeMap::new();
    // Location n (1-based) is `places[n - 1]`: the page and item krilla reports errors at.
    let mut places: Vec<(usize, usize)> = Vec::new();

    for (page_index, page) in doc.pages.iter().enumerate() {
        let size = Rect::from_xywh(0.0, 0.0, page.width, page.height)
            .ok_or_else(|| format!("page {}: invalid size", page_index + 1))?;
        let page_settings = PageSettings::from_wh(page.width, page.height)
            .ok_or_else(|| format!("page {}: invalid size", page_index + 1))?
            .with_trim_box(Some(size))
            .with_bleed_box(Some(size))
            .with_art_box(Some(size))
            .with_page_label(page_label(page.label));
        let mut pdf_page = pdf.start_page_with(page_settings);
        let mut surface = pdf_page.surface();
        let mut links = Vec::new();
        for (item_index, item) in page.items.iter().enumerate() {
            places.push((page_index, item_index));
            let location = NonZeroU64::new(places.len() as u64).unwrap_or(NonZeroU64::MIN);
            surface.set_location(location);
            // A drop cap's glyphs stand for no text (the line beside it carries the
            // initial); a tagged file must still map every glyph to a character, so the
            // cap gets its letters back inside a span whose actual text is empty.
            let restored = match item {
                Item::Text(run) if tagged => restore_text(run, &doc.fonts),
                _ => None,
            };
            if tagged {
                marks.start(&mut surface, item, restored.is_some());
            }
            match item {
                Item::Text(run) => {
                    let font = fonts.get(run.font)?;
                    draw_text(
                        &mut surface,
                        restored.as_ref().unwrap_or(run),
                        font,
                        location,
                    );
                }
                Item::Rect {
                    x,
                    y,
                    width,
                    height,
                    colour,
                } => draw_rect(&mut surface, *x, *y, *width, *height, *colour),
                Item::Image {
                    x,
                    y,
                    width,
                    height,
                    image,
                    ..
                } => {
                    let pdf_image = match images.get(&image.path) {
                        Some(i) => i.clone(),
                        None => {
                            let i = load_image(image)?;
                            images.insert(image.path.clone(), i.clone());
                            i
                        }
                    };
                    if let Some(size) = Size::from_wh(*width, *height) {
                        surface.push_transform(&Transform::from_translate(*x, *y));
                        surface.draw_image(pdf_image, size);
                        surface.pop();
                    }
                }
                Item::Link {
                    x,
                    y,
                    width,
                    height,
                    target,
                    node,
                } => {
                    if let Some(link) = link_annotation(*x, *y, *width, *height, target, location) {
                        links.push((link, *node));
                    }
                }
                Item::Clip {
                    x,
                    y,
                    width,
                    height,
                } => push_clip(&mut surface, *x, *y, *width, *height),
                Item::EndClip => surface.pop(),
            }
            if tagged {
                marks.end(&mut surface, item);
            }
            surface.reset_location();
        }
        surface.finish();
        for (link, node) in links {
            match node {
                Some(node) if tagged => {
                    let id = pdf_page.add_tagged_annotation(link);
                    marks.links.entry(node).or_default().push(id);
                }
                _ => pdf_page.add_annotation(link),
            }
        }
        pdf_page.finish();
    }

    if !doc.outline.is_empty() {
        let mut outline = Outline::new();
        for entry in &doc.outline {
            outline.push_child(outline_node(entry, true));
        }
        pdf.set_outline(outline);
    }
    pdf.set_metadata(metadata(doc));
    if tagged {
        pdf.set_tag_tree(tag_tree(&doc.structure, &doc.meta.language, marks));
    }

    let bytes = pdf
        .finish()
        .map_err(|e| describe_error(e, &places, &fonts, doc))?;
    super::meta::update(bytes, &doc.meta)
}

/// Whether a page of `doc` draws a JPEG: only a JPEG can bring CMYK into the archive PDF.
fn draws_jpeg(doc: &Document) -> bool {
    doc.pages
        .iter()
        .flat_map(|p| &p.items)
        .any(|item| matches!(item, Item::Image { image, .. } if image.format == ImageFormat::Jpeg))
}

/// krilla settings for `conformance`: compressed streams, tagging for the archive
/// variant, binary, PDF 1.7. The CMYK profile is given only when `cmyk_images` may need
/// it: krilla compresses it as soon as it is made (155 KB, a few milliseconds a build).
pub(crate) fn settings(
    conformance: Conformance,
    cmyk_images: bool,
) -> Result<SerializeSettings, String> {
    let mut builder = ConfigurationBuilder::new().with_version(PdfVersion::Pdf17);
    match conformance {
        Conformance::PdfA2aUa1 => {
            builder = builder
                .with_archival_validator(Archival::A2_A)
                .with_accessibility_validator(Accessibility::UA1);
        }
        Conformance::PdfA2b => builder = builder.set_validator(Validator::A(Archival::A2_B)),
        Conformance::Plain => {}
    }
    let configuration = builder
        .finish()
        .map_err(|e| format!("PDF configuration: {e:?}"))?;
    Ok(SerializeSettings {
        pretty: false,
        compress_content_streams: true,
        ascii_compatible: false,
        xmp_metadata: true,
        enable_tagging: conformance == Conformance::PdfA2aUa1,
        // CMYK images (JPEGs passed through) are drawn in this profile's space: PDF/A
        // wants every colour device-independent, and krilla refuses device CMYK there.
        cmyk_profile: if cmyk_images {
            ICCProfile::new(super::CMYK_PROFILE)
        } else {
            None
        },
        configuration,
        ..SerializeSettings::default()
    })
}

/// The marked content of the pages, by structure node, in page order: what the tag
/// tree's leaves are made of.
#[derive(Default)]
struct Marks {
    content: BTreeMap<NodeId, Vec<Identifier>>,
    links: BTreeMap<NodeId, Vec<Identifier>>,
}

impl Marks {
    /// Opens the marked content `item` is drawn in: its node's when it has one, else an
    /// artifact (running heads, folios and rules are page furniture). Links are
    /// annotations, not content.
    fn start(&mut self, surface: &mut Surface, item: &Item, silent: bool) {
        let (node, tag) = match item {
            Item::Text(run) if silent => (
                run.node,
                ContentTag::Span(SpanTag::empty().with_actual_text(Some(""))),
            ),
            // A phrase marked as another language carries its language (`/Lang`).
            Item::Text(run) => (
                run.node,
                ContentTag::Span(SpanTag::empty().with_lang(run.lang.as_deref())),
            ),
            Item::Image { node, .. } => (*node, ContentTag::Other),
            Item::Rect { .. } => (None, ContentTag::Other),
            // Links are annotations; clips change the graphics state, draw nothing.
            Item::Link { .. } | Item::Clip { .. } | Item::EndClip => return,
        };
        match node {
            Some(node) => {
                let id = surface.start_tagged(tag);
                self.content.entry(node).or_default().push(id);
            }
            None if silent => {
                surface.start_tagged(ContentTag::Span(
                    SpanTag::empty().with_actual_text(Some("")),
                ));
            }
            None => {
                let kind = match item {
                    Item::Text(_) => ArtifactType::PaginationOther,
                    _ => ArtifactType::Layout,
                };
                surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(kind)));
            }
        }
    }

    /// Closes what [`Marks::start`] opened.
    fn end(&mut self, surface: &mut Surface, item: &Item) {
        if !matches!(item, Item::Link { .. } | Item::Clip { .. } | Item::EndClip) {
            surface.end_tagged();
        }
    }
}

/// A run whose glyphs all stand for no text (a drop cap whose letters the line beside it
/// carries) with each glyph's character found in the font's character map; `None` for
/// any other run, or when a glyph has no character.
fn restore_text(run: &TextRun, fonts: &[FontFace]) -> Option<TextRun> {
    if run.glyphs.is_empty() || run.glyphs.iter().any(|g| !g.range.is_empty()) {
        return None;
    }
    let face = fonts.get(usize::from(run.font.0))?;
    let face = rustybuzz::ttf_parser::Face::parse(face.bytes(), face.index).ok()?;
    let cmap = face.tables().cmap?;
    let mut restored = run.clone();
    restored.text.clear();
    for g in &mut restored.glyphs {
        let mut found = None;
        for table in cmap.subtables.into_iter().filter(|t| t.is_unicode()) {
            table.codepoints(|c| {
                if found.is_none()
                    && table.glyph_index(c).map(|i| i.0) == Some(g.id)
                    && let Some(ch) = char::from_u32(c)
                {
                    found = Some(ch);
                }
            });
            if found.is_some() {
                break;
            }
        }
        let start = restored.text.len();
        restored.text.push(found?);
        g.range = glyph_range(start..restored.text.len());
    }
    Some(restored)
}

/// The structure tree: the document (in the edition's language) › one section for the
/// cover, one for the contents, one article per article (with its language when it
/// differs) › the article's nodes, each with its marked content in page order, then its
/// links, then its child nodes. Notes follow the other children of their parent.
fn tag_tree(parts: &[StructPart], language: &str, mut marks: Marks) -> TagTree {
    let mut tree = TagTree::new().with_lang((!language.is_empty()).then(|| language.to_string()));
    for (p, part) in parts.iter().enumerate() {
        let kind: TagKind = match part.kind {
            PartKind::Article => Tag::Article.with_lang(part.lang.clone()).into(),
            PartKind::Cover | PartKind::Contents => {
                Tag::Section.with_lang(part.lang.clone()).into()
            }
        };
        let mut group = TagGroup::new(kind);
        let children = part_children(part);
        for &child in &children[part.nodes.len()] {
            group.push(node_group(p as u32, part, &children, child, &mut marks));
        }
        tree.push(group);
    }
    tree
}

/// The children of every node of `part`, notes last, found in one pass over its nodes
/// (a scan per node made a 20,000-item list quadratic). Entry `i` lists node `i`'s
/// children; the extra last entry lists the nodes directly under the part.
fn part_children(part: &StructPart) -> Vec<Vec<u32>> {
    let nodes = &part.nodes;
    children_index(nodes.len(), |i| {
        (nodes[i].parent, nodes[i].kind == NodeKind::Note)
    })
}

/// [`part_children`] over `len` nodes, `node(i)` giving node `i`'s parent and whether it
/// is a note: two passes (notes in the second, so they follow their siblings in order),
/// each asking for every node once. A parent out of range (never made by the flow)
/// leaves its node out, as a search by parent would.
fn children_index(len: usize, mut node: impl FnMut(usize) -> (Option<u32>, bool)) -> Vec<Vec<u32>> {
    let mut children = vec![Vec::new(); len + 1];
    for notes in [false, true] {
        for i in 0..len {
            let (parent, note) = node(i);
            if note == notes
                && let Some(list) = children.get_mut(parent.map_or(len, |p| p as usize))
            {
                list.push(i as u32);
            }
        }
    }
    children
}

/// One node as a tag group with its content, links and children.
fn node_group(
    p: u32,
    part: &StructPart,
    children: &[Vec<u32>],
    index: u32,
    marks: &mut Marks,
) -> Node {
    let node = &part.nodes[index as usize];
    let id = NodeId { part: p, index };
    let mut group = TagGroup::new(tag_kind(node.kind, node.alt.clone()));
    for leaf in marks.content.remove(&id).unwrap_or_default() {
        group.push(leaf);
    }
    for link in marks.links.remove(&id).unwrap_or_default() {
        group.push(TagGroup::with_children(Tag::Link, vec![link.into()]));
    }
    for &child in &children[index as usize] {
        group.push(node_group(p, part, children, child, marks));
    }
    group.into()
}

/// The PDF structure type of a node kind (PDF 1.7 has no `Aside`: a pull quote is a
/// `Div`, marked as a quotation of the article's own text by its position).
fn tag_kind(kind: NodeKind, alt: Option<String>) -> TagKind {
    match kind {
        NodeKind::Heading(level) => {
            let level = std::num::NonZeroU16::new(u16::from(level.clamp(1, 6)))
                .unwrap_or(std::num::NonZeroU16::MIN);
            Tag::Hn(level, alt).into()
        }
        NodeKind::Paragraph => Tag::P.into(),
        NodeKind::List { numbered } => Tag::L(if numbered {
            ListNumbering::Decimal
        } else {
            ListNumbering::Disc
        })
        .into(),
        NodeKind::ListItem => Tag::LI.into(),
        NodeKind::Label => Tag::Lbl.into(),
        NodeKind::ListBody => Tag::LBody.into(),
        NodeKind::Table => Tag::Table.into(),
        NodeKind::Row => Tag::TR.into(),
        NodeKind::HeaderCell => Tag::TH(krilla::tagging::TableHeaderScope::Column).into(),
        NodeKind::Cell => Tag::TD.into(),
        NodeKind::Figure => Tag::Figure(Some(alt.unwrap_or_default())).into(),
        NodeKind::Caption => Tag::Caption.into(),
        NodeKind::Note => Tag::Note.into(),
        NodeKind::Aside => Tag::Div.into(),
        NodeKind::BlockQuote => Tag::BlockQuote.into(),
        NodeKind::Code => Tag::Code.into(),
    }
}

/// Rejects frames krilla would panic on or silently mangle, with a message that names the
/// page and item.
pub(crate) fn check(doc: &Document) -> Result<(), String> {
    let fonts = &doc.fonts;
    if doc.pages.is_empty() {
        return Err("the document has no pages".into());
    }
    let glyph_counts: Vec<Option<u16>> = fonts
        .iter()
        .map(|f| {
            rustybuzz::ttf_parser::Face::parse(f.bytes(), f.index)
                .ok()
                .map(|face| face.number_of_glyphs())
        })
        .collect();
    let pages = doc.pages.len();
    for (p, page) in doc.pages.iter().enumerate() {
        let at = |i: usize| format!("page {}, item {}", p + 1, i + 1);
        if !(page.width.is_finite() && page.height.is_finite())
            || page.width <= 0.0
            || page.height <= 0.0
        {
            return Err(format!(
                "page {}: invalid size {} × {} pt",
                p + 1,
                page.width,
                page.height
            ));
        }
        match page.label {
            PageLabel::Roman(0) | PageLabel::Arabic(0) => {
                return Err(format!("page {}: page label numbers start at 1", p + 1));
            }
            _ => {}
        }
        let mut clips = 0usize;
        for (i, item) in page.items.iter().enumerate() {
            match item {
                Item::Text(run) => {
                    let Some(count) = glyph_counts.get(run.font.0 as usize) else {
                        return Err(format!(
                            "{}: font {} is not in the document's fonts ({} fonts)",
                            at(i),
                            run.font.0,
                            fonts.len()
                        ));
                    };
                    let Some(count) = count else {
                        let family = &fonts[usize::from(run.font.0)].family;
                        return Err(format!("{}: the font `{family}` cannot be read", at(i)));
                    };
                    if !(run.size.is_finite() && run.size > 0.0) {
                        return Err(format!("{}: invalid font size {}", at(i), run.size));
                    }
                    if !(run.h_scale.is_finite() && run.h_scale > 0.0) {
                        return Err(format!(
                            "{}: invalid horizontal scale {}",
                            at(i),
                            run.h_scale
                        ));
                    }
                    for g in &run.glyphs {
                        if g.id >= *count {
                            return Err(format!(
                                "{}: glyph {} is not in font `{}` ({count} glyphs)",
                                at(i),
                                g.id,
                                fonts[usize::from(run.font.0)].family
                            ));
                        }
                        let r = g.text_range();
                        if r.start > r.end
                            || r.end > run.text.len()
                            || !run.text.is_char_boundary(r.start)
                            || !run.text.is_char_boundary(r.end)
                        {
                            return Err(format!(
                                "{}: glyph range {r:?} does not fit the text {:?}",
                                at(i),
                                run.text
                            ));
                        }
                    }
                }
                Item::Link {
                    target: LinkTarget::Page { page: target, .. },
                    ..
                } if *target >= pages => {
                    return Err(format!("{}: link to page {} of {pages}", at(i), target + 1));
                }
                Item::Clip { .. } => clips += 1,
                Item::EndClip if clips == 0 => {
                    return Err(format!("{}: a clip ends that was not started", at(i)));
                }
                Item::EndClip => clips -= 1,
                _ => {}
            }
        }
        if clips > 0 {
            return Err(format!("page {}: {clips} clip(s) not ended", p + 1));
        }
    }
    fn check_outline(entries: &[OutlineEntry], pages: usize) -> Result<(), String> {
        for e in entries {
            if e.page >= pages {
                return Err(format!(
                    "outline entry `{}` points to page {} of {pages}",
                    e.title,
                    e.page + 1
                ));
            }
            check_outline(&e.children, pages)?;
        }
        Ok(())
    }
    check_outline(&doc.outline, pages)
}

/// krilla fonts, made once per [`FontId`] and reused for every run.
pub(crate) struct Fonts<'a> {
    faces: &'a [FontFace],
    made: Vec<Option<Font>>,
}

impl<'a> Fonts<'a> {
    pub(crate) fn new(faces: &'a [FontFace]) -> Self {
        Fonts {
            faces,
            made: vec![None; faces.len()],
        }
    }

    pub(crate) fn get(&mut self, id: FontId) -> Result<Font, String> {
        let slot = self
            .made
            .get_mut(id.0 as usize)
            .ok_or_else(|| format!("font {} is not in the document's fonts", id.0))?;
        if let Some(font) = slot {
            return Ok(font.clone());
        }
        let loaded = &self.faces[usize::from(id.0)];
        let font = Font::new(Data::from(loaded.data.clone()), loaded.index)
            .ok_or_else(|| format!("the font `{}` cannot be read", loaded.family))?;
        *slot = Some(font.clone());
        Ok(font)
    }

    /// The family name of a krilla font made here, for error messages.
    fn family_of(&self, font: &Font) -> Option<&str> {
        self.made
            .iter()
            .position(|f| f.as_ref() == Some(font))
            .map(|i| self.faces[i].family.as_str())
    }
}

/// The colour as a krilla fill (sRGB; PDF/A makes it ICC-based).
fn fill(colour: Rgb) -> Fill {
    Fill {
        paint: rgb::Color::new(colour.0, colour.1, colour.2).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

/// Draws one run. Horizontal scaling is a transform around the run's origin; advances and
/// offsets are divided by the scale so that glyphs still land where the frame says, only
/// wider or narrower.
fn draw_text(surface: &mut Surface, run: &TextRun, font: Font, location: Location) {
    draw_text_in(surface, run, font, location, fill(run.colour));
}

/// [`draw_text`] in the colour `paint` (the print PDF's CMYK).
pub(crate) fn draw_text_in(
    surface: &mut Surface,
    run: &TextRun,
    font: Font,
    location: Location,
    paint: Fill,
) {
    if run.glyphs.is_empty() {
        return;
    }
    let glyphs = krilla_glyphs(run, location);
    surface.set_fill(Some(paint));
    if approx_one(run.h_scale) {
        surface.draw_glyphs(
            Point::from_xy(run.x, run.y),
            &glyphs,
            font,
            &run.text,
            run.size,
            false,
        );
    } else {
        surface.push_transform(&Transform::from_row(
            run.h_scale,
            0.0,
            0.0,
            1.0,
            run.x,
            run.y,
        ));
        surface.draw_glyphs(
            Point::from_xy(0.0, 0.0),
            &glyphs,
            font,
            &run.text,
            run.size,
            false,
        );
        surface.pop();
    }
}

fn approx_one(v: f32) -> bool {
    (v - 1.0).abs() < 1e-4
}

/// Our glyphs (points) as krilla glyphs (em units at the run's size, divided by the
/// horizontal scale). A glyph with an empty text range continues the previous glyph's
/// cluster: krilla wants every glyph of a cluster to carry the cluster's range, so that it
/// maps the text once (to the first glyph) and copies it exactly.
///
/// Positions are rounded to the text-space unit of PDF glyph adjustments (1/1000 em),
/// from the run's origin so that rounding never accumulates: 0.01 pt at 10 pt is far
/// below what any device shows, and whole-number adjustments make the content streams
/// about half as long and quicker to compress.
fn krilla_glyphs(run: &TextRun, location: Location) -> Vec<KrillaGlyph> {
    let em = run.size;
    let sx = run.size * run.h_scale;
    let mut previous: Option<Range<usize>> = None;
    let mut exact = 0.0f64;
    let mut placed = 0i64;
    run.glyphs
        .iter()
        .map(|g| {
            let range = match &previous {
                Some(p) if g.range.is_empty() => p.clone(),
                _ => g.text_range(),
            };
            previous = Some(range.clone());
            exact += f64::from(g.x_advance / sx);
            let end = (exact * EM_UNITS).round() as i64;
            let advance = (end - placed) as f32 / EM_UNITS as f32;
            placed = end;
            KrillaGlyph::new(
                GlyphId::new(u32::from(g.id)),
                advance,
                quantise(g.x_offset / sx),
                quantise(g.y_offset / em),
                0.0,
                range,
                Some(location),
            )
        })
        .collect()
}

/// Thousandths of an em: the unit of glyph adjustments in PDF text.
const EM_UNITS: f64 = 1000.0;

fn quantise(em: f32) -> f32 {
    (f64::from(em) * EM_UNITS).round() as f32 / EM_UNITS as f32
}

fn draw_rect(surface: &mut Surface, x: f32, y: f32, width: f32, height: f32, colour: Rgb) {
    draw_rect_in(surface, x, y, width, height, fill(colour));
}

/// [`draw_rect`] in the colour `paint` (the print PDF's CMYK).
pub(crate) fn draw_rect_in(
    surface: &mut Surface,
    x: f32,
    y: f32,
    width: f32,
    height: f32,
    paint: Fill,
) {
    let Some(rect) = Rect::from_xywh(x, y, width, height) else {
        return; // Zero or negative size: nothing to show.
    };
    let mut builder = PathBuilder::new();
    builder.push_rect(rect);
    if let Some(path) = builder.finish() {
        surface.set_fill(Some(paint));
        surface.draw_path(&path);
    }
}

/// Starts clipping to a rectangle; one without area hides everything up to the matching
/// `EndClip`. [`check`] has made sure every clip is ended on its page.
fn push_clip(surface: &mut Surface, x: f32, y: f32, width: f32, height: f32) {
    let rect = Rect::from_xywh(x, y, width, height)
        .or_else(|| Rect::from_xywh(-2.0, -2.0, 1.0, 1.0))
        .unwrap_or_else(|| unreachable!("a 1 pt square is a rectangle"));
    let mut builder = PathBuilder::new();
    builder.push_rect(rect);
    let path = builder
        .finish()
        .unwrap_or_else(|| unreachable!("a rectangle makes a path"));
    surface.push_clip_path(&path, &FillRule::NonZero);
}

/// The image as krilla embeds it: JPEG bytes are passed through (DCTDecode), PNG is decoded
/// and recompressed. No interpolation (PDF/A forbids it).
pub(crate) fn load_image(image: &crate::model::Image) -> Result<PdfImage, String> {
    let data = Data::from(image.data.clone());
    let made = match image.format {
        ImageFormat::Jpeg => PdfImage::from_jpeg(data, false),
        ImageFormat::Png => PdfImage::from_png(data, false),
    };
    made.map_err(|e| format!("{}: cannot embed the image: {e}", image.path.display()))
}

fn link_annotation(
    x: f32,
    y: f32,
    width: f32,
    height: f32,
    target: &LinkTarget,
    location: Location,
) -> Option<Annotation> {
    let rect = Rect::from_xywh(x, y, width, height)?;
    let (target, alt) = match target {
        LinkTarget::Url(url) => (
            Target::Action(Action::Link(LinkAction::new(url.clone()))),
            url.clone(),
        ),
        LinkTarget::Page { page, y } => (
            Target::Destination(Destination::Xyz(XyzDestination::new(
                *page,
                Point::from_xy(0.0, *y),
            ))),
            format!("Go to page {}", page + 1),
        ),
    };
    Some(
        Annotation::new_link(LinkAnnotation::new(rect, target), Some(alt))
            .with_location(Some(location)),
    )
}

pub(crate) fn outline_node(entry: &OutlineEntry, open: bool) -> OutlineNode {
    let destination = XyzDestination::new(entry.page, Point::from_xy(0.0, entry.y));
    let mut node = OutlineNode::new(entry.title.clone(), destination).with_open(open);
    for child in &entry.children {
        node.push_child(outline_node(child, false));
    }
    node
}

/// A page label in its numeral style (quire's layout uses arabic throughout).
pub(crate) fn page_label(label: PageLabel) -> PdfPageLabel {
    let (style, n) = match label {
        PageLabel::Roman(n) => (NumberingStyle::LowerRoman, n),
        PageLabel::Arabic(n) => (NumberingStyle::Arabic, n),
    };
    PdfPageLabel::new(Some(style), None, NonZeroU32::new(n))
}

/// Document information and XMP. The dates are the edition's date (never the clock); the
/// document ID is derived by krilla from `document_id`, so rebuilding an edition keeps it.
pub(crate) fn metadata(doc: &Document) -> Metadata {
    let meta = &doc.meta;
    let (year, month, day) = meta.date;
    let mut m = Metadata::new()
        .title(meta.title.clone())
        .authors(meta.authors.clone())
        .keywords(meta.keywords.clone())
        .creator("quire".into())
        .producer("quire".into())
        .creation_date(DateTime::new(year).month(month).day(day))
        .document_id(format!("{}|{year:04}-{month:02}-{day:02}", meta.title));
    if !meta.language.is_empty() {
        m = m.language(meta.language.clone());
    }
    if let Some(subject) = &meta.subject {
        m = m.description(subject.clone());
    }
    m
}

/// A krilla error as one readable message; validation findings name the page and item.
pub(crate) fn describe_error(
    error: KrillaError,
    places: &[(usize, usize)],
    fonts: &Fonts,
    doc: &Document,
) -> String {
    let place = |location: Option<Location>| -> String {
        location
            .and_then(|l| places.get((l.get() - 1) as usize))
            .map(|(p, i)| format!("page {}, item {}: ", p + 1, i + 1))
            .unwrap_or_default()
    };
    let family = |font: &Font| fonts.family_of(font).unwrap_or("?").to_string();
    match error {
        KrillaError::Validation(errors) => {
            let mut lines = vec![format!(
                "the PDF breaks its standard in {} place(s):",
                errors.len()
            )];
            for (e, validators) in errors {
                let standard = validators
                    .into_iter()
                    .map(|v| v.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                let what = match e {
                    ValidationError::ContainsNotDefGlyph(font, location, text) => format!(
                        "{}the font `{}` has no glyph for {text:?} (.notdef drawn)",
                        place(location),
                        family(&font)
                    ),
                    ValidationError::NoCodepointMapping(font, glyph, location) => format!(
                        "{}glyph {} of `{}` maps to no text",
                        place(location),
                        glyph.to_u32(),
                        family(&font)
                    ),
                    ValidationError::InvalidCodepointMapping(font, glyph, c, location)
                    | ValidationError::UnicodePrivateArea(font, glyph, c, location) => format!(
                        "{}glyph {} of `{}` maps to the invalid character U+{:04X}",
                        place(location),
                        glyph.to_u32(),
                        family(&font),
                        c as u32
                    ),
                    ValidationError::RestrictedLicense(font) => format!(
                        "the licence of the font `{}` forbids embedding it",
                        family(&font)
                    ),
                    ValidationError::NoDocumentTitle => "the document has no title".into(),
                    ValidationError::MissingDocumentDate => "the document has no date".into(),
                    ValidationError::MissingCMYKProfile => {
                        "a CMYK image needs an ICC profile; convert it to RGB".into()
                    }
                    ValidationError::TooLongString => {
                        "a text string (title, description, bookmark or alternative text) is longer than 32,767 bytes".into()
                    }
                    ValidationError::TooLongName => {
                        "a font's name is longer than 127 bytes".into()
                    }
                    ValidationError::TooManyIndirectObjects => {
                        "the edition needs more than 8,388,607 PDF objects; split it".into()
                    }
                    other => format!("{other:?}"),
                };
                lines.push(format!("  - {what} ({standard})"));
            }
            lines.join("\n")
        }
        KrillaError::Font(font, message) => {
            format!("cannot embed the font `{}`: {message}", family(&font))
        }
        KrillaError::Image(_, location, message) => {
            let image = location
                .and_then(|l| places.get((l.get() - 1) as usize))
                .and_then(|(p, i)| match doc.pages[*p].items.get(*i) {
                    Some(Item::Image { image, .. }) => Some(image.path.display().to_string()),
                    _ => None,
                })
                .unwrap_or_default();
            format!(
                "{}cannot embed the image {image}: {message}",
                place(location)
            )
        }
        other => format!("cannot write the PDF: {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::frame::{Glyph, Page};

    fn run(glyphs: Vec<Glyph>, text: &str) -> TextRun {
        TextRun {
            x: 10.0,
            y: 20.0,
            font: FontId(0),
            size: 10.0,
            colour: Rgb(0, 0, 0),
            text: text.into(),
            glyphs,
            h_scale: 1.0,
            node: None,
            source: None,
            lang: None,
        }
    }

    fn glyph(id: u16, advance: f32, range: Range<u32>) -> Glyph {
        Glyph {
            id,
            x_advance: advance,
            x_offset: 0.0,
            y_offset: 0.0,
            range,
        }
    }

    /// A small tree: two paragraphs and a note under the part, a list whose item holds a
    /// note before a paragraph, and a node whose parent does not exist.
    #[test]
    fn children_are_in_node_order_with_notes_last() {
        let nodes: [(Option<u32>, bool); 8] = [
            (None, false),     // 0 paragraph
            (None, true),      // 1 note
            (None, false),     // 2 list
            (Some(2), false),  // 3 item
            (Some(3), true),   // 4 note in the item
            (Some(3), false),  // 5 paragraph in the item
            (None, false),     // 6 paragraph
            (Some(99), false), // 7 orphan
        ];
        let index = children_index(nodes.len(), |i| nodes[i]);
        assert_eq!(index[nodes.len()], vec![0, 2, 6, 1]);
        assert_eq!(index[2], vec![3]);
        assert_eq!(index[3], vec![5, 4]);
        assert!(index[0].is_empty() && index[7].is_empty());
        assert_eq!(index.iter().map(Vec::len).sum::<usize>(), 7);
    }

    /// The structure tree of a long list asks for each node a fixed number of times, so
    /// its work grows with the nodes, not with their square (a search of all nodes per
    /// node made a 5 MB list take 35 s in the PDF writer).
    #[test]
    fn the_children_index_reads_each_node_a_fixed_number_of_times() {
        let reads = |items: usize| {
            // A list › items › (label, body › paragraph), as the flow makes them.
            let mut nodes = vec![(None, false)];
            for _ in 0..items {
                let item = nodes.len() as u32;
                nodes.extend([(Some(0), false), (Some(item), false), (Some(item), false)]);
                nodes.push((Some(item + 2), false));
            }
            let mut reads = 0usize;
            children_index(nodes.len(), |i| {
                reads += 1;
                nodes[i]
            });
            (nodes.len(), reads)
        };
        let (small, small_reads) = reads(1_000);
        let (large, large_reads) = reads(4_000);
        assert!(
            small_reads <= 2 * small,
            "{small_reads} reads of {small} nodes"
        );
        assert!(
            large_reads <= 2 * large,
            "{large_reads} reads of {large} nodes"
        );
        assert!(large_reads <= 4 * small_reads + 8);
    }

    #[test]
    fn glyphs_are_normalised_to_the_em_and_the_scale() {
        let mut r = run(vec![glyph(5, 5.0, 0..1), glyph(6, 2.5, 1..2)], "ab");
        r.h_scale = 0.5;
        let g = krilla_glyphs(&r, NonZeroU64::MIN);
        // 5 pt at 10 pt size, drawn at half width: 1 em in the scaled space.
        assert!((g[0].x_advance - 1.0).abs() < 1e-6);
        assert!((g[1].x_advance - 0.5).abs() < 1e-6);
    }

    #[test]
    fn positions_are_whole_thousandths_of_an_em_without_drift() {
        // 40 glyphs of 0.123456 em each: every advance is a whole number of thousandths,
        // and the run ends where the exact advances end (within half a thousandth).
        let glyphs = (0..40).map(|i| glyph(1, 1.23456, i..i + 1)).collect();
        let r = run(glyphs, &"a".repeat(40));
        let g = krilla_glyphs(&r, NonZeroU64::MIN);
        let mut total = 0.0f64;
        for k in &g {
            let units = f64::from(k.x_advance) * 1000.0;
            assert!((units - units.round()).abs() < 1e-3, "{units}");
            total += f64::from(k.x_advance);
        }
        assert!((total - 40.0 * 0.123456).abs() < 0.0005, "{total}");
        assert!(g.iter().any(|k| (k.x_advance - 0.123).abs() < 1e-6));
        assert!(g.iter().any(|k| (k.x_advance - 0.124).abs() < 1e-6));
    }

    #[test]
    fn empty_ranges_join_the_previous_cluster() {
        let r = run(
            vec![
                glyph(1, 1.0, 0..2),
                glyph(2, 0.0, 2..2),
                glyph(3, 1.0, 2..3),
            ],
            "abc",
        );
        let g = krilla_glyphs(&r, NonZeroU64::MIN);
        assert_eq!(g[0].text_range, 0..2);
        assert_eq!(g[1].text_range, 0..2);
        assert_eq!(g[2].text_range, 2..3);
    }

    #[test]
    fn page_labels_keep_style_and_number() {
        assert_eq!(
            page_label(PageLabel::Roman(2)),
            PdfPageLabel::new(Some(NumberingStyle::LowerRoman), None, NonZeroU32::new(2))
        );
        assert_eq!(
            page_label(PageLabel::Arabic(7)),
            PdfPageLabel::new(Some(NumberingStyle::Arabic), None, NonZeroU32::new(7))
        );
    }

    #[test]
    fn invalid_frames_are_refused_with_the_place() {
        let empty = Document::default();
        assert!(check(&empty).unwrap_err().contains("no pages"));

        let mut doc = Document::default();
        doc.pages.push(Page {
            width: 100.0,
            height: 100.0,
            label: PageLabel::Arabic(1),
            items: vec![Item::Text(run(vec![glyph(1, 1.0, 0..1)], "a"))],
        });
        let err = check(&doc).unwrap_err();
        assert!(err.contains("page 1, item 1"), "{err}");
        assert!(err.contains("not in the document's fonts"), "{err}");

        doc.pages[0].items = vec![Item::Link {
            x: 0.0,
            y: 0.0,
            width: 1.0,
            height: 1.0,
            target: LinkTarget::Page { page: 3, y: 0.0 },
            node: None,
        }];
        assert!(check(&doc).unwrap_err().contains("link to page 4 of 1"));

        doc.pages[0].items.clear();
        doc.outline.push(OutlineEntry {
            title: "Lost".into(),
            page: 1,
            y: 0.0,
            children: vec![],
        });
        assert!(check(&doc).unwrap_err().contains("`Lost`"));
    }

    #[test]
    fn clips_are_written_when_balanced_and_refused_otherwise() {
        let rect = Item::Rect {
            x: 0.0,
            y: 0.0,
            width: 50.0,
            height: 50.0,
            colour: Rgb(0, 0, 0),
        };
        let clip = Item::Clip {
            x: 10.0,
            y: 10.0,
            width: 20.0,
            height: 0.0,
        };
        let mut doc = Document::default();
        doc.meta.title = "Clips".into();
        doc.pages.push(Page {
            width: 100.0,
            height: 100.0,
            label: PageLabel::Arabic(1),
            items: vec![clip.clone(), rect.clone(), Item::EndClip],
        });
        let options = WriteOptions {
            conformance: Conformance::Plain,
        };
        let bytes = write_with(&doc, &options).expect("a balanced clip is written");
        assert!(bytes.starts_with(b"%PDF-"));

        doc.pages[0].items = vec![clip, rect.clone()];
        assert!(check(&doc).unwrap_err().contains("1 clip(s) not ended"));
        doc.pages[0].items = vec![rect, Item::EndClip];
        let err = check(&doc).unwrap_err();
        assert!(err.contains("page 1, item 2: a clip ends"), "{err}");
    }
}
