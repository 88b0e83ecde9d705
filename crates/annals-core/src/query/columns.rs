//! The events' times and combinations held in memory, for the questions the kept
//! counts cannot answer: text, date ranges, several facets at once, lanes of
//! another facet than the filter's, and narrow windows with lanes. A window then
//! costs one pass over the events that can overlap it (a binary search per span
//! class, then arrays of integers), where SQL had to look up each event's row.
//!
//! What is held: per event its span class, `lo`, `hi`, id and combination (from
//! `event_keyed`, sorted by span class and `lo`), the combinations' kind, status,
//! mission and countries (from `event_combo`), and the events matching the last
//! text asked for. **Invariant: nothing held is ever answered from after a
//! change.** Each is stamped with the connection's `total_changes()` (every row
//! this connection wrote, in triggers too) and `PRAGMA data_version` (which moves
//! when another connection commits), and read again when either has moved; inside
//! a transaction, which could still roll back, nothing is kept.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::event::{EventKind, Status};
use crate::store::Db;

use rusqlite::types::Value;

use super::{
    bins_and_sparse, fts_query, window_overflow, Binning, EventFilter, LaneMode, TimelineItem,
    WindowQuery, WindowResult, MAX_ITEMS, SPARSE_BIN,
};

/// When a held copy was read: `total_changes()` and `data_version`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Stamp(i64, i64);

/// The held copies of one connection (a field of [`Db`]).
#[derive(Default)]
pub(crate) struct Memo {
    combos: RefCell<Option<(Stamp, Arc<Combos>)>>,
    columns: RefCell<Option<(Stamp, Arc<Columns>)>>,
    text: RefCell<Option<(Stamp, String, Arc<Bits>)>>,
}

/// Bits of a filter that a combination passes: one per facet.
pub(crate) const COUNTRY: u8 = 1;
pub(crate) const MISSION: u8 = 2;
pub(crate) const KIND: u8 = 4;
pub(crate) const STATUS: u8 = 8;
pub(crate) const ALL: u8 = COUNTRY | MISSION | KIND | STATUS;

/// A row of `event_combo`, its strings turned into indexes.
pub(crate) struct Combo {
    /// Into `EventKind::ALL`.
    pub kind: u8,
    /// Into `Status::ALL`.
    pub status: u8,
    /// 0: none.
    pub mission: i64,
    /// Into `Combos::codes`.
    pub countries: Vec<u16>,
    pub n: i64,
}

pub(crate) struct Combos {
    pub rows: Vec<Combo>,
    /// A combination's id in `event_combo` → its index in `rows`.
    index: HashMap<i64, u32>,
    /// The country codes the combinations name.
    pub codes: Vec<String>,
}

impl Combos {
    /// For each combination, the bits of the facets of `f` it passes.
    pub fn flags(&self, f: &EventFilter) -> Vec<u8> {
        let wanted: Vec<u16> = f
            .countries
            .iter()
            .filter_map(|c| {
                let c = c.to_ascii_uppercase();
                self.codes.iter().position(|x| *x == c).map(|i| i as u16)
            })
            .collect();
        let kinds: Vec<u8> = f
            .kinds
            .iter()
            .filter_map(|k| EventKind::ALL.iter().position(|x| x == k).map(|i| i as u8))
            .collect();
        let statuses: Vec<u8> = f
            .statuses
            .iter()
            .filter_map(|s| Status::ALL.iter().position(|x| x == s).map(|i| i as u8))
            .collect();
        self.rows
            .iter()
            .map(|r| {
                let mut bits = 0;
                if f.countries.is_empty() || r.countries.iter().any(|c| wanted.contains(c)) {
                    bits |= COUNTRY;
                }
                if f.missions.is_empty() || f.missions.contains(&r.mission) {
                    bits |= MISSION;
                }
                if f.kinds.is_empty() || kinds.contains(&r.kind) {
                    bits |= KIND;
                }
                if f.statuses.is_empty() || statuses.contains(&r.status) {
                    bits |= STATUS;
                }
                bits
            })
            .collect()
    }

    /// The lanes of each combination as indexes into the returned names, in the
    /// strings the SQL lane expressions give (`LaneMode::sql`).
    pub fn lanes(&self, mode: LaneMode) -> (Lanes, Vec<String>) {
        let mut lanes = Lanes {
            start: Vec::with_capacity(self.rows.len() + 1),
            lane: Vec::with_capacity(self.rows.len()),
        };
        let mut names: Vec<String> = vec![String::new()];
        let mut at: HashMap<i64, u32> = HashMap::new();
        for r in &self.rows {
            lanes.start.push(lanes.lane.len() as u32);
            match mode {
                LaneMode::None => lanes.lane.push(0),
                LaneMode::Kind => lanes.lane.push(u32::from(r.kind)),
                LaneMode::Country if r.countries.is_empty() => lanes.lane.push(0),
                LaneMode::Country => lanes
                    .lane
                    .extend(r.countries.iter().map(|&c| u32::from(c) + 1)),
                LaneMode::Mission if r.mission == 0 => lanes.lane.push(0),
                LaneMode::Mission => {
                    let i = *at.entry(r.mission).or_insert_with(|| {
                        names.push(r.mission.to_string());
                        (names.len() - 1) as u32
                    });
                    lanes.lane.push(i);
                }
            }
        }
        lanes.start.push(lanes.lane.len() as u32);
        match mode {
            LaneMode::Kind => {
                names = EventKind::ALL
                    .iter()
                    .map(|k| k.as_str().to_string())
                    .collect();
            }
            LaneMode::Country => names.extend(self.codes.iter().cloned()),
            _ => {}
        }
        (lanes, names)
    }
}

/// The lanes of each combination: those of combination `i` are
/// `lane[start[i]..start[i + 1]]`.
pub(crate) struct Lanes {
    start: Vec<u32>,
    lane: Vec<u32>,
}

impl Lanes {
    pub fn of(&self, combo: u32) -> &[u32] {
        let i = combo as usize;
        &self.lane[self.start[i] as usize..self.start[i + 1] as usize]
    }
}

/// A set of positions in [`Columns`]' order.
pub(crate) struct Bits {
    words: Vec<u64>,
}

impl Bits {
    fn new(n: usize) -> Bits {
        Bits {
            words: vec![0; n.div_ceil(64)],
        }
    }
    fn set(&mut self, i: usize) {
        self.words[i / 64] |= 1 << (i % 64);
    }
    pub fn has(&self, i: usize) -> bool {
        self.words[i / 64] & (1 << (i % 64)) != 0
    }
}

/// Every event's span class, `lo`, `hi`, id and combination, sorted by span
/// class, then `lo`, then id.
pub(crate) struct Columns {
    pub combos: Arc<Combos>,
    /// `(span class, start, end)`: a class's events are `start..end`.
    pub classes: Vec<(i64, usize, usize)>,
    pub lo: Vec<i64>,
    pub hi: Vec<i64>,
    pub id: Vec<i64>,
    /// Index into `combos.rows`.
    pub combo: Vec<u32>,
    /// `(id, position)`, sorted by id.
    by_id: Vec<(i64, u32)>,
}

/// What a query selects among the held events.
pub(crate) struct Selection {
    pub flags: Vec<u8>,
    pub text: Option<Arc<Bits>>,
    /// `hi > from` and `lo < to` (the filter's date range).
    pub from: Option<i64>,
    pub to: Option<i64>,
}

impl Selection {
    /// The facet bits of the event at `p` when it passes the text and the date
    /// range, else 0.
    pub fn bits(&self, c: &Columns, p: usize) -> u8 {
        if self.text.as_ref().is_some_and(|t| !t.has(p))
            || self.from.is_some_and(|f| c.hi[p] <= f)
            || self.to.is_some_and(|t| c.lo[p] >= t)
        {
            return 0;
        }
        self.flags[c.combo[p] as usize]
    }
}

impl Columns {
    /// Calls `f` with the position of each event that overlaps `[lo, hi)`:
    /// per span class, of those starting in `[lo - 2^class, hi)`.
    pub fn each_overlapping(&self, lo: i64, hi: i64, mut f: impl FnMut(usize)) {
        for &(class, s, e) in &self.classes {
            let reach = 1i64
                .checked_shl(class.clamp(0, 62) as u32)
                .unwrap_or(i64::MAX);
            let start = lo.saturating_sub(reach);
            let los = &self.lo[s..e];
            let a = s + los.partition_point(|&x| x < start);
            let b = s + los.partition_point(|&x| x < hi);
            // Those starting inside the window overlap it.
            let m = s + los.partition_point(|&x| x < lo);
            for p in a..m.min(b) {
                if self.hi[p] > lo {
                    f(p);
                }
            }
            for p in m.max(a)..b {
                f(p);
            }
        }
    }

    /// The positions of `ids` (ascending) that are held.
    fn positions(&self, ids: &[i64]) -> Vec<usize> {
        let mut out = Vec::with_capacity(ids.len());
        let mut j = 0;
        for &id in ids {
            j += self.by_id[j..].partition_point(|&(x, _)| x < id);
            if let Some(&(x, p)) = self.by_id.get(j) {
                if x == id {
                    out.push(p as usize);
                }
            }
        }
        out
    }
}

impl Db {
    fn stamp(&self) -> Result<Option<Stamp>> {
        if !self.conn().is_autocommit() {
            return Ok(None);
        }
        let s = self
            .conn()
            .prepare_cached("SELECT total_changes(), data_version FROM pragma_data_version")?
            .query_row([], |r| Ok(Stamp(r.get(0)?, r.get(1)?)))?;
        Ok(Some(s))
    }

    /// The combinations, held while nothing changes.
    pub(crate) fn combos(&self) -> Result<Arc<Combos>> {
        let stamp = self.stamp()?;
        if let Some((s, c)) = &*self.memo.combos.borrow() {
            if Some(*s) == stamp {
                return Ok(c.clone());
            }
        }
        let combos = Arc::new(self.read_combos()?);
        if let Some(s) = stamp {
            *self.memo.combos.borrow_mut() = Some((s, combos.clone()));
        }
        Ok(combos)
    }

    fn read_combos(&self) -> Result<Combos> {
        let mut codes: Vec<String> = Vec::new();
        let mut code_at: HashMap<String, u16> = HashMap::new();
        let mut rows = Vec::new();
        let mut index = HashMap::new();
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT id, kind, status, mission, countries, n FROM event_combo")?;
        let mut q = stmt.query([])?;
        while let Some(r) = q.next()? {
            let kind: EventKind = r
                .get_ref(1)?
                .as_str()
                .map_err(rusqlite::Error::from)?
                .parse()?;
            let status: Status = r
                .get_ref(2)?
                .as_str()
                .map_err(rusqlite::Error::from)?
                .parse()?;
            let list = r.get_ref(4)?.as_str().map_err(rusqlite::Error::from)?;
            let mut countries = Vec::new();
            for code in list.split(',').filter(|c| !c.is_empty()) {
                let i = match code_at.get(code) {
                    Some(&i) => i,
                    None => {
                        let i = u16::try_from(codes.len())
                            .map_err(|_| Error::invalid("countries", "too many countries"))?;
                        codes.push(code.to_string());
                        code_at.insert(code.to_string(), i);
                        i
                    }
                };
                countries.push(i);
            }
            index.insert(r.get::<_, i64>(0)?, rows.len() as u32);
            rows.push(Combo {
                kind: EventKind::ALL.iter().position(|&k| k == kind).unwrap_or(0) as u8,
                status: Status::ALL.iter().position(|&s| s == status).unwrap_or(0) as u8,
                mission: r.get(3)?,
                countries,
                n: r.get(5)?,
            });
        }
        Ok(Combos { rows, index, codes })
    }

    /// Every event's times and combination, held while nothing changes.
    pub(crate) fn columns(&self) -> Result<Arc<Columns>> {
        let stamp = self.stamp()?;
        if let Some((s, c)) = &*self.memo.columns.borrow() {
            if Some(*s) == stamp {
                return Ok(c.clone());
            }
        }
        let columns = Arc::new(self.read_columns()?);
        if let Some(s) = stamp {
            *self.memo.columns.borrow_mut() = Some((s, columns.clone()));
        }
        Ok(columns)
    }

    fn read_columns(&self) -> Result<Columns> {
        let combos = self.combos()?;
        // (class, lo, id, hi, combo), read in id order.
        let mut rows: Vec<(i64, i64, i64, i64, u32)> = Vec::new();
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT id, combo, span_class, lo, hi FROM event_keyed ORDER BY id")?;
        let mut q = stmt.query([])?;
        while let Some(r) = q.next()? {
            let combo: i64 = r.get(1)?;
            let Some(&c) = combos.index.get(&combo) else {
                return Err(Error::invalid("event", "an event's combination is missing"));
            };
            rows.push((r.get(2)?, r.get(3)?, r.get(0)?, r.get(4)?, c));
        }
        let mut order: Vec<u32> = (0..rows.len() as u32).collect();
        order.sort_unstable_by_key(|&i| {
            let r = &rows[i as usize];
            (r.0, r.1, r.2)
        });
        let n = rows.len();
        let (mut lo, mut hi, mut id, mut combo) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        let mut by_id = vec![(0i64, 0u32); n];
        let mut classes: Vec<(i64, usize, usize)> = Vec::new();
        for (p, &i) in order.iter().enumerate() {
            let r = &rows[i as usize];
            match classes.last_mut() {
                Some(c) if c.0 == r.0 => c.2 = p + 1,
                _ => classes.push((r.0, p, p + 1)),
            }
            lo.push(r.1);
            hi.push(r.3);
            id.push(r.2);
            combo.push(r.4);
            by_id[i as usize] = (r.2, p as u32);
        }
        Ok(Columns {
            combos,
            classes,
            lo,
            hi,
            id,
            combo,
            by_id,
        })
    }

    /// What `filter` selects among the held events.
    pub(crate) fn selection(&self, columns: &Columns, filter: &EventFilter) -> Result<Selection> {
        let text = match filter.text.as_deref().and_then(fts_query) {
            Some(q) => Some(self.text_match(columns, &q)?),
            None => None,
        };
        Ok(Selection {
            flags: columns.combos.flags(filter),
            text,
            from: filter.from.map(|d| d.lo()),
            to: filter.to.map(|d| d.hi()),
        })
    }

    /// The positions of the events whose text matches the FTS5 query `q`,
    /// held for the last `q` asked while nothing changes.
    fn text_match(&self, columns: &Columns, q: &str) -> Result<Arc<Bits>> {
        let stamp = self.stamp()?;
        if let Some((s, text, bits)) = &*self.memo.text.borrow() {
            if Some(*s) == stamp && text == q {
                return Ok(bits.clone());
            }
        }
        let mut stmt = self.conn().prepare_cached(
            "SELECT rowid FROM event_fts WHERE event_fts MATCH ?1 ORDER BY rowid",
        )?;
        let ids: Vec<i64> = stmt
            .query_map([q], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut bits = Bits::new(columns.id.len());
        for p in columns.positions(&ids) {
            bits.set(p);
        }
        let bits = Arc::new(bits);
        if let Some(s) = stamp {
            *self.memo.text.borrow_mut() = Some((s, q.to_string(), bits.clone()));
        }
        Ok(bits)
    }
}

/// Facet counts being added up: per combination, or per event.
pub(crate) struct Tally {
    pub total: i64,
    pub by_country: Vec<i64>,
    pub by_mission: HashMap<i64, i64>,
    pub by_kind: Vec<i64>,
    pub by_status: Vec<i64>,
}

impl Tally {
    pub fn new(combos: &Combos) -> Tally {
        Tally {
            total: 0,
            by_country: vec![0; combos.codes.len()],
            by_mission: HashMap::new(),
            by_kind: vec![0; EventKind::ALL.len()],
            by_status: vec![0; Status::ALL.len()],
        }
    }

    /// Counts `n` events of combination `row`, which passes the facets in
    /// `bits`: each facet counts what passes every other facet.
    pub fn add(&mut self, row: &Combo, bits: u8, n: i64) {
        if bits == ALL {
            self.total += n;
        }
        if bits | COUNTRY == ALL {
            for &c in &row.countries {
                self.by_country[usize::from(c)] += n;
            }
        }
        if bits | MISSION == ALL && row.mission != 0 {
            *self.by_mission.entry(row.mission).or_default() += n;
        }
        if bits | KIND == ALL {
            self.by_kind[usize::from(row.kind)] += n;
        }
        if bits | STATUS == ALL {
            self.by_status[usize::from(row.status)] += n;
        }
    }
}

impl Db {
    /// Facet counts and extent of a filter with text or a date range, counted
    /// over the held events.
    pub(crate) fn facets_held(&self, filter: &EventFilter) -> Result<(Tally, Extent)> {
        let cols = self.columns()?;
        let sel = self.selection(&cols, filter)?;
        let mut tally = Tally::new(&cols.combos);
        let mut extent = Extent::default();
        let mut firsts: Vec<(usize, usize)> = Vec::new();
        for &(_, s, e) in &cols.classes {
            let mut first = None;
            for p in s..e {
                let bits = sel.bits(&cols, p);
                if bits == 0 {
                    continue;
                }
                let row = &cols.combos.rows[cols.combo[p] as usize];
                tally.add(row, bits, 1);
                if bits == ALL {
                    first.get_or_insert(p);
                    extent.lo = Some(extent.lo.map_or(cols.lo[p], |l: i64| l.min(cols.lo[p])));
                    extent.hi = Some(extent.hi.map_or(cols.hi[p], |h: i64| h.max(cols.hi[p])));
                }
            }
            if let Some(p) = first {
                firsts.push((p, e));
            }
        }
        extent.news_lo = self.first_news(&cols, &sel, &firsts)?;
        Ok((tally, extent))
    }

    /// The first `lo` among the selected events that are not background: per
    /// span class, from its first selected event on, until one is found or
    /// the class has passed the best so far.
    fn first_news(
        &self,
        cols: &Columns,
        sel: &Selection,
        firsts: &[(usize, usize)],
    ) -> Result<Option<i64>> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT background FROM event WHERE id = ?1")?;
        let mut best: Option<i64> = None;
        for &(s, e) in firsts {
            for p in s..e {
                if best.is_some_and(|b| cols.lo[p] >= b) {
                    break;
                }
                if sel.bits(cols, p) != ALL {
                    continue;
                }
                let background: bool = stmt.query_row([cols.id[p]], |r| r.get(0))?;
                if !background {
                    best = Some(cols.lo[p]);
                    break;
                }
            }
        }
        Ok(best)
    }

    /// How many held events the filter selects, and the ids of those at
    /// `offset..offset + limit` in the order `(lo, hi, id)`.
    pub(crate) fn list_held(
        &self,
        filter: &EventFilter,
        offset: u32,
        limit: u32,
    ) -> Result<(u32, Vec<i64>)> {
        let cols = self.columns()?;
        let sel = self.selection(&cols, filter)?;
        let mut found: Vec<(i64, i64, i64)> = Vec::new();
        for p in 0..cols.id.len() {
            if sel.bits(&cols, p) == ALL {
                found.push((cols.lo[p], cols.hi[p], cols.id[p]));
            }
        }
        let total = u32::try_from(found.len()).unwrap_or(u32::MAX);
        let end = (offset as usize)
            .saturating_add(limit as usize)
            .min(found.len());
        if end < found.len() && end > 0 {
            found.select_nth_unstable(end - 1);
            found.truncate(end);
        }
        found.sort_unstable();
        let ids = found.iter().skip(offset as usize).map(|f| f.2).collect();
        Ok((total, ids))
    }
}

/// The span of the matching events and where the news starts (`Facets`).
#[derive(Default)]
pub(crate) struct Extent {
    pub lo: Option<i64>,
    pub hi: Option<i64>,
    pub news_lo: Option<i64>,
}

impl Db {
    /// A window counted over the held events: one pass counts the matching
    /// events per lane and bin; a second finds the events of the sparse bins.
    pub(super) fn window_held(
        &self,
        q: &WindowQuery,
        binning: Binning,
        max_items: u32,
    ) -> Result<WindowResult> {
        let cols = self.columns()?;
        let sel = self.selection(&cols, &q.filter)?;
        let (lanes, names) = cols.combos.lanes(q.lanes);
        let nbins = usize::try_from(binning.of(q.hi - 1) + 1).map_err(|_| window_overflow())?;
        let mut grid: Vec<u32> = vec![0; names.len() * nbins];
        let mut total = 0u32;
        let mut found: Vec<i64> = Vec::new();
        cols.each_overlapping(q.lo, q.hi, |p| {
            if sel.bits(&cols, p) != ALL {
                return;
            }
            total = total.saturating_add(1);
            if total <= max_items {
                found.push(cols.id[p]);
            }
            let b = binning.of(cols.lo[p]) as usize;
            for &l in lanes.of(cols.combo[p]) {
                grid[l as usize * nbins + b] += 1;
            }
        });
        let (lane_sql, lane_join) = q.lanes.sql();
        if total <= max_items {
            let items = self.items_by_id(&found, lane_sql, lane_join, max_items)?;
            return Ok(WindowResult {
                total,
                items,
                bins: Vec::new(),
            });
        }
        let cells = grid.iter().enumerate().filter(|c| *c.1 > 0).map(|(i, &n)| {
            let (lane, b) = (i / nbins, i % nbins);
            ((names[lane].clone(), b as i64), n)
        });
        let (bins, sparse) = bins_and_sparse(cells, binning, max_items);
        if sparse.is_empty() {
            return Ok(WindowResult {
                total,
                items: Vec::new(),
                bins,
            });
        }
        let mut ids = Vec::new();
        cols.each_overlapping(q.lo, q.hi, |p| {
            if sel.bits(&cols, p) != ALL {
                return;
            }
            let b = binning.of(cols.lo[p]) as usize;
            if lanes
                .of(cols.combo[p])
                .iter()
                .any(|&l| (1..=SPARSE_BIN).contains(&grid[l as usize * nbins + b]))
            {
                ids.push(cols.id[p]);
            }
        });
        let mut items = self.items_by_id(&ids, lane_sql, lane_join, MAX_ITEMS)?;
        items.retain(|it| sparse.contains(&(it.lane.clone(), binning.of(it.lo))));
        Ok(WindowResult { total, items, bins })
    }

    /// The timeline items of `ids` (in each of their lanes), by `lo` and id.
    pub(super) fn items_by_id(
        &self,
        ids: &[i64],
        lane_sql: &str,
        lane_join: &str,
        limit: u32,
    ) -> Result<Vec<TimelineItem>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
        self.timeline_items(
            "e.id IN (SELECT value FROM json_each(?))",
            &[Value::Text(list)],
            lane_sql,
            lane_join,
            limit,
            None,
        )
    }
}
