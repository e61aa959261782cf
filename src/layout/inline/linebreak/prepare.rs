//! Running sums and legal breakpoints of a paragraph, computed once and shared by all passes.

use super::{INFINITE, Item, PenaltyKind};

/// Largest magnitude kept for a width or stretch: keeps sums exact enough in `f64` and
/// turns "infinite" fill stretch into a large finite number.
const LIMIT: f64 = 1.0e6;

/// Running totals over `items[..i]` (boxes and glue; penalties add nothing).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Sums {
    /// Natural width.
    pub width: f64,
    /// Stretch of glue and boxes.
    pub stretch: f64,
    /// Shrink of glue and boxes.
    pub shrink: f64,
    /// Interword spaces (glue right after a box): tells a one-word line.
    pub spaces: u32,
}

/// A legal breakpoint.
#[derive(Debug, Clone, Copy)]
pub(super) struct Point {
    /// Item index of the break.
    pub index: usize,
    /// First item of the line that follows (glue and penalties after the break are
    /// dropped up to the next box or forced break).
    pub next_start: usize,
    /// End (exclusive) of the material of a line ending here.
    pub material_end: usize,
    /// Width added to a line ending here (a hyphen).
    pub width: f64,
    /// The penalty value (0 for glue).
    pub penalty: f64,
    /// A hyphen break.
    pub flagged: bool,
    /// A break inside a word used only as a last resort.
    pub emergency: bool,
    /// A forced break (or the paragraph end): every line must end here.
    pub forced: bool,
    /// The paragraph end (the last item).
    pub last: bool,
}

/// A paragraph ready for the search (buffers reused from paragraph to paragraph).
#[derive(Default)]
pub(super) struct Prepared {
    /// `sums[i]` covers `items[..i]`; `sums.len() == items.len() + 1`.
    pub sums: Vec<Sums>,
    /// Legal breakpoints in item order; the last one is the last item.
    pub points: Vec<Point>,
    /// Some non-forced breakpoint is flagged.
    pub has_flagged: bool,
    /// Some non-forced breakpoint is an emergency break.
    pub has_emergency: bool,
}

/// A finite, bounded value (NaN becomes 0).
fn clean(x: f32) -> f64 {
    if x.is_nan() {
        0.0
    } else {
        f64::from(x).clamp(-LIMIT, LIMIT)
    }
}

/// `(width, stretch, shrink)` cleaned: stretch ≥ 0, shrink within `[0, width]`.
fn clean_glue(width: f32, stretch: f32, shrink: f32) -> (f64, f64, f64) {
    let w = clean(width);
    (
        w,
        clean(stretch).max(0.0),
        clean(shrink).clamp(0.0, w.max(0.0)),
    )
}

/// Is `item` a forced break?
fn is_forced(item: &Item) -> bool {
    matches!(item, Item::Penalty { penalty, .. } if *penalty <= -INFINITE)
}

impl Prepared {
    /// Computes the sums and breakpoints of non-empty `items`, replacing the previous
    /// paragraph's.
    pub(super) fn fill(&mut self, items: &[Item]) {
        let n = items.len();
        let sums = &mut self.sums;
        sums.clear();
        sums.reserve(n + 1);
        let mut acc = Sums::default();
        sums.push(acc);
        for (i, item) in items.iter().enumerate() {
            match *item {
                Item::Box {
                    width,
                    stretch,
                    shrink,
                } => {
                    let (w, y, z) = clean_glue(width, stretch, shrink);
                    acc.width += w;
                    acc.stretch += y;
                    acc.shrink += z;
                }
                Item::Glue {
                    width,
                    stretch,
                    shrink,
                } => {
                    let (w, y, z) = clean_glue(width, stretch, shrink);
                    acc.width += w;
                    acc.stretch += y;
                    acc.shrink += z;
                    if i > 0 && matches!(items[i - 1], Item::Box { .. }) {
                        acc.spaces += 1;
                    }
                }
                Item::Penalty { .. } => {}
            }
            sums.push(acc);
        }

        // Walk backwards so the first box or forced break after each item is at hand.
        let points = &mut self.points;
        points.clear();
        let mut has_flagged = false;
        let mut has_emergency = false;
        // First index > i holding a box or a forced break (n if none).
        let mut solid_after = n;
        for (i, item) in items.iter().enumerate().rev() {
            // A non-forced break is legal only if a box follows it before any forced
            // break: otherwise the next line would be empty.
            let box_follows = solid_after < n && matches!(items[solid_after], Item::Box { .. });
            let last = i + 1 == n;
            let next_start = solid_after;
            let point = match *item {
                _ if last => {
                    // The paragraph end: a forced break, never flagged; only a forced
                    // penalty's own width counts (a trailing box is part of the line).
                    let (material_end, width) = match *item {
                        Item::Box { .. } => (n, 0.0),
                        Item::Penalty { width, .. } if is_forced(item) => (i, clean(width)),
                        _ => (i, 0.0),
                    };
                    Some(Point {
                        index: i,
                        next_start,
                        material_end,
                        width,
                        penalty: 0.0,
                        flagged: false,
                        emergency: false,
                        forced: true,
                        last: true,
                    })
                }
                Item::Box { .. } => None,
                Item::Glue { .. } => {
                    let after_box = i > 0 && matches!(items[i - 1], Item::Box { .. });
                    (after_box && box_follows).then_some(Point {
                        index: i,
                        next_start,
                        material_end: i,
                        width: 0.0,
                        penalty: 0.0,
                        flagged: false,
                        emergency: false,
                        forced: false,
                        last: false,
                    })
                }
                Item::Penalty {
                    width,
                    penalty,
                    flagged,
                    kind,
                } => {
                    let forced = is_forced(item);
                    // NaN penalties count as 0 (allowed).
                    let allowed =
                        forced || ((penalty < INFINITE || penalty.is_nan()) && box_follows);
                    allowed.then(|| {
                        let emergency = kind == PenaltyKind::Emergency && !forced;
                        has_flagged |= flagged && !forced;
                        has_emergency |= emergency;
                        Point {
                            index: i,
                            next_start,
                            material_end: i,
                            width: clean(width),
                            penalty: clean(penalty)
                                .clamp(-f64::from(INFINITE), f64::from(INFINITE)),
                            flagged,
                            emergency,
                            forced,
                            last: false,
                        }
                    })
                }
            };
            points.extend(point);
            if matches!(item, Item::Box { .. }) || is_forced(item) {
                solid_after = i;
            }
        }
        points.reverse();
        self.has_flagged = has_flagged;
        self.has_emergency = has_emergency;
    }
}
