//! Articles in the database.

use rusqlite::{params, OptionalExtension};

use super::Db;
use crate::article::{content_hash, Article, NewArticle};
use crate::date::PartialDate;
use crate::error::{Error, Result};

const ARTICLE_COLUMNS: &str = "id, title, byline, source, dateline, published_printed, published, \
                               published_note, body, content_hash, imported_at";

fn parse_date(s: Option<String>) -> Option<PartialDate> {
    s.and_then(|s| s.parse().ok())
}

fn article_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Article> {
    Ok(Article {
        id: r.get(0)?,
        title: r.get(1)?,
        byline: r.get(2)?,
        source: r.get(3)?,
        dateline: r.get(4)?,
        published_printed: parse_date(r.get(5)?),
        published: parse_date(r.get(6)?),
        published_note: r.get(7)?,
        body: r.get(8)?,
        content_hash: r.get(9)?,
        imported_at: r.get(10)?,
    })
}

/// Inserts the article row (on a connection or inside a caller's transaction) and
/// returns its id. The caller has checked the hash is new.
pub(crate) fn insert_row(
    conn: &rusqlite::Connection,
    a: &NewArticle,
    hash: &str,
    now: &str,
) -> Result<i64> {
    // Cached: an import of many files inserts one row per file.
    conn.prepare_cached(
        "INSERT INTO article (title, byline, source, dateline, published_printed, published,
                              published_note, body, content_hash, imported_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        a.title,
        a.byline,
        a.source,
        a.dateline,
        a.published_printed.map(|d| d.to_string()),
        a.published.map(|d| d.to_string()),
        a.published_note,
        a.body,
        hash,
        now
    ])?;
    Ok(conn.last_insert_rowid())
}

impl Db {
    /// Stores an article; the same text stored again returns the article already
    /// there (`false` as the second value) and changes nothing.
    pub fn insert_article(&mut self, a: &NewArticle, now: &str) -> Result<(Article, bool)> {
        if a.body.trim().is_empty() {
            return Err(Error::invalid("article", "the article has no text"));
        }
        let hash = content_hash(&a.body);
        if let Some(existing) = self.article_by_hash(&hash)? {
            return Ok((existing, false));
        }
        let id = insert_row(&self.conn, a, &hash, now)?;
        Ok((
            self.article(id)?.ok_or(Error::NotFound {
                what: "article",
                id,
            })?,
            true,
        ))
    }

    pub fn article(&self, id: i64) -> Result<Option<Article>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {ARTICLE_COLUMNS} FROM article WHERE id = ?1"),
                [id],
                article_row,
            )
            .optional()?)
    }

    pub fn article_by_hash(&self, hash: &str) -> Result<Option<Article>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {ARTICLE_COLUMNS} FROM article WHERE content_hash = ?1"),
                [hash],
                article_row,
            )
            .optional()?)
    }

    pub fn articles(&self) -> Result<Vec<Article>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {ARTICLE_COLUMNS} FROM article ORDER BY id"
        ))?;
        let rows = stmt.query_map([], article_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
