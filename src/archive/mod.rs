//! The archive site (`quire archive`): many issues built into one static website, with a
//! search index and OPDS catalogue feeds.
//!
//! ```no_run
//! let editions = quire::archive::editions_in("editions".as_ref())?;
//! let options = quire::archive::ArchiveOptions::new("site");
//! let report = quire::archive::archive(&editions, &options)?;
//! for issue in &report.issues {
//!     println!("{}: {:?}", issue.slug, issue.status);
//! }
//! # Ok::<(), quire::Error>(())
//! ```
//!
//! Stages: [`crate::rebuild::input_hash`] fingerprints each edition's inputs (as `quire
//! build` does in a magazine folder); an edition whose fingerprint is
//! the one the site's manifest holds is skipped, the others are loaded and built (several
//! at a time) into `issues/<slug>/`, and `record` keeps what the site shows of each;
//! `thumb` scales the covers; `index`, `html` and `opds` write the pages, the search index
//! and the feeds from the records alone, so an unchanged issue costs no layout.
//!
//! The list of editions is the caller's: [`editions_in`] gives a plain folder's, and a
//! magazine folder can give its own.

mod html;
mod index;
mod opds;
pub mod record;
mod thumb;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;
use crate::edition::LoadOptions;
use crate::{BuildOptions, Error, Format};

pub use crate::rebuild::tool_fingerprint;
use record::{Cover, Issue};

/// The manifest's name in the site folder.
pub const MANIFEST: &str = "manifest.json";
/// Raised when the manifest or the records change shape: every issue is built again.
const MANIFEST_FORMAT: u32 = 1;

/// Where and how to build the site.
#[derive(Debug, Clone)]
pub struct ArchiveOptions {
    /// The site folder (created when needed).
    pub site_dir: PathBuf,
    /// The limits editions are loaded under.
    pub load: LoadOptions,
    /// How many issues are built at once (at least 1).
    pub jobs: usize,
    /// Which quire builds ([`tool_fingerprint`]); part of every issue's fingerprint.
    pub tool: String,
}

impl ArchiveOptions {
    /// Into `site_dir`, as many issues at once as the machine has cores.
    pub fn new(site_dir: impl Into<PathBuf>) -> Self {
        ArchiveOptions {
            site_dir: site_dir.into(),
            load: LoadOptions::default(),
            jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
            tool: tool_fingerprint(),
        }
    }
}

/// What became of one issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Built and written into the site.
    Built,
    /// Its inputs are those of the site's copy: nothing was built.
    Skipped,
    /// Loading or building failed; the site keeps the copy of an earlier run, if any.
    Failed,
}

/// One issue of a run.
#[derive(Debug)]
pub struct IssueReport {
    /// The edition folder as given.
    pub dir: PathBuf,
    /// The folder's name: the issue's name in the site.
    pub slug: String,
    /// Built, skipped or failed.
    pub status: Status,
    /// Warnings of the build (none when skipped).
    pub warnings: Vec<Diagnostic>,
    /// Why it failed.
    pub error: Option<Error>,
    /// How long loading and building took.
    pub elapsed: Duration,
}

/// What a run did.
#[derive(Debug, Default)]
pub struct ArchiveReport {
    /// Every edition given, in the order given.
    pub issues: Vec<IssueReport>,
    /// The site's pages, feeds and index written (relative to the site folder).
    pub pages: Vec<String>,
    /// Issues of an earlier run no longer given, whose files were removed.
    pub removed: Vec<String>,
}

/// The site's memory of earlier runs: per issue, the fingerprint of its inputs, its
/// record and the files it owns; the pages written last time (to remove stale ones).
#[derive(Debug, Default, Serialize, Deserialize)]
struct Manifest {
    format: u32,
    issues: BTreeMap<String, Kept>,
    pages: Vec<String>,
}

/// One issue in the manifest.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Kept {
    hash: String,
    files: Vec<String>,
    record: Issue,
}

/// The editions in `dir`: its subfolders that hold an `edition.toml`, by name. An error
/// when `dir` cannot be read or holds none.
pub fn editions_in(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let io = |source| Error::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.join("edition.toml").is_file() {
            out.push(path);
        }
    }
    out.sort();
    if out.is_empty() {
        return Err(Diagnostic::error(format!(
            "`{}` holds no edition: none of its folders has an edition.toml",
            dir.display()
        ))
        .with_hint("give the folder whose subfolders are the issues (e.g. `editions`)")
        .into());
    }
    Ok(out)
}

/// Builds the site of `editions` into `options.site_dir`: each changed issue built (its
/// PDF, EPUB and cover thumbnail into `issues/<slug>/`), unchanged ones skipped, then every
/// page, the search index and the feeds written again. An issue that fails is reported
/// and the rest go on; the site keeps its earlier copy of that issue, if any. Fails
/// (writing nothing) when the site folder holds files that are not a quire site, or when
/// two editions have the same folder name.
pub fn archive(editions: &[PathBuf], options: &ArchiveOptions) -> Result<ArchiveReport, Error> {
    let site = &options.site_dir;
    let mut manifest = read_manifest(site)?;
    let mut seen: BTreeMap<String, &Path> = BTreeMap::new();
    for dir in editions {
        let slug = slug_of(dir);
        if let Some(other) = seen.insert(slug.clone(), dir) {
            return Err(Diagnostic::error(format!(
                "`{}` and `{}` are both named `{slug}`: they would be one issue of the site",
                other.display(),
                dir.display()
            ))
            .with_hint("rename one of the folders")
            .into());
        }
    }
    // A site inside an edition would be one of its inputs: every run would change it.
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    if let Some(dir) = editions
        .iter()
        .find(|d| absolute(site).starts_with(absolute(d)))
    {
        return Err(Diagnostic::error(format!(
            "the site folder `{}` is inside the edition `{}`: it would be one of its inputs",
            site.display(),
            dir.display()
        ))
        .with_hint("give a site folder outside the editions, e.g. `--out site`")
        .into());
    }
    std::fs::create_dir_all(site).map_err(|source| Error::Io {
        path: site.clone(),
        source,
    })?;

    // Fingerprint every edition; those the manifest already holds, with every file in
    // place, are skipped.
    let mut reports = Vec::new();
    let mut todo = Vec::new();
    for dir in editions {
        let slug = slug_of(dir);
        let start = Instant::now();
        // The same fingerprint as `quire build` in a magazine folder: the edition's
        // files, its magazine's shared ones, the program and what the site builds.
        let magazine = crate::rebuild::magazine_of(dir);
        let salt = format!("{} archive pdf+epub", options.tool);
        let hash = crate::rebuild::input_hash(dir, magazine.as_ref(), site, &salt);
        let unchanged = manifest
            .issues
            .get(&slug)
            .is_some_and(|k| k.hash == hash && k.files.iter().all(|f| site.join(f).is_file()));
        if unchanged {
            reports.push(IssueReport {
                dir: dir.clone(),
                slug,
                status: Status::Skipped,
                warnings: Vec::new(),
                error: None,
                elapsed: start.elapsed(),
            });
        } else {
            todo.push((dir.clone(), slug, hash));
        }
    }

    // Build the changed issues, `jobs` at a time (each build runs its backends in
    // parallel too).
    let queue = Mutex::new(todo.into_iter());
    let done = Mutex::new(Vec::new());
    let jobs = options.jobs.max(1);
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| {
                loop {
                    let next = queue.lock().map(|mut q| q.next()).ok().flatten();
                    let Some((dir, slug, hash)) = next else { break };
                    let start = Instant::now();
                    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        build_issue(&dir, &slug, site, &options.load)
                    }))
                    .unwrap_or_else(|_| {
                        Err(Diagnostic::error(format!(
                            "internal error while building `{}`; this is a bug in quire: \
                             please report it with the edition",
                            dir.display()
                        ))
                        .into())
                    });
                    if let Ok(mut d) = done.lock() {
                        d.push((dir, slug, hash, result, start.elapsed()));
                    }
                }
            });
        }
    });
    let built = done.into_inner().unwrap_or_default();
    for (dir, slug, hash, result, elapsed) in built {
        match result {
            Ok((record, files, warnings)) => {
                manifest.issues.insert(
                    slug.clone(),
                    Kept {
                        hash,
                        files,
                        record,
                    },
                );
                reports.push(IssueReport {
                    dir,
                    slug,
                    status: Status::Built,
                    warnings,
                    error: None,
                    elapsed,
                });
            }
            Err(e) => reports.push(IssueReport {
                dir,
                slug,
                status: Status::Failed,
                warnings: Vec::new(),
                error: Some(e),
                elapsed,
            }),
        }
    }
    let order: Vec<PathBuf> = editions.to_vec();
    reports.sort_by_key(|r| order.iter().position(|d| *d == r.dir));

    // Issues of earlier runs that were not given this time leave the site.
    let mut removed = Vec::new();
    let given: Vec<String> = editions.iter().map(|d| slug_of(d)).collect();
    let gone: Vec<String> = manifest
        .issues
        .keys()
        .filter(|k| !given.contains(k))
        .cloned()
        .collect();
    for slug in gone {
        if let Some(kept) = manifest.issues.remove(&slug) {
            for f in &kept.files {
                let _ = std::fs::remove_file(site.join(f));
            }
            let _ = std::fs::remove_dir(site.join("issues").join(&slug));
            removed.push(slug);
        }
    }

    let records: Vec<Issue> = manifest.issues.values().map(|k| k.record.clone()).collect();
    let pages = write_site(site, records, &manifest.pages)?;
    manifest.pages = pages.clone();
    manifest.format = MANIFEST_FORMAT;
    let text = serde_json::to_string_pretty(&manifest)
        .map_err(|e| Error::from(Diagnostic::error(format!("cannot write the manifest: {e}"))))?;
    crate::write_atomically(&site.join(MANIFEST), text.as_bytes())?;
    Ok(ArchiveReport {
        issues: reports,
        pages,
        removed,
    })
}

/// The issue's name in the site: the edition folder's name (as the loader names it).
fn slug_of(dir: &Path) -> String {
    let named = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    named.file_name().map_or_else(
        || "edition".to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The manifest of the site in `site`: empty for a new or empty folder; an error for a
/// folder with other files (quire would write over them) or a manifest it cannot read.
fn read_manifest(site: &Path) -> Result<Manifest, Error> {
    let path = site.join(MANIFEST);
    match std::fs::read_to_string(&path) {
        Ok(text) => match serde_json::from_str::<Manifest>(&text) {
            Ok(m) if m.format == MANIFEST_FORMAT => Ok(m),
            // Another format: build everything again, remove nothing we cannot name.
            Ok(_) => Ok(Manifest::default()),
            Err(e) => Err(
                Diagnostic::error(format!("the site's manifest cannot be read: {e}"))
                    .in_file(&path)
                    .with_hint("delete it to build every issue again")
                    .into(),
            ),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let busy = std::fs::read_dir(site).is_ok_and(|mut d| d.next().is_some());
            if busy {
                return Err(Diagnostic::error(format!(
                    "`{}` is not empty and is not a quire site (it has no {MANIFEST}): \
                     nothing was written",
                    site.display()
                ))
                .with_hint(
                    "give a new or empty folder, or the folder of an earlier `quire archive`",
                )
                .into());
            }
            Ok(Manifest::default())
        }
        Err(source) => Err(Error::Io { path, source }),
    }
}

/// Loads and builds one edition into `issues/<slug>/` with its cover and thumbnail:
/// its record, the files it owns (relative to the site) and its warnings.
fn build_issue(
    dir: &Path,
    slug: &str,
    site: &Path,
    load: &LoadOptions,
) -> Result<(Issue, Vec<String>, Vec<Diagnostic>), Error> {
    let edition = crate::edition::load_with(dir, load)?;
    let folder = format!("issues/{slug}");
    let out_dir = site.join(&folder);
    std::fs::create_dir_all(&out_dir).map_err(|source| Error::Io {
        path: out_dir.clone(),
        source,
    })?;
    // A typographic cover (no picture) is drawn from the build's own layout, as
    // `quire build --pages 1` draws it; that drawing becomes the issue's cover picture.
    let typographic = edition.cover.is_none();
    let mut options = BuildOptions {
        out_dir: out_dir.clone(),
        formats: vec![Format::Pdf, Format::Epub],
        style_defaults: false,
        allow_preflight_errors: false,
        previews: typographic.then(|| crate::Previews {
            pages: PAGE_ONE
                .parse()
                .unwrap_or_else(|_| unreachable!("`1` is a page")),
            ppi: thumb::COVER_PPI,
        }),
    };
    let mut warnings = Vec::new();
    let report = match crate::build(&edition, &options) {
        // The issue's PDF and EPUB matter more than its picture: build them without it.
        Err(Error::Backend {
            format: Format::Preview,
            message,
        }) => {
            warnings.push(Diagnostic::warning(format!(
                "the cover could not be drawn for the site ({message}); the issue gets a placeholder card"
            )).in_file(dir.join("edition.toml")));
            options.previews = None;
            crate::build(&edition, &options)?
        }
        other => other?,
    };
    warnings.extend(report.warnings.iter().cloned());
    let mut files = vec![
        format!("{folder}/{}", Format::Pdf.file_name(slug)),
        format!("{folder}/{}", Format::Epub.file_name(slug)),
    ];
    let drawn = report
        .outputs
        .iter()
        .find(|o| o.format == Format::Preview)
        .map(|o| o.path.clone());
    let picture = match (&edition.cover, drawn) {
        (Some(image), _) => match thumb::from_cover(image) {
            Ok(t) => Some((
                image.data.to_vec(),
                image.format.mime(),
                image.format.extension(),
                image.width_px,
                image.height_px,
                t,
            )),
            Err(e) => {
                warnings.push(
                    Diagnostic::warning(format!(
                        "the cover could not be scaled for the site ({e}); the issue gets a placeholder card"
                    ))
                    .in_file(&image.path),
                );
                None
            }
        },
        (None, Some(path)) => {
            // The preview file is only a step: its bytes become cover.png.
            let bytes = std::fs::read(&path).map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?;
            let _ = std::fs::remove_file(&path);
            match thumb::from_page_one(&bytes) {
                Ok(t) => {
                    let (width, height) = image_size(&bytes).unwrap_or((t.width, t.height));
                    Some((bytes, "image/png", "png", width, height, t))
                }
                Err(e) => {
                    warnings.push(Diagnostic::warning(format!(
                        "the drawn cover could not be scaled for the site ({e}); the issue gets a placeholder card"
                    )));
                    None
                }
            }
        }
        (None, None) => None,
    };
    let cover = match picture {
        Some((bytes, mime, ext, width, height, t)) => {
            let image = format!("{folder}/cover.{ext}");
            let thumb = format!("{folder}/cover-thumb.{}", t.extension);
            crate::write_all_or_none(&[
                (site.join(&image), &bytes[..]),
                (site.join(&thumb), &t.bytes[..]),
            ])?;
            files.push(image.clone());
            files.push(thumb.clone());
            Some(Cover {
                image,
                mime: mime.to_string(),
                width,
                height,
                thumb,
                thumb_mime: t.mime.to_string(),
                thumb_width: t.width,
                thumb_height: t.height,
            })
        }
        None => None,
    };
    let record = record::issue(&edition, &report, cover);
    Ok((record, files, warnings))
}

/// The page a typographic cover's picture is drawn from.
const PAGE_ONE: &str = "1";

/// Width and height of an encoded image, from its header.
fn image_size(bytes: &[u8]) -> Option<(u32, u32)> {
    image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .ok()?
        .into_dimensions()
        .ok()
}

/// Writes every page, the style sheet, the script, the search index and both feeds, all
/// or none; removes the pages of the last run that are no longer made (an author who
/// left with their issue). Returns the files written.
fn write_site(site: &Path, records: Vec<Issue>, before: &[String]) -> Result<Vec<String>, Error> {
    let site_index = index::Site::new(records);
    let mut files: Vec<(String, Vec<u8>)> = html::pages(&site_index)
        .into_iter()
        .map(|(p, t)| (p, t.into_bytes()))
        .collect();
    let search = html::search_index(&site_index);
    let json_text = |v: &serde_json::Value| serde_json::to_string_pretty(v).unwrap_or_default();
    files.push(("search.json".into(), json_text(&search).into_bytes()));
    files.push((
        "search-index.js".into(),
        format!("window.QUIRE_SEARCH = {};\n", json_text(&search)).into_bytes(),
    ));
    files.push(("style.css".into(), html::STYLE.as_bytes().to_vec()));
    files.push((thumb::PLACEHOLDER.into(), thumb::placeholder().bytes));
    files.push(("search.js".into(), html::SEARCH_JS.as_bytes().to_vec()));
    files.push(("opds.xml".into(), opds::atom(&site_index).into_bytes()));
    files.push((
        "opds.json".into(),
        json_text(&opds::json(&site_index)).into_bytes(),
    ));
    for issue in &site_index.issues {
        files.push((
            opds::publication_file(issue),
            json_text(&opds::publication_json(issue)).into_bytes(),
        ));
    }
    for (path, _) in &files {
        if let Some(parent) = site.join(path).parent() {
            std::fs::create_dir_all(parent).map_err(|source| Error::Io {
                path: parent.to_path_buf(),
                source,
            })?;
        }
    }
    let list: Vec<(PathBuf, &[u8])> = files
        .iter()
        .map(|(p, b)| (site.join(p), b.as_slice()))
        .collect();
    crate::write_all_or_none(&list)?;
    let written: Vec<String> = files.into_iter().map(|(p, _)| p).collect();
    for old in before.iter().filter(|p| !written.contains(p)) {
        // Only names quire writes: pages under the site, never outside it.
        if !old.contains("..") && !old.starts_with('/') {
            let path = site.join(old);
            let _ = std::fs::remove_file(&path);
            // The folder of an issue that left, once empty.
            if let Some(parent) = path.parent().filter(|p| *p != site) {
                let _ = std::fs::remove_dir(parent);
            }
        }
    }
    Ok(written)
}
