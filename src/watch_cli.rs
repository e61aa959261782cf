//! `quire watch` (an edition or a magazine rebuilt on every change, one line per rebuild)
//! and `--open` (the output shown in the system's viewer).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::channel;
use std::time::Instant;

use quire::BuildOptions;
use quire::diag::Diagnostic;
use quire::edition::LoadOptions;
use quire::edition::magazine::{self, Magazine};
use quire::watch::{self, Event, Filter, Step};

use super::{Mode, Run};

/// What `quire watch` was asked to do.
pub(super) struct Watch {
    /// The edition or magazine folder named, if any.
    pub dir: Option<PathBuf>,
    /// `--out`, if given.
    pub out: Option<PathBuf>,
    /// Formats and options of every build (`out_dir` is set here).
    pub options: BuildOptions,
    pub load: LoadOptions,
    /// `--open`: open the first good build's output.
    pub open: bool,
}

/// What is watched: one edition, or the issues of a magazine.
enum Target {
    Edition(PathBuf),
    Magazine(PathBuf),
}

/// Environment variable naming the program `--open` runs on the output instead of the
/// system's viewer (given the file as its one argument).
const OPEN_VARIABLE: &str = "QUIRE_OPEN";

/// `quire watch`: the first build, then a rebuild for every batch of changes until
/// Ctrl-C. False only when there is nothing to watch (the folder is neither an edition
/// nor a magazine) or the watcher cannot start; a failed build is reported and waited on.
pub(super) fn watch(mut w: Watch, run: &mut Run) -> bool {
    let Some(target) = target(w.dir.as_deref(), run) else {
        return false;
    };
    let (filter, shown) = match &target {
        Target::Edition(dir) => {
            w.options.out_dir = w.out.clone().unwrap_or_else(|| PathBuf::from("out"));
            (edition_filter(dir, &w), dir.clone())
        }
        Target::Magazine(dir) => {
            let root = magazine::find_root(dir).unwrap_or_else(|| dir.clone());
            let shown = magazine::shown_from_cwd(&root).unwrap_or_else(|| root.clone());
            let out = match &w.out {
                Some(out) => watch::absolute(out),
                None => match magazine::load(&root, &shown) {
                    Ok(m) => m.root.join(&m.out),
                    Err(_) => root.join("out"),
                },
            };
            let filter = Filter {
                roots: roots(&root, &w.load),
                ignored: vec![out],
            };
            (
                filter,
                if shown.as_os_str().is_empty() {
                    ".".into()
                } else {
                    shown
                },
            )
        }
    };
    // Outputs written among the inputs would set off the next build, and so on for ever.
    if let Some(out) = filter
        .ignored
        .first()
        .filter(|out| filter.roots.iter().any(|r| r.starts_with(out)))
    {
        let message = format!(
            "the output folder `{}` holds the folder being watched: every build would set off the next",
            out.display()
        );
        let hint = "write the outputs to a folder of their own with -o (the default `out` is one)";
        run.report(&Diagnostic::error(message).with_hint(hint));
        return false;
    }
    let (tx, rx) = channel();
    let watcher = match watch::Watcher::start(&filter.roots, tx.clone()) {
        Ok(watcher) => watcher,
        Err(e) => {
            run.fail(&e);
            return false;
        }
    };
    let stopping = AtomicBool::new(false);
    let stop = tx.clone();
    let handler = ctrlc::set_handler(move || {
        // A second Ctrl-C during a long build does not wait for it.
        if stopping.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
        let _ = stop.send(Event::Stop);
    });
    if let Err(e) = handler {
        run.report(&Diagnostic::warning(format!(
            "Ctrl-C cannot be caught ({e}): it ends quire at once"
        )));
    }
    drop(tx);
    let mut opened = !w.open;
    rebuild(&target, &mut w, &[], &mut opened, run);
    run.out(&format!(
        "watching {} for changes (Ctrl-C to stop)",
        shown.display()
    ));
    watch::run(&rx, &filter, |step| match step {
        Step::Rebuild(changed) => rebuild(&target, &mut w, changed, &mut opened, run),
        Step::Trouble(message) => {
            run.report(&Diagnostic::warning(format!(
                "the file watcher: {message}; changes may have been missed"
            )));
        }
    });
    drop(watcher);
    run.out("stopped watching");
    true
}

/// The edition or magazine `dir` names (or the current folder's), or why there is none
/// (reported).
fn target(dir: Option<&Path>, run: &mut Run) -> Option<Target> {
    let named = dir.is_some();
    let dir = dir.unwrap_or(Path::new("."));
    if dir.join("edition.toml").is_file() {
        let shown = if named { dir.to_path_buf() } else { ".".into() };
        return Some(Target::Edition(shown));
    }
    if dir.join(magazine::FILE).is_file() || (!named && magazine::find_root(dir).is_some()) {
        return Some(Target::Magazine(dir.to_path_buf()));
    }
    let message = if named {
        format!(
            "`{}` holds neither an edition.toml nor a quire.toml",
            dir.display()
        )
    } else {
        "no folder was named, and this folder holds no edition.toml and no magazine folder is around it"
            .to_string()
    };
    run.report(&Diagnostic::error(message).with_hint(
        "name an edition folder (edition.toml) or a magazine folder (quire.toml) to watch",
    ));
    run.usage_error = !named;
    None
}

/// The folders to watch for an edition or magazine folder `root`, and the existing
/// `--font-path` folders.
fn roots(root: &Path, load: &LoadOptions) -> Vec<PathBuf> {
    let mut roots = vec![watch::absolute(root)];
    for dir in load.font_paths.iter().filter(|d| d.is_dir()) {
        roots.push(watch::absolute(dir));
    }
    roots
}

/// What a change to an edition's inputs is: anything in its folder or, for an issue of a
/// magazine, in the magazine's folder (`quire.toml`, the shared styles, fonts and
/// images) except the other issues; never the output folder.
fn edition_filter(dir: &Path, w: &Watch) -> Filter {
    let edition = watch::absolute(dir);
    let mut ignored = vec![watch::absolute(&w.options.out_dir)];
    let mut root = edition.clone();
    if let Ok(Some(m)) = Magazine::of_edition(&edition, dir) {
        ignored.extend(m.issue_dirs().into_iter().filter(|d| *d != edition));
        root = m.root;
    }
    Filter {
        roots: roots(&root, &w.load),
        ignored,
    }
}

/// One build (the first when `changed` is empty), reported as one line on stdout (what
/// changed, how long it took, what it wrote) after its diagnostics on stderr; opens the
/// output after the first that succeeds when `--open` asked for it.
fn rebuild(
    target: &Target,
    w: &mut Watch,
    changed: &[PathBuf],
    opened: &mut bool,
    outer: &mut Run,
) {
    let mut run = Run::new();
    run.quiet = outer.quiet;
    run.terse = true;
    let start = Instant::now();
    let ok = match target {
        Target::Edition(dir) => run.each(
            std::slice::from_ref(dir),
            &w.load,
            Mode::Build(&w.options),
            false,
        ),
        Target::Magazine(dir) => super::magazine_cli::build_at(
            &mut run,
            &mut w.options,
            w.out.clone(),
            &w.load,
            false,
            dir,
        ),
    };
    run.warning_summary();
    let seconds = start.elapsed().as_secs_f64();
    let why = if changed.is_empty() {
        String::new()
    } else {
        format!(" ({} changed)", changes(changed))
    };
    let written: Vec<&str> = run
        .outputs
        .iter()
        .filter_map(|o| o["path"].as_str())
        .collect();
    let line = if !ok {
        let n = run.errors.len();
        format!(
            "failed after {seconds:.2} s{why}: {n} error{}; the last good outputs are kept",
            if n == 1 { "" } else { "s" }
        )
    } else if written.is_empty() {
        format!("nothing to rebuild{why}: every issue is up to date")
    } else {
        let verb = if changed.is_empty() {
            "built"
        } else {
            "rebuilt"
        };
        let issues = if run.succeeded.len() > 1 || matches!(target, Target::Magazine(_)) {
            format!(" {}", run.succeeded.join(", "))
        } else {
            String::new()
        };
        format!(
            "{verb}{issues} in {seconds:.2} s{why}: {}",
            written.join(", ")
        )
    };
    outer.out(&line);
    if ok && !*opened && !written.is_empty() {
        *opened = true;
        open_first(&mut run);
    }
}

/// The changed files as a short list: `articles/a.md`, `a.md and b.md`, `a.md, b.md and
/// 3 more`, each relative to the current folder when it is inside it.
fn changes(changed: &[PathBuf]) -> String {
    let cwd = std::env::current_dir()
        .ok()
        .and_then(|c| std::fs::canonicalize(c).ok());
    let name = |p: &PathBuf| {
        cwd.as_ref()
            .and_then(|c| p.strip_prefix(c).ok())
            .unwrap_or(p)
            .display()
            .to_string()
    };
    let names: Vec<String> = changed.iter().take(2).map(name).collect();
    match changed.len() {
        1 => names[0].clone(),
        2 => format!("{} and {}", names[0], names[1]),
        n => format!("{}, {} and {} more", names[0], names[1], n - 2),
    }
}

/// `--open`: opens the run's archive PDF, or its first output without one, in the
/// system's viewer (or `$QUIRE_OPEN`); a failure is a warning.
pub(super) fn open_first(run: &mut Run) {
    let outputs = &run.outputs;
    let pdf = outputs.iter().find(|o| o["format"] == "pdf");
    let Some(path) = pdf
        .or_else(|| outputs.first())
        .and_then(|o| o["path"].as_str())
        .map(PathBuf::from)
    else {
        return;
    };
    if let Err(e) = open(&path) {
        let hint = format!(
            "open the file yourself, or set {OPEN_VARIABLE} to the program that should open it"
        );
        run.report(
            &Diagnostic::warning(format!("could not open `{}`: {e}", path.display()))
                .with_hint(hint),
        );
    }
}

/// Starts the viewer on `path` without waiting for it to close.
fn open(path: &Path) -> Result<(), String> {
    match std::env::var_os(OPEN_VARIABLE).filter(|v| !v.is_empty()) {
        Some(program) => std::process::Command::new(&program)
            .arg(path)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .spawn()
            .map(|mut child| {
                // Reaped when it ends, so a long watch leaves no zombie behind.
                std::thread::spawn(move || child.wait());
            })
            .map_err(|e| format!("{OPEN_VARIABLE}={}: {e}", program.to_string_lossy())),
        None => opener::open(path).map_err(|e| e.to_string()),
    }
}
