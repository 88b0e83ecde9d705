//! Importing articles, re-anchoring their dates, and reviewing what was proposed.
//!
//! * [`Db::import_file`]: bytes → intake → extraction → [`Db::import_article`], which
//!   writes the article, its date expressions and its proposed events in one
//!   transaction: all or nothing, and nothing at all for the same text twice.
//!   [`Db::import_batch`] writes a run of files in one transaction, each file
//!   whole or not at all (a savepoint each): one commit per run, not per file.
//! * [`Db::set_publication_date`]: re-resolves every stored date expression of an
//!   article against the corrected date, moves the events whose date came from one,
//!   and sends accepted ones that moved back to review with a note.
//! * Review: accept, reject, edit then accept, merge, accept above a confidence.

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;
use ts_rs::TS;

use super::dedupe::{add_sources, same_incident};
use super::event::{insert_event, record_revision, reindex, rekey, write_fields};
use super::gazetteer::mission_id_on;
use super::Db;
use crate::article::{content_hash, NewArticle};
use crate::date::{EventDate, PartialDate};
use crate::error::{Error, Result};
use crate::event::{Event, EventInput, NewEvent, NewSource, Origin, Status};
use crate::extract::{self, Extraction};
use crate::intake::{self, Format};
use crate::timex::{self, Timex};

/// What importing one file did.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ImportReport {
    #[ts(type = "number")]
    pub article_id: i64,
    pub title: String,
    /// The same text was imported before: nothing was written.
    pub already_imported: bool,
    /// Proposed events written.
    pub events: usize,
    /// Proposals that another article already reported (same kind, dates and
    /// mission or countries): their sentences were added to that event as sources.
    pub merged: usize,
    /// The publication date relative dates were resolved against.
    #[ts(type = "string | null")]
    pub published: Option<PartialDate>,
    /// Things the user should know ("read as Windows-1252").
    pub warnings: Vec<String>,
}

/// What correcting a publication date did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ReanchorReport {
    /// Events whose date moved.
    pub moved: usize,
    /// Accepted events that moved and went back to review.
    pub sent_back: usize,
}

fn json<T: Serialize>(v: &T, name: &'static str) -> Result<String> {
    serde_json::to_string(v).map_err(|e| Error::Data {
        name,
        message: e.to_string(),
    })
}

fn anchor_text(t: &Timex, dct: Option<NaiveDate>) -> String {
    match t.anchor {
        timex::Anchor::Absolute => "stated in full".to_string(),
        timex::Anchor::Dct => match dct {
            Some(d) => format!("publication date {}", d.format("%Y-%m-%d")),
            None => "publication date (unknown)".to_string(),
        },
        timex::Anchor::Previous { .. } => "the date mentioned before".to_string(),
    }
}

/// A run of imports written in one transaction ([`Db::import_batch`]): committing
/// once per run rather than once per article spares a WAL commit, a full-text index
/// flush and a page-cache sweep per article, which cost more than the article's own
/// rows when articles are short (a wire story). Each article stays whole or absent
/// (a savepoint each); an interrupted run leaves none of its articles, as if it
/// had not started; a dropped batch rolls back.
pub struct ImportBatch<'db> {
    tx: Transaction<'db>,
}

impl ImportBatch<'_> {
    /// [`Db::import_file`] inside the run.
    pub fn import_file(
        &mut self,
        name: &str,
        bytes: &[u8],
        dct: Option<NaiveDate>,
        now: &str,
        progress: &mut dyn FnMut(usize) -> bool,
    ) -> Result<ImportReport> {
        import_file_on(&self.tx, name, bytes, dct, now, progress)
    }

    /// Writes the run's articles for good.
    pub fn commit(self) -> Result<()> {
        Ok(self.tx.commit()?)
    }
}

/// [`Db::import_file`] inside a transaction the caller commits.
fn import_file_on(
    tx: &Transaction<'_>,
    name: &str,
    bytes: &[u8],
    dct: Option<NaiveDate>,
    now: &str,
    progress: &mut dyn FnMut(usize) -> bool,
) -> Result<ImportReport> {
    let format = Format::from_name(name)?;
    let doc = intake::read(bytes, format)?;
    let printed = doc.head.published_printed;
    let published = match dct {
        Some(d) => Some(PartialDate::from_naive(d)),
        None => printed.filter(|p| p.get_day().is_some()),
    };
    let article = NewArticle {
        title: doc.head.title.clone(),
        byline: doc.head.byline.clone(),
        source: doc.head.source.clone(),
        dateline: doc.head.dateline.clone(),
        published_printed: printed,
        published,
        published_note: dct
            .filter(|d| printed.map(|p| p.first_day()) != Some(*d))
            .map(|_| "publication date set at import".to_string()),
        body: doc.text.clone(),
    };
    // The same text again: say so before spending time on extraction.
    let hash = content_hash(&article.body);
    if let Some(mut report) = already_imported(tx, &hash)? {
        report.warnings = doc.warnings;
        return Ok(report);
    }
    let extraction = extract::extract(&doc.text, &doc.head, published.map(|p| p.first_day()));
    let mut report = write_import(tx, &article, &hash, &extraction, now, progress)?;
    report.warnings = doc.warnings;
    Ok(report)
}

/// The report for text that was imported before (same content hash), if any.
/// (Reads the three columns the report needs, not the article's text: it runs
/// once per imported file.)
fn already_imported(conn: &Connection, hash: &str) -> Result<Option<ImportReport>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, title, published FROM article WHERE content_hash = ?1")?;
    Ok(stmt
        .query_row([hash], |r| {
            Ok(ImportReport {
                article_id: r.get(0)?,
                title: r.get(1)?,
                already_imported: true,
                events: 0,
                merged: 0,
                published: r.get::<_, Option<String>>(2)?.and_then(|p| p.parse().ok()),
                warnings: Vec::new(),
            })
        })
        .optional()?)
}

/// Which of `codes` are countries of the database (an extracted code the
/// table lacks is dropped, not an error). Looks up only the codes the
/// proposals name, with a cached statement, rather than reading every country
/// per article.
fn known_countries<'c>(
    conn: &Connection,
    codes: impl IntoIterator<Item = &'c str>,
) -> Result<HashSet<&'c str>> {
    let mut stmt = conn.prepare_cached("SELECT 1 FROM country WHERE code = ?1")?;
    let mut known = HashSet::new();
    for code in codes {
        if !known.contains(code) && stmt.exists([code])? {
            known.insert(code);
        }
    }
    Ok(known)
}

/// Writes an article known to be new (`hash` is its content hash): checks every
/// event first, then writes the article, its date expressions and its events under
/// a savepoint, so that a failure or a cancel leaves nothing of this article
/// whatever the caller's transaction goes on to do.
fn write_import(
    tx: &Transaction<'_>,
    article: &NewArticle,
    hash: &str,
    extraction: &Extraction,
    now: &str,
    progress: &mut dyn FnMut(usize) -> bool,
) -> Result<ImportReport> {
    let known = known_countries(
        tx,
        extraction.proposals.iter().flat_map(|p| {
            p.countries
                .iter()
                .chain(&p.country)
                .map(String::as_str)
                .chain(
                    p.mission
                        .iter()
                        .flat_map(|m| m.country.into_iter().chain(m.host)),
                )
        }),
    )?;
    let dct = article.published.map(|p| p.first_day());
    // Check every event before anything is written.
    let mut events = Vec::with_capacity(extraction.proposals.len());
    for p in &extraction.proposals {
        let countries: Vec<String> = p
            .countries
            .iter()
            .filter(|c| known.contains(c.as_str()))
            .cloned()
            .collect();
        // A sentence whose clause left no words still gets a title: its kind.
        let title = if p.title.trim().is_empty() {
            p.kind.label().to_string()
        } else {
            p.title.clone()
        };
        let input = EventInput {
            title,
            summary: String::new(),
            kind: p.kind,
            date: p.date,
            city: p.city.clone(),
            country: p.country.clone().filter(|c| known.contains(c.as_str())),
            mission_id: None,
            countries,
            background: p.background,
        }
        .validated()?;
        events.push((input, p));
    }
    tx.execute_batch("SAVEPOINT import_article")?;
    let write = || -> Result<ImportReport> {
        let article_id = super::article::insert_row(tx, article, hash, now)?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO article_timex (article_id, idx, start_char, end_char, timex)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for (i, t) in extraction.timexes.iter().enumerate() {
                stmt.execute(params![
                    article_id,
                    i as i64,
                    t.start as i64,
                    t.end as i64,
                    json(t, "timex")?
                ])?;
            }
        }
        let (mut written, mut merged) = (0usize, 0usize);
        for (input, p) in events {
            let mission_id = match &p.mission {
                Some(m) => match (m.country, m.host, m.city) {
                    (Some(s), Some(h), Some(c)) if known.contains(s) && known.contains(h) => {
                        Some(mission_id_on(tx, m.kind, s, h, c)?)
                    }
                    _ => None,
                },
                None => None,
            };
            let sources = p
                .sources
                .iter()
                .map(|s| NewSource {
                    article_id,
                    sentence_start: u32::try_from(s.sentence_start).unwrap_or(u32::MAX),
                    sentence_end: u32::try_from(s.sentence_end).unwrap_or(u32::MAX),
                    quote: s.quote.clone(),
                    date_text: Some(s.date_text.clone()),
                    date_anchor: extraction.timexes.get(s.timex).map(|t| anchor_text(t, dct)),
                    timex_index: u32::try_from(s.timex).ok(),
                    trigger: s.trigger,
                })
                .collect::<Vec<_>>();
            let input = EventInput {
                mission_id,
                ..input
            };
            // The same incident from another article: one event, every source.
            if let Some(existing) = same_incident(tx, &input, article_id)? {
                add_sources(tx, existing, &input, &sources, now)?;
                merged += 1;
            } else {
                let event = NewEvent {
                    input,
                    status: Status::Proposed,
                    origin: Origin::Extracted,
                    confidence: Some(p.confidence.clamp(0.0, 1.0)),
                    sources,
                };
                insert_event(tx, &event, now)?;
                written += 1;
            }
            if !progress(written + merged) {
                return Err(Error::Cancelled);
            }
        }
        Ok(ImportReport {
            article_id,
            title: article.title.clone(),
            already_imported: false,
            events: written,
            merged,
            published: article.published,
            warnings: Vec::new(),
        })
    };
    match write() {
        Ok(report) => {
            tx.execute_batch("RELEASE import_article")?;
            Ok(report)
        }
        Err(e) => {
            tx.execute_batch("ROLLBACK TO import_article; RELEASE import_article")?;
            Err(e)
        }
    }
}

impl Db {
    /// Reads a file (its name gives the format), extracts its events and imports
    /// them. `dct` overrides the publication date the dateline gives. `progress`
    /// is told how many events are written so far; returning `false` cancels the
    /// import (nothing is written).
    pub fn import_file(
        &mut self,
        name: &str,
        bytes: &[u8],
        dct: Option<NaiveDate>,
        now: &str,
        progress: &mut dyn FnMut(usize) -> bool,
    ) -> Result<ImportReport> {
        let tx = self.conn.transaction()?;
        let report = import_file_on(&tx, name, bytes, dct, now, progress)?;
        tx.commit()?;
        Ok(report)
    }

    /// Starts a run of imports written in one transaction (`ImportBatch`).
    pub fn import_batch(&mut self) -> Result<ImportBatch<'_>> {
        Ok(ImportBatch {
            tx: self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?,
        })
    }

    /// Writes an article, its date expressions and its proposals (status proposed,
    /// origin extracted) in one transaction. The same text imported before is
    /// reported as such and nothing is written.
    pub fn import_article(
        &mut self,
        article: &NewArticle,
        extraction: &Extraction,
        now: &str,
        progress: &mut dyn FnMut(usize) -> bool,
    ) -> Result<ImportReport> {
        if article.body.trim().is_empty() {
            return Err(Error::Rejected(intake::Rejection::Blank));
        }
        let tx = self.conn.transaction()?;
        let hash = content_hash(&article.body);
        let report = match already_imported(&tx, &hash)? {
            Some(report) => report,
            None => write_import(&tx, article, &hash, extraction, now, progress)?,
        };
        tx.commit()?;
        Ok(report)
    }

    /// The date expressions stored for an article, in order.
    pub fn article_timexes(&self, article_id: i64) -> Result<Vec<Timex>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT timex FROM article_timex WHERE article_id = ?1 ORDER BY idx")?;
        let rows = stmt.query_map([article_id], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for r in rows {
            out.push(serde_json::from_str(&r?).map_err(|e| Error::Data {
                name: "article_timex",
                message: e.to_string(),
            })?);
        }
        Ok(out)
    }

    /// Corrects an article's publication date: re-resolves its date expressions,
    /// moves the events dated by them (unless a person changed the date since), and
    /// sends accepted events that moved back to review with a note saying why.
    pub fn set_publication_date(
        &mut self,
        article_id: i64,
        date: PartialDate,
        note: Option<&str>,
        now: &str,
    ) -> Result<ReanchorReport> {
        let article = self.article(article_id)?.ok_or(Error::NotFound {
            what: "article",
            id: article_id,
        })?;
        if date.get_day().is_none() {
            return Err(Error::invalid(
                "published",
                "a publication date needs a day (YYYY-MM-DD)",
            ));
        }
        let mut timexes = self.article_timexes(article_id)?;
        let before: Vec<Option<EventDate>> = timexes.iter().map(|t| t.date).collect();
        let dct = date.first_day();
        timex::resolve(&mut timexes, Some(dct));
        // The first source of each event that names one of the expressions.
        let mut dated_by: BTreeMap<i64, usize> = BTreeMap::new();
        {
            let mut stmt = self.conn.prepare(
                "SELECT event_id, timex_index FROM provenance
                 WHERE article_id = ?1 AND timex_index IS NOT NULL ORDER BY id",
            )?;
            let rows = stmt.query_map([article_id], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
            })?;
            for r in rows {
                let (e, i) = r?;
                dated_by
                    .entry(e)
                    .or_insert(usize::try_from(i).unwrap_or(usize::MAX));
            }
        }
        let mut moves: Vec<(Event, EventDate, EventDate)> = Vec::new();
        for (&event_id, &i) in &dated_by {
            let (Some(Some(old)), Some(Some(new))) =
                (before.get(i).copied(), timexes.get(i).map(|t| t.date))
            else {
                continue;
            };
            if old == new {
                continue;
            }
            let Some(event) = self.event(event_id)? else {
                continue;
            };
            // A date a person set stays theirs.
            if event.date != old {
                continue;
            }
            moves.push((event, old, new));
        }
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE article SET published = ?2, published_note = ?3 WHERE id = ?1",
            params![
                article_id,
                date.to_string(),
                note.map(String::from).or(article.published_note)
            ],
        )?;
        {
            let mut stmt = tx.prepare_cached(
                "UPDATE article_timex SET timex = ?3 WHERE article_id = ?1 AND idx = ?2",
            )?;
            for (i, t) in timexes.iter().enumerate() {
                stmt.execute(params![article_id, i as i64, json(t, "timex")?])?;
            }
        }
        tx.execute(
            "UPDATE provenance SET date_anchor = ?2
             WHERE article_id = ?1 AND date_anchor LIKE 'publication date%'",
            params![
                article_id,
                format!("publication date {}", dct.format("%Y-%m-%d"))
            ],
        )?;
        let mut report = ReanchorReport {
            moved: 0,
            sent_back: 0,
        };
        for (event, old, new) in moves {
            record_revision(&tx, &event, "update", now)?;
            let input = EventInput {
                title: event.title.clone(),
                summary: event.summary.clone(),
                kind: event.kind,
                date: new,
                city: event.city.clone(),
                country: event.country.clone(),
                mission_id: event.mission_id,
                countries: event.countries.clone(),
                background: event.background,
            };
            write_fields(&tx, event.id, &input, now)?;
            let review_note = format!(
                "{}, was {}: publication date corrected",
                new.human(),
                old.human()
            );
            let status = if event.status == Status::Accepted {
                report.sent_back += 1;
                Status::Proposed
            } else {
                event.status
            };
            tx.execute(
                "UPDATE event SET status = ?2, review_note = ?3 WHERE id = ?1",
                params![event.id, status.as_str(), review_note],
            )?;
            reindex(&tx, event.id)?;
            rekey(&tx, event.id)?;
            report.moved += 1;
        }
        tx.commit()?;
        Ok(report)
    }

    /// Accepts a proposed event (clearing its review note).
    pub fn accept_event(&mut self, id: i64, now: &str) -> Result<Event> {
        self.set_status(id, Status::Accepted, now)
    }

    pub fn reject_event(&mut self, id: i64, now: &str) -> Result<Event> {
        self.set_status(id, Status::Rejected, now)
    }

    /// Saves a person's corrections and accepts the event, in one transaction.
    pub fn edit_and_accept(&mut self, id: i64, input: EventInput, now: &str) -> Result<Event> {
        let input = self.checked(NewEvent::manual(input)).map(|e| e.input)?;
        let before = self.require_event(id)?;
        let tx = self.conn.transaction()?;
        record_revision(&tx, &before, "update", now)?;
        write_fields(&tx, id, &input, now)?;
        tx.execute(
            "UPDATE event SET status = 'accepted', review_note = NULL WHERE id = ?1",
            [id],
        )?;
        reindex(&tx, id)?;
        rekey(&tx, id)?;
        tx.commit()?;
        self.require_event(id)
    }

    /// Merges event `from` into `into`: its sources and countries move over, and
    /// `from` is deleted (its last state kept as a revision).
    pub fn merge_events(&mut self, from: i64, into: i64, now: &str) -> Result<Event> {
        if from == into {
            return Err(Error::invalid("event", "cannot merge an event into itself"));
        }
        let source = self.require_event(from)?;
        let target = self.require_event(into)?;
        let tx = self.conn.transaction()?;
        record_revision(&tx, &target, "update", now)?;
        record_revision(&tx, &source, "delete", now)?;
        tx.execute(
            "UPDATE provenance SET event_id = ?2 WHERE event_id = ?1",
            params![from, into],
        )?;
        tx.execute(
            "INSERT OR IGNORE INTO event_country (event_id, country)
             SELECT ?2, country FROM event_country WHERE event_id = ?1",
            params![from, into],
        )?;
        tx.execute(
            "UPDATE event SET updated_at = ?2,
                    confidence = max(coalesce(confidence, 0), coalesce((SELECT confidence FROM event WHERE id = ?3), 0))
             WHERE id = ?1",
            params![into, now, from],
        )?;
        tx.execute("DELETE FROM event_fts WHERE rowid = ?1", [from])?;
        tx.execute("DELETE FROM event WHERE id = ?1", [from])?;
        reindex(&tx, into)?;
        rekey(&tx, into)?;
        tx.commit()?;
        self.require_event(into)
    }

    /// Accepts every proposed event at or above `min_confidence` (of one article
    /// when given); returns how many.
    pub fn accept_above(
        &mut self,
        min_confidence: f64,
        article_id: Option<i64>,
        now: &str,
    ) -> Result<usize> {
        let ids: Vec<i64> = {
            let mut stmt = self.conn.prepare(
                "SELECT e.id FROM event e
                 WHERE e.status = 'proposed' AND coalesce(e.confidence, 0) >= ?1
                   AND (?2 IS NULL OR EXISTS (SELECT 1 FROM provenance p
                                              WHERE p.event_id = e.id AND p.article_id = ?2))
                 ORDER BY e.id",
            )?;
            let rows = stmt.query_map(params![min_confidence, article_id], |r| r.get(0))?;
            rows.collect::<Result<_, _>>()?
        };
        let mut events = Vec::with_capacity(ids.len());
        for &id in &ids {
            events.push(self.require_event(id)?);
        }
        let tx = self.conn.transaction()?;
        for e in &events {
            record_revision(&tx, e, "update", now)?;
            tx.execute(
                "UPDATE event SET status = 'accepted', review_note = NULL, updated_at = ?2 WHERE id = ?1",
                params![e.id, now],
            )?;
            rekey(&tx, e.id)?;
        }
        tx.commit()?;
        Ok(ids.len())
    }

    /// Proposed events, surest first, optionally of one article.
    pub fn review_queue(&self, article_id: Option<i64>) -> Result<Vec<Event>> {
        self.events_by_ids(&self.queue_ids(article_id, u32::MAX)?)
    }

    /// Counts for tests and reports: articles, events, provenance rows.
    pub fn counts(&self) -> Result<(i64, i64, i64)> {
        Ok(self.conn.query_row(
            "SELECT (SELECT count(*) FROM article), (SELECT count(*) FROM event),
                    (SELECT count(*) FROM provenance)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?)
    }

    /// Whether an article with this content hash exists.
    pub fn has_article_hash(&self, hash: &str) -> Result<bool> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM article WHERE content_hash = ?1",
                [hash],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }
}
