//! Crash test of the CLI: a hundred times, a few `annals` commands (import of
//! files, a corpus or a dataset, `add`, `redate`) run to completion on one database, then
//! one more is killed with SIGKILL at a random point; after each kill the
//! database must pass `whole::check` and hold everything whose command exited 0.
//!
//! Kill points: a delay drawn uniformly from 0 to the time the same kind of
//! command took when it last ran to the end, so they fall anywhere from process
//! start to the commit; when the command beats the kill it counts as completed
//! and another is started, until one is killed. `ANNALS_CRASH_SEED` replays a
//! run (the seed is printed on failure); `ANNALS_CRASH_RUNS` changes the count.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::whole::{self, Reference, Rng};

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Kind {
    Import,
    Corpus,
    Dataset,
    Add,
    Redate,
}

/// A command and what it changes when it returns.
enum Step {
    Import {
        codes: Vec<String>,
        args: Vec<String>,
    },
    /// A CSV file of `rows` rows titled `prefix` and a number.
    Dataset {
        prefix: String,
        rows: usize,
        args: Vec<String>,
    },
    Add {
        title: String,
    },
    Redate {
        article: i64,
        date: String,
    },
}

impl Step {
    fn kind(&self) -> Kind {
        match self {
            Step::Import { args, .. } if args.iter().any(|a| a == "--jsonl") => Kind::Corpus,
            Step::Import { .. } => Kind::Import,
            Step::Dataset { .. } => Kind::Dataset,
            Step::Add { .. } => Kind::Add,
            Step::Redate { .. } => Kind::Redate,
        }
    }
}

/// What must hold because a command returned.
#[derive(Default)]
struct Expect {
    codes: HashSet<String>,
    titles: HashSet<String>,
    /// The publication dates an article may have: the last one a returned
    /// `redate` set, and that of a `redate` killed since.
    published: HashMap<i64, HashSet<Option<String>>>,
    /// Datasets whose import returned (all rows must be there) or was killed
    /// (all rows or none): title prefix, rows, whether it returned.
    datasets: Vec<(String, usize, bool)>,
}

struct Bench {
    dir: PathBuf,
    db: PathBuf,
    next_code: usize,
    rng: Rng,
    articles: Vec<i64>,
    /// Publication dates as the last check found them.
    published: HashMap<i64, Option<String>>,
}

impl Bench {
    fn command(&self, args: &[String]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_annals"));
        cmd.args(args)
            .arg("--db")
            .arg(&self.db)
            .env_remove("ANNALS_DB")
            .env("ANNALS_TODAY", "2026-01-01")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        cmd
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.dir.join(name);
        std::fs::write(&p, text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        p
    }

    /// The next command: `to_kill` draws the one to kill, else one to run to
    /// its end. Commands that run to the end are mostly the quick ones, and a
    /// corpus (the slowest) is only ever killed: that keeps the test's time
    /// near the time the kills take.
    fn next_step(&mut self, to_kill: bool) -> Step {
        let pick = if to_kill {
            self.rng.below(12)
        } else {
            [0, 0, 0, 5, 5, 5, 5, 8, 8, 8][self.rng.below(10)]
        };
        if pick < 4 || (pick >= 8 && self.articles.is_empty()) {
            let n = 1 + self.rng.below(3);
            let (mut codes, mut args) = (
                Vec::new(),
                vec![
                    "import".to_string(),
                    "--dct".into(),
                    whole::DCT.into(),
                    "--quiet".into(),
                ],
            );
            for _ in 0..n {
                let code = whole::code(self.next_code);
                let desk = self.next_code % whole::stories();
                self.next_code += 1;
                let p = self.write(&format!("{code}.txt"), &whole::story(desk, &code));
                args.push(p.display().to_string());
                codes.push(code);
            }
            Step::Import { codes, args }
        } else if pick == 4 {
            // More stories than one run of the pipeline holds (50), so a kill can
            // fall after one run was committed and before the next.
            let (mut codes, mut lines) = (Vec::new(), String::new());
            for _ in 0..55 {
                let code = whole::code(self.next_code);
                let desk = self.next_code % whole::stories();
                self.next_code += 1;
                let line = serde_json::json!({"id": code, "dct": whole::DCT, "text": whole::story(desk, &code)});
                lines.push_str(&format!("{line}\n"));
                codes.push(code);
            }
            let p = self.write(&format!("{}.jsonl", codes[0]), &lines);
            let args = ["import", "--jsonl", "--quiet", "--dct", whole::DCT]
                .iter()
                .map(|s| s.to_string())
                .chain([p.display().to_string()])
                .collect();
            Step::Import { codes, args }
        } else if pick >= 10 {
            // Enough rows that a kill can fall while they are written, keyed
            // and counted, with the count triggers dropped.
            let code = whole::code(self.next_code);
            self.next_code += 1;
            let prefix = format!("Dataset row {code}");
            let rows = 3000;
            let mut csv = String::from("id,date,title,kind,country\n");
            for i in 0..rows {
                csv.push_str(&format!(
                    "{code}-{i},2004-{:02}-{:02},{prefix} {i},{},{}\n",
                    1 + i % 12,
                    1 + i % 28,
                    ["arrest", "protest", "meeting"][i % 3],
                    ["KR", "JP", "CN;KP"][i % 3],
                ));
            }
            let p = self.write(&format!("{code}.csv"), &csv);
            let args = vec!["import".into(), "--quiet".into(), p.display().to_string()];
            Step::Dataset { prefix, rows, args }
        } else if pick < 8 {
            let title = format!("Hand entry {}", whole::code(self.next_code));
            self.next_code += 1;
            Step::Add { title }
        } else {
            let article = self.articles[self.rng.below(self.articles.len())];
            let date = format!("2004-05-{:02}", 1 + self.rng.below(28));
            Step::Redate { article, date }
        }
    }

    fn spawn(&self, step: &Step) -> Child {
        let args: Vec<String> = match step {
            Step::Import { args, .. } | Step::Dataset { args, .. } => args.clone(),
            Step::Add { title } => [
                "add",
                "--title",
                title,
                "--date",
                "2004-05-09",
                "--kind",
                "arrest",
                "--country",
                "KR",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
            Step::Redate { article, date } => {
                vec!["redate".into(), article.to_string(), date.clone()]
            }
        };
        self.command(&args)
            .spawn()
            .unwrap_or_else(|e| panic!("annals: {e}"))
    }
}

fn returned(expect: &mut Expect, step: &Step) {
    match step {
        Step::Import { codes, .. } => expect.codes.extend(codes.iter().cloned()),
        Step::Dataset { prefix, rows, .. } => expect.datasets.push((prefix.clone(), *rows, true)),
        Step::Add { title } => {
            expect.titles.insert(title.clone());
        }
        Step::Redate { article, date } => {
            expect
                .published
                .insert(*article, HashSet::from([Some(date.clone())]));
        }
    }
}

fn killed(expect: &mut Expect, step: &Step, before: Option<String>) {
    if let Step::Dataset { prefix, rows, .. } = step {
        expect.datasets.push((prefix.clone(), *rows, false));
    }
    if let Step::Redate { article, date } = step {
        expect
            .published
            .entry(*article)
            .or_insert_with(|| HashSet::from([before]))
            .insert(Some(date.clone()));
    }
}

/// Waits for `child` to exit by itself, failing the test if it fails.
fn finish(child: Child, what: &str) {
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs `child` until `delay` has passed and kills it then; false when it
/// exited first (and exited 0).
fn kill_after(mut child: Child, delay: Duration, what: &str) -> bool {
    let deadline = Instant::now() + delay;
    loop {
        if child.try_wait().unwrap_or_else(|e| panic!("{e}")).is_some() {
            finish(child, what);
            return false;
        }
        if Instant::now() >= deadline {
            child.kill().unwrap_or_else(|e| panic!("{e}"));
            let status = child.wait().unwrap_or_else(|e| panic!("{e}"));
            // It may have exited just before the signal.
            assert!(
                status.success() || status.code().is_none(),
                "{what} failed: {status}"
            );
            return !status.success();
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn verify(
    db: &Path,
    reference: &Reference,
    expect: &mut Expect,
    seed: u64,
    run: usize,
) -> whole::Found {
    let found =
        whole::check(db, reference).unwrap_or_else(|e| panic!("seed {seed}, run {run}: {e}"));
    for code in &expect.codes {
        assert!(
            found.articles.contains_key(code),
            "seed {seed}, run {run}: {code} was imported (exit 0) and is gone"
        );
    }
    let titles: HashSet<&String> = found.events.values().map(|(t, _)| t).collect();
    for t in &expect.titles {
        assert!(
            titles.contains(t),
            "seed {seed}, run {run}: `{t}` was added (exit 0) and is gone"
        );
    }
    for (prefix, rows, returned) in &expect.datasets {
        let there = titles
            .iter()
            .filter(|t| {
                t.strip_prefix(prefix.as_str())
                    .is_some_and(|r| r.starts_with(' '))
            })
            .count();
        assert!(
            there == *rows || (there == 0 && !returned),
            "seed {seed}, run {run}: {there} of the {rows} rows of `{prefix}` are there (its import {})",
            if *returned { "exited 0" } else { "was killed" }
        );
    }
    for (article, allowed) in &mut expect.published {
        let now = found.published.get(article).cloned().flatten();
        assert!(
            allowed.contains(&now),
            "seed {seed}, run {run}: article {article} is dated {now:?}, not one of {allowed:?}"
        );
        *allowed = HashSet::from([now]);
    }
    found
}

#[test]
fn the_cli_killed_at_random_points_loses_nothing_that_returned_and_leaves_articles_whole() {
    let started = Instant::now();
    let seed = whole::seed_from_env(0x05ee_dc11);
    let runs = whole::runs_from_env();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut bench = Bench {
        dir: dir.path().to_path_buf(),
        db: dir.path().join("annals.sqlite3"),
        next_code: 0,
        rng: Rng::new(seed),
        articles: Vec::new(),
        published: HashMap::new(),
    };
    let reference = Reference::new();
    finish(
        bench
            .command(&["seed".into()])
            .spawn()
            .unwrap_or_else(|e| panic!("{e}")),
        "seed",
    );
    let mut expect = Expect::default();
    // How long each kind took when it last ran to the end: first guesses.
    let mut took: HashMap<Kind, Duration> = HashMap::from([
        (Kind::Import, Duration::from_secs(3)),
        (Kind::Corpus, Duration::from_secs(6)),
        (Kind::Dataset, Duration::from_secs(2)),
        (Kind::Add, Duration::from_millis(150)),
        (Kind::Redate, Duration::from_millis(150)),
    ]);
    let mut kills: HashMap<Kind, usize> = HashMap::new();
    let mut completed = 0;
    for run in 0..runs {
        for _ in 0..bench.rng.below(3) {
            let step = bench.next_step(false);
            let t = Instant::now();
            finish(bench.spawn(&step), "a command before the kill");
            took.insert(step.kind(), t.elapsed());
            returned(&mut expect, &step);
            completed += 1;
        }
        loop {
            let step = bench.next_step(true);
            let before = match &step {
                Step::Redate { article, .. } => bench.published.get(article).cloned().flatten(),
                _ => None,
            };
            let delay = took[&step.kind()].mul_f64(bench.rng.unit());
            let t = Instant::now();
            let child = bench.spawn(&step);
            if kill_after(child, delay, "the command to kill") {
                killed(&mut expect, &step, before);
                *kills.entry(step.kind()).or_default() += 1;
                break;
            }
            took.insert(step.kind(), t.elapsed());
            returned(&mut expect, &step);
            completed += 1;
        }
        let found = verify(&bench.db, &reference, &mut expect, seed, run);
        bench.articles = found.published.keys().copied().collect();
        bench.articles.sort_unstable();
        bench.published = found.published;
    }
    eprintln!(
        "CLI crash test: {runs} kills ({kills:?}), {completed} commands completed, {} articles checked, {:.1} s",
        expect.codes.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(!expect.codes.is_empty() && !expect.titles.is_empty());
}
