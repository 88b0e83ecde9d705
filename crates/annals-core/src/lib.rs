//! Annals' core: the domain model, SQLite storage, the one query API the timeline,
//! list, filters and CLI share, and text extraction. Knows nothing of Tauri.
//!
//! No clock reads here: callers pass `now` and reference dates in.

pub mod date;
pub mod timex;
