//! `annals import`: a caller of the core's import pipeline (`annals_core::import`),
//! which walks folders, streams corpora, batches and reports exactly as the window
//! does. This file prints: a line per item as its run is committed, a line per bad
//! line of a corpus, and a summary with articles/s and MB/s. Everything printed
//! that came from a file goes through [`printable`], so a story's id or title
//! cannot send escape sequences to the terminal.
//!
//! Test builds only (feature `test-hooks`): `ANNALS_ABORT_AFTER_EVENTS=N` makes
//! the process abort (as a kill would) after writing N events inside an
//! article's transaction, for the test that an interrupted import leaves the
//! database as it was. Built without the feature (`make build`, the package),
//! the variable is never read.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use annals_core::dataset::DatasetOptions;
use annals_core::import::{
    self, DatasetFile, ImportHost, ImportProgress, ItemOutcome, Outcome, Source,
};
use annals_core::Db;
use chrono::NaiveDate;

use crate::output::printable;
use crate::Failure;

/// Prints each item as it finishes; counts stories for `--quiet`.
struct Terminal {
    quiet: bool,
    seen: usize,
    /// Bytes of the sources read, as the pipeline last said.
    bytes: u64,
    #[cfg(feature = "test-hooks")]
    abort_after: Option<usize>,
}

impl ImportHost for Terminal {
    fn cancelled(&self) -> bool {
        false
    }

    fn progress(&mut self, p: &ImportProgress) {
        self.bytes = p.bytes_done;
        #[cfg(feature = "test-hooks")]
        if self.abort_after.is_some_and(|n| p.events >= n) {
            std::process::abort();
        }
    }

    fn finished(&mut self, item: &ItemOutcome) {
        self.seen += 1;
        let label = printable(&item.name);
        match item.outcome {
            Outcome::Skipped | Outcome::Cancelled => {
                let why = item.message.as_deref().unwrap_or("cancelled");
                println!("{label}: skipped: {}", printable(why));
            }
            _ if self.quiet => {
                if self.seen.is_multiple_of(1000) {
                    eprint!("\r{} imported...", self.seen);
                    let _ = std::io::stderr().flush();
                }
            }
            // A dataset file (it has no article).
            Outcome::Duplicate if item.article_id.is_none() => println!(
                "{label}: skipped: every row was imported before (dataset {})",
                printable(item.title.as_deref().unwrap_or(""))
            ),
            Outcome::Imported if item.article_id.is_none() => {
                println!(
                    "{label}: imported {} events (dataset {})",
                    item.events,
                    printable(item.title.as_deref().unwrap_or(""))
                );
                for w in &item.warnings {
                    println!("{label}: warning: {}", printable(w));
                }
            }
            Outcome::Duplicate => println!(
                "{label}: skipped: already imported (article {})",
                item.article_id.unwrap_or(0)
            ),
            Outcome::Imported => {
                let date = item
                    .published
                    .map(|p| format!(", dated {p}"))
                    .unwrap_or_else(|| ", no publication date".into());
                let merged = if item.merged > 0 {
                    format!(", {} added as sources to events already there", item.merged)
                } else {
                    String::new()
                };
                println!(
                    "{label}: imported {} events{merged} (article {}{date})",
                    item.events,
                    item.article_id.unwrap_or(0)
                );
                for w in &item.warnings {
                    println!("{label}: warning: {}", printable(w));
                }
            }
        }
    }

    fn bad_line(&mut self, corpus: &str, line: u64, why: &str) {
        if !self.quiet {
            println!("{}:{line}: skipped: {}", printable(corpus), printable(why));
        }
    }
}

pub fn run(
    db: &mut Db,
    files: &[PathBuf],
    dct: Option<NaiveDate>,
    jsonl: bool,
    quiet: bool,
    now: &str,
) -> Result<(), Failure> {
    let started = Instant::now();
    let sources = files
        .iter()
        .map(|f| {
            if jsonl {
                Source::Corpus(f.clone())
            } else {
                Source::Path(f.clone())
            }
        })
        .collect();
    let mut terminal = Terminal {
        quiet,
        seen: 0,
        bytes: 0,
        #[cfg(feature = "test-hooks")]
        abort_after: std::env::var("ANNALS_ABORT_AFTER_EVENTS")
            .ok()
            .and_then(|v| v.parse().ok()),
    };
    let outcome = import::run(sources, dct, now, db, &mut terminal);
    if quiet && terminal.seen >= 1000 {
        eprintln!();
    }
    let bytes = terminal.bytes;
    let secs = started.elapsed().as_secs_f64();
    let total = outcome.imported + outcome.duplicates + outcome.skipped;
    let bad = outcome.bad_line_count();
    for b in &outcome.bad_lines {
        println!(
            "{}: {} lines are not stories{}",
            printable(&b.corpus),
            b.count,
            b.examples
                .first()
                .map(|e| format!(" (the first, line {}: {})", e.line, printable(&e.why)))
                .unwrap_or_default()
        );
    }
    println!(
        "imported {} of {total} ({} events); {} already imported; {} skipped; {bad} bad lines; {:.1} s, {:.0} articles/s, {:.2} MB/s",
        outcome.imported,
        outcome.events,
        outcome.duplicates,
        outcome.skipped,
        secs,
        total as f64 / secs.max(1e-9),
        bytes as f64 / 1e6 / secs.max(1e-9)
    );
    if outcome.skipped > 0 || bad > 0 {
        return Err(Failure {
            message: format!("{} of {total} skipped, {bad} bad lines", outcome.skipped),
            code: 1,
        });
    }
    Ok(())
}

/// Imports dataset files (CSV/TSV through a mapping, ACLED, GDELT, TimelineJS):
/// a line per file, a line per bad row (`file:line: why`), and a summary with
/// rows/s.
pub fn run_datasets(
    db: &mut Db,
    files: Vec<PathBuf>,
    options: &DatasetOptions,
    quiet: bool,
    now: &str,
) -> Result<(), Failure> {
    let started = Instant::now();
    let files = files
        .into_iter()
        .map(|path| DatasetFile {
            path,
            options: options.clone(),
        })
        .collect();
    let mut terminal = Terminal {
        quiet,
        seen: 0,
        bytes: 0,
        #[cfg(feature = "test-hooks")]
        abort_after: std::env::var("ANNALS_ABORT_AFTER_EVENTS")
            .ok()
            .and_then(|v| v.parse().ok()),
    };
    let outcome = import::run_datasets(files, now, db, &mut terminal);
    let secs = started.elapsed().as_secs_f64();
    let total = outcome.imported + outcome.duplicates + outcome.skipped;
    let bad = outcome.bad_line_count();
    println!(
        "imported {} events from {} of {total} dataset files; {} files already imported; {} skipped; {bad} bad rows; {:.1} s, {:.0} rows/s",
        outcome.events,
        outcome.imported,
        outcome.duplicates,
        outcome.skipped,
        secs,
        outcome.events as f64 / secs.max(1e-9)
    );
    if outcome.skipped > 0 || bad > 0 {
        return Err(Failure {
            message: format!(
                "{} of {total} dataset files skipped, {bad} bad rows",
                outcome.skipped
            ),
            code: 1,
        });
    }
    Ok(())
}
