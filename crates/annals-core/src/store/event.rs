//! Events in the database: create, read, update, delete with undo, revisions and
//! the full-text index, each write in one transaction.

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::Db;
use crate::date::EventDate;
use crate::error::{Error, Result};
use crate::event::{Event, EventInput, NewEvent, NewSource, Origin, Provenance, Status, TextSpan};

/// The id of a deleted event whose last state is kept for undo.
pub type Restorable = i64;

/// ceil(log2(len)) for a positive length in minutes (see the migration).
pub(crate) fn span_class(lo: i64, hi: i64) -> i64 {
    let len = (hi - lo).max(1) as u64;
    i64::from(u64::BITS - (len - 1).leading_zeros())
}

const EVENT_COLUMNS: &str = "e.id, e.title, e.summary, e.kind, e.date_start, e.date_end, e.approximate, \
     e.city, e.country, e.mission_id, m.name, e.status, e.origin, e.confidence, e.background, \
     strftime('%Y-%m-%dT%H:%M:%SZ', e.created_at, 'unixepoch'), \
     strftime('%Y-%m-%dT%H:%M:%SZ', e.updated_at, 'unixepoch'), \
     (SELECT group_concat(country, ',') FROM (SELECT country FROM event_country WHERE event_id = e.id ORDER BY country)), \
     e.review_note, e.planned";

/// An event's sources, with the event's id last; `WHERE` and `ORDER BY` follow.
const SOURCE_SELECT: &str =
    "SELECT p.article_id, a.title, a.published, p.sentence_start, p.sentence_end, p.quote,
            p.date_text, p.date_anchor, p.timex_index, p.trigger_start, p.trigger_end, p.event_id
     FROM provenance p JOIN article a ON a.id = p.article_id";

fn provenance_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Provenance> {
    let published: Option<String> = r.get(2)?;
    Ok(Provenance {
        article_id: r.get(0)?,
        article_title: r.get(1)?,
        article_date: published
            .and_then(|p| p.parse::<crate::date::PartialDate>().ok())
            .map(|d| d.human()),
        sentence_start: r.get(3)?,
        sentence_end: r.get(4)?,
        quote: r.get(5)?,
        date_text: r.get(6)?,
        date_anchor: r.get(7)?,
        timex_index: r.get(8)?,
        trigger: match (r.get(9)?, r.get(10)?) {
            (Some(start), Some(end)) => Some(TextSpan { start, end }),
            _ => None,
        },
    })
}

fn event_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Result<Event>> {
    let build = || -> Result<Event> {
        let start: String = r.get(4)?;
        let end: Option<String> = r.get(5)?;
        let date = EventDate::new(
            start.parse()?,
            end.map(|e| e.parse()).transpose()?,
            r.get(6)?,
        )?;
        let countries: Option<String> = r.get(17)?;
        Ok(Event {
            id: r.get(0)?,
            title: r.get(1)?,
            summary: r.get(2)?,
            kind: r.get::<_, String>(3)?.parse()?,
            date_text: date.human(),
            precision: date.precision(),
            date,
            city: r.get(7)?,
            country: r.get(8)?,
            mission_id: r.get(9)?,
            mission_name: r.get(10)?,
            countries: countries
                .map(|c| c.split(',').map(String::from).collect())
                .unwrap_or_default(),
            status: r.get::<_, String>(11)?.parse()?,
            origin: r.get::<_, String>(12)?.parse()?,
            confidence: r.get(13)?,
            background: r.get(14)?,
            planned: r.get(19)?,
            sources: Vec::new(),
            review_note: r.get(18)?,
            created_at: r.get(15)?,
            updated_at: r.get(16)?,
        })
    };
    Ok(build())
}

impl Db {
    pub fn event(&self, id: i64) -> Result<Option<Event>> {
        let row = self
            .conn
            .query_row(
                &format!("SELECT {EVENT_COLUMNS} FROM event e LEFT JOIN mission m ON m.id = e.mission_id WHERE e.id = ?1"),
                [id],
                event_row,
            )
            .optional()?;
        match row {
            None => Ok(None),
            Some(event) => {
                let mut event = event?;
                event.sources = self.sources(id)?;
                Ok(Some(event))
            }
        }
    }

    pub(super) fn require_event(&self, id: i64) -> Result<Event> {
        self.event(id)?.ok_or(Error::NotFound { what: "event", id })
    }

    /// Events by id, in the order given, with their sources; missing ids are
    /// skipped. Two statements for all of them (the events, then their
    /// sources), not two an event: a list page is a hundred.
    pub fn events_by_ids(&self, ids: &[i64]) -> Result<Vec<Event>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
        let mut found: HashMap<i64, Event> = HashMap::with_capacity(ids.len());
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {EVENT_COLUMNS} FROM event e LEFT JOIN mission m ON m.id = e.mission_id
             WHERE e.id IN (SELECT value FROM json_each(?1))"
        ))?;
        for event in stmt.query_map([&list], event_row)? {
            let event = event??;
            found.insert(event.id, event);
        }
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SOURCE_SELECT} WHERE p.event_id IN (SELECT value FROM json_each(?1)) ORDER BY p.id"
        ))?;
        let mut rows = stmt.query([&list])?;
        while let Some(r) = rows.next()? {
            let event_id: i64 = r.get(11)?;
            if let Some(e) = found.get_mut(&event_id) {
                e.sources.push(provenance_row(r)?);
            }
        }
        Ok(ids.iter().filter_map(|id| found.get(id).cloned()).collect())
    }

    pub fn sources(&self, event_id: i64) -> Result<Vec<Provenance>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SOURCE_SELECT} WHERE p.event_id = ?1 ORDER BY p.id"
        ))?;
        let rows = stmt.query_map([event_id], provenance_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn check_references(&self, input: &EventInput) -> Result<()> {
        if let Some(c) = &input.country {
            self.require_country(c, "country")?;
        }
        for c in &input.countries {
            self.require_country(c, "countries")?;
        }
        if let Some(m) = input.mission_id {
            if self.mission(m)?.is_none() {
                return Err(Error::invalid(
                    "mission",
                    format!("there is no mission with id {m}"),
                ));
            }
        }
        Ok(())
    }

    pub fn create_event(&mut self, new: NewEvent, now: &str) -> Result<Event> {
        let ids = self.create_events(vec![new], now)?;
        let id = ids.first().copied().ok_or(Error::NotFound {
            what: "event",
            id: 0,
        })?;
        self.require_event(id)
    }

    /// Inserts many events in one transaction: all or none.
    pub fn create_events(&mut self, events: Vec<NewEvent>, now: &str) -> Result<Vec<i64>> {
        let mut checked = Vec::with_capacity(events.len());
        for e in events {
            checked.push(self.checked(e)?);
        }
        let tx = self.conn.transaction()?;
        let mut ids = Vec::with_capacity(checked.len());
        for e in &checked {
            ids.push(insert_event(&tx, e, now)?);
        }
        tx.commit()?;
        Ok(ids)
    }

    /// Checks an event before it is written: fields, references, confidence.
    pub(super) fn checked(&self, mut e: NewEvent) -> Result<NewEvent> {
        e.input = e.input.validated()?;
        self.check_references(&e.input)?;
        if let Some(c) = e.confidence {
            if !(0.0..=1.0).contains(&c) {
                return Err(Error::invalid("confidence", "must be between 0 and 1"));
            }
        }
        Ok(e)
    }

    /// Replaces the user-settable fields of an event, keeping a revision of the
    /// state before.
    pub fn update_event(&mut self, id: i64, input: EventInput, now: &str) -> Result<Event> {
        let input = input.validated()?;
        self.check_references(&input)?;
        let before = self.require_event(id)?;
        let tx = self.conn.transaction()?;
        record_revision(&tx, &before, "update", now)?;
        write_fields(&tx, id, &input, now)?;
        reindex(&tx, id)?;
        rekey(&tx, id)?;
        tx.commit()?;
        self.require_event(id)
    }

    /// Sets the review status; accepting clears the review note.
    pub fn set_status(&mut self, id: i64, status: Status, now: &str) -> Result<Event> {
        let before = self.require_event(id)?;
        let tx = self.conn.transaction()?;
        record_revision(&tx, &before, "update", now)?;
        tx.execute(
            "UPDATE event SET status = ?2, updated_at = unixepoch(?3),
                    review_note = CASE WHEN ?2 = 'accepted' THEN NULL ELSE review_note END
             WHERE id = ?1",
            params![id, status.as_str(), now],
        )?;
        rekey(&tx, id)?;
        tx.commit()?;
        self.require_event(id)
    }

    /// Deletes an event; its last state stays in the revisions so
    /// [`Db::restore_event`] can bring it back.
    pub fn delete_event(&mut self, id: i64, now: &str) -> Result<Restorable> {
        let before = self.require_event(id)?;
        let tx = self.conn.transaction()?;
        record_revision(&tx, &before, "delete", now)?;
        unkey(&tx, id)?;
        tx.execute("DELETE FROM event_fts WHERE rowid = ?1", [id])?;
        tx.execute("DELETE FROM event WHERE id = ?1", [id])?;
        tx.commit()?;
        Ok(id)
    }

    /// Undoes [`Db::delete_event`]: the event comes back with its id, fields, status
    /// and sources as they were.
    pub fn restore_event(&mut self, id: Restorable, now: &str) -> Result<Event> {
        if self.event(id)?.is_some() {
            return Err(Error::invalid(
                "event",
                format!("event {id} is not deleted"),
            ));
        }
        let snapshot: Option<String> = self
            .conn
            .query_row(
                "SELECT snapshot FROM event_revision WHERE event_id = ?1 AND action = 'delete' ORDER BY id DESC LIMIT 1",
                [id],
                |r| r.get(0),
            )
            .optional()?;
        let snapshot = snapshot.ok_or(Error::NotFound {
            what: "deleted event",
            id,
        })?;
        let old: Event = serde_json::from_str(&snapshot).map_err(|e| Error::Data {
            name: "event revision",
            message: e.to_string(),
        })?;
        let mut input = EventInput {
            title: old.title.clone(),
            summary: old.summary.clone(),
            kind: old.kind,
            date: old.date,
            city: old.city.clone(),
            country: old.country.clone(),
            mission_id: old.mission_id,
            countries: old.countries.clone(),
            background: old.background,
            planned: old.planned,
        };
        // The mission may have gone since; keep the rest of the event.
        if input
            .mission_id
            .is_some_and(|m| self.mission(m).ok().flatten().is_none())
        {
            input.mission_id = None;
        }
        let sources: Vec<NewSource> = old
            .sources
            .iter()
            .filter(|s| self.article(s.article_id).ok().flatten().is_some())
            .map(|s| NewSource {
                article_id: s.article_id,
                sentence_start: s.sentence_start,
                sentence_end: s.sentence_end,
                quote: s.quote.clone(),
                date_text: s.date_text.clone(),
                date_anchor: s.date_anchor.clone(),
                timex_index: s.timex_index,
                trigger: s.trigger,
            })
            .collect();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO event (id, title, kind, date_start, precision, lo, hi, span_class, status, origin,
                                confidence, created_at, updated_at)
             VALUES (?1, ?2, 'other', '', 'day', 0, 1, 0, ?3, ?4, ?5, unixepoch(?6), unixepoch(?7))",
            params![id, input.title, old.status.as_str(), old.origin.as_str(), old.confidence, old.created_at, now],
        )?;
        write_fields(&tx, id, &input, now)?;
        write_sources(&tx, id, &sources)?;
        reindex(&tx, id)?;
        rekey(&tx, id)?;
        tx.execute(
            "INSERT INTO event_revision (event_id, at, action, snapshot) VALUES (?1, ?2, 'restore', ?3)",
            params![id, now, snapshot],
        )?;
        tx.commit()?;
        self.require_event(id)
    }

    /// How many revisions an event has (updates, deletes, restores).
    pub fn revision_count(&self, id: i64) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM event_revision WHERE event_id = ?1",
            [id],
            |r| r.get(0),
        )?)
    }

    pub fn event_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM event", [], |r| r.get(0))?)
    }

    /// Ids of events with this origin, for tests and maintenance.
    pub fn event_ids_by_origin(&self, origin: Origin) -> Result<Vec<i64>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM event WHERE origin = ?1 ORDER BY lo, id")?;
        let rows = stmt.query_map([origin.as_str()], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// Inserts one checked event with its sources and index rows; returns its id.
pub(super) fn insert_event(tx: &Transaction<'_>, e: &NewEvent, now: &str) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO event (title, kind, date_start, precision, lo, hi, span_class, status, origin,
                            confidence, created_at, updated_at)
         VALUES (?1, 'other', '', 'day', 0, 1, 0, ?2, ?3, ?4, unixepoch(?5), unixepoch(?5))",
    )?
    .execute(params![
        e.input.title,
        e.status.as_str(),
        e.origin.as_str(),
        e.confidence,
        now
    ])?;
    let id = tx.last_insert_rowid();
    write_fields(tx, id, &e.input, now)?;
    write_sources(tx, id, &e.sources)?;
    index(tx, id)?;
    rekey(tx, id)?;
    Ok(id)
}

pub(super) fn record_revision(
    tx: &Transaction<'_>,
    before: &Event,
    action: &str,
    now: &str,
) -> Result<()> {
    let snapshot = serde_json::to_string(before).map_err(|e| Error::Data {
        name: "event",
        message: e.to_string(),
    })?;
    tx.prepare_cached(
        "INSERT INTO event_revision (event_id, at, action, snapshot) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![before.id, now, action, snapshot])?;
    Ok(())
}

pub(super) fn write_fields(
    tx: &Transaction<'_>,
    id: i64,
    input: &EventInput,
    now: &str,
) -> Result<()> {
    let (lo, hi) = (input.date.lo(), input.date.hi());
    tx.prepare_cached("UPDATE event SET title = ?2, summary = ?3, kind = ?4, date_start = ?5, date_end = ?6, approximate = ?7,
                precision = ?8, lo = ?9, hi = ?10, span_class = ?11, city = ?12, country = ?13,
                mission_id = ?14, background = ?15, updated_at = unixepoch(?16), planned = ?17
         WHERE id = ?1")?.execute(params![
            id,
            input.title,
            input.summary,
            input.kind.as_str(),
            input.date.start.to_string(),
            input.date.end.map(|e| e.to_string()),
            input.date.approximate,
            input.date.precision().as_str(),
            lo,
            hi,
            span_class(lo, hi),
            input.city,
            input.country,
            input.mission_id,
            input.background,
            now,
            input.planned
        ])?;
    tx.prepare_cached("DELETE FROM event_country WHERE event_id = ?1")?
        .execute([id])?;
    let mut stmt =
        tx.prepare_cached("INSERT INTO event_country (event_id, country) VALUES (?1, ?2)")?;
    for c in &input.countries {
        stmt.execute(params![id, c])?;
    }
    Ok(())
}

pub(super) fn write_sources(tx: &Transaction<'_>, id: i64, sources: &[NewSource]) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO provenance (event_id, article_id, sentence_start, sentence_end, quote, date_text,
                                 date_anchor, timex_index, trigger_start, trigger_end, date_expr)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,
                 (SELECT json_object('expr', json_extract(timex, '$.expr'), 'anchor', json_extract(timex, '$.anchor'))
                  FROM article_timex WHERE article_id = ?2 AND idx = ?8))",
    )?;
    for s in sources {
        if s.sentence_end < s.sentence_start {
            return Err(Error::invalid(
                "source",
                "the sentence ends before it starts",
            ));
        }
        stmt.execute(params![
            id,
            s.article_id,
            s.sentence_start,
            s.sentence_end,
            s.quote,
            s.date_text,
            s.date_anchor,
            s.timex_index,
            s.trigger.map(|t| t.start),
            s.trigger.map(|t| t.end)
        ])
        .map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::ConstraintViolation) => Error::invalid(
                "source",
                format!("there is no article with id {}", s.article_id),
            ),
            _ => Error::from(e),
        })?;
    }
    Ok(())
}

/// Rewrites the event's rows in the per-value time index (migration 0002; an
/// event without a country has the key `c:`, migration 0006) and moves it from
/// its old combination to its new one in `event_combo`. What the index holds
/// for an event is noted in `event_keyed` (combination, span class, `lo`,
/// `hi`), so its old rows are found by their primary key, with no index by
/// event. The time buckets follow `event_key` by triggers.
pub(super) fn rekey(tx: &Connection, id: i64) -> Result<()> {
    let before = keyed(tx, id)?;
    let now = tx
        .prepare_cached(
            "SELECT kind, status, coalesce(mission_id, 0),
                    coalesce((SELECT group_concat(country, ',') FROM
                              (SELECT country FROM event_country WHERE event_id = ?1 ORDER BY country)), ''),
                    span_class, lo, hi
             FROM event WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok((
                Combo(r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?),
                r.get::<_, i64>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, i64>(6)?,
            ))
        })
        .optional()?;
    let Some((combo, span_class, lo, hi)) = now else {
        return unkey(tx, id);
    };
    if let Some(k) = &before {
        if k.combo == combo && (k.span_class, k.lo, k.hi) == (span_class, lo, hi) {
            return Ok(());
        }
    }
    unkey(tx, id)?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO event_key (key, span_class, lo, hi, event_id) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for key in combo.keys() {
        insert.execute(params![key, span_class, lo, hi, id])?;
    }
    tx.prepare_cached(
        "INSERT INTO event_combo (kind, status, mission, countries, n) VALUES (?1, ?2, ?3, ?4, 1)
         ON CONFLICT (kind, status, mission, countries) DO UPDATE SET n = n + 1",
    )?
    .execute(params![combo.0, combo.1, combo.2, combo.3])?;
    tx.prepare_cached(
        "INSERT INTO event_keyed (id, combo, span_class, lo, hi)
         SELECT ?1, id, ?6, ?7, ?8 FROM event_combo
         WHERE kind = ?2 AND status = ?3 AND mission = ?4 AND countries = ?5",
    )?
    .execute(params![
        id, combo.0, combo.1, combo.2, combo.3, span_class, lo, hi
    ])?;
    Ok(())
}

/// Triggers that keep counts a row at a time as events and their keys are
/// inserted. A bulk writer (`store/dataset.rs`) drops them for its transaction,
/// counts what they would have counted itself and adds the sums at its end, and
/// puts them back before it commits; a rollback puts them back too, as DDL is
/// part of the transaction.
pub(super) const ROW_COUNT_TRIGGERS: &[&str] =
    &["event_span_ins", "event_bucket_ins", "event_key_bucket_ins"];

/// Takes an event out of the keys and its combination: before it is deleted (in
/// the same transaction), and before it is keyed anew.
pub(super) fn unkey(tx: &Connection, id: i64) -> Result<()> {
    let Some(k) = keyed(tx, id)? else {
        return Ok(());
    };
    let mut delete = tx.prepare_cached(
        "DELETE FROM event_key WHERE key = ?1 AND span_class = ?2 AND lo = ?3 AND event_id = ?4",
    )?;
    for key in k.combo.keys() {
        delete.execute(params![key, k.span_class, k.lo, id])?;
    }
    tx.prepare_cached("UPDATE event_combo SET n = n - 1 WHERE id = ?1")?
        .execute([k.combo_id])?;
    tx.prepare_cached("DELETE FROM event_keyed WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// An event's kind, status, mission (0: none) and countries (sorted, joined by
/// ','): a row of `event_combo`.
#[derive(PartialEq, Eq, Hash, Clone)]
pub(super) struct Combo(
    pub(super) String,
    pub(super) String,
    pub(super) i64,
    pub(super) String,
);

impl Combo {
    /// The event's keys in `event_key`.
    pub(super) fn keys(&self) -> Vec<String> {
        let mut keys = vec![format!("k:{}", self.0), format!("s:{}", self.1)];
        if self.2 != 0 {
            keys.push(format!("m:{}", self.2));
        }
        if self.3.is_empty() {
            keys.push("c:".into());
        }
        keys.extend(
            self.3
                .split(',')
                .filter(|c| !c.is_empty())
                .map(|c| format!("c:{c}")),
        );
        keys
    }
}

/// What `event_key` holds for an event, from `event_keyed`.
struct Keyed {
    combo_id: i64,
    combo: Combo,
    span_class: i64,
    lo: i64,
    hi: i64,
}

fn keyed(tx: &Connection, id: i64) -> Result<Option<Keyed>> {
    Ok(tx
        .prepare_cached(
            "SELECT c.id, c.kind, c.status, c.mission, c.countries, k.span_class, k.lo, k.hi
             FROM event_keyed k JOIN event_combo c ON c.id = k.combo WHERE k.id = ?1",
        )?
        .query_row([id], |r| {
            Ok(Keyed {
                combo_id: r.get(0)?,
                combo: Combo(r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?),
                span_class: r.get(5)?,
                lo: r.get(6)?,
                hi: r.get(7)?,
            })
        })
        .optional()?)
}

/// Rewrites the event's row in the full-text index from the stored event.
pub(super) fn reindex(tx: &Transaction<'_>, id: i64) -> Result<()> {
    tx.prepare_cached("DELETE FROM event_fts WHERE rowid = ?1")?
        .execute([id])?;
    index(tx, id)
}

/// Writes the full-text row of an event that has none yet (a new one): an FTS5
/// delete of a row that is not there still costs a lookup and a flush.
fn index(tx: &Transaction<'_>, id: i64) -> Result<()> {
    tx.prepare_cached("INSERT INTO event_fts (rowid, title, summary, place, quote)
         SELECT e.id, e.title, e.summary,
                concat_ws(' ', e.city, m.name,
                          (SELECT group_concat(c.name || ' ' || c.demonyms, ' ')
                           FROM event_country ec JOIN country c ON c.code = ec.country WHERE ec.event_id = e.id)),
                (SELECT group_concat(quote, ' ') FROM provenance WHERE event_id = e.id)
         FROM event e LEFT JOIN mission m ON m.id = e.mission_id WHERE e.id = ?1")?.execute([id])?;
    Ok(())
}
