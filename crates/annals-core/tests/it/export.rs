//! Export: every format written from a real database and read back by a real
//! reader: CSV by our own importer (the same events come back), iCalendar and
//! GeoJSON by independent parsers, TimelineJS by our TimelineJS importer,
//! TimeML checked against the article's text.

use std::io::BufReader;

use annals_core::event::{Event, EventInput, EventKind, NewEvent, Status};
use annals_core::export::{self, Format};
use annals_core::query::EventFilter;
use annals_core::Db;

use crate::datasets::import_path;
use crate::{db, seeded, NOW};

fn text(db: &Db, filter: &EventFilter, format: Format) -> (String, export::Summary) {
    let mut out = Vec::new();
    let summary = export::write(db, filter, format, NOW, &mut out, &mut |_| {})
        .unwrap_or_else(|e| panic!("{e}"));
    (String::from_utf8(out).expect("exports are UTF-8"), summary)
}

fn all(db: &Db) -> Vec<Event> {
    db.list(&EventFilter::default(), 0, 10_000)
        .expect("the database answers")
        .events
}

/// The seed, a dataset with coordinates, and events that try every corner of
/// the formats: ranges, approximate years, minutes, years before the common
/// era, markup, formulas, quotes, line breaks, a proposal, background and
/// planned flags.
fn corners() -> Db {
    let mut db = seeded();
    let out = crate::datasets::import(&mut db, "incidents.csv");
    assert_eq!(out.skipped, 0, "{out:?}");
    let mission = db.missions().expect("the database answers")[0].id;
    let mut add = |title: &str, date: &str, f: &dyn Fn(&mut EventInput)| {
        let mut input = crate::input(title, date, &[]);
        f(&mut input);
        db.create_event(NewEvent::manual(input), NOW)
            .unwrap_or_else(|e| panic!("{e}"))
            .id
    };
    add(
        "<script>alert('x')</script> & co",
        "2002-05-08T15:30",
        &|i| {
            i.summary = "First line, with \"quotes\";\nsecond line\\ end".into();
            i.kind = EventKind::Statement;
            i.city = Some("Tokyo".into());
            i.country = Some("JP".into());
            i.countries = vec!["JP".into(), "CN".into()];
        },
    );
    add("=HYPERLINK(\"http://evil\")", "1961~", &|i| {
        i.background = true;
        i.countries = vec!["KP".into()];
    });
    add("Caesar crosses the Rubicon", "-0048-01-10", &|_| {});
    add("War years", "1950-06-25/1953-07-27", &|i| {
        i.kind = EventKind::Conflict;
        i.country = Some("KR".into());
        i.countries = vec!["KP".into(), "KR".into()];
    });
    add("Talks due", "2002-06", &|i| {
        i.planned = true;
        i.kind = EventKind::Meeting;
        i.mission_id = Some(mission);
    });
    let proposed = add("A proposal", "2002-05-09", &|_| {});
    db.set_status(proposed, Status::Proposed, NOW)
        .expect("the status is set");
    db
}

/// What a CSV round trip must keep of an event.
fn essence(e: &Event) -> String {
    format!(
        "{} | {} | {:?} | {} | {:?} | {:?} | {:?} | {:?} | {:?} | {} | {} | {:?}",
        e.title,
        e.date,
        e.precision,
        e.kind.as_str(),
        e.city,
        e.country,
        e.countries,
        e.mission_name,
        e.status,
        e.background,
        e.planned,
        e.summary,
    )
}

#[test]
fn csv_exported_and_imported_into_another_database_gives_the_same_events() {
    let from = corners();
    let (csv, summary) = text(&from, &EventFilter::default(), Format::Csv);
    let events = all(&from);
    assert_eq!(summary.events as usize, events.len());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("timeline.csv");
    std::fs::write(&path, &csv).unwrap();

    // The other database knows the same missions (they are matched by name).
    let mut to = db();
    for m in from.missions().unwrap() {
        to.ensure_mission(m.kind, &m.sending_country, &m.host_country, &m.city)
            .unwrap();
    }
    let out = import_path(&mut to, path.clone());
    assert_eq!((out.imported, out.skipped), (1, 0), "{out:?}");
    assert_eq!(out.events, events.len());
    let back = all(&to);
    let want: Vec<String> = events.iter().map(essence).collect();
    let got: Vec<String> = back.iter().map(essence).collect();
    assert_eq!(got, want);
    // Coordinates come back too.
    let with_coords = |db: &Db, es: &[Event]| -> Vec<(Option<f64>, Option<f64>)> {
        es.iter()
            .map(|e| {
                db.dataset_source(e.id)
                    .unwrap()
                    .map_or((None, None), |d| (d.lat, d.lon))
            })
            .collect()
    };
    assert_eq!(with_coords(&to, &back), with_coords(&from, &events));
    // And a second import of the same file adds nothing.
    let again = import_path(&mut to, path);
    assert_eq!((again.events, again.duplicates), (0, 1), "{again:?}");
}

#[test]
fn csv_keeps_formulas_from_running_in_a_spreadsheet() {
    let (csv, _) = text(&corners(), &EventFilter::default(), Format::Csv);
    assert!(
        csv.contains(",\"'=HYPERLINK(\"\"http://evil\"\")\","),
        "{csv}"
    );
    assert!(!csv.contains(",=HYPERLINK"));
}

#[test]
fn export_writes_only_what_the_filter_selects_in_chronological_order() {
    let db = corners();
    let filter = EventFilter {
        countries: vec!["JP".into()],
        ..EventFilter::default()
    };
    let want: Vec<i64> = db
        .list(&filter, 0, 10_000)
        .unwrap()
        .events
        .iter()
        .map(|e| e.id)
        .collect();
    assert!(want.len() > 3 && want.len() < all(&db).len());
    let (json, summary) = text(&db, &filter, Format::Json);
    let doc: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(doc["count"], want.len());
    let got: Vec<i64> = doc["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    assert_eq!(got, want);
    assert_eq!(summary.events as usize, want.len());
    assert_eq!(summary.bytes as usize, json.len());
    // JSON events are the app's own, with coordinates and dataset origin.
    let with_place = doc["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["dataset"]["row_id"] == "sy-1")
        .expect("the dataset row is exported");
    assert_eq!(with_place["lat"], 41.8057);
    assert_eq!(with_place["sources"], serde_json::json!([]));
}

#[test]
fn icalendar_parses_with_an_independent_reader_and_dates_follow_the_rfc() {
    let db = corners();
    let (ics, summary) = text(&db, &EventFilter::default(), Format::Ical);
    // Caesar's year cannot be a calendar date.
    assert_eq!(summary.left_out, 1);
    assert_eq!(summary.events as usize, all(&db).len() - 1);
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
    }
    assert!(!ics.replace("\r\n", "").contains('\n'), "bare line feeds");
    let mut parser = ical::IcalParser::new(BufReader::new(ics.as_bytes()));
    let cal = parser.next().expect("one calendar").expect("it parses");
    assert!(parser.next().is_none());
    assert_eq!(cal.events.len() as u64, summary.events);
    let prop = |e: &ical::parser::ical::component::IcalEvent, name: &str| -> Option<String> {
        e.properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
    };
    let find = |title: &str| {
        cal.events
            .iter()
            .find(|e| prop(e, "SUMMARY").is_some_and(|s| s.starts_with(title)))
            .unwrap_or_else(|| panic!("no VEVENT {title}"))
    };
    for e in &cal.events {
        for required in ["UID", "DTSTAMP", "DTSTART"] {
            assert!(prop(e, required).is_some(), "{required} missing");
        }
    }
    // A range of days: all-day, DTEND the day after its last day.
    let war = find("War years");
    assert_eq!(prop(war, "DTSTART").as_deref(), Some("19500625"));
    assert_eq!(prop(war, "DTEND").as_deref(), Some("19530728"));
    // A month: its first day to the first of the next.
    let talks = find("Talks due");
    assert_eq!(prop(talks, "DTSTART").as_deref(), Some("20020601"));
    assert_eq!(prop(talks, "DTEND").as_deref(), Some("20020701"));
    // A minute: a floating local time; text escaped as the RFC says.
    let tokyo = find("<script>");
    assert_eq!(prop(tokyo, "DTSTART").as_deref(), Some("20020508T153000"));
    assert_eq!(prop(tokyo, "LOCATION").as_deref(), Some("Tokyo\\, Japan"));
    assert!(prop(tokyo, "DESCRIPTION")
        .unwrap()
        .starts_with("First line\\, with \"quotes\"\\;\\nsecond line\\\\ end"));
    // Review status, coordinates, the dataset's URL.
    assert_eq!(
        prop(find("A proposal"), "STATUS").as_deref(),
        Some("TENTATIVE")
    );
    let sy1 = cal
        .events
        .iter()
        .find(|e| prop(e, "URL").as_deref() == Some("https://example.org/shenyang-1"))
        .expect("the dataset row's URL");
    assert_eq!(prop(sy1, "GEO").as_deref(), Some("41.805700;123.431500"));
}

#[test]
fn geojson_is_a_valid_feature_collection_with_points_where_events_have_coordinates() {
    let db = corners();
    let (text, summary) = text(&db, &EventFilter::default(), Format::Geojson);
    let parsed: geojson::GeoJson = text.parse().expect("valid GeoJSON");
    let geojson::GeoJson::FeatureCollection(fc) = parsed else {
        panic!("not a FeatureCollection")
    };
    assert_eq!(fc.features.len() as u64, summary.events);
    let points: Vec<&geojson::Feature> = fc
        .features
        .iter()
        .filter(|f| f.geometry.is_some())
        .collect();
    let located = all(&db)
        .iter()
        .filter(|e| {
            db.dataset_source(e.id)
                .unwrap()
                .is_some_and(|d| d.lat.is_some())
        })
        .count();
    assert!(located > 1);
    assert_eq!(
        points.len(),
        located,
        "a point for each event with coordinates"
    );
    let sy1 = points
        .iter()
        .find(|f| {
            f.property("source_url").and_then(|v| v.as_str())
                == Some("https://example.org/shenyang-1")
        })
        .expect("sy-1");
    let Some(geojson::Geometry {
        value: geojson::GeometryValue::Point { coordinates },
        ..
    }) = &sy1.geometry
    else {
        panic!("not a point")
    };
    // Longitude first (RFC 7946 §3.1.1).
    assert_eq!(coordinates.as_slice(), &[123.4315, 41.8057]);
    assert_eq!(
        sy1.property("start").and_then(|v| v.as_str()),
        Some("2002-05-08")
    );
}

#[test]
fn timelinejs_escapes_markup_and_reads_back_as_the_same_dated_slides() {
    let from = corners();
    let (json, _) = text(&from, &EventFilter::default(), Format::Timelinejs);
    assert!(json.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"));
    assert!(!json.contains("<script>"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("slides.json");
    std::fs::write(&path, &json).unwrap();
    let mut to = db();
    let out = import_path(&mut to, path);
    assert_eq!((out.imported, out.skipped), (1, 0), "{out:?}");
    let dated = |es: Vec<Event>| -> Vec<(String, String)> {
        es.into_iter()
            .map(|e| (e.title, format!("{}/{:?}", e.date.start, e.date.end)))
            .collect()
    };
    let mut want = dated(all(&from));
    let mut got = dated(all(&to));
    want.sort();
    got.sort();
    assert_eq!(got, want);
}

#[test]
fn the_seed_article_as_timeml_marks_every_date_expression_over_its_exact_text() {
    // The seed article as a user imports it, so its date expressions are stored.
    let mut db = db();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/seed/shenyang-consulate-2002.txt");
    let (out, _) =
        crate::pipeline::run(&mut db, vec![annals_core::import::Source::Path(path)], None);
    assert_eq!(out.imported, 1, "{out:?}");
    let article = db.articles().unwrap().remove(0);
    let timexes = db.article_timexes(article.id).unwrap();
    assert!(timexes.len() > 10);
    let doc = export::article_timeml(&db, article.id).unwrap();
    assert!(doc.contains("functionInDocument=\"CREATION_TIME\""));
    let body = doc
        .split_once("<TEXT>")
        .and_then(|(_, rest)| rest.split_once("</TEXT>"))
        .map(|(t, _)| t)
        .expect("a TEXT element");
    assert_eq!(body.matches("<TIMEX3 ").count(), timexes.len());
    // Tags out, entities read: the article's text exactly.
    let mut plain = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => plain.push(c),
            _ => {}
        }
    }
    let plain = plain
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    assert_eq!(plain, article.body);
    for t in &timexes {
        assert!(body.contains(&format!("value=\"{}\"", t.value)));
    }
}

#[test]
fn a_file_export_replaces_the_target_only_with_a_whole_file() {
    let db = corners();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.ics");
    std::fs::write(&path, "old").unwrap();
    let s = export::to_file(
        &db,
        &EventFilter::default(),
        Format::Ical,
        NOW,
        &path,
        &mut |_| {},
    )
    .unwrap();
    let written = std::fs::read_to_string(&path).unwrap();
    assert_eq!(written.len() as u64, s.bytes);
    assert!(written.starts_with("BEGIN:VCALENDAR") && written.ends_with("END:VCALENDAR\r\n"));
    // Nothing else is left in the folder.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    // A folder that does not exist: a clear error, nothing written.
    let missing = dir.path().join("no/such/folder/out.csv");
    let e = export::to_file(
        &db,
        &EventFilter::default(),
        Format::Csv,
        NOW,
        &missing,
        &mut |_| {},
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("out.csv"), "{e}");
}
