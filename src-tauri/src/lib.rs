//! The Annals desktop shell: opens the database, registers the commands, shows
//! the window. All logic lives in annals-core.

mod backup;
mod commands;
mod commands_list;
mod datasets;
#[cfg(feature = "e2e")]
mod e2e_script;
mod error;
mod export;
mod import;
pub mod menu;
mod review;
mod state;
mod window;

use std::path::PathBuf;

use tauri::Manager;

pub use commands::AppInfo;
pub use commands_list::COMMANDS;
pub use error::CommandError;

/// `ANNALS_DB` overrides where the database lives (tests, several timelines).
fn database_path(app: &tauri::App) -> PathBuf {
    if let Some(p) = std::env::var_os("ANNALS_DB").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    match app.path().app_data_dir() {
        Ok(dir) => dir.join("annals.sqlite3"),
        Err(_) => PathBuf::from("annals.sqlite3"),
    }
}

/// Without a GPU (no DRM render node: a virtual display, a remote session, a VM
/// without acceleration) WebKitGTK emulates one with llvmpipe and compiles shaders
/// on the page's main thread before the first frame. Plain CPU rendering starts
/// about 0.25 s sooner there and uses about 110 MiB less (`make measure`). A
/// machine with a GPU, or a user who set these variables, is left as it is.
/// Called first thing, before any other thread exists.
fn software_rendering_defaults() {
    if !cfg!(target_os = "linux") {
        return;
    }
    let gpu = std::fs::read_dir("/dev/dri").is_ok_and(|dir| {
        dir.flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
    });
    if gpu {
        return;
    }
    for var in [
        "WEBKIT_DISABLE_COMPOSITING_MODE",
        "WEBKIT_SKIA_ENABLE_CPU_RENDERING",
    ] {
        if std::env::var_os(var).is_none() {
            std::env::set_var(var, "1");
        }
    }
}

/// The D-Bus name (Linux) under which the running app is found by a second
/// launch. One window per database: the default database has the app's own
/// identifier; a database given with `ANNALS_DB` (tests, several timelines) gets
/// one of its own, derived from its path, so two timelines can be open at once.
fn instance_id(identifier: &str) -> String {
    match std::env::var_os("ANNALS_DB").filter(|p| !p.is_empty()) {
        None => identifier.to_string(),
        Some(path) => {
            let path = std::path::absolute(&path).unwrap_or_else(|_| PathBuf::from(&path));
            // FNV-1a: stable across builds, unlike std's hasher.
            let hash = path
                .as_os_str()
                .as_encoded_bytes()
                .iter()
                .fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
                    (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
                });
            format!("{identifier}.db_{hash:016x}")
        }
    }
}

/// The log: `annals.log` in the platform's log folder (on Linux
/// `~/.local/share/org.annals.desktop/logs`), rotated at 1 MB with the newest
/// five old files kept, and standard error. Info and up from the app, warnings
/// and up from the libraries under it.
fn log_plugin() -> tauri::plugin::TauriPlugin<tauri::Wry> {
    use tauri_plugin_log::{RotationStrategy, Target, TargetKind, TimezoneStrategy};
    tauri_plugin_log::Builder::new()
        .clear_targets()
        .targets([
            Target::new(TargetKind::Stderr),
            Target::new(TargetKind::LogDir {
                file_name: Some("annals".into()),
            }),
        ])
        .level(log::LevelFilter::Warn)
        .level_for("annals_app", log::LevelFilter::Info)
        .level_for("annals_core", log::LevelFilter::Info)
        .max_file_size(LOG_FILE_BYTES)
        .rotation_strategy(RotationStrategy::KeepSome(LOG_FILES_KEPT))
        .timezone_strategy(TimezoneStrategy::UseLocal)
        .build()
}

/// A log file is rotated when it reaches this size...
const LOG_FILE_BYTES: u128 = 1_000_000;
/// ...and this many rotated files are kept beside the current one.
const LOG_FILES_KEPT: usize = 5;

pub fn run() {
    software_rendering_defaults();
    let context = tauri::generate_context!();
    let instance = instance_id(&context.config().identifier);
    let result = tauri::Builder::default()
        // First: a second launch on the same database hands over to the running
        // app (which shows its window) and exits before anything else starts.
        .plugin(
            tauri_plugin_single_instance::Builder::new()
                .dbus_id(instance)
                .callback(|app, _args, _cwd| {
                    log::info!("a second launch was sent to this window");
                    if let Some(window) = app.get_webview_window("main") {
                        let _ = window.unminimize();
                        let _ = window.show();
                        let _ = window.set_focus();
                    }
                })
                .build(),
        )
        .plugin(log_plugin())
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .setup(|app| {
            log::info!("Annals {} started", env!("CARGO_PKG_VERSION"));
            let path = database_path(app);
            app.manage(state::AppState::open(path));
            app.manage(import::ImportJob::default());
            window::build_main(app)?;
            app.manage(import::Granted::default());
            app.set_menu(menu::build(app.handle())?)?;
            backup::offer_backup_if_damaged(app.handle());
            #[cfg(feature = "e2e")]
            e2e_script::start(app.handle());
            Ok(())
        })
        .on_menu_event(menu::forward)
        .on_window_event(import::on_window_event)
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::window_events,
            commands::facets,
            commands::list_events,
            commands::position_of,
            commands::get_event,
            commands::dataset_source,
            commands::create_event,
            commands::update_event,
            commands::delete_event,
            commands::restore_event,
            commands::countries,
            commands::missions,
            commands::get_article,
            import::choose_import_files,
            import::import_files,
            import::import_text,
            import::cancel_import,
            datasets::choose_dataset_files,
            datasets::preview_dataset,
            datasets::import_datasets,
            review::set_publication_date,
            review::review_count,
            review::review_articles,
            review::review_items,
            review::review_facets,
            review::accept_event,
            review::reject_event,
            review::reopen_event,
            review::edit_and_accept,
            review::merge_events,
            review::merge_candidates,
            review::count_matching,
            review::decide_matching,
            review::decide_events,
            review::reopen_events,
            review::article_view,
            export::export_events,
            export::export_image,
            export::export_article_timeml,
        ])
        .run(context);
    if let Err(e) = result {
        log::error!("the window could not start: {e}");
        eprintln!("annals: the window could not start: {e}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_listed_command_is_granted_in_the_capability() {
        let conf: serde_json::Value = serde_json::from_str(include_str!("../../tauri.conf.json"))
            .unwrap_or(serde_json::Value::Null);
        let granted: Vec<String> = conf["app"]["security"]["capabilities"][0]["permissions"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|p| p.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        for c in super::COMMANDS {
            let perm = format!("allow-{}", c.replace('_', "-"));
            assert!(granted.contains(&perm), "{perm} is not granted");
        }
        let own = granted.iter().filter(|p| p.starts_with("allow-")).count();
        assert_eq!(
            own,
            super::COMMANDS.len(),
            "a capability grants a command that does not exist"
        );
    }

    /// The CSP forbids inline code and eval; `Object.prototype` is frozen before
    /// the page's first script, so no script can pollute it (issue 10).
    #[test]
    fn the_csp_forbids_inline_code_and_eval_and_the_prototype_is_frozen() {
        let conf: serde_json::Value = serde_json::from_str(include_str!("../../tauri.conf.json"))
            .unwrap_or(serde_json::Value::Null);
        assert_eq!(
            conf["app"]["security"]["freezePrototype"],
            serde_json::Value::Bool(true),
            "app.security.freezePrototype"
        );
        let csp = conf["app"]["security"]["csp"].as_str().unwrap_or("");
        assert!(csp.contains("script-src 'self'"), "{csp}");
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
            "{csp}"
        );
        assert!(csp.contains("object-src 'none'"), "{csp}");
    }
}
