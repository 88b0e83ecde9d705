//! The `annals` binary as a user runs it, on a temporary database.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

struct Tmp {
    _dir: tempfile::TempDir,
    db: PathBuf,
}

fn seeded() -> Tmp {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("annals.sqlite3");
    let out = annals(&db, &["seed"]);
    assert!(out.status.success(), "{}", stderr(&out));
    Tmp { _dir: dir, db }
}

fn annals(db: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_annals"));
    cmd.args(args);
    if args.first() != Some(&"extract") {
        cmd.arg("--db").arg(db);
    }
    cmd.env_remove("ANNALS_DB")
        .output()
        .unwrap_or_else(|e| panic!("{e}"))
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Titles of `annals list ARGS --format json`.
fn titles(t: &Tmp, args: &[&str]) -> Vec<String> {
    let mut all = vec!["list", "--format", "json"];
    all.extend_from_slice(args);
    let out = annals(&t.db, &all);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value =
        serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{e}"));
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|e| e["title"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn list_by_country_code_or_name_gives_the_same_events() {
    let t = seeded();
    let by_code = titles(&t, &["--country", "JP"]);
    assert_eq!(by_code.len(), 6);
    assert_eq!(by_code, titles(&t, &["--country", "Japan"]));
    assert_eq!(by_code, titles(&t, &["--country", "japanese"]));
    // Several countries: any of them.
    assert!(titles(&t, &["--country", "JP", "--country", "ES"]).len() == 7);
}

#[test]
fn list_by_mission_name() {
    let t = seeded();
    assert_eq!(
        titles(&t, &["--mission", "Spanish Embassy, Beijing"]),
        ["North Koreans in the Spanish Embassy in Beijing, later flown to South Korea"]
    );
    assert_eq!(titles(&t, &["--mission", "Consulate, Shenyang"]).len(), 6);
}

#[test]
fn list_by_kind_dates_and_text() {
    let t = seeded();
    assert_eq!(
        titles(&t, &["--kind", "removal"]),
        ["Chinese police drag two North Korean men out of the Japanese Consulate"]
    );
    let may9 = titles(&t, &["--from", "2002-05-09", "--to", "2002-05-09"]);
    assert!(may9
        .contains(&"A third North Korean man enters the U.S. Consulate in Shenyang".to_string()));
    assert!(!may9.iter().any(|t| t.contains("Spanish")));
    assert_eq!(titles(&t, &["--to", "1999"]).len(), 2);
    assert_eq!(titles(&t, &["--q", "barbed wire"]).len(), 1);
    assert_eq!(titles(&t, &["--status", "proposed"]).len(), 0);
}

#[test]
fn table_and_csv_formats_show_the_dates_as_written() {
    let t = seeded();
    let table = stdout(&annals(&t.db, &["list", "--kind", "conflict"]));
    assert!(
        table.contains("1950–1953") && table.contains("Korean War") && table.contains("(1 events)"),
        "{table}"
    );
    let csv = stdout(&annals(
        &t.db,
        &["list", "--format", "csv", "--kind", "conflict"],
    ));
    let mut lines = csv.lines();
    assert!(lines
        .next()
        .unwrap_or("")
        .starts_with("id,start,end,approximate,precision"));
    assert!(
        lines
            .next()
            .unwrap_or("")
            .contains(",1950,1953,false,year,1950–1953,conflict,"),
        "{csv}"
    );
}

#[test]
fn bad_arguments_exit_2_with_a_clear_message() {
    let t = seeded();
    for (args, says) in [
        (
            vec!["list", "--country", "Atlantis"],
            "unknown country `Atlantis`",
        ),
        (
            vec!["list", "--mission", "Narnian Embassy"],
            "no mission matches",
        ),
        (vec!["list", "--kind", "coup"], "unknown kind `coup`"),
        (
            vec!["list", "--from", "2002-02-30"],
            "February 2002 has 28 days",
        ),
        (
            vec!["list", "--from", "2003", "--to", "2002"],
            "before its start",
        ),
        (vec!["list", "--format", "xml"], "invalid value 'xml'"),
        (vec!["list", "--bogus"], "unexpected argument"),
        (
            vec!["add", "--title", " ", "--date", "2002"],
            "title: a title is required",
        ),
        (
            vec![
                "add",
                "--title",
                "x",
                "--date",
                "2002-05-09",
                "--end",
                "2002-05-08",
            ],
            "end is before the start",
        ),
    ] {
        let out = annals(&t.db, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn an_added_event_is_listed_with_its_mission_and_countries() {
    let t = seeded();
    let out = annals(
        &t.db,
        &[
            "add",
            "--title",
            "Family leaves for Seoul via Manila",
            "--date",
            "2002-05-23",
            "--kind",
            "departure",
            "--mission",
            "Japanese Consulate",
            "--country",
            "KP,Japan",
            "--format",
            "json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let listed = titles(
        &t,
        &[
            "--mission",
            "Japanese Consulate, Shenyang",
            "--kind",
            "departure",
        ],
    );
    assert_eq!(listed, ["Family leaves for Seoul via Manila"]);
    let json = stdout(&annals(
        &t.db,
        &["list", "--format", "json", "--kind", "departure"],
    ));
    assert!(
        json.contains("\"countries\": [\n      \"JP\",\n      \"KP\"\n    ]"),
        "{json}"
    );
}

#[test]
fn a_database_that_is_not_ours_is_refused_with_exit_1() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("notes.txt");
    std::fs::write(
        &db,
        "plain text, not a database, long enough to be read as a header ........",
    )
    .unwrap_or_default();
    let out = annals(&db, &["list"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("not an SQLite database"),
        "{}",
        stderr(&out)
    );
}

/// `annals import` on a fresh database, with extra environment.
fn import(db: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_annals"));
    cmd.arg("import").arg("--db").arg(db).args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.env_remove("ANNALS_DB")
        .output()
        .unwrap_or_else(|e| panic!("{e}"))
}

fn seed_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/seed/shenyang-consulate-2002.txt")
}

/// How many proposed events the database holds.
#[cfg(feature = "test-hooks")]
fn proposed(db: &Path) -> i64 {
    let out = annals(db, &["list", "--format", "json", "--status", "proposed"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value =
        serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{e}"));
    v.as_array().map_or(0, |a| a.len() as i64)
}

#[test]
fn import_reports_each_file_and_exits_by_outcome() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("a.sqlite3");
    let seed = seed_file();
    let seed = seed.to_string_lossy();
    let out = import(&db, &["--dct", "2002-05-10", &seed], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("imported 19 events"), "{text}");
    assert!(text.contains("imported 1 of 1 (19 events)"), "{text}");
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "").unwrap_or_else(|e| panic!("{e}"));
    let out = import(&db, &[&seed, &empty.to_string_lossy()], &[]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("skipped: already imported"), "{text}");
    assert!(
        text.contains("empty.txt: skipped: the file is empty"),
        "{text}"
    );
    let out = import(&db, &["--dct", "10/05/2002", &seed], &[]);
    assert_eq!(out.status.code(), Some(2));
    // Redating moves the events.
    let out = annals(&db, &["redate", "1", "2008-07-07"]);
    assert!(
        stdout(&out).contains("17 events moved, 0 sent back to review"),
        "{}",
        stdout(&out)
    );
}

// The abort hook exists in debug builds only (the tests'), never in a release.
#[cfg(debug_assertions)]
#[test]
#[cfg(feature = "test-hooks")]
fn an_import_killed_half_way_leaves_the_database_as_it_was() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("a.sqlite3");
    let out = annals(&db, &["seed"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let before = proposed(&db);
    let seed = seed_file();
    // A different text, so it is not a duplicate of the seed article.
    let copy = dir.path().join("copy.txt");
    let text = std::fs::read_to_string(&seed).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&copy, format!("{text}\n\nA copy.")).unwrap_or_else(|e| panic!("{e}"));
    let out = import(
        &db,
        &[&copy.to_string_lossy()],
        &[("ANNALS_ABORT_AFTER_EVENTS", "5")],
    );
    assert!(!out.status.success(), "the process should have aborted");
    assert_eq!(out.status.code(), None, "killed by a signal");
    assert_eq!(proposed(&db), before);
    let list = annals(&db, &["list", "--format", "json"]);
    let v: serde_json::Value =
        serde_json::from_str(&stdout(&list)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        v.as_array().map(Vec::len),
        Some(21),
        "only the seed's events"
    );
    // And the same import, not interrupted, goes through.
    let out = import(&db, &[&copy.to_string_lossy()], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(proposed(&db), before + 19);
}

/// A corpus of `lines` (JSON values) in `dir`.
fn corpus(dir: &Path, name: &str, lines: &[serde_json::Value]) -> PathBuf {
    let p = dir.join(name);
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(&p, text).unwrap_or_else(|e| panic!("{e}"));
    p
}

#[test]
fn an_explicit_dct_wins_over_a_storys_own_date_and_the_dateline() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("a.sqlite3");
    let c = corpus(
        dir.path(),
        "wire.jsonl",
        &[
            serde_json::json!({"id": "s1", "dct": "2002-05-09", "text": "Police arrested three men in Beijing on Thursday."}),
        ],
    );
    let file = dir.path().join("dated.txt");
    std::fs::write(
        &file,
        "Row\n\nBEIJING, May 10, 2002 (Reuters) - Police arrested two men in Beijing on Wednesday.",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (c, file) = (c.to_string_lossy(), file.to_string_lossy());
    let out = import(&db, &["--dct", "2002-06-14", &c, &file], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(text.contains("wire.jsonl · story s1: imported"), "{text}");
    assert_eq!(text.matches("dated 2002-06-14").count(), 2, "{text}");
    // Without --dct: the story's own date, and the dateline's.
    let db2 = dir.path().join("b.sqlite3");
    let text = stdout(&import(&db2, &[&c, &file], &[]));
    assert!(text.contains("(article 1, dated 2002-05-09)"), "{text}");
    assert!(
        text.contains("dated.txt: imported 1 events (article 2, dated 2002-05-10)"),
        "{text}"
    );
}

#[test]
fn escape_sequences_in_story_ids_and_titles_never_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("a.sqlite3");
    let c = corpus(
        dir.path(),
        "evil.jsonl",
        &[
            serde_json::json!({"id": "\u{1b}]0;owned\u{7}\u{1b}[2J", "dct": "2002-05-10", "title": "Red \u{1b}[31malert\u{9b}31m \u{202e}txt.exe", "text": "Police arrested two men in Beijing on Wednesday."}),
            serde_json::json!({"id": "\u{1b}[1Abad", "text": 5}),
        ],
    );
    let out = import(&db, &[&c.to_string_lossy()], &[]);
    let text = stdout(&out);
    for bad in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'] {
        assert!(!text.contains(bad), "{bad:?} printed: {text:?}");
    }
    assert!(
        text.contains("story \\u{1b}]0;owned\\u{7}\\u{1b}[2J: imported"),
        "{text}"
    );
    // And the event list shows the title harmless too.
    let listed = stdout(&annals(&db, &["list"]));
    assert!(!listed.contains('\u{1b}'), "{listed:?}");
}

#[test]
fn folders_and_corpora_import_with_bad_lines_summarized() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("a.sqlite3");
    let news = dir.path().join("news");
    std::fs::create_dir_all(&news).unwrap_or_else(|e| panic!("{e}"));
    std::fs::copy(seed_file(), news.join("seed.txt")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(news.join("notes.pdf"), "%PDF").unwrap_or_else(|e| panic!("{e}"));
    let mut lines = vec![
        serde_json::json!({"id": "ok", "text": "Police arrested two men in Beijing on Wednesday."}),
    ];
    lines.extend((0..30).map(|i| serde_json::json!({"id": i})));
    corpus(&news, "c.ndjson", &lines);
    let out = import(&db, &["--quiet", &news.to_string_lossy()], &[]);
    assert_eq!(out.status.code(), Some(1), "bad lines exit 1");
    let text = stdout(&out);
    assert!(
        text.contains("news/c.ndjson: 30 lines are not stories (the first, line 2: not a story"),
        "{text}"
    );
    assert!(text.contains("imported 2 of 2"), "{text}");
    assert!(text.contains("; 30 bad lines;"), "{text}");
    assert!(
        !text.contains("notes.pdf"),
        "a folder gives only importable files: {text}"
    );
}

#[test]
fn a_very_long_word_in_a_title_does_not_reject_the_article() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("a.sqlite3");
    let word = "W".repeat(50_000);
    let c = corpus(
        dir.path(),
        "long.jsonl",
        &[
            serde_json::json!({"id": "long", "dct": "2002-05-10", "title": word, "text": format!("Police arrested {word} in Beijing on Wednesday.")}),
        ],
    );
    let out = import(&db, &[&c.to_string_lossy()], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("story long: imported 1 events"),
        "{}",
        stdout(&out)
    );
}

/// `annals parse`, fed on standard input or a file.
fn parse(args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_annals"))
        .arg("parse")
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(input).unwrap_or_else(|e| panic!("{e}"));
    }
    child.wait_with_output().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn parse_prints_conllu_with_offsets_into_the_text() {
    let text = "Chinese police entered the consulate on Wednesday. They left.";
    let out = parse(&["-"], text.as_bytes());
    assert!(out.status.success(), "{}", stderr(&out));
    let conllu = stdout(&out);
    let sentences: Vec<&str> = conllu
        .split("\n\n")
        .filter(|s| !s.trim().is_empty())
        .collect();
    assert_eq!(sentences.len(), 2, "{conllu}");
    assert!(conllu.starts_with(
        "# sent_id = 1\n# text = Chinese police entered the consulate on Wednesday.\n"
    ));
    let entered: Vec<&str> = conllu
        .lines()
        .find(|l| l.split('\t').nth(1) == Some("entered"))
        .map(|l| l.split('\t').collect())
        .unwrap_or_default();
    assert_eq!(&entered[2..8], ["enter", "VERB", "VBD", "_", "0", "root"]);
    assert_eq!(entered[9], "TokenRange=15:22");
    assert_eq!(&text[15..22], "entered");
    let period = conllu
        .lines()
        .find(|l| l.starts_with("8\t."))
        .unwrap_or_default();
    assert!(
        period.ends_with("\t_\tTokenRange=49:50"),
        "a space follows: {period}"
    );
    assert!(
        conllu
            .trim_end()
            .ends_with("SpaceAfter=No|TokenRange=60:61"),
        "{conllu}"
    );
}

#[test]
fn parse_conllu_in_keeps_the_input_words_and_comments() {
    let input = "# sent_id = a\n# text = He didn't go.\n1\tHe\t_\t_\t_\t_\t_\t_\t_\t_\n\
2-3\tdidn't\t_\t_\t_\t_\t_\t_\t_\t_\n2\tdid\t_\t_\t_\t_\t_\t_\t_\t_\n3\tn't\t_\t_\t_\t_\t_\t_\t_\t_\n\
4\tgo\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\n5\t.\t_\t_\t_\t_\t_\t_\t_\t_\n";
    let out = parse(&["--conllu-in", "-"], input.as_bytes());
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<String> = stdout(&out).lines().map(String::from).collect();
    assert_eq!(lines[0], "# sent_id = a");
    assert!(
        lines[2].starts_with("1\tHe\the\tPRON\tPRP\t_\t4\tnsubj\t"),
        "{}",
        lines[2]
    );
    assert!(lines[3].starts_with("2-3\tdidn't\t_"), "{}", lines[3]);
    assert!(
        lines[6].starts_with("4\tgo\tgo\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No"),
        "{}",
        lines[6]
    );
}

#[test]
fn parse_refuses_binary_and_malformed_input_with_exit_code_2() {
    let out = parse(&["-"], b"\x00\x01binary");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("binary"), "{}", stderr(&out));
    let out = parse(&["-"], b"caf\xe9");
    assert_eq!(out.status.code(), Some(2));
    let out = parse(&["--conllu-in", "-"], b"1\tonly two\n");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("line 1"), "{}", stderr(&out));
    let out = parse(&["-"], b"");
    assert!(out.status.success());
    assert_eq!(stdout(&out), "");
}

/// Every file in `dir` and its bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut all: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_file())
        .map(|e| {
            let bytes = std::fs::read(e.path()).unwrap_or_default();
            (e.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect();
    all.sort();
    all
}

fn folder(t: &Tmp) -> &Path {
    t.db.parent().unwrap_or_else(|| panic!("no folder"))
}

fn add_event(t: &Tmp, title: &str) -> Output {
    annals(&t.db, &["add", "--title", title, "--date", "2002-05-23"])
}

#[test]
fn backup_then_restore_brings_back_the_events() {
    let t = seeded();
    let copy = folder(&t).join("copy.sqlite3");
    let copy_arg = copy.to_string_lossy().into_owned();
    let out = annals(&t.db, &["backup", &copy_arg]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("copy.sqlite3"), "{}", stdout(&out));
    assert!(add_event(&t, "Added after the backup").status.success());
    assert_eq!(titles(&t, &[]).len(), 22);

    let out = annals(&t.db, &["restore", &copy_arg]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("kept as") && stdout(&out).contains("annals.replaced-1.sqlite3"),
        "{}",
        stdout(&out)
    );
    assert_eq!(titles(&t, &[]).len(), 21);
    let kept = folder(&t).join("annals.replaced-1.sqlite3");
    let kept_titles = titles(
        &Tmp {
            _dir: tempfile::tempdir().unwrap_or_else(|e| panic!("{e}")),
            db: kept,
        },
        &[],
    );
    assert!(kept_titles.contains(&"Added after the backup".to_string()));
}

#[test]
fn backup_bad_arguments_exit_2_and_write_nothing() {
    let t = seeded();
    let existing = folder(&t).join("existing.txt");
    std::fs::write(&existing, "keep").unwrap_or_else(|e| panic!("{e}"));
    let out = annals(&t.db, &["backup", &existing.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("already exists"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&existing).unwrap_or_default(), b"keep");

    let missing = folder(&t).join("missing.sqlite3");
    let copy = folder(&t).join("copy.sqlite3");
    let out = annals(&missing, &["backup", &copy.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("no database"), "{}", stderr(&out));
    assert!(!missing.exists() && !copy.exists());

    let out = annals(&t.db, &["backup"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn restore_refuses_a_bad_backup_with_exit_1_leaving_the_database_byte_identical() {
    let t = seeded();
    let other = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let text = other.path().join("text.sqlite3");
    std::fs::write(&text, b"not a database at all ".repeat(300)).unwrap_or_default();
    let foreign = other.path().join("foreign.sqlite3");
    rusqlite::Connection::open(&foreign)
        .and_then(|c| c.execute_batch("CREATE TABLE notes (x TEXT);"))
        .unwrap_or_else(|e| panic!("{e}"));
    let before = files(folder(&t));
    for (backup, says) in [
        (&text, "not an SQLite database"),
        (&foreign, "another application"),
    ] {
        let out = annals(&t.db, &["restore", &backup.to_string_lossy()]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(stderr(&out).contains(says), "{}", stderr(&out));
        assert!(stderr(&out).contains("was not changed"), "{}", stderr(&out));
        assert!(files(folder(&t)) == before, "the database folder changed");
    }
    let out = annals(
        &t.db,
        &["restore", &other.path().join("none").to_string_lossy()],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(files(folder(&t)) == before, "the database folder changed");
}

/// `annals add` on `t` as if it were `day`.
#[cfg(feature = "test-hooks")]
fn add_on(t: &Tmp, day: &str, title: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(["add", "--title", title, "--date", "2002-05-23", "--db"])
        .arg(&t.db)
        .env_remove("ANNALS_DB")
        .env("ANNALS_TODAY", day)
        .output()
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
#[cfg(feature = "test-hooks")]
fn a_writing_command_backs_the_database_up_once_a_day_keeping_seven() {
    let t = seeded();
    // Seeding an empty database copies nothing.
    let backups = folder(&t).join("backups");
    assert!(!backups.exists());
    for (day, title) in [("2026-03-01", "One"), ("2026-03-01", "Two")] {
        let out = add_on(&t, day, title);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let written: Vec<String> = files(&backups).into_iter().map(|f| f.0).collect();
    assert_eq!(written, ["annals-2026-03-01.sqlite3"]);
    // The copy was made before the day's first `add`: the seed's 21 events.
    let copy = Tmp {
        _dir: tempfile::tempdir().unwrap_or_else(|e| panic!("{e}")),
        db: backups.join("annals-2026-03-01.sqlite3"),
    };
    assert_eq!(titles(&copy, &[]).len(), 21);

    for d in 2..=9 {
        let out = add_on(&t, &format!("2026-03-{d:02}"), "More");
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let kept: Vec<String> = files(&backups).into_iter().map(|f| f.0).collect();
    let expected: Vec<String> = (3..=9)
        .map(|d| format!("annals-2026-03-{d:02}.sqlite3"))
        .collect();
    assert_eq!(kept, expected);

    let out = add_on(&t, "March 10", "Bad date");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("ANNALS_TODAY"), "{}", stderr(&out));
}

#[test]
fn adding_to_a_write_protected_database_exits_1_saying_it_is_read_only() {
    use std::os::unix::fs::PermissionsExt;
    let t = seeded();
    std::fs::set_permissions(&t.db, std::fs::Permissions::from_mode(0o444))
        .unwrap_or_else(|e| panic!("{e}"));
    let before = std::fs::read(&t.db).unwrap_or_default();
    let out = add_event(&t, "Not written");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("read-only"), "{}", stderr(&out));
    assert!(std::fs::read(&t.db).unwrap_or_default() == before);
    // Reading still works.
    assert_eq!(titles(&t, &[]).len(), 21);
}

/// `annals` run as the unprivileged user `nobody` through `setpriv`, when these
/// tests run as root (found without libc: `id -u`) and that works here; else `None`.
fn as_nobody() -> Option<Command> {
    let uid = Command::new("id").arg("-u").output().ok()?;
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return None;
    }
    let nobody = || {
        let mut cmd = Command::new("setpriv");
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_annals"))
            .env_remove("ANNALS_DB");
        cmd
    };
    let works = nobody()
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    works.then(nobody)
}

#[test]
fn a_database_the_user_may_not_write_is_listed_and_refuses_writes() {
    use std::os::unix::fs::PermissionsExt;
    let t = seeded();
    let dir = folder(&t).to_path_buf();
    let mode = |m: u32| {
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(m))
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let nobody = as_nobody().is_some();
    if nobody {
        // Root's folder (0o755) and file (0o644): their bits allow writing, but
        // not by `nobody`, so the system refuses, SQLite falls back to read-only
        // and cannot create the -shm a WAL database needs even to be read.
        mode(0o755);
    } else {
        // Not root: a folder write-protected by its bits stops this user.
        mode(0o555);
    }
    let run = |args: &[&str]| match as_nobody() {
        Some(mut cmd) => cmd
            .args(args)
            .arg("--db")
            .arg(&t.db)
            .output()
            .unwrap_or_else(|e| panic!("{e}")),
        None => annals(&t.db, args),
    };
    let before = files(&dir);
    let out = run(&["list", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let listed: serde_json::Value =
        serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(listed.as_array().map(Vec::len), Some(21));
    let out = run(&["add", "--title", "Not written", "--date", "2002-05-23"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("read-only"), "{}", stderr(&out));
    let after = files(&dir);
    mode(0o700);
    assert!(after == before, "the database folder changed");
}

#[test]
fn a_write_to_a_database_another_process_holds_waits_then_names_that_process() {
    let t = seeded();
    // This test process holds the write lock; `annals` runs as a child of it.
    let holder = rusqlite::Connection::open(&t.db).unwrap_or_else(|e| panic!("{e}"));
    holder
        .execute_batch("BEGIN IMMEDIATE; INSERT INTO setting (key, value) VALUES ('held', '1');")
        .unwrap_or_else(|e| panic!("{e}"));
    let started = std::time::Instant::now();
    let out = add_event(&t, "Blocked");
    let waited = started.elapsed();
    holder
        .execute_batch("ROLLBACK")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        waited >= std::time::Duration::from_millis(4800),
        "{waited:?}"
    );
    let err = stderr(&out);
    assert!(err.contains("is locked"), "{err}");
    assert!(
        err.contains(&format!("(process {}) kept it locked", std::process::id())),
        "{err}"
    );
    assert!(!titles(&t, &[]).contains(&"Blocked".to_string()));
}

#[test]
fn an_import_into_a_database_another_process_holds_names_that_process_and_writes_nothing() {
    let t = seeded();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let article = dir.path().join("held.txt");
    std::fs::write(
        &article,
        "Police entered the embassy on Monday, May 6, 2002.",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let holder = rusqlite::Connection::open(&t.db).unwrap_or_else(|e| panic!("{e}"));
    holder
        .execute_batch("BEGIN IMMEDIATE; INSERT INTO setting (key, value) VALUES ('held', '1');")
        .unwrap_or_else(|e| panic!("{e}"));
    let out = import(
        &t.db,
        &["--dct", "2002-05-10", &article.to_string_lossy()],
        &[],
    );
    holder
        .execute_batch("ROLLBACK")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("held.txt: skipped: "), "{text}");
    assert!(
        text.contains(&format!("(process {}) kept it locked", std::process::id())),
        "{text}"
    );
    assert_eq!(titles(&t, &[]).len(), 21, "the seed's events, nothing more");
}

/// Writes 0x5A over 8 KiB in the middle of a closed database file.
#[cfg(feature = "test-hooks")]
fn damage_pages(path: &Path) {
    let mut bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{e}"));
    let mid = bytes.len() / 2;
    for b in &mut bytes[mid..mid + 8192] {
        *b = 0x5A;
    }
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
#[cfg(feature = "test-hooks")]
fn a_damaged_database_exits_1_printing_the_backup_that_restores_it() {
    let t = seeded();
    // The day's first write makes the daily backup (the seed's 21 events).
    assert!(add_on(&t, "2026-03-01", "After the backup")
        .status
        .success());
    damage_pages(&t.db);
    let backup = folder(&t).join("backups/annals-2026-03-01.sqlite3");

    let out = annals(&t.db, &["list"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("damaged"), "{err}");
    assert!(
        err.contains(&format!(
            "annals restore --db {} {}",
            t.db.display(),
            backup.display()
        )),
        "{err}"
    );

    let out = annals(&t.db, &["restore", &backup.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("annals.damaged-1.sqlite3"),
        "{}",
        stdout(&out)
    );
    assert_eq!(titles(&t, &[]).len(), 21);
}

#[test]
fn a_missing_syntax_model_is_a_clear_error_naming_where_it_was_looked_for() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let missing = dir.path().join("parser.model");
    let out = Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(["parse", "-"])
        .env("ANNALS_PARSER_MODEL", &missing)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            if let Some(mut stdin) = child.stdin.take() {
                stdin.write_all(b"Police entered the embassy on Monday.")?;
            }
            child.wait_with_output()
        })
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("the syntax model is missing"), "{err}");
    assert!(err.contains(&missing.display().to_string()), "{err}");
    // A damaged file is refused as damaged, not read as a model.
    std::fs::write(&missing, b"not a model").unwrap_or_else(|e| panic!("{e}"));
    let out = Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(["parse", "-"])
        .env("ANNALS_PARSER_MODEL", &missing)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not an Annals syntax model"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Regression: with no model, import used to report success with 0 events
/// for every article, and extract printed none.
#[test]
fn without_the_syntax_model_import_refuses_each_article_and_extract_fails() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let missing = dir.path().join("parser.model");
    let article = dir.path().join("a.txt");
    std::fs::write(
        &article,
        "Police entered the embassy on Monday, May 6, 2002.",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("t.sqlite3");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_annals"))
            .args(args)
            .env("ANNALS_PARSER_MODEL", &missing)
            .output()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let a = article.to_str().unwrap_or_default();
    let out = run(&["import", "--db", db.to_str().unwrap_or_default(), a]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("1 of 1 skipped"), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("skipped") && stdout(&out).contains("the syntax model is missing"),
        "{}",
        stdout(&out)
    );
    assert!(all_events(&db).is_empty());
    let out = run(&["extract", "--format", "json", a]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("the syntax model is missing"),
        "{}",
        stderr(&out)
    );
}

/// Every event of `annals list --format json` on `db`.
fn all_events(db: &Path) -> Vec<serde_json::Value> {
    let out = annals(db, &["list", "--format", "json", "--limit", "20000"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value =
        serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{e}"));
    v.as_array().cloned().unwrap_or_default()
}

fn generate(dir: &Path, name: &str, events: &str, seed: &str) -> PathBuf {
    let db = dir.join(name);
    let out = annals(&db, &["gen", "--events", events, "--seed", seed]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).starts_with(&format!("generated {events} events (seed {seed})")));
    db
}

#[test]
fn gen_is_the_same_for_a_seed_and_has_the_shape_it_promises() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let a = all_events(&generate(dir.path(), "a.sqlite3", "4000", "7"));
    let b = all_events(&generate(dir.path(), "b.sqlite3", "4000", "7"));
    let c = all_events(&generate(dir.path(), "c.sqlite3", "4000", "8"));
    assert_eq!(a.len(), 4000);
    assert!(a == b, "the same seed gave different events");
    assert!(a != c, "another seed gave the same events");
    // Into a database that has events already, it refuses (exit 2).
    let out = annals(&dir.path().join("a.sqlite3"), &["gen", "--events", "5"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));

    let n = a.len() as f64;
    let share = |f: &dyn Fn(&serde_json::Value) -> bool| {
        100.0 * a.iter().filter(|e| f(e)).count() as f64 / n
    };
    let near = |what: &str, got: f64, want: f64, by: f64| {
        assert!(
            (got - want).abs() <= by,
            "{what}: {got:.1}%, promised {want}%"
        );
    };
    let ranges = share(&|e| !e["date"]["end"].is_null());
    near("ranges", ranges, 8.0, 2.0);
    let single = |p: &'static str| {
        move |e: &serde_json::Value| e["date"]["end"].is_null() && e["precision"] == p
    };
    near("days", share(&single("day")), 70.0, 3.0);
    near("months", share(&single("month")), 12.0, 2.0);
    near("years", share(&single("year")), 5.0, 1.5);
    near("minutes", share(&single("minute")), 5.0, 1.5);
    near("proposed", share(&|e| e["status"] == "proposed"), 12.0, 2.0);
    near("rejected", share(&|e| e["status"] == "rejected"), 3.0, 1.0);
    let at_mission = share(&|e| !e["mission_id"].is_null());
    assert!(
        (15.0..=40.0).contains(&at_mission),
        "at missions: {at_mission:.1}%"
    );
    // Skewed: the most frequent country is in far more events than the tenth.
    let mut by_country = std::collections::HashMap::<String, usize>::new();
    for e in &a {
        for c in e["countries"].as_array().into_iter().flatten() {
            *by_country
                .entry(c.as_str().unwrap_or("").to_string())
                .or_default() += 1;
        }
    }
    let mut counts: Vec<usize> = by_country.values().copied().collect();
    counts.sort_unstable_by(|x, y| y.cmp(x));
    assert!(counts.len() >= 20, "{} countries", counts.len());
    assert!(counts[0] >= 3 * counts[9], "not skewed: {counts:?}");
    // Bursts: the busiest day holds many times what a day with events holds.
    let mut by_day = std::collections::HashMap::<String, usize>::new();
    for e in a.iter().filter(|e| e["precision"] == "day") {
        let start = e["date"]["start"].as_str().unwrap_or("").to_string();
        *by_day.entry(start).or_default() += 1;
    }
    let mut days: Vec<usize> = by_day.values().copied().collect();
    days.sort_unstable();
    let (median, busiest) = (days[days.len() / 2], days[days.len() - 1]);
    assert!(
        busiest >= 10 * median,
        "no bursts: busiest {busiest}, median {median}"
    );
}

fn dataset_fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/datasets")
        .join(name)
        .display()
        .to_string()
}

fn empty_db() -> Tmp {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("annals.sqlite3");
    Tmp { _dir: dir, db }
}

#[test]
fn every_dataset_format_imports_from_the_command_line_and_a_second_import_adds_nothing() {
    let t = empty_db();
    let files: Vec<String> = [
        "incidents.csv",
        "acled.csv",
        "gdelt1.export.CSV",
        "gdelt2.export.CSV",
        "timeline.json",
        "timelinejs-sheet.csv",
    ]
    .iter()
    .map(|f| dataset_fixture(f))
    .collect();
    let mut args = vec!["import"];
    args.extend(files.iter().map(String::as_str));
    let out = annals(&t.db, &args);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("acled.csv: imported 3 events (dataset ACLED)"),
        "{text}"
    );
    assert!(
        text.contains("gdelt1.export.CSV: imported 4 events (dataset GDELT 1.0)"),
        "{text}"
    );
    assert!(
        text.contains("gdelt2.export.CSV: imported 3 events (dataset GDELT 2.0)"),
        "{text}"
    );
    assert!(
        text.contains("imported 21 events from 6 of 6 dataset files"),
        "{text}"
    );
    assert!(text.contains("rows/s"), "{text}");
    assert_eq!(titles(&t, &[]).len(), 21);
    assert!(titles(&t, &["--country", "PH"])
        .iter()
        .any(|t| t.starts_with("Consult")));

    let again = annals(&t.db, &args);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stdout(&again)
            .contains("imported 0 events from 0 of 6 dataset files; 6 files already imported"),
        "{}",
        stdout(&again)
    );
    assert_eq!(titles(&t, &[]).len(), 21);
}

#[test]
fn a_dataset_with_bad_rows_prints_each_with_its_line_writes_nothing_and_exits_1() {
    let t = empty_db();
    let out = annals(&t.db, &["import", &dataset_fixture("bad-rows.csv")]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("bad-rows.csv:3: skipped: `2002-02-30` is not a date"),
        "{text}"
    );
    assert!(
        text.contains("bad-rows.csv:4: skipped: the latitude 91"),
        "{text}"
    );
    assert!(text.contains("nothing of this file was written"), "{text}");
    assert!(titles(&t, &[]).is_empty());
    let out = annals(
        &t.db,
        &[
            "import",
            "--skip-bad-rows",
            &dataset_fixture("bad-rows.csv"),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(titles(&t, &[]).len(), 3);
}

#[test]
fn a_tsv_imports_through_a_mapping_file_and_a_broken_mapping_is_a_usage_error() {
    let t = empty_db();
    let map = dataset_fixture("shenyang-log.mapping.json");
    let out = annals(
        &t.db,
        &[
            "import",
            "--map",
            &map,
            &dataset_fixture("shenyang-log.tsv"),
        ],
    );
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("imported 3 events (dataset Shenyang log)"));
    assert_eq!(
        titles(&t, &["--kind", "statement"]),
        ["Beijing rejects Tokyo's account"]
    );
    let bad = annals(
        &t.db,
        &[
            "import",
            "--map",
            &dataset_fixture("incidents.csv"),
            &dataset_fixture("shenyang-log.tsv"),
        ],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("not a mapping"), "{}", stderr(&bad));
    let unknown = annals(
        &t.db,
        &[
            "import",
            "--format",
            "xls",
            &dataset_fixture("shenyang-log.tsv"),
        ],
    );
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn preview_prints_the_header_first_rows_and_proposed_mapping_as_json() {
    let t = empty_db();
    let out = annals(
        &t.db,
        &["preview", &dataset_fixture("timelinejs-sheet.csv")],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value =
        serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v["format"], "csv");
    assert_eq!(v["header"][9], "Headline");
    assert_eq!(v["rows"].as_array().map(Vec::len), Some(3));
    assert_eq!(v["mapping"]["year"], "Year");
    assert_eq!(v["mapping"]["title"], "Headline");
    assert_eq!(v["remembered"], false);
}

#[test]
fn export_csv_of_a_filter_imports_into_another_database_as_the_same_events() {
    let t = seeded();
    let path = folder(&t).join("japan.csv");
    let out = annals(
        &t.db,
        &[
            "export",
            "--format",
            "csv",
            "--country",
            "Japan",
            "-o",
            path.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let japan = titles(&t, &["--country", "JP"]);
    assert!(stderr(&out).contains(&format!("exported {} events to", japan.len())));
    // A fresh database takes the same events (a mission it does not know
    // stays in the event's summary).
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.sqlite3");
    let out = annals(&other, &["import", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut got = titles(
        &Tmp {
            _dir: dir,
            db: other,
        },
        &[],
    );
    let mut want = japan;
    got.sort();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn export_writes_every_format_to_standard_output_and_refuses_unknown_ones() {
    let t = seeded();
    for (format, starts) in [
        ("json", "{\"format\":\"annals-events\""),
        ("timelinejs", "{\"title\":"),
        ("ical", "BEGIN:VCALENDAR\r\n"),
        ("geojson", "{\"type\":\"FeatureCollection\""),
        ("csv", "id,date,end,"),
    ] {
        let out = annals(&t.db, &["export", "--format", format, "--kind", "entry"]);
        assert!(out.status.success(), "{format}: {}", stderr(&out));
        assert!(
            stdout(&out).starts_with(starts),
            "{format}: {}",
            stdout(&out)
        );
    }
    let out = annals(&t.db, &["export", "--format", "pdf"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown export format `pdf`"));
    let out = annals(&t.db, &["export", "--format", "timeml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--article"));
    let out = annals(&t.db, &["export", "--format", "timeml", "--article", "1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("<TIMEX3 tid=\"t1\""));
    let out = annals(&t.db, &["export", "--format", "timeml", "--article", "99"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn export_into_a_missing_folder_fails_clearly_and_leaves_an_existing_file_whole() {
    let t = seeded();
    let out = annals(
        &t.db,
        &["export", "--format", "csv", "-o", "/nonexistent/dir/x.csv"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("cannot write /nonexistent/dir/x.csv"),
        "{}",
        stderr(&out)
    );
    // A bad filter fails before the file is touched.
    let path = folder(&t).join("keep.ics");
    std::fs::write(&path, "mine").unwrap();
    let out = annals(
        &t.db,
        &[
            "export",
            "--format",
            "ical",
            "--country",
            "Atlantis",
            "-o",
            path.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine");
}

#[test]
fn extract_json_gives_each_event_the_timeml_value_of_its_date() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let story = dir.path().join("story.txt");
    std::fs::write(
        &story,
        "Talks resume\n\nThe two sides met in Geneva last week. Police arrested \
         three men in Beijing on Wednesday.",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let path = story.to_string_lossy().into_owned();
    let out = annals(
        dir.path(),
        &["extract", "--format", "json", "--dct", "2002-05-10", &path],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{e}"));
    let dates: Vec<(String, String, String)> = json["events"]
        .as_array()
        .unwrap_or_else(|| panic!("no events"))
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap_or_default().to_string();
            (s("date"), s("start"), s("end"))
        })
        .collect();
    // A week is written as TimeML writes it; start and end still give its days.
    assert!(
        dates.contains(&(
            "2002-W18".to_string(),
            "2002-04-29".to_string(),
            "2002-05-05".to_string()
        )),
        "{dates:?}"
    );
    assert!(
        dates.contains(&(
            "2002-05-08".to_string(),
            "2002-05-08".to_string(),
            String::new()
        )),
        "{dates:?}"
    );
}
