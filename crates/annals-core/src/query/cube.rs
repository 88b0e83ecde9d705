//! Counts per time bucket and lane of the events a plan passes, summed from the
//! held columns once and kept, so that a wide window with lanes reads a few
//! thousand cells instead of every event it spans.
//!
//! A window of all time over a million events, in country lanes, passed each
//! event through its combination's lanes into a grid (about 20 ms); the same
//! window from a cube reads one cell per lane and bucket that has events (a
//! hundred thousand at most, usually far fewer), plus the events of the
//! window's ragged ends, which are counted one by one as before.
//!
//! A cube belongs to one held [`Columns`] and one [`Plan`] (a filter's facets
//! and lanes): it is kept beside them and dropped with them, so it is never read
//! after a change (the invariant of `columns.rs`). It counts the facets only:
//! a window with text or a date range is counted event by event.

use std::sync::Arc;

use super::columns::{Columns, Plan, SKIP};
use super::SPARSE_BIN;

/// The bucket levels a cube is made at (a subset of `query::LEVELS`): finer
/// buckets hold hardly more than one event per lane, and a window narrow
/// enough for them spans few events.
pub(crate) const CUBE_LEVELS: [u32; 4] = [14, 17, 20, 23];

/// A window that can overlap fewer events than this is counted event by event:
/// that is as fast as a cube, and makes none.
pub(crate) const CUBE_MIN_EVENTS: usize = 100_000;

/// Cubes kept per connection (each a few megabytes at a million events).
pub(crate) const CUBES: usize = 2;

/// The events of one lane starting in one bucket: how many, and the positions
/// (in [`Columns`]) of the first [`SPARSE_BIN`] of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Cell {
    pub bucket: i64,
    pub lane: u32,
    pub n: u32,
    pub first: [u32; 2],
}

impl Cell {
    /// Adds `other`'s events (of the same bucket and lane).
    fn absorb(&mut self, other: &Cell) {
        for &p in &other.first[..other.n.min(SPARSE_BIN) as usize] {
            if self.n < SPARSE_BIN {
                self.first[self.n as usize] = p;
            }
            self.n = self.n.saturating_add(1);
        }
        self.n = self
            .n
            .saturating_add(other.n.saturating_sub(SPARSE_BIN.min(other.n)));
    }
}

pub(crate) struct Cube {
    pub level: u32,
    /// Sorted by bucket, then lane; one cell per (bucket, lane) with events.
    cells: Vec<Cell>,
    /// Per bucket with events, how many events (each once, whatever its lanes).
    totals: Vec<(i64, u64)>,
}

impl Cube {
    /// Sums the events `plan` passes into buckets of `2^level` minutes by
    /// their `lo`, per lane.
    pub fn build(cols: &Columns, plan: &Plan, level: u32) -> Cube {
        let nlanes = plan.names.len();
        let mut cells: Vec<Cell> = Vec::new();
        let mut totals: Vec<(i64, u64)> = Vec::new();
        // One bucket at a time (a span class's events come in order of `lo`):
        // its counts per lane, the lanes it touched and its event total.
        let mut acc: Vec<Cell> = vec![
            Cell {
                bucket: 0,
                lane: 0,
                n: 0,
                first: [0; 2],
            };
            nlanes
        ];
        let mut touched: Vec<u32> = Vec::new();
        let mut total = 0u64;
        let mut flush =
            |bucket: i64, acc: &mut Vec<Cell>, touched: &mut Vec<u32>, total: &mut u64| {
                for &l in touched.iter() {
                    let c = &mut acc[l as usize];
                    cells.push(Cell {
                        bucket,
                        lane: l,
                        n: c.n,
                        first: c.first,
                    });
                    c.n = 0;
                }
                touched.clear();
                if *total > 0 {
                    totals.push((bucket, *total));
                }
                *total = 0;
            };
        for &(_, s, e) in &cols.classes {
            let mut current: Option<i64> = None;
            for p in s..e {
                let combo = cols.combo[p];
                let code = plan.codes[combo as usize];
                if code == SKIP {
                    continue;
                }
                let bucket = cols.lo[p] >> level;
                if current != Some(bucket) {
                    if let Some(b) = current {
                        flush(b, &mut acc, &mut touched, &mut total);
                    }
                    current = Some(bucket);
                }
                total += 1;
                let count = |lane: u32| {
                    let c = &mut acc[lane as usize];
                    if c.n == 0 {
                        touched.push(lane);
                    }
                    if c.n < SPARSE_BIN {
                        c.first[c.n as usize] = p as u32;
                    }
                    c.n += 1;
                };
                plan.each_lane(combo, code, count);
            }
            if let Some(b) = current {
                flush(b, &mut acc, &mut touched, &mut total);
            }
        }
        // The span classes each gave their own cells: one per bucket and lane.
        cells.sort_unstable_by_key(|c| (c.bucket, c.lane));
        let mut merged: Vec<Cell> = Vec::with_capacity(cells.len());
        for c in cells {
            match merged.last_mut() {
                Some(m) if m.bucket == c.bucket && m.lane == c.lane => m.absorb(&c),
                _ => merged.push(c),
            }
        }
        totals.sort_unstable();
        let mut summed: Vec<(i64, u64)> = Vec::with_capacity(totals.len());
        for (b, n) in totals {
            match summed.last_mut() {
                Some(s) if s.0 == b => s.1 += n,
                _ => summed.push((b, n)),
            }
        }
        Cube {
            level,
            cells: merged,
            totals: summed,
        }
    }

    /// The cells of the buckets numbered `lo..hi`.
    pub fn cells(&self, lo: i64, hi: i64) -> &[Cell] {
        let a = self.cells.partition_point(|c| c.bucket < lo);
        let b = self.cells.partition_point(|c| c.bucket < hi);
        &self.cells[a..b.max(a)]
    }

    /// The events starting in the buckets numbered `lo..hi`.
    pub fn total(&self, lo: i64, hi: i64) -> u64 {
        let a = self.totals.partition_point(|t| t.0 < lo);
        let b = self.totals.partition_point(|t| t.0 < hi);
        self.totals[a..b.max(a)].iter().map(|t| t.1).sum()
    }
}

/// A kept cube and what it was made from.
pub(crate) type KeptCube = (Arc<Columns>, Arc<Plan>, Arc<Cube>);

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(n: u32, first: [u32; 2]) -> Cell {
        Cell {
            bucket: 0,
            lane: 0,
            n,
            first,
        }
    }

    #[test]
    fn absorbing_keeps_the_first_positions_only_while_the_cell_is_sparse() {
        let mut a = cell(1, [7, 0]);
        a.absorb(&cell(1, [9, 0]));
        assert_eq!((a.n, a.first), (2, [7, 9]));
        a.absorb(&cell(5, [11, 12]));
        assert_eq!(a.n, 7);
        assert_eq!(a.first, [7, 9]);
        let mut b = cell(0, [0, 0]);
        b.absorb(&cell(3, [4, 5]));
        assert_eq!((b.n, b.first), (3, [4, 5]));
    }
}
