//! The one import pipeline, which the window and the CLI both call:
//!
//! 1. sources (files, folders, corpora, pasted text) become labelled items, each
//!    read within its limits, a piece at a time (`source.rs`);
//! 2. items go in runs of at most [`ITEMS_PER_RUN`] (and about [`RUN_BYTES`]) to
//!    an [`ImportBatch`](crate::store::ImportBatch): one transaction a run, each
//!    article whole or absent (`store/import.rs`);
//! 3. what happened is one [`ImportOutcome`] (`outcome.rs`).
//!
//! What differs between callers is behind two small traits: [`Database`] (the
//! window takes its lock once per run, so the timeline keeps answering) and
//! [`ImportHost`] (cancel, progress, and each item as it finishes, which the CLI
//! prints).
//!
//! **The publication date rule**, the same everywhere: a date the user gives for
//! the import wins; else a corpus story's own date; else the full date the
//! article's dateline prints; else none. See [`publication_date`].

mod dataset;
mod outcome;
mod source;

use std::sync::{Mutex, PoisonError};

use chrono::NaiveDate;

use crate::error::{Error, Result};
use crate::store::Db;
pub use dataset::{run_datasets, DatasetFile};
pub use outcome::{
    BadLine, BadLines, ImportOutcome, ImportProgress, ItemOutcome, Outcome, BAD_LINE_EXAMPLES,
    LISTED_PER_OUTCOME,
};
use source::Piece;
pub(crate) use source::{clip, open_regular};
pub use source::{extensions, is_importable, read_file, Article, Item, Source, MAX_FOLDER_ENTRIES};

/// Items written per transaction at most. Short wire stories cost less together
/// (one commit, full-text flush and cache sweep per run), and a run this short
/// keeps the window's database lock brief.
pub const ITEMS_PER_RUN: usize = 50;

/// A run closes once its items hold this many bytes, so a run of large articles
/// does not hold fifty of them in memory at once.
pub const RUN_BYTES: usize = crate::intake::MAX_FILE_BYTES;

/// Where the database is: the caller decides how it is reached for each run.
pub trait Database {
    /// Runs `f` on the database (the window takes its lock here, per run).
    fn with_db(&mut self, f: &mut dyn FnMut(&mut Db) -> Result<()>) -> Result<()>;
}

impl Database for Db {
    fn with_db(&mut self, f: &mut dyn FnMut(&mut Db) -> Result<()>) -> Result<()> {
        f(self)
    }
}

/// A shared database: the lock is taken per run. A lock poisoned by a panic
/// elsewhere is taken anyway: SQLite rolled back whatever that thread had open
/// (a transaction rolls back when dropped), so the database is whole.
impl Database for &Mutex<Db> {
    fn with_db(&mut self, f: &mut dyn FnMut(&mut Db) -> Result<()>) -> Result<()> {
        let mut db = self.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut db)
    }
}

/// What the caller hears while an import runs.
pub trait ImportHost {
    /// Whether the user asked to stop: the article in hand rolls back, the rest
    /// are counted as cancelled.
    fn cancelled(&self) -> bool;
    /// Called between items and as events are written; throttle as needed.
    fn progress(&mut self, progress: &ImportProgress);
    /// An item finished (after its run was committed).
    fn finished(&mut self, _item: &ItemOutcome) {}
    /// A line of a corpus that is not a story.
    fn bad_line(&mut self, _corpus: &str, _line: u64, _why: &str) {}
}

/// The publication date an article is imported against, besides the one its
/// dateline prints (which [`crate::store::ImportBatch::import_file`] reads when
/// this gives none): the user's explicit date wins over a corpus story's own.
pub fn publication_date(
    explicit: Option<NaiveDate>,
    story: Option<NaiveDate>,
) -> Option<NaiveDate> {
    explicit.or(story)
}

/// Imports `sources` into the database, each article whole or not at all, and
/// says what became of each. `dct` is the publication date the user gave, if
/// any (see [`publication_date`]); `now` stamps the articles.
pub fn run(
    sources: Vec<Source>,
    dct: Option<NaiveDate>,
    now: &str,
    db: &mut dyn Database,
    host: &mut dyn ImportHost,
) -> ImportOutcome {
    let mut out = ImportOutcome::default();
    let mut pieces = {
        let h: &dyn ImportHost = &*host;
        source::Pieces::new(sources, &|| h.cancelled())
    };
    loop {
        if host.cancelled() {
            out.add_cancelled(pieces.count_rest());
            break;
        }
        let mut run: Vec<Item> = Vec::new();
        let mut bytes = 0usize;
        while run.len() < ITEMS_PER_RUN && bytes < RUN_BYTES {
            match pieces.next_piece() {
                None => break,
                Some(Piece::BadLine { corpus, line, why }) => {
                    out.add_bad_line(&corpus, line, &why);
                    host.bad_line(&corpus, line, &why);
                    // A long stretch of bad lines still shows progress and heeds
                    // a cancel.
                    if line % 1024 == 0 {
                        let (bytes_done, bytes_total) = pieces.bytes();
                        host.progress(&ImportProgress {
                            done: out.imported + out.duplicates + out.skipped,
                            bytes_done,
                            bytes_total,
                            name: corpus,
                            events: 0,
                        });
                        if host.cancelled() {
                            break;
                        }
                    }
                }
                Some(Piece::Item(item)) => {
                    bytes += item.body.as_ref().map_or(0, |a| a.bytes.len());
                    run.push(item);
                }
            }
        }
        if run.is_empty() {
            if host.cancelled() {
                continue; // to count what is left
            }
            break;
        }
        let (bytes_done, bytes_total) = pieces.bytes();
        let at = Progress {
            done: out.imported + out.duplicates + out.skipped,
            bytes_done,
            bytes_total,
        };
        for item in write_run(run, dct, now, at, db, host) {
            host.finished(&item);
            out.add(item);
        }
    }
    let (bytes_done, bytes_total) = pieces.bytes();
    host.progress(&ImportProgress {
        done: out.imported + out.duplicates + out.skipped,
        bytes_done,
        bytes_total,
        name: String::new(),
        events: 0,
    });
    out
}

/// An item of a run, read and extracted.
struct PreparedItem {
    label: String,
    prepared: Result<crate::store::Prepared>,
}

/// Prepares the run's items on every core (each thread a contiguous share, so
/// the order stays), panics inside an article contained by `prepare` itself.
fn prepare_all(run: Vec<Item>, dct: Option<NaiveDate>) -> Vec<PreparedItem> {
    let one = |item: Item| PreparedItem {
        prepared: item.body.and_then(|a| {
            crate::store::prepare(
                &a.format_name,
                &a.bytes,
                publication_date(dct, a.story_date),
            )
        }),
        label: item.label,
    };
    crate::parallel::map_ordered(run, 2, one)
}

/// Where the import stands when a run starts.
#[derive(Clone, Copy)]
struct Progress {
    done: usize,
    bytes_done: u64,
    bytes_total: u64,
}

/// Writes one run in one transaction and says what became of each item. When the
/// run cannot be committed, none of it was written: each item says why.
fn write_run(
    run: Vec<Item>,
    dct: Option<NaiveDate>,
    now: &str,
    at: Progress,
    db: &mut dyn Database,
    host: &mut dyn ImportHost,
) -> Vec<ItemOutcome> {
    let labels: Vec<String> = run.iter().map(|i| i.label.clone()).collect();
    // Reading and extraction need no database: every core prepares articles,
    // in order, before the run is written one article after the other.
    let run = prepare_all(run, dct);
    let mut run = Some(run);
    let mut results: Vec<(String, Result<crate::store::ImportReport>)> = Vec::new();
    let written = db.with_db(&mut |db| {
        let Some(run) = run.take() else {
            return Ok(());
        };
        // A database another process holds says who holds it.
        let path = db.path().map(std::path::Path::to_path_buf);
        let located = |e: Error| match &path {
            Some(p) => e.at_database(p),
            None => e,
        };
        let mut batch = db.import_batch().map_err(located)?;
        for (i, item) in run.into_iter().enumerate() {
            let result = if host.cancelled() {
                Err(Error::Cancelled)
            } else {
                let mut p = ImportProgress {
                    done: at.done + i,
                    bytes_done: at.bytes_done,
                    bytes_total: at.bytes_total,
                    name: item.label.clone(),
                    events: 0,
                };
                host.progress(&p);
                let mut on_event = |events: usize| {
                    p.events = events;
                    host.progress(&p);
                    !host.cancelled()
                };
                batch.import_prepared(item.prepared, now, &mut on_event)
            };
            results.push((item.label, result));
        }
        batch.commit().map_err(located)
    });
    match written {
        Ok(()) => results
            .into_iter()
            .map(|(label, r)| ItemOutcome::of(label, r))
            .collect(),
        // Nothing of the run was written. An item that failed on its own keeps
        // its reason; the others say why the run could not be written.
        Err(e) => {
            let mut results = results.into_iter();
            labels
                .into_iter()
                .map(|label| match results.next() {
                    Some((label, r @ Err(_))) => ItemOutcome::of(label, r),
                    _ => ItemOutcome::skipped(label, e.to_string()),
                })
                .collect()
        }
    }
}
