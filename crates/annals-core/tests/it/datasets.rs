//! Dataset import (CSV/TSV through a mapping, ACLED, GDELT, TimelineJS) through
//! the core API the window and the CLI call, on the fixtures of
//! `tests/fixtures/datasets/` (written for these tests).

use std::path::{Path, PathBuf};

use annals_core::dataset::{self, DatasetOptions, Format, Mapping};
use annals_core::date::Precision;
use annals_core::event::EventKind;
use annals_core::import::{run_datasets, DatasetFile, ImportHost, ImportOutcome, ImportProgress};
use annals_core::Db;

use crate::{db, NOW};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/datasets")
        .join(name)
}

/// Records the bad lines; cancels once `cancel_after` progress reports came.
#[derive(Default)]
struct Host {
    bad: Vec<(String, u64, String)>,
    progress: usize,
    cancel_after: Option<usize>,
}

impl ImportHost for Host {
    fn cancelled(&self) -> bool {
        self.cancel_after.is_some_and(|n| self.progress >= n)
    }
    fn progress(&mut self, _: &ImportProgress) {
        self.progress += 1;
    }
    fn bad_line(&mut self, file: &str, line: u64, why: &str) {
        self.bad.push((file.to_string(), line, why.to_string()));
    }
}

fn import_with(
    db: &mut Db,
    path: PathBuf,
    options: DatasetOptions,
    host: &mut Host,
) -> ImportOutcome {
    run_datasets(vec![DatasetFile { path, options }], NOW, db, host)
}

/// Imports any dataset file as the window does, with the options it proposes.
pub(crate) fn import_path(db: &mut Db, path: PathBuf) -> ImportOutcome {
    import_with(db, path, DatasetOptions::default(), &mut Host::default())
}

pub(crate) fn import(db: &mut Db, name: &str) -> ImportOutcome {
    import_with(
        db,
        fixture(name),
        DatasetOptions::default(),
        &mut Host::default(),
    )
}

fn event_of(db: &Db, dataset: &str, row: &str) -> annals_core::event::Event {
    let id = db
        .dataset_event(dataset, row)
        .expect("the database answers")
        .unwrap_or_else(|| panic!("no event for {dataset} {row}"));
    db.event(id)
        .expect("the database answers")
        .expect("the event is there")
}

#[test]
fn a_csv_with_our_column_names_gives_each_row_its_date_place_coordinates_and_provenance() {
    let mut db = db();
    let out = import(&mut db, "incidents.csv");
    assert_eq!(
        (out.imported, out.events, out.skipped),
        (1, 5, 0),
        "{out:?}"
    );
    let entry = event_of(&db, "incidents", "sy-1");
    assert_eq!(entry.kind, EventKind::Entry);
    assert_eq!(entry.date.to_string(), "2002-05-08");
    assert_eq!(entry.city.as_deref(), Some("Shenyang"));
    assert_eq!(entry.country.as_deref(), Some("CN"));
    assert_eq!(entry.countries, ["CN", "JP", "KP"]);
    assert!(entry.summary.starts_with("Two men, two women"));
    let source = db.dataset_source(entry.id).unwrap().unwrap();
    assert_eq!(source.dataset, "incidents");
    assert_eq!(source.row_id, "sy-1");
    assert!(source.file.ends_with("incidents.csv"));
    assert_eq!(source.line, 2);
    assert_eq!((source.lat, source.lon), (Some(41.8057), Some(123.4315)));
    assert_eq!(
        source.url.as_deref(),
        Some("https://example.org/shenyang-1")
    );
    assert_eq!(source.group.as_deref(), Some("Shenyang"));
    // A quoted line break stays in its field; the next row starts two lines on.
    let protest = event_of(&db, "incidents", "sy-2");
    assert!(protest.summary.contains("consulate\nwithout consent"));
    assert_eq!(db.dataset_source(protest.id).unwrap().unwrap().line, 3);
    assert_eq!(
        db.dataset_source(event_of(&db, "incidents", "sy-3").id)
            .unwrap()
            .unwrap()
            .line,
        5
    );
    // Partial dates keep their precision; an end makes a range; names are countries.
    let talks = event_of(&db, "incidents", "sy-4");
    assert_eq!(talks.date.to_string(), "2002-05/2002-06");
    assert_eq!(talks.countries, ["CN", "JP"]);
    let year = event_of(&db, "incidents", "sy-5");
    assert_eq!(year.precision, Precision::Year);
    assert_eq!(
        db.dataset_source(year.id).unwrap().unwrap().lat,
        Some(39.9042)
    );
}

#[test]
fn importing_the_same_file_again_adds_nothing() {
    let mut db = db();
    import(&mut db, "incidents.csv");
    let before = db.event_count().unwrap();
    let again = import(&mut db, "incidents.csv");
    assert_eq!(
        (again.imported, again.duplicates, again.events),
        (0, 1, 0),
        "{again:?}"
    );
    assert_eq!(db.event_count().unwrap(), before);
    assert_eq!(db.dataset_row_count("incidents").unwrap(), 5);
}

#[test]
fn a_tsv_read_through_a_mapping_file_takes_day_first_dates_and_its_own_kind_words() {
    let mut db = db();
    let mapping: Mapping = serde_json::from_str(
        &std::fs::read_to_string(fixture("shenyang-log.mapping.json")).unwrap(),
    )
    .unwrap();
    let options = DatasetOptions {
        mapping: Some(mapping),
        ..DatasetOptions::default()
    };
    let out = import_with(
        &mut db,
        fixture("shenyang-log.tsv"),
        options,
        &mut Host::default(),
    );
    assert_eq!(out.events, 3, "{out:?}");
    let rejects = event_of(&db, "Shenyang log", "L2");
    assert_eq!(rejects.date.to_string(), "2002-05-13");
    assert_eq!(rejects.kind, EventKind::Statement);
    assert_eq!(event_of(&db, "Shenyang log", "L1").kind, EventKind::Entry);
    let arrival = event_of(&db, "Shenyang log", "L3");
    assert_eq!(arrival.kind, EventKind::Departure);
    assert_eq!(arrival.country.as_deref(), Some("KR"));
    assert_eq!(
        db.dataset_source(arrival.id).unwrap().unwrap().lon,
        Some(126.978)
    );
}

#[test]
fn the_mapping_used_is_remembered_for_files_with_the_same_columns() {
    let mut db = db();
    let mapping: Mapping = serde_json::from_str(
        &std::fs::read_to_string(fixture("shenyang-log.mapping.json")).unwrap(),
    )
    .unwrap();
    let before = dataset::preview(
        &fixture("shenyang-log.tsv"),
        &DatasetOptions::default(),
        &db,
    )
    .unwrap();
    assert!(!before.remembered);
    let options = DatasetOptions {
        mapping: Some(mapping.clone()),
        ..DatasetOptions::default()
    };
    import_with(
        &mut db,
        fixture("shenyang-log.tsv"),
        options,
        &mut Host::default(),
    );
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("june-log.tsv");
    std::fs::copy(fixture("shenyang-log.tsv"), &copy).unwrap();
    let after = dataset::preview(&copy, &DatasetOptions::default(), &db).unwrap();
    assert!(after.remembered);
    assert_eq!(after.mapping, Some(mapping));
    // And an import without a mapping reads the copy the same way.
    let again = import_with(
        &mut db,
        copy,
        DatasetOptions::default(),
        &mut Host::default(),
    );
    assert_eq!((again.duplicates, again.events), (1, 0), "{again:?}");
}

#[test]
fn the_preview_shows_header_first_rows_and_a_proposed_mapping() {
    let db = db();
    let p = dataset::preview(&fixture("incidents.csv"), &DatasetOptions::default(), &db).unwrap();
    assert_eq!(p.format, Format::Csv);
    assert_eq!(p.header[1], "Date");
    assert_eq!(p.rows.len(), 5);
    assert_eq!(
        p.rows[1][4],
        "Tokyo says the police entered the consulate\nwithout consent."
    );
    let m = p.mapping.unwrap();
    assert_eq!(m.id.as_deref(), Some("id"));
    assert_eq!(m.date.as_deref(), Some("Date"));
    assert_eq!(m.end.as_deref(), Some("End"));
    assert_eq!(m.title.as_deref(), Some("Title"));
    assert_eq!(m.kind.as_deref(), Some("Type"));
    assert_eq!(m.lat.as_deref(), Some("Latitude"));
    assert_eq!(m.source_url.as_deref(), Some("Source URL"));
    assert_eq!(m.group.as_deref(), Some("Group"));
    let gdelt = dataset::preview(
        &fixture("gdelt2.export.CSV"),
        &DatasetOptions::default(),
        &db,
    )
    .unwrap();
    assert_eq!(gdelt.format, Format::Gdelt2);
    assert_eq!(gdelt.header.len(), 61);
    assert_eq!(gdelt.mapping, None);
}

#[test]
fn the_preview_reads_its_first_rows_as_the_events_the_import_would_write() {
    let db = db();
    let p = dataset::preview(&fixture("incidents.csv"), &DatasetOptions::default(), &db).unwrap();
    assert_eq!(p.problem, None);
    assert_eq!(p.dataset, "incidents");
    assert_eq!(p.sample.len(), 5);
    let first = p.sample[0].event.as_ref().unwrap();
    assert_eq!(p.sample[0].line, 2);
    assert_eq!(first.date, "8 May 2002");
    assert_eq!(first.kind, EventKind::Entry);
    assert_eq!(first.place, "Shenyang, CN");
    // The second row's description spans two lines: the third row starts on line 5.
    assert_eq!(p.sample[2].line, 5);
    assert_eq!(p.sample[3].event.as_ref().unwrap().date, "May–June 2002");

    let bad = dataset::preview(&fixture("bad-rows.csv"), &DatasetOptions::default(), &db).unwrap();
    assert!(bad.sample[0].event.is_some());
    let why = bad.sample[1].error.as_deref().unwrap();
    assert!(why.contains("2002-02-30"), "{why}");
}

#[test]
fn a_mapping_chosen_in_the_preview_is_the_one_it_reads_by_and_a_broken_one_says_why() {
    let db = db();
    let by_end = Mapping {
        date: Some("End".into()),
        title: Some("Description".into()),
        dataset: Some("Ends".into()),
        ..Mapping::default()
    };
    let p = dataset::preview(
        &fixture("incidents.csv"),
        &DatasetOptions {
            mapping: Some(by_end.clone()),
            ..DatasetOptions::default()
        },
        &db,
    )
    .unwrap();
    assert_eq!(p.mapping, Some(by_end));
    assert!(!p.remembered);
    assert_eq!(p.dataset, "Ends");
    // Rows with no end have no date through this mapping.
    assert!(p.sample[0].error.is_some());
    assert_eq!(p.sample[3].event.as_ref().unwrap().date, "June 2002");

    let missing = Mapping {
        date: Some("When it happened".into()),
        ..Mapping::default()
    };
    let p = dataset::preview(
        &fixture("incidents.csv"),
        &DatasetOptions {
            mapping: Some(missing),
            dataset: Some("Mine".into()),
            ..DatasetOptions::default()
        },
        &db,
    )
    .unwrap();
    let problem = p.problem.unwrap();
    assert!(problem.contains("When it happened"), "{problem}");
    assert!(p.sample.is_empty());
    assert_eq!(p.dataset, "Mine");
    assert_eq!(p.rows.len(), 5, "the rows still show");
}

#[test]
fn a_file_with_bad_rows_is_refused_whole_and_each_bad_row_is_listed_with_its_line() {
    let mut db = db();
    let mut host = Host::default();
    let out = import_with(
        &mut db,
        fixture("bad-rows.csv"),
        DatasetOptions::default(),
        &mut host,
    );
    assert_eq!(
        (out.imported, out.skipped, out.events),
        (0, 1, 0),
        "{out:?}"
    );
    assert_eq!(db.event_count().unwrap(), 0);
    let lines: Vec<u64> = host.bad.iter().map(|b| b.1).collect();
    assert_eq!(lines, [3, 4]);
    assert!(
        host.bad[0].2.contains("February 2002 has 28 days"),
        "{:?}",
        host.bad
    );
    assert!(host.bad[1].2.contains("latitude 91"), "{:?}", host.bad);
    assert_eq!(out.bad_line_count(), 2);
    let message = out.items[0].message.as_deref().unwrap();
    assert!(
        message.contains("nothing of this file was written"),
        "{message}"
    );
}

#[test]
fn skipping_bad_rows_imports_the_others_and_still_lists_the_bad() {
    let mut db = db();
    let options = DatasetOptions {
        skip_bad_rows: true,
        ..DatasetOptions::default()
    };
    let out = import_with(
        &mut db,
        fixture("bad-rows.csv"),
        options,
        &mut Host::default(),
    );
    assert_eq!((out.imported, out.events), (1, 3), "{out:?}");
    assert_eq!(out.bad_line_count(), 2);
    assert!(
        out.items[0]
            .warnings
            .iter()
            .any(|w| w.contains("Windows-1252")),
        "{:?}",
        out.items[0].warnings
    );
}

#[test]
fn empty_binary_and_headerless_files_are_refused_with_a_reason_and_write_nothing() {
    let mut db = db();
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8], &str); 4] = [
        ("empty.csv", b"", "empty"),
        ("binary.csv", b"date,title\n\x00\x00\x07ELF", "binary"),
        ("utf16.csv", b"\xFF\xFEd\x00a\x00", "binary"),
        ("only-header.csv", b"date,title\n", "no rows"),
    ];
    for (name, bytes, why) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let out = import_with(
            &mut db,
            path,
            DatasetOptions::default(),
            &mut Host::default(),
        );
        assert_eq!(out.skipped, 1, "{name}");
        let message = out.items[0].message.clone().unwrap_or_default();
        assert!(message.contains(why), "{name}: {message}");
    }
    assert_eq!(db.event_count().unwrap(), 0);
}

#[test]
fn a_csv_without_a_date_column_says_which_columns_it_has() {
    let mut db = db();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nodate.csv");
    std::fs::write(&path, "what,where\nx,y\n").unwrap();
    let out = import_with(
        &mut db,
        path,
        DatasetOptions::default(),
        &mut Host::default(),
    );
    let message = out.items[0].message.clone().unwrap_or_default();
    assert!(
        message.contains("no date column") && message.contains("`what`"),
        "{message}"
    );
}

#[test]
fn a_cancelled_import_leaves_nothing_of_the_file() {
    let mut db = db();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.csv");
    let mut text = String::from("date,title\n");
    for i in 0..10_000 {
        text.push_str(&format!("2002-05-{:02},row {i}\n", 1 + i % 28));
    }
    std::fs::write(&path, text).unwrap();
    let mut host = Host {
        cancel_after: Some(1),
        ..Host::default()
    };
    let out = import_with(&mut db, path.clone(), DatasetOptions::default(), &mut host);
    assert_eq!((out.cancelled, out.events), (1, 0), "{out:?}");
    assert_eq!(db.event_count().unwrap(), 0);
    // Without the cancel, rows without ids are known by their content: a second
    // import adds nothing.
    let out = import_with(
        &mut db,
        path.clone(),
        DatasetOptions::default(),
        &mut Host::default(),
    );
    assert_eq!(out.events, 10_000);
    let again = import_with(
        &mut db,
        path,
        DatasetOptions::default(),
        &mut Host::default(),
    );
    assert_eq!(again.events, 0);
    assert_eq!(db.event_count().unwrap(), 10_000);
}

#[test]
fn acled_rows_take_precision_from_time_precision_and_kinds_from_event_types() {
    let mut db = db();
    let out = import(&mut db, "acled.csv");
    assert_eq!(out.events, 3, "{out:?}");
    let arrests = event_of(&db, "ACLED", "XCN901");
    assert_eq!(arrests.kind, EventKind::Arrest);
    assert_eq!(arrests.date.to_string(), "2002-05-08");
    assert_eq!(arrests.title, "Arrests in Shenyang");
    assert_eq!(arrests.country.as_deref(), Some("CN"));
    assert!(arrests.summary.contains("Fatalities: 0"));
    assert!(arrests.summary.contains("Police Forces of China"));
    let source = db.dataset_source(arrests.id).unwrap().unwrap();
    assert_eq!((source.lat, source.lon), (Some(41.8057), Some(123.4315)));
    // time_precision 2: a day of the week the source names, so approximate.
    let week = event_of(&db, "ACLED", "XCN902");
    assert_eq!(week.date.to_string(), "2002-05-15~");
    assert_eq!(week.kind, EventKind::Protest);
    assert_eq!(week.country.as_deref(), Some("JP"));
    // time_precision 3: only the month is known.
    let month = event_of(&db, "ACLED", "XCN903");
    assert_eq!(month.date.to_string(), "2002-05");
    assert_eq!(month.kind, EventKind::Treaty);
    assert_eq!(import(&mut db, "acled.csv").events, 0);
}

#[test]
fn gdelt_1_rows_take_the_day_cameo_kinds_iso_countries_coordinates_and_url() {
    let mut db = db();
    let out = import(&mut db, "gdelt1.export.CSV");
    assert_eq!(out.events, 4, "{out:?}");
    let arrest = event_of(&db, "GDELT 1.0", "900000001");
    assert_eq!(arrest.kind, EventKind::Arrest);
    assert_eq!(arrest.date.to_string(), "2002-05-08");
    // ActionGeo_CountryCode CH is FIPS for China; the actors are CHN and PRK.
    assert_eq!(arrest.country.as_deref(), Some("CN"));
    assert_eq!(arrest.countries, ["CN", "KP"]);
    assert_eq!(arrest.city.as_deref(), Some("Shenyang"));
    assert!(
        arrest.title.contains("CHINA → NORTH KOREA"),
        "{}",
        arrest.title
    );
    let source = db.dataset_source(arrest.id).unwrap().unwrap();
    assert_eq!((source.lat, source.lon), (Some(41.7922), Some(123.433)));
    assert_eq!(source.url.as_deref(), Some("https://example.org/gdelt-1"));
    // A country-level place (geo type 1) names no city; JA is Japan.
    let protest = event_of(&db, "GDELT 1.0", "900000002");
    assert_eq!(protest.kind, EventKind::Protest);
    assert_eq!(protest.city, None);
    assert_eq!(protest.country.as_deref(), Some("JP"));
    // RP is FIPS for the Philippines; EventCode 042 is a consultation.
    let consult = event_of(&db, "GDELT 1.0", "900000003");
    assert_eq!(consult.kind, EventKind::Meeting);
    assert_eq!(consult.country.as_deref(), Some("PH"));
    // The older 57-column form has no SOURCEURL; KS is South Korea.
    let old = event_of(&db, "GDELT 1.0", "900000004");
    assert_eq!(old.country.as_deref(), Some("KR"));
    assert_eq!(db.dataset_source(old.id).unwrap().unwrap().url, None);
}

#[test]
fn gdelt_2_rows_read_their_61_columns() {
    let mut db = db();
    let out = import(&mut db, "gdelt2.export.CSV");
    assert_eq!(out.events, 3, "{out:?}");
    let arrest = event_of(&db, "GDELT 2.0", "900000001");
    assert_eq!(arrest.country.as_deref(), Some("CN"));
    let source = db.dataset_source(arrest.id).unwrap().unwrap();
    assert_eq!((source.lat, source.lon), (Some(41.7922), Some(123.433)));
    assert_eq!(source.url.as_deref(), Some("https://example.org/gdelt-1"));
    // Read as GDELT 1.0, the same rows have the wrong number of columns.
    let mut host = Host::default();
    let options = DatasetOptions {
        format: Some(Format::Gdelt1),
        ..DatasetOptions::default()
    };
    let wrong = import_with(&mut db, fixture("gdelt2.export.CSV"), options, &mut host);
    assert_eq!(wrong.skipped, 1);
    assert!(host.bad[0].2.contains("61 columns"), "{:?}", host.bad);
}

#[test]
fn timelinejs_json_and_its_spreadsheet_template_give_the_same_kind_of_events() {
    let mut db = db();
    let out = import(&mut db, "timeline.json");
    assert_eq!(out.events, 3, "{out:?}");
    let entry = event_of(&db, "timeline", "t-entry");
    assert_eq!(entry.title, "Five run into the consulate");
    assert_eq!(entry.summary, "Police follow them in.");
    assert_eq!(entry.date.to_string(), "2002-05-08");
    let source = db.dataset_source(entry.id).unwrap().unwrap();
    assert_eq!(source.group.as_deref(), Some("Shenyang"));
    assert_eq!(source.url.as_deref(), Some("https://example.org/t1"));
    assert_eq!(
        event_of(&db, "timeline", "t-talks").date.to_string(),
        "2002-05-10/2002-05-17"
    );

    let out = import(&mut db, "timelinejs-sheet.csv");
    assert_eq!(out.events, 3, "{out:?}");
    let titles: Vec<String> = db
        .event_ids_by_origin(annals_core::event::Origin::Curated)
        .unwrap()
        .into_iter()
        .filter_map(|id| db.event(id).unwrap())
        .map(|e| format!("{} {}", e.date, e.title))
        .collect();
    assert!(
        titles.contains(&"2002-05-08T14:00 Entry at the Japanese consulate".to_string()),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"2002-05 Diplomatic row".to_string()),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"2002/2003 Asylum seekers year".to_string()),
        "{titles:?}"
    );
}

/// What the window's dataset dialog is tested against (`ui/tests/`): previews of
/// two fixtures and what importing them did, as the core gives them, with the
/// fixtures' folder written as the user's.
#[test]
fn the_previews_and_outcome_the_ui_tests_answer_with_are_the_ones_the_core_gives() {
    let mut db = db();
    let incidents =
        dataset::preview(&fixture("incidents.csv"), &DatasetOptions::default(), &db).unwrap();
    let bad = dataset::preview(&fixture("bad-rows.csv"), &DatasetOptions::default(), &db).unwrap();
    let options = |skip| DatasetOptions {
        skip_bad_rows: skip,
        ..DatasetOptions::default()
    };
    let refused = import_with(
        &mut db,
        fixture("bad-rows.csv"),
        options(false),
        &mut Host::default(),
    );
    let mut outcome = run_datasets(
        vec![
            DatasetFile {
                path: fixture("incidents.csv"),
                options: options(false),
            },
            DatasetFile {
                path: fixture("bad-rows.csv"),
                options: options(true),
            },
        ],
        NOW,
        &mut db,
        &mut Host::default(),
    );
    assert_eq!((refused.imported, refused.skipped), (0, 1), "{refused:?}");
    assert_eq!(outcome.imported, 2, "{outcome:?}");
    outcome.seconds = 0.25;
    let folder = fixture("").display().to_string();
    let got = serde_json::to_string_pretty(&serde_json::json!({
        "incidents": incidents,
        "bad_rows": bad,
        "outcome": outcome,
    }))
    .unwrap()
    .replace(&folder, "/home/analyst/data/")
        + "\n";
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/mock/recorded/datasets.json");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, &got).unwrap();
    }
    let recorded = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        recorded == got,
        "{} is not what the core answers: run UPDATE_EXPECT=1 cargo test -p annals-core --test it datasets and commit it\n{got}",
        path.display()
    );
}

#[test]
fn rows_imported_again_from_another_path_are_the_same_rows_and_leave_no_trace() {
    let mut db = db();
    import(&mut db, "incidents.csv");
    // The same file under another folder: the same dataset, the same rows.
    let dir = tempfile::tempdir().expect("a temporary folder");
    let moved = dir.path().join("incidents.csv");
    std::fs::copy(fixture("incidents.csv"), &moved).expect("a copy");
    let again = import_path(&mut db, moved);
    assert_eq!((again.imported, again.duplicates), (0, 1), "{again:?}");
    assert_eq!(db.dataset_row_count("incidents").unwrap(), 5);
    let source = db
        .dataset_source(event_of(&db, "incidents", "sy-1").id)
        .unwrap()
        .unwrap();
    assert!(
        source
            .file
            .ends_with("tests/fixtures/datasets/incidents.csv"),
        "{}",
        source.file
    );
}

#[test]
fn migration_11_keeps_every_rows_dataset_file_and_line() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("annals.sqlite3");
    let sources = |db: &Db| -> Vec<String> {
        ["sy-1", "sy-2", "sy-3", "sy-4", "sy-5"]
            .iter()
            .map(|row| {
                let s = db
                    .dataset_source(event_of(db, "incidents", row).id)
                    .unwrap()
                    .unwrap();
                format!(
                    "{} {} {} {} {:?} {:?}",
                    s.dataset, s.row_id, s.file, s.line, s.url, s.group
                )
            })
            .collect()
    };
    let before = {
        let mut db = Db::open(&path).expect("the database");
        annals_core::seed::ensure_countries(&mut db).expect("countries");
        import(&mut db, "incidents.csv");
        sources(&db)
    };
    // Back to schema 10: the name and path as text in every row.
    let raw = rusqlite::Connection::open(&path).expect("the file");
    raw.execute_batch(
        "CREATE TABLE old_row (
             dataset TEXT NOT NULL, row_id TEXT NOT NULL,
             event_id INTEGER NOT NULL REFERENCES event(id) ON DELETE CASCADE,
             file TEXT NOT NULL, line INTEGER NOT NULL, url TEXT, grp TEXT,
             PRIMARY KEY (dataset, row_id)) WITHOUT ROWID;
         INSERT INTO old_row SELECT n.name, r.row_id, r.event_id, f.path, r.line, r.url, r.grp
             FROM dataset_row r JOIN dataset n ON n.id = r.dataset JOIN dataset_file f ON f.id = r.file;
         DROP TABLE dataset_row;
         DROP TABLE dataset;
         DROP TABLE dataset_file;
         ALTER TABLE old_row RENAME TO dataset_row;
         CREATE INDEX dataset_row_event ON dataset_row (event_id);
         PRAGMA user_version = 10;",
    )
    .expect("the old layout");
    drop(raw);
    let db = Db::open(&path).expect("the migrated database");
    assert_eq!(sources(&db), before);
    assert_eq!(db.dataset_row_count("incidents").unwrap(), 5);
    let raw = rusqlite::Connection::open(&path).expect("the file");
    let kept: (i64, i64) = raw
        .query_row(
            "SELECT (SELECT count(*) FROM dataset), (SELECT count(*) FROM dataset_file)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("counts");
    assert_eq!(kept, (1, 1), "each name and path once");
}
