//! The command line: parse arguments, call the library, print diagnostics, set the exit code.
//!
//! Exit status: 0 on success, 1 when an input (or a backend, or the disk) fails, 2 on a
//! usage error (clap's own). Diagnostics go to stderr; `--json` puts one JSON object on
//! stdout, and human-readable progress goes to stdout otherwise.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand, ValueEnum};
use quire::diag::{Code, Diagnostic, Severity};
use quire::preflight::PreflightOptions;
use quire::{BuildOptions, BuildReport, Error, Format};
use serde_json::{Value, json};

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
    /// Build the PDF and EPUB of each edition into the output folder.
    Build {
        /// Edition folders (each holds an edition.toml).
        #[arg(required = true, value_name = "EDITION_DIR")]
        editions: Vec<PathBuf>,
        /// Where to write `<slug>.pdf` and `<slug>.epub`.
        #[arg(long, value_name = "DIR", default_value = "out")]
        out: PathBuf,
        /// Formats to build, separated by commas (default: every available format).
        #[arg(long, value_delimiter = ',')]
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
    },
    /// Load and validate each edition and render it in memory; write nothing.
    Check {
        /// Edition folders (each holds an edition.toml).
        #[arg(required = true, value_name = "EDITION_DIR")]
        editions: Vec<PathBuf>,
        /// Formats to render, separated by commas (default: every available format).
        #[arg(long, value_delimiter = ',')]
        format: Vec<FormatArg>,
        /// Print one JSON object (warnings, errors, timings) on stdout.
        #[arg(long)]
        json: bool,
        /// Preflight the print PDF too: image resolution and colour, text near the trim,
        /// font licences, cut text, stranded pages, pages added to reach a multiple of
        /// four. An error among the findings fails the check.
        #[arg(long)]
        print: bool,
    },
    /// Write a new edition with a sample article into a new or empty folder.
    New {
        #[arg(value_name = "EDITION_DIR")]
        edition: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
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
    let cli = Cli::parse();
    /// The formats asked for, or every available one when none was named.
    fn chosen(asked: Vec<FormatArg>) -> Vec<Format> {
        if asked.is_empty() {
            quire::available_formats()
        } else {
            asked.into_iter().map(Format::from).collect()
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
        } => {
            let style_defaults = format.is_empty();
            let mut formats = chosen(format);
            if print {
                formats.push(Format::Print);
            }
            if let Some(ImposeArg::Saddle) = impose {
                formats.push(Format::Imposed);
            }
            let options = BuildOptions {
                out_dir: out,
                formats,
                style_defaults,
                allow_preflight_errors,
            };
            (json, run.each(&editions, Mode::Build(&options), json))
        }
        Command::Check {
            editions,
            format,
            json,
            print,
        } => {
            let formats = chosen(format);
            let preflight = print.then(PreflightOptions::default);
            (
                json,
                run.each(&editions, Mode::Check(&formats, preflight.as_ref()), json),
            )
        }
        Command::New { edition } => (false, new(&edition, &mut run)),
    };
    if json {
        println!("{}", run.json(ok));
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
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
    outputs: Vec<Value>,
    warnings: Vec<Value>,
    errors: Vec<Value>,
    timings: Vec<Value>,
    makeup: Vec<Value>,
    preflight: Vec<Value>,
}

impl Run {
    fn new() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Run {
            colour: std::io::stderr().is_terminal() && !no_color,
            outputs: Vec::new(),
            warnings: Vec::new(),
            errors: Vec::new(),
            timings: Vec::new(),
            makeup: Vec::new(),
            preflight: Vec::new(),
        }
    }

    /// Loads, then builds or checks, every edition; true when all succeeded.
    fn each(&mut self, editions: &[PathBuf], mode: Mode<'_>, json: bool) -> bool {
        let mut ok = true;
        let mut slugs: Vec<(String, &Path)> = Vec::new();
        for dir in editions {
            let start = Instant::now();
            let edition = match quire::edition::load(dir) {
                Ok(e) => e,
                Err(e) => {
                    self.fail(&e);
                    ok = false;
                    continue;
                }
            };
            self.time(&edition.slug, "load", start.elapsed());
            let clash = slugs.iter().find(|(s, _)| *s == edition.slug);
            if let (Some((_, other)), Mode::Build(_)) = (clash, &mode) {
                let message = format!(
                    "`{}` and `{}` are both named `{}`: their outputs would overwrite each other",
                    other.display(),
                    dir.display(),
                    edition.slug
                );
                let hint = "build them into different --out folders";
                self.report(&Diagnostic::error(message).with_hint(hint));
                ok = false;
                continue;
            }
            slugs.push((edition.slug.clone(), dir));
            let result = match mode {
                Mode::Build(options) => quire::build(&edition, options),
                Mode::Check(formats, None) => quire::check(&edition, formats),
                Mode::Check(formats, Some(options)) => {
                    quire::check_print(&edition, formats, options)
                }
            };
            match result {
                Ok(report) => {
                    if report.preflight.iter().any(Diagnostic::is_error) {
                        ok = false;
                    }
                    self.done(&edition.slug, dir, &report, json);
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
                    ok = false;
                }
            }
        }
        ok
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
                Format::Pdf | Format::Print | Format::Imposed => "pages",
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
            if !json {
                let stats: String = o
                    .stats
                    .iter()
                    .map(|(name, value)| format!(", {value} {}", name.replace('_', " ")))
                    .collect();
                println!(
                    "wrote {} ({} {unit}{stats}, {} bytes)",
                    o.path.display(),
                    o.units,
                    o.bytes
                );
            }
        }
        for d in &report.preflight {
            let mut entry = self.report(d);
            entry["edition"] = json!(slug);
            self.preflight.push(entry);
        }
        if !json && !report.preflight.is_empty() {
            let count = |severity: Severity, one: &str, many: &str| {
                let n = report
                    .preflight
                    .iter()
                    .filter(|d| d.severity == severity)
                    .count();
                format!("{n} {}", if n == 1 { one } else { many })
            };
            println!(
                "{}: preflight: {}, {}, {}",
                dir.display(),
                count(Severity::Error, "error", "errors"),
                count(Severity::Warning, "warning", "warnings"),
                count(Severity::Note, "note", "notes")
            );
        } else if !json && report.outputs.is_empty() {
            println!("{}: ok", dir.display());
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
                self.report(&Diagnostic::error(e.to_string()));
            }
        }
    }

    /// Prints `d` to stderr and records it for the JSON object (a note only in the
    /// `preflight` list, which the caller keeps); returns its JSON entry.
    fn report(&mut self, d: &Diagnostic) -> Value {
        eprintln!("{}", render(d, self.colour));
        let entry = entry(d);
        match d.severity {
            Severity::Error => self.errors.push(entry.clone()),
            Severity::Warning => self.warnings.push(entry.clone()),
            Severity::Note => {}
        }
        entry
    }

    fn json(&self, ok: bool) -> Value {
        json!({
            "ok": ok,
            "outputs": self.outputs,
            "warnings": self.warnings,
            "errors": self.errors,
            "timings": self.timings,
            "makeup": self.makeup,
            "preflight": self.preflight,
        })
    }
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
            println!("created a new edition in {}:", dir.display());
            for f in files {
                println!("  {}", f.display());
            }
            println!("next: quire check {}", dir.display());
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
fn render(d: &Diagnostic, colour: bool) -> String {
    rich(d, colour).map_or_else(|| d.to_string(), |r| r + "\n")
}

fn rich(d: &Diagnostic, colour: bool) -> Option<String> {
    use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic};

    let file = d.file.as_ref()?;
    let span = d.span?;
    let text = std::fs::read_to_string(file).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
    let start = byte_offset(&text, span.line, span.column)?;
    let end = text[start..]
        .char_indices()
        .take_while(|(_, c)| *c != '\n')
        .nth(span.len)
        .map_or_else(
            || start + text[start..].find('\n').unwrap_or(text.len() - start),
            |(i, _)| start + i,
        );
    // miette would count the header's column in bytes; the diagnostic's (in characters,
    // as in `--json`) goes in the source's name instead.
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
    let report = miette::Report::new(md).with_source_code(miette::NamedSource::new(name, text));
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

/// The byte offset of 1-based `line` and `column` (in characters) in `text`.
fn byte_offset(text: &str, line: usize, column: usize) -> Option<usize> {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line - 2).map(|(i, _)| i + 1)?
    };
    let rest = &text[line_start..];
    let in_line = rest
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(rest.len(), |(i, _)| i);
    Some(line_start + in_line)
}
