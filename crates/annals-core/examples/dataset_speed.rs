//! CSV import speed: writes a CSV of N rows (a date, title, description, kind,
//! country, city, coordinates and URL each, ids unique), imports it into a new
//! database file through the same pipeline as `annals import`, and prints rows/s
//! for each run and the median, with the database's bytes per event.
//!
//! `cargo run --release -p annals-core --example dataset_speed -- [ROWS] [RUNS]`
//! (defaults 1000000 and 3).

use std::io::Write;
use std::time::Instant;

use annals_core::dataset::DatasetOptions;
use annals_core::import::{run_datasets, DatasetFile, ImportHost, ImportProgress};
use annals_core::Db;

struct Quiet;

impl ImportHost for Quiet {
    fn cancelled(&self) -> bool {
        false
    }
    fn progress(&mut self, _: &ImportProgress) {}
}

fn main() {
    let mut args = std::env::args().skip(1);
    let rows: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let csv = dir.path().join("events.csv");
    {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&csv).expect("the CSV"));
        writeln!(
            out,
            "id,date,title,description,kind,country,city,lat,lon,url"
        )
        .expect("write");
        let countries = ["CN", "JP", "KP", "KR", "US", "DE", "FR", "GB"];
        let kinds = [
            "entry",
            "protest",
            "statement",
            "meeting",
            "arrest",
            "conflict",
        ];
        for i in 0..rows {
            let day = 1 + i % 28;
            let month = 1 + (i / 28) % 12;
            let year = 1990 + (i / 336) % 35;
            writeln!(
                out,
                "r{i},{year}-{month:02}-{day:02},Event number {i} at the gate,\"A description of event {i}, with a comma\",{},{},City {},{:.4},{:.4},https://example.org/{i}",
                kinds[i % kinds.len()],
                countries[i % countries.len()],
                i % 500,
                (i % 180) as f64 - 89.5,
                (i % 360) as f64 - 179.5,
            )
            .expect("write");
        }
    }
    let size = std::fs::metadata(&csv).map(|m| m.len()).unwrap_or(0);
    println!("{rows} rows, {:.1} MB", size as f64 / 1e6);
    let mut rates = Vec::new();
    for run in 0..runs {
        let path = dir.path().join(format!("run{run}.sqlite3"));
        let mut db = Db::open(&path).expect("the database");
        annals_core::seed::ensure_countries(&mut db).expect("countries");
        let started = Instant::now();
        let outcome = run_datasets(
            vec![DatasetFile {
                path: csv.clone(),
                options: DatasetOptions::default(),
            }],
            "2026-01-01T00:00:00Z",
            &mut db,
            &mut Quiet,
        );
        let secs = started.elapsed().as_secs_f64();
        assert_eq!(outcome.events, rows, "{outcome:?}");
        let rate = rows as f64 / secs;
        rates.push(rate);
        drop(db);
        // Closed: its WAL is checkpointed into the file and removed.
        let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        println!(
            "run {}: {secs:.2} s, {rate:.0} rows/s; the database {:.0} MB, {:.0} bytes per event",
            run + 1,
            bytes as f64 / 1e6,
            bytes as f64 / rows as f64
        );
        let _ = std::fs::remove_file(&path);
    }
    rates.sort_by(f64::total_cmp);
    println!("median: {:.0} rows/s", rates[rates.len() / 2]);
}
