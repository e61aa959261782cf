//! A fixed-width text setter for layout tests: every character is half an em wide,
//! lines break greedily at spaces. No fonts needed.

use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::layout::flow::Setter;
use crate::layout::font::FontId;
use crate::layout::frame::{Glyph, TextRun, glyph_range};
use crate::layout::inline::{Align, Line, Request, Role};
use crate::model::{
    Article, ArticleStart, Date, Edition, Inline, Language, Metadata, Section, Style,
};

pub(crate) struct Fake {
    style: Style,
    pub sets: usize,
    /// Answers `set_loose` (by narrowing or widening the measure it breaks against).
    pub loose: bool,
    /// Every request with a run-in: the text it starts with, and the run-in's text.
    pub run_ins: Vec<(String, String)>,
    /// For each of `run_ins`: whether its lower case was asked for as small capitals.
    pub lower: Vec<bool>,
    /// The warnings recorded with `warn`.
    pub warned: Vec<Diagnostic>,
}

impl Fake {
    pub(crate) fn new(style: &Style) -> Fake {
        Fake {
            style: style.clone(),
            sets: 0,
            loose: false,
            run_ins: Vec::new(),
            lower: Vec::new(),
            warned: Vec::new(),
        }
    }
}

impl Setter for Fake {
    /// Greedy lines; a hanging indent narrows the first lines; looseness is answered
    /// only when `loose` is set, by breaking against a narrower or wider measure.
    fn set(&mut self, request: &Request) -> Vec<Line> {
        let Request {
            inlines,
            role,
            width,
            align,
            indent,
            hang,
            looseness,
            run_in,
            ..
        } = *request;
        if run_in > 0
            && let Some(crate::model::InlineKind::Text(t)) = inlines.first().map(|i| &i.kind)
        {
            let caps = t.get(..run_in).unwrap_or("(not a boundary)").to_string();
            self.run_ins.push((t.chars().take(20).collect(), caps));
            self.lower.push(request.run_in_lower);
        }
        let indent_of = move |i: usize| {
            if hang.lines > 0 {
                if i < hang.lines { hang.indent } else { 0.0 }
            } else if i == 0 {
                indent
            } else {
                0.0
            }
        };
        let lines = self.lay(inlines, role, width, align, &indent_of);
        if looseness == 0 || !self.loose {
            return lines;
        }
        let want = lines.len() as i64 + i64::from(looseness);
        // Break against a measure up to 15 % narrower or 5 % wider.
        (1..=15)
            .map(|k| width * (1.0 - looseness.signum() as f32 * k as f32 * 0.01))
            .filter(|w| *w <= width * 1.05)
            .map(|w| self.lay(inlines, role, w, align, &indent_of))
            .find(|lines| lines.len() as i64 == want)
            .unwrap_or(lines)
    }

    fn size_and_leading(&self, role: Role) -> (f32, f32) {
        self.style.size_and_leading(role)
    }

    fn take_warnings(&mut self) -> Vec<Diagnostic> {
        Vec::new()
    }

    fn warn(&mut self, warning: Diagnostic) {
        self.warned.push(warning);
    }

    fn set_source(&mut self, _article: Option<&Article>) {}

    fn fork(&self) -> Self {
        let mut f = Fake::new(&self.style);
        f.loose = self.loose;
        f
    }
}

impl Fake {
    /// Greedy lines of half-em characters; `indent_of(i)` is line `i`'s indent.
    fn lay(
        &mut self,
        inlines: &[Inline],
        role: Role,
        width: f32,
        align: Align,
        indent_of: &dyn Fn(usize) -> f32,
    ) -> Vec<Line> {
        self.sets += 1;
        let (size, _) = self.style.size_and_leading(role);
        let adv = 0.5 * size;
        let text = text_with_refs(inlines);
        let mut lines = Vec::new();
        let mut current = String::new();
        for word in text.split_whitespace() {
            let candidate = if current.is_empty() {
                word.len()
            } else {
                current.len() + 1 + word.len()
            };
            let avail = width - indent_of(lines.len());
            if !current.is_empty() && candidate as f32 * adv > avail {
                let indent = indent_of(lines.len());
                lines.push(make_line(&current, size, adv, indent, width, align));
                current.clear();
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        }
        if !current.is_empty() {
            let indent = indent_of(lines.len());
            lines.push(make_line(&current, size, adv, indent, width, align));
        }
        lines
    }
}

fn make_line(text: &str, size: f32, adv: f32, indent: f32, width: f32, align: Align) -> Line {
    let w = text.len() as f32 * adv;
    let x = match align {
        Align::Right => width - w,
        Align::Center => (width - w) / 2.0,
        Align::Left | Align::Justify => indent,
    };
    let glyphs = text
        .char_indices()
        .map(|(i, c)| Glyph {
            id: 1,
            x_advance: adv,
            x_offset: 0.0,
            y_offset: 0.0,
            range: glyph_range(i..i + c.len_utf8()),
        })
        .collect();
    Line {
        runs: vec![TextRun {
            x,
            y: 0.0,
            font: FontId(0),
            size,
            colour: crate::model::Rgb(0, 0, 0),
            text: text.to_string(),
            glyphs,
            h_scale: 1.0,
            node: None,
            source: None,
            lang: None,
        }],
        links: Vec::new(),
        notes: text
            .split('^')
            .skip(1)
            .filter_map(|t| {
                let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
                digits.parse().ok()
            })
            .collect(),
        width: w,
        ascent: 0.7 * size,
        descent: 0.2 * size,
    }
}

/// The plain text, with each footnote reference written `^n` after the word before it.
fn text_with_refs(inlines: &[Inline]) -> String {
    use crate::model::InlineKind;
    let mut out = String::new();
    for inline in inlines {
        match &inline.kind {
            InlineKind::FootnoteRef(n) => out.push_str(&format!("^{n}")),
            InlineKind::Emphasis(c)
            | InlineKind::Strong(c)
            | InlineKind::Strikethrough(c)
            | InlineKind::Link { content: c, .. } => out.push_str(&text_with_refs(c)),
            _ => out.push_str(&Inline::plain_text(std::slice::from_ref(inline))),
        }
    }
    out
}

/// Deterministic filler prose: `n` words from a small vocabulary.
pub(crate) fn prose(seed: u64, n: usize) -> String {
    const WORDS: [&str; 16] = [
        "harbour", "light", "the", "of", "river", "slowly", "a", "measured", "winter", "and",
        "quiet", "bridge", "to", "northern", "lantern", "in",
    ];
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut out = String::new();
    for i in 0..n {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        if i > 0 {
            out.push(' ');
        }
        out.push_str(WORDS[(x >> 33) as usize % WORDS.len()]);
    }
    out.push('.');
    out
}

/// An article from Markdown (parsed by the real parser).
pub(crate) fn article(name: &str, markdown: &str) -> Article {
    crate::edition::parse_article(markdown, Path::new(&format!("articles/{name}.md")))
        .unwrap_or_else(|d| panic!("test article {name}: {d:?}"))
}

/// A generated article: `paras` paragraphs of varying length, a subhead every fourth.
pub(crate) fn generated(name: &str, seed: u64, paras: usize) -> Article {
    let mut md = format!(
        "---\ntitle: Article {name}\nauthors: [Ann Writer]\nstandfirst: {}\n---\n\n",
        prose(seed + 99, 18)
    );
    for p in 0..paras {
        if p > 0 && p % 4 == 0 {
            md.push_str(&format!("## Part {p}\n\n"));
        }
        let words = 25 + ((seed as usize * 7 + p * 13) % 90);
        md.push_str(&prose(seed * 31 + p as u64, words));
        md.push_str("\n\n");
    }
    article(name, &md)
}

/// An edition around `articles`, two per section, in the built-in style.
pub(crate) fn edition(articles: Vec<Article>, start: ArticleStart) -> Edition {
    let mut style = crate::edition::builtin_style("magazine").expect("built-in style");
    style.article_start = start;
    let mut sections = Vec::new();
    for (i, a) in articles.into_iter().enumerate() {
        if i % 2 == 0 {
            sections.push(Section {
                title: format!("Section {}", i / 2 + 1),
                articles: Vec::new(),
                article_start: None,
            });
        }
        sections.last_mut().expect("a section").articles.push(a);
    }
    Edition {
        slug: "test".into(),
        root: PathBuf::from("/nonexistent"),
        meta: Metadata {
            title: "The Test Review".into(),
            issue: "7".into(),
            issue_number: Some(7),
            volume: None,
            date: Date {
                year: 2026,
                month: 3,
                day: 1,
            },
            date_label: "March 2026".into(),
            language: Language("en-GB".into()),
            subtitle: Some("A magazine for tests".into()),
            publisher: None,
            editors: vec![],
            issn: None,
            identifier: "urn:uuid:test".into(),
            description: None,
            subjects: vec!["testing".into()],
            rights: None,
            certified_by: None,
            revision: 1,
            source_date: None,
        },
        cover: None,
        font_dirs: vec![],
        font_paths: vec![],
        system_fonts: false,
        limits: Default::default(),
        cover_lines: crate::model::section_leads(&sections, style.cover_lines),
        sections,
        style,
    }
}
