//! The payload suite: every hostile payload of `payloads.rs`, typed into the add
//! form and imported in every format (.txt, .md, .html, a .jsonl corpus, pasted
//! text), then looked for in every view that shows text. In each view the page
//! must hold no element, handler attribute or script from a payload
//! (`probe.js`'s `injected`), and the text must read as typed, or exactly as the
//! core stored it where the core derives it (a proposal's title is cut from its
//! sentence) or cuts it (300 characters for a title).
//!
//! Two app launches in all: the views are walked inside the page, one WebDriver
//! call a view, so the suite costs seconds, not a launch per payload.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use fantoccini::wd::TimeoutConfiguration;
use serde_json::{json, Value};

use crate::harness::{cli_json, App, Res, Workspace};
use crate::payloads::{payloads, LONG_WORD};

const PROBE: &str = include_str!("probe.js");
const MAX_TITLE: usize = 300;

/// Installs the probe (once per page load) and gives the page-side helpers time.
async fn install_probe(app: &App) -> Res {
    app.client
        .update_timeouts(TimeoutConfiguration::new(
            Some(Duration::from_secs(240)),
            None,
            None,
        ))
        .await?;
    app.client.execute(PROBE, vec![]).await?;
    Ok(())
}

/// Runs `window.__probe[name](...args)` in the page and returns what it resolved to.
async fn probe(app: &App, name: &str, args: Vec<Value>) -> Res<Value> {
    let script = format!(
        "const done = arguments[arguments.length - 1];\
         const args = Array.from(arguments).slice(0, -1);\
         Promise.resolve(window.__probe.{name}(...args))\
           .then((ok) => done({{ ok }}), (e) => done({{ err: String(e && e.stack || e) }}));"
    );
    let v = app.client.execute_async(&script, args).await?;
    match v.get("err") {
        Some(e) => Err(format!("{name}: {e}").into()),
        None => Ok(v["ok"].clone()),
    }
}

/// Fails with every trace of a payload the page holds, naming the view.
async fn assert_clean(app: &App, view: &str) -> Res {
    let traces = probe(app, "injected", vec![]).await?;
    assert_eq!(traces, json!([]), "{view}: payload traces in the page");
    Ok(())
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or("\u{0}<not text>")
}

/// A title the core cut to its limit: the first 300 characters, or 299 and "…".
fn is_cut_title(shown: &str, full: &str) -> bool {
    let n = shown.chars().count();
    let prefix = shown.trim_end_matches('…');
    n <= MAX_TITLE && full.starts_with(prefix) && (shown == full || n == MAX_TITLE)
}

/// The timeline fitted to all events: each label drawn is its event's title
/// (`want`, by id) or the title's start cut with "…", and hovering each mark
/// shows the whole title in its tooltip, with nothing of a payload live.
async fn timeline_shows_titles(app: &App, want: &BTreeMap<String, String>) -> Res {
    app.click("[data-testid=fit-all]").await?;
    let drawn = app.drawn().await?;
    assert!(drawn.len() >= 10, "{} marks drawn", drawn.len());
    let mut labelled = 0;
    for d in &drawn {
        let title = &want[&d["id"].as_i64().unwrap_or(-1).to_string()];
        assert_eq!(s(&d["title"]), title);
        let label = s(&d["label"]);
        assert!(is_label_of(label, title), "label {label:?} of {title:?}");
        labelled += usize::from(!label.is_empty());
    }
    assert!(labelled >= 5, "only {labelled} labels drawn: {drawn:?}");
    let tips = probe(app, "tooltips", vec![json!(drawn)]).await?;
    assert_clean(app, "the timeline's tooltips").await?;
    let tips = tips.as_array().cloned().unwrap_or_default();
    assert_eq!(tips.len(), drawn.len());
    for t in &tips {
        let id = t[0].as_i64().unwrap_or(-1);
        assert_eq!(s(&t[1]), want[&id.to_string()], "tooltip of {id}");
    }
    Ok(())
}

/// A timeline label as drawn: the title, or its start cut with "…", or nothing.
fn is_label_of(label: &str, title: &str) -> bool {
    label.is_empty()
        || label == title
        || label
            .strip_suffix('…')
            .is_some_and(|p| !p.is_empty() && title.starts_with(p))
}

/// Every event the database holds, by id (`annals list`).
fn stored(ws: &Workspace) -> Res<BTreeMap<i64, Value>> {
    Ok(cli_json(&ws.db(), &["list", "--limit", "100000"])?
        .into_iter()
        .filter_map(|e| Some((e["id"].as_i64()?, e)))
        .collect())
}

/// A sentence an event is read from, with the payload in it, on a date of its own:
/// proposals of one article on the same day would merge, and so would the same
/// incident told by two articles, so each source has a year of its own.
fn sentence(i: usize, payload: &str, year: usize) -> String {
    format!(
        "Police in Beijing arrested five men who carried a sign reading {payload} on {} {}, {year}, and took them away.",
        annals_core::date::MONTH_NAMES[i / 28],
        1 + i % 28
    )
}

fn article(title: &str, payloads: &[String], year: usize) -> String {
    let mut t = format!("{title}\n\n");
    for (i, p) in payloads.iter().enumerate() {
        t.push_str(&sentence(i, p, year));
        t.push_str("\n\n");
    }
    t
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[tokio::test]
async fn hostile_text_typed_into_the_form_shows_as_text_in_the_list_details_timeline_tooltips_and_merge_dialog(
) -> Res {
    let ws = Workspace::new()?;
    let app = App::launch_with(&ws.db(), &[("ANNALS_NO_SEED", "1")]).await?;
    app.wait_count(0).await?;
    install_probe(&app).await?;
    let all = payloads();
    // Four clusters of days, three months apart, so each proposal's merge
    // dialog (events within a month, 20 at most) lists one cluster whole.
    let items: Vec<Value> = all
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let start = format!("2002-{:02}-{:02}", 1 + 3 * (i % 4), 1 + (i / 4) % 28);
            json!([p, start, p])
        })
        .collect();
    let saved = probe(&app, "addThroughForm", vec![json!(items)]).await?;
    assert_clean(&app, "the add form").await?;
    let saved = saved.as_array().cloned().unwrap_or_default();
    assert_eq!(saved.len(), all.len());
    for (p, r) in all.iter().zip(&saved) {
        if p.chars().count() > MAX_TITLE {
            let refused = format!("At most 300 characters (now {})", p.chars().count());
            assert_eq!(s(r), refused, "a {} character title", p.chars().count());
        } else {
            assert_eq!(s(r), "saved", "{p:?}");
        }
    }
    let typed: Vec<&String> = all
        .iter()
        .filter(|p| p.chars().count() <= MAX_TITLE)
        .collect();
    app.wait_count(u32::try_from(typed.len())?).await?;

    // The database holds each as typed, title and summary.
    let db = stored(&ws)?;
    let by_title: BTreeMap<&str, i64> = db.iter().map(|(id, e)| (s(&e["title"]), *id)).collect();
    for p in &typed {
        let id = by_title
            .get(p.as_str())
            .ok_or_else(|| format!("not stored as typed: {p:?}"))?;
        assert_eq!(s(&db[id]["summary"]), p.as_str());
    }
    let want: BTreeMap<String, String> = db
        .iter()
        .map(|(id, e)| (id.to_string(), s(&e["title"]).to_string()))
        .collect();

    // The list: every row's title as typed.
    let rows = probe(&app, "listRows", vec![]).await?;
    assert_clean(&app, "the list").await?;
    let rows = rows.as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), typed.len());
    for r in &rows {
        let id = r[0].as_i64().unwrap_or(-1);
        assert_eq!(s(&r[1]), want[&id.to_string()], "list row {id}");
    }

    // The details pane of each: title and summary as typed.
    let details = probe(&app, "details", vec![json!(rows), json!(want)]).await?;
    assert_clean(&app, "the details pane").await?;
    for d in details.as_array().into_iter().flatten() {
        let id = d[0].as_i64().unwrap_or(-1);
        let title = &want[&id.to_string()];
        assert_eq!(s(&d[1]), title, "details title of {id}");
        assert_eq!(s(&d[2]), title, "details summary of {id}");
    }

    app.click("[data-testid=close-details]").await?;
    timeline_shows_titles(&app, &want).await?;

    // The merge dialog: a pasted article proposes one event in each cluster;
    // "Merge into…" on each lists the typed events near it, titles as typed.
    app.click("[data-testid=paste-article]").await?;
    // (A dateline opens the lede: it dates the article, so January is an event.)
    let text = "Arrests in four seasons\u{E007}\u{E007}BEIJING, December 1, 2002 - Police looked back on a year of arrests.\u{E007}\u{E007}\
                On January 8, 2002, police arrested five men in Beijing.\u{E007}\u{E007}\
                On April 8, 2002, police arrested six men in Beijing.\u{E007}\u{E007}\
                On July 8, 2002, police arrested seven men in Beijing.\u{E007}\u{E007}\
                On October 8, 2002, police arrested eight men in Beijing.";
    app.fill("[data-testid=import-text]", text).await?;
    app.fill("[data-testid=import-dct]", "2002-12-01").await?;
    app.click("[data-testid=import-start]").await?;
    app.wait_for("[data-testid=import-results]").await?;
    app.click("[data-testid=import-review]").await?;
    app.eventually("four proposals", || async {
        Ok((app.find_all("[data-testid=review-item]").await?.len() == 4).then_some(()))
    })
    .await?;
    let dialogs = probe(&app, "mergeDialogs", vec![]).await?;
    let mut listed = BTreeSet::new();
    for d in dialogs.as_array().into_iter().flatten() {
        assert_eq!(d[2], json!([]), "payload traces in the merge dialog");
        for o in d[1].as_array().into_iter().flatten() {
            let id = o[0].as_i64().unwrap_or(-1);
            if let Some(title) = want.get(&id.to_string()) {
                assert_eq!(s(&o[1]), title, "merge candidate {id}");
                listed.insert(id);
            }
        }
    }
    assert_eq!(
        listed.len(),
        typed.len(),
        "every typed event is a candidate of one merge dialog"
    );
    app.quit().await
}

#[tokio::test]
async fn hostile_articles_in_every_import_format_show_as_text_in_review_the_article_view_details_and_timeline(
) -> Res {
    let ws = Workspace::new()?;
    let all = payloads();
    let files: Vec<(&str, String)> = vec![
        (
            "payloads.txt",
            article("Hostile payloads in a text file", &all, 2001),
        ),
        (
            "payloads.md",
            article("# Hostile payloads in Markdown", &all, 2002),
        ),
        ("payloads.html", {
            let mut h = String::from(
                "<!doctype html><html><head><title>Hostile payloads in HTML</title></head><body>",
            );
            for (i, p) in all.iter().enumerate() {
                h.push_str(&format!("<p>{}</p>\n", html_escape(&sentence(i, p, 2003))));
            }
            h + "</body></html>"
        }),
        // The payloads as live markup: intake must drop or flatten it all.
        ("raw.html", {
            let mut h = String::from("<html><head><title>Raw markup</title><script>window.__pwned='head'</script></head><body>");
            for (i, p) in all.iter().enumerate() {
                h.push_str(&format!("<p>{}</p>\n", sentence(i, p, 2004)));
            }
            h + "</body></html>"
        }),
        ("payloads.jsonl", {
            let mut j = String::new();
            for (i, p) in all.iter().enumerate() {
                // A dateline paragraph first: it dates the story, and it keeps
                // a payload's few control characters under the share that
                // makes intake call a text binary.
                let text = format!(
                    "BEIJING, December 1, 2005 - Police looked back on a year of arrests in the capital, where crowds gathered after every protest of the spring.\n\n{}",
                    sentence(i, p, 2005)
                );
                let story =
                    json!({ "id": format!("p{i}"), "dct": "2005-12-01", "title": p, "text": text });
                j.push_str(&story.to_string());
                j.push('\n');
            }
            j
        }),
    ];
    let mut picks = Vec::new();
    for (name, body) in &files {
        let p = ws.path(name);
        std::fs::write(&p, body)?;
        picks.push(p);
    }
    let app = App::import_on_empty(&ws.db(), &picks).await?;
    install_probe(&app).await?;
    let summary = app.text("[data-testid=import-summary]").await?;
    let articles = 4 + all.len();
    let results = app.text("[data-testid=import-results]").await?;
    assert!(
        summary.starts_with(&format!("{articles} imported")),
        "{summary}: {results}"
    );
    assert_clean(&app, "the import summary").await?;
    app.click("[data-testid=import-close]").await.ok();
    // Pasted text: the same article through the paste dialog.
    app.click("[data-testid=paste-article]").await?;
    let pasted = article("Hostile payloads pasted", &all, 2006);
    let field = app.wait_for("[data-testid=import-text]").await?;
    drop(field);
    app.client
        .execute(
            "window.__probe.setValue(document.querySelector('[data-testid=import-text]'), arguments[0]);",
            vec![json!(pasted)],
        )
        .await?;
    app.fill("[data-testid=import-dct]", "2002-12-01").await?;
    app.click("[data-testid=import-start]").await?;
    let results = app.text("[data-testid=import-results]").await?;
    assert!(results.contains("Hostile payloads pasted"), "{results}");
    assert_clean(&app, "the paste dialog").await?;

    // Review: each article chosen in turn, its cards read, and opened.
    app.click("[data-testid=import-review]").await?;
    app.wait_for("[data-testid=review-item]").await?;
    let db = stored(&ws)?;
    let t0 = std::time::Instant::now();
    let reviewed = probe(&app, "reviewArticles", vec![]).await?;
    eprintln!(
        "payloads: the review and article views walked in {:?}",
        t0.elapsed()
    );
    let reviewed = reviewed.as_array().cloned().unwrap_or_default();
    let mut titles = BTreeSet::new();
    let mut cards_seen = 0;
    for r in &reviewed {
        let (listed, heading, dialog, body) = (s(&r[0]), s(&r[1]), s(&r[2]), s(&r[3]));
        assert_eq!(r[5], json!([]), "payload traces with {listed:?} open");
        assert_eq!(
            listed, heading,
            "the article's title in the list and heading"
        );
        assert_eq!(listed, dialog, "the article's title in its view");
        titles.insert(listed.to_string());
        // The body reads as typed, every payload in it.
        let sources: Vec<&String> = match listed {
            "Hostile payloads in a text file"
            | "Hostile payloads in Markdown"
            | "Hostile payloads in HTML"
            | "Hostile payloads pasted" => all.iter().collect(),
            "Raw markup" => vec![],
            story => vec![all
                .iter()
                .find(|p| is_cut_title(story, p))
                .ok_or_else(|| format!("an article no payload titles: {story:?}"))?],
        };
        for p in sources {
            // Intake collapses each run of white space in HTML to one space, as
            // a browser shows it (a tab, U+0085 and U+2028 included).
            let p = if listed == "Hostile payloads in HTML" {
                p.split_whitespace().collect::<Vec<_>>().join(" ")
            } else {
                p.clone()
            };
            assert!(
                body.contains(p.as_str()),
                "{listed:?}'s body lacks {:?}",
                p.chars().take(80).collect::<String>()
            );
        }
        // Each card shows what the core stored: title, quote, article title.
        for c in r[4].as_array().into_iter().flatten() {
            let e = &db[&c[0].as_i64().unwrap_or(-1)];
            assert_eq!(s(&c[1]), s(&e["title"]), "card title");
            assert_eq!(s(&c[2]), s(&e["sources"][0]["quote"]), "card quote");
            assert_eq!(
                s(&c[3]),
                s(&e["sources"][0]["article_title"]),
                "card's article"
            );
            assert!(
                body.contains(s(&c[2])),
                "{listed:?}: the quote {:?} is not in the body",
                s(&c[2]).chars().take(300).collect::<String>()
            );
            cards_seen += 1;
        }
    }
    assert_eq!(titles.len(), articles + 1, "{titles:?}");
    assert!(cards_seen >= all.len() * 4, "{cards_seen} cards");
    // The stories' titles are the payloads, cut at 300 characters.
    for p in &all {
        assert!(
            titles.iter().any(|t| is_cut_title(t, p)),
            "no article titled {:?}",
            p.chars().take(80).collect::<String>()
        );
    }
    assert!(all.iter().any(|p| p.chars().count() == LONG_WORD));

    // The list and the details pane of every event: title, quote and article
    // as the core stored them.
    app.click("[data-testid=view-timeline]").await?;
    app.wait_count(u32::try_from(db.len())?).await?;
    let rows = probe(&app, "listRows", vec![]).await?;
    assert_clean(&app, "the list").await?;
    let rows = rows.as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), db.len());
    let want: BTreeMap<String, String> = db
        .iter()
        .map(|(id, e)| (id.to_string(), s(&e["title"]).to_string()))
        .collect();
    for r in &rows {
        assert_eq!(s(&r[1]), want[&r[0].as_i64().unwrap_or(-1).to_string()]);
    }
    let details = probe(&app, "details", vec![json!(rows), json!(want)]).await?;
    assert_clean(&app, "the details pane").await?;
    for d in details.as_array().into_iter().flatten() {
        let e = &db[&d[0].as_i64().unwrap_or(-1)];
        assert_eq!(s(&d[1]), s(&e["title"]), "details of {d}");
        let quotes: Vec<&str> = e["sources"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|x| s(&x["quote"]))
            .collect();
        let cites: Vec<&str> = e["sources"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|x| s(&x["article_title"]))
            .collect();
        assert_eq!(d[3], json!(quotes), "details quotes of {}", d[0]);
        assert_eq!(d[4], json!(cites), "details sources of {}", d[0]);
    }
    // The timeline's labels and tooltips of the imported events.
    app.click("[data-testid=close-details]").await?;
    timeline_shows_titles(&app, &want).await?;
    app.quit().await
}

/// One 100,000-character word in a sentence that dates an event. WebKit sized
/// the article view's column from its text and took half a minute to show it;
/// the card's quote ran off its right edge. The bound below is a hang check
/// (the fix shows it in under a second here), not a performance target.
#[tokio::test]
async fn an_article_with_a_100000_character_word_opens_at_once_and_wraps() -> Res {
    let ws = Workspace::new()?;
    let file = ws.path("long.txt");
    let word = "x".repeat(LONG_WORD);
    std::fs::write(
        &file,
        format!(
            "Long word story\n\nSEOUL, May 10, 2002 - Five North Koreans entered the Japanese \
             Consulate in Shenyang on Wednesday. {word} witnesses said.\n\n\
             Police arrested two men on Thursday.\n"
        ),
    )?;
    let app = App::import_on_empty(&ws.db(), &[file]).await?;
    app.click("[data-testid=import-review]").await?;
    app.wait_for("[data-testid=review-item]").await?;
    let overflow = "return Array.from(document.querySelectorAll('.rc-quote'))\
                    .filter(q => q.scrollWidth > q.clientWidth + 1).length";
    assert_eq!(
        app.client.execute(overflow, vec![]).await?,
        json!(0),
        "a quote runs off its card"
    );
    let t0 = std::time::Instant::now();
    app.click("[data-testid=review-item] .rc-source button")
        .await?;
    app.wait_for("[data-testid=article-body]").await?;
    let shown = t0.elapsed();
    assert!(
        shown < Duration::from_secs(10),
        "the article view took {shown:?} to show"
    );
    let length = "return Array.from(document.querySelector('[data-testid=article-body]').textContent).length";
    let body = app.client.execute(length, vec![]).await?;
    assert!(
        body.as_u64().is_some_and(|n| n > LONG_WORD as u64),
        "the body is cut: {body}"
    );
    app.quit().await
}
