//! The database the window works on, opened once at start-up.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use annals_core::Db;

use crate::error::CommandError;

pub struct AppState {
    pub db_path: PathBuf,
    /// The open database, or why it could not be opened: the window still shows
    /// and tells the user instead of the app panicking.
    db: Result<Arc<Mutex<Db>>, CommandError>,
}

/// Today's date where the user is, for the daily backup.
#[allow(clippy::disallowed_methods)] // the shell reads the clock; the core does not
fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// Today's backup of the database into `backups/` beside it (one a day, the newest
/// seven kept), on a thread and a connection of its own so the window does not
/// wait for the copy. An empty or read-only database has nothing to lose.
fn back_up_today(db_path: PathBuf) {
    let spawned = std::thread::Builder::new()
        .name("daily-backup".into())
        .spawn(move || {
            let dir = db_path
                .parent()
                .map(|p| p.join("backups"))
                .unwrap_or_else(|| PathBuf::from("backups"));
            let written = Db::open(&db_path).and_then(|db| {
                if db.is_read_only() || db.is_empty()? {
                    return Ok(None);
                }
                db.daily_backup(&dir, today())
            });
            if let Err(e) = written {
                eprintln!("annals: today's backup was not written: {e}");
            }
        });
    if let Err(e) = spawned {
        eprintln!("annals: today's backup was not started: {e}");
    }
}

/// RFC 3339 time stamp of now, to the second: the shell is where clocks are read.
#[allow(clippy::disallowed_methods)] // the one clock read of the shell
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl AppState {
    /// Opens the database; a new one gets the sample article and its events
    /// unless `ANNALS_NO_SEED` is set (an empty timeline to import into).
    pub fn open(db_path: PathBuf) -> AppState {
        let db = Db::open(&db_path)
            .and_then(|mut db| {
                if std::env::var_os("ANNALS_NO_SEED").is_some_and(|v| !v.is_empty()) {
                    annals_core::seed::ensure_countries(&mut db)?;
                } else {
                    annals_core::seed::seed_if_new(&mut db, &now())?;
                }
                Ok(db)
            })
            .map(|db| Arc::new(Mutex::new(db)))
            .map_err(CommandError::from);
        match &db {
            Ok(_) => back_up_today(db_path.clone()),
            Err(e) => eprintln!("annals: {}", e.message),
        }
        AppState { db_path, db }
    }

    /// The open database, shared: for work that takes the lock itself (an
    /// import takes it once per run of articles).
    pub fn shared(&self) -> Result<Arc<Mutex<Db>>, CommandError> {
        self.db.clone()
    }

    /// Runs `f` on the database on a blocking worker thread, so the window's
    /// main thread never waits on SQLite. A panic in `f` is that command's
    /// `internal` error; the lock it poisoned is taken anyway by the next
    /// command, since a panic inside a transaction rolled it back (the
    /// transaction is dropped as the panic unwinds), so the database is whole.
    pub async fn with_db<T, F>(&self, f: F) -> Result<T, CommandError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Db) -> annals_core::Result<T> + Send + 'static,
    {
        let db = self.db.clone()?;
        tauri::async_runtime::spawn_blocking(move || {
            let mut guard = db.lock().unwrap_or_else(PoisonError::into_inner);
            f(&mut guard).map_err(CommandError::from)
        })
        .await
        .map_err(|e| CommandError::internal(format!("database task failed: {e}")))?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_that_panics_fails_alone_and_the_database_goes_on_answering() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let state = AppState::open(dir.path().join("a.sqlite3"));
        let events = || {
            tauri::async_runtime::block_on(state.with_db(|db| db.event_count()))
                .unwrap_or_else(|e| panic!("{}", e.message))
        };
        let before = events();
        let panicked = tauri::async_runtime::block_on(state.with_db(|db| {
            let mut batch = db.import_batch()?;
            batch.import_file(
                "a.txt",
                b"Seoul\n\nOn May 8, 2002, police arrested five.",
                None,
                "2026-01-01T00:00:00Z",
                &mut |_| true,
            )?;
            if std::hint::black_box(true) {
                panic!("a bug in a command");
            }
            Ok(())
        }));
        assert_eq!(
            panicked.map_err(|e| e.kind).err().as_deref(),
            Some("internal")
        );
        // The lock is poisoned, the transaction rolled back: the next command works
        // and sees nothing of the one that panicked.
        assert_eq!(events(), before);
        let written = tauri::async_runtime::block_on(state.with_db(|db| {
            db.import_file(
                "b.txt",
                b"Beijing\n\nOn May 9, 2002, three entered.",
                None,
                "2026-01-01T00:00:00Z",
                &mut |_| true,
            )
        }));
        assert!(written.is_ok(), "{:?}", written.err().map(|e| e.message));
    }
}
