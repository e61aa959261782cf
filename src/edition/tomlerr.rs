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

/// Deserializes `text` (the whole of `file`), reporting every unknown key rather than
/// only the first: each one is reported, blanked out (same byte length, so every later
/// span stays right) and the text read again. Another error (a wrong type) is reported
/// too, once, and its entry blanked so that the unknown keys after it are still found.
/// Returns the value and the unknown keys, or every error found.
pub(crate) fn from_str_all<T: serde::de::DeserializeOwned>(
    text: &str,
    file: &Path,
) -> Result<(T, Vec<Diagnostic>), Vec<Diagnostic>> {
    /// Enough for any real file; a hostile one with more errors stops here.
    const MOST: usize = 200;
    let mut text = text.to_string();
    let mut unknown = Vec::new();
    let mut other: Option<Diagnostic> = None;
    let done = |unknown: Vec<Diagnostic>, other: Option<Diagnostic>| {
        let mut all = unknown;
        all.extend(other);
        all.sort_by_key(|d| d.span.map(|s| (s.line, s.column)));
        all
    };
    for _ in 0..MOST {
        let err = match toml::from_str::<T>(&text) {
            Ok(value) if other.is_none() => return Ok((value, done(unknown, None))),
            Ok(_) => return Err(done(unknown, other)),
            Err(err) => err,
        };
        let is_unknown = err.message().trim().starts_with("unknown field");
        let blank = err.span().and_then(|span| entry_span(&text, &span));
        if is_unknown {
            unknown.push(diagnostic(&err, &text, file, 1));
        } else if other.is_none() {
            other = Some(diagnostic(&err, &text, file, 1));
        } else {
            // A consequence of an entry blanked before (a key now missing): not news.
        }
        match blank {
            Some(ranges) => ranges.into_iter().for_each(|r| blank_out(&mut text, r)),
            None => return Err(done(unknown, other)),
        }
    }
    Err(done(unknown, other))
}

/// The byte ranges of the entry whose key or value is at `at` in `text`: `key = value`
/// for an inline entry; for a `[table]` or `[[table]]` its headers and every entry under
/// them.
fn entry_span(text: &str, at: &Range<usize>) -> Option<Vec<Range<usize>>> {
    type Entry<'a, 'b> = (
        &'b toml::Spanned<std::borrow::Cow<'a, str>>,
        &'b toml::Spanned<DeValue<'a>>,
    );
    fn whole((k, v): Entry<'_, '_>) -> Vec<Range<usize>> {
        let (key, value) = (k.span(), v.span());
        if value.start >= key.end {
            #[allow(clippy::single_range_in_vec_init)] // one range, in a list of them
            return vec![key.start..value.end];
        }
        // A header: its span is the header line; its entries are written after it.
        let mut out = vec![value];
        let mut table = |t: &DeTable<'_>| out.extend(t.iter().flat_map(whole));
        match v.get_ref() {
            DeValue::Table(t) => table(t),
            DeValue::Array(items) => {
                for item in items {
                    if let DeValue::Table(t) = item.get_ref() {
                        table(t);
                    }
                }
                out.extend(items.iter().map(toml::Spanned::span));
            }
            _ => {}
        }
        out
    }
    fn find(table: &DeTable<'_>, at: &Range<usize>) -> Option<Vec<Range<usize>>> {
        for (k, v) in table.iter() {
            // The innermost entry first: an unknown key in an inline table is in the
            // outer entry's value too.
            let found = match v.get_ref() {
                DeValue::Table(t) => find(t, at),
                DeValue::Array(items) => items.iter().find_map(|item| match item.get_ref() {
                    DeValue::Table(t) => find(t, at),
                    _ => None,
                }),
                _ => None,
            };
            if found.is_some() {
                return found;
            }
            let (key, value) = (k.span(), v.span());
            let inline = value.start >= key.end;
            if key == *at || (inline && value.start <= at.start && at.end <= value.end) {
                return Some(whole((k, v)));
            }
        }
        None
    }
    let doc = DeTable::parse(text).ok()?;
    find(doc.get_ref(), at)
}

/// Replaces `range` of `text` with spaces, keeping its line breaks and its length.
fn blank_out(text: &mut String, range: Range<usize>) {
    let blanked: String = text[range.clone()]
        .bytes()
        .map(|b| if b == b'\n' { '\n' } else { ' ' })
        .collect();
    text.replace_range(range, &blanked);
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

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Two {
        a: String,
        b: i64,
    }

    #[test]
    fn every_unknown_key_is_reported_with_the_other_errors() {
        let file = Path::new("e.toml");
        let text = "a = \"x\"\nzz = [\n  1,\n]\nyy = 2\nb = \"not a number\"\n";
        let errors = from_str_all::<Two>(text, file).unwrap_err();
        let found: Vec<(String, usize)> = errors
            .iter()
            .map(|d| (d.message.clone(), d.span.map_or(0, |s| s.line)))
            .collect();
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!(found[0], ("unknown key `zz`".to_string(), 2));
        assert_eq!(found[1], ("unknown key `yy`".to_string(), 5));
        assert_eq!(found[2].1, 6, "{found:?}");
        // Only unknown keys: the value is read, the keys reported.
        let (two, unknown) = from_str_all::<Two>("q = 1\na = \"x\"\nb = 3\n", file).unwrap();
        assert_eq!((two.a.as_str(), two.b), ("x", 3));
        assert_eq!(unknown.len(), 1);
    }

    #[test]
    fn an_unknown_table_is_reported_with_the_keys_before_it() {
        let file = Path::new("e.toml");
        let text = "a = \"x\"\nzz = 1\nb = 2\n[extra]\nq = 1\n[[more]]\nr = 2\n";
        let (two, unknown) = from_str_all::<Two>(text, file).unwrap();
        assert_eq!((two.a.as_str(), two.b), ("x", 2));
        let found: Vec<&str> = unknown.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            found,
            [
                "unknown key `zz`",
                "unknown key `extra`",
                "unknown key `more`"
            ]
        );
        // And with a wrong type after the table: still every error.
        let text = "a = \"x\"\n[extra]\nq = 1\n[[more]]\nb = 2\n";
        let errors = from_str_all::<Two>(&text.replace("[[more]]\nb = 2", "zz = 3"), file);
        let found: Vec<String> = errors.unwrap_err().into_iter().map(|d| d.message).collect();
        assert!(
            found.contains(&"unknown key `extra`".to_string()),
            "{found:?}"
        );
        assert!(found.iter().any(|m| m.contains("missing")), "{found:?}");
    }

    #[test]
    fn position_offsets_lines() {
        let text = "x = 1\ny = oops\n";
        assert_eq!(position(text, 10..14, 1), (2, 5, 4));
        assert_eq!(position(text, 10..14, 3), (4, 5, 4));
    }
}
