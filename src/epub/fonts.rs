//! Fonts embedded in the EPUB: Libertinus Serif (regular, italic, bold) from typst-assets,
//! only when the style sets body text in it, each cut down to the characters the edition
//! prints.
//!
//! Three faces are enough for running text; headings in semibold or bold italic fall back
//! to synthesised styles in the reading system rather than adding more faces.
//!
//! Subsetting is HarfBuzz's (through `hb-subset`): Libertinus is a CFF font, and of the
//! Rust subsetters only HarfBuzz both cuts CFF outlines and keeps `GSUB`/`GPOS` for the
//! glyphs it keeps (fontations' `skera` has no CFF subsetter yet; `allsorts` and krilla's
//! `subsetter` drop the layout tables, which is right for PDF, not for CSS). The layout
//! closure follows the features the stylesheet asks for, so small capitals, old-style,
//! lining and tabular figures, ligatures and kerning keep working.

use std::collections::BTreeSet;

use hb_subset::{Blob, FontFace, SubsetInput, Tag};
use rustybuzz::ttf_parser::{Face, name_id};

use crate::model::Style;

/// The family the embedded faces belong to.
pub(super) const LIBERTINUS_SERIF: &str = "Libertinus Serif";

/// One font file in the EPUB and its `@font-face` description.
#[derive(Debug, Clone)]
pub(super) struct EmbeddedFont {
    pub family: &'static str,
    /// `fonts/<PostScript name>.otf`.
    pub href: String,
    /// CSS `font-style`.
    pub style: &'static str,
    /// CSS `font-weight`.
    pub weight: &'static str,
    /// The font file: the whole face from [`embedded_fonts`], the subset after [`subset`].
    pub data: std::borrow::Cow<'static, [u8]>,
}

/// The faces to embed for `style`: none unless its body family is Libertinus Serif.
pub(super) fn embedded_fonts(style: &Style) -> Vec<EmbeddedFont> {
    if style.fonts.body != LIBERTINUS_SERIF {
        return Vec::new();
    }
    let wanted = [
        ("LibertinusSerif-Regular", "normal", "normal"),
        ("LibertinusSerif-Italic", "italic", "normal"),
        ("LibertinusSerif-Bold", "normal", "bold"),
    ];
    let mut out = Vec::new();
    for (ps_name, font_style, weight) in wanted {
        let found =
            typst_assets::fonts().find(|data| postscript_name(data).as_deref() == Some(ps_name));
        if let Some(data) = found {
            out.push(EmbeddedFont {
                family: LIBERTINUS_SERIF,
                href: format!("fonts/{ps_name}.otf"),
                style: font_style,
                weight,
                data: data.into(),
            });
        }
    }
    out
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

/// `font` cut down to `chars` (with their capitals, for `text-transform: uppercase`) and every glyph the kept features reach from them.
pub(super) fn subset(
    font: &EmbeddedFont,
    chars: &BTreeSet<char>,
    style: &Style,
) -> Result<EmbeddedFont, String> {
    let failed = |what: &str| format!("could not subset {}: {what}", font.href);
    let mut input = SubsetInput::new().map_err(|_| failed("out of memory"))?;
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
    let blob = Blob::from_bytes(&font.data).map_err(|_| failed("out of memory"))?;
    let face = FontFace::new(blob).map_err(|_| failed("not a font"))?;
    let cut = input
        .subset_font(&face)
        .map_err(|_| failed("HarfBuzz could not subset it"))?;
    let data = cut.underlying_blob().to_vec();
    Ok(EmbeddedFont {
        data: data.into(),
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

/// The font's PostScript name from its `name` table.
fn postscript_name(data: &[u8]) -> Option<String> {
    let face = Face::parse(data, 0).ok()?;
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
        let fonts = embedded_fonts(&style);
        let hrefs: Vec<_> = fonts.iter().map(|f| f.href.as_str()).collect();
        assert_eq!(
            hrefs,
            [
                "fonts/LibertinusSerif-Regular.otf",
                "fonts/LibertinusSerif-Italic.otf",
                "fonts/LibertinusSerif-Bold.otf"
            ]
        );
        assert!(fonts.iter().all(|f| f.data.starts_with(b"OTTO")));
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
        let font = embedded_fonts(&style).remove(0);
        let cut = subset(&font, &text.chars().collect(), &style).unwrap();
        assert!(cut.data.len() * 5 < font.data.len(), "{}", cut.data.len());
        cut.data.into_owned()
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
    fn embeds_nothing_for_other_families() {
        let mut style = crate::epub::tests::style();
        style.fonts.body = "Georgia".into();
        assert!(embedded_fonts(&style).is_empty());
    }
}
