//! Synthetic timelines for tests and benchmarks: `annals gen` and the query bench
//! both call [`generate`], so there is one generator.
//!
//! The shape follows what imported news gives: a few countries and missions
//! account for most events (Zipf-like weights), statements and meetings outnumber
//! entries and removals, most events cluster in bursts around incidents, dates are
//! mostly days with some months, years, minutes and ranges, and some events are
//! still proposed. The same `seed` gives the same database: no clock and no OS
//! randomness are read, and every event is stamped [`CREATED_AT`].

use crate::date::{day_of_key, EventDate, PartialDate};
use crate::error::{Error, Result};
use crate::event::{EventInput, EventKind, NewEvent, Origin, Status};
use crate::mission::MissionKind;
use crate::store::Db;
use chrono::Datelike;

/// When every synthetic event says it was written.
pub const CREATED_AT: &str = "2026-01-01T00:00:00Z";

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    pub events: usize,
    pub seed: u64,
}

/// The shares the generator aims at, in percent of events, so tests can hold it
/// to them.
pub mod shares {
    /// Day-precise single dates; the rest are months, years, minutes and ranges.
    pub const DAY: u32 = 70;
    pub const MONTH: u32 = 12;
    pub const YEAR: u32 = 5;
    pub const MINUTE: u32 = 5;
    /// Ranges (a few days, or several years).
    pub const RANGE: u32 = 8;
    /// Review status: the rest are accepted.
    pub const PROPOSED: u32 = 12;
    pub const REJECTED: u32 = 3;
    /// Events at a mission.
    pub const AT_MISSION: u32 = 30;
    /// Events in a burst around an incident, within a few weeks of it.
    pub const IN_BURST: u32 = 60;
}

/// Countries in order of how often they appear (weight 1/rank).
pub const COUNTRIES: [&str; 32] = [
    "CN", "KP", "JP", "KR", "US", "RU", "DE", "GB", "FR", "IN", "ES", "IT", "CA", "AU", "BR", "MX",
    "ZA", "EG", "TR", "IR", "IL", "PK", "VN", "TH", "PH", "ID", "MY", "SG", "NL", "SE", "PL", "UA",
];

/// Kinds with their weights.
const KINDS: [(EventKind, u32); 12] = [
    (EventKind::Statement, 25),
    (EventKind::Meeting, 15),
    (EventKind::Protest, 12),
    (EventKind::Entry, 10),
    (EventKind::Arrest, 8),
    (EventKind::Security, 8),
    (EventKind::Removal, 5),
    (EventKind::Departure, 5),
    (EventKind::Repatriation, 4),
    (EventKind::Other, 3),
    (EventKind::Treaty, 3),
    (EventKind::Conflict, 2),
];

/// Hosts of missions and the second city where sending countries keep consulates.
const HOSTS: [(&str, &str); 10] = [
    ("CN", "Shenyang"),
    ("KP", "Rason"),
    ("JP", "Osaka"),
    ("KR", "Busan"),
    ("US", "New York"),
    ("RU", "Vladivostok"),
    ("DE", "Munich"),
    ("GB", "Edinburgh"),
    ("FR", "Marseille"),
    ("IN", "Mumbai"),
];

const WORDS: [&str; 48] = [
    "asylum",
    "seekers",
    "police",
    "guards",
    "compound",
    "gate",
    "talks",
    "visa",
    "border",
    "refugees",
    "envoy",
    "minister",
    "foreign",
    "ministry",
    "delegation",
    "summit",
    "agreement",
    "sanctions",
    "nuclear",
    "missile",
    "trade",
    "students",
    "workers",
    "fishermen",
    "defectors",
    "journalists",
    "officials",
    "protesters",
    "activists",
    "families",
    "soldiers",
    "ships",
    "airport",
    "railway",
    "province",
    "capital",
    "harbour",
    "village",
    "consular",
    "diplomatic",
    "urgent",
    "secret",
    "formal",
    "emergency",
    "annual",
    "joint",
    "bilateral",
    "regional",
];

/// SplitMix64: small, fast, and the same on every platform.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    /// True with `percent` percent probability.
    pub fn chance(&mut self, percent: u32) -> bool {
        self.below(100) < u64::from(percent)
    }
    /// An index drawn with weight 1/(rank+1).
    pub fn zipf(&mut self, n: usize) -> usize {
        let total: f64 = (1..=n).map(|r| 1.0 / r as f64).sum();
        let mut x = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * total;
        for r in 1..=n {
            x -= 1.0 / r as f64;
            if x < 0.0 {
                return r - 1;
            }
        }
        n - 1
    }
    fn weighted<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        let total: u32 = items.iter().map(|i| i.1).sum();
        let mut x = self.below(u64::from(total)) as u32;
        for &(item, w) in items {
            if x < w {
                return item;
            }
            x -= w;
        }
        items[items.len() - 1].0
    }
}

/// An incident: the day a burst of events clusters around, where it happened.
struct Incident {
    day: i64,
    host: usize,
    mission: Option<usize>,
}

const MINUTES_PER_DAY: i64 = 1440;

/// Days since 1970 of 1 January of `year`.
fn day_of_year_start(year: i32) -> i64 {
    PartialDate::year(year).map_or(0, |d| d.lo() / MINUTES_PER_DAY)
}

/// A day of 1990..2025 (nine in ten) or 1900..1989.
fn random_day(rng: &mut Rng) -> i64 {
    let (from, to) = if rng.chance(10) {
        (1900, 1990)
    } else {
        (1990, 2026)
    };
    let (a, b) = (day_of_year_start(from), day_of_year_start(to));
    a + rng.below((b - a) as u64) as i64
}

fn date_of(rng: &mut Rng, day: i64) -> Result<EventDate> {
    let d = day_of_key(day * MINUTES_PER_DAY);
    let (y, m, dd) = (d.year(), d.month(), d.day());
    let roll = rng.below(100) as u32;
    let (start, end) = if roll < shares::DAY {
        (PartialDate::day(y, m, dd)?, None)
    } else if roll < shares::DAY + shares::MONTH {
        (PartialDate::month(y, m)?, None)
    } else if roll < shares::DAY + shares::MONTH + shares::YEAR {
        (PartialDate::year(y)?, None)
    } else if roll < shares::DAY + shares::MONTH + shares::YEAR + shares::MINUTE {
        let (h, mi) = (rng.below(24) as u32, rng.below(60) as u32);
        (PartialDate::minute(y, m, dd, h, mi)?, None)
    } else if rng.chance(70) {
        // A few days: a standoff, a visit.
        let to = day_of_key((day + 1 + rng.below(10) as i64) * MINUTES_PER_DAY);
        (
            PartialDate::day(y, m, dd)?,
            Some(PartialDate::day(to.year(), to.month(), to.day())?),
        )
    } else {
        // Several years: a war, a policy, a detention.
        (
            PartialDate::year(y)?,
            Some(PartialDate::year(y + 1 + rng.below(6) as i32)?),
        )
    };
    Ok(EventDate::new(start, end, rng.chance(10))?)
}

/// Writes `spec.events` synthetic events (with the countries and the missions
/// they need) into an empty database, in transactions of 10,000; `progress` is
/// told how many are written. Refuses a database that already has events or
/// articles, so a timeline is never mixed with invented events.
pub fn generate(db: &mut Db, spec: &Spec, mut progress: impl FnMut(usize)) -> Result<()> {
    if !db.is_empty()? {
        return Err(Error::invalid(
            "database",
            "it already has events or articles; synthetic events go into an empty database",
        ));
    }
    crate::seed::ensure_countries(db)?;
    let capitals: Vec<(String, String)> = db
        .conn()
        .prepare("SELECT code, coalesce(capital, name) FROM country")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let capital = |code: &str| {
        capitals
            .iter()
            .find(|c| c.0 == code)
            .map_or(code.to_string(), |c| c.1.clone())
    };
    // Missions: the 16 most frequent countries each keep an embassy in every host
    // and a consulate in its second city, in order of how often they appear.
    let mut missions: Vec<(i64, usize, usize)> = Vec::new(); // id, sending, host
    for (s, sending) in COUNTRIES.iter().take(16).enumerate() {
        for (h, (host, city)) in HOSTS.iter().enumerate() {
            if sending == host {
                continue;
            }
            let m = db.ensure_mission(MissionKind::Embassy, sending, host, &capital(host))?;
            missions.push((m.id, s, h));
            if s < 8 {
                let m = db.ensure_mission(MissionKind::Consulate, sending, host, city)?;
                missions.push((m.id, s, h));
            }
        }
    }
    let names: Vec<String> = COUNTRIES
        .iter()
        .map(|c| {
            db.country(c)
                .ok()
                .flatten()
                .map_or(c.to_string(), |c| c.name)
        })
        .collect();
    let mut rng = Rng::new(spec.seed);
    let incidents: Vec<Incident> = (0..spec.events / 40 + 1)
        .map(|_| {
            let mission = rng
                .chance(50)
                .then(|| rng.zipf(missions.len()))
                .filter(|_| !missions.is_empty());
            Incident {
                day: random_day(&mut rng),
                host: mission.map_or_else(|| rng.zipf(HOSTS.len()), |m| missions[m].2),
                mission,
            }
        })
        .collect();
    let mut done = 0;
    while done < spec.events {
        let n = (spec.events - done).min(10_000);
        let mut batch = Vec::with_capacity(n);
        for i in done..done + n {
            batch.push(event(&mut rng, i, &incidents, &missions, &names)?);
        }
        db.create_events(batch, CREATED_AT)?;
        done += n;
        progress(done);
    }
    Ok(())
}

fn event(
    rng: &mut Rng,
    i: usize,
    incidents: &[Incident],
    missions: &[(i64, usize, usize)],
    names: &[String],
) -> Result<NewEvent> {
    let kind = rng.weighted(&KINDS);
    let (day, host, mission) = if rng.chance(shares::IN_BURST) {
        // Incidents are skewed too: the first ones are the big stories.
        let inc = &incidents[rng.zipf(incidents.len())];
        // Most of a burst is within days, some weeks after.
        let offset = match rng.below(10) {
            0..=5 => rng.below(3) as i64,
            6..=8 => rng.below(14) as i64,
            _ => rng.below(60) as i64 - 10,
        };
        let mission = inc.mission.filter(|_| rng.chance(70));
        (inc.day + offset, inc.host, mission)
    } else {
        let mission = rng
            .chance(shares::AT_MISSION / 2)
            .then(|| rng.zipf(missions.len()));
        (
            random_day(rng),
            mission.map_or_else(|| rng.zipf(HOSTS.len()), |m| missions[m].2),
            mission,
        )
    };
    let host_code = COUNTRIES
        .iter()
        .position(|c| *c == HOSTS[host].0)
        .unwrap_or(0);
    let mut countries = vec![host_code];
    if let Some(m) = mission {
        countries.push(missions[m].1);
    }
    let extra = match rng.below(10) {
        0..=3 => 0,
        4..=8 => 1,
        _ => 2,
    };
    for _ in 0..extra {
        countries.push(rng.zipf(COUNTRIES.len()));
    }
    countries.sort_unstable();
    countries.dedup();
    let date = date_of(rng, day)?;
    let (w1, w2) = (
        WORDS[rng.below(WORDS.len() as u64) as usize],
        WORDS[rng.below(WORDS.len() as u64) as usize],
    );
    let who = countries
        .iter()
        .map(|&c| names[c].as_str())
        .collect::<Vec<_>>()
        .join(" and ");
    let title = format!("{} {w1} {w2}: {who} (#{i})", kind.label());
    let roll = rng.below(100) as u32;
    let status = if roll < shares::PROPOSED {
        Status::Proposed
    } else if roll < shares::PROPOSED + shares::REJECTED {
        Status::Rejected
    } else {
        Status::Accepted
    };
    let extracted = status != Status::Accepted || rng.chance(50);
    let before_1950 = date.start.lo() < day_of_year_start(1950) * MINUTES_PER_DAY;
    Ok(NewEvent {
        input: EventInput {
            title,
            summary: String::new(),
            kind,
            date,
            city: None,
            country: Some(COUNTRIES[host_code].to_string()),
            mission_id: mission.map(|m| missions[m].0),
            countries: countries
                .iter()
                .map(|&c| COUNTRIES[c].to_string())
                .collect(),
            background: before_1950 && rng.chance(50),
            planned: rng.chance(1),
        },
        status,
        origin: if extracted {
            Origin::Extracted
        } else {
            Origin::Manual
        },
        confidence: extracted.then(|| 0.5 + rng.below(50) as f64 / 100.0),
        sources: Vec::new(),
    })
}
