//! `annals`: the command line over annals-core. Same database, same queries as
//! the desktop app.

mod extract;
mod import;
mod output;
mod parse;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use annals_core::event::{EventInput, EventKind, NewEvent, Status};
use annals_core::query::EventFilter;
use annals_core::{Db, Error};
use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "annals",
    version,
    about = "Timelines of what happened, from news reports"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Json,
    Csv,
}

#[derive(clap::Args)]
struct DbArg {
    /// The database file [default: $ANNALS_DB, else the app's data folder]
    #[arg(long, value_name = "PATH")]
    db: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// List events in chronological order, filtered.
    List {
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        filter: FilterArgs,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
        /// At most this many events
        #[arg(long, default_value_t = 10_000)]
        limit: u32,
    },
    /// Write the events the filters select, in chronological order, in a format
    /// other programs read: csv (spreadsheets; imports back into Annals as the
    /// same events), json, timelinejs (TimelineJS 3), ical (RFC 5545 calendars),
    /// geojson (RFC 7946 maps). With --article, one article as TimeML (its date
    /// expressions as TIMEX3). Exit 0 when written, 1 when it failed, 2 on bad
    /// arguments.
    Export {
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        filter: FilterArgs,
        /// csv, json, timelinejs, ical or geojson; timeml with --article
        #[arg(long, value_name = "FORMAT")]
        format: String,
        /// Export this article (its id, as `annals list --format json` shows in
        /// each source) as TimeML instead of events
        #[arg(long, value_name = "ID")]
        article: Option<i64>,
        /// The file to write (replaced only by a whole export) [default: standard output]
        #[arg(long, short, value_name = "PATH")]
        output: Option<PathBuf>,
    },
    /// Add an event by hand.
    Add {
        #[command(flatten)]
        db: DbArg,
        #[arg(long)]
        title: String,
        /// Start date: YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM
        #[arg(long)]
        date: String,
        /// End date of a range, inclusive
        #[arg(long)]
        end: Option<String>,
        /// The date is approximate
        #[arg(long)]
        approximate: bool,
        #[arg(long, default_value = "other")]
        kind: String,
        #[arg(long, default_value = "")]
        summary: String,
        #[arg(long)]
        city: Option<String>,
        /// Where it happened (code or name)
        #[arg(long, value_name = "CODE|NAME")]
        location: Option<String>,
        /// Mission, by name ("Japanese Consulate, Shenyang") or id
        #[arg(long)]
        mission: Option<String>,
        /// Countries involved (code or name); repeat or separate with commas
        #[arg(long, value_name = "CODE|NAME", value_delimiter = ',')]
        country: Vec<String>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Fill the database with the seed article and its curated events (once).
    Seed {
        #[command(flatten)]
        db: DbArg,
    },
    /// Write a synthetic timeline into an empty database, for tests and
    /// benchmarks: countries and missions of skewed frequencies, bursts of events
    /// around incidents, dates of every precision, ranges, some still proposed.
    /// The same seed gives the same events.
    Gen {
        #[command(flatten)]
        db: DbArg,
        /// How many events
        #[arg(long, value_name = "N")]
        events: usize,
        /// The generator's seed
        #[arg(long, value_name = "S", default_value_t = 1)]
        seed: u64,
    },
    /// Read every page of the database (SQLite's quick_check), which opening does
    /// only for small databases and after an unclean shutdown. Exit 0 when it is
    /// sound, 1 when it is damaged.
    Check {
        #[command(flatten)]
        db: DbArg,
    },
    /// Import articles (.txt, .text, .md, .markdown, .html, .htm, .xhtml), corpora
    /// (.jsonl, .ndjson: a story a line) and folders of them: each article whole or
    /// not at all, its events proposed for review. Datasets (.csv, .tsv, .tab:
    /// any columns through a mapping, ACLED exports, GDELT 1.0/2.0 event files;
    /// .json: TimelineJS) become one accepted event a row, each file whole or not
    /// at all, idempotent by row id. Exit 0 when everything was imported, 1 when
    /// some were skipped or had bad lines or rows, 2 on bad arguments.
    Import {
        #[command(flatten)]
        db: DbArg,
        /// The publication date relative dates count from (YYYY-MM-DD); it wins over
        /// a corpus story's own date and the one the dateline prints
        #[arg(long, value_name = "DATE")]
        dct: Option<String>,
        /// Read every FILE as JSON Lines of news stories (`{"id", "dct", "text"}`
        /// per line), each imported as its own article, whatever its extension
        #[arg(long)]
        jsonl: bool,
        /// Print only the summary
        #[arg(long, short)]
        quiet: bool,
        /// Read every FILE as a dataset in this format (csv, tsv, acled, gdelt1,
        /// gdelt2, timelinejs) instead of telling it from its name and first line
        #[arg(long = "format", value_name = "FORMAT")]
        dataset_format: Option<String>,
        /// A CSV/TSV mapping (JSON: which column is the date, title, ...; see
        /// `annals preview`); without one, the mapping last used for the same
        /// columns, else the one proposed from the column names
        #[arg(long, value_name = "MAPPING.json")]
        map: Option<PathBuf>,
        /// The dataset's name, part of each row's identity [default: ACLED,
        /// GDELT 1.0, GDELT 2.0, or the file's name without extension]
        #[arg(long, value_name = "NAME")]
        dataset: Option<String>,
        /// Import a dataset's readable rows and list the others, instead of
        /// refusing a file with bad rows
        #[arg(long)]
        skip_bad_rows: bool,
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Show how a dataset file would be read: its format, columns, first rows and
    /// the mapping proposed (JSON; save the `mapping` part, edit it, and give it
    /// to `import --map`).
    Preview {
        #[command(flatten)]
        db: DbArg,
        /// The format, instead of telling it from the file
        #[arg(long, value_name = "FORMAT")]
        format: Option<String>,
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Correct an article's publication date: its relative dates are resolved again
    /// and accepted events that move go back to review.
    Redate {
        #[command(flatten)]
        db: DbArg,
        /// The article's id
        article: i64,
        /// The corrected publication date (YYYY-MM-DD)
        date: String,
        /// Why ("the printed dateline is wrong")
        #[arg(long)]
        note: Option<String>,
    },
    /// Copy the database to a new file, consistent even while the app is writing.
    /// Exit 0 when written, 1 when it failed, 2 on bad arguments.
    Backup {
        #[command(flatten)]
        db: DbArg,
        /// The copy to write; it must not exist yet
        #[arg(value_name = "PATH")]
        path: PathBuf,
    },
    /// Replace the database with a backup. The backup is checked first (integrity,
    /// an Annals database, not from a newer Annals) and a bad one is refused with
    /// the database untouched; the replaced database is kept beside it. Exit 0 when
    /// restored, 1 when refused or failed, 2 on bad arguments.
    Restore {
        #[command(flatten)]
        db: DbArg,
        /// The backup to restore from
        #[arg(value_name = "PATH")]
        path: PathBuf,
    },
    /// Words, lemmas, part-of-speech tags and dependency trees of a text, as
    /// CoNLL-U (Universal Dependencies). Exit 2 on unreadable or malformed input.
    Parse {
        /// FILE is CoNLL-U: keep its words and sentences, predict the rest
        #[arg(long)]
        conllu_in: bool,
        /// A UTF-8 text file, or - for standard input
        #[arg(value_name = "FILE")]
        file: String,
    },
    /// Date expressions in a text file, as TIMEX3 (see `annals extract --help`).
    #[command(disable_help_flag = true)]
    Extract {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
}

/// The filters `list` and `export` share: the window's filter panel, as flags.
#[derive(clap::Args)]
struct FilterArgs {
    /// Involving this country (alpha-2 code, name or demonym); repeat for any of several
    #[arg(long, value_name = "CODE|NAME")]
    country: Vec<String>,
    /// At a mission whose name contains TEXT ("Spanish Embassy"); repeat for any of several
    #[arg(long, value_name = "TEXT")]
    mission: Vec<String>,
    /// Of this kind (entry, removal, arrest, repatriation, ...); repeat for any of several
    #[arg(long, value_name = "KIND")]
    kind: Vec<String>,
    /// In this review status (proposed, accepted, rejected); repeat for any of several
    #[arg(long, value_name = "STATUS")]
    status: Vec<String>,
    /// Overlapping this date or later (YYYY, YYYY-MM or YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Overlapping this date or earlier
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    /// Words in the title, summary, place or source sentence
    #[arg(long, value_name = "TEXT")]
    q: Option<String>,
}

impl FilterArgs {
    fn filter(self, db: &Db) -> Result<EventFilter, Failure> {
        let mut filter = EventFilter {
            from: self.from.as_deref().map(|d| date(d, "from")).transpose()?,
            to: self.to.as_deref().map(|d| date(d, "to")).transpose()?,
            text: self.q,
            ..EventFilter::default()
        };
        for c in &self.country {
            filter.countries.push(country_code(db, c)?);
        }
        for m in &self.mission {
            filter.missions.extend(mission_ids(db, m)?);
        }
        for k in &self.kind {
            filter.kinds.push(k.parse::<EventKind>()?);
        }
        for s in &self.status {
            filter.statuses.push(s.parse::<Status>()?);
        }
        Ok(filter)
    }
}

/// A failure the user can act on: message and exit code.
pub(crate) struct Failure {
    pub(crate) message: String,
    pub(crate) code: u8,
}

/// The database this run works on, once `database_path` has chosen it, so that a
/// failure can say who holds it locked or which backup can replace it.
static DATABASE: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        let Some(path) = DATABASE.get() else {
            return Failure::plain(e);
        };
        let e = e.at_database(path);
        // The database itself is damaged (not a backup offered to `restore`).
        let damaged =
            matches!(&e, Error::Damaged { path: p, .. } if *p == path.display().to_string());
        let mut f = Failure::plain(e);
        if damaged {
            f.message.push_str(&match annals_core::store::latest_backup(path) {
                Some(backup) => format!(
                    "\nthe latest good backup is {}; restore it with:\n  annals restore --db {} {}\n(the damaged file is kept beside it)",
                    backup.display(),
                    shell_word(path),
                    shell_word(&backup)
                ),
                None => format!(
                    "\nthere is no usable backup in {}",
                    annals_core::store::backup_dir(path).display()
                ),
            });
        }
        f
    }
}

/// `path` as one word for a POSIX shell: as it is when it is plain, else quoted.
fn shell_word(path: &std::path::Path) -> String {
    let text = path.display().to_string();
    if text
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"/._-+,:@".contains(&b))
    {
        text
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

impl Failure {
    fn plain(e: Error) -> Self {
        let code = if e.kind() == "invalid" || e.kind() == "not_found" {
            2
        } else {
            1
        };
        Failure {
            message: e.to_string(),
            code,
        }
    }
}

fn usage(message: impl Into<String>) -> Failure {
    Failure {
        message: message.into(),
        code: 2,
    }
}

/// The database the desktop app uses, unless `--db` or `ANNALS_DB` says otherwise.
fn database_path(arg: Option<PathBuf>) -> PathBuf {
    let path = choose_database(arg);
    let _ = DATABASE.set(path.clone());
    path
}

fn choose_database(arg: Option<PathBuf>) -> PathBuf {
    if let Some(p) = arg {
        return p;
    }
    if let Some(p) = std::env::var_os("ANNALS_DB").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    const IDENTIFIER: &str = "org.annals.desktop";
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    let base = if cfg!(target_os = "macos") {
        home.join("Library/Application Support")
    } else if cfg!(windows) {
        std::env::var_os("APPDATA")
            .map(PathBuf::from)
            .unwrap_or(home)
    } else {
        std::env::var_os("XDG_DATA_HOME")
            .map(PathBuf::from)
            .unwrap_or_else(|| home.join(".local/share"))
    };
    base.join(IDENTIFIER).join("annals.sqlite3")
}

fn open(arg: DbArg) -> Result<Db, Failure> {
    let mut db = Db::open(&database_path(arg.db))?;
    annals_core::seed::ensure_countries(&mut db)?;
    Ok(db)
}

/// Opens the database for a command that writes, after today's backup of it into
/// `backups/` beside it (one a day, the newest seven kept). A backup that fails is
/// reported but does not stop the command; an empty or read-only database has
/// nothing to lose and is not copied.
fn open_for_writing(arg: DbArg) -> Result<Db, Failure> {
    let path = database_path(arg.db);
    let mut db = Db::open(&path)?;
    if !db.is_read_only() && !db.is_empty()? {
        let dir = annals_core::store::backup_dir(&path);
        if let Err(e) = db.daily_backup(&dir, today()?) {
            eprintln!("annals: warning: today's backup was not written: {e}");
        }
    }
    annals_core::seed::ensure_countries(&mut db)?;
    Ok(db)
}

// The clock reads of the CLI: `now` for what it writes, `today` for backups.
#[allow(clippy::disallowed_methods)]
fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The local date; in test builds (feature `test-hooks`), `ANNALS_TODAY`
/// (YYYY-MM-DD) instead, so tests of the daily backups need no clock.
#[allow(clippy::disallowed_methods)]
fn today() -> Result<chrono::NaiveDate, Failure> {
    #[cfg(feature = "test-hooks")]
    if let Ok(day) = std::env::var("ANNALS_TODAY") {
        if !day.is_empty() {
            return chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d")
                .map_err(|_| usage(format!("ANNALS_TODAY `{day}` is not a date as YYYY-MM-DD")));
        }
    }
    Ok(chrono::Local::now().date_naive())
}

fn country_code(db: &Db, text: &str) -> Result<String, Failure> {
    db.resolve_country(text)?.ok_or_else(|| {
        usage(format!(
            "unknown country `{text}`: give an ISO 3166 code (JP) or a name (Japan)"
        ))
    })
}

fn mission_ids(db: &Db, text: &str) -> Result<Vec<i64>, Failure> {
    let found = db.find_missions(text)?;
    if found.is_empty() {
        let known: Vec<String> = db.missions()?.into_iter().map(|m| m.name).collect();
        return Err(usage(format!(
            "no mission matches `{text}`; known missions: {}",
            known.join("; ")
        )));
    }
    Ok(found.into_iter().map(|m| m.id).collect())
}

fn date(text: &str, field: &'static str) -> Result<annals_core::date::PartialDate, Failure> {
    text.parse()
        .map_err(|e: annals_core::date::DateError| usage(format!("--{field}: {e}")))
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::List {
            db,
            filter,
            format,
            limit,
        } => {
            let db = open(db)?;
            let filter = filter.filter(&db)?;
            let page = db.list(&filter, 0, limit)?;
            output::print_events(&page.events, format, page.total)
        }
        Command::Export {
            db,
            filter,
            format,
            article,
            output,
        } => {
            let db = open(db)?;
            output::export(&db, filter.filter(&db)?, &format, article, output, &now())
        }
        Command::Add {
            db,
            title,
            date: start,
            end,
            approximate,
            kind,
            summary,
            city,
            location,
            mission,
            country,
            format,
        } => {
            let mut db = open_for_writing(db)?;
            let start = date(&start, "date")?;
            let end = end.as_deref().map(|d| date(d, "end")).transpose()?;
            let date = annals_core::date::EventDate::new(start, end, approximate)
                .map_err(|e| usage(e.to_string()))?;
            let mission_id = match mission {
                None => None,
                Some(m) => match mission_ids(&db, &m)?.as_slice() {
                    [one] => Some(*one),
                    _ => {
                        return Err(usage(format!(
                            "`{m}` matches several missions; give more of its name"
                        )))
                    }
                },
            };
            let mut countries = Vec::new();
            for c in country.iter().filter(|c| !c.trim().is_empty()) {
                countries.push(country_code(&db, c)?);
            }
            let input = EventInput {
                title,
                summary,
                kind: kind.parse()?,
                date,
                city,
                country: location
                    .as_deref()
                    .map(|l| country_code(&db, l))
                    .transpose()?,
                mission_id,
                countries,
                background: false,
                planned: false,
            };
            let event = db.create_event(NewEvent::manual(input), &now())?;
            output::print_events(std::slice::from_ref(&event), format, 1)
        }
        Command::Seed { db } => {
            let mut db = open_for_writing(db)?;
            let report = annals_core::seed::seed(&mut db, &now())?;
            if report.article_inserted {
                println!("seeded: 1 article, {} events", report.events_inserted);
            } else {
                println!("already seeded: nothing added");
            }
            Ok(())
        }
        Command::Gen { db, events, seed } => {
            let mut db = open(db)?;
            let started = std::time::Instant::now();
            let spec = annals_core::synthetic::Spec { events, seed };
            annals_core::synthetic::generate(&mut db, &spec, |done| {
                if done % 100_000 == 0 {
                    eprintln!("annals: {done} events");
                }
            })?;
            println!(
                "generated {events} events (seed {seed}) in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Check { db } => {
            let db = Db::open(&database_path(db.db))?;
            db.check()?;
            println!("ok");
            Ok(())
        }
        Command::Preview { db, format, file } => {
            let format = format
                .as_deref()
                .map(str::parse::<annals_core::dataset::Format>)
                .transpose()
                .map_err(|e| usage(e.to_string()))?;
            let db = Db::open(&database_path(db.db))?;
            let preview = annals_core::dataset::preview(
                &file,
                &annals_core::dataset::DatasetOptions {
                    format,
                    ..Default::default()
                },
                &db,
            )
            .map_err(|e| Failure {
                message: format!("{}: {e}", file.display()),
                code: 1,
            })?;
            let json = serde_json::to_string_pretty(&preview).map_err(|e| Failure {
                message: e.to_string(),
                code: 1,
            })?;
            let mut out = output::stdout();
            writeln!(out, "{json}")
                .and_then(|()| out.flush())
                .map_err(|e| Failure {
                    message: format!("cannot write output: {e}"),
                    code: 1,
                })
        }
        Command::Import {
            db,
            dct,
            jsonl,
            quiet,
            dataset_format,
            map,
            dataset,
            skip_bad_rows,
            files,
        } => {
            let dct = dct
                .as_deref()
                .map(|d| {
                    chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                        .map_err(|_| usage(format!("--dct `{d}` is not a date as YYYY-MM-DD")))
                })
                .transpose()?;
            let format = dataset_format
                .as_deref()
                .map(str::parse::<annals_core::dataset::Format>)
                .transpose()
                .map_err(|e| usage(e.to_string()))?;
            let mapping = map
                .as_deref()
                .map(|path| {
                    let text = std::fs::read_to_string(path)
                        .map_err(|e| usage(format!("--map {}: {e}", path.display())))?;
                    serde_json::from_str::<annals_core::dataset::Mapping>(&text)
                        .map_err(|e| usage(format!("--map {}: not a mapping: {e}", path.display())))
                })
                .transpose()?;
            let options = annals_core::dataset::DatasetOptions {
                format,
                mapping,
                dataset,
                skip_bad_rows,
            };
            let as_dataset = |f: &PathBuf| {
                !jsonl
                    && (options.format.is_some()
                        || options.mapping.is_some()
                        || (!f.is_dir() && annals_core::dataset::is_dataset(&f.to_string_lossy())))
            };
            let (datasets, articles): (Vec<PathBuf>, Vec<PathBuf>) =
                files.into_iter().partition(|f| as_dataset(f));
            let mut db = open_for_writing(db)?;
            let now = now();
            let mut result = Ok(());
            if !articles.is_empty() {
                result = import::run(&mut db, &articles, dct, jsonl, quiet, &now);
            }
            if !datasets.is_empty() {
                let r = import::run_datasets(&mut db, datasets, &options, quiet, &now);
                result = result.and(r);
            }
            result
        }
        Command::Redate {
            db,
            article,
            date: d,
            note,
        } => {
            let mut db = open_for_writing(db)?;
            let day = date(&d, "date")?;
            let r = db.set_publication_date(article, day, note.as_deref(), &now())?;
            println!(
                "article {article}: publication date {day}; {} events moved, {} sent back to review",
                r.moved, r.sent_back
            );
            Ok(())
        }
        Command::Backup { db, path } => {
            let source = database_path(db.db);
            if !source.is_file() {
                return Err(usage(format!(
                    "there is no database at {}; give it with --db",
                    source.display()
                )));
            }
            Db::open(&source)?.backup_to(&path)?;
            println!("backed up {} to {}", source.display(), path.display());
            Ok(())
        }
        Command::Restore { db, path } => {
            let target = database_path(db.db);
            let restored = annals_core::store::restore_from(&path, &target).map_err(|e| {
                let mut f = Failure::from(e);
                f.message = format!("{}; {} was not changed", f.message, target.display());
                f
            })?;
            println!(
                "restored {} from {} (schema {})",
                target.display(),
                path.display(),
                restored.schema_version
            );
            if let Some(kept) = restored.kept {
                println!("the database it replaced is kept as {}", kept.display());
            }
            Ok(())
        }
        Command::Parse { conllu_in, file } => parse::run(conllu_in, &file),
        Command::Extract { .. } => Ok(()),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    // `extract` parses its own arguments (it is also driven by the corpus scripts).
    if args.get(1).map(String::as_str) == Some("extract") {
        return ExitCode::from(extract::run(&args[2..]));
    }
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("annals: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::shell_word;
    use std::path::Path;

    #[test]
    fn a_path_printed_as_a_command_stays_one_shell_word() {
        assert_eq!(
            shell_word(Path::new("/data/annals.sqlite3")),
            "/data/annals.sqlite3"
        );
        assert_eq!(
            shell_word(Path::new("/My Files/annals.sqlite3")),
            "'/My Files/annals.sqlite3'"
        );
        assert_eq!(shell_word(Path::new("/it's/a$b")), r"'/it'\''s/a$b'");
    }
}
