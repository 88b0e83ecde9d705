//! The import pipeline (`annals_core::import`) as the window and the CLI call it:
//! sources to items, the publication date rule, bad lines summarized, cancelling,
//! and memory that stays bounded whatever the size of a corpus.

use std::io::Write;
use std::path::{Path, PathBuf};

use annals_core::import::{
    self, ImportHost, ImportOutcome, ImportProgress, ItemOutcome, Outcome, Source,
    BAD_LINE_EXAMPLES, ITEMS_PER_RUN,
};
use annals_core::Db;
use chrono::NaiveDate;

use crate::{db, NOW};

/// A host that never cancels (or cancels after `cancel_after` items) and keeps
/// what it was told.
#[derive(Default)]
pub(crate) struct Quiet {
    pub(crate) finished: Vec<ItemOutcome>,
    bad_lines: usize,
    cancel_after: Option<usize>,
}

impl ImportHost for Quiet {
    fn cancelled(&self) -> bool {
        self.cancel_after.is_some_and(|n| self.finished.len() >= n)
    }
    fn progress(&mut self, _: &ImportProgress) {}
    fn finished(&mut self, item: &ItemOutcome) {
        self.finished.push(item.clone());
    }
    fn bad_line(&mut self, _: &str, _: u64, _: &str) {
        self.bad_lines += 1;
    }
}

fn day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

pub(crate) fn run(db: &mut Db, sources: Vec<Source>, dct: Option<&str>) -> (ImportOutcome, Quiet) {
    let mut host = Quiet::default();
    let out = import::run(sources, dct.and_then(day), NOW, db, &mut host);
    (out, host)
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap_or_else(|e| panic!("{e}"));
    p
}

fn published(out: &ImportOutcome) -> Vec<(String, String)> {
    out.items
        .iter()
        .map(|i| {
            (
                i.name.clone(),
                i.published.map(|p| p.to_string()).unwrap_or_default(),
            )
        })
        .collect()
}

const DATELINED: &str =
    "Row in Beijing\n\nBEIJING, May 10, 2002 (Reuters) - Police arrested two men in Beijing on Wednesday.";
const CORPUS: &str = "{\"id\": \"s1\", \"dct\": \"2002-05-09\", \"text\": \"Seoul urged China on Wednesday to act.\"}\n\
                      {\"id\": \"s2\", \"text\": \"Police arrested three men on Thursday.\"}\n";

/// Imports a datelined file and a corpus of two stories (one with its own date).
fn wire_and_corpus(db: &mut Db, dct: Option<&str>) -> ImportOutcome {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = write(dir.path(), "wire.txt", DATELINED);
    let corpus = write(dir.path(), "c.jsonl", CORPUS);
    run(db, vec![Source::Path(file), Source::Path(corpus)], dct).0
}

#[test]
fn an_explicit_date_wins_over_a_storys_own_date_and_the_dateline() {
    let mut db = db();
    let out = wire_and_corpus(&mut db, Some("2002-06-14"));
    assert_eq!(
        published(&out),
        [
            ("wire.txt".to_string(), "2002-06-14".to_string()),
            ("c.jsonl · story s1".to_string(), "2002-06-14".to_string()),
            ("c.jsonl · story s2".to_string(), "2002-06-14".to_string()),
        ]
    );
    // And the article says the date was set at import, not printed.
    let id = out.items[0].article_id.unwrap_or(0);
    let article = db
        .article(id)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("article"));
    assert_eq!(
        article.published_note.as_deref(),
        Some("publication date set at import")
    );
}

#[test]
fn without_an_explicit_date_a_storys_own_date_then_the_dateline_is_used() {
    let mut db = db();
    let out = wire_and_corpus(&mut db, None);
    assert_eq!(
        published(&out),
        [
            ("wire.txt".to_string(), "2002-05-10".to_string()),
            ("c.jsonl · story s1".to_string(), "2002-05-09".to_string()),
            ("c.jsonl · story s2".to_string(), String::new()),
        ]
    );
    assert_eq!(
        import::publication_date(day("2002-06-14"), day("2002-05-09")),
        day("2002-06-14")
    );
}

#[test]
fn bad_lines_are_counted_once_with_the_first_few_as_examples_not_an_item_each() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut text = String::from(CORPUS);
    for i in 0..40 {
        text.push_str(&format!("not a story {i}\n"));
    }
    let corpus = write(dir.path(), "c.ndjson", &text);
    let mut db = db();
    let (out, host) = run(&mut db, vec![Source::Path(corpus)], None);
    assert_eq!((out.imported, out.skipped), (2, 0));
    assert_eq!(out.items.len(), 2);
    assert_eq!(out.bad_lines.len(), 1);
    let bad = &out.bad_lines[0];
    assert_eq!((bad.corpus.as_str(), bad.count), ("c.ndjson", 40));
    assert_eq!(bad.examples.len(), BAD_LINE_EXAMPLES);
    assert_eq!(bad.examples[0].line, 3);
    assert!(bad.examples[0].why.starts_with("not a story"), "{bad:?}");
    assert_eq!(host.bad_lines, 40);
}

#[test]
fn pasted_text_and_files_go_through_the_same_runs_and_report() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let empty = write(dir.path(), "empty.txt", "");
    let mut db = db();
    let (out, host) = run(
        &mut db,
        vec![
            Source::Text {
                label: "Pasted text".into(),
                text: DATELINED.into(),
            },
            Source::Path(empty),
            Source::Path(dir.path().join("missing.txt")),
        ],
        None,
    );
    let outcomes: Vec<(&str, Outcome)> = out
        .items
        .iter()
        .map(|i| (i.name.as_str(), i.outcome))
        .collect();
    assert_eq!(
        outcomes,
        [
            ("Pasted text", Outcome::Imported),
            ("empty.txt", Outcome::Skipped),
            ("missing.txt", Outcome::Skipped),
        ]
    );
    assert_eq!(out.items[1].message.as_deref(), Some("the file is empty"));
    assert_eq!(host.finished.len(), 3);
    // The same again is a duplicate, not a second article.
    let (again, _) = run(
        &mut db,
        vec![Source::Text {
            label: "Pasted text".into(),
            text: DATELINED.into(),
        }],
        None,
    );
    assert_eq!((again.imported, again.duplicates), (0, 1));
}

#[test]
fn a_cancel_keeps_whole_articles_and_counts_every_story_not_imported() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut text = String::new();
    for i in 0..(3 * ITEMS_PER_RUN) {
        text.push_str(&format!(
            "{{\"id\": {i}, \"dct\": \"2002-05-10\", \"text\": \"Story {i}\\n\\nOn Wednesday, {i} men entered the Spanish Embassy in Beijing.\"}}\n"
        ));
    }
    let corpus = write(dir.path(), "c.jsonl", &text);
    let mut db = db();
    let mut host = Quiet {
        cancel_after: Some(ITEMS_PER_RUN),
        ..Quiet::default()
    };
    let out = import::run(vec![Source::Path(corpus)], None, NOW, &mut db, &mut host);
    assert_eq!(out.imported, ITEMS_PER_RUN);
    assert_eq!(out.imported + out.cancelled, 3 * ITEMS_PER_RUN);
    let (articles, _, _) = db.counts().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(articles, ITEMS_PER_RUN as i64);
}

#[test]
fn a_very_long_word_in_a_sentence_does_not_reject_the_article() {
    let word = "x".repeat(100_000);
    let text = format!(
        "{word}\n\nBEIJING, May 10, 2002 - Police arrested {word} in Beijing on Wednesday."
    );
    let mut db = db();
    let (out, _) = run(
        &mut db,
        vec![Source::Text {
            label: "long".into(),
            text,
        }],
        None,
    );
    assert_eq!(out.imported, 1, "{:?}", out.items);
    assert_eq!(out.events, 1, "{:?}", out.items);
    let ids = db
        .event_ids_by_origin(annals_core::event::Origin::Extracted)
        .unwrap_or_else(|e| panic!("{e}"));
    let events = db.events_by_ids(&ids).unwrap_or_else(|e| panic!("{e}"));
    assert!(events[0].title.chars().count() <= annals_core::event::MAX_TITLE_CHARS);
    assert!(events[0].title.ends_with('…'), "{}", events[0].title);
}

#[test]
fn a_poisoned_lock_is_taken_anyway_and_the_import_goes_on() {
    let shared = std::sync::Mutex::new(db());
    let poisoned = std::panic::catch_unwind(|| {
        let _guard = shared.lock();
        panic!("a bug elsewhere, holding the lock");
    });
    assert!(poisoned.is_err() && shared.is_poisoned());
    let mut host = Quiet::default();
    let out = import::run(
        vec![Source::Text {
            label: "t".into(),
            text: DATELINED.into(),
        }],
        None,
        NOW,
        &mut &shared,
        &mut host,
    );
    assert_eq!(out.imported, 1, "{:?}", out.items);
}

/// The ceiling on the peak resident memory of a process that imports a 256 MB
/// corpus of bad lines (some of them far over the line limit).
const RSS_CEILING_KB: u64 = 48 * 1024;

/// Runs in a child process (this test binary again, `ANNALS_RSS_CORPUS` set),
/// so the peak measured is this import's alone.
#[test]
fn a_256_mb_corpus_of_bad_lines_is_read_in_bounded_memory() {
    if let Some(path) = std::env::var_os("ANNALS_RSS_CORPUS") {
        let mut db = db();
        let (out, _) = run(&mut db, vec![Source::Corpus(PathBuf::from(path))], None);
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let peak = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .map(|v| v.trim().trim_end_matches(" kB").trim().to_string())
            .unwrap_or_default();
        println!(
            "RSS-RESULT peak_kb={peak} bad={} items={}",
            out.bad_line_count(),
            out.items.len()
        );
        return;
    }
    if !Path::new("/proc/self/status").exists() {
        return; // VmHWM is Linux's.
    }
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("bad.jsonl");
    let mut f =
        std::io::BufWriter::new(std::fs::File::create(&path).unwrap_or_else(|e| panic!("{e}")));
    let target: u64 = 256 * 1024 * 1024;
    let huge = "y".repeat(annals_core::stories::MAX_LINE_BYTES * 2);
    let line = format!("{{\"id\": 1, \"text\": \"{}\"\n", "z".repeat(1000));
    let (mut written, mut lines, mut i) = (0u64, 0u64, 0u64);
    while written < target {
        let l: &str = if i % 10_000 == 5 { &huge } else { &line };
        f.write_all(l.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        if i % 10_000 == 5 {
            f.write_all(b"\n").unwrap_or_else(|e| panic!("{e}"));
            written += 1;
        }
        written += l.len() as u64;
        lines += 1;
        i += 1;
    }
    f.flush().unwrap_or_else(|e| panic!("{e}"));
    drop(f);
    let out = std::process::Command::new(std::env::current_exe().unwrap_or_else(|e| panic!("{e}")))
        .args([
            "--exact",
            "pipeline::a_256_mb_corpus_of_bad_lines_is_read_in_bounded_memory",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("ANNALS_RSS_CORPUS", &path)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let result = stdout
        .lines()
        .find_map(|l| l.split_once("RSS-RESULT ").map(|(_, r)| r))
        .unwrap_or_else(|| panic!("no result: {stdout}"));
    let field = |name: &str| -> u64 {
        result
            .split(' ')
            .find_map(|kv| kv.strip_prefix(name))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{name} in {result}"))
    };
    assert_eq!(field("bad="), lines, "every line is a bad line");
    assert_eq!(field("items="), 0, "no bad line is an item");
    let peak = field("peak_kb=");
    println!(
        "peak RSS importing {written} bytes of bad lines: {peak} kB (ceiling {RSS_CEILING_KB} kB)"
    );
    assert!(
        peak < RSS_CEILING_KB,
        "peak RSS {peak} kB over the ceiling of {RSS_CEILING_KB} kB"
    );
}

/// What the UI's mock backend answers `import_files` with: recorded from the
/// real pipeline, not re-implemented in TypeScript. `UPDATE_EXPECT=1 cargo test`
/// writes it again after a change to the outcome.
#[test]
fn the_outcome_the_ui_tests_answer_with_is_the_one_the_core_gives() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let news = dir.path().join("news");
    std::fs::create_dir_all(&news).unwrap_or_else(|e| panic!("{e}"));
    write(&news, "wire.txt", DATELINED);
    write(&news, "empty.txt", "");
    let mut corpus = String::from(CORPUS);
    corpus.push_str("{\"id\": 3}\nnot json\n{\"id\": 5, \"text\": 5}\n");
    write(&news, "reuters.jsonl", &corpus);
    let mut db = db();
    let (out, _) = run(&mut db, vec![Source::Path(news)], None);
    let got = serde_json::to_string_pretty(&out).unwrap_or_else(|e| panic!("{e}")) + "\n";
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../ui/src/mock/recorded/import-outcome.json");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::create_dir_all(path.parent().unwrap_or(Path::new(".")))
            .unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(&path, &got).unwrap_or_else(|e| panic!("{e}"));
    }
    let recorded = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        recorded == got,
        "{} is not what the core answers: run UPDATE_EXPECT=1 cargo test -p annals-core --test it pipeline and commit it\n{got}",
        path.display()
    );
}

#[cfg(unix)]
#[test]
fn a_run_the_database_refuses_reports_each_item_skipped_with_why() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("a.sqlite3");
    {
        let mut db = Db::open(&path).unwrap_or_else(|e| panic!("{e}"));
        annals_core::seed::ensure_countries(&mut db).unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut db = Db::open(&path).unwrap_or_else(|e| panic!("{e}"));
    assert!(db.is_read_only());
    let text = |label: &str| Source::Text {
        label: label.into(),
        text: DATELINED.into(),
    };
    let (out, host) = run(&mut db, vec![text("one"), text("two")], None);
    assert_eq!((out.imported, out.skipped), (0, 2));
    assert!(out.items.iter().all(|i| i
        .message
        .as_deref()
        .is_some_and(|m| m.contains("read-only"))));
    assert_eq!(host.finished.len(), 2);
}

#[test]
fn a_long_stretch_of_bad_lines_shows_progress_and_heeds_a_cancel() {
    /// Cancels once it has heard of `after` bad lines.
    struct CancelAfterBad {
        bad: u64,
        after: u64,
        progress: usize,
    }
    impl ImportHost for CancelAfterBad {
        fn cancelled(&self) -> bool {
            self.bad >= self.after
        }
        fn progress(&mut self, _: &ImportProgress) {
            self.progress += 1;
        }
        fn bad_line(&mut self, _: &str, _: u64, _: &str) {
            self.bad += 1;
        }
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut text = "not a story\n".repeat(100_000);
    text.push_str(CORPUS);
    let corpus = write(dir.path(), "bad.jsonl", &text);
    let mut host = CancelAfterBad {
        bad: 0,
        after: 5000,
        progress: 0,
    };
    let mut db = db();
    let out = import::run(vec![Source::Path(corpus)], None, NOW, &mut db, &mut host);
    assert!(host.progress >= 4, "{}", host.progress);
    // Stopped within a stretch of 1024 lines of the cancel, the rest counted.
    assert!(
        out.bad_line_count() < 5000 + 1024,
        "{}",
        out.bad_line_count()
    );
    assert_eq!(out.imported, 0);
    assert_eq!(
        out.bad_line_count() + out.cancelled as u64,
        100_000 + 2,
        "every line is bad or cancelled"
    );
}
