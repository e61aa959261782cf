//! Where values are written in YAML front matter. serde_norway gives the positions of
//! errors only, so the places of values are read from the text: a value runs from what
//! follows `key:` to the end of its last line (lines indented deeper than the key
//! continue it, as block scalars and folded lines do), inside quotes when quoted, without
//! a trailing `# comment`; names in a list (`[A, B]`, or `- A` lines) get one place each.
//! Ranges are byte ranges of the front matter.

use std::ops::Range;

/// The line of `front` on which `key:` is written: its byte range (without the line
/// end) and the key's indentation.
fn yaml_key_line(front: &str, key: &str) -> Option<(Range<usize>, usize)> {
    let mut start = 0;
    for line in front.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim_start();
        if let Some(rest) = trimmed.strip_prefix(key)
            && rest.trim_start().starts_with(':')
        {
            return Some((start..start + content.len(), content.len() - trimmed.len()));
        }
        start += line.len();
    }
    None
}

/// The lines after the key's line that continue its value (blank, or indented deeper
/// than the key), as byte ranges of `front` without line ends.
fn yaml_continuation(front: &str, after: usize, indent: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = after;
    for line in front.get(after..).unwrap_or("").split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim_start();
        if !trimmed.is_empty() && content.len() - trimmed.len() <= indent {
            break;
        }
        out.push(start..start + content.len());
        start += line.len();
    }
    // Trailing blank lines belong to nothing.
    while out
        .last()
        .is_some_and(|r| front[r.clone()].trim().is_empty())
    {
        out.pop();
    }
    out
}

/// Where the value of `key` is written in YAML front matter (a byte range of `front`).
pub(super) fn yaml_value(front: &str, key: &str) -> Option<Range<usize>> {
    let (line, indent) = yaml_key_line(front, key)?;
    let colon = front[line.clone()].find(':')? + line.start + 1;
    let on_line = trim_range(front, colon..line.end);
    let next = front[line.end..]
        .find('\n')
        .map_or(front.len(), |i| line.end + i + 1);
    let more = yaml_continuation(front, next.max(line.end), indent);
    let value = front[on_line.clone()].to_string();
    if let Some(quote) = value.chars().next().filter(|c| matches!(c, '"' | '\''))
        && let Some(close) = closing_quote(&value[1..], quote)
    {
        // A quoted value that closes on its line: inside the quotes.
        return Some(on_line.start + 1..on_line.start + 1 + close);
    }
    let block = value.is_empty() || value.starts_with(['|', '>']);
    let start = if block {
        more.iter()
            .map(|r| trim_range(front, r.clone()))
            .find(|r| !r.is_empty())?
            .start
    } else {
        on_line.start
    };
    let end = more
        .last()
        .map_or(on_line.end, |r| trim_range(front, r.clone()).end)
        .max(start);
    let end = if more.is_empty() {
        // A comment after a plain value is not part of it.
        front[start..end].find(" #").map_or(end, |i| start + i)
    } else {
        end
    };
    Some(start..trim_range(front, start..end).end)
}

/// Where `quote` closes in `s` (the text after the opening one); a double quote after a
/// backslash does not close.
fn closing_quote(s: &str, quote: char) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            '\\' if quote == '"' => escaped = !escaped,
            c if c == quote && !escaped => return Some(i),
            _ => escaped = false,
        }
    }
    None
}

/// The names of a list value of `key`: `[A, "B"]` on the key's line, or `- A` lines
/// after it; one range per name, inside quotes. Empty when the value is not a list.
pub(super) fn yaml_items(front: &str, key: &str) -> Vec<Range<usize>> {
    let Some((line, indent)) = yaml_key_line(front, key) else {
        return Vec::new();
    };
    let colon = front[line.clone()]
        .find(':')
        .map_or(line.end, |i| line.start + i + 1);
    let on_line = trim_range(front, colon..line.end);
    let unquote = |r: Range<usize>| {
        let r = trim_range(front, r);
        let s = &front[r.clone()];
        if s.len() >= 2
            && (s.starts_with('"') && s.ends_with('"') || s.starts_with('\'') && s.ends_with('\''))
        {
            r.start + 1..r.end - 1
        } else {
            r
        }
    };
    let value = &front[on_line.clone()];
    if let Some(inner) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
        let mut out = Vec::new();
        let mut start = on_line.start + 1;
        for part in inner.split(',') {
            out.push(unquote(start..start + part.len()));
            start += part.len() + 1;
        }
        return out;
    }
    if !value.is_empty() {
        return Vec::new();
    }
    let next = front[line.end..]
        .find('\n')
        .map_or(front.len(), |i| line.end + i + 1);
    yaml_continuation(front, next.max(line.end), indent)
        .into_iter()
        .filter_map(|r| {
            let r = trim_range(front, r);
            front[r.clone()]
                .strip_prefix('-')
                .map(|rest| unquote(r.end - rest.len()..r.end))
        })
        .collect()
}

/// `range` of `text` without the whitespace at either end.
fn trim_range(text: &str, range: Range<usize>) -> Range<usize> {
    let s = &text[range.clone()];
    let start = range.start + (s.len() - s.trim_start().len());
    let end = range.end - (s.len() - s.trim_end().len());
    start..end.max(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value<'f>(front: &'f str, key: &str) -> Option<&'f str> {
        yaml_value(front, key).map(|r| &front[r])
    }

    #[test]
    fn values_on_their_key_line_and_after_it() {
        let front = "title: \"A \\\"b\\\" c\" \nkicker: Plain # note\nstandfirst: |\n  One\n\n  two\nbyline: end\n";
        assert_eq!(value(front, "title"), Some("A \\\"b\\\" c"));
        assert_eq!(value(front, "kicker"), Some("Plain"));
        assert_eq!(value(front, "standfirst"), Some("One\n\n  two"));
        assert_eq!(value(front, "byline"), Some("end"));
        assert_eq!(value(front, "authors"), None);
    }

    #[test]
    fn list_items_each_have_a_place() {
        let items = |front: &str| -> Vec<String> {
            yaml_items(front, "authors")
                .into_iter()
                .map(|r| front[r].to_string())
                .collect()
        };
        assert_eq!(items("authors: [Ann,  'Bo B' ]\n"), ["Ann", "Bo B"]);
        assert_eq!(
            items("authors:\n  - Ann\n  - \"Bo\"\ntitle: x\n"),
            ["Ann", "Bo"]
        );
        assert!(items("authors: Ann\n").is_empty());
    }

    #[test]
    fn arbitrary_front_matter_never_panics_and_stays_inside_the_text() {
        // Front matter from pieces that stress the walk: keys, quotes, brackets,
        // comments, indentation, line ends and multi-byte characters.
        const PIECES: [&str; 22] = [
            "title", "authors", "kicker", ":", " ", "  ", "\n", "\r\n", "\"", "'", "[", "]", ",",
            "- ", "#", "é", "—", "|", ">", "\\", "x", "\t",
        ];
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..3000 {
            let mut front = String::new();
            for _ in 0..(x >> 60) as usize * 3 + 1 {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                front.push_str(PIECES[(x >> 33) as usize % PIECES.len()]);
            }
            for key in ["title", "kicker", "standfirst", "authors"] {
                let mut ranges = yaml_items(&front, key);
                ranges.extend(yaml_value(&front, key));
                for r in ranges {
                    assert!(r.start <= r.end && r.end <= front.len(), "{front:?} {key}");
                    assert!(front.is_char_boundary(r.start) && front.is_char_boundary(r.end));
                }
            }
        }
    }
}
