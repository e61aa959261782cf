//! TOML errors as diagnostics: line and column from the error's byte span, the unknown key
//! named with the nearest known one, and a way to find where a key is written.

use std::ops::Range;
use std::path::Path;

use toml::de::{DeTable, DeValue};

use crate::diag::{Diagnostic, line_col};

/// One step of a path into a TOML document: a key or an array index.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// Where in `text` an error spans: 1-based line and column, and width in characters.
pub(crate) fn position(text: &str, span: Range<usize>, first_line: usize) -> (usize, usize, usize) {
    let (line, column) = line_col(text, span.start);
    let end = span.end.min(text.len()).max(span.start);
    let width = text
        .get(span.start..end)
        .map_or(1, |s| s.lines().next().unwrap_or("").chars().count());
    (line + first_line - 1, column, width.max(1))
}

/// Converts a TOML or serde error from reading `text` (which starts at line `first_line` of
/// `file`) into a diagnostic.
pub(crate) fn diagnostic(
    err: &toml::de::Error,
    text: &str,
    file: &Path,
    first_line: usize,
) -> Diagnostic {
    let raw = err.message().trim();
    let (message, hint) = explain(raw, err.span().and_then(|s| text.get(s)));
    let mut d = Diagnostic::error(message).in_file(file);
    match err.span() {
        Some(span) => {
            let (line, column, width) = position(text, span, first_line);
            d = d.at(line, column, width);
        }
        None => d = d.at(first_line, 1, 1),
    }
    if let Some(hint) = hint {
        d = d.with_hint(hint);
    }
    d
}

/// Rewrites serde's wording ("unknown field", "missing field") for users of a config file
/// and finds a hint: the nearest known key, or what to add.
pub(crate) fn explain(raw: &str, spanned: Option<&str>) -> (String, Option<String>) {
    let names = backticked(raw);
    if raw.starts_with("unknown field") {
        let key = names
            .first()
            .cloned()
            .or_else(|| spanned.map(str::to_string))
            .unwrap_or_default();
        let known: Vec<&str> = names.iter().skip(1).map(String::as_str).collect();
        let hint = match nearest(&key, &known) {
            Some(near) => Some(format!("did you mean `{near}`?")),
            None if known.is_empty() => None,
            None => Some(format!("known keys here: {}", known.join(", "))),
        };
        return (format!("unknown key `{key}`"), hint);
    }
    if raw.starts_with("missing field") {
        let key = names.first().cloned().unwrap_or_default();
        return (
            format!("missing required key `{key}`"),
            Some(format!("add `{key} = ...`")),
        );
    }
    if raw.starts_with("duplicate field") {
        let key = names.first().cloned().unwrap_or_default();
        return (format!("the key `{key}` is given twice"), None);
    }
    if raw.starts_with("invalid type") || raw.starts_with("invalid value") {
        let scalar = ["floating point", "boolean", "integer"]
            .iter()
            .any(|t| raw.starts_with(&format!("invalid type: {t}")));
        let header = spanned
            .map(str::trim)
            .filter(|t| t.starts_with('[') && !t.starts_with("[["));
        let hint = if let Some(header) = header.filter(|_| raw.contains("expected a sequence")) {
            let name = header.trim_matches(|c| c == '[' || c == ']');
            Some(format!(
                "write `[[{name}]]` with double brackets: each one adds an entry to the list"
            ))
        } else {
            (scalar && raw.contains("expected a string"))
                .then(|| "write the value in double quotes".to_string())
        };
        return (raw.to_string(), hint);
    }
    (format!("invalid TOML: {raw}"), None)
}

/// The words between backticks in `s`, in order.
fn backticked(s: &str) -> Vec<String> {
    s.split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, w)| w.to_string())
        .collect()
}

/// The known name closest to `word`, if it is close enough to be a likely typo.
pub(crate) fn nearest<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    let lower = word.to_lowercase();
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(&lower, &k.to_lowercase()), *k))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// The byte span of the value at `path` in the TOML `text`, if it is written there.
pub(crate) fn locate(text: &str, path: &[Seg<'_>]) -> Option<Range<usize>> {
    let doc = DeTable::parse(text).ok()?;
    let mut table: &DeTable<'_> = doc.get_ref();
    let mut value: Option<&toml::Spanned<DeValue<'_>>> = None;
    for seg in path {
        let next = match (*seg, value) {
            (Seg::Key(key), None) => table
                .iter()
                .find(|(k, _)| k.get_ref() == key)
                .map(|(_, v)| v),
            (seg, Some(v)) => match seg {
                Seg::Key(key) => v.get_ref().get(key),
                Seg::Index(i) => v.get_ref().get(i),
            },
            (Seg::Index(_), None) => None,
        }?;
        if let DeValue::Table(t) = next.get_ref() {
            table = t;
        }
        value = Some(next);
    }
    value.map(|v| v.span())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_field_names_key_and_nearest() {
        let (msg, hint) = explain(
            "unknown field `titel`, expected one of `title`, `issue`, `date`",
            None,
        );
        assert_eq!(msg, "unknown key `titel`");
        assert_eq!(hint.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn far_unknown_field_lists_known_keys() {
        let (_, hint) = explain("unknown field `zzz`, expected `title` or `issue`", None);
        assert_eq!(hint.as_deref(), Some("known keys here: title, issue"));
    }

    #[test]
    fn single_brackets_for_a_list_of_tables() {
        let (_, hint) = explain("invalid type: map, expected a sequence", Some("[section]"));
        assert_eq!(
            hint.as_deref(),
            Some("write `[[section]]` with double brackets: each one adds an entry to the list")
        );
    }

    #[test]
    fn missing_field_is_named() {
        let (msg, _) = explain("missing field `date`", None);
        assert_eq!(msg, "missing required key `date`");
    }

    #[test]
    fn locates_nested_keys_and_array_items() {
        let text = "a = 1\n[page]\ncolumns = 3\n[[section]]\narticles = [\"x\", \"y\"]\n";
        let span = locate(text, &[Seg::Key("page"), Seg::Key("columns")]).unwrap();
        assert_eq!(&text[span], "3");
        let span = locate(
            text,
            &[
                Seg::Key("section"),
                Seg::Index(0),
                Seg::Key("articles"),
                Seg::Index(1),
            ],
        )
        .unwrap();
        assert_eq!(&text[span], "\"y\"");
        assert!(locate(text, &[Seg::Key("nope")]).is_none());
    }

    #[test]
    fn position_offsets_lines() {
        let text = "x = 1\ny = oops\n";
        assert_eq!(position(text, 10..14, 1), (2, 5, 4));
        assert_eq!(position(text, 10..14, 3), (4, 5, 4));
    }
}
