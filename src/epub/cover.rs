//! The typographic cover used when an edition has no cover image: an SVG with the
//! magazine's title, subtitle, issue and date, in the style's display face and colours.

use std::fmt::Write as _;

use super::xhtml::{plain, text};
use crate::model::{Edition, Family, Role, SEPARATOR, Style};

const WIDTH: u32 = 1200;
const HEIGHT: u32 = 1800;
/// Horizontal room for the title.
const MEASURE: u32 = 1040;

/// Breaks `s` into lines of at most `max` characters where possible (a longer word stays
/// whole on its own line).
pub(super) fn wrap(s: &str, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > max {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Title font size (px) so the longest line fits the measure: a character of a display
/// face is about 0.55 em wide on average; 0.62 leaves room for wide bold fallbacks.
fn title_size(lines: &[String]) -> u32 {
    let longest = lines
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(1)
        .max(1) as u32;
    (MEASURE * 100 / (longest * 62)).clamp(60, 190)
}

/// The SVG document.
pub(super) fn svg(edition: &Edition) -> String {
    let meta = &edition.meta;
    let style: &Style = &edition.style;
    let accent = style.colours.accent.hex();
    let lang = text(meta.language.as_str());
    let title = plain(&meta.title);
    let issue = plain(&meta.issue_and_date(SEPARATOR));

    let mut s = String::new();
    let _ = write!(
        s,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" \
         width=\"{WIDTH}\" height=\"{HEIGHT}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" \
         xml:lang=\"{lang}\" role=\"img\" aria-labelledby=\"cover-title\">\n\
         <title id=\"cover-title\">{}</title>\n\
         <rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"#ffffff\"/>\n\
         <rect width=\"{WIDTH}\" height=\"48\" fill=\"{accent}\"/>\n",
        text(&format!("{title}, {issue}"))
    );

    let lines = wrap(&title, 14);
    let size = title_size(&lines);
    let step = size * 108 / 100;
    let mut y = 360 + size;
    for line in &lines {
        let _ = writeln!(
            s,
            "<text x=\"{}\" y=\"{y}\" text-anchor=\"middle\" \
             font-size=\"{size}\"{}>{}</text>",
            WIDTH / 2,
            face(style, Role::CoverTitle),
            text(line)
        );
        y += step;
    }
    y += 40;
    let _ = writeln!(
        s,
        "<rect x=\"{}\" y=\"{y}\" width=\"240\" height=\"8\" fill=\"{accent}\"/>",
        WIDTH / 2 - 120
    );
    y += 110;
    if let Some(subtitle) = &meta.subtitle {
        for line in wrap(&plain(subtitle), 30) {
            let _ = writeln!(
                s,
                "<text x=\"{}\" y=\"{y}\" text-anchor=\"middle\" font-size=\"60\"{}>{}</text>",
                WIDTH / 2,
                face(style, Role::Standfirst),
                text(&line)
            );
            y += 76;
        }
    }
    let _ = writeln!(
        s,
        "<text x=\"{}\" y=\"1540\" text-anchor=\"middle\" font-size=\"64\"{}>{}</text>",
        WIDTH / 2,
        face(style, Role::Kicker),
        text(&issue)
    );
    if let Some(publisher) = &meta.publisher {
        let _ = writeln!(
            s,
            "<text x=\"{}\" y=\"1680\" text-anchor=\"middle\" font-size=\"44\"{}>{}</text>",
            WIDTH / 2,
            face(style, Role::Caption),
            text(&plain(publisher))
        );
    }
    s.push_str("</svg>\n");
    s
}

/// Family, weight, slant and colour attributes (with a leading space) of a role's look:
/// the masthead's lines as the PDF sets them. Sizes stay the cover's own (it is a
/// picture of fixed size); capitals and letter-spacing are left out, as SVG 1.1 text
/// has no all-small-caps.
fn face(style: &Style, role: Role) -> String {
    let look = style.role_look(role);
    let family = match look.family {
        Family::Display => &style.fonts.display,
        Family::Body | Family::Mono => &style.fonts.body,
    };
    let mut out = format!(
        " font-family=\"{}\" font-weight=\"{}\"",
        font_list(family, &style.fonts.fallback),
        look.weight.number()
    );
    if look.italic {
        out.push_str(" font-style=\"italic\"");
    }
    let _ = write!(out, " fill=\"{}\"", look.colour.hex());
    out
}

/// An SVG `font-family` value (inside a double-quoted attribute: names in single quotes).
fn font_list(primary: &str, fallback: &[String]) -> String {
    let clean = |n: &str| -> String {
        n.chars()
            .filter(|c| !matches!(c, '\'' | '"' | '<' | '>' | '&'))
            .collect()
    };
    let mut out: Vec<String> = super::css::families(primary, fallback)
        .into_iter()
        .map(|n| format!("'{}'", clean(n)))
        .collect();
    out.push(super::css::generic(primary).into());
    out.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_word_boundaries() {
        assert_eq!(wrap("The Northern Review", 14), ["The Northern", "Review"]);
        assert_eq!(
            wrap("Supercalifragilistic day", 10),
            ["Supercalifragilistic", "day"]
        );
        assert!(wrap("   ", 10).is_empty());
    }

    #[test]
    fn long_lines_get_smaller_type() {
        let short = title_size(&["Ink".to_string()]);
        let long = title_size(&["A rather long title".to_string()]);
        assert_eq!(short, 190);
        assert!(long < short);
        assert!(long * 19 * 62 / 100 <= MEASURE);
    }

    #[test]
    fn cover_escapes_and_names_the_issue() {
        let mut edition = crate::epub::tests::edition();
        edition.meta.title = "Ink & <Paper>".into();
        let svg = svg(&edition);
        assert!(svg.contains("Ink &amp; &lt;Paper&gt;"));
        assert!(!svg.contains("<Paper>"));
        assert!(svg.contains("Issue 7 · July 2026"), "{svg}");
        assert!(svg.starts_with("<?xml"));
    }
}
