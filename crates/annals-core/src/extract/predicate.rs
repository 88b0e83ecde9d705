//! The predicate a date expression modifies, read from the sentence's dependency
//! tree: in "police dragged two women out on Wednesday" the date dates *dragged*,
//! in "officials said the police dragged them out on Wednesday" it still dates
//! *dragged*, not *said*, and in "Wednesday's incident" it dates *incident*. That
//! word is the event's trigger, kept with each source so a reader (and the
//! scorer) can see which word of the sentence the date was given to.

#[cfg(test)]
use crate::syntax;
use crate::syntax::Word;
use crate::timex::lexicon::{self, Lex};

/// Relations that tie one part of a date to another ("May 8 and 9", "Friday,
/// May 10", "1950-53"): the date's head is further up.
const WITHIN_DATE: &[&str] = &[
    "conj", "appos", "flat", "compound", "nummod", "list", "dep", "cc", "punct",
];

/// Parts of speech that can carry an event: verbs, and the nouns, adjectives and
/// numbers that head a predicate in UD ("the incident", "was tense").
const PREDICATES: &[&str] = &["VERB", "AUX", "NOUN", "PROPN", "ADJ", "NUM", "PRON"];

/// The index in `words` of the predicate that the expression at characters
/// `start..end` modifies, if the tree gives one. Offsets are those of the words.
pub fn governed(words: &[Word], start: usize, end: usize) -> Option<usize> {
    let covered = |i: usize| words[i].start < end && words[i].end > start;
    let inside: Vec<usize> = (0..words.len()).filter(|&i| covered(i)).collect();
    // The expression's own head: the word of it whose head is outside it.
    let mut at = *inside
        .iter()
        .find(|&&i| words[i].head == 0 || !covered(words[i].head - 1))?;
    // "On May 8, police entered ...": a date with a preposition is an oblique of a
    // predicate; when the tree hangs it on a noun as a number or compound
    // instead (no preposition can mark those), the noun is not what it dates.
    let has_case = inside.iter().any(|&i| words[i].deprel == "case")
        || words.iter().any(|w| w.head == at + 1 && w.deprel == "case");
    let mut skip_noun = has_case && matches!(words[at].deprel, "nummod" | "compound" | "amod");
    // "dragged two women out of the consulate gate on Wednesday": a date with a
    // preposition that the tree hangs on a thing (a gate, a consulate) dates what
    // happened to it; on an event noun ("the meeting on Friday") it dates the noun.
    // "a visit to South Korea last January": a date the tree hangs on a name
    // (as its apposition) dates what the name is part of.
    if matches!(
        words[at].deprel,
        "appos" | "nmod:unmarked" | "flat" | "compound"
    ) {
        let head = words[at].head;
        if head > 0 && words[head - 1].upos == "PROPN" && !is_event_noun(&words[head - 1]) {
            skip_noun = true;
        }
    }
    if has_case && words[at].deprel.starts_with("nmod") {
        let head = words[at].head;
        if head > 0
            && matches!(words[head - 1].upos, "NOUN" | "PROPN")
            && !is_event_noun(&words[head - 1])
        {
            skip_noun = true;
        }
    }
    for _ in 0..words.len() {
        let h = words[at].head;
        if h == 0 {
            // The date heads its sentence ("Wednesday, May 8."): no predicate.
            return None;
        }
        let head = h - 1;
        let within =
            covered(head) || WITHIN_DATE.contains(&words[at].deprel) && is_temporal(&words[head]);
        if !within && std::mem::take(&mut skip_noun) && matches!(words[head].upos, "NOUN" | "PROPN")
        {
            at = head;
            continue;
        }
        if !within && PREDICATES.contains(&words[head].upos) {
            return Some(fronted(words, &inside, at, head).unwrap_or(head));
        }
        at = head;
    }
    None
}

/// "Earlier Sunday, protesters prayed", "this year, children wore T-shirts": a
/// date told before the subject or object noun that the tree hangs it on
/// dates the clause, whose verb is the noun's head. Not a date the noun owns
/// ("last year's results") and not a noun that names an event ("the 1998
/// bombing").
fn fronted(words: &[Word], inside: &[usize], date_head: usize, noun: usize) -> Option<usize> {
    let n = &words[noun];
    let possessive = words[date_head].deprel == "nmod:poss"
        || words
            .iter()
            .any(|w| w.head == date_head + 1 && w.xpos == "POS");
    let before = inside.iter().all(|&i| i < noun);
    let argument = n.deprel.starts_with("nsubj") || n.deprel == "obj" || n.deprel == "expl";
    if !matches!(n.upos, "NOUN" | "PROPN" | "PRON") || is_event_noun(n) || possessive || !before {
        return None;
    }
    let verb = n.head.checked_sub(1)?;
    (argument && words[verb].upos == "VERB" && verb > noun).then_some(verb)
}

/// A noun that names something that happens ("meeting", "protest", "arrival",
/// "election"), as opposed to a thing or a place: the common news events, and
/// the nouns made from verbs of acts ("occupation", "withdrawal"). Not any noun
/// with such an ending: "government", "commission", "requirement" and
/// "expenditure" name no event.
pub fn is_event_noun(w: &Word) -> bool {
    const EVENTS: &[&str] = &[
        "incident",
        "meeting",
        "talks",
        "talk",
        "visit",
        "protest",
        "attack",
        "raid",
        "vote",
        "election",
        "summit",
        "war",
        "crisis",
        "trial",
        "hearing",
        "ceremony",
        "conference",
        "strike",
        "crash",
        "fire",
        "explosion",
        "blast",
        "storm",
        "earthquake",
        "flood",
        "riot",
        "clash",
        "march",
        "rally",
        "speech",
        "interview",
        "announcement",
        "deal",
        "agreement",
        "trip",
        "tour",
        "arrival",
        "departure",
        "release",
        "arrest",
        "escape",
        "defection",
        "death",
        "killing",
        "murder",
        "funeral",
        "wedding",
        "birth",
        "launch",
        "test",
        "game",
        "match",
        "race",
        "session",
        "debate",
        "poll",
        "referendum",
        "coup",
        "invasion",
        "siege",
        "standoff",
        "episode",
        "event",
        "accident",
        "collapse",
        "rise",
        "fall",
        "drop",
        "increase",
        "decline",
        "loss",
        "gain",
        "sale",
        "purchase",
        "offer",
        "bid",
        "merger",
        "takeover",
        "report",
        "statement",
        "decision",
        "ruling",
        "verdict",
        "order",
        "request",
        "call",
        "demand",
        "warning",
        "threat",
        "shooting",
        "bombing",
        "incursion",
        "handover",
        "repatriation",
        "deportation",
        "expulsion",
    ];
    const NOMINALIZED: &[&str] = &[
        "occupation",
        "evacuation",
        "negotiation",
        "demonstration",
        "detention",
        "abduction",
        "kidnapping",
        "assassination",
        "resignation",
        "inauguration",
        "investigation",
        "intervention",
        "nomination",
        "appointment",
        "settlement",
        "confrontation",
        "celebration",
        "execution",
        "extradition",
        "withdrawal",
        "closure",
        "seizure",
        "surrender",
        "signing",
        "ratification",
        "acquisition",
        "intrusion",
        "entry",
        "break-in",
        "sit-in",
        "reopening",
        "opening",
        "shutdown",
        "dismissal",
        "suspension",
        "cancellation",
        "postponement",
        "revolution",
        "uprising",
        "massacre",
        "ceasefire",
        "truce",
        "landing",
        "flight",
        "hijacking",
    ];
    let lemma = w.lemma.to_lowercase();
    EVENTS.contains(&lemma.as_str()) || NOMINALIZED.contains(&lemma.as_str())
}

/// A word that can be part of a date: a number, a month or a weekday ("May",
/// "8", "Wednesday", "1961"), not any capitalized word ("the 1961 Vienna
/// Convention" dates the convention).
fn is_temporal(w: &Word) -> bool {
    w.upos == "NUM"
        || matches!(
            lexicon::classify(w.form.trim_end_matches('.').as_bytes()),
            Lex::Month(..) | Lex::Weekday(..)
        )
}

/// The sentence's main predicate: its root, or the root's first verb when the
/// root is a stray word.
pub fn main_predicate(words: &[Word]) -> Option<usize> {
    let root = words.iter().position(|w| w.head == 0)?;
    if PREDICATES.contains(&words[root].upos) {
        Some(root)
    } else {
        words
            .iter()
            .position(|w| w.head == root + 1 && w.upos == "VERB")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The trigger's form for the expression `date` in `sentence`.
    fn trigger(sentence: &str, date: &str) -> Option<String> {
        let words = syntax::model().expect("model").parse_sentence(sentence);
        let byte = sentence.find(date).expect("date in sentence");
        let start = sentence[..byte].chars().count();
        let end = start + date.chars().count();
        governed(&words, start, end).map(|i| words[i].form.clone())
    }

    #[test]
    fn a_date_dates_the_verb_it_modifies() {
        assert_eq!(
            trigger(
                "Five North Koreans entered the consulate on Wednesday.",
                "Wednesday"
            )
            .as_deref(),
            Some("entered")
        );
        assert_eq!(
            trigger(
                "On May 8, 2002, police entered the Japanese Consulate.",
                "May 8, 2002"
            )
            .as_deref(),
            Some("entered")
        );
        assert_eq!(
            trigger(
                "The talks resumed last March 25 in Beijing.",
                "last March 25"
            )
            .as_deref(),
            Some("resumed")
        );
    }

    #[test]
    fn reported_speech_gives_the_date_to_the_reported_event() {
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
                "The ministry said on Friday that it would protest.",
                "Friday"
            )
            .as_deref(),
            Some("said")
        );
    }

    #[test]
    fn a_dated_preposition_on_a_thing_dates_what_happened_to_it() {
        // However the tree hangs "on Wednesday", a gate is not an event.
        let t = trigger(
            "Police dragged two women out of the consulate gate on Wednesday.",
            "Wednesday",
        );
        assert_eq!(t.as_deref(), Some("dragged"));
        let t = trigger("The meeting on Friday ended without a deal.", "Friday");
        assert_eq!(t.as_deref(), Some("meeting"));
    }

    #[test]
    fn a_date_inside_a_noun_phrase_dates_the_noun() {
        assert_eq!(
            trigger("Wednesday's incident angered Tokyo.", "Wednesday").as_deref(),
            Some("incident")
        );
    }

    #[test]
    fn a_year_before_a_name_dates_what_the_name_names() {
        assert_eq!(
            trigger("China violated the 1961 Vienna Convention.", "1961").as_deref(),
            Some("Convention")
        );
    }

    #[test]
    fn a_date_standing_alone_has_no_predicate() {
        assert_eq!(trigger("Friday, May 10, 2002", "May 10, 2002"), None);
    }
}
