//! quire turns one magazine issue into its archive PDF, its print PDF and its EPUB.
//!
//! Data flows one way: [`edition::load`] reads `edition.toml`, the articles and the
//! style into a [`model::Edition`]; [`build`] lays it out once ([`layout::LaidEdition`]),
//! hands the model and the layout to the requested backends ([`pdf`], [`epub`]) and
//! writes their bytes atomically.
//!
//! ```no_run
//! let edition = quire::edition::load("editions/sample".as_ref()).unwrap();
//! let options = quire::BuildOptions::new("out");
//! let report = quire::build(&edition, &options).unwrap();
//! assert!(!report.outputs.is_empty());
//! ```

pub mod archive;
pub mod diag;
pub mod edition;
pub mod epub;
#[cfg(any(test, feature = "fuzzing"))]
#[doc(hidden)]
pub mod fuzz;
pub mod layout;
mod markdown;
pub mod model;
pub mod pdf;
pub mod preflight;
pub mod raster;
pub mod rebuild;
pub mod watch;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use diag::Diagnostic;
pub use layout::LaidEdition;
pub use layout::frame::ArticleFit;
use model::Edition;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// The archive PDF.
    Pdf,
    /// The EPUB 3.
    Epub,
    /// The print PDF: boxes, bleed, marks, CMYK, a page count padded to a multiple of four.
    Print,
    /// The archive PDF's pages imposed for saddle stitching (`--impose saddle`).
    Imposed,
    /// PNG previews of chosen pages (`--pages`, [`BuildOptions::previews`]): one file a
    /// page, [`preview_file_name`]. No backend of its own: asking for it as a format
    /// makes nothing.
    Preview,
}

impl Format {
    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf | Format::Print | Format::Imposed => "pdf",
            Format::Epub => "epub",
            Format::Preview => "png",
        }
    }

    /// The name used on the command line and in messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Epub => "epub",
            Format::Print => "print",
            Format::Imposed => "imposed",
            Format::Preview => "preview",
        }
    }

    /// The file this format writes for the edition `slug`: `<slug>.pdf`, `<slug>.epub`,
    /// `<slug>-print.pdf`, `<slug>-imposed.pdf`; for previews the pattern
    /// `<slug>-p<N>.png` (each page's name is [`preview_file_name`]).
    pub fn file_name(self, slug: &str) -> String {
        match self {
            Format::Pdf | Format::Epub => format!("{slug}.{}", self.extension()),
            Format::Print => format!("{slug}-print.pdf"),
            Format::Imposed => format!("{slug}-imposed.pdf"),
            Format::Preview => format!("{slug}-p<N>.png"),
        }
    }
}

/// The preview of page `page` (1 = the cover) of the edition `slug`: `<slug>-p<page>.png`.
pub fn preview_file_name(slug: &str, page: usize) -> String {
    format!("{slug}-p{page}.png")
}

/// PNG previews of some pages of the archive PDF's layout (`--pages`, `--ppi`).
#[derive(Debug, Clone)]
pub struct Previews {
    /// The pages to draw.
    pub pages: raster::PageSelection,
    /// Pixels per inch ([`raster::DEFAULT_PPI`] on the command line).
    pub ppi: u32,
}

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The folder the outputs go to (created when needed).
    pub out_dir: PathBuf,
    /// The formats to build.
    pub formats: Vec<Format>,
    /// Add the formats the edition's style makes default ([`default_formats`]): set when
    /// the command line named no format.
    pub style_defaults: bool,
    /// Write the print PDF even when its preflight finds errors (they are reported as
    /// warnings): for proofs and tests, never for the file sent to the printer.
    pub allow_preflight_errors: bool,
    /// Also write PNG previews of these pages, with the other outputs (all or none).
    pub previews: Option<Previews>,
}

impl BuildOptions {
    /// Every available format, into `out_dir`.
    pub fn new(out_dir: impl Into<PathBuf>) -> Self {
        BuildOptions {
            out_dir: out_dir.into(),
            formats: available_formats(),
            style_defaults: true,
            allow_preflight_errors: false,
            previews: None,
        }
    }
}

/// What a backend produced, before it is written.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Pages (PDF) or content documents (EPUB).
    pub units: usize,
    /// Warnings raised while rendering.
    pub warnings: Vec<Diagnostic>,
    /// Named stages inside the backend and how long each took.
    pub timings: Vec<(String, Duration)>,
    /// How each article was made up on the pages (paged formats only).
    pub makeup: Vec<ArticleFit>,
    /// Named figures about the output (the PDF's `lines` and `lines_scaled_over_1pct`).
    pub stats: Vec<(String, u64)>,
}

/// A backend turns the model, and the edition's layout, into the bytes of one file.
/// Backends are independent: they read the model and the layout the build made once for
/// all of them, and nothing of each other.
pub trait Backend {
    /// The format this backend writes.
    fn format(&self) -> Format;
    /// The page multiple of the laid-out document it reads ([`LaidEdition::padded_to`]):
    /// 1 for the pages as they are, 4 for the print edition's; `None` when it reads no
    /// layout.
    fn page_multiple(&self) -> Option<usize>;
    /// Whether it reads only the page list and the cover of its page multiple's document
    /// ([`LaidEdition::page_list`]), not its pages: then the build keeps no whole
    /// document for it.
    fn reads_page_list_only(&self) -> bool {
        false
    }
    /// Renders the whole edition into the bytes of one file. `laid` holds a document for
    /// the backend's [`Backend::page_multiple`], or the error that kept the edition
    /// from being laid out (a missing font).
    fn render(&self, edition: &Edition, laid: &LaidEdition) -> Result<Rendered, Error>;
}

/// One file written by [`build`].
#[derive(Debug, Clone)]
pub struct Output {
    /// Its format.
    pub format: Format,
    /// Where it was written.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
    /// Pages (PDF) or content documents (EPUB).
    pub units: usize,
    /// Named figures about the output (see [`Rendered::stats`]).
    pub stats: Vec<(String, u64)>,
}

#[derive(Debug, Clone, Default)]
/// What a build did: the files written, the warnings and the time each stage took.
pub struct BuildReport {
    /// The files written.
    pub outputs: Vec<Output>,
    /// Warnings from loading and from every backend.
    pub warnings: Vec<Diagnostic>,
    /// Stage names and how long each took.
    pub timings: Vec<(String, Duration)>,
    /// How each article was made up in the PDF (empty without a PDF).
    pub makeup: Vec<ArticleFit>,
    /// The print preflight's findings (notes, warnings and errors; empty unless asked for,
    /// see [`check_print`]).
    pub preflight: Vec<Diagnostic>,
}

/// Errors at the library boundary.
#[derive(Debug)]
pub enum Error {
    /// The input is wrong; each diagnostic names the file, the place and a hint.
    Input(Vec<Diagnostic>),
    /// Reading or writing a file failed.
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// A backend could not produce its output.
    Backend {
        /// The output that failed.
        format: Format,
        /// What went wrong.
        message: String,
    },
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Input(diags) => {
                for (i, d) in diags.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{d}")?;
                }
                Ok(())
            }
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Backend { format, message } => write!(f, "{} output: {message}", format.name()),
        }
    }
}

impl std::error::Error for Error {}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Error::Input(vec![d])
    }
}

/// The formats whose backends are complete: what `build` makes when no format is named.
pub fn available_formats() -> Vec<Format> {
    vec![Format::Pdf, Format::Epub]
}

/// What `build` makes of `edition` when no format is named: the available formats, and
/// the print PDF too when the style says so (`[print] default = true`).
pub fn default_formats(edition: &Edition) -> Vec<Format> {
    let mut formats = available_formats();
    if edition.style.print.default {
        formats.push(Format::Print);
    }
    formats
}

/// The backend of a format; previews have none (see [`Previews`]).
fn backend(format: Format) -> Option<Box<dyn Backend + Send + Sync>> {
    match format {
        Format::Pdf => Some(Box::new(pdf::PdfBackend)),
        Format::Epub => Some(Box::new(epub::EpubBackend)),
        Format::Print => Some(Box::new(pdf::PrintBackend)),
        Format::Imposed => Some(Box::new(pdf::ImposedBackend)),
        Format::Preview => None,
    }
}

/// Runs the requested backends on a loaded edition and writes `<out>/<file name>` for each
/// ([`Format::file_name`]).
/// Backends run in parallel; every file is written to a temporary file in the output
/// folder and renamed, so a failure never leaves a partial file or destroys an old one.
pub fn build(edition: &Edition, options: &BuildOptions) -> Result<BuildReport, Error> {
    build_with(edition, options, &|_| {})
}

/// A stage of [`build_with`], reported as it starts (for a progress display).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Laying the edition out, once for every output.
    Layout,
    /// Rendering every output in memory (and the print preflight).
    Render,
    /// Writing the outputs to disk.
    Write,
}

impl Stage {
    /// The stage's name in a progress display.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Layout => "layout",
            Stage::Render => "render",
            Stage::Write => "write",
        }
    }
}

/// The page multiple the print preflight reads: the pages as they are, so that it can
/// say how many blank pages the print PDF adds.
const PREFLIGHT_MULTIPLE: usize = 1;

/// Lays `edition` out once for every page multiple the backends of `formats` read, and
/// for the preflight when `preflight` is set and the `--pages` previews when `previews`
/// is ([`LaidEdition::new`]); nothing when none
/// reads a layout. Its timings go into `report` as `layout` and `layout/<stage>`.
fn lay_out(
    edition: &Edition,
    formats: &[Format],
    preflight: bool,
    previews: bool,
    report: &mut BuildReport,
) -> LaidEdition {
    let mut multiples = Vec::new();
    let mut page_lists = Vec::new();
    for b in formats.iter().filter_map(|&f| backend(f)) {
        match b.page_multiple() {
            Some(m) if b.reads_page_list_only() => page_lists.push(m),
            Some(m) => multiples.push(m),
            None => {}
        }
    }
    if preflight {
        multiples.push(PREFLIGHT_MULTIPLE);
    }
    if previews {
        multiples.push(PREVIEW_MULTIPLE);
    }
    let start = Instant::now();
    let laid = LaidEdition::with_page_lists(edition, &multiples, &page_lists);
    if !laid.timings.is_empty() {
        report.timings.push(("layout".to_string(), start.elapsed()));
        for (stage, t) in &laid.timings {
            report.timings.push((format!("layout/{stage}"), *t));
        }
    }
    laid
}

/// Whether a build of `formats` makes a print PDF, which its preflight goes with.
fn prints(formats: &[Format]) -> bool {
    formats
        .iter()
        .any(|f| matches!(f, Format::Print | Format::Imposed))
}

/// [`build`], calling `on_stage` as each [`Stage`] starts.
pub fn build_with(
    edition: &Edition,
    options: &BuildOptions,
    on_stage: &dyn Fn(Stage),
) -> Result<BuildReport, Error> {
    on_stage(Stage::Layout);
    let mut formats = options.formats.clone();
    if options.style_defaults {
        formats.extend(default_formats(edition));
    }
    out_folder(&options.out_dir)?;
    let mut report = BuildReport::default();
    let laid = lay_out(
        edition,
        &formats,
        prints(&formats),
        options.previews.is_some(),
        &mut report,
    );
    on_stage(Stage::Render);
    let rendered = render(edition, &formats, &laid, &mut report)?;
    // The print PDF goes to a printer: its preflight runs with it, and an error in it
    // (an image under 150 ppi, a font that may not be embedded) writes nothing.
    if prints(&formats) {
        let start = Instant::now();
        let laid = laid
            .padded_to(PREFLIGHT_MULTIPLE)
            .map_err(|d| Error::Input(vec![d]))?;
        let findings = preflight::run(
            edition,
            &laid.document,
            &preflight::PreflightOptions::default(),
        );
        report
            .timings
            .push(("preflight".to_string(), start.elapsed()));
        let failed = findings.iter().any(|f| f.severity == diag::Severity::Error);
        if failed && !options.allow_preflight_errors {
            return Err(Error::Input(findings));
        }
        report.preflight = findings
            .into_iter()
            .map(|mut f| {
                if f.severity == diag::Severity::Error {
                    f.severity = diag::Severity::Warning;
                    f.message = format!("{} (allowed by --allow-preflight-errors)", f.message);
                }
                f
            })
            .collect();
    }

    let previews = match &options.previews {
        Some(asked) => {
            let start = Instant::now();
            let drawn = previews(&laid, asked)?;
            report
                .timings
                .push(("preview".to_string(), start.elapsed()));
            drawn
        }
        None => Vec::new(),
    };

    out_folder(&options.out_dir)?;
    on_stage(Stage::Write);
    std::fs::create_dir_all(&options.out_dir).map_err(|source| Error::Io {
        path: options.out_dir.clone(),
        source,
    })?;
    remove_stale_temporaries(&options.out_dir, STALE_AFTER);
    let paths: Vec<PathBuf> = rendered
        .iter()
        .map(|(format, _)| options.out_dir.join(format.file_name(&edition.slug)))
        .collect();
    let preview_paths: Vec<PathBuf> = previews
        .iter()
        .map(|(page, _)| {
            options
                .out_dir
                .join(preview_file_name(&edition.slug, page + 1))
        })
        .collect();
    let files: Vec<(PathBuf, &[u8])> = paths
        .iter()
        .zip(&rendered)
        .map(|(path, (_, r))| (path.clone(), r.bytes.as_slice()))
        .chain(
            preview_paths
                .iter()
                .zip(&previews)
                .map(|(path, (_, png))| (path.clone(), png.bytes.as_slice())),
        )
        .collect();
    write_all_or_none(&files)?;
    for ((format, r), path) in rendered.into_iter().zip(paths) {
        report.outputs.push(Output {
            format,
            path,
            bytes: r.bytes.len() as u64,
            units: r.units,
            stats: r.stats,
        });
        add_new(&mut report.warnings, r.warnings);
        report.makeup.extend(r.makeup);
    }
    for ((_, png), path) in previews.into_iter().zip(preview_paths) {
        report.outputs.push(Output {
            format: Format::Preview,
            path,
            bytes: png.bytes.len() as u64,
            units: 1,
            stats: vec![
                ("width_px".to_string(), u64::from(png.width)),
                ("height_px".to_string(), u64::from(png.height)),
            ],
        });
    }
    Ok(report)
}

/// The page multiple previews are drawn from: the archive PDF's pages.
const PREVIEW_MULTIPLE: usize = 1;

/// Draws the pages `asked` names from the build's layout as the archive PDF has them, in
/// order: (0-based page index, PNG). A page past the end is an input error naming the
/// page count.
fn previews(laid: &LaidEdition, asked: &Previews) -> Result<Vec<(usize, raster::Png)>, Error> {
    let laid = laid
        .padded_to(PREVIEW_MULTIPLE)
        .map_err(|d| Error::Input(vec![d]))?;
    let document = &laid.document;
    let pages = asked.pages.resolve(document.pages.len()).map_err(|e| {
        Error::Input(vec![Diagnostic::error(e.to_string()).with_hint(
            "--pages counts the archive PDF's pages from 1 (the cover); ask for pages it has",
        )])
    })?;
    pages
        .into_iter()
        .map(|i| {
            raster::page_png(&document.pages[i], &document.fonts, asked.ppi)
                .map(|png| (i, png))
                .map_err(|e| Error::Backend {
                    format: Format::Preview,
                    message: format!("page {}: {e}", i + 1),
                })
        })
        .collect()
}

/// Checks that `out` is a folder or can become one: a file, a device (`/dev/null`) or a
/// symbolic link to nothing in its place is an error saying so, not the raw "File exists"
/// of the operating system.
fn out_folder(out: &Path) -> Result<(), Error> {
    let shown = out.display();
    let problem = match std::fs::metadata(out) {
        Ok(meta) if meta.is_dir() => return Ok(()),
        Ok(meta) => match edition::read::special_kind(&meta) {
            Some(kind) => format!("--out `{shown}` is {kind}, not a folder"),
            None => format!("--out `{shown}` is a file, not a folder"),
        },
        Err(_) => match std::fs::read_link(out) {
            Ok(target) => format!(
                "--out `{shown}` is a symbolic link to `{}`, which does not exist",
                target.display()
            ),
            // Nothing there yet: the folder is made when the outputs are written, unless
            // the nearest thing above it that exists is not a folder.
            Err(_) => {
                let above = out
                    .ancestors()
                    .skip(1)
                    .filter(|a| !a.as_os_str().is_empty())
                    .find_map(|a| std::fs::metadata(a).ok().map(|m| (a, m)));
                match above {
                    Some((above, meta)) if !meta.is_dir() => format!(
                        "--out `{shown}` lies under `{}`, which is not a folder",
                        above.display()
                    ),
                    _ => return Ok(()),
                }
            }
        },
    };
    Err(Diagnostic::error(problem)
        .with_hint("--out names the folder the outputs go into; name a folder, or a new path")
        .into())
}

/// Appends the warnings not already there: backends that lay out the same pages (the PDF
/// and the imposed PDF) raise the same layout warnings.
fn add_new(warnings: &mut Vec<Diagnostic>, new: Vec<Diagnostic>) {
    for w in new {
        if !warnings.contains(&w) {
            warnings.push(w);
        }
    }
}

/// Runs the requested backends in memory and writes nothing: `quire check`. The report
/// has the backends' warnings and timings and no outputs.
pub fn check(edition: &Edition, formats: &[Format]) -> Result<BuildReport, Error> {
    let mut report = BuildReport::default();
    let laid = lay_out(edition, formats, false, false, &mut report);
    check_laid(edition, formats, &laid, report)
}

/// [`check`] on an edition laid out already, adding to `report`.
fn check_laid(
    edition: &Edition,
    formats: &[Format],
    laid: &LaidEdition,
    mut report: BuildReport,
) -> Result<BuildReport, Error> {
    let rendered = render(edition, formats, laid, &mut report)?;
    for (_, r) in rendered {
        add_new(&mut report.warnings, r.warnings);
        report.makeup.extend(r.makeup);
    }
    Ok(report)
}

/// [`check`], then the print preflight ([`preflight::run`]) on the same layout, as the
/// pages are (unpadded): `quire check --print`. Its findings are in [`BuildReport::preflight`], and a
/// backend warning the preflight repeats (a stranded page) is left out of `warnings`. The
/// edition passed preflight when none of its findings is an error.
///
/// When a backend fails, the findings come first in the error, because they place what
/// a backend may only name (a font whose licence forbids embedding fails the PDF too).
pub fn check_print(
    edition: &Edition,
    formats: &[Format],
    options: &preflight::PreflightOptions,
) -> Result<BuildReport, Error> {
    let mut report = BuildReport::default();
    let laid = lay_out(edition, formats, true, false, &mut report);
    let checked = check_laid(edition, formats, &laid, report);
    let start = Instant::now();
    let laid = match laid.padded_to(PREFLIGHT_MULTIPLE) {
        Ok(laid) => laid,
        // The backends failed the same way, or will say it better.
        Err(d) => return checked.and(Err(d.into())),
    };
    let findings = preflight::run(edition, &laid.document, options);
    let elapsed = start.elapsed();
    let mut report = match checked {
        Ok(report) => report,
        Err(e) => {
            let mut diags = findings;
            match e {
                Error::Input(d) => diags.extend(d),
                other => diags.push(Diagnostic::error(other.to_string())),
            }
            return Err(Error::Input(diags));
        }
    };
    report.preflight = findings;
    report.timings.push(("preflight".to_string(), elapsed));
    let repeated = |w: &Diagnostic| {
        report
            .preflight
            .iter()
            .any(|f| f.message == w.message && f.file == w.file)
    };
    let warnings = std::mem::take(&mut report.warnings);
    report.warnings = warnings.into_iter().filter(|w| !repeated(w)).collect();
    Ok(report)
}

/// Renders every requested format (in parallel) into memory from the edition laid out
/// once (`laid`), adding their timings to `report`. If one backend fails, the first error
/// is returned and nothing else matters: the caller writes nothing.
fn render(
    edition: &Edition,
    formats: &[Format],
    laid: &LaidEdition,
    report: &mut BuildReport,
) -> Result<Vec<(Format, Rendered)>, Error> {
    let mut formats = formats.to_vec();
    formats.retain(|&f| backend(f).is_some());
    formats.sort();
    formats.dedup();

    let results: Vec<(Format, Result<Rendered, Error>, Duration)> = std::thread::scope(|s| {
        let handles: Vec<_> = formats
            .iter()
            .map(|&format| {
                s.spawn(move || {
                    let start = Instant::now();
                    let result = guarded(format, || match backend(format) {
                        Some(backend) => backend.render(edition, laid),
                        None => Err(Error::Backend {
                            format,
                            message: "has no backend".to_string(),
                        }),
                    });
                    (format, result, start.elapsed())
                })
            })
            .collect();
        handles
            .into_iter()
            .zip(&formats)
            .map(|(h, &format)| {
                h.join().unwrap_or_else(|payload| {
                    (format, Err(panicked(format, payload)), Duration::ZERO)
                })
            })
            .collect()
    });

    // Render everything first: if one backend fails, nothing is written.
    let mut rendered = Vec::new();
    for (format, result, elapsed) in results {
        let r = result?;
        report.timings.push((format.name().to_string(), elapsed));
        for (stage, t) in &r.timings {
            report
                .timings
                .push((format!("{}/{stage}", format.name()), *t));
        }
        rendered.push((format, r));
    }
    Ok(rendered)
}

/// Runs a backend so that a bug in it (a panic) fails the build with an error naming the
/// output, like any other backend error, instead of aborting the program.
fn guarded(
    format: Format,
    render: impl FnOnce() -> Result<Rendered, Error>,
) -> Result<Rendered, Error> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(render))
        .unwrap_or_else(|payload| Err(panicked(format, payload)))
}

/// The error for a backend that panicked, with the panic's message when it has one.
fn panicked(format: Format, payload: Box<dyn std::any::Any + Send>) -> Error {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".to_string());
    Error::Backend {
        format,
        message: format!(
            "internal error ({what}); nothing was written. This is a bug in quire: please \
             report it with the edition that causes it"
        ),
    }
}

/// Temporary files quire writes start with this and end with [`TEMP_SUFFIX`]:
/// `.quire-42.pdf.a1B2c3.tmp` beside `42.pdf`.
pub const TEMP_PREFIX: &str = ".quire-";
/// See [`TEMP_PREFIX`].
pub const TEMP_SUFFIX: &str = ".tmp";
/// A temporary file of ours older than this in the output folder was left by a run that
/// was killed; a build removes it.
pub const STALE_AFTER: Duration = Duration::from_secs(60 * 60);

/// Removes the temporary files ([`TEMP_PREFIX`]) in `dir` last modified more than `age`
/// ago: the leftovers of a killed run. Younger ones may belong to a run under way. Only
/// regular files with our prefix and suffix are touched; failures are ignored (the next
/// build tries again).
pub fn remove_stale_temporaries(dir: &Path, age: Duration) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = std::time::SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        // Also the names of quire 0.1 before they ended in `.tmp`: `.quire-` and six
        // random letters or digits.
        let legacy = name
            .strip_prefix(TEMP_PREFIX)
            .is_some_and(|rest| rest.len() == 6 && rest.chars().all(|c| c.is_ascii_alphanumeric()));
        if !(name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX) || legacy) {
            continue;
        }
        let Ok(meta) = entry.path().symlink_metadata() else {
            continue;
        };
        let old = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|d| d > age);
        if meta.is_file() && old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// A temporary file beside `path` ([`TEMP_PREFIX`]), created empty.
fn temporary_beside(path: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().map_or_else(
        || "output".to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let mut builder = tempfile::Builder::new();
    let prefix = format!("{TEMP_PREFIX}{name}.");
    builder.prefix(&prefix).suffix(TEMP_SUFFIX);
    // Temporary files are private (0600); the output is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    builder.tempfile_in(dir)
}

/// Writes every `(path, bytes)` or none: all go to temporary files beside their targets
/// first (a full disk or an unwritable folder then replaces nothing), each target that
/// exists is kept as a backup (a hard link, or a copy where links are not supported),
/// then each temporary file is renamed over its target. When a rename fails (the target
/// is a folder, an immutable file), the targets already replaced get their old contents
/// back. No temporary file or backup is left behind.
pub fn write_all_or_none(files: &[(PathBuf, &[u8])]) -> Result<(), Error> {
    // A folder where a file goes is refused before anything is written.
    for (path, _) in files {
        if path.symlink_metadata().is_ok_and(|m| m.is_dir()) {
            return Err(Diagnostic::error(format!(
                "`{}` is a folder, where quire writes a file; nothing was written",
                path.display()
            ))
            .with_hint("move or rename the folder, or build into another --out folder")
            .into());
        }
    }
    commit(files)
}

/// [`write_all_or_none`] after its check for folders.
fn commit(files: &[(PathBuf, &[u8])]) -> Result<(), Error> {
    let err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    let mut temps = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        let mut tmp = temporary_beside(path).map_err(err(path))?;
        tmp.write_all(bytes).map_err(err(path))?;
        tmp.as_file().sync_all().map_err(err(path))?;
        temps.push(tmp);
    }
    // Backups of the files about to be replaced, to put back if a later rename fails.
    let mut backups: Vec<Option<tempfile::TempPath>> = Vec::with_capacity(files.len());
    for (path, _) in files {
        if !path.symlink_metadata().is_ok_and(|m| m.is_file()) {
            backups.push(None);
            continue;
        }
        let backup = temporary_beside(path).map_err(err(path))?.into_temp_path();
        let kept = std::fs::remove_file(&backup)
            .and_then(|()| std::fs::hard_link(path, &backup))
            .or_else(|_| std::fs::copy(path, &backup).map(|_| ()));
        kept.map_err(err(path))?;
        backups.push(Some(backup));
    }
    for (i, tmp) in temps.into_iter().enumerate() {
        let path = &files[i].0;
        if let Err(e) = tmp.persist(path) {
            // Put back what this build already replaced.
            for (j, (done, _)) in files.iter().enumerate().take(i) {
                match &backups[j] {
                    Some(backup) => {
                        let _ = std::fs::rename(backup, done);
                    }
                    None => {
                        let _ = std::fs::remove_file(done);
                    }
                }
            }
            return Err(Error::Io {
                path: path.clone(),
                source: e.error,
            });
        }
    }
    Ok(())
}

/// Writes `bytes` to a temporary file beside `path`, then renames it over `path`.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut tmp = temporary_beside(path).map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_rename_puts_back_the_files_already_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let (old, new, blocked) = (
            dir.path().join("a.pdf"),
            dir.path().join("b.pdf"),
            dir.path().join("c.epub"),
        );
        std::fs::write(&old, b"old").unwrap();
        // A folder with a file in it: the rename over it fails.
        std::fs::create_dir(&blocked).unwrap();
        std::fs::write(blocked.join("x"), b"x").unwrap();
        let files: Vec<(PathBuf, &[u8])> = vec![
            (old.clone(), b"new a"),
            (new.clone(), b"new b"),
            (blocked.clone(), b"new c"),
        ];
        assert!(commit(&files).is_err());
        assert_eq!(std::fs::read(&old).unwrap(), b"old");
        assert!(!new.exists(), "a file that was not there is removed again");
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["a.pdf", "c.epub"], "no temporary file is left");
        // The check before writing refuses the folder with a message.
        let err = write_all_or_none(&files).unwrap_err();
        assert!(err.to_string().contains("is a folder"), "{err}");
        assert_eq!(std::fs::read(&old).unwrap(), b"old");
    }

    #[test]
    fn stale_temporaries_are_removed_and_young_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join(".quire-ed.pdf.abc123.tmp");
        let young = dir.path().join(".quire-ed.epub.def456.tmp");
        let legacy = dir.path().join(".quire-a1B2c3");
        let other = dir.path().join(".quire-notes.md");
        for p in [&stale, &young, &legacy, &other] {
            std::fs::write(p, b"x").unwrap();
        }
        let two_hours_ago = std::time::SystemTime::now() - Duration::from_secs(7200);
        for p in [&stale, &legacy, &other] {
            let f = std::fs::File::options().write(true).open(p).unwrap();
            f.set_modified(two_hours_ago).unwrap();
        }
        remove_stale_temporaries(dir.path(), STALE_AFTER);
        assert!(!stale.exists());
        assert!(!legacy.exists(), "the names of earlier versions");
        assert!(young.exists(), "may belong to a build under way");
        assert!(other.exists(), "not one of ours");
    }

    #[test]
    fn a_panicking_backend_becomes_an_error() {
        let err = guarded(Format::Pdf, || panic!("column {} out of range", 4)).unwrap_err();
        let Error::Backend { format, message } = err else {
            panic!("not a backend error");
        };
        assert_eq!(format, Format::Pdf);
        assert!(message.contains("column 4 out of range"), "{message}");
        assert!(message.contains("nothing was written"), "{message}");
        let ok = guarded(Format::Epub, || {
            Ok(Rendered {
                bytes: vec![1],
                units: 1,
                warnings: Vec::new(),
                timings: Vec::new(),
                makeup: Vec::new(),
                stats: Vec::new(),
            })
        });
        assert_eq!(ok.unwrap().bytes, vec![1]);
    }
}
