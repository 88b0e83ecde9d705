//! The database the window works on: opened at start-up, backed up and replaced
//! (File › Back Up…, File › Restore…) through here.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::Instant;

use annals_core::store::{latest_backup, restore_from, Restored, WriteProtection};
use annals_core::Db;

use crate::error::CommandError;

pub struct AppState {
    pub db_path: PathBuf,
    /// The open database, or why it could not be opened: the window still shows
    /// and tells the user instead of the app panicking. A restore replaces it.
    db: Arc<RwLock<Opened>>,
}

#[derive(Clone)]
enum Opened {
    Open {
        db: Arc<Mutex<Db>>,
        /// Why it opened read-only, if it did: known without taking its lock.
        read_only: Option<WriteProtection>,
    },
    Failed {
        error: CommandError,
        /// The file's pages are damaged: a backup can replace it.
        damaged: bool,
        /// Another process held the file locked; when it was last tried. The
        /// next command after another busy timeout tries again.
        locked: Option<Instant>,
    },
}

fn current(slot: &RwLock<Opened>) -> Opened {
    slot.read().unwrap_or_else(PoisonError::into_inner).clone()
}

/// The database, opened again first when it was locked at the last try and a
/// busy timeout has passed since: the other program may have let go, and the
/// page's "Try again" should then work. Blocking (up to the busy timeout).
fn current_or_reopened(slot: &RwLock<Opened>, path: &Path) -> Opened {
    let due = |opened: &Opened| {
        matches!(opened, Opened::Failed { locked: Some(at), .. }
            if at.elapsed() >= annals_core::store::BUSY_TIMEOUT)
    };
    let opened = current(slot);
    if !due(&opened) {
        return opened;
    }
    let mut slot = slot.write().unwrap_or_else(PoisonError::into_inner);
    // Another command may have tried meanwhile.
    if due(&slot) {
        *slot = open(path);
    }
    slot.clone()
}

/// Today's date where the user is, for the daily backup.
#[allow(clippy::disallowed_methods)] // the shell reads the clock; the core does not
pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// How often a running app looks whether the day's backup is due: a window left
/// open for days still makes one each day, within this long of midnight.
const BACKUP_CHECK_EVERY: std::time::Duration = std::time::Duration::from_secs(3600);

/// The day's backup of the database into `backups/` beside it (one a day, the
/// newest seven kept), at launch and then whenever a new day has begun, on a
/// thread and a connection of its own so the window never waits for the copy.
fn back_up_daily(db_path: PathBuf) {
    let spawned = std::thread::Builder::new()
        .name("daily-backup".into())
        .spawn(move || loop {
            match back_up(&db_path, today()) {
                Ok(Some(file)) => log::info!("today's backup written to {}", file.display()),
                Ok(None) => {}
                Err(e) => log::error!("today's backup was not written: {e}"),
            }
            std::thread::sleep(BACKUP_CHECK_EVERY);
        });
    if let Err(e) = spawned {
        log::error!("today's backup was not started: {e}");
    }
}

/// `day`'s backup, unless it is there already; an empty or read-only database
/// has nothing to lose.
fn back_up(db_path: &Path, day: chrono::NaiveDate) -> annals_core::Result<Option<PathBuf>> {
    let db = Db::open(db_path)?;
    if db.is_read_only() || db.is_empty()? {
        return Ok(None);
    }
    db.daily_backup(&annals_core::store::backup_dir(db_path), day)
}

/// RFC 3339 time stamp of now, to the second: the shell is where clocks are read.
#[allow(clippy::disallowed_methods)] // the one clock read of the shell
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Opens the database; a new one gets the sample article and its events unless
/// `ANNALS_NO_SEED` is set (an empty timeline to import into). A read-only one
/// is opened as it is, even when empty.
fn open(db_path: &Path) -> Opened {
    let opened = Db::open(db_path).and_then(|mut db| {
        if db.is_read_only() {
            // Nothing can be filled in: the window browses what is there.
        } else if std::env::var_os("ANNALS_NO_SEED").is_some_and(|v| !v.is_empty()) {
            annals_core::seed::ensure_countries(&mut db)?;
        } else {
            annals_core::seed::seed_if_new(&mut db, &now())?;
        }
        Ok(db)
    });
    match opened {
        Ok(db) => {
            log::info!("opened {}", db_path.display());
            back_up_daily(db_path.to_path_buf());
            let read_only = db.write_protection();
            if let Some(why) = read_only {
                log::warn!(
                    "{} is open read-only ({why:?}): browse, no edits",
                    db_path.display()
                );
            }
            Opened::Open {
                db: Arc::new(Mutex::new(db)),
                read_only,
            }
        }
        Err(e) => {
            let damaged = matches!(e, annals_core::Error::Damaged { .. });
            let locked = matches!(e, annals_core::Error::Locked { .. }).then(Instant::now);
            let mut error = CommandError::from(e);
            log::error!("{}", error.message);
            if damaged {
                error.message.push_str(&match latest_backup(db_path) {
                    Some(b) => format!(
                        ". The newest good backup is {}: File › Restore… puts it in place and keeps the damaged file beside it.",
                        b.display()
                    ),
                    None => format!(
                        ". There is no usable backup in {}.",
                        annals_core::store::backup_dir(db_path).display()
                    ),
                });
            }
            // The page shows a full-window explanation for this kind, whatever
            // stopped the database from opening (a lock, say).
            error.kind = "database_unusable".into();
            Opened::Failed {
                error,
                damaged,
                locked,
            }
        }
    }
}

impl AppState {
    pub fn open(db_path: PathBuf) -> AppState {
        let db = Arc::new(RwLock::new(open(&db_path)));
        AppState { db_path, db }
    }

    fn current(&self) -> Opened {
        current(&self.db)
    }

    /// The open database, shared: for work that takes the lock itself (an
    /// import takes it once per run of articles).
    pub fn shared(&self) -> Result<Arc<Mutex<Db>>, CommandError> {
        match self.current() {
            Opened::Open { db, .. } => Ok(db),
            Opened::Failed { error, .. } => Err(error),
        }
    }

    /// Why the open database is read-only, or `None` when it can be written (or
    /// did not open: its commands then fail with why).
    pub fn write_protection(&self) -> Option<WriteProtection> {
        match self.current() {
            Opened::Open { read_only, .. } => read_only,
            Opened::Failed { .. } => None,
        }
    }

    /// Refuses, before anything is read, work that would write to a database
    /// opened read-only: the same refusal the core gives a write, sooner.
    pub fn writable(&self) -> Result<(), CommandError> {
        match self.write_protection() {
            Some(_) => Err(CommandError::from(annals_core::Error::ReadOnly)),
            None => Ok(()),
        }
    }

    /// When the database could not be opened because its pages are damaged, the
    /// newest daily backup that passes the checks, to offer in its place.
    pub fn damaged_offer(&self) -> Option<PathBuf> {
        match self.current() {
            Opened::Failed { damaged: true, .. } => latest_backup(&self.db_path),
            _ => None,
        }
    }

    /// Runs `f` on the database on a blocking worker thread, so the window's
    /// main thread never waits on SQLite. A panic in `f` is that command's
    /// `internal` error; the lock it poisoned is taken anyway by the next
    /// command, since a panic inside a transaction rolled it back (the
    /// transaction is dropped as the panic unwinds), so the database is whole.
    /// A lock another process held past the busy timeout comes back naming that
    /// process; failures are logged. A database that was locked at start is
    /// tried again (see `current_or_reopened`).
    pub async fn with_db<T, F>(&self, f: F) -> Result<T, CommandError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Db) -> annals_core::Result<T> + Send + 'static,
    {
        let slot = Arc::clone(&self.db);
        let path = self.db_path.clone();
        let result = tauri::async_runtime::spawn_blocking(move || {
            let db = match current_or_reopened(&slot, &path) {
                Opened::Open { db, .. } => db,
                Opened::Failed { error, .. } => return Err(error),
            };
            let mut guard = db.lock().unwrap_or_else(PoisonError::into_inner);
            f(&mut guard).map_err(|e| CommandError::from(e.at_database(&path)))
        })
        .await
        .map_err(|e| CommandError::internal(format!("database task failed: {e}")))?;
        if let Err(e) = &result {
            match e.kind.as_str() {
                "invalid" | "not_found" | "cancelled" => {
                    log::debug!("{}: {}", e.kind, e.message)
                }
                _ => log::warn!("{}: {}", e.kind, e.message),
            }
        }
        result
    }

    /// Copies the whole database to `dest` (which must not exist), waiting for
    /// the command in hand to finish. Blocking: call it off the main thread.
    pub fn back_up_to(&self, dest: &Path) -> Result<(), CommandError> {
        let db = self.shared()?;
        let guard = db.lock().unwrap_or_else(PoisonError::into_inner);
        let done = guard
            .backup_to(dest)
            .map_err(|e| CommandError::from(e.at_database(&self.db_path)));
        match &done {
            Ok(()) => log::info!("backed up {} to {}", self.db_path.display(), dest.display()),
            Err(e) => log::error!("backup to {} failed: {}", dest.display(), e.message),
        }
        done
    }

    /// Replaces the database with the backup at `backup` (checked first; the
    /// replaced or damaged file kept beside it) and opens it again, migrating an
    /// older backup. No command runs on the database meanwhile. An error means
    /// the database was not changed. Blocking: call it off the main thread.
    pub fn restore(&self, backup: &Path) -> Result<Restored, CommandError> {
        // Hold the open database's mutex: the command in hand finishes first, and
        // the next ones wait (on blocking threads, never on the async runtime)
        // until the restored file is open. They then run on the old connection,
        // which sees the restored file as well; it closes with the last of them.
        let current = match self.current() {
            Opened::Open { db, .. } => Some(db),
            Opened::Failed { .. } => None,
        };
        let guard = current
            .as_ref()
            .map(|db| db.lock().unwrap_or_else(PoisonError::into_inner));
        let restored = restore_from(backup, &self.db_path)
            .map_err(|e| CommandError::from(e.at_database(&self.db_path)));
        match &restored {
            Ok(r) => {
                log::info!(
                    "restored {} from {}{}",
                    self.db_path.display(),
                    backup.display(),
                    r.kept
                        .as_ref()
                        .map(|k| format!("; the file it replaced is kept as {}", k.display()))
                        .unwrap_or_default()
                );
                let reopened = open(&self.db_path);
                match self.db.write() {
                    Ok(mut slot) => *slot = reopened,
                    Err(poisoned) => *poisoned.into_inner() = reopened,
                }
            }
            Err(e) => log::error!("restore from {} refused: {}", backup.display(), e.message),
        }
        drop(guard);
        restored
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A seeded database at `path`, made by the core directly: no daily-backup
    /// thread races the test.
    fn seeded(path: &Path) -> Db {
        let mut db = Db::open(path).unwrap_or_else(|e| panic!("{e}"));
        annals_core::seed::seed(&mut db, "2026-01-01T00:00:00Z").unwrap_or_else(|e| panic!("{e}"));
        db
    }

    fn event_count(state: &AppState) -> i64 {
        let db = state.shared().unwrap_or_else(|e| panic!("{}", e.message));
        let guard = db.lock().unwrap_or_else(|_| panic!("poisoned"));
        guard.event_count().unwrap_or_else(|e| panic!("{e}"))
    }

    fn add(state: &AppState, title: &str) {
        let db = state.shared().unwrap_or_else(|e| panic!("{}", e.message));
        let mut guard = db.lock().unwrap_or_else(|_| panic!("poisoned"));
        let input = annals_core::event::EventInput {
            title: title.into(),
            summary: String::new(),
            kind: annals_core::event::EventKind::Other,
            date: annals_core::date::EventDate::new(
                "2002-05-08".parse().unwrap_or_else(|e| panic!("{e}")),
                None,
                false,
            )
            .unwrap_or_else(|e| panic!("{e}")),
            city: None,
            country: None,
            mission_id: None,
            countries: vec![],
            background: false,
            planned: false,
        };
        guard
            .create_event(
                annals_core::event::NewEvent::manual(input),
                "2026-01-01T00:00:00Z",
            )
            .unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn back_up_then_restore_replaces_the_open_database_and_keeps_the_replaced_one() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let state = AppState::open(dir.path().join("annals.sqlite3"));
        let seeded = event_count(&state);
        let copy = dir.path().join("copy.sqlite3");
        state
            .back_up_to(&copy)
            .unwrap_or_else(|e| panic!("{}", e.message));
        add(&state, "After the backup");
        assert_eq!(event_count(&state), seeded + 1);

        let restored = state
            .restore(&copy)
            .unwrap_or_else(|e| panic!("{}", e.message));
        assert_eq!(event_count(&state), seeded);
        assert_eq!(
            restored.kept,
            Some(dir.path().join("annals.replaced-1.sqlite3"))
        );
        // A second backup under the same name is refused, saying why.
        let again = state.back_up_to(&copy).err();
        assert!(
            again.is_some_and(|e| e.message.contains("already exists")),
            "overwrote a backup"
        );
    }

    #[test]
    fn a_refused_restore_leaves_the_database_open_and_unchanged() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let state = AppState::open(dir.path().join("annals.sqlite3"));
        add(&state, "Kept");
        let before = event_count(&state);
        let junk = dir.path().join("junk.sqlite3");
        std::fs::write(&junk, b"not a database ".repeat(400)).unwrap_or_else(|e| panic!("{e}"));
        let err = state
            .restore(&junk)
            .err()
            .unwrap_or_else(|| panic!("restored junk"));
        assert_eq!(err.kind, "database_unusable", "{}", err.message);
        assert_eq!(event_count(&state), before);
    }

    #[test]
    fn a_running_app_backs_up_once_each_new_day_and_never_a_read_only_database() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("annals.sqlite3");
        drop(seeded(&path));
        let day = |d: &str| {
            d.parse::<chrono::NaiveDate>()
                .unwrap_or_else(|e| panic!("{e}"))
        };
        let first = back_up(&path, day("2026-05-02")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            first,
            Some(dir.path().join("backups/annals-2026-05-02.sqlite3"))
        );
        // The hourly look again on the same day: nothing new.
        assert_eq!(back_up(&path, day("2026-05-02")).ok(), Some(None));
        // Past midnight: the next day's copy.
        let next = back_up(&path, day("2026-05-03")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            next,
            Some(dir.path().join("backups/annals-2026-05-03.sqlite3"))
        );
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back_up(&path, day("2026-05-04")).ok(), Some(None));
    }

    #[test]
    fn a_damaged_database_opens_as_unusable_offering_the_newest_backup_which_restores_it() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("annals.sqlite3");
        {
            let db = seeded(&path);
            db.daily_backup(
                &annals_core::store::backup_dir(&path),
                "2026-05-02".parse().unwrap_or_else(|e| panic!("{e}")),
            )
            .unwrap_or_else(|e| panic!("{e}"));
        }
        let mut bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{e}"));
        let mid = bytes.len() / 2;
        bytes[mid..mid + 8192].fill(0x5A);
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{e}"));

        let state = AppState::open(path.clone());
        let err = state
            .shared()
            .err()
            .unwrap_or_else(|| panic!("opened a damaged database"));
        assert_eq!(err.kind, "database_unusable");
        let backup = dir.path().join("backups/annals-2026-05-02.sqlite3");
        assert!(
            err.message.contains(&backup.display().to_string()),
            "{}",
            err.message
        );
        assert_eq!(state.damaged_offer(), Some(backup.clone()));

        let restored = state
            .restore(&backup)
            .unwrap_or_else(|e| panic!("{}", e.message));
        assert_eq!(
            restored.kept,
            Some(dir.path().join("annals.damaged-1.sqlite3"))
        );
        assert_eq!(state.damaged_offer(), None);
        assert!(event_count(&state) > 0);
    }

    #[test]
    fn a_database_locked_at_start_opens_on_a_command_once_the_lock_is_gone() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("annals.sqlite3");
        drop(AppState::open(path.clone()));
        let holder = rusqlite::Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
        holder
            .execute_batch(
                "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;
                 INSERT INTO setting (key, value) VALUES ('held', '1');",
            )
            .unwrap_or_else(|e| panic!("{e}"));

        let state = AppState::open(path.clone());
        let count = || tauri::async_runtime::block_on(state.with_db(|db| db.event_count()));
        let err = count()
            .err()
            .unwrap_or_else(|| panic!("opened a database held exclusively"));
        assert_eq!(err.kind, "database_unusable");
        assert!(err.message.contains("is locked"), "{}", err.message);

        drop(holder);
        // The next command a busy timeout later opens it.
        std::thread::sleep(annals_core::store::BUSY_TIMEOUT);
        let events = count().unwrap_or_else(|e| panic!("{}", e.message));
        assert!(events > 0);
    }

    fn chmod(path: &Path, mode: u32) {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
            .unwrap_or_else(|e| panic!("{e}"));
    }

    // Tests run as root, whom file modes do not stop: the core goes by the
    // permission bits and opens with SQLITE_OPEN_READ_ONLY, so SQLite itself
    // refuses the write whoever runs the test.
    #[test]
    fn a_write_protected_database_opens_read_only_and_refuses_writes_saying_so() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("annals.sqlite3");
        drop(seeded(&path));
        chmod(&path, 0o444);
        let before = std::fs::read(&path).unwrap_or_else(|e| panic!("{e}"));

        let state = AppState::open(path.clone());
        assert_eq!(state.write_protection(), Some(WriteProtection::File));
        assert_eq!(event_count(&state), 21, "reads work");
        let refused = state
            .writable()
            .err()
            .unwrap_or_else(|| panic!("a read-only database is writable"));
        assert_eq!(refused.kind, "read_only");
        let delete = tauri::async_runtime::block_on(
            state.with_db(|db| db.delete_event(1, "2026-01-02T00:00:00Z")),
        );
        let err = delete
            .err()
            .unwrap_or_else(|| panic!("deleted from a read-only database"));
        assert_eq!(err.kind, "read_only", "{}", err.message);
        assert!(
            err.message.contains("read-only") && err.message.contains("nothing was changed"),
            "{}",
            err.message
        );
        drop(state);
        assert!(
            std::fs::read(&path).unwrap_or_default() == before,
            "the file changed"
        );
        // SQLite reads a WAL database through an -shm file beside it, which a
        // read-only connection leaves; its -wal holds nothing.
        let wal = dir.path().join("annals.sqlite3-wal");
        assert_eq!(std::fs::metadata(&wal).map_or(0, |m| m.len()), 0);
    }

    #[test]
    fn an_empty_database_in_a_write_protected_folder_opens_for_browsing_unseeded() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let folder = dir.path().join("shared");
        std::fs::create_dir(&folder).unwrap_or_else(|e| panic!("{e}"));
        let path = folder.join("annals.sqlite3");
        drop(Db::open(&path).unwrap_or_else(|e| panic!("{e}")));
        chmod(&folder, 0o555);
        let state = AppState::open(path);
        let why = state.write_protection();
        let events = state.shared().map(|_| event_count(&state));
        chmod(&folder, 0o755);
        assert_eq!(why, Some(WriteProtection::Folder));
        assert_eq!(
            events.map_err(|e| e.message),
            Ok(0),
            "not seeded, not refused"
        );
    }

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
