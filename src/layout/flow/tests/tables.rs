//! Tables in the flow, with the fixed-width fake setter: figures flush right.

use super::fake::{Fake, article, edition, prose};
use crate::layout::flow::{Geometry, layout_with};
use crate::layout::frame::{Document, Item, TextRun};
use crate::model::ArticleStart;

/// An article with a table of `rows` rows between paragraphs of prose.
fn ledger(rows: usize) -> crate::model::Edition {
    let mut md = format!(
        "---\ntitle: The Ledger\nauthors: [Ann Writer]\n---\n\n{}\n\n{}\n\n\
         | Ward | Households | Change |\n|---|---|---|\n",
        prose(11, 120),
        prose(12, 90),
    );
    for r in 1..=rows {
        md.push_str(&format!(
            "| Row {r} | {},{:03} | {}.{} % |\n",
            r * 7 % 90 + 1,
            r * 37 % 1000,
            r % 9,
            r % 7
        ));
    }
    md.push_str(&format!("\n{}\n\n{}\n", prose(13, 140), prose(14, 200)));
    edition(vec![article("ledger", &md)], ArticleStart::NewPage)
}

/// Text runs with the page they are on and the column they are in.
fn runs<'d>(doc: &'d Document, geo: &Geometry) -> Vec<(usize, usize, &'d TextRun)> {
    let mut out = Vec::new();
    for (p, page) in doc.pages.iter().enumerate().skip(2) {
        for item in &page.items {
            if let Item::Text(r) = item {
                if r.y < geo.top || r.y > geo.top + geo.lines as f32 * geo.lead {
                    continue; // running heads and folios
                }
                let k = ((r.x - geo.left) / (geo.col_w + geo.gutter)).floor() as usize;
                out.push((p, k.min(geo.columns - 1), r));
            }
        }
    }
    out
}

#[test]
fn figures_in_a_table_are_flush_right() {
    let ed = ledger(12);
    let mut fake = Fake::new(&ed.style);
    let geo = Geometry::new(&ed.style, &fake);
    let doc = layout_with(&ed, &mut fake);
    let runs = runs(&doc, &geo);
    let right = |r: &TextRun| r.x + r.glyphs.iter().map(|g| g.x_advance).sum::<f32>();
    // The households: "8,037" and "15,074" end at the same x, and so does the head.
    let ends: Vec<f32> = runs
        .iter()
        .filter(|(_, _, r)| r.text.contains(',') || r.text == "Households")
        .map(|(_, _, r)| right(r))
        .collect();
    assert_eq!(ends.len(), 13, "{ends:?}");
    assert!(ends.iter().all(|e| (e - ends[0]).abs() < 0.01), "{ends:?}");
    // The names are flush left.
    let starts: Vec<f32> = runs
        .iter()
        .filter(|(_, _, r)| r.text.starts_with("Row ") || r.text == "Ward")
        .map(|(_, _, r)| r.x)
        .collect();
    assert!(
        starts.iter().all(|s| (s - starts[0]).abs() < 0.01),
        "{starts:?}"
    );
}
