//! Diagnostics: what went wrong, where (file, line, column) and what to do about it.
//!
//! The library only builds these; `main.rs` renders them.

mod origin;

pub(crate) use origin::{Walk, source_offset};

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
/// How serious a diagnostic is.
pub enum Severity {
    /// Information (a preflight note): nothing to fix.
    Note,
    /// The build goes on; the output is written.
    Warning,
    /// The build stops; nothing is written.
    Error,
}

/// The kind of a print preflight finding; `--json` gives its [`name`](Code::name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Code {
    /// An image under 300 ppi (or 150) at its placed size.
    ImageResolution,
    /// An RGB image in a CMYK job: converted on output.
    ImageRgb,
    /// Text inside the safety margin near the trim.
    SafetyMargin,
    /// A font whose licence bits restrict embedding.
    FontLicence,
    /// Text or a figure that runs past the trim and is cut.
    Overset,
    /// An article whose last page is stranded (under a third full).
    Stranded,
    /// Blank pages the print PDF adds to reach a multiple of four.
    PagePadding,
}

impl Code {
    /// The stable name: `image-resolution`, `image-rgb`, `safety-margin`, `font-licence`,
    /// `overset`, `stranded`, `page-padding`.
    pub fn name(self) -> &'static str {
        match self {
            Code::ImageResolution => "image-resolution",
            Code::ImageRgb => "image-rgb",
            Code::SafetyMargin => "safety-margin",
            Code::FontLicence => "font-licence",
            Code::Overset => "overset",
            Code::Stranded => "stranded",
            Code::PagePadding => "page-padding",
        }
    }
}

/// A 1-based line and column (in characters) and a length in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Line, from 1.
    pub line: usize,
    /// Column in characters, from 1.
    pub column: usize,
    /// Width in characters (at least 1).
    pub len: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
/// A problem found in the input, with where it is and what to do about it.
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The file it is in, when there is one.
    pub file: Option<PathBuf>,
    /// Where in the file.
    pub span: Option<Span>,
    /// What to do about it.
    pub hint: Option<String>,
    /// The kind of finding, for `--json` (`image-resolution`); `None` for most
    /// diagnostics.
    pub code: Option<Code>,
}

impl Diagnostic {
    /// An error with `message` and no place yet.
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            file: None,
            span: None,
            hint: None,
            code: None,
        }
    }

    /// A warning with `message` and no place yet.
    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    /// A note with `message` and no place yet.
    pub fn note(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Note,
            ..Diagnostic::error(message)
        }
    }

    /// Names the kind of finding (see [`Diagnostic::code`]).
    pub fn with_code(mut self, code: Code) -> Self {
        self.code = Some(code);
        self
    }

    /// Names the file the problem is in.
    pub fn in_file(mut self, file: impl AsRef<Path>) -> Self {
        self.file = Some(file.as_ref().to_path_buf());
        self
    }

    /// Points at `line`:`column` (1-based), `len` characters wide (at least 1).
    pub fn at(mut self, line: usize, column: usize, len: usize) -> Self {
        self.span = Some(Span {
            line,
            column,
            len: len.max(1),
        });
        self
    }

    /// Points at the byte range `range` of `text`, the whole text of the diagnostic's
    /// file: the line and column (in characters) of its start, as wide as its first line.
    pub fn at_range(self, text: &str, range: Range<usize>) -> Self {
        let (line, column) = line_col(text, range.start);
        let start = floor_char_boundary(text, range.start);
        let end = floor_char_boundary(text, range.end.max(start));
        let first_line = text[start..end].split('\n').next().unwrap_or("");
        let len = first_line.trim_end_matches('\r').chars().count();
        self.at(line, column, len)
    }

    /// Adds a hint: what to do about it.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The warning for a link set as plain text because its scheme is not kept (both
    /// outputs raise it, so either alone reports it): `url` as written at `range` of
    /// `text`, the whole text of `file`.
    pub fn refused_link(file: &Path, text: &str, url: &str, range: Range<usize>) -> Self {
        const SHOWN: usize = 60;
        let mut shown: String = url
            .chars()
            .take(SHOWN)
            .flat_map(char::escape_debug)
            .collect();
        if url.chars().nth(SHOWN).is_some() {
            shown.push('…');
        }
        Diagnostic::warning(format!(
            "the link to `{shown}` is kept as plain text: only http, https and mailto links \
             and links to articles or headings are kept"
        ))
        .in_file(file)
        .at_range(text, range)
        .with_hint("link to a full URL (`https://…`), an address (`mailto:…`), another article's Markdown file or a heading id (`#id`)")
    }

    /// True for an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// One-line form: `file:line:column: error: message (hint)`.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{}", file.display())?;
            if let Some(span) = self.span {
                write!(f, ":{}:{}", span.line, span.column)?;
            }
            write!(f, ": ")?;
        }
        let level = match self.severity {
            Severity::Note => "note",
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{level}: {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

/// `offset` in `text`, moved back to the start of its character (and into the text).
fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Converts a byte offset in `text` to a 1-based line and column (in characters).
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_range_counts_characters_and_stops_at_the_line_end() {
        let text = "é\nçà [link](u)\r\nnext";
        let start = text.find('[').unwrap();
        let d = Diagnostic::warning("w").at_range(text, start..text.len());
        assert_eq!(
            d.span,
            Some(Span {
                line: 2,
                column: 4,
                len: 9
            })
        );
        // Empty and out-of-range ranges still point somewhere, one character wide.
        let d = Diagnostic::warning("w").at_range(text, 999..1000);
        assert_eq!(
            d.span,
            Some(Span {
                line: 3,
                column: 5,
                len: 1
            })
        );
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "ab\nçd = 1\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        // 'ç' is two bytes; the 'd' after it is column 2.
        assert_eq!(line_col(text, 5), (2, 2));
        assert_eq!(line_col(text, 999), (3, 1));
    }

    #[test]
    fn display_names_file_line_and_hint() {
        let d = Diagnostic::error("unknown key `titel`")
            .in_file("e/edition.toml")
            .at(3, 1, 5)
            .with_hint("did you mean `title`?");
        assert_eq!(
            d.to_string(),
            "e/edition.toml:3:1: error: unknown key `titel` (hint: did you mean `title`?)"
        );
    }
}
