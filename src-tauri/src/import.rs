//! Importing from the window: a caller of the core's import pipeline
//! (`annals_core::import`), which walks folders, streams corpora, batches and
//! reports as the CLI does. This file adds what only the window has:
//!
//! * **Granted paths.** The page may import only paths that this app's own file
//!   dialog returned or that were dropped on its window since it started
//!   ([`Granted`]); any other path is refused as `not_granted`, before anything is
//!   read. So a page that went wrong cannot read `~/.ssh/id_rsa` into an article.
//! * Progress as `import-progress` events, at most every 250 ms; cancelling
//!   through an atomic flag the core checks; one import at a time (`busy`).
//!
//! The whole import runs on a blocking thread; the database lock is taken per
//! run of articles, so the timeline keeps answering during a long import.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use annals_core::import::{
    self, ImportHost, ImportOutcome, ImportProgress, ItemOutcome, Outcome, Source,
};
use annals_core::{Db, Error};
use chrono::NaiveDate;
use tauri::{AppHandle, DragDropEvent, Emitter, Manager, State, Window, WindowEvent};

use crate::error::CommandError;
use crate::state::{now, AppState};

type Result<T> = std::result::Result<T, CommandError>;

/// The paths the user gave this app since it started: what its file dialog
/// returned and what was dropped on its window. Only these may be imported.
#[derive(Default)]
pub struct Granted(Mutex<HashSet<PathBuf>>);

impl Granted {
    pub(crate) fn grant(&self, paths: impl IntoIterator<Item = PathBuf>) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend(paths);
    }

    /// The paths as given, if every one was granted; else which were not.
    pub(crate) fn check(&self, paths: Vec<String>) -> Result<Vec<PathBuf>> {
        let granted = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let paths: Vec<PathBuf> = paths.into_iter().map(PathBuf::from).collect();
        let refused: Vec<String> = paths
            .iter()
            .filter(|p| !granted.contains(*p))
            .map(|p| p.display().to_string())
            .collect();
        if refused.is_empty() {
            return Ok(paths);
        }
        Err(CommandError {
            kind: "not_granted".into(),
            message: format!(
                "Annals imports only files chosen in its Import dialog or dropped on its window; not {}. Choose them with File › Import…",
                refused.join(", ")
            ),
            field: None,
        })
    }
}

/// Grants the paths dropped on the window (registered with the builder's
/// `on_window_event`).
pub fn on_window_event(window: &Window, event: &WindowEvent) {
    if let WindowEvent::DragDrop(DragDropEvent::Drop { paths, .. }) = event {
        window.state::<Granted>().grant(paths.iter().cloned());
    }
}

/// The one import that may run at a time, and whether it was asked to stop.
#[derive(Default)]
pub struct ImportJob {
    running: AtomicBool,
    cancel: Arc<AtomicBool>,
}

/// Marks the job running until dropped.
struct Running<'a>(&'a ImportJob);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.running.store(false, Ordering::SeqCst);
    }
}

impl ImportJob {
    fn begin(&self) -> Result<Running<'_>> {
        if self.running.swap(true, Ordering::SeqCst) {
            return Err(CommandError {
                kind: "busy".into(),
                message: "an import is already running; wait for it or cancel it".into(),
                field: None,
            });
        }
        self.cancel.store(false, Ordering::SeqCst);
        Ok(Running(self))
    }
}

/// Progress reports at most this often: a corpus of twenty thousand stories
/// should not send twenty thousand events to the page, and each report repaints
/// the dialog over the whole window (measured: at 20 a second the web process
/// took most of a core and the import ran at half speed).
const PROGRESS_INTERVAL: Duration = Duration::from_millis(250);

/// The window's side of an import: progress events, the cancel flag, and the
/// log.
struct WindowHost {
    app: AppHandle,
    cancel: Arc<AtomicBool>,
    shown: Option<Instant>,
    /// Items logged one by one so far, by outcome (imported and duplicates,
    /// skipped, cancelled).
    logged: [usize; 3],
}

/// Items of one import logged one by one per outcome, at most: a corpus of
/// twenty thousand stories would otherwise push everything else out of the
/// rotating log. The summary line counts them all.
const LOGGED_PER_OUTCOME: usize = annals_core::import::LISTED_PER_OUTCOME;

/// What the log says of one item: skipped ones as warnings with why, so that
/// a user asking "what became of that file?" finds it later. Names are quoted
/// with escapes (a file name can hold control characters).
pub(crate) fn item_log_line(item: &ItemOutcome) -> (log::Level, String) {
    let mut line = match item.outcome {
        Outcome::Imported => format!(
            "imported {:?} as article {}: {} events, {} merged into events of other articles",
            item.name,
            item.article_id.unwrap_or_default(),
            item.events,
            item.merged
        ),
        Outcome::Duplicate => format!(
            "{:?} was imported before (article {}): nothing written",
            item.name,
            item.article_id.unwrap_or_default()
        ),
        Outcome::Skipped => format!(
            "skipped {:?}: {}",
            item.name,
            item.message.as_deref().unwrap_or("no reason given")
        ),
        Outcome::Cancelled => format!("cancelled before {:?} was written", item.name),
    };
    if !item.warnings.is_empty() {
        line.push_str(&format!(" ({})", item.warnings.join("; ")));
    }
    let level = match item.outcome {
        Outcome::Skipped => log::Level::Warn,
        _ => log::Level::Info,
    };
    (level, line)
}

/// The log's summary of an import.
pub(crate) fn outcome_log_line(out: &ImportOutcome) -> String {
    let mut line = format!(
        "import finished in {:.1} s: {} imported ({} events, {} merged), {} already imported, {} skipped, {} cancelled",
        out.seconds, out.imported, out.events, out.merged, out.duplicates, out.skipped, out.cancelled
    );
    for bad in &out.bad_lines {
        let s = if bad.count == 1 { "" } else { "s" };
        line.push_str(&format!("; {} bad line{s} in {:?}", bad.count, bad.corpus));
        if let Some(first) = bad.examples.first() {
            line.push_str(&format!(" (first: line {}: {})", first.line, first.why));
        }
    }
    line
}

impl ImportHost for WindowHost {
    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::SeqCst)
    }

    fn progress(&mut self, p: &ImportProgress) {
        // The last report (no name) always goes out.
        if !p.name.is_empty() && self.shown.is_some_and(|t| t.elapsed() < PROGRESS_INTERVAL) {
            return;
        }
        self.shown = Some(Instant::now());
        emit_progress(&self.app, p);
    }

    fn finished(&mut self, item: &ItemOutcome) {
        let slot = match item.outcome {
            Outcome::Imported | Outcome::Duplicate => 0,
            Outcome::Skipped => 1,
            Outcome::Cancelled => 2,
        };
        self.logged[slot] += 1;
        if self.logged[slot] <= LOGGED_PER_OUTCOME {
            let (level, line) = item_log_line(item);
            log::log!(level, "{line}");
        }
    }
}

fn emit_progress(app: &AppHandle, p: &ImportProgress) {
    if let Err(e) = app.emit("import-progress", p) {
        log::warn!("import progress not delivered: {e}");
    }
}

/// A day as YYYY-MM-DD, or none when empty.
pub(crate) fn parse_day(day: Option<String>) -> Result<Option<NaiveDate>> {
    match day.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => Ok(None),
        Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                CommandError::from(Error::invalid(
                    "published",
                    format!("“{d}” is not a date: use YYYY-MM-DD"),
                ))
            }),
    }
}

/// Runs the core's import of articles on a blocking thread, the database lock
/// taken per run of articles.
async fn run(
    app: AppHandle,
    state: &AppState,
    job: &ImportJob,
    sources: Vec<Source>,
    dct: Option<NaiveDate>,
) -> Result<ImportOutcome> {
    let stamp = now();
    run_with(app, state, job, move |db, host| {
        import::run(sources, dct, &stamp, db, host)
    })
    .await
}

/// Runs one of the core's import runners (`import`: articles or datasets) on a
/// blocking thread with the window's progress, cancel flag and log, one import
/// at a time.
pub(crate) async fn run_with<F>(
    app: AppHandle,
    state: &AppState,
    job: &ImportJob,
    import: F,
) -> Result<ImportOutcome>
where
    F: FnOnce(&mut dyn import::Database, &mut dyn ImportHost) -> ImportOutcome + Send + 'static,
{
    let db: Arc<Mutex<Db>> = state.shared()?;
    state.writable()?;
    let _running = job.begin()?;
    let started = Instant::now();
    let mut host = WindowHost {
        app,
        cancel: Arc::clone(&job.cancel),
        shown: None,
        logged: [0; 3],
    };
    let mut outcome = tauri::async_runtime::spawn_blocking(move || {
        emit_progress(
            &host.app,
            &ImportProgress {
                done: 0,
                bytes_done: 0,
                bytes_total: 0,
                name: "Looking through the files…".into(),
                events: 0,
            },
        );
        import(&mut &*db, &mut host)
    })
    .await
    .map_err(|e| CommandError::internal(format!("the import failed: {e}")))?;
    outcome.seconds = started.elapsed().as_secs_f64();
    log::info!("{}", outcome_log_line(&outcome));
    Ok(outcome)
}

/// Shows the native file chooser for articles, corpora and folders of them;
/// `None` when the user cancels. What it returns may be imported.
#[tauri::command]
pub async fn choose_import_files(
    app: AppHandle,
    granted: State<'_, Granted>,
) -> Result<Option<Vec<String>>> {
    let extensions: Vec<&'static str> = import::extensions().collect();
    choose(
        app,
        &granted,
        "Import articles",
        "Articles and corpora",
        extensions,
    )
    .await
}

/// The native file chooser, filtered to `extensions` (and all files); what it
/// returns is granted. `None` when the user cancels.
///
/// End-to-end tests cannot drive a native dialog: built with the `e2e` feature,
/// `ANNALS_E2E_PICK` (paths separated by the platform's path separator) stands in
/// for what the user would pick. Everything after the choice is the real thing.
pub(crate) async fn choose(
    app: AppHandle,
    granted: &Granted,
    title: &'static str,
    filter: &'static str,
    extensions: Vec<&'static str>,
) -> Result<Option<Vec<String>>> {
    #[cfg(feature = "e2e")]
    if let Some(v) = std::env::var_os("ANNALS_E2E_PICK") {
        let picked: Vec<PathBuf> = std::env::split_paths(&v).collect();
        granted.grant(picked.iter().cloned());
        return Ok(Some(
            picked.iter().map(|p| p.display().to_string()).collect(),
        ));
    }
    use tauri_plugin_dialog::DialogExt;
    let picked = tauri::async_runtime::spawn_blocking(move || {
        app.dialog()
            .file()
            .set_title(title)
            .add_filter(filter, &extensions)
            .add_filter("All files", &["*"])
            .blocking_pick_files()
    })
    .await
    .map_err(|e| CommandError::internal(format!("the file dialog failed: {e}")))?;
    let Some(files) = picked else {
        return Ok(None);
    };
    let paths: Vec<PathBuf> = files
        .into_iter()
        .filter_map(|f| f.into_path().ok())
        .collect();
    granted.grant(paths.iter().cloned());
    Ok(Some(
        paths.iter().map(|p| p.display().to_string()).collect(),
    ))
}

/// Imports files, folders and corpora the user chose or dropped (each article
/// whole or not at all) and says what became of them. `dct` (YYYY-MM-DD), when
/// given, is every article's publication date. Cancelling stops the article in
/// hand (nothing of it is written) and those not started; articles already
/// imported stay.
#[tauri::command]
pub async fn import_files(
    app: AppHandle,
    state: State<'_, AppState>,
    job: State<'_, ImportJob>,
    granted: State<'_, Granted>,
    paths: Vec<String>,
    dct: Option<String>,
) -> Result<ImportOutcome> {
    let dct = parse_day(dct)?;
    let sources = granted
        .check(paths)?
        .into_iter()
        .map(Source::Path)
        .collect();
    run(app, &state, &job, sources, dct).await
}

/// Imports pasted text as an article (its first line is the headline).
#[tauri::command]
pub async fn import_text(
    app: AppHandle,
    state: State<'_, AppState>,
    job: State<'_, ImportJob>,
    text: String,
    dct: Option<String>,
) -> Result<ImportOutcome> {
    let dct = parse_day(dct)?;
    let source = Source::Text {
        label: "Pasted text".into(),
        text,
    };
    run(app, &state, &job, vec![source], dct).await
}

/// Asks the running import to stop.
#[tauri::command]
pub async fn cancel_import(job: State<'_, ImportJob>) -> Result<bool> {
    let running = job.running.load(Ordering::SeqCst);
    if running {
        job.cancel.store(true, Ordering::SeqCst);
    }
    Ok(running)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_granted_paths_pass_and_the_refusal_names_the_others() {
        let granted = Granted::default();
        granted.grant([PathBuf::from("/home/a/news"), PathBuf::from("/tmp/b.txt")]);
        assert_eq!(
            granted
                .check(vec!["/home/a/news".into(), "/tmp/b.txt".into()])
                .ok(),
            Some(vec![
                PathBuf::from("/home/a/news"),
                PathBuf::from("/tmp/b.txt")
            ])
        );
        // A file inside a granted folder, or a path spelt another way, is not
        // what the user gave.
        for asked in ["/home/a/.ssh/id_rsa", "/home/a/news/../.ssh/id_rsa"] {
            let err = granted
                .check(vec!["/tmp/b.txt".into(), asked.into()])
                .err()
                .unwrap_or_else(|| panic!("{asked} passed"));
            assert_eq!(err.kind, "not_granted");
            assert!(err.message.contains(asked), "{}", err.message);
            assert!(!err.message.contains("/tmp/b.txt"), "{}", err.message);
        }
    }

    fn item(name: &str, outcome: Outcome) -> ItemOutcome {
        ItemOutcome {
            name: name.into(),
            outcome,
            article_id: Some(7),
            title: None,
            events: 3,
            merged: 1,
            published: None,
            message: None,
            warnings: Vec::new(),
        }
    }

    #[test]
    fn the_log_says_what_became_of_each_item_and_warns_of_the_skipped_ones() {
        let (level, line) = item_log_line(&item("news/a.txt", Outcome::Imported));
        assert_eq!(level, log::Level::Info);
        assert_eq!(
            line,
            "imported \"news/a.txt\" as article 7: 3 events, 1 merged into events of other articles"
        );
        let skipped = ItemOutcome {
            message: Some("the file is empty".into()),
            ..item("empty.txt", Outcome::Skipped)
        };
        assert_eq!(
            item_log_line(&skipped),
            (
                log::Level::Warn,
                "skipped \"empty.txt\": the file is empty".into()
            )
        );
        let read_as = ItemOutcome {
            warnings: vec!["read as Windows-1252".into()],
            ..item("old.txt", Outcome::Duplicate)
        };
        assert!(item_log_line(&read_as)
            .1
            .ends_with("(read as Windows-1252)"));
    }

    #[test]
    fn a_name_with_control_characters_is_logged_escaped_on_one_line() {
        let (_, line) = item_log_line(&item("a\nfake: line\u{1b}[31m.txt", Outcome::Cancelled));
        assert!(!line.contains('\n') && !line.contains('\u{1b}'), "{line}");
        assert!(line.contains(r"a\nfake: line\u{1b}[31m.txt"), "{line}");
    }

    #[test]
    fn the_summary_counts_every_outcome_and_each_corpus_bad_lines() {
        let out = ImportOutcome {
            imported: 2,
            duplicates: 1,
            skipped: 4,
            events: 9,
            seconds: 1.5,
            bad_lines: vec![annals_core::import::BadLines {
                corpus: "c.jsonl".into(),
                count: 12,
                examples: vec![annals_core::import::BadLine {
                    line: 3,
                    why: "not JSON".into(),
                }],
            }],
            ..ImportOutcome::default()
        };
        assert_eq!(
            outcome_log_line(&out),
            "import finished in 1.5 s: 2 imported (9 events, 0 merged), 1 already imported, \
             4 skipped, 0 cancelled; 12 bad lines in \"c.jsonl\" (first: line 3: not JSON)"
        );
    }
}
