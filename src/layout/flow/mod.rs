//! Page flow: articles into magazine columns and pages, with a spanning head, balanced
//! final pages, widow and orphan control, running heads, folios, cover and contents.
//!
//! Stages: `collect` turns an article into units on the baseline grid, `distribute` (pure)
//! decides where columns end, `compose` puts heads and columns on pages (`span` places
//! figures across columns), `front` makes
//! the cover and the contents, and this module numbers the pages and adds the furniture,
//! the outline and the metadata.

pub(crate) mod collect;
pub(crate) mod compose;
pub(crate) mod distribute;
pub(crate) mod front;
pub(crate) mod geometry;
pub(crate) mod setter;
pub(crate) mod span;

#[cfg(test)]
mod tests;

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::diag::Diagnostic;
use crate::layout::frame::{DocMeta, Document, OutlineEntry, Page, PageLabel};
use crate::layout::inline::{Align, Line, Request, Role, TextContext};
use crate::model::{
    Article, ArticleStart, Edition, Inline, Labels, PRINT_BYLINE_AND, Span, name_separator,
};

use collect::Builder;
use compose::{Composer, PageDraft, Start};
pub(crate) use geometry::{Geometry, SUB, line_items, shift};
pub(crate) use setter::Setter;

/// The authors of `article` as a print byline ("A, B & C", see
/// [`crate::model::names_in_print_byline`]), each name with its span in the front
/// matter, so that warnings about a name point at it.
pub(crate) fn byline(article: &Article) -> Vec<Inline> {
    let n = article.authors.len();
    let mut out = Vec::with_capacity(2 * n);
    for (i, name) in article.authors.iter().enumerate() {
        if i > 0 {
            let sep = name_separator(i, n, PRINT_BYLINE_AND);
            out.push(Inline::text(&sep, Span::default()));
        }
        let span = article.front.authors.get(i).copied().unwrap_or_default();
        out.push(Inline::text(name, span));
    }
    out
}

/// One article laid out on its own pages, with the warnings its text raised.
struct Laid {
    pages: Vec<PageDraft>,
    start: Start,
    warnings: Vec<Diagnostic>,
}

/// Sets one article on fresh pages (articles that start a new page are independent).
fn lay_article(ctx: &mut impl Setter, geo: &Geometry, edition: &Edition, index: usize) -> Laid {
    let (section, article) = edition
        .articles()
        .nth(index)
        .expect("article index in range");
    let mut composer = Composer::new(geo);
    ctx.set_source(Some(article));
    let head = compose::head(ctx, geo, &edition.sections[section].title, article);
    let at_end = (article.byline == crate::model::BylinePosition::End
        && !article.authors.is_empty())
    .then(|| byline(article));
    let pieces = Builder::new(ctx, geo, &article.language).article(article, at_end.as_deref());
    let lang = &article.language;
    composer.article_with(head, pieces, section, false, &mut |l, d| {
        l.reset(ctx, geo, lang, d)
    });
    Laid {
        start: composer.starts[0],
        pages: composer.pages,
        warnings: ctx.take_warnings(),
    }
}

/// Lays out the whole edition.
pub(crate) fn layout(edition: &Edition, ctx: &mut TextContext<'_>) -> Document {
    layout_with(edition, ctx)
}

/// Lays out the whole edition with any text setter (the real one, or a fake in tests).
pub(crate) fn layout_with<S: Setter + Send>(edition: &Edition, ctx: &mut S) -> Document {
    let geo = Geometry::new(&edition.style, ctx);
    let count = edition.articles().count();
    let sections: Vec<usize> = edition.articles().map(|(s, _)| s).collect();

    // Articles (in parallel when each starts a new page), in reading order.
    let (article_pages, starts) = match edition.style.article_start {
        ArticleStart::NewPage => {
            let laid = lay_all_parallel(edition, ctx, &geo, count);
            let mut pages = Vec::new();
            let mut starts = Vec::new();
            for l in laid {
                starts.push(Start {
                    page: pages.len() + l.start.page,
                    y: l.start.y,
                });
                pages.extend(l.pages);
                for w in l.warnings {
                    ctx.warn(w);
                }
            }
            (pages, starts)
        }
        ArticleStart::RunOn => {
            let mut composer = Composer::new(&geo);
            for (i, (section, article)) in edition.articles().enumerate() {
                ctx.set_source(Some(article));
                let head = compose::head(ctx, &geo, &edition.sections[section].title, article);
                let at_end = (article.byline == crate::model::BylinePosition::End
                    && !article.authors.is_empty())
                .then(|| byline(article));
                let pieces =
                    Builder::new(ctx, &geo, &article.language).article(article, at_end.as_deref());
                let lang = &article.language;
                composer.article_with(head, pieces, sections[i], true, &mut |l, d| {
                    l.reset(ctx, &geo, lang, d)
                });
            }
            (composer.pages, composer.starts)
        }
    };

    // Front matter: cover, then the contents (its length does not depend on numbers).
    ctx.set_source(None);
    let cover = front::cover(ctx, &geo, edition);
    let plan = front::contents_plan(ctx, &geo, edition);
    let front_pages = 1 + plan.pages.len();
    let article_index: Vec<Start> = starts
        .iter()
        .map(|s| Start {
            page: s.page + front_pages,
            y: s.y,
        })
        .collect();
    let contents_pages = front::contents_finish(ctx, &geo, edition, plan, &article_index);

    // Number the pages from the cover (page 1, a right-hand page), so that odd numbers
    // fall on right-hand pages; add running heads and folios, mirrored on left-hand pages.
    let labels = edition.meta.language.labels();
    let mut pages = Vec::with_capacity(front_pages + article_pages.len());
    pages.push(Page {
        width: geo.page_w,
        height: geo.page_h,
        label: page_label(0),
        items: cover,
    });
    let drafts = contents_pages
        .into_iter()
        .map(|d| (d, false))
        .chain(article_pages.into_iter().map(|d| (d, true)));
    let head_text = edition.meta.title_issue_and_date();
    for (draft, is_article) in drafts {
        let index = pages.len();
        let label = page_label(index);
        let verso = is_verso(index);
        let mut items = draft.items;
        if is_article && !draft.opens {
            let section = edition
                .sections
                .get(draft.section)
                .map_or("", |s| s.title.as_str());
            front::running_head(ctx, &geo, edition, &head_text, section, verso, &mut items);
        }
        front::folio(ctx, &geo, edition, &label.text(), verso, &mut items);
        if verso && geo.verso_dx != 0.0 {
            items = items
                .into_iter()
                .map(|i| shift(i, geo.verso_dx, 0.0))
                .collect();
        }
        pages.push(Page {
            width: geo.page_w,
            height: geo.page_h,
            label,
            items,
        });
    }

    Document {
        pages,
        outline: outline(edition, labels, &article_index, geo.top),
        meta: meta(edition),
        fonts: Vec::new(),
    }
}

/// The label and printed folio of the page at 0-based `index`: its physical page number,
/// counting the cover as 1.
pub(crate) fn page_label(index: usize) -> PageLabel {
    PageLabel::Arabic(index as u32 + 1)
}

/// Whether the page at 0-based `index` is a left-hand page: the cover (page 1) is a
/// right-hand page, so even page numbers are left-hand pages.
pub(crate) fn is_verso(index: usize) -> bool {
    index % 2 == 1
}

/// Lays every article out on its own pages with two threads; results come back in
/// reading order whatever thread set them, so the output does not depend on timing.
fn lay_all_parallel<S: Setter + Send>(
    edition: &Edition,
    ctx: &mut S,
    geo: &Geometry,
    count: usize,
) -> Vec<Laid> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(2)
        .min(count);
    if threads <= 1 {
        return (0..count)
            .map(|i| lay_article(ctx, geo, edition, i))
            .collect();
    }
    let next = AtomicUsize::new(0);
    let forks: Vec<S> = (0..threads).map(|_| ctx.fork()).collect();
    let mut done: Vec<(usize, Laid)> = std::thread::scope(|s| {
        let handles: Vec<_> = forks
            .into_iter()
            .map(|mut local| {
                let next = &next;
                s.spawn(move || {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= count {
                            break;
                        }
                        out.push((i, lay_article(&mut local, geo, edition, i)));
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("article layout panicked"))
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, l)| l).collect()
}

/// Bookmarks: the contents, then each section (opening its first article) with its
/// articles nested.
fn outline(edition: &Edition, labels: &Labels, starts: &[Start], top: f32) -> Vec<OutlineEntry> {
    let mut out = vec![OutlineEntry {
        title: labels.contents.to_string(),
        page: 1,
        y: top,
        children: Vec::new(),
    }];
    let mut i = 0;
    for section in &edition.sections {
        let mut children = Vec::new();
        for article in &section.articles {
            let s = starts[i];
            i += 1;
            children.push(OutlineEntry {
                title: article.title.clone(),
                page: s.page,
                y: s.y,
                children: Vec::new(),
            });
        }
        if let Some(first) = children.first() {
            out.push(OutlineEntry {
                title: section.title.clone(),
                page: first.page,
                y: first.y,
                children,
            });
        }
    }
    out
}

/// Document metadata from the edition's: the document title and contributors both
/// outputs use (see [`crate::model::wording`]), description, subjects, language, date.
fn meta(edition: &Edition) -> DocMeta {
    let m = &edition.meta;
    DocMeta {
        title: m.document_title(),
        authors: edition.contributors(),
        subject: m.description.clone(),
        keywords: m.subjects.clone(),
        language: m.language.as_str().to_string(),
        date: (m.date.year, m.date.month, m.date.day),
    }
}

/// Sets plain text (furniture, labels, numbers) in the edition's language.
pub(crate) fn plain_lines(
    ctx: &mut impl Setter,
    text: &str,
    role: Role,
    edition: &Edition,
    width: f32,
    align: Align,
) -> Vec<Line> {
    let inlines = [Inline::text(text, Span::default())];
    ctx.set(&Request::new(&inlines, role, &edition.meta.language, width).align(align))
}

/// Sets a single line of plain text; `None` when nothing was set.
pub(crate) fn one_line(
    ctx: &mut impl Setter,
    text: &str,
    role: Role,
    edition: &Edition,
    width: f32,
    align: Align,
) -> Option<Line> {
    plain_lines(ctx, text, role, edition, width, align)
        .into_iter()
        .next()
}
