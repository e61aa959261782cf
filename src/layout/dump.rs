//! A readable, deterministic text dump of a laid-out [`Document`], for snapshot tests:
//! a change to layout that moves a line, re-breaks a paragraph or shifts a page shows up
//! as a few changed lines of text in review, even when every invariant still holds.
//!
//! The dump has a legend, the metadata, the font faces, the outline and the make-up of
//! each article (first page, pages, whether it runs on, its last page's fill and lines,
//! the paragraphs set a line longer or shorter as `line:±1`), then one block per page:
//!
//! ```text
//! page 4 label arabic 2 419.53x595.28 verso
//!   -        29.99    31.18   156.95 1.0000 0.250 f0:7.50 The Meridian Review · Issue 24 · March 2026
//!   -        29.99   341.98    32.20 1.0000     - f0:7.50 Features
//!   -       575.43    31.18     3.72 1.0000     - f0:8.00 2
//!   c1       50.72    31.18   164.41 0.9912 0.228 f0:9.00 beyond every local summit, and 10 per cent of
//!   c1       72.72    31.18   166.54 1.0086 0.285 f0:9.00 the municipal settlement. In 2000, every en\u{ad}
//!   c2       50.72   215.60   116.69 1.0000 0.250 f0:9.00 •¦The report of its organisation;
//!   link    148.98   273.67    48.74    10.26 -> "https://example.org/01-a-stubborn-district-in-oakhaven/notes"
//!   rect     31.18    32.62   342.99     0.40 #5f5f5f
//! ```
//!
//! (Lines taken from `tests/snapshots/generated.txt`, some left out.)
//!
//! - Pages are numbered from 1, as a PDF viewer counts them; the label is the one the PDF
//!   carries. A verso (left-hand) page is an even-numbered one.
//! - A text line is every run on one baseline in one column (emphasis changes the font,
//!   so a line is often several runs; so does a list's bullet), plus runs that continue it
//!   across a gutter, joined in x order with `¦` between runs. Its fields:
//!   column, baseline y, x, width (the sum of the glyph advances, which already include
//!   justification and glyph expansion), the runs' horizontal scale, the mean word space
//!   in em of the run's size (`-` without spaces), the runs' font and size, and the text.
//! - The column comes from the run's x and the page style's margins, columns and gutter
//!   (on a verso page the text area is shifted by the outer minus the inner margin): `c2`
//!   is the second column, `c1-3` a line spanning three, `-` anything outside the text
//!   area, such as running heads and folios.
//! - Lines are listed by their first column (outside items first, a head spanning columns
//!   with the first of them), then from the top; rules, images and links follow in the
//!   page's drawing order.
//! - Lengths are in points rounded to 0.01 pt, so float noise below that does not change
//!   the dump while any visible movement does. Ratios have four decimals, word spaces three.
//! - Invisible characters in text (soft hyphens, no-break spaces, controls) are written as
//!   `\u{..}` escapes, and so are literal `¦`, `⟨` and `⟩`; `\` is doubled. A run whose
//!   glyphs carry no text (a drop cap gives its letter to the line beside it) shows its
//!   glyph ids instead: `⟨g55⟩`.
//! - Fonts are listed with their family, PostScript name, index in the file and size, so
//!   `f3` in a line can be looked up.

use std::fmt::Write as _;

use rustybuzz::ttf_parser;

use crate::layout::frame::{Document, Item, LinkTarget, OutlineEntry, PageLabel, TextRun};
use crate::model::Page as PageStyle;

/// Separates the runs of one line in the dumped text.
const RUN_SEPARATOR: char = '¦';

/// Dumps `doc`, whose pages were laid out with the page geometry `style` (the edition's
/// `style.page`). The same document always gives the same text.
pub fn dump(doc: &Document, style: &PageStyle) -> String {
    let mut out = String::new();
    out.push_str("# quire layout dump\n");
    out.push_str(
        "# text: column baseline x width h_scale word_space_em font:size text (runs split by ¦)\n",
    );
    out.push_str("# rect/image/link: x y width height, then colour, file or target\n");

    let meta = &doc.meta;
    let _ = writeln!(out, "title {}", quoted(&meta.title));
    let _ = writeln!(
        out,
        "authors {}",
        meta.authors
            .iter()
            .map(|a| quoted(a))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if let Some(subject) = &meta.subject {
        let _ = writeln!(out, "subject {}", quoted(subject));
    }
    if !meta.keywords.is_empty() {
        let _ = writeln!(
            out,
            "keywords {}",
            meta.keywords
                .iter()
                .map(|k| quoted(k))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let (y, m, d) = meta.date;
    let _ = writeln!(
        out,
        "language {} date {y:04}-{m:02}-{d:02}",
        quoted(&meta.language)
    );

    out.push_str("fonts\n");
    for (i, face) in doc.fonts.iter().enumerate() {
        let _ = writeln!(
            out,
            "  f{i} {} {} index {} {} bytes",
            quoted(&face.family),
            postscript_name(face.bytes(), face.index).unwrap_or_else(|| "-".to_string()),
            face.index,
            face.bytes().len()
        );
    }

    out.push_str("outline\n");
    outline(&mut out, &doc.outline, 1);

    out.push_str("makeup\n");
    for f in &doc.fits {
        let name = f
            .source
            .file_name()
            .map(|n| n.to_string_lossy().into_owned());
        let reset: Vec<String> = f.reset.iter().map(|(l, d)| format!("{l}:{d:+}")).collect();
        let _ = writeln!(
            out,
            "  {} page {} +{}{} last {:.3} {} lines{}{}",
            name.unwrap_or_default(),
            f.first_page,
            f.pages,
            if f.runs_on { " run-on" } else { "" },
            f.last_page_fill,
            f.last_page_lines,
            if reset.is_empty() {
                String::new()
            } else {
                format!(" reset {}", reset.join(" "))
            },
            if f.stranded { " STRANDED" } else { "" },
        );
    }

    let geometry = Columns::new(style);
    for (index, page) in doc.pages.iter().enumerate() {
        let verso = crate::layout::flow::is_verso(index);
        let label = match page.label {
            PageLabel::Roman(n) => format!("roman {n}"),
            PageLabel::Arabic(n) => format!("arabic {n}"),
        };
        let _ = writeln!(
            out,
            "page {} label {label} {}x{} {}",
            index + 1,
            pt(page.width),
            pt(page.height),
            if verso { "verso" } else { "recto" }
        );

        let runs: Vec<&TextRun> = page
            .items
            .iter()
            .filter_map(|item| match item {
                Item::Text(run) => Some(run),
                _ => None,
            })
            .collect();
        for line in lines(&runs, &geometry, verso) {
            write_line(&mut out, &line);
        }

        for item in &page.items {
            match item {
                Item::Text(_) => {}
                Item::Rect {
                    x,
                    y,
                    width,
                    height,
                    colour,
                } => {
                    let _ = writeln!(
                        out,
                        "  rect  {:>8} {:>8} {:>8} {:>8} {}",
                        pt(*x),
                        pt(*y),
                        pt(*width),
                        pt(*height),
                        colour.hex()
                    );
                }
                Item::Image {
                    x,
                    y,
                    width,
                    height,
                    image,
                    ..
                } => {
                    let _ = writeln!(
                        out,
                        "  image {:>8} {:>8} {:>8} {:>8} {} {}x{}px",
                        pt(*x),
                        pt(*y),
                        pt(*width),
                        pt(*height),
                        quoted(&image.rel_path),
                        image.width_px,
                        image.height_px
                    );
                }
                Item::Link {
                    x,
                    y,
                    width,
                    height,
                    target,
                    ..
                } => {
                    let target = match target {
                        LinkTarget::Url(url) => quoted(url),
                        LinkTarget::Page { page, y } => format!("page {} y {}", page + 1, pt(*y)),
                    };
                    let _ = writeln!(
                        out,
                        "  link  {:>8} {:>8} {:>8} {:>8} -> {target}",
                        pt(*x),
                        pt(*y),
                        pt(*width),
                        pt(*height)
                    );
                }
                Item::Clip {
                    x,
                    y,
                    width,
                    height,
                } => {
                    let _ = writeln!(
                        out,
                        "  clip  {:>8} {:>8} {:>8} {:>8}",
                        pt(*x),
                        pt(*y),
                        pt(*width),
                        pt(*height)
                    );
                }
                Item::EndClip => {
                    let _ = writeln!(out, "  end clip");
                }
            }
        }
    }
    out
}

/// Texture figures of a laid-out document: how many lines in the text area are set, and
/// how many of them have their glyphs scaled horizontally (glyph expansion) by more than
/// 1 %. Lines are grouped as in [`dump`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Texture {
    /// Lines inside the columns of the text area (running heads and folios left out).
    pub lines: usize,
    /// Those whose horizontal scale differs from 1 by more than 1 %.
    pub scaled_over_1pct: usize,
    /// Pairs of lines one above the other in a column, both scaled, whose scales differ
    /// by more than 0.5 %: a condensed line beside an expanded one.
    pub neighbours_apart: usize,
}

/// Counts the [`Texture`] figures of `doc`, laid out with the page geometry `style`.
pub fn texture(doc: &Document, style: &PageStyle) -> Texture {
    let geometry = Columns::new(style);
    let mut t = Texture::default();
    for (index, page) in doc.pages.iter().enumerate() {
        let verso = crate::layout::flow::is_verso(index);
        let runs: Vec<&TextRun> = page
            .items
            .iter()
            .filter_map(|item| match item {
                Item::Text(run) => Some(run),
                _ => None,
            })
            .collect();
        // The previous line's column and scale (1: not scaled).
        let mut above: Option<(Place, f32)> = None;
        for line in lines(&runs, &geometry, verso) {
            if line.place == Place::Outside {
                continue;
            }
            t.lines += 1;
            let scale = line
                .runs
                .iter()
                .map(|r| r.h_scale)
                .max_by(|a, b| (a - 1.0).abs().total_cmp(&(b - 1.0).abs()))
                .unwrap_or(1.0);
            // A hundredth of a per cent of slack for float noise.
            if (scale - 1.0).abs() > 0.0101 {
                t.scaled_over_1pct += 1;
            }
            if let Some((place, s)) = above
                && place == line.place
                && s != 1.0
                && scale != 1.0
                && (s - scale).abs() > 0.0051
            {
                t.neighbours_apart += 1;
            }
            above = Some((line.place, scale));
        }
    }
    t
}

/// The face's PostScript name, which tells the faces of one family apart.
fn postscript_name(data: &[u8], index: u32) -> Option<String> {
    let face = ttf_parser::Face::parse(data, index).ok()?;
    face.names()
        .into_iter()
        .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
        .find_map(|n| n.to_string())
}

fn outline(out: &mut String, entries: &[OutlineEntry], depth: usize) {
    for e in entries {
        let _ = writeln!(
            out,
            "{:indent$}{} -> page {} y {}",
            "",
            quoted(&e.title),
            e.page + 1,
            pt(e.y),
            indent = 2 * depth
        );
        outline(out, &e.children, depth + 1);
    }
}

/// The column grid of the text area, as in the flow: laid out for a recto page, shifted
/// on a verso page.
struct Columns {
    left: f32,
    top: f32,
    bottom: f32,
    col_w: f32,
    gutter: f32,
    count: usize,
    verso_dx: f32,
    /// How far outside the outer column edges a line may start or end and still belong to
    /// the column (hanging punctuation).
    slack: f32,
}

impl Columns {
    fn new(style: &PageStyle) -> Columns {
        Columns {
            left: style.margin_inner,
            top: style.margin_top,
            bottom: style.height - style.margin_bottom,
            col_w: style.column_width(),
            gutter: style.gutter,
            count: style.columns.max(1) as usize,
            verso_dx: style.margin_outer - style.margin_inner,
            slack: (style.gutter / 2.0).max(3.0),
        }
    }

    /// The 0-based column that x falls in (a column owns half of each gutter beside it),
    /// `None` outside the text area.
    fn column(&self, x: f32, verso: bool) -> Option<usize> {
        let left = self.left + if verso { self.verso_dx } else { 0.0 };
        let pitch = self.col_w + self.gutter;
        let width = pitch * self.count as f32 - self.gutter;
        let rx = x - left;
        if rx < -self.slack || rx > width + self.slack {
            return None;
        }
        let k = ((rx + self.gutter / 2.0) / pitch).floor().max(0.0) as usize;
        Some(k.min(self.count - 1))
    }

    fn inside_vertically(&self, y: f32) -> bool {
        y >= self.top && y <= self.bottom + 0.005
    }
}

/// Where a line sits: outside the text area, or in columns `first..=last` (0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Place {
    Outside,
    Columns(usize, usize),
}

impl Place {
    fn label(self) -> String {
        match self {
            Place::Outside => "-".to_string(),
            Place::Columns(a, b) if a == b => format!("c{}", a + 1),
            Place::Columns(a, b) => format!("c{}-{}", a + 1, b + 1),
        }
    }
}

/// One dumped line: runs on one baseline in one column, in x order.
struct Line<'a> {
    place: Place,
    y: f32,
    runs: Vec<&'a TextRun>,
}

/// The width a run covers: its advances (justification and expansion included).
fn advance(run: &TextRun) -> f32 {
    run.glyphs.iter().map(|g| g.x_advance).sum()
}

/// Hundredths of a point, the resolution of the dump.
fn centi(v: f32) -> i64 {
    (f64::from(v) * 100.0).round() as i64
}

/// Groups runs into lines: runs on one baseline join when they start in the same column
/// of the text area, or when one begins less than half a gutter after the previous ends.
fn lines<'a>(runs: &[&'a TextRun], geometry: &Columns, verso: bool) -> Vec<Line<'a>> {
    let start_column = |run: &TextRun| {
        if geometry.inside_vertically(run.y) {
            geometry.column(run.x, verso)
        } else {
            None
        }
    };
    let mut sorted: Vec<&TextRun> = runs.to_vec();
    sorted.sort_by(|a, b| {
        centi(a.y)
            .cmp(&centi(b.y))
            .then(a.x.total_cmp(&b.x))
            .then(a.text.cmp(&b.text))
    });

    let mut groups: Vec<Vec<&TextRun>> = Vec::new();
    for run in sorted {
        let joins = groups.last().is_some_and(|group| {
            let last = group[group.len() - 1];
            if centi(last.y) != centi(run.y) {
                return false;
            }
            let column = start_column(run);
            let same_column = column.is_some() && column == start_column(group[0]);
            let gap = run.x - (last.x + advance(last));
            same_column || gap < geometry.slack
        });
        match groups.last_mut() {
            Some(group) if joins => group.push(run),
            _ => groups.push(vec![run]),
        }
    }

    let mut lines: Vec<Line> = groups
        .into_iter()
        .map(|runs| {
            let first = runs[0];
            let last = runs[runs.len() - 1];
            let end = last.x + advance(last);
            let place = match (start_column(first), geometry.inside_vertically(first.y)) {
                (Some(a), true) => {
                    // A line that overruns the text area still ends in the last column.
                    let b = geometry
                        .column(end, verso)
                        .unwrap_or(geometry.count - 1)
                        .max(a);
                    Place::Columns(a, b)
                }
                _ => Place::Outside,
            };
            Line {
                place,
                y: first.y,
                runs,
            }
        })
        .collect();
    // By first column (a head spanning columns comes with the first), then from the top.
    let first_column = |place: Place| match place {
        Place::Outside => None,
        Place::Columns(a, _) => Some(a),
    };
    lines.sort_by(|a, b| {
        first_column(a.place)
            .cmp(&first_column(b.place))
            .then(centi(a.y).cmp(&centi(b.y)))
            .then(a.runs[0].x.total_cmp(&b.runs[0].x))
    });
    lines
}

fn write_line(out: &mut String, line: &Line) {
    let first = line.runs[0];
    let last = line.runs[line.runs.len() - 1];
    let width = last.x + advance(last) - first.x;

    let mut scales: Vec<String> = line.runs.iter().map(|r| ratio(r.h_scale)).collect();
    scales.dedup();

    let mut spaces = 0usize;
    let mut space_em = 0.0f64;
    for run in &line.runs {
        for g in &run.glyphs {
            let is_space = run
                .text
                .get(g.text_range())
                .is_some_and(|t| !t.is_empty() && t.chars().all(|c| c == ' '));
            if is_space && run.size > 0.0 {
                spaces += 1;
                space_em += f64::from(g.x_advance) / f64::from(run.size);
            }
        }
    }
    let space = if spaces == 0 {
        "-".to_string()
    } else {
        format!("{:.3}", space_em / spaces as f64)
    };

    let mut fonts: Vec<String> = line
        .runs
        .iter()
        .map(|r| format!("f{}:{}", r.font.0, pt(r.size)))
        .collect();
    fonts.dedup();

    let text = line
        .runs
        .iter()
        .map(|r| run_text(r))
        .collect::<Vec<_>>()
        .join(&RUN_SEPARATOR.to_string());

    let _ = writeln!(
        out,
        "  {:<5} {:>8} {:>8} {:>8} {} {:>5} {} {}",
        line.place.label(),
        pt(line.y),
        pt(first.x),
        pt(width),
        scales.join("+"),
        space,
        fonts.join("+"),
        text
    );
}

/// A run's text, or for glyphs without text (a drop cap gives its text to the line
/// beside it) their glyph ids: `⟨g55⟩`.
fn run_text(run: &TextRun) -> String {
    if run.text.is_empty() && !run.glyphs.is_empty() {
        let ids: Vec<String> = run.glyphs.iter().map(|g| format!("g{}", g.id)).collect();
        format!("⟨{}⟩", ids.join(" "))
    } else {
        escape(&run.text)
    }
}

/// A length in points, rounded to 0.01 pt (never `-0.00`).
fn pt(v: f32) -> String {
    let c = centi(v);
    let sign = if c < 0 { "-" } else { "" };
    let c = c.unsigned_abs();
    format!("{sign}{}.{:02}", c / 100, c % 100)
}

/// A ratio with four decimals.
fn ratio(v: f32) -> String {
    let c = (f64::from(v) * 10_000.0).round() as i64;
    let sign = if c < 0 { "-" } else { "" };
    let c = c.unsigned_abs();
    format!("{sign}{}.{:04}", c / 10_000, c % 10_000)
}

/// Text with invisible and ambiguous characters escaped.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let invisible = c.is_control()
            || (c.is_whitespace() && c != ' ')
            || matches!(
                c,
                '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}'
            );
        if invisible || matches!(c, RUN_SEPARATOR | '⟨' | '⟩') {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else if c == '\\' {
            out.push_str("\\\\");
        } else {
            out.push(c);
        }
    }
    out
}

/// A string in double quotes, with `"` and invisible characters escaped.
fn quoted(s: &str) -> String {
    format!("\"{}\"", escape(s).replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;

    use super::*;
    use crate::layout::frame::{DocMeta, FontFace, FontId, Glyph, Page, glyph_range};
    use crate::model::{Image, ImageFormat, Rgb};

    /// Two columns: inner margin 40, outer 30, gutter 12, so the columns are 40..209 and
    /// 221..390 on a recto page and 10 points further left on a verso page.
    fn style() -> PageStyle {
        PageStyle {
            width: 420.0,
            height: 595.0,
            margin_top: 50.0,
            margin_bottom: 40.0,
            margin_inner: 40.0,
            margin_outer: 30.0,
            bleed: 0.0,
            safety: 0.0,
            columns: 2,
            gutter: 12.0,
        }
    }

    /// A run of one glyph per character, each `advance` points wide.
    fn run(x: f32, y: f32, font: u16, text: &str, advance: f32) -> TextRun {
        let glyphs = text
            .char_indices()
            .map(|(i, c)| Glyph {
                id: 1,
                x_advance: advance,
                x_offset: 0.0,
                y_offset: 0.0,
                range: glyph_range(i..i + c.len_utf8()),
            })
            .collect();
        TextRun {
            x,
            y,
            font: FontId(font),
            size: 10.0,
            colour: Rgb(0, 0, 0),
            text: text.to_string(),
            glyphs,
            h_scale: 1.0,
            node: None,
            source: None,
            lang: None,
        }
    }

    fn page(label: PageLabel, items: Vec<Item>) -> Page {
        Page {
            width: 420.0,
            height: 595.0,
            label,
            items,
        }
    }

    fn document(pages: Vec<Page>) -> Document {
        Document {
            structure: Vec::new(),
            pages,
            outline: vec![OutlineEntry {
                title: "Features".to_string(),
                page: 1,
                y: 50.0,
                children: vec![OutlineEntry {
                    title: "On \"shade\"".to_string(),
                    page: 1,
                    y: 60.004,
                    children: Vec::new(),
                }],
            }],
            meta: DocMeta {
                title: "The Test Review".to_string(),
                authors: vec!["A. Writer".to_string()],
                subject: None,
                keywords: Vec::new(),
                language: "en-GB".to_string(),
                date: (2026, 3, 1),
                ..DocMeta::default()
            },
            fits: Vec::new(),
            fonts: vec![FontFace {
                data: Arc::new(vec![0u8; 12]),
                index: 0,
                family: "Test Serif".to_string(),
                path: None,
            }],
        }
    }

    /// The dumped lines of page `n` (1-based), without its header.
    fn page_lines(dump: &str, n: usize) -> Vec<String> {
        let header = format!("page {n} ");
        dump.lines()
            .skip_while(|l| !l.starts_with(&header))
            .skip(1)
            .take_while(|l| l.starts_with("  "))
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    }

    #[test]
    fn runs_on_one_baseline_in_one_column_are_one_line_in_x_order() {
        // Given out of order: the italic run, then the roman one before it.
        let doc = document(vec![page(
            PageLabel::Arabic(1),
            vec![
                Item::Text(run(60.0, 100.0, 1, "b c", 5.0)),
                Item::Text(run(40.0, 100.0, 0, "a ", 5.0)),
            ],
        )]);
        let lines = page_lines(&dump(&doc, &style()), 1);
        // Width 40 - 40 + 3 * 5 = 35; two spaces of 5 pt at 10 pt are 0.5 em.
        assert_eq!(
            lines,
            ["c1 100.00 40.00 35.00 1.0000 0.500 f0:10.00+f1:10.00 a ¦b c"]
        );
    }

    #[test]
    fn columns_follow_the_page_side_and_lines_are_listed_by_first_column() {
        let recto = page(
            PageLabel::Arabic(1),
            vec![
                Item::Text(run(221.0, 100.0, 0, "second", 5.0)),
                Item::Text(run(40.0, 100.0, 0, "first", 5.0)),
                Item::Text(run(40.0, 40.0, 0, "running head", 5.0)),
                Item::Text(run(300.0, 580.0, 0, "7", 5.0)),
            ],
        );
        // On a verso page the columns are 10 points further left: 211 is in the second...
        let verso = page(
            PageLabel::Arabic(2),
            vec![
                Item::Text(run(211.0, 100.0, 0, "second", 5.0)),
                Item::Text(run(30.0, 120.0, 0, "below", 5.0)),
                Item::Text(run(30.0, 80.0, 0, "spanning the page", 16.0)),
            ],
        );
        let dump = dump(&document(vec![recto.clone(), verso.clone()]), &style());
        assert_eq!(
            page_lines(&dump, 1),
            [
                "- 40.00 40.00 60.00 1.0000 0.500 f0:10.00 running head",
                "- 580.00 300.00 5.00 1.0000 - f0:10.00 7",
                "c1 100.00 40.00 25.00 1.0000 - f0:10.00 first",
                "c2 100.00 221.00 30.00 1.0000 - f0:10.00 second",
            ]
        );
        assert_eq!(
            page_lines(&dump, 2),
            [
                "c1-2 80.00 30.00 272.00 1.0000 1.600 f0:10.00 spanning the page",
                "c1 120.00 30.00 25.00 1.0000 - f0:10.00 below",
                "c2 100.00 211.00 30.00 1.0000 - f0:10.00 second",
            ]
        );
        assert!(dump.contains("page 1 label arabic 1 420.00x595.00 recto\n"));
        assert!(dump.contains("page 2 label arabic 2 420.00x595.00 verso\n"));

        // ...but on page 3, a recto again, 211 is in the first half of the gutter (209..221):
        // the run starts in the first column and ends in the second.
        let third = page(PageLabel::Arabic(3), verso.items.clone());
        let dump = dump_of(vec![recto, verso, third]);
        assert!(
            page_lines(&dump, 3)
                .contains(&"c1-2 100.00 211.00 30.00 1.0000 - f0:10.00 second".to_string())
        );
    }

    fn dump_of(pages: Vec<Page>) -> String {
        dump(&document(pages), &style())
    }

    #[test]
    fn lengths_are_rounded_to_a_hundredth_of_a_point() {
        let at = |y: f32| {
            let doc = document(vec![page(
                PageLabel::Arabic(1),
                vec![Item::Text(run(40.0, y, 0, "x", 5.0))],
            )]);
            page_lines(&dump(&doc, &style()), 1).remove(0)
        };
        assert_eq!(at(100.001), at(100.004));
        assert_ne!(at(100.0), at(100.01));
        assert_eq!(pt(-0.001), "0.00");
        assert_eq!(pt(-1.236), "-1.24");
        assert_eq!(pt(0.5), "0.50");
        assert_eq!(ratio(0.98766), "0.9877");
    }

    #[test]
    fn invisible_characters_are_escaped() {
        assert_eq!(escape("sha\u{ad}"), "sha\\u{ad}");
        assert_eq!(escape("17\u{a0}km\t"), "17\\u{a0}km\\u{9}");
        assert_eq!(escape("a¦b\\c"), "a\\u{a6}b\\\\c");
        assert_eq!(quoted("say \"hi\""), "\"say \\\"hi\\\"\"");
        assert_eq!(escape("⟨g1⟩"), "\\u{27e8}g1\\u{27e9}");

        let mut cap = run(40.0, 100.0, 0, "", 0.0);
        cap.glyphs = vec![Glyph {
            id: 55,
            x_advance: 20.0,
            x_offset: 0.0,
            y_offset: 0.0,
            range: 0..0,
        }];
        assert_eq!(run_text(&cap), "⟨g55⟩");
    }

    #[test]
    fn glyph_expansion_and_word_spaces_are_shown() {
        let mut r = run(40.0, 100.0, 0, "a b", 4.0);
        r.h_scale = 0.98;
        r.glyphs[1].x_advance = 3.25;
        let doc = document(vec![page(PageLabel::Arabic(1), vec![Item::Text(r)])]);
        assert_eq!(
            page_lines(&dump(&doc, &style()), 1),
            ["c1 100.00 40.00 11.25 0.9800 0.325 f0:10.00 a b"]
        );
    }

    #[test]
    fn rules_images_links_outline_and_metadata() {
        let image = Image {
            path: PathBuf::from("/abs/images/pic.png"),
            rel_path: "images/pic.png".to_string(),
            alt: "A picture".to_string(),
            format: ImageFormat::Png,
            width_px: 640,
            height_px: 480,
            data: Arc::new(Vec::new()),
        };
        let doc = document(vec![
            page(PageLabel::Roman(1), Vec::new()),
            page(
                PageLabel::Arabic(1),
                vec![
                    Item::Rect {
                        x: 30.0,
                        y: 45.5,
                        width: 360.0,
                        height: 0.4,
                        colour: Rgb(0x5f, 0x5f, 0x5f),
                    },
                    Item::Image {
                        x: 30.0,
                        y: 60.0,
                        width: 133.0,
                        height: 99.75,
                        image,
                        node: None,
                    },
                    Item::Link {
                        x: 30.0,
                        y: 200.0,
                        width: 50.0,
                        height: 10.0,
                        target: LinkTarget::Url("https://example.org/".to_string()),
                        node: None,
                    },
                    Item::Link {
                        x: 30.0,
                        y: 220.0,
                        width: 50.0,
                        height: 10.0,
                        target: LinkTarget::Page { page: 0, y: 0.0 },
                        node: None,
                    },
                ],
            ),
        ]);
        let dump = dump(&doc, &style());
        assert_eq!(
            page_lines(&dump, 2),
            [
                "rect 30.00 45.50 360.00 0.40 #5f5f5f",
                "image 30.00 60.00 133.00 99.75 \"images/pic.png\" 640x480px",
                "link 30.00 200.00 50.00 10.00 -> \"https://example.org/\"",
                "link 30.00 220.00 50.00 10.00 -> page 1 y 0.00",
            ]
        );
        assert!(dump.contains("page 1 label roman 1 420.00x595.00 recto\n"));
        assert!(dump.contains(
            "outline\n  \"Features\" -> page 2 y 50.00\n    \"On \\\"shade\\\"\" -> page 2 y 60.00\n"
        ));
        assert!(dump.contains("title \"The Test Review\"\nauthors \"A. Writer\"\n"));
        assert!(dump.contains("language \"en-GB\" date 2026-03-01\n"));
        assert!(dump.contains("  f0 \"Test Serif\" - index 0 12 bytes\n"));
    }

    #[test]
    fn the_same_document_gives_the_same_dump() {
        let items = vec![
            Item::Text(run(221.0, 100.0, 0, "b", 5.0)),
            Item::Text(run(40.0, 100.0, 0, "a", 5.0)),
            Item::Text(run(40.0, 111.5, 0, "c", 5.0)),
        ];
        let mut reversed = items.clone();
        reversed.reverse();
        let a = dump_of(vec![page(PageLabel::Arabic(1), items)]);
        let b = dump_of(vec![page(PageLabel::Arabic(1), reversed)]);
        assert_eq!(a, b);
    }
}
