//! TimelineJS JSON (the `{"title", "events"}` document TimelineJS 3 loads):
//! one slide an event. Dates as TimelineJS reads them (`year`, `month`, `day`,
//! `hour`, `minute`, only as precise as the event), `display_date` in our words
//! ("c. 1961"), headline and text as HTML with everything of ours escaped (an
//! article's markup shows as text, never runs), the kind as the slide's group,
//! the source URL as its media. Annals reads the file back as a dataset.

use std::io::Write;

use serde_json::{json, Map, Value};

use super::{citation, html_escape, Extras, Writer};
use crate::date::PartialDate;
use crate::event::Event;

#[derive(Default)]
pub(super) struct TimelineJs {
    first: bool,
}

fn date(d: &PartialDate, display: Option<&str>) -> Value {
    let mut m = Map::new();
    m.insert("year".into(), json!(d.get_year()));
    if let Some(month) = d.get_month() {
        m.insert("month".into(), json!(month));
    }
    if let Some(day) = d.get_day() {
        m.insert("day".into(), json!(day));
    }
    if let Some((h, min)) = d.get_time() {
        m.insert("hour".into(), json!(h));
        m.insert("minute".into(), json!(min));
    }
    if let Some(t) = display {
        m.insert("display_date".into(), json!(t));
    }
    Value::Object(m)
}

impl Writer for TimelineJs {
    fn head(&mut self, out: &mut dyn Write, total: u64) -> std::io::Result<()> {
        self.first = true;
        let title = json!({
            "text": {
                "headline": "Annals timeline",
                "text": format!("<p>{total} events exported from Annals.</p>"),
            }
        });
        out.write_all(b"{\"title\":")?;
        serde_json::to_writer(&mut *out, &title).map_err(std::io::Error::from)?;
        out.write_all(b",\"events\":[")
    }

    fn event(&mut self, out: &mut dyn Write, e: &Event, x: &Extras<'_>) -> std::io::Result<bool> {
        if !std::mem::take(&mut self.first) {
            out.write_all(b",")?;
        }
        out.write_all(b"\n")?;
        let mut text = String::new();
        for para in e.summary.split('\n').filter(|p| !p.trim().is_empty()) {
            text.push_str(&format!("<p>{}</p>", html_escape(para.trim())));
        }
        let place = x.place(e);
        if !place.is_empty() {
            text.push_str(&format!("<p><em>{}</em></p>", html_escape(&place)));
        }
        let cite = citation(e, x);
        if !cite.is_empty() {
            text.push_str(&format!(
                "<p><small>Source: {}</small></p>",
                html_escape(&cite)
            ));
        }
        let mut slide = json!({
            "unique_id": format!("annals-{}", e.id),
            "start_date": date(&e.date.start, Some(&e.date_text)),
            "text": {"headline": html_escape(&e.title), "text": text},
            "group": e.kind.label(),
        });
        if let Some(end) = &e.date.end {
            slide["end_date"] = date(end, None);
        }
        if let Some(url) = x.url() {
            slide["media"] = json!({"url": url});
        }
        serde_json::to_writer(&mut *out, &slide).map_err(std::io::Error::from)?;
        Ok(true)
    }

    fn tail(&mut self, out: &mut dyn Write) -> std::io::Result<()> {
        out.write_all(b"\n]}\n")
    }
}
