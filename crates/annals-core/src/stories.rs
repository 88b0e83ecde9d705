//! Corpora as JSON Lines: one story per line, `{"id": .., "dct": "YYYY-MM-DD",
//! "title": .., "text": ..}` (`id`, `dct` and `title` optional). The Reuters-21578
//! corpus the benchmarks use is in this shape, and so are most scraper exports.
//! Each story is imported as its own article, whole or not at all.

use chrono::NaiveDate;
use serde::Deserialize;

/// The extensions of corpus files.
pub const CORPUS_EXTENSIONS: &[&str] = &["jsonl", "ndjson"];

/// The longest line of a corpus read, in bytes: a story is at most an article
/// ([`crate::intake::MAX_FILE_BYTES`]), and JSON's escapes can make its line longer.
/// A longer line is skipped without being held in memory.
pub const MAX_LINE_BYTES: usize = 8 * 1024 * 1024;

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
    name.rsplit_once('.').is_some_and(|(_, ext)| {
        CORPUS_EXTENSIONS
            .iter()
            .any(|c| c.eq_ignore_ascii_case(ext))
    })
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

/// The lines of a corpus, one at a time through one buffer: memory stays bounded
/// whatever the size of the file. A line over [`MAX_LINE_BYTES`] is read past, not
/// kept, and reported as a bad line; so is one that is not UTF-8.
pub struct Lines<R> {
    reader: R,
    buf: Vec<u8>,
    number: usize,
    bytes_read: u64,
}

/// One line of a corpus: its text, or why it cannot be read as text.
pub type LineText = Result<String, String>;

impl<R: std::io::BufRead> Lines<R> {
    pub fn new(reader: R) -> Self {
        Lines {
            reader,
            buf: Vec::new(),
            number: 0,
            bytes_read: 0,
        }
    }

    /// Bytes read so far (line ends included).
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    /// The reader, where the last line left it.
    pub fn into_inner(self) -> R {
        self.reader
    }

    /// The next line and its number (from 1), `None` at the end of the file.
    pub fn next_line(&mut self) -> Option<std::io::Result<(usize, LineText)>> {
        self.buf.clear();
        let (mut len, mut any, mut too_long) = (0u64, false, false);
        loop {
            let chunk = match self.reader.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Some(Err(e)),
            };
            if chunk.is_empty() {
                break;
            }
            any = true;
            let (take, end) = match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (chunk.len(), false),
            };
            len += take as u64;
            if !too_long {
                if self.buf.len() + take > MAX_LINE_BYTES + 1 {
                    too_long = true;
                    self.buf = Vec::new();
                } else {
                    self.buf.extend_from_slice(&chunk[..take]);
                }
            }
            self.reader.consume(take);
            self.bytes_read += take as u64;
            if end {
                break;
            }
        }
        if !any {
            return None;
        }
        self.number += 1;
        if too_long {
            let why = format!(
                "the line is {} bytes long, over the limit of {MAX_LINE_BYTES}",
                len.saturating_sub(1)
            );
            return Some(Ok((self.number, Err(why))));
        }
        while matches!(self.buf.last(), Some(b'\n' | b'\r')) {
            self.buf.pop();
        }
        let line = String::from_utf8(std::mem::take(&mut self.buf))
            .map_err(|_| "the line is not UTF-8 text".to_string());
        Some(Ok((self.number, line)))
    }
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
    fn lines_are_numbered_and_an_overlong_or_non_utf8_line_is_reported_not_kept() {
        let long = "x".repeat(MAX_LINE_BYTES + 10);
        let input = format!("one\r\n{long}\n?\ntwo");
        let mut bytes = input.into_bytes();
        // Make the third line invalid UTF-8.
        let at = bytes.len() - 5;
        bytes[at] = 0xff;
        let mut lines = Lines::new(std::io::BufReader::with_capacity(4096, &bytes[..]));
        let mut got = Vec::new();
        while let Some(l) = lines.next_line() {
            let (n, line) = l.unwrap_or_else(|e| panic!("{e}"));
            got.push((
                n,
                line.map_err(|e| e.split(',').next().unwrap_or("").to_string()),
            ));
        }
        assert_eq!(
            got,
            vec![
                (1, Ok("one".to_string())),
                (
                    2,
                    Err(format!("the line is {} bytes long", MAX_LINE_BYTES + 10))
                ),
                (3, Err("the line is not UTF-8 text".to_string())),
                (4, Ok("two".to_string())),
            ]
        );
        assert_eq!(lines.bytes_read(), bytes.len() as u64);
        // The long line was never held whole.
        assert!(lines.buf.capacity() <= MAX_LINE_BYTES + 4096);
    }

    #[test]
    fn corpus_files_are_known_by_extension() {
        assert!(is_corpus("reuters21578.JSONL"));
        assert!(is_corpus("export.ndjson"));
        assert!(!is_corpus("story.json"));
    }
}
