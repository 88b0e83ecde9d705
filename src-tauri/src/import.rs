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

use annals_core::import::{self, ImportHost, ImportOutcome, ImportProgress, Source};
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
    fn grant(&self, paths: impl IntoIterator<Item = PathBuf>) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend(paths);
    }

    /// The paths as given, if every one was granted; else which were not.
    fn check(&self, paths: Vec<String>) -> Result<Vec<PathBuf>> {
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

/// The window's side of an import: progress events and the cancel flag.
struct WindowHost {
    app: AppHandle,
    cancel: Arc<AtomicBool>,
    shown: Option<Instant>,
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
}

fn emit_progress(app: &AppHandle, p: &ImportProgress) {
    if let Err(e) = app.emit("import-progress", p) {
        eprintln!("annals: import progress not delivered: {e}");
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

/// Runs the core's import on a blocking thread, the database lock taken per run.
async fn run(
    app: AppHandle,
    state: &AppState,
    job: &ImportJob,
    sources: Vec<Source>,
    dct: Option<NaiveDate>,
) -> Result<ImportOutcome> {
    let db: Arc<Mutex<Db>> = state.shared()?;
    let _running = job.begin()?;
    let started = Instant::now();
    let mut host = WindowHost {
        app,
        cancel: Arc::clone(&job.cancel),
        shown: None,
    };
    let stamp = now();
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
        import::run(sources, dct, &stamp, &mut &*db, &mut host)
    })
    .await
    .map_err(|e| CommandError::internal(format!("the import failed: {e}")))?;
    outcome.seconds = started.elapsed().as_secs_f64();
    Ok(outcome)
}

/// Shows the native file chooser for articles, corpora and folders of them;
/// `None` when the user cancels. What it returns may be imported.
///
/// End-to-end tests cannot drive a native dialog: built with the `e2e` feature,
/// `ANNALS_E2E_PICK` (paths separated by the platform's path separator) stands in
/// for what the user would pick. Everything after the choice is the real thing.
#[tauri::command]
pub async fn choose_import_files(
    app: AppHandle,
    granted: State<'_, Granted>,
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
        let extensions: Vec<&str> = import::extensions().collect();
        app.dialog()
            .file()
            .set_title("Import articles")
            .add_filter("Articles and corpora", &extensions)
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
}
