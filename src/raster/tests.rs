use std::sync::Arc;

use skrifa::MetadataProvider;

use super::*;
use crate::layout::frame::{FontId, Glyph, Item, PageLabel, TextRun};
use crate::model::{Image, ImageFormat, Rgb};

/// The first embedded face with a glyph for `H`, and that glyph.
fn face() -> (FontFace, u16) {
    for data in typst_assets::fonts() {
        let Ok(font) = skrifa::FontRef::new(data) else {
            continue;
        };
        if let Some(gid) = font.charmap().map('H') {
            let face = FontFace {
                data: Arc::new(data),
                index: 0,
                family: "test".into(),
                path: None,
            };
            return (face, gid.to_u32() as u16);
        }
    }
    panic!("no embedded face maps H");
}

fn page(items: Vec<Item>) -> Page {
    Page {
        width: 100.0,
        height: 200.0,
        label: PageLabel::Arabic(1),
        items,
    }
}

fn run(glyph: u16, h_scale: f32) -> Item {
    Item::Text(TextRun {
        x: 10.0,
        y: 150.0,
        font: FontId(0),
        size: 80.0,
        colour: Rgb(0, 0, 0),
        text: "H".into(),
        glyphs: vec![Glyph {
            id: glyph,
            x_advance: 50.0,
            x_offset: 0.0,
            y_offset: 0.0,
            range: 0..1,
        }],
        h_scale,
        node: None,
        source: None,
        lang: None,
    })
}

/// Decodes a PNG into (width, height, RGB rows).
fn decode(png: &Png) -> (u32, u32, Vec<u8>) {
    let img = image::load_from_memory_with_format(&png.bytes, image::ImageFormat::Png)
        .expect("a PNG")
        .into_rgb8();
    (img.width(), img.height(), img.into_raw())
}

/// The box of pixels darker than mid grey: (left, top, right, bottom), inclusive.
fn ink(png: &Png) -> Option<(u32, u32, u32, u32)> {
    let (w, h, rgb) = decode(png);
    let mut b: Option<(u32, u32, u32, u32)> = None;
    for y in 0..h {
        for x in 0..w {
            let i = ((y * w + x) * 3) as usize;
            if rgb[i] < 128 && rgb[i + 1] < 128 && rgb[i + 2] < 128 {
                b = Some(match b {
                    None => (x, y, x, y),
                    Some((l, t, r, bo)) => (l.min(x), t.min(y), r.max(x), bo.max(y)),
                });
            }
        }
    }
    b
}

fn pixel(png: &Png, x: u32, y: u32) -> [u8; 3] {
    let (w, _, rgb) = decode(png);
    let i = ((y * w + x) * 3) as usize;
    [rgb[i], rgb[i + 1], rgb[i + 2]]
}

#[test]
fn sizes_follow_the_resolution() {
    let png = page_png(&page(Vec::new()), &[], 144).unwrap();
    assert_eq!((png.width, png.height), (200, 400));
    assert_eq!(decode(&png).0, 200);
    let cover = cover_png(&page(Vec::new()), &[], 1600).unwrap();
    assert_eq!((cover.width, cover.height), (800, 1600));
    // Blank paper is white.
    assert_eq!(pixel(&png, 100, 200), [255, 255, 255]);
}

#[test]
fn rectangles_are_placed_in_points_and_coloured() {
    let items = vec![Item::Rect {
        x: 10.0,
        y: 20.0,
        width: 30.0,
        height: 5.0,
        colour: Rgb(200, 30, 40),
    }];
    let png = page_png(&page(items), &[], 144).unwrap();
    assert_eq!(pixel(&png, 40, 45), [200, 30, 40]);
    assert_eq!(pixel(&png, 19, 45), [255, 255, 255]);
    assert_eq!(pixel(&png, 81, 45), [255, 255, 255]);
    assert_eq!(pixel(&png, 40, 51), [255, 255, 255]);
}

#[test]
fn glyphs_sit_on_the_baseline_and_scale_horizontally() {
    let (face, h) = face();
    let fonts = [face];
    let png = page_png(&page(vec![run(h, 1.0)]), &fonts, 72).unwrap();
    let (left, top, right, bottom) = ink(&png).expect("the H is drawn");
    // A capital stands on the baseline (y = 150) and rises about 0.6–0.75 em.
    assert!((148..=151).contains(&bottom), "bottom {bottom}");
    assert!((85..=105).contains(&top), "top {top}");
    assert!((10..20).contains(&left), "left {left}");
    let narrow = page_png(&page(vec![run(h, 0.5)]), &fonts, 72).unwrap();
    let (l2, t2, r2, b2) = ink(&narrow).unwrap();
    assert_eq!((t2, b2), (top, bottom));
    let (wide, thin) = (right - left, r2 - l2);
    assert!(
        thin * 2 <= wide + 2 && thin * 2 + 2 >= wide,
        "{wide} vs {thin}"
    );
}

#[test]
fn the_same_page_gives_the_same_bytes() {
    let (face, h) = face();
    let fonts = [face];
    let items = || {
        vec![
            run(h, 1.0),
            Item::Rect {
                x: 0.0,
                y: 0.0,
                width: 100.0,
                height: 3.3,
                colour: Rgb(1, 2, 3),
            },
        ]
    };
    let a = page_png(&page(items()), &fonts, 100).unwrap();
    let b = page_png(&page(items()), &fonts, 100).unwrap();
    assert_eq!(a.bytes, b.bytes);
}

#[test]
fn clips_hide_what_lies_outside_them() {
    let items = vec![
        Item::Clip {
            x: 0.0,
            y: 0.0,
            width: 50.0,
            height: 200.0,
        },
        Item::Rect {
            x: 0.0,
            y: 0.0,
            width: 100.0,
            height: 10.0,
            colour: Rgb(0, 0, 0),
        },
        Item::EndClip,
        Item::Rect {
            x: 0.0,
            y: 50.0,
            width: 100.0,
            height: 10.0,
            colour: Rgb(0, 0, 0),
        },
    ];
    let png = page_png(&page(items), &[], 72).unwrap();
    assert_eq!(pixel(&png, 25, 5), [0, 0, 0]);
    assert_eq!(pixel(&png, 75, 5), [255, 255, 255]);
    assert_eq!(pixel(&png, 75, 55), [0, 0, 0]);
}

#[test]
fn images_fill_their_box() {
    let mut data = Vec::new();
    image::RgbImage::from_pixel(4, 2, image::Rgb([0, 0, 255]))
        .write_to(
            &mut std::io::Cursor::new(&mut data),
            image::ImageFormat::Png,
        )
        .unwrap();
    let img = Image {
        path: "blue.png".into(),
        rel_path: "blue.png".into(),
        alt: String::new(),
        format: ImageFormat::Png,
        width_px: 4,
        height_px: 2,
        data: Arc::new(data),
    };
    let items = vec![Item::Image {
        x: 20.0,
        y: 40.0,
        width: 60.0,
        height: 30.0,
        image: img,
        node: None,
    }];
    let png = page_png(&page(items), &[], 72).unwrap();
    assert_eq!(pixel(&png, 50, 55), [0, 0, 255]);
    assert_eq!(pixel(&png, 21, 41), [0, 0, 255]);
    assert_eq!(pixel(&png, 18, 55), [255, 255, 255]);
    assert_eq!(pixel(&png, 50, 72), [255, 255, 255]);
}

#[test]
fn oversized_pages_are_refused() {
    let mut big = page(Vec::new());
    big.width = 100_000.0;
    big.height = 100_000.0;
    let err = page_png(&big, &[], 1200).unwrap_err();
    assert!(matches!(err, RasterError::TooLarge { .. }), "{err}");
    assert!(err.to_string().contains("too large"));
}
