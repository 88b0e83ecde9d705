//! Extraction: an article's text and publication date become proposed events.
//!
//! ```text
//! text ─▶ sentences ─▶ per sentence: trigger verb (kind), date expression (stated,
//!          or carried over from the discourse), places and missions ─▶ proposals
//!        ─▶ merged (same kind, date and mission, overlapping countries)
//! ```
//!
//! A sentence without a date of its own takes the last day stated before it: always
//! within its paragraph; beyond it when it names a place, people or a mission and
//! reports something other than a statement, or goes on in time ("then",
//! "Meanwhile"); in the lede, the story's first date (`carry`). Triggers that are
//! negated, infinitive, generic passives or in a "when" clause are not news
//! (`not_news`).
//!
//! Every proposal keeps, per source, the index of the date expression its date
//! comes from in the article's list of [`Timex`]es: re-resolving that list against a
//! corrected publication date ([`timex::resolve`]) gives the new date.

pub mod mission;
pub mod predicate;

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::date::{EventDate, Precision};
use crate::event::{EventKind, TextSpan};
use crate::gazetteer::{Gazetteer, Mention, PlaceKind};
use crate::intake::Head;
use crate::sentence::{self, Sentence};
use crate::timex::{self, Anchor, Timex, TimexType};

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
    pub confidence: f64,
    /// Context rather than news: "the 1961 Vienna Convention".
    pub background: bool,
    pub sources: Vec<ProposalSource>,
}

/// What extraction makes of one article.
#[derive(Debug, Clone, Serialize)]
pub struct Extraction {
    pub timexes: Vec<Timex>,
    pub proposals: Vec<Proposal>,
}

/// Verbs and phrases that report something happening, with the kind they make, in
/// order of precedence (a sentence with "entered ... and dragged away" is a removal).
const TRIGGERS: &[(EventKind, &[&str])] = &[
    (
        EventKind::Removal,
        &[
            "dragged",
            "pulling",
            "pulled",
            "removed",
            "hauled",
            "took away",
            "taken away",
            "forcibly removed",
        ],
    ),
    (
        EventKind::Arrest,
        &["arrested", "detained", "rounded up", "seized", "captured"],
    ),
    (
        EventKind::Repatriation,
        &[
            "repatriated",
            "deported",
            "sent back",
            "handed over",
            "expelled",
        ],
    ),
    (
        EventKind::Entry,
        &[
            "entered",
            "climbed",
            "made it into",
            "get into",
            "got into",
            "stormed",
            "rushed into",
            "scaled",
            "broke into",
            "sought refuge",
            "sought asylum",
            "following suit",
            "walked into",
            "ran into",
        ],
    ),
    (
        EventKind::Departure,
        &[
            "allowed to fly",
            "flew to",
            "left for",
            "arrived in",
            "granted asylum",
        ],
    ),
    (
        EventKind::Protest,
        &[
            "accused",
            "protested",
            "summoned",
            "reprimand",
            "lodged",
            "condemned",
            "demanded",
            "rejected",
            "charged",
        ],
    ),
    (
        EventKind::Meeting,
        &["met with", "met", "visited", "held talks", "talks with"],
    ),
    (
        EventKind::Security,
        &[
            "increased security",
            "clamp down",
            "clamped down",
            "cracked down",
            "sealed off",
            "tightened security",
        ],
    ),
    (
        EventKind::Statement,
        &[
            "said",
            "urged",
            "told",
            "sent a letter",
            "wrote",
            "announced",
            "confirmed",
            "called on",
            "appealed",
            "warned",
            "declined",
            "stated",
        ],
    ),
];

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

/// A trigger found in a sentence: kind and byte offset in the sentence.
#[derive(Debug, Clone, Copy)]
struct Trigger {
    kind: EventKind,
    at: usize,
}

/// Every trigger phrase in one automaton (ASCII case ignored), each pattern's kind
/// and precedence (its group's place in [`TRIGGERS`]), built on first use: one pass
/// over a sentence whatever the number of phrases.
struct TriggerSet {
    automaton: aho_corasick::AhoCorasick,
    /// Per pattern: (precedence, kind).
    kinds: Vec<(usize, EventKind)>,
}

fn trigger_set() -> &'static TriggerSet {
    static SET: std::sync::OnceLock<TriggerSet> = std::sync::OnceLock::new();
    SET.get_or_init(|| {
        let mut patterns = Vec::new();
        let mut kinds = Vec::new();
        for (rank, (kind, phrases)) in TRIGGERS.iter().enumerate() {
            for p in *phrases {
                patterns.push(*p);
                kinds.push((rank, *kind));
            }
        }
        let automaton = aho_corasick::AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(aho_corasick::MatchKind::Standard)
            .build(&patterns)
            .unwrap_or_else(|e| panic!("trigger phrases are valid patterns: {e}"));
        TriggerSet { automaton, kinds }
    })
}

/// Whether `s` ends with `suffix` once trailing whitespace is dropped, ASCII case
/// ignored.
fn ends_with_word(s: &str, suffix: &str) -> bool {
    let s = s.trim_end().as_bytes();
    s.len() >= suffix.len() && s[s.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

/// Whether the phrase at byte `at` of `sentence` reports nothing that happened then:
/// negated or an infinitive ("not", "to": "urged China not to repatriate"), a
/// present or infinitive passive, which is generic or unreal ("those who are
/// repatriated are executed", "to be handed over"), or inside a "when" clause, which
/// gives the time of something else ("should have acted when the police entered").
fn not_news(sentence: &str, at: usize) -> bool {
    let before = &sentence[..at];
    if [" not", " to", " are", " is", " be"]
        .iter()
        .any(|w| ends_with_word(before, w))
    {
        return true;
    }
    let clause_start = before
        .rfind([',', ';', '(', '"', '\u{201c}'])
        .map_or(0, |i| i + 1);
    before[clause_start..]
        .split_whitespace()
        .any(|w| w.eq_ignore_ascii_case("when"))
}

/// The trigger of a sentence: of the kinds whose phrases occur in it as whole words
/// and report news ([`not_news`]), the first in precedence, at its earliest
/// occurrence.
fn find_trigger(sentence: &str) -> Option<Trigger> {
    let set = trigger_set();
    let mut best: Option<(usize, Trigger)> = None;
    for m in set.automaton.find_overlapping_iter(sentence) {
        let (at, end) = (m.start(), m.end());
        let (rank, kind) = set.kinds[m.pattern().as_usize()];
        if best.is_some_and(|(r, b)| (r, b.at) <= (rank, at)) {
            continue;
        }
        let ok_before = !sentence[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric());
        let ok_after = !sentence[end..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric());
        if ok_before && ok_after && !not_news(sentence, at) {
            best = Some((rank, Trigger { kind, at }));
        }
    }
    best.map(|(_, t)| t)
}

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

/// Words that a title should not end on.
const DANGLING: &[&str] = &[
    "to", "the", "a", "an", "of", "and", "by", "in", "on", "at", "with", "for", "that", "but",
    "as", "from", "said", "says",
];

/// Where a title's clause may end: commas, dashes, semicolons, "but".
const CUTS: &[&str] = &[", but ", ", ", " - ", " \u{2013} ", "; ", " but "];

/// The end of the last [`CUTS`] occurrence in `s` (the greatest end of any).
fn last_cut_end(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let longest = CUTS.iter().map(|c| c.len()).max().unwrap_or(0);
    let mut best: Option<usize> = None;
    for j in (0..b.len()).rev() {
        if best.is_some_and(|e| j + longest < e) {
            break; // nothing starting this early ends later
        }
        if !matches!(b[j], b',' | b' ' | b';') {
            continue; // every cut starts with one of these
        }
        for c in CUTS {
            if b[j..].starts_with(c.as_bytes()) {
                best = best.max(Some(j + c.len()));
            }
        }
    }
    best
}

/// Where the first [`CUTS`] occurrence in `s` starts, counting for each cut only
/// its first occurrence, and that only at or after `from`.
fn first_cut(s: &str, from: usize) -> Option<usize> {
    let b = s.as_bytes();
    let mut seen = [false; CUTS.len()];
    for j in 0..b.len() {
        if !matches!(b[j], b',' | b' ' | b';') {
            continue; // every cut starts with one of these
        }
        for (n, c) in CUTS.iter().enumerate() {
            if !seen[n] && b[j..].starts_with(c.as_bytes()) {
                seen[n] = true;
                if j >= from {
                    return Some(j);
                }
            }
        }
    }
    None
}

/// A short readable title from the clause of the sentence that reports the event.
fn title_for(sentence: &str, trigger: Option<Trigger>, date_text: &str) -> String {
    let at = trigger.map_or(0, |t| t.at);
    // The clause around the trigger, between commas, dashes, semicolons or "but".
    // (One scan from the trigger each way, not one per cut: a wire story's table
    // can make a sentence of many kilobytes.)
    let start = last_cut_end(&sentence[..at]).unwrap_or(0);
    let clause_end = first_cut(&sentence[at..], 0).map_or(sentence.len(), |i| at + i);
    let mut clause = &sentence[start..clause_end];
    if clause.split_whitespace().take(5).count() < 5 {
        // Too short ("dragged the two men away"): the main clause instead.
        let lead = ["In ", "On ", "During ", "After ", "Before ", "At ", "As "];
        let mut s = sentence;
        if lead.iter().any(|l| s.starts_with(l)) {
            if let Some(i) = s.find(", ") {
                s = &s[i + 2..];
            }
        }
        let end = first_cut(s, 1).unwrap_or(s.len());
        clause = &s[..end];
    }
    let clause = clause.trim_start_matches("with ");
    let mut words: Vec<&str> = Vec::new();
    let date_words: Vec<&str> = date_text.split_whitespace().collect();
    // The clause's words, read only as far as the title needs.
    let mut rest = clause.split_whitespace();
    let mut tokens: Vec<&str> = Vec::new();
    let mut i = 0;
    loop {
        let want = i + date_words.len().max(1);
        while tokens.len() < want {
            match rest.next() {
                Some(w) => tokens.push(w),
                None => break,
            }
        }
        if i >= tokens.len() {
            break;
        }
        // Leave the date expression out: the date is shown beside the title.
        if !date_words.is_empty()
            && tokens.len() >= i + date_words.len()
            && tokens[i..i + date_words.len()]
                .iter()
                .zip(&date_words)
                .all(|(a, b)| {
                    a.trim_end_matches([',', '.', '\'', 's'])
                        == b.trim_end_matches([',', '.', '\'', 's'])
                })
        {
            // "... in Shenyang on Wednesday before ..." → "... in Shenyang before ...":
            // a preposition that only led to the date goes with it.
            if words.last().is_some_and(|w| {
                ["on", "in", "at", "since", "by", "until", "during"]
                    .iter()
                    .any(|p| w.eq_ignore_ascii_case(p))
            }) {
                words.pop();
            }
            i += date_words.len();
            continue;
        }
        let w = tokens[i];
        if words.len() >= 3
            && ["that", "who", "which", "where", "because"]
                .iter()
                .any(|x| w.eq_ignore_ascii_case(x))
        {
            break;
        }
        if w.starts_with(['"', '\u{201c}']) {
            break;
        }
        words.push(w);
        i += 1;
        if words.len() >= 18 {
            break;
        }
    }
    while words.last().is_some_and(|w| {
        let w = w.trim_end_matches([',', '.']);
        DANGLING.iter().any(|d| d.eq_ignore_ascii_case(w))
    }) {
        words.pop();
    }
    let mut title = words.join(" ");
    title = title
        .trim_end_matches([',', '.', ';', ':', '-'])
        .to_string();
    let mut chars = title.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Extracts the proposed events of an article.
pub fn extract(text: &str, head: &Head, dct: Option<NaiveDate>) -> Extraction {
    let timexes = timex::tag(text, dct);
    let proposals = propose(text, head, &timexes);
    Extraction { timexes, proposals }
}

/// Bytes a sentence may have beyond its head lines and still be the head
/// ("By " and " | " around byline and dateline).
const HEAD_SLACK: usize = 12;

/// Proposals from a text and its (already resolved) date expressions.
pub fn propose(text: &str, head: &Head, timexes: &[Timex]) -> Vec<Proposal> {
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
        Some(head.title.as_str()),
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
    let mut out: Vec<(Proposal, bool)> = Vec::new();
    let mut last_date: Option<(usize, usize)> = None; // (timex index, paragraph)
    let mut last_mission: Option<(MissionRef, usize)> = None;
    let mut ti = 0usize;
    let mut pi = 0usize;
    let mut mi = 0usize;
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
                    out.push((
                        Proposal {
                            title: format!("{} {name}", t.text),
                            kind,
                            date,
                            countries: sorted(countries),
                            mission: None,
                            city: None,
                            country: None,
                            confidence: 0.6,
                            background: true,
                            sources: vec![source(s, sent, k, t, false)],
                        },
                        false,
                    ));
                }
                None => event_dates.push(k),
            }
        }

        // "Vienna" in "the 1961 Vienna Convention" is not where the sentence's
        // event happened.
        sent_places.retain(|m| !named.iter().any(|&(a, b)| m.start >= a && m.end <= b));

        let trigger = find_trigger(sent);
        let incident = trigger.is_none()
            && !sent_missions.is_empty()
            && (sent.contains("incident") || sent.contains("episode"));
        let kind = trigger
            .map(|t| t.kind)
            .or(incident.then_some(EventKind::Entry));

        // The paragraph's mission carries over to sentences that name none.
        let mission_here = {
            let at = s.byte_start + trigger.map_or(0, |t| t.at);
            sent_missions
                .iter()
                .find(|m| m.start >= at)
                .or(sent_missions.last())
                .map(|m| (*m).clone())
        };
        let mission = mission_here.clone().or_else(|| {
            last_mission
                .as_ref()
                .filter(|(_, p)| *p == s.paragraph)
                .map(|(m, _)| m.clone())
        });
        if let Some(m) = &mission_here {
            last_mission = Some((m.clone(), s.paragraph));
        }

        if let Some(kind) = kind {
            // The date: stated, else carried over from the discourse (the last
            // date stated before, see `carry`).
            let stated = event_dates.first().copied();
            let carried = match stated {
                Some(_) => None,
                None => carry(
                    kind,
                    sent,
                    s.paragraph,
                    last_date,
                    (s.paragraph == lede_paragraph)
                        .then_some(story_date)
                        .flatten(),
                    !sent_places.is_empty() || mission.is_some(),
                ),
            };
            if let Some(k) = stated.or(carried.map(|(k, _)| k)) {
                let t = &timexes[k];
                let is_carried = stated.is_none();
                let countries = involved(&sent_places, mission.as_ref());
                let (city, country) = place_of(&sent_places, mission.as_ref());
                let mut confidence: f64 = 0.4;
                confidence += match carried {
                    None => 0.25,
                    Some((_, true)) => 0.05, // from the paragraph
                    Some((_, false)) => 0.0,
                };
                if mission.is_some() {
                    confidence += 0.15;
                }
                if trigger.is_some() {
                    confidence += 0.1;
                }
                if t.date.is_some_and(|d| d.precision() >= Precision::Day) {
                    confidence += 0.05;
                }
                let date = t.date.unwrap_or_else(|| unreachable!());
                let first = Proposal {
                    title: title_for(sent, trigger, if is_carried { "" } else { &t.text }),
                    kind,
                    date,
                    countries: countries.clone(),
                    mission: mission.clone(),
                    city: city.clone(),
                    country: country.clone(),
                    confidence: confidence.min(0.95),
                    background: false,
                    sources: vec![source(s, sent, k, t, is_carried)],
                };
                out.push((first, matches!(carried, Some((_, false)))));
                // "..., with a third man following suit the next day": a later date
                // counted from this one is a second event of the same kind.
                for &k2 in event_dates.iter().skip(1) {
                    let t2 = &timexes[k2];
                    if t2.anchor != (Anchor::Previous { index: k }) {
                        continue;
                    }
                    let at = byte(t2.start).saturating_sub(s.byte_start);
                    let clause_start = sent[..at].rfind(", ").map_or(0, |i| i + 2);
                    let clause = &sent[clause_start..];
                    let date2 = t2.date.unwrap_or_else(|| unreachable!());
                    out.push((
                        Proposal {
                            title: title_for(clause, None, &t2.text),
                            kind,
                            date: date2,
                            countries: countries.clone(),
                            mission: mission.clone(),
                            city: city.clone(),
                            country: country.clone(),
                            confidence: (confidence - 0.05).min(0.95),
                            background: false,
                            sources: vec![source(s, sent, k2, t2, false)],
                        },
                        false,
                    ));
                }
            }
        }
        if let Some(&k) = event_dates.last() {
            if timexes[k]
                .date
                .is_some_and(|d| d.precision() >= Precision::Day)
            {
                last_date = Some((k, s.paragraph));
            }
        }
    }
    let mut proposals = merge(out);
    predicate::set_triggers(text, &sentences, timexes, &mut proposals);
    proposals
}

/// Sentence openers that say the sentence goes on at the time just told of.
const SAME_TIME: &[&str] = &["Meanwhile", "At the same time", "The same day", "That day"];

/// The date an undated sentence reporting a `kind` of event takes from the
/// discourse: the last day stated before it (`last`: timex index and paragraph)
/// when that is in the same paragraph ("Two men managed to get into the
/// building"), or when the sentence goes on in time ("then", "Meanwhile"), or when
/// it reports something other than a statement ("Wu Dawei, who was summoned to the
/// Foreign Ministry"): statements ("said") are so common in news that only their
/// own paragraph dates them. In the lede, with no date yet, an event that is not a
/// statement takes the story's first date (`lede`). Beyond its paragraph, only a
/// sentence that names a place, people or a mission (`placed`) is dated so: "AMR
/// climbed 1-3/8" is not an event of the story's day. Returns the timex index and
/// whether it came from the same paragraph.
fn carry(
    kind: EventKind,
    sent: &str,
    paragraph: usize,
    last: Option<(usize, usize)>,
    lede: Option<usize>,
    placed: bool,
) -> Option<(usize, bool)> {
    let goes_on = sent.contains(" then ") || SAME_TIME.iter().any(|w| sent.starts_with(w));
    match last {
        Some((k, p)) if p == paragraph => Some((k, true)),
        _ if !placed => None,
        Some((k, _)) if goes_on || kind != EventKind::Statement => Some((k, false)),
        Some(_) => None,
        None if kind != EventKind::Statement => lede.map(|k| (k, false)),
        None => None,
    }
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

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}

/// Countries the sentence names, and the mission's sender and host.
fn involved(places: &[&Mention], mission: Option<&MissionRef>) -> Vec<String> {
    let mut v: Vec<String> = places.iter().map(|m| m.country.to_string()).collect();
    if let Some(m) = mission {
        v.extend(m.country.map(String::from));
        v.extend(m.host.map(String::from));
    }
    sorted(v)
}

/// Where it happened: the mission's city, else the first city the sentence names.
fn place_of(places: &[&Mention], mission: Option<&MissionRef>) -> (Option<String>, Option<String>) {
    if let Some(m) = mission {
        if m.host.is_some() {
            return (m.city.map(String::from), m.host.map(String::from));
        }
    }
    match places
        .iter()
        .find(|m| matches!(m.kind, PlaceKind::City { .. }))
    {
        Some(c) => (c.city.map(String::from), Some(c.country.to_string())),
        None => (None, None),
    }
}

/// Kinds that are someone saying something: each speaker's is its own event.
fn is_speech(kind: EventKind) -> bool {
    matches!(kind, EventKind::Statement | EventKind::Protest)
}

/// One proposal per incident: same kind, date and mission (or both none), and
/// overlapping countries (and, when either date is carried over from another
/// paragraph, a mission, and not two things said); every source kept, the surest
/// title and confidence kept. Each proposal comes with whether its date was carried
/// over from another paragraph.
fn merge(proposals: Vec<(Proposal, bool)>) -> Vec<Proposal> {
    let mut out: Vec<(Proposal, bool)> = Vec::new();
    // Proposals of one kind and span, in order: only they can merge (a long
    // article has thousands of proposals; comparing each with all is quadratic).
    let mut by_key: HashMap<(&'static str, i64, i64), Vec<usize>> = HashMap::new();
    for (p, p_far) in proposals {
        let key = (p.kind.as_str(), p.date.lo(), p.date.hi());
        let bucket = by_key.entry(key).or_default();
        let same = bucket.iter().copied().find(|&i| {
            let (q, q_far) = &out[i];
            q.kind == p.kind
                && q.date == p.date
                && q.background == p.background
                && match (&q.mission, &p.mission) {
                    (Some(a), Some(b)) => a.same(b),
                    (None, None) => true,
                    _ => false,
                }
                && (q.countries.is_empty()
                    || p.countries.is_empty()
                    || q.countries.iter().any(|c| p.countries.contains(c)))
                // A date carried over from another paragraph is an assumption,
                // not evidence that two reports are one incident: then the
                // mission must say so, and two things said are two things said.
                && (!(*q_far || p_far) || (!is_speech(p.kind) && q.mission.is_some()))
        });
        match same {
            Some(i) => {
                let (q, q_far) = &mut out[i];
                *q_far &= p_far;
                if p.confidence > q.confidence {
                    q.title = p.title.clone();
                    q.confidence = p.confidence;
                }
                q.confidence = (q.confidence + 0.05).min(0.95);
                q.countries = sorted(q.countries.iter().chain(&p.countries).cloned().collect());
                for s in p.sources {
                    if !q
                        .sources
                        .iter()
                        .any(|o| o.sentence_start == s.sentence_start && o.timex == s.timex)
                    {
                        q.sources.push(s);
                    }
                }
            }
            None => {
                bucket.push(out.len());
                out.push((p, p_far));
            }
        }
    }
    out.into_iter().map(|(p, _)| p).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn titles(text: &str, dct: &str) -> Vec<String> {
        let d = NaiveDate::parse_from_str(dct, "%Y-%m-%d").ok();
        extract(text, &Head::default(), d)
            .proposals
            .iter()
            .map(|p| format!("{} {} {}", p.date, p.kind.as_str(), p.title))
            .collect()
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
    fn the_trigger_is_the_first_kind_in_precedence_at_its_earliest_whole_word() {
        let t = |s: &str| find_trigger(s).map(|t| (t.kind, t.at));
        // Removal outranks entry, wherever each stands.
        assert_eq!(
            t("They Entered the consulate and police DRAGGED them out."),
            Some((EventKind::Removal, 38))
        );
        // The earliest phrase of the kind: "met" before "held talks".
        assert_eq!(
            t("Kim met Koizumi and held talks."),
            Some((EventKind::Meeting, 4))
        );
        // Parts of words and negated or infinitive uses are not triggers.
        assert_eq!(t("The unsaid and the metal."), None);
        assert_eq!(
            t("They urged China not to deport them."),
            Some((EventKind::Statement, 5))
        );
        assert_eq!(t("A plan to Arrest them."), None);
    }

    #[test]
    fn generic_passives_and_when_clauses_are_not_news() {
        assert!(find_trigger("Those who are repatriated are executed.").is_none());
        assert!(find_trigger("They are to be handed over.").is_none());
        assert!(find_trigger("Staff should have acted when the police entered.").is_none());
        // A past passive and a progressive are news.
        assert!(find_trigger("Two men were arrested.").is_some());
        assert!(find_trigger("North Koreans being arrested by police.").is_some());
    }

    #[test]
    fn a_date_carries_over_paragraphs_to_placed_events_but_not_to_statements() {
        let text = "Story.\n\nOn Wednesday, police arrested three men in Beijing.\n\n\
                    China also expelled two Japanese diplomats.\n\n\
                    A spokesman in Tokyo said it was regrettable.\n\n\
                    The shares climbed 5 pct.\n\n\
                    Meanwhile, Japan said it would protest.";
        assert_eq!(
            titles(text, "2002-05-10"),
            [
                "2002-05-08 arrest Police arrested three men in Beijing",
                "2002-05-08 repatriation China also expelled two Japanese diplomats",
                "2002-05-08 statement Japan said it would protest",
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
