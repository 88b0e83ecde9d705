//! Importing dataset files: the import pipeline's runner for files whose rows
//! are events (`crate::dataset`), with the same [`Database`], [`ImportHost`] and
//! [`ImportOutcome`] as articles. Each file is one item and one transaction:
//! all of its rows, or none. A row that cannot be read is a bad line (its line
//! number and why); by default one bad row refuses the whole file, so nothing
//! is half imported and the list says what to fix; `skip_bad_rows` imports the
//! others. Rows already imported (same dataset and row id) are counted, not
//! written again.

use std::path::PathBuf;

use super::{Database, ImportHost, ImportOutcome, ImportProgress, ItemOutcome, Outcome};
use crate::dataset::{self, DatasetOptions};
use crate::error::{Error, Result};
use crate::store::{Db, Written};

/// A dataset file to import and how to read it.
#[derive(Debug, Clone)]
pub struct DatasetFile {
    pub path: PathBuf,
    pub options: DatasetOptions,
}

/// Rows between progress reports (and cancel checks).
const PROGRESS_EVERY: u64 = 4096;

/// What one file did.
struct FileReport {
    dataset: String,
    written: usize,
    already: usize,
    bad: usize,
    first_bad: Option<(u64, String)>,
    warnings: Vec<String>,
}

/// Imports dataset files, each whole or not at all, and says what became of each.
pub fn run_datasets(
    files: Vec<DatasetFile>,
    now: &str,
    db: &mut dyn Database,
    host: &mut dyn ImportHost,
) -> ImportOutcome {
    let mut out = ImportOutcome::default();
    let total = files.len();
    for (i, file) in files.into_iter().enumerate() {
        if host.cancelled() {
            out.add_cancelled(total - i);
            break;
        }
        let label = file.path.display().to_string();
        let mut report = None;
        let mut bad_lines: Vec<(u64, String)> = Vec::new();
        let mut bad_count = 0usize;
        let result = db.with_db(&mut |db| {
            let done = out.imported + out.duplicates + out.skipped;
            let r = import_file(
                db,
                &file,
                &label,
                now,
                done,
                host,
                &mut bad_lines,
                &mut bad_count,
            )?;
            report = Some(r);
            Ok(())
        });
        for (line, why) in &bad_lines {
            out.add_bad_line(&label, *line, why);
        }
        let unlisted = report
            .as_ref()
            .map_or(0, |r: &FileReport| r.bad)
            .max(bad_count)
            .saturating_sub(bad_lines.len());
        out.add_uncounted_bad_lines(&label, unlisted as u64);
        let item = match (result, report) {
            (Ok(()), Some(r)) => {
                let mut warnings = r.warnings;
                if r.already > 0 {
                    warnings.push(format!(
                        "{} rows were imported before: not added again",
                        r.already
                    ));
                }
                if r.bad > 0 {
                    warnings.push(format!(
                        "{} rows could not be read and were left out",
                        r.bad
                    ));
                }
                ItemOutcome {
                    name: label,
                    outcome: if r.written == 0 && r.already > 0 {
                        Outcome::Duplicate
                    } else {
                        Outcome::Imported
                    },
                    article_id: None,
                    title: Some(r.dataset),
                    events: r.written,
                    merged: 0,
                    published: None,
                    message: None,
                    warnings,
                }
            }
            (Err(Error::Cancelled), _) => ItemOutcome::of(label, Err(Error::Cancelled)),
            (Err(e), _) => ItemOutcome::skipped(label, e.to_string()),
            (Ok(()), None) => ItemOutcome::skipped(label, "nothing was read".into()),
        };
        host.finished(&item);
        out.add(item);
    }
    host.progress(&ImportProgress {
        done: out.imported + out.duplicates + out.skipped,
        bytes_done: 0,
        bytes_total: 0,
        name: String::new(),
        events: 0,
    });
    out
}

#[allow(clippy::too_many_arguments)]
fn import_file(
    db: &mut Db,
    file: &DatasetFile,
    label: &str,
    now: &str,
    done: usize,
    host: &mut dyn ImportHost,
    bad_lines: &mut Vec<(u64, String)>,
    bad_count: &mut usize,
) -> Result<FileReport> {
    crate::seed::ensure_countries(db)?;
    let mut reader = dataset::reader(&file.path, &file.options, db)?;
    let places = db.places()?;
    let header = reader.table.header().to_vec();
    let dataset = reader.dataset.clone();
    let skip_bad = file.options.skip_bad_rows;
    let mut report = FileReport {
        dataset: dataset.clone(),
        written: 0,
        already: 0,
        bad: 0,
        first_bad: None,
        warnings: reader.table.warnings().to_vec(),
    };
    let mut writer = db.dataset_writer(now)?;
    let mut rows = 0u64;
    let mut bad = |line: u64, why: String, report: &mut FileReport, host: &mut dyn ImportHost| {
        host.bad_line(label, line, &why);
        report.bad += 1;
        *bad_count += 1;
        if report.first_bad.is_none() {
            report.first_bad = Some((line, why.clone()));
        }
        if bad_lines.len() < super::BAD_LINE_EXAMPLES {
            bad_lines.push((line, why));
        }
    };
    loop {
        let Some(record) = reader.table.next_record() else {
            break;
        };
        let record = record?;
        rows += 1;
        let line = record.line;
        let row = match record.fields {
            Ok(fields) => reader.converter.row(&fields, line, &places),
            Err(why) => Err(why),
        };
        match row {
            Err(why) => bad(line, why, &mut report, host),
            // After a bad row the rest is only checked: the file will not be written.
            Ok(_) if report.bad > 0 && !skip_bad => {}
            Ok(row) => match writer.write(&dataset, label, &row)? {
                Written::New(_) => report.written += 1,
                Written::AlreadyThere => report.already += 1,
            },
        }
        if rows.is_multiple_of(PROGRESS_EVERY) {
            let (bytes_done, bytes_total) = reader.table.bytes();
            host.progress(&ImportProgress {
                done,
                bytes_done,
                bytes_total,
                name: label.to_string(),
                events: report.written,
            });
            if host.cancelled() {
                return Err(Error::Cancelled);
            }
        }
    }
    if host.cancelled() {
        return Err(Error::Cancelled);
    }
    if report.bad > 0 && !skip_bad {
        let (line, why) = report.first_bad.clone().unwrap_or_default();
        return Err(Error::Dataset(format!(
            "{} rows cannot be read (the first, line {line}: {why}); nothing of this file was written. Fix them, or skip bad rows to import the rest",
            report.bad
        )));
    }
    if rows == 0 {
        return Err(Error::Dataset(
            "the file has no rows below its header".into(),
        ));
    }
    writer.commit()?;
    if let Some(m) = &reader.mapping {
        dataset::remember_mapping(db, &header, m)?;
    }
    Ok(report)
}
