//! Article files: front matter (YAML between `---` lines or TOML between `+++` lines),
//! checked, then the Markdown body handed to the Markdown parser.

use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;

use super::tomlerr;
use super::values::{Names, Text};
use crate::diag::Diagnostic;
use crate::markdown::{self, ImageResolver};
use crate::model::{Article, BylinePosition, Language};

/// The front matter as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFront {
    title: Option<Text>,
    kicker: Option<Text>,
    standfirst: Option<Text>,
    #[serde(alias = "author")]
    authors: Option<Names>,
    byline: Option<String>,
    language: Option<String>,
}

const FRONT_KEYS: &[&str] = &[
    "title",
    "kicker",
    "standfirst",
    "authors",
    "author",
    "byline",
    "language",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Yaml,
    Toml,
}

/// An article file cut into its front matter and body.
#[derive(Debug, PartialEq, Eq)]
struct Split<'a> {
    kind: Kind,
    front: &'a str,
    /// Line of the file on which `front` starts.
    front_line: usize,
    body: &'a str,
    /// Line of the file on which `body` starts.
    body_line: usize,
    /// Byte offset of `body` in the file.
    body_start: usize,
}

/// Finds the front matter: the first line is `---` (YAML) or `+++` (TOML), and the same
/// delimiter on a line of its own closes it.
fn split<'a>(text: &'a str, file: &Path) -> Result<Split<'a>, Diagnostic> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    let (kind, delim) = match first.trim_end() {
        "---" => (Kind::Yaml, "---"),
        "+++" => (Kind::Toml, "+++"),
        _ => {
            return Err(Diagnostic::error("the article has no front matter")
                .in_file(file)
                .at(1, 1, first.trim_end().chars().count())
                .with_hint(
                    "start the file with a line `---`, then `title: ...`, then another line `---`",
                ));
        }
    };
    let front_start = first.len();
    let mut offset = front_start;
    for (i, line) in lines.enumerate() {
        if line.trim_end() == delim {
            return Ok(Split {
                kind,
                front: &text[front_start..offset],
                front_line: 2,
                body: &text[offset + line.len()..],
                body_line: i + 3,
                body_start: offset + line.len(),
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(format!(
        "the front matter opened by `{delim}` on line 1 is never closed"
    ))
    .in_file(file)
    .at(1, 1, 3)
    .with_hint(format!(
        "add a line `{delim}` after the last front matter line"
    )))
}

/// The line and column where `key` is written in the front matter, if it is.
fn key_position(split: &Split<'_>, key: &str) -> Option<(usize, usize)> {
    split.front.lines().enumerate().find_map(|(i, line)| {
        let trimmed = line.trim_start();
        let rest = trimmed.strip_prefix(key)?;
        let rest = rest.trim_start();
        (rest.starts_with(':') || rest.starts_with('=')).then(|| {
            let column = line.chars().count() - trimmed.chars().count() + 1;
            (split.front_line + i, column)
        })
    })
}

/// Reads the front matter into its raw form.
fn parse_front(split: &Split<'_>, file: &Path) -> Result<RawFront, Diagnostic> {
    if split.front.trim().is_empty() {
        return Ok(RawFront::default());
    }
    match split.kind {
        Kind::Toml => toml::from_str(split.front)
            .map_err(|e| tomlerr::diagnostic(&e, split.front, file, split.front_line)),
        Kind::Yaml => serde_norway::from_str(split.front).map_err(|e| {
            let full = e.to_string();
            // serde_norway appends " at line L column C"; the place goes in the span.
            let raw = match full.find(" at line ") {
                Some(i) => &full[..i],
                None => &full,
            };
            let (message, hint) = if raw.contains("expected struct") {
                (
                    "the front matter is not a list of `key: value` lines".to_string(),
                    Some("write e.g. `title: My title` on a line of its own".to_string()),
                )
            } else if raw.contains("unknown field")
                || raw.contains("missing field")
                || raw.contains("duplicate field")
                || raw.contains("invalid type")
            {
                let from = ["unknown field", "missing field", "duplicate field", "invalid type"]
                    .iter()
                    .filter_map(|p| raw.find(p))
                    .min()
                    .unwrap_or(0);
                tomlerr::explain(&raw[from..], None)
            } else {
                (
                    format!("invalid YAML in the front matter: {raw}"),
                    Some(
                        "a value that holds `: ` or `#`, or starts with a quote, bracket, `*` or `&`, must be enclosed in double quotes; a quote or bracket that opens must close on the same line"
                            .to_string(),
                    ),
                )
            };
            let mut d = Diagnostic::error(message).in_file(file);
            d = match e.location() {
                Some(loc) => d.at(loc.line() + split.front_line - 1, loc.column(), 1),
                None => d.at(split.front_line, 1, 1),
            };
            if let Some(hint) = hint {
                d = d.with_hint(hint);
            }
            d
        }),
    }
}

/// Parses one article. `file` is the path shown in messages, `source` the absolute path
/// kept in the model, `id` its id; `language` is the edition's; `images` resolves image
/// paths written in the body. Every problem found is returned.
pub(crate) fn parse(
    text: &str,
    file: &Path,
    source: &Path,
    id: String,
    language: &Language,
    images: &mut ImageResolver<'_>,
) -> Result<Article, Vec<Diagnostic>> {
    let split = split(text, file).map_err(|d| vec![d])?;
    let mut diags = Vec::new();
    let front = parse_front(&split, file).map_err(|d| diags.push(d)).ok();

    // The body is checked even when the front matter is wrong, so all problems show at once.
    let body = markdown::parse(text, split.body_start, file, images)
        .map_err(|mut d| diags.append(&mut d))
        .ok();

    let Some(front) = front else {
        return Err(diags);
    };
    let at = |key: &str| key_position(&split, key).unwrap_or((1, 1));
    let fail = |key: &str, message: String, hint: &str| {
        let (line, column) = at(key);
        Diagnostic::error(message)
            .in_file(file)
            .at(line, column, key.chars().count())
            .with_hint(hint)
    };

    let title = front
        .title
        .map(|t| t.0.trim().to_string())
        .unwrap_or_default();
    if title.is_empty() {
        let d = if key_position(&split, "title").is_some() {
            fail(
                "title",
                "the article's title is empty".into(),
                "write the title as printed",
            )
        } else {
            Diagnostic::error("the article has no title")
                .in_file(file)
                .at(1, 1, 3)
                .with_hint("add a line `title: ...` to the front matter")
        };
        diags.push(d);
    }
    let byline = match front.byline.as_deref().map(str::trim) {
        None | Some("top") => BylinePosition::Top,
        Some("end") => BylinePosition::End,
        Some(other) => {
            diags.push(fail(
                "byline",
                format!("`byline` is `{other}`; it must be `top` or `end`"),
                "`top` prints the authors under the title, `end` after the text",
            ));
            BylinePosition::Top
        }
    };
    let language = match front.language.as_deref() {
        None => language.clone(),
        Some(tag) => match super::meta::language(tag) {
            Ok(lang) => lang,
            Err(hint) => {
                diags.push(fail(
                    "language",
                    format!("`{tag}` is not a valid BCP 47 language tag"),
                    &hint,
                ));
                language.clone()
            }
        },
    };
    let primary = language.primary();
    let text_of = |t: Option<Text>| {
        t.map(|t| markdown::smarten_plain(&t.0, &primary))
            .filter(|t| !t.is_empty())
    };
    let authors = front
        .authors
        .map(|n| n.0)
        .unwrap_or_default()
        .into_iter()
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty())
        .collect();

    let mut body = body;
    if let Some(body) = body.as_mut() {
        markdown::localise_quotes(&mut body.blocks, &mut body.footnotes, &language.primary());
    }
    match body {
        Some(body) if diags.is_empty() => Ok(Article {
            id,
            source: source.to_path_buf(),
            text: Arc::from(text),
            title: markdown::smarten_plain(&title, &primary),
            kicker: text_of(front.kicker),
            standfirst: text_of(front.standfirst),
            authors,
            byline,
            language,
            blocks: body.blocks,
            footnotes: body.footnotes,
        }),
        _ => Err(diags),
    }
}

/// The front matter keys an article may use (for documentation and tests).
pub fn front_matter_keys() -> &'static [&'static str] {
    FRONT_KEYS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> &'static Path {
        Path::new("e/articles/a.md")
    }

    #[test]
    fn splits_yaml_and_toml_front_matter() {
        let s = split("---\ntitle: A\n---\nBody\n", file()).unwrap();
        assert_eq!(s.kind, Kind::Yaml);
        assert_eq!(s.front, "title: A\n");
        assert_eq!(s.body, "Body\n");
        assert_eq!((s.front_line, s.body_line), (2, 4));
        let s = split("+++\r\ntitle = \"A\"\r\n+++\r\n\r\nBody", file()).unwrap();
        assert_eq!(s.kind, Kind::Toml);
        assert_eq!(s.front, "title = \"A\"\r\n");
        assert_eq!(s.body, "\r\nBody");
        let s = split("---\n---", file()).unwrap();
        assert_eq!((s.front, s.body, s.body_line), ("", "", 3));
    }

    #[test]
    fn unclosed_and_missing_front_matter() {
        let d = split("---\ntitle: A\n\nBody\n", file()).unwrap_err();
        assert!(d.message.contains("never closed"), "{d}");
        assert_eq!(d.span.map(|s| s.line), Some(1));
        let d = split("# Title\n\nBody\n", file()).unwrap_err();
        assert!(d.message.contains("no front matter"), "{d}");
        // A delimiter must stand alone on its line.
        assert!(split("---\ntitle: A\n--- x\n", file()).is_err());
    }

    #[test]
    fn front_matter_fields_and_author_alias() {
        let s = split(
            "---\ntitle: 1984\nauthor: Ann Smith\nbyline: end\n---\n",
            file(),
        )
        .unwrap();
        let f = parse_front(&s, file()).unwrap();
        assert_eq!(f.title.unwrap().0, "1984");
        assert_eq!(f.authors.unwrap().0, vec!["Ann Smith".to_string()]);
        let s = split("+++\nauthors = [\"A\", \"B\"]\n+++\n", file()).unwrap();
        let f = parse_front(&s, file()).unwrap();
        assert_eq!(f.authors.unwrap().0, vec!["A".to_string(), "B".into()]);
    }

    #[test]
    fn invalid_yaml_names_the_file_line() {
        let s = split(
            "---\ntitle: A\nkicker: \"unclosed\nbyline: top\n---\n",
            file(),
        )
        .unwrap();
        let d = parse_front(&s, file()).unwrap_err();
        assert!(d.message.contains("invalid YAML"), "{d}");
        let line = d.span.unwrap().line;
        assert!((3..=5).contains(&line), "{d}");
    }

    #[test]
    fn unknown_front_matter_key_suggests_nearest() {
        let s = split("---\ntitle: A\nkikcer: B\n---\n", file()).unwrap();
        let d = parse_front(&s, file()).unwrap_err();
        assert_eq!(d.message, "unknown key `kikcer`");
        assert_eq!(d.hint.as_deref(), Some("did you mean `kicker`?"));
        assert_eq!(d.span.unwrap().line, 3);
        let s = split("+++\ntitle = \"A\"\nstandfrist = \"B\"\n+++\n", file()).unwrap();
        let d = parse_front(&s, file()).unwrap_err();
        assert_eq!(d.hint.as_deref(), Some("did you mean `standfirst`?"));
        assert_eq!(d.span.unwrap().line, 3);
    }

    #[test]
    fn the_body_s_spans_index_the_whole_file() {
        let text = "---\ntitle: Ça\n---\n\nÉté.\n";
        let article = crate::edition::parse_article(text, file()).expect("parses");
        assert_eq!(&text[article.blocks[0].span.range()], "Été.\n");
    }

    #[test]
    fn key_positions() {
        let s = split("---\ntitle: A\n  language: de\n---\n", file()).unwrap();
        assert_eq!(key_position(&s, "language"), Some((3, 3)));
        assert_eq!(key_position(&s, "title"), Some((2, 1)));
        assert_eq!(key_position(&s, "kicker"), None);
    }
}
