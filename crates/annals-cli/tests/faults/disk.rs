//! The CLI on a full disk, in a write-protected folder and over a damaged file:
//! each time a message that says what happened, exit 1, no panic, and nothing
//! that was there before lost.
//!
//! The full disk is real: a 4 MiB tmpfs mounted in a mount namespace of its own
//! (`unshare`: as root directly, otherwise in a user namespace, so no privileges
//! are needed), so the database meets ENOSPC from the kernel on its WAL, its
//! -shm and its daily backup, as it would on a full partition. (A file-size
//! rlimit gives EFBIG and SIGXFSZ, which SQLite reports as an I/O error, not a
//! full disk; `max_page_count`, which the core's tests use, never reaches the
//! file system.) The mount lives only as long as the namespace, so the whole
//! scenario runs in one shell script there and copies what it saw out.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const TODAY: &str = "2026-01-01";
const FULL: &str =
    "the disk that holds the database is full; nothing was changed: free some space and try again";

fn annals(db: &Path, args: &[&str], today: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(args)
        .arg("--db")
        .arg(db)
        .env_remove("ANNALS_DB")
        .env("ANNALS_TODAY", today)
        .output()
        .unwrap_or_else(|e| panic!("{e}"))
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn seeded(dir: &Path) -> PathBuf {
    let db = dir.join("annals.sqlite3");
    let out = annals(&db, &["seed"], TODAY);
    assert!(out.status.success(), "{}", text(&out.stderr));
    db
}

fn event_count(db: &Path) -> usize {
    let out = annals(db, &["list", "--format", "json"], TODAY);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    v.as_array().map_or(0, Vec::len)
}

/// An article of about 100 KB whose extraction costs little: a few sentences
/// of very long words.
fn big_article(dir: &Path, n: usize) -> PathBuf {
    let word: String = "abcdefghij".repeat(200);
    let filler: Vec<&str> = std::iter::repeat_n(word.as_str(), 50).collect();
    let p = dir.join(format!("big{n}.txt"));
    let body = format!(
        "Archive number {n}\n\nPolice arrested five men in Seoul on May 8, 2002, officials said.\n\n{}\n",
        filler.join(" ")
    );
    std::fs::write(&p, body).unwrap_or_else(|e| panic!("{e}"));
    p
}

/// Runs `script` with `sh` in a mount namespace of its own.
fn in_mount_namespace(script: &Path) -> Output {
    let root = std::env::var("USER").is_ok_and(|u| u == "root")
        || std::fs::read_to_string("/proc/self/status").is_ok_and(|s| {
            s.lines()
                .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
        });
    let mut cmd = Command::new("unshare");
    if !root {
        cmd.args(["--user", "--map-root-user"]);
    }
    cmd.arg("--mount")
        .arg("sh")
        .arg(script)
        .output()
        .unwrap_or_else(|e| panic!("unshare (util-linux) is needed for the full-disk test: {e}"))
}

#[test]
fn on_a_full_disk_import_and_add_exit_1_saying_the_disk_is_full_then_work_once_there_is_room() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let src = seeded(dir.path());
    let (a, b) = (big_article(dir.path(), 1), big_article(dir.path(), 2));
    let (mnt, out) = (dir.path().join("mnt"), dir.path().join("out"));
    std::fs::create_dir_all(&mnt).unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir_all(&out).unwrap_or_else(|e| panic!("{e}"));
    let script = dir.path().join("full.sh");
    std::fs::write(
        &script,
        format!(
            r#"set -u
M='{mnt}'; O='{out}'; DB="$M/annals.sqlite3"
mount -t tmpfs -o size=4m none "$M" || {{ echo "cannot mount a tmpfs" >&2; exit 99; }}
cp '{src}' "$DB"
# Leave 64 KiB: the database opens, today's backup and the articles do not fit.
avail=$(df -k --output=avail "$M" | tail -1)
head -c $(( (avail - 64) * 1024 )) /dev/zero > "$M/filler"
run() {{ name=$1; shift; ANNALS_TODAY={TODAY} '{bin}' "$@" --db "$DB" > "$O/$name.out" 2> "$O/$name.err"; echo $? > "$O/$name.code"; }}
run import import '{a}' '{b}'
# Every byte left taken: the next command cannot even open the database.
cat /dev/zero > "$M/filler2" 2>/dev/null
run add add --title 'Typed on a full disk' --date 2002-05-08
rm -f "$M/filler" "$M/filler2"
run list list --format json
run again import '{a}' '{b}'
ls -a "$M" "$M/backups" > "$O/files" 2>&1
cp "$DB" "$O/after.sqlite3"
"#,
            mnt = mnt.display(),
            out = out.display(),
            src = src.display(),
            bin = env!("CARGO_BIN_EXE_annals"),
            a = a.display(),
            b = b.display(),
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let ran = in_mount_namespace(&script);
    assert!(
        ran.status.success(),
        "the full-disk script failed: {}",
        text(&ran.stderr)
    );
    let read = |name: &str| {
        std::fs::read_to_string(out.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let code = |name: &str| read(&format!("{name}.code")).trim().to_string();

    // The import: each article skipped saying why, the backup a warning.
    assert_eq!(
        code("import"),
        "1",
        "{}{}",
        read("import.out"),
        read("import.err")
    );
    for f in ["big1.txt", "big2.txt"] {
        assert!(
            read("import.out").contains(&format!("{f}: skipped: {FULL}")),
            "{}",
            read("import.out")
        );
    }
    assert!(
        read("import.err").contains("today's backup was not written")
            && read("import.err").contains("cannot write the copy: the disk is full"),
        "{}",
        read("import.err")
    );
    // The edit: refused with the same message (SQLite cannot make its -shm).
    assert_eq!(code("add"), "1", "{}{}", read("add.out"), read("add.err"));
    assert_eq!(read("add.err").trim(), format!("annals: {FULL}"));
    for name in ["import", "add", "list", "again"] {
        assert!(
            !read(&format!("{name}.err")).contains("panicked"),
            "{}",
            read(&format!("{name}.err"))
        );
    }
    // Nothing that was there is lost, and with room again the import goes through.
    assert_eq!(code("list"), "0", "{}", read("list.err"));
    let listed: serde_json::Value =
        serde_json::from_str(&read("list.out")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        listed.as_array().map(Vec::len),
        Some(21),
        "the seed's events"
    );
    assert_eq!(
        code("again"),
        "0",
        "{}{}",
        read("again.out"),
        read("again.err")
    );
    assert!(
        read("again.out").contains("imported 2 of 2"),
        "{}",
        read("again.out")
    );
    // A half-written backup was not left to hold the space.
    assert!(!read("files").contains(".partial"), "{}", read("files"));
    let conn =
        rusqlite::Connection::open(out.join("after.sqlite3")).unwrap_or_else(|e| panic!("{e}"));
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ok, "ok");
}

#[test]
fn in_a_write_protected_folder_import_and_add_exit_1_saying_read_only_and_no_file_changes() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let folder = dir.path().join("shared");
    std::fs::create_dir(&folder).unwrap_or_else(|e| panic!("{e}"));
    let db = seeded(&folder);
    let article = big_article(dir.path(), 1);
    let snapshot = || {
        let mut v: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&folder)
            .unwrap_or_else(|e| panic!("{e}"))
            .flatten()
            .map(|e| (e.path(), std::fs::read(e.path()).unwrap_or_default()))
            .collect();
        v.sort();
        v
    };
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555))
        .unwrap_or_else(|e| panic!("{e}"));
    let before = snapshot();
    let import = annals(
        &db,
        &["import", &article.display().to_string()],
        "2026-01-02",
    );
    let add = annals(
        &db,
        &[
            "add",
            "--title",
            "Typed in a shared folder",
            "--date",
            "2002-05-08",
        ],
        "2026-01-02",
    );
    let count = event_count(&db);
    let after = snapshot();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(import.status.code(), Some(1), "{}", text(&import.stdout));
    assert!(
        text(&import.stdout).contains(
            "big1.txt: skipped: the database file is read-only (check the permissions of the file and its folder); nothing was changed"
        ),
        "{}",
        text(&import.stdout)
    );
    assert_eq!(add.status.code(), Some(1));
    assert_eq!(
        text(&add.stderr).trim(),
        "annals: the database file is read-only (check the permissions of the file and its folder); nothing was changed"
    );
    for out in [&import, &add] {
        assert!(
            !text(&out.stderr).contains("panicked"),
            "{}",
            text(&out.stderr)
        );
    }
    assert_eq!(count, 21, "the seed's events are all listed");
    assert!(
        after == before,
        "a file in the write-protected folder changed"
    );
}

#[test]
fn a_damaged_page_is_refused_with_exit_1_and_the_backups_are_kept_to_restore_from() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = seeded(dir.path());
    // A write on day one leaves that day's backup.
    let out = annals(
        &db,
        &["add", "--title", "Typed on day one", "--date", "2002-05-08"],
        "2026-01-01",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let backup = dir.path().join("backups/annals-2026-01-01.sqlite3");
    let saved = std::fs::read(&backup).unwrap_or_else(|e| panic!("{}: {e}", backup.display()));
    let (root, page_size): (i64, i64) = {
        let conn = rusqlite::Connection::open(&db).unwrap_or_else(|e| panic!("{e}"));
        let root = conn
            .query_row(
                "SELECT rootpage FROM sqlite_schema WHERE name = 'event'",
                [],
                |r| r.get(0),
            )
            .unwrap_or_else(|e| panic!("{e}"));
        let size = conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .unwrap_or_else(|e| panic!("{e}"));
        (root, size)
    };
    let mut bytes = std::fs::read(&db).unwrap_or_else(|e| panic!("{e}"));
    let at = usize::try_from((root - 1) * page_size).unwrap_or(0);
    for (i, b) in bytes[at..at + usize::try_from(page_size).unwrap_or(0)]
        .iter_mut()
        .enumerate()
    {
        *b = (i * 13 % 241) as u8;
    }
    std::fs::write(&db, &bytes).unwrap_or_else(|e| panic!("{e}"));
    // On day two: every command refuses it, saying so; no backup of the damaged
    // file pushes out the good ones.
    for args in [
        vec!["list"],
        vec!["add", "--title", "Typed on day two", "--date", "2002-05-09"],
    ] {
        let out = annals(&db, &args, "2026-01-02");
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = text(&out.stderr);
        assert!(
            err.starts_with(&format!(
                "annals: {} is not a usable Annals database: the file is damaged",
                db.display()
            )) && err.contains("it was left as it is"),
            "{err}"
        );
        // It offers the backup, with the command that restores it.
        assert!(
            err.contains(&format!(
                "the latest good backup is {}; restore it with:\n  annals restore --db {} {}",
                backup.display(),
                db.display(),
                backup.display()
            )),
            "{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
    assert!(
        std::fs::read(&db).unwrap_or_default() == bytes,
        "the damaged file was changed"
    );
    let backups: Vec<String> = std::fs::read_dir(dir.path().join("backups"))
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(backups, ["annals-2026-01-01.sqlite3"]);
    assert!(
        std::fs::read(&backup).unwrap_or_default() == saved,
        "the backup changed"
    );
    // The backup brings the work back.
    let out = annals(
        &db,
        &["restore", &backup.display().to_string()],
        "2026-01-02",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        event_count(&db),
        21,
        "the seed's events, as the backup of day one holds them"
    );
}
