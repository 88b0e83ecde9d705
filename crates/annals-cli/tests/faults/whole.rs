//! What a database must be after a crash, shared by the CLI's crash test
//! (`crash.rs`) and the app's (`tests/e2e/crash.rs`, which includes this file):
//! SQLite's `integrity_check` is ok, the full-text and key indexes agree with
//! the tables, and every imported article is whole: exactly the date expressions
//! and sources that importing it alone writes, or absent.
//!
//! The articles are our own stories ([`story`]), each with a last line that says
//! which story it is and a code that makes its text unique ("Filed by desk b as
//! qkz."), so any article read back can be compared with its story imported
//! alone into a fresh database ([`Reference`]).

use std::collections::HashMap;
use std::path::Path;

use annals_core::Db;
use chrono::NaiveDate;
use rusqlite::{Connection, OpenFlags};

/// The publication date every story is imported against.
pub const DCT: &str = "2004-05-10";

/// Short news stories of our own, each with dates, places and things done.
const STORIES: &[&str] = &[
    "Ferry crew detained\n\nPUSAN, May 8 (Desk) - Police arrested four crew members of a Chinese ferry in Pusan on Thursday, May 6, officials said. They were deported to China two days later.\n\nThe ferry had arrived on May 3.",
    "Embassy gate incident\n\nSEOUL, May 9 (Desk) - Three men entered the Canadian Embassy in Beijing on Friday, May 7, and asked for asylum, a spokesman said. Chinese guards removed a fourth man at the gate.\n\nThe embassy said on Saturday that talks would resume next week.",
    "Talks on fishing rights\n\nTOKYO, May 4 (Desk) - Japan and South Korea signed an agreement on fishing rights in Tokyo on Tuesday, May 4. Negotiators first met in March 2003.\n\nThe 1965 Basic Treaty was cited by both sides.",
    "Border crossing\n\nHANOI, May 2 (Desk) - Vietnamese police detained seven people near the Chinese border on April 30, 2004, state media said. Two of them were released on Saturday, May 1.",
    "Consulate visit\n\nSHENYANG, May 5 (Desk) - Two women entered the South Korean Consulate in Shenyang on Monday, May 3, 2004. They left for Seoul via Manila on May 5.\n\nOfficials said a third woman was arrested in Dalian on April 28.",
    "Harbour strike\n\nMANILA, May 1 (Desk) - Dock workers in Manila walked out on Friday, April 30, and returned on Saturday after the government promised talks, the union said.",
];

/// Story `desk` (0-based, wraps) with `code` on its last line.
pub fn story(desk: usize, code: &str) -> String {
    let desk = desk % STORIES.len();
    format!(
        "{}\n\nFiled by desk {} as {code}.\n",
        STORIES[desk],
        char::from(b'a' + desk as u8)
    )
}

pub fn stories() -> usize {
    STORIES.len()
}

/// A code of letters only (a number could be read as a year), unique per `n`.
pub fn code(n: usize) -> String {
    let mut n = n;
    let mut s = String::new();
    loop {
        s.insert(0, char::from(b'a' + (n % 26) as u8));
        n /= 26;
        if n == 0 {
            break;
        }
    }
    format!("q{s}")
}

/// The desk and code of an article's text, from its last line.
pub fn marker(body: &str) -> Option<(usize, String)> {
    let line = body.trim_end().lines().last()?;
    let rest = line.strip_prefix("Filed by desk ")?;
    let (desk, code) = rest.split_once(" as ")?;
    let desk = desk.bytes().next()?.checked_sub(b'a')? as usize;
    Some((desk, code.trim_end_matches('.').to_string()))
}

/// Kills per crash test, unless `ANNALS_CRASH_RUNS` says otherwise.
pub const RUNS: usize = 100;

/// xorshift64*: enough randomness for kill points, no dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

pub fn seed_from_env(default: u64) -> u64 {
    std::env::var("ANNALS_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

pub fn runs_from_env() -> usize {
    std::env::var("ANNALS_CRASH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(RUNS)
}

/// What importing each story alone writes: (date expressions, sources).
pub struct Reference(Vec<(i64, i64)>);

impl Reference {
    pub fn new() -> Reference {
        let dct = NaiveDate::parse_from_str(DCT, "%Y-%m-%d").ok();
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let counts = (0..STORIES.len())
            .map(|desk| {
                let path = dir.path().join(format!("reference-{desk}.sqlite3"));
                let mut db = Db::open(&path).unwrap_or_else(|e| panic!("{e}"));
                annals_core::seed::ensure_countries(&mut db).unwrap_or_else(|e| panic!("{e}"));
                let text = story(desk, "qref");
                let report = db
                    .import_file(
                        "story.txt",
                        text.as_bytes(),
                        dct,
                        "2026-01-01T00:00:00Z",
                        &mut |_| true,
                    )
                    .unwrap_or_else(|e| panic!("story {desk}: {e}"));
                assert!(report.events > 0, "story {desk} proposes nothing");
                drop(db);
                let conn = Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
                counts_of(&conn, report.article_id)
            })
            .collect();
        Reference(counts)
    }
}

fn counts_of(conn: &Connection, article: i64) -> (i64, i64) {
    let count = |sql: &str| -> i64 {
        conn.query_row(sql, [article], |r| r.get(0))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    };
    (
        count("SELECT count(*) FROM article_timex WHERE article_id = ?1"),
        count("SELECT count(*) FROM provenance WHERE article_id = ?1"),
    )
}

/// What a checked database holds, for the test's own expectations.
#[derive(Default)]
pub struct Found {
    /// Article id of each code.
    pub articles: HashMap<String, i64>,
    /// Publication date of each article.
    pub published: HashMap<i64, Option<String>>,
    /// Each event's title and status.
    pub events: HashMap<i64, (String, String)>,
}

/// Checks the database at `path` after a crash; says what is wrong, else what
/// it holds. Nothing is written (the full-text checks are commands that only
/// read); opening it recovers from the WAL as the user's next start would.
pub fn check(path: &Path, reference: &Reference) -> Result<Found, String> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
        .map_err(|e| format!("open: {e}"))?;
    let one = |sql: &str| -> Result<String, String> {
        conn.query_row(sql, [], |r| r.get::<_, String>(0))
            .map_err(|e| format!("{sql}: {e}"))
    };
    let integrity = one("PRAGMA integrity_check")?;
    if integrity != "ok" {
        return Err(format!("integrity_check: {integrity}"));
    }
    conn.execute(
        "INSERT INTO article_fts (article_fts) VALUES ('integrity-check')",
        [],
    )
    .map_err(|e| format!("article_fts integrity-check: {e}"))?;
    conn.execute(
        "INSERT INTO event_fts (event_fts) VALUES ('integrity-check')",
        [],
    )
    .map_err(|e| format!("event_fts integrity-check: {e}"))?;
    let n = |sql: &str| -> Result<i64, String> {
        conn.query_row(sql, [], |r| r.get(0))
            .map_err(|e| format!("{sql}: {e}"))
    };
    let stray = n("SELECT (SELECT count(*) FROM (SELECT id FROM event EXCEPT SELECT rowid FROM event_fts))
                        + (SELECT count(*) FROM (SELECT rowid FROM event_fts EXCEPT SELECT id FROM event))")?;
    if stray != 0 {
        return Err(format!("{stray} events and full-text rows disagree"));
    }
    // The key index holds exactly what the events say (store/event.rs `rekey`).
    let keys = "SELECT 'k:' || kind, span_class, lo, hi, id FROM event
                UNION ALL SELECT 's:' || status, span_class, lo, hi, id FROM event
                UNION ALL SELECT 'm:' || mission_id, span_class, lo, hi, id FROM event WHERE mission_id IS NOT NULL
                UNION ALL SELECT 'c:' || ec.country, e.span_class, e.lo, e.hi, e.id
                          FROM event e JOIN event_country ec ON ec.event_id = e.id
                UNION ALL SELECT 'c:', span_class, lo, hi, id FROM event e
                          WHERE NOT EXISTS (SELECT 1 FROM event_country ec WHERE ec.event_id = e.id)";
    let off = n(&format!(
        "SELECT (SELECT count(*) FROM (SELECT * FROM ({keys}) EXCEPT SELECT key, span_class, lo, hi, event_id FROM event_key))
              + (SELECT count(*) FROM (SELECT key, span_class, lo, hi, event_id FROM event_key EXCEPT SELECT * FROM ({keys})))"
    ))?;
    if off != 0 {
        return Err(format!("{off} rows of event_key disagree with the events"));
    }
    // The kept counts (migration 0006) equal a recount from the events.
    let levels = "(SELECT 11 AS level UNION ALL SELECT 14 UNION ALL SELECT 17 UNION ALL SELECT 20 UNION ALL SELECT 23)";
    let buckets = format!(
        "SELECT '', l.level, e.lo >> l.level, count(*) FROM event e, {levels} l GROUP BY 1, 2, 3
         UNION ALL SELECT k.key, l.level, k.lo >> l.level, count(*) FROM event_key k, {levels} l GROUP BY 1, 2, 3"
    );
    let off = n(&format!(
        "SELECT (SELECT count(*) FROM (SELECT key, level, bucket, n FROM event_bucket WHERE n <> 0
                                       EXCEPT SELECT * FROM ({buckets})))
              + (SELECT count(*) FROM (SELECT * FROM ({buckets})
                                       EXCEPT SELECT key, level, bucket, n FROM event_bucket))"
    ))?;
    if off != 0 {
        return Err(format!(
            "{off} rows of event_bucket disagree with the events"
        ));
    }
    let combos = "SELECT e.kind, e.status, coalesce(e.mission_id, 0),
                         coalesce((SELECT group_concat(country, ',') FROM
                                   (SELECT country FROM event_country WHERE event_id = e.id ORDER BY country)), ''),
                         count(*)
                  FROM event e GROUP BY 1, 2, 3, 4";
    let off = n(&format!(
        "SELECT (SELECT count(*) FROM (SELECT kind, status, mission, countries, n FROM event_combo WHERE n <> 0
                                       EXCEPT SELECT * FROM ({combos})))
              + (SELECT count(*) FROM (SELECT * FROM ({combos})
                                       EXCEPT SELECT kind, status, mission, countries, n FROM event_combo WHERE n <> 0))"
    ))?;
    if off != 0 {
        return Err(format!(
            "{off} rows of event_combo disagree with the events"
        ));
    }
    // A dataset import drops the count triggers for its transaction: they are
    // there after it, however it ended.
    let triggers = n("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'
                      AND name IN ('event_span_ins', 'event_bucket_ins', 'event_key_bucket_ins')")?;
    if triggers != 3 {
        return Err(format!("{triggers} of the 3 count triggers are there"));
    }
    let spans = n(
        "SELECT count(*) FROM (SELECT span_class, n FROM span_class_count WHERE n <> 0
                   EXCEPT SELECT span_class, count(*) FROM event GROUP BY 1)",
    )?;
    if spans != 0 {
        return Err(format!(
            "{spans} rows of span_class_count disagree with the events"
        ));
    }
    let orphans = n("SELECT count(*) FROM event e WHERE e.origin = 'extracted'
                     AND NOT EXISTS (SELECT 1 FROM provenance p WHERE p.event_id = e.id)")?;
    if orphans != 0 {
        return Err(format!("{orphans} extracted events without a source"));
    }
    let mut found = Found::default();
    let mut stmt = conn
        .prepare("SELECT id, body, published FROM article")
        .map_err(|e| e.to_string())?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })
        .map_err(|e| e.to_string())?;
    for row in rows {
        let (id, body, published) = row.map_err(|e| e.to_string())?;
        found.published.insert(id, published);
        let Some((desk, code)) = marker(&body) else {
            continue; // the seed article
        };
        let want = reference.0[desk];
        let got = counts_of(&conn, id);
        if got != want {
            return Err(format!(
                "article {id} ({code}, desk {desk}) is not whole: {} date expressions and {} sources, where importing it alone writes {} and {}",
                got.0, got.1, want.0, want.1
            ));
        }
        if let Some(other) = found.articles.insert(code.clone(), id) {
            return Err(format!("{code} imported twice: articles {other} and {id}"));
        }
    }
    let mut stmt = conn
        .prepare("SELECT id, title, status FROM event")
        .map_err(|e| e.to_string())?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })
        .map_err(|e| e.to_string())?;
    for row in rows {
        let (id, title, status) = row.map_err(|e| e.to_string())?;
        found.events.insert(id, (title, status));
    }
    Ok(found)
}
