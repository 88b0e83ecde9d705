//! What the shell does natively, outside the page: one app per database, the log
//! file, the dialog offering a backup for a damaged database. The real binary is
//! launched directly (no WebDriver), on a private D-Bus session bus (where the
//! single-instance plugin finds the running app on Linux) and a private data
//! folder (where the log goes); native dialogs are answered with xdotool.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{app_binary, Res, Workspace};

/// Processes this test started, stopped with SIGTERM when it ends however it ends.
struct Started(Vec<Child>);

impl Drop for Started {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = Command::new("kill").arg(child.id().to_string()).status();
            let _ = child.wait();
        }
    }
}

/// A D-Bus session bus of this test's own; its address.
fn session_bus(started: &mut Started) -> Res<String> {
    use std::io::BufRead;
    let mut daemon = Command::new("dbus-daemon")
        .args(["--session", "--nofork", "--print-address=1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start dbus-daemon (apt install dbus): {e}"))?;
    let stdout = daemon.stdout.take().ok_or("no dbus-daemon output")?;
    started.0.push(daemon);
    let mut address = String::new();
    std::io::BufReader::new(stdout).read_line(&mut address)?;
    let address = address.trim().to_string();
    if address.is_empty() {
        return Err("dbus-daemon printed no address".into());
    }
    Ok(address)
}

fn launch(db: &Path, data: &Path, bus: &str) -> Res<Child> {
    if std::env::var_os("DISPLAY").is_none_or(|d| d.is_empty()) {
        return Err("no DISPLAY: run `make e2e`, which starts Xvfb".into());
    }
    Ok(Command::new(app_binary())
        .env("ANNALS_DB", db)
        .env("XDG_DATA_HOME", data)
        .env("DBUS_SESSION_BUS_ADDRESS", bus)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?)
}

fn log_file(data: &Path) -> PathBuf {
    data.join("org.annals.desktop/logs/annals.log")
}

/// Waits until the log holds `line`; the log's text.
fn wait_for_log(data: &Path, line: &str) -> Res<String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let text = std::fs::read_to_string(log_file(data)).unwrap_or_default();
        if text.contains(line) {
            return Ok(text);
        }
        if Instant::now() > deadline {
            return Err(format!("the log never said `{line}`; it holds:\n{text}").into());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_second_launch_on_the_same_database_exits_and_the_first_keeps_running_logging_it() -> Res {
    let ws = Workspace::new()?;
    let data = ws.path("data");
    let mut started = Started(Vec::new());
    let bus = session_bus(&mut started)?;

    started.0.push(launch(&ws.db(), &data, &bus)?);
    let log = wait_for_log(&data, &format!("opened {}", ws.db().display()))?;
    assert!(log.contains("Annals 0.1.0 started"), "{log}");

    let mut second = launch(&ws.db(), &data, &bus)?;
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = second.try_wait()? {
            break status;
        }
        if Instant::now() > deadline {
            started.0.push(second);
            return Err("the second launch did not exit".into());
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "the second launch exited with {status}");
    wait_for_log(&data, "a second launch was sent to this window")?;
    let first = started.0.last_mut().ok_or("first app gone")?;
    assert!(first.try_wait()?.is_none(), "the first app stopped");

    // Another database is another timeline: it gets a window of its own.
    let other = ws.path("other.sqlite3");
    started.0.push(launch(&other, &data, &bus)?);
    wait_for_log(&data, &format!("opened {}", other.display()))?;
    std::thread::sleep(Duration::from_millis(500));
    for app in started.0.iter_mut().skip(1) {
        assert!(app.try_wait()?.is_none(), "an app stopped");
    }
    Ok(())
}

/// The id of the first window whose name matches `pattern`, once there is one.
/// Polled: a search can fail while other windows come and go (BadWindow).
fn find_window(pattern: &str) -> Res<String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let found = Command::new("xdotool")
            .args(["search", "--name", pattern])
            .output()
            .map_err(|e| format!("cannot run xdotool (apt install xdotool): {e}"))?;
        if let Some(id) = String::from_utf8_lossy(&found.stdout).lines().next() {
            return Ok(id.to_string());
        }
        if Instant::now() > deadline {
            return Err(format!("no window named {pattern} appeared").into());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Waits for the window named `pattern`, gives it the keyboard and presses `keys`
/// (xdotool key names), typing `text` first when given.
fn in_window(pattern: &str, text: Option<&str>, keys: &[&str]) -> Res {
    let window = find_window(pattern)?;
    let ok = |status: std::process::ExitStatus| -> Res {
        if status.success() {
            Ok(())
        } else {
            Err(format!("xdotool failed in {pattern}").into())
        }
    };
    ok(Command::new("xdotool")
        .args(["windowfocus", "--sync", &window])
        .status()?)?;
    if let Some(text) = text {
        ok(Command::new("xdotool")
            .args(["key", "ctrl+a", "type", "--delay", "10", text])
            .status()?)?;
    }
    for key in keys {
        ok(Command::new("xdotool").args(["key", key]).status()?)?;
    }
    Ok(())
}

/// Chooses the item `id` of the File menu: F10 opens it with no item
/// highlighted, each Down moves one item.
fn file_menu(id: &str) -> Res {
    let n = annals_app::menu::file_menu_position(id)
        .ok_or_else(|| format!("no File menu item {id}"))?;
    let mut keys = vec!["F10"];
    keys.extend(std::iter::repeat_n("Down", n));
    keys.push("Return");
    in_window("^Annals$", None, &keys)
}

/// Writes 0x5A over 8 KiB in the middle of a closed database file.
fn damage_pages(path: &Path) -> Res {
    let mut bytes = std::fs::read(path)?;
    let mid = bytes.len() / 2;
    bytes[mid..mid + 8192].fill(0x5A);
    std::fs::write(path, bytes)?;
    Ok(())
}

#[test]
fn a_damaged_database_at_start_offers_its_newest_backup_and_restores_it() -> Res {
    let ws = Workspace::new()?;
    let data = ws.path("data");
    let db_path = ws.db();
    {
        let mut db = annals_core::Db::open(&db_path)?;
        annals_core::seed::seed(&mut db, "2026-05-02T08:00:00Z")?;
        db.daily_backup(
            &annals_core::store::backup_dir(&db_path),
            "2026-05-02".parse()?,
        )?;
    }
    damage_pages(&db_path)?;
    let damaged = std::fs::read(&db_path)?;

    let mut started = Started(Vec::new());
    let bus = session_bus(&mut started)?;
    started.0.push(launch(&db_path, &data, &bus)?);
    // Its first button, the default, is Restore Backup.
    in_window("^Damaged Database$", None, &["Return"])?;

    let backup = ws.path("backups/annals-2026-05-02.sqlite3");
    let log = wait_for_log(&data, "restored ")?;
    assert!(log.contains(&format!("from {}", backup.display())), "{log}");
    let kept = ws.path("annals.damaged-1.sqlite3");
    assert!(
        std::fs::read(&kept)? == damaged,
        "the damaged file was not kept as it was"
    );
    wait_for_log(&data, &format!("opened {}", db_path.display()))?;
    drop(started);
    let db = annals_core::Db::open(&db_path)?;
    assert_eq!(db.event_count()?, 21);
    Ok(())
}

#[test]
fn file_back_up_then_file_restore_bring_the_timeline_back_and_keep_the_replaced_database() -> Res {
    let ws = Workspace::new()?;
    let data = ws.path("data");
    let db_path = ws.db();
    let mut started = Started(Vec::new());
    let bus = session_bus(&mut started)?;
    started.0.push(launch(&db_path, &data, &bus)?);
    wait_for_log(&data, &format!("opened {}", db_path.display()))?;

    // File › Back Up…, a file name, Save, then OK.
    let copy = ws.path("manual.sqlite3");
    let copy_text = copy.to_string_lossy().into_owned();
    file_menu("back-up")?;
    in_window("^Back Up the Timeline$", Some(&copy_text), &["Return"])?;
    in_window("^Backed Up$", None, &["Return"])?;
    wait_for_log(&data, &format!("to {copy_text}"))?;

    // A change after the backup, made by the command line beside the app.
    let added = Command::new(crate::harness::cli_binary())
        .args([
            "add",
            "--title",
            "After the backup",
            "--date",
            "2002-05-09",
            "--db",
        ])
        .arg(&db_path)
        .output()?;
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    assert_eq!(annals_core::Db::open(&db_path)?.event_count()?, 22);

    // File › Restore…, the backup, Restore, then OK.
    file_menu("restore")?;
    in_window("^Restore the Timeline from a Backup$", None, &["ctrl+l"])?;
    in_window(
        "^Restore the Timeline from a Backup$",
        Some(&copy_text),
        &["Return"],
    )?;
    in_window("^Restore from Backup$", None, &["Return"])?;
    in_window("^Restored$", None, &["Return"])?;
    wait_for_log(&data, &format!("from {copy_text}"))?;

    assert_eq!(annals_core::Db::open(&db_path)?.event_count()?, 21);
    let kept = ws.path("annals.replaced-1.sqlite3");
    assert_eq!(annals_core::Db::open(&kept)?.event_count()?, 22);
    Ok(())
}
