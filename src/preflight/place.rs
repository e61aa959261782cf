//! Where a finding comes from: an image's reference in its article (or `cover` in
//! `edition.toml`), a line of text in its article, a key of the style file. Found through
//! the model's spans and the TOML files' keys, never by searching a file's text.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::{Diagnostic, source_offset};
use crate::edition::tomlerr::{Seg, locate};
use crate::layout::frame::{Document, TextRun};
use crate::model::{Article, Block, BlockKind, Edition, Image, Inline, InlineKind};

/// A trim edge, as the style's margins name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Edge {
    Top,
    Bottom,
    Inner,
    Outer,
}

impl Edge {
    /// For messages.
    pub(super) fn name(self) -> &'static str {
        match self {
            Edge::Top => "top",
            Edge::Bottom => "bottom",
            Edge::Inner => "inner (spine)",
            Edge::Outer => "outer",
        }
    }

    /// The key in the style's `[margins_mm]`.
    pub(super) fn key(self) -> &'static str {
        match self {
            Edge::Top => "top",
            Edge::Bottom => "bottom",
            Edge::Inner => "inner",
            Edge::Outer => "outer",
        }
    }
}

/// A file and, when known, the byte range in it a finding points at.
#[derive(Debug, Clone, Default)]
pub(super) struct Place {
    pub(super) file: Option<PathBuf>,
    text: Option<Arc<str>>,
    range: Option<Range<usize>>,
}

impl Place {
    fn file(file: &Path) -> Place {
        Place {
            file: Some(file.to_path_buf()),
            ..Place::default()
        }
    }

    fn at(file: &Path, text: &Arc<str>, range: Range<usize>) -> Place {
        Place {
            file: Some(file.to_path_buf()),
            text: Some(text.clone()),
            range: Some(range),
        }
    }

    /// `d` placed here.
    pub(super) fn put(&self, mut d: Diagnostic) -> Diagnostic {
        if let Some(file) = &self.file {
            d = d.in_file(file);
            if let (Some(text), Some(range)) = (&self.text, &self.range) {
                d = d.at_range(text, range.clone());
            }
        }
        d
    }
}

/// A figure's reference: its image file, its article and the figure's span.
struct Figure<'a> {
    image: PathBuf,
    article: &'a Article,
    span: Range<usize>,
}

/// The sources of an edition, to place findings in.
pub(super) struct Places<'a> {
    edition: &'a Edition,
    document: &'a Document,
    edition_toml: PathBuf,
    edition_text: Option<Arc<str>>,
    style_text: Option<Arc<str>>,
    figures: Vec<Figure<'a>>,
    used: Vec<bool>,
}

impl<'a> Places<'a> {
    pub(super) fn new(edition: &'a Edition, document: &'a Document) -> Self {
        let read = |p: &Path| std::fs::read_to_string(p).ok().map(Arc::<str>::from);
        let edition_toml = edition.root.join("edition.toml");
        let mut figures = Vec::new();
        for (_, article) in edition.articles() {
            let notes = article.footnotes.iter().flat_map(|n| &n.blocks);
            for block in article.blocks.iter().chain(notes) {
                collect_figures(block, article, &mut figures);
            }
        }
        Places {
            edition,
            document,
            edition_text: read(&edition_toml),
            edition_toml,
            style_text: edition.style.source.as_deref().and_then(read),
            used: vec![false; figures.len()],
            figures,
        }
    }

    /// `edition.toml`, without a line.
    pub(super) fn edition(&self) -> Place {
        Place::file(&self.edition_toml)
    }

    /// A key of `edition.toml`, else the file.
    fn edition_key(&self, path: &[Seg<'_>]) -> Place {
        match &self.edition_text {
            Some(text) => match locate(text, path) {
                Some(range) => Place::at(&self.edition_toml, text, range),
                None => self.edition(),
            },
            None => self.edition(),
        }
    }

    /// The first of `paths` written in the style file, else the file; for a built-in
    /// style, where `edition.toml` chooses it.
    fn style_key(&self, paths: &[&[Seg<'_>]]) -> Place {
        let Some(file) = &self.edition.style.source else {
            return self.edition_key(&[Seg::Key("style")]);
        };
        let found = self.style_text.as_ref().and_then(|text| {
            paths
                .iter()
                .find_map(|p| locate(text, p))
                .map(|r| Place::at(file, text, r))
        });
        found.unwrap_or_else(|| Place::file(file))
    }

    /// The articles on 0-based page `p`, in reading order.
    fn articles_on(&self, p: usize) -> Vec<&'a Article> {
        let n = p + 1;
        let edition = self.edition;
        self.document
            .fits
            .iter()
            .filter(|f| f.first_page <= n && n < f.first_page + f.pages.max(1))
            .filter_map(|f| {
                edition
                    .articles()
                    .map(|(_, a)| a)
                    .find(|a| a.source == f.source)
            })
            .collect()
    }

    /// Where an image placed on page `p` is referenced: the `cover` key for the cover on
    /// the first page, else the next figure of that image not yet placed (among those of
    /// the page's articles first).
    pub(super) fn image(&mut self, p: usize, image: &Image) -> Place {
        match self.figure(p, image, true) {
            Some(i) => self.figure_place(i),
            None => self.cover_or_edition(image),
        }
    }

    /// [`Places::image`] without marking the figure as placed.
    pub(super) fn image_at(&self, p: usize, image: &Image) -> Place {
        let i = self.figure_index(p, image, false);
        match i {
            Some(i) => self.figure_place(i),
            None => self.cover_or_edition(image),
        }
    }

    fn cover_or_edition(&self, image: &Image) -> Place {
        if self
            .edition
            .cover
            .as_ref()
            .is_some_and(|c| c.path == image.path)
        {
            self.edition_key(&[Seg::Key("cover")])
        } else {
            self.edition()
        }
    }

    fn figure_place(&self, i: usize) -> Place {
        let f = &self.figures[i];
        Place::at(&f.article.source, &f.article.text, f.span.clone())
    }

    fn figure(&mut self, p: usize, image: &Image, consume: bool) -> Option<usize> {
        let i = self.figure_index(p, image, consume)?;
        if consume {
            self.used[i] = true;
        }
        Some(i)
    }

    fn figure_index(&self, p: usize, image: &Image, unused_only: bool) -> Option<usize> {
        let is_cover_page = p == 0
            && self
                .edition
                .cover
                .as_ref()
                .is_some_and(|c| c.path == image.path);
        if is_cover_page {
            return None;
        }
        let on_page = self.articles_on(p);
        let fits = |i: usize, page_only: bool, unused: bool| {
            let f = &self.figures[i];
            f.image == image.path
                && (!page_only || on_page.iter().any(|a| a.source == f.article.source))
                && (!unused || !self.used[i])
        };
        let all = 0..self.figures.len();
        let tries: &[(bool, bool)] = if unused_only {
            &[(true, true), (false, true), (true, false), (false, false)]
        } else {
            &[(true, false), (false, false)]
        };
        tries
            .iter()
            .find_map(|&(page_only, unused)| all.clone().find(|&i| fits(i, page_only, unused)))
    }

    /// Where a run of text on page `p` is written: its line in an article on that page;
    /// text the layout makes up (running heads, folios, the contents) at the style's
    /// margin for `edge` (or the `style` key of `edition.toml` for a built-in style);
    /// without an edge, the page's article, or `edition.toml`, without a line.
    pub(super) fn text(&self, p: usize, run: &TextRun, edge: Option<Edge>) -> Place {
        let articles = self.articles_on(p);
        for article in &articles {
            if let Some(range) = find_text(article, &run.text) {
                return Place::at(&article.source, &article.text, range);
            }
        }
        if let Some(edge) = edge {
            return self.style_key(&[
                &[Seg::Key("margins_mm"), Seg::Key(edge.key())],
                &[Seg::Key("margins_mm")],
            ]);
        }
        match articles.last() {
            Some(article) => Place::file(&article.source),
            None => self.edition(),
        }
    }

    /// Where a font family is named in the style file (`fonts.body`, `fonts.display` or
    /// one of `fonts.fallback`), else the style file; for a built-in style, where
    /// `edition.toml` chooses it.
    pub(super) fn font(&self, family: &str) -> Place {
        let fonts = &self.edition.style.fonts;
        let mut paths: Vec<Vec<Seg<'_>>> = Vec::new();
        if fonts.body == family {
            paths.push(vec![Seg::Key("fonts"), Seg::Key("body")]);
        }
        if fonts.display == family {
            paths.push(vec![Seg::Key("fonts"), Seg::Key("display")]);
        }
        for (i, f) in fonts.fallback.iter().enumerate() {
            if f == family {
                paths.push(vec![Seg::Key("fonts"), Seg::Key("fallback"), Seg::Index(i)]);
            }
        }
        paths.push(vec![Seg::Key("fonts")]);
        let refs: Vec<&[Seg<'_>]> = paths.iter().map(Vec::as_slice).collect();
        self.style_key(&refs)
    }

    /// The last block of the article in `source`, else the file.
    pub(super) fn article_end(&self, source: &Path) -> Place {
        let article = self
            .edition
            .articles()
            .map(|(_, a)| a)
            .find(|a| a.source == source);
        match article.and_then(|a| a.blocks.last().map(|b| (a, b.span))) {
            Some((a, span)) if !span.is_empty() => Place::at(&a.source, &a.text, span.range()),
            _ => Place::file(source),
        }
    }
}

fn collect_figures<'a>(block: &Block, article: &'a Article, out: &mut Vec<Figure<'a>>) {
    match &block.kind {
        BlockKind::Figure(f) => out.push(Figure {
            image: f.image.path.clone(),
            article,
            span: block.span.range(),
        }),
        BlockKind::Quote(inner) => inner.iter().for_each(|b| collect_figures(b, article, out)),
        BlockKind::List(list) => list
            .items
            .iter()
            .flatten()
            .for_each(|b| collect_figures(b, article, out)),
        _ => {}
    }
}

/// Where the start of a run's text is written in `article`: its first words found in a
/// text inline of the body or the notes, then mapped into the inline's source; or a front
/// matter value that holds them. `None` for text too short to tell, or not in the article.
fn find_text(article: &Article, run: &str) -> Option<Range<usize>> {
    let run = run.trim().trim_end_matches(['-', '\u{ad}', '\u{2010}']);
    let needle: String = run.chars().take(24).collect();
    if needle.chars().filter(|c| c.is_alphanumeric()).count() < 4 {
        return None;
    }
    let notes = article.footnotes.iter().flat_map(|n| &n.blocks);
    for block in article.blocks.iter().chain(notes) {
        if let Some(r) = in_block(block, &needle, &article.text) {
            return Some(r);
        }
    }
    let front = [
        (Some(&article.title), article.front.title),
        (article.kicker.as_ref(), article.front.kicker),
        (article.standfirst.as_ref(), article.front.standfirst),
    ];
    front
        .into_iter()
        .find(|(value, span)| !span.is_empty() && value.is_some_and(|v| v.contains(&needle)))
        .map(|(_, span)| span.range())
}

fn in_block(block: &Block, needle: &str, source: &str) -> Option<Range<usize>> {
    match &block.kind {
        BlockKind::Paragraph(i)
        | BlockKind::PullQuote(i)
        | BlockKind::Heading { content: i, .. } => in_inlines(i, needle, source),
        BlockKind::Figure(f) => in_inlines(&f.caption, needle, source),
        BlockKind::Quote(inner) => inner.iter().find_map(|b| in_block(b, needle, source)),
        BlockKind::List(list) => list
            .items
            .iter()
            .flatten()
            .find_map(|b| in_block(b, needle, source)),
        BlockKind::Table(t) => t
            .header
            .iter()
            .chain(t.rows.iter().flatten())
            .find_map(|c| in_inlines(c, needle, source)),
        BlockKind::CodeBlock { .. } | BlockKind::Rule => None,
    }
}

fn in_inlines(inlines: &[Inline], needle: &str, source: &str) -> Option<Range<usize>> {
    inlines.iter().find_map(|inline| match &inline.kind {
        InlineKind::Text(t) | InlineKind::Code(t) if !inline.span.is_empty() => {
            let at = t.find(needle)?;
            let written = source.get(inline.span.range())?;
            let start = inline.span.start + source_offset(t, written, at).unwrap_or(0);
            Some(start..(start + needle.len()).min(inline.span.end))
        }
        InlineKind::Emphasis(c)
        | InlineKind::Strong(c)
        | InlineKind::Strikethrough(c)
        | InlineKind::Link { content: c, .. } => in_inlines(c, needle, source),
        _ => None,
    })
}
