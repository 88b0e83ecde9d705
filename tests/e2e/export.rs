//! File › Export… in the real window: the dialog, the shell's save step (its
//! native dialog stood in for by `ANNALS_E2E_SAVE`) and the file on disk.

use crate::harness::{App, Res, Workspace};

/// Opens the export dialog, picks `format`, exports, and waits for the toast.
async fn export(app: &App, format: &str) -> Res {
    app.press("E", true, true).await?;
    app.wait_for("[data-testid=export-dialog]").await?;
    app.click(&format!("[data-testid=export-{format}]")).await?;
    app.click("[data-testid=export-start]").await?;
    app.eventually("the dialog to close after saving", || async {
        Ok(app
            .find_all("[data-testid=export-dialog]")
            .await?
            .is_empty()
            .then_some(()))
    })
    .await
}

#[tokio::test]
async fn the_seed_exports_as_a_calendar_and_the_timeline_as_png_and_svg() -> Res {
    let ws = Workspace::new()?;
    let ics = ws.path("timeline.ics");
    let save = ics.display().to_string();
    let app = App::launch_with(&ws.db(), &[("ANNALS_E2E_SAVE", save.as_str())]).await?;
    app.wait_for("canvas[data-testid=timeline]").await?;
    export(&app, "ical").await?;
    let text = std::fs::read_to_string(&ics)?;
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text}");
    assert!(text.contains("SUMMARY:Five North Koreans enter the Japanese Consulate in Shenyang"));
    assert_eq!(text.matches("BEGIN:VEVENT").count(), 21);
    export(&app, "png").await?;
    let png = std::fs::read(&ics)?;
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    export(&app, "svg").await?;
    let svg = std::fs::read_to_string(&ics)?;
    assert!(svg.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(
        svg.contains("Five North Koreans"),
        "the labels are text in the SVG"
    );
    app.quit().await
}
