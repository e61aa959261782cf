//! Styles: a style file (`styles/<name>.toml`) overrides any subset of the built-in
//! `magazine` style; the merged values are checked and resolved into [`model::Style`].
//!
//! ```toml
//! # styles/review.toml: the magazine style on A5, in two columns
//! [page]
//! size = "A5"
//! columns = 2
//! ```
//!
//! [`model::Style`]: crate::model::Style

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::tomlerr::{self, Seg};
use crate::diag::Diagnostic;
use crate::model::{
    ArticleStart, Colours, Fonts, HyphenExceptions, Hyphenation, Imposition, Justification,
    NotePlace, PT_PER_MM, Page, PrintSettings, Rgb, Sizes, Style, parse_hyphen_exception,
};

/// Styles compiled into the binary: name and TOML text.
const BUILTIN: &[(&str, &str)] = &[("magazine", include_str!("../../../styles/magazine.toml"))];

/// The names of the built-in styles.
pub fn builtin_names() -> Vec<&'static str> {
    BUILTIN.iter().map(|(name, _)| *name).collect()
}

/// A built-in style, resolved; `None` for an unknown name.
pub fn builtin(name: &str) -> Option<Style> {
    let (name, text) = BUILTIN.iter().find(|(n, _)| *n == name)?;
    resolve_text(text, name, None, Path::new(name)).ok()
}

/// Defines a table of optional values and how a more specific layer overrides it.
macro_rules! layer {
    ($(#[$meta:meta])* $name:ident { $($field:ident : $ty:ty),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, Deserialize)]
        #[serde(deny_unknown_fields)]
        struct $name {
            $($field: Option<$ty>,)*
        }

        impl Overlay for $name {
            fn overlay(self, over: Self) -> Self {
                $name { $($field: over.$field.or(self.$field),)* }
            }
        }
    };
}

trait Overlay: Sized {
    /// `over`'s values where it has them, else `self`'s.
    fn overlay(self, over: Self) -> Self;
}

fn merge<T: Overlay>(base: Option<T>, over: Option<T>) -> Option<T> {
    match (base, over) {
        (Some(b), Some(o)) => Some(b.overlay(o)),
        (b, o) => o.or(b),
    }
}

layer!(RawPage {
    size: toml::Value,
    bleed_mm: f32,
    safety_mm: f32,
    columns: u32,
    gutter_mm: f32,
});

layer!(RawPrint {
    default: bool,
    slug_line: bool,
});
layer!(RawImposition { creep_mm: f32 });

layer!(RawMargins {
    top: f32,
    bottom: f32,
    inner: f32,
    outer: f32,
});

layer!(RawFonts {
    body: String,
    display: String,
    fallback: Vec<String>,
    body_features: Vec<String>,
    display_features: Vec<String>,
});

layer!(RawSizes {
    body: f32,
    leading: f32,
    title: f32,
    title_leading: f32,
    kicker: f32,
    standfirst: f32,
    standfirst_leading: f32,
    byline: f32,
    subhead: f32,
    pullquote: f32,
    pullquote_leading: f32,
    caption: f32,
    footnote: f32,
    footnote_leading: f32,
    running_head: f32,
    folio: f32,
});

layer!(RawColours {
    text: String,
    accent: String,
    muted: String,
});

layer!(RawHyphenation {
    enabled: bool,
    min_word: usize,
    min_before: usize,
    min_after: usize,
    max_consecutive: usize,
    penalty: f32,
    capitalised: bool,
    exceptions: Vec<String>,
});

layer!(RawJustification {
    word_space_min: f32,
    word_space_normal: f32,
    word_space_max: f32,
    letter_space: f32,
    glyph_expansion: f32,
    hanging_punctuation: bool,
});

/// A style file as written: every key optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStyle {
    indent_em: Option<f32>,
    drop_caps: Option<bool>,
    run_in_small_caps: Option<bool>,
    opening_small_caps: Option<u32>,
    article_start: Option<String>,
    notes: Option<String>,
    cover_lines: Option<usize>,
    page: Option<RawPage>,
    margins_mm: Option<RawMargins>,
    fonts: Option<RawFonts>,
    sizes: Option<RawSizes>,
    colours: Option<RawColours>,
    hyphenation: Option<RawHyphenation>,
    justification: Option<RawJustification>,
    print: Option<RawPrint>,
    imposition: Option<RawImposition>,
}

impl Overlay for RawStyle {
    fn overlay(self, over: Self) -> Self {
        RawStyle {
            indent_em: over.indent_em.or(self.indent_em),
            drop_caps: over.drop_caps.or(self.drop_caps),
            run_in_small_caps: over.run_in_small_caps.or(self.run_in_small_caps),
            opening_small_caps: over.opening_small_caps.or(self.opening_small_caps),
            article_start: over.article_start.or(self.article_start),
            notes: over.notes.or(self.notes),
            cover_lines: over.cover_lines.or(self.cover_lines),
            page: merge(self.page, over.page),
            margins_mm: merge(self.margins_mm, over.margins_mm),
            fonts: merge(self.fonts, over.fonts),
            sizes: merge(self.sizes, over.sizes),
            colours: merge(self.colours, over.colours),
            hyphenation: merge(self.hyphenation, over.hyphenation),
            justification: merge(self.justification, over.justification),
            print: merge(self.print, over.print),
            imposition: merge(self.imposition, over.imposition),
        }
    }
}

/// The most articles a style may name on the cover.
const MAX_COVER_LINES: usize = 12;

/// Named trim sizes in millimetres.
const PAGE_SIZES: &[(&str, f32, f32)] = &[
    ("A4", 210.0, 297.0),
    ("A5", 148.0, 210.0),
    ("Letter", 215.9, 279.4),
    ("tabloid", 279.4, 431.8),
];

/// Resolves the style text `text` (from `file`, shown as `shown`, or built in when `file`
/// is `None`) over the built-in magazine style.
pub(crate) fn resolve_text(
    text: &str,
    name: &str,
    file: Option<PathBuf>,
    shown: &Path,
) -> Result<Style, Vec<Diagnostic>> {
    let user: RawStyle =
        toml::from_str(text).map_err(|e| vec![tomlerr::diagnostic(&e, text, shown, 1)])?;
    let base: RawStyle = match BUILTIN.iter().find(|(n, _)| *n == "magazine") {
        Some((_, magazine)) if file.is_some() || name != "magazine" => toml::from_str(magazine)
            .map_err(|e| vec![tomlerr::diagnostic(&e, magazine, Path::new("magazine"), 1)])?,
        _ => RawStyle::default(),
    };
    let mut check = Checker {
        text,
        shown,
        diags: Vec::new(),
    };
    let style = check.resolve(base.overlay(user), name, file);
    if check.diags.is_empty() {
        Ok(style)
    } else {
        Err(check.diags)
    }
}

/// The name of the edition's own hyphenation exceptions, in the edition folder.
pub(crate) const EXCEPTIONS_FILE: &str = "hyphenation.txt";

/// Parses a hyphenation word list (`hyphenation.txt`): one exception per line, written as
/// in `hyphenation.exceptions`; `#` starts a comment, blank lines are skipped. `shown`
/// names the file in messages, which give the line and column of each bad entry.
pub(crate) fn parse_exception_list(
    text: &str,
    shown: &Path,
) -> Result<Vec<(String, Vec<usize>)>, Vec<Diagnostic>> {
    let mut out = Vec::new();
    let mut diags = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let content = line.split('#').next().unwrap_or("");
        let entry = content.trim();
        if entry.is_empty() {
            continue;
        }
        match parse_hyphen_exception(entry) {
            Ok(e) => out.push(e),
            Err(message) => {
                let column = content[..content.len() - content.trim_start().len()]
                    .chars()
                    .count()
                    + 1;
                diags.push(
                    Diagnostic::error(message)
                        .in_file(shown)
                        .at(n + 1, column, entry.chars().count())
                        .with_hint("one word per line, with `-` at each allowed break; `#` starts a comment"),
                );
            }
        }
    }
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(diags)
    }
}

/// Collects the problems of one style file, each placed at the key that causes it.
struct Checker<'a> {
    text: &'a str,
    shown: &'a Path,
    diags: Vec<Diagnostic>,
}

impl Checker<'_> {
    /// Records `message` at the first of `keys` (dotted paths) written in the style file.
    fn fail(&mut self, keys: &[&str], message: String, hint: &str) {
        let mut d = Diagnostic::error(message).in_file(self.shown);
        let span = keys.iter().find_map(|key| {
            let segs: Vec<Seg<'_>> = key.split('.').map(Seg::Key).collect();
            tomlerr::locate(self.text, &segs)
        });
        if let Some(span) = span {
            let (line, column, width) = tomlerr::position(self.text, span, 1);
            d = d.at(line, column, width);
        }
        if !hint.is_empty() {
            d = d.with_hint(hint);
        }
        self.diags.push(d);
    }

    /// Records `message` at `path` in the style file, else at the dotted `key`.
    fn fail_at(&mut self, path: &[Seg<'_>], key: &str, message: String) {
        match tomlerr::locate(self.text, path) {
            Some(span) => {
                let (line, column, width) = tomlerr::position(self.text, span, 1);
                self.diags.push(
                    Diagnostic::error(message)
                        .in_file(self.shown)
                        .at(line, column, width),
                );
            }
            None => self.fail(&[key], message, ""),
        }
    }

    /// The value, or a recorded error when even the built-in style lacks it.
    /// The value named `written` among `choices` (the first is the fallback after an
    /// error naming the key and the nearest choice).
    fn choice<T: Copy>(&mut self, key: &str, written: &str, choices: &[(&str, T)]) -> T {
        if let Some(&(_, v)) = choices.iter().find(|(name, _)| *name == written) {
            return v;
        }
        let names: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
        let list = names
            .iter()
            .map(|n| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let hint = match tomlerr::nearest(written, &names) {
            Some(near) => format!("did you mean \"{near}\"?"),
            None => format!("write one of {list}"),
        };
        self.fail(
            &[key],
            format!("`{key}` is \"{written}\"; it must be one of {list}"),
            &hint,
        );
        choices[0].1
    }

    fn need<T: Default>(&mut self, value: Option<T>, key: &str) -> T {
        value.unwrap_or_else(|| {
            self.fail(
                &[key],
                format!("`{key}` is missing from the style"),
                "add it to the style file",
            );
            T::default()
        })
    }

    /// Checks that `value` lies in `min..=max`.
    fn range(&mut self, key: &str, value: f32, min: f32, max: f32, unit: &str) -> f32 {
        if !value.is_finite() || value < min || value > max {
            self.fail(
                &[key],
                format!(
                    "`{key}` is {value}{unit}; it must lie between {min}{unit} and {max}{unit}"
                ),
                "",
            );
        }
        value
    }

    /// Checks that a size in points is positive and not absurd.
    fn size(&mut self, key: &str, value: f32) -> f32 {
        if !value.is_finite() || value <= 0.0 || value > 300.0 {
            self.fail(
                &[key],
                format!(
                    "`{key}` is {value} pt; a type size must be greater than 0 and at most 300 pt"
                ),
                "",
            );
        }
        value
    }

    /// Checks that `leading` is at least `ratio` times `size`.
    fn leading(&mut self, key: &str, leading: f32, size: f32, ratio: f32) -> f32 {
        let leading = self.size(key, leading);
        if leading < size * ratio {
            let min = size * ratio;
            self.fail(
                &[key],
                format!(
                    "`{key}` is {leading} pt, too tight for {size} pt type: lines would overlap"
                ),
                &format!("use at least {min} pt"),
            );
        }
        leading
    }

    fn colour(&mut self, key: &str, value: &str) -> Rgb {
        match parse_hex(value) {
            Some(rgb) => rgb,
            None => {
                self.fail(
                    &[key],
                    format!("`{key}` is \"{value}\", which is not a colour"),
                    "write colours as \"#rrggbb\", e.g. \"#a3262a\"",
                );
                Rgb(0, 0, 0)
            }
        }
    }

    fn features(&mut self, key: &str, tags: Vec<String>) -> Vec<String> {
        for tag in &tags {
            let ok = tag.len() == 4 && tag.chars().all(|c| c.is_ascii_alphanumeric());
            if !ok {
                self.fail(
                    &[key],
                    format!("`{key}` holds \"{tag}\", which is not an OpenType feature tag"),
                    "feature tags have four letters or digits, e.g. \"onum\", \"smcp\", \"liga\"",
                );
            }
        }
        tags
    }

    fn family(&mut self, key: &str, name: String) -> String {
        if name.trim().is_empty() {
            self.fail(&[key], format!("`{key}` is empty"), "name a font family");
        }
        name.trim().to_string()
    }

    fn page_size(&mut self, value: toml::Value) -> (f32, f32) {
        let names: Vec<&str> = PAGE_SIZES.iter().map(|(n, _, _)| *n).collect();
        match value {
            toml::Value::String(s) => {
                if let Some((_, w, h)) = PAGE_SIZES
                    .iter()
                    .find(|(n, _, _)| n.eq_ignore_ascii_case(&s))
                {
                    return (*w, *h);
                }
                let hint = match tomlerr::nearest(&s, &names) {
                    Some(near) => format!("did you mean \"{near}\"?"),
                    None => format!(
                        "use one of {} or {{ width_mm = 210, height_mm = 297 }}",
                        names.join(", ")
                    ),
                };
                self.fail(&["page.size"], format!("unknown page size \"{s}\""), &hint);
            }
            toml::Value::Table(t) => {
                let mut dims = [None, None];
                for (key, v) in &t {
                    let slot = match key.as_str() {
                        "width_mm" => 0,
                        "height_mm" => 1,
                        other => {
                            let hint = tomlerr::nearest(other, &["width_mm", "height_mm"]).map_or(
                                "a custom page size has `width_mm` and `height_mm`".to_string(),
                                |n| format!("did you mean `{n}`?"),
                            );
                            self.fail(
                                &["page.size"],
                                format!("unknown key `{other}` in `page.size`"),
                                &hint,
                            );
                            continue;
                        }
                    };
                    let number = match v {
                        toml::Value::Integer(i) => Some(*i as f32),
                        toml::Value::Float(f) => Some(*f as f32),
                        _ => None,
                    };
                    match number {
                        Some(n) => {
                            dims[slot] = Some(self.range(
                                &format!("page.size.{key}"),
                                n,
                                50.0,
                                1200.0,
                                " mm",
                            ))
                        }
                        None => self.fail(
                            &["page.size"],
                            format!("`page.size.{key}` must be a number of millimetres"),
                            "",
                        ),
                    }
                }
                if let [Some(w), Some(h)] = dims {
                    return (w, h);
                }
                if dims.iter().any(Option::is_none) {
                    self.fail(
                        &["page.size"],
                        "a custom page size needs both `width_mm` and `height_mm`".into(),
                        "e.g. size = { width_mm = 230, height_mm = 300 }",
                    );
                }
            }
            _ => self.fail(
                &["page.size"],
                "`page.size` must be a name or a table".into(),
                &format!(
                    "use one of {} or {{ width_mm = 210, height_mm = 297 }}",
                    names.join(", ")
                ),
            ),
        }
        (210.0, 297.0)
    }

    /// Parses `hyphenation.exceptions`; a later entry for the same word wins.
    fn exceptions(&mut self, written: Vec<String>) -> HyphenExceptions {
        let mut out = HyphenExceptions::new();
        for (i, entry) in written.iter().enumerate() {
            match parse_hyphen_exception(entry.trim()) {
                Ok((word, breaks)) => {
                    out.insert(word, breaks);
                }
                Err(message) => self.fail_at(
                    &[
                        Seg::Key("hyphenation"),
                        Seg::Key("exceptions"),
                        Seg::Index(i),
                    ],
                    "hyphenation.exceptions",
                    format!("`hyphenation.exceptions`: {message}"),
                ),
            }
        }
        out
    }

    /// Turns the merged raw style into the model, checking every value.
    fn resolve(&mut self, raw: RawStyle, name: &str, file: Option<PathBuf>) -> Style {
        let page = self.need(raw.page, "page");
        let margins = self.need(raw.margins_mm, "margins_mm");
        let fonts = self.need(raw.fonts, "fonts");
        let sizes = self.need(raw.sizes, "sizes");
        let colours = self.need(raw.colours, "colours");
        let hyph = self.need(raw.hyphenation, "hyphenation");
        let just = self.need(raw.justification, "justification");
        let print = self.need(raw.print, "print");

        // Page geometry, in millimetres until the end.
        let size = page
            .size
            .unwrap_or_else(|| toml::Value::String("A4".into()));
        let (width, height) = self.page_size(size);
        let bleed = self.need(page.bleed_mm, "page.bleed_mm");
        let bleed = self.range("page.bleed_mm", bleed, 0.0, 20.0, " mm");
        let safety = self.need(page.safety_mm, "page.safety_mm");
        let safety = self.range("page.safety_mm", safety, 0.0, 30.0, " mm");
        let columns = self.need(page.columns, "page.columns");
        if !(1..=6).contains(&columns) {
            self.fail(
                &["page.columns"],
                format!("`page.columns` is {columns}; it must be between 1 and 6"),
                "",
            );
        }
        let gutter = self.need(page.gutter_mm, "page.gutter_mm");
        let gutter = self.range("page.gutter_mm", gutter, 0.0, 50.0, " mm");
        if columns > 1 && gutter <= 0.0 {
            self.fail(
                &["page.gutter_mm", "page.columns"],
                "`page.gutter_mm` is 0 but the page has several columns: they would touch".into(),
                "a gutter of 4 to 6 mm suits most magazines",
            );
        }
        let margin = |checker: &mut Self, v: Option<f32>, key: &str| {
            let v = checker.need(v, key);
            checker.range(key, v, 0.0, 100.0, " mm")
        };
        let top = margin(self, margins.top, "margins_mm.top");
        let bottom = margin(self, margins.bottom, "margins_mm.bottom");
        let inner = margin(self, margins.inner, "margins_mm.inner");
        let outer = margin(self, margins.outer, "margins_mm.outer");
        let text_width = width - inner - outer;
        let text_height = height - top - bottom;
        let geometry_keys = ["margins_mm", "page.size", "page.columns", "page.gutter_mm"];
        if text_height < 60.0 {
            self.fail(
                &["margins_mm.top", "margins_mm.bottom", "page.size"],
                format!(
                    "the margins leave a text area {text_height:.1} mm high on a {height} mm page; at least 60 mm are needed"
                ),
                "reduce the top and bottom margins or use a larger page",
            );
        }
        let n = columns.clamp(1, 6) as f32;
        let column = (text_width - gutter * (n - 1.0)) / n;
        if column < 20.0 {
            self.fail(
                &geometry_keys,
                format!(
                    "columns would be {column:.1} mm wide ({columns} columns in a text area {text_width:.1} mm wide); at least 20 mm are needed"
                ),
                "use fewer columns, a smaller gutter, narrower margins or a larger page",
            );
        }

        let fonts = Fonts {
            body: {
                let v = self.need(fonts.body, "fonts.body");
                self.family("fonts.body", v)
            },
            display: {
                let v = self.need(fonts.display, "fonts.display");
                self.family("fonts.display", v)
            },
            fallback: {
                let v = self.need(fonts.fallback, "fonts.fallback");
                v.into_iter()
                    .map(|f| self.family("fonts.fallback", f))
                    .collect()
            },
            body_features: {
                let v = self.need(fonts.body_features, "fonts.body_features");
                self.features("fonts.body_features", v)
            },
            display_features: {
                let v = self.need(fonts.display_features, "fonts.display_features");
                self.features("fonts.display_features", v)
            },
        };

        let pt = |checker: &mut Self, v: Option<f32>, key: &str| {
            let v = checker.need(v, key);
            checker.size(key, v)
        };
        let body = pt(self, sizes.body, "sizes.body");
        let title = pt(self, sizes.title, "sizes.title");
        let standfirst = pt(self, sizes.standfirst, "sizes.standfirst");
        let pullquote = pt(self, sizes.pullquote, "sizes.pullquote");
        let footnote = pt(self, sizes.footnote, "sizes.footnote");
        let lead = |checker: &mut Self, v: Option<f32>, key: &str, size: f32, ratio: f32| {
            let v = checker.need(v, key);
            checker.leading(key, v, size, ratio)
        };
        let sizes = Sizes {
            body,
            leading: lead(self, sizes.leading, "sizes.leading", body, 1.0),
            title,
            title_leading: lead(self, sizes.title_leading, "sizes.title_leading", title, 0.8),
            kicker: pt(self, sizes.kicker, "sizes.kicker"),
            standfirst,
            standfirst_leading: lead(
                self,
                sizes.standfirst_leading,
                "sizes.standfirst_leading",
                standfirst,
                0.9,
            ),
            byline: pt(self, sizes.byline, "sizes.byline"),
            subhead: pt(self, sizes.subhead, "sizes.subhead"),
            pullquote,
            pullquote_leading: lead(
                self,
                sizes.pullquote_leading,
                "sizes.pullquote_leading",
                pullquote,
                0.8,
            ),
            caption: pt(self, sizes.caption, "sizes.caption"),
            footnote,
            footnote_leading: lead(
                self,
                sizes.footnote_leading,
                "sizes.footnote_leading",
                footnote,
                1.0,
            ),
            running_head: pt(self, sizes.running_head, "sizes.running_head"),
            folio: pt(self, sizes.folio, "sizes.folio"),
        };

        let colours = Colours {
            text: {
                let v = self.need(colours.text, "colours.text");
                self.colour("colours.text", &v)
            },
            accent: {
                let v = self.need(colours.accent, "colours.accent");
                self.colour("colours.accent", &v)
            },
            muted: {
                let v = self.need(colours.muted, "colours.muted");
                self.colour("colours.muted", &v)
            },
        };

        let indent_em = self.need(raw.indent_em, "indent_em");
        let indent_em = self.range("indent_em", indent_em, 0.0, 4.0, " em");

        let hyphenation = Hyphenation {
            enabled: self.need(hyph.enabled, "hyphenation.enabled"),
            min_word: self.need(hyph.min_word, "hyphenation.min_word"),
            min_before: self.need(hyph.min_before, "hyphenation.min_before"),
            min_after: self.need(hyph.min_after, "hyphenation.min_after"),
            max_consecutive: self.need(hyph.max_consecutive, "hyphenation.max_consecutive"),
            penalty: {
                let v = self.need(hyph.penalty, "hyphenation.penalty");
                self.range("hyphenation.penalty", v, 0.0, 10_000.0, "")
            },
            capitalised: self.need(hyph.capitalised, "hyphenation.capitalised"),
            exceptions: self.exceptions(hyph.exceptions.unwrap_or_default()),
        };
        for (key, v) in [
            ("hyphenation.min_before", hyphenation.min_before),
            ("hyphenation.min_after", hyphenation.min_after),
            ("hyphenation.max_consecutive", hyphenation.max_consecutive),
        ] {
            if !(1..=10).contains(&v) {
                self.fail(
                    &[key],
                    format!("`{key}` is {v}; it must be between 1 and 10"),
                    if key.ends_with("consecutive") {
                        "to turn hyphenation off, set `hyphenation.enabled = false`"
                    } else {
                        ""
                    },
                );
            }
        }
        let least = hyphenation.min_before + hyphenation.min_after;
        if hyphenation.min_word < least || hyphenation.min_word > 30 {
            self.fail(
                &["hyphenation.min_word", "hyphenation.min_before", "hyphenation.min_after"],
                format!(
                    "`hyphenation.min_word` is {}; it must be at least min_before + min_after ({least}) and at most 30",
                    hyphenation.min_word
                ),
                "",
            );
        }

        let justification = Justification {
            word_space_min: self.need(just.word_space_min, "justification.word_space_min"),
            word_space_normal: self.need(just.word_space_normal, "justification.word_space_normal"),
            word_space_max: self.need(just.word_space_max, "justification.word_space_max"),
            letter_space: self.need(just.letter_space, "justification.letter_space"),
            glyph_expansion: self.need(just.glyph_expansion, "justification.glyph_expansion"),
            hanging_punctuation: self.need(
                just.hanging_punctuation,
                "justification.hanging_punctuation",
            ),
        };
        let (lo, mid, hi) = (
            justification.word_space_min,
            justification.word_space_normal,
            justification.word_space_max,
        );
        if !(lo > 0.0 && lo <= mid && mid <= hi && hi <= 4.0) {
            self.fail(
                &[
                    "justification.word_space_min",
                    "justification.word_space_normal",
                    "justification.word_space_max",
                ],
                format!(
                    "word spaces {lo} / {mid} / {hi} are out of order; they must satisfy 0 < word_space_min <= word_space_normal <= word_space_max <= 4"
                ),
                "the magazine style uses 0.8 / 1.0 / 1.33",
            );
        }
        self.range(
            "justification.letter_space",
            justification.letter_space,
            0.0,
            0.1,
            " em",
        );
        self.range(
            "justification.glyph_expansion",
            justification.glyph_expansion,
            0.0,
            0.1,
            "",
        );

        let start = self.need(raw.article_start, "article_start");
        let article_start = self.choice("article_start", &start, &ArticleStart::NAMES);
        let opening = self.need(raw.opening_small_caps, "opening_small_caps");
        let opening_small_caps =
            self.range("opening_small_caps", opening as f32, 0.0, 12.0, " words") as u32;
        let notes = self.need(raw.notes, "notes");
        let notes = self.choice(
            "notes",
            &notes,
            &[("column", NotePlace::Column), ("end", NotePlace::End)],
        );

        let imposition = self.need(raw.imposition, "imposition");
        let creep = self.need(imposition.creep_mm, "imposition.creep_mm");
        let creep = self.range("imposition.creep_mm", creep, 0.0, 1.0, " mm");

        let cover_lines = self.need(raw.cover_lines, "cover_lines");
        if cover_lines > MAX_COVER_LINES {
            self.fail(
                &["cover_lines"],
                format!("`cover_lines` is {cover_lines}; it must be at most {MAX_COVER_LINES}"),
                "a cover names a few articles; the contents lists them all",
            );
        }

        Style {
            name: name.to_string(),
            source: file,
            page: Page {
                width: width * PT_PER_MM,
                height: height * PT_PER_MM,
                margin_top: top * PT_PER_MM,
                margin_bottom: bottom * PT_PER_MM,
                margin_inner: inner * PT_PER_MM,
                margin_outer: outer * PT_PER_MM,
                bleed: bleed * PT_PER_MM,
                safety: safety * PT_PER_MM,
                columns,
                gutter: gutter * PT_PER_MM,
            },
            fonts,
            sizes,
            colours,
            indent_em,
            hyphenation,
            justification,
            drop_caps: self.need(raw.drop_caps, "drop_caps"),
            run_in_small_caps: self.need(raw.run_in_small_caps, "run_in_small_caps"),
            opening_small_caps,
            notes,
            article_start,
            cover_lines,
            print: PrintSettings {
                default: self.need(print.default, "print.default"),
                slug_line: self.need(print.slug_line, "print.slug_line"),
            },
            imposition: Imposition {
                creep: creep * PT_PER_MM,
            },
        }
    }
}

/// Parses `#rrggbb` (either case).
fn parse_hex(s: &str) -> Option<Rgb> {
    let hex = s.strip_prefix('#')?;
    if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some(Rgb(byte(0)?, byte(2)?, byte(4)?))
}

#[cfg(test)]
mod tests;
