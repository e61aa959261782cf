//! Entry points for the fuzz targets in `fuzz/` (feature `fuzzing`, off by default; also
//! built for the crate's own tests, which replay the inputs kept under
//! `tests/fuzz_regressions/`). Each takes the fuzzer's raw bytes, decodes them into
//! input for one stage and panics when that stage panics or breaks one of its
//! invariants. Not a stable API.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::layout::flow::distribute::{Stream, Unit};
use crate::layout::font::FontBook;
use crate::layout::inline::linebreak::{self, Break, INFINITE, Item, Params, Pass, PenaltyKind};
use crate::model::{ArticleStart, Edition, Style};

/// Reads the fuzzer's bytes front to back; past the end every read is 0.
struct Bytes<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Bytes<'a> {
    fn new(data: &'a [u8]) -> Self {
        Bytes { data, at: 0 }
    }

    fn done(&self) -> bool {
        self.at >= self.data.len()
    }

    fn u8(&mut self) -> u8 {
        let b = self.data.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }

    /// A small float: `u8 / 4`, 0 to 63.75.
    fn small(&mut self) -> f32 {
        f32::from(self.u8()) / 4.0
    }
}

// ---------------------------------------------------------------------------------------
// Line breaker

/// The most items a paragraph decoded from fuzz input holds (a long article paragraph).
const MAX_ITEMS: usize = 3000;

/// Decodes a paragraph (boxes, glue, penalties), line widths and parameters from `data`,
/// breaks it and checks the breaker's invariants: no panic; breaks strictly increasing
/// and ending at the last item; every forced break taken; ratios finite and never below
/// -1; a line that is not marked overfull fits its measure fully shrunk, and in passes 1
/// and 2 is not looser than `max_ratio`; a flagged break ends at a flagged penalty.
/// With `odd` input (NaN, infinite or negative widths) only "no panic, breaks in order"
/// is checked.
pub fn linebreak(data: &[u8]) {
    let mut b = Bytes::new(data);
    let flags = b.u8();
    let odd = flags & 1 == 1;
    let mut params = Params::for_measure(f32::from(b.u8()));
    params.looseness = i32::from(b.u8() % 5) - 2;
    params.max_consecutive_hyphens = usize::from(b.u8() % 4);
    if flags & 2 != 0 {
        params.pretolerance = -1.0;
    }
    if flags & 4 != 0 {
        params.expansion = 0.02;
    }
    if flags & 8 != 0 {
        params.tolerance = 10.0 * f32::from(b.u8());
    }
    if flags & 16 != 0 {
        params.no_hyphen_after = vec![usize::from(b.u8() % 8), usize::from(b.u8() % 8)];
    }
    let widths: Vec<f32> = (0..1 + b.u8() % 4)
        .map(|_| {
            let w = b.small() * 4.0;
            if odd {
                match b.u8() % 4 {
                    0 => f32::NAN,
                    1 => f32::INFINITY,
                    2 => -w,
                    _ => w,
                }
            } else {
                w
            }
        })
        .collect();
    let mut items = Vec::new();
    while !b.done() && items.len() < MAX_ITEMS {
        items.push(item(&mut b, odd));
    }
    let width = |n: usize| widths[n.min(widths.len() - 1)];
    let outcome = linebreak::break_paragraph(&items, &width, &params);
    let breaks = &outcome.breaks;
    if items.is_empty() {
        assert!(
            breaks.is_empty(),
            "lines for an empty paragraph: {breaks:?}"
        );
        return;
    }
    assert_eq!(
        breaks.last().map(|b| b.index),
        Some(items.len() - 1),
        "the last break is the last item"
    );
    assert!(
        breaks.windows(2).all(|p| p[0].index < p[1].index),
        "breaks in order: {breaks:?}"
    );
    if odd {
        return;
    }
    check_lines(&items, breaks, &width, &params, outcome.pass);
}

/// One item from the input: mostly words and spaces, sometimes hyphenation points,
/// forced, forbidden or emergency breaks, boxes that stretch.
fn item(b: &mut Bytes, odd: bool) -> Item {
    let tag = b.u8();
    let w = b.small();
    match tag % 16 {
        0..=6 => Item::Box {
            width: w,
            stretch: 0.0,
            shrink: 0.0,
        },
        7 => Item::Box {
            width: w,
            stretch: w / 20.0,
            shrink: w / 40.0,
        },
        8..=10 => Item::Glue {
            width: w / 8.0,
            stretch: w / 16.0,
            shrink: w / 24.0,
        },
        11 => Item::Glue {
            width: 0.0,
            stretch: if tag & 16 != 0 { 1.0e6 } else { 0.0 },
            shrink: 0.0,
        },
        12 | 13 => Item::Penalty {
            width: w / 16.0,
            penalty: f32::from(tag),
            flagged: true,
            kind: PenaltyKind::Normal,
        },
        14 => Item::Penalty {
            width: 0.0,
            penalty: if tag & 16 != 0 { -INFINITE } else { INFINITE },
            flagged: false,
            kind: PenaltyKind::Normal,
        },
        _ => Item::Penalty {
            width: if odd && tag & 32 != 0 { f32::NAN } else { 0.0 },
            penalty: f32::from(tag) * 4.0 - 500.0,
            flagged: tag & 64 != 0,
            kind: PenaltyKind::Emergency,
        },
    }
}

/// Natural width, stretch and shrink of each line, measured here, apart from the breaker
/// (as its unit tests do): glue and penalties after a break are dropped up to the next
/// box or forced break; a penalty broken at adds its width.
fn measure(items: &[Item], breaks: &[Break]) -> Vec<(f64, f64, f64)> {
    let mut out = Vec::new();
    let mut start = 0usize;
    for (n, b) in breaks.iter().enumerate() {
        if n > 0 {
            while start < items.len() {
                match items[start] {
                    Item::Box { .. } => break,
                    Item::Penalty { penalty, .. } if penalty <= -INFINITE => break,
                    _ => start += 1,
                }
            }
        }
        let last = b.index + 1 == items.len();
        let end = if matches!(items[b.index], Item::Box { .. }) {
            b.index + 1
        } else {
            b.index
        };
        let (mut natural, mut stretch, mut shrink) = (0f64, 0f64, 0f64);
        for item in &items[start.min(end)..end] {
            if let Item::Box {
                width,
                stretch: st,
                shrink: sh,
            }
            | Item::Glue {
                width,
                stretch: st,
                shrink: sh,
            } = *item
            {
                natural += f64::from(width);
                stretch += f64::from(st);
                shrink += f64::from(sh);
            }
        }
        if let Item::Penalty { width, penalty, .. } = items[b.index]
            && (!last || penalty <= -INFINITE)
        {
            natural += f64::from(width);
        }
        out.push((natural, stretch, shrink));
        start = b.index + 1;
    }
    out
}

fn check_lines(
    items: &[Item],
    breaks: &[Break],
    width: &dyn Fn(usize) -> f32,
    params: &Params,
    pass: Pass,
) {
    for (i, item) in items.iter().enumerate() {
        if let Item::Penalty { penalty, .. } = item
            && *penalty <= -INFINITE
        {
            assert!(
                breaks.iter().any(|b| b.index == i),
                "forced break {i} not taken: {breaks:?}"
            );
        }
    }
    let lines = measure(items, breaks);
    for (n, (b, &(natural, stretch, shrink))) in breaks.iter().zip(&lines).enumerate() {
        let w = f64::from(width(n));
        let eps = 1e-3 * (1.0 + natural.abs() + shrink.abs() + w.abs());
        assert!(b.ratio.is_finite(), "line {n}: ratio {}", b.ratio);
        assert!(b.ratio >= -1.0, "line {n}: ratio {} < -1", b.ratio);
        let flagged_item = matches!(items[b.index], Item::Penalty { flagged: true, .. });
        assert!(
            !b.flagged || flagged_item,
            "line {n}: flagged break at an unflagged item"
        );
        if b.overfull {
            continue;
        }
        assert!(
            natural - shrink <= w + eps,
            "line {n} overflows and is not marked overfull: natural {natural}, shrink \
             {shrink}, width {w}; {breaks:?}"
        );
        if b.ratio < 0.0 {
            let set = natural + f64::from(b.ratio) * shrink;
            assert!(
                (set - w).abs() <= eps,
                "line {n} shrunk to {set}, width {w}"
            );
        }
        let fill = b.index + 1 == items.len()
            || matches!(items[b.index], Item::Penalty { penalty, .. } if penalty <= -INFINITE);
        if matches!(pass, Pass::First | Pass::Second) && !fill && stretch > 0.0 {
            assert!(
                b.ratio <= params.max_ratio + 1e-3,
                "line {n}: ratio {} above max_ratio in {pass:?}",
                b.ratio
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// Column flow

/// The most units a column stream decoded from fuzz input holds.
const MAX_UNITS: usize = 2000;

/// One grid line in the flow's integer unit.
const LINE: u64 = 1000;

/// Decodes a column stream (paragraphs under the widow and orphan rules, subheads kept
/// with what follows, spaces, figures, footnotes, repeated table headers) and a page
/// (columns, their height) from `data`, then checks `distribute`: pages filled in turn
/// place every unit exactly once, in order, each column no taller than its cap unless it
/// holds one unit taller than a column; balancing, when it succeeds, does the same in
/// columns no taller than the cap, and succeeds whenever the content fits.
pub fn flow(data: &[u8]) {
    let mut b = Bytes::new(data);
    let columns = usize::from(1 + b.u8() % 4);
    let cap = LINE * u64::from(1 + b.u8() % 48) + u64::from(b.u8() % 4) * (LINE / 4);
    let note_sep = u64::from(b.u8() % 3) * (LINE / 2);
    let short = LINE * u64::from(b.u8() % 48);
    let mut units = Vec::new();
    while !b.done() && units.len() < MAX_UNITS {
        let tag = b.u8();
        let arg = b.u8();
        let note = if tag & 0x80 != 0 {
            u32::from(arg % 8) * 500
        } else {
            0
        };
        match tag % 8 {
            // A paragraph of `k` lines: no break after its first line or before its last
            // (two-line orphans and widows) unless it is too short to have both.
            0..=3 => {
                let k = usize::from(1 + arg % 24);
                let keep_first = tag & 0x40 != 0;
                for i in 0..k {
                    let ok = if i == 0 {
                        !keep_first
                    } else {
                        k < 4 || (i >= 2 && i + 2 <= k)
                    };
                    let mut u = Unit::content(LINE as u32, ok);
                    if i == k / 2 {
                        u.note = note;
                    }
                    units.push(u);
                }
            }
            // A subhead: two lines kept with the paragraph that follows.
            4 => {
                units.push(Unit::content(2 * LINE as u32, true));
            }
            5 => units.push(Unit::space(u32::from(arg) * 8)),
            // A figure (may be taller than a column).
            6 => units.push(Unit {
                height: u32::from(arg) * 250,
                break_before: true,
                space: false,
                float: tag & 0x40 != 0,
                note,
                lead: 0,
            }),
            // A table row, continued under a repeated header.
            _ => units.push(Unit {
                height: LINE as u32,
                break_before: tag & 0x40 != 0,
                space: false,
                float: false,
                note,
                lead: u32::from(arg % 3) * (LINE as u32),
            }),
        }
    }
    let stream = Stream::with_note_sep(units, note_sep);
    check_pages(&stream, columns, cap);
    if let Some(cols) = stream.balance(0, columns, cap, LINE) {
        assert_eq!(cols.len(), columns, "one range per column");
        let end = tiles(&stream, 0, &cols);
        // Spaces after the last column are dropped.
        assert_eq!(
            stream.skip_space(end),
            stream.len(),
            "balanced columns hold everything"
        );
        for c in &cols {
            assert!(
                stream.column(c.clone()) <= cap,
                "balanced column {c:?} over {cap}"
            );
        }
    } else {
        assert!(
            !stream.fits(0, columns, cap),
            "the content fits {columns} columns of {cap} but was not balanced"
        );
    }
    // Columns of different heights (a figure across some of them).
    let mut caps = vec![cap; columns];
    caps[0] = short.min(cap);
    let cols = stream.fill_caps(0, &caps, true);
    let end = tiles(&stream, 0, &cols);
    let tallest = caps.iter().copied().max().unwrap_or(0);
    for (c, &h) in cols.iter().zip(&caps) {
        // Only full-height columns are forced to take an oversized unit.
        assert!(
            stream.column(c.clone()) <= h || (h == tallest && c.len() == 1),
            "column {c:?} over its cap {h}"
        );
    }
    assert!(end <= stream.len());
}

/// Fills pages of `columns` columns (height `cap`) until everything is placed.
fn check_pages(stream: &Stream, columns: usize, cap: u64) {
    let mut pos = 0;
    let mut pages = 0;
    while stream.skip_space(pos) < stream.len() {
        pages += 1;
        assert!(pages <= stream.len() + 1, "no progress at unit {pos}");
        let cols = stream.fill_page(pos, columns, cap, true, cap, LINE);
        assert_eq!(cols.len(), columns, "one range per column");
        let end = tiles(stream, pos, &cols);
        assert!(end > stream.skip_space(pos), "page {pages} holds nothing");
        for c in &cols {
            let h = stream.column(c.clone());
            assert!(
                h <= cap || c.len() == 1,
                "column {c:?} is {h} high, over {cap}, with more than one unit"
            );
        }
        pos = end;
    }
}

/// Checks that `cols` follow one another from `start`: each non-empty column starts
/// where the previous one ended, past the spaces dropped at a column top, and ends at
/// or after it. Returns where the last one ends.
fn tiles(stream: &Stream, start: usize, cols: &[std::ops::Range<usize>]) -> usize {
    let mut end = start;
    for c in cols {
        assert!(c.start <= c.end, "column {c:?} reversed");
        if c.is_empty() {
            continue;
        }
        assert_eq!(
            c.start,
            stream.skip_space(end),
            "column {c:?} does not follow the one before (ends at {end}): {cols:?}"
        );
        assert!(c.end <= stream.len());
        end = c.end;
    }
    end
}

/// Lays out an edition of articles built from `data` (paragraphs of numbered words,
/// subheads, footnotes, lists, block quotes) with the fixed-width fake setter, and checks
/// that every word of the text appears exactly once on the pages. Returns the number of
/// words.
pub fn flow_articles(data: &[u8]) -> usize {
    use crate::layout::flow::fake;
    let mut b = Bytes::new(data);
    let start = match b.u8() % 4 {
        0 => ArticleStart::NewPage,
        1 => ArticleStart::Recto,
        2 => ArticleStart::Spread,
        _ => ArticleStart::RunOn,
    };
    let mut word = 0usize;
    let mut words = |n: usize| {
        let s: Vec<String> = (0..n)
            .map(|_| {
                word += 1;
                format!("q{word}z")
            })
            .collect();
        s.join(" ")
    };
    let mut articles = Vec::new();
    while !b.done() && articles.len() < 6 {
        let blocks = usize::from(1 + b.u8() % 24);
        let mut md = String::from("---\ntitle: Fuzzed\nauthors: [Ann Writer]\n---\n\n");
        let mut notes = String::new();
        let mut k = 0;
        for _ in 0..blocks {
            let tag = b.u8();
            let n = usize::from(1 + b.u8() % 120);
            match tag % 8 {
                0..=3 => md.push_str(&words(n)),
                4 => md.push_str(&format!("## Part {}", tag / 8)),
                5 => {
                    k += 1;
                    md.push_str(&format!("{} [^n{k}] {}", words(n / 2 + 1), words(n / 2)));
                    notes.push_str(&format!("[^n{k}]: {}\n\n", words(1 + n % 30)));
                }
                6 => md.push_str(&format!("> {}", words(n))),
                _ => {
                    for _ in 0..1 + n % 5 {
                        md.push_str(&format!("- {}\n", words(1 + n / 5)));
                    }
                }
            }
            md.push_str("\n\n");
        }
        md.push_str(&notes);
        let name = format!("a{}", articles.len());
        match crate::edition::parse_article(&md, Path::new(&format!("articles/{name}.md"))) {
            Ok(a) => articles.push(a),
            Err(d) => panic!("generated article refused: {d:?}\n{md}"),
        }
    }
    if articles.is_empty() {
        return 0;
    }
    let edition = fake::edition(articles, start);
    let mut setter = fake::Fake::new(&edition.style);
    let (doc, _) = crate::layout::flow::layout_padded(&edition, &mut setter, 1);
    let mut seen = vec![0usize; word + 1];
    for page in &doc.pages {
        for item in &page.items {
            if let crate::layout::frame::Item::Text(run) = item {
                for token in run
                    .text
                    .to_lowercase()
                    .split(|c: char| !c.is_alphanumeric())
                {
                    if let Some(n) = token
                        .strip_prefix('q')
                        .and_then(|t| t.strip_suffix('z'))
                        .and_then(|t| t.parse::<usize>().ok())
                        .filter(|&n| n <= word)
                    {
                        seen[n] += 1;
                    }
                }
            }
        }
    }
    let missing: Vec<usize> = (1..=word).filter(|&n| seen[n] == 0).collect();
    let twice: Vec<usize> = (1..=word).filter(|&n| seen[n] > 1).collect();
    assert!(
        missing.is_empty() && twice.is_empty(),
        "words missing from the pages: {missing:?}; set more than once: {twice:?}"
    );
    word
}

// ---------------------------------------------------------------------------------------
// Whole pipeline

/// The faces of the built-in style, loaded once (from the embedded fonts and the
/// repository's `fonts/`).
pub struct Fonts {
    book: FontBook,
    style: Style,
    dirs: Vec<PathBuf>,
}

/// The fonts [`pipeline`] sets text with, loaded on first use.
pub fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let style = crate::edition::builtin_style("magazine").expect("the built-in style");
        let dirs: Vec<PathBuf> = [Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts")]
            .into_iter()
            .filter(|d| d.is_dir())
            .collect();
        let book = FontBook::load(&style, &dirs).expect("the built-in style's fonts");
        Fonts { book, style, dirs }
    })
}

/// One article file (front matter and Markdown) from `data`, parsed as the loader does,
/// into an edition of that one article in the built-in style; then layout, the archive
/// PDF and the EPUB, in memory. Input the loader refuses is simply refused; anything
/// after loading must not panic or fail. Returns the pages and the sizes of the PDF and
/// the EPUB (`None`: the loader refused the input).
pub fn pipeline(data: &[u8]) -> Option<(usize, usize, usize)> {
    let Ok(article) = crate::edition::parse_article_bytes(data, Path::new("articles/fuzz.md"))
    else {
        return None;
    };
    let fonts = fonts();
    let mut edition = edition_of(article, &fonts.style);
    edition.font_dirs = fonts.dirs.clone();
    let mut ctx = crate::layout::inline::TextContext::new(&fonts.book, &edition.style);
    let (mut document, _) = crate::layout::flow::layout_padded(&edition, &mut ctx, 1);
    document.fonts = fonts.book.faces();
    assert!(!document.pages.is_empty(), "no pages");
    let pdf = crate::pdf::write::write(&document).unwrap_or_else(|e| panic!("PDF: {e}"));
    assert!(pdf.starts_with(b"%PDF-"));
    // The EPUB reads its print page list from a layout padded as for print.
    let laid = crate::layout::LaidEdition::new(&edition, &[crate::layout::PRINT_PAGE_MULTIPLE]);
    let epub = crate::epub::render(&edition, &laid).unwrap_or_else(|e| panic!("EPUB: {e}"));
    assert!(epub.bytes.starts_with(b"PK"));
    Some((document.pages.len(), pdf.len(), epub.bytes.len()))
}

/// An edition of one article in one section.
fn edition_of(article: crate::model::Article, style: &Style) -> Edition {
    use crate::model::{Date, Language, Metadata, Section};
    let sections = vec![Section {
        title: "Fuzz".into(),
        articles: vec![article],
        article_start: None,
    }];
    Edition {
        slug: "fuzz".into(),
        root: PathBuf::from("/nonexistent"),
        meta: Metadata {
            title: "The Fuzz Review".into(),
            issue: "1".into(),
            issue_number: Some(1),
            volume: None,
            date: Date {
                year: 2026,
                month: 12,
                day: 1,
            },
            date_label: "December 2026".into(),
            language: Language("en".into()),
            subtitle: None,
            publisher: None,
            editors: vec![],
            issn: None,
            identifier: "urn:uuid:fuzz".into(),
            description: None,
            subjects: vec![],
            rights: None,
            revision: 1,
            source_date: None,
            certified_by: None,
        },
        cover: None,
        font_dirs: vec![],
        font_paths: vec![],
        system_fonts: false,
        limits: crate::model::Limits::default(),
        cover_lines: crate::model::section_leads(&sections, style.cover_lines),
        sections,
        style: style.clone(),
    }
}

#[cfg(test)]
mod tests {
    //! Replays every input kept under `tests/fuzz_regressions/<target>/` (inputs that
    //! once crashed, hung or failed a fuzz target, and seeds) in plain `cargo test`.

    fn replay<T>(target: &str, run: fn(&[u8]) -> T) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fuzz_regressions")
            .join(target);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        assert!(!files.is_empty(), "no inputs in {}", dir.display());
        for file in files {
            let data = std::fs::read(&file).unwrap();
            let outcome = std::panic::catch_unwind(|| run(&data));
            assert!(outcome.is_ok(), "{} fails", file.display());
        }
    }

    #[test]
    fn linebreak_inputs() {
        replay("linebreak", super::linebreak);
    }

    #[test]
    fn flow_inputs() {
        replay("flow", super::flow);
    }

    #[test]
    fn flow_article_inputs() {
        replay("flow_articles", super::flow_articles);
    }

    #[test]
    fn pipeline_inputs() {
        replay("pipeline", super::pipeline);
    }

    /// The seeds reach the stages they are meant for.
    #[test]
    fn seeds_are_not_refused_early() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
        let read = |f: &str| std::fs::read(dir.join(f)).unwrap();
        let (pages, pdf, epub) = super::pipeline(&read("pipeline/seed-features.md")).unwrap();
        assert!(
            pages >= 2 && pdf > 10_000 && epub > 1_000,
            "{pages} {pdf} {epub}"
        );
        assert!(super::flow_articles(&read("flow_articles/seed-2.bin")) > 100);
    }
}
