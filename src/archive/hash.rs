//! The fingerprint of an issue's inputs: when it matches the one the site's manifest
//! holds, the outputs are those this build would write, and it is skipped.
//!
//! An edition reads only files inside its folder (the loader refuses paths that leave
//! it), the fonts of the project's `fonts/` folder, its built-in style (part of the
//! binary) and `SOURCE_DATE_EPOCH`. The fingerprint covers all of them: every regular
//! file under the edition folder and the font folders (relative path and contents), the
//! environment variable, and the tool ([`tool_fingerprint`]).

use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// Which quire made the outputs: its version and the size and modification time of the
/// running program, so that a rebuilt or upgraded quire builds every issue again.
pub fn tool_fingerprint() -> String {
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| std::fs::metadata(p).ok())
        .map(|m| {
            let modified = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{}:{modified}", m.len())
        })
        .unwrap_or_default();
    format!("quire {} {exe}", env!("CARGO_PKG_VERSION"))
}

/// The SHA-256 (hex) of everything the edition in `dir` is built from, with `tool`
/// standing for the program. Fails on a file or folder that cannot be read.
pub(crate) fn inputs(dir: &Path, tool: &str) -> std::io::Result<String> {
    let mut hasher = Sha256::new();
    let mut field = |bytes: &[u8]| {
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    field(tool.as_bytes());
    let epoch = std::env::var("SOURCE_DATE_EPOCH").unwrap_or_default();
    field(epoch.as_bytes());
    let canonical = std::fs::canonicalize(dir)?;
    // The magazine's shared fonts, when the edition is one of its issues (an unreadable
    // quire.toml is the build's error to report, with its place).
    let magazine = crate::edition::magazine::Magazine::of_edition(&canonical, dir)
        .ok()
        .flatten();
    let mut roots = vec![canonical.clone()];
    roots.extend(
        crate::edition::font_dirs(&canonical, magazine.as_ref())
            .into_iter()
            .filter(|f| !f.starts_with(&canonical)),
    );
    for (i, root) in roots.iter().enumerate() {
        let mut files = Vec::new();
        walk(root, &mut files)?;
        files.sort();
        field(format!("root {i}").as_bytes());
        for file in files {
            let rel = file.strip_prefix(root).unwrap_or(&file);
            field(rel.to_string_lossy().as_bytes());
            let mut bytes = Vec::new();
            std::fs::File::open(&file)?.read_to_end(&mut bytes)?;
            field(&bytes);
        }
    }
    let digest = hasher.finalize();
    Ok(digest.iter().map(|b| format!("{b:02x}")).collect())
}

/// Every regular file under `dir` (links followed to files, not to folders, so a link
/// loop cannot hang the walk).
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            walk(&path, out)?;
        } else if kind.is_file() || (kind.is_symlink() && path.is_file()) {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_follows_every_file_and_the_tool() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("articles")).unwrap();
        std::fs::write(dir.path().join("edition.toml"), "a").unwrap();
        std::fs::write(dir.path().join("articles/one.md"), "one").unwrap();
        let first = inputs(dir.path(), "t1").unwrap();
        assert_eq!(first, inputs(dir.path(), "t1").unwrap(), "stable");
        assert_ne!(first, inputs(dir.path(), "t2").unwrap(), "another quire");
        std::fs::write(dir.path().join("articles/one.md"), "One").unwrap();
        let edited = inputs(dir.path(), "t1").unwrap();
        assert_ne!(first, edited, "an edited article");
        std::fs::write(dir.path().join("articles/two.md"), "").unwrap();
        assert_ne!(
            edited,
            inputs(dir.path(), "t1").unwrap(),
            "a new empty file"
        );
    }
}
