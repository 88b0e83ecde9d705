//! Which predicate of its sentence a date expression dates: the event's trigger.
//!
//! Two readers agree on most dates and differ on the hard ones. The rule
//! ([`rule`]) climbs the tree from the date to the predicate it modifies
//! ([`predicate::governed`]), with what the trees of news taught it: a noun that
//! only points at an event hands the date to its verb, a saying told after the
//! date gives way to the act before it. The model ([`Model`]) weighs every
//! predicate of the sentence that can be an event (its verbs and event nouns,
//! [`candidates`]) by what lies between it and the date: the relations on the
//! tree path up from the date and down to the candidate, the clause boundaries
//! crossed, the candidate's class (saying, view, state, figure, event noun),
//! tense and mood, which side of the date it stands on and how far, how the
//! date is told ("on", "in", bare), and whether the rule chose it ([`features`]).
//! A conditional log-linear model turns the weights into a probability for each
//! candidate and for "no predicate" (the date dates nothing of its sentence);
//! the most probable is the trigger, except that "no predicate" never overrides
//! a rule's choice that the model also ranks first among the predicates
//! ([`decide`]). A model may also set a threshold below which the rule chooses.
//!
//! A saying is never a candidate for a date inside what was said
//! ([`mood::dated_outside_what_was_said`]): in "officials said police entered
//! the consulate on Wednesday" the date can only go to *entered*. Nor is a
//! noun that frames the act of its verb ("during a visit to Seoul last January,
//! members met defectors": the meeting).
//!
//! The model is learned from the TLINKs that tie a date to an event of its
//! sentence in the TimeML corpora (TimeBank, AQUAINT), on the trees our parser
//! makes of their text: `cargo run --profile eval -p annals-core --example
//! train_anchoring` writes `data/anchoring.model`, a text file of weighted
//! feature names, which is built into the program. `ANNALS_ANCHORING_MODEL`
//! names another file (for cross-validation); a file that does not load leaves
//! the rule alone in charge.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

use super::kind;
use super::mood::{self, mood, Mood};
use super::predicate;
use super::tree::Tree;

/// The model built into the program.
const BUILT_IN: &str = include_str!("../../../../data/anchoring.model");

/// First line of a model file.
const MAGIC: &str = "annals-anchoring 1";

/// The predicate the date expression at characters `a..b` of the sentence dates,
/// as the rule reads the tree: the predicate it modifies, moved up from a noun
/// that frames or points at another event, or the act told just before it where
/// the tree gives it to no act or to a saying after it.
pub fn rule(tree: &Tree, a: usize, b: usize) -> Option<usize> {
    // "In Wednesday's episode, five men entered ...": a noun that only points
    // at an event gives its date to the verb it hangs on. So does an event that
    // frames another ("During a visit to Seoul last January, members met
    // defectors").
    let governed = predicate::governed(tree.words, a, b).map(|pred| match tree.head(pred) {
        Some(h) if frames(tree, pred) => h,
        _ => pred,
    });
    // Where the tree gives the date to no act, or to a saying after it ("Five
    // men entered the consulate on Wednesday, witnesses said"), the act told
    // just before it in its stretch of the sentence has it: the tree is least
    // sure of such long attachments.
    match governed {
        Some(p)
            if mood(tree, p).is_some()
                && !(p > 0
                    && tree.words[p].start >= b
                    && kind::SPEECH.contains(&tree.lemma(p).as_str())) =>
        {
            Some(p)
        }
        // A term the date states ("a eurobond due 1994") is no act of the verb
        // before it either.
        Some(p) if mood::is_term(tree, p) => Some(p),
        other => verb_before(tree, a).or(other),
    }
}

/// Whether `pred` is a noun that only points at an event ("in Wednesday's
/// episode") or frames another ("during a visit to Seoul last January"), hung
/// on a verb: the date it holds is the verb's.
fn frames(tree: &Tree, pred: usize) -> bool {
    let during = tree
        .children_with(pred, &["case"])
        .any(|c| tree.lemma(c) == "during");
    (kind::is_generic_event(&tree.lemma(pred)) || during)
        && matches!(tree.base(pred), "obl" | "nmod")
        && tree
            .head(pred)
            .is_some_and(|h| tree.words[h].upos == "VERB")
}

/// The verb nearest before character `at` in its stretch of the sentence (no
/// comma, semicolon, colon, dash, bracket or quote between), if it heads a
/// clause (not "a highly-publicized case").
fn verb_before(tree: &Tree, at: usize) -> Option<usize> {
    let words = tree.words;
    let last = (0..words.len()).rev().find(|&i| words[i].end <= at)?;
    for i in (0..=last).rev() {
        let w = &words[i];
        if w.upos == "PUNCT" && w.form != "-" || w.form == "--" {
            return None;
        }
        if w.upos == "VERB"
            && !matches!(tree.base(i), "amod" | "compound")
            && mood(tree, i).is_some()
        {
            // "Hillsdown said capital expenditure rose in 1986": a date after
            // what a saying or a view has begun to tell is part of it, however
            // the tree failed to read it; only a date right after the verb
            // ("said on Tuesday") can be the saying's.
            let lemma = tree.lemma(i);
            let tells =
                kind::SPEECH.contains(&lemma.as_str()) || kind::ATTITUDE.contains(&lemma.as_str());
            if tells && (i + 1..=last).any(|j| !matches!(words[j].upos, "ADP" | "ADV")) {
                return None;
            }
            return Some(i);
        }
    }
    None
}

/// The trigger of the date expression at characters `a..b`: the model's choice
/// where it is sure of it, else the rule's.
pub fn choose(tree: &Tree, a: usize, b: usize) -> Option<usize> {
    let Some(choices) = Choices::new(tree, a, b) else {
        return rule(tree, a, b);
    };
    match model() {
        Some(m) => m.pick(&choices),
        None => choices.rule,
    }
}

/// What a date expression could date, and what the model sees of each.
#[derive(Debug, Clone)]
pub struct Choices {
    /// The candidates: `None` (the date dates no predicate of the sentence)
    /// first, then word indices in sentence order.
    pub preds: Vec<Option<usize>>,
    /// The features of each candidate.
    pub features: Vec<Vec<String>>,
    /// The rule's choice.
    pub rule: Option<usize>,
}

impl Choices {
    /// The choices of the date expression at characters `a..b`; `None` when no
    /// word of the sentence is in it.
    pub fn new(tree: &Tree, a: usize, b: usize) -> Option<Choices> {
        let d = tree.head_within(a, b)?;
        let rule = rule(tree, a, b);
        let mut preds: Vec<Option<usize>> = vec![None];
        let mut cands = candidates(tree, a, b, d);
        if let Some(r) = rule.filter(|r| !cands.contains(r)) {
            cands.push(r);
            cands.sort_unstable();
        }
        preds.extend(cands.iter().map(|&c| Some(c)));
        let date = DateView::new(tree, a, b, d);
        let features = preds
            .iter()
            .map(|&c| features(tree, &date, &cands, c, rule))
            .collect();
        Some(Choices {
            preds,
            features,
            rule,
        })
    }
}

/// The words of the sentence that can be the event a date expression (head
/// word `d`, characters `a..b`) dates: verbs, and nouns that name events with
/// the date hung on them, outside the expression; less a saying whose content
/// holds the date or that follows the date and an act told before it (as
/// [`rule`] reads them), and a noun that frames or points at the event of its
/// verb ([`frames`]).
pub fn candidates(tree: &Tree, a: usize, b: usize, d: usize) -> Vec<usize> {
    let act_before = verb_before(tree, a);
    (0..tree.len())
        .filter(|&i| {
            let w = &tree.words[i];
            let inside = w.start < b && w.end > a;
            // A noun only with the date hung on it ("the talks on Friday"),
            // not on a thing of its phrase ("house arrest in his village on
            // April 22").
            let event = w.upos == "VERB"
                || (matches!(w.upos, "NOUN" | "PROPN")
                    && predicate::is_event_noun(w)
                    && tree.head(d) == Some(i));
            // A saying only with the date outside what was said, and not one
            // told after the date when an act is told before it ("Five men
            // entered the consulate on Wednesday, witnesses said").
            let saying_ok = !kind::SPEECH.contains(&tree.lemma(i).as_str())
                || (mood::dated_outside_what_was_said(tree, i, d)
                    && !told_in(tree, i, d)
                    && !(w.start >= b && act_before.is_some()));
            event && !inside && saying_ok && !frames(tree, i)
        })
        .collect()
}

/// Whether the date (head word `d`) is inside a clause that the saying `pred`
/// reports ("said the bombs exploded on Friday"), however the tree hangs it.
fn told_in(tree: &Tree, pred: usize, d: usize) -> bool {
    let mut at = d;
    for _ in 0..tree.len() {
        match tree.head(at) {
            Some(h) if h == pred => {
                return at != d
                    && matches!(tree.base(at), "ccomp" | "parataxis" | "xcomp" | "csubj");
            }
            Some(h) => at = h,
            None => return false,
        }
    }
    false
}

/// What the features need of the date expression.
struct DateView {
    /// Its head word, the path's start.
    head: usize,
    first: usize,
    last: usize,
    /// Its head's relation, and the preposition that marks it ("on", "-").
    rel: &'static str,
    case: String,
}

impl DateView {
    fn new(tree: &Tree, a: usize, b: usize, d: usize) -> DateView {
        let inside: Vec<usize> = (0..tree.len())
            .filter(|&i| tree.words[i].start < b && tree.words[i].end > a)
            .collect();
        let case = tree
            .children_with(d, &["case"])
            .next()
            .or_else(|| {
                // "on" before the expression, whatever the tree made of it.
                inside
                    .first()
                    .and_then(|&f| f.checked_sub(1))
                    .filter(|&p| tree.words[p].upos == "ADP")
            })
            .map_or_else(|| "-".to_string(), |c| tree.lemma(c));
        DateView {
            head: d,
            first: inside.first().copied().unwrap_or(d),
            last: inside.last().copied().unwrap_or(d),
            rel: tree.words[d].deprel,
            case,
        }
    }
}

/// Relations that open a clause of their own: a path through one leaves the
/// date's clause.
const CLAUSES: &[&str] = &[
    "ccomp",
    "advcl",
    "acl",
    "xcomp",
    "parataxis",
    "csubj",
    "conj",
];

/// The candidate's lexical class, from the extractor's word classes.
fn class(tree: &Tree, c: usize) -> &'static str {
    let lemma = tree.lemma(c);
    let l = lemma.as_str();
    let w = &tree.words[c];
    if kind::SPEECH.contains(&l) {
        "speech"
    } else if kind::ATTITUDE.contains(&l) {
        "view"
    } else if kind::STATIVE.contains(&l) {
        "state"
    } else if w.upos == "VERB" && mood::MEASURES.contains(&l) {
        "figure"
    } else if kind::is_generic_event(l) {
        "pointer"
    } else if predicate::is_event_noun(w) {
        "evnoun"
    } else {
        w.upos
    }
}

/// Up to 4 steps, then "…".
fn steps(rels: &[&str]) -> String {
    if rels.len() > 4 {
        format!("{}+", rels[..4].join(">"))
    } else {
        rels.join(">")
    }
}

/// The features of candidate `c` (`None`: no predicate) for the date.
fn features(
    tree: &Tree,
    date: &DateView,
    cands: &[usize],
    c: Option<usize>,
    rule: Option<usize>,
) -> Vec<String> {
    let mut f = Vec::with_capacity(48);
    let Some(c) = c else {
        f.push("none".to_string());
        f.push(format!("none|rel={}", date.rel));
        f.push(format!("none|case={}", date.case));
        f.push(format!("none|rule={}", rule.is_some()));
        f.push(format!("none|n={}", cands.len().min(4)));
        return f;
    };
    let n = tree.len();
    // The path: up from the date to the lowest common ancestor, then down.
    let chain = |from: usize| -> Vec<usize> {
        let mut v = vec![from];
        let mut at = from;
        while let Some(h) = tree.head(at) {
            if v.len() > n {
                break;
            }
            v.push(h);
            at = h;
        }
        v
    };
    let up_chain = chain(date.head);
    let down_chain = chain(c);
    let (up_n, down_n) = down_chain
        .iter()
        .enumerate()
        .find_map(|(j, x)| up_chain.iter().position(|y| y == x).map(|i| (i, j)))
        .unwrap_or((up_chain.len(), down_chain.len()));
    let up: Vec<&'static str> = up_chain[..up_n]
        .iter()
        .map(|&i| tree.words[i].deprel)
        .collect();
    let mut down: Vec<&'static str> = down_chain[..down_n]
        .iter()
        .map(|&i| tree.words[i].deprel)
        .collect();
    down.reverse();
    fn base(r: &&'static str) -> &'static str {
        r.split(':').next().unwrap_or(r)
    }
    let up_b: Vec<&str> = up.iter().map(base).collect();
    let down_b: Vec<&str> = down.iter().map(base).collect();
    let path = format!("{}^{}", steps(&up), steps(&down));
    let path_b = format!("{}^{}", steps(&up_b), steps(&down_b));
    let len = format!("u{}d{}", up_n.min(4), down_n.min(4));

    let cls = class(tree, c);
    let w = &tree.words[c];
    let md = match mood(tree, c) {
        Some(Mood::Happened) => "happened",
        Some(Mood::Planned) => "planned",
        None => "not",
    };
    let aux = if tree.modal(c).is_some() {
        "modal"
    } else if tree
        .children_with(c, &["aux"])
        .any(|x| tree.lemma(x) == "have")
    {
        "perfect"
    } else if tree
        .words
        .iter()
        .any(|x| x.head == c + 1 && x.deprel == "aux:pass")
    {
        "passive"
    } else {
        "-"
    };
    let side = if c < date.first { "L" } else { "R" };
    let (lo, hi) = if c < date.first {
        (c + 1, date.first)
    } else {
        (date.last + 1, c)
    };
    let between = lo..hi.max(lo);
    let dist = match hi.saturating_sub(lo) {
        0 => "0",
        1 => "1",
        2..=4 => "2-4",
        5..=9 => "5-9",
        _ => "10+",
    };
    let verbs_between = between
        .clone()
        .filter(|&i| tree.words[i].upos == "VERB")
        .count()
        .min(2);
    let mut punct = String::new();
    for i in between {
        let p = match tree.words[i].form.as_str() {
            "," => 'c',
            "\"" | "``" | "''" | "\u{201c}" | "\u{201d}" => 'q',
            ";" | ":" | "--" | "-" | "(" | ")" => 'd',
            _ => continue,
        };
        if !punct.contains(p) {
            punct.push(p);
        }
    }
    if punct.is_empty() {
        punct.push('-');
    }
    // Its rank among the candidates on its side, nearest first.
    let near = if c < date.first {
        cands.iter().filter(|&&x| x > c && x < date.first).count()
    } else {
        cands.iter().filter(|&&x| x < c && x > date.last).count()
    }
    .min(2);
    let is_rule = rule == Some(c);
    let crossed: Vec<String> = up_b
        .iter()
        .map(|r| ("^", *r))
        .chain(down_b.iter().map(|r| ("v", *r)))
        .filter(|(_, r)| CLAUSES.contains(r))
        .map(|(d, r)| format!("{d}{r}"))
        .collect();
    let subject = tree.subject(c).is_some();

    let mut add = |s: String| f.push(s);
    add("bias".to_string());
    add(format!("path={path}"));
    add(format!("path={path}|{cls}"));
    add(format!("pathb={path_b}"));
    add(format!("pathb={path_b}|{cls}"));
    add(format!("pathb={path_b}|{side}"));
    add(format!("pathb={path_b}|case={}", date.case));
    add(format!("len={len}"));
    add(format!("len={len}|{cls}"));
    add(format!("len={len}|rel={}", date.rel));
    add(format!("cls={cls}"));
    add(format!("cls={cls}|{side}"));
    add(format!("cls={cls}|mood={md}"));
    add(format!("cls={cls}|rel={}", date.rel));
    add(format!("cls={cls}|case={}", date.case));
    add(format!("xpos={}", w.xpos));
    add(format!("xpos={}|aux={aux}", w.xpos));
    add(format!("xpos={}|{cls}", w.xpos));
    add(format!("mood={md}"));
    add(format!("rel={}|{side}", date.rel));
    add(format!("case={}|{side}|{dist}", date.case));
    add(format!("side={side}|{dist}"));
    add(format!("side={side}|near={near}"));
    add(format!("side={side}|near={near}|{cls}"));
    add(format!("verbs={verbs_between}|{side}"));
    add(format!("punct={punct}|{side}"));
    add(format!("punct={punct}|{cls}"));
    add(format!("crossed={}", crossed.len().min(2)));
    for x in &crossed {
        add(format!("cross={x}"));
        add(format!("cross={x}|{cls}"));
    }
    add(format!("cand-rel={}", tree.base(c)));
    add(format!("cand-rel={}|{cls}", tree.base(c)));
    add(format!("subject={subject}|{cls}"));
    if is_rule {
        add("rule".to_string());
        add(format!("rule|{cls}"));
        add(format!("rule|rel={}", date.rel));
        add(format!("rule|len={len}"));
    }
    f
}

/// A trained anchoring model: a weight for each feature name.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    weights: HashMap<String, f64>,
    /// Below this probability of its best candidate the rule chooses.
    pub threshold: f64,
    /// Whether "no predicate" may be chosen.
    pub none: bool,
}

impl Model {
    /// The probability of each of `choices.preds` (0 for those the model may not
    /// choose).
    pub fn probabilities(&self, choices: &Choices) -> Vec<f64> {
        let scores: Vec<Option<f64>> = choices
            .preds
            .iter()
            .zip(&choices.features)
            .map(|(p, fs)| {
                (p.is_some() || self.none).then(|| {
                    fs.iter()
                        .filter_map(|f| self.weights.get(f.as_str()))
                        .sum::<f64>()
                })
            })
            .collect();
        softmax(&scores)
    }

    /// The trigger ([`decide`]).
    pub fn pick(&self, choices: &Choices) -> Option<usize> {
        let probs = self.probabilities(choices);
        choices.preds[decide(&probs, choices, self.threshold)]
    }

    /// Reads a model written by [`Model::to_text`].
    pub fn from_text(text: &str) -> Result<Model, String> {
        let mut lines = text.lines();
        if lines.next() != Some(MAGIC) {
            return Err(format!(
                "not an anchoring model (first line is not {MAGIC:?})"
            ));
        }
        let mut m = Model {
            weights: HashMap::new(),
            threshold: 1.0,
            none: false,
        };
        for (i, line) in lines.enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = || format!("line {}: {line:?}", i + 2);
            let (key, value) = line.split_once('\t').ok_or_else(bad)?;
            match key {
                "threshold" => m.threshold = value.parse().map_err(|_| bad())?,
                "none" => m.none = value == "1",
                _ => {
                    let w: f64 = key.parse().map_err(|_| bad())?;
                    m.weights.insert(value.to_string(), w);
                }
            }
        }
        Ok(m)
    }

    /// The model as text: a header, then one `weight<TAB>feature` a line, in
    /// feature order (so the file is the same for the same training).
    pub fn to_text(&self, comment: &str) -> String {
        let mut out = format!("{MAGIC}\n");
        for line in comment.lines() {
            let _ = writeln!(out, "# {line}");
        }
        let _ = writeln!(out, "threshold\t{}", self.threshold);
        let _ = writeln!(out, "none\t{}", u8::from(self.none));
        let mut keys: Vec<&String> = self.weights.keys().collect();
        keys.sort();
        for k in keys {
            let _ = writeln!(out, "{:.4}\t{k}", self.weights[k]);
        }
        out
    }

    /// How many features carry a weight.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }
}

/// Which of `choices` is the trigger (its index), given each one's probability:
/// the most probable where it reaches `threshold`, else the rule's choice. "No
/// predicate" never wins over the rule's choice when that is the model's best
/// candidate too: the model then doubts the date more than the predicate, and
/// the extractor's own tests of a date (bounds, mood, news) judge that better
/// than a model of what annotators linked. (Cross-validated on TimeML, this
/// keeps the rule's recall and most of the model's precision.)
pub fn decide(probs: &[f64], choices: &Choices, threshold: f64) -> usize {
    let argmax = |from: usize| {
        (from..probs.len()).fold(from.min(probs.len().saturating_sub(1)), |b, i| {
            if probs[i] > probs[b] {
                i
            } else {
                b
            }
        })
    };
    let rule = choices
        .preds
        .iter()
        .position(|&p| p == choices.rule)
        .unwrap_or(0);
    let best = argmax(0);
    if best == 0 && probs.len() > 1 && argmax(1) == rule {
        return rule;
    }
    if probs.get(best).is_some_and(|&p| p >= threshold) {
        best
    } else {
        rule
    }
}

/// Probabilities of the scores (`None`: not a choice, probability 0).
fn softmax(scores: &[Option<f64>]) -> Vec<f64> {
    let max = scores
        .iter()
        .flatten()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    let exp: Vec<f64> = scores
        .iter()
        .map(|s| s.map_or(0.0, |s| (s - max).exp()))
        .collect();
    let sum: f64 = exp.iter().sum();
    exp.iter()
        .map(|e| if sum > 0.0 { e / sum } else { 0.0 })
        .collect()
}

/// The model in use: `ANNALS_ANCHORING_MODEL`'s file when it is set, else the
/// one built in; read once. `None` when it does not load (the rule chooses).
pub fn model() -> Option<&'static Model> {
    static MODEL: OnceLock<Option<Model>> = OnceLock::new();
    MODEL
        .get_or_init(|| {
            let text = match std::env::var_os("ANNALS_ANCHORING_MODEL").filter(|p| !p.is_empty()) {
                Some(path) => std::fs::read_to_string(path).ok()?,
                None => BUILT_IN.to_string(),
            };
            Model::from_text(&text).ok()
        })
        .as_ref()
}

/// One date expression to learn from: its choices and which of them the
/// annotators linked it to.
#[derive(Debug, Clone)]
pub struct Example {
    pub choices: Choices,
    pub gold: Vec<bool>,
}

/// How to train.
#[derive(Debug, Clone)]
pub struct Training {
    pub epochs: usize,
    /// Learning rate of the first epoch; epoch `e` uses `rate / (1 + e/2)`.
    pub rate: f64,
    /// L2 penalty, applied to the weights an example touches.
    pub l2: f64,
    /// Whether "no predicate" is a choice (an expression linked to no
    /// candidate teaches it); else such expressions are left out.
    pub none: bool,
    pub threshold: f64,
}

impl Default for Training {
    fn default() -> Self {
        Training {
            epochs: 20,
            rate: 0.2,
            l2: 1e-3,
            none: true,
            threshold: 0.75,
        }
    }
}

/// Trains a model by stochastic gradient ascent on the log-likelihood of the
/// gold choices (several gold choices share the mass), visiting the examples in
/// an order fixed by a seeded shuffle: the same data gives the same model.
/// Weights under 0.01 are dropped (they change no choice that matters and
/// would double the file).
pub fn train(examples: &[Example], opts: &Training) -> Model {
    // Feature names to ids, in first-seen order.
    let mut ids: HashMap<&str, usize> = HashMap::new();
    let mut names: Vec<&str> = Vec::new();
    // Per example: each choice's feature ids, which are gold, which allowed.
    type Row = (Vec<Vec<usize>>, Vec<bool>, Vec<bool>);
    let mut data: Vec<Row> = Vec::new();
    for ex in examples {
        let allowed: Vec<bool> = ex
            .choices
            .preds
            .iter()
            .map(|p| p.is_some() || opts.none)
            .collect();
        if !ex.gold.iter().zip(&allowed).any(|(g, a)| *g && *a) {
            continue;
        }
        let feats = ex
            .choices
            .features
            .iter()
            .map(|fs| {
                fs.iter()
                    .map(|f| {
                        *ids.entry(f.as_str()).or_insert_with(|| {
                            names.push(f.as_str());
                            names.len() - 1
                        })
                    })
                    .collect()
            })
            .collect();
        data.push((feats, ex.gold.clone(), allowed));
    }
    let mut w = vec![0.0f64; names.len()];
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    for epoch in 0..opts.epochs {
        // Fisher-Yates with xorshift64.
        for i in (1..order.len()).rev() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            order.swap(i, (seed % (i as u64 + 1)) as usize);
        }
        let rate = opts.rate / (1.0 + epoch as f64 / 2.0);
        for &k in &order {
            let (feats, gold, allowed) = &data[k];
            let scores: Vec<Option<f64>> = feats
                .iter()
                .zip(allowed)
                .map(|(fs, &a)| a.then(|| fs.iter().map(|&j| w[j]).sum()))
                .collect();
            let p = softmax(&scores);
            let gold_mass: f64 = p
                .iter()
                .zip(gold)
                .filter(|(_, g)| **g)
                .map(|(p, _)| p)
                .sum();
            for (i, fs) in feats.iter().enumerate() {
                if !allowed[i] {
                    continue;
                }
                // d log(sum of gold p) / d score_i = q_i - p_i, q the gold share.
                let q = if gold[i] {
                    if gold_mass > 0.0 {
                        p[i] / gold_mass
                    } else {
                        1.0 / gold.iter().filter(|g| **g).count() as f64
                    }
                } else {
                    0.0
                };
                let g = q - p[i];
                for &j in fs {
                    w[j] += rate * (g - opts.l2 * w[j]);
                }
            }
        }
    }
    Model {
        weights: names
            .iter()
            .zip(&w)
            .filter(|(_, w)| w.abs() >= 0.01)
            .map(|(n, w)| ((*n).to_string(), (w * 1e4).round() / 1e4))
            .collect(),
        threshold: opts.threshold,
        none: opts.none,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax;

    /// The trigger's form that [`choose`] gives the expression `date` in
    /// `sentence`, read as extraction reads it.
    fn trigger(sentence: &str, date: &str) -> Option<String> {
        let (_, words) = crate::extract::read_sentences(sentence)
            .expect("model")
            .into_iter()
            .next()
            .expect("a sentence");
        let byte = sentence.find(date).expect("date in sentence");
        let start = sentence[..byte].chars().count();
        let end = start + date.chars().count();
        let tree = Tree::new(&words);
        choose(&tree, start, end).map(|i| words[i].form.clone())
    }

    #[test]
    fn the_built_in_model_loads_and_scores_every_candidate() {
        let m = Model::from_text(BUILT_IN).expect("built-in model");
        assert!(m.len() > 100, "{} weights", m.len());
        assert!((0.0..=1.0).contains(&m.threshold));
        let sentence =
            "Police dragged two women out of the consulate on Wednesday, officials said.";
        let words = syntax::model().expect("parser").parse_sentence(sentence);
        let tree = Tree::new(&words);
        let a = sentence.find("Wednesday").expect("date");
        let choices = Choices::new(&tree, a, a + "Wednesday".len()).expect("choices");
        let probs = m.probabilities(&choices);
        assert_eq!(probs.len(), choices.preds.len());
        assert!((probs.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        // Trained weights tell the candidates apart.
        let best = probs.iter().copied().fold(0.0, f64::max);
        assert!(best > 1.0 / probs.len() as f64, "{probs:?}");
    }

    #[test]
    fn a_model_reads_back_what_it_wrote() {
        let m = Model {
            weights: [
                ("path=obl^".to_string(), 1.25),
                ("cls=speech".to_string(), -0.5),
            ]
            .into_iter()
            .collect(),
            threshold: 0.6,
            none: true,
        };
        let text = m.to_text("a test");
        assert_eq!(Model::from_text(&text), Ok(m));
        assert!(Model::from_text("something else\n").is_err());
    }

    #[test]
    fn a_date_in_a_reported_clause_dates_the_reported_verb() {
        assert_eq!(
            trigger(
                "Officials said the police dragged two women out on Wednesday.",
                "Wednesday"
            )
            .as_deref(),
            Some("dragged")
        );
        assert_eq!(
            trigger(
                "The company said the research, beginning April 1, was paid for in 1986.",
                "1986"
            )
            .as_deref(),
            Some("paid")
        );
    }

    #[test]
    fn a_date_inside_what_was_said_is_never_the_sayings() {
        let sentence = "Witnesses said the bombs exploded in Nairobi on Friday.";
        let words = crate::extract::read_sentences(sentence)
            .expect("model")
            .remove(0)
            .1;
        let tree = Tree::new(&words);
        let a = sentence.find("Friday").expect("date");
        let choices = Choices::new(&tree, a, a + "Friday".len()).expect("choices");
        assert!(!choices
            .preds
            .iter()
            .flatten()
            .any(|&p| words[p].form == "said"));
    }

    #[test]
    fn a_saying_after_the_date_and_the_act_leaves_the_date_to_the_act() {
        assert_eq!(
            trigger(
                "Five North Koreans entered the Japanese Consulate in Shenyang on Wednesday, \
                 witnesses said.",
                "Wednesday"
            )
            .as_deref(),
            Some("entered")
        );
    }

    #[test]
    fn a_saying_dated_before_what_was_said_is_the_sayings() {
        assert_eq!(
            trigger(
                "The ministry said on Friday that it would protest.",
                "Friday"
            )
            .as_deref(),
            Some("said")
        );
    }

    #[test]
    fn a_fronted_date_dates_the_main_clause() {
        assert_eq!(
            trigger(
                "On May 8, police entered the Japanese Consulate in Shenyang.",
                "May 8"
            )
            .as_deref(),
            Some("entered")
        );
        assert_eq!(
            trigger(
                "Earlier Sunday, protesters prayed for help outside the church.",
                "Earlier Sunday"
            )
            .as_deref(),
            Some("prayed")
        );
    }

    #[test]
    fn a_date_of_an_event_noun_dates_the_noun() {
        assert_eq!(
            trigger("The meeting on Friday ended without a deal.", "Friday").as_deref(),
            Some("meeting")
        );
    }
}
