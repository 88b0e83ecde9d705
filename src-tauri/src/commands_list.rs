/// The app's own commands: the build script lists them in the app manifest and
/// `lib.rs` registers them. Keep this list and `generate_handler!` in step.
pub const COMMANDS: &[&str] = &[
    "app_info",
    "window_events",
    "facets",
    "list_events",
    "position_of",
    "get_event",
    "create_event",
    "update_event",
    "delete_event",
    "restore_event",
    "countries",
    "missions",
    "get_article",
];
