//! Corpora as JSON Lines: one story per line, `{"id": .., "dct": "YYYY-MM-DD",
//! "title": .., "text": ..}` (`id`, `dct` and `title` optional). The Reuters-21578
//! corpus the benchmarks use is in this shape, and so are most scraper exports.
//! Each story is imported as its own article, whole or not at all.

use chrono::NaiveDate;
use serde::Deserialize;

/// A corpus file is read whole and split into stories: a bigger limit than an
/// article's, as it holds many.
pub const MAX_CORPUS_BYTES: u64 = 256 * 1024 * 1024;

/// One story of a corpus.
#[derive(Debug, Clone, PartialEq)]
pub struct Story {
    /// The story's id as the corpus gives it ("17"), or its line number.
    pub id: String,
    /// Its publication date, when the corpus gives one that parses.
    pub dct: Option<NaiveDate>,
    /// Its text; a title given apart is put on its first line, as a headline.
    pub text: String,
}

#[derive(Deserialize)]
struct Line {
    id: Option<serde_json::Value>,
    dct: Option<String>,
    date: Option<String>,
    title: Option<String>,
    text: String,
}

/// Whether a file name is a JSON Lines corpus.
pub fn is_corpus(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".jsonl") || lower.ends_with(".ndjson")
}

/// Reads one line (`number` counts from 1, for the id when the line has none).
/// A blank line is `Ok(None)`; a line that is not a story says why.
pub fn parse_line(line: &str, number: usize) -> Result<Option<Story>, String> {
    if line.trim().is_empty() {
        return Ok(None);
    }
    let l: Line = serde_json::from_str(line).map_err(|e| format!("not a story: {e}"))?;
    let id = match l.id {
        Some(serde_json::Value::String(s)) => s,
        Some(serde_json::Value::Null) | None => number.to_string(),
        Some(other) => other.to_string(),
    };
    let dct = l
        .dct
        .or(l.date)
        .and_then(|d| NaiveDate::parse_from_str(d.get(..10)?, "%Y-%m-%d").ok());
    let text = match l
        .title
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
    {
        Some(title) => format!("{title}\n\n{}", l.text),
        None => l.text,
    };
    Ok(Some(Story { id, dct, text }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reuters_line_gives_id_date_and_text() {
        let s = parse_line(
            r#"{"id": "17", "dct": "1987-02-26", "text": "Showers continued"}"#,
            3,
        )
        .ok()
        .flatten();
        assert_eq!(
            s,
            Some(Story {
                id: "17".into(),
                dct: NaiveDate::from_ymd_opt(1987, 2, 26),
                text: "Showers continued".into(),
            })
        );
    }

    #[test]
    fn numbers_ids_titles_and_missing_or_bad_dates() {
        let s = parse_line(
            r#"{"id": 5, "date": "2002-05-10T08:00:00Z", "title": " Row ", "text": "Body"}"#,
            1,
        )
        .ok()
        .flatten();
        let s = s.unwrap_or_else(|| panic!("a story"));
        assert_eq!(
            (s.id.as_str(), s.dct, s.text.as_str()),
            ("5", NaiveDate::from_ymd_opt(2002, 5, 10), "Row\n\nBody")
        );
        let s = parse_line(r#"{"dct": "2002-13-40", "text": "x"}"#, 9)
            .ok()
            .flatten();
        assert_eq!(s.map(|s| (s.id, s.dct)), Some(("9".to_string(), None)));
    }

    #[test]
    fn blank_lines_are_skipped_and_bad_lines_say_why() {
        assert_eq!(parse_line("   ", 1), Ok(None));
        assert!(parse_line("{\"id\": 1}", 1).is_err_and(|e| e.contains("text")));
        assert!(parse_line("not json", 1).is_err_and(|e| e.starts_with("not a story")));
    }

    #[test]
    fn corpus_files_are_known_by_extension() {
        assert!(is_corpus("reuters21578.JSONL"));
        assert!(is_corpus("export.ndjson"));
        assert!(!is_corpus("story.json"));
    }
}
