//! Prepares a paragraph for the line breaker: words and spaces become boxes, glue and
//! penalties, with hyphenation points, emergency breaks and hanging punctuation, and a
//! record of what each item stands for so lines can be rebuilt from the breaks.

use std::ops::Range;

use crate::layout::hyphenate::{self, BreakKind};
use crate::model::Language;
use unicode_normalization::char::is_combining_mark;

use super::collect::Para;
use super::finalize::protrusion;
use super::linebreak::{INFINITE, Item, PenaltyKind};
use super::shaping::Word;
use super::{Align, Request, Role, TextContext, WordBreaks};
use crate::model::RoleLook;

/// Cost of a break after an explicit hyphen (TeX's `\exhyphenpenalty`); a hyphenation
/// point costs the style's `hyphenation.penalty`.
pub(super) const EX_HYPHEN_PENALTY: f32 = 50.0;
/// Cost of a break after a dash or a slash.
pub(super) const DASH_PENALTY: f32 = 30.0;
/// Emergency breaks in URLs: after `/ . - _` and the like, and anywhere else.
pub(super) const URL_GOOD_PENALTY: f32 = 100.0;
pub(super) const URL_ANY_PENALTY: f32 = 1_000.0;
/// Emergency breaks inside a long word (a hyphen is added).
pub(super) const WORD_EMERGENCY_PENALTY: f32 = 1_000.0;
/// Fewest letters a hyphenation point may send to the last line of a paragraph: a
/// paragraph never ends on a fragment such as "ing." or "ty".
pub(super) const MIN_FINAL_FRAGMENT: usize = 5;
/// Stretch per space, in em, that lets the breaker balance ragged lines.
pub(super) const RAGGED_STRETCH_EM: f32 = 3.0;

/// What an item stands for, to rebuild lines from breaks.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Info {
    Indent,
    Fragment {
        word: usize,
        range: Range<usize>,
    },
    Space {
        look: u16,
    },
    /// A break that adds a hyphen in `look`.
    Hyphen {
        look: u16,
    },
    /// A break that adds nothing (explicit hyphen, dash, URL, hanging punctuation).
    Plain,
    Forced,
}

/// A break point inside a word.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum PointKind {
    Break(BreakKind),
    Emergency { hyphen: bool, penalty: f32 },
}

/// A paragraph ready for the breaker: its items, what each stands for, and its words.
pub(super) struct Prepared {
    pub(super) items: Vec<Item>,
    pub(super) infos: Vec<Info>,
    pub(super) words: Vec<Word>,
}

impl TextContext<'_> {
    /// The breaker's items for `span` of a collected paragraph (all of it, or a stretch
    /// of a huge one that starts at a word and ends at a space or the end): boxes for
    /// word fragments, glue for spaces, penalties for hyphenation points and forced
    /// breaks. The first-line indent belongs to the stretch that starts the paragraph.
    pub(super) fn prepare(
        &mut self,
        para: &Para,
        rl: &RoleLook,
        request: &Request,
        hanging: bool,
        span: Range<usize>,
    ) -> Prepared {
        let Request {
            role,
            language,
            align,
            indent,
            ..
        } = *request;
        let narrowest = request.narrowest();
        let justify = align == Align::Justify;
        let j = self.style.justification;
        // Words and the whitespace between them.
        let text = &para.text;
        let mut tokens: Vec<(bool, Range<usize>)> = Vec::new();
        let mut start = span.start;
        let mut in_space = None;
        for (i, c) in text[span.clone()].char_indices() {
            let i = span.start + i;
            let space = c == ' ' || c == '\n';
            match in_space {
                Some(s) if s != space => {
                    tokens.push((s, start..i));
                    start = i;
                    in_space = Some(space);
                }
                None => in_space = Some(space),
                _ => {}
            }
        }
        if let Some(s) = in_space {
            tokens.push((s, start..span.end));
        }

        let mut out = Prepared {
            items: Vec::new(),
            infos: Vec::new(),
            words: Vec::new(),
        };
        if indent > 0.0 && span.start == 0 {
            out.items.push(Item::Box {
                width: indent,
                stretch: 0.0,
                shrink: 0.0,
            });
            out.infos.push(Info::Indent);
        }
        let last_word = tokens.iter().rposition(|t| !t.0);
        let mut seen_word = false;
        for (k, (is_space, range)) in tokens.iter().enumerate() {
            if *is_space {
                let Some(last) = last_word else { break };
                if k > last {
                    break;
                }
                let look_index = para.look_at(range.start);
                let look = para.looks[usize::from(look_index)].clone();
                let (_, space) = self.space(&look);
                let count = text[range.clone()].chars().filter(|&c| c == ' ').count();
                if !seen_word {
                    // Leading spaces of code keep its indentation; others are dropped.
                    if role == Role::Code && count > 0 {
                        out.items.push(Item::Box {
                            width: space * count as f32,
                            stretch: 0.0,
                            shrink: 0.0,
                        });
                        out.infos.push(Info::Indent);
                    }
                    continue;
                }
                if text[range.clone()].contains('\n') {
                    out.items.push(Item::Penalty {
                        width: 0.0,
                        penalty: -INFINITE,
                        flagged: false,
                        kind: PenaltyKind::Normal,
                    });
                    out.infos.push(Info::Forced);
                    continue;
                }
                let natural = if role == Role::Code {
                    space * count as f32
                } else {
                    space * j.word_space_normal
                };
                let (stretch, shrink) = if justify {
                    (
                        space * (j.word_space_max - j.word_space_normal).max(0.0),
                        space * (j.word_space_normal - j.word_space_min).max(0.0),
                    )
                } else {
                    (RAGGED_STRETCH_EM * look.size, 0.0)
                };
                out.items.push(Item::Glue {
                    width: natural,
                    stretch,
                    shrink,
                });
                out.infos.push(Info::Space { look: look_index });
                continue;
            }
            seen_word = true;
            let word = self.word(para, range.clone());
            let points = self.points(para, &word, rl, language, narrowest, request.words);
            let followed_by_glue =
                last_word.is_some_and(|l| k < l) && !text[tokens[k + 1].1.clone()].contains('\n');
            self.word_items(
                para,
                &word,
                &points,
                justify,
                hanging && followed_by_glue,
                &mut out,
            );
            out.words.push(word);
        }

        out
    }

    /// Break opportunities inside a word (paragraph offsets, sorted), with emergency ones.
    pub(super) fn points(
        &mut self,
        para: &Para,
        word: &Word,
        rl: &RoleLook,
        language: &Language,
        narrowest: f32,
        words: WordBreaks,
    ) -> Vec<(usize, PointKind)> {
        let range = word.range.clone();
        let text = &para.text[range.clone()];
        let width = word.width(range.clone());
        let too_wide = width > narrowest;
        let breakable = match words {
            WordBreaks::Hyphenate => true,
            WordBreaks::Overlong => too_wide,
            WordBreaks::Never => false,
        };
        if !breakable {
            return Vec::new();
        }
        // Only the hyphenatable start of the word (not code, not a footnote number).
        let end = para
            .pieces(range.clone())
            .iter()
            .find(|(l, _)| !para.looks[usize::from(*l)].hyphenate)
            .map_or(range.end, |(_, r)| r.start);
        let mut out: Vec<(usize, PointKind)> = Vec::new();
        // The paragraph's last word: nothing but punctuation and spaces follows it.
        let last_word = !para.text[range.end..].chars().any(char::is_alphanumeric);
        if end > range.start {
            // A phrase marked as another language is hyphenated by that language's rules.
            let language = para.language_at(range.start).unwrap_or(language);
            let ops = self.hyphenation(language, &para.text[range.start..end], too_wide);
            for o in ops.iter() {
                if rl.display && o.kind == BreakKind::Auto && !too_wide {
                    continue;
                }
                out.push((range.start + o.offset, PointKind::Break(o.kind)));
            }
        }
        // Emergency breaks, used only when nothing else works.
        let url = hyphenate::is_url_like(text)
            || text.contains('/')
            || para
                .pieces(range.clone())
                .iter()
                .any(|(l, _)| para.looks[usize::from(*l)].code);
        if url || width > 0.5 * narrowest {
            let chars: Vec<(usize, char)> = text.char_indices().collect();
            // Offsets that already have a point (looked up, not scanned: a long word has many).
            let taken: std::collections::HashSet<usize> = out.iter().map(|p| p.0).collect();
            for (ci, &(i, c)) in chars.iter().enumerate() {
                let at = range.start + i;
                if ci < 2 || chars.len() - ci < 2 {
                    continue;
                }
                if taken.contains(&at) {
                    continue;
                }
                let prev = chars[ci - 1].1;
                if url {
                    let good = matches!(prev, '/' | '.' | '-' | '_' | '?' | '&' | '=' | '#' | ':');
                    let penalty = if good {
                        URL_GOOD_PENALTY
                    } else {
                        URL_ANY_PENALTY
                    };
                    out.push((
                        at,
                        PointKind::Emergency {
                            hyphen: false,
                            penalty,
                        },
                    ));
                } else if prev.is_alphabetic() && c.is_alphabetic() {
                    out.push((
                        at,
                        PointKind::Emergency {
                            hyphen: true,
                            penalty: WORD_EMERGENCY_PENALTY,
                        },
                    ));
                } else if too_wide && splittable(prev, c) {
                    // A run wider than the line with no letters to hyphenate between
                    // (rules of asterisks, digits, symbols) would run off the page.
                    out.push((
                        at,
                        PointKind::Emergency {
                            hyphen: false,
                            penalty: WORD_EMERGENCY_PENALTY,
                        },
                    ));
                }
            }
        }
        // Sorting first and filtering after keeps the same points in the same order.
        out.sort_by_key(|p| p.0);
        if last_word && !too_wide {
            // No hyphenated fragment of under MIN_FINAL_FRAGMENT letters ends the paragraph.
            // The letters after each point are counted from the end, once for all points.
            let mut after = vec![0; out.len()];
            let (mut end, mut letters) = (range.end, 0);
            for (k, &(at, _)) in out.iter().enumerate().rev() {
                letters += para.text[at..end]
                    .chars()
                    .filter(|c| c.is_alphabetic())
                    .count();
                end = at;
                after[k] = letters;
            }
            let mut k = 0;
            out.retain(|&(_, kind)| {
                let hyphen = match kind {
                    PointKind::Break(k) => k.inserts_hyphen(),
                    PointKind::Emergency { hyphen, .. } => hyphen,
                };
                k += 1;
                !hyphen || after[k - 1] >= MIN_FINAL_FRAGMENT
            });
        }
        // A break inside a cluster (between the letters of a ligature such as "ffi") would
        // set the two halves wider than the word's boxes say: the line could overflow.
        let starts = &word.marks;
        out.retain(|p| {
            p.0 > range.start
                && p.0 < range.end
                && starts.binary_search_by_key(&p.0, |m| m.0).is_ok()
        });
        out
    }

    /// Boxes and penalties of one word.
    pub(super) fn word_items(
        &mut self,
        para: &Para,
        word: &Word,
        points: &[(usize, PointKind)],
        justify: bool,
        hang_end: bool,
        out: &mut Prepared,
    ) {
        // The word is pushed after its items: its index is the count so far.
        let index = out.words.len();
        let Prepared { items, infos, .. } = out;
        let j = self.style.justification;
        let hang = j.hanging_punctuation && justify;
        let mut bounds: Vec<usize> = Vec::with_capacity(points.len() + 2);
        bounds.push(word.range.start);
        bounds.extend(points.iter().map(|p| p.0));
        bounds.push(word.range.end);
        for f in 0..bounds.len() - 1 {
            let r = bounds[f]..bounds[f + 1];
            let width = word.width(r.clone());
            let (stretch, shrink) = if justify {
                let look = &para.looks[usize::from(para.look_at(r.start))];
                let glyphs = word.count(r.clone());
                let gaps = if f + 2 == bounds.len() {
                    glyphs.saturating_sub(1)
                } else {
                    glyphs
                };
                let s = j.letter_space.max(0.0) * look.size * gaps as f32
                    + j.glyph_expansion.max(0.0) * width;
                (s, s)
            } else {
                (0.0, 0.0)
            };
            items.push(Item::Box {
                width,
                stretch,
                shrink,
            });
            infos.push(Info::Fragment {
                word: index,
                range: r.clone(),
            });
            if f + 2 == bounds.len() {
                break;
            }
            let (_, kind) = points[f];
            let look_index = para.look_at(r.end.saturating_sub(1).max(r.start));
            let before = para.text[..r.end].chars().next_back().unwrap_or(' ');
            match kind {
                PointKind::Break(k) if k.inserts_hyphen() => {
                    let look = para.looks[usize::from(look_index)].clone();
                    let w = self.hyphen(&look).width() * look.size;
                    let w = if hang { w * (1.0 - protrusion('-')) } else { w };
                    items.push(Item::Penalty {
                        width: w,
                        penalty: self.style.hyphenation.penalty,
                        flagged: true,
                        kind: PenaltyKind::Normal,
                    });
                    infos.push(Info::Hyphen { look: look_index });
                }
                PointKind::Break(k) => {
                    let last = word.last_before(r.end).unwrap_or(0.0);
                    let w = if hang {
                        -protrusion(before) * last
                    } else {
                        0.0
                    };
                    items.push(Item::Penalty {
                        width: w,
                        penalty: if k == BreakKind::Explicit {
                            EX_HYPHEN_PENALTY
                        } else {
                            DASH_PENALTY
                        },
                        flagged: k == BreakKind::Explicit,
                        kind: PenaltyKind::Normal,
                    });
                    infos.push(Info::Plain);
                }
                PointKind::Emergency { hyphen, penalty } => {
                    let w = if hyphen {
                        let look = para.looks[usize::from(look_index)].clone();
                        self.hyphen(&look).width() * look.size
                    } else {
                        0.0
                    };
                    items.push(Item::Penalty {
                        width: w,
                        penalty,
                        flagged: false,
                        kind: PenaltyKind::Emergency,
                    });
                    infos.push(if hyphen {
                        Info::Hyphen { look: look_index }
                    } else {
                        Info::Plain
                    });
                }
            }
        }
        // Punctuation standing alone (a dash after a space or no-break space) does not
        // hang: all of it would stand in the margin, which reads as a line running over.
        let mut tail = para.text[word.range.clone()].chars().rev();
        let lone = tail.next().is_some() && tail.next().is_none_or(char::is_whitespace);
        if hang_end && !lone {
            let last_char = para.text[..word.range.end]
                .chars()
                .next_back()
                .unwrap_or(' ');
            let p = protrusion(last_char);
            if p > 0.0 {
                let last = word.marks.last().map_or(0.0, |m| m.1);
                items.push(Item::Penalty {
                    width: -p * last,
                    penalty: 0.0,
                    flagged: false,
                    kind: PenaltyKind::Normal,
                });
                infos.push(Info::Plain);
            }
        }
    }
}

/// Whether a word too wide for any line may be broken between `prev` and `c` without a
/// hyphen: not inside a character cluster (before a mark, an emoji modifier or a joiner,
/// or after a joiner), nor beside a word joiner, which asks for no break.
fn splittable(prev: char, c: char) -> bool {
    let joiner = |c: char| matches!(c, '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}');
    !joiner(prev) && !joiner(c) && !is_combining_mark(c) && !matches!(c, '\u{1f3fb}'..='\u{1f3ff}')
}
