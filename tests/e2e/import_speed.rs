//! Measures importing a whole corpus through the window, as a user would: File >
//! Import on the JSON Lines file (the native dialog's choice stood in for by
//! `ANNALS_E2E_PICK`), Import, the progress dialog until the summary. Reports
//! stories per second and MB per second from the app's own summary, and checks
//! that the progress display moved on the way. Run with `make measure-import`
//! (a release build with the `e2e` feature; `ANNALS_CORPUS` picks the corpus).

#[path = "harness.rs"]
#[allow(dead_code)] // the example uses part of the tests' harness
mod harness;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use harness::{App, Res, Workspace};

const RUNS: usize = 3;

fn corpus() -> std::path::PathBuf {
    std::env::var_os("ANNALS_CORPUS")
        .map(Into::into)
        .unwrap_or_else(|| "../shared/corpora/reuters21578.jsonl".into())
}

/// (seconds, imported, duplicates, skipped) from the summary line
/// "19,043 imported · 12 already there · 0 skipped · 9,876 events to review (41.2 s)".
fn parse_summary(s: &str) -> Option<(f64, u64, u64, u64)> {
    let number = |what: &str| -> u64 {
        s.split(" · ")
            .find(|p| p.trim_start().contains(what))
            .and_then(|p| p.split_whitespace().next())
            .and_then(|n| n.replace(',', "").parse().ok())
            .unwrap_or(0)
    };
    let secs = s.rsplit_once('(')?.1.trim_end_matches(')').trim();
    let secs = if let Some(ms) = secs.strip_suffix(" ms") {
        ms.parse::<f64>().ok()? / 1000.0
    } else {
        secs.strip_suffix(" s")?.parse().ok()?
    };
    Some((
        secs,
        number("imported"),
        number("already there"),
        number("skipped"),
    ))
}

async fn one_run(corpus: &std::path::Path) -> Res<(f64, u64, u64, u64, usize)> {
    let ws = Workspace::new()?;
    let app = App::import_on_empty(&ws.db(), &[corpus.to_path_buf()]).await?;
    // Poll the progress text until the summary shows; count the distinct texts seen.
    let mut seen = BTreeSet::new();
    let deadline = Instant::now() + Duration::from_secs(1800);
    let summary = loop {
        let v = app
            .client
            .execute(
                "const s = document.querySelector('[data-testid=import-summary]');\
                 const p = document.querySelector('[data-testid=import-progress-text]');\
                 return [s ? s.textContent : null, p ? p.textContent : null];",
                vec![],
            )
            .await?;
        if let Some(s) = v[0].as_str() {
            break s.trim().to_string();
        }
        if let Some(p) = v[1].as_str() {
            seen.insert(p.to_string());
        }
        if Instant::now() > deadline {
            return Err("the import did not finish in 30 minutes".into());
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    app.quit().await?;
    let (secs, imported, dup, skipped) =
        parse_summary(&summary).ok_or_else(|| format!("cannot read the summary `{summary}`"))?;
    println!("run: {summary}; {} progress texts seen", seen.len());
    Ok((secs, imported, dup, skipped, seen.len()))
}

#[tokio::main]
async fn main() -> Res {
    let corpus = corpus();
    let bytes = std::fs::metadata(&corpus)?.len() as f64;
    let lines = std::fs::read_to_string(&corpus)?.lines().count();
    println!(
        "corpus {} ({lines} stories, {:.1} MB)",
        corpus.display(),
        bytes / 1e6
    );
    let mut rates = Vec::new();
    for _ in 0..RUNS {
        let (secs, imported, dup, skipped, progress) = one_run(&corpus).await?;
        if progress < 3 {
            return Err(format!("the progress display showed only {progress} states").into());
        }
        let stories = (imported + dup + skipped) as f64;
        rates.push((stories / secs, bytes / 1e6 / secs, secs));
    }
    rates.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (lo, mid, hi) = (rates[0], rates[rates.len() / 2], rates[rates.len() - 1]);
    println!(
        "import through the window: median {:.0} stories/s, {:.2} MB/s ({:.1} s); min {:.0}, max {:.0} stories/s; {RUNS} runs",
        mid.0, mid.1, mid.2, lo.0, hi.0
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn summaries_parse() {
        assert_eq!(
            super::parse_summary(
                "19,043 imported · 12 already there · 0 skipped · 9,876 events to review (41.2 s)"
            ),
            Some((41.2, 19043, 12, 0))
        );
        assert_eq!(
            super::parse_summary("1 imported · 3 events to review (120 ms)"),
            Some((0.12, 1, 0, 0))
        );
    }
}
