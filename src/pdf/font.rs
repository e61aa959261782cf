//! Fonts: the embedded Libertinus Serif family and user fonts from the edition's and the
//! project's `fonts/` folders, found by family, weight and style with fontdb.

use std::path::PathBuf;
use std::sync::Arc;

use crate::diag::Diagnostic;
use crate::model::Style;

/// Index of a loaded font face in a [`FontBook`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FontId(pub u16);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Weight {
    Regular,
    Semibold,
    Bold,
}

/// What text asks for: family, weight and slant.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FontQuery {
    pub family: String,
    pub weight: Weight,
    pub italic: bool,
}

/// One face, its bytes and the metrics layout needs (in font units).
pub struct LoadedFont {
    pub data: Arc<dyn AsRef<[u8]> + Send + Sync>,
    pub index: u32,
    pub family: String,
    pub units_per_em: u16,
    pub ascender: i16,
    pub descender: i16,
    pub cap_height: i16,
    pub x_height: i16,
}

/// Every face the edition may use.
pub struct FontBook {
    pub fonts: Vec<LoadedFont>,
}

impl FontBook {
    /// Loads the embedded faces and every face in `font_dirs`; checks that the style's
    /// families exist (an error names the style file and the families that do).
    pub fn load(style: &Style, font_dirs: &[PathBuf]) -> Result<FontBook, Diagnostic> {
        let _ = (style, font_dirs);
        todo!("fonts")
    }

    /// The best face for `query`, falling back to the nearest weight and slant.
    pub fn select(&self, query: &FontQuery) -> Option<FontId> {
        let _ = query;
        todo!("fonts")
    }

    pub fn get(&self, id: FontId) -> &LoadedFont {
        &self.fonts[id.0 as usize]
    }
}
