//! The look of each stretch of text: which face, size, colour, letter-spacing and
//! OpenType features a run gets, from its role's typography (the model's role table,
//! shared with the EPUB stylesheet) and the inline state (emphasis, code, note numbers).

use crate::layout::font::{FontId, FontQuery, Weight};
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
