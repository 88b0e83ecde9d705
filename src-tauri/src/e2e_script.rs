//! Built with the `e2e` feature only (the tests'; a release has none of it):
//! `ANNALS_E2E_SCRIPT=FILE` makes the app, once set up, run the commands listed
//! in FILE one after another through the same command functions the page
//! invokes, and append a line to `ANNALS_E2E_JOURNAL` as each one returns. The
//! crash test (`tests/e2e/crash.rs`) kills the app with SIGKILL at a random point
//! and holds the database to the journal: what it says returned must be there.
//! Starting the real app this way takes about a second where a WebDriver session
//! takes several, which is what lets the test kill it a hundred times.
//!
//! One command a line: `import PATH...` (tab-separated, as if picked in the
//! Import dialog, with the publication date [`DCT`]), `accept`, `reject` and
//! `edit TITLE` (on the oldest proposal waiting), `add TITLE` (a hand entry).
//! The journal gets `ready` first, then `import N`, `accept ID`, `reject ID`,
//! `edit ID TITLE`, `add ID TITLE` or `error LINE: MESSAGE` per command, and
//! `done` at the end.

use std::io::Write;
use std::path::PathBuf;

use annals_core::date::EventDate;
use annals_core::event::{EventInput, EventKind, Status};
use annals_core::query::EventFilter;
use tauri::{AppHandle, Manager};

use crate::error::CommandError;
use crate::import::{Granted, ImportJob};
use crate::state::AppState;

/// The publication date of every scripted import.
pub const DCT: &str = "2004-05-10";

/// Starts the script named by `ANNALS_E2E_SCRIPT`, if any.
pub fn start(app: &AppHandle) {
    let (Some(script), Some(journal)) = (
        std::env::var_os("ANNALS_E2E_SCRIPT"),
        std::env::var_os("ANNALS_E2E_JOURNAL"),
    ) else {
        return;
    };
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let mut journal = Journal(PathBuf::from(journal));
        let script = std::fs::read_to_string(&script).unwrap_or_default();
        journal.line("ready");
        for line in script.lines().filter(|l| !l.trim().is_empty()) {
            match run(&app, line).await {
                Ok(said) => journal.line(&said),
                Err(e) => journal.line(&format!("error {line}: {}", e.message)),
            }
        }
        journal.line("done");
    });
}

struct Journal(PathBuf);

impl Journal {
    /// Appends one line in one write, so a kill leaves whole lines.
    fn line(&mut self, text: &str) {
        let written = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.0)
            .and_then(|mut f| f.write_all(format!("{text}\n").as_bytes()));
        if let Err(e) = written {
            eprintln!("annals: e2e journal: {e}");
        }
    }
}

fn hand_entry(title: &str) -> Result<EventInput, CommandError> {
    let date = EventDate::new(
        "2004-05-09".parse().map_err(annals_core::Error::from)?,
        None,
        false,
    )
    .map_err(annals_core::Error::from)?;
    Ok(EventInput {
        title: title.to_string(),
        summary: String::new(),
        kind: EventKind::Arrest,
        date,
        city: None,
        country: None,
        mission_id: None,
        countries: vec!["KR".into()],
        background: false,
        planned: false,
    })
}

/// The oldest event waiting for review.
async fn oldest_proposal(app: &AppHandle) -> Result<i64, CommandError> {
    let filter = EventFilter {
        statuses: vec![Status::Proposed],
        ..EventFilter::default()
    };
    let page = crate::commands::list_events(app.state::<AppState>(), filter, 0, 1).await?;
    page.events
        .first()
        .map(|e| e.id)
        .ok_or_else(|| CommandError::internal("no proposal to review"))
}

async fn run(app: &AppHandle, line: &str) -> Result<String, CommandError> {
    let (verb, rest) = line.split_once(' ').unwrap_or((line, ""));
    match verb {
        "import" => {
            let paths: Vec<String> = rest.split('\t').map(String::from).collect();
            app.state::<Granted>()
                .grant(paths.iter().map(PathBuf::from));
            let outcome = crate::import::import_files(
                app.clone(),
                app.state::<AppState>(),
                app.state::<ImportJob>(),
                app.state::<Granted>(),
                paths,
                Some(DCT.into()),
            )
            .await?;
            Ok(format!("import {}", outcome.imported))
        }
        "accept" => {
            let id = oldest_proposal(app).await?;
            crate::review::accept_event(app.state::<AppState>(), id).await?;
            Ok(format!("accept {id}"))
        }
        "reject" => {
            let id = oldest_proposal(app).await?;
            crate::review::reject_event(app.state::<AppState>(), id).await?;
            Ok(format!("reject {id}"))
        }
        "edit" => {
            let id = oldest_proposal(app).await?;
            crate::review::edit_and_accept(app.state::<AppState>(), id, hand_entry(rest)?).await?;
            Ok(format!("edit {id} {rest}"))
        }
        "add" => {
            let event =
                crate::commands::create_event(app.state::<AppState>(), hand_entry(rest)?).await?;
            Ok(format!("add {} {rest}", event.id))
        }
        _ => Err(CommandError::internal(format!("unknown step `{verb}`"))),
    }
}
