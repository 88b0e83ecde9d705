//! File › Import Dataset…: files whose rows are events (CSV and TSV through a
//! mapping, ACLED, GDELT, TimelineJS), through the core's dataset runner
//! (`annals_core::import::run_datasets`) with the same granted paths, progress,
//! cancel and one-import-at-a-time rule as articles (`import.rs`). The page
//! first asks for a preview of each file (its first rows, the mapping proposed
//! or remembered for its columns, and those rows as events), lets the person
//! correct the mapping, then imports.
//!
//! A file is one transaction, so the database lock is held for a whole file;
//! the timeline's queries wait for it (a million rows take seconds).

use std::path::PathBuf;

use annals_core::dataset::{self, DatasetOptions, Preview, DATASET_EXTENSIONS};
use annals_core::import::{run_datasets, DatasetFile, ImportOutcome};
use serde::Deserialize;
use tauri::{AppHandle, State};
use ts_rs::TS;

use crate::error::CommandError;
use crate::import::{choose, run_with, Granted, ImportJob};
use crate::state::{now, AppState};

type Result<T> = std::result::Result<T, CommandError>;

/// A dataset file the page asks to import, and how to read it.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct DatasetRequest {
    pub path: String,
    pub options: DatasetOptions,
}

/// Shows the native file chooser for dataset files; `None` when the user
/// cancels. What it returns may be previewed and imported.
#[tauri::command]
pub async fn choose_dataset_files(
    app: AppHandle,
    granted: State<'_, Granted>,
) -> Result<Option<Vec<String>>> {
    choose(
        app,
        &granted,
        "Import datasets",
        "Datasets (CSV, TSV, GDELT, TimelineJS)",
        DATASET_EXTENSIONS.to_vec(),
    )
    .await
}

/// A granted file's first rows, the mapping to read it by (the one in
/// `options`, else remembered, else proposed) and those rows as events.
#[tauri::command]
pub async fn preview_dataset(
    state: State<'_, AppState>,
    granted: State<'_, Granted>,
    path: String,
    options: DatasetOptions,
) -> Result<Preview> {
    let path = one(&granted, path)?;
    state
        .with_db(move |db| dataset::preview(&path, &options, db))
        .await
}

/// Imports granted dataset files, each whole or not at all (or, with
/// `skip_bad_rows`, its readable rows), and says what became of each; bad rows
/// come back with their line numbers. The mapping used is remembered for files
/// with the same columns.
#[tauri::command]
pub async fn import_datasets(
    app: AppHandle,
    state: State<'_, AppState>,
    job: State<'_, ImportJob>,
    granted: State<'_, Granted>,
    files: Vec<DatasetRequest>,
) -> Result<ImportOutcome> {
    let paths = granted.check(files.iter().map(|f| f.path.clone()).collect())?;
    let files: Vec<DatasetFile> = paths
        .into_iter()
        .zip(files)
        .map(|(path, f)| DatasetFile {
            path,
            options: f.options,
        })
        .collect();
    let stamp = now();
    run_with(app, &state, &job, move |db, host| {
        run_datasets(files, &stamp, db, host)
    })
    .await
}

fn one(granted: &Granted, path: String) -> Result<PathBuf> {
    granted
        .check(vec![path])?
        .pop()
        .ok_or_else(|| CommandError::internal("no path"))
}
