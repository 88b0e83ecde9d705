//! Side by side with vis-timeline (`make compare`): the same N events drawn by
//! our timeline and by vis-timeline 8 (ui/node_modules, a dev dependency of the
//! page, never shipped), in the same WebKitGTK webview of the real app, through
//! the same scripted zoom: 60 steps from the whole span to about a day and 60
//! back, one step per animation frame, each step e^0.18 narrower (what one
//! wheel notch does in our timeline).
//!
//! For each N (1,000, 10,000 and 100,000 unless given as arguments; the events
//! are `annals gen --events N --seed 1`, kept under `target/frames/`):
//!
//! - **first render**: ours, from the start of the page (a reload, the process
//!   already running) to its first frame with events, which includes reading
//!   them from the database; vis-timeline, from handing it the events, already
//!   in memory, to the first frame after its first redraw;
//! - **frames**: the gaps between animation frames during the zoom (what a user
//!   sees as smoothness), p50/p95/max, for each;
//! - the ratios vis-timeline / ours.
//!
//! vis-timeline runs with its default options, as a web developer would start;
//! its zoom goes through `setWindow` (no animation) about the centre, ours
//! through wheel events at the centre. A zoom that takes longer than the budget
//! (`COMPARE_BUDGET_S`, 120 s per part) is cut short, and a first render longer
//! than `COMPARE_LIMIT_S` (600 s) stops that size; both are said. Screenshots
//! of each first render go to `target/compare/`.

#[path = "harness.rs"]
#[allow(dead_code)] // the example uses part of the tests' harness
mod harness;

use std::path::PathBuf;
use std::time::Duration;

use harness::{generated, spread, App, Res};
use serde_json::{json, Value};

/// Zoom steps each way, and e^STEP per step.
const STEPS: u32 = 60;
const STEP: f64 = 0.18;

/// Our zoom, run in the page: wheel notches at the centre of the canvas, one
/// per animation frame; the gaps between frames, per part.
const OURS: &str = r#"
  const [steps] = arguments;
  const canvas = document.querySelector("[data-testid=timeline]");
  const r = canvas.getBoundingClientRect();
  const frame = () => new Promise((res) => requestAnimationFrame(res));
  const sleep = (ms) => new Promise((res) => setTimeout(res, ms));
  const wheel = (dy) =>
    canvas.dispatchEvent(new WheelEvent("wheel", {
      clientX: r.left + r.width / 2, clientY: r.top + r.height / 2,
      deltaX: 0, deltaY: dy, deltaMode: 0, bubbles: true, cancelable: true,
    }));
  const out = (window.__cmp = { done: false, gaps: { in: [], out: [] } });
  (async () => {
    try {
      document.querySelector("[data-testid=fit-all]").click();
      await sleep(1500);
      for (const [part, dy] of [["in", -100], ["out", 100]]) {
        let last = await frame();
        for (let i = 0; i < steps; i++) {
          wheel(dy);
          const t = await frame();
          out.gaps[part].push(t - last);
          last = t;
        }
      }
    } catch (e) {
      out.error = String(e);
    }
    out.done = true;
  })();
  return 1;
"#;

/// vis-timeline in the same page, over our app (hidden): its stylesheet, then
/// the events (already in memory) handed to a new Timeline, to its first frame.
/// `arguments`: the stylesheet, the events as [id, title, start ms, end ms or
/// null].
const VIS_FIRST: &str = r#"
  const [css, rows] = arguments;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css + "\n#cmp-vis { position: fixed; inset: 0; z-index: 2147483647; background: #fff; }");
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  for (const el of document.body.children) el.style.display = "none";
  const box = document.createElement("div");
  box.id = "cmp-vis";
  document.body.appendChild(box);
  const frame = () => new Promise((res) => requestAnimationFrame(res));
  const out = (window.__cmp = { done: false });
  (async () => {
    try {
      await frame();
      const t0 = performance.now();
      const items = new vis.DataSet(rows.map(([id, content, start, end]) =>
        end === null ? { id, content, start } : { id, content, start, end }));
      let changed;
      const first = new Promise((res) => { changed = res; });
      const timeline = (window.__cmpTimeline = new vis.Timeline(box, items, {}));
      timeline.on("changed", () => changed());
      // Its first redraw, or (if that was done inside the constructor) the next frame.
      await Promise.race([first, frame()]);
      out.first = (await frame()) - t0;
      out.shown = box.querySelectorAll(".vis-item:not(.vis-line):not(.vis-dot)").length;
    } catch (e) {
      out.error = String(e);
    }
    out.done = true;
  })();
  return 1;
"#;

/// The same zoom on vis-timeline, through `setWindow` about the centre of its
/// first window. `arguments`: steps, the step, the budget per part in ms.
const VIS_ZOOM: &str = r#"
  const [steps, step, budget] = arguments;
  const timeline = window.__cmpTimeline;
  const frame = () => new Promise((res) => requestAnimationFrame(res));
  const out = (window.__cmp = { done: false, gaps: { in: [], out: [] }, cut: [] });
  (async () => {
    try {
      const w = timeline.getWindow();
      const centre = (w.start.valueOf() + w.end.valueOf()) / 2;
      let half = (w.end.valueOf() - w.start.valueOf()) / 2;
      for (const [part, factor] of [["in", Math.exp(-step)], ["out", Math.exp(step)]]) {
        const began = performance.now();
        let last = await frame();
        for (let i = 0; i < steps; i++) {
          half *= factor;
          timeline.setWindow(centre - half, centre + half, { animation: false });
          const t = await frame();
          out.gaps[part].push(t - last);
          last = t;
          if (t - began > budget && i + 1 < steps) { out.cut.push(`${part} after ${i + 1} of ${steps} steps`); break; }
        }
      }
    } catch (e) {
      out.error = String(e);
    }
    out.done = true;
  })();
  return 1;
"#;

struct Run {
    first: f64,
    gaps_in: Vec<f64>,
    gaps_out: Vec<f64>,
    cut: Vec<String>,
}

fn node_module(path: &str) -> Res<String> {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("ui/node_modules")
        .join(path);
    std::fs::read_to_string(&file)
        .map_err(|e| format!("{}: {e} (run `make deps`)", file.display()).into())
}

/// Where the screenshots of each first render go.
fn shots() -> Res<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/compare");
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// The events of the database as vis-timeline items: a day or less is a box
/// at its start, anything longer a range.
fn items(db: &std::path::Path) -> Res<Vec<Value>> {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let mut stmt = conn.prepare("SELECT id, title, lo, hi FROM event ORDER BY lo, id")?;
    let rows = stmt.query_map([], |r| {
        let (id, title, lo, hi): (i64, String, i64, i64) =
            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
        let end = if hi - lo > 1440 {
            json!(hi as f64 * 60_000.0)
        } else {
            Value::Null
        };
        Ok(json!([id, title, lo as f64 * 60_000.0, end]))
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Waits for the page's `window.__cmp` to be done.
async fn finished(app: &App) -> Res<Value> {
    loop {
        let v = app
            .client
            .execute(
                "const c = window.__cmp; return c && c.done ? { first: c.first ?? null, shown: c.shown ?? null, gaps: c.gaps ?? {}, cut: c.cut ?? [], error: c.error ?? null } : null;",
                vec![],
            )
            .await?;
        if !v.is_null() {
            if let Some(e) = v["error"].as_str() {
                return Err(format!("the page failed: {e}").into());
            }
            return Ok(v);
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

fn run_of(v: &Value, first: f64) -> Run {
    let nums = |part: &str| -> Vec<f64> {
        v["gaps"][part]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_f64).collect())
            .unwrap_or_default()
    };
    Run {
        first,
        gaps_in: nums("in"),
        gaps_out: nums("out"),
        cut: v["cut"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|c| c.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// Ours: a reload (the page from its start, the app already running) to the
/// first frame with events, then the zoom.
async fn ours(app: &App, n: usize) -> Res<Run> {
    app.client
        .execute("location.reload(); return 1;", vec![])
        .await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let first = app.first_data_paint(false).await?;
    app.screenshot(&shots()?.join(format!("ours-{n}.png")))
        .await?;
    app.client.execute(OURS, vec![json!(STEPS)]).await?;
    let v = finished(app).await?;
    Ok(run_of(&v, first))
}

/// vis-timeline's first render, or none when it takes longer than `limit`.
async fn theirs_first(
    app: &App,
    css: &str,
    js: &str,
    rows: Vec<Value>,
    n: usize,
) -> Res<(f64, u64)> {
    let loaded = app
        .client
        .execute("return typeof window.vis !== 'undefined';", vec![])
        .await?;
    if loaded != Value::Bool(true) {
        app.client
            .execute(&format!("{js}\nreturn 1;"), vec![])
            .await?;
    }
    app.client
        .execute(VIS_FIRST, vec![json!(css), Value::Array(rows)])
        .await?;
    let v = finished(app).await?;
    app.screenshot(&shots()?.join(format!("vis-timeline-{n}.png")))
        .await?;
    Ok((
        v["first"].as_f64().unwrap_or(f64::NAN),
        v["shown"].as_u64().unwrap_or(0),
    ))
}

async fn theirs_zoom(app: &App, budget: f64, first: f64) -> Res<Run> {
    app.client
        .execute(VIS_ZOOM, vec![json!(STEPS), json!(STEP), json!(budget)])
        .await?;
    let v = finished(app).await?;
    Ok(run_of(&v, first))
}

fn line(name: &str, r: &Run) {
    let all: Vec<f64> = r.gaps_in.iter().chain(&r.gaps_out).copied().collect();
    let frames = all.len();
    let (g50, g95, gmax) = spread(all);
    println!(
        "  {name:<13} first render {:>9.0} ms   zoom frames {frames:>4}: gap p50 {g50:>7.1}  p95 {g95:>7.1}  max {gmax:>8.1} ms{}",
        r.first,
        if r.cut.is_empty() {
            String::new()
        } else {
            format!("   (cut short: {})", r.cut.join(", "))
        }
    );
}

#[tokio::main]
async fn main() -> Res {
    let sizes: Vec<usize> = {
        let given: Vec<usize> = std::env::args()
            .skip(1)
            .filter_map(|a| a.replace(['_', ','], "").parse().ok())
            .collect();
        if given.is_empty() {
            vec![1_000, 10_000, 100_000]
        } else {
            given
        }
    };
    let budget = std::env::var("COMPARE_BUDGET_S")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .unwrap_or(120.0)
        * 1000.0;
    let limit = Duration::from_secs(
        std::env::var("COMPARE_LIMIT_S")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(600),
    );
    let css = node_module("vis-timeline/styles/vis-timeline-graph2d.min.css")?;
    let js = node_module("vis-timeline/standalone/umd/vis-timeline-graph2d.min.js")?;
    let version: Value = serde_json::from_str(&node_module("vis-timeline/package.json")?)?;
    println!(
        "vis-timeline {} against our timeline, in the app's WebKitGTK webview; {STEPS} zoom steps in and out, e^{STEP} each",
        version["version"].as_str().unwrap_or("?")
    );
    let mut ratios = Vec::new();
    for n in sizes {
        let db = generated(n)?;
        let rows = items(&db)?;
        println!("\n{n} events");
        let app = App::start(&db).await?;
        let a = ours(&app, n).await?;
        line("ours", &a);
        // vis-timeline's first render cannot be interrupted in the page: past
        // the limit the app is closed and the render reported as not done.
        let first = tokio::time::timeout(limit, theirs_first(&app, &css, &js, rows, n)).await;
        let b = match first {
            Ok(first) => {
                let (first, shown) = first?;
                let most = Duration::from_secs_f64(budget / 1000.0 * 2.0) + limit;
                let b = tokio::time::timeout(most, theirs_zoom(&app, budget, first))
                    .await
                    .map_err(|_| {
                        format!("vis-timeline's zoom not done in {} s", most.as_secs())
                    })??;
                line("vis-timeline", &b);
                println!("  (vis-timeline drew {shown} items in its first window)");
                app.quit().await?;
                Some(b)
            }
            Err(_) => {
                println!(
                    "  vis-timeline  no first render within {} s: stopped",
                    limit.as_secs()
                );
                drop(app);
                None
            }
        };
        ratios.push((n, a, b));
    }
    let p95 = |r: &Run| spread(r.gaps_in.iter().chain(&r.gaps_out).copied().collect()).1;
    println!("\nratios, vis-timeline / ours (above 1: ours is faster)");
    for (n, a, b) in ratios {
        match b {
            Some(b) => println!(
                "  {n:>7} events: first render {:>8.1}x   zoom frame gap p95 {:>8.1}x{}",
                b.first / a.first,
                p95(&b) / p95(&a),
                if b.cut.is_empty() {
                    ""
                } else {
                    " (vis-timeline's zoom cut short)"
                }
            ),
            None => println!(
                "  {n:>7} events: first render over {:.0}x (vis-timeline not done in {} s)",
                limit.as_secs_f64() * 1000.0 / a.first,
                limit.as_secs()
            ),
        }
    }
    println!("screenshots of each first render: {}", shots()?.display());
    Ok(())
}
