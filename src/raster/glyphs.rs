//! Glyph outlines from the embedded faces (skrifa), as tiny-skia paths in font units,
//! each glyph read once per face.

use rustc_hash::FxHashMap;
use skrifa::instance::Size;
use skrifa::outline::{DrawSettings, OutlineGlyphCollection, OutlinePen};
use skrifa::{FontRef, GlyphId, MetadataProvider};
use tiny_skia::{Path, PathBuilder};

use crate::layout::frame::FontFace;

/// One face's outlines: units per em and the paths read so far (`None`: the glyph draws
/// nothing, a space).
pub(super) struct Outlines<'a> {
    glyphs: OutlineGlyphCollection<'a>,
    /// Font units per em.
    pub(super) units_per_em: f32,
    paths: FxHashMap<u16, Option<Path>>,
}

impl<'a> Outlines<'a> {
    /// Reads the face; `None` when its file cannot be parsed.
    pub(super) fn new(face: &'a FontFace) -> Option<Self> {
        let font = FontRef::from_index(face.bytes(), face.index).ok()?;
        let units_per_em = font
            .metrics(Size::unscaled(), skrifa::instance::LocationRef::default())
            .units_per_em;
        Some(Outlines {
            glyphs: font.outline_glyphs(),
            units_per_em: f32::from(units_per_em.max(1)),
            paths: FxHashMap::default(),
        })
    }

    /// The outline of glyph `id` in font units, y growing upwards.
    pub(super) fn path(&mut self, id: u16) -> Option<&Path> {
        let glyphs = &self.glyphs;
        self.paths
            .entry(id)
            .or_insert_with(|| {
                let glyph = glyphs.get(GlyphId::new(u32::from(id)))?;
                let mut pen = Pen(PathBuilder::new());
                let settings = DrawSettings::unhinted(
                    Size::unscaled(),
                    skrifa::instance::LocationRef::default(),
                );
                glyph.draw(settings, &mut pen).ok()?;
                pen.0.finish()
            })
            .as_ref()
    }
}

/// Collects skrifa's outline commands into a tiny-skia path.
struct Pen(PathBuilder);

impl OutlinePen for Pen {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.move_to(x, y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.0.line_to(x, y);
    }
    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        self.0.quad_to(cx0, cy0, x, y);
    }
    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        self.0.cubic_to(cx0, cy0, cx1, cy1, x, y);
    }
    fn close(&mut self) {
        self.0.close();
    }
}
