//! How a predicate tells its event: happened, planned or not at all (negated,
//! conditional, hypothetical, a state), news or a figure ("prices rose 31.6
//! pct"), and whether its date is when it happened or only a bound ("by Dec.
//! 15") or not a year at all ("1000 shares").

use super::*;

/// Whether a predicate reports something that happened, or is planned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mood {
    Happened,
    Planned,
}

/// Lemmas under which an infinitive is planned, not done ("plans to visit",
/// "is due to arrive"). Not a wish or a guess: "hopes to redeem more debt",
/// "is likely to drop", "wants to sell", "seeks to buy" put nothing on a
/// timeline.
const PLANNING: &[&str] = &[
    "plan", "expect", "due", "schedule", "intend", "prepare", "set", "agree", "decide", "propose",
    "promise", "vow", "pledge", "going", "ready", "poised",
];

/// Verbs that report a figure moving ("prices rose 31.6 pct", "sales totalled
/// 6.17 billion"): with a number among their words, a statistic, not an event.
pub(super) const MEASURES: &[&str] = &[
    "rise",
    "fall",
    "climb",
    "drop",
    "decline",
    "increase",
    "decrease",
    "gain",
    "lose",
    "total",
    "reach",
    "post",
    "earn",
    "jump",
    "surge",
    "slip",
    "ease",
    "edge",
    "plunge",
    "soar",
    "grow",
    "shrink",
    "tumble",
    "advance",
    "end",
    "close",
    "open",
    "trade",
    "stand",
    "average",
    "exceed",
    "top",
    "report",
    "show",
    "amount",
    "slump",
    "rebound",
    "recover",
    "double",
    "triple",
    "halve",
    "narrow",
    "widen",
    "contract",
    "expand",
    "fluctuate",
    "hit",
    "set",
    "estimate",
];

/// Whether a predicate dated by the expression whose head word is `date` tells
/// news a timeline wants: an act with someone doing or undergoing it (not a
/// fragment: "Expects to maintain its cash position"), not a figure ("prices
/// rose 31.6 pct in 1987"); a noun only with its date told as the event's own
/// ("Wednesday's incident", "the talks on Friday", not "1986 net profit"); a
/// saying only with a date of its own ("said on Friday that ..."), not one
/// inside what was said.
pub(super) fn newsworthy(tree: &Tree, pred: usize, date: Option<usize>) -> bool {
    let w = &tree.words[pred];
    let lemma = tree.lemma(pred);
    if matches!(w.upos, "NOUN" | "PROPN") {
        // "a 1.8 pct rise in January", "losses of 38.5 mln dlrs in the
        // quarter": a figure, not an event.
        if FIGURES.contains(&lemma.as_str()) && counts(tree, pred, date, 0) {
            return false;
        }
        // A noun that names an event takes a date as its own however it is
        // told ("the 1998 bombing", "a rally Saturday"); another noun only
        // with the date told as its own ("Wednesday's incident", "the talks on
        // Friday"), not "1986 net profit".
        return date.is_some_and(|d| {
            tree.words[d].deprel == "nmod:poss"
                || tree.words[d].xpos == "POS"
                || tree.children_with(d, &["case"]).next().is_some()
                || (predicate::is_event_noun(w) && tree.head(d) == Some(pred))
        });
    }
    let agent = tree.subject(pred).is_some()
        || (matches!(tree.base(pred), "advcl" | "xcomp")
            && tree.head(pred).is_some_and(|h| tree.subject(h).is_some()));
    if !agent {
        return false;
    }
    if MEASURES.contains(&lemma.as_str()) {
        // A number after the verb ("climbed 5 pct", "rose to 6.17 billion"),
        // not in the subject ("two men climbed").
        if counts(tree, pred, date, pred + 1) {
            return false;
        }
    }
    if kind::SPEECH.contains(&lemma.as_str()) {
        // The date hangs on the saying itself, before what was said.
        let Some(d) = date else { return false };
        return dated_outside_what_was_said(tree, pred, d);
    }
    true
}

/// Whether the date expression whose head word is `d` dates the saying `pred`
/// itself: it hangs on the saying and stands outside what was said, before it
/// ("said Friday that ...") or after it ("talks were renewed, an official said
/// Thursday"). A date inside what was said never dates the saying.
pub(super) fn dated_outside_what_was_said(tree: &Tree, pred: usize, d: usize) -> bool {
    // (Not the date itself, which the tree may call an object: "said
    // Tuesday his government ...".)
    let said = tree
        .children_with(pred, &["ccomp", "obj", "parataxis", "xcomp"])
        .filter(|&c| !tree.dominates(c, d))
        .min();
    let own = std::iter::successors(Some(d), |&j| tree.head(j))
        .take(tree.len())
        .any(|j| tree.head(j) == Some(pred));
    // "Last year, he said, production hit a record": a saying set off by
    // commas inside what it reports; a date before it is the report's.
    let from = tree
        .subject(pred)
        .and_then(|s| tree.subtree(s).first().copied())
        .unwrap_or(pred)
        .min(pred);
    let comma = |i: Option<usize>| i.is_some_and(|i| tree.words[i].form == ",");
    let aside =
        comma(from.checked_sub(1)) && comma(Some(pred + 1).filter(|&i| i < tree.len())) && d < from;
    // The date stands outside what was said: before it ("said Friday that
    // ..."), or after it ("talks were renewed, an official said Thursday").
    own && !aside
        && said.is_none_or(|c| {
            let told = tree.subtree(c);
            told.first().is_some_and(|&f| d < f) || told.last().is_some_and(|&l| d > l)
        })
}

/// Whether the predicate's phrase holds a number from word `from` on, outside
/// the date expression whose head is `date`: the figure it reports.
fn counts(tree: &Tree, pred: usize, date: Option<usize>, from: usize) -> bool {
    tree.subtree(pred).into_iter().any(|i| {
        i >= from && tree.words[i].upos == "NUM" && !date.is_some_and(|d| tree.dominates(d, i))
    })
}

/// Lemmas under which an infinitive tells what was done.
const IMPLICATIVE: &[&str] = &[
    "manage", "allow", "permit", "force", "compel", "prompt", "cause", "lead", "begin", "start",
    "help", "move", "succeed", "get", "enable", "spur",
];

/// Nouns that name a figure moving or standing ("a 1.8 pct rise", "losses of
/// 38.5 mln dlrs"): with a number in their phrase, a statistic.
const FIGURES: &[&str] = &[
    "rise",
    "fall",
    "drop",
    "increase",
    "decrease",
    "decline",
    "loss",
    "gain",
    "growth",
    "deficit",
    "surplus",
    "profit",
    "income",
    "earnings",
    "revenue",
    "sale",
    "output",
    "production",
    "estimate",
    "jump",
    "slump",
    "surge",
];

/// Words that state a term of a thing, not an act: "a bond due 1994",
/// "warrants expiring Aug. 31", "a sinking fund beginning 1998", "a dividend
/// payable April 1", "effective Jan. 1", "the period ended Feb. 28".
const TERMS: &[&str] = &[
    "due",
    "expire",
    "mature",
    "end",
    "begin",
    "start",
    "payable",
    "effective",
    "date",
    "run",
    "last",
];

/// Periods of the calendar: "the quarter ended Sept. 30" tells a term.
const PERIODS: &[&str] = &[
    "period", "quarter", "year", "month", "half", "week", "season", "term",
];

/// Whether the predicate states a term of a thing (a maturity, an expiry, the
/// end of a period), not something that happened: a term word modifying a
/// noun, or a period said to begin or end.
pub(super) fn is_term(tree: &Tree, pred: usize) -> bool {
    let lemma = tree.lemma(pred);
    if !TERMS.contains(&lemma.as_str()) {
        return false;
    }
    let modifier = matches!(tree.base(pred), "amod" | "acl")
        && tree
            .head(pred)
            .is_some_and(|h| matches!(tree.words[h].upos, "NOUN" | "PROPN" | "NUM"));
    let period = tree
        .subject(pred)
        .is_some_and(|s| PERIODS.contains(&tree.lemma(s).as_str()));
    modifier || period
}

/// Whether the predicate reports an event, and in which mood: `None` for a
/// negated, conditional or hypothetical one ("did not enter", "if they arrive",
/// "could enter"), a state ("remained unresolved"), or a noun that names no event.
pub(super) fn mood(tree: &Tree, pred: usize) -> Option<Mood> {
    let w = &tree.words[pred];
    let lemma = tree.lemma(pred);
    if tree.negated(pred) || tree.conditional(pred) || is_term(tree, pred) {
        return None;
    }
    match w.upos {
        "VERB" => {}
        "NOUN" | "PROPN" if predicate::is_event_noun(w) => {}
        _ => return None,
    }
    // (A verb with a copula is the tree's mistake for a passive: "who was
    // summoned".)
    if kind::STATIVE.contains(&lemma.as_str())
        || (w.upos != "VERB" && tree.child(pred, &["cop"]).is_some())
    {
        return None;
    }
    // A generic present passive is no news ("those who are repatriated are
    // executed").
    // (The tree may call the auxiliary a copula: "who are repatriated".)
    if tree.words[pred].xpos != "VBG"
        && tree.children_with(pred, &["aux", "cop"]).any(|c| {
            matches!(
                tree.words[c].form.to_lowercase().as_str(),
                "are" | "is" | "am" | "be"
            )
        })
        && tree.modal(pred).is_none()
    {
        return None;
    }
    match tree.modal(pred).as_deref() {
        Some("will" | "would" | "shall" | "'ll") => return Some(Mood::Planned),
        Some(_) => return None,
        None => {}
    }
    // A participle or clause under an unreal verb is unreal too ("should have
    // taken firmer action beyond merely protesting").
    let mut at = pred;
    while matches!(tree.base(at), "advcl" | "xcomp" | "acl") {
        let Some(h) = tree.head(at) else { break };
        if tree.negated(h)
            || tree
                .modal(h)
                .is_some_and(|m| !matches!(m.as_str(), "will" | "'ll"))
        {
            return None;
        }
        at = h;
    }
    if tree.infinitive(pred) {
        let head = tree.head(pred).map(|h| tree.lemma(h)).unwrap_or_default();
        if PLANNING.contains(&head.as_str()) {
            return Some(Mood::Planned);
        }
        // "managed to get into the building", "prompted China to clamp down",
        // "were allowed to fly": done, when the verb above is in the past.
        if IMPLICATIVE.contains(&head.as_str()) && tree.head(pred).is_some_and(|h| past(tree, h)) {
            return Some(Mood::Happened);
        }
        // "urged China not to repatriate them", "allowed to fly": the event is
        // the urging or the allowing, told by its own verb.
        return None;
    }
    // "is due in Beijing on Monday", "are to meet".
    if lemma == "due" {
        return Some(Mood::Planned);
    }
    Some(Mood::Happened)
}

/// Prepositions that make a date a bound of the event rather than its time:
/// "completed by Dec. 15", "arrested since 1990", "searched until Friday",
/// "held through May", "before Monday".
const BOUNDING: &[&str] = &[
    "since",
    "by",
    "until",
    "till",
    "through",
    "throughout",
    "before",
    "after",
    "pending",
];

/// First words of two-word bounds: "as of Sept. 30", "prior to", "ahead of",
/// "up to".
const BOUNDING_PAIRS: &[&str] = &["as", "prior", "ahead", "up"];

/// Whether the date expression at characters `a..b` is told as a bound of its
/// event ("by Dec. 15", "since 1990"), not as when it happened: no event is on
/// that date. (A start is a time: "from March 30" stays.)
pub(super) fn bounds(tree: &Tree, a: usize, b: usize) -> bool {
    let Some(first) = tree.first_within(a, b) else {
        return false;
    };
    let form = |i: usize| tree.words[i].form.to_lowercase();
    let marker = |i: usize| BOUNDING.contains(&form(i).as_str());
    // The word before the expression, or the pair before it ("as of"), or a
    // case marker the tree gives its head.
    let before = first.checked_sub(1).is_some_and(|p| {
        marker(p)
            || matches!(form(p).as_str(), "of" | "to")
                && p.checked_sub(1)
                    .is_some_and(|q| BOUNDING_PAIRS.contains(&form(q).as_str()))
    });
    before
        || tree.head_within(a, b).is_some_and(|h| {
            tree.children_with(h, &["case", "mark"])
                .any(|c| c < first && marker(c))
        })
}

/// Whether a verb is in the past: a past tense, or a participle with a past or
/// perfect auxiliary ("were allowed", "has prompted").
pub(super) fn past(tree: &Tree, v: usize) -> bool {
    match tree.words[v].xpos {
        "VBD" => true,
        "VBN" => tree.children_with(v, &["aux"]).any(|c| {
            matches!(
                tree.words[c].form.to_lowercase().as_str(),
                "was" | "were" | "had" | "has" | "have" | "been"
            )
        }),
        _ => false,
    }
}

/// Whether a date expression that is a bare number ("1000", "2300") is a year
/// by the grammar: after a preposition ("in 1406", "since 1990"), before a
/// name ("the 1961 Vienna Convention") or in a date ("May 1987"). A count, a
/// price or a time of day is not.
pub(super) fn bare_number_is_a_year(tree: &Tree, t: &Timex, a: usize, b: usize) -> bool {
    if !t.text.bytes().all(|c| c.is_ascii_digit()) {
        return true;
    }
    let Some(i) = tree.first_within(a, b) else {
        return false;
    };
    // Out of the years news mostly tells, a number is a year only after "in",
    // "since" or "of" and before no word it counts or times ("by 1000 London
    // time", "1500 campus users", "from 1700 to 2100 local time").
    let year: u32 = t.text.parse().unwrap_or(0);
    if !(1900..=2100).contains(&year) {
        let before = i
            .checked_sub(1)
            .map(|p| tree.words[p].form.to_lowercase())
            .unwrap_or_default();
        let after_counts = tree
            .words
            .get(i + 1)
            .is_some_and(|w| matches!(w.upos, "NOUN" | "PROPN" | "NUM" | "ADJ" | "ADP"));
        return matches!(before.as_str(), "in" | "since" | "of") && !after_counts;
    }
    let prep = tree.children_with(i, &["case"]).next().is_some()
        || i.checked_sub(1).is_some_and(|p| {
            matches!(
                tree.words[p].form.to_lowercase().as_str(),
                "in" | "since"
                    | "by"
                    | "until"
                    | "till"
                    | "from"
                    | "during"
                    | "of"
                    | "to"
                    | "before"
                    | "after"
                    | "through"
                    | "the"
                    | "early"
                    | "late"
                    | "mid"
            )
        });
    prep && matches!(
        tree.base(i),
        "obl" | "nmod" | "compound" | "nummod" | "amod" | "conj"
    )
}
