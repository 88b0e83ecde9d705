//! Re-anchoring an imported article: when its publication date is corrected, every
//! stored date expression is resolved again against the new date ([`timex::resolve`],
//! from the kept `Expr` and anchor, without the text), the events those expressions
//! dated move (unless a person changed their date since), and accepted ones that moved
//! go back to review with a note saying why.

use std::collections::BTreeMap;

use rusqlite::params;
use serde::Serialize;
use ts_rs::TS;

use super::event::{record_revision, reindex, rekey, write_fields};
use super::import::json;
use super::Db;
use crate::date::{EventDate, PartialDate};
use crate::error::{Error, Result};
use crate::event::{Event, EventInput, Status};
use crate::timex::{self, Timex};

/// What correcting a publication date did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ReanchorReport {
    /// Events whose date moved.
    pub moved: usize,
    /// Accepted events that moved and went back to review.
    pub sent_back: usize,
}

impl Db {
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
                planned: event.planned,
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
}
