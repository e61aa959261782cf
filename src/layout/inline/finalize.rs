//! Finalizes lines: rebuilds each line from the items between two breaks, reshapes
//! words broken inside, adds the hyphen, and justifies spaces, letter-spacing and glyph
//! widths to the measure, with hanging punctuation.

use std::ops::Range;

use crate::layout::font::FontId;
use crate::layout::frame::{Glyph, TextRun, glyph_range};
use crate::layout::hyphenate::SOFT_HYPHEN;
use crate::layout::shape::ShapedGlyph;

use super::collect::Para;
use super::linebreak::{Break, Item};
use super::prepare::{Info, Prepared};
use super::shaping::{Piece, Word};
use super::{Align, Line, LineLink, Request, TextContext};

/// One glyph of a line being built, before justification.
pub(super) struct Placed {
    pub(super) look: u16,
    pub(super) font: FontId,
    pub(super) id: u16,
    /// Natural advance in points (letter-spacing of the look included).
    pub(super) advance: f32,
    pub(super) x_offset: f32,
    pub(super) y_offset: f32,
    /// Index into the line's texts, and the glyph's byte range in that text.
    pub(super) text: usize,
    pub(super) range: Range<usize>,
    /// Letter-spacing goes after this glyph (not the last of a word).
    pub(super) gap: bool,
    /// For a space: its stretch and shrink (points).
    pub(super) glue: Option<(f32, f32)>,
}

/// How one line is set.
#[derive(Debug, Clone, Copy)]
pub(super) struct LineSpec {
    pub(super) width: f32,
    /// Where the line's measure starts (a hanging indent beside a drop cap).
    pub(super) offset: f32,
    pub(super) align: Align,
    /// Stretch or shrink to the full width.
    pub(super) justify: bool,
    /// Shrink spacing when the line is too wide (justified text, last lines included).
    pub(super) shrink: bool,
    /// Let the last glyph hang into the margin.
    pub(super) hanging: bool,
}

impl TextContext<'_> {
    /// Builds the lines the breaks chose, each justified to its measure. The first is
    /// line `first` of the paragraph (0 unless a huge paragraph is set a stretch at a
    /// time); the last ends the paragraph when `ends` says so.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn finalize(
        &mut self,
        para: &Para,
        prepared: &Prepared,
        breaks: &[Break],
        request: &Request,
        hanging: bool,
        first: usize,
        ends: bool,
    ) -> Vec<Line> {
        let Prepared {
            items,
            infos,
            words,
        } = prepared;
        let align = request.align;
        let justify = align == Align::Justify;
        let hang = request.hang;
        let mut lines = Vec::with_capacity(breaks.len());
        let mut start = 0;
        for (k, br) in breaks.iter().enumerate() {
            let n = first + k;
            let end = if br.index + 1 == items.len() && matches!(items[br.index], Item::Box { .. })
            {
                items.len()
            } else {
                br.index
            };
            let last = (ends && k + 1 == breaks.len()) || infos[br.index] == Info::Forced;
            let ending = match &infos[br.index] {
                Info::Hyphen { look } if end == br.index => Some(*look),
                _ => None,
            };
            let offset = if n < hang.lines { hang.indent } else { 0.0 };
            let line = self.realise(
                para,
                words,
                &items[start..end],
                &infos[start..end],
                ending,
                LineSpec {
                    width: request.line_width(n),
                    offset,
                    align,
                    justify: justify && !last,
                    shrink: justify,
                    hanging: hanging && !last,
                },
            );
            lines.push(line);
            start = br.index + 1;
            while start < items.len()
                && !matches!(items[start], Item::Box { .. })
                && infos[start] != Info::Forced
            {
                start += 1;
            }
        }
        lines
    }

    /// Builds one line from its items: glyphs, spaces and the hyphen, justified.
    pub(super) fn realise(
        &mut self,
        para: &Para,
        words: &[Word],
        items: &[Item],
        infos: &[Info],
        hyphen: Option<u16>,
        spec: LineSpec,
    ) -> Line {
        let mut texts: Vec<String> = Vec::new();
        let mut placed: Vec<Placed> = Vec::new();
        // The paragraph byte the line's text starts at.
        let mut first_at: Option<usize> = None;
        // Indent boxes at the start of the line (first-line indent, code indentation).
        let mut lead = 0.0;
        // Word parts: consecutive fragments of one word.
        let mut k = 0;
        while k < infos.len() {
            match &infos[k] {
                Info::Indent => {
                    if let Item::Box { width, .. } = items[k]
                        && placed.is_empty()
                    {
                        lead += width;
                    }
                    k += 1;
                }
                Info::Fragment { word, range } => {
                    first_at.get_or_insert(range.start);
                    let mut r = range.clone();
                    let mut m = k + 1;
                    while m < infos.len() {
                        match &infos[m] {
                            Info::Fragment {
                                word: w2,
                                range: r2,
                            } if w2 == word => {
                                r.end = r2.end;
                                m += 1;
                            }
                            Info::Hyphen { .. } | Info::Plain => m += 1,
                            _ => break,
                        }
                    }
                    let w = &words[*word];
                    if r == w.range {
                        for piece in &w.pieces {
                            push_piece(para, piece, &mut texts, &mut placed);
                        }
                    } else {
                        for (look, pr) in para.pieces(r) {
                            let piece = self.piece(para, look, pr);
                            push_piece(para, &piece, &mut texts, &mut placed);
                        }
                    }
                    // The last glyph of a word part takes no letter-spacing.
                    if let Some(g) = placed.last_mut() {
                        g.gap = false;
                    }
                    k = m;
                }
                Info::Space { look } => {
                    if let Item::Glue {
                        width,
                        stretch,
                        shrink,
                    } = items[k]
                    {
                        let l = para.looks[usize::from(*look)].clone();
                        let (shaped, _) = self.space(&l);
                        texts.push(" ".to_string());
                        let t = texts.len() - 1;
                        let n = shaped.glyphs.len().max(1) as f32;
                        for g in &shaped.glyphs {
                            placed.push(Placed {
                                look: *look,
                                font: g.font,
                                id: g.id,
                                advance: width / n,
                                x_offset: 0.0,
                                y_offset: l.rise,
                                text: t,
                                range: 0..1,
                                gap: false,
                                glue: Some((stretch / n, shrink / n)),
                            });
                        }
                    }
                    k += 1;
                }
                Info::Hyphen { .. } | Info::Plain | Info::Forced => k += 1,
            }
        }
        if let Some(look) = hyphen {
            let l = para.looks[usize::from(look)].clone();
            let shaped = self.hyphen(&l);
            texts.push(SOFT_HYPHEN.to_string());
            let t = texts.len() - 1;
            for g in &shaped.glyphs {
                placed.push(Placed {
                    look,
                    font: g.font,
                    id: g.id,
                    advance: g.advance * l.size + l.tracking,
                    x_offset: g.x_offset * l.size,
                    y_offset: g.y_offset * l.size + l.rise,
                    text: t,
                    range: 0..SOFT_HYPHEN.len_utf8(),
                    gap: false,
                    glue: None,
                });
            }
        }

        // Justification: glue first takes its share, letters and glyph scaling theirs.
        let j = self.style.justification;
        let natural: f32 = placed.iter().map(|g| g.advance).sum();
        // Punctuation standing alone after a space (a spaced dash) does not hang, as in
        // `prepare`.
        let alone = placed.len() < 2 || {
            let g = &placed[placed.len() - 2];
            g.glue.is_some()
                || texts[g.text][g.range.clone()]
                    .chars()
                    .all(char::is_whitespace)
        };
        let protrude = if spec.hanging && !alone {
            placed.last().map_or(0.0, |g| {
                let c = texts[g.text][g.range.clone()]
                    .chars()
                    .next_back()
                    .unwrap_or(' ');
                let c = if c == SOFT_HYPHEN { '-' } else { c };
                protrusion(c) * g.advance
            })
        } else {
            0.0
        };
        let target = spec.width - lead + protrude;
        let glue_stretch: f32 = placed.iter().filter_map(|g| g.glue).map(|g| g.0).sum();
        let glue_shrink: f32 = placed.iter().filter_map(|g| g.glue).map(|g| g.1).sum();
        let letters: f32 = placed
            .iter()
            .filter(|g| g.glue.is_none())
            .map(|g| g.advance)
            .sum();
        let gaps_em: f32 = placed
            .iter()
            .filter(|g| g.gap)
            .map(|g| para.looks[usize::from(g.look)].size)
            .sum();
        let box_stretch = j.letter_space.max(0.0) * gaps_em + j.glyph_expansion.max(0.0) * letters;
        let diff = target - natural;
        let (box_ratio, glue_ratio) = if spec.justify && diff > 0.0 {
            let total = glue_stretch + box_stretch;
            if total <= 0.0 {
                (0.0, 0.0)
            } else if diff <= total {
                (diff / total, diff / total)
            } else if glue_stretch > 0.0 {
                (1.0, (diff - box_stretch) / glue_stretch)
            } else {
                (1.0, 0.0)
            }
        } else if diff < 0.0 && spec.shrink {
            let total = glue_shrink + box_stretch;
            if total > 0.0 {
                let r = (diff / total).max(-1.0);
                (r, r)
            } else {
                (0.0, 0.0)
            }
        } else {
            (0.0, 0.0)
        };
        let scale = 1.0 + box_ratio * j.glyph_expansion.max(0.0);
        let spacing = box_ratio * j.letter_space.max(0.0);

        // Final advances.
        let mut finals: Vec<f32> = Vec::with_capacity(placed.len());
        for g in &placed {
            let a = match g.glue {
                Some((st, sh)) => {
                    g.advance
                        + if glue_ratio >= 0.0 {
                            glue_ratio * st
                        } else {
                            glue_ratio * sh
                        }
                }
                None => {
                    let size = para.looks[usize::from(g.look)].size;
                    g.advance * scale + if g.gap { spacing * size } else { 0.0 }
                }
            };
            finals.push(a);
        }
        let total: f32 = finals.iter().sum();
        let content = total - protrude;
        let x0 = spec.offset
            + match spec.align {
                Align::Justify | Align::Left => lead,
                Align::Right => spec.width - content,
                Align::Center => lead + (spec.width - lead - content) / 2.0,
            };

        // Runs: one per font, size and colour; links by look.
        let mut runs: Vec<TextRun> = Vec::new();
        let mut links: Vec<LineLink> = Vec::new();
        let mut notes: Vec<u32> = Vec::new();
        let mut ascent: f32 = 0.0;
        let mut descent: f32 = 0.0;
        let mut x = x0;
        let mut i = 0;
        while i < placed.len() {
            // A stretch of glyphs from one text, one font and one look.
            let g0 = &placed[i];
            let mut e = i + 1;
            while e < placed.len()
                && placed[e].text == g0.text
                && placed[e].font == g0.font
                && placed[e].look == g0.look
            {
                e += 1;
            }
            let look = &para.looks[usize::from(g0.look)];
            let font = self.fonts.get(g0.font);
            let upem = f32::from(font.units_per_em.max(1));
            ascent = ascent.max(f32::from(font.ascender) / upem * look.size + look.rise);
            descent = descent.max(-f32::from(font.descender) / upem * look.size - look.rise);
            let span_start = placed[i..e]
                .iter()
                .map(|g| g.range.start)
                .min()
                .unwrap_or(0);
            let span_end = placed[i..e].iter().map(|g| g.range.end).max().unwrap_or(0);
            let same_run = runs.last().is_some_and(|r| {
                r.font == g0.font
                    && (r.size - look.size).abs() < 1e-6
                    && r.colour == look.colour
                    && r.lang == look.lang
            });
            if !same_run {
                runs.push(TextRun {
                    x,
                    y: 0.0,
                    font: g0.font,
                    size: look.size,
                    colour: look.colour,
                    text: String::new(),
                    // Usually the line's only run: its glyphs fit without regrowing.
                    glyphs: Vec::with_capacity(placed.len() - i),
                    h_scale: scale,
                    node: None,
                    source: None,
                    lang: look.lang.clone(),
                });
            }
            let run = runs.last_mut().expect("a run was pushed");
            let base = run.text.len();
            run.text.push_str(&texts[g0.text][span_start..span_end]);
            let x_start = x;
            for (g, a) in placed[i..e].iter().zip(&finals[i..e]) {
                run.glyphs.push(Glyph {
                    id: g.id,
                    x_advance: *a,
                    x_offset: g.x_offset * scale,
                    y_offset: g.y_offset,
                    range: glyph_range(
                        base + g.range.start - span_start..base + g.range.end - span_start,
                    ),
                });
                x += a;
            }
            if let Some(n) = look.note
                && !notes.contains(&n)
            {
                notes.push(n);
            }
            if let Some(link) = look.link {
                let url = &para.links[link as usize];
                match links.last_mut() {
                    Some(l) if l.url == *url && (l.x + l.width - x_start).abs() < 1e-3 => {
                        l.width = x - l.x;
                    }
                    _ => links.push(LineLink {
                        x: x_start,
                        width: x - x_start,
                        url: url.clone(),
                    }),
                }
            }
            i = e;
        }
        if let Some(run) = runs.first_mut() {
            let source = self.source_text.as_deref();
            run.source = first_at
                .zip(source)
                .and_then(|(at, s)| para.source_offset(s, at));
        }
        // Lines live until the edition is written: no spare capacity kept (a long
        // paragraph's slack once took more memory than its glyphs).
        for run in &mut runs {
            run.text.shrink_to_fit();
            run.glyphs.shrink_to_fit();
        }
        runs.shrink_to_fit();
        Line {
            runs,
            links,
            notes,
            width: content,
            ascent,
            descent,
        }
    }
}

/// Adds a shaped piece's glyphs to a line.
pub(super) fn push_piece(
    para: &Para,
    piece: &Piece,
    texts: &mut Vec<String>,
    placed: &mut Vec<Placed>,
) {
    let look = &para.looks[usize::from(piece.look)];
    texts.push(piece.text.clone());
    let t = texts.len() - 1;
    let glyphs: &[ShapedGlyph] = &piece.shaped.glyphs;
    for (n, g) in glyphs.iter().enumerate() {
        // Letter-spacing goes between clusters, not inside one.
        let gap = glyphs.get(n + 1).is_none_or(|next| next.range != g.range);
        placed.push(Placed {
            look: piece.look,
            font: g.font,
            id: g.id,
            advance: g.advance * look.size + look.tracking,
            x_offset: g.x_offset * look.size,
            y_offset: g.y_offset * look.size + look.rise,
            text: t,
            range: g.range.clone(),
            gap,
            glue: None,
        });
    }
}

/// How far a character at a line end may hang into the margin, as a fraction of its width.
pub(super) fn protrusion(c: char) -> f32 {
    match c {
        '.' | ',' => 0.7,
        '-' | '\u{2010}' | '\u{AD}' => 0.7,
        '\'' | '\u{2019}' => 0.7,
        '"' | '\u{201D}' => 0.5,
        ':' | ';' => 0.5,
        '\u{2013}' => 0.5,
        '\u{2014}' => 0.3,
        _ => 0.0,
    }
}
