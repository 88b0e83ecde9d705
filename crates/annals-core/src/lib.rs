//! Annals' core: the domain model, SQLite storage, the one query API the timeline,
//! list, filters and CLI share, and text extraction. Knows nothing of Tauri.
//!
//! No clock reads here: callers pass `now` and reference dates in.

pub mod article;
pub mod country;
pub mod dataset;
pub mod date;
pub mod error;
pub mod event;
pub mod export;
pub mod extract;
pub mod gazetteer;
pub mod import;
pub mod intake;
pub mod mission;
pub mod parallel;
pub mod query;
pub mod seed;
pub mod sentence;
pub mod store;
pub mod stories;
pub mod syntax;
pub mod synthetic;
pub mod timex;

pub use error::{Error, Result};
pub use store::Db;
