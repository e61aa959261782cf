//! Diagnostics: what went wrong, where (file, line, column) and what to do about it.
//!
//! The library only builds these; `main.rs` renders them.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// A 1-based line and column (in characters) and a length in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub line: usize,
    pub column: usize,
    pub len: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub file: Option<PathBuf>,
    pub span: Option<Span>,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            file: None,
            span: None,
            hint: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

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

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

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

/// Where `needle` first occurs in `text`, as a 1-based line and column; for warnings
/// raised after parsing, when only the text of the source is at hand.
pub fn locate(text: &str, needle: &str) -> Option<(usize, usize)> {
    if needle.is_empty() {
        return None;
    }
    text.find(needle).map(|at| line_col(text, at))
}

/// Converts a byte offset in `text` to a 1-based line and column (in characters).
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let mut start = offset;
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let before = &text[..start];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_finds_the_first_occurrence() {
        assert_eq!(locate("ab\ncd é x\nx", "x"), Some((2, 6)));
        assert_eq!(locate("abc", "z"), None);
        assert_eq!(locate("abc", ""), None);
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
