//! GDELT event files: tab-separated, no header, the columns of the GDELT Event
//! Codebook. Version 1.0 has 57 columns (58 with `SOURCEURL`, from April 2013);
//! version 2.0 has 61 (an `ADM2Code` in each of the three geography blocks, and
//! `DATEADDED` to the second). The date is `SQLDATE` (the day); the kind is
//! `EventCode` by CAMEO (`data/mappings/cameo-kinds.tsv`), else `EventRootCode`;
//! the countries are the actors' CAMEO country codes (ISO alpha-3) and the
//! action's place, whose FIPS 10-4 code is converted to ISO
//! (`data/mappings/fips-iso.tsv`); a city-level place keeps its coordinates.

use super::table::Fields;
use super::{cameo_kind, clip, coordinates, fips_to_iso, DatasetRow, Places};
use crate::date::{EventDate, PartialDate};
use crate::event::{EventKind, MAX_TITLE_CHARS};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    One,
    Two,
}

/// The columns before the geography blocks, the same in both versions.
const FIRST: &[&str] = &[
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
];

/// The documented column names of a version, in order.
pub fn header(v: Version) -> Vec<String> {
    let mut h: Vec<String> = FIRST.iter().map(|s| s.to_string()).collect();
    for who in ["Actor1Geo", "Actor2Geo", "ActionGeo"] {
        let mut block = vec!["Type", "FullName", "CountryCode", "ADM1Code"];
        if v == Version::Two {
            block.push("ADM2Code");
        }
        block.extend(["Lat", "Long", "FeatureID"]);
        h.extend(block.iter().map(|c| format!("{who}_{c}")));
    }
    h.push("DATEADDED".into());
    h.push("SOURCEURL".into());
    h
}

/// Column indices of what we read.
const ID: usize = 0;
const SQLDATE: usize = 1;
const ACTOR1_NAME: usize = 6;
const ACTOR1_COUNTRY: usize = 7;
const ACTOR2_NAME: usize = 16;
const ACTOR2_COUNTRY: usize = 17;
const EVENT_CODE: usize = 26;
const EVENT_ROOT_CODE: usize = 28;
const GOLDSTEIN: usize = 30;
const NUM_ARTICLES: usize = 33;

pub(crate) struct Gdelt {
    version: Version,
    /// ActionGeo_Type, _FullName, _CountryCode, _Lat, _Long.
    geo: [usize; 5],
    columns: usize,
}

impl Gdelt {
    pub fn new(version: Version) -> Gdelt {
        let h = header(version);
        let at = |name: &str| h.iter().position(|c| c == name).unwrap_or(0);
        Gdelt {
            version,
            geo: [
                at("ActionGeo_Type"),
                at("ActionGeo_FullName"),
                at("ActionGeo_CountryCode"),
                at("ActionGeo_Lat"),
                at("ActionGeo_Long"),
            ],
            columns: h.len(),
        }
    }

    /// The dataset name rows are kept under: the versions number events apart.
    pub fn dataset(&self) -> &'static str {
        match self.version {
            Version::One => "GDELT 1.0",
            Version::Two => "GDELT 2.0",
        }
    }

    pub fn row(
        &self,
        f: &Fields<'_>,
        line: u64,
        places: &Places,
    ) -> std::result::Result<DatasetRow, String> {
        let n = f.len();
        // 1.0 files before April 2013 end before SOURCEURL.
        let ok = n == self.columns || (self.version == Version::One && n == self.columns - 1);
        if !ok {
            return Err(format!(
                "{n} columns where a GDELT {} event has {}",
                if self.version == Version::One {
                    "1.0"
                } else {
                    "2.0"
                },
                if self.version == Version::One {
                    "57 or 58".to_string()
                } else {
                    self.columns.to_string()
                }
            ));
        }
        let id = f.get(ID).trim();
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("GLOBALEVENTID `{id}` is not a number"));
        }
        let sqldate = f.get(SQLDATE).trim();
        if sqldate.len() != 8 || !sqldate.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("SQLDATE `{sqldate}` is not YYYYMMDD"));
        }
        let num = |a: usize, b: usize| sqldate[a..b].parse::<u32>().unwrap_or(0);
        let day = PartialDate::day(num(0, 4) as i32, num(4, 6), num(6, 8))
            .map_err(|e| format!("SQLDATE `{sqldate}` is not a date: {}", e.reason))?;
        let code = f.get(EVENT_CODE).trim();
        let root = f.get(EVENT_ROOT_CODE).trim();
        let (kind, name) = cameo_kind(code)
            .or_else(|| cameo_kind(root))
            .unwrap_or((EventKind::Other, "Event"));
        let [geo_type, full_name, geo_country, lat, lon] = self.geo;
        let country = fips_to_iso(f.get(geo_country)).map(String::from);
        let mut countries: Vec<String> = country.iter().cloned().collect();
        for c in [ACTOR1_COUNTRY, ACTOR2_COUNTRY] {
            if let Some(code) = places.country(f.get(c)) {
                countries.push(code.to_string());
            }
        }
        countries.sort();
        countries.dedup();
        let place = f.get(full_name).trim();
        // Geo types 3 (US city) and 4 (world city) name a city first.
        let city = match f.get(geo_type).trim() {
            "3" | "4" => place
                .split(',')
                .next()
                .map(str::trim)
                .filter(|c| !c.is_empty()),
            _ => None,
        };
        let (a1, a2) = (f.get(ACTOR1_NAME).trim(), f.get(ACTOR2_NAME).trim());
        let title = match (a1, a2) {
            ("", "") => name.to_string(),
            (a, "") | ("", a) => format!("{name}: {a}"),
            (a, b) => format!("{name}: {a} → {b}"),
        };
        let mut summary = format!("CAMEO {code} ({name})");
        if !place.is_empty() {
            summary.push_str(&format!("\nPlace: {place}"));
        }
        summary.push_str(&format!(
            "\nGoldstein {}; {} articles",
            f.get(GOLDSTEIN).trim(),
            f.get(NUM_ARTICLES).trim()
        ));
        let url_at = self.columns - 1;
        let url = (n == self.columns)
            .then(|| f.get(url_at).trim())
            .filter(|u| !u.is_empty())
            .map(|u| clip(u, 2000));
        Ok(DatasetRow {
            row_id: id.to_string(),
            line,
            title: clip(&title, MAX_TITLE_CHARS),
            summary,
            kind,
            date: EventDate::at(day),
            country,
            countries,
            city: city.map(|c| clip(c, 200)),
            coordinates: coordinates(f.get(lat), f.get(lon))?,
            mission: None,
            source_url: url,
            group: None,
            status: crate::event::Status::Accepted,
            background: false,
            planned: false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_headers_have_58_and_61_columns_ending_in_sourceurl() {
        let one = header(Version::One);
        let two = header(Version::Two);
        assert_eq!(one.len(), 58);
        assert_eq!(two.len(), 61);
        assert_eq!(one[SQLDATE], "SQLDATE");
        assert_eq!(one[EVENT_ROOT_CODE], "EventRootCode");
        assert_eq!(one[51], "ActionGeo_CountryCode");
        assert_eq!(two[53], "ActionGeo_CountryCode");
        assert_eq!(two[56], "ActionGeo_Lat");
        assert_eq!(one[56], "DATEADDED");
        assert_eq!(two[60], "SOURCEURL");
    }
}
