//! `annals import`: files (or JSON Lines of stories) into the database, each whole
//! or not at all, a line per file and a summary. Files are committed one by one;
//! stories of a JSON Lines file in runs of [`STORIES_PER_COMMIT`] (one transaction
//! per run, a savepoint per story: committing per story cost more than writing it).
//!
//! For tests of interrupted imports, `ANNALS_ABORT_AFTER_EVENTS=N` makes the process
//! abort (as a kill would) after writing N events inside an article's transaction.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::time::Instant;

use annals_core::store::ImportReport;
use annals_core::{stories, Db};
use chrono::NaiveDate;

use crate::Failure;

#[derive(Default)]
struct Tally {
    imported: usize,
    duplicates: usize,
    skipped: usize,
    events: usize,
    bytes: usize,
}

/// The progress callback: aborts the process mid-transaction when asked to by the
/// test hook, else goes on.
fn progress_hook() -> impl FnMut(usize) -> bool {
    let abort_after: Option<usize> = std::env::var("ANNALS_ABORT_AFTER_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok());
    move |written| {
        if abort_after.is_some_and(|n| written >= n) {
            std::process::abort();
        }
        true
    }
}

/// Stories of a JSON Lines file written per transaction. An interrupted import
/// loses at most the run in progress (nothing half-written); importing again skips
/// what was committed.
const STORIES_PER_COMMIT: usize = 500;

/// Reports what importing one file (or story) of `bytes` bytes did.
fn one(
    label: &str,
    bytes: usize,
    result: annals_core::Result<ImportReport>,
    quiet: bool,
    tally: &mut Tally,
) {
    tally.bytes += bytes;
    match result {
        Ok(r) if r.already_imported => {
            tally.duplicates += 1;
            if !quiet {
                println!(
                    "{label}: skipped: already imported (article {})",
                    r.article_id
                );
            }
        }
        Ok(r) => {
            tally.imported += 1;
            tally.events += r.events;
            if !quiet {
                let date = r
                    .published
                    .map(|p| format!(", dated {p}"))
                    .unwrap_or_else(|| ", no publication date".into());
                let merged = if r.merged > 0 {
                    format!(", {} added as sources to events already there", r.merged)
                } else {
                    String::new()
                };
                println!(
                    "{label}: imported {} events{merged} (article {}{date})",
                    r.events, r.article_id
                );
                for w in &r.warnings {
                    println!("{label}: warning: {w}");
                }
            }
        }
        Err(e) => {
            tally.skipped += 1;
            println!("{label}: skipped: {e}");
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
    let mut tally = Tally::default();
    for path in files {
        let label = path.display().to_string();
        if jsonl {
            let file = match std::fs::File::open(path) {
                Ok(f) => f,
                Err(e) => {
                    tally.skipped += 1;
                    println!("{label}: skipped: cannot read it: {e}");
                    continue;
                }
            };
            let mut lines = std::io::BufReader::new(file).lines().enumerate().peekable();
            while lines.peek().is_some() {
                let mut batch = db.import_batch()?;
                for (n, line) in lines.by_ref().take(STORIES_PER_COMMIT) {
                    let at = format!("{label}:{}", n + 1);
                    let story = match line
                        .map_err(|e| format!("cannot read it: {e}"))
                        .and_then(|l| stories::parse_line(&l, n + 1))
                    {
                        Ok(Some(s)) => s,
                        Ok(None) => continue,
                        Err(e) => {
                            tally.skipped += 1;
                            println!("{at}: skipped: {e}");
                            continue;
                        }
                    };
                    // An explicit --dct wins over the story's own date.
                    let story_dct = dct.or(story.dct);
                    let label = format!("{at} (story {})", story.id);
                    let result = batch.import_file(
                        "story.txt",
                        story.text.as_bytes(),
                        story_dct,
                        now,
                        &mut progress_hook(),
                    );
                    one(&label, story.text.len(), result, quiet, &mut tally);
                    if quiet && (n + 1) % 1000 == 0 {
                        eprint!("\r{} stories...", n + 1);
                        let _ = std::io::stderr().flush();
                    }
                }
                batch.commit()?;
            }
            if quiet {
                eprintln!();
            }
            continue;
        }
        let name = path.to_string_lossy();
        match std::fs::metadata(path) {
            Ok(m) if m.len() > annals_core::intake::MAX_FILE_BYTES as u64 => {
                tally.skipped += 1;
                println!(
                    "{label}: skipped: {}",
                    annals_core::intake::Rejection::TooLarge {
                        size: m.len(),
                        limit: annals_core::intake::MAX_FILE_BYTES as u64
                    }
                );
                continue;
            }
            _ => {}
        }
        match std::fs::read(path) {
            Ok(bytes) => {
                let result = db.import_file(&name, &bytes, dct, now, &mut progress_hook());
                one(&label, bytes.len(), result, quiet, &mut tally);
            }
            Err(e) => {
                tally.skipped += 1;
                println!("{label}: skipped: cannot read it: {e}");
            }
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let total = tally.imported + tally.duplicates + tally.skipped;
    println!(
        "imported {} of {total} ({} events); {} already imported; {} skipped; {:.1} s, {:.0} articles/s, {:.2} MB/s",
        tally.imported,
        tally.events,
        tally.duplicates,
        tally.skipped,
        secs,
        total as f64 / secs.max(1e-9),
        tally.bytes as f64 / 1e6 / secs.max(1e-9)
    );
    if tally.skipped > 0 {
        return Err(Failure {
            message: format!("{} of {total} skipped", tally.skipped),
            code: 1,
        });
    }
    Ok(())
}
