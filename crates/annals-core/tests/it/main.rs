//! Integration tests of annals-core: storage, events, queries and the seed, on
//! real SQLite files and in-memory databases.

mod aggregates;
mod datasets;
mod events;
mod export;
mod import;
mod pipeline;
mod query;
mod recorded;
mod review;
mod seed;
mod store;

use annals_core::event::{EventInput, EventKind, NewEvent};
use annals_core::Db;

pub const NOW: &str = "2026-01-01T00:00:00Z";

/// An in-memory database with the countries loaded.
pub fn db() -> Db {
    let mut db = Db::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
    annals_core::seed::ensure_countries(&mut db).unwrap_or_else(|e| panic!("{e}"));
    db
}

/// A seeded in-memory database.
pub fn seeded() -> Db {
    let mut db = db();
    annals_core::seed::seed(&mut db, NOW).unwrap_or_else(|e| panic!("{e}"));
    db
}

pub fn input(title: &str, date: &str, countries: &[&str]) -> EventInput {
    EventInput {
        title: title.into(),
        summary: String::new(),
        kind: EventKind::Other,
        date: date.parse().unwrap_or_else(|e| panic!("{e}")),
        city: None,
        country: None,
        mission_id: None,
        countries: countries.iter().map(|s| s.to_string()).collect(),
        background: false,
        planned: false,
    }
}

pub fn add(db: &mut Db, title: &str, date: &str, countries: &[&str]) -> i64 {
    db.create_event(NewEvent::manual(input(title, date, countries)), NOW)
        .unwrap_or_else(|e| panic!("{e}"))
        .id
}
