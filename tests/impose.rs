//! Saddle-stitch imposition, read back from the written file: hand-made documents of 8,
//! 12, 13 and 16 pages, each page showing its number, are imposed and written, and
//! `pdftotext -bbox` says which number landed on which half of which sheet side. The
//! `build_*` test imposes a real edition through the binary and compares each placed page
//! with the print PDF's page (both padded to a multiple of four the same way). qpdf checks the files; two builds must be byte-identical.

mod common;

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use quire::layout::frame::{DocMeta, Document, FontFace, FontId, Page, PageLabel};
use quire::layout::impose::{ImposeSetup, label_run, saddle};
use quire::pdf::write::{Conformance, WriteOptions, write_with};
use rustybuzz::ttf_parser;

/// The embedded Libertinus Serif Regular face.
fn libertinus() -> &'static [u8] {
    typst_assets::fonts()
        .find(|data| {
            let Ok(face) = ttf_parser::Face::parse(data, 0) else {
                return false;
            };
            let family = face
                .names()
                .into_iter()
                .filter(|n| n.name_id == ttf_parser::name_id::FAMILY && n.is_unicode())
                .find_map(|n| n.to_string());
            family.as_deref() == Some("Libertinus Serif") && face.is_regular()
        })
        .expect("typst-assets embeds Libertinus Serif Regular")
}

const A4: (f32, f32) = (595.28, 841.89);

/// `pages` A4 pages, each showing `page-N` in its middle.
fn numbered(pages: u32) -> Document {
    let face = FontFace {
        data: Arc::new(libertinus()),
        index: 0,
        family: "Libertinus Serif".into(),
        path: None,
    };
    let pages = (1..=pages)
        .map(|n| {
            let run = label_run(&face, FontId(0), &format!("page-{n}"), 250.0, 420.0, 24.0)
                .expect("Libertinus has letters and figures");
            Page {
                width: A4.0,
                height: A4.1,
                label: PageLabel::Arabic(n),
                items: vec![quire::layout::frame::Item::Text(run)],
            }
        })
        .collect();
    Document {
        pages,
        meta: DocMeta {
            title: "Imposed".into(),
            language: "en".into(),
            date: (2026, 3, 15),
            ..DocMeta::default()
        },
        fonts: vec![face],
        ..Document::default()
    }
}

fn setup() -> ImposeSetup {
    ImposeSetup {
        creep: 0.1 * quire::model::PT_PER_MM,
        bleed: 3.0 * quire::model::PT_PER_MM,
    }
}

/// Imposes and writes `doc`, twice, and checks that both files are the same bytes.
fn imposed_pdf(doc: &Document) -> Vec<u8> {
    let options = WriteOptions {
        conformance: Conformance::Plain,
    };
    let bytes = write_with(&saddle(doc, &setup()), &options).expect("the imposed file is written");
    let again = write_with(&saddle(doc, &setup()), &options).expect("written again");
    assert!(
        bytes == again,
        "imposing the same pages twice gives other bytes"
    );
    bytes
}

/// What `pdftotext -bbox` finds: per sheet side, the page numbers (`page-N`) on the left
/// and on the right of the fold.
fn placed(pdf: &Path) -> Option<Vec<(Vec<u32>, Vec<u32>)>> {
    let pdftotext = common::tool("pdftotext")?;
    let out = Command::new(pdftotext)
        .args(["-bbox", pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext runs");
    assert!(out.status.success());
    let html = String::from_utf8(out.stdout).unwrap();
    let mut sides: Vec<(Vec<u32>, Vec<u32>)> = Vec::new();
    let mut width = 0.0f32;
    for line in html.lines() {
        let line = line.trim();
        if line.starts_with("<page ") {
            width = attribute(line, "width");
            sides.push((Vec::new(), Vec::new()));
        } else if line.starts_with("<word ") {
            let word = &line[line.find('>').unwrap() + 1..line.rfind("</word>").unwrap()];
            let Some(n) = word.strip_prefix("page-") else {
                continue;
            };
            let n: u32 = n.parse().expect("a page number");
            let side = sides.last_mut().expect("a word on a page");
            if attribute(line, "xMax") <= width / 2.0 {
                side.0.push(n);
            } else if attribute(line, "xMin") >= width / 2.0 {
                side.1.push(n);
            } else {
                panic!("page-{n} straddles the fold: {line}");
            }
        }
    }
    Some(sides)
}

fn attribute(tag: &str, name: &str) -> f32 {
    let key = format!(" {name}=\"");
    let start = tag.find(&key).unwrap_or_else(|| panic!("{name} in {tag}")) + key.len();
    let end = start + tag[start..].find('"').unwrap();
    tag[start..end].parse().unwrap()
}

/// The printer's order, written out from the convention (sheet k from the outside, 1-based
/// pages): front n − 2k | 2k + 1, back 2k + 2 | n − 2k − 1.
fn expected(n: u32) -> Vec<(u32, u32)> {
    (0..n / 4)
        .flat_map(|k| [(n - 2 * k, 2 * k + 1), (2 * k + 2, n - 2 * k - 1)])
        .collect()
}

fn qpdf_check(pdf: &Path) {
    let Some(qpdf) = common::tool("qpdf") else {
        return;
    };
    let out = Command::new(qpdf)
        .args(["--check", pdf.to_str().unwrap()])
        .output()
        .expect("qpdf runs");
    assert!(
        out.status.success(),
        "qpdf --check {}:\n{}{}",
        pdf.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Imposes `pages` numbered pages and returns the numbers read back, one (left, right)
/// pair per sheet side (0 for a blank half).
fn read_back(pages: u32) -> Option<Vec<(u32, u32)>> {
    let dir = common::temp_dir();
    let path = dir.path().join(format!("{pages}-imposed.pdf"));
    std::fs::write(&path, imposed_pdf(&numbered(pages))).unwrap();
    qpdf_check(&path);
    let sides = placed(&path)?;
    Some(
        sides
            .into_iter()
            .map(|(l, r)| {
                assert!(l.len() <= 1 && r.len() <= 1, "{l:?} | {r:?}");
                (
                    l.first().copied().unwrap_or(0),
                    r.first().copied().unwrap_or(0),
                )
            })
            .collect(),
    )
}

#[test]
fn eight_pages_read_back_in_saddle_order() {
    let Some(sides) = read_back(8) else { return };
    assert_eq!(sides, vec![(8, 1), (2, 7), (6, 3), (4, 5)]);
    assert_eq!(sides, expected(8));
}

#[test]
fn twelve_pages_read_back_in_saddle_order() {
    let Some(sides) = read_back(12) else { return };
    assert_eq!(
        sides,
        vec![(12, 1), (2, 11), (10, 3), (4, 9), (8, 5), (6, 7)]
    );
}

#[test]
fn sixteen_pages_read_back_in_saddle_order() {
    let Some(sides) = read_back(16) else { return };
    assert_eq!(sides, expected(16));
    assert_eq!(
        sides[7],
        (8, 9),
        "the centre spread is the innermost sheet's back"
    );
}

#[test]
fn thirteen_pages_get_three_blanks_before_the_back_cover() {
    let Some(sides) = read_back(13) else { return };
    // Padded to 16: pages 13, 14 and 15 are blank and the back cover (13) is page 16.
    let shown = |n: u32| match n {
        13..=15 => 0,
        16 => 13,
        n => n,
    };
    let want: Vec<(u32, u32)> = expected(16)
        .into_iter()
        .map(|(l, r)| (shown(l), shown(r)))
        .collect();
    assert_eq!(sides, want);
}

/// The words of `pdftotext` output, sorted: what a page shows, whatever the line order.
fn words(text: &[u8]) -> Vec<String> {
    let mut w: Vec<String> = String::from_utf8_lossy(text)
        .split_whitespace()
        .map(str::to_string)
        .collect();
    w.sort();
    w
}

fn pdftotext(args: &[&str]) -> Vec<u8> {
    let out = Command::new("pdftotext")
        .args(args)
        .output()
        .expect("pdftotext runs");
    assert!(out.status.success(), "pdftotext {args:?}");
    out.stdout
}

#[test]
fn build_impose_saddle_places_the_print_pages_on_the_sheets() {
    let dir = common::temp_dir();
    let run = |out: &Path| {
        let result = common::quire(&[
            "build",
            "tests/cases/base",
            "--out",
            out.to_str().unwrap(),
            "--print",
            "--impose",
            "saddle",
            // The base edition's images are thumbnails: a proof.
            "--allow-preflight-errors",
        ]);
        assert!(
            result.status.success(),
            "{}",
            String::from_utf8_lossy(&result.stderr)
        );
    };
    let (first, second) = (dir.path().join("a"), dir.path().join("b"));
    run(&first);
    run(&second);
    let imposed = first.join("base-imposed.pdf");
    let print = first.join("base-print.pdf");
    assert!(
        first.join("base.pdf").is_file(),
        "the archive PDF is still built"
    );
    assert!(
        std::fs::read(&imposed).unwrap() == std::fs::read(second.join("base-imposed.pdf")).unwrap(),
        "two builds of the imposed PDF differ"
    );
    qpdf_check(&imposed);
    if common::tool("pdftotext").is_none() || common::tool("pdfinfo").is_none() {
        return;
    }

    // The base edition has 3 pages; like the print PDF's, the imposed pages are padded to
    // 4: one sheet, front 4 | 1, back 2 | 3.
    let pages = |pdf: &Path| {
        let info = Command::new("pdfinfo").arg(pdf).output().unwrap().stdout;
        String::from_utf8(info)
            .unwrap()
            .lines()
            .find_map(|l| {
                l.strip_prefix("Pages:")
                    .map(|n| n.trim().parse::<u32>().unwrap())
            })
            .unwrap()
    };
    assert_eq!(pages(&print), 4);
    assert_eq!(pages(&imposed), 2);

    let (trim_w, trim_h) = A4;
    let bleed = 3.0 * quire::model::PT_PER_MM;
    let print_margin = quire::pdf::print::Sheet::new(trim_w, trim_h, bleed).margin();
    let imposed_margin = ImposeSetup { creep: 0.0, bleed }.margin();
    // The words inside a trim-sized box at (x, y) on page `page` of `pdf` (marks, slug
    // line and sheet label left out).
    let words_in = |pdf: &Path, page: u32, x: f32, y: f32| {
        let page = page.to_string();
        let at = |v: f32| format!("{}", v.round() as i64);
        words(&pdftotext(&[
            "-f",
            &page,
            "-l",
            &page,
            "-r",
            "72",
            "-x",
            &at(x),
            "-y",
            &at(y),
            "-W",
            &at(trim_w),
            "-H",
            &at(trim_h),
            pdf.to_str().unwrap(),
            "-",
        ]))
    };
    let print_page = |p: u32| words_in(&print, p, print_margin, print_margin);
    for (side, (left, right)) in expected(4).into_iter().enumerate() {
        let side = side as u32 + 1;
        let placed_left = words_in(&imposed, side, imposed_margin, imposed_margin);
        let placed_right = words_in(&imposed, side, imposed_margin + trim_w, imposed_margin);
        assert_eq!(
            placed_left,
            print_page(left),
            "side {side}, left: page {left}"
        );
        assert_eq!(
            placed_right,
            print_page(right),
            "side {side}, right: page {right}"
        );
    }
    assert!(!print_page(1).is_empty() && !print_page(2).is_empty() && !print_page(4).is_empty());
    assert!(print_page(3).is_empty(), "the padding page is blank");

    // The sheet label, outside the trim.
    let label = String::from_utf8(pdftotext(&[
        "-f",
        "1",
        "-l",
        "1",
        imposed.to_str().unwrap(),
        "-",
    ]))
    .unwrap();
    assert!(label.contains("sheet 1 of 1, front"), "{label}");
}
