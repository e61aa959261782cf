//! `quire watch` without the terminal: which changed files are inputs, the loop that
//! rebuilds on each batch of changes until told to stop, and the file watcher (notify,
//! debounced) that feeds it.
//!
//! The loop reads [`Event`]s from a channel, so tests drive it with events of their own
//! and no clock; [`Watcher::start`] is the real source. What a rebuild does (and prints)
//! is the caller's: the loop only decides when to call it and with which files.

use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender};
use std::time::Duration;

use notify_debouncer_full::notify::event::{EventKind, ModifyKind};
use notify_debouncer_full::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::Error;

/// What reaches the watch loop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// These files (or folders) were created, changed, renamed or removed.
    Changed(Vec<PathBuf>),
    /// The file watcher reported a problem (a folder it could no longer watch, an
    /// overflow of the system's event queue); the loop goes on.
    Trouble(String),
    /// Stop watching (Ctrl-C).
    Stop,
}

/// What the loop asks its caller to do.
#[derive(Debug, PartialEq, Eq)]
pub enum Step<'a> {
    /// Rebuild: these inputs changed (sorted, each once).
    Rebuild(&'a [PathBuf]),
    /// Report the watcher's problem and go on.
    Trouble(&'a str),
}

/// Which changed paths are inputs: everything under the watched folders except the
/// output folder, the folders named as ignored (other issues of a magazine), hidden
/// files and folders (`.git`, `.#name` locks, `.name.swp`) and editor temporaries.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// The watched folders (absolute); a path under none of them is not an input.
    pub roots: Vec<PathBuf>,
    /// Folders whose contents are never inputs (absolute): the output folder, and for
    /// an issue of a magazine the other issues' folders.
    pub ignored: Vec<PathBuf>,
}

impl Filter {
    /// Whether a change to `path` (absolute) calls for a rebuild.
    pub fn is_input(&self, path: &Path) -> bool {
        if self.ignored.iter().any(|i| path.starts_with(i)) {
            return false;
        }
        let Some(rest) = self
            .roots
            .iter()
            .filter_map(|r| path.strip_prefix(r).ok())
            .min_by_key(|rest| rest.components().count())
        else {
            return false;
        };
        let mut names = rest.components().filter_map(|c| match c {
            Component::Normal(name) => Some(name.to_string_lossy()),
            _ => None,
        });
        let hidden = names.clone().any(|n| n.starts_with('.'));
        let last = names.next_back();
        !hidden && !last.is_some_and(|n| is_editor_temporary(&n))
    }
}

/// Whether a file name is an editor's temporary rather than an input: Vim's swap files
/// (`.swp`, `.swo`, `.swx`…) and its `4913` write test, `~` backups, Emacs's `#name#`
/// auto-saves and `.#name` locks, Kate's `.kate-swp`, and `.tmp`, `.part` and
/// `.crdownload` files being written.
pub fn is_editor_temporary(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let vim_swap = lower
        .rsplit_once('.')
        .is_some_and(|(_, ext)| ext.len() == 3 && ext.starts_with("sw"));
    vim_swap
        || name == "4913"
        || name.ends_with('~')
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || lower.ends_with(".kate-swp")
        || lower.ends_with(".tmp")
        || lower.ends_with(".part")
        || lower.ends_with(".crdownload")
}

/// Reads events until [`Event::Stop`] or until every sender is gone, calling `step` with
/// each batch of changed inputs: the events already waiting are taken together, so a
/// burst of saves (or the changes made during a long rebuild) gives one rebuild. Changes
/// to paths that are not inputs ([`Filter::is_input`]) are dropped. Returns how many
/// rebuilds it asked for.
pub fn run(events: &Receiver<Event>, filter: &Filter, mut step: impl FnMut(Step<'_>)) -> usize {
    let mut rebuilds = 0;
    while let Ok(first) = events.recv() {
        let mut batch = vec![first];
        batch.extend(events.try_iter());
        let mut changed: Vec<PathBuf> = Vec::new();
        for event in batch {
            match event {
                Event::Stop => return rebuilds,
                Event::Trouble(message) => step(Step::Trouble(&message)),
                Event::Changed(paths) => {
                    changed.extend(paths.into_iter().filter(|p| filter.is_input(p)));
                }
            }
        }
        if changed.is_empty() {
            continue;
        }
        changed.sort();
        changed.dedup();
        rebuilds += 1;
        step(Step::Rebuild(&changed));
    }
    rebuilds
}

/// How long the watcher waits after a change for more before reporting them: an editor's
/// save (write, rename, attributes) and a `git checkout` each become one batch.
pub const DEBOUNCE: Duration = Duration::from_millis(200);

/// The file watcher: while it lives, changes under its folders are sent as
/// [`Event::Changed`] (and its problems as [`Event::Trouble`]).
pub struct Watcher {
    _debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
}

impl Watcher {
    /// Watches every folder of `roots` and what is below it, sending batches of changes
    /// ([`DEBOUNCE`]) to `events`. A folder that cannot be watched is an error.
    pub fn start(roots: &[PathBuf], events: Sender<Event>) -> Result<Watcher, Error> {
        let handler = move |result: DebounceEventResult| {
            let event = match result {
                Ok(batch) => {
                    let paths: Vec<PathBuf> = batch
                        .into_iter()
                        .filter(|e| is_change(&e.event.kind))
                        .flat_map(|e| e.event.paths)
                        .collect();
                    if paths.is_empty() {
                        return;
                    }
                    Event::Changed(paths)
                }
                Err(errors) => Event::Trouble(
                    errors
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
            };
            let _ = events.send(event);
        };
        let mut debouncer = new_debouncer(DEBOUNCE, None, handler).map_err(|e| {
            crate::diag::Diagnostic::error(format!("cannot watch for changes: {e}"))
        })?;
        for root in roots {
            debouncer
                .watch(root, RecursiveMode::Recursive)
                .map_err(|e| {
                    crate::diag::Diagnostic::error(format!(
                        "cannot watch `{}` for changes: {e}",
                        root.display()
                    ))
                    .with_hint(
                        "on Linux, raise fs.inotify.max_user_watches if there are many folders",
                    )
                })?;
        }
        Ok(Watcher {
            _debouncer: debouncer,
        })
    }
}

/// Whether an event of this kind changes a file: made, written, renamed or removed. Not
/// reading it (a build opens every input, which would trigger the next build) nor its
/// metadata (access times).
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Any
        | EventKind::Create(_)
        | EventKind::Modify(_)
        | EventKind::Remove(_)
        | EventKind::Other => true,
    }
}

/// `path` made absolute and canonical as far as it exists (the rest appended as
/// written), so that it compares with the absolute paths the watcher reports.
pub fn absolute(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut rest = Vec::new();
    let mut existing = absolute.as_path();
    loop {
        if let Ok(canonical) = std::fs::canonicalize(existing) {
            let mut out = canonical;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return out;
        }
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc::channel;

    fn filter() -> Filter {
        Filter {
            roots: vec![PathBuf::from("/m/issues/03")],
            ignored: vec![PathBuf::from("/m/issues/03/out")],
        }
    }

    #[test]
    fn inputs_and_what_is_not() {
        let f = filter();
        for input in [
            "/m/issues/03/edition.toml",
            "/m/issues/03/articles/a.md",
            "/m/issues/03/images/pic.png",
            "/m/issues/03/styles/house.toml",
            "/m/issues/03/fonts/Serif.otf",
        ] {
            assert!(f.is_input(Path::new(input)), "{input}");
        }
        for not in [
            "/m/issues/03/out/03.pdf",
            "/m/issues/03/out/.quire-03.pdf.x1.tmp",
            "/m/issues/03/articles/.a.md.swp",
            "/m/issues/03/articles/a.md.swp",
            "/m/issues/03/articles/a.md~",
            "/m/issues/03/articles/.#a.md",
            "/m/issues/03/articles/#a.md#",
            "/m/issues/03/articles/4913",
            "/m/issues/03/.git/index",
            "/m/issues/04/articles/a.md",
            "/elsewhere/a.md",
        ] {
            assert!(!f.is_input(Path::new(not)), "{not}");
        }
    }

    #[test]
    fn a_hidden_folder_above_the_root_does_not_hide_it() {
        let f = Filter {
            roots: vec![PathBuf::from("/home/me/.work/ed")],
            ignored: Vec::new(),
        };
        assert!(f.is_input(Path::new("/home/me/.work/ed/articles/a.md")));
    }

    #[test]
    fn reading_a_file_is_not_a_change() {
        use notify_debouncer_full::notify::event::{
            AccessKind, AccessMode, CreateKind, DataChange, MetadataKind, RenameMode,
        };
        assert!(!is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(!is_change(&EventKind::Modify(ModifyKind::Metadata(
            MetadataKind::AccessTime
        ))));
        assert!(is_change(&EventKind::Modify(ModifyKind::Data(
            DataChange::Content
        ))));
        assert!(is_change(&EventKind::Modify(ModifyKind::Name(
            RenameMode::To
        ))));
        assert!(is_change(&EventKind::Create(CreateKind::File)));
    }

    #[test]
    fn editor_temporaries() {
        for name in [
            "a.swp", "a.SWO", "x.swx", "a~", ".#a.md", "#a.md#", "4913", "a.tmp",
        ] {
            assert!(is_editor_temporary(name), "{name}");
        }
        for name in ["a.md", "edition.toml", "pic.png", "swing.md", "a.swift"] {
            assert!(!is_editor_temporary(name), "{name}");
        }
    }

    /// Runs the loop over `events` (then the channel closes), recording each step.
    fn steps(events: Vec<Event>) -> (usize, Vec<String>) {
        let (tx, rx) = channel();
        for e in events {
            tx.send(e).unwrap();
        }
        drop(tx);
        let mut seen = Vec::new();
        let n = run(&rx, &filter(), |step| {
            seen.push(match step {
                Step::Rebuild(paths) => format!(
                    "rebuild {}",
                    paths
                        .iter()
                        .map(|p| p.display().to_string())
                        .collect::<Vec<_>>()
                        .join(" ")
                ),
                Step::Trouble(m) => format!("trouble {m}"),
            });
        });
        (n, seen)
    }

    fn changed(paths: &[&str]) -> Event {
        Event::Changed(paths.iter().map(PathBuf::from).collect())
    }

    #[test]
    fn waiting_changes_are_one_rebuild_with_each_path_once() {
        let (n, seen) = steps(vec![
            changed(&["/m/issues/03/articles/b.md"]),
            changed(&["/m/issues/03/articles/a.md", "/m/issues/03/articles/b.md"]),
        ]);
        assert_eq!(n, 1);
        assert_eq!(
            seen,
            ["rebuild /m/issues/03/articles/a.md /m/issues/03/articles/b.md"]
        );
    }

    #[test]
    fn outputs_and_temporaries_alone_rebuild_nothing() {
        let (n, seen) = steps(vec![changed(&[
            "/m/issues/03/out/03.pdf",
            "/m/issues/03/articles/.a.md.swp",
        ])]);
        assert_eq!(n, 0);
        assert!(seen.is_empty());
    }

    #[test]
    fn stop_ends_the_loop_before_waiting_changes() {
        let (n, seen) = steps(vec![
            changed(&["/m/issues/03/edition.toml"]),
            Event::Stop,
            changed(&["/m/issues/03/articles/a.md"]),
        ]);
        assert_eq!(n, 0);
        assert!(seen.is_empty());
    }

    #[test]
    fn trouble_is_reported_and_the_loop_goes_on() {
        let (n, seen) = steps(vec![
            Event::Trouble("queue overflow".into()),
            changed(&["/m/issues/03/articles/a.md"]),
        ]);
        assert_eq!(n, 1);
        assert_eq!(
            seen,
            [
                "trouble queue overflow",
                "rebuild /m/issues/03/articles/a.md"
            ]
        );
    }

    #[test]
    fn absolute_paths_of_missing_folders_keep_their_tail() {
        let dir = tempfile::tempdir().unwrap();
        let canonical = std::fs::canonicalize(dir.path()).unwrap();
        assert_eq!(
            absolute(&dir.path().join("out/sub")),
            canonical.join("out/sub")
        );
    }
}
