//! Writing dataset rows: a file in one transaction (all or nothing), each row an
//! accepted event with its place, coordinates and `dataset_row` provenance,
//! written with cached prepared statements and no article extraction. A row
//! whose (dataset, row id) is already there is not written again.

use std::collections::HashMap;

use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use super::event::{span_class, Combo, ROW_COUNT_TRIGGERS};
use super::Db;
use crate::dataset::{DatasetRow, Places};
use crate::error::Result;
use crate::event::Origin;

/// Where a dataset event came from, for the details view.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct DatasetSource {
    pub dataset: String,
    pub row_id: String,
    pub file: String,
    #[ts(type = "number")]
    pub line: i64,
    pub url: Option<String>,
    pub group: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

/// What a row became.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    New(i64),
    /// Its (dataset, row id) was imported before: nothing written.
    AlreadyThere,
}

/// One file's rows being written; dropped without [`DatasetWriter::commit`],
/// nothing of them stays.
///
/// It keys each event as `event::rekey` does (its rows in `event_key`, its
/// combination in `event_combo` and `event_keyed`) in the same batched
/// statements as the rows, and keeps the counts that triggers keep for other
/// writers (time buckets per key, span classes) itself: the triggers are
/// dropped for its transaction and the counts summed in memory, then added a
/// bucket at a time, in key order, at the end (or when the sums grow large). A
/// trigger's upsert for each of thirty-odd buckets of every row was most of an
/// import's time.
///
/// Foreign keys are not checked while it writes (SQLite looks up every parent
/// otherwise: the event's country and mission, each key's and country's event):
/// every reference it writes is one it just made or read (the event it
/// inserted, countries of the `country` table through [`Places`] and the FIPS
/// table, whose test checks them against `data/countries.json`, missions found
/// by name). They are checked again once its transaction ends, committed or not.
pub struct DatasetWriter<'a> {
    tx: &'a Connection,
    open: bool,
    /// The connection's page cache size, restored when the writer ends.
    cache: i64,
    /// The import's time, seconds since 1970 (how `event` keeps it).
    now: i64,
    /// The last dataset name and file path written, and their ids.
    source: Option<(String, String, (i64, i64))>,
    /// Mission name (lower case) → id and name, or none.
    missions: HashMap<String, Option<(i64, String)>>,
    /// The ids of the events written, first and last: they are contiguous, as
    /// the transaction holds the database.
    written: Option<(i64, i64)>,
    /// The id the next event gets (read once, then counted: the transaction
    /// holds the database).
    next_id: Option<i64>,
    /// Rows held back until [`BATCH`] of them are written together: the values
    /// of each table's rows, and their row ids (a row repeated in the batch is
    /// already there).
    events: Vec<Value>,
    countries: Vec<Value>,
    provenance: Vec<Value>,
    keys: Vec<Value>,
    keyed: Vec<Value>,
    batch_ids: std::collections::HashSet<String>,
    /// The count triggers dropped while it writes, as `CREATE TRIGGER`
    /// statements to put them back.
    triggers: Vec<String>,
    /// Each combination seen: its `event_combo` id, the events added to it and
    /// where its keys are in `combo_keys`.
    combos: FastMap<Combo, (i64, i64, usize)>,
    /// The keys of each combination seen, as indexes into `key_names`.
    combo_keys: Vec<Vec<u32>>,
    /// Events added per (key, level, bucket) of `event_bucket` ('' for all),
    /// and per span class, not written yet; keys by their index in `key_names`.
    buckets: FastMap<(u32, u32, i64), i64>,
    key_ids: HashMap<String, u32>,
    key_names: Vec<String>,
    spans: FastMap<i64, i64>,
    /// Bucket sums held before they are written.
    max_buckets: usize,
}

/// A multiply-and-rotate hash (the one the Rust compiler uses for its own
/// tables) for the writer's maps, hashed some thirty times a row: their keys are
/// small integers and strings the writer itself made from validated fields, so
/// SipHash's defence against chosen keys buys nothing and cost a tenth of an
/// import.
#[derive(Default, Clone, Copy)]
struct FastHash(u64);

impl FastHash {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl std::hash::Hasher for FastHash {
    fn finish(&self) -> u64 {
        // The multiply leaves the low bits, which pick the table's slot, to
        // the low bits of the input alone: bring the mixed high bits down.
        self.0.rotate_left(26)
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }
    fn write_i64(&mut self, n: i64) {
        self.add(n as u64);
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
}

type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FastHash>>;

/// The page cache while a file is written, in KiB.
const WRITER_CACHE_KIB: u32 = 512 * 1024;

/// Rows written together.
const BATCH: usize = 256;

/// Bucket sums held before they are written (a few megabytes).
const MAX_BUCKETS: usize = 100_000;

/// `head` followed by as many `tuple`s as `values` fill (`width` values each),
/// in statements of at most 500 rows.
fn insert_many(
    conn: &Connection,
    head: &str,
    tuple: &str,
    width: usize,
    values: &[Value],
) -> Result<()> {
    for chunk in values.chunks(width * 500) {
        let rows = chunk.len() / width;
        if rows == 0 {
            continue;
        }
        let mut sql = String::with_capacity(head.len() + rows * (tuple.len() + 2));
        sql.push_str(head);
        for i in 0..rows {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(tuple);
        }
        conn.prepare_cached(&sql)?
            .execute(rusqlite::params_from_iter(chunk.iter()))?;
    }
    Ok(())
}

impl Db {
    /// Every country by each code and name a dataset may use.
    pub fn places(&self) -> Result<Places> {
        let mut stmt = self
            .conn
            .prepare("SELECT code, code3, name, official, aliases FROM country")?;
        let rows = stmt.query_map([], |r| {
            let mut names: Vec<String> = vec![r.get(2)?];
            if let Some(o) = r.get::<_, Option<String>>(3)? {
                names.push(o);
            }
            let aliases: String = r.get(4)?;
            names.extend(serde_json::from_str::<Vec<String>>(&aliases).unwrap_or_default());
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                names,
            ))
        })?;
        let all = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Places::new(all))
    }

    /// Starts writing one file's rows, in one transaction.
    pub fn dataset_writer(&mut self, now: &str) -> Result<DatasetWriter<'_>> {
        // The import's time as `event` keeps it, read as SQLite reads times.
        let now: i64 = self
            .conn
            .query_row("SELECT unixepoch(?1)", [now], |r| {
                r.get::<_, Option<i64>>(0)
            })?
            .ok_or_else(|| crate::error::Error::invalid("now", format!("`{now}` is not a time")))?;
        // Each insert into `event` (checks, triggers) keeps a statement journal;
        // in memory, not a temporary file written page by page.
        self.conn.pragma_update(None, "temp_store", "MEMORY")?;
        // A file's rows go into the indexes in no order of theirs (kind, date,
        // country, row id): with the connection's usual 64 MiB page cache, a
        // million rows spill dirty pages to the WAL and read them back, and run
        // at a third of the speed. The usual size comes back when it ends.
        let cache: i64 = self.conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
        self.conn
            .pragma_update(None, "cache_size", -(WRITER_CACHE_KIB as i64))?;
        // Outside a transaction, or SQLite ignores it.
        self.conn.pragma_update(None, "foreign_keys", false)?;
        if let Err(e) = self.conn.execute_batch("BEGIN IMMEDIATE") {
            let _ = self.conn.pragma_update(None, "foreign_keys", true);
            let _ = self.conn.pragma_update(None, "cache_size", cache);
            return Err(e.into());
        }
        let mut writer = DatasetWriter {
            tx: &self.conn,
            open: true,
            cache,
            now,
            source: None,
            missions: HashMap::new(),
            written: None,
            next_id: None,
            events: Vec::new(),
            countries: Vec::new(),
            provenance: Vec::new(),
            keys: Vec::new(),
            keyed: Vec::new(),
            batch_ids: std::collections::HashSet::new(),
            triggers: Vec::new(),
            combos: FastMap::default(),
            combo_keys: Vec::new(),
            buckets: FastMap::default(),
            // Key 0 is '', every event's.
            key_ids: HashMap::from([(String::new(), 0)]),
            key_names: vec![String::new()],
            spans: FastMap::default(),
            max_buckets: MAX_BUCKETS,
        };
        // Dropping the writer rolls back, which brings them back.
        for name in ROW_COUNT_TRIGGERS {
            let sql: String = writer.tx.query_row(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1",
                [name],
                |r| r.get(0),
            )?;
            writer.tx.execute_batch(&format!("DROP TRIGGER {name}"))?;
            writer.triggers.push(sql);
        }
        Ok(writer)
    }

    /// Where a dataset event came from, if it came from one.
    pub fn dataset_source(&self, event_id: i64) -> Result<Option<DatasetSource>> {
        Ok(self
            .conn
            .query_row(
                "SELECT n.name, d.row_id, f.path, d.line, d.url, d.grp, e.lat, e.lon
                 FROM dataset_row d JOIN event e ON e.id = d.event_id
                 JOIN dataset n ON n.id = d.dataset JOIN dataset_file f ON f.id = d.file
                 WHERE d.event_id = ?1",
                [event_id],
                |r| {
                    Ok(DatasetSource {
                        dataset: r.get(0)?,
                        row_id: r.get(1)?,
                        file: r.get(2)?,
                        line: r.get(3)?,
                        url: r.get(4)?,
                        group: r.get(5)?,
                        lat: r.get(6)?,
                        lon: r.get(7)?,
                    })
                },
            )
            .optional()?)
    }

    /// The event a dataset's row became, if it was imported.
    pub fn dataset_event(&self, dataset: &str, row_id: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT event_id FROM dataset_row
                 WHERE dataset = (SELECT id FROM dataset WHERE name = ?1) AND row_id = ?2",
                [dataset, row_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Rows of a dataset in the database.
    pub fn dataset_row_count(&self, dataset: &str) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM dataset_row WHERE dataset = (SELECT id FROM dataset WHERE name = ?1)",
            [dataset],
            |r| r.get(0),
        )?)
    }
}

impl DatasetWriter<'_> {
    /// Writes the bucket sums whenever `n` are held (100,000 unless set):
    /// smaller only to test that counts written in parts sum the same.
    pub fn hold_counts(&mut self, n: usize) {
        self.max_buckets = n.max(1);
    }

    /// Counts one more event of a combination; its `event_combo` id (the row is
    /// made, with no events yet, when new: the count is added at the end) and
    /// where its keys are in `combo_keys`.
    fn add_to_combo(&mut self, combo: &Combo) -> Result<(i64, usize)> {
        if let Some((id, added, keys)) = self.combos.get_mut(combo) {
            *added += 1;
            return Ok((*id, *keys));
        }
        let params = params![combo.0, combo.1, combo.2, combo.3];
        let found: Option<i64> = self
            .tx
            .prepare_cached(
                "SELECT id FROM event_combo
                 WHERE kind = ?1 AND status = ?2 AND mission = ?3 AND countries = ?4",
            )?
            .query_row(params, |r| r.get(0))
            .optional()?;
        let id = match found {
            Some(id) => id,
            None => {
                self.tx
                    .prepare_cached(
                        "INSERT INTO event_combo (kind, status, mission, countries, n)
                         VALUES (?1, ?2, ?3, ?4, 0)",
                    )?
                    .execute(params)?;
                self.tx.last_insert_rowid()
            }
        };
        let keys = combo.keys().iter().map(|k| self.key_id(k)).collect();
        self.combo_keys.push(keys);
        let at = self.combo_keys.len() - 1;
        self.combos.insert(combo.clone(), (id, 1, at));
        Ok((id, at))
    }

    /// Keys a new event: its rows of `event_key` and `event_keyed` join the
    /// batch, its combination and time buckets are counted.
    fn key(&mut self, id: i64, combo: Combo, class: i64, lo: i64, hi: i64) -> Result<()> {
        let (combo_id, at) = self.add_to_combo(&combo)?;
        *self.spans.entry(class).or_default() += 1;
        self.count(0, lo);
        for i in 0..self.combo_keys[at].len() {
            let key = self.combo_keys[at][i];
            self.count(key, lo);
            self.keys.extend([
                Value::Text(self.key_names[key as usize].clone()),
                Value::Integer(class),
                Value::Integer(lo),
                Value::Integer(hi),
                Value::Integer(id),
            ]);
        }
        self.keyed.extend([
            Value::Integer(id),
            Value::Integer(combo_id),
            Value::Integer(class),
            Value::Integer(lo),
            Value::Integer(hi),
        ]);
        Ok(())
    }

    /// The index of `key` in `key_names`, added when new.
    fn key_id(&mut self, key: &str) -> u32 {
        match self.key_ids.get(key) {
            Some(&id) => id,
            None => {
                let id = u32::try_from(self.key_names.len()).unwrap_or(u32::MAX);
                self.key_ids.insert(key.to_string(), id);
                self.key_names.push(key.to_string());
                id
            }
        }
    }

    /// Counts an event starting at `lo` in the buckets of key `id`.
    fn count(&mut self, id: u32, lo: i64) {
        for level in crate::query::LEVELS {
            *self.buckets.entry((id, level, lo >> level)).or_default() += 1;
        }
    }

    /// Adds the counts summed so far to the kept ones, in key order.
    fn write_counts(&mut self) -> Result<()> {
        let names = &self.key_names;
        let mut buckets: Vec<(&str, u32, i64, i64)> = self
            .buckets
            .drain()
            .map(|((k, level, b), n)| (names[k as usize].as_str(), level, b, n))
            .collect();
        buckets.sort_unstable();
        let mut bucket = self.tx.prepare_cached(
            "INSERT INTO event_bucket (key, level, bucket, n) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (key, level, bucket) DO UPDATE SET n = n + excluded.n",
        )?;
        for (key, level, b, n) in buckets {
            bucket.execute(params![key, level, b, n])?;
        }
        let mut span = self.tx.prepare_cached(
            "INSERT INTO span_class_count (span_class, n) VALUES (?1, ?2)
             ON CONFLICT (span_class) DO UPDATE SET n = n + excluded.n",
        )?;
        for (class, n) in self.spans.drain() {
            span.execute(params![class, n])?;
        }
        let mut combo = self
            .tx
            .prepare_cached("UPDATE event_combo SET n = n + ?2 WHERE id = ?1")?;
        for (id, added, _) in self.combos.values_mut() {
            if *added > 0 {
                combo.execute(params![*id, *added])?;
                *added = 0;
            }
        }
        Ok(())
    }

    /// The id of a dataset's name in `dataset`, if it has one (`make`: made
    /// when new), and of a file's path in `dataset_file` (made with it). The
    /// last pair is kept: a writer writes one file of one dataset. A file none
    /// of whose rows are new leaves no trace.
    fn source_ids(&mut self, dataset: &str, file: &str, make: bool) -> Result<Option<(i64, i64)>> {
        if let Some((d, f, ids)) = &self.source {
            if d == dataset && f == file {
                return Ok(Some(*ids));
            }
        }
        let id_of = |table: &str, column: &str, value: &str| -> Result<Option<i64>> {
            if make {
                self.tx
                    .prepare_cached(&format!(
                        "INSERT INTO {table} ({column}) VALUES (?1) ON CONFLICT ({column}) DO NOTHING"
                    ))?
                    .execute([value])?;
            }
            Ok(self
                .tx
                .prepare_cached(&format!("SELECT id FROM {table} WHERE {column} = ?1"))?
                .query_row([value], |r| r.get(0))
                .optional()?)
        };
        let ids = match (id_of("dataset", "name", dataset)?, make) {
            (Some(d), true) => id_of("dataset_file", "path", file)?.map(|f| (d, f)),
            (Some(d), false) => Some((d, 0)),
            (None, _) => None,
        };
        if let (true, Some(ids)) = (make, ids) {
            self.source = Some((dataset.to_string(), file.to_string(), ids));
        }
        Ok(ids)
    }

    fn mission(&mut self, name: &str) -> Result<Option<(i64, String)>> {
        let key = name.trim().to_lowercase();
        if let Some(m) = self.missions.get(&key) {
            return Ok(m.clone());
        }
        let found = self
            .tx
            .query_row(
                "SELECT id, name FROM mission WHERE lower(name) = ?1",
                [&key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        self.missions.insert(key, found.clone());
        Ok(found)
    }

    /// Writes one row as an event, unless its (dataset, row id) is there. Rows
    /// are written [`BATCH`] at a time, each table in one multi-row statement:
    /// a statement a row per table cost more in starting and ending statements
    /// (each insert into `event` opens a statement journal for its trigger) than
    /// in the writing.
    pub fn write(&mut self, dataset: &str, file: &str, row: &DatasetRow) -> Result<Written> {
        // A dataset the database has no name for has no rows yet.
        let there = match self.source_ids(dataset, file, false)? {
            Some((dataset, _)) => self
                .tx
                .prepare_cached("SELECT 1 FROM dataset_row WHERE dataset = ?1 AND row_id = ?2")?
                .exists(params![dataset, row.row_id])?,
            None => false,
        };
        if there || self.batch_ids.contains(&row.row_id) {
            return Ok(Written::AlreadyThere);
        }
        let Some((dataset, file)) = self.source_ids(dataset, file, true)? else {
            return Err(crate::error::Error::invalid(
                "dataset",
                "its name could not be kept",
            ));
        };
        let mission = match &row.mission {
            Some(name) => self.mission(name)?,
            None => None,
        };
        let mut summary = row.summary.clone();
        if let (Some(name), None) = (&row.mission, &mission) {
            // A mission the database does not know stays in the summary.
            if !summary.is_empty() {
                summary.push('\n');
            }
            summary.push_str("Mission: ");
            summary.push_str(name);
        }
        let id = match self.next_id {
            Some(id) => id,
            None => self
                .tx
                .query_row("SELECT coalesce(max(id), 0) + 1 FROM event", [], |r| {
                    r.get(0)
                })?,
        };
        self.next_id = Some(id + 1);
        let d = &row.date;
        let (lo, hi) = (d.lo(), d.hi());
        let class = span_class(lo, hi);
        let (lat, lon) = row.coordinates.unzip();
        let mission_id = mission.as_ref().map(|m| m.0);
        let mut codes = row.countries.clone();
        codes.sort();
        codes.dedup();
        let combo = Combo(
            row.kind.as_str().to_string(),
            row.status.as_str().to_string(),
            mission_id.unwrap_or(0),
            codes.join(","),
        );
        self.key(id, combo, class, lo, hi)?;
        let text = |t: &str| Value::Text(t.to_string());
        let opt = |t: &Option<String>| t.as_deref().map_or(Value::Null, text);
        let real = |v: Option<f64>| v.map_or(Value::Null, Value::Real);
        self.events.extend([
            Value::Integer(id),
            text(&row.title),
            Value::Text(summary),
            text(row.kind.as_str()),
            Value::Text(d.start.to_string()),
            d.end.map_or(Value::Null, |e| Value::Text(e.to_string())),
            Value::Integer(i64::from(d.approximate)),
            text(d.precision().as_str()),
            Value::Integer(lo),
            Value::Integer(hi),
            Value::Integer(class),
            opt(&row.city),
            opt(&row.country),
            mission_id.map_or(Value::Null, Value::Integer),
            text(row.status.as_str()),
            Value::Integer(i64::from(row.background)),
            Value::Integer(i64::from(row.planned)),
            Value::Integer(self.now),
            real(lat),
            real(lon),
        ]);
        for c in &row.countries {
            self.countries.extend([Value::Integer(id), text(c)]);
        }
        self.provenance.extend([
            Value::Integer(dataset),
            text(&row.row_id),
            Value::Integer(id),
            Value::Integer(file),
            Value::Integer(i64::try_from(row.line).unwrap_or(i64::MAX)),
            opt(&row.source_url),
            opt(&row.group),
        ]);
        self.batch_ids.insert(row.row_id.clone());
        self.written = Some(match self.written {
            None => (id, id),
            Some((first, _)) => (first, id),
        });
        if self.batch_ids.len() >= BATCH {
            self.flush()?;
            if self.buckets.len() >= self.max_buckets {
                self.write_counts()?;
            }
        }
        Ok(Written::New(id))
    }

    /// Writes the rows held back, each table in one statement (or a few, for
    /// SQLite's limit on parameters).
    fn flush(&mut self) -> Result<()> {
        let origin = format!("'{}'", Origin::Curated.as_str());
        let event_tuple =
            format!("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, {origin}, ?, ?, ?, ?, ?, ?)");
        // `now` is bound twice (created, updated): repeat it in the values.
        let mut events = Vec::with_capacity(self.events.len() / 20 * 21);
        for chunk in self.events.chunks(20) {
            events.extend_from_slice(&chunk[..18]);
            events.push(chunk[17].clone());
            events.extend_from_slice(&chunk[18..]);
        }
        insert_many(
            self.tx,
            "INSERT INTO event (id, title, summary, kind, date_start, date_end, approximate, precision,
                                lo, hi, span_class, city, country, mission_id, status, origin,
                                background, planned, created_at, updated_at, lat, lon) VALUES ",
            &event_tuple,
            21,
            &events,
        )?;
        insert_many(
            self.tx,
            "INSERT INTO event_country (event_id, country) VALUES ",
            "(?, ?)",
            2,
            &self.countries,
        )?;
        insert_many(
            self.tx,
            "INSERT INTO dataset_row (dataset, row_id, event_id, file, line, url, grp) VALUES ",
            "(?, ?, ?, ?, ?, ?, ?)",
            7,
            &self.provenance,
        )?;
        insert_many(
            self.tx,
            "INSERT INTO event_key (key, span_class, lo, hi, event_id) VALUES ",
            "(?, ?, ?, ?, ?)",
            5,
            &self.keys,
        )?;
        insert_many(
            self.tx,
            "INSERT INTO event_keyed (id, combo, span_class, lo, hi) VALUES ",
            "(?, ?, ?, ?, ?)",
            5,
            &self.keyed,
        )?;
        self.events.clear();
        self.countries.clear();
        self.provenance.clear();
        self.keys.clear();
        self.keyed.clear();
        self.batch_ids.clear();
        Ok(())
    }

    /// Indexes the file's events for full-text search and makes them permanent.
    ///
    /// The index is written in one statement at the end, not a row at a time:
    /// FTS5 flushes its pending terms to disk at every statement savepoint, and
    /// each insert into `event` (with its checks and triggers) opens one, so
    /// row-at-a-time indexing wrote a tiny segment per row and spent a third of
    /// the import merging them.
    pub fn commit(mut self) -> Result<()> {
        self.flush()?;
        self.write_counts()?;
        if let Some((first, last)) = self.written {
            self.tx.execute(
                "INSERT INTO event_fts (rowid, title, summary, place, quote)
                 SELECT e.id, e.title, e.summary,
                        concat_ws(' ', e.city, m.name,
                                  (SELECT group_concat(c.name || ' ' || c.demonyms, ' ')
                                   FROM event_country ec JOIN country c ON c.code = ec.country
                                   WHERE ec.event_id = e.id)),
                        ''
                 FROM event e LEFT JOIN mission m ON m.id = e.mission_id
                 WHERE e.id BETWEEN ?1 AND ?2",
                params![first, last],
            )?;
        }
        for sql in std::mem::take(&mut self.triggers) {
            self.tx.execute_batch(&sql)?;
        }
        self.tx.execute_batch("COMMIT")?;
        self.open = false;
        Ok(())
    }
}

impl Drop for DatasetWriter<'_> {
    /// Rolls back what was not committed, and checks foreign keys again.
    fn drop(&mut self) {
        if self.open {
            let _ = self.tx.execute_batch("ROLLBACK");
        }
        let _ = self.tx.pragma_update(None, "foreign_keys", true);
        let _ = self.tx.pragma_update(None, "cache_size", self.cache);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::EventDate;
    use crate::event::EventKind;

    fn row(id: &str) -> DatasetRow {
        DatasetRow {
            row_id: id.into(),
            line: 2,
            title: format!("Row {id}"),
            summary: String::new(),
            kind: EventKind::Entry,
            date: "2002-05-08".parse::<EventDate>().unwrap(),
            country: Some("CN".into()),
            countries: vec!["CN".into(), "KP".into()],
            city: Some("Shenyang".into()),
            coordinates: Some((41.8, 123.4)),
            mission: Some("No Such Mission".into()),
            source_url: None,
            group: None,
            status: crate::event::Status::Accepted,
            background: false,
            planned: false,
        }
    }

    fn foreign_keys(db: &Db) -> bool {
        db.conn()
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn a_writer_dropped_uncommitted_leaves_nothing_and_foreign_keys_on_again() {
        let mut db = Db::open_in_memory().unwrap();
        crate::seed::ensure_countries(&mut db).unwrap();
        let mut w = db.dataset_writer("now").unwrap();
        assert_eq!(w.write("d", "f.csv", &row("1")).unwrap(), Written::New(1));
        drop(w);
        assert_eq!(db.event_count().unwrap(), 0);
        assert!(foreign_keys(&db));
    }

    #[test]
    fn a_row_repeated_in_a_file_or_across_batches_is_written_once() {
        let mut db = Db::open_in_memory().unwrap();
        crate::seed::ensure_countries(&mut db).unwrap();
        let mut w = db.dataset_writer("now").unwrap();
        let mut new = 0;
        for i in 0..(BATCH * 2 + 10) {
            // Every row twice: once new, then again (in the same batch or the next).
            for _ in 0..2 {
                if let Written::New(_) = w.write("d", "f.csv", &row(&i.to_string())).unwrap() {
                    new += 1;
                }
            }
        }
        w.commit().unwrap();
        assert_eq!(new, BATCH * 2 + 10);
        assert_eq!(db.event_count().unwrap(), (BATCH * 2 + 10) as i64);
        assert!(foreign_keys(&db));
        let e = db
            .event(db.dataset_event("d", "7").unwrap().unwrap())
            .unwrap()
            .unwrap();
        assert_eq!(e.countries, ["CN", "KP"]);
        assert!(e.summary.ends_with("Mission: No Such Mission"));
        let hits: i64 = db
            .conn()
            .query_row(
                "SELECT count(*) FROM event_fts WHERE event_fts MATCH 'Shenyang AND Korean'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(hits, (BATCH * 2 + 10) as i64);
        let keys: i64 = db
            .conn()
            .query_row(
                "SELECT count(*) FROM event_key WHERE key = 'c:KP'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(keys, (BATCH * 2 + 10) as i64);
    }
}
