use annals_core::event::{EventKind, Origin};
use annals_core::query::EventFilter;
use annals_core::seed::{seed, seed_if_new};

use crate::{db, seeded, NOW};

#[test]
fn the_seed_places_the_consulate_entry_on_wednesday_8_may_2002() {
    let db = seeded();
    let page = db.list(
        &EventFilter {
            text: Some("Japanese Consulate".into()),
            ..Default::default()
        },
        0,
        50,
    );
    let page = page.unwrap_or_else(|e| panic!("{e}"));
    let entry = page
        .events
        .iter()
        .find(|e| e.kind == EventKind::Entry && e.mission_name.is_some());
    let entry = entry.unwrap_or_else(|| panic!("no entry"));
    assert_eq!(entry.date_text, "8 May 2002");
    assert_eq!(
        entry.mission_name.as_deref(),
        Some("Japanese Consulate, Shenyang")
    );
    let src = &entry.sources[0];
    assert_eq!(src.date_text.as_deref(), Some("Wednesday"));
    assert_eq!(src.article_date.as_deref(), Some("10 May 2002"));
    // The span points at the quote in the article body, in characters.
    let article = db
        .article(src.article_id)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no article"));
    let quoted: String = article
        .body
        .chars()
        .skip(src.sentence_start as usize)
        .take((src.sentence_end - src.sentence_start) as usize)
        .collect();
    assert_eq!(quoted, src.quote);
}

#[test]
fn the_seed_article_keeps_its_printed_dateline_beside_the_correction() {
    let db = seeded();
    let a = &db.articles().unwrap_or_else(|e| panic!("{e}"))[0];
    assert_eq!(
        a.published_printed.map(|d| d.to_string()).as_deref(),
        Some("2008-07-07")
    );
    assert_eq!(
        a.published.map(|d| d.to_string()).as_deref(),
        Some("2002-05-10")
    );
    assert!(a
        .published_note
        .as_deref()
        .unwrap_or("")
        .contains("July 7, 2008"));
}

#[test]
fn the_seed_covers_the_incidents_the_article_reports() {
    let db = seeded();
    let page = db
        .list(&EventFilter::default(), 0, 100)
        .unwrap_or_else(|e| panic!("{e}"));
    let lines: Vec<String> = page
        .events
        .iter()
        .map(|e| format!("{} | {}", e.date_text, e.title))
        .collect();
    expect_test::expect![[r#"
        1950–1953 | Korean War divides the peninsula
        1961 | Vienna Convention makes diplomatic premises inviolable
        January 2002 | House committee members visit South Korea and meet defectors
        c. March–May 2002 | Asylum seekers at the U.S. Embassy in Beijing
        c. March–May 2002 | Asylum seekers at the German Embassy in Beijing
        c. March–May 2002 | China clamps down on groups helping North Koreans
        c. March–May 2002 | Surge in arrests of North Koreans in northeast China
        c. March–May 2002 | Beijing seals off roads and adds barbed wire in embassy districts
        25 March 2002 | North Koreans in the Spanish Embassy in Beijing, later flown to South Korea
        c. May 2002 | House committee members write to China's ambassador against repatriation
        8 May 2002 | Five North Koreans enter the Japanese Consulate in Shenyang
        8 May 2002 | Chinese police drag two North Korean men out of the Japanese Consulate
        8 May 2002 | Two North Koreans climb the wall into the U.S. Consulate in Shenyang
        8–10 May 2002 | Japan accuses China of violating diplomatic conventions
        8–10 May 2002 | Koizumi says the entry violated the 1961 Vienna Convention
        8–10 May 2002 | Chinese Ambassador Wu Dawei summoned to the Japanese Foreign Ministry
        8–10 May 2002 | Vice Foreign Minister Takeuchi rejects China's explanation
        c. 8–10 May 2002 | State Department: North Koreans should not be returned to face persecution
        9 May 2002 | A third North Korean man enters the U.S. Consulate in Shenyang
        9 May 2002 | Seoul urges China to handle the problem in a humanitarian way
        10 May 2002 | U.S. Consulate says it is negotiating with China over the three North Koreans
    "#]]
    .assert_eq(&(lines.join("\n") + "\n"));
    assert!(page
        .events
        .iter()
        .all(|e| e.origin == Origin::Curated && !e.sources.is_empty()));
    assert_eq!(page.events.iter().filter(|e| e.background).count(), 2);
}

#[test]
fn seeding_twice_adds_nothing_and_an_emptied_database_is_not_reseeded() {
    let mut db = db();
    assert!(seed_if_new(&mut db, NOW)
        .unwrap_or_else(|e| panic!("{e}"))
        .is_some());
    let again = seed(&mut db, NOW).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.events_inserted, 0);
    for id in db.event_ids_by_origin(Origin::Curated).unwrap_or_default() {
        db.delete_event(id, NOW).unwrap_or_else(|e| panic!("{e}"));
    }
    assert!(seed_if_new(&mut db, NOW)
        .unwrap_or_else(|e| panic!("{e}"))
        .is_none());
    assert_eq!(db.event_count().unwrap_or(-1), 0);
}

#[test]
fn every_seeded_database_numbers_its_missions_alike() {
    let missions = || {
        let mut db = db();
        seed(&mut db, NOW).unwrap_or_else(|e| panic!("{e}"));
        db.missions()
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .map(|m| (m.id, m.name))
            .collect::<Vec<_>>()
    };
    let first = missions();
    assert!(first.len() > 3);
    for _ in 0..4 {
        assert_eq!(missions(), first);
    }
}
