//! Reference and seed data compiled into the binary from `data/`: the countries
//! (converted from the `world-countries` package) and the curated events of the
//! first corpus, each with its source sentence.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use crate::article::NewArticle;
use crate::date::{EventDate, PartialDate};
use crate::error::{Error, Result};
use crate::event::{EventInput, EventKind, NewEvent, NewSource, Origin, Status};
use crate::mission::MissionKind;
use crate::store::gazetteer::CountryRecord;
use crate::store::Db;

const COUNTRIES_JSON: &str = include_str!("../../../data/countries.json");
const SEED_JSON: &str = include_str!("../../../data/seed/events.json");
const SEED_ARTICLE: &str = include_str!("../../../data/seed/shenyang-consulate-2002.txt");

/// The setting that records that the seed ran, so emptying the timeline by hand
/// does not bring the seed back on the next start.
const SEEDED_KEY: &str = "seeded_at";

#[derive(Deserialize)]
struct CountriesFile {
    countries: Vec<CountryRecord>,
}

#[derive(Deserialize)]
struct SeedFile {
    article: SeedArticle,
    /// By key, so that every seeded database numbers its missions alike.
    missions: BTreeMap<String, SeedMission>,
    events: Vec<SeedEvent>,
}

#[derive(Deserialize)]
struct SeedArticle {
    title: String,
    byline: Option<String>,
    source: Option<String>,
    dateline: Option<String>,
    published_printed: Option<PartialDate>,
    published: Option<PartialDate>,
    published_note: Option<String>,
}

#[derive(Deserialize)]
struct SeedMission {
    kind: MissionKind,
    sending: String,
    host: String,
    city: String,
}

#[derive(Deserialize)]
struct SeedEvent {
    title: String,
    summary: String,
    kind: EventKind,
    date: String,
    city: Option<String>,
    country: Option<String>,
    mission: Option<String>,
    countries: Vec<String>,
    quote: String,
    date_text: Option<String>,
    anchor: Option<String>,
    #[serde(default)]
    background: bool,
}

fn data_error(name: &'static str, e: impl std::fmt::Display) -> Error {
    Error::Data {
        name,
        message: e.to_string(),
    }
}

/// Loads the country list when the database has none. Cheap when it has.
pub fn ensure_countries(db: &mut Db) -> Result<usize> {
    if !db.countries()?.is_empty() {
        return Ok(0);
    }
    let file: CountriesFile =
        serde_json::from_str(COUNTRIES_JSON).map_err(|e| data_error("countries.json", e))?;
    db.upsert_countries(&file.countries)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedReport {
    pub article_inserted: bool,
    pub events_inserted: usize,
}

/// Fills a new database: countries, then the seed article and its curated events,
/// once. A database that was seeded before (even if emptied since) is left alone.
pub fn seed_if_new(db: &mut Db, now: &str) -> Result<Option<SeedReport>> {
    ensure_countries(db)?;
    if db.setting(SEEDED_KEY)?.is_some() || !db.is_empty()? {
        return Ok(None);
    }
    seed(db, now).map(Some)
}

/// Imports the seed article and its curated events. Idempotent: when the article
/// is already there, nothing is added.
pub fn seed(db: &mut Db, now: &str) -> Result<SeedReport> {
    ensure_countries(db)?;
    let file: SeedFile =
        serde_json::from_str(SEED_JSON).map_err(|e| data_error("seed/events.json", e))?;
    let a = &file.article;
    let (article, inserted) = db.insert_article(
        &NewArticle {
            title: a.title.clone(),
            byline: a.byline.clone(),
            source: a.source.clone(),
            dateline: a.dateline.clone(),
            published_printed: a.published_printed,
            published: a.published,
            published_note: a.published_note.clone(),
            body: SEED_ARTICLE.to_string(),
        },
        now,
    )?;
    db.set_setting(SEEDED_KEY, now)?;
    if !inserted {
        return Ok(SeedReport {
            article_inserted: false,
            events_inserted: 0,
        });
    }
    let mut missions = HashMap::new();
    for (key, m) in &file.missions {
        missions.insert(
            key.clone(),
            db.ensure_mission(m.kind, &m.sending, &m.host, &m.city)?.id,
        );
    }
    let mut events = Vec::with_capacity(file.events.len());
    for e in file.events {
        let date: EventDate = e.date.parse()?;
        let byte_start = SEED_ARTICLE.find(&e.quote).ok_or_else(|| {
            data_error(
                "seed/events.json",
                format!("quote of `{}` is not in the article", e.title),
            )
        })?;
        let char_start = SEED_ARTICLE[..byte_start].chars().count();
        let char_end = char_start + e.quote.chars().count();
        let mission_id = match &e.mission {
            None => None,
            Some(key) => Some(*missions.get(key).ok_or_else(|| {
                data_error("seed/events.json", format!("unknown mission `{key}`"))
            })?),
        };
        events.push(NewEvent {
            input: EventInput {
                title: e.title,
                summary: e.summary,
                kind: e.kind,
                date,
                city: e.city,
                country: e.country,
                mission_id,
                countries: e.countries,
                background: e.background,
                planned: false,
            },
            status: Status::Accepted,
            origin: Origin::Curated,
            confidence: None,
            sources: vec![NewSource {
                article_id: article.id,
                sentence_start: u32::try_from(char_start).unwrap_or(u32::MAX),
                sentence_end: u32::try_from(char_end).unwrap_or(u32::MAX),
                quote: e.quote,
                date_text: e.date_text,
                date_anchor: e.anchor,
                timex_index: None,
                trigger: None,
            }],
        });
    }
    let n = events.len();
    db.create_events(events, now)?;
    Ok(SeedReport {
        article_inserted: true,
        events_inserted: n,
    })
}
