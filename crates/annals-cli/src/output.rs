//! How `annals list` and `annals add` print events (an aligned table, JSON, or
//! CSV) and where `annals export` writes.

use std::io::Write;

use annals_core::event::Event;

use crate::{Failure, Format};

pub fn print_events(events: &[Event], format: Format, total: u32) -> Result<(), Failure> {
    let out = std::io::stdout();
    let mut out = out.lock();
    let result = match format {
        Format::Json => serde_json::to_writer_pretty(&mut out, events)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out)),
        Format::Csv => write_csv(&mut out, events),
        Format::Table => write_table(&mut out, events, total),
    };
    match result {
        // A closed pipe (`annals list | head`) is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure {
            message: format!("cannot write output: {e}"),
            code: 1,
        }),
        Ok(()) => Ok(()),
    }
}

/// `annals export`: events in an export format, or one article as TimeML, to
/// standard output or a file (written whole, then renamed over it).
pub fn export(
    db: &annals_core::Db,
    filter: annals_core::query::EventFilter,
    format: &str,
    article: Option<i64>,
    output: Option<std::path::PathBuf>,
    now: &str,
) -> Result<(), Failure> {
    use annals_core::export;
    let usage = |message: String| Failure { message, code: 2 };
    let written = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::BrokenPipe => Ok(()),
        _ => Err(Failure {
            message: format!("cannot write output: {e}"),
            code: 1,
        }),
    };
    if let Some(id) = article {
        if !format.eq_ignore_ascii_case("timeml") {
            return Err(usage(format!(
                "an article exports as TimeML only: give --format timeml, not `{format}`"
            )));
        }
        let doc = export::article_timeml(db, id)?;
        return match output {
            Some(path) => Ok(export::whole_file(&path, |out| {
                out.write_all(doc.as_bytes())
                    .map_err(|e| annals_core::Error::Io {
                        context: format!("cannot write {}", path.display()),
                        source: e,
                    })
            })?),
            None => std::io::stdout()
                .lock()
                .write_all(doc.as_bytes())
                .or_else(written),
        };
    }
    if format.eq_ignore_ascii_case("timeml") {
        return Err(usage(
            "TimeML is the format of one article: give --article ID".into(),
        ));
    }
    let format: export::Format = format.parse()?;
    let progress = &mut |_| {};
    let summary = match &output {
        Some(path) => export::to_file(db, &filter, format, now, path, progress)?,
        None => {
            let out = std::io::stdout();
            let mut out = std::io::BufWriter::new(out.lock());
            match export::write(db, &filter, format, now, &mut out, progress) {
                Err(annals_core::Error::Io { source, .. })
                    if source.kind() == std::io::ErrorKind::BrokenPipe =>
                {
                    return Ok(())
                }
                r => r?,
            }
        }
    };
    let mut note = format!("exported {} events", summary.events);
    if summary.left_out > 0 {
        note.push_str(&format!(
            "; {} left out that {} cannot hold (years before 1 or after 9999)",
            summary.left_out,
            format.as_str()
        ));
    }
    if let Some(path) = output {
        note.push_str(&format!(" to {}", printable(&path.display().to_string())));
    }
    eprintln!("annals: {note}");
    Ok(())
}

fn place(e: &Event) -> String {
    match (&e.mission_name, &e.city) {
        (Some(m), _) => m.clone(),
        (None, Some(c)) => c.clone(),
        (None, None) => String::new(),
    }
}

/// Text from articles and users, made safe to print on a terminal: control
/// characters (C0, DEL, C1: ESC starts the sequences that recolour, retitle or
/// rewrite a terminal) and the bidirectional overrides and isolates (which make
/// text read other than it is) become visible `\u{..}` escapes; tabs and line
/// breaks become spaces, so one item stays one line.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        c.is_control()
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !s.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\t' | '\n' | '\r' => out.push(' '),
            c if unsafe_char(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

fn truncate(s: &str, n: usize) -> String {
    let s = printable(s);
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let cut: String = s.chars().take(n.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

fn write_table(out: &mut impl Write, events: &[Event], total: u32) -> std::io::Result<()> {
    let rows: Vec<[String; 6]> = events
        .iter()
        .map(|e| {
            [
                e.id.to_string(),
                e.date_text.clone(),
                e.kind.as_str().to_string(),
                truncate(&e.title, 70),
                truncate(&place(e), 32),
                e.countries.join(","),
            ]
        })
        .collect();
    let header = ["ID", "DATE", "KIND", "TITLE", "PLACE", "COUNTRIES"];
    let mut widths = header.map(|h| h.chars().count());
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: [&str; 6]| -> String {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w.saturating_sub(c.chars().count()))))
            .collect();
        padded.join("  ").trim_end().to_string()
    };
    writeln!(out, "{}", line(header))?;
    for r in &rows {
        writeln!(out, "{}", line([&r[0], &r[1], &r[2], &r[3], &r[4], &r[5]]))?;
    }
    let shown = events.len();
    if u32::try_from(shown).unwrap_or(u32::MAX) < total {
        writeln!(
            out,
            "({shown} of {total} events; raise --limit to see more)"
        )?;
    } else {
        writeln!(out, "({shown} events)")?;
    }
    Ok(())
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn write_csv(out: &mut impl Write, events: &[Event]) -> std::io::Result<()> {
    writeln!(
        out,
        "id,start,end,approximate,precision,date_text,kind,title,summary,city,country,mission,countries,status,origin,source_quote"
    )?;
    for e in events {
        let fields = [
            e.id.to_string(),
            e.date.start.to_string(),
            e.date.end.map(|d| d.to_string()).unwrap_or_default(),
            e.date.approximate.to_string(),
            e.precision.as_str().to_string(),
            e.date_text.clone(),
            e.kind.as_str().to_string(),
            e.title.clone(),
            e.summary.clone(),
            e.city.clone().unwrap_or_default(),
            e.country.clone().unwrap_or_default(),
            e.mission_name.clone().unwrap_or_default(),
            e.countries.join(" "),
            e.status.as_str().to_string(),
            e.origin.as_str().to_string(),
            e.sources
                .first()
                .map(|s| s.quote.clone())
                .unwrap_or_default(),
        ];
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        writeln!(out, "{}", line.join(","))?;
    }
    Ok(())
}
