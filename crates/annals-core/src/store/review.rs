//! What the Review and Article views read: articles with their review counts,
//! proposals with where their date expression sits in the quoted sentence, an
//! article with every date expression and the events it dates, and the events a
//! proposal could be merged into; and the decisions taken on proposals (accept,
//! reject, reopen, edit then accept, merge, accept all above a confidence).

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use rusqlite::types::Value as SqlValue;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::event::{record_revision, reindex, rekey, unkey, write_fields};
use super::Db;
use crate::article::Article;
use crate::date::PartialDate;
use crate::error::{Error, Result};
use crate::event::{Event, EventInput, EventKind, NewEvent, Status};
use crate::query::FacetCount;
use crate::timex::Timex;

/// The most articles or proposals one page of the Review view gets at once; it
/// asks for more as the user works down the queue.
pub const REVIEW_PAGE_MAX: u32 = 1000;

/// Which proposals the Review view shows, and a bulk decision takes: those of
/// one article (or all), of any of these kinds, involving any of these
/// countries, with a confidence in `[min_confidence, below_confidence)`. Empty
/// lists and `None` leave that part open.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct ReviewFilter {
    #[ts(type = "number | null")]
    pub article_id: Option<i64>,
    pub kinds: Vec<EventKind>,
    /// Alpha-2 codes.
    pub countries: Vec<String>,
    pub min_confidence: Option<f64>,
    pub below_confidence: Option<f64>,
}

/// A reviewer's decision on proposals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Decision {
    Accept,
    Reject,
}

impl Decision {
    fn status(self) -> Status {
        match self {
            Decision::Accept => Status::Accepted,
            Decision::Reject => Status::Rejected,
        }
    }
}

/// The kinds and countries of the proposals waiting (of one article when
/// given), with how many each: what the Review view's filters offer.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ReviewFacets {
    pub kinds: Vec<FacetCount>,
    pub countries: Vec<FacetCount>,
}

impl ReviewFilter {
    /// Checks what the page sent: confidences between 0 and 1, codes of two
    /// letters.
    pub fn validated(mut self) -> Result<ReviewFilter> {
        for c in [self.min_confidence, self.below_confidence]
            .into_iter()
            .flatten()
        {
            if !(0.0..=1.0).contains(&c) {
                return Err(Error::invalid(
                    "confidence",
                    "a confidence is between 0 and 100%",
                ));
            }
        }
        for c in &mut self.countries {
            if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_alphabetic()) {
                return Err(Error::invalid(
                    "countries",
                    format!("`{c}` is not a two-letter country code"),
                ));
            }
            c.make_ascii_uppercase();
        }
        Ok(self)
    }

    /// The WHERE clause over `event e` of the proposals this filter takes.
    fn clause(&self) -> (String, Vec<SqlValue>) {
        let mut sql = String::from("e.status = 'proposed'");
        let mut params = Vec::new();
        if let Some(a) = self.article_id {
            // As a list the planner can start from (the article's few events),
            // not a test of every proposal.
            sql.push_str(
                " AND e.id IN (SELECT p.event_id FROM provenance p WHERE p.article_id = ?)",
            );
            params.push(SqlValue::Integer(a));
        }
        if !self.kinds.is_empty() {
            sql.push_str(&format!(" AND e.kind IN ({})", marks(self.kinds.len())));
            params.extend(self.kinds.iter().map(|k| SqlValue::Text(k.as_str().into())));
        }
        if !self.countries.is_empty() {
            sql.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM event_country c WHERE c.event_id = e.id AND c.country IN ({}))",
                marks(self.countries.len())
            ));
            params.extend(self.countries.iter().map(|c| SqlValue::Text(c.clone())));
        }
        if let Some(min) = self.min_confidence {
            sql.push_str(" AND coalesce(e.confidence, 0) >= ?");
            params.push(SqlValue::Real(min));
        }
        if let Some(below) = self.below_confidence {
            sql.push_str(" AND coalesce(e.confidence, 0) < ?");
            params.push(SqlValue::Real(below));
        }
        (sql, params)
    }
}

fn marks(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// An article as the Review view lists it, with how many of its events wait.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ArticleSummary {
    #[ts(type = "number")]
    pub id: i64,
    pub title: String,
    pub source: Option<String>,
    #[ts(type = "string | null")]
    pub published: Option<PartialDate>,
    pub imported_at: String,
    /// Events read from it that wait for review.
    pub proposed: u32,
    /// Events read from it in all (any status).
    pub events: u32,
}

/// The articles the Review view lists: those with proposals waiting (and the one
/// asked for), newest import first, and how many have been reviewed through.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ReviewArticles {
    pub articles: Vec<ArticleSummary>,
    /// Articles with proposals waiting, in all (the list stops at its limit).
    pub waiting: u32,
    /// Articles that have events, none of them waiting.
    pub done: u32,
}

/// A proposed event and where, in its first source's quote, the date
/// expression that dates it is (characters of the quote, end exclusive). No span
/// when the date was carried over from an earlier sentence.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ReviewItem {
    pub event: Event,
    pub date_start: Option<u32>,
    pub date_end: Option<u32>,
}

/// An event read from an article, as the Article view links it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ArticleEvent {
    #[ts(type = "number")]
    pub id: i64,
    pub title: String,
    pub kind: EventKind,
    pub status: Status,
    pub date_text: String,
    pub sentence_start: u32,
    pub sentence_end: u32,
    /// The date expression (index into the article's list) that dates it.
    pub timex_index: Option<u32>,
    /// Why it is back in review ("8 May 2002, was 2 July 2008: publication date
    /// corrected").
    pub review_note: Option<String>,
}

/// An article with every date expression found in it and the events read from it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ArticleView {
    pub article: Article,
    pub timexes: Vec<Timex>,
    pub events: Vec<ArticleEvent>,
}

/// How far, in minutes, around a proposal's date merge candidates are looked for:
/// reports of one incident often disagree by days ("Wednesday" vs "last week").
const MERGE_WINDOW_MINUTES: i64 = 31 * 24 * 60;

impl Db {
    /// Articles with proposals waiting (at most `limit`, newest import first),
    /// plus `include` whatever its count, with how many wait and how many are done.
    pub fn review_articles(&self, include: Option<i64>, limit: u32) -> Result<ReviewArticles> {
        let mut stmt = self.conn.prepare_cached(
            "WITH counts AS (
                 SELECT p.article_id AS id,
                        count(DISTINCT CASE WHEN e.status = 'proposed' THEN e.id END) AS proposed,
                        count(DISTINCT e.id) AS events
                 FROM provenance p JOIN event e ON e.id = p.event_id
                 GROUP BY p.article_id)
             SELECT a.id, a.title, a.source, a.published, a.imported_at,
                    coalesce(c.proposed, 0), coalesce(c.events, 0)
             FROM article a LEFT JOIN counts c ON c.id = a.id
             WHERE c.proposed > 0 OR a.id = ?1
             ORDER BY a.id IS ?1 DESC, a.imported_at DESC, a.id DESC
             LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![include, limit.saturating_add(1)], |r| {
            Ok(ArticleSummary {
                id: r.get(0)?,
                title: r.get(1)?,
                source: r.get(2)?,
                published: r.get::<_, Option<String>>(3)?.and_then(|s| s.parse().ok()),
                imported_at: r.get(4)?,
                proposed: r.get(5)?,
                events: r.get(6)?,
            })
        })?;
        let mut articles: Vec<ArticleSummary> = rows.collect::<Result<_, _>>()?;
        // The article asked for came first: it stays, beside the newest others.
        let asked = match (include, articles.first()) {
            (Some(id), Some(a)) if a.id == id => Some(articles.remove(0)),
            _ => None,
        };
        articles.truncate(limit as usize);
        articles.extend(asked);
        articles.sort_by(|x, y| y.imported_at.cmp(&x.imported_at).then(y.id.cmp(&x.id)));
        let (waiting, done): (u32, u32) = self.conn.query_row(
            "SELECT count(CASE WHEN proposed > 0 THEN 1 END), count(CASE WHEN proposed = 0 THEN 1 END)
             FROM (SELECT p.article_id,
                          count(CASE WHEN e.status = 'proposed' THEN 1 END) AS proposed
                   FROM provenance p JOIN event e ON e.id = p.event_id
                   GROUP BY p.article_id)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(ReviewArticles {
            articles,
            waiting,
            done,
        })
    }

    /// Sends an accepted or rejected event back to review, with the note it had
    /// when it was last in review (accepting clears it): the undo of a decision.
    pub fn reopen_event(&mut self, id: i64, now: &str) -> Result<Event> {
        let before = self.require_event(id)?;
        let note: Option<String> = match before.review_note.clone() {
            Some(n) => Some(n),
            None => self
                .conn
                .query_row(
                    "SELECT json_extract(snapshot, '$.review_note') FROM event_revision
                     WHERE event_id = ?1 AND json_extract(snapshot, '$.status') = 'proposed'
                     ORDER BY id DESC LIMIT 1",
                    [id],
                    |r| r.get(0),
                )
                .optional()?
                .flatten(),
        };
        let tx = self.conn.transaction()?;
        record_revision(&tx, &before, "update", now)?;
        tx.execute(
            "UPDATE event SET status = 'proposed', review_note = ?2, updated_at = unixepoch(?3) WHERE id = ?1",
            params![id, note, now],
        )?;
        rekey(&tx, id)?;
        tx.commit()?;
        self.require_event(id)
    }

    /// How many events wait for review, in all: from the kept counts (the
    /// coarsest buckets of the key `s:proposed`, a few rows), not a scan of
    /// every event (a second at a million, at every launch and decision).
    pub fn proposed_count(&self) -> Result<u32> {
        let n: i64 = self.conn.query_row(
            "SELECT coalesce(sum(n), 0) FROM event_bucket WHERE key = 's:proposed' AND level = ?1",
            [crate::query::LEVELS[crate::query::LEVELS.len() - 1]],
            |r| r.get(0),
        )?;
        Ok(u32::try_from(n.max(0)).unwrap_or(u32::MAX))
    }

    /// How many proposals the filter takes: what a bulk decision on it would
    /// decide.
    pub fn review_count_matching(&self, filter: &ReviewFilter) -> Result<u32> {
        if filter.article_id.is_none()
            && filter.min_confidence.is_none()
            && filter.below_confidence.is_none()
        {
            // Kinds and countries only: the kept counts of each combination.
            let n = self.status_count(Status::Proposed, &filter.kinds, &filter.countries)?;
            return Ok(u32::try_from(n.max(0)).unwrap_or(u32::MAX));
        }
        let (clause, params) = filter.clause();
        Ok(self
            .conn
            .prepare_cached(&format!("SELECT count(*) FROM event e WHERE {clause}"))?
            .query_row(rusqlite::params_from_iter(params), |r| r.get(0))?)
    }

    /// The kinds and countries of the proposals waiting, most frequent first.
    pub fn review_facets(&self, article_id: Option<i64>) -> Result<ReviewFacets> {
        let (clause, params) = ReviewFilter {
            article_id,
            ..ReviewFilter::default()
        }
        .clause();
        let count = |sql: &str| -> Result<Vec<(String, u32)>> {
            let mut stmt = self.conn.prepare_cached(sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(params.iter()), |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        let (kinds, countries) = match article_id {
            // The whole queue: the kept counts of each combination, no event read.
            None => {
                let (kinds, countries) = self.status_tally(Status::Proposed)?;
                let counts = |v: Vec<(String, i64)>| -> Vec<(String, u32)> {
                    v.into_iter()
                        .map(|(k, n)| (k, u32::try_from(n).unwrap_or(u32::MAX)))
                        .collect()
                };
                (counts(kinds), counts(countries))
            }
            Some(_) => (
                count(&format!(
                    "SELECT e.kind, count(*) AS n FROM event e WHERE {clause} GROUP BY e.kind ORDER BY n DESC, e.kind"
                ))?,
                count(&format!(
                    "SELECT c.country, count(*) AS n FROM event e JOIN event_country c ON c.event_id = e.id
                     WHERE {clause} GROUP BY c.country ORDER BY n DESC, c.country"
                ))?,
            ),
        };
        let names: HashMap<String, String> = self
            .countries()?
            .into_iter()
            .map(|c| (c.code, c.name))
            .collect();
        Ok(ReviewFacets {
            kinds: kinds
                .into_iter()
                .map(|(key, count)| FacetCount {
                    label: key
                        .parse::<EventKind>()
                        .map_or_else(|_| key.clone(), |k| k.label().to_string()),
                    key,
                    count,
                })
                .collect(),
            countries: countries
                .into_iter()
                .map(|(key, count)| FacetCount {
                    label: names.get(&key).cloned().unwrap_or_else(|| key.clone()),
                    key,
                    count,
                })
                .collect(),
        })
    }

    /// The first `limit` proposals the filter takes (surest first), each with its
    /// date expression located in its quote.
    pub fn review_items(&self, filter: &ReviewFilter, limit: u32) -> Result<Vec<ReviewItem>> {
        let events = self.events_by_ids(&self.queue_ids(filter, limit)?)?;
        let mut timexes: HashMap<i64, Vec<Timex>> = HashMap::new();
        let mut items = Vec::with_capacity(events.len());
        for event in events {
            let span = match event.sources.first() {
                Some(src) => match src.timex_index {
                    Some(i) => {
                        let list = match timexes.entry(src.article_id) {
                            Entry::Occupied(o) => o.into_mut(),
                            Entry::Vacant(v) => v.insert(self.article_timexes(src.article_id)?),
                        };
                        list.get(i as usize)
                            .and_then(|t| within(t, src.sentence_start, src.sentence_end))
                    }
                    None => None,
                },
                None => None,
            };
            items.push(ReviewItem {
                event,
                date_start: span.map(|s| s.0),
                date_end: span.map(|s| s.1),
            });
        }
        Ok(items)
    }

    /// Ids of the proposals the filter takes, surest first, then in date order;
    /// the first `limit`.
    pub(super) fn queue_ids(&self, filter: &ReviewFilter, limit: u32) -> Result<Vec<i64>> {
        let (clause, mut params) = filter.clause();
        params.push(SqlValue::Integer(i64::from(limit)));
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT e.id FROM event e WHERE {clause}
             ORDER BY coalesce(e.confidence, 0) DESC, e.lo, e.id LIMIT ?"
        ))?;
        let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// An article with its date expressions and the events read from it.
    pub fn article_view(&self, article_id: i64) -> Result<ArticleView> {
        let article = self.article(article_id)?.ok_or(Error::NotFound {
            what: "article",
            id: article_id,
        })?;
        let timexes = self.article_timexes(article_id)?;
        let ids: Vec<i64> = {
            let mut stmt = self.conn.prepare(
                "SELECT DISTINCT event_id FROM provenance WHERE article_id = ?1 ORDER BY event_id",
            )?;
            let rows = stmt.query_map([article_id], |r| r.get(0))?;
            rows.collect::<Result<_, _>>()?
        };
        let mut events = Vec::new();
        for e in self.events_by_ids(&ids)? {
            for s in e.sources.iter().filter(|s| s.article_id == article_id) {
                events.push(ArticleEvent {
                    id: e.id,
                    title: e.title.clone(),
                    kind: e.kind,
                    status: e.status,
                    date_text: e.date_text.clone(),
                    sentence_start: s.sentence_start,
                    sentence_end: s.sentence_end,
                    timex_index: s.timex_index,
                    review_note: e.review_note.clone(),
                });
            }
        }
        events.sort_by_key(|e| (e.sentence_start, e.id));
        Ok(ArticleView {
            article,
            timexes,
            events,
        })
    }

    /// Events a proposal could be the same incident as: not itself, not rejected,
    /// dated within a month of it; those sharing its countries first, then the
    /// nearest in time.
    pub fn merge_candidates(&self, id: i64, limit: u32) -> Result<Vec<Event>> {
        let event = self.require_event(id)?;
        let lo = event.date.lo() - MERGE_WINDOW_MINUTES;
        let hi = event.date.hi() + MERGE_WINDOW_MINUTES;
        let ids: Vec<i64> = {
            let mut stmt = self.conn.prepare(
                "SELECT e.id FROM event e
                 WHERE e.id != ?1 AND e.status != 'rejected' AND e.lo < ?3 AND e.hi > ?2
                 ORDER BY (SELECT count(*) FROM event_country c
                           WHERE c.event_id = e.id
                             AND c.country IN (SELECT country FROM event_country
                                               WHERE event_id = ?1)) DESC,
                          abs(e.lo - ?4), e.id
                 LIMIT ?5",
            )?;
            let rows = stmt.query_map(params![id, lo, hi, event.date.lo(), limit], |r| r.get(0))?;
            rows.collect::<Result<_, _>>()?
        };
        self.events_by_ids(&ids)
    }
}

/// The span of `t` relative to the sentence [start, end), if it lies inside it.
fn within(t: &Timex, start: u32, end: u32) -> Option<(u32, u32)> {
    let (a, b) = (u32::try_from(t.start).ok()?, u32::try_from(t.end).ok()?);
    (a >= start && b <= end && a < b).then(|| (a - start, b - start))
}

/// Decisions on proposals: accept, reject, edit then accept, merge, accept all
/// above a confidence.
impl Db {
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
            "UPDATE event SET updated_at = unixepoch(?2),
                    confidence = max(coalesce(confidence, 0), coalesce((SELECT confidence FROM event WHERE id = ?3), 0))
             WHERE id = ?1",
            params![into, now, from],
        )?;
        unkey(&tx, from)?;
        tx.execute("DELETE FROM event_fts WHERE rowid = ?1", [from])?;
        tx.execute("DELETE FROM event WHERE id = ?1", [from])?;
        reindex(&tx, into)?;
        rekey(&tx, into)?;
        tx.commit()?;
        self.require_event(into)
    }

    /// Accepts or rejects every proposal the filter takes, in one transaction;
    /// the ids decided, for an undo ([`Db::reopen_events`]).
    pub fn decide_matching(
        &mut self,
        filter: &ReviewFilter,
        decision: Decision,
        now: &str,
    ) -> Result<Vec<i64>> {
        let mut ids = self.queue_ids(filter, u32::MAX)?;
        ids.sort_unstable();
        self.set_statuses(&ids, Status::Proposed, decision.status(), now)
    }

    /// Accepts or rejects the proposals among `ids` (a reviewer's selection), in
    /// one transaction; the ids decided. An id that is no longer a proposal
    /// (decided meanwhile, deleted) is left alone.
    pub fn decide_events(
        &mut self,
        ids: &[i64],
        decision: Decision,
        now: &str,
    ) -> Result<Vec<i64>> {
        self.set_statuses(ids, Status::Proposed, decision.status(), now)
    }

    /// Sends decided events back to review: the undo of a bulk decision. Only
    /// events still accepted or rejected move; the ids moved.
    pub fn reopen_events(&mut self, ids: &[i64], now: &str) -> Result<Vec<i64>> {
        let mut moved = self.set_statuses(ids, Status::Accepted, Status::Proposed, now)?;
        moved.extend(self.set_statuses(ids, Status::Rejected, Status::Proposed, now)?);
        moved.sort_unstable();
        Ok(moved)
    }

    /// Moves the events among `ids` whose status is `from` to `to`, each with a
    /// revision, in one transaction; the ids moved.
    fn set_statuses(
        &mut self,
        ids: &[i64],
        from: Status,
        to: Status,
        now: &str,
    ) -> Result<Vec<i64>> {
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let events: Vec<Event> = self
            .events_by_ids(&ids)?
            .into_iter()
            .filter(|e| e.status == from)
            .collect();
        let tx = self.conn.transaction()?;
        for e in &events {
            record_revision(&tx, e, "update", now)?;
            tx.execute(
                "UPDATE event SET status = ?3, review_note = NULL, updated_at = unixepoch(?2) WHERE id = ?1",
                params![e.id, now, to.as_str()],
            )?;
            rekey(&tx, e.id)?;
        }
        tx.commit()?;
        Ok(events.iter().map(|e| e.id).collect())
    }

    /// Proposed events, surest first, optionally of one article.
    pub fn review_queue(&self, article_id: Option<i64>) -> Result<Vec<Event>> {
        let filter = ReviewFilter {
            article_id,
            ..ReviewFilter::default()
        };
        self.events_by_ids(&self.queue_ids(&filter, u32::MAX)?)
    }
}
