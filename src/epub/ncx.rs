//! The NCX (`toc.ncx`): the table of contents for reading systems that predate EPUB 3.
//!
//! Every navPoint gets the `playOrder` of its target document, numbered in order of first
//! appearance; a section's navPoint and its first article's open the same document and so
//! share one value, as the NCX specification requires.

use super::nav::{NavPoint, depth};
use super::xhtml::{attr, text};

/// The NCX for the publication `identifier` titled `title`, listing `toc`.
pub(super) fn document(identifier: &str, title: &str, toc: &[NavPoint]) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <ncx version=\"2005-1\" xmlns=\"http://www.daisy.org/z3986/2005/ncx/\">\n  \
         <head>\n    \
         <meta name=\"dtb:uid\" content=\"{}\" />\n    \
         <meta name=\"dtb:depth\" content=\"{}\" />\n    \
         <meta name=\"dtb:totalPageCount\" content=\"0\" />\n    \
         <meta name=\"dtb:maxPageNumber\" content=\"0\" />\n  \
         </head>\n  <docTitle>\n    <text>{}</text>\n  </docTitle>\n  <navMap>\n",
        attr(identifier),
        depth(toc),
        text(title),
    );
    let mut numbering = Numbering::default();
    for point in toc {
        nav_point(&mut out, point, 4, &mut numbering);
    }
    out.push_str("  </navMap>\n</ncx>\n");
    out
}

/// Counts navPoints (for their ids) and the distinct targets seen so far (for `playOrder`).
#[derive(Default)]
struct Numbering<'a> {
    points: usize,
    targets: Vec<&'a str>,
}

impl<'a> Numbering<'a> {
    /// The next navPoint's id number and the play order of `href`.
    fn next(&mut self, href: &'a str) -> (usize, usize) {
        self.points += 1;
        let order = match self.targets.iter().position(|t| *t == href) {
            Some(i) => i + 1,
            None => {
                self.targets.push(href);
                self.targets.len()
            }
        };
        (self.points, order)
    }
}

/// Writes `point` and its children, indented by `indent` spaces.
fn nav_point<'a>(
    out: &mut String,
    point: &'a NavPoint,
    indent: usize,
    numbering: &mut Numbering<'a>,
) {
    let pad = " ".repeat(indent);
    let (id, order) = numbering.next(&point.href);
    out.push_str(&format!(
        "{pad}<navPoint playOrder=\"{order}\" id=\"navPoint-{id}\">\n\
         {pad}  <navLabel>\n\
         {pad}   <text>{}</text>\n\
         {pad}  </navLabel>\n\
         {pad}  <content src=\"{}\"/>\n",
        text(&point.label),
        attr(&point.href),
    ));
    for child in &point.children {
        nav_point(out, child, indent + 2, numbering);
    }
    out.push_str(&format!("{pad}</navPoint>\n"));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf(label: &str, href: &str) -> NavPoint {
        NavPoint {
            label: label.into(),
            href: href.into(),
            children: vec![],
            lang: None,
        }
    }

    fn section(label: &str, articles: &[(&str, &str)]) -> NavPoint {
        NavPoint {
            children: articles.iter().map(|(l, h)| leaf(l, h)).collect(),
            ..leaf(label, articles[0].1)
        }
    }

    /// (playOrder, id, src) of every navPoint, in document order.
    fn points(ncx: &str) -> Vec<(usize, String, String)> {
        let value = |s: &str, key: &str| {
            let start = s.find(key).unwrap() + key.len();
            s[start..start + s[start..].find('"').unwrap()].to_string()
        };
        ncx.split("<navPoint ")
            .skip(1)
            .map(|p| {
                (
                    value(p, "playOrder=\"").parse().unwrap(),
                    value(p, "id=\""),
                    value(p, "<content src=\""),
                )
            })
            .collect()
    }

    #[test]
    fn play_order_follows_targets() {
        let toc = [
            leaf("In this issue", "masthead.xhtml"),
            section("Features", &[("A", "a.xhtml"), ("B", "b.xhtml")]),
            section("Reviews", &[("C", "c.xhtml")]),
            leaf("D", "d.xhtml"),
        ];
        let points = points(&document("urn:x", "T", &toc));
        let orders: Vec<usize> = points.iter().map(|p| p.0).collect();
        assert_eq!(orders, [1, 2, 2, 3, 4, 4, 5]);
        // One value per target, the targets numbered 1, 2, 3... as they first appear.
        let mut seen: Vec<(&str, usize)> = Vec::new();
        for (order, _, src) in &points {
            match seen.iter().find(|(s, _)| s == src) {
                Some((_, o)) => assert_eq!(o, order, "{src}"),
                None => {
                    assert_eq!(*order, seen.len() + 1, "{src}");
                    seen.push((src, *order));
                }
            }
        }
        let ids: Vec<&str> = points.iter().map(|p| p.1.as_str()).collect();
        let expected: Vec<String> = (1..=7).map(|i| format!("navPoint-{i}")).collect();
        assert_eq!(ids, expected);
    }

    #[test]
    fn document_has_identifier_depth_title_and_nesting() {
        let toc = [
            leaf("In this issue", "masthead.xhtml"),
            section("A & B", &[("<One>", "a.xhtml")]),
        ];
        let ncx = document("urn:uuid:\"1\"", "Title & Co", &toc);
        assert_eq!(
            ncx,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>
<ncx version=\"2005-1\" xmlns=\"http://www.daisy.org/z3986/2005/ncx/\">
  <head>
    <meta name=\"dtb:uid\" content=\"urn:uuid:&quot;1&quot;\" />
    <meta name=\"dtb:depth\" content=\"2\" />
    <meta name=\"dtb:totalPageCount\" content=\"0\" />
    <meta name=\"dtb:maxPageNumber\" content=\"0\" />
  </head>
  <docTitle>
    <text>Title &amp; Co</text>
  </docTitle>
  <navMap>
    <navPoint playOrder=\"1\" id=\"navPoint-1\">
      <navLabel>
       <text>In this issue</text>
      </navLabel>
      <content src=\"masthead.xhtml\"/>
    </navPoint>
    <navPoint playOrder=\"2\" id=\"navPoint-2\">
      <navLabel>
       <text>A &amp; B</text>
      </navLabel>
      <content src=\"a.xhtml\"/>
      <navPoint playOrder=\"2\" id=\"navPoint-3\">
        <navLabel>
         <text>&lt;One&gt;</text>
        </navLabel>
        <content src=\"a.xhtml\"/>
      </navPoint>
    </navPoint>
  </navMap>
</ncx>
"
        );
        let flat = document("urn:x", "T", &toc[..1]);
        assert!(flat.contains("<meta name=\"dtb:depth\" content=\"1\" />"));
    }
}
