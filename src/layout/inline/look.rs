//! The look of each stretch of text: which face, size, colour, letter-spacing and
//! OpenType features a run gets, from its role's typography (the model's role table,
//! shared with the EPUB stylesheet) and the inline state (emphasis, code, note numbers).

use crate::diag::Diagnostic;
use crate::layout::font::{FontId, FontQuery, LoadedFont, Weight};
use crate::layout::shape::SpecId;
use crate::model::{Caps, Family, Language, Rgb, RoleLook};

use super::TextContext;

/// The state inside the inline tree.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct State {
    pub(super) weight: Weight,
    pub(super) italic: bool,
    pub(super) code: bool,
    pub(super) sup: bool,
    pub(super) link: Option<u32>,
    /// The number of the footnote this text refers to (a note reference).
    pub(super) note: Option<u32>,
    /// Capitals set as small capitals (`c2sc`): an opening run-in.
    pub(super) small_caps: bool,
    /// Lower-case letters set as small capitals (`smcp`): the opening words.
    pub(super) lower_caps: bool,
    /// Inside a phrase marked as another language: which of the paragraph's phrases
    /// (an index into `Para::phrase_langs`), so each language gets a look of its own.
    pub(super) phrase: Option<u16>,
}

/// The resolved look of a stretch of text.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Look {
    pub(super) spec: SpecId,
    pub(super) font: FontId,
    pub(super) size: f32,
    pub(super) colour: Rgb,
    /// Letter-spacing added after every glyph, in points.
    pub(super) tracking: f32,
    /// Baseline shift (superscripts without a `sups` feature), in points, upwards.
    pub(super) rise: f32,
    pub(super) link: Option<u32>,
    /// A footnote reference: the note's number (the flow keeps the note with its line).
    pub(super) note: Option<u32>,
    /// Part of a word that may be hyphenated (not code, not a footnote number).
    pub(super) hyphenate: bool,
    pub(super) code: bool,
    /// Text shown in capitals (small capitals wanted, none in the font).
    pub(super) upper: bool,
    /// The language of a phrase marked as one (BCP 47); `None` for the paragraph's own.
    pub(super) lang: Option<String>,
}

/// What is wrong when the face chosen for `query` is not the one asked for: an upright
/// face for italic text, or a weight on the other side of semibold (a regular face for
/// bold text, a bold one for regular text). quire never slants or emboldens a face
/// itself, so such text is set in the substitute as it is. `None` when the face fits
/// (semibold set in bold is close enough).
fn substitution(query: &FontQuery, face: &LoadedFont) -> Option<String> {
    let wanted = query.weight.number();
    let bold = |w: u16| w >= 600;
    let slant = |italic: bool| if italic { "italic" } else { "upright" };
    let describe = |weight: u16, italic: bool| format!("{weight} {}", slant(italic));
    let wrong_slant = query.italic && !face.italic;
    let wrong_weight = bold(wanted) != bold(face.weight);
    (wrong_slant || wrong_weight).then(|| {
        format!(
            "the font family `{}` has no {} face: text that asks for it is set in its {} face",
            face.family,
            describe(wanted, query.italic),
            describe(face.weight, face.italic),
        )
    })
}

impl TextContext<'_> {
    /// The face for a family, weight and slant (cached).
    pub(super) fn select(&mut self, family: &str, weight: Weight, italic: bool) -> Option<FontId> {
        let query = FontQuery {
            family: family.to_string(),
            weight,
            italic,
        };
        if let Some(found) = self.selected.get(&query) {
            return *found;
        }
        let found = self.fonts.select(&query);
        if let Some(id) = found
            && let Some(message) = substitution(&query, self.fonts.get(id))
        {
            // One warning per edition (the setters' warnings are merged without repeats),
            // on the style file that names the family.
            let mut warning = Diagnostic::warning(message).with_hint(
                "add the missing face to the edition's `fonts/` folder (or a --font-path \
                 folder), or choose a family that has it",
            );
            if let Some(file) = &self.style.source {
                warning = warning.in_file(file);
                if let Some((line, column, width)) =
                    crate::layout::font::family_place(self.style, file, &query.family)
                {
                    warning = warning.at(line, column, width);
                }
            }
            if !self.warnings.contains(&warning) {
                self.warnings.push(warning);
            }
        }
        self.selected.insert(query, found);
        found
    }

    /// The look of text in `role` under `state`.
    pub(super) fn look(&mut self, role: &RoleLook, state: State, language: &Language) -> Look {
        let style = self.style;
        let mono = state.code || role.family == Family::Mono;
        let family = match (mono, &self.mono, role.family) {
            (true, Some(m), _) => m.clone(),
            (_, _, Family::Display) => style.fonts.display.clone(),
            _ => style.fonts.body.clone(),
        };
        let mono_face = mono && self.mono.is_some();
        let primary = self
            .select(&family, state.weight, state.italic)
            .or_else(|| self.select(&style.fonts.body, state.weight, state.italic))
            .unwrap_or(FontId(0));
        let mut chain = vec![primary];
        for fb in &style.fonts.fallback {
            if let Some(id) = self.select(fb, state.weight, state.italic)
                && !chain.contains(&id)
            {
                chain.push(id);
            }
        }
        let mut features: Vec<String> = Vec::new();
        let mut size = role.size;
        let mut tracking = role.tracking;
        let mut upper = false;
        if mono {
            if !mono_face {
                features.push("tnum".into());
            }
            if mono_face && role.family != Family::Mono {
                // Monospaced faces look large beside a serif text face.
                size *= 0.88;
            }
            tracking = 0.0;
        } else {
            let base = match role.family {
                Family::Display => &style.fonts.display_features,
                _ => &style.fonts.body_features,
            };
            features.extend(base.iter().cloned());
            if role.tabular {
                features.retain(|f| f != "onum" && f != "pnum");
                features.extend(["lnum".to_string(), "tnum".to_string()]);
            }
            let caps = match role.caps {
                Caps::None if state.small_caps => Caps::All,
                Caps::None if state.lower_caps => Caps::Lower,
                caps => caps,
            };
            match caps {
                Caps::None => {}
                Caps::Lower => {
                    if self.shaper.has_feature(primary, "smcp") {
                        features.push("smcp".into());
                    } else {
                        tracking = 0.0;
                    }
                }
                Caps::All if state.small_caps => {
                    // Capitals written as such: `c2sc` alone keeps their text, so the
                    // words read as written when copied; a face without it sets them a
                    // little smaller and spaced instead.
                    if self.shaper.has_feature(primary, "c2sc") {
                        features.push("c2sc".into());
                        tracking += 0.04;
                    } else {
                        size *= 0.85;
                        tracking += 0.04;
                    }
                }
                Caps::All => {
                    if self.shaper.has_feature(primary, "smcp") {
                        features.push("c2sc".into());
                        features.push("smcp".into());
                    } else {
                        upper = true;
                        size *= 0.85;
                        tracking += 0.04;
                    }
                }
            }
        }
        let mut rise = 0.0;
        if state.sup {
            if self.shaper.has_feature(primary, "sups") {
                features.retain(|f| f != "onum");
                features.push("sups".into());
            } else {
                rise = 0.36 * size;
                size *= 0.62;
            }
        }
        let spec = self.shaper.spec(&chain, &features, language.as_str());
        Look {
            spec,
            font: primary,
            size,
            colour: role.colour,
            tracking: tracking * size,
            rise,
            link: state.link,
            note: state.note,
            hyphenate: !state.code && !state.sup && role.family != Family::Mono,
            code: mono,
            upper,
            lang: state.phrase.map(|_| language.as_str().to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::layout::font::FontBook;

    /// The embedded face of `family` with this weight and slant, as the book loads it.
    fn face(family: &str, weight: Weight, italic: bool) -> LoadedFont {
        let style = crate::edition::builtin_style("magazine").expect("built-in style");
        let book = FontBook::load(&style, &[]).expect("fonts load");
        let query = FontQuery {
            family: family.into(),
            weight,
            italic,
        };
        let f = book.get(book.select(&query).expect("a face"));
        LoadedFont {
            data: Arc::clone(&f.data),
            index: f.index,
            family: f.family.clone(),
            units_per_em: f.units_per_em,
            ascender: f.ascender,
            descender: f.descender,
            weight: f.weight,
            italic: f.italic,
            path: f.path.clone(),
        }
    }

    fn query(weight: Weight, italic: bool) -> FontQuery {
        FontQuery {
            family: "x".into(),
            weight,
            italic,
        }
    }

    #[test]
    fn a_face_that_fits_is_no_substitution() {
        let regular = face("Libertinus Serif", Weight::Regular, false);
        assert_eq!(substitution(&query(Weight::Regular, false), &regular), None);
        let bold = face("New Computer Modern", Weight::Bold, false);
        assert_eq!(bold.weight, 700);
        // Semibold set in bold is close enough.
        assert_eq!(substitution(&query(Weight::Semibold, false), &bold), None);
    }

    #[test]
    fn upright_for_italic_and_regular_for_bold_are_reported() {
        let regular = face("Libertinus Serif", Weight::Regular, false);
        let italic = substitution(&query(Weight::Regular, true), &regular).expect("reported");
        assert!(italic.contains("no 400 italic face"), "{italic}");
        assert!(italic.contains("its 400 upright face"), "{italic}");
        let bold = substitution(&query(Weight::Bold, false), &regular).expect("reported");
        assert!(bold.contains("no 700 upright face"), "{bold}");
        let bold_italic = face("Libertinus Serif", Weight::Bold, true);
        let light = substitution(&query(Weight::Regular, true), &bold_italic).expect("reported");
        assert!(light.contains("its 700 italic face"), "{light}");
    }
}
