//! The labelled Reuters-21578 proposals (`data/dev/reuters-sample*.tsv`) as
//! samples of the confidence model: each labelled story is read from the corpus
//! as `annals import --jsonl` reads it, extracted, and each label matched to
//! today's proposal with the same trigger word (else the same sentence) and the
//! same date. The labels judge the extractor of older commits: a label with no
//! such proposal today is not used.

use std::collections::{BTreeMap, BTreeSet};
use std::io::BufRead as _;
use std::path::{Path, PathBuf};

use annals_core::extract::{self, Proposal};
use annals_core::intake::{self, Format};
use annals_core::stories;

use super::calibration::Sample;

/// The labelled samples, in `data/dev/`.
const LABELS: &[&str] = &["reuters-sample.tsv", "reuters-sample-2027.tsv"];

/// Where the corpus is: `REUTERS_JSONL`, else beside the repository
/// (`../shared/corpora/reuters21578.jsonl`, as the Makefile expects corpora).
pub fn corpus_path() -> PathBuf {
    match std::env::var_os("REUTERS_JSONL").filter(|p| !p.is_empty()) {
        Some(p) => PathBuf::from(p),
        None => {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora/reuters21578.jsonl")
        }
    }
}

/// One labelled proposal, as the sample's TSV gives it.
struct Label {
    story: String,
    sentence: (usize, usize),
    trigger: Option<(u32, u32)>,
    date: String,
    right: bool,
}

fn read_labels(file: &str) -> Vec<Label> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/dev")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("{file}: no column {name}"))
    };
    let (story, s0, s1, t0, t1, date, label) = (
        col("story_id"),
        col("sentence_start"),
        col("sentence_end"),
        col("trigger_start"),
        col("trigger_end"),
        col("date"),
        col("label"),
    );
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let num = |i: usize| -> usize {
                f[i].parse()
                    .unwrap_or_else(|e| panic!("{file}: `{}`: {e}", f[i]))
            };
            let trigger = match (f[t0].parse::<u32>(), f[t1].parse::<u32>()) {
                (Ok(a), Ok(b)) => Some((a, b)),
                _ => None,
            };
            assert!(
                matches!(f[label], "right" | "wrong"),
                "{file}: label `{}`",
                f[label]
            );
            Label {
                story: f[story].to_string(),
                sentence: (num(s0), num(s1)),
                trigger,
                date: f[date].to_string(),
                right: f[label] == "right",
            }
        })
        .collect()
}

/// A proposal's date as the database stores it and the samples print it:
/// "start" or "start/end", without the approximate mark.
fn date_key(p: &Proposal) -> String {
    match p.date.end {
        Some(end) if end != p.date.start => format!("{}/{end}", p.date.start),
        _ => p.date.start.to_string(),
    }
}

/// What became of the labels: how many there were and how many matched.
pub struct Matched {
    pub labels: usize,
    pub samples: Vec<Sample>,
}

/// The labelled proposals that today's extractor still makes, as samples
/// grouped by story; `None` when the corpus is not there.
pub fn samples() -> Option<Matched> {
    let path = corpus_path();
    let file = std::fs::File::open(&path).ok()?;
    let labels: Vec<Label> = LABELS.iter().flat_map(|f| read_labels(f)).collect();
    let wanted: BTreeSet<&str> = labels.iter().map(|l| l.story.as_str()).collect();
    // The labelled stories, as import reads a corpus line (a story the corpus
    // holds twice: its first).
    let mut stories = BTreeMap::new();
    for (number, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        // (The id opens each line: parse only the stories labelled.)
        let Some(id) = line
            .strip_prefix("{\"id\": \"")
            .and_then(|r| r.split('"').next())
        else {
            continue;
        };
        if !wanted.contains(id) || stories.contains_key(id) {
            continue;
        }
        if let Ok(Some(story)) = stories::parse_line(&line, number + 1) {
            stories.insert(story.id.clone(), story);
        }
    }
    let mut samples = Vec::new();
    for (id, story) in &stories {
        let Ok(doc) = intake::read(story.text.as_bytes(), Format::Text) else {
            continue;
        };
        let proposals = extract::extract(&doc.text, &doc.head, story.dct).proposals;
        let mut used = vec![false; proposals.len()];
        for label in labels.iter().filter(|l| &l.story == id) {
            let same_date = |p: &Proposal| date_key(p) == label.date;
            let by_trigger = |p: &Proposal| {
                p.sources.iter().any(|s| {
                    s.trigger.map(|t| (t.start, t.end)) == label.trigger && label.trigger.is_some()
                })
            };
            let by_sentence = |p: &Proposal| {
                p.sources
                    .iter()
                    .any(|s| (s.sentence_start, s.sentence_end) == label.sentence)
            };
            let pick = (0..proposals.len())
                .find(|&i| !used[i] && same_date(&proposals[i]) && by_trigger(&proposals[i]))
                .or_else(|| {
                    (0..proposals.len()).find(|&i| {
                        !used[i] && same_date(&proposals[i]) && by_sentence(&proposals[i])
                    })
                });
            if let Some(i) = pick {
                used[i] = true;
                samples.push(Sample {
                    group: format!("reuters {id}"),
                    evidence: proposals[i].evidence,
                    right: label.right,
                });
            }
        }
    }
    Some(Matched {
        labels: labels.len(),
        samples,
    })
}
