//! Which pages to preview: `--pages 1,3-5` (1 is the cover). Pure parsing, then
//! resolution against the page count once the edition is laid out.

use std::fmt;
use std::str::FromStr;

/// Page ranges as written: single pages `3`, closed ranges `3-5`, open ones `7-` (to
/// the last page) and `-2` (from the first), separated by commas.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageSelection {
    /// `(first, last)`, 1-based and inclusive; `None` for an open end.
    ranges: Vec<(Option<u32>, Option<u32>)>,
}

/// A selection that cannot be read, or that names pages the edition does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SelectionError {
    /// The text is not a list of pages and ranges.
    Syntax(String),
    /// A page after the last one.
    OutOfRange {
        /// The page asked for.
        page: u32,
        /// How many pages the edition has.
        pages: usize,
    },
}

impl fmt::Display for SelectionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SelectionError::Syntax(message) => f.write_str(message),
            SelectionError::OutOfRange { page, pages } => write!(
                f,
                "--pages asks for page {page}, but the edition has {pages} page{}",
                if *pages == 1 { "" } else { "s" }
            ),
        }
    }
}

impl std::error::Error for SelectionError {}

/// What a selection looks like, for messages.
const USAGE: &str = "pages are numbers from 1 (the cover) and ranges, separated by commas: `1,3-5`, `7-` (to the last page), `-2`";

impl FromStr for PageSelection {
    type Err = SelectionError;

    fn from_str(s: &str) -> Result<Self, SelectionError> {
        let bad = |what: String| SelectionError::Syntax(format!("{what}; {USAGE}"));
        let number = |text: &str, part: &str| -> Result<Option<u32>, SelectionError> {
            let text = text.trim();
            if text.is_empty() {
                return Ok(None);
            }
            match text.parse::<u32>() {
                Ok(0) => Err(bad(format!("`{part}`: pages count from 1"))),
                Ok(n) => Ok(Some(n)),
                Err(_) => Err(bad(format!("`{part}` is not a page or a range"))),
            }
        };
        let mut ranges = Vec::new();
        for part in s.split(',') {
            let part = part.trim();
            if part.is_empty() {
                return Err(bad(format!("`{s}` has an empty entry")));
            }
            let range = match part.split_once('-') {
                None => {
                    let page = number(part, part)?;
                    (page, page)
                }
                Some((first, last)) => {
                    let (first, last) = (number(first, part)?, number(last, part)?);
                    match (first, last) {
                        (None, None) => return Err(bad(format!("`{part}` names no page"))),
                        (Some(a), Some(b)) if a > b => {
                            return Err(bad(format!("`{part}` ends before it begins")));
                        }
                        _ => (first, last),
                    }
                }
            };
            ranges.push(range);
        }
        Ok(PageSelection { ranges })
    }
}

impl PageSelection {
    /// The 0-based indexes of the pages chosen among `pages`, ascending, each once; an
    /// error names the first page past the end.
    pub fn resolve(&self, pages: usize) -> Result<Vec<usize>, SelectionError> {
        let mut chosen = std::collections::BTreeSet::new();
        for &(first, last) in &self.ranges {
            let first = first.unwrap_or(1);
            let last = last.unwrap_or(pages.min(u32::MAX as usize) as u32);
            if first as usize > pages || last as usize > pages {
                let page = if first as usize > pages { first } else { last };
                return Err(SelectionError::OutOfRange { page, pages });
            }
            chosen.extend((first..=last).map(|p| p as usize - 1));
        }
        Ok(chosen.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages(s: &str, count: usize) -> Result<Vec<usize>, SelectionError> {
        s.parse::<PageSelection>()?.resolve(count)
    }

    #[test]
    fn reads_pages_and_ranges() {
        assert_eq!(pages("1,3-5", 8).unwrap(), [0, 2, 3, 4]);
        assert_eq!(pages("5-5, 2", 8).unwrap(), [1, 4]);
        assert_eq!(pages("7-", 8).unwrap(), [6, 7]);
        assert_eq!(pages("-2", 8).unwrap(), [0, 1]);
        assert_eq!(pages("2,2,1-3", 8).unwrap(), [0, 1, 2]);
    }

    #[test]
    fn rejects_what_is_not_a_page() {
        for bad in ["", "0", "a", "1,,2", "5-3", "-", "1-2-3", "1.5", "-0"] {
            let err = pages(bad, 8).unwrap_err();
            assert!(
                matches!(&err, SelectionError::Syntax(m) if m.contains("`1,3-5`")),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn pages_past_the_end_are_named() {
        let err = pages("2,9-10", 8).unwrap_err();
        assert_eq!(err, SelectionError::OutOfRange { page: 9, pages: 8 });
        assert!(err.to_string().contains("has 8 pages"));
        assert_eq!(
            pages("3-", 2).unwrap_err(),
            SelectionError::OutOfRange { page: 3, pages: 2 }
        );
    }
}
