//! Windowed breaking of huge paragraphs: the same as whole breaking up to the window,
//! valid lines beyond it.

use super::*;

/// Random paragraphs joined by spaces into one of at least `min_items` items.
fn long_paragraph(rng: &mut Lcg, max_word: u32, min_items: usize) -> Vec<Item> {
    let mut items = Vec::new();
    while items.len() < min_items {
        if !items.is_empty() {
            items.push(SPACE);
        }
        items.extend(random_paragraph(rng, max_word));
    }
    items
}

#[test]
fn paragraphs_within_the_window_are_broken_whole() {
    let mut rng = Lcg(7);
    for round in 0..200 {
        let measure = 120.0 + rng.below(80) as f32;
        let width = move |n: usize| if n == 0 { measure - 10.0 } else { measure };
        let items = random_paragraph(&mut rng, ((measure - 12.0) / 6.0) as u32);
        let params = Params {
            emergency_stretch: if round % 2 == 0 { 0.1 * measure } else { 0.0 },
            looseness: [0, 0, 1, -1][round % 4],
            ..Params::default()
        };
        let whole = break_whole(&items, &width, &params);
        assert_eq!(
            break_windowed(&items, &width, &params, items.len()),
            whole,
            "round {round}"
        );
        assert_eq!(break_paragraph(&items, &width, &params), whole);
    }
}

#[test]
fn windowed_lines_are_valid_and_near_the_optimum() {
    let mut rng = Lcg(11);
    for round in 0..10 {
        // Widths that vary by line number: a window numbering its lines from its own
        // start would set some lines to the wrong measure, which `check` catches.
        let width = |n: usize| 130.0 + (n % 3) as f32 * 15.0;
        let items = long_paragraph(&mut rng, 20, 1_500);
        let params = Params {
            emergency_stretch: if round % 2 == 0 { 13.0 } else { 0.0 },
            ..Params::default()
        };
        let window = 150 + rng.below(200) as usize;
        let whole = break_whole(&items, &width, &params);
        let windowed = break_windowed(&items, &width, &params, window);
        check(&items, &windowed.breaks, &width);
        assert!(windowed.breaks.iter().all(|b| !b.overfull), "round {round}");
        // Each seam may cost (or save, at a higher cost) a line at most.
        let seams = items.len() / (window / 2);
        let (w, o) = (windowed.breaks.len(), whole.breaks.len());
        assert!(
            w.abs_diff(o) <= seams,
            "round {round}: {w} lines windowed, {o} whole"
        );
    }
}

#[test]
fn pieces_wider_than_the_measure_grow_the_window() {
    // Every piece overflows, so a window of 4 items holds fewer lines than its tail:
    // the window grows until lines can be kept, and every piece still gets its line.
    let piece = Item::Box {
        width: 50.0,
        stretch: 0.0,
        shrink: 0.0,
    };
    let mut items = vec![piece];
    for _ in 0..200 {
        items.push(SPACE);
        items.push(piece);
    }
    let o = break_windowed(&items, &uniform(20.0), &Params::default(), 4);
    check(&items, &o.breaks, &uniform(20.0));
    assert_eq!(o.breaks.len(), 201);
    assert!(o.breaks.iter().all(|b| b.overfull));
    assert_eq!(o.pass, Pass::LastResort);
}
