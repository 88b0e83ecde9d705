//! End-to-end tests: the real app binary, driven over WebDriver under Xvfb, each
//! on its own temporary database. Run with `make e2e`.

mod a11y;
mod crash;
mod datasets;
mod export;
mod guard;
mod harness;
mod import;
mod native;
mod payload;
mod payloads;
mod read_only;

use harness::{cli_json, App, Res, Workspace};

const CONSULATE_ENTRY: &str = "Five North Koreans enter the Japanese Consulate in Shenyang";

/// Opens the add form, fills title and dates, and saves.
async fn add_event(app: &App, title: &str, start: &str, end: &str) -> Res {
    app.click("[data-testid=add-event]").await?;
    app.wait_for("form[data-testid=event-form]").await?;
    app.fill("form[data-testid=event-form] [name=title]", title)
        .await?;
    app.fill("form[data-testid=event-form] [name=start]", start)
        .await?;
    app.fill("form[data-testid=event-form] [name=end]", end)
        .await?;
    app.click("[data-testid=save-event]").await?;
    Ok(())
}

async fn row_with(app: &App, needle: &str) -> Res<Option<(i64, String)>> {
    Ok(app
        .list_titles()
        .await?
        .into_iter()
        .find(|(_, t)| t.contains(needle)))
}

#[tokio::test]
async fn the_seed_timeline_shows_the_japanese_consulate_entry_on_8_may_2002() -> Res {
    let ws = Workspace::new()?;
    let app = App::launch(&ws.db()).await?;
    app.wait_count(21).await?;
    // The list view says it in words.
    let (id, row) = app
        .eventually("the consulate entry in the list", || async {
            row_with(&app, CONSULATE_ENTRY).await
        })
        .await?;
    assert!(row.contains("8 May 2002"), "{row}");
    assert!(row.contains("Japanese Consulate, Shenyang"), "{row}");
    // The canvas drew it, and clicking its mark opens its details.
    app.click("[data-testid=fit-all]").await?;
    let mark = app
        .eventually("the consulate entry on the canvas", || async {
            Ok(app
                .drawn()
                .await?
                .into_iter()
                .find(|d| d["id"].as_i64() == Some(id)))
        })
        .await?;
    let (x, y) = (
        mark["x"].as_f64().unwrap_or(-1.0),
        mark["y"].as_f64().unwrap_or(-1.0),
    );
    assert!(x >= 0.0 && y >= 0.0, "{mark}");
    app.click_canvas(x, y).await?;
    let title = app.text("[data-testid=details-title]").await?;
    assert_eq!(title, CONSULATE_ENTRY);
    assert_eq!(app.text("[data-testid=details-date]").await?, "8 May 2002");
    assert!(app
        .text("[data-testid=details-mission]")
        .await?
        .contains("Japanese Consulate, Shenyang"));
    let quote = app.text("[data-testid=details-quote]").await?;
    assert!(
        quote.contains("In Wednesday's episode, five members"),
        "{quote}"
    );
    app.quit().await
}

#[tokio::test]
async fn filtering_by_japan_shows_exactly_what_the_cli_lists() -> Res {
    let ws = Workspace::new()?;
    let app = App::launch(&ws.db()).await?;
    app.wait_count(21).await?;
    app.click("input[data-testid=country-option-JP]").await?;
    let expected = cli_json(&ws.db(), &["list", "--country", "JP"])?;
    let n = u32::try_from(expected.len())?;
    assert!(n > 0 && n < 21);
    app.wait_count(n).await?;
    let mut want: Vec<i64> = expected.iter().filter_map(|e| e["id"].as_i64()).collect();
    let rows = app
        .eventually("the list to show the Japan events", || async {
            let rows = app.list_titles().await?;
            Ok((rows.len() == want.len()).then_some(rows))
        })
        .await?;
    let mut got: Vec<i64> = rows.iter().map(|r| r.0).collect();
    got.sort_unstable();
    want.sort_unstable();
    assert_eq!(got, want);
    // The filter shows as a chip; removing it brings everything back.
    assert_eq!(app.find_all("[data-testid=filter-chip]").await?.len(), 1);
    app.click("[data-testid=remove-chip]").await?;
    app.wait_count(21).await?;
    app.quit().await
}

#[tokio::test]
async fn filtering_by_the_spanish_embassy_in_beijing() -> Res {
    let ws = Workspace::new()?;
    let app = App::launch(&ws.db()).await?;
    app.wait_count(21).await?;
    let script =
        "const l = Array.from(document.querySelectorAll('input[data-testid^=mission-option-]'))\
                  .find(i => i.closest('label').textContent.includes('Spanish Embassy, Beijing'));\
                  return l ? l.getAttribute('data-testid') : null;";
    let testid = app.client.execute(script, vec![]).await?;
    let testid = testid
        .as_str()
        .ok_or("no mission option for the Spanish Embassy, Beijing")?
        .to_string();
    app.click(&format!("input[data-testid={testid}]")).await?;
    app.wait_count(1).await?;
    let rows = app
        .eventually("one row", || async {
            let r = app.list_titles().await?;
            Ok((r.len() == 1).then_some(r))
        })
        .await?;
    assert!(rows[0].1.contains("Spanish Embassy in Beijing"), "{rows:?}");
    assert!(rows[0].1.contains("25 March 2002"), "{rows:?}");
    app.click("[data-testid=clear-filters]").await?;
    app.wait_count(21).await?;
    app.quit().await
}

#[tokio::test]
async fn an_event_added_through_the_form_survives_a_restart() -> Res {
    let ws = Workspace::new()?;
    let app = App::launch(&ws.db()).await?;
    app.wait_count(21).await?;
    add_event(
        &app,
        "Family of five leaves for Seoul via Manila",
        "2002-05-23",
        "",
    )
    .await?;
    app.wait_count(22).await?;
    app.quit().await?;

    let app = App::launch(&ws.db()).await?;
    app.wait_count(22).await?;
    let (_, row) = app
        .eventually("the added event after restart", || async {
            row_with(&app, "leaves for Seoul via Manila").await
        })
        .await?;
    assert!(row.contains("23 May 2002"), "{row}");
    app.quit().await
}

#[tokio::test]
async fn editing_then_deleting_and_undoing_the_delete() -> Res {
    let ws = Workspace::new()?;
    let app = App::launch(&ws.db()).await?;
    app.wait_count(21).await?;
    let (id, _) = app
        .eventually("the Seoul statement", || async {
            row_with(&app, "Seoul urges China").await
        })
        .await?;
    app.click(&format!("[data-testid=event-row][data-event-id=\"{id}\"]"))
        .await?;
    assert!(app
        .text("[data-testid=details-title]")
        .await?
        .starts_with("Seoul urges China"));

    app.click("[data-testid=edit-event]").await?;
    app.fill(
        "form[data-testid=event-form] [name=title]",
        "South Korea asks China for humane handling",
    )
    .await?;
    app.select("form[data-testid=event-form] [name=kind]", "protest")
        .await?;
    app.click("[data-testid=save-event]").await?;
    app.eventually("the new title in the details", || async {
        Ok((app.text("[data-testid=details-title]").await?
            == "South Korea asks China for humane handling")
            .then_some(()))
    })
    .await?;
    let cli = cli_json(&ws.db(), &["list", "--q", "humane handling"])?;
    assert_eq!(cli.len(), 1, "the edit is in the database");
    assert_eq!(cli[0]["kind"], "protest");

    app.click("[data-testid=delete-event]").await?;
    app.click("[data-testid=confirm-delete-yes]").await?;
    app.wait_count(20).await?;
    assert!(row_with(&app, "humane handling").await?.is_none());
    assert!(cli_json(&ws.db(), &["list", "--q", "humane handling"])?.is_empty());

    app.click("[data-testid=undo]").await?;
    app.wait_count(21).await?;
    let (back_id, _) = app
        .eventually("the restored event", || async {
            row_with(&app, "humane handling").await
        })
        .await?;
    assert_eq!(back_id, id);
    app.quit().await
}

#[tokio::test]
async fn a_title_that_looks_like_html_is_shown_as_text() -> Res {
    let ws = Workspace::new()?;
    let app = App::launch(&ws.db()).await?;
    app.wait_count(21).await?;
    let hostile = "<img src=x onerror=alert(1)>";
    add_event(&app, hostile, "2002-05-11", "").await?;
    app.wait_count(22).await?;
    // Search for it, as a user would, then open it.
    app.fill("input[data-testid=search]", "onerror").await?;
    app.wait_count(1).await?;
    let (id, row) = app
        .eventually("the hostile row", || async {
            row_with(&app, hostile).await
        })
        .await?;
    assert!(row.contains(hostile));
    app.click(&format!("[data-testid=event-row][data-event-id=\"{id}\"]"))
        .await?;
    assert_eq!(app.text("[data-testid=details-title]").await?, hostile);
    // No element was made from the text.
    let imgs = app
        .client
        .execute(
            "return document.querySelectorAll('img[src=x]').length;",
            vec![],
        )
        .await?;
    assert_eq!(imgs.as_i64(), Some(0));
    app.quit().await
}

#[tokio::test]
async fn invalid_form_input_shows_inline_errors_and_saves_nothing() -> Res {
    let ws = Workspace::new()?;
    let app = App::launch(&ws.db()).await?;
    app.wait_count(21).await?;

    add_event(&app, "   ", "2002-05-08", "").await?;
    app.wait_for("[data-testid=error-title]").await?;

    app.fill(
        "form[data-testid=event-form] [name=title]",
        "Impossible day",
    )
    .await?;
    app.fill("form[data-testid=event-form] [name=start]", "2002-02-30")
        .await?;
    app.click("[data-testid=save-event]").await?;
    let err = app.text("[data-testid=error-start]").await?;
    assert!(err.contains("28 days"), "{err}");

    app.fill("form[data-testid=event-form] [name=start]", "2002-05-09")
        .await?;
    app.fill("form[data-testid=event-form] [name=end]", "2002-05-08")
        .await?;
    app.click("[data-testid=save-event]").await?;
    let err = app.text("[data-testid=error-end]").await?;
    assert!(err.to_lowercase().contains("before"), "{err}");

    app.click("[data-testid=cancel-event]").await?;
    assert_eq!(app.result_count().await?, 21);
    assert_eq!(
        cli_json(&ws.db(), &["list"])?.len(),
        21,
        "nothing was saved"
    );
    app.quit().await
}

#[tokio::test]
async fn a_file_that_is_not_a_database_gives_a_clear_message_and_is_left_alone() -> Res {
    let ws = Workspace::new()?;
    let junk = b"Notes on the Shenyang incident, not a database. ".repeat(100);
    std::fs::write(ws.db(), &junk)?;
    let app = App::start(&ws.db()).await?;
    let message = app.text("[data-testid=app-error]").await?;
    assert!(message.contains("not an SQLite database"), "{message}");
    app.quit().await?;
    assert_eq!(std::fs::read(ws.db())?, junk, "the file was changed");
    Ok(())
}
