//! Dates as datasets write them: ISO (`2002-05-08`, `2002-05`, `2002`, with a
//! time), compact (`20020508` as GDELT's SQLDATE, `200205`), numeric with the
//! day first or the month first (`08/05/2002`; which one is the mapping's
//! [`DateOrder`]), with month names (`8 May 2002`, `May 8, 2002`, `08-May-2002`,
//! `May 2002`), the core's own EDTF-like text (`2002-05-08~`, `1950/1953`), and
//! year, month and day in columns of their own. A date is kept at the precision
//! the text gives: `May 2002` is the month, never its first day.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::date::{EventDate, PartialDate};

/// How a numeric date whose year comes last is read: `08/05/2002` is 8 May
/// (day first) or August 5 (month first).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DateOrder {
    #[default]
    DayFirst,
    MonthFirst,
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The month a word names ("May", "sept", "Sept.", "SEPTEMBER"), 1 to 12.
fn month_named(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(&w) || (w == "sept" && *m == "september"))
        .map(|i| i as u32 + 1)
}

fn number(part: &str) -> Option<u32> {
    (!part.is_empty() && part.len() <= 4 && part.bytes().all(|b| b.is_ascii_digit()))
        .then(|| part.parse().ok())
        .flatten()
}

fn built(
    year: u32,
    month: Option<u32>,
    day: Option<u32>,
    text: &str,
) -> Result<PartialDate, String> {
    let year = i32::try_from(year).map_err(|_| format!("`{text}`: the year is out of range"))?;
    let r = match (month, day) {
        (None, _) => PartialDate::year(year),
        (Some(m), None) => PartialDate::month(year, m),
        (Some(m), Some(d)) => PartialDate::day(year, m, d),
    };
    r.map_err(|e| format!("`{text}` is not a date: {}", e.reason))
}

/// Reads one date as datasets write it. The error says what is wrong, quoting
/// the text.
pub fn parse_date(text: &str, order: DateOrder) -> Result<EventDate, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("the date is empty".into());
    }
    let (t, approximate) = match t.strip_suffix(['~', '?']) {
        Some(rest) => (rest.trim_end(), true),
        None => (t, false),
    };
    // Years before the common era, in the core's own text (`-0048-01-10`):
    // what Annals' CSV export writes.
    if t.starts_with('-') {
        if let Ok(d) = t.parse::<EventDate>() {
            return with_flag_date(d, approximate, text);
        }
    }
    let bytes = t.as_bytes();
    // All digits: 2002, 200205, 20020508, 20020508103000 (GDELT 2.0 DATEADDED).
    if bytes.iter().all(u8::is_ascii_digit) {
        let n = |a: usize, b: usize| t[a..b].parse::<u32>().unwrap_or(0);
        let date = match t.len() {
            4 => built(n(0, 4), None, None, text)?,
            6 => built(n(0, 4), Some(n(4, 6)), None, text)?,
            8 => built(n(0, 4), Some(n(4, 6)), Some(n(6, 8)), text)?,
            12 | 14 => {
                let y = i32::try_from(n(0, 4)).unwrap_or(0);
                PartialDate::minute(y, n(4, 6), n(6, 8), n(8, 10), n(10, 12))
                    .map_err(|e| format!("`{text}` is not a date: {}", e.reason))?
            }
            _ => return Err(format!("`{text}` is not a date")),
        };
        return with_flag(date, approximate, text);
    }
    // ISO with dashes, possibly a time, or the core's own text (ranges, `~`).
    let iso_like = bytes.len() >= 4
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && matches!(bytes.get(4), None | Some(b'-' | b'/' | b'.' | b'T'));
    if iso_like {
        if let Some(d) = iso(t) {
            return d.and_then(|d| with_flag_date(d, approximate, text));
        }
    }
    let parts: Vec<&str> = t
        .split([' ', ',', '-', '/', '.'])
        .filter(|p| !p.is_empty())
        .collect();
    let named = parts.iter().position(|p| month_named(p).is_some());
    let date = match named {
        Some(i) => {
            let month = month_named(parts[i]);
            let mut year = None;
            let mut day = None;
            for (j, p) in parts.iter().enumerate() {
                if j == i {
                    continue;
                }
                let Some(v) = number(p.trim_end_matches(['s', 't', 'h', 'n', 'd', 'r'])) else {
                    return Err(format!("`{text}` is not a date"));
                };
                if p.len() == 4 && year.is_none() {
                    year = Some(v);
                } else if day.is_none() && p.len() <= 4 {
                    day = Some(v);
                } else {
                    return Err(format!("`{text}` is not a date"));
                }
            }
            let Some(year) = year else {
                return Err(format!("`{text}` has no year"));
            };
            built(year, month, day, text)?
        }
        None => {
            let nums: Option<Vec<u32>> = parts.iter().map(|p| number(p)).collect();
            let Some(nums) = nums else {
                return Err(format!("`{text}` is not a date"));
            };
            let last_is_year = parts.last().is_some_and(|p| p.len() == 4);
            match (nums.as_slice(), last_is_year) {
                ([a, b, y], true) => {
                    let (d, m) = match order {
                        DateOrder::DayFirst => (*a, *b),
                        DateOrder::MonthFirst => (*b, *a),
                    };
                    built(*y, Some(m), Some(d), text)?
                }
                ([m, y], true) => built(*y, Some(*m), None, text)?,
                _ => return Err(format!("`{text}` is not a date")),
            }
        }
    };
    with_flag(date, approximate, text)
}

fn with_flag(date: PartialDate, approximate: bool, text: &str) -> Result<EventDate, String> {
    EventDate::new(date, None, approximate).map_err(|e| format!("`{text}`: {e}"))
}

fn with_flag_date(d: EventDate, approximate: bool, text: &str) -> Result<EventDate, String> {
    EventDate::new(d.start, d.end, d.approximate || approximate)
        .map_err(|e| format!("`{text}`: {e}"))
}

/// ISO dates with `-` or `/` between their parts and an optional time
/// (`2002-05-08T10:30:00Z`, `2002/05/08 10:30`); `None` when the text is not
/// of that shape (`2002 May 8`).
fn iso(t: &str) -> Option<Result<EventDate, String>> {
    if let Ok(d) = t.parse::<EventDate>() {
        return Some(Ok(d));
    }
    let (date, time) = match t.split_once(['T', ' ']) {
        Some((d, rest)) => (d, Some(rest.trim())),
        None => (t, None),
    };
    let parts: Vec<&str> = date.split(['-', '/', '.']).collect();
    let nums: Option<Vec<u32>> = parts.iter().map(|p| number(p)).collect();
    let nums = nums?;
    if parts.first().is_none_or(|p| p.len() != 4) {
        return None;
    }
    let text = t;
    let start = match (nums.as_slice(), time) {
        ([y], None) => built(*y, None, None, text),
        ([y, m], None) => built(*y, Some(*m), None, text),
        ([y, m, d], None) => built(*y, Some(*m), Some(*d), text),
        ([y, m, d], Some(time)) => {
            // HH:MM, HH:MM:SS, with fractions or a zone after; kept to the minute.
            let clock: Vec<&str> = time
                .trim_end_matches('Z')
                .split(['+', 'Z'])
                .next()
                .unwrap_or("")
                .split(':')
                .collect();
            let (Some(h), Some(min)) = (
                clock.first().and_then(|h| number(h)),
                clock.get(1).and_then(|m| number(&m[..m.len().min(2)])),
            ) else {
                return Some(Err(format!("`{t}`: the time is not HH:MM")));
            };
            let y = i32::try_from(*y).unwrap_or(0);
            PartialDate::minute(y, *m, *d, h, min)
                .map_err(|e| format!("`{t}` is not a date: {}", e.reason))
        }
        _ => return None,
    };
    Some(start.and_then(|s| EventDate::new(s, None, false).map_err(|e| e.to_string())))
}

/// A date from year, month and day columns, the last two optional ("" or
/// absent): TimelineJS's spreadsheet, and any CSV that splits its dates so.
pub fn from_parts(year: &str, month: &str, day: &str) -> Result<PartialDate, String> {
    let year_text = year.trim();
    let y: i32 = year_text
        .parse()
        .map_err(|_| format!("the year `{year_text}` is not a number"))?;
    let m = match month.trim() {
        "" => None,
        m => Some(
            number(m)
                .or_else(|| month_named(m))
                .ok_or_else(|| format!("the month `{m}` is not a month"))?,
        ),
    };
    let d = match day.trim() {
        "" => None,
        d => Some(number(d).ok_or_else(|| format!("the day `{d}` is not a number"))?),
    };
    let r = match (m, d) {
        (None, None) => PartialDate::year(y),
        (Some(m), None) => PartialDate::month(y, m),
        (Some(m), Some(d)) => PartialDate::day(y, m, d),
        (None, Some(_)) => return Err("a day is given without its month".into()),
    };
    r.map_err(|e| {
        format!(
            "{year_text}-{}-{} is not a date: {}",
            month.trim(),
            day.trim(),
            e.reason
        )
    })
}

/// Which order the numeric dates of a sample are in: day first when a first
/// part is over 12, month first when a second part is; else `None` (the sample
/// cannot tell).
pub fn guess_order<'a>(samples: impl Iterator<Item = &'a str>) -> Option<DateOrder> {
    for s in samples {
        let parts: Vec<&str> = s.trim().split(['/', '-', '.']).collect();
        if parts.len() != 3 || parts[2].len() != 4 {
            continue;
        }
        match (number(parts[0]), number(parts[1])) {
            (Some(a), Some(_)) if a > 12 => return Some(DateOrder::DayFirst),
            (Some(_), Some(b)) if b > 12 => return Some(DateOrder::MonthFirst),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> String {
        parse_date(text, DateOrder::DayFirst)
            .map(|d| d.to_string())
            .unwrap_or_else(|e| format!("error: {e}"))
    }

    #[test]
    fn common_date_forms_keep_the_precision_they_state() {
        let cases = [
            ("2002-05-08", "2002-05-08"),
            ("2002-05", "2002-05"),
            ("2002", "2002"),
            ("20020508", "2002-05-08"),
            ("200205", "2002-05"),
            ("2002/05/08", "2002-05-08"),
            ("2002-05-08T10:30:00Z", "2002-05-08T10:30"),
            ("2002-05-08 10:30", "2002-05-08T10:30"),
            ("20150218230000", "2015-02-18T23:00"),
            ("08/05/2002", "2002-05-08"),
            ("8 May 2002", "2002-05-08"),
            ("08 May 2002", "2002-05-08"),
            ("08-May-2002", "2002-05-08"),
            ("May 8, 2002", "2002-05-08"),
            ("Sept. 3, 2001", "2001-09-03"),
            ("May 2002", "2002-05"),
            ("05/2002", "2002-05"),
            ("2002-05-08~", "2002-05-08~"),
            ("1950/1953", "1950/1953"),
        ];
        for (text, want) in cases {
            assert_eq!(read(text), want, "{text}");
        }
        assert_eq!(
            parse_date("08/05/2002", DateOrder::MonthFirst)
                .unwrap()
                .to_string(),
            "2002-08-05"
        );
    }

    #[test]
    fn impossible_and_unreadable_dates_say_why() {
        for text in ["2002-02-30", "31/04/2002", "20021301", "", "soon", "May 8"] {
            let r = read(text);
            assert!(r.starts_with("error: "), "{text}: {r}");
        }
        assert!(read("2002-02-30").contains("2002-02-30"));
    }

    #[test]
    fn year_month_and_day_columns_give_a_partial_date() {
        assert_eq!(
            from_parts("2002", "5", "8").unwrap().to_string(),
            "2002-05-08"
        );
        assert_eq!(
            from_parts("2002", "May", "").unwrap().to_string(),
            "2002-05"
        );
        assert_eq!(from_parts("1961", "", "").unwrap().to_string(), "1961");
        assert!(from_parts("2002", "", "8").is_err());
        assert!(from_parts("2002", "2", "30").is_err());
        assert!(from_parts("x", "", "").is_err());
    }

    #[test]
    fn the_order_of_numeric_dates_is_guessed_from_a_part_over_12() {
        assert_eq!(
            guess_order(["01/02/2002", "25/12/2002"].into_iter()),
            Some(DateOrder::DayFirst)
        );
        assert_eq!(
            guess_order(["12/25/2002"].into_iter()),
            Some(DateOrder::MonthFirst)
        );
        assert_eq!(guess_order(["01/02/2002"].into_iter()), None);
    }
}
