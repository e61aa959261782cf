//! Front matter and furniture: the cover (over the cover image, or typographic), the
//! contents pages with linked entries, running heads and folios.

use crate::layout::flow::Setter;
use crate::layout::flow::collect::baseline_in;
use crate::layout::flow::compose::{PageDraft, Start};
use crate::layout::flow::page_label;
use crate::layout::flow::{Geometry, line_items, one_line, plain_lines, shift};
use crate::layout::frame::{Item, LinkTarget};
use crate::layout::inline::{Align, Request, Role};
use crate::model::{Edition, Inline, InlineKind, Rgb, SEPARATOR, Span, names_in_print_byline};

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

/// The cover page. With a cover image: the image fills the page below the masthead
/// band (scaled to cover it, centred; what overflows is cut by the page or hidden under
/// the band). Without one: the masthead and the sections with their articles as cover
/// lines.
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
            cover_lines(ctx, geo, edition, band + 2.0 * geo.lead, &mut items);
            items
        }
    }
}

/// The typographic cover's content: the first article as the cover story (kicker,
/// title, standfirst, authors), then every section with its article titles as cover
/// lines, flowing down the columns, as many as fit.
fn cover_lines(
    ctx: &mut impl Setter,
    geo: &Geometry,
    edition: &Edition,
    top: f32,
    items: &mut Vec<Item>,
) {
    let limit = geo.page_h - geo.margin_bottom;
    let (x, wide) = (geo.left, geo.text_w.min(2.0 * geo.col_w + geo.gutter));
    let mut y = top;
    let mut articles = edition.articles();
    if let Some((si, lead)) = articles.next() {
        let kicker = lead
            .kicker
            .as_deref()
            .unwrap_or(&edition.sections[si].title);
        y = put(
            ctx,
            edition,
            Role::Kicker,
            kicker,
            Place {
                x,
                width: wide,
                align: Align::Left,
            },
            y,
            items,
        );
        y += 0.2 * geo.lead;
        y = put(
            ctx,
            edition,
            Role::Title,
            &lead.title,
            Place {
                x,
                width: wide,
                align: Align::Left,
            },
            y,
            items,
        );
        if let Some(sf) = &lead.standfirst {
            y += 0.4 * geo.lead;
            y = put(
                ctx,
                edition,
                Role::Standfirst,
                sf,
                Place {
                    x,
                    width: wide,
                    align: Align::Left,
                },
                y,
                items,
            );
        }
        y += 0.3 * geo.lead;
        y = put(
            ctx,
            edition,
            Role::Byline,
            &names_in_print_byline(&lead.authors),
            Place {
                x,
                width: wide,
                align: Align::Left,
            },
            y,
            items,
        );
        y += 2.0 * geo.lead;
    }
    // Cover lines: each entry set at y = 0, then placed in the next column with room.
    let top = y.max(geo.page_h * 0.45);
    let (mut col, mut y) = (0usize, top);
    let mut first = true;
    for (si, section) in edition.sections.iter().enumerate() {
        for (ai, article) in section.articles.iter().enumerate() {
            if si == 0 && ai == 0 {
                continue; // the cover story
            }
            let mut entry = Vec::new();
            let mut h = 0.0;
            if ai == 0 || first {
                entry.push(geo.rule(0.0, 0.0, geo.col_w / 3.0, 1.0, geo.accent));
                h = 0.5 * geo.lead;
                h = put(
                    ctx,
                    edition,
                    Role::Kicker,
                    &section.title,
                    Place {
                        x: 0.0,
                        width: geo.col_w,
                        align: Align::Left,
                    },
                    h,
                    &mut entry,
                );
                h += 0.3 * geo.lead;
            }
            h = put(
                ctx,
                edition,
                Role::Standfirst,
                &article.title,
                Place {
                    x: 0.0,
                    width: geo.col_w,
                    align: Align::Left,
                },
                h,
                &mut entry,
            );
            h = put(
                ctx,
                edition,
                Role::Byline,
                &names_in_print_byline(&article.authors),
                Place {
                    x: 0.0,
                    width: geo.col_w,
                    align: Align::Left,
                },
                h,
                &mut entry,
            );
            if y + h > limit {
                col += 1;
                y = top;
                if col >= geo.columns {
                    return;
                }
            }
            let cx = geo.col_x(col);
            items.extend(entry.into_iter().map(|i| shift(i, cx, y)));
            y += h + 0.6 * geo.lead;
            first = false;
        }
        first = true;
    }
}

/// An entry whose page number and link are filled in once pages are numbered.
struct Slot {
    page: usize,
    /// Baseline of the number.
    baseline: f32,
    /// Clickable area of the entry.
    area: (f32, f32, f32, f32),
    article: usize,
}

/// The contents laid out without page numbers: they depend only on the entries.
pub(crate) struct ContentsPlan {
    pub pages: Vec<PageDraft>,
    slots: Vec<Slot>,
    num_x: f32,
    num_w: f32,
}

/// Contents: a heading, then for each section its name and its articles (title,
/// authors, page number flush right). On the first page the right column holds the
/// imprint (subtitle, description, publisher, editors, ISSN, rights).
pub(crate) fn contents_plan(
    ctx: &mut impl Setter,
    geo: &Geometry,
    edition: &Edition,
) -> ContentsPlan {
    // With each article's standfirst when the list still fits on one page.
    let rich = plan_contents(ctx, geo, edition, true);
    if rich.pages.len() == 1 {
        rich
    } else {
        plan_contents(ctx, geo, edition, false)
    }
}

fn plan_contents(
    ctx: &mut impl Setter,
    geo: &Geometry,
    edition: &Edition,
    standfirsts: bool,
) -> ContentsPlan {
    let m = &edition.meta;
    let labels = m.language.labels();
    let x = geo.left;
    let bottom = geo.page_h - geo.margin_bottom;
    let mut pages = vec![PageDraft {
        items: Vec::new(),
        section: 0,
        opens: true,
    }];
    let mut items = Vec::new();
    let mut y = geo.top;
    let line = m.title_issue_and_date();
    y = put(
        ctx,
        edition,
        Role::Kicker,
        &line,
        Place {
            x,
            width: geo.text_w,
            align: Align::Left,
        },
        y,
        &mut items,
    );
    y += 0.3 * geo.lead;
    y = put(
        ctx,
        edition,
        Role::Title,
        labels.contents,
        Place {
            x,
            width: geo.text_w,
            align: Align::Left,
        },
        y,
        &mut items,
    );
    y += 0.4 * geo.lead;
    items.push(geo.rule(x, y, geo.text_w, 1.0, geo.accent));
    y += 1.0 + geo.lead;
    let list_top = y;

    let three = geo.columns >= 3;
    let list_w = if three {
        2.0 * geo.col_w + geo.gutter
    } else {
        geo.text_w
    };
    if three {
        imprint(ctx, geo, edition, geo.col_x(2), list_top, &mut items);
    }
    let (entry_size, _) = ctx.size_and_leading(Role::ContentsEntry);
    let num_w = 3.0 * entry_size;
    let title_w = list_w - num_w - 0.5 * entry_size;
    let (size, lead) = ctx.size_and_leading(Role::ContentsEntry);
    let mut slots = Vec::new();
    let mut article = 0;
    let mut page_top = list_top;
    for section in &edition.sections {
        // The section's name and its entries are set at y = 0, then moved into place.
        let mut head = Vec::new();
        let mut head_h = put(
            ctx,
            edition,
            Role::Kicker,
            &section.title,
            Place {
                x,
                width: list_w,
                align: Align::Left,
            },
            0.0,
            &mut head,
        );
        head.push(geo.rule(x, head_h + 1.0, list_w, 0.4, geo.muted));
        head_h += 1.0 + 0.6 * geo.lead;
        let gap = 0.8 * geo.lead;
        for (j, a) in section.articles.iter().enumerate() {
            let mut entry = Vec::new();
            let mut h = put(
                ctx,
                edition,
                Role::ContentsEntry,
                &a.title,
                Place {
                    x,
                    width: title_w,
                    align: Align::Left,
                },
                0.0,
                &mut entry,
            );
            if let Some(sf) = a.standfirst.as_deref().filter(|_| standfirsts) {
                let (size, lead) = ctx.size_and_leading(Role::Body);
                let text = [InlineKind::Emphasis(vec![Inline::text(sf, Span::default())]).into()];
                let lines = ctx.set(&Request::new(&text, Role::Body, &a.language, title_w));
                h += 0.15 * geo.lead;
                for line in lines {
                    line_items(line, x, h + baseline_in(size, lead), &mut entry);
                    h += lead;
                }
                h += 0.15 * geo.lead;
            }
            h = put(
                ctx,
                edition,
                Role::Byline,
                &names_in_print_byline(&a.authors),
                Place {
                    x,
                    width: title_w,
                    align: Align::Left,
                },
                h,
                &mut entry,
            );
            let block = if j == 0 { gap + head_h + h } else { h };
            if y + block > bottom && y > page_top {
                pages
                    .last_mut()
                    .expect("a contents page")
                    .items
                    .append(&mut items);
                pages.push(PageDraft {
                    items: Vec::new(),
                    section: 0,
                    opens: true,
                });
                y = geo.top;
                page_top = y;
            }
            if j == 0 {
                if y > page_top {
                    y += gap;
                }
                items.extend(
                    std::mem::take(&mut head)
                        .into_iter()
                        .map(|i| shift(i, 0.0, y)),
                );
                y += head_h;
            }
            items.extend(entry.into_iter().map(|i| shift(i, 0.0, y)));
            slots.push(Slot {
                page: pages.len() - 1,
                baseline: y + baseline_in(size, lead),
                area: (x, y, list_w, h),
                article,
            });
            y += h + 0.5 * geo.lead;
            article += 1;
        }
    }
    pages
        .last_mut()
        .expect("a contents page")
        .items
        .append(&mut items);
    ContentsPlan {
        pages,
        slots,
        num_x: x + list_w - num_w,
        num_w,
    }
}

/// The right-hand column of the first contents page: who and what.
fn imprint(
    ctx: &mut impl Setter,
    geo: &Geometry,
    edition: &Edition,
    x: f32,
    top: f32,
    items: &mut Vec<Item>,
) {
    let m = &edition.meta;
    let w = geo.col_w;
    let mut y = top;
    if let Some(sub) = &m.subtitle {
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
        y += 0.5 * geo.lead;
    }
    if let Some(desc) = &m.description {
        y = put(
            ctx,
            edition,
            Role::Body,
            desc,
            Place {
                x,
                width: w,
                align: Align::Left,
            },
            y,
            items,
        );
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
        items.push(geo.rule(x, y, w / 3.0, 0.5, geo.muted));
        y += 0.5 * geo.lead;
    }
    for s in small {
        y = put(
            ctx,
            edition,
            Role::Caption,
            &s,
            Place {
                x,
                width: w,
                align: Align::Left,
            },
            y,
            items,
        );
        y += 0.2 * geo.lead;
    }
}

/// Adds the page numbers and the links to the planned contents. `starts` are the
/// articles' absolute page indexes and head positions.
pub(crate) fn contents_finish(
    ctx: &mut impl Setter,
    geo: &Geometry,
    edition: &Edition,
    plan: ContentsPlan,
    starts: &[Start],
) -> Vec<PageDraft> {
    let _ = geo;
    let mut pages = plan.pages;
    for slot in plan.slots {
        let Some(start) = starts.get(slot.article) else {
            continue;
        };
        let number = page_label(start.page).text();
        let page = &mut pages[slot.page];
        if let Some(line) = one_line(
            ctx,
            &number,
            Role::ContentsEntry,
            edition,
            plan.num_w,
            Align::Right,
        ) {
            line_items(line, plan.num_x, slot.baseline, &mut page.items);
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
