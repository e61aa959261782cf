//! Fonts embedded in the EPUB, each cut down to the characters the edition prints: the
//! body and display families of the style. Libertinus Serif (the built-in family) is
//! embedded as its regular, italic and bold faces from typst-assets; any other family
//! (from the edition's or the magazine's `fonts/`, `--font-path` or the system) as the
//! faces the print layout sets text in, when their licence (OS/2 `fsType`, read by
//! [`crate::layout::licence`], as the print preflight does) allows embedding. A face
//! that may not be embedded is left out with a warning, and the stylesheet's fallbacks
//! stand in for it.
//!
//! Three Libertinus faces are enough for running text; headings in semibold or bold
//! italic fall back to synthesised styles in the reading system rather than adding more
//! faces.
//!
//! Subsetting is HarfBuzz's (through `hb-subset`): Libertinus is a CFF font, and of the
//! Rust subsetters only HarfBuzz both cuts CFF outlines and keeps `GSUB`/`GPOS` for the
//! glyphs it keeps (fontations' `skera` has no CFF subsetter yet; `allsorts` and krilla's
//! `subsetter` drop the layout tables, which is right for PDF, not for CSS). The layout
//! closure follows the features the stylesheet asks for, so small capitals, old-style,
//! lining and tabular figures, ligatures and kerning keep working.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use hb_subset::{Blob, FontFace, SubsetInput, Tag};
use rustybuzz::ttf_parser::{Face, name_id};

use crate::diag::{Code, Diagnostic};
use crate::layout::frame::{Document, FontFace as LaidFace, Item};
use crate::layout::licence::{Embedding, embedding, fs_type};
use crate::model::Style;

/// The built-in family, embedded from quire's own copy.
pub(super) const LIBERTINUS_SERIF: &str = "Libertinus Serif";

/// A font file's bytes, shared with the layout (not copied) until they are subset.
type Bytes = Arc<dyn AsRef<[u8]> + Send + Sync>;

/// One font file in the EPUB and its `@font-face` description.
#[derive(Clone)]
pub(super) struct EmbeddedFont {
    pub family: String,
    /// `fonts/<PostScript name>.otf` (or `.ttf`).
    pub href: String,
    /// `font/otf` (CFF outlines) or `font/ttf` (TrueType outlines).
    pub media_type: &'static str,
    /// CSS `font-style`.
    pub style: &'static str,
    /// CSS `font-weight`.
    pub weight: String,
    /// The font file: the whole file from [`embedded_fonts`], the face after [`subset`].
    pub data: Bytes,
    /// The face's index in a collection file (0 for a single face).
    pub index: u32,
    /// Whether the licence lets it be subset (OS/2 `fsType` bit 8 clear).
    pub may_subset: bool,
}

impl EmbeddedFont {
    /// The font file's bytes.
    pub(super) fn bytes(&self) -> &[u8] {
        (*self.data).as_ref()
    }

    /// CSS `format()` of the file.
    pub(super) fn format(&self) -> &'static str {
        if self.media_type == "font/ttf" {
            "truetype"
        } else {
            "opentype"
        }
    }
}

/// The faces the layout set text in (from the print edition's frames), each once, in
/// the order of the document's font list.
pub(super) fn used_faces(document: &Document) -> Vec<LaidFace> {
    let used: BTreeSet<usize> = document
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            Item::Text(run) => Some(usize::from(run.font.0)),
            _ => None,
        })
        .collect();
    used.into_iter()
        .filter_map(|i| document.fonts.get(i).cloned())
        .collect()
}

/// The faces to embed for `style`: for each of its body and display families, the faces
/// of that family among `laid` (the faces the print layout set text in) whose licence
/// allows embedding, or the three built-in faces of Libertinus Serif when the layout set
/// that family in quire's own copy (or none is known). The warnings name each face left
/// out, its file and the style line naming its family.
///
/// The fallback families are not embedded: the PDF sets only the odd character in them,
/// and a reading system falls back on its own fonts.
pub(super) fn embedded_fonts(
    style: &Style,
    laid: &[LaidFace],
) -> (Vec<EmbeddedFont>, Vec<Diagnostic>) {
    let mut out: Vec<EmbeddedFont> = Vec::new();
    let mut warnings = Vec::new();
    let mut families: Vec<&str> = vec![&style.fonts.body];
    if !crate::layout::font::same_family(&style.fonts.display, &style.fonts.body) {
        families.push(&style.fonts.display);
    }
    for family in families {
        let faces: Vec<&LaidFace> = laid
            .iter()
            .filter(|f| crate::layout::font::same_family(&f.family, family))
            .collect();
        let built_in = faces.iter().all(|f| f.path.is_none());
        if crate::layout::font::same_family(family, LIBERTINUS_SERIF) && built_in {
            out.extend(libertinus());
            continue;
        }
        for face in faces {
            match licensed(style, family, face) {
                Ok(font) => {
                    let mut font = font;
                    font.href = unique_href(&out, &font.href);
                    out.push(font);
                }
                Err(warning) => warnings.push(warning),
            }
        }
    }
    (out, warnings)
}

/// The regular, italic and bold faces of the built-in Libertinus Serif.
fn libertinus() -> Vec<EmbeddedFont> {
    let wanted = [
        ("LibertinusSerif-Regular", "normal", "normal"),
        ("LibertinusSerif-Italic", "italic", "normal"),
        ("LibertinusSerif-Bold", "normal", "bold"),
    ];
    let mut out = Vec::new();
    for (ps_name, font_style, weight) in wanted {
        let found =
            typst_assets::fonts().find(|data| postscript_name(data, 0).as_deref() == Some(ps_name));
        if let Some(data) = found {
            out.push(EmbeddedFont {
                family: LIBERTINUS_SERIF.to_string(),
                href: format!("fonts/{ps_name}.otf"),
                media_type: "font/otf",
                style: font_style,
                weight: weight.to_string(),
                data: Arc::new(data),
                index: 0,
                may_subset: true,
            });
        }
    }
    out
}

/// `face` (of the style's `family`) as an EPUB font when its licence allows embedding
/// its outlines; else the warning that says it is left out.
fn licensed(style: &Style, family: &str, face: &LaidFace) -> Result<EmbeddedFont, Diagnostic> {
    let bits = fs_type(face.bytes(), face.index).unwrap_or(0);
    let (kind, no_subsetting) = embedding(bits);
    if !kind.allows_outlines() {
        return Err(left_out(style, family, face, bits, kind));
    }
    let parsed = Face::parse(face.bytes(), face.index).ok();
    let cff = face.bytes().starts_with(b"OTTO");
    let (ext, media_type) = if cff {
        ("otf", "font/otf")
    } else {
        ("ttf", "font/ttf")
    };
    let name = postscript_name(face.bytes(), face.index)
        .map(|n| file_name(&n))
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| file_name(family));
    Ok(EmbeddedFont {
        family: family.to_string(),
        href: format!("fonts/{name}.{ext}"),
        media_type,
        style: if parsed
            .as_ref()
            .is_some_and(|f| f.is_italic() || f.is_oblique())
        {
            "italic"
        } else {
            "normal"
        },
        weight: parsed
            .as_ref()
            .map_or(400, |f| f.weight().to_number())
            .to_string(),
        data: face.data.clone(),
        index: face.index,
        may_subset: !no_subsetting,
    })
}

/// The warning for a face whose licence forbids embedding it: at the style's line that
/// names its family, naming the font file.
fn left_out(
    style: &Style,
    family: &str,
    face: &LaidFace,
    bits: u16,
    kind: Embedding,
) -> Diagnostic {
    let file = face.path.as_deref().map_or_else(
        || format!("`{}`", face.family),
        |p| format!("`{}`", p.display()),
    );
    let why = match kind {
        Embedding::BitmapOnly => "allow bitmaps only",
        _ => "say restricted licence",
    };
    let d = Diagnostic::warning(format!(
        "the font {file} of `{family}` is not embedded in the EPUB: its licence bits (OS/2 fsType {bits:#06x}) {why}; reading systems show that text in the stylesheet's fallback fonts"
    ))
    .with_code(Code::FontLicence)
    .with_hint(
        "check the font's licence with its vendor, or name a family whose licence allows embedding (`fonts` in the style)",
    );
    match style.source.as_deref() {
        Some(source) => at_family(d.in_file(source), style, source, family),
        None => d,
    }
}

/// `d` placed at the line of `source` (the style file) that names `family`.
fn at_family(d: Diagnostic, style: &Style, source: &Path, family: &str) -> Diagnostic {
    match crate::layout::font::family_place(style, source, family) {
        Some((line, column, width)) => d.at(line, column, width),
        None => d,
    }
}

/// `name` as a file name inside the EPUB: ASCII letters, digits, `-` and `_` only.
fn file_name(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(64)
        .collect()
}

/// `href`, or `href` with `-2`, `-3`… before its extension when a font already has it.
fn unique_href(fonts: &[EmbeddedFont], href: &str) -> String {
    let taken = |h: &str| fonts.iter().any(|f| f.href == h);
    if !taken(href) {
        return href.to_string();
    }
    let (stem, ext) = href.rsplit_once('.').unwrap_or((href, ""));
    (2..)
        .map(|n| format!("{stem}-{n}.{ext}"))
        .find(|h| !taken(h))
        .unwrap_or_default()
}

/// OpenType features the stylesheet turns on, beyond HarfBuzz's default set (which
/// already keeps ligatures, kerning, contextual alternates, marks and localised forms):
/// small capitals (`font-variant: small-caps`, `all-small-caps`) and figure styles
/// (`font-variant-numeric`, the style's `font-feature-settings`).
const CSS_FEATURES: [&[u8; 4]; 8] = [
    b"smcp", b"c2sc", b"onum", b"lnum", b"tnum", b"pnum", b"liga", b"kern",
];

/// Characters a reading system may draw without their being in the text: the space and
/// no-break space, and the hyphens it sets when it breaks a word.
const ALWAYS: [char; 5] = [' ', '\u{A0}', '-', '\u{2010}', '\u{AD}'];

/// `font` cut down to `chars` (with their capitals, for `text-transform: uppercase`) and
/// every glyph the kept features reach from them. A face whose licence forbids subsetting
/// is kept whole (a face of a collection file is taken out of it with all its glyphs).
pub(super) fn subset(
    font: &EmbeddedFont,
    chars: &BTreeSet<char>,
    style: &Style,
) -> Result<EmbeddedFont, String> {
    let failed = |what: &str| format!("could not subset {}: {what}", font.href);
    if !font.may_subset && font.index == 0 {
        return Ok(font.clone());
    }
    let mut input = SubsetInput::new().map_err(|_| failed("out of memory"))?;
    if !font.may_subset {
        input.keep_everything();
    }
    // Subroutines save bytes in a whole font; in a subset, charstrings written out
    // compress better (about 13 % smaller in the EPUB for the sample's faces).
    input.flags().remove_subroutines();
    {
        let mut unicodes = input.unicode_set();
        for &c in chars.iter().chain(ALWAYS.iter()) {
            unicodes.insert(c);
            for other in c.to_uppercase() {
                unicodes.insert(other);
            }
        }
    }
    {
        let mut features = input.layout_feature_tag_set();
        for tag in CSS_FEATURES {
            features.insert(Tag::new(tag));
        }
        let from_style = style.fonts.body_features.iter();
        for tag in from_style.chain(&style.fonts.display_features) {
            if let Ok(tag) = <[u8; 4]>::try_from(tag.as_bytes()) {
                features.insert(Tag::new(tag));
            }
        }
    }
    let blob = Blob::from_bytes(font.bytes()).map_err(|_| failed("out of memory"))?;
    let face = FontFace::new_with_index(blob, font.index).map_err(|_| failed("not a font"))?;
    let cut = input
        .subset_font(&face)
        .map_err(|_| failed("HarfBuzz could not subset it"))?;
    let data = cut.underlying_blob().to_vec();
    Ok(EmbeddedFont {
        data: Arc::new(data),
        index: 0,
        ..font.clone()
    })
}

/// Every character the documents show: their text outside tags, with quire's escapes
/// (`&amp;`, `&lt;`, `&gt;`, `&quot;`, `&#39;`) read back.
pub(super) fn shown_chars<'a>(documents: impl IntoIterator<Item = &'a str>) -> BTreeSet<char> {
    let mut out = BTreeSet::new();
    for document in documents {
        let body = document.find("<body").map_or(document, |i| &document[i..]);
        let mut rest = body;
        while let Some(open) = rest.find('<') {
            add_text(&mut out, &rest[..open]);
            rest = rest[open..]
                .find('>')
                .map_or("", |close| &rest[open + close + 1..]);
        }
        add_text(&mut out, rest);
    }
    out.retain(|c| !c.is_control());
    out
}

/// Adds the characters of XML text `s` to `out`, with the five escapes read back.
fn add_text(out: &mut BTreeSet<char>, s: &str) {
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.extend(rest[..amp].chars());
        let entity = &rest[amp..];
        let Some(end) = entity.find(';') else {
            out.extend(entity.chars());
            return;
        };
        match &entity[..=end] {
            "&amp;" => out.insert('&'),
            "&lt;" => out.insert('<'),
            "&gt;" => out.insert('>'),
            "&quot;" => out.insert('"'),
            "&#39;" => out.insert('\''),
            other => {
                out.extend(other.chars());
                true
            }
        };
        rest = &entity[end + 1..];
    }
    out.extend(rest.chars());
}

/// The PostScript name of face `index` of `data`, from its `name` table.
fn postscript_name(data: &[u8], index: u32) -> Option<String> {
    let face = Face::parse(data, index).ok()?;
    face.names()
        .into_iter()
        .filter(|n| n.name_id == name_id::POST_SCRIPT_NAME)
        .find_map(|n| n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_three_libertinus_faces() {
        let mut style = crate::epub::tests::style();
        style.fonts.body = LIBERTINUS_SERIF.into();
        let (fonts, warnings) = embedded_fonts(&style, &[]);
        assert!(warnings.is_empty());
        let hrefs: Vec<_> = fonts.iter().map(|f| f.href.as_str()).collect();
        assert_eq!(
            hrefs,
            [
                "fonts/LibertinusSerif-Regular.otf",
                "fonts/LibertinusSerif-Italic.otf",
                "fonts/LibertinusSerif-Bold.otf"
            ]
        );
        assert!(fonts.iter().all(|f| f.bytes().starts_with(b"OTTO")));
    }

    #[test]
    fn shown_chars_are_the_text_outside_tags() {
        let doc = "<html><head><title>Zz</title></head><body class=\"q\">\n  \
                   <p title=\"Y\">a&amp;b &lt;c&gt; &#39;d&quot;</p>\u{AD}</body></html>";
        let chars: String = shown_chars([doc]).into_iter().collect();
        assert_eq!(chars, " \"&'<>abcd\u{AD}");
    }

    /// The regular face subset to a few characters.
    fn regular_subset(text: &str) -> Vec<u8> {
        let mut style = crate::epub::tests::style();
        style.fonts.body = LIBERTINUS_SERIF.into();
        let font = embedded_fonts(&style, &[]).0.remove(0);
        let cut = subset(&font, &text.chars().collect(), &style).unwrap();
        assert!(
            cut.bytes().len() * 5 < font.bytes().len(),
            "{}",
            cut.bytes().len()
        );
        cut.bytes().to_vec()
    }

    /// The glyph rustybuzz sets for `text` with `features` on.
    fn shaped(data: &[u8], text: &str, features: &str) -> Vec<u32> {
        let face = rustybuzz::Face::from_slice(data, 0).unwrap();
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        let features: Vec<_> = features
            .split(',')
            .filter(|f| !f.is_empty())
            .map(|f| f.parse().unwrap())
            .collect();
        let out = rustybuzz::shape(&face, &features, buffer);
        out.glyph_infos().iter().map(|g| g.glyph_id).collect()
    }

    #[test]
    fn subset_maps_the_text_and_keeps_its_features() {
        let data = regular_subset("fig 1");
        let face = Face::parse(&data, 0).unwrap();
        for c in "fig 1FIG".chars() {
            assert!(face.glyph_index(c).is_some(), "{c:?} unmapped");
        }
        assert!(face.glyph_index('z').is_none());
        // Small capitals, old-style figures and the fi ligature still change the glyphs.
        let plain = shaped(&data, "fig1", "-liga");
        assert_ne!(shaped(&data, "fig1", "-liga,smcp")[..3], plain[..3]);
        assert_ne!(shaped(&data, "fig1", "-liga,onum")[3], plain[3]);
        assert_eq!(
            shaped(&data, "fig1", "liga").len(),
            3,
            "fi set as one glyph"
        );
        assert_ne!(shaped(&data, "FIG", "c2sc"), shaped(&data, "FIG", ""));
    }

    #[test]
    fn embeds_nothing_for_families_the_layout_did_not_find() {
        let mut style = crate::epub::tests::style();
        style.fonts.body = "Georgia".into();
        style.fonts.display = "Georgia".into();
        assert!(embedded_fonts(&style, &[]).0.is_empty());
    }

    /// The embedded DejaVu Sans Mono (a TrueType font) with its OS/2 `fsType` set to
    /// `bits`, as a face the layout found in `fonts/house.ttf`.
    fn house_face(bits: u16) -> LaidFace {
        let mut data = typst_assets::fonts()
            .find(|d| postscript_name(d, 0).as_deref() == Some("DejaVuSansMono"))
            .expect("DejaVu Sans Mono is embedded")
            .to_vec();
        let tables = usize::from(u16::from_be_bytes([data[4], data[5]]));
        let os2 = (0..tables)
            .map(|i| 12 + 16 * i)
            .find(|&r| &data[r..r + 4] == b"OS/2")
            .map(|r| u32::from_be_bytes(data[r + 8..r + 12].try_into().unwrap()) as usize)
            .expect("an OS/2 table");
        data[os2 + 8..os2 + 10].copy_from_slice(&bits.to_be_bytes());
        assert_eq!(fs_type(&data, 0), Some(bits));
        LaidFace {
            data: Arc::new(data),
            index: 0,
            family: "DejaVu Sans Mono".into(),
            path: Some("fonts/house.ttf".into()),
        }
    }

    #[test]
    fn the_licence_decides_whether_a_house_face_is_embedded() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("house.toml");
        std::fs::write(&source, "[fonts]\nbody = \"DejaVu Sans Mono\"\n").unwrap();
        let mut style = crate::epub::tests::style();
        style.fonts.body = "DejaVu Sans Mono".into();
        style.source = Some(source.clone());
        // Installable, preview and print, editable: embedded, subset, as TrueType.
        for bits in [0x0000, 0x0004, 0x0008, 0x000C] {
            let (fonts, warnings) = embedded_fonts(&style, &[house_face(bits)]);
            assert!(warnings.is_empty(), "{bits:#x}: {warnings:?}");
            let hrefs: Vec<_> = fonts.iter().map(|f| f.href.as_str()).collect();
            assert!(hrefs.contains(&"fonts/DejaVuSansMono.ttf"), "{hrefs:?}");
            let font = fonts
                .iter()
                .find(|f| f.family == "DejaVu Sans Mono")
                .unwrap();
            assert_eq!((font.media_type, font.format()), ("font/ttf", "truetype"));
            assert_eq!((font.style, font.weight.as_str()), ("normal", "400"));
            let cut = subset(font, &"mono 1".chars().collect(), &style).unwrap();
            assert!(cut.bytes().len() * 5 < font.bytes().len());
            let face = Face::parse(cut.bytes(), 0).unwrap();
            assert!(face.glyph_index('m').is_some() && face.glyph_index('z').is_none());
        }
        // Restricted, bitmap only: left out, with a warning at the style's line naming
        // the file.
        for bits in [0x0002, 0x0200, 0x0208] {
            let (fonts, warnings) = embedded_fonts(&style, &[house_face(bits)]);
            assert!(
                fonts.iter().all(|f| f.family != "DejaVu Sans Mono"),
                "{bits:#x}"
            );
            assert_eq!(warnings.len(), 1, "{bits:#x}");
            let d = &warnings[0];
            assert!(d.message.contains("`fonts/house.ttf`"), "{}", d.message);
            assert!(d.message.contains(&format!("{bits:#06x}")), "{}", d.message);
            assert_eq!(d.file.as_deref(), Some(source.as_path()));
            assert_eq!(d.span.map(|s| s.line), Some(2));
        }
        // No subsetting: embedded whole.
        let (fonts, _) = embedded_fonts(&style, &[house_face(0x0100)]);
        let font = fonts
            .iter()
            .find(|f| f.family == "DejaVu Sans Mono")
            .unwrap();
        let kept = subset(font, &"mono".chars().collect(), &style).unwrap();
        assert_eq!(kept.bytes(), font.bytes());
    }

    #[test]
    fn a_house_copy_of_libertinus_is_embedded_as_the_layout_found_it() {
        let mut style = crate::epub::tests::style();
        style.fonts.body = LIBERTINUS_SERIF.into();
        let mut face = house_face(0x0002);
        face.family = LIBERTINUS_SERIF.into();
        // The layout set the text in a file of the user's: its licence counts, and the
        // built-in copy does not stand in for it.
        let (fonts, warnings) = embedded_fonts(&style, &[face]);
        assert!(fonts.iter().all(|f| f.family != LIBERTINUS_SERIF));
        assert_eq!(warnings.len(), 1);
    }
}
