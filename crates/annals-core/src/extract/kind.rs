//! What kind of event a predicate reports, from its lemma and its arguments, not
//! from substrings: "entered the consulate" is an entry, "entered into an
//! agreement" is not; "Exxon climbed 2 pct" is not an entry, "two men climbed the
//! wall" is.

use crate::event::EventKind;

use super::tree::Tree;

/// Verbs of saying: the event they report is the saying itself.
pub const SPEECH: &[&str] = &[
    "say",
    "tell",
    "announce",
    "confirm",
    "state",
    "urge",
    "appeal",
    "warn",
    "write",
    "declare",
    "add",
    "claim",
    "insist",
    "deny",
    "comment",
    "note",
    "stress",
    "emphasize",
    "reiterate",
    "acknowledge",
    "admit",
    "promise",
    "pledge",
    "vow",
    "predict",
    "quote",
    "report",
    "disclose",
    "reveal",
    "explain",
    "argue",
    "suggest",
    "assert",
    "indicate",
    "decline",
    "ask",
    "request",
    "apologize",
    "apologise",
];

/// Verbs that give a view or an expectation ("expects growth in 1987", "sees a
/// profitable second quarter"): a date in what they hold up dates that, not
/// them.
pub const ATTITUDE: &[&str] = &[
    "expect",
    "anticipate",
    "forecast",
    "project",
    "estimate",
    "see",
    "hope",
    "believe",
    "think",
    "fear",
    "feel",
    "consider",
    "predict",
];

/// Predicates that describe a state, not something that happened: they do not
/// make an event on a timeline ("the row remained unresolved Friday").
pub const STATIVE: &[&str] = &[
    "be",
    "remain",
    "stay",
    "have",
    "seem",
    "appear",
    "exist",
    "own",
    "consist",
    "include",
    "contain",
    "mean",
    "know",
    "believe",
    "think",
    "want",
    "need",
    "like",
    "hope",
    "wish",
    "feel",
    "lie",
    "stand",
    "total",
    "amount",
    "equal",
    "compare",
    "represent",
    "reflect",
    "cost",
    "face",
    "continue",
    "keep",
    "expect",
    "estimate",
    "plan",
    "intend",
    "tend",
    "depend",
    "concern",
    "involve",
    "require",
    "relate",
    "belong",
    "deserve",
    "hold",
];

/// Nouns naming where one can enter: a mission, a building and its parts, a
/// country's ground.
const ENTERABLE: &[&str] = &[
    "embassy",
    "consulate",
    "mission",
    "legation",
    "residence",
    "compound",
    "premises",
    "building",
    "ground",
    "grounds",
    "office",
    "wall",
    "fence",
    "gate",
    "territory",
    "country",
    "border",
    "school",
    "church",
    "camp",
    "house",
    "refuge",
    "asylum",
    "sanctuary",
];

/// Nouns for a state's envoys: sending them away is a diplomatic measure.
const DIPLOMATS: &[&str] = &[
    "diplomat",
    "ambassador",
    "envoy",
    "attache",
    "attaché",
    "consul",
    "chargé",
    "staff",
    "official",
];

/// Subjects that are armed forces of a state: what they storm they assault.
const FORCES: &[&str] = &[
    "soldier",
    "troop",
    "commando",
    "force",
    "army",
    "police",
    "policeman",
    "marine",
    "sas",
    "unit",
    "officer",
    "agent",
];

/// Words that count or pick out part of what follows "of": "the last of",
/// "some of", "dozens of".
const PARTITIVES: &[&str] = &[
    "last",
    "first",
    "rest",
    "remainder",
    "most",
    "some",
    "all",
    "many",
    "several",
    "few",
    "dozen",
    "dozens",
    "hundred",
    "hundreds",
    "group",
    "number",
    "majority",
    "half",
    "one",
    "two",
    "three",
    "four",
    "five",
];

/// Nouns that make "take", "seek" or "request" an entry or a departure.
const ASYLUM: &[&str] = &["asylum", "refuge", "sanctuary", "protection"];

/// The kind of the event a predicate reports. `place` says whether the
/// predicate's own arguments name a mission or a place (from the gazetteer).
pub fn kind_of(tree: &Tree, pred: usize, place: bool) -> EventKind {
    let lemma = tree.lemma(pred);
    let lemma = lemma.as_str();
    let particle = tree.particle(pred).unwrap_or_default();
    let particle = particle.as_str();
    // The head nouns of the object, the obliques and a passive subject ("the
    // consulate was entered").
    // A partitive head stands for what it counts: "the last of 13 hostages"
    // are hostages.
    let objects: Vec<String> = tree
        .children_with(pred, &["obj", "obl", "iobj", "nsubj"])
        .filter(|&c| tree.words[c].deprel != "nsubj")
        .flat_map(|c| {
            let counted = PARTITIVES
                .contains(&tree.lemma(c).as_str())
                .then(|| {
                    tree.children_with(c, &["nmod"]).find(|&n| {
                        tree.children_with(n, &["case"])
                            .any(|k| tree.lemma(k) == "of")
                    })
                })
                .flatten();
            std::iter::once(tree.lemma(c)).chain(counted.map(|n| tree.lemma(n)))
        })
        .collect();
    let enterable = place || objects.iter().any(|o| ENTERABLE.contains(&o.as_str()));
    // "broke into the compound", not "entered into an agreement".
    let into = enterable
        && tree.children_with(pred, &["obl"]).any(|c| {
            tree.children_with(c, &["case"])
                .any(|p| matches!(tree.lemma(p).as_str(), "into" | "inside"))
        });
    let about_asylum = objects.iter().any(|o| ASYLUM.contains(&o.as_str()));
    let clausal = tree.child(pred, &["ccomp"]).is_some();
    let has = |words: &[&str]| objects.iter().any(|o| words.contains(&o.as_str()));
    let subject = tree
        .subject(pred)
        .map(|s| tree.lemma(s))
        .unwrap_or_default();
    let forces = FORCES.contains(&subject.as_str());
    if tree.words[pred].upos == "NOUN" || tree.words[pred].upos == "PROPN" {
        return noun_kind(lemma);
    }
    match lemma {
        "drag" | "pull" | "haul" | "evict" | "eject" | "carry" if particle != "on" => {
            EventKind::Removal
        }
        "remove" => EventKind::Removal,
        "take" if particle == "away" || particle == "out" => EventKind::Removal,
        "arrest" | "detain" | "apprehend" | "nab" | "capture" | "jail" | "imprison" => {
            EventKind::Arrest
        }
        "round" if particle == "up" => EventKind::Arrest,
        // "seized the embassy" is an entry; "seized three men" an arrest.
        "seize" | "occupy" | "take" if enterable && (lemma != "take" || particle == "over") => {
            EventKind::Entry
        }
        "seize" if !objects.is_empty() && !place => EventKind::Arrest,
        // Sending a state's diplomats away is a diplomatic measure.
        "expel" | "order" if has(DIPLOMATS) => EventKind::Protest,
        "break" | "sever" | "cut" | "suspend" if has(&["relation", "relations", "tie", "ties"]) => {
            EventKind::Protest
        }
        "recall" | "withdraw" if has(DIPLOMATS) => EventKind::Protest,
        "close" | "shut" if has(&["embassy", "consulate", "mission"]) => EventKind::Protest,
        "repatriate" | "deport" | "extradite" | "expel" => EventKind::Repatriation,
        "send" | "force" | "ship" if particle == "back" => EventKind::Repatriation,
        "hand" if particle == "over" => EventKind::Repatriation,
        // Soldiers storming a building is an assault; protesters storming it
        // an entry.
        "storm" | "raid" if forces => EventKind::Conflict,
        "enter" | "climb" | "storm" | "scale" | "invade" | "infiltrate" | "sneak" if enterable => {
            if lemma == "invade" {
                EventKind::Conflict
            } else {
                EventKind::Entry
            }
        }
        "break" | "rush" | "run" | "walk" | "burst" | "slip" | "get" | "make" | "flee" if into => {
            EventKind::Entry
        }
        "seek" | "take" | "request" | "ask" if about_asylum => EventKind::Entry,
        "grant" | "give" if about_asylum => EventKind::Departure,
        "defect" | "depart" | "emigrate" => EventKind::Departure,
        // Fleeing into a place is an entry (above); fleeing a named place (a
        // country, a city) leaves it; fleeing one's house is neither.
        "flee"
            if place
                && tree
                    .children_with(pred, &["obj", "obl"])
                    .any(|c| tree.words[c].upos == "PROPN") =>
        {
            EventKind::Departure
        }
        "fly" | "leave" if place || particle == "out" => EventKind::Departure,
        // Hostages set free leave their captivity.
        "free" | "release"
            if has(&["hostage", "captive", "prisoner", "people", "woman", "man"]) =>
        {
            EventKind::Departure
        }
        "kill" | "shoot" | "wound" | "murder" | "assassinate" | "execute" => EventKind::Conflict,
        "surround" | "ring" | "encircle" | "besiege" | "blockade" => EventKind::Security,
        "accuse" | "protest" | "summon" | "reprimand" | "condemn" | "denounce" | "criticize"
        | "criticise" | "rebuke" | "demand" | "reject" | "lodge" | "blame" => EventKind::Protest,
        "charge" if clausal => EventKind::Protest,
        "meet" | "visit" | "host" | "receive" | "arrive" | "tour" | "land" => EventKind::Meeting,
        "hold" | "begin" | "open" | "resume" | "start"
            if objects
                .iter()
                .any(|o| matches!(o.as_str(), "talk" | "talks")) =>
        {
            EventKind::Meeting
        }
        "talk" | "negotiate" => EventKind::Meeting,
        "seal" | "cordon" | "crack" | "clamp" | "tighten" | "barricade" | "deploy" | "patrol"
        | "guard" | "fortify" => EventKind::Security,
        "increase" | "step" | "boost" | "raise"
            if objects
                .iter()
                .any(|o| matches!(o.as_str(), "security" | "patrol")) =>
        {
            EventKind::Security
        }
        "sign" | "ratify" | "conclude"
            if objects.iter().any(|o| {
                matches!(
                    o.as_str(),
                    "treaty" | "agreement" | "accord" | "pact" | "convention" | "deal"
                )
            }) =>
        {
            EventKind::Treaty
        }
        "attack" | "bomb" | "shell" | "fight" | "battle" | "ambush" | "raid" => EventKind::Conflict,
        // "reorganizations added 9,000 persons to the rolls": "add" with a
        // thing added is no saying.
        "add" if tree.child(pred, &["obj"]).is_some() => EventKind::Other,
        l if SPEECH.contains(&l) => EventKind::Statement,
        "send" | "deliver" | "issue" | "release" | "publish"
            if objects.iter().any(|o| {
                matches!(
                    o.as_str(),
                    "letter" | "message" | "note" | "statement" | "appeal" | "memorandum"
                )
            }) =>
        {
            EventKind::Statement
        }
        "call" if particle == "on" || particle == "for" => EventKind::Statement,
        _ => EventKind::Other,
    }
}

/// The kind a noun names when it is the event ("Wednesday's arrest", "the
/// talks on Friday").
fn noun_kind(lemma: &str) -> EventKind {
    match lemma {
        "arrest" | "detention" | "capture" | "roundup" => EventKind::Arrest,
        "repatriation" | "deportation" | "expulsion" | "extradition" | "handover" => {
            EventKind::Repatriation
        }
        "entry" | "incursion" | "intrusion" | "break-in" => EventKind::Entry,
        "removal" | "eviction" => EventKind::Removal,
        "departure" | "defection" | "flight" => EventKind::Departure,
        "protest" | "complaint" | "condemnation" | "reprimand" => EventKind::Protest,
        "meeting" | "talks" | "talk" | "visit" | "summit" | "trip" | "tour" | "arrival"
        | "negotiation" => EventKind::Meeting,
        "crackdown" => EventKind::Security,
        "treaty" | "agreement" | "accord" | "pact" | "convention" => EventKind::Treaty,
        "war" | "attack" | "invasion" | "raid" | "bombing" | "clash" | "battle" | "coup" => {
            EventKind::Conflict
        }
        "statement" | "announcement" | "speech" | "appeal" | "warning" | "apology" => {
            EventKind::Statement
        }
        _ => EventKind::Other,
    }
}

/// Nouns that only point back at an event told elsewhere ("Wednesday's
/// incident"): they date that event, not one of their own.
pub fn is_generic_event(lemma: &str) -> bool {
    matches!(
        lemma,
        "incident" | "episode" | "event" | "case" | "affair" | "matter" | "development"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax;

    fn kind(sentence: &str, verb: &str) -> EventKind {
        kind_at(sentence, verb, false)
    }

    /// The kind of `verb` in `sentence`; `place` says whether the gazetteer
    /// found a place among its arguments.
    fn kind_at(sentence: &str, verb: &str, place: bool) -> EventKind {
        let words = syntax::model().expect("model").parse_sentence(sentence);
        let tree = Tree::new(&words);
        let i = words
            .iter()
            .position(|w| w.form == verb)
            .unwrap_or_else(|| panic!("no {verb}"));
        kind_of(&tree, i, place)
    }

    #[test]
    fn kinds_come_from_the_predicate_and_its_arguments() {
        assert_eq!(
            kind("Two men climbed the wall of the compound.", "climbed"),
            EventKind::Entry
        );
        assert_eq!(
            kind("Exxon climbed 2 pct in heavy trading.", "climbed"),
            EventKind::Other
        );
        assert_eq!(
            kind("The firms entered into an agreement.", "entered"),
            EventKind::Other
        );
        assert_eq!(
            kind("Police dragged the two men away.", "dragged"),
            EventKind::Removal
        );
        assert_eq!(
            kind("China sent the refugees back to the North.", "sent"),
            EventKind::Repatriation
        );
        assert_eq!(
            kind("Tokyo summoned the ambassador.", "summoned"),
            EventKind::Protest
        );
        assert_eq!(
            kind("The ministry said it would protest.", "said"),
            EventKind::Statement
        );
        assert_eq!(
            kind("The five men sought asylum at the embassy.", "sought"),
            EventKind::Entry
        );
        assert_eq!(
            kind("The company posted a profit.", "posted"),
            EventKind::Other
        );
    }

    #[test]
    fn a_partitive_object_is_what_it_counts() {
        assert_eq!(
            kind(
                "The students released the last of the hostages on Tuesday.",
                "released"
            ),
            EventKind::Departure
        );
        assert_ne!(
            kind(
                "The students released the first of the photographs.",
                "released"
            ),
            EventKind::Departure
        );
    }

    #[test]
    fn fleeing_a_place_leaves_it_and_fleeing_into_one_enters_it() {
        // The gazetteer names Iran a place.
        assert_eq!(
            kind_at("The Shah fled Iran in January.", "fled", true),
            EventKind::Departure
        );
        assert_eq!(
            kind_at("Two men fled into the embassy compound.", "fled", true),
            EventKind::Entry
        );
    }
}
