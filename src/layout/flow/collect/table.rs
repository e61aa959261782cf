//! Tables: column widths from the cells' natural widths, a bold header row and rules;
//! rows stay whole.

use crate::layout::flow::{line_items, shift};
use crate::layout::frame::Item;
use crate::layout::inline::{Align, Request, Role};
use crate::model::{Alignment, Table};

use super::{Builder, Setter, baseline_in};

impl<S: Setter> Builder<'_, S> {
    /// A simple grid: column widths from the cells' natural widths, a bold header row,
    /// rules above, below the header and at the end. Rows stay whole; a table taller than
    /// a column may break between rows.
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
        // Natural widths: each cell set on one very long line.
        let mut natural = vec![0.0f32; ncols];
        let rows_with_roles = std::iter::once((&table.header, Role::TableHeader))
            .chain(table.rows.iter().map(|r| (r, Role::TableCell)));
        for (row, role) in rows_with_roles.clone() {
            for (c, cell) in row.iter().enumerate() {
                let lines = self.ctx.set(&Request::new(cell, role, self.lang, 10_000.0));
                let w = lines.iter().map(|l| l.width).fold(0.0, f32::max);
                natural[c] = natural[c].max(w);
            }
        }
        let widths = column_widths(&natural, avail);
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
        for (r, (row, role)) in rows_with_roles.enumerate() {
            if r == 0 && row.is_empty() {
                continue;
            }
            let (size, lead) = self.ctx.size_and_leading(role);
            let mut items = Vec::new();
            let mut n_max = 1;
            for (c, cell) in row.iter().enumerate() {
                let align = match table.alignments.get(c) {
                    Some(Alignment::Center) => Align::Center,
                    Some(Alignment::Right) => Align::Right,
                    _ => Align::Left,
                };
                let lines = self
                    .ctx
                    .set(&Request::new(cell, role, self.lang, widths[c]).align(align));
                n_max = n_max.max(lines.len());
                for (i, line) in lines.into_iter().enumerate() {
                    line_items(
                        line,
                        xs[c],
                        pad + baseline_in(size, lead) + i as f32 * lead,
                        &mut items,
                    );
                }
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
        } else {
            // Row by row; padding after the last row brings what follows back on the grid.
            let n = rows.len();
            let mut used = 0u32;
            for (i, (h, row)) in rows.into_iter().enumerate() {
                let hs = self.geo.sub(h);
                used += hs;
                let ok = i == 0 || (i >= 2 && n - i >= 2);
                self.push(hs, row, ok);
            }
            let pad = self.geo.grid_round_sub(used) - used;
            if pad > 0 {
                self.push(pad, Vec::new(), false);
            }
        }
    }
}

/// Column widths for a table: natural widths when they fit (the slack shared out
/// evenly), otherwise proportional to the natural widths with a floor so that no column
/// gets too narrow to hold a word.
pub(super) fn column_widths(natural: &[f32], avail: f32) -> Vec<f32> {
    let n = natural.len().max(1) as f32;
    let sum: f32 = natural.iter().sum();
    if sum <= avail {
        let extra = (avail - sum) / n;
        return natural.iter().map(|w| w + extra).collect();
    }
    let floor = 0.4 * avail / n;
    let weights: Vec<f32> = natural.iter().map(|w| w.max(floor)).collect();
    let total: f32 = weights.iter().sum();
    weights.iter().map(|w| avail * w / total).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_widths_kept_when_they_fit() {
        let w = column_widths(&[20.0, 40.0], 100.0);
        assert_eq!(w, vec![40.0, 60.0]);
    }

    #[test]
    fn wide_tables_shrink_proportionally_with_a_floor() {
        let w = column_widths(&[10.0, 300.0], 100.0);
        assert!((w.iter().sum::<f32>() - 100.0).abs() < 1e-3);
        // The short column keeps at least its floor share (0.4 * 100 / 2 = 20 weight).
        assert!(w[0] > 6.0, "{w:?}");
        assert!(w[1] > w[0]);
    }
}
