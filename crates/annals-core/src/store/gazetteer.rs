//! Countries and missions in the database.

use rusqlite::{params, OptionalExtension};
use serde::Deserialize;

use super::Db;
use crate::country::Country;
use crate::error::{Error, Result};
use crate::mission::{display_name, Mission, MissionKind};

/// A record of `data/countries.json` (made by scripts/gen-countries.mjs).
#[derive(Debug, Deserialize)]
pub struct CountryRecord {
    pub code: String,
    pub code3: Option<String>,
    pub name: String,
    pub official: Option<String>,
    #[serde(default)]
    pub demonyms: Vec<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub capital: Option<String>,
}

fn to_json(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

fn from_json(s: &str) -> Vec<String> {
    serde_json::from_str(s).unwrap_or_default()
}

impl Db {
    /// Inserts or refreshes countries, all in one transaction.
    pub fn upsert_countries(&mut self, records: &[CountryRecord]) -> Result<usize> {
        let tx = self.conn.transaction()?;
        {
            let mut stmt = tx.prepare(
                "INSERT INTO country (code, code3, name, official, demonyms, aliases, capital)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (code) DO UPDATE SET code3 = excluded.code3, name = excluded.name,
                   official = excluded.official, demonyms = excluded.demonyms,
                   aliases = excluded.aliases, capital = excluded.capital",
            )?;
            for c in records {
                stmt.execute(params![
                    c.code,
                    c.code3,
                    c.name,
                    c.official,
                    to_json(&c.demonyms),
                    to_json(&c.aliases),
                    c.capital
                ])?;
            }
        }
        tx.commit()?;
        Ok(records.len())
    }

    pub fn countries(&self) -> Result<Vec<Country>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT code, name, demonyms FROM country ORDER BY name")?;
        let rows = stmt.query_map([], |r| {
            Ok(Country {
                code: r.get(0)?,
                name: r.get(1)?,
                demonyms: from_json(&r.get::<_, String>(2)?),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn country(&self, code: &str) -> Result<Option<Country>> {
        Ok(self
            .conn
            .query_row(
                "SELECT code, name, demonyms FROM country WHERE code = ?1",
                [code],
                |r| {
                    Ok(Country {
                        code: r.get(0)?,
                        name: r.get(1)?,
                        demonyms: from_json(&r.get::<_, String>(2)?),
                    })
                },
            )
            .optional()?)
    }

    /// Finds a country by code, name, official name, demonym or alias, ignoring case.
    pub fn resolve_country(&self, text: &str) -> Result<Option<String>> {
        let t = text.trim();
        if let Some(code) = crate::country::normalize_code(t) {
            if self.country(&code)?.is_some() {
                return Ok(Some(code));
            }
        }
        let lower = t.to_lowercase();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT code, name, official, demonyms, aliases FROM country")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let names: Vec<String> = [
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?.unwrap_or_default(),
            ]
            .into_iter()
            .chain(from_json(&r.get::<_, String>(3)?))
            .chain(from_json(&r.get::<_, String>(4)?))
            .collect();
            if names.iter().any(|n| n.to_lowercase() == lower) {
                return Ok(Some(r.get(0)?));
            }
        }
        Ok(None)
    }

    pub(crate) fn require_country(&self, code: &str, field: &'static str) -> Result<()> {
        match self.country(code)? {
            Some(_) => Ok(()),
            None => Err(Error::invalid(
                field,
                format!("`{code}` is not a known ISO 3166 country code"),
            )),
        }
    }

    /// The mission of `sending` of this kind in `city`, created if new.
    pub fn ensure_mission(
        &mut self,
        kind: MissionKind,
        sending: &str,
        host: &str,
        city: &str,
    ) -> Result<Mission> {
        self.require_country(sending, "mission")?;
        self.require_country(host, "mission")?;
        let city = city.trim();
        if city.is_empty() {
            return Err(Error::invalid("mission", "a mission needs a city"));
        }
        let id = mission_id_on(&self.conn, kind, sending, host, city)?;
        self.mission(id)?.ok_or(Error::NotFound {
            what: "mission",
            id,
        })
    }

    pub fn missions(&self) -> Result<Vec<Mission>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, kind, sending_country, host_country, city, name FROM mission ORDER BY name",
        )?;
        let rows = stmt.query_map([], mission_row)?;
        rows.map(|r| r?).collect()
    }

    pub fn mission(&self, id: i64) -> Result<Option<Mission>> {
        self.conn
            .query_row(
                "SELECT id, kind, sending_country, host_country, city, name FROM mission WHERE id = ?1",
                [id],
                mission_row,
            )
            .optional()?
            .transpose()
    }

    /// Missions whose name contains `text` (case-insensitive), or whose id it is.
    pub fn find_missions(&self, text: &str) -> Result<Vec<Mission>> {
        let t = text.trim().to_lowercase();
        Ok(self
            .missions()?
            .into_iter()
            .filter(|m| m.id.to_string() == t || m.name.to_lowercase().contains(&t))
            .collect())
    }
}

/// The id of the mission of `sending` of this kind in `city`, inserted if new, on a
/// connection or inside a caller's transaction. Countries must exist.
pub(super) fn mission_id_on(
    conn: &rusqlite::Connection,
    kind: MissionKind,
    sending: &str,
    host: &str,
    city: &str,
) -> Result<i64> {
    // Cached statements: an import calls this once per event with a mission.
    let id_of = |conn: &rusqlite::Connection| -> Result<Option<i64>> {
        Ok(conn
            .prepare_cached(
                "SELECT id FROM mission WHERE sending_country = ?1 AND kind = ?2 AND city = ?3",
            )?
            .query_row(params![sending, kind.as_str(), city], |r| r.get(0))
            .optional()?)
    };
    if let Some(id) = id_of(conn)? {
        return Ok(id);
    }
    let demonyms: Option<(String, String)> = conn
        .prepare_cached("SELECT name, demonyms FROM country WHERE code = ?1")?
        .query_row([sending], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let demonym = demonyms
        .map(|(name, d)| from_json(&d).into_iter().next().unwrap_or(name))
        .unwrap_or_else(|| sending.to_string());
    let name = display_name(&demonym, kind, city);
    conn.prepare_cached(
        "INSERT INTO mission (kind, sending_country, host_country, city, name) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (sending_country, kind, city) DO NOTHING",
    )?
    .execute(params![kind.as_str(), sending, host, city, name])?;
    id_of(conn)?.ok_or(Error::NotFound {
        what: "mission",
        id: 0,
    })
}

fn mission_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Result<Mission>> {
    let kind: String = r.get(1)?;
    Ok(kind.parse::<MissionKind>().map(|kind| Mission {
        id: r.get(0).unwrap_or_default(),
        kind,
        sending_country: r.get(2).unwrap_or_default(),
        host_country: r.get(3).unwrap_or_default(),
        city: r.get(4).unwrap_or_default(),
        name: r.get(5).unwrap_or_default(),
    }))
}
