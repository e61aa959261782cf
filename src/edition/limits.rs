//! The `[limits]` table of `edition.toml` and the `--max-file-size` override, checked
//! once into [`Limits`]: a key not known, a value that is not a whole number, or one
//! outside its range is an error at its line, with the range in the hint.

use std::path::{Path, PathBuf};

use toml::Spanned;

use super::tomlerr::{self, Seg};
use crate::diag::Diagnostic;
use crate::model::{LIMIT_KEYS, Limits};

/// What the command line overrides.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// `--max-file-size`: the limit of every text, image and font file, in MB; it also
    /// limits `edition.toml` itself, and wins over `[limits]`.
    pub max_file_mb: Option<u64>,
    /// `--font-path`: more font folders, after the edition's and the project's.
    pub font_paths: Vec<PathBuf>,
    /// Look at the system's fonts for families no other source has (the command line's
    /// default; off for the library, so that tests never depend on the machine).
    pub system_fonts: bool,
}

/// The hard ceiling of `--max-file-size` (MB): the lowest ceiling of the file limits.
pub const MAX_FILE_MB_CEILING: u64 = 256;

impl LoadOptions {
    /// The limit `edition.toml` itself is read under (bytes).
    pub(crate) fn edition_toml(&self) -> u64 {
        self.max_file_mb
            .map_or(Limits::default().text_file, |mb| mb * crate::model::MB)
    }
}

/// The limits of an edition: the defaults, then `[limits]` as written (`table`, in
/// `text`, the file `shown`), then `options`. Every bad entry is returned as a diagnostic
/// (and left at its default).
pub(crate) fn resolve(
    table: Option<&Spanned<toml::Table>>,
    text: &str,
    shown: &Path,
    options: &LoadOptions,
) -> (Limits, Vec<Diagnostic>) {
    let mut limits = Limits::default();
    let mut diags = Vec::new();
    let keys: Vec<&str> = LIMIT_KEYS.iter().map(|k| k.key).collect();
    for (key, value) in table.map(|t| t.get_ref().iter()).into_iter().flatten() {
        let span = tomlerr::locate(text, &[Seg::Key("limits"), Seg::Key(key)])
            .or_else(|| table.map(Spanned::span))
            .unwrap_or(0..0);
        let (line, column, width) = tomlerr::position(text, span, 1);
        let error = |message: String, hint: String| {
            Diagnostic::error(message)
                .in_file(shown)
                .at(line, column, width)
                .with_hint(hint)
        };
        let Some(known) = LIMIT_KEYS.iter().find(|k| k.key == key) else {
            let hint = match tomlerr::nearest(key, &keys) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("known keys here: {}", keys.join(", ")),
            };
            diags.push(error(format!("unknown key `limits.{key}`"), hint));
            continue;
        };
        let range = format!(
            "a whole number of {} from {} to {}",
            known.unit, known.min, known.max
        );
        let number = match value {
            toml::Value::Integer(n) => u64::try_from(*n).ok(),
            _ => None,
        };
        match number {
            None => diags.push(error(
                format!("`limits.{key}` must be a whole number of {}", known.unit),
                format!("write {range}, without quotes"),
            )),
            Some(n) if n < known.min => diags.push(error(
                format!("`limits.{key}` = {n} is below the least value, {}", known.min),
                format!("write {range}"),
            )),
            Some(n) if n > known.max => diags.push(error(
                format!(
                    "`limits.{key}` = {n} is above its hard ceiling of {} {}: raising it further would not be safe",
                    known.max, known.unit
                ),
                format!("write {range}; a larger input is better split or made smaller"),
            )),
            Some(n) => {
                limits.set(key, n);
            }
        }
    }
    diags.sort_by_key(|d| d.span.map(|s| s.line));
    if let Some(mb) = options.max_file_mb {
        for key in ["text_file_mb", "image_file_mb", "font_file_mb"] {
            limits.set(key, mb);
        }
    }
    (limits, diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolved(text: &str, options: LoadOptions) -> (Limits, Vec<String>) {
        #[derive(serde::Deserialize)]
        struct Doc {
            limits: Option<Spanned<toml::Table>>,
        }
        let doc: Doc = toml::from_str(text).unwrap();
        let (limits, diags) = resolve(doc.limits.as_ref(), text, Path::new("e.toml"), &options);
        let shown = diags
            .iter()
            .map(|d| format!("{}:{}", d.span.map_or(0, |s| s.line), d.message))
            .collect();
        (limits, shown)
    }

    #[test]
    fn overrides_up_and_down_within_the_ceilings() {
        let text = "[limits]\ntext_file_mb = 200\ntitle_chars = 10\nyaml_depth = 128\n";
        let (limits, errors) = resolved(text, LoadOptions::default());
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(limits.text_file, 200 * crate::model::MB);
        assert_eq!(limits.title_chars, 10);
        assert_eq!(limits.yaml_depth, 128);
        assert_eq!(limits.url_bytes, Limits::default().url_bytes);
    }

    #[test]
    fn bad_values_are_errors_at_their_lines_and_keep_the_default() {
        let text = "[limits]\ntext_file_mb = 0\nurl_bytes = 40000\ntitle_chars = \"9\"\ntitle_char = 3\nyaml_depth = -1\n";
        let (limits, errors) = resolved(text, LoadOptions::default());
        assert_eq!(limits, Limits::default());
        assert_eq!(errors.len(), 5, "{errors:?}");
        assert!(
            errors[0].starts_with("2:`limits.text_file_mb` = 0 is below"),
            "{errors:?}"
        );
        assert!(
            errors[1]
                .starts_with("3:`limits.url_bytes` = 40000 is above its hard ceiling of 32000"),
            "{errors:?}"
        );
        assert!(
            errors[2].starts_with("4:`limits.title_chars` must be a whole number"),
            "{errors:?}"
        );
        assert_eq!(errors[3], "5:unknown key `limits.title_char`");
        assert!(
            errors[4].starts_with("6:`limits.yaml_depth` must be a whole number"),
            "{errors:?}"
        );
    }

    #[test]
    fn the_command_line_wins_over_the_file() {
        let text = "[limits]\nimage_file_mb = 500\n";
        let options = LoadOptions {
            max_file_mb: Some(2),
            ..LoadOptions::default()
        };
        let (limits, _) = resolved(text, options.clone());
        assert_eq!(limits.image_file, 2 * crate::model::MB);
        assert_eq!(limits.text_file, 2 * crate::model::MB);
        assert_eq!(options.edition_toml(), 2 * crate::model::MB);
        assert_eq!(LoadOptions::default().edition_toml(), 16 * crate::model::MB);
    }
}
