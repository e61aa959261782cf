//! Reading text files: UTF-8 checked, with the line of the first bad byte in the error.

use std::path::Path;

use crate::diag::Diagnostic;

/// Reads `path` (a regular file of at most `limit` bytes) as UTF-8 text (a leading byte-order mark is dropped). `shown` is the path
/// used in messages (as the user wrote it).
pub(crate) fn read_text(path: &Path, shown: &Path, limit: u64) -> Result<String, Diagnostic> {
    let bytes = super::read::read_regular(path, &shown.display().to_string(), limit).map_err(
        |(message, hint)| {
            let d = Diagnostic::error(message).in_file(shown);
            if hint.is_empty() {
                d
            } else {
                d.with_hint(hint)
            }
        },
    )?;
    decode_utf8(bytes, shown)
}

/// Turns `bytes` into text, or names the line and column of the first byte that is not UTF-8.
pub(crate) fn decode_utf8(bytes: Vec<u8>, shown: &Path) -> Result<String, Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..'\u{feff}'.len_utf8());
            }
            Ok(text)
        }
        Err(e) => {
            let bytes = e.as_bytes();
            let good = e.utf8_error().valid_up_to();
            // The prefix is valid UTF-8, so counting in it is safe.
            let prefix = std::str::from_utf8(&bytes[..good]).unwrap_or_default();
            let (line, column) = crate::diag::line_col(prefix, prefix.len());
            Err(Diagnostic::error(format!(
                "the file is not valid UTF-8: byte 0x{:02X} at line {line}, column {column}",
                bytes[good]
            ))
            .in_file(shown)
            .at(line, column, 1)
            .with_hint("save the file with UTF-8 encoding"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_line_and_column_of_first_bad_byte() {
        let bytes = b"title = \"ok\"\nab\xE9c\n".to_vec();
        let d = decode_utf8(bytes, Path::new("e/edition.toml")).unwrap_err();
        let span = d.span.unwrap();
        assert_eq!((span.line, span.column), (2, 3));
        assert!(d.message.contains("0xE9"), "{}", d.message);
    }

    #[test]
    fn drops_byte_order_mark() {
        let text = decode_utf8("\u{feff}a".as_bytes().to_vec(), Path::new("x")).unwrap();
        assert_eq!(text, "a");
    }
}
