//! Partial dates: a date known to a stated precision (year, month, day or minute),
//! optionally approximate, optionally a range. Never a fake midnight on the first of
//! the month: "May 2002" covers the whole month.
//!
//! Text form is EDTF-like: `2002`, `2002-05`, `2002-05-08`, `2002-05-08T15:30`,
//! a trailing `~` for approximate, `/` between the two ends of a range
//! (`1950/1953`, `2002-05-08/2002-05-09~`).
//!
//! Timeline keys: every date covers a half-open interval of minutes since
//! 1970-01-01T00:00 (proleptic Gregorian, no time zone). `lo` is its first minute,
//! `hi` the first minute after it. Storage and queries work on these integers.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use ts_rs::TS;

/// The years Annals accepts. Wide enough for history, narrow enough that every
/// date has a calendar day and a four-digit text form.
pub const MIN_YEAR: i32 = -9999;
pub const MAX_YEAR: i32 = 9999;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid date `{input}`: {reason}")]
pub struct DateError {
    pub input: String,
    pub reason: String,
}

impl DateError {
    fn new(input: &str, reason: impl Into<String>) -> Self {
        DateError {
            input: input.to_string(),
            reason: reason.into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Precision {
    Year,
    Month,
    Day,
    Minute,
}

impl Precision {
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Year => "year",
            Precision::Month => "month",
            Precision::Day => "day",
            Precision::Minute => "minute",
        }
    }
}

impl FromStr for Precision {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Self, DateError> {
        match s {
            "year" => Ok(Precision::Year),
            "month" => Ok(Precision::Month),
            "day" => Ok(Precision::Day),
            "minute" => Ok(Precision::Minute),
            _ => Err(DateError::new(s, "unknown precision")),
        }
    }
}

/// A calendar date known to some precision. Fields finer than the precision are
/// absent, never defaulted. Construct with [`PartialDate::year`] and friends or by
/// parsing; every constructor checks the calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    year: i32,
    month: Option<u8>,
    day: Option<u8>,
    /// Minutes after midnight, only at minute precision.
    minute_of_day: Option<u16>,
}

const MINUTES_PER_DAY: i64 = 24 * 60;

fn check_year(input: &str, year: i32) -> Result<(), DateError> {
    if (MIN_YEAR..=MAX_YEAR).contains(&year) {
        Ok(())
    } else {
        Err(DateError::new(
            input,
            format!("year {year} is outside {MIN_YEAR}..{MAX_YEAR}"),
        ))
    }
}

impl PartialDate {
    pub fn year(year: i32) -> Result<Self, DateError> {
        check_year(&year.to_string(), year)?;
        Ok(PartialDate {
            year,
            month: None,
            day: None,
            minute_of_day: None,
        })
    }

    pub fn month(year: i32, month: u32) -> Result<Self, DateError> {
        let input = format!("{year:04}-{month:02}");
        check_year(&input, year)?;
        if !(1..=12).contains(&month) {
            return Err(DateError::new(&input, format!("there is no month {month}")));
        }
        Ok(PartialDate {
            year,
            month: Some(month as u8),
            day: None,
            minute_of_day: None,
        })
    }

    pub fn day(year: i32, month: u32, day: u32) -> Result<Self, DateError> {
        let m = PartialDate::month(year, month)?;
        let input = format!("{year:04}-{month:02}-{day:02}");
        if NaiveDate::from_ymd_opt(year, month, day).is_none() {
            let last = days_in_month(year, month);
            return Err(DateError::new(
                &input,
                format!("{} {year} has {last} days", MONTH_NAMES[month as usize - 1]),
            ));
        }
        Ok(PartialDate {
            day: Some(day as u8),
            ..m
        })
    }

    pub fn minute(
        year: i32,
        month: u32,
        day: u32,
        hour: u32,
        minute: u32,
    ) -> Result<Self, DateError> {
        let d = PartialDate::day(year, month, day)?;
        if hour > 23 || minute > 59 {
            return Err(DateError::new(
                &format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}"),
                "time of day must be between 00:00 and 23:59",
            ));
        }
        Ok(PartialDate {
            minute_of_day: Some((hour * 60 + minute) as u16),
            ..d
        })
    }

    pub fn from_naive(date: NaiveDate) -> Self {
        PartialDate {
            year: date.year(),
            month: Some(date.month() as u8),
            day: Some(date.day() as u8),
            minute_of_day: None,
        }
    }

    pub fn precision(&self) -> Precision {
        match (self.month, self.day, self.minute_of_day) {
            (_, _, Some(_)) => Precision::Minute,
            (_, Some(_), None) => Precision::Day,
            (Some(_), None, None) => Precision::Month,
            (None, _, _) => Precision::Year,
        }
    }

    pub fn get_year(&self) -> i32 {
        self.year
    }
    pub fn get_month(&self) -> Option<u32> {
        self.month.map(u32::from)
    }
    pub fn get_day(&self) -> Option<u32> {
        self.day.map(u32::from)
    }
    /// (hour, minute) at minute precision.
    pub fn get_time(&self) -> Option<(u32, u32)> {
        self.minute_of_day
            .map(|m| (u32::from(m) / 60, u32::from(m) % 60))
    }

    /// The first calendar day this date covers.
    pub fn first_day(&self) -> NaiveDate {
        let month = self.get_month().unwrap_or(1);
        let day = self.get_day().unwrap_or(1);
        // Invariant: constructors checked the calendar, and day 1 always exists.
        NaiveDate::from_ymd_opt(self.year, month, day).unwrap_or(NaiveDate::MIN)
    }

    /// The first minute this date covers, in minutes since 1970-01-01T00:00.
    pub fn lo(&self) -> i64 {
        day_minutes(self.first_day()) + i64::from(self.minute_of_day.unwrap_or(0))
    }

    /// The first minute after this date, in minutes since 1970-01-01T00:00.
    pub fn hi(&self) -> i64 {
        match self.precision() {
            Precision::Minute => self.lo() + 1,
            Precision::Day => self.lo() + MINUTES_PER_DAY,
            Precision::Month => {
                let (y, m) = (self.year, self.get_month().unwrap_or(1));
                let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
                day_minutes(NaiveDate::from_ymd_opt(ny, nm, 1).unwrap_or(NaiveDate::MAX))
            }
            Precision::Year => {
                day_minutes(NaiveDate::from_ymd_opt(self.year + 1, 1, 1).unwrap_or(NaiveDate::MAX))
            }
        }
    }

    /// Human text at the date's precision: "2002", "May 2002", "8 May 2002",
    /// "8 May 2002, 15:30". Years before 1 are written BCE (ISO year 0 is 1 BCE).
    pub fn human(&self) -> String {
        let year = human_year(self.year);
        match (self.get_month(), self.get_day(), self.get_time()) {
            (Some(m), Some(d), Some((h, min))) => {
                format!(
                    "{d} {} {year}, {h:02}:{min:02}",
                    MONTH_NAMES[m as usize - 1]
                )
            }
            (Some(m), Some(d), None) => format!("{d} {} {year}", MONTH_NAMES[m as usize - 1]),
            (Some(m), None, _) => format!("{} {year}", MONTH_NAMES[m as usize - 1]),
            _ => year,
        }
    }
}

fn human_year(year: i32) -> String {
    if year <= 0 {
        format!("{} BCE", 1 - year)
    } else {
        year.to_string()
    }
}

pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn days_in_month(year: i32, month: u32) -> u32 {
    (28..=31)
        .rev()
        .find(|&d| NaiveDate::from_ymd_opt(year, month, d).is_some())
        .unwrap_or(28)
}

fn unix_epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or(NaiveDate::MIN)
}

fn day_minutes(date: NaiveDate) -> i64 {
    (date - unix_epoch()).num_days() * MINUTES_PER_DAY
}

/// The calendar day holding the minute key `key`; inverse of `lo` at day precision.
pub fn day_of_key(key: i64) -> NaiveDate {
    let days = key.div_euclid(MINUTES_PER_DAY);
    unix_epoch()
        .checked_add_signed(chrono::TimeDelta::days(days))
        .unwrap_or(if days < 0 {
            NaiveDate::MIN
        } else {
            NaiveDate::MAX
        })
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.year < 0 {
            write!(f, "-{:04}", -self.year)?;
        } else {
            write!(f, "{:04}", self.year)?;
        }
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        if let Some((h, m)) = self.get_time() {
            write!(f, "T{h:02}:{m:02}")?;
        }
        Ok(())
    }
}

fn parse_number(input: &str, part: &str, what: &str) -> Result<u32, DateError> {
    if part.is_empty() || part.len() > 9 || !part.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DateError::new(input, format!("{what} must be a number")));
    }
    part.parse()
        .map_err(|_| DateError::new(input, format!("{what} must be a number")))
}

impl FromStr for PartialDate {
    type Err = DateError;

    /// Parses `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM` (a space may stand
    /// for the `T`), with an optional leading `-` for years before 1 CE.
    fn from_str(input: &str) -> Result<Self, DateError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(DateError::new(input, "the date is empty"));
        }
        let (negative, rest) = match s.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, s),
        };
        let (date_part, time_part) = match rest.split_once(['T', ' ']) {
            Some((d, t)) => (d, Some(t.trim())),
            None => (rest, None),
        };
        let mut parts = date_part.split('-');
        let year_text = parts.next().unwrap_or("");
        if year_text.len() < 4 {
            return Err(DateError::new(
                input,
                "expected a four-digit year, as in 2002-05-08",
            ));
        }
        let year = parse_number(input, year_text, "the year")? as i32;
        let year = if negative { -year } else { year };
        check_year(input, year)?;
        let month = parts
            .next()
            .map(|p| parse_number(input, p, "the month"))
            .transpose()?;
        let day = parts
            .next()
            .map(|p| parse_number(input, p, "the day"))
            .transpose()?;
        if parts.next().is_some() {
            return Err(DateError::new(input, "too many parts; expected YYYY-MM-DD"));
        }
        let with_input = |e: DateError| DateError::new(input, e.reason);
        match (month, day, time_part) {
            (None, None, None) => PartialDate::year(year),
            (Some(m), None, None) => PartialDate::month(year, m).map_err(with_input),
            (Some(m), Some(d), None) => PartialDate::day(year, m, d).map_err(with_input),
            (Some(m), Some(d), Some(t)) => {
                let (h, min) = t
                    .split_once(':')
                    .ok_or_else(|| DateError::new(input, "expected a time as HH:MM"))?;
                let h = parse_number(input, h, "the hour")?;
                let min = parse_number(input, min, "the minute")?;
                PartialDate::minute(year, m, d, h, min).map_err(with_input)
            }
            _ => Err(DateError::new(input, "a time needs a full date before it")),
        }
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// When an event happened: a start, an optional end (inclusive, at its own
/// precision), and whether the dates are approximate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[ts(export)]
pub struct EventDate {
    #[ts(type = "string")]
    pub start: PartialDate,
    #[ts(type = "string | null")]
    pub end: Option<PartialDate>,
    pub approximate: bool,
}

/// The wire form, checked by [`EventDate::new`] on the way in.
#[derive(Deserialize)]
struct EventDateFields {
    start: PartialDate,
    end: Option<PartialDate>,
    #[serde(default)]
    approximate: bool,
}

impl<'de> Deserialize<'de> for EventDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let f = EventDateFields::deserialize(d)?;
        EventDate::new(f.start, f.end, f.approximate).map_err(serde::de::Error::custom)
    }
}

impl EventDate {
    pub fn new(
        start: PartialDate,
        end: Option<PartialDate>,
        approximate: bool,
    ) -> Result<Self, DateError> {
        if let Some(end) = end {
            if end.hi() <= start.lo() || end.lo() < start.lo() {
                return Err(DateError::new(
                    &format!("{start}/{end}"),
                    "the end is before the start",
                ));
            }
        }
        // A range whose two ends are the same date is that date.
        let end = end.filter(|e| *e != start);
        Ok(EventDate {
            start,
            end,
            approximate,
        })
    }

    pub fn at(start: PartialDate) -> Self {
        EventDate {
            start,
            end: None,
            approximate: false,
        }
    }

    pub fn lo(&self) -> i64 {
        self.start.lo()
    }
    pub fn hi(&self) -> i64 {
        self.end.map_or(self.start.hi(), |e| e.hi())
    }
    /// The coarsest precision of the two ends.
    pub fn precision(&self) -> Precision {
        self.end.map_or(self.start.precision(), |e| {
            e.precision().min(self.start.precision())
        })
    }

    /// "8 May 2002", "c. 1961", "1950–1953", "8–9 May 2002", "March–May 2002".
    pub fn human(&self) -> String {
        let text = match self.end {
            None => self.start.human(),
            Some(end) => human_range(&self.start, &end),
        };
        if self.approximate {
            format!("c. {text}")
        } else {
            text
        }
    }
}

fn human_range(a: &PartialDate, b: &PartialDate) -> String {
    let same_precision = a.precision() == b.precision();
    match (same_precision, a.precision()) {
        (true, Precision::Year) => format!("{}–{}", human_year(a.year), human_year(b.year)),
        (true, Precision::Month) if a.year == b.year => {
            let (ma, mb) = (a.get_month().unwrap_or(1), b.get_month().unwrap_or(1));
            format!(
                "{}–{} {}",
                MONTH_NAMES[ma as usize - 1],
                MONTH_NAMES[mb as usize - 1],
                human_year(a.year)
            )
        }
        (true, Precision::Day) if a.year == b.year && a.month == b.month => {
            let m = a.get_month().unwrap_or(1);
            format!(
                "{}–{} {} {}",
                a.get_day().unwrap_or(1),
                b.get_day().unwrap_or(1),
                MONTH_NAMES[m as usize - 1],
                human_year(a.year)
            )
        }
        _ => format!("{} – {}", a.human(), b.human()),
    }
}

impl fmt::Display for EventDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.start)?;
        if let Some(end) = self.end {
            write!(f, "/{end}")?;
        }
        if self.approximate {
            write!(f, "~")?;
        }
        Ok(())
    }
}

impl FromStr for EventDate {
    type Err = DateError;
    /// `2002-05-08`, `1961~`, `1950/1953`, `2002-05-08/2002-05-09~`.
    fn from_str(input: &str) -> Result<Self, DateError> {
        let s = input.trim();
        let (s, approximate) = match s.strip_suffix('~') {
            Some(r) => (r, true),
            None => (s, false),
        };
        let with_input = |e: DateError| DateError::new(input, e.reason);
        match s.split_once('/') {
            Some((a, b)) => {
                let start: PartialDate = a.trim_end_matches('~').parse().map_err(with_input)?;
                let end: PartialDate = b.parse().map_err(with_input)?;
                EventDate::new(start, Some(end), approximate).map_err(with_input)
            }
            None => Ok(EventDate {
                start: s.parse().map_err(with_input)?,
                end: None,
                approximate,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pd(s: &str) -> PartialDate {
        s.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn text_form_round_trips_at_every_precision() {
        for s in [
            "2002",
            "2002-05",
            "2002-05-08",
            "2002-05-08T15:30",
            "-0044-03-15",
            "0000",
            "9999-12-31T23:59",
        ] {
            assert_eq!(pd(s).to_string(), s);
        }
    }

    #[test]
    fn precision_follows_the_fields_given() {
        assert_eq!(pd("2002").precision(), Precision::Year);
        assert_eq!(pd("2002-05").precision(), Precision::Month);
        assert_eq!(pd("2002-05-08").precision(), Precision::Day);
        assert_eq!(pd("2002-05-08 08:11").precision(), Precision::Minute);
    }

    #[test]
    fn impossible_calendar_dates_are_errors_not_rollovers() {
        let e = "2002-02-30".parse::<PartialDate>().unwrap_err();
        assert_eq!(e.reason, "February 2002 has 28 days");
        assert!("2000-02-29".parse::<PartialDate>().is_ok());
        assert!("1900-02-29".parse::<PartialDate>().is_err());
        assert!("2002-13".parse::<PartialDate>().is_err());
        assert!("2002-00-10".parse::<PartialDate>().is_err());
        assert!("2002-05-08T24:00".parse::<PartialDate>().is_err());
        assert!("2002-05-08T12:60".parse::<PartialDate>().is_err());
    }

    #[test]
    fn malformed_text_is_rejected_with_a_reason() {
        for s in [
            "",
            "  ",
            "May 2002",
            "02-05-08",
            "2002-5-x",
            "2002-05-08-01",
            "2002T10:00",
            "２００２",
        ] {
            let e = s.parse::<PartialDate>().unwrap_err();
            assert!(!e.reason.is_empty(), "{s}");
        }
    }

    #[test]
    fn years_outside_the_supported_range_fail_clearly() {
        let e = "10000".parse::<PartialDate>().unwrap_err();
        assert!(e.reason.contains("outside"), "{}", e.reason);
        assert!(PartialDate::year(-10000).is_err());
        assert!(PartialDate::year(-9999).is_ok());
    }

    #[test]
    fn a_month_covers_the_whole_month() {
        let may = pd("2002-05");
        assert_eq!(may.lo(), pd("2002-05-01").lo());
        assert_eq!(may.hi(), pd("2002-06-01").lo());
        assert_eq!(pd("2002-12").hi(), pd("2003-01-01").lo());
        assert_eq!(pd("2002").hi(), pd("2003").lo());
        assert_eq!(pd("2002-05-08T00:01").lo(), pd("2002-05-08").lo() + 1);
        assert_eq!(pd("1970-01-01").lo(), 0);
        assert!(pd("-0044-03-15").lo() < 0);
    }

    #[test]
    fn day_of_key_inverts_lo() {
        for s in [
            "1970-01-01",
            "1969-12-31",
            "2002-05-08",
            "-0044-03-15",
            "9999-12-31",
        ] {
            assert_eq!(PartialDate::from_naive(day_of_key(pd(s).lo())), pd(s));
        }
    }

    #[test]
    fn human_text_says_only_what_is_known() {
        assert_eq!(pd("2002-05-08").human(), "8 May 2002");
        assert_eq!(pd("2002-05").human(), "May 2002");
        assert_eq!(pd("2002-05-08T20:11").human(), "8 May 2002, 20:11");
        assert_eq!(pd("-0043").human(), "44 BCE");
        let d = |s: &str| s.parse::<EventDate>().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(d("1961~").human(), "c. 1961");
        assert_eq!(d("1950/1953").human(), "1950–1953");
        assert_eq!(d("2002-05-08/2002-05-09").human(), "8–9 May 2002");
        assert_eq!(d("2002-03/2002-05").human(), "March–May 2002");
        assert_eq!(
            d("2001-12-30/2002-01-02").human(),
            "30 December 2001 – 2 January 2002"
        );
    }

    #[test]
    fn ranges_parse_validate_and_cover_both_ends() {
        let r: EventDate = "1950/1953".parse().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.lo(), pd("1950").lo());
        assert_eq!(r.hi(), pd("1954").lo());
        assert_eq!(r.precision(), Precision::Year);
        assert_eq!(r.to_string(), "1950/1953");
        let e = "2002-05-09/2002-05-08".parse::<EventDate>().unwrap_err();
        assert!(e.reason.contains("end is before the start"));
        // An end inside a coarser start is accepted: "2002 until 10 May 2002"? No: its
        // end precedes the start's last day only if it begins before the start.
        assert!("2002/2002-05-10".parse::<EventDate>().is_ok());
        let same: EventDate = "2002-05-08/2002-05-08"
            .parse()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(same.end, None);
    }

    #[test]
    fn approximate_marker_survives_round_trip_and_json() {
        let d: EventDate = "2002-05-08/2002-05-10~"
            .parse()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(d.approximate);
        assert_eq!(d.to_string(), "2002-05-08/2002-05-10~");
        let json = serde_json::to_string(&d).unwrap_or_default();
        assert_eq!(
            json,
            r#"{"start":"2002-05-08","end":"2002-05-10","approximate":true}"#
        );
        let back: EventDate = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, d);
        assert!(serde_json::from_str::<EventDate>(
            r#"{"start":"2002-02-30","end":null,"approximate":false}"#
        )
        .is_err());
    }
}
