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
pub(crate) mod fit;
pub(crate) mod front;
pub(crate) mod geometry;
pub(crate) mod setter;
pub(crate) mod span;

/// The fixed-width fake setter of the tests, also driven by the fuzz targets.
#[cfg(any(test, feature = "fuzzing"))]
#[cfg_attr(not(test), allow(dead_code))]
#[path = "tests/fake.rs"]
pub(crate) mod fake;
#[cfg(test)]
mod tests;

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::diag::Diagnostic;
use crate::layout::frame::{
    ArticleFit, DocMeta, Document, Item, NodeId, NodeKind, NodeList, OutlineEntry, Page, PageLabel,
    PartKind, StructPart, TextRun, tag_items,
};
use crate::layout::inline::{Align, Line, Request, Role};
use crate::model::{
    Article, ArticleStart, Edition, Inline, Labels, PRINT_BYLINE_AND, Span, name_separator,
};

use collect::Builder;
use compose::{PageDraft, Start};
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

/// One article laid out, with the warnings its text raised and how it was made up.
struct Laid {
    pages: Vec<PageDraft>,
    start: Start,
    /// Grid lines taken on its last page.
    cursor: u32,
    fill: f32,
    last_lines: u32,
    /// Paragraphs set again (source line, looseness).
    reset: Vec<(usize, i32)>,
    warnings: Vec<Diagnostic>,
    /// The article's structure nodes.
    nodes: NodeList,
}

/// Parts of [`Document::structure`]: the cover, the contents, then one per article.
const COVER_PART: u32 = 0;
const CONTENTS_PART: u32 = 1;
const FIRST_ARTICLE_PART: u32 = 2;

/// Sets one article, on fresh pages or (`resume`) from the given grid line of a page
/// the article before ended on, copyfitting it when its last page would be stranded.
fn lay_article(
    ctx: &mut impl Setter,
    geo: &Geometry,
    edition: &Edition,
    index: usize,
    resume: Option<(PageDraft, u32)>,
) -> Laid {
    let (section, article) = edition
        .articles()
        .nth(index)
        .expect("article index in range");
    ctx.set_source(Some(article));
    let mut nodes = NodeList::new(index as u32 + FIRST_ARTICLE_PART);
    let head = compose::head(
        ctx,
        geo,
        &edition.sections[section].title,
        article,
        &mut nodes,
    );
    let at_end = (article.byline == crate::model::BylinePosition::End
        && !article.authors.is_empty())
    .then(|| byline(article));
    let mut build = |ctx: &mut _| {
        Builder::new(ctx, geo, &article.language)
            .with_standfirst_first(head.standfirst_in_body)
            .with_nodes(nodes.clone(), None)
            .article(article, at_end.as_deref())
    };
    let body = build(ctx);
    let body_nodes = body.nodes.clone();
    let job = fit::Job {
        head: &head,
        section,
        resume,
        lang: &article.language,
    };
    let fitted = fit::fit(ctx, geo, &job, body, &mut build);
    let nodes = body_nodes;
    let c = fitted.composer;
    let mut starts: Vec<(usize, i32)> = fitted
        .copyfit
        .iter()
        .chain(c.resets.iter())
        .filter(|(span, _)| !span.is_empty())
        .map(|&(span, d)| (span.start.min(article.text.len()), d))
        .collect();
    starts.sort_unstable();
    let mut reset = line_numbers(&article.text, starts);
    reset.sort_unstable();
    Laid {
        start: c.starts[0],
        cursor: c.cursor(),
        fill: c.fill,
        last_lines: c.last_lines,
        reset,
        pages: c.pages,
        warnings: ctx.take_warnings(),
        nodes,
    }
}

/// The line (from 1) of `text` each offset of `offsets` (sorted) is on, with its value:
/// the line count of the text before it, as `str::lines` counts (so at least 1). One walk
/// through the text for all of them, not one from the start each: a huge article may have
/// thousands of paragraphs set again.
fn line_numbers(text: &str, offsets: Vec<(usize, i32)>) -> Vec<(usize, i32)> {
    let bytes = text.as_bytes();
    let (mut at, mut newlines) = (0, 0);
    offsets
        .into_iter()
        .map(|(offset, d)| {
            let offset = offset.min(bytes.len());
            newlines += bytes[at..offset].iter().filter(|&&b| b == b'\n').count();
            at = offset;
            let open_line = offset > 0 && bytes[offset - 1] != b'\n';
            ((newlines + usize::from(open_line)).max(1), d)
        })
        .collect()
}

/// How each article starts: its section's choice, else the style's. A section that
/// runs on still opens as the style says: its own articles follow one another.
fn start_modes(edition: &Edition) -> Vec<ArticleStart> {
    let style = edition.style.article_start;
    edition
        .sections
        .iter()
        .flat_map(|s| {
            let mode = s.article_start.unwrap_or(style);
            s.articles.iter().enumerate().map(move |(i, _)| {
                if i == 0 && mode == ArticleStart::RunOn {
                    style
                } else {
                    mode
                }
            })
        })
        .collect()
}

/// The articles' pages in reading order, where each starts and how each was made up.
/// Articles that may open a page are first laid alone (in parallel); then, in reading
/// order, an article runs on below the one before when its start says so (`run-on`,
/// or `auto` after a last page under a third full) and is laid again there, and a
/// blank page goes before a `recto` or `spread` opening that would fall on the wrong
/// side. `front_pages` is how many pages come before the first article.
fn lay_articles<S: Setter + Send>(
    edition: &Edition,
    ctx: &mut S,
    geo: &Geometry,
    front_pages: usize,
) -> (Vec<PageDraft>, Vec<Start>, Vec<ArticleFit>, Vec<StructPart>) {
    let modes = start_modes(edition);
    let jobs: Vec<Option<Option<(PageDraft, u32)>>> = modes
        .iter()
        .map(|&m| (m != ArticleStart::RunOn).then_some(None))
        .collect();
    let alone = lay_all_parallel(edition, ctx, geo, &jobs);
    // Articles that will run on below an article laid alone are laid there now, in
    // parallel too, instead of one by one in the loop below: the page and grid line
    // they resume from are known. The loop uses such a layout only when the article
    // before was indeed placed as laid alone (not run on itself), so the result is the
    // same as laying them in order.
    let speculative = lay_all_parallel(edition, ctx, geo, &run_on_jobs(&modes, &alone));
    let mut speculative = speculative.into_iter();
    let mut prev_alone = false;
    let mut pages: Vec<PageDraft> = Vec::new();
    let mut starts = Vec::with_capacity(modes.len());
    let mut fits: Vec<ArticleFit> = Vec::with_capacity(modes.len());
    let mut parts: Vec<StructPart> = Vec::with_capacity(modes.len());
    let mut prev: Option<(f32, u32)> = None;
    for ((i, (section, article)), laid) in edition.articles().enumerate().zip(alone) {
        let run_on = match (modes[i], prev) {
            (ArticleStart::RunOn, Some(_)) => true,
            (ArticleStart::Auto, Some((fill, _))) => fill < fit::THIRD,
            _ => false,
        };
        let guess = speculative.next().flatten().filter(|_| prev_alone);
        prev_alone = !run_on && laid.is_some();
        let laid = match (run_on, prev) {
            (true, Some((_, cursor))) => {
                let page = pages.pop().expect("the article before has a last page");
                match guess {
                    Some(laid) => laid,
                    None => lay_article(ctx, geo, edition, i, Some((page, cursor))),
                }
            }
            _ => {
                let next = front_pages + pages.len();
                let pad = match modes[i] {
                    ArticleStart::Recto => is_verso(next),
                    ArticleStart::Spread => !is_verso(next),
                    _ => false,
                };
                if pad {
                    pages.push(PageDraft {
                        items: Vec::new(),
                        section,
                        opens: true,
                    });
                }
                laid.unwrap_or_else(|| lay_article(ctx, geo, edition, i, None))
            }
        };
        for w in laid.warnings {
            ctx.warn(w);
        }
        for link in &article.refused_links {
            let text = &article.text;
            ctx.warn(Diagnostic::refused_link(
                &article.source,
                text,
                &link.url,
                link.span.range(),
            ));
        }
        let lang = article.language.as_str();
        parts.push(StructPart {
            kind: PartKind::Article,
            lang: (lang != edition.meta.language.as_str()).then(|| lang.to_string()),
            nodes: laid.nodes.nodes,
        });
        let first = pages.len() + laid.start.page;
        starts.push(Start {
            page: first,
            y: laid.start.y,
        });
        let runs_on = run_on && laid.start.page == 0;
        if runs_on && let Some(before) = fits.last_mut() {
            before.stranded = false;
        }
        let capacity = geo.lines * geo.columns as u32;
        pages.extend(laid.pages);
        fits.push(ArticleFit {
            source: article.source.clone(),
            first_page: front_pages + first + 1,
            pages: pages.len() - first,
            runs_on,
            last_page_fill: laid.fill,
            last_page_lines: laid.last_lines,
            lines_short_of_full_page: capacity.saturating_sub(laid.last_lines),
            reset: laid.reset,
            stranded: laid.fill < fit::THIRD,
        });
        prev = Some((laid.fill, laid.cursor));
    }
    // The edition's last page may be short.
    if let Some(last) = fits.last_mut() {
        last.stranded = false;
    }
    (pages, starts, fits, parts)
}

/// Lays out the whole edition with any text setter (the real one, or a fake in tests).
#[cfg(test)]
pub(crate) fn layout_with<S: Setter + Send>(edition: &Edition, ctx: &mut S) -> Document {
    layout_padded(edition, ctx, 1).0
}

/// Blank pages that bring `pages` up to a multiple of `multiple` (0 or 1: none).
pub(crate) fn padding(pages: usize, multiple: usize) -> usize {
    if multiple <= 1 {
        return 0;
    }
    (multiple - pages % multiple) % multiple
}

/// Adds `pad` blank pages (no running head, no folio) to `pages`: before the last page
/// when it opens an article, so that the last page stays the back cover; after it when
/// it continues an article, so that no article is split by blank pages. Moves the
/// starts and fits of what follows them. Returns whether they went before the last page.
fn pad_pages(
    pages: &mut Vec<PageDraft>,
    starts: &mut [Start],
    fits: &mut [ArticleFit],
    front_pages: usize,
    pad: usize,
) -> bool {
    let Some(last) = pages.last() else {
        return false;
    };
    let before = last.opens;
    let at = if before { pages.len() - 1 } else { pages.len() };
    let section = last.section;
    let blanks = (0..pad).map(|_| PageDraft {
        items: Vec::new(),
        section,
        opens: true,
    });
    pages.splice(at..at, blanks);
    for s in starts.iter_mut().filter(|s| s.page >= at) {
        s.page += pad;
    }
    for f in fits.iter_mut().filter(|f| f.first_page > front_pages + at) {
        f.first_page += pad;
    }
    before
}

/// The part of the layout that does not depend on the page count's multiple: the cover,
/// the contents planned without page numbers and every article laid out. The expensive
/// part: a build makes it once and [`assemble`]s it for each output.
#[derive(Debug, Clone)]
pub(crate) struct Flowed {
    geo: Geometry,
    cover: Vec<crate::layout::frame::Item>,
    plan: front::ContentsPlan,
    /// The cover's and the contents' pages.
    front_pages: usize,
    /// The articles' pages, where each starts (page within them) and how each was made up.
    pages: Vec<PageDraft>,
    starts: Vec<Start>,
    fits: Vec<ArticleFit>,
    parts: Vec<StructPart>,
}

impl Flowed {
    /// A copy that keeps of each article page only what the print page list reads
    /// ([`crate::layout::pages::page_breaks`]): the run it marks the page's start with,
    /// without its glyphs, or a blank rule when the page shows something but no running
    /// text (so that it still gets its folio), and an empty run for each other face the
    /// page sets text in. The cover and the contents are kept
    /// whole. Assembled, it gives the same page list, page count and cover as the whole
    /// edition, at a small part of the memory: the pages hold about 30 bytes per byte of
    /// text.
    pub(crate) fn page_list_skeleton(&self) -> Flowed {
        let kind = |node: crate::layout::frame::NodeId| {
            let part = node.part.checked_sub(FIRST_ARTICLE_PART)?;
            let part = self.parts.get(part as usize)?;
            Some(part.nodes.get(node.index as usize).map(|n| n.kind))
        };
        let pages = self
            .pages
            .iter()
            .map(|page| {
                let first = crate::layout::pages::first_text(&page.items, kind);
                let kept = first.and_then(|(part, index, source)| {
                    page.items.iter().find_map(|item| match item {
                        Item::Text(run)
                            if run.node == Some(NodeId { part, index })
                                && !run.text.trim().is_empty() =>
                        {
                            Some(Item::Text(TextRun {
                                glyphs: Vec::new(),
                                text: run.text.clone(),
                                lang: None,
                                source,
                                ..*run
                            }))
                        }
                        _ => None,
                    })
                });
                let mut items = match kept {
                    Some(run) => vec![run],
                    None if page.items.is_empty() => Vec::new(),
                    None => vec![Item::Rect {
                        x: 0.0,
                        y: 0.0,
                        width: 0.0,
                        height: 0.0,
                        colour: crate::model::Rgb(0, 0, 0),
                    }],
                };
                // One empty run, outside any node, for each other face the page sets
                // text in: the EPUB embeds the faces the layout used.
                for item in &page.items {
                    let Item::Text(run) = item else { continue };
                    let known = items
                        .iter()
                        .any(|i| matches!(i, Item::Text(r) if r.font == run.font));
                    if !known {
                        items.push(Item::Text(TextRun {
                            glyphs: Vec::new(),
                            text: String::new(),
                            lang: None,
                            node: None,
                            ..*run
                        }));
                    }
                }
                PageDraft {
                    items,
                    section: page.section,
                    opens: page.opens,
                }
            })
            .collect();
        Flowed {
            geo: self.geo.clone(),
            cover: self.cover.clone(),
            plan: self.plan.clone(),
            front_pages: self.front_pages,
            pages,
            starts: self.starts.clone(),
            fits: self.fits.clone(),
            parts: self.parts.clone(),
        }
    }
}

/// Lays out the front matter (without page numbers) and every article ([`Flowed`]).
pub(crate) fn flow<S: Setter + Send>(edition: &Edition, ctx: &mut S) -> Flowed {
    let geo = Geometry::new(&edition.style, ctx);

    // Front matter first: the number of its pages decides which pages are right-hand
    // ones (the contents' length does not depend on page numbers; an issue of one article
    // has none).
    ctx.set_source(None);
    let cover = front::cover(ctx, &geo, edition);
    let plan = front::contents_plan(ctx, &geo, edition);
    let front_pages = 1 + plan.pages.len();

    let (pages, starts, fits, parts) = lay_articles(edition, ctx, &geo, front_pages);
    Flowed {
        geo,
        cover,
        plan,
        front_pages,
        pages,
        starts,
        fits,
        parts,
    }
}

/// [`layout_with`], with the page count brought up to a multiple of `multiple` by blank
/// pages ([`pad_pages`]); also returns how many were added.
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) fn layout_padded<S: Setter + Send>(
    edition: &Edition,
    ctx: &mut S,
    multiple: usize,
) -> (Document, usize) {
    let flowed = flow(edition, ctx);
    assemble(edition, ctx, flowed, multiple)
}

/// The document of a [`Flowed`] edition with its page count brought up to a multiple of
/// `multiple` by blank pages ([`pad_pages`]): the contents' page numbers, the running
/// heads and folios, the structure and the outline. Cheap next to [`flow`]; returns how
/// many blank pages were added. Takes the flowed edition by value, so that its pages
/// become the document's without a copy (a caller that assembles several multiples
/// clones it for all but the last).
pub(crate) fn assemble(
    edition: &Edition,
    ctx: &mut impl Setter,
    flowed: Flowed,
    multiple: usize,
) -> (Document, usize) {
    let Flowed {
        geo,
        mut cover,
        plan,
        front_pages,
        pages: mut article_pages,
        mut starts,
        mut fits,
        parts: article_parts,
    } = flowed;
    let pad = padding(front_pages + article_pages.len(), multiple);
    if pad > 0 {
        pad_pages(&mut article_pages, &mut starts, &mut fits, front_pages, pad);
    }
    for f in fits.iter().filter(|f| f.stranded) {
        ctx.warn(
            Diagnostic::warning(format!(
                "the article ends on page {} with its last page {:.0} % full",
                f.first_page + f.pages - 1,
                100.0 * f.last_page_fill
            ))
            .in_file(&f.source)
            .with_hint(
                "shorten or lengthen it by a few lines, or let the next article run on (`article_start = \"auto\"` or \"run-on\" for its section)",
            ),
        );
    }

    ctx.set_source(None);
    let article_index: Vec<Start> = starts
        .iter()
        .map(|s| Start {
            page: s.page + front_pages,
            y: s.y,
        })
        .collect();
    let mut contents_pages = front::contents_finish(ctx, edition, plan, &article_index);

    // The cover's and the contents' text each read as one paragraph of its part; the
    // cover picture is a figure.
    let mut cover_nodes = NodeList::new(COVER_PART);
    let cover_image = cover
        .iter()
        .any(|i| matches!(i, crate::layout::frame::Item::Image { .. }));
    if cover_image {
        let figure = cover_nodes.add(NodeKind::Figure, None);
        cover_nodes.set_alt(figure, edition.meta.document_title());
        for item in &mut cover {
            if let crate::layout::frame::Item::Image { node, .. } = item {
                *node = Some(figure);
            }
        }
    }
    let cover_text = cover_nodes.add(NodeKind::Paragraph, None);
    tag_items(&mut cover, cover_text);
    let mut contents_nodes = NodeList::new(CONTENTS_PART);
    if !contents_pages.is_empty() {
        let node = contents_nodes.add(NodeKind::Paragraph, None);
        for page in &mut contents_pages {
            tag_items(&mut page.items, node);
        }
    }
    let mut structure = vec![
        StructPart {
            kind: PartKind::Cover,
            lang: None,
            nodes: cover_nodes.nodes,
        },
        StructPart {
            kind: PartKind::Contents,
            lang: None,
            nodes: contents_nodes.nodes,
        },
    ];
    structure.extend(article_parts);

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
        // A blank page (before a recto or spread opening) has no folio.
        if !items.is_empty() {
            front::folio(ctx, &geo, edition, &label.text(), verso, &mut items);
        }
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

    let document = Document {
        pages,
        outline: outline(edition, labels, &article_index, geo.top, front_pages > 1),
        meta: meta(edition),
        fonts: Vec::new(),
        fits,
        structure,
    };
    (document, pad)
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

/// For each article, the page and grid line it resumes from when it will run on below
/// the article before as that one was laid alone (`alone`, from [`lay_all_parallel`]),
/// by the rule of [`lay_articles`]; `None` for the others.
fn run_on_jobs(
    modes: &[ArticleStart],
    alone: &[Option<Laid>],
) -> Vec<Option<Option<(PageDraft, u32)>>> {
    let runs_on = |i: usize| {
        i > 0
            && alone[i - 1].as_ref().is_some_and(|before| match modes[i] {
                ArticleStart::RunOn => true,
                ArticleStart::Auto => before.fill < fit::THIRD,
                _ => false,
            })
    };
    let mut jobs = vec![None; modes.len()];
    for i in 1..modes.len() {
        // When the article before runs on itself, it ends elsewhere than laid alone,
        // and a layout made here would most likely be thrown away.
        if !runs_on(i) || runs_on(i - 1) {
            continue;
        }
        if let Some(before) = &alone[i - 1]
            && let Some(page) = before.pages.last()
        {
            jobs[i] = Some(Some((page.clone(), before.cursor)));
        }
    }
    jobs
}

/// Lays articles out with two threads: `jobs[i]` is `None` for an article to leave,
/// `Some(None)` for one on its own pages and `Some(Some((page, line)))` for one that
/// resumes on `page` at grid line `line`. Results come back in reading order whatever
/// thread set them, so the output does not depend on timing.
fn lay_all_parallel<S: Setter + Send>(
    edition: &Edition,
    ctx: &mut S,
    geo: &Geometry,
    jobs: &[Option<Option<(PageDraft, u32)>>],
) -> Vec<Option<Laid>> {
    let total = jobs.len();
    let lay = |ctx: &mut S, i: usize| {
        jobs[i]
            .as_ref()
            .map(|resume| lay_article(ctx, geo, edition, i, resume.clone()))
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(2)
        .min(jobs.iter().filter(|j| j.is_some()).count());
    if threads == 0 {
        return jobs.iter().map(|_| None).collect();
    }
    if threads == 1 {
        return (0..total).map(|i| lay(ctx, i)).collect();
    }
    let next = AtomicUsize::new(0);
    let forks: Vec<S> = (0..threads).map(|_| ctx.fork()).collect();
    let mut done: Vec<(usize, Option<Laid>)> = std::thread::scope(|s| {
        let handles: Vec<_> = forks
            .into_iter()
            .map(|mut local| {
                let next = &next;
                let lay = &lay;
                s.spawn(move || {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= total {
                            break;
                        }
                        out.push((i, lay(&mut local, i)));
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

/// Bookmarks: the contents (when there is a contents page), then each section (opening
/// its first article) with its articles nested.
fn outline(
    edition: &Edition,
    labels: &Labels,
    starts: &[Start],
    top: f32,
    contents: bool,
) -> Vec<OutlineEntry> {
    let mut out = Vec::new();
    if contents {
        out.push(OutlineEntry {
            title: labels.contents.to_string(),
            page: 1,
            y: top,
            children: Vec::new(),
        });
    }
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
        modified: Some(m.modified()),
        revision: m.revision,
        issue: m.issue.clone(),
        volume: m.volume,
        publisher: m.publisher.clone(),
        issn: m.issn.clone(),
        rights: m.rights.clone(),
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
