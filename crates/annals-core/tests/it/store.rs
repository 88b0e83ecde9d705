use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use annals_core::store::{
    backup_dir, latest_backup, restore_from, WriteProtection, APPLICATION_ID, BUSY_TIMEOUT,
    DAILY_BACKUPS_KEPT, SCHEMA_VERSION,
};
use annals_core::{Db, Error};

fn temp_path() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("annals.sqlite3");
    (dir, path)
}

#[test]
fn a_new_file_is_migrated_to_the_current_schema_and_marked_as_ours() {
    let (_dir, path) = temp_path();
    let db = Db::open(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(db.schema_version().unwrap_or_default(), SCHEMA_VERSION);
    drop(db);
    let raw = rusqlite::Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
    let app_id: i64 = raw
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap_or_default();
    assert_eq!(app_id, APPLICATION_ID);
    let mode: String = raw
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap_or_default();
    assert_eq!(mode, "wal");
}

#[test]
fn reopening_keeps_data_and_does_not_migrate_twice() {
    let (_dir, path) = temp_path();
    {
        let mut db = Db::open(&path).unwrap_or_else(|e| panic!("{e}"));
        annals_core::seed::seed(&mut db, crate::NOW).unwrap_or_else(|e| panic!("{e}"));
    }
    let db = Db::open(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(db.event_count().unwrap_or_default(), 21);
}

#[test]
fn a_database_from_a_newer_schema_is_refused_untouched() {
    let (_dir, path) = temp_path();
    drop(Db::open(&path).unwrap_or_else(|e| panic!("{e}")));
    let raw = rusqlite::Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
    raw.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap_or_else(|e| panic!("{e}"));
    drop(raw);
    let err = Db::open(&path)
        .err()
        .unwrap_or_else(|| panic!("opened a newer database"));
    assert!(
        matches!(err, Error::NewerSchema { found, .. } if found == SCHEMA_VERSION + 1),
        "{err}"
    );
    assert_eq!(err.kind(), "database_unusable");
    assert!(err.to_string().contains("newer version of Annals"));
}

/// Every file in `dir` (not recursive) and its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_file())
        .map(|e| {
            let bytes = std::fs::read(e.path()).unwrap_or_else(|e| panic!("{e}"));
            (e.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect()
}

fn names(snap: &BTreeMap<String, Vec<u8>>) -> Vec<&str> {
    snap.keys().map(String::as_str).collect()
}

/// Opens `path`, which must be refused, and checks that its folder is as it was,
/// byte for byte, with no -wal or -shm left; returns the error.
fn refused_untouched(dir: &Path, path: &Path) -> Error {
    let before = snapshot(dir);
    let err = Db::open(path)
        .err()
        .unwrap_or_else(|| panic!("opened {}", path.display()));
    let after = snapshot(dir);
    assert_eq!(names(&after), names(&before), "-wal or -shm left behind");
    assert!(after == before, "the file was changed");
    err
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_byte_identical() {
    let (dir, path) = temp_path();
    std::fs::write(&path, b"This is a text file, not a database. ".repeat(200))
        .unwrap_or_else(|e| panic!("{e}"));
    let err = refused_untouched(dir.path(), &path);
    assert_eq!(err.kind(), "database_unusable");
    assert!(err.to_string().contains("not an SQLite database"), "{err}");
}

#[test]
fn another_applications_sqlite_database_is_refused_byte_identical_without_wal_or_shm() {
    let (dir, path) = temp_path();
    let raw = rusqlite::Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
    raw.execute_batch("CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES ('keep me');")
        .unwrap_or_else(|e| panic!("{e}"));
    drop(raw);
    let err = refused_untouched(dir.path(), &path);
    assert!(err.to_string().contains("another application"), "{err}");
}

#[test]
fn a_newer_schema_database_is_refused_byte_identical_without_wal_or_shm() {
    // As a newer Annals might leave it: in WAL mode as this one does, or not.
    for journal in ["WAL", "DELETE"] {
        let (dir, path) = temp_path();
        drop(Db::open(&path).unwrap_or_else(|e| panic!("{e}")));
        let raw = rusqlite::Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
        raw.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap_or_else(|e| panic!("{e}"));
        let _: String = raw
            .query_row(&format!("PRAGMA journal_mode = {journal}"), [], |r| {
                r.get(0)
            })
            .unwrap_or_else(|e| panic!("{e}"));
        drop(raw);
        assert_eq!(names(&snapshot(dir.path())), ["annals.sqlite3"]);
        let err = refused_untouched(dir.path(), &path);
        assert!(matches!(err, Error::NewerSchema { .. }), "{journal}: {err}");
    }
}

/// A seeded database file in `dir`, closed.
fn seeded_file(dir: &Path) -> PathBuf {
    let path = dir.join("annals.sqlite3");
    let mut db = Db::open(&path).unwrap_or_else(|e| panic!("{e}"));
    annals_core::seed::seed(&mut db, crate::NOW).unwrap_or_else(|e| panic!("{e}"));
    path
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .unwrap_or_else(|e| panic!("{e}"));
}

/// Opens `path` (expected read-only because of `why`), reads it, and checks that
/// a write fails as `read_only` and that the file keeps its bytes.
fn assert_opens_read_only(path: &Path, why: WriteProtection) {
    let before = std::fs::read(path).unwrap_or_else(|e| panic!("{e}"));
    let mut db = Db::open(path).unwrap_or_else(|e| panic!("{e}"));
    assert!(db.is_read_only());
    assert_eq!(db.write_protection(), Some(why));
    assert_eq!(db.event_count().unwrap_or_default(), 21);
    let err = db
        .create_event(
            annals_core::event::NewEvent::manual(crate::input("New", "2002-05-08", &["JP"])),
            crate::NOW,
        )
        .err()
        .unwrap_or_else(|| panic!("wrote to a read-only database"));
    assert_eq!(err.kind(), "read_only", "{err}");
    assert!(err.to_string().contains("read-only"), "{err}");
    assert!(err.to_string().contains("nothing was changed"), "{err}");
    drop(db);
    assert!(
        std::fs::read(path).unwrap_or_default() == before,
        "file changed"
    );
}

// Tests run as root, whom file permissions do not stop. `Db::open` goes by the
// permission bits and opens with SQLITE_OPEN_READ_ONLY, so SQLite itself refuses
// the write whoever runs the test.
#[test]
fn a_write_protected_file_opens_read_only_and_refuses_writes_as_read_only() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = seeded_file(dir.path());
    chmod(&path, 0o444);
    assert_opens_read_only(&path, WriteProtection::File);
}

#[test]
fn a_database_in_a_write_protected_folder_opens_read_only() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    // A name that must be escaped in the URI the read-only open uses.
    let folder = dir.path().join("read only %3F?#");
    std::fs::create_dir(&folder).unwrap_or_else(|e| panic!("{e}"));
    let path = seeded_file(&folder);
    chmod(&folder, 0o555);
    let before = snapshot(&folder);
    assert_opens_read_only(&path, WriteProtection::Folder);
    let after = snapshot(&folder);
    chmod(&folder, 0o755);
    assert_eq!(names(&after), names(&before));
}

#[test]
fn a_write_protected_empty_file_is_not_made_a_database() {
    let (dir, path) = temp_path();
    std::fs::write(&path, b"").unwrap_or_else(|e| panic!("{e}"));
    chmod(&path, 0o444);
    let err = Db::open(&path)
        .err()
        .unwrap_or_else(|| panic!("created a database in a read-only file"));
    assert_eq!(err.kind(), "read_only", "{err}");
    assert_eq!(std::fs::read(&path).unwrap_or_default().len(), 0);
    assert_eq!(names(&snapshot(dir.path())), ["annals.sqlite3"]);
}

#[test]
fn a_folder_that_cannot_hold_the_file_is_an_io_error() {
    let (dir, _) = temp_path();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "x").unwrap_or_else(|e| panic!("{e}"));
    let err = Db::open(&blocker.join("sub").join("annals.sqlite3"))
        .err()
        .unwrap_or_else(|| panic!("opened"));
    assert_eq!(err.kind(), "io");
}

#[test]
fn backup_refuses_to_overwrite_a_file() {
    let (dir, path) = temp_path();
    let db = Db::open(&path).unwrap_or_else(|e| panic!("{e}"));
    let other = dir.path().join("other.txt");
    std::fs::write(&other, "keep").unwrap_or_else(|e| panic!("{e}"));
    let err = db
        .backup_to(&other)
        .err()
        .unwrap_or_else(|| panic!("overwrote a file"));
    assert_eq!(err.kind(), "invalid", "{err}");
    assert_eq!(std::fs::read(&other).unwrap_or_default(), b"keep");
}

fn day(text: &str) -> chrono::NaiveDate {
    text.parse().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn daily_backup_writes_one_a_day_and_keeps_the_newest_seven() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = seeded_file(dir.path());
    let backups = dir.path().join("backups");
    std::fs::create_dir(&backups).unwrap_or_else(|e| panic!("{e}"));
    // Files that are not daily backups of this database are never deleted.
    for other in [
        "notes.txt",
        "annals-2001-01-01.txt",
        "other-2001-01-01.sqlite3",
    ] {
        std::fs::write(backups.join(other), "x").unwrap_or_else(|e| panic!("{e}"));
    }
    let db = Db::open(&path).unwrap_or_else(|e| panic!("{e}"));
    for d in 1..=10 {
        let today = day(&format!("2026-03-{d:02}"));
        let written = db
            .daily_backup(&backups, today)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            written,
            Some(backups.join(format!("annals-2026-03-{d:02}.sqlite3")))
        );
        // A second time the same day writes nothing.
        assert_eq!(db.daily_backup(&backups, today).ok(), Some(None));
    }
    let left = snapshot(&backups);
    assert_eq!(DAILY_BACKUPS_KEPT, 7);
    assert_eq!(
        names(&left),
        [
            "annals-2001-01-01.txt",
            "annals-2026-03-04.sqlite3",
            "annals-2026-03-05.sqlite3",
            "annals-2026-03-06.sqlite3",
            "annals-2026-03-07.sqlite3",
            "annals-2026-03-08.sqlite3",
            "annals-2026-03-09.sqlite3",
            "annals-2026-03-10.sqlite3",
            "notes.txt",
            "other-2001-01-01.sqlite3",
        ]
    );
    let newest =
        Db::open(&backups.join("annals-2026-03-10.sqlite3")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(newest.event_count().unwrap_or_default(), 21);
}

/// A seeded database in `dir`, open, its backup `copy.sqlite3` (21 events), and
/// one event added to the database after the backup (22).
fn changed_after_backup(dir: &Path) -> (Db, PathBuf, PathBuf) {
    let path = seeded_file(dir);
    let copy = dir.join("copy.sqlite3");
    let mut db = Db::open(&path).unwrap_or_else(|e| panic!("{e}"));
    db.backup_to(&copy).unwrap_or_else(|e| panic!("{e}"));
    crate::add(&mut db, "Added after the backup", "2002-05-08", &["JP"]);
    assert_eq!(db.event_count().unwrap_or_default(), 22);
    (db, path, copy)
}

/// Writes a backup of a seeded database to `backup`.
fn write_backup(backup: &Path) {
    let source = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    Db::open(&seeded_file(source.path()))
        .and_then(|db| db.backup_to(backup))
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn backup_then_restore_brings_back_the_events_and_keeps_the_replaced_database() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (db, path, copy) = changed_after_backup(dir.path());
    drop(db);
    let restored = restore_from(&copy, &path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(restored.schema_version, SCHEMA_VERSION);
    let kept = restored
        .kept
        .unwrap_or_else(|| panic!("the replaced database was not kept"));
    assert_eq!(kept, dir.path().join("annals.replaced-1.sqlite3"));
    let db = Db::open(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(db.event_count().unwrap_or_default(), 21);
    let old = Db::open(&kept).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(old.event_count().unwrap_or_default(), 22);
}

#[test]
fn restore_reaches_a_database_that_is_open_elsewhere() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (open, path, copy) = changed_after_backup(dir.path());
    restore_from(&copy, &path).unwrap_or_else(|e| panic!("{e}"));
    // The connection that stayed open (the desktop app's) sees the restored data.
    assert_eq!(open.event_count().unwrap_or_default(), 21);
}

#[test]
fn restore_into_a_missing_database_creates_it() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = seeded_file(dir.path());
    let target = dir.path().join("new").join("annals.sqlite3");
    let restored = restore_from(&path, &target).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(restored.kept, None);
    let db = Db::open(&target).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(db.event_count().unwrap_or_default(), 21);
}

/// Offers `backup` to `restore_from` over a seeded database and checks it is
/// refused with `kind`, the target folder left byte-identical.
fn assert_restore_refused(write_backup: impl FnOnce(&Path), kind: &str, says: &str) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let target_dir = dir.path().join("db");
    std::fs::create_dir(&target_dir).unwrap_or_else(|e| panic!("{e}"));
    let target = seeded_file(&target_dir);
    let backup = dir.path().join("backup.sqlite3");
    write_backup(&backup);
    let before = snapshot(&target_dir);
    let err = restore_from(&backup, &target)
        .err()
        .unwrap_or_else(|| panic!("restored a bad backup"));
    assert_eq!(err.kind(), kind, "{err}");
    assert!(err.to_string().contains(says), "{err}");
    assert!(snapshot(&target_dir) == before, "the target was changed");
}

#[test]
fn a_corrupt_backup_is_refused_and_the_target_is_byte_identical() {
    assert_restore_refused(
        |backup| {
            write_backup(backup);
            damage_pages(backup);
        },
        "database_unusable",
        "backup.sqlite3",
    );
}

#[test]
fn a_backup_failing_the_integrity_check_is_refused_and_the_target_is_byte_identical() {
    assert_restore_refused(
        |backup| {
            write_backup(backup);
            // An index that no longer matches its table: every page reads, so
            // `quick_check` passes, but `integrity_check` finds the missing rows.
            let raw = rusqlite::Connection::open(backup).unwrap_or_else(|e| panic!("{e}"));
            raw.execute_batch(
                "PRAGMA writable_schema = ON;
                 UPDATE sqlite_schema SET sql = replace(sql, '(lo, id)', '(hi, id)')
                 WHERE name = 'event_lo';",
            )
            .unwrap_or_else(|e| panic!("{e}"));
        },
        "database_unusable",
        "integrity check failed",
    );
}

#[test]
fn a_backup_with_another_page_size_is_refused_and_the_target_is_byte_identical() {
    assert_restore_refused(
        |backup| {
            write_backup(backup);
            let raw = rusqlite::Connection::open(backup).unwrap_or_else(|e| panic!("{e}"));
            raw.execute_batch("PRAGMA page_size = 8192; VACUUM;")
                .unwrap_or_else(|e| panic!("{e}"));
        },
        "database_unusable",
        "page sizes",
    );
}

#[test]
fn a_foreign_backup_is_refused_and_the_target_is_byte_identical() {
    assert_restore_refused(
        |backup| {
            let raw = rusqlite::Connection::open(backup).unwrap_or_else(|e| panic!("{e}"));
            raw.execute_batch("CREATE TABLE notes (x TEXT);")
                .unwrap_or_else(|e| panic!("{e}"));
        },
        "database_unusable",
        "another application",
    );
}

#[test]
fn a_backup_that_is_not_sqlite_is_refused_and_the_target_is_byte_identical() {
    assert_restore_refused(
        |backup| std::fs::write(backup, b"not a database ".repeat(500)).unwrap_or_default(),
        "database_unusable",
        "not an SQLite database",
    );
}

#[test]
fn a_backup_from_a_newer_schema_is_refused_and_the_target_is_byte_identical() {
    assert_restore_refused(
        |backup| {
            write_backup(backup);
            let raw = rusqlite::Connection::open(backup).unwrap_or_else(|e| panic!("{e}"));
            raw.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
                .unwrap_or_else(|e| panic!("{e}"));
        },
        "database_unusable",
        "newer version of Annals",
    );
}

#[test]
fn a_missing_backup_is_a_bad_argument() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let target = seeded_file(dir.path());
    let err = restore_from(&dir.path().join("nope.sqlite3"), &target)
        .err()
        .unwrap_or_else(|| panic!("restored nothing"));
    assert_eq!(err.kind(), "invalid", "{err}");
}

#[test]
fn restoring_over_another_applications_database_is_refused() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = seeded_file(dir.path());
    let foreign = dir.path().join("notes.sqlite3");
    let raw = rusqlite::Connection::open(&foreign).unwrap_or_else(|e| panic!("{e}"));
    raw.execute_batch("CREATE TABLE notes (x TEXT);")
        .unwrap_or_else(|e| panic!("{e}"));
    drop(raw);
    let before = std::fs::read(&foreign).unwrap_or_default();
    let err = restore_from(&path, &foreign)
        .err()
        .unwrap_or_else(|| panic!("overwrote a foreign database"));
    assert!(err.to_string().contains("another application"), "{err}");
    assert!(std::fs::read(&foreign).unwrap_or_default() == before);
}

#[test]
fn restoring_over_a_write_protected_database_is_refused_as_read_only() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = seeded_file(dir.path());
    let copy = dir.path().join("copy.sqlite3");
    Db::open(&path)
        .and_then(|db| db.backup_to(&copy))
        .unwrap_or_else(|e| panic!("{e}"));
    chmod(&path, 0o444);
    let before = snapshot(dir.path());
    let err = restore_from(&copy, &path)
        .err()
        .unwrap_or_else(|| panic!("restored over a read-only file"));
    assert_eq!(err.kind(), "read_only", "{err}");
    assert!(snapshot(dir.path()) == before, "a file was changed");
}

#[test]
fn backup_writes_a_database_that_opens_with_the_same_events() {
    let (dir, path) = temp_path();
    let mut db = Db::open(&path).unwrap_or_else(|e| panic!("{e}"));
    annals_core::seed::seed(&mut db, crate::NOW).unwrap_or_else(|e| panic!("{e}"));
    let copy = dir.path().join("backup.sqlite3");
    db.backup_to(&copy).unwrap_or_else(|e| panic!("{e}"));
    let back = Db::open(&copy).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        back.event_count().unwrap_or_default(),
        db.event_count().unwrap_or_default()
    );
}

/// Writes 0x5A over 8 KiB in the middle of a closed database file (its header
/// left intact), as a failing disk or a bad copy would.
fn damage_pages(path: &Path) {
    let mut bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{e}"));
    let mid = bytes.len() / 2;
    for b in &mut bytes[mid..mid + 8192] {
        *b = 0x5A;
    }
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("{e}"));
}

/// A seeded database in `dir` with daily backups for 1 and 2 May (21 events),
/// then one event more, closed and then damaged.
fn damaged_with_backups(dir: &Path) -> PathBuf {
    let path = seeded_file(dir);
    let mut db = Db::open(&path).unwrap_or_else(|e| panic!("{e}"));
    for d in ["2026-05-01", "2026-05-02"] {
        db.daily_backup(&backup_dir(&path), day(d))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    crate::add(&mut db, "Added after the backups", "2002-05-08", &["JP"]);
    drop(db);
    damage_pages(&path);
    path
}

#[test]
fn a_database_with_damaged_pages_is_refused_as_damaged() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = damaged_with_backups(dir.path());
    let err = Db::open(&path)
        .err()
        .unwrap_or_else(|| panic!("opened a damaged database"));
    assert!(matches!(err, Error::Damaged { .. }), "{err:?}");
    assert_eq!(err.kind(), "database_unusable");
}

#[test]
fn the_latest_backup_of_a_damaged_database_restores_it_keeping_the_damaged_file() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = damaged_with_backups(dir.path());
    let damaged_bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{e}"));
    let latest = latest_backup(&path).unwrap_or_else(|| panic!("no backup offered"));
    assert_eq!(latest, dir.path().join("backups/annals-2026-05-02.sqlite3"));
    let restored = restore_from(&latest, &path).unwrap_or_else(|e| panic!("{e}"));
    let kept = restored
        .kept
        .unwrap_or_else(|| panic!("the damaged database was not kept"));
    assert_eq!(kept, dir.path().join("annals.damaged-1.sqlite3"));
    assert!(std::fs::read(&kept).unwrap_or_default() == damaged_bytes);
    let db = Db::open(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(db.event_count().unwrap_or_default(), 21);
}

#[test]
fn the_latest_backup_offered_is_the_newest_that_passes_the_checks() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = damaged_with_backups(dir.path());
    damage_pages(&dir.path().join("backups/annals-2026-05-02.sqlite3"));
    assert_eq!(
        latest_backup(&path),
        Some(dir.path().join("backups/annals-2026-05-01.sqlite3"))
    );
    damage_pages(&dir.path().join("backups/annals-2026-05-01.sqlite3"));
    assert_eq!(latest_backup(&path), None);
}

/// A connection on a thread that runs `begin`, writes, and keeps its lock two
/// seconds longer than the busy timeout; returns once the lock is held.
fn hold_lock(path: &Path, begin: &str) -> std::thread::JoinHandle<()> {
    let (locked_tx, locked_rx) = std::sync::mpsc::channel();
    let path = path.to_path_buf();
    let sql = format!("{begin} INSERT INTO setting (key, value) VALUES ('held', '1');");
    let holder = std::thread::spawn(move || {
        let conn = rusqlite::Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
        conn.execute_batch(&sql).unwrap_or_else(|e| panic!("{e}"));
        let _ = locked_tx.send(());
        std::thread::sleep(BUSY_TIMEOUT + std::time::Duration::from_secs(2));
        conn.execute_batch("ROLLBACK")
            .unwrap_or_else(|e| panic!("{e}"));
    });
    locked_rx.recv().unwrap_or_else(|e| panic!("{e}"));
    holder
}

/// Runs `attempt` against the lock `hold_lock` takes with `begin`; its error once
/// the holder let go, after checking that it waited the whole busy timeout.
fn blocked(path: &Path, begin: &str, attempt: impl FnOnce() -> Option<Error>) -> Error {
    let holder = hold_lock(path, begin);
    let started = std::time::Instant::now();
    let err = attempt().unwrap_or_else(|| panic!("went through another connection's lock"));
    let waited = started.elapsed();
    holder.join().unwrap_or_else(|_| panic!("holder panicked"));
    assert!(
        waited >= BUSY_TIMEOUT - std::time::Duration::from_millis(200),
        "gave up after {waited:?}"
    );
    err
}

#[test]
fn a_write_blocked_by_another_connection_waits_the_busy_timeout_then_says_it_is_locked() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = seeded_file(dir.path());
    let mut db = Db::open(&path).unwrap_or_else(|e| panic!("{e}"));
    // Another connection, on a thread, holds the write lock.
    let err = blocked(&path, "BEGIN IMMEDIATE;", || {
        db.create_event(
            annals_core::event::NewEvent::manual(crate::input("Blocked", "2002-05-08", &["JP"])),
            crate::NOW,
        )
        .err()
    })
    .at_database(&path);
    assert!(matches!(err, Error::Locked { .. }), "{err:?}");
    assert_eq!(err.kind(), "busy");
    let message = err.to_string();
    // The holder is a thread of this process, which the scan leaves out.
    assert!(
        message.contains("another Annals or program kept it locked for 5 seconds"),
        "{message}"
    );
    assert!(message.contains("nothing was changed"), "{message}");
    // Once the lock is gone the same connection writes again.
    crate::add(&mut db, "After the lock", "2002-05-08", &["JP"]);
}

#[test]
fn opening_a_database_held_exclusively_waits_then_says_it_is_locked() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = seeded_file(dir.path());
    let err = blocked(
        &path,
        "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;",
        || Db::open(&path).err(),
    );
    assert!(matches!(err, Error::Locked { .. }), "{err:?}");
    assert!(err.to_string().contains("is locked"), "{err}");
}

/// SQL that puts back `dataset_row` as schemas 7 to 10 had it (names and paths
/// as text in each row), for tests that take a file back to an older schema.
const DATASET_ROW_BEFORE_11: &str = "
    DROP TABLE dataset_row;
    DROP TABLE dataset;
    DROP TABLE dataset_file;
    CREATE TABLE dataset_row (
        dataset TEXT NOT NULL, row_id TEXT NOT NULL,
        event_id INTEGER NOT NULL REFERENCES event(id) ON DELETE CASCADE,
        file TEXT NOT NULL, line INTEGER NOT NULL, url TEXT, grp TEXT,
        PRIMARY KEY (dataset, row_id)) WITHOUT ROWID;
    CREATE INDEX dataset_row_event ON dataset_row (event_id);";

/// The ids of the events a search for `text` lists.
fn searched(db: &Db, text: &str) -> Vec<i64> {
    let filter = annals_core::query::EventFilter {
        text: Some(text.into()),
        ..Default::default()
    };
    let page = db.list(&filter, 0, 500).unwrap_or_else(|e| panic!("{e}"));
    let mut ids: Vec<i64> = page.events.iter().map(|e| e.id).collect();
    ids.sort_unstable();
    ids
}

#[test]
fn migration_8_slims_the_text_index_and_every_search_finds_the_same_events() {
    let (_dir, path) = temp_path();
    // Words of a title, a prefix, a city, a mission, a country's name and its
    // demonym (the place column), a source sentence (quote), two words at once,
    // and a word typed without its diacritics.
    let searches = [
        "asylum",
        "repatr",
        "Shenyang",
        "Consulate",
        "Korea",
        "Japanese",
        "dragged",
        "Spanish Embassy",
        "seoul",
    ];
    let before: Vec<Vec<i64>> = {
        let mut db = Db::open(&path).unwrap_or_else(|e| panic!("{e}"));
        annals_core::seed::seed(&mut db, crate::NOW).unwrap_or_else(|e| panic!("{e}"));
        drop(db);
        // Back to schema 7's index: every column and position of every word
        // (and without schema 9's review index).
        let raw = rusqlite::Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
        raw.execute_batch(DATASET_ROW_BEFORE_11)
            .unwrap_or_else(|e| panic!("{e}"));
        raw.execute_batch(
            "DROP INDEX event_review;
             DROP TABLE event_fts;
             CREATE VIRTUAL TABLE event_fts USING fts5 (title, summary, place, quote,
                 content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2');
             INSERT INTO event_fts (rowid, title, summary, place, quote)
                 SELECT e.id, e.title, e.summary,
                        concat_ws(' ', e.city, m.name,
                                  (SELECT group_concat(c.name || ' ' || c.demonyms, ' ')
                                   FROM event_country ec JOIN country c ON c.code = ec.country
                                   WHERE ec.event_id = e.id)),
                        (SELECT group_concat(quote, ' ') FROM provenance WHERE event_id = e.id)
                 FROM event e LEFT JOIN mission m ON m.id = e.mission_id;
             PRAGMA user_version = 7;",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        searches
            .iter()
            .map(|s| {
                let q = annals_core::query::fts_query(s).unwrap_or_default();
                let mut stmt = raw
                    .prepare("SELECT rowid FROM event_fts WHERE event_fts MATCH ?1 ORDER BY rowid")
                    .unwrap_or_else(|e| panic!("{e}"));
                let ids = stmt
                    .query_map([q], |r| r.get(0))
                    .unwrap_or_else(|e| panic!("{e}"))
                    .collect::<Result<Vec<i64>, _>>()
                    .unwrap_or_else(|e| panic!("{e}"));
                ids
            })
            .collect()
    };
    for (s, ids) in searches.iter().zip(&before) {
        assert!(!ids.is_empty(), "{s:?} finds nothing in the seed");
    }
    let db = Db::open(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(db.schema_version().unwrap_or_default(), SCHEMA_VERSION);
    let raw = rusqlite::Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
    let sql: String = raw
        .query_row(
            "SELECT sql FROM sqlite_master WHERE name = 'event_fts'",
            [],
            |r| r.get(0),
        )
        .unwrap_or_default();
    assert!(sql.contains("detail = none"), "{sql}");
    let after: Vec<Vec<i64>> = searches.iter().map(|s| searched(&db, s)).collect();
    assert_eq!(before, after);
}

#[test]
fn migration_10_keeps_every_time_as_seconds_and_reads_them_back_as_they_were() {
    let (_dir, path) = temp_path();
    let before: Vec<(i64, String, String)> = {
        let mut db = Db::open(&path).unwrap_or_else(|e| panic!("{e}"));
        annals_core::seed::seed(&mut db, "2026-03-04T05:06:07Z").unwrap_or_else(|e| panic!("{e}"));
        let page = db
            .list(&annals_core::query::EventFilter::default(), 0, 500)
            .unwrap_or_else(|e| panic!("{e}"));
        page.events
            .iter()
            .map(|e| (e.id, e.created_at.clone(), e.updated_at.clone()))
            .collect()
    };
    assert!(before.len() > 10);
    assert!(before
        .iter()
        .all(|(_, c, u)| c == "2026-03-04T05:06:07Z" && u == c));
    // Back to schema 9: the times as RFC 3339 text, one of them unreadable.
    let raw = rusqlite::Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
    raw.execute_batch(DATASET_ROW_BEFORE_11)
        .unwrap_or_else(|e| panic!("{e}"));
    raw.execute_batch(
        "ALTER TABLE event ADD COLUMN c TEXT NOT NULL DEFAULT '';
         ALTER TABLE event ADD COLUMN u TEXT NOT NULL DEFAULT '';
         UPDATE event SET c = strftime('%Y-%m-%dT%H:%M:%SZ', created_at, 'unixepoch'),
                          u = strftime('%Y-%m-%dT%H:%M:%SZ', updated_at, 'unixepoch');
         ALTER TABLE event DROP COLUMN created_at;
         ALTER TABLE event DROP COLUMN updated_at;
         ALTER TABLE event RENAME COLUMN c TO created_at;
         ALTER TABLE event RENAME COLUMN u TO updated_at;
         UPDATE event SET updated_at = 'last Tuesday' WHERE id = (SELECT max(id) FROM event);
         PRAGMA user_version = 9;",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let text: i64 = raw
        .query_row(
            "SELECT count(*) FROM event WHERE typeof(created_at) = 'text'",
            [],
            |r| r.get(0),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(text, before.len() as i64);
    drop(raw);

    let db = Db::open(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(db.schema_version().unwrap_or_default(), SCHEMA_VERSION);
    let last = before.iter().map(|b| b.0).max().unwrap_or_default();
    for (id, created, updated) in &before {
        let e = db
            .event(*id)
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("event {id} is gone"));
        assert_eq!(&e.created_at, created);
        if *id == last {
            assert_eq!(e.updated_at, "1970-01-01T00:00:00Z", "an unreadable time");
        } else {
            assert_eq!(&e.updated_at, updated);
        }
    }
    let raw = rusqlite::Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
    let ints: i64 = raw
        .query_row(
            "SELECT count(*) FROM event WHERE typeof(created_at) = 'integer' AND typeof(updated_at) = 'integer'",
            [],
            |r| r.get(0),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ints, before.len() as i64);
}
