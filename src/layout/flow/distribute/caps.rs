//! Columns of different heights on one page: a figure across some of the columns
//! shortens them, so each column gets a cap (or a top offset) of its own.

use std::ops::Range;

use super::Stream;

impl Stream {
    /// Fills columns of heights `caps` in turn from `start`, each as [`Stream::fill`]
    /// does; `force` applies to the full-height columns only (those at the largest cap),
    /// since a shortened column may leave its content to the next.
    pub(crate) fn fill_caps(&self, start: usize, caps: &[u64], force: bool) -> Vec<Range<usize>> {
        let tallest = caps.iter().copied().max().unwrap_or(0);
        let mut pos = self.skip_space(start);
        caps.iter()
            .map(|&cap| {
                let r = self.fill(pos, cap, force && cap == tallest);
                pos = self.skip_space(r.end);
                r
            })
            .collect()
    }

    /// Whether everything from `start` fits in columns of heights `caps`.
    pub(crate) fn fits_caps(&self, start: usize, caps: &[u64]) -> bool {
        let cols = self.fill_caps(start, caps, false);
        let end = cols.last().map_or(self.skip_space(start), |c| c.end);
        self.skip_space(end) == self.len()
    }

    /// Sets everything from `start` into a block at most `cap` high whose column `k`
    /// starts `tops[k]` below the block's top (a figure above it), with the column
    /// bottoms (`tops[k]` plus the column's height) as even as the break rules allow and
    /// the later columns the taller. Returns `None` when it does not fit. Like
    /// [`Stream::balance`]: the smallest feasible block height and up to two lines more
    /// are tried; `line` is the height of a grid line. A column wholly under its top
    /// offset stays empty.
    pub(crate) fn balance_tops(
        &self,
        start: usize,
        tops: &[u64],
        cap: u64,
        line: u64,
    ) -> Option<Vec<Range<usize>>> {
        let n = tops.len().max(1);
        let s0 = self.skip_space(start);
        if s0 == self.len() {
            return Some(vec![s0..s0; n]);
        }
        let caps = |h: u64| -> Vec<u64> { tops.iter().map(|&t| h.saturating_sub(t)).collect() };
        if !self.fits_caps(s0, &caps(cap)) {
            return None;
        }
        let (mut lo, mut hi) = (0u64, cap);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.fits_caps(s0, &caps(mid)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        let h_min = hi;
        let step = (line / 8).max(1);
        let bounds = |floor: u64, h: u64| -> Vec<(u64, u64)> {
            tops.iter()
                .map(|&t| match h.checked_sub(t) {
                    Some(room) if room > 0 => (floor.saturating_sub(t), room),
                    _ => (0, 0),
                })
                .collect()
        };
        let mut best: Option<(u64, Vec<Range<usize>>)> = None;
        for extra in 0..=2u64 {
            let h = h_min + extra * line;
            if h > cap || best.as_ref().is_some_and(|b| b.0 <= line) {
                break;
            }
            // The highest floor for the column bottoms that still allows a split.
            let Some(mut ends) = self.split_bounds(s0, &bounds(1, h)) else {
                continue;
            };
            let (mut lo, mut hi) = (1u64, h / step);
            while lo <= hi {
                let mid = lo + (hi - lo) / 2;
                match self.split_bounds(s0, &bounds(mid * step, h)) {
                    Some(e) => {
                        ends = e;
                        lo = mid + 1;
                    }
                    None => hi = mid - 1,
                }
            }
            let cols = self.ranges(s0, &ends);
            let bottoms = cols
                .iter()
                .zip(tops)
                .map(|(c, &t)| t + self.height(c.clone()));
            let spread = bottoms.clone().max().unwrap_or(0) - bottoms.min().unwrap_or(0);
            if best.as_ref().is_none_or(|b| spread < b.0) {
                best = Some((spread, cols));
            }
        }
        // Too little text for every column: fill them in turn at the smallest height.
        Some(best.map_or_else(|| self.fill_caps(s0, &caps(h_min), false), |b| b.1))
    }

    /// A split of everything from `s0` into columns whose heights lie in `bounds[k]`
    /// (`(0, _)` lets a column stay empty), each ending at an allowed break, the later
    /// columns as tall as possible; returns where each column ends.
    fn split_bounds(&self, s0: usize, bounds: &[(u64, u64)]) -> Option<Vec<usize>> {
        let end = self.len();
        let p = end - s0 + 1;
        let m = bounds.len();
        // reach[k][i]: columns 0..k can end at position s0 + i.
        let mut reach = vec![vec![false; p]; m + 1];
        reach[0][0] = true;
        for (k, &(lo, hi)) in bounds.iter().enumerate() {
            for i in 0..p {
                if !reach[k][i] {
                    continue;
                }
                if lo == 0 {
                    reach[k + 1][i] = true;
                }
                let st = self.skip_space(s0 + i);
                for e in st + 1..=end {
                    let h = self.height(st..e);
                    if h > hi {
                        break;
                    }
                    if h >= lo && self.can_end(e) {
                        reach[k + 1][e - s0] = true;
                    }
                }
            }
        }
        if !reach[m][p - 1] {
            return None;
        }
        // Walk back from the end, giving each column the earliest feasible start.
        let mut ends = vec![end; m];
        let mut e = end;
        for k in (0..m).rev() {
            ends[k] = e;
            let (lo, hi) = bounds[k];
            let start = (0..p).find(|&i| {
                if !reach[k][i] {
                    return false;
                }
                if s0 + i == e {
                    return lo == 0;
                }
                let st = self.skip_space(s0 + i);
                st < e && (lo..=hi).contains(&self.height(st..e))
            })?;
            e = s0 + start;
        }
        Some(ends)
    }
}

#[cfg(test)]
mod tests {
    use super::super::Unit;
    use super::*;

    /// A paragraph of `k` one-high lines under the two-line widow and orphan rule.
    fn para(k: usize) -> Vec<Unit> {
        (0..k)
            .map(|i| Unit::content(1, i == 0 || (i >= 2 && k - i >= 2)))
            .collect()
    }

    fn heights(s: &Stream, cols: &[Range<usize>]) -> Vec<u64> {
        cols.iter().map(|r| s.height(r.clone())).collect()
    }

    /// Columns follow one another, end at allowed breaks and hold everything.
    fn assert_legal(s: &Stream, start: usize, cols: &[Range<usize>]) {
        let mut pos = s.skip_space(start);
        for c in cols.iter().filter(|c| !c.is_empty()) {
            assert_eq!(c.start, pos, "columns must tile the content");
            assert!(s.can_end(c.end), "forbidden break at {}", c.end);
            pos = s.skip_space(c.end);
        }
        assert_eq!(pos, s.len(), "everything placed");
    }

    #[test]
    fn each_column_is_filled_to_its_own_cap() {
        let s = Stream::new([para(12), para(12)].concat());
        let cols = s.fill_caps(0, &[3, 3, 8], true);
        assert_eq!(heights(&s, &cols), vec![3, 3, 8]);
        // The widow rule still holds in a short column: 4 would leave one line.
        let s = Stream::new(para(5));
        assert_eq!(heights(&s, &s.fill_caps(0, &[4, 8], false)), vec![3, 2]);
        assert!(s.fits_caps(0, &[3, 2]));
        assert!(!s.fits_caps(0, &[2, 2]));
    }

    #[test]
    fn force_cuts_only_full_height_columns() {
        // A 5-high block: it cannot go in the 3-high column, and waits for the full one.
        let s = Stream::new(vec![Unit::content(5, true), Unit::content(1, true)]);
        let cols = s.fill_caps(0, &[3, 4], true);
        assert_eq!(cols, vec![0..0, 0..1]);
    }

    #[test]
    fn bottoms_are_even_under_a_figure() {
        // 14 lines, a figure 4 high over the first two of three columns: bottoms 6, 6, 6
        // (2 + 2 + 6 lines under and beside it).
        let s = Stream::new([para(7), para(7)].concat());
        let tops = [4, 4, 0];
        let cols = s.balance_tops(0, &tops, 40, 1).unwrap();
        assert_legal(&s, 0, &cols);
        let h = heights(&s, &cols);
        let bottoms: Vec<u64> = h.iter().zip(tops).map(|(h, t)| h + t).collect();
        assert!(
            bottoms.iter().max().unwrap() - bottoms.iter().min().unwrap() <= 1,
            "{h:?}"
        );
        // Without a figure it is the plain balance.
        let flat = s.balance_tops(0, &[0, 0, 0], 40, 1).unwrap();
        assert_eq!(
            heights(&s, &flat),
            heights(&s, &s.balance(0, 3, 40, 1).unwrap())
        );
    }

    #[test]
    fn a_column_under_a_tall_figure_stays_empty() {
        // The figure fills the first column's height: all text goes to the second.
        let s = Stream::new(para(6));
        let cols = s.balance_tops(0, &[10, 0], 10, 1).unwrap();
        assert_legal(&s, 0, &cols);
        assert_eq!(heights(&s, &cols), vec![0, 6]);
        // And nothing fits when the text is taller than the free column.
        assert!(s.balance_tops(0, &[10, 0], 5, 1).is_none());
    }

    #[test]
    fn too_little_text_fills_the_columns_in_turn() {
        let s = Stream::new(para(3));
        let cols = s.balance_tops(0, &[2, 2, 0], 20, 1).unwrap();
        assert_legal(&s, 0, &cols);
        assert_eq!(heights(&s, &cols).iter().sum::<u64>(), 3);
    }
}
