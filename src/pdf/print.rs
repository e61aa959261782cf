//! The print PDF: every page on a larger sheet with its boxes (MediaBox ⊇ BleedBox ⊇
//! TrimBox), crop and registration marks and a slug line outside the bleed, whatever
//! touches the trim extended into the bleed, and the style's colours in CMYK.
//!
//! The frames are the archive PDF's (points, origin at the top left of the trim); here
//! they are drawn shifted by [`Sheet::margin`] onto a sheet that holds the marks. The PDF/X
//! identification that krilla cannot write is added afterwards by [`super::pdfx`].

use std::collections::BTreeMap;
use std::num::NonZeroU64;
use std::path::PathBuf;

use krilla::color::cmyk;
use krilla::color::separation::{SeparationColorant, SeparationSpace};
use krilla::configure::{ConfigurationBuilder, PdfVersion};
use krilla::geom::{Path, PathBuilder, Rect, Size, Transform};
use krilla::image::Image as PdfImage;
use krilla::num::NormalizedF32;
use krilla::outline::Outline;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, Paint, Stroke};
use krilla::surface::Surface;
use krilla::{Document as PdfDocument, SerializeSettings};

use super::write::{
    Fonts, check, describe_error, draw_rect_in, draw_text_in, load_image, metadata, outline_node,
    page_label,
};
use crate::layout::frame::{Document, FontFace, Glyph, Item, TextRun, glyph_range};
use crate::model::Rgb;

/// Points in a millimetre.
pub const MM: f32 = 72.0 / 25.4;
/// Length of a crop mark.
pub const MARK_LENGTH: f32 = 5.0 * MM;
/// Line weight of the marks (0.25 pt, the usual hairline for marks).
pub const MARK_WEIGHT: f32 = 0.25;
/// Radius of the circle of a registration target.
pub const TARGET_RADIUS: f32 = 1.5 * MM;
/// Room beyond the crop marks for the slug line.
pub const SLUG_BAND: f32 = 4.0 * MM;
/// Size of the slug line's type.
pub const SLUG_SIZE: f32 = 6.0;
/// How close to the trim an edge must be to count as touching it (points).
const TOUCH: f32 = 0.01;

/// The geometry of one printed page: the trim, the bleed around it and the sheet
/// (MediaBox) that also holds the marks and the slug line. Coordinates are points from
/// the top left of the sheet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sheet {
    /// Trim width.
    pub trim_w: f32,
    /// Trim height.
    pub trim_h: f32,
    /// Bleed on every side.
    pub bleed: f32,
}

/// A straight line from one point to another (sheet coordinates).
pub type Line = ((f32, f32), (f32, f32));

impl Sheet {
    /// The sheet for a trim of `trim_w` × `trim_h` with `bleed` on every side (negative
    /// bleed counts as none).
    pub fn new(trim_w: f32, trim_h: f32, bleed: f32) -> Sheet {
        Sheet {
            trim_w,
            trim_h,
            bleed: bleed.max(0.0),
        }
    }

    /// Distance from the trim to where the crop marks start: outside the bleed by at
    /// least 1 mm, and never nearer the trim than 3 mm.
    pub fn mark_offset(&self) -> f32 {
        (self.bleed + MM).max(3.0 * MM)
    }

    /// Distance from the trim to the sheet's edge, on every side.
    pub fn margin(&self) -> f32 {
        self.mark_offset() + MARK_LENGTH + SLUG_BAND
    }

    /// The sheet's (MediaBox's) width and height.
    pub fn media(&self) -> (f32, f32) {
        let m = 2.0 * self.margin();
        (self.trim_w + m, self.trim_h + m)
    }

    /// The TrimBox: `(x, y, width, height)`.
    pub fn trim(&self) -> (f32, f32, f32, f32) {
        let m = self.margin();
        (m, m, self.trim_w, self.trim_h)
    }

    /// The BleedBox: the trim grown by the bleed on every side.
    pub fn bleed_box(&self) -> (f32, f32, f32, f32) {
        let (x, y, w, h) = self.trim();
        let b = self.bleed;
        (x - b, y - b, w + 2.0 * b, h + 2.0 * b)
    }

    /// The eight crop marks: at each corner one horizontal and one vertical line in line
    /// with the trim's edges, from [`Sheet::mark_offset`] outwards for [`MARK_LENGTH`].
    pub fn crop_marks(&self) -> Vec<Line> {
        let (x, y, w, h) = self.trim();
        let (near, far) = (self.mark_offset(), self.mark_offset() + MARK_LENGTH);
        let mut lines = Vec::with_capacity(8);
        for (cx, dx) in [(x, -1.0), (x + w, 1.0)] {
            for (cy, dy) in [(y, -1.0), (y + h, 1.0)] {
                lines.push(((cx + dx * near, cy), (cx + dx * far, cy)));
                lines.push(((cx, cy + dy * near), (cx, cy + dy * far)));
            }
        }
        lines
    }

    /// The centres of the four registration targets: in the middle of each side, in
    /// the band of the crop marks.
    pub fn registration_targets(&self) -> [(f32, f32); 4] {
        let (x, y, w, h) = self.trim();
        let d = self.mark_offset() + MARK_LENGTH / 2.0;
        [
            (x + w / 2.0, y - d),
            (x + w / 2.0, y + h + d),
            (x - d, y + h / 2.0),
            (x + w + d, y + h / 2.0),
        ]
    }

    /// Where the slug line's baseline starts: under the bottom left crop marks, inside
    /// the sheet.
    pub fn slug_origin(&self) -> (f32, f32) {
        let (x, y, _, h) = self.trim();
        (
            x,
            y + h + self.mark_offset() + MARK_LENGTH + 0.7 * SLUG_BAND,
        )
    }
}

/// A rectangle `(x, y, width, height)` in trim coordinates.
pub type Box4 = (f32, f32, f32, f32);

/// Which edges of the trim (`width` × `height`) the box touches or crosses: left, top,
/// right, bottom.
fn touches((x, y, w, h): Box4, width: f32, height: f32) -> [bool; 4] {
    [
        x <= TOUCH,
        y <= TOUCH,
        x + w >= width - TOUCH,
        y + h >= height - TOUCH,
    ]
}

/// A filled rectangle that touches the trim, grown by `bleed` on each side it touches
/// (tints and full-bleed blocks print beyond the cut); others are left as they are.
pub fn bleed_rect(rect: Box4, width: f32, height: f32, bleed: f32) -> Box4 {
    let [l, t, r, b] = touches(rect, width, height);
    let (mut x, mut y, mut w, mut h) = rect;
    if l {
        w += x + bleed;
        x = -bleed;
    }
    if t {
        h += y + bleed;
        y = -bleed;
    }
    if r {
        w = width + bleed - x;
    }
    if b {
        h = height + bleed - y;
    }
    (x, y, w, h)
}

/// An image that touches the trim, scaled about its centre (keeping its proportions)
/// just enough to cover the bleed on each side it touches. An image that already reaches
/// that far (a cover image scaled to cover its area) is left as it is; so is one that
/// does not touch the trim.
pub fn bleed_image(image: Box4, width: f32, height: f32, bleed: f32) -> Box4 {
    let (x, y, w, h) = image;
    if w <= 0.0 || h <= 0.0 {
        return image;
    }
    let [l, t, r, b] = touches(image, width, height);
    let (cx, cy) = (x + w / 2.0, y + h / 2.0);
    let mut scale: f32 = 1.0;
    if l {
        scale = scale.max((cx + bleed) / (w / 2.0));
    }
    if r {
        scale = scale.max((width + bleed - cx) / (w / 2.0));
    }
    if t {
        scale = scale.max((cy + bleed) / (h / 2.0));
    }
    if b {
        scale = scale.max((height + bleed - cy) / (h / 2.0));
    }
    let (w2, h2) = (w * scale, h * scale);
    (cx - w2 / 2.0, cy - h2 / 2.0, w2, h2)
}

/// A CMYK colour, each ink 0–255.
pub type Cmyk = (u8, u8, u8, u8);

/// The naive conversion from sRGB: K = 1 − max(R, G, B), and C, M, Y the rest of each
/// channel under that black (neutral greys become black ink alone). No ICC profile is
/// involved: the printer's proof is the judge of the result (docs/print.md).
pub fn rgb_to_cmyk(colour: Rgb) -> Cmyk {
    let Rgb(r, g, b) = colour;
    let max = r.max(g).max(b);
    if max == 0 {
        return (0, 0, 0, 255);
    }
    let ink = |c: u8| -> u8 {
        // (1 − c − k) / (1 − k) with k = 1 − max: (max − c) / max.
        ((u32::from(max - c) * 255 + u32::from(max) / 2) / u32::from(max)) as u8
    };
    (ink(r), ink(g), ink(b), 255 - max)
}

/// The colour of text in the print PDF: a dark neutral (black or a grey of at least
/// 80 % black, like the built-in style's #1a1a1a) prints in solid black ink, 100 % K, so
/// that small type is not broken into a screen of dots nor built of four inks; any other
/// colour is converted by [`rgb_to_cmyk`].
pub fn text_cmyk(colour: Rgb) -> Cmyk {
    let Rgb(r, g, b) = colour;
    let (max, min) = (r.max(g).max(b), r.min(g).min(b));
    if max - min <= 8 && max <= 51 {
        (0, 0, 0, 255)
    } else {
        rgb_to_cmyk(colour)
    }
}

fn cmyk_fill((c, m, y, k): Cmyk) -> Fill {
    Fill {
        paint: cmyk::Color::new(c, m, y, k).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

/// The registration colour: a Separation named `All`, which prints on every plate.
fn registration() -> Paint {
    let space = SeparationSpace::new(
        SeparationColorant::AllColorants,
        cmyk::Color::new(255, 255, 255, 255).into(),
    );
    krilla::color::Color::from(krilla::color::separation::Color::new(255, space)).into()
}

/// What the print PDF needs beside the frames.
#[derive(Debug, Clone, PartialEq)]
pub struct PrintSetup {
    /// Bleed on every side, points.
    pub bleed: f32,
    /// The slug line's text before the page number, or `None` for no slug line.
    pub slug: Option<String>,
}

/// krilla settings for the print PDF: PDF 1.6 (PDF/X-4's version), no PDF/A validator,
/// device-independent RGB (images in sRGB become ICC-based) and device CMYK (the style's
/// colours and CMYK images, for the output intent's printing condition).
fn print_settings() -> Result<SerializeSettings, String> {
    let configuration = ConfigurationBuilder::new()
        .with_version(PdfVersion::Pdf16)
        .finish()
        .map_err(|e| format!("PDF configuration: {e:?}"))?;
    Ok(SerializeSettings {
        pretty: false,
        compress_content_streams: true,
        ascii_compatible: false,
        xmp_metadata: true,
        enable_tagging: false,
        no_device_cs: true,
        cmyk_profile: None,
        configuration,
        ..SerializeSettings::default()
    })
}

/// Serialises `doc` as the print PDF (before the PDF/X post-step): every page on a
/// sheet with its boxes and marks, bleeding items extended, colours in CMYK. Links are
/// left out (no annotation may sit on a printed page); the outline and page labels stay.
pub fn write_print(doc: &Document, setup: &PrintSetup) -> Result<Vec<u8>, String> {
    check(doc)?;
    let mut pdf = PdfDocument::new_with(print_settings()?);
    let mut fonts = Fonts::new(&doc.fonts);
    let mut images: BTreeMap<PathBuf, PdfImage> = BTreeMap::new();
    let mut places: Vec<(usize, usize)> = Vec::new();
    let total = doc.pages.len();

    for (page_index, page) in doc.pages.iter().enumerate() {
        let sheet = Sheet::new(page.width, page.height, setup.bleed);
        let (mw, mh) = sheet.media();
        let rect = |(x, y, w, h): Box4| {
            Rect::from_xywh(x, y, w, h)
                .ok_or_else(|| format!("page {}: invalid box", page_index + 1))
        };
        let trim = rect(sheet.trim())?;
        let bleed = rect(sheet.bleed_box())?;
        let settings = PageSettings::from_wh(mw, mh)
            .ok_or_else(|| format!("page {}: invalid size", page_index + 1))?
            .with_trim_box(Some(trim))
            .with_bleed_box(Some(bleed))
            .with_crop_box(None)
            .with_art_box(None)
            .with_page_label(page_label(page.label));
        let mut pdf_page = pdf.start_page_with(settings);
        let mut surface = pdf_page.surface();

        // The page's content, clipped to the bleed box, from the trim's corner.
        let m = sheet.margin();
        surface.push_transform(&Transform::from_translate(m, m));
        if let Some(clip) = rect_path(-sheet.bleed, -sheet.bleed, bleed.width(), bleed.height()) {
            surface.push_clip_path(&clip, &FillRule::NonZero);
        }
        let (w, h, b) = (page.width, page.height, sheet.bleed);
        for (item_index, item) in page.items.iter().enumerate() {
            places.push((page_index, item_index));
            let location = NonZeroU64::new(places.len() as u64).unwrap_or(NonZeroU64::MIN);
            surface.set_location(location);
            match item {
                Item::Text(run) => {
                    let font = fonts.get(run.font)?;
                    let paint = cmyk_fill(text_cmyk(run.colour));
                    draw_text_in(&mut surface, run, font, location, paint);
                }
                Item::Rect {
                    x,
                    y,
                    width,
                    height,
                    colour,
                } => {
                    let (x, y, width, height) = bleed_rect((*x, *y, *width, *height), w, h, b);
                    let paint = cmyk_fill(rgb_to_cmyk(*colour));
                    draw_rect_in(&mut surface, x, y, width, height, paint);
                }
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
                    let (x, y, width, height) = bleed_image((*x, *y, *width, *height), w, h, b);
                    if let Some(size) = Size::from_wh(width, height) {
                        surface.push_transform(&Transform::from_translate(x, y));
                        surface.draw_image(pdf_image, size);
                        surface.pop();
                    }
                }
                Item::Link { .. } => {}
                Item::Clip {
                    x,
                    y,
                    width,
                    height,
                } => {
                    // An empty clip hides what it holds: a 1 pt square off the sheet.
                    let clip = rect_path(*x, *y, *width, *height)
                        .or_else(|| rect_path(-m - 2.0, -m - 2.0, 1.0, 1.0))
                        .unwrap_or_else(|| unreachable!("a 1 pt square is a rectangle"));
                    surface.push_clip_path(&clip, &FillRule::NonZero);
                }
                Item::EndClip => surface.pop(),
            }
            surface.reset_location();
        }
        surface.pop(); // clip
        surface.pop(); // translation

        draw_marks(&mut surface, &sheet);
        if let Some(slug) = &setup.slug {
            let text = format!(
                "{slug} · page {} ({} of {total})",
                page.label.text(),
                page_index + 1
            );
            if let Some(run) = slug_run(&doc.fonts, &text, sheet.slug_origin()) {
                let font = fonts.get(run.font)?;
                draw_text_in(
                    &mut surface,
                    &run,
                    font,
                    NonZeroU64::MIN,
                    cmyk_fill((0, 0, 0, 255)),
                );
            }
        }
        surface.finish();
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
    pdf.finish()
        .map_err(|e| describe_error(e, &places, &fonts, doc))
}

fn rect_path(x: f32, y: f32, w: f32, h: f32) -> Option<Path> {
    let mut builder = PathBuilder::new();
    builder.push_rect(Rect::from_xywh(x, y, w, h)?);
    builder.finish()
}

/// Crop marks and registration targets (a circle and a cross) in registration colour.
fn draw_marks(surface: &mut Surface, sheet: &Sheet) {
    let mut builder = PathBuilder::new();
    for ((x0, y0), (x1, y1)) in sheet.crop_marks() {
        builder.move_to(x0, y0);
        builder.line_to(x1, y1);
    }
    for (cx, cy) in sheet.registration_targets() {
        push_circle(&mut builder, cx, cy, TARGET_RADIUS);
        let arm = TARGET_RADIUS + 0.8 * MM;
        builder.move_to(cx - arm, cy);
        builder.line_to(cx + arm, cy);
        builder.move_to(cx, cy - arm);
        builder.line_to(cx, cy + arm);
    }
    let Some(path) = builder.finish() else {
        return;
    };
    surface.set_fill(None);
    surface.set_stroke(Some(Stroke {
        paint: registration(),
        width: MARK_WEIGHT,
        ..Stroke::default()
    }));
    surface.draw_path(&path);
    surface.set_stroke(None);
}

/// A circle as four cubic Bézier quarters.
fn push_circle(builder: &mut PathBuilder, cx: f32, cy: f32, r: f32) {
    const K: f32 = 0.552_284_8;
    let k = K * r;
    builder.move_to(cx + r, cy);
    builder.cubic_to(cx + r, cy + k, cx + k, cy + r, cx, cy + r);
    builder.cubic_to(cx - k, cy + r, cx - r, cy + k, cx - r, cy);
    builder.cubic_to(cx - r, cy - k, cx - k, cy - r, cx, cy - r);
    builder.cubic_to(cx + k, cy - r, cx + r, cy - k, cx + r, cy);
    builder.close();
}

/// The slug line as a run in the document's first face (the body face), one glyph a
/// character from the font's character map at its plain advance (no kerning: it is a
/// production note, not text to read closely); characters the face lacks are left out.
fn slug_run(faces: &[FontFace], text: &str, (x, y): (f32, f32)) -> Option<TextRun> {
    let face = faces.first()?;
    let parsed = rustybuzz::ttf_parser::Face::parse(face.bytes(), face.index).ok()?;
    let upem = f32::from(parsed.units_per_em());
    let mut shown = String::new();
    let mut glyphs = Vec::new();
    for c in text.chars() {
        let Some(id) = parsed.glyph_index(c) else {
            continue;
        };
        let advance = f32::from(parsed.glyph_hor_advance(id).unwrap_or(0)) * SLUG_SIZE / upem;
        let start = shown.len();
        shown.push(c);
        glyphs.push(Glyph {
            id: id.0,
            x_advance: advance,
            x_offset: 0.0,
            y_offset: 0.0,
            range: glyph_range(start..shown.len()),
        });
    }
    Some(TextRun {
        x,
        y,
        font: crate::layout::frame::FontId(0),
        size: SLUG_SIZE,
        colour: Rgb(0, 0, 0),
        text: shown,
        glyphs,
        h_scale: 1.0,
        node: None,
        source: None,
        lang: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f32, b: f32) -> bool {
        (a - b).abs() < 1e-3
    }

    #[test]
    fn the_sheet_holds_bleed_marks_and_slug_around_the_trim() {
        // A4 with 3 mm bleed: marks 4 mm from the trim, 5 mm long, 4 mm for the slug.
        let s = Sheet::new(595.28, 841.89, 3.0 * MM);
        assert!(close(s.mark_offset(), 4.0 * MM));
        assert!(close(s.margin(), 13.0 * MM));
        let (mw, mh) = s.media();
        assert!(close(mw, 595.28 + 26.0 * MM) && close(mh, 841.89 + 26.0 * MM));
        let (tx, ty, tw, th) = s.trim();
        assert!(close(tx, 13.0 * MM) && close(ty, 13.0 * MM));
        assert!(close(tw, 595.28) && close(th, 841.89));
        let (bx, by, bw, bh) = s.bleed_box();
        assert!(close(bx, 10.0 * MM) && close(by, 10.0 * MM));
        assert!(close(bw, 595.28 + 6.0 * MM) && close(bh, 841.89 + 6.0 * MM));
        // No bleed: marks still keep 3 mm from the trim.
        assert!(close(Sheet::new(100.0, 100.0, 0.0).mark_offset(), 3.0 * MM));
        // A wide bleed pushes the marks out with it.
        assert!(close(
            Sheet::new(100.0, 100.0, 5.0 * MM).mark_offset(),
            6.0 * MM
        ));
    }

    #[test]
    fn crop_marks_line_up_with_the_trim_and_stay_outside_the_bleed() {
        let s = Sheet::new(200.0, 300.0, 3.0 * MM);
        let marks = s.crop_marks();
        assert_eq!(marks.len(), 8);
        let (tx, ty, tw, th) = s.trim();
        let (bx, by, bw, bh) = s.bleed_box();
        let (mw, mh) = s.media();
        let inside_bleed = |(x, y): (f32, f32)| {
            x > bx + 1e-3 && x < bx + bw - 1e-3 && y > by + 1e-3 && y < by + bh - 1e-3
        };
        for (a, b) in &marks {
            for p in [*a, *b] {
                assert!(!inside_bleed(p), "{p:?} is inside the bleed");
                assert!(
                    p.0 >= 0.0 && p.0 <= mw && p.1 >= 0.0 && p.1 <= mh,
                    "{p:?} off the sheet"
                );
            }
            let (dx, dy) = (a.0 - b.0, a.1 - b.1);
            let length = (dx * dx + dy * dy).sqrt();
            assert!(close(length, MARK_LENGTH));
            // Each mark continues an edge of the trim.
            let on_edge = |v: f32, edges: [f32; 2]| edges.iter().any(|e| close(v, *e));
            let horizontal = close(a.1, b.1);
            if horizontal {
                assert!(on_edge(a.1, [ty, ty + th]));
            } else {
                assert!(close(a.0, b.0) && on_edge(a.0, [tx, tx + tw]));
            }
        }
        for (cx, cy) in s.registration_targets() {
            assert!(!inside_bleed((cx, cy)));
            assert!(cx - TARGET_RADIUS > 0.0 && cy - TARGET_RADIUS > 0.0);
        }
        let (sx, sy) = s.slug_origin();
        assert!(sy > by + bh && sy < mh && close(sx, tx));
    }

    #[test]
    fn what_touches_the_trim_bleeds_and_nothing_else() {
        let (w, h, b) = (100.0, 200.0, 8.5);
        // A band across the top: grows up, left and right, not down.
        assert_eq!(
            bleed_rect((0.0, 0.0, 100.0, 20.0), w, h, b),
            (-8.5, -8.5, 117.0, 28.5)
        );
        // A rule inside the margins stays.
        assert_eq!(
            bleed_rect((10.0, 50.0, 80.0, 0.5), w, h, b),
            (10.0, 50.0, 80.0, 0.5)
        );
        // A block at the foot right corner.
        assert_eq!(
            bleed_rect((60.0, 150.0, 40.0, 50.0), w, h, b),
            (60.0, 150.0, 48.5, 58.5)
        );
        // A cover image filling the page's width under a band: scaled about its centre
        // to reach the bleed left, right and at the foot, keeping its proportions.
        let (x, y, iw, ih) = bleed_image((0.0, 50.0, 100.0, 150.0), w, h, b);
        assert!(x <= -b + 1e-3 && x + iw >= w + b - 1e-3 && y + ih >= h + b - 1e-3);
        assert!(close(iw / ih, 100.0 / 150.0));
        // An image already reaching past the trim on the sides is left alone there.
        assert_eq!(
            bleed_image((-20.0, -10.0, 140.0, 220.0), w, h, b),
            (-20.0, -10.0, 140.0, 220.0)
        );
        // An image in a column does not bleed.
        assert_eq!(
            bleed_image((10.0, 10.0, 30.0, 20.0), w, h, b),
            (10.0, 10.0, 30.0, 20.0)
        );
    }

    #[test]
    fn colours_convert_to_cmyk_and_dark_text_to_black_ink() {
        assert_eq!(rgb_to_cmyk(Rgb(0, 0, 0)), (0, 0, 0, 255));
        assert_eq!(rgb_to_cmyk(Rgb(255, 255, 255)), (0, 0, 0, 0));
        assert_eq!(rgb_to_cmyk(Rgb(255, 0, 0)), (0, 255, 255, 0));
        // Greys are black ink alone.
        assert_eq!(rgb_to_cmyk(Rgb(0x5f, 0x5f, 0x5f)), (0, 0, 0, 255 - 0x5f));
        // The built-in accent #a3262a: no cyan, strong magenta and yellow, some black.
        let (c, m, y, k) = rgb_to_cmyk(Rgb(0xa3, 0x26, 0x2a));
        assert_eq!(c, 0);
        assert!(m > 190 && y > 185 && k == 255 - 0xa3, "{m} {y} {k}");
        // Text: the built-in #1a1a1a and black print as 100 % K; a muted grey keeps its tint.
        assert_eq!(text_cmyk(Rgb(0x1a, 0x1a, 0x1a)), (0, 0, 0, 255));
        assert_eq!(text_cmyk(Rgb(0, 0, 0)), (0, 0, 0, 255));
        assert_eq!(text_cmyk(Rgb(0x5f, 0x5f, 0x5f)), (0, 0, 0, 255 - 0x5f));
    }
}
