//! Unit tests of the line breaker on fixed-width boxes (one unit per character); the
//! randomised invariant checks are in `random.rs`, looseness in `looseness.rs`, scaling
//! neighbours and lines kept from a hyphen in `texture.rs`, windows of huge paragraphs
//! in `window.rs`.

mod looseness;
mod random;
mod texture;
mod window;

use random::random_paragraph;

use super::*;

/// A space: width 1, stretch 0.5, shrink 0.33.
const SPACE: Item = Item::Glue {
    width: 1.0,
    stretch: 0.5,
    shrink: 0.33,
};

/// Items from a mini language: letters are one unit each (a run of letters is one box),
/// ' ' a space, '-' a hyphenation point (flagged, penalty 50, hyphen width 1),
/// '|' an emergency break (penalty 0, no width), '\n' a forced break.
fn para(text: &str) -> Vec<Item> {
    let mut items = Vec::new();
    let mut run = 0usize;
    let flush = |items: &mut Vec<Item>, run: &mut usize| {
        if *run > 0 {
            items.push(Item::Box {
                width: *run as f32,
                stretch: 0.0,
                shrink: 0.0,
            });
            *run = 0;
        }
    };
    for c in text.chars() {
        match c {
            ' ' => {
                flush(&mut items, &mut run);
                items.push(SPACE);
            }
            '-' => {
                flush(&mut items, &mut run);
                items.push(hyphen(50.0));
            }
            '|' => {
                flush(&mut items, &mut run);
                items.push(Item::Penalty {
                    width: 0.0,
                    penalty: 0.0,
                    flagged: false,
                    kind: PenaltyKind::Emergency,
                });
            }
            '\n' => {
                flush(&mut items, &mut run);
                items.push(forced());
            }
            _ => run += 1,
        }
    }
    flush(&mut items, &mut run);
    items
}

fn hyphen(penalty: f32) -> Item {
    Item::Penalty {
        width: 1.0,
        penalty,
        flagged: true,
        kind: PenaltyKind::Normal,
    }
}

fn forced() -> Item {
    Item::Penalty {
        width: 0.0,
        penalty: -INFINITE,
        flagged: false,
        kind: PenaltyKind::Normal,
    }
}

/// Natural width, stretch and shrink of each line, computed independently of the breaker.
#[derive(Debug, Clone, Copy)]
struct Measured {
    natural: f32,
    stretch: f32,
    shrink: f32,
    /// No interword glue inside.
    words: usize,
}

fn measure(items: &[Item], breaks: &[Break]) -> Vec<Measured> {
    let mut out = Vec::new();
    let mut start = 0usize;
    for (n, b) in breaks.iter().enumerate() {
        if n > 0 {
            // Drop glue and penalties after the previous break.
            while start < items.len() {
                match items[start] {
                    Item::Box { .. } => break,
                    Item::Penalty { penalty, .. } if penalty <= -INFINITE => break,
                    _ => start += 1,
                }
            }
        }
        let last = b.index + 1 == items.len();
        let end = if matches!(items[b.index], Item::Box { .. }) {
            b.index + 1
        } else {
            b.index
        };
        let mut m = Measured {
            natural: 0.0,
            stretch: 0.0,
            shrink: 0.0,
            words: 1,
        };
        for i in start..end.max(start) {
            match items[i] {
                Item::Box {
                    width,
                    stretch,
                    shrink,
                } => {
                    m.natural += width;
                    m.stretch += stretch;
                    m.shrink += shrink;
                }
                Item::Glue {
                    width,
                    stretch,
                    shrink,
                } => {
                    m.natural += width;
                    m.stretch += stretch;
                    m.shrink += shrink;
                    if i > 0 && matches!(items[i - 1], Item::Box { .. }) {
                        m.words += 1;
                    }
                }
                Item::Penalty { .. } => {}
            }
        }
        if let Item::Penalty { width, penalty, .. } = items[b.index]
            && (!last || penalty <= -INFINITE)
        {
            m.natural += width;
        }
        out.push(m);
        start = b.index + 1;
    }
    out
}

/// Checks the invariants every solution must hold and returns the measured lines.
fn check(items: &[Item], breaks: &[Break], width: &dyn Fn(usize) -> f32) -> Vec<Measured> {
    assert_eq!(breaks.last().map(|b| b.index), Some(items.len() - 1));
    for pair in breaks.windows(2) {
        assert!(pair[0].index < pair[1].index, "breaks in order: {breaks:?}");
    }
    let lines = measure(items, breaks);
    for (n, (b, m)) in breaks.iter().zip(&lines).enumerate() {
        let w = width(n);
        assert!(b.ratio >= -1.0, "line {n}: ratio {} < -1", b.ratio);
        assert!(b.ratio.is_finite());
        if !b.overfull {
            assert!(
                m.natural - m.shrink <= w + 1e-3,
                "line {n} overflows: {m:?} width {w} {breaks:?}"
            );
        }
        if b.ratio < 0.0 {
            let set = m.natural + b.ratio * m.shrink;
            assert!(
                b.overfull || (set - w).abs() < 1e-3,
                "line {n} shrunk to {set}, width {w}"
            );
        }
    }
    lines
}

fn uniform(w: f32) -> impl Fn(usize) -> f32 {
    move |_| w
}

/// Longest run of consecutive flagged breaks.
fn hyphen_run(breaks: &[Break]) -> usize {
    let (mut best, mut run) = (0, 0);
    for b in breaks {
        run = if b.flagged { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

/// First-fit: each line takes as many items as fit (shrinking allowed).
fn first_fit_first_break(items: &[Item], width: f32) -> usize {
    let mut natural = 0.0;
    let mut shrink = 0.0;
    let mut last_fit = 0;
    for (i, item) in items.iter().enumerate() {
        match *item {
            Item::Box { width: w, .. } => natural += w,
            Item::Glue {
                width: w,
                shrink: z,
                ..
            } => {
                if natural - shrink <= width {
                    last_fit = i;
                }
                natural += w;
                shrink += z;
            }
            Item::Penalty { .. } => {}
        }
        if natural - shrink > width {
            break;
        }
    }
    last_fit
}

/// Deterministic pseudo-random numbers (a 64-bit LCG).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as u32
    }
    fn below(&mut self, n: u32) -> u32 {
        self.next() % n
    }
}

/// Replaces every glue of `items` by `glue`.
fn with_glue(items: Vec<Item>, glue: Item) -> Vec<Item> {
    items
        .into_iter()
        .map(|i| {
            if matches!(i, Item::Glue { .. }) {
                glue
            } else {
                i
            }
        })
        .collect()
}

fn indices(breaks: &[Break]) -> Vec<usize> {
    breaks.iter().map(|b| b.index).collect()
}

/// Total demerits of `breaks` under pass-1 rules and the default parameters, computed
/// independently of the breaker (uniform measure, glue breaks only); `None` if a line is
/// not acceptable in pass 1.
fn pass_one_demerits(items: &[Item], breaks: &[Break], width: f32) -> Option<f64> {
    let p = Params::default();
    let lines = measure(items, breaks);
    let mut total = 0.0f64;
    let mut prev_fitness = 2i32;
    for (n, m) in lines.iter().enumerate() {
        let last = n + 1 == lines.len();
        let (natural, stretch, shrink) = (m.natural as f64, m.stretch as f64, m.shrink as f64);
        let w = width as f64;
        let diff = w - natural;
        let (badness, fitness) = if diff >= 0.0 && (last || diff < 1e-9) {
            (0.0, 2)
        } else if diff > 0.0 {
            let r = if stretch > 0.0 {
                diff / stretch
            } else {
                f64::INFINITY
            };
            if r > p.max_ratio as f64 {
                return None;
            }
            let b = (100.0 * r * r * r).min(10_000.0);
            (
                b,
                if b > 99.0 {
                    0
                } else if b > 12.0 {
                    1
                } else {
                    2
                },
            )
        } else {
            let r = if shrink > 0.0 {
                diff / shrink
            } else {
                f64::NEG_INFINITY
            };
            if r < -1.0 {
                return None;
            }
            let b = -100.0 * r * r * r;
            (b, if b > 12.0 { 3 } else { 2 })
        };
        if badness > p.pretolerance as f64 {
            return None;
        }
        let cost = p.line_penalty as f64 + badness;
        let mut d = cost * cost;
        if (fitness - prev_fitness).abs() > 1 {
            d += p.adj_demerits as f64;
        }
        if last
            && (natural < p.short_last_line_fraction as f64 * w
                || (m.words == 1 && natural < p.single_word_last_line_fraction as f64 * w))
        {
            d += p.short_last_line_demerits as f64;
        }
        prev_fitness = fitness;
        total += d;
    }
    Some(total)
}

#[test]
fn empty_paragraph_has_no_lines() {
    let o = break_paragraph(&[], &uniform(10.0), &Params::default());
    assert!(o.breaks.is_empty());
    assert_eq!(o.pass, Pass::Empty);
}

#[test]
fn one_box_paragraph() {
    let items = para("aaaaa");
    let fits = break_lines(&items, &uniform(10.0), &Params::default());
    assert_eq!(
        fits,
        vec![Break {
            index: 0,
            ratio: 0.0,
            flagged: false,
            overfull: false
        }]
    );
    let wide = break_lines(&items, &uniform(3.0), &Params::default());
    assert_eq!(indices(&wide), vec![0]);
    assert!(wide[0].overfull);
    assert_eq!(wide[0].ratio, -1.0);
}

#[test]
fn total_fit_beats_first_fit() {
    // First-fit fills line 1 ("a aa aa a a", shrunk) and leaves "aaaaa a" to be
    // stretched 6 times its stretch; total-fit breaks one word earlier.
    let items = para("a aa aa a a aaaaa a aaaaaa");
    let o = break_paragraph(&items, &uniform(10.0), &Params::default());
    assert_eq!(o.pass, Pass::First);
    assert_eq!(indices(&o.breaks), vec![7, 13, 14]);
    assert_eq!(first_fit_first_break(&items, 10.0), 9);
    let lines = check(&items, &o.breaks, &uniform(10.0));
    assert!((o.breaks[0].ratio - 2.0 / 3.0).abs() < 1e-5);
    assert!((o.breaks[1].ratio - 1.0).abs() < 1e-5);
    assert_eq!(lines[2].natural, 6.0);
}

#[test]
fn total_fit_matches_brute_force() {
    let mut rng = Lcg(3);
    let mut compared = 0;
    for _ in 0..300 {
        let words = 3 + rng.below(9) as usize;
        let mut text = String::new();
        for k in 0..words {
            if k > 0 {
                text.push(' ');
            }
            text.extend(std::iter::repeat_n('a', 1 + rng.below(6) as usize));
        }
        let glue = Item::Glue {
            width: 1.0,
            stretch: 1.0,
            shrink: 0.5,
        };
        let items = with_glue(para(&text), glue);
        let width = 9.0 + rng.below(6) as f32;
        let o = break_paragraph(&items, &uniform(width), &Params::default());
        check(&items, &o.breaks, &uniform(width));
        let glue: Vec<usize> = (0..items.len())
            .filter(|&i| matches!(items[i], Item::Glue { .. }))
            .collect();
        let mut best: Option<f64> = None;
        for mask in 0u32..(1 << glue.len()) {
            let mut breaks: Vec<Break> = (0..glue.len())
                .filter(|k| mask & (1 << k) != 0)
                .map(|k| Break {
                    index: glue[k],
                    ratio: 0.0,
                    flagged: false,
                    overfull: false,
                })
                .collect();
            breaks.push(Break {
                index: items.len() - 1,
                ratio: 0.0,
                flagged: false,
                overfull: false,
            });
            if let Some(d) = pass_one_demerits(&items, &breaks, width) {
                best = Some(best.map_or(d, |b: f64| b.min(d)));
            }
        }
        match best {
            Some(best) => {
                assert_eq!(o.pass, Pass::First, "{text:?} at {width}");
                let got = pass_one_demerits(&items, &o.breaks, width).expect("feasible");
                assert!(
                    (got - best).abs() < 1e-6 * best.max(1.0),
                    "{text:?}: {got} vs {best}"
                );
                compared += 1;
            }
            None => assert_ne!(o.pass, Pass::First, "{text:?} at {width}"),
        }
    }
    assert!(
        compared > 100,
        "only {compared} paragraphs had a pass-1 solution"
    );
}

#[test]
fn consecutive_hyphens_are_limited() {
    let items =
        para("aa-aa aaa aaaaa-aa aaaaaa-aa aa-a-aaa aaa aa-aa-a-a-aa aaa aaaa aa-a-a-a-aaa aa aa");
    let w = uniform(16.0);
    let free = Params {
        double_hyphen_demerits: 0.0,
        max_consecutive_hyphens: 10,
        ..Params::default()
    };
    let unlimited = break_paragraph(&items, &w, &free);
    assert_eq!(unlimited.pass, Pass::Second);
    assert!(hyphen_run(&unlimited.breaks) >= 3, "{unlimited:?}");
    for max in [0, 1, 2] {
        let limited = Params {
            max_consecutive_hyphens: max,
            ..free.clone()
        };
        let o = break_paragraph(&items, &w, &limited);
        check(&items, &o.breaks, &w);
        assert!(hyphen_run(&o.breaks) <= max, "max {max}: {o:?}");
        assert!(o.breaks.iter().all(|b| !b.overfull));
    }
}

#[test]
fn first_pass_avoids_hyphens_when_it_can() {
    let items = para("a aa aa a a aa-aaa a aaa-aaa");
    let o = break_paragraph(&items, &uniform(10.0), &Params::default());
    assert_eq!(o.pass, Pass::First);
    assert!(o.breaks.iter().all(|b| !b.flagged));
}

#[test]
fn second_pass_hyphenates_when_needed() {
    let items = para("aaaa aaaa-aaaa aa");
    let o = break_paragraph(&items, &uniform(10.0), &Params::default());
    assert_eq!(o.pass, Pass::Second);
    assert_eq!(indices(&o.breaks), vec![3, 6]);
    assert!(o.breaks[0].flagged);
    assert_eq!(o.breaks[0].ratio, 0.0);
    let lines = check(&items, &o.breaks, &uniform(10.0));
    assert_eq!(lines[0].natural, 10.0, "the hyphen's width counts");
}

#[test]
fn emergency_stretch_pass_allows_loose_lines() {
    let items = para("aaaaaa aaaaaa aaaaaaaa");
    let w = uniform(15.0);
    let strict = break_paragraph(&items, &w, &Params::default());
    assert_eq!(strict.pass, Pass::LastResort);
    let params = Params {
        emergency_stretch: 3.0,
        ..Params::default()
    };
    let o = break_paragraph(&items, &w, &params);
    assert_eq!(o.pass, Pass::EmergencyStretch);
    assert_eq!(indices(&o.breaks), vec![3, 4]);
    assert!(
        (o.breaks[0].ratio - 4.0).abs() < 1e-5,
        "ratio against the real stretch"
    );
    check(&items, &o.breaks, &w);
}

#[test]
fn emergency_breaks_only_when_needed() {
    let items = para("aa aaaa|aaaa|aaaa aa");
    let is_emergency = |i: usize| {
        matches!(
            items[i],
            Item::Penalty {
                kind: PenaltyKind::Emergency,
                ..
            }
        )
    };
    let wide = break_paragraph(&items, &uniform(20.0), &Params::default());
    assert!(wide.pass < Pass::EmergencyBreaks);
    assert!(wide.breaks.iter().all(|b| !is_emergency(b.index)));

    let narrow = break_paragraph(&items, &uniform(9.0), &Params::default());
    assert!(narrow.pass >= Pass::EmergencyBreaks, "{narrow:?}");
    assert!(narrow.breaks.iter().any(|b| is_emergency(b.index)));
    assert!(narrow.breaks.iter().all(|b| !b.overfull));
    check(&items, &narrow.breaks, &uniform(9.0));
}

#[test]
fn never_overflows_when_breaking_is_possible() {
    // Rigid spaces: no line can be justified, yet every word fits a line.
    let rigid = Item::Glue {
        width: 1.0,
        stretch: 0.0,
        shrink: 0.0,
    };
    let items = with_glue(para("aaa aaa aaaa aa aaaaaaa a aaaa aaa"), rigid);
    for width in [7.0, 8.0, 9.5, 11.0] {
        let o = break_paragraph(&items, &uniform(width), &Params::default());
        assert_eq!(o.pass, Pass::LastResort, "width {width}: {o:?}");
        let lines = check(&items, &o.breaks, &uniform(width));
        assert!(o.breaks.iter().all(|b| !b.overfull));
        assert!(lines.iter().all(|m| m.natural <= width));
    }
}

#[test]
fn a_box_wider_than_the_line_is_the_only_overflow() {
    let items = para("aa aaaaaaaaaaaaaaa aa aa aaa");
    let w = uniform(8.0);
    let o = break_paragraph(&items, &w, &Params::default());
    let lines = check(&items, &o.breaks, &w);
    let overfull: Vec<usize> = (0..o.breaks.len())
        .filter(|&n| o.breaks[n].overfull)
        .collect();
    assert_eq!(overfull.len(), 1, "{o:?}");
    let n = overfull[0];
    assert_eq!(lines[n].natural, 15.0, "the long word is alone on its line");
    assert_eq!(o.breaks[n].ratio, -1.0);
}

#[test]
fn zero_width_lines_put_one_piece_per_line() {
    let items = para("aa aaa a");
    let o = break_paragraph(&items, &uniform(0.0), &Params::default());
    assert_eq!(indices(&o.breaks), vec![1, 3, 4]);
    assert!(o.breaks.iter().all(|b| b.overfull));
}

#[test]
fn forced_breaks_end_lines_with_a_fill() {
    let items = para("aaa aa\naaaa aaa");
    let w = uniform(20.0);
    let o = break_paragraph(&items, &w, &Params::default());
    assert_eq!(indices(&o.breaks), vec![3, 6]);
    assert_eq!(o.breaks[0].ratio, 0.0);
    assert_eq!(o.breaks[1].ratio, 0.0);
    check(&items, &o.breaks, &w);

    // Two forced breaks in a row make an empty line.
    let items = para("aa\n\naa");
    let o = break_paragraph(&items, &w, &Params::default());
    assert_eq!(indices(&o.breaks), vec![1, 2, 3]);

    // A forced break in the middle of a long paragraph is always taken.
    let items = para("aa aaa aaaa aa aaa a aaa\naa aaaaa aa aa aaa aaaa aa");
    let o = break_paragraph(&items, &uniform(9.0), &Params::default());
    let forced_at = items.iter().position(|i| *i == forced()).expect("forced");
    assert!(indices(&o.breaks).contains(&forced_at));
    check(&items, &o.breaks, &uniform(9.0));

    // The TeX encoding of the paragraph end gives the same lines.
    let mut tex = para("a aa aa a a aaaaa a aaaaaa");
    tex.extend([
        Item::Penalty {
            width: 0.0,
            penalty: INFINITE,
            flagged: false,
            kind: PenaltyKind::Normal,
        },
        Item::Glue {
            width: 0.0,
            stretch: 1.0e9,
            shrink: 0.0,
        },
        forced(),
    ]);
    let o = break_paragraph(&tex, &uniform(10.0), &Params::default());
    assert_eq!(indices(&o.breaks), vec![7, 13, 17]);
    assert_eq!(o.breaks[2].ratio, 0.0);
}

#[test]
fn short_last_lines_are_avoided() {
    let items = para("aaaaaa aa aaa aaaaaaa aa aaa aaaaaa a a aa a");
    let w = uniform(14.0);
    let runts_allowed = Params {
        short_last_line_demerits: 0.0,
        ..Params::default()
    };
    let o = break_paragraph(&items, &w, &runts_allowed);
    let lines = measure(&items, &o.breaks);
    assert_eq!(lines.last().map(|m| m.natural), Some(1.0));

    let o = break_paragraph(&items, &w, &Params::default());
    assert_eq!(o.pass, Pass::First);
    assert_eq!(indices(&o.breaks), vec![5, 11, 20]);
    let lines = check(&items, &o.breaks, &w);
    let last = lines.last().expect("lines");
    assert!(last.natural >= 0.3 * 14.0, "{last:?}");
}

#[test]
fn varying_line_widths() {
    let items = para("aaa aa aaaa a aa aaa aaaaa aa a aaaa aa aaa aa aaaa a aaa");
    let indented = |n: usize| if n == 0 { 8.0 } else { 14.0 };
    let o = break_paragraph(&items, &indented, &Params::default());
    let lines = check(&items, &o.breaks, &indented);
    assert!(lines[0].natural - lines[0].shrink <= 8.0);
    let flat = break_paragraph(&items, &uniform(14.0), &Params::default());
    assert_ne!(o.breaks[0].index, flat.breaks[0].index);

    // Widths that grow line after line (a shape around a figure).
    let growing = |n: usize| 6.0 + 2.0 * n as f32;
    let o = break_paragraph(&items, &growing, &Params::default());
    check(&items, &o.breaks, &growing);
    assert!(o.breaks.iter().all(|b| !b.overfull));
}

#[test]
fn fitness_classes_cost_adj_demerits() {
    let glue = Item::Glue {
        width: 1.0,
        stretch: 1.0,
        shrink: 1.0,
    };
    let items = with_glue(para("aaaaaaa a aaaa a aaa a aaaa aaaaa aa a aaaaa"), glue);
    let w = uniform(14.0);
    let base = Params {
        max_ratio: f32::INFINITY,
        pretolerance: -1.0,
        ..Params::default()
    };
    let o = break_paragraph(&items, &w, &base);
    assert_eq!(indices(&o.breaks), vec![7, 15, 20]);
    let no_adj = Params {
        adj_demerits: 0.0,
        ..base.clone()
    };
    let loose_then_tight = break_paragraph(&items, &w, &no_adj);
    assert_eq!(indices(&loose_then_tight.breaks), vec![5, 13, 20]);
    // A loose line (ratio 2/3) next to a tight one (-2/3): classes 1 and 3.
    assert!(loose_then_tight.breaks[1].ratio > 0.5);
    assert!(loose_then_tight.breaks[2].ratio < -0.5);
}

#[test]
fn box_stretch_counts_like_glue() {
    let rigid = Item::Glue {
        width: 1.0,
        stretch: 0.0,
        shrink: 0.0,
    };
    let stretchy = |items: Vec<Item>| -> Vec<Item> {
        items
            .into_iter()
            .map(|i| match i {
                Item::Box { width, .. } => Item::Box {
                    width,
                    stretch: 0.5,
                    shrink: 0.1,
                },
                other => other,
            })
            .collect()
    };
    let plain = with_glue(para("aaaa aaaa aaaa"), rigid);
    let o = break_paragraph(&plain, &uniform(10.0), &Params::default());
    assert_eq!(o.pass, Pass::LastResort);
    let items = stretchy(plain);
    let o = break_paragraph(&items, &uniform(10.0), &Params::default());
    assert_eq!(o.pass, Pass::First);
    assert_eq!(indices(&o.breaks), vec![3, 4]);
    assert!((o.breaks[0].ratio - 1.0).abs() < 1e-5);
}

#[test]
fn results_are_deterministic() {
    let items =
        para("aa-aa aaa aaaaa-aa aaaaaa-aa aa-a-aaa aaa aa-aa-a-a-aa aaa aaaa aa-a-a-a-aaa aa aa");
    let w = |n: usize| 14.0 + (n % 3) as f32;
    let first = break_paragraph(&items, &w, &Params::for_measure(15.0));
    for _ in 0..5 {
        assert_eq!(
            break_paragraph(&items, &w, &Params::for_measure(15.0)),
            first
        );
    }
}

#[test]
fn odd_inputs_never_panic() {
    let nan_box = Item::Box {
        width: f32::NAN,
        stretch: f32::INFINITY,
        shrink: -3.0,
    };
    let fill = Item::Glue {
        width: 0.0,
        stretch: f32::INFINITY,
        shrink: 0.0,
    };
    let odd_penalty = Item::Penalty {
        width: f32::NAN,
        penalty: f32::NAN,
        flagged: true,
        kind: PenaltyKind::Emergency,
    };
    let cases: Vec<Vec<Item>> = vec![
        vec![SPACE],
        vec![forced()],
        vec![hyphen(50.0)],
        vec![SPACE, SPACE, forced(), SPACE],
        vec![odd_penalty, nan_box, SPACE, nan_box, fill, odd_penalty],
        vec![forced(), forced(), forced()],
        para(" aa aa "),
        para("-aa- -aa"),
        para("aa\n"),
        para("\naa"),
    ];
    let widths: [&dyn Fn(usize) -> f32; 4] = [&|_| 10.0, &|_| 0.0, &|_| -5.0, &|n| {
        if n % 2 == 0 { f32::NAN } else { f32::INFINITY }
    }];
    for items in &cases {
        for w in widths {
            let breaks = break_lines(items, w, &Params::default());
            assert_eq!(breaks.last().map(|b| b.index), Some(items.len() - 1));
            assert!(breaks.windows(2).all(|p| p[0].index < p[1].index));
            assert!(
                breaks
                    .iter()
                    .all(|b| b.ratio.is_finite() && b.ratio >= -1.0)
            );
        }
    }
    let weird = Params {
        tolerance: f32::NAN,
        pretolerance: f32::INFINITY,
        line_penalty: f32::NAN,
        emergency_stretch: -1.0,
        max_consecutive_hyphens: usize::MAX,
        ..Params::default()
    };
    let items = para("aa-aa aaa aaaaa-aa aaaaaa-aa");
    assert!(!break_lines(&items, &uniform(8.0), &weird).is_empty());
}
