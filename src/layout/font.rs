//! Fonts: the embedded Libertinus Serif family, user fonts from the edition's and the
//! magazine's `fonts/` folders and from `--font-path` folders, and the system's fonts for
//! families none of those has; found by family, weight and style with fontdb.

use std::collections::{BTreeMap, HashMap, HashSet};
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
    /// The face's weight class (400 regular, 700 bold).
    pub weight: u16,
    /// Italic or oblique.
    pub italic: bool,
    /// The font file; `None` for a face built into quire.
    pub path: Option<PathBuf>,
}

/// Where a face was found, in the order of precedence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FontOrigin {
    /// The edition's own `fonts/` folder.
    Edition,
    /// The project's shared `fonts/` folder (beside `editions/`).
    Shared,
    /// A `--font-path` folder.
    FontPath,
    /// Built into quire.
    Embedded,
    /// Installed on the system.
    System,
}

impl FontOrigin {
    /// The name `quire fonts` shows.
    pub fn name(self) -> &'static str {
        match self {
            FontOrigin::Edition => "edition",
            FontOrigin::Shared => "shared",
            FontOrigin::FontPath => "font-path",
            FontOrigin::Embedded => "embedded",
            FontOrigin::System => "system",
        }
    }
}

/// The font folders and switches an edition is laid out with (besides the embedded
/// fonts, which are always there).
#[derive(Debug, Clone, Copy, Default)]
pub struct FontSources<'a> {
    /// The edition's `fonts/`, then the project's (the hostile-input rules apply: no link
    /// out of the folder that holds it); the first is the edition's when it is `edition`.
    pub dirs: &'a [PathBuf],
    /// The edition folder, to tell its `fonts/` from the project's.
    pub edition: Option<&'a Path>,
    /// `--font-path` folders, in order; trusted (links may lead anywhere).
    pub paths: &'a [PathBuf],
    /// Whether the system's fonts are looked at, for families no other source has.
    pub system: bool,
}

/// One face quire can use, for `quire fonts`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaceInfo {
    /// The family's name.
    pub family: String,
    /// The face's PostScript name, when it has one.
    pub name: Option<String>,
    /// Weight class (400 regular, 700 bold).
    pub weight: u16,
    /// `normal`, `italic` or `oblique`.
    pub style: &'static str,
    /// Where it was found.
    pub origin: FontOrigin,
    /// Its file (`None` for an embedded face).
    pub path: Option<PathBuf>,
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
    #[cfg(any(test, feature = "fuzzing"))]
    pub(crate) fn load(style: &Style, font_dirs: &[PathBuf]) -> Result<FontBook, Diagnostic> {
        Self::load_limited(style, font_dirs, crate::model::Limits::default().font_file)
    }

    /// [`FontBook::load`], reading no font file over `font_limit` bytes.
    #[cfg(any(test, feature = "fuzzing"))]
    pub(crate) fn load_limited(
        style: &Style,
        font_dirs: &[PathBuf],
        font_limit: u64,
    ) -> Result<FontBook, Diagnostic> {
        let sources = FontSources {
            dirs: font_dirs,
            ..FontSources::default()
        };
        Self::load_from(style, &sources, font_limit)
    }

    /// Loads the faces of the style's families from `sources` and the embedded fonts,
    /// reading no font file over `font_limit` bytes; checks that the style's families
    /// exist (an error at the family's place in the style file, with the nearest names).
    ///
    /// Precedence, first wins among equal faces: the edition's `fonts/`, the project's,
    /// `--font-path` folders in order, the embedded fonts. The system's fonts are read only
    /// when a family the style names is in none of those, and give only such families:
    /// they never replace or add to a family quire or the edition brings, so the same
    /// edition sets the same way on every machine as long as it names no system font.
    pub(crate) fn load_from(
        style: &Style,
        sources: &FontSources<'_>,
        font_limit: u64,
    ) -> Result<FontBook, Diagnostic> {
        let mut wanted: Vec<&str> = vec![&style.fonts.body, &style.fonts.display];
        wanted.extend(style.fonts.fallback.iter().map(String::as_str));
        let (mut db, _) = database(sources, font_limit)?;
        let missing = |db: &Database| {
            let mut missing: Vec<&str> = Vec::new();
            for name in &wanted {
                if canonical_family(db, name).is_none() && !missing.contains(name) {
                    missing.push(*name);
                }
            }
            missing
        };
        // Faces that came before the system's: system faces of their families are left out.
        let bundled: HashSet<fontdb::ID> = db.faces().map(|f| f.id).collect();
        let bundled_families: Vec<String> = wanted
            .iter()
            .filter_map(|w| canonical_family(&db, w).map(str::to_string))
            .collect();
        if sources.system && !missing(&db).is_empty() {
            db.load_system_fonts();
        }
        let still = missing(&db);
        if !still.is_empty() {
            return Err(missing_families(style, &db, &still, sources));
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
            if !bundled.contains(&face.id)
                && bundled_families.iter().any(|b| same_family(b, family))
            {
                continue;
            }
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
            if let Some(mut font) = loaded(data, face.index, family) {
                if let Source::File(path) | Source::SharedFile(path, _) = &face.source {
                    font.path = Some(path.clone());
                }
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
                path: f.path.clone(),
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
    let weight = face.weight().to_number();
    let italic = face.is_italic() || face.is_oblique();
    Some(LoadedFont {
        data,
        index,
        family: family.to_string(),
        units_per_em,
        ascender,
        descender,
        weight,
        italic,
        path: None,
    })
}

/// The family's name as the fonts spell it (see [`same_family`]).
fn canonical_family<'a>(db: &'a Database, name: &str) -> Option<&'a str> {
    db.faces()
        .flat_map(|f| f.families.iter())
        .map(|(n, _)| n.as_str())
        .find(|n| same_family(n, name))
}

/// The faces of `sources` (without the system's) and the embedded ones, in precedence
/// order, with where each was found.
fn database(
    sources: &FontSources<'_>,
    font_limit: u64,
) -> Result<(Database, HashMap<fontdb::ID, FontOrigin>), Diagnostic> {
    let mut db = Database::new();
    let mut origins = HashMap::new();
    let mut add = |db: &mut Database, file: &Path, origin: FontOrigin| {
        // Unreadable or malformed files are skipped, as fontdb does in folders; a family
        // that ends up missing is reported by the caller.
        let before: HashSet<fontdb::ID> = db.faces().map(|f| f.id).collect();
        let _ = db.load_font_file(file);
        for face in db.faces().filter(|f| !before.contains(&f.id)) {
            origins.insert(face.id, origin);
        }
    };
    for dir in sources.dirs {
        let origin = match sources.edition {
            Some(edition) if dir.parent() == Some(edition) => FontOrigin::Edition,
            _ => FontOrigin::Shared,
        };
        for file in font_files(dir, font_limit)? {
            add(&mut db, &file, origin);
        }
    }
    for dir in sources.paths {
        for file in font_path_files(dir, font_limit)? {
            add(&mut db, &file, FontOrigin::FontPath);
        }
    }
    for data in typst_assets::fonts() {
        for id in db.load_font_source(Source::Binary(Arc::new(data))) {
            origins.insert(id, FontOrigin::Embedded);
        }
    }
    Ok((db, origins))
}

/// Every face quire can use from `sources`, in precedence order (see
/// [`FontBook::load_from`]), then the system's when `sources.system`; for `quire fonts`.
pub fn catalogue(sources: &FontSources<'_>, font_limit: u64) -> Result<Vec<FaceInfo>, Diagnostic> {
    let (mut db, origins) = database(sources, font_limit)?;
    if sources.system {
        db.load_system_fonts();
    }
    let mut out = Vec::new();
    for face in db.faces() {
        let Some((family, _)) = face.families.first() else {
            continue;
        };
        let path = match &face.source {
            Source::Binary(_) => None,
            Source::File(path) | Source::SharedFile(path, _) => Some(path.clone()),
        };
        out.push(FaceInfo {
            family: family.clone(),
            name: Some(face.post_script_name.clone()).filter(|n| !n.is_empty()),
            weight: face.weight.0,
            style: match face.style {
                fontdb::Style::Normal => "normal",
                fontdb::Style::Italic => "italic",
                fontdb::Style::Oblique => "oblique",
            },
            origin: origins.get(&face.id).copied().unwrap_or(FontOrigin::System),
            path,
        });
    }
    // Stable: by origin (precedence), then family, weight and style; the system's order
    // on disk is not.
    out.sort_by(|a, b| {
        (
            a.origin,
            a.family.to_lowercase(),
            a.weight,
            a.style,
            &a.path,
        )
            .cmp(&(
                b.origin,
                b.family.to_lowercase(),
                b.weight,
                b.style,
                &b.path,
            ))
    });
    Ok(out)
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

/// Font files under a `--font-path` folder: as [`font_files`], but the folder is the
/// user's own choice, so links may lead anywhere; a folder that does not exist is an error.
fn font_path_files(dir: &Path, limit: u64) -> Result<Vec<PathBuf>, Diagnostic> {
    let canonical = std::fs::canonicalize(dir)
        .ok()
        .filter(|c| c.is_dir())
        .ok_or_else(|| {
            Diagnostic::error(format!("--font-path `{}` is not a folder", dir.display()))
                .with_hint("name a folder that holds font files (OTF, TTF or TTC)")
        })?;
    let boundary = canonical
        .ancestors()
        .last()
        .map_or_else(|| canonical.clone(), Path::to_path_buf);
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

/// The error for families the style names but no font provides: at the place the style
/// file names the first of them, with the nearest available family names.
fn missing_families(
    style: &Style,
    db: &Database,
    missing: &[&str],
    sources: &FontSources<'_>,
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
    let folders = if sources.dirs.is_empty() {
        "an edition's `fonts/` folder".to_string()
    } else {
        sources
            .dirs
            .iter()
            .map(|d| format!("`{}`", d.display()))
            .collect::<Vec<_>>()
            .join(" or ")
    };
    let near = nearest_families(missing[0], &available);
    let hint = if near.is_empty() {
        let shown: Vec<&str> = available.iter().take(MAX_LISTED).copied().collect();
        let more = available.len().saturating_sub(MAX_LISTED);
        format!(
            "available families: {}{}; put the font files (OTF, TTF or TTC) in {folders} \
             or a --font-path folder",
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more (`quire fonts` lists them)")
            } else {
                String::new()
            }
        )
    } else {
        let near: Vec<String> = near.iter().map(|n| format!("`{n}`")).collect();
        format!(
            "did you mean {}? Otherwise put the font files (OTF, TTF or TTC) in {folders} \
             or a --font-path folder",
            near.join(" or ")
        )
    };
    let d = Diagnostic::error(message).with_hint(hint);
    let Some(file) = &style.source else {
        return d;
    };
    let d = d.in_file(file);
    match family_place(style, file, missing[0]) {
        Some((line, column, width)) => d.at(line, column, width),
        None => d,
    }
}

/// How many family names a hint lists at most.
const MAX_LISTED: usize = 20;

/// Up to three available family names close to `name`, closest first.
fn nearest_families<'a>(name: &str, available: &[&'a str]) -> Vec<&'a str> {
    let lower = name.to_lowercase();
    let mut scored: Vec<(f64, &str)> = available
        .iter()
        .map(|a| (strsim::jaro_winkler(&lower, &a.to_lowercase()), *a))
        .filter(|(score, _)| *score >= 0.75)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.into_iter().take(3).map(|(_, n)| n).collect()
}

/// Where the style file writes `family` (`fonts.body`, `fonts.display` or an entry of
/// `fonts.fallback`): line, column and width. The file is read again for this message
/// only; `None` when it cannot be, or when the name comes from the style it builds on.
pub(crate) fn family_place(
    style: &Style,
    file: &Path,
    family: &str,
) -> Option<(usize, usize, usize)> {
    use crate::edition::tomlerr::{Seg, locate, position};
    let limit = crate::model::Limits::default().text_file;
    let text = crate::edition::text::read_text(file, file, limit).ok()?;
    let fonts = &style.fonts;
    let mut paths: Vec<Vec<Seg<'_>>> = Vec::new();
    if fonts.body == family {
        paths.push(vec![Seg::Key("fonts"), Seg::Key("body")]);
    }
    if fonts.display == family {
        paths.push(vec![Seg::Key("fonts"), Seg::Key("display")]);
    }
    for (i, f) in fonts.fallback.iter().enumerate() {
        if f == family {
            paths.push(vec![Seg::Key("fonts"), Seg::Key("fallback"), Seg::Index(i)]);
        }
    }
    let span = paths.iter().find_map(|p| locate(&text, p))?;
    Some(position(&text, span, 1))
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
    fn nearest_families_are_close_names_closest_first() {
        let available = ["DejaVu Sans Mono", "Libertinus Serif", "Liberation Serif"];
        assert_eq!(
            nearest_families("Libertinus Serf", &available)[0],
            "Libertinus Serif"
        );
        assert!(nearest_families("Zapfino", &available).is_empty());
    }

    #[test]
    fn system_fonts_never_join_a_bundled_family() {
        let faces = |system: bool| {
            let sources = FontSources {
                system,
                ..FontSources::default()
            };
            let book = FontBook::load_from(&style(), &sources, u64::MAX).expect("fonts load");
            book.fonts
                .iter()
                .map(|f| (f.family.clone(), f.weight, f.italic, f.bytes().as_ptr()))
                .collect::<Vec<_>>()
        };
        // Every family of the built-in style is embedded: the same faces, the same bytes,
        // whatever the machine has installed.
        assert_eq!(faces(true), faces(false));
    }

    #[test]
    fn the_catalogue_lists_font_path_faces_before_the_embedded_ones() {
        let dir = tempfile::tempdir().expect("temp dir");
        let regular = typst_assets::fonts().next().expect("an embedded font");
        std::fs::write(dir.path().join("Copy.otf"), regular).expect("write");
        let paths = [dir.path().to_path_buf()];
        let sources = FontSources {
            paths: &paths,
            ..FontSources::default()
        };
        let faces = catalogue(&sources, u64::MAX).expect("a catalogue");
        assert_eq!(faces[0].origin, FontOrigin::FontPath);
        assert_eq!(
            faces[0].path.as_deref(),
            Some(dir.path().join("Copy.otf").as_path())
        );
        assert!(faces[1..].iter().all(|f| f.origin == FontOrigin::Embedded));
        let missing = [dir.path().join("nothing-here")];
        let sources = FontSources {
            paths: &missing,
            ..FontSources::default()
        };
        let err = catalogue(&sources, u64::MAX).expect_err("not a folder");
        assert!(err.message.contains("is not a folder"), "{}", err.message);
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
