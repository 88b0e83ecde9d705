//! The same incident reported by several articles is one event with every
//! source: when an import proposes an event that another article already gave
//! (same kind, same dates, same mission, or with no mission the same countries),
//! the new sentence is added to that event as a source instead.

use rusqlite::{params, OptionalExtension, Transaction};

use super::event::{reindex, rekey, write_sources};
use crate::error::Result;
use crate::event::{EventInput, NewSource};

/// The event, not rejected and not background, that already reports what
/// `input` reports, from an article other than `article_id`. Only events dated
/// to the day or finer are matched: "in 2002" is not an incident.
pub(super) fn same_incident(
    tx: &Transaction<'_>,
    input: &EventInput,
    article_id: i64,
) -> Result<Option<i64>> {
    if input.background || input.date.start.get_day().is_none() {
        return Ok(None);
    }
    let countries = serde_json::to_string(&input.countries).unwrap_or_else(|_| "[]".into());
    let mut stmt = tx.prepare_cached(
        "SELECT e.id FROM event e
         WHERE e.kind = ?1 AND e.lo = ?2 AND e.hi = ?3
           AND e.status != 'rejected' AND e.background = 0
           AND NOT EXISTS (SELECT 1 FROM provenance p WHERE p.event_id = e.id AND p.article_id = ?4)
           AND CASE WHEN ?5 IS NOT NULL THEN e.mission_id = ?5
                    ELSE e.mission_id IS NULL
                         AND (SELECT count(*) FROM event_country c
                              WHERE c.event_id = e.id
                                AND c.country IN (SELECT value FROM json_each(?6)))
                             >= min(2, json_array_length(?6))
                         AND json_array_length(?6) > 0
               END
         ORDER BY e.id LIMIT 1",
    )?;
    Ok(stmt
        .query_row(
            params![
                input.kind.as_str(),
                input.date.lo(),
                input.date.hi(),
                article_id,
                input.mission_id,
                countries
            ],
            |r| r.get(0),
        )
        .optional()?)
}

/// Adds an article's sentences to an event that reports the same incident, and
/// the countries it names; the event keeps its status, title and date.
pub(super) fn add_sources(
    tx: &Transaction<'_>,
    event_id: i64,
    input: &EventInput,
    sources: &[NewSource],
    now: &str,
) -> Result<()> {
    write_sources(tx, event_id, sources)?;
    let mut stmt = tx.prepare_cached(
        "INSERT OR IGNORE INTO event_country (event_id, country) VALUES (?1, ?2)",
    )?;
    for c in &input.countries {
        stmt.execute(params![event_id, c])?;
    }
    tx.execute(
        "UPDATE event SET updated_at = unixepoch(?2) WHERE id = ?1",
        params![event_id, now],
    )?;
    reindex(tx, event_id)?;
    rekey(tx, event_id)?;
    Ok(())
}
