//! The size and length limits that reading an edition obeys, so hostile input cannot hang
//! quire or exhaust memory: each has a documented default, may be overridden (in
//! `edition.toml`'s `[limits]` table, or by `--max-file-size`) and has a hard ceiling
//! above which raising it would be unsafe. Listed in `docs/format.md` ("Limits").

/// One MB, as the limits count it.
pub const MB: u64 = 1024 * 1024;

/// The limits of one edition's reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Text files: articles, styles, `hyphenation.txt` (bytes).
    pub text_file: u64,
    /// Image files, PNG and JPEG (bytes).
    pub image_file: u64,
    /// Font files (bytes).
    pub font_file: u64,
    /// Title-like values: titles, kickers, names, labels (characters).
    pub title_chars: usize,
    /// Description-like values: standfirst, description, rights (characters).
    pub text_chars: usize,
    /// A link's address (bytes).
    pub url_bytes: usize,
    /// How deep brackets and braces may nest in YAML front matter.
    pub yaml_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            text_file: 16 * MB,
            image_file: 64 * MB,
            font_file: 64 * MB,
            title_chars: 2_000,
            text_chars: 20_000,
            url_bytes: 8_192,
            yaml_depth: 64,
        }
    }
}

/// One limit as written in `[limits]`: its key, unit, and the range it may be set to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitKey {
    /// The key in `[limits]`.
    pub key: &'static str,
    /// The unit of its value, for messages.
    pub unit: &'static str,
    /// The least value (every limit is at least 1).
    pub min: u64,
    /// The hard ceiling: above it, quire's memory or time, or the PDF format's own
    /// limits, would no longer be safe.
    pub max: u64,
}

/// Every key of `[limits]`, in the order documented.
pub const LIMIT_KEYS: &[LimitKey] = &[
    // A text file is parsed and laid out whole: 256 MB of Markdown takes minutes and GBs.
    LimitKey {
        key: "text_file_mb",
        unit: "MB",
        min: 1,
        max: 256,
    },
    // Image and font files are held in memory while the outputs are written.
    LimitKey {
        key: "image_file_mb",
        unit: "MB",
        min: 1,
        max: 1024,
    },
    LimitKey {
        key: "font_file_mb",
        unit: "MB",
        min: 1,
        max: 1024,
    },
    // Long titles are laid out as text; 10,000 characters fill pages already.
    LimitKey {
        key: "title_chars",
        unit: "characters",
        min: 1,
        max: 10_000,
    },
    LimitKey {
        key: "text_chars",
        unit: "characters",
        min: 1,
        max: 200_000,
    },
    // A PDF/A string holds at most 32,767 bytes; a link's address is one.
    LimitKey {
        key: "url_bytes",
        unit: "bytes",
        min: 1,
        max: 32_000,
    },
    // The YAML reader refuses to recurse deeper than 128.
    LimitKey {
        key: "yaml_depth",
        unit: "levels",
        min: 1,
        max: 128,
    },
];

impl Limits {
    /// The value of `key` (one of [`LIMIT_KEYS`]) in its documented unit.
    pub fn get(&self, key: &str) -> Option<u64> {
        Some(match key {
            "text_file_mb" => self.text_file / MB,
            "image_file_mb" => self.image_file / MB,
            "font_file_mb" => self.font_file / MB,
            "title_chars" => self.title_chars as u64,
            "text_chars" => self.text_chars as u64,
            "url_bytes" => self.url_bytes as u64,
            "yaml_depth" => self.yaml_depth as u64,
            _ => return None,
        })
    }

    /// Sets `key` to `value` (in its unit); false for an unknown key. The caller checks
    /// the range ([`LimitKey`]).
    pub fn set(&mut self, key: &str, value: u64) -> bool {
        let count = usize::try_from(value).unwrap_or(usize::MAX);
        match key {
            "text_file_mb" => self.text_file = value.saturating_mul(MB),
            "image_file_mb" => self.image_file = value.saturating_mul(MB),
            "font_file_mb" => self.font_file = value.saturating_mul(MB),
            "title_chars" => self.title_chars = count,
            "text_chars" => self.text_chars = count,
            "url_bytes" => self.url_bytes = count,
            "yaml_depth" => self.yaml_depth = count,
            _ => return false,
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_reads_back_what_was_set_and_defaults_lie_within_range() {
        let defaults = Limits::default();
        let mut limits = Limits::default();
        for k in LIMIT_KEYS {
            let default = defaults.get(k.key).unwrap();
            assert!((k.min..=k.max).contains(&default), "{}", k.key);
            assert!(limits.set(k.key, k.max));
            assert_eq!(limits.get(k.key), Some(k.max));
        }
        assert!(!limits.set("nope", 1));
        assert_eq!(limits.get("nope"), None);
    }
}
