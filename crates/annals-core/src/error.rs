//! The one error type of the core crate.

use crate::date::DateError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// User input that cannot be accepted: a field and what is wrong with it.
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    #[error("{0}")]
    Date(#[from] DateError),
    #[error("no {what} with id {id}")]
    NotFound { what: &'static str, id: i64 },
    /// The file was written by a newer Annals; opening it could lose data.
    #[error("this database was written by a newer version of Annals (schema {found}, this build knows up to {supported}); update Annals to open it")]
    NewerSchema { found: i64, supported: i64 },
    /// The file is SQLite but not ours, or cannot be used for another reason
    /// (a folder it cannot be created in, a backup of another page size).
    #[error("{path} is not a usable Annals database: {reason}")]
    Unusable { path: String, reason: String },
    /// SQLite cannot read the file (a damaged header looks like no SQLite file at
    /// all), or a page is unreadable, or `quick_check` fails. A backup can
    /// replace it: see `store::latest_backup` and `store::restore_from`.
    #[error("{path} is not a usable Annals database: {reason}")]
    Damaged { path: String, reason: String },
    /// Another connection kept the database locked for the whole busy timeout.
    /// `holders` names the other processes that have the file open, or says
    /// that they could not be found.
    #[error("{path} is locked: {holders} kept it locked for {seconds} seconds; nothing was changed. Close it or wait for it to finish, then try again")]
    Locked {
        path: String,
        holders: String,
        seconds: u64,
    },
    /// A write to a database opened read-only because its file or folder is
    /// write-protected (or a read-only database that would need upgrading).
    #[error("the database file is read-only (check the permissions of the file and its folder); nothing was changed")]
    ReadOnly,
    /// The disk (or file system) that holds the database is full: SQLite rolled
    /// the write back, so the database is as it was before the command.
    #[error("the disk that holds the database is full; nothing was changed: free some space and try again")]
    DiskFull,
    /// Any other SQLite failure. Built through `From`, which turns SQLite's
    /// "attempt to write a readonly database" into `ReadOnly`.
    #[error("database error: {0}")]
    Sqlite(#[source] rusqlite::Error),
    #[error("{context}: {source}")]
    Io {
        context: String,
        source: std::io::Error,
    },
    #[error("bad data file {name}: {message}")]
    Data { name: &'static str, message: String },
    /// A file that cannot be imported as an article, and why.
    #[error("{0}")]
    Rejected(#[from] crate::intake::Rejection),
    /// The caller asked a long operation to stop; nothing was written.
    #[error("cancelled; nothing was written")]
    Cancelled,
    /// A dataset file that cannot be imported as it is (binary, no date column,
    /// a mapping that names a column the file lacks, rows that cannot be read):
    /// the message says what to fix; nothing of the file was written.
    #[error("{0}")]
    Dataset(String),
}

impl Error {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Error::Invalid {
            field,
            message: message.into(),
        }
    }

    /// A short, stable name for the kind of failure; the UI switches on it.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Invalid { .. } | Error::Date(_) => "invalid",
            Error::NotFound { .. } => "not_found",
            Error::NewerSchema { .. } | Error::Unusable { .. } | Error::Damaged { .. } => {
                "database_unusable"
            }
            Error::Locked { .. } => "busy",
            Error::ReadOnly => "read_only",
            Error::Sqlite(e) if is_busy(e) => "busy",
            Error::Sqlite(_) | Error::Data { .. } => "internal",
            Error::Io { .. } | Error::DiskFull => "io",
            Error::Rejected(_) | Error::Dataset(_) => "rejected",
            Error::Cancelled => "cancelled",
        }
    }

    /// A busy error on the database at `path` becomes [`Error::Locked`], naming
    /// the processes that have the file open (`store::lock_holders`); any other
    /// error is returned as it is. The front ends call this at their boundary,
    /// where they know which database they were working on.
    pub fn at_database(self, path: &std::path::Path) -> Error {
        match self {
            Error::Sqlite(e) if is_busy(&e) => Error::Locked {
                path: path.display().to_string(),
                holders: crate::store::describe_holders(path),
                seconds: crate::store::BUSY_TIMEOUT.as_secs(),
            },
            other => other,
        }
    }

    /// For `Invalid`, the field the user must fix.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Error::Invalid { field, .. } => Some(field),
            Error::Date(_) => Some("date"),
            _ => None,
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        if is_disk_full(&e) {
            Error::DiskFull
        } else if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ReadOnly) {
            Error::ReadOnly
        } else {
            Error::Sqlite(e)
        }
    }
}

/// Whether SQLite failed for want of disk space: SQLITE_FULL, or (on opening a
/// WAL database) SQLITE_IOERR_SHMSIZE, which is how SQLite says it could not
/// allocate the -shm file beside the database: on a full disk, the first write
/// that fails. (Measured on a full tmpfs: opening reported "disk I/O error".)
pub(crate) fn is_disk_full(e: &rusqlite::Error) -> bool {
    match e {
        rusqlite::Error::SqliteFailure(f, _) => {
            f.code == rusqlite::ErrorCode::DiskFull
                || f.extended_code == rusqlite::ffi::SQLITE_IOERR_SHMSIZE
        }
        _ => false,
    }
}

pub(crate) fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
