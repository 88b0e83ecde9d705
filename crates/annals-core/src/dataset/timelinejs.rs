//! TimelineJS JSON (`{"title": {...}, "events": [...]}`): each event's
//! `start_date` and `end_date` (`year`, `month`, `day`, `hour`, `minute`, as
//! numbers or strings), `text.headline` and `text.text` (HTML, read as text),
//! `media.url`, `group` and `unique_id`, become the columns of a table that the
//! fixed [`mapping`] reads, as a spreadsheet of TimelineJS's template would be.
//! A row's "line" is the event's number in `events`, from 1.

use serde_json::Value;

use super::Mapping;
use crate::error::{Error, Result};

const HEADER: &[&str] = &[
    "unique_id",
    "year",
    "month",
    "day",
    "time",
    "end_year",
    "end_month",
    "end_day",
    "headline",
    "text",
    "media",
    "group",
];

/// The mapping of the table [`table`] makes.
pub fn mapping() -> Mapping {
    let s = |c: &str| Some(c.to_string());
    Mapping {
        id: s("unique_id"),
        year: s("year"),
        month: s("month"),
        day: s("day"),
        time: s("time"),
        end_year: s("end_year"),
        end_month: s("end_month"),
        end_day: s("end_day"),
        title: s("headline"),
        description: s("text"),
        source_url: s("media"),
        group: s("group"),
        ..Mapping::default()
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

/// HTML as the text it shows: tags dropped, the common entities read.
fn plain(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

type Rows = Vec<(u64, std::result::Result<Vec<String>, String>)>;

/// The events of a TimelineJS JSON file as a table: its header and rows.
pub fn table(bytes: &[u8]) -> Result<(Vec<String>, Rows)> {
    let doc: Value = serde_json::from_slice(bytes)
        .map_err(|e| Error::Dataset(format!("not TimelineJS JSON: {e}")))?;
    let events = doc
        .get("events")
        .and_then(Value::as_array)
        .ok_or_else(|| Error::Dataset("not TimelineJS JSON: it has no \"events\" list".into()))?;
    let rows = events
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let n = i as u64 + 1;
            let Some(start) = e.get("start_date").filter(|s| s.is_object()) else {
                return (n, Err(format!("event {n} has no start_date")));
            };
            let date =
                |d: Option<&Value>, k: &str| d.and_then(|d| d.get(k)).map(text).unwrap_or_default();
            let end = e.get("end_date");
            let time = match (date(Some(start), "hour"), date(Some(start), "minute")) {
                (h, _) if h.is_empty() => String::new(),
                (h, m) if m.is_empty() => format!("{h}:00"),
                (h, m) => format!("{h}:{m:0>2}"),
            };
            let field = |a: &str, b: &str| {
                e.get(a)
                    .and_then(|t| t.get(b))
                    .map(text)
                    .unwrap_or_default()
            };
            (
                n,
                Ok(vec![
                    e.get("unique_id").map(text).unwrap_or_default(),
                    date(Some(start), "year"),
                    date(Some(start), "month"),
                    date(Some(start), "day"),
                    time,
                    date(end, "year"),
                    date(end, "month"),
                    date(end, "day"),
                    plain(&field("text", "headline")),
                    plain(&field("text", "text")),
                    field("media", "url"),
                    e.get("group").map(text).unwrap_or_default(),
                ]),
            )
        })
        .collect();
    Ok((HEADER.iter().map(|s| s.to_string()).collect(), rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_in_event_text_is_read_as_the_text_it_shows() {
        assert_eq!(
            plain("<p>Five <b>North&nbsp;Koreans</b> &amp; a child</p>"),
            "Five North Koreans & a child"
        );
    }

    #[test]
    fn a_document_without_events_is_refused_and_an_event_without_a_date_is_its_rows_error() {
        assert!(table(b"{\"title\": {}}").is_err());
        assert!(table(b"not json").is_err());
        let (_, rows) = table(br#"{"events": [{"text": {"headline": "x"}}]}"#).unwrap();
        assert_eq!(rows[0].0, 1);
        assert!(rows[0].1.as_ref().unwrap_err().contains("start_date"));
    }
}
