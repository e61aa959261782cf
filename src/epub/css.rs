//! The stylesheet, derived from the same [`Style`] as the PDF: each kind of text takes
//! its look from the model's per-role table ([`Style::role_look`]), as the PDF's lines do.
//!
//! Sizes are relative to the reader's chosen text size (em), leading is a unitless
//! line-height, and body text has no colour of its own, so reading-system themes (sepia,
//! night) keep working; the accent and muted colours mark kickers, rules and captions.

use std::fmt::Write as _;

use super::contrast::readable;
use super::fonts::EmbeddedFont;
use crate::model::{Caps, Family, Role, Style};

/// A CSS number: at most three decimals, no trailing zeros.
fn num(x: f32) -> String {
    let x = if x.is_finite() { x } else { 1.0 };
    let s = format!("{x:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// `size` relative to the body size, in em.
fn em(size: f32, body: f32) -> String {
    if body > 0.0 {
        format!("{}em", num(size / body))
    } else {
        "1em".into()
    }
}

/// Leading as a line-height ratio.
fn ratio(leading: f32, size: f32) -> String {
    if size > 0.0 {
        num(leading / size)
    } else {
        "1.3".into()
    }
}

/// A CSS string literal.
fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The generic family that best stands in for `family`.
pub(super) fn generic(family: &str) -> &'static str {
    let lower = family.to_ascii_lowercase();
    if lower.contains("mono") || lower.contains("code") {
        "monospace"
    } else if lower.contains("sans") {
        "sans-serif"
    } else {
        "serif"
    }
}

/// The family and those fallbacks of the same kind (serif, sans, mono), without repeats.
/// A fallback of another kind (the PDF's monospaced fallback for rare characters) would
/// become the text face on every device that lacks the primary family, so it is left out.
pub(super) fn families<'a>(primary: &'a str, fallback: &'a [String]) -> Vec<&'a str> {
    let kind = generic(primary);
    let mut names: Vec<&str> = Vec::new();
    for name in std::iter::once(primary).chain(fallback.iter().map(String::as_str)) {
        if !name.trim().is_empty() && !names.contains(&name) && generic(name) == kind {
            names.push(name);
        }
    }
    names
}

/// `"Family", "Fallback", generic`.
fn family_list(primary: &str, fallback: &[String]) -> String {
    let mut out: Vec<String> = families(primary, fallback)
        .iter()
        .map(|n| quoted(n))
        .collect();
    out.push(generic(primary).to_string());
    out.join(", ")
}

/// `"onum", "pnum"` for `font-feature-settings`, keeping only valid four-letter tags.
fn features(tags: &[String]) -> Option<String> {
    let valid: Vec<String> = tags
        .iter()
        .filter(|t| t.len() == 4 && t.chars().all(|c| c.is_ascii_alphanumeric()))
        .map(|t| quoted(t))
        .collect();
    (!valid.is_empty()).then(|| valid.join(", "))
}

/// Monospaced text: code spans and blocks.
const MONO: &str = "\"DejaVu Sans Mono\", monospace";

/// The family lists and display features a role's look refers to.
struct Faces {
    body: String,
    display: String,
    /// `font-feature-settings` of display type (`normal` when the style sets none).
    display_features: String,
}

/// CSS declarations (one per line, indented) for a role's look, in an element whose
/// parent is set at `parent` points: family, size and line-height, weight, slant,
/// colour, capitals, letter-spacing, figures and hyphenation, as the PDF sets the role.
///
/// Colour is written only where it is not the text colour, and body-family roles
/// inherit their family, so reading-system themes (sepia, night) and the reader's font
/// choice keep working for running text.
fn look(style: &Style, role: Role, parent: f32, faces: &Faces) -> String {
    look_sized(style, role, None, parent, faces)
}

/// [`look`] with the font size replaced by `size` (points); line-height keeps the
/// role's ratio.
fn look_sized(style: &Style, role: Role, size: Option<f32>, parent: f32, faces: &Faces) -> String {
    let l = style.role_look(role);
    let size = size.unwrap_or(l.size);
    let mut d = String::new();
    let mut put = |property: &str, value: &str| {
        let _ = writeln!(d, "  {property}: {value};");
    };
    match l.family {
        Family::Body => {}
        Family::Display => {
            put("font-family", &faces.display);
            put("font-feature-settings", &faces.display_features);
        }
        Family::Mono => put("font-family", MONO),
    }
    put("font-size", &em(size, parent));
    put("line-height", &ratio(l.leading, l.size));
    put("font-weight", &l.weight.number().to_string());
    if l.italic {
        put("font-style", "italic");
    }
    if l.colour != style.colours.text {
        put("color", &readable(l.colour).hex());
    }
    match l.caps {
        Caps::None => {}
        Caps::Lower => put("font-variant", "small-caps"),
        Caps::All => {
            // Capitals where all-small-caps is unknown, as the PDF does for a face
            // without small capitals.
            put("text-transform", "uppercase");
            put("font-variant-caps", "all-small-caps");
        }
    }
    if l.tracking != 0.0 {
        put("letter-spacing", &format!("{}em", num(l.tracking)));
    }
    if l.tabular {
        put("font-variant-numeric", "lining-nums tabular-nums");
    }
    if l.display {
        put("-webkit-hyphens", "manual");
        put("-epub-hyphens", "manual");
        put("hyphens", "manual");
    }
    d
}

/// The whole stylesheet. `fonts` are the embedded faces (paths relative to `OEBPS/`).
///
/// Every rule for a kind of text the PDF sets in a [`Role`] takes that role's look from
/// the model (headings, kicker, standfirst, byline, captions, pull quotes, tables, code,
/// notes, and the masthead's lines and contents); the rest (margins, borders, layout of
/// the front pages) belongs to the EPUB alone.
pub(super) fn stylesheet(style: &Style, fonts: &[EmbeddedFont]) -> String {
    let s = &style.sizes;
    let c = &style.colours;
    let faces = Faces {
        body: family_list(&style.fonts.body, &style.fonts.fallback),
        display: family_list(&style.fonts.display, &style.fonts.fallback),
        display_features: features(&style.fonts.display_features)
            .unwrap_or_else(|| "normal".into()),
    };
    let body = s.body;
    let role = |r: Role| look(style, r, body, &faces);
    // Coloured text must read on a white page and on night mode's black alike.
    let accent = readable(c.accent).hex();
    let muted = readable(c.muted).hex();
    let mut css = String::new();

    for font in fonts {
        let _ = writeln!(
            css,
            "@font-face {{\n  font-family: {};\n  font-style: {};\n  font-weight: {};\n  \
             src: url({}) format(\"{}\");\n}}\n",
            quoted(&font.family),
            font.style,
            font.weight,
            quoted(&font.href),
            font.format()
        );
    }

    let (_, leading) = style.size_and_leading(Role::Body);
    let _ = writeln!(
        css,
        "body {{\n  font-family: {};\n  line-height: {};\n  margin: 0 auto;\n  \
         padding: 0 4%;\n  max-width: 38em;\n  overflow-wrap: break-word;\n}}\n",
        faces.body,
        ratio(leading, body)
    );
    let mut p = String::from("p {\n  margin: 0;\n  text-indent: 0;\n  orphans: 2;\n  widows: 2;\n");
    if let Some(f) = features(&style.fonts.body_features) {
        let _ = writeln!(p, "  font-feature-settings: {f};");
    }
    if style.hyphenation.enabled {
        p.push_str(
            "  text-align: justify;\n  -webkit-hyphens: auto;\n  -epub-hyphens: auto;\n  \
             hyphens: auto;\n",
        );
    }
    p.push_str("}\n\n");
    css.push_str(&p);
    let _ = writeln!(
        css,
        "p + p {{\n  text-indent: {}em;\n}}\n\nheader p {{\n  text-indent: 0;\n}}\n",
        num(style.indent_em)
    );

    let _ = writeln!(
        css,
        "h1, h2, h3, h4, h5, h6 {{\n  text-align: left;\n  text-indent: 0;\n  \
         page-break-after: avoid;\n  break-after: avoid;\n}}\n"
    );
    let _ = writeln!(
        css,
        "h1 {{\n{}  margin: 0.3em 0 0.4em;\n}}\n",
        role(Role::Title)
    );
    // Every subhead level is a subhead in print; the smaller levels step down in size.
    let _ = writeln!(
        css,
        "h2 {{\n{}  margin: 1.4em 0 0.5em;\n}}\n",
        role(Role::Subhead)
    );
    let h3 = ((s.subhead + s.body) / 2.0).max(s.body);
    let _ = writeln!(
        css,
        "h3 {{\n{}  margin: 1.2em 0 0.4em;\n}}\n",
        look_sized(style, Role::Subhead, Some(h3), body, &faces)
    );
    let _ = writeln!(
        css,
        "h4, h5, h6 {{\n{}  margin: 1em 0 0.3em;\n}}\n\nh5, h6 {{\n  font-style: italic;\n  \
         font-weight: normal;\n}}\n",
        look_sized(style, Role::Subhead, Some(body), body, &faces)
    );
    let _ = writeln!(
        css,
        ".kicker {{\n{}  text-align: left;\n  margin: 1em 0 0;\n}}\n",
        role(Role::Kicker)
    );
    let _ = writeln!(
        css,
        ".standfirst {{\n{}  text-align: left;\n  margin: 0 0 0.8em;\n}}\n",
        role(Role::Standfirst)
    );
    // An opening run-in written in capitals, as small capitals made from them (the PDF's
    // `c2sc`, spaced the same).
    let _ = writeln!(
        css,
        ".run-in {{\n  font-variant-caps: all-small-caps;\n  letter-spacing: 0.04em;\n}}\n"
    );
    // The PDF's two-line initial: a display-face letter whose cap height reaches from
    // the second line's baseline to the first line's cap height (caps are about 0.65 em).
    let line = leading / body.max(1.0);
    let title = style.role_look(Role::Title);
    let _ = writeln!(
        css,
        "p.opening::first-letter {{\n  float: left;\n  font-family: {};\n  font-size: {}em;\n  \
         line-height: 1;\n  font-weight: {};\n  font-variant: normal;\n  \
         font-variant-caps: normal;\n  letter-spacing: 0;\n  margin: 0.04em 0.08em 0 0;\n}}\n",
        faces.display,
        num((line + 0.65) / 0.65),
        title.weight.number()
    );
    let _ = writeln!(
        css,
        ".byline {{\n{}  text-align: left;\n  text-indent: 0;\n  margin: 0 0 1.5em;\n}}\n\n.byline-end {{\n  \
         text-align: right;\n  margin: 1em 0 0;\n}}\n",
        role(Role::Byline)
    );
    let _ = writeln!(
        css,
        "figure {{\n  margin: 1.2em 0;\n  text-align: center;\n  page-break-inside: avoid;\n  \
         break-inside: avoid;\n}}\n\nfigure img {{\n  max-width: 100%;\n  height: auto;\n}}\n\n\
         figcaption {{\n{}  text-align: left;\n  margin-top: 0.4em;\n}}\n",
        role(Role::Caption)
    );
    let _ = writeln!(
        css,
        ".pullquote {{\n{}  border-top: 1px solid {accent};\n  \
         border-bottom: 1px solid {accent};\n  margin: 1.2em 0;\n  padding: 0.5em 0;\n}}\n\n\
         .pullquote p {{\n  text-align: left;\n  text-indent: 0;\n  font-feature-settings: inherit;\n  \
         -webkit-hyphens: manual;\n  -epub-hyphens: manual;\n  hyphens: manual;\n}}\n",
        role(Role::PullQuote)
    );
    let (cell, _) = style.size_and_leading(Role::TableCell);
    let indent = num(style.indent_em);
    let _ = writeln!(
        css,
        "blockquote {{\n  margin: 1em 1.5em;\n}}\n\n\
         ul, ol {{\n  margin: 0.6em 0;\n  padding-left: 1.5em;\n}}\n\n\
         li p, blockquote p {{\n  text-indent: 0;\n}}\n\n\
         blockquote p + p {{\n  text-indent: {indent}em;\n}}\n\n\
         .table-wrap {{\n  overflow-x: auto;\n  max-width: 100%;\n  margin: 1em 0;\n}}\n\n\
         table {{\n  border-collapse: collapse;\n  margin: 0;\n{}}}\n\n\
         th, td {{\n  padding: 0.2em 0.5em;\n  border-bottom: 1px solid {muted};\n  \
         vertical-align: top;\n  text-align: left;\n}}\n\n\
         th {{\n{}  border-bottom-width: 2px;\n}}\n\n\
         .align-left {{\n  text-align: left;\n}}\n\n.align-center {{\n  text-align: center;\n}}\n\n\
         .align-right {{\n  text-align: right;\n}}\n\n\
         pre {{\n  white-space: pre-wrap;\n{}  margin: 1em 0;\n}}\n\n\
         code {{\n  font-family: {MONO};\n}}\n\n\
         a, code {{\n  overflow-wrap: anywhere;\n}}\n\n\
         a.url {{\n  word-break: break-all;\n}}\n\n\
         hr {{\n  border: 0;\n  border-top: 1px solid {accent};\n  width: 30%;\n  \
         margin: 1.5em auto;\n}}\n\n\
         sup {{\n  font-size: 0.7em;\n  line-height: 0;\n  vertical-align: super;\n}}\n\n\
         a.noteref {{\n  text-decoration: none;\n}}\n",
        role(Role::TableCell),
        look(style, Role::TableHeader, cell, &faces),
        role(Role::Code)
    );
    let _ = writeln!(
        css,
        ".footnotes {{\n{}  margin-top: 2em;\n  padding-top: 0.5em;\n  \
         border-top: 1px solid {muted};\n}}\n\n.footnotes p {{\n  text-indent: 0;\n}}\n\n\
         .fn-number {{\n  font-weight: bold;\n  text-decoration: none;\n}}\n",
        role(Role::Footnote)
    );
    // The masthead's lines are set as the PDF sets them on its cover and contents:
    // subtitle as a standfirst, issue line and section names as kickers, the imprint as
    // captions, entries and their authors as contents entries and bylines.
    let _ = writeln!(
        css,
        ".cover {{\n  margin: 0;\n  padding: 0;\n  text-align: center;\n}}\n\n\
         .cover img {{\n  max-width: 100%;\n  max-height: 95vh;\n}}\n\n\
         .masthead {{\n  text-align: center;\n  margin: 2em 0;\n}}\n\n\
         .masthead p {{\n  text-align: center;\n  text-indent: 0;\n}}\n\n\
         .masthead-title {{\n  font-size: {};\n  margin: 0 0 0.3em;\n}}\n\n\
         .masthead-subtitle {{\n{}}}\n\n\
         .masthead-issue {{\n{}  margin: 0.8em 0;\n}}\n\n\
         .masthead-imprint {{\n{}  margin-top: 2em;\n}}\n\n\
         .masthead-contents ul {{\n  list-style: none;\n  padding-left: 0;\n}}\n\n\
         .masthead-contents ul ul {{\n  padding-left: 1.2em;\n  margin: 0.2em 0 0.8em;\n}}\n\n\
         .contents-section {{\n{}}}\n\n\
         .masthead-contents li li > a {{\n{}}}\n\n\
         .contents-authors {{\n{}}}",
        em(s.title, body),
        role(Role::Standfirst),
        role(Role::Kicker),
        role(Role::Caption),
        role(Role::Kicker),
        role(Role::ContentsEntry),
        role(Role::Byline)
    );
    css
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_stable() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.25), "1.25");
        assert_eq!(num(12.5 / 9.5), "1.316");
        assert_eq!(num(f32::NAN), "1");
    }

    #[test]
    fn family_lists_quote_dedupe_and_end_generic() {
        let fallback = vec!["Noto Serif".to_string(), "Libertinus Serif".to_string()];
        assert_eq!(
            family_list("Libertinus Serif", &fallback),
            "\"Libertinus Serif\", \"Noto Serif\", serif"
        );
        assert_eq!(family_list("Fira Sans", &[]), "\"Fira Sans\", sans-serif");
        let mixed = vec![
            "New Computer Modern".to_string(),
            "DejaVu Sans Mono".to_string(),
        ];
        assert_eq!(
            family_list("Libertinus Serif", &mixed),
            "\"Libertinus Serif\", \"New Computer Modern\", serif"
        );
        assert_eq!(quoted("a\"b"), "\"a\\\"b\"");
    }

    #[test]
    fn stylesheet_follows_the_style() {
        let mut style = crate::epub::tests::style();
        style.sizes.body = 10.0;
        style.sizes.leading = 13.0;
        style.sizes.title = 25.0;
        style.indent_em = 1.5;
        style.hyphenation.enabled = true;
        let css = stylesheet(&style, &[]);
        assert!(css.contains("line-height: 1.3;"), "{css}");
        assert!(rule(&css, "h1").contains("font-size: 2.5em;"), "{css}");
        assert!(css.contains("p + p {\n  text-indent: 1.5em;"));
        assert!(css.contains("hyphens: auto;"));
        assert!(css.contains(&readable(style.colours.accent).hex()));
        assert!(!css.contains("@font-face"));
        let balance = |open: char, close: char| {
            css.chars().filter(|&c| c == open).count()
                == css.chars().filter(|&c| c == close).count()
        };
        assert!(balance('{', '}'));
    }

    /// The declarations of the first rule for `selector`.
    fn rule<'a>(css: &'a str, selector: &str) -> &'a str {
        let start = css
            .find(&format!("\n{selector} {{\n"))
            .unwrap_or_else(|| panic!("no rule for {selector}"));
        let body = &css[start..];
        &body[..body.find('}').unwrap()]
    }

    #[test]
    fn roles_take_the_model_look() {
        let style = crate::epub::tests::style();
        let css = stylesheet(&style, &[]);
        let accent = readable(style.colours.accent).hex();
        let kicker = rule(&css, ".kicker");
        assert!(kicker.contains("letter-spacing: 0.06em;"), "{kicker}");
        assert!(kicker.contains("font-variant-caps: all-small-caps;"));
        assert!(kicker.contains(&format!("color: {accent};")));
        assert!(kicker.contains("hyphens: manual;"));
        let byline = rule(&css, ".byline");
        assert!(byline.contains("font-variant: small-caps;"), "{byline}");
        assert!(byline.contains("letter-spacing: 0.03em;"));
        assert!(!byline.contains("font-family"), "body family is inherited");
        assert!(rule(&css, ".pullquote").contains("font-style: italic;"));
        assert!(rule(&css, ".standfirst").contains("font-style: italic;"));
        assert!(rule(&css, "h1").contains("font-weight: 600;"));
        assert!(rule(&css, "figcaption").contains(&readable(style.colours.muted).hex()));
        let td = rule(&css, "table");
        assert!(td.contains("font-variant-numeric: lining-nums tabular-nums;"));
        assert!(rule(&css, "th").contains("font-size: 1em;"));
        // Text in the text colour carries none, so reading-system themes can recolour it.
        assert!(!css.contains(&style.colours.text.hex()));
        // Sizes relative to the body: 8 pt kicker on 9.5 pt body.
        assert!(kicker.contains("font-size: 0.842em;"), "{kicker}");
    }
}

#[cfg(test)]
mod reading_tests {
    use super::*;
    use crate::epub::contrast::{MIN_CONTRAST, ratio};
    use crate::model::Rgb;

    /// Every `#rrggbb` colour the stylesheet writes for text (`color:`).
    fn text_colours(css: &str) -> Vec<Rgb> {
        css.match_indices("color: #")
            .filter(|(i, _)| !css[..*i].ends_with('-'))
            .map(|(i, m)| {
                let hex = &css[i + m.len()..i + m.len() + 6];
                let byte = |k: usize| u8::from_str_radix(&hex[k..k + 2], 16).unwrap();
                Rgb(byte(0), byte(2), byte(4))
            })
            .collect()
    }

    #[test]
    fn coloured_text_reads_on_white_and_on_black() {
        let mut style = crate::epub::tests::style();
        // The magazine style's colours, and a pale accent that fails on white.
        for accent in [Rgb(0xa3, 0x26, 0x2a), Rgb(0xff, 0xcc, 0x00)] {
            style.colours.accent = accent;
            style.colours.muted = Rgb(0x5f, 0x5f, 0x5f);
            let css = stylesheet(&style, &[]);
            let colours = text_colours(&css);
            assert!(colours.len() >= 3, "{css}");
            for c in colours {
                let white = ratio(c, Rgb(255, 255, 255));
                let black = ratio(c, Rgb(0, 0, 0));
                assert!(
                    white >= MIN_CONTRAST && black >= MIN_CONTRAST,
                    "{} is {white:.2}:1 on white and {black:.2}:1 on black",
                    c.hex()
                );
            }
        }
    }

    #[test]
    fn narrow_and_wide_screens() {
        let style = crate::epub::tests::style();
        let css = stylesheet(&style, &[]);
        let wrap = css.find(".table-wrap {").map(|i| &css[i..]).unwrap();
        assert!(wrap[..wrap.find('}').unwrap()].contains("overflow-x: auto;"));
        let body = css.find("body {\n").map(|i| &css[i..]).unwrap();
        let body = &body[..body.find('}').unwrap()];
        assert!(body.contains("max-width: 38em;") && body.contains("margin: 0 auto;"));
        // A word or URL longer than a phone's line breaks rather than running off the
        // page; links and code may break anywhere, even when a table cell is sized.
        assert!(body.contains("overflow-wrap: break-word;"));
        assert!(css.contains("a, code {\n  overflow-wrap: anywhere;\n}"));
        // A link that shows its URL breaks anywhere, so the line before it is not spread.
        assert!(css.contains("a.url {\n  word-break: break-all;\n}"));
        // Header lines (a byline after the standfirst) are never indented as paragraphs.
        assert!(css.contains("header p {\n  text-indent: 0;"));
        assert!(css.contains("blockquote p + p {\n  text-indent: "));
        let pull = css.find(".pullquote p {").map(|i| &css[i..]).unwrap();
        assert!(pull[..pull.find('}').unwrap()].contains("text-align: left;"));
        assert!(css.contains("p.opening::first-letter {\n  float: left;"));
    }
}
