//! Page make-up with the real fonts, on editions written here (articles of many lengths,
//! with footnotes, lists and quotes, several seeds and sizes) and on the sample: no page
//! after the cover less than a third full but the last, every footnote on the page and
//! in the column of its reference, few words split at a column's foot, and the build
//! report's figures matching the pages.

mod common;

use std::fmt::Write as _;
use std::path::Path;

use quire::layout::frame::{Document, Item, Page};
use quire::model::Page as PageStyle;

/// A small deterministic generator (xorshift), so the editions need nothing outside.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const WORDS: [&str; 40] = [
    "harbour",
    "council",
    "survey",
    "morning",
    "quietly",
    "measured",
    "district",
    "the",
    "winter",
    "of",
    "a",
    "archive",
    "their",
    "river",
    "ledger",
    "carefully",
    "and",
    "volunteer",
    "bridge",
    "weather",
    "counted",
    "every",
    "across",
    "modest",
    "report",
    "northern",
    "settlement",
    "patient",
    "unexpected",
    "in",
    "orchard",
    "assembly",
    "treasury",
    "balanced",
    "neighbourhood",
    "considerable",
    "with",
    "recorded",
    "old",
    "parliamentary",
];

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        let w = WORDS[rng.below(WORDS.len())];
        if i == 0 {
            let mut c = w.chars();
            let first = c
                .next()
                .map(|f| f.to_uppercase().to_string())
                .unwrap_or_default();
            s.push_str(&first);
            s.push_str(c.as_str());
        } else {
            s.push(' ');
            s.push_str(w);
        }
    }
    s.push('.');
    s
}

fn paragraph(rng: &mut Rng, words: usize) -> String {
    let mut out = Vec::new();
    let mut left = words;
    while left > 0 {
        let n = (6 + rng.below(14)).min(left);
        out.push(sentence(rng, n));
        left -= n;
    }
    out.join(" ")
}

/// Writes an edition of `articles` articles (300 to 2,400 words) into `dir`.
fn write_edition(dir: &Path, articles: usize, seed: u64) {
    let mut rng = Rng(seed * 2_654_435_761 + 1);
    std::fs::create_dir_all(dir.join("articles")).unwrap();
    let mut toml = String::from(
        "title = \"The Test Quarterly\"\nissue = \"3\"\ndate = \"2026-05-01\"\nlanguage = \"en-GB\"\n\
         publisher = \"Test Press\"\n",
    );
    let sections = ["Features", "Reports", "Reviews"];
    for (s, title) in sections.iter().enumerate() {
        write!(toml, "\n[[section]]\ntitle = \"{title}\"\narticles = [").unwrap();
        for a in (0..articles).filter(|a| a * sections.len() / articles == s) {
            let name = format!("a{a:02}.md");
            let mut md = format!(
                "---\ntitle: {}\nauthor: Writer {a}\n---\n\n",
                sentence(&mut rng, 4).trim_end_matches('.')
            );
            let words = 300 + rng.below(2100);
            let mut written = 0;
            let mut notes = Vec::new();
            let mut p = 0;
            while written < words {
                let n = 30 + rng.below(90);
                let mut text = paragraph(&mut rng, n);
                if p % 7 == 3 {
                    // Short tokens that no hyphen splits mark each reference and note.
                    let k = notes.len() + 1;
                    let len = 10 + rng.below(25);
                    notes.push(format!("M{a}x{k}q {}", sentence(&mut rng, len)));
                    text.push_str(&format!(" R{a}x{k}q[^{k}]"));
                    text.push_str(&format!(" {}", sentence(&mut rng, 6)));
                }
                md.push_str(&text);
                md.push_str("\n\n");
                if p % 9 == 5 {
                    md.push_str(&format!(
                        "## {}\n\n",
                        sentence(&mut rng, 3).trim_end_matches('.')
                    ));
                }
                if p % 11 == 6 {
                    md.push_str(&format!(
                        "> {}\n>\n> \u{2014} Speaker {p}\n\n",
                        paragraph(&mut rng, 35)
                    ));
                }
                if p % 13 == 8 {
                    for _ in 0..4 {
                        md.push_str(&format!("- {}\n", sentence(&mut rng, 5)));
                    }
                    md.push('\n');
                }
                written += n;
                p += 1;
            }
            for (k, note) in notes.iter().enumerate() {
                md.push_str(&format!("[^{}]: {note}\n", k + 1));
            }
            std::fs::write(dir.join("articles").join(&name), md).unwrap();
            write!(toml, "\"articles/{name}\", ").unwrap();
        }
        toml.push_str("]\n");
    }
    std::fs::write(dir.join("edition.toml"), toml).unwrap();
}

/// The text area of a page: left, top, right, bottom (left-hand pages are shifted by the
/// outer minus the inner margin).
fn area(style: &PageStyle, index: usize) -> [f32; 4] {
    let verso = index % 2 == 1;
    let left = if verso {
        style.margin_outer
    } else {
        style.margin_inner
    };
    [
        left,
        style.margin_top,
        left + style.text_width(),
        style.height - style.margin_bottom,
    ]
}

/// How full a page is: the mean over the columns of how deep its lowest text or rule
/// reaches into the text area.
fn fill(page: &Page, index: usize, style: &PageStyle) -> f32 {
    let [left, top, _, bottom] = area(style, index);
    let n = style.columns as usize;
    let (cw, gutter) = (style.column_width(), style.gutter);
    let mut depth = vec![top; n];
    let mut mark = |x0: f32, x1: f32, y: f32| {
        if y <= top || y > bottom + 1.0 {
            return;
        }
        for (k, d) in depth.iter_mut().enumerate() {
            let cx = left + k as f32 * (cw + gutter);
            if x1 > cx + 1.0 && x0 < cx + cw - 1.0 {
                *d = d.max(y.min(bottom));
            }
        }
    };
    for item in &page.items {
        match item {
            Item::Text(r) => {
                let w: f32 = r.glyphs.iter().map(|g| g.x_advance).sum();
                mark(r.x, r.x + w, r.y + 0.25 * r.size);
            }
            Item::Rect {
                x,
                y,
                width,
                height,
                ..
            } => mark(*x, x + width, y + height),
            Item::Image {
                x,
                y,
                width,
                height,
                ..
            } => mark(*x, x + width, y + height),
            _ => {}
        }
    }
    depth
        .iter()
        .map(|d| (d - top) / (bottom - top))
        .sum::<f32>()
        / n as f32
}

/// The page and column of the text run holding `token` (followed by nothing or by the
/// digits of a reference mark).
fn find(doc: &Document, style: &PageStyle, token: &str) -> Option<(usize, usize)> {
    let cw = style.column_width() + style.gutter;
    doc.pages.iter().enumerate().find_map(|(p, page)| {
        let left = area(style, p)[0];
        page.items.iter().find_map(|item| match item {
            Item::Text(r)
                if r.text.split_whitespace().any(|w| {
                    w.strip_prefix(token)
                        .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit()))
                }) =>
            {
                Some((p, ((r.x - left + 1.0) / cw).floor().max(0.0) as usize))
            }
            _ => None,
        })
    })
}

/// Checks the make-up of the edition in `dir`; `notes`: how many articles it has whose
/// footnotes carry the generator's marks.
fn check(dir: &Path, label: &str, notes: Option<usize>) {
    let edition = quire::edition::load(dir).unwrap_or_else(|e| panic!("{label}: {e}"));
    let laid = quire::layout::layout(&edition).unwrap_or_else(|e| panic!("{label}: {e}"));
    let doc = &laid.document;
    let style = &edition.style.page;
    let last = doc.pages.len() - 1;
    for (i, page) in doc.pages.iter().enumerate().take(last).skip(1) {
        let f = fill(page, i, style);
        assert!(f >= 1.0 / 3.0, "{label}: page {} is {f:.2} full", i + 1);
    }
    // Footnotes: each note is in the column of its reference.
    if let Some(articles) = notes {
        let mut checked = 0;
        for a in 0..articles {
            for k in 1.. {
                let Some(reference) = find(doc, style, &format!("R{a}x{k}q")) else {
                    break;
                };
                let note = find(doc, style, &format!("M{a}x{k}q"));
                assert_eq!(Some(reference), note, "{label}: article {a}, note {k}");
                checked += 1;
            }
        }
        assert!(checked >= articles, "{label}: only {checked} notes checked");
    }
    // The report agrees with the pages and names nothing stranded.
    assert_eq!(doc.fits.len(), edition.articles().count());
    for f in &doc.fits {
        assert!(
            !f.stranded,
            "{label}: {} is reported stranded",
            f.source.display()
        );
        let index = f.first_page + f.pages - 2;
        if index < last
            && !doc
                .fits
                .iter()
                .any(|g| g.runs_on && g.first_page - 1 == index)
        {
            let measured = fill(&doc.pages[index], index, style);
            assert!(
                (measured - f.last_page_fill).abs() < 0.06,
                "{label}: {} reports {:.2}, the page is {measured:.2}",
                f.source.display(),
                f.last_page_fill
            );
        }
    }
}

#[test]
fn generated_editions_fill_their_pages_and_keep_notes_with_references() {
    for (articles, seed) in [(8, 1), (12, 2), (24, 3)] {
        let tmp = common::temp_dir();
        write_edition(tmp.path(), articles, seed);
        check(
            tmp.path(),
            &format!("{articles} articles, seed {seed}"),
            Some(articles),
        );
    }
}

#[test]
fn the_sample_fills_its_pages_and_keeps_notes_with_references() {
    check(&common::root().join("editions/sample"), "sample", None);
}
