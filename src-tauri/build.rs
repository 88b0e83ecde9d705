// Every custom command is listed in the app manifest, so each needs its
// `allow-<command>` permission in a capability (tauri.conf.json) to be callable.
include!("src/commands_list.rs");

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    if let Err(e) = tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest)) {
        // A build script has no caller to return to: report and fail the build.
        eprintln!("tauri build script failed: {e:#}");
        std::process::exit(1);
    }
}
