//! Writing dataset rows: a file in one transaction (all or nothing), each row an
//! accepted event with its place, coordinates and `dataset_row` provenance,
//! written with cached prepared statements and no article extraction. A row
//! whose (dataset, row id) is already there is not written again.

use std::collections::HashMap;

use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;
use ts_rs::TS;

use super::event::span_class;
use super::Db;
use crate::dataset::{DatasetRow, Places};
use crate::error::Result;
use crate::event::{Origin, Status};

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
pub struct DatasetWriter<'a> {
    tx: Transaction<'a>,
    now: String,
    /// Mission name (lower case) → id and name, or none.
    missions: HashMap<String, Option<(i64, String)>>,
    /// The ids of the events written, first and last: they are contiguous, as
    /// the transaction holds the database.
    written: Option<(i64, i64)>,
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
        // Each insert into `event` (checks, triggers) keeps a statement journal;
        // in memory, not a temporary file written page by page.
        self.conn.pragma_update(None, "temp_store", "MEMORY")?;
        let tx = self.conn.transaction()?;
        Ok(DatasetWriter {
            tx,
            now: now.to_string(),
            missions: HashMap::new(),
            written: None,
        })
    }

    /// Where a dataset event came from, if it came from one.
    pub fn dataset_source(&self, event_id: i64) -> Result<Option<DatasetSource>> {
        Ok(self
            .conn
            .query_row(
                "SELECT d.dataset, d.row_id, d.file, d.line, d.url, d.grp, e.lat, e.lon
                 FROM dataset_row d JOIN event e ON e.id = d.event_id WHERE d.event_id = ?1",
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
                "SELECT event_id FROM dataset_row WHERE dataset = ?1 AND row_id = ?2",
                [dataset, row_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Rows of a dataset in the database.
    pub fn dataset_row_count(&self, dataset: &str) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM dataset_row WHERE dataset = ?1",
            [dataset],
            |r| r.get(0),
        )?)
    }
}

impl DatasetWriter<'_> {
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

    /// Writes one row as an event, unless its (dataset, row id) is there.
    pub fn write(&mut self, dataset: &str, file: &str, row: &DatasetRow) -> Result<Written> {
        let there = self
            .tx
            .prepare_cached("SELECT 1 FROM dataset_row WHERE dataset = ?1 AND row_id = ?2")?
            .exists(params![dataset, row.row_id])?;
        if there {
            return Ok(Written::AlreadyThere);
        }
        let mission = match &row.mission {
            Some(name) => self.mission(name)?,
            None => None,
        };
        let mut summary = std::borrow::Cow::Borrowed(row.summary.as_str());
        if let (Some(name), None) = (&row.mission, &mission) {
            // A mission the database does not know stays in the summary.
            let s = summary.to_mut();
            if !s.is_empty() {
                s.push('\n');
            }
            s.push_str("Mission: ");
            s.push_str(name);
        }
        let d = &row.date;
        let (lo, hi) = (d.lo(), d.hi());
        let class = span_class(lo, hi);
        let (lat, lon) = row.coordinates.unzip();
        let mission_id = mission.as_ref().map(|m| m.0);
        self.tx
            .prepare_cached(
                "INSERT INTO event (title, summary, kind, date_start, date_end, approximate, precision,
                                    lo, hi, span_class, city, country, mission_id, status, origin,
                                    background, planned, created_at, updated_at, lat, lon)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, 0, 0, ?16, ?16, ?17, ?18)",
            )?
            .execute(params![
                row.title,
                summary,
                row.kind.as_str(),
                d.start.to_string(),
                d.end.map(|e| e.to_string()),
                d.approximate,
                d.precision().as_str(),
                lo,
                hi,
                class,
                row.city,
                row.country,
                mission_id,
                Status::Accepted.as_str(),
                Origin::Curated.as_str(),
                self.now,
                lat,
                lon
            ])?;
        let id = self.tx.last_insert_rowid();
        {
            let mut key = self.tx.prepare_cached(
                "INSERT INTO event_key (key, span_class, lo, hi, event_id) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            key.execute(params![
                format!("k:{}", row.kind.as_str()),
                class,
                lo,
                hi,
                id
            ])?;
            key.execute(params!["s:accepted", class, lo, hi, id])?;
            if let Some(m) = mission_id {
                key.execute(params![format!("m:{m}"), class, lo, hi, id])?;
            }
            for c in &row.countries {
                key.execute(params![format!("c:{c}"), class, lo, hi, id])?;
            }
        }
        if !row.countries.is_empty() {
            let mut stmt = self
                .tx
                .prepare_cached("INSERT INTO event_country (event_id, country) VALUES (?1, ?2)")?;
            for c in &row.countries {
                stmt.execute(params![id, c])?;
            }
        }
        self.tx
            .prepare_cached(
                "INSERT INTO dataset_row (dataset, row_id, event_id, file, line, url, grp)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                dataset,
                row.row_id,
                id,
                file,
                i64::try_from(row.line).unwrap_or(i64::MAX),
                row.source_url,
                row.group
            ])?;
        self.written = Some(match self.written {
            None => (id, id),
            Some((first, _)) => (first, id),
        });
        Ok(Written::New(id))
    }

    /// Indexes the file's events for full-text search and makes them permanent.
    ///
    /// The index is written in one statement at the end, not a row at a time:
    /// FTS5 flushes its pending terms to disk at every statement savepoint, and
    /// each insert into `event` (with its checks and triggers) opens one, so
    /// row-at-a-time indexing wrote a tiny segment per row and spent a third of
    /// the import merging them.
    pub fn commit(self) -> Result<()> {
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
        self.tx.commit()?;
        Ok(())
    }
}
