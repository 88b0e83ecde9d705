//! Trains the anchoring model (which predicate of its sentence a date expression
//! dates, see `annals_core::extract::anchoring`) on the TimeML corpora, and
//! scores it against the rule by cross-validation over documents.
//!
//!   cargo run --profile eval -p annals-core --example train_anchoring -- \
//!       ../shared/corpora/timeml-dev [--out data/anchoring.model] [--folds-dir DIR]
//!   cargo run ... --example train_anchoring -- --explain MODEL SENTENCE DATE
//!
//! ROOT holds `tml/<corpus>/*.tml` and `plain/<corpus>/*.txt` for the corpora
//! TimeBank and AQUAINT (TBAQ-cleaned, TempEval-3). For every TIMEX3 of type
//! DATE with a calendar value, the sentence that holds it is parsed as
//! extraction parses it; its gold answer is the candidate predicates that
//! overlap an EVENT the annotators tied to it by an inclusion-like TLINK
//! (IS_INCLUDED, DURING, SIMULTANEOUS, IDENTITY, BEGINS, ENDS, or the same from
//! the time's side), as `score_events.py` counts them.
//!
//! It prints, per corpus and over both, the 5-fold cross-validated scores
//! (documents dealt to folds in name order, every fifth to the same fold) of the
//! rule, the model alone (its most probable choice), and the model as
//! extraction uses it (`anchoring::decide`) with the rule below each threshold. Scores follow `score_events.py` in
//! strict mode with the gold date expressions: every date expression given a
//! predicate is a proposal (sentence, day, trigger); it is right when an event
//! of that sentence overlapping the trigger is linked to that day; recall is
//! over all gold anchorings, those to the publication date included.
//!
//! `--out` trains on every document and writes the model; `--folds-dir` writes
//! each fold's model (trained without it) and its documents' names, for scoring
//! the whole extractor cross-validated (`ANNALS_ANCHORING_MODEL`);
//! `--differences` prints each expression on which the cross-validated model
//! (as extraction uses it) and the rule differ, with what the annotators linked. Training
//! is deterministic: the same corpora give the same file. The options are those
//! of `anchoring::Training`, whose defaults made `data/anchoring.model`:
//! `--epochs N --rate R --l2 L --none 0|1 --threshold T`.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::process::ExitCode;

use annals_core::extract::anchoring::{self, Choices, Example, Training};
use annals_core::extract::read_sentences;
use annals_core::extract::tree::Tree;

const INCLUSION: &[&str] = &[
    "IS_INCLUDED",
    "DURING",
    "SIMULTANEOUS",
    "IDENTITY",
    "BEGINS",
    "ENDS",
];

/// A time's side of a relation, read from the event's side.
fn inverse(rel: &str) -> Option<&'static str> {
    Some(match rel {
        "INCLUDES" => "IS_INCLUDED",
        "DURING_INV" => "DURING",
        "SIMULTANEOUS" => "SIMULTANEOUS",
        "IDENTITY" => "IDENTITY",
        "BEGUN_BY" => "BEGINS",
        "ENDED_BY" => "ENDS",
        _ => return None,
    })
}

/// An element of a TimeML file: its name, attributes, and (inside `<TEXT>`)
/// its span in characters of the text.
#[derive(Debug)]
struct Tag {
    name: String,
    attrs: HashMap<String, String>,
    start: usize,
    end: usize,
}

fn attributes(s: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let mut rest = s;
    while let Some(eq) = rest.find("=\"") {
        let key = rest[..eq]
            .split_whitespace()
            .last()
            .unwrap_or("")
            .to_string();
        let after = &rest[eq + 2..];
        let Some(close) = after.find('"') else { break };
        out.insert(key, decode(&after[..close]));
        rest = &after[close + 1..];
    }
    out
}

fn decode(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The text of `<TEXT>` with every tag removed and entities decoded, the tags
/// inside it with their character spans, and every tag outside it.
fn read_tml(xml: &str) -> Result<(String, Vec<Tag>), String> {
    let open = xml.find("<TEXT>").ok_or("no <TEXT>")? + "<TEXT>".len();
    let close = xml.find("</TEXT>").ok_or("no </TEXT>")?;
    let mut text = String::new();
    let mut chars = 0usize;
    let mut tags = Vec::new();
    let mut stack: Vec<Tag> = Vec::new();
    let body = &xml[open..close];
    let mut i = 0;
    while i < body.len() {
        let rest = &body[i..];
        if rest.starts_with('<') {
            let end = rest.find('>').ok_or("unclosed tag")?;
            let inner = &rest[1..end];
            if inner.starts_with('/') {
                let mut t = stack.pop().ok_or("unbalanced tags")?;
                t.end = chars;
                tags.push(t);
            } else if !inner.ends_with('/') {
                let name = inner.split_whitespace().next().unwrap_or("").to_string();
                stack.push(Tag {
                    name,
                    attrs: attributes(inner),
                    start: chars,
                    end: chars,
                });
            }
            i += end + 1;
        } else if rest.starts_with('&') {
            let end = rest.find(';').ok_or("unclosed entity")?;
            text.push_str(&decode(&rest[..=end]));
            chars += 1;
            i += end + 1;
        } else {
            let c = rest.chars().next().unwrap_or(' ');
            text.push(c);
            chars += 1;
            i += c.len_utf8();
        }
    }
    // Outside <TEXT>: the creation time, instances and links.
    for part in [&xml[..open], &xml[close..]] {
        let mut rest = part;
        while let Some(lt) = rest.find('<') {
            let Some(gt) = rest[lt..].find('>') else {
                break;
            };
            let inner = &rest[lt + 1..lt + gt];
            if !inner.starts_with('/') && !inner.starts_with('?') {
                let name = inner.split_whitespace().next().unwrap_or("").to_string();
                tags.push(Tag {
                    name,
                    attrs: attributes(inner),
                    start: usize::MAX,
                    end: usize::MAX,
                });
            }
            rest = &rest[lt + gt + 1..];
        }
    }
    Ok((text, tags))
}

/// The date part of a value ("1998-01-08T14:00" → "1998-01-08").
fn day(v: &str) -> &str {
    v.split('T').next().unwrap_or(v)
}

/// One date expression to choose for, and how to score each choice.
struct Case {
    doc: usize,
    /// Whether training learns from it.
    learn: bool,
    example: Example,
    /// The gold anchoring a proposal would claim: (sentence, day).
    key: (usize, String),
    /// Each choice's trigger span in characters of the document.
    spans: Vec<Option<(usize, usize)>>,
}

/// A document's gold anchorings: (sentence, day) → linked events' spans.
type Anchors = BTreeMap<(usize, String), Vec<(usize, usize)>>;

struct Doc {
    text: String,
    sents: Vec<(usize, usize)>,
    name: String,
    corpus: String,
    anchors: Anchors,
}

fn load(
    root: &Path,
    corpus: &str,
    docs: &mut Vec<Doc>,
    cases: &mut Vec<Case>,
) -> Result<(), String> {
    let dir = root.join("tml").join(corpus);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "tml"))
        .collect();
    files.sort();
    for path in files {
        let name = path
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let xml = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let (text, tags) = read_tml(&xml).map_err(|e| format!("{}: {e}", path.display()))?;
        let plain_path = root.join("plain").join(corpus).join(format!("{name}.txt"));
        let plain = std::fs::read_to_string(&plain_path)
            .map_err(|e| format!("{}: {e}", plain_path.display()))?;
        if plain != text {
            return Err(format!("{name}: the TML text and the plain text differ"));
        }
        let mut events: HashMap<&str, (usize, usize)> = HashMap::new();
        let mut times: HashMap<&str, (&str, &str, usize, usize)> = HashMap::new();
        let mut instance: HashMap<&str, &str> = HashMap::new();
        for t in &tags {
            let a = |k: &str| t.attrs.get(k).map(String::as_str).unwrap_or("");
            match t.name.as_str() {
                "EVENT" => {
                    events.insert(a("eid"), (t.start, t.end));
                }
                "TIMEX3" => {
                    times.insert(a("tid"), (a("type"), a("value"), t.start, t.end));
                }
                "MAKEINSTANCE" => {
                    instance.insert(a("eiid"), a("eventID"));
                }
                _ => {}
            }
        }
        // (event, time) pairs with an inclusion-like relation.
        let mut links: Vec<(&str, &str)> = Vec::new();
        // (event, time) pairs with another relation (before, after, ...).
        let mut others: Vec<(&str, &str)> = Vec::new();
        for t in tags.iter().filter(|t| t.name == "TLINK") {
            let a = |k: &str| t.attrs.get(k).map(String::as_str).unwrap_or("");
            let (ev, tm, rel) =
                if !a("eventInstanceID").is_empty() && !a("relatedToTime").is_empty() {
                    (a("eventInstanceID"), a("relatedToTime"), Some(a("relType")))
                } else if !a("timeID").is_empty() && !a("relatedToEventInstance").is_empty() {
                    (
                        a("relatedToEventInstance"),
                        a("timeID"),
                        inverse(a("relType")),
                    )
                } else {
                    continue;
                };
            if let Some(&e) = instance.get(ev) {
                if rel.is_some_and(|r| INCLUSION.contains(&r)) {
                    links.push((e, tm));
                } else {
                    others.push((e, tm));
                }
            }
        }
        let calendar = |v: &str| v.len() >= 4 && v.bytes().take(4).all(|b| b.is_ascii_digit());
        let sentences = read_sentences(&text).map_err(|e| e.to_string())?;
        let sentence_of = |c: usize| {
            sentences
                .iter()
                .position(|(s, _)| s.start <= c && c < s.end)
        };
        let doc = docs.len();
        let mut anchors = Anchors::new();
        for &(e, tm) in &links {
            let (Some(&(es, ee)), Some(&(ty, value, _, _))) = (events.get(e), times.get(tm)) else {
                continue;
            };
            if ty != "DATE" || !calendar(value) {
                continue;
            }
            if let Some(si) = sentence_of(es) {
                anchors
                    .entry((si, day(value).to_string()))
                    .or_default()
                    .push((es, ee));
            }
        }
        // Each date expression of the text, in order.
        let mut dated: Vec<_> = times.iter().map(|(k, v)| (*k, *v)).collect();
        dated.sort_by_key(|&(_, v): &(&str, (&str, &str, usize, usize))| v.2);
        for (tid, (ty, value, ts, te)) in dated {
            if ty != "DATE" || !calendar(value) || ts == usize::MAX {
                continue;
            }
            let Some(si) = sentence_of(ts) else { continue };
            let (s, words) = &sentences[si];
            let tree = Tree::new(words);
            let Some(choices) = Choices::new(&tree, ts - s.start, te.min(s.end) - s.start) else {
                continue;
            };
            let linked: Vec<(usize, usize)> = links
                .iter()
                .filter(|(_, t)| *t == tid)
                .filter_map(|(e, _)| events.get(e).copied())
                .collect();
            let spans: Vec<Option<(usize, usize)>> = choices
                .preds
                .iter()
                .map(|p| p.map(|i| (s.start + words[i].start, s.start + words[i].end)))
                .collect();
            let overlaps = |sp: (usize, usize), (a, b): (usize, usize)| a < sp.1 && sp.0 < b;
            let mut gold: Vec<bool> = spans
                .iter()
                .map(|sp| sp.is_some_and(|sp| linked.iter().any(|&e| overlaps(sp, e))))
                .collect();
            gold[0] = !gold.iter().any(|&g| g);
            // "No predicate" is learned from expressions the annotators tied to
            // no event of their sentence; one they tied to an event by another
            // relation ("had negotiated ... last week" as BEFORE) teaches
            // nothing about which predicate a date dates.
            let related = others.iter().any(|&(e, t)| {
                t == tid
                    && events
                        .get(e)
                        .is_some_and(|&(es, _)| sentence_of(es) == Some(si))
            });
            cases.push(Case {
                doc,
                learn: !(gold[0] && related),
                example: Example { choices, gold },
                key: (si, day(value).to_string()),
                spans,
            });
        }
        // Links to the creation time count in recall as the scorer counts them.
        let dct = tags.iter().find(|t| {
            t.attrs
                .get("functionInDocument")
                .is_some_and(|f| f == "CREATION_TIME")
        });
        if let Some(dct) = dct {
            let tid = dct.attrs.get("tid").map(String::as_str).unwrap_or("");
            let value = dct.attrs.get("value").map(String::as_str).unwrap_or("");
            for &(e, tm) in &links {
                if tm != tid {
                    continue;
                }
                if let (Some(&(es, ee)), Some(si)) = (
                    events.get(e),
                    events.get(e).and_then(|&(es, _)| sentence_of(es)),
                ) {
                    anchors
                        .entry((si, day(value).to_string()))
                        .or_default()
                        .push((es, ee));
                }
            }
        }
        let sents = sentences.iter().map(|(s, _)| (s.start, s.end)).collect();
        docs.push(Doc {
            text: text.clone(),
            sents,
            name,
            corpus: corpus.to_string(),
            anchors,
        });
    }
    Ok(())
}

/// Proposals, right ones, gold anchorings and found ones.
#[derive(Default, Clone, Copy)]
struct Score {
    proposed: usize,
    right: usize,
    gold: usize,
    found: usize,
}

impl std::fmt::Display for Score {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pct = |a: usize, b: usize| {
            if b == 0 {
                0.0
            } else {
                100.0 * a as f64 / b as f64
            }
        };
        let (p, r) = (pct(self.right, self.proposed), pct(self.found, self.gold));
        let f1 = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        write!(
            f,
            "P {p:6.2}  R {r:6.2}  F1 {f1:6.2}  ({} proposals)",
            self.proposed
        )
    }
}

/// Scores a choice (an index into each case's choices) for every case whose
/// document passes `keep`.
fn score(docs: &[Doc], cases: &[Case], choice: &[usize], keep: &dyn Fn(&Doc) -> bool) -> Score {
    let mut s = Score::default();
    let mut covered: Vec<std::collections::BTreeSet<(usize, String)>> =
        vec![Default::default(); docs.len()];
    for (case, &c) in cases.iter().zip(choice) {
        if !keep(&docs[case.doc]) {
            continue;
        }
        let Some(span) = case.spans[c] else { continue };
        s.proposed += 1;
        let right = docs[case.doc]
            .anchors
            .get(&case.key)
            .is_some_and(|evs| evs.iter().any(|&(a, b)| a < span.1 && span.0 < b));
        if right {
            s.right += 1;
            covered[case.doc].insert(case.key.clone());
        }
    }
    for (d, doc) in docs.iter().enumerate() {
        if keep(doc) {
            s.gold += doc.anchors.len();
            s.found += covered[d].len();
        }
    }
    s
}

fn value<T: std::str::FromStr>(args: &[String], flag: &str) -> Option<T> {
    let i = args.iter().position(|a| a == flag)?;
    args.get(i + 1)?.parse().ok()
}

const FOLDS: usize = 5;

/// `--explain MODEL SENTENCE DATE`: each candidate's probability.
fn explain(args: &[String]) -> Result<(), String> {
    let [model, sentence, date] = args else {
        return Err("--explain MODEL SENTENCE DATE".into());
    };
    let text = std::fs::read_to_string(model).map_err(|e| format!("{model}: {e}"))?;
    let model = anchoring::Model::from_text(&text)?;
    let (_, words) = read_sentences(sentence)
        .map_err(|e| e.to_string())?
        .into_iter()
        .next()
        .ok_or("no sentence")?;
    let byte = sentence
        .find(date.as_str())
        .ok_or("the date is not in the sentence")?;
    let a = sentence[..byte].chars().count();
    let tree = Tree::new(&words);
    let choices = Choices::new(&tree, a, a + date.chars().count()).ok_or("no word in the date")?;
    let probs = model.probabilities(&choices);
    let form = |p: Option<usize>| p.map_or("(none)".to_string(), |i| words[i].form.clone());
    for (p, pr) in choices.preds.iter().zip(&probs) {
        println!("{pr:.3}  {}", form(*p));
    }
    println!(
        "rule: {}  chosen: {}",
        form(choices.rule),
        form(model.pick(&choices))
    );
    Ok(())
}

fn run(args: &[String]) -> Result<(), String> {
    if args.first().map(String::as_str) == Some("--explain") {
        return explain(&args[1..]);
    }
    let root = Path::new(
        args.first()
            .ok_or("usage: train_anchoring ROOT [--out FILE] ...")?,
    );
    let mut opts = Training::default();
    if let Some(v) = value(args, "--epochs") {
        opts.epochs = v;
    }
    if let Some(v) = value(args, "--rate") {
        opts.rate = v;
    }
    if let Some(v) = value(args, "--l2") {
        opts.l2 = v;
    }
    if let Some(v) = value(args, "--threshold") {
        opts.threshold = v;
    }
    if let Some(v) = value::<u8>(args, "--none") {
        opts.none = v == 1;
    }

    let mut docs = Vec::new();
    let mut cases = Vec::new();
    for corpus in ["timebank", "aquaint"] {
        load(root, corpus, &mut docs, &mut cases)?;
    }
    let with_gold = cases
        .iter()
        .filter(|c| c.example.gold.iter().skip(1).any(|&g| g))
        .count();
    println!(
        "{} documents, {} date expressions ({} linked to a candidate, {} learned from), {} gold anchorings",
        docs.len(),
        cases.len(),
        with_gold,
        cases.iter().filter(|c| c.learn).count(),
        docs.iter().map(|d| d.anchors.len()).sum::<usize>()
    );
    println!("training: {opts:?}");

    // Documents in name order, every fifth to the same fold.
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by(|&a, &b| docs[a].name.cmp(&docs[b].name));
    let mut fold = vec![0usize; docs.len()];
    for (i, &d) in order.iter().enumerate() {
        fold[d] = i % FOLDS;
    }
    // Held-out probabilities of every case.
    let mut probs: Vec<Vec<f64>> = vec![Vec::new(); cases.len()];
    let folds_dir = args
        .iter()
        .position(|a| a == "--folds-dir")
        .and_then(|i| args.get(i + 1));
    for k in 0..FOLDS {
        let train: Vec<Example> = cases
            .iter()
            .filter(|c| fold[c.doc] != k && c.learn)
            .map(|c| c.example.clone())
            .collect();
        let model = anchoring::train(&train, &opts);
        for (i, c) in cases.iter().enumerate() {
            if fold[c.doc] == k {
                probs[i] = model.probabilities(&c.example.choices);
            }
        }
        if let Some(dir) = folds_dir {
            std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
            let path = Path::new(dir).join(format!("fold{k}.model"));
            std::fs::write(&path, model.to_text(&format!("fold {k} of {FOLDS}")))
                .map_err(|e| e.to_string())?;
            let names: Vec<String> = docs
                .iter()
                .enumerate()
                .filter(|&(d, _)| fold[d] == k)
                .map(|(_, doc)| format!("{}/{}", doc.corpus, doc.name))
                .collect();
            std::fs::write(
                Path::new(dir).join(format!("fold{k}.docs")),
                names.join("\n") + "\n",
            )
            .map_err(|e| e.to_string())?;
        }
    }
    let rule: Vec<usize> = cases
        .iter()
        .map(|c| {
            let ch = &c.example.choices;
            ch.preds.iter().position(|&p| p == ch.rule).unwrap_or(0)
        })
        .collect();
    // The model alone: its most probable choice.
    let alone: Vec<usize> = probs
        .iter()
        .map(|p| (0..p.len()).fold(0, |b, j| if p[j] > p[b] { j } else { b }))
        .collect();
    // As extraction decides.
    let picks = |threshold: f64| -> Vec<usize> {
        cases
            .iter()
            .zip(&probs)
            .map(|(c, p)| anchoring::decide(p, &c.example.choices, threshold))
            .collect()
    };
    let accuracy = |choice: &[usize]| {
        let n = cases
            .iter()
            .zip(choice)
            .filter(|(c, _)| c.example.gold.iter().skip(1).any(|&g| g))
            .filter(|(c, &k)| c.example.gold[k])
            .count();
        100.0 * n as f64 / with_gold.max(1) as f64
    };
    type Filter = Box<dyn Fn(&Doc) -> bool>;
    let corpora: [(&str, Filter); 3] = [
        ("timebank", Box::new(|d: &Doc| d.corpus == "timebank")),
        ("aquaint", Box::new(|d: &Doc| d.corpus == "aquaint")),
        ("both", Box::new(|_: &Doc| true)),
    ];
    println!("\n{FOLDS}-fold cross-validated by document, gold date expressions:");
    let mut rows: Vec<(String, Vec<usize>)> = vec![
        ("rule".to_string(), rule.clone()),
        ("model alone".to_string(), alone.clone()),
    ];
    for t in [0.0, 0.5, 0.75, 0.9] {
        rows.push((format!("model, rule below {t:.2}"), picks(t)));
    }
    for (label, choice) in &rows {
        println!(
            "  {label:<22} linked expressions right {:5.1}%",
            accuracy(choice)
        );
        for (name, keep) in &corpora {
            println!(
                "    {name:<9} {}",
                score(&docs, &cases, choice, keep.as_ref())
            );
        }
    }

    if args.iter().any(|a| a == "--differences") {
        let m = picks(opts.threshold);
        for (i, c) in cases.iter().enumerate() {
            if m[i] != rule[i] {
                let g = &c.example.gold;
                let tag = match (g[m[i]], g[rule[i]]) {
                    (true, false) => "MODEL+",
                    (false, true) => "RULE+",
                    (true, true) => "both",
                    _ => "neither",
                };
                let text = &docs[c.doc].text;
                let chars =
                    |a: usize, b: usize| -> String { text.chars().skip(a).take(b - a).collect() };
                let form = |k: usize| c.spans[k].map_or("-".to_string(), |(a, b)| chars(a, b));
                let golds: Vec<String> = (0..g.len()).filter(|&k| g[k]).map(form).collect();
                let (sa, sb) = docs[c.doc].sents[c.key.0];
                println!(
                    "{tag}\t{}\tmodel={} rule={} gold={golds:?}\t{}",
                    c.key.1,
                    form(m[i]),
                    form(rule[i]),
                    chars(sa, sb).replace('\n', " ")
                );
            }
        }
    }
    if let Some(out) = args
        .iter()
        .position(|a| a == "--out")
        .and_then(|i| args.get(i + 1))
    {
        let all: Vec<Example> = cases
            .iter()
            .filter(|c| c.learn)
            .map(|c| c.example.clone())
            .collect();
        let model = anchoring::train(&all, &opts);
        let comment = format!(
            "Which predicate of its sentence a date expression dates: weights of a\n\
             conditional log-linear model over the features of annals_core::extract::anchoring.\n\
             Trained on TimeBank and AQUAINT (TBAQ-cleaned, TempEval-3) TLINKs, {} date\n\
             expressions, by `cargo run --profile eval -p annals-core --example train_anchoring --\n\
             ../shared/corpora/timeml-dev --out data/anchoring.model`.\n\
             Options: {opts:?}.\n\
             Lines: `threshold<TAB>p`, `none<TAB>0|1`, then `weight<TAB>feature`.",
            all.len()
        );
        std::fs::write(out, model.to_text(&comment)).map_err(|e| format!("{out}: {e}"))?;
        println!("\nwrote {out}: {} weights", model.len());
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("train_anchoring: {e}");
            ExitCode::FAILURE
        }
    }
}
