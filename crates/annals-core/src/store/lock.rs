//! Who has the database open, for the message of a database that stayed locked.
//!
//! SQLite says only "database is locked"; a person needs to know which program to
//! close. On Linux every process's open files are links under `/proc/<pid>/fd`, so
//! the processes holding the database (or its -wal or -shm file) can be named. This
//! lists the processes that have the file *open*, which includes idle readers as
//! well as the one holding the lock, and only those this user may inspect. On other
//! systems, or when none is found, the message says "another Annals or program".

use std::path::{Path, PathBuf};

/// A process that has the database file open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub pid: u32,
    /// The process's name (`/proc/<pid>/comm`), e.g. `annals-app`.
    pub name: String,
}

/// The other processes that have `path`, its -wal or its -shm file open; this
/// process is left out (its own connection always has the file open).
pub fn lock_holders(path: &Path) -> Vec<Holder> {
    if !cfg!(target_os = "linux") {
        return Vec::new();
    }
    let Ok(file) = path.canonicalize() else {
        return Vec::new();
    };
    let targets: Vec<PathBuf> = ["", "-wal", "-shm"]
        .iter()
        .map(|suffix| {
            let mut p = file.as_os_str().to_owned();
            p.push(suffix);
            PathBuf::from(p)
        })
        .collect();
    let me = std::process::id();
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let mut found: Vec<Holder> = procs
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&pid| pid != me)
        .filter(|pid| {
            std::fs::read_dir(format!("/proc/{pid}/fd")).is_ok_and(|fds| {
                fds.flatten().any(|fd| {
                    std::fs::read_link(fd.path()).is_ok_and(|link| targets.contains(&link))
                })
            })
        })
        .map(|pid| Holder {
            pid,
            name: std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .map(|n| n.trim_end().to_string())
                .unwrap_or_else(|_| "a program".into()),
        })
        .collect();
    found.sort_by_key(|h| h.pid);
    found
}

/// Who to blame, in words: "annals-app (process 4242)", several joined with
/// "or", else "another Annals or program".
pub fn describe_holders(path: &Path) -> String {
    let holders = lock_holders(path);
    if holders.is_empty() {
        return "another Annals or program".into();
    }
    let named: Vec<String> = holders
        .iter()
        .map(|h| format!("{} (process {})", h.name, h.pid))
        .collect();
    named.join(" or ")
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn a_process_with_the_file_open_is_named_with_its_pid() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("annals.sqlite3");
        std::fs::write(&path, b"x").unwrap();
        // `sleep` with the file as its standard input holds it open.
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .stdin(std::fs::File::open(&path).unwrap())
            .spawn()
            .unwrap();
        let holders = lock_holders(&path);
        let described = describe_holders(&path);
        let _ = child.kill();
        let _ = child.wait();
        assert_eq!(
            holders,
            [Holder {
                pid: child.id(),
                name: "sleep".into()
            }]
        );
        assert_eq!(described, format!("sleep (process {})", child.id()));
    }

    #[test]
    fn with_no_other_process_the_message_says_another_annals_or_program() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("annals.sqlite3");
        // This process's own handle does not count.
        let _mine = {
            std::fs::write(&path, b"x").unwrap();
            std::fs::File::open(&path).unwrap()
        };
        assert_eq!(lock_holders(&path), []);
        assert_eq!(describe_holders(&path), "another Annals or program");
    }
}
