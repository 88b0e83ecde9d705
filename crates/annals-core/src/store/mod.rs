//! SQLite storage: one function opens a connection and sets its pragmas, numbered
//! migrations embedded in the binary bring any older database forward, and a
//! database from a newer schema, of another application or damaged is refused
//! with a clear message before anything is written.

mod article;
mod dedupe;
mod event;
pub(crate) mod gazetteer;
mod import;
mod review;

use std::path::Path;

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::error::{Error, Result};

pub use event::Restorable;
pub use import::{ImportReport, ReanchorReport};
pub use review::{ArticleEvent, ArticleSummary, ArticleView, ReviewArticles, ReviewItem};

/// `PRAGMA application_id` of an Annals database: "ANNL".
pub const APPLICATION_ID: i64 = 0x414E_4E4C;

/// Schema migrations, in order; `user_version` is the number of those applied.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_init.sql"),
    include_str!("migrations/0002_event_key.sql"),
    include_str!("migrations/0003_import.sql"),
    include_str!("migrations/0004_trigger.sql"),
];

pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// An open Annals database. Not `Sync`: the desktop shell keeps it behind a mutex
/// and uses it from blocking worker threads.
pub struct Db {
    conn: Connection,
    label: String,
}

impl Db {
    /// Opens (creating if absent) the database at `path`, checks it and migrates it.
    pub fn open(path: &Path) -> Result<Db> {
        let label = path.display().to_string();
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| Error::Io {
                context: format!("cannot create {}", parent.display()),
                source,
            })?;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| unusable(&label, &e))?;
        Db::init(conn, label, true)
    }

    /// A private in-memory database, migrated: for tests and throwaway work.
    pub fn open_in_memory() -> Result<Db> {
        let conn = Connection::open_in_memory()?;
        Db::init(conn, ":memory:".into(), false)
    }

    fn init(conn: Connection, label: String, on_disk: bool) -> Result<Db> {
        let mut db = Db { conn, label };
        db.configure(on_disk).map_err(|e| match e {
            Error::Sqlite(e) => unusable(&db.label, &e),
            other => other,
        })?;
        db.migrate()?;
        Ok(db)
    }

    /// Pragmas every connection needs. WAL lets readers go on while one writer
    /// writes; NORMAL sync is durable across application crashes in WAL mode.
    fn configure(&self, on_disk: bool) -> Result<()> {
        self.conn.busy_timeout(std::time::Duration::from_secs(5))?;
        self.conn.pragma_update(None, "foreign_keys", true)?;
        // Window queries make many index and rowid lookups across a large file:
        // memory-map it and give the page cache room (both are upper bounds).
        self.conn.pragma_update(None, "mmap_size", 1i64 << 30)?;
        self.conn.pragma_update(None, "cache_size", -65_536)?;
        if on_disk {
            let mode: String = self
                .conn
                .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(Error::Unusable {
                    path: self.label.clone(),
                    reason: format!("cannot use WAL journal (got {mode})"),
                });
            }
            self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        }
        // Reading the schema is the first thing that fails on a file that is not SQLite.
        let ok: String = self
            .conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        if ok != "ok" {
            return Err(Error::Unusable {
                path: self.label.clone(),
                reason: format!("integrity check failed: {ok}"),
            });
        }
        Ok(())
    }

    fn migrate(&mut self) -> Result<()> {
        let app_id: i64 = self
            .conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))?;
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let tables: i64 = self
            .conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
        if app_id != APPLICATION_ID && (app_id != 0 || tables > 0) {
            return Err(Error::Unusable {
                path: self.label.clone(),
                reason: "it is an SQLite database of another application".into(),
            });
        }
        if version > SCHEMA_VERSION {
            return Err(Error::NewerSchema {
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        let pending = MIGRATIONS
            .iter()
            .enumerate()
            .skip(usize::try_from(version).unwrap_or(0));
        for (i, sql) in pending {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", i as i64 + 1)?;
            tx.pragma_update(None, "application_id", APPLICATION_ID)?;
            tx.commit()?;
        }
        Ok(())
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Whether the database has no events and no articles yet.
    pub fn is_empty(&self) -> Result<bool> {
        let n: i64 = self.conn.query_row(
            "SELECT (SELECT count(*) FROM event) + (SELECT count(*) FROM article)",
            [],
            |r| r.get(0),
        )?;
        Ok(n == 0)
    }

    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO setting (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }

    /// Copies the whole database to `dest` with SQLite's online backup API.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        self.conn
            .backup(rusqlite::DatabaseName::Main, dest, None)
            .map_err(|e| Error::Unusable {
                path: dest.display().to_string(),
                reason: e.to_string(),
            })
    }

    /// For the query module and tests in this crate.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }
}

fn unusable(label: &str, e: &rusqlite::Error) -> Error {
    let reason = match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => {
            "the file is not an SQLite database, or it is damaged".to_string()
        }
        Some(rusqlite::ErrorCode::DatabaseCorrupt) => "the database file is damaged".to_string(),
        Some(
            rusqlite::ErrorCode::ReadOnly
            | rusqlite::ErrorCode::CannotOpen
            | rusqlite::ErrorCode::PermissionDenied,
        ) => "the file cannot be opened for writing (check its permissions and folder)".to_string(),
        _ => e.to_string(),
    };
    Error::Unusable {
        path: label.to_string(),
        reason,
    }
}
