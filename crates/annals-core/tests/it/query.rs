use annals_core::date::PartialDate;
use annals_core::event::{EventKind, Status};
use annals_core::query::{EventFilter, LaneMode, WindowQuery};
use expect_test::expect;

use crate::{add, db, seeded, NOW};

fn key(s: &str) -> i64 {
    s.parse::<PartialDate>()
        .unwrap_or_else(|e| panic!("{e}"))
        .lo()
}

fn window(lo: &str, hi: &str) -> WindowQuery {
    WindowQuery {
        filter: EventFilter::default(),
        lo: key(lo),
        hi: key(hi),
        lanes: LaneMode::None,
        max_items: 500,
        bins: 100,
    }
}

fn titles(db: &annals_core::Db, q: &WindowQuery) -> Vec<String> {
    let r = db.window(q).unwrap_or_else(|e| panic!("{e}"));
    r.items.into_iter().map(|i| i.title).collect()
}

#[test]
fn a_window_returns_events_that_overlap_it_whatever_their_length() {
    let mut db = db();
    add(&mut db, "day", "2002-05-08", &[]);
    add(&mut db, "month", "2002-05", &[]);
    add(&mut db, "war", "1950/1953", &[]);
    add(&mut db, "century", "1901/2000", &[]);
    add(&mut db, "later", "2002-06-01", &[]);
    add(&mut db, "minute", "2002-05-08T20:11", &[]);
    assert_eq!(
        titles(&db, &window("2002-05-08", "2002-05-09")),
        ["month", "day", "minute"]
    );
    assert_eq!(titles(&db, &window("1952", "1953")), ["century", "war"]);
    // Half-open: an event ending exactly where the window starts is outside.
    assert_eq!(
        titles(&db, &window("2002-06-02", "2002-07")),
        Vec::<String>::new()
    );
    assert_eq!(
        titles(&db, &window("2002-05-31", "2002-06-02")),
        ["month", "later"]
    );
}

/// An event a day through February 2002: "feb 1" to "feb 28".
fn february(db: &mut annals_core::Db) {
    for day in 1..=28 {
        add(db, &format!("feb {day}"), &format!("2002-02-{day:02}"), &[]);
    }
}

#[test]
fn a_dense_window_is_aggregated_into_counts_and_sparse_bins_stay_events() {
    let mut db = db();
    february(&mut db);
    add(&mut db, "lonely", "2002-11-15", &[]);
    let mut q = window("2002", "2003");
    q.max_items = 10;
    q.bins = 12;
    let r = db.window(&q).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.total, 29);
    assert_eq!(r.bins.iter().map(|b| b.count).sum::<u32>(), 28);
    assert!(r.bins.iter().all(|b| b.count > 2));
    assert_eq!(
        r.items.iter().map(|i| i.title.as_str()).collect::<Vec<_>>(),
        ["lonely"]
    );
}

#[test]
fn country_lanes_draw_an_event_in_each_country_it_involves() {
    let mut db = db();
    add(&mut db, "both", "2002-05-08", &["JP", "CN"]);
    add(&mut db, "none", "2002-05-08", &[]);
    let mut q = window("2002", "2003");
    q.lanes = LaneMode::Country;
    let r = db.window(&q).unwrap_or_else(|e| panic!("{e}"));
    let mut lanes: Vec<(String, String)> = r.items.into_iter().map(|i| (i.title, i.lane)).collect();
    lanes.sort();
    assert_eq!(
        lanes,
        [
            ("both".into(), "CN".into()),
            ("both".into(), "JP".into()),
            ("none".into(), String::new())
        ]
    );
}

#[test]
fn filters_combine_and_facets_leave_out_their_own_selection() {
    let db = seeded();
    let jp = EventFilter {
        countries: vec!["JP".into()],
        ..Default::default()
    };
    let facets = db.facets(&jp).unwrap_or_else(|e| panic!("{e}"));
    // The country facet still counts every country, as if Japan were not chosen.
    let all = db
        .facets(&EventFilter::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(facets.countries, all.countries);
    assert!(facets.total < all.total);
    let kinds: Vec<String> = facets
        .kinds
        .iter()
        .map(|k| format!("{} {}", k.key, k.count))
        .collect();
    expect![[r#"["protest 4", "entry 1", "removal 1"]"#]].assert_eq(&format!("{kinds:?}"));
    let both = EventFilter {
        kinds: vec![EventKind::Entry],
        ..jp.clone()
    };
    let page = db.list(&both, 0, 50).unwrap_or_else(|e| panic!("{e}"));
    let t: Vec<&str> = page.events.iter().map(|e| e.title.as_str()).collect();
    expect![[r#"["Five North Koreans enter the Japanese Consulate in Shenyang"]"#]]
        .assert_eq(&format!("{t:?}"));
}

#[test]
fn facet_counts_of_the_seed_by_country_and_mission() {
    let db = seeded();
    let f = db
        .facets(&EventFilter::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let countries: Vec<String> = f
        .countries
        .iter()
        .map(|c| format!("{}={}", c.key, c.count))
        .collect();
    expect![[r#"["CN=18", "KP=17", "US=7", "JP=6", "KR=4", "DE=1", "ES=1"]"#]]
        .assert_eq(&format!("{countries:?}"));
    let missions: Vec<String> = f
        .missions
        .iter()
        .map(|c| format!("{}={}", c.label, c.count))
        .collect();
    expect![[r#"["American Consulate, Shenyang=3", "Japanese Consulate, Shenyang=3", "American Embassy, Beijing=1", "German Embassy, Beijing=1", "Spanish Embassy, Beijing=1"]"#]]
        .assert_eq(&format!("{missions:?}"));
    assert_eq!(f.total, 21);
    assert_eq!(f.lo, Some(key("1950")));
}

#[test]
fn a_date_range_filter_keeps_events_that_overlap_it() {
    let db = seeded();
    let f = EventFilter {
        from: Some("2002-05-09".parse().unwrap_or_else(|e| panic!("{e}"))),
        to: Some("2002-05-09".parse().unwrap_or_else(|e| panic!("{e}"))),
        ..Default::default()
    };
    let page = db.list(&f, 0, 50).unwrap_or_else(|e| panic!("{e}"));
    assert!(page
        .events
        .iter()
        .any(|e| e.title.starts_with("A third North Korean")));
    assert!(page
        .events
        .iter()
        .all(|e| e.date.lo() < key("2002-05-10") && e.date.hi() > key("2002-05-09")));
    let backwards = EventFilter {
        from: Some("2003".parse().unwrap_or_else(|e| panic!("{e}"))),
        to: Some("2002".parse().unwrap_or_else(|e| panic!("{e}"))),
        ..Default::default()
    };
    assert_eq!(db.list(&backwards, 0, 5).unwrap_err().field(), Some("to"));
}

#[test]
fn status_filter_and_list_order_are_chronological() {
    let mut db = seeded();
    let page = db
        .list(&EventFilter::default(), 0, 100)
        .unwrap_or_else(|e| panic!("{e}"));
    let keys: Vec<i64> = page.events.iter().map(|e| e.date.lo()).collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(
        page.events.first().map(|e| e.date_text.as_str()),
        Some("1950–1953")
    );
    let id = page.events[3].id;
    db.set_status(id, Status::Rejected, crate::NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    let accepted = EventFilter {
        statuses: vec![Status::Accepted],
        ..Default::default()
    };
    assert_eq!(
        db.list(&accepted, 0, 100)
            .map(|p| p.total)
            .unwrap_or_default(),
        20
    );
}

#[test]
fn position_of_counts_events_before_a_point() {
    let db = seeded();
    assert_eq!(
        db.position_of(&EventFilter::default(), key("2002"))
            .unwrap_or(99),
        2
    );
}

#[test]
fn a_window_that_ends_before_it_starts_is_invalid() {
    let db = db();
    let mut q = window("2002", "2003");
    q.hi = q.lo;
    assert_eq!(db.window(&q).unwrap_err().kind(), "invalid");
}

#[test]
fn facets_say_where_the_news_starts_apart_from_background_events() {
    let db = seeded();
    let f = db
        .facets(&EventFilter::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let first = |d: &str| -> i64 {
        d.parse::<annals_core::date::PartialDate>()
            .unwrap_or_else(|e| panic!("{e}"))
            .lo()
    };
    // The Korean War (1950) is background; the news starts with the January 2002 visit.
    assert_eq!(f.lo, Some(first("1950")));
    assert_eq!(f.news_lo, Some(first("2002-01")));
    let none = db
        .facets(&EventFilter {
            text: Some("nothing-matches-this".into()),
            ..EventFilter::default()
        })
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((none.lo, none.news_lo), (None, None));
}

#[test]
fn extreme_keys_from_the_page_are_refused_or_clamped_never_overflowed() {
    let mut db = db();
    february(&mut db);
    let (min, max) = annals_core::query::key_range();
    for (lo, hi) in [
        (i64::MIN, i64::MAX),
        (i64::MIN, 0),
        (0, i64::MAX),
        (min - 1, max),
        (min, max + 1),
    ] {
        let mut q = window("2002", "2003");
        (q.lo, q.hi, q.max_items, q.bins) = (lo, hi, 1, u32::MAX);
        let e = db.window(&q).unwrap_err();
        assert_eq!(e.kind(), "invalid", "{lo}..{hi}: {e}");
        assert!(e.to_string().contains("-9999 to 9999"), "{e}");
    }
    // The whole calendar, aggregated into as many bins as allowed: the bins
    // cover the events and lie inside the window.
    let mut q = window("2002", "2003");
    (q.lo, q.hi, q.max_items, q.bins) = (min, max, 1, u32::MAX);
    let r = db.window(&q).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.total, 28);
    assert!(r
        .bins
        .iter()
        .all(|b| b.lo >= min && b.hi <= max + (max - min) / 4096 + 1));
    assert_eq!(
        r.bins.iter().map(|b| b.count).sum::<u32>() + r.items.len() as u32,
        28
    );
    // A point far outside the calendar is before or after every event.
    let f = EventFilter::default();
    assert_eq!(db.position_of(&f, i64::MIN).ok(), Some(0));
    assert_eq!(db.position_of(&f, i64::MAX).ok(), Some(28));
}

#[test]
fn bins_of_one_or_two_events_become_counts_when_their_events_pass_a_quarter_of_max_items() {
    let mut db = db();
    // One event a month, and February dense.
    for m in 1..=12 {
        add(&mut db, &format!("m{m}"), &format!("2002-{m:02}-10"), &[]);
    }
    february(&mut db);
    february(&mut db);
    let mut q = window("2002", "2003");
    q.bins = 12;
    for lanes in [LaneMode::None, LaneMode::Kind] {
        // Lanes: what the held columns answer; none: the kept counts.
        q.lanes = lanes;
        q.max_items = 44;
        let r = db.window(&q).unwrap_or_else(|e| panic!("{e}"));
        let sparse = r.items.len() as u32;
        assert!((1..=11).contains(&sparse), "{lanes:?}: {sparse}");
        assert!(r.bins.iter().all(|b| b.count > 2));
        assert_eq!(r.bins.iter().map(|b| b.count).sum::<u32>() + sparse, 68);
        // Exactly a quarter of max_items: still events; one fewer: counts.
        q.max_items = 4 * sparse;
        let r = db.window(&q).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((r.total, r.items.len() as u32), (68, sparse), "{lanes:?}");
        q.max_items = 4 * sparse - 1;
        let r = db.window(&q).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((r.total, r.items.len()), (68, 0), "{lanes:?}");
        assert!(r.bins.iter().any(|b| b.count <= 2));
        assert_eq!(r.bins.iter().map(|b| b.count).sum::<u32>(), 68);
    }
}

/// A text filter with kind lanes: what the held columns answer.
fn with_text(text: &str) -> WindowQuery {
    let mut q = window("2002", "2003");
    q.filter.text = Some(text.into());
    q.lanes = LaneMode::Kind;
    q
}

#[test]
fn held_counts_follow_every_write_of_this_connection() {
    let mut db = db();
    let first = add(&mut db, "asylum at the gate", "2002-05-08", &["JP"]);
    add(&mut db, "talks", "2002-05-09", &["JP"]);
    let total = |db: &annals_core::Db| db.window(&with_text("asylum")).map(|r| r.total).ok();
    assert_eq!(total(&db), Some(1));
    add(&mut db, "asylum again", "2002-06-01", &[]);
    assert_eq!(total(&db), Some(2));
    let facets = |db: &annals_core::Db| {
        let f = EventFilter {
            text: Some("asylum".into()),
            ..Default::default()
        };
        db.facets(&f).map(|f| f.total).ok()
    };
    assert_eq!(facets(&db), Some(2));
    let deleted = db
        .delete_event(first, NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((total(&db), facets(&db)), (Some(1), Some(1)));
    db.restore_event(deleted, NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((total(&db), facets(&db)), (Some(2), Some(2)));
}

#[test]
fn held_counts_follow_a_write_by_another_connection() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("annals.sqlite3");
    let mut one = annals_core::Db::open(&path).unwrap_or_else(|e| panic!("{e}"));
    annals_core::seed::ensure_countries(&mut one).unwrap_or_else(|e| panic!("{e}"));
    add(&mut one, "asylum at the gate", "2002-05-08", &["JP"]);
    assert_eq!(
        one.window(&with_text("asylum")).map(|r| r.total).ok(),
        Some(1)
    );
    let mut two = annals_core::Db::open(&path).unwrap_or_else(|e| panic!("{e}"));
    add(&mut two, "asylum again", "2002-06-01", &[]);
    assert_eq!(
        one.window(&with_text("asylum")).map(|r| r.total).ok(),
        Some(2)
    );
    let list = one
        .list(&with_text("asylum").filter, 0, 10)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        list.events
            .iter()
            .map(|e| e.title.as_str())
            .collect::<Vec<_>>(),
        ["asylum at the gate", "asylum again"]
    );
}

#[test]
fn a_mission_filter_never_matches_events_without_a_mission() {
    let mut db = db();
    add(&mut db, "no mission", "2002-05-08", &["JP"]);
    // 0 stands for "no mission" in the kept combinations; no mission has it.
    let f = EventFilter {
        missions: vec![0],
        ..Default::default()
    };
    let mut q = window("2002", "2003");
    q.filter = f.clone();
    for lanes in [LaneMode::None, LaneMode::Kind] {
        q.lanes = lanes;
        assert_eq!(db.window(&q).map(|r| r.total).ok(), Some(0), "{lanes:?}");
    }
    assert_eq!(db.facets(&f).map(|r| r.total).ok(), Some(0));
    let mut text = f.clone();
    text.text = Some("mission".into());
    assert_eq!(db.facets(&text).map(|r| r.total).ok(), Some(0));
    assert_eq!(db.list(&text, 0, 10).map(|r| r.total).ok(), Some(0));
}
