//! The command line: parse arguments, call the library, print diagnostics, set the exit code.
//!
//! Exit status: 0 on success, 1 when an input (or a backend, or the disk) fails, 2 on a
//! usage error (clap's own), 3 when `check --deny-warnings` found warnings and no error,
//! 141 when stdout or stderr was closed by its reader. Diagnostics go to stderr, then the
//! warnings counted by kind; `--json` puts exactly one JSON object on stdout (usage errors
//! included, and nothing else there), and the list of files written goes to stdout
//! otherwise. On a terminal, a spinner on stderr shows each edition's stage; `--quiet`
//! leaves errors only.

use std::collections::HashMap;
use std::io::{ErrorKind, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use quire::diag::{Code, Diagnostic, Severity};
use quire::edition::LoadOptions;
use quire::preflight::PreflightOptions;
use quire::{BuildOptions, BuildReport, Error, Format};
use serde_json::{Value, json};

mod magazine_cli;
mod watch_cli;

/// Layout makes many small short-lived allocations (words, glyph runs, items); mimalloc
/// serves them about twice as fast as the system allocator. Without transparent huge
/// pages (`no_thp`), which would double the peak memory of a build.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "quire",
    version,
    about = "Turns a magazine issue (edition.toml + Markdown articles) into a PDF and an EPUB"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the PDF and EPUB of each edition into the output folder. With no edition,
    /// inside a magazine folder (quire.toml): every issue whose inputs changed since its
    /// outputs were written (docs/magazine.md).
    Build {
        /// Edition folders (each holds an edition.toml).
        #[arg(value_name = "EDITION_DIR")]
        editions: Vec<PathBuf>,
        /// Where to write `<slug>.pdf` and `<slug>.epub` [default: out, or the magazine's
        /// `out` folder].
        #[arg(short = 'o', long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Formats to build, separated by commas, in any case (spaces around the names
        /// are ignored). Default: every available format.
        #[arg(long, value_delimiter = ',', value_parser = FormatParser, value_name = "LIST")]
        format: Vec<FormatArg>,
        /// Also write the print PDF, `<slug>-print.pdf` (bleed, marks, CMYK; docs/print.md).
        #[arg(long)]
        print: bool,
        /// Also write `<slug>-imposed.pdf`: the pages imposed for the printer.
        #[arg(long, value_name = "SCHEME")]
        impose: Option<ImposeArg>,
        /// Write the print PDF even when its preflight finds errors, reported as warnings
        /// (for proofs; never send such a file to the printer).
        #[arg(long)]
        allow_preflight_errors: bool,
        /// Print one JSON object (outputs, warnings, errors, timings) on stdout.
        #[arg(long)]
        json: bool,
        /// The size limit of every text, image and font file, in MB (from 1 to 256);
        /// overrides `[limits]` in edition.toml and also limits edition.toml itself.
        #[arg(long, value_name = "MB", value_parser = clap::value_parser!(u64).range(1..=quire::edition::MAX_FILE_MB_CEILING))]
        max_file_size: Option<u64>,
        /// Print errors only: no progress, no warnings, no list of files written.
        #[arg(long, short)]
        quiet: bool,
        #[command(flatten)]
        fonts: FontArgs,
        /// Also write PNG previews of these pages of the PDF, `<slug>-p<N>.png`: pages
        /// from 1 (the cover) and ranges, separated by commas (`1,3-5`, `7-`, `-2`).
        #[arg(long, value_name = "PAGES")]
        pages: Option<quire::raster::PageSelection>,
        /// The resolution of the previews, in pixels per inch (1 to 1200).
        #[arg(long, value_name = "N", requires = "pages", default_value_t = quire::raster::DEFAULT_PPI,
              value_parser = clap::value_parser!(u32).range(1..=i64::from(quire::raster::MAX_PPI)))]
        ppi: u32,
        /// Open the PDF (or the first output, without a PDF) in the system's viewer once
        /// it is written ($QUIRE_OPEN names another program).
        #[arg(long)]
        open: bool,
    },
    /// Build an edition, then rebuild it on every change to its inputs until Ctrl-C. On a
    /// magazine folder (quire.toml): every issue whose inputs changed.
    Watch {
        /// An edition folder (edition.toml) or a magazine folder (quire.toml) [default:
        /// the current folder's edition, else the magazine around it].
        #[arg(value_name = "DIR")]
        dir: Option<PathBuf>,
        /// Where to write the outputs [default: out, or the magazine's `out` folder].
        #[arg(short = 'o', long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Formats to build, separated by commas, in any case (spaces around the names
        /// are ignored). Default: every available format.
        #[arg(long, value_delimiter = ',', value_parser = FormatParser, value_name = "LIST")]
        format: Vec<FormatArg>,
        /// Also write the print PDF, `<slug>-print.pdf`.
        #[arg(long)]
        print: bool,
        /// Write the print PDF even when its preflight finds errors (for proofs).
        #[arg(long)]
        allow_preflight_errors: bool,
        /// Open the PDF (or the first output, without a PDF) in the system's viewer after
        /// the first build that succeeds ($QUIRE_OPEN names another program).
        #[arg(long)]
        open: bool,
        /// The size limit of every text, image and font file, in MB (from 1 to 256).
        #[arg(long, value_name = "MB", value_parser = clap::value_parser!(u64).range(1..=quire::edition::MAX_FILE_MB_CEILING))]
        max_file_size: Option<u64>,
        /// Print errors and the one line per rebuild only: no warnings.
        #[arg(long, short)]
        quiet: bool,
        #[command(flatten)]
        fonts: FontArgs,
    },
    /// Build one article alone, in its edition's style and fonts, as
    /// `<article>-preview.pdf` (the edition.toml is found in the article's folder or above).
    Preview {
        /// The article's Markdown file; it need not be listed in edition.toml.
        #[arg(value_name = "ARTICLE")]
        article: PathBuf,
        /// Where to write `<article>-preview.pdf`.
        #[arg(short = 'o', long, value_name = "DIR", default_value = "out")]
        out: PathBuf,
        /// Formats to build, separated by commas, in any case [default: pdf].
        #[arg(long, value_delimiter = ',', value_parser = FormatParser, value_name = "LIST")]
        format: Vec<FormatArg>,
        /// Open the PDF (or the first output, without a PDF) in the system's viewer once
        /// it is written ($QUIRE_OPEN names another program).
        #[arg(long)]
        open: bool,
        /// Print one JSON object (outputs, warnings, errors, timings) on stdout.
        #[arg(long)]
        json: bool,
        /// The size limit of every text, image and font file, in MB (from 1 to 256).
        #[arg(long, value_name = "MB", value_parser = clap::value_parser!(u64).range(1..=quire::edition::MAX_FILE_MB_CEILING))]
        max_file_size: Option<u64>,
        /// Print errors only: no warnings, no list of files written.
        #[arg(long, short)]
        quiet: bool,
        #[command(flatten)]
        fonts: FontArgs,
    },
    /// Load and validate each edition and render it in memory; write nothing. With no
    /// edition, inside a magazine folder (quire.toml): every issue, with a summary.
    Check {
        /// Edition folders (each holds an edition.toml).
        #[arg(value_name = "EDITION_DIR")]
        editions: Vec<PathBuf>,
        /// Formats to render, separated by commas, in any case (spaces around the names
        /// are ignored). Default: every available format.
        #[arg(long, value_delimiter = ',', value_parser = FormatParser, value_name = "LIST")]
        format: Vec<FormatArg>,
        /// Print one JSON object (warnings, errors, timings) on stdout.
        #[arg(long)]
        json: bool,
        /// Print errors only: no progress, no warnings, no "ok" lines.
        #[arg(long, short)]
        quiet: bool,
        /// Preflight the print PDF too: image resolution and colour, text near the trim,
        /// font licences, cut text, stranded pages, pages added to reach a multiple of
        /// four. An error among the findings fails the check.
        #[arg(long)]
        print: bool,
        /// Fail (exit status 3) when there are warnings, even without errors.
        #[arg(long)]
        deny_warnings: bool,
        /// The size limit of every text, image and font file, in MB (from 1 to 256);
        /// overrides `[limits]` in edition.toml and also limits edition.toml itself.
        #[arg(long, value_name = "MB", value_parser = clap::value_parser!(u64).range(1..=quire::edition::MAX_FILE_MB_CEILING))]
        max_file_size: Option<u64>,
        #[command(flatten)]
        fonts: FontArgs,
    },
    /// Build every issue of a magazine, or every edition in a folder, into a static
    /// website with OPDS feeds (docs/archive.md); unchanged issues are skipped.
    Archive {
        /// A magazine folder (quire.toml), or a folder whose subfolders are editions
        /// [default: the magazine folder around the current folder].
        #[arg(value_name = "DIR")]
        dir: Option<PathBuf>,
        /// The site folder: new, empty, or the site of an earlier run [default: `site`
        /// in the magazine folder, else `site`].
        #[arg(short = 'o', long, value_name = "SITE_DIR")]
        out: Option<PathBuf>,
        /// How many issues to build at once (default: one per core).
        #[arg(long, short, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        jobs: Option<u16>,
        /// Print one JSON object (issues built and skipped, warnings, errors) on stdout.
        #[arg(long)]
        json: bool,
        /// Print errors only.
        #[arg(long, short)]
        quiet: bool,
        /// The size limit of every text, image and font file, in MB (from 1 to 256).
        #[arg(long, value_name = "MB", value_parser = clap::value_parser!(u64).range(1..=quire::edition::MAX_FILE_MB_CEILING))]
        max_file_size: Option<u64>,
    },
    /// Write a new edition with a sample article into a new or empty folder. Inside a
    /// magazine folder (quire.toml): its next issue, numbered and dated after the last.
    New {
        /// The new folder (inside a magazine: by default from its `issue_folder`).
        #[arg(value_name = "EDITION_DIR")]
        edition: Option<PathBuf>,
    },
    /// Print a shell completion script on stdout (`quire completions bash > …`).
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// List the font families and faces quire can use, with where each was found.
    Fonts {
        /// An edition folder: its own and the project's `fonts/` folders come first.
        #[arg(value_name = "EDITION_DIR")]
        edition: Option<PathBuf>,
        #[command(flatten)]
        fonts: FontArgs,
        /// Print one JSON object on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Print the manual page (roff) on stdout (`quire man | man -l -`).
    Man,
}

/// Where fonts are looked for besides the edition's and the project's `fonts/` folders
/// and the embedded fonts.
#[derive(clap::Args, Clone, Default)]
struct FontArgs {
    /// Also look for fonts in DIR (and below it), after the edition's and the project's
    /// `fonts/` folders; may be given several times.
    #[arg(long = "font-path", value_name = "DIR")]
    font_path: Vec<PathBuf>,
    /// Never look at the fonts installed on the system (for reproducible builds in CI).
    #[arg(long)]
    ignore_system_fonts: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, ValueEnum)]
enum FormatArg {
    Pdf,
    Epub,
    Print,
}

/// Imposition schemes.
#[derive(Clone, Copy, ValueEnum)]
enum ImposeArg {
    /// Saddle stitching: two pages to a sheet side, sheets nested and folded.
    Saddle,
}

/// One name of a `--format` list: any case, spaces around it ignored (`PDF`, ` epub`).
fn parse_format(text: &str) -> Result<FormatArg, String> {
    let name = text.trim();
    FormatArg::from_str(name, true).map_err(|_| {
        let names: Vec<String> = FormatArg::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value())
            .map(|v| v.get_name().to_string())
            .collect();
        if name.is_empty() {
            format!("an empty format name; the formats are {}", names.join(", "))
        } else {
            format!(
                "unknown format `{name}`; the formats are {}",
                names.join(", ")
            )
        }
    })
}

/// [`parse_format`] as clap's parser, which also tells help and the completion scripts the
/// format names.
#[derive(Clone)]
struct FormatParser;

impl clap::builder::TypedValueParser for FormatParser {
    type Value = FormatArg;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<FormatArg, clap::Error> {
        clap::builder::StringValueParser::new()
            .try_map(|s| parse_format(&s))
            .parse_ref(cmd, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            FormatArg::value_variants()
                .iter()
                .filter_map(ValueEnum::to_possible_value),
        ))
    }
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Pdf => Format::Pdf,
            FormatArg::Epub => Format::Epub,
            FormatArg::Print => Format::Print,
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) if wants_json(&args) => return clap_json(&e),
        Err(e) => return clap_exit(&e),
    };
    /// The formats asked for, or every available one when none was named.
    fn chosen(asked: Vec<FormatArg>) -> Vec<Format> {
        if asked.is_empty() {
            quire::available_formats()
        } else {
            let mut formats: Vec<Format> = Vec::new();
            for f in asked.into_iter().map(Format::from) {
                if !formats.contains(&f) {
                    formats.push(f);
                }
            }
            formats
        }
    }
    let mut run = Run::new();
    let (json, ok) = match cli.command {
        Command::Build {
            editions,
            out,
            format,
            print,
            allow_preflight_errors,
            impose,
            json,
            max_file_size,
            quiet,
            fonts,
            pages,
            ppi,
            open,
        } => {
            run.quiet = quiet;
            let style_defaults = format.is_empty();
            let mut formats = chosen(format);
            if print && !formats.contains(&Format::Print) {
                formats.push(Format::Print);
            }
            if let Some(ImposeArg::Saddle) = impose {
                formats.push(Format::Imposed);
            }
            let mut options = BuildOptions {
                out_dir: out.clone().unwrap_or_else(|| PathBuf::from("out")),
                formats,
                style_defaults,
                allow_preflight_errors,
                previews: pages.map(|pages| quire::Previews { pages, ppi }),
            };
            let load = load_options(max_file_size, fonts);
            let ok = if editions.is_empty() {
                magazine_cli::build(&mut run, &mut options, out, &load, json)
            } else {
                run.each(&editions, &load, Mode::Build(&options), json)
            };
            if open {
                watch_cli::open_first(&mut run);
            }
            (json, ok)
        }
        Command::Watch {
            dir,
            out,
            format,
            print,
            allow_preflight_errors,
            open,
            max_file_size,
            quiet,
            fonts,
        } => {
            run.quiet = quiet;
            let style_defaults = format.is_empty();
            let mut formats = chosen(format);
            if print && !formats.contains(&Format::Print) {
                formats.push(Format::Print);
            }
            let watch = watch_cli::Watch {
                dir,
                out,
                options: BuildOptions {
                    out_dir: PathBuf::from("out"),
                    formats,
                    style_defaults,
                    allow_preflight_errors,
                    previews: None,
                },
                load: load_options(max_file_size, fonts),
                open,
            };
            (false, watch_cli::watch(watch, &mut run))
        }
        Command::Preview {
            article,
            out,
            format,
            open,
            json,
            max_file_size,
            quiet,
            fonts,
        } => {
            run.quiet = quiet;
            let formats = if format.is_empty() {
                vec![Format::Pdf]
            } else {
                chosen(format)
            };
            let options = BuildOptions {
                out_dir: out,
                formats,
                style_defaults: false,
                allow_preflight_errors: false,
                previews: None,
            };
            let load = load_options(max_file_size, fonts);
            let ok = run.loaded(
                &article,
                || quire::edition::load_preview(&article, &load),
                &Mode::Build(&options),
                json,
                &mut Vec::new(),
            );
            if open {
                watch_cli::open_first(&mut run);
            }
            (json, ok)
        }
        Command::Check {
            editions,
            format,
            json,
            print,
            deny_warnings,
            max_file_size,
            quiet,
            fonts,
        } => {
            run.quiet = quiet;
            let formats = chosen(format);
            let preflight = print.then(PreflightOptions::default);
            let load = load_options(max_file_size, fonts);
            let ok = if editions.is_empty() {
                magazine_cli::check(&mut run, &formats, preflight.as_ref(), &load, json)
            } else {
                run.each(
                    &editions,
                    &load,
                    Mode::Check(&formats, preflight.as_ref()),
                    json,
                )
            };
            run.denied = deny_warnings && ok && !run.warnings.is_empty();
            if run.denied {
                let n = run.warnings.len();
                let text = format!(
                    "error: {n} warning{} and --deny-warnings (exit status {WARNINGS_DENIED})",
                    if n == 1 { "" } else { "s" }
                );
                run.err(&text);
            }
            (json, ok)
        }
        Command::Archive {
            dir,
            out,
            jobs,
            json,
            quiet,
            max_file_size,
        } => {
            run.quiet = quiet;
            let ok = match magazine_cli::archive_editions(dir.as_deref(), &mut run) {
                Some((editions, site, shown)) => {
                    let mut options = quire::archive::ArchiveOptions::new(out.unwrap_or(site));
                    // As `build` without font options: system fonts for families nothing
                    // else has.
                    options.load = LoadOptions {
                        max_file_mb: max_file_size,
                        font_paths: Vec::new(),
                        system_fonts: true,
                    };
                    if let Some(n) = jobs {
                        options.jobs = usize::from(n);
                    }
                    archive(&editions, &shown, &options, &mut run, json)
                }
                None => false,
            };
            (json, ok)
        }
        Command::New { edition } => (false, magazine_cli::new(edition.as_deref(), &mut run)),
        Command::Completions { shell } => {
            let mut text = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "quire", &mut text);
            run.out(String::from_utf8_lossy(&text).trim_end());
            (false, true)
        }
        Command::Fonts {
            edition,
            fonts,
            json,
        } => (json, list_fonts(edition.as_deref(), &fonts, json, &mut run)),
        Command::Man => {
            let mut text = Vec::new();
            let ok = clap_mangen::Man::new(Cli::command())
                .render(&mut text)
                .is_ok();
            run.out(String::from_utf8_lossy(&text).trim_end());
            (false, ok)
        }
    };
    run.warning_summary();
    if json {
        let text = run.json(ok).to_string();
        run.out(&text);
    }
    run.exit_code(ok)
}

/// `quire archive`: builds the site and says, per issue, whether it was built, skipped
/// (unchanged) or failed; true when none failed.
fn archive(
    editions: &[PathBuf],
    dir: &Path,
    options: &quire::archive::ArchiveOptions,
    run: &mut Run,
    json: bool,
) -> bool {
    use quire::archive::Status;
    let report = match quire::archive::archive(editions, options) {
        Ok(r) => r,
        Err(e) => {
            run.fail(&e);
            return false;
        }
    };
    let mut ok = true;
    for issue in &report.issues {
        for w in &issue.warnings {
            run.report(w);
        }
        if let Some(e) = &issue.error {
            run.fail(e);
            ok = false;
        }
        let status = match issue.status {
            Status::Built => "built",
            Status::Skipped => "skipped",
            Status::Failed => "failed",
        };
        run.outputs.push(json!({
            "edition": issue.slug,
            "status": status,
            "ms": (issue.elapsed.as_secs_f64() * 1_000_000.0).round() / 1000.0,
        }));
        if !json && !run.quiet {
            let why = match issue.status {
                Status::Built => format!(" ({:.1} s)", issue.elapsed.as_secs_f64()),
                Status::Skipped => " (unchanged)".to_string(),
                Status::Failed => String::new(),
            };
            run.out(&format!("{status} {}{why}", issue.slug));
        }
    }
    run.summarise();
    if !json && !run.quiet {
        for slug in &report.removed {
            run.out(&format!("removed {slug} (no longer in {})", dir.display()));
        }
        let built = report
            .issues
            .iter()
            .filter(|i| i.status == Status::Built)
            .count();
        let skipped = report
            .issues
            .iter()
            .filter(|i| i.status == Status::Skipped)
            .count();
        run.out(&format!(
            "wrote {} ({} pages and feeds; {built} built, {skipped} skipped)",
            options.site_dir.join("index.html").display(),
            report.pages.len()
        ));
    }
    ok
}

/// What the command line overrides when loading an edition.
fn load_options(max_file_mb: Option<u64>, fonts: FontArgs) -> LoadOptions {
    LoadOptions {
        max_file_mb,
        font_paths: fonts.font_path,
        system_fonts: !fonts.ignore_system_fonts,
    }
}

/// `quire fonts`: every face from the edition's and the project's `fonts/` (when an
/// edition is named), `--font-path`, the embedded fonts and the system's, in that order
/// of precedence; one line a face, or a `fonts` list in the JSON object.
fn list_fonts(edition: Option<&Path>, fonts: &FontArgs, json: bool, run: &mut Run) -> bool {
    let (root, dirs) = match edition.map(quire::edition::font_folders).transpose() {
        Ok(found) => found.unzip(),
        Err(e) => {
            run.fail(&e);
            return false;
        }
    };
    let dirs = dirs.unwrap_or_default();
    let sources = quire::layout::FontSources {
        dirs: &dirs,
        edition: root.as_deref(),
        paths: &fonts.font_path,
        system: !fonts.ignore_system_fonts,
    };
    let limit = quire::model::Limits::default().font_file;
    let faces = match quire::layout::available_fonts(&sources, limit) {
        Ok(faces) => faces,
        Err(d) => {
            run.fail(&Error::Input(vec![d]));
            return false;
        }
    };
    if json {
        run.fonts = Some(Vec::new());
    }
    for face in &faces {
        let entry = json!({
            "family": face.family,
            "name": face.name,
            "weight": face.weight,
            "style": face.style,
            "source": face.origin.name(),
            "path": face.path.as_ref().map(|p| p.display().to_string()),
        });
        if json {
            run.fonts.get_or_insert_with(Vec::new).push(entry);
        } else {
            let place = face
                .path
                .as_ref()
                .map_or_else(String::new, |p| format!("\t{}", p.display()));
            let text = format!(
                "{}\t{} {}\t{}{place}",
                face.family,
                face.weight,
                face.style,
                face.origin.name()
            );
            run.out(&text);
        }
    }
    true
}

/// Does the command line ask for `--json` (before a `--` that ends the options)? Read
/// from the raw arguments, so that a usage error can still be answered in JSON.
fn wants_json(args: &[std::ffi::OsString]) -> bool {
    args.iter()
        .skip(1)
        .take_while(|a| *a != "--")
        .any(|a| a == "--json")
}

/// Clap's help, version or usage error as the one JSON object of `--json` (the usage
/// error is also printed on stderr, as without `--json`): `ok`, `exit_status`, the usual
/// lists (empty, or the error in `errors`) and `help` or `version` for those requests.
fn clap_json(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind as Kind;
    let status = u8::try_from(e.exit_code()).unwrap_or(2);
    let mut run = Run::new();
    let text = e.render().to_string();
    match e.kind() {
        Kind::DisplayHelp | Kind::DisplayHelpOnMissingArgumentOrSubcommand if status == 0 => {
            run.extra = Some(("help", json!(text)));
        }
        Kind::DisplayVersion => run.extra = Some(("version", json!(text.trim_end()))),
        _ => {
            let first = text.lines().next().unwrap_or_default();
            let message = first.strip_prefix("error: ").unwrap_or(first).to_string();
            let hint = text
                .lines()
                .skip(1)
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            run.errors.push(json!({
                "severity": "error",
                "code": "usage",
                "file": null,
                "line": null,
                "column": null,
                "message": message,
                "hint": (!hint.is_empty()).then_some(hint),
            }));
            run.err(text.trim_end());
        }
    }
    run.usage_status = Some(status);
    let object = run.json(status == 0).to_string();
    run.out(&object);
    run.exit_code(status == 0)
}

/// Prints clap's help, version or usage error and picks the exit status: clap's own (0
/// for help and version, 2 for a usage error) when the text was written, 141 when its
/// stream was a closed pipe, 1 when writing failed otherwise (a full disk, `/dev/full`).
fn clap_exit(e: &clap::Error) -> ExitCode {
    let written = e
        .print()
        .and_then(|()| std::io::stdout().flush())
        .and_then(|()| std::io::stderr().flush());
    match written {
        Ok(()) => ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2)),
        Err(w) if w.kind() == ErrorKind::BrokenPipe => ExitCode::from(CLOSED_PIPE),
        Err(w) => {
            if e.use_stderr() {
                // stderr itself failed: there is nowhere to say so.
            } else {
                let _ = writeln!(std::io::stderr(), "error: cannot write to stdout: {w}");
            }
            ExitCode::from(1)
        }
    }
}

/// How many diagnostics of one kind are rendered in full on stderr; the rest are counted
/// in one line. `--json` lists them all.
const SHOWN_PER_KIND: usize = 50;

/// Exit status when stdout or stderr was closed by its reader (a pipe into `head`), as a
/// shell reports a process ended by SIGPIPE (128 + 13).
const CLOSED_PIPE: u8 = 141;

/// A standard stream and what became of it: after the first failed write, nothing more is
/// written to it (the run goes on, so every output is still written).
#[derive(Default)]
struct Stream {
    failed: Option<std::io::Error>,
}

impl Stream {
    /// Writes `text` and a newline; returns the error the first time a write fails.
    fn line(&mut self, mut handle: impl Write, text: &str) -> Option<ErrorKind> {
        if self.failed.is_some() {
            return None;
        }
        match writeln!(handle, "{text}").and_then(|()| handle.flush()) {
            Ok(()) => None,
            Err(e) => {
                let kind = e.kind();
                self.failed = Some(e);
                Some(kind)
            }
        }
    }
}

/// What to do with each loaded edition.
enum Mode<'a> {
    Build(&'a BuildOptions),
    Check(&'a [Format], Option<&'a PreflightOptions>),
}

/// What a run did, for the final JSON object.
struct Run {
    colour: bool,
    /// `--quiet`: errors only on stderr, nothing on stdout but `--json`'s object.
    quiet: bool,
    /// Warnings of the whole run by kind ([`summary_kind`]): how many, in which files.
    tally: HashMap<String, (usize, Vec<PathBuf>)>,
    stdout: Stream,
    stderr: Stream,
    /// Diagnostics rendered so far by kind ([`kind`]), for [`SHOWN_PER_KIND`].
    shown: HashMap<(Severity, Option<PathBuf>, String), usize>,
    /// Source files read for rendering, kept for the next diagnostic in the same file.
    sources: HashMap<PathBuf, Option<std::sync::Arc<str>>>,
    outputs: Vec<Value>,
    warnings: Vec<Value>,
    errors: Vec<Value>,
    timings: Vec<Value>,
    makeup: Vec<Value>,
    preflight: Vec<Value>,
    /// The edition folders that succeeded and those that failed, in command-line order.
    succeeded: Vec<String>,
    failed: Vec<String>,
    /// `check --deny-warnings` found warnings (and no error): exit status 3.
    denied: bool,
    /// The exit status of a usage error, help or version request (clap's).
    usage_status: Option<u8>,
    /// The faces `quire fonts --json` lists (`None` for the other commands).
    fonts: Option<Vec<Value>>,
    /// An extra member of the JSON object (`help` or `version`).
    extra: Option<(&'static str, Value)>,
    /// Issues of a magazine left as they were (`quire build` with no edition).
    skipped: Vec<Value>,
    /// The command line was incomplete (no edition outside a magazine folder): exit 2.
    usage_error: bool,
    /// No `wrote …` or `skipped …` lines: `quire watch` prints one line per rebuild.
    terse: bool,
}

/// Exit status of `check --deny-warnings` when there were warnings and no error.
const WARNINGS_DENIED: u8 = 3;

impl Run {
    fn new() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Run {
            colour: std::io::stderr().is_terminal() && !no_color,
            quiet: false,
            tally: HashMap::new(),
            stdout: Stream::default(),
            stderr: Stream::default(),
            shown: HashMap::new(),
            sources: HashMap::new(),
            outputs: Vec::new(),
            warnings: Vec::new(),
            errors: Vec::new(),
            timings: Vec::new(),
            makeup: Vec::new(),
            preflight: Vec::new(),
            succeeded: Vec::new(),
            failed: Vec::new(),
            denied: false,
            usage_status: None,
            fonts: None,
            extra: None,
            skipped: Vec::new(),
            usage_error: false,
            terse: false,
        }
    }

    /// Loads, then builds or checks, every edition, going on past one that fails; true
    /// when all succeeded. With several editions, ends with a summary line.
    fn each(
        &mut self,
        editions: &[PathBuf],
        load: &LoadOptions,
        mode: Mode<'_>,
        json: bool,
    ) -> bool {
        let mut slugs: Vec<(String, &Path)> = Vec::new();
        for dir in editions {
            let ok = self.one(dir, load, &mode, json, &mut slugs);
            let name = dir.display().to_string();
            if ok {
                self.succeeded.push(name);
            } else {
                self.failed.push(name);
            }
        }
        if editions.len() > 1 && !json {
            let verb = match mode {
                Mode::Build(_) => "built",
                Mode::Check(..) => "checked",
            };
            let mut text = format!(
                "{verb} {}, failed {}",
                self.succeeded.len(),
                self.failed.len()
            );
            if !self.failed.is_empty() {
                text.push_str(": ");
                text.push_str(&self.failed.join(", "));
            }
            self.out(&text);
        }
        self.failed.is_empty()
    }

    /// Loads, then builds or checks, the edition in `dir`; true when it succeeded.
    /// `slugs` holds the output names taken by the editions before it.
    fn one<'a>(
        &mut self,
        dir: &'a Path,
        load: &LoadOptions,
        mode: &Mode<'_>,
        json: bool,
        slugs: &mut Vec<(String, &'a Path)>,
    ) -> bool {
        self.loaded(
            dir,
            || quire::edition::load_with(dir, load),
            mode,
            json,
            slugs,
        )
    }

    /// [`Run::one`] with the edition loaded by `load` (`quire preview` loads one article
    /// of an edition); `dir` names it in messages.
    fn loaded<'a>(
        &mut self,
        dir: &'a Path,
        load: impl FnOnce() -> Result<quire::model::Edition, Error>,
        mode: &Mode<'_>,
        json: bool,
        slugs: &mut Vec<(String, &'a Path)>,
    ) -> bool {
        let progress = self.progress(dir);
        progress.set_message("load");
        let start = Instant::now();
        let edition = match load() {
            Ok(e) => e,
            Err(e) => {
                progress.finish_and_clear();
                self.fail(&e);
                return false;
            }
        };
        self.time(&edition.slug, "load", start.elapsed());
        let clash = slugs.iter().find(|(s, _)| *s == edition.slug);
        if let (Some((_, other)), Mode::Build(_)) = (clash, mode) {
            let message = format!(
                "`{}` and `{}` are both named `{}`: their outputs would overwrite each other",
                other.display(),
                dir.display(),
                edition.slug
            );
            let hint =
                "build them into different --out folders, or give one a `slug` in its edition.toml";
            progress.finish_and_clear();
            self.report(&Diagnostic::error(message).with_hint(hint));
            return false;
        }
        slugs.push((edition.slug.clone(), dir));
        progress.set_message("layout");
        let on_stage = |stage: quire::Stage| progress.set_message(stage.name());
        let result = match mode {
            Mode::Build(options) => quire::build_with(&edition, options, &on_stage),
            Mode::Check(formats, None) => quire::check(&edition, formats),
            Mode::Check(formats, Some(options)) => quire::check_print(&edition, formats, options),
        };
        progress.finish_and_clear();
        match result {
            Ok(report) => {
                self.done(&edition.slug, dir, &report, json);
                !report.preflight.iter().any(Diagnostic::is_error)
            }
            Err(e) => {
                self.fail(&e);
                // Preflight findings that came with a failure (check --print) are
                // listed as findings too.
                if let Error::Input(diags) = &e {
                    for d in diags.iter().filter(|d| d.code.is_some()) {
                        let mut entry = entry(d);
                        entry["edition"] = json!(edition.slug);
                        self.preflight.push(entry);
                    }
                }
                false
            }
        }
    }

    /// A spinner on stderr naming the edition and its stage, when stderr is a terminal
    /// and the run is not `--quiet`; otherwise a hidden one that draws nothing.
    fn progress(&self, dir: &Path) -> indicatif::ProgressBar {
        if self.quiet || !std::io::stderr().is_terminal() {
            return indicatif::ProgressBar::hidden();
        }
        let bar = indicatif::ProgressBar::new_spinner();
        let template = format!("{{spinner}} {}: {{msg}} {{elapsed}}", dir.display());
        if let Ok(style) = indicatif::ProgressStyle::with_template(&template) {
            bar.set_style(style);
        }
        bar.enable_steady_tick(Duration::from_millis(100));
        bar
    }

    fn time(&mut self, slug: &str, stage: &str, d: Duration) {
        self.timings.push(json!({
            "edition": slug,
            "stage": stage,
            "ms": (d.as_secs_f64() * 1_000_000.0).round() / 1000.0,
        }));
    }

    fn done(&mut self, slug: &str, dir: &Path, report: &BuildReport, json: bool) {
        for (stage, d) in &report.timings {
            self.time(slug, stage, *d);
        }
        for w in &report.warnings {
            self.report(w);
        }
        self.summarise();
        for f in &report.makeup {
            let reset: Vec<Value> = f
                .reset
                .iter()
                .map(|&(line, lines)| json!({ "line": line, "lines": lines }))
                .collect();
            self.makeup.push(json!({
                "edition": slug,
                "article": f.source.display().to_string(),
                "first_page": f.first_page,
                "pages": f.pages,
                "runs_on": f.runs_on,
                "last_page_fill": (f64::from(f.last_page_fill) * 1000.0).round() / 1000.0,
                "last_page_lines": f.last_page_lines,
                "lines_short_of_full_page": f.lines_short_of_full_page,
                "reset_paragraphs": reset,
                "stranded": f.stranded,
            }));
        }
        for o in &report.outputs {
            let unit = match o.format {
                Format::Pdf | Format::Print | Format::Imposed | Format::Preview => "pages",
                Format::Epub => "documents",
            };
            let mut entry = json!({
                "edition": slug,
                "path": o.path.display().to_string(),
                "format": o.format.name(),
                "bytes": o.bytes,
            });
            entry[unit] = json!(o.units);
            for (name, value) in &o.stats {
                entry[name.as_str()] = json!(value);
            }
            self.outputs.push(entry);
            if !json && !self.quiet && !self.terse {
                let stats: String = o
                    .stats
                    .iter()
                    .map(|(name, value)| format!(", {value} {}", name.replace('_', " ")))
                    .collect();
                let text = if o.format == Format::Preview {
                    // A page preview: its size in pixels says more than "1 pages".
                    let px = |name: &str| {
                        o.stats
                            .iter()
                            .find(|(n, _)| n == name)
                            .map_or(0, |(_, v)| *v)
                    };
                    format!(
                        "wrote {} ({} × {} pixels, {} bytes)",
                        o.path.display(),
                        px("width_px"),
                        px("height_px"),
                        o.bytes
                    )
                } else {
                    format!(
                        "wrote {} ({} {unit}{stats}, {} bytes)",
                        o.path.display(),
                        o.units,
                        o.bytes
                    )
                };
                self.out(&text);
            }
        }
        for d in &report.preflight {
            let mut entry = self.report(d);
            entry["edition"] = json!(slug);
            self.preflight.push(entry);
        }
        self.summarise();
        if self.quiet || json {
            // Nothing more to say: errors were reported, the JSON object says the rest.
        } else if !report.preflight.is_empty() {
            let count = |severity: Severity, one: &str, many: &str| {
                let n = report
                    .preflight
                    .iter()
                    .filter(|d| d.severity == severity)
                    .count();
                format!("{n} {}", if n == 1 { one } else { many })
            };
            let text = format!(
                "{}: preflight: {}, {}, {}",
                dir.display(),
                count(Severity::Error, "error", "errors"),
                count(Severity::Warning, "warning", "warnings"),
                count(Severity::Note, "note", "notes")
            );
            self.out(&text);
        } else if report.outputs.is_empty() {
            // Never "ok" with warnings pending: say how many there are.
            let text = match report.warnings.len() {
                0 => format!("{}: ok", dir.display()),
                1 => format!("{}: 1 warning", dir.display()),
                n => format!("{}: {n} warnings", dir.display()),
            };
            self.out(&text);
        }
    }

    fn fail(&mut self, e: &Error) {
        match e {
            Error::Input(diags) => {
                for d in diags {
                    self.report(d);
                }
            }
            Error::Io { path, source } => {
                self.report(&Diagnostic::error(format!("{}: {source}", path.display())));
            }
            Error::Backend { .. } => {
                // Input is checked before any backend runs: a backend that still fails
                // met something the checks missed.
                let hint = "nothing was written; this is a gap in quire's checks of the \
                            edition: please report it with the edition that caused it";
                self.report(&Diagnostic::error(e.to_string()).with_hint(hint));
            }
        }
        self.summarise();
    }

    /// Prints `d` to stderr and records it for the JSON object (a note only in the
    /// `preflight` list, which the caller keeps); returns its JSON entry.
    fn report(&mut self, d: &Diagnostic) -> Value {
        if d.severity == Severity::Warning {
            let (count, files) = self.tally.entry(summary_kind(d)).or_default();
            *count += 1;
            if let Some(file) = &d.file
                && !files.contains(file)
            {
                files.push(file.clone());
            }
        }
        let seen = self.shown.entry(kind(d)).or_insert(0);
        *seen += 1;
        if *seen <= SHOWN_PER_KIND && (!self.quiet || d.severity == Severity::Error) {
            let text = self.render(d);
            self.err(&text);
        }
        let entry = entry(d);
        match d.severity {
            Severity::Error => self.errors.push(entry.clone()),
            Severity::Warning => self.warnings.push(entry.clone()),
            Severity::Note => {}
        }
        entry
    }

    /// After a batch of diagnostics (an edition's): one line for each kind of which more
    /// than [`SHOWN_PER_KIND`] were reported, with how many were not shown.
    fn summarise(&mut self) {
        let mut over: Vec<_> = self
            .shown
            .drain()
            .filter(|((severity, ..), n)| {
                *n > SHOWN_PER_KIND && (!self.quiet || *severity == Severity::Error)
            })
            .collect();
        over.sort();
        for ((severity, file, message), n) in over {
            let what = match severity {
                Severity::Error => "errors",
                Severity::Warning => "warnings",
                Severity::Note => "notes",
            };
            let place = file.map_or_else(String::new, |f| format!(" in {}", f.display()));
            let text = format!(
                "… and {} more {what} of this kind{place} ({message})\n",
                thousands(n - SHOWN_PER_KIND)
            );
            self.err(&text);
        }
    }

    /// At the end of the run: the warnings counted by kind, most frequent first, with
    /// how many files each kind was found in (nothing without warnings, or `--quiet`).
    fn warning_summary(&mut self) {
        let total: usize = self.tally.values().map(|(n, _)| n).sum();
        if self.quiet || total == 0 {
            return;
        }
        let mut kinds: Vec<_> = self.tally.drain().collect();
        kinds.sort_by(|(a, (na, _)), (b, (nb, _))| nb.cmp(na).then(a.cmp(b)));
        let plural = |n: usize, one: &str, many: &str| {
            format!("{} {}", thousands(n), if n == 1 { one } else { many })
        };
        let mut text = format!(
            "{} of {}:",
            plural(total, "warning", "warnings"),
            plural(kinds.len(), "kind", "kinds")
        );
        for (message, (n, files)) in kinds {
            let place = match files.len() {
                0 => String::new(),
                f => format!(" (in {})", plural(f, "file", "files")),
            };
            text.push_str(&format!("\n  {:>5} × {message}{place}", thousands(n)));
        }
        self.err(&text);
    }

    /// Writes a line to stdout. A closed or full stdout ends nothing: the run goes on
    /// writing its outputs, says so once on stderr (unless stdout was a closed pipe) and
    /// sets the exit status ([`Run::exit_code`]).
    fn out(&mut self, text: &str) {
        let failed = self.stdout.line(std::io::stdout().lock(), text);
        if let Some(kind) = failed
            && kind != ErrorKind::BrokenPipe
            && let Some(e) = &self.stdout.failed
        {
            let text = format!("error: cannot write to stdout: {e}");
            self.err(&text);
        }
    }

    /// Writes a line to stderr; after a failure, stderr is left alone.
    fn err(&mut self, text: &str) {
        self.stderr.line(std::io::stderr().lock(), text);
    }

    /// The exit status the run's outcome calls for (before any failed write): clap's for
    /// a usage error, help or version; 1 when the run failed; 3 when warnings were
    /// denied; else 0.
    fn status(&self, ok: bool) -> u8 {
        match self.usage_status {
            Some(status) => status,
            None if self.usage_error => 2,
            None if !ok => 1,
            None if self.denied => WARNINGS_DENIED,
            None => 0,
        }
    }

    /// [`Run::status`], except 141 when it is 0 but stdout or stderr was closed by its
    /// reader, and 1 when it is 0 but writing to either failed in another way (a full
    /// disk).
    fn exit_code(&mut self, ok: bool) -> ExitCode {
        self.summarise();
        let failures = [&self.stdout.failed, &self.stderr.failed];
        let failed = failures.iter().filter_map(|f| f.as_ref());
        let mut closed = false;
        let mut other = false;
        for e in failed {
            if e.kind() == ErrorKind::BrokenPipe {
                closed = true;
            } else {
                other = true;
            }
        }
        let status = self.status(ok);
        if status != 0 {
            ExitCode::from(status)
        } else if other {
            ExitCode::from(1)
        } else if closed {
            ExitCode::from(CLOSED_PIPE)
        } else {
            ExitCode::SUCCESS
        }
    }

    /// [`render`], with each source file read once per run (regular files of a sane
    /// size only: a message may name a FIFO or a device, which must not be opened).
    fn render(&mut self, d: &Diagnostic) -> String {
        let text = d.file.as_ref().and_then(|file| {
            self.sources
                .entry(file.clone())
                .or_insert_with(|| source_text(file).map(Into::into))
                .clone()
        });
        render(d, text.as_deref(), self.colour)
    }

    fn json(&self, ok: bool) -> Value {
        let status = self.status(ok);
        let mut object = json!({
            "ok": status == 0,
            "exit_status": status,
            "succeeded": self.succeeded,
            "failed": self.failed,
            "outputs": self.outputs,
            "warnings": self.warnings,
            "errors": self.errors,
            "timings": self.timings,
            "makeup": self.makeup,
            "preflight": self.preflight,
            "skipped": self.skipped,
        });
        if let Some(fonts) = &self.fonts {
            object["fonts"] = json!(fonts);
        }
        if let Some((name, value)) = &self.extra {
            object[*name] = value.clone();
        }
        object
    }
}

/// What makes diagnostics "of one kind" for [`SHOWN_PER_KIND`]: severity, file and the
/// message with its quoted parts (`` `[^x1]` ``) left out.
fn kind(d: &Diagnostic) -> (Severity, Option<PathBuf>, String) {
    (d.severity, d.file.clone(), unquoted(d))
}

/// The message of `d` with its quoted parts (`` `[^x1]` ``) left out.
fn unquoted(d: &Diagnostic) -> String {
    let mut message = String::new();
    for (i, part) in d.message.split('`').enumerate() {
        message.push_str(if i % 2 == 1 { "`…`" } else { part });
    }
    message
}

/// What makes warnings "of one kind" in the end-of-run summary, in whatever file: the
/// message with its quoted parts, numbers, code points (`U+13000`) and quoted characters
/// (`('x')`) left out, so "page 4 … 12 % full" and "page 9 … 20 % full" are one kind.
fn summary_kind(d: &Diagnostic) -> String {
    let chars: Vec<char> = unquoted(d).chars().collect();
    let mut out = String::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c.is_ascii_digit() || (c == '+' && out.ends_with('U')) {
            if c == '+' {
                out.push('+');
            }
            // A number or code point; a full stop or comma inside it is followed by a digit.
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric()
                    || (matches!(chars[i], '.' | ',')
                        && chars.get(i + 1).is_some_and(char::is_ascii_digit)))
            {
                i += 1;
            }
            out.push('…');
        } else if c == '\'' && out.ends_with('(') {
            while i < chars.len() && chars[i] != '\'' {
                i += 1;
            }
            i += 1;
            out.push_str("'…'");
        } else {
            out.push(c);
        }
    }
    out
}

/// `19950` as `19,950`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A diagnostic as an entry of the JSON object.
fn entry(d: &Diagnostic) -> Value {
    json!({
        "severity": match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        },
        "code": d.code.map(Code::name),
        "file": d.file.as_ref().map(|f| f.display().to_string()),
        "line": d.span.map(|s| s.line),
        "column": d.span.map(|s| s.column),
        "message": d.message,
        "hint": d.hint,
    })
}

/// `quire new`: scaffold, then say what to do next.
fn new(dir: &Path, run: &mut Run) -> bool {
    match quire::edition::scaffold(dir) {
        Ok(files) => {
            run.out(&format!("created a new edition in {}:", dir.display()));
            for f in files {
                run.out(&format!("  {}", f.display()));
            }
            run.out(&format!("next: quire check {}", dir.display()));
            true
        }
        Err(e) => {
            run.fail(&e);
            false
        }
    }
}

/// Renders a diagnostic with the source line it points at (miette), or in its one-line
/// form when there is no place or the file cannot be read.
fn render(d: &Diagnostic, text: Option<&str>, colour: bool) -> String {
    rich(d, text, colour).map_or_else(|| d.to_string(), |r| r + "\n")
}

/// How many characters of a source line are shown before and after the place a
/// diagnostic points at; longer lines are cut, with `…` where they are.
const CONTEXT_CHARS: usize = 40;

/// The longest underline: a longer place is underlined from its start.
const UNDERLINE_CHARS: usize = 40;

fn rich(d: &Diagnostic, text: Option<&str>, colour: bool) -> Option<String> {
    use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic};

    let file = d.file.as_ref()?;
    let span = d.span?;
    let text = text?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (snippet, first, start, end) = snippet(text, span)?;
    // miette would count the header's column in bytes and the snippet's lines from 1;
    // the diagnostic's place (in characters, as in `--json`) goes in the source's name.
    let name = format!("{}:{}:{}", file.display(), span.line, span.column);
    let mut md = MietteDiagnostic::new(d.message.clone())
        .with_severity(match d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
        .with_label(LabeledSpan::new_with_span(None, start..end.max(start)));
    if let Some(hint) = &d.hint {
        md = md.with_help(hint.clone());
    }
    let source = Snippet {
        name,
        text: snippet,
        line: first,
    };
    let report = miette::Report::new(md).with_source_code(source);
    let theme = if colour {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .without_primary_span_start()
        .with_width(100)
        .with_wrap_lines(false);
    let mut out = String::new();
    handler.render_report(&mut out, report.as_ref()).ok()?;
    Some(out.trim_end().to_string())
}

/// One source line (cut), numbered as in its file.
struct Snippet {
    name: String,
    text: String,
    /// Its line number in the file, from 1.
    line: usize,
}

impl miette::SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let inner = self.text.read_span(span, before, after)?;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.line - 1,
            inner.column(),
            inner.line_count(),
        )))
    }
}

/// The source line `span` points at and the lines around it, each cut to
/// [`CONTEXT_CHARS`] around the place; the first line's number; the byte range of the
/// place in the text. Bounded whatever the lines' length or number.
fn snippet(text: &str, span: quire::diag::Span) -> Option<(String, usize, usize, usize)> {
    let line_start = if span.line <= 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(span.line - 2)
            .map(|(i, _)| i + 1)?
    };
    // The line before (its start is found backwards from this one's), this, the next.
    let before = text[..line_start.saturating_sub(1)]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line_of = |from: usize| {
        let rest = &text[from..];
        let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
        line.strip_suffix('\r').unwrap_or(line)
    };
    let column = span.column.saturating_sub(1);
    let len = span.len.clamp(1, UNDERLINE_CHARS);
    let from = column.saturating_sub(CONTEXT_CHARS);
    let to = column + len + CONTEXT_CHARS;
    let mut out = String::new();
    let mut first = span.line;
    if span.line > 1 {
        out.push_str(&cut(line_of(before), from, to));
        out.push('\n');
        first -= 1;
    }
    let this = cut(line_of(line_start), from, to);
    // Where the place is in the cut line: after the `…` and the characters before it.
    let offset = |chars: usize| {
        let skip = usize::from(from > 0 && this.starts_with('…'));
        this.char_indices()
            .nth(skip + chars)
            .map_or(this.len(), |(i, _)| i)
    };
    let start = out.len() + offset(column - from);
    let end = out.len() + offset(column - from + len);
    out.push_str(&this);
    let after = line_start + line_of(line_start).len();
    if let Some(next) = text[after..].find('\n').map(|i| after + i + 1)
        && next < text.len()
    {
        out.push('\n');
        out.push_str(&cut(line_of(next), from, to));
    }
    Some((out, first, start, end.max(start)))
}

/// The characters `from..to` of `line`, with `…` where it was cut; tabs as spaces (miette
/// would widen them and shift the underline).
fn cut(line: &str, from: usize, to: usize) -> String {
    let mut out = String::new();
    if from > 0 && line.chars().nth(from - 1).is_some() {
        out.push('…');
    }
    let mut chars = line.chars().skip(from);
    for c in chars.by_ref().take(to - from) {
        out.push(if c == '\t' { ' ' } else { c });
    }
    if chars.next().is_some() {
        out.push('…');
    }
    out
}

/// The text of `file` for showing a message's source line: a regular file of at most
/// 16 MB (the input limit), else nothing (the message is shown without its line).
fn source_text(file: &Path) -> Option<String> {
    let meta = std::fs::metadata(file).ok()?;
    if !meta.is_file() || meta.len() > 16 * 1024 * 1024 {
        return None;
    }
    std::fs::read_to_string(file).ok()
}
