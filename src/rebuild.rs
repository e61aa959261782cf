//! Which issues need building: [`input_hash`], a SHA-256 of every input of an issue (its
//! folder, the magazine's `quire.toml` and shared folders, `SOURCE_DATE_EPOCH`, quire and
//! the build options), compared with the one stored when its outputs were last written.
//! `quire build` in a magazine folder keeps it in `<out>/.quire-hashes.json` ([`Hashes`]);
//! `quire archive` in the site's `manifest.json`. Both call [`input_hash`], so they agree
//! on what "changed" means.

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

/// Which quire made the outputs: its version and the size and modification time of the
/// running program, so that a rebuilt or upgraded quire builds every issue again. Part of
/// the `salt` both `quire build` (in a magazine) and `quire archive` give [`input_hash`].
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

/// The magazine the edition folder `dir` is an issue of, if any (an unreadable
/// `quire.toml` counts as none here: loading the edition reports it with its place).
pub fn magazine_of(dir: &Path) -> Option<Magazine> {
    let canonical = std::fs::canonicalize(dir).ok()?;
    Magazine::of_edition(&canonical, dir).ok().flatten()
}

/// The SHA-256 (hex) of everything the edition in `dir` is built from, the one meaning
/// of "changed" for `quire build` in a magazine folder and for `quire archive`: every
/// file in its folder, and for an issue of `magazine` its `quire.toml` and the shared
/// `styles/`, `fonts/` and `images/` folders (relative paths and contents, so a moved
/// magazine folder is unchanged); `SOURCE_DATE_EPOCH`; quire's version; and `salt`, what
/// the caller builds with (the program, [`tool_fingerprint`], and the options). Hidden
/// files and folders (`.name`: editor swap files, `.git`) and the output folder `out` are
/// left out. An unreadable file or folder hashes as its error, so the issue is built and
/// the loader reports it.
pub fn input_hash(dir: &Path, magazine: Option<&Magazine>, out: &Path, salt: &str) -> String {
    let mut hasher = Sha256::new();
    let mut part = |label: &str, bytes: &[u8]| {
        hasher.update((label.len() as u64).to_le_bytes());
        hasher.update(label.as_bytes());
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    part("quire", env!("CARGO_PKG_VERSION").as_bytes());
    part("salt", salt.as_bytes());
    let epoch = std::env::var("SOURCE_DATE_EPOCH").unwrap_or_default();
    part("SOURCE_DATE_EPOCH", epoch.as_bytes());
    let out = std::fs::canonicalize(out).unwrap_or_else(|_| out.to_path_buf());
    let mut folders: Vec<(&str, &Path)> = vec![("issue", dir)];
    if let Some(magazine) = magazine {
        let config = magazine.root.join(magazine::FILE);
        let bytes = std::fs::read(&config).unwrap_or_else(|e| e.to_string().into_bytes());
        part("quire.toml", &bytes);
        let [styles, fonts, images] = magazine.shared_dirs();
        folders.extend([("styles", styles), ("fonts", fonts), ("images", images)]);
    }
    for (kind, folder) in folders {
        for (rel, file) in files(folder, &out) {
            let bytes = match file {
                Ok(path) => std::fs::read(&path).unwrap_or_else(|e| e.to_string().into_bytes()),
                Err(e) => e.into_bytes(),
            };
            part(&format!("{kind}:{rel}"), &bytes);
        }
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The regular files under `folder` (following links, which the loader checks; a link
/// loop is reported, not followed), in name order, with their paths relative to it;
/// hidden entries and `out` left out. An entry that cannot be read is an `Err` with the
/// error's text, so that it changes the hash.
fn files(folder: &Path, out: &Path) -> Vec<(String, Result<PathBuf, String>)> {
    if !folder.exists() {
        return Vec::new();
    }
    let walk = walkdir::WalkDir::new(folder)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !(e.file_name().to_string_lossy().starts_with('.')
                    || std::fs::canonicalize(e.path()).is_ok_and(|p| p == out))
        });
    walk.filter_map(|entry| match entry {
        Ok(e) if e.file_type().is_file() => Some((
            crate::edition::relative_path(folder, e.path()),
            Ok(e.path().to_path_buf()),
        )),
        Ok(_) => None,
        Err(e) => {
            let rel = e
                .path()
                .map_or_else(String::new, |p| crate::edition::relative_path(folder, p));
            Some((rel, Err(format!("unreadable: {e}"))))
        }
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
        let first = input_hash(&issue, Some(&m), &out, "pdf");
        assert_eq!(first, input_hash(&issue, Some(&m), &out, "pdf"));
        assert_ne!(first, input_hash(&issue, Some(&m), &out, "epub"));
        std::fs::write(issue.join(".edition.toml.swp"), "y").unwrap();
        assert_eq!(first, input_hash(&issue, Some(&m), &out, "pdf"));
        std::fs::write(root.join("styles/house.toml"), "").unwrap();
        let styled = input_hash(&issue, Some(&m), &out, "pdf");
        assert_ne!(first, styled);
        std::fs::write(issue.join("edition.toml"), "z").unwrap();
        assert_ne!(styled, input_hash(&issue, Some(&m), &out, "pdf"));
    }

    #[test]
    fn the_hash_follows_every_file_and_the_tool() {
        let dir = tempfile::tempdir().unwrap();
        let ed = dir.path().join("ed");
        std::fs::create_dir_all(ed.join("articles")).unwrap();
        std::fs::write(ed.join("edition.toml"), "a").unwrap();
        std::fs::write(ed.join("articles/one.md"), "one").unwrap();
        let out = dir.path().join("site");
        let hash = |salt: &str| input_hash(&ed, None, &out, salt);
        let first = hash("t1");
        assert_eq!(first, hash("t1"), "stable");
        assert_ne!(first, hash("t2"), "another quire");
        std::fs::write(ed.join("articles/one.md"), "One").unwrap();
        let edited = hash("t1");
        assert_ne!(first, edited, "an edited article");
        std::fs::write(ed.join("articles/two.md"), "").unwrap();
        assert_ne!(edited, hash("t1"), "a new empty file");
        // The same files elsewhere hash the same: paths are relative to the folder.
        let moved = dir.path().join("moved");
        std::fs::rename(&ed, &moved).unwrap();
        let there = input_hash(&moved, None, &out, "t1");
        std::fs::rename(&moved, &ed).unwrap();
        assert_eq!(there, hash("t1"), "a moved edition");
    }

    #[test]
    fn the_output_folder_inside_an_issue_is_not_an_input() {
        let dir = tempfile::tempdir().unwrap();
        let ed = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::write(ed.join("edition.toml"), "a").unwrap();
        let out = ed.join("out");
        std::fs::create_dir(&out).unwrap();
        let before = input_hash(&ed, None, &out, "");
        std::fs::write(out.join("ed.pdf"), "%PDF").unwrap();
        assert_eq!(before, input_hash(&ed, None, &out, ""));
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
