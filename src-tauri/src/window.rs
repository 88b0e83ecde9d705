//! The main window, built here rather than from `tauri.conf.json` (where it is
//! declared with `"create": false`) so that it can carry the navigation guard.
//!
//! **Invariant: the window shows the app and nothing else.** A link, a
//! `window.location` assignment or a form the page did not mean (text from an
//! article that somehow became markup, say) cannot take the window to another
//! page, and `window.open` or a `target=_blank` link opens no window: every
//! navigation to a URL outside the app's own origin is refused and logged, and
//! every new-window request is denied.

use tauri::webview::{NewWindowResponse, WebviewWindowBuilder};
use tauri::Url;

/// The label of the one window, as `tauri.conf.json` and the capability name it.
pub const MAIN: &str = "main";

/// Builds the main window from its configuration, with the navigation guard.
pub fn build_main(app: &tauri::App) -> tauri::Result<()> {
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == MAIN)
        .cloned()
        .unwrap_or_default();
    let dev_url = app.config().build.dev_url.clone();
    WebviewWindowBuilder::from_config(app.handle(), &config)?
        .on_navigation(move |url| {
            let allowed = is_the_app(url, dev_url.as_ref());
            if !allowed {
                log::warn!("refused to navigate the window to {url}");
            }
            allowed
        })
        .on_new_window(|url, _features| {
            log::warn!("refused to open a window on {url}");
            NewWindowResponse::Deny
        })
        .build()?;
    Ok(())
}

/// Whether `url` is the app's own page: the embedded frontend (`tauri://localhost`
/// on Linux and macOS, `http(s)://tauri.localhost` on Windows), or in a dev build
/// (no `custom-protocol`) Vite's dev server at `devUrl`.
fn is_the_app(url: &Url, dev_url: Option<&Url>) -> bool {
    let embedded = match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => url.host_str() == Some("tauri.localhost"),
        _ => false,
    };
    let dev = !cfg!(feature = "custom-protocol")
        && dev_url.is_some_and(|d| d.origin() == url.origin() && d.scheme() != "file");
    embedded || dev
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn the_embedded_app_is_allowed_and_nothing_else() {
        for ok in [
            "tauri://localhost/",
            "tauri://localhost/index.html#review",
            "http://tauri.localhost/",
            "https://tauri.localhost/assets/x.js",
        ] {
            assert!(is_the_app(&url(ok), None), "{ok} was refused");
        }
        for bad in [
            "https://example.com/",
            "http://localhost:1420/",
            "tauri://evil.example/",
            "https://tauri.localhost.evil.example/",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "about:blank",
            "ipc://localhost/app_info",
        ] {
            assert!(!is_the_app(&url(bad), None), "{bad} was allowed");
        }
    }

    #[test]
    fn the_dev_server_is_allowed_only_in_a_dev_build() {
        let dev = url("http://localhost:1420");
        let page = url("http://localhost:1420/src/main.ts");
        assert_eq!(
            is_the_app(&page, Some(&dev)),
            !cfg!(feature = "custom-protocol")
        );
        assert!(!is_the_app(&url("http://localhost:1421/"), Some(&dev)));
    }
}
