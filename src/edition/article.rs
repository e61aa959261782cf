//! Article files: front matter (YAML between `---` lines or TOML between `+++` lines),
//! checked, then the Markdown body handed to the Markdown parser.
//!
//! Every position kept is a byte offset of the whole file: the body's spans, and the
//! spans of the front matter values (from the TOML parser, which gives them; for YAML,
//! whose parser does not, from the value's key line, see `yamlspan`).

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::tomlerr;
use super::values::{Names, Text};
use super::yamlspan::{yaml_items, yaml_value};
use crate::diag::Diagnostic;
use crate::markdown::{self, ImageResolver};
use crate::model::{Article, BylinePosition, FrontSpans, Language, Limits, Span};

/// The front matter as written: `T` a text value, `N` one name or a list of names.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFront<T, N> {
    title: Option<T>,
    kicker: Option<T>,
    standfirst: Option<T>,
    #[serde(alias = "author")]
    authors: Option<N>,
    byline: Option<String>,
    language: Option<String>,
}

impl<T, N> Default for RawFront<T, N> {
    fn default() -> Self {
        RawFront {
            title: None,
            kicker: None,
            standfirst: None,
            authors: None,
            byline: None,
            language: None,
        }
    }
}

/// The front matter read, each value with where it is written in the file (the empty
/// span when that is not known).
type Front = RawFront<(Text, Span), Vec<(String, Span)>>;

/// TOML front matter with the parser's spans (byte ranges of the front matter).
type TomlFront = RawFront<Spanned<Text>, Spanned<SpannedNames>>;

/// One name (its place is the value's) or a list of names, each with its place.
#[derive(Debug)]
struct SpannedNames(Vec<(String, Option<Range<usize>>)>);

impl<'de> Deserialize<'de> for SpannedNames {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{self, SeqAccess, Visitor};
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = SpannedNames;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a name or a list of names")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<SpannedNames, E> {
                Ok(SpannedNames(vec![(v.to_string(), None)]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<SpannedNames, A::Error> {
                let mut names = Vec::new();
                while let Some(name) = seq.next_element::<Spanned<Text>>()? {
                    let span = name.span();
                    names.push((name.into_inner().0, Some(span)));
                }
                Ok(SpannedNames(names))
            }
        }
        d.deserialize_any(V)
    }
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
    /// Byte offset of `front` in the file.
    front_start: usize,
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
                front_start,
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

/// Reads the front matter, each value with its span in the file.
fn parse_front(split: &Split<'_>, file: &Path, depth: usize) -> Result<Front, Diagnostic> {
    if split.front.trim().is_empty() {
        return Ok(Front::default());
    }
    match split.kind {
        Kind::Toml => toml::from_str::<TomlFront>(split.front)
            .map(|raw| toml_spans(raw, split))
            .map_err(|e| tomlerr::diagnostic(&e, split.front, file, split.front_line)),
        Kind::Yaml => read_yaml(split, file, depth).map(|raw| yaml_spans(raw, split)),
    }
}

/// A value's span in the file from its span in the front matter, inside its quotes.
fn value_span(split: &Split<'_>, range: Range<usize>) -> Span {
    let written = split.front.get(range.clone()).unwrap_or("");
    let quote = ["\"\"\"", "'''", "\"", "'"]
        .into_iter()
        .find(|q| written.len() >= 2 * q.len() && written.starts_with(q) && written.ends_with(q))
        .map_or(0, str::len);
    let start = split.front_start + range.start;
    Span::new(start + quote, start + range.end - range.start - quote)
}

/// TOML front matter with the spans the parser gives.
fn toml_spans(raw: TomlFront, split: &Split<'_>) -> Front {
    let text = |t: Option<Spanned<Text>>| {
        t.map(|t| {
            let span = value_span(split, t.span());
            (t.into_inner(), span)
        })
    };
    let authors = raw.authors.map(|names| {
        let whole = names.span();
        names
            .into_inner()
            .0
            .into_iter()
            .map(|(name, span)| (name, value_span(split, span.unwrap_or(whole.clone()))))
            .collect()
    });
    RawFront {
        title: text(raw.title),
        kicker: text(raw.kicker),
        standfirst: text(raw.standfirst),
        authors,
        byline: raw.byline,
        language: raw.language,
    }
}

/// YAML front matter with spans found from the keys' lines (serde_norway gives no
/// positions of values; see `yamlspan`). When the names found in a list do not match the
/// names read, each gets the span of the whole value.
fn yaml_spans(raw: RawFront<Text, Names>, split: &Split<'_>) -> Front {
    let front = split.front;
    let at = |range: Range<usize>| {
        Span::new(
            split.front_start + range.start,
            split.front_start + range.end,
        )
    };
    let text = |key: &str, t: Option<Text>| {
        t.map(|t| (t, yaml_value(front, key).map(&at).unwrap_or_default()))
    };
    let key = if yaml_value(front, "authors").is_some() {
        "authors"
    } else {
        "author"
    };
    let authors = raw.authors.map(|names| {
        let whole = yaml_value(front, key).map(&at).unwrap_or_default();
        let items = yaml_items(front, key);
        if items.len() == names.0.len() {
            names
                .0
                .into_iter()
                .zip(items.into_iter().map(&at))
                .collect()
        } else {
            names.0.into_iter().map(|n| (n, whole)).collect()
        }
    });
    RawFront {
        title: text("title", raw.title),
        kicker: text("kicker", raw.kicker),
        standfirst: text("standfirst", raw.standfirst),
        authors,
        byline: raw.byline,
        language: raw.language,
    }
}

/// Where (line and column, from 1, within `front`) brackets or braces outside quotes and
/// comments first nest deeper than `most` (the YAML scanner's work grows with the square
/// of the depth: 100,000 `[` took 15 s), if they do. One pass.
fn too_deep(front: &str, most: usize) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    for (l, line) in front.lines().enumerate() {
        let mut quote: Option<char> = None;
        let mut previous = ' ';
        let mut chars = line.chars().enumerate().peekable();
        while let Some((c, ch)) = chars.next() {
            match (quote, ch) {
                (Some('"'), '\\') => {
                    chars.next();
                }
                (Some('\''), '\'') if chars.peek().is_some_and(|&(_, n)| n == '\'') => {
                    chars.next();
                }
                (Some(q), _) if ch == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(ch),
                (None, '#') if previous.is_whitespace() => break,
                (None, '[' | '{') => {
                    depth += 1;
                    if depth > most {
                        return Some((l + 1, c + 1));
                    }
                }
                (None, ']' | '}') => depth = depth.saturating_sub(1),
                (None, _) => {}
            }
            previous = ch;
        }
    }
    None
}

/// Reads YAML front matter (the serde_norway error made a diagnostic).
fn read_yaml(
    split: &Split<'_>,
    file: &Path,
    depth: usize,
) -> Result<RawFront<Text, Names>, Diagnostic> {
    if let Some((line, column)) = too_deep(split.front, depth) {
        return Err(Diagnostic::error(format!(
            "the front matter nests brackets or braces more than {depth} deep"
        ))
        .in_file(file)
        .at(line + split.front_line - 1, column, 1)
        .with_hint(
            "a value that holds brackets or braces must be enclosed in double quotes".to_string(),
        ));
    }
    serde_norway::from_str(split.front).map_err(|e| {
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
    })
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
    limits: &Limits,
    images: &mut ImageResolver<'_>,
) -> Result<Article, Vec<Diagnostic>> {
    let split = split(text, file).map_err(|d| vec![d])?;
    let mut diags = Vec::new();
    let front = parse_front(&split, file, limits.yaml_depth)
        .map_err(|d| diags.push(d))
        .ok();

    // The body is checked even when the front matter is wrong, so all problems show at once.
    let body = markdown::parse(text, split.body_start, file, limits.url_bytes, images)
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

    // Over-long values are reported and replaced by a placeholder, so nothing later
    // spends time on them (the build fails anyway).
    let mut front = front;
    let mut limit = |key: &str, value: Option<&mut (Text, Span)>, most: usize| {
        let Some((text, _)) = value else { return };
        if text.0.chars().nth(most).is_none() {
            return;
        }
        let count = text.0.chars().count();
        diags.push(fail(
            key,
            format!("`{key}` is {count} characters long, more than the limit of {most}"),
            "shorten it; the limits are listed in docs/format.md",
        ));
        text.0 = "\u{2026}".to_string();
    };
    // The same limits as the titles and prose values of edition.toml: one place.
    let (title_limit, text_limit) = (limits.title_chars, limits.text_chars);
    limit("title", front.title.as_mut(), title_limit);
    limit("kicker", front.kicker.as_mut(), title_limit);
    limit("standfirst", front.standfirst.as_mut(), text_limit);
    if let Some(authors) = front.authors.as_mut() {
        for (name, _) in authors.iter_mut() {
            if name.chars().nth(title_limit).is_some() {
                let count = name.chars().count();
                let key = if key_position(&split, "authors").is_some() {
                    "authors"
                } else {
                    "author"
                };
                diags.push(fail(
                    key,
                    format!("an author's name is {count} characters long, more than the limit of {title_limit}"),
                    "shorten it; the limits are listed in docs/format.md",
                ));
                *name = "\u{2026}".to_string();
            }
        }
    }

    let title_span = front.title.as_ref().map(|t| t.1).unwrap_or_default();
    let title = front
        .title
        .map(|t| t.0.0.trim().to_string())
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
    let text_of = |t: Option<(Text, Span)>| {
        t.map(|(t, span)| (markdown::smarten_plain(&t.0, &primary), span))
            .filter(|(t, _)| !t.is_empty())
            .unzip()
    };
    let (kicker, kicker_span) = text_of(front.kicker);
    let (standfirst, standfirst_span) = text_of(front.standfirst);
    let (authors, author_spans) = front
        .authors
        .unwrap_or_default()
        .into_iter()
        .map(|(a, span)| (markdown::smarten_plain(&a, &primary), span))
        .filter(|(a, _)| !a.is_empty())
        .unzip();
    let front_spans = FrontSpans {
        title: title_span,
        kicker: kicker_span.unwrap_or_default(),
        standfirst: standfirst_span.unwrap_or_default(),
        authors: author_spans,
    };

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
            kicker,
            standfirst,
            authors,
            front: front_spans,
            byline,
            language,
            blocks: body.blocks,
            footnotes: body.footnotes,
            refused_links: body.refused_links,
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

    /// 100,000 nested `[` took 15 s in the YAML scanner (release); now refused at once.
    #[test]
    fn deeply_nested_yaml_front_matter_is_refused_with_its_place() {
        let text = format!(
            "---\ntitle: A\nkicker: {}\n---\nBody\n",
            "[".repeat(100_000)
        );
        let s = split(&text, file()).unwrap();
        let start = std::time::Instant::now();
        let d = parse_front(&s, file(), 64).unwrap_err();
        assert!(start.elapsed().as_secs() < 5, "{:?}", start.elapsed());
        assert!(d.message.contains("more than 64 deep"), "{d}");
        let span = d.span.unwrap();
        assert_eq!((span.line, span.column), (3, 8 + 65));
        // Brackets in quotes and comments, and ordinary lists, are not counted.
        let deep = "[".repeat(100);
        let text = format!(
            "---\ntitle: \"{deep}\"\nkicker: '{deep}' # {deep}\nauthors: [[A], {{b: c}}]\n---\n"
        );
        assert_eq!(too_deep(split(&text, file()).unwrap().front, 64), None);
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
        let f = parse_front(&s, file(), 64).unwrap();
        assert_eq!(f.title.as_ref().unwrap().0.0, "1984");
        let names =
            |f: Front| -> Vec<String> { f.authors.unwrap().into_iter().map(|(n, _)| n).collect() };
        assert_eq!(names(f), vec!["Ann Smith".to_string()]);
        let s = split("+++\nauthors = [\"A\", \"B\"]\n+++\n", file()).unwrap();
        let f = parse_front(&s, file(), 64).unwrap();
        assert_eq!(names(f), vec!["A".to_string(), "B".into()]);
    }

    #[test]
    fn invalid_yaml_names_the_file_line() {
        let s = split(
            "---\ntitle: A\nkicker: \"unclosed\nbyline: top\n---\n",
            file(),
        )
        .unwrap();
        let d = parse_front(&s, file(), 64).unwrap_err();
        assert!(d.message.contains("invalid YAML"), "{d}");
        let line = d.span.unwrap().line;
        assert!((3..=5).contains(&line), "{d}");
    }

    #[test]
    fn unknown_front_matter_key_suggests_nearest() {
        let s = split("---\ntitle: A\nkikcer: B\n---\n", file()).unwrap();
        let d = parse_front(&s, file(), 64).unwrap_err();
        assert_eq!(d.message, "unknown key `kikcer`");
        assert_eq!(d.hint.as_deref(), Some("did you mean `kicker`?"));
        assert_eq!(d.span.unwrap().line, 3);
        let s = split("+++\ntitle = \"A\"\nstandfrist = \"B\"\n+++\n", file()).unwrap();
        let d = parse_front(&s, file(), 64).unwrap_err();
        assert_eq!(d.hint.as_deref(), Some("did you mean `standfirst`?"));
        assert_eq!(d.span.unwrap().line, 3);
    }

    /// What the file holds at each front matter span of `text` parsed as an article.
    fn front_written(text: &str) -> (String, String, String, Vec<String>) {
        let article = crate::edition::parse_article(text, file()).expect("parses");
        let at = |span: Span| text[span.range()].to_string();
        let f = &article.front;
        (
            at(f.title),
            at(f.kicker),
            at(f.standfirst),
            f.authors.iter().map(|&s| at(s)).collect(),
        )
    }

    #[test]
    fn yaml_front_matter_values_have_spans() {
        let text = "---\ntitle: \"Ça — \\\"été\\\"\"\nkicker: Über uns # not this\n\
                    standfirst: >\n  Zwei\n  Zeilen\nauthors: [Åsa, \"Bö B\"]\n---\nText.\n";
        let (title, kicker, standfirst, authors) = front_written(text);
        assert_eq!(title, "Ça — \\\"été\\\"");
        assert_eq!(kicker, "Über uns");
        assert_eq!(standfirst, "Zwei\n  Zeilen");
        assert_eq!(authors, ["Åsa", "Bö B"]);
        let text = "---\ntitle: Été\nauthors:\n  - Åsa\n  - 'Bö'\n---\nText.\n";
        let (title, kicker, _, authors) = front_written(text);
        assert_eq!((title.as_str(), kicker.as_str()), ("Été", ""));
        assert_eq!(authors, ["Åsa", "Bö"]);
        let text = "---\ntitle: Été\nauthor: Åsa\n---\nText.\n";
        assert_eq!(front_written(text).3, ["Åsa"]);
    }

    #[test]
    fn toml_front_matter_values_have_the_parsers_spans() {
        let text = "+++\ntitle = \"Ça — été\"\nstandfirst = \"\"\"\nZwei\nZeilen\"\"\"\n\
                    authors = [\"Åsa\", 'Bö B']\n+++\nText.\n";
        let (title, _, standfirst, authors) = front_written(text);
        assert_eq!(title, "Ça — été");
        assert_eq!(standfirst, "\nZwei\nZeilen");
        assert_eq!(authors, ["Åsa", "Bö B"]);
        let text = "+++\ntitle = 1984\nauthor = \"Åsa\"\n+++\nText.\n";
        let (title, _, _, authors) = front_written(text);
        assert_eq!((title.as_str(), authors), ("1984", vec!["Åsa".to_string()]));
    }

    #[test]
    fn front_matter_text_is_typographic_by_language_and_its_spans_stay_as_written() {
        let cases = [
            (
                "en",
                "The “Tide” Tables",
                "Liam O’Brien",
                "Called “the count”.",
            ),
            (
                "de",
                "The „Tide“ Tables",
                "Liam O’Brien",
                "Called „the count“.",
            ),
            (
                "fr",
                "The «\u{202f}Tide\u{202f}» Tables",
                "Liam O’Brien",
                "Called «\u{202f}the count\u{202f}».",
            ),
        ];
        for (tag, title, name, standfirst) in cases {
            let text = format!(
                "---\ntitle: 'The \"Tide\" Tables'\nkicker: Sea's notes\n\
                 standfirst: Called \"the count\".\nauthors: [Liam O'Brien, Ann]\n\
                 language: {tag}\n---\nText.\n"
            );
            let article = crate::edition::parse_article(&text, file()).expect("parses");
            assert_eq!(article.title, title, "{tag}");
            assert_eq!(article.authors, [name, "Ann"], "{tag}");
            assert_eq!(article.standfirst.as_deref(), Some(standfirst), "{tag}");
            assert_eq!(article.kicker.as_deref(), Some("Sea’s notes"), "{tag}");
            // The spans still point at the values as written.
            let (title, kicker, standfirst, authors) = front_written(&text);
            assert_eq!(title, "The \"Tide\" Tables");
            assert_eq!(kicker, "Sea's notes");
            assert_eq!(standfirst, "Called \"the count\".");
            assert_eq!(authors, ["Liam O'Brien", "Ann"]);
        }
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
