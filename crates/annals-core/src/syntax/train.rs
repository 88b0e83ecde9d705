//! Training the syntax model on a Universal Dependencies treebank, and scoring a
//! model against one (`scripts/train-parser.sh` runs both on UD English EWT).
//!
//! Each part keeps the epoch that scores best on the development set. The parser
//! and the labeller learn from tags that the tagger predicted for sentences it was
//! not trained on (jack-knifing), so they meet the same kind of tag errors in
//! training as they will in use.

use std::collections::HashMap;
use std::fmt;

use super::conllu::Sentence;
use super::label::{self, Tree};
use super::lemma::Lemmatizer;
use super::parser::{self, Rng, Token};
use super::perceptron::{Trainer, Weights};
use super::tagger::{self, WordInfo};
use super::{leak, Model};

/// How long to train each part.
#[derive(Debug, Clone)]
pub struct Options {
    pub tagger_epochs: usize,
    pub parser_epochs: usize,
    pub label_epochs: usize,
    /// Folds for jack-knifed training tags; 1 trains the parser on gold tags.
    pub folds: usize,
    /// Features whose weights changed fewer times than this are dropped (an
    /// update from a wrong guess is two changes), for the tagger, the parser and
    /// the labeller: the model shrinks, and rare features mostly add noise.
    pub min_changes: [u32; 3],
    /// Parses kept at each step; 1 parses greedily (trained with a dynamic
    /// oracle), more with a beam (trained with early updates).
    pub beam: usize,
    pub seed: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            tagger_epochs: 8,
            parser_epochs: 15,
            label_epochs: 8,
            folds: 5,
            min_changes: [2, 6, 4],
            beam: 1,
            seed: 2002,
        }
    }
}

/// Accuracy of a model on gold sentences, over every word (punctuation included),
/// as the CoNLL 2018 shared task counts them with gold words.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Scores {
    pub words: usize,
    pub upos: f64,
    pub xpos: f64,
    pub lemma: f64,
    pub uas: f64,
    /// Head and the full relation ("obl:tmod") right.
    pub las: f64,
    /// Head and the universal relation ("obl") right: the CoNLL 2018 LAS.
    pub las_universal: f64,
}

impl fmt::Display for Scores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "words {}  UPOS {:.2}  XPOS {:.2}  lemma {:.2}  UAS {:.2}  LAS {:.2}  LAS (universal relations) {:.2}",
            self.words, self.upos, self.xpos, self.lemma, self.uas, self.las, self.las_universal
        )
    }
}

/// Scores `model` on `gold`, parsing each sentence from its gold words.
pub fn evaluate(model: &Model, gold: &[Sentence]) -> Scores {
    let mut n = [0usize; 7];
    for s in gold {
        let forms: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
        let out = model.analyze(&forms);
        for (g, a) in s.words.iter().zip(&out) {
            let head = g.head == a.head;
            n[0] += 1;
            n[1] += usize::from(g.upos == a.upos);
            n[2] += usize::from(g.xpos == a.xpos);
            n[3] += usize::from(g.lemma == a.lemma);
            n[4] += usize::from(head);
            n[5] += usize::from(head && g.deprel == a.deprel);
            n[6] += usize::from(head && universal(&g.deprel) == universal(a.deprel));
        }
    }
    let pct = |k: usize| 100.0 * n[k] as f64 / n[0].max(1) as f64;
    Scores {
        words: n[0],
        upos: pct(1),
        xpos: pct(2),
        lemma: pct(3),
        uas: pct(4),
        las: pct(5),
        las_universal: pct(6),
    }
}

fn universal(deprel: &str) -> &str {
    deprel.split(':').next().unwrap_or(deprel)
}

/// Names in order of frequency (then alphabetically), so a model is the same for
/// the same treebank.
fn table<K: Clone + Ord + std::hash::Hash>(items: impl Iterator<Item = K>) -> Vec<K> {
    let mut counts: HashMap<K, usize> = HashMap::new();
    for k in items {
        *counts.entry(k).or_default() += 1;
    }
    let mut v: Vec<(K, usize)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.into_iter().map(|(k, _)| k).collect()
}

fn shuffled(n: usize, rng: &mut Rng) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = (rng.next() % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    order
}

#[derive(Clone)]
struct Tagged {
    infos: Vec<WordInfo>,
    gold: Vec<usize>,
    /// For the second pass: the first pass's tags.
    right: Option<Vec<usize>>,
}

fn tag_data(sentences: &[Sentence], class: &HashMap<(String, String), usize>) -> Vec<Tagged> {
    sentences
        .iter()
        .map(|s| Tagged {
            infos: s.words.iter().map(|w| WordInfo::new(&w.form)).collect(),
            gold: s
                .words
                .iter()
                .map(|w| {
                    class
                        .get(&(w.upos.clone(), w.xpos.clone()))
                        .copied()
                        .unwrap_or(0)
                })
                .collect(),
            right: None,
        })
        .collect()
}

fn tag_accuracy(w: &Weights, data: &[Tagged]) -> f64 {
    let (mut right, mut all) = (0, 0);
    let mut tags = Vec::new();
    for s in data {
        tagger::tag(w, &s.infos, s.right.as_deref(), &mut tags);
        right += tags.iter().zip(&s.gold).filter(|(a, b)| a == b).count();
        all += tags.len();
    }
    100.0 * right as f64 / all.max(1) as f64
}

/// Trains the tagger on `data`, keeping the epoch best on `dev` (or the last).
fn train_tagger(
    data: &[Tagged],
    dev: &[Tagged],
    n_classes: usize,
    (epochs, prune): (usize, u32),
    rng: &mut Rng,
    log: &mut dyn FnMut(String),
) -> Weights {
    let mut t = Trainer::new(n_classes);
    let mut best: Option<(f64, Weights)> = None;
    for epoch in 1..=epochs {
        let order = shuffled(data.len(), rng);
        let pairs: Vec<tagger::Example<'_>> = order
            .iter()
            .map(|&i| {
                (
                    &data[i].infos[..],
                    &data[i].gold[..],
                    data[i].right.as_deref(),
                )
            })
            .collect();
        let train_acc = tagger::train_epoch(&mut t, n_classes, &pairs);
        let w = t.finish(prune);
        let acc = if dev.is_empty() {
            epoch as f64
        } else {
            tag_accuracy(&w, dev)
        };
        log(format!(
            "  tagger epoch {epoch}: train {:.2}, dev {acc:.2}",
            100.0 * train_acc
        ));
        if best.as_ref().is_none_or(|(b, _)| acc > *b) {
            best = Some((acc, w));
        }
    }
    best.map_or_else(|| t.finish(prune), |(_, w)| w)
}

/// The share of `gold`'s words that the parser gives their gold head, from `toks`.
fn attachment_score(w: &Weights, beam: usize, toks: &[Vec<Token>], gold: &[Sentence]) -> f64 {
    let (mut right, mut all) = (0, 0);
    let mut heads = Vec::new();
    for (t, s) in toks.iter().zip(gold) {
        parser::parse_beam(w, t, beam, &mut heads);
        right += heads
            .iter()
            .zip(&s.words)
            .filter(|(h, g)| **h == g.head)
            .count();
        all += heads.len();
    }
    100.0 * right as f64 / all.max(1) as f64
}

/// Trains a model on `train`, choosing epochs on `dev`; `log` hears the progress.
pub fn train(
    train: &[Sentence],
    dev: &[Sentence],
    opts: &Options,
    log: &mut dyn FnMut(String),
) -> Model {
    let mut rng = Rng(opts.seed | 1);
    let class_names = table(
        train
            .iter()
            .flat_map(|s| s.words.iter().map(|w| (w.upos.clone(), w.xpos.clone()))),
    );
    let mut label_names = table(
        train
            .iter()
            .flat_map(|s| s.words.iter().map(|w| w.deprel.clone())),
    );
    if !label_names.iter().any(|l| l == "root") {
        label_names.push("root".to_string());
    }
    let class: HashMap<(String, String), usize> = class_names
        .iter()
        .cloned()
        .enumerate()
        .map(|(i, k)| (k, i))
        .collect();
    let label_of: HashMap<&str, usize> = label_names
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let n_classes = class_names.len().clamp(1, 256);
    log(format!(
        "{} sentences, {n_classes} tag classes, {} relations",
        train.len(),
        label_names.len()
    ));

    let coarse = parser::coarse_ids(&class_names);
    let tokens = |infos: &[WordInfo], tags: &[usize]| parser::tokens(infos, tags, &coarse);
    let data = tag_data(train, &class);
    let dev_data = tag_data(dev, &class);
    log("tagger, first pass".to_string());
    let epochs = (opts.tagger_epochs, opts.min_changes[0]);
    let first = train_tagger(&data, &dev_data, n_classes, epochs, &mut rng, log);

    // First-pass tags of every training sentence from a tagger that never saw it,
    // for the second pass and the parser to learn from realistic errors.
    let mut train_tags: Vec<Vec<usize>> = data.iter().map(|s| s.gold.clone()).collect();
    if opts.folds > 1 {
        for k in 0..opts.folds {
            let (held, rest): (Vec<usize>, Vec<usize>) =
                (0..data.len()).partition(|i| i % opts.folds == k);
            let rest_data: Vec<Tagged> = rest.iter().map(|&i| data[i].clone()).collect();
            let held_data: Vec<Tagged> = held.iter().map(|&i| data[i].clone()).collect();
            let mut quiet = |_: String| {};
            let w = train_tagger(&rest_data, &[], n_classes, epochs, &mut rng, &mut quiet);
            let mut tags = Vec::new();
            for &i in &held {
                tagger::tag(&w, &data[i].infos, None, &mut tags);
                train_tags[i] = tags.clone();
            }
            let acc = tag_accuracy(&w, &held_data);
            log(format!(
                "  jack-knife fold {}/{}: {acc:.2}",
                k + 1,
                opts.folds
            ));
        }
    }
    log("tagger, second pass".to_string());
    let mut tags = Vec::new();
    let data2: Vec<Tagged> = data
        .iter()
        .zip(&train_tags)
        .map(|(d, t)| Tagged {
            right: Some(t.clone()),
            ..d.clone()
        })
        .collect();
    let dev2: Vec<Tagged> = dev_data
        .iter()
        .map(|d| {
            tagger::tag(&first, &d.infos, None, &mut tags);
            Tagged {
                right: Some(tags.clone()),
                ..d.clone()
            }
        })
        .collect();
    let second = train_tagger(&data2, &dev2, n_classes, epochs, &mut rng, log);
    let dev_toks: Vec<Vec<Token>> = dev2
        .iter()
        .map(|s| {
            tagger::tag(&second, &s.infos, s.right.as_deref(), &mut tags);
            tokens(&s.infos, &tags)
        })
        .collect();

    let lemmatizer = Lemmatizer::train(train.iter().zip(&data).flat_map(|(s, d)| {
        s.words
            .iter()
            .zip(&d.gold)
            .map(|(w, &c)| (w.form.as_str(), c, w.lemma.as_str()))
    }));

    log("parser".to_string());
    let parse_data: Vec<(Vec<Token>, Vec<usize>)> = data
        .iter()
        .zip(&train_tags)
        .zip(train)
        .map(|((d, tags), s)| {
            (
                tokens(&d.infos, tags),
                s.words.iter().map(|w| w.head).collect(),
            )
        })
        .collect();
    let mut pt = Trainer::new(parser::N_ACTIONS);
    let mut best_parser: Option<(f64, Weights)> = None;
    let mut heads = Vec::new();
    for epoch in 1..=opts.parser_epochs {
        let order = shuffled(parse_data.len(), &mut rng);
        let acc = if opts.beam > 1 {
            parser::train_epoch_beam(&mut pt, &parse_data, &order, opts.beam)
        } else {
            parser::train_epoch(&mut pt, &parse_data, &order, epoch > 1, &mut rng)
        };
        let w = pt.finish(opts.min_changes[1]);
        let uas = if dev.is_empty() {
            epoch as f64
        } else {
            attachment_score(&w, opts.beam, &dev_toks, dev)
        };
        log(format!(
            "  parser epoch {epoch}: right decisions {:.2}, dev UAS {uas:.2}",
            100.0 * acc
        ));
        if best_parser.as_ref().is_none_or(|(b, _)| uas > *b) {
            best_parser = Some((uas, w));
        }
    }
    let parser_w = best_parser.map_or_else(|| pt.finish(opts.min_changes[1]), |(_, w)| w);
    // How much the tagger's errors cost the parser.
    let gold_toks: Vec<Vec<Token>> = dev_data.iter().map(|d| tokens(&d.infos, &d.gold)).collect();
    let uas = attachment_score(&parser_w, opts.beam, &gold_toks, dev);
    log(format!("  dev UAS with gold tags: {uas:.2}"));

    log("labeller".to_string());
    let label_data: Vec<(Vec<Token>, Vec<usize>, Vec<usize>)> = parse_data
        .iter()
        .zip(train)
        .map(|((toks, heads), s)| {
            let labels = s
                .words
                .iter()
                .map(|w| label_of.get(w.deprel.as_str()).copied().unwrap_or(0))
                .collect();
            (toks.clone(), heads.clone(), labels)
        })
        .collect();
    let root = label_of.get("root").copied().unwrap_or(0);
    let dev_trees: Vec<Vec<usize>> = dev_toks
        .iter()
        .map(|toks| {
            parser::parse_beam(&parser_w, toks, opts.beam, &mut heads);
            heads.clone()
        })
        .collect();
    let mut lt = Trainer::new(label_names.len());
    let mut best_labeller: Option<(f64, Weights)> = None;
    let mut labels = Vec::new();
    for epoch in 1..=opts.label_epochs {
        let order = shuffled(label_data.len(), &mut rng);
        let acc = label::train_epoch(&mut lt, label_names.len(), &label_data, &order);
        let w = lt.finish(opts.min_changes[2]);
        let (mut right, mut all) = (0, 0);
        for ((toks, heads), s) in dev_toks.iter().zip(&dev_trees).zip(dev) {
            label::label(&w, root, &Tree::new(toks, heads), &mut labels);
            for ((h, l), g) in heads.iter().zip(&labels).zip(&s.words) {
                right += usize::from(*h == g.head && label_names[*l] == g.deprel);
            }
            all += heads.len();
        }
        let las = if dev.is_empty() {
            epoch as f64
        } else {
            100.0 * right as f64 / all.max(1) as f64
        };
        log(format!(
            "  labeller epoch {epoch}: train {:.2}, dev LAS {las:.2}",
            100.0 * acc
        ));
        if best_labeller.as_ref().is_none_or(|(b, _)| las > *b) {
            best_labeller = Some((las, w));
        }
    }
    let labeller_w = best_labeller.map_or_else(|| lt.finish(opts.min_changes[2]), |(_, w)| w);

    Model {
        coarse: parser::coarse_ids(&class_names),
        classes: class_names
            .iter()
            .map(|(u, x)| (leak(u), leak(x)))
            .collect(),
        labels: label_names.iter().map(|l| leak(l)).collect(),
        root,
        beam: opts.beam.clamp(1, 64),
        tagger: [first, second],
        lemmatizer,
        parser: parser_w,
        labeller: labeller_w,
    }
}
