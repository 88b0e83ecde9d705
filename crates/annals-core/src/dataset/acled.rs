//! ACLED exports: a CSV with the codebook's columns, found by name (exports
//! differ in which other columns they carry and in what order). Each row's id is
//! `event_id_cnty`; its date is `event_date` at the precision `time_precision`
//! gives (1: the day; 2: a day of the week the source names, so approximate;
//! 3: only the month is known); its kind comes from `sub_event_type`, else
//! `event_type` (`data/mappings/acled-kinds.tsv`); its place is `location` in
//! `country`, at `latitude`/`longitude`.

use super::table::Fields;
use super::when::{self, DateOrder};
use super::{acled_kind, clip, coordinates, DatasetRow, Places};
use crate::date::{EventDate, PartialDate};
use crate::error::{Error, Result};
use crate::event::{MAX_SUMMARY_CHARS, MAX_TITLE_CHARS};

/// The codebook's columns this reader needs.
pub const REQUIRED: &[&str] = &["event_id_cnty", "event_date", "event_type", "country"];

/// The columns it reads, needed or not.
const COLUMNS: &[&str] = &[
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "source",
    "notes",
    "fatalities",
];

pub(crate) struct Acled {
    idx: Vec<Option<usize>>,
}

impl Acled {
    pub fn new(header: &[String]) -> Result<Acled> {
        let find = |name: &str| {
            header
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
        };
        let missing: Vec<&str> = REQUIRED
            .iter()
            .copied()
            .filter(|c| find(c).is_none())
            .collect();
        if !missing.is_empty() {
            return Err(Error::Dataset(format!(
                "not an ACLED export: no {} column",
                missing.join(", ")
            )));
        }
        Ok(Acled {
            idx: COLUMNS.iter().map(|c| find(c)).collect(),
        })
    }

    fn get<'a>(&self, f: &'a Fields<'_>, name: &str) -> &'a str {
        COLUMNS
            .iter()
            .position(|c| *c == name)
            .and_then(|i| self.idx[i])
            .map_or("", |i| f.get(i).trim())
    }

    pub fn row(
        &self,
        f: &Fields<'_>,
        line: u64,
        places: &Places,
    ) -> std::result::Result<DatasetRow, String> {
        let id = self.get(f, "event_id_cnty");
        if id.is_empty() {
            return Err("event_id_cnty is empty".into());
        }
        // The codebook writes dd-mm-yyyy; exports also give "08 May 2002" and ISO.
        let day = when::parse_date(self.get(f, "event_date"), DateOrder::DayFirst)?;
        let date = match self.get(f, "time_precision") {
            "" | "1" => day,
            "2" => EventDate::new(day.start, None, true).map_err(|e| e.to_string())?,
            "3" => {
                let s = day.start;
                let month = PartialDate::month(s.get_year(), s.get_month().unwrap_or(1))
                    .map_err(|e| e.to_string())?;
                EventDate::at(month)
            }
            p => return Err(format!("time_precision `{p}` is not 1, 2 or 3")),
        };
        let (event_type, sub) = (self.get(f, "event_type"), self.get(f, "sub_event_type"));
        let kind = acled_kind(event_type, sub);
        let location = self.get(f, "location");
        let country_name = self.get(f, "country");
        let country = places.country(country_name).map(String::from);
        let what = if sub.is_empty() { event_type } else { sub };
        let title = match (what, location) {
            ("", _) => format!("Event in {location}"),
            (w, "") => w.to_string(),
            (w, l) => format!("{w} in {l}"),
        };
        let mut summary = self.get(f, "notes").to_string();
        let mut add = |label: &str, value: &str| {
            if value.is_empty() {
                return;
            }
            if !summary.is_empty() {
                summary.push('\n');
            }
            summary.push_str(label);
            summary.push_str(": ");
            summary.push_str(value);
        };
        let actors = [self.get(f, "actor1"), self.get(f, "actor2")]
            .into_iter()
            .filter(|a| !a.is_empty())
            .collect::<Vec<_>>()
            .join("; ");
        add("Actors", &actors);
        add("Fatalities", self.get(f, "fatalities"));
        add("Region", self.get(f, "admin1"));
        if country.is_none() {
            add("Country", country_name);
        }
        add("Source", self.get(f, "source"));
        Ok(DatasetRow {
            row_id: id.to_string(),
            line,
            title: clip(&title, MAX_TITLE_CHARS),
            summary: clip(&summary, MAX_SUMMARY_CHARS),
            kind,
            date,
            countries: country.iter().cloned().collect(),
            country,
            city: Some(location)
                .filter(|l| !l.is_empty())
                .map(|l| clip(l, 200)),
            coordinates: coordinates(self.get(f, "latitude"), self.get(f, "longitude"))?,
            mission: None,
            source_url: None,
            group: None,
            status: crate::event::Status::Accepted,
            background: false,
            planned: false,
        })
    }
}
