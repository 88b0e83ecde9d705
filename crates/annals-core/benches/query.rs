//! Viewport queries over a million events: what the timeline asks on every pan
//! and zoom (every zoom from all time to a day, with each kind of lanes and each
//! kind of filter), what the filter panel asks on every filter change, the list's
//! first page and a text search; what the Review view asks; and opening the
//! database.
//!
//! The database is `annals gen --events N --seed 1` (the same generator,
//! `annals_core::synthetic`), built once into `target/bench-gen-N.sqlite3`
//! (a few minutes for a million) and reused. `ANNALS_BENCH_EVENTS` changes N.
//! Before the timed cases it prints the file's bytes per event, the time to
//! open it, and p50/p99 over 1,000 random viewports (zoom, position, lanes and
//! filter drawn at random): the numbers `make bench` is held to.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use annals_core::date::PartialDate;
use annals_core::event::{EventKind, Status};
use annals_core::query::{EventFilter, LaneMode, WindowQuery};
use annals_core::store::ReviewFilter;
use annals_core::synthetic::{self, Rng, Spec};
use annals_core::Db;
use criterion::{criterion_group, criterion_main, Criterion};

fn build(path: &Path, n: usize) -> Db {
    if path.exists() {
        let db = Db::open(path).unwrap_or_else(|e| panic!("{e}"));
        if db.event_count().unwrap_or(0) as usize == n {
            return db;
        }
        drop(db);
        for ext in ["", "-wal", "-shm"] {
            let mut p = path.as_os_str().to_owned();
            p.push(ext);
            let _ = std::fs::remove_file(p);
        }
    }
    eprintln!("building {} with {n} events (once)...", path.display());
    let mut db = Db::open(path).unwrap_or_else(|e| panic!("{e}"));
    synthetic::generate(&mut db, &Spec { events: n, seed: 1 }, |done| {
        if done % 100_000 == 0 {
            eprintln!("  {done}");
        }
    })
    .unwrap_or_else(|e| panic!("{e}"));
    db
}

fn key(s: &str) -> i64 {
    s.parse::<PartialDate>()
        .map(|d| d.lo())
        .unwrap_or_else(|e| panic!("{e}"))
}

fn window(filter: &EventFilter, lo: &str, hi: &str, lanes: LaneMode) -> WindowQuery {
    WindowQuery {
        filter: filter.clone(),
        lo: key(lo),
        hi: key(hi),
        lanes,
        max_items: 2000,
        bins: 400,
    }
}

const ZOOMS: [(&str, &str, &str); 6] = [
    ("all", "1900", "2030"),
    ("decade", "1995", "2005"),
    ("year", "2002", "2003"),
    ("month", "2002-05", "2002-06"),
    ("week", "2002-05-06", "2002-05-13"),
    ("day", "2002-05-08", "2002-05-09"),
];

const LANES: [(&str, LaneMode); 4] = [
    ("no-lanes", LaneMode::None),
    ("country-lanes", LaneMode::Country),
    ("kind-lanes", LaneMode::Kind),
    ("mission-lanes", LaneMode::Mission),
];

fn filters(db: &Db) -> Vec<(&'static str, EventFilter)> {
    let first_mission = db
        .missions()
        .ok()
        .and_then(|m| m.first().map(|m| m.id))
        .unwrap_or(1);
    let jp = EventFilter {
        countries: vec!["JP".into()],
        ..Default::default()
    };
    vec![
        ("no-filter", EventFilter::default()),
        // What the window sends when nothing is chosen: every status but rejected.
        (
            "shown",
            EventFilter {
                statuses: vec![Status::Proposed, Status::Accepted],
                ..Default::default()
            },
        ),
        ("japan", jp.clone()),
        (
            "mission",
            EventFilter {
                missions: vec![first_mission],
                ..Default::default()
            },
        ),
        (
            "entries",
            EventFilter {
                kinds: vec![EventKind::Entry],
                ..Default::default()
            },
        ),
        (
            "proposed",
            EventFilter {
                statuses: vec![Status::Proposed],
                ..Default::default()
            },
        ),
        (
            "japan-entries",
            EventFilter {
                kinds: vec![EventKind::Entry],
                ..jp.clone()
            },
        ),
        (
            "text",
            EventFilter {
                text: Some("asylum".into()),
                ..Default::default()
            },
        ),
    ]
}

/// p50 and p99 of `times`.
fn percentiles(mut times: Vec<Duration>) -> (Duration, Duration) {
    times.sort();
    let at = |p: usize| times[(times.len() * p / 100).min(times.len() - 1)];
    (at(50), at(99))
}

/// Random viewports as a person pans and zooms: a zoom from a day to all time,
/// a position in 1900..2030, lanes and a filter drawn at random.
fn sweep(db: &Db, filters: &[(&'static str, EventFilter)]) {
    let mut rng = Rng::new(7);
    let (lo, hi) = (key("1900"), key("2030"));
    let mut times = Vec::new();
    let mut worst = (Duration::ZERO, String::new());
    for _ in 0..1000 {
        // Spans from a day (2^10.5 minutes) to 130 years (2^26), log-uniform.
        let span = 2f64.powf(10.5 + rng.below(1550) as f64 / 100.0) as i64;
        let start = lo + rng.below((hi - lo - span).max(1) as u64) as i64;
        let (fname, filter) = &filters[rng.below(filters.len() as u64 - 1) as usize];
        let (lname, lanes) = LANES[rng.below(4) as usize];
        let q = WindowQuery {
            filter: filter.clone(),
            lo: start,
            hi: start + span,
            lanes,
            max_items: 2000,
            bins: 400,
        };
        let t = Instant::now();
        db.window(&q).unwrap_or_else(|e| panic!("{e}"));
        let took = t.elapsed();
        if took > worst.0 {
            worst = (took, format!("{fname} {lname} span {span} min"));
        }
        times.push(took);
    }
    let (p50, p99) = percentiles(times);
    eprintln!(
        "random viewports (1000, no text): p50 {:.2} ms, p99 {:.2} ms, worst {:.2} ms ({})",
        p50.as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3,
        worst.0.as_secs_f64() * 1e3,
        worst.1
    );
}

fn benches(c: &mut Criterion) {
    let n: usize = std::env::var("ANNALS_BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../../target/bench-gen-{n}.sqlite3"));
    drop(build(&path, n));
    let bytes = std::fs::metadata(&path).map_or(0, |m| m.len());
    let opens: Vec<Duration> = (0..5)
        .map(|_| {
            let t = Instant::now();
            drop(Db::open(&path).unwrap_or_else(|e| panic!("{e}")));
            t.elapsed()
        })
        .collect();
    eprintln!(
        "{}: {n} events, {bytes} bytes, {:.0} bytes per event; open p50 {:.1} ms",
        path.display(),
        bytes as f64 / n as f64,
        percentiles(opens).0.as_secs_f64() * 1e3
    );
    let db = Db::open(&path).unwrap_or_else(|e| panic!("{e}"));
    let filters = filters(&db);
    sweep(&db, &filters);

    let mut g = c.benchmark_group(format!("query-{n}"));
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    let mut cases = Vec::new();
    for (zoom, lo, hi) in ZOOMS {
        for (lname, lanes) in LANES {
            cases.push((
                format!("window/{zoom}/no-filter/{lname}"),
                window(&EventFilter::default(), lo, hi, lanes),
            ));
        }
        for (fname, filter) in &filters[1..] {
            cases.push((
                format!("window/{zoom}/{fname}/no-lanes"),
                window(filter, lo, hi, LaneMode::None),
            ));
        }
    }
    cases.push((
        "window/decade/japan/kind-lanes".into(),
        window(&filters[2].1, "1995", "2005", LaneMode::Kind),
    ));
    cases.push((
        "window/year/entries/kind-lanes".into(),
        window(&filters[4].1, "2002", "2003", LaneMode::Kind),
    ));
    for (name, q) in &cases {
        let r = db.window(q).unwrap_or_else(|e| panic!("{e}"));
        eprintln!(
            "{name}: total {} items {} bins {}",
            r.total,
            r.items.len(),
            r.bins.len()
        );
        g.bench_function(name.as_str(), |b| {
            b.iter(|| db.window(q).unwrap_or_else(|e| panic!("{e}")))
        });
    }
    for (fname, filter) in &filters {
        g.bench_function(format!("facets/{fname}"), |b| {
            b.iter(|| db.facets(filter).unwrap_or_else(|e| panic!("{e}")))
        });
        g.bench_function(format!("list/first-page/{fname}"), |b| {
            b.iter(|| db.list(filter, 0, 100).unwrap_or_else(|e| panic!("{e}")))
        });
    }
    // What the Review view asks when it opens and after each decision.
    let kind = ReviewFilter {
        kinds: vec![EventKind::Arrest],
        ..Default::default()
    };
    let sure = ReviewFilter {
        min_confidence: Some(0.8),
        ..Default::default()
    };
    let country = ReviewFilter {
        countries: vec!["JP".into()],
        ..Default::default()
    };
    for (rname, rf) in [
        ("all", ReviewFilter::default()),
        ("arrests", kind),
        ("80-percent", sure),
        ("japan", country),
    ] {
        g.bench_function(format!("review/items/{rname}"), |b| {
            b.iter(|| db.review_items(&rf, 50).unwrap_or_else(|e| panic!("{e}")))
        });
        g.bench_function(format!("review/count/{rname}"), |b| {
            b.iter(|| {
                db.review_count_matching(&rf)
                    .unwrap_or_else(|e| panic!("{e}"))
            })
        });
    }
    g.bench_function("review/facets", |b| {
        b.iter(|| db.review_facets(None).unwrap_or_else(|e| panic!("{e}")))
    });
    g.bench_function("review/articles", |b| {
        b.iter(|| {
            db.review_articles(None, 300)
                .unwrap_or_else(|e| panic!("{e}"))
        })
    });
    g.bench_function("open", |b| {
        b.iter(|| Db::open(&path).unwrap_or_else(|e| panic!("{e}")))
    });
    g.finish();
}

criterion_group!(query, benches);
criterion_main!(query);
