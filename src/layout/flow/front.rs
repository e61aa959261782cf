//! Front matter and furniture: the cover (over the cover image, or typographic), the
//! contents page with linked entries, running heads and folios.

use crate::diag::Diagnostic;
use crate::layout::flow::Setter;
use crate::layout::flow::collect::baseline_in;
use crate::layout::flow::compose::{PageDraft, Start};
use crate::layout::flow::page_label;
use crate::layout::flow::{Geometry, line_items, one_line, plain_lines, shift};
use crate::layout::frame::{Item, LinkTarget};
use crate::layout::inline::{Align, Request, Role};
use crate::model::{
    Article, Edition, Inline, InlineKind, Rgb, SEPARATOR, Span, names_in_print_byline,
};

const PAPER: Rgb = Rgb(255, 255, 255);

/// Where a block of furniture text goes across: its left edge, measure and alignment.
#[derive(Debug, Clone, Copy)]
struct Place {
    x: f32,
    width: f32,
    align: Align,
}

/// Sets `text` in `role` in `place`, its first line box's top at `y`; returns the `y`
/// below the last line.
fn put(
    ctx: &mut impl Setter,
    edition: &Edition,
    role: Role,
    text: &str,
    place: Place,
    y: f32,
    items: &mut Vec<Item>,
) -> f32 {
    let Place { x, width, align } = place;
    if text.is_empty() {
        return y;
    }
    let (size, lead) = ctx.size_and_leading(role);
    let lines = plain_lines(ctx, text, role, edition, width, align);
    let n = lines.len();
    for (i, line) in lines.into_iter().enumerate() {
        line_items(
            line,
            x,
            y + baseline_in(size, lead) + i as f32 * lead,
            items,
        );
    }
    y + n as f32 * lead
}

/// The masthead: title, subtitle, a rule, issue and date (and ISSN); returns its bottom.
fn masthead(
    ctx: &mut impl Setter,
    geo: &Geometry,
    edition: &Edition,
    items: &mut Vec<Item>,
) -> f32 {
    let m = &edition.meta;
    let (x, w) = (geo.left, geo.text_w);
    let mut y = geo.top;
    y = put(
        ctx,
        edition,
        Role::CoverTitle,
        &m.title,
        Place {
            x,
            width: w,
            align: Align::Left,
        },
        y,
        items,
    );
    if let Some(sub) = &m.subtitle {
        y += 0.2 * geo.lead;
        y = put(
            ctx,
            edition,
            Role::Standfirst,
            sub,
            Place {
                x,
                width: w,
                align: Align::Left,
            },
            y,
            items,
        );
    }
    y += 0.6 * geo.lead;
    items.push(geo.rule(x, y, w, 2.0, geo.accent));
    y += 2.0 + 0.4 * geo.lead;
    let line = m.issue_and_date(SEPARATOR);
    let after = put(
        ctx,
        edition,
        Role::Kicker,
        &line,
        Place {
            x,
            width: w,
            align: Align::Left,
        },
        y,
        items,
    );
    if let Some(issn) = &m.issn {
        put(
            ctx,
            edition,
            Role::Kicker,
            &format!("ISSN {issn}"),
            Place {
                x,
                width: w,
                align: Align::Right,
            },
            y,
            items,
        );
    }
    after
}

/// Whether the edition gets contents pages: an issue of one article does not (its cover
/// names the article, and the article starts on page 2).
pub(crate) fn has_contents(edition: &Edition) -> bool {
    edition.articles().nth(1).is_some()
}

/// The cover page. With a cover image: the image fills the page below the masthead
/// band (scaled to cover it, centred; what overflows is cut by the page or hidden under
/// the band). Without one: the masthead, the cover story and the other cover lines
/// ([`Edition::cover_lines`]); an issue without contents pages gets the imprint at the
/// foot of the last column.
pub(crate) fn cover(ctx: &mut impl Setter, geo: &Geometry, edition: &Edition) -> Vec<Item> {
    let mut text = Vec::new();
    let bottom = masthead(ctx, geo, edition, &mut text);
    let band = bottom + 0.8 * geo.lead;
    match &edition.cover {
        Some(image) => {
            let (bw, bh) = (geo.page_w, (geo.page_h - band).max(1.0));
            let (iw, ih) = (image.width_px.max(1) as f32, image.height_px.max(1) as f32);
            let scale = (bw / iw).max(bh / ih);
            let (w, h) = (iw * scale, ih * scale);
            let mut items = vec![
                Item::Image {
                    x: (bw - w) / 2.0,
                    y: band + (bh - h) / 2.0,
                    width: w,
                    height: h,
                    image: image.clone(),
                    node: None,
                },
                Item::Rect {
                    x: 0.0,
                    y: 0.0,
                    width: geo.page_w,
                    height: band,
                    colour: PAPER,
                },
            ];
            items.extend(text);
            items
        }
        None => {
            let mut items = text;
            let mut foot = geo.page_h - geo.margin_bottom;
            if !has_contents(edition) {
                let imprint = imprint(ctx, geo, edition, geo.col_w);
                if !imprint.items.is_empty() {
                    let y = imprint_top(geo, foot, imprint.h);
                    foot = y - geo.lead;
                    imprint.place(geo.col_x(geo.columns - 1), y, &mut items);
                }
            }
            cover_lines(ctx, geo, edition, band + 2.0 * geo.lead, foot, &mut items);
            items
        }
    }
}

/// The label over an article's line on the cover: its kicker, else its section's name.
fn kicker_of<'a>(edition: &'a Edition, section: usize, article: &'a Article) -> &'a str {
    article.kicker.as_deref().unwrap_or_else(|| {
        edition
            .sections
            .get(section)
            .map_or("", |s| s.title.as_str())
    })
}

/// The typographic cover's content between `top` and `foot`: the first of the edition's
/// cover lines as the cover story (kicker, title, standfirst, authors) across two
/// columns, then the others in balanced columns standing on `foot`; lines that do not
/// fit are left out from the last.
fn cover_lines(
    ctx: &mut impl Setter,
    geo: &Geometry,
    edition: &Edition,
    top: f32,
    foot: f32,
    items: &mut Vec<Item>,
) {
    let chosen = edition.cover_articles();
    let Some(&(si, lead)) = chosen.first() else {
        return;
    };
    // The cover story, set at y = 0 and placed once the cover lines are: its title in
    // the cover title size when that takes at most three lines, none of them ending in
    // a broken word, and leaves room below; else in the title size.
    let wide = geo.text_w.min(2.0 * geo.col_w + geo.gutter);
    let place = Place {
        x: geo.left,
        width: wide,
        align: Align::Left,
    };
    let big = plain_lines(
        ctx,
        &lead.title,
        Role::CoverTitle,
        edition,
        wide,
        Align::Left,
    );
    let broken = big.iter().any(|l| {
        l.runs
            .last()
            .is_some_and(|r| r.text.ends_with(['\u{ad}', '-']))
    });
    let (_, big_lead) = ctx.size_and_leading(Role::CoverTitle);
    let fits = big.len() as f32 * big_lead <= 0.3 * (foot - top);
    let title_role = if big.len() <= 3 && !broken && fits {
        Role::CoverTitle
    } else {
        Role::Title
    };
    let mut story = Vec::new();
    let mut y = put(
        ctx,
        edition,
        Role::Kicker,
        kicker_of(edition, si, lead),
        place,
        0.0,
        &mut story,
    );
    y += 0.3 * geo.lead;
    y = put(ctx, edition, title_role, &lead.title, place, y, &mut story);
    if let Some(sf) = &lead.standfirst {
        y += 0.5 * geo.lead;
        y = put(ctx, edition, Role::Standfirst, sf, place, y, &mut story);
    }
    y += 0.4 * geo.lead;
    let story_h = put(
        ctx,
        edition,
        Role::Byline,
        &names_in_print_byline(&lead.authors),
        place,
        y,
        &mut story,
    );

    // The other cover lines, each set at y = 0 in a column's measure.
    let col = Place {
        x: 0.0,
        width: geo.col_w,
        align: Align::Left,
    };
    let mut lines: Vec<Piece> = chosen[1..]
        .iter()
        .map(|&(si, a)| {
            let mut entry = vec![geo.rule(0.0, 0.0, geo.col_w / 3.0, 1.0, geo.accent)];
            let mut h = put(
                ctx,
                edition,
                Role::Kicker,
                kicker_of(edition, si, a),
                col,
                0.5 * geo.lead,
                &mut entry,
            );
            h += 0.3 * geo.lead;
            h = put(ctx, edition, Role::Standfirst, &a.title, col, h, &mut entry);
            h = put(
                ctx,
                edition,
                Role::Byline,
                &names_in_print_byline(&a.authors),
                col,
                h,
                &mut entry,
            );
            Piece { items: entry, h }
        })
        .collect();
    let room = foot - (top + story_h + 2.0 * geo.lead);
    let mut lines_top = foot;
    while !lines.is_empty() {
        let blocks: Vec<(f32, f32)> = lines.iter().map(|p| (p.h, geo.lead)).collect();
        if let Some(spots) = balance(&blocks, &vec![room; geo.columns]) {
            let height = spots
                .iter()
                .zip(&blocks)
                .map(|(&(_, at), &(h, _))| at + h)
                .fold(0.0, f32::max);
            lines_top = foot - height;
            for (piece, (c, at)) in lines.into_iter().zip(spots) {
                piece.place(geo.col_x(c), lines_top + at, items);
            }
            break;
        }
        lines.pop();
    }
    // The story stands a third of the way down the space the cover lines leave.
    let free = (lines_top - 2.0 * geo.lead - top - story_h).max(0.0);
    let dy = top + free / 3.0;
    items.extend(story.into_iter().map(|i| shift(i, 0.0, dy)));
}

/// Furniture set at y = 0 and placed later: its items and height.
struct Piece {
    items: Vec<Item>,
    h: f32,
}

impl Piece {
    fn place(self, dx: f32, dy: f32, out: &mut Vec<Item>) {
        out.extend(self.items.into_iter().map(|i| shift(i, dx, dy)));
    }
}

/// Slack for comparing heights that were summed in different orders.
const EPS: f32 = 0.01;

/// Where blocks go when they fill columns in order: block `i` is `blocks[i].0` tall
/// and wants `blocks[i].1` of space above it unless it tops a column; column `k` holds
/// `caps[k]`. Gives each block's column and top within it; `None` when they do not all
/// fit.
fn fill(blocks: &[(f32, f32)], caps: &[f32]) -> Option<Vec<(usize, f32)>> {
    let mut out = Vec::with_capacity(blocks.len());
    let (mut col, mut y) = (0, 0.0f32);
    for &(h, gap) in blocks {
        let at = if out.is_empty() || y == 0.0 {
            0.0
        } else {
            y + gap
        };
        if at + h <= *caps.get(col)? + EPS {
            out.push((col, at));
            y = at + h;
            continue;
        }
        loop {
            col += 1;
            if h <= *caps.get(col)? + EPS {
                break;
            }
        }
        out.push((col, 0.0));
        y = h;
    }
    Some(out)
}

/// Like [`fill`], with the columns made as short as they can be (no taller than `caps`)
/// so that they come out balanced.
fn balance(blocks: &[(f32, f32)], caps: &[f32]) -> Option<Vec<(usize, f32)>> {
    fill(blocks, caps)?;
    let capped = |limit: f32| caps.iter().map(|c| c.min(limit)).collect::<Vec<f32>>();
    let (mut lo, mut hi) = (0.0f32, caps.iter().copied().fold(0.0, f32::max));
    for _ in 0..30 {
        let mid = (lo + hi) / 2.0;
        if fill(blocks, &capped(mid)).is_some() {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    fill(blocks, &capped(hi))
}

/// An entry whose page number and link are filled in once pages are numbered.
#[derive(Debug, Clone)]
struct Slot {
    page: usize,
    /// Baseline of the number.
    baseline: f32,
    /// Left edge of the number's box, and the role it is set in (the title's).
    num_x: f32,
    role: Role,
    /// Clickable area of the entry.
    area: (f32, f32, f32, f32),
    article: usize,
}

/// The contents laid out without page numbers: they depend only on the entries.
#[derive(Debug, Clone)]
pub(crate) struct ContentsPlan {
    pub pages: Vec<PageDraft>,
    slots: Vec<Slot>,
    num_w: f32,
}

/// Which articles show their standfirst in the contents.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Standfirsts {
    All,
    /// The first article of each section.
    Leads,
    None,
}

/// How full a contents entry is and how tightly entries stand.
#[derive(Debug, Clone, Copy)]
struct Form {
    standfirsts: Standfirsts,
    /// The role of titles and page numbers.
    title: Role,
    /// Authors on the title's last line when they fit there.
    run_in: bool,
    /// Space between entries, and above a section's name, in grid lines.
    gap: f32,
    section_gap: f32,
}

/// The contents' forms, fullest first; the first that fits on one page is used.
const FORMS: [Form; 6] = [
    Form {
        standfirsts: Standfirsts::All,
        title: Role::ContentsEntry,
        run_in: false,
        gap: 0.6,
        section_gap: 1.2,
    },
    Form {
        standfirsts: Standfirsts::Leads,
        title: Role::ContentsEntry,
        run_in: false,
        gap: 0.6,
        section_gap: 1.2,
    },
    Form {
        standfirsts: Standfirsts::None,
        title: Role::ContentsEntry,
        run_in: false,
        gap: 0.6,
        section_gap: 1.2,
    },
    Form {
        standfirsts: Standfirsts::None,
        title: Role::ContentsEntry,
        run_in: false,
        gap: 0.3,
        section_gap: 0.8,
    },
    Form {
        standfirsts: Standfirsts::None,
        title: Role::Body,
        run_in: true,
        gap: 0.3,
        section_gap: 0.8,
    },
    Form {
        standfirsts: Standfirsts::None,
        title: Role::Body,
        run_in: true,
        gap: 0.1,
        section_gap: 0.5,
    },
];

/// One block of the contents list: a section's name with its first entry, or an entry.
struct Unit {
    piece: Piece,
    /// Space wanted above it unless it tops a column.
    gap: f32,
    /// Its entry's top and number baseline, relative to the piece (below the section's
    /// name, if any), and the article it opens.
    top: f32,
    baseline: f32,
    article: usize,
}

/// Contents: a heading across the page, then the sections with their articles (page
/// number, title, standfirst, authors) in the columns of the page, with the imprint at
/// the foot of the last column. The fullest [`Form`] that fits on one page is used;
/// when even the most compact one does not fit, the list runs on to further pages and
/// a warning says so. An issue of one article has no contents (see [`has_contents`]).
pub(crate) fn contents_plan(
    ctx: &mut impl Setter,
    geo: &Geometry,
    edition: &Edition,
) -> ContentsPlan {
    if !has_contents(edition) {
        return ContentsPlan {
            pages: Vec::new(),
            slots: Vec::new(),
            num_w: 0.0,
        };
    }
    let mut items = Vec::new();
    let list_top = contents_head(ctx, geo, edition, &mut items);
    let bottom = geo.page_h - geo.margin_bottom;
    let last = geo.columns - 1;
    let imprint = imprint(ctx, geo, edition, geo.col_w);
    let mut caps = vec![bottom - list_top; geo.columns];
    if !imprint.items.is_empty() {
        let y = imprint_top(geo, bottom, imprint.h);
        caps[last] = y - geo.lead - list_top;
        imprint.place(geo.col_x(last), y, &mut items);
    }
    let most_compact = FORMS[FORMS.len() - 1];
    for form in FORMS {
        let (units, num_w) = contents_units(ctx, geo, edition, form);
        let blocks: Vec<(f32, f32)> = units.iter().map(|u| (u.piece.h, u.gap)).collect();
        if let Some(spots) = balance(&blocks, &caps) {
            let spots = spots
                .into_iter()
                .map(|(c, at)| (0, geo.col_x(c), list_top + at))
                .collect();
            return assemble(vec![items], units, spots, num_w, geo, form);
        }
    }
    // Even the most compact form needs more than a page: run on to further pages.
    let (units, num_w) = contents_units(ctx, geo, edition, most_compact);
    let blocks: Vec<(f32, f32)> = units.iter().map(|u| (u.piece.h, u.gap)).collect();
    let full = bottom - geo.top;
    let mut more = caps.clone();
    let mut spots = None;
    while spots.is_none() && more.len() <= geo.columns * (units.len() + 1) {
        more.extend(std::iter::repeat_n(full, geo.columns));
        spots = fill(&blocks, &more);
    }
    // A block taller than a whole column is cut by the page rather than lost.
    let mut spots = spots.unwrap_or_else(|| {
        (0..blocks.len())
            .map(|i| (caps.len() + i * geo.columns, 0.0))
            .collect()
    });
    // The last page's columns balanced.
    let last_page = spots.last().map_or(0, |s| s.0 / geo.columns);
    if last_page > 0 {
        let from = spots.partition_point(|s| s.0 / geo.columns < last_page);
        if let Some(tail) = balance(&blocks[from..], &vec![full; geo.columns]) {
            for (spot, (c, at)) in spots[from..].iter_mut().zip(tail) {
                *spot = (last_page * geo.columns + c, at);
            }
        }
    }
    let spots: Vec<(usize, f32, f32)> = spots
        .into_iter()
        .map(|(c, at)| {
            let (page, col) = (c / geo.columns, c % geo.columns);
            let top = if page == 0 { list_top } else { geo.top };
            (page, geo.col_x(col), top + at)
        })
        .collect();
    let pages = spots.iter().map(|s| s.0).max().unwrap_or(0) + 1;
    ctx.warn(
        Diagnostic::warning(format!(
            "the contents needs {pages} pages: its {} entries do not fit on one page even without standfirsts and in the smallest type",
            units.len()
        ))
        .with_hint(
            "split the issue, or use a style with more columns or a larger page, so the contents fits on one page",
        ),
    );
    let mut layers = vec![items];
    layers.resize_with(pages, Vec::new);
    assemble(layers, units, spots, num_w, geo, most_compact)
}

/// Places the units at `spots` (page, x, y) over the pages whose items are `layers`.
fn assemble(
    mut layers: Vec<Vec<Item>>,
    units: Vec<Unit>,
    spots: Vec<(usize, f32, f32)>,
    num_w: f32,
    geo: &Geometry,
    form: Form,
) -> ContentsPlan {
    let mut slots = Vec::with_capacity(units.len());
    for (unit, (page, x, y)) in units.into_iter().zip(spots) {
        slots.push(Slot {
            page,
            baseline: y + unit.baseline,
            num_x: x,
            role: form.title,
            area: (x, y + unit.top, geo.col_w, unit.piece.h - unit.top),
            article: unit.article,
        });
        unit.piece.place(x, y, &mut layers[page]);
    }
    ContentsPlan {
        pages: layers
            .into_iter()
            .map(|items| PageDraft {
                items,
                section: 0,
                opens: true,
            })
            .collect(),
        slots,
        num_w,
    }
}

/// The contents' heading across the page (magazine, issue and date; "Contents"; a
/// rule); returns the top of the list below it.
fn contents_head(
    ctx: &mut impl Setter,
    geo: &Geometry,
    edition: &Edition,
    items: &mut Vec<Item>,
) -> f32 {
    let labels = edition.meta.language.labels();
    let place = Place {
        x: geo.left,
        width: geo.text_w,
        align: Align::Left,
    };
    let line = edition.meta.title_issue_and_date();
    let mut y = put(ctx, edition, Role::Kicker, &line, place, geo.top, items);
    y += 0.3 * geo.lead;
    y = put(ctx, edition, Role::Title, labels.contents, place, y, items);
    y += 0.4 * geo.lead;
    items.push(geo.rule(geo.left, y, geo.text_w, 1.0, geo.accent));
    y + 1.0 + geo.lead
}

/// The contents' entries in `form`, each set at y = 0 in a column's measure (a section's
/// name joined to its first entry, so that it never ends a column); and the width of the
/// page numbers' box at the entries' left.
fn contents_units(
    ctx: &mut impl Setter,
    geo: &Geometry,
    edition: &Edition,
    form: Form,
) -> (Vec<Unit>, f32) {
    let (size, lead) = ctx.size_and_leading(form.title);
    let widest = plain_lines(ctx, "888", form.title, edition, geo.col_w, Align::Left)
        .first()
        .map_or(1.5 * size, |l| l.width);
    let num_w = widest.max(size);
    let indent = num_w + 0.6 * size;
    let text = Place {
        x: indent,
        width: (geo.col_w - indent).max(size),
        align: Align::Left,
    };
    let mut units = Vec::new();
    let mut article = 0;
    for section in &edition.sections {
        let mut head = Vec::new();
        let head_h = if section.title.is_empty() {
            0.0
        } else {
            let full = Place {
                x: 0.0,
                width: geo.col_w,
                ..text
            };
            let h = put(
                ctx,
                edition,
                Role::Kicker,
                &section.title,
                full,
                0.0,
                &mut head,
            );
            head.push(geo.rule(0.0, h + 1.0, geo.col_w, 0.4, geo.muted));
            h + 1.0 + 0.5 * geo.lead
        };
        for (j, a) in section.articles.iter().enumerate() {
            let mut items = if j == 0 {
                std::mem::take(&mut head)
            } else {
                Vec::new()
            };
            let top = if j == 0 { head_h } else { 0.0 };
            let lines = plain_lines(ctx, &a.title, form.title, edition, text.width, text.align);
            let n = lines.len();
            let last_w = lines.last().map_or(0.0, |l| l.width);
            for (i, line) in lines.into_iter().enumerate() {
                let base = top + baseline_in(size, lead) + i as f32 * lead;
                line_items(line, text.x, base, &mut items);
            }
            let mut h = top + n as f32 * lead;
            let standfirst = match form.standfirsts {
                Standfirsts::All => true,
                Standfirsts::Leads => j == 0,
                Standfirsts::None => false,
            };
            if let Some(sf) = a.standfirst.as_deref().filter(|_| standfirst) {
                // In the caption's smaller type: an entry's standfirst is a note on the
                // title, and it stays off the body's baseline grid.
                let (size, lead) = ctx.size_and_leading(Role::Caption);
                let inl = [InlineKind::Emphasis(vec![Inline::text(sf, Span::default())]).into()];
                let set = ctx.set(&Request::new(&inl, Role::Caption, &a.language, text.width));
                h += 0.15 * geo.lead;
                for line in set {
                    line_items(line, text.x, h + baseline_in(size, lead), &mut items);
                    h += lead;
                }
                h += 0.15 * geo.lead;
            }
            let names = names_in_print_byline(&a.authors);
            let by = plain_lines(ctx, &names, Role::Byline, edition, text.width, text.align);
            let space = 0.5 * size;
            match &by[..] {
                [] => {}
                [one] if form.run_in && n > 0 && last_w + space + one.width <= text.width => {
                    let base = top + baseline_in(size, lead) + (n - 1) as f32 * lead;
                    let one = by.into_iter().next().expect("one line");
                    line_items(one, text.x + last_w + space, base, &mut items);
                }
                _ => h = put(ctx, edition, Role::Byline, &names, text, h, &mut items),
            }
            units.push(Unit {
                piece: Piece { items, h },
                gap: if j == 0 {
                    form.section_gap * geo.lead
                } else {
                    form.gap * geo.lead
                },
                top,
                baseline: top + baseline_in(size, lead),
                article,
            });
            article += 1;
        }
    }
    (units, num_w)
}

/// Where an imprint `h` high goes so that it ends above `bottom`: on a line of the
/// baseline grid, so that its text in body type shares the grid of the page.
fn imprint_top(geo: &Geometry, bottom: f32, h: f32) -> f32 {
    let lines = ((bottom - h - geo.top) / geo.lead).floor().max(0.0);
    geo.top + lines * geo.lead
}

/// The imprint (subtitle, description, publisher, editors, ISSN, rights) in a measure of
/// `w`, set at y = 0; the description starts a whole number of grid lines down.
fn imprint(ctx: &mut impl Setter, geo: &Geometry, edition: &Edition, w: f32) -> Piece {
    let m = &edition.meta;
    let place = Place {
        x: 0.0,
        width: w,
        align: Align::Left,
    };
    let mut items = Vec::new();
    let mut y = 0.0;
    if let Some(sub) = &m.subtitle {
        y = put(ctx, edition, Role::Standfirst, sub, place, y, &mut items);
        y += 0.5 * geo.lead;
    }
    if let Some(desc) = &m.description {
        y = (y / geo.lead - 1e-3).ceil().max(0.0) * geo.lead;
        y = put(ctx, edition, Role::Body, desc, place, y, &mut items);
        y += 0.8 * geo.lead;
    }
    let mut small: Vec<String> = Vec::new();
    if let Some(p) = &m.publisher {
        small.push(p.clone());
    }
    if !m.editors.is_empty() {
        small.push(names_in_print_byline(&m.editors));
    }
    if let Some(issn) = &m.issn {
        small.push(format!("ISSN {issn}"));
    }
    if let Some(r) = &m.rights {
        small.push(r.clone());
    }
    if !small.is_empty() {
        items.push(geo.rule(0.0, y, w / 3.0, 0.5, geo.muted));
        y += 0.5 * geo.lead;
    }
    for (i, s) in small.iter().enumerate() {
        if i > 0 {
            y += 0.2 * geo.lead;
        }
        y = put(ctx, edition, Role::Caption, s, place, y, &mut items);
    }
    Piece { items, h: y }
}

/// Adds the page numbers and the links to the planned contents. `starts` are the
/// articles' absolute page indexes and head positions.
pub(crate) fn contents_finish(
    ctx: &mut impl Setter,
    edition: &Edition,
    plan: ContentsPlan,
    starts: &[Start],
) -> Vec<PageDraft> {
    let mut pages = plan.pages;
    for slot in plan.slots {
        let Some(start) = starts.get(slot.article) else {
            continue;
        };
        let number = page_label(start.page).text();
        let page = &mut pages[slot.page];
        if let Some(line) = one_line(ctx, &number, slot.role, edition, plan.num_w, Align::Right) {
            line_items(line, slot.num_x, slot.baseline, &mut page.items);
        }
        let (x, y, w, h) = slot.area;
        page.items.push(Item::Link {
            x,
            y,
            width: w,
            height: h,
            target: LinkTarget::Page {
                page: start.page,
                y: start.y,
            },
            node: None,
        });
    }
    pages
}

/// The running head over a hairline: `outer` (magazine, issue and date) at the outer
/// side of the page, the section at the inner side; left-hand (`verso`) pages mirror
/// right-hand ones. Set as on a right-hand page: left-hand pages are shifted afterwards.
pub(crate) fn running_head(
    ctx: &mut impl Setter,
    geo: &Geometry,
    edition: &Edition,
    outer: &str,
    section: &str,
    verso: bool,
    items: &mut Vec<Item>,
) {
    let (size, _) = ctx.size_and_leading(Role::RunningHead);
    let rule_y = geo.top - 0.9 * geo.lead;
    let base = rule_y - 0.35 * size;
    let (left, right) = if verso {
        (outer, section)
    } else {
        (section, outer)
    };
    for (text, align) in [(left, Align::Left), (right, Align::Right)] {
        if let Some(line) = one_line(ctx, text, Role::RunningHead, edition, geo.text_w, align) {
            line_items(line, geo.left, base, items);
        }
    }
    items.push(geo.rule(geo.left, rule_y, geo.text_w, 0.4, geo.muted));
}

/// The page number at the outer corner of the foot margin: flush left on a left-hand
/// (`verso`) page, flush right on a right-hand one.
pub(crate) fn folio(
    ctx: &mut impl Setter,
    geo: &Geometry,
    edition: &Edition,
    text: &str,
    verso: bool,
    items: &mut Vec<Item>,
) {
    let base = geo.page_h - 0.5 * geo.margin_bottom;
    let align = if verso { Align::Left } else { Align::Right };
    if let Some(line) = one_line(ctx, text, Role::Folio, edition, geo.text_w, align) {
        line_items(line, geo.left, base, items);
    }
}

#[cfg(test)]
mod tests {
    use super::{balance, fill};

    #[test]
    fn blocks_fill_columns_in_order() {
        // Gaps only between blocks of a column, never above the first.
        let blocks = [(10.0, 2.0), (10.0, 2.0), (10.0, 2.0)];
        assert_eq!(
            fill(&blocks, &[22.0, 22.0]),
            Some(vec![(0, 0.0), (0, 12.0), (1, 0.0)])
        );
        assert_eq!(fill(&blocks, &[21.0, 21.0]), None);
        // A short last column (the imprint's) takes what fits in it.
        assert_eq!(
            fill(&blocks, &[22.0, 5.0, 10.0]),
            Some(vec![(0, 0.0), (0, 12.0), (2, 0.0)])
        );
        assert_eq!(fill(&[], &[1.0]), Some(vec![]));
    }

    #[test]
    fn balanced_columns_are_as_short_as_they_can_be() {
        let blocks = [(10.0, 1.0); 6];
        let spots = balance(&blocks, &[100.0, 100.0, 100.0]).unwrap();
        let cols: Vec<usize> = spots.iter().map(|s| s.0).collect();
        assert_eq!(cols, vec![0, 0, 1, 1, 2, 2]);
        // Unequal blocks: the tallest column is the shortest possible (26 = 20 + 1 + 5).
        let blocks = [(10.0, 1.0), (14.0, 1.0), (20.0, 1.0), (5.0, 1.0)];
        let spots = balance(&blocks, &[100.0, 100.0]).unwrap();
        assert_eq!(
            spots.iter().map(|s| s.0).collect::<Vec<_>>(),
            vec![0, 0, 1, 1]
        );
        assert!(balance(&[(200.0, 0.0)], &[100.0]).is_none());
    }
}
