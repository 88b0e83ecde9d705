//! What an import did, the one report the window and the CLI both give: counts of
//! every kind, the items listed one by one up to a limit (a corpus can hold
//! millions), the bad lines of each corpus summarized (how many, the first few),
//! and progress while it runs.

use serde::Serialize;
use ts_rs::TS;

use crate::date::PartialDate;
use crate::error::Error;
use crate::store::ImportReport;

/// What became of one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Outcome {
    Imported,
    /// The same text was imported before: nothing was written.
    Duplicate,
    /// It could not be imported: see the message.
    Skipped,
    /// The import was cancelled before this item was written.
    Cancelled,
}

/// One item (a file, a story of a corpus, pasted text) and what became of it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ItemOutcome {
    /// "report.txt", "news/a.html", "reuters.jsonl · story 17", "Pasted text".
    pub name: String,
    pub outcome: Outcome,
    #[ts(type = "number | null")]
    pub article_id: Option<i64>,
    pub title: Option<String>,
    /// Proposed events written.
    pub events: usize,
    /// Proposals another article already reported: added to that event as sources.
    pub merged: usize,
    /// The publication date its relative dates were resolved against.
    #[ts(type = "string | null")]
    pub published: Option<PartialDate>,
    /// Why it was skipped.
    pub message: Option<String>,
    /// Things the user should know ("read as Windows-1252").
    pub warnings: Vec<String>,
}

impl ItemOutcome {
    /// An item that could not be imported, and why.
    pub(crate) fn skipped(name: String, message: String) -> ItemOutcome {
        ItemOutcome {
            name,
            outcome: Outcome::Skipped,
            article_id: None,
            title: None,
            events: 0,
            merged: 0,
            published: None,
            message: Some(message),
            warnings: Vec::new(),
        }
    }

    pub(crate) fn of(name: String, result: Result<ImportReport, Error>) -> ItemOutcome {
        match result {
            Ok(r) => ItemOutcome {
                name,
                outcome: if r.already_imported {
                    Outcome::Duplicate
                } else {
                    Outcome::Imported
                },
                article_id: Some(r.article_id),
                title: Some(r.title),
                events: r.events,
                merged: r.merged,
                published: r.published,
                message: None,
                warnings: r.warnings,
            },
            Err(Error::Cancelled) => ItemOutcome {
                outcome: Outcome::Cancelled,
                message: None,
                ..ItemOutcome::skipped(name, String::new())
            },
            Err(e) => ItemOutcome::skipped(name, e.to_string()),
        }
    }
}

/// A line of a corpus that is not a story.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct BadLine {
    /// Its number in the file, from 1.
    #[ts(type = "number")]
    pub line: u64,
    pub why: String,
}

/// The bad lines of one corpus: how many, and the first few.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct BadLines {
    pub corpus: String,
    #[ts(type = "number")]
    pub count: u64,
    /// The first [`BAD_LINE_EXAMPLES`].
    pub examples: Vec<BadLine>,
}

/// Bad lines kept as examples, per corpus.
pub const BAD_LINE_EXAMPLES: usize = 5;

/// Items listed one by one per outcome, at most: the counts tell the rest.
pub const LISTED_PER_OUTCOME: usize = 200;

/// What one import did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ImportOutcome {
    /// The items in the order they were read, at most [`LISTED_PER_OUTCOME`] of
    /// each outcome.
    pub items: Vec<ItemOutcome>,
    /// Items of each outcome, listed or not.
    pub imported: usize,
    pub duplicates: usize,
    pub skipped: usize,
    pub cancelled: usize,
    /// Proposed events written in all.
    pub events: usize,
    /// Proposals added as sources to events already there, in all.
    pub merged: usize,
    /// Per corpus with bad lines.
    pub bad_lines: Vec<BadLines>,
    /// How long it took, as the caller measured it (the core reads no clock).
    pub seconds: f64,
}

impl ImportOutcome {
    /// Counts an item, and lists it while its outcome has room.
    pub(crate) fn add(&mut self, item: ItemOutcome) {
        let n = match item.outcome {
            Outcome::Imported => &mut self.imported,
            Outcome::Duplicate => &mut self.duplicates,
            Outcome::Skipped => &mut self.skipped,
            Outcome::Cancelled => &mut self.cancelled,
        };
        *n += 1;
        let listed = *n <= LISTED_PER_OUTCOME;
        self.events += item.events;
        self.merged += item.merged;
        if listed {
            self.items.push(item);
        }
    }

    /// Counts items that were never read because the import was cancelled.
    pub(crate) fn add_cancelled(&mut self, n: usize) {
        self.cancelled += n;
    }

    /// Counts a bad line of `corpus`, keeping the first few.
    pub(crate) fn add_bad_line(&mut self, corpus: &str, line: u64, why: &str) {
        let entry = match self.bad_lines.iter().position(|b| b.corpus == corpus) {
            Some(i) => &mut self.bad_lines[i],
            None => {
                self.bad_lines.push(BadLines {
                    corpus: corpus.to_string(),
                    count: 0,
                    examples: Vec::new(),
                });
                let last = self.bad_lines.len() - 1;
                &mut self.bad_lines[last]
            }
        };
        entry.count += 1;
        if entry.examples.len() < BAD_LINE_EXAMPLES {
            entry.examples.push(BadLine {
                line,
                why: why.to_string(),
            });
        }
    }

    /// Counts `n` more bad lines of `corpus` beyond those kept as examples.
    pub(crate) fn add_uncounted_bad_lines(&mut self, corpus: &str, n: u64) {
        if let Some(b) = self.bad_lines.iter_mut().find(|b| b.corpus == corpus) {
            b.count += n;
        }
    }

    /// Bad lines in all corpora.
    pub fn bad_line_count(&self) -> u64 {
        self.bad_lines.iter().map(|b| b.count).sum()
    }
}

/// Sent while an import runs.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ImportProgress {
    /// Items finished so far (imported, duplicate or skipped).
    pub done: usize,
    /// Bytes of the sources read so far, and in all: the share done.
    #[ts(type = "number")]
    pub bytes_done: u64,
    #[ts(type = "number")]
    pub bytes_total: u64,
    /// The item being imported.
    pub name: String,
    /// Events written so far for it.
    pub events: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn imported(name: String, events: usize) -> ItemOutcome {
        ItemOutcome {
            outcome: Outcome::Imported,
            events,
            message: None,
            ..ItemOutcome::skipped(name, String::new())
        }
    }

    #[test]
    fn each_outcome_lists_its_first_items_only_and_counts_them_all() {
        let mut out = ImportOutcome::default();
        for i in 0..LISTED_PER_OUTCOME + 50 {
            out.add(imported(format!("story {i}"), 2));
            if i % 100 == 0 {
                out.add(ItemOutcome::skipped(format!("bad {i}"), "empty".into()));
            }
        }
        assert_eq!((out.imported, out.skipped), (LISTED_PER_OUTCOME + 50, 3));
        // Every item's events count, listed or not.
        assert_eq!(out.events, 2 * (LISTED_PER_OUTCOME + 50));
        let listed: Vec<&str> = out
            .items
            .iter()
            .filter(|i| i.outcome == Outcome::Imported)
            .map(|i| i.name.as_str())
            .collect();
        assert_eq!(listed.len(), LISTED_PER_OUTCOME);
        assert_eq!(listed[0], "story 0");
        assert_eq!(
            listed[LISTED_PER_OUTCOME - 1],
            format!("story {}", LISTED_PER_OUTCOME - 1)
        );
        // A rarer outcome is listed whole, in the order read, after the cap of another.
        let skipped: Vec<&str> = out
            .items
            .iter()
            .filter(|i| i.outcome == Outcome::Skipped)
            .map(|i| i.name.as_str())
            .collect();
        assert_eq!(skipped, ["bad 0", "bad 100", "bad 200"]);
        assert_eq!(out.items.last().map(|i| i.name.as_str()), Some("bad 200"));
    }
}
