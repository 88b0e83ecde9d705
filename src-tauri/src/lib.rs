//! The Annals desktop shell: opens the database, registers the commands, shows
//! the window. All logic lives in annals-core.

mod commands;
mod commands_list;
mod error;
mod import;
mod menu;
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

pub fn run() {
    software_rendering_defaults();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            let path = database_path(app);
            app.manage(state::AppState::open(path));
            app.manage(import::ImportJob::default());
            window::build_main(app)?;
            app.manage(import::Granted::default());
            app.set_menu(menu::build(app.handle())?)?;
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
            review::set_publication_date,
            review::review_count,
            review::review_articles,
            review::review_items,
            review::accept_event,
            review::reject_event,
            review::reopen_event,
            review::edit_and_accept,
            review::merge_events,
            review::merge_candidates,
            review::accept_above,
            review::count_above,
            review::article_view,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
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

    #[test]
    fn the_csp_forbids_inline_code_and_eval() {
        let conf: serde_json::Value = serde_json::from_str(include_str!("../../tauri.conf.json"))
            .unwrap_or(serde_json::Value::Null);
        let csp = conf["app"]["security"]["csp"].as_str().unwrap_or("");
        assert!(csp.contains("script-src 'self'"), "{csp}");
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
            "{csp}"
        );
        assert!(csp.contains("object-src 'none'"), "{csp}");
    }
}
