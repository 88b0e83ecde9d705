//! Extraction: an article's text and publication date become proposed events.
//!
//! ```text
//! text ─▶ sentences ─▶ per sentence with a date or an act: parse ─▶ per date
//!          expression: the predicate it modifies (kind, title, place, mood);
//!          undated acts take the discourse's date ─▶ proposals
//!        ─▶ merged (same kind, date and mission, overlapping countries)
//! ```
//!
//! Each date expression dates the predicate it modifies in the sentence's
//! dependency tree ([`predicate::governed`]): in "officials said police dragged
//! two men out on Wednesday" the event is the dragging. The predicate is the
//! event's trigger; its lemma and arguments give the kind ([`kind`]), its phrase
//! the title ([`title`]) and the place (a mission or city among its own words,
//! not the speaker's). Negated, conditional, hypothetical and stative predicates
//! are not events; future ones are planned (`mood`).
//!
//! A sentence without a date of its own takes the last day stated before it for
//! the acts of known kinds it reports ([`acts`]): always within its paragraph;
//! beyond it when it names a place, people or a mission and reports something
//! other than a statement, or goes on in time ("then", "Meanwhile"); in the lede,
//! the story's first date (`carry`).
//!
//! Every proposal keeps, per source, the index of the date expression its date
//! comes from in the article's list of [`Timex`]es: re-resolving that list against a
//! corrected publication date ([`timex::resolve`]) gives the new date.

pub mod anchoring;
pub mod confidence;
mod discourse;
pub mod kind;
mod merge;
pub mod mission;
mod mood;
pub mod predicate;
mod reading;
pub mod title;
pub mod tree;

use chrono::NaiveDate;
use serde::Serialize;

use crate::date::{EventDate, Precision};
use crate::event::{EventKind, TextSpan};
use crate::gazetteer::{Gazetteer, Mention, PlaceKind};
use crate::intake::Head;
use crate::mission::MissionKind;
use crate::sentence::{self, Sentence};
use crate::syntax::{self, Word};
use crate::timex::{self, Anchor, Timex, TimexType};
pub use confidence::Evidence;

use discourse::{acts, carry, names_an_act};
use mood::{bare_number_is_a_year, bounds, mood, newsworthy, Mood};
use reading::{repeated, Context, Reading};
use tree::Tree;

pub use mission::MissionRef;

/// One sentence a proposal was read in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProposalSource {
    /// Unicode character offsets of the sentence in the article text.
    pub sentence_start: usize,
    pub sentence_end: usize,
    pub quote: String,
    /// Index of the date expression (in [`Extraction::timexes`]) the date comes from.
    pub timex: usize,
    /// That expression as written.
    pub date_text: String,
    /// Whether the sentence states the date or it was carried over from before.
    pub carried: bool,
    /// The word the event was read from: the predicate the date modifies, or the
    /// sentence's main predicate when the date was carried over.
    pub trigger: Option<TextSpan>,
}

/// A proposed event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Proposal {
    pub title: String,
    pub kind: EventKind,
    pub date: EventDate,
    /// Countries involved, alpha-2, sorted.
    pub countries: Vec<String>,
    pub mission: Option<MissionRef>,
    /// Where it happened.
    pub city: Option<String>,
    pub country: Option<String>,
    /// How sure the reading is: see [`confidence`].
    pub confidence: f64,
    /// What the reading found, from which `confidence` comes.
    #[serde(skip)]
    pub evidence: Evidence,
    /// Context rather than news: "the 1961 Vienna Convention".
    pub background: bool,
    /// Announced or expected, not (yet) happened: "is due in Beijing on Monday".
    pub planned: bool,
    pub sources: Vec<ProposalSource>,
}

/// What extraction makes of one article.
#[derive(Debug, Clone, Serialize)]
pub struct Extraction {
    pub timexes: Vec<Timex>,
    pub proposals: Vec<Proposal>,
}

/// Proper nouns a year can name: "the 1961 Vienna Convention", "the 1950-53 Korean War".
const NAMED_THINGS: &[(&str, EventKind)] = &[
    ("Convention", EventKind::Treaty),
    ("Treaty", EventKind::Treaty),
    ("Accord", EventKind::Treaty),
    ("Agreement", EventKind::Treaty),
    ("Protocol", EventKind::Treaty),
    ("Charter", EventKind::Treaty),
    ("War", EventKind::Conflict),
    ("Uprising", EventKind::Conflict),
    ("Revolution", EventKind::Conflict),
    ("Crisis", EventKind::Conflict),
];

/// Whether a date expression is usable as an event's date.
fn is_dated(t: &Timex) -> bool {
    matches!(t.kind, TimexType::Date | TimexType::Time) && t.date.is_some()
}

/// "the 1961 Vienna Convention": a year naming a thing, and the thing's kind and name.
fn named_thing(text: &str, t: &Timex, byte_end: usize) -> Option<(EventKind, String)> {
    if !matches!(t.date.map(|d| d.precision()), Some(Precision::Year)) {
        return None;
    }
    let rest = text.get(byte_end..)?;
    let words: Vec<&str> = rest
        .split_whitespace()
        .take(4)
        .take_while(|w| w.chars().next().is_some_and(char::is_uppercase))
        .collect();
    for (n, w) in words.iter().enumerate() {
        let w = w.trim_end_matches(|c: char| !c.is_alphanumeric());
        if let Some((_, kind)) = NAMED_THINGS.iter().find(|(name, _)| *name == w) {
            let name: Vec<&str> = words[..=n]
                .iter()
                .map(|w| w.trim_end_matches(|c: char| !c.is_alphanumeric()))
                .collect();
            return Some((*kind, name.join(" ")));
        }
    }
    None
}

/// Byte offset of each Unicode character offset, for the timex spans.
fn char_to_byte(text: &str) -> Vec<usize> {
    let mut v: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    v.push(text.len());
    v
}

/// Extracts the proposed events of an article.
pub fn extract(text: &str, head: &Head, dct: Option<NaiveDate>) -> Extraction {
    let timexes = timex::tag(text, dct);
    let proposals = propose(text, head, &timexes);
    Extraction { timexes, proposals }
}

/// Whether an article's first line reads as a headline rather than as its
/// first sentence: headlines are short and end without a full stop ("China,
/// Japan In Diplomatic Row Over N. Korean Defectors"); a line of eight words
/// or more ending in one ("Pacific First Financial Corp. said shareholders
/// approved ...") is the lede, and its events count.
fn is_headline(line: &str) -> bool {
    let line = line.trim();
    let words = line.split_whitespace().count();
    let stop = line
        .trim_end_matches(['"', '\'', ')', '\u{201D}', '\u{2019}'])
        .ends_with('.');
    // (A headline may end on an abbreviation: "... Talks With U.S.")
    let last = line.split_whitespace().last().unwrap_or("");
    let abbreviation = last.len() <= 4 && last.matches('.').count() > 1;
    words <= 40 && !(stop && words >= 8 && !abbreviation)
}

/// Bytes a sentence may have beyond its head lines and still be the head
/// ("By " and " | " around byline and dateline).
const HEAD_SLACK: usize = 12;

/// Proposals from a text and its (already resolved) date expressions.
pub fn propose(text: &str, head: &Head, timexes: &[Timex]) -> Vec<Proposal> {
    // Import refuses an article when the model does not load (it is a file
    // beside the program); here, without it, nothing can be read.
    let Ok(model) = syntax::model() else {
        return Vec::new();
    };
    let g = Gazetteer::get();
    let places = g.find(text);
    let missions = mission::find(text, &places);
    let sentences = sentence::split(text);
    // Character offsets to bytes: the same in ASCII text, else a table.
    let bytes_of = if text.is_ascii() {
        Vec::new()
    } else {
        char_to_byte(text)
    };
    let byte = |c: usize| match bytes_of.get(c) {
        Some(&b) => b,
        None if bytes_of.is_empty() => c.min(text.len()),
        None => text.len(),
    };
    // The head (title, byline, dateline) reports no event.
    let head_lines = [
        Some(head.title.as_str()).filter(|t| is_headline(t)),
        head.byline.as_deref(),
        head.dateline.as_deref(),
    ];
    // A sentence is the head when it is a head line and little more; a lede that
    // opens with its dateline ("SEOUL, May 10, 2002 - Five North Koreans ...")
    // is news, only its dateline is not.
    let body_from = sentences
        .iter()
        .take(3)
        .filter(|s| {
            // What is left of the sentence once its head lines are taken out.
            let mut rest = s.text(text).trim().to_string();
            let mut any = false;
            for h in head_lines.iter().flatten().filter(|h| !h.is_empty()) {
                if rest.contains(h) {
                    rest = rest.replacen(h, "", 1);
                    any = true;
                }
            }
            any && rest.len() <= HEAD_SLACK
        })
        .map(|s| s.byte_end)
        .max()
        .unwrap_or(0);
    // The dateline at the start of the lede: its date is the publication's, not
    // an event's.
    let dateline_bytes: Option<(usize, usize)> = head.dateline.as_deref().and_then(|d| {
        let s = sentences.iter().find(|s| s.byte_end > body_from)?;
        let sent = s.text(text);
        let lead = sent.len() - sent.trim_start().len();
        sent.trim_start()
            .starts_with(d)
            .then(|| (s.byte_start, s.byte_start + lead + d.len()))
    });
    let in_dateline =
        |t: &Timex| dateline_bytes.is_some_and(|(a, b)| byte(t.start) >= a && byte(t.start) < b);

    // The lede (the first paragraph of the body) reports the story's news, often
    // before any date; the story's date is the first day the body states.
    let lede_paragraph = sentences
        .iter()
        .find(|s| s.byte_end > body_from)
        .map_or(0, |s| s.paragraph);
    let story_date = timexes.iter().position(|t| {
        byte(t.start) >= body_from
            && !in_dateline(t)
            && is_dated(t)
            && t.date.is_some_and(|d| d.precision() >= Precision::Day)
    });

    // Each proposal, and whether its date was carried over from another paragraph.
    let mut out: Vec<(Proposal, Extra)> = Vec::new();
    let mut last_date: Option<(usize, usize)> = None; // (timex index, paragraph)
    let mut last_mission: Option<(MissionRef, usize)> = None;
    // The last subject named with a noun, and whether it is plural: what a
    // pronoun subject stands for.
    let mut last_subject: Option<(String, bool)> = None;
    let mut ti = 0usize;
    let mut pi = 0usize;
    let mut mi = 0usize;
    let mut plans: Vec<Plan> = Vec::new();
    for s in &sentences {
        if s.byte_end <= body_from {
            continue;
        }
        let sent = s.text(text);
        // The sentence's date expressions, places and missions.
        while ti < timexes.len() && byte(timexes[ti].start) < s.byte_start {
            ti += 1;
        }
        let mut in_sentence: Vec<usize> = Vec::new();
        let mut k = ti;
        while k < timexes.len() && byte(timexes[k].start) < s.byte_end {
            if !in_dateline(&timexes[k]) {
                in_sentence.push(k);
            }
            k += 1;
        }
        while pi < places.len() && places[pi].start < s.byte_start {
            pi += 1;
        }
        let mut sent_places: Vec<&Mention> = places[pi..]
            .iter()
            .take_while(|m| m.start < s.byte_end)
            .collect();
        while mi < missions.len() && missions[mi].start < s.byte_start {
            mi += 1;
        }
        let sent_missions: Vec<&MissionRef> = missions[mi..]
            .iter()
            .take_while(|m| m.start < s.byte_end)
            .collect();

        // Background: "the 1961 Vienna Convention".
        let mut event_dates: Vec<usize> = Vec::new();
        let mut named: Vec<(usize, usize)> = Vec::new(); // byte spans of named things
        for &k in &in_sentence {
            let t = &timexes[k];
            if !is_dated(t) {
                continue;
            }
            let preceded_by_the = text[..byte(t.start)].trim_end().ends_with("the");
            match named_thing(text, t, byte(t.end)).filter(|_| preceded_by_the) {
                Some((kind, name)) => {
                    let date = t.date.unwrap_or_else(|| unreachable!());
                    let name_end =
                        byte(t.end) + text[byte(t.end)..].find(&name).unwrap_or(0) + name.len();
                    named.push((byte(t.start), name_end));
                    let from = places.partition_point(|m| m.start < byte(t.start));
                    let countries: Vec<String> = places[from..]
                        .iter()
                        .take_while(|m| m.start < name_end)
                        .filter(|m| m.end <= name_end)
                        .filter(|m| !matches!(m.kind, PlaceKind::City { .. }))
                        .map(|m| m.country.to_string())
                        .collect();
                    let derived = Evidence {
                        stated: true,
                        absolute: t.anchor == Anchor::Absolute,
                        derived: true,
                        coarse: true,
                        deictic: confidence::is_deictic(t),
                        ..Evidence::default()
                    };
                    // The trigger is the name's last word ("Convention").
                    let last = name.rsplit(' ').next().unwrap_or(&name);
                    let last_end = name_end;
                    let last_start = name_end - last.len();
                    let chars = |b: usize| text[..b].chars().count() as u32;
                    let mut src = source(s, sent, k, t, false);
                    src.trigger = Some(TextSpan {
                        start: chars(last_start),
                        end: chars(last_end),
                    });
                    out.push((
                        Proposal {
                            title: format!("{} {name}", t.text),
                            kind,
                            date,
                            countries: sorted(countries),
                            mission: None,
                            city: None,
                            country: None,
                            confidence: confidence::confidence(&derived),
                            evidence: derived,
                            background: true,
                            planned: false,
                            sources: vec![src],
                        },
                        Extra::default(),
                    ));
                }
                None => event_dates.push(k),
            }
        }

        // "Vienna" in "the 1961 Vienna Convention" is not where the sentence's
        // event happened.
        sent_places.retain(|m| !named.iter().any(|&(a, b)| m.start >= a && m.end <= b));

        // Parse what can hold an event: a sentence with a date of its own, or one
        // that could take the date of the discourse and names an act.
        // (As `carry` decides, less the kind: no date to take, no parse.)
        let may_carry = last_date.is_some_and(|(_, p)| p == s.paragraph)
            || (s.paragraph == lede_paragraph && story_date.is_some())
            || (last_date.is_some() && (!sent_places.is_empty() || !sent_missions.is_empty()));
        let paragraph_mission = last_mission
            .as_ref()
            .filter(|(_, p)| *p == s.paragraph)
            .map(|(m, _)| m.clone());
        let recent_mission = last_mission.as_ref().map(|(m, _)| m.clone());
        let last_date_here = last_date;
        if !sent_missions.is_empty() {
            last_mission = sent_missions.last().map(|m| ((*m).clone(), s.paragraph));
        }
        if let Some(&k) = event_dates.last() {
            if timexes[k]
                .date
                .is_some_and(|d| d.precision() >= Precision::Day)
            {
                last_date = Some((k, s.paragraph));
            }
        }
        if event_dates.is_empty() && !(may_carry && names_an_act(sent)) {
            continue;
        }
        plans.push(Plan {
            sentence: s,
            in_sentence,
            places: sent_places,
            missions: sent_missions,
            event_dates,
            paragraph_mission,
            recent_mission,
            last_date: last_date_here,
        });
    }

    // Parse the sentences that need it, on every core.
    let parsed = parse_all(model, text, &plans, lede_paragraph);

    for (plan, words) in plans.iter().zip(parsed) {
        let s = plan.sentence;
        let sent = s.text(text);
        let in_sentence = &plan.in_sentence;
        let sent_places = &plan.places;
        let sent_missions = &plan.missions;
        let event_dates = &plan.event_dates;
        let paragraph_mission = &plan.paragraph_mission;
        let recent_mission = &plan.recent_mission;
        let last_date = plan.last_date;
        let ctx = Context {
            text,
            sentence: s,
            places: sent_places,
            missions: sent_missions,
            byte: &byte,
        };
        let tree = Tree::new(&words);
        // Words of the sentence's date expressions: a title leaves them out.
        let hidden: Vec<bool> = words
            .iter()
            .map(|w| {
                in_sentence.iter().any(|&k| {
                    let t = &timexes[k];
                    s.start + w.start < t.end && t.start < s.start + w.end
                })
            })
            .collect();
        let antecedent = last_subject.as_ref().map(|(t, p)| (t.as_str(), *p));

        // Each date dates the predicate it modifies.
        let mut taken: Vec<usize> = Vec::new();
        // The proposal each date of the sentence made (its index in `out`).
        let mut made: Vec<(usize, usize)> = Vec::new();
        for &k in event_dates {
            let t = &timexes[k];
            let (a, b) = (
                t.start.saturating_sub(s.start),
                t.end.saturating_sub(s.start),
            );
            // The predicate the date dates: the model's choice where it is sure,
            // else the rule's (see `anchoring`).
            let governed = anchoring::choose(&tree, a, b);
            // A date told as a bound ("leave by midnight tonight") dates no
            // event, not even one told before it.
            if bounds(&tree, a, b) {
                continue;
            }
            // "..., with a third man following suit the next day": a date counted
            // from one of the sentence's events, where the tree gives no act of
            // its own, is the same act again.
            if governed.is_none_or(|p| taken.contains(&p) || mood(&tree, p).is_none()) {
                if let Some(&(_, i)) = made
                    .iter()
                    .find(|&&(k0, _)| t.anchor == (timex::Anchor::Previous { index: k0 }))
                {
                    let again = repeated(&out[i], &tree, &hidden, sent, (k, t), s, a);
                    out.push(again);
                }
                continue;
            }
            // (Checked above: a predicate not taken, in a mood.)
            let Some((pred, mood)) = governed.and_then(|p| Some((p, mood(&tree, p)?))) else {
                continue;
            };
            if !bare_number_is_a_year(&tree, t, a, b)
                || !newsworthy(&tree, pred, tree.head_within(a, b))
            {
                continue;
            }
            taken.push(pred);
            let holder = date_holder(&tree, pred, a, b);
            let before = made
                .last()
                .map(|&(_, i)| (out[i].0.kind, &out[i].0.mission));
            let p = ctx.proposal(&Reading {
                tree: &tree,
                pred,
                skip: holder,
                timex: (k, t),
                carried: None,
                planned: mood == Mood::Planned,
                hidden: &hidden,
                antecedent,
                paragraph_mission: paragraph_mission.as_ref(),
                recent_mission: recent_mission.as_ref(),
                before,
            });
            if let Some(p) = p {
                made.push((k, out.len()));
                out.push(p);
            }
        }

        // A sentence without a date of its own: its acts take the discourse's.
        if event_dates.is_empty() {
            for (pred, kind) in acts(&tree) {
                let carried = carry(
                    kind,
                    sent,
                    s.paragraph,
                    last_date,
                    (s.paragraph == lede_paragraph)
                        .then_some(story_date)
                        .flatten(),
                    !sent_places.is_empty()
                        || !sent_missions.is_empty()
                        || paragraph_mission.is_some(),
                );
                let Some((k, same_paragraph)) = carried else {
                    continue;
                };
                let p = ctx.proposal(&Reading {
                    tree: &tree,
                    pred,
                    skip: None,
                    timex: (k, &timexes[k]),
                    carried: Some(same_paragraph),
                    planned: mood(&tree, pred) == Some(Mood::Planned),
                    hidden: &hidden,
                    antecedent,
                    paragraph_mission: paragraph_mission.as_ref(),
                    recent_mission: recent_mission.as_ref(),
                    before: None,
                });
                out.extend(p);
            }
            // "asylum-seekers at the U.S. and German embassies": people who
            // entered a mission, an entry at each.
            let carried = carry(
                EventKind::Entry,
                sent,
                s.paragraph,
                last_date,
                (s.paragraph == lede_paragraph)
                    .then_some(story_date)
                    .flatten(),
                true,
            );
            if let Some((k, same_paragraph)) = carried {
                for (noun, m) in ctx.seekers(&tree) {
                    let Some(mut p) = ctx.proposal(&Reading {
                        tree: &tree,
                        pred: noun,
                        skip: None,
                        timex: (k, &timexes[k]),
                        carried: Some(same_paragraph),
                        planned: false,
                        hidden: &hidden,
                        antecedent,
                        paragraph_mission: None,
                        recent_mission: None,
                        before: None,
                    }) else {
                        continue;
                    };
                    // With its compound: "asylum-seekers".
                    let from = tree
                        .children_with(noun, &["compound"])
                        .filter(|&c| c < noun)
                        .min()
                        .unwrap_or(noun);
                    let who = tree.text_of(&(from..=noun).collect::<Vec<_>>());
                    let mut chars = who.chars();
                    let who: String = match chars.next() {
                        Some(c) => c.to_uppercase().chain(chars).collect(),
                        None => continue,
                    };
                    p.0.title = format!("{who} at the {}", m.name());
                    p.0.kind = EventKind::Entry;
                    p.0.city = m.city.map(String::from);
                    p.0.country = m.host.map(String::from);
                    p.0.countries = sorted(
                        p.0.countries
                            .iter()
                            .cloned()
                            .chain(m.country.map(String::from))
                            .chain(m.host.map(String::from))
                            .collect(),
                    );
                    p.0.mission = Some(m);
                    out.push(p);
                }
            }
        }

        if let Some(main) = predicate::main_predicate(&words) {
            if let Some(subject) = tree.subject(main) {
                if let Some(m) = title::mention(&tree, subject) {
                    last_subject = Some((m, title::is_plural(&tree, subject)));
                }
            }
        }
    }
    merge::merge(out)
}

/// A sentence to read: what the text around it tells, decided before parsing.
struct Plan<'a> {
    sentence: &'a Sentence,
    /// Its date expressions (indices), outside the dateline.
    in_sentence: Vec<usize>,
    places: Vec<&'a Mention>,
    missions: Vec<&'a MissionRef>,
    /// The date expressions that can date events (not "the 1961 Vienna
    /// Convention").
    event_dates: Vec<usize>,
    /// The mission its paragraph is about so far.
    paragraph_mission: Option<MissionRef>,
    /// The mission named last before this sentence, anywhere in the article.
    recent_mission: Option<MissionRef>,
    /// The last day stated before it: timex index and paragraph.
    last_date: Option<(usize, usize)>,
}

/// Parses the planned sentences, spread over the machine's cores (each
/// sentence's parse is its own: the model is shared, read-only). Place names
/// are tagged proper nouns; a wire prefix in the lede is left out.
fn parse_all(model: &syntax::Model, text: &str, plans: &[Plan], lede: usize) -> Vec<Vec<Word>> {
    let parse = |plan: &Plan| -> Vec<Word> {
        let s = plan.sentence;
        let sent = s.text(text);
        // A wire story's lede opens with its source or dateline ("BEIJING
        // (Reuters) - "): not part of the sentence's grammar.
        let skip = if s.paragraph == lede {
            wire_prefix(sent)
        } else {
            0
        };
        // Names of places are proper nouns wherever they stand.
        let names: Vec<(usize, usize)> = plan
            .places
            .iter()
            .filter(|m| !matches!(m.kind, PlaceKind::Demonym))
            .map(|m| (m.start - s.byte_start, m.end.min(s.byte_end) - s.byte_start))
            .filter(|&(a, _)| a >= skip)
            .map(|(a, b)| (a - skip, b - skip))
            .collect();
        let mut words = read_words(model, &sent[skip..], &names);
        if skip > 0 {
            let shift = sent[..skip].chars().count();
            for w in &mut words {
                w.start += shift;
                w.end += shift;
            }
        }
        words
    };
    // (An import prepares articles on every core already; only a long article
    // is worth spreading itself.)
    crate::parallel::map_ordered(plans.iter().collect(), 32, parse)
}

/// The byte length of a wire prefix at the start of a lede sentence ("BEIJING,
/// May 10 (Reuters) - ", "Pacific Rim Bureau ( - "): text before a dash, near the
/// start, in which every word is capitalized, a number or punctuation.
fn wire_prefix(sentence: &str) -> usize {
    let mut end = sentence.len().min(120);
    while !sentence.is_char_boundary(end) {
        end -= 1;
    }
    let head = &sentence[..end];
    let Some((at, dash)) = [" - ", " -- ", " \u{2014} ", " \u{2013} ", "\u{2014}"]
        .iter()
        .filter_map(|d| head.find(d).map(|i| (i, d.len())))
        .min()
    else {
        return 0;
    };
    let prefix = &sentence[..at];
    let capitalized = prefix.split_whitespace().all(|w| {
        let w = w.trim_start_matches(|c: char| !c.is_alphanumeric());
        w.is_empty() || w.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
    });
    if capitalized && !prefix.trim().is_empty() {
        at + dash
    } else {
        0
    }
}

/// A sentence's words as extraction reads them: parsed with the given spans
/// (bytes) of place names as proper nouns, verbs the tagger took for nouns
/// tagged again, and the tree's known slips repaired.
fn read_words(model: &syntax::Model, sentence: &str, names: &[(usize, usize)]) -> Vec<Word> {
    let mut words = model.parse_sentence_hinted(sentence, names);
    if let Some(hints) = tree::retag(&words) {
        words = model.reparse(&words, &hints);
    }
    tree::repair(&mut words);
    words
}

/// Every sentence of `text` with its words as extraction reads them (place names
/// from the gazetteer as proper nouns; word offsets in characters from the
/// sentence's start). What the anchoring model is trained on, so that it learns
/// from the trees it will be given.
pub fn read_sentences(text: &str) -> Result<Vec<(Sentence, Vec<Word>)>, crate::Error> {
    let model = syntax::model()?;
    let places = Gazetteer::get().find(text);
    Ok(sentence::split(text)
        .into_iter()
        .map(|s| {
            let names: Vec<(usize, usize)> = places
                .iter()
                .filter(|m| m.start >= s.byte_start && m.start < s.byte_end)
                .filter(|m| !matches!(m.kind, PlaceKind::Demonym))
                .map(|m| (m.start - s.byte_start, m.end.min(s.byte_end) - s.byte_start))
                .collect();
            let words = read_words(model, s.text(text), &names);
            (s, words)
        })
        .collect())
}

/// The child of `pred` that holds the date expression at `a..b` ("on
/// Wednesday"): its words tell the time, not the place.
fn date_holder(tree: &Tree, pred: usize, a: usize, b: usize) -> Option<usize> {
    let mut at = tree.first_within(a, b)?;
    for _ in 0..tree.len() {
        let h = tree.head(at)?;
        if h == pred {
            return Some(at);
        }
        at = h;
    }
    None
}

/// What merging needs to know of a proposal beyond what it shows.
#[derive(Debug, Clone, Default)]
pub(crate) struct Extra {
    /// Its date was carried over from another paragraph.
    pub far: bool,
    /// It only points at an event ("Wednesday's incident").
    pub generic: bool,
    /// Who said it, for statements and protests: its subject's lemma.
    pub speaker: Option<String>,
}

fn source(s: &Sentence, sent: &str, k: usize, t: &Timex, carried: bool) -> ProposalSource {
    ProposalSource {
        sentence_start: s.start,
        sentence_end: s.end,
        quote: sent.to_string(),
        timex: k,
        date_text: t.text.clone(),
        carried,
        trigger: None,
    }
}

pub(crate) fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each proposal's date, kind and mission (sending@host), in order.
    fn missions(text: &str, dct: &str) -> Vec<String> {
        let d = NaiveDate::parse_from_str(dct, "%Y-%m-%d").ok();
        extract(text, &Head::default(), d)
            .proposals
            .iter()
            .map(|p| {
                let m = p.mission.as_ref().map_or("-".to_string(), |m| {
                    format!("{}@{}", m.country.unwrap_or("?"), m.host.unwrap_or("?"))
                });
                format!("{} {} {m}", p.date, p.kind.as_str())
            })
            .collect()
    }

    #[test]
    fn the_building_or_the_embassy_is_the_mission_the_article_spoke_of() {
        let text = "Siege ends\n\nLONDON, May 6, 1980 - Gunmen held the Iranian Embassy in \
                    London for six days.\n\nA police constable entered the building on April 30 \
                    with the visitors.";
        assert!(missions(text, "1980-05-06").contains(&"1980-04-30 entry IR@GB".to_string()));
        // Not an indefinite building, and not "the consulate" for an embassy.
        for other in [
            "A police constable entered a building on April 30.",
            "A police constable entered the consulate on April 30.",
        ] {
            let text = format!(
                "Siege ends\n\nLONDON, May 6, 1980 - Gunmen held the Iranian Embassy in \
                 London for six days.\n\n{other}"
            );
            let got = missions(&text, "1980-05-06");
            assert!(
                got.iter()
                    .all(|m| !m.starts_with("1980-04-30") || m.ends_with(" -")),
                "{other}: {got:?}"
            );
        }
    }

    /// The proposals of `text` published on `dct`.
    fn proposals(text: &str, dct: &str) -> Vec<Proposal> {
        let d = NaiveDate::parse_from_str(dct, "%Y-%m-%d").ok();
        extract(text, &Head::default(), d).proposals
    }

    fn titles(text: &str, dct: &str) -> Vec<String> {
        proposals(text, dct)
            .iter()
            .map(|p| format!("{} {} {}", p.date, p.kind.as_str(), p.title))
            .collect()
    }

    #[test]
    fn a_date_inside_what_was_said_or_expected_never_dates_the_saying() {
        // The parser reads "rose" as the flower here; the date still belongs to
        // what was said, not to the saying.
        for text in [
            "Hillsdown said capital expenditure rose in 1986 to 60 mln stg from 31.5 mln.",
            "Swissair said its overall load factor for January was steady at 58 pct.",
            "House of Fabrics Inc said it expects growth in earnings as the fiscal year 1987 \
             progresses.",
        ] {
            let got = titles(&format!("Story.\n\n{text}"), "1987-03-11");
            assert!(
                got.iter().all(|t| !t.contains(" statement ")),
                "{text}: {got:?}"
            );
        }
        // Its own date still dates it.
        let got = titles(
            "Story.\n\nIndonesian oil minister Subroto said today that OPEC production was \
             below its quota.",
            "1987-03-03",
        );
        assert!(
            got.iter()
                .any(|t| t.starts_with("1987-03-03 statement Indonesian oil minister")),
            "{got:?}"
        );
    }

    #[test]
    fn a_saying_whose_words_come_first_is_titled_with_them_or_not_at_all() {
        let got = titles(
            "Story.\n\nPolice arrested two Polish citizens near the border, local media \
             reports said on Tuesday.",
            "1987-03-05",
        );
        assert_eq!(
            got,
            ["1987-03-03 statement Local media reports said: Police arrested two Polish citizens \
              near the border"]
        );
        let got = titles(
            "Story.\n\n\"Many speculators have been bailing out this week,\" he added.",
            "1987-02-26",
        );
        assert!(got.iter().all(|t| !t.ends_with("He added")), "{got:?}");
    }

    #[test]
    fn adding_a_thing_is_no_saying_and_the_words_between_two_dates_go_with_them() {
        let got = titles(
            "Story.\n\nBetween 1984 and 1986, reorganizations added almost 9,000 new persons \
             to the payment rolls.",
            "1987-04-01",
        );
        assert!(!got.is_empty(), "{got:?}");
        for t in &got {
            assert!(
                t.contains(" other Reorganizations added almost 9,000"),
                "{t}"
            );
        }
    }

    #[test]
    fn a_wish_or_a_guess_is_not_a_plan() {
        let planned = |text: &str| -> Vec<String> {
            proposals(&format!("Story.\n\n{text}"), "1987-03-20")
                .iter()
                .map(|p| format!("{} {} {}", p.date, p.planned, p.title))
                .collect()
        };
        for wish in [
            "The company hopes to redeem more debt this year.",
            "Palm oil production is likely to drop sharply this year.",
            "The bank wants to sell the unit in June.",
        ] {
            assert_eq!(planned(wish), Vec::<String>::new(), "{wish}");
        }
        let got = planned("The company plans to redeem the notes on May 1.");
        assert!(
            got.iter()
                .any(|t| t.starts_with("1987-05-01 true The company")),
            "{got:?}"
        );
    }

    #[test]
    fn a_title_whose_subject_is_a_pronoun_nobody_stands_for_is_not_proposed() {
        for text in [
            "It matures on the same day in 1992.",
            "Its board declared a dividend on Friday.",
            "\"We told analysts on Monday that nothing changes,\" a spokesman said.",
        ] {
            let got = titles(&format!("Story.\n\n{text}"), "1987-04-08");
            assert!(
                got.iter()
                    .all(|t| !t.contains(" It ") && !t.contains(" Its ") && !t.contains(" We ")),
                "{text}: {got:?}"
            );
        }
    }

    #[test]
    fn a_noun_is_an_event_by_what_it_names_not_by_its_ending() {
        let word = |lemma: &str| syntax::Word {
            form: lemma.to_string(),
            lemma: lemma.to_string(),
            upos: "NOUN",
            xpos: "NN",
            head: 0,
            deprel: "root",
            start: 0,
            end: lemma.len(),
            space_after: false,
        };
        for event in [
            "occupation",
            "withdrawal",
            "meeting",
            "evacuation",
            "signing",
        ] {
            assert!(predicate::is_event_noun(&word(event)), "{event}");
        }
        for thing in [
            "government",
            "commission",
            "requirement",
            "expenditure",
            "department",
        ] {
            assert!(!predicate::is_event_noun(&word(thing)), "{thing}");
        }
    }

    #[test]
    fn a_dated_report_becomes_a_proposal() {
        assert_eq!(
            titles(
                "Story.\n\nOn Wednesday, police arrested three men in Beijing.",
                "2002-05-10"
            ),
            ["2002-05-08 arrest Police arrested three men in Beijing"]
        );
    }

    /// Each proposal's date and the word its date was given to.
    fn triggers(text: &str, dct: &str) -> Vec<String> {
        let d = NaiveDate::parse_from_str(dct, "%Y-%m-%d").ok();
        let chars: Vec<char> = text.chars().collect();
        let chars = &chars;
        extract(text, &Head::default(), d)
            .proposals
            .iter()
            .flat_map(|p| {
                p.sources.iter().map(move |s| {
                    let word: String = s.trigger.map_or_else(String::new, |t| {
                        chars[t.start as usize..t.end as usize].iter().collect()
                    });
                    format!("{} {word}", p.date)
                })
            })
            .collect()
    }

    #[test]
    fn a_saying_dated_after_what_was_said_is_a_statement_of_that_day() {
        assert_eq!(
            triggers(
                "Story.\n\nThe talks have been renewed, a Justice official said Thursday.",
                "2000-02-11"
            ),
            ["2000-02-10 said"]
        );
        // Told right after the saying, with what was said after it.
        assert_eq!(
            triggers(
                "Story.\n\nPresident Fidel Castro said Tuesday his government told U.S. \
                 officials it is worried.",
                "2000-03-30"
            ),
            ["2000-03-28 said"]
        );
        // A date inside what was said still dates what was said, not the saying.
        assert_eq!(
            triggers(
                "Story.\n\nA Justice official said the talks were renewed on Thursday.",
                "2000-02-11"
            ),
            ["2000-02-10 renewed"]
        );
    }

    #[test]
    fn a_date_told_as_a_bound_dates_no_event() {
        for bound in [
            "The sale will be completed by Dec. 15.",
            "Kopp has been arrested several times since 1990.",
            "Reserves stood at $300 million as of Sept. 30.",
            "Police searched the house until Friday.",
        ] {
            let text = format!("Story.\n\n{bound}");
            assert!(triggers(&text, "1989-11-01").is_empty(), "{bound}");
        }
        // A start is a time.
        assert_eq!(
            triggers(
                "Story.\n\nTwo new flights will leave Bombay from March 30.",
                "1998-02-13"
            ),
            ["1998-03-30 leave"]
        );
    }

    #[test]
    fn terms_and_figures_are_not_events() {
        for text in [
            "The agency is issuing a 12 billion yen eurobond due March 31, 1994.",
            "All Corona warrants expiring Aug 31 will be redeemed.",
            "The period ended February 28.",
            "Ecuador reported a 1.8 pct rise in consumer prices in January.",
        ] {
            let got = triggers(&format!("Story.\n\n{text}"), "1987-03-02");
            assert!(got.is_empty(), "{text}: {got:?}");
        }
        // An act still is: "released this month".
        assert_eq!(
            triggers(
                "Story.\n\nThe company released new drawings of the park this month.",
                "1989-10-27"
            ),
            ["1989-10 released"]
        );
    }

    #[test]
    fn a_date_inside_a_report_set_off_by_he_said_is_not_the_sayings() {
        assert!(triggers(
            "Story.\n\nLast year, he said, the mills closed two plants.",
            "1987-03-02"
        )
        .iter()
        .all(|t| !t.ends_with("said")));
        // A saying of its own day, told first, is one.
        assert_eq!(
            triggers(
                "Story.\n\nOn Friday, the minister said that the talks would resume.",
                "1987-03-02"
            ),
            ["1987-02-27 said"]
        );
    }

    #[test]
    fn a_date_told_before_the_subject_dates_the_clause() {
        assert_eq!(
            triggers(
                "Story.\n\nEarlier Sunday, protesters prayed for help outside the church.",
                "2000-04-17"
            ),
            ["2000-04-16 prayed"]
        );
    }

    #[test]
    fn a_first_line_that_is_a_sentence_is_the_lede_not_a_headline() {
        let text = "Pacific First Financial Corp. said shareholders approved its \
                    acquisition by Royal Trustco Ltd. of Toronto on Friday.\n\nThe \
                    price was $27 a share.";
        let head = crate::intake::read_head(text);
        let d = NaiveDate::from_ymd_opt(1989, 11, 1);
        let got: Vec<String> = extract(text, &head, d)
            .proposals
            .iter()
            .map(|p| p.date.to_string())
            .collect();
        assert_eq!(got, ["1989-10-27"]);
        // A headline is still no event, dated or not.
        assert!(is_headline(
            "Japan protests to China on Friday over consulate raid"
        ));
        assert!(!is_headline(
            "Pacific First Financial Corp. said shareholders approved its acquisition."
        ));
    }

    #[test]
    fn an_event_noun_takes_a_date_told_without_a_preposition() {
        assert_eq!(
            triggers(
                "Story.\n\nThousands of people joined a rally Saturday in Havana.",
                "2000-04-03"
            ),
            ["2000-04-01 joined"]
        );
        assert_eq!(
            triggers(
                "Story.\n\nInvestigators studied the 1998 bombing of the clinic.",
                "2000-04-03"
            ),
            ["1998 bombing"]
        );
        // Not a noun that names no event: "the 1986 net profit".
        assert!(triggers(
            "Story.\n\nThe 1986 net profit of the company was small.",
            "2000-04-03"
        )
        .is_empty());
    }

    #[test]
    fn undated_reports_and_negations_are_not_proposed() {
        assert!(titles("Story.\n\nPolice arrested three men.", "2002-05-10").is_empty());
        assert!(titles(
            "Story.\n\nOn Friday they urged China not to repatriate them.",
            "2002-05-10"
        )
        .iter()
        .all(|t| t.contains("statement")));
    }

    #[test]
    fn negated_hypothetical_and_generic_acts_are_not_proposed() {
        for text in [
            "Story.\n\nOn Wednesday, police did not enter the consulate.",
            "Story.\n\nIf they arrive on Monday, talks begin.",
            "Story.\n\nPolice could enter the consulate on Monday.",
            "Story.\n\nOn Friday, those who are repatriated are executed.",
            "Story.\n\nThe diplomatic row remained unresolved Friday.",
        ] {
            assert!(titles(text, "2002-05-10").is_empty(), "{text}");
        }
        // A past passive is news.
        assert_eq!(
            titles(
                "Story.\n\nTwo men were arrested on Wednesday.",
                "2002-05-10"
            ),
            ["2002-05-08 arrest Two men were arrested"]
        );
    }

    #[test]
    fn a_future_act_is_planned() {
        let d = NaiveDate::from_ymd_opt(2002, 5, 10);
        let e = extract(
            "Story.\n\nThe minister will visit Seoul on Monday.",
            &Head::default(),
            d,
        );
        assert_eq!(e.proposals.len(), 1);
        assert!(e.proposals[0].planned);
        assert_eq!(e.proposals[0].title, "The minister will visit Seoul");
    }

    #[test]
    fn reported_speech_dates_the_reported_act_not_the_saying() {
        assert_eq!(
            titles(
                "Story.\n\nOfficials said police arrested three men in Beijing on Wednesday.",
                "2002-05-10"
            ),
            ["2002-05-08 arrest Police arrested three men in Beijing"]
        );
        // The date inside what was said dates what was said of, never the saying.
        let got = titles(
            "Story.\n\nThe company said the research, beginning April 1, would be costly.",
            "2002-03-10",
        );
        assert!(
            got.iter()
                .all(|t| !t.contains("statement") && !t.contains("said")),
            "{got:?}"
        );
    }

    #[test]
    fn a_number_is_a_year_only_where_the_grammar_makes_it_one() {
        let got = titles(
            "Story.\n\nThe company sold 1000 shares to investors.\n\nThe firm was founded in 1906.\n\n\
             Trades entered by 1000 London time are matched.\n\nThe castle was built in 1406.",
            "1987-03-10",
        );
        assert_eq!(
            got,
            [
                "1906 other The firm was founded",
                "1406 other The castle was built"
            ]
        );
    }

    #[test]
    fn a_date_carries_over_paragraphs_to_placed_acts_but_not_to_sayings() {
        let text = "Story.\n\nOn Wednesday, police arrested three men in Beijing.\n\n\
                    China also expelled two Japanese diplomats.\n\n\
                    A spokesman in Tokyo said it was regrettable.\n\n\
                    The shares climbed 5 pct.\n\n\
                    Meanwhile, Japan said it would protest.\n\n\
                    Meanwhile, Japan sent a letter of protest to Beijing.";
        assert_eq!(
            titles(text, "2002-05-10"),
            [
                "2002-05-08 arrest Police arrested three men in Beijing",
                "2002-05-08 protest China expelled two Japanese diplomats",
                "2002-05-08 statement Japan sent a letter of protest to Beijing",
            ]
        );
    }

    #[test]
    fn the_lede_takes_the_first_date_of_the_story() {
        let text = "Japan has accused China of violating its consulate.\n\n\
                    On Wednesday, police entered the Japanese Consulate in Shenyang.";
        let got = titles(text, "2002-05-10");
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(
            got[0].starts_with("2002-05-08 protest Japan has accused China"),
            "{got:?}"
        );
    }

    #[test]
    fn spans_and_dates_are_found_in_text_that_is_not_ascii() {
        let text = "Caf\u{e9} \u{201c}story\u{201d}.\n\nOn Wednesday, police arrested three men in Beijing.";
        let e = extract(text, &Head::default(), NaiveDate::from_ymd_opt(2002, 5, 10));
        assert_eq!(e.proposals.len(), 1);
        let s = &e.proposals[0].sources[0];
        let quote: String = text
            .chars()
            .skip(s.sentence_start)
            .take(s.sentence_end - s.sentence_start)
            .collect();
        assert_eq!(quote, "On Wednesday, police arrested three men in Beijing.");
        assert_eq!(s.quote, quote);
        assert_eq!(s.date_text, "Wednesday");
    }

    #[test]
    fn a_year_naming_a_thing_is_background() {
        let d = NaiveDate::from_ymd_opt(2002, 5, 10);
        let e = extract(
            "Story.\n\nKoizumi charged the entry had violated the 1961 Vienna Convention.",
            &Head::default(),
            d,
        );
        assert_eq!(e.proposals.len(), 1);
        assert!(e.proposals[0].background);
        assert_eq!(e.proposals[0].kind, EventKind::Treaty);
        assert_eq!(e.proposals[0].title, "1961 Vienna Convention");
    }
}
