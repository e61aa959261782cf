//! Tables in the flow, with the fixed-width fake setter: a long table split over columns
//! repeats its header at the top of each column it continues in, keeps what follows on
//! the baseline grid, and sets its figures flush right.

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
    for (p, page) in doc.pages.iter().enumerate().skip(1) {
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
fn a_split_table_repeats_its_header_at_the_top_of_each_column() {
    let ed = ledger(90);
    let mut fake = Fake::new(&ed.style);
    let geo = Geometry::new(&ed.style, &fake);
    let doc = layout_with(&ed, &mut fake);
    let runs = runs(&doc, &geo);
    let bottom = geo.top + geo.lines as f32 * geo.lead;
    // Every row once, in reading order.
    let rows: Vec<(usize, usize, f32, usize)> = runs
        .iter()
        .filter_map(|(p, k, r)| {
            let n = r.text.strip_prefix("Row ")?.parse().ok()?;
            Some((*p, *k, r.y, n))
        })
        .collect();
    let numbers: Vec<usize> = rows.iter().map(|r| r.3).collect();
    assert_eq!(numbers, (1..=90).collect::<Vec<_>>());
    // The columns the table runs in, and the header in each.
    let mut columns: Vec<(usize, usize)> = rows.iter().map(|r| (r.0, r.1)).collect();
    columns.dedup();
    assert!(columns.len() >= 3, "the table spans {columns:?}");
    for (i, &(p, k)) in columns.iter().enumerate() {
        let heads: Vec<f32> = runs
            .iter()
            .filter(|(rp, rk, r)| (*rp, *rk) == (p, k) && r.text == "Ward")
            .map(|(_, _, r)| r.y)
            .collect();
        assert_eq!(heads.len(), 1, "page {p} column {k}: one header");
        let first_row = rows.iter().find(|r| (r.0, r.1) == (p, k)).expect("a row").2;
        assert!(
            heads[0] < first_row,
            "page {p} column {k}: header above the rows"
        );
        if i > 0 {
            // A continuation: the header opens the column (level with the first line of
            // the page's other columns), nothing above it.
            let page_top = runs
                .iter()
                .filter(|(rp, _, r)| *rp == p && (r.size - geo.body_size).abs() < 0.01)
                .map(|(_, _, r)| r.y)
                .fold(f32::MAX, f32::min);
            assert!(
                heads[0] < page_top + 0.5 * geo.lead,
                "page {p} column {k}: at the top"
            );
            assert!(
                runs.iter()
                    .filter(|(rp, rk, _)| (*rp, *rk) == (p, k))
                    .all(|(_, _, r)| r.y >= heads[0]),
                "page {p} column {k}: nothing above the repeated header"
            );
        }
        let last = rows.iter().filter(|r| (r.0, r.1) == (p, k)).map(|r| r.2);
        assert!(
            last.fold(0.0, f32::max) <= bottom,
            "page {p} column {k}: inside the page"
        );
    }
    // The prose after the table, in a column the table continues in, is on the grid
    // (the header drawn above the continued rows keeps it there).
    let (tp, tk) = *columns.last().expect("a column");
    let after: Vec<f32> = runs
        .iter()
        .filter(|(p, k, r)| (*p, *k) == (tp, tk) && (r.size - geo.body_size).abs() < 0.01)
        .map(|(_, _, r)| r.y)
        .collect();
    assert!(
        !after.is_empty(),
        "prose follows the table in its last column"
    );
    for (p, _, r) in runs
        .iter()
        .filter(|(_, _, r)| (r.size - geo.body_size).abs() < 0.01)
    {
        let slot = (r.y - geo.top - geo.base) / geo.lead;
        assert!(
            (slot - slot.round()).abs() < 0.01,
            "page {p}: {:?} off the grid",
            r.text
        );
    }
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
