//! One pass of the total-fit search: dynamic programming over breakpoints with an
//! active list of nodes kept in an arena.

use super::prepare::{Point, Prepared};
use super::{Break, FORBIDDEN_HYPHEN_DEMERITS, INFINITE, Params};

/// Width slack below which a line counts as an exact fit (points).
const EPS: f64 = 1.0e-4;
/// Badness cap (TeX's `inf_bad`).
const INF_BAD: f64 = INFINITE as f64;
/// Fitness classes, TeX's order.
const VERY_LOOSE: u8 = 0;
const LOOSE: u8 = 1;
const DECENT: u8 = 2;
const TIGHT: u8 = 3;
/// `prev` of the paragraph-start node.
const NONE: u32 = u32::MAX;

/// What one pass allows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct PassRules {
    /// Flagged (hyphen) breaks allowed.
    pub flagged: bool,
    /// Emergency (inside-word) breaks allowed.
    pub emergency: bool,
    /// Largest badness accepted.
    pub threshold: f64,
    /// Stretch added to every line when computing badness (not the reported ratio).
    pub extra_stretch: f64,
    /// Largest real stretch ratio accepted.
    pub max_ratio: f64,
    /// Accept every line that does not overflow, exceed the hyphen limit only when
    /// needed, and overflow only when nothing else is possible.
    pub last_resort: bool,
}

impl PassRules {
    /// The rules as far as `prepared` can tell them apart (no flagged points: the
    /// `flagged` switch makes no difference).
    pub(super) fn effective(&self, prepared: &Prepared) -> PassRules {
        PassRules {
            flagged: self.flagged && prepared.has_flagged,
            emergency: self.emergency && prepared.has_emergency,
            ..*self
        }
    }

    /// May a line end at `p` in this pass?
    fn allows(&self, p: &Point) -> bool {
        p.forced || ((self.flagged || !p.flagged) && (self.emergency || !p.emergency))
    }
}

/// Total cost of a path, compared lexicographically: overflow (points), then hyphen-limit
/// excess (lines), then demerits. The first two are nonzero only in the last resort.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Cost {
    overflow: f64,
    excess: u32,
    demerits: f64,
}

impl Cost {
    const ZERO: Cost = Cost {
        overflow: 0.0,
        excess: 0,
        demerits: 0.0,
    };

    fn less(&self, other: &Cost) -> bool {
        if self.overflow != other.overflow {
            return self.overflow < other.overflow;
        }
        if self.excess != other.excess {
            return self.excess < other.excess;
        }
        self.demerits < other.demerits
    }
}

/// A feasible break reached by the best path for its state.
#[derive(Debug, Clone, Copy)]
struct Node {
    /// Index into `Prepared::points`, `NONE` for the paragraph start.
    point: u32,
    /// First item of the next line.
    start: usize,
    /// The next line's number, or `easy_line` for any line from there on.
    line: u32,
    /// Fitness class of the line ending here.
    fitness: u8,
    /// The line ending here is justified (not set with a fill, not the paragraph start)
    /// and scaled by `scale` (see `Params::expansion`). Merging keeps fitness classes
    /// apart, not scalings: finer states changed almost nothing on real editions.
    scaled: bool,
    scale: f32,
    /// Flagged breaks in a row ending here (0 if this break is not flagged).
    hyphens: u8,
    /// Best cost of a path to this state.
    cost: Cost,
    /// Previous node of that path.
    prev: u32,
    /// Ratio of the line ending here.
    ratio: f32,
    /// The line ending here overflows.
    overfull: bool,
}

/// Parameters as clean `f64`s.
struct Costs {
    line_penalty: f64,
    adj: f64,
    double_hyphen: f64,
    final_hyphen: f64,
    max_hyphens: u8,
    short_fraction: f64,
    single_word_fraction: f64,
    short_demerits: f64,
    /// Scaling at ratio 1 (`Params::expansion`), the step beyond which neighbours cost
    /// `expansion_demerits`, and that cost; `step` is infinite when scaling is off.
    expansion: f64,
    step: f64,
    expansion_demerits: f64,
}

impl Costs {
    fn new(p: &Params) -> Costs {
        let f = |x: f32| if x.is_finite() { f64::from(x) } else { 0.0 };
        Costs {
            line_penalty: f(p.line_penalty),
            adj: f(p.adj_demerits),
            double_hyphen: f(p.double_hyphen_demerits),
            final_hyphen: f(p.final_hyphen_demerits),
            max_hyphens: p.max_consecutive_hyphens.min(200) as u8,
            short_fraction: f(p.short_last_line_fraction),
            single_word_fraction: f(p.single_word_last_line_fraction),
            short_demerits: f(p.short_last_line_demerits),
            expansion: f(p.expansion).clamp(0.0, 1.0),
            step: if f(p.expansion) > 0.0 && f(p.expansion_step) > 0.0 {
                f(p.expansion_step)
            } else {
                f64::INFINITY
            },
            expansion_demerits: f(p.expansion_demerits).max(0.0),
        }
    }
}

/// Buffers for the passes, reused from paragraph to paragraph, and the line widths.
#[derive(Default)]
pub(super) struct Scratch {
    /// Width of each possible line of the current paragraph.
    widths: Vec<f64>,
    /// Lines from this one on all have the same width: their number needs no tracking.
    easy_line: u32,
    nodes: Vec<Node>,
    active: Vec<u32>,
    next_active: Vec<u32>,
    dead: Vec<u32>,
    candidates: Vec<Node>,
}

impl Scratch {
    /// Asks the width of every line a paragraph with `max_lines` lines could have (NaN
    /// and negatives become 0) and finds `easy_line`, from which all widths are equal.
    /// With `count_lines` every line number is tracked, so that solutions of different
    /// lengths survive side by side (for [`Params::looseness`]); otherwise at least the
    /// numbers of the first `track` lines are (for [`Params::no_hyphen_after`]).
    pub(super) fn measure_lines(
        &mut self,
        line_width: &dyn Fn(usize) -> f32,
        max_lines: usize,
        count_lines: bool,
        track: usize,
    ) {
        self.widths.clear();
        for n in 0..max_lines.max(1) {
            let w = line_width(n);
            let w = if w.is_nan() {
                0.0
            } else {
                f64::from(w).clamp(0.0, 1.0e6)
            };
            self.widths.push(w);
        }
        let last = self.widths[self.widths.len() - 1];
        if count_lines {
            self.widths.push(last);
            self.easy_line = self.widths.len() as u32;
            return;
        }
        let same = self.widths.iter().rev().take_while(|&&w| w == last).count();
        // Line `easy_line` must still have a width of its own: at most `len - 1`.
        let track = track.min(self.widths.len() - 1);
        self.easy_line = (self.widths.len() - same).max(track) as u32;
    }

    /// Runs one pass (after [`Scratch::measure_lines`]); `None` when no path satisfies
    /// its rules (never in the last resort). With a nonzero [`Params::looseness`] the
    /// solution is the cheapest of those whose line count is nearest the optimum's plus
    /// the looseness; the second value is the looseness reached.
    pub(super) fn run(
        &mut self,
        prep: &Prepared,
        params: &Params,
        rules: &PassRules,
    ) -> Option<(Vec<Break>, i32)> {
        let cx = Context {
            prep,
            costs: Costs::new(params),
            rules: *rules,
            easy_line: self.easy_line,
            no_hyphen: &params.no_hyphen_after,
        };
        self.nodes.clear();
        self.active.clear();
        self.nodes.push(Node {
            point: NONE,
            start: 0,
            line: 0,
            fitness: DECENT,
            scaled: false,
            scale: 0.0,
            hyphens: 0,
            cost: Cost::ZERO,
            prev: NONE,
            ratio: 0.0,
            overfull: false,
        });
        self.active.push(0);
        // Nodes at `active[low_end..]` all have `line == easy_line` (same measure).
        let mut low_end = usize::from(cx.easy_line > 0);

        for (pi, p) in prep.points.iter().enumerate() {
            if !rules.allows(p) {
                continue;
            }
            self.candidates.clear();
            self.dead.clear();
            self.next_active.clear();
            let mut next_low_end = 0;
            let mut k = 0;
            while k < self.active.len() {
                let ai = self.active[k];
                let a = self.nodes[ai as usize];
                let width = self.widths[a.line as usize];
                match evaluate(&cx, &a, ai, (p, pi), width, false) {
                    Outcome::Dead => self.dead.push(ai),
                    Outcome::TooLoose if k >= low_end => {
                        // Later nodes start later, so their lines (same measure) are
                        // shorter still: keep them all without looking.
                        self.next_active.extend_from_slice(&self.active[k..]);
                        break;
                    }
                    Outcome::Skip | Outcome::TooLoose => self.next_active.push(ai),
                    Outcome::Node(n) => {
                        self.next_active.push(ai);
                        merge(&mut self.candidates, n);
                    }
                }
                if a.line < cx.easy_line {
                    next_low_end = self.next_active.len();
                }
                k += 1;
            }
            if p.forced {
                // Every line must end here: no older node can reach further.
                self.next_active.clear();
            }
            if self.candidates.is_empty() && self.next_active.is_empty() {
                if !rules.last_resort {
                    return None;
                }
                // Nothing fits: break here from the nodes that just died (or, at a
                // forced break, from every node), least overflow first.
                let sources = if p.forced { &self.active } else { &self.dead };
                for &ai in sources {
                    let a = self.nodes[ai as usize];
                    let width = self.widths[a.line as usize];
                    if let Outcome::Node(n) = evaluate(&cx, &a, ai, (p, pi), width, true) {
                        merge(&mut self.candidates, n);
                    }
                }
            }
            prune_dominated(
                &mut self.candidates,
                cx.costs.adj + cx.costs.expansion_demerits,
            );
            if p.forced {
                next_low_end = 0;
            }
            for n in self.candidates.drain(..) {
                self.next_active.push(self.nodes.len() as u32);
                if n.line < cx.easy_line {
                    next_low_end = self.next_active.len();
                }
                self.nodes.push(n);
            }
            std::mem::swap(&mut self.active, &mut self.next_active);
            low_end = next_low_end;
            if self.active.is_empty() {
                return None;
            }
        }

        // The last point is forced, so the active nodes all end the paragraph.
        let mut best: Option<u32> = None;
        for &ai in &self.active {
            let better = match best {
                None => true,
                Some(b) => self.nodes[ai as usize]
                    .cost
                    .less(&self.nodes[b as usize].cost),
            };
            if better {
                best = Some(ai);
            }
        }
        let optimum = self.nodes[best? as usize].line as i64;
        let mut reached = 0;
        if params.looseness != 0 {
            // Line numbers are tracked (see `measure_lines`): `line` counts the lines.
            let target = optimum + i64::from(params.looseness);
            let distance = |ai: u32| (self.nodes[ai as usize].line as i64 - target).abs();
            for &ai in &self.active {
                let b = best.expect("an optimum exists");
                let (d, db) = (distance(ai), distance(b));
                if d < db
                    || (d == db
                        && self.nodes[ai as usize]
                            .cost
                            .less(&self.nodes[b as usize].cost))
                {
                    best = Some(ai);
                }
            }
            reached = (self.nodes[best? as usize].line as i64 - optimum) as i32;
        }
        let mut breaks = Vec::new();
        let mut at = best?;
        while at != NONE {
            let n = &self.nodes[at as usize];
            if n.point == NONE {
                break;
            }
            let p = &prep.points[n.point as usize];
            breaks.push(Break {
                index: p.index,
                ratio: n.ratio,
                flagged: p.flagged && !p.last,
                overfull: n.overfull,
            });
            at = n.prev;
        }
        breaks.reverse();
        Some((breaks, reached))
    }
}

/// What a line from an active node to a breakpoint gives.
enum Outcome {
    /// The line overflows, and so would every longer one: drop the node.
    Dead,
    /// Not acceptable here, but the node may reach a later break.
    Skip,
    /// Too loose: any later node (shorter line, same measure) is too loose as well.
    TooLoose,
    /// A new node.
    Node(Node),
}

/// What stays the same during one pass.
struct Context<'a> {
    prep: &'a Prepared,
    costs: Costs,
    rules: PassRules,
    easy_line: u32,
    /// Lines that should not end with a hyphen (`Params::no_hyphen_after`).
    no_hyphen: &'a [usize],
}

/// Evaluates the line from node `a` (arena index `ai`) to point `p` (index `pi`) of
/// measure `width`. `artificial` accepts it whatever it costs (last resort only).
fn evaluate(
    cx: &Context,
    a: &Node,
    ai: u32,
    (p, pi): (&Point, usize),
    width: f64,
    artificial: bool,
) -> Outcome {
    let (prep, costs, rules) = (cx.prep, &cx.costs, &cx.rules);
    let start = a.start;
    let end = p.material_end;
    let (material, stretch, shrink, spaces) = if end > start {
        let (s, e) = (&prep.sums[start], &prep.sums[end]);
        (
            e.width - s.width,
            e.stretch - s.stretch,
            e.shrink - s.shrink,
            e.spaces - s.spaces,
        )
    } else {
        (0.0, 0.0, 0.0, 0)
    };
    if !artificial {
        // Material only grows with later breaks, so an overflow here is final.
        if material - shrink > width + EPS {
            return Outcome::Dead;
        }
        // An empty line only between forced breaks (legal points guarantee the rest).
        if end <= start && !p.forced {
            return Outcome::Skip;
        }
    }
    let natural = material + p.width;
    let overflow = (natural - shrink - width).max(0.0);
    let overfull = overflow > EPS;
    if overfull && !artificial {
        return Outcome::Skip;
    }

    let diff = width - natural;
    let (ratio, badness, fitness) = if overfull {
        (-1.0, INF_BAD, TIGHT)
    } else if diff >= -EPS {
        if p.forced || diff <= EPS {
            (0.0, 0.0, DECENT)
        } else {
            let ratio = if stretch > EPS {
                diff / stretch
            } else {
                f64::INFINITY
            };
            if ratio > rules.max_ratio && !artificial {
                return Outcome::TooLoose;
            }
            // Emergency stretch only widens what is acceptable; the cost stays the
            // real badness, so loose lines remain expensive and appear only where
            // needed (TeX instead lets the extra stretch cheapen every line).
            let total = stretch + rules.extra_stretch;
            let acceptable = if total > EPS {
                100.0 * cube(diff / total) <= rules.threshold
            } else {
                INF_BAD <= rules.threshold
            };
            if !acceptable && !artificial {
                return Outcome::TooLoose;
            }
            let badness = if ratio.is_finite() {
                (100.0 * cube(ratio)).min(INF_BAD)
            } else {
                INF_BAD
            };
            let fitness = if badness > 99.0 {
                VERY_LOOSE
            } else if badness > 12.0 {
                LOOSE
            } else {
                DECENT
            };
            (
                if ratio.is_finite() { ratio } else { 0.0 },
                badness,
                fitness,
            )
        }
    } else {
        let ratio = if shrink > EPS {
            (diff / shrink).max(-1.0)
        } else {
            -1.0
        };
        let badness = 100.0 * cube(-ratio);
        if badness > rules.threshold && !artificial {
            return Outcome::Skip;
        }
        (ratio, badness, if badness > 12.0 { TIGHT } else { DECENT })
    };

    let mut excess = a.cost.excess;
    let hyphens = if p.flagged && !p.last {
        let h = a.hyphens.saturating_add(1);
        if h > costs.max_hyphens {
            if !(rules.last_resort || artificial) {
                return Outcome::Skip;
            }
            excess += 1;
        }
        h.min(costs.max_hyphens.saturating_add(1))
    } else {
        0
    };

    let base = costs.line_penalty + badness;
    let mut d = if base.abs() >= INF_BAD {
        INF_BAD * INF_BAD
    } else {
        base * base
    };
    if !p.forced {
        if p.penalty > 0.0 {
            d += p.penalty * p.penalty;
        } else if p.penalty < 0.0 {
            d -= p.penalty * p.penalty;
        }
    }
    if a.hyphens > 0 {
        if p.forced {
            d += costs.final_hyphen;
        } else if p.flagged {
            d += costs.double_hyphen;
        }
    }
    if fitness.abs_diff(a.fitness) > 1 {
        d += costs.adj;
    }
    // The glyph scaling the line is drawn with.
    let scaled = !p.forced && costs.step.is_finite();
    let scale = if scaled {
        costs.expansion * ratio.clamp(-1.0, 1.0)
    } else {
        0.0
    };
    if scaled && a.scaled && (scale - f64::from(a.scale)).abs() > costs.step + 1.0e-9 {
        d += costs.expansion_demerits;
    }
    if p.flagged && !p.last && a.line < cx.easy_line && cx.no_hyphen.contains(&(a.line as usize)) {
        d += f64::from(FORBIDDEN_HYPHEN_DEMERITS);
    }
    if p.last {
        let short = natural < costs.short_fraction * width
            || (spaces == 0 && natural < costs.single_word_fraction * width);
        if short && end > start {
            d += costs.short_demerits;
        }
    }

    Outcome::Node(Node {
        point: pi as u32,
        start: p.next_start,
        line: a.line.saturating_add(1).min(cx.easy_line),
        fitness,
        scaled,
        scale: scale as f32,
        hyphens,
        cost: Cost {
            overflow: a.cost.overflow + overflow,
            excess,
            demerits: a.cost.demerits + d,
        },
        prev: ai,
        ratio: ratio as f32,
        overfull,
    })
}

/// Keeps `n` if it is the cheapest candidate of its state (line, fitness, hyphen run).
fn merge(candidates: &mut Vec<Node>, n: Node) {
    let same = candidates
        .iter_mut()
        .find(|c| c.line == n.line && c.fitness == n.fitness && c.hyphens == n.hyphens);
    match same {
        Some(c) => {
            if n.cost.less(&c.cost) {
                *c = n;
            }
        }
        None => candidates.push(n),
    }
}

/// Drops candidates that another one at the same break beats by more than `adj`: a
/// fitness and scaling mismatch costs at most `adj` later, so they can never win.
fn prune_dominated(candidates: &mut Vec<Node>, adj: f64) {
    if candidates.len() < 2 {
        return;
    }
    let adj = adj.max(0.0);
    let mut i = 0;
    while i < candidates.len() {
        let y = candidates[i];
        let dominated = candidates.iter().enumerate().any(|(j, x)| {
            j != i
                && x.line == y.line
                && x.hyphens <= y.hyphens
                && x.cost.overflow <= y.cost.overflow
                && x.cost.excess <= y.cost.excess
                && (x.cost.demerits + adj < y.cost.demerits
                    || (x.cost.demerits + adj == y.cost.demerits && j < i))
        });
        if dominated {
            candidates.remove(i);
        } else {
            i += 1;
        }
    }
}

/// `x³`, multiplied out: `powi` may be lowered differently on other platforms.
fn cube(x: f64) -> f64 {
    x * x * x
}
