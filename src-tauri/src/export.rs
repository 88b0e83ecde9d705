//! File › Export…: the page chooses what (a format and the filters it shows, an
//! image of the timeline as drawn, or an article as TimeML); the shell asks
//! where to save with its own dialog, so the page never names a path; the core
//! writes the file whole or not at all (`annals_core::export`).

use std::path::PathBuf;

use annals_core::export::{self, Format, Summary};
use annals_core::query::EventFilter;
use serde::Serialize;
use tauri::{AppHandle, State};
use ts_rs::TS;

use crate::error::CommandError;
use crate::state::{now, AppState};

type Result<T> = std::result::Result<T, CommandError>;

/// What an export wrote, and where.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ExportedFile {
    pub path: String,
    pub summary: Summary,
}

/// An image of the timeline as the page drew it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Image {
    Png,
    Svg,
}

/// The largest image the page may send: a 16384-pixel-wide canvas at 2x is
/// far below it.
const MAX_IMAGE_BYTES: usize = 64 << 20;

impl Image {
    fn from_header(value: Option<&str>) -> Result<Image> {
        match value {
            Some("png") => Ok(Image::Png),
            Some("svg") => Ok(Image::Svg),
            other => Err(CommandError::from(annals_core::Error::invalid(
                "format",
                format!("an image is png or svg, not {other:?}"),
            ))),
        }
    }

    /// Whether `bytes` are what the format says: the PNG signature, or an SVG
    /// document (a page cannot have us save anything else under these names).
    fn check(self, bytes: &[u8]) -> Result<()> {
        let ok = match self {
            Image::Png => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
            Image::Svg => {
                let head = &bytes[..bytes.len().min(256)];
                std::str::from_utf8(bytes).is_ok()
                    && (head.starts_with(b"<?xml") || head.starts_with(b"<svg"))
                    && head.windows(4).any(|w| w == b"<svg")
            }
        };
        if bytes.len() > MAX_IMAGE_BYTES {
            return Err(CommandError::from(annals_core::Error::invalid(
                "image",
                format!(
                    "the image is {} MiB; at most {} MiB",
                    bytes.len() >> 20,
                    MAX_IMAGE_BYTES >> 20
                ),
            )));
        }
        if ok {
            Ok(())
        } else {
            Err(CommandError::from(annals_core::Error::invalid(
                "image",
                "the page sent something that is not the image it named",
            )))
        }
    }
}

/// Asks where to save (`None`: the user cancelled), suggesting `name`.
///
/// End-to-end tests cannot drive a native dialog: built with the `e2e` feature,
/// `ANNALS_E2E_SAVE` (a path) stands in for what the user would choose.
async fn choose_target(
    app: AppHandle,
    title: &'static str,
    filter: (&'static str, Vec<&'static str>),
    name: String,
) -> Result<Option<PathBuf>> {
    #[cfg(feature = "e2e")]
    if let Some(p) = std::env::var_os("ANNALS_E2E_SAVE") {
        return Ok(Some(PathBuf::from(p)));
    }
    use tauri_plugin_dialog::DialogExt;
    let picked = tauri::async_runtime::spawn_blocking(move || {
        app.dialog()
            .file()
            .set_title(title)
            .add_filter(filter.0, &filter.1)
            .set_file_name(name)
            .blocking_save_file()
    })
    .await
    .map_err(|e| CommandError::internal(format!("the file dialog failed: {e}")))?;
    Ok(picked.and_then(|p| p.into_path().ok()))
}

/// Writes `bytes` to `path` whole (beside it, then renamed), off the async runtime.
async fn save(path: PathBuf, bytes: Vec<u8>) -> Result<()> {
    tauri::async_runtime::spawn_blocking(move || {
        export::whole_file(&path, |out| {
            out.write_all(&bytes).map_err(|e| annals_core::Error::Io {
                context: format!("cannot write {}", path.display()),
                source: e,
            })
        })
    })
    .await
    .map_err(|e| CommandError::internal(format!("the export failed: {e}")))??;
    Ok(())
}

fn today_name(stem: &str, ext: &str) -> String {
    format!("{stem}-{}.{ext}", crate::state::today().format("%Y-%m-%d"))
}

/// Exports the events `filter` selects (what the timeline and list show) in
/// `format`, to a file the user chooses; `None` when they cancel.
#[tauri::command]
pub async fn export_events(
    app: AppHandle,
    state: State<'_, AppState>,
    format: Format,
    filter: EventFilter,
) -> Result<Option<ExportedFile>> {
    let ext = format.extension();
    let Some(path) = choose_target(
        app,
        "Export Events",
        (format.label(), vec![ext]),
        today_name("annals-timeline", ext),
    )
    .await?
    else {
        return Ok(None);
    };
    let target = path.clone();
    let summary = state
        .with_db(move |db| export::to_file(db, &filter, format, &now(), &target, &mut |_| {}))
        .await?;
    log::info!(
        "exported {} events as {} to {:?} ({} bytes)",
        summary.events,
        format.as_str(),
        path,
        summary.bytes
    );
    Ok(Some(ExportedFile {
        path: path.display().to_string(),
        summary,
    }))
}

/// Saves the image the page drew (PNG or SVG bytes as the request body, the
/// format in the `x-annals-format` header) to a file the user chooses.
#[tauri::command]
pub async fn export_image(
    app: AppHandle,
    request: tauri::ipc::Request<'_>,
) -> Result<Option<String>> {
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return Err(CommandError::from(annals_core::Error::invalid(
            "image",
            "the image must come as raw bytes",
        )));
    };
    let header = request
        .headers()
        .get("x-annals-format")
        .and_then(|v| v.to_str().ok());
    let image = Image::from_header(header)?;
    image.check(bytes)?;
    let (ext, label) = match image {
        Image::Png => ("png", "PNG image"),
        Image::Svg => ("svg", "SVG image"),
    };
    let bytes = bytes.clone();
    let Some(path) = choose_target(
        app,
        "Export Timeline Image",
        (label, vec![ext]),
        today_name("annals-timeline", ext),
    )
    .await?
    else {
        return Ok(None);
    };
    save(path.clone(), bytes).await?;
    log::info!("exported the timeline as {ext} to {path:?}");
    Ok(Some(path.display().to_string()))
}

/// Saves an article as TimeML (its date expressions as TIMEX3).
#[tauri::command]
pub async fn export_article_timeml(
    app: AppHandle,
    state: State<'_, AppState>,
    article_id: i64,
) -> Result<Option<String>> {
    // Read first: a missing article fails before the dialog opens.
    let doc = state
        .with_db(move |db| export::article_timeml(db, article_id))
        .await?;
    let Some(path) = choose_target(
        app,
        "Export Article as TimeML",
        ("TimeML", vec!["tml", "xml"]),
        format!("article-{article_id}.tml"),
    )
    .await?
    else {
        return Ok(None);
    };
    save(path.clone(), doc.into_bytes()).await?;
    Ok(Some(path.display().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_image_it_names_is_saved() {
        assert!(Image::Png.check(b"\x89PNG\r\n\x1a\nrest").is_ok());
        assert!(Image::Png.check(b"<svg/>").is_err());
        assert!(Image::Svg
            .check(b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
            .is_ok());
        assert!(Image::Svg.check(b"#!/bin/sh\nrm -rf ~").is_err());
        assert!(Image::Svg.check(b"<svg \xff\xfe").is_err());
        assert!(Image::from_header(Some("exe")).is_err());
        assert!(Image::from_header(None).is_err());
    }
}
