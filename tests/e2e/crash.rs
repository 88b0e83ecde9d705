//! Crash test of the app: a hundred times, the real app binary starts on one
//! database with a script of commands (imports, review decisions, edits, hand
//! entries), run through the same command functions the page invokes
//! (`src-tauri/src/e2e_script.rs`, built with the `e2e` feature only), and is
//! killed with SIGKILL at a random point. After each kill the database must pass
//! `whole::check` (integrity, indexes, every article whole or absent) and hold
//! every change the app's journal says had returned.
//!
//! The app is started directly under the display rather than through a
//! WebDriver session: the page plays no part in what is written, and a session
//! costs seconds a run. Kill points are drawn uniformly from start-up to the time
//! the last script that ran to its end took; a script that ends before its kill
//! does not count, and the next one is started.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{app_binary, cli_binary, descendants, Res};

#[path = "../../crates/annals-cli/tests/faults/whole.rs"]
mod whole;

use whole::{Reference, Rng};

/// What the journal says returned, by line.
#[derive(Default)]
struct Expect {
    codes: Vec<String>,
    status: HashMap<i64, &'static str>,
    titles: HashMap<i64, String>,
    /// How many of each command returned, for the summary.
    returned: std::collections::BTreeMap<String, usize>,
}

struct Script {
    text: String,
    /// The story codes of each `import` line, in order.
    imports: Vec<Vec<String>>,
    /// The kind of each line, for how long it takes.
    kinds: Vec<&'static str>,
}

fn write(dir: &Path, name: &str, text: &str) -> Res<PathBuf> {
    let p = dir.join(name);
    std::fs::write(&p, text)?;
    Ok(p)
}

fn script(rng: &mut Rng, dir: &Path, next_code: &mut usize) -> Res<Script> {
    let mut s = Script {
        text: String::new(),
        imports: Vec::new(),
        kinds: Vec::new(),
    };
    for _ in 0..1 + rng.below(4) {
        // Imports are fewer than in the CLI's test, which kills a hundred of them
        // already: decisions and edits are what only the window makes.
        let pick = rng.below(20);
        if pick < 6 {
            // Now and then a corpus longer than one run of the pipeline (50).
            let (n, corpus) = if pick == 0 {
                (55, true)
            } else {
                (1 + rng.below(3), false)
            };
            let (mut codes, mut paths, mut lines) = (Vec::new(), Vec::new(), String::new());
            for _ in 0..n {
                let code = whole::code(*next_code);
                let text = whole::story(*next_code % whole::stories(), &code);
                *next_code += 1;
                if corpus {
                    let line = serde_json::json!({"id": code, "text": text});
                    lines.push_str(&format!("{line}\n"));
                } else {
                    paths.push(
                        write(dir, &format!("{code}.txt"), &text)?
                            .display()
                            .to_string(),
                    );
                }
                codes.push(code);
            }
            if corpus {
                paths.push(
                    write(dir, &format!("{}.jsonl", codes[0]), &lines)?
                        .display()
                        .to_string(),
                );
            }
            s.text.push_str(&format!("import {}\n", paths.join("\t")));
            s.imports.push(codes);
            s.kinds.push(if corpus { "corpus" } else { "import" });
        } else if pick < 10 {
            s.text.push_str("accept\n");
            s.kinds.push("accept");
        } else if pick < 13 {
            s.text.push_str("reject\n");
            s.kinds.push("reject");
        } else if pick < 16 {
            s.kinds.push("edit");
            s.text
                .push_str(&format!("edit Edited {}\n", whole::code(*next_code)));
            *next_code += 1;
        } else {
            s.kinds.push("add");
            s.text
                .push_str(&format!("add Hand entry {}\n", whole::code(*next_code)));
            *next_code += 1;
        }
    }
    Ok(s)
}

/// Reads the journal into what must now hold; whether it says `done`.
fn read_journal(journal: &str, script: &Script, expect: &mut Expect) -> Res<bool> {
    let mut imports = script.imports.iter();
    for line in journal.lines() {
        let (verb, rest) = line.split_once(' ').unwrap_or((line, ""));
        let (id, title) = rest.split_once(' ').unwrap_or((rest, ""));
        if !matches!(verb, "ready" | "done") {
            *expect.returned.entry(verb.to_string()).or_default() += 1;
        }
        match verb {
            "ready" => {}
            "done" => return Ok(true),
            "import" => expect.codes.extend(
                imports
                    .next()
                    .ok_or("more imports than lines")?
                    .iter()
                    .cloned(),
            ),
            "accept" => {
                expect.status.insert(id.parse()?, "accepted");
            }
            "reject" => {
                expect.status.insert(id.parse()?, "rejected");
            }
            "edit" => {
                expect.status.insert(id.parse()?, "accepted");
                expect.titles.insert(id.parse()?, title.to_string());
            }
            "add" => {
                expect.titles.insert(id.parse()?, title.to_string());
            }
            _ => return Err(format!("the app's script failed: {line}").into()),
        }
    }
    Ok(false)
}

fn verify(db: &Path, reference: &Reference, expect: &Expect, what: &str) -> Res {
    let found = whole::check(db, reference).map_err(|e| format!("{what}: {e}"))?;
    for code in &expect.codes {
        if !found.articles.contains_key(code) {
            return Err(
                format!("{what}: {code} was imported (the command returned) and is gone").into(),
            );
        }
    }
    for (id, status) in &expect.status {
        let got = found.events.get(id).map(|(_, s)| s.as_str());
        if got != Some(*status) {
            return Err(format!("{what}: event {id} was {status} and is {got:?}").into());
        }
    }
    for (id, title) in &expect.titles {
        let got = found.events.get(id).map(|(t, _)| t.as_str());
        if got != Some(title.as_str()) {
            return Err(format!("{what}: event {id} was saved as `{title}` and is {got:?}").into());
        }
    }
    Ok(())
}

#[tokio::test]
async fn the_app_killed_at_random_points_loses_nothing_that_returned_and_leaves_articles_whole(
) -> Res {
    let started = Instant::now();
    let seed = whole::seed_from_env(0x05ee_da99);
    let runs = whole::runs_from_env();
    let mut rng = Rng::new(seed);
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("annals.sqlite3");
    let reference = Reference::new();
    // A seeded database with proposals waiting to be reviewed.
    let mut next_code = 0;
    let first: Vec<String> = (0..whole::stories())
        .map(|i| {
            let code = whole::code(i);
            write(dir.path(), &format!("{code}.txt"), &whole::story(i, &code))
                .map(|p| p.display().to_string())
        })
        .collect::<Res<_>>()?;
    next_code += first.len();
    for args in [
        vec!["seed".to_string()],
        [
            vec![
                "import".into(),
                "--quiet".into(),
                "--dct".into(),
                whole::DCT.into(),
            ],
            first,
        ]
        .concat(),
    ] {
        let out = Command::new(cli_binary())
            .args(&args)
            .arg("--db")
            .arg(&db)
            .output()?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).into_owned().into());
        }
    }
    let mut expect = Expect::default();
    // How long start-up (to `ready`) and each kind of command took when last
    // seen to the end: first guesses.
    let mut took: HashMap<&str, Duration> = HashMap::from([
        ("start", Duration::from_millis(1500)),
        ("import", Duration::from_secs(3)),
        ("corpus", Duration::from_secs(8)),
        ("accept", Duration::from_millis(100)),
        ("reject", Duration::from_millis(100)),
        ("edit", Duration::from_millis(100)),
        ("add", Duration::from_millis(100)),
    ]);
    let (mut kills, mut completed) = (0, 0);
    let mut killed_in: HashMap<&str, usize> = HashMap::new();
    let mut attempt = 0;
    while kills < runs {
        attempt += 1;
        let s = script(&mut rng, dir.path(), &mut next_code)?;
        let script_file = write(dir.path(), "script.txt", &s.text)?;
        let journal = dir.path().join("journal.txt");
        let _ = std::fs::remove_file(&journal);
        // The step to kill in: start-up (one run in ten), else one of the
        // script's commands; the point inside it, uniform over how long it took
        // last time. A step that ends first moves the kill on to the next one.
        let mut step = if rng.below(10) == 0 {
            0
        } else {
            1 + rng.below(s.kinds.len())
        };
        let kind_of = |step: usize| {
            if step == 0 {
                "start"
            } else {
                s.kinds[step - 1]
            }
        };
        let mut app = Command::new(app_binary())
            .env("ANNALS_DB", &db)
            .env("ANNALS_E2E_SCRIPT", &script_file)
            .env("ANNALS_E2E_JOURNAL", &journal)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        // Lines of the journal seen, and when the last one appeared.
        let (mut seen, mut since) = (0, Instant::now());
        let mut delay = None;
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let lines = std::fs::read_to_string(&journal).map_or(0, |j| j.lines().count());
            while seen < lines {
                // Line `seen` ends step `seen` (`ready` ends start-up).
                let kind = kind_of(seen.min(s.kinds.len()));
                if seen <= s.kinds.len() {
                    took.insert(kind, since.elapsed());
                }
                seen += 1;
                since = Instant::now();
                delay = None;
            }
            if seen > s.kinds.len() {
                break; // `done`: the whole script ran
            }
            if seen >= step {
                step = seen;
                let d = *delay.get_or_insert_with(|| took[kind_of(step)].mul_f64(rng.unit()));
                if since.elapsed() >= d {
                    break;
                }
            }
            if let Some(status) = app.try_wait()? {
                return Err(format!("the app exited by itself ({status})").into());
            }
            if Instant::now() > deadline {
                return Err("the app's script did not finish in two minutes".into());
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        // The app and the web processes it started.
        let below = descendants(app.id());
        app.kill()?;
        app.wait()?;
        for pid in below {
            let _ = Command::new("kill")
                .arg("-KILL")
                .arg(pid.to_string())
                .stderr(Stdio::null())
                .status();
        }
        let text = std::fs::read_to_string(&journal).unwrap_or_default();
        let ended = read_journal(&text, &s, &mut expect)?;
        let what = format!("seed {seed}, attempt {attempt}");
        verify(&db, &reference, &expect, &what)?;
        if ended {
            completed += 1;
        } else {
            kills += 1;
            let lines = text.lines().count();
            *killed_in
                .entry(kind_of(lines.min(s.kinds.len())))
                .or_default() += 1;
        }
        if attempt > runs * 3 {
            return Err(
                format!("{what}: only {kills} kills landed before the scripts ended").into(),
            );
        }
    }
    eprintln!(
        "app crash test: {kills} kills ({killed_in:?}), {completed} scripts that ran to the end, commands returned {:?}, {} articles checked, {:.1} s",
        expect.returned,
        expect.codes.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
