//! Randomised paragraphs: every solution the breaker finds holds the invariants
//! [`check`] tests, whatever the input.

use super::*;

/// A random paragraph: words no wider than `max_word` (so a solution without overflow
/// and without hyphens always exists), hyphenation and emergency points, some box
/// stretch, and now and then a forced break.
pub(super) fn random_paragraph(rng: &mut Lcg, max_word: u32) -> Vec<Item> {
    let mut items = Vec::new();
    let words = 1 + rng.below(60);
    let micro = rng.below(2) == 0;
    for k in 0..words {
        if k > 0 {
            if rng.below(40) == 0 {
                items.push(forced());
            } else {
                items.push(Item::Glue {
                    width: 2.5,
                    stretch: 1.25 + rng.below(3) as f32 * 0.25,
                    shrink: 0.8,
                });
            }
        }
        let mut left = 1 + rng.below(max_word - 1);
        while left > 0 {
            let piece = (1 + rng.below(4)).min(left);
            left -= piece;
            let width = piece as f32 * (4.0 + rng.below(3) as f32 * 0.5);
            items.push(Item::Box {
                width,
                stretch: if micro { width * 0.02 } else { 0.0 },
                shrink: if micro { width * 0.02 } else { 0.0 },
            });
            if left > 0 {
                items.push(match rng.below(3) {
                    0 => Item::Penalty {
                        width: 0.0,
                        penalty: 0.0,
                        flagged: false,
                        kind: PenaltyKind::Emergency,
                    },
                    _ => hyphen(50.0 + rng.below(3) as f32 * 25.0),
                });
            }
        }
    }
    items
}

#[test]
fn random_paragraphs_hold_the_invariants() {
    let mut rng = Lcg(2024);
    let mut passes = [0usize; 6];
    for round in 0..400 {
        let measure = 120.0 + rng.below(80) as f32;
        let indent = rng.below(3) as f32 * 10.0;
        let width = move |n: usize| if n == 0 { measure - indent } else { measure };
        // Word pieces are at most 6 pt per unit; hyphens add no width here beyond 1.
        let max_word = ((measure - indent - 2.0) / 6.0) as u32;
        let items = random_paragraph(&mut rng, max_word);
        let params = Params {
            max_consecutive_hyphens: 1 + (round % 3),
            emergency_stretch: if round % 2 == 0 { 0.1 * measure } else { 0.0 },
            ..Params::default()
        };
        let o = break_paragraph(&items, &width, &params);
        passes[o.pass as usize] += 1;
        let lines = check(&items, &o.breaks, &width);
        assert!(o.breaks.iter().all(|b| !b.overfull), "round {round}: {o:?}");
        assert!(
            hyphen_run(&o.breaks) <= params.max_consecutive_hyphens,
            "round {round}"
        );
        for (n, (b, m)) in o.breaks.iter().zip(&lines).enumerate() {
            let fill = matches!(items[b.index], Item::Penalty { penalty, .. } if penalty <= -INFINITE)
                || b.index + 1 == items.len();
            if fill && m.natural <= width(n) {
                assert_eq!(b.ratio, 0.0, "round {round} line {n}: a fill line");
            }
            if o.pass <= Pass::Second {
                assert!(b.ratio <= params.max_ratio + 1e-4, "round {round} line {n}");
            }
        }
    }
    // The paragraphs exercise every pass.
    assert!(passes[1..].iter().all(|&n| n > 0), "{passes:?}");
}
