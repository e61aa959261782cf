//! Page flow: articles into magazine columns and pages, with a spanning head, balanced
//! final pages, widow and orphan control, running heads, folios, cover and contents.
//!
//! Stages: `collect` turns an article into units on the baseline grid, `distribute` (pure)
//! decides where columns end, `compose` puts heads and columns on pages, `front` makes
//! the cover and the contents, and this module numbers the pages and adds the furniture,
//! the outline and the metadata.

pub mod collect;
pub mod compose;
pub mod distribute;
pub mod front;

#[cfg(test)]
mod fake;
#[cfg(test)]
mod layout_tests;

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::diag::Diagnostic;
use crate::layout::frame::{DocMeta, Document, Item, OutlineEntry, Page, PageLabel};
use crate::layout::inline::{Align, Line, Role, TextContext};
use crate::model::{Article, ArticleStart, Edition, Inline, Language, Rgb, Style};

use collect::Builder;
use compose::{Composer, PageDraft, Start};

/// What the flow needs from text setting. [`TextContext`] is the real thing; tests use
/// a fixed-width fake so layouts can be checked without fonts.
pub trait Setter {
    /// Sets `inlines` into lines of `width` (see [`TextContext::set`]).
    fn set(
        &mut self,
        inlines: &[Inline],
        role: Role,
        language: &Language,
        width: f32,
        align: Align,
        indent: f32,
    ) -> Vec<Line>;
    /// Font size and leading of `role`.
    fn size_and_leading(&self, role: Role) -> (f32, f32);
    /// Drains the warnings raised so far.
    fn take_warnings(&mut self) -> Vec<Diagnostic>;
    /// Records a warning (once).
    fn warn(&mut self, warning: Diagnostic);
    /// Names the article whose text comes next (`None`: edition-level text), so that
    /// warnings can point at its file and line.
    fn set_source(&mut self, article: Option<&Article>) {
        let _ = article;
    }
    /// A fresh setter with the same fonts and style, for another thread.
    fn fork(&self) -> Self
    where
        Self: Sized;
    /// Like `set`, with each of the first `lines` lines indented by `indent` (the room
    /// for a drop cap). `None` when the setter cannot do that; the flow then sets the
    /// paragraph without a drop cap.
    #[allow(clippy::too_many_arguments)]
    fn set_hanging(
        &mut self,
        inlines: &[Inline],
        role: Role,
        language: &Language,
        width: f32,
        align: Align,
        lines: usize,
        indent: f32,
    ) -> Option<Vec<Line>> {
        let _ = (inlines, role, language, width, align, lines, indent);
        None
    }
    /// Like `set`, `looseness` lines longer or shorter than the best setting where the
    /// tolerances allow (to balance a last page). `None` when the setter cannot.
    #[allow(clippy::too_many_arguments)]
    fn set_loose(
        &mut self,
        inlines: &[Inline],
        role: Role,
        language: &Language,
        width: f32,
        align: Align,
        indent: f32,
        looseness: i32,
    ) -> Option<Vec<Line>> {
        let _ = (inlines, role, language, width, align, indent, looseness);
        None
    }
}

impl Setter for TextContext<'_> {
    fn set(
        &mut self,
        inlines: &[Inline],
        role: Role,
        language: &Language,
        width: f32,
        align: Align,
        indent: f32,
    ) -> Vec<Line> {
        TextContext::set(self, inlines, role, language, width, align, indent)
    }

    fn size_and_leading(&self, role: Role) -> (f32, f32) {
        TextContext::size_and_leading(self, role)
    }

    fn take_warnings(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.warnings)
    }

    fn warn(&mut self, warning: Diagnostic) {
        if !self.warnings.contains(&warning) {
            self.warnings.push(warning);
        }
    }

    fn fork(&self) -> Self {
        TextContext::new(self.fonts, self.style)
    }

    fn set_source(&mut self, article: Option<&Article>) {
        TextContext::set_source(self, article.map(|a| (a.source.clone(), a.text.clone())));
    }

    fn set_hanging(
        &mut self,
        inlines: &[Inline],
        role: Role,
        language: &Language,
        width: f32,
        align: Align,
        lines: usize,
        indent: f32,
    ) -> Option<Vec<Line>> {
        Some(TextContext::set_hanging(
            self, inlines, role, language, width, align, lines, indent,
        ))
    }

    fn set_loose(
        &mut self,
        inlines: &[Inline],
        role: Role,
        language: &Language,
        width: f32,
        align: Align,
        indent: f32,
        looseness: i32,
    ) -> Option<Vec<Line>> {
        Some(TextContext::set_loose(
            self, inlines, role, language, width, align, indent, looseness,
        ))
    }
}

/// Height units per baseline-grid line in the column algorithms.
pub const SUB: u32 = 1000;

/// Page geometry derived from the style, in points; the page is laid out as a right-hand
/// page (inner margin on the left) and left-hand pages are shifted when numbered.
#[derive(Debug, Clone)]
pub struct Geometry {
    pub page_w: f32,
    pub page_h: f32,
    /// Left edge of the text area on a right-hand page.
    pub left: f32,
    /// Top of the text area.
    pub top: f32,
    pub text_w: f32,
    pub col_w: f32,
    pub gutter: f32,
    pub columns: usize,
    /// Body size and leading (the baseline grid).
    pub body_size: f32,
    pub lead: f32,
    /// Baseline offset of body text inside a grid line.
    pub base: f32,
    /// Grid lines in a column.
    pub lines: u32,
    /// First-line indent of paragraphs, points.
    pub style_indent: f32,
    /// Articles open with a two-line initial.
    pub drop_caps: bool,
    /// Shift of left-hand pages (outer minus inner margin).
    pub verso_dx: f32,
    pub margin_top: f32,
    pub margin_bottom: f32,
    pub text: Rgb,
    pub accent: Rgb,
    pub muted: Rgb,
}

impl Geometry {
    pub fn new(style: &Style, ctx: &impl Setter) -> Geometry {
        let p = &style.page;
        let (body_size, lead) = ctx.size_and_leading(Role::Body);
        let lead = if lead > 0.0 {
            lead
        } else {
            1.2 * body_size.max(1.0)
        };
        let lines = ((p.text_height() / lead) + 1e-3).floor().max(4.0) as u32;
        Geometry {
            page_w: p.width,
            page_h: p.height,
            left: p.margin_inner,
            top: p.margin_top,
            text_w: p.text_width(),
            col_w: p.column_width(),
            gutter: p.gutter,
            columns: p.columns.max(1) as usize,
            body_size,
            lead,
            base: collect::baseline_in(body_size, lead),
            lines,
            style_indent: style.indent_em * body_size,
            drop_caps: style.drop_caps,
            verso_dx: p.margin_outer - p.margin_inner,
            margin_top: p.margin_top,
            margin_bottom: p.margin_bottom,
            text: style.colours.text,
            accent: style.colours.accent,
            muted: style.colours.muted,
        }
    }

    /// Left edge of column `k` on a right-hand page.
    pub fn col_x(&self, k: usize) -> f32 {
        self.left + k as f32 * (self.col_w + self.gutter)
    }

    /// Points to column units, rounded up.
    pub fn sub(&self, pt: f32) -> u32 {
        ((pt / self.lead * SUB as f32) - 1e-2).ceil().max(1.0) as u32
    }

    /// Points to column units, rounded up to whole grid lines (at least one).
    pub fn grid_round(&self, pt: f32) -> u32 {
        ((pt / self.lead) - 1e-3).ceil().max(1.0) as u32 * SUB
    }

    /// Column units rounded up to whole grid lines.
    pub fn grid_round_sub(&self, sub: u32) -> u32 {
        sub.div_ceil(SUB) * SUB
    }

    /// Column units to points.
    pub fn pt(&self, sub: u32) -> f32 {
        sub as f32 / SUB as f32 * self.lead
    }

    /// A filled rectangle (a rule) of `thickness` with its top at `y`.
    pub fn rule(&self, x: f32, y: f32, width: f32, thickness: f32, colour: Rgb) -> Item {
        Item::Rect {
            x,
            y,
            width,
            height: thickness,
            colour,
        }
    }
}

/// Appends a set line's runs and links as frame items, its origin at `x` and its
/// baseline at `baseline`.
pub fn line_items(line: Line, x: f32, baseline: f32, out: &mut Vec<Item>) {
    let (ascent, descent) = (line.ascent, line.descent);
    for mut run in line.runs {
        run.x += x;
        run.y += baseline;
        out.push(Item::Text(run));
    }
    for link in line.links {
        out.push(Item::Link {
            x: x + link.x,
            y: baseline - ascent,
            width: link.width,
            height: ascent + descent,
            target: crate::layout::frame::LinkTarget::Url(link.url),
        });
    }
}

/// Moves an item by `(dx, dy)`.
pub fn shift(item: Item, dx: f32, dy: f32) -> Item {
    match item {
        Item::Text(mut run) => {
            run.x += dx;
            run.y += dy;
            Item::Text(run)
        }
        Item::Rect {
            x,
            y,
            width,
            height,
            colour,
        } => Item::Rect {
            x: x + dx,
            y: y + dy,
            width,
            height,
            colour,
        },
        Item::Image {
            x,
            y,
            width,
            height,
            image,
        } => Item::Image {
            x: x + dx,
            y: y + dy,
            width,
            height,
            image,
        },
        Item::Link {
            x,
            y,
            width,
            height,
            target,
        } => Item::Link {
            x: x + dx,
            y: y + dy,
            width,
            height,
            target,
        },
    }
}

/// Authors as printed: "A", "A & B", "A, B & C".
pub fn names(authors: &[String]) -> String {
    match authors {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} & {last}", rest.join(", ")),
    }
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
    .then(|| names(&article.authors));
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
pub fn layout(edition: &Edition, ctx: &mut TextContext<'_>) -> Document {
    layout_with(edition, ctx)
}

/// Lays out the whole edition with any text setter (the real one, or a fake in tests).
pub fn layout_with<S: Setter + Send>(edition: &Edition, ctx: &mut S) -> Document {
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
                .then(|| names(&article.authors));
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

    // Number the pages and add running heads and folios.
    let labels = front::Labels::for_language(&edition.meta.language);
    let mut pages = Vec::with_capacity(front_pages + article_pages.len());
    pages.push(Page {
        width: geo.page_w,
        height: geo.page_h,
        label: PageLabel::Roman(1),
        items: cover,
    });
    let mut drafts: Vec<(PageLabel, PageDraft, bool)> = Vec::new();
    for (i, d) in contents_pages.into_iter().enumerate() {
        drafts.push((PageLabel::Roman(i as u32 + 2), d, false));
    }
    for (i, d) in article_pages.into_iter().enumerate() {
        drafts.push((PageLabel::Arabic(i as u32 + 1), d, true));
    }
    let head_text = format!(
        "{} \u{b7} {} \u{b7} {}",
        edition.meta.title,
        labels.issue(&edition.meta.issue),
        edition.meta.date_label
    );
    for (label, draft, is_article) in drafts {
        let index = pages.len();
        let verso = index % 2 == 1;
        let mut items = draft.items;
        if is_article && !draft.opens {
            let section = edition
                .sections
                .get(draft.section)
                .map_or("", |s| s.title.as_str());
            front::running_head(ctx, &geo, edition, &head_text, section, &mut items);
        }
        front::folio(ctx, &geo, edition, &label_text(label), verso, &mut items);
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
        outline: outline(edition, &labels, &article_index, geo.top),
        meta: meta(edition),
        fonts: Vec::new(),
    }
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

/// "iv" or "12".
pub fn label_text(label: PageLabel) -> String {
    match label {
        PageLabel::Roman(n) => roman(n),
        PageLabel::Arabic(n) => n.to_string(),
    }
}

/// Lower-case roman numeral.
pub fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for (value, digits) in TABLE {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

/// Bookmarks: the contents, then each section (opening its first article) with its
/// articles nested.
fn outline(
    edition: &Edition,
    labels: &front::Labels,
    starts: &[Start],
    top: f32,
) -> Vec<OutlineEntry> {
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

/// Document metadata from the edition's: title "Magazine — Issue 7", the authors of
/// all articles in reading order (each once), description, subjects, language, date.
fn meta(edition: &Edition) -> DocMeta {
    let m = &edition.meta;
    let mut authors: Vec<String> = Vec::new();
    for (_, a) in edition.articles() {
        for name in &a.authors {
            if !authors.contains(name) {
                authors.push(name.clone());
            }
        }
    }
    DocMeta {
        title: format!(
            "{} \u{2014} {}",
            m.title,
            front::Labels::for_language(&m.language).issue(&m.issue)
        ),
        authors,
        subject: m.description.clone(),
        keywords: m.subjects.clone(),
        language: m.language.as_str().to_string(),
        date: (m.date.year, m.date.month, m.date.day),
    }
}

/// Sets a single line of plain text (furniture, numbers); `None` when nothing was set.
pub fn one_line(
    ctx: &mut impl Setter,
    text: &str,
    role: Role,
    edition: &Edition,
    width: f32,
    align: Align,
) -> Option<Line> {
    ctx.set(
        &[Inline::Text(text.to_string())],
        role,
        &edition.meta.language,
        width,
        align,
        0.0,
    )
    .into_iter()
    .next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_numerals() {
        assert_eq!(roman(1), "i");
        assert_eq!(roman(4), "iv");
        assert_eq!(roman(9), "ix");
        assert_eq!(roman(14), "xiv");
        assert_eq!(roman(1994), "mcmxciv");
    }

    #[test]
    fn author_names_join() {
        assert_eq!(names(&[]), "");
        assert_eq!(names(&["A".into()]), "A");
        assert_eq!(names(&["A".into(), "B".into()]), "A & B");
        assert_eq!(names(&["A".into(), "B".into(), "C".into()]), "A, B & C");
    }
}
