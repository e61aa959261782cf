//! Reading input files safely: only regular files (a FIFO would block the build for ever,
//! a device like `/dev/zero` never ends), and never more than a documented limit per kind
//! of file, so hostile input cannot hang quire or exhaust memory. The limits are
//! [`crate::model::Limits`], listed in `docs/format.md` ("Limits").

use std::fs::Metadata;
use std::io::Read;
use std::path::Path;

/// What was wrong, and a hint.
pub(crate) type Problem = (String, String);

/// What a file that is not a regular file is, for messages; `None` for a regular file.
pub(crate) fn special_kind(meta: &Metadata) -> Option<&'static str> {
    let kind = meta.file_type();
    if kind.is_file() {
        return None;
    }
    if kind.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if kind.is_char_device() {
            return Some("a character device");
        }
        if kind.is_block_device() {
            return Some("a block device");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a regular file")
}

/// The message and hint for a special file named `shown`.
pub(crate) fn special_problem(shown: &str, kind: &str) -> Problem {
    (
        format!("`{shown}` is {kind}, not a regular file"),
        "quire reads only regular files; put the file itself in its place".to_string(),
    )
}

/// A size in bytes for messages: `20.0 MB (20971520 bytes)`.
fn size(bytes: u64) -> String {
    let tenths = bytes * 10 / (1024 * 1024);
    format!("{}.{} MB ({bytes} bytes)", tenths / 10, tenths % 10)
}

fn too_large(shown: &str, len: u64, limit: u64) -> Problem {
    (
        format!(
            "`{shown}` is {}, more than the limit of {} for this kind of file",
            size(len),
            size(limit)
        ),
        "make the file smaller (split a long article, export an image at print size)".to_string(),
    )
}

/// Reads the regular file at `path` (shown as `shown` in messages), at most `limit`
/// bytes. The file type and size are checked before it is opened, and the size again
/// while reading, in case the file grows.
pub(crate) fn read_regular(path: &Path, shown: &str, limit: u64) -> Result<Vec<u8>, Problem> {
    let cannot = |e: std::io::Error| (format!("cannot read `{shown}`: {e}"), String::new());
    let meta = std::fs::metadata(path).map_err(cannot)?;
    if let Some(kind) = special_kind(&meta) {
        return Err(special_problem(shown, kind));
    }
    if meta.len() > limit {
        return Err(too_large(shown, meta.len(), limit));
    }
    let file = std::fs::File::open(path).map_err(cannot)?;
    // Swapped for something else between the check and the open?
    let meta = file.metadata().map_err(cannot)?;
    if let Some(kind) = special_kind(&meta) {
        return Err(special_problem(shown, kind));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    let len = bytes.len() as u64;
    if len > limit {
        return Err(too_large(shown, len, limit));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_regular_file_within_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, b"hello").unwrap();
        assert_eq!(read_regular(&path, "a.md", 5).unwrap(), b"hello");
        let (message, _) = read_regular(&path, "a.md", 4).unwrap_err();
        assert!(message.contains("`a.md` is 0.0 MB (5 bytes)"), "{message}");
        assert!(message.contains("limit of 0.0 MB (4 bytes)"), "{message}");
    }

    #[cfg(unix)]
    #[test]
    fn refuses_devices_and_folders_without_reading() {
        // /dev/zero never ends: reading it would exhaust memory.
        let (message, hint) = read_regular(Path::new("/dev/zero"), "z", 1 << 20).unwrap_err();
        assert!(message.contains("`z` is a character device"), "{message}");
        assert!(hint.contains("regular files"), "{hint}");
        let dir = tempfile::tempdir().unwrap();
        let (message, _) = read_regular(dir.path(), "d", 1 << 20).unwrap_err();
        assert!(message.contains("a folder"), "{message}");
    }
}
