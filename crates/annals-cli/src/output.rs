//! How `annals list` and `annals add` print events (an aligned table, JSON, or
//! CSV) and where `annals export` writes.

use std::io::Write;

use annals_core::event::Event;

use crate::{Failure, Format};

pub fn print_events(events: &[Event], format: Format, total: u32) -> Result<(), Failure> {
    let mut out = stdout();
    let result = match format {
        Format::Json => serde_json::to_writer_pretty(&mut out, events)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out)),
        Format::Csv => write_csv(&mut out, events),
        Format::Table => write_table(&mut out, events, total),
    }
    .and_then(|()| out.flush());
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
            None => {
                let mut out = stdout();
                out.write_all(doc.as_bytes())
                    .and_then(|()| out.flush())
                    .or_else(written)
            }
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
            let mut out = std::io::BufWriter::new(stdout());
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

/// Standard output for what came from articles, datasets and users: when it is
/// a terminal, through [`Visible`] (an ESC in a title must not recolour or
/// retitle the terminal); piped or redirected, the bytes as written, so a CSV
/// or JSON file keeps its data exactly.
pub fn stdout() -> Box<dyn Write> {
    use std::io::IsTerminal;
    let out = std::io::stdout();
    if out.is_terminal() {
        Box::new(Visible::new(out.lock()))
    } else {
        Box::new(out.lock())
    }
}

/// A writer that passes text through [`printable`]'s rule as it streams, but
/// keeps line breaks and tabs (a CSV field may span lines): control characters
/// and bidi overrides become `\u{..}`, bytes that are not UTF-8 `\x..`. A
/// character split across two writes is held until its last byte comes.
pub struct Visible<W: Write> {
    inner: W,
    pending: Vec<u8>,
}

impl<W: Write> Visible<W> {
    pub fn new(inner: W) -> Self {
        Visible {
            inner,
            pending: Vec::new(),
        }
    }

    /// Writes out what `pending` holds up to an incomplete character at its end
    /// (all of it when `last`).
    fn drain(&mut self, last: bool) -> std::io::Result<()> {
        let mut out = String::with_capacity(self.pending.len() + 16);
        let mut at = 0;
        while at < self.pending.len() {
            match std::str::from_utf8(&self.pending[at..]) {
                Ok(text) => {
                    push_visible(&mut out, text);
                    at = self.pending.len();
                }
                Err(e) => {
                    let good = e.valid_up_to();
                    let text = std::str::from_utf8(&self.pending[at..at + good]).unwrap_or("");
                    push_visible(&mut out, text);
                    at += good;
                    match e.error_len() {
                        Some(n) => {
                            for b in &self.pending[at..at + n] {
                                out.push_str(&format!("\\x{b:02x}"));
                            }
                            at += n;
                        }
                        // An incomplete character at the end: wait for the rest.
                        None if !last => break,
                        None => {
                            for b in &self.pending[at..] {
                                out.push_str(&format!("\\x{b:02x}"));
                            }
                            at = self.pending.len();
                        }
                    }
                }
            }
        }
        self.pending.drain(..at);
        self.inner.write_all(out.as_bytes())
    }
}

fn push_visible(out: &mut String, text: &str) {
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        for piece in body.split_inclusive('\t') {
            let (cell, tab) = match piece.strip_suffix('\t') {
                Some(c) => (c, "\t"),
                None => (piece, ""),
            };
            out.push_str(&printable(cell));
            out.push_str(tab);
        }
        out.push_str(end);
    }
}

impl<W: Write> Write for Visible<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        self.drain(false)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.drain(true)?;
        self.inner.flush()
    }
}

impl<W: Write> Drop for Visible<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

#[cfg(test)]
mod visible_tests {
    use super::*;

    fn shown(chunks: &[&[u8]]) -> String {
        let mut v = Visible::new(Vec::new());
        for c in chunks {
            v.write_all(c).unwrap();
        }
        v.flush().unwrap();
        String::from_utf8(std::mem::take(&mut v.inner)).unwrap()
    }

    #[test]
    fn escape_sequences_and_bidi_overrides_show_as_text_but_lines_and_tabs_stay() {
        let out = shown(&[b"1,\x1b]0;owned\x07Title\ta\n2,\xe2\x80\xaeevil\r\n"]);
        assert_eq!(out, "1,\\u{1b}]0;owned\\u{7}Title\ta\n2,\\u{202e}evil \n");
    }

    #[test]
    fn a_character_split_between_writes_is_kept_whole_and_bad_bytes_are_shown() {
        let e_acute = "é".as_bytes();
        assert_eq!(
            shown(&[b"caf", &e_acute[..1], &e_acute[1..], b"!"]),
            "café!"
        );
        assert_eq!(shown(&[b"a\xffb", b"\xc3"]), "a\\xffb\\xc3");
    }
}
