//! A plain shaping text setter for layout previews in tests: the embedded Libertinus
//! faces shaped with rustybuzz, greedy line breaking without hyphenation, justification
//! by word spacing. Not the real text stage; it lets flow and write run end to end.

use std::sync::Arc;

use crate::diag::Diagnostic;
use crate::model::{Inline, Language, Rgb, Style};
use crate::pdf::flow::Setter;
use crate::pdf::font::{FontBook, FontId, LoadedFont};
use crate::pdf::frame::{Glyph, TextRun};
use crate::pdf::items::{Align, Line, LineLink, Role};

/// Faces in the book: regular, bold, italic, bold italic, semibold, semibold italic, mono.
const FACES: [(usize, &str); 7] = [
    (0, "Libertinus Serif"),
    (1, "Libertinus Serif"),
    (2, "Libertinus Serif"),
    (3, "Libertinus Serif"),
    (4, "Libertinus Serif"),
    (5, "Libertinus Serif"),
    (16, "DejaVu Sans Mono"),
];

/// A font book of the embedded faces (the order of [`FACES`]).
pub fn book() -> FontBook {
    let all: Vec<&'static [u8]> = typst_assets::fonts().collect();
    let fonts = FACES
        .iter()
        .map(|&(i, family)| {
            let data = all[i];
            let face = rustybuzz::ttf_parser::Face::parse(data, 0).expect("embedded face parses");
            LoadedFont {
                data: Arc::new(data),
                index: 0,
                family: family.to_string(),
                units_per_em: face.units_per_em(),
                ascender: face.ascender(),
                descender: face.descender(),
                cap_height: face.capital_height().unwrap_or(650),
                x_height: face.x_height().unwrap_or(450),
            }
        })
        .collect();
    FontBook { fonts }
}

/// One shaped piece of a word in one face.
struct Piece {
    text: String,
    face: usize,
    size: f32,
    rise: f32,
    glyphs: Vec<Glyph>,
    width: f32,
    url: Option<String>,
}

pub struct Shaper {
    style: Style,
    faces: Vec<rustybuzz::Face<'static>>,
}

impl Shaper {
    pub fn new(style: &Style) -> Shaper {
        let all: Vec<&'static [u8]> = typst_assets::fonts().collect();
        let faces = FACES
            .iter()
            .map(|&(i, _)| rustybuzz::Face::from_slice(all[i], 0).expect("face"))
            .collect();
        Shaper {
            style: style.clone(),
            faces,
        }
    }

    fn shape(&self, text: &str, face: usize, size: f32) -> (Vec<Glyph>, f32) {
        let f = &self.faces[face];
        let mut buf = rustybuzz::UnicodeBuffer::new();
        buf.push_str(text);
        let out = rustybuzz::shape(f, &[], buf);
        let scale = size / f.units_per_em() as f32;
        let infos = out.glyph_infos();
        let pos = out.glyph_positions();
        let mut glyphs = Vec::with_capacity(infos.len());
        let mut width = 0.0;
        for (k, (info, p)) in infos.iter().zip(pos).enumerate() {
            let start = info.cluster as usize;
            let end = infos
                .get(k + 1)
                .map_or(text.len(), |n| n.cluster as usize)
                .max(start);
            let adv = p.x_advance as f32 * scale;
            width += adv;
            glyphs.push(Glyph {
                id: info.glyph_id as u16,
                x_advance: adv,
                x_offset: p.x_offset as f32 * scale,
                y_offset: p.y_offset as f32 * scale,
                range: start..end,
            });
        }
        (glyphs, width)
    }

    fn role_face(role: Role) -> usize {
        match role {
            Role::Title | Role::CoverTitle | Role::Kicker | Role::ContentsEntry => 4,
            Role::Subhead | Role::TableHeader => 1,
            Role::Standfirst | Role::PullQuote | Role::Caption => 2,
            Role::Code => 6,
            _ => 0,
        }
    }

    fn colour(&self, role: Role) -> Rgb {
        let c = &self.style.colours;
        match role {
            Role::Kicker | Role::PullQuote => c.accent,
            Role::RunningHead | Role::Folio | Role::Caption => c.muted,
            _ => c.text,
        }
    }
}

/// Text with its style flags, flattened from inlines.
struct Seg {
    text: String,
    bold: bool,
    italic: bool,
    code: bool,
    sup: bool,
    url: Option<String>,
}

fn flatten(inlines: &[Inline], bold: bool, italic: bool, url: Option<&str>, out: &mut Vec<Seg>) {
    for inline in inlines {
        let seg = |text: String, code: bool, sup: bool| Seg {
            text,
            bold,
            italic,
            code,
            sup,
            url: url.map(str::to_string),
        };
        match inline {
            Inline::Text(t) => out.push(seg(t.clone(), false, false)),
            Inline::Code(t) => out.push(seg(t.clone(), true, false)),
            Inline::Emphasis(c) => flatten(c, bold, !italic, url, out),
            Inline::Strong(c) => flatten(c, true, italic, url, out),
            Inline::Strikethrough(c) => flatten(c, bold, italic, url, out),
            Inline::Link { url: u, content } => flatten(content, bold, italic, Some(u), out),
            Inline::FootnoteRef(n) => out.push(seg(n.to_string(), false, true)),
            Inline::LineBreak => out.push(seg(" ".into(), false, false)),
        }
    }
}

impl Setter for Shaper {
    fn set(
        &mut self,
        inlines: &[Inline],
        role: Role,
        _language: &Language,
        width: f32,
        align: Align,
        indent: f32,
    ) -> Vec<Line> {
        self.lay(inlines, role, width, align, &|i| {
            if i == 0 { indent } else { 0.0 }
        })
    }

    fn set_hanging(
        &mut self,
        inlines: &[Inline],
        role: Role,
        _language: &Language,
        width: f32,
        align: Align,
        lines: usize,
        indent: f32,
    ) -> Option<Vec<Line>> {
        Some(self.lay(inlines, role, width, align, &|i| {
            if i < lines { indent } else { 0.0 }
        }))
    }

    fn size_and_leading(&self, role: Role) -> (f32, f32) {
        crate::pdf::flow::fake::sizes(&self.style, role)
    }

    fn take_warnings(&mut self) -> Vec<Diagnostic> {
        Vec::new()
    }

    fn warn(&mut self, _warning: Diagnostic) {}

    fn fork(&self) -> Self {
        Shaper {
            style: self.style.clone(),
            faces: self.faces.clone(),
        }
    }
}

impl Shaper {
    /// Greedy lines; `indent_of(i)` is line `i`'s indent.
    fn lay(
        &mut self,
        inlines: &[Inline],
        role: Role,
        width: f32,
        align: Align,
        indent_of: &dyn Fn(usize) -> f32,
    ) -> Vec<Line> {
        let (size, _) = crate::pdf::flow::fake::sizes(&self.style, role);
        let base = Self::role_face(role);
        let mut segs = Vec::new();
        flatten(inlines, false, false, None, &mut segs);
        // Words: runs of non-space text, possibly across segments.
        let mut words: Vec<Vec<Piece>> = Vec::new();
        let mut current: Vec<Piece> = Vec::new();
        for seg in &segs {
            let italic = seg.italic != (base == 2);
            let face = if seg.code || base == 6 {
                6
            } else if base == 4 && !seg.bold {
                if italic { 5 } else { 4 }
            } else if seg.bold || base == 1 {
                if italic { 3 } else { 1 }
            } else if italic {
                2
            } else {
                0
            };
            let (sz, rise) = if seg.sup {
                (size * 0.62, -0.38 * size)
            } else {
                (size, 0.0)
            };
            let text = seg.text.replace('\u{ad}', "");
            let mut first = true;
            for part in text.split(' ') {
                if !first && !current.is_empty() {
                    words.push(std::mem::take(&mut current));
                }
                first = false;
                if part.is_empty() {
                    continue;
                }
                let (glyphs, w) = self.shape(part, face, sz);
                current.push(Piece {
                    text: part.to_string(),
                    face,
                    size: sz,
                    rise,
                    glyphs,
                    width: w,
                    url: seg.url.clone(),
                });
            }
        }
        if !current.is_empty() {
            words.push(current);
        }
        let space = self.shape(" ", base, size).1.max(0.2 * size);
        // Greedy breaking.
        let mut lines: Vec<Vec<Vec<Piece>>> = Vec::new();
        let mut line: Vec<Vec<Piece>> = Vec::new();
        let mut used = 0.0;
        for word in words {
            let w: f32 = word.iter().map(|p| p.width).sum();
            let avail = width - indent_of(lines.len());
            let need = if line.is_empty() { w } else { used + space + w };
            if !line.is_empty() && need > avail {
                lines.push(std::mem::take(&mut line));
                used = w;
            } else {
                used = need;
            }
            line.push(word);
        }
        if !line.is_empty() {
            lines.push(line);
        }
        let n = lines.len();
        let colour = self.colour(role);
        lines
            .into_iter()
            .enumerate()
            .map(|(i, words)| {
                let start = indent_of(i);
                let natural: f32 = words
                    .iter()
                    .map(|w| w.iter().map(|p| p.width).sum::<f32>())
                    .sum::<f32>()
                    + space * words.len().saturating_sub(1) as f32;
                let avail = width - start;
                let gaps = words.len().saturating_sub(1) as f32;
                let (mut x, gap) = match align {
                    Align::Justify if i + 1 < n && gaps > 0.0 => {
                        (start, space + (avail - natural).max(0.0) / gaps)
                    }
                    Align::Right => (width - natural, space),
                    Align::Center => (start + (avail - natural) / 2.0, space),
                    _ => (start, space),
                };
                let mut runs = Vec::new();
                let mut links = Vec::new();
                for word in words {
                    for p in word {
                        if let Some(url) = &p.url {
                            links.push(LineLink {
                                x,
                                width: p.width,
                                url: url.clone(),
                            });
                        }
                        runs.push(TextRun {
                            x,
                            y: p.rise,
                            font: FontId(p.face as u16),
                            size: p.size,
                            colour,
                            text: p.text,
                            glyphs: p.glyphs,
                            h_scale: 1.0,
                        });
                        x += p.width;
                    }
                    x += gap;
                }
                Line {
                    runs,
                    links,
                    width: natural,
                    ascent: 0.75 * size,
                    descent: 0.25 * size,
                    hyphenated: false,
                }
            })
            .collect()
    }
}
