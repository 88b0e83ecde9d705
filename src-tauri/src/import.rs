//! Importing articles from the window (files chosen in the native dialog or
//! dropped on it, pasted text), with progress events and cancelling, and the
//! review and re-anchoring commands.
//!
//! Each article is imported whole or not at all by annals-core; the database
//! lock is taken per run (a file, or up to fifty stories of a corpus), so the
//! timeline keeps answering during a long import.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use annals_core::date::PartialDate;
use annals_core::event::{Event, EventInput};
use annals_core::intake::MAX_FILE_BYTES;
use annals_core::store::{ArticleView, ImportReport, ReanchorReport, ReviewArticles, ReviewItem};
use annals_core::{stories, Error};
use chrono::NaiveDate;
use serde::Serialize;
use tauri::{AppHandle, Emitter, State};
use ts_rs::TS;

use crate::error::CommandError;
use crate::state::{now, AppState};

type Result<T> = std::result::Result<T, CommandError>;

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

    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::SeqCst)
    }
}

/// What became of one file.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct FileOutcome {
    /// The file's name (or "Pasted text").
    pub name: String,
    /// "imported", "duplicate" (same text imported before), "skipped" (could not
    /// be imported: see `message`) or "cancelled".
    pub outcome: String,
    #[ts(type = "number | null")]
    pub article_id: Option<i64>,
    pub title: Option<String>,
    pub events: usize,
    /// Proposals another article already reported: added to that event as sources.
    pub merged: usize,
    #[ts(type = "string | null")]
    pub published: Option<PartialDate>,
    /// Why it was skipped.
    pub message: Option<String>,
    pub warnings: Vec<String>,
}

/// What one import did, file by file.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ImportSummary {
    pub files: Vec<FileOutcome>,
    pub imported: usize,
    pub duplicates: usize,
    pub skipped: usize,
    pub cancelled: usize,
    /// Proposed events written in all.
    pub events: usize,
    pub seconds: f64,
}

/// Sent as the `import-progress` event while files are imported.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ImportProgress {
    /// Files finished so far, of `total`.
    pub done: usize,
    pub total: usize,
    /// The file being imported.
    pub name: String,
    /// Events written so far for this file.
    pub events: usize,
}

fn outcome(name: String, r: std::result::Result<ImportReport, CommandError>) -> FileOutcome {
    let mut o = FileOutcome {
        name,
        outcome: String::new(),
        article_id: None,
        title: None,
        events: 0,
        merged: 0,
        published: None,
        message: None,
        warnings: Vec::new(),
    };
    match r {
        Ok(r) => {
            o.outcome = if r.already_imported {
                "duplicate"
            } else {
                "imported"
            }
            .into();
            o.article_id = Some(r.article_id);
            o.title = Some(r.title);
            o.events = r.events;
            o.merged = r.merged;
            o.published = r.published;
            o.warnings = r.warnings;
        }
        Err(e) => {
            o.outcome = if e.kind == "cancelled" {
                "cancelled"
            } else {
                "skipped"
            }
            .into();
            o.message = Some(e.message);
        }
    }
    o
}

fn summarize(files: Vec<FileOutcome>, started: Instant) -> ImportSummary {
    let count = |k: &str| files.iter().filter(|f| f.outcome == k).count();
    ImportSummary {
        imported: count("imported"),
        duplicates: count("duplicate"),
        skipped: count("skipped"),
        cancelled: count("cancelled"),
        events: files.iter().map(|f| f.events).sum(),
        seconds: started.elapsed().as_secs_f64(),
        files,
    }
}

fn parse_dct(dct: Option<String>) -> Result<Option<NaiveDate>> {
    match dct.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
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

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Extensions of the files a dropped or chosen folder contributes.
const ARTICLE_EXTENSIONS: &[&str] = &[
    "txt", "text", "md", "markdown", "html", "htm", "xhtml", "jsonl", "ndjson",
];

/// Entries looked at in one folder at most (files and subfolders), so a drop
/// of a home folder stays sane; what is left is reported, not silently dropped.
const MAX_FOLDER_ENTRIES: usize = 50_000;

/// A path to import, or a folder that was cut short.
enum Found {
    File(PathBuf),
    CutShort(PathBuf),
}

/// The files to import: files as given (an unsupported one is reported, not
/// dropped), folders replaced by the article files inside them, recursively, in
/// name order; hidden entries and symbolic links inside folders are skipped (a
/// link can loop). Stops early when `stop` says so.
fn expand(paths: Vec<PathBuf>, stop: &dyn Fn() -> bool) -> Vec<Found> {
    expand_limited(paths, stop, MAX_FOLDER_ENTRIES)
}

fn expand_limited(paths: Vec<PathBuf>, stop: &dyn Fn() -> bool, max_entries: usize) -> Vec<Found> {
    fn walk(dir: &Path, out: &mut Vec<Found>, budget: &mut usize, stop: &dyn Fn() -> bool) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<std::fs::DirEntry> = entries.filter_map(|e| e.ok()).collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            if stop() {
                return;
            }
            if *budget == 0 {
                out.push(Found::CutShort(dir.to_path_buf()));
                return;
            }
            *budget -= 1;
            if e.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            // The entry's own type: a symbolic link is neither file nor folder here.
            let Ok(kind) = e.file_type() else {
                continue;
            };
            let p = e.path();
            if kind.is_dir() {
                walk(&p, out, budget, stop);
            } else if kind.is_file()
                && p.extension()
                    .and_then(|x| x.to_str())
                    .is_some_and(|x| ARTICLE_EXTENSIONS.contains(&x.to_ascii_lowercase().as_str()))
            {
                out.push(Found::File(p));
            }
        }
    }
    let mut out = Vec::with_capacity(paths.len());
    for p in paths {
        if p.is_dir() {
            let mut budget = max_entries;
            walk(&p, &mut out, &mut budget, stop);
        } else {
            out.push(Found::File(p));
        }
    }
    out
}

/// Reads an article file, refusing one over the size limit before reading it.
fn read_file(path: &Path) -> Result<Vec<u8>> {
    read_limited(path, MAX_FILE_BYTES as u64)
}

/// Reads a file of at most `limit` bytes (checked before reading).
fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>> {
    let io = |e: std::io::Error| CommandError {
        kind: "io".into(),
        message: format!("cannot read it: {e}"),
        field: None,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        return Err(CommandError {
            kind: "rejected".into(),
            message: "it is a folder, not a file".into(),
            field: None,
        });
    }
    if meta.len() > limit {
        return Err(CommandError::from(Error::Rejected(
            annals_core::intake::Rejection::TooLarge {
                size: meta.len(),
                limit,
            },
        )));
    }
    std::fs::read(path).map_err(io)
}

/// Imports a run of texts in one transaction under the database lock (each text
/// whole or not at all), reporting progress and stopping (the text in hand
/// rolled back, the rest marked cancelled) when the import is cancelled. The
/// lock is held for one run only, so the window's queries get their turn.
async fn import_run(
    app: &AppHandle,
    state: &AppState,
    job: &ImportJob,
    run: Vec<Work>,
    dct: Option<NaiveDate>,
    (done, total): (usize, usize),
    shown: Instant,
) -> (Vec<(String, Result<ImportReport>)>, Instant) {
    let app = app.clone();
    let cancel = Arc::clone(&job.cancel);
    let stamp = now();
    let labels: Vec<String> = run.iter().map(|w| w.label.clone()).collect();
    let result = state
        .with_db(move |db| {
            let mut batch = db.import_batch()?;
            let mut out = Vec::with_capacity(run.len());
            let mut shown = shown;
            for (i, w) in run.into_iter().enumerate() {
                if cancel.load(Ordering::SeqCst) {
                    out.push((w.label, Err(Error::Cancelled.into())));
                    continue;
                }
                if shown.elapsed() >= PROGRESS_INTERVAL {
                    shown = Instant::now();
                    emit_progress(&app, done + i, total, &w.label, 0);
                }
                let r = match w.text {
                    Ok(t) => {
                        let mut last = 0;
                        let mut progress = |events: usize| {
                            if events >= last + PROGRESS_EVERY {
                                last = events;
                                emit_progress(&app, done + i, total, &w.label, events);
                            }
                            !cancel.load(Ordering::SeqCst)
                        };
                        batch
                            .import_file(
                                &t.format_name,
                                &t.bytes,
                                w.dct.or(dct),
                                &stamp,
                                &mut progress,
                            )
                            .map_err(CommandError::from)
                    }
                    Err(e) => Err(e),
                };
                out.push((w.label, r));
            }
            batch.commit()?;
            Ok((out, shown))
        })
        .await;
    match result {
        Ok(r) => r,
        // The run could not be written: none of it was.
        Err(e) => (
            labels.into_iter().map(|l| (l, Err(e.clone()))).collect(),
            shown,
        ),
    }
}

/// Stories written per transaction: short wire stories cost less together, and
/// fifty keep the lock short.
const STORIES_PER_RUN: usize = 50;

/// One text to import and where it came from.
struct Work {
    label: String,
    text: Result<Text>,
    /// The story's own publication date, if the corpus gives one.
    dct: Option<NaiveDate>,
}

impl Work {
    fn of(item: Item) -> Work {
        match item {
            Item::File(path) => {
                let label = file_name(&path);
                let text = read_file(&path).map(|bytes| Text {
                    format_name: label.clone(),
                    bytes,
                });
                Work {
                    label,
                    text,
                    dct: None,
                }
            }
            Item::Story { label, text, dct } => Work {
                label,
                text: Ok(Text {
                    format_name: "story.txt".into(),
                    bytes: text.into_bytes(),
                }),
                dct,
            },
            Item::Bad { label, error } => Work {
                label,
                text: Err(error),
                dct: None,
            },
        }
    }
}

/// A text to import: its bytes and the name its format is read from.
struct Text {
    format_name: String,
    bytes: Vec<u8>,
}

/// What one import works through, in order.
enum Item {
    File(PathBuf),
    /// A story of a JSON Lines corpus, with its own publication date.
    Story {
        label: String,
        text: String,
        dct: Option<NaiveDate>,
    },
    /// Something that cannot be imported, and why.
    Bad {
        label: String,
        error: CommandError,
    },
}

/// The items of the chosen paths: files as they are, a corpus as its stories.
fn items(paths: Vec<PathBuf>, stop: &dyn Fn() -> bool) -> Vec<Item> {
    let mut out = Vec::new();
    for found in expand(paths, stop) {
        let path = match found {
            Found::File(p) => p,
            Found::CutShort(dir) => {
                out.push(Item::Bad {
                    label: dir.display().to_string(),
                    error: rejected(format!(
                        "more than {MAX_FOLDER_ENTRIES} entries: the rest of this folder was not imported"
                    )),
                });
                continue;
            }
        };
        let name = file_name(&path);
        if !stories::is_corpus(&name) {
            out.push(Item::File(path));
            continue;
        }
        let text = match read_limited(&path, stories::MAX_CORPUS_BYTES).and_then(|b| {
            String::from_utf8(b).map_err(|_| rejected("a corpus must be UTF-8 JSON Lines"))
        }) {
            Ok(t) => t,
            Err(error) => {
                out.push(Item::Bad { label: name, error });
                continue;
            }
        };
        for (i, line) in text.lines().enumerate() {
            match stories::parse_line(line, i + 1) {
                Ok(None) => {}
                Ok(Some(story)) => out.push(Item::Story {
                    label: format!("{name} · story {}", story.id),
                    text: story.text,
                    dct: story.dct,
                }),
                Err(why) => out.push(Item::Bad {
                    label: format!("{name} · line {}", i + 1),
                    error: rejected(why),
                }),
            }
        }
    }
    out
}

fn rejected(message: impl Into<String>) -> CommandError {
    CommandError {
        kind: "rejected".into(),
        message: message.into(),
        field: None,
    }
}

/// Events written between two progress reports within one file.
const PROGRESS_EVERY: usize = 25;

/// Progress reports between files at most this often: a corpus of twenty
/// thousand stories should not send twenty thousand events to the page, and
/// each report repaints the dialog over the whole window (measured: at 20 a
/// second the web process took most of a core and the import ran at half speed).
const PROGRESS_INTERVAL: std::time::Duration = std::time::Duration::from_millis(250);

fn emit_progress(app: &AppHandle, done: usize, total: usize, name: &str, events: usize) {
    let p = ImportProgress {
        done,
        total,
        name: name.to_string(),
        events,
    };
    if let Err(e) = app.emit("import-progress", p) {
        eprintln!("annals: import progress not delivered: {e}");
    }
}

/// Shows the native file chooser for articles; `None` when the user cancels.
///
/// End-to-end tests cannot drive a native dialog: built with the `e2e` feature,
/// `ANNALS_E2E_PICK` (paths separated by the platform's path separator) stands in
/// for what the user would pick. Everything after the choice is the real thing.
#[tauri::command]
pub async fn choose_import_files(app: AppHandle) -> Result<Option<Vec<String>>> {
    #[cfg(feature = "e2e")]
    if let Some(v) = std::env::var_os("ANNALS_E2E_PICK") {
        return Ok(Some(
            std::env::split_paths(&v)
                .map(|p| p.display().to_string())
                .collect(),
        ));
    }
    use tauri_plugin_dialog::DialogExt;
    let picked = tauri::async_runtime::spawn_blocking(move || {
        app.dialog()
            .file()
            .set_title("Import articles")
            .add_filter(
                "Articles and corpora",
                &["txt", "md", "markdown", "html", "htm", "jsonl", "ndjson"],
            )
            .add_filter("All files", &["*"])
            .blocking_pick_files()
    })
    .await
    .map_err(|e| CommandError::internal(format!("the file dialog failed: {e}")))?;
    Ok(picked.map(|files| {
        files
            .into_iter()
            .filter_map(|f| f.into_path().ok())
            .map(|p| p.display().to_string())
            .collect()
    }))
}

/// Imports files one by one (each whole or not at all) and says what became of
/// each. Cancelling stops the file being imported (nothing of it is written) and
/// those not started; files already imported stay.
#[tauri::command]
pub async fn import_files(
    app: AppHandle,
    state: State<'_, AppState>,
    job: State<'_, ImportJob>,
    paths: Vec<String>,
    dct: Option<String>,
) -> Result<ImportSummary> {
    let dct = parse_dct(dct)?;
    let _running = job.begin()?;
    let started = Instant::now();
    // Walking folders and reading corpora can take a while: off the async
    // runtime, with the dialog already showing and Cancel heeded.
    emit_progress(&app, 0, 0, "Looking through the files…", 0);
    let cancel = Arc::clone(&job.cancel);
    let items = tauri::async_runtime::spawn_blocking(move || {
        items(paths.into_iter().map(PathBuf::from).collect(), &|| {
            cancel.load(Ordering::SeqCst)
        })
    })
    .await
    .map_err(|e| CommandError::internal(format!("reading the files failed: {e}")))?;
    let total = items.len();
    let mut files = Vec::with_capacity(total);
    let mut shown = Instant::now() - PROGRESS_INTERVAL;
    let mut items = items.into_iter().peekable();
    while let Some(first) = items.next() {
        // A file alone (it may be large); a corpus's stories in runs.
        let story = !matches!(first, Item::File(_));
        let mut run = vec![Work::of(first)];
        while story
            && run.len() < STORIES_PER_RUN
            && items.peek().is_some_and(|i| !matches!(i, Item::File(_)))
        {
            if let Some(next) = items.next() {
                run.push(Work::of(next));
            }
        }
        let done = files.len();
        if job.cancelled() {
            files.extend(
                run.into_iter()
                    .map(|w| outcome(w.label, Err(Error::Cancelled.into()))),
            );
            continue;
        }
        let (out, last) = import_run(&app, &state, &job, run, dct, (done, total), shown).await;
        shown = last;
        files.extend(out.into_iter().map(|(label, r)| outcome(label, r)));
    }
    emit_progress(&app, total, total, "", 0);
    Ok(summarize(files, started))
}

/// Imports pasted text as an article (its first line is the headline).
#[tauri::command]
pub async fn import_text(
    app: AppHandle,
    state: State<'_, AppState>,
    job: State<'_, ImportJob>,
    text: String,
    dct: Option<String>,
) -> Result<ImportSummary> {
    let dct = parse_dct(dct)?;
    let _running = job.begin()?;
    let started = Instant::now();
    let name = "Pasted text".to_string();
    let r = if text.len() > MAX_FILE_BYTES {
        Err(Error::Rejected(annals_core::intake::Rejection::TooLarge {
            size: text.len() as u64,
            limit: MAX_FILE_BYTES as u64,
        })
        .into())
    } else {
        let work = Work {
            label: name.clone(),
            text: Ok(Text {
                format_name: "pasted.txt".into(),
                bytes: text.into_bytes(),
            }),
            dct: None,
        };
        let start = Instant::now() - PROGRESS_INTERVAL;
        let (mut out, _) = import_run(&app, &state, &job, vec![work], dct, (0, 1), start).await;
        out.pop()
            .map(|(_, r)| r)
            .unwrap_or_else(|| Err(CommandError::internal("the import gave no result")))
    };
    Ok(summarize(vec![outcome(name, r)], started))
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

/// Corrects an article's publication date (YYYY-MM-DD) and re-resolves the dates
/// that depended on it.
#[tauri::command]
pub async fn set_publication_date(
    state: State<'_, AppState>,
    article_id: i64,
    date: String,
) -> Result<ReanchorReport> {
    let day = parse_dct(Some(date))?.ok_or_else(|| {
        CommandError::from(Error::invalid("published", "enter the publication date"))
    })?;
    state
        .with_db(move |db| {
            db.set_publication_date(
                article_id,
                PartialDate::from_naive(day),
                Some("publication date corrected"),
                &now(),
            )
        })
        .await
}

/// How many events wait for review, in all.
#[tauri::command]
pub async fn review_count(state: State<'_, AppState>) -> Result<u32> {
    state.with_db(|db| db.proposed_count()).await
}

/// Articles with proposals waiting (the newest `limit`, at most 1000), plus
/// `include` whatever its count, and how many are waiting and done.
#[tauri::command]
pub async fn review_articles(
    state: State<'_, AppState>,
    include: Option<i64>,
    limit: u32,
) -> Result<ReviewArticles> {
    state
        .with_db(move |db| db.review_articles(include, limit.min(REVIEW_PAGE_MAX)))
        .await
}

#[tauri::command]
pub async fn review_items(
    state: State<'_, AppState>,
    article_id: Option<i64>,
    limit: u32,
) -> Result<Vec<ReviewItem>> {
    state
        .with_db(move |db| db.review_items(article_id, limit.min(REVIEW_PAGE_MAX)))
        .await
}

/// Proposals sent to the Review view at most at once; it asks for more as the
/// user works down the queue.
const REVIEW_PAGE_MAX: u32 = 1000;

#[tauri::command]
pub async fn accept_event(state: State<'_, AppState>, id: i64) -> Result<Event> {
    state.with_db(move |db| db.accept_event(id, &now())).await
}

#[tauri::command]
pub async fn reject_event(state: State<'_, AppState>, id: i64) -> Result<Event> {
    state.with_db(move |db| db.reject_event(id, &now())).await
}

/// Sends an accepted or rejected event back to review (the undo of a decision).
#[tauri::command]
pub async fn reopen_event(state: State<'_, AppState>, id: i64) -> Result<Event> {
    state.with_db(move |db| db.reopen_event(id, &now())).await
}

#[tauri::command]
pub async fn edit_and_accept(
    state: State<'_, AppState>,
    id: i64,
    input: EventInput,
) -> Result<Event> {
    state
        .with_db(move |db| db.edit_and_accept(id, input, &now()))
        .await
}

#[tauri::command]
pub async fn merge_events(state: State<'_, AppState>, from: i64, into: i64) -> Result<Event> {
    state
        .with_db(move |db| db.merge_events(from, into, &now()))
        .await
}

#[tauri::command]
pub async fn merge_candidates(state: State<'_, AppState>, id: i64) -> Result<Vec<Event>> {
    state.with_db(move |db| db.merge_candidates(id, 20)).await
}

/// How many proposals "accept all above `min_confidence`" would accept.
#[tauri::command]
pub async fn count_above(
    state: State<'_, AppState>,
    min_confidence: f64,
    article_id: Option<i64>,
) -> Result<u32> {
    state
        .with_db(move |db| db.proposed_above(min_confidence, article_id))
        .await
}

/// Accepts every proposal at or above `min_confidence` (0 to 1), of one article
/// when given; returns how many.
#[tauri::command]
pub async fn accept_above(
    state: State<'_, AppState>,
    min_confidence: f64,
    article_id: Option<i64>,
) -> Result<usize> {
    if !(0.0..=1.0).contains(&min_confidence) {
        return Err(Error::invalid("confidence", "a confidence is between 0 and 100%").into());
    }
    state
        .with_db(move |db| db.accept_above(min_confidence, article_id, &now()))
        .await
}

#[tauri::command]
pub async fn article_view(state: State<'_, AppState>, id: i64) -> Result<ArticleView> {
    state.with_db(move |db| db.article_view(id)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_expand_to_their_article_files_in_name_order_and_files_stay_as_given() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path();
        let write = |rel: &str| {
            let p = root.join(rel);
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
            }
            std::fs::write(&p, "x").unwrap_or_else(|e| panic!("{e}"));
            p
        };
        write("news/b.txt");
        write("news/a.HTML");
        write("news/photo.jpg");
        write("news/.hidden.txt");
        write("news/2002/c.md");
        let pdf = write("report.pdf");
        let got = expand(vec![root.join("news"), pdf.clone()], &|| false);
        let rel: Vec<String> = got
            .iter()
            .map(|f| match f {
                Found::File(p) => p
                    .strip_prefix(root)
                    .map(|r| r.display().to_string())
                    .unwrap_or_default(),
                Found::CutShort(_) => "cut short".into(),
            })
            .collect();
        assert_eq!(
            rel,
            ["news/2002/c.md", "news/a.HTML", "news/b.txt", "report.pdf"]
        );
    }

    #[test]
    fn a_symlink_loop_is_skipped_and_a_huge_folder_says_it_was_cut_short() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path().join("case");
        std::fs::create_dir_all(&root).unwrap_or_else(|e| panic!("{e}"));
        for i in 0..5 {
            std::fs::write(root.join(format!("{i}.txt")), "x").unwrap_or_else(|e| panic!("{e}"));
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(&root, root.join("loop")).unwrap_or_else(|e| panic!("{e}"));
        let all = expand_limited(vec![root.clone()], &|| false, 100);
        assert_eq!(
            all.iter().filter(|f| matches!(f, Found::File(_))).count(),
            5
        );
        assert!(!all.iter().any(|f| matches!(f, Found::CutShort(_))));
        let cut = expand_limited(vec![root.clone()], &|| false, 3);
        assert_eq!(
            cut.iter().filter(|f| matches!(f, Found::File(_))).count(),
            3
        );
        assert!(matches!(cut.last(), Some(Found::CutShort(p)) if *p == root));
        let stopped = expand_limited(vec![root], &|| true, 100);
        assert!(stopped.is_empty());
    }
}
