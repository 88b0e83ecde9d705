//! The one query API that the timeline, the list, the filter panel and the CLI
//! share: events matching a filter, windowed in time, with totals and facet counts.
//!
//! Invariant: a window query visits only index entries whose `lo` can overlap the
//! window. Events are grouped by span class (ceil(log2(length))) so that for class
//! `c` only `lo` in `[t0 - 2^c, t1)` can overlap `[t0, t1)`: one index range scan
//! per class present, never a scan of the whole table.
//! When a window holds more events than the caller can draw, dense stretches come
//! back as counts per bin and lane, and only sparse bins as events.

use std::collections::{BTreeMap, HashMap, HashSet};

use rusqlite::types::Value;
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::date::{EventDate, PartialDate, Precision, MAX_YEAR, MIN_YEAR};
use crate::error::{Error, Result};
use crate::event::{Event, EventKind, Status};
use crate::store::Db;

mod columns;
mod cube;
pub(crate) use columns::Memo;

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

    /// The filter for a query over all events: the events of its most selective
    /// chosen facet (other than `skip`) come from `event_key` (`driver`), and the
    /// rest is tested on their rows.
    fn keyed_clause(&self, skip: Option<Facet>) -> Result<Clause> {
        let mut rest = self.clone();
        match skip {
            Some(Facet::Country) => rest.countries.clear(),
            Some(Facet::Mission) => rest.missions.clear(),
            Some(Facet::Kind) => rest.kinds.clear(),
            Some(Facet::Status) => rest.statuses.clear(),
            None => {}
        }
        let Some((facet, keys)) = rest.driver() else {
            return rest.clause(None);
        };
        let mut c = Clause::new();
        c.and(
            &format!(
                "e.id IN (SELECT event_id FROM event_key WHERE key IN ({}))",
                placeholders(keys.len())
            ),
            keys.into_iter().map(Value::Text),
        );
        let tail = rest.clause(Some(facet))?;
        c.and(&format!("({})", tail.sql), tail.params);
        Ok(c)
    }

    /// Whether the filter chooses only among countries, missions, kinds and
    /// statuses (no text, no date range): what `event_combo` answers.
    fn facets_only(&self) -> bool {
        self.text.as_deref().and_then(fts_query).is_none()
            && self.from.is_none()
            && self.to.is_none()
    }

    /// The filter as a test of each event row (`event e`), leaving out the facet
    /// `skip`. Countries are looked up by the event's primary key in
    /// `event_country`, so the test costs the same whatever drives the query.
    fn clause(&self, skip: Option<Facet>) -> Result<Clause> {
        let mut c = Clause::new();
        if skip != Some(Facet::Country) && !self.countries.is_empty() {
            c.and(
                &format!(
                    "EXISTS (SELECT 1 FROM event_country WHERE event_id = e.id AND country IN ({}))",
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
/// An aggregated bin with at most this many events is sent as its events...
const SPARSE_BIN: u32 = 2;
/// ...while those events number at most `max_items / SPARSE_SHARE`: each event
/// sent is a row read (3-15 µs), and a wide view with many lanes has thousands
/// of sparse bins, which a count draws as well at that zoom.
const SPARSE_SHARE: u32 = 4;

/// Widths of the time buckets of `event_bucket` (migration 0006): a bucket of
/// level `l` holds the events whose `lo >> l` is its number.
pub(crate) const LEVELS: [u32; 5] = [11, 14, 17, 20, 23];

/// How a window is cut into bins: `width` is a power of two of minutes, at least
/// the window over the bins asked for, and bins start at multiples of it (from
/// `origin`, the multiple at or before the window's start), so a bin is made of
/// whole buckets. An event falls in the bin of `max(lo, window start)`; the first
/// and last bins are clipped to the window.
#[derive(Clone, Copy)]
struct Binning {
    lo: i64,
    hi: i64,
    shift: u32,
    origin: i64,
}

impl Binning {
    fn new(q: &WindowQuery) -> Result<Binning> {
        let nbins = i64::from(q.bins.clamp(1, 4096));
        let span = q.hi.checked_sub(q.lo).ok_or_else(window_overflow)?;
        let least = span.div_euclid(nbins) + i64::from(span.rem_euclid(nbins) != 0);
        let shift = u64::BITS - (least.max(1) as u64 - 1).leading_zeros();
        if shift > 62 {
            return Err(window_overflow());
        }
        let width = 1i64 << shift;
        Ok(Binning {
            lo: q.lo,
            hi: q.hi,
            shift,
            origin: q.lo.div_euclid(width) * width,
        })
    }
    fn width(self) -> i64 {
        1i64 << self.shift
    }
    /// The bin of an event starting at `lo`.
    fn of(self, lo: i64) -> i64 {
        (lo.max(self.lo) - self.origin) >> self.shift
    }
    /// SQL for the bin of `e.lo`.
    fn sql(self) -> String {
        format!(
            "((max(e.lo, {}) - {}) >> {})",
            self.lo, self.origin, self.shift
        )
    }
    /// Where bin `b` starts and ends, clipped to the window.
    fn bounds(self, b: i64) -> (i64, i64) {
        let start = self.origin + (b << self.shift);
        (start.max(self.lo), (start + self.width()).min(self.hi))
    }
}

/// The bins of a window's counts per (lane, bin), and the cells to send as
/// their events instead: those of at most [`SPARSE_BIN`] events, while they
/// number at most a [`SPARSE_SHARE`] of `max_items` events in all (else every
/// cell is a bin).
fn bins_and_sparse(
    cells: impl Iterator<Item = ((String, i64), u32)>,
    binning: Binning,
    max_items: u32,
) -> (Vec<Bin>, HashSet<(String, i64)>) {
    let cells: Vec<((String, i64), u32)> = cells.filter(|c| c.1 > 0).collect();
    let sparse_events: u64 = cells
        .iter()
        .filter(|c| c.1 <= SPARSE_BIN)
        .map(|c| u64::from(c.1))
        .sum();
    let keep_sparse = sparse_events <= u64::from(max_items / SPARSE_SHARE);
    let mut bins = Vec::new();
    let mut sparse = HashSet::new();
    for ((lane, b), count) in cells {
        if keep_sparse && count <= SPARSE_BIN {
            sparse.insert((lane, b));
        } else {
            let (lo, hi) = binning.bounds(b);
            bins.push(Bin {
                lane,
                lo,
                hi,
                count,
            });
        }
    }
    bins.sort_by(|a, b| (&a.lane, a.lo).cmp(&(&b.lane, b.lo)));
    (bins, sparse)
}

/// The columns of a timeline item, in the order [`timeline_item`] reads them.
const ITEM_COLUMNS: &str =
    "e.id, e.title, e.kind, e.status, e.lo, e.hi, e.date_start, e.date_end, e.approximate";

/// A timeline item from a row of [`ITEM_COLUMNS`], its lane and `planned`.
fn timeline_item(r: &rusqlite::Row<'_>) -> Result<TimelineItem> {
    let start: String = r.get(6)?;
    let end: Option<String> = r.get(7)?;
    let date = EventDate::new(
        start.parse()?,
        end.map(|e| e.parse()).transpose()?,
        r.get(8)?,
    )?;
    Ok(TimelineItem {
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
    })
}

/// Counts of events per lane and bin.
type LaneBins = BTreeMap<(String, i64), i64>;

impl Db {
    /// Rows `(id, lo, hi)` of the events overlapping `[lo, hi)` and starting at or
    /// after `from` (when given), read from a covering index alone: one range per
    /// span class present, and per driving key when a facet drives the scan
    /// (`event_key`), else over all events.
    fn window_source(
        &self,
        ranges: &[(i64, i64, Option<i64>)],
        keys: Option<&[String]>,
    ) -> Result<Clause> {
        let classes = self.span_classes()?;
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
        for &(lo, hi, from) in ranges {
            for key in &keys {
                for &k in &classes {
                    let reach = 1i64.checked_shl(k.clamp(0, 62) as u32).unwrap_or(i64::MAX);
                    let start = lo.saturating_sub(reach).max(from.unwrap_or(i64::MIN));
                    let range = [
                        Value::Integer(k),
                        Value::Integer(start),
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
        }
        c.sql = if arms.is_empty() {
            "SELECT id, lo, hi FROM event WHERE 0".into()
        } else {
            arms.join(" UNION ALL ")
        };
        // An event can stand under two keys of one facet only for countries (it
        // has one kind, one status and at most one mission): only then can the
        // arms repeat an event, and only then is it worth a temporary tree.
        if keys.len() > 1 && keys.iter().flatten().any(|k| k.starts_with("c:")) {
            c.sql = format!("SELECT DISTINCT id, lo, hi FROM ({})", c.sql);
        }
        Ok(c)
    }

    /// The span classes that have events.
    fn span_classes(&self) -> Result<Vec<i64>> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT span_class FROM span_class_count WHERE n > 0")?;
        let classes = stmt
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(classes)
    }

    fn count(&self, sql: &str, params: &[Value]) -> Result<u32> {
        let n: i64 = self
            .conn()
            .prepare_cached(sql)?
            .query_row(rusqlite::params_from_iter(params), |r| r.get(0))?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// What the timeline draws for one viewport.
    ///
    /// A wide window is counted from `event_bucket`: the whole buckets inside it
    /// are summed, and only the events of its ragged ends (before the first whole
    /// bucket, after the last, and those that start before the window) are read
    /// from the index; a narrower window is counted from the index alone. That
    /// is for no filter or one facet, without lanes: lanes, text, a date range
    /// and several facets would read each event's row, so they are counted over
    /// the held columns (`columns.rs`).
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
        let binning = Binning::new(q)?;
        let driver = q.filter.driver();
        let driver_keys = driver.as_ref().map(|d| d.1.as_slice());
        let filter = q.filter.clause(driver.as_ref().map(|d| d.0))?;
        let max_items = q.max_items.min(MAX_ITEMS);
        let (lane_sql, lane_join) = q.lanes.sql();
        let whole = [(q.lo, q.hi, None)];
        // The buckets answer when the bins are at least a bucket wide and the
        // window holds two bucket edges.
        let level = LEVELS.iter().copied().filter(|&l| l <= binning.shift).max();
        // With lanes, the ragged ends would read each event's row for its lane,
        // and each lane's buckets are a query: the held columns answer instead.
        let plan = match q.lanes {
            LaneMode::None => self.bucket_plan(&q.filter),
            _ => None,
        };
        let planned = match (level, plan) {
            (Some(level), Some(plan)) => {
                let size = 1i64 << level;
                let first = (q.lo + size - 1).div_euclid(size) * size;
                let last = q.hi.div_euclid(size) * size;
                (first < last).then_some((level, first, last, plan))
            }
            _ => None,
        };
        let (total, counts) = if let Some((level, first, last, plan)) = planned {
            // The ragged ends, from the index.
            let ends = [(q.lo, first, None), (last, q.hi, Some(last))];
            let (mut total, mut counts) = self.exact_counts(
                &ends,
                driver_keys,
                &filter,
                q.lanes,
                binning,
                max_items.saturating_add(1),
                true,
            )?;
            let (lo_b, hi_b) = (first >> level, last >> level);
            let buckets = self.bucket_counts(&plan, level, lo_b, hi_b)?;
            total = total
                .saturating_add(buckets.values().sum::<i64>().clamp(0, i64::from(u32::MAX)) as u32);
            if total > max_items {
                for (bucket, n) in buckets {
                    if n > 0 {
                        let bin = binning.of(bucket << level);
                        *counts.entry((String::new(), bin)).or_default() += n;
                    }
                }
            }
            (total, counts)
        } else if q.lanes != LaneMode::None
            || !filter.params.is_empty()
            || self.columns_are_held()?
        {
            // Lanes, text, a date range or a second facet: each event's row
            // would be read; the held columns answer instead. They answer the
            // rest too when they are held already: one pass over the window's
            // integers costs less than the index's ranges and the bins' reads.
            return self.window_held(q, binning, max_items);
        } else {
            self.exact_counts(
                &whole,
                driver_keys,
                &filter,
                q.lanes,
                binning,
                max_items,
                false,
            )?
        };
        if total <= max_items {
            let source = self.window_source(&whole, driver_keys)?;
            let driven = format!(
                "e.id IN (SELECT id FROM ({})) AND ({})",
                source.sql, filter.sql
            );
            let params: Vec<Value> = source.params.into_iter().chain(filter.params).collect();
            let items =
                self.timeline_items(&driven, &params, lane_sql, lane_join, max_items, None)?;
            return Ok(WindowResult {
                total,
                items,
                bins: Vec::new(),
            });
        }
        let cells = counts
            .into_iter()
            .map(|(cell, n)| (cell, u32::try_from(n).unwrap_or(u32::MAX)));
        let (bins, sparse) = bins_and_sparse(cells, binning, max_items);
        let items = self.sparse_items(q, binning, &sparse, driver_keys, &filter)?;
        Ok(WindowResult { total, items, bins })
    }

    /// The bucket keys whose counts add up to the events of this filter, if
    /// there are such: no text or date range, at most one facet chosen (and only
    /// one country, since an event can have two).
    fn bucket_plan(&self, f: &EventFilter) -> Option<Vec<String>> {
        if !f.facets_only() {
            return None;
        }
        let chosen = [
            !f.countries.is_empty(),
            !f.missions.is_empty(),
            !f.kinds.is_empty(),
            !f.statuses.is_empty(),
        ];
        if chosen.iter().filter(|&&c| c).count() > 1 || f.countries.len() > 1 {
            return None;
        }
        Some(match f.driver() {
            Some((_, keys)) => keys,
            None => vec![String::new()],
        })
    }

    /// The sum of the buckets of `keys` at `level` numbered `lo..hi`, by bucket.
    fn bucket_counts(
        &self,
        keys: &[String],
        level: u32,
        lo: i64,
        hi: i64,
    ) -> Result<BTreeMap<i64, i64>> {
        let mut out = BTreeMap::new();
        let mut stmt = self.conn().prepare_cached(
            "SELECT bucket, n FROM event_bucket WHERE key = ?1 AND level = ?2 AND bucket >= ?3 AND bucket < ?4",
        )?;
        for key in keys {
            let mut rows = stmt.query(rusqlite::params![key, level, lo, hi])?;
            while let Some(r) = rows.next()? {
                let (b, n): (i64, i64) = (r.get(0)?, r.get(1)?);
                *out.entry(b).or_default() += n;
            }
        }
        Ok(out)
    }

    /// Counts of the matching events overlapping the window whose `lo` lies in
    /// `ranges`, read from the index: the total and, when it passes
    /// `max_items` (or `always`), per lane and bin.
    #[allow(clippy::too_many_arguments)]
    fn exact_counts(
        &self,
        ranges: &[(i64, i64, Option<i64>)],
        driver_keys: Option<&[String]>,
        filter: &Clause,
        lanes: LaneMode,
        binning: Binning,
        max_items: u32,
        always: bool,
    ) -> Result<(u32, LaneBins)> {
        let mut counts = BTreeMap::new();
        let ranges: Vec<_> = ranges.iter().copied().filter(|r| r.0 < r.1).collect();
        if ranges.is_empty() {
            return Ok((0, counts));
        }
        let source = self.window_source(&ranges, driver_keys)?;
        // When the driving facet is the whole filter and the lanes need nothing
        // from the event row, the index alone answers counts and bins; otherwise
        // the window's ids drive lookups of the rows the rest of the filter needs.
        let bare = filter.params.is_empty() && matches!(lanes, LaneMode::None | LaneMode::Country);
        let (from_sql, where_sql) = if bare {
            (format!("({}) e", source.sql), "1".to_string())
        } else {
            (
                "event e".to_string(),
                format!(
                    "e.id IN (SELECT id FROM ({})) AND ({})",
                    source.sql, filter.sql
                ),
            )
        };
        let params: Vec<Value> = source
            .params
            .into_iter()
            .chain(filter.params.iter().cloned())
            .collect();
        let total = self.count(
            &format!("SELECT count(*) FROM {from_sql} WHERE {where_sql}"),
            &params,
        )?;
        if total <= max_items && !always {
            return Ok((total, counts));
        }
        let (lane_sql, lane_join) = lanes.sql();
        let sql = format!(
            "SELECT {lane_sql} AS lane, {} AS b, count(*) FROM {from_sql} {lane_join}
             WHERE {where_sql} GROUP BY lane, b",
            binning.sql()
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(&params))?;
        while let Some(r) = rows.next()? {
            let (lane, b, n): (String, i64, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
            *counts.entry((lane, b)).or_default() += n;
        }
        Ok((total, counts))
    }

    /// The events of the bins that hold too few to draw as a count, each read
    /// from the index over its own bin (through its lane's key when the lane is
    /// a facet value), not over the whole window.
    fn sparse_items(
        &self,
        q: &WindowQuery,
        binning: Binning,
        sparse: &HashSet<(String, i64)>,
        driver_keys: Option<&[String]>,
        filter: &Clause,
    ) -> Result<Vec<TimelineItem>> {
        if sparse.is_empty() {
            return Ok(Vec::new());
        }
        let (lane_sql, lane_join) = q.lanes.sql();
        // A lane's own key finds its events when the filter is of no facet or of
        // the lane's, which is all the buckets answer.
        let by_lane = q.filter.driver().is_none_or(|d| {
            matches!(
                (d.0, q.lanes),
                (Facet::Kind, LaneMode::Kind) | (Facet::Mission, LaneMode::Mission)
            )
        });
        let mut groups: BTreeMap<Option<String>, Vec<i64>> = BTreeMap::new();
        for (lane, b) in sparse {
            let key = match q.lanes {
                _ if !by_lane => None,
                LaneMode::Kind => Some(format!("k:{lane}")),
                LaneMode::Country => Some(format!("c:{lane}")),
                LaneMode::Mission if !lane.is_empty() => Some(format!("m:{lane}")),
                _ => None,
            };
            groups.entry(key).or_default().push(*b);
        }
        let mut items = Vec::new();
        for (key, mut bs) in groups {
            bs.sort_unstable();
            bs.dedup();
            // Runs of neighbouring bins read as one range.
            let mut runs: Vec<(i64, i64)> = Vec::new();
            for b in bs {
                match runs.last_mut() {
                    Some(run) if run.1 + 1 == b => run.1 = b,
                    _ => runs.push((b, b)),
                }
            }
            let ranges: Vec<(i64, i64, Option<i64>)> = runs
                .iter()
                .map(|&(a, z)| {
                    let (lo, _) = binning.bounds(a);
                    let (_, hi) = binning.bounds(z);
                    (lo, hi, (lo > q.lo).then_some(lo))
                })
                .collect();
            // A lane's bins after the window's start hold only events that start
            // in them: one seek per span class in the lane's key finds them.
            let (mut ranges, mut ids) = (ranges, Vec::new());
            if let Some(k) = &key {
                let classes: Vec<String> =
                    self.span_classes()?.iter().map(i64::to_string).collect();
                let mut stmt = self.conn().prepare_cached(&format!(
                    "SELECT event_id FROM event_key
                     WHERE key = ?1 AND span_class IN ({}) AND lo >= ?2 AND lo < ?3",
                    classes.join(",")
                ))?;
                for &(lo, hi, _) in ranges.iter().filter(|r| r.2.is_some()) {
                    let found =
                        stmt.query_map(rusqlite::params![k, lo, hi], |r| r.get::<_, i64>(0))?;
                    for id in found {
                        ids.push(id?);
                    }
                }
                ranges.retain(|r| r.2.is_none());
            }
            if !ids.is_empty() {
                let list = serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into());
                let driven = format!(
                    "e.id IN (SELECT value FROM json_each(?)) AND ({})",
                    filter.sql
                );
                let params: Vec<Value> = std::iter::once(Value::Text(list))
                    .chain(filter.params.iter().cloned())
                    .collect();
                items.extend(
                    self.timeline_items(&driven, &params, lane_sql, lane_join, MAX_ITEMS, None)?,
                );
            }
            let keys = key.map(|k| vec![k]);
            let keys = keys.as_deref().or(driver_keys);
            // A compound SELECT holds at most 500 arms.
            let arms = self.span_classes()?.len().max(1) * keys.map_or(1, <[String]>::len).max(1);
            for chunk in ranges.chunks((400 / arms).max(1)) {
                let source = self.window_source(chunk, keys)?;
                let driven = format!(
                    "e.id IN (SELECT id FROM ({})) AND ({})",
                    source.sql, filter.sql
                );
                let params: Vec<Value> = source
                    .params
                    .into_iter()
                    .chain(filter.params.iter().cloned())
                    .collect();
                items.extend(
                    self.timeline_items(&driven, &params, lane_sql, lane_join, MAX_ITEMS, None)?,
                );
            }
        }
        items.retain(|it| sparse.contains(&(it.lane.clone(), binning.of(it.lo))));
        items.sort_by(|a, b| (a.lo, a.id, &a.lane).cmp(&(b.lo, b.id, &b.lane)));
        items.dedup_by(|a, b| a.id == b.id && a.lane == b.lane);
        Ok(items)
    }

    /// The timeline items of the events `where_sql` picks (by id: every caller
    /// names the window's ids), by `lo` and id. `NOT INDEXED`: given `ORDER BY
    /// lo LIMIT n`, SQLite would otherwise walk `event_lo` from the first event
    /// of all time and test each against the window's ids, 0.36 s for a window
    /// in the 1960s at a million events, where looking the ids up and sorting
    /// them takes milliseconds.
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
            "SELECT {ITEM_COLUMNS}, {lane_sql}, e.planned
             FROM event e NOT INDEXED {lane_join} WHERE {where_sql} ORDER BY e.lo, e.id LIMIT {limit} OFFSET {}",
            offset.unwrap_or(0)
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(timeline_item(r)?);
        }
        Ok(out)
    }

    /// Counts for the filter panel, over all time. A filter of countries,
    /// missions, kinds and statuses is answered from `event_combo` (one pass over
    /// the combinations, held in memory, however many events) and the extent
    /// from the indexes; text and date ranges count the held events.
    pub fn facets(&self, filter: &EventFilter) -> Result<Facets> {
        filter.clause(None)?; // validates the filter as a whole
        let combos = self.combos()?;
        let (tally, (lo, hi, news_lo)) = if filter.facets_only() {
            let mut tally = columns::Tally::new(&combos);
            let plan = self.plan(&combos, filter, LaneMode::None);
            for (row, &bits) in combos.rows.iter().zip(&plan.flags) {
                tally.add(row, bits, row.n);
            }
            // One facet: its keys in the index; several: the held columns.
            let extent = if tally.total == 0 {
                (None, None, None)
            } else if self.bucket_plan(filter).is_some() {
                self.extent(filter)?
            } else {
                let e = self.extent_held(filter)?;
                (e.lo, e.hi, e.news_lo)
            };
            (tally, extent)
        } else {
            let (tally, e) = self.facets_held(filter)?;
            (tally, (e.lo, e.hi, e.news_lo))
        };
        let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
        let mut country_rows = Vec::new();
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT code, name FROM country")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let code: String = r.get(0)?;
            let n = combos
                .codes
                .iter()
                .position(|c| *c == code)
                .map_or(0, |i| tally.by_country[i]);
            if n > 0 {
                country_rows.push(FacetCount {
                    key: code,
                    label: r.get(1)?,
                    count: count(n),
                });
            }
        }
        country_rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
        let by_mission: HashMap<i64, i64> = combos
            .missions
            .iter()
            .copied()
            .zip(tally.by_mission.iter().copied())
            .collect();
        let mut mission_rows = Vec::new();
        let mut stmt = self.conn().prepare_cached("SELECT id, name FROM mission")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            if let Some(&n) = by_mission.get(&id).filter(|&&n| n > 0) {
                mission_rows.push((
                    id,
                    FacetCount {
                        key: id.to_string(),
                        label: r.get(1)?,
                        count: count(n),
                    },
                ));
            }
        }
        mission_rows.sort_by(|(ia, a), (ib, b)| {
            b.count
                .cmp(&a.count)
                .then_with(|| a.label.cmp(&b.label))
                .then(ia.cmp(ib))
        });
        // Kinds and statuses with their counts, the uncounted left out.
        let counted = |names: Vec<(&str, &str)>, counts: &[i64]| -> Vec<FacetCount> {
            names
                .into_iter()
                .zip(counts)
                .filter(|(_, &n)| n > 0)
                .map(|((key, label), &n)| FacetCount {
                    key: key.to_string(),
                    label: label.to_string(),
                    count: count(n),
                })
                .collect()
        };
        let kinds = EventKind::ALL.iter().map(|k| (k.as_str(), k.label()));
        let mut kind_rows = counted(kinds.collect(), &tally.by_kind);
        kind_rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
        let statuses = Status::ALL.iter().map(|s| (s.as_str(), s.label()));
        let mut status_rows = counted(statuses.collect(), &tally.by_status);
        status_rows.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(Facets {
            total: count(tally.total),
            countries: country_rows,
            missions: mission_rows.into_iter().map(|m| m.1).collect(),
            kinds: kind_rows,
            statuses: status_rows,
            lo,
            hi,
            news_lo,
        })
    }

    /// The first `lo`, the last `hi` and the first `lo` that is not background
    /// of the events matching a filter of facets, from the indexes: per span
    /// class (and driving key), the first and last entries in `lo` order that
    /// match; the last `hi` of a class lies within `2^class` of its last `lo`.
    fn extent(&self, filter: &EventFilter) -> Result<(Option<i64>, Option<i64>, Option<i64>)> {
        let driver = filter.driver();
        let rest = filter.clause(driver.as_ref().map(|d| d.0))?;
        let keys: Vec<Option<String>> = match &driver {
            Some((_, keys)) => keys.iter().cloned().map(Some).collect(),
            None => vec![None],
        };
        let (mut lo, mut hi, mut news_lo): (Option<i64>, Option<i64>, Option<i64>) =
            (None, None, None);
        // With nothing else to test, the index alone answers all but `news_lo`.
        let bare = rest.params.is_empty();
        for key in &keys {
            let (joined, cond) = match key {
                Some(_) => (
                    "event_key x JOIN event e ON e.id = x.event_id",
                    "x.key = ? AND x.span_class = ?",
                ),
                None => ("event x JOIN event e ON e.id = x.id", "x.span_class = ?"),
            };
            let from = match (bare, key) {
                (false, _) => joined,
                (true, Some(_)) => "event_key x",
                (true, None) => "event x",
            };
            let first = format!(
                "SELECT x.lo FROM {from} WHERE {cond} AND ({}) ORDER BY x.lo LIMIT 1",
                rest.sql
            );
            let news = format!(
                "SELECT x.lo FROM {joined} WHERE {cond} AND ({}) AND e.background = 0 ORDER BY x.lo LIMIT 1",
                rest.sql
            );
            let last = format!(
                "SELECT x.lo FROM {from} WHERE {cond} AND ({}) ORDER BY x.lo DESC LIMIT 1",
                rest.sql
            );
            let last_hi = format!(
                "SELECT max(x.hi) FROM {from} WHERE {cond} AND x.lo >= ? AND ({})",
                rest.sql
            );
            for class in self.span_classes()? {
                let mut params: Vec<Value> = Vec::new();
                if let Some(k) = key {
                    params.push(Value::Text(k.clone()));
                }
                params.push(Value::Integer(class));
                let with_rest: Vec<Value> = params
                    .iter()
                    .cloned()
                    .chain(rest.params.iter().cloned())
                    .collect();
                let one = |sql: &str, p: &[Value]| -> Result<Option<i64>> {
                    Ok(self
                        .conn()
                        .prepare_cached(sql)?
                        .query_row(rusqlite::params_from_iter(p), |r| r.get(0))
                        .optional()?
                        .flatten())
                };
                let Some(first_lo) = one(&first, &with_rest)? else {
                    continue;
                };
                lo = Some(lo.map_or(first_lo, |l| l.min(first_lo)));
                if let Some(n) = one(&news, &with_rest)? {
                    news_lo = Some(news_lo.map_or(n, |l| l.min(n)));
                }
                if let Some(last_lo) = one(&last, &with_rest)? {
                    let reach = 1i64
                        .checked_shl(class.clamp(0, 62) as u32)
                        .unwrap_or(i64::MAX);
                    let p: Vec<Value> = params
                        .iter()
                        .cloned()
                        .chain([Value::Integer(last_lo.saturating_sub(reach))])
                        .chain(rest.params.iter().cloned())
                        .collect();
                    if let Some(h) = one(&last_hi, &p)? {
                        hi = Some(hi.map_or(h, |x| x.max(h)));
                    }
                }
            }
        }
        Ok((lo, hi, news_lo))
    }

    /// A page of matching events in chronological order, for the list view and CLI.
    /// A filter of one facet (one country) is counted from the coarsest buckets
    /// of its keys; when it matches one event in 64 or more, the page walks the
    /// `lo` index in order and stops when it is full, rather than sorting every
    /// matching event first; when it matches fewer, its events are sorted. Other
    /// filters pick the page from the held columns.
    pub fn list(&self, filter: &EventFilter, offset: u32, limit: u32) -> Result<ListPage> {
        filter.clause(None)?; // validates the filter as a whole
        let limit = limit.min(MAX_ITEMS);
        let plan = self.bucket_plan(filter);
        if let Some(plan) = plan {
            let level = LEVELS[LEVELS.len() - 1];
            let n: i64 = self
                .bucket_counts(&plan, level, i64::MIN, i64::MAX)?
                .values()
                .sum();
            let total = u32::try_from(n).unwrap_or(u32::MAX);
            let all: i64 = self.conn().query_row(
                "SELECT coalesce(sum(n), 0) FROM span_class_count",
                [],
                |r| r.get(0),
            )?;
            // Dense: walk `lo` in order; sparse: sort the facet's events.
            let (c, index) = if i64::from(total) * 64 >= all && offset <= 10 * limit {
                (filter.clause(None)?, "INDEXED BY event_lo")
            } else {
                (filter.keyed_clause(None)?, "")
            };
            let sql = format!(
                "SELECT e.id FROM event e {index} WHERE {} ORDER BY e.lo, e.hi, e.id LIMIT {limit} OFFSET {offset}",
                c.sql,
            );
            let mut stmt = self.conn().prepare_cached(&sql)?;
            let ids: Vec<i64> = stmt
                .query_map(rusqlite::params_from_iter(&c.params), |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            return Ok(ListPage {
                total,
                offset,
                events: self.events_by_ids(&ids)?,
            });
        }
        let (total, ids) = self.list_held(filter, offset, limit)?;
        Ok(ListPage {
            total,
            offset,
            events: self.events_by_ids(&ids)?,
        })
    }

    /// How many events match, counted exactly (what an export will write).
    pub fn count_matching(&self, filter: &EventFilter) -> Result<u64> {
        let c = filter.keyed_clause(None)?;
        let n = self.count(
            &format!("SELECT count(*) FROM event e WHERE {}", c.sql),
            &c.params,
        )?;
        Ok(u64::from(n))
    }

    /// Every matching event in chronological order, with its sources, handed to
    /// `each` one at a time: an export of a million events holds one in memory,
    /// not a million. The ids are read first (8 bytes each), so `each` may query
    /// the database; an error from it stops the walk and is returned.
    pub fn each_matching(
        &self,
        filter: &EventFilter,
        mut each: impl FnMut(Event) -> Result<()>,
    ) -> Result<u64> {
        let c = filter.keyed_clause(None)?;
        let ids: Vec<i64> = {
            let mut stmt = self.conn().prepare(&format!(
                "SELECT e.id FROM event e WHERE {} ORDER BY e.lo, e.hi, e.id",
                c.sql
            ))?;
            let rows = stmt.query_map(rusqlite::params_from_iter(&c.params), |r| r.get(0))?;
            rows.collect::<Result<_, _>>()?
        };
        let mut n = 0;
        for id in ids {
            if let Some(e) = self.event(id)? {
                each(e)?;
                n += 1;
            }
        }
        Ok(n)
    }

    /// How many matching events start before `key`: the list offset of the first
    /// event at or after a point of the timeline.
    pub fn position_of(&self, filter: &EventFilter, key: i64) -> Result<u32> {
        let (min, max) = key_range();
        let key = key.clamp(min, max);
        let mut c = filter.keyed_clause(None)?;
        c.and("e.lo < ?", [Value::Integer(key)]);
        self.count(
            &format!("SELECT count(*) FROM event e WHERE {}", c.sql),
            &c.params,
        )
    }
}
