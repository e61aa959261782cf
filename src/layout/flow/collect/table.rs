//! Tables: column widths from the cells' content, so that no word is broken when the
//! measure allows; figures flush right in lining tabular figures (the table roles ask
//! for them); a bold header row, repeated at the top of every column a long table
//! continues in; rules above, below the header and under each row.

use crate::layout::flow::{SUB, line_items, shift};
use crate::layout::frame::{Item, NodeKind, tag_items};
use crate::layout::inline::{Align, Request, Role, WordBreaks};
use crate::model::{Alignment, Inline, Table};

use super::{Builder, Setter, baseline_in};

/// A cell of fewer words is short (a name, a figure): it is never hyphenated, and its
/// column is widened to hold it on one line before cells of running text are.
const LONG_CELL_WORDS: usize = 3;

/// Cells are set this much wider than their column (points): a cell measured on one
/// line must fit a column of exactly that width despite rounding.
const FIT: f32 = 0.01;

/// A cell measured: its widest unbreakable run and its width on one line.
#[derive(Clone, Copy, Default)]
struct Measure {
    narrow: f32,
    wide: f32,
}

impl<S: Setter> Builder<'_, S> {
    /// A grid sized by its content ([`column_widths`]), a bold header row, numbers flush
    /// right, rules above, below the header and under every row. A table shorter than
    /// most of a column is kept whole; a longer one may break between rows (two rows at
    /// least on each side), and each column it continues in starts with its header.
    pub(super) fn table(&mut self, table: &Table, x: f32, width: f32) {
        let ncols = table
            .rows
            .iter()
            .map(Vec::len)
            .chain(std::iter::once(table.header.len()))
            .max()
            .unwrap_or(0);
        if ncols == 0 {
            return;
        }
        let gap = 0.6 * self.geo.body_size;
        let avail = (width - gap * (ncols - 1) as f32).max(ncols as f32);
        let rows_with_roles: Vec<(&Vec<Vec<Inline>>, Role)> =
            std::iter::once((&table.header, Role::TableHeader))
                .chain(table.rows.iter().map(|r| (r, Role::TableCell)))
                .collect();
        // Four widths a column, each reached before the next: its longest word; its
        // short body cells (names, figures) on one line; all its body cells on one line
        // (column heads may stack meanwhile); everything on one line.
        let mut measures: Vec<Vec<Measure>> = Vec::with_capacity(rows_with_roles.len());
        let mut tiers = [(); 4].map(|_| vec![0.0f32; ncols]);
        for (r, (row, role)) in rows_with_roles.iter().enumerate() {
            let row_measures: Vec<Measure> =
                row.iter().map(|cell| self.measure(cell, *role)).collect();
            for (c, (m, cell)) in row_measures.iter().zip(row.iter()).enumerate() {
                let short = words_in(cell) < LONG_CELL_WORDS;
                let body = r > 0;
                let wants = [
                    m.narrow,
                    if body && short { m.wide } else { m.narrow },
                    if body { m.wide } else { m.narrow },
                    m.wide,
                ];
                for (tier, w) in tiers.iter_mut().zip(wants) {
                    tier[c] = tier[c].max(w);
                }
            }
            measures.push(row_measures);
        }
        let fits = tiers[0].iter().sum::<f32>() <= avail;
        let widths = column_widths(&tiers.each_ref().map(Vec::as_slice), avail);
        let aligns: Vec<Align> = (0..ncols)
            .map(|c| match table.alignments.get(c) {
                Some(Alignment::Center) => Align::Center,
                Some(Alignment::Right) => Align::Right,
                Some(Alignment::Left) => Align::Left,
                _ if numeric_column(table.rows.iter().map(|r| r.get(c))) => Align::Right,
                _ => Align::Left,
            })
            .collect();
        let mut xs = Vec::with_capacity(ncols);
        let mut cx = x;
        for w in &widths {
            xs.push(cx);
            cx += w + gap;
        }
        let pad = 2.5;
        let muted = self.geo.muted;
        let text = self.geo.text;
        let mut rows: Vec<(f32, Vec<Item>)> = Vec::new();
        let mut has_header = false;
        for (r, (row, role)) in rows_with_roles.iter().enumerate() {
            if r == 0 && row.is_empty() {
                continue;
            }
            has_header |= r == 0;
            let (size, lead) = self.ctx.size_and_leading(*role);
            let mut items = Vec::new();
            let mut n_max = 1;
            let tr = self.nodes.add(NodeKind::Row, self.parent);
            for (c, cell) in row.iter().enumerate() {
                let cell_kind = if r == 0 {
                    NodeKind::HeaderCell
                } else {
                    NodeKind::Cell
                };
                let cell_node = self.nodes.add(cell_kind, Some(tr));
                let start = items.len();
                // Words break only where the columns cannot hold them, and then only in
                // cells of running text: a name or a number is never hyphenated.
                let m = measures[r][c];
                let long = words_in(cell) >= LONG_CELL_WORDS && m.wide > widths[c];
                let words = if !fits && long {
                    WordBreaks::Hyphenate
                } else {
                    WordBreaks::Overlong
                };
                let lines = self.ctx.set(
                    &Request::new(cell, *role, self.lang, widths[c] + FIT)
                        .align(aligns[c])
                        .words(words),
                );
                n_max = n_max.max(lines.len());
                for (i, line) in lines.into_iter().enumerate() {
                    line_items(
                        line,
                        xs[c],
                        pad + baseline_in(size, lead) + i as f32 * lead,
                        &mut items,
                    );
                }
                tag_items(&mut items[start..], cell_node);
            }
            let h = pad + n_max as f32 * lead + pad;
            let (thick, colour) = if r == 0 { (0.5, text) } else { (0.25, muted) };
            items.push(self.geo.rule(x, h - thick, width, thick, colour));
            rows.push((h, items));
        }
        // A heavier rule over the table.
        if let Some(first) = rows.first_mut() {
            first.1.push(self.geo.rule(x, 0.0, width, 0.8, text));
        }
        let total: f32 = rows.iter().map(|r| r.0).sum();
        let column = self.geo.lines as f32 * self.geo.lead;
        if total <= column * 0.9 {
            // Kept whole: one atomic unit.
            let mut items = Vec::new();
            let mut y = 0.0;
            for (h, row) in rows {
                items.extend(row.into_iter().map(|i| shift(i, 0.0, y)));
                y += h;
            }
            let height = self.geo.grid_round(total);
            self.push(height, items, true);
            return;
        }
        // Row by row; padding after the last row brings what follows back on the grid.
        let heights: Vec<u32> = rows.iter().map(|(h, _)| self.geo.sub(*h)).collect();
        let header = has_header.then(|| rows[0].1.clone());
        let n = rows.len();
        let mut used = 0u32;
        for (i, (_, mut row)) in rows.into_iter().enumerate() {
            let ok = i == 0 || (i >= 2 && n - i >= 2);
            // A column that starts with this row starts with the header; see `header_lead`.
            let lead = match &header {
                Some(header) if i > 0 => {
                    let lead = header_lead(heights[0], used);
                    let up = -self.geo.pt(lead);
                    // The repeat is page furniture: the header's text is read once.
                    row.extend(
                        header
                            .iter()
                            .cloned()
                            .map(|item| untag(shift(item, 0.0, up))),
                    );
                    lead
                }
                _ => 0,
            };
            let first = self.pieces.len();
            self.push_tall(heights[i], row, ok);
            if let Some(piece) = self.pieces.get_mut(first) {
                piece.unit.lead = lead;
            }
            // A row cut into slices has grid-rounded slices.
            used += self.pieces[first..]
                .iter()
                .map(|p| p.unit.height)
                .sum::<u32>();
        }
        let pad = self.geo.grid_round_sub(used) - used;
        if pad > 0 {
            self.push(pad, Vec::new(), false);
        }
    }

    /// A cell's widest unbreakable run (set at a tiny measure with words kept whole)
    /// and its width on one line.
    fn measure(&mut self, cell: &[Inline], role: Role) -> Measure {
        let widest = |lines: Vec<crate::layout::inline::Line>| {
            lines.iter().map(|l| l.width).fold(0.0, f32::max)
        };
        let narrow = widest(
            self.ctx
                .set(&Request::new(cell, role, self.lang, 1.0).words(WordBreaks::Never)),
        );
        let wide = widest(self.ctx.set(&Request::new(cell, role, self.lang, 10_000.0)));
        Measure {
            narrow,
            wide: wide.max(narrow),
        }
    }
}

/// The item without its structure node (an artifact).
fn untag(mut item: Item) -> Item {
    match &mut item {
        Item::Text(run) => run.node = None,
        Item::Image { node, .. } | Item::Link { node, .. } => *node = None,
        Item::Rect { .. } | Item::Clip { .. } | Item::EndClip => {}
    }
    item
}

/// The height drawn above a continued table's row when a column starts with it: the
/// header (`header` high), and below it whatever keeps the rest on the baseline grid.
/// The rows before it (`above` high, the header included) started on the grid, and the
/// padding after the table is reckoned from them, so the lead is the header plus the
/// part of a grid line by which the rows between header and this row (`above - header`)
/// left the grid.
fn header_lead(header: u32, above: u32) -> u32 {
    header + (above - header.min(above)) % SUB
}

/// Words in a cell (runs between spaces).
fn words_in(cell: &[Inline]) -> usize {
    Inline::plain_text(cell).split_whitespace().count()
}

/// Whether a column holds figures: every body cell is a number ([`is_number`]), or
/// empty, or a dash standing for no value, and one at least is a number.
fn numeric_column<'a>(cells: impl Iterator<Item = Option<&'a Vec<Inline>>>) -> bool {
    let mut numbers = 0;
    for cell in cells {
        let text = cell.map(|c| Inline::plain_text(c)).unwrap_or_default();
        let text = text.trim();
        if is_number(text) {
            numbers += 1;
        } else if !matches!(text, "" | "-" | "\u{2013}" | "\u{2014}") {
            return false;
        }
    }
    numbers > 0
}

/// Whether `text` is a number as tables print them: digits with thousands separators
/// (comma, point, apostrophe, thin or no-break space) and a decimal point or comma, a
/// sign (plus, minus, hyphen, en dash, ±) and a currency or percent sign on either side.
pub(super) fn is_number(text: &str) -> bool {
    const SIGNS: [char; 5] = ['+', '-', '\u{2212}', '\u{2013}', '\u{b1}'];
    const UNITS: [char; 8] = [
        '%', '\u{2030}', '$', '\u{20ac}', '\u{a3}', '\u{a5}', '\u{a2}', '\u{20b9}',
    ];
    const SEPARATORS: [char; 7] = [',', '.', '\'', ' ', '\u{2009}', '\u{202f}', '\u{a0}'];
    let spaces = |c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{202f}';
    let mut t = text.trim_matches(spaces);
    // Sign and currency in either order ("-$5", "$-5"), then units after the digits.
    for _ in 0..2 {
        t = t.trim_start_matches(SIGNS).trim_start_matches(spaces);
        t = t.trim_start_matches(UNITS).trim_start_matches(spaces);
    }
    t = t.trim_end_matches(|c| UNITS.contains(&c) || spaces(c));
    let chars: Vec<char> = t.chars().collect();
    let (Some(first), Some(last)) = (chars.first(), chars.last()) else {
        return false;
    };
    first.is_ascii_digit()
        && last.is_ascii_digit()
        && chars
            .iter()
            .all(|c| c.is_ascii_digit() || SEPARATORS.contains(c))
        && chars
            .windows(2)
            .all(|w| w[0].is_ascii_digit() || w[1].is_ascii_digit())
}

/// Column widths for a table from `tiers` of widths per column, each at least as wide
/// as the one before (for a table: the longest words first, then short cells on one
/// line, and so on). The widest tier that fits whole is kept and the rest of
/// `avail` is shared out towards the next tier, in proportion to what each column
/// still lacks of it (so that all reach it together, as in the CSS table algorithm);
/// past the last tier, in proportion to the widths. When even the first tier does not
/// fit, the widest columns are cut down to a common width and the narrow ones keep
/// theirs ([`squeeze`]).
pub(super) fn column_widths(tiers: &[&[f32]], avail: f32) -> Vec<f32> {
    let Some(first) = tiers.first() else {
        return Vec::new();
    };
    let n = first.len();
    if n == 0 {
        return Vec::new();
    }
    let sum = |t: &[f32]| t.iter().sum::<f32>();
    if sum(first) > avail {
        return squeeze(first, avail);
    }
    let k = tiers
        .iter()
        .rposition(|t| sum(t) <= avail)
        .unwrap_or_default();
    let lo = tiers[k];
    let rest = avail - sum(lo);
    match tiers.get(k + 1) {
        Some(hi) => {
            let lack: Vec<f32> = lo
                .iter()
                .zip(hi.iter())
                .map(|(l, h)| (h - l).max(0.0))
                .collect();
            let total = sum(&lack);
            lo.iter()
                .zip(&lack)
                .map(|(l, d)| {
                    if total > 0.0 {
                        l + rest * d / total
                    } else {
                        *l
                    }
                })
                .collect()
        }
        None => {
            let total = sum(lo);
            lo.iter()
                .map(|w| {
                    if total > 0.0 {
                        w + rest * w / total
                    } else {
                        rest / n as f32
                    }
                })
                .collect()
        }
    }
}

/// Widths that cannot all be had, cut to fit `avail`: every column wider than a common
/// width `level` is set to it, the narrower ones keep theirs (so a column of short
/// figures is not broken for the sake of a column of long words).
fn squeeze(widths: &[f32], avail: f32) -> Vec<f32> {
    let n = widths.len();
    let mut sorted = widths.to_vec();
    sorted.sort_by(f32::total_cmp);
    // With the `i` narrowest kept, the others share what is left evenly.
    let mut kept = 0.0;
    let mut level = avail / n as f32;
    for (i, w) in sorted.iter().enumerate() {
        let share = (avail - kept) / (n - i) as f32;
        if *w > share {
            level = share;
            break;
        }
        kept += w;
    }
    widths.iter().map(|w| w.min(level)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: &[f32], b: &[f32]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-3)
    }

    #[test]
    fn slack_goes_to_the_columns_that_lack_width_until_they_have_their_natural_width() {
        // Words 30 and 10 wide, whole cells 90 and 10: the number column needs nothing
        // more than its figures, the name column takes all the slack.
        let w = column_widths(&[&[30.0, 10.0], &[90.0, 10.0]], 70.0);
        assert!(close(&w, &[60.0, 10.0]), "{w:?}");
        // Two columns lacking 40 and 20 share 30 as 2 : 1.
        let w = column_widths(&[&[10.0, 10.0], &[50.0, 30.0]], 50.0);
        assert!(close(&w, &[30.0, 20.0]), "{w:?}");
    }

    #[test]
    fn natural_widths_kept_when_they_fit_and_the_rest_shared_by_width() {
        let w = column_widths(&[&[10.0, 20.0], &[20.0, 40.0]], 90.0);
        assert!(close(&w, &[30.0, 60.0]), "{w:?}");
    }

    #[test]
    fn a_middle_tier_is_reached_before_the_last() {
        // Body cells fit on one line (40 + 20 = 60 <= 80), a long header does not
        // (100 + 20): the header column takes the rest, the other keeps its width.
        let w = column_widths(&[&[10.0, 20.0], &[40.0, 20.0], &[100.0, 20.0]], 80.0);
        assert!(close(&w, &[60.0, 20.0]), "{w:?}");
    }

    #[test]
    fn when_words_do_not_fit_the_widest_columns_give_way() {
        // Longest words 100, 12, 12 in 80: the figures keep 12, the words column 56.
        let w = column_widths(&[&[100.0, 12.0, 12.0], &[300.0, 12.0, 12.0]], 80.0);
        assert!(close(&w, &[56.0, 12.0, 12.0]), "{w:?}");
        // Two wide columns share the cut evenly.
        let w = column_widths(&[&[60.0, 50.0, 10.0]], 70.0);
        assert!(close(&w, &[30.0, 30.0, 10.0]), "{w:?}");
        assert!((w.iter().sum::<f32>() - 70.0).abs() < 1e-3);
    }

    #[test]
    fn empty_and_zero_width_tables() {
        assert!(column_widths(&[&[]], 50.0).is_empty());
        let w = column_widths(&[&[0.0, 0.0]], 50.0);
        assert!(close(&w, &[25.0, 25.0]), "{w:?}");
    }

    #[test]
    fn numbers_as_tables_print_them() {
        for yes in [
            "6",
            "41.8",
            "1,800",
            "12 500",
            "1\u{2009}234",
            "-3",
            "\u{2212}3.5",
            "\u{2013}2",
            "+4%",
            "22 %",
            "$1,200",
            "\u{a3}3.50",
            "1.234,56 \u{20ac}",
            "\u{b1}0.2",
            "-$5",
        ] {
            assert!(is_number(yes), "{yes:?} is a number");
        }
        for no in [
            "",
            "%",
            "-",
            "2019\u{2013}25",
            "1,,2",
            "12.",
            ".5",
            "about 6",
            "6 trees",
            "IV",
            "3/4",
            "Harbour Row",
        ] {
            assert!(!is_number(no), "{no:?} is not a number");
        }
    }

    #[test]
    fn a_column_is_numeric_when_all_its_body_cells_are_numbers_or_blank() {
        let cell = |t: &str| vec![Inline::text(t, crate::model::Span::default())];
        let col = |cells: &[&str]| -> bool {
            let cells: Vec<Vec<Inline>> = cells.iter().map(|t| cell(t)).collect();
            numeric_column(cells.iter().map(Some))
        };
        assert!(col(&["6", "1,200", "\u{2014}", ""]));
        assert!(!col(&["6", "Mill End"]));
        assert!(!col(&["", "\u{2014}"]));
    }

    #[test]
    fn the_header_lead_brings_a_continued_table_back_to_the_grid() {
        // A header 1.4 lines high; rows above the continuation 1.4 + 0.9 + 0.9 lines.
        let lead = header_lead(1400, 3200);
        assert_eq!(lead, 1400 + 800);
        // Lead and the rows skipped end on the same fraction of a line.
        assert_eq!(lead % SUB, 3200 % SUB);
        assert_eq!(header_lead(1400, 1400), 1400);
    }
}
