//! Paints one page's items onto a pixmap, in painting order, as the PDF writer places
//! them: glyph outlines at the run's size and horizontal scale, filled rectangles,
//! images scaled into their boxes, clips nested.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use image::imageops::FilterType;
use tiny_skia::{
    Color, FillRule, FilterQuality, Mask, Paint, PathBuilder, Pixmap, PixmapPaint, Rect, Transform,
};

use super::RasterError;
use super::glyphs::Outlines;
use crate::layout::frame::{FontFace, Item, Page, TextRun};
use crate::model::{Image, ImageFormat, Rgb};

/// The page on white paper at `scale` pixels per point, `width` × `height` pixels.
pub(super) fn page(
    page: &Page,
    fonts: &[FontFace],
    scale: f32,
    width: u32,
    height: u32,
) -> Result<Pixmap, RasterError> {
    let mut pixmap = Pixmap::new(width, height).ok_or(RasterError::TooLarge { width, height })?;
    pixmap.fill(Color::WHITE);
    let base = Transform::from_scale(scale, scale);
    let mut faces: BTreeMap<u16, Outlines> = BTreeMap::new();
    let mut clips: Vec<Option<Mask>> = Vec::new();
    for item in &page.items {
        let mask = clips.last().and_then(Option::as_ref);
        match item {
            Item::Text(run) => {
                let id = run.font.0;
                let outlines = match faces.entry(id) {
                    Entry::Occupied(entry) => entry.into_mut(),
                    Entry::Vacant(entry) => {
                        let face = fonts.get(usize::from(id)).ok_or(RasterError::Font {
                            family: format!("face #{id}"),
                        })?;
                        let outlines = Outlines::new(face).ok_or_else(|| RasterError::Font {
                            family: face.family.clone(),
                        })?;
                        entry.insert(outlines)
                    }
                };
                text(&mut pixmap, run, outlines, base, mask);
            }
            Item::Rect {
                x,
                y,
                width,
                height,
                colour,
            } => {
                if let Some(rect) = Rect::from_xywh(*x, *y, *width, *height) {
                    pixmap.fill_rect(rect, &paint(*colour), base, mask);
                }
            }
            Item::Image {
                x,
                y,
                width,
                height,
                image,
                ..
            } => picture(&mut pixmap, image, [*x, *y, *width, *height], scale, mask)?,
            Item::Clip {
                x,
                y,
                width,
                height,
            } => {
                let next = clip(&pixmap, mask, [*x, *y, *width, *height], base);
                clips.push(next);
            }
            Item::EndClip => {
                clips.pop();
            }
            Item::Link { .. } => {}
        }
    }
    Ok(pixmap)
}

/// A solid, anti-aliased paint.
fn paint(colour: Rgb) -> Paint<'static> {
    let mut paint = Paint::default();
    paint.set_color_rgba8(colour.0, colour.1, colour.2, 255);
    paint.anti_alias = true;
    paint
}

/// Draws a run's glyphs: each outline scaled from font units to the run's size (and
/// horizontal scale), flipped (fonts count y upwards), placed at the pen position plus
/// the glyph's offsets. Advances already include the horizontal scale.
fn text(
    pixmap: &mut Pixmap,
    run: &TextRun,
    outlines: &mut Outlines,
    base: Transform,
    mask: Option<&Mask>,
) {
    let paint = paint(run.colour);
    let em = run.size / outlines.units_per_em;
    let mut pen = run.x;
    for glyph in &run.glyphs {
        let x = pen + glyph.x_offset;
        let y = run.y - glyph.y_offset;
        pen += glyph.x_advance;
        if let Some(path) = outlines.path(glyph.id) {
            let place = Transform::from_row(em * run.h_scale, 0.0, 0.0, -em, x, y);
            pixmap.fill_path(
                path,
                &paint,
                FillRule::Winding,
                base.pre_concat(place),
                mask,
            );
        }
    }
}

/// Draws an image into its box: decoded, resampled to the box's size in pixels (a
/// triangle filter, so a large photograph does not alias), then placed.
fn picture(
    pixmap: &mut Pixmap,
    image: &Image,
    [x, y, width, height]: [f32; 4],
    scale: f32,
    mask: Option<&Mask>,
) -> Result<(), RasterError> {
    let w = (width * scale).round().max(1.0) as u32;
    let h = (height * scale).round().max(1.0) as u32;
    if width <= 0.0 || height <= 0.0 {
        return Ok(());
    }
    let fail = |message: String| RasterError::Image {
        path: image.path.clone(),
        message,
    };
    let format = match image.format {
        ImageFormat::Png => image::ImageFormat::Png,
        ImageFormat::Jpeg => image::ImageFormat::Jpeg,
    };
    let decoded = image::load_from_memory_with_format(&image.data, format)
        .map_err(|e| fail(e.to_string()))?;
    let rgba = decoded
        .resize_exact(w, h, FilterType::Triangle)
        .into_rgba8();
    let mut data = rgba.into_raw();
    // tiny-skia wants premultiplied alpha.
    for px in data.chunks_exact_mut(4) {
        let a = u16::from(px[3]);
        if a < 255 {
            for c in &mut px[..3] {
                *c = ((u16::from(*c) * a + 127) / 255) as u8;
            }
        }
    }
    let size = tiny_skia::IntSize::from_wh(w, h).ok_or_else(|| fail("empty image".into()))?;
    let source = Pixmap::from_vec(data, size).ok_or_else(|| fail("empty image".into()))?;
    let place = Transform::from_row(
        width * scale / w as f32,
        0.0,
        0.0,
        height * scale / h as f32,
        x * scale,
        y * scale,
    );
    let paint = PixmapPaint {
        quality: FilterQuality::Bilinear,
        ..PixmapPaint::default()
    };
    pixmap.draw_pixmap(0, 0, source.as_ref(), &paint, place, mask);
    Ok(())
}

/// The mask of a clip inside `outer`: what is drawn until its `EndClip` shows only
/// there. `None` (a rectangle without area) hides everything.
fn clip(
    pixmap: &Pixmap,
    outer: Option<&Mask>,
    [x, y, width, height]: [f32; 4],
    base: Transform,
) -> Option<Mask> {
    let mut mask = match outer {
        Some(outer) => outer.clone(),
        None => {
            let mut all = Mask::new(pixmap.width(), pixmap.height())?;
            all.data_mut().fill(255);
            all
        }
    };
    match Rect::from_xywh(x, y, width, height) {
        Some(rect) => {
            let path = PathBuilder::from_rect(rect);
            mask.intersect_path(&path, FillRule::Winding, true, base);
        }
        None => mask.data_mut().fill(0),
    }
    Some(mask)
}
