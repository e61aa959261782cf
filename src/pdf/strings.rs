//! Strings a PDF stores as text strings (the document information, bookmarks, the
//! alternative text of headings and figures) are cut to fit PDF/A's limit of 32,767
//! bytes per string: the loader admits longer values (a long description, a title of
//! astral characters), which the pages and the EPUB hold whole. Each cut is reported.

use crate::diag::Diagnostic;
use crate::layout::frame::{Document, OutlineEntry};
use crate::model::Edition;

/// The most bytes (UTF-8, as krilla counts them) kept of one string: a margin under
/// PDF/A's 32,767.
pub(crate) const PDF_STRING_BYTES: usize = 32_000;

/// Cuts `s` to at most `most` bytes, at a character boundary, ending in `…`; true when
/// it was cut.
pub(crate) fn cut(s: &mut String, most: usize) -> bool {
    if s.len() <= most {
        return false;
    }
    let mut end = most.saturating_sub('…'.len_utf8());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.truncate(end);
    s.push('…');
    true
}

/// Cuts `list` so that its entries joined by `, ` (as a PDF writer joins authors and
/// keywords) fit in `most` bytes: later entries are dropped, the last one kept may be
/// cut. True when anything was cut.
pub(crate) fn cut_list(list: &mut Vec<String>, most: usize) -> bool {
    let mut used = 0;
    for i in 0..list.len() {
        let sep = if i == 0 { 0 } else { 2 };
        if used + sep + list[i].len() > most {
            let room = most.saturating_sub(used + sep);
            if room > '…'.len_utf8() {
                cut(&mut list[i], room);
                list.truncate(i + 1);
            } else {
                list.truncate(i);
            }
            return true;
        }
        used += sep + list[i].len();
    }
    false
}

/// Cuts every text string of `doc` that PDF/A would refuse; returns what was cut, in
/// words ("the document's description"), one entry per kind of string.
pub(crate) fn fit(doc: &mut Document) -> Vec<String> {
    let most = PDF_STRING_BYTES;
    let mut cut_what = Vec::new();
    let meta = &mut doc.meta;
    let mut one = |s: &mut String, what: &str| {
        if cut(s, most) {
            cut_what.push(what.to_string());
        }
    };
    one(&mut meta.title, "the document's title");
    one(&mut meta.issue, "the issue");
    for (value, what) in [
        (&mut meta.subject, "the document's description"),
        (&mut meta.publisher, "the publisher"),
        (&mut meta.rights, "the rights statement"),
    ] {
        if let Some(value) = value {
            one(value, what);
        }
    }
    if cut_list(&mut meta.authors, most) {
        cut_what.push("the list of authors".to_string());
    }
    if cut_list(&mut meta.keywords, most) {
        cut_what.push("the list of subjects".to_string());
    }
    fn outline(entries: &mut [OutlineEntry], most: usize) -> bool {
        let mut any = false;
        for e in entries {
            any |= cut(&mut e.title, most);
            any |= outline(&mut e.children, most);
        }
        any
    }
    if outline(&mut doc.outline, most) {
        cut_what.push("a bookmark (a section or article title)".to_string());
    }
    let mut alt = false;
    for part in &mut doc.structure {
        for node in &mut part.nodes {
            if let Some(text) = &mut node.alt {
                alt |= cut(text, most);
            }
        }
    }
    if alt {
        cut_what.push("the alternative text of a heading or figure".to_string());
    }
    cut_what
}

/// [`fit`], with a warning for each kind of string cut (in `edition`'s edition.toml,
/// where most of them are written).
pub(crate) fn fit_warned(doc: &mut Document, edition: &Edition) -> Vec<Diagnostic> {
    fit(doc)
        .into_iter()
        .map(|what| {
            Diagnostic::warning(format!(
                "{what} is longer than the {PDF_STRING_BYTES} bytes PDF/A allows in a PDF string; \
                 the PDF's document information, bookmarks and tags hold it cut short \
                 (the pages and the EPUB hold it whole)"
            ))
            .in_file(edition.root.join("edition.toml"))
            .with_hint("shorten it to keep it whole in the PDF; the limits are in docs/format.md")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_at_a_character_boundary_with_an_ellipsis() {
        let mut s = "ab".to_string();
        assert!(!cut(&mut s, 2));
        assert_eq!(s, "ab");
        // Four-byte characters: 10 bytes leave room for one and the ellipsis (3 bytes).
        let mut s = "𝔸𝔸𝔸𝔸".to_string();
        assert!(cut(&mut s, 10));
        assert_eq!(s, "𝔸…");
        assert!(s.len() <= 10);
    }

    #[test]
    fn lists_keep_what_fits_when_joined() {
        let mut list = vec!["aaaa".to_string(), "bbbbbbbb".to_string(), "c".to_string()];
        assert!(cut_list(&mut list, 12));
        assert_eq!(list, ["aaaa", "bbb…"]);
        assert!(list.join(", ").len() <= 12);
        let mut short = vec!["a".to_string(), "b".to_string()];
        assert!(!cut_list(&mut short, 4));
        assert_eq!(short, ["a", "b"]);
    }

    #[test]
    fn a_document_s_long_strings_are_cut_and_named() {
        let mut doc = Document::default();
        doc.meta.title = "𝔸".repeat(10_000);
        doc.meta.subject = Some("é".repeat(20_000));
        doc.meta.authors = vec!["x".repeat(20_000), "y".repeat(20_000)];
        doc.outline.push(OutlineEntry {
            title: "t".into(),
            page: 0,
            y: 0.0,
            children: vec![OutlineEntry {
                title: "z".repeat(40_000),
                page: 0,
                y: 0.0,
                children: Vec::new(),
            }],
        });
        let what = fit(&mut doc);
        assert_eq!(what.len(), 4, "{what:?}");
        assert!(doc.meta.title.len() <= PDF_STRING_BYTES);
        assert!(doc.meta.subject.as_ref().unwrap().len() <= PDF_STRING_BYTES);
        assert!(doc.meta.authors.join(", ").len() <= PDF_STRING_BYTES);
        assert!(doc.outline[0].children[0].title.len() <= PDF_STRING_BYTES);
        assert!(fit(&mut doc).is_empty());
    }
}
