//! File › Back Up…, File › Restore…, and the offer of the newest backup when the
//! database is damaged at start: native dialogs around `AppState::back_up_to` and
//! `AppState::restore`, which do the work through the core. Each runs on a thread
//! of its own, since a blocking dialog must not hold the main thread (GTK's).

use std::path::Path;

use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};

use crate::state::AppState;

/// File › Back Up…: asks where to write the copy, writes it, says how it went.
pub fn back_up<R: Runtime>(app: &AppHandle<R>) {
    on_thread(app, "back-up", |app| {
        let state = app.state::<AppState>();
        // Not the daily backups' `<stem>-YYYY-MM-DD` form: saved into their folder,
        // the rotation would delete it a week later.
        let suggested = format!(
            "{}-backup-{}.sqlite3",
            file_stem(&state.db_path),
            crate::state::today().format("%Y-%m-%d")
        );
        let chosen = app
            .dialog()
            .file()
            .set_title("Back Up the Timeline")
            .add_filter("Annals database", &["sqlite3"])
            .set_file_name(suggested)
            .blocking_save_file();
        let Some(dest) = chosen.and_then(|p| p.into_path().ok()) else {
            return;
        };
        match state.back_up_to(&dest) {
            Ok(()) => tell(
                &app,
                MessageDialogKind::Info,
                "Backed Up",
                format!("The whole timeline was copied to {}.", dest.display()),
            ),
            Err(e) => tell(
                &app,
                MessageDialogKind::Error,
                "Backup Failed",
                format!("No backup was made.\n\n{}", e.message),
            ),
        }
    });
}

/// File › Restore…: asks for a backup (starting in the daily backups' folder),
/// confirms, restores it, reopens the database and reloads the page.
pub fn restore<R: Runtime>(app: &AppHandle<R>) {
    on_thread(app, "restore", |app| {
        let state = app.state::<AppState>();
        let folder = annals_core::store::backup_dir(&state.db_path);
        let mut dialog = app
            .dialog()
            .file()
            .set_title("Restore the Timeline from a Backup")
            .add_filter("Annals database", &["sqlite3"]);
        if folder.is_dir() {
            dialog = dialog.set_directory(&folder);
        }
        let Some(backup) = dialog.blocking_pick_file().and_then(|p| p.into_path().ok()) else {
            return;
        };
        let question = format!(
            "Replace the timeline with the backup {}?\n\nThe backup is checked first. The database it replaces is kept beside it, in {}.",
            backup.display(),
            state
                .db_path
                .parent()
                .map(|p| p.display().to_string())
                .unwrap_or_default()
        );
        if ask(&app, "Restore from Backup", question, "Restore") {
            restore_and_reload(&app, &backup);
        }
    });
}

/// At start, when the database is damaged and a daily backup passes the checks,
/// offers to put that backup in its place (the page meanwhile shows why the
/// database cannot be used).
pub fn offer_backup_if_damaged<R: Runtime>(app: &AppHandle<R>) {
    let Some(backup) = app.state::<AppState>().damaged_offer() else {
        return;
    };
    on_thread(app, "offer-backup", move |app| {
        let state = app.state::<AppState>();
        let question = format!(
            "The database {} is damaged and cannot be opened.\n\nRestore the newest good backup, {}? The damaged file is kept beside it.",
            state.db_path.display(),
            backup.display()
        );
        if ask(&app, "Damaged Database", question, "Restore Backup") {
            restore_and_reload(&app, &backup);
        }
    });
}

fn restore_and_reload<R: Runtime>(app: &AppHandle<R>, backup: &Path) {
    let state = app.state::<AppState>();
    match state.restore(backup) {
        Ok(restored) => {
            if let Some(window) = app.get_webview_window("main") {
                if let Err(e) = window.reload() {
                    log::error!("the page did not reload after the restore: {e}");
                }
            }
            let kept = restored
                .kept
                .map(|k| format!("\n\nThe database it replaced is kept as {}.", k.display()))
                .unwrap_or_default();
            tell(
                app,
                MessageDialogKind::Info,
                "Restored",
                format!("The timeline was restored from {}.{kept}", backup.display()),
            );
        }
        Err(e) => tell(
            app,
            MessageDialogKind::Error,
            "Restore Refused",
            format!("The timeline was not changed.\n\n{}", e.message),
        ),
    }
}

/// Runs a dialog flow on a named thread of its own.
fn on_thread<R: Runtime>(
    app: &AppHandle<R>,
    name: &str,
    flow: impl FnOnce(AppHandle<R>) + Send + 'static,
) {
    let app = app.clone();
    if let Err(e) = std::thread::Builder::new()
        .name(name.into())
        .spawn(move || flow(app))
    {
        log::error!("{name} did not start: {e}");
    }
}

fn ask<R: Runtime>(app: &AppHandle<R>, title: &str, question: String, yes: &str) -> bool {
    app.dialog()
        .message(question)
        .title(title)
        .kind(MessageDialogKind::Warning)
        .buttons(MessageDialogButtons::OkCancelCustom(
            yes.into(),
            "Cancel".into(),
        ))
        .blocking_show()
}

fn tell<R: Runtime>(app: &AppHandle<R>, kind: MessageDialogKind, title: &str, text: String) {
    app.dialog()
        .message(text)
        .title(title)
        .kind(kind)
        .blocking_show();
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "annals".into())
}
