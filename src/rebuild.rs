//! Which issues of a magazine need building: a SHA-256 of every input of an issue (its
//! folder, the magazine's `quire.toml` and shared folders, quire's version and the build
//! options), compared with the one stored beside the outputs when they were last written
//! (`<out>/.quire-hashes.json`).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::Error;
use crate::edition::magazine::{self, Magazine};

/// The file in the output folder that records the hashes.
pub const HASHES_FILE: &str = ".quire-hashes.json";

/// What was built for an issue, keyed by its slug in [`Hashes`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Built {
    /// The hash of the inputs the outputs were built from.
    pub hash: String,
    /// The output files, relative to the output folder.
    pub outputs: Vec<String>,
}

/// The hashes recorded in an output folder.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Hashes {
    /// The format of this file.
    version: u32,
    /// What was built for each issue, by slug.
    pub issues: BTreeMap<String, Built>,
}

impl Hashes {
    /// The hashes recorded in `out`; none when the file is missing or unreadable (then
    /// every issue is built again, which is always safe).
    pub fn load(out: &Path) -> Hashes {
        std::fs::read(out.join(HASHES_FILE))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Hashes>(&bytes).ok())
            .filter(|h| h.version == 1)
            .unwrap_or_default()
    }

    /// Whether `slug`'s outputs in `out` were built from inputs with `hash` and are all
    /// still there.
    pub fn up_to_date(&self, out: &Path, slug: &str, hash: &str) -> bool {
        self.issues.get(slug).is_some_and(|b| {
            b.hash == hash
                && !b.outputs.is_empty()
                && b.outputs.iter().all(|o| out.join(o).is_file())
        })
    }

    /// Writes the hashes into `out`, through a temporary file renamed into place.
    pub fn save(&mut self, out: &Path) -> Result<(), Error> {
        self.version = 1;
        let io = |source| Error::Io {
            path: out.join(HASHES_FILE),
            source,
        };
        let text = serde_json::to_vec_pretty(self).map_err(|e| io(std::io::Error::other(e)))?;
        let mut tmp = tempfile::Builder::new()
            .prefix(&format!("{}hashes.", crate::TEMP_PREFIX))
            .suffix(crate::TEMP_SUFFIX)
            .tempfile_in(out)
            .map_err(io)?;
        tmp.write_all(&text).map_err(io)?;
        tmp.persist(out.join(HASHES_FILE))
            .map_err(|e| io(e.error))?;
        Ok(())
    }
}

/// The hash of everything issue `dir` (canonical) is built from: its files, the
/// magazine's `quire.toml`, styles, fonts and images folders, and `salt` (quire's version
/// and the build options, so a new version or other formats build again). Hidden files
/// and the output folder `out` are left out.
pub fn input_hash(magazine: &Magazine, dir: &Path, out: &Path, salt: &str) -> String {
    let mut hasher = Sha256::new();
    let mut part = |label: &str, bytes: &[u8]| {
        hasher.update((label.len() as u64).to_le_bytes());
        hasher.update(label.as_bytes());
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    part("quire", env!("CARGO_PKG_VERSION").as_bytes());
    part("salt", salt.as_bytes());
    let out = std::fs::canonicalize(out).unwrap_or_else(|_| out.to_path_buf());
    let config = magazine.root.join(magazine::FILE);
    part("quire.toml", &std::fs::read(&config).unwrap_or_default());
    let mut folders: Vec<(&str, &Path)> = vec![("issue", dir)];
    for shared in magazine.shared_dirs() {
        folders.push(("shared", shared));
    }
    for (kind, folder) in folders {
        for (rel, path) in files(folder, &out) {
            // An unreadable file hashes as its error, so it is built (and reported).
            let bytes = std::fs::read(&path).unwrap_or_else(|e| e.to_string().into_bytes());
            part(&format!("{kind}:{}:{rel}", folder.display()), &bytes);
        }
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The regular files under `folder` (following links, which the loader checks), in name
/// order, with their paths relative to it; hidden entries and `out` left out.
fn files(folder: &Path, out: &Path) -> Vec<(String, PathBuf)> {
    let walk = walkdir::WalkDir::new(folder)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !(e.file_name().to_string_lossy().starts_with('.')
                    || std::fs::canonicalize(e.path()).is_ok_and(|p| p == out))
        });
    walk.filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = crate::edition::relative_path(folder, e.path());
            (rel, e.path().to_path_buf())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_change_with_any_input_and_skip_hidden_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::write(root.join("quire.toml"), "issues = \"issues\"\n").unwrap();
        let issue = root.join("issues/1");
        std::fs::create_dir_all(&issue).unwrap();
        std::fs::create_dir_all(root.join("styles")).unwrap();
        std::fs::write(issue.join("edition.toml"), "x").unwrap();
        let m = magazine::load(&root, &root).unwrap();
        let out = root.join("out");
        let first = input_hash(&m, &issue, &out, "pdf");
        assert_eq!(first, input_hash(&m, &issue, &out, "pdf"));
        assert_ne!(first, input_hash(&m, &issue, &out, "epub"));
        std::fs::write(issue.join(".edition.toml.swp"), "y").unwrap();
        assert_eq!(first, input_hash(&m, &issue, &out, "pdf"));
        std::fs::write(root.join("styles/house.toml"), "").unwrap();
        let styled = input_hash(&m, &issue, &out, "pdf");
        assert_ne!(first, styled);
        std::fs::write(issue.join("edition.toml"), "z").unwrap();
        assert_ne!(styled, input_hash(&m, &issue, &out, "pdf"));
    }

    #[test]
    fn recorded_hashes_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let mut h = Hashes::default();
        std::fs::write(dir.path().join("a.pdf"), "x").unwrap();
        h.issues.insert(
            "a".into(),
            Built {
                hash: "1".into(),
                outputs: vec!["a.pdf".into()],
            },
        );
        h.save(dir.path()).unwrap();
        let back = Hashes::load(dir.path());
        assert!(back.up_to_date(dir.path(), "a", "1"));
        assert!(!back.up_to_date(dir.path(), "a", "2"));
        std::fs::remove_file(dir.path().join("a.pdf")).unwrap();
        assert!(!back.up_to_date(dir.path(), "a", "1"));
    }
}
