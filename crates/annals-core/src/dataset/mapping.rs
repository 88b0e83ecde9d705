//! Any CSV or TSV through a [`Mapping`]: which column holds the date (or the
//! year, month and day), the end, title, description, kind, country, city,
//! coordinates, mission, source URL and group. [`propose`] guesses one from the
//! column names (TimelineJS's spreadsheet template and ACLED-like names among
//! them) and the first rows; a person corrects it in the window or writes it as
//! `mapping.json` for `annals import --map`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::Digest;
use ts_rs::TS;

use super::table::Fields;
use super::when::{self, DateOrder};
use super::{clip, coordinates, DatasetRow, Places};
use crate::date::EventDate;
use crate::error::{Error, Result};
use crate::event::{EventKind, Status, MAX_SUMMARY_CHARS, MAX_TITLE_CHARS};

/// Which column holds what, by column name (as the header writes it, case and
/// spaces aside). Every field is optional but a date: `date`, or `year` (with
/// `month` and `day` when the file splits them).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default, deny_unknown_fields)]
#[ts(export)]
pub struct Mapping {
    /// The dataset's name, part of each row's identity; the file's name without
    /// its extension when not given.
    pub dataset: Option<String>,
    /// The column of each row's own id; without one, a row is known by its content.
    pub id: Option<String>,
    pub date: Option<String>,
    pub year: Option<String>,
    pub month: Option<String>,
    pub day: Option<String>,
    /// A time of day (HH:MM) for `year`/`month`/`day`.
    pub time: Option<String>,
    pub end: Option<String>,
    pub end_year: Option<String>,
    pub end_month: Option<String>,
    pub end_day: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub kind: Option<String>,
    pub country: Option<String>,
    pub city: Option<String>,
    pub lat: Option<String>,
    pub lon: Option<String>,
    pub mission: Option<String>,
    pub source_url: Option<String>,
    pub group: Option<String>,
    /// Countries involved (codes or names, separated by `;`), when the file
    /// lists them apart from where it happened; else the `country` column's
    /// countries are the ones involved.
    pub countries: Option<String>,
    /// Review status (proposed, accepted, rejected); accepted when absent.
    pub status: Option<String>,
    /// Whether the row is background (context, not news): yes/true/1.
    pub background: Option<String>,
    /// Whether the row is announced or expected rather than happened: yes/true/1.
    pub planned: Option<String>,
    /// How `08/05/2002` reads.
    pub date_order: DateOrder,
    /// Values of the kind column and the kind each is (`"Demonstration":
    /// "protest"`); a value that is one of our kinds' names needs no entry, any
    /// other is `other`.
    pub kinds: BTreeMap<String, EventKind>,
}

/// Names a column may have for each field, lower case, best first.
const NAMES: &[(&str, &[&str])] = &[
    (
        "id",
        &[
            "id",
            "unique_id",
            "uid",
            "event_id",
            "row_id",
            "globaleventid",
            "event_id_cnty",
        ],
    ),
    (
        "date",
        &[
            "date",
            "start_date",
            "start",
            "event_date",
            "day_date",
            "sqldate",
            "when",
            "timestamp",
            "datetime",
        ],
    ),
    ("year", &["year", "start year", "start_year"]),
    ("month", &["month", "start month", "start_month"]),
    ("day", &["day", "start day", "start_day"]),
    ("time", &["time", "start time", "start_time"]),
    ("end", &["end", "end_date", "end date", "until", "to"]),
    ("end_year", &["end year", "end_year"]),
    ("end_month", &["end month", "end_month"]),
    ("end_day", &["end day", "end_day"]),
    (
        "title",
        &["title", "headline", "name", "event", "summary", "subject"],
    ),
    (
        "description",
        &[
            "description",
            "text",
            "notes",
            "details",
            "body",
            "comment",
            "comments",
        ],
    ),
    ("kind", &["kind", "type", "event_type", "category", "class"]),
    (
        "country",
        &["country", "country_code", "iso", "iso2", "iso3", "nation"],
    ),
    ("city", &["city", "location", "place", "town"]),
    ("lat", &["lat", "latitude", "y"]),
    ("lon", &["lon", "lng", "long", "longitude", "x"]),
    ("mission", &["mission", "embassy", "consulate"]),
    (
        "source_url",
        &["source_url", "url", "source", "link", "media", "sourceurl"],
    ),
    ("group", &["group", "lane", "track", "series"]),
    (
        "countries",
        &["countries", "countries involved", "involved", "parties"],
    ),
    ("status", &["status", "review status"]),
    // Not `background`: TimelineJS's template has a Background column (an
    // image or colour).
    ("background", &["is background", "background event"]),
    ("planned", &["is planned", "planned"]),
];

impl Mapping {
    fn slot(&mut self, field: &str) -> &mut Option<String> {
        match field {
            "id" => &mut self.id,
            "date" => &mut self.date,
            "year" => &mut self.year,
            "month" => &mut self.month,
            "day" => &mut self.day,
            "time" => &mut self.time,
            "end" => &mut self.end,
            "end_year" => &mut self.end_year,
            "end_month" => &mut self.end_month,
            "end_day" => &mut self.end_day,
            "title" => &mut self.title,
            "description" => &mut self.description,
            "kind" => &mut self.kind,
            "country" => &mut self.country,
            "city" => &mut self.city,
            "lat" => &mut self.lat,
            "lon" => &mut self.lon,
            "mission" => &mut self.mission,
            "source_url" => &mut self.source_url,
            "countries" => &mut self.countries,
            "status" => &mut self.status,
            "background" => &mut self.background,
            "planned" => &mut self.planned,
            _ => &mut self.group,
        }
    }

    fn columns(&self) -> Vec<(&'static str, &Option<String>)> {
        vec![
            ("id", &self.id),
            ("date", &self.date),
            ("year", &self.year),
            ("month", &self.month),
            ("day", &self.day),
            ("time", &self.time),
            ("end", &self.end),
            ("end_year", &self.end_year),
            ("end_month", &self.end_month),
            ("end_day", &self.end_day),
            ("title", &self.title),
            ("description", &self.description),
            ("kind", &self.kind),
            ("country", &self.country),
            ("city", &self.city),
            ("lat", &self.lat),
            ("lon", &self.lon),
            ("mission", &self.mission),
            ("source_url", &self.source_url),
            ("group", &self.group),
            ("countries", &self.countries),
            ("status", &self.status),
            ("background", &self.background),
            ("planned", &self.planned),
        ]
    }
}

fn norm(name: &str) -> String {
    name.trim().to_lowercase().replace(['_', '-'], " ")
}

/// A mapping proposed from the column names (each field takes the first column
/// whose name is one it is known by) and the first rows (the order of numeric
/// dates). A file with both a date column and year/month/day columns keeps the
/// date column.
pub fn propose(header: &[String], rows: &[Vec<String>]) -> Mapping {
    let mut m = Mapping::default();
    let mut taken = vec![false; header.len()];
    for (field, names) in NAMES {
        for name in *names {
            let want = norm(name);
            if let Some(i) = header
                .iter()
                .enumerate()
                .position(|(i, h)| !taken[i] && norm(h) == want)
            {
                *m.slot(field) = Some(header[i].clone());
                taken[i] = true;
                break;
            }
        }
    }
    if m.date.is_some() {
        m.year = None;
        m.month = None;
        m.day = None;
    }
    if let Some(date) = &m.date {
        if let Some(i) = header.iter().position(|h| h == date) {
            let samples = rows.iter().filter_map(|r| r.get(i).map(String::as_str));
            m.date_order = when::guess_order(samples).unwrap_or_default();
        }
    }
    // Values of the kind column that are not our kinds' names: listed as `other`
    // for the person to correct.
    if let Some(kind) = &m.kind {
        if let Some(i) = header.iter().position(|h| h == kind) {
            for r in rows {
                if let Some(v) = r.get(i).map(|v| v.trim()).filter(|v| !v.is_empty()) {
                    if v.parse::<EventKind>().is_err() {
                        m.kinds.entry(v.to_string()).or_insert(EventKind::Other);
                    }
                }
            }
        }
    }
    m
}

/// A mapping checked against a header: each field's column index.
pub(crate) struct Compiled {
    idx: BTreeMap<&'static str, usize>,
    date_order: DateOrder,
    kinds: BTreeMap<String, EventKind>,
}

impl Compiled {
    /// Checks that every column the mapping names is in the header and that it
    /// gives a date.
    pub fn new(m: &Mapping, header: &[String]) -> Result<Compiled> {
        let mut idx = BTreeMap::new();
        for (field, col) in m.columns() {
            let Some(col) = col.as_deref().filter(|c| !c.trim().is_empty()) else {
                continue;
            };
            let want = norm(col);
            let Some(i) = header.iter().position(|h| norm(h) == want) else {
                return Err(Error::Dataset(format!(
                    "the mapping's {field} column `{col}` is not in the file; its columns are {}",
                    header
                        .iter()
                        .map(|h| format!("`{h}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            };
            idx.insert(field, i);
        }
        if !idx.contains_key("date") && !idx.contains_key("year") {
            return Err(Error::Dataset(format!(
                "no date column: map `date` (or `year`, with `month` and `day`) to one of {}",
                header
                    .iter()
                    .map(|h| format!("`{h}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        if idx.contains_key("lat") != idx.contains_key("lon") {
            return Err(Error::Dataset(
                "the mapping gives a latitude or a longitude column without the other".into(),
            ));
        }
        Ok(Compiled {
            idx,
            date_order: m.date_order,
            kinds: m
                .kinds
                .iter()
                .map(|(k, v)| (k.trim().to_lowercase(), *v))
                .collect(),
        })
    }

    fn get<'a>(&self, f: &'a Fields<'_>, field: &str) -> &'a str {
        let v = self.idx.get(field).map_or("", |&i| f.get(i).trim());
        // The apostrophe that keeps a spreadsheet from running `=...` as a
        // formula (Annals' own CSV export writes it) is not part of the text.
        match v.strip_prefix('\'') {
            Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
            _ => v,
        }
    }

    fn date(&self, f: &Fields<'_>, end: bool) -> std::result::Result<Option<EventDate>, String> {
        let (date, year, month, day) = if end {
            ("end", "end_year", "end_month", "end_day")
        } else {
            ("date", "year", "month", "day")
        };
        let text = self.get(f, date);
        if !text.is_empty() {
            return when::parse_date(text, self.date_order).map(Some);
        }
        let y = self.get(f, year);
        if y.is_empty() {
            return Ok(None);
        }
        let start = when::from_parts(y, self.get(f, month), self.get(f, day))?;
        let time = if end { "" } else { self.get(f, "time") };
        let start = match (time.split_once(':'), start.get_month(), start.get_day()) {
            (Some((h, m)), Some(mo), Some(d)) if !time.is_empty() => {
                let h: u32 = h
                    .trim()
                    .parse()
                    .map_err(|_| format!("the time `{time}` is not HH:MM"))?;
                let mi: u32 = m
                    .trim()
                    .get(..2)
                    .unwrap_or("")
                    .parse()
                    .map_err(|_| format!("the time `{time}` is not HH:MM"))?;
                crate::date::PartialDate::minute(start.get_year(), mo, d, h, mi)
                    .map_err(|e| format!("the time `{time}`: {}", e.reason))?
            }
            _ => start,
        };
        Ok(Some(EventDate::at(start)))
    }

    /// One record as a row, or why it cannot be one.
    pub fn row(
        &self,
        f: &Fields<'_>,
        line: u64,
        places: &Places,
    ) -> std::result::Result<DatasetRow, String> {
        let start = self
            .date(f, false)?
            .ok_or_else(|| "the date is empty".to_string())?;
        let date = match self.date(f, true)? {
            None => start,
            Some(end) => EventDate::new(
                start.start,
                Some(end.end.unwrap_or(end.start)),
                start.approximate || end.approximate,
            )
            .map_err(|e| e.to_string())?,
        };
        let kind_text = self.get(f, "kind");
        let kind = if kind_text.is_empty() {
            EventKind::Other
        } else {
            kind_text
                .parse()
                .ok()
                .or_else(|| self.kinds.get(&kind_text.to_lowercase()).copied())
                .unwrap_or(EventKind::Other)
        };
        let mut summary = self.get(f, "description").to_string();
        let mut note = |label: &str, value: &str| {
            if !summary.is_empty() {
                summary.push('\n');
            }
            summary.push_str(label);
            summary.push_str(": ");
            summary.push_str(value);
        };
        // A kind we have no name for, a country we do not know: kept in the
        // summary rather than lost.
        if !kind_text.is_empty()
            && kind == EventKind::Other
            && !kind_text.eq_ignore_ascii_case("other")
        {
            note("Kind", kind_text);
        }
        let mut countries = Vec::new();
        let mut country = None;
        for name in self
            .get(f, "country")
            .split([';', '|'])
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            match places.country(name) {
                Some(code) => {
                    if country.is_none() {
                        country = Some(code.to_string());
                    }
                    countries.push(code.to_string());
                }
                None => note("Country", name),
            }
        }
        if self.idx.contains_key("countries") {
            countries.clear();
            for name in self
                .get(f, "countries")
                .split([';', '|', ','])
                .map(str::trim)
                .filter(|c| !c.is_empty())
            {
                match places.country(name) {
                    Some(code) => countries.push(code.to_string()),
                    None => note("Country involved", name),
                }
            }
        }
        countries.sort();
        countries.dedup();
        let status_text = self.get(f, "status");
        let status = match status_text {
            "" => Status::Accepted,
            t => t.parse().unwrap_or_else(|_| {
                note("Status", t);
                Status::Accepted
            }),
        };
        let city = Some(self.get(f, "city"))
            .filter(|c| !c.is_empty())
            .map(|c| clip(c, 200));
        let coordinates = coordinates(self.get(f, "lat"), self.get(f, "lon"))?;
        let title = match self.get(f, "title") {
            "" => fallback_title(&summary, kind, city.as_deref(), country.as_deref()),
            t => t.to_string(),
        };
        let row_id = match self.get(f, "id") {
            "" => {
                let mut h = sha2::Sha256::new();
                f.hash_into(&mut h);
                let d = h.finalize();
                format!(
                    "#{}",
                    d[..16]
                        .iter()
                        .map(|b| format!("{b:02x}"))
                        .collect::<String>()
                )
            }
            id => id.to_string(),
        };
        let opt = |field: &str| {
            Some(self.get(f, field))
                .filter(|v| !v.is_empty())
                .map(|v| clip(v, 2000))
        };
        Ok(DatasetRow {
            row_id,
            line,
            title: clip(&title, MAX_TITLE_CHARS),
            summary: clip(&summary, MAX_SUMMARY_CHARS),
            kind,
            date,
            country,
            countries,
            city,
            coordinates,
            mission: opt("mission"),
            source_url: opt("source_url"),
            group: opt("group"),
            status,
            background: yes(self.get(f, "background")),
            planned: yes(self.get(f, "planned")),
        })
    }
}

/// Whether a flag column says yes: `yes`, `true`, `y`, `1`, `x`.
fn yes(text: &str) -> bool {
    matches!(
        text.to_ascii_lowercase().as_str(),
        "yes" | "true" | "y" | "1" | "x"
    )
}

/// A title for a row without one: the start of its description, else its kind
/// and place.
pub(crate) fn fallback_title(
    summary: &str,
    kind: EventKind,
    city: Option<&str>,
    country: Option<&str>,
) -> String {
    let first = summary.lines().next().unwrap_or("").trim();
    if !first.is_empty() {
        return clip(first, 90);
    }
    match city.or(country) {
        Some(place) => format!("{} in {place}", kind.label()),
        None => kind.label().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(cols: &str) -> Vec<String> {
        cols.split(',').map(String::from).collect()
    }

    #[test]
    fn timelinejs_spreadsheet_columns_are_proposed_as_year_month_day_and_headline() {
        let h = header("Year,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,Headline,Text,Media,Media Credit,Media Caption,Media Thumbnail,Type,Group,Background");
        let m = propose(&h, &[]);
        assert_eq!(m.year.as_deref(), Some("Year"));
        assert_eq!(m.month.as_deref(), Some("Month"));
        assert_eq!(m.day.as_deref(), Some("Day"));
        assert_eq!(m.end_year.as_deref(), Some("End Year"));
        assert_eq!(m.title.as_deref(), Some("Headline"));
        assert_eq!(m.description.as_deref(), Some("Text"));
        assert_eq!(m.source_url.as_deref(), Some("Media"));
        assert_eq!(m.group.as_deref(), Some("Group"));
        assert_eq!(m.date, None);
    }

    #[test]
    fn a_date_column_wins_and_its_order_is_guessed_from_the_rows() {
        let h = header("Date,Year,Title,Latitude,Longitude,Kind");
        let rows = vec![vec![
            "12/25/2002".into(),
            "2002".into(),
            "x".into(),
            "".into(),
            "".into(),
            "Demonstration".into(),
        ]];
        let m = propose(&h, &rows);
        assert_eq!(m.date.as_deref(), Some("Date"));
        assert_eq!(m.year, None);
        assert_eq!(m.date_order, DateOrder::MonthFirst);
        assert_eq!(m.lat.as_deref(), Some("Latitude"));
        assert_eq!(m.kinds.get("Demonstration"), Some(&EventKind::Other));
    }

    #[test]
    fn a_mapping_naming_a_missing_column_or_no_date_is_refused_before_any_row() {
        let h = header("when,what");
        let m = Mapping {
            date: Some("Date".into()),
            ..Mapping::default()
        };
        let e = Compiled::new(&m, &h).err().unwrap().to_string();
        assert!(e.contains("`Date`") && e.contains("`when`"), "{e}");
        let e = Compiled::new(&Mapping::default(), &h)
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("no date column"), "{e}");
    }

    #[test]
    fn a_mapping_file_reads_as_json_and_rejects_unknown_fields() {
        let m: Mapping = serde_json::from_str(
            r#"{"date": "When", "title": "What", "kinds": {"Demo": "protest"}, "date_order": "month_first"}"#,
        )
        .unwrap();
        assert_eq!(m.kinds.get("Demo"), Some(&EventKind::Protest));
        assert!(serde_json::from_str::<Mapping>(r#"{"dtae": "When"}"#).is_err());
    }
}
