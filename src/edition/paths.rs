//! Paths written in the edition: relative to the file that names them, and never outside
//! the edition folder (checked on the written path and again after following links).

use std::path::{Component, Path, PathBuf};

/// The edition folder: as the user named it (for messages) and canonical (for checks),
/// and the canonical folder no path may leave: the edition, or the magazine folder of an
/// issue of a magazine (`quire.toml`).
#[derive(Debug, Clone)]
pub(crate) struct Root {
    pub shown: PathBuf,
    pub canonical: PathBuf,
    pub bound: PathBuf,
}

impl Root {
    /// The path shown in messages for a file at `rel` (relative to the edition, `/`-separated).
    pub(super) fn show(&self, rel: &str) -> PathBuf {
        self.shown.join(rel)
    }

    /// [`resolve`] within the bound, `rel` relative to the edition (with `..` parts
    /// for a shared file of the magazine outside it).
    pub(super) fn resolve(&self, base: &Path, written: &str) -> Result<Resolved, PathError> {
        let mut r = resolve(&self.bound, base, written)?;
        if r.abs.starts_with(&self.canonical) {
            r.rel = relative(&self.canonical, &r.abs);
        } else {
            let depth = self
                .canonical
                .strip_prefix(&self.bound)
                .map_or(0, |p| p.components().count());
            r.rel = format!("{}{}", "../".repeat(depth), r.rel);
        }
        Ok(r)
    }

    /// [`PathError::explain`], naming the magazine folder when that is the bound.
    pub(super) fn explain(&self, e: &PathError, written: &str) -> (String, String) {
        let (message, hint) = e.explain(written);
        if self.bound == self.canonical || !matches!(e, PathError::Leaves { .. }) {
            return (message, hint);
        }
        (
            message.replace("edition folder", "magazine folder"),
            "keep every file of the magazine inside its folder (the one holding quire.toml); \
             paths are relative to the file that names them"
                .into(),
        )
    }
}

/// A path that exists inside the edition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Resolved {
    /// Canonical absolute path.
    pub abs: PathBuf,
    /// Relative to the edition folder, `/`-separated.
    pub rel: String,
}

/// Why a written path was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PathError {
    Empty,
    Absolute,
    Remote,
    /// Leaves the edition folder; `via_link` when only a symbolic link takes it out.
    Leaves {
        via_link: bool,
    },
    /// Does not exist; `rel` is where it was looked for, relative to the edition.
    Missing {
        rel: String,
    },
    NotAFile {
        rel: String,
    },
    /// A FIFO, device or socket: opening or reading it could block or never end.
    Special {
        rel: String,
        kind: &'static str,
    },
}

impl PathError {
    /// A message naming the path as written, and a hint.
    pub(super) fn explain(&self, written: &str) -> (String, String) {
        match self {
            PathError::Empty => ("the path is empty".into(), "name a file".into()),
            PathError::Absolute => (
                format!("the path `{written}` is absolute"),
                "write paths relative to the file that names them".into(),
            ),
            PathError::Remote => (
                format!("`{written}` is not a local file"),
                "download the file into the edition folder and name it by a relative path".into(),
            ),
            PathError::Leaves { via_link } => (
                if *via_link {
                    format!("the path `{written}` leads outside the edition folder through a symbolic link")
                } else {
                    format!("the path `{written}` leaves the edition folder")
                },
                "keep every file of the edition inside its folder; paths are relative to the file that names them".into(),
            ),
            PathError::Missing { rel } if rel == written.trim() => (
                format!("file not found: `{written}`"),
                "check the spelling; paths are relative to the file that names them".into(),
            ),
            PathError::Missing { rel } => (
                format!("file not found: `{written}` (looked for `{rel}` in the edition folder)"),
                "check the spelling; paths are relative to the file that names them".into(),
            ),
            PathError::NotAFile { rel } => (
                format!("`{written}` is a folder, not a file (`{rel}`)"),
                "name a file".into(),
            ),
            PathError::Special { rel, kind } => super::read::special_problem(rel, kind),
        }
    }
}

/// Resolves `written`, relative to the folder `base` (canonical, inside `root`), and checks
/// that it stays in the canonical edition folder `root` and names an existing file.
pub(crate) fn resolve(root: &Path, base: &Path, written: &str) -> Result<Resolved, PathError> {
    let written_trim = written.trim();
    if written_trim.is_empty() {
        return Err(PathError::Empty);
    }
    if written_trim.contains("://") || written_trim.starts_with("data:") {
        return Err(PathError::Remote);
    }
    let given = Path::new(written_trim);
    if given.is_absolute() || written_trim.starts_with('/') || written_trim.starts_with('\\') {
        return Err(PathError::Absolute);
    }
    // Lexical check first, so a missing file outside the edition is still called outside.
    let mut lexical = base.to_path_buf();
    for component in given.components() {
        match component {
            Component::Normal(part) => lexical.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                if !lexical.pop() {
                    return Err(PathError::Leaves { via_link: false });
                }
            }
            Component::RootDir | Component::Prefix(_) => return Err(PathError::Absolute),
        }
    }
    if !lexical.starts_with(root) {
        return Err(PathError::Leaves { via_link: false });
    }
    let lexical_rel = relative(root, &lexical);
    let meta = match std::fs::metadata(&lexical) {
        Ok(meta) => meta,
        Err(_) => return Err(PathError::Missing { rel: lexical_rel }),
    };
    if meta.is_dir() {
        return Err(PathError::NotAFile { rel: lexical_rel });
    }
    if let Some(kind) = super::read::special_kind(&meta) {
        return Err(PathError::Special {
            rel: lexical_rel,
            kind,
        });
    }
    let abs = std::fs::canonicalize(&lexical).map_err(|_| PathError::Missing {
        rel: lexical_rel.clone(),
    })?;
    if !abs.starts_with(root) {
        return Err(PathError::Leaves { via_link: true });
    }
    let rel = relative(root, &abs);
    Ok(Resolved { abs, rel })
}

/// `path` relative to `root`, with `/` separators.
pub(crate) fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edition() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("ed");
        std::fs::create_dir_all(root.join("articles")).unwrap();
        std::fs::create_dir_all(root.join("images")).unwrap();
        std::fs::write(root.join("images/a.png"), b"x").unwrap();
        std::fs::write(dir.path().join("secret.txt"), b"x").unwrap();
        let root = std::fs::canonicalize(root).unwrap();
        (dir, root)
    }

    #[test]
    fn relative_to_the_naming_file() {
        let (_dir, root) = edition();
        let r = resolve(&root, &root.join("articles"), "../images/a.png").unwrap();
        assert_eq!(r.rel, "images/a.png");
        assert_eq!(r.abs, root.join("images/a.png"));
        let r = resolve(&root, &root, "./images/a.png").unwrap();
        assert_eq!(r.rel, "images/a.png");
    }

    #[test]
    fn refuses_paths_leaving_the_edition() {
        let (_dir, root) = edition();
        assert_eq!(
            resolve(&root, &root, "../secret.txt"),
            Err(PathError::Leaves { via_link: false })
        );
        // What counts is where the path ends: out and back in again is inside.
        let name = root.file_name().unwrap().to_string_lossy().into_owned();
        let back = format!("../{name}/images/a.png");
        assert_eq!(resolve(&root, &root, &back).unwrap().rel, "images/a.png");
        assert_eq!(
            resolve(&root, &root.join("articles"), "../../secret.txt"),
            Err(PathError::Leaves { via_link: false })
        );
    }

    #[cfg(unix)]
    #[test]
    fn refuses_symbolic_links_out_of_the_edition() {
        let (dir, root) = edition();
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("images/link.png"))
            .unwrap();
        assert_eq!(
            resolve(&root, &root, "images/link.png"),
            Err(PathError::Leaves { via_link: true })
        );
    }

    #[test]
    fn missing_absolute_remote_and_folders() {
        let (_dir, root) = edition();
        assert_eq!(
            resolve(&root, &root.join("articles"), "x.md"),
            Err(PathError::Missing {
                rel: "articles/x.md".into()
            })
        );
        assert_eq!(
            resolve(&root, &root, "/etc/passwd"),
            Err(PathError::Absolute)
        );
        assert_eq!(
            resolve(&root, &root, "https://example.com/a.png"),
            Err(PathError::Remote)
        );
        assert_eq!(
            resolve(&root, &root, "images"),
            Err(PathError::NotAFile {
                rel: "images".into()
            })
        );
        assert_eq!(resolve(&root, &root, " "), Err(PathError::Empty));
    }
}
