//! The print page list: where each laid-out page's content begins, in terms of the model
//! ([`PageBreak`]), so the EPUB can mark the printed pages without knowing of frames.

use crate::layout::frame::{Document, Item, NodeId, NodeKind, PartKind};
use crate::model::{PageBreak, PageStart};

/// One [`PageBreak`] per page that shows content, in page order. A page's content begins
/// with the earliest text in reading order among its running text (pull quotes, notes,
/// captions and figures stand beside the text and are left out): the smallest structure
/// node, then the smallest place in the article's file. A page whose first text has no
/// place (an article's title, kicker, standfirst or byline) begins with the article's
/// head. Pages without content (blank pages) have no entry.
pub fn page_breaks(document: &Document) -> Vec<PageBreak> {
    // The ordinal of each article part among the article parts.
    let mut ordinal = Vec::with_capacity(document.structure.len());
    let mut n = 0;
    for part in &document.structure {
        ordinal.push((part.kind == PartKind::Article).then_some(n));
        if part.kind == PartKind::Article {
            n += 1;
        }
    }
    let mut out = Vec::new();
    for page in &document.pages {
        let first = first_text(&page.items, |node| {
            let part = document.structure.get(node.part as usize)?;
            Some(part.nodes.get(node.index as usize).map(|n| n.kind))
        });
        let Some((part, _, source)) = first else {
            continue;
        };
        let at = match (
            document.structure[part as usize].kind,
            ordinal[part as usize],
        ) {
            (PartKind::Cover, _) => PageStart::Cover,
            (PartKind::Contents, _) => PageStart::Contents,
            (PartKind::Article, Some(article)) => match source {
                Some(offset) => PageStart::Text { article, offset },
                None => PageStart::Article(article),
            },
            (PartKind::Article, None) => continue,
        };
        out.push(PageBreak {
            label: page.label.text(),
            at,
        });
    }
    out
}

/// The earliest running text among `items` in reading order, as (part, node, place in
/// the article's file): what [`page_breaks`] marks a page's start with. `kind` gives a
/// node's kind (`None`: a node the document does not have, skipped; `Some(None)`: a
/// part without that node).
pub(crate) fn first_text(
    items: &[Item],
    kind: impl Fn(NodeId) -> Option<Option<NodeKind>>,
) -> Option<(u32, u32, Option<usize>)> {
    let mut first: Option<(u32, u32, Option<usize>)> = None;
    for item in items {
        let Item::Text(run) = item else { continue };
        let Some(node) = run.node else { continue };
        let Some(kind) = kind(node) else { continue };
        let beside = matches!(
            kind,
            Some(NodeKind::Aside | NodeKind::Note | NodeKind::Caption | NodeKind::Figure)
        );
        if beside || run.text.trim().is_empty() {
            continue;
        }
        let key = (node.part, node.index, run.source);
        first = Some(match first {
            None => key,
            Some(f) if (key.0, key.1) < (f.0, f.1) => key,
            Some(f) if (key.0, key.1) == (f.0, f.1) => match (f.2, key.2) {
                (Some(a), Some(b)) => (f.0, f.1, Some(a.min(b))),
                (a, b) => (f.0, f.1, a.or(b)),
            },
            Some(f) => f,
        });
    }
    first
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::frame::{FontId, NodeId, Page, PageLabel, StructNode, StructPart, TextRun};
    use crate::model::Rgb;

    fn run(text: &str, node: Option<(u32, u32)>, source: Option<usize>) -> Item {
        Item::Text(TextRun {
            x: 0.0,
            y: 0.0,
            font: FontId(0),
            size: 10.0,
            colour: Rgb(0, 0, 0),
            text: text.into(),
            glyphs: Vec::new(),
            h_scale: 1.0,
            node: node.map(|(part, index)| NodeId { part, index }),
            source,
            lang: None,
        })
    }

    fn part(kind: PartKind, nodes: &[NodeKind]) -> StructPart {
        StructPart {
            kind,
            lang: None,
            nodes: nodes
                .iter()
                .map(|&kind| StructNode {
                    kind,
                    parent: None,
                    alt: None,
                })
                .collect(),
        }
    }

    fn page(n: u32, items: Vec<Item>) -> Page {
        Page {
            width: 100.0,
            height: 100.0,
            label: PageLabel::Arabic(n),
            items,
        }
    }

    #[test]
    fn each_page_begins_with_its_earliest_running_text() {
        let para = NodeKind::Paragraph;
        let document = Document {
            structure: vec![
                part(PartKind::Cover, &[para]),
                part(PartKind::Contents, &[para]),
                part(PartKind::Article, &[NodeKind::Heading(1), para, para]),
                part(
                    PartKind::Article,
                    &[NodeKind::Heading(1), para, NodeKind::Aside],
                ),
            ],
            pages: vec![
                page(1, vec![run("Cover", Some((0, 0)), None)]),
                page(2, vec![run("Contents", Some((1, 0)), None)]),
                // The head has no place in the body: the page begins with the article.
                page(
                    3,
                    vec![
                        run("3", None, None),
                        run("second para", Some((2, 2)), Some(80)),
                        run("Title", Some((2, 0)), None),
                        run("first para", Some((2, 1)), Some(40)),
                    ],
                ),
                // Painting order does not matter: the earliest node, then the earliest
                // place of its lines; the pull quote (an aside) and furniture are skipped.
                page(
                    4,
                    vec![
                        run("Pull quote", Some((3, 2)), Some(10)),
                        run("later line", Some((2, 2)), Some(120)),
                        run("Next title", Some((3, 0)), None),
                        run("first line", Some((2, 2)), Some(100)),
                        run("furniture", None, Some(1)),
                    ],
                ),
                // A blank page has no entry.
                page(5, vec![run("5", None, None)]),
                page(6, vec![run("more", Some((3, 1)), Some(7))]),
            ],
            ..Document::default()
        };
        let breaks = page_breaks(&document);
        let got: Vec<(&str, PageStart)> = breaks.iter().map(|b| (b.label.as_str(), b.at)).collect();
        assert_eq!(
            got,
            vec![
                ("1", PageStart::Cover),
                ("2", PageStart::Contents),
                ("3", PageStart::Article(0)),
                (
                    "4",
                    PageStart::Text {
                        article: 0,
                        offset: 100
                    }
                ),
                (
                    "6",
                    PageStart::Text {
                        article: 1,
                        offset: 7
                    }
                ),
            ]
        );
    }
}
