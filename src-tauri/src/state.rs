//! The database the window works on, opened once at start-up.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

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

    /// Runs `f` on the database on a blocking worker thread, so the window's
    /// main thread never waits on SQLite.
    pub async fn with_db<T, F>(&self, f: F) -> Result<T, CommandError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Db) -> annals_core::Result<T> + Send + 'static,
    {
        let db = self.db.clone()?;
        tauri::async_runtime::spawn_blocking(move || {
            let mut guard = db
                .lock()
                .map_err(|_| CommandError::internal("the database lock was poisoned"))?;
            f(&mut guard).map_err(CommandError::from)
        })
        .await
        .map_err(|e| CommandError::internal(format!("database task failed: {e}")))?
    }
}
