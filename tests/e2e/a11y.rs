//! Accessibility: axe-core (ui/node_modules/axe-core, a dev dependency of the
//! page) run in the real webview on every view a user meets, in both themes.
//! Serious and critical violations fail; the rest are printed.

use std::path::PathBuf;

use serde_json::Value;

use crate::harness::{App, Res, Workspace};

pub(crate) fn axe_source() -> Res<String> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("ui/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path)
        .map_err(|e| format!("{}: {e} (run `make deps`)", path.display()).into())
}

/// Runs axe on the page as it is; the serious and critical violations, one
/// line each with the elements at fault.
pub(crate) async fn audit(app: &App, view: &str, axe: &str) -> Res<Vec<String>> {
    let loaded = app
        .client
        .execute("return typeof window.axe !== 'undefined';", vec![])
        .await?;
    if loaded != Value::Bool(true) {
        app.client
            .execute(&format!("{axe}\nreturn true;"), vec![])
            .await?;
    }
    let result = app
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             window.axe.run(document, { resultTypes: ['violations'] })
               .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                 nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').replace(/\\s+/g, ' ')) }))))
               .catch(e => done([{ id: 'axe-failed', impact: 'critical', help: String(e), nodes: [] }]));",
            vec![],
        )
        .await?;
    let mut serious = Vec::new();
    for v in result.as_array().cloned().unwrap_or_default() {
        let impact = v["impact"].as_str().unwrap_or("");
        let line = format!(
            "{view}: {} ({impact}): {} at {}",
            v["id"].as_str().unwrap_or(""),
            v["help"].as_str().unwrap_or(""),
            v["nodes"]
        );
        if matches!(impact, "serious" | "critical") {
            serious.push(line);
        } else {
            eprintln!("a11y (minor) {line}");
        }
    }
    Ok(serious)
}

/// Closes the open dialog as Escape does.
async fn close_dialog(app: &App) -> Res {
    app.client
        .execute(
            "const d = document.querySelector('dialog[open]'); \
             if (d) d.dispatchEvent(new Event('cancel', { cancelable: true })); return 1;",
            vec![],
        )
        .await?;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    Ok(())
}

#[tokio::test]
async fn no_view_has_a_serious_or_critical_accessibility_violation_in_either_theme() -> Res {
    let axe = axe_source()?;
    let ws = Workspace::new()?;
    let seed =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/seed/shenyang-consulate-2002.txt");
    let article = ws.path("shenyang.txt");
    std::fs::copy(&seed, &article)?;
    // The seeded database plus the seed article imported again as proposals.
    let app = App::import_on_empty(&ws.db(), &[article]).await?;
    let mut found = Vec::new();
    for theme in ["light", "dark"] {
        if theme == "light" {
            found.extend(audit(&app, &format!("{theme}: import summary"), &axe).await?);
            app.click("[data-testid=import-review]").await?;
        } else {
            app.click("[data-testid=import]").await?;
            app.wait_for("[data-testid=import-dialog]").await?;
            found.extend(audit(&app, &format!("{theme}: import dialog"), &axe).await?);
            close_dialog(&app).await?;
            app.click("[data-testid=view-review]").await?;
        }
        app.wait_for("[data-testid=review-item]").await?;
        found.extend(audit(&app, &format!("{theme}: review"), &axe).await?);
        app.click("[data-testid=review-item] [data-testid=review-merge]")
            .await?;
        app.wait_for("[data-testid=merge-dialog]").await?;
        found.extend(audit(&app, &format!("{theme}: merge dialog"), &axe).await?);
        close_dialog(&app).await?;
        app.click("[data-testid=review-item] .rc-source button")
            .await?;
        app.wait_for("[data-testid=article-body]").await?;
        found.extend(audit(&app, &format!("{theme}: article"), &axe).await?);
        close_dialog(&app).await?;
        app.click("[data-testid=view-timeline]").await?;
        app.wait_for("[data-testid=event-row]").await?;
        found.extend(audit(&app, &format!("{theme}: timeline and list"), &axe).await?);
        app.click("[data-testid=event-row]").await?;
        app.wait_for("[data-testid=details-title]").await?;
        found.extend(audit(&app, &format!("{theme}: details"), &axe).await?);
        app.click("[data-testid=add-event]").await?;
        app.wait_for("[data-testid=event-form]").await?;
        found.extend(audit(&app, &format!("{theme}: event form"), &axe).await?);
        app.click("[data-testid=cancel-event]").await?;
        if theme == "light" {
            app.click("[data-testid=theme-toggle]").await?;
        }
    }
    assert!(
        found.is_empty(),
        "serious or critical accessibility violations:\n{}",
        found.join("\n")
    );
    app.quit().await
}
