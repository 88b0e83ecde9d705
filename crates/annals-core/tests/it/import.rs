//! Importing articles: the golden list of the seed article under its printed and
//! its corrected date, precision and recall against the curated events, bad input,
//! re-anchoring and review.

use annals_core::date::EventDate;
use annals_core::event::{Event, Status};
use annals_core::intake::Rejection;
use annals_core::{Db, Error};
use chrono::NaiveDate;
use expect_test::expect;
use serde::Deserialize;

use crate::{db, NOW};

const SEED: &str = include_str!("../../../../data/seed/shenyang-consulate-2002.txt");
const CURATED: &str = include_str!("../../../../data/seed/events.json");

fn go_on(_: usize) -> bool {
    true
}

fn import(
    db: &mut Db,
    name: &str,
    bytes: &[u8],
    dct: Option<&str>,
) -> annals_core::Result<annals_core::store::ImportReport> {
    let dct = dct.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    db.import_file(name, bytes, dct, NOW, &mut go_on)
}

fn extracted(db: &Db) -> Vec<Event> {
    let ids = db
        .event_ids_by_origin(annals_core::event::Origin::Extracted)
        .unwrap_or_else(|e| panic!("{e}"));
    db.events_by_ids(&ids).unwrap_or_else(|e| panic!("{e}"))
}

/// One line per event: date, kind, mission, countries, status, title, note.
fn golden(events: &[Event]) -> String {
    let mut lines: Vec<String> = events
        .iter()
        .map(|e| {
            format!(
                "{} {} [{}] {} {}{} | {}{}\n",
                e.date,
                e.kind.as_str(),
                e.mission_name.as_deref().unwrap_or("-"),
                e.countries.join(","),
                e.status.as_str(),
                if e.background { " background" } else { "" },
                e.title,
                e.review_note
                    .as_deref()
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default()
            )
        })
        .collect();
    lines.sort();
    lines.concat()
}

#[test]
fn the_seed_article_under_its_printed_then_its_corrected_date() {
    let mut db = db();
    let r = import(
        &mut db,
        "shenyang-consulate-2002.txt",
        SEED.as_bytes(),
        None,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        r.published.map(|p| p.to_string()).as_deref(),
        Some("2008-07-07")
    );
    expect![[r#"
        1950/1953 conflict [-]  proposed background | 1950-53 Korean War
        1961 treaty [-]  proposed background | 1961 Vienna Convention
        2008-01 meeting [-] KP proposed | Members of the International Relations Committee met with North Korean defectors
        2008-03-25 arrest [-] CN proposed | North Koreans being arrested by police in northeast China
        2008-03-25 entry [American Embassy, Beijing] CN,DE,US proposed | Asylum-seekers at the American Embassy, Beijing
        2008-03-25 entry [German Embassy, Beijing] CN,DE,US proposed | Asylum-seekers at the German Embassy, Beijing
        2008-03-25 entry [Spanish Embassy, Beijing] CN,ES,KP,KR proposed | North Koreans made it into the Spanish Embassy in Beijing
        2008-03-25 security [-]  proposed | That incident prompted China to clamp down on non-governmental organizations
        2008-03-25 security [-] CN proposed | Beijing increased security in embassy districts
        2008-07-02 entry [American Consulate, Shenyang] CN,KP,US proposed | Two North Koreans climbed a wall and entered the U.S. Consulate in the same city
        2008-07-02 entry [Japanese Consulate, Shenyang] CN,JP,KP proposed | Five members of the same North Korean family entered the Japanese Consulate compound
        2008-07-02 protest [-] JP proposed | Japanese Vice Foreign Minister Yukio Takeuchi rejected the explanation
        2008-07-02 protest [-] JP proposed | Wu Dawei was summoned to the Japanese Foreign Ministry for a reprimand
        2008-07-02 protest [Japanese Consulate, Shenyang] CN,JP,KP proposed | Japan has accused China of violating international conventions
        2008-07-02 removal [Japanese Consulate, Shenyang] CN,JP proposed | Chinese police succeeded in pulling the other three two women
        2008-07-03 entry [American Consulate, Shenyang] CN,US proposed | A third man following suit
        2008-07-03 statement [-] CN,KP,US proposed | Bipartisan House of Representatives International Relations Committee members sent a letter
        2008-07-03 statement [-] KR proposed | The Foreign Ministry in Seoul urged China to handle the problem in a humanitarian way
        2008-07-04 statement [American Consulate, Shenyang] CN,US proposed | A spokeswoman for the U.S. Consulate said that U.S. officials were negotiating
    "#]]
    .assert_eq(&golden(&extracted(&db)));

    // Accept the consulate entry, then correct the date: it moves and goes back to
    // review with a note; proposed ones just move; absolute years stay.
    let entry = extracted(&db)
        .into_iter()
        .find(|e| e.title.starts_with("Five members"))
        .unwrap_or_else(|| panic!("no entry"));
    db.accept_event(entry.id, NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    let day = "2002-05-10".parse().unwrap_or_else(|e| panic!("{e}"));
    let moved = db
        .set_publication_date(r.article_id, day, Some("Koizumi dates it to May 2002"), NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((moved.moved, moved.sent_back), (17, 1));
    expect![[r#"
        1950/1953 conflict [-]  proposed background | 1950-53 Korean War
        1961 treaty [-]  proposed background | 1961 Vienna Convention
        2002-01 meeting [-] KP proposed | Members of the International Relations Committee met with North Korean defectors (January 2002, was January 2008: publication date corrected)
        2002-03-25 arrest [-] CN proposed | North Koreans being arrested by police in northeast China (25 March 2002, was 25 March 2008: publication date corrected)
        2002-03-25 entry [American Embassy, Beijing] CN,DE,US proposed | Asylum-seekers at the American Embassy, Beijing (25 March 2002, was 25 March 2008: publication date corrected)
        2002-03-25 entry [German Embassy, Beijing] CN,DE,US proposed | Asylum-seekers at the German Embassy, Beijing (25 March 2002, was 25 March 2008: publication date corrected)
        2002-03-25 entry [Spanish Embassy, Beijing] CN,ES,KP,KR proposed | North Koreans made it into the Spanish Embassy in Beijing (25 March 2002, was 25 March 2008: publication date corrected)
        2002-03-25 security [-]  proposed | That incident prompted China to clamp down on non-governmental organizations (25 March 2002, was 25 March 2008: publication date corrected)
        2002-03-25 security [-] CN proposed | Beijing increased security in embassy districts (25 March 2002, was 25 March 2008: publication date corrected)
        2002-05-08 entry [American Consulate, Shenyang] CN,KP,US proposed | Two North Koreans climbed a wall and entered the U.S. Consulate in the same city (8 May 2002, was 2 July 2008: publication date corrected)
        2002-05-08 entry [Japanese Consulate, Shenyang] CN,JP,KP proposed | Five members of the same North Korean family entered the Japanese Consulate compound (8 May 2002, was 2 July 2008: publication date corrected)
        2002-05-08 protest [-] JP proposed | Japanese Vice Foreign Minister Yukio Takeuchi rejected the explanation (8 May 2002, was 2 July 2008: publication date corrected)
        2002-05-08 protest [-] JP proposed | Wu Dawei was summoned to the Japanese Foreign Ministry for a reprimand (8 May 2002, was 2 July 2008: publication date corrected)
        2002-05-08 protest [Japanese Consulate, Shenyang] CN,JP,KP proposed | Japan has accused China of violating international conventions (8 May 2002, was 2 July 2008: publication date corrected)
        2002-05-08 removal [Japanese Consulate, Shenyang] CN,JP proposed | Chinese police succeeded in pulling the other three two women (8 May 2002, was 2 July 2008: publication date corrected)
        2002-05-09 entry [American Consulate, Shenyang] CN,US proposed | A third man following suit (9 May 2002, was 3 July 2008: publication date corrected)
        2002-05-09 statement [-] CN,KP,US proposed | Bipartisan House of Representatives International Relations Committee members sent a letter (9 May 2002, was 3 July 2008: publication date corrected)
        2002-05-09 statement [-] KR proposed | The Foreign Ministry in Seoul urged China to handle the problem in a humanitarian way (9 May 2002, was 3 July 2008: publication date corrected)
        2002-05-10 statement [American Consulate, Shenyang] CN,US proposed | A spokeswoman for the U.S. Consulate said that U.S. officials were negotiating (10 May 2002, was 4 July 2008: publication date corrected)
    "#]]
    .assert_eq(&golden(&extracted(&db)));
    let article = db.article(r.article_id).unwrap_or_else(|e| panic!("{e}"));
    let article = article.unwrap_or_else(|| panic!("article gone"));
    assert_eq!(
        article.published.map(|p| p.to_string()).as_deref(),
        Some("2002-05-10")
    );
    assert_eq!(
        article.published_printed.map(|p| p.to_string()).as_deref(),
        Some("2008-07-07")
    );
    // Accepting clears the note.
    let e = db
        .accept_event(entry.id, NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((e.status, e.review_note), (Status::Accepted, None));
}

#[derive(Deserialize)]
struct Curated {
    missions: std::collections::HashMap<String, CuratedMission>,
    events: Vec<CuratedEvent>,
}
#[derive(Deserialize)]
struct CuratedMission {
    sending: String,
    city: String,
}
#[derive(Deserialize)]
struct CuratedEvent {
    title: String,
    kind: String,
    date: String,
    mission: Option<String>,
    countries: Vec<String>,
}

/// A proposal matches a curated event when the kinds agree, the dates overlap, the
/// mission is the same (when the curated event has one) and they share a country
/// (or the proposal, background or not, names none).
fn matches(p: &Event, c: &CuratedEvent, cur: &Curated, db: &Db) -> bool {
    let Ok(date) = c.date.parse::<EventDate>() else {
        return false;
    };
    let dates = p.date.lo() < date.hi() && date.lo() < p.date.hi();
    let mission = match &c.mission {
        None => true,
        Some(key) => {
            let Some(m) = p.mission_id.and_then(|id| db.mission(id).ok().flatten()) else {
                return false;
            };
            let want = &cur.missions[key];
            m.sending_country == want.sending && m.city == want.city
        }
    };
    let countries = p.countries.is_empty() || p.countries.iter().any(|x| c.countries.contains(x));
    p.kind.as_str() == c.kind && dates && mission && countries
}

#[test]
fn precision_and_recall_against_the_curated_events() {
    let mut db = db();
    let r = import(&mut db, "seed.txt", SEED.as_bytes(), Some("2002-05-10"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        r.published.map(|p| p.to_string()).as_deref(),
        Some("2002-05-10")
    );
    let cur: Curated = serde_json::from_str(CURATED).unwrap_or_else(|e| panic!("{e}"));
    let proposals = extracted(&db);
    let mut used = vec![false; cur.events.len()];
    let mut hits = 0;
    for p in &proposals {
        if let Some(i) =
            (0..cur.events.len()).find(|&i| !used[i] && matches(p, &cur.events[i], &cur, &db))
        {
            used[i] = true;
            hits += 1;
        } else {
            println!(
                "unmatched proposal: {} {} {}",
                p.date,
                p.kind.as_str(),
                p.title
            );
        }
    }
    for (i, c) in cur.events.iter().enumerate() {
        if !used[i] {
            println!("missed: {} {} {}", c.date, c.kind, c.title);
        }
    }
    let precision = hits as f64 / proposals.len() as f64;
    let recall = hits as f64 / cur.events.len() as f64;
    println!(
        "seed article: {} proposals, {hits} match the {} curated events: precision {precision:.2}, recall {recall:.2}",
        proposals.len(),
        cur.events.len()
    );
    // The bar of issue 9 on the seed: every proposal right, nine in ten found.
    assert!(precision >= 1.0, "precision {precision:.2}");
    assert!(recall >= 0.9, "recall {recall:.2}");
}

fn assert_untouched(db: &Db) {
    assert_eq!(db.counts().unwrap_or_else(|e| panic!("{e}")), (0, 0, 0));
}

#[test]
fn bad_files_are_rejected_and_write_nothing() {
    let mut db = db();
    for (name, bytes, want) in [
        ("empty.txt", &b""[..], "empty"),
        ("blank.txt", &b"  \n\t \r\n"[..], "whitespace"),
        (
            "binary.txt",
            &b"\x7fELF\x02\x01\x01\x00\x00\x00"[..],
            "binary",
        ),
        ("doc.pdf", &b"%PDF-1.4"[..], "not articles"),
    ] {
        let e = import(&mut db, name, bytes, None).unwrap_err();
        assert!(matches!(e, Error::Rejected(_)), "{name}: {e}");
        assert_eq!(e.kind(), "rejected");
        assert!(e.to_string().contains(want), "{name}: {e}");
        assert_untouched(&db);
    }
    let big = vec![b'a'; annals_core::intake::MAX_FILE_BYTES + 1];
    let e = import(&mut db, "big.txt", &big, None).unwrap_err();
    assert!(
        matches!(e, Error::Rejected(Rejection::TooLarge { .. })),
        "{e}"
    );
    assert_untouched(&db);
}

#[test]
fn windows_1252_imports_with_a_warning_and_the_same_text_twice_is_skipped() {
    let mut db = db();
    let text = b"Caf\xe9 row\n\nBy A. Writer | May 10, 2002\n\nPolice arrested two men in Beijing on Wednesday.";
    let r = import(&mut db, "cafe.txt", text, None).unwrap_or_else(|e| panic!("{e}"));
    assert!(!r.already_imported);
    assert_eq!(r.title, "Café row");
    assert_eq!(r.events, 1);
    assert!(
        r.warnings.iter().any(|w| w.contains("Windows-1252")),
        "{:?}",
        r.warnings
    );
    let counts = db.counts().unwrap_or_else(|e| panic!("{e}"));
    let again = import(&mut db, "copy.txt", text, None).unwrap_or_else(|e| panic!("{e}"));
    assert!(again.already_imported);
    assert_eq!(again.article_id, r.article_id);
    assert_eq!(db.counts().unwrap_or_else(|e| panic!("{e}")), counts);
}

#[test]
fn a_cancelled_import_writes_nothing() {
    let mut db = db();
    let e = db
        .import_file("seed.txt", SEED.as_bytes(), None, NOW, &mut |n| n < 3)
        .unwrap_err();
    assert!(matches!(e, Error::Cancelled), "{e}");
    assert_untouched(&db);
    assert!(db.missions().unwrap_or_else(|e| panic!("{e}")).is_empty());
}

#[test]
fn a_batch_keeps_each_article_whole_and_writes_nothing_until_committed() {
    let mut db = db();
    let story = "Story.\n\nOn Wednesday, police arrested three men in Beijing.";
    let dct = NaiveDate::from_ymd_opt(2002, 5, 10);
    {
        let mut batch = db.import_batch().unwrap_or_else(|e| panic!("{e}"));
        let ok = batch.import_file("a.txt", story.as_bytes(), dct, NOW, &mut go_on);
        assert!(ok.is_ok_and(|r| r.events == 1));
        // Dropped without commit: the run rolls back.
    }
    assert_untouched(&db);
    let mut batch = db.import_batch().unwrap_or_else(|e| panic!("{e}"));
    batch
        .import_file("a.txt", story.as_bytes(), dct, NOW, &mut go_on)
        .unwrap_or_else(|e| panic!("{e}"));
    // A cancelled article in the run leaves nothing of itself, and the run goes on.
    let e = batch
        .import_file("seed.txt", SEED.as_bytes(), None, NOW, &mut |n| n < 3)
        .unwrap_err();
    assert!(matches!(e, Error::Cancelled), "{e}");
    let again = batch
        .import_file("a.txt", story.as_bytes(), dct, NOW, &mut go_on)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(again.already_imported, "the run sees its own articles");
    batch.commit().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(db.counts().unwrap_or_else(|e| panic!("{e}")), (1, 1, 1));
    assert!(db.missions().unwrap_or_else(|e| panic!("{e}")).is_empty());
}

#[test]
fn review_merge_reject_and_bulk_accept() {
    let mut db = db();
    import(&mut db, "seed.txt", SEED.as_bytes(), Some("2002-05-10"))
        .unwrap_or_else(|e| panic!("{e}"));
    let events = extracted(&db);
    let queue = db.review_queue(None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(queue.len(), events.len());
    assert!(queue.windows(2).all(|w| w[0].confidence >= w[1].confidence));
    let us: Vec<&Event> = events
        .iter()
        .filter(|e| {
            e.mission_name.as_deref() == Some("American Consulate, Shenyang")
                && e.kind.as_str() == "entry"
        })
        .collect();
    assert_eq!(us.len(), 2);
    let merged = db
        .merge_events(us[1].id, us[0].id, NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(merged.sources.len(), 2);
    assert!(db
        .event(us[1].id)
        .unwrap_or_else(|e| panic!("{e}"))
        .is_none());
    // Undo brings the merged-away event back.
    db.restore_event(us[1].id, NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    let background = events
        .iter()
        .find(|e| e.background)
        .map(|e| e.id)
        .unwrap_or_default();
    assert_eq!(
        db.reject_event(background, NOW)
            .unwrap_or_else(|e| panic!("{e}"))
            .status,
        Status::Rejected
    );
    let sure = annals_core::store::ReviewFilter {
        min_confidence: Some(0.45),
        ..Default::default()
    };
    let n = db
        .decide_matching(&sure, annals_core::store::Decision::Accept, NOW)
        .unwrap_or_else(|e| panic!("{e}"))
        .len();
    assert!(n >= 4, "{n}");
    let left = db.review_queue(None).unwrap_or_else(|e| panic!("{e}"));
    assert!(left.iter().all(|e| e.confidence.unwrap_or(0.0) < 0.45));
    let mut edit = annals_core::event::EventInput {
        title: "Seoul urges China to act humanely".into(),
        summary: String::new(),
        kind: left[0].kind,
        date: left[0].date,
        city: left[0].city.clone(),
        country: left[0].country.clone(),
        mission_id: left[0].mission_id,
        countries: left[0].countries.clone(),
        background: false,
        planned: false,
    };
    edit.countries.push("KP".into());
    let e = db
        .edit_and_accept(left[0].id, edit, NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(e.status, Status::Accepted);
    assert_eq!(e.title, "Seoul urges China to act humanely");
}

#[test]
fn a_wire_dateline_dates_the_article_not_the_event_in_its_lede() {
    let text = "Asylum seekers dragged from consulate\n\nSEOUL, May 10, 2002 - Five North Koreans \
                entered the Japanese Consulate in Shenyang on Wednesday before Chinese police \
                dragged them out.\n";
    let mut db = db();
    let r = import(&mut db, "wire.txt", text.as_bytes(), None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        r.published.map(|p| p.to_string()).as_deref(),
        Some("2002-05-10")
    );
    let events = extracted(&db);
    assert_eq!(events.len(), 1, "{events:?}");
    let e = &events[0];
    assert_eq!(
        e.date.start.to_string(),
        "2002-05-08",
        "Wednesday, not the dateline"
    );
    assert_eq!(e.sources[0].date_text.as_deref(), Some("Wednesday"));
    // The date left the title, and so did the "on" that led to it.
    assert_eq!(
        e.title,
        "Five North Koreans entered the Japanese Consulate in Shenyang"
    );
}

/// Every source of an imported proposal keeps the word its event was read from:
/// the predicate its date modifies, as characters of the article, stored and read
/// back with the provenance.
#[test]
fn imported_proposals_keep_the_word_their_date_modifies() {
    let mut db = db();
    import(&mut db, "seed.txt", SEED.as_bytes(), Some("2002-05-10"))
        .unwrap_or_else(|e| panic!("{e}"));
    let text: Vec<char> = SEED.chars().collect();
    let mut triggers = Vec::new();
    for e in extracted(&db) {
        for s in db.sources(e.id).unwrap_or_else(|err| panic!("{err}")) {
            let t = s
                .trigger
                .unwrap_or_else(|| panic!("no trigger for {:?}", s.quote));
            assert!(
                s.sentence_start <= t.start && t.end <= s.sentence_end,
                "{t:?} outside {:?}",
                s.quote
            );
            triggers.push(
                text[t.start as usize..t.end as usize]
                    .iter()
                    .collect::<String>(),
            );
        }
    }
    assert!(!triggers.is_empty());
    // The consulate entry of Wednesday 8 May is read from its verb.
    assert!(
        triggers.iter().any(|t| t == "entered" || t == "incident"),
        "{triggers:?}"
    );
}

/// An act a report announces is stored planned, stays planned when the
/// publication date is corrected, and a person can mark an event planned or not.
#[test]
fn an_announced_act_is_stored_planned_and_editable() {
    let mut db = db();
    let text =
        "Minister to visit Seoul\n\nThe Japanese foreign minister will visit Seoul on Monday, \
                officials said.\n\nPolice arrested two men in Beijing on Wednesday.\n";
    let r = import(&mut db, "visit.txt", text.as_bytes(), Some("2002-05-10"))
        .unwrap_or_else(|e| panic!("{e}"));
    let events = extracted(&db);
    let visit = events
        .iter()
        .find(|e| e.title.contains("visit Seoul"))
        .unwrap_or_else(|| panic!("no visit: {events:?}"));
    assert!(visit.planned, "{visit:?}");
    assert_eq!(visit.date.start.to_string(), "2002-05-13");
    let arrest = events
        .iter()
        .find(|e| e.kind.as_str() == "arrest")
        .unwrap_or_else(|| panic!("no arrest: {events:?}"));
    assert!(!arrest.planned);
    let day = "2002-05-17".parse().unwrap_or_else(|e| panic!("{e}"));
    db.set_publication_date(r.article_id, day, None, NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    let moved = db
        .event(visit.id)
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("gone"));
    assert!(moved.planned);
    assert_eq!(moved.date.start.to_string(), "2002-05-20");
    let mut edit = annals_core::event::EventInput {
        title: moved.title.clone(),
        summary: String::new(),
        kind: moved.kind,
        date: moved.date,
        city: None,
        country: None,
        mission_id: None,
        countries: moved.countries.clone(),
        background: false,
        planned: true,
    };
    edit.planned = false;
    let done = db
        .update_event(visit.id, edit, NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!done.planned);
}
