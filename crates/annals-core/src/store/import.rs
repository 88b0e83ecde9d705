//! Writing imported articles: [`Db::import_file`] takes bytes through intake and
//! extraction to [`Db::import_article`], which writes the article, its date
//! expressions and its proposed events in one transaction: all or nothing, and
//! nothing at all for the same text twice. [`Db::import_batch`] writes a run of
//! articles in one transaction, each whole or not at all (a savepoint each): one
//! commit per run, not per article. Intake and extraction run isolated: a panic
//! inside them becomes that article's rejection ([`Rejection::Failed`]), with
//! nothing written.
//!
//! Where the files come from, how they are read and batched, and what the user is
//! told, is `crate::import`; re-anchoring is `reanchor.rs`, review `review.rs`.

use std::collections::HashSet;

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;
use ts_rs::TS;

use super::dedupe::{add_sources, same_incident};
use super::event::insert_event;
use super::gazetteer::mission_id_on;
use super::Db;
use crate::article::{content_hash, NewArticle};
use crate::date::PartialDate;
use crate::error::{Error, Result};
use crate::event::{EventInput, NewEvent, NewSource, Origin, Status, MAX_TITLE_CHARS};
use crate::extract::{self, Extraction};
use crate::intake::{self, Document, Format, Head, Rejection};
use crate::timex::{self, Timex};

/// What importing one file did.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ImportReport {
    #[ts(type = "number")]
    pub article_id: i64,
    pub title: String,
    /// The same text was imported before: nothing was written.
    pub already_imported: bool,
    /// Proposed events written.
    pub events: usize,
    /// Proposals that another article already reported (same kind, dates and
    /// mission or countries): their sentences were added to that event as sources.
    pub merged: usize,
    /// The publication date relative dates were resolved against.
    #[ts(type = "string | null")]
    pub published: Option<PartialDate>,
    /// Things the user should know ("read as Windows-1252").
    pub warnings: Vec<String>,
}

pub(super) fn json<T: Serialize>(v: &T, name: &'static str) -> Result<String> {
    serde_json::to_string(v).map_err(|e| Error::Data {
        name,
        message: e.to_string(),
    })
}

fn anchor_text(t: &Timex, dct: Option<NaiveDate>) -> String {
    match t.anchor {
        timex::Anchor::Absolute => "stated in full".to_string(),
        timex::Anchor::Dct => match dct {
            Some(d) => format!("publication date {}", d.format("%Y-%m-%d")),
            None => "publication date (unknown)".to_string(),
        },
        timex::Anchor::Previous { .. } => "the date mentioned before".to_string(),
    }
}

/// A run of imports written in one transaction ([`Db::import_batch`]): committing
/// once per run rather than once per article spares a WAL commit, a full-text index
/// flush and a page-cache sweep per article, which cost more than the article's own
/// rows when articles are short (a wire story). Each article stays whole or absent
/// (a savepoint each); an interrupted run leaves none of its articles, as if it
/// had not started; a dropped batch rolls back.
pub struct ImportBatch<'db> {
    tx: Transaction<'db>,
}

impl ImportBatch<'_> {
    /// [`Db::import_file`] inside the run.
    pub fn import_file(
        &mut self,
        name: &str,
        bytes: &[u8],
        dct: Option<NaiveDate>,
        now: &str,
        progress: &mut dyn FnMut(usize) -> bool,
    ) -> Result<ImportReport> {
        import_file_on(&self.tx, name, bytes, dct, now, progress, extract::extract)
    }

    /// Writes an article prepared beforehand ([`prepare`]) inside the run: the
    /// same as [`ImportBatch::import_file`] of its bytes.
    pub fn import_prepared(
        &mut self,
        prepared: Result<Prepared>,
        now: &str,
        progress: &mut dyn FnMut(usize) -> bool,
    ) -> Result<ImportReport> {
        write_prepared(&self.tx, prepared?, now, progress)
    }

    /// Writes the run's articles for good.
    pub fn commit(self) -> Result<()> {
        Ok(self.tx.commit()?)
    }
}

/// Extracts an article's dates and proposals: [`extract::extract`], or in tests
/// a step that panics.
type Extractor = fn(&str, &Head, Option<NaiveDate>) -> Extraction;

/// The publication date of an article: the caller's (see
/// [`crate::import::publication_date`]), else the full date its dateline prints.
fn published(dct: Option<NaiveDate>, doc: &Document) -> Option<PartialDate> {
    match dct {
        Some(d) => Some(PartialDate::from_naive(d)),
        None => doc.head.published_printed.filter(|p| p.get_day().is_some()),
    }
}

/// Runs `read` with a panic inside it contained: the article becomes a rejection
/// that says so ([`Rejection::Failed`]), a line on stderr names it, and nothing
/// else is touched (no transaction is open while it runs, no lock poisoned).
fn isolated<T>(name: &str, read: impl FnOnce() -> Result<T>) -> Result<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)) {
        Ok(r) => r,
        Err(panic) => {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic".to_string());
            eprintln!("annals: reading {name} panicked ({why}); it was skipped");
            Err(Error::Rejected(Rejection::Failed { why }))
        }
    }
}

/// An article read and its events extracted, nothing written yet: the part of an
/// import that needs no database, so that a run can prepare its articles on
/// every core and write them one after the other ([`ImportBatch::import_prepared`]).
pub struct Prepared {
    article: NewArticle,
    hash: String,
    extraction: Extraction,
    warnings: Vec<String>,
}

/// Reads a file (its name gives the format) and extracts its events, as
/// [`Db::import_file`] would, without touching a database. (Text imported before
/// is found only when it is written: its extraction is spent.)
pub fn prepare(name: &str, bytes: &[u8], dct: Option<NaiveDate>) -> Result<Prepared> {
    let (article, head, warnings) = read_article(name, bytes, dct)?;
    let hash = content_hash(&article.body);
    extracted(name, article, &head, hash, warnings, extract::extract)
}

/// Extracts a read article's events (a panic contained) into a [`Prepared`].
fn extracted(
    name: &str,
    article: NewArticle,
    head: &Head,
    hash: String,
    warnings: Vec<String>,
    extractor: Extractor,
) -> Result<Prepared> {
    // Without the syntax model no event can be read: the article is refused
    // with the reason, not imported as if it held none.
    crate::syntax::model()?;
    let day = article.published.map(|p| p.first_day());
    let extraction = isolated(name, || Ok(extractor(&article.body, head, day)))?;
    Ok(Prepared {
        article,
        hash,
        extraction,
        warnings,
    })
}

/// Writes a prepared article, unless the same text was imported before.
fn write_prepared(
    tx: &Transaction<'_>,
    p: Prepared,
    now: &str,
    progress: &mut dyn FnMut(usize) -> bool,
) -> Result<ImportReport> {
    let mut report = match already_imported(tx, &p.hash)? {
        Some(report) => report,
        None => write_import(tx, &p.article, &p.hash, &p.extraction, now, progress)?,
    };
    report.warnings.splice(0..0, p.warnings);
    Ok(report)
}

/// Reads an article's bytes: the article to write, its head (for extraction) and
/// what the reader should know.
fn read_article(
    name: &str,
    bytes: &[u8],
    dct: Option<NaiveDate>,
) -> Result<(NewArticle, Head, Vec<String>)> {
    let format = Format::from_name(name)?;
    let doc = isolated(name, || Ok(intake::read(bytes, format)?))?;
    let printed = doc.head.published_printed;
    let published = published(dct, &doc);
    let article = NewArticle {
        title: doc.head.title.clone(),
        byline: doc.head.byline.clone(),
        source: doc.head.source.clone(),
        dateline: doc.head.dateline.clone(),
        published_printed: printed,
        published,
        published_note: dct
            .filter(|d| printed.map(|p| p.first_day()) != Some(*d))
            .map(|_| "publication date set at import".to_string()),
        body: doc.text,
    };
    Ok((article, doc.head, doc.warnings))
}

/// [`Db::import_file`] inside a transaction the caller commits. The same text
/// imported before is found before any time is spent on extraction.
fn import_file_on(
    tx: &Transaction<'_>,
    name: &str,
    bytes: &[u8],
    dct: Option<NaiveDate>,
    now: &str,
    progress: &mut dyn FnMut(usize) -> bool,
    extractor: Extractor,
) -> Result<ImportReport> {
    let (article, head, warnings) = read_article(name, bytes, dct)?;
    let hash = content_hash(&article.body);
    if let Some(mut report) = already_imported(tx, &hash)? {
        report.warnings = warnings;
        return Ok(report);
    }
    let prepared = extracted(name, article, &head, hash, warnings, extractor)?;
    write_prepared(tx, prepared, now, progress)
}

/// The report for text that was imported before (same content hash), if any.
/// (Reads the three columns the report needs, not the article's text: it runs
/// once per imported file.)
fn already_imported(conn: &Connection, hash: &str) -> Result<Option<ImportReport>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, title, published FROM article WHERE content_hash = ?1")?;
    Ok(stmt
        .query_row([hash], |r| {
            Ok(ImportReport {
                article_id: r.get(0)?,
                title: r.get(1)?,
                already_imported: true,
                events: 0,
                merged: 0,
                published: r.get::<_, Option<String>>(2)?.and_then(|p| p.parse().ok()),
                warnings: Vec::new(),
            })
        })
        .optional()?)
}

/// Which of `codes` are countries of the database (an extracted code the
/// table lacks is dropped, not an error). Looks up only the codes the
/// proposals name, with a cached statement, rather than reading every country
/// per article.
fn known_countries<'c>(
    conn: &Connection,
    codes: impl IntoIterator<Item = &'c str>,
) -> Result<HashSet<&'c str>> {
    let mut stmt = conn.prepare_cached("SELECT 1 FROM country WHERE code = ?1")?;
    let mut known = HashSet::new();
    for code in codes {
        if !known.contains(code) && stmt.exists([code])? {
            known.insert(code);
        }
    }
    Ok(known)
}

/// Writes an article known to be new (`hash` is its content hash): checks every
/// event first, then writes the article, its date expressions and its events under
/// a savepoint, so that a failure or a cancel leaves nothing of this article
/// whatever the caller's transaction goes on to do.
fn write_import(
    tx: &Transaction<'_>,
    article: &NewArticle,
    hash: &str,
    extraction: &Extraction,
    now: &str,
    progress: &mut dyn FnMut(usize) -> bool,
) -> Result<ImportReport> {
    let known = known_countries(
        tx,
        extraction.proposals.iter().flat_map(|p| {
            p.countries
                .iter()
                .chain(&p.country)
                .map(String::as_str)
                .chain(
                    p.mission
                        .iter()
                        .flat_map(|m| m.country.into_iter().chain(m.host)),
                )
        }),
    )?;
    let dct = article.published.map(|p| p.first_day());
    // Check every event before anything is written.
    let mut events = Vec::with_capacity(extraction.proposals.len());
    let mut left_out = Vec::new();
    for p in &extraction.proposals {
        let countries: Vec<String> = p
            .countries
            .iter()
            .filter(|c| known.contains(c.as_str()))
            .cloned()
            .collect();
        // A sentence whose clause left no words still gets a title: its kind. A
        // title longer than a title may be (one very long word) is cut, so the
        // article is not lost for it.
        let title = if p.title.trim().is_empty() {
            p.kind.label().to_string()
        } else {
            crate::import::clip(p.title.trim(), MAX_TITLE_CHARS - 1)
        };
        let input = EventInput {
            title,
            summary: String::new(),
            kind: p.kind,
            date: p.date,
            city: p.city.clone(),
            country: p.country.clone().filter(|c| known.contains(c.as_str())),
            mission_id: None,
            countries,
            background: p.background,
            planned: p.planned,
        }
        .validated();
        // A proposal that is not a valid event is left out, and the user told;
        // the article and its other proposals still go in.
        match input {
            Ok(input) => events.push((input, p)),
            Err(e) => left_out.push(format!("a proposed event was left out: {e}")),
        }
    }
    tx.execute_batch("SAVEPOINT import_article")?;
    let write = || -> Result<ImportReport> {
        let article_id = super::article::insert_row(tx, article, hash, now)?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO article_timex (article_id, idx, start_char, end_char, timex)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for (i, t) in extraction.timexes.iter().enumerate() {
                stmt.execute(params![
                    article_id,
                    i as i64,
                    t.start as i64,
                    t.end as i64,
                    json(t, "timex")?
                ])?;
            }
        }
        let (mut written, mut merged) = (0usize, 0usize);
        for (input, p) in events {
            let mission_id = match &p.mission {
                Some(m) => match (m.country, m.host, m.city) {
                    (Some(s), Some(h), Some(c)) if known.contains(s) && known.contains(h) => {
                        Some(mission_id_on(tx, m.kind, s, h, c)?)
                    }
                    _ => None,
                },
                None => None,
            };
            let sources = p
                .sources
                .iter()
                .map(|s| NewSource {
                    article_id,
                    sentence_start: u32::try_from(s.sentence_start).unwrap_or(u32::MAX),
                    sentence_end: u32::try_from(s.sentence_end).unwrap_or(u32::MAX),
                    quote: s.quote.clone(),
                    date_text: Some(s.date_text.clone()),
                    date_anchor: extraction.timexes.get(s.timex).map(|t| anchor_text(t, dct)),
                    timex_index: u32::try_from(s.timex).ok(),
                    trigger: s.trigger,
                })
                .collect::<Vec<_>>();
            let input = EventInput {
                mission_id,
                ..input
            };
            // The same incident from another article: one event, every source.
            if let Some(existing) = same_incident(tx, &input, article_id)? {
                add_sources(tx, existing, &input, &sources, now)?;
                merged += 1;
            } else {
                let event = NewEvent {
                    input,
                    status: Status::Proposed,
                    origin: Origin::Extracted,
                    confidence: Some(p.confidence.clamp(0.0, 1.0)),
                    sources,
                };
                insert_event(tx, &event, now)?;
                written += 1;
            }
            if !progress(written + merged) {
                return Err(Error::Cancelled);
            }
        }
        Ok(ImportReport {
            article_id,
            title: article.title.clone(),
            already_imported: false,
            events: written,
            merged,
            published: article.published,
            warnings: left_out,
        })
    };
    match write() {
        Ok(report) => {
            tx.execute_batch("RELEASE import_article")?;
            Ok(report)
        }
        Err(e) => {
            tx.execute_batch("ROLLBACK TO import_article; RELEASE import_article")?;
            Err(e)
        }
    }
}

impl Db {
    /// Reads a file (its name gives the format), extracts its events and imports
    /// them. `dct` overrides the publication date the dateline gives. `progress`
    /// is told how many events are written so far; returning `false` cancels the
    /// import (nothing is written).
    pub fn import_file(
        &mut self,
        name: &str,
        bytes: &[u8],
        dct: Option<NaiveDate>,
        now: &str,
        progress: &mut dyn FnMut(usize) -> bool,
    ) -> Result<ImportReport> {
        let tx = self.conn.transaction()?;
        let report = import_file_on(&tx, name, bytes, dct, now, progress, extract::extract)?;
        tx.commit()?;
        Ok(report)
    }

    /// Starts a run of imports written in one transaction (`ImportBatch`).
    pub fn import_batch(&mut self) -> Result<ImportBatch<'_>> {
        Ok(ImportBatch {
            tx: self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?,
        })
    }

    /// Writes an article, its date expressions and its proposals (status proposed,
    /// origin extracted) in one transaction. The same text imported before is
    /// reported as such and nothing is written.
    pub fn import_article(
        &mut self,
        article: &NewArticle,
        extraction: &Extraction,
        now: &str,
        progress: &mut dyn FnMut(usize) -> bool,
    ) -> Result<ImportReport> {
        if article.body.trim().is_empty() {
            return Err(Error::Rejected(intake::Rejection::Blank));
        }
        let tx = self.conn.transaction()?;
        let hash = content_hash(&article.body);
        let report = match already_imported(&tx, &hash)? {
            Some(report) => report,
            None => write_import(&tx, article, &hash, extraction, now, progress)?,
        };
        tx.commit()?;
        Ok(report)
    }

    /// Counts for tests and reports: articles, events, provenance rows.
    pub fn counts(&self) -> Result<(i64, i64, i64)> {
        Ok(self.conn.query_row(
            "SELECT (SELECT count(*) FROM article), (SELECT count(*) FROM event),
                    (SELECT count(*) FROM provenance)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?)
    }

    /// Whether an article with this content hash exists.
    pub fn has_article_hash(&self, hash: &str) -> Result<bool> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM article WHERE content_hash = ?1",
                [hash],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    fn panics(_: &str, _: &Head, _: Option<NaiveDate>) -> Extraction {
        panic!("index out of bounds: a bug in extraction");
    }

    const STORY: &[u8] =
        b"Row\n\nBy A. Writer | May 10, 2002\n\nPolice arrested two men in Beijing on Wednesday.";

    #[test]
    fn a_panic_in_extraction_rejects_that_article_alone_and_the_run_goes_on() {
        let mut db = Db::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
        crate::seed::ensure_countries(&mut db).unwrap_or_else(|e| panic!("{e}"));
        let mut batch = db.import_batch().unwrap_or_else(|e| panic!("{e}"));
        let go_on = &mut |_: usize| true;
        let failed = import_file_on(&batch.tx, "bug.txt", STORY, None, "now", go_on, panics);
        match failed {
            Err(Error::Rejected(Rejection::Failed { why })) => {
                assert!(why.contains("a bug in extraction"), "{why}");
            }
            other => panic!("{:?}", other.map(|r| r.title)),
        }
        let e = Error::Rejected(Rejection::Failed { why: "x".into() });
        assert_eq!(e.kind(), "rejected");
        assert!(e.to_string().contains("nothing of it was written"), "{e}");
        // The same run imports the next article, and commits.
        let ok = batch.import_file("ok.txt", STORY, None, "now", go_on);
        let ok = ok.unwrap_or_else(|e| panic!("{e}"));
        assert!(ok.events >= 1 && !ok.already_imported, "{ok:?}");
        batch.commit().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(db.counts().map(|c| c.0).ok(), Some(1));
    }
}
