//! Viewport queries over a million events: what the timeline asks on every pan
//! and zoom, and what the filter panel asks on every filter change.
//!
//! The database is built once into `target/bench-query-1m.sqlite3` (about a
//! minute) and reused. `ANNALS_BENCH_EVENTS` changes the size.

use std::path::{Path, PathBuf};

use annals_core::date::{EventDate, PartialDate};
use annals_core::event::{EventInput, EventKind, NewEvent};
use annals_core::mission::MissionKind;
use annals_core::query::{EventFilter, LaneMode, WindowQuery};
use annals_core::Db;
use criterion::{criterion_group, criterion_main, Criterion};

const COUNTRIES: [&str; 16] = [
    "CN", "KP", "KR", "JP", "US", "DE", "ES", "FR", "GB", "RU", "IN", "BR", "ZA", "EG", "MX", "AU",
];

/// A small deterministic generator (no clock, no OS randomness).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn date(rng: &mut Lcg) -> EventDate {
    // Most events are days in 1990..2025, some are months, years, ranges, minutes.
    let year = if rng.below(10) == 0 {
        1900 + rng.below(90)
    } else {
        1990 + rng.below(36)
    } as i32;
    let month = 1 + rng.below(12) as u32;
    let day = 1 + rng.below(28) as u32;
    let pd = |r: Result<PartialDate, _>| r.unwrap_or_else(|e| panic!("{e}"));
    let (start, end) = match rng.below(20) {
        0 => (pd(PartialDate::year(year)), None),
        1 | 2 => (pd(PartialDate::month(year, month)), None),
        3 => (
            pd(PartialDate::day(year, month, day)),
            Some(pd(PartialDate::day(year, month, 28))),
        ),
        4 => (
            pd(PartialDate::minute(
                year,
                month,
                day,
                rng.below(24) as u32,
                rng.below(60) as u32,
            )),
            None,
        ),
        5 => (
            pd(PartialDate::year(year)),
            Some(pd(PartialDate::year(year + 1 + rng.below(5) as i32))),
        ),
        _ => (pd(PartialDate::day(year, month, day)), None),
    };
    EventDate::new(
        start,
        end.filter(|e| e.lo() > start.lo()),
        rng.below(8) == 0,
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn build(path: &Path, n: usize) -> Db {
    let mut db = Db::open(path).unwrap_or_else(|e| panic!("{e}"));
    annals_core::seed::ensure_countries(&mut db).unwrap_or_else(|e| panic!("{e}"));
    let have = db.event_count().unwrap_or(0) as usize;
    if have >= n {
        return db;
    }
    eprintln!("building {} with {n} events (once)...", path.display());
    let mut missions = Vec::new();
    for (i, c) in COUNTRIES.iter().enumerate() {
        for (j, city) in ["Beijing", "Shenyang", "Shanghai"].iter().enumerate() {
            let kind = if j == 0 {
                MissionKind::Embassy
            } else {
                MissionKind::Consulate
            };
            if *c != "CN" {
                missions.push(
                    db.ensure_mission(kind, c, "CN", city)
                        .unwrap_or_else(|e| panic!("{e} {i}"))
                        .id,
                );
            }
        }
    }
    let mut rng = Lcg(42);
    let kinds = EventKind::ALL;
    let mut done = have;
    while done < n {
        let batch: Vec<NewEvent> = (0..(n - done).min(20_000))
            .map(|i| {
                let a = COUNTRIES[rng.below(16) as usize];
                let b = COUNTRIES[rng.below(16) as usize];
                NewEvent::manual(EventInput {
                    title: format!("Synthetic event {} involving {a} and {b}", done + i),
                    summary: String::new(),
                    kind: kinds[rng.below(kinds.len() as u64) as usize],
                    date: date(&mut rng),
                    city: None,
                    country: Some(a.to_string()),
                    mission_id: (rng.below(4) == 0)
                        .then(|| missions[rng.below(missions.len() as u64) as usize]),
                    countries: vec![a.to_string(), b.to_string()],
                    background: false,
                    planned: false,
                })
            })
            .collect();
        done += batch.len();
        db.create_events(batch, "2026-01-01T00:00:00Z")
            .unwrap_or_else(|e| panic!("{e}"));
    }
    db
}

fn key(s: &str) -> i64 {
    s.parse::<PartialDate>()
        .map(|d| d.lo())
        .unwrap_or_else(|e| panic!("{e}"))
}

fn window(filter: EventFilter, lo: &str, hi: &str, lanes: LaneMode) -> WindowQuery {
    WindowQuery {
        filter,
        lo: key(lo),
        hi: key(hi),
        lanes,
        max_items: 2000,
        bins: 400,
    }
}

fn benches(c: &mut Criterion) {
    let n: usize = std::env::var("ANNALS_BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../../target/bench-query-{n}.sqlite3"));
    let db = build(&path, n);
    let jp = EventFilter {
        countries: vec!["JP".into()],
        ..Default::default()
    };
    let jp_entries = EventFilter {
        kinds: vec![EventKind::Entry],
        ..jp.clone()
    };
    let text = EventFilter {
        text: Some("involving JP".into()),
        ..Default::default()
    };
    let cases = [
        (
            "window/day/no-filter",
            window(
                EventFilter::default(),
                "2002-05-08",
                "2002-05-09",
                LaneMode::None,
            ),
        ),
        (
            "window/month/no-filter",
            window(EventFilter::default(), "2002-05", "2002-06", LaneMode::None),
        ),
        (
            "window/month/country-lanes",
            window(
                EventFilter::default(),
                "2002-05",
                "2002-06",
                LaneMode::Country,
            ),
        ),
        (
            "window/year/aggregated",
            window(EventFilter::default(), "2002", "2003", LaneMode::None),
        ),
        (
            "window/year/japan-entries",
            window(jp_entries.clone(), "2002", "2003", LaneMode::None),
        ),
        (
            "window/decade/japan-kind-lanes",
            window(jp.clone(), "1995", "2005", LaneMode::Kind),
        ),
        (
            "window/all/aggregated",
            window(EventFilter::default(), "1900", "2030", LaneMode::None),
        ),
        (
            "window/month/text",
            window(text.clone(), "2002-05", "2002-06", LaneMode::None),
        ),
    ];
    let mut g = c.benchmark_group(format!("query-{n}"));
    g.sample_size(10);
    for (name, q) in &cases {
        let r = db.window(q).unwrap_or_else(|e| panic!("{e}"));
        eprintln!(
            "{name}: total {} items {} bins {}",
            r.total,
            r.items.len(),
            r.bins.len()
        );
        g.bench_function(*name, |b| {
            b.iter(|| db.window(q).unwrap_or_else(|e| panic!("{e}")))
        });
    }
    g.bench_function("facets/japan-entries", |b| {
        b.iter(|| db.facets(&jp_entries).unwrap_or_else(|e| panic!("{e}")))
    });
    g.bench_function("facets/no-filter", |b| {
        b.iter(|| {
            db.facets(&EventFilter::default())
                .unwrap_or_else(|e| panic!("{e}"))
        })
    });
    g.bench_function("list/first-page/japan", |b| {
        b.iter(|| db.list(&jp, 0, 100).unwrap_or_else(|e| panic!("{e}")))
    });
    g.finish();
}

criterion_group!(query, benches);
criterion_main!(query);
