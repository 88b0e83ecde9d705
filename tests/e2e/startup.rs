//! Measures the real app: time from launch to the first frame of the timeline
//! that shows events (the page's `annals:first-data-paint` performance mark), and
//! the memory of the app's processes once it is idle. Run with `make measure`.
//!
//! Launch time is counted from just before the WebDriver session is requested
//! (WebKitWebDriver then starts the app), so it includes the driver's small share.

#[path = "harness.rs"]
#[allow(dead_code)] // the example uses part of the tests' harness
mod harness;

use std::time::Duration;

use harness::{epoch_ms, memory_below, App, Res, Workspace};

const RUNS: usize = 7;

fn median(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(f64::total_cmp);
    (v[v.len() / 2], v[0], v[v.len() - 1])
}

/// Launch to first frame with events, and the part of it spent in the page
/// (from the page's navigation start).
async fn launch_to_paint(db: &std::path::Path) -> Res<(f64, f64, App)> {
    let t0 = epoch_ms();
    let app = App::start(db).await?;
    let script = "const m = performance.getEntriesByName('annals:first-data-paint')[0];\
                  return m ? [performance.timeOrigin + m.startTime, m.startTime] : null;";
    let (painted, in_page) = app
        .eventually("the first frame with events", || async {
            let v = app.client.execute(script, vec![]).await?;
            Ok(v.as_array()
                .map(|a| (a[0].as_f64().unwrap_or(0.0), a[1].as_f64().unwrap_or(0.0))))
        })
        .await?;
    Ok((painted - t0, in_page, app))
}

/// Where the page's share goes: navigation milestones and the app's own
/// `annals:*` marks (ui/src/lib/perf.ts), in ms from navigation start.
const MILESTONES: [&str; 8] = [
    "responseEnd",
    "domInteractive",
    "annals:script",
    "annals:ready",
    "annals:facets",
    "annals:window",
    "annals:first-data-paint",
    "domContentLoadedEventEnd",
];

async fn milestones(app: &App) -> Res<Vec<f64>> {
    let script = "const n = performance.getEntriesByType('navigation')[0] || {};\
                  return arguments[0].map(k => k.startsWith('annals:') \
                    ? ((performance.getEntriesByName(k, 'mark')[0] || {}).startTime ?? -1) \
                    : (n[k] ?? -1));";
    let names: Vec<serde_json::Value> = MILESTONES.iter().map(|m| (*m).into()).collect();
    let v = app.client.execute(script, vec![names.into()]).await?;
    Ok(v.as_array()
        .map(|a| a.iter().map(|x| x.as_f64().unwrap_or(-1.0)).collect())
        .unwrap_or_default())
}

#[tokio::main]
async fn main() -> Res {
    let (mut first, mut warm, mut rss, mut pss) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut page = Vec::new();
    let mut steps: Vec<Vec<f64>> = vec![Vec::new(); MILESTONES.len()];
    let mut names = Vec::new();
    for _ in 0..RUNS {
        let ws = Workspace::new()?;
        // A new database: created, migrated and seeded on the way.
        let (ms, _, app) = launch_to_paint(&ws.db()).await?;
        first.push(ms);
        app.quit().await?;
        // The same database again: the everyday start.
        let (ms, in_page, app) = launch_to_paint(&ws.db()).await?;
        warm.push(ms);
        page.push(in_page);
        for (k, ms) in milestones(&app).await?.into_iter().enumerate() {
            if let Some(v) = steps.get_mut(k) {
                v.push(ms);
            }
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
        if let Some(pid) = app.driver_pid() {
            let (r, p, n) = memory_below(pid);
            rss.push(r);
            pss.push(p);
            names = n;
        }
        app.quit().await?;
    }
    let show = |what: &str, v: Vec<f64>, unit: &str| {
        let (m, lo, hi) = median(v);
        println!("{what:<44} median {m:7.0} {unit}  (min {lo:.0}, max {hi:.0}; {RUNS} runs)");
    };
    show("launch to first timeline frame, new database", first, "ms");
    show("launch to first timeline frame, existing db", warm, "ms");
    show("  of which in the page (navigation to frame)", page, "ms");
    for (name, v) in MILESTONES.iter().zip(steps) {
        if !v.is_empty() {
            show(&format!("    page: {name}"), v, "ms");
        }
    }
    show("memory of the app's processes, RSS sum", rss, "MiB");
    show("memory of the app's processes, PSS sum", pss, "MiB");
    println!("processes: {}", names.join(", "));
    Ok(())
}
