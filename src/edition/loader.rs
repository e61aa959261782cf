//! `edition.toml` as written (serde, unknown keys rejected), then the resolving step that
//! checks every value, path, article and image and yields the model.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::limits::{self, LoadOptions};
use super::magazine::{self, Magazine, StyleRef};
use super::paths::{self, Resolved, Root};
use super::tomlerr;
use super::values::{Names, Text};
use super::{article, image, meta, style, text};
use crate::Error;
use crate::diag::Diagnostic;
use crate::markdown;
use crate::model::ArticleStart;
use crate::model::{
    Date, Edition, Image, Language, Limits, Metadata, Section, Style, section_leads,
};

/// `edition.toml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEdition {
    title: Option<Spanned<String>>,
    issue: Spanned<Text>,
    date: Spanned<toml::Value>,
    language: Option<Spanned<String>>,
    date_label: Option<Spanned<String>>,
    subtitle: Option<Spanned<String>>,
    publisher: Option<Spanned<String>>,
    editors: Option<Names>,
    issn: Option<Spanned<String>>,
    identifier: Option<Spanned<String>>,
    description: Option<Spanned<String>>,
    subjects: Option<Names>,
    rights: Option<Spanned<String>>,
    accessibility_certifier: Option<Spanned<String>>,
    cover: Option<Spanned<String>>,
    style: Option<Spanned<String>>,
    cover_lines: Option<Spanned<Vec<Spanned<String>>>>,
    revision: Option<Spanned<toml::Value>>,
    volume: Option<Spanned<toml::Value>>,
    limits: Option<Spanned<toml::Table>>,
    slug: Option<Spanned<String>>,
    #[serde(default)]
    section: Vec<RawSection>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    title: Spanned<String>,
    articles: Spanned<Vec<Spanned<String>>>,
    article_start: Option<Spanned<String>>,
}

/// Everything needed to place a diagnostic in `edition.toml`.
struct Place<'a> {
    text: &'a str,
    shown: &'a Path,
    /// The limits everything named in the file is read under.
    limits: Limits,
}

impl Place<'_> {
    fn error<T>(&self, at: &Spanned<T>, message: String, hint: &str) -> Diagnostic {
        let (line, column, width) = tomlerr::position(self.text, at.span(), 1);
        let d = Diagnostic::error(message)
            .in_file(self.shown)
            .at(line, column, width);
        if hint.is_empty() {
            d
        } else {
            d.with_hint(hint)
        }
    }

    fn line<T>(&self, at: &Spanned<T>) -> usize {
        tomlerr::position(self.text, at.span(), 1).0
    }
}

/// Loads and validates the edition in `dir` under the limits of its `[limits]` table and
/// `options`; every problem found is returned together.
pub(crate) fn load(dir: &Path, options: &LoadOptions) -> Result<Edition, Error> {
    load_only(dir, options, None)
}

/// [`load`], keeping of the edition's articles only `only` (canonical) when it is given:
/// the edition of one article that `quire preview` builds. The article keeps the section
/// that lists it (or, unlisted, is put in the first section), the cover names it, and the
/// other articles are not read, so one of them being broken does not matter.
pub(crate) fn load_only(
    dir: &Path,
    options: &LoadOptions,
    only: Option<&Path>,
) -> Result<Edition, Error> {
    let root = open_root(dir)?;
    let shown = dir.join("edition.toml");
    let toml_path = root.canonical.join("edition.toml");
    inside(&root, "edition.toml")?;
    if !toml_path.exists() {
        return Err(
            Diagnostic::error(format!("`{}` has no edition.toml", dir.display()))
                .in_file(&shown)
                .with_hint("every edition folder holds an edition.toml; `quire new DIR` writes one")
                .into(),
        );
    }
    let source = text::read_text(&toml_path, &shown, options.edition_toml())?;
    // Every unknown key is reported, together with every other problem in the file.
    let (mut raw, unknown): (RawEdition, _) =
        tomlerr::from_str_all(&source, &shown).map_err(Error::Input)?;
    if let Some(article) = only {
        focus(&mut raw, &root, article);
    }
    let magazine = Magazine::of_edition(&root.canonical, dir)?;
    let root = Root {
        bound: magazine
            .as_ref()
            .map_or_else(|| root.canonical.clone(), |m| m.root.clone()),
        ..root
    };
    let inherited_style = magazine.as_ref().and_then(|m| inherit(&mut raw, m));
    let (limits, mut diags) = limits::resolve(raw.limits.as_ref(), &source, &shown, options);
    diags.extend(unknown);
    let (title, language) = match (&raw.title, &raw.language) {
        (Some(title), Some(language)) => (title.clone(), language.clone()),
        _ => {
            for (key, value) in [("title", &raw.title), ("language", &raw.language)] {
                if value.is_none() {
                    let hint = match &magazine {
                        Some(m) => format!(
                            "add `{key} = ...` to edition.toml or to the magazine's {}",
                            m.shown.display()
                        ),
                        None => format!("add `{key} = ...`"),
                    };
                    diags.push(
                        Diagnostic::error(format!("missing required key `{key}`"))
                            .in_file(&shown)
                            .at(1, 1, 1)
                            .with_hint(hint),
                    );
                }
            }
            return Err(Error::Input(diags));
        }
    };
    let place = Place {
        text: &source,
        shown: &shown,
        limits,
    };

    let meta = metadata(&raw, &title, &language, &place, &mut diags);
    let own_slug = raw.slug.as_ref().and_then(|written| {
        check_slug(written.get_ref())
            .map_err(|why| {
                let hint = "use letters, digits, `-`, `_` and `.` (not first), at most 100 \
                            characters: `spring-2026`";
                diags.push(place.error(
                    written,
                    format!("slug `{}`: {why}", written.get_ref()),
                    hint,
                ));
            })
            .ok()
    });
    let mut style = match inherited_style {
        Some(StyleRef::Builtin(name)) => style::builtin(&name),
        Some(StyleRef::File(abs, shown, name)) => {
            style_file(&abs, &shown, &name, &place, &mut diags)
        }
        None => load_style(
            raw.style.as_ref(),
            &root,
            magazine.as_ref(),
            &place,
            &mut diags,
        ),
    };
    if let Some(style) = style.as_mut() {
        edition_exceptions(&root, style, limits.text_file, &mut diags);
    }
    let mut images = Images {
        limit: limits.image_file,
        ..Images::default()
    };
    let cover = raw.cover.as_ref().and_then(|cover| {
        let written = cover.get_ref();
        let resolved = root
            .resolve(&root.canonical, written)
            .map_err(|e| {
                let (message, hint) = root.explain(&e, written);
                diags.push(place.error(cover, format!("cover: {message}"), &hint));
            })
            .ok()?;
        images
            .get(&resolved, place.error(cover, String::new(), ""))
            .map_err(|d| diags.push(d))
            .ok()
    });
    let sections = sections(&raw, &root, &place, &meta.language, &mut images, &mut diags);
    images.verify(&mut diags);
    let most = style.as_ref().map_or(usize::MAX, |s| s.cover_lines);
    let cover_lines = match &raw.cover_lines {
        Some(list) => cover_lines(&raw, list, most, &root, &place, &mut diags),
        None => section_leads(&sections, most),
    };

    if !diags.is_empty() {
        return Err(Error::Input(diags));
    }
    let Some(style) = style else {
        return Err(Diagnostic::error("the built-in style `magazine` failed to load").into());
    };
    let slug = match own_slug {
        Some(own) => own.to_string(),
        None => slug(&root.canonical, dir)?,
    };
    Ok(Edition {
        slug,
        font_dirs: font_dirs(&root.canonical, magazine.as_ref()),
        font_paths: options.font_paths.clone(),
        system_fonts: options.system_fonts,
        limits,
        root: root.canonical,
        meta,
        style,
        cover,
        sections,
        cover_lines,
    })
}

/// Makes `raw` an edition of the one article `article` (canonical, inside the edition):
/// see [`load_only`].
fn focus(raw: &mut RawEdition, root: &Root, article: &Path) {
    let listed = raw.section.iter().enumerate().find_map(|(i, section)| {
        section.articles.get_ref().iter().find_map(|entry| {
            let at = root.resolve(&root.canonical, entry.get_ref()).ok()?;
            (at.abs == article).then(|| (i, entry.span()))
        })
    });
    let (index, span) = listed.unwrap_or((0, 0..0));
    let (title, article_start) = match raw.section.get(index) {
        Some(section) => (section.title.clone(), section.article_start.clone()),
        None => (Spanned::new(0..0, "Preview".to_string()), None),
    };
    let written = paths::relative(&root.canonical, article);
    raw.section = vec![RawSection {
        title,
        articles: Spanned::new(span.clone(), vec![Spanned::new(span, written)]),
        article_start,
    }];
    raw.cover_lines = None;
}

/// Checks that the file `rel` of the edition, when it exists, does not lead outside the
/// edition folder through a symbolic link (nothing may leave the edition that way).
fn inside(root: &Root, rel: &str) -> Result<(), Diagnostic> {
    let path = root.canonical.join(rel);
    if std::fs::symlink_metadata(&path).is_err() {
        return Ok(());
    }
    let shown = root.show(rel);
    let leaves = |why: String| {
        Diagnostic::error(why).in_file(&shown).with_hint(
            "keep every file of the edition inside its folder; replace the link by the file itself",
        )
    };
    match std::fs::canonicalize(&path) {
        Ok(abs) if abs.starts_with(&root.canonical) => Ok(()),
        Ok(abs) => Err(leaves(format!(
            "`{}` leads outside the edition folder through a symbolic link (to `{}`)",
            shown.display(),
            abs.display()
        ))),
        Err(e) => Err(leaves(format!(
            "`{}` is a symbolic link that cannot be followed: {e}",
            shown.display()
        ))),
    }
}

/// The edition folder, checked and canonicalised.
fn open_root(dir: &Path) -> Result<Root, Error> {
    let canonical = std::fs::canonicalize(dir).map_err(|e| {
        Diagnostic::error(format!(
            "cannot open the edition folder `{}`: {e}",
            dir.display()
        ))
        .with_hint("name a folder that holds an edition.toml")
    })?;
    if !canonical.is_dir() {
        return Err(
            Diagnostic::error(format!("`{}` is not a folder", dir.display()))
                .with_hint("name a folder that holds an edition.toml")
                .into(),
        );
    }
    Ok(Root {
        shown: dir.to_path_buf(),
        bound: canonical.clone(),
        canonical,
    })
}

/// `<edition>/fonts`, then the fonts folder of the magazine the edition is an issue of;
/// only folders that exist, and only inside the magazine (not through a link out of it).
pub(crate) fn font_dirs(root: &Path, magazine: Option<&Magazine>) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    let own = root.join("fonts");
    if own.is_dir() {
        dirs.push(own);
    }
    if let Some(m) = magazine
        && let Ok(fonts) = std::fs::canonicalize(&m.fonts_dir)
        && fonts.is_dir()
        && fonts.starts_with(&m.root)
        && !dirs.contains(&fonts)
    {
        dirs.push(fonts);
    }
    dirs
}

/// Fills the keys `edition.toml` leaves out from the magazine's `quire.toml` (checked
/// there: inherited values carry no place in `edition.toml`). A key the edition writes
/// wins, lists included (replaced, not merged). Returns the magazine's style when the
/// edition names none.
fn inherit(raw: &mut RawEdition, magazine: &Magazine) -> Option<StyleRef> {
    fn fill<T: Clone>(own: &mut Option<T>, shared: &Option<T>) {
        if own.is_none() {
            own.clone_from(shared);
        }
    }
    let m = &magazine.raw;
    let unplaced =
        |v: &Option<Spanned<String>>| v.as_ref().map(|v| Spanned::new(0..0, v.get_ref().clone()));
    fill(&mut raw.title, &unplaced(&m.title));
    fill(&mut raw.subtitle, &unplaced(&m.subtitle));
    fill(&mut raw.language, &unplaced(&m.language));
    fill(&mut raw.publisher, &unplaced(&m.publisher));
    fill(&mut raw.editors, &m.editors);
    fill(&mut raw.issn, &unplaced(&m.issn));
    fill(&mut raw.subjects, &m.subjects);
    fill(&mut raw.rights, &unplaced(&m.rights));
    fill(
        &mut raw.accessibility_certifier,
        &unplaced(&m.accessibility_certifier),
    );
    if raw.style.is_some() {
        None
    } else {
        magazine.style.clone()
    }
}

/// An error when `value` of `key` has more than `limit` characters (counted only up to
/// the limit, so a huge value costs no more than a short one).
fn too_long(
    value: &Spanned<String>,
    key: &str,
    limit: usize,
    place: &Place<'_>,
) -> Option<Diagnostic> {
    value.get_ref().chars().nth(limit)?;
    let count = value.get_ref().chars().count();
    Some(place.error(
        value,
        format!("`{key}` is {count} characters long, more than the limit of {limit}"),
        "shorten it; the limits are listed in docs/format.md",
    ))
}

/// Checks the bibliographic values and derives the defaults.
fn metadata(
    raw: &RawEdition,
    title: &Spanned<String>,
    language: &Spanned<String>,
    place: &Place<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Metadata {
    // Title-like values (titles, the issue, the date label, the publisher) are a cover or
    // contents line, never a page; prose values (`description`, `rights`) are longer.
    let (title_limit, text_limit) = (place.limits.title_chars, place.limits.text_chars);
    let mut required = |value: &Spanned<String>, key: &str| {
        if let Some(d) = too_long(value, key, title_limit, place) {
            diags.push(d);
            return String::new();
        }
        let v = value.get_ref().trim().to_string();
        if v.is_empty() {
            diags.push(place.error(value, format!("`{key}` is empty"), ""));
        }
        v
    };
    let title = required(title, "title");
    let issue_spanned = Spanned::new(raw.issue.span(), raw.issue.get_ref().0.clone());
    let issue = required(&issue_spanned, "issue");

    let language = match meta::language(language.get_ref()) {
        Ok(lang) => lang,
        Err(hint) => {
            diags.push(place.error(
                language,
                format!(
                    "`{}` is not a valid BCP 47 language tag",
                    language.get_ref()
                ),
                &hint,
            ));
            Language("en".into())
        }
    };

    let date_text = match raw.date.get_ref() {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => {
            Some(dt.to_string())
        }
        _ => None,
    };
    let date = match date_text.as_deref().map(meta::date) {
        Some(Ok(date)) => date,
        Some(Err(message)) => {
            diags.push(place.error(&raw.date, message, "the cover date in ISO form, YYYY-MM-DD"));
            Date {
                year: 2000,
                month: 1,
                day: 1,
            }
        }
        None => {
            diags.push(place.error(
                &raw.date,
                "`date` must be a calendar date without a time".into(),
                "write it as date = \"2026-11-01\"",
            ));
            Date {
                year: 2000,
                month: 1,
                day: 1,
            }
        }
    };

    // An empty ISSN drops the one a magazine's quire.toml gives.
    let issn = raw
        .issn
        .as_ref()
        .filter(|i| !i.get_ref().trim().is_empty())
        .and_then(|issn| {
            meta::issn(issn.get_ref())
                .map_err(|message| {
                    diags.push(place.error(
                        issn,
                        message,
                        "copy the ISSN exactly as registered; its last digit is a checksum",
                    ))
                })
                .ok()
        });
    let revision = match &raw.revision {
        None => 1,
        Some(r) => match r.get_ref() {
            toml::Value::Integer(n) if (1..=i64::from(u32::MAX)).contains(n) => *n as u32,
            _ => {
                diags.push(place.error(
                    r,
                    "`revision` must be a whole number from 1".into(),
                    "1 is the edition as first published; raise it by one for each corrected reissue, e.g. revision = 2",
                ));
                1
            }
        },
    };
    let volume = raw.volume.as_ref().and_then(|v| match v.get_ref() {
        toml::Value::Integer(n) if (1..=i64::from(u32::MAX)).contains(n) => Some(*n as u32),
        _ => {
            diags.push(place.error(
                v,
                "`volume` must be a whole number from 1".into(),
                "the volume the issue belongs to, as a number: volume = 12 (leave it out when the magazine numbers no volumes)",
            ));
            None
        }
    });
    let source_date = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) if !v.trim().is_empty() => match v.trim().parse::<i64>() {
            Ok(n) if (0..=253_402_300_799).contains(&n) => Some(n),
            _ => {
                diags.push(
                    Diagnostic::error(format!(
                        "SOURCE_DATE_EPOCH `{v}` is not a number of seconds since 1970-01-01 UTC"
                    ))
                    .with_hint("set it to a whole number such as 1793491200, or unset it"),
                );
                None
            }
        },
        _ => None,
    };
    let identifier = match &raw.identifier {
        Some(id) if id.get_ref().trim().is_empty() => {
            diags.push(place.error(
                id,
                "`identifier` is empty".into(),
                "leave it out to have one derived from title and issue",
            ));
            String::new()
        }
        Some(id) => id.get_ref().trim().to_string(),
        None => meta::identifier(&title, &issue),
    };
    // A value over its limit is reported and then treated as absent, so nothing later
    // spends time on it.
    let mut optional = |s: &Option<Spanned<String>>, key: &str, limit: usize| {
        let s = s.as_ref()?;
        if let Some(d) = too_long(s, key, limit, place) {
            diags.push(d);
            return None;
        }
        Some(s.get_ref().trim())
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let date_label = optional(&raw.date_label, "date_label", title_limit)
        .unwrap_or_else(|| meta::date_label(date, &language));
    let subtitle = optional(&raw.subtitle, "subtitle", title_limit);
    let publisher = optional(&raw.publisher, "publisher", title_limit);
    let description = optional(&raw.description, "description", text_limit);
    let rights = optional(&raw.rights, "rights", text_limit);
    let certified_by = optional(
        &raw.accessibility_certifier,
        "accessibility_certifier",
        title_limit,
    );
    let list = |n: &Option<Names>| {
        n.as_ref()
            .map(|n| {
                n.0.iter()
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    // Printed text gets the body's punctuation; the identifier above keeps the title as
    // written, so smartening never changes an edition's identity.
    let primary = language.primary();
    let smart = |s: String| markdown::smarten_plain(&s, &primary);
    Metadata {
        issue_number: meta::issue_number(&issue),
        volume,
        title: smart(title),
        issue,
        date,
        date_label,
        language,
        subtitle: subtitle.map(smart),
        publisher,
        editors: list(&raw.editors).into_iter().map(smart).collect(),
        issn,
        identifier,
        description: description.map(smart),
        subjects: list(&raw.subjects),
        rights,
        certified_by,
        revision,
        source_date,
    }
}

/// Adds the edition's `hyphenation.txt`, when it has one, to the style's hyphenation
/// exceptions (its entries win over the style's for the same word).
fn edition_exceptions(root: &Root, style: &mut Style, limit: u64, diags: &mut Vec<Diagnostic>) {
    let path = root.canonical.join(style::EXCEPTIONS_FILE);
    if std::fs::symlink_metadata(&path).is_err() {
        return;
    }
    if let Err(d) = inside(root, style::EXCEPTIONS_FILE) {
        diags.push(d);
        return;
    }
    let shown = root.show(style::EXCEPTIONS_FILE);
    let text = match text::read_text(&path, &shown, limit) {
        Ok(text) => text,
        Err(d) => {
            diags.push(d);
            return;
        }
    };
    match style::parse_exception_list(&text, &shown) {
        Ok(entries) => style.hyphenation.exceptions.extend(entries),
        Err(mut d) => diags.append(&mut d),
    }
}

/// Finds and resolves the style named in `edition.toml` (default `magazine`).
fn load_style(
    spec: Option<&Spanned<String>>,
    root: &Root,
    magazine: Option<&Magazine>,
    place: &Place<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Style> {
    let Some(spec) = spec else {
        return style::builtin("magazine");
    };
    let written = spec.get_ref().trim();
    let (abs, shown, name) = if written.ends_with(".toml") {
        match root.resolve(&root.canonical, written) {
            Ok(r) => {
                let name = Path::new(&r.rel)
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let shown = root.show(&r.rel);
                (r.abs, shown, name)
            }
            Err(e) => {
                let (message, hint) = root.explain(&e, written);
                diags.push(place.error(spec, format!("style: {message}"), &hint));
                return None;
            }
        }
    } else {
        let simple = !written.is_empty()
            && written
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_');
        let local = root
            .canonical
            .join("styles")
            .join(format!("{written}.toml"));
        if simple && local.is_file() {
            let rel = format!("styles/{written}.toml");
            match root.resolve(&root.canonical, &rel) {
                Ok(r) => (r.abs, root.show(&rel), written.to_string()),
                Err(e) => {
                    let (message, hint) = root.explain(&e, &rel);
                    diags.push(place.error(spec, format!("style: {message}"), &hint));
                    return None;
                }
            }
        } else if let Some(found) = magazine.and_then(|m| {
            let shown_root = m.shown.parent().unwrap_or(Path::new("."));
            magazine::named_style(written, &m.root, &m.styles_dir, shown_root)
        }) {
            match found {
                Ok(StyleRef::File(abs, shown, name)) => (abs, shown, name),
                Ok(StyleRef::Builtin(name)) => return style::builtin(&name),
                Err((message, hint)) => {
                    diags.push(place.error(spec, message, &hint));
                    return None;
                }
            }
        } else if let Some(style) = style::builtin(written) {
            return Some(style);
        } else {
            let names = style::builtin_names();
            let hint = match tomlerr::nearest(written, &names) {
                Some(near) => format!("did you mean \"{near}\"?"),
                None => format!(
                    "built-in styles: {}; or write styles/{written}.toml in the edition folder, or name a .toml file",
                    names.join(", ")
                ),
            };
            diags.push(place.error(spec, format!("unknown style \"{written}\""), &hint));
            return None;
        }
    };
    style_file(&abs, &shown, &name, place, diags)
}

/// Reads and resolves the style file at `abs` (shown as `shown`), named `name`.
fn style_file(
    abs: &Path,
    shown: &Path,
    name: &str,
    place: &Place<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Style> {
    let text = match text::read_text(abs, shown, place.limits.text_file) {
        Ok(text) => text,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    style::resolve_text(&text, name, Some(abs.to_path_buf()), shown)
        .map_err(|mut d| diags.append(&mut d))
        .ok()
}

/// The longest `slug` in edition.toml, in characters.
const SLUG_CHARS: usize = 100;

/// Checks a `slug` from edition.toml, which names the output files: ASCII letters,
/// digits, `-`, `_` and `.`, not starting with `.` or `-` (no hidden file, no option),
/// at most [`SLUG_CHARS`] long; the reason it is refused otherwise.
fn check_slug(slug: &str) -> Result<&str, String> {
    if slug.is_empty() {
        return Err("it is empty".into());
    }
    if slug.chars().count() > SLUG_CHARS {
        return Err(format!("it is longer than {SLUG_CHARS} characters"));
    }
    if let Some(c) = slug
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return Err(format!(
            "{} may not be in a file name quire writes",
            if c.is_whitespace() || c.is_control() {
                format!("the character U+{:04X}", u32::from(c))
            } else {
                format!("`{c}`")
            }
        ));
    }
    if slug.starts_with(['.', '-']) {
        return Err("it may not start with `.` or `-`".into());
    }
    Ok(slug)
}

/// The edition's slug, which names its outputs: the name of its folder (`edition` for
/// `/`). A name that is not UTF-8 is an error: a lossy copy would name the outputs after
/// a folder that does not exist.
fn slug(canonical: &Path, dir: &Path) -> Result<String, Error> {
    let Some(name) = canonical.file_name() else {
        return Ok("edition".to_string());
    };
    match name.to_str() {
        Some(name) => Ok(name.to_string()),
        None => Err(Diagnostic::error(format!(
            "the edition folder's name `{}` is not UTF-8 text, and it names the outputs",
            name.to_string_lossy()
        ))
        .in_file(dir)
        .with_hint("rename the folder with letters, digits and hyphens (`my-issue-12`)")
        .into()),
    }
}

/// The stable id of an article: its file stem, with anything but ASCII letters, digits,
/// `-` and `_` replaced by `-`.
pub(crate) fn article_id(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let id: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if id.is_empty() { "article".into() } else { id }
}

/// Checks the sections and loads every article; an article's problems do not stop the
/// others from being checked.
fn sections(
    raw: &RawEdition,
    root: &Root,
    place: &Place<'_>,
    language: &Language,
    images: &mut Images,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Section> {
    if raw.section.is_empty() {
        diags.push(
            Diagnostic::error("the edition has no sections")
                .in_file(place.shown)
                .at(1, 1, 1)
                .with_hint(
                    "add a [[section]] with a `title` and a list of `articles` for each part of the issue",
                ),
        );
        return Vec::new();
    }
    // Canonical path → line where it was first listed; id → (path as written, line).
    let mut seen_files: HashMap<PathBuf, usize> = HashMap::new();
    let mut seen_ids: BTreeMap<String, (String, usize)> = BTreeMap::new();
    let mut out = Vec::new();
    for raw_section in &raw.section {
        let title = if let Some(d) =
            too_long(&raw_section.title, "title", place.limits.title_chars, place)
        {
            diags.push(d);
            String::new()
        } else {
            raw_section.title.get_ref().trim().to_string()
        };
        if title.is_empty()
            && raw_section
                .title
                .get_ref()
                .chars()
                .nth(place.limits.title_chars)
                .is_none()
        {
            diags.push(place.error(
                &raw_section.title,
                "the section's title is empty".into(),
                "name the section as it should appear in the contents",
            ));
        }
        if raw_section.articles.get_ref().is_empty() {
            diags.push(place.error(
                &raw_section.articles,
                format!("the section \"{title}\" has no articles"),
                "list at least one article file, or remove the section",
            ));
        }
        let article_start = raw_section.article_start.as_ref().and_then(|start| {
            let found = ArticleStart::from_name(start.get_ref());
            if found.is_none() {
                let names = ArticleStart::NAMES.map(|(n, _)| n);
                let hint = match tomlerr::nearest(start.get_ref(), &names) {
                    Some(near) => format!("did you mean \"{near}\"?"),
                    None => format!("write one of \"{}\"", names.join("\", \"")),
                };
                diags.push(place.error(
                    start,
                    format!(
                        "`article_start` is \"{}\"; it must be one of \"{}\"",
                        start.get_ref(),
                        names.join("\", \"")
                    ),
                    &hint,
                ));
            }
            found
        });
        let mut articles = Vec::new();
        for entry in raw_section.articles.get_ref() {
            let written = entry.get_ref();
            let line = place.line(entry);
            let resolved = match root.resolve(&root.canonical, written) {
                Ok(r) => r,
                Err(e) => {
                    let (message, hint) = root.explain(&e, written);
                    diags.push(place.error(entry, message, &hint));
                    continue;
                }
            };
            if let Some(first) = seen_files.get(&resolved.abs) {
                diags.push(place.error(
                    entry,
                    format!("the article `{written}` is listed twice (first on line {first})"),
                    "an article can appear only once in an edition",
                ));
                continue;
            }
            seen_files.insert(resolved.abs.clone(), line);
            let id = article_id(&resolved.abs);
            if let Some((other, other_line)) = seen_ids.get(&id) {
                diags.push(place.error(
                    entry,
                    format!(
                        "`{written}` and `{other}` (line {other_line}) would both get the id `{id}`"
                    ),
                    "article ids come from file names; rename one of the files",
                ));
                continue;
            }
            seen_ids.insert(id.clone(), (written.clone(), line));
            let shown = root.show(&resolved.rel);
            let source = match text::read_text(&resolved.abs, &shown, place.limits.text_file) {
                Ok(s) => s,
                // A file that cannot be read at all (too large, say) is reported where
                // it is listed; a bad byte at its line in the article.
                Err(d) if d.span.is_none() => {
                    let hint = d.hint.clone().unwrap_or_default();
                    diags.push(place.error(entry, d.message, &hint));
                    continue;
                }
                Err(d) => {
                    diags.push(d);
                    continue;
                }
            };
            let article_dir = resolved
                .abs
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| root.canonical.clone());
            let mut resolver = |src: &str, line: usize, column: usize| {
                let column = column_of(&source, src, line, column);
                image_at(root, &article_dir, &shown, images, src, line, column)
            };
            let parsed = article::parse(
                &source,
                &shown,
                &resolved.abs,
                id,
                language,
                &place.limits,
                &mut resolver,
            );
            match parsed {
                Ok(a) => articles.push(a),
                Err(mut d) => diags.append(&mut d),
            }
        }
        let title = markdown::smarten_plain(&title, &language.primary());
        out.push(Section {
            title,
            articles,
            article_start,
        });
    }
    out
}

/// Checks `cover_lines` (article files, the cover story first) against the articles the
/// sections list and yields their indexes in reading order; at most `most` of them.
fn cover_lines(
    raw: &RawEdition,
    list: &Spanned<Vec<Spanned<String>>>,
    most: usize,
    root: &Root,
    place: &Place<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<usize> {
    // Every listed article file, in reading order (problems with them are reported
    // where the sections name them).
    let listed: Vec<PathBuf> = raw
        .section
        .iter()
        .flat_map(|s| s.articles.get_ref())
        .filter_map(|e| root.resolve(&root.canonical, e.get_ref()).ok())
        .map(|r| r.abs)
        .collect();
    let mut out: Vec<usize> = Vec::new();
    for entry in list.get_ref() {
        let written = entry.get_ref();
        let abs = match root.resolve(&root.canonical, written) {
            Ok(r) => r.abs,
            Err(e) => {
                let (message, hint) = root.explain(&e, written);
                diags.push(place.error(entry, format!("cover_lines: {message}"), &hint));
                continue;
            }
        };
        match listed.iter().position(|p| *p == abs) {
            Some(i) if out.contains(&i) => diags.push(place.error(
                entry,
                format!("cover_lines: `{written}` is named twice"),
                "name each article once",
            )),
            Some(i) => out.push(i),
            None => diags.push(place.error(
                entry,
                format!("cover_lines: `{written}` is not an article of this edition"),
                "name a file listed in the `articles` of a [[section]]",
            )),
        }
    }
    let count = list.get_ref().len();
    if count > most {
        diags.push(place.error(
            list,
            format!("`cover_lines` names {count} articles; the style's cover names at most {most}"),
            &format!(
                "name at most {most}, or raise `cover_lines` in the style (see docs/format.md)"
            ),
        ));
    }
    out
}

/// The column at which `src` is written on `line` of `text`, at or after `column` (where
/// the image starts); `column` itself when it cannot be found (escaped characters).
fn column_of(text: &str, src: &str, line: usize, column: usize) -> usize {
    let Some(line_text) = text.lines().nth(line.saturating_sub(1)) else {
        return column;
    };
    let from = line_text
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line_text.len(), |(i, _)| i);
    match line_text[from..].find(src) {
        Some(i) if !src.is_empty() => column + line_text[from..from + i].chars().count(),
        _ => column,
    }
}

/// Images named in the edition: each file read and probed once; then all decoded in
/// parallel, a failure reported where the file was first named.
#[derive(Default)]
struct Images {
    /// The largest image file read (bytes).
    limit: u64,
    seen: HashMap<PathBuf, Image>,
    /// Each image and a diagnostic placed where it was first named (message still empty).
    first_use: Vec<(Image, Diagnostic)>,
}

impl Images {
    /// The image at `resolved`, probed on first use; `place` locates problems.
    fn get(&mut self, resolved: &Resolved, place: Diagnostic) -> Result<Image, Diagnostic> {
        if let Some(img) = self.seen.get(&resolved.abs) {
            return Ok(img.clone());
        }
        let img = image::probe(&resolved.abs, &resolved.rel, self.limit)
            .map_err(|problem| explained(place.clone(), problem))?;
        self.seen.insert(resolved.abs.clone(), img.clone());
        self.first_use.push((img.clone(), place));
        Ok(img)
    }

    /// Decodes every image completely and records those that fail.
    fn verify(self, diags: &mut Vec<Diagnostic>) {
        let list: Vec<&Image> = self.first_use.iter().map(|(img, _)| img).collect();
        let results = image::verify_all(&list);
        for ((_, place), result) in self.first_use.iter().zip(results) {
            if let Err(problem) = result {
                diags.push(explained(place.clone(), problem));
            }
        }
    }
}

/// Fills a placed diagnostic with a problem's message and hint.
fn explained(mut d: Diagnostic, (message, hint): image::Problem) -> Diagnostic {
    d.message = message;
    d.hint = (!hint.is_empty()).then_some(hint);
    d
}

/// Resolves and checks the image `src` written at `line`:`column` of the article `shown`
/// (in `article_dir`).
fn image_at(
    root: &Root,
    article_dir: &Path,
    shown: &Path,
    images: &mut Images,
    src: &str,
    line: usize,
    column: usize,
) -> Result<Image, Diagnostic> {
    let place =
        Diagnostic::error(String::new())
            .in_file(shown)
            .at(line, column, src.chars().count());
    let resolved = root.resolve(article_dir, src).map_err(|e| {
        let (message, hint) = root.explain(&e, src);
        explained(place.clone(), (format!("image: {message}"), hint))
    })?;
    images.get(&resolved, place)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_column_points_at_the_path() {
        let text = "---\n---\nSee ![Ünder](../img/a.png \"C\")\n";
        assert_eq!(column_of(text, "../img/a.png", 3, 5), 14);
        assert_eq!(column_of(text, "../img/b.png", 3, 5), 5);
        assert_eq!(column_of(text, "x", 9, 5), 5);
    }

    #[test]
    fn ids_from_file_names() {
        assert_eq!(article_id(Path::new("/e/articles/first.md")), "first");
        assert_eq!(article_id(Path::new("/e/a/Über uns.md")), "-ber-uns");
        assert_eq!(article_id(Path::new("/e/a/x.y.md")), "x-y");
    }

    #[test]
    fn slugs_are_safe_file_names() {
        for good in ["spring-2026", "No_7", "v1.2", "a"] {
            assert_eq!(check_slug(good), Ok(good));
        }
        for bad in [
            "",
            ".hidden",
            "-rf",
            "a/b",
            "..",
            "a b",
            "é",
            "a\\b",
            "x\n",
            &"a".repeat(101),
        ] {
            assert!(check_slug(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn font_dirs_edition_then_magazine() {
        let dir = tempfile::tempdir().unwrap();
        let project = std::fs::canonicalize(dir.path()).unwrap().join("mag");
        let root = project.join("issues").join("42");
        std::fs::create_dir_all(root.join("fonts")).unwrap();
        std::fs::create_dir_all(project.join("fonts")).unwrap();
        // Without quire.toml the folder above is not a magazine: no shared fonts.
        assert_eq!(font_dirs(&root, None), vec![root.join("fonts")]);
        std::fs::write(project.join("quire.toml"), "issues = \"issues\"\n").unwrap();
        let m = Magazine::of_edition(&root, &root).unwrap().unwrap();
        assert_eq!(
            font_dirs(&root, Some(&m)),
            vec![root.join("fonts"), project.join("fonts")]
        );
        std::fs::remove_dir(root.join("fonts")).unwrap();
        assert_eq!(font_dirs(&root, Some(&m)), vec![project.join("fonts")]);
        let lone = dir.path().join("lone");
        std::fs::create_dir_all(&lone).unwrap();
        assert!(font_dirs(&lone, None).is_empty());
    }
}
