//! Texture: the penalty for neighbouring lines scaled apart, and lines that must not end
//! with a hyphen.

use super::*;

/// The scaling of each justified line as the caller draws it (`None` for a fill line).
fn scales(items: &[Item], breaks: &[Break], expansion: f32) -> Vec<Option<f32>> {
    breaks
        .iter()
        .map(|b| {
            let fill = b.index + 1 == items.len()
                || matches!(items[b.index], Item::Penalty { penalty, .. } if penalty <= -INFINITE);
            (!fill).then(|| expansion * b.ratio.clamp(-1.0, 1.0))
        })
        .collect()
}

/// Neighbouring justified lines whose scalings differ by more than `step`.
fn apart(scales: &[Option<f32>], step: f32) -> usize {
    scales
        .windows(2)
        .filter(|w| matches!(w, [Some(a), Some(b)] if (a - b).abs() > step + 1e-6))
        .count()
}

#[test]
fn neighbours_scaled_apart_cost_extra() {
    let mut rng = Lcg(88);
    let (mut free, mut penalised) = (0, 0);
    for round in 0..300 {
        let measure = 110.0 + rng.below(60) as f32;
        let width = uniform(measure);
        let items = random_paragraph(&mut rng, (measure / 6.0) as u32 - 1);
        let base = Params {
            expansion: 0.01,
            expansion_demerits: 0.0,
            ..Params::for_measure(measure)
        };
        let strict = Params {
            expansion_demerits: 1.0e6,
            ..base.clone()
        };
        let a = break_paragraph(&items, &width, &base);
        let b = break_paragraph(&items, &width, &strict);
        check(&items, &b.breaks, &width);
        assert!(b.breaks.iter().all(|x| !x.overfull), "round {round}");
        assert!(hyphen_run(&b.breaks) <= strict.max_consecutive_hyphens);
        free += apart(&scales(&items, &a.breaks, 0.01), 0.005);
        penalised += apart(&scales(&items, &b.breaks, 0.01), 0.005);
    }
    // The paragraphs have lines scaled apart, and the penalty removes most of them.
    assert!(free > 100, "{free}");
    // Many are unavoidable on such short paragraphs (about 78 % remain).
    assert!(penalised * 20 < free * 17, "{penalised} of {free}");
}

/// [`para`] with boxes that stretch and shrink by a tenth of their width.
fn stretchy(text: &str) -> Vec<Item> {
    para(text)
        .into_iter()
        .map(|item| match item {
            Item::Box { width, .. } => Item::Box {
                width,
                stretch: 0.1 * width,
                shrink: 0.1 * width,
            },
            other => other,
        })
        .collect()
}

#[test]
fn a_tight_line_beside_a_loose_one_is_evened_out() {
    // Measure 11: the optimum sets "aaaaa aaaaaa" tight (ratio -0.70) and "aaa aaaa a"
    // loose (+0.56), scaled 1.26 % apart; with the penalty the second line takes one
    // more word and is tight as well.
    let items = stretchy("aaaaa aaaaaa aaa aaaa a a a");
    let width = uniform(11.0);
    let base = Params {
        expansion: 0.01,
        expansion_demerits: 0.0,
        ..Params::default()
    };
    let a = break_paragraph(&items, &width, &base);
    let s = scales(&items, &a.breaks, 0.01);
    assert_eq!(apart(&s, 0.005), 1, "{s:?} {:?}", a.breaks);
    let e = break_paragraph(&items, &width, &Params::default());
    let strict = Params {
        expansion_demerits: 1.0e6,
        ..base.clone()
    };
    let strict = break_paragraph(&items, &width, &strict);
    assert_eq!(e, a, "without expansion, nothing to even out");
    check(&items, &strict.breaks, &width);
    let t = scales(&items, &strict.breaks, 0.01);
    assert_eq!(apart(&t, 0.005), 0, "{t:?} {:?}", strict.breaks);
    assert_eq!(strict.breaks.len(), a.breaks.len());
    // Scaling is the ratio times the expansion, within ±expansion.
    assert!(t.iter().flatten().all(|x| x.abs() <= 0.01));
}

#[test]
fn without_expansion_the_scaling_penalty_changes_nothing() {
    let mut rng = Lcg(5);
    for round in 0..100 {
        let measure = 150.0;
        let items = random_paragraph(&mut rng, 20);
        let base = Params::for_measure(measure);
        let strict = Params {
            expansion: 0.0,
            expansion_demerits: 1.0e9,
            ..base.clone()
        };
        assert_eq!(
            break_paragraph(&items, &uniform(measure), &base),
            break_paragraph(&items, &uniform(measure), &strict),
            "round {round}"
        );
    }
}

#[test]
fn a_line_can_be_kept_from_ending_with_a_hyphen() {
    // Measure 10: the first line ends with a hyphen in the optimum, and the paragraph
    // can also be set without one there in the same pass.
    let items = para("aa-a aaa-aa-a aaa-a aa-aa-aa");
    let width = uniform(10.0);
    let params = Params::for_measure(10.0);
    let free = break_paragraph(&items, &width, &params);
    assert!(free.breaks[0].flagged, "{free:?}");
    let kept = Params {
        no_hyphen_after: vec![0],
        ..params.clone()
    };
    let o = break_paragraph(&items, &width, &kept);
    check(&items, &o.breaks, &width);
    assert!(!o.breaks[0].flagged, "{o:?}");
    assert_eq!(o.pass, free.pass);
    // Another line's number changes nothing.
    let other = Params {
        no_hyphen_after: vec![3],
        ..params
    };
    assert_eq!(break_paragraph(&items, &width, &other), free);
}

#[test]
fn lines_kept_from_a_hyphen_are_counted_on_any_measure() {
    // Random paragraphs on a uniform measure (where line numbers are otherwise not
    // tracked) and with a narrower first line: a line that ends with a hyphen in the
    // optimum mostly does not once it is named.
    let mut rng = Lcg(31);
    let (mut named, mut moved) = (0, 0);
    for round in 0..300 {
        let measure = 100.0 + rng.below(80) as f32;
        let indent = if round % 2 == 0 { 0.0 } else { 12.0 };
        let width = move |n: usize| if n == 0 { measure - indent } else { measure };
        let items = random_paragraph(&mut rng, ((measure - indent - 2.0) / 6.0) as u32);
        let params = Params::for_measure(measure);
        let free = break_paragraph(&items, &width, &params);
        let Some(k) = free.breaks.iter().rposition(|b| b.flagged) else {
            continue;
        };
        named += 1;
        let kept = Params {
            no_hyphen_after: vec![k],
            ..params.clone()
        };
        let o = break_paragraph(&items, &width, &kept);
        check(&items, &o.breaks, &width);
        assert!(o.breaks.iter().all(|b| !b.overfull), "round {round}");
        if o.breaks.get(k).is_none_or(|b| !b.flagged) {
            moved += 1;
        } else {
            // Kept only when the pass had no other way.
            assert!(o.pass >= free.pass, "round {round}");
        }
    }
    assert!(named > 50, "{named}");
    // About three in four move; the rest have no other setting in the pass.
    assert!(moved * 3 >= named * 2, "{moved} of {named}");
}
