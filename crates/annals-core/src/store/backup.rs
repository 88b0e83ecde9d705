//! Copies of the database, all made through SQLite's online backup API (which
//! copies a consistent snapshot, WAL included, while other connections go on):
//! the copy before a migration, the daily rotation, `annals backup`, and restoring
//! a copy over the database.
//!
//! Every copy is written to `<dest>.partial` and renamed into place when complete,
//! so a crash or a full disk never leaves half a backup under a backup's name.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use rusqlite::backup::Backup;
use rusqlite::{Connection, OpenFlags};

use super::{check_annals, is_write_protected, open_read_only, quick_check, Db, APPLICATION_ID};
use crate::error::{Error, Result};

/// How many daily backups [`Db::daily_backup`] keeps.
pub const DAILY_BACKUPS_KEPT: usize = 7;

/// What [`restore_from`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// The schema of the restored copy; opening it migrates it if it is older.
    pub schema_version: i64,
    /// The copy of the database that was replaced, or `None` when there was none.
    pub kept: Option<PathBuf>,
}

impl Db {
    /// Copies the whole database to `dest`, which must not exist yet.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        if dest.exists() {
            return Err(Error::invalid(
                "path",
                format!("{} already exists; choose a new file name", dest.display()),
            ));
        }
        self.write_copy(dest)
    }

    /// Today's backup into `dir` (created when missing), `<stem>-YYYY-MM-DD.<ext>`
    /// after the database's file name, unless there is one for `today` already;
    /// then deletes all but the newest [`DAILY_BACKUPS_KEPT`] of them. Returns the
    /// file written, or `None` when today's was there. Other files in `dir` are
    /// never touched. A database that opening did not read whole (a large one,
    /// see [`super::CHECK_AT_EVERY_OPEN_BYTES`]) is checked first, so a damaged
    /// file is [`Error::Damaged`] here rather than a copy pushing out good ones.
    pub fn daily_backup(&self, dir: &Path, today: NaiveDate) -> Result<Option<PathBuf>> {
        let (stem, ext) = name_parts(self.path.as_deref());
        let dest = dir.join(format!("{stem}-{}{ext}", today.format("%Y-%m-%d")));
        if dest.exists() {
            return Ok(None);
        }
        // A damaged database must not push the good copies out of the rotation.
        if !self.pages_checked {
            self.check()?;
        }
        self.write_copy(&dest)?;
        prune_daily(dir, &stem, &ext, DAILY_BACKUPS_KEPT)?;
        Ok(Some(dest))
    }

    /// Writes a copy to `dest`, replacing a file there only once the copy is whole.
    pub(crate) fn write_copy(&self, dest: &Path) -> Result<()> {
        copy_database(&self.conn, dest)
    }
}

/// Restores the database at `target` from the copy at `backup`.
///
/// The backup is checked first, read-only: `PRAGMA integrity_check`, an Annals
/// `application_id`, a schema no newer than this build's. A backup that fails is
/// refused before `target` is opened, so the target stays as it was, byte for
/// byte. A target that is there must be an Annals database this build can open,
/// and writable (by its permission bits, as for [`Db::open`]); a copy of it is
/// kept as `<stem>.replaced-N.<ext>` beside it. The backup is then copied into
/// the target through the backup API in one step, so another connection to the
/// target (the desktop app) sees the old database or the restored one, never a mix.
///
/// A target whose pages are damaged (SQLite cannot read it, or its `quick_check`
/// fails) cannot be copied or written page by page: its files are moved aside as
/// `<stem>.damaged-N.<ext>` (returned as `kept`) and the backup is written in its
/// place. Only do that with no other connection open on it.
pub fn restore_from(backup: &Path, target: &Path) -> Result<Restored> {
    let label = backup.display().to_string();
    if !backup.is_file() {
        return Err(Error::invalid(
            "backup",
            format!("there is no file at {label}"),
        ));
    }
    if target.exists() && same_file(backup, target) {
        return Err(Error::invalid(
            "backup",
            "the backup is the database itself; choose another file",
        ));
    }
    let unusable = |e: rusqlite::Error| super::unusable(&label, &e);
    let source = open_read_only(backup, false).map_err(unusable)?;
    let schema_version = check_backup(&source, &label).map_err(|e| match e {
        Error::Sqlite(e) => unusable(e),
        other => other,
    })?;

    let folder = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if target.is_file() && (is_write_protected(target) || is_write_protected(folder)) {
        return Err(Error::ReadOnly);
    }
    std::fs::create_dir_all(folder).map_err(io(format!("cannot create {}", folder.display())))?;
    let (mut dest, target_version) = match open_target(target) {
        Ok(opened) => opened,
        Err(Error::Damaged { .. }) => {
            let kept = replace_damaged(&source, target)?;
            return Ok(Restored {
                schema_version,
                kept: Some(kept),
            });
        }
        Err(e) => return Err(e),
    };
    // The backup API cannot change the page size of a database in WAL mode.
    let page_size = |c: &Connection| c.query_row("PRAGMA page_size", [], |r| r.get::<_, i64>(0));
    let journal: String = dest.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
    let (from, to) = (page_size(&source)?, page_size(&dest)?);
    if target_version > 0 && from != to && journal.eq_ignore_ascii_case("wal") {
        return Err(Error::Unusable {
            path: label,
            reason: format!(
                "its pages are {from} bytes and the database's {to}; SQLite cannot restore across page sizes in WAL mode"
            ),
        });
    }
    let kept = if target_version > 0 {
        let kept = free_name(target, "replaced");
        copy_database(&dest, &kept)?;
        Some(kept)
    } else {
        None
    };
    copy_pages(&source, &mut dest)?;
    Ok(Restored {
        schema_version,
        kept,
    })
}

/// Opens the database a backup is restored into and reads what it is: an Annals
/// database this build knows (its schema version; 0 when new), or
/// [`Error::Damaged`] when SQLite cannot read it or `quick_check` fails.
fn open_target(target: &Path) -> Result<(Connection, i64)> {
    let label = target.display().to_string();
    let target_unusable = |e: rusqlite::Error| super::unusable(&label, &e);
    let dest = Connection::open_with_flags(
        target,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(target_unusable)?;
    dest.busy_timeout(super::BUSY_TIMEOUT)?;
    let version = check_annals(&dest, &label)
        .and_then(|version| {
            if version > 0 {
                quick_check(&dest, &label)?;
            }
            Ok(version)
        })
        .map_err(|e| match e {
            Error::Sqlite(e) => target_unusable(e),
            other => other,
        })
        .map_err(|e| e.at_database(target))?;
    Ok((dest, version))
}

/// A damaged database cannot be read page by page, so it is not copied: its
/// files (with its -wal and -shm) are renamed to `<stem>.damaged-N.<ext>` beside
/// it, and the checked backup is written in its place through `<target>.partial`.
/// Returns the name the damaged file now has.
fn replace_damaged(source: &Connection, target: &Path) -> Result<PathBuf> {
    let kept = free_name(target, "damaged");
    for suffix in ["", "-wal", "-shm"] {
        let with = |p: &Path| {
            let mut s = p.as_os_str().to_owned();
            s.push(suffix);
            PathBuf::from(s)
        };
        let from = with(target);
        if from.exists() {
            let to = with(&kept);
            std::fs::rename(&from, &to).map_err(io(format!(
                "cannot move the damaged {} aside to {}",
                from.display(),
                to.display()
            )))?;
        }
    }
    copy_database(source, target)?;
    Ok(kept)
}

/// The folder of the daily backups of the database at `db_path`: `backups/`
/// beside it. The app and the CLI both write there.
pub fn backup_dir(db_path: &Path) -> PathBuf {
    db_path.parent().unwrap_or(Path::new("")).join("backups")
}

/// The newest daily backup of the database at `db_path` (in [`backup_dir`]) that
/// passes the checks [`restore_from`] makes, or `None`. What the app and the CLI
/// offer when the database is damaged.
pub fn latest_backup(db_path: &Path) -> Option<PathBuf> {
    let (stem, ext) = name_parts(Some(db_path));
    let dated = daily_files(&backup_dir(db_path), &stem, &ext).ok()?;
    dated.into_iter().map(|(_, path)| path).find(|path| {
        let label = path.display().to_string();
        open_read_only(path, false)
            .map_err(Error::from)
            .and_then(|conn| check_backup(&conn, &label))
            .is_ok()
    })
}

/// The whole check of a file offered as a backup; its schema version.
fn check_backup(conn: &Connection, label: &str) -> Result<i64> {
    let version = check_annals(conn, label)?;
    let app_id: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    if app_id != APPLICATION_ID || version == 0 {
        return Err(Error::Unusable {
            path: label.to_string(),
            reason: "it is not an Annals database".into(),
        });
    }
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let problems: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if problems.first().map(String::as_str) != Some("ok") {
        return Err(Error::Unusable {
            path: label.to_string(),
            reason: format!("integrity check failed: {}", problems.join("; ")),
        });
    }
    Ok(version)
}

/// The copy made before migrating the database at `path` from schema `version`.
pub(super) fn before_migration_path(path: &Path, version: i64) -> PathBuf {
    let (stem, ext) = name_parts(Some(path));
    path.with_file_name(format!("{stem}.schema-{version}{ext}"))
}

/// A file name beside `path` that is not taken: `<stem>.<tag>-N.<ext>`.
fn free_name(path: &Path, tag: &str) -> PathBuf {
    let (stem, ext) = name_parts(Some(path));
    (1..)
        .map(|n| path.with_file_name(format!("{stem}.{tag}-{n}{ext}")))
        .find(|p| !p.exists())
        .unwrap_or_else(|| path.with_file_name(format!("{stem}.{tag}{ext}")))
}

/// A database file's stem and extension (with its dot): `annals`, `.sqlite3`.
fn name_parts(path: Option<&Path>) -> (String, String) {
    let Some(path) = path else {
        return ("annals".into(), ".sqlite3".into());
    };
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "annals".into());
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    (stem, ext)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn io(context: String) -> impl FnOnce(std::io::Error) -> Error {
    move |source| Error::Io { context, source }
}

/// Copies the main database of `source` to `dest` through `<dest>.partial`. The
/// copy is left in rollback-journal mode, one self-contained file.
fn copy_database(source: &Connection, dest: &Path) -> Result<()> {
    let mut partial = dest.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    if let Some(folder) = dest.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder)
            .map_err(io(format!("cannot create {}", folder.display())))?;
    }
    match std::fs::remove_file(&partial) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(io(format!("cannot remove {}", partial.display()))(e))
        }
        _ => {}
    }
    let cannot_write = |e: rusqlite::Error| Error::Unusable {
        path: dest.display().to_string(),
        reason: if crate::error::is_disk_full(&e) {
            "cannot write the copy: the disk is full".to_string()
        } else {
            format!("cannot write the copy: {e}")
        },
    };
    let written = (|| {
        let mut out = Connection::open_with_flags(
            &partial,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(cannot_write)?;
        copy_pages(source, &mut out).map_err(cannot_write)?;
        let _mode: String = out
            .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
            .map_err(cannot_write)?;
        Ok(())
    })();
    if let Err(e) = written {
        // Half a copy is no backup, and on a full disk it holds the space the
        // user needs: it goes.
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    std::fs::rename(&partial, dest).map_err(io(format!(
        "cannot rename {} to {}",
        partial.display(),
        dest.display()
    )))
}

/// Copies every page of `from` into `to` in one step of the backup API, so `to`
/// changes in one transaction. While another connection holds a lock, retries
/// for about five seconds, then fails as busy.
fn copy_pages(from: &Connection, to: &mut Connection) -> rusqlite::Result<()> {
    use rusqlite::backup::StepResult;
    let backup = Backup::new(from, to)?;
    for _ in 0..50 {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            _ => {
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }
    Err(rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
        None,
    ))
}

/// Deletes all but the newest `keep` files named `<stem>-YYYY-MM-DD<ext>` in `dir`.
fn prune_daily(dir: &Path, stem: &str, ext: &str, keep: usize) -> Result<()> {
    let dated = daily_files(dir, stem, ext)?;
    for (_, old) in dated.into_iter().skip(keep) {
        std::fs::remove_file(&old).map_err(io(format!("cannot remove {}", old.display())))?;
    }
    Ok(())
}

/// The files named `<stem>-YYYY-MM-DD<ext>` in `dir` with their dates, newest first.
fn daily_files(dir: &Path, stem: &str, ext: &str) -> Result<Vec<(NaiveDate, PathBuf)>> {
    let entries = std::fs::read_dir(dir).map_err(io(format!("cannot read {}", dir.display())))?;
    let mut dated: Vec<(NaiveDate, PathBuf)> = entries
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let name = entry.file_name().into_string().ok()?;
            let day = name
                .strip_prefix(stem)?
                .strip_prefix('-')?
                .strip_suffix(ext)?;
            let date = NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?;
            // Only the exact form this module writes ("2026-01-05", not "2026-1-5").
            (date.format("%Y-%m-%d").to_string() == day).then(|| (date, entry.path()))
        })
        .collect();
    dated.sort_by_key(|d| std::cmp::Reverse(d.0));
    Ok(dated)
}

#[cfg(test)]
mod tests {
    use super::super::{Db, APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION};
    use rusqlite::Connection;

    #[test]
    fn an_older_database_is_copied_beside_itself_before_it_is_migrated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("annals.sqlite3");
        let old = MIGRATIONS[MIGRATIONS.len() - 2].0;
        let raw = Connection::open(&path).unwrap();
        for (_, sql) in MIGRATIONS.iter().filter(|(n, _)| *n <= old) {
            raw.execute_batch(sql).unwrap();
        }
        raw.pragma_update(None, "user_version", old).unwrap();
        raw.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        raw.execute(
            "INSERT INTO setting (key, value) VALUES ('marker', 'old')",
            [],
        )
        .unwrap();
        drop(raw);

        let db = Db::open(&path).unwrap();
        assert_eq!(db.schema_version().unwrap(), SCHEMA_VERSION);
        drop(db);
        let copy = dir.path().join(format!("annals.schema-{old}.sqlite3"));
        let saved = Connection::open(&copy).unwrap();
        let version: i64 = saved
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, old);
        let marker: String = saved
            .query_row("SELECT value FROM setting WHERE key = 'marker'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(marker, "old");
        drop(saved);

        // A current database is not copied again.
        drop(Db::open(&path).unwrap());
        let mut files: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        assert_eq!(
            files,
            [
                format!("annals.schema-{old}.sqlite3"),
                "annals.sqlite3".into()
            ]
        );
    }

    #[test]
    fn a_new_database_is_not_copied_before_its_first_migration() {
        let dir = tempfile::tempdir().unwrap();
        drop(Db::open(&dir.path().join("annals.sqlite3")).unwrap());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
