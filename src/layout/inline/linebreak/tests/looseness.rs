//! Looseness: paragraphs set a line longer or shorter than their best setting.

use super::*;

#[test]
fn looseness_lengthens_or_shortens_a_paragraph_when_it_can() {
    let mut rng = Lcg(7);
    let (mut longer, mut shorter) = (0, 0);
    for round in 0..200 {
        let measure = 150.0;
        let width = uniform(measure);
        let items = random_paragraph(&mut rng, 20);
        let base = Params::for_measure(measure);
        let optimum = break_paragraph(&items, &width, &base);
        assert_eq!(optimum.looseness, 0);
        for want in [1, -1] {
            let params = Params {
                looseness: want,
                ..base.clone()
            };
            let o = break_paragraph(&items, &width, &params);
            // Still a legal paragraph: no overflow, hyphen limit kept.
            check(&items, &o.breaks, &width);
            assert!(o.breaks.iter().all(|b| !b.overfull), "round {round}");
            assert!(hyphen_run(&o.breaks) <= params.max_consecutive_hyphens);
            // The reported looseness is what the breaks show, against the optimum of
            // the same pass; and never beyond what was asked.
            assert!(o.looseness == 0 || o.looseness.signum() == want.signum());
            assert!(o.looseness.abs() <= 1, "round {round}: {}", o.looseness);
            if o.looseness == 0 && o.pass == optimum.pass {
                assert_eq!(o.breaks.len(), optimum.breaks.len(), "round {round}");
            }
            if o.pass == optimum.pass || o.looseness != 0 {
                let delta = o.breaks.len() as i64 - optimum.breaks.len() as i64;
                if o.looseness == want && o.pass == optimum.pass {
                    assert_eq!(delta, i64::from(want), "round {round}");
                }
            }
            if o.looseness == 1 {
                longer += 1;
            }
            if o.looseness == -1 {
                shorter += 1;
            }
        }
    }
    // Both directions happen (a shorter paragraph needs room to shrink: rarer).
    assert!(
        longer > 50 && shorter > 0,
        "longer {longer}, shorter {shorter}"
    );
}

#[test]
fn looseness_on_a_fixed_paragraph() {
    // Ten five-letter words on a 20-unit measure: optimum three words a line (17 units
    // natural, 4 lines); one line more means two or three words a line, stretched.
    let text = "aaaaa bbbbb ccccc ddddd eeeee fffff ggggg hhhhh iiiii jjjjj";
    let items = para(text);
    let width = uniform(20.0);
    let params = Params {
        pretolerance: -1.0,
        tolerance: 10_000.0,
        max_ratio: f32::INFINITY,
        ..Params::default()
    };
    let optimum = break_paragraph(&items, &width, &params);
    assert_eq!(optimum.breaks.len(), 4);
    let looser = break_paragraph(
        &items,
        &width,
        &Params {
            looseness: 1,
            ..params.clone()
        },
    );
    assert_eq!(looser.looseness, 1);
    assert_eq!(looser.breaks.len(), 5);
    check(&items, &looser.breaks, &width);
    // Three words a line is as tight as it gets: no shorter paragraph exists.
    let tighter = break_paragraph(
        &items,
        &width,
        &Params {
            looseness: -1,
            ..params
        },
    );
    assert_eq!(tighter.looseness, 0);
    assert_eq!(tighter.breaks.len(), 4);
}
