//! A dataset file read as a table: its format, header and records, each with
//! the line it starts on, within limits.
//!
//! The file is opened only if regular (as articles are), its first 64 KiB
//! sniffed: empty and binary files (a NUL byte) are refused, a file that is not
//! UTF-8 there is read as Windows-1252 (with a warning), a UTF-8 byte-order mark
//! is skipped. Records stream through one buffer; a record longer than
//! [`MAX_RECORD_BYTES`] is read past, not kept, and becomes that line's error.

use std::cell::Cell;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::rc::Rc;

use csv::ByteRecord;

use super::{gdelt, timelinejs, Format};
use crate::error::{Error, Result};
use crate::intake::Rejection;

/// A record (a row, quoted line breaks and all) may be this long; a longer one
/// is that line's error, read past without being kept.
pub const MAX_RECORD_BYTES: u64 = 8 * 1024 * 1024;

/// What the format is sniffed from.
const SNIFF_BYTES: usize = 64 * 1024;

/// A TimelineJS JSON file is read whole; this is its limit.
pub const MAX_JSON_BYTES: u64 = 64 * 1024 * 1024;

/// One record: the line it starts on, and its fields or why it cannot be read.
pub(crate) struct Record<'a> {
    pub line: u64,
    pub fields: std::result::Result<Fields<'a>, String>,
}

/// The fields of a record, borrowed from the reader's buffer.
pub(crate) enum Fields<'a> {
    /// UTF-8 text of the whole record and where each field lies in it.
    Text(&'a str, &'a ByteRecord),
    Owned(&'a [String]),
}

impl Fields<'_> {
    /// The field at `i`, or "" when the record is shorter.
    pub fn get(&self, i: usize) -> &str {
        match self {
            Fields::Text(text, rec) => rec.range(i).and_then(|r| text.get(r)).unwrap_or(""),
            Fields::Owned(v) => v.get(i).map_or("", String::as_str),
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Fields::Text(_, rec) => rec.len(),
            Fields::Owned(v) => v.len(),
        }
    }

    pub fn to_vec(&self) -> Vec<String> {
        (0..self.len()).map(|i| self.get(i).to_string()).collect()
    }

    /// The record's text, for a row id made from its content.
    pub fn hash_into(&self, h: &mut impl sha2::Digest) {
        for i in 0..self.len() {
            h.update(self.get(i).as_bytes());
            h.update([0x1f]);
        }
    }
}

/// Counts the bytes pulled for the record being read; past the limit, drops the
/// rest of the line (passing its line break on, so the parser ends the record)
/// and says so through `over`. Notes where each line break it passes on lies,
/// so records get their true line numbers (the parser's own count leaves out
/// blank lines).
struct Limited {
    inner: BufReader<File>,
    count: Rc<Cell<u64>>,
    over: Rc<Cell<bool>>,
    skipping: bool,
    limit: u64,
    total: Rc<Cell<u64>>,
    /// Bytes passed on to the parser, and the offsets of the line breaks among
    /// them not yet counted into a record's line.
    passed: u64,
    breaks: Rc<std::cell::RefCell<std::collections::VecDeque<u64>>>,
}

impl Read for Limited {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        loop {
            let avail = self.inner.fill_buf()?;
            if avail.is_empty() || out.is_empty() {
                return Ok(0);
            }
            if self.skipping {
                match avail.iter().position(|&b| b == b'\n') {
                    Some(i) => {
                        // The line break goes on (whatever the count), so the
                        // parser ends the record; the table then resets the count.
                        self.skipping = false;
                        self.inner.consume(i + 1);
                        self.total.set(self.total.get() + i as u64 + 1);
                        out[0] = b'\n';
                        self.breaks.borrow_mut().push_back(self.passed);
                        self.passed += 1;
                        return Ok(1);
                    }
                    None => {
                        let n = avail.len();
                        self.inner.consume(n);
                        self.total.set(self.total.get() + n as u64);
                        continue;
                    }
                }
            }
            let room = self.limit.saturating_sub(self.count.get());
            if room == 0 {
                self.over.set(true);
                self.skipping = true;
                continue;
            }
            let n = avail.len().min(out.len()).min(room as usize);
            out[..n].copy_from_slice(&avail[..n]);
            {
                let mut breaks = self.breaks.borrow_mut();
                for (i, _) in avail[..n].iter().enumerate().filter(|(_, b)| **b == b'\n') {
                    breaks.push_back(self.passed + i as u64);
                }
            }
            self.passed += n as u64;
            self.inner.consume(n);
            self.count.set(self.count.get() + n as u64);
            self.total.set(self.total.get() + n as u64);
            return Ok(n);
        }
    }
}

/// Line numbers of records from the line breaks the reader passed on.
struct Lines {
    breaks: Rc<std::cell::RefCell<std::collections::VecDeque<u64>>>,
    /// Line breaks before the end of the last record asked about.
    before: u64,
}

impl Lines {
    /// The line (from 1) a record starts on, from where it ends (the offset after
    /// its line break, if it has one) and the line breaks inside its quoted
    /// fields. Blank lines before it count, as the parser skips them.
    fn of_record(&mut self, end: u64, inner_breaks: u64) -> u64 {
        let mut breaks = self.breaks.borrow_mut();
        let mut last = None;
        while let Some(&b) = breaks.front().filter(|&&b| b < end) {
            breaks.pop_front();
            self.before += 1;
            last = Some(b);
        }
        let terminated = end > 0 && last == Some(end - 1);
        let last_line = if terminated {
            self.before
        } else {
            self.before + 1
        };
        last_line.saturating_sub(inner_breaks).max(1)
    }
}

enum Body {
    Delimited {
        reader: Box<csv::Reader<Limited>>,
        record: ByteRecord,
        windows1252: bool,
        owned: Vec<String>,
        count: Rc<Cell<u64>>,
        over: Rc<Cell<bool>>,
        lines: Lines,
    },
    Json {
        events: std::vec::IntoIter<(u64, std::result::Result<Vec<String>, String>)>,
        current: Vec<String>,
    },
}

/// An open dataset file.
pub(crate) struct Table {
    format: Format,
    header: Vec<String>,
    warnings: Vec<String>,
    body: Body,
    bytes_total: u64,
    bytes_read: Rc<Cell<u64>>,
}

fn io(source: std::io::Error) -> Error {
    Error::Io {
        context: "cannot read it".into(),
        source,
    }
}

/// The format a file looks like, from its name and first line.
fn detect(path: &Path, first_line: &str) -> Format {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if ext == "json" {
        return Format::Timelinejs;
    }
    let tabs = first_line.matches('\t').count();
    if tabs > 0 || ext == "tsv" || ext == "tab" {
        let first = first_line.split('\t').next().unwrap_or("");
        if !first.is_empty() && first.bytes().all(|b| b.is_ascii_digit()) {
            match tabs + 1 {
                57 | 58 => return Format::Gdelt1,
                61 => return Format::Gdelt2,
                _ => {}
            }
        }
        return Format::Tsv;
    }
    let lower = first_line.to_ascii_lowercase();
    if lower.contains("event_id_cnty") && lower.contains("event_date") {
        return Format::Acled;
    }
    Format::Csv
}

/// The delimiter of a CSV: `;` when the first line has more of them than commas
/// (spreadsheets in locales with a decimal comma write so).
fn csv_delimiter(first_line: &str) -> u8 {
    if first_line.matches(';').count() > first_line.matches(',').count() {
        b';'
    } else {
        b','
    }
}

/// Opens a dataset file: checks it is a regular, non-empty text file, reads its
/// format (`format` wins over what it looks like) and header.
pub(crate) fn open(path: &Path, format: Option<Format>) -> Result<Table> {
    let file = crate::import::open_regular(path)?;
    let bytes_total = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut inner = BufReader::with_capacity(SNIFF_BYTES, file);
    let sniff = inner.fill_buf().map_err(io)?.to_vec();
    if sniff.is_empty() {
        return Err(Error::Rejected(Rejection::Empty));
    }
    if let Some(at) = sniff.iter().position(|&b| b == 0) {
        return Err(Error::Dataset(format!(
            "the file looks binary (a NUL byte at offset {at}), or is UTF-16; give a CSV, TSV, GDELT or TimelineJS JSON file as UTF-8 text"
        )));
    }
    let mut warnings = Vec::new();
    let mut start = 0;
    if sniff.starts_with(b"\xEF\xBB\xBF") {
        start = 3;
        inner.consume(3);
    }
    let windows1252 = match std::str::from_utf8(&sniff[start..]) {
        Ok(_) => false,
        // Cut in the middle of a character at the end of the sniff: still UTF-8.
        Err(e) => e.error_len().is_some(),
    };
    if windows1252 {
        warnings.push("the file is not UTF-8: read as Windows-1252".into());
    }
    let first_line_bytes = sniff[start..].split(|&b| b == b'\n').next().unwrap_or(&[]);
    let first_line = decode(first_line_bytes, windows1252);
    let format = format.unwrap_or_else(|| detect(path, first_line.trim_end_matches('\r')));
    let bytes_read = Rc::new(Cell::new(start as u64));
    if format == Format::Timelinejs {
        let mut bytes = Vec::new();
        inner
            .take(MAX_JSON_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(io)?;
        if bytes.len() as u64 > MAX_JSON_BYTES {
            return Err(Error::Rejected(Rejection::TooLarge {
                size: bytes_total.max(bytes.len() as u64),
                limit: MAX_JSON_BYTES,
            }));
        }
        bytes_read.set(bytes_total);
        let (header, events) = timelinejs::table(&bytes)?;
        return Ok(Table {
            format,
            header,
            warnings,
            body: Body::Json {
                events: events.into_iter(),
                current: Vec::new(),
            },
            bytes_total,
            bytes_read,
        });
    }
    let count = Rc::new(Cell::new(0));
    let over = Rc::new(Cell::new(false));
    let breaks = Rc::new(std::cell::RefCell::new(std::collections::VecDeque::new()));
    let lines = Lines {
        breaks: breaks.clone(),
        before: 0,
    };
    let limited = Limited {
        passed: 0,
        breaks,
        inner,
        count: count.clone(),
        over: over.clone(),
        skipping: false,
        limit: MAX_RECORD_BYTES,
        total: bytes_read.clone(),
    };
    let tabbed = matches!(format, Format::Tsv | Format::Gdelt1 | Format::Gdelt2);
    let fixed_header = match format {
        Format::Gdelt1 => Some(gdelt::header(gdelt::Version::One)),
        Format::Gdelt2 => Some(gdelt::header(gdelt::Version::Two)),
        _ => None,
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(if tabbed {
            b'\t'
        } else {
            csv_delimiter(&first_line)
        })
        .quoting(!tabbed)
        .flexible(true)
        .has_headers(false)
        .buffer_capacity(64 * 1024)
        .from_reader(limited);
    let mut record = ByteRecord::new();
    let header = match fixed_header {
        Some(h) => h,
        None => {
            let got = reader
                .read_byte_record(&mut record)
                .map_err(|e| Error::Dataset(format!("cannot read the header line: {e}")))?;
            if !got {
                return Err(Error::Rejected(Rejection::Blank));
            }
            if over.get() {
                return Err(Error::Dataset(format!(
                    "the header line is longer than {MAX_RECORD_BYTES} bytes"
                )));
            }
            count.set(0);
            record
                .iter()
                .map(|f| decode(f, windows1252).trim().to_string())
                .collect()
        }
    };
    if header.iter().all(String::is_empty) {
        return Err(Error::Dataset(
            "the first line is blank: a CSV or TSV file needs its column names there".into(),
        ));
    }
    Ok(Table {
        format,
        header,
        warnings,
        body: Body::Delimited {
            reader: Box::new(reader),
            record,
            windows1252,
            owned: Vec::new(),
            count,
            over,
            lines,
        },
        bytes_total,
        bytes_read,
    })
}

fn decode(bytes: &[u8], windows1252: bool) -> String {
    if windows1252 {
        encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned()
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    }
}

impl Table {
    pub fn format(&self) -> Format {
        self.format
    }

    pub fn header(&self) -> &[String] {
        &self.header
    }

    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Bytes read so far, and the file's size.
    pub fn bytes(&self) -> (u64, u64) {
        (self.bytes_read.get(), self.bytes_total)
    }

    /// The next record, or `None` at the end. An error here is the file's (it
    /// cannot be read on); a record's own problem is in its `fields`.
    pub fn next_record(&mut self) -> Option<Result<Record<'_>>> {
        match &mut self.body {
            Body::Json { events, current } => {
                let (line, fields) = events.next()?;
                Some(Ok(match fields {
                    Ok(v) => {
                        *current = v;
                        Record {
                            line,
                            fields: Ok(Fields::Owned(current)),
                        }
                    }
                    Err(why) => Record {
                        line,
                        fields: Err(why),
                    },
                }))
            }
            Body::Delimited {
                reader,
                record,
                windows1252,
                owned,
                count,
                over,
                lines,
            } => loop {
                match reader.read_byte_record(record) {
                    Ok(false) => return None,
                    Err(e) => {
                        return Some(Err(Error::Dataset(format!(
                            "cannot read the file past line {}: {e}",
                            e.position().map_or(0, csv::Position::line)
                        ))))
                    }
                    Ok(true) => {}
                }
                let inner = record.as_slice().iter().filter(|&&b| b == b'\n').count() as u64;
                let line = lines.of_record(reader.position().byte(), inner);
                count.set(0);
                if over.replace(false) {
                    return Some(Ok(Record {
                        line,
                        fields: Err(format!(
                            "the row is longer than {MAX_RECORD_BYTES} bytes: read past"
                        )),
                    }));
                }
                // A blank line is no row.
                if record.len() == 1 && record.as_slice().trim_ascii().is_empty() {
                    continue;
                }
                if *windows1252 {
                    owned.clear();
                    owned.extend(record.iter().map(|f| decode(f, true)));
                    return Some(Ok(Record {
                        line,
                        fields: Ok(Fields::Owned(owned)),
                    }));
                }
                return Some(Ok(match std::str::from_utf8(record.as_slice()) {
                    Ok(text) => Record {
                        line,
                        fields: Ok(Fields::Text(text, record)),
                    },
                    Err(e) => Record {
                        line,
                        fields: Err(format!(
                            "the row is not UTF-8 text (byte {} of the row)",
                            e.valid_up_to()
                        )),
                    },
                }));
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    fn rows(t: &mut Table) -> Vec<(u64, std::result::Result<Vec<String>, String>)> {
        let mut out = Vec::new();
        while let Some(r) = t.next_record() {
            let r = r.unwrap();
            out.push((r.line, r.fields.map(|f| f.to_vec())));
        }
        out
    }

    #[test]
    fn quoted_line_breaks_stay_in_their_field_and_lines_count_from_the_header() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "a.csv",
            b"\xEF\xBB\xBFdate,title\n2002-05-08,\"two\nlines\"\n\n2002-05-09,next\n",
        );
        let mut t = open(&p, None).unwrap();
        assert_eq!(t.format(), Format::Csv);
        assert_eq!(t.header(), ["date", "title"]);
        let r = rows(&mut t);
        assert_eq!(
            r[0],
            (2, Ok(vec!["2002-05-08".into(), "two\nlines".into()]))
        );
        assert_eq!(r[1], (5, Ok(vec!["2002-05-09".into(), "next".into()])));
    }

    #[test]
    fn empty_binary_and_headerless_files_are_refused_with_a_reason() {
        let dir = tempfile::tempdir().unwrap();
        let empty = write(dir.path(), "e.csv", b"");
        assert!(open(&empty, None)
            .err()
            .unwrap()
            .to_string()
            .contains("empty"));
        let binary = write(dir.path(), "b.csv", b"date,title\n\x00\x01\x02");
        assert!(open(&binary, None)
            .err()
            .unwrap()
            .to_string()
            .contains("binary"));
        let blank = write(dir.path(), "n.csv", b",,\n2002,x\n");
        assert!(open(&blank, None)
            .err()
            .unwrap()
            .to_string()
            .contains("blank"));
    }

    #[test]
    fn a_row_that_is_not_utf8_is_that_rows_error_and_the_next_reads() {
        let dir = tempfile::tempdir().unwrap();
        let mut bytes = b"date,title\n".to_vec();
        bytes.extend(std::iter::repeat_n(b'a', SNIFF_BYTES));
        bytes.extend(b",x\n2002,caf\xE9\n2003,ok\n");
        let p = write(dir.path(), "u.csv", &bytes);
        let mut t = open(&p, None).unwrap();
        let r = rows(&mut t);
        assert!(r[1].1.as_ref().unwrap_err().contains("UTF-8"), "{:?}", r[1]);
        assert_eq!(r[1].0, 3);
        assert_eq!(r[2], (4, Ok(vec!["2003".into(), "ok".into()])));
    }

    #[test]
    fn a_file_that_starts_in_windows_1252_is_read_so_with_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(dir.path(), "w.csv", b"date;title\n2002;caf\xE9\n");
        let mut t = open(&p, None).unwrap();
        assert_eq!(t.warnings().len(), 1);
        assert_eq!(rows(&mut t)[0].1, Ok(vec!["2002".into(), "café".into()]));
    }

    #[test]
    fn a_huge_row_is_read_past_and_the_rows_after_it_keep_their_lines() {
        let dir = tempfile::tempdir().unwrap();
        let mut bytes = b"date,title\n2002,a\n2002,".to_vec();
        // Past the limit by more than the reader's buffer, which it may have
        // read ahead before the row began.
        bytes.extend(std::iter::repeat_n(
            b'x',
            MAX_RECORD_BYTES as usize + 200_000,
        ));
        bytes.extend(b"\n2003,b\n");
        let p = write(dir.path(), "h.csv", &bytes);
        let mut t = open(&p, None).unwrap();
        let r = rows(&mut t);
        let lines: Vec<u64> = r.iter().map(|x| x.0).collect();
        assert_eq!(lines, [2, 3, 4]);
        assert_eq!(r[0].0, 2);
        assert_eq!(r[1].0, 3);
        assert!(r[1].1.as_ref().unwrap_err().contains("longer than"));
        assert_eq!(r[2], (4, Ok(vec!["2003".into(), "b".into()])));
    }

    #[test]
    fn formats_are_told_by_extension_and_first_line() {
        let p = Path::new("x.csv");
        assert_eq!(detect(p, "date,title"), Format::Csv);
        assert_eq!(
            detect(p, "event_id_cnty,event_date,year,time_precision"),
            Format::Acled
        );
        assert_eq!(detect(Path::new("x.tsv"), "date title"), Format::Tsv);
        let gdelt1 = format!("1{}", "\tx".repeat(57));
        assert_eq!(
            detect(Path::new("20130401.export.CSV"), &gdelt1),
            Format::Gdelt1
        );
        let gdelt2 = format!("1{}", "\tx".repeat(60));
        assert_eq!(detect(p, &gdelt2), Format::Gdelt2);
        assert_eq!(detect(Path::new("t.json"), "{"), Format::Timelinejs);
        assert_eq!(csv_delimiter("date;title;place"), b';');
    }
}
