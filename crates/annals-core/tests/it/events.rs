use annals_core::event::{EventKind, NewEvent, Status};
use annals_core::query::EventFilter;

use crate::{add, db, input, seeded, NOW};

#[test]
fn an_event_is_stored_with_its_precision_and_derived_text() {
    let mut db = db();
    let id = add(&mut db, "Entry", "2002-05", &["JP", "kp"]);
    let e = db
        .event(id)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("missing"));
    assert_eq!(e.date.to_string(), "2002-05");
    assert_eq!(e.date_text, "May 2002");
    assert_eq!(e.countries, ["JP", "KP"]);
    assert_eq!(e.status, Status::Accepted);
}

#[test]
fn unknown_countries_and_missions_are_refused_and_nothing_is_written() {
    let mut db = db();
    let err = db
        .create_event(NewEvent::manual(input("x", "2002", &["XX"])), NOW)
        .unwrap_err();
    assert_eq!(err.field(), Some("countries"));
    let mut bad = input("x", "2002", &[]);
    bad.mission_id = Some(999);
    assert_eq!(
        db.create_event(NewEvent::manual(bad), NOW)
            .unwrap_err()
            .field(),
        Some("mission")
    );
    assert_eq!(db.event_count().unwrap_or(-1), 0);
}

#[test]
fn a_batch_with_one_bad_event_writes_none() {
    let mut db = db();
    let good = NewEvent::manual(input("good", "2002", &["JP"]));
    let bad = NewEvent::manual(input("bad", "2002", &["ZZ"]));
    assert!(db.create_events(vec![good, bad], NOW).is_err());
    assert_eq!(db.event_count().unwrap_or(-1), 0);
}

#[test]
fn an_update_replaces_fields_and_keeps_a_revision() {
    let mut db = db();
    let id = add(&mut db, "Entry", "2002-05-08", &["JP"]);
    let mut changed = input("Entry into the consulate", "2002-05-09", &["CN"]);
    changed.kind = EventKind::Entry;
    let e = db
        .update_event(id, changed, "2026-01-02T00:00:00Z")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(e.title, "Entry into the consulate");
    assert_eq!(e.date_text, "9 May 2002");
    assert_eq!(e.countries, ["CN"]);
    assert_eq!(e.updated_at, "2026-01-02T00:00:00Z");
    assert_eq!(e.created_at, NOW);
    assert_eq!(db.revision_count(id).unwrap_or_default(), 1);
    // The index follows the edit.
    let hits = db.list(
        &EventFilter {
            text: Some("consulate".into()),
            ..Default::default()
        },
        0,
        10,
    );
    assert_eq!(hits.map(|p| p.total).unwrap_or_default(), 1);
}

#[test]
fn updating_a_missing_event_is_not_found() {
    let mut db = db();
    let err = db
        .update_event(42, input("x", "2002", &[]), NOW)
        .unwrap_err();
    assert_eq!(err.kind(), "not_found");
}

#[test]
fn delete_then_restore_brings_back_the_same_event_with_its_sources() {
    let mut db = seeded();
    let first = db
        .list(&EventFilter::default(), 0, 100)
        .unwrap_or_else(|e| panic!("{e}"));
    let target = first
        .events
        .iter()
        .find(|e| e.date_text == "8 May 2002")
        .cloned();
    let target = target.unwrap_or_else(|| panic!("no 8 May event"));
    let token = db
        .delete_event(target.id, NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(db.event(target.id).ok().flatten().is_none());
    let hidden = db.list(
        &EventFilter {
            text: Some("Japanese".into()),
            ..Default::default()
        },
        0,
        100,
    );
    assert!(hidden
        .unwrap_or_else(|e| panic!("{e}"))
        .events
        .iter()
        .all(|e| e.id != target.id));
    let back = db
        .restore_event(token, NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back.id, target.id);
    assert_eq!(back.title, target.title);
    assert_eq!(back.date, target.date);
    assert_eq!(back.countries, target.countries);
    assert_eq!(back.mission_id, target.mission_id);
    assert_eq!(back.sources, target.sources);
    assert_eq!(back.status, target.status);
    assert!(
        db.restore_event(token, NOW).is_err(),
        "restoring twice must fail"
    );
}

#[test]
fn hostile_text_is_stored_verbatim() {
    let mut db = db();
    let title = "<img src=x onerror=alert(1)>";
    let id = add(&mut db, title, "2002-05-08", &[]);
    assert_eq!(
        db.event(id).ok().flatten().map(|e| e.title),
        Some(title.to_string())
    );
    // FTS syntax in a search is taken as words, not as a query language.
    let page = db.list(
        &EventFilter {
            text: Some("\"img\" OR NEAR(".into()),
            ..Default::default()
        },
        0,
        10,
    );
    assert_eq!(page.map(|p| p.total).unwrap_or(99), 0);
    let page = db.list(
        &EventFilter {
            text: Some("onerror".into()),
            ..Default::default()
        },
        0,
        10,
    );
    assert_eq!(page.map(|p| p.total).unwrap_or(0), 1);
}
