//! SQLite storage: one function opens a connection and sets its pragmas, numbered
//! migrations embedded in the binary bring any older database forward, and a
//! database from a newer schema, of another application or damaged is refused
//! with a clear message before anything is written.

mod article;
mod backup;
mod dataset;
mod dedupe;
mod event;
#[cfg(test)]
mod faults;
pub(crate) mod gazetteer;
mod import;
mod lock;
mod reanchor;
mod review;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};

pub use backup::{backup_dir, latest_backup, restore_from, Restored, DAILY_BACKUPS_KEPT};
pub use dataset::{DatasetSource, DatasetWriter, Written};
pub use event::Restorable;
pub use import::{prepare, ImportBatch, ImportReport, Prepared};
pub use lock::{describe_holders, lock_holders, Holder};
pub use reanchor::ReanchorReport;
pub use review::{
    ArticleEvent, ArticleSummary, ArticleView, Decision, ReviewArticles, ReviewFacets,
    ReviewFilter, ReviewItem, REVIEW_PAGE_MAX,
};

/// `PRAGMA application_id` of an Annals database: "ANNL".
pub const APPLICATION_ID: i64 = 0x414E_4E4C;

/// Schema migrations by number, in increasing order; `user_version` is the number
/// of the last one applied, and the runner applies every migration numbered
/// above it, in order (so a gap in the numbers would not stop it).
pub(crate) const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("migrations/0001_init.sql")),
    (2, include_str!("migrations/0002_event_key.sql")),
    (3, include_str!("migrations/0003_import.sql")),
    (4, include_str!("migrations/0004_trigger.sql")),
    (5, include_str!("migrations/0005_planned.sql")),
    (6, include_str!("migrations/0006_aggregates.sql")),
    (7, include_str!("migrations/0007_dataset.sql")),
    (8, include_str!("migrations/0008_fts_detail.sql")),
    (9, include_str!("migrations/0009_review_index.sql")),
    (10, include_str!("migrations/0010_timestamps.sql")),
    (11, include_str!("migrations/0011_dataset_names.sql")),
];

/// The schema this build writes: the number of its last migration.
pub const SCHEMA_VERSION: i64 = MIGRATIONS[MIGRATIONS.len() - 1].0;

/// A database up to this size is read whole by `quick_check` at every open (a
/// fraction of a second); a larger one only after an unclean shutdown, by
/// [`Db::check`], and before each daily backup.
pub const CHECK_AT_EVERY_OPEN_BYTES: u64 = 32 << 20;

/// How long a connection waits for another one's lock before it gives up with
/// [`Error::Locked`].
pub const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Why a database was opened read-only: what stops writing it, so the front
/// ends can say what the user would change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum WriteProtection {
    /// The file's permission bits forbid writing it.
    File,
    /// The folder that holds it is write-protected: SQLite must create its
    /// journal files beside the database to write it.
    Folder,
    /// Its permission bits allow writing, but the system refuses: another
    /// user's file or folder, or a read-only file system.
    System,
}

/// An open Annals database. Not `Sync`: the desktop shell keeps it behind a mutex
/// and uses it from blocking worker threads.
pub struct Db {
    conn: Connection,
    label: String,
    /// The file, which backups are named after; `None` in memory.
    path: Option<PathBuf>,
    /// Why it was opened read-only; `None` when it can be written.
    read_only: Option<WriteProtection>,
    /// Whether opening read every page (`quick_check`); when not, the daily
    /// backup does before it copies.
    pages_checked: bool,
    /// What the queries hold in memory between calls (`query/columns.rs`).
    pub(crate) memo: crate::query::Memo,
}

impl Db {
    /// Opens (creating if absent) the database at `path`, checks it and migrates it.
    ///
    /// Nothing is written until the file is known to be an Annals database of a
    /// schema this build knows: a foreign SQLite file, a file that is not SQLite and
    /// a database of a newer schema are refused as they were, byte for byte, with no
    /// -wal or -shm file made beside them. A write-protected file, or a file in a
    /// write-protected folder, opens read-only ([`Db::is_read_only`]); its writes
    /// fail with [`Error::ReadOnly`]. An older database is copied beside itself
    /// before it is migrated (see `store/backup.rs`). A database that another
    /// process keeps locked for [`BUSY_TIMEOUT`] is [`Error::Locked`], naming it;
    /// one whose pages are damaged is [`Error::Damaged`].
    pub fn open(path: &Path) -> Result<Db> {
        Db::open_checked(path).map_err(|e| e.at_database(path))
    }

    fn open_checked(path: &Path) -> Result<Db> {
        let label = path.display().to_string();
        let exists = path.is_file();
        let folder = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let folder_protected = exists && cfg!(unix) && is_write_protected(folder);
        let full_check = exists && needs_full_check(path, CHECK_AT_EVERY_OPEN_BYTES);
        let protection = if !exists {
            None
        } else if is_write_protected(path) {
            Some(WriteProtection::File)
        } else if folder_protected {
            Some(WriteProtection::Folder)
        } else {
            None
        };
        let conn = if protection.is_some() {
            open_read_only(path, folder_protected)
        } else {
            if !exists {
                std::fs::create_dir_all(folder).map_err(|source| Error::Io {
                    context: format!("cannot create {}", folder.display()),
                    source,
                })?;
            }
            let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            Connection::open_with_flags(path, flags)
        }
        .map_err(|e| unusable(&label, &e))?;
        // SQLite itself falls back to read-only when the system refuses to write
        // a file whose permission bits look writable (another user's file).
        let read_only = protection.or_else(|| {
            conn.is_readonly(rusqlite::DatabaseName::Main)
                .unwrap_or(false)
                .then_some(WriteProtection::System)
        });
        match Db::init(
            conn,
            label.clone(),
            Some(path.to_path_buf()),
            read_only,
            full_check,
        ) {
            // The system refuses to write the folder although its bits allow it
            // (another user's folder), so SQLite cannot make the -shm it needs to
            // read a WAL database: read it as `open_read_only` reads a folder
            // whose bits forbid writing.
            Err(Error::ReadOnly) if read_only.is_some() && !folder_protected => {
                let conn = open_read_only(path, true).map_err(|e| unusable(&label, &e))?;
                Db::init(conn, label, Some(path.to_path_buf()), read_only, full_check)
            }
            other => other,
        }
    }

    /// A private in-memory database, migrated: for tests and throwaway work.
    pub fn open_in_memory() -> Result<Db> {
        let conn = Connection::open_in_memory()?;
        Db::init(conn, ":memory:".into(), None, None, true)
    }

    /// Reads every page (`PRAGMA quick_check`): [`Error::Damaged`] when SQLite
    /// finds damage. Opening runs it only for small databases and after an
    /// unclean shutdown; `annals check` runs it on demand, and
    /// [`Db::daily_backup`] before it copies.
    pub fn check(&self) -> Result<()> {
        quick_check(&self.conn, &self.label)
    }

    /// Whether the database was opened read-only because its file or folder is
    /// write-protected: reads work, writes fail with [`Error::ReadOnly`].
    pub fn is_read_only(&self) -> bool {
        self.read_only.is_some()
    }

    /// Why the database was opened read-only, or `None` when it can be written.
    pub fn write_protection(&self) -> Option<WriteProtection> {
        self.read_only
    }

    /// The database's file; `None` in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Checks before it writes: connection settings (which change nothing on
    /// disk), then what the file is (header, `application_id`, schema version,
    /// the schema readable), its pages when `full_check` says so, and only then
    /// WAL and the migrations.
    fn init(
        conn: Connection,
        label: String,
        path: Option<PathBuf>,
        read_only: Option<WriteProtection>,
        full_check: bool,
    ) -> Result<Db> {
        let mut db = Db {
            conn,
            label,
            path,
            read_only,
            pages_checked: full_check,
            memo: Default::default(),
        };
        let checked = db
            .set_connection_pragmas()
            .and_then(|()| check_annals(&db.conn, &db.label))
            .and_then(|version| {
                if full_check {
                    quick_check(&db.conn, &db.label)?;
                }
                Ok(version)
            })
            .and_then(|version| {
                db.use_wal()?;
                Ok(version)
            });
        let version = checked.map_err(|e| match e {
            // A lock is not a property of the file: `Db::open` names its holder.
            Error::Sqlite(e) if !crate::error::is_busy(&e) => unusable(&db.label, &e),
            other => other,
        })?;
        db.migrate(version)?;
        Ok(db)
    }

    /// Pragmas that live in the connection only and write nothing to the file.
    fn set_connection_pragmas(&self) -> Result<()> {
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        self.conn.pragma_update(None, "foreign_keys", true)?;
        // No memory map: an I/O error on a mapped page (a disk unplugged, a network
        // share gone, a file truncated by another program) arrives as SIGBUS and
        // kills the process, where read() gives SQLite an error it can report. The
        // page cache below gives window queries most of what the map gave them.
        self.conn.pragma_update(None, "mmap_size", 0)?;
        self.conn.pragma_update(None, "cache_size", -65_536)?;
        Ok(())
    }

    /// WAL lets readers go on while one writer writes; NORMAL sync is durable
    /// across application crashes in WAL mode. Switching to WAL writes the file's
    /// header, so it comes after the checks, and never on a read-only file.
    fn use_wal(&self) -> Result<()> {
        if self.path.is_none() || self.read_only.is_some() {
            return Ok(());
        }
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
        Ok(())
    }

    /// Brings a database of schema `version` forward, copying an existing one to
    /// `<stem>.schema-<version>.<ext>` beside it first.
    fn migrate(&mut self, version: i64) -> Result<()> {
        if version >= SCHEMA_VERSION {
            return Ok(());
        }
        if self.read_only.is_some() {
            // A new database cannot be created, an old one cannot be upgraded.
            return Err(Error::ReadOnly);
        }
        if version > 0 {
            if let Some(path) = &self.path {
                self.write_copy(&backup::before_migration_path(path, version))?;
            }
        }
        let pending = MIGRATIONS.iter().filter(|(number, _)| *number > version);
        for (number, sql) in pending {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", number)?;
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

    /// For the query module and tests in this crate.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }
}

/// Reads what the file is, writing nothing: its schema version when it is an
/// Annals database (or a new, empty one) this build can open.
fn check_annals(conn: &Connection, label: &str) -> Result<i64> {
    // Reading the header is the first thing that fails on a file that is not SQLite.
    let app_id: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
    if app_id != APPLICATION_ID && (app_id != 0 || tables > 0) {
        return Err(Error::Unusable {
            path: label.to_string(),
            reason: "it is an SQLite database of another application".into(),
        });
    }
    if version > SCHEMA_VERSION {
        return Err(Error::NewerSchema {
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(version)
}

/// Whether opening must read every page: a small file (cheap), or one whose
/// last session did not end cleanly. The last connection to close a WAL
/// database checkpoints it and deletes the -wal file; one left with frames in it
/// means a crash or a power cut (or another process has the database open, when
/// the check costs time but is still right).
fn needs_full_check(path: &Path, every_open_below: u64) -> bool {
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    let unclean = std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0);
    size <= every_open_below || unclean
}

fn quick_check(conn: &Connection, label: &str) -> Result<()> {
    let ok: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if ok != "ok" {
        let first = ok.lines().next().unwrap_or_default();
        return Err(Error::Damaged {
            path: label.to_string(),
            reason: format!(
                "the file is damaged (SQLite's check found: {first}); it was left as it is"
            ),
        });
    }
    Ok(())
}

/// Whether no one may write `path`, by its permission bits. Root ignores the bits,
/// but a file its owner marked read-only is still opened read-only.
fn is_write_protected(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.permissions().readonly())
}

/// A read-only connection. In a write-protected folder SQLite cannot create the
/// -shm file it needs to read a WAL database; when there is no -wal file either,
/// nothing uncommitted can exist beside the file, so it is read as immutable.
fn open_read_only(path: &Path, folder_protected: bool) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    if folder_protected && !Path::new(&wal).exists() {
        if let Some(uri) = file_uri(path, "mode=ro&immutable=1") {
            return Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI);
        }
    }
    Connection::open_with_flags(path, flags)
}

/// `file:` URI of a UTF-8 path, every byte but the unreserved ones escaped.
fn file_uri(path: &Path, query: &str) -> Option<String> {
    let text = path.to_str()?;
    let mut uri = String::from("file:");
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.push('?');
    uri.push_str(query);
    Some(uri)
}

fn unusable(label: &str, e: &rusqlite::Error) -> Error {
    if crate::error::is_disk_full(e) {
        return Error::DiskFull;
    }
    let damaged = |reason: &str| Error::Damaged {
        path: label.to_string(),
        reason: reason.to_string(),
    };
    let reason = match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => {
            return damaged("the file is not an SQLite database, or it is damaged")
        }
        Some(rusqlite::ErrorCode::DatabaseCorrupt) => {
            return damaged("the file is damaged; it was left as it is")
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_database_is_not_memory_mapped() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("annals.sqlite3")).unwrap();
        let size: i64 = db
            .conn
            .query_row("PRAGMA mmap_size", [], |r| r.get(0))
            .unwrap();
        assert_eq!(size, 0);
    }

    #[test]
    fn migrations_are_numbered_in_increasing_order_and_named_after_their_number() {
        assert!(MIGRATIONS.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(SCHEMA_VERSION, 11);
    }

    #[test]
    fn a_database_of_schema_5_is_brought_over_the_gap_to_the_latest() {
        let conn = Connection::open_in_memory().unwrap();
        for (_, sql) in MIGRATIONS.iter().filter(|(n, _)| *n <= 5) {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 5).unwrap();
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        let db = Db::init(conn, "old".into(), None, None, true).unwrap();
        assert_eq!(db.schema_version().unwrap(), SCHEMA_VERSION);
        let lat: Option<f64> = db
            .conn
            .query_row("SELECT lat FROM event LIMIT 1", [], |r| r.get(0))
            .optional()
            .unwrap()
            .flatten();
        assert_eq!(lat, None);
        let rows: i64 = db
            .conn
            .query_row("SELECT count(*) FROM dataset_row", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 0);
    }

    #[test]
    fn file_uri_escapes_what_sqlite_would_read_as_uri_syntax() {
        assert_eq!(
            file_uri(Path::new("/data/read only/%3F?#x.sqlite3"), "mode=ro").as_deref(),
            Some("file:/data/read%20only/%253F%3F%23x.sqlite3?mode=ro")
        );
    }
}
