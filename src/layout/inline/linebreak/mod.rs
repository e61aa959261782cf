//! Total-fit (Knuth–Plass) line breaking: a pure function from measured items and
//! parameters to breakpoints. Imports nothing outside this module.
//!
//! # Encoding a paragraph
//! A paragraph is a sequence of [`Item`]s, as in TeX: boxes for words (or word fragments
//! between hyphenation points), glue for spaces, penalties for other possible breaks.
//! - A glue is a legal break only when the item before it is a box; the glue at a break
//!   disappears, and so do the glue and penalties that follow it up to the next box.
//! - A penalty is a legal break when `penalty < INFINITE`; `penalty <= -INFINITE`
//!   forces a break (a hard line break). A hyphenation point is a flagged penalty whose
//!   `width` is the hyphen's width.
//! - The paragraph end needs no special encoding: the last item is always the last break,
//!   and every line that ends at a forced break or at the last item is set with a fill
//!   (natural spacing, ratio 0, when it is shorter than its measure). The TeX encoding
//!   `Penalty(INFINITE), Glue(0, huge stretch, 0), Penalty(-INFINITE)` works the same.
//!   Do not put glue after the last forced break: it would make an empty last line.
//!
//! # Passes
//! 1. No hyphenation, badness ≤ `pretolerance`, ratio ≤ `max_ratio` (skipped if
//!    `pretolerance` < 0). When it succeeds the paragraph has no hyphen.
//! 2. Hyphenation (flagged penalties), badness ≤ `tolerance`, ratio ≤ `max_ratio`.
//! 3. Emergency stretch (skipped when `emergency_stretch` is 0): a line is acceptable
//!    when its badness computed with `emergency_stretch` added to its stretch is within
//!    `tolerance`; no ratio limit. Unlike TeX, a line still *costs* its real badness, so
//!    loose lines stay expensive and appear only where needed (TeX's way cheapens every
//!    line and spreads the looseness over the paragraph).
//! 4. Last resort: (a) the same with [`PenaltyKind::Emergency`] breaks allowed; (b) any
//!    line that does not overflow, then, only if no breaking avoids it, the hyphen limit
//!    is exceeded, and only if even that fails, a line overflows: that happens only when
//!    an unbreakable piece is wider than its measure (the line is marked `overfull`).
//!
//! # State and cost
//! Dynamic programming over breakpoints. A node is a breakpoint reached with a given
//! line number (only while line widths still vary, or up to the last line named in
//! [`Params::no_hyphen_after`]), fitness class of its line and run of consecutive flagged
//! lines; each keeps only its cheapest path. A node also carries the glyph scaling its
//! line is drawn with ([`Params::expansion`]), so that a line scaled far from the one above
//! it costs [`Params::expansion_demerits`]; that scaling is not part of the state (finer
//! states changed almost nothing on real editions), so the penalty is judged against the
//! cheapest path of each fitness class: a heuristic, not an exact optimum. The active list is kept
//! short: a node dies when a line from it would overflow, candidates that another one
//! beats by more than `adj_demerits` are dropped, and the scan of the active list stops at
//! the first node whose line is too loose (later nodes start later). Running sums make a
//! line's measure O(1); buffers live in a thread-local workspace. Measured: about 8 ms
//! for 36,000 words in 4,500 paragraphs (release build, shared 2-core machine), about
//! 1.2 line evaluations per breakpoint and pass. To time it:
//! `cargo test --release --lib pdf::linebreak::tests::bench -- --ignored --nocapture`.
//! `tests::quality_simulation` (same way) prints word-space statistics of settings.
//!
//! # Huge paragraphs
//! The buffers grow with the paragraph (about a hundred bytes per item), so a paragraph
//! of more than [`WINDOW_ITEMS`] items (thousands of words: a whole file without a blank
//! line) is broken a window at a time, keeping all but the last few lines of each; see
//! [`break_windowed`] for what that gives up. Ordinary paragraphs are broken whole.

mod prepare;
mod search;
#[cfg(test)]
mod tests;

use std::cell::RefCell;

use prepare::Prepared;
use search::{PassRules, Scratch};

/// A measured item of a paragraph. Widths in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Item {
    /// Unbreakable material (a word or word fragment). `stretch`/`shrink` are the
    /// microtypographic adjustments it allows (letter-spacing, glyph expansion); 0 if none.
    /// They count in a line's stretch and shrink exactly like glue.
    Box {
        width: f32,
        stretch: f32,
        shrink: f32,
    },
    /// A space: a legal break when it follows a box.
    Glue {
        width: f32,
        stretch: f32,
        shrink: f32,
    },
    /// A possible break with a cost; `width` is material added when breaking here (a
    /// hyphen). `flagged` marks hyphen breaks (for consecutive-hyphen rules).
    /// `penalty <= -INFINITE` forces a break; `>= INFINITE` forbids it.
    Penalty {
        width: f32,
        penalty: f32,
        flagged: bool,
        kind: PenaltyKind,
    },
}

/// Why a penalty exists; lets the breaker try emergency breaks only as a last resort.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PenaltyKind {
    /// Ordinary: hyphenation point, explicit hyphen or dash, forced break, paragraph end.
    Normal,
    /// A break inside a word or URL with no hyphenation point: used only when no
    /// solution without it exists.
    Emergency,
}

/// Penalty value that forbids a break (and, negated, forces one); also the badness cap.
pub(crate) const INFINITE: f32 = 10_000.0;

/// Parameters (TeX's names where they exist). Demerits are TeX's: a line costs
/// `(line_penalty + badness)² ± penalty²` plus the extra demerits below, where
/// badness = 100·|ratio|³ capped at [`INFINITE`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Params {
    /// Largest badness accepted by pass 1 (no hyphenation). Negative: skip pass 1.
    pub pretolerance: f32,
    /// Largest badness accepted by passes 2 to 4a (in passes 3 and 4a, badness with the
    /// emergency stretch added).
    pub tolerance: f32,
    /// Largest stretch ratio (against the line's real stretch) in passes 1 and 2: lines
    /// looser than this appear only in the emergency passes. With 1.0 (badness 100) a
    /// tolerance above 100 changes nothing in pass 2. `f32::INFINITY` lets the
    /// tolerances alone decide, as in TeX (badness 200 is a ratio of about 1.26).
    pub max_ratio: f32,
    /// Added to every line's badness before squaring: favours fewer lines.
    pub line_penalty: f32,
    /// Added when two adjacent lines' fitness classes (very loose, loose, decent, tight)
    /// differ by more than one.
    pub adj_demerits: f32,
    /// Added when two consecutive lines end with a flagged (hyphen) break.
    pub double_hyphen_demerits: f32,
    /// Added when the line before a forced break (the paragraph's second-last line)
    /// ends with a flagged break.
    pub final_hyphen_demerits: f32,
    /// Hard limit of flagged breaks in a row. Exceeded only when no other solution
    /// without overflow exists (last resort).
    pub max_consecutive_hyphens: usize,
    /// Extra stretch per line allowed in the emergency passes, in points. The caller
    /// sets it from the measure (see [`Params::for_measure`]); 0 skips pass 3.
    pub emergency_stretch: f32,
    /// The paragraph's last line is "short" when its natural width is below this fraction
    /// of its measure.
    pub short_last_line_fraction: f32,
    /// A last line holding a single word (or word fragment) is also "short" when its
    /// natural width is below this fraction of its measure.
    pub single_word_last_line_fraction: f32,
    /// Added when the last line is short. The default (200,000) weighs a runt like one
    /// line stretched to about 1.65 times its stretch, or a hyphen of penalty ~450:
    /// smaller values barely move runts once hyphen penalties are in the hundreds.
    pub short_last_line_demerits: f32,
    /// Asks for a paragraph this many lines longer (positive) or shorter (negative)
    /// than its optimum, as near as the tolerances allow (TeX's `\looseness`): the
    /// flow uses it to balance an article's last page. 0: the optimum.
    pub looseness: i32,
    /// The horizontal glyph scaling the caller applies to a justified line whose ratio is
    /// ±1 (its glyph expansion): a line of ratio `r` is drawn scaled by
    /// `expansion · r`, `r` clamped to `[-1, 1]`, because the caller spends a line's
    /// stretch or shrink on boxes and glue alike. 0: glyphs are never scaled.
    pub expansion: f32,
    /// Two neighbouring justified lines whose scalings (see `expansion`) differ by more
    /// than this (a fraction: 0.005 is 0.5 %) cost `expansion_demerits`: a condensed line
    /// beside an expanded one shows, as TeX's `adj_demerits` says of a tight line beside
    /// a loose one. Lines set with a fill (a paragraph's last) are not compared.
    pub expansion_step: f32,
    /// Added when two neighbouring lines' scalings differ by more than `expansion_step`.
    pub expansion_demerits: f32,
    /// Lines (0-based) that should not end with a hyphen (a flagged break), such as a
    /// column's last line: a hyphen there costs [`FORBIDDEN_HYPHEN_DEMERITS`], so it is
    /// chosen only when every other setting the pass allows is impossible.
    pub no_hyphen_after: Vec<usize>,
}

/// Demerits of a hyphen ending a line of [`Params::no_hyphen_after`]: more than any
/// line's own cost (a line of infinite badness costs about 10⁸).
pub(crate) const FORBIDDEN_HYPHEN_DEMERITS: f32 = 1.0e12;

impl Default for Params {
    /// TeX-like values for narrow (35–45 characters) justified columns: TeX's
    /// pretolerance, tolerance and demerits, at most 2 hyphens in a row, no line looser
    /// than its stretch outside the emergency passes, costly runts (a last line under
    /// 20 % of the measure, or a single word under 30 %). The emergency stretch is 0: set
    /// it from the measure ([`Params::for_measure`]).
    fn default() -> Self {
        Params {
            pretolerance: 100.0,
            tolerance: 200.0,
            max_ratio: 1.0,
            line_penalty: 10.0,
            adj_demerits: 10_000.0,
            double_hyphen_demerits: 10_000.0,
            final_hyphen_demerits: 5_000.0,
            max_consecutive_hyphens: 2,
            emergency_stretch: 0.0,
            short_last_line_fraction: 0.2,
            single_word_last_line_fraction: 0.3,
            short_last_line_demerits: 200_000.0,
            looseness: 0,
            expansion: 0.0,
            expansion_step: 0.005,
            expansion_demerits: 10_000.0,
            no_hyphen_after: Vec::new(),
        }
    }
}

impl Params {
    /// The defaults with `emergency_stretch` set to a tenth of `measure` (points), about
    /// TeX's customary 3 em on a book measure.
    pub(crate) fn for_measure(measure: f32) -> Params {
        let measure = if measure.is_finite() {
            measure.max(0.0)
        } else {
            0.0
        };
        Params {
            emergency_stretch: 0.1 * measure,
            ..Params::default()
        }
    }
}

/// A chosen break: the item index where the line ends and the adjustment ratio of the
/// line it ends (negative: shrunk; positive: stretched).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Break {
    /// Index of the item where the line ends (the glue or penalty broken at, excluded
    /// from the line except for a penalty's `width`; the last item of the paragraph).
    pub index: usize,
    /// How much of the line's stretch (> 0) or shrink (< 0) to use, boxes and glue alike:
    /// `(width - natural) / stretch` or `/ shrink`, never below -1. 0 for lines set with
    /// a fill (ending at a forced break or the paragraph end) and for underfull lines that
    /// have no stretch.
    pub ratio: f32,
    /// The line ends at a flagged penalty (a hyphen is added).
    pub flagged: bool,
    /// The line is wider than its measure even fully shrunk: it holds an unbreakable
    /// piece wider than the measure (no breaking could avoid it). Worth a warning.
    pub overfull: bool,
}

/// Which pass produced a solution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Pass {
    /// Empty paragraph: nothing to break.
    Empty,
    /// Pass 1: no hyphenation.
    First,
    /// Pass 2: with hyphenation.
    Second,
    /// Pass 3: with emergency stretch.
    EmergencyStretch,
    /// Pass 4a: with emergency (inside-word) breaks.
    EmergencyBreaks,
    /// Pass 4b: any non-overflowing line (or the least overflowing).
    LastResort,
}

/// Breaks and the pass that found them.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Outcome {
    /// One break per line, in order; the last one is the last item.
    pub breaks: Vec<Break>,
    /// The pass that succeeded.
    pub pass: Pass,
    /// Lines more (or fewer, negative) than the optimum of that pass: the looseness
    /// reached, 0 unless [`Params::looseness`] asked for one.
    pub looseness: i32,
}

/// Breaks `items` into lines; `line_width(n)` is the width of line `n` (0-based).
/// Always returns a solution (the last break is the last item); empty for no items.
pub(crate) fn break_lines(
    items: &[Item],
    line_width: &dyn Fn(usize) -> f32,
    params: &Params,
) -> Vec<Break> {
    break_paragraph(items, line_width, params).breaks
}

/// Like [`break_lines`], also telling which pass succeeded. A paragraph of more than
/// [`WINDOW_ITEMS`] items is broken a window at a time ([`break_windowed`]).
pub(crate) fn break_paragraph(
    items: &[Item],
    line_width: &dyn Fn(usize) -> f32,
    params: &Params,
) -> Outcome {
    break_windowed(items, line_width, params, WINDOW_ITEMS)
}

/// Paragraphs of more items than this are broken a window at a time (see
/// [`break_windowed`]): about 5,000 words, far more than any ordinary paragraph.
const WINDOW_ITEMS: usize = 20_000;

/// Lines at the end of a window that are set again with the next one, so that a break
/// near the window's (false) end does not bind the lines before it.
const WINDOW_TAIL_LINES: usize = 12;

/// Breaks `items` a window of at most `window` items at a time: the breaker sees the
/// first `window` items as if they ended the paragraph, all lines but the last
/// [`WINDOW_TAIL_LINES`] are kept, and the next window starts after the last line kept.
/// The memory is that of one window, the time linear in the paragraph; a paragraph of
/// at most `window` items is broken whole, as [`break_paragraph`] alone would.
///
/// What it gives up, only at the seams between windows: lines that are each the best
/// for a window rather than for the whole paragraph (the tail lines make the
/// difference small), and the rules that link a line to the one before it (adjacent
/// fitness classes, scaling steps, consecutive hyphens) are not applied across a seam.
/// A looseness applies to the last window only.
fn break_windowed(
    items: &[Item],
    line_width: &dyn Fn(usize) -> f32,
    params: &Params,
    window: usize,
) -> Outcome {
    let mut window = window.max(2);
    let mut start = 0;
    let mut lines = 0;
    let mut breaks: Vec<Break> = Vec::new();
    let mut pass = Pass::Empty;
    loop {
        let rest = &items[start..];
        let last = rest.len() <= window;
        let slice = if last { rest } else { &rest[..window] };
        let sub = Params {
            looseness: if last { params.looseness } else { 0 },
            no_hyphen_after: params
                .no_hyphen_after
                .iter()
                .filter_map(|&k| k.checked_sub(lines))
                .collect(),
            ..params.clone()
        };
        let offset = lines;
        let out = break_whole(slice, &|n| line_width(offset + n), &sub);
        let keep = if last {
            out.breaks.len()
        } else {
            out.breaks.len().saturating_sub(WINDOW_TAIL_LINES)
        };
        if keep == 0 && !last {
            // Too few lines to keep any (pieces wider than the measure): a larger window.
            window = window.saturating_mul(2);
            continue;
        }
        pass = pass.max(out.pass);
        breaks.extend(out.breaks[..keep].iter().map(|b| Break {
            index: b.index + start,
            ..*b
        }));
        if last {
            return Outcome {
                breaks,
                pass,
                looseness: out.looseness,
            };
        }
        lines += keep;
        // The next line starts at the first box or forced break after the last break
        // kept, as after any break; a kept break has one (it is legal in the window).
        let after = start + out.breaks[keep - 1].index + 1;
        start = items[after..]
            .iter()
            .position(|item| match item {
                Item::Box { .. } => true,
                Item::Penalty { penalty, .. } => *penalty <= -INFINITE,
                Item::Glue { .. } => false,
            })
            .map_or(items.len(), |p| after + p);
        if start >= items.len() {
            // Unreachable (see above); still, end at the last item.
            if let Some(b) = breaks.last_mut() {
                b.index = items.len() - 1;
            }
            return Outcome {
                breaks,
                pass,
                looseness: 0,
            };
        }
    }
}

/// Breaks the whole of `items` at once.
fn break_whole(items: &[Item], line_width: &dyn Fn(usize) -> f32, params: &Params) -> Outcome {
    if items.is_empty() {
        return Outcome {
            breaks: Vec::new(),
            pass: Pass::Empty,
            looseness: 0,
        };
    }
    WORKSPACE.with(|cell| match cell.try_borrow_mut() {
        Ok(mut ws) => {
            let outcome = solve(&mut ws, items, line_width, params);
            // Buffers sized for a pathological paragraph (hundreds of bytes an item)
            // would stay for the rest of the build: give them back.
            if items.len() > KEEP_BUFFERS_UP_TO {
                *ws = Workspace::default();
            }
            outcome
        }
        // Only if `line_width` itself breaks lines: use fresh buffers.
        Err(_) => solve(&mut Workspace::default(), items, line_width, params),
    })
}

/// The largest paragraph (in items) whose buffers are kept for the next one: a few
/// thousand words, a few megabytes.
const KEEP_BUFFERS_UP_TO: usize = 20_000;

/// Buffers kept between paragraphs: the breaker allocates only when a paragraph is
/// larger than any before it on this thread.
#[derive(Default)]
struct Workspace {
    prepared: Prepared,
    scratch: Scratch,
}

thread_local! {
    static WORKSPACE: RefCell<Workspace> = RefCell::new(Workspace::default());
}

/// Runs the passes on non-empty `items`.
fn solve(
    ws: &mut Workspace,
    items: &[Item],
    line_width: &dyn Fn(usize) -> f32,
    params: &Params,
) -> Outcome {
    let Workspace { prepared, scratch } = ws;
    prepared.fill(items);
    // A paragraph has at most one line per breakpoint. Line numbers are tracked as far
    // as the lines that must not end with a hyphen.
    let track = params.no_hyphen_after.iter().max().map_or(0, |&k| k + 1);
    scratch.measure_lines(
        line_width,
        prepared.points.len(),
        params.looseness != 0,
        track,
    );
    let tolerance = f64::from(finite_or(params.tolerance, 200.0));
    let pretolerance = f64::from(finite_or(params.pretolerance, 100.0));
    let max_ratio = if params.max_ratio.is_nan() {
        1.0
    } else {
        f64::from(params.max_ratio)
    };
    let emergency_stretch = f64::from(finite_or(params.emergency_stretch, 0.0).max(0.0));

    let mut passes: Vec<(Pass, PassRules)> = Vec::with_capacity(5);
    // A looser or tighter paragraph needs the hyphenation points, as in TeX.
    if pretolerance >= 0.0 && params.looseness == 0 {
        passes.push((
            Pass::First,
            PassRules {
                flagged: false,
                emergency: false,
                threshold: pretolerance,
                extra_stretch: 0.0,
                max_ratio,
                last_resort: false,
            },
        ));
    }
    passes.push((
        Pass::Second,
        PassRules {
            flagged: true,
            emergency: false,
            threshold: tolerance,
            extra_stretch: 0.0,
            max_ratio,
            last_resort: false,
        },
    ));
    if emergency_stretch > 0.0 {
        passes.push((
            Pass::EmergencyStretch,
            PassRules {
                flagged: true,
                emergency: false,
                threshold: tolerance,
                extra_stretch: emergency_stretch,
                max_ratio: f64::INFINITY,
                last_resort: false,
            },
        ));
    }
    passes.push((
        Pass::EmergencyBreaks,
        PassRules {
            flagged: true,
            emergency: true,
            threshold: tolerance,
            extra_stretch: emergency_stretch,
            max_ratio: f64::INFINITY,
            last_resort: false,
        },
    ));

    let mut previous: Option<PassRules> = None;
    // With a looseness, the first solution that reaches it; else the nearest one.
    let mut nearest: Option<Outcome> = None;
    for (pass, rules) in passes {
        // A pass that would see exactly what the previous one saw cannot do better.
        let effective = rules.effective(prepared);
        if previous.is_some_and(|p| p == effective) {
            continue;
        }
        previous = Some(effective);
        if let Some((breaks, looseness)) = scratch.run(prepared, params, &effective) {
            let found = Outcome {
                breaks,
                pass,
                looseness,
            };
            if looseness == params.looseness {
                return found;
            }
            if nearest.as_ref().is_none_or(|n| {
                (params.looseness - looseness).abs() < (params.looseness - n.looseness).abs()
            }) {
                nearest = Some(found);
            }
        }
    }
    if let Some(found) = nearest {
        return found;
    }
    let last = PassRules {
        flagged: true,
        emergency: true,
        threshold: f64::INFINITY,
        extra_stretch: emergency_stretch,
        max_ratio: f64::INFINITY,
        last_resort: true,
    };
    let (breaks, looseness) = scratch.run(prepared, params, &last).unwrap_or_else(|| {
        // Unreachable by construction (the last resort always finds a path); still,
        // never fail: one line holding everything.
        (
            vec![Break {
                index: items.len() - 1,
                ratio: 0.0,
                flagged: false,
                overfull: true,
            }],
            0,
        )
    });
    Outcome {
        breaks,
        pass: Pass::LastResort,
        looseness,
    }
}

/// `x` if finite, else `fallback`.
fn finite_or(x: f32, fallback: f32) -> f32 {
    if x.is_finite() { x } else { fallback }
}
