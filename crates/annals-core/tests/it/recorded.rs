//! The answers the UI's tests are given, recorded from the real core.
//!
//! The UI's unit tests run without the app, so something must answer the
//! commands the page sends. Rather than a second implementation of filtering,
//! validation and review in TypeScript (which drifts), this test sends those
//! commands, with the arguments the page sends, to a real database and writes
//! every answer to `ui/src/mock/recorded/*.json`. The UI's `RecordedBackend`
//! replays them and refuses any command it has no answer for, so a change on
//! either side shows: here as a file that differs (`UPDATE_EXPECT=1 cargo test
//! -p annals-core --test it recorded` writes it again), there as a command
//! with no recording.
//!
//! A recording has a `base` (reads of the fresh database) and `scenarios`, each
//! a sequence of steps from that fresh database: the mutations in the order the
//! UI test makes them, and the reads that follow each. Steps marked `setup` are
//! mutations the replayer applies before the UI test starts. Its `read_only` is
//! what the database says of itself (`Db::write_protection`), which the shell's
//! `app_info` passes on and the replayer answers with.

use std::path::{Path, PathBuf};

use annals_core::date::PartialDate;
use annals_core::event::{EventInput, NewEvent};
use annals_core::import::Source;
use annals_core::query::{EventFilter, WindowQuery};
use annals_core::store::{ReviewFilter, REVIEW_PAGE_MAX};
use annals_core::{Db, Error};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::pipeline::run;
use crate::{db, seeded, NOW};

/// The filter the page starts with: everything but rejected events.
fn default_filter() -> Value {
    json!({
        "countries": [], "missions": [], "kinds": [], "statuses": ["proposed", "accepted"],
        "from": null, "to": null, "text": null,
    })
}

fn filter_with(key: &str, value: Value) -> Value {
    let mut f = default_filter();
    f[key] = value;
    f
}

/// The page's event form for a manual event with these fields.
fn form_input(title: &str, start: &str, countries: &[&str], extra: Value) -> Value {
    let mut input = json!({
        "title": title, "summary": "", "kind": "other",
        "date": {"start": start, "end": null, "approximate": false},
        "city": null, "country": null, "mission_id": null, "countries": countries,
        "background": false, "planned": false,
    });
    if let (Some(input), Value::Object(extra)) = (input.as_object_mut(), extra) {
        input.extend(extra);
    }
    input
}

fn arg<T: DeserializeOwned>(args: &Value, name: &str) -> T {
    serde_json::from_value(args[name].clone())
        .unwrap_or_else(|e| panic!("argument {name} of {args}: {e}"))
}

fn to_json<T: Serialize>(v: T) -> Result<Value, Error> {
    Ok(serde_json::to_value(v).unwrap_or_else(|e| panic!("{e}")))
}

/// The Review filter of a command, checked as the shell checks it.
fn review_filter(args: &Value) -> Result<ReviewFilter, Error> {
    arg::<ReviewFilter>(args, "filter").validated()
}

/// Answers one command as the shell's command of that name does (src-tauri's
/// `commands.rs` and `review.rs`, which only pass their arguments on).
fn dispatch(db: &mut Db, cmd: &str, args: &Value) -> Result<Value, Error> {
    let id = || arg::<i64>(args, "id");
    let filter = || arg::<EventFilter>(args, "filter");
    let article = || arg::<Option<i64>>(args, "articleId");
    match cmd {
        "countries" => to_json(db.countries()?),
        "missions" => to_json(db.missions()?),
        "window_events" => to_json(db.window(&arg::<WindowQuery>(args, "query"))?),
        "facets" => to_json(db.facets(&filter())?),
        "list_events" => to_json(db.list(&filter(), arg(args, "offset"), arg(args, "limit"))?),
        "position_of" => to_json(db.position_of(&filter(), arg(args, "key"))?),
        "get_event" => to_json(db.event(id())?.ok_or(Error::NotFound {
            what: "event",
            id: id(),
        })?),
        "get_article" => to_json(db.article(id())?.ok_or(Error::NotFound {
            what: "article",
            id: id(),
        })?),
        "create_event" => {
            to_json(db.create_event(NewEvent::manual(arg::<EventInput>(args, "input")), NOW)?)
        }
        "update_event" => to_json(db.update_event(id(), arg(args, "input"), NOW)?),
        "delete_event" => to_json(db.delete_event(id(), NOW)?),
        "restore_event" => to_json(db.restore_event(arg(args, "token"), NOW)?),
        "review_count" => to_json(db.proposed_count()?),
        "review_articles" => to_json(db.review_articles(
            arg(args, "include"),
            arg::<u32>(args, "limit").min(REVIEW_PAGE_MAX),
        )?),
        "review_items" => to_json(db.review_items(
            &review_filter(args)?,
            arg::<u32>(args, "limit").min(REVIEW_PAGE_MAX),
        )?),
        "review_facets" => to_json(db.review_facets(article())?),
        "count_matching" => to_json(db.review_count_matching(&review_filter(args)?)?),
        "decide_matching" => {
            to_json(db.decide_matching(&review_filter(args)?, arg(args, "decision"), NOW)?)
        }
        "decide_events" => {
            to_json(db.decide_events(&arg::<Vec<i64>>(args, "ids"), arg(args, "decision"), NOW)?)
        }
        "reopen_events" => to_json(db.reopen_events(&arg::<Vec<i64>>(args, "ids"), NOW)?),
        "accept_event" => to_json(db.accept_event(id(), NOW)?),
        "reject_event" => to_json(db.reject_event(id(), NOW)?),
        "reopen_event" => to_json(db.reopen_event(id(), NOW)?),
        "edit_and_accept" => to_json(db.edit_and_accept(id(), arg(args, "input"), NOW)?),
        "merge_candidates" => to_json(db.merge_candidates(id(), 20)?),
        "merge_events" => to_json(db.merge_events(arg(args, "from"), arg(args, "into"), NOW)?),
        "article_view" => to_json(db.article_view(id())?),
        _ => panic!("the recorder does not know the command {cmd}"),
    }
}

/// One database and the steps sent to it.
struct Recorder {
    db: Db,
    steps: Vec<Value>,
}

impl Recorder {
    fn new(db: Db) -> Self {
        Recorder {
            db,
            steps: Vec::new(),
        }
    }

    /// Sends a command; records and returns the answer (an error as the page
    /// receives it: kind, message, field).
    fn step(&mut self, cmd: &str, args: Value, setup: bool) -> Result<Value, Value> {
        let answer = dispatch(&mut self.db, cmd, &args)
            .map_err(|e| json!({"kind": e.kind(), "message": e.to_string(), "field": e.field()}));
        let mut step = Map::new();
        step.insert("cmd".into(), cmd.into());
        step.insert("args".into(), args);
        match &answer {
            Ok(v) => step.insert("ok".into(), v.clone()),
            Err(e) => step.insert("err".into(), e.clone()),
        };
        if setup {
            step.insert("setup".into(), true.into());
        }
        self.steps.push(Value::Object(step));
        answer
    }

    fn call(&mut self, cmd: &str, args: Value) -> Value {
        self.step(cmd, args, false)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    fn setup(&mut self, cmd: &str, args: Value) -> Value {
        self.step(cmd, args, true)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    fn take(&mut self) -> Vec<Value> {
        std::mem::take(&mut self.steps)
    }
}

/// What the page reads of the seeded database before any change.
fn seed_reads(r: &mut Recorder) {
    r.call("countries", json!({}));
    r.call("missions", json!({}));
    let page = r.call(
        "list_events",
        json!({"filter": default_filter(), "offset": 0, "limit": 100}),
    );
    r.call(
        "list_events",
        json!({"filter": filter_with("countries", json!(["JP"])), "offset": 0, "limit": 100}),
    );
    for ev in page["events"].as_array().into_iter().flatten() {
        r.call("get_event", json!({"id": ev["id"]}));
    }
    r.call("article_view", json!({"id": 1}));
    r.call("get_article", json!({"id": 1}));
}

/// What the page reads after a change: the countries and missions (an event
/// may bring a mission) and the list.
fn list_again(r: &mut Recorder) -> Value {
    r.call("countries", json!({}));
    r.call("missions", json!({}));
    r.call(
        "list_events",
        json!({"filter": default_filter(), "offset": 0, "limit": 100}),
    )
}

/// The curated seed: browsing, the form, many later events, hostile text.
fn seed_recording() -> Value {
    let mut r = Recorder::new(seeded());
    let read_only = r.db.write_protection();
    seed_reads(&mut r);
    let base = r.take();
    let mut scenarios = Map::new();

    // The event form saves one event; the page shows the answer.
    r.call(
        "create_event",
        json!({"input": form_input("Meeting in Seoul", "2002-05-11", &["JP"], json!({}))}),
    );
    scenarios.insert("form-create".into(), r.take().into());

    // What the core says of inputs it refuses. (An impossible date is refused
    // before the command runs, by the input's deserializer.)
    let refused = |r: &mut Recorder, input: Value| {
        let got = r.step("create_event", json!({"input": input}), false);
        assert!(got.is_err(), "the core accepted {got:?}");
    };
    refused(&mut r, form_input("  ", "2002-05-11", &[], json!({})));
    refused(
        &mut r,
        form_input("No such country", "2002-05-11", &["XX"], json!({})),
    );
    refused(
        &mut r,
        form_input(
            "No such mission",
            "2002-05-11",
            &[],
            json!({"mission_id": 999}),
        ),
    );
    scenarios.insert("form-refused".into(), r.take().into());

    // More later events than a page of the list and one last one, made before
    // the list opens: the list must find the last by asking for its position.
    let mut r = Recorder::new(seeded());
    for i in 0..120 {
        r.setup(
            "create_event",
            json!({"input": form_input(&format!("Later {i}"), &format!("2003-01-{:02}", i % 28 + 1), &[], json!({}))}),
        );
    }
    let last = r.setup(
        "create_event",
        json!({"input": form_input("The very last", "2004", &[], json!({}))}),
    );
    list_again(&mut r);
    r.call("get_event", json!({"id": last["id"]}));
    let key = "2004"
        .parse::<PartialDate>()
        .unwrap_or_else(|e| panic!("{e}"))
        .lo();
    let position = r.call(
        "position_of",
        json!({"filter": default_filter(), "key": key}),
    );
    // The page of the list that holds it.
    let offset = position.as_u64().unwrap_or_default() / 100 * 100;
    r.call(
        "list_events",
        json!({"filter": default_filter(), "offset": offset, "limit": 100}),
    );
    scenarios.insert("many-later".into(), r.take().into());

    // A title, summary and city that look like markup.
    let mut r = Recorder::new(seeded());
    let hostile = r.setup(
        "create_event",
        json!({"input": form_input("<img src=x onerror=alert(1)>", "2002-05-09", &[], json!({
            "summary": "<script>alert(2)</script>", "city": "<b>Shenyang</b>",
        }))}),
    );
    list_again(&mut r);
    r.call("get_event", json!({"id": hostile["id"]}));
    scenarios.insert("hostile".into(), r.take().into());

    json!({"read_only": read_only, "base": base, "scenarios": scenarios})
}

/// The recording as JSON with one step to a line, so that a change to one
/// answer is one line of the diff.
fn render(recording: &Value) -> String {
    let line = |v: &Value| serde_json::to_string(v).unwrap_or_else(|e| panic!("{e}"));
    let steps = |v: &Value, indent: &str| {
        let lines: Vec<String> = v
            .as_array()
            .into_iter()
            .flatten()
            .map(|s| format!("{indent}  {}", line(s)))
            .collect();
        format!("[\n{}\n{indent}]", lines.join(",\n"))
    };
    let scenarios: Vec<String> = recording["scenarios"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, s)| format!("    {}: {}", line(&name.as_str().into()), steps(s, "    ")))
        .collect();
    format!(
        "{{\n  \"schema_version\": {},\n  \"read_only\": {},\n  \"base\": {},\n  \"scenarios\": {{\n{}\n  }}\n}}\n",
        annals_core::store::SCHEMA_VERSION,
        line(&recording["read_only"]),
        steps(&recording["base"], "  "),
        scenarios.join(",\n"),
    )
}

fn write_or_check(name: &str, recording: Value) {
    let got = render(&recording);
    let parsed: Value = serde_json::from_str(&got).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        parsed["base"], recording["base"],
        "the rendering keeps every step"
    );
    let path: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../ui/src/mock/recorded")
        .join(format!("{name}.json"));
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, &got).unwrap_or_else(|e| panic!("{e}"));
    }
    let recorded = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        recorded == got,
        "{} is not what the core answers: run UPDATE_EXPECT=1 cargo test -p annals-core --test it recorded and commit it",
        path.display()
    );
}

#[test]
fn the_seed_answers_the_ui_tests_replay_are_the_core_s() {
    write_or_check("seed", seed_recording());
}

/// The seed article imported as a user would, so that its proposals are the
/// extractor's, with its confidences.
fn imported() -> Db {
    let mut db = db();
    import_seed_article(&mut db);
    db
}

fn import_seed_article(db: &mut Db) {
    let article =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/seed/shenyang-consulate-2002.txt");
    let (out, _) = run(db, vec![Source::Path(article)], Some("2002-05-10"));
    assert_eq!(out.imported, 1, "{out:?}");
}

/// The Review view's filter as the page sends it: all articles, these kinds.
fn review_filter_json(kinds: &[&str]) -> Value {
    json!({
        "article_id": null, "kinds": kinds, "countries": [],
        "min_confidence": null, "below_confidence": null,
    })
}

/// The filter "Accept all at `threshold`" decides.
fn at_least(filter: &Value, threshold: f64) -> Value {
    let mut f = filter.clone();
    f["min_confidence"] = threshold.into();
    f
}

/// What the Review view reads after each change, for its filter and at the
/// threshold it shows.
fn review_reads(r: &mut Recorder, filter: &Value, threshold: f64) -> Value {
    r.call(
        "count_matching",
        json!({"filter": at_least(filter, threshold)}),
    );
    r.call("count_matching", json!({"filter": filter}));
    r.call("review_facets", json!({"articleId": null}));
    r.call("review_articles", json!({"include": null, "limit": 300}));
    let items = r.call("review_items", json!({"filter": filter, "limit": 100}));
    r.call("review_count", json!({}));
    items
}

fn ids(items: &Value) -> Vec<Value> {
    items
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| i["event"]["id"].clone())
        .collect()
}

/// The seed article's proposals: accepting one; rejecting one then accepting
/// all above a lower threshold; narrowing to a kind, rejecting two chosen and
/// undoing it; accepting all above a low threshold and undoing it.
fn review_recording() -> Value {
    let all = review_filter_json(&[]);
    let mut r = Recorder::new(imported());
    let read_only = r.db.write_protection();
    r.call("countries", json!({}));
    r.call("missions", json!({}));
    let items = review_reads(&mut r, &all, 0.8);
    let base = r.take();
    let order = ids(&items);
    assert!(
        order.len() > 10,
        "the seed article gives {} proposals",
        order.len()
    );
    let mut scenarios = Map::new();

    r.call("accept_event", json!({"id": order[0]}));
    review_reads(&mut r, &all, 0.8);
    scenarios.insert("accept-first".into(), r.take().into());

    let mut r = Recorder::new(imported());
    r.call("reject_event", json!({"id": order[4]}));
    review_reads(&mut r, &all, 0.8);
    r.call("count_matching", json!({"filter": at_least(&all, 0.5)}));
    r.call(
        "decide_matching",
        json!({"filter": at_least(&all, 0.5), "decision": "accept"}),
    );
    review_reads(&mut r, &all, 0.5);
    scenarios.insert("reject-then-accept-above".into(), r.take().into());

    // Narrowed to the most frequent kind, two cards chosen and rejected, then
    // the rejection undone.
    let mut r = Recorder::new(imported());
    let facets = r.call("review_facets", json!({"articleId": null}));
    let kind = facets["kinds"][0]["key"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let narrowed = review_filter_json(&[&kind]);
    let shown = ids(&review_reads(&mut r, &narrowed, 0.8));
    assert!(shown.len() >= 3, "{kind}: {shown:?}");
    let chosen = json!([shown[0], shown[2]]);
    let rejected = r.call(
        "decide_events",
        json!({"ids": chosen, "decision": "reject"}),
    );
    review_reads(&mut r, &narrowed, 0.8);
    r.call("reopen_events", json!({"ids": rejected}));
    review_reads(&mut r, &narrowed, 0.8);
    scenarios.insert("narrow-reject-chosen-undo".into(), r.take().into());

    let mut r = Recorder::new(imported());
    r.call("count_matching", json!({"filter": at_least(&all, 0.2)}));
    let accepted = r.call(
        "decide_matching",
        json!({"filter": at_least(&all, 0.2), "decision": "accept"}),
    );
    review_reads(&mut r, &all, 0.2);
    r.call("reopen_events", json!({"ids": accepted}));
    review_reads(&mut r, &all, 0.2);
    scenarios.insert("accept-many-undo".into(), r.take().into());

    json!({"read_only": read_only, "base": base, "scenarios": scenarios})
}

#[test]
fn the_review_answers_the_ui_tests_replay_are_the_core_s() {
    write_or_check("review", review_recording());
}

/// The database of `review_recording` in a write-protected file, opened
/// read-only as the window opens it: what the page reads to show the review
/// queue, its proposals and the timeline with every control that writes
/// disabled. (Tests run as root, whom file modes do not stop: the core goes by
/// the permission bits, so the file opens read-only whoever runs this.)
fn read_only_recording() -> Value {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("annals.sqlite3");
    {
        let mut db = Db::open(&path).unwrap_or_else(|e| panic!("{e}"));
        annals_core::seed::ensure_countries(&mut db).unwrap_or_else(|e| panic!("{e}"));
        import_seed_article(&mut db);
    }
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444))
        .unwrap_or_else(|e| panic!("{e}"));
    let db = Db::open(&path).unwrap_or_else(|e| panic!("{e}"));
    let read_only = db.write_protection();
    assert!(read_only.is_some(), "{} opened writable", path.display());
    let mut r = Recorder::new(db);
    r.call("countries", json!({}));
    r.call("missions", json!({}));
    let items = review_reads(&mut r, &review_filter_json(&[]), 0.8);
    let first = ids(&items).first().cloned().unwrap_or_default();
    r.call("get_event", json!({"id": first}));
    let base = r.take();
    json!({"read_only": read_only, "base": base, "scenarios": {}})
}

#[test]
fn the_read_only_answers_the_ui_tests_replay_are_the_core_s() {
    write_or_check("read-only", read_only_recording());
}
