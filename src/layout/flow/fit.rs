//! Copyfitting: an article whose last page would be less than a third full is set again
//! with some paragraphs a line shorter, so that it ends a page sooner, or, failing that,
//! a line longer, so that its last page fills up. The paragraphs are chosen across the
//! whole article, where the change costs least, never by cutting a page short.

use rustc_hash::FxHashMap as HashMap;

use crate::layout::flow::Setter;
use crate::layout::flow::collect::{Body, Loose, Piece};
use crate::layout::flow::compose::{Composer, Head, PageDraft};
use crate::layout::flow::geometry::Geometry;
use crate::model::{Language, Span};

/// A last page filled less than this (the mean depth of its columns, as a share of the
/// text area) is stranded. A little over a third, so that what a reader would measure
/// from the ink (which stops above the last line's grid slot) is a third too.
pub(crate) const THIRD: f32 = 0.35;

/// Where and how an article is laid: its head and body, its section, and the page it
/// goes on (with the grid lines already taken there) when it runs on.
pub(crate) struct Job<'a> {
    pub head: &'a Head,
    pub section: usize,
    pub resume: Option<(PageDraft, u32)>,
    pub lang: &'a Language,
}

/// The article laid out, and the paragraphs copyfitting set again (span, looseness).
pub(crate) struct Fitted<'g> {
    pub composer: Composer<'g>,
    pub copyfit: Vec<(Span, i32)>,
}

/// The settings of an article's paragraphs made so far: each trial layout asks for many
/// of the same ones again (by where the paragraph is written, its lines now, how it is
/// set now, and what is asked).
#[derive(Default)]
struct Memo(HashMap<Asked, Option<Vec<Piece>>>);

/// A paragraph setting asked for: where the paragraph is written, its lines and
/// looseness now, the looseness and the lines kept from ending with a hyphen.
type Asked = (Span, usize, i32, i32, Vec<usize>);

impl Memo {
    fn reset<S: Setter>(
        &mut self,
        ctx: &mut S,
        geo: &Geometry,
        lang: &Language,
        l: &Loose,
        looseness: i32,
        no_hyphen: &[usize],
    ) -> Option<Vec<Piece>> {
        if l.span.is_empty() {
            return l.reset(ctx, geo, lang, looseness, no_hyphen);
        }
        let key = (l.span, l.lines, l.applied, looseness, no_hyphen.to_vec());
        self.0
            .entry(key)
            .or_insert_with(|| l.reset(ctx, geo, lang, looseness, no_hyphen))
            .clone()
    }
}

/// A body of more pieces than this (lines, about a hundred pages) is not copied before
/// its first layout: copyfitting, if it is needed, sets it again instead.
pub(crate) const COPY_UP_TO: usize = 20_000;

/// A body of more pieces than this (lines, about 300 pages) is not copyfitted: its last
/// page is one of hundreds, and trying settings holds two more copies of its lines (the
/// varied body and each trial layout), which doubled the memory of a 5 MB article.
pub(crate) const FIT_UP_TO: usize = 50_000;

/// [`COPY_UP_TO`], which a test lowers to take a long article's path with a short one
/// (both paths give the same pages, so tests running meanwhile are not disturbed).
#[cfg(test)]
pub(crate) static COPY_LIMIT: std::sync::atomic::AtomicUsize =
    std::sync::atomic::AtomicUsize::new(COPY_UP_TO);

fn copy_limit() -> usize {
    #[cfg(test)]
    return COPY_LIMIT.load(std::sync::atomic::Ordering::Relaxed);
    #[cfg(not(test))]
    COPY_UP_TO
}

/// Lays the article out from `body` and, when its last page is stranded, copyfits it.
/// `rebuild` sets the body again (the first layout consumed it) for a long article,
/// which is not copied beforehand: the copy would double the memory its lines take.
pub(crate) fn fit<'g, S: Setter>(
    ctx: &mut S,
    geo: &'g Geometry,
    job: &Job<'_>,
    body: Body,
    rebuild: &mut dyn FnMut(&mut S) -> Body,
) -> Fitted<'g> {
    let memo = &mut Memo::default();
    let body_len = body.main.len() + body.notes.len();
    let spare = (body_len <= copy_limit()).then(|| body.clone());
    let first = lay(ctx, geo, job, body, memo);
    if first.fill >= THIRD {
        return Fitted {
            composer: first,
            copyfit: Vec::new(),
        };
    }
    if body_len > FIT_UP_TO {
        return Fitted {
            composer: first,
            copyfit: Vec::new(),
        };
    }
    let (pages, last_lines) = (first.pages.len(), first.last_lines);
    // A long article's first layout is let go while it is set again (and laid out
    // again if copyfitting fails), so that two copies of its lines are never held.
    let (body, mut first) = match spare {
        Some(body) => (body, Some(first)),
        None => {
            drop(first);
            (rebuild(ctx), None)
        }
    };
    let area = geo.lines * geo.columns as u32;
    // Shorter: everything on the last page moves back.
    let need = last_lines;
    if pages >= 2
        && let Some(done) = vary(ctx, geo, (job, &body), memo, (-1, need), &|c: &Composer| {
            c.pages.len() < pages && c.fill >= THIRD
        })
    {
        return done;
    }
    // Longer: the last page fills to a third.
    let want = (THIRD * area as f32).ceil() as u32;
    let need = want.saturating_sub(last_lines);
    if let Some(done) = vary(ctx, geo, (job, &body), memo, (1, need), &|c: &Composer| {
        c.pages.len() == pages && c.fill >= THIRD
    }) {
        return done;
    }
    Fitted {
        composer: first
            .take()
            .unwrap_or_else(|| lay(ctx, geo, job, body, memo)),
        copyfit: Vec::new(),
    }
}

/// Lays the job's head and `body` out from its start.
fn lay<'g, S: Setter>(
    ctx: &mut S,
    geo: &'g Geometry,
    job: &Job<'_>,
    body: Body,
    memo: &mut Memo,
) -> Composer<'g> {
    let mut c = match &job.resume {
        Some((page, cursor)) => Composer::resume(geo, page.clone(), *cursor),
        None => Composer::new(geo),
    };
    let run_on = job.resume.is_some();
    let lang = job.lang;
    c.article_with(
        job.head.clone(),
        body,
        job.section,
        run_on,
        &mut |l, d, h| memo.reset(ctx, geo, lang, l, d, h),
    );
    c
}

/// Sets paragraphs of `body` `looseness` lines longer or shorter, cheapest first, about
/// `need` of them and then a few more at a time (at most half the paragraphs, and
/// `2 * need + 6`), until the layout is `good`.
fn vary<'g, S: Setter>(
    ctx: &mut S,
    geo: &'g Geometry,
    (job, body): (&Job<'_>, &Body),
    memo: &mut Memo,
    (looseness, need): (i32, u32),
    good: &dyn Fn(&Composer) -> bool,
) -> Option<Fitted<'g>> {
    let order = candidates(&body.loose, looseness);
    let limit = (order.len() / 2).min(2 * need as usize + 6);
    // Each paragraph set again moves one line: fewer than `need` cannot do.
    if need == 0 || limit < need as usize {
        return None;
    }
    let step = (need as usize / 3).max(2);
    let mut next = (need as usize).min(limit);
    let mut body = body.clone();
    let mut done: Vec<(Span, i32)> = Vec::new();
    for k in order {
        if done.len() >= limit {
            break;
        }
        let Some(pieces) = memo.reset(ctx, geo, job.lang, &body.loose[k], looseness, &[]) else {
            continue;
        };
        body.set_again(k, pieces);
        done.push((body.loose[k].span, looseness));
        if done.len() >= next || done.len() == limit {
            let c = lay(ctx, geo, job, body.clone(), memo);
            if good(&c) {
                return Some(Fitted {
                    composer: c,
                    copyfit: done,
                });
            }
            next = (done.len() + step).min(limit);
        }
    }
    None
}

/// The paragraphs to try, cheapest first: to lose a line, those whose last line is
/// short and whose other lines are many (each takes in a little); to gain one, those
/// whose last line is nearly full. Paragraphs of a single line are left alone.
pub(crate) fn candidates(loose: &[Loose], looseness: i32) -> Vec<usize> {
    let cost = |l: &Loose| -> f32 {
        let lines = l.lines as f32;
        if looseness < 0 {
            l.last_fill / (lines - 1.0)
        } else {
            (1.15 - l.last_fill) / lines
        }
    };
    let mut order: Vec<usize> = (0..loose.len())
        .filter(|&k| loose[k].lines >= 2 && loose[k].last_fill.is_finite())
        .collect();
    order.sort_by(|&a, &b| cost(&loose[a]).total_cmp(&cost(&loose[b])));
    order
}
