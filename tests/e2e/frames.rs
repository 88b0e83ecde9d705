//! The real app on a large timeline (`make frames`): a database of N synthetic
//! events (`annals gen`, kept under `target/` for the next run), the app
//! launched on it, then in the page, at the pace of the screen: a zoom from all
//! time to about a day and back, a zoom to about a month and a pan across a
//! year, as a wheel would send them. It prints, per part and in all:
//!
//! - the timeline's own work per frame (`data-frame-ms` on its canvas: layout
//!   and drawing), p50/p95/max, and the gaps between animation frames;
//! - every command the page sent (`window_events`, `facets`, ...) with its
//!   time from the page's call to its answer (recorded by the page's api while
//!   `window.__annalsCalls` is set), p50/p95/max and how many took over 50 ms;
//! - launch to the first frame with events, and the memory of the app's
//!   processes at the end (RSS and PSS sums).
//!
//! `ANNALS_APP` and `ANNALS_CLI` choose the binaries (`make frames` builds and
//! uses the release ones); the first argument is N (1,000,000 by default).

#[path = "harness.rs"]
#[allow(dead_code)] // the example uses part of the tests' harness
mod harness;

use std::time::Duration;

use harness::{epoch_ms, generated, memory_below, spread, App, Res};
use serde_json::Value;

/// Installed once in the page: records frame work, frame gaps and command
/// times while `window.__frames.on`.
const RECORDER: &str = r#"
  if (window.__frames) return 1;
  const rec = (window.__frames = { on: false, part: "", draws: [], gaps: [], calls: [] });
  const canvas = document.querySelector("[data-testid=timeline]");
  new MutationObserver(() => {
    if (rec.on) rec.draws.push([rec.part, Number(canvas.getAttribute("data-frame-ms"))]);
  }).observe(canvas, { attributes: true, attributeFilter: ["data-frame-ms"] });
  let last = 0;
  const tick = (t) => {
    if (rec.on && last) rec.gaps.push([rec.part, t - last]);
    last = t;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  // The page's api pushes [command, ms] here while it is an array.
  window.__annalsCalls = {
    push: ([cmd, ms]) => { if (rec.on) rec.calls.push([rec.part, cmd, ms]); },
  };
  return 1;
"#;

/// The scripted session, run in the page in one call: wheel events one per
/// animation frame, as a trackpad sends them.
const SESSION: &str = r#"
  const done = arguments[arguments.length - 1];
  const rec = window.__frames;
  const canvas = document.querySelector("[data-testid=timeline]");
  const r = canvas.getBoundingClientRect();
  const frame = () => new Promise((res) => requestAnimationFrame(() => res()));
  const sleep = (ms) => new Promise((res) => setTimeout(res, ms));
  const wheel = (dx, dy) =>
    canvas.dispatchEvent(new WheelEvent("wheel", {
      clientX: r.left + r.width / 2, clientY: r.top + r.height / 2,
      deltaX: dx, deltaY: dy, deltaMode: 0, bubbles: true, cancelable: true,
    }));
  (async () => {
    try {
      document.querySelector("[data-testid=fit-all]").click();
      await sleep(1500);
      rec.on = true;
      // e^(100 * 0.0018) per step: 60 steps from decades to about a day.
      rec.part = "zoom in";
      for (let i = 0; i < 60; i++) { wheel(0, -100); await frame(); }
      rec.part = "zoom out";
      for (let i = 0; i < 60; i++) { wheel(0, 100); await frame(); }
      rec.on = false;
      document.querySelector("[data-testid=fit-all]").click();
      await sleep(1000);
      // From decades to about a month (e^10.5 narrower), then a tenth of the
      // view per frame: 120 frames are a year.
      for (let i = 0; i < 42; i++) { wheel(0, -100); await frame(); }
      await sleep(1000);
      rec.on = true;
      rec.part = "pan";
      for (let i = 0; i < 120; i++) { wheel(r.width / 10, 0); await frame(); }
      await sleep(500);
      rec.on = false;
      done({ draws: rec.draws, gaps: rec.gaps, calls: rec.calls });
    } catch (e) {
      done({ error: String(e) });
    }
  })();
"#;

#[tokio::main]
async fn main() -> Res {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.replace(['_', ','], "").parse().ok())
        .unwrap_or(1_000_000);
    let db = generated(n)?;
    let size = std::fs::metadata(&db)?.len();
    println!(
        "{n} events, {:.0} MB, {:.0} bytes an event",
        size as f64 / 1e6,
        size as f64 / n as f64
    );

    let t0 = epoch_ms();
    let app = App::start(&db).await?;
    let painted = app.first_data_paint(true).await?;
    println!("launch to first frame with events: {:.0} ms", painted - t0);

    app.client.execute(RECORDER, vec![]).await?;
    let result = app.client.execute_async(SESSION, vec![]).await?;
    if let Some(e) = result.get("error") {
        return Err(format!("the session failed in the page: {e}").into());
    }
    let rows = |key: &str| -> Vec<Value> { result[key].as_array().cloned().unwrap_or_default() };
    let (draws, gaps, calls) = (rows("draws"), rows("gaps"), rows("calls"));
    let num = |v: &Value, i: usize| v[i].as_f64().unwrap_or(0.0);
    let part = |v: &Value| v[0].as_str().unwrap_or("").to_string();

    println!(
        "\n{:<10} {:>6} {:>24} {:>24}",
        "part", "frames", "frame work p50/p95/max", "frame gap p50/p95/max"
    );
    for p in ["zoom in", "zoom out", "pan", "all"] {
        let pick = |rows: &[Value]| -> Vec<f64> {
            rows.iter()
                .filter(|r| p == "all" || part(r) == p)
                .map(|r| num(r, 1))
                .collect()
        };
        let (d, g) = (pick(&draws), pick(&gaps));
        let count = d.len();
        let (d50, d95, dmax) = spread(d);
        let (g50, g95, gmax) = spread(g);
        println!(
            "{p:<10} {count:>6} {d50:>8.1}{d95:>8.1}{dmax:>8.1} {g50:>8.1}{g95:>8.1}{gmax:>8.1}  ms"
        );
    }

    println!(
        "\n{:<16} {:>6} {:>24} {:>8}",
        "command", "calls", "p50/p95/max", ">50 ms"
    );
    let mut names: Vec<String> = calls
        .iter()
        .map(|c| c[1].as_str().unwrap_or("").to_string())
        .collect();
    names.sort();
    names.dedup();
    names.push("all".into());
    for name in names {
        let times: Vec<f64> = calls
            .iter()
            .filter(|c| name == "all" || c[1].as_str() == Some(name.as_str()))
            .map(|c| num(c, 2))
            .collect();
        let slow = times.iter().filter(|&&t| t > 50.0).count();
        let count = times.len();
        let (m, p95, max) = spread(times);
        println!("{name:<16} {count:>6} {m:>8.1}{p95:>8.1}{max:>8.1} {slow:>8}  ms");
    }

    for c in calls.iter().filter(|c| num(c, 2) > 50.0) {
        println!(
            "over 50 ms: {} {:.0} ms during {}",
            c[1].as_str().unwrap_or(""),
            num(c, 2),
            part(c)
        );
    }

    tokio::time::sleep(Duration::from_secs(1)).await;
    if let Some(pid) = app.driver_pid() {
        let (rss, pss, procs) = memory_below(pid);
        println!(
            "\nmemory of the app's processes: RSS {rss:.0} MiB, PSS {pss:.0} MiB ({})",
            procs.join(", ")
        );
    }
    app.quit().await
}
