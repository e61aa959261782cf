//! Fonts: the embedded Libertinus Serif family and user fonts from the edition's and the
//! magazine's `fonts/` folders, found by family, weight and style with fontdb.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use fontdb::{Database, Family, Query, Source};
use rustybuzz::ttf_parser;

use crate::diag::Diagnostic;
use crate::edition::read;
use crate::model::Style;

use crate::layout::frame::FontFace;
pub(crate) use crate::layout::frame::FontId;

pub(crate) use crate::model::Weight;

/// What text asks for: family, weight and slant.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct FontQuery {
    pub family: String,
    pub weight: Weight,
    pub italic: bool,
}

/// One face, its bytes and the metrics layout needs (in font units).
pub(crate) struct LoadedFont {
    pub data: Arc<dyn AsRef<[u8]> + Send + Sync>,
    pub index: u32,
    pub family: String,
    pub units_per_em: u16,
    pub ascender: i16,
    pub descender: i16,
}

impl LoadedFont {
    /// The font file's bytes.
    pub(crate) fn bytes(&self) -> &[u8] {
        (*self.data).as_ref()
    }

    /// Is this face monospaced (every glyph one advance)?
    pub(crate) fn is_monospaced(&self) -> bool {
        ttf_parser::Face::parse(self.bytes(), self.index).is_ok_and(|f| f.is_monospaced())
    }
}

/// Every face the edition may use.
pub(crate) struct FontBook {
    pub fonts: Vec<LoadedFont>,
}

/// Font files fontdb can read, by extension.
const FONT_EXTENSIONS: [&str; 4] = ["otf", "ttf", "ttc", "otc"];

impl FontBook {
    /// Loads the embedded faces and every face in `font_dirs`; checks that the style's
    /// families exist (an error names the style file and the families that do).
    ///
    /// Faces in `font_dirs` come first (most specific folder first, files in name order),
    /// so a user's copy of a family wins over the embedded one. Only the families the style
    /// names are kept in the book. (Under the default font file limit: for tests.)
    #[cfg(test)]
    pub(crate) fn load(style: &Style, font_dirs: &[PathBuf]) -> Result<FontBook, Diagnostic> {
        Self::load_limited(style, font_dirs, crate::model::Limits::default().font_file)
    }

    /// [`FontBook::load`], reading no font file over `font_limit` bytes.
    pub(crate) fn load_limited(
        style: &Style,
        font_dirs: &[PathBuf],
        font_limit: u64,
    ) -> Result<FontBook, Diagnostic> {
        let mut db = Database::new();
        for dir in font_dirs {
            for file in font_files(dir, font_limit)? {
                // Unreadable or malformed files are skipped, as fontdb does in folders;
                // a family that ends up missing is reported below.
                let _ = db.load_font_file(&file);
            }
        }
        for data in typst_assets::fonts() {
            db.load_font_source(Source::Binary(Arc::new(data)));
        }

        let mut wanted: Vec<&str> = vec![&style.fonts.body, &style.fonts.display];
        wanted.extend(style.fonts.fallback.iter().map(String::as_str));
        let mut missing = Vec::new();
        for name in &wanted {
            if canonical_family(&db, name).is_none() && !missing.contains(name) {
                missing.push(*name);
            }
        }
        if !missing.is_empty() {
            return Err(missing_families(style, &db, &missing, font_dirs));
        }

        // One shared copy of each file's bytes, however many faces it holds.
        let mut files: BTreeMap<PathBuf, Arc<dyn AsRef<[u8]> + Send + Sync>> = BTreeMap::new();
        let mut fonts = Vec::new();
        for face in db.faces() {
            let Some(family) = face
                .families
                .iter()
                .map(|(name, _)| name)
                .find(|name| wanted.iter().any(|w| same_family(w, name)))
            else {
                continue;
            };
            let data: Arc<dyn AsRef<[u8]> + Send + Sync> = match &face.source {
                Source::Binary(data) => data.clone(),
                Source::File(path) | Source::SharedFile(path, _) => match files.get(path) {
                    Some(data) => data.clone(),
                    None => {
                        let shown = path.display().to_string();
                        let Ok(bytes) = read::read_regular(path, &shown, font_limit) else {
                            continue;
                        };
                        let data: Arc<dyn AsRef<[u8]> + Send + Sync> = Arc::new(bytes);
                        files.insert(path.clone(), data.clone());
                        data
                    }
                },
            };
            if let Some(font) = loaded(data, face.index, family) {
                fonts.push(font);
            }
        }
        if fonts.len() > usize::from(u16::MAX) {
            return Err(Diagnostic::error("too many font faces (more than 65535)"));
        }
        Ok(FontBook { fonts })
    }

    /// The best face for `query`, falling back to the nearest weight and slant (CSS font
    /// matching, by fontdb: italic falls back to oblique, then upright). `None` when no
    /// face of the family is in the book.
    pub(crate) fn select(&self, query: &FontQuery) -> Option<FontId> {
        let candidates: Vec<usize> = (0..self.fonts.len())
            .filter(|&i| same_family(&self.fonts[i].family, &query.family))
            .collect();
        let first = *candidates.first()?;
        // A small database of the candidates, in book order (the first of equals wins).
        let mut db = Database::new();
        let mut ids = Vec::new();
        for &i in &candidates {
            let font = &self.fonts[i];
            let loaded = db.load_font_source(Source::Binary(font.data.clone()));
            for id in loaded {
                if db.face(id).is_some_and(|f| f.index == font.index) {
                    ids.push((id, i));
                }
            }
        }
        let family = self.fonts[first].family.clone();
        let found = db.query(&Query {
            families: &[Family::Name(&family)],
            weight: fontdb::Weight(query.weight.number()),
            stretch: fontdb::Stretch::Normal,
            style: if query.italic {
                fontdb::Style::Italic
            } else {
                fontdb::Style::Normal
            },
        });
        let index = found
            .and_then(|id| ids.iter().find(|(i, _)| *i == id))
            .map_or(first, |&(_, i)| i);
        u16::try_from(index).ok().map(FontId)
    }

    pub(crate) fn get(&self, id: FontId) -> &LoadedFont {
        &self.fonts[id.0 as usize]
    }

    /// Every face as the frames carry it, in book order (so a [`FontId`] indexes both).
    pub(crate) fn faces(&self) -> Vec<FontFace> {
        self.fonts
            .iter()
            .map(|f| FontFace {
                data: f.data.clone(),
                index: f.index,
                family: f.family.clone(),
            })
            .collect()
    }

    /// The distinct family names in the book, in book order.
    #[cfg(test)]
    pub(crate) fn families(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for f in &self.fonts {
            if !out.contains(&f.family.as_str()) {
                out.push(&f.family);
            }
        }
        out
    }
}

/// A face with its metrics, or `None` when it cannot be parsed.
fn loaded(
    data: Arc<dyn AsRef<[u8]> + Send + Sync>,
    index: u32,
    family: &str,
) -> Option<LoadedFont> {
    let face = ttf_parser::Face::parse((*data).as_ref(), index).ok()?;
    let units_per_em = face.units_per_em();
    let ascender = face.ascender();
    let descender = face.descender();
    Some(LoadedFont {
        data,
        index,
        family: family.to_string(),
        units_per_em,
        ascender,
        descender,
    })
}

/// The family's name as the fonts spell it (see [`same_family`]).
fn canonical_family<'a>(db: &'a Database, name: &str) -> Option<&'a str> {
    db.faces()
        .flat_map(|f| f.families.iter())
        .map(|(n, _)| n.as_str())
        .find(|n| same_family(n, name))
}

/// Family names match regardless of case, spaces, hyphens and underscores
/// ("New Computer Modern" is the embedded `NewComputerModern`).
pub(crate) fn same_family(a: &str, b: &str) -> bool {
    let key = |s: &str| {
        s.chars()
            .filter(|c| !matches!(c, ' ' | '-' | '_'))
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    a.eq_ignore_ascii_case(b) || key(a) == key(b)
}

/// How deep font discovery goes below a `fonts/` folder.
const MAX_DEPTH: usize = 8;
/// How many entries (files and folders) font discovery looks at under one `fonts/` folder.
const MAX_ENTRIES: usize = 4096;

/// Font files under `dir` (recursively), sorted by path so loading is deterministic.
///
/// `dir` is a `fonts/` folder; the folder that holds it (the edition, or the magazine) is
/// the boundary no symbolic link may lead out of. Links inside are followed, each folder
/// once (so a loop ends), at most [`MAX_DEPTH`] folders deep and [`MAX_ENTRIES`] entries
/// in all. A FIFO, device or socket, a link out of the boundary or one that cannot be
/// followed, and a font file over `limit` bytes are errors naming the path; none is
/// opened. A missing `dir` has no fonts.
fn font_files(dir: &Path, limit: u64) -> Result<Vec<PathBuf>, Diagnostic> {
    let Some(boundary) = dir.parent().and_then(|p| std::fs::canonicalize(p).ok()) else {
        return Ok(Vec::new());
    };
    if std::fs::symlink_metadata(dir).is_err() {
        return Ok(Vec::new());
    }
    let mut walk = Walk {
        boundary,
        limit,
        visited: HashSet::new(),
        entries: 0,
        files: Vec::new(),
    };
    walk.entry(dir, 0)?;
    Ok(walk.files)
}

/// The state of one font discovery (see [`font_files`]).
struct Walk {
    boundary: PathBuf,
    /// The largest font file (bytes).
    limit: u64,
    visited: HashSet<PathBuf>,
    entries: usize,
    files: Vec<PathBuf>,
}

impl Walk {
    /// Looks at `path` (`depth` folders below the `fonts/` folder), without opening it.
    fn entry(&mut self, path: &Path, depth: usize) -> Result<(), Diagnostic> {
        let problem =
            |message: String, hint: &str| Diagnostic::error(message).in_file(path).with_hint(hint);
        let shown = path.display();
        let link = std::fs::symlink_metadata(path).map_err(|e| {
            problem(
                format!("cannot read `{shown}`: {e}"),
                "check its permissions",
            )
        })?;
        let target = if link.file_type().is_symlink() {
            let target = std::fs::canonicalize(path).map_err(|e| {
                problem(
                    format!("the symbolic link `{shown}` cannot be followed: {e}"),
                    "remove the link, or replace it by the font file itself",
                )
            })?;
            if !target.starts_with(&self.boundary) {
                return Err(problem(
                    format!(
                        "`{shown}` leads outside `{}` through a symbolic link (to `{}`)",
                        self.boundary.display(),
                        target.display()
                    ),
                    "nothing may leave the edition through a symbolic link; copy the font files into its `fonts/` folder",
                ));
            }
            target
        } else {
            path.to_path_buf()
        };
        let meta = std::fs::metadata(&target).map_err(|e| {
            problem(
                format!("cannot read `{shown}`: {e}"),
                "check its permissions",
            )
        })?;
        if meta.is_dir() {
            return self.folder(path, &target, depth);
        }
        if let Some(kind) = read::special_kind(&meta) {
            let (message, hint) = read::special_problem(&shown.to_string(), kind);
            return Err(problem(
                message,
                &format!("{hint}, or remove it from the fonts folder"),
            ));
        }
        let is_font = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| FONT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
        if is_font {
            if meta.len() > self.limit {
                return Err(problem(
                    format!(
                        "the font file `{shown}` is {} bytes, more than the limit of {} bytes",
                        meta.len(),
                        self.limit
                    ),
                    "use a smaller font file (a single family, without unused scripts)",
                ));
            }
            self.files.push(path.to_path_buf());
        }
        Ok(())
    }

    /// The entries of the folder at `path` (its real place is `real`), in name order.
    fn folder(&mut self, path: &Path, real: &Path, depth: usize) -> Result<(), Diagnostic> {
        let real = std::fs::canonicalize(real).unwrap_or_else(|_| real.to_path_buf());
        if !self.visited.insert(real) {
            // Seen already, through another link: a loop, or a second way to the same fonts.
            return Ok(());
        }
        if depth > MAX_DEPTH {
            return Err(Diagnostic::error(format!(
                "`{}` is more than {MAX_DEPTH} folders deep in a fonts folder",
                path.display()
            ))
            .in_file(path)
            .with_hint("keep font files at most a few folders below `fonts/`"));
        }
        let Ok(entries) = std::fs::read_dir(path) else {
            return Ok(());
        };
        let mut paths = Vec::new();
        for entry in entries.flatten() {
            self.entries += 1;
            if self.entries > MAX_ENTRIES {
                return Err(Diagnostic::error(format!(
                    "more than {MAX_ENTRIES} files and folders under a fonts folder (at `{}`)",
                    path.display()
                ))
                .in_file(path)
                .with_hint("keep only the font files the edition uses in `fonts/`"));
            }
            paths.push(entry.path());
        }
        paths.sort();
        for child in paths {
            self.entry(&child, depth + 1)?;
        }
        Ok(())
    }
}

/// The error for families the style names but no font provides.
fn missing_families(
    style: &Style,
    db: &Database,
    missing: &[&str],
    font_dirs: &[PathBuf],
) -> Diagnostic {
    let mut available: Vec<&str> = db
        .faces()
        .filter_map(|f| f.families.first().map(|(n, _)| n.as_str()))
        .collect();
    available.sort_unstable();
    available.dedup();
    let names: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
    let message = format!(
        "the style `{}` names font {} {} that no font provides",
        style.name,
        if missing.len() == 1 {
            "family"
        } else {
            "families"
        },
        names.join(", ")
    );
    let folders = if font_dirs.is_empty() {
        "an edition's `fonts/` folder".to_string()
    } else {
        font_dirs
            .iter()
            .map(|d| format!("`{}`", d.display()))
            .collect::<Vec<_>>()
            .join(" or ")
    };
    let hint = format!(
        "available families: {}; put the font files (OTF, TTF or TTC) in {folders}",
        available.join(", ")
    );
    let d = Diagnostic::error(message).with_hint(hint);
    match &style.source {
        Some(file) => d.in_file(file),
        None => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn style() -> Style {
        crate::edition::builtin_style("magazine").expect("built-in style")
    }

    #[test]
    fn loads_the_embedded_families_of_the_style() {
        let book = FontBook::load(&style(), &[]).expect("fonts load");
        let families = book.families();
        assert!(families.contains(&"Libertinus Serif"), "{families:?}");
        assert!(families.contains(&"NewComputerModern"), "{families:?}");
        assert!(families.contains(&"DejaVu Sans Mono"), "{families:?}");
        // Math fonts are not named by the style: not in the book.
        assert!(!families.iter().any(|f| f.contains("Math")), "{families:?}");
        let f = book.get(FontId(0));
        assert!(f.units_per_em > 0 && f.ascender > 0 && f.descender < 0);
    }

    #[test]
    fn select_matches_weight_and_slant() {
        let book = FontBook::load(&style(), &[]).expect("fonts load");
        let face = |weight, italic| {
            let id = book
                .select(&FontQuery {
                    family: "libertinus serif".into(),
                    weight,
                    italic,
                })
                .expect("a face");
            let f = book.get(id);
            let parsed = ttf_parser::Face::parse(f.bytes(), f.index).expect("parses");
            (parsed.weight().to_number(), parsed.is_italic())
        };
        assert_eq!(face(Weight::Regular, false), (400, false));
        assert_eq!(face(Weight::Regular, true), (400, true));
        assert_eq!(face(Weight::Semibold, false), (600, false));
        assert_eq!(face(Weight::Bold, true), (700, true));
        assert!(
            book.select(&FontQuery {
                family: "Nonexistent Sans".into(),
                weight: Weight::Regular,
                italic: false
            })
            .is_none()
        );
    }

    #[test]
    fn missing_weight_takes_the_nearest_one() {
        let book = FontBook::load(&style(), &[]).expect("fonts load");
        // New Computer Modern has no semibold: the bold (700) is nearest above 600.
        let id = book
            .select(&FontQuery {
                family: "New Computer Modern".into(),
                weight: Weight::Semibold,
                italic: false,
            })
            .expect("a face");
        let f = book.get(id);
        let parsed = ttf_parser::Face::parse(f.bytes(), f.index).expect("parses");
        assert_eq!(parsed.weight().to_number(), 700);
    }

    #[test]
    fn italic_falls_back_to_upright() {
        let regular = typst_assets::fonts().next().expect("an embedded font");
        let font = loaded(Arc::new(regular), 0, "Libertinus Serif").expect("parses");
        let book = FontBook { fonts: vec![font] };
        let id = book.select(&FontQuery {
            family: "Libertinus Serif".into(),
            weight: Weight::Bold,
            italic: true,
        });
        assert_eq!(id, Some(FontId(0)));
    }

    #[test]
    fn a_missing_family_names_the_style_file_and_what_exists() {
        let mut s = style();
        s.fonts.body = "Garamond Imaginary".into();
        s.source = Some(PathBuf::from("/e/styles/mine.toml"));
        let err = FontBook::load(&s, &[]).err().expect("an error");
        assert!(err.is_error());
        assert!(
            err.message.contains("`Garamond Imaginary`"),
            "{}",
            err.message
        );
        assert_eq!(err.file.as_deref(), Some(Path::new("/e/styles/mine.toml")));
        let hint = err.hint.expect("a hint");
        assert!(hint.contains("Libertinus Serif"), "{hint}");
    }

    #[test]
    fn user_fonts_come_first_and_win() {
        let dir = tempfile::tempdir().expect("temp dir");
        let regular = typst_assets::fonts().next().expect("an embedded font");
        std::fs::write(dir.path().join("MyCopy.otf"), regular).expect("write");
        std::fs::write(dir.path().join("notes.txt"), "not a font").expect("write");
        let book = FontBook::load(&style(), &[dir.path().to_path_buf()]).expect("fonts load");
        let id = book
            .select(&FontQuery {
                family: "Libertinus Serif".into(),
                weight: Weight::Regular,
                italic: false,
            })
            .expect("a face");
        // The user's copy is read from disk: its bytes are not the embedded static slice.
        assert_eq!(id, FontId(0));
        assert!(!std::ptr::eq(
            book.get(id).bytes().as_ptr(),
            regular.as_ptr()
        ));
    }
}
