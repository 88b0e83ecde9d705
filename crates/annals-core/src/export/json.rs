//! JSON: `{"format": "annals-events", "version": 1, "count": N, "events":
//! [...]}`, each event as the app and `annals list --format json` give it, with
//! `lat`, `lon` and `dataset` (the row it was imported from) added.

use std::io::Write;

use serde::Serialize;

use super::{Extras, Writer};
use crate::event::Event;
use crate::store::DatasetSource;

#[derive(Default)]
pub(super) struct Json {
    first: bool,
}

#[derive(Serialize)]
struct Exported<'a> {
    #[serde(flatten)]
    event: &'a Event,
    lat: Option<f64>,
    lon: Option<f64>,
    dataset: Option<&'a DatasetSource>,
}

impl Writer for Json {
    fn head(&mut self, out: &mut dyn Write, total: u64) -> std::io::Result<()> {
        self.first = true;
        write!(
            out,
            "{{\"format\":\"annals-events\",\"version\":1,\"count\":{total},\"events\":["
        )
    }

    fn event(&mut self, out: &mut dyn Write, e: &Event, x: &Extras<'_>) -> std::io::Result<bool> {
        if !std::mem::take(&mut self.first) {
            out.write_all(b",")?;
        }
        out.write_all(b"\n")?;
        let v = Exported {
            event: e,
            lat: x.lat,
            lon: x.lon,
            dataset: x.dataset.as_ref(),
        };
        serde_json::to_writer(&mut *out, &v).map_err(std::io::Error::from)?;
        Ok(true)
    }

    fn tail(&mut self, out: &mut dyn Write) -> std::io::Result<()> {
        out.write_all(b"\n]}\n")
    }
}
