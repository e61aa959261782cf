//! A magazine folder: `quire.toml` at its root names the metadata every issue shares, the
//! house style, the shared `styles/`, `fonts/` and `images/` folders and where the issues
//! live. An edition inside the folder the `issues` key names inherits from it.
//!
//! ```toml
//! title = "The Alder Quarterly"
//! language = "en-GB"
//! publisher = "Alder & Flint Press"
//! issn = "2977-1439"
//! style = "house"              # styles/house.toml of the magazine, or a built-in style
//! issues = "issues"            # each folder of issues/ holding an edition.toml is an issue
//! issue_folder = "issues/{issue}"
//! ```
//!
//! Inheritance (docs/format.md, "quire.toml"): a key the edition writes wins; lists are
//! replaced, never merged; every other key of `edition.toml` is the issue's own.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::paths;
use super::tomlerr;
use super::values::Names;
use super::{meta, style, text};
use crate::Error;
use crate::diag::Diagnostic;
use crate::model::Date;

/// The name of a magazine's configuration file.
pub const FILE: &str = "quire.toml";

/// The largest `quire.toml` read (bytes).
const MAX_BYTES: u64 = 1024 * 1024;

/// `quire.toml` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMagazine {
    pub title: Option<Spanned<String>>,
    pub subtitle: Option<Spanned<String>>,
    pub language: Option<Spanned<String>>,
    pub publisher: Option<Spanned<String>>,
    pub editors: Option<Names>,
    pub issn: Option<Spanned<String>>,
    pub subjects: Option<Names>,
    pub rights: Option<Spanned<String>>,
    pub accessibility_certifier: Option<Spanned<String>>,
    pub style: Option<Spanned<String>>,
    issues: Option<Spanned<String>>,
    issue_folder: Option<Spanned<String>>,
    styles: Option<Spanned<String>>,
    fonts: Option<Spanned<String>>,
    images: Option<Spanned<String>>,
    out: Option<Spanned<String>>,
}

/// The keys of `edition.toml` an issue inherits from `quire.toml`.
pub const INHERITED_KEYS: [&str; 10] = [
    "title",
    "subtitle",
    "language",
    "publisher",
    "editors",
    "issn",
    "subjects",
    "rights",
    "accessibility_certifier",
    "style",
];

/// A loaded and checked magazine folder.
#[derive(Debug)]
pub struct Magazine {
    /// The folder holding `quire.toml`, canonical.
    pub root: PathBuf,
    /// `quire.toml` as it is named in messages.
    pub shown: PathBuf,
    /// The values as written (already checked), for inheritance.
    pub(crate) raw: RawMagazine,
    /// The style `quire.toml` names, resolved: a file in the magazine or a built-in name.
    pub(crate) style: Option<StyleRef>,
    /// Where the issues are: a folder or a glob, relative to `root`, `/`-separated.
    pub issues: String,
    /// The folder name pattern of a new issue, relative to `root`.
    pub issue_folder: String,
    /// The shared styles folder (`styles`), under `root`.
    pub styles_dir: PathBuf,
    /// The shared fonts folder (`fonts`), under `root`.
    pub fonts_dir: PathBuf,
    /// The shared images folder (`images`), under `root`.
    pub images_dir: PathBuf,
    /// Where `quire build` without an edition writes, relative to `root`.
    pub out: PathBuf,
}

/// A style named by `quire.toml`.
#[derive(Debug, Clone)]
pub(crate) enum StyleRef {
    /// A style file inside the magazine: canonical path, path shown in messages, name.
    File(PathBuf, PathBuf, String),
    /// A built-in style.
    Builtin(String),
}

/// The nearest `quire.toml` at or above `start` (a folder), if any.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(start).ok()?;
    start
        .ancestors()
        .find(|a| a.join(FILE).is_file())
        .map(Path::to_path_buf)
}

/// Loads the magazine whose root holds `quire.toml`; `shown_root` names the root in
/// messages. Every problem in the file is reported together.
pub fn load(root: &Path, shown_root: &Path) -> Result<Magazine, Error> {
    let root = std::fs::canonicalize(root).map_err(|source| Error::Io {
        path: root.to_path_buf(),
        source,
    })?;
    let shown = shown_root.join(FILE);
    let source = text::read_text(&root.join(FILE), &shown, MAX_BYTES)?;
    let (raw, mut diags): (RawMagazine, _) =
        tomlerr::from_str_all(&source, &shown).map_err(Error::Input)?;
    let error = |at: &Spanned<String>, message: String, hint: &str| {
        let (line, column, width) = tomlerr::position(&source, at.span(), 1);
        let d = Diagnostic::error(message)
            .in_file(&shown)
            .at(line, column, width);
        if hint.is_empty() {
            d
        } else {
            d.with_hint(hint)
        }
    };
    if let Some(lang) = &raw.language
        && let Err(hint) = meta::language(lang.get_ref())
    {
        let message = format!("`{}` is not a valid BCP 47 language tag", lang.get_ref());
        diags.push(error(lang, message, &hint));
    }
    if let Some(issn) = &raw.issn
        && !issn.get_ref().trim().is_empty()
        && let Err(message) = meta::issn(issn.get_ref())
    {
        let hint = "copy the ISSN exactly as registered; its last digit is a checksum";
        diags.push(error(issn, message, hint));
    }
    for (key, value) in [("title", &raw.title), ("language", &raw.language)] {
        if let Some(v) = value
            && v.get_ref().trim().is_empty()
        {
            let hint = "give it a value, or leave the key out";
            diags.push(error(v, format!("`{key}` is empty"), hint));
        }
    }
    // Folder keys: relative, inside the magazine.
    let mut folder = |value: &Option<Spanned<String>>, key: &str, default: &str| -> String {
        let Some(v) = value else {
            return default.to_string();
        };
        let written = v.get_ref().trim().trim_end_matches('/');
        match inside_lexically(written) {
            Ok(rel) => rel,
            Err(message) => {
                let hint = "write a path relative to the folder of quire.toml, inside it";
                diags.push(error(v, format!("`{key}`: {message}"), hint));
                default.to_string()
            }
        }
    };
    let issues = folder(&raw.issues, "issues", "issues");
    let styles = folder(&raw.styles, "styles", "styles");
    let fonts = folder(&raw.fonts, "fonts", "fonts");
    let images = folder(&raw.images, "images", "images");
    let out = folder(&raw.out, "out", "out");
    let literal: Vec<&str> = issues.split('/').take_while(|c| !has_wildcard(c)).collect();
    let default_pattern = if literal.is_empty() {
        "{issue}".to_string()
    } else {
        format!("{}/{{issue}}", literal.join("/"))
    };
    let issue_folder = folder(&raw.issue_folder, "issue_folder", &default_pattern);
    if glob::Pattern::new(&issues).is_err()
        && let Some(v) = &raw.issues
    {
        let hint = "a folder (\"issues\") or a pattern such as \"issues/*\" or \"20*/*\"";
        diags.push(error(
            v,
            format!("`issues`: `{issues}` is not a valid pattern"),
            hint,
        ));
    }
    if let Some(v) = &raw.issue_folder
        && let Err(message) = check_pattern(&issue_folder)
    {
        diags.push(error(v, format!("`issue_folder`: {message}"), PATTERN_HINT));
    }
    let styles_dir = root.join(&styles);
    let style = raw.style.as_ref().and_then(|spec| {
        resolve_style(spec.get_ref().trim(), &root, &styles_dir, shown_root)
            .map_err(|(message, hint)| diags.push(error(spec, message, &hint)))
            .ok()
    });
    if !diags.is_empty() {
        return Err(Error::Input(diags));
    }
    Ok(Magazine {
        fonts_dir: root.join(fonts),
        images_dir: root.join(images),
        out: PathBuf::from(out),
        styles_dir,
        root,
        shown,
        raw,
        style,
        issues,
        issue_folder,
    })
}

const PATTERN_HINT: &str =
    "placeholders: {issue}, {issue:03} (zero-padded), {year}, {month}, {day}";

/// `written` as a `/`-separated path inside the magazine, or why it is not.
fn inside_lexically(written: &str) -> Result<String, String> {
    if written.is_empty() {
        return Err("the path is empty".into());
    }
    if written.starts_with('/') || written.starts_with('\\') || Path::new(written).is_absolute() {
        return Err(format!("`{written}` is absolute"));
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in written.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(format!("`{written}` leaves the magazine folder"));
                }
            }
            p => parts.push(p),
        }
    }
    if parts.is_empty() {
        return Err(format!("`{written}` is the magazine folder itself"));
    }
    Ok(parts.join("/"))
}

fn has_wildcard(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// Resolves the style `quire.toml` names: a `.toml` path relative to the magazine, a name
/// in its styles folder, or a built-in style.
fn resolve_style(
    written: &str,
    root: &Path,
    styles_dir: &Path,
    shown_root: &Path,
) -> Result<StyleRef, (String, String)> {
    if written.ends_with(".toml") {
        return match paths::resolve(root, root, written) {
            Ok(r) => {
                let name = Path::new(&r.rel)
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                Ok(StyleRef::File(r.abs, shown_root.join(&r.rel), name))
            }
            Err(e) => {
                let (message, hint) = e.explain(written);
                Err((
                    format!(
                        "style: {}",
                        message.replace("edition folder", "magazine folder")
                    ),
                    hint.replace("edition", "magazine"),
                ))
            }
        };
    }
    if let Some(found) = named_style(written, root, styles_dir, shown_root) {
        return found;
    }
    if style::builtin(written).is_some() {
        return Ok(StyleRef::Builtin(written.to_string()));
    }
    let names = style::builtin_names();
    let hint = match tomlerr::nearest(written, &names) {
        Some(near) => format!("did you mean \"{near}\"?"),
        None => format!(
            "built-in styles: {}; or write {written}.toml in the magazine's styles folder",
            names.join(", ")
        ),
    };
    Err((format!("unknown style \"{written}\""), hint))
}

/// The style file `<styles_dir>/<name>.toml` when `name` is a plain name and the file
/// exists (checked to stay inside the magazine).
pub(crate) fn named_style(
    name: &str,
    root: &Path,
    styles_dir: &Path,
    shown_root: &Path,
) -> Option<Result<StyleRef, (String, String)>> {
    let simple = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_');
    let file = styles_dir.join(format!("{name}.toml"));
    if !simple || std::fs::symlink_metadata(&file).is_err() {
        return None;
    }
    let rel = paths::relative(root, &file);
    Some(match paths::resolve(root, root, &rel) {
        Ok(r) => Ok(StyleRef::File(
            r.abs,
            shown_root.join(&r.rel),
            name.to_string(),
        )),
        Err(e) => {
            let (message, hint) = e.explain(&rel);
            Err((
                format!(
                    "style: {}",
                    message.replace("edition folder", "magazine folder")
                ),
                hint.replace("edition", "magazine"),
            ))
        }
    })
}

impl Magazine {
    /// The magazine an edition folder (canonical) is an issue of: the nearest `quire.toml`
    /// above it, when its `issues` names the folder. `shown` is the edition as named.
    pub fn of_edition(edition: &Path, shown: &Path) -> Result<Option<Magazine>, Error> {
        let Some(root) = edition.parent().and_then(find_root) else {
            return Ok(None);
        };
        let depth = edition
            .strip_prefix(&root)
            .map_or(0, |r| r.components().count());
        let mut shown_root = shown.to_path_buf();
        for _ in 0..depth {
            shown_root.push("..");
        }
        let shown_root = tidy(&shown_root, &root);
        let magazine = load(&root, &shown_root)?;
        Ok(magazine.has_issue(edition).then_some(magazine))
    }

    /// Whether the canonical folder `dir` is one of the issues `issues` names.
    pub fn has_issue(&self, dir: &Path) -> bool {
        let Ok(rel) = dir.strip_prefix(&self.root) else {
            return false;
        };
        let rel = paths::relative(Path::new(""), rel);
        if has_wildcard(&self.issues) {
            let options = glob::MatchOptions {
                require_literal_separator: true,
                ..glob::MatchOptions::default()
            };
            glob::Pattern::new(&self.issues).is_ok_and(|p| p.matches_with(&rel, options))
        } else {
            rel.rsplit_once('/')
                .is_some_and(|(parent, _)| parent == self.issues)
        }
    }

    /// Every issue folder (canonical, holding an edition.toml), in path order.
    pub fn issue_dirs(&self) -> Vec<PathBuf> {
        let pattern = if has_wildcard(&self.issues) {
            self.issues.clone()
        } else {
            format!("{}/*", self.issues)
        };
        let full = format!(
            "{}/{}",
            glob::Pattern::escape(&self.root.to_string_lossy()),
            pattern
        );
        let mut dirs: Vec<PathBuf> = glob::glob(&full)
            .map(|paths| {
                paths
                    .filter_map(Result::ok)
                    .filter(|p| p.join("edition.toml").is_file())
                    .filter_map(|p| std::fs::canonicalize(p).ok())
                    .filter(|p| p.starts_with(&self.root))
                    .collect()
            })
            .unwrap_or_default();
        dirs.sort();
        dirs.dedup();
        dirs
    }

    /// The shared folders whose files every issue may use (styles, fonts, images).
    pub fn shared_dirs(&self) -> [&Path; 3] {
        [&self.styles_dir, &self.fonts_dir, &self.images_dir]
    }
}

/// How to name the magazine folder `root` (canonical) in messages: relative to the
/// current folder when it is inside it or above it (empty, `harbour`, `../..`), else
/// `path` (the edition's name with `..` parts) when that is short, else `root`.
fn tidy(path: &Path, root: &Path) -> PathBuf {
    match shown_from_cwd(root) {
        Some(shown) => shown,
        None if path.is_relative() && path.components().count() <= 6 => path.to_path_buf(),
        None => root.to_path_buf(),
    }
}

/// `root` (canonical) relative to the current folder, when one is inside the other: empty
/// for the current folder itself, `harbour` below it, `../..` above it.
pub fn shown_from_cwd(root: &Path) -> Option<PathBuf> {
    let cwd = std::fs::canonicalize(std::env::current_dir().ok()?).ok()?;
    if let Ok(rel) = root.strip_prefix(&cwd) {
        return Some(rel.to_path_buf());
    }
    let depth = cwd.strip_prefix(root).ok()?.components().count();
    Some((0..depth).map(|_| "..").collect())
}

/// Checks a folder pattern's placeholders.
fn check_pattern(pattern: &str) -> Result<(), String> {
    let sample = Date {
        year: 2026,
        month: 1,
        day: 1,
    };
    fill_pattern(pattern, "1", sample).map(|_| ())
}

/// Fills `{issue}`, `{issue:0N}`, `{year}`, `{month}` and `{day}` in `pattern`.
pub(crate) fn fill_pattern(pattern: &str, issue: &str, date: Date) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            return Err(format!("`{pattern}` has a `{{` without its `}}`"));
        };
        let name = &rest[open + 1..open + close];
        let value = match name {
            "issue" => issue.to_string(),
            "year" => format!("{:04}", date.year),
            "month" => format!("{:02}", date.month),
            "day" => format!("{:02}", date.day),
            _ => match name.strip_prefix("issue:0").map(str::parse::<usize>) {
                Some(Ok(width)) if width <= 9 => format!("{issue:0>width$}"),
                _ => return Err(format!("unknown placeholder `{{{name}}}` in `{pattern}`")),
            },
        };
        out.push_str(&value);
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's days-from-civil).
pub(crate) fn days(date: Date) -> i64 {
    let (m, d) = (i64::from(date.month), i64::from(date.day));
    let y = i64::from(date.year) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date `n` days after 1970-01-01.
pub(crate) fn from_days(n: i64) -> Date {
    let z = n + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Date {
        year: year.clamp(0, 9999) as u16,
        month: month as u8,
        day: day as u8,
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `date` plus `months` months, the day kept (or the month's last day when shorter).
pub(crate) fn add_months(date: Date, months: i64) -> Date {
    let index = i64::from(date.year) * 12 + i64::from(date.month) - 1 + months;
    let year = index.div_euclid(12).clamp(0, 9999) as u16;
    let month = (index.rem_euclid(12) + 1) as u8;
    Date {
        year,
        month,
        day: date.day.min(days_in_month(year, month)),
    }
}

/// The next issue's date from the last two: the same number of months on when both fall
/// on the same day of the month, else the same number of days; a month after a lone issue.
pub fn next_date(previous: Option<Date>, last: Date) -> Date {
    match previous {
        Some(p) if days(p) < days(last) => {
            let months = (i64::from(last.year) * 12 + i64::from(last.month))
                - (i64::from(p.year) * 12 + i64::from(p.month));
            if p.day == last.day {
                add_months(last, months)
            } else {
                from_days(days(last) + days(last) - days(p))
            }
        }
        _ => add_months(last, 1),
    }
}

/// The label after `issue`: its one run of digits plus one, zero padding kept (`No. 7` →
/// `No. 8`, `009` → `010`); `None` when it has no single number.
pub fn next_issue_label(issue: &str) -> Option<String> {
    let n = meta::issue_number(issue)?;
    let start = issue.find(|c: char| c.is_ascii_digit())?;
    let len = issue[start..]
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(issue.len() - start);
    let next = format!("{:0>len$}", n + 1);
    Some(format!(
        "{}{next}{}",
        &issue[..start],
        &issue[start + len..]
    ))
}

/// Today's date (UTC), or the date of `SOURCE_DATE_EPOCH` when it is set.
pub fn today() -> Date {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    from_days(seconds.div_euclid(86_400))
}

/// An issue as its `edition.toml` says: its label and date (lenient: for suggestions).
#[derive(Debug, Clone)]
pub struct IssueInfo {
    /// The issue folder, canonical.
    pub dir: PathBuf,
    /// Its `issue` label.
    pub issue: String,
    /// Its `date`, when valid.
    pub date: Option<Date>,
    /// The section titles, in order.
    pub sections: Vec<String>,
    /// The `style` the issue writes itself, when it is a name (not a path).
    pub style: Option<String>,
}

/// Reads what `quire new` needs from an issue's `edition.toml`; `None` when unreadable.
pub fn issue_info(dir: &Path) -> Option<IssueInfo> {
    let text = text::read_text(&dir.join("edition.toml"), dir, MAX_BYTES).ok()?;
    let table: toml::Table = toml::from_str(&text).ok()?;
    let issue = match table.get("issue")? {
        toml::Value::String(s) => s.clone(),
        toml::Value::Integer(n) => n.to_string(),
        _ => return None,
    };
    let date = match table.get("date") {
        Some(toml::Value::String(s)) => meta::date(s).ok(),
        Some(toml::Value::Datetime(d)) => meta::date(&d.to_string()).ok(),
        _ => None,
    };
    let sections = table
        .get("section")
        .and_then(toml::Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|s| s.get("title")?.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let style = table
        .get("style")
        .and_then(toml::Value::as_str)
        .filter(|s| !s.ends_with(".toml"))
        .map(str::to_string);
    Some(IssueInfo {
        dir: dir.to_path_buf(),
        issue,
        date,
        sections,
        style,
    })
}

/// The issues in publication order (by date, then number, then folder).
pub fn issues_in_order(magazine: &Magazine) -> Vec<IssueInfo> {
    let mut list: Vec<IssueInfo> = magazine
        .issue_dirs()
        .iter()
        .filter_map(|d| issue_info(d))
        .collect();
    list.sort_by_key(|i| {
        (
            i.date.map(days),
            meta::issue_number(&i.issue),
            i.dir.clone(),
        )
    });
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(year: u16, month: u8, day: u8) -> Date {
        Date { year, month, day }
    }

    #[test]
    fn dates_round_trip_through_days() {
        for date in [
            d(1970, 1, 1),
            d(2000, 2, 29),
            d(2026, 12, 31),
            d(2027, 3, 1),
        ] {
            assert_eq!(from_days(days(date)), date);
        }
        assert_eq!(days(d(1970, 1, 2)), 1);
    }

    #[test]
    fn next_date_follows_the_interval() {
        // Monthly on the first: a month on.
        assert_eq!(next_date(Some(d(2026, 1, 1)), d(2026, 2, 1)), d(2026, 3, 1));
        // Quarterly: three months on, across the year.
        assert_eq!(
            next_date(Some(d(2026, 8, 1)), d(2026, 11, 1)),
            d(2027, 2, 1)
        );
        // Fortnightly: fourteen days on.
        assert_eq!(
            next_date(Some(d(2026, 1, 3)), d(2026, 1, 17)),
            d(2026, 1, 31)
        );
        // One issue only: a month on, the day clamped to the month's length.
        assert_eq!(next_date(None, d(2026, 1, 31)), d(2026, 2, 28));
    }

    #[test]
    fn next_labels_keep_their_shape() {
        assert_eq!(next_issue_label("7").as_deref(), Some("8"));
        assert_eq!(next_issue_label("No. 9").as_deref(), Some("No. 10"));
        assert_eq!(next_issue_label("009").as_deref(), Some("010"));
        assert_eq!(next_issue_label("Spring 2026"), None);
    }

    #[test]
    fn patterns_fill_and_refuse_unknown_placeholders() {
        let date = d(2026, 3, 1);
        assert_eq!(
            fill_pattern("issues/{year}-{month}-{issue:03}", "7", date).unwrap(),
            "issues/2026-03-007"
        );
        assert!(fill_pattern("issues/{nmber}", "7", date).is_err());
        assert!(fill_pattern("issues/{issue", "7", date).is_err());
    }

    #[test]
    fn folder_keys_stay_inside() {
        assert_eq!(inside_lexically("./issues/").unwrap(), "issues");
        assert!(inside_lexically("../elsewhere").is_err());
        assert!(inside_lexically("/abs").is_err());
        assert!(inside_lexically("a/../..").is_err());
    }
}
