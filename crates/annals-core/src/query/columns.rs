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

use super::cube::{Cell, Cube, KeptCube, CUBES, CUBE_LEVELS, CUBE_MIN_EVENTS};
use super::{
    bins_and_sparse, fts_query, timeline_item, window_overflow, Binning, EventFilter, LaneMode,
    TimelineItem, WindowQuery, WindowResult, ITEM_COLUMNS, MAX_ITEMS, SPARSE_BIN,
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
    /// The last few filters' flags and lanes, for the combinations they were
    /// made from.
    plans: RefCell<Vec<Planned>>,
    /// The last few cubes (`cube.rs`), with the columns and plan of each.
    cubes: RefCell<Vec<KeptCube>>,
    /// The fewest events a window spans for a cube to count it, when not
    /// [`CUBE_MIN_EVENTS`] ([`Db::use_cubes_from`]).
    cube_min: std::cell::Cell<Option<usize>>,
}

/// A plan, what it was made for, and the combinations it was made from.
type Planned = (Arc<Combos>, PlanKey, Arc<Plan>);

/// How many filters' plans are kept.
const PLANS: usize = 8;

/// What a plan depends on: the filter's facets and the lanes.
#[derive(PartialEq)]
struct PlanKey {
    countries: Vec<String>,
    missions: Vec<i64>,
    kinds: Vec<EventKind>,
    statuses: Vec<Status>,
    lanes: LaneMode,
}

/// A filter's facets and lanes applied to the combinations.
pub(crate) struct Plan {
    /// Per combination, the facets it passes.
    pub flags: Vec<u8>,
    pub lanes: Lanes,
    pub names: Vec<String>,
    /// Per combination: see [`Selection::lane_codes`].
    pub codes: Vec<u32>,
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
    /// Into `Combos::missions`.
    pub mission_at: u32,
    /// Into `Combos::codes`.
    pub countries: Vec<u16>,
    pub n: i64,
}

/// Keys and their counts, most first.
pub(crate) type Counts = Vec<(String, i64)>;

pub(crate) struct Combos {
    pub rows: Vec<Combo>,
    /// A combination's id in `event_combo` → its index in `rows` (ids are
    /// numbered from 1 and never reused: combinations are not deleted).
    index: Vec<u32>,
    /// The country codes the combinations name.
    pub codes: Vec<String>,
    /// The mission ids the combinations name (0 first, for none).
    pub missions: Vec<i64>,
}

impl Combos {
    /// The index in `rows` of the combination with this id.
    fn position(&self, id: i64) -> Option<u32> {
        let i = usize::try_from(id).ok()?;
        self.index.get(i).copied().filter(|&p| p != u32::MAX)
    }

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
                if f.missions.is_empty() || (r.mission != 0 && f.missions.contains(&r.mission)) {
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

impl Plan {
    /// Calls `f` with each lane of combination `combo`, whose code (in
    /// `codes`) is `code`, not [`SKIP`].
    #[inline]
    pub fn each_lane(&self, combo: u32, code: u32, mut f: impl FnMut(u32)) {
        if code == MANY {
            self.lanes.of(combo).iter().for_each(|&l| f(l));
        } else if code & PAIR != 0 {
            f(code >> 15 & (PAIR_LANES - 1));
            f(code & (PAIR_LANES - 1));
        } else {
            f(code);
        }
    }
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
    /// The positions in `s..e` that are set, in order.
    pub fn ones(&self, s: usize, e: usize) -> impl Iterator<Item = usize> + '_ {
        let words = s / 64..e.div_ceil(64);
        words
            .flat_map(move |w| {
                let mut bits = self.words[w];
                std::iter::from_fn(move || {
                    if bits == 0 {
                        return None;
                    }
                    let i = bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    Some(w * 64 + i)
                })
            })
            .filter(move |&i| i >= s && i < e)
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
    pub plan: Arc<Plan>,
    pub text: Option<Arc<Bits>>,
    /// `hi > from` and `lo < to` (the filter's date range).
    pub from: Option<i64>,
    pub to: Option<i64>,
}

impl Selection {
    /// The facet bits of the event at `p` when it passes the text and the date
    /// range, else 0.
    pub fn bits(&self, c: &Columns, p: usize) -> u8 {
        if self.passes(c, p) {
            self.plan.flags[c.combo[p] as usize]
        } else {
            0
        }
    }

    /// The positions in `s..e` that can pass: those the text matches, when
    /// there is text.
    #[inline]
    pub fn each_candidate(&self, s: usize, e: usize, mut f: impl FnMut(usize)) {
        match &self.text {
            None => (s..e).for_each(f),
            Some(t) => t.ones(s, e).for_each(&mut f),
        }
    }

    /// Whether there is no text or date range to test.
    pub fn plain(&self) -> bool {
        self.text.is_none() && self.from.is_none() && self.to.is_none()
    }

    /// Whether the event at `p` passes the text and the date range.
    pub fn passes(&self, c: &Columns, p: usize) -> bool {
        !(self.text.as_ref().is_some_and(|t| !t.has(p))
            || self.from.is_some_and(|f| c.hi[p] <= f)
            || self.to.is_some_and(|t| c.lo[p] >= t))
    }
}

/// Lane codes of a combination (`Plan::codes`): its one lane when it passes
/// the facets, `SKIP` when it does not, `PAIR` with two lanes, `MANY` when it
/// stands in more lanes (countries).
pub(crate) const SKIP: u32 = u32::MAX;
pub(crate) const MANY: u32 = u32::MAX - 1;
/// A combination in two lanes, both below `PAIR_LANES`: `PAIR | a << 15 | b`
/// (an event of two countries).
pub(crate) const PAIR: u32 = 1 << 31;
pub(crate) const PAIR_LANES: u32 = 1 << 15;

impl Columns {
    /// The positions of the events that can overlap `[lo, hi)`: per span
    /// class, those starting in `[lo - 2^class, hi)`, as ranges; where the
    /// flag is set, an event overlaps only if its `hi` is past `lo` (those
    /// starting inside the window overlap it).
    pub fn ranges(&self, lo: i64, hi: i64) -> Vec<(usize, usize, bool)> {
        let mut out = Vec::with_capacity(2 * self.classes.len());
        for &(class, s, e) in &self.classes {
            let reach = 1i64
                .checked_shl(class.clamp(0, 62) as u32)
                .unwrap_or(i64::MAX);
            let los = &self.lo[s..e];
            let a = s + los.partition_point(|&x| x < lo.saturating_sub(reach));
            let m = s + los.partition_point(|&x| x < lo);
            let b = s + los.partition_point(|&x| x < hi);
            out.push((a, m.min(b), true));
            out.push((m.max(a), b, false));
        }
        out
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

    /// What `slot` holds if nothing changed since it was read, else `read`
    /// again (and held, outside a transaction).
    fn held<T>(
        &self,
        slot: &RefCell<Option<(Stamp, Arc<T>)>>,
        read: impl FnOnce() -> Result<T>,
    ) -> Result<Arc<T>> {
        let stamp = self.stamp()?;
        if let Some((s, held)) = &*slot.borrow() {
            if Some(*s) == stamp {
                return Ok(held.clone());
            }
        }
        let fresh = Arc::new(read()?);
        if let Some(s) = stamp {
            *slot.borrow_mut() = Some((s, fresh.clone()));
        }
        Ok(fresh)
    }

    /// The events of one status by kind and by country (an event of two
    /// countries counts under each), summed over the combinations: what the
    /// Review view's facets show for the whole queue, without reading events.
    pub(crate) fn status_tally(&self, status: Status) -> Result<(Counts, Counts)> {
        let combos = self.combos()?;
        let Some(wanted) = Status::ALL.iter().position(|&s| s == status) else {
            return Ok((Vec::new(), Vec::new()));
        };
        let mut kinds = vec![0i64; EventKind::ALL.len()];
        let mut countries = vec![0i64; combos.codes.len()];
        for row in combos
            .rows
            .iter()
            .filter(|r| usize::from(r.status) == wanted)
        {
            kinds[usize::from(row.kind)] += row.n;
            for &c in &row.countries {
                countries[usize::from(c)] += row.n;
            }
        }
        let sorted = |pairs: Vec<(String, i64)>| {
            let mut v: Vec<(String, i64)> = pairs.into_iter().filter(|p| p.1 > 0).collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            v
        };
        Ok((
            sorted(
                EventKind::ALL
                    .iter()
                    .zip(kinds)
                    .map(|(k, n)| (k.as_str().to_string(), n))
                    .collect(),
            ),
            sorted(combos.codes.iter().cloned().zip(countries).collect()),
        ))
    }

    /// How many events of one status have one of `kinds` (any, when empty) and
    /// one of `countries` (alpha-2; any, when empty), summed over the
    /// combinations.
    pub(crate) fn status_count(
        &self,
        status: Status,
        kinds: &[EventKind],
        countries: &[String],
    ) -> Result<i64> {
        let combos = self.combos()?;
        let Some(wanted) = Status::ALL.iter().position(|&s| s == status) else {
            return Ok(0);
        };
        let kind_ok: Vec<bool> = EventKind::ALL
            .iter()
            .map(|k| kinds.is_empty() || kinds.contains(k))
            .collect();
        let codes: Vec<u16> = combos
            .codes
            .iter()
            .enumerate()
            .filter(|(_, c)| countries.iter().any(|w| w.eq_ignore_ascii_case(c)))
            .filter_map(|(i, _)| u16::try_from(i).ok())
            .collect();
        Ok(combos
            .rows
            .iter()
            .filter(|r| usize::from(r.status) == wanted && kind_ok[usize::from(r.kind)])
            .filter(|r| countries.is_empty() || r.countries.iter().any(|c| codes.contains(c)))
            .map(|r| r.n)
            .sum())
    }

    /// The combinations, held while nothing changes.
    pub(crate) fn combos(&self) -> Result<Arc<Combos>> {
        self.held(&self.memo.combos, || self.read_combos())
    }

    fn read_combos(&self) -> Result<Combos> {
        let mut codes: Vec<String> = Vec::new();
        let mut code_at: HashMap<String, u16> = HashMap::new();
        let mut rows = Vec::new();
        let mut index: Vec<u32> = Vec::new();
        let mut missions: Vec<i64> = vec![0];
        let mut mission_at_of: HashMap<i64, u32> = HashMap::from([(0, 0)]);
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, kind, status, mission, countries, n FROM event_combo ORDER BY id",
        )?;
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
            let mission: i64 = r.get(3)?;
            let mission_at = *mission_at_of.entry(mission).or_insert_with(|| {
                missions.push(mission);
                (missions.len() - 1) as u32
            });
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
            let id = usize::try_from(r.get::<_, i64>(0)?)
                .ok()
                .filter(|&id| id <= 64 * (rows.len() + 1024))
                .ok_or_else(|| Error::invalid("event", "a combination's id is out of range"))?;
            if index.len() <= id {
                index.resize(id + 1, u32::MAX);
            }
            index[id] = rows.len() as u32;
            rows.push(Combo {
                kind: EventKind::ALL.iter().position(|&k| k == kind).unwrap_or(0) as u8,
                status: Status::ALL.iter().position(|&s| s == status).unwrap_or(0) as u8,
                mission,
                mission_at,
                countries,
                n: r.get(5)?,
            });
        }
        // The most frequent first, so the per-combination arrays a window pass
        // looks up for each event stay in cache for most of them.
        let mut order: Vec<u32> = (0..rows.len() as u32).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(rows[i as usize].n));
        let mut at = vec![0u32; rows.len()];
        for (new, &old) in order.iter().enumerate() {
            at[old as usize] = new as u32;
        }
        for i in index.iter_mut().filter(|i| **i != u32::MAX) {
            *i = at[*i as usize];
        }
        let mut rows: Vec<Option<Combo>> = rows.into_iter().map(Some).collect();
        let rows = order
            .iter()
            .filter_map(|&i| rows[i as usize].take())
            .collect();
        Ok(Combos {
            rows,
            index,
            codes,
            missions,
        })
    }

    /// Whether the columns are held and current: reading them costs nothing.
    pub(crate) fn columns_are_held(&self) -> Result<bool> {
        let stamp = self.stamp()?;
        Ok(stamp.is_some()
            && matches!(&*self.memo.columns.borrow(), Some((s, _)) if Some(*s) == stamp))
    }

    /// Every event's times and combination, held while nothing changes.
    pub(crate) fn columns(&self) -> Result<Arc<Columns>> {
        self.held(&self.memo.columns, || self.read_columns())
    }

    fn read_columns(&self) -> Result<Columns> {
        let combos = self.combos()?;
        // Read in id order: (id, hi, combo) by row, (class, lo, row) to sort.
        let mut rows: Vec<(i64, i64, u32)> = Vec::new();
        let mut keys: Vec<(i64, i64, u32)> = Vec::new();
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT id, combo, span_class, lo, hi FROM event_keyed ORDER BY id")?;
        let mut q = stmt.query([])?;
        while let Some(r) = q.next()? {
            let c = combos
                .position(r.get(1)?)
                .ok_or_else(|| Error::invalid("event", "an event's combination is missing"))?;
            keys.push((r.get(2)?, r.get(3)?, rows.len() as u32));
            rows.push((r.get(0)?, r.get(4)?, c));
        }
        keys.sort_unstable();
        let n = rows.len();
        let (mut lo, mut hi, mut id, mut combo) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        let mut by_id = vec![(0i64, 0u32); n];
        let mut classes: Vec<(i64, usize, usize)> = Vec::new();
        for (p, &(class, l, i)) in keys.iter().enumerate() {
            let r = &rows[i as usize];
            match classes.last_mut() {
                Some(c) if c.0 == class => c.2 = p + 1,
                _ => classes.push((class, p, p + 1)),
            }
            lo.push(l);
            hi.push(r.1);
            id.push(r.0);
            combo.push(r.2);
            by_id[i as usize] = (r.0, p as u32);
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

    /// The flags and lanes of a filter's facets over `combos`, kept for the
    /// last few filters.
    pub(crate) fn plan(&self, combos: &Arc<Combos>, f: &EventFilter, lanes: LaneMode) -> Arc<Plan> {
        let key = PlanKey {
            countries: f.countries.clone(),
            missions: f.missions.clone(),
            kinds: f.kinds.clone(),
            statuses: f.statuses.clone(),
            lanes,
        };
        let mut plans = self.memo.plans.borrow_mut();
        if let Some(i) = plans
            .iter()
            .position(|(c, k, _)| Arc::ptr_eq(c, combos) && *k == key)
        {
            let hit = plans.remove(i);
            let plan = hit.2.clone();
            plans.push(hit);
            return plan;
        }
        let flags = combos.flags(f);
        let (lane_list, names) = combos.lanes(lanes);
        let codes = flags
            .iter()
            .enumerate()
            .map(|(i, &f)| match lane_list.of(i as u32) {
                _ if f != ALL => SKIP,
                [one] => *one,
                &[a, b] if a < PAIR_LANES && b < PAIR_LANES => PAIR | a << 15 | b,
                _ => MANY,
            })
            .collect();
        let plan = Arc::new(Plan {
            flags,
            lanes: lane_list,
            names,
            codes,
        });
        plans.retain(|(c, _, _)| Arc::ptr_eq(c, combos));
        if plans.len() >= PLANS {
            plans.remove(0);
        }
        plans.push((combos.clone(), key, plan.clone()));
        plan
    }

    /// Counts windows that span at least `events` events from cubes: for tests
    /// that compare the two ways of counting on small databases.
    #[doc(hidden)]
    pub fn use_cubes_from(&self, events: usize) {
        self.memo.cube_min.set(Some(events));
    }

    /// The cube of `plan` at `level` over the held `cols`, kept for the last
    /// few; none inside a transaction (whose columns are not held), where
    /// making one would cost more than the window it serves.
    fn cube(&self, cols: &Arc<Columns>, plan: &Arc<Plan>, level: u32) -> Result<Option<Arc<Cube>>> {
        let held = matches!(&*self.memo.columns.borrow(), Some((_, c)) if Arc::ptr_eq(c, cols));
        if !held {
            return Ok(None);
        }
        let mut cubes = self.memo.cubes.borrow_mut();
        // Those of columns no longer held would keep them in memory.
        cubes.retain(|(c, _, _)| Arc::ptr_eq(c, cols));
        if let Some(i) = cubes
            .iter()
            .position(|(_, p, k)| Arc::ptr_eq(p, plan) && k.level == level)
        {
            let hit = cubes.remove(i);
            let cube = hit.2.clone();
            cubes.push(hit);
            return Ok(Some(cube));
        }
        let cube = Arc::new(Cube::build(cols, plan, level));
        if cubes.len() >= CUBES {
            cubes.remove(0);
        }
        cubes.push((cols.clone(), plan.clone(), cube.clone()));
        Ok(Some(cube))
    }

    /// What `filter` selects among the held events.
    pub(crate) fn selection(&self, columns: &Columns, filter: &EventFilter) -> Result<Selection> {
        let text = match filter.text.as_deref().and_then(fts_query) {
            Some(q) => Some(self.text_match(columns, &q)?),
            None => None,
        };
        Ok(Selection {
            plan: self.plan(&columns.combos, filter, LaneMode::None),
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
    /// By `Combos::missions`.
    pub by_mission: Vec<i64>,
    pub by_kind: Vec<i64>,
    pub by_status: Vec<i64>,
}

impl Tally {
    pub fn new(combos: &Combos) -> Tally {
        Tally {
            total: 0,
            by_country: vec![0; combos.codes.len()],
            by_mission: vec![0; combos.missions.len()],
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
            self.by_mission[row.mission_at as usize] += n;
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
            sel.each_candidate(s, e, |p| {
                let bits = sel.bits(&cols, p);
                if bits == 0 {
                    return;
                }
                let row = &cols.combos.rows[cols.combo[p] as usize];
                tally.add(row, bits, 1);
                if bits == ALL {
                    first.get_or_insert(p);
                    extent.lo = Some(extent.lo.map_or(cols.lo[p], |l: i64| l.min(cols.lo[p])));
                    extent.hi = Some(extent.hi.map_or(cols.hi[p], |h: i64| h.max(cols.hi[p])));
                }
            });
            if let Some(p) = first {
                firsts.push((p, e));
            }
        }
        extent.news_lo = self.first_news(&cols, &sel, &firsts)?;
        Ok((tally, extent))
    }

    /// The extent of a filter over the held events: per span class, the first
    /// and the last selected event in `lo` order, and the last `hi` among
    /// those starting within `2^class` of the last.
    pub(crate) fn extent_held(&self, filter: &EventFilter) -> Result<Extent> {
        let cols = self.columns()?;
        let sel = self.selection(&cols, filter)?;
        let mut extent = Extent::default();
        let mut firsts: Vec<(usize, usize)> = Vec::new();
        for &(class, s, e) in &cols.classes {
            let Some(first) = (s..e).find(|&p| sel.bits(&cols, p) == ALL) else {
                continue;
            };
            firsts.push((first, e));
            let lo = cols.lo[first];
            extent.lo = Some(extent.lo.map_or(lo, |l: i64| l.min(lo)));
            let last = (first..e)
                .rev()
                .find(|&p| sel.bits(&cols, p) == ALL)
                .unwrap_or(first);
            let reach = 1i64
                .checked_shl(class.clamp(0, 62) as u32)
                .unwrap_or(i64::MAX);
            let from = cols.lo[last].saturating_sub(reach);
            let start = s + cols.lo[s..e].partition_point(|&x| x < from);
            for p in start.max(first)..=last {
                if sel.bits(&cols, p) == ALL {
                    extent.hi = Some(extent.hi.map_or(cols.hi[p], |h: i64| h.max(cols.hi[p])));
                }
            }
        }
        extent.news_lo = self.first_news(&cols, &sel, &firsts)?;
        Ok(extent)
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
        let flags = &sel.plan.flags;
        let plain = sel.plain();
        sel.each_candidate(0, cols.id.len(), |p| {
            if flags[cols.combo[p] as usize] == ALL && (plain || sel.passes(&cols, p)) {
                found.push((cols.lo[p], cols.hi[p], cols.id[p]));
            }
        });
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

/// A window's counts per lane and bin (lane-major), the first
/// [`SPARSE_BIN`] events of each cell, the events counted, and the first
/// `max_items` of them.
struct Grid {
    nbins: usize,
    counts: Vec<u32>,
    firsts: Vec<[u32; 2]>,
    total: u32,
    found: Vec<usize>,
}

impl Grid {
    fn new(nlanes: usize, nbins: usize) -> Grid {
        Grid {
            nbins,
            counts: vec![0; nlanes * nbins],
            firsts: vec![[0; 2]; nlanes * nbins],
            total: 0,
            found: Vec::new(),
        }
    }

    /// Counts one event (at `p`) in `lane` and `bin`.
    #[inline]
    fn count(&mut self, lane: u32, bin: usize, p: usize) {
        let cell = lane as usize * self.nbins + bin;
        let n = self.counts[cell];
        if n < SPARSE_BIN {
            self.firsts[cell][n as usize] = p as u32;
        }
        self.counts[cell] = n + 1;
    }

    /// Adds a cube's cell (its lane's events of one bucket) to `bin`.
    fn add(&mut self, c: &Cell, bin: usize) {
        let cell = c.lane as usize * self.nbins + bin;
        let n = self.counts[cell];
        for (k, &p) in c.first[..c.n.min(SPARSE_BIN) as usize].iter().enumerate() {
            if n + (k as u32) < SPARSE_BIN {
                self.firsts[cell][(n as usize) + k] = p;
            }
        }
        self.counts[cell] = n.saturating_add(c.n);
    }

    /// Counts the events at the positions of `ranges` that the selection and
    /// the plan pass (where the flag is set, only those ending after `lo`).
    #[allow(clippy::too_many_arguments)]
    fn scan(
        &mut self,
        cols: &Columns,
        sel: &Selection,
        plan: &Plan,
        binning: Binning,
        lo: i64,
        ranges: impl Iterator<Item = (usize, usize, bool)>,
        max_items: u32,
    ) {
        let plain = sel.plain();
        for (a, b, check_hi) in ranges {
            for p in a..b {
                if check_hi && cols.hi[p] <= lo {
                    continue;
                }
                let combo = cols.combo[p];
                let code = plan.codes[combo as usize];
                if code == SKIP || !(plain || sel.passes(cols, p)) {
                    continue;
                }
                self.total += 1;
                if self.total <= max_items {
                    self.found.push(p);
                }
                let bin = binning.of(cols.lo[p]) as usize;
                plan.each_lane(combo, code, |l| self.count(l, bin, p));
            }
        }
    }
}

impl Db {
    /// A window counted over the held events: one pass counts the matching
    /// events per lane and bin; a second finds the events of the sparse bins.
    /// A wide window with no text or date range takes the whole buckets inside
    /// it from the plan's cube (`cube.rs`) and counts only its ragged ends event
    /// by event.
    pub(super) fn window_held(
        &self,
        q: &WindowQuery,
        binning: Binning,
        max_items: u32,
    ) -> Result<WindowResult> {
        let cols = self.columns()?;
        let sel = self.selection(&cols, &q.filter)?;
        let plan = self.plan(&cols.combos, &q.filter, q.lanes);
        let names = &plan.names;
        let nbins = usize::try_from(binning.of(q.hi - 1) + 1).map_err(|_| window_overflow())?;
        let ranges = cols.ranges(q.lo, q.hi);
        let mut grid = Grid::new(names.len(), nbins);
        let spanned: usize = ranges.iter().map(|r| r.1 - r.0).sum();
        let level = CUBE_LEVELS
            .iter()
            .copied()
            .filter(|&l| l <= binning.shift)
            .max()
            .filter(|_| {
                sel.plain() && spanned >= self.memo.cube_min.get().unwrap_or(CUBE_MIN_EVENTS)
            });
        let mut from_cube = false;
        if let Some(level) = level {
            let size = 1i64 << level;
            let first = (q.lo + size - 1).div_euclid(size) * size;
            let last = q.hi.div_euclid(size) * size;
            if first < last {
                if let Some(cube) = self.cube(&cols, &plan, level)? {
                    from_cube = true;
                    let (lo_b, hi_b) = (first >> level, last >> level);
                    for c in cube.cells(lo_b, hi_b) {
                        grid.add(c, binning.of(c.bucket << level) as usize);
                    }
                    grid.total = grid
                        .total
                        .saturating_add(u32::try_from(cube.total(lo_b, hi_b)).unwrap_or(u32::MAX));
                    // The ragged ends: what starts before the first whole bucket
                    // or after the last.
                    let ends = ranges.iter().flat_map(|&(a, b, check_hi)| {
                        let los = &cols.lo[a..b];
                        let x = a + los.partition_point(|&l| l < first);
                        let y = a + los.partition_point(|&l| l < last);
                        [(a, x, check_hi), (y, b, check_hi)]
                    });
                    grid.scan(&cols, &sel, &plan, binning, q.lo, ends, max_items);
                }
            }
        }
        if !from_cube || grid.total <= max_items {
            // Few enough to list: every one is needed, which the cube does not
            // hold.
            grid = Grid::new(names.len(), nbins);
            grid.scan(
                &cols,
                &sel,
                &plan,
                binning,
                q.lo,
                ranges.iter().copied(),
                max_items,
            );
        }
        let Grid {
            counts: grid,
            firsts,
            total,
            mut found,
            ..
        } = grid;
        if total <= max_items {
            // Only the events whose lanes fill the first `max_items` items.
            found.sort_unstable_by_key(|&p| (cols.lo[p], cols.id[p]));
            let mut room = max_items as usize;
            let upto = found
                .iter()
                .take_while(|&&p| {
                    let fits = room > 0;
                    room = room.saturating_sub(plan.lanes.of(cols.combo[p]).len());
                    fits
                })
                .count();
            found.truncate(upto);
            let mut items = self.items_held(&cols, &plan, &found, |_| true)?;
            items.truncate(max_items as usize);
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
        let mut at: Vec<usize> = grid
            .iter()
            .zip(&firsts)
            .filter(|(&n, _)| (1..=SPARSE_BIN).contains(&n))
            .flat_map(|(&n, first)| first[..n as usize].iter().map(|&p| p as usize))
            .collect();
        at.sort_unstable();
        at.dedup();
        let items = self.items_held(&cols, &plan, &at, |it| {
            sparse.contains(&(it.lane.clone(), binning.of(it.lo)))
        })?;
        Ok(WindowResult { total, items, bins })
    }

    /// The timeline items of the held events at `at`, one in each of their
    /// lanes that `keep` keeps, by `lo` and id. The rows are read without
    /// lanes; the lanes come from the events' combinations.
    fn items_held(
        &self,
        cols: &Columns,
        plan: &Plan,
        at: &[usize],
        keep: impl Fn(&TimelineItem) -> bool,
    ) -> Result<Vec<TimelineItem>> {
        let ids: Vec<i64> = at.iter().map(|&p| cols.id[p]).collect();
        let combo: HashMap<i64, u32> = at.iter().map(|&p| (cols.id[p], cols.combo[p])).collect();
        let rows = self.items_by_id(&ids)?;
        let mut items = Vec::with_capacity(rows.len());
        for row in rows {
            let Some(&c) = combo.get(&row.id) else {
                continue;
            };
            let lanes = plan.lanes.of(c);
            for &l in lanes {
                let mut item = row.clone();
                item.lane.clone_from(&plan.names[l as usize]);
                if keep(&item) {
                    items.push(item);
                }
            }
        }
        Ok(items)
    }

    /// The timeline items of `ids` without lanes, by `lo` and id (the first
    /// [`MAX_ITEMS`]): one lookup by id each (a list of ids in SQL would be
    /// sorted twice in temporary trees, for the list and for the order, which
    /// cost more than the reads).
    pub(super) fn items_by_id(&self, ids: &[i64]) -> Result<Vec<TimelineItem>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {ITEM_COLUMNS}, '', e.planned FROM event e WHERE e.id = ?1"
        ))?;
        let mut items = Vec::with_capacity(ids.len());
        for &id in ids {
            let mut rows = stmt.query([id])?;
            if let Some(r) = rows.next()? {
                items.push(timeline_item(r)?);
            }
        }
        items.sort_unstable_by_key(|it| (it.lo, it.id));
        items.truncate(MAX_ITEMS as usize);
        Ok(items)
    }
}
