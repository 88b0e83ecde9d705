//! Reviewing what imports proposed, and re-anchoring an article's dates when its
//! publication date is corrected: one-line adapters over annals-core.

use annals_core::date::PartialDate;
use annals_core::event::{Event, EventInput};
use annals_core::store::{
    ArticleView, Decision, ReanchorReport, ReviewArticles, ReviewFacets, ReviewFilter, ReviewItem,
    REVIEW_PAGE_MAX,
};
use annals_core::Error;
use tauri::State;

use crate::error::CommandError;
use crate::import::parse_day;
use crate::state::{now, AppState};

type Result<T> = std::result::Result<T, CommandError>;

/// Corrects an article's publication date (YYYY-MM-DD) and re-resolves the dates
/// that depended on it.
#[tauri::command]
pub async fn set_publication_date(
    state: State<'_, AppState>,
    article_id: i64,
    date: String,
) -> Result<ReanchorReport> {
    let day = parse_day(Some(date))?.ok_or_else(|| {
        CommandError::from(Error::invalid("published", "enter the publication date"))
    })?;
    state
        .with_db(move |db| {
            db.set_publication_date(
                article_id,
                PartialDate::from_naive(day),
                Some("publication date corrected"),
                &now(),
            )
        })
        .await
}

/// How many events wait for review, in all.
#[tauri::command]
pub async fn review_count(state: State<'_, AppState>) -> Result<u32> {
    state.with_db(|db| db.proposed_count()).await
}

/// Articles with proposals waiting (the newest `limit`, at most 1000), plus
/// `include` whatever its count, and how many are waiting and done.
#[tauri::command]
pub async fn review_articles(
    state: State<'_, AppState>,
    include: Option<i64>,
    limit: u32,
) -> Result<ReviewArticles> {
    state
        .with_db(move |db| db.review_articles(include, limit.min(REVIEW_PAGE_MAX)))
        .await
}

/// The first `limit` proposals the filter takes, surest first.
#[tauri::command]
pub async fn review_items(
    state: State<'_, AppState>,
    filter: ReviewFilter,
    limit: u32,
) -> Result<Vec<ReviewItem>> {
    let filter = filter.validated()?;
    state
        .with_db(move |db| db.review_items(&filter, limit.min(REVIEW_PAGE_MAX)))
        .await
}

/// The kinds and countries of the proposals waiting, with their counts.
#[tauri::command]
pub async fn review_facets(
    state: State<'_, AppState>,
    article_id: Option<i64>,
) -> Result<ReviewFacets> {
    state.with_db(move |db| db.review_facets(article_id)).await
}

#[tauri::command]
pub async fn accept_event(state: State<'_, AppState>, id: i64) -> Result<Event> {
    state.with_db(move |db| db.accept_event(id, &now())).await
}

#[tauri::command]
pub async fn reject_event(state: State<'_, AppState>, id: i64) -> Result<Event> {
    state.with_db(move |db| db.reject_event(id, &now())).await
}

/// Sends an accepted or rejected event back to review (the undo of a decision).
#[tauri::command]
pub async fn reopen_event(state: State<'_, AppState>, id: i64) -> Result<Event> {
    state.with_db(move |db| db.reopen_event(id, &now())).await
}

#[tauri::command]
pub async fn edit_and_accept(
    state: State<'_, AppState>,
    id: i64,
    input: EventInput,
) -> Result<Event> {
    state
        .with_db(move |db| db.edit_and_accept(id, input, &now()))
        .await
}

#[tauri::command]
pub async fn merge_events(state: State<'_, AppState>, from: i64, into: i64) -> Result<Event> {
    state
        .with_db(move |db| db.merge_events(from, into, &now()))
        .await
}

#[tauri::command]
pub async fn merge_candidates(state: State<'_, AppState>, id: i64) -> Result<Vec<Event>> {
    state.with_db(move |db| db.merge_candidates(id, 20)).await
}

/// How many proposals the filter takes: what deciding them all would decide.
#[tauri::command]
pub async fn count_matching(state: State<'_, AppState>, filter: ReviewFilter) -> Result<u32> {
    let filter = filter.validated()?;
    state
        .with_db(move |db| db.review_count_matching(&filter))
        .await
}

/// Accepts or rejects every proposal the filter takes; the ids decided (what an
/// undo sends back).
#[tauri::command]
pub async fn decide_matching(
    state: State<'_, AppState>,
    filter: ReviewFilter,
    decision: Decision,
) -> Result<Vec<i64>> {
    let filter = filter.validated()?;
    state
        .with_db(move |db| db.decide_matching(&filter, decision, &now()))
        .await
}

/// Accepts or rejects the proposals among `ids`; the ids decided.
#[tauri::command]
pub async fn decide_events(
    state: State<'_, AppState>,
    ids: Vec<i64>,
    decision: Decision,
) -> Result<Vec<i64>> {
    state
        .with_db(move |db| db.decide_events(&ids, decision, &now()))
        .await
}

/// Sends decided events back to review: the undo of a bulk decision.
#[tauri::command]
pub async fn reopen_events(state: State<'_, AppState>, ids: Vec<i64>) -> Result<Vec<i64>> {
    state
        .with_db(move |db| db.reopen_events(&ids, &now()))
        .await
}

#[tauri::command]
pub async fn article_view(state: State<'_, AppState>, id: i64) -> Result<ArticleView> {
    state.with_db(move |db| db.article_view(id)).await
}
