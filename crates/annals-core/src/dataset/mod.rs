//! Datasets: files of many dated events, each row one event, read without the
//! article extractor. A file goes through three steps, top to bottom:
//!
//! 1. `table.rs` reads it as a table: its format ([`Format`], from the
//!    extension and the first line), its header, and its records a line number
//!    each, within limits (binary and empty files refused, a record over
//!    [`MAX_RECORD_BYTES`] refused without being kept);
//! 2. a converter turns each record into a [`DatasetRow`] or says why it cannot:
//!    `mapping.rs` for any CSV/TSV through a [`Mapping`] (which TimelineJS's
//!    spreadsheet template is one of), `acled.rs`, `gdelt.rs`, and `timelinejs.rs`
//!    for TimelineJS JSON; dates by `when.rs`, codes by `codes.rs` (the tables of
//!    `data/mappings/`);
//! 3. `store/dataset.rs` writes the rows, a file in one transaction, idempotent
//!    by (dataset, row id); `import/dataset.rs` runs files as the import pipeline
//!    runs articles (progress, cancel, the one [`crate::import::ImportOutcome`]).
//!
//! [`preview`] is what the window's mapping step shows: the header, the first
//! rows and the mapping it proposes (remembered per header shape).

mod acled;
mod codes;
mod gdelt;
mod mapping;
mod table;
mod timelinejs;
pub mod when;

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::date::EventDate;
use crate::error::{Error, Result};
use crate::event::{EventKind, Status};
use crate::store::Db;

pub use codes::{acled_kind, cameo_kind, fips_to_iso};
pub use mapping::{propose, Mapping};
pub use table::MAX_RECORD_BYTES;
pub use when::DateOrder;

/// What a dataset file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "DatasetFormat")]
pub enum Format {
    /// Comma- (or semicolon-) separated values with a header, read through a
    /// [`Mapping`]; TimelineJS's spreadsheet template is one.
    Csv,
    /// Tab-separated values with a header, read through a [`Mapping`].
    Tsv,
    /// An ACLED export (CSV with the codebook's columns).
    Acled,
    /// A GDELT 1.0 event file (tab-separated, no header, 57 or 58 columns).
    Gdelt1,
    /// A GDELT 2.0 event file (tab-separated, no header, 61 columns).
    Gdelt2,
    /// TimelineJS JSON (`{"events": [...]}`).
    Timelinejs,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Acled => "acled",
            Format::Gdelt1 => "gdelt1",
            Format::Gdelt2 => "gdelt2",
            Format::Timelinejs => "timelinejs",
        }
    }

    /// Whether rows are read through a user's [`Mapping`].
    pub fn is_mapped(self) -> bool {
        matches!(self, Format::Csv | Format::Tsv)
    }
}

impl std::str::FromStr for Format {
    type Err = Error;
    fn from_str(s: &str) -> Result<Format> {
        let all = [
            Format::Csv,
            Format::Tsv,
            Format::Acled,
            Format::Gdelt1,
            Format::Gdelt2,
            Format::Timelinejs,
        ];
        let t = s.trim().to_ascii_lowercase();
        all.into_iter().find(|f| f.as_str() == t).ok_or_else(|| {
            Error::invalid(
                "format",
                format!("unknown format `{s}`; one of csv, tsv, acled, gdelt1, gdelt2, timelinejs"),
            )
        })
    }
}

/// The file extensions read as datasets: `.csv`, `.tsv`, `.tab` (GDELT's
/// `.export.CSV` among them) and TimelineJS's `.json`.
pub const DATASET_EXTENSIONS: &[&str] = &["csv", "tsv", "tab", "json"];

/// Whether a file name is one of a dataset.
pub fn is_dataset(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| DATASET_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
}

/// One row as an event, before it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct DatasetRow {
    /// The row's id in its dataset: re-importing a row of the same id adds nothing.
    pub row_id: String,
    /// Line of the file the row starts on, from 1.
    pub line: u64,
    pub title: String,
    pub summary: String,
    pub kind: EventKind,
    pub date: EventDate,
    /// Where it happened (alpha-2).
    pub country: Option<String>,
    /// Countries involved (alpha-2), the place's country among them.
    pub countries: Vec<String>,
    pub city: Option<String>,
    /// WGS 84 degrees, both or neither.
    pub coordinates: Option<(f64, f64)>,
    /// A mission's name, looked up when written.
    pub mission: Option<String>,
    pub source_url: Option<String>,
    pub group: Option<String>,
    /// Accepted, unless the file says otherwise (an Annals export of proposals).
    pub status: Status,
    /// Context rather than news.
    pub background: bool,
    /// Announced or expected, not (yet) happened.
    pub planned: bool,
}

/// Countries by every name a dataset may give them: alpha-2, alpha-3 (CAMEO's
/// actor codes are ISO alpha-3), English name, official name, aliases. Read
/// from the database once per file.
#[derive(Debug, Default, Clone)]
pub struct Places {
    by_name: HashMap<String, String>,
}

impl Places {
    /// From `(code, code3, names...)` of each country.
    pub fn new(
        countries: impl IntoIterator<Item = (String, Option<String>, Vec<String>)>,
    ) -> Places {
        let mut by_name = HashMap::new();
        for (code, code3, names) in countries {
            by_name.insert(code.to_ascii_lowercase(), code.clone());
            if let Some(c3) = code3 {
                by_name.insert(c3.to_ascii_lowercase(), code.clone());
            }
            for n in names {
                by_name
                    .entry(n.to_lowercase())
                    .or_insert_with(|| code.clone());
            }
        }
        Places { by_name }
    }

    /// The alpha-2 code of a country given by code or name; `None` when unknown.
    pub fn country(&self, text: &str) -> Option<&str> {
        let t = text.trim();
        if t.is_empty() {
            return None;
        }
        self.by_name.get(&t.to_lowercase()).map(String::as_str)
    }
}

/// What the mapping step shows: the file's shape, its first rows, the mapping
/// proposed for it, and how those rows read as events through it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Preview {
    pub format: Format,
    /// The dataset's name the rows will be imported under (the one given, the
    /// mapping's, ACLED's or GDELT's, else the file's name).
    pub dataset: String,
    /// The column names (GDELT's documented names, as its files have no header).
    pub header: Vec<String>,
    /// The first rows, as text, at most [`PREVIEW_ROWS`].
    pub rows: Vec<Vec<String>>,
    /// For CSV and TSV: the mapping last used for a file with this header, else
    /// one proposed from the column names and first rows. `None` for the fixed
    /// formats, whose columns are documented.
    pub mapping: Option<Mapping>,
    /// Whether `mapping` is the one remembered for this header shape.
    pub remembered: bool,
    /// The same first rows as events, through `mapping` (or the format's
    /// fixed columns): what the import will write, or why a row cannot be one.
    pub sample: Vec<SampleRow>,
    /// Why no row can be read at all through this mapping (a column it names
    /// is not in the file, no date column); `None` when it can import.
    pub problem: Option<String>,
    /// Things to know ("read as Windows-1252", "no date column found").
    pub warnings: Vec<String>,
}

/// One row of a preview as the import reads it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SampleRow {
    /// The line of the file it starts on, from 1.
    pub line: u64,
    /// The event it becomes, or `None` when it cannot be one.
    pub event: Option<SampleEvent>,
    /// Why it cannot be an event.
    pub error: Option<String>,
}

/// The parts of an event a person checks a mapping by.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SampleEvent {
    pub title: String,
    /// As the timeline says it: "8 May 2002", "1950–1953".
    pub date: String,
    pub kind: EventKind,
    /// Where, as "Shenyang, CN", or "" when the row has no place.
    pub place: String,
    pub mission: Option<String>,
    pub status: Status,
    pub planned: bool,
}

impl SampleRow {
    fn of(line: u64, row: std::result::Result<DatasetRow, String>) -> SampleRow {
        match row {
            Ok(r) => {
                let place = match (&r.city, &r.country) {
                    (Some(city), Some(c)) => format!("{city}, {c}"),
                    (Some(city), None) => city.clone(),
                    (None, Some(c)) => c.clone(),
                    (None, None) => String::new(),
                };
                SampleRow {
                    line,
                    event: Some(SampleEvent {
                        title: r.title,
                        date: r.date.human(),
                        kind: r.kind,
                        place,
                        mission: r.mission,
                        status: r.status,
                        planned: r.planned,
                    }),
                    error: None,
                }
            }
            Err(why) => SampleRow {
                line,
                event: None,
                error: Some(why),
            },
        }
    }
}

/// Rows a preview shows.
pub const PREVIEW_ROWS: usize = 20;

/// The setting under which the mapping of a header shape is remembered.
pub(crate) fn mapping_key(header: &[String]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for c in header {
        h.update(c.trim().to_lowercase().as_bytes());
        h.update([0x1f]);
    }
    let digest = h.finalize();
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    format!("dataset.mapping.{hex}")
}

/// The mapping remembered for files with this header, if any.
pub fn remembered_mapping(db: &Db, header: &[String]) -> Result<Option<Mapping>> {
    Ok(db
        .setting(&mapping_key(header))?
        .and_then(|json| serde_json::from_str(&json).ok()))
}

/// Remembers `mapping` for files with this header.
pub fn remember_mapping(db: &Db, header: &[String], mapping: &Mapping) -> Result<()> {
    let json = serde_json::to_string(mapping).map_err(|e| Error::Data {
        name: "mapping",
        message: e.to_string(),
    })?;
    db.set_setting(&mapping_key(header), &json)
}

/// The first [`PREVIEW_ROWS`] readable rows of a file, for a proposal.
fn first_rows(path: &Path, format: Option<Format>) -> Result<Vec<Vec<String>>> {
    let mut t = table::open(path, format)?;
    let mut rows = Vec::new();
    while rows.len() < PREVIEW_ROWS {
        match t.next_record() {
            None => break,
            Some(r) => {
                if let Ok(f) = r?.fields {
                    rows.push(f.to_vec());
                }
            }
        }
    }
    Ok(rows)
}

/// Reads a file's format, header and first rows, the mapping to read it by and
/// those rows as events: what the window shows before it imports. `options`
/// are what the person chose so far (format, mapping, name); what they leave
/// out is told from the file, as the import would.
pub fn preview(path: &Path, options: &DatasetOptions, db: &Db) -> Result<Preview> {
    let mut file = table::open(path, options.format)?;
    let header = file.header().to_vec();
    let mut records: Vec<(u64, std::result::Result<Vec<String>, String>)> = Vec::new();
    while records.len() < PREVIEW_ROWS {
        match file.next_record() {
            None => break,
            Some(Err(e)) => return Err(e),
            Some(Ok(rec)) => records.push((rec.line, rec.fields.map(|f| f.to_vec()))),
        }
    }
    let rows: Vec<Vec<String>> = records
        .iter()
        .map(|(line, fields)| match fields {
            Ok(f) => f.clone(),
            Err(why) => vec![format!("line {line}: {why}")],
        })
        .collect();
    let mut warnings = file.warnings().to_vec();
    let format = file.format();
    let (mapping, remembered) = if format.is_mapped() {
        let good = || {
            Ok(records
                .iter()
                .filter_map(|(_, f)| f.as_ref().ok().cloned())
                .collect())
        };
        let (m, remembered) = choose_mapping(options, &header, db, good)?;
        if !remembered && options.mapping.is_none() && m.date.is_none() && m.year.is_none() {
            warnings.push("no date column found: choose the date or year column".into());
        }
        (Some(m), remembered)
    } else {
        (None, false)
    };
    let places = db.places()?;
    let (sample, problem, fixed_name) = match converter(format, &header, mapping.as_ref()) {
        Ok((conv, fixed_name)) => {
            let sample = records
                .into_iter()
                .map(|(line, fields)| {
                    let row =
                        fields.and_then(|f| conv.row(&table::Fields::Owned(&f), line, &places));
                    SampleRow::of(line, row)
                })
                .collect();
            (sample, None, fixed_name)
        }
        Err(e) => (Vec::new(), Some(e.to_string()), None),
    };
    let dataset = dataset_name(path, options, fixed_name, mapping.as_ref());
    Ok(Preview {
        format,
        dataset,
        header,
        rows,
        mapping,
        remembered,
        sample,
        problem,
        warnings,
    })
}

/// How to read a dataset file: all optional, the file tells the rest.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct DatasetOptions {
    /// What the file is; else told from its name and first line.
    pub format: Option<Format>,
    /// For CSV and TSV: which column is what; else the one remembered for the
    /// header, else the one [`propose`] makes.
    pub mapping: Option<Mapping>,
    /// The dataset's name (rows are unique per dataset); else the mapping's,
    /// else ACLED's or GDELT's, else the file's name without extension.
    pub dataset: Option<String>,
    /// Import the rows that can be read and list the others, instead of
    /// refusing the whole file.
    pub skip_bad_rows: bool,
}

/// Turns records into rows: one per kind of file.
pub(crate) enum Converter {
    Mapped(mapping::Compiled),
    Acled(acled::Acled),
    Gdelt(gdelt::Gdelt),
}

impl Converter {
    pub fn row(
        &self,
        f: &table::Fields<'_>,
        line: u64,
        places: &Places,
    ) -> std::result::Result<DatasetRow, String> {
        match self {
            Converter::Mapped(c) => c.row(f, line, places),
            Converter::Acled(a) => a.row(f, line, places),
            Converter::Gdelt(g) => g.row(f, line, places),
        }
    }
}

/// A dataset file opened for import.
pub(crate) struct Reader {
    pub table: table::Table,
    pub converter: Converter,
    pub dataset: String,
    /// The mapping read through, remembered for the header once imported.
    pub mapping: Option<Mapping>,
}

/// The converter for a file of `format` with this header, and the dataset name
/// the format fixes (ACLED's, GDELT's). Mapped formats read through `mapping`
/// (TimelineJS JSON through its own); an error says why the mapping cannot read
/// the file at all.
fn converter(
    format: Format,
    header: &[String],
    mapping: Option<&Mapping>,
) -> Result<(Converter, Option<String>)> {
    Ok(match format {
        Format::Acled => (
            Converter::Acled(acled::Acled::new(header)?),
            Some("ACLED".to_string()),
        ),
        Format::Gdelt1 | Format::Gdelt2 => {
            let version = if format == Format::Gdelt1 {
                gdelt::Version::One
            } else {
                gdelt::Version::Two
            };
            let g = gdelt::Gdelt::new(version);
            let name = g.dataset().to_string();
            (Converter::Gdelt(g), Some(name))
        }
        Format::Timelinejs => (
            Converter::Mapped(mapping::Compiled::new(&timelinejs::mapping(), header)?),
            None,
        ),
        Format::Csv | Format::Tsv => {
            let m = mapping.ok_or_else(|| Error::Dataset("no mapping for a CSV file".into()))?;
            (Converter::Mapped(mapping::Compiled::new(m, header)?), None)
        }
    })
}

/// The mapping a CSV or TSV is read through: the one given, else the one
/// remembered for its header, else the one proposed from `first_rows`; and
/// whether it is the remembered one. The preview and the import both ask here,
/// so what the preview shows is what the import reads.
fn choose_mapping(
    options: &DatasetOptions,
    header: &[String],
    db: &Db,
    first_rows: impl FnOnce() -> Result<Vec<Vec<String>>>,
) -> Result<(Mapping, bool)> {
    if let Some(m) = &options.mapping {
        return Ok((m.clone(), false));
    }
    Ok(match remembered_mapping(db, header)? {
        Some(m) => (m, true),
        None => (propose(header, &first_rows()?), false),
    })
}

/// The name rows are imported under: the one given, else the one the format
/// fixes (ACLED's, GDELT's), else the mapping's, else the file's name without
/// its extension.
fn dataset_name(
    path: &Path,
    options: &DatasetOptions,
    fixed: Option<String>,
    mapping: Option<&Mapping>,
) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "dataset".into());
    let name = options
        .dataset
        .clone()
        .or(fixed)
        .or_else(|| mapping.and_then(|m| m.dataset.clone()))
        .filter(|d| !d.trim().is_empty())
        .unwrap_or(stem);
    clip(&name, 200)
}

/// Opens a file for import with its converter: the mapping given, else the one
/// remembered for its header, else the one proposed (which must find a date).
pub(crate) fn reader(path: &Path, options: &DatasetOptions, db: &Db) -> Result<Reader> {
    let table = table::open(path, options.format)?;
    let mapping = if table.format().is_mapped() {
        let (m, _) = choose_mapping(options, table.header(), db, || {
            first_rows(path, options.format)
        })?;
        Some(m)
    } else {
        None
    };
    let (converter, fixed_name) = converter(table.format(), table.header(), mapping.as_ref())?;
    let dataset = dataset_name(path, options, fixed_name, mapping.as_ref());
    Ok(Reader {
        table,
        converter,
        dataset,
        mapping,
    })
}

/// Text of a dataset clipped to a limit, ending in "…" when cut.
pub(crate) fn clip(text: &str, max: usize) -> String {
    crate::import::clip(text.trim(), max)
}

/// Coordinates from two texts: both empty is none; one alone, a number that is
/// not one, or one out of range is an error.
pub(crate) fn coordinates(lat: &str, lon: &str) -> Result<Option<(f64, f64)>, String> {
    let (lat, lon) = (lat.trim(), lon.trim());
    if lat.is_empty() && lon.is_empty() {
        return Ok(None);
    }
    let num = |t: &str, what: &str| -> Result<f64, String> {
        t.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| format!("the {what} `{t}` is not a number"))
    };
    let (la, lo) = (num(lat, "latitude")?, num(lon, "longitude")?);
    if !(-90.0..=90.0).contains(&la) {
        return Err(format!("the latitude {la} is outside -90 to 90"));
    }
    if !(-180.0..=180.0).contains(&lo) {
        return Err(format!("the longitude {lo} is outside -180 to 180"));
    }
    Ok(Some((la, lo)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_are_both_or_neither_and_in_range() {
        assert_eq!(coordinates("", " "), Ok(None));
        assert_eq!(coordinates("41.8", "123.4"), Ok(Some((41.8, 123.4))));
        assert!(coordinates("41.8", "").is_err());
        assert!(coordinates("91", "0").unwrap_err().contains("latitude"));
        assert!(coordinates("0", "-181").unwrap_err().contains("longitude"));
        assert!(coordinates("NaN", "0").is_err());
    }

    #[test]
    fn the_remembered_mapping_key_ignores_case_and_spacing_of_column_names() {
        let a = mapping_key(&["Date".into(), " Title".into()]);
        let b = mapping_key(&["date".into(), "title ".into()]);
        let c = mapping_key(&["date".into(), "headline".into()]);
        assert_eq!(a, b);
        assert_ne!(a, c);
    }
}
