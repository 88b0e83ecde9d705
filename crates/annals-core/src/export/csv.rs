//! CSV: one event a row, under column names the CSV importer maps by itself
//! (`dataset/mapping.rs`), so a file exported here imports back to the same
//! events: dates at their precision (`2002-05`, `1961~`, `2002-05-08T15:30`),
//! the place, the countries involved, the mission by name, review status and
//! flags. Missions are matched by name in the database it goes into; one it
//! does not know stays in the event's summary. `display_date` and `citation`
//! are for readers; the importer leaves them.

use std::io::Write;

use super::{citation, Extras, Writer};
use crate::event::Event;

pub(super) const HEADER: [&str; 19] = [
    "id",
    "date",
    "end",
    "display_date",
    "title",
    "description",
    "kind",
    "country",
    "countries",
    "city",
    "lat",
    "lon",
    "mission",
    "group",
    "source_url",
    "status",
    "is_background",
    "is_planned",
    "citation",
];

#[derive(Default)]
pub(super) struct Csv;

/// One record, RFC 4180: fields with a comma, quote or line break (or space
/// at an end, which readers may trim) in double quotes, quotes doubled; CRLF.
fn record(out: &mut dyn Write, fields: &[&str]) -> std::io::Result<()> {
    let mut line = String::with_capacity(256);
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        let quote = f.contains([',', '"', '\r', '\n'])
            || f.starts_with(char::is_whitespace)
            || f.ends_with(char::is_whitespace);
        if quote {
            line.push('"');
            line.push_str(&f.replace('"', "\"\""));
            line.push('"');
        } else {
            line.push_str(f);
        }
    }
    line.push_str("\r\n");
    out.write_all(line.as_bytes())
}

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) gets
/// a leading apostrophe, the convention spreadsheets read as "text". Dates and
/// coordinates are written by us and never start so, but for `-` years and
/// negative degrees, which are left alone. The importer takes the apostrophe
/// off again.
fn cell(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '@' | '\t' | '\r') => format!("'{text}").into(),
        Some('-') if text.len() > 1 && !text[1..].starts_with(|c: char| c.is_ascii_digit()) => {
            format!("'{text}").into()
        }
        _ => text.into(),
    }
}

impl Writer for Csv {
    fn head(&mut self, out: &mut dyn Write, _total: u64) -> std::io::Result<()> {
        record(out, &HEADER)
    }

    fn event(&mut self, out: &mut dyn Write, e: &Event, x: &Extras<'_>) -> std::io::Result<bool> {
        let d = e.date;
        let date = format!("{}{}", d.start, if d.approximate { "~" } else { "" });
        let end = d.end.map(|x| x.to_string()).unwrap_or_default();
        let flag = |b: bool| if b { "yes" } else { "" };
        let num = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
        let group = x.dataset.as_ref().and_then(|d| d.group.clone());
        let fields = [
            e.id.to_string(),
            date,
            end,
            e.date_text.clone(),
            cell(&e.title).into_owned(),
            cell(&e.summary).into_owned(),
            e.kind.as_str().to_string(),
            e.country.clone().unwrap_or_default(),
            e.countries.join(";"),
            cell(e.city.as_deref().unwrap_or_default()).into_owned(),
            num(x.lat),
            num(x.lon),
            e.mission_name.clone().unwrap_or_default(),
            cell(group.as_deref().unwrap_or_default()).into_owned(),
            x.url().unwrap_or_default().to_string(),
            e.status.as_str().to_string(),
            flag(e.background).to_string(),
            flag(e.planned).to_string(),
            cell(&citation(e, x)).into_owned(),
        ];
        let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
        record(out, &refs)?;
        Ok(true)
    }

    fn tail(&mut self, _out: &mut dyn Write) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_a_spreadsheet_would_run_as_formulas_are_kept_as_text() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("-cmd"), "'-cmd");
        assert_eq!(cell("-0044"), "-0044");
        assert_eq!(cell("Five North Koreans"), "Five North Koreans");
    }
}
