//! Shaping: text to glyphs with rustybuzz (kerning, ligatures, the style's OpenType
//! features, the language's forms), falling back along a chain of fonts for characters
//! the first one lacks, with results cached per (text, fonts, features, language).
//!
//! Results are in em (multiply by the font size for points), so one cached word serves
//! every size. Glyph ranges are byte ranges of the shaped text, and every glyph of a
//! cluster carries the whole cluster's range (a ligature "ffi" covers three characters; a
//! base and its mark both cover both), which is what krilla's `Glyph::text_range` expects
//! for exact text extraction.

use rustc_hash::FxHashMap as HashMap;
use std::ops::Range;
use std::str::FromStr;
use std::sync::{Arc, Mutex, RwLock};

use rustybuzz::ttf_parser::Tag;
use rustybuzz::{Direction, Face, Feature, Script, ShapePlan, UnicodeBuffer};

use crate::layout::font::{FontBook, FontId};

/// A shaped glyph. Lengths in em.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ShapedGlyph {
    pub font: FontId,
    pub id: u16,
    pub advance: f32,
    pub x_offset: f32,
    /// Upwards positive (as in OpenType and krilla).
    pub y_offset: f32,
    /// Byte range of the shaped text of the glyph's cluster (see the module doc).
    pub range: Range<usize>,
}

/// The glyphs of one text, and the characters no font of the chain has.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Shaped {
    pub glyphs: Vec<ShapedGlyph>,
    /// Characters drawn with a replacement glyph because no font covers them.
    pub missing: Vec<char>,
}

impl Shaped {
    /// Total advance, in em.
    pub(crate) fn width(&self) -> f32 {
        self.glyphs.iter().map(|g| g.advance).sum()
    }
}

/// A handle to a shaping setup (font chain, features, language) made by [`Shaper::spec`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct SpecId(u32);

/// Fonts in fallback order, features, language.
struct Spec {
    fonts: Vec<FontId>,
    features: Vec<Feature>,
    language: Option<rustybuzz::Language>,
    /// The same setup without the first font (for fallback), if any font is left.
    tail: Option<SpecId>,
}

type SpecKey = (Vec<FontId>, Vec<String>, String);

/// Most texts cached per setup, in this shaper's cache and in the shared one: a cache
/// that is full is emptied and starts again (results depend only on the setup and the
/// text, so this changes no output). 100,000 words of a few hundred bytes each, tens of
/// megabytes at most, far more distinct words than an edition of ordinary prose holds;
/// without a cap, text of endless distinct words (numbers, a generated file) grew the
/// cache with its length.
pub(crate) const CACHE_CAP: usize = 100_000;

/// Caches `text` unless it is there, in a cache of at most `cap` texts: a full one is
/// emptied first.
pub(crate) fn insert_capped<V>(
    cache: &mut HashMap<String, V>,
    cap: usize,
    text: &str,
    value: impl FnOnce() -> V,
) {
    if cache.contains_key(text) {
        return;
    }
    if cache.len() >= cap {
        cache.clear();
    }
    cache.insert(text.to_string(), value());
}

/// Shaped texts of one setup, by text.
type Results = HashMap<String, Arc<Shaped>>;

/// Shaping results shared by the shapers of every thread laying out one edition: a word
/// shaped by one is not shaped again by another. Results depend only on the setup and the
/// text, so sharing them changes nothing in the output.
#[derive(Clone, Default)]
pub(crate) struct SharedShapes(Arc<Mutex<HashMap<SpecKey, Arc<RwLock<Results>>>>>);

impl SharedShapes {
    /// The results of the setup `key`, made empty when it is new.
    fn results(&self, key: &SpecKey) -> Arc<RwLock<Results>> {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(key.clone()).or_default().clone()
    }
}
type PlanKey = (u32, FontId, Direction, Option<Script>);

/// Shapes text; one per thread (it caches faces, shaping plans and results).
pub(crate) struct Shaper<'a> {
    book: &'a FontBook,
    /// Parsed faces by font id (`None` inside: the face cannot be parsed).
    faces: Vec<Option<Option<Face<'a>>>>,
    specs: Vec<Spec>,
    spec_keys: HashMap<SpecKey, SpecId>,
    plans: HashMap<PlanKey, ShapePlan>,
    /// Results by spec, then text: this shaper's own, then those shared with the other
    /// threads' shapers.
    cache: Vec<Results>,
    shared: Vec<Arc<RwLock<Results>>>,
    shapes: SharedShapes,
    buffer: Option<UnicodeBuffer>,
    /// Calls answered from the cache and calls that shaped.
    pub hits: u64,
    pub misses: u64,
}

impl<'a> Shaper<'a> {
    /// A shaper of its own (tests).
    #[cfg(test)]
    pub(crate) fn new(book: &'a FontBook) -> Self {
        Shaper::sharing(book, SharedShapes::default())
    }

    /// A shaper that shares its results with the others made with `shapes`.
    pub(crate) fn sharing(book: &'a FontBook, shapes: SharedShapes) -> Self {
        Shaper {
            book,
            faces: Vec::new(),
            specs: Vec::new(),
            spec_keys: HashMap::default(),
            plans: HashMap::default(),
            cache: Vec::new(),
            shared: Vec::new(),
            shapes,
            buffer: None,
            hits: 0,
            misses: 0,
        }
    }

    /// A shaping setup: `fonts` in fallback order (at least one), OpenType feature tags
    /// (four letters; "-liga" style syntax is accepted too), BCP 47 language tag.
    pub(crate) fn spec(&mut self, fonts: &[FontId], features: &[String], language: &str) -> SpecId {
        let key: SpecKey = (fonts.to_vec(), features.to_vec(), language.to_string());
        if let Some(&id) = self.spec_keys.get(&key) {
            return id;
        }
        let tail = (fonts.len() > 1).then(|| self.spec(&fonts[1..], features, language));
        let id = SpecId(self.specs.len() as u32);
        self.specs.push(Spec {
            fonts: fonts.to_vec(),
            features: features.iter().filter_map(|f| parse_feature(f)).collect(),
            language: rustybuzz::Language::from_str(language).ok(),
            tail,
        });
        self.cache.push(HashMap::default());
        self.shared.push(self.shapes.results(&key));
        self.spec_keys.insert(key, id);
        id
    }

    /// The first font of a setup.
    pub(crate) fn primary(&self, spec: SpecId) -> FontId {
        self.specs[spec.0 as usize].fonts[0]
    }

    /// Shapes `text` (cached).
    pub(crate) fn shape(&mut self, spec: SpecId, text: &str) -> Arc<Shaped> {
        let i = spec.0 as usize;
        if let Some(hit) = self.cache[i].get(text) {
            self.hits += 1;
            return hit.clone();
        }
        let shared = self.shared[i]
            .read()
            .ok()
            .and_then(|r| r.get(text).cloned());
        if let Some(hit) = shared {
            self.hits += 1;
            self.cache[i].insert(text.to_string(), hit.clone());
            return hit;
        }
        self.misses += 1;
        let shaped = Arc::new(self.shape_uncached(spec, text));
        insert_capped(&mut self.cache[i], CACHE_CAP, text, || shaped.clone());
        if let Ok(mut w) = self.shared[i].write() {
            insert_capped(&mut w, CACHE_CAP, text, || shaped.clone());
        }
        shaped
    }

    /// The results this shaper shares, for another thread's shaper.
    pub(crate) fn shapes(&self) -> SharedShapes {
        self.shapes.clone()
    }

    /// Does `font` have the OpenType feature `tag` (in GSUB or GPOS)?
    pub(crate) fn has_feature(&mut self, font: FontId, tag: &str) -> bool {
        let tag = Tag::from_bytes_lossy(tag.as_bytes());
        self.face(font).is_some_and(|face| {
            let tables = face.tables();
            let found = |t: Option<rustybuzz::ttf_parser::opentype_layout::LayoutTable>| {
                t.is_some_and(|t| t.features.into_iter().any(|f| f.tag == tag))
            };
            found(tables.gsub) || found(tables.gpos)
        })
    }

    /// The glyph of `c` in `font`, if it has one.
    pub(crate) fn glyph_of(&mut self, font: FontId, c: char) -> Option<u16> {
        self.face(font)?.glyph_index(c).map(|g| g.0)
    }

    /// The horizontal advance of glyph `id` of `font`, in em.
    pub(crate) fn advance_of(&mut self, font: FontId, id: u16) -> f32 {
        let upem = f32::from(self.book.get(font).units_per_em.max(1));
        self.face(font)
            .and_then(|f| f.glyph_hor_advance(rustybuzz::ttf_parser::GlyphId(id)))
            .map_or(0.0, |a| f32::from(a) / upem)
    }

    fn face(&mut self, font: FontId) -> Option<&Face<'a>> {
        let i = usize::from(font.0);
        if i >= self.book.fonts.len() {
            return None;
        }
        if self.faces.len() <= i {
            self.faces.resize_with(i + 1, || None);
        }
        if self.faces[i].is_none() {
            let f = self.book.get(font);
            let data: &'a [u8] = self.book.get(font).bytes();
            self.faces[i] = Some(Face::from_slice(data, f.index));
        }
        self.faces[i].as_ref().and_then(Option::as_ref)
    }

    fn shape_uncached(&mut self, spec: SpecId, text: &str) -> Shaped {
        if text.is_empty() {
            return Shaped::default();
        }
        let font = self.primary(spec);
        let out = match self.shape_one(spec, font, text) {
            Some(glyphs) => glyphs,
            // An unreadable face covers nothing.
            None => vec![ShapedGlyph {
                font,
                id: 0,
                advance: 0.0,
                x_offset: 0.0,
                y_offset: 0.0,
                range: 0..text.len(),
            }],
        };
        if out.iter().all(|g| g.id != 0) {
            return Shaped {
                glyphs: out,
                missing: Vec::new(),
            };
        }

        // Group the glyphs into clusters (consecutive glyphs with one range); runs of
        // clusters holding a .notdef glyph are shaped again with the rest of the chain, or
        // get a replacement glyph per character when no font is left.
        let tail = self.specs[spec.0 as usize].tail;
        let mut glyphs = Vec::with_capacity(out.len());
        let mut lost = Vec::new();
        let mut i = 0;
        while i < out.len() {
            let cluster_end = |from: usize| {
                let r = &out[from].range;
                from + out[from..].iter().take_while(|g| g.range == *r).count()
            };
            let j = cluster_end(i);
            if out[i..j].iter().all(|g| g.id != 0) {
                glyphs.extend_from_slice(&out[i..j]);
                i = j;
                continue;
            }
            // A run of missing clusters that follow each other in the text.
            let mut run = out[i].range.clone();
            let mut k = j;
            while k < out.len() && out[k].range.start == run.end {
                let e = cluster_end(k);
                if out[k..e].iter().all(|g| g.id != 0) {
                    break;
                }
                run.end = out[k].range.end;
                k = e;
            }
            match tail {
                Some(tail) => {
                    let sub = self.shape(tail, &text[run.clone()]);
                    glyphs.extend(sub.glyphs.iter().map(|g| ShapedGlyph {
                        range: g.range.start + run.start..g.range.end + run.start,
                        ..g.clone()
                    }));
                    lost.extend(sub.missing.iter().copied());
                }
                None => {
                    for (at, c) in text[run.clone()].char_indices() {
                        let start = run.start + at;
                        lost.push(c);
                        if let Some((id, advance)) = self.replacement(font) {
                            glyphs.push(ShapedGlyph {
                                font,
                                id,
                                advance,
                                x_offset: 0.0,
                                y_offset: 0.0,
                                range: start..start + c.len_utf8(),
                            });
                        }
                    }
                }
            }
            i = k;
        }
        lost.sort_unstable();
        lost.dedup();
        Shaped {
            glyphs,
            missing: lost,
        }
    }

    /// A visible stand-in for a character no font has: U+FFFD, else "?".
    fn replacement(&mut self, font: FontId) -> Option<(u16, f32)> {
        let id = self
            .glyph_of(font, '\u{FFFD}')
            .or_else(|| self.glyph_of(font, '?'))?;
        Some((id, self.advance_of(font, id)))
    }

    /// Shapes `text` with one font of `spec`; `None` if the face cannot be parsed.
    fn shape_one(&mut self, spec: SpecId, font: FontId, text: &str) -> Option<Vec<ShapedGlyph>> {
        let upem = f32::from(self.book.get(font).units_per_em.max(1));
        self.face(font)?;
        let face = self.faces[usize::from(font.0)].as_ref()?.as_ref()?;
        let s = &self.specs[spec.0 as usize];
        let mut buffer = self.buffer.take().unwrap_or_default();
        buffer.push_str(text);
        if let Some(lang) = &s.language {
            buffer.set_language(lang.clone());
        }
        buffer.guess_segment_properties();
        let key: PlanKey = (spec.0, font, buffer.direction(), Some(buffer.script()));
        let plan = self.plans.entry(key).or_insert_with(|| {
            ShapePlan::new(face, key.2, key.3, s.language.as_ref(), &s.features)
        });
        let result = rustybuzz::shape_with_plan(face, plan, buffer);
        let infos = result.glyph_infos();
        let positions = result.glyph_positions();

        // Cluster starts in text order; a cluster ends where the next one starts.
        let mut starts: Vec<usize> = infos.iter().map(|i| i.cluster as usize).collect();
        starts.sort_unstable();
        starts.dedup();
        let end_of = |start: usize| {
            let k = starts.partition_point(|&s| s <= start);
            starts.get(k).copied().unwrap_or(text.len())
        };
        let mut glyphs = Vec::with_capacity(infos.len());
        for (info, pos) in infos.iter().zip(positions) {
            let start = info.cluster as usize;
            let range = start..end_of(start);
            glyphs.push(ShapedGlyph {
                font,
                id: u16::try_from(info.glyph_id).unwrap_or(0),
                advance: pos.x_advance as f32 / upem,
                x_offset: pos.x_offset as f32 / upem,
                y_offset: pos.y_offset as f32 / upem,
                range,
            });
        }
        self.buffer = Some(result.clear());
        Some(glyphs)
    }
}

/// `"onum"` → on; `"-liga"` / `"liga=0"` → off (HarfBuzz syntax).
fn parse_feature(tag: &str) -> Option<Feature> {
    if tag.len() == 4 && tag.is_ascii() {
        return Some(Feature::new(Tag::from_bytes_lossy(tag.as_bytes()), 1, ..));
    }
    Feature::from_str(tag).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::font::{FontQuery, Weight};

    fn book() -> FontBook {
        let style = crate::edition::builtin_style("magazine").expect("built-in style");
        FontBook::load(&style, &[]).expect("fonts load")
    }

    fn family(book: &FontBook, name: &str) -> FontId {
        book.select(&FontQuery {
            family: name.into(),
            weight: Weight::Regular,
            italic: false,
        })
        .expect("family in the book")
    }

    fn chain(book: &FontBook) -> Vec<FontId> {
        vec![
            family(book, "Libertinus Serif"),
            family(book, "New Computer Modern"),
            family(book, "DejaVu Sans Mono"),
        ]
    }

    #[test]
    fn a_full_cache_is_emptied_before_it_grows_past_its_cap() {
        let mut cache: HashMap<String, usize> = HashMap::default();
        for (n, text) in ["a", "b", "c", "b", "d", "e"].iter().enumerate() {
            insert_capped(&mut cache, 3, text, || n);
            assert!(cache.len() <= 3, "{cache:?}");
            assert!(cache.contains_key(*text));
        }
        // "b" was there when asked again (kept, not replaced); "d" found the cache full.
        let mut keys: Vec<&str> = cache.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["d", "e"]);
        let mut again: HashMap<String, usize> = HashMap::default();
        insert_capped(&mut again, 3, "x", || 1);
        insert_capped(&mut again, 3, "x", || 2);
        assert_eq!(again["x"], 1);
    }

    #[test]
    fn shapers_sharing_results_shape_a_word_once() {
        let book = book();
        let fonts = chain(&book);
        let mut first = Shaper::new(&book);
        let mut second = Shaper::sharing(&book, first.shapes());
        let mut alone = Shaper::new(&book);
        let spec = first.spec(&fonts, &[], "en");
        let a = first.shape(spec, "office");
        // The same setup gets another id in the second shaper: results follow the setup.
        second.spec(&fonts, &["liga".to_string()], "en");
        let spec2 = second.spec(&fonts, &[], "en");
        assert_ne!(spec, spec2);
        let b = second.shape(spec2, "office");
        assert_eq!((second.hits, second.misses), (1, 0));
        assert!(Arc::ptr_eq(&a, &b), "the first shaper's result");
        let spec3 = alone.spec(&fonts, &[], "en");
        assert_eq!(*alone.shape(spec3, "office"), *b);
        assert_eq!(alone.misses, 1, "a shaper of its own shares nothing");
    }

    #[test]
    fn a_ligature_covers_its_characters() {
        let book = book();
        let mut shaper = Shaper::new(&book);
        let spec = shaper.spec(&chain(&book), &[], "en-GB");
        let shaped = shaper.shape(spec, "office");
        // "o" then one "ffi" ligature then "c", "e".
        let ranges: Vec<Range<usize>> = shaped.glyphs.iter().map(|g| g.range.clone()).collect();
        assert_eq!(ranges, vec![0..1, 1..4, 4..5, 5..6]);
        assert!(shaped.missing.is_empty());
        assert!(
            shaped.width() > 2.0 && shaped.width() < 3.5,
            "{}",
            shaped.width()
        );
    }

    #[test]
    fn kerning_and_features_change_the_result() {
        let book = book();
        let mut shaper = Shaper::new(&book);
        let fonts = chain(&book);
        let plain = shaper.spec(&fonts, &[], "en");
        let oldstyle = shaper.spec(&fonts, &["onum".to_string()], "en");
        let a = shaper.shape(plain, "1984");
        let b = shaper.shape(oldstyle, "1984");
        assert_ne!(
            a.glyphs.iter().map(|g| g.id).collect::<Vec<_>>(),
            b.glyphs.iter().map(|g| g.id).collect::<Vec<_>>()
        );
        // "AV" kerns: narrower than "A" plus "V".
        let av = shaper.shape(plain, "AV").width();
        let sum = shaper.shape(plain, "A").width() + shaper.shape(plain, "V").width();
        assert!(av < sum - 0.01, "{av} vs {sum}");
        assert!(shaper.has_feature(fonts[0], "smcp"));
        assert!(!shaper.has_feature(fonts[0], "zzzz"));
    }

    #[test]
    fn results_are_cached() {
        let book = book();
        let mut shaper = Shaper::new(&book);
        let spec = shaper.spec(&chain(&book), &[], "en");
        let a = shaper.shape(spec, "harbour");
        let b = shaper.shape(spec, "harbour");
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!((shaper.hits, shaper.misses), (1, 1));
    }

    #[test]
    fn missing_characters_fall_back_along_the_chain() {
        let book = book();
        let mut shaper = Shaper::new(&book);
        let fonts = chain(&book);
        let spec = shaper.spec(&fonts, &[], "en");
        // Box drawing: not in Libertinus; the chain finds it further down.
        let text = "a\u{2500}b";
        let shaped = shaper.shape(spec, text);
        assert!(shaped.missing.is_empty(), "{:?}", shaped.missing);
        assert!(shaped.glyphs.iter().all(|g| g.id != 0));
        assert_eq!(shaped.glyphs[0].font, fonts[0]);
        assert_ne!(shaped.glyphs[1].font, fonts[0]);
        assert_eq!(shaped.glyphs[1].range, 1..4);
        assert_eq!(shaped.glyphs[2].font, fonts[0]);
    }

    #[test]
    fn characters_no_font_has_are_reported_and_replaced() {
        let book = book();
        let mut shaper = Shaper::new(&book);
        let fonts = chain(&book);
        let spec = shaper.spec(&fonts, &[], "en");
        let text = "x\u{13000}y";
        let shaped = shaper.shape(spec, text);
        assert_eq!(shaped.missing, vec!['\u{13000}']);
        // Never .notdef: a visible replacement that maps back to the character.
        assert!(shaped.glyphs.iter().all(|g| g.id != 0));
        assert_eq!(shaped.glyphs.len(), 3);
        assert_eq!(shaped.glyphs[1].range, 1..5);
    }
}
