//! The window shows the app and nothing else: whatever the page tries (a link, a
//! `window.location` assignment, `window.open`, a form), it stays where it was
//! and no second window opens. And what every object inherits cannot be
//! changed by a script (`app.security.freezePrototype`).

use std::time::Duration;

use crate::harness::{App, Res, Workspace};

/// What the page does to try to leave, one attempt each.
const ATTEMPTS: &[(&str, &str)] = &[
    (
        "a link clicked",
        "const a = document.createElement('a'); a.href = 'https://example.com/'; \
         document.body.append(a); a.click(); a.remove();",
    ),
    (
        "a target=_blank link clicked",
        "const a = document.createElement('a'); a.href = 'https://example.com/'; \
         a.target = '_blank'; document.body.append(a); a.click(); a.remove();",
    ),
    (
        "window.location assigned",
        "window.location = 'https://example.com/';",
    ),
    (
        "location.replace to a local file",
        "location.replace('file:///etc/passwd');",
    ),
    (
        "window.open",
        "window.__opened = window.open('https://example.com/');",
    ),
    (
        "window.open on the app's own page",
        "window.__opened = window.open(location.href);",
    ),
    (
        "a data: URL",
        "location.href = 'data:text/html,<p>elsewhere</p>';",
    ),
];

#[tokio::test]
async fn the_page_cannot_navigate_away_or_open_windows() -> Res {
    let ws = Workspace::new()?;
    let app = App::launch(&ws.db()).await?;
    app.wait_count(21).await?;
    let home = app.client.current_url().await?;
    let handles = app.client.windows().await?;
    assert_eq!(handles.len(), 1);
    // A marker that only this page load has: a navigation, even back to the
    // app's own URL, would lose it.
    app.client
        .execute("window.__annalsMarker = 'still here'; return null;", vec![])
        .await?;
    for (what, script) in ATTEMPTS {
        app.client.execute(script, vec![]).await?;
        // A navigation or a new window would have started by now.
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert_eq!(
            app.client.windows().await?.len(),
            1,
            "{what}: a window was opened"
        );
        let marker = app
            .client
            .execute("return window.__annalsMarker ?? null;", vec![])
            .await?;
        assert_eq!(marker, "still here", "{what}: the page was replaced");
        assert_eq!(
            app.client.current_url().await?,
            home,
            "{what}: the window left the app"
        );
        assert_eq!(app.result_count().await?, 21, "{what}: the app is gone");
    }
    let opened = app
        .client
        .execute("return window.__opened === null;", vec![])
        .await?;
    assert_eq!(opened, true, "window.open returned a window");
    app.quit().await
}

#[tokio::test]
async fn a_script_cannot_change_what_every_object_inherits() -> Res {
    let ws = Workspace::new()?;
    let app = App::launch(&ws.db()).await?;
    app.wait_count(21).await?;
    // Tauri freezes Object.prototype before the page's first script: defining a
    // property on it throws, assigning one does nothing.
    let got = app
        .client
        .execute(
            "let threw = false;\
             try { Object.defineProperty(Object.prototype, 'polluted', { value: 1 }); }\
             catch (e) { threw = e instanceof TypeError; }\
             try { Object.prototype.isAdmin = true; } catch (e) { /* strict mode */ }\
             return [Object.isFrozen(Object.prototype), threw, ({}).polluted === undefined, ({}).isAdmin === undefined];",
            vec![],
        )
        .await?;
    assert_eq!(got, serde_json::json!([true, true, true, true]));
    // The app still works with it frozen: a filter narrows the timeline.
    app.fill("input[data-testid=search]", "Spanish Embassy")
        .await?;
    app.eventually("the search to narrow the timeline", || async {
        let n = app.result_count().await?;
        Ok((n > 0 && n < 21).then_some(()))
    })
    .await?;
    app.quit().await
}
