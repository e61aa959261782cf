//! Collects a paragraph: walks the inline tree into one string with the look of each
//! stretch, so later stages see plain text and look indices.

use std::cell::Cell;
use std::ops::Range;

use crate::diag::{self, Walk};
use crate::layout::font::Weight;
use crate::model::{Inline, InlineKind, Language, Span};

use super::look::{Look, State};
use super::{Role, TextContext};
use crate::model::RoleLook;

/// A paragraph's text with the look of each stretch.
pub(super) struct Para {
    pub(super) text: String,
    /// `(start, look)`: the look of `text[start..next start]`.
    pub(super) spans: Vec<(usize, u16)>,
    pub(super) looks: Vec<Look>,
    /// The look index already resolved for each inline state met so far.
    states: Vec<(State, u16)>,
    pub(super) links: Vec<String>,
    /// `(start, span)`: `text[start..next start]` is the text of the inline written at
    /// `span` of the article's file (the empty span for text made up here).
    pub(super) origins: Vec<(usize, Span)>,
    /// `(start, language)`: from `start` on, the text is in `language` (a phrase marked
    /// as another language, and the paragraph's own after it); empty when the whole
    /// paragraph is in the request's language.
    pub(super) languages: Vec<(usize, Language)>,
    /// Bytes of the first inline's text still to set as small capitals (a run-in).
    run_in: usize,
    /// The run-in's lower-case letters become small capitals, not its capitals.
    run_in_lower: bool,
    /// Where the last [`Para::source_offset`] walk stopped, by the start of its inline:
    /// the lines of a long paragraph ask in order, and each walk goes on from there.
    walk: Cell<Option<(usize, Walk)>>,
}

impl Para {
    /// Index into `spans` of the span holding byte `at`.
    pub(super) fn span_at(&self, at: usize) -> usize {
        self.spans
            .partition_point(|&(s, _)| s <= at)
            .saturating_sub(1)
    }

    /// The language of the text at byte `at`, when a phrase there is marked as one.
    pub(super) fn language_at(&self, at: usize) -> Option<&Language> {
        let i = self
            .languages
            .partition_point(|(s, _)| *s <= at)
            .checked_sub(1)?;
        self.languages.get(i).map(|(_, l)| l)
    }

    pub(super) fn look_at(&self, at: usize) -> u16 {
        self.spans.get(self.span_at(at)).map_or(0, |&(_, l)| l)
    }

    /// The source span of the text at byte `at`.
    fn origin_at(&self, at: usize) -> Option<(usize, usize, Span)> {
        let i = self
            .origins
            .partition_point(|&(s, _)| s <= at)
            .checked_sub(1)?;
        let (start, span) = self.origins[i];
        let end = self.origins.get(i + 1).map_or(self.text.len(), |&(s, _)| s);
        (!span.is_empty()).then_some((start, end, span))
    }

    /// The start of the span the character at byte `at` was written in: no character of
    /// its inline is written before it.
    pub(super) fn span_start(&self, at: usize) -> Option<usize> {
        self.origin_at(at).map(|(_, _, span)| span.start)
    }

    /// Where the character at byte `at` is written in `source`, the article file's text:
    /// its inline's span start plus its offset in the inline's text, followed through the
    /// changes the text went through (see [`diag::source_offset`]), or the span's
    /// start where it cannot be followed. `None` for text made up by the layout.
    pub(super) fn source_offset(&self, source: &str, at: usize) -> Option<usize> {
        let (start, end, span) = self.origin_at(at)?;
        let written = source.get(span.range())?;
        let text = &self.text[start..end];
        let mut walk = match self.walk.get() {
            Some((from, walk)) if from == start && walk.at() <= at - start => walk,
            _ => Walk::start(text, written),
        };
        let offset = walk.offset(text, written, at - start);
        self.walk.set(Some((start, walk)));
        Some(span.start + offset.unwrap_or(0))
    }

    /// The look-uniform pieces of `range`.
    pub(super) fn pieces(&self, range: Range<usize>) -> Vec<(u16, Range<usize>)> {
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

impl TextContext<'_> {
    /// Walks the inline tree into a paragraph: text and the look of each stretch.
    /// The first inline's first `run_in` bytes are set as small capitals made from the
    /// capitals (when they end on a character boundary).
    pub(super) fn collect(
        &mut self,
        inlines: &[Inline],
        role: Role,
        language: &Language,
        run_in: usize,
        run_in_lower: bool,
    ) -> Para {
        let rl = self.style.role_look(role);
        let mut para = Para {
            text: String::new(),
            spans: Vec::new(),
            looks: Vec::new(),
            states: Vec::new(),
            links: Vec::new(),
            origins: Vec::new(),
            languages: Vec::new(),
            run_in,
            run_in_lower,
            walk: Cell::new(None),
        };
        let state = State {
            weight: rl.weight,
            italic: rl.italic,
            code: false,
            sup: false,
            link: None,
            note: None,
            small_caps: false,
            lower_caps: false,
            phrase: None,
        };
        self.walk(inlines, &rl, state, language, &mut para);
        para
    }

    pub(super) fn walk(
        &mut self,
        inlines: &[Inline],
        rl: &RoleLook,
        state: State,
        language: &Language,
        para: &mut Para,
    ) {
        for inline in inlines {
            let span = inline.span;
            match &inline.kind {
                InlineKind::Text(t) => {
                    let run_in = std::mem::take(&mut para.run_in);
                    match t.split_at_checked(run_in) {
                        Some((caps, rest)) if run_in > 0 && para.text.is_empty() => {
                            let s = State {
                                small_caps: !para.run_in_lower,
                                lower_caps: para.run_in_lower,
                                ..state
                            };
                            self.push(para, rl, s, language, caps, span);
                            // The same inline goes on: no new origin.
                            self.append(para, rl, state, language, rest);
                        }
                        _ => self.push(para, rl, state, language, t, span),
                    }
                }
                InlineKind::Code(t) => {
                    let s = State {
                        code: true,
                        ..state
                    };
                    self.push(para, rl, s, language, t, span);
                }
                InlineKind::Emphasis(c) => {
                    let s = State {
                        italic: !state.italic,
                        ..state
                    };
                    self.walk(c, rl, s, language, para);
                }
                InlineKind::Strong(c) => {
                    let weight = match state.weight {
                        Weight::Regular if rl.display => Weight::Semibold,
                        _ => Weight::Bold,
                    };
                    let s = State { weight, ..state };
                    self.walk(c, rl, s, language, para);
                }
                // No rule is drawn through struck text: lines carry glyphs only.
                InlineKind::Strikethrough(c) => self.walk(c, rl, state, language, para),
                InlineKind::Link { url, content } => {
                    let id = para.links.len() as u32;
                    para.links.push(url.clone());
                    let s = State {
                        link: Some(id),
                        ..state
                    };
                    self.walk(content, rl, s, language, para);
                }
                InlineKind::FootnoteRef(n) => {
                    let s = State {
                        sup: true,
                        note: Some(*n),
                        ..state
                    };
                    self.push(para, rl, s, language, &n.to_string(), span);
                }
                InlineKind::LineBreak => self.push(para, rl, state, language, "\n", span),
                InlineKind::Lang { lang, content } => {
                    self.check_phrase_language(lang, span);
                    para.languages.push((para.text.len(), lang.clone()));
                    let s = State {
                        phrase: Some(para.languages.len().min(usize::from(u16::MAX)) as u16),
                        ..state
                    };
                    self.walk(content, rl, s, lang, para);
                    para.languages.push((para.text.len(), language.clone()));
                }
            }
        }
    }

    /// A warning, once per file and tag, when a phrase is marked with a language quire
    /// has no hyphenation patterns for (its words are then not hyphenated), pointing at
    /// the phrase.
    fn check_phrase_language(&mut self, lang: &Language, span: Span) {
        if !self.style.hyphenation.enabled
            || crate::layout::hyphenate::dictionary(lang.as_str()).is_some()
        {
            return;
        }
        let key = (self.source.clone(), lang.as_str().to_string());
        if !self.unknown_languages.insert(key) {
            return;
        }
        let mut d = diag::Diagnostic::warning(format!(
            "quire has no hyphenation patterns for the language `{}`; the phrase's words are \
             not hyphenated",
            lang.as_str()
        ))
        .with_hint("check the tag (`de`, `fr`, `pt-BR`…), or add soft hyphens (U+00AD) where words may break");
        if let Some(file) = &self.source {
            d = d.in_file(file);
        }
        if let Some(text) = self.source_text.as_deref()
            && !span.is_empty()
        {
            d = d.at_range(text, span.range());
        }
        self.warnings.push(d);
    }

    /// Appends `text`, written at `span`, in the look of `state`.
    pub(super) fn push(
        &mut self,
        para: &mut Para,
        rl: &RoleLook,
        state: State,
        language: &Language,
        text: &str,
        span: Span,
    ) {
        if text.is_empty() {
            return;
        }
        if para.origins.last().map(|&(_, s)| s) != Some(span) || !span.is_empty() {
            para.origins.push((para.text.len(), span));
        }
        self.append(para, rl, state, language, text);
    }

    /// Appends `text` in the look of `state`, as part of the inline pushed last.
    fn append(
        &mut self,
        para: &mut Para,
        rl: &RoleLook,
        state: State,
        language: &Language,
        text: &str,
    ) {
        if text.is_empty() {
            return;
        }
        let index = match para.states.iter().find(|(s, _)| *s == state) {
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
                para.states.push((state, i));
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
                c if is_undrawable(c) => {}
                c if upper => para.text.extend(c.to_uppercase()),
                c => para.text.push(c),
            }
        }
    }
}

/// Characters dropped from the text set: control characters other than the line break
/// (the loader keeps them, as Markdown does) and U+FEFF, U+FFFE and U+FFFF. They draw
/// nothing, and a PDF/A file may not map a glyph to U+0000, U+FEFF or U+FFFE (krilla
/// refuses to write one that does). The EPUB drops the same controls (not XML).
fn is_undrawable(c: char) -> bool {
    (c.is_control() && c != '\n') || matches!(c, '\u{feff}' | '\u{fffe}' | '\u{ffff}')
}
