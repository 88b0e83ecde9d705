//! Importing datasets through the window: the mapping step with its preview,
//! each file whole or not at all, bad rows listed by line, a second import of
//! the same rows adding nothing, and the mapping remembered for the columns.

use std::path::Path;

use crate::harness::{App, Res, Workspace};

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/datasets")
        .join(name)
}

/// The cells of the preview's first row that reads as an event.
async fn first_sample_row(app: &App) -> Res<String> {
    app.text("[data-testid=dataset-sample] tbody tr:not(.bad-row)")
        .await
}

#[tokio::test]
async fn datasets_are_mapped_previewed_and_imported_from_the_window_each_file_whole() -> Res {
    let ws = Workspace::new()?;
    let incidents = ws.path("incidents.csv");
    let bad = ws.path("bad-rows.csv");
    std::fs::copy(fixture("incidents.csv"), &incidents)?;
    std::fs::copy(fixture("bad-rows.csv"), &bad)?;
    let pick = std::env::join_paths([&incidents, &bad])?
        .to_string_lossy()
        .into_owned();
    let app = App::launch_with(
        &ws.db(),
        &[("ANNALS_NO_SEED", "1"), ("ANNALS_E2E_PICK", pick.as_str())],
    )
    .await?;
    app.wait_count(0).await?;

    // The toolbar's dataset button: the (stood-in) native dialog picks both.
    app.click("[data-testid=import-dataset]").await?;
    app.wait_for("[data-testid=dataset-dialog]").await?;
    let row = first_sample_row(&app).await?;
    assert!(row.contains("8 May 2002"), "{row}");
    assert!(row.contains("Five North Koreans try to enter"), "{row}");

    // Titles from another column: the preview reads the file again through it.
    app.select("select[data-field=title]", "Description")
        .await?;
    app.eventually("titles from the description", || async {
        Ok(first_sample_row(&app)
            .await?
            .contains("Two men, two women and a girl")
            .then_some(()))
    })
    .await?;
    app.select("select[data-field=title]", "Title").await?;
    app.eventually("titles back from the title column", || async {
        Ok(first_sample_row(&app)
            .await?
            .contains("Five North Koreans")
            .then_some(()))
    })
    .await?;

    // The second file's bad rows show in its preview, by line.
    let tabs = app.find_all("[data-testid=dataset-tab]").await?;
    assert_eq!(tabs.len(), 2);
    tabs[1].click().await?;
    let bad_rows = app
        .text("[data-testid=dataset-sample] tbody tr.bad-row")
        .await?;
    assert!(bad_rows.contains("2002-02-30"), "{bad_rows}");
    app.shot("dataset-mapping.png").await?;
    // The mapping step passes axe in both themes (a11y.rs audits the other views).
    let axe = crate::a11y::axe_source()?;
    let mut found = crate::a11y::audit(&app, "light: dataset mapping", &axe).await?;
    app.client
        .execute(
            "document.documentElement.dataset.theme = 'dark'; return 1;",
            vec![],
        )
        .await?;
    found.extend(crate::a11y::audit(&app, "dark: dataset mapping", &axe).await?);
    app.client
        .execute(
            "document.documentElement.dataset.theme = 'light'; return 1;",
            vec![],
        )
        .await?;
    assert!(
        found.is_empty(),
        "accessibility violations:\n{}",
        found.join("\n")
    );

    // Imported as it stands: the incidents whole, the file with bad rows not at all.
    app.click("[data-testid=dataset-start]").await?;
    let summary = app.text("[data-testid=import-summary]").await?;
    assert!(
        summary.starts_with("1 imported · 1 skipped · 2 bad rows · 5 events added"),
        "{summary}"
    );
    let results = app.text("[data-testid=import-results]").await?;
    assert!(
        results.contains("nothing of this file was written"),
        "{results}"
    );
    assert!(results.contains("line 3"), "{results}");
    app.click("[data-testid=dataset-show]").await?;
    app.wait_count(5).await?;
    // An imported event says which dataset row it came from.
    app.click("[data-testid=event-row]").await?;
    let source = app.text("[data-testid=details-dataset]").await?;
    assert!(
        source.contains("incidents") && source.contains("incidents.csv, line"),
        "{source}"
    );

    // Again with Ctrl+Shift+O, skipping bad rows: the incidents were imported
    // before and add nothing; the readable rows of the other file come in. The
    // mapping used for the incidents' columns is remembered.
    app.press("O", true, true).await?;
    app.wait_for("[data-testid=dataset-dialog]").await?;
    app.wait_for("[data-testid=dataset-remembered]").await?;
    app.click("[data-testid=dataset-skip-bad]").await?;
    app.click("[data-testid=dataset-start]").await?;
    let summary = app.text("[data-testid=import-summary]").await?;
    assert!(
        summary.starts_with("1 imported · 1 already there · 2 bad rows · 3 events added"),
        "{summary}"
    );
    app.shot("dataset-done.png").await?;
    app.click("[data-testid=dataset-show]").await?;
    app.wait_count(8).await?;
    app.quit().await
}
