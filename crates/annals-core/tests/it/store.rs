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

#[test]
fn a_file_that_is_not_sqlite_is_refused_with_a_clear_reason() {
    let (_dir, path) = temp_path();
    std::fs::write(&path, b"This is a text file, not a database. ".repeat(200))
        .unwrap_or_else(|e| panic!("{e}"));
    let err = Db::open(&path)
        .err()
        .unwrap_or_else(|| panic!("opened a text file"));
    assert_eq!(err.kind(), "database_unusable");
    assert!(err.to_string().contains("not an SQLite database"), "{err}");
    // And the file is left as it was.
    let bytes = std::fs::read(&path).unwrap_or_default();
    assert!(bytes.starts_with(b"This is a text file"));
}

#[test]
fn another_applications_sqlite_database_is_refused() {
    let (_dir, path) = temp_path();
    let raw = rusqlite::Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
    raw.execute_batch("CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES ('keep me');")
        .unwrap_or_else(|e| panic!("{e}"));
    drop(raw);
    let err = Db::open(&path)
        .err()
        .unwrap_or_else(|| panic!("opened a foreign database"));
    assert!(err.to_string().contains("another application"), "{err}");
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
