//! Figure attributes: `{span=2 place=top}` written directly after an image, as Pandoc
//! and markdown-it-attrs write attributes. Other CommonMark readers show it as text.

use std::ops::Range;

use super::convert::Problem;
use crate::model::{FigurePlace, FigureSpan};

/// Attributes read after an image, and the bytes they take (to drop from the text).
#[derive(Debug, PartialEq)]
pub(super) struct Attributes {
    pub span: FigureSpan,
    pub place: FigurePlace,
    /// The `{…}` in the file, braces included.
    pub range: Range<usize>,
}

const HINT: &str = "figures take `span` (1 to 6, or `full`) and `place` (`top` or `bottom`), \
                    as in `![alt](image.png \"Caption\"){span=2 place=top}`";

/// Reads the attributes in `text` at byte `at` (just after an image), or `None` when no
/// `{…}` of words and `=` signs starts there on the same line. Values that are not
/// understood are problems, reported at the word.
pub(super) fn after_image(text: &str, at: usize) -> Option<(Attributes, Vec<Problem>)> {
    let rest = text.get(at..)?.strip_prefix('{')?;
    let close = rest.find(['}', '\n'])?;
    let inner = &rest[..close];
    if !rest[close..].starts_with('}')
        || !inner
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '=' | '_' | ' ' | '\t'))
    {
        return None;
    }
    let mut attrs = Attributes {
        span: FigureSpan::default(),
        place: FigurePlace::default(),
        range: at..at + close + 2,
    };
    let mut problems = Vec::new();
    let mut place_given = None;
    for (offset, word) in words(inner) {
        let start = at + 1 + offset;
        let range = start..start + word.len();
        let (key, value) = word.split_once('=').unwrap_or((word, ""));
        match key {
            "span" => match span(value) {
                Some(s) => attrs.span = s,
                None => problems.push(Problem::new(
                    range,
                    format!("figure `span={value}`: a span is a number of columns from 1 to 6, or `full`"),
                    HINT,
                )),
            },
            "place" => match value {
                "top" => (attrs.place, place_given) = (FigurePlace::Top, Some(range)),
                "bottom" => (attrs.place, place_given) = (FigurePlace::Bottom, Some(range)),
                _ => problems.push(Problem::new(
                    range,
                    format!("figure `place={value}`: a figure is placed at the `top` or the `bottom` of a page"),
                    HINT,
                )),
            },
            _ => problems.push(Problem::new(
                range,
                format!("unknown figure attribute `{word}`"),
                HINT,
            )),
        }
    }
    if let (Some(range), FigureSpan::Column) = (place_given, attrs.span) {
        problems.push(Problem::new(
            range,
            "`place` is for figures that span columns; a one-column figure stays in the text",
            "add `span=2`, `span=3` or `span=full`, or remove `place`",
        ));
    }
    Some((attrs, problems))
}

fn span(value: &str) -> Option<FigureSpan> {
    match value {
        "full" => Some(FigureSpan::Full),
        "1" => Some(FigureSpan::Column),
        _ => value
            .parse::<u8>()
            .ok()
            .filter(|k| (2..=6).contains(k))
            .map(FigureSpan::Columns),
    }
}

/// The words of `s` (split at spaces and tabs) with their byte offsets.
fn words(s: &str) -> impl Iterator<Item = (usize, &str)> {
    s.split([' ', '\t'])
        .scan(0, |pos, w| {
            let at = *pos;
            *pos += w.len() + 1;
            Some((at, w))
        })
        .filter(|(_, w)| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Option<(FigureSpan, FigurePlace, Range<usize>, usize)> {
        after_image(text, 0).map(|(a, p)| (a.span, a.place, a.range, p.len()))
    }

    #[test]
    fn spans_and_places() {
        use FigurePlace::*;
        use FigureSpan::*;
        assert_eq!(read("{span=2}"), Some((Columns(2), Top, 0..8, 0)));
        assert_eq!(
            read("{ span=full  place=bottom } more"),
            Some((Full, Bottom, 0..27, 0))
        );
        assert_eq!(read("{span=1}"), Some((Column, Top, 0..8, 0)));
        assert_eq!(read("{}"), Some((Column, Top, 0..2, 0)));
    }

    #[test]
    fn only_braces_on_the_same_line_are_attributes() {
        assert_eq!(read("no braces"), None);
        assert_eq!(read("{span=2\n}"), None);
        assert_eq!(read("{span=2"), None);
        // Other characters: ordinary text in braces, left alone.
        assert_eq!(read("{see *below*}"), None);
        assert_eq!(read("{span=\"2\"}"), None);
    }

    #[test]
    fn bad_values_are_problems_at_the_word() {
        let (_, problems) = after_image("{span=2 place=left}", 0).unwrap();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].range(), 8..18);
        let (_, problems) = after_image("{span=9 width=50}", 0).unwrap();
        assert_eq!(problems.len(), 2);
        let (_, problems) = after_image("{place=top}", 0).unwrap();
        assert_eq!(problems.len(), 1, "place without span");
    }
}
