//! `annals extract [--dct YYYY-MM-DD] [--format timex-json|json] FILE` (`-` for stdin):
//! the date expressions of one file, as TIMEX3.
//!
//! * `timex-json` (default): a JSON array of `{"start","end","text","type","value"}`,
//!   offsets in Unicode characters of the file's text exactly as read.
//! * `json`: `{"article": {title, byline, source, dateline, published_printed,
//!   published, warnings}, "dct", "dct_source": "flag"|"dateline"|null,
//!   "timexes": [...], "events": [...]}`: the file read as an article (any encoding,
//!   HTML, Markdown), every field of each expression, and the proposed events, each
//!   with `title`, `kind`, `start`, `end`, `precision`, `countries`, `mission`
//!   (`kind`, `country`, `host`, `city`), `quote`, `confidence`, `background`.
//!
//! Without `--dct` the publication date is read from the dateline, when one of the
//! first lines holds a full date ("By Patrick Goodenough | July 7, 2008 | 8:11 PM EDT").
//! Exit codes: 0 done, 2 bad usage or unreadable, binary or non-UTF-8 input.

use std::io::{Read, Write};

use annals_core::timex::{self, Timex};
use annals_core::{extract, intake};
use chrono::NaiveDate;

const USAGE: &str = "usage: annals extract [--dct YYYY-MM-DD] [--format timex-json|json] FILE|-";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    TimexJson,
    Json,
}

#[derive(Debug)]
struct Options {
    dct: Option<NaiveDate>,
    format: Format,
    input: String,
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut dct = None;
    let mut format = Format::TimexJson;
    let mut input = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag {
            "--dct" => {
                let v = value("--dct")?;
                let d = NaiveDate::parse_from_str(&v, "%Y-%m-%d")
                    .map_err(|_| format!("--dct `{v}` is not a date as YYYY-MM-DD"))?;
                dct = Some(d);
            }
            "--format" => {
                format = match value("--format")?.as_str() {
                    "timex-json" => Format::TimexJson,
                    "json" => Format::Json,
                    other => return Err(format!("unknown format `{other}` (timex-json or json)")),
                }
            }
            "-h" | "--help" => return Err(String::new()),
            f if f.starts_with('-') && f != "-" => return Err(format!("unknown option `{f}`")),
            _ => {
                if input.replace(arg.clone()).is_some() {
                    return Err("give one FILE".into());
                }
            }
        }
    }
    let input = input.ok_or_else(|| "missing FILE (or - for stdin)".to_string())?;
    Ok(Options { dct, format, input })
}

pub(crate) fn read_input(path: &str) -> Result<String, String> {
    let mut bytes = Vec::new();
    let read = if path == "-" {
        std::io::stdin().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes).map(|_| ()))
    };
    let name = if path == "-" { "standard input" } else { path };
    read.map_err(|e| format!("cannot read {name}: {e}"))?;
    if bytes.contains(&0) {
        return Err(format!(
            "{name} looks binary (it holds NUL bytes); give a text file"
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{name} is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

/// The publication date printed in the first lines of an article, if any: the
/// same reading `import` uses.
pub fn dateline(text: &str) -> Option<NaiveDate> {
    annals_core::intake::printed_date(text)
}

fn render(
    format: Format,
    dct: Option<NaiveDate>,
    source: Option<&str>,
    timexes: &[Timex],
) -> String {
    let value = match format {
        Format::TimexJson => serde_json::Value::Array(
            timexes
                .iter()
                .map(|t| {
                    serde_json::json!({
                        "start": t.start,
                        "end": t.end,
                        "text": t.text,
                        "type": t.kind.as_str(),
                        "value": t.value,
                    })
                })
                .collect(),
        ),
        Format::Json => serde_json::json!({
            "dct": dct.map(|d| d.format("%Y-%m-%d").to_string()),
            "dct_source": source,
            "timexes": timexes,
        }),
    };
    value.to_string()
}

/// `--format json`: the article as imported (intake: any encoding, HTML, Markdown),
/// its head, its date expressions and its proposed events.
fn run_json(opts: &Options) -> u8 {
    let (name, bytes) = if opts.input == "-" {
        let mut b = Vec::new();
        if let Err(e) = std::io::stdin().read_to_end(&mut b) {
            eprintln!("annals extract: cannot read standard input: {e}");
            return 2;
        }
        ("stdin.txt".to_string(), b)
    } else {
        match std::fs::read(&opts.input) {
            Ok(b) => (opts.input.clone(), b),
            Err(e) => {
                eprintln!("annals extract: cannot read {}: {e}", opts.input);
                return 2;
            }
        }
    };
    let doc = match intake::Format::from_name(&name).and_then(|f| intake::read(&bytes, f)) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("annals extract: {}: {e}", opts.input);
            return 2;
        }
    };
    for w in &doc.warnings {
        eprintln!("annals extract: {}: warning: {w}", opts.input);
    }
    let printed = doc.head.published_printed.map(|p| p.first_day());
    let (dct, source) = match (opts.dct, printed) {
        (Some(d), _) => (Some(d), Some("flag")),
        (None, Some(d)) => (Some(d), Some("dateline")),
        (None, None) => (None, None),
    };
    if let Err(e) = annals_core::syntax::model() {
        eprintln!("annals extract: {e}");
        return 1;
    }
    let x = extract::extract(&doc.text, &doc.head, dct);
    let events: Vec<serde_json::Value> = x
        .proposals
        .iter()
        .map(|p| event_json(p, &x.timexes))
        .collect();
    let out = serde_json::json!({
        "article": {
            "title": doc.head.title,
            "byline": doc.head.byline,
            "source": doc.head.source,
            "dateline": doc.head.dateline,
            "published_printed": doc.head.published_printed.map(|p| p.to_string()),
            "published": dct.map(|d| d.format("%Y-%m-%d").to_string()),
            "warnings": doc.warnings,
        },
        "dct": dct.map(|d| d.format("%Y-%m-%d").to_string()),
        "dct_source": source,
        "timexes": x.timexes,
        "events": events,
    });
    let mut stdout = crate::output::stdout();
    match serde_json::to_writer_pretty(&mut stdout, &out)
        .map_err(std::io::Error::from)
        .and_then(|_| writeln!(stdout))
        .and_then(|_| stdout.flush())
    {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("annals extract: cannot write output: {e}");
            1
        }
    }
}

/// One proposed event as `extract --format json` prints it. `date` is the
/// date as TimeML writes a TIMEX3 value (ISO 8601: "2002-05-08", "1998-W08",
/// "1988-Q3", "1994-WI") when the event has the very date of the expression
/// that dates it, else our own notation ("2002-05-08/2002-05-10"); `start` and
/// `end` are the days it covers either way.
pub fn event_json(p: &extract::Proposal, timexes: &[timex::Timex]) -> serde_json::Value {
    let value = p
        .sources
        .first()
        .and_then(|s| timexes.get(s.timex))
        .filter(|t| t.date.as_ref() == Some(&p.date) && !t.value.is_empty())
        .map_or_else(|| p.date.to_string(), |t| t.value.clone());
    serde_json::json!({
        "title": p.title,
        "kind": p.kind.as_str(),
        "date": value,
        "start": p.date.start.to_string(),
        "end": p.date.end.map(|e| e.to_string()),
        "approximate": p.date.approximate,
        "precision": p.date.precision().as_str(),
        "countries": p.countries,
        "mission": p.mission.as_ref().map(|m| serde_json::json!({
            "kind": m.kind.as_str(),
            "country": m.country,
            "host": m.host,
            "city": m.city,
        })),
        "city": p.city,
        "country": p.country,
        "quote": p.sources.first().map(|s| s.quote.as_str()),
        "date_text": p.sources.first().map(|s| s.date_text.as_str()),
        "confidence": (p.confidence * 100.0).round() / 100.0,
        "background": p.background,
        "sources": p.sources,
    })
}

/// Runs `annals extract ARGS`, returns the process exit code.
pub fn run(args: &[String]) -> u8 {
    let opts = match parse_args(args) {
        Ok(o) => o,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("annals extract: {e}");
            }
            eprintln!("{USAGE}");
            return 2;
        }
    };
    if opts.format == Format::Json {
        return run_json(&opts);
    }
    let text = match read_input(&opts.input) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("annals extract: {e}");
            return 2;
        }
    };
    let (dct, source) = match opts.dct {
        Some(d) => (Some(d), Some("flag")),
        None => match dateline(&text) {
            Some(d) => (Some(d), Some("dateline")),
            None => (None, None),
        },
    };
    let timexes = timex::tag(&text, dct);
    let out = render(opts.format, dct, source, &timexes);
    let mut stdout = crate::output::stdout();
    match writeln!(stdout, "{out}").and_then(|_| stdout.flush()) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("annals extract: cannot write output: {e}");
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &[&str]) -> Vec<String> {
        s.iter().map(|a| a.to_string()).collect()
    }

    #[test]
    fn options_parse_in_both_spellings() {
        let o = parse_args(&args(&["--dct", "2002-05-10", "--format=json", "a.txt"]))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(o.dct, NaiveDate::from_ymd_opt(2002, 5, 10));
        assert_eq!(o.format, Format::Json);
        assert_eq!(o.input, "a.txt");
    }

    #[test]
    fn bad_options_are_errors() {
        assert!(parse_args(&args(&["--dct", "10/05/2002", "a"])).is_err());
        assert!(parse_args(&args(&["--frobnicate", "a"])).is_err());
        assert!(parse_args(&args(&["--format", "xml", "a"])).is_err());
        assert!(parse_args(&args(&[])).is_err());
        assert!(parse_args(&args(&["a", "b"])).is_err());
        assert!(parse_args(&args(&["-"])).is_ok());
    }

    #[test]
    fn the_dateline_gives_the_publication_date() {
        let text = "China, Japan In Diplomatic Row\n\nBy Patrick Goodenough | July 7, 2008 | 8:11 PM EDT\n\nWednesday's incident";
        assert_eq!(dateline(text), NaiveDate::from_ymd_opt(2008, 7, 7));
        assert_eq!(dateline("No date here.\nNone at all."), None);
    }

    #[test]
    fn timex_json_has_exactly_the_scorer_fields() {
        let t = timex::tag("on Friday", NaiveDate::from_ymd_opt(2002, 5, 10));
        let out = render(Format::TimexJson, None, None, &t);
        assert_eq!(
            out,
            r#"[{"end":9,"start":3,"text":"Friday","type":"DATE","value":"2002-05-10"}]"#
        );
    }
}
