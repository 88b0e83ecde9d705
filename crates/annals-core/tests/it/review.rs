//! What the Review and Article views read: article summaries, proposals with their
//! date expression located in the quote, an article's date expressions linked to
//! its events, and merge candidates.

use annals_core::event::{EventKind, Status};
use annals_core::store::{Decision, ReviewFilter};
use annals_core::Db;
use chrono::NaiveDate;

use crate::{add, db, NOW};

const SEED: &str = include_str!("../../../../data/seed/shenyang-consulate-2002.txt");

fn of_article(id: i64) -> ReviewFilter {
    ReviewFilter {
        article_id: Some(id),
        ..ReviewFilter::default()
    }
}

fn everything() -> ReviewFilter {
    ReviewFilter::default()
}

fn import_seed(db: &mut Db, dct: &str) -> i64 {
    let dct = NaiveDate::parse_from_str(dct, "%Y-%m-%d").ok();
    db.import_file("seed.txt", SEED.as_bytes(), dct, NOW, &mut |_| true)
        .unwrap_or_else(|e| panic!("{e}"))
        .article_id
}

#[test]
fn review_articles_list_what_waits_and_count_what_is_done() {
    let mut db = db();
    let empty = db
        .review_articles(None, 10)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(empty.articles.is_empty() && empty.waiting == 0 && empty.done == 0);
    let id = import_seed(&mut db, "2002-05-10");
    let list = db
        .review_articles(None, 10)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((list.waiting, list.done), (1, 0));
    let a = &list.articles[0];
    assert_eq!(a.id, id);
    assert!(a.proposed > 0);
    assert_eq!(a.proposed, a.events);
    assert_eq!(
        db.proposed_count().unwrap_or_else(|e| panic!("{e}")),
        a.proposed
    );
    let first = db.review_queue(Some(id)).unwrap_or_else(|e| panic!("{e}"))[0].id;
    db.accept_event(first, NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    let a = &db
        .review_articles(None, 10)
        .unwrap_or_else(|e| panic!("{e}"))
        .articles[0];
    assert_eq!(a.proposed + 1, a.events);
    // Reviewed through: out of the list unless asked for, and counted as done.
    db.decide_matching(&of_article(id), Decision::Accept, NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    let done = db
        .review_articles(None, 10)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(done.articles.is_empty());
    assert_eq!((done.waiting, done.done), (0, 1));
    let asked = db
        .review_articles(Some(id), 10)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(asked.articles.len(), 1);
    assert_eq!(asked.articles[0].proposed, 0);
}

#[test]
fn review_articles_stop_at_the_limit_but_keep_the_one_asked_for() {
    let mut db = db();
    let mut ids = Vec::new();
    for i in 0..4 {
        let text = format!(
            "Story {i}\n\nOn Wednesday, {i} North Koreans entered the Spanish Embassy in Beijing.\n"
        );
        let r = db
            .import_file(
                "s.txt",
                text.as_bytes(),
                NaiveDate::from_ymd_opt(2002, 5, 10),
                NOW,
                &mut |_| true,
            )
            .unwrap_or_else(|e| panic!("{e}"));
        ids.push(r.article_id);
    }
    let two = db
        .review_articles(None, 2)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(two.articles.len(), 2);
    assert_eq!(two.waiting, 4);
    let with_oldest = db
        .review_articles(Some(ids[0]), 2)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(with_oldest.articles.len(), 3);
    assert!(with_oldest.articles.iter().any(|a| a.id == ids[0]));
}

#[test]
fn reopening_an_accepted_event_brings_back_its_review_note() {
    let mut db = db();
    let id = import_seed(&mut db, "2008-07-07");
    db.decide_matching(&of_article(id), Decision::Accept, NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    db.set_publication_date(
        id,
        "2002-05-10".parse().unwrap_or_else(|e| panic!("{e}")),
        None,
        NOW,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let back = db.review_queue(Some(id)).unwrap_or_else(|e| panic!("{e}"));
    let moved = back.iter().find(|e| e.review_note.is_some()).cloned();
    let moved = moved.unwrap_or_else(|| panic!("an event sent back with a note"));
    let accepted = db
        .accept_event(moved.id, NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(accepted.review_note, None);
    let reopened = db
        .reopen_event(moved.id, NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(reopened.status, Status::Proposed);
    assert_eq!(reopened.review_note, moved.review_note);
    // A rejected event that never had a note comes back without one.
    let plain = db.review_queue(Some(id)).unwrap_or_else(|e| panic!("{e}"));
    if let Some(p) = plain.iter().find(|e| e.review_note.is_none()) {
        db.reject_event(p.id, NOW).unwrap_or_else(|e| panic!("{e}"));
        let r = db.reopen_event(p.id, NOW).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((r.status, r.review_note), (Status::Proposed, None));
    }
}

#[test]
fn review_items_locate_the_date_expression_inside_the_quote() {
    let mut db = db();
    import_seed(&mut db, "2002-05-10");
    let items = db
        .review_items(&everything(), 1000)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!items.is_empty());
    let mut located = 0;
    for it in &items {
        let src = &it.event.sources[0];
        match (it.date_start, it.date_end) {
            (Some(a), Some(b)) => {
                located += 1;
                let quote: Vec<char> = src.quote.chars().collect();
                let inside: String = quote[a as usize..b as usize].iter().collect();
                assert_eq!(
                    Some(inside.as_str()),
                    src.date_text.as_deref(),
                    "{}",
                    it.event.title
                );
            }
            (None, None) => {}
            other => panic!("half a span: {other:?}"),
        }
    }
    assert!(located > 0);
    // "Wednesday's incident ... Shenyang" dates the consulate entry from inside its own sentence.
    assert!(items.iter().any(|it| it.date_start.is_some()
        && it.event.sources[0].date_text.as_deref() == Some("Wednesday")));
}

#[test]
fn article_view_links_date_expressions_to_the_events_they_date() {
    let mut db = db();
    let id = import_seed(&mut db, "2002-05-10");
    let view = db.article_view(id).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(view.article.id, id);
    assert!(view.timexes.len() >= 10, "{}", view.timexes.len());
    assert!(!view.events.is_empty());
    assert!(view
        .events
        .windows(2)
        .all(|w| w[0].sentence_start <= w[1].sentence_start));
    let body: Vec<char> = view.article.body.chars().collect();
    for e in &view.events {
        assert!(e.sentence_start < e.sentence_end && (e.sentence_end as usize) <= body.len());
        if let Some(i) = e.timex_index {
            assert!((i as usize) < view.timexes.len());
        }
    }
    for t in &view.timexes {
        let text: String = body[t.start..t.end].iter().collect();
        assert_eq!(text, t.text);
    }
    assert!(matches!(
        db.article_view(id + 1000),
        Err(annals_core::Error::NotFound { .. })
    ));
}

#[test]
fn merge_candidates_are_near_in_time_sharing_countries_first_and_never_rejected() {
    let mut db = db();
    let target = add(&mut db, "Proposal", "2002-05-08", &["CN", "JP"]);
    let same_countries = add(
        &mut db,
        "Same countries, a week later",
        "2002-05-15",
        &["CN", "JP"],
    );
    let nearer = add(&mut db, "Nearer, other country", "2002-05-09", &["ES"]);
    let far = add(&mut db, "Far away", "2003-05-08", &["CN", "JP"]);
    let rejected = add(&mut db, "Rejected", "2002-05-08", &["CN"]);
    db.set_status(rejected, Status::Rejected, NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    let ids: Vec<i64> = db
        .merge_candidates(target, 10)
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(ids, vec![same_countries, nearer]);
    assert!(!ids.contains(&far) && !ids.contains(&target));
}

#[test]
fn review_items_come_surest_first_and_stop_at_the_limit() {
    let mut db = db();
    import_seed(&mut db, "2002-05-10");
    let all = db
        .review_items(&everything(), 1000)
        .unwrap_or_else(|e| panic!("{e}"));
    let queue = db.review_queue(None).unwrap_or_else(|e| panic!("{e}"));
    let ids = |items: &[annals_core::store::ReviewItem]| -> Vec<i64> {
        items.iter().map(|i| i.event.id).collect()
    };
    assert_eq!(ids(&all), queue.iter().map(|e| e.id).collect::<Vec<_>>());
    let three = db
        .review_items(&everything(), 3)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ids(&three), ids(&all)[..3].to_vec());
}

#[test]
fn the_count_of_a_filter_is_what_a_bulk_decision_on_it_decides() {
    let mut db = db();
    let id = import_seed(&mut db, "2002-05-10");
    let sure = ReviewFilter {
        min_confidence: Some(0.45),
        ..of_article(id)
    };
    let n = db
        .review_count_matching(&sure)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(n > 0);
    let everywhere = ReviewFilter {
        article_id: None,
        ..sure.clone()
    };
    assert_eq!(db.review_count_matching(&everywhere).ok(), Some(n));
    let elsewhere = ReviewFilter {
        article_id: Some(id + 1),
        ..sure.clone()
    };
    assert_eq!(db.review_count_matching(&elsewhere).ok(), Some(0));
    let accepted = db
        .decide_matching(&sure, Decision::Accept, NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(accepted.len(), n as usize);
    assert_eq!(db.review_count_matching(&sure).ok(), Some(0));
}

#[test]
fn the_queue_filters_by_kind_country_and_confidence_band() {
    let mut db = db();
    import_seed(&mut db, "2002-05-10");
    let queue = db.review_queue(None).unwrap_or_else(|e| panic!("{e}"));
    let facets = db.review_facets(None).unwrap_or_else(|e| panic!("{e}"));
    // Each facet's count is what filtering by it shows.
    for k in &facets.kinds {
        let kind: EventKind = k.key.parse().unwrap_or_else(|e| panic!("{e}"));
        let filter = ReviewFilter {
            kinds: vec![kind],
            ..everything()
        };
        let items = db
            .review_items(&filter, 1000)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(items.len() as u32, k.count, "{}", k.key);
        assert!(items.iter().all(|i| i.event.kind == kind));
        assert_eq!(k.label, kind.label());
    }
    assert_eq!(
        facets.kinds.iter().map(|k| k.count as usize).sum::<usize>(),
        queue.len()
    );
    let china = facets
        .countries
        .iter()
        .find(|c| c.key == "CN")
        .unwrap_or_else(|| panic!("no China among {:?}", facets.countries));
    assert_eq!(china.label, "China");
    let filter = ReviewFilter {
        countries: vec!["cn".into()],
        ..everything()
    }
    .validated()
    .unwrap_or_else(|e| panic!("{e}"));
    let items = db
        .review_items(&filter, 1000)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(items.len() as u32, china.count);
    assert!(items
        .iter()
        .all(|i| i.event.countries.iter().any(|c| c == "CN")));
    // A band: at least 0.3 and below 0.5; the bands split the queue.
    let band = ReviewFilter {
        min_confidence: Some(0.3),
        below_confidence: Some(0.5),
        ..everything()
    };
    let mid = db
        .review_items(&band, 1000)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(mid
        .iter()
        .all(|i| (0.3..0.5).contains(&i.event.confidence.unwrap_or(0.0))));
    assert!(!mid.is_empty());
    let high = ReviewFilter {
        min_confidence: Some(0.5),
        ..everything()
    };
    let low = ReviewFilter {
        below_confidence: Some(0.3),
        ..everything()
    };
    let count = |f: &ReviewFilter| db.review_count_matching(f).unwrap_or(0) as usize;
    assert_eq!(count(&high) + mid.len() + count(&low), queue.len());
}

#[test]
fn a_filter_the_page_could_not_mean_is_refused() {
    for bad in [
        ReviewFilter {
            min_confidence: Some(1.5),
            ..everything()
        },
        ReviewFilter {
            below_confidence: Some(-0.1),
            ..everything()
        },
        ReviewFilter {
            countries: vec!["XYZ".into()],
            ..everything()
        },
        ReviewFilter {
            countries: vec!["'; DROP TABLE event; --".into()],
            ..everything()
        },
    ] {
        assert!(bad.clone().validated().is_err(), "{bad:?}");
    }
}

#[test]
fn a_selection_is_decided_at_once_and_undone_at_once() {
    let mut db = db();
    import_seed(&mut db, "2002-05-10");
    let queue = db.review_queue(None).unwrap_or_else(|e| panic!("{e}"));
    let chosen: Vec<i64> = queue.iter().take(4).map(|e| e.id).collect();
    // One of them was decided meanwhile: the selection leaves it alone.
    db.accept_event(chosen[0], NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut asked = chosen.clone();
    asked.push(chosen[1]);
    asked.push(999_999);
    let rejected = db
        .decide_events(&asked, Decision::Reject, NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut want = chosen[1..].to_vec();
    want.sort_unstable();
    assert_eq!(rejected, want);
    let status = |db: &Db, id: i64| {
        db.event(id)
            .ok()
            .flatten()
            .map(|e| e.status)
            .unwrap_or_else(|| panic!("no event {id}"))
    };
    assert!(rejected
        .iter()
        .all(|&id| status(&db, id) == Status::Rejected));
    assert_eq!(status(&db, chosen[0]), Status::Accepted);
    // Undo sends back exactly those, each with a revision for the change.
    let before = db.revision_count(chosen[1]).unwrap_or(0);
    let back = db
        .reopen_events(&rejected, NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back, rejected);
    assert!(back.iter().all(|&id| status(&db, id) == Status::Proposed));
    assert_eq!(db.revision_count(chosen[1]).unwrap_or(0), before + 1);
    assert_eq!(status(&db, chosen[0]), Status::Accepted);
    assert_eq!(
        db.review_queue(None).map(|q| q.len()).ok(),
        Some(queue.len() - 1)
    );
}

#[test]
fn the_same_incident_from_a_second_article_is_one_event_with_both_sources() {
    let mut db = db();
    let seed = import_seed(&mut db, "2002-05-10");
    let before = db
        .review_queue(None)
        .unwrap_or_else(|e| panic!("{e}"))
        .len();
    let entry = db
        .review_queue(Some(seed))
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .find(|e| {
            e.kind.as_str() == "entry"
                && e.mission_name.as_deref() == Some("Japanese Consulate, Shenyang")
        })
        .unwrap_or_else(|| panic!("the consulate entry"));
    assert_eq!(entry.date.start.to_string(), "2002-05-08");
    let second = "Asylum seekers at the consulate\n\nFive North Koreans entered the Japanese \
                  Consulate in Shenyang on Wednesday, witnesses said.\n";
    let r = db
        .import_file(
            "second.txt",
            second.as_bytes(),
            NaiveDate::from_ymd_opt(2002, 5, 9),
            NOW,
            &mut |_| true,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((r.events, r.merged), (0, 1));
    assert_eq!(
        db.review_queue(None)
            .unwrap_or_else(|e| panic!("{e}"))
            .len(),
        before
    );
    let merged = db
        .event(entry.id)
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("still there"));
    let articles: Vec<i64> = merged.sources.iter().map(|s| s.article_id).collect();
    assert!(
        articles.contains(&seed) && articles.contains(&r.article_id),
        "{articles:?}"
    );
    assert_eq!(merged.status, Status::Proposed);
    // Its sentence is searchable with the event.
    let found = db
        .list(
            &annals_core::query::EventFilter {
                text: Some("witnesses".into()),
                ..Default::default()
            },
            0,
            10,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        found.events.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![entry.id]
    );
}

#[test]
fn a_rejected_event_or_another_day_or_mission_is_not_the_same_incident() {
    let mut db = db();
    let seed = import_seed(&mut db, "2002-05-10");
    let queue = db
        .review_queue(Some(seed))
        .unwrap_or_else(|e| panic!("{e}"));
    let entry = queue
        .iter()
        .find(|e| {
            e.kind.as_str() == "entry"
                && e.mission_name.as_deref() == Some("Japanese Consulate, Shenyang")
        })
        .unwrap_or_else(|| panic!("the consulate entry"));
    db.reject_event(entry.id, NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    let import = |db: &mut Db, text: &str| {
        db.import_file(
            "other.txt",
            text.as_bytes(),
            NaiveDate::from_ymd_opt(2002, 5, 9),
            NOW,
            &mut |_| true,
        )
        .unwrap_or_else(|e| panic!("{e}"))
    };
    let same = import(
        &mut db,
        "Again\n\nFive North Koreans entered the Japanese Consulate in Shenyang on Wednesday.\n",
    );
    assert_eq!(
        (same.events, same.merged),
        (1, 0),
        "a rejected event takes no sources"
    );
    let other_day = import(
        &mut db,
        "Later\n\nTwo North Koreans entered the Japanese Consulate in Shenyang on Tuesday.\n",
    );
    assert_eq!(other_day.merged, 0);
    let other_mission = import(
        &mut db,
        "Elsewhere\n\nThree North Koreans entered the Spanish Embassy in Beijing on Wednesday.\n",
    );
    assert_eq!(other_mission.merged, 0);
}
