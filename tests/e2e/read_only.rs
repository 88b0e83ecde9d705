//! A database the user may not change opens read-only (issue 10, item 5): the
//! window says so under the toolbar and why, every control that would write is
//! disabled with the reason in its tooltip, the shell refuses a write the page
//! asks for anyway, and the file is byte-identical after the session.
//!
//! Tests may run as root, whom file modes do not stop. The core goes by the
//! permission bits and opens such a file with SQLITE_OPEN_READ_ONLY, so SQLite
//! itself refuses every write whoever runs the test (as in the core's and the
//! CLI's read-only tests).

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use serde_json::{json, Value};

use crate::a11y::{audit, axe_source};
use crate::harness::{cli_binary, App, Res, Workspace};

/// The seed article imported into a new database at `db`: 19 proposals to review.
fn imported(db: &Path) -> Res {
    let article =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/seed/shenyang-consulate-2002.txt");
    let out = Command::new(cli_binary())
        .args(["import", "--quiet", "--dct", "2002-05-10", "--db"])
        .arg(db)
        .arg(article)
        .output()?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned().into());
    }
    Ok(())
}

fn chmod(path: &Path, mode: u32) -> Res {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    Ok(())
}

/// The element is shown, disabled, and its tooltip says it is read-only.
async fn disabled_saying_why(app: &App, css: &str) -> Res {
    let el = app.wait_for(css).await?;
    assert!(!el.is_enabled().await?, "{css} is enabled");
    let title = el.attr("title").await?.unwrap_or_default();
    assert!(title.contains("read-only"), "{css}: title {title:?}");
    Ok(())
}

/// Asks the shell for a command as the page would, bypassing the page's own
/// checks: `ok` or the error's `kind: message`.
async fn invoke(app: &App, cmd: &str, args: Value) -> Res<String> {
    let script = "const done = arguments[arguments.length - 1];\
        window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1])\
          .then(() => done('ok'), (e) => done(e.kind + ': ' + e.message));";
    let answer = app
        .client
        .execute_async(script, vec![json!(cmd), args])
        .await?;
    Ok(answer.as_str().unwrap_or_default().to_string())
}

#[tokio::test]
async fn a_write_protected_database_opens_read_only_with_a_notice_and_is_left_byte_identical() -> Res
{
    let ws = Workspace::new()?;
    let db = ws.db();
    imported(&db)?;
    chmod(&db, 0o444)?;
    let before = std::fs::read(&db)?;

    let app = App::launch(&db).await?;
    app.wait_count(19).await?;
    let notice = app.text("[data-testid=read-only-notice]").await?;
    assert!(
        notice.contains("Opened read-only — you can browse, but not change this database"),
        "{notice}"
    );
    assert!(
        notice.contains("the database file is write-protected"),
        "{notice}"
    );
    assert!(notice.contains(&db.display().to_string()), "{notice}");
    for css in [
        "[data-testid=add-event]",
        "[data-testid=import]",
        "[data-testid=paste-article]",
        "[data-testid=import-dataset]",
    ] {
        disabled_saying_why(&app, css).await?;
    }
    // The key for a new event opens no form; a notice says why.
    app.press("n", false, false).await?;
    let toast = app.text("[data-testid=toast]").await?;
    assert!(toast.contains("read-only"), "{toast}");
    assert!(app.find_all("[data-testid=event-form]").await?.is_empty());

    // Browsing works: an event's details, with nothing to change them.
    app.click("[data-testid=event-row]").await?;
    app.wait_for("[data-testid=details-title]").await?;
    for css in [
        "[data-testid=details-accept]",
        "[data-testid=details-reject]",
        "[data-testid=edit-event]",
        "[data-testid=delete-event]",
    ] {
        disabled_saying_why(&app, css).await?;
    }

    // The review queue shows the proposals; no decision can be made.
    app.click("[data-testid=view-review]").await?;
    app.wait_for("[data-testid=review-item]").await?;
    assert_eq!(app.find_all("[data-testid=review-item]").await?.len(), 19);
    for css in [
        "[data-testid=review-accept-above]",
        "[data-testid=review-item] [data-testid=review-accept]",
        "[data-testid=review-item] [data-testid=review-merge]",
        "[data-testid=review-item] [data-testid=review-reject]",
    ] {
        disabled_saying_why(&app, css).await?;
    }

    // The notice and the disabled controls in both themes.
    let axe = axe_source()?;
    let mut found = audit(&app, "read-only: light: review", &axe).await?;
    app.click("[data-testid=theme-toggle]").await?;
    found.extend(audit(&app, "read-only: dark: review", &axe).await?);
    app.click("[data-testid=view-timeline]").await?;
    app.wait_for("[data-testid=event-row]").await?;
    found.extend(audit(&app, "read-only: dark: timeline", &axe).await?);
    app.click("[data-testid=theme-toggle]").await?;
    found.extend(audit(&app, "read-only: light: timeline", &axe).await?);
    assert!(
        found.is_empty(),
        "serious or critical accessibility violations:\n{}",
        found.join("\n")
    );

    // A page that asks anyway is refused as read-only, saying so, before any
    // article is read.
    let deleted = invoke(&app, "delete_event", json!({ "id": 1 })).await?;
    assert!(deleted.starts_with("read_only: "), "{deleted}");
    assert!(deleted.contains("nothing was changed"), "{deleted}");
    let pasted = invoke(
        &app,
        "import_text",
        json!({ "text": "Seoul\n\nOn May 8, 2002, police arrested five.", "dct": null }),
    )
    .await?;
    assert!(pasted.starts_with("read_only: "), "{pasted}");
    app.wait_count(19).await?;
    app.quit().await?;

    assert!(std::fs::read(&db)? == before, "the database file changed");
    // SQLite reads a WAL database through an -shm file beside it; its -wal
    // (if any) holds nothing.
    let wal = ws.path("annals.sqlite3-wal");
    assert_eq!(std::fs::metadata(&wal).map_or(0, |m| m.len()), 0);
    Ok(())
}

#[tokio::test]
async fn a_database_in_a_write_protected_folder_opens_read_only_naming_the_folder() -> Res {
    let ws = Workspace::new()?;
    let folder = ws.path("shared");
    std::fs::create_dir(&folder)?;
    let db = folder.join("annals.sqlite3");
    imported(&db)?;
    // The app's log goes beside the database (the harness's data folder):
    // made before the folder is protected.
    std::fs::create_dir(crate::harness::data_home(&db))?;
    chmod(&folder, 0o555)?;
    let before = std::fs::read(&db)?;
    let listed = |dir: &Path| -> Res<Vec<String>> {
        let mut names: Vec<String> = std::fs::read_dir(dir)?
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        Ok(names)
    };
    let files_before = listed(&folder)?;

    let app = App::launch(&db).await;
    let checked = async {
        let app = app?;
        app.wait_count(19).await?;
        let notice = app.text("[data-testid=read-only-notice]").await?;
        assert!(
            notice.contains("the folder that holds the database is write-protected"),
            "{notice}"
        );
        disabled_saying_why(&app, "[data-testid=add-event]").await?;
        app.click("[data-testid=view-review]").await?;
        disabled_saying_why(
            &app,
            "[data-testid=review-item] [data-testid=review-accept]",
        )
        .await?;
        app.quit().await
    }
    .await;
    let after = (std::fs::read(&db)?, listed(&folder)?);
    chmod(&folder, 0o755)?;
    checked?;
    assert!(after.0 == before, "the database file changed");
    assert_eq!(after.1, files_before, "files were made beside it");
    Ok(())
}
