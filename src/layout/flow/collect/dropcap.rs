//! Drop caps: the paragraph's initial in the display face across two body lines, and
//! the lines beside it set narrower.

use crate::diag;
use crate::layout::flow::{SUB, line_items};
use crate::layout::inline::{Align, Line, Request, Role};
use crate::model::{Inline, InlineKind, Span};

use super::{Builder, Setter};

impl<S: Setter> Builder<'_, S> {
    /// Sets an article's first paragraph with a two-line initial: the first letter (with
    /// an opening quote before it) in the display face, its cap height spanning two body
    /// lines, and the first two lines indented around it. Returns `false` (nothing added)
    /// when the text has no letter to start with, is shorter than two lines, or the
    /// setter cannot indent more than one line. `source` is the article file's text.
    pub(super) fn drop_cap(&mut self, inlines: &[Inline], source: &str, width: f32) -> bool {
        const LINES: usize = 2;
        /// Cap height as a fraction of the em (Libertinus: 0.65).
        const CAP: f32 = 0.65;
        let Some((initial, rest)) = split_initial(inlines, source) else {
            return false;
        };
        // The run-in goes on after the initial.
        let run_in = match &initial.kind {
            InlineKind::Text(t) => self.run_in.saturating_sub(t.len()),
            _ => 0,
        };
        let (body, _) = self.ctx.size_and_leading(Role::Body);
        let (display, _) = self.ctx.size_and_leading(Role::Title);
        let Some(mut cap) = self
            .ctx
            .set(&Request::new(&[initial], Role::Title, self.lang, width))
            .into_iter()
            .next()
        else {
            return false;
        };
        // Scale the display letter so that its cap height reaches from the second line's
        // baseline to the first line's cap height.
        let target = ((LINES - 1) as f32 * self.geo.lead + CAP * body) / CAP;
        let k = target / display.max(1.0);
        for run in &mut cap.runs {
            run.x *= k;
            run.y *= k;
            run.size *= k;
            for g in &mut run.glyphs {
                g.x_advance *= k;
                g.x_offset *= k;
                g.y_offset *= k;
            }
        }
        let indent = cap.width * k + 0.25 * body;
        if indent > width / 2.0 {
            return false;
        }
        let lines = self.ctx.set(
            &Request::new(&rest, Role::Body, self.lang, width)
                .align(Align::Justify)
                .hang(LINES, indent)
                .run_in(run_in)
                .run_in_lower(self.run_in_lower),
        );
        if lines.len() < LINES {
            return false;
        }
        self.run_in = 0;
        let n = lines.len();
        let mut end = None;
        let space = matches!(rest.first().map(|i| &i.kind), Some(InlineKind::Text(t)) if t.starts_with(char::is_whitespace));
        for (i, mut line) in lines.into_iter().enumerate() {
            let ok = i == 0 || (i >= LINES.max(2) && n - i >= 2);
            end = Some(if i < LINES { indent } else { 0.0 } + line.width);
            let notes = self.anchor(&line.notes);
            let mut items = Vec::new();
            if i == 0 {
                let mut cap = cap.clone();
                move_initial_text(&mut cap, &mut line, space);
                let below = (LINES - 1) as f32 * self.geo.lead;
                line_items(cap, 0.0, self.geo.base + below, &mut items);
            }
            line_items(line, 0.0, self.geo.base, &mut items);
            self.push(SUB, items, ok);
            self.attach(&notes);
        }
        self.last_end = end;
        self.indent_next = true;
        true
    }
}

/// Splits the initial off a paragraph: its first letter or digit, with any opening
/// punctuation before it (a French guillemet with its narrow space included); `None` when the paragraph does not start with plain text.
/// Both parts keep their places in `source` (the article file's text): the rest's span
/// starts where the rest is written.
pub(super) fn split_initial(inlines: &[Inline], source: &str) -> Option<(Inline, Vec<Inline>)> {
    let Some(Inline {
        kind: InlineKind::Text(text),
        span,
    }) = inlines.first()
    else {
        return None;
    };
    let mut end = 0;
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            end = i + c.len_utf8();
            break;
        }
        if !matches!(
            c,
            '"' | '\''
                | '\u{201c}'
                | '\u{2018}'
                | '\u{201e}'
                | '\u{ab}'
                | '\u{bb}'
                | '\u{202f}'
                | '('
        ) {
            return None;
        }
    }
    if end == 0 {
        return None;
    }
    let split = source
        .get(span.range())
        .and_then(|written| diag::source_offset(text, written, end))
        .map_or(span.start, |o| span.start + o);
    let initial = Inline::text(&text[..end], Span::new(span.start, split));
    let mut rest = inlines.to_vec();
    rest[0] = Inline::text(&text[end..], Span::new(split, span.end));
    Some((initial, rest))
}

/// Gives the text of a drop cap to the first glyph of the line beside it, so that text
/// extraction reads "At ten" rather than "A" a line below "t ten": the initial's glyphs
/// keep no text, and the line's first glyph stands for the initial and its own letters
/// (with the space between when the initial is a word of its own).
pub(super) fn move_initial_text(cap: &mut Line, first: &mut Line, space: bool) {
    let mut initial: String = cap.runs.iter().map(|r| r.text.as_str()).collect();
    if space {
        initial.push(' ');
    }
    let Some(run) = first.runs.iter_mut().find(|r| !r.glyphs.is_empty()) else {
        return;
    };
    for r in &mut cap.runs {
        r.text.clear();
        for g in &mut r.glyphs {
            g.range = 0..0;
        }
    }
    let k = u32::try_from(initial.len()).unwrap_or(u32::MAX);
    run.text.insert_str(0, &initial);
    for (j, g) in run.glyphs.iter_mut().enumerate() {
        g.range = if j == 0 {
            0..g.range.end + k
        } else if g.range.is_empty() {
            g.range.clone()
        } else {
            g.range.start + k..g.range.end + k
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_split_off() {
        let t = |s: &str| {
            vec![
                Inline::text(s, Span::new(0, 0)),
                Inline::from(InlineKind::Emphasis(vec![])),
            ]
        };
        let text = |i: &Inline| match &i.kind {
            InlineKind::Text(t) => t.clone(),
            other => panic!("text expected, not {other:?}"),
        };
        let (i, rest) = split_initial(&t("\u{201c}Every word"), "").unwrap();
        assert_eq!(text(&i), "\u{201c}E");
        assert_eq!(text(&rest[0]), "very word");
        assert_eq!(rest.len(), 2);
        assert_eq!(text(&split_initial(&t("Über"), "").unwrap().0), "Ü");
        let (i, rest) = split_initial(&t("«\u{202f}Chaque mot"), "").unwrap();
        assert_eq!(
            (text(&i).as_str(), text(&rest[0]).as_str()),
            ("«\u{202f}C", "haque mot")
        );
        assert!(split_initial(&t("— dash"), "").is_none());
        assert!(split_initial(&[InlineKind::Code("x".into()).into()], "").is_none());
    }

    #[test]
    fn the_rest_after_an_initial_starts_where_it_is_written() {
        // `"Every` is written with a straight quote: one byte, not three.
        let source = "---\n---\n\"Every word";
        let span = Span::new(8, source.len());
        let inlines = [Inline::text("\u{201c}Every word", span)];
        let (initial, rest) = split_initial(&inlines, source).unwrap();
        assert_eq!(&source[initial.span.range()], "\"E");
        assert_eq!(&source[rest[0].span.range()], "very word");
    }

    fn line(text: &str, ranges: &[std::ops::Range<usize>]) -> Line {
        use crate::layout::font::FontId;
        use crate::layout::frame::{Glyph, TextRun, glyph_range};
        use crate::model::Rgb;
        let glyphs = ranges
            .iter()
            .map(|r| Glyph {
                id: 1,
                x_advance: 5.0,
                x_offset: 0.0,
                y_offset: 0.0,
                range: glyph_range(r.clone()),
            })
            .collect();
        Line {
            runs: vec![TextRun {
                x: 0.0,
                y: 0.0,
                font: FontId(0),
                size: 10.0,
                colour: Rgb(0, 0, 0),
                text: text.into(),
                glyphs,
                h_scale: 1.0,
                node: None,
                source: None,
                lang: None,
            }],
            links: Vec::new(),
            notes: Vec::new(),
            width: 10.0,
            ascent: 7.0,
            descent: 2.0,
        }
    }

    #[test]
    fn the_initial_text_moves_to_the_first_glyph_beside_it() {
        let mut cap = line("\u{201c}A", &[0..3, 3..4]);
        let mut first = line("fter all", &[0..2, 2..2, 2..3, 3..4]);
        move_initial_text(&mut cap, &mut first, false);
        assert_eq!(cap.runs[0].text, "");
        assert!(cap.runs[0].glyphs.iter().all(|g| g.range.is_empty()));
        let run = &first.runs[0];
        assert_eq!(run.text, "\u{201c}After all");
        assert_eq!(run.glyphs[0].range, 0..6);
        assert!(run.glyphs[1].range.is_empty());
        assert_eq!(&run.text[run.glyphs[2].text_range()], "e");
        assert_eq!(&run.text[run.glyphs[3].text_range()], "r");

        // "A" as a word of its own keeps the space after it.
        let mut cap = line("A", &[0..1, 1..1]);
        let mut first = line("tree", &[0..1, 1..2]);
        move_initial_text(&mut cap, &mut first, true);
        assert_eq!(first.runs[0].text, "A tree");
        assert_eq!(first.runs[0].glyphs[0].range, 0..3);
    }
}
