//! Tauri commands: thin async adapters over annals-core.

use annals_core::article::Article;
use annals_core::country::Country;
use annals_core::event::{Event, EventInput, NewEvent};
use annals_core::mission::Mission;
use annals_core::query::{EventFilter, Facets, ListPage, WindowQuery, WindowResult};
use annals_core::store::WriteProtection;
use annals_core::Error;
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use crate::error::CommandError;
use crate::state::{now, AppState};

type Result<T> = std::result::Result<T, CommandError>;

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AppInfo {
    pub db_path: String,
    #[ts(type = "number")]
    pub schema_version: i64,
    pub version: String,
    #[ts(type = "number")]
    pub event_count: i64,
    /// Why the database was opened read-only (browse, no edits), or `null`
    /// when it can be changed. The page disables every control that writes.
    pub read_only: Option<WriteProtection>,
}

#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> Result<AppInfo> {
    let db_path = state.db_path.display().to_string();
    state
        .with_db(move |db| {
            Ok(AppInfo {
                db_path,
                schema_version: db.schema_version()?,
                version: env!("CARGO_PKG_VERSION").to_string(),
                event_count: db.event_count()?,
                read_only: db.write_protection(),
            })
        })
        .await
}

#[tauri::command]
pub async fn window_events(state: State<'_, AppState>, query: WindowQuery) -> Result<WindowResult> {
    state.with_db(move |db| db.window(&query)).await
}

#[tauri::command]
pub async fn facets(state: State<'_, AppState>, filter: EventFilter) -> Result<Facets> {
    state.with_db(move |db| db.facets(&filter)).await
}

#[tauri::command]
pub async fn list_events(
    state: State<'_, AppState>,
    filter: EventFilter,
    offset: u32,
    limit: u32,
) -> Result<ListPage> {
    state
        .with_db(move |db| db.list(&filter, offset, limit))
        .await
}

#[tauri::command]
pub async fn position_of(state: State<'_, AppState>, filter: EventFilter, key: i64) -> Result<u32> {
    state.with_db(move |db| db.position_of(&filter, key)).await
}

#[tauri::command]
pub async fn get_event(state: State<'_, AppState>, id: i64) -> Result<Event> {
    state
        .with_db(move |db| db.event(id)?.ok_or(Error::NotFound { what: "event", id }))
        .await
}

/// The dataset row an event was imported from, if it was.
#[tauri::command]
pub async fn dataset_source(
    state: State<'_, AppState>,
    id: i64,
) -> Result<Option<annals_core::store::DatasetSource>> {
    state.with_db(move |db| db.dataset_source(id)).await
}

#[tauri::command]
pub async fn create_event(state: State<'_, AppState>, input: EventInput) -> Result<Event> {
    state
        .with_db(move |db| db.create_event(NewEvent::manual(input), &now()))
        .await
}

#[tauri::command]
pub async fn update_event(state: State<'_, AppState>, id: i64, input: EventInput) -> Result<Event> {
    state
        .with_db(move |db| db.update_event(id, input, &now()))
        .await
}

#[tauri::command]
pub async fn delete_event(state: State<'_, AppState>, id: i64) -> Result<i64> {
    state.with_db(move |db| db.delete_event(id, &now())).await
}

#[tauri::command]
pub async fn restore_event(state: State<'_, AppState>, token: i64) -> Result<Event> {
    state
        .with_db(move |db| db.restore_event(token, &now()))
        .await
}

#[tauri::command]
pub async fn countries(state: State<'_, AppState>) -> Result<Vec<Country>> {
    state.with_db(|db| db.countries()).await
}

#[tauri::command]
pub async fn missions(state: State<'_, AppState>) -> Result<Vec<Mission>> {
    state.with_db(|db| db.missions()).await
}

#[tauri::command]
pub async fn get_article(state: State<'_, AppState>, id: i64) -> Result<Article> {
    state
        .with_db(move |db| {
            db.article(id)?.ok_or(Error::NotFound {
                what: "article",
                id,
            })
        })
        .await
}
