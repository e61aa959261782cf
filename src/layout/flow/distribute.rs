//! Column filling and balancing over abstract units: pure functions on integer heights.
//!
//! Content is a sequence of [`Unit`]s (a line of text, an atomic block such as a figure
//! or a subhead, or a discardable space), each saying whether a column may end before it.
//! The builder derives those flags from the widow, orphan and keep rules, so everything
//! here works on heights and flags only and never sees text.
//!
//! A unit may carry footnotes (their height): a column holds its units and, at its
//! foot, the notes they refer to, under a separator, so a note is always in the column
//! (and on the page) of its reference.

use std::ops::Range;

mod caps;

/// One indivisible piece of column content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unit {
    /// Height in the caller's integer unit (the flow uses 1000 per baseline-grid line).
    pub height: u32,
    /// A column may end just before this unit.
    pub break_before: bool,
    /// Discardable space: dropped when a column ends before it or starts with it.
    pub space: bool,
    /// An atomic block that may move past the text after it (a figure): when it does not
    /// fit the rest of a column, text fills the column and the block opens the next.
    pub float: bool,
    /// Height of the footnotes this unit refers to (set at the column's foot).
    pub note: u32,
    /// Height drawn above this unit when a column starts with it, 0 for most units: a
    /// continued table's repeated header row.
    pub lead: u32,
}

impl Unit {
    pub(crate) fn content(height: u32, break_before: bool) -> Unit {
        Unit {
            height,
            break_before,
            space: false,
            float: false,
            note: 0,
            lead: 0,
        }
    }

    #[cfg(test)]
    pub(crate) fn float(height: u32) -> Unit {
        Unit {
            height,
            break_before: true,
            space: false,
            float: true,
            note: 0,
            lead: 0,
        }
    }

    pub(crate) fn space(height: u32) -> Unit {
        Unit {
            height,
            break_before: true,
            space: true,
            float: false,
            note: 0,
            lead: 0,
        }
    }
}

/// Units with their prefix sums, so any run's height costs O(1).
#[derive(Debug, Clone)]
pub(crate) struct Stream {
    units: Vec<Unit>,
    /// `prefix[i]` = total height of `units[..i]`.
    prefix: Vec<u64>,
    /// `notes[i]` = total height of the footnotes of `units[..i]`.
    notes: Vec<u64>,
    /// Space between a column's text and its footnotes (the separator rule's band).
    note_sep: u64,
}

impl Stream {
    pub(crate) fn new(units: Vec<Unit>) -> Stream {
        Stream::with_note_sep(units, 0)
    }

    /// A stream whose columns put `note_sep` between their text and their footnotes.
    pub(crate) fn with_note_sep(units: Vec<Unit>, note_sep: u64) -> Stream {
        let mut s = Stream {
            units,
            prefix: Vec::new(),
            notes: Vec::new(),
            note_sep,
        };
        s.sum_from(0);
        s
    }

    /// Recomputes the prefix sums from unit `from` on.
    fn sum_from(&mut self, from: usize) {
        let n = self.units.len();
        self.prefix.resize(n + 1, 0);
        self.notes.resize(n + 1, 0);
        for i in from..n {
            self.prefix[i + 1] = self.prefix[i] + u64::from(self.units[i].height);
            self.notes[i + 1] = self.notes[i] + u64::from(self.units[i].note);
        }
    }

    /// Replaces the units of `range` by `with`; the sums are recomputed from there on
    /// only (the units before keep theirs).
    pub(crate) fn splice(&mut self, range: Range<usize>, with: impl IntoIterator<Item = Unit>) {
        let from = range.start;
        self.units.splice(range, with);
        self.sum_from(from);
    }

    /// The space between the text and the footnotes of a column.
    pub(crate) fn note_sep(&self) -> u64 {
        self.note_sep
    }

    pub(crate) fn len(&self) -> usize {
        self.units.len()
    }

    pub(crate) fn units(&self) -> &[Unit] {
        &self.units
    }

    /// Height of a column holding `units[range]`: the first unit's lead (a repeated
    /// table header), the units, and their footnotes with the separator when there are
    /// any.
    pub(crate) fn height(&self, range: Range<usize>) -> u64 {
        if range.is_empty() {
            return 0;
        }
        let notes = self.note_height(range.clone());
        self.lead(range.start)
            + self.text_height(range)
            + notes
            + if notes > 0 { self.note_sep } else { 0 }
    }

    /// Height of the units of `range` alone.
    pub(crate) fn text_height(&self, range: Range<usize>) -> u64 {
        self.prefix[range.end] - self.prefix[range.start]
    }

    /// Height of the footnotes the units of `range` refer to.
    pub(crate) fn note_height(&self, range: Range<usize>) -> u64 {
        self.notes[range.end] - self.notes[range.start]
    }

    /// The first `e` in `start..=len` with `height(start..e) >= h` (`len + 1` if none);
    /// `height(start..e)` grows with `e`, so this is a binary search.
    fn first_reaching(&self, start: usize, h: u64) -> usize {
        let (mut lo, mut hi) = (start, self.units.len() + 1);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.height(start..mid) >= h {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        lo
    }

    /// Height of a column holding `range`, the same as [`Stream::height`] (which counts
    /// the first unit's lead).
    pub(crate) fn column(&self, range: Range<usize>) -> u64 {
        self.height(range)
    }

    /// Height a column that starts at `start` spends above its first unit.
    fn lead(&self, start: usize) -> u64 {
        self.units.get(start).map_or(0, |u| u64::from(u.lead))
    }

    /// The first position at or after `pos` that is not a space: a column never starts
    /// with one.
    pub(crate) fn skip_space(&self, mut pos: usize) -> usize {
        while pos < self.units.len() && self.units[pos].space {
            pos += 1;
        }
        pos
    }

    /// Whether a column may end at `pos` (just before unit `pos`). The end of the content
    /// always may; a column never ends on a space that is followed by content (the break
    /// goes before the space instead, which drops it).
    pub(crate) fn can_end(&self, pos: usize) -> bool {
        pos == self.units.len()
            || (pos > 0 && self.units[pos].break_before && !self.units[pos - 1].space)
    }

    /// The largest position `e >= start` with `height(start..e) <= cap`.
    fn reach(&self, start: usize, cap: u64) -> usize {
        self.first_reaching(start, cap + 1) - 1
    }

    /// Fills one column of height `cap` from `start`: the longest run that ends at an
    /// allowed break. When no allowed break fits and `force` is set (a full-height column,
    /// where waiting cannot help), the column is cut at the last unit that fits, or holds
    /// one oversized unit; otherwise the column stays empty.
    /// Returns the column's units; the next column starts at `skip_space(end)`.
    pub(crate) fn fill(&self, start: usize, cap: u64, force: bool) -> Range<usize> {
        let s = self.skip_space(start);
        if s == self.len() {
            return s..s;
        }
        let max = self.reach(s, cap);
        if let Some(e) = (s + 1..=max).rev().find(|&e| self.can_end(e)) {
            return s..e;
        }
        if !force {
            s..s
        } else if max > s {
            s..max
        } else {
            s..s + 1
        }
    }

    /// Whether everything from `start` fits in `n` columns of height `cap` without
    /// breaking a rule (greedy filling reaches furthest, so it decides feasibility).
    pub(crate) fn fits(&self, start: usize, n: usize, cap: u64) -> bool {
        let mut pos = self.skip_space(start);
        for _ in 0..n {
            if pos == self.len() {
                return true;
            }
            pos = self.skip_space(self.fill(pos, cap, false).end);
        }
        pos == self.len()
    }

    /// Sets everything from `start` into `n` columns of height at most `cap`, as evenly
    /// as the break rules allow. Returns `None` when it does not fit.
    ///
    /// The smallest feasible column height `h` is found by bisection; then, for `h` and
    /// up to two lines more, the split into the most non-empty columns with the largest
    /// shortest column wins (ties: the smaller `h`). Among equal splits the later columns
    /// take the extra lines, so the article ends on the bottom line of the block.
    /// `line` is the height of one grid line.
    pub(crate) fn balance(
        &self,
        start: usize,
        n: usize,
        cap: u64,
        line: u64,
    ) -> Option<Vec<Range<usize>>> {
        let s0 = self.skip_space(start);
        let n = n.max(1);
        if s0 == self.len() {
            return Some(vec![s0..s0; n]);
        }
        if !self.fits(s0, n, cap) {
            return None;
        }
        let (mut lo, mut hi) = (0u64, cap);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.fits(s0, n, mid) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        let h_min = hi;
        for m in (1..=n).rev() {
            let mut best: Option<(u64, u64, Vec<usize>)> = None;
            for extra in 0..=2u64 {
                let h = h_min + extra * line;
                if h > cap {
                    break;
                }
                if best.as_ref().is_some_and(|b| b.0 <= line) {
                    break;
                }
                let step = (line / 8).max(1);
                if let Some((_, ends)) = self.best_split(s0, self.len(), m, 1, h, step) {
                    let cols = self.ranges(s0, &ends);
                    let heights: Vec<u64> = cols.iter().map(|r| self.column(r.clone())).collect();
                    let max = heights.iter().copied().max().unwrap_or(0);
                    let min = heights.iter().copied().min().unwrap_or(0);
                    let spread = max - min;
                    if best.as_ref().is_none_or(|b| spread < b.0) {
                        best = Some((spread, h, ends));
                    }
                }
            }
            if let Some((_, _, ends)) = best {
                let mut cols = self.ranges(s0, &ends);
                let end = self.len();
                cols.resize(n, end..end);
                return Some(cols);
            }
        }
        // Unreachable when `fits` held (one column per greedy step is a valid split), but
        // stay total: fall back to greedy filling.
        let mut cols = Vec::with_capacity(n);
        let mut pos = s0;
        for _ in 0..n {
            let r = self.fill(pos, cap, false);
            pos = self.skip_space(r.end);
            cols.push(r);
        }
        Some(cols)
    }

    /// Moves a float out of the way of a column: when the column from `start` (height
    /// `cap`) would end just before a float that does not fit, leaving at least `min_gap`
    /// empty, the text after the float (up to an allowed break) moves before it and
    /// fills the gap. Returns the range that was rotated and by how much (as for
    /// `slice::rotate_left`), so the caller can move its payloads the same way.
    pub(crate) fn defer_float(
        &mut self,
        start: usize,
        cap: u64,
        min_gap: u64,
    ) -> Option<(Range<usize>, usize)> {
        let col = self.fill(start, cap, false);
        let len = self.len();
        let a = col.end;
        if a >= len {
            return None;
        }
        let gap = cap.saturating_sub(self.column(col.clone()));
        if gap < min_gap {
            return None;
        }
        let fig = if self.units[a].space { a + 1 } else { a };
        if fig >= len || !self.units[fig].float {
            return None;
        }
        let mut g = fig + 1;
        if g < len && self.units[g].space {
            g += 1;
        }
        if g >= len {
            return None;
        }
        // Text only: stop at the next space or float.
        let max = self.reach(g, gap);
        let stop = (g..max)
            .find(|&i| self.units[i].space || self.units[i].float)
            .unwrap_or(max);
        let t = (g + 1..=stop).rev().find(|&t| self.can_end(t))?;
        self.units[a..t].rotate_left(g - a);
        self.sum_from(a);
        Some((a..t, g - a))
    }

    /// Fills the `n` columns of a page (height `cap`) from `start` with as much as fits
    /// (greedy filling decides how much), then spreads it so that the columns are as even
    /// as the rules allow and the last one is the tallest: a short column, if one is
    /// unavoidable, is an earlier one. `force` as in [`Stream::fill`]; `line` is the
    /// height of a grid line.
    pub(crate) fn fill_columns(
        &self,
        start: usize,
        n: usize,
        cap: u64,
        force: bool,
        line: u64,
    ) -> Vec<Range<usize>> {
        let mut greedy = Vec::with_capacity(n);
        let mut pos = self.skip_space(start);
        let s0 = pos;
        for _ in 0..n {
            let r = self.fill(pos, cap, force);
            pos = self.skip_space(r.end);
            greedy.push(r);
        }
        let used = greedy.iter().filter(|r| !r.is_empty()).count();
        let end = greedy.last().map_or(s0, |r| r.end);
        if used < n || greedy.iter().any(|r| !self.can_end(r.end)) {
            return greedy;
        }
        let low = greedy
            .iter()
            .map(|r| self.column(r.clone()))
            .min()
            .unwrap_or(1);
        match self.best_split(s0, end, n, low, cap, (line / 8).max(1)) {
            Some((_, ends)) => self.ranges(s0, &ends),
            None => greedy,
        }
    }

    /// Fills a page like [`Stream::fill_columns`], looking one page ahead: when what is
    /// left would fit on the next page (`next_cap` high) but could not be balanced there
    /// within a line (say two lines alone on a page), this page's columns are shortened
    /// evenly, by up to four lines, until the next page balances.
    pub(crate) fn fill_page(
        &self,
        start: usize,
        n: usize,
        cap: u64,
        force: bool,
        next_cap: u64,
        line: u64,
    ) -> Vec<Range<usize>> {
        let cols = self.fill_columns(start, n, cap, force, line);
        let rest = |cols: &[Range<usize>]| self.skip_space(cols.last().map_or(start, |c| c.end));
        let spread_after = |cols: &[Range<usize>]| -> Option<u64> {
            let bal = self.balance(rest(cols), n, next_cap, line)?;
            let h: Vec<u64> = bal.iter().map(|r| self.column(r.clone())).collect();
            Some(h.iter().max().unwrap_or(&0) - h.iter().min().unwrap_or(&0))
        };
        match spread_after(&cols) {
            Some(s) if s > line => {}
            _ => return cols,
        }
        for k in 1..=4u64 {
            if cap <= (k + 2) * line {
                break;
            }
            let shorter = self.fill_columns(start, n, cap - k * line, force, line);
            if rest(&shorter) == rest(&cols) {
                continue;
            }
            if spread_after(&shorter).is_some_and(|s| s <= line) {
                return shorter;
            }
        }
        cols
    }

    /// Column ranges from split ends (`ends[k]` is where column `k` ends).
    fn ranges(&self, s0: usize, ends: &[usize]) -> Vec<Range<usize>> {
        let mut prev = s0;
        ends.iter()
            .map(|&e| {
                let s = self.skip_space(prev).min(e);
                prev = e;
                s..e
            })
            .collect()
    }

    /// The split of `s0..end` into exactly `m` non-empty columns of heights in
    /// `[floor, h]` with the largest `floor` of the form `low + k * step` (`low >= 1`);
    /// returns `floor` and the ends, or `None` when even `low` is infeasible.
    fn best_split(
        &self,
        s0: usize,
        end: usize,
        m: usize,
        low: u64,
        h: u64,
        step: u64,
    ) -> Option<(u64, Vec<usize>)> {
        let low = low.max(1);
        let mut found = self.split(s0, end, m, low, h).map(|e| (low, e))?;
        let (mut lo, mut hi) = (1u64, h.saturating_sub(low) / step);
        while lo <= hi {
            let mid = lo + (hi - lo) / 2;
            let floor = low + mid * step;
            match self.split(s0, end, m, floor, h) {
                Some(e) => {
                    found = (floor, e);
                    lo = mid + 1;
                }
                None => hi = mid - 1,
            }
        }
        Some(found)
    }

    /// A split of `s0..end` into exactly `m` columns with heights in `[floor, h]`
    /// (`floor >= 1`), each ending at an allowed break; the last columns are made as
    /// tall as possible. Linear in the units of `s0..end` (times log).
    fn split(&self, s0: usize, end: usize, m: usize, floor: u64, h: u64) -> Option<Vec<usize>> {
        let len = end;
        let p = len - s0 + 1; // positions s0..=end
        // reach[k][i]: columns 1..=k can be laid out ending at position s0 + i.
        let mut reach: Vec<Vec<bool>> = Vec::with_capacity(m + 1);
        let mut first = vec![false; p];
        first[0] = true;
        reach.push(first);
        for _ in 0..m {
            let prev = reach.last().expect("reach has a first row");
            let mut diff = vec![0i32; p + 1];
            for (i, _) in prev.iter().enumerate().filter(|&(_, &r)| r) {
                let st = self.skip_space(s0 + i);
                if st == len {
                    continue;
                }
                // A column is never empty, even when its lead alone reaches `floor`.
                let lo = self.first_reaching(st, floor).max(st + 1);
                let hi = self.reach(st, h).min(len);
                if lo <= hi && lo <= len {
                    diff[lo - s0] += 1;
                    diff[hi - s0 + 1] -= 1;
                }
            }
            let mut next = vec![false; p];
            let mut run = 0;
            for i in 0..p {
                run += diff[i];
                next[i] = run > 0 && self.can_end(s0 + i);
            }
            reach.push(next);
        }
        if !reach[m][p - 1] {
            return None;
        }
        // Walk back from the end, giving each column the earliest feasible start.
        let mut ends = vec![len; m];
        let mut e = len;
        for k in (1..=m).rev() {
            ends[k - 1] = e;
            let start = (0..p).find(|&i| {
                if !reach[k - 1][i] {
                    return false;
                }
                let st = self.skip_space(s0 + i);
                st < e && (floor..=h).contains(&self.column(st..e))
            })?;
            e = s0 + start;
        }
        Some(ends)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A paragraph of `k` one-high lines under the two-line widow and orphan rule.
    fn para(k: usize, after_keep: bool) -> Vec<Unit> {
        (0..k)
            .map(|i| {
                let ok = if i == 0 {
                    !after_keep
                } else {
                    i >= 2 && k - i >= 2
                };
                Unit::content(1, ok)
            })
            .collect()
    }

    fn stream(parts: &[Vec<Unit>]) -> Stream {
        Stream::new(parts.concat())
    }

    fn heights(s: &Stream, cols: &[Range<usize>]) -> Vec<u64> {
        cols.iter().map(|r| s.height(r.clone())).collect()
    }

    /// Every column boundary is an allowed break, and columns tile the content.
    fn assert_legal(s: &Stream, start: usize, cols: &[Range<usize>]) {
        assert_eq!(assert_tiles(s, start, cols), s.len(), "everything placed");
    }

    /// Columns follow one another and end at allowed breaks; returns where they stop.
    fn assert_tiles(s: &Stream, start: usize, cols: &[Range<usize>]) -> usize {
        let mut pos = s.skip_space(start);
        for c in cols {
            if c.is_empty() {
                continue;
            }
            assert_eq!(c.start, pos, "columns must tile the content");
            assert!(
                s.can_end(c.end),
                "column ends at a forbidden break {}",
                c.end
            );
            pos = s.skip_space(c.end);
        }
        pos
    }

    #[test]
    fn fill_respects_widow_and_orphan_rules() {
        // 5-line paragraph; a 4-high column would leave a widow, so it takes 3.
        let s = stream(&[para(5, false)]);
        assert_eq!(s.fill(0, 4, false), 0..3);
        // 3-high column: exactly the allowed split point.
        assert_eq!(s.fill(0, 3, false), 0..3);
        // 2-high column: the only legal break (before line 2) fits.
        assert_eq!(s.fill(0, 2, false), 0..2);
        // 1-high: an orphan would be left; nothing fits unless forced.
        assert_eq!(s.fill(0, 1, false), 0..0);
        assert_eq!(s.fill(0, 1, true), 0..1);
    }

    #[test]
    fn fill_breaks_between_paragraphs_and_drops_spaces() {
        // para 3, space, para 4
        let s = stream(&[para(3, false), vec![Unit::space(1)], para(4, false)]);
        // Cap 5: 3 + space + 1 line would orphan; break before the space.
        assert_eq!(s.fill(0, 5, false), 0..3);
        // The next column starts after the dropped space.
        assert_eq!(s.skip_space(3), 4);
        // Cap 6: 3 + space + 2 lines (break before line 2 of 4 is allowed).
        assert_eq!(s.fill(0, 6, false), 0..6);
    }

    #[test]
    fn keep_with_next_moves_heading_along() {
        // para 4, heading (1 high, kept with the next two lines), para 6
        let mut units = para(4, false);
        units.push(Unit::space(1));
        units.push(Unit::content(1, false)); // after a space: the break goes before the space
        units.extend(para(6, true));
        let s = Stream::new(units);
        // Cap 7: para(4) + space + heading + 1 line would break a keep; the column ends
        // after the paragraph and the heading opens the next column.
        assert_eq!(s.fill(0, 7, false), 0..4);
        assert_eq!(s.skip_space(4), 5);
    }

    #[test]
    fn atomic_block_goes_to_the_next_column() {
        let s = stream(&[para(2, false), vec![Unit::content(4, true)], para(2, false)]);
        assert_eq!(s.fill(0, 5, false), 0..2);
        assert_eq!(s.fill(2, 5, false), 2..3);
        // Oversized block in a full column is placed anyway when forced.
        let big = Stream::new(vec![Unit::content(9, true)]);
        assert_eq!(big.fill(0, 5, false), 0..0);
        assert_eq!(big.fill(0, 5, true), 0..1);
    }

    #[test]
    fn a_splice_gives_the_sums_of_a_stream_built_whole() {
        let mut units = stream(&[para(5, false), para(3, false), para(4, true)])
            .units()
            .to_vec();
        units[2].note = 700;
        let mut spliced = Stream::with_note_sep(units.clone(), 250);
        let with = [Unit::content(2000, true), Unit::space(500)];
        spliced.splice(1..4, with);
        units.splice(1..4, with);
        let whole = Stream::with_note_sep(units, 250);
        assert_eq!(spliced.units(), whole.units());
        for a in 0..=whole.len() {
            for b in a..=whole.len() {
                assert_eq!(spliced.height(a..b), whole.height(a..b), "{a}..{b}");
            }
        }
    }

    #[test]
    fn fits_matches_capacity() {
        let s = stream(&[para(9, false)]);
        assert!(s.fits(0, 3, 3));
        assert!(!s.fits(0, 2, 4)); // 4 + 4 leaves one line over
        assert!(s.fits(0, 2, 5));
        // 3 lines cannot be split at all (each side needs two lines).
        let t = stream(&[para(3, false)]);
        assert!(!t.fits(0, 3, 2));
        assert!(t.fits(0, 3, 3));
    }

    #[test]
    fn balance_even_split() {
        let s = stream(&[para(9, false)]);
        let cols = s.balance(0, 3, 60, 1).unwrap();
        assert_eq!(heights(&s, &cols), vec![3, 3, 3]);
        assert_legal(&s, 0, &cols);
    }

    #[test]
    fn balance_puts_extra_lines_in_the_last_columns() {
        let s = stream(&[para(10, false)]);
        let cols = s.balance(0, 3, 60, 1).unwrap();
        assert_eq!(heights(&s, &cols), vec![3, 3, 4]);
        assert_legal(&s, 0, &cols);

        let s = stream(&[para(11, false)]);
        let cols = s.balance(0, 3, 60, 1).unwrap();
        assert_eq!(heights(&s, &cols), vec![3, 4, 4]);
        assert_legal(&s, 0, &cols);
    }

    #[test]
    fn balance_respects_rules_across_paragraphs() {
        // 5 + 5 lines in 3 columns: 4/3/3 split points would orphan or widow somewhere;
        // the best legal split has columns within one line.
        let s = stream(&[para(5, false), para(5, false)]);
        let cols = s.balance(0, 3, 60, 1).unwrap();
        let h = heights(&s, &cols);
        assert_legal(&s, 0, &cols);
        assert_eq!(h.iter().sum::<u64>(), 10);
        assert!(
            h.iter().max().unwrap() - h.iter().min().unwrap() <= 1,
            "{h:?}"
        );
        // A 3-line paragraph cannot be split: one column holds it.
        let s = stream(&[para(3, false)]);
        let cols = s.balance(0, 3, 60, 1).unwrap();
        assert_eq!(heights(&s, &cols), vec![3, 0, 0]);
    }

    /// The smallest spread over every legal split into three columns (brute force), and
    /// whether some split with that spread has the last column tallest.
    fn best_spread(s: &Stream) -> (u64, bool) {
        let n = s.len();
        let mut best = (u64::MAX, false);
        for a in 1..=n {
            for b in a..=n {
                if !s.can_end(a) || !s.can_end(b) {
                    continue;
                }
                let h = [s.height(0..a), s.height(a..b), s.height(b..n)];
                let spread = h.iter().max().unwrap() - h.iter().min().unwrap();
                let last_tallest = h[2] == *h.iter().max().unwrap();
                if spread < best.0 {
                    best = (spread, last_tallest);
                } else if spread == best.0 {
                    best.1 |= last_tallest;
                }
            }
        }
        best
    }

    #[test]
    fn balance_never_leaves_widows_or_orphans() {
        // Many small mixes: every result is legal and as even as any legal split.
        for a in 4..9 {
            for b in 4..9 {
                for c in 4..9 {
                    let s = stream(&[para(a, false), para(b, false), para(c, false)]);
                    let cols = s.balance(0, 3, 60, 1).unwrap();
                    assert_legal(&s, 0, &cols);
                    let h = heights(&s, &cols);
                    let spread = h.iter().max().unwrap() - h.iter().min().unwrap();
                    let (best, last_can_be_tallest) = best_spread(&s);
                    assert_eq!(spread, best, "{a} {b} {c}: {h:?}");
                    if last_can_be_tallest {
                        assert!(h[2] >= *h.iter().max().unwrap(), "{a} {b} {c}: {h:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn balance_with_block_and_capacity() {
        // A 4-high figure and 8 lines in 2 columns: best is 6/6 (figure + 2, 6 lines).
        let s = stream(&[vec![Unit::content(4, true)], para(2, false), para(6, false)]);
        let cols = s.balance(0, 2, 60, 1).unwrap();
        assert_eq!(heights(&s, &cols), vec![6, 6]);
        assert_legal(&s, 0, &cols);
        // Does not fit in 2 columns of 5.
        assert!(s.balance(0, 2, 5, 1).is_none());
    }

    #[test]
    fn balance_uses_grid_units() {
        // Same as the even split with 1000 per line and an off-grid tail (notes).
        let mut units: Vec<Unit> = para(6, false)
            .into_iter()
            .map(|u| Unit { height: 1000, ..u })
            .collect();
        units.push(Unit::content(1000, true));
        units.push(Unit::content(870, false));
        let s = Stream::new(units);
        let cols = s.balance(0, 2, 65_000, 1000).unwrap();
        let h = heights(&s, &cols);
        assert_legal(&s, 0, &cols);
        assert!(h[0].abs_diff(h[1]) <= 1000, "{h:?}");
    }

    /// A table of a header and `rows` one-high rows whose continuation columns repeat
    /// the header (`lead` high); rows may break as the collector allows.
    fn table(rows: usize, lead: u32) -> Vec<Unit> {
        let n = rows + 1;
        (0..n)
            .map(|i| {
                let ok = i == 0 || (i >= 2 && n - i >= 2);
                Unit {
                    lead: if i >= 2 { lead } else { 0 },
                    ..Unit::content(1, ok)
                }
            })
            .collect()
    }

    #[test]
    fn a_column_that_opens_with_a_continued_table_row_makes_room_for_its_header() {
        // Header + 9 rows; columns of 6. The first column holds the header and 5 rows;
        // the second starts with row 6 under a repeated header 2 high: 2 + 4 rows.
        let s = stream(&[table(9, 2)]);
        assert_eq!(s.fill(0, 6, false), 0..6);
        assert_eq!(s.fill(6, 6, false), 6..10);
        assert_eq!(s.column(6..10), 6);
        // Without the lead the second column would take every remaining row.
        let plain = stream(&[table(9, 0)]);
        assert_eq!(plain.fill(6, 6, false), 6..10);
        assert_eq!(plain.fill(6, 4, false), 6..10);
        assert_eq!(s.fill(6, 4, false), 6..8);
    }

    #[test]
    fn balancing_counts_the_repeated_header() {
        // Header + 9 rows in two columns: 5 + 5 without a repeated header; with one
        // 2 high, the first column takes more rows so that both end level.
        let plain = stream(&[table(9, 0)]);
        let cols = plain.balance(0, 2, 60, 1).unwrap();
        assert_eq!(heights(&plain, &cols), vec![5, 5]);
        let s = stream(&[table(9, 2)]);
        let cols = s.balance(0, 2, 60, 1).unwrap();
        assert_legal(&s, 0, &cols);
        let h: Vec<u64> = cols.iter().map(|c| s.column(c.clone())).collect();
        assert_eq!(h, vec![6, 6], "{cols:?}");
        // Every split the balancer considers counts it: a full page of 6-high columns.
        let cols = s.fill_columns(0, 2, 6, false, 1);
        assert!(cols.iter().all(|c| s.column(c.clone()) <= 6), "{cols:?}");
    }

    #[test]
    fn float_moves_past_text_to_the_next_column() {
        // 4 lines, a space, a 5-high figure, a space, a 6-line paragraph; columns of 7.
        let mut units = para(4, false);
        units.push(Unit::space(1));
        units.push(Unit::float(5));
        units.push(Unit::space(1));
        units.extend(para(6, false));
        let mut s = Stream::new(units);
        // Without deferral the column holds only the 4 lines.
        assert_eq!(s.fill(0, 7, false), 0..4);
        let (range, by) = s.defer_float(0, 7, 2).expect("the figure is deferred");
        assert_eq!((range, by), (4..10, 3));
        // Now the column is 4 lines + 3 lines of the paragraph (a legal break: 3 left);
        // the figure opens the next column, with the rest of the paragraph under it.
        assert_eq!(s.fill(0, 7, false), 0..7);
        let next = s.skip_space(7);
        assert!(s.units()[next].float);
        assert_eq!(s.height(0..s.len()), 4 + 1 + 5 + 1 + 6);
        // Nothing more to do for that column.
        assert!(s.defer_float(0, 7, 2).is_none());
    }

    #[test]
    fn float_stays_when_the_gap_is_small() {
        let mut units = para(6, false);
        units.push(Unit::space(1));
        units.push(Unit::float(5));
        units.push(Unit::space(1));
        units.extend(para(6, false));
        let mut s = Stream::new(units);
        assert!(s.defer_float(0, 7, 2).is_none());
    }

    #[test]
    fn full_page_fills_every_column() {
        let s = stream(&[para(10, false), para(10, false), para(10, false)]);
        let cols = s.fill_page(0, 3, 8, true, 8, 1);
        assert_eq!(heights(&s, &cols), vec![8, 8, 8]);
    }

    #[test]
    fn page_fill_moves_the_short_column_forward() {
        // Greedy gives 8/8/7 (a widow rule shortens the third column); the same content
        // spread as 7/8/8 keeps the page's last column full.
        let s = stream(&[
            para(10, false),
            para(9, false),
            para(6, false),
            para(10, false),
        ]);
        let mut greedy = Vec::new();
        let mut pos = 0;
        for _ in 0..3 {
            let r = s.fill(pos, 8, true);
            pos = s.skip_space(r.end);
            greedy.push(r);
        }
        let g = heights(&s, &greedy);
        let cols = s.fill_columns(0, 3, 8, true, 1);
        let h = heights(&s, &cols);
        assert_eq!(h.iter().sum::<u64>(), g.iter().sum::<u64>(), "same content");
        assert_eq!(h[2], *h.iter().max().unwrap(), "{h:?} (greedy {g:?})");
        assert!(h.iter().min().unwrap() >= g.iter().min().unwrap());
        assert_eq!(assert_tiles(&s, 0, &cols), assert_tiles(&s, 0, &greedy));
        assert_ne!(g, h, "the example must need the spreading");
    }

    #[test]
    fn short_tail_pulls_lines_back_to_balance_the_last_page() {
        // 26 lines, pages of 3 x 8: filling this page leaves 2 lines alone on the next;
        // shortening this page evenly lets the next one balance.
        let s = stream(&[para(13, false), para(13, false)]);
        let cols = s.fill_page(0, 3, 8, true, 8, 1);
        let next = s.skip_space(cols.last().unwrap().end);
        let bal = s.balance(next, 3, 8, 1).unwrap();
        let h = heights(&s, &bal);
        assert!(
            h.iter().max().unwrap() - h.iter().min().unwrap() <= 1,
            "last page {h:?}"
        );
        let hp = heights(&s, &cols);
        assert!(
            hp.iter().max().unwrap() - hp.iter().min().unwrap() <= 1,
            "{hp:?}"
        );
    }

    #[test]
    fn footnotes_take_room_at_the_foot_of_their_column() {
        // 12 lines; line 5 refers to a 3-high note; the separator is 1.
        let mut units = para(12, false);
        units[4].note = 3;
        let s = Stream::with_note_sep(units, 1);
        assert_eq!(s.height(0..4), 4);
        assert_eq!(s.height(0..5), 5 + 3 + 1);
        // A column of 8 cannot hold line 5 with its note (5 + 1 + 3 = 9): the line and
        // its note open the next column.
        assert_eq!(s.fill(0, 8, false), 0..4);
        assert_eq!(s.fill(0, 9, false), 0..5);
        // Balancing counts the note: the note's column is the taller one (5 lines and
        // the note against 7 lines; 4 and 8 lines with the note would be 4 and 12).
        let cols = s.balance(0, 2, 20, 1).unwrap();
        assert_eq!(heights(&s, &cols), vec![9, 7]);
        assert_legal(&s, 0, &cols);
    }

    #[test]
    fn empty_content_balances_to_empty_columns() {
        let s = Stream::new(vec![]);
        assert_eq!(s.balance(0, 3, 10, 1).unwrap(), vec![0..0, 0..0, 0..0]);
        let s = Stream::new(vec![Unit::space(1)]);
        assert!(s.fits(0, 1, 0));
    }
}
