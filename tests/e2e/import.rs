//! Importing an article through the window, reviewing its proposals, and
//! correcting its publication date.

use std::time::Duration;

use crate::harness::{cli_json, log_text, App, Res, Workspace};

const SEED_ARTICLE: &str = include_str!("../../data/seed/shenyang-consulate-2002.txt");

/// The ids and texts of the review cards on screen.
async fn review_cards(app: &App) -> Res<Vec<(i64, String)>> {
    let script = "return Array.from(document.querySelectorAll('[data-testid=review-item]'))\
                  .map(c => [Number(c.getAttribute('data-event-id')), c.textContent]);";
    let v = app.client.execute(script, vec![]).await?;
    Ok(v.as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|r| {
            (
                r[0].as_i64().unwrap_or(-1),
                r[1].as_str().unwrap_or("").to_string(),
            )
        })
        .collect())
}

#[tokio::test]
async fn importing_the_seed_article_then_reviewing_and_correcting_its_date() -> Res {
    let ws = Workspace::new()?;
    let file = ws.path("shenyang-consulate.txt");
    std::fs::write(&file, SEED_ARTICLE)?;
    let pick = file.display().to_string();
    let app = App::launch_with(
        &ws.db(),
        &[("ANNALS_NO_SEED", "1"), ("ANNALS_E2E_PICK", pick.as_str())],
    )
    .await?;
    app.wait_count(0).await?;

    // File > Import: the (stood-in) native dialog picks the file; keep the dateline's date.
    app.click("[data-testid=import]").await?;
    app.wait_for("[data-testid=import-dialog]").await?;
    app.shot("import-ready.png").await?;
    app.click("[data-testid=import-start]").await?;
    let summary = app.text("[data-testid=import-summary]").await?;
    assert!(summary.starts_with("1 imported"), "{summary}");
    let results = app.text("[data-testid=import-results]").await?;
    assert!(results.contains("dated 7 July 2008"), "{results}");
    app.shot("import-done.png").await?;

    // Review: the consulate entry is proposed for Wednesday 2 July 2008, its date
    // expression highlighted in its sentence.
    app.click("[data-testid=import-review]").await?;
    app.wait_for("[data-testid=review-item]").await?;
    let cards = review_cards(&app).await?;
    let proposals = cards.len();
    assert!(proposals >= 8, "{cards:?}");
    let (entry, card) = cards
        .iter()
        .find(|(_, t)| t.contains("Wednesday's episode"))
        .cloned()
        .ok_or("no proposal from the sentence about Wednesday's episode")?;
    assert!(card.contains("2 July 2008"), "{card}");
    assert!(card.contains("Japanese Consulate, Shenyang"), "{card}");
    let expr = app
        .text(&format!(
            "[data-event-id=\"{entry}\"] [data-testid=review-date-expr]"
        ))
        .await?;
    assert_eq!(expr, "Wednesday");
    app.shot("review.png").await?;

    // Two cards chosen and rejected together, then brought back with Undo.
    let chosen: Vec<i64> = cards.iter().take(2).map(|(id, _)| *id).collect();
    for id in &chosen {
        app.click(&format!(
            "[data-event-id=\"{id}\"] [data-testid=review-select]"
        ))
        .await?;
    }
    assert_eq!(app.text("[data-testid=review-chosen]").await?, "2 chosen");
    app.click("[data-testid=review-reject-chosen]").await?;
    app.eventually("two fewer proposals after rejecting the chosen", || async {
        let ids: Vec<i64> = review_cards(&app).await?.iter().map(|c| c.0).collect();
        Ok((ids.len() == proposals - 2 && !chosen.iter().any(|c| ids.contains(c))).then_some(()))
    })
    .await?;
    let listed = cli_json(&ws.db(), &["list", "--status", "rejected"])?;
    assert_eq!(listed.len(), 2, "{listed:?}");
    app.click("[data-testid=undo]").await?;
    app.eventually("the rejected pair back in review", || async {
        Ok((review_cards(&app).await?.len() == proposals).then_some(()))
    })
    .await?;

    // Bulk accept the surest (none is 80% sure: the threshold comes down to
    // 45%), then accept the rest one by one.
    app.client
        .execute(
            "const r = document.querySelector('[data-testid=review-threshold]'); \
             r.value = '45'; r.dispatchEvent(new Event('input', {bubbles: true}));",
            vec![],
        )
        .await?;
    app.eventually("a bulk accept at 45%", || async {
        let label = app.text("[data-testid=review-accept-above]").await?;
        Ok((label != "Accept 0").then_some(()))
    })
    .await?;
    app.click("[data-testid=review-accept-above]").await?;
    let left = app
        .eventually("fewer proposals after the bulk accept", || async {
            let n = review_cards(&app).await?.len();
            Ok((n < proposals).then_some(n))
        })
        .await?;
    for n in (0..left).rev() {
        app.click("[data-testid=review-accept]").await?;
        app.eventually(&format!("{n} proposals left"), || async {
            let cards = review_cards(&app).await?.len();
            Ok((cards == n).then_some(()))
        })
        .await?;
    }
    app.wait_for("[data-testid=review-empty]").await?;
    let accepted = cli_json(&ws.db(), &["list"])?;
    assert_eq!(accepted.len(), proposals);
    assert!(
        accepted.iter().all(|e| e["status"] == "accepted"),
        "{accepted:?}"
    );

    // The timeline and the list show them.
    app.click("[data-testid=view-timeline]").await?;
    app.wait_count(u32::try_from(proposals)?).await?;
    let row = format!("[data-testid=event-row][data-event-id=\"{entry}\"]");
    assert!(app.text(&row).await?.contains("2 July 2008"));
    app.click("[data-testid=fit-all]").await?;
    app.eventually("the entry on the canvas", || async {
        Ok(app
            .drawn()
            .await?
            .iter()
            .any(|d| d["id"].as_i64() == Some(entry))
            .then_some(()))
    })
    .await?;

    // Correct the publication date from the article: the entry moves to 8 May
    // 2002 and comes back to review with a note saying why.
    app.click(&row).await?;
    assert_eq!(app.text("[data-testid=details-date]").await?, "2 July 2008");
    app.click("[data-testid=open-article]").await?;
    app.wait_for("[data-testid=article-highlight]").await?;
    assert!(!app.find_all("[data-testid=timex-link]").await?.is_empty());
    app.click("[data-testid=pubdate-edit]").await?;
    app.fill("[data-testid=pubdate-input]", "2002-05-10")
        .await?;
    app.shot("pubdate.png").await?;
    app.click("[data-testid=pubdate-save]").await?;
    app.eventually("the corrected date in the article", || async {
        let t = app.text("[data-testid=pubdate-value]").await?;
        Ok((t == "10 May 2002").then_some(()))
    })
    .await?;
    let notes = app.find_all("[data-testid=article-event-note]").await?;
    assert!(!notes.is_empty(), "the moved events say why in the article");
    app.shot("article.png").await?;
    app.client
        .execute(
            "document.querySelector('[data-testid=article] .modal-head .icon-btn').click()",
            vec![],
        )
        .await?;
    app.eventually("the entry re-dated in the details", || async {
        let t = app.text("[data-testid=details-date]").await?;
        Ok((t == "8 May 2002").then_some(()))
    })
    .await?;
    let note = app.text("[data-testid=details-review-note]").await?;
    assert_eq!(
        note,
        "8 May 2002, was 2 July 2008: publication date corrected"
    );
    assert!(app.text(&row).await?.contains("8 May 2002"));
    let count = app.text("[data-testid=review-count]").await?;
    assert!(
        count
            .parse::<usize>()
            .is_ok_and(|n| n > 0 && n <= proposals),
        "{count}"
    );
    app.shot("redated.png").await?;

    // The database agrees: the U.S. Consulate's third man is on 9 May.
    let third = cli_json(&ws.db(), &["list", "--q", "third"])?;
    assert!(
        third.iter().any(|e| e["date"]["start"] == "2002-05-09"),
        "{third:?}"
    );
    tokio::time::sleep(Duration::from_millis(10)).await;
    app.quit().await
}

#[tokio::test]
async fn bad_files_are_reported_one_by_one_and_the_good_one_is_imported() -> Res {
    let ws = Workspace::new()?;
    let files = [
        ("empty.txt", b"".to_vec()),
        (
            "photo.txt",
            [0x89, b'P', b'N', b'G', 0, 0, 0, 13, 0, 0, 1, 2].repeat(40),
        ),
        ("notes.pdf", b"%PDF-1.4".to_vec()),
        (
            "hostile.html",
            b"<html><head><title>Defectors &lt;b&gt;x</title><script>alert(1)</script></head>\
              <body><p>SEOUL, May 10, 2002 - <img src=x onerror=alert(2)> Five North Koreans \
              entered the Japanese Consulate in Shenyang on Wednesday.</p></body></html>"
                .to_vec(),
        ),
        (
            "markup.txt",
            b"Markup in a plain text <b>story</b>\n\nThree North Koreans entered the \
              Spanish Embassy in Beijing on May 9, 2002, <b>witnesses</b> said \
              <img src=x onerror=alert(2)>.\n"
                .to_vec(),
        ),
        (
            "corpus.jsonl",
            b"{\"id\": \"a1\", \"dct\": \"2002-05-10\", \"text\": \"Police arrested three North Koreans in Beijing on Thursday.\"}\n\
              {\"id\": 2, \"text\": }\n\
              {\"id\": \"a3\", \"dct\": \"2002-05-09\", \"title\": \"Seoul reacts\", \"text\": \"Seoul urged China on Wednesday to act humanely.\"}\n"
                .to_vec(),
        ),
    ];
    let mut picks = Vec::new();
    for (name, bytes) in &files {
        let p = ws.path(name);
        std::fs::write(&p, bytes)?;
        picks.push(p);
    }
    // A named pipe with no writer would block whoever opens it, and /dev/zero
    // never ends: both are refused unopened.
    let fifo = ws.path("pipe.txt");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status()?;
    assert!(made.success(), "mkfifo");
    picks.push(fifo);
    picks.push("/dev/zero".into());
    let app = App::import_on_empty(&ws.db(), &picks).await?;
    let summary = app.text("[data-testid=import-summary]").await?;
    // The HTML file, the markup file and two stories of the corpus; its bad
    // line is summarized apart (a count and the first few), not an item.
    assert!(
        summary.starts_with("4 imported · 5 skipped · 1 bad line"),
        "{summary}"
    );
    let results = app.text("[data-testid=import-results]").await?;
    for why in [
        "it is a named pipe (FIFO), not a regular file",
        "it is a device, not a regular file",
        "the file is empty",
        "looks binary",
        "`.pdf` files are not articles",
        "corpus.jsonl · story a3",
    ] {
        assert!(results.contains(why), "{why}: {results}");
    }
    let bad = app.text("[data-testid=import-bad-lines]").await?;
    for why in [
        "corpus.jsonl",
        "1 line is not stories",
        "line 2: not a story",
    ] {
        assert!(bad.contains(why), "{why}: {bad}");
    }
    app.shot("import-bad.png").await?;
    // The log says what became of each file, and why the skipped ones were.
    let log = log_text(&ws.db());
    for line in [
        "WARN",
        "skipped \"empty.txt\": the file is empty",
        "skipped \"notes.pdf\": ",
        "imported \"hostile.html\" as article",
        "import finished in ",
        "4 imported",
        "1 bad line in \"corpus.jsonl\" (first: line 2: ",
    ] {
        assert!(log.contains(line), "the log lacks `{line}`:\n{log}");
    }
    // Markup in a text file is shown as the characters it is, never as markup:
    // the card and the article show `<img ... onerror=...>` literally, and the
    // page holds no <b> or <img> element.
    app.click("[data-testid=import-review]").await?;
    app.wait_for("[data-testid=review-item]").await?;
    let cards = review_cards(&app).await?;
    let (markup, card) = cards
        .iter()
        .find(|(_, t)| t.contains("onerror"))
        .cloned()
        .ok_or_else(|| format!("no card from the markup story: {cards:?}"))?;
    assert!(card.contains("<b>witnesses</b>"), "{card}");
    assert!(card.contains("<img src=x onerror=alert(2)>"), "{card}");
    let elements = "return document.querySelectorAll('b, img').length";
    assert_eq!(
        app.client.execute(elements, vec![]).await?,
        serde_json::json!(0)
    );
    app.click(&format!("[data-event-id=\"{markup}\"] .rc-source button"))
        .await?;
    let body = app.text("[data-testid=article-body]").await?;
    assert!(body.contains("<img src=x onerror=alert(2)>"), "{body}");
    assert_eq!(
        app.client.execute(elements, vec![]).await?,
        serde_json::json!(0)
    );
    let listed = cli_json(&ws.db(), &["list"])?;
    assert!(!listed.is_empty());
    assert!(listed
        .iter()
        .all(|e| e["sources"][0]["article_title"] != "" && e["status"] == "proposed"));
    app.quit().await
}

#[tokio::test]
async fn a_pasted_article_is_imported_against_the_date_given() -> Res {
    let ws = Workspace::new()?;
    let app = App::launch_with(&ws.db(), &[("ANNALS_NO_SEED", "1")]).await?;
    app.click("[data-testid=paste-article]").await?;
    app.fill(
        "[data-testid=import-text]",
        // WebDriver types a line break as the Enter key (U+E007).
        "Seoul protests repatriations\u{E007}\u{E007}On Tuesday, China sent back seven North Koreans \
         who had entered the Japanese Consulate in Shenyang, and Seoul summoned the Chinese \
         ambassador the next day.",
    )
    .await?;
    app.fill("[data-testid=import-dct]", "2002-13-01").await?;
    assert!(app
        .wait_for("[data-testid=import-start]")
        .await?
        .attr("disabled")
        .await?
        .is_some());
    app.fill("[data-testid=import-dct]", "2002-06-14").await?;
    app.click("[data-testid=import-start]").await?;
    let results = app.text("[data-testid=import-results]").await?;
    assert!(
        results.contains("Seoul protests repatriations"),
        "{results}"
    );
    assert!(results.contains("dated 14 June 2002"), "{results}");
    app.click("[data-testid=import-review]").await?;
    app.wait_for("[data-testid=review-item]").await?;
    let cards = review_cards(&app).await?;
    // "Tuesday" before Friday 14 June 2002 is the 11th; "the next day" the 12th.
    assert!(
        cards.iter().any(|(_, t)| t.contains("11 June 2002")),
        "{cards:?}"
    );
    // A reject is one Undo away from review again.
    app.click("[data-testid=review-reject]").await?;
    app.eventually("one card fewer", || async {
        Ok((review_cards(&app).await?.len() + 1 == cards.len()).then_some(()))
    })
    .await?;
    app.click("[data-testid=undo]").await?;
    app.eventually("the card back", || async {
        Ok((review_cards(&app).await?.len() == cards.len()).then_some(()))
    })
    .await?;
    let proposed = cli_json(&ws.db(), &["list", "--status", "proposed"])?;
    assert_eq!(proposed.len(), cards.len());
    app.quit().await
}

#[tokio::test]
async fn cancelling_a_long_import_keeps_whole_articles_only() -> Res {
    let ws = Workspace::new()?;
    // A corpus: its stories go in runs of fifty to a transaction, so a cancel
    // lands inside a run, where the story in hand must roll back alone.
    let corpus = ws.path("corpus.jsonl");
    let mut lines = String::new();
    for i in 0..1500 {
        let text = format!(
            "Story {i}\n\nSEOUL, May 10, 2002 - On Wednesday, {i} North Koreans entered \
             the Spanish Embassy in Beijing, and police arrested {i} more the next day."
        );
        lines.push_str(
            &serde_json::json!({ "id": i, "dct": "2002-05-10", "text": text }).to_string(),
        );
        lines.push('\n');
    }
    std::fs::write(&corpus, lines)?;
    let picks = [corpus];
    let app = App::import_on_empty(&ws.db(), &picks).await?;
    app.wait_for("[data-testid=import-progress]").await?;
    // Past the first run of fifty, so some stories are in and some are not.
    app.eventually("the import past its first run", || async {
        let text = app
            .text("[data-testid=import-progress-text]")
            .await
            .unwrap_or_default();
        let done: usize = text
            .split(" done")
            .next()
            .map(|n| n.replace(',', ""))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(0);
        Ok((done > 60).then_some(()))
    })
    .await?;
    app.shot("import-progress.png").await?;
    app.click("[data-testid=import-cancel]").await?;
    let summary = app.text("[data-testid=import-summary]").await?;
    let n = |what: &str| -> usize {
        summary
            .split(" · ")
            .find(|p| p.ends_with(what))
            .and_then(|p| p.split(' ').next())
            .and_then(|v| v.replace(',', "").parse().ok())
            .unwrap_or(0)
    };
    let (imported, cancelled) = (n("imported"), n("cancelled"));
    assert!(cancelled > 0 && imported > 50, "{summary}");
    assert_eq!(imported + cancelled, 1500, "{summary}");
    // Every imported story is whole: the same events as every other (they say the
    // same thing), and no story of the cancelled ones has any.
    let stored = cli_json(&ws.db(), &["list", "--limit", "100000"])?;
    let mut per_article: std::collections::BTreeMap<String, usize> = Default::default();
    for e in &stored {
        for src in e["sources"].as_array().into_iter().flatten() {
            *per_article
                .entry(src["article_title"].as_str().unwrap_or("").to_string())
                .or_default() += 1;
        }
    }
    assert_eq!(per_article.len(), imported, "{summary}");
    let counts: std::collections::BTreeSet<usize> = per_article.values().copied().collect();
    assert_eq!(
        counts.len(),
        1,
        "stories with different numbers of events: {counts:?}"
    );
    app.quit().await
}

#[tokio::test]
async fn a_path_the_dialog_or_a_drop_did_not_give_is_refused_and_nothing_read() -> Res {
    let ws = Workspace::new()?;
    let secret = ws.path("id_rsa");
    std::fs::write(
        &secret,
        "-----BEGIN OPENSSH PRIVATE KEY-----\nOn May 8, 2002, police arrested five.\n",
    )?;
    let chosen = ws.path("chosen.txt");
    std::fs::write(&chosen, SEED_ARTICLE)?;
    let pick = chosen.display().to_string();
    let app = App::launch_with(
        &ws.db(),
        &[("ANNALS_NO_SEED", "1"), ("ANNALS_E2E_PICK", pick.as_str())],
    )
    .await?;
    app.wait_count(0).await?;
    // A page gone wrong asks for a file the user never gave: refused by kind.
    let script = "const done = arguments[arguments.length - 1];\
        window.__TAURI_INTERNALS__.invoke('import_files', { paths: arguments[0], dct: null })\
          .then((r) => done('imported ' + r.imported), (e) => done(e.kind + ': ' + e.message));";
    let asked = |paths: Vec<String>| {
        let client = app.client.clone();
        async move {
            client
                .execute_async(script, vec![serde_json::json!(paths)])
                .await
        }
    };
    let answer = asked(vec![secret.display().to_string()]).await?;
    let answer = answer.as_str().unwrap_or_default().to_string();
    assert!(answer.starts_with("not_granted: "), "{answer}");
    assert!(answer.contains("id_rsa"), "{answer}");
    // Once the dialog gave a file, that file (and only it) may be imported.
    app.click("[data-testid=import]").await?;
    app.wait_for("[data-testid=import-dialog]").await?;
    let both = asked(vec![pick.clone(), secret.display().to_string()]).await?;
    assert!(
        both.as_str()
            .unwrap_or_default()
            .starts_with("not_granted: "),
        "{both}"
    );
    assert!(
        cli_json(&ws.db(), &["list"])?.is_empty(),
        "nothing was read"
    );
    let chosen_only = asked(vec![pick]).await?;
    assert_eq!(chosen_only, serde_json::json!("imported 1"));
    app.quit().await
}
