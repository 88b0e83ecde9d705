//! Export: the events a filter selects, written in a format another program
//! reads, and an article's date expressions as TimeML.
//!
//! | format | for | what an event becomes |
//! |---|---|---|
//! | [`Format::Csv`] | spreadsheets, and back into Annals | a row whose columns the CSV importer maps by name, so it re-imports to the same events |
//! | [`Format::Json`] | programs | the event as the app sees it, with coordinates and dataset origin |
//! | [`Format::Timelinejs`] | publishing with TimelineJS | a slide: dates, headline, text (HTML-escaped), group by kind |
//! | [`Format::Ical`] | calendars (RFC 5545) | a VEVENT: all-day for day, month and year precision, timed for minutes |
//! | [`Format::Geojson`] | maps (RFC 7946) | a Feature, a Point where the event has coordinates |
//!
//! Events are read one at a time ([`Db::each_matching`]) and written as they
//! come, so a million events export in the memory of one. [`to_file`] writes
//! beside the target and renames, so a failed export leaves no half file and
//! an existing file is replaced only by a whole one.

mod csv;
mod geojson;
mod ical;
mod json;
mod timelinejs;
mod timeml;

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::event::Event;
use crate::query::EventFilter;
use crate::store::Db;

pub use timeml::article_timeml;

/// A format events can be exported in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "ExportFormat")]
pub enum Format {
    Csv,
    Json,
    Timelinejs,
    Ical,
    Geojson,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Csv,
        Format::Json,
        Format::Timelinejs,
        Format::Ical,
        Format::Geojson,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Timelinejs => "timelinejs",
            Format::Ical => "ical",
            Format::Geojson => "geojson",
        }
    }

    /// The file extension a saved export gets.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json | Format::Timelinejs => "json",
            Format::Ical => "ics",
            Format::Geojson => "geojson",
        }
    }

    /// What the format is called in a file dialog.
    pub fn label(self) -> &'static str {
        match self {
            Format::Csv => "CSV (spreadsheets; re-imports into Annals)",
            Format::Json => "JSON",
            Format::Timelinejs => "TimelineJS JSON",
            Format::Ical => "iCalendar",
            Format::Geojson => "GeoJSON",
        }
    }
}

impl std::str::FromStr for Format {
    type Err = Error;
    fn from_str(s: &str) -> Result<Format> {
        let t = s.trim().to_ascii_lowercase();
        let t = match t.as_str() {
            "ics" | "icalendar" => "ical",
            "tsv" => "csv",
            other => other,
        };
        Format::ALL
            .into_iter()
            .find(|f| f.as_str() == t)
            .ok_or_else(|| {
                Error::invalid(
                    "format",
                    format!(
                        "unknown export format `{s}`; one of csv, json, timelinejs, ical, geojson"
                    ),
                )
            })
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[ts(export, rename = "ExportSummary")]
pub struct Summary {
    /// Events written.
    #[ts(type = "number")]
    pub events: u64,
    /// Events the filter selected that the format cannot hold (iCalendar has no
    /// years before 1 or after 9999), left out.
    #[ts(type = "number")]
    pub left_out: u64,
    #[ts(type = "number")]
    pub bytes: u64,
}

/// What an exported event carries beside the [`Event`]: where it is on a map
/// and the dataset row it came from, if any; country names for readers.
pub(crate) struct Extras<'a> {
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub dataset: Option<crate::store::DatasetSource>,
    pub names: &'a HashMap<String, String>,
}

impl Extras<'_> {
    /// A country's English name, or its code when the gazetteer lacks it.
    pub fn country_name<'b>(&'b self, code: &'b str) -> &'b str {
        self.names.get(code).map_or(code, String::as_str)
    }

    /// The place in words: mission, else city and country.
    pub fn place(&self, e: &Event) -> String {
        if let Some(m) = &e.mission_name {
            return m.clone();
        }
        let country = e.country.as_deref().map(|c| self.country_name(c));
        match (e.city.as_deref(), country) {
            (Some(city), Some(c)) => format!("{city}, {c}"),
            (Some(city), None) => city.to_string(),
            (None, Some(c)) => c.to_string(),
            (None, None) => String::new(),
        }
    }

    /// A source URL: the dataset row's, if it names one.
    pub fn url(&self) -> Option<&str> {
        self.dataset.as_ref().and_then(|d| d.url.as_deref())
    }
}

/// Where an event was read, in one line a reader can cite: the article, its
/// date and the sentence; or the dataset, file and line.
pub(crate) fn citation(e: &Event, x: &Extras<'_>) -> String {
    let mut parts: Vec<String> = e
        .sources
        .iter()
        .map(|s| {
            let mut c = s.article_title.clone();
            if let Some(d) = &s.article_date {
                c.push_str(&format!(" ({d})"));
            }
            if !s.quote.is_empty() {
                c.push_str(&format!(": “{}”", s.quote.trim()));
            }
            c
        })
        .collect();
    if let Some(d) = &x.dataset {
        parts.push(format!(
            "{} row {} ({}, line {})",
            d.dataset, d.row_id, d.file, d.line
        ));
    }
    parts.join(" | ")
}

/// One format's writer: a head, each event, a tail.
pub(crate) trait Writer {
    fn head(&mut self, out: &mut dyn Write, total: u64) -> std::io::Result<()>;
    /// Writes the event, or says it cannot (false: left out).
    fn event(&mut self, out: &mut dyn Write, e: &Event, x: &Extras<'_>) -> std::io::Result<bool>;
    fn tail(&mut self, out: &mut dyn Write) -> std::io::Result<()>;
}

fn writer(format: Format, now: &str) -> Box<dyn Writer> {
    match format {
        Format::Csv => Box::new(csv::Csv),
        Format::Json => Box::new(json::Json::default()),
        Format::Timelinejs => Box::new(timelinejs::TimelineJs::default()),
        Format::Ical => Box::new(ical::Ical::new(now)),
        Format::Geojson => Box::new(geojson::GeoJson::default()),
    }
}

/// Counts what goes through it, so the summary can say how much was written.
struct Counting<'a> {
    inner: &'a mut dyn Write,
    bytes: u64,
}

impl Write for Counting<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn io(e: std::io::Error) -> Error {
    Error::Io {
        context: "cannot write the export".into(),
        source: e,
    }
}

/// Writes the events `filter` selects, in chronological order, to `out`.
/// `now` (RFC 3339) stamps formats that need it (iCalendar's DTSTAMP);
/// `progress` hears how many events are done.
pub fn write(
    db: &Db,
    filter: &EventFilter,
    format: Format,
    now: &str,
    out: &mut dyn Write,
    progress: &mut dyn FnMut(u64),
) -> Result<Summary> {
    let names: HashMap<String, String> = db
        .countries()?
        .into_iter()
        .map(|c| (c.code, c.name))
        .collect();
    let total = db.count_matching(filter)?;
    let mut out = Counting {
        inner: out,
        bytes: 0,
    };
    let mut w = writer(format, now);
    w.head(&mut out, total).map_err(io)?;
    let mut summary = Summary::default();
    db.each_matching(filter, |e| {
        let dataset = db.dataset_source(e.id)?;
        let x = Extras {
            lat: dataset.as_ref().and_then(|d| d.lat),
            lon: dataset.as_ref().and_then(|d| d.lon),
            dataset,
            names: &names,
        };
        if w.event(&mut out, &e, &x).map_err(io)? {
            summary.events += 1;
        } else {
            summary.left_out += 1;
        }
        let done = summary.events + summary.left_out;
        if done % 1000 == 0 {
            progress(done);
        }
        Ok(())
    })?;
    w.tail(&mut out).map_err(io)?;
    out.flush().map_err(io)?;
    summary.bytes = out.bytes;
    progress(summary.events + summary.left_out);
    Ok(summary)
}

/// Exports to a file, whole or not at all (see [`whole_file`]).
pub fn to_file(
    db: &Db,
    filter: &EventFilter,
    format: Format,
    now: &str,
    path: &Path,
    progress: &mut dyn FnMut(u64),
) -> Result<Summary> {
    whole_file(path, |out| write(db, filter, format, now, out, progress))
}

/// Runs `fill` on a temporary file beside `path`, then renames it over `path`:
/// `path` ends up either the whole of what `fill` wrote or what it was before,
/// never a half file, whatever fails.
pub fn whole_file<T>(path: &Path, fill: impl FnOnce(&mut dyn Write) -> Result<T>) -> Result<T> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let file_err = |e: std::io::Error| Error::Io {
        context: format!("cannot write {}", path.display()),
        source: e,
    };
    // tempfile names its temporary file in the error; the user chose `path`.
    let tmp = tempfile::Builder::new()
        .prefix(".annals-export-")
        .tempfile_in(dir)
        .map_err(|e| {
            let text = e.to_string();
            let reason = text.split(" at path ").next().unwrap_or_default();
            file_err(std::io::Error::new(e.kind(), reason.to_string()))
        })?;
    let mut buf = std::io::BufWriter::with_capacity(1 << 16, tmp);
    let value = fill(&mut buf)?;
    let tmp = buf.into_inner().map_err(|e| file_err(e.into_error()))?;
    tmp.as_file().sync_all().map_err(file_err)?;
    tmp.persist(path).map_err(|e| file_err(e.error))?;
    Ok(value)
}

/// Text for formats that render HTML (TimelineJS): `<`, `>`, `&` and quotes
/// escaped, so an article's markup shows as the text it is.
pub(crate) fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_read_by_name_and_common_aliases() {
        for f in Format::ALL {
            assert_eq!(f.as_str().parse::<Format>().ok(), Some(f));
        }
        assert_eq!("ICS".parse::<Format>().ok(), Some(Format::Ical));
        let e = "pdf".parse::<Format>().err().map(|e| e.to_string());
        assert!(e.is_some_and(|e| e.contains("geojson")));
    }

    #[test]
    fn markup_is_escaped_for_html_readers() {
        assert_eq!(
            html_escape("<script>alert('x')</script> & \"y\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;"
        );
    }
}
