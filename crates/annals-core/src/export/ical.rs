//! iCalendar (RFC 5545): one VEVENT an event. Day, month and year dates are
//! all-day events over the days they cover (`DTEND` the day after, as the RFC
//! counts), ranges to the end of their last day; dates to the minute are
//! floating local times (the article gives no time zone). The description
//! holds the summary, the date in words and the source; proposals are
//! TENTATIVE, rejected events CANCELLED. Lines are folded at 75 octets on
//! character boundaries, text escaped as the RFC says. A calendar has no year
//! before 1 or after 9999: such events are left out and counted.

use std::io::Write;

use chrono::{DateTime, NaiveDate};

use super::{citation, Extras, Writer};
use crate::date::{day_of_key, PartialDate, Precision};
use crate::event::{Event, Status};

pub(super) struct Ical {
    /// DTSTAMP: when the file was written, UTC.
    stamp: String,
}

impl Ical {
    pub(super) fn new(now: &str) -> Self {
        Ical {
            stamp: utc(now).unwrap_or_else(|| "19700101T000000Z".into()),
        }
    }
}

/// An RFC 3339 time as an iCalendar UTC date-time (`20261202T190000Z`).
fn utc(rfc3339: &str) -> Option<String> {
    DateTime::parse_from_rfc3339(rfc3339)
        .ok()
        .map(|t| t.naive_utc().format("%Y%m%dT%H%M%SZ").to_string())
}

/// TEXT as the RFC escapes it; control characters other than line breaks dropped.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let s = s.replace("\r\n", "\n");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' | '\r' => out.push_str("\\n"),
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes `line` folded: at most 75 octets a line, continuation lines starting
/// with a space, never splitting a character.
fn line(out: &mut dyn Write, line: &str) -> std::io::Result<()> {
    let mut rest = line;
    let mut limit = 75;
    loop {
        if rest.len() <= limit {
            out.write_all(rest.as_bytes())?;
            return out.write_all(b"\r\n");
        }
        let mut cut = limit;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.write_all(&rest.as_bytes()[..cut])?;
        out.write_all(b"\r\n ")?;
        rest = &rest[cut..];
        limit = 74;
    }
}

fn day(d: NaiveDate) -> Option<String> {
    use chrono::Datelike;
    (1..=9999)
        .contains(&d.year())
        .then(|| d.format("%Y%m%d").to_string())
}

fn minute(d: &PartialDate) -> Option<String> {
    let (h, m) = d.get_time()?;
    Some(format!("{}T{h:02}{m:02}00", day(d.first_day())?))
}

/// DTSTART and DTEND lines, or none when a date falls outside years 1–9999.
fn dates(e: &Event) -> Option<(String, Option<String>)> {
    let d = e.date;
    let end = d.end.unwrap_or(d.start);
    let timed = d.start.precision() == Precision::Minute
        && (d.end.is_none() || end.precision() == Precision::Minute);
    if timed {
        let start = minute(&d.start)?;
        let stop = match d.end {
            Some(end) => Some(format!("DTEND:{}", minute(&end)?)),
            None => None,
        };
        return Some((format!("DTSTART:{start}"), stop));
    }
    // `hi` is the first minute after the date: its day is the exclusive end.
    let first = day(d.start.first_day())?;
    let after = day(day_of_key(end.hi() - 1).succ_opt()?)?;
    Some((
        format!("DTSTART;VALUE=DATE:{first}"),
        Some(format!("DTEND;VALUE=DATE:{after}")),
    ))
}

/// A URI as a property value: only when it has a scheme and no spaces or
/// controls (a URL column holds what its dataset held).
fn uri(s: &str) -> Option<&str> {
    let ok = s.contains(':') && !s.chars().any(|c| c.is_whitespace() || c.is_control());
    ok.then_some(s)
}

impl Writer for Ical {
    fn head(&mut self, out: &mut dyn Write, _total: u64) -> std::io::Result<()> {
        line(out, "BEGIN:VCALENDAR")?;
        line(out, "VERSION:2.0")?;
        line(
            out,
            &format!("PRODID:-//Annals//Annals {}//EN", env!("CARGO_PKG_VERSION")),
        )?;
        line(out, "CALSCALE:GREGORIAN")?;
        line(out, "METHOD:PUBLISH")?;
        line(out, "X-WR-CALNAME:Annals")
    }

    fn event(&mut self, out: &mut dyn Write, e: &Event, x: &Extras<'_>) -> std::io::Result<bool> {
        let Some((start, end)) = dates(e) else {
            return Ok(false);
        };
        line(out, "BEGIN:VEVENT")?;
        line(out, &format!("UID:event-{}@annals", e.id))?;
        line(out, &format!("DTSTAMP:{}", self.stamp))?;
        if let Some(t) = utc(&e.created_at) {
            line(out, &format!("CREATED:{t}"))?;
        }
        if let Some(t) = utc(&e.updated_at) {
            line(out, &format!("LAST-MODIFIED:{t}"))?;
        }
        line(out, &start)?;
        if let Some(end) = end {
            line(out, &end)?;
        }
        line(out, &format!("SUMMARY:{}", text(&e.title)))?;
        let mut description = String::new();
        if !e.summary.is_empty() {
            description.push_str(&e.summary);
            description.push_str("\n\n");
        }
        description.push_str(&format!("When: {}", e.date_text));
        let cite = citation(e, x);
        if !cite.is_empty() {
            description.push_str(&format!("\nSource: {cite}"));
        }
        line(out, &format!("DESCRIPTION:{}", text(&description)))?;
        let place = x.place(e);
        if !place.is_empty() {
            line(out, &format!("LOCATION:{}", text(&place)))?;
        }
        if let (Some(lat), Some(lon)) = (x.lat, x.lon) {
            line(out, &format!("GEO:{lat:.6};{lon:.6}"))?;
        }
        line(out, &format!("CATEGORIES:{}", text(e.kind.label())))?;
        let status = match e.status {
            Status::Accepted => "CONFIRMED",
            Status::Proposed => "TENTATIVE",
            Status::Rejected => "CANCELLED",
        };
        line(out, &format!("STATUS:{status}"))?;
        line(out, "TRANSP:TRANSPARENT")?;
        if let Some(url) = x.url().and_then(uri) {
            line(out, &format!("URL:{url}"))?;
        }
        line(out, "END:VEVENT")?;
        Ok(true)
    }

    fn tail(&mut self, out: &mut dyn Write) -> std::io::Result<()> {
        line(out, "END:VCALENDAR")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_a_character() {
        let mut out = Vec::new();
        let long = format!("SUMMARY:{}", "é".repeat(100));
        line(&mut out, &long).unwrap();
        let s = String::from_utf8(out).unwrap();
        for l in s.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        let unfolded = s.replace("\r\n ", "");
        assert_eq!(unfolded.trim_end(), long);
    }

    #[test]
    fn text_escapes_what_the_rfc_reserves() {
        assert_eq!(text("a;b,c\\d\ne\u{7}"), "a\\;b\\,c\\\\d\\ne");
    }

    #[test]
    fn dtstamp_is_written_in_utc() {
        assert_eq!(
            utc("2026-12-02T20:00:00+01:00").as_deref(),
            Some("20261202T190000Z")
        );
    }
}
