//! Fonts embedded in the EPUB: Libertinus Serif (regular, italic, bold) from typst-assets,
//! only when the style sets body text in it.
//!
//! Three faces are enough for running text; headings in semibold or bold italic fall back
//! to synthesised styles in the reading system rather than adding another 600 KB.

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
    pub data: &'static [u8],
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
                data,
            });
        }
    }
    out
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
    fn embeds_nothing_for_other_families() {
        let mut style = crate::epub::tests::style();
        style.fonts.body = "Georgia".into();
        assert!(embedded_fonts(&style).is_empty());
    }
}
