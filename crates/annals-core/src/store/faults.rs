//! The store under faults: a full disk, a write-protected folder, a damaged page.
//!
//! A full disk: SQLite reports one as SQLITE_FULL, which is also what it reports
//! when the database reaches `max_page_count`; these tests cap the file at its
//! current size that way (no privileges, the same on every machine, and exactly
//! the error a full disk gives the store). The CLI's fault tests fill a real
//! file system (a small tmpfs) instead, where opening fails first.

use chrono::NaiveDate;

use super::Db;
use crate::date::EventDate;
use crate::error::Error;
use crate::event::{EventInput, EventKind, NewEvent};
use crate::import::{self, ImportHost, ImportProgress, Outcome, Source};

const NOW: &str = "2026-01-01T00:00:00Z";

fn seeded(dir: &std::path::Path) -> Db {
    let mut db = Db::open(&dir.join("annals.sqlite3")).unwrap_or_else(|e| panic!("{e}"));
    crate::seed::seed(&mut db, NOW).unwrap_or_else(|e| panic!("{e}"));
    db
}

/// No page may be added to the file from now on.
fn fill_disk(db: &Db) {
    let pages: i64 = db
        .conn
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{e}"));
    db.conn
        .query_row(&format!("PRAGMA max_page_count = {pages}"), [], |_| Ok(()))
        .unwrap_or_else(|e| panic!("{e}"));
}

fn free_space(db: &Db) {
    db.conn
        .query_row("PRAGMA max_page_count = 1073741823", [], |_| Ok(()))
        .unwrap_or_else(|e| panic!("{e}"));
}

fn integrity(db: &Db) -> String {
    db.conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{e}"))
}

fn hand_entry(title: &str) -> NewEvent {
    NewEvent::manual(EventInput {
        title: title.into(),
        summary: "typed in by hand".into(),
        kind: EventKind::Other,
        date: EventDate::new(
            "2002-05-08".parse().unwrap_or_else(|e| panic!("{e}")),
            None,
            false,
        )
        .unwrap_or_else(|e| panic!("{e}")),
        city: None,
        country: None,
        mission_id: None,
        countries: vec!["JP".into()],
        background: false,
        planned: false,
    })
}

struct Quiet;

impl ImportHost for Quiet {
    fn cancelled(&self) -> bool {
        false
    }
    fn progress(&mut self, _: &ImportProgress) {}
}

/// A story long enough to need new pages (its text and full-text rows).
fn story(n: usize) -> Source {
    let para = "Police arrested five men near the Japanese Consulate in Shenyang on May 8, 2002, officials said. ";
    Source::Text {
        label: format!("story {n}"),
        text: format!("Story {n}\n\n{}", para.repeat(200)),
    }
}

#[test]
fn an_import_on_a_full_disk_skips_each_article_saying_the_disk_is_full_and_keeps_the_rest() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut db = seeded(dir.path());
    let (events, articles) = (
        db.event_count().unwrap_or(0),
        db.articles().map(|a| a.len()).unwrap_or(0),
    );
    fill_disk(&db);
    let dct = NaiveDate::from_ymd_opt(2002, 5, 10);
    let outcome = import::run(vec![story(1), story(2)], dct, NOW, &mut db, &mut Quiet);
    assert_eq!((outcome.imported, outcome.skipped), (0, 2), "{outcome:?}");
    for item in outcome.items.iter() {
        let message = item.message.as_deref().unwrap_or("");
        assert!(
            message.contains("the disk that holds the database is full")
                && message.contains("nothing was changed"),
            "{message}"
        );
    }
    assert_eq!(db.event_count().unwrap_or(-1), events);
    assert_eq!(db.articles().map(|a| a.len()).unwrap_or(0), articles);
    assert_eq!(integrity(&db), "ok");
    // Once there is room again, the same import goes through.
    free_space(&db);
    let outcome = import::run(vec![story(1), story(2)], dct, NOW, &mut db, &mut Quiet);
    assert_eq!(outcome.imported, 2, "{outcome:?}");
    assert!(outcome.items.iter().all(|i| i.outcome == Outcome::Imported));
}

#[test]
fn edits_on_a_full_disk_fail_as_io_saying_so_and_those_before_stay() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut db = seeded(dir.path());
    fill_disk(&db);
    // The free room left in the file's pages takes some; then the disk is full.
    let mut written = 0;
    let err = loop {
        match db.create_event(hand_entry(&format!("Hand entry {written}")), NOW) {
            Ok(_) => written += 1,
            Err(e) => break e,
        }
        assert!(written < 10_000, "the capped file never filled");
    };
    assert!(matches!(err, Error::DiskFull), "{err:?}");
    assert_eq!(err.kind(), "io");
    assert_eq!(
        err.to_string(),
        "the disk that holds the database is full; nothing was changed: free some space and try again"
    );
    assert_eq!(db.event_count().unwrap_or(-1), 21 + written);
    assert_eq!(integrity(&db), "ok");
    // Reads go on, and the same edit goes through once there is room.
    assert!(db
        .list(&crate::query::EventFilter::default(), 0, 10)
        .is_ok());
    free_space(&db);
    db.create_event(hand_entry(&format!("Hand entry {written}")), NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(db.event_count().unwrap_or(-1), 22 + written);
}

fn snapshot(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
        .map(|e| {
            let bytes = std::fs::read(e.path()).unwrap_or_default();
            (e.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect();
    files.sort();
    files
}

fn chmod(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn an_import_into_a_write_protected_folder_skips_each_article_as_read_only_and_changes_no_file() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let folder = dir.path().join("shared");
    std::fs::create_dir(&folder).unwrap_or_else(|e| panic!("{e}"));
    drop(seeded(&folder));
    chmod(&folder, 0o555);
    let before = snapshot(&folder);
    let mut db = Db::open(&folder.join("annals.sqlite3")).unwrap_or_else(|e| panic!("{e}"));
    let outcome = import::run(vec![story(1), story(2)], None, NOW, &mut db, &mut Quiet);
    assert_eq!((outcome.imported, outcome.skipped), (0, 2), "{outcome:?}");
    for item in &outcome.items {
        let message = item.message.as_deref().unwrap_or("");
        assert!(
            message.contains("read-only") && message.contains("nothing was changed"),
            "{message}"
        );
    }
    assert_eq!(db.event_count().unwrap_or(-1), 21);
    drop(db);
    let after = snapshot(&folder);
    chmod(&folder, 0o755);
    assert!(
        after == before,
        "a file in the write-protected folder changed"
    );
}

#[test]
fn a_damaged_page_is_refused_on_open_saying_the_file_is_damaged_and_the_file_is_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("annals.sqlite3");
    let (root, page_size) = {
        let db = seeded(dir.path());
        let root: i64 = db
            .conn
            .query_row(
                "SELECT rootpage FROM sqlite_schema WHERE name = 'event'",
                [],
                |r| r.get(0),
            )
            .unwrap_or_else(|e| panic!("{e}"));
        let size: i64 = db
            .conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .unwrap_or_else(|e| panic!("{e}"));
        (root, size)
    };
    // The event table's first page, overwritten as a bad sector or a stray
    // write would leave it.
    let mut bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{e}"));
    let at = usize::try_from((root - 1) * page_size).unwrap_or(0);
    let end = at + usize::try_from(page_size).unwrap_or(0);
    assert!(
        end <= bytes.len(),
        "the event table has no page in the file"
    );
    for (i, b) in bytes[at..end].iter_mut().enumerate() {
        *b = (i * 7 % 251) as u8;
    }
    std::fs::write(&path, &bytes).unwrap_or_else(|e| panic!("{e}"));
    let err = Db::open(&path)
        .err()
        .unwrap_or_else(|| panic!("a damaged database opened"));
    assert_eq!(err.kind(), "database_unusable", "{err}");
    let message = err.to_string();
    assert!(
        message.starts_with(&format!(
            "{} is not a usable Annals database: the file is damaged",
            path.display()
        )),
        "{message}"
    );
    assert!(message.contains("it was left as it is"), "{message}");
    assert!(
        std::fs::read(&path).unwrap_or_default() == bytes,
        "the damaged file was changed"
    );
}
