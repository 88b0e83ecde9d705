use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use annals_core::store::{APPLICATION_ID, SCHEMA_VERSION};
use annals_core::{Db, Error};

fn temp_path() -> (tempfile::TempDir, std::path::PathBuf) {
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

#[test]
fn a_file_that_is_not_sqlite_is_refused_byte_identical() {
    let (dir, path) = temp_path();
    std::fs::write(&path, b"This is a text file, not a database. ".repeat(200))
        .unwrap_or_else(|e| panic!("{e}"));
    let before = snapshot(dir.path());
    let err = Db::open(&path)
        .err()
        .unwrap_or_else(|| panic!("opened a text file"));
    assert_eq!(err.kind(), "database_unusable");
    assert!(err.to_string().contains("not an SQLite database"), "{err}");
    let after = snapshot(dir.path());
    assert_eq!(names(&after), names(&before));
    assert!(after == before, "the text file was changed");
}

#[test]
fn another_applications_sqlite_database_is_refused_byte_identical_without_wal_or_shm() {
    let (dir, path) = temp_path();
    let raw = rusqlite::Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
    raw.execute_batch("CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES ('keep me');")
        .unwrap_or_else(|e| panic!("{e}"));
    drop(raw);
    let before = snapshot(dir.path());
    assert_eq!(names(&before), ["annals.sqlite3"]);
    let err = Db::open(&path)
        .err()
        .unwrap_or_else(|| panic!("opened a foreign database"));
    assert!(err.to_string().contains("another application"), "{err}");
    let after = snapshot(dir.path());
    assert_eq!(
        names(&after),
        ["annals.sqlite3"],
        "-wal or -shm left behind"
    );
    assert!(after == before, "the foreign database was changed");
}

#[test]
fn a_newer_schema_database_is_refused_byte_identical_without_wal_or_shm() {
    let (dir, path) = temp_path();
    drop(Db::open(&path).unwrap_or_else(|e| panic!("{e}")));
    let raw = rusqlite::Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
    raw.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap_or_else(|e| panic!("{e}"));
    // As a newer Annals that does not use WAL might leave it.
    let _: String = raw
        .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{e}"));
    drop(raw);
    let before = snapshot(dir.path());
    assert_eq!(names(&before), ["annals.sqlite3"]);
    let err = Db::open(&path)
        .err()
        .unwrap_or_else(|| panic!("opened a newer database"));
    assert!(matches!(err, Error::NewerSchema { .. }), "{err}");
    let after = snapshot(dir.path());
    assert_eq!(
        names(&after),
        ["annals.sqlite3"],
        "-wal or -shm left behind"
    );
    assert!(after == before, "the newer database was changed");
}

/// A seeded database file in `dir`, closed.
fn seeded_file(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("annals.sqlite3");
    let mut db = Db::open(&path).unwrap_or_else(|e| panic!("{e}"));
    annals_core::seed::seed(&mut db, crate::NOW).unwrap_or_else(|e| panic!("{e}"));
    path
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .unwrap_or_else(|e| panic!("{e}"));
}

/// Opens `path` (expected read-only), reads it, and checks that a write fails as
/// `read_only` and that the file keeps its bytes.
fn assert_opens_read_only(path: &Path) {
    let before = std::fs::read(path).unwrap_or_else(|e| panic!("{e}"));
    let mut db = Db::open(path).unwrap_or_else(|e| panic!("{e}"));
    assert!(db.is_read_only());
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
    assert_opens_read_only(&path);
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
    assert_opens_read_only(&path);
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
