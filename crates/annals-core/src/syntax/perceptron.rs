//! The averaged multiclass perceptron behind the tagger, the parser and the labeller.
//!
//! Features are hashed to `u64` keys by the caller ([`Feat`]); each key owns a short
//! sparse row of (class, weight) pairs, since a feature only ever gets weight for the
//! few classes it took part in updates for. Training keeps the running sums needed
//! for averaging (Collins 2002, with Daumé's lazy update); [`Trainer::finish`]
//! averages, drops near-zero weights and quantizes to `i16`, which is what the model
//! file stores.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Keys are already well mixed by [`Feat`], so the table hashes them no further.
#[derive(Default)]
pub(crate) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub(crate) type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<KeyHasher>>;

/// Builds one feature key from a template number and its values.
#[derive(Clone, Copy)]
pub(crate) struct Feat(u64);

impl Feat {
    #[inline]
    pub(crate) fn new(template: u32) -> Self {
        Feat(u64::from(template).wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }
    #[inline]
    pub(crate) fn with(self, value: u64) -> Self {
        Feat((self.0.rotate_left(23) ^ value).wrapping_mul(0x517C_C1B7_2722_0A95))
    }
    /// The key of `template` with `values`.
    #[inline]
    pub(crate) fn of(template: u32, values: &[u64]) -> u64 {
        values
            .iter()
            .fold(Feat::new(template), |f, &v| f.with(v))
            .key()
    }

    /// The finished key: murmur3's final mix, so low and high bits are both good.
    #[inline]
    pub(crate) fn key(self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
        h ^= h >> 33;
        h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
        h ^= h >> 33;
        h | 1 // never 0
    }
}

/// A string's id for features: FNV-1a over its bytes.
#[inline]
pub(crate) fn str_id(s: &str) -> u64 {
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    for &b in s.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01B3);
    }
    h
}

/// An open-addressing table from 32-bit feature keys (0 is "empty") to values,
/// probed linearly: a lookup usually touches one cache line.
#[derive(Debug, Clone, PartialEq)]
struct Table<V> {
    slots: Vec<(u32, V)>,
    len: usize,
}

impl<V: Copy + Default> Table<V> {
    fn with_capacity(n: usize) -> Self {
        let cap = (n * 10 / 7 + 1).next_power_of_two().max(8);
        Table {
            slots: vec![(0, V::default()); cap],
            len: 0,
        }
    }

    /// Reads the slot where `key` would start its probe and answers its key, so
    /// that a batch of lookups can start their cache misses together.
    #[inline]
    fn touch(&self, key: u32) -> u32 {
        self.slots[key as usize & (self.slots.len() - 1)].0
    }

    #[inline]
    fn get(&self, key: u32) -> Option<&V> {
        let mask = self.slots.len() - 1;
        let mut i = key as usize & mask;
        loop {
            let (k, v) = &self.slots[i];
            if *k == key {
                return Some(v);
            }
            if *k == 0 {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    /// Inserts or replaces; the table must have been made big enough.
    fn insert(&mut self, key: u32, value: V) {
        let mask = self.slots.len() - 1;
        let mut i = key as usize & mask;
        while self.slots[i].0 != 0 && self.slots[i].0 != key {
            i = (i + 1) & mask;
        }
        if self.slots[i].0 == 0 {
            self.len += 1;
        }
        self.slots[i] = (key, value);
    }

    fn iter(&self) -> impl Iterator<Item = &(u32, V)> {
        self.slots.iter().filter(|(k, _)| *k != 0)
    }
}

/// The stored form of a 64-bit key: its high half, never 0.
#[inline]
fn short(key: u64) -> u32 {
    ((key >> 32) as u32).max(1)
}

/// Where a feature's weights are.
#[derive(Debug, Clone, PartialEq)]
enum Rows {
    /// Up to three classes: the weights sit in the table beside the key.
    Dense(Table<[i16; 3]>),
    /// More classes: (first entry << 8 | entries) into `cells`, each cell a class
    /// (high 16 bits) and its weight (low 16 bits).
    Sparse { table: Table<u32>, cells: Vec<u32> },
}

/// Trained weights, ready to score.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Weights {
    pub(crate) n_classes: usize,
    rows: Rows,
    /// What one unit of the stored weights is worth.
    pub(crate) scale: f32,
}

impl Weights {
    fn from_rows(n_classes: usize, scale: f32, rows: Vec<(u32, Vec<(u8, i16)>)>) -> Weights {
        let rows = if n_classes <= 3 {
            let mut table = Table::with_capacity(rows.len());
            for (k, row) in rows {
                let mut dense = [0i16; 3];
                for (c, v) in row {
                    dense[usize::from(c)] = v;
                }
                table.insert(k, dense);
            }
            Rows::Dense(table)
        } else {
            let mut table = Table::with_capacity(rows.len());
            let mut cells = Vec::new();
            for (k, row) in rows {
                let start = cells.len() as u32;
                let len = row.len().min(255);
                cells.extend(row[..len].iter().map(|&(c, v)| pack(c, v)));
                table.insert(k, start << 8 | len as u32);
            }
            Rows::Sparse { table, cells }
        };
        Weights {
            n_classes,
            rows,
            scale,
        }
    }

    /// Adds the weights of `keys` to `scores` (one slot per class, in stored
    /// units; comparisons do not need the scale).
    ///
    /// Lookups are memory-bound: a first pass reads every key's slot without
    /// branching on it, so the CPU waits for all the cache misses at once instead
    /// of one after another.
    #[inline]
    pub(crate) fn score(&self, keys: &[u64], scores: &mut [i32]) {
        let mut seen = 0u32;
        match &self.rows {
            Rows::Dense(table) => {
                for &k in keys {
                    seen ^= table.touch(short(k));
                }
                std::hint::black_box(seen);
                for &k in keys {
                    if let Some(w) = table.get(short(k)) {
                        for (s, &v) in scores.iter_mut().zip(w) {
                            *s += i32::from(v);
                        }
                    }
                }
            }
            Rows::Sparse { table, cells } => {
                for &k in keys {
                    seen ^= table.touch(short(k));
                }
                std::hint::black_box(seen);
                let mut found = [0u32; 64];
                let mut n = 0;
                for &k in keys {
                    if let Some(&at) = table.get(short(k)) {
                        if n == found.len() {
                            add_rows(cells, &found[..n], scores);
                            n = 0;
                        }
                        seen ^= cells.get((at >> 8) as usize).copied().unwrap_or(0);
                        found[n] = at;
                        n += 1;
                    }
                }
                std::hint::black_box(seen);
                add_rows(cells, &found[..n], scores);
            }
        }
    }

    pub(crate) fn n_features(&self) -> usize {
        match &self.rows {
            Rows::Dense(t) => t.len,
            Rows::Sparse { table, .. } => table.len,
        }
    }

    /// The rows, sorted by key.
    fn rows(&self) -> Vec<(u32, Vec<(u8, i16)>)> {
        let mut rows: Vec<(u32, Vec<(u8, i16)>)> = match &self.rows {
            Rows::Dense(t) => t
                .iter()
                .map(|&(k, w)| (k, (0u8..).zip(w).filter(|(_, v)| *v != 0).collect()))
                .collect(),
            Rows::Sparse { table, cells } => table
                .iter()
                .map(|&(k, at)| (k, row(cells, at).iter().map(|&c| unpack(c)).collect()))
                .collect(),
        };
        rows.sort_unstable_by_key(|(k, _)| *k);
        rows
    }

    pub(crate) fn write(&self, out: &mut Vec<u8>) {
        put_u32(out, self.n_classes as u32);
        out.extend_from_slice(&self.scale.to_le_bytes());
        let rows = self.rows();
        put_u32(out, rows.len() as u32);
        // Keys ascend: each is stored as its distance from the one before, in
        // LEB128, which halves what the keys take.
        let mut last = 0u32;
        for (k, row) in rows {
            put_varint(out, k - last);
            last = k;
            if self.n_classes <= 3 {
                // Dense: every class's weight, zeros included.
                let mut dense = [0i16; 3];
                for (c, v) in row {
                    dense[usize::from(c)] = v;
                }
                for v in &dense[..self.n_classes] {
                    out.extend_from_slice(&v.to_le_bytes());
                }
                continue;
            }
            out.push(row.len() as u8);
            for (c, v) in row {
                out.push(c);
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Option<Weights> {
        let n_classes = r.u32()? as usize;
        if n_classes == 0 || n_classes > 256 {
            return None;
        }
        let scale = f32::from_le_bytes(r.bytes(4)?.try_into().ok()?);
        let n = r.u32()? as usize;
        // A damaged count cannot make us allocate more than the file can hold.
        let mut rows = Vec::with_capacity(n.min(r.left() / 5));
        let mut key = 0u32;
        for _ in 0..n {
            key = key.checked_add(r.varint()?)?;
            if key == 0 {
                return None;
            }
            if n_classes <= 3 {
                let mut row = Vec::with_capacity(n_classes);
                for c in 0..n_classes {
                    let v = i16::from_le_bytes(r.bytes(2)?.try_into().ok()?);
                    if v != 0 {
                        row.push((c as u8, v));
                    }
                }
                rows.push((key, row));
                continue;
            }
            let len = r.u8()?;
            let mut row = Vec::with_capacity(usize::from(len));
            for _ in 0..len {
                let c = r.u8()?;
                if usize::from(c) >= n_classes {
                    return None;
                }
                row.push((c, i16::from_le_bytes(r.bytes(2)?.try_into().ok()?)));
            }
            rows.push((key, row));
        }
        Some(Weights::from_rows(n_classes, scale, rows))
    }
}

fn pack(class: u8, value: i16) -> u32 {
    u32::from(class) << 16 | u32::from(value as u16)
}

fn unpack(cell: u32) -> (u8, i16) {
    ((cell >> 16) as u8, cell as u16 as i16)
}

/// The cells of the row at `at` ((first << 8) | count).
#[inline]
fn row(cells: &[u32], at: u32) -> &[u32] {
    let s = (at >> 8) as usize;
    cells.get(s..s + (at & 0xFF) as usize).unwrap_or(&[])
}

#[inline]
fn add_rows(cells: &[u32], rows: &[u32], scores: &mut [i32]) {
    for &at in rows {
        for &cell in row(cells, at) {
            let (c, v) = unpack(cell);
            if let Some(slot) = scores.get_mut(usize::from(c)) {
                *slot += i32::from(v);
            }
        }
    }
}

/// One weight being trained, with what averaging needs.
#[derive(Clone, Copy)]
struct Cell {
    class: u8,
    w: f32,
    /// Sum of `w` over every step before `stamp`.
    total: f64,
    stamp: u64,
}

/// A feature's weights in training, and how many changes they took (an update
/// from a wrong guess makes two: one up, one down).
#[derive(Default)]
struct Row {
    cells: Vec<Cell>,
    changes: u32,
}

/// Trains [`Weights`].
pub(crate) struct Trainer {
    n_classes: usize,
    rows: KeyMap<Row>,
    /// Steps so far (one per example seen).
    now: u64,
}

impl Trainer {
    pub(crate) fn new(n_classes: usize) -> Self {
        assert!(n_classes <= 256, "classes are stored as u8");
        Trainer {
            n_classes,
            rows: KeyMap::default(),
            now: 0,
        }
    }

    /// The current (not averaged) scores.
    pub(crate) fn score(&self, keys: &[u64], scores: &mut [f32]) {
        for k in keys {
            if let Some(row) = self.rows.get(k) {
                for c in &row.cells {
                    scores[c.class as usize] += c.w;
                }
            }
        }
    }

    /// Counts one example; call once per decision, updated or not.
    pub(crate) fn tick(&mut self) {
        self.now += 1;
    }

    /// Moves `keys` towards `truth` and away from `guess`.
    pub(crate) fn update(&mut self, keys: &[u64], truth: usize, guess: usize) {
        if truth != guess {
            self.add(keys, truth, 1.0);
            self.add(keys, guess, -1.0);
        }
    }

    /// Adds `delta` to the weight of `class` for each of `keys`.
    pub(crate) fn add(&mut self, keys: &[u64], class: usize, delta: f32) {
        let now = self.now;
        let class = class as u8;
        for &k in keys {
            let entry = self.rows.entry(k).or_default();
            entry.changes += 1;
            let row = &mut entry.cells;
            let cell = match row.iter_mut().position(|c| c.class == class) {
                Some(i) => &mut row[i],
                None => {
                    row.push(Cell {
                        class,
                        w: 0.0,
                        total: 0.0,
                        stamp: now,
                    });
                    row.last_mut().expect("just pushed")
                }
            };
            cell.total += f64::from(cell.w) * (now - cell.stamp) as f64;
            cell.stamp = now;
            cell.w += delta;
        }
    }

    /// Averages the weights, drops the features whose weights changed fewer than
    /// `min_changes` times (rare ones, mostly noise) and quantizes the rest.
    pub(crate) fn finish(&self, min_changes: u32) -> Weights {
        let now = self.now.max(1) as f64;
        let averaged: Vec<(u32, Vec<(u8, f32)>)> = self
            .rows
            .iter()
            .filter(|(_, row)| row.changes >= min_changes)
            .map(|(&k, row)| {
                let cells = row
                    .cells
                    .iter()
                    .filter_map(|c| {
                        let total = c.total + f64::from(c.w) * (self.now - c.stamp) as f64;
                        let w = (total / now) as f32;
                        (w != 0.0).then_some((c.class, w))
                    })
                    .collect();
                (short(k), cells)
            })
            .collect();
        let max = averaged
            .iter()
            .flat_map(|(_, r)| r.iter().map(|(_, w)| w.abs()))
            .fold(0.0f32, f32::max);
        let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
        let mut merged: KeyMap<Vec<(u8, i16)>> = KeyMap::default();
        for (k, row) in averaged {
            let slot = merged.entry(u64::from(k)).or_default();
            for (c, w) in row {
                let q = (w / scale).round() as i16;
                if q == 0 {
                    continue;
                }
                // Two features that share a short key share their weights.
                match slot.iter_mut().find(|(x, _)| *x == c) {
                    Some((_, v)) => *v = v.saturating_add(q),
                    None => slot.push((c, q)),
                }
            }
        }
        let mut rows: Vec<(u32, Vec<(u8, i16)>)> = merged
            .into_iter()
            .filter(|(_, r)| !r.is_empty())
            .map(|(k, mut r)| {
                r.sort_unstable();
                (k as u32, r)
            })
            .collect();
        rows.sort_unstable_by_key(|(k, _)| *k);
        Weights::from_rows(self.n_classes, scale, rows)
    }
}

/// The index of the highest score among `allowed` classes (the first on ties).
pub(crate) fn best<T: PartialOrd + Copy>(
    scores: &[T],
    allowed: impl Fn(usize) -> bool,
) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (i, &s) in scores.iter().enumerate() {
        if allowed(i) && best.is_none_or(|b| s > scores[b]) {
            best = Some(i);
        }
    }
    best
}

pub(crate) fn put_u32(out: &mut Vec<u8>, n: u32) {
    out.extend_from_slice(&n.to_le_bytes());
}

/// An unsigned LEB128 number: seven bits a byte, low bits first.
pub(crate) fn put_varint(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7F) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

pub(crate) fn put_str(out: &mut Vec<u8>, s: &str) {
    put_u32(out, s.len() as u32);
    out.extend_from_slice(s.as_bytes());
}

/// Reads the model file; every method answers `None` past the end.
pub(crate) struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl<'b> Reader<'b> {
    pub(crate) fn new(bytes: &'b [u8]) -> Self {
        Reader { bytes, at: 0 }
    }
    pub(crate) fn left(&self) -> usize {
        self.bytes.len() - self.at
    }
    pub(crate) fn bytes(&mut self, n: usize) -> Option<&'b [u8]> {
        let end = self.at.checked_add(n)?;
        let b = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(b)
    }
    pub(crate) fn u8(&mut self) -> Option<u8> {
        Some(self.bytes(1)?[0])
    }
    pub(crate) fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.bytes(4)?.try_into().ok()?))
    }
    pub(crate) fn varint(&mut self) -> Option<u32> {
        let mut n = 0u32;
        for shift in (0..35).step_by(7) {
            let b = self.u8()?;
            n |= u32::from(b & 0x7F).checked_shl(shift)?;
            if b & 0x80 == 0 {
                return Some(n);
            }
        }
        None
    }

    pub(crate) fn str(&mut self) -> Option<&'b str> {
        let n = self.u32()? as usize;
        std::str::from_utf8(self.bytes(n)?).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(words: &[&str]) -> Vec<u64> {
        words
            .iter()
            .map(|w| Feat::new(1).with(str_id(w)).key())
            .collect()
    }

    #[test]
    fn learns_a_separable_problem_and_survives_a_round_trip() {
        let data = [
            (keys(&["red", "round"]), 0),
            (keys(&["yellow", "long"]), 1),
            (keys(&["red", "small"]), 0),
            (keys(&["green", "long"]), 1),
        ];
        let mut t = Trainer::new(2);
        for _ in 0..5 {
            for (k, y) in &data {
                let mut s = [0.0f32; 2];
                t.score(k, &mut s);
                let guess = best(&s, |_| true).unwrap_or(0);
                t.update(k, *y, guess);
                t.tick();
            }
        }
        let w = t.finish(0);
        let mut bytes = Vec::new();
        w.write(&mut bytes);
        let back = Weights::read(&mut Reader::new(&bytes)).expect("reads back");
        assert_eq!(back, w);
        for (k, y) in &data {
            let mut s = [0i32; 2];
            back.score(k, &mut s);
            assert_eq!(best(&s, |_| true), Some(*y));
        }
    }

    #[test]
    fn varints_round_trip() {
        for n in [0, 1, 127, 128, 300, 16_383, 16_384, u32::MAX] {
            let mut b = Vec::new();
            put_varint(&mut b, n);
            assert_eq!(Reader::new(&b).varint(), Some(n));
        }
        assert_eq!(Reader::new(&[0xFF; 6]).varint(), None);
    }

    #[test]
    fn a_truncated_file_reads_as_none() {
        let mut t = Trainer::new(3);
        t.update(&keys(&["a"]), 2, 0);
        t.tick();
        let mut bytes = Vec::new();
        t.finish(0).write(&mut bytes);
        for cut in 0..bytes.len() {
            assert!(Weights::read(&mut Reader::new(&bytes[..cut])).is_none());
        }
    }
}
