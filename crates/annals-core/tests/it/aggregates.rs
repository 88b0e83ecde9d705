//! The counts kept ahead of the questions (migration 0006: `event_bucket`,
//! `event_combo`) against brute force: after random creates, edits, deletes,
//! restores, merges, review decisions, imports and re-anchoring, every window,
//! facet and list answer equals what counting the events one by one gives, and
//! the tables themselves equal what recounting from the events gives.

use std::collections::{BTreeMap, BTreeSet};

use annals_core::date::{EventDate, PartialDate};
use annals_core::event::{EventInput, EventKind, NewEvent, Status};
use annals_core::mission::MissionKind;
use annals_core::query::{EventFilter, LaneMode, WindowQuery};
use annals_core::store::{Decision, ReviewFilter};
use annals_core::synthetic::Rng;
use annals_core::Db;

use crate::NOW;

const COUNTRIES: [&str; 6] = ["CN", "JP", "KP", "US", "DE", "ES"];
const SEED: &str = include_str!("../../../../data/seed/shenyang-consulate-2002.txt");

/// One event as brute force sees it, read straight from the tables.
#[derive(Debug, Clone)]
struct Row {
    id: i64,
    kind: String,
    status: String,
    mission: Option<i64>,
    countries: BTreeSet<String>,
    lo: i64,
    hi: i64,
    background: bool,
}

fn rows(conn: &rusqlite::Connection) -> Vec<Row> {
    let mut stmt = conn
        .prepare(
            "SELECT id, kind, status, mission_id, lo, hi, background,
                    (SELECT group_concat(country) FROM event_country WHERE event_id = e.id)
             FROM event e",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    stmt.query_map([], |r| {
        let countries: Option<String> = r.get(7)?;
        Ok(Row {
            id: r.get(0)?,
            kind: r.get(1)?,
            status: r.get(2)?,
            mission: r.get(3)?,
            lo: r.get(4)?,
            hi: r.get(5)?,
            background: r.get(6)?,
            countries: countries
                .map(|c| c.split(',').map(String::from).collect())
                .unwrap_or_default(),
        })
    })
    .unwrap_or_else(|e| panic!("{e}"))
    .collect::<Result<_, _>>()
    .unwrap_or_else(|e| panic!("{e}"))
}

/// The ids of the events whose full-text row matches the filter's text, as
/// FTS5 finds them; `None` when the filter has no text.
fn text_hits(conn: &rusqlite::Connection, f: &EventFilter) -> Option<BTreeSet<i64>> {
    let q = annals_core::query::fts_query(f.text.as_deref()?)?;
    let mut stmt = conn
        .prepare("SELECT rowid FROM event_fts WHERE event_fts MATCH ?1")
        .unwrap_or_else(|e| panic!("{e}"));
    let ids = stmt
        .query_map([q], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{e}"))
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{e}"));
    Some(ids)
}

fn matches(r: &Row, f: &EventFilter, text: Option<&BTreeSet<i64>>) -> bool {
    text.is_none_or(|t| t.contains(&r.id))
        && f.from.is_none_or(|d| r.hi > d.lo())
        && f.to.is_none_or(|d| r.lo < d.hi())
        && (f.countries.is_empty() || f.countries.iter().any(|c| r.countries.contains(c)))
        && (f.missions.is_empty() || r.mission.is_some_and(|m| f.missions.contains(&m)))
        && (f.kinds.is_empty() || f.kinds.iter().any(|k| k.as_str() == r.kind))
        && (f.statuses.is_empty() || f.statuses.iter().any(|s| s.as_str() == r.status))
}

fn lanes_of(r: &Row, lanes: LaneMode) -> Vec<String> {
    match lanes {
        LaneMode::None => vec![String::new()],
        LaneMode::Kind => vec![r.kind.clone()],
        LaneMode::Mission => vec![r.mission.map(|m| m.to_string()).unwrap_or_default()],
        LaneMode::Country if r.countries.is_empty() => vec![String::new()],
        LaneMode::Country => r.countries.iter().cloned().collect(),
    }
}

/// The window's answer as counts per (lane, bin start), bins and sparse
/// events alike, against the same counted one event at a time. Bins are a power
/// of two of minutes wide, at least the window over `bins`, aligned to multiples
/// of their width; an event counts in the bin of `max(lo, window start)`.
fn check_window(db: &Db, conn: &rusqlite::Connection, all: &[Row], q: &WindowQuery) -> bool {
    let got = db.window(q).unwrap_or_else(|e| panic!("{e}"));
    let text = text_hits(conn, &q.filter);
    let want: Vec<&Row> = all
        .iter()
        .filter(|r| r.lo < q.hi && r.hi > q.lo && matches(r, &q.filter, text.as_ref()))
        .collect();
    assert_eq!(got.total as usize, want.len(), "total of {q:?}");
    if got.bins.is_empty() {
        let mut ids: Vec<(i64, String)> =
            got.items.iter().map(|i| (i.id, i.lane.clone())).collect();
        ids.sort();
        let mut expected: Vec<(i64, String)> = want
            .iter()
            .flat_map(|r| lanes_of(r, q.lanes).into_iter().map(|l| (r.id, l)))
            .collect();
        expected.sort();
        // At most `max_items` rows come back, an event in two lanes being two.
        let cap = q.max_items as usize;
        if expected.len() > cap && got.total as usize <= cap {
            assert_eq!(ids.len(), cap, "items of {q:?}");
            assert!(ids.iter().all(|i| expected.contains(i)), "items of {q:?}");
        } else {
            assert_eq!(ids, expected, "items of {q:?}");
        }
        return false;
    }
    let span = q.hi - q.lo;
    let least = (span + i64::from(q.bins) - 1) / i64::from(q.bins);
    let width = (least.max(1) as u64).next_power_of_two() as i64;
    let origin = q.lo.div_euclid(width) * width;
    let start = |lo: i64| (origin + (lo.max(q.lo) - origin) / width * width).max(q.lo);
    let mut expected: BTreeMap<(String, i64), u32> = BTreeMap::new();
    for r in &want {
        for lane in lanes_of(r, q.lanes) {
            *expected.entry((lane, start(r.lo))).or_default() += 1;
        }
    }
    // Bins of one or two events come back as their events, unless those would
    // number more than a quarter of `max_items`: then every bin is a count.
    let sparse: u32 = expected.values().filter(|&&n| n <= 2).sum();
    let all_counts = sparse > q.max_items / 4;
    if all_counts {
        assert!(got.items.is_empty(), "items of {q:?}");
    }
    let mut answered: BTreeMap<(String, i64), u32> = BTreeMap::new();
    for b in &got.bins {
        assert!(
            all_counts || b.count > 2,
            "a bin of {} should be events",
            b.count
        );
        *answered.entry((b.lane.clone(), b.lo)).or_default() += b.count;
    }
    for i in &got.items {
        *answered.entry((i.lane.clone(), start(i.lo))).or_default() += 1;
    }
    assert_eq!(answered, expected, "bins of {q:?}");
    true
}

fn check_facets(db: &Db, conn: &rusqlite::Connection, all: &[Row], f: &EventFilter) {
    let got = db.facets(f).unwrap_or_else(|e| panic!("{e}"));
    let text = text_hits(conn, f);
    let want: Vec<&Row> = all
        .iter()
        .filter(|r| matches(r, f, text.as_ref()))
        .collect();
    assert_eq!(got.total as usize, want.len(), "facet total of {f:?}");
    assert_eq!(got.lo, want.iter().map(|r| r.lo).min(), "lo of {f:?}");
    assert_eq!(got.hi, want.iter().map(|r| r.hi).max(), "hi of {f:?}");
    assert_eq!(
        got.news_lo,
        want.iter().filter(|r| !r.background).map(|r| r.lo).min(),
        "news_lo of {f:?}"
    );
    let count = |skip: &dyn Fn(&mut EventFilter), key: &dyn Fn(&Row) -> Vec<String>| {
        let mut g = f.clone();
        skip(&mut g);
        let mut out: BTreeMap<String, u32> = BTreeMap::new();
        for r in all.iter().filter(|r| matches(r, &g, text.as_ref())) {
            for k in key(r) {
                *out.entry(k).or_default() += 1;
            }
        }
        out
    };
    let as_map = |v: &[annals_core::query::FacetCount]| -> BTreeMap<String, u32> {
        v.iter().map(|c| (c.key.clone(), c.count)).collect()
    };
    assert_eq!(
        as_map(&got.countries),
        count(&|g| g.countries.clear(), &|r| r
            .countries
            .iter()
            .cloned()
            .collect()),
        "countries of {f:?}"
    );
    assert_eq!(
        as_map(&got.missions),
        count(&|g| g.missions.clear(), &|r| r
            .mission
            .map(|m| m.to_string())
            .into_iter()
            .collect()),
        "missions of {f:?}"
    );
    assert_eq!(
        as_map(&got.kinds),
        count(&|g| g.kinds.clear(), &|r| vec![r.kind.clone()]),
        "kinds of {f:?}"
    );
    assert_eq!(
        as_map(&got.statuses),
        count(&|g| g.statuses.clear(), &|r| vec![r.status.clone()]),
        "statuses of {f:?}"
    );
    let page = db.list(f, 0, 7).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page.total as usize, want.len(), "list total of {f:?}");
    let mut order: Vec<(i64, i64, i64)> = want.iter().map(|r| (r.lo, r.hi, r.id)).collect();
    order.sort();
    let first: Vec<i64> = order.iter().take(7).map(|o| o.2).collect();
    assert_eq!(
        page.events.iter().map(|e| e.id).collect::<Vec<_>>(),
        first,
        "first page of {f:?}"
    );
}

/// The tables equal a recount from the events.
fn check_tables(conn: &rusqlite::Connection) {
    let n = |sql: &str| -> i64 {
        conn.query_row(sql, [], |r| r.get(0))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    };
    let levels = "(SELECT 11 AS level UNION ALL SELECT 14 UNION ALL SELECT 17 UNION ALL SELECT 20 UNION ALL SELECT 23)";
    let recount = format!(
        "SELECT '' AS key, l.level, e.lo >> l.level AS bucket, count(*) AS n FROM event e, {levels} l GROUP BY 1, 2, 3
         UNION ALL
         SELECT k.key, l.level, k.lo >> l.level, count(*) FROM event_key k, {levels} l GROUP BY 1, 2, 3"
    );
    assert_eq!(
        n(&format!(
            "SELECT (SELECT count(*) FROM (SELECT key, level, bucket, n FROM event_bucket WHERE n <> 0
                                           EXCEPT SELECT * FROM ({recount})))
                  + (SELECT count(*) FROM (SELECT * FROM ({recount})
                                           EXCEPT SELECT key, level, bucket, n FROM event_bucket))"
        )),
        0,
        "event_bucket disagrees with the events"
    );
    let combos = "SELECT e.kind, e.status, coalesce(e.mission_id, 0),
                         coalesce((SELECT group_concat(country, ',') FROM
                                   (SELECT country FROM event_country WHERE event_id = e.id ORDER BY country)), ''),
                         count(*)
                  FROM event e GROUP BY 1, 2, 3, 4";
    assert_eq!(
        n(&format!(
            "SELECT (SELECT count(*) FROM (SELECT kind, status, mission, countries, n FROM event_combo WHERE n <> 0
                                           EXCEPT SELECT * FROM ({combos})))
                  + (SELECT count(*) FROM (SELECT * FROM ({combos})
                                           EXCEPT SELECT kind, status, mission, countries, n FROM event_combo WHERE n <> 0))"
        )),
        0,
        "event_combo disagrees with the events"
    );
}

fn random_date(rng: &mut Rng) -> EventDate {
    let year = 2000 + rng.below(4) as i32;
    let month = 1 + rng.below(12) as u32;
    let day = 1 + rng.below(28) as u32;
    let p = |r: Result<PartialDate, _>| r.unwrap_or_else(|e| panic!("{e}"));
    let (start, end) = match rng.below(6) {
        0 => (p(PartialDate::year(year)), None),
        1 => (p(PartialDate::month(year, month)), None),
        2 => (
            p(PartialDate::day(year, month, day)),
            Some(p(PartialDate::day(year, month, 28))),
        ),
        3 => (
            p(PartialDate::minute(
                year,
                month,
                day,
                rng.below(24) as u32,
                5,
            )),
            None,
        ),
        _ => (p(PartialDate::day(year, month, day)), None),
    };
    let end = end.filter(|e| e.lo() > start.lo());
    EventDate::new(start, end, false).unwrap_or_else(|e| panic!("{e}"))
}

fn random_input(rng: &mut Rng, missions: &[i64], i: usize) -> EventInput {
    let mut countries: Vec<String> = (0..rng.below(3))
        .map(|_| COUNTRIES[rng.below(COUNTRIES.len() as u64) as usize].to_string())
        .collect();
    countries.sort();
    countries.dedup();
    EventInput {
        title: format!("Random event {i}"),
        summary: String::new(),
        kind: EventKind::ALL[rng.below(4) as usize],
        date: random_date(rng),
        city: None,
        country: None,
        mission_id: rng
            .chance(40)
            .then(|| missions[rng.below(missions.len() as u64) as usize]),
        countries,
        background: rng.chance(10),
        planned: false,
    }
}

fn random_filter(rng: &mut Rng, missions: &[i64]) -> EventFilter {
    let mut f = EventFilter::default();
    if rng.chance(40) {
        for _ in 0..1 + rng.below(2) {
            f.countries
                .push(COUNTRIES[rng.below(COUNTRIES.len() as u64) as usize].to_string());
        }
    }
    if rng.chance(25) {
        f.missions
            .push(missions[rng.below(missions.len() as u64) as usize]);
    }
    if rng.chance(30) {
        f.kinds.push(EventKind::ALL[rng.below(4) as usize]);
    }
    if rng.chance(30) {
        f.statuses.push(Status::ALL[rng.below(3) as usize]);
    }
    // Titles are "Random event N": a digit finds the events whose N starts
    // with it; "event" finds them all.
    if rng.chance(25) {
        f.text = Some(["1", "2", "3", "event", "zzz"][rng.below(5) as usize].to_string());
    }
    if rng.chance(20) {
        let p = |r: Result<PartialDate, _>| r.unwrap_or_else(|e| panic!("{e}"));
        let year = 2000 + rng.below(4) as i32;
        f.from = Some(p(PartialDate::month(year, 1 + rng.below(12) as u32)));
        f.to = Some(p(PartialDate::year(year + rng.below(2) as i32)));
    }
    f
}

/// The Review view's counts and facets of the whole queue (kept counts) against
/// SQL over every proposal.
fn check_review(db: &Db, conn: &rusqlite::Connection, rng: &mut Rng) {
    let brute = |sql: &str, params: Vec<rusqlite::types::Value>| -> Vec<(String, u32)> {
        let mut stmt = conn.prepare(sql).unwrap_or_else(|e| panic!("{e}"));
        let rows = stmt
            .query_map(rusqlite::params_from_iter(params), |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap_or_else(|e| panic!("{e}"));
        rows.collect::<rusqlite::Result<_>>()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let facets = db.review_facets(None).unwrap_or_else(|e| panic!("{e}"));
    let pairs = |v: &[annals_core::query::FacetCount]| -> Vec<(String, u32)> {
        v.iter().map(|f| (f.key.clone(), f.count)).collect()
    };
    assert_eq!(
        pairs(&facets.kinds),
        brute(
            "SELECT kind, count(*) AS n FROM event WHERE status = 'proposed'
             GROUP BY kind ORDER BY n DESC, kind",
            vec![]
        ),
        "review facets: kinds"
    );
    assert_eq!(
        pairs(&facets.countries),
        brute(
            "SELECT c.country, count(*) AS n FROM event e JOIN event_country c ON c.event_id = e.id
             WHERE e.status = 'proposed' GROUP BY c.country ORDER BY n DESC, c.country",
            vec![]
        ),
        "review facets: countries"
    );
    for _ in 0..4 {
        let mut f = ReviewFilter::default();
        if rng.chance(50) {
            f.kinds.push(EventKind::ALL[rng.below(4) as usize]);
        }
        if rng.chance(50) {
            f.countries
                .push(["JP", "CN", "KP", "ES"][rng.below(4) as usize].to_string());
            if rng.chance(30) {
                f.countries.push("KR".into());
            }
        }
        let mut sql = String::from("SELECT count(*) FROM event e WHERE e.status = 'proposed'");
        let mut params: Vec<rusqlite::types::Value> = Vec::new();
        for k in &f.kinds {
            sql.push_str(" AND e.kind = ?");
            params.push(rusqlite::types::Value::Text(k.as_str().into()));
        }
        if !f.countries.is_empty() {
            sql.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM event_country c WHERE c.event_id = e.id AND c.country IN ({}))",
                vec!["?"; f.countries.len()].join(", ")
            ));
            params.extend(
                f.countries
                    .iter()
                    .map(|c| rusqlite::types::Value::Text(c.clone())),
            );
        }
        let want: u32 = conn
            .query_row(&sql, rusqlite::params_from_iter(params), |r| r.get(0))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            db.review_count_matching(&f).ok(),
            Some(want),
            "review count of {f:?}"
        );
    }
}

/// Checks the tables and 12 random facets, lists and windows; returns how many
/// windows came back in bins.
fn check_all(db: &Db, conn: &rusqlite::Connection, rng: &mut Rng, missions: &[i64]) -> usize {
    check_tables(conn);
    let proposed: u32 = conn
        .query_row(
            "SELECT count(*) FROM event WHERE status = 'proposed'",
            [],
            |r| r.get(0),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        db.proposed_count().ok(),
        Some(proposed),
        "proposals waiting"
    );
    check_review(db, conn, rng);
    let mut binned = 0;
    let all = rows(conn);
    for _ in 0..12 {
        let f = random_filter(rng, missions);
        check_facets(db, conn, &all, &f);
        // Windows from a day to a century, some starting mid-bucket.
        let span = 1i64 << (10 + rng.below(17));
        let lo = PartialDate::year(1999).map_or(0, |d| d.lo()) + rng.below(3_000_000) as i64;
        let lanes = [
            LaneMode::None,
            LaneMode::Country,
            LaneMode::Kind,
            LaneMode::Mission,
        ][rng.below(4) as usize];
        let q = WindowQuery {
            filter: f,
            lo,
            hi: lo + span,
            lanes,
            max_items: [0, 3, 20, 500][rng.below(4) as usize],
            bins: [1, 7, 50, 400][rng.below(4) as usize],
        };
        binned += usize::from(check_window(db, conn, &all, &q));
        // Again with the whole buckets of wide windows counted from cubes.
        db.use_cubes_from(0);
        check_window(db, conn, &all, &q);
        db.use_cubes_from(usize::MAX);
    }
    binned
}

/// A database file with the countries and a consulate in China for each
/// (sending country, city), a second connection to it for the brute-force
/// counts, and the missions' ids.
fn fresh(consulates: &[(&str, &str)]) -> (tempfile::TempDir, Db, rusqlite::Connection, Vec<i64>) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("annals.sqlite3");
    let mut db = Db::open(&path).unwrap_or_else(|e| panic!("{e}"));
    annals_core::seed::ensure_countries(&mut db).unwrap_or_else(|e| panic!("{e}"));
    let conn = rusqlite::Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
    let missions = consulates
        .iter()
        .map(|(c, city)| {
            db.ensure_mission(MissionKind::Consulate, c, "CN", city)
                .unwrap_or_else(|e| panic!("{e}"))
                .id
        })
        .collect();
    (dir, db, conn, missions)
}

#[test]
fn the_kept_counts_equal_brute_force_after_random_writes_of_every_kind() {
    let (_dir, mut db, conn, missions) =
        fresh(&[("JP", "Shenyang"), ("US", "Shenyang"), ("DE", "Beijing")]);
    let mut rng = Rng::new(20_260_101);
    let mut live: Vec<i64> = Vec::new();
    let mut deleted: Vec<i64> = Vec::new();
    let mut articles: Vec<i64> = Vec::new();
    let mut imports = 0;
    let mut binned = 0;
    for step in 0..400 {
        let op = rng.below(100);
        let pick = |rng: &mut Rng, v: &[i64]| v[rng.below(v.len() as u64) as usize];
        match op {
            _ if live.len() < 5 || op < 35 => {
                let mut new = NewEvent::manual(random_input(&mut rng, &missions, step));
                new.status = Status::ALL[rng.below(3) as usize];
                let e = db.create_event(new, NOW).unwrap_or_else(|e| panic!("{e}"));
                live.push(e.id);
            }
            35..=49 => {
                let id = pick(&mut rng, &live);
                db.update_event(id, random_input(&mut rng, &missions, step), NOW)
                    .unwrap_or_else(|e| panic!("{e}"));
            }
            50..=59 => {
                let id = live.swap_remove(rng.below(live.len() as u64) as usize);
                db.delete_event(id, NOW).unwrap_or_else(|e| panic!("{e}"));
                deleted.push(id);
            }
            60..=66 if !deleted.is_empty() => {
                let id = deleted.swap_remove(rng.below(deleted.len() as u64) as usize);
                db.restore_event(id, NOW).unwrap_or_else(|e| panic!("{e}"));
                live.push(id);
            }
            67..=79 => {
                let id = pick(&mut rng, &live);
                match rng.below(3) {
                    0 => db.accept_event(id, NOW),
                    1 => db.reject_event(id, NOW),
                    _ => db.reopen_event(id, NOW),
                }
                .unwrap_or_else(|e| panic!("{e}"));
            }
            80..=87 => {
                let from = live.swap_remove(rng.below(live.len() as u64) as usize);
                let into = pick(&mut rng, &live);
                db.merge_events(from, into, NOW)
                    .unwrap_or_else(|e| panic!("{e}"));
                deleted.push(from);
            }
            88..=91 if imports < 3 => {
                // The seed article, a little different each time so it is new;
                // its proposals land on (and merge into) the events of the last.
                imports += 1;
                let text = format!("{SEED}\n\nUpdated {step} times.\n");
                let r = db
                    .import_file("seed.txt", text.as_bytes(), None, NOW, &mut |_| true)
                    .unwrap_or_else(|e| panic!("{e}"));
                articles.push(r.article_id);
                live = db
                    .list(&EventFilter::default(), 0, 10_000)
                    .unwrap_or_else(|e| panic!("{e}"))
                    .events
                    .iter()
                    .map(|e| e.id)
                    .collect();
            }
            92..=95 if !articles.is_empty() => {
                let article = pick(&mut rng, &articles);
                let day =
                    PartialDate::day(2001 + rng.below(3) as i32, 1 + rng.below(12) as u32, 10)
                        .unwrap_or_else(|e| panic!("{e}"));
                db.set_publication_date(article, day, None, NOW)
                    .unwrap_or_else(|e| panic!("{e}"));
            }
            _ => {
                let id = pick(&mut rng, &live);
                let mut e = db
                    .event(id)
                    .unwrap_or_else(|e| panic!("{e}"))
                    .unwrap_or_else(|| panic!("event {id} is gone"));
                e.countries = vec![COUNTRIES[rng.below(6) as usize].to_string()];
                let input = EventInput {
                    title: e.title,
                    summary: e.summary,
                    kind: e.kind,
                    date: random_date(&mut rng),
                    city: e.city,
                    country: e.country,
                    mission_id: e.mission_id,
                    countries: e.countries,
                    background: e.background,
                    planned: e.planned,
                };
                db.edit_and_accept(id, input, NOW)
                    .unwrap_or_else(|e| panic!("{e}"));
            }
        }
        if step % 25 == 24 {
            binned += check_all(&db, &conn, &mut rng, &missions);
        }
    }
    assert!(
        imports > 0 && !deleted.is_empty(),
        "the walk must cover imports and deletes"
    );
    assert!(binned >= 20, "only {binned} windows were counted in bins");
}

/// A database as schema 5 wrote it: the migrations up to 0005 and events written

#[test]
fn the_kept_counts_stay_exact_through_the_review_views_bulk_decisions_and_their_undo() {
    let (_dir, mut db, conn, missions) = fresh(&[("JP", "Shenyang"), ("US", "Shenyang")]);
    let mut rng = Rng::new(20_261_202);
    let mut ids = Vec::new();
    for i in 0..120 {
        let mut new = NewEvent::manual(random_input(&mut rng, &missions, i));
        new.status = Status::Proposed;
        new.confidence = Some(rng.below(100) as f64 / 100.0);
        ids.push(
            db.create_event(new, NOW)
                .unwrap_or_else(|e| panic!("{e}"))
                .id,
        );
    }
    check_all(&db, &conn, &mut rng, &missions);
    let chosen: Vec<i64> = ids.iter().copied().step_by(7).collect();
    let rejected = db
        .decide_events(&chosen, Decision::Reject, NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    check_all(&db, &conn, &mut rng, &missions);
    let filter = ReviewFilter {
        countries: vec![COUNTRIES[0].to_string()],
        min_confidence: Some(0.3),
        ..ReviewFilter::default()
    };
    let accepted = db
        .decide_matching(&filter, Decision::Accept, NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!accepted.is_empty());
    check_all(&db, &conn, &mut rng, &missions);
    db.reopen_events(&accepted, NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    db.reopen_events(&rejected, NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    check_all(&db, &conn, &mut rng, &missions);
}

#[test]
fn the_kept_counts_stay_exact_when_datasets_are_imported() {
    let (_dir, mut db, conn, missions) = fresh(&[("JP", "Shenyang")]);
    let mut rng = Rng::new(7);
    let mut imported = 0;
    for name in [
        "acled.csv",
        "gdelt1.export.CSV",
        "gdelt2.export.CSV",
        "incidents.csv",
        "timeline.json",
    ] {
        imported += crate::datasets::import(&mut db, name).imported;
        check_all(&db, &conn, &mut rng, &missions);
    }
    assert!(imported >= 5, "{imported} files");
    assert!(db.event_count().unwrap_or(0) >= 10);
}

/// the way that version wrote them (their keys by 0002's own backfill).
fn schema_5_database(path: &std::path::Path, rng: &mut Rng) {
    let conn = rusqlite::Connection::open(path).unwrap_or_else(|e| panic!("{e}"));
    let run = |sql: &str| conn.execute_batch(sql).unwrap_or_else(|e| panic!("{e}"));
    run(include_str!("../../src/store/migrations/0001_init.sql"));
    for c in COUNTRIES {
        conn.execute(
            "INSERT INTO country (code, name) VALUES (?1, ?1 || ' land')",
            [c],
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }
    run(
        "INSERT INTO mission (id, kind, sending_country, host_country, city, name)
         VALUES (1, 'consulate', 'JP', 'CN', 'Shenyang', 'Japanese Consulate, Shenyang'),
                (2, 'embassy', 'US', 'CN', 'Beijing', 'American Embassy, Beijing')",
    );
    for id in 1..=60 {
        let input = random_input(rng, &[1, 2], id);
        let (lo, hi) = (input.date.lo(), input.date.hi());
        let class = i64::from(u64::BITS - ((hi - lo) as u64 - 1).leading_zeros());
        let status = Status::ALL[rng.below(3) as usize].as_str();
        conn.execute(
            "INSERT INTO event (id, title, kind, date_start, date_end, precision, lo, hi, span_class,
                                mission_id, status, origin, background, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'manual', ?12, unixepoch(?13), unixepoch(?13))",
            rusqlite::params![
                id as i64,
                input.title,
                input.kind.as_str(),
                input.date.start.to_string(),
                input.date.end.map(|e| e.to_string()),
                input.date.precision().as_str(),
                lo,
                hi,
                class,
                input.mission_id,
                status,
                input.background,
                NOW
            ],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        for c in &input.countries {
            conn.execute(
                "INSERT INTO event_country (event_id, country) VALUES (?1, ?2)",
                rusqlite::params![id as i64, c],
            )
            .unwrap_or_else(|e| panic!("{e}"));
        }
        conn.execute(
            "INSERT INTO event_fts (rowid, title, summary, place, quote) VALUES (?1, ?2, '', '', '')",
            rusqlite::params![id as i64, input.title],
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }
    run(include_str!(
        "../../src/store/migrations/0002_event_key.sql"
    ));
    run(include_str!("../../src/store/migrations/0003_import.sql"));
    run(include_str!("../../src/store/migrations/0004_trigger.sql"));
    run(include_str!("../../src/store/migrations/0005_planned.sql"));
    run("PRAGMA user_version = 5; PRAGMA application_id = 1095650892;");
}

#[test]
fn migration_6_builds_the_counts_of_an_existing_database() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("annals.sqlite3");
    let mut rng = Rng::new(5);
    schema_5_database(&path, &mut rng);
    let mut db = Db::open(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        db.schema_version().ok(),
        Some(annals_core::store::SCHEMA_VERSION)
    );
    let conn = rusqlite::Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
    let check = |db: &Db, rng: &mut Rng| {
        check_tables(&conn);
        let all = rows(&conn);
        check_facets(db, &conn, &all, &EventFilter::default());
        for _ in 0..8 {
            let f = random_filter(rng, &[1, 2]);
            check_facets(db, &conn, &all, &f);
        }
        let q = WindowQuery {
            filter: EventFilter::default(),
            lo: PartialDate::year(1990).map_or(0, |d| d.lo()),
            hi: PartialDate::year(2010).map_or(0, |d| d.lo()),
            lanes: LaneMode::Country,
            max_items: 3,
            bins: 50,
        };
        assert!(check_window(db, &conn, &all, &q));
        all.len()
    };
    assert_eq!(check(&db, &mut rng), 60);
    // The full-text index was rebuilt: the titles are found, and the events the
    // migration keyed are written and deleted as new ones are.
    let found = db
        .list(
            &EventFilter {
                text: Some("Random event 7".into()),
                ..Default::default()
            },
            0,
            10,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(found.events.iter().map(|e| e.id).collect::<Vec<_>>(), [7]);
    for id in 1..=20 {
        if id % 2 == 0 {
            db.delete_event(id, NOW).unwrap_or_else(|e| panic!("{e}"));
        } else {
            db.update_event(id, random_input(&mut rng, &[1, 2], id as usize), NOW)
                .unwrap_or_else(|e| panic!("{e}"));
        }
    }
    assert_eq!(check(&db, &mut rng), 50);
}

/// Dataset rows are keyed and counted by their writer, in memory, while the
/// row-at-a-time count triggers are dropped for its transaction: the counts
/// equal brute force whether the sums are written at the end or in many parts,
/// a refused file leaves nothing (triggers included) changed, and writes after
/// it are counted by the triggers again.
#[test]
fn the_kept_counts_stay_exact_when_dataset_rows_are_counted_in_parts() {
    use annals_core::dataset::DatasetRow;
    let (_dir, mut db, conn, missions) = fresh(&[("JP", "Shenyang"), ("US", "Beijing")]);
    let names: Vec<String> = missions
        .iter()
        .map(|&m| {
            db.mission(m)
                .unwrap_or_else(|e| panic!("{e}"))
                .unwrap_or_else(|| panic!("mission {m}"))
                .name
        })
        .collect();
    let triggers = |conn: &rusqlite::Connection| -> Vec<String> {
        conn.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
            .unwrap_or_else(|e| panic!("{e}"))
            .query_map([], |r| r.get(0))
            .unwrap_or_else(|e| panic!("{e}"))
            .collect::<rusqlite::Result<_>>()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let before = triggers(&conn);
    let mut rng = Rng::new(42);
    let row = |rng: &mut Rng, i: usize| {
        let input = random_input(rng, &missions, i);
        DatasetRow {
            row_id: format!("r{i}"),
            line: i as u64 + 2,
            title: input.title,
            summary: String::new(),
            kind: input.kind,
            date: input.date,
            country: input.countries.first().cloned(),
            countries: input.countries,
            city: None,
            coordinates: None,
            mission: input
                .mission_id
                .and_then(|m| missions.iter().position(|&x| x == m))
                .map(|p| names[p].clone()),
            source_url: None,
            group: None,
            status: Status::ALL[rng.below(3) as usize],
            background: input.background,
            planned: false,
        }
    };
    let mut next = 0;
    for (rows, every, commit) in [
        (700, 97, true),
        (300, 65_536, true),
        (250, 50, false),
        (400, 1, true),
    ] {
        let mut writer = db.dataset_writer(NOW).unwrap_or_else(|e| panic!("{e}"));
        writer.hold_counts(every);
        for _ in 0..rows {
            let r = row(&mut rng, next);
            next += 1;
            writer
                .write("parts", "parts.csv", &r)
                .unwrap_or_else(|e| panic!("{e}"));
        }
        if commit {
            writer.commit().unwrap_or_else(|e| panic!("{e}"));
        } else {
            drop(writer);
        }
        assert_eq!(triggers(&conn), before, "the count triggers are back");
        check_all(&db, &conn, &mut rng, &missions);
    }
    assert_eq!(db.event_count().unwrap_or(0), 1400);
    // A write after the bulk ones goes through the triggers again.
    let new = NewEvent::manual(random_input(&mut rng, &missions, 9999));
    db.create_event(new, NOW).unwrap_or_else(|e| panic!("{e}"));
    check_all(&db, &conn, &mut rng, &missions);
}
