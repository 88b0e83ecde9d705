//! GeoJSON (RFC 7946): a FeatureCollection, one Feature an event. An event
//! with coordinates is a Point (`[longitude, latitude]`, WGS 84, six decimals:
//! about 0.1 m); one without has a null geometry, which the RFC allows for an
//! unlocated feature, so the file holds every event the filter chose and a map
//! shows those it can place. Time and everything else is in `properties`.

use std::io::Write;

use serde_json::{json, Value};

use super::{citation, Extras, Writer};
use crate::event::Event;

#[derive(Default)]
pub(super) struct GeoJson {
    first: bool,
}

fn round6(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

impl Writer for GeoJson {
    fn head(&mut self, out: &mut dyn Write, _total: u64) -> std::io::Result<()> {
        self.first = true;
        out.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[")
    }

    fn event(&mut self, out: &mut dyn Write, e: &Event, x: &Extras<'_>) -> std::io::Result<bool> {
        if !std::mem::take(&mut self.first) {
            out.write_all(b",")?;
        }
        out.write_all(b"\n")?;
        let geometry = match (x.lat, x.lon) {
            (Some(lat), Some(lon)) => json!({
                "type": "Point",
                "coordinates": [round6(lon), round6(lat)],
            }),
            _ => Value::Null,
        };
        let d = e.date;
        let feature = json!({
            "type": "Feature",
            "id": e.id,
            "geometry": geometry,
            "properties": {
                "title": e.title,
                "description": e.summary,
                "kind": e.kind.as_str(),
                "start": d.start.to_string(),
                "end": d.end.map(|x| x.to_string()),
                "approximate": d.approximate,
                "precision": e.precision.as_str(),
                "date_text": e.date_text,
                "place": x.place(e),
                "city": e.city,
                "country": e.country,
                "countries": e.countries,
                "mission": e.mission_name,
                "status": e.status.as_str(),
                "source_url": x.url(),
                "citation": citation(e, x),
            },
        });
        serde_json::to_writer(&mut *out, &feature).map_err(std::io::Error::from)?;
        Ok(true)
    }

    fn tail(&mut self, out: &mut dyn Write) -> std::io::Result<()> {
        out.write_all(b"\n]}\n")
    }
}
