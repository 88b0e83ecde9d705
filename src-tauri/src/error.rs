//! The one error shape the UI receives: `{kind, message, field?}`.

use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export, rename = "CommandError")]
pub struct CommandError {
    /// One of: invalid, not_found, database_unusable, read_only, busy, internal, io, rejected, cancelled,
    /// not_granted (a path to import that the file dialog or a drop did not give).
    pub kind: String,
    pub message: String,
    /// For `invalid`, the form field at fault.
    pub field: Option<String>,
}

impl From<annals_core::Error> for CommandError {
    fn from(e: annals_core::Error) -> Self {
        CommandError {
            kind: e.kind().to_string(),
            message: e.to_string(),
            field: e.field().map(String::from),
        }
    }
}

impl CommandError {
    pub fn internal(message: impl Into<String>) -> Self {
        CommandError {
            kind: "internal".into(),
            message: message.into(),
            field: None,
        }
    }
}
