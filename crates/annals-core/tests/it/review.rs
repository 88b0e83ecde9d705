//! What the Review and Article views read: article summaries, proposals with their
//! date expression located in the quote, an article's date expressions linked to
//! its events, and merge candidates.

use annals_core::event::Status;
use annals_core::Db;
use chrono::NaiveDate;

use crate::{add, db, NOW};

const SEED: &str = include_str!("../../../../data/seed/shenyang-consulate-2002.txt");

fn import_seed(db: &mut Db, dct: &str) -> i64 {
    let dct = NaiveDate::parse_from_str(dct, "%Y-%m-%d").ok();
    db.import_file("seed.txt", SEED.as_bytes(), dct, NOW, &mut |_| true)
        .unwrap_or_else(|e| panic!("{e}"))
        .article_id
}

#[test]
fn review_articles_count_what_waits_and_what_was_read() {
    let mut db = db();
    assert!(db
        .review_articles()
        .unwrap_or_else(|e| panic!("{e}"))
        .is_empty());
    let id = import_seed(&mut db, "2002-05-10");
    let list = db.review_articles().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(list.len(), 1);
    let a = &list[0];
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
    let a = &db.review_articles().unwrap_or_else(|e| panic!("{e}"))[0];
    assert_eq!(a.proposed + 1, a.events);
}

#[test]
fn review_items_locate_the_date_expression_inside_the_quote() {
    let mut db = db();
    import_seed(&mut db, "2002-05-10");
    let items = db
        .review_items(None, 1000)
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
        .review_items(None, 1000)
        .unwrap_or_else(|e| panic!("{e}"));
    let queue = db.review_queue(None).unwrap_or_else(|e| panic!("{e}"));
    let ids = |items: &[annals_core::store::ReviewItem]| -> Vec<i64> {
        items.iter().map(|i| i.event.id).collect()
    };
    assert_eq!(ids(&all), queue.iter().map(|e| e.id).collect::<Vec<_>>());
    let three = db.review_items(None, 3).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ids(&three), ids(&all)[..3].to_vec());
}

#[test]
fn proposed_above_counts_what_accept_above_accepts() {
    let mut db = db();
    let id = import_seed(&mut db, "2002-05-10");
    let n = db
        .proposed_above(0.9, Some(id))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(n > 0);
    assert_eq!(
        db.proposed_above(0.9, None)
            .unwrap_or_else(|e| panic!("{e}")),
        n
    );
    assert_eq!(
        db.proposed_above(0.9, Some(id + 1))
            .unwrap_or_else(|e| panic!("{e}")),
        0
    );
    let accepted = db
        .accept_above(0.9, Some(id), NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(accepted, n as usize);
    assert_eq!(
        db.proposed_above(0.9, Some(id))
            .unwrap_or_else(|e| panic!("{e}")),
        0
    );
}
