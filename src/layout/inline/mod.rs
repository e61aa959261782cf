//! Paragraphs to lines: resolve each inline's role to a face and size, shape words,
//! find hyphenation points, build line-breaker items, run the breaker and justify the
//! chosen lines into positioned glyph runs.
//!
//! The breaker sees widths measured on whole words (a fragment between hyphenation points
//! is the part of the word's glyphs between them); a line that starts or ends inside a
//! word is shaped again from its own text, and every line is then justified from its real
//! glyphs, so a justified line is exactly as wide as its measure.

pub mod linebreak;

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use crate::diag::Diagnostic;
use crate::layout::font::{FontBook, FontId, FontQuery, Weight};
use crate::layout::frame::{Glyph, TextRun};
use crate::layout::hyphenate::{self, BreakKind, Opportunity, SOFT_HYPHEN};
use crate::layout::shape::{Shaped, ShapedGlyph, Shaper, SpecId};
use crate::model::{Inline, Language, Rgb, Style};
use linebreak::{INFINITE, Item, Params, PenaltyKind};

/// What a piece of text is; decides family, weight, size, leading, colour and features.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Body,
    Title,
    Kicker,
    Standfirst,
    Byline,
    Subhead,
    PullQuote,
    Caption,
    Footnote,
    RunningHead,
    Folio,
    TableCell,
    TableHeader,
    Code,
    ContentsEntry,
    CoverTitle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Justify,
    Left,
    Center,
    Right,
}

/// A link area inside a line.
#[derive(Debug, Clone, PartialEq)]
pub struct LineLink {
    pub x: f32,
    pub width: f32,
    pub url: String,
}

/// One set line. Runs are positioned relative to the line's origin (x = 0 at the column's
/// left edge, y = 0 on the baseline).
#[derive(Debug, Clone)]
pub struct Line {
    pub runs: Vec<TextRun>,
    pub links: Vec<LineLink>,
    /// Width of the content (without hanging punctuation).
    pub width: f32,
    /// Largest ascent and descent of the line's glyphs (descent positive, below baseline).
    pub ascent: f32,
    pub descent: f32,
    /// The line ends with an inserted hyphen.
    pub hyphenated: bool,
}

/// Cost of a break at a hyphenation point (TeX's `\hyphenpenalty`) and after an explicit
/// hyphen (`\exhyphenpenalty`).
const HYPHEN_PENALTY: f32 = 50.0;
/// Cost of a break after a dash or a slash.
const DASH_PENALTY: f32 = 30.0;
/// Emergency breaks in URLs: after `/ . - _` and the like, and anywhere else.
const URL_GOOD_PENALTY: f32 = 100.0;
const URL_ANY_PENALTY: f32 = 1_000.0;
/// Emergency breaks inside a long word (a hyphen is added).
const WORD_EMERGENCY_PENALTY: f32 = 1_000.0;
/// Stretch per space, in em, that lets the breaker balance ragged lines.
const RAGGED_STRETCH_EM: f32 = 3.0;

/// Per-thread state for setting text: shaping cache, hyphenation dictionaries, warnings.
pub struct TextContext<'a> {
    pub fonts: &'a FontBook,
    pub style: &'a Style,
    /// Characters no font covers and similar problems, found while setting text.
    pub warnings: Vec<Diagnostic>,
    /// The file whose text is being set (an article) and its text; warnings name the
    /// file and the line. Set it with [`TextContext::set_source`] before setting an
    /// article's text.
    pub source: Option<PathBuf>,
    source_text: Option<Arc<str>>,
    shaper: Shaper<'a>,
    /// Faces chosen for each query.
    selected: HashMap<FontQuery, Option<FontId>>,
    /// The first monospaced family among the style's (for code), if any.
    mono: Option<String>,
    /// Hyphenation points by language tag, then word.
    hyphens: HashMap<String, HashMap<String, Arc<[Opportunity]>>>,
    /// Missing characters already reported, with the file they were found in.
    reported: HashSet<(Option<PathBuf>, char)>,
}

/// Which of the style's families a role uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Body,
    Display,
    Mono,
}

/// Small capitals a role asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caps {
    None,
    /// Lower case letters as small capitals (`smcp`): "Ann Writer".
    Lower,
    /// Every letter as a small capital (`c2sc` + `smcp`); upper case if the font has none.
    All,
}

/// The typographic setup of a role.
#[derive(Debug, Clone, Copy)]
struct RoleLook {
    family: Family,
    weight: Weight,
    italic: bool,
    size: f32,
    colour: Rgb,
    caps: Caps,
    /// Letter-spacing, in em.
    tracking: f32,
    /// Display type: no hyphenation unless a word cannot fit.
    display: bool,
    /// Tabular lining figures (tables).
    tabular: bool,
}

/// The state inside the inline tree.
#[derive(Debug, Clone, Copy, PartialEq)]
struct State {
    weight: Weight,
    italic: bool,
    code: bool,
    sup: bool,
    link: Option<u32>,
}

/// The resolved look of a stretch of text.
#[derive(Debug, Clone, PartialEq)]
struct Look {
    spec: SpecId,
    font: FontId,
    size: f32,
    colour: Rgb,
    /// Letter-spacing added after every glyph, in points.
    tracking: f32,
    /// Baseline shift (superscripts without a `sups` feature), in points, upwards.
    rise: f32,
    link: Option<u32>,
    /// Part of a word that may be hyphenated (not code, not a footnote number).
    hyphenate: bool,
    code: bool,
    /// Text shown in capitals (small capitals wanted, none in the font).
    upper: bool,
}

/// A paragraph's text with the look of each stretch.
struct Para {
    text: String,
    /// `(start, look)`: the look of `text[start..next start]`.
    spans: Vec<(usize, u16)>,
    looks: Vec<Look>,
    links: Vec<String>,
}

impl Para {
    /// Index into `spans` of the span holding byte `at`.
    fn span_at(&self, at: usize) -> usize {
        self.spans
            .partition_point(|&(s, _)| s <= at)
            .saturating_sub(1)
    }

    fn look_at(&self, at: usize) -> u16 {
        self.spans.get(self.span_at(at)).map_or(0, |&(_, l)| l)
    }

    /// The look-uniform pieces of `range`.
    fn pieces(&self, range: Range<usize>) -> Vec<(u16, Range<usize>)> {
        let mut out = Vec::new();
        let mut i = self.span_at(range.start);
        let mut at = range.start;
        while at < range.end && i < self.spans.len() {
            let end = self
                .spans
                .get(i + 1)
                .map_or(self.text.len(), |&(s, _)| s)
                .min(range.end);
            if end > at {
                out.push((self.spans[i].1, at..end));
            }
            at = end.max(at);
            i += 1;
        }
        out
    }
}

/// A shaped piece of a word in one look. Glyph ranges index `text`.
struct Piece {
    look: u16,
    /// The text shaped (the paragraph's bytes without soft hyphens).
    text: String,
    shaped: Arc<Shaped>,
}

/// A word: its pieces and, per glyph, the paragraph offset of its cluster and its advance.
struct Word {
    range: Range<usize>,
    pieces: Vec<Piece>,
    marks: Vec<(usize, f32)>,
}

impl Word {
    fn width(&self, range: Range<usize>) -> f32 {
        self.marks
            .iter()
            .filter(|(at, _)| range.contains(at))
            .map(|(_, w)| w)
            .sum()
    }
}

/// What an item stands for, to rebuild lines from breaks.
#[derive(Debug, Clone, PartialEq)]
enum Info {
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

/// One glyph of a line being built, before justification.
struct Placed {
    look: u16,
    font: FontId,
    id: u16,
    /// Natural advance in points (letter-spacing of the look included).
    advance: f32,
    x_offset: f32,
    y_offset: f32,
    /// Index into the line's texts, and the glyph's byte range in that text.
    text: usize,
    range: Range<usize>,
    /// Letter-spacing goes after this glyph (not the last of a word).
    gap: bool,
    /// For a space: its stretch and shrink (points).
    glue: Option<(f32, f32)>,
}

impl<'a> TextContext<'a> {
    pub fn new(fonts: &'a FontBook, style: &'a Style) -> Self {
        let mut ctx = TextContext {
            fonts,
            style,
            warnings: Vec::new(),
            source: None,
            source_text: None,
            shaper: Shaper::new(fonts),
            selected: HashMap::new(),
            mono: None,
            hyphens: HashMap::new(),
            reported: HashSet::new(),
        };
        ctx.mono = style
            .fonts
            .fallback
            .iter()
            .find(|family| {
                ctx.select(family, Weight::Regular, false)
                    .is_some_and(|id| fonts.get(id).is_monospaced())
            })
            .cloned();
        ctx
    }

    /// Names the file whose text comes next, with that text (for warnings); `None` for
    /// edition-level text.
    pub fn set_source(&mut self, source: Option<(PathBuf, Arc<str>)>) {
        (self.source, self.source_text) = source.unzip();
    }

    /// Shaping cache statistics: (hits, misses).
    pub fn cache_stats(&self) -> (u64, u64) {
        (self.shaper.hits, self.shaper.misses)
    }

    /// Sets `inlines` in `role` into lines of `width` points. `indent` is the first
    /// line's indent in points. Body text is hyphenated by `language` and broken total-fit.
    pub fn set(
        &mut self,
        inlines: &[Inline],
        role: Role,
        language: &Language,
        width: f32,
        align: Align,
        indent: f32,
    ) -> Vec<Line> {
        self.set_lines(inlines, role, language, width, align, indent, (0, 0.0), 0)
    }

    /// Like [`TextContext::set`], `looseness` lines longer (or shorter, negative) than
    /// the best setting when the tolerances allow it (see `linebreak::Params::looseness`).
    #[allow(clippy::too_many_arguments)]
    pub fn set_loose(
        &mut self,
        inlines: &[Inline],
        role: Role,
        language: &Language,
        width: f32,
        align: Align,
        indent: f32,
        looseness: i32,
    ) -> Vec<Line> {
        self.set_lines(
            inlines,
            role,
            language,
            width,
            align,
            indent,
            (0, 0.0),
            looseness,
        )
    }

    /// Like [`TextContext::set`] without a first-line indent, but the first `lines` lines
    /// are `indent` narrower and start `indent` to the right (beside a drop cap).
    #[allow(clippy::too_many_arguments)]
    pub fn set_hanging(
        &mut self,
        inlines: &[Inline],
        role: Role,
        language: &Language,
        width: f32,
        align: Align,
        lines: usize,
        indent: f32,
    ) -> Vec<Line> {
        self.set_lines(
            inlines,
            role,
            language,
            width,
            align,
            0.0,
            (lines, indent),
            0,
        )
    }

    /// Font size and leading of `role`, in points.
    pub fn size_and_leading(&self, role: Role) -> (f32, f32) {
        let s = &self.style.sizes;
        match role {
            Role::Body => (s.body, s.leading),
            Role::Title => (s.title, s.title_leading),
            Role::Kicker => (s.kicker, s.kicker * 1.3),
            Role::Standfirst => (s.standfirst, s.standfirst_leading),
            Role::Byline => (s.byline, s.byline * 1.3),
            Role::Subhead => (s.subhead, s.subhead * 1.25),
            Role::PullQuote => (s.pullquote, s.pullquote_leading),
            Role::Caption => (s.caption, s.caption * 1.25),
            Role::Footnote => (s.footnote, s.footnote_leading),
            Role::RunningHead => (s.running_head, s.running_head * 1.2),
            Role::Folio => (s.folio, s.folio * 1.2),
            Role::TableCell | Role::TableHeader => (s.body - 1.0, s.leading - 1.0),
            Role::Code => (s.body - 1.0, s.leading),
            Role::ContentsEntry => (s.standfirst - 1.0, s.standfirst_leading - 1.0),
            Role::CoverTitle => (s.title * 2.0, s.title * 2.1),
        }
    }

    /// The typographic setup of `role`.
    fn role_look(&self, role: Role) -> RoleLook {
        let c = &self.style.colours;
        let (size, _) = self.size_and_leading(role);
        let base = RoleLook {
            family: Family::Body,
            weight: Weight::Regular,
            italic: false,
            size,
            colour: c.text,
            caps: Caps::None,
            tracking: 0.0,
            display: false,
            tabular: false,
        };
        let display = RoleLook {
            family: Family::Display,
            display: true,
            ..base
        };
        match role {
            Role::Body | Role::Footnote => base,
            Role::Caption => RoleLook {
                colour: c.muted,
                ..base
            },
            Role::Title => RoleLook {
                weight: Weight::Semibold,
                ..display
            },
            Role::CoverTitle => RoleLook {
                weight: Weight::Bold,
                ..display
            },
            Role::Kicker => RoleLook {
                caps: Caps::All,
                tracking: 0.06,
                colour: c.accent,
                ..display
            },
            Role::Standfirst => RoleLook {
                italic: true,
                ..display
            },
            Role::Byline => RoleLook {
                family: Family::Body,
                caps: Caps::Lower,
                tracking: 0.03,
                ..display
            },
            Role::Subhead => RoleLook {
                weight: Weight::Semibold,
                ..display
            },
            Role::PullQuote => RoleLook {
                italic: true,
                colour: c.accent,
                ..display
            },
            Role::RunningHead => RoleLook {
                family: Family::Body,
                caps: Caps::Lower,
                tracking: 0.04,
                colour: c.muted,
                ..display
            },
            Role::Folio => RoleLook {
                family: Family::Body,
                colour: c.muted,
                ..display
            },
            Role::TableCell => RoleLook {
                tabular: true,
                ..base
            },
            Role::TableHeader => RoleLook {
                weight: Weight::Semibold,
                tabular: true,
                ..base
            },
            Role::Code => RoleLook {
                family: Family::Mono,
                ..display
            },
            Role::ContentsEntry => display,
        }
    }

    /// The face for a family, weight and slant (cached).
    fn select(&mut self, family: &str, weight: Weight, italic: bool) -> Option<FontId> {
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
    fn look(&mut self, role: &RoleLook, state: State, language: &Language) -> Look {
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
            match role.caps {
                Caps::None => {}
                Caps::Lower => {
                    if self.shaper.has_feature(primary, "smcp") {
                        features.push("smcp".into());
                    } else {
                        tracking = 0.0;
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
            hyphenate: !state.code && !state.sup && role.family != Family::Mono,
            code: mono,
            upper,
        }
    }

    /// Walks the inline tree into a paragraph: text and the look of each stretch.
    fn collect(&mut self, inlines: &[Inline], role: Role, language: &Language) -> Para {
        let rl = self.role_look(role);
        let mut para = Para {
            text: String::new(),
            spans: Vec::new(),
            looks: Vec::new(),
            links: Vec::new(),
        };
        let state = State {
            weight: rl.weight,
            italic: rl.italic,
            code: false,
            sup: false,
            link: None,
        };
        let mut looks: Vec<(State, u16)> = Vec::new();
        self.walk(inlines, &rl, state, language, &mut para, &mut looks);
        para
    }

    fn walk(
        &mut self,
        inlines: &[Inline],
        rl: &RoleLook,
        state: State,
        language: &Language,
        para: &mut Para,
        looks: &mut Vec<(State, u16)>,
    ) {
        for inline in inlines {
            match inline {
                Inline::Text(t) => self.push(para, looks, rl, state, language, t),
                Inline::Code(t) => {
                    let s = State {
                        code: true,
                        ..state
                    };
                    self.push(para, looks, rl, s, language, t);
                }
                Inline::Emphasis(c) => {
                    let s = State {
                        italic: !state.italic,
                        ..state
                    };
                    self.walk(c, rl, s, language, para, looks);
                }
                Inline::Strong(c) => {
                    let weight = match state.weight {
                        Weight::Regular if rl.display => Weight::Semibold,
                        _ => Weight::Bold,
                    };
                    let s = State { weight, ..state };
                    self.walk(c, rl, s, language, para, looks);
                }
                // No rule is drawn through struck text: lines carry glyphs only.
                Inline::Strikethrough(c) => self.walk(c, rl, state, language, para, looks),
                Inline::Link { url, content } => {
                    let id = para.links.len() as u32;
                    para.links.push(url.clone());
                    let s = State {
                        link: Some(id),
                        ..state
                    };
                    self.walk(content, rl, s, language, para, looks);
                }
                Inline::FootnoteRef(n) => {
                    let s = State { sup: true, ..state };
                    self.push(para, looks, rl, s, language, &n.to_string());
                }
                Inline::LineBreak => self.push(para, looks, rl, state, language, "\n"),
            }
        }
    }

    /// Appends `text` in the look of `state`.
    fn push(
        &mut self,
        para: &mut Para,
        looks: &mut Vec<(State, u16)>,
        rl: &RoleLook,
        state: State,
        language: &Language,
        text: &str,
    ) {
        if text.is_empty() {
            return;
        }
        let index = match looks.iter().find(|(s, _)| *s == state) {
            Some(&(_, i)) => i,
            None => {
                let look = self.look(rl, state, language);
                let i = match para.looks.iter().position(|l| *l == look) {
                    Some(i) => i as u16,
                    None => {
                        para.looks.push(look);
                        (para.looks.len() - 1) as u16
                    }
                };
                looks.push((state, i));
                i
            }
        };
        if para.spans.last().map(|&(_, l)| l) != Some(index) {
            para.spans.push((para.text.len(), index));
        }
        let upper = para.looks[usize::from(index)].upper;
        for c in text.chars() {
            match c {
                '\t' | '\r' => para.text.push(' '),
                c if upper => para.text.extend(c.to_uppercase()),
                c => para.text.push(c),
            }
        }
    }

    /// Shapes `range` of the paragraph in one look (soft hyphens left out).
    fn piece(&mut self, para: &Para, look: u16, range: Range<usize>) -> Piece {
        let raw = &para.text[range.clone()];
        let text: String = if raw.contains(SOFT_HYPHEN) {
            raw.chars().filter(|&c| c != SOFT_HYPHEN).collect()
        } else {
            raw.to_string()
        };
        let shaped = self.shaper.shape(para.looks[usize::from(look)].spec, &text);
        if !shaped.missing.is_empty() {
            for &c in &shaped.missing {
                self.report_missing(c);
            }
        }
        Piece { look, text, shaped }
    }

    /// A warning (once per file and character) for a character no font has.
    fn report_missing(&mut self, c: char) {
        if !self.reported.insert((self.source.clone(), c)) {
            return;
        }
        let mut d = Diagnostic::warning(format!(
            "no font of the style has a glyph for U+{:04X} ({c:?}); a replacement glyph is drawn",
            c as u32
        ))
        .with_hint("add a font that has it to the style's `fonts.fallback` families");
        if let Some(file) = &self.source {
            d = d.in_file(file);
        }
        // Where the character first appears in the file (it may also come from a
        // typographic substitution, such as a quotation mark, and not be there).
        if let Some(text) = self.source_text.as_deref()
            && let Some((line, column)) = crate::diag::locate(text, c.encode_utf8(&mut [0; 4]))
        {
            d = d.at(line, column, 1);
        }
        self.warnings.push(d);
    }

    /// Shapes a word, in pieces of one look each.
    fn word(&mut self, para: &Para, range: Range<usize>) -> Word {
        let mut pieces = Vec::new();
        let mut marks = Vec::new();
        for (look, r) in para.pieces(range.clone()) {
            let piece = self.piece(para, look, r.clone());
            let l = &para.looks[usize::from(look)];
            let has_shy = para.text[r.clone()].contains(SOFT_HYPHEN);
            let mut previous = None;
            for g in &piece.shaped.glyphs {
                let at = if has_shy {
                    r.start + original_offset(&para.text[r.clone()], g.range.start)
                } else {
                    r.start + g.range.start
                };
                let advance = g.advance * l.size + l.tracking;
                // Glyphs of one cluster count as one mark (one letter-spacing gap).
                if previous == Some(g.range.start) {
                    if let Some(last) = marks.last_mut() {
                        let (_, w): &mut (usize, f32) = last;
                        *w += advance;
                    }
                } else {
                    marks.push((at, advance));
                }
                previous = Some(g.range.start);
            }
            pieces.push(piece);
        }
        Word {
            range,
            pieces,
            marks,
        }
    }

    /// Hyphenation points of a word (cached per language and word).
    fn hyphenation(&mut self, language: &Language, word: &str) -> Arc<[Opportunity]> {
        let by_word = self.hyphens.entry(language.0.clone()).or_default();
        if let Some(found) = by_word.get(word) {
            return found.clone();
        }
        let dict = hyphenate::dictionary(language.as_str());
        let found: Arc<[Opportunity]> =
            hyphenate::opportunities(word, dict, &self.style.hyphenation).into();
        by_word.insert(word.to_string(), found.clone());
        found
    }

    /// The hyphen glyphs in `look`.
    fn hyphen(&mut self, look: &Look) -> Arc<Shaped> {
        self.shaper.shape(look.spec, "-")
    }

    /// The space of `look`: its glyphs and natural width (points).
    fn space(&mut self, look: &Look) -> (Arc<Shaped>, f32) {
        let shaped = self.shaper.shape(look.spec, " ");
        let width = shaped.width() * look.size;
        (shaped, width)
    }

    #[allow(clippy::too_many_arguments)]
    fn set_lines(
        &mut self,
        inlines: &[Inline],
        role: Role,
        language: &Language,
        width: f32,
        align: Align,
        indent: f32,
        hang: (usize, f32),
        looseness: i32,
    ) -> Vec<Line> {
        let width = if width.is_finite() {
            width.max(1.0)
        } else {
            1.0e4
        };
        let indent = if indent.is_finite() {
            indent.clamp(0.0, width)
        } else {
            0.0
        };
        let hang = (
            hang.0,
            if hang.1.is_finite() {
                hang.1.clamp(0.0, width)
            } else {
                0.0
            },
        );
        let para = self.collect(inlines, role, language);
        let rl = self.role_look(role);
        let justify = align == Align::Justify;
        let j = self.style.justification;
        let hanging = justify && j.hanging_punctuation;
        let line_width = |n: usize| if n < hang.0 { width - hang.1 } else { width };
        let narrowest = if hang.0 > 0 {
            width - hang.1
        } else {
            width - indent
        };

        // Words and the whitespace between them.
        let text = &para.text;
        let mut tokens: Vec<(bool, Range<usize>)> = Vec::new();
        let mut start = 0;
        let mut in_space = None;
        for (i, c) in text.char_indices() {
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
            tokens.push((s, start..text.len()));
        }

        let mut items: Vec<Item> = Vec::new();
        let mut infos: Vec<Info> = Vec::new();
        let mut words: Vec<Word> = Vec::new();
        if indent > 0.0 {
            items.push(Item::Box {
                width: indent,
                stretch: 0.0,
                shrink: 0.0,
            });
            infos.push(Info::Indent);
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
                        items.push(Item::Box {
                            width: space * count as f32,
                            stretch: 0.0,
                            shrink: 0.0,
                        });
                        infos.push(Info::Indent);
                    }
                    continue;
                }
                if text[range.clone()].contains('\n') {
                    items.push(Item::Penalty {
                        width: 0.0,
                        penalty: -INFINITE,
                        flagged: false,
                        kind: PenaltyKind::Normal,
                    });
                    infos.push(Info::Forced);
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
                items.push(Item::Glue {
                    width: natural,
                    stretch,
                    shrink,
                });
                infos.push(Info::Space { look: look_index });
                continue;
            }
            seen_word = true;
            let word = self.word(&para, range.clone());
            let index = words.len();
            let points = self.points(&para, &word, &rl, language, narrowest);
            let followed_by_glue =
                last_word.is_some_and(|l| k < l) && !text[tokens[k + 1].1.clone()].contains('\n');
            self.word_items(
                &para,
                &word,
                index,
                &points,
                justify,
                hanging && followed_by_glue,
                &mut items,
                &mut infos,
            );
            words.push(word);
        }
        if words.is_empty() {
            return Vec::new();
        }

        let mut params = Params::for_measure(narrowest);
        params.max_consecutive_hyphens = self.style.hyphenation.max_consecutive.max(1);
        params.looseness = if justify { looseness } else { 0 };
        if !justify {
            params.pretolerance = INFINITE;
            params.tolerance = INFINITE;
            params.max_ratio = f32::INFINITY;
            params.adj_demerits = 0.0;
            params.emergency_stretch = 0.0;
        }
        let breaks = linebreak::break_lines(&items, &line_width, &params);

        let mut lines = Vec::with_capacity(breaks.len());
        let mut start = 0;
        for (n, br) in breaks.iter().enumerate() {
            let end = if br.index + 1 == items.len() && matches!(items[br.index], Item::Box { .. })
            {
                items.len()
            } else {
                br.index
            };
            let last = n + 1 == breaks.len() || infos[br.index] == Info::Forced;
            let ending = match &infos[br.index] {
                Info::Hyphen { look } if end == br.index => Some(*look),
                _ => None,
            };
            let offset = if n < hang.0 { hang.1 } else { 0.0 };
            let line = self.realise(
                &para,
                &words,
                &items[start..end],
                &infos[start..end],
                ending,
                LineSpec {
                    width: line_width(n),
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

    /// Break opportunities inside a word (paragraph offsets, sorted), with emergency ones.
    fn points(
        &mut self,
        para: &Para,
        word: &Word,
        rl: &RoleLook,
        language: &Language,
        narrowest: f32,
    ) -> Vec<(usize, PointKind)> {
        let range = word.range.clone();
        let text = &para.text[range.clone()];
        let width = word.width(range.clone());
        let too_wide = width > narrowest;
        // Only the hyphenatable start of the word (not code, not a footnote number).
        let end = para
            .pieces(range.clone())
            .iter()
            .find(|(l, _)| !para.looks[usize::from(*l)].hyphenate)
            .map_or(range.end, |(_, r)| r.start);
        let mut out: Vec<(usize, PointKind)> = Vec::new();
        if end > range.start {
            let ops = self.hyphenation(language, &para.text[range.start..end]);
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
            for (ci, &(i, c)) in chars.iter().enumerate() {
                let at = range.start + i;
                if ci < 2 || chars.len() - ci < 2 {
                    continue;
                }
                if out.iter().any(|p| p.0 == at) {
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
                }
            }
        }
        out.sort_by_key(|p| p.0);
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
    #[allow(clippy::too_many_arguments)]
    fn word_items(
        &mut self,
        para: &Para,
        word: &Word,
        index: usize,
        points: &[(usize, PointKind)],
        justify: bool,
        hang_end: bool,
        items: &mut Vec<Item>,
        infos: &mut Vec<Info>,
    ) {
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
                let glyphs = word.marks.iter().filter(|m| r.contains(&m.0)).count();
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
                        penalty: HYPHEN_PENALTY,
                        flagged: true,
                        kind: PenaltyKind::Normal,
                    });
                    infos.push(Info::Hyphen { look: look_index });
                }
                PointKind::Break(k) => {
                    let last = word
                        .marks
                        .iter()
                        .rev()
                        .find(|m| m.0 < r.end)
                        .map_or(0.0, |m| m.1);
                    let w = if hang {
                        -protrusion(before) * last
                    } else {
                        0.0
                    };
                    items.push(Item::Penalty {
                        width: w,
                        penalty: if k == BreakKind::Explicit {
                            HYPHEN_PENALTY
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
        if hang_end {
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

    /// Builds one line from its items: glyphs, spaces and the hyphen, justified.
    fn realise(
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
        let protrude = if spec.hanging {
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
                r.font == g0.font && (r.size - look.size).abs() < 1e-6 && r.colour == look.colour
            });
            if !same_run {
                runs.push(TextRun {
                    x,
                    y: 0.0,
                    font: g0.font,
                    size: look.size,
                    colour: look.colour,
                    text: String::new(),
                    glyphs: Vec::new(),
                    h_scale: scale,
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
                    range: base + g.range.start - span_start..base + g.range.end - span_start,
                });
                x += a;
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
        Line {
            runs,
            links,
            width: content,
            ascent,
            descent,
            hyphenated: hyphen.is_some(),
        }
    }
}

/// How one line is set.
#[derive(Debug, Clone, Copy)]
struct LineSpec {
    width: f32,
    /// Where the line's measure starts (a hanging indent beside a drop cap).
    offset: f32,
    align: Align,
    /// Stretch or shrink to the full width.
    justify: bool,
    /// Shrink spacing when the line is too wide (justified text, last lines included).
    shrink: bool,
    /// Let the last glyph hang into the margin.
    hanging: bool,
}

/// A break point inside a word.
#[derive(Debug, Clone, Copy, PartialEq)]
enum PointKind {
    Break(BreakKind),
    Emergency { hyphen: bool, penalty: f32 },
}

/// Adds a shaped piece's glyphs to a line.
fn push_piece(para: &Para, piece: &Piece, texts: &mut Vec<String>, placed: &mut Vec<Placed>) {
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

/// The byte offset in `original` of byte `o` of `original` without its soft hyphens.
fn original_offset(original: &str, o: usize) -> usize {
    let mut stripped = 0;
    for (i, c) in original.char_indices() {
        if c == SOFT_HYPHEN {
            continue;
        }
        if stripped >= o {
            return i;
        }
        stripped += c.len_utf8();
    }
    original.len()
}

/// How far a character at a line end may hang into the margin, as a fraction of its width.
fn protrusion(c: char) -> f32 {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn style() -> Style {
        crate::edition::builtin_style("magazine").expect("built-in style")
    }

    fn book(style: &Style) -> FontBook {
        FontBook::load(style, &[]).expect("fonts load")
    }

    fn en() -> Language {
        Language("en-GB".into())
    }

    fn text(t: &str) -> Vec<Inline> {
        vec![Inline::Text(t.to_string())]
    }

    /// What text extraction would give for a line: its runs' texts in order.
    fn line_text(line: &Line) -> String {
        line.runs.iter().map(|r| r.text.as_str()).collect()
    }

    /// The lines joined back into running text: a line ending in a soft hyphen joins the
    /// next without it; one ending in a hyphen or dash joins without a space.
    fn joined(lines: &[Line]) -> String {
        let mut out = String::new();
        for (i, line) in lines.iter().enumerate() {
            let t = line_text(line);
            if let Some(stem) = t.strip_suffix(SOFT_HYPHEN) {
                out.push_str(stem);
            } else {
                out.push_str(&t);
                let explicit = t.ends_with(['-', '\u{2013}', '\u{2014}', '/']);
                if i + 1 < lines.len() && !explicit {
                    out.push(' ');
                }
            }
        }
        out
    }

    /// Right edge of the glyphs of a line.
    fn extent(line: &Line) -> (f32, f32) {
        let start = line.runs.first().map_or(0.0, |r| r.x);
        let end = line.runs.last().map_or(0.0, |r| {
            r.x + r.glyphs.iter().map(|g| g.x_advance).sum::<f32>()
        });
        (start, end)
    }

    const PROSE: &str = "The harbour authority published its annual accounts on a grey \
        Thursday, and the document ran to four hundred pages of tables, footnotes and \
        carefully hedged commentary. Nobody expected the figures to be dramatic; the \
        surprise was how quietly extraordinary they turned out to be. Shipping volumes \
        had fallen for the third consecutive year, while maintenance spending on the \
        northern breakwater had nearly doubled. Councillors who had campaigned on \
        modernisation found themselves defending an institution whose responsibilities \
        were multiplying faster than its revenues. Meanwhile the fishermen's cooperative \
        quietly reorganised its membership rules, admitting seasonal workers for the \
        first time since its foundation.";

    #[test]
    fn words_come_back_in_order() {
        let style = style();
        let book = book(&style);
        let mut ctx = TextContext::new(&book, &style);
        let lines = ctx.set(&text(PROSE), Role::Body, &en(), 150.0, Align::Justify, 9.5);
        assert!(lines.len() > 8, "{} lines", lines.len());
        let expected = PROSE.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(joined(&lines), expected);
        assert!(ctx.warnings.is_empty(), "{:?}", ctx.warnings);
    }

    #[test]
    fn justified_lines_fill_the_measure_and_none_overflows() {
        let style = style();
        let book = book(&style);
        let mut ctx = TextContext::new(&book, &style);
        let width = 150.0;
        let indent = 9.5;
        let lines = ctx.set(
            &text(PROSE),
            Role::Body,
            &en(),
            width,
            Align::Justify,
            indent,
        );
        let n = lines.len();
        for (i, line) in lines.iter().enumerate() {
            let first_x = if i == 0 { indent } else { 0.0 };
            let (start, end) = extent(line);
            assert!((start - first_x).abs() < 1e-3, "line {i} starts at {start}");
            if i + 1 < n {
                assert!(
                    (line.width - (width - first_x)).abs() < 0.01,
                    "line {i}: width {} in {}",
                    line.width,
                    width - first_x
                );
            } else {
                assert!(line.width < width - first_x);
            }
            // Only hanging punctuation may pass the measure, by less than a glyph.
            let hang = end - width;
            assert!(
                hang < 0.01 || (hang < 0.7 * 9.5),
                "line {i} overflows by {hang}"
            );
            if hang > 0.01 {
                let last = line_text(line).chars().next_back().unwrap_or(' ');
                assert!(
                    protrusion(last) > 0.0 || last == SOFT_HYPHEN,
                    "{last:?} hangs"
                );
            }
            assert!(line.ascent > 5.0 && line.descent > 1.0);
        }
    }

    #[test]
    fn hyphenated_lines_end_with_a_soft_hyphen_glyph() {
        let style = style();
        let book = book(&style);
        let mut ctx = TextContext::new(&book, &style);
        // A narrow column forces hyphenation.
        let lines = ctx.set(&text(PROSE), Role::Body, &en(), 110.0, Align::Justify, 0.0);
        let hyphenated: Vec<&Line> = lines.iter().filter(|l| l.hyphenated).collect();
        assert!(!hyphenated.is_empty());
        for line in &lines {
            let t = line_text(line);
            assert_eq!(line.hyphenated, t.ends_with(SOFT_HYPHEN), "{t:?}");
            if line.hyphenated {
                let run = line.runs.last().expect("a run");
                let g = run.glyphs.last().expect("a glyph");
                assert_eq!(&run.text[g.range.clone()], "\u{AD}");
                assert!(g.id != 0 && g.x_advance > 1.0);
            }
        }
        // The breaker's limit of consecutive hyphenated lines holds.
        let max = style.hyphenation.max_consecutive;
        let mut run = 0;
        for line in &lines {
            run = if line.hyphenated { run + 1 } else { 0 };
            assert!(run <= max);
        }
    }

    #[test]
    fn ligatures_map_back_to_their_characters() {
        let style = style();
        let book = book(&style);
        let mut ctx = TextContext::new(&book, &style);
        let lines = ctx.set(
            &text("an office"),
            Role::Body,
            &en(),
            300.0,
            Align::Left,
            0.0,
        );
        assert_eq!(lines.len(), 1);
        let run = &lines[0].runs[0];
        assert_eq!(run.text, "an office");
        let covered: Vec<&str> = run
            .glyphs
            .iter()
            .map(|g| &run.text[g.range.clone()])
            .collect();
        assert!(covered.contains(&"ffi"), "{covered:?}");
        assert_eq!(covered.concat(), "an office");
    }

    #[test]
    fn emphasis_and_strong_change_the_font() {
        let style = style();
        let book = book(&style);
        let mut ctx = TextContext::new(&book, &style);
        let inlines = vec![
            Inline::Text("plain ".into()),
            Inline::Emphasis(vec![Inline::Text("slanted".into())]),
            Inline::Text(" and ".into()),
            Inline::Strong(vec![Inline::Text("heavy".into())]),
        ];
        let lines = ctx.set(&inlines, Role::Body, &en(), 300.0, Align::Left, 0.0);
        let runs = &lines[0].runs;
        let font_of = |word: &str| {
            runs.iter()
                .find(|r| r.text.contains(word))
                .map(|r| r.font)
                .expect("word set")
        };
        let plain = font_of("plain");
        let italic = font_of("slanted");
        let bold = font_of("heavy");
        assert_ne!(plain, italic);
        assert_ne!(plain, bold);
        assert_ne!(italic, bold);
        let face = |id: FontId| {
            let f = book.get(id);
            rustybuzz::ttf_parser::Face::parse(f.bytes(), f.index).expect("parses")
        };
        assert!(face(italic).is_italic());
        assert_eq!(face(bold).weight().to_number(), 700);
        assert_eq!(joined(&lines), "plain slanted and heavy");
    }

    #[test]
    fn links_report_their_areas() {
        let style = style();
        let book = book(&style);
        let mut ctx = TextContext::new(&book, &style);
        let inlines = vec![
            Inline::Text("see ".into()),
            Inline::Link {
                url: "https://example.org".into(),
                content: vec![Inline::Text("the report".into())],
            },
            Inline::Text(" now".into()),
        ];
        let lines = ctx.set(&inlines, Role::Body, &en(), 300.0, Align::Left, 0.0);
        let links = &lines[0].links;
        assert_eq!(links.len(), 1);
        let link = &links[0];
        assert_eq!(link.url, "https://example.org");
        // It starts after "see " and is as wide as "the report".
        let runs = &lines[0].runs;
        let mut x = runs[0].x;
        let mut start = None;
        let mut end = 0.0;
        for r in runs {
            for g in &r.glyphs {
                let t = &r.text[g.range.clone()];
                let before = r.text[..g.range.start].to_string();
                if start.is_none() && t == "t" && before.ends_with("see ") {
                    start = Some(x);
                }
                x += g.x_advance;
                if t == "t" && before.ends_with("repor") {
                    end = x;
                }
            }
        }
        let start = start.expect("link start found");
        assert!((link.x - start).abs() < 1e-3, "{} vs {start}", link.x);
        assert!((link.x + link.width - end).abs() < 1e-3);
    }

    #[test]
    fn a_missing_glyph_warns_with_the_file_and_code_point() {
        let style = style();
        let book = book(&style);
        let mut ctx = TextContext::new(&book, &style);
        let md = "---\ntitle: Signs\n---\n\nA sign \u{13000} here.\n";
        ctx.set_source(Some((PathBuf::from("/e/articles/egypt.md"), Arc::from(md))));
        let lines = ctx.set(
            &text("a sign \u{13000} here"),
            Role::Body,
            &en(),
            300.0,
            Align::Left,
            0.0,
        );
        assert_eq!(ctx.warnings.len(), 1, "{:?}", ctx.warnings);
        let w = &ctx.warnings[0];
        assert!(!w.is_error());
        assert!(w.message.contains("U+13000"), "{}", w.message);
        assert_eq!(
            w.file.as_deref(),
            Some(std::path::Path::new("/e/articles/egypt.md"))
        );
        let span = w.span.as_ref().expect("a line");
        assert_eq!((span.line, span.column), (5, 8));
        // No .notdef glyph is drawn, and the text still maps back.
        assert!(
            lines[0]
                .runs
                .iter()
                .all(|r| r.glyphs.iter().all(|g| g.id != 0))
        );
        assert_eq!(joined(&lines), "a sign \u{13000} here");
        // Once per file and character.
        ctx.set(
            &text("\u{13000}"),
            Role::Body,
            &en(),
            300.0,
            Align::Left,
            0.0,
        );
        assert_eq!(ctx.warnings.len(), 1);
    }

    #[test]
    fn footnote_numbers_are_superscript() {
        let style = style();
        let book = book(&style);
        let mut ctx = TextContext::new(&book, &style);
        let plain = ctx.set(&text("word1"), Role::Body, &en(), 300.0, Align::Left, 0.0);
        let noted = ctx.set(
            &[Inline::Text("word".into()), Inline::FootnoteRef(1)],
            Role::Body,
            &en(),
            300.0,
            Align::Left,
            0.0,
        );
        assert_eq!(joined(&noted), "word1");
        let last = |lines: &[Line]| {
            let r = lines[0].runs.last().expect("a run").clone();
            let g = r.glyphs.last().expect("a glyph").clone();
            (r.size, g)
        };
        let (size_a, a) = last(&plain);
        let (size_b, b) = last(&noted);
        // A superior figure (`sups`) or a smaller, raised digit.
        assert!(a.id != b.id || size_b < size_a);
        assert!(b.x_advance < a.x_advance);
    }

    #[test]
    fn kickers_use_small_capitals_in_the_accent_colour() {
        let style = style();
        let book = book(&style);
        let mut ctx = TextContext::new(&book, &style);
        let kicker = ctx.set(
            &text("Harbour"),
            Role::Kicker,
            &en(),
            300.0,
            Align::Left,
            0.0,
        );
        let body = ctx.set(&text("Harbour"), Role::Body, &en(), 300.0, Align::Left, 0.0);
        let ids = |l: &[Line]| l[0].runs[0].glyphs.iter().map(|g| g.id).collect::<Vec<_>>();
        assert_ne!(ids(&kicker), ids(&body));
        assert_eq!(kicker[0].runs[0].colour, style.colours.accent);
        assert_eq!(line_text(&kicker[0]), "Harbour");
    }

    #[test]
    fn ragged_lines_keep_natural_spaces_and_titles_are_not_hyphenated() {
        let style = style();
        let book = book(&style);
        let mut ctx = TextContext::new(&book, &style);
        let lines = ctx.set(&text(PROSE), Role::Caption, &en(), 140.0, Align::Left, 0.0);
        let mut spaces = Vec::new();
        for line in &lines {
            for r in &line.runs {
                for g in &r.glyphs {
                    if &r.text[g.range.clone()] == " " {
                        spaces.push(g.x_advance);
                    }
                }
            }
            assert!(line.width <= 140.0 + 1e-3);
        }
        let first = spaces[0];
        assert!(spaces.iter().all(|s| (s - first).abs() < 1e-4));
        assert_eq!(
            joined(&lines),
            PROSE.split_whitespace().collect::<Vec<_>>().join(" ")
        );

        let title = "Extraordinary responsibilities multiplying";
        let lines = ctx.set(&text(title), Role::Title, &en(), 200.0, Align::Left, 0.0);
        assert!(lines.len() >= 2);
        assert!(lines.iter().all(|l| !l.hyphenated));
        let right = ctx.set(
            &text("Ann Writer"),
            Role::Byline,
            &en(),
            200.0,
            Align::Right,
            0.0,
        );
        let (_, end) = extent(&right[0]);
        assert!((end - 200.0).abs() < 1e-3);
    }

    #[test]
    fn a_word_wider_than_the_column_is_broken() {
        let style = style();
        let book = book(&style);
        let mut ctx = TextContext::new(&book, &style);
        let url = "https://example.org/a/very/long/path/to/some/document/index.html";
        let lines = ctx.set(&text(url), Role::Body, &en(), 60.0, Align::Justify, 0.0);
        assert!(lines.len() > 1);
        assert_eq!(joined(&lines).replace(' ', ""), url);
        for line in &lines {
            assert!(line.width <= 60.0 + 0.5, "{}", line.width);
            assert!(!line.hyphenated);
        }
    }

    #[test]
    fn words_never_break_inside_a_ligature() {
        // "official" hyphenates of-fi-cial, but "ffi" is one glyph: breaking after "of"
        // would set "ficial" wider than its share of the word, and the line overflowed.
        let style = style();
        let book = book(&style);
        let mut ctx = TextContext::new(&book, &style);
        let words = "official offices affirm efficient officials ".repeat(12);
        for width in [60.0, 75.0, 90.0, 110.0] {
            let lines = ctx.set(&text(&words), Role::Body, &en(), width, Align::Justify, 0.0);
            for (i, line) in lines.iter().enumerate() {
                let t = line_text(line);
                assert!(
                    !t.ends_with("of\u{AD}") && !t.ends_with("ef\u{AD}"),
                    "{t:?}"
                );
                let (_, end) = extent(line);
                assert!(
                    end - width < 0.7 * 9.5 * 0.5,
                    "line {i} {t:?} ends at {end}"
                );
                if !t.ends_with('\u{AD}') {
                    assert!(end - width < 0.01, "line {i} {t:?} overflows to {end}");
                }
            }
        }
    }

    #[test]
    fn line_breaks_are_forced_and_soft_hyphens_respected() {
        let style = style();
        let book = book(&style);
        let mut ctx = TextContext::new(&book, &style);
        let inlines = vec![
            Inline::Text("first line".into()),
            Inline::LineBreak,
            Inline::Text("second".into()),
        ];
        let lines = ctx.set(&inlines, Role::Body, &en(), 300.0, Align::Justify, 0.0);
        assert_eq!(lines.len(), 2);
        assert_eq!(line_text(&lines[0]), "first line");
        assert_eq!(line_text(&lines[1]), "second");

        // A soft hyphen: no hyphen shown unless the line breaks there, and it is the
        // only place the word may break.
        let word = "supercali\u{AD}fragilistic";
        let lines = ctx.set(&text(word), Role::Body, &en(), 300.0, Align::Left, 0.0);
        assert_eq!(line_text(&lines[0]), "supercalifragilistic");
        let narrow = ctx.set(
            &text(&format!("and then in {word} words and more")),
            Role::Body,
            &en(),
            90.0,
            Align::Justify,
            0.0,
        );
        let texts: Vec<String> = narrow.iter().map(line_text).collect();
        assert_eq!(texts[0], "and then in supercali\u{AD}");
        assert!(texts[1].starts_with("fragilistic "), "{texts:?}");
    }

    #[test]
    fn hanging_indent_lines_start_beside_the_drop_cap() {
        let style = style();
        let book = book(&style);
        let mut ctx = TextContext::new(&book, &style);
        let lines = ctx.set_hanging(
            &text(PROSE),
            Role::Body,
            &en(),
            150.0,
            Align::Justify,
            2,
            20.0,
        );
        for (i, line) in lines.iter().enumerate().take(4) {
            let (start, _) = extent(line);
            let want = if i < 2 { 20.0 } else { 0.0 };
            assert!((start - want).abs() < 1e-3, "line {i} at {start}");
            let measure = if i < 2 { 130.0 } else { 150.0 };
            assert!(
                (line.width - measure).abs() < 0.01,
                "line {i}: {}",
                line.width
            );
        }
    }

    #[test]
    fn code_keeps_its_indentation_in_a_monospaced_face() {
        let style = style();
        let book = book(&style);
        let mut ctx = TextContext::new(&book, &style);
        let lines = ctx.set(
            &text("    let x = 1;"),
            Role::Code,
            &en(),
            300.0,
            Align::Left,
            0.0,
        );
        let (start, _) = extent(&lines[0]);
        assert!(start > 10.0, "{start}");
        let f = book.get(lines[0].runs[0].font);
        assert!(f.is_monospaced(), "{}", f.family);
        assert_eq!(line_text(&lines[0]), "let x = 1;");
    }

    #[test]
    fn setting_is_deterministic() {
        let style = style();
        let book = book(&style);
        let a = TextContext::new(&book, &style).set(
            &text(PROSE),
            Role::Body,
            &en(),
            150.0,
            Align::Justify,
            9.5,
        );
        let b = TextContext::new(&book, &style).set(
            &text(PROSE),
            Role::Body,
            &en(),
            150.0,
            Align::Justify,
            9.5,
        );
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
    }

    /// `cargo test --release --lib pdf::items::tests::bench -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn bench() {
        let style = style();
        let start = std::time::Instant::now();
        let book = book(&style);
        let t_load = start.elapsed();
        let mut ctx = TextContext::new(&book, &style);
        // 36,000 words: 400 paragraphs of 90 words from a large vocabulary.
        let paragraphs: Vec<String> = (0..400u64)
            .map(|p| {
                let mut x = p.wrapping_mul(6364136223846793005).wrapping_add(1);
                let mut words = Vec::new();
                for _ in 0..90 {
                    x = x
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    let all: Vec<&str> = PROSE.split_whitespace().collect();
                    let w = all[(x >> 33) as usize % all.len()];
                    words.push(if (x >> 20) % 7 == 0 {
                        format!("{w}s")
                    } else {
                        w.to_string()
                    });
                }
                words.join(" ")
            })
            .collect();
        let start = std::time::Instant::now();
        let mut lines = 0;
        for p in &paragraphs {
            lines += ctx
                .set(&text(p), Role::Body, &en(), 150.0, Align::Justify, 9.5)
                .len();
        }
        let t = start.elapsed();
        eprintln!(
            "font load {t_load:?}; 36000 words, {lines} lines in {t:?}; cache {:?}",
            ctx.cache_stats()
        );
    }
}
