//! XHTML content documents: the cover page, the masthead and one document per article.
//!
//! Everything the user wrote passes through [`text`] or [`attr`], which escape XML and
//! drop characters XML cannot hold. Links are checked against the [`Plan`]: a link that
//! would dangle inside the EPUB is written as plain text, with a warning.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use super::plan::{Plan, normalize};
use crate::diag::{Diagnostic, Walk};
use crate::model::{
    Alignment, Article, Block, BlockKind, BylinePosition, Edition, Inline, InlineKind, Labels,
    PageBreak, PageStart, SEPARATOR, Span, Table, run_in_caps,
};

/// XML text content: escapes `&`, `<`, `>` and drops characters XML forbids.
pub(super) fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// An XML attribute value in double quotes: [`text`] plus `"` and `'`.
pub(super) fn attr(s: &str) -> String {
    text(s).replace('"', "&quot;").replace('\'', "&#39;")
}

/// Characters allowed in XML 1.0 documents.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Plain text for titles and labels: no soft hyphens, no line breaks, single spaces.
/// Whether a link's text is an address (a URL or a mail address) rather than words.
fn shows_address(shown: &str) -> bool {
    let shown = shown.trim();
    !shown.contains(char::is_whitespace)
        && (shown.contains("://") || shown.starts_with("www.") || shown.contains('@'))
}

pub(super) fn plain(s: &str) -> String {
    s.chars()
        .filter(|&c| c != '\u{AD}' && is_xml_char(c))
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A complete XHTML5 document. `root` is the path from the document to `OEBPS/`.
fn document(lang: &str, title: &str, root: &str, body_type: &str, body: &str) -> String {
    let lang = attr(lang);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n\
         <html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" \
         lang=\"{lang}\" xml:lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\"/>\n\
         <title>{title}</title>\n\
         <link rel=\"stylesheet\" type=\"text/css\" href=\"{root}stylesheet.css\"/>\n\
         </head>\n<body epub:type=\"{body_type}\">\n{body}</body>\n</html>\n",
        title = text(&plain(title)),
    )
}

/// `lang` and `xml:lang` attributes (with a leading space) when `lang` differs from `base`.
fn lang_attrs(lang: &str, base: &str) -> String {
    if lang == base {
        String::new()
    } else {
        format!(" lang=\"{0}\" xml:lang=\"{0}\"", attr(lang))
    }
}

/// The cover page: the cover image (given or generated) filling the screen.
/// `typographic`: the image is the drawn typographic cover, whose alternative text also
/// names the cover story it shows.
pub(super) fn cover_document(
    edition: &Edition,
    image_href: &str,
    typographic: bool,
    pages: &[PageBreak],
) -> String {
    let meta = &edition.meta;
    let labels = meta.language.labels();
    let mut alt = format!(
        "{}: {}, {}",
        labels.cover,
        plain(&meta.title),
        plain(&meta.issue_and_date(", "))
    );
    if typographic && let Some((_, story)) = edition.cover_articles().first() {
        alt.push_str(&format!(
            ". {}: {}",
            labels.in_this_issue,
            plain(&story.title)
        ));
    }
    let body = format!(
        "<section class=\"cover\" epub:type=\"cover\">\n{}\
         <img role=\"doc-cover\" src=\"{}\" alt=\"{}\"/>\n</section>\n",
        front_markers(pages, PageStart::Cover),
        attr(image_href),
        attr(&alt)
    );
    document(
        meta.language.as_str(),
        &format!("{} – {}", meta.title, labels.cover),
        "",
        "cover",
        &body,
    )
}

/// The masthead: title, subtitle, issue and date, publisher, editors, ISSN, rights, and the
/// list of sections and articles.
pub(super) fn masthead_document(edition: &Edition, plan: &Plan, pages: &[PageBreak]) -> String {
    let meta = &edition.meta;
    let lang = meta.language.as_str();
    let labels = meta.language.labels();
    let mut b = String::new();
    b.push_str("<section class=\"masthead\" epub:type=\"titlepage\">\n");
    b.push_str(&front_markers(pages, PageStart::Contents));
    let _ = writeln!(b, "<h1 class=\"masthead-title\">{}</h1>", text(&meta.title));
    if let Some(subtitle) = &meta.subtitle {
        let _ = writeln!(b, "<p class=\"masthead-subtitle\">{}</p>", text(subtitle));
    }
    let _ = writeln!(
        b,
        "<p class=\"masthead-issue\">{}</p>",
        text(&plain(&meta.issue_and_date(SEPARATOR)))
    );
    if let Some(description) = &meta.description {
        let _ = writeln!(
            b,
            "<p class=\"masthead-description\">{}</p>",
            text(description)
        );
    }
    b.push_str("<div class=\"masthead-imprint\">\n");
    if let Some(publisher) = &meta.publisher {
        let _ = writeln!(b, "<p class=\"masthead-publisher\">{}</p>", text(publisher));
    }
    if !meta.editors.is_empty() {
        let _ = writeln!(
            b,
            "<p class=\"masthead-editors\">{} {}</p>",
            text(labels.edited_by),
            text(&labels.names_in_text(&meta.editors))
        );
    }
    if let Some(issn) = &meta.issn {
        let _ = writeln!(b, "<p class=\"masthead-issn\">ISSN {}</p>", text(issn));
    }
    if let Some(rights) = &meta.rights {
        let _ = writeln!(b, "<p class=\"masthead-rights\">{}</p>", text(rights));
    }
    b.push_str("</div>\n</section>\n");

    // The contents as readers see them on a page (the nav document is often hidden).
    let _ = writeln!(
        b,
        "<section class=\"masthead-contents\">\n<h2>{}</h2>\n<ul class=\"contents\">",
        text(labels.in_this_issue)
    );
    let mut index = 0;
    for section in &edition.sections {
        if section.articles.is_empty() {
            continue;
        }
        let _ = writeln!(
            b,
            "<li><span class=\"contents-section\">{}</span>\n<ul>",
            text(&section.title)
        );
        for article in &section.articles {
            let href = &plan.articles[index].href;
            index += 1;
            let _ = write!(
                b,
                "<li{}><a href=\"{}\">{}</a>",
                lang_attrs(article.language.as_str(), lang),
                attr(href),
                text(&article.title)
            );
            if !article.authors.is_empty() {
                let names = article.language.labels().names_in_text(&article.authors);
                let _ = write!(
                    b,
                    " <span class=\"contents-authors\">{}</span>",
                    text(&names)
                );
            }
            b.push_str("</li>\n");
        }
        b.push_str("</ul></li>\n");
    }
    b.push_str("</ul>\n</section>\n");
    document(lang, &meta.title, "", "frontmatter", &b)
}

/// One article as a complete XHTML document. `index` is its place in reading order;
/// with `run_in_small_caps`, an opening run-in written in capitals is wrapped in a
/// `run-in` span that the stylesheet sets in small capitals.
pub(super) fn article_document(
    plan: &Plan,
    index: usize,
    article: &Article,
    run_in_small_caps: bool,
    drop_cap: bool,
    pages: &[PageBreak],
    warnings: &mut Vec<Diagnostic>,
) -> String {
    let labels = article.language.labels();
    let mut breaks: Vec<(usize, &str)> = pages
        .iter()
        .filter_map(|p| match p.at {
            PageStart::Text { article, offset } if article == index => {
                Some((offset, p.label.as_str()))
            }
            _ => None,
        })
        .collect();
    breaks.sort_by_key(|&(offset, _)| offset);
    // A page that begins in the front matter (the title, the standfirst) begins with
    // the article's head.
    let body = article
        .blocks
        .iter()
        .map(|b| b.span)
        .find(|s| !s.is_empty())
        .map_or(usize::MAX, |s| s.start);
    let head = breaks
        .iter()
        .take_while(|&&(offset, _)| offset < body)
        .count();
    let head_labels: Vec<&str> = breaks.drain(..head).map(|(_, label)| label).collect();
    let mut w = Writer {
        breaks,
        next_break: 0,
        out: String::new(),
        plan,
        index,
        article,
        headings: 0,
        refs: BTreeMap::new(),
        in_link: 0,
        warnings,
        walk: None,
    };
    w.out.push_str("<article class=\"article\">\n");
    for page in pages {
        if page.at == PageStart::Article(index) {
            w.out.push_str(&page_marker(&page.label));
            w.out.push('\n');
        }
    }
    for label in head_labels {
        w.out.push_str(&page_marker(label));
        w.out.push('\n');
    }
    w.out.push_str("<header>\n");
    if let Some(kicker) = &article.kicker {
        let _ = writeln!(w.out, "<p class=\"kicker\">{}</p>", text(kicker));
    }
    let _ = writeln!(w.out, "<h1>{}</h1>", text(&article.title));
    if let Some(standfirst) = &article.standfirst {
        let _ = writeln!(w.out, "<p class=\"standfirst\">{}</p>", text(standfirst));
    }
    let names = labels.names_in_text(&article.authors);
    if !names.is_empty() && article.byline == BylinePosition::Top {
        let _ = writeln!(
            w.out,
            "<p class=\"byline\">{} {}</p>",
            text(labels.by),
            text(&names)
        );
    }
    w.out.push_str("</header>\n");
    w.opening(&article.blocks, run_in_small_caps, drop_cap);
    // A page that begins where no text of the body was written (it cannot, but a
    // marker is never lost): at the end of the body.
    w.flush_breaks(usize::MAX);
    if !names.is_empty() && article.byline == BylinePosition::End {
        let _ = writeln!(w.out, "<p class=\"byline byline-end\">{}</p>", text(&names));
    }
    w.footnotes(labels);
    w.out.push_str("</article>\n");
    let body = std::mem::take(&mut w.out);
    document(
        article.language.as_str(),
        &article.title,
        "../",
        "bodymatter",
        &body,
    )
}

/// Whether the article opens with a paragraph whose text starts with a letter (after
/// any opening punctuation): the PDF gives such a paragraph a drop cap.
fn starts_with_letter(blocks: &[Block]) -> bool {
    let Some(BlockKind::Paragraph(inlines)) = blocks.first().map(|b| &b.kind) else {
        return false;
    };
    Inline::plain_text(inlines)
        .chars()
        .find(|c| !c.is_whitespace() && !matches!(c, '"' | '\'' | '‘' | '“' | '«' | '„' | '‚'))
        .is_some_and(char::is_alphabetic)
}

/// The page markers of the front pages of kind `at` (the cover, the contents), each on a
/// line of its own.
fn front_markers(pages: &[PageBreak], at: PageStart) -> String {
    pages
        .iter()
        .filter(|p| p.at == at)
        .map(|p| page_marker(&p.label) + "\n")
        .collect()
}

/// A print page break: an empty element that reading systems list in the page list and
/// that assistive technology announces ("page 7").
pub(super) fn page_marker(label: &str) -> String {
    format!(
        "<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"{}\" aria-label=\"{}\"/>",
        attr(&page_id(label)),
        attr(label)
    )
}

/// The id of the page break of the page printed as `label`.
pub(super) fn page_id(label: &str) -> String {
    let clean: String = label
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("page-{clean}")
}

/// Where in `t` (the text of an inline written at `span` of `source`) a page that begins
/// at byte `offset` of the source begins: the first character written at or after it.
/// A page that begins inside a word (the print edition hyphenated it) begins, in the
/// EPUB, after that word and the space after it, so the word stays whole for search and
/// speech.
///
/// `walk` goes through `t` and what is written at `span`, from a character before the
/// page's (none of those before it is at or after `offset`); it is left at the page's
/// character, so that the pages of one long inline (a paragraph of many pages) cost one
/// walk through its text, not one from its start per page.
fn break_index(t: &str, span: Span, source: &str, offset: usize, walk: &mut Walk) -> usize {
    let written = source.get(span.range()).unwrap_or("");
    let mut at = t.len();
    let from = walk.at().min(t.len());
    for i in t[from..].char_indices().map(|(i, _)| from + i) {
        let o = walk.offset(t, written, i).unwrap_or(0);
        if span.start + o >= offset {
            at = i;
            break;
        }
    }
    let inside_word = |i: usize| {
        let before = t[..i].chars().next_back();
        let after = t[i..].chars().next();
        before.is_some_and(|c| c.is_alphanumeric() || c == '\u{ad}')
            && after.is_some_and(char::is_alphanumeric)
    };
    if at < t.len() && inside_word(at) {
        at = t[at..]
            .find(char::is_whitespace)
            .map_or(t.len(), |k| at + k);
        at += t[at..]
            .chars()
            .take_while(|c| c.is_whitespace())
            .map(char::len_utf8)
            .sum::<usize>();
    }
    at
}

/// Writes one article's blocks and inlines.
struct Writer<'a> {
    /// Pages of the print edition that begin in this article's text: (offset in the
    /// article's file, folio), in file order.
    breaks: Vec<(usize, &'a str)>,
    /// The first of `breaks` not written yet.
    next_break: usize,
    out: String,
    plan: &'a Plan,
    index: usize,
    article: &'a Article,
    /// Headings written so far (indexes the planned heading ids).
    headings: usize,
    /// Footnote number → references written so far.
    refs: BTreeMap<u32, u32>,
    /// Depth of open links (no link or note reference may nest inside one).
    in_link: usize,
    warnings: &'a mut Vec<Diagnostic>,
    /// Where [`break_index`] has walked to in the inline whose page breaks are being
    /// written (its text's address and length, and its span).
    walk: Option<((usize, usize, Span), Walk)>,
}

/// What a Markdown link becomes in the EPUB.
#[derive(Debug, PartialEq)]
enum Target {
    Href(String),
    /// Not linkable inside the EPUB; the reason, for the warning.
    Dangling(String),
}

impl Writer<'_> {
    /// An article's blocks, its opening run-in in capitals (when `run_in` and there is
    /// one) in a span the stylesheet sets in small capitals.
    fn opening(&mut self, blocks: &[Block], run_in: bool, drop_cap: bool) {
        let open = if drop_cap && starts_with_letter(blocks) {
            "<p class=\"opening\">"
        } else {
            "<p>"
        };
        if let Some((first, rest)) = blocks.split_first()
            && let BlockKind::Paragraph(inlines) = &first.kind
            && let Some((
                Inline {
                    kind: InlineKind::Text(t),
                    ..
                },
                after,
            )) = inlines.split_first()
            && run_in
        {
            let n = run_in_caps(inlines);
            if let Some((caps, more)) = t.split_at_checked(n).filter(|_| n > 0) {
                let span = inlines[0].span;
                let _ = write!(self.out, "{open}<span class=\"run-in\">");
                self.text_part(t, 0..caps.len(), span);
                self.out.push_str("</span>");
                self.text_part(t, caps.len()..caps.len() + more.len(), span);
                self.inlines(after);
                self.out.push_str("</p>\n");
                self.blocks(rest);
                return;
            }
        }
        match blocks.split_first() {
            Some((first, rest)) if open != "<p>" => {
                if let BlockKind::Paragraph(inlines) = &first.kind {
                    self.out.push_str(open);
                    self.inlines(inlines);
                    self.out.push_str("</p>\n");
                }
                self.blocks(rest);
            }
            _ => self.blocks(blocks),
        }
    }

    fn blocks(&mut self, blocks: &[Block]) {
        for block in blocks {
            self.block(block);
        }
    }

    fn block(&mut self, block: &Block) {
        match &block.kind {
            BlockKind::Paragraph(inlines) => {
                self.out.push_str("<p>");
                self.inlines(inlines);
                self.out.push_str("</p>\n");
            }
            BlockKind::Heading { level, content, .. } => {
                let level = (*level).clamp(2, 6);
                let id = self.plan.articles[self.index]
                    .heading_ids
                    .get(self.headings)
                    .cloned()
                    .unwrap_or_else(|| format!("h-{}", self.headings + 1));
                self.headings += 1;
                let _ = write!(self.out, "<h{level} id=\"{}\">", attr(&id));
                self.inlines(content);
                let _ = writeln!(self.out, "</h{level}>");
            }
            BlockKind::List(list) => {
                match list.start {
                    Some(1) => self.out.push_str("<ol>\n"),
                    Some(n) => {
                        let _ = writeln!(self.out, "<ol start=\"{n}\">");
                    }
                    None => self.out.push_str("<ul>\n"),
                }
                for item in &list.items {
                    self.out.push_str("<li>");
                    self.blocks(item);
                    if self.out.ends_with('\n') {
                        self.out.pop();
                    }
                    self.out.push_str("</li>\n");
                }
                self.out.push_str(if list.start.is_some() {
                    "</ol>\n"
                } else {
                    "</ul>\n"
                });
            }
            BlockKind::Quote(inner) => {
                self.out.push_str("<blockquote>\n");
                self.blocks(inner);
                self.out.push_str("</blockquote>\n");
            }
            BlockKind::PullQuote(inlines) => {
                self.out.push_str(
                    "<aside class=\"pullquote\" epub:type=\"pullquote\" role=\"doc-pullquote\"><p>",
                );
                self.inlines(inlines);
                self.out.push_str("</p></aside>\n");
            }
            BlockKind::Figure(figure) => {
                let image = &figure.image;
                let src = self.plan.image_href(image).unwrap_or("");
                let _ = write!(
                    self.out,
                    "<figure>\n<img src=\"../{}\" alt=\"{}\" width=\"{}\" height=\"{}\"/>\n",
                    attr(src),
                    attr(&plain(&image.alt)),
                    image.width_px,
                    image.height_px
                );
                if !figure.caption.is_empty() {
                    self.out.push_str("<figcaption>");
                    self.inlines(&figure.caption);
                    self.out.push_str("</figcaption>\n");
                }
                self.out.push_str("</figure>\n");
            }
            BlockKind::Table(table) => self.table(table),
            BlockKind::CodeBlock {
                language,
                text: code,
            } => {
                let class: String = language
                    .as_deref()
                    .unwrap_or("")
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+'))
                    .collect();
                if class.is_empty() {
                    self.out.push_str("<pre><code>");
                } else {
                    let _ = write!(self.out, "<pre><code class=\"language-{class}\">");
                }
                self.out
                    .push_str(&text(code.strip_suffix('\n').unwrap_or(code)));
                self.out.push_str("</code></pre>\n");
            }
            BlockKind::Rule => self.out.push_str("<hr/>\n"),
        }
    }

    fn table(&mut self, table: &Table) {
        let class = |i: usize| match table.alignments.get(i) {
            Some(Alignment::Left) => " class=\"align-left\"",
            Some(Alignment::Center) => " class=\"align-center\"",
            Some(Alignment::Right) => " class=\"align-right\"",
            _ => "",
        };
        // A wide table scrolls sideways inside its own box on a narrow screen instead of
        // widening the page; the box takes the keyboard focus so it can be scrolled.
        self.out
            .push_str("<div class=\"table-wrap\" tabindex=\"0\">\n<table>\n");
        if !table.header.is_empty() {
            self.out.push_str("<thead>\n<tr>");
            for (i, cell) in table.header.iter().enumerate() {
                let _ = write!(self.out, "<th scope=\"col\"{}>", class(i));
                self.inlines(cell);
                self.out.push_str("</th>");
            }
            self.out.push_str("</tr>\n</thead>\n");
        }
        if !table.rows.is_empty() {
            self.out.push_str("<tbody>\n");
            for row in &table.rows {
                self.out.push_str("<tr>");
                for (i, cell) in row.iter().enumerate() {
                    let _ = write!(self.out, "<td{}>", class(i));
                    self.inlines(cell);
                    self.out.push_str("</td>");
                }
                self.out.push_str("</tr>\n");
            }
            self.out.push_str("</tbody>\n");
        }
        self.out.push_str("</table>\n</div>\n");
    }

    /// Writes the page markers of every page that begins before byte `offset` of the
    /// article's file and is not written yet.
    fn flush_breaks(&mut self, offset: usize) {
        while let Some(&(at, label)) = self.breaks.get(self.next_break) {
            if at >= offset {
                break;
            }
            self.out.push_str(&page_marker(label));
            self.next_break += 1;
        }
    }

    /// Writes `t[range]`, the text of an inline written at `span`, with the page markers
    /// of the pages that begin in it.
    fn text_part(&mut self, t: &str, range: std::ops::Range<usize>, span: Span) {
        if span.is_empty() {
            self.out.push_str(&text(&t[range]));
            return;
        }
        self.flush_breaks(span.start);
        let mut at = range.start;
        while let Some(&(offset, label)) = self.breaks.get(self.next_break) {
            if offset >= span.end {
                break;
            }
            let key = (t.as_ptr() as usize, t.len(), span);
            let walk = match &mut self.walk {
                Some((k, walk)) if *k == key => walk,
                slot => {
                    let written = self.article.text.get(span.range()).unwrap_or("");
                    &mut slot.insert((key, Walk::start(t, written))).1
                }
            };
            let i = break_index(t, span, &self.article.text, offset, walk).clamp(at, range.end);
            if i >= range.end && range.end < t.len() {
                // In a later part of this inline.
                break;
            }
            self.out.push_str(&text(&t[at..i]));
            self.out.push_str(&page_marker(label));
            self.next_break += 1;
            at = i;
        }
        self.out.push_str(&text(&t[at..range.end]));
    }

    fn inlines(&mut self, inlines: &[Inline]) {
        for inline in inlines {
            self.inline(inline);
        }
    }

    fn wrapped(&mut self, tag: &str, content: &[Inline]) {
        let _ = write!(self.out, "<{tag}>");
        self.inlines(content);
        let _ = write!(self.out, "</{tag}>");
    }

    fn inline(&mut self, inline: &Inline) {
        match &inline.kind {
            InlineKind::Text(t) => self.text_part(t, 0..t.len(), inline.span),
            InlineKind::Emphasis(c) => self.wrapped("em", c),
            InlineKind::Strong(c) => self.wrapped("strong", c),
            InlineKind::Strikethrough(c) => self.wrapped("s", c),
            InlineKind::Code(c) => {
                let _ = write!(self.out, "<code>{}</code>", text(c));
            }
            InlineKind::LineBreak => self.out.push_str("<br/>"),
            InlineKind::Link { url, content } => {
                if self.in_link > 0 {
                    self.inlines(content);
                    return;
                }
                match self.resolve(url) {
                    Target::Href(href) => {
                        // A link that shows its address may break anywhere: a URL has
                        // few break points, and one left whole spreads the line before.
                        let shown = Inline::plain_text(content);
                        let class = if shows_address(&shown) {
                            " class=\"url\""
                        } else {
                            ""
                        };
                        let _ = write!(self.out, "<a{class} href=\"{}\">", attr(&href));
                        self.in_link += 1;
                        self.inlines(content);
                        self.in_link -= 1;
                        self.out.push_str("</a>");
                    }
                    Target::Dangling(why) => {
                        let d = Diagnostic::warning(format!(
                            "the link to `{url}` is kept as plain text in the EPUB: {why}"
                        ))
                        .with_hint(
                            "link to another article's Markdown file, a heading id \
                             (`#id`) or a full URL (`https://…`)",
                        );
                        self.warn(d, inline);
                        self.inlines(content);
                    }
                }
            }
            InlineKind::FootnoteRef(n) => self.note_ref(*n, inline),
            InlineKind::Lang { lang, content } => {
                let _ = write!(
                    self.out,
                    "<span lang=\"{0}\" xml:lang=\"{0}\">",
                    attr(lang.as_str())
                );
                self.inlines(content);
                self.out.push_str("</span>");
            }
        }
    }

    /// Records `d`, pointing at where `inline` is written in the article's file.
    fn warn(&mut self, d: Diagnostic, inline: &Inline) {
        let mut d = d.in_file(&self.article.source);
        if !inline.span.is_empty() {
            d = d.at_range(&self.article.text, inline.span.range());
        }
        self.warnings.push(d);
    }

    fn note_ref(&mut self, n: u32, inline: &Inline) {
        let exists = self.article.footnotes.iter().any(|f| f.number == n);
        if !exists || self.in_link > 0 {
            if !exists {
                let d = Diagnostic::warning(format!("footnote {n} is referenced but not defined"));
                self.warn(d, inline);
            }
            let _ = write!(self.out, "<sup>{n}</sup>");
            return;
        }
        let count = self.refs.entry(n).or_insert(0);
        *count += 1;
        let id = if *count == 1 {
            format!("fnref-{n}")
        } else {
            format!("fnref-{n}-{count}")
        };
        let _ = write!(
            self.out,
            "<sup><a class=\"noteref\" epub:type=\"noteref\" role=\"doc-noteref\" \
             href=\"#fn-{n}\" id=\"{id}\">{n}</a></sup>"
        );
    }

    /// The notes, each an `aside` that reading systems can show as a pop-up.
    fn footnotes(&mut self, labels: &Labels) {
        if self.article.footnotes.is_empty() {
            return;
        }
        let _ = writeln!(
            self.out,
            "<section class=\"footnotes\" epub:type=\"footnotes\" aria-label=\"{}\">",
            attr(labels.notes)
        );
        for note in &self.article.footnotes {
            let n = note.number;
            let label = if self.refs.contains_key(&n) {
                format!(
                    "<a class=\"fn-number\" href=\"#fnref-{n}\" role=\"doc-backlink\" \
                     title=\"{}\">{n}</a> ",
                    attr(labels.back_to_text)
                )
            } else {
                format!("<span class=\"fn-number\">{n}</span> ")
            };
            let _ = writeln!(
                self.out,
                "<aside class=\"footnote\" epub:type=\"footnote\" role=\"doc-footnote\" id=\"fn-{n}\">"
            );
            match note.blocks.split_first() {
                Some((
                    Block {
                        kind: BlockKind::Paragraph(first),
                        ..
                    },
                    rest,
                )) => {
                    self.out.push_str("<p>");
                    self.out.push_str(&label);
                    self.inlines(first);
                    self.out.push_str("</p>\n");
                    self.blocks(rest);
                }
                _ => {
                    let _ = writeln!(self.out, "<p>{}</p>", label.trim_end());
                    self.blocks(&note.blocks);
                }
            }
            self.out.push_str("</aside>\n");
        }
        self.out.push_str("</section>\n");
    }

    /// Where a Markdown link points inside the EPUB.
    fn resolve(&self, url: &str) -> Target {
        let me = &self.plan.articles[self.index];
        if let Some(fragment) = url.strip_prefix('#') {
            return if self.has_id(me.heading_ids.as_slice(), fragment) {
                Target::Href(url.to_string())
            } else {
                Target::Dangling(format!(
                    "this article has no heading with the id `{fragment}`"
                ))
            };
        }
        if has_scheme(url) {
            return Target::Href(clean_url(url));
        }
        if url.is_empty() {
            return Target::Dangling("the link is empty".into());
        }
        let (path, fragment) = match url.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (url, None),
        };
        let path = percent_decode(path.split('?').next().unwrap_or(""));
        let base = self.article.source.parent().unwrap_or(Path::new(""));
        let wanted = normalize(&base.join(&path));
        let Some(target) = self.plan.articles.iter().find(|a| a.source == wanted) else {
            return Target::Dangling("it is not an article of this edition".into());
        };
        match fragment {
            Some(f) if target.heading_ids.iter().any(|id| id == f) => {
                Target::Href(format!("{}#{f}", target.file_name))
            }
            _ => Target::Href(target.file_name.clone()),
        }
    }

    fn has_id(&self, heading_ids: &[String], id: &str) -> bool {
        let is_note = |prefix: &str| {
            id.strip_prefix(prefix)
                .and_then(|n| n.parse::<u32>().ok())
                .is_some_and(|n| self.article.footnotes.iter().any(|f| f.number == n))
        };
        heading_ids.iter().any(|h| h == id) || is_note("fn-")
    }
}

/// True for `https://…`, `mailto:…` and other absolute URLs.
fn has_scheme(url: &str) -> bool {
    match url.split_once(':') {
        Some((scheme, _)) => {
            let mut chars = scheme.chars();
            chars.next().is_some_and(|c| c.is_ascii_alphabetic())
                && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// Percent-encodes what a URL may not hold literally (spaces, quotes, brackets, controls).
fn clean_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if c <= ' ' || c == '\u{7f}' || "\"<>\\^`{|}".contains(c) {
            let mut buf = [0u8; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{byte:02X}");
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Decodes `%20` and friends in a relative path; invalid escapes stay as written.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((hi * 16 + lo) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pages of one long paragraph: each found from where the last one was, by one
    /// walk that ends at the last page (not a walk from the start per page, quadratic
    /// in a paragraph of many pages), and where a fresh walk finds it.
    #[test]
    fn page_breaks_in_one_long_inline_share_one_walk() {
        let words = [
            "harbour",
            "\u{2019}council\u{2019}",
            "of",
            "ancient",
            "railways",
        ];
        let t: String = (0..4_000)
            .map(|k| words[k % 5])
            .collect::<Vec<_>>()
            .join(" ");
        // The source writes the typographic apostrophes as straight quotes.
        let source = format!("Intro.\n\n{}\n", t.replace('\u{2019}', "'"));
        let span = Span::new(8, source.len() - 1);
        let mut walk = Walk::start(&t, &source[span.range()]);
        let mut last = 0;
        for offset in (span.start..span.end).step_by(1_700) {
            let fresh = break_index(
                &t,
                span,
                &source,
                offset,
                &mut Walk::start(&t, &source[span.range()]),
            );
            let shared = break_index(&t, span, &source, offset, &mut walk);
            assert_eq!(shared, fresh, "page at {offset}");
            assert!(
                walk.at() >= last && walk.at() <= shared,
                "walk at {}",
                walk.at()
            );
            last = walk.at();
        }
        assert!(
            last > t.len() / 2,
            "the walk stopped at {last} of {}",
            t.len()
        );
    }

    #[test]
    fn a_link_showing_its_address_may_break_anywhere() {
        assert!(shows_address("https://example.org/a/long/path"));
        assert!(shows_address(" www.example.org "));
        assert!(shows_address("desk@example.org"));
        assert!(!shows_address("the harbour's open data"));
        assert!(!shows_address("see https://example.org"));
        assert!(!shows_address("the web"));
    }

    /// Page starts found with one walk kept from page to page are those a fresh walk
    /// finds, through quotes, dashes and line ends, and a text of many pages is walked
    /// once (a paragraph of megabytes once took minutes here).
    #[test]
    fn page_starts_in_one_inline_are_found_in_one_walk() {
        let source = "x\"Quoted\" words -- and a\nline end with ... more words here";
        let t =
            "\u{201c}Quoted\u{201d} words \u{2013} and a line end with \u{2026} more words here";
        let span = Span {
            start: 1,
            end: source.len(),
        };
        let mut walk = crate::diag::Walk::start(t, &source[1..]);
        for offset in 1..=source.len() {
            let fresh = break_index(
                t,
                span,
                source,
                offset,
                &mut crate::diag::Walk::start(t, &source[1..]),
            );
            assert_eq!(
                break_index(t, span, source, offset, &mut walk),
                fresh,
                "offset {offset}"
            );
        }
        let long = "word ".repeat(200_000);
        let span = Span {
            start: 0,
            end: long.len(),
        };
        let mut walk = crate::diag::Walk::start(&long, &long);
        let start = std::time::Instant::now();
        let mut last = 0;
        for offset in (0..long.len()).step_by(1_000) {
            let at = break_index(&long, span, &long, offset, &mut walk);
            assert!(at >= last && at >= offset, "{at} for {offset}");
            last = at;
        }
        assert!(start.elapsed().as_secs() < 5, "{:?}", start.elapsed());
    }

    #[test]
    fn escapes_text_and_attributes() {
        assert_eq!(text("a < b & c > d"), "a &lt; b &amp; c &gt; d");
        assert_eq!(text("\"quoted\""), "\"quoted\"");
        assert_eq!(
            attr("say \"hi\" & 'bye'"),
            "say &quot;hi&quot; &amp; &#39;bye&#39;"
        );
        assert_eq!(text("bell\u{7}less\u{0}"), "bellless");
        assert_eq!(text("Schiff\u{AD}fahrt"), "Schiff\u{AD}fahrt");
    }

    #[test]
    fn plain_drops_soft_hyphens_and_folds_space() {
        assert_eq!(
            plain("Schiff\u{AD}fahrt  auf\nder Elbe"),
            "Schifffahrt auf der Elbe"
        );
    }

    #[test]
    fn recognises_absolute_urls() {
        assert!(has_scheme("https://example.org/x"));
        assert!(has_scheme("mailto:a@b.org"));
        assert!(!has_scheme("../articles/b.md"));
        assert!(!has_scheme("b.md#x:y"));
        assert!(!has_scheme("1http://x"));
    }

    #[test]
    fn cleans_and_decodes_urls() {
        assert_eq!(clean_url("https://x.org/a b\"c"), "https://x.org/a%20b%22c");
        assert_eq!(percent_decode("my%20file.md"), "my file.md");
        assert_eq!(percent_decode("100%"), "100%");
    }

    #[test]
    fn front_pages_take_the_model_wording() {
        let mut edition = crate::epub::tests::edition();
        let plan = Plan::new(&edition);
        let masthead = masthead_document(&edition, &plan, &[]);
        assert!(masthead.contains("Issue 7 · July 2026"), "{masthead}");
        assert!(masthead.contains("Edited by Mara Quill and Tom Ash"));
        assert!(masthead.contains("Dora Weiß und Emil Roth"));
        edition.meta.language = crate::model::Language("es".into());
        let masthead = masthead_document(&edition, &plan, &[]);
        assert!(masthead.contains("Número 7 · July 2026"), "{masthead}");
        assert!(masthead.contains("Edición de Mara Quill y Tom Ash"));
        assert!(masthead.contains("En este número"));
        let cover = cover_document(&edition, "cover.svg", false, &[]);
        assert!(
            cover.contains("alt=\"Portada: The Quarterly Lantern, Número 7, July 2026\""),
            "{cover}"
        );
    }

    #[test]
    fn an_opening_run_in_in_capitals_gets_a_small_caps_span() {
        let mut edition = crate::epub::tests::edition();
        let plan = Plan::new(&edition);
        let article = &mut edition.sections[0].articles[0];
        let emphasis = Inline::from(InlineKind::Emphasis(vec![Inline::text(
            "quietly",
            crate::model::Span::default(),
        )]));
        let paragraph = |first: &str| {
            Block::from(BlockKind::Paragraph(vec![
                Inline::text(first, crate::model::Span::default()),
                emphasis.clone(),
                Inline::text(".", crate::model::Span::default()),
            ]))
        };
        article.blocks = vec![
            paragraph("AUTHORITIES IN Kazakhstan & co. said "),
            paragraph("SECOND PARAGRAPH stays plain "),
        ];
        let x = article_document(&plan, 0, article, true, false, &[], &mut Vec::new());
        assert!(
            x.contains(
                "<p><span class=\"run-in\">AUTHORITIES IN</span> Kazakhstan &amp; co. said \
                 <em>quietly</em>.</p>\n<p>SECOND PARAGRAPH stays plain <em>"
            ),
            "{x}"
        );
        // Switched off, or an opening that is not in capitals: no span.
        let off = article_document(&plan, 0, article, false, false, &[], &mut Vec::new());
        assert!(!off.contains("run-in"), "{off}");
        assert!(off.contains("<p>AUTHORITIES IN Kazakhstan"), "{off}");
        article.blocks = vec![paragraph("Authorities in Kazakhstan said ")];
        let plain = article_document(&plan, 0, article, true, false, &[], &mut Vec::new());
        assert!(!plain.contains("run-in"), "{plain}");
        // The stylesheet sets the span in small capitals made from the capitals.
        let css = crate::epub::css::stylesheet(&edition.style, &[]);
        assert!(
            css.contains(".run-in {\n  font-variant-caps: all-small-caps;"),
            "{css}"
        );
    }
}
