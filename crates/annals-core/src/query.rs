//! The one query API that the timeline, the list, the filter panel and the CLI
//! share: events matching a filter, windowed in time, with totals and facet counts.
//!
//! Invariant: a window query visits only index entries whose `lo` can overlap the
//! window. Events are grouped by span class (ceil(log2(length))) so that for class
//! `c` only `lo` in `[t0 - 2^c, t1)` can overlap `[t0, t1)`: one index range scan
//! per class present, never a scan of the whole table.
//! When a window holds more events than the caller can draw, dense stretches come
//! back as counts per bin and lane, and only sparse bins as events.

use std::collections::HashSet;

use rusqlite::types::Value;
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::date::{EventDate, PartialDate, Precision, MAX_YEAR, MIN_YEAR};
use crate::error::{Error, Result};
use crate::event::{Event, EventKind, Status};
use crate::store::Db;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct EventFilter {
    /// Alpha-2 codes; an event matches when it involves any of them.
    pub countries: Vec<String>,
    /// Mission ids; any of them.
    #[ts(type = "number[]")]
    pub missions: Vec<i64>,
    pub kinds: Vec<EventKind>,
    /// Review statuses; empty means every status.
    pub statuses: Vec<Status>,
    /// Events that overlap [from, to] (each at its precision: `to` = 2002 includes
    /// all of 2002).
    #[ts(type = "string | null")]
    pub from: Option<PartialDate>,
    #[ts(type = "string | null")]
    pub to: Option<PartialDate>,
    /// Words to find in title, summary, place and source quote (prefix match).
    pub text: Option<String>,
}

/// Which facet a clause belongs to, so a facet's counts can leave out its own
/// selection (choosing Japan must not hide the count for China).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Facet {
    Country,
    Mission,
    Kind,
    Status,
}

/// A WHERE clause over `event e` with its parameters.
struct Clause {
    sql: String,
    params: Vec<Value>,
}

impl Clause {
    fn new() -> Self {
        Clause {
            sql: "1".into(),
            params: Vec::new(),
        }
    }
    fn and(&mut self, sql: &str, params: impl IntoIterator<Item = Value>) {
        self.sql.push_str(" AND ");
        self.sql.push_str(sql);
        self.params.extend(params);
    }
}

fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// Turns what a person typed into an FTS5 query: every word must appear, as a
/// prefix, and nothing they type is FTS syntax.
pub fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(32)
        .map(|w| format!("\"{w}\"*"))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

impl EventFilter {
    /// The facet whose values drive a window scan through `event_key`, with those
    /// keys: the one likely to be most selective. `None` when no facet is chosen.
    fn driver(&self) -> Option<(Facet, Vec<String>)> {
        if !self.missions.is_empty() {
            Some((
                Facet::Mission,
                self.missions.iter().map(|m| format!("m:{m}")).collect(),
            ))
        } else if !self.countries.is_empty() {
            Some((
                Facet::Country,
                self.countries
                    .iter()
                    .map(|c| format!("c:{}", c.to_ascii_uppercase()))
                    .collect(),
            ))
        } else if !self.kinds.is_empty() {
            Some((
                Facet::Kind,
                self.kinds
                    .iter()
                    .map(|k| format!("k:{}", k.as_str()))
                    .collect(),
            ))
        } else if !self.statuses.is_empty() {
            Some((
                Facet::Status,
                self.statuses
                    .iter()
                    .map(|st| format!("s:{}", st.as_str()))
                    .collect(),
            ))
        } else {
            None
        }
    }

    fn clause(&self, skip: Option<Facet>) -> Result<Clause> {
        let mut c = Clause::new();
        if skip != Some(Facet::Country) && !self.countries.is_empty() {
            c.and(
                &format!(
                    "e.id IN (SELECT event_id FROM event_country WHERE country IN ({}))",
                    placeholders(self.countries.len())
                ),
                self.countries
                    .iter()
                    .map(|s| Value::Text(s.to_ascii_uppercase())),
            );
        }
        if skip != Some(Facet::Mission) && !self.missions.is_empty() {
            c.and(
                &format!("e.mission_id IN ({})", placeholders(self.missions.len())),
                self.missions.iter().map(|&m| Value::Integer(m)),
            );
        }
        if skip != Some(Facet::Kind) && !self.kinds.is_empty() {
            c.and(
                &format!("e.kind IN ({})", placeholders(self.kinds.len())),
                self.kinds.iter().map(|k| Value::Text(k.as_str().into())),
            );
        }
        if skip != Some(Facet::Status) && !self.statuses.is_empty() {
            c.and(
                &format!("e.status IN ({})", placeholders(self.statuses.len())),
                self.statuses.iter().map(|s| Value::Text(s.as_str().into())),
            );
        }
        if let (Some(from), Some(to)) = (self.from, self.to) {
            if to.hi() <= from.lo() {
                return Err(Error::invalid(
                    "to",
                    "the end of the date range is before its start",
                ));
            }
        }
        if let Some(from) = self.from {
            c.and("e.hi > ?", [Value::Integer(from.lo())]);
        }
        if let Some(to) = self.to {
            c.and("e.lo < ?", [Value::Integer(to.hi())]);
        }
        if let Some(q) = self.text.as_deref().and_then(fts_query) {
            c.and(
                "e.id IN (SELECT rowid FROM event_fts WHERE event_fts MATCH ?)",
                [Value::Text(q)],
            );
        }
        Ok(c)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum LaneMode {
    #[default]
    None,
    Country,
    Mission,
    Kind,
}

impl LaneMode {
    /// SQL for an event's lane key, and the join it needs. Country lanes draw an
    /// event once in each country it involves.
    fn sql(self) -> (&'static str, &'static str) {
        match self {
            LaneMode::None => ("''", ""),
            LaneMode::Country => (
                "coalesce(lc.country, '')",
                "LEFT JOIN event_country lc ON lc.event_id = e.id",
            ),
            LaneMode::Mission => ("coalesce(CAST(e.mission_id AS TEXT), '')", ""),
            LaneMode::Kind => ("e.kind", ""),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WindowQuery {
    #[serde(default)]
    pub filter: EventFilter,
    /// The visible range, in minutes since 1970-01-01T00:00: `[lo, hi)`.
    #[ts(type = "number")]
    pub lo: i64,
    #[ts(type = "number")]
    pub hi: i64,
    #[serde(default)]
    pub lanes: LaneMode,
    /// Above this many events the window is aggregated into bins.
    pub max_items: u32,
    /// How many bins the window is cut into when aggregated.
    pub bins: u32,
}

/// One event as the timeline draws it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TimelineItem {
    #[ts(type = "number")]
    pub id: i64,
    pub title: String,
    pub kind: EventKind,
    pub status: Status,
    #[ts(type = "number")]
    pub lo: i64,
    #[ts(type = "number")]
    pub hi: i64,
    pub precision: Precision,
    pub approximate: bool,
    pub date_text: String,
    pub lane: String,
    /// Announced or expected, not (yet) happened: drawn hollow and dashed.
    pub planned: bool,
}

/// A count of events standing for a dense stretch of one lane.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Bin {
    pub lane: String,
    #[ts(type = "number")]
    pub lo: i64,
    #[ts(type = "number")]
    pub hi: i64,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WindowResult {
    /// Events in the window that match the filter.
    pub total: u32,
    pub items: Vec<TimelineItem>,
    pub bins: Vec<Bin>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FacetCount {
    pub key: String,
    pub label: String,
    pub count: u32,
}

/// Counts for the filter panel. Each facet counts what the filter would match
/// with that facet's own selection left out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Facets {
    pub total: u32,
    pub countries: Vec<FacetCount>,
    pub missions: Vec<FacetCount>,
    pub kinds: Vec<FacetCount>,
    pub statuses: Vec<FacetCount>,
    /// The span of the matching events, for "fit all".
    #[ts(type = "number | null")]
    pub lo: Option<i64>,
    #[ts(type = "number | null")]
    pub hi: Option<i64>,
    /// Where the news is: the first `lo` of the matching events that are not
    /// background ("since the 1950-53 war"), for the first view, so decades-old
    /// context does not squeeze the reported events into a corner.
    #[ts(type = "number | null")]
    pub news_lo: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ListPage {
    pub total: u32,
    pub offset: u32,
    pub events: Vec<Event>,
}

/// The minute keys the calendar covers: the start of year [`MIN_YEAR`] to the end
/// of [`MAX_YEAR`]. Every stored date lies inside; a window asked for outside is
/// refused rather than computed with numbers that could overflow.
pub fn key_range() -> (i64, i64) {
    let lo = PartialDate::year(MIN_YEAR).map_or(i64::MIN / 4, |d| d.lo());
    let hi = PartialDate::year(MAX_YEAR).map_or(i64::MAX / 4, |d| d.hi());
    (lo, hi)
}

fn window_overflow() -> Error {
    Error::invalid("window", "the window is too wide to cut into bins")
}

/// Events drawn at most: a guard against a caller asking for everything.
pub const MAX_ITEMS: u32 = 20_000;
/// An aggregated bin with at most this many events is sent as its events.
const SPARSE_BIN: u32 = 2;

impl Db {
    /// Rows `(id, lo, hi)` of the events overlapping `[lo, hi)`, read from a
    /// covering index alone: one range per span class present, and per driving key
    /// when a facet drives the scan (`event_key`), else over all events.
    fn window_source(&self, lo: i64, hi: i64, keys: Option<&[String]>) -> Result<Clause> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT span_class FROM span_class_count WHERE n > 0")?;
        let classes: Vec<i64> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut c = Clause {
            sql: String::new(),
            params: Vec::new(),
        };
        let mut arms = Vec::new();
        let all = [None];
        let keys: Vec<Option<&String>> = match keys {
            Some(k) => k.iter().map(Some).collect(),
            None => all.to_vec(),
        };
        for key in &keys {
            for &k in &classes {
                let reach = 1i64.checked_shl(k.clamp(0, 62) as u32).unwrap_or(i64::MAX);
                let range = [
                    Value::Integer(k),
                    Value::Integer(lo.saturating_sub(reach)),
                    Value::Integer(hi),
                    Value::Integer(lo),
                ];
                match key {
                    None => arms.push("SELECT id, lo, hi FROM event WHERE span_class = ? AND lo >= ? AND lo < ? AND hi > ?"),
                    Some(key) => {
                        c.params.push(Value::Text((*key).clone()));
                        arms.push(
                            "SELECT event_id AS id, lo, hi FROM event_key
                             WHERE key = ? AND span_class = ? AND lo >= ? AND lo < ? AND hi > ?",
                        );
                    }
                }
                c.params.extend(range);
            }
        }
        c.sql = if arms.is_empty() {
            "SELECT id, lo, hi FROM event WHERE 0".into()
        } else {
            arms.join(" UNION ALL ")
        };
        // An event can stand under two keys of one facet (two countries).
        if keys.len() > 1 {
            c.sql = format!("SELECT DISTINCT id, lo, hi FROM ({})", c.sql);
        }
        Ok(c)
    }

    fn count(&self, sql: &str, params: &[Value]) -> Result<u32> {
        let n: i64 = self
            .conn()
            .prepare_cached(sql)?
            .query_row(rusqlite::params_from_iter(params), |r| r.get(0))?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// What the timeline draws for one viewport.
    pub fn window(&self, q: &WindowQuery) -> Result<WindowResult> {
        let (min, max) = key_range();
        if q.lo < min || q.hi > max {
            return Err(Error::invalid(
                "window",
                format!(
                    "the window must lie within the years {MIN_YEAR} to {MAX_YEAR} (minute keys {min} to {max}); it was {} to {}",
                    q.lo, q.hi
                ),
            ));
        }
        if q.hi <= q.lo {
            return Err(Error::invalid(
                "window",
                "the window must end after it starts",
            ));
        }
        q.filter.clause(None)?; // validates the filter as a whole
        let driver = q.filter.driver();
        let filter = q.filter.clause(driver.as_ref().map(|d| d.0))?;
        let source = self.window_source(q.lo, q.hi, driver.as_ref().map(|d| d.1.as_slice()))?;
        // When the driving facet is the whole filter and the lanes need nothing
        // from the event row, the index alone answers counts and bins; otherwise
        // the window's ids drive lookups of the rows the rest of the filter needs.
        let driven = format!(
            "e.id IN (SELECT id FROM ({})) AND ({})",
            source.sql, filter.sql
        );
        let bare =
            filter.params.is_empty() && matches!(q.lanes, LaneMode::None | LaneMode::Country);
        let (from_sql, where_sql) = if bare {
            (format!("({}) e", source.sql), "1".to_string())
        } else {
            ("event e".to_string(), driven.clone())
        };
        let params: Vec<Value> = source.params.into_iter().chain(filter.params).collect();
        let total = self.count(
            &format!("SELECT count(*) FROM {from_sql} WHERE {where_sql}"),
            &params,
        )?;
        let max_items = q.max_items.min(MAX_ITEMS);
        let (lane_sql, lane_join) = q.lanes.sql();
        if total <= max_items {
            let items =
                self.timeline_items(&driven, &params, lane_sql, lane_join, max_items, None)?;
            return Ok(WindowResult {
                total,
                items,
                bins: Vec::new(),
            });
        }
        // lo and hi lie within the years the calendar knows (checked above), so
        // their difference fits; the checked arithmetic says so rather than trusts it.
        let nbins = i64::from(q.bins.clamp(1, 4096));
        let span = q.hi.checked_sub(q.lo).ok_or_else(window_overflow)?;
        let width = span.div_euclid(nbins) + i64::from(span.rem_euclid(nbins) != 0);
        let bin_sql = format!("((max(e.lo, {lo}) - {lo}) / {width})", lo = q.lo);
        let sql = format!(
            "SELECT {lane_sql} AS lane, {bin_sql} AS b, count(*) FROM {from_sql} {lane_join}
             WHERE {where_sql} GROUP BY lane, b ORDER BY lane, b"
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(&params))?;
        let mut bins = Vec::new();
        let mut sparse: HashSet<(String, i64)> = HashSet::new();
        while let Some(r) = rows.next()? {
            let (lane, b, n): (String, i64, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
            let count = u32::try_from(n).unwrap_or(u32::MAX);
            if count <= SPARSE_BIN {
                sparse.insert((lane, b));
            } else {
                let lo = b
                    .checked_mul(width)
                    .and_then(|o| q.lo.checked_add(o))
                    .ok_or_else(window_overflow)?;
                bins.push(Bin {
                    lane,
                    lo,
                    hi: lo.saturating_add(width),
                    count,
                });
            }
        }
        let items = if sparse.is_empty() {
            Vec::new()
        } else {
            let sparse_bins: HashSet<i64> = sparse.iter().map(|(_, b)| *b).collect();
            let list: Vec<String> = sparse_bins.iter().map(i64::to_string).collect();
            let where_sparse = format!("{driven} AND {bin_sql} IN ({})", list.join(","));
            let mut items =
                self.timeline_items(&where_sparse, &params, lane_sql, lane_join, MAX_ITEMS, None)?;
            items.retain(|it| {
                let b = it.lo.max(q.lo).saturating_sub(q.lo) / width;
                sparse.contains(&(it.lane.clone(), b))
            });
            items
        };
        Ok(WindowResult { total, items, bins })
    }

    fn timeline_items(
        &self,
        where_sql: &str,
        params: &[Value],
        lane_sql: &str,
        lane_join: &str,
        limit: u32,
        offset: Option<u32>,
    ) -> Result<Vec<TimelineItem>> {
        let sql = format!(
            "SELECT e.id, e.title, e.kind, e.status, e.lo, e.hi, e.date_start, e.date_end, e.approximate, {lane_sql}, e.planned
             FROM event e {lane_join} WHERE {where_sql} ORDER BY e.lo, e.id LIMIT {limit} OFFSET {}",
            offset.unwrap_or(0)
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let start: String = r.get(6)?;
            let end: Option<String> = r.get(7)?;
            let date = EventDate::new(
                start.parse()?,
                end.map(|e| e.parse()).transpose()?,
                r.get(8)?,
            )?;
            out.push(TimelineItem {
                id: r.get(0)?,
                title: r.get(1)?,
                kind: r.get::<_, String>(2)?.parse()?,
                status: r.get::<_, String>(3)?.parse()?,
                lo: r.get(4)?,
                hi: r.get(5)?,
                precision: date.precision(),
                approximate: date.approximate,
                date_text: date.human(),
                lane: r.get(9)?,
                planned: r.get(10)?,
            });
        }
        Ok(out)
    }

    /// Counts for the filter panel, over all time.
    pub fn facets(&self, filter: &EventFilter) -> Result<Facets> {
        let all = filter.clause(None)?;
        // Total and extent in one pass over the matching events.
        let (total, lo, hi): (i64, Option<i64>, Option<i64>) = self
            .conn()
            .prepare_cached(&format!(
                "SELECT count(*), min(e.lo), max(e.hi) FROM event e WHERE {}",
                all.sql
            ))?
            .query_row(rusqlite::params_from_iter(&all.params), |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
        let total = u32::try_from(total).unwrap_or(u32::MAX);
        let news_lo: Option<i64> = self
            .conn()
            .prepare_cached(&format!(
                "SELECT e.lo FROM event e WHERE ({}) AND e.background = 0 ORDER BY e.lo LIMIT 1",
                all.sql
            ))?
            .query_row(rusqlite::params_from_iter(&all.params), |r| r.get(0))
            .optional()?;
        let c = filter.clause(Some(Facet::Country))?;
        let countries = self.facet_counts(
            &format!(
                "SELECT ec.country, co.name, count(*) FROM event e
                 JOIN event_country ec ON ec.event_id = e.id JOIN country co ON co.code = ec.country
                 WHERE {} GROUP BY ec.country ORDER BY count(*) DESC, co.name",
                c.sql
            ),
            &c.params,
        )?;
        let m = filter.clause(Some(Facet::Mission))?;
        let missions = self.facet_counts(
            &format!(
                "SELECT CAST(e.mission_id AS TEXT), mi.name, count(*) FROM event e JOIN mission mi ON mi.id = e.mission_id
                 WHERE {} GROUP BY e.mission_id ORDER BY count(*) DESC, mi.name",
                m.sql
            ),
            &m.params,
        )?;
        let k = filter.clause(Some(Facet::Kind))?;
        let mut kinds = self.facet_counts(
            &format!("SELECT e.kind, e.kind, count(*) FROM event e WHERE {} GROUP BY e.kind ORDER BY count(*) DESC, e.kind", k.sql),
            &k.params,
        )?;
        for f in &mut kinds {
            if let Ok(kind) = f.key.parse::<EventKind>() {
                f.label = kind.label().to_string();
            }
        }
        let s = filter.clause(Some(Facet::Status))?;
        let mut statuses = self.facet_counts(
            &format!("SELECT e.status, e.status, count(*) FROM event e WHERE {} GROUP BY e.status ORDER BY e.status", s.sql),
            &s.params,
        )?;
        for f in &mut statuses {
            if let Ok(st) = f.key.parse::<Status>() {
                f.label = st.label().to_string();
            }
        }
        Ok(Facets {
            total,
            countries,
            missions,
            kinds,
            statuses,
            lo,
            hi,
            news_lo,
        })
    }

    fn facet_counts(&self, sql: &str, params: &[Value]) -> Result<Vec<FacetCount>> {
        let mut stmt = self.conn().prepare_cached(sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| {
            Ok(FacetCount {
                key: r.get(0)?,
                label: r.get(1)?,
                count: u32::try_from(r.get::<_, i64>(2)?).unwrap_or(u32::MAX),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A page of matching events in chronological order, for the list view and CLI.
    pub fn list(&self, filter: &EventFilter, offset: u32, limit: u32) -> Result<ListPage> {
        let c = filter.clause(None)?;
        let total = self.count(
            &format!("SELECT count(*) FROM event e WHERE {}", c.sql),
            &c.params,
        )?;
        let sql = format!(
            "SELECT e.id FROM event e WHERE {} ORDER BY e.lo, e.hi, e.id LIMIT {} OFFSET {offset}",
            c.sql,
            limit.min(MAX_ITEMS)
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let ids: Vec<i64> = stmt
            .query_map(rusqlite::params_from_iter(&c.params), |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(ListPage {
            total,
            offset,
            events: self.events_by_ids(&ids)?,
        })
    }

    /// How many matching events start before `key`: the list offset of the first
    /// event at or after a point of the timeline.
    pub fn position_of(&self, filter: &EventFilter, key: i64) -> Result<u32> {
        let (min, max) = key_range();
        let key = key.clamp(min, max);
        let mut c = filter.clause(None)?;
        c.and("e.lo < ?", [Value::Integer(key)]);
        self.count(
            &format!("SELECT count(*) FROM event e WHERE {}", c.sql),
            &c.params,
        )
    }
}
