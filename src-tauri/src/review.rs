//! Reviewing what imports proposed, and re-anchoring an article's dates when its
//! publication date is corrected: one-line adapters over annals-core.

use annals_core::date::PartialDate;
use annals_core::event::{Event, EventInput};
use annals_core::store::{
    ArticleView, ReanchorReport, ReviewArticles, ReviewItem, REVIEW_PAGE_MAX,
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

#[tauri::command]
pub async fn review_items(
    state: State<'_, AppState>,
    article_id: Option<i64>,
    limit: u32,
) -> Result<Vec<ReviewItem>> {
    state
        .with_db(move |db| db.review_items(article_id, limit.min(REVIEW_PAGE_MAX)))
        .await
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

/// How many proposals "accept all above `min_confidence`" would accept.
#[tauri::command]
pub async fn count_above(
    state: State<'_, AppState>,
    min_confidence: f64,
    article_id: Option<i64>,
) -> Result<u32> {
    state
        .with_db(move |db| db.proposed_above(min_confidence, article_id))
        .await
}

/// Accepts every proposal at or above `min_confidence` (0 to 1), of one article
/// when given; returns how many.
#[tauri::command]
pub async fn accept_above(
    state: State<'_, AppState>,
    min_confidence: f64,
    article_id: Option<i64>,
) -> Result<usize> {
    if !(0.0..=1.0).contains(&min_confidence) {
        return Err(Error::invalid("confidence", "a confidence is between 0 and 100%").into());
    }
    state
        .with_db(move |db| db.accept_above(min_confidence, article_id, &now()))
        .await
}

#[tauri::command]
pub async fn article_view(state: State<'_, AppState>, id: i64) -> Result<ArticleView> {
    state.with_db(move |db| db.article_view(id)).await
}
